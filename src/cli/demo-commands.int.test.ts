/** `kloe demo load` as a newcomer runs it: on a database nothing has been loaded into yet. */
import { describe, expect, it } from 'vitest';
import { postgresInstallation } from './testing/run-cli.js';

const installation = postgresInstallation('kloe-demo-');

describe('kloe demo load', () => {
  it('loads the built-in framework itself on a new database, then the demo', async () => {
    const result = await installation.kloe(['demo', 'load']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Demo data loaded:\n/);
    expect((await installation.kloe(['framework', 'list'])).stdout).toMatch(/^audit-commission-j2\tversion 1\t/);
  });
});
