/**
 * The fictional organisations of the demo: Ashdown District Council (the demo member and viewer belong
 * to it) and a housing provider, each with services, and enough further councils and housing providers
 * for comparator groups to have something to compare. Names are invented; figures are plausible, drawn
 * from a seeded generator so that every load gives the same ones.
 */
import { seededRandom } from '../demo/index.js';
import type { ContextAttributes, OrganisationType } from './organisations.tables.js';

export interface DemoOrganisation {
  code: string;
  name: string;
  type: OrganisationType;
  region: string;
  attributes: ContextAttributes;
  services: { name: string; description: string }[];
}

export const ASHDOWN_CODE = 'E07000901';

const REGIONS = [
  'North East',
  'North West',
  'Yorkshire and The Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'South East',
  'South West',
] as const;

const FURTHER_COUNCILS = [
  'Brackenmoor Borough Council',
  'Cindervale District Council',
  'Dunmere District Council',
  'Eastholt Borough Council',
  'Fallowmere District Council',
  'Glenhallow District Council',
  'Harrowdene Borough Council',
  'Hollinsvale District Council',
  'Kestrelvale District Council',
  'Larkhaven Borough Council',
  'Marlcombe District Council',
  'Nettlebridge District Council',
  'Oakhurst Vale Borough Council',
  'Pennystone District Council',
  'Quarrydown District Council',
  'Ravensholme Borough Council',
  'Saltmarsh Vale District Council',
  'Thornbury Heath District Council',
  'Upperwold District Council',
  'Wrenfield Borough Council',
  'Yarrowby District Council',
  'Westmere Borough Council',
  'Fernleigh Borough Council',
];

const FURTHER_HOUSING_PROVIDERS = [
  'Brightwater Housing Association',
  'Kingfisher Housing Trust',
  'Hearthstone Homes',
  'Northvale Housing Group',
  'Cobblestone Housing Association',
];

const ASHDOWN: DemoOrganisation = {
  code: ASHDOWN_CODE,
  name: 'Ashdown District Council',
  type: 'council',
  region: 'South East',
  attributes: { population: 118_400, deprivationScore: 14.6, stockSize: 5_120 },
  services: [
    { name: 'Housing repairs', description: 'Responsive and planned repairs to the council’s homes.' },
    {
      name: 'Homelessness and housing advice',
      description: 'Preventing homelessness, housing advice and the housing register.',
    },
    { name: 'Waste collection', description: 'Household waste, recycling and garden waste collections.' },
  ],
};

const MEADOWGATE: DemoOrganisation = {
  code: 'L9001',
  name: 'Meadowgate Homes',
  type: 'housing_provider',
  region: 'South East',
  attributes: { deprivationScore: 19.3, stockSize: 12_800 },
  services: [
    { name: 'Housing repairs', description: 'Repairs and maintenance for tenants and leaseholders.' },
    { name: 'Tenancy management', description: 'Lettings, rent collection and tenancy support.' },
  ],
};

/** Every demo organisation, the same on every call: 24 councils and 6 housing providers. */
export function demoOrganisations(): DemoOrganisation[] {
  const random = seededRandom(20_260_501);
  const councils = FURTHER_COUNCILS.map((name, index): DemoOrganisation => ({
    code: `E07000${902 + index}`,
    name,
    type: 'council',
    region: random.pick(REGIONS),
    attributes: {
      population: random.between(620, 1_850) * 100,
      deprivationScore: random.between(7, 34, 1),
      stockSize: random.between(180, 950) * 10,
    },
    services: [],
  }));
  const providers = FURTHER_HOUSING_PROVIDERS.map((name, index): DemoOrganisation => ({
    code: `L900${2 + index}`,
    name,
    type: 'housing_provider',
    region: random.pick(REGIONS),
    attributes: { deprivationScore: random.between(10, 32, 1), stockSize: random.between(250, 4_500) * 10 },
    services: [],
  }));
  return [ASHDOWN, ...councils, MEADOWGATE, ...providers];
}
