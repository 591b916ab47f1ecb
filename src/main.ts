/** The kloe command line: serve, migrate, framework …, demo …, user …, audit …, assessment …, backup, restore */
import { runKloe } from './cli/program.js';

const code = await runKloe(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
// Set, not process.exit(): a server started by `serve` keeps the process alive until it is stopped.
if (code !== 0) process.exitCode = code;
