/** The sign-in throttle through the sign-in service, on a clock the test moves (no waiting in tests). */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { testConfig } from '../../testing/test-config.js';
import { createAccountsService } from './accounts.service.js';
import { createAuth } from './auth.js';
import { createSignInService, type SignInOutcome, type SignInService } from './sign-in.service.js';

const PASSWORD = 'a long and unusual passphrase';
const SYSTEM = { kind: 'system', label: 'test' } as const;
const ATTACKER = '198.51.100.7';
const OWNER = '203.0.113.20';

describeEachDatabase('sign-in throttle', (driver) => {
  const t = useTestApp(driver);
  let clock = new Date('2026-12-07T09:00:00Z');
  let service: SignInService;
  let leadId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const accounts = createAccountsService({ db });
    const lead = await accounts.create(
      { name: 'Lead', email: 'lead@example.test', role: 'inspector', organisationId: null, password: PASSWORD },
      SYSTEM,
    );
    leadId = lead.id;
    const auth = createAuth({ db, config: testConfig(), secret: 'test-secret-that-is-long-enough-for-signing' });
    service = createSignInService({ db, auth, now: () => clock });
  });

  const attempt = (email: string, password: string, address: string) =>
    service.signIn(email, password, new Headers(), address);
  const seconds = (outcome: SignInOutcome) =>
    outcome.ok || outcome.reason !== 'wait' ? 0 : (outcome.until.getTime() - clock.getTime()) / 1000;
  const advance = (s: number) => (clock = new Date(clock.getTime() + s * 1000));

  it('makes a guesser wait longer after each failure, the same for a known and an unknown email', async () => {
    /** Nine attempts in a row, waiting out each wait: 'invalid' for a failure, the seconds for a wait. */
    const run = async (email: string) => {
      const seen: (string | number)[] = [];
      for (let i = 0; i < 9; i++) {
        const outcome = await attempt(email, 'not the password at all', ATTACKER);
        const wait = seconds(outcome);
        seen.push(wait || (outcome.ok ? 'ok' : outcome.reason));
        advance(wait);
      }
      return seen;
    };
    const known = await run('lead@example.test');
    expect(known).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 2, 'invalid', 4, 'invalid', 8]);
    expect(await run('ghost@example.test')).toEqual(known);
  });

  it('does not shut the owner out: from their own address they sign in while the guesser waits', async () => {
    expect(await attempt('lead@example.test', 'a seventh wrong guess', ATTACKER)).toMatchObject({ reason: 'invalid' });
    const waiting = await attempt('lead@example.test', PASSWORD, ATTACKER);
    expect(waiting).toMatchObject({ ok: false, reason: 'wait' });
    expect(seconds(waiting)).toBe(16);
    const owner = await attempt('lead@example.test', PASSWORD, OWNER);
    expect(owner).toMatchObject({ ok: true, userId: leadId });
  });

  it('slows guessing from many addresses by a minute at most, and a new password clears every wait', async () => {
    for (let i = 0; i < 40; i++) {
      const outcome = await attempt('lead@example.test', 'still not the password', `192.0.2.${i}`);
      expect(seconds(outcome)).toBeLessThanOrEqual(60);
      if (!outcome.ok && outcome.reason === 'wait') advance(seconds(outcome));
    }
    // One more guess: refused if a wait is in force, else counted, which sets one.
    await attempt('lead@example.test', 'one more guess', '192.0.2.200');
    const owner = await attempt('lead@example.test', PASSWORD, OWNER);
    expect(owner).toMatchObject({ reason: 'wait' });
    expect(seconds(owner)).toBeLessThanOrEqual(60);
    await createAccountsService({ db: t.database.db }).resetPassword(leadId, 'another long passphrase', SYSTEM);
    expect(await attempt('lead@example.test', 'another long passphrase', OWNER)).toMatchObject({ ok: true });
  });

  it('makes no one wait for a failure under the free allowance, whatever the order of attempts at once', async () => {
    // Two sign-ins from one address at once: the second read the counters a moment before the first failed.
    expect(await attempt('first@example.test', 'a wrong guess here', '192.0.2.250')).toMatchObject({
      reason: 'invalid',
    });
    advance(-0.001);
    expect(await attempt('lead@example.test', 'another long passphrase', '192.0.2.250')).toMatchObject({ ok: true });
  });

  it('forgets failures an hour after the last one', async () => {
    for (let i = 0; i < 4; i++) await attempt('quiet@example.test', 'wrong wrong wrong', ATTACKER);
    expect(await attempt('quiet@example.test', 'wrong wrong wrong', ATTACKER)).toMatchObject({ reason: 'wait' });
    advance(3600);
    expect(await attempt('quiet@example.test', 'wrong wrong wrong', ATTACKER)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});
