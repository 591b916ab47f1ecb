/**
 * The job queue's tables (pg-boss's own schema, `pgboss`), made with the migrations rather than at the
 * first start, so that a migrated database (and the tests' migrated copy) is ready to take jobs at once.
 * pg-boss brings its schema up to date itself when a newer version of it starts.
 */
import { getConstructionPlans } from 'pg-boss';

export const JOB_SCHEMA = 'pgboss';

/** Statements that say whether the schema is there yet (one row, `installed`). */
export const JOB_SCHEMA_PRESENT = `select exists (select from pg_namespace where nspname = '${JOB_SCHEMA}') as installed`;

/**
 * Makes the schema unless it is there. `query` runs one statement; `exec` runs several without parameters.
 * Callers serialise concurrent migrations (PostgreSQL: the migration lock; PGlite: one process).
 */
export async function installJobSchema(run: {
  query(text: string): Promise<{ rows: { installed: boolean }[] }>;
  exec(text: string): Promise<unknown>;
}): Promise<void> {
  const { rows } = await run.query(JOB_SCHEMA_PRESENT);
  if (rows[0]?.installed) return;
  await run.exec(getConstructionPlans(JOB_SCHEMA));
}
