import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Database } from '../db/database.js';
import type { FrameworkDocument } from '../modules/frameworks/index.js';
import { diffFrameworks, formatDifferences } from '../modules/frameworks/index.js';
import { readFrameworkFile, serialiseFramework } from '../modules/frameworks/index.js';
import { frameworkJsonSchemaText } from '../modules/frameworks/index.js';
import { createFrameworksService } from '../modules/frameworks/index.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

/** "ID" (the latest version) or "ID@VERSION" naming a stored framework; undefined when it is neither. */
function parseStoredRef(spec: string): { id: string; version: number | undefined } | undefined {
  const match = /^([a-z0-9][a-z0-9-]*)(?:@([1-9]\d*))?$/.exec(spec);
  if (!match) return undefined;
  return { id: match[1]!, version: match[2] === undefined ? undefined : Number(match[2]) };
}

/** A diff side: a file on disk, or a stored framework named "ID" or "ID@VERSION". */
async function loadSide(spec: string, db: () => Promise<Database>): Promise<FrameworkDocument> {
  const isFile = await fs.stat(spec).then(
    () => true,
    () => false,
  );
  if (isFile) return (await readFrameworkFile(spec)).document;
  const ref = parseStoredRef(spec);
  if (!ref) throw new CliError(`${spec}: no such file, and not a stored framework (ID or ID@VERSION)`);
  return (await createFrameworksService({ db: await db() }).getVersion(ref.id, ref.version)).document;
}

/** Reads a framework file, telling the user on stderr what the seed parser noticed. */
async function readWithWarnings(cli: CliContext, file: string) {
  const parsed = await readFrameworkFile(file);
  for (const warning of parsed.warnings) cli.stderr.write(`warning: ${warning.field}: ${warning.message}\n`);
  return parsed;
}

async function writeFramework(
  cli: CliContext,
  doc: FrameworkDocument,
  options: { format: 'json' | 'yaml'; output?: string },
) {
  const text = serialiseFramework(doc, options.format);
  if (options.output) await fs.writeFile(options.output, text);
  else cli.stdout.write(text);
}

export function registerFrameworkCommands(program: Command, cli: CliContext): void {
  const framework = program.command('framework').description('import, export, list and compare KLOE frameworks');

  framework
    .command('import')
    .description('import a framework from a seed document (KLOE table) or a kloe-framework JSON/YAML file')
    .argument('<file>', 'file to import')
    .option('--dry-run', 'check and report without writing anything')
    .option('--json', 'print the outcome as JSON')
    .action(async (file: string, options: { dryRun?: boolean; json?: boolean }) => {
      const parsed = await readWithWarnings(cli, file);
      if (options.dryRun) {
        const outcome = { id: parsed.document.id, format: parsed.format, warnings: parsed.warnings, written: false };
        if (options.json) cli.printJson(outcome);
        else
          cli.stdout.write(`${file} is a valid ${parsed.format} framework "${parsed.document.id}"; nothing written\n`);
        return;
      }
      const outcome = await cli.withDatabase(({ db }) =>
        createFrameworksService({ db }).importDocument(parsed.document, file.split('/').pop()!),
      );
      if (options.json) return cli.printJson({ ...outcome, warnings: parsed.warnings });
      const statements = Object.entries(outcome.counts.statements)
        .map(([level, n]) => `${n} ${level}`)
        .join(', ');
      cli.stdout.write(
        outcome.status === 'created'
          ? `Imported ${outcome.id} as version ${outcome.version}: ${outcome.counts.kloes} KLOEs, ${statements} statements\n`
          : `${outcome.id} is unchanged: identical to version ${outcome.version}, nothing written\n`,
      );
    });

  framework
    .command('export')
    .description('print a stored framework in the kloe-framework format')
    .argument('<framework>', 'ID for the latest version or ID@VERSION, e.g. audit-commission-j2@1')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (spec: string, options: { format: 'json' | 'yaml'; output?: string }) => {
      const ref = parseStoredRef(spec);
      if (!ref) throw new CliError(`"${spec}" is not a framework id (ID or ID@VERSION)`);
      const row = await cli.withDatabase(({ db }) => createFrameworksService({ db }).getVersion(ref.id, ref.version));
      await writeFramework(cli, row.document, options);
    });

  framework
    .command('convert')
    .description('convert a seed document (KLOE table) to the kloe-framework format, without a database')
    .argument('<file>', 'seed document or framework file')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (file: string, options: { format: 'json' | 'yaml'; output?: string }) => {
      const parsed = await readWithWarnings(cli, file);
      await writeFramework(cli, parsed.document, options);
    });

  framework
    .command('schema')
    .description('print the JSON Schema of the kloe-framework format')
    .action(() => void cli.stdout.write(frameworkJsonSchemaText()));

  framework
    .command('list')
    .description('list stored frameworks')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await cli.withDatabase(({ db }) => createFrameworksService({ db }).list());
      if (options.json) return cli.printJson(list);
      if (list.length === 0) return void cli.stdout.write('No frameworks\n');
      for (const f of list) cli.stdout.write(`${f.id}\tversion ${f.latestVersion}\t${f.title}\n`);
    });

  framework
    .command('diff')
    .description('show what differs between two frameworks: files, or stored ones as ID or ID@VERSION')
    .argument('<a>', 'first framework')
    .argument('<b>', 'second framework')
    .option('--json', 'print the differences as JSON')
    .action(async (a: string, b: string, options: { json?: boolean }) => {
      // The database is opened only when a side names a stored framework.
      const database = cli.lazyDatabase();
      try {
        const differences = diffFrameworks(await loadSide(a, database.get), await loadSide(b, database.get));
        if (options.json) cli.printJson(differences);
        else cli.stdout.write(`${formatDifferences(differences)}\n`);
      } finally {
        await database.close();
      }
    });
}
