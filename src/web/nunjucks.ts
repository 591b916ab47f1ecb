/** The Nunjucks environment: layout and shared views, each module's views, and GOV.UK Frontend's macros. */
import path from 'node:path';
import nunjucks from 'nunjucks';
import { codeRoot, govukFrontendDist } from '../paths.js';

export function createViewEnvironment(options: { watch?: boolean } = {}): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(
    // Module views are named from the modules folder, e.g. "frameworks/views/kloe.njk".
    [path.join(codeRoot, 'web', 'views'), path.join(codeRoot, 'modules'), govukFrontendDist],
    { noCache: options.watch ?? false },
  );
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  env.addFilter('date', (value: Date | string) =>
    new Date(value).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }),
  );
  env.addFilter('dateTime', (value: Date | string) =>
    new Date(value).toLocaleString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/London',
    }),
  );
  return env;
}
