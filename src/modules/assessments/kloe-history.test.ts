import { describe, expect, it } from 'vitest';
import { historyEntries } from './assessment-history.js';
import { kloeChanges, personName } from './kloe-history.js';
import type { AuditEntryView } from '../audit/audit.view-model.js';

const labels = {
  outcomes: { met: 'Met', partly_met: 'Partly met', not_met: 'Not met', not_judged: 'Not yet judged' },
  ratings: { excellent: 'Excellent', promising: 'Promising', uncertain: 'Uncertain', poor: 'Poor' },
  bestLevel: 'promising',
};

const record = (over: object = {}) => ({
  version: 1,
  findings: {},
  strengths: [],
  areasForImprovement: [],
  exceeded: false,
  finalRating: null,
  rationale: null,
  ...over,
});

describe('a KLOE save in plain words', () => {
  it('says which finding changed, from what to what, in the framework’s words', () => {
    const before = record({ findings: { '4.2-P2': { outcome: 'met', note: null } } });
    const after = record({
      findings: { '4.2-P1': { outcome: 'partly_met', note: null }, '4.2-P2': { outcome: 'met', note: null } },
    });
    expect(kloeChanges(before, after, labels)).toEqual(['changed 4.2-P1 from not yet judged to partly met']);
  });

  it('puts notes, strengths, areas, the exceeds mark, the rating and the rationale in words, never field names', () => {
    const before = record({ strengths: ['Clear plans'], finalRating: 'uncertain' });
    const after = record({
      findings: { '4.10-P1': { outcome: 'not_met', note: 'No plan seen' }, '4.2-P1': { outcome: 'met', note: null } },
      strengths: ['Good data'],
      areasForImprovement: ['Slow voids'],
      exceeded: true,
      finalRating: 'promising',
      rationale: 'Strong evidence from the reality checks',
    });
    const sentences = kloeChanges(before, after, labels);
    expect(sentences).toEqual([
      'changed 4.2-P1 from not yet judged to met',
      'changed 4.10-P1 from not yet judged to not met', // refs in the framework's order: 4.2 before 4.10
      'wrote the note on 4.10-P1: “No plan seen”',
      'added the strength “Good data”',
      'removed the strength “Clear plans”',
      'added the area for improvement “Slow voids”',
      'marked the service as exceeding the promising descriptor',
      'changed the final rating from uncertain to promising',
      'wrote the rationale “Strong evidence from the reality checks”',
    ]);
    expect(sentences.join(' ')).not.toMatch(/finalRating|areasForImprovement|findings|outcome|[{}"]|null|undefined/);
  });

  it('names the person without their email, and says when a save changed nothing', () => {
    expect(personName('Ian Fletcher <ian@example.org>')).toBe('Ian Fletcher');
    const entry = {
      at: new Date('2026-01-02T10:00:00Z'),
      action: 'kloe.updated',
      entityType: 'kloe',
      entityId: 'a1/4.2',
      actorId: 'u1',
      actorLabel: 'Ian Fletcher <ian@example.org>',
      reason: 'Checked again',
      before: record(),
      after: record(),
    } as unknown as AuditEntryView;
    expect(historyEntries([entry], { ...labels, names: {}, kinds: {}, statuses: {} })).toEqual([
      { at: entry.at, who: 'Ian Fletcher', changes: ['saved the KLOE without changing it'], reason: 'Checked again' },
    ]);
  });
});
