/**
 * What every start does to a database before serving: built-in frameworks in, demo data on first run (KLOE_DEMO),
 * indicator imports a crash interrupted finished or discarded, the first administrator. Indicator results left
 * behind their values are recomputed by a job the server asks for once it is ready (src/app.ts), so a start
 * never waits for a recompute.
 */
import { defaultDemo, type Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { createAccountsService } from './modules/accounts/index.js';
import { createFirstRunService, type FirstRunOutcome } from './modules/accounts/index.js';
import { demoParts } from './demo-parts.js';
import { createDemoService } from './modules/demo/index.js';
import { createFrameworksService } from './modules/frameworks/index.js';
import { settleInterruptedImports } from './modules/indicators/index.js';

export interface StartupReport {
  frameworks: { id: string; version: number; status: 'created' | 'unchanged' }[];
  demo: Record<string, string> | undefined;
  /** Set when this start made the first administrator. */
  firstRun: FirstRunOutcome | undefined;
}

export async function prepareDatabase(
  database: DatabaseHandle,
  config: Pick<Config, 'env' | 'admin' | 'baseUrl'> & Partial<Pick<Config, 'demo'>>,
  /** demo: false leaves the demo out on a first run too (tests that make their own records). */
  options: { demo?: boolean } = {},
): Promise<StartupReport> {
  // Nodes starting together take turns: the first loads frameworks, demo and administrator, the others find them.
  const prepare = () => prepareNow(database, config, options);
  return database.exclusively ? database.exclusively(prepare) : prepare();
}

async function prepareNow(
  database: DatabaseHandle,
  config: Parameters<typeof prepareDatabase>[1],
  options: { demo?: boolean },
): Promise<StartupReport> {
  const outcomes = await createFrameworksService({ db: database.db }).ensureBuiltins();
  const demoService = createDemoService({
    db: database.db,
    parts: demoParts,
    production: config.env === 'production',
  });
  const demoWanted = options.demo !== false && (config.demo ?? defaultDemo(config.env)) === 'first-run';
  const demo = demoWanted ? await demoService.loadOnFirstRun() : undefined;
  await settleInterruptedImports(database.db);
  const accounts = createAccountsService({ db: database.db });
  const firstRun = await createFirstRunService({ db: database.db, accounts, config }).ensureAdministrator();
  return { frameworks: outcomes.map(({ id, version, status }) => ({ id, version, status })), demo, firstRun };
}
