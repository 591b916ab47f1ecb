/** The wording of every audited action an assessment's history shows: people, refs and dates, never ids or JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../audit/audit.view-model.js';
import { describeAction } from '../audit/audit.view-model.js';
import { entryChanges, historyEntries, WORDED_ACTIONS, type HistoryLabels } from './assessment-history.js';

const ASSESSMENT = '6f1c2a9e-1b7d-4c55-9a3e-2f0b8d4e7a11';
const LEAD = '0b6e1f52-8c3a-4f0d-9e2b-7a5c4d3e2f10';
const MEMBER = 'c4d2e1f0-9a8b-4c7d-8e6f-5a4b3c2d1e0f';
const REQUEST = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const COMMENT = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const labels: HistoryLabels = {
  outcomes: { met: 'Met', partly_met: 'Partly met', not_met: 'Not met', not_judged: 'Not yet judged' },
  ratings: { excellent: 'Excellent', promising: 'Promising', uncertain: 'Uncertain', poor: 'Poor' },
  bestLevel: 'promising',
  names: { [LEAD]: 'Leila Brandt', [MEMBER]: 'Ian Fletcher' },
  kinds: { inspection: 'Inspection', self_assessment: 'Self-assessment', peer_review: 'Peer review' },
  statuses: { planning: 'Planning', fieldwork: 'Fieldwork', moderation: 'Moderation', published: 'Published' },
};

const team = [
  { userId: LEAD, role: 'lead' },
  { userId: MEMBER, role: 'member' },
];
const record = {
  id: ASSESSMENT,
  revision: 1,
  organisationId: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918',
  serviceId: '8f7e6d5c-4b3a-4291-8a0f-7e6d5c4b3a29',
  frameworkVersionId: 1,
  kind: 'inspection',
  title: 'Housing repairs inspection 2026',
  status: 'planning',
  scope: [],
  plannedStart: '2026-10-05',
  plannedEnd: '2026-11-27',
  sharedWithOrganisation: false,
};
const kloeRecord = (over: object = {}) => ({
  version: 1,
  findings: {},
  strengths: [],
  areasForImprovement: [],
  exceeded: false,
  finalRating: null,
  rationale: null,
  ...over,
});

/** One recorded example of each action, as its service records it (before, after, entity), and its wording. */
const EXAMPLES: Record<(typeof WORDED_ACTIONS)[number], { entry: Partial<AuditEntryView>; says: string[] }> = {
  'assessment.created': {
    entry: { after: { ...record, team } },
    says: [
      'opened the inspection “Housing repairs inspection 2026”, planned 5 October 2026 to 27 November 2026, with Leila Brandt leading and Ian Fletcher on the team',
    ],
  },
  'assessment.imported': {
    entry: {
      after: { ...record, team, importedFrom: { assessmentId: ASSESSMENT, asNew: true }, counts: { findings: 3 } },
    },
    says: [
      'imported the inspection “Housing repairs inspection 2026”, planned 5 October 2026 to 27 November 2026, with Leila Brandt leading and Ian Fletcher on the team',
    ],
  },
  'assessment.updated': {
    entry: {
      before: record,
      after: {
        ...record,
        title: 'Repairs 2026',
        plannedEnd: '2027-01-12',
        scope: ['4', '5.1.1'],
        sharedWithOrganisation: true,
      },
    },
    says: [
      'renamed the assessment “Repairs 2026”',
      'set the planned end to 12 January 2027',
      'set the scope to key question 4 and KLOE 5.1.1',
      'shared the assessment with the organisation',
    ],
  },
  'assessment.team_changed': {
    entry: { before: { team: [team[0]] }, after: { team } },
    says: ['changed the team to Leila Brandt leading and Ian Fletcher on the team'],
  },
  'assessment.status_changed': {
    entry: { before: { status: 'planning' }, after: { status: 'fieldwork' } },
    says: ['moved the assessment from planning to fieldwork'],
  },
  'assessment.published': {
    entry: { before: { status: 'moderation' }, after: { status: 'published' } },
    says: ['published the assessment'],
  },
  'assessment.reopened': {
    entry: { before: { revisionOf: ASSESSMENT, revision: 1 }, after: { ...record, revision: 2 } },
    says: ['reopened the assessment as revision 2'],
  },
  'assessment.indicator_snapshot_attached': {
    entry: { after: { snapshotId: REQUEST, asOf: '2026-11-02T09:00:00.000Z', organisation: 'E07000061' } },
    says: ['attached the performance indicators as they stood on 2 November 2026'],
  },
  'assessment.report_indicators_chosen': {
    entry: { before: { indicators: [] }, after: { indicators: ['BV212', 'HR-01'] } },
    says: ['chose the indicators for the report: BV212, HR-01'],
  },
  'accuracy_check.sent': {
    entry: { before: null, after: { deadline: '2027-01-12', message: null, sharedWithOrganisation: true } },
    says: ['sent the draft report to the organisation for factual accuracy comments until 12 January 2027'],
  },
  'accuracy_check.changed': {
    entry: { before: { deadline: '2027-01-12' }, after: { deadline: '2027-01-19', sharedWithOrganisation: true } },
    says: ['moved the deadline for factual accuracy comments to 19 January 2027'],
  },
  'accuracy_check.commented': {
    entry: { after: { commentId: COMMENT, section: '4.2', body: 'The survey was in 2025' } },
    says: ['commented on the factual accuracy of KLOE 4.2: “The survey was in 2025”'],
  },
  'accuracy_check.answered': {
    entry: {
      before: { commentId: COMMENT, response: null, text: null },
      after: { commentId: COMMENT, response: 'not_accepted', text: 'The report says 2026' },
    },
    says: ['did not accept a factual accuracy comment on the report: “The report says 2026”'],
  },
  'public_report.made_public': {
    entry: { before: null, after: { public: true, path: `/reports/${ASSESSMENT}` } },
    says: ['made the report public'],
  },
  'public_report.withdrawn': {
    entry: { before: { public: true }, after: { public: false, notice: 'Withdrawn for correction' } },
    says: ['withdrew the public report'],
  },
  'report.executive_summary_saved': {
    entry: { before: { executiveSummary: null }, after: { executiveSummary: 'A service on the mend' } },
    says: ['wrote the executive summary “A service on the mend”'],
  },
  'kloe.updated': {
    entry: {
      entityType: 'kloe',
      entityId: `${ASSESSMENT}/4.2`,
      before: kloeRecord(),
      after: kloeRecord({ findings: { '4.2-P1': { outcome: 'partly_met', note: null } }, finalRating: 'uncertain' }),
    },
    says: [
      'changed 4.2-P1 from not yet judged to partly met',
      'changed the final rating of KLOE 4.2 from not rated to uncertain',
    ],
  },
  'rating.updated': {
    entry: {
      entityType: 'kloe',
      entityId: `${ASSESSMENT}/overall`,
      before: { finalRating: null, rationale: null },
      after: { finalRating: 'promising', rationale: null },
    },
    says: ['changed the final rating of the overall judgement from not rated to promising'],
  },
  'kloe.assigned': {
    entry: {
      entityType: 'kloe',
      entityId: `${ASSESSMENT}/4.2`,
      before: { assignee: null, reviewer: null, dueOn: null },
      after: { assignee: 'Ian Fletcher', reviewer: 'Leila Brandt', dueOn: '2027-01-12' },
    },
    says: ['assigned KLOE 4.2 to Ian Fletcher, due 12 January 2027', 'named Leila Brandt the reviewer of KLOE 4.2'],
  },
  'kloe.review_moved': {
    entry: {
      entityType: 'kloe',
      entityId: `${ASSESSMENT}/4.2`,
      before: { review: 'Reviewed' },
      after: { review: 'Drafting' },
      reason: 'The tenant survey arrived',
    },
    says: ['reopened KLOE 4.2'],
  },
  'challenge.raised': {
    entry: {
      entityType: 'kloe',
      entityId: `${ASSESSMENT}/4.3`,
      after: { challengeId: COMMENT, comment: 'Satisfaction rose' },
    },
    says: ['challenged the rating of KLOE 4.3: “Satisfaction rose”'],
  },
  'challenge.resolved': {
    entry: {
      entityType: 'kloe',
      entityId: `${ASSESSMENT}/5`,
      before: { challengeId: COMMENT, status: 'open' },
      after: { challengeId: COMMENT, status: 'changed', rating: 'promising' },
    },
    says: ['resolved the challenge to key question 5 by changing its rating to promising'],
  },
  'evidence_request.created': {
    entry: {
      entityType: 'evidence_request',
      entityId: REQUEST,
      after: { assessmentId: ASSESSMENT, what: 'The repairs policy', dueOn: '2027-01-12', kloeRefs: ['4.1', '4.2'] },
    },
    says: ['asked for “The repairs policy” for KLOE 4.1 and KLOE 4.2, due 12 January 2027'],
  },
  'evidence_request.answered': {
    entry: { entityType: 'evidence_request', entityId: REQUEST, after: { itemId: COMMENT, files: ['policy.pdf'] } },
    says: ['answered an evidence request with “policy.pdf”'],
  },
  'evidence_request.overdue': {
    entry: {
      entityType: 'evidence_request',
      entityId: REQUEST,
      actorId: null,
      actorLabel: 'system (overdue check)',
      after: { assessmentId: ASSESSMENT, what: 'The repairs policy', dueOn: '2027-01-12' },
    },
    says: ['marked the evidence request “The repairs policy” overdue: it was due 12 January 2027'],
  },
};

