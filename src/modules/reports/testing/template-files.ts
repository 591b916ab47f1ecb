/** Word documents for template tests, built with the `docx` package: one paragraph per line given. */
import { Document, Packer, Paragraph, TextRun } from 'docx';

export const templateDocx = (lines: string[]) =>
  Packer.toBuffer(
    new Document({ sections: [{ children: lines.map((text) => new Paragraph({ children: [new TextRun(text)] })) }] }),
  );
