/**
 * A memo in front of Node's module resolution, registered by `bin/kloe.js` before kloe loads.
 *
 * To choose a file's format, Node reads the package.json of the file's package scope for every file it loads,
 * decoding the whole manifest each time; and it resolves a package name again for every file that imports it.
 * drizzle-orm's manifest is 179 kB (an `exports` map of thousands of entries), so decoding it once per file
 * was a large part of starting a kloe process (figures in docs/benchmarks.md#start-up).
 *
 * Both answers depend only on a directory, so the memo keeps them per directory:
 * - a relative `.js` import resolves to `new URL(specifier, parent)`, and every `.js` file of one directory has
 *   the same package scope, so the format Node gave the first one holds for the rest. Only `module` is kept:
 *   it comes from `"type": "module"`, whereas a file without a declared type is judged by its own syntax;
 * - a package name resolves the same from every file of a directory (Node looks in the `node_modules` folders
 *   above it, and at the `imports` of the package it is in) under the same conditions.
 * An answer Node gives differently (a symbolic link followed, a file missing) is passed on and never kept.
 */
import { registerHooks, type ResolveHookSync } from 'node:module';

const directoryOf = (url: string) => url.slice(0, url.lastIndexOf('/') + 1);
const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');
const isPackageName = (specifier: string) =>
  !isRelative(specifier) && !specifier.startsWith('/') && !specifier.includes(':');

/** The resolve hook, with memos of its own. */
export function createResolutionMemo(): ResolveHookSync {
  const moduleDirectories = new Set<string>();
  const packageAnswers = new Map<string, { url: string; format?: string | null | undefined }>();

  return (specifier, context, nextResolve) => {
    const parent = context.parentURL;
    if (!parent?.startsWith('file:')) return nextResolve(specifier, context);

    if (isRelative(specifier) && specifier.endsWith('.js')) {
      const url = new URL(specifier, parent).href;
      if (moduleDirectories.has(directoryOf(url))) return { url, format: 'module', shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      if (resolved.url === url && resolved.format === 'module') moduleDirectories.add(directoryOf(url));
      return resolved;
    }

    if (isPackageName(specifier)) {
      const key = `${directoryOf(parent)}\n${specifier}\n${context.conditions.join(',')}`;
      const known = packageAnswers.get(key);
      if (known) return { ...known, shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      if (resolved.url.startsWith('file:')) packageAnswers.set(key, { url: resolved.url, format: resolved.format });
      return resolved;
    }

    return nextResolve(specifier, context);
  };
}

/** Puts the memo in front of resolution for every module loaded after this call. */
export function registerResolutionMemo(): void {
  registerHooks({ resolve: createResolutionMemo() });
}
