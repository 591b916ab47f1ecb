import { describe, expect, it } from 'vitest';
import { isPrivateAddress, urlProblems } from './webhook-url.js';

describe('webhook addresses', () => {
  it('knows private, loopback and link-local addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['81.2.69.160', '2a00:1450:4009:80b::200e', '172.32.0.1'])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it('in production, wants https and refuses private and loopback hosts', async () => {
    const production = { production: true };
    expect(await urlProblems('http://81.2.69.160/hook', production)).toEqual([
      { field: 'url', message: expect.stringContaining('https') },
    ]);
    for (const url of [
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://10.0.0.5/hook',
      'https://localhost/hook',
    ])
      expect(await urlProblems(url, production), url).toEqual([
        { field: 'url', message: expect.stringContaining('public') },
      ]);
    expect(await urlProblems('https://81.2.69.160/hook', production)).toEqual([]);
    expect(await urlProblems('https://user:pw@81.2.69.160/hook', production)).toHaveLength(1);
  });

  it('outside production, takes http and local receivers', async () => {
    expect(await urlProblems('http://127.0.0.1:8080/hook', { production: false })).toEqual([]);
    expect(await urlProblems('not a url', { production: false })).toHaveLength(1);
  });
});
