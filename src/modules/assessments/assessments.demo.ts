/**
 * The assessments of the demo, so that a newcomer sees every screen filled: Ashdown District Council's
 * self-assessment of its housing repairs, half done (key question 4 and KLOE group 5.1 judged, a few
 * final ratings, a rationale or two), the inspection of 2024, published with four recommendations (the
 * demo improvement plan answers them), and this year's inspection of the same service in moderation,
 * judged in full, with one open challenge. Findings come from a seeded generator: every load gives the same ones.
 * Found by title, so loading the demo again adds nothing twice.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { accountsRepository as accountsRepo } from '../accounts/index.js';
import type { UserActor } from '../accounts/index.js';
import type { DemoPart } from '../demo/index.js';
import { seededRandom, type SeededRandom } from '../demo/index.js';
import { ASHDOWN_CODE } from '../organisations/index.js';
import { organisationsRepository as organisationsRepo } from '../organisations/index.js';
import { statementsOf } from './assessment-framework.js';
import { assessments } from './assessments.tables.js';
import { createAssessmentsService } from './assessments.service.js';
import type { FindingOutcome } from './assessments.tables.js';
import { createModerationService } from './moderation.service.js';
import { createRecommendationsService } from './recommendations.service.js';
import { createWorkspaceService } from './workspace.service.js';

const SERVICE = 'Housing repairs';
export const DEMO_SELF_ASSESSMENT = 'Housing repairs self-assessment 2026';
export const DEMO_INSPECTION = 'Housing repairs inspection 2026';
/** The inspection before it, published with recommendations: the improvement plan's demo starts from these. */
export const DEMO_PREVIOUS_INSPECTION = 'Housing repairs inspection 2024';
/** When the previous inspection was published (the demo dates it; publishing stamps the time of loading). */
const PREVIOUS_PUBLISHED_AT = new Date('2024-12-13T10:00:00Z');

/** What the previous inspection recommended: the demo plan's aims are drafted from these. */
export const DEMO_RECOMMENDATIONS = [
  {
    text: 'Benchmark repair costs against similar landlords every year and act on the gaps',
    priority: 'high',
    outcome: 'Repair costs per home at or below the median of similar landlords',
    kloeRefs: ['4.4', '5.1.3'],
  },
  {
    text: 'Set challenging targets for repairs done on time and report them to cabinet every quarter',
    priority: 'high',
    outcome: 'Targets in the top quartile, monitored quarterly by members',
    kloeRefs: ['5.1.2', '5.2.2'],
  },
  {
    text: 'Involve tenants in checking the quality of completed repairs',
    priority: 'medium',
    outcome: 'Tenants’ satisfaction with repairs rises year on year',
    kloeRefs: ['4.2', '5.2.4'],
  },
  {
    text: 'Cut the time empty homes stand between lets',
    priority: 'medium',
    outcome: 'Empty homes relet within the national median time',
    kloeRefs: ['4.1', '4.2'],
  },
] as const;

/** Mostly met, some partly, a few not: a service with promising prospects and work to do. */
function outcome(random: SeededRandom, level: string): FindingOutcome {
  const roll = random.next();
  if (level === 'promising') return roll < 0.6 ? 'met' : roll < 0.85 ? 'partly_met' : 'not_met';
  return roll < 0.75 ? 'met' : roll < 0.9 ? 'partly_met' : 'not_met';
}

const NOTES = [
  'Seen in the repairs improvement plan 2025–28 and confirmed at interview with the head of service.',
  'Tenant focus group described faster repairs since the new scheduling system.',
  'Performance reports to cabinet show the trend but not the comparison with other landlords.',
  'Reality check of void properties found two of ten below the lettable standard.',
];

async function person(db: Database, email: string): Promise<UserActor> {
  const user = await accountsRepo.findUserByEmail(db, email);
  if (!user) throw new Error(`the demo person ${email} is missing: the accounts part runs first`);
  const { id: userId, name, role, organisationId } = user;
  return { kind: 'user', userId, email, name, role, organisationId, via: 'session', sessionId: null };
}

/** Judges the KLOEs given: findings on every statement, strengths and areas, and (optionally) the suggested rating as final. */
async function judge(
  db: Database,
  actor: UserActor,
  id: string,
  refs: string[] | 'all',
  options: { random: SeededRandom; rate: (ref: string) => boolean },
) {
  const workspace = createWorkspaceService({ db });
  const overview = await workspace.overview(actor, id);
  for (const k of overview.kloes) {
    const ref = k.leaf.kloe.ref;
    if (refs !== 'all' && !refs.includes(ref)) continue;
    const findings = statementsOf(k.leaf).map((s, i) => ({
      statementRef: s.ref,
      outcome: outcome(options.random, s.level),
      note: i % 3 === 0 ? options.random.pick(NOTES) : null,
    }));
    const saved = await workspace.saveKloe(actor, id, ref, {
      version: k.judgement.version,
      findings,
      strengths: [`${k.leaf.kloe.question.split(/[?.]/)[0]!.slice(0, 80)}: clear progress since the last inspection`],
      areasForImprovement: ['Compare performance and costs with similar landlords'],
    });
    if (options.rate(ref) && saved.suggestion.rating) {
      await workspace.saveKloe(actor, id, ref, {
        version: saved.judgement.version,
        finalRating: saved.suggestion.rating,
      });
    }
  }
}

