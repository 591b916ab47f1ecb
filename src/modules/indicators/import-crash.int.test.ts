/**
 * kill -9 in the middle of an indicator import on PGlite: a real kloe process (the build, dist/) importing
 * into a data folder is killed while it stages the rows, or while it merges them; the next start leaves the
 * values with none of the file, or all of it — never part — and nothing staged.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../../cli/testing/run-cli.js';
import { openDatabase } from '../../db/client.js';
import type { DatabaseHandle } from '../../db/database.js';
import { projectRoot } from '../../paths.js';
import { prepareDatabase } from '../../startup.js';
import { testConfig } from '../../testing/test-config.js';
import { countBehind } from './indicators.repository.js';
import {
  createNumberedOrganisations,
  financialYear,
  IMPORTABLE_YEARS,
  seedSmallSet,
} from './testing/small-national-set.js';

const built = (file: string) => JSON.stringify(pathToFileURL(path.join(projectRoot, 'dist', file)).href);
const PREFIX = 'KIL';
const ORGANISATIONS = 80;
const ROWS = 2 * ORGANISATIONS * IMPORTABLE_YEARS.length;

let tmp: string;
let file: string;
beforeAll(() => {
  assertBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kloe-import-kill-'));
  const lines = ['organisation_code,indicator_code,period,value'];
  for (const code of ['SAT', 'COST'])
    for (let o = 1; o <= ORGANISATIONS; o++)
      for (const year of IMPORTABLE_YEARS)
        lines.push(`${PREFIX}-MANY-O${o},${PREFIX}-${code},${financialYear(year)},${(o + year) % 90}`);
  file = path.join(tmp, 'values.csv');
  fs.writeFileSync(file, lines.join('\n'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const count = async (database: DatabaseHandle, table: string) =>
  (
    (await database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)) as unknown as {
      rows: { n: number }[];
    }
  ).rows[0]!.n;

/**
 * Imports the file in a process of its own, which stops dead (blocks, so nothing more runs) when the import
 * reaches `stage` past its first step, says so, and is killed with SIGKILL there.
 */
async function importKilledAt(dataDir: string, stage: 'checking' | 'writing') {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import fs from 'node:fs';
       const { openDatabase } = await import(${built('db/client.js')});
       const { importIndicatorFile } = await import(${built('modules/indicators/indicators.import.js')});
       const database = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
       await importIndicatorFile(database, fs.readFileSync(${JSON.stringify(file)}), { kind: 'system', label: 'test' }, {
         progress(stage, done, total) {
           if (stage !== ${JSON.stringify(stage)} || done === 0 || done >= total) return;
           console.log('stopped ' + stage + ' ' + done + '/' + total);
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
         },
       });
       console.log('finished');`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const said = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('close', (code) => reject(new Error(`the import exited ${code} saying ${out}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return said;
}

describe('an indicator import killed on PGlite', () => {
  async function prepared(name: string) {
    const dataDir = path.join(tmp, name);
    const database = await openDatabase({ dataDir });
    await seedSmallSet(database.db, PREFIX);
    await createNumberedOrganisations(database.db, `${PREFIX}-MANY`, 1, ORGANISATIONS);
    await database.close();
    return dataDir;
  }

  it('leaves none of the file after the next start when killed while staging', async () => {
    const dataDir = await prepared('staging');
    expect(await importKilledAt(dataDir, 'checking')).toMatch(/^stopped checking \d+\/100$/);
    const database = await openDatabase({ dataDir });
    try {
      // Killed half-way: rows staged, the import still open.
      expect(await count(database, 'indicator_import_rows')).toBeGreaterThan(0);
      expect(await count(database, 'indicator_imports')).toBe(1);
      await prepareDatabase(database, testConfig(), { demo: false });
      expect(await count(database, 'indicator_values')).toBe(0);
      expect(await count(database, 'indicator_import_rows')).toBe(0);
      expect(await count(database, 'indicator_imports')).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('finishes the import at the next start when killed while merging', async () => {
    const dataDir = await prepared('merging');
    expect(await importKilledAt(dataDir, 'writing')).toMatch(new RegExp(`^stopped writing \\d+/${ROWS}$`));
    const database = await openDatabase({ dataDir });
    try {
      // Killed half-way through the merge: some values in, the rest staged.
      const merged = await count(database, 'indicator_values');
      expect(merged).toBeGreaterThan(0);
      expect(merged).toBeLessThan(ROWS);
      expect(merged + (await count(database, 'indicator_import_rows'))).toBe(ROWS);
      await prepareDatabase(database, testConfig(), { demo: false });
      expect(await count(database, 'indicator_values')).toBe(ROWS);
      expect(await count(database, 'indicator_import_rows')).toBe(0);
      expect(await count(database, 'indicator_imports')).toBe(0);
      const { rows } = (await database.db.execute(
        sql`select count(*)::int as n from indicator_values where value <> (
              select (substring(o.code from '[0-9]+$')::int + period_index) % 90 from organisations o
              where o.id = organisation_id)`,
      )) as unknown as { rows: { n: number }[] };
      expect(rows[0]!.n).toBe(0); // every value as the file gives it
      // Marked behind, for the recompute job a server asks for once it is ready.
      expect(await countBehind(database.db)).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
  });
});
