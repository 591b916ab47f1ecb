/** docs/report-templates.md is what template authors work from: it must list every field, and its example must work. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillTemplate, inspectTemplate } from './template-docx.js';
import { fieldPaths, sampleData, type TemplateData } from './template-data.js';
import { docxPart, xmlText } from './testing/files.js';
import { templateDocx } from './testing/template-files.js';

const doc = fs.readFileSync(new URL('../../../docs/report-templates.md', import.meta.url), 'utf8');

describe('docs/report-templates.md', () => {
  it('documents every field of the template data', () => {
    for (const path of fieldPaths()) expect(doc, path).toContain(`\`${path}\``);
  });

  it('has a worked example that is accepted and fills as it says', async () => {
    const example = /In Word, type:\n\n```text\n([\s\S]*?)```/.exec(doc)![1]!.trimEnd().split('\n');
    const template = await templateDocx(example);
    await inspectTemplate(template);
    const data = sampleData() as TemplateData;
    Object.assign(data, { draft: true });
    data.organisation.name = 'Ashcombe Report Council';
    data.kloes = [{ ...data.kloes[0]!, ref: '4.1', rating: 'Promising', rationale: '' }];
    data.recommendations = [{ ...data.recommendations[0]!, number: 2, text: 'Publish repair times', kloes: '6.2' }];
    const text = xmlText(docxPart(await fillTemplate(template, data), 'word/document.xml'));
    expect(text).toContain('Ashcombe Report Council: Sample name');
    expect(text).toContain('DRAFT – not for publication');
    expect(text).toContain('KLOE 4.1 – Promising');
    expect(text).not.toContain('Why:');
    expect(text).toContain('2. Publish repair times (Sample priority priority, KLOEs 6.2)');
  });
});
