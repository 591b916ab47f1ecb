/** The recordHistory macro (views/_history.njk) as other modules' record pages include it. */
import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from '../../web/nunjucks.js';
import type { AuditEntryView } from './audit.view-model.js';

const env = createViewEnvironment();
const render = (entries: AuditEntryView[], options: Record<string, unknown> = {}) =>
  env
    .renderString('{% from "audit/views/_history.njk" import recordHistory %}{{ recordHistory(entries, options) }}', {
      entries,
      options,
    })
    .replace(/\s+/g, ' ');

const entry = (overrides: Partial<AuditEntryView> = {}): AuditEntryView => ({
  id: 7,
  at: new Date('2026-07-01T08:05:00.000Z'),
  actorId: 'user-ada',
  actorLabel: 'Ada Okafor <ada@example.test>',
  action: 'user.role_changed',
  actionText: 'User role changed',
  entityType: 'user',
  entityId: 'u-1',
  reason: 'moved to the review board',
  changes: [{ field: 'role', before: 'inspector', after: 'viewer' }],
  before: { role: 'inspector' },
  after: { role: 'viewer' },
  ...overrides,
});

describe('recordHistory', () => {
  it('shows who changed what, when and why, in a table with a caption and column headers', () => {
    const html = render([entry(), entry({ id: 6, reason: null, changes: [] })]);
    expect(html).toContain('<caption class="govuk-table__caption govuk-table__caption--m">History</caption>');
    for (const header of ['When', 'Who', 'What changed', 'Why'])
      expect(html).toContain(`<th scope="col" class="govuk-table__header">${header}</th>`);
    expect(html).toContain('<time datetime="2026-07-01T08:05:00.000Z">1 July 2026 at 09:05</time>');
    expect(html).toContain('Ada Okafor &lt;ada@example.test&gt;');
    expect(html).toContain('User role changed');
    expect(html).toContain('<span class="govuk-!-font-weight-bold">role</span>: inspector');
    expect(html).toContain('moved to the review board');
    expect(html).toContain('Not given');
    expect(html.match(/<tr class="govuk-table__row">/g)).toHaveLength(3);
  });

  it('says how many more changes there are than it shows, under the heading it is given', () => {
    const html = render([entry()], { total: 12, heading: 'Changes to this person' });
    expect(html).toContain('Changes to this person</caption>');
    expect(html).toContain('The 1 most recent of 12 changes are shown.');
    expect(render([entry()], { total: 1 })).not.toContain('most recent');
  });

  it('says when nothing has been recorded', () => {
    const html = render([]);
    expect(html).toContain('<h2 class="govuk-heading-m">History</h2>');
    expect(html).toContain('No changes have been recorded.');
    expect(html).not.toContain('<table');
  });
});
