/** `kloe plan export|import|schema`: a service's improvement plan in the kloe-plan/1 format, as the system. */
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../errors.js';
import { exportPlan, importPlan, parsePlanFile } from '../modules/improvement/index.js';
import { planJsonSchemaText } from '../modules/improvement/index.js';
import { organisationByCode, readJson, serviceByName } from './assessment-commands.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';

const CLI = { kind: 'system', label: 'cli' } as const;

export function registerPlanCommands(program: Command, cli: CliContext): void {
  const plan = program.command('plan').description('export and import a service’s improvement plan (as the system)');

  plan
    .command('export')
    .description('print a service’s improvement plan in the kloe-plan format')
    .requiredOption('--organisation <code>', 'the organisation’s code')
    .requiredOption('--service <name>', 'the service’s name')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (options: { organisation: string; service: string; output?: string }) => {
      const document = await cli.withDatabase(async ({ db }) => {
        const organisation = await organisationByCode(db, options.organisation);
        const service = await serviceByName(db, organisation.id, options.organisation, options.service);
        return exportPlan(db, CLI, organisation.id, service.id);
      });
      const text = `${JSON.stringify(document, null, 2)}\n`;
      if (options.output) await fs.writeFile(options.output, text);
      else cli.stdout.write(text);
    });

  plan
    .command('import')
    .description('import a kloe-plan file into a service’s empty plan, all or nothing')
    .argument('<file>', 'the file to import')
    .option('--organisation <code>', 'the organisation’s code (default: the file’s)')
    .option('--service <name>', 'the service’s name (default: the file’s)')
    .action(async (file: string, options: { organisation?: string; service?: string }) => {
      const counts = await naming(file, async () => {
        const document = parsePlanFile(await readJson(file));
        const code = options.organisation ?? document.organisation.code;
        return cli.withDatabase(async ({ db }) => {
          const organisation = await organisationByCode(db, code);
          const service = await serviceByName(db, organisation.id, code, options.service ?? document.service.name);
          return importPlan(db, CLI, organisation.id, service.id, document);
        });
      });
      cli.stdout.write(`Imported ${counts.aims} aims and ${counts.actions} actions\n`);
    });

  plan
    .command('schema')
    .description('print the JSON Schema of the kloe-plan format')
    .action(() => void cli.stdout.write(planJsonSchemaText()));
}

/** A refused plan file, said in one line with each problem's place in the file (aims.0.actions.1.dueDate). */
async function naming<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'invalid_plan_file') throw error;
    const problems = error.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new CliError(`${file} was not imported, nothing was saved: ${problems}`);
  }
}
