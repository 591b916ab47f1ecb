/** The demo parts of every module, in the order their records depend on each other. */
import { accountsDemo } from './modules/accounts/index.js';
import { assessmentsDemo } from './modules/assessments/index.js';
import { evidenceDemo } from './modules/evidence/index.js';
import { improvementDemo } from './modules/improvement/index.js';
import { indicatorsDemo } from './modules/indicators/index.js';
import { organisationsDemo } from './modules/organisations/index.js';
import type { DemoPart } from './modules/demo/index.js';

// Organisations first: the demo member and viewer belong to one of them; assessments need both.
export const demoParts: readonly DemoPart[] = [
  organisationsDemo,
  accountsDemo,
  assessmentsDemo,
  evidenceDemo,
  indicatorsDemo,
  // The plan's measures need Ashdown's indicator values, its drafts the published inspection.
  improvementDemo,
];
