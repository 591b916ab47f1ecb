/**
 * Reading a framework from a file: the catalogue format (JSON or YAML) or a seed document
 * (the tab-separated KLOE table). Pure apart from reading the file; every failure is an
 * invalidFrameworkFile error that says where, and nothing is written anywhere.
 */
import fs from 'node:fs/promises';
import YAML from 'yaml';
import type { FieldProblem } from '../../errors.js';
import { frameworkDocumentSchema, type FrameworkDocument } from './framework.model.js';
import { checkFrameworkIntegrity } from './framework.tree.js';
import { invalidFrameworkFile } from './frameworks.errors.js';
import { parseSeedDocument, SeedImportError } from './seed-parser.js';

export type FrameworkFileFormat = 'json' | 'yaml' | 'seed';

export interface FrameworkFile {
  document: FrameworkDocument;
  format: FrameworkFileFormat;
  /** Notable but legitimate findings of the seed parser, e.g. a KLOE lacking a descriptor. */
  warnings: FieldProblem[];
}

/** Checks shape and integrity; the parsed result has the schema's key order, which makes hashing canonical. */
export function validateFrameworkDocument(input: unknown): FrameworkDocument {
  const parsed = frameworkDocumentSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(document)',
      message: issue.message,
    }));
    throw invalidFrameworkFile(`Not a valid framework: ${problems[0]!.field}: ${problems[0]!.message}`, problems);
  }
  const integrity = checkFrameworkIntegrity(parsed.data);
  if (integrity.length > 0) {
    throw invalidFrameworkFile(
      `Not a valid framework: ${integrity[0]}`,
      integrity.map((message) => ({ field: message.split(':')[0]!, message })),
    );
  }
  return parsed.data;
}

function sniffFormat(fileName: string, text: string): FrameworkFileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const start = text.trimStart();
  if (start.startsWith('{')) return 'json';
  if (/^format:\s*['"]?kloe-framework\//m.test(text)) return 'yaml';
  return 'seed';
}

export function parseFrameworkText(fileName: string, text: string): FrameworkFile {
  if (text.includes('\u0000')) throw invalidFrameworkFile(`${fileName} is a binary file, not a framework`);
  const format = sniffFormat(fileName, text);
  if (format === 'seed') {
    try {
      const { framework, warnings } = parseSeedDocument(text);
      return {
        document: validateFrameworkDocument(framework),
        format,
        warnings: warnings.map((w) => ({ field: `line ${w.line}`, message: w.message })),
      };
    } catch (error) {
      if (!(error instanceof SeedImportError)) throw error;
      const problems = error.problems.map((p) => ({ field: `line ${p.line}`, message: p.message }));
      throw invalidFrameworkFile(`${fileName}: ${error.message}`, problems);
    }
  }
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(text) : YAML.parse(text);
  } catch (error) {
    throw invalidFrameworkFile(`${fileName} is not valid ${format.toUpperCase()}: ${(error as Error).message}`);
  }
  return { document: validateFrameworkDocument(data), format, warnings: [] };
}

export async function readFrameworkFile(filePath: string): Promise<FrameworkFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : 'cannot be read';
    throw invalidFrameworkFile(`Cannot read ${filePath}: ${reason}`);
  }
  if (bytes.length === 0) throw invalidFrameworkFile(`${filePath} is empty`);
  return parseFrameworkText(filePath, bytes.toString('utf8').replace(/^\uFEFF/, ''));
}

export function serialiseFramework(doc: FrameworkDocument, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : YAML.stringify(doc, { lineWidth: 0 });
}
