// Build step after tsc: copies the Nunjucks views next to the compiled code, and builds the
// browser assets (stylesheet, scripts, icons) into dist/public.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';
import { writeAppIcons } from './app-icons.mjs';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');
const publicDir = path.join(dist, 'public');

fs.cpSync(src, dist, {
  recursive: true,
  filter: (from) => fs.statSync(from).isDirectory() || from.endsWith('.njk'),
});

fs.mkdirSync(publicDir, { recursive: true });
const css = sass.compile(path.join(src, 'web', 'assets', 'kloe.scss'), {
  loadPaths: [path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
});
fs.writeFileSync(path.join(publicDir, 'kloe.css'), css.css);

const govuk = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk');
fs.copyFileSync(path.join(govuk, 'govuk-frontend.min.js'), path.join(publicDir, 'govuk-frontend.min.js'));
for (const file of [
  'init.js',
  'upload-progress.js',
  'kloe-icon.svg',
  'kloe-suggestion.js',
  // Phones and working offline (docs/fieldwork-on-a-phone.md)
  'fieldwork.js',
  'narrow-tables.js',
  'statement-stepper.js',
  'outbox.js',
  'sw.js',
]) {
  fs.copyFileSync(path.join(src, 'web', 'assets', file), path.join(publicDir, file));
}
fs.copyFileSync(
  path.join(root, 'node_modules', 'idb-keyval', 'dist', 'index.js'),
  path.join(publicDir, 'idb-keyval.js'),
);
writeAppIcons(path.join(src, 'web', 'assets', 'kloe-icon.svg'), publicDir);

// The best-fit rule for the KLOE page's script: the server's own module, built for the browser. It imports
// only types, so it stands alone once they are erased; a runtime import would need a bundler, so stop here.
const rule = ts.transpileModule(fs.readFileSync(path.join(src, 'modules', 'assessments', 'best-fit.ts'), 'utf8'), {
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
}).outputText;
if (/^\s*(import|export\s.*\sfrom)\s/m.test(rule)) {
  throw new Error('best-fit.ts now imports code at run time: the browser copy of it needs a bundler');
}
fs.writeFileSync(path.join(publicDir, 'best-fit.js'), rule);
