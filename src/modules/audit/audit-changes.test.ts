import { describe, expect, it } from 'vitest';
import { changedFields, formatValue } from './audit-changes.js';

describe('changedFields', () => {
  it('lists only the fields that changed, old → new', () => {
    expect(
      changedFields(
        { name: 'Ian Fletcher', role: 'inspector', disabled: false },
        { name: 'Ian Fletcher', role: 'viewer', disabled: true },
      ),
    ).toEqual([
      { field: 'role', before: 'inspector', after: 'viewer' },
      { field: 'disabled', before: 'false', after: 'true' },
    ]);
  });

  it('shows every field of a created record as new, and of a deleted one as gone', () => {
    expect(changedFields(null, { name: 'Ada', organisationId: null })).toEqual([
      { field: 'name', before: '(none)', after: 'Ada' },
    ]);
    expect(changedFields({ name: 'Ada' }, undefined)).toEqual([{ field: 'name', before: 'Ada', after: '(none)' }]);
  });

  it('names nested fields by their path and ignores key order', () => {
    expect(
      changedFields(
        { address: { town: 'Leeds', postcode: 'LS1' }, tags: ['a', 'b'] },
        { tags: ['a', 'b'], address: { postcode: 'LS1', town: 'York' } },
      ),
    ).toEqual([{ field: 'address.town', before: 'Leeds', after: 'York' }]);
  });

  it('treats a bare value as one field', () => {
    expect(changedFields('draft', 'published')).toEqual([{ field: 'value', before: 'draft', after: 'published' }]);
  });

  it('finds nothing when nothing changed', () => {
    expect(changedFields({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([]);
    expect(changedFields(null, null)).toEqual([]);
  });
});

describe('formatValue', () => {
  it.each([
    [null, '(none)'],
    ['', '(empty)'],
    [[], '(empty list)'],
    [['4.1', '4.2'], '4.1, 4.2'],
    [[{ b: 1, a: 2 }], '[{"a":2,"b":1}]'],
    [3.5, '3.5'],
    [new Date('2026-01-05T08:00:00.000Z'), '2026-01-05T08:00:00.000Z'],
  ])('shows %j as %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});
