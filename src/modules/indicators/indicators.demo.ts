/**
 * The indicators demo: a synthetic national set of housing providers with indicator values, so that
 * the charts are alive on first start. Its size depends on where it runs: 150 providers × 30 indicators
 * × 6 years for a person trying kloe (`npm start`, `kloe demo load`), and 12 × 6 × 6 under NODE_ENV=test,
 * because every test app loads the demo and must stay quick. The organisations demo's councils and
 * providers report the same indicators (each takes the series of one more synthetic provider), so that
 * Ashdown District Council, whose housing repairs the demo assessments judge, has figures for KLOEs 4.2,
 * 4.3, 4.4 and 5.2.3, and its nearest neighbours (other councils) have figures to compare with. Loaded through the import path (batched, all or nothing) and recomputed; found by code, so loading
 * again adds nothing.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { DemoPart } from '../demo/index.js';
import { assessments } from '../../db/schema.js';
import { ASHDOWN_CODE, demoOrganisations } from '../organisations/index.js';
import { organisations } from '../../db/schema.js';
import type { ImportRow } from './import-validate.js';
import { writeValues } from './indicators.import.js';
import { recomputeBehind } from './indicators.recompute.js';
import { createIndicatorsService } from './indicators.service.js';
import { indicatorDefinitions, indicatorSnapshots } from './indicators.tables.js';
import { parsePeriod } from './periods.js';
import { syntheticDefinitions, syntheticOrganisations, syntheticValues, type SyntheticSize } from './synthetic.js';

const DEMO_ACTOR = { kind: 'system', label: 'demo data' } as const;

export function demoSize(env: string | undefined = process.env.NODE_ENV): SyntheticSize {
  const small = env === 'test';
  return {
    organisations: small ? 12 : 150,
    indicators: small ? 6 : 30,
    periods: 6,
    firstYear: 2019,
    seed: 2026,
    codePrefix: 'DEMO-',
  };
}

export const indicatorsDemo: DemoPart = {
  module: 'indicators',
  async load(db: Database) {
    const size = demoSize();
    const defs = syntheticDefinitions(size);
    const orgs = syntheticOrganisations(size);
    await db.insert(organisations).values(orgs).onConflictDoNothing({ target: organisations.code });
    // Series past the last provider's are the organisations demo's, which made those organisations.
    const codes = [...orgs.map((o) => o.code), ...demoOrganisations().map((o) => o.code)];
    await db
      .insert(indicatorDefinitions)
      .values(defs.map(({ base: _base, spread: _spread, ...d }) => d))
      .onConflictDoNothing({ target: indicatorDefinitions.code });
    const orgIds = new Map(
      (await db.select().from(organisations).where(inArray(organisations.code, codes))).map((o) => [o.code, o.id]),
    );
    const defIds = new Map(
      (
        await db
          .select()
          .from(indicatorDefinitions)
          .where(
            inArray(
              indicatorDefinitions.code,
              defs.map((d) => d.code),
            ),
          )
      ).map((d) => [d.code, d.id]),
    );
    const rows: ImportRow[] = [];
    for (const v of syntheticValues({ ...size, organisations: codes.length })) {
      const organisationId = orgIds.get(codes[v.organisation]!);
      if (!organisationId) continue; // the organisations demo was not loaded
      rows.push({
        organisationId,
        indicatorId: defIds.get(defs[v.indicator]!.code)!,
        periodIndex: parsePeriod(v.period, 'financial_year')!.index,
        period: v.period,
        value: v.value,
        quality: v.quality,
      });
    }
    // The part runs inside the demo loader's transaction, so it writes in batches there (no COPY
    // connection of its own) and recomputes as PGlite would, one indicator at a time.
    const driver = 'pglite' as const;
    const written = await writeValues({ db }, [rows], DEMO_ACTOR);
    await recomputeBehind({ db, driver });
    const frozen = await freezeIntoDemoAssessments(db, orgIds.get(ASHDOWN_CODE));
    const others = orgIds.size - orgs.length;
    return `${orgs.length} synthetic providers and ${others} demo organisations, ${defs.length} indicators, ${written.added} values, ${frozen} snapshots`;
  },
};

/**
 * Freezes Ashdown's analysis into its demo assessments that have none, so the workspaces of 4.2, 4.3, 4.4
 * and 5.2.3 show figures and the report charts a few indicators: the first two of each category an
 * inspector reads for outcomes and costs. Returns how many snapshots it attached.
 */
async function freezeIntoDemoAssessments(db: Database, ashdownId: string | undefined): Promise<number> {
  if (!ashdownId) return 0;
  const targets = await db
    .select({ id: assessments.id })
    .from(assessments)
    .where(eq(assessments.organisationId, ashdownId));
  const frozen = new Set(
    (await db.select({ id: indicatorSnapshots.assessmentId }).from(indicatorSnapshots)).map((r) => r.id),
  );
  const due = targets.filter((a) => !frozen.has(a.id));
  if (due.length === 0) return 0;
  const analysis = await createIndicatorsService({ database: { db, driver: 'pglite' } }).analysis(
    DEMO_ACTOR,
    ashdownId,
  );
  const reportIndicators = (['performance', 'satisfaction', 'cost'] as const).flatMap((category) =>
    analysis.indicators
      .filter((i) => i.category === category)
      .slice(0, 2)
      .map((i) => i.code),
  );
  await db
    .insert(indicatorSnapshots)
    .values(due.map((a) => ({ assessmentId: a.id, analysis, createdBy: 'demo data', reportIndicators })));
  return due.length;
}
