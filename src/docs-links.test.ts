/**
 * The README and docs/ link to each other and to the code; a moved or renamed file or heading must not
 * leave a reader at a dead link. Checks every relative link and #anchor, then that the checker itself
 * catches each kind of broken link.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from './paths.js';
import { findBrokenLinks } from './testing/markdown-links.js';

function documents(): string[] {
  const docs = fs
    .readdirSync(path.join(projectRoot, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name));
  return ['README.md', ...docs.sort()];
}

describe('links in README.md and docs/', () => {
  it('reads the README and every page of docs/', () => {
    expect(documents()).toEqual(expect.arrayContaining(['README.md', path.join('docs', 'index.md')]));
  });

  it('has no relative link to a missing file or a missing #anchor', () => {
    expect(findBrokenLinks(projectRoot, documents())).toEqual([]);
  });
});

describe('findBrokenLinks', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-links-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function check(files: Record<string, string>) {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    return findBrokenLinks(root, Object.keys(files));
  }

  it('accepts links to files and to headings under GitHub slug rules, and leaves web links alone', () => {
    const broken = check({
      'a.md': [
        '# Title',
        '',
        'See [b](docs/b.md#the-kloe-serve-command), [again](docs/b.md#usage-1), [here](#title),',
        '[the web](https://example.org/missing) and ![a picture](docs/p.png).',
      ].join('\n'),
      'docs/b.md': '# The `kloe serve` command\n\n## Usage\n\n## Usage\n\n[back](../a.md)\n',
      'docs/p.png': 'not really a picture',
    });
    expect(broken).toEqual([]);
  });

  it('reports a missing file, a missing anchor, a missing image and a link out of the folder', () => {
    const broken = check({
      'c.md': [
        '# C',
        '',
        '[gone](docs/gone.md) [no anchor](#nowhere)',
        '',
        '| table |',
        '| ----- |',
        '| ![missing](docs/missing.png) [outside](../shared/ARCHITECTURE.md) |',
      ].join('\n'),
    });
    expect(broken).toEqual([
      { file: 'c.md', line: 3, target: 'docs/gone.md', reason: 'no such file' },
      { file: 'c.md', line: 3, target: '#nowhere', reason: 'no heading makes #nowhere' },
      { file: 'c.md', line: 7, target: 'docs/missing.png', reason: 'no such file' },
      { file: 'c.md', line: 7, target: '../shared/ARCHITECTURE.md', reason: 'outside the repository' },
    ]);
  });
});
