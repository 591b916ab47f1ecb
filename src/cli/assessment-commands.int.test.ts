/** `kloe assessment …` through the built command line: create → list → show → export (with evidence) → import. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import { evidenceFilePath } from '../modules/evidence/evidence-storage.js';
import { builtinFrameworksFolder } from '../paths.js';
import { installDemo, postgresInstallation } from './testing/run-cli.js';

const ORG = 'E07000901'; // the demo data's Ashdown District Council
const LEAD = 'lead.inspector@example.org';
const MEMBER = 'inspector@example.org';

const withoutExportedAt = (doc: Record<string, unknown>) => ({ ...doc, exportedAt: undefined });

describe.skipIf(!postgresAvailable)('kloe assessment [postgres]', () => {
  const installation = postgresInstallation('kloe-assessments-');
  const { kloe } = installation;
  // A second installation to import into; the test that does so loads its framework and demo data.
  const other = postgresInstallation('kloe-assessments-other-');
  beforeAll(() => installDemo(installation));

  it('creates, lists, shows, exports and imports an assessment', async () => {
    const created = await kloe([
      'assessment',
      'create',
      '--organisation',
      ORG,
      '--service',
      'Housing repairs',
      '--kind',
      'inspection',
      '--title',
      'CLI repairs inspection',
      '--lead',
      LEAD,
      '--member',
      MEMBER,
      '--scope',
      '5',
      '--scope',
      '6.1',
      '--framework',
      'audit-commission-j2@1',
    ]);
    expect(created.stderr).toBe('');
    const id = /^Created ([0-9a-f-]{36}): CLI repairs inspection\n$/.exec(created.stdout)?.[1];
    expect(id, created.stdout).toBeDefined();

    expect((await kloe(['assessment', 'list', '--organisation', ORG])).stdout).toMatch(
      new RegExp(
        `^${id}\tinspection\tplanning\tAshdown District Council\tHousing repairs\tCLI repairs inspection$`,
        'm',
      ),
    );
    const listed = JSON.parse((await kloe(['assessment', 'list', '--json'])).stdout);
    expect(listed.find((a: { id: string }) => a.id === id)).toMatchObject({
      kind: 'inspection',
      status: 'planning',
      framework: { id: 'audit-commission-j2', version: 1 },
    });
    expect((await kloe(['assessment', 'list', '--organisation', 'L9001'])).stdout).not.toContain(id);

    const shown = await kloe(['assessment', 'show', id!]);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain('CLI repairs inspection');
    expect(shown.stdout).toMatch(/^5\.2\.2\t0\/22\t—\t—$/m);
    expect(shown.stdout).toMatch(/^6\.1\t0\/\d+\t—\t—$/m);
    expect(shown.stdout).toMatch(/^overall\t—\t—$/m);
    const shownJson = JSON.parse((await kloe(['assessment', 'show', id!, '--json'])).stdout);
    expect(shownJson.kloes.map((k: { ref: string }) => k.ref)).toEqual([
      '5.1.1',
      '5.1.2',
      '5.1.3',
      '5.2.1',
      '5.2.2',
      '5.2.3',
      '5.2.4',
      '6.1',
    ]);
    expect(shownJson.team).toEqual([
      expect.objectContaining({ email: LEAD, role: 'lead' }),
      expect.objectContaining({ email: MEMBER, role: 'member' }),
    ]);
    expect(shownJson.keyQuestions.map((kq: { ref: string }) => kq.ref)).toEqual(['5', '6']);

    // Evidence with a file, carried by --with-files into the other installation's evidence folder.
    const minutes = 'Minutes of the repairs focus group, 3 March 2026.\n';
    const minutesFile = path.join(installation.tmp, 'minutes.txt');
    fs.writeFileSync(minutesFile, minutes);
    const added = await kloe([
      'evidence',
      'add',
      id!,
      minutesFile,
      '--title',
      'Focus group minutes',
      '--kind',
      'focus_group',
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '' });

    const file = path.join(installation.tmp, 'export.json');
    expect(await kloe(['assessment', 'export', id!, '--with-files', '-o', file])).toMatchObject({
      code: 0,
      stdout: '',
    });
    const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(exported).toMatchObject({
      format: 'kloe-assessment/1',
      assessment: { id, title: 'CLI repairs inspection' },
      evidence: [
        {
          title: 'Focus group minutes',
          files: [{ name: 'minutes.txt', contentBase64: Buffer.from(minutes).toString('base64') }],
        },
      ],
    });
    const printed = JSON.parse((await kloe(['assessment', 'export', id!, '--with-files'])).stdout);
    expect(withoutExportedAt(printed)).toEqual(withoutExportedAt(exported));

    // The same id again is refused; as new it is a copy.
    const again = await kloe(['assessment', 'import', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^kloe: Assessment \S+ already exists here/);
    const copy = await kloe(['assessment', 'import', file, '--as-new']);
    expect(copy.stderr).toBe('');
    const copyId =
      /^Imported ([0-9a-f-]{36}): CLI repairs inspection \(2 people, 0 findings, 8 KLOE judgements, 0 challenges, 1 evidence item\)\n$/.exec(
        copy.stdout,
      )?.[1];
    expect(copyId).toBeDefined();
    expect(copyId).not.toBe(id);

    // Into another installation under the same id, and out again unchanged.
    await installDemo(other);
    expect((await other.kloe(['assessment', 'import', file])).stdout).toMatch(new RegExp(`^Imported ${id}: `));
    const sha256: string = exported.evidence[0].files[0].sha256;
    expect(fs.readFileSync(evidenceFilePath(path.join(other.tmp, 'data', 'evidence'), sha256), 'utf8')).toBe(minutes);
    const roundTrip = JSON.parse((await other.kloe(['assessment', 'export', id!, '--with-files'])).stdout);
    expect(withoutExportedAt(roundTrip)).toEqual({
      ...withoutExportedAt(exported),
      organisation: roundTrip.organisation,
      service: roundTrip.service,
    });
    expect(roundTrip.organisation.code).toBe(ORG);
  });

  it('prints the JSON Schema that is checked in', async () => {
    const schema = await kloe(['assessment', 'schema']);
    expect(schema.stdout).toBe(
      fs.readFileSync(path.join(builtinFrameworksFolder, 'kloe-assessment.schema.json'), 'utf8'),
    );
  });

  it.each([
    ['an id that is not one', ['assessment', 'show', 'nope'], 1, /^kloe: "nope" is not an assessment id\n$/],
    [
      'an assessment that does not exist',
      ['assessment', 'export', '00000000-0000-4000-8000-000000000000'],
      1,
      /^kloe: No assessment with id "00000000-0000-4000-8000-000000000000"\n$/,
    ],
    [
      'an unknown organisation',
      [
        'assessment',
        'create',
        '--organisation',
        'NOPE',
        '--service',
        'S',
        '--kind',
        'inspection',
        '--title',
        'T',
        '--lead',
        LEAD,
      ],
      1,
      /^kloe: no organisation with the code NOPE\n$/,
    ],
    [
      'an unknown person',
      [
        'assessment',
        'create',
        '--organisation',
        ORG,
        '--service',
        'Housing repairs',
        '--kind',
        'inspection',
        '--title',
        'T',
        '--lead',
        'who@example.org',
      ],
      1,
      /^kloe: no person with the email address who@example\.org\n$/,
    ],
    [
      'a scope outside the framework',
      [
        'assessment',
        'create',
        '--organisation',
        ORG,
        '--service',
        'Housing repairs',
        '--kind',
        'inspection',
        '--title',
        'T',
        '--lead',
        LEAD,
        '--scope',
        '9',
      ],
      1,
      /^kloe: Check the scope: Not in this framework: 9\n$/,
    ],
    [
      'an unknown kind',
      [
        'assessment',
        'create',
        '--organisation',
        ORG,
        '--service',
        'S',
        '--kind',
        'audit',
        '--title',
        'T',
        '--lead',
        LEAD,
      ],
      1,
      /argument 'audit' is invalid/,
    ],
    [
      'a missing file',
      ['assessment', 'import', '/no/such/file.json'],
      1,
      /^kloe: cannot read \/no\/such\/file\.json: ENOENT\n$/,
    ],
  ])('refuses %s with one line and a non-zero exit', async (_name, args, code, message) => {
    const result = await kloe(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a file that is not an assessment document, naming the field', async () => {
    const file = path.join(installation.tmp, 'broken.json');
    fs.writeFileSync(file, JSON.stringify({ format: 'kloe-assessment/1', assessment: {} }));
    const result = await kloe(['assessment', 'import', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kloe: Not a valid kloe-assessment\/1 document: exportedAt: /);
  });
});
