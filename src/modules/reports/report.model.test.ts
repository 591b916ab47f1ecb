import { describe, expect, it } from 'vitest';
import type { FrameworkDocument } from '../frameworks/framework.model.js';
import { headline } from './report.model.js';
import { reportFilename } from './reports.service.js';

const framework = (title: string) => ({ title }) as FrameworkDocument;

describe('the summary judgement in plain words', () => {
  it('names the judgement of a framework titled "… Judgement N: …"', () => {
    const j2 = framework('Service Inspection Key Lines of Enquiry — Judgement 2: Prospects for Improvement');
    expect(headline(j2, { id: 'promising', label: 'Promising' })).toBe(
      'The service has promising prospects for improvement.',
    );
    expect(headline(j2, { id: 'poor', label: 'Poor' })).toBe('The service has poor prospects for improvement.');
  });

  it('falls back to the rating for other frameworks, and says when there is none yet', () => {
    expect(headline(framework('Tenant services standard'), { id: 'good', label: 'Good' })).toBe(
      'The service is rated good overall.',
    );
    expect(headline(framework('Anything'), { id: null, label: 'Not rated' })).toBe(
      'The overall judgement has not been made yet.',
    );
  });
});

describe('report file names', () => {
  it('are the title in plain letters, with the revision and "draft" when they apply', () => {
    expect(reportFilename('Housing repairs inspection 2026', 1, true, 'docx')).toBe(
      'housing-repairs-inspection-2026-draft.docx',
    );
    expect(reportFilename('Réparations: “phase 2”', 3, false, 'ratings.csv')).toBe(
      'reparations-phase-2-revision-3.ratings.csv',
    );
    expect(reportFilename('???', 1, false, 'pdf')).toBe('assessment.pdf');
  });
});