function entryOf(action: string, over: Partial<AuditEntryView>): AuditEntryView {
  return {
    id: 1,
    at: new Date('2027-01-02T10:00:00Z'),
    actorId: LEAD,
    actorLabel: 'Leila Brandt <lead.inspector@example.org>',
    action,
    actionText: describeAction(action),
    entityType: 'assessment',
    entityId: ASSESSMENT,
    reason: null,
    changes: [],
    before: null,
    after: null,
    ...over,
  };
}

/**
 * The actions recorded on an assessment, its KLOEs and its evidence requests, read from the code that records
 * them: every `recordAudit(…)` call whose entityType is one of those, with each action name it may give.
 */
function recordedActions(): string[] {
  const found = new Set<string>();
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const full = path.join(dir, d.name);
      return d.isDirectory() ? walk(full) : d.name.endsWith('.ts') && !d.name.includes('.test.') ? [full] : [];
    });
  for (const file of walk(path.resolve('src'))) {
    const source = fs.readFileSync(file, 'utf8');
    for (const call of source.split('recordAudit(').slice(1)) {
      const body = call.slice(0, call.indexOf('});') + 1 || 600);
      const type = /entityType: '([a-z_]+)'/.exec(body)?.[1];
      if (!type || !['assessment', 'kloe', 'evidence_request'].includes(type)) continue;
      const actionLine = /action: ([^\n]+)/.exec(body)?.[1] ?? '';
      for (const [, name] of actionLine.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) found.add(name!);
    }
  }
  return [...found].sort();
}

