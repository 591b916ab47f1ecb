/**
 * The events other systems can follow, read from the audit trail: every change kloe makes is recorded there
 * in the transaction that makes it, in order, so following it misses nothing and holds up no request.
 */
export const WEBHOOK_EVENTS = {
  'assessment.opened': 'An assessment was opened',
  'assessment.status_changed': 'An assessment moved to another status (not published)',
  'assessment.published': 'An assessment was published',
  'assessment.reopened': 'A published assessment was reopened as its next revision',
  'challenge.raised': 'A rating was challenged in moderation',
  'challenge.resolved': 'A challenge was resolved',
  'evidence_request.made': 'Inspectors asked the organisation for evidence',
  'evidence_request.answered': 'The organisation answered a request for evidence',
  'evidence_request.overdue': 'A request for evidence passed its date unanswered',
  'indicator.values_imported': 'An import changed an indicator’s values',
  'plan_action.status_changed': 'An action of an improvement plan changed status',
} as const;

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

/** Audit actions that are events as they are, by the event's name. */
const BY_ACTION: Record<string, WebhookEvent> = {
  'assessment.created': 'assessment.opened',
  'assessment.status_changed': 'assessment.status_changed',
  'assessment.published': 'assessment.published',
  'assessment.reopened': 'assessment.reopened',
  'challenge.raised': 'challenge.raised',
  'challenge.resolved': 'challenge.resolved',
  'evidence_request.created': 'evidence_request.made',
  'evidence_request.answered': 'evidence_request.answered',
  'evidence_request.overdue': 'evidence_request.overdue',
  'indicator.values_changed': 'indicator.values_imported',
};

export interface AuditEvent {
  id: number;
  at: Date;
  action: string;
  entityType: string;
  entityId: string;
  actorLabel: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

const statusOf = (value: unknown) =>
  value && typeof value === 'object' ? (value as { status?: unknown }).status : undefined;

/** The event an audit entry is, if any. */
export function eventOf(entry: AuditEvent): WebhookEvent | undefined {
  if (entry.action === 'improvement_action.updated')
    return statusOf(entry.before) !== statusOf(entry.after) ? 'plan_action.status_changed' : undefined;
  return BY_ACTION[entry.action];
}

/** The JSON body of an event (the Standard Webhooks shape: type, timestamp, data). */
export function eventBody(type: WebhookEvent, entry: AuditEvent) {
  return {
    type,
    timestamp: entry.at.toISOString(),
    data: {
      [entry.entityType === 'assessment' ? 'assessmentId' : 'id']: entry.entityId,
      entityType: entry.entityType,
      entityId: entry.entityId,
      actor: entry.actorLabel,
      before: entry.before,
      after: entry.after,
      reason: entry.reason,
    },
  };
}
