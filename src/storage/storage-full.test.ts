import { DrizzleQueryError } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isStorageFull } from './storage-full.js';

describe('isStorageFull', () => {
  it('recognises a full disk or quota from the file system', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      expect(isStorageFull(Object.assign(new Error(`${code}: write`), { code }))).toBe(true);
    }
  });

  it('recognises PostgreSQL disk_full inside the error Drizzle wraps it in', () => {
    const full = Object.assign(new pg.DatabaseError('could not extend file "base/1/2"', 0, 'error'), { code: '53100' });
    expect(isStorageFull(new DrizzleQueryError('insert into …', [], full))).toBe(true);
  });

  it('leaves other failures alone', () => {
    const unique = Object.assign(new pg.DatabaseError('duplicate key', 0, 'error'), { code: '23505' });
    expect(isStorageFull(new DrizzleQueryError('insert into …', [], unique))).toBe(false);
    expect(isStorageFull(Object.assign(new Error('EACCES'), { code: 'EACCES' }))).toBe(false);
    expect(isStorageFull('ENOSPC')).toBe(false);
  });
});
