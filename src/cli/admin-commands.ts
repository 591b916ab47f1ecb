import type { Command } from 'commander';
import { demoParts } from '../demo-parts.js';
import { createDemoService, DemoRefusedError } from '../modules/demo/index.js';
import { createFrameworksService } from '../modules/frameworks/index.js';
import { recomputeBehind } from '../modules/indicators/index.js';
import type { CliContext } from './context.js';

export function registerAdminCommands(program: Command, cli: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      await cli.withDatabase(async (database) => {
        cli.stdout.write(`Database is up to date (${database.driver} ${database.location})\n`);
      });
    });

  program
    .command('demo')
    .description('demo data for trying kloe out (never in production)')
    .command('load')
    .description('add the demo organisations, people and assessments (safe to run again)')
    .action(async () => {
      // Refused before the database is opened: opening it would migrate a production database as a side effect.
      if (cli.config().env === 'production') throw new DemoRefusedError();
      const summary = await cli.withDatabase(async (database, config) => {
        // The demo's assessments use the built-in framework: on a new database it is loaded first, as `serve` does.
        await createFrameworksService({ db: database.db }).ensureBuiltins();
        const loaded = await createDemoService({
          db: database.db,
          parts: demoParts,
          production: config.env === 'production',
        }).load();
        await recomputeBehind(database);
        return loaded;
      });
      const lines = Object.entries(summary).map(([module, what]) => `  ${module}: ${what}\n`);
      cli.stdout.write(
        `Demo data loaded${lines.length ? ':\n' + lines.join('') : ' (no module has demo records yet)\n'}`,
      );
    });
}
