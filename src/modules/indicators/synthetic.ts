/**
 * A seeded synthetic national set of indicator values, plausible enough for charts to mean something:
 * each provider has a level on each indicator and a trend, values carry noise, and a few are missing or
 * flagged. Used by the demo (150 providers × 30 indicators × 6 years) and by bench/indicators.mjs
 * (400 × 200 × 20). The same seed gives the same figures everywhere.
 */
import { seededRandom } from '../demo/index.js';
import type { IndicatorCategory } from './indicators.tables.js';
import { periodLabel } from './periods.js';
import type { Polarity } from './statistics.js';

export interface SyntheticSize {
  organisations: number;
  indicators: number;
  periods: number;
  /** The first financial year, e.g. 2019 for 2019/20. */
  firstYear: number;
  seed: number;
  codePrefix: string;
}

const THEMES: {
  title: string;
  unit: string;
  polarity: Polarity;
  category: IndicatorCategory;
  base: number;
  spread: number;
  target?: number;
}[] = [
  {
    title: 'Repairs completed right first time',
    unit: '%',
    polarity: 'higher',
    category: 'performance',
    base: 85,
    spread: 8,
  },
  {
    title: 'Average days to re-let an empty home',
    unit: 'days',
    polarity: 'lower',
    category: 'performance',
    base: 35,
    spread: 10,
  },
  {
    title: 'Rent collected as a share of rent due',
    unit: '%',
    polarity: 'higher',
    category: 'performance',
    base: 97,
    spread: 1.5,
  },
  {
    title: 'Tenants satisfied with the repairs service',
    unit: '%',
    polarity: 'higher',
    category: 'satisfaction',
    base: 75,
    spread: 8,
  },
  { title: 'Cost per repair', unit: '£', polarity: 'lower', category: 'cost', base: 160, spread: 30 },
  {
    title: 'Management cost per home',
    unit: '£ per home',
    polarity: 'lower',
    category: 'cost',
    base: 900,
    spread: 150,
  },
  {
    title: 'Homes meeting the decent homes standard',
    unit: '%',
    polarity: 'higher',
    category: 'performance',
    base: 92,
    spread: 5,
  },
  {
    title: 'Complaints answered within 10 working days',
    unit: '%',
    polarity: 'higher',
    category: 'satisfaction',
    base: 80,
    spread: 9,
  },
  {
    title: 'Emergency repairs attended within 24 hours',
    unit: '%',
    polarity: 'target',
    category: 'performance',
    base: 96,
    spread: 3,
    target: 100,
  },
  {
    title: 'Households in temporary accommodation per 1,000',
    unit: 'per 1,000',
    polarity: 'lower',
    category: 'context',
    base: 4,
    spread: 2,
  },
];
const AREAS = ['Housing repairs', 'Lettings', 'Income', 'Tenant services', 'Asset management'];

export function syntheticDefinitions(size: SyntheticSize) {
  return Array.from({ length: size.indicators }, (_, i) => {
    const theme = THEMES[i % THEMES.length]!;
    const round = Math.floor(i / THEMES.length);
    return {
      code: `${size.codePrefix}I${String(i + 1).padStart(3, '0')}`,
      title: round === 0 ? theme.title : `${theme.title} (${AREAS[round % AREAS.length]}, series ${round + 1})`,
      unit: theme.unit,
      polarity: theme.polarity,
      target: theme.target ?? null,
      category: theme.category,
      serviceArea: AREAS[round % AREAS.length]!,
      periodType: 'financial_year' as const,
      base: theme.base,
      spread: theme.spread,
    };
  });
}

export function syntheticOrganisations(size: SyntheticSize) {
  const random = seededRandom(size.seed);
  return Array.from({ length: size.organisations }, (_, i) => ({
    code: `${size.codePrefix}P${String(i + 1).padStart(4, '0')}`,
    name: `${random.pick(['North', 'South', 'East', 'West', 'Upper', 'Lower', 'Great', 'Little'])} ${random.pick(['Ashby', 'Brook', 'Calder', 'Denholm', 'Elmford', 'Fairley', 'Glenmoor', 'Hartwell', 'Ivybridge', 'Kestrel'])} Homes ${i + 1}`,
    type: 'housing_provider' as const,
    region: random.pick([
      'North East',
      'North West',
      'Yorkshire',
      'Midlands',
      'East',
      'London',
      'South East',
      'South West',
    ]),
    attributes: {
      population: Math.round(random.between(40_000, 400_000)),
      deprivationScore: random.between(5, 45, 1),
      stockSize: Math.round(random.between(1_000, 40_000)),
    },
  }));
}

/** Rows of (organisation index, indicator index, period label, value, quality) in file order, lazily. */
export function* syntheticValues(size: SyntheticSize) {
  const random = seededRandom(size.seed + 1);
  const definitions = syntheticDefinitions(size);
  for (let o = 0; o < size.organisations; o++)
    for (let d = 0; d < definitions.length; d++) {
      const def = definitions[d]!;
      const level = def.base + (random.next() - 0.5) * 2 * def.spread;
      const trend = (random.next() - 0.5) * def.spread * 0.15;
      for (let p = 0; p < size.periods; p++) {
        const gap = random.next();
        if (gap < 0.01) continue; // a few values were never sent
        const noise = (random.next() - 0.5) * def.spread * 0.1;
        let value = level + trend * p + noise;
        if (def.unit === '%') value = Math.min(100, Math.max(0, value));
        yield {
          organisation: o,
          indicator: d,
          period: periodLabel(size.firstYear + p, 'financial_year'),
          value: Math.round(value * 10) / 10,
          quality: gap > 0.99 ? ('estimated' as const) : null,
        };
      }
    }
}

/** The values as a CSV import file. */
export function* syntheticCsv(size: SyntheticSize): Generator<string> {
  const organisations = syntheticOrganisations(size).map((o) => o.code);
  const definitions = syntheticDefinitions(size).map((d) => d.code);
  yield 'organisation_code,indicator_code,period,value,quality\n';
  for (const v of syntheticValues(size))
    yield `${organisations[v.organisation]},${definitions[v.indicator]},${v.period},${v.value},${v.quality ?? ''}\n`;
}
