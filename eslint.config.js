import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FRONT_DOOR =
  'Use the module through its entry (index.ts): add what you need to the entry, or take tables from src/db/schema.ts.';

/** One `no-restricted-imports` block per folder depth: the import paths that reach inside another module. */
function frontDoorRules() {
  const notTests = ['**/*.test.ts', '**/testing/**'];
  const block = (files, regex, extraIgnores = []) => ({
    files,
    ignores: [...notTests, ...extraIgnores],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message: FRONT_DOOR }] }] },
  });
  const outsideModules = String.raw`(^|/)modules/[^/]+/(?!index\.js$)`;
  return [
    block(['src/*.ts', 'src/*/*.ts', 'src/*/*/*.ts'], outsideModules, ['src/modules/**', 'src/db/schema.ts']),
    block(['src/modules/*/*.ts'], String.raw`^\.\./(?!\.)[^/]+/(?!index\.js$)`, ['src/modules/*/*.tables.ts']),
    block(['src/modules/*/*.tables.ts'], String.raw`^\.\./(?!\.)[^/]+/(?!index\.js$)(?!.*\.tables\.js$)`),
    block(['src/modules/*/*/*.ts'], String.raw`^\.\./\.\./(?!\.)[^/]+/(?!index\.js$)`),
  ];
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'test-results/**',
      'packages/*/dist/**',
      'packages/client/src/schema.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Rules that need the types: a promise nobody awaits loses its rejection (an unhandled rejection ends
  // the process), and a promise handed where a void callback is expected is never awaited by its caller.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  // Module front doors: code outside a module uses it through its entry (src/modules/<m>/index.ts) only.
  // Tables are the exception: a table may reference another module's table, and queries take tables from
  // src/db/schema.ts. Tests may reach into any module.
  ...frontDoorRules(),
  // The scripts sent to the browser.
  {
    files: ['src/web/assets/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'document',
          'window',
          'location',
          'XMLHttpRequest',
          'FormData',
          'DOMParser',
          // phones and offline (fieldwork.js, outbox.js, statement-stepper.js)
          'navigator',
          'indexedDB',
          'HTMLFormElement',
          'File',
          'URLSearchParams',
          'CSS',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  // The service worker.
  {
    files: ['src/web/assets/sw.js'],
    languageOptions: {
      globals: Object.fromEntries(['self', 'caches', 'Request', 'Response'].map((name) => [name, 'readonly'])),
    },
  },
);
