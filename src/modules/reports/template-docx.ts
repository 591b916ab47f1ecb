/**
 * Custom DOCX templates with docx-templates, loaded on first use (like the built-in report-docx.ts) so
 * that starting kloe does not pay for it. `inspectTemplate` decides whether an upload may be kept: a
 * real DOCX (sniffed from its bytes, unzipped under a cap against zip bombs), placeholders that keep the
 * rules of template-placeholder-rules.ts, and a trial fill with sample data. `fillTemplate` checks again (rules
 * may have tightened since upload) and fills. Both run in a worker thread (template-renderer.ts), never
 * on the event loop that answers requests.
 *
 * The cap is kept by re-packing: the entries are inflated from the local headers, counting every byte,
 * and written into a new zip, and docx-templates (which reads the central directory) is given only that.
 * A zip whose central directory points somewhere else than its local headers (a bomb hidden from a
 * reader of one of the two) thus shows docx-templates exactly the bytes that were counted.
 *
 * docx-templates evaluates each command as JavaScript in a fresh vm context. kloe keeps its vm sandbox
 * switched on (noSandbox: false) but gives it `runJs`, which replaces the evaluation: it looks the plain
 * dotted path up in the data and evaluates nothing, so a template cannot run code even if a check above
 * missed something. It is also what makes filling affordable: a new vm context per command makes a report
 * with hundreds of evidence items slow to fill and heavy on memory.
 */
import { readZipEntries, repack, ZipLimitError } from '../../files/zip-entries.js';
import { sniffFileType } from '../../files/file-types.js';
import { notADocx, templateRefused } from './report-templates.errors.js';
import {
  checkTemplateCommands,
  TEMPLATE_DELIMITERS,
  TEMPLATE_PATH,
  type TemplateCommand,
} from './template-placeholder-rules.js';
import { sampleData } from './template-data.js';

export interface TemplateSizeLimits {
  /** A template unzips to at most this much (pictures included). */
  inflatedBytes: number;
  /** A filled template is at most this large. */
  filledBytes: number;
}

/** A styled DOCX of a few pages with a logo unzips to well under 1 MB, and a filled report to a few MB. */
export const TEMPLATE_SIZE_LIMITS: TemplateSizeLimits = {
  inflatedBytes: 20 * 1024 * 1024,
  filledBytes: 50 * 1024 * 1024,
};

/** Bounds docx-templates' walk through the document (its guard against runaway loops). */
const MAXIMUM_WALKING_DEPTH = 1_000_000;

/**
 * docx-templates writes text between two of these as raw XML. Report text (rationales, titles) must never
 * be taken for XML, so the delimiter holds NUL, which neither PostgreSQL text nor a DOCX's XML can hold.
 */
const LITERAL_XML = '\u0000kloe-xml\u0000';

const engine = () => import('docx-templates');

const messageOf = (error: unknown): string =>
  Array.isArray(error) ? error.map(messageOf).join('; ') : error instanceof Error ? error.message : String(error);

/** The template's parts inflated under the cap and packed again: the only bytes docx-templates ever reads. */
function readTemplate(bytes: Buffer, limits: TemplateSizeLimits): Uint8Array {
  const sniffed = sniffFileType(bytes, 'template.docx');
  if (sniffed.type !== 'docx')
    throw notADocx(sniffed.type ? `is a ${sniffed.type.toUpperCase()} file` : sniffed.reason);
  let parts: Map<string, Uint8Array>;
  try {
    parts = readZipEntries(bytes, (name) => !name.endsWith('/'), limits.inflatedBytes);
  } catch (error) {
    throw notADocx(`cannot be unzipped (${error instanceof ZipLimitError ? error.message : 'the archive is damaged'})`);
  }
  if (!parts.has('word/document.xml')) throw notADocx('has no word/document.xml');
  return repack(parts);
}

async function commandsOf(bytes: Uint8Array): Promise<TemplateCommand[]> {
  const { listCommands } = await engine();
  try {
    return await listCommands(bytes as unknown as ArrayBuffer, TEMPLATE_DELIMITERS);
  } catch (error) {
    throw templateRefused([`The template cannot be read: ${messageOf(error)}`]);
  }
}

/**
 * The value at a plain dotted path ("organisation.name", "$k.evidence.length") in docx-templates'
 * sandbox (the data, with each loop's item as $name), looked up own property by own property so that
 * nothing of a prototype (constructor, __proto__) is ever reached. Anything but a plain path throws.
 */
export function resolvePath(sandbox: Record<string, unknown>, code: string): unknown {
  const path = code.trim();
  if (!TEMPLATE_PATH.test(path)) throw new Error(`"${path}" is not a field name`);
  let value: unknown = sandbox;
  for (const key of path.split('.')) {
    if (Array.isArray(value) && key === 'length') value = value.length;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key)) {
      value = (value as Record<string, unknown>)[key];
    } else return undefined;
  }
  return value;
}

async function fill(bytes: Uint8Array, data: unknown, limits: TemplateSizeLimits): Promise<Buffer> {
  const { createReport } = await engine();
  const out = await createReport({
    template: bytes,
    data,
    cmdDelimiter: TEMPLATE_DELIMITERS,
    literalXmlDelimiter: LITERAL_XML,
    noSandbox: false,
    runJs: ({ sandbox }) => ({ modifiedSandbox: sandbox, result: resolvePath(sandbox, sandbox.__code__ ?? '') }),
    failFast: true,
    rejectNullish: true,
    maximumWalkingDepth: MAXIMUM_WALKING_DEPTH,
    indentXml: false,
  });
  if (out.length > limits.filledBytes) {
    throw new Error(`the filled document would be larger than ${Math.round(limits.filledBytes / 1024 / 1024)} MB`);
  }
  return Buffer.from(out);
}

/** The placeholders of an acceptable template; throws template_refused (422) or file_refused (415). */
export async function inspectTemplate(
  bytes: Buffer,
  limits = TEMPLATE_SIZE_LIMITS,
): Promise<{ placeholders: string[] }> {
  const template = readTemplate(bytes, limits);
  const { placeholders, problems } = checkTemplateCommands(await commandsOf(template));
  if (problems.length) throw templateRefused(problems);
  try {
    await fill(template, sampleData(), limits);
  } catch (error) {
    throw templateRefused([`The template cannot be filled: ${messageOf(error)}`]);
  }
  return { placeholders };
}

/** The template filled with the data; throws with the reason when it cannot be. */
export async function fillTemplate(bytes: Buffer, data: unknown, limits = TEMPLATE_SIZE_LIMITS): Promise<Buffer> {
  const template = readTemplate(bytes, limits);
  const { problems } = checkTemplateCommands(await commandsOf(template));
  if (problems.length) throw templateRefused(problems);
  return fill(template, data, limits);
}
