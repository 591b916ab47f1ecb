/**
 * The hash chain of the audit trail, pure. An entry's hash is SHA-256 over the previous entry's hash
 * and a canonical JSON of the entry's content: the form the database keeps, so that what is hashed is
 * exactly what is stored and read back. Keys are sorted at every depth (jsonb has its own key order),
 * and every string is well-formed Unicode (a text column keeps U+FFFD for an unpaired surrogate).
 * The first entry chains from GENESIS.
 */
import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export interface ChainedContent {
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

/** JSON with object keys sorted at every depth, strings well-formed; undefined normalised to null. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.toWellFormed(), v] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(typeof value === 'string' ? value.toWellFormed() : value);
}

/** A value as the database will keep it: every string (and key) well-formed, as canonicalJson hashes it. */
export function storedForm<T>(value: T): T {
  if (typeof value === 'string') return value.toWellFormed() as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(storedForm) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toWellFormed(), storedForm(v)])) as T;
}

export function chainHash(prevHash: string, content: ChainedContent): string {
  const body = canonicalJson({ ...content, at: content.at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
