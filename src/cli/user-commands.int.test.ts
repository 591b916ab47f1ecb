/** `kloe user …` and the first run, through the built command line. */
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/testing/test-database.js';
import { postgresInstallation, startKloeServer } from './testing/run-cli.js';

describe.skipIf(!postgresAvailable)('kloe user [postgres]', () => {
  const { kloe } = postgresInstallation('kloe-users-');

  it('creates a person with a generated password, lists, changes role, resets the password and disables them', () => {
    const created = kloe(['user', 'create', '--email', 'Kim@Example.test', '--name', 'Kim Lee', '--role', 'inspector']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Created kim@example\.test \(inspector\) with the password \S{20,}\n$/);

    expect(kloe(['user', 'list']).stdout).toMatch(/^kim@example\.test\tinspector\tactive\tKim Lee$/m);
    expect(kloe(['user', 'set-role', 'kim@example.test', 'viewer', '--reason', 'moved']).stdout).toBe(
      'kim@example.test is now viewer\n',
    );
    expect(kloe(['user', 'reset-password', 'kim@example.test']).stdout).toMatch(
      /^New password set for kim@example\.test: \S{20,}\n$/,
    );
    expect(kloe(['user', 'disable', 'kim@example.test']).stdout).toBe('kim@example.test is disabled\n');
    const listed = JSON.parse(kloe(['user', 'list', '--json']).stdout);
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
      /^kloe: An organisation member must belong to an organisation\n$/,
    ],
    [
      'an unknown organisation',
      ['user', 'create', '--email', 'o@example.test', '--name', 'O', '--role', 'viewer', '--organisation', 'NOPE'],
      /^kloe: no organisation with the code NOPE\n$/,
    ],
  ])('refuses %s with one line and a non-zero exit', (_name, args, message) => {
    const result = kloe(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});

describe.skipIf(!postgresAvailable)('first run in production [postgres]', () => {
  const installation = postgresInstallation('kloe-first-run-');

  it('creates the administrator and prints a one-time setup link that opens the setup page', async () => {
    const server = await startKloeServer({
      ...installation.env(),
      NODE_ENV: 'production',
      KLOE_SECRET: 'a-production-secret-of-at-least-32-chars',
    });
    try {
      const link = /First run: set the administrator's password at (\S+) \(one use, valid 24 hours\)/.exec(
        server.output(),
      )?.[1];
      expect(link, server.output()).toBeDefined();
      expect(server.output()).not.toContain('Demo data');
      const page = await fetch(link!.replace(/^https?:\/\/[^/]+/, server.url));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('admin@localhost');
      const wrong = await fetch(`${server.url}/setup/not-the-right-token-at-all`);
      expect(wrong.status).toBe(404);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses to start in production without KLOE_SECRET', () => {
    const result = installation.kloe(['migrate'], { NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kloe: Invalid configuration: KLOE_SECRET must be set in production/);
  });
});
