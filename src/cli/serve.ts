import cluster from 'node:cluster';
import type { Command } from 'commander';
import type { Writable } from 'node:stream';
import type { CliContext } from './context.js';
import { buildApp, type App } from '../app.js';
import { serveBackups } from '../backup/backup-socket.js';
import { writeBackup } from '../backup/write-backup.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/client.js';
import type { DatabaseHandle } from '../db/database.js';
import { loggableError } from '../db/loggable-error.js';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../modules/accounts/index.js';
import { prepareDatabase, type StartupReport } from '../startup.js';
import { CliError } from './errors.js';
import { stopOnSignals } from './graceful-shutdown.js';
import { serveWithWorkers } from './serve-workers.js';

export function registerServeCommand(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('migrate the database, load the built-in frameworks (and demo data on first run) and serve kloe')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = loadConfig({
        ...cli.env,
        PORT: options.port ?? cli.env.PORT,
        HOST: options.host ?? cli.env.HOST,
      });
      if (cluster.isWorker) {
        await listen(config, { prepare: false });
      } else if (config.workers > 1) {
        await serveWithWorkers(config, (started) => announce(cli.stdout, config, started));
      } else {
        const { report, port, databaseLabel } = await listen(config, { prepare: true });
        announce(cli.stdout, config, { report: report!, port, databaseLabel });
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
    await serveOnlineBackups(app, database, config);
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

/**
 * The embedded database can be read only by this process while it serves: `kloe backup` asks it for a backup
 * on the data folder's socket (src/backup/backup-socket.ts), closed with the app.
 */
async function serveOnlineBackups(app: App, database: DatabaseHandle, config: Config): Promise<void> {
  if (!database.dumpDataDir) return;
  const dumpDatabase = database.dumpDataDir.bind(database);
  try {
    const socket = await serveBackups(
      config.dataDir,
      (out) => writeBackup({ dumpDatabase, evidenceDir: config.evidence.dir }, out),
      (error) => app.log.error({ err: loggableError(error) }, 'online backup failed'),
    );
    app.addHook('onClose', () => socket.close());
  } catch (error) {
    // A socket path longer than the system allows (about 100 characters) is the likely cause.
    app.log.warn({ err: error }, 'online backups unavailable: kloe backup works only while kloe is stopped');
  }
}

export interface Started {
  report: StartupReport;
  port: number;
  /** The driver and where the database is, without credentials. */
  databaseLabel: string;
}

/** What a person starting kloe in a terminal needs to know: where it is and how to get in. */
function announce(out: Writable, config: Config, { report, port, databaseLabel }: Started): void {
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const processes = config.workers > 1 ? `, ${config.workers} worker processes` : '';
  out.write(
    `kloe is running at http://${shownHost}:${port} (database: ${databaseLabel}${processes}); press Ctrl+C to stop\n`,
  );
  if (report.firstRun?.kind === 'link') {
    out.write(
      `First run: set up the administrator's email address and password at ${report.firstRun.url} (one use, valid 24 hours)\n`,
    );
  } else if (report.firstRun?.kind === 'created') {
    out.write(`First run: administrator ${report.firstRun.email} created from KLOE_ADMIN_EMAIL\n`);
  }
  if (report.demo) {
    out.write(
      `Demo data loaded: sign in as ${DEMO_PEOPLE.map((p) => p.email).join(', ')} with the password ${DEMO_PASSWORD}\n`,
    );
  }
}
