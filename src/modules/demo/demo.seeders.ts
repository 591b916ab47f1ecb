/** The demo seeders of every module, in the order their records depend on each other. */
import { accountsDemo } from '../accounts/accounts.demo.js';
import { assessmentsDemo } from '../assessments/assessments.demo.js';
import { evidenceDemo } from '../evidence/evidence.demo.js';
import { improvementDemo } from '../improvement/improvement.demo.js';
import { indicatorsDemo } from '../indicators/indicators.demo.js';
import { organisationsDemo } from '../organisations/organisations.demo.js';
import type { DemoSeeder } from './demo.service.js';

// Organisations first: the demo member and viewer belong to one of them; assessments need both.
export const demoSeeders: readonly DemoSeeder[] = [
  organisationsDemo,
  accountsDemo,
  assessmentsDemo,
  evidenceDemo,
  indicatorsDemo,
  // The plan's measures need Ashdown's indicator values, its drafts the published inspection.
  improvementDemo,
];
