import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinFrameworksFolder } from '../../paths.js';
import { parseFrameworkText, readFrameworkFile, serialiseFramework } from './framework-file.js';
import { SEED_HTML } from './testing/seed-files.js';

const builtinText = fs.readFileSync(path.join(builtinFrameworksFolder, 'audit-commission-j2.json'), 'utf8');
const builtin = JSON.parse(builtinText);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-file-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('reading framework files', () => {
  it('reads the catalogue format as JSON and as YAML, and both round-trip exactly', async () => {
    const json = await readFrameworkFile(write('f.json', builtinText));
    expect(json.format).toBe('json');
    expect(json.document).toEqual(builtin);
    expect(serialiseFramework(json.document, 'json')).toBe(builtinText);

    const yamlText = serialiseFramework(builtin, 'yaml');
    expect(YAML.parse(yamlText)).toEqual(builtin);
    const yaml = await readFrameworkFile(write('f.yaml', yamlText));
    expect(yaml.format).toBe('yaml');
    expect(yaml.document).toEqual(builtin);
  });

  it('recognises the format from the content when the extension says nothing', async () => {
    expect((await readFrameworkFile(write('noext', builtinText))).format).toBe('json');
    expect((await readFrameworkFile(write('noext2', serialiseFramework(builtin, 'yaml')))).format).toBe('yaml');
  });

  it('reads a seed document into the built-in catalogue', async () => {
    const seed = await readFrameworkFile(SEED_HTML);
    expect(seed.format).toBe('seed');
    expect(seed.document).toEqual(builtin);
  });

  it('tolerates a byte-order mark', async () => {
    expect((await readFrameworkFile(write('bom.json', `\uFEFF${builtinText}`))).document).toEqual(builtin);
  });

  it.each([
    ['a missing file', () => path.join(tmp, 'nope.json'), /nope\.json: no such file/],
    ['a folder', () => tmp, /it is a folder/],
    ['an empty file', () => write('empty.txt', ''), /is empty/],
    ['a binary file', () => write('bin.dat', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])), /binary file/],
    ['malformed JSON', () => write('bad.json', '{ "format": '), /not valid JSON/],
    ['malformed YAML', () => write('bad.yaml', 'format: [unclosed'), /not valid YAML/],
    ['JSON of something else', () => write('other.json', '{"name": "bob"}'), /Not a valid framework: format/],
  ])('refuses %s with a clear message', async (_name, file, message) => {
    await expect(readFrameworkFile(file())).rejects.toMatchObject({
      code: 'invalid_framework_file',
      message: expect.stringMatching(message),
    });
  });

  it('names the offending field of an invalid document', () => {
    const broken = structuredClone(builtin);
    broken.keyQuestions[0].children[0].ref = 'four';
    expect(() => parseFrameworkText('x.json', JSON.stringify(broken))).toThrow(
      /keyQuestions\.0\.children\.0\.ref: must look like/,
    );
  });
});
