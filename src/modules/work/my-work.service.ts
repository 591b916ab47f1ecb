/**
 * "My work", the home page of a signed-in person: the KLOEs they hold and their due dates, the KLOEs waiting
 * for their review, the challenges waiting for them (as a lead), evidence requests due or overdue (the team's)
 * or asked of their organisation (members), and how many assessments are in each status.
 */
import type { Database } from '../../db/database.js';
import type { UserActor } from '../accounts/index.js';
import { assessmentScope } from '../assessments/index.js';
import { ASSESSMENT_STATUSES } from '../../db/schema.js';
import type { KloeReviewService } from '../assessments/index.js';
import * as repo from './my-work.repository.js';
import { ukDay } from '../../dates.js';

/** Requests due within this many days count as due. */
const DUE_SOON_DAYS = 14;

export function createMyWorkService(deps: { db: Database; kloeReview: Pick<KloeReviewService, 'workOf'> }) {
  const { db } = deps;
  return {
    async of(actor: UserActor) {
      const today = ukDay();
      const until = ukDay(new Date(Date.now() + DUE_SOON_DAYS * 86_400_000));
      const member = actor.role === 'organisation_member' || actor.role === 'viewer';
      const [kloes, counts, challenges, teamRequests, asked] = await Promise.all([
        deps.kloeReview.workOf(actor),
        repo.countByStatus(db, assessmentScope(actor)),
        repo.challengesToResolve(db, actor.userId),
        repo.teamRequestsDue(db, actor.userId, until),
        member && actor.organisationId ? repo.organisationRequests(db, actor.organisationId) : Promise.resolve([]),
      ]);
      const overdue = (dueOn: string | null) => dueOn !== null && dueOn < today;
      return {
        assigned: kloes.assigned.map((k) => ({ ...k, overdue: overdue(k.dueOn) })),
        toReview: kloes.toReview,
        challenges,
        requests: teamRequests.map((r) => ({ ...r, overdue: overdue(r.dueOn) })),
        askedOfOrganisation: asked.map((r) => ({ ...r, overdue: overdue(r.dueOn) })),
        statuses: ASSESSMENT_STATUSES.map((status) => ({
          status,
          count: counts.find((c) => c.status === status)?.n ?? 0,
        })),
      };
    },
  };
}

export type MyWorkService = ReturnType<typeof createMyWorkService>;
