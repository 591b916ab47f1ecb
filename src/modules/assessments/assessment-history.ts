/**
 * An assessment's history in plain words, in the framework's terms: every audited action on the assessment, its
 * KLOEs and roll-ups and its evidence requests becomes sentences such as "assigned KLOE 4.2 to Ian Fletcher, due
 * 12 January 2027" or "changed 4.2-P1 from not yet judged to partly met", with people's names, refs and GOV.UK
 * dates — never an id, a field name, an enum value or JSON. The KLOE page and the overview both use it. Pure.
 */
import type { AuditEntryView } from '../audit/index.js';
import { plainDate } from '../../dates.js';
import { OVERALL } from './assessment-framework.js';
import { kloeChanges, personName, quoted, type KloeHistoryLabels } from './kloe-history.js';

export interface HistoryLabels extends KloeHistoryLabels {
  /** People's names by user id, for the records that keep ids (the team). */
  names: Record<string, string>;
  /** Assessment kind id → label ("self_assessment" → "Self-assessment"). */
  kinds: Record<string, string>;
  /** Assessment status id → label. */
  statuses: Record<string, string>;
}

export interface HistoryEntry {
  at: Date;
  who: string;
  changes: string[];
  reason: string | null;
}

/** Every audited action an assessment's history words; a recorded action missing here fails a test. */
export const WORDED_ACTIONS = [
  'assessment.created',
  'assessment.updated',
  'assessment.team_changed',
  'assessment.status_changed',
  'assessment.published',
  'assessment.reopened',
  'assessment.imported',
  'assessment.indicator_snapshot_attached',
  'assessment.report_indicators_chosen',
  'accuracy_check.sent',
  'accuracy_check.changed',
  'accuracy_check.commented',
  'accuracy_check.answered',
  'public_report.made_public',
  'public_report.withdrawn',
  'report.executive_summary_saved',
  'kloe.updated',
  'rating.updated',
  'kloe.assigned',
  'kloe.review_moved',
  'challenge.raised',
  'challenge.resolved',
  'evidence_request.created',
  'evidence_request.answered',
  'evidence_request.overdue',
] as const;

type Fields = Record<string, unknown>;
const fieldsOf = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);
const lower = (label: string | undefined, fallback: string) => (label ?? fallback).toLowerCase();
const dateOf = (value: unknown) => (text(value) ? plainDate(text(value)!) : null);
const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** A KLOE's, key question's or the overall judgement's ref in words. */
export const nodeWords = (ref: string) =>
  ref === OVERALL ? 'the overall judgement' : ref.includes('.') ? `KLOE ${ref}` : `key question ${ref}`;

/** The ref a KLOE record's id ends in ("<assessment>/4.2" → "4.2"). */
const refOf = (entityId: string) => entityId.slice(entityId.lastIndexOf('/') + 1);

/** A factual accuracy section in words ("summary", "4", "4.1"). */
const sectionWords = (section: unknown) =>
  section === 'summary' ? 'the summary judgement' : text(section) ? nodeWords(text(section)!) : 'the report';

const RESPONSES: Record<string, string> = {
  accepted: 'accepted',
  changed: 'changed the report for',
  not_accepted: 'did not accept',
};

/** What other entries of the same history say about a record an entry names only by id. */
interface Context {
  /** Evidence request id → what was asked for. */
  requests: Map<string, string>;
  /** Factual accuracy comment id → its section. */
  accuracyComments: Map<string, unknown>;
}

function contextOf(entries: AuditEntryView[]): Context {
  const context: Context = { requests: new Map(), accuracyComments: new Map() };
  for (const entry of entries) {
    const after = fieldsOf(entry.after);
    if (entry.entityType === 'evidence_request' && text(after.what))
      context.requests.set(entry.entityId, text(after.what)!);
    if (entry.action === 'accuracy_check.commented' && text(after.commentId)) {
      context.accuracyComments.set(text(after.commentId)!, after.section);
    }
  }
  return context;
}

function teamWords(team: unknown, labels: HistoryLabels): string {
  const members = (Array.isArray(team) ? team : []).map(fieldsOf);
  const name = (m: Fields) => labels.names[String(m.userId)] ?? 'a former user';
  const lead = members.filter((m) => m.role === 'lead').map(name);
  const others = members.filter((m) => m.role !== 'lead').map(name);
  if (lead.length === 0 && others.length === 0) return 'no one';
  return [lead.length ? `${listed(lead)} leading` : '', others.length ? `${listed(others)} on the team` : '']
    .filter(Boolean)
    .join(' and ');
}

