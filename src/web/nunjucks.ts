/** The Nunjucks environment: layout and shared views, each module's views, and GOV.UK Frontend's macros. */
import path from 'node:path';
import nunjucks from 'nunjucks';
import { codeRoot, govukFrontendDist } from '../paths.js';
import { plainDate, plainDateTime } from '../dates.js';

const COUNT = new Intl.NumberFormat('en-GB');

// Nunjucks' own HTML escaping (what autoescape does); its typings leave it out.
const { escape } = nunjucks.lib as typeof nunjucks.lib & { escape(text: string): string };

export function createViewEnvironment(options: { watch?: boolean } = {}): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader(
    // Module views are named from the modules folder, e.g. "frameworks/views/kloe.njk".
    [path.join(codeRoot, 'web', 'views'), path.join(codeRoot, 'modules'), govukFrontendDist],
    { noCache: options.watch ?? false },
  );
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  env.addFilter('date', plainDate);
  env.addFilter('dateTime', plainDateTime);
  // A whole number as people read it: 1,583,984.
  env.addFilter('count', (value: unknown) => (typeof value === 'number' ? COUNT.format(value) : String(value ?? '')));
  // Nunjucks' own trim is a regular expression that takes quadratic time on the long whitespace runs of
  // indented templates (GOV.UK Frontend's macros trim whole blocks); String.prototype.trim removes the same
  // characters in linear time.
  env.addFilter('trim', (value: unknown) => {
    const trimmed = String(value).trim();
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
  });
  // Lines of text, each escaped, one under another: a table cell of many values without a loop per cell.
  env.addFilter(
    'lines',
    (lines: readonly unknown[]) =>
      new nunjucks.runtime.SafeString(lines.map((line) => escape(String(line))).join('<br>')),
  );
  return env;
}
