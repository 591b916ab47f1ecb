/** `kloe plan export|import|schema` in this process, on the demo installation's housing repairs plan. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import type { PlanExport } from '../modules/improvement/plan-exchange.js';
import { installDemo, postgresInstallation } from './testing/run-cli.js';

const ORG = 'E07000901'; // the demo data's Ashdown District Council
const REPAIRS = 'Housing repairs';
const HOMELESSNESS = 'Homelessness and housing advice';

describe.skipIf(!postgresAvailable)('kloe plan [postgres]', () => {
  const installation = postgresInstallation('kloe-plan-cli-');
  const { kloe } = installation;
  const file = (name: string) => path.join(installation.tmp, name);
  const write = (name: string, document: unknown) => {
    fs.writeFileSync(file(name), typeof document === 'string' ? document : JSON.stringify(document));
    return file(name);
  };
  const exported = async (service: string): Promise<PlanExport> => {
    const result = await kloe(['plan', 'export', '--organisation', ORG, '--service', service]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as PlanExport;
  };
  /** The file without what an installation gives it (ids, when it was written), to compare two plans. */
  const content = (plan: PlanExport) => plan.aims.map(({ recommendations: _, ...aim }) => aim);
  let demoPlan: PlanExport;

  beforeAll(async () => {
    await installDemo(installation);
    demoPlan = await exported(REPAIRS);
  });

  it('exports the demo plan to a file in the kloe-plan/1 format its schema describes', async () => {
    const result = await kloe(['plan', 'export', '--organisation', ORG, '--service', REPAIRS, '-o', file('p.json')]);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const written = JSON.parse(fs.readFileSync(file('p.json'), 'utf8')) as PlanExport;
    expect(written).toMatchObject({ format: 'kloe-plan/1', organisation: { code: ORG }, service: { name: REPAIRS } });
    expect(written.aims).toHaveLength(4);
    expect(written.aims.map((a) => a.recommendations.length)).toEqual([1, 1, 1, 1]);
    expect(written.aims[2]!.actions[0]).toMatchObject({
      ref: '3.1',
      title: 'Tenant inspectors check one in twenty completed repairs',
      ownerEmail: 'member@example.org',
      progress: [{ recordedOn: '2025-10-15' }],
    });

    const schema = await kloe(['plan', 'schema']);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toMatchObject({ properties: { format: { const: 'kloe-plan/1' } } });
  });

  it('imports a plan file into another service’s empty plan, which then exports the same plan', async () => {
    const copy = { ...demoPlan, aims: demoPlan.aims.map((aim) => ({ ...aim, recommendations: [] })) };
    const result = await kloe(['plan', 'import', write('copy.json', copy), '--service', HOMELESSNESS]);
    expect(result).toMatchObject({ code: 0, stdout: 'Imported 4 aims and 4 actions\n', stderr: '' });
    expect(content(await exported(HOMELESSNESS))).toEqual(content(demoPlan));

    // The plan has aims now: a second import is refused, and the plan keeps its four aims.
    const again = await kloe(['plan', 'import', file('copy.json'), '--service', HOMELESSNESS]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'kloe: This service’s plan already has aims: a plan file is imported into an empty plan only\n',
    );
    expect((await exported(HOMELESSNESS)).aims).toHaveLength(4);
  });

  it.each([
    {
      problem: 'an action due before it starts',
      document: () => withLastAction({ startDate: '2026-04-01', dueDate: '2026-03-01' }),
      says: /^kloe: .* was not imported, nothing was saved: aims\.3\.actions\.0\.dueDate: The due date must be the same as or after the start date\n$/,
    },
    {
      problem: 'an owner who is not of the organisation',
      document: () => withLastAction({ ownerEmail: 'lead.inspector@example.org' }),
      says: /^kloe: .* nothing was saved: aims\.3\.actions\.0\.ownerEmail: lead\.inspector@example\.org is not a person of Ashdown District Council\n$/,
    },
    {
      problem: 'recommendations of another service',
      document: () => demoPlan,
      says: /^kloe: .* nothing was saved: aims\.0\.recommendations\.0: No recommendation “Benchmark repair costs .*” to this service\n$/,
    },
    {
      problem: 'another format',
      document: () => ({ ...demoPlan, format: 'kloe-assessment/1' }),
      says: /^kloe: .* nothing was saved: format: .*kloe-plan\/1.*\n$/,
    },
    {
      problem: 'text that is not JSON',
      document: () => '{"format": "kloe-plan/1",',
      says: /^kloe: .* is not JSON: .*\n$/,
    },
  ])('refuses $problem in one line, exits 1 and saves nothing', async ({ document, says }) => {
    const result = await kloe(['plan', 'import', write('bad.json', document()), '--service', 'Waste collection']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(says);
    // All or nothing: the aims saved before the problem was met are gone too.
    expect((await exported('Waste collection')).aims).toEqual([]);
  });

  it('names an organisation or service that is not there in one line', async () => {
    const path = write('copy2.json', { ...demoPlan, aims: [] });
    const organisation = await kloe(['plan', 'import', path, '--organisation', 'X0000000']);
    expect(organisation).toMatchObject({ code: 1, stderr: 'kloe: no organisation with the code X0000000\n' });
    const service = await kloe(['plan', 'export', '--organisation', ORG, '--service', 'Parks']);
    expect(service).toMatchObject({ code: 1, stderr: `kloe: ${ORG} has no service named "Parks"\n` });
  });

  /**
   * The demo plan without its recommendations (another service has none), the action of its last aim
   * changed: three aims and their actions are saved in the import's transaction before the problem is met.
   */
  function withLastAction(change: Partial<PlanExport['aims'][number]['actions'][number]>): PlanExport {
    const aims = demoPlan.aims.map((aim) => ({ ...aim, recommendations: [] }));
    const last = aims.pop()!;
    const changed = { ...last, actions: last.actions.map((a, i) => (i === 0 ? { ...a, ...change } : a)) };
    return { ...demoPlan, aims: [...aims, changed] };
  }
});
