/**
 * Request and response schemas of evidence, shared by the JSON API and the forms. Messages are written
 * for the person filling in the form.
 */
import { z } from 'zod';
import { pageFields, pageQuery } from '../../api/index.js';
import { nameText } from '../../web/text-fields.js';
import { EVIDENCE_KINDS, LINK_STANCES, type EvidenceKind, type LinkStance } from './evidence.tables.js';

export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  document: 'Document',
  interview: 'Interview',
  focus_group: 'Focus group',
  site_visit: 'Site visit / reality check',
  survey: 'Survey',
  performance_data: 'Performance data',
  observation: 'Observation',
  correspondence: 'Correspondence',
};

export const STANCE_LABELS: Record<LinkStance, string> = { supports: 'Supports', contradicts: 'Contradicts' };

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Enter no more than ${max} characters`)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

const optionalDate = z
  .string()
  .trim()
  .transform((value) => (value === '' ? null : value))
  .pipe(z.iso.date({ error: 'Enter a real date, like 2026-03-14' }).nullable())
  .nullable()
  .optional();

const kind = z.enum(EVIDENCE_KINDS, { error: 'Choose what kind of evidence this is' });

export const itemBody = z.object({
  title: nameText({ error: 'Enter a title' })
    .min(1, 'Enter a title')
    .max(300, 'Enter a title of no more than 300 characters'),
  kind,
  source: optionalText(300),
  evidenceDate: optionalDate,
  notes: optionalText(20_000),
});
export type ItemInput = z.infer<typeof itemBody>;

export const linkBody = z.object({
  target: z
    .string({ error: 'Choose a KLOE or statement' })
    .trim()
    .min(1, 'Choose a KLOE or statement')
    .max(40, 'Choose a KLOE or statement'),
  stance: z.enum(LINK_STANCES, { error: 'Choose whether it supports or contradicts' }),
  quote: optionalText(5_000),
  page: optionalText(40),
});
export type LinkInput = z.infer<typeof linkBody>;

export const searchQuery = z.object({
  q: z.string().trim().max(500, 'Enter no more than 500 characters').default(''),
  kind: z.union([kind, z.literal('').transform(() => undefined)]).optional(),
  from: optionalDate,
  to: optionalDate,
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchInput = z.infer<typeof searchQuery>;

export const requestBody = z.object({
  what: z
    .string({ error: 'Say what evidence you need' })
    .trim()
    .min(1, 'Say what evidence you need')
    .max(5_000, 'Enter no more than 5,000 characters'),
  dueOn: z.iso.date({ error: 'Enter the date it is needed by' }),
  kloeRefs: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(/[\s,]+/)).map((r) => r.trim()).filter(Boolean))
    .default([]),
});
export type RequestInput = z.infer<typeof requestBody>;

export const assessmentParams = z.object({ id: z.string() });
export const itemParams = z.object({ id: z.string(), itemId: z.uuid({ error: 'Not an evidence item id' }) });
export const fileParams = itemParams.extend({ fileId: z.uuid({ error: 'Not a file id' }) });
export const linkParams = itemParams.extend({ linkId: z.uuid({ error: 'Not a link id' }) });
export const suggestionParams = itemParams.extend({ ref: z.string().max(40) });

export const suggestionDecision = z.enum(['accepted', 'dismissed'], { error: 'Choose to accept or dismiss' });

export const decideSuggestionsBody = z.object({
  // One ref may come as a string: a form with one box ticked posts it so.
  statementRefs: z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z
      .array(z.string().max(40))
      .min(1, 'Choose at least one suggested statement')
      .max(50, 'Choose at most 50 suggested statements'),
  ),
  decision: suggestionDecision,
});
export const requestParams = z.object({ id: z.string(), requestId: z.uuid({ error: 'Not a request id' }) });

// ---- Responses ----------------------------------------------------------------------------------------

export const fileJson = z.object({
  id: z.uuid(),
  name: z.string(),
  sha256: z.string(),
  size: z.number(),
  mediaType: z.string(),
  extraction: z.enum(['pending', 'done', 'failed', 'none']),
  extractionError: z.string().nullable(),
  download: z.string(),
});

export const linkJson = z.object({
  id: z.uuid(),
  kloeRef: z.string(),
  statementRef: z.string().nullable(),
  stance: z.enum(LINK_STANCES),
  quote: z.string().nullable(),
  page: z.string().nullable(),
});

export const itemJson = z.object({
  id: z.uuid(),
  assessmentId: z.uuid(),
  title: z.string(),
  kind: z.enum(EVIDENCE_KINDS),
  source: z.string().nullable(),
  evidenceDate: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
});

export const itemDetailJson = itemJson.extend({
  files: z.array(fileJson),
  links: z.array(linkJson),
  suggestions: z.array(
    z.object({
      statementRef: z.string(),
      score: z.number(),
      status: z.string(),
      /** The passage of the item that triggered it, its matching words «between guillemets». */
      passage: z.string().nullable(),
    }),
  ),
});

export const itemListQuery = pageQuery();
export const itemListJson = z.object({
  items: z.array(itemJson.extend({ files: z.number(), links: z.number() })),
  ...pageFields,
});

export const searchResultJson = z.object({
  results: z.array(
    z.object({
      itemId: z.uuid(),
      assessmentId: z.uuid(),
      assessmentTitle: z.string(),
      title: z.string(),
      kind: z.enum(EVIDENCE_KINDS),
      source: z.string().nullable(),
      evidenceDate: z.string().nullable(),
      rank: z.number(),
      fileId: z.uuid().nullable(),
      snippet: z.string().describe('Plain text; the matched words are wrapped in « and »'),
    }),
  ),
  matches: z.number().int().describe('How many items match, counted up to the cap'),
  capped: z
    .boolean()
    .describe('More items match than the cap: the results are the best of the newest `matches`; add words to narrow'),
});
