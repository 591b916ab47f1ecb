import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { insertIndicator } from '../indicators/indicators.repository.js';
import { indicatorValues } from '../indicators/indicators.tables.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { improvementActions } from './improvement.tables.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('improvement plan pages', (driver) => {
  const t = useTestApp(driver);
  let member: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let orgPage: string;
  let planPage: string;

  beforeAll(async () => {
    const { db } = t.database;
    const org = await createTestOrganisation(db, { name: 'Page Council' });
    const other = await createTestOrganisation(db, { name: 'Elsewhere Council' });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, org.id, {
      name: 'Repairs',
      description: null,
    });
    member = await createTestUser(db, 'organisation_member', { organisationId: org.id, name: 'Mia Member' });
    viewer = await createTestUser(db, 'viewer', { organisationId: org.id });
    outsider = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    const indicator = await insertIndicator(db, {
      code: 'PG-SAT',
      title: 'Tenants satisfied',
      unit: '%',
      polarity: 'higher',
      category: 'satisfaction',
      serviceArea: 'Housing repairs',
      periodType: 'financial_year',
    });
    await db
      .insert(indicatorValues)
      .values({ indicatorId: indicator.id, organisationId: org.id, periodIndex: 2025, period: '2025/26', value: 70 });
    orgPage = `/organisations/${org.id}`;
    planPage = `${orgPage}/services/${service.id}/plan`;
  });

  const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers });

  it('is linked from the organisation’s services and shown to viewers without the forms', async () => {
    expect((await get(member, orgPage)).body).toContain(`href="${planPage}"`);
    const page = await get(viewer, planPage);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('There are no aims yet');
    expect(page.body).not.toContain('Add an aim');
    expect((await get(outsider, planPage)).statusCode).toBe(404);
  });

  it('adds an aim from the form, keeping what was typed on an error', async () => {
    const bad = await submitForm(t.app, {
      page: `${planPage}/aims/new`,
      headers: member.headers,
      fields: { title: ' ', description: 'Kept description', kloeRefs: '5.1.1' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('Enter the aim');
    expect(bad.body).toContain('Kept description</textarea>');
    expect(bad.body).toMatch(/value="5.1.1" checked/);
    const good = await submitForm(t.app, {
      page: `${planPage}/aims/new`,
      headers: member.headers,
      fields: { title: 'Repairs right first time', kloeRefs: ['5.1.1', '4.2'] },
    });
    expect(good.statusCode).toBe(303);
    const plan = await get(member, planPage);
    expect(plan.body).toContain('Aim 1: Repairs right first time');
    expect(plan.body).toContain('KLOE 5.1.1');
    expect(plan.body).toContain('1</strong> aim has no actions');
  });

  it('refuses an action whose dates or milestone do not hold together, shows why and keeps the input', async () => {
    const plan = await get(member, planPage);
    const addAction = /href="([^"]+\/actions\/new)"/.exec(plan.body)![1]!;
    // Dates as the GOV.UK date input posts them: day, month and year.
    const dateFields = (name: string, [year, month, day]: string[]) => ({
      [`${name}-day`]: day!,
      [`${name}-month`]: month!,
      [`${name}-year`]: year!,
    });
    const on = (iso: string) => iso.split('-');
    const fields = {
      title: 'Survey after every repair',
      ownerId: member.actor.userId,
      ...dateFields('startDate', on('2028-04-01')),
      ...dateFields('dueDate', on('2028-03-31')),
      'milestones.0.title': 'Survey live',
      ...dateFields('milestones.0.date', on('2028-06-30')),
      'measures.0.indicatorCode': 'PG-SAT',
      'measures.0.baseline': '70',
      'measures.0.target': '85',
      'measures.0.targetPeriod': '2027/28',
    };
    // The milestone typed in the second row, the first left blank: its error is shown beside it.
    const skipped: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields))
      skipped[name.replace(/^milestones\.0\./, 'milestones.1.')] = value;
    const bad = await submitForm(t.app, { page: addAction, headers: member.headers, fields: skipped });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="milestones\.0\.date-day"[^>]*value="30"/);
    expect(bad.body).toMatch(/id="milestones\.0\.date-month"[^>]*value="06"/);
    expect(bad.body).toContain('href="#dueDate-day"');
    expect(bad.body).toContain('The due date must be the same as or after the start date');
    expect(bad.body).toContain('href="#milestones.0.date-day"');
    expect(bad.body).toContain('value="Survey after every repair"');

    // A date that does not exist is named in the summary, the three fields as typed.
    const unreal = await submitForm(t.app, {
      page: addAction,
      headers: member.headers,
      fields: { ...fields, ...dateFields('dueDate', ['2028', '2', '30']) },
    });
    expect(unreal.statusCode).toBe(400);
    expect(unreal.body).toContain('href="#dueDate-day">The due date must be a real date</a>');
    expect(unreal.body).toMatch(/id="dueDate-day"[^>]*value="30"/);
    expect(await t.database.db.select().from(improvementActions)).toEqual([]);

    const good = await submitForm(t.app, {
      page: addAction,
      headers: member.headers,
      fields: {
        ...fields,
        ...dateFields('startDate', on('2027-04-01')),
        ...dateFields('milestones.0.date', on('2027-06-30')),
      },
    });
    expect(good.statusCode).toBe(303);
    const after = await get(member, planPage);
    expect(after.body).toContain('Every check passes');
    expect(after.body).toContain('PG-SAT: from 70 to 85 by 2027/28');
    expect(after.body).toContain('Mia Member');
  });

  it('changes an action at the version read from its form', async () => {
    const plan = await get(member, planPage);
    const edit = /href="([^"]+\/actions\/[^"/]+\/edit)"/.exec(plan.body)![1]!;
    const form = await get(member, edit);
    expect(form.body).toContain('value="Survey after every repair"');
    const saved = await submitForm(t.app, {
      page: edit,
      headers: member.headers,
      fields: { title: 'Survey every tenant', version: '1', dueDate: '2028-03-31' },
    });
    expect(saved.statusCode).toBe(303);
    const stale = await submitForm(t.app, {
      page: edit,
      headers: member.headers,
      fields: { title: 'Old view', version: '1' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Changed by someone else since you opened it');
    expect((await get(member, planPage)).body).toContain('1</strong> action has no owner');
  });
});
