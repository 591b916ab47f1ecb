/**
 * The one text rule for everything kloe is sent: a string must be text the database can store.
 * PostgreSQL refuses a NUL character (U+0000) in text and jsonb alike, and an unpaired UTF-16 surrogate
 * is not Unicode at all (a text column silently gets U+FFFD in its place, jsonb refuses it). Either is
 * refused at the edge with a 400 naming the field, before any route or service sees the request, so
 * nothing of such a request is kept and no query ever carries it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldProblem } from '../errors.js';
import { wantsHtml } from './error-handler.js';

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (!text.isWellFormed()) {
    const lone = [...text].find((c) => c.length === 1 && /[\uD800-\uDFFF]/.test(c))!;
    const code = lone.charCodeAt(0).toString(16).toUpperCase();
    return `must not contain an unpaired surrogate (U+${code}): it is not a character`;
  }
  return undefined;
}

/** Every string inside a JSON-like value (object keys too) that cannot be stored, with its dotted path. */
export function unstorableText(value: unknown, path: string[] = [], seen = new WeakSet<object>()): FieldProblem[] {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason ? [{ field: path.join('.'), message: reason }] : [];
  }
  // Parsed bodies and query strings are trees of plain values; a file's bytes or a date holds no text.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof Date) return [];
  if (seen.has(value)) return [];
  seen.add(value);
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableText(item, [...path, String(i)], seen));
  return Object.entries(value).flatMap(([key, item]) => {
    const reason = unstorableReason(key);
    // The key itself is named with its bad character made visible, so the problem can be found.
    const shown = reason ? key.toWellFormed().replaceAll('\u0000', '\\u0000') : key;
    return [
      ...(reason ? [{ field: [...path, shown].join('.'), message: `has a name that ${reason}` }] : []),
      ...unstorableText(item, [...path, shown], seen),
    ];
  });
}

/**
 * The request's query, route parameters and body checked against the rule. API fields are named by
 * where they came from ("body.name", "querystring.q"), as schema validation names them; a page's by the
 * form field's own name, which is what its error summary links to.
 */
export function refuseUnstorableText(request: FastifyRequest, parts: Record<string, unknown>): void {
  const html = wantsHtml(request);
  const problems = Object.entries(parts).flatMap(([where, value]) => unstorableText(value, html ? [] : [where]));
  if (problems.length === 0) return;
  const first = problems[0]!;
  throw new AppError('unstorable_text', 400, `${first.field || 'The request'} ${first.message}`, problems);
}

/**
 * Before validation, after the access check: a caller who may not use the route learns nothing, and no
 * later hook (such as the assessment visibility check, which queries by the route's :id) sees bad text.
 * Multipart fields are parsed later, in their upload scope, which applies the same rule to them.
 */
export function registerStorableTextRule(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    refuseUnstorableText(request, { params: request.params, querystring: request.query, body: request.body });
  });
}
