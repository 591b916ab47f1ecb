import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';

describeEachDatabase('people pages', (driver) => {
  const t = useTestApp(driver);
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createTestUser(t.database.db, 'administrator');
  });

  const addPerson = (fields: Record<string, string>) =>
    submitForm(t.app, { page: '/admin/users/new', headers: admin.headers, fields });

  it('keeps what was typed, never the password, when an email is malformed and a password weak', async () => {
    const response = await addPerson({
      name: 'Priya Shah',
      email: 'priya.shah@',
      role: 'inspector',
      organisationId: '',
      password: 'password123',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('href="#email"');
    expect(response.body).toContain('value="Priya Shah"');
    expect(response.body).toContain('value="priya.shah@"');
    expect(response.body).not.toContain('password123');
  });

  it('shows a person’s history, with who changed their role and why', async () => {
    const created = await addPerson({
      name: 'Tomas Berg',
      email: `tomas.berg.${Date.now()}@example.org`,
      role: 'viewer',
      organisationId: '',
      password: 'a long and unusual passphrase 47',
    });
    expect(created.statusCode).toBe(303);
    const personUrl = created.headers.location!.split('?')[0]!;

    const changed = await submitForm(t.app, {
      page: personUrl,
      action: `${personUrl}/role`,
      headers: admin.headers,
      fields: { role: 'inspector', organisationId: '', reason: 'Joined the inspection team' },
    });
    expect(changed.statusCode).toBe(303);

    const page = (await t.app.inject({ url: personUrl, headers: admin.headers })).body;
    const history = page.slice(page.indexOf('<caption class="govuk-table__caption govuk-table__caption--m">History'));
    expect(history).toContain('Joined the inspection team');
    expect(history).toContain(admin.actor.email);
    expect(history).toMatch(/role<\/span>:\s*viewer[\s\S]*inspector/);
  });
});
