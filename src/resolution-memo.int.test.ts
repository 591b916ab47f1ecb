/**
 * Over every module the built kloe loads (the app and every command), the resolution memo gives exactly the
 * answers Node gives, and answers most of them without asking Node.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { assertBuilt } from './cli/testing/run-cli.js';
import { projectRoot } from './paths.js';

/** Loads the graph in a new process with both answers computed for each resolution; prints what it saw. */
const CHECK = `
import { registerHooks } from 'node:module';
const { createResolutionMemo } = await import(process.env.MEMO);
const memo = createResolutionMemo();
const seen = { answered: 0, remembered: 0, differing: [] };
registerHooks({
  resolve(specifier, context, next) {
    const node = next(specifier, context);
    let asked = false;
    const remembered = memo(specifier, context, (s, c) => ((asked = true), next(s, c)));
    seen.answered += 1;
    if (!asked) seen.remembered += 1;
    if (remembered.url !== node.url || (remembered.format ?? null) !== (node.format ?? null))
      seen.differing.push({ specifier, parent: context.parentURL, node, remembered });
    return node;
  },
});
for (const url of JSON.parse(process.env.ENTRIES)) await import(url);
console.log(JSON.stringify(seen));
`;

it('gives Node’s own answer for every module of the app and the commands, most from memory', () => {
  assertBuilt();
  const dist = path.join(projectRoot, 'dist');
  const commands = fs.readdirSync(path.join(dist, 'cli')).filter((name) => name.endsWith('-commands.js'));
  const entries = ['app.js', ...commands.map((name) => `cli/${name}`)].map(
    (file) => pathToFileURL(path.join(dist, file)).href,
  );
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', CHECK], {
    env: {
      ...process.env,
      MEMO: pathToFileURL(path.join(dist, 'resolution-memo.js')).href,
      ENTRIES: JSON.stringify(entries),
    },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  const seen = JSON.parse(result.stdout) as { answered: number; remembered: number; differing: unknown[] };
  expect(seen.differing).toEqual([]);
  expect(seen.answered).toBeGreaterThan(1000);
  expect(seen.remembered / seen.answered).toBeGreaterThan(0.5);
});
