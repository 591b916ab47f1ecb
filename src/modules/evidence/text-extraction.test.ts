import { describe, expect, it } from 'vitest';
import { extractText } from './text-extraction.js';
import { makeDocx, makePdf, makeXlsx, makeZipBombDocx, PNG_1X1 } from '../../files/sample-files.js';

describe('extractText', () => {
  it('reads text and CSV as they are', async () => {
    expect(await extractText('csv', Buffer.from('kpi,value\nrepairs,92\n'))).toEqual({
      status: 'done',
      text: 'kpi,value\nrepairs,92\n',
    });
  });

  it('reads the words of a PDF page', async () => {
    const result = await extractText('pdf', makePdf('Repairs backlog fell\nTenants (most) satisfied'));
    expect(result.status).toBe('done');
    expect(result.status === 'done' && result.text).toMatch(/Repairs backlog fell[\s\S]*Tenants \(most\) satisfied/);
  });

  it('reads DOCX paragraphs and XLSX cells, entities decoded', async () => {
    expect(await extractText('docx', makeDocx('First & foremost\nSecond'))).toEqual({
      status: 'done',
      text: 'First & foremost\nSecond\n',
    });
    const xlsx = await extractText('xlsx', makeXlsx(['Indicator', 'Repairs < 7 days']));
    expect(xlsx.status === 'done' && xlsx.text).toBe('Indicator\nRepairs < 7 days');
  });

  it('marks a truncated PDF, a zip bomb and a damaged DOCX as failed instead of throwing', async () => {
    expect(await extractText('pdf', makePdf('x').subarray(0, 100))).toEqual({
      status: 'failed',
      error: 'the PDF is damaged',
    });
    const bomb = await extractText('docx', makeZipBombDocx(70));
    expect(bomb).toEqual({ status: 'failed', error: 'the archive inflates beyond 64 MB' });
    expect((await extractText('docx', makeDocx('x').subarray(0, 60))).status).toBe('failed');
  });

  it('has nothing to read in images', async () => {
    expect(await extractText('png', PNG_1X1)).toEqual({ status: 'none' });
  });
});
