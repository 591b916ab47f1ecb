/**
 * Filesystem locations resolved from this module, never from the working directory, so that kloe
 * behaves the same whether it runs from src/ (tests) or dist/ (built), from any folder.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** src/ when running the TypeScript sources, dist/ when running the build. */
export const codeRoot = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(codeRoot, '..');
export const migrationsFolder = path.join(projectRoot, 'drizzle');
export const builtinFrameworksFolder = path.join(projectRoot, 'frameworks');
/** Compiled stylesheet and other built browser assets (see scripts/copy-assets.mjs). */
export const publicFolder = path.join(projectRoot, 'dist', 'public');

const require = createRequire(import.meta.url);
/** govuk-frontend's dist/ folder: its Nunjucks macros and its fonts, images and scripts. */
export const govukFrontendDist = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