/** The title, dates, scope and sharing an assessment.updated entry changed. */
function detailChanges(before: Fields, after: Fields): string[] {
  const changes: string[] = [];
  if (before.title !== after.title && text(after.title)) {
    changes.push(`renamed the assessment ${quoted(text(after.title)!)}`);
  }
  for (const [key, noun] of [
    ['plannedStart', 'planned start'],
    ['plannedEnd', 'planned end'],
  ] as const) {
    if ((before[key] ?? null) !== (after[key] ?? null)) {
      changes.push(dateOf(after[key]) ? `set the ${noun} to ${dateOf(after[key])}` : `removed the ${noun}`);
    }
  }
  const [oldScope, newScope] = [list(before.scope), list(after.scope)];
  if (oldScope.join() !== newScope.join()) {
    changes.push(
      newScope.length ? `set the scope to ${listed(newScope.map(nodeWords))}` : 'set the scope to the whole framework',
    );
  }
  if (Boolean(before.sharedWithOrganisation) !== Boolean(after.sharedWithOrganisation)) {
    changes.push(
      after.sharedWithOrganisation
        ? 'shared the assessment with the organisation'
        : 'stopped sharing the assessment with the organisation',
    );
  }
  return changes;
}

/** The sentences of one audit entry, each to follow the person's name. */
export function entryChanges(
  entry: AuditEntryView,
  labels: HistoryLabels,
  options: { onOverview?: boolean; context?: Context } = {},
): string[] {
  const before = fieldsOf(entry.before);
  const after = fieldsOf(entry.after);
  const context = options.context ?? contextOf([entry]);
  const kloe = nodeWords(refOf(entry.entityId));
  const rating = (id: unknown) => (text(id) ? lower(labels.ratings[text(id)!], text(id)!) : 'not rated');
  const kind = (id: unknown) => lower(labels.kinds[String(id)], 'assessment');
  const status = (id: unknown) => lower(labels.statuses[String(id)], String(id));
  const request = () => {
    const what = context.requests.get(entry.entityId) ?? text(after.what);
    return what ? `the evidence request ${quoted(what)}` : 'an evidence request';
  };

  switch (entry.action) {
    case 'assessment.created':
    case 'assessment.imported': {
      const verb = entry.action === 'assessment.created' ? 'opened' : 'imported';
      const dates =
        dateOf(after.plannedStart) || dateOf(after.plannedEnd)
          ? `, planned ${dateOf(after.plannedStart) ?? 'from an open date'} to ${dateOf(after.plannedEnd) ?? 'an open date'}`
          : '';
      return [
        `${verb} the ${kind(after.kind)} ${quoted(text(after.title) ?? '')}${dates}, with ${teamWords(after.team, labels)}`,
      ];
    }
    case 'assessment.updated': {
      const changes = detailChanges(before, after);
      return changes.length ? changes : ['saved the assessment’s details without changing them'];
    }
    case 'assessment.team_changed':
      return [`changed the team to ${teamWords(after.team, labels)}`];
    case 'assessment.status_changed':
      return [`moved the assessment from ${status(before.status)} to ${status(after.status)}`];
    case 'assessment.published':
      return ['published the assessment'];
    case 'assessment.reopened':
      return [`reopened the assessment as revision ${String(after.revision ?? '')}`.trim()];
    case 'assessment.indicator_snapshot_attached':
      return [`attached the performance indicators as they stood on ${dateOf(after.asOf) ?? 'that day'}`];
    case 'assessment.report_indicators_chosen': {
      const chosen = list(after.indicators);
      return [
        chosen.length
          ? `chose the indicators for the report: ${chosen.join(', ')}`
          : 'chose no indicators for the report',
      ];
    }
    case 'accuracy_check.sent':
      return [
        `sent the draft report to the organisation for factual accuracy comments until ${dateOf(after.deadline) ?? 'no date'}`,
      ];
    case 'accuracy_check.changed':
      return [`moved the deadline for factual accuracy comments to ${dateOf(after.deadline) ?? 'no date'}`];
    case 'accuracy_check.commented':
      return [`commented on the factual accuracy of ${sectionWords(after.section)}: ${quoted(text(after.body) ?? '')}`];
    case 'accuracy_check.answered': {
      const section = sectionWords(context.accuracyComments.get(String(after.commentId)));
      const verb = RESPONSES[String(after.response)] ?? 'answered';
      const why = text(after.text) ? `: ${quoted(text(after.text)!)}` : '';
      return [`${verb} a factual accuracy comment on ${section}${why}`];
    }
    case 'public_report.made_public':
      return ['made the report public'];
    case 'public_report.withdrawn':
      return ['withdrew the public report'];
    case 'report.executive_summary_saved': {
      const summary = text(after.executiveSummary);
      return [summary ? `wrote the executive summary ${quoted(summary)}` : 'removed the executive summary'];
    }
    case 'kloe.updated': {
      const changes = kloeChanges(entry.before, entry.after, labels);
      if (changes.length === 0) return [`saved ${options.onOverview ? kloe : 'the KLOE'} without changing it`];
      // On the overview a sentence that does not name its statement names its KLOE.
      return options.onOverview
        ? changes.map((c) =>
            c.startsWith('changed the final rating from')
              ? c.replace('final rating', `final rating of ${kloe}`)
              : c.includes(`${refOf(entry.entityId)}-`)
                ? c
                : `${c} on ${kloe}`,
          )
        : changes;
    }
    case 'rating.updated': {
      const changes: string[] = [];
      if ((before.finalRating ?? null) !== (after.finalRating ?? null)) {
        changes.push(
          `changed the final rating of ${kloe} from ${rating(before.finalRating)} to ${rating(after.finalRating)}`,
        );
      }
      if ((before.rationale ?? null) !== (after.rationale ?? null)) {
        changes.push(
          text(after.rationale)
            ? `wrote the rationale for ${kloe} ${quoted(text(after.rationale)!)}`
            : `removed the rationale for ${kloe}`,
        );
      }
      return changes.length ? changes : [`saved the rating of ${kloe} without changing it`];
    }
    case 'kloe.assigned': {
      const holder = text(after.assignee);
      const due = dateOf(after.dueOn) ? `, due ${dateOf(after.dueOn)}` : '';
      const changes = [holder ? `assigned ${kloe} to ${holder}${due}` : `left ${kloe} unassigned${due}`];
      if ((before.reviewer ?? null) !== (after.reviewer ?? null)) {
        changes.push(
          text(after.reviewer)
            ? `named ${text(after.reviewer)} the reviewer of ${kloe}`
            : `named no reviewer for ${kloe}`,
        );
      }
      return changes;
    }
    case 'kloe.review_moved': {
      const to = text(after.review)?.toLowerCase();
      if (to === 'reviewed') return [`signed off ${kloe} as reviewed`];
      if (to === 'ready for review') return [`marked ${kloe} ready for review`];
      return [text(before.review)?.toLowerCase() === 'reviewed' ? `reopened ${kloe}` : `sent ${kloe} back to drafting`];
    }
    case 'challenge.raised':
      return [`challenged the rating of ${kloe}: ${quoted(text(after.comment) ?? '')}`];
    case 'challenge.resolved':
      return [
        after.status === 'changed'
          ? `resolved the challenge to ${kloe} by changing its rating to ${rating(after.rating)}`
          : `resolved the challenge to ${kloe} by keeping its rating`,
      ];
    case 'evidence_request.created': {
      const kloes = list(after.kloeRefs);
      return [
        `asked for ${quoted(text(after.what) ?? '')}${kloes.length ? ` for ${listed(kloes.map(nodeWords))}` : ''}, due ${dateOf(after.dueOn) ?? 'no date'}`,
      ];
    }
    case 'evidence_request.answered': {
      const files = list(after.files);
      return [`answered ${request()}${files.length ? ` with ${listed(files.map((f) => quoted(f)))}` : ''}`];
    }
    case 'evidence_request.overdue':
      return [`marked ${request()} overdue: it was due ${dateOf(after.dueOn) ?? 'earlier'}`];
    default:
      // An action recorded after this was written: its name in words, still never its fields.
      return [entry.actionText.toLowerCase()];
  }
}

/** The system's own entries ("system (overdue check)") read as kloe. */
const whoOf = (entry: AuditEntryView) => (entry.actorId === null ? 'kloe' : personName(entry.actorLabel));

/** An assessment's (or one KLOE's) audit entries as the pages show them, newest first. */
export function historyEntries(
  entries: AuditEntryView[],
  labels: HistoryLabels,
  options: { onOverview?: boolean } = {},
): HistoryEntry[] {
  const context = contextOf(entries);
  return entries.map((entry) => ({
    at: entry.at,
    who: whoOf(entry),
    changes: entryChanges(entry, labels, { ...options, context }),
    reason: entry.reason,
  }));
}
