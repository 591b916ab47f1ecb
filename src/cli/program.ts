/** The kloe command line as a function: the arguments and where to read and write in, the exit code out. */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../paths.js';
import { createCliContext, type CliContext, type CliIo } from './context.js';
import { reportCliError } from './errors.js';

type Register = (program: Command, cli: CliContext) => void;

/**
 * Each top-level command's module, loaded only when that command runs: loading them all (the server with
 * every module, the demo, PDF and chart code) would keep even `kloe --version` waiting.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./serve.js')).registerServeCommand,
  migrate: async () => (await import('./admin-commands.js')).registerAdminCommands,
  demo: async () => (await import('./admin-commands.js')).registerAdminCommands,
  framework: async () => (await import('./framework-commands.js')).registerFrameworkCommands,
  user: async () => (await import('./user-commands.js')).registerUserCommands,
  audit: async () => (await import('./audit-commands.js')).registerAuditCommands,
  assessment: async () => (await import('./assessment-commands.js')).registerAssessmentCommands,
  evidence: async () => (await import('./evidence-commands.js')).registerEvidenceCommands,
  report: async () => (await import('./report-commands.js')).registerReportCommands,
  indicators: async () => (await import('./indicator-commands.js')).registerIndicatorCommands,
  backup: async () => (await import('./backup-commands.js')).registerBackupCommands,
  restore: async () => (await import('./backup-commands.js')).registerBackupCommands,
  plan: async () => (await import('./plan-commands.js')).registerPlanCommands,
};

function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version;
}

/** The program with the command named first in `args`; none for the version; all for help and unknown names. */
async function buildProgram(args: readonly string[], cli: CliContext): Promise<Command> {
  const program = new Command('kloe')
    .description('kloe: inspection and self-assessment of public services against Key Lines of Enquiry')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => cli.stdout.write(text), writeErr: (text) => cli.stderr.write(text) })
    .exitOverride();
  const [name] = args;
  const versionOnly = name === '--version' || name === '-V';
  const wanted = versionOnly
    ? []
    : name !== undefined && name in COMMANDS
      ? [COMMANDS[name]!]
      : Object.values(COMMANDS);
  const registers = new Set(await Promise.all(wanted.map((load) => load())));
  for (const register of registers) register(program, cli);
  return program;
}

/** Runs `kloe …args` and resolves with its exit code; every message goes to `io`, never a stack trace. */
export async function runKloe(args: readonly string[], io: CliIo): Promise<number> {
  const cli = createCliContext(io);
  try {
    const program = await buildProgram(args, cli);
    await program.parseAsync(args, { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    return reportCliError(error, (line) => io.stderr.write(line), io.env);
  }
}
