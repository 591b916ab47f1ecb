/**
 * The improvement plan of the demo: Ashdown District Council's housing repairs plan, drafted from the 2024
 * inspection's recommendations, half delivered: two actions done (their milestones reached and targets met),
 * one on track, and one off track against its indicator (tenants' satisfaction fell below its baseline),
 * with progress updates, one resting on evidence, and an inspector's comment. Baselines and targets are set
 * from Ashdown's latest demo values, so the statuses hold whatever size the indicators demo has. Made
 * through the services, so every record is audited; skipped when the plan already has aims.
 */
import type { Database } from '../../db/database.js';
import { accountsRepository as accountsRepo } from '../accounts/index.js';
import type { UserActor } from '../accounts/index.js';
import { DEMO_PREVIOUS_INSPECTION } from '../assessments/index.js';
import { assessments } from '../../db/schema.js';
import type { DemoPart } from '../demo/index.js';
import { periodLabel } from '../indicators/index.js';
import { ASHDOWN_CODE } from '../organisations/index.js';
import { organisationsRepository as organisationsRepo } from '../organisations/index.js';
import { eq } from 'drizzle-orm';
import { createImprovementService } from './improvement.service.js';
import { createPlanDraftsService } from './plan-drafts.service.js';
import { latestReadings } from './plan-status.js';
import * as progressRepo from './progress.repository.js';
import { createProgressService } from './progress.service.js';

const SERVICE = 'Housing repairs';

async function person(db: Database, email: string): Promise<UserActor> {
  const user = await accountsRepo.findUserByEmail(db, email);
  if (!user) throw new Error(`the demo person ${email} is missing: the accounts part runs first`);
  const { id: userId, name, role, organisationId } = user;
  return { kind: 'user', userId, email, name, role, organisationId, via: 'session', sessionId: null };
}

type Shape = 'done' | 'on_track' | 'off_track';

/** One action per drafted aim, in the recommendations' order. */
const ACTIONS: { code: string; shape: Shape; title: string; resources: string; milestone: string; update: string }[] = [
  {
    code: 'DEMO-I005',
    shape: 'done',
    title: 'Join a landlords’ benchmarking club and compare repair costs every year',
    resources: 'Club fee £4,000 a year; half a performance officer',
    milestone: 'First cost comparison reported',
    update:
      'The first comparison showed our cost per repair above the median; the new schedule of rates closed the gap.',
  },
  {
    code: 'DEMO-I001',
    shape: 'done',
    title: 'Quarterly repairs performance report to cabinet, with top-quartile targets',
    resources: 'Within existing budgets',
    milestone: 'First quarterly report to cabinet',
    update: 'Cabinet has had four quarterly reports; right-first-time repairs met the target.',
  },
  {
    code: 'DEMO-I004',
    shape: 'off_track',
    title: 'Tenant inspectors check one in twenty completed repairs',
    resources: 'Training for 12 tenant inspectors, £6,500',
    milestone: 'Tenant inspectors trained',
    update: 'Twelve tenant inspectors trained; checks started, but satisfaction fell in the latest survey.',
  },
  {
    code: 'DEMO-I002',
    shape: 'on_track',
    title: 'Let a new empty-homes contract with a 20-day relet standard',
    resources: 'Contract value £1.2m over three years',
    milestone: 'Contract let',
    update: 'The contract was let in September; relet times are coming down.',
  },
];

const round = (n: number) => Math.round(n * 10) / 10;

export const improvementDemo: DemoPart = {
  module: 'improvement plans',
  async load(db: Database) {
    const organisation = await organisationsRepo.findOrganisationByCode(db, ASHDOWN_CODE);
    const service = organisation
      ? (await organisationsRepo.listServices(db, organisation.id)).find((s) => s.name === SERVICE)
      : undefined;
    const [inspection] = await db
      .select({ id: assessments.id })
      .from(assessments)
      .where(eq(assessments.title, DEMO_PREVIOUS_INSPECTION));
    if (!organisation || !service || !inspection) return 'none (the demo council or its inspection is missing)';
    const member = await person(db, 'member@example.org');
    const lead = await person(db, 'lead.inspector@example.org');
    const improvement = createImprovementService({ db });
    if ((await improvement.get(member, organisation.id, service.id)).aims.length > 0) return 'none (already there)';

    await createPlanDraftsService({ db }).draftFromAssessment(member, inspection.id);
    const { aims } = await improvement.get(member, organisation.id, service.id);
    const codes = ACTIONS.map((a) => a.code);
    const latest = latestReadings(await progressRepo.readingsOf(db, [organisation.id], codes));
    const [evidence] = await progressRepo.evidenceOfService(db, service.id);
    const progress = createProgressService({ db });
    let made = 0;
    for (const [i, spec] of ACTIONS.entries()) {
      const aim = aims[i];
      const reading = latest.get(`${organisation.id}|${spec.code}`);
      if (!aim || !reading || reading.value === null || reading.polarity === 'target') continue;
      const value = reading.value;
      const sign = reading.polarity === 'higher' ? 1 : -1;
      const by = (share: number) => round(value + sign * Math.abs(value) * share); // better by a share of it
      const measure = {
        done: { baseline: by(-0.1), target: by(-0.02), targetPeriod: reading.period },
        on_track: {
          baseline: by(-0.1),
          target: by(0.05),
          targetPeriod: periodLabel(reading.periodIndex + 3, reading.periodType),
        },
        off_track: {
          baseline: by(0.04),
          target: by(0.12),
          targetPeriod: periodLabel(reading.periodIndex + 3, reading.periodType),
        },
      }[spec.shape];
      const action = await improvement.createAction(member, organisation.id, service.id, aim.id, {
        title: spec.title,
        ownerId: member.userId,
        startDate: '2025-04-01',
        dueDate: spec.shape === 'done' ? '2026-03-31' : '2028-03-31',
        resources: spec.resources,
        milestones: [{ title: spec.milestone, date: '2025-09-30' }],
        measures: [{ indicatorCode: spec.code, ...measure }],
        dependsOn: [],
      });
      await progress.recordProgress(member, organisation.id, service.id, aim.id, action.id, {
        recordedOn: '2025-10-15',
        note: spec.update,
        milestonesReached: [spec.milestone],
        evidenceItemIds: spec.shape === 'done' && evidence && i === 0 ? [evidence.id] : [],
      });
      if (spec.shape === 'off_track') {
        await progress.addComment(lead, organisation.id, service.id, {
          actionId: action.id,
          body: 'Satisfaction has fallen below the baseline: what will change before the next survey?',
        });
      }
      made += 1;
    }
    return `a housing repairs plan of ${aims.length} aims and ${made} actions`;
  },
};
