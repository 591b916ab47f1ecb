/** What the assessments' pages share: dependencies, crumbs, labels and the common template context. */
import type { UserActor } from '../accounts/index.js';
import type { AssessmentRef } from './assessment-access.js';
import type { AuditService } from '../audit/index.js';
import type { HistoryLabels } from './assessment-history.js';
import type { AssessmentRow } from './assessments.repository.js';
import { KIND_LABELS, OUTCOME_LABELS, STATUS_LABELS } from './assessments.schemas.js';
import type { AssessmentsService } from './assessments.service.js';
import type { KloeReviewService } from './kloe-review.service.js';
import type { ModerationService } from './moderation.service.js';
import type { WorkspaceService } from './workspace.service.js';

export interface AssessmentPageDeps {
  assessments: AssessmentsService;
  workspace: WorkspaceService;
  moderation: ModerationService;
  audit: Pick<AuditService, 'historyOf' | 'historyOfMany'>;
  /** The evidence linked to one KLOE's statements, shown in its workspace (given by the evidence module). */
  kloeEvidence?: (actor: UserActor, assessment: AssessmentRef, kloeRef: string) => Promise<unknown>;
  /** The indicator figures a KLOE's workspace shows (from the indicators module), undefined for most KLOEs. */
  kloeFigures?: (actor: UserActor, assessment: AssessmentRef, kloeRef: string) => Promise<unknown>;
  /** Who holds the KLOEs and where each is in review (kloe-review.service.ts). */
  kloeReview?: Pick<KloeReviewService, 'forKloe' | 'board'>;
  /** The comment threads a KLOE's page shows (from the comments module). */
  kloeComments?: (actor: UserActor, assessment: AssessmentRef, kloeRef: string) => Promise<unknown>;
  /** The service's track record a KLOE's workspace shows (from the improvement module), undefined for most KLOEs. */
  kloeTrackRecord?: (actor: UserActor, assessment: AssessmentRef, kloeRef: string) => Promise<unknown>;
}

/** What every one of these pages' templates uses. */
export const common = {
  section: 'assessments',
  kindLabels: KIND_LABELS,
  statusLabels: STATUS_LABELS,
  outcomeLabels: OUTCOME_LABELS,
};

/** The most recent changes shown on a record's page; the audit pages have the rest. */
export const HISTORY_LIMIT = 20;

export const LIST_CRUMB = { text: 'Assessments', href: '/assessments' };

export const assessmentCrumb = (assessment: Pick<AssessmentRow, 'id' | 'title'>) => ({
  text: assessment.title,
  href: `/assessments/${assessment.id}`,
});

/** What a history in plain words needs to name (assessment-history.ts): labels of the scale, kinds and statuses. */
export function historyLabels(
  ratingScale: { id: string; label: string; hasDescriptor?: boolean }[],
  names: Record<string, string> = {},
): HistoryLabels {
  return {
    outcomes: OUTCOME_LABELS,
    ratings: Object.fromEntries(ratingScale.map((level) => [level.id, level.label])),
    bestLevel: ratingScale.find((level) => level.hasDescriptor)?.label.toLowerCase() ?? 'best',
    names,
    kinds: KIND_LABELS,
    statuses: STATUS_LABELS,
  };
}
