/**
 * `kloe serve` with KLOE_WORKERS above 1 (PostgreSQL only): this process migrates and seeds the database
 * once, then starts that many worker processes that share the port (node:cluster hands out connections),
 * so one server uses every core. A worker that dies is replaced; Ctrl+C or SIGTERM stops them all.
 * State that lives in one process (the sign-in rate limit, the framework cache) is per worker.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';
import { openDatabase } from '../db/client.js';
import { prepareDatabase } from '../startup.js';
import { CliError } from './errors.js';
import type { Started } from './serve.js';

export async function serveWithWorkers(config: Config, announce: (started: Started) => void): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let report;
  const databaseLabel = `${database.driver} ${database.location}`;
  try {
    report = await prepareDatabase(database, config);
  } finally {
    await database.close();
  }

  let running = false; // replace workers only once all have started, and not while stopping
  const start = (): Worker => cluster.fork();
  const workers = Array.from({ length: config.workers }, start);
  cluster.on('exit', (worker, code, signal) => {
    if (!running) return;
    process.stderr.write(
      `kloe: worker ${worker.process.pid} stopped (${signal ?? `exit ${code}`}); starting another\n`,
    );
    start();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let listening = 0;
    for (const worker of workers) {
      // A worker that cannot start (port taken, database gone) fails the whole start, with its message.
      worker.once('exit', (code) => {
        if (listening < workers.length) reject(new CliError(`a worker process failed to start (exit ${code})`));
      });
      worker.once('listening', (address) => {
        listening += 1;
        if (listening === workers.length) resolve(address.port);
      });
    }
  }).catch((error: unknown) => {
    stopAll();
    throw error;
  });
  running = true;
  announce({ report, port, databaseLabel });
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);

  function stopAll() {
    running = false;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  }
}
