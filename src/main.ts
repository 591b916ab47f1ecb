/** The kloe command line: serve, migrate, framework …, demo …, user …, audit …, assessment …, backup, restore */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { reportCliError } from './cli/errors.js';
import { projectRoot } from './paths.js';

type Register = (program: Command) => void;

/**
 * Each top-level command's module, loaded only when that command runs: loading them all (the server with
 * every module, the demo, PDF and chart code) would keep even `kloe --version` waiting.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./cli/serve.js')).registerServeCommand,
  migrate: async () => (await import('./cli/admin-commands.js')).registerAdminCommands,
  demo: async () => (await import('./cli/admin-commands.js')).registerAdminCommands,
  framework: async () => (await import('./cli/framework-commands.js')).registerFrameworkCommands,
  user: async () => (await import('./cli/user-commands.js')).registerUserCommands,
  audit: async () => (await import('./cli/audit-commands.js')).registerAuditCommands,
  assessment: async () => (await import('./cli/assessment-commands.js')).registerAssessmentCommands,
  evidence: async () => (await import('./cli/evidence-commands.js')).registerEvidenceCommands,
  report: async () => (await import('./cli/report-commands.js')).registerReportCommands,
  plan: async () => (await import('./cli/plan-commands.js')).registerPlanCommands,
  indicators: async () => (await import('./cli/indicator-commands.js')).registerIndicatorCommands,
  backup: async () => (await import('./cli/backup-commands.js')).registerBackupCommands,
  restore: async () => (await import('./cli/backup-commands.js')).registerBackupCommands,
};

function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version;
}

/** The program with the command named first in `args`; none for the version; all for help and unknown names. */
async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command('kloe')
    .description('kloe: inspection and self-assessment of public services against Key Lines of Enquiry')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const [name] = args;
  const versionOnly = name === '--version' || name === '-V';
  const wanted = versionOnly
    ? []
    : name !== undefined && name in COMMANDS
      ? [COMMANDS[name]!]
      : Object.values(COMMANDS);
  const registers = new Set(await Promise.all(wanted.map((load) => load())));
  for (const register of registers) register(program);
  return program;
}

try {
  const program = await buildProgram(process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportCliError(error);
}
