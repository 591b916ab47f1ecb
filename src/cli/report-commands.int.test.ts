/** `kloe report …` through the built command line, on the demo installation's inspection. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import { docxPart, xmlText } from '../modules/reports/testing/files.js';
import { installDemo, postgresInstallation } from './testing/run-cli.js';

describe.skipIf(!postgresAvailable)('kloe report [postgres]', () => {
  const installation = postgresInstallation('kloe-report-cli-');
  const { kloe } = installation;
  let inspection: string;
  let selfAssessment: string;
  beforeAll(async () => {
    await installDemo(installation);
    const listed = (await kloe(['assessment', 'list'])).stdout.split('\n');
    const idOf = (kind: string) => listed.find((line) => line.includes(`\t${kind}\t`))!.split('\t')[0]!;
    inspection = idOf('inspection');
    selfAssessment = idOf('self_assessment');
  });

  it('writes the Word report with a progress line', async () => {
    const file = path.join(installation.tmp, 'report.docx');
    const result = await kloe(['report', inspection, '--format', 'docx', '-o', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('writing the Word document…');
    expect(result.stderr).toMatch(/wrote .*report\.docx \(\d+ KiB, draft, SHA-256 [0-9a-f]{64}\)/);
    expect(xmlText(docxPart(fs.readFileSync(file), 'word/document.xml'))).toContain('KLOE 5.2.4: ');
  });

  it('writes the same report as the server, with the evidence the assessment holds', async () => {
    const file = path.join(installation.tmp, 'self.html');
    const result = await kloe(['report', selfAssessment, '--format', 'html', '-o', file]);
    expect(result.code, result.stderr).toBe(0);
    const html = fs.readFileSync(file, 'utf8');
    const appendix = html.slice(html.indexOf('Appendix: evidence'));
    expect(appendix).toContain('Interview with the head of housing repairs');
  });

  it('writes the findings table as CSV', async () => {
    const file = path.join(installation.tmp, 'findings.csv');
    expect((await kloe(['report', inspection, '--format', 'csv', '--table', 'findings', '-o', file])).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('kloe_ref,statement_ref,descriptor_level,statement,outcome,note');
  });

  it('fails in one line naming the package when there is no chromium, and on an unknown assessment', async () => {
    const pdf = await kloe(['report', inspection, '--format', 'pdf', '-o', path.join(installation.tmp, 'r.pdf')], {
      CHROMIUM_PATH: path.join(installation.tmp, 'no-chromium'),
    });
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toContain('apt-get install chromium');
    const unknown = await kloe([
      'report',
      '00000000-0000-4000-8000-000000000000',
      '--format',
      'json',
      '-o',
      path.join(installation.tmp, 'x'),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No assessment with id');
  });

  it('fails in one line on a template that is not there, or with a format other than docx', async () => {
    const out = path.join(installation.tmp, 't.docx');
    const missing = await kloe([
      'report',
      inspection,
      '--format',
      'docx',
      '--template',
      '00000000-0000-4000-8000-000000000001',
      '-o',
      out,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('kloe: No report template with id "00000000-0000-4000-8000-000000000001"');
    const pdf = await kloe([
      'report',
      inspection,
      '--format',
      'pdf',
      '--template',
      '00000000-0000-4000-8000-000000000001',
      '-o',
      out,
    ]);
    expect(pdf.code).toBe(1);
    expect(pdf.stderr).toContain('kloe: A template can only be used with the docx format');
    expect(fs.existsSync(out)).toBe(false);
  });
});
