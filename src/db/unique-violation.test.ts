import { describe, expect, it } from 'vitest';
import { violatedUniqueConstraint } from './unique-violation.js';

describe('violatedUniqueConstraint', () => {
  it('finds the constraint on the error or on the error it wraps', () => {
    const driverError = { code: '23505', constraint: 'organisations_code_unique' };
    expect(violatedUniqueConstraint(driverError)).toBe('organisations_code_unique');
    expect(violatedUniqueConstraint(Object.assign(new Error('query failed'), { cause: driverError }))).toBe(
      'organisations_code_unique',
    );
    expect(violatedUniqueConstraint({ code: '23505' })).toBe('');
  });

  it('is undefined for any other error', () => {
    expect(violatedUniqueConstraint(new Error('boom'))).toBeUndefined();
    expect(violatedUniqueConstraint({ code: '23503', constraint: 'services_fk' })).toBeUndefined();
    expect(violatedUniqueConstraint(undefined)).toBeUndefined();
  });
});
