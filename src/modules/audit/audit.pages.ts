/** Administrators' pages of the audit trail: the filterable list of entries, and the chain check. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { parseDateForm } from '../../web/date-input-fields.js';
import { formErrorsFrom } from '../../web/form-errors.js';
import { hrefWithQuery, paginationFor } from '../../web/pagination.js';
import { auditFilterQuery, type AuditFilterQuery } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';
import { entryView } from './audit.view-model.js';

const LIST = '/admin/audit';
const FILTER_FIELDS = ['q', 'actorId', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
/** The UK days the list runs from and to, as GOV.UK date inputs (links give them as ISO dates). */
const FILTER_DATES = { from: 'The first day', to: 'The last day' };

/**
 * The query as typed, to show back in the form: a GET form sends its empty fields as "", which means
 * "no filter" here, not the API's "invalid".
 */
function filledIn(query: unknown): Record<string, string> {
  const given = Object.entries((query ?? {}) as Record<string, unknown>);
  const values: Record<string, string> = Object.fromEntries(
    given.filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1].trim() !== ''),
  );
  // The page number is not a form field with a place for an error: a mangled one means the first page.
  if (values.page !== undefined && !/^[1-9]\d{0,8}$/.test(values.page)) delete values.page;
  return values;
}

/** A link to the list with these filters (and page, after the first). */
function auditListHref(filters: Partial<AuditFilterQuery>): string {
  const query = Object.fromEntries(FILTER_FIELDS.map((field) => [field, filters[field]]));
  return hrefWithQuery(LIST, {
    ...query,
    page: filters.page !== undefined && filters.page > 1 ? filters.page : undefined,
  });
}

export function registerAuditPages(app: FastifyInstance, deps: { audit: AuditService }): void {
  const { audit } = deps;
  const config = { access: { roles: ['administrator'] as const } };
  const common = { section: 'audit' };

  app.get(LIST, { config, schema: { hide: true } }, async (request, reply) => {
    const values = filledIn(request.query);
    const page = { ...common, pageTitle: 'Audit trail', values, clearHref: LIST };
    let parsed: AuditFilterQuery;
    try {
      parsed = parseDateForm(auditFilterQuery, values, FILTER_DATES);
    } catch (error) {
      if (!(error instanceof AppError) || error.problems.length === 0) throw error;
      return reply.status(400).render('audit/views/list.njk', { ...page, errors: formErrorsFrom(error.problems) });
    }
    const { page: pageNumber, ...filters } = parsed;
    const result = await audit.list(filters, { page: pageNumber });
    const first = (result.page - 1) * result.pageSize + 1;
    return reply.render('audit/views/list.njk', {
      ...page,
      filtered: FILTER_FIELDS.some((field) => filters[field] !== undefined),
      result,
      shown: { first, last: first + result.entries.length - 1 },
      entries: result.entries.map((row) => ({
        ...entryView(row),
        recordHref: auditListHref({ entityType: row.entityType, entityId: row.entityId }),
        actorHref: row.actorId === null ? undefined : auditListHref({ actorId: row.actorId }),
      })),
      firstPageHref: auditListHref({ ...filters, page: 1 }),
      pagination: paginationFor({ ...result, hrefFor: (n) => auditListHref({ ...filters, page: n }) }),
    });
  });

  app.get(`${LIST}/verify`, { config, schema: { hide: true } }, async (_request, reply) =>
    reply.render('audit/views/verify.njk', {
      ...common,
      pageTitle: 'Audit trail check',
      breadcrumbs: [{ text: 'Audit trail', href: LIST }],
      verification: await audit.verify(),
    }),
  );
}
