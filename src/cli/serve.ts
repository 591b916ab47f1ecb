import cluster from 'node:cluster';
import type { Command } from 'commander';
import { buildApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/client.js';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../modules/accounts/accounts.demo.js';
import { prepareDatabase, type StartupReport } from '../startup.js';
import { CliError } from './errors.js';
import { stopOnSignals } from './graceful-shutdown.js';
import { serveWithWorkers } from './serve-workers.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('migrate the database, load the built-in frameworks (and demo data on first run) and serve kloe')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = loadConfig({
        ...process.env,
        PORT: options.port ?? process.env.PORT,
        HOST: options.host ?? process.env.HOST,
      });
      if (cluster.isWorker) {
        await listen(config, { prepare: false });
      } else if (config.workers > 1) {
        await serveWithWorkers(config, (started) => announce(config, started));
      } else {
        const { report, port, databaseLabel } = await listen(config, { prepare: true });
        announce(config, { report: report!, port, databaseLabel });
      }
    });
}

/** Opens the database, builds the app and listens; `prepare` migrates and seeds first (one process does). */
async function listen(config: Config, options: { prepare: boolean }) {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let app;
  let report: StartupReport | undefined;
  try {
    if (options.prepare) report = await prepareDatabase(database, config);
    app = await buildApp({ config, database });
    for (const f of report?.frameworks.filter((f) => f.status === 'created') ?? []) {
      app.log.info(`loaded built-in framework ${f.id} as version ${f.version}`);
    }
    if (report?.demo && Object.keys(report.demo).length > 0)
      app.log.info({ demo: report.demo }, 'loaded demo data (first run)');
    app.server.keepAliveTimeout = config.keepAliveSeconds * 1000;
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app?.close();
    await database.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`port ${config.port} is already in use; set PORT to another port`);
    }
    throw error;
  }
  stopOnSignals(app, database, { timeoutSeconds: config.shutdownSeconds });
  const address = app.server.address();
  return {
    report,
    port: typeof address === 'object' && address ? address.port : config.port,
    databaseLabel: `${database.driver} ${database.location}`,
  };
}

export interface Started {
  report: StartupReport;
  port: number;
  /** The driver and where the database is, without credentials. */
  databaseLabel: string;
}

/** What a person starting kloe in a terminal needs to know: where it is and how to get in. */
function announce(config: Config, { report, port, databaseLabel }: Started): void {
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const processes = config.workers > 1 ? `, ${config.workers} worker processes` : '';
  process.stdout.write(
    `kloe is running at http://${shownHost}:${port} (database: ${databaseLabel}${processes}); press Ctrl+C to stop\n`,
  );
  if (report.firstRun?.kind === 'link') {
    process.stdout.write(
      `First run: set up the administrator's email address and password at ${report.firstRun.url} (one use, valid 24 hours)\n`,
    );
  } else if (report.firstRun?.kind === 'created') {
    process.stdout.write(`First run: administrator ${report.firstRun.email} created from KLOE_ADMIN_EMAIL\n`);
  }
  if (report.demo) {
    process.stdout.write(
      `Demo data loaded: sign in as ${DEMO_PEOPLE.map((p) => p.email).join(', ')} with the password ${DEMO_PASSWORD}\n`,
    );
  }
}
