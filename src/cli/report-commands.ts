/**
 * `kloe report ASSESSMENT --format html|docx|pdf|json|csv [--template ID] -o FILE`: the report of one
 * assessment, as a file; with --template, the Word report filled into that custom template.
 */
import fs from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { isUuid } from '../db/ids.js';
import { createPdfPrinter } from '../modules/reports/index.js';
import type { ReportFormat } from '../modules/reports/index.js';
import { createViewEnvironment } from '../web/nunjucks.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

/** Acts as the system, as a person running kloe on the server does. */
const CLI = { kind: 'system', label: 'cli' } as const;

const STEPS: Record<string, string> = {
  pdf: 'printing the report to PDF with chromium',
  docx: 'writing the Word document',
  template: 'filling the report template',
  html: 'writing the HTML document',
};

export function registerReportCommands(program: Command, cli: CliContext): void {
  program
    .command('report')
    .description(
      'write the report of an assessment to a file: the HTML report, a Word document, an accessible PDF, the kloe-assessment/1 JSON, or a CSV table. A published assessment’s report is stored when first made and the same file is written every time.',
    )
    .argument('<assessment>', 'the assessment id')
    .addOption(
      new Option('--format <format>', 'what to write')
        .choices(['html', 'docx', 'pdf', 'json', 'csv'])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--table <table>', 'with --format csv: which table')
        .choices(['ratings', 'findings'])
        .default('ratings'),
    )
    .option(
      '--template <id>',
      'with --format docx: fill this custom report template (shared, or of the assessment’s organisation) instead of the built-in one',
    )
    .requiredOption('-o, --output <file>', 'the file to write')
    .action(async (id: string, options: { format: string; table: string; output: string; template?: string }) => {
      if (!isUuid(id)) throw new CliError(`"${id}" is not an assessment id`);
      if (options.template !== undefined && !isUuid(options.template)) {
        throw new CliError(`"${options.template}" is not a template id`);
      }
      const format = (options.format === 'csv' ? `${options.table}.csv` : options.format) as ReportFormat;
      const progress = (line: string) => cli.stderr.write(`${line}\n`);
      const started = performance.now();
      await cli.withDatabase(async ({ db }) => {
        // Loaded here, not at start: every other command would pay for the report renderers.
        const { createReportsService } = await import('../modules/reports/reports.service.js');
        const { reportSources } = await import('../report-sources.js');
        const { createTemplateRenderer } = await import('../modules/reports/template-renderer.js');
        const printer = createPdfPrinter({ chromiumPath: cli.config().reports.chromiumPath, queueSize: 1 });
        const reports = createReportsService({
          db,
          views: createViewEnvironment(),
          sources: reportSources(db),
          printer,
          renderer: createTemplateRenderer(),
        });
        progress(
          `kloe report: reading assessment ${id}, then ${STEPS[options.template ? 'template' : format] ?? `writing the ${format} file`}…`,
        );
        const file = await reports.file(CLI, id, format, { template: options.template }).finally(() => printer.close());
        try {
          await fs.writeFile(options.output, file.bytes);
        } catch (error) {
          throw new CliError(
            `cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          );
        }
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        progress(
          `kloe report: wrote ${options.output} (${(file.bytes.length / 1024).toFixed(0)} KiB, ${file.stored ? 'stored published report' : 'draft'}, SHA-256 ${file.sha256}) in ${seconds} s`,
        );
      });
    });
}
