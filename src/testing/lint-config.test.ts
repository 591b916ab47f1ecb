/**
 * The project's ESLint configuration refuses promises that are dropped or handed where nothing awaits them
 * (type-aware rules): a rejection nobody handles ends the process. It also keeps modules behind their front
 * doors: code outside a module imports its entry (index.ts) only.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';

/** Where the probes below pretend to be; typescript-eslint keeps its first list of these for the process. */
const PROBES = [
  'lint-probe.ts',
  'src/probe.ts',
  'src/*/probe.ts',
  'src/modules/*/probe.ts',
  'src/modules/*/probe.tables.ts',
];

/**
 * Lints source text as a file of the project, with the project's configuration. The one override gives the
 * probe a small project of its own instead of building the types of the whole code base.
 */
async function ruleIdsFor(code: string, file = 'lint-probe.ts'): Promise<string[]> {
  const eslint = new ESLint({
    cwd: projectRoot,
    overrideConfig: {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: { allowDefaultProject: PROBES } } },
    },
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const save = 'async function save(): Promise<void> {}\n';

describe('type-aware lint rules', () => {
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

describe('module front doors', () => {
  const using = (from: string) => `import { thing } from '${from}';\nexport const used = thing;\n`;

  it('refuses a module reaching inside another module', async () => {
    expect(await ruleIdsFor(using('../assessments/assessments.service.js'), 'src/modules/reports/probe.ts')).toEqual([
      'no-restricted-imports',
    ]);
  });

  it('refuses code outside the modules reaching inside one', async () => {
    expect(await ruleIdsFor(using('../modules/evidence/evidence.service.js'), 'src/cli/probe.ts')).toEqual([
      'no-restricted-imports',
    ]);
    expect(await ruleIdsFor(using('./modules/evidence/evidence.pages.js'), 'src/probe.ts')).toEqual([
      'no-restricted-imports',
    ]);
  });

  it('accepts the entry, the module’s own files, and a table referencing another module’s table', async () => {
    expect(await ruleIdsFor(using('../assessments/index.js'), 'src/modules/reports/probe.ts')).toEqual([]);
    expect(await ruleIdsFor(using('./reports.service.js'), 'src/modules/reports/probe.ts')).toEqual([]);
    expect(await ruleIdsFor(using('../modules/evidence/index.js'), 'src/cli/probe.ts')).toEqual([]);
    expect(
      await ruleIdsFor(using('../assessments/assessments.tables.js'), 'src/modules/reports/probe.tables.ts'),
    ).toEqual([]);
  });
});
