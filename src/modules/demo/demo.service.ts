/**
 * Demo data: each module contributes a part that adds its own fictional records, so that a
 * newcomer lands in a living system. Demo parts must be idempotent (they look for their records by
 * natural key first), because `kloe demo load` may run again on a database that has them.
 */
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { demoLoads } from './demo.tables.js';

export interface DemoPart {
  /** The module it belongs to, e.g. "organisations". */
  module: string;
  /** Adds the module's demo records (in the given transaction) and says what it added, in a few words. */
  load(db: Database): Promise<string>;
}

export class DemoRefusedError extends AppError {
  constructor() {
    super('demo_refused_in_production', 409, 'Demo data is never loaded when NODE_ENV=production');
  }
}

export function createDemoService(deps: { db: Database; parts: readonly DemoPart[]; production: boolean }) {
  const { db, parts, production } = deps;

  async function load(): Promise<Record<string, string>> {
    if (production) throw new DemoRefusedError();
    return db.transaction(async (tx) => {
      const summary: Record<string, string> = {};
      for (const part of parts) summary[part.module] = await part.load(tx);
      await tx.insert(demoLoads).values({ summary });
      return summary;
    });
  }

  return {
    load,
    /** On a database that has never had demo data (and outside production), loads it. */
    async loadOnFirstRun(): Promise<Record<string, string> | undefined> {
      if (production) return undefined;
      const [any] = await db.select({ id: demoLoads.id }).from(demoLoads).limit(1);
      return any ? undefined : load();
    },
  };
}
