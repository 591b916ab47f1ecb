import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readIndicatorFile, XLSX_LIMITS } from './import-file.js';

/** A real workbook of one sheet with inline strings, and `padding` bytes of spaces in its sheet XML. */
function workbook(rows: string[][], padding = 0): Buffer {
  const cells = rows
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row.map((v, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`,
    )
    .join('');
  const ns = 'http://schemas.openxmlformats.org';
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        `<?xml version="1.0"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      ),
      '_rels/.rels': strToU8(
        `<?xml version="1.0"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
      'xl/workbook.xml': strToU8(
        `<?xml version="1.0"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="Values" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        `<?xml version="1.0"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml': strToU8(
        `<?xml version="1.0"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData>${cells}${' '.repeat(padding)}</sheetData></worksheet>`,
      ),
    }),
  );
}

const HEADER = ['organisation_code', 'indicator_code', 'period', 'value'];

async function rowsOf(file: Buffer, limits = XLSX_LIMITS) {
  const rows = [];
  for await (const batch of readIndicatorFile(file, limits)) rows.push(...batch.rows);
  return rows;
}

describe('indicator workbooks', () => {
  it('reads the first sheet of a workbook', async () => {
    const rows = await rowsOf(workbook([HEADER, ['E07000001', 'BV202', '2025/26', '12.5']]));
    expect(rows).toMatchObject([{ line: 2, organisation: 'E07000001', indicator: 'BV202', period: '2025/26' }]);
  });

  it('refuses a workbook that unzips past the cap, counting the bytes as they inflate', async () => {
    // 2 MB of sheet from about 2 KB of file, against a cap of 1 MB (64 MB in use).
    const bomb = workbook([HEADER, ['E07000001', 'BV202', '2025/26', '12.5']], 2 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(10_000);
    await expect(rowsOf(bomb, { ...XLSX_LIMITS, inflatedBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'indicator_file_refused',
      status: 400,
      message: 'The file is not a readable XLSX workbook: the archive inflates beyond 1 MB',
      problems: [{ field: 'file' }],
    });
  });

  it('stops reading a workbook that needs too much memory, as a refusal', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`E${i}`, 'BV202', '2025/26', String(i)]);
    await expect(rowsOf(workbook([HEADER, ...rows]), { ...XLSX_LIMITS, memoryMb: 8 })).rejects.toMatchObject({
      code: 'indicator_file_refused',
      message: 'The file is not a readable XLSX workbook: it needs more than 8 MB of memory to read',
    });
  });
});
