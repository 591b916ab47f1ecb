/** The kloe command line: serve, migrate, framework …, demo …, user …, audit …, assessment … */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { registerAdminCommands } from './cli/admin-commands.js';
import { registerAssessmentCommands } from './cli/assessment-commands.js';
import { registerAuditCommands } from './cli/audit-commands.js';
import { registerEvidenceCommands } from './cli/evidence-commands.js';
import { reportCliError } from './cli/errors.js';
import { registerReportCommands } from './cli/report-commands.js';
import { registerFrameworkCommands } from './cli/framework-commands.js';
import { registerIndicatorCommands } from './cli/indicator-commands.js';
import { registerServeCommand } from './cli/serve.js';
import { registerUserCommands } from './cli/user-commands.js';
import { projectRoot } from './paths.js';

function packageVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version;
}

export function buildProgram(): Command {
  const program = new Command('kloe')
    .description('kloe: inspection and self-assessment of public services against Key Lines of Enquiry')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerServeCommand(program);
  registerAdminCommands(program);
  registerFrameworkCommands(program);
  registerUserCommands(program);
  registerAuditCommands(program);
  registerAssessmentCommands(program);
  registerEvidenceCommands(program);
  registerReportCommands(program);
  registerIndicatorCommands(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportCliError(error);
}
