import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