describe('an assessment’s history in plain words', () => {
  it('words every action the code records on an assessment, its KLOEs and its evidence requests', () => {
    const recorded = recordedActions();
    expect(recorded.length).toBeGreaterThanOrEqual(20); // the walk finds the calls (it would pass on none)
    expect(recorded.filter((action) => !(WORDED_ACTIONS as readonly string[]).includes(action))).toEqual([]);
  });

  it.each(Object.entries(EXAMPLES))('words %s with names, refs and dates', (action, { entry, says }) => {
    const sentences = entryChanges(entryOf(action, entry), labels, { onOverview: true });
    expect(sentences).toEqual(says);
    const text = sentences.join(' ');
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/[{}[\]"]|\b[a-z]+[A-Z][a-zA-Z]*\b|\b[a-z]+_[a-z_]+\b|null|undefined|\d{4}-\d{2}-\d{2}/);
  });

  it('names a request’s answer and a comment’s answer from the entries before them, and the system as kloe', () => {
    const entries = [
      entryOf('evidence_request.answered', EXAMPLES['evidence_request.answered'].entry),
      entryOf('evidence_request.created', EXAMPLES['evidence_request.created'].entry),
      entryOf('accuracy_check.answered', EXAMPLES['accuracy_check.answered'].entry),
      entryOf('accuracy_check.commented', EXAMPLES['accuracy_check.commented'].entry),
      entryOf('evidence_request.overdue', EXAMPLES['evidence_request.overdue'].entry),
    ];
    const history = historyEntries(entries, labels, { onOverview: true });
    expect(history[0]!.changes).toEqual(['answered the evidence request “The repairs policy” with “policy.pdf”']);
    expect(history[2]!.changes).toEqual([
      'did not accept a factual accuracy comment on KLOE 4.2: “The report says 2026”',
    ]);
    expect(history[0]!.who).toBe('Leila Brandt');
    expect(history[4]!.who).toBe('kloe');
  });

  it('on a KLOE’s own page leaves out the KLOE where it is the page’s', () => {
    const saved = entryOf('kloe.updated', {
      entityType: 'kloe',
      entityId: `${ASSESSMENT}/4.2`,
      before: kloeRecord(),
      after: kloeRecord({ finalRating: 'poor' }),
    });
    expect(entryChanges(saved, labels)).toEqual(['changed the final rating from not rated to poor']);
    expect(entryChanges({ ...saved, after: kloeRecord() }, labels)).toEqual(['saved the KLOE without changing it']);
  });

  it('names a former team member it cannot find without their id', () => {
    const entry = entryOf('assessment.team_changed', {
      after: { team: [{ userId: '5b4a3928-1706-4f5e-9d8c-7b6a5f4e3d2c', role: 'lead' }] },
    });
    expect(entryChanges(entry, labels)).toEqual(['changed the team to a former user leading']);
  });
});
