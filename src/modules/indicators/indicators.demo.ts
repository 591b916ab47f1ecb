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
import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { DemoSeeder } from '../demo/demo.service.js';
import { demoOrganisations } from '../organisations/organisations.demo-data.js';
import { organisations } from '../organisations/organisations.tables.js';
import type { ImportRow } from './import-validate.js';
import { writeValues } from './indicators.import.js';
import { recomputeBehind } from './indicators.recompute.js';
import { indicatorDefinitions } from './indicators.tables.js';
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

export const indicatorsDemo: DemoSeeder = {
  module: 'indicators',
  async seed(db: Database) {
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
    // The seeder runs inside the demo loader's transaction, so it writes in batches there (no COPY
    // connection of its own) and recomputes as PGlite would, one indicator at a time.
    const driver = 'pglite' as const;
    const written = await writeValues({ db }, [rows], DEMO_ACTOR);
    await recomputeBehind({ db, driver });
    const others = orgIds.size - orgs.length;
    return `${orgs.length} synthetic providers and ${others} demo organisations, ${defs.length} indicators, ${written.added} values`;
  },
};
