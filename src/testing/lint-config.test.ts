/**
 * The project's ESLint configuration refuses promises that are dropped or handed where nothing awaits them
 * (type-aware rules): a rejection nobody handles ends the process.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';

/**
 * Lints source text as a file of the project, with the project's configuration. The one override gives the
 * probe a small project of its own instead of building the types of the whole code base.
 */
async function ruleIdsFor(code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: projectRoot,
    overrideConfig: {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['lint-probe.ts'] } } },
    },
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, 'lint-probe.ts') });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const save = 'async function save(): Promise<void> {}\n';

// The first lint loads TypeScript and its standard library types: seconds on a busy machine.
describe('type-aware lint rules', { timeout: 60_000 }, () => {
  it('refuses a promise that is neither awaited nor handled', async () => {
    expect(await ruleIdsFor(`${save}export function run() {\n  save();\n}\n`)).toEqual([
      '@typescript-eslint/no-floating-promises',
    ]);
  });

  it('refuses an async function where a void callback is expected', async () => {
    const code = `${save}export function run(list: number[]) {\n  list.forEach(async () => {\n    await save();\n  });\n}\n`;
    expect(await ruleIdsFor(code)).toEqual(['@typescript-eslint/no-misused-promises']);
  });

  it('accepts the same code with the promise awaited', async () => {
    expect(await ruleIdsFor(`${save}export async function run() {\n  await save();\n}\n`)).toEqual([]);
  });
});
