/** `kloe user …` and the first run, through the built command line. */
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import { postgresInstallation, startKloeServer } from './testing/run-cli.js';

const PASSWORD = 'a long and unusual passphrase';

/** The name=value pairs a response sets, as one Cookie header. */
const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** Opens a page and posts its form, as a browser does: with the page's CSRF token and cookie. */
async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  const page = await fetch(url);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error(`no form on ${url} (status ${page.status})`);
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(page) },
    body: new URLSearchParams({ ...fields, _csrf: token }),
  });
}

describe.skipIf(!postgresAvailable)('kloe user [postgres]', () => {
  const { kloe } = postgresInstallation('kloe-users-');

  it('creates a person with a generated password, lists, changes role, resets the password and disables them', async () => {
    const created = await kloe([
      'user',
      'create',
      '--email',
      'Kim@Example.test',
      '--name',
      'Kim Lee',
      '--role',
      'inspector',
    ]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Created kim@example\.test \(inspector\) with the password \S{20,}\n$/);

    expect((await kloe(['user', 'list'])).stdout).toMatch(/^kim@example\.test\tinspector\tactive\tKim Lee$/m);
    expect((await kloe(['user', 'set-role', 'kim@example.test', 'viewer', '--reason', 'moved'])).stdout).toBe(
      'kim@example.test is now viewer\n',
    );
    expect((await kloe(['user', 'reset-password', 'kim@example.test'])).stdout).toMatch(
      /^New password set for kim@example\.test: \S{20,}\n$/,
    );
    expect((await kloe(['user', 'disable', 'kim@example.test'])).stdout).toBe('kim@example.test is disabled\n');
    const listed = JSON.parse((await kloe(['user', 'list', '--json'])).stdout);
    expect(listed.find((u: { email: string }) => u.email === 'kim@example.test')).toMatchObject({
      role: 'viewer',
      disabled: true,
    });
  });

  it.each([
    [
      'an unknown person',
      ['user', 'disable', 'nobody@example.test'],
      /^kloe: no person with the email address nobody@example\.test\n$/,
    ],
    ['an unknown role', ['user', 'set-role', 'kim@example.test', 'king'], /^kloe: "king" is not a role/],
    [
      'a common password',
      ['user', 'create', '--email', 'p@example.test', '--name', 'P', '--role', 'viewer', '--password', 'password1234'],
      /^kloe: Password is too common/,
    ],
    [
      'a member without an organisation',
      ['user', 'create', '--email', 'm@example.test', '--name', 'M', '--role', 'organisation_member'],
      /^kloe: An organisation member must belong to an organisation: Choose the organisation this person belongs to\n$/,
    ],
    [
      'an unknown organisation',
      ['user', 'create', '--email', 'o@example.test', '--name', 'O', '--role', 'viewer', '--organisation', 'NOPE'],
      /^kloe: no organisation with the code NOPE\n$/,
    ],
  ])('refuses %s with one line and a non-zero exit', async (_name, args, message) => {
    const result = await kloe(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});

describe.skipIf(!postgresAvailable)('first run in production [postgres]', () => {
  const installation = postgresInstallation('kloe-first-run-');

  it('makes the first administrator through the printed link: email address, password, signed in, signs in again', async () => {
    const start = () =>
      startKloeServer({
        ...installation.env(),
        NODE_ENV: 'production',
        KLOE_SECRET: 'a-production-secret-of-at-least-32-chars',
      });
    const linkIn = (output: string) =>
      /First run: set up the administrator's email address and password at (\S+) \(one use, valid 24 hours\)/.exec(
        output,
      )?.[1];
    // A restart before the link is used prints a new one (the first may have expired unseen).
    const first = await start();
    const firstLink = linkIn(first.output());
    expect(await first.stop()).toBe(0);
    const server = await start();
    try {
      const output = server.output();
      const link = linkIn(output);
      expect(link, output).toBeDefined();
      expect(firstLink).toBeDefined();
      expect(link).not.toBe(firstLink);
      expect((await fetch(firstLink!.replace(/^https?:\/\/[^/]+/, server.url))).status).toBe(404);
      expect(output).not.toContain('Demo data');
      const setup = link!.replace(/^https?:\/\/[^/]+/, server.url);
      expect((await fetch(`${server.url}/setup/not-the-right-token-at-all`)).status).toBe(404);

      // A mistake keeps the link and what was typed.
      const refused = await postForm(setup, { email: 'admin@localhost', password: PASSWORD });
      expect(refused.status).toBe(400);
      const refusedPage = await refused.text();
      expect(refusedPage).toContain('Enter an email address in the correct format');
      expect(refusedPage).toContain('value="admin@localhost"');

      const done = await postForm(setup, { email: 'Lead.Admin@Example.org', password: PASSWORD });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/admin/users');
      const people = await fetch(`${server.url}/admin/users`, { headers: { cookie: cookieOf(done) } });
      expect(people.status).toBe(200);
      expect(await people.text()).toContain('lead.admin@example.org');
      expect((await fetch(setup)).status).toBe(404); // used up

      const signedIn = await postForm(`${server.url}/sign-in`, {
        email: 'lead.admin@example.org',
        password: PASSWORD,
        next: '/admin/users',
      });
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/admin/users');
      expect((await fetch(`${server.url}/admin/users`, { headers: { cookie: cookieOf(signedIn) } })).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses to start in production without KLOE_SECRET', async () => {
    const result = await installation.kloe(['migrate'], { NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kloe: Invalid configuration: KLOE_SECRET must be set in production/);
  });
});
