import { describe, expect, it } from 'vitest';
import { actionBodyFromForm, actionForm, compactRows, rowCounts } from './improvement.forms.js';

describe('the action form', () => {
  it('reads numbered rows, leaving blank ones out, and blanks as not known', () => {
    const values = {
      title: 'Survey',
      ownerId: '',
      startDate: '',
      dueDate: '2028-03-31',
      'milestones.0.title': 'Live',
      'milestones.0.date': '2027-06-30',
      'milestones.1.title': '',
      'milestones.1.date': '',
      'measures.0.indicatorCode': 'HR-01',
      'measures.0.baseline': '1,250.5',
      'measures.0.target': '900',
      'measures.0.targetPeriod': '2027/28',
    };
    expect(actionBodyFromForm(values)).toMatchObject({
      ownerId: null,
      startDate: null,
      dueDate: '2028-03-31',
      milestones: [{ title: 'Live', date: '2027-06-30' }],
    });
    const parsed = actionForm.parse(values);
    expect(parsed.measures).toEqual([
      { indicatorCode: 'HR-01', baseline: 1250.5, target: 900, targetPeriod: '2027/28' },
    ]);
  });

  it('names the row of a half-filled milestone', () => {
    const result = actionForm.safeParse({ title: 'Survey', 'milestones.0.title': 'Live', 'milestones.0.date': 'soon' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['milestones.0.date']);
  });

  it('offers the rows filled in and some blank ones', () => {
    expect(rowCounts({})).toEqual({ milestones: 2, measures: 1 });
    expect(rowCounts({ 'milestones.3.title': 'x', 'measures.0.target': '1' })).toEqual({ milestones: 6, measures: 2 });
  });

  it('numbers the filled rows from 0, so a problem is shown beside the row that was filled in', () => {
    const values = compactRows({
      title: 'Survey',
      'milestones.0.title': '',
      'milestones.0.date': '',
      'milestones.1.title': 'Live',
      'milestones.1.date': 'soon',
    });
    expect(values).toEqual({ title: 'Survey', 'milestones.0.title': 'Live', 'milestones.0.date': 'soon' });
    const result = actionForm.safeParse(values);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['milestones.0.date']);
  });
});
