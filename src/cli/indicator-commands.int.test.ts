/** `kloe indicators …` through the built command line: define → import (bad, then good) → recompute. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import { installDemo, postgresInstallation } from './testing/run-cli.js';

describe.skipIf(!postgresAvailable)('kloe indicators [postgres]', () => {
  const installation = postgresInstallation('kloe-indicators-');
  const kloe = (args: string[]) => installation.kloe(args, { NODE_ENV: 'test' });
  // The demo (its assessments need the built-in framework): providers DEMO-P0001…, indicators DEMO-I001….
  beforeAll(() => installDemo(installation));

  it('defines an indicator, refusing a target on a higher-is-better one', async () => {
    const refused = await kloe(
      ['indicators', 'define', 'cli-1', '--title', 'Voids', '--unit', 'days'].concat([
        '--polarity',
        'higher',
        '--target',
        '5',
        '--category',
        'performance',
        '--service-area',
        'Lettings',
      ]),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Only an indicator where closer to a target is better has a target');
    const defined = await kloe(
      ['indicators', 'define', 'cli-1', '--title', 'Voids', '--unit', 'days'].concat([
        '--polarity',
        'lower',
        '--category',
        'performance',
        '--service-area',
        'Lettings',
      ]),
    );
    expect(defined.code).toBe(0);
    expect(defined.stdout).toBe('defined CLI-1: Voids\n');
  });

  it('lists every bad row and imports nothing, then imports a good file', async () => {
    const file = path.join(installation.tmp, 'values.csv');
    fs.writeFileSync(
      file,
      'organisation_code,indicator_code,period,value\nDEMO-P0001,CLI-1,2023/24,30\nNOPE,CLI-1,2023/24,31\nDEMO-P0002,CLI-1,2023,x\n',
    );
    const refused = await kloe(['indicators', 'import', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`kloe: ${file}: 2 rows have problems; nothing was imported`);
    expect(refused.stderr).toContain('  line 3: No organisation has the code "NOPE"');
    expect(refused.stderr).toContain('  line 4: The period "2023" is not in the form');
    fs.writeFileSync(
      file,
      'organisation_code,indicator_code,period,value\nDEMO-P0001,CLI-1,2023/24,30\nDEMO-P0002,CLI-1,2023/24,31\n',
    );
    const imported = await kloe(['indicators', 'import', file, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 2, added: 2, changed: 0, unchanged: 0 });
  });

  it('recomputes over a chosen window', async () => {
    const result = await kloe(['indicators', 'recompute', '--window', '4']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^recomputed 7 indicators over 4 periods in \d+ ms\n$/);
    expect((await kloe(['indicators', 'recompute', '--window', '1'])).code).not.toBe(0);
  });
});
