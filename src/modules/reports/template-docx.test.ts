import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { starterTemplate } from './starter-template.js';
import { fillTemplate, inspectTemplate, resolvePath } from './template-docx.js';
import { sampleData } from './template-data.js';
import { docxPart, xmlText } from './testing/files.js';
import { templateDocx } from './testing/template-files.js';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      if (!(error instanceof AppError)) throw error;
      return error;
    },
  );

describe('DOCX templates', () => {
  it('accepts the starter template and fills it', async () => {
    const starter = await starterTemplate();
    const { placeholders } = await inspectTemplate(starter);
    expect(placeholders).toContain('INS organisation.name');
    expect(placeholders).toContain('FOR k IN kloes');
    const filled = await fillTemplate(starter, sampleData());
    const text = xmlText(docxPart(filled, 'word/document.xml'));
    expect(text).toContain('Organisation: Sample name');
    expect(text).toContain('Rating: Sample rating');
    expect(text).not.toContain('{{');
  });

  it('refuses a template with an unknown placeholder, naming it, and one with broken syntax', async () => {
    const unknown = await refusal(inspectTemplate(await templateDocx(['Report for {{organisation.nme}}'])));
    expect(unknown.status).toBe(422);
    expect(unknown.message).toBe('Unknown placeholder "organisation.nme" in the template');
    const unclosed = await refusal(inspectTemplate(await templateDocx(['{{FOR k IN kloes}}', '{{$k.ref}}'])));
    expect(unclosed.message).toContain('"{{FOR k IN …}}" is never closed');
    const noEnd = await refusal(inspectTemplate(await templateDocx(['Report for {{organisation.name', 'next'])));
    expect(noEnd.message).toContain('closing }} missing');
  });

  it('refuses code in a template before anything runs it', async () => {
    const code = await refusal(
      inspectTemplate(await templateDocx(["{{this.constructor.constructor('return process')().exit()}}"])),
    );
    expect(code.message).toContain('is not allowed');
    const exec = await refusal(inspectTemplate(await templateDocx(['{{EXEC require("fs")}}', '{{title}}'])));
    expect(exec.message).toContain('(not EXEC)');
    await expect(fillTemplate(await templateDocx(['{{!process.exit(1)}}']), sampleData())).rejects.toMatchObject({
      code: 'template_refused',
    });
  });

  it('refuses what is not a Word document, whatever it is called', async () => {
    expect((await refusal(inspectTemplate(Buffer.from('plain text, not a template')))).status).toBe(415);
    expect((await refusal(inspectTemplate(Buffer.from('%PDF-1.7 …')))).message).toContain('is a PDF file');
  });

  it('looks placeholders up in the data without evaluating them or reaching a prototype', () => {
    const sandbox = { organisation: { name: 'Ashdown' }, $k: { evidence: [1, 2] }, __code__: 'x' };
    expect(resolvePath(sandbox, ' organisation.name ')).toBe('Ashdown');
    expect(resolvePath(sandbox, '$k.evidence.length')).toBe(2);
    expect(resolvePath(sandbox, 'organisation.constructor')).toBeUndefined();
    expect(resolvePath(sandbox, 'organisation.name.length')).toBeUndefined();
    expect(() => resolvePath(sandbox, "this.constructor.constructor('return process')()")).toThrow(
      'is not a field name',
    );
  });

  it('puts report text in as text, never as XML', async () => {
    const data = sampleData() as { title: string };
    data.title = 'Repairs ||<w:p><w:r><w:t>injected</w:t></w:r></w:p>|| & <done>';
    const xml = docxPart(await fillTemplate(await templateDocx(['{{title}}']), data), 'word/document.xml');
    expect(xml).toContain('Repairs ||&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;injected');
    expect(xml).toContain('&amp; &lt;done&gt;');
  });
});
