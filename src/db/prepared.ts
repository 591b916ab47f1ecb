/**
 * Queries on the pages' hot path, built once per database handle instead of on every call: building a
 * query in drizzle is a noticeable share of a page's CPU when the page's data is small. On PostgreSQL
 * the name also makes it a server-side prepared statement on each pooled connection.
 */
import type { Database } from './database.js';

const built = new WeakMap<Database, Map<string, unknown>>();

/** The query `build` makes for `db`, made on first use; `name` must be unique per query text. */
export function preparedOnce<T>(db: Database, name: string, build: (db: Database) => T): T {
  let byName = built.get(db);
  if (!byName) {
    byName = new Map();
    built.set(db, byName);
  }
  let query = byName.get(name) as T | undefined;
  if (query === undefined) {
    query = build(db);
    byName.set(name, query);
  }
  return query;
}