/** Every KLOE judged and rated as suggested, then every key question and the overall judgement. */
async function judgeInFull(db: Database, lead: UserActor, id: string, seed: number) {
  await judge(db, lead, id, 'all', { random: seededRandom(seed), rate: () => true });
  const workspace = createWorkspaceService({ db });
  const overview = await workspace.overview(lead, id);
  for (const node of [...overview.keyQuestions, overview.overall]) {
    const fresh = await workspace.overview(lead, id);
    const now = [...fresh.keyQuestions, fresh.overall].find((n) => n.nodeRef === node.nodeRef)!;
    if (now.suggestion.rating) {
      await workspace.saveRollUp(lead, id, node.nodeRef, {
        version: now.judgement.version,
        finalRating: now.suggestion.rating,
      });
    }
  }
}

export const assessmentsDemo: DemoPart = {
  module: 'assessments',
  async load(db: Database) {
    const existing = await db.select({ title: assessments.title }).from(assessments);
    const titles = new Set(existing.map((a) => a.title));
    const organisation = await organisationsRepo.findOrganisationByCode(db, ASHDOWN_CODE);
    const service = organisation
      ? (await organisationsRepo.listServices(db, organisation.id)).find((s) => s.name === SERVICE)
      : undefined;
    if (!organisation || !service) return 'none (the demo council is missing)';
    const subject = { organisationId: organisation.id, serviceId: service.id, frameworkId: 'audit-commission-j2' };
    const lifecycle = createAssessmentsService({ db });
    const added: string[] = [];

    if (!titles.has(DEMO_SELF_ASSESSMENT)) {
      const member = await person(db, 'member@example.org');
      const created = await lifecycle.create(member, {
        ...subject,
        kind: 'self_assessment',
        title: DEMO_SELF_ASSESSMENT,
        plannedStart: '2026-09-01',
        plannedEnd: '2026-12-18',
      });
      await lifecycle.moveStatus(member, created.id, { version: created.version, status: 'fieldwork' });
      const random = seededRandom(2026);
      await judge(db, member, created.id, ['4.1', '4.2', '4.3', '4.4', '5.1.1', '5.1.2', '5.1.3'], {
        random,
        rate: (ref) => ref.startsWith('4.'),
      });
      // One rating set against its suggestion, with the rationale that requires.
      const workspace = createWorkspaceService({ db });
      const k = (await workspace.kloe(member, created.id, '5.1.1')).kloe;
      await workspace.saveKloe(member, created.id, '5.1.1', {
        version: k.judgement.version,
        finalRating: 'promising',
        rationale:
          'The new performance framework was adopted in October; its first quarter already shows the targets being met.',
      });
      added.push('a self-assessment');
    }

    if (!titles.has(DEMO_PREVIOUS_INSPECTION)) {
      const lead = await person(db, 'lead.inspector@example.org');
      let row = await lifecycle.create(lead, {
        ...subject,
        kind: 'inspection',
        title: DEMO_PREVIOUS_INSPECTION,
        plannedStart: '2024-10-07',
        plannedEnd: '2024-11-29',
        sharedWithOrganisation: true,
      });
      row = await lifecycle.moveStatus(lead, row.id, { version: row.version, status: 'fieldwork' });
      await judgeInFull(db, lead, row.id, 2024);
      const recommendations = createRecommendationsService({ db });
      for (const r of DEMO_RECOMMENDATIONS) {
        await recommendations.create(lead, row.id, { ...r, kloeRefs: [...r.kloeRefs], areas: [] });
      }
      for (const status of ['moderation', 'published'] as const) {
        row = await lifecycle.moveStatus(lead, row.id, { version: row.version, status });
      }
      await db.update(assessments).set({ publishedAt: PREVIOUS_PUBLISHED_AT }).where(eq(assessments.id, row.id));
      added.push('a published inspection');
    }

    if (!titles.has(DEMO_INSPECTION)) {
      const lead = await person(db, 'lead.inspector@example.org');
      const inspector = await person(db, 'inspector@example.org');
      const created = await lifecycle.create(lead, {
        ...subject,
        kind: 'inspection',
        title: DEMO_INSPECTION,
        plannedStart: '2026-10-05',
        plannedEnd: '2026-11-27',
        sharedWithOrganisation: true,
        memberUserIds: [inspector.userId],
      });
      const fieldwork = await lifecycle.moveStatus(lead, created.id, {
        version: created.version,
        status: 'fieldwork',
      });
      await judgeInFull(db, lead, created.id, 1999);
      await lifecycle.moveStatus(lead, created.id, { version: fieldwork.version, status: 'moderation' });
      await createModerationService({ db }).raise(inspector, created.id, {
        targetRef: '4.3',
        comment: 'Satisfaction rose in the 2026 tenant survey; the evidence supports a higher rating here.',
      });
      added.push('an inspection in moderation');
    }
    return added.length > 0 ? added.join(', ') : 'none (already there)';
  },
};
