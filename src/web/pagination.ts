/**
 * What govukPagination takes for a list split into pages: the first and last pages, the current one and
 * its neighbours, and ellipses between. Nothing when everything fits on one page.
 */
export interface Pagination {
  previous?: { href: string };
  next?: { href: string };
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
}

export function paginationFor(options: {
  page: number;
  pageSize: number;
  total: number;
  hrefFor: (page: number) => string;
}): Pagination | undefined {
  const { page, pageSize, total, hrefFor } = options;
  const pageCount = Math.ceil(total / pageSize);
  if (pageCount <= 1) return undefined;
  const shown = [1, page - 1, page, page + 1, pageCount].filter(
    (n, i, all) => n >= 1 && n <= pageCount && all.indexOf(n) === i,
  );
  shown.sort((a, b) => a - b);
  const items: Pagination['items'] = [];
  shown.forEach((number, index) => {
    if (index > 0 && number - shown[index - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number, href: hrefFor(number), current: number === page });
  });
  return {
    ...(page > 1 ? { previous: { href: hrefFor(page - 1) } } : {}),
    ...(page < pageCount ? { next: { href: hrefFor(page + 1) } } : {}),
    items,
  };
}

/** A path with a query string made of the given values, leaving out empty ones. */
export function hrefWithQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
