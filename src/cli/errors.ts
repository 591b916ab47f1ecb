/** How the CLI fails: one line on stderr and a non-zero exit, never a stack trace for a user's mistake. */
import { CommanderError } from 'commander';
import { BackupError } from '../backup/backup-error.js';
import { ConfigError } from '../config.js';
import { DatabaseUnavailableError } from '../db/database.js';
import { loggableError } from '../db/loggable-error.js';
import { AppError } from '../errors.js';

export class CliError extends Error {
  override name = 'CliError';
}

/** Prints the error and returns the exit code: 1 for anything the user can fix, 2 for a bug. */
export function reportCliError(
  error: unknown,
  write: (line: string) => void = (l) => process.stderr.write(l),
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof AppError) {
    const [first, ...more] = error.problems;
    if (first && !error.message.includes(first.message)) {
      // A title such as "Check the framework" says what to look at; the problems say what is wrong with it.
      write(`kloe: ${error.message}: ${error.problems.map((p) => p.message).join('; ')}\n`);
      return 1;
    }
    write(`kloe: ${error.message}\n`);
    // Every further problem on its own line, so that a long import report stays readable.
    for (const problem of more) write(`  ${problem.field}: ${problem.message}\n`);
    return 1;
  }
  if (
    error instanceof CliError ||
    error instanceof BackupError ||
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError
  ) {
    write(`kloe: ${error.message}\n`);
    return 1;
  }
  // A failed query's message would list its parameters: said without them.
  const safe = loggableError(error);
  write(`kloe: unexpected error: ${safe instanceof Error ? safe.message : String(safe)}\n`);
  if (env.KLOE_DEBUG) write(`${(safe as Error).stack}\n`);
  return 2;
}
