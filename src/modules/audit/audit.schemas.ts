/**
 * Request and response schemas of the audit routes. The filter schema is shared by the API (as its
 * querystring) and the audit page's filter form, so both accept and refuse the same input.
 */
import { z } from 'zod';
import { pageFields, pageQuery } from '../../api/index.js';
import type { AuditEntryRow } from './audit.repository.js';

export const AUDIT_PAGE_SIZE = 50;

const filterText = (description: string) =>
  z.string().trim().min(1).max(200, 'must be 200 characters or fewer').optional().describe(description);

const ukDate = (name: 'from' | 'to', description: string) =>
  z.iso
    .date({ error: `Enter a real ‘${name}’ date as year-month-day, for example 2026-03-31` })
    .optional()
    .describe(description);

const auditFilterFields = {
  actorId: filterText('Only entries made by this user id'),
  q: filterText('Only entries whose actor (name and email address) contains this text, in any case'),
  action: filterText('Only this action, e.g. user.role_changed'),
  entityType: filterText('Only entries about records of this type, e.g. user'),
  entityId: filterText('Only entries about the record with this id'),
  from: ukDate('from', 'Only entries on or after this UK date (YYYY-MM-DD)'),
  to: ukDate('to', 'Only entries on or before this UK date (YYYY-MM-DD)'),
};

const datesInOrder: [(q: { from?: string | undefined; to?: string | undefined }) => boolean, z.core.$ZodCustomParams] =
  [
    (q) => q.from === undefined || q.to === undefined || q.from <= q.to,
    { path: ['to'], message: 'The ‘to’ date must be the same as or after the ‘from’ date' },
  ];

/** The audit page's filter form. */
export const auditFilterQuery = z
  .object({
    ...auditFilterFields,
    page: z.coerce.number().int().positive().default(1).describe(`Page of ${AUDIT_PAGE_SIZE} entries, newest first`),
  })
  .refine(...datesInOrder);

/** The API's: the same filters, paged as every API list is (limit and offset). */
export const auditApiQuery = z
  .object({ ...auditFilterFields, ...pageQuery({ defaultLimit: AUDIT_PAGE_SIZE }).shape })
  .refine(...datesInOrder);

export type AuditFilterQuery = z.infer<typeof auditFilterQuery>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  actorId: z.string().nullable().describe('User id, or null for the system'),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown().describe('The record before the change (JSON), or null'),
  after: z.unknown().describe('The record after the change (JSON), or null'),
  reason: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string().describe('SHA-256 over prevHash and the canonical JSON of the entry'),
});

export const auditListResponse = z.object({ entries: z.array(auditEntrySchema), ...pageFields });

const chainProblem = z.object({
  entryId: z.number().int(),
  kind: z.enum(['edited', 'deleted']),
  message: z.string(),
});

export const chainVerificationResponse = z.object({
  ok: z.boolean(),
  checked: z.number().int().describe('Entries checked: every entry, whatever was found'),
  problems: z.array(chainProblem).describe('Every entry found edited or deleted, in chain order'),
  problem: chainProblem.optional().describe('The first problem found, when the chain is broken'),
  head: z
    .object({ entryId: z.number().int(), hash: z.string() })
    .optional()
    .describe(
      'The newest entry of an intact chain: keep it elsewhere to check later that nothing up to it was deleted',
    ),
});

/** An entry as JSON, for the API and `kloe audit list --json`. */
export function entryJson(row: AuditEntryRow): z.infer<typeof auditEntrySchema> {
  return { ...row, at: row.at.toISOString() };
}
