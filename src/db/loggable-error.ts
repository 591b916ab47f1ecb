/**
 * Database errors fit for a log line: the statement and what went wrong, never the values it ran with.
 * Drizzle's DrizzleQueryError carries every parameter (its message lists them: emails, token hashes,
 * whole notes), and the driver's error can quote them back (its detail, "Failing row contains (…)" or
 * "Key (email)=(…)"; some messages quote the value that failed to parse). What is kept: the SQL text
 * with its $1 placeholders, the SQLSTATE code, the constraint, table and column names, and the
 * driver's message with any parameter value in it replaced.
 */
import { DrizzleQueryError } from 'drizzle-orm';

/** The fields of a PostgreSQL error (pg's and PGlite's alike) that name things rather than quote values. */
interface DriverError {
  message?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

export class DatabaseQueryError extends Error {
  override name = 'DatabaseQueryError';
  constructor(
    message: string,
    readonly statement: string,
    readonly code: string | undefined,
    readonly constraint: string | undefined,
    readonly table: string | undefined,
    readonly column: string | undefined,
  ) {
    super(message);
  }
}

function queryErrorIn(error: unknown): DrizzleQueryError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DrizzleQueryError) return e;
  }
  return undefined;
}

/** `error` itself, unless it is (or wraps) a failed query: then a DatabaseQueryError without the parameters. */
export function loggableError(error: unknown): unknown {
  const failed = queryErrorIn(error);
  if (!failed) return error;
  const driver = (failed.cause ?? {}) as DriverError;
  // Longest first, so that a value containing a shorter one is replaced whole.
  const values = failed.params
    .map((p) => (typeof p === 'string' ? p : (JSON.stringify(p) ?? '')))
    .filter((p) => p.length > 1)
    .sort((a, b) => b.length - a.length);
  const withoutValues = values.reduce(
    (text, value) => text.replaceAll(value, '[parameter]'),
    driver.message ?? 'the query failed',
  );
  const safe = new DatabaseQueryError(
    `${withoutValues} (statement: ${failed.query})`,
    failed.query,
    driver.code,
    driver.constraint,
    driver.table,
    driver.column,
  );
  // Where it was run from, without the original first line (which lists the parameters).
  safe.stack = [
    `${safe.name}: ${safe.message}`,
    ...(failed.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)),
  ].join('\n');
  return safe;
}
