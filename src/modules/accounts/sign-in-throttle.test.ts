import { describe, expect, it } from 'vitest';
import { THROTTLE_RULES, throttleKeys, waitSeconds } from './sign-in-throttle.js';

const rule = (scope: string) => THROTTLE_RULES.find((r) => r.scope === scope)!;

describe('sign-in throttle waits', () => {
  it('lets a few failures through, then doubles the wait from 2 seconds up to its cap', () => {
    const pair = rule('email-and-address');
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => waitSeconds(n, pair))).toEqual([0, 0, 0, 2, 4, 8, 16]);
    expect(waitSeconds(50, pair)).toBe(15 * 60);
  });

  it('never makes an account wait more than a minute because of failures from elsewhere', () => {
    const email = rule('email');
    expect(waitSeconds(10, email)).toBe(0);
    expect(waitSeconds(11, email)).toBe(2);
    expect(Math.max(...Array.from({ length: 200 }, (_, n) => waitSeconds(n, email)))).toBe(60);
  });

  it('keys an email whatever its case, and neither keeps the email nor the address in clear', () => {
    const keys = throttleKeys('Lead@Example.org', '203.0.113.9');
    expect(keys.map((k) => k.key)).toEqual(throttleKeys('lead@example.org', '203.0.113.9').map((k) => k.key));
    expect(JSON.stringify(keys)).not.toMatch(/lead|example|203\.0/i);
    expect(keys.find((k) => k.rule.scope === 'address')!.emailKey).toBeNull();
  });
});
