/**
 * Embedded test databases handed back by the file that finished with them, emptied to their migrated state
 * for the next file of the same worker (Vitest keeps an integration worker's modules from file to file).
 * Loading the migrated dump into a new PGlite costs several times more than emptying its tables, and nearly
 * every integration file makes one. A database whose tables or columns no longer match the migrated ones
 * (a test changed the schema) is closed rather than handed on.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../database.js';

/** Tables whose rows are the migrations' bookkeeping, the same in every migrated database: never emptied. */
const BOOKKEEPING = new Set(['drizzle.__drizzle_migrations', 'pgboss.version']);

interface MigratedState {
  /** Every table's and column's name, to tell a database whose schema a test changed. */
  schema: string;
  /** The tables emptied between files. */
  tables: string[];
  /** Rows the migrations put in tables other than their bookkeeping (settings' single rows), by table. */
  rows: Map<string, unknown[]>;
}

async function rowsOf<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function schemaOf(db: Database): Promise<string> {
  const [row] = await rowsOf<{ schema: string }>(
    db,
    sql`select string_agg(table_schema || '.' || table_name || '.' || column_name, ',' order by table_schema, table_name, column_name) as schema
        from information_schema.columns where table_schema not in ('pg_catalog', 'information_schema')`,
  );
  return row!.schema;
}

/** Reads what a database holds just after its migrations: taken once, from the first database made. */
async function migratedStateOf(db: Database): Promise<MigratedState> {
  const names = (
    await rowsOf<{ name: string }>(
      db,
      sql`select quote_ident(table_schema) || '.' || quote_ident(table_name) as name from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    )
  )
    .map((r) => r.name)
    .filter((name) => !BOOKKEEPING.has(name));
  const rows = new Map<string, unknown[]>();
  for (const name of names) {
    const [row] = await rowsOf<{ rows: unknown[] | null }>(db, sql.raw(`select json_agg(t) as rows from ${name} t`));
    if (row?.rows) rows.set(name, row.rows);
  }
  return { schema: await schemaOf(db), tables: names, rows };
}

/** Empties every table but the bookkeeping, puts back the migrations' own rows, and ends session state. */
async function empty(db: Database, state: MigratedState): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`truncate ${state.tables.join(', ')} restart identity cascade`));
    for (const [name, rows] of state.rows) {
      await tx.execute(
        sql`insert into ${sql.raw(name)} select * from json_populate_recordset(null::${sql.raw(name)}, ${JSON.stringify(rows)})`,
      );
    }
  });
  // Settings a test changed for the session, advisory locks it left held, listeners.
  await db.execute(sql`discard all`);
}

/**
 * A shelf of emptied databases of one kind. `take` gives one back or undefined; `give` empties a database and
 * keeps it, or closes it when it cannot be used again.
 */
export function reusableDatabases<T extends { db: Database; close(): Promise<void> }>() {
  const shelf: T[] = [];
  let migrated: Promise<MigratedState> | undefined;
  return {
    /** Called with every new database before it is used: the first one tells the migrated state. */
    async note(database: T): Promise<void> {
      migrated ??= migratedStateOf(database.db);
      await migrated;
    },
    take(): T | undefined {
      return shelf.pop();
    },
    async give(database: T): Promise<void> {
      try {
        const state = await migrated!;
        await empty(database.db, state);
        if ((await schemaOf(database.db)) !== state.schema) throw new Error('schema changed');
        shelf.push(database);
      } catch {
        await database.close();
      }
    },
  };
}
