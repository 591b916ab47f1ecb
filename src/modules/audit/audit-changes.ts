/**
 * What an audit entry changed, for people: before and after flattened to fields ("organisation.name"),
 * and only the fields whose values differ, each as old → new text.
 */
import { canonicalJson } from './audit-chain.js';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** Shown for a field that has no value on one side (a record created, deleted, or a field added). */
export const NO_VALUE = '(none)';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Leaf values by dotted path; a value that is not an object is one field called "value". */
function fieldsOf(value: unknown, path = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) fieldsOf(inner, path ? `${path}.${key}` : key, into);
  } else if (path || (value !== null && value !== undefined)) {
    into.set(path || 'value', value);
  }
  return into;
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return NO_VALUE;
  if (value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null)) {
    return value.length === 0 ? '(empty list)' : value.map(formatValue).join(', ');
  }
  if (typeof value === 'object') return canonicalJson(value);
  return String(value);
}

export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const old = fieldsOf(before);
  const now = fieldsOf(after);
  const changes: FieldChange[] = [];
  for (const field of new Set([...old.keys(), ...now.keys()])) {
    const [b, a] = [old.get(field), now.get(field)];
    if (canonicalJson(b) !== canonicalJson(a)) changes.push({ field, before: formatValue(b), after: formatValue(a) });
  }
  return changes;
}
