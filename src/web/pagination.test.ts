import { describe, expect, it } from 'vitest';
import { hrefWithQuery, paginationFor } from './pagination.js';

const hrefFor = (page: number) => `/things?page=${page}`;
const numbersOf = (items: NonNullable<ReturnType<typeof paginationFor>>['items']) =>
  items.map((item) => ('ellipsis' in item ? '…' : item.number));

describe('paginationFor', () => {
  it('gives nothing when everything fits on one page', () => {
    expect(paginationFor({ page: 1, pageSize: 50, total: 50, hrefFor })).toBeUndefined();
    expect(paginationFor({ page: 1, pageSize: 50, total: 0, hrefFor })).toBeUndefined();
  });

  it('links the first, last, current and neighbouring pages, with ellipses between', () => {
    const middle = paginationFor({ page: 5, pageSize: 10, total: 95, hrefFor })!;
    expect(numbersOf(middle.items)).toEqual([1, '…', 4, 5, 6, '…', 10]);
    expect(middle.items.find((i) => 'current' in i && i.current)).toMatchObject({ number: 5, href: '/things?page=5' });
    expect(middle.previous).toEqual({ href: '/things?page=4' });
    expect(middle.next).toEqual({ href: '/things?page=6' });
  });

  it('has no previous link on the first page and no next link on the last', () => {
    const first = paginationFor({ page: 1, pageSize: 10, total: 30, hrefFor })!;
    expect(numbersOf(first.items)).toEqual([1, 2, 3]);
    expect(first.previous).toBeUndefined();
    const last = paginationFor({ page: 3, pageSize: 10, total: 30, hrefFor })!;
    expect(last.next).toBeUndefined();
    expect(last.previous).toEqual({ href: '/things?page=2' });
  });
});

describe('hrefWithQuery', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(hrefWithQuery('/o', { q: 'a&b', type: '', page: 2, other: undefined })).toBe('/o?q=a%26b&page=2');
    expect(hrefWithQuery('/o', { q: '' })).toBe('/o');
  });
});
