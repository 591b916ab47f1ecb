/** Indicators and organisations for tests: a small national set whose figures the tests work out by hand. */
import type { Database } from '../../../db/database.js';
import { createTestOrganisation } from '../../organisations/testing/test-organisations.js';
import { insertIndicator } from '../indicators.repository.js';

export async function seedSmallSet(db: Database, prefix: string) {
  const orgs = [];
  for (const [i, population] of [100_000, 120_000, 90_000, 300_000, 110_000].entries())
    orgs.push(
      await createTestOrganisation(db, {
        code: `${prefix}-O${i + 1}`,
        attributes: { population, deprivationScore: 10 + i * 3 },
      }),
    );
  const satisfaction = await insertIndicator(db, {
    code: `${prefix}-SAT`,
    title: 'Tenants satisfied with repairs',
    unit: '%',
    polarity: 'higher',
    category: 'satisfaction',
    serviceArea: 'Housing repairs',
    periodType: 'financial_year',
  });
  const cost = await insertIndicator(db, {
    code: `${prefix}-COST`,
    title: 'Cost per repair',
    unit: '£',
    polarity: 'lower',
    category: 'cost',
    serviceArea: 'Housing repairs',
    periodType: 'financial_year',
  });
  return { orgs, satisfaction, cost };
}

/** The years an import accepts, for files that need many distinct periods. */
export const IMPORTABLE_YEARS = Array.from({ length: 2027 - 1990 + 1 }, (_, i) => 1990 + i);

/** A financial year's label, e.g. 2023 → "2023/24". */
export const financialYear = (year: number) => `${year}/${String((year + 1) % 100).padStart(2, '0')}`;

/** Organisations `${prefix}-O${from}` … `${prefix}-O${to}`, for files of many rows. */
export async function createNumberedOrganisations(db: Database, prefix: string, from: number, to: number) {
  for (let i = from; i <= to; i++) await createTestOrganisation(db, { code: `${prefix}-O${i}` });
}
