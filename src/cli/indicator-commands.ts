/** kloe indicators …: define indicators, import values with a progress bar, recompute the results. */
import fs from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../errors.js';
import type { ImportStage } from '../modules/indicators/index.js';
import { recompute, setTrendWindow, WINDOW_LIMITS, type RecomputeOutcome } from '../modules/indicators/index.js';
import { indicatorInput } from '../modules/indicators/index.js';
import { createIndicatorsService } from '../modules/indicators/index.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

const CLI = { kind: 'system', label: 'cli' } as const;

const windowLength = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < WINDOW_LIMITS.min || n > WINDOW_LIMITS.max)
    throw new InvalidArgumentError(`must be a whole number from ${WINDOW_LIMITS.min} to ${WINDOW_LIMITS.max}`);
  return n;
};

/** One line per indicator whose recompute failed (its previous results stay, and the next start retries it). */
function reportFailures(cli: CliContext, outcome: RecomputeOutcome | undefined): void {
  for (const failure of outcome?.failed ?? [])
    cli.stderr.write(`kloe: indicator ${failure.code} could not be recomputed: ${failure.message}\n`);
}

const STAGE_LABELS: Record<ImportStage, string> = {
  reading: 'Reading',
  checking: 'Checking',
  writing: 'Writing',
  recomputing: 'Recomputing',
};

export function registerIndicatorCommands(program: Command, cli: CliContext): void {
  const indicators = program.command('indicators').description('performance indicators: define, import, recompute');

  indicators
    .command('define')
    .description('define an indicator')
    .argument('<code>', 'the code imports name it by, e.g. HR-01')
    .requiredOption('--title <title>', 'what is measured')
    .requiredOption('--unit <unit>', 'e.g. %, days, £ per home')
    .requiredOption('--polarity <polarity>', 'higher, lower or target')
    .option('--target <number>', 'the target, when polarity is target', Number)
    .requiredOption('--category <category>', 'performance, cost, satisfaction or context')
    .requiredOption('--service-area <area>', 'e.g. Housing repairs')
    .option('--period-type <type>', 'financial_year, calendar_year or quarter', 'financial_year')
    .action(async (code: string, options: Record<string, string | number | undefined>) => {
      const parsed = indicatorInput.safeParse({ code, ...options, target: options.target ?? null });
      if (!parsed.success)
        throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const row = await cli.withDatabase(({ db, driver }) =>
        createIndicatorsService({ database: { db, driver } }).createIndicator(CLI, parsed.data),
      );
      cli.stdout.write(`defined ${row.code}: ${row.title}\n`);
    });

  indicators
    .command('import')
    .description('import values from a CSV or XLSX file (all or nothing; every bad row is listed)')
    .argument('<file>', 'organisation_code, indicator_code, period, value[, quality] — one value per row')
    .option('--json', 'print the outcome as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      let buffer: Buffer;
      try {
        buffer = await fs.readFile(file);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const bar = new cliProgress.SingleBar(
        { format: '{stage} [{bar}] {value}/{total}', stream: cli.stderr, noTTYOutput: false },
        cliProgress.Presets.shades_classic,
      );
      let stage: ImportStage | undefined;
      const outcome = await cli
        .withDatabase(async (database) => {
          try {
            return await createIndicatorsService({ database }).importFile(CLI, buffer, (next, done, total) => {
              if (next !== stage) {
                if (stage) bar.stop();
                stage = next;
                bar.start(total, done, { stage: STAGE_LABELS[next] });
              } else bar.update(done);
            });
          } finally {
            bar.stop();
          }
        })
        .catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'indicator_import_invalid')
            throw new AppError(error.code, error.status, `${file}: ${error.message}`, [
              { field: '', message: '' },
              ...error.problems,
            ]);
          throw error;
        });
      reportFailures(cli, outcome.recompute);
      if (options.json) return cli.printJson(outcome);
      cli.stdout.write(
        `imported ${outcome.rows} rows: ${outcome.added} added, ${outcome.changed} changed, ${outcome.unchanged} unchanged` +
          (outcome.recompute
            ? `; recomputed ${outcome.recompute.indicators} indicators in ${outcome.recompute.durationMs} ms\n`
            : '\n'),
      );
    });

  indicators
    .command('recompute')
    .description('recompute quartiles, ranks and directions of travel for every indicator')
    .option(
      '--window <periods>',
      'change the trend window (the periods in the direction of travel; stored, audited, 3 at first)',
      windowLength,
    )
    .action(async (options: { window?: number }) => {
      const outcome = await cli.withDatabase(async (database) => {
        if (options.window !== undefined) await setTrendWindow(database.db, options.window, CLI);
        return recompute(database);
      });
      reportFailures(cli, outcome);
      cli.stdout.write(
        `recomputed ${outcome.indicators} indicators over ${outcome.window} periods in ${outcome.durationMs} ms\n`,
      );
      if (outcome.failed.length > 0) cli.exitCode = 1;
    });
}
