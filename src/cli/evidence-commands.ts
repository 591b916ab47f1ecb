/** `kloe evidence add|list|search`: evidence from the server's command line, acting as the system. */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { isUuid } from '../db/ids.js';
import { uploadFromFile } from '../files/upload-files.js';
import { createEvidenceStorage } from '../modules/evidence/index.js';
import { EVIDENCE_KIND_LABELS, itemBody, searchQuery } from '../modules/evidence/index.js';
import { cappedNote, plainSnippet, searchToJson } from '../modules/evidence/index.js';
import { createEvidenceService } from '../modules/evidence/index.js';
import { EVIDENCE_KINDS } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';

const CLI = { kind: 'system', label: 'cli' } as const;
const kindOption = () => new Option('--kind <kind>', 'the kind of evidence').choices(EVIDENCE_KINDS);

function assessmentId(value: string): string {
  if (!isUuid(value)) throw new CliError(`"${value}" is not an assessment id`);
  return value;
}

function serviceFor(db: Database, config: Config) {
  return createEvidenceService({ db, storage: createEvidenceStorage(config.evidence), limits: config.evidence });
}

/** A refusal naming each problem on one line. */
function oneLine(error: unknown): never {
  if (error instanceof AppError && error.problems.length > 0) {
    throw new CliError(error.problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
  throw error;
}

export function registerEvidenceCommands(program: Command, cli: CliContext): void {
  const evidence = program.command('evidence').description('evidence items of assessments: add, list, search');

  evidence
    .command('add')
    .description('add an evidence item to an assessment, with any files (their text is extracted for search)')
    .argument('<assessment-id>', 'the assessment')
    .argument('[files...]', 'files to attach: PDF, DOCX, XLSX, CSV, TXT, PNG or JPEG')
    .requiredOption('--title <title>', 'what the evidence is')
    .addOption(kindOption().makeOptionMandatory())
    .option('--source <source>', 'who provided it')
    .option('--date <yyyy-mm-dd>', 'the date the evidence is about')
    .option('--notes <text>', 'notes (e.g. of an interview)')
    .option('--json', 'print the item as JSON')
    .action(
      async (
        rawId: string,
        files: string[],
        options: { title: string; kind: string; source?: string; date?: string; notes?: string; json?: boolean },
      ) => {
        const id = assessmentId(rawId);
        const input = itemBody.safeParse({
          title: options.title,
          kind: options.kind,
          source: options.source,
          evidenceDate: options.date,
          notes: options.notes,
        });
        if (!input.success)
          throw new CliError(input.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
        const uploads = await Promise.all(
          files.map(async (file) => {
            try {
              return await uploadFromFile(file, path.basename(file));
            } catch (error) {
              throw new CliError(
                `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
              );
            }
          }),
        );
        await cli.withDatabase(async ({ db }, config) => {
          const service = serviceFor(db, config);
          const item = await service.create(CLI, id, input.data, uploads).catch(oneLine);
          await service.extractionIdle();
          const detail = await service.get(CLI, id, item.id);
          if (options.json) {
            return cli.printJson({
              id: item.id,
              title: item.title,
              kind: item.kind,
              files: detail.files.map((f) => ({ name: f.fileName, sha256: f.sha256, extraction: f.extractionStatus })),
            });
          }
          cli.stdout.write(`${item.id}\t${item.title}\n`);
          for (const f of detail.files) cli.stdout.write(`  ${f.fileName}\t${f.sha256}\t${f.extractionStatus}\n`);
        });
      },
    );

  evidence
    .command('list')
    .description('list the evidence items of an assessment, newest first')
    .argument('<assessment-id>', 'the assessment')
    .option('--json', 'print as JSON')
    .action(async (rawId: string, options: { json?: boolean }) => {
      const id = assessmentId(rawId);
      await cli.withDatabase(async ({ db }, config) => {
        const { items } = await serviceFor(db, config).list(CLI, id);
        if (options.json) return cli.printJson(items);
        if (items.length === 0) return void cli.stdout.write('No evidence\n');
        for (const i of items) {
          const fields = [
            i.id,
            EVIDENCE_KIND_LABELS[i.kind],
            i.evidenceDate ?? '-',
            `${i.files} files`,
            `${i.links} links`,
            i.title,
          ];
          cli.stdout.write(`${fields.join('\t')}\n`);
        }
      });
    });

  evidence
    .command('search')
    .description('full-text search of evidence (websearch syntax: "a phrase", or, -word)')
    .argument('<query>', 'the words to find')
    .option('--assessment <id>', 'only this assessment’s evidence')
    .addOption(kindOption())
    .option('--from <yyyy-mm-dd>', 'evidence dated on or after')
    .option('--to <yyyy-mm-dd>', 'evidence dated on or before')
    .option('--limit <n>', 'at most this many results', '20')
    .option('--json', 'print as JSON')
    .action(
      async (
        query: string,
        options: { assessment?: string; kind?: string; from?: string; to?: string; limit: string; json?: boolean },
      ) => {
        const filters = searchQuery.safeParse({
          q: query,
          kind: options.kind,
          from: options.from,
          to: options.to,
          limit: options.limit,
        });
        if (!filters.success)
          throw new CliError(filters.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
        const id = options.assessment === undefined ? undefined : assessmentId(options.assessment);
        await cli.withDatabase(async ({ db }, config) => {
          const result = await serviceFor(db, config).search(CLI, filters.data, id);
          if (options.json) return cli.printJson(searchToJson(result));
          if (result.hits.length === 0) return void cli.stdout.write('No results\n');
          for (const h of result.hits) {
            cli.stdout.write(
              `${h.rank.toFixed(3)}\t${h.itemId}\t${h.title}\n  ${plainSnippet(h.snippet).replace(/\s+/g, ' ')}\n`,
            );
          }
          if (result.capped) cli.stdout.write(`${cappedNote(result.matches)}\n`);
        });
      },
    );
}
