import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import type { OrganisationRow } from './organisations.repository.js';
import { createTestOrganisation } from './testing/test-organisations.js';

const newOrganisation = {
  code: 'e07000555',
  name: 'Wickham Downs District Council',
  type: 'council',
  region: 'South West',
  population: '101,250',
  deprivationScore: '12.4',
  stockSize: '',
};

describeEachDatabase('organisation pages', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;
  let inspector: TestUser;
  let memberA: TestUser;
  let viewerA: TestUser;
  let orgA: OrganisationRow;
  let orgB: OrganisationRow;

  beforeAll(async () => {
    const { db } = t.database;
    orgA = await createTestOrganisation(db, { name: 'Alderney Page Council', attributes: { population: 64000 } });
    orgB = await createTestOrganisation(db, { name: 'Bexford Page Homes', type: 'housing_provider' });
    admin = await createTestUser(db, 'administrator');
    inspector = await createTestUser(db, 'inspector');
    memberA = await createTestUser(db, 'organisation_member', { organisationId: orgA.id });
    viewerA = await createTestUser(db, 'viewer', { organisationId: orgA.id });
  });

  const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers });

  describe('the list', () => {
    it('shows administrators every organisation, with search, type filter and the button to add one', async () => {
      const page = await get(admin, '/organisations');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Add an organisation');
      expect(page.body).toContain(`href="/organisations/${orgA.id}"`);
      expect(page.body).toContain('Bexford Page Homes');

      const searched = (await get(admin, `/organisations?q=${orgB.code.toLowerCase()}&type=`)).body;
      expect(searched).toContain('Bexford Page Homes');
      expect(searched).not.toContain('Alderney Page Council');
      expect(searched).toContain(`value="${orgB.code.toLowerCase()}"`); // the search is kept in its field

      const housing = (await get(admin, '/organisations?type=housing_provider')).body;
      expect(housing).toContain('Bexford Page Homes');
      expect(housing).not.toContain('Alderney Page Council');
      expect(housing).toMatch(/<option value="housing_provider" selected/);
    });

    it('shows inspectors every organisation without the button to add one', async () => {
      const page = (await get(inspector, '/organisations?q=Page')).body;
      expect(page).toContain('Alderney Page Council');
      expect(page).toContain('Bexford Page Homes');
      expect(page).not.toContain('Add an organisation');
    });

    it('shows a member only their own organisation', async () => {
      const page = (await get(memberA, '/organisations')).body;
      expect(page).toContain('Alderney Page Council');
      expect(page).not.toContain('Bexford Page Homes');
      expect(page).toContain('1 organisation<');
    });

    it('sends someone not signed in to sign in', async () => {
      const res = await t.app.inject({ url: '/organisations' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/sign-in?next=%2Forganisations');
    });
  });

  describe('adding an organisation', () => {
    it('redirects to the new organisation, which shows its details, context and a success banner', async () => {
      const res = await submitForm(t.app, {
        page: '/organisations/new',
        headers: admin.headers,
        fields: newOrganisation,
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/^\/organisations\/[0-9a-f-]{36}\?done=created$/);

      const page = (await get(admin, res.headers.location!)).body;
      expect(page).toContain('The organisation has been added.');
      expect(page).toContain('Wickham Downs District Council');
      expect(page).toContain('E07000555');
      expect(page).toContain('South West');
      expect(page).toContain('101,250');
      expect(page).toContain('12.4');
      expect(page).not.toContain('Housing stock'); // left blank, so not recorded
    });

    it('shows an error summary linked to each field, keeping what was typed', async () => {
      const res = await submitForm(t.app, {
        page: '/organisations/new',
        headers: admin.headers,
        fields: { ...newOrganisation, code: 'E 1', type: '', population: 'about a hundred thousand' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<title>Error: Add an organisation');
      expect(res.body).toContain('govuk-error-summary');
      for (const [field, message] of [
        ['code', 'Enter a code of 2 to 20 letters, digits or hyphens, like E06000001'],
        ['type', 'Choose the type of organisation'],
        ['population', 'Enter the population as a number, like 125000'],
      ]) {
        expect(res.body).toContain(`href="#${field}">${message}</a>`);
        expect(res.body).toContain(`id="${field}-error"`);
      }
      expect(res.body).toContain('value="Wickham Downs District Council"');
      expect(res.body).toContain('value="about a hundred thousand"');
      expect(res.body).toContain('value="E 1"');
    });

    it('says when the code is taken, on the form', async () => {
      const res = await submitForm(t.app, {
        page: '/organisations/new',
        headers: admin.headers,
        fields: { ...newOrganisation, code: orgA.code.toLowerCase(), name: 'Copycat Council' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain(`An organisation with code ${orgA.code} already exists`);
      expect(res.body).toContain('value="Copycat Council"');
    });

    it('refuses a post without the form’s CSRF token', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/organisations/new',
        headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...newOrganisation, code: 'NOCSRF' }).toString(),
      });
      expect(res.statusCode).toBe(403);
      expect((await get(admin, '/organisations?q=NOCSRF')).body).toContain('0 organisations');
    });

    it('is not offered to viewers or inspectors', async () => {
      expect((await get(viewerA, '/organisations/new')).statusCode).toBe(403);
      expect((await get(inspector, '/organisations/new')).statusCode).toBe(403);
    });
  });

  describe('changing an organisation', () => {
    it('starts from its values and saves the change, blanking an attribute removes it', async () => {
      const organisation = await createTestOrganisation(t.database.db, {
        name: 'Edit Me Council',
        attributes: { population: 50000, stockSize: 3000, customIndex: 2 },
      });
      const form = (await get(admin, `/organisations/${organisation.id}/edit`)).body;
      expect(form).toContain('value="Edit Me Council"');
      expect(form).toContain('value="3000"');

      const res = await submitForm(t.app, {
        page: `/organisations/${organisation.id}/edit`,
        headers: admin.headers,
        fields: {
          code: organisation.code,
          name: 'Edited Council',
          type: 'council',
          region: 'East Midlands',
          population: '51000',
          deprivationScore: '',
          stockSize: '',
        },
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/organisations/${organisation.id}?done=updated`);
      const page = (await get(admin, res.headers.location!)).body;
      expect(page).toContain('The organisation’s details have been changed.');
      expect(page).toContain('Edited Council');
      expect(page).toContain('51,000');
      expect(page).not.toContain('Housing stock');
      expect(page).toContain('customIndex'); // an attribute the form does not ask for stays

      // Its history shows the change, field by field, and who made it.
      const history = page.slice(page.indexOf('<caption class="govuk-table__caption govuk-table__caption--m">History'));
      expect(history).toContain('Organisation updated');
      expect(history).toContain('Organisation created');
      expect(history).toMatch(/>name<\/span>:\s*Edit Me Council/);
      expect(history).toContain(admin.actor.email);
    });

    it('shows the history to administrators, inspectors and the organisation’s members, not to viewers', async () => {
      for (const user of [admin, inspector, memberA]) {
        expect((await get(user, `/organisations/${orgA.id}`)).body, user.actor.role).toContain('system (test)');
      }
      const viewerPage = (await get(viewerA, `/organisations/${orgA.id}`)).body;
      expect(viewerPage).toContain('Alderney Page Council');
      expect(viewerPage).not.toContain('system (test)');
      expect(viewerPage).not.toContain('Organisation created');
    });

    it('offers the change link to administrators only', async () => {
      const link = `href="/organisations/${orgA.id}/edit#name"`;
      expect((await get(admin, `/organisations/${orgA.id}`)).body).toContain(link);
      expect((await get(memberA, `/organisations/${orgA.id}`)).body).not.toContain(link);
      expect((await get(memberA, `/organisations/${orgA.id}/edit`)).statusCode).toBe(403);
    });
  });

  describe('services', () => {
    it('are added and changed by a member of the organisation through the forms', async () => {
      const page = (await get(memberA, `/organisations/${orgA.id}`)).body;
      expect(page).toContain(`href="/organisations/${orgA.id}/services/new"`);

      const added = await submitForm(t.app, {
        page: `/organisations/${orgA.id}/services/new`,
        headers: memberA.headers,
        fields: { name: 'Grounds maintenance', description: 'Parks and verges' },
      });
      expect(added.statusCode).toBe(303);
      expect(added.headers.location).toBe(`/organisations/${orgA.id}?done=service-added`);
      const after = (await get(memberA, added.headers.location!)).body;
      expect(after).toContain('The service has been added.');
      expect(after).toContain('Grounds maintenance');
      const serviceId = new RegExp(`/organisations/${orgA.id}/services/([0-9a-f-]{36})/edit`).exec(after)![1]!;

      const edit = `/organisations/${orgA.id}/services/${serviceId}/edit`;
      const editPage = (await get(memberA, edit)).body;
      expect(editPage).toContain('Parks and verges');
      expect(editPage).toContain('History of this service');
      expect(editPage).toContain('Service created');
      const changed = await submitForm(t.app, {
        page: edit,
        headers: memberA.headers,
        fields: { name: 'Grounds and parks', description: '' },
      });
      expect(changed.headers.location).toBe(`/organisations/${orgA.id}?done=service-updated`);
      expect((await get(memberA, changed.headers.location!)).body).toContain('Grounds and parks');

      const blank = await submitForm(t.app, {
        page: edit,
        headers: memberA.headers,
        fields: { name: '', description: 'x' },
      });
      expect(blank.statusCode).toBe(400);
      expect(blank.body).toContain('href="#name">Enter the service’s name</a>');
      expect(blank.body).toContain('>x</textarea>');
    });

    it('are read-only to viewers and inspectors', async () => {
      for (const user of [viewerA, inspector]) {
        const page = (await get(user, `/organisations/${orgA.id}`)).body;
        expect(page).toContain('Alderney Page Council');
        expect(page).not.toContain('Add a service');
        expect((await get(user, `/organisations/${orgA.id}/services/new`)).statusCode).toBe(403);
      }
    });
  });

  describe('tenant isolation', () => {
    it('answers 404 to a member for another organisation’s pages, as for one that does not exist', async () => {
      for (const url of [
        `/organisations/${orgB.id}`,
        `/organisations/${orgB.id}/services/new`,
        '/organisations/00000000-0000-4000-8000-000000000000',
      ]) {
        const res = await get(memberA, url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body).not.toContain('Bexford Page Homes');
      }
      const post = await submitForm(t.app, {
        page: `/organisations/${orgA.id}/services/new`,
        action: `/organisations/${orgB.id}/services/new`,
        headers: memberA.headers,
        fields: { name: 'Planted service' },
      });
      expect(post.statusCode).toBe(404);
      expect((await get(admin, `/organisations/${orgB.id}`)).body).not.toContain('Planted service');
    });
  });
});
