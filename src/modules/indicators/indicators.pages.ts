/**
 * HTML pages of indicators: the list of definitions with the state of the data, the import form (an
 * upload; every bad row in a GOV.UK error summary), an organisation's analysis (summary by KLOE, the
 * value-for-money quadrant, a table with sparklines, a select of comparator groups), one indicator's
 * line chart with its data, and the form to define an indicator (the API's rules, errors kept in the form).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { formErrorsFrom } from '../../web/form-errors.js';
import { pureHelper } from '../../web/render-memo.js';
import { currentUser } from '../accounts/index.js';
import type { OrganisationsService } from '../organisations/index.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { singleFileBytes } from '../../files/upload-files.js';
import { lineChart, lineChartAlt } from './charts.js';
import { createAnalysisViews } from './analysis-views.js';
import { analysisCsv } from './analysis-csv.js';
import { formatFigure } from './figure-format.js';
import { tableLines } from './analysis-table.js';
import { mayManage, routeConfigFor } from './indicators.policy.js';
import { CATEGORY_LABELS, indicatorForm, POLARITY_LABELS } from './indicators.schemas.js';
import type { ComparatorGroupsService } from './comparator-groups.service.js';
import { handleFormPost, type FormState } from '../../web/form-post.js';
import { INDICATOR_CATEGORIES } from './indicators.tables.js';
import type { IndicatorsService } from './indicators.service.js';
import { PERIOD_EXAMPLES, PERIOD_TYPES, periodLabel } from './periods.js';
import { POLARITIES, quartiles } from './statistics.js';

const organisationParams = z.object({ id: z.uuid() });
/** The analysis page's group select sends an empty value for the default group (nearest neighbours). */
const groupQuery = z.object({
  group: z
    .union([z.uuid(), z.literal('')])
    .optional()
    .transform((group) => group || undefined),
});
/** The most bad rows the import page lists (the count says how many there are); the CLI and API give all. */
const SHOWN_PROBLEMS = 100;
/** Upload limit: a national file of 1.6 million rows is about 80 MB. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

/** Every bad row points at the file field: the summary lists them by line. */
function formErrorsForRows(problems: { field: string; message: string }[], total: number) {
  const rows = problems[0]?.field.startsWith('line ') ?? false;
  const errors = {
    ...formErrorsFrom([]),
    title: rows
      ? `Nothing was imported: ${total} ${total === 1 ? 'row has a problem' : 'rows have problems'}`
      : 'There is a problem',
    description: rows
      ? `${total > problems.length ? `The first ${problems.length} are listed. ` : ''}Correct the file and import it again.`
      : undefined,
  };
  errors.errorList = problems.map((p) => ({
    text: p.field === 'file' ? p.message : `${p.field[0]!.toUpperCase()}${p.field.slice(1)}: ${p.message}`,
    href: '#file',
  }));
  errors.fields = { file: { text: problems.length === 1 ? problems[0]!.message : 'The file has rows with problems' } };
  return errors;
}

/** The table's lines depend on the indicator alone, so pages that call it can be remembered. */
const pageTableLines = pureHelper(tableLines);

/** Organisations listed when a search finds several; the count says how many more there are. */
const FOUND_SHOWN = 20;

const common = { section: 'indicators', categoryLabels: CATEGORY_LABELS, polarityLabels: POLARITY_LABELS };
const LIST_CRUMB = { text: 'Indicators', href: '/indicators' };

export async function registerIndicatorPages(
  app: FastifyInstance,
  deps: {
    indicators: IndicatorsService;
    groups: ComparatorGroupsService;
    organisations: Pick<OrganisationsService, 'list'>;
  },
): Promise<void> {
  const { indicators } = deps;
  const pages = app.withTypeProvider<ZodTypeProvider>();

  pages.get(
    '/indicators',
    {
      config: routeConfigFor('view'),
      schema: {
        hide: true,
        querystring: z.object({
          imported: z.coerce.number().int().optional(),
          added: z.coerce.number().int().optional(),
          changed: z.coerce.number().int().optional(),
          notRecomputed: z.string().max(2_000).optional(),
          /** A name or code to find an organisation's analysis by (`code` in links made before names were searched). */
          organisation: z.string().trim().max(200).optional(),
          code: z.string().trim().max(200).optional(),
          defined: z.string().max(40).optional(),
        }),
      },
    },
    async (request, reply) => {
      const { organisation: searched, code, defined, ...done } = request.query;
      const actor = currentUser(request);
      const query = searched ?? code;
      let codeError: string | undefined;
      let found: { id: string; code: string; name: string }[] | undefined;
      if (query) {
        const { rows, total } = await deps.organisations.list(actor, { q: query, limit: FOUND_SHOWN, offset: 0 });
        const exact = rows.find((o) => o.code.toUpperCase() === query.toUpperCase());
        if (exact || rows.length === 1)
          return reply.redirect(`/indicators/organisations/${(exact ?? rows[0]!).id}`, 303);
        if (rows.length === 0) codeError = `No organisation’s name or code contains "${query}"`;
        else found = rows.map(({ id, code: c, name }) => ({ id, code: c, name }));
        if (found && total > found.length) found.push({ id: '', code: '', name: `and ${total - found.length} more` });
      }
      return reply.status(codeError ? 400 : 200).render('indicators/views/index.njk', {
        ...common,
        pageTitle: 'Performance indicators',
        definitions: await indicators.listIndicators(),
        status: await indicators.status(),
        mayManage: mayManage(actor),
        ownOrganisationId: actor.organisationId,
        done: done.imported === undefined ? undefined : done,
        defined,
        query,
        found,
        errors: codeError
          ? { errorList: [{ text: codeError, href: '#organisation' }], fields: { organisation: { text: codeError } } }
          : undefined,
      });
    },
  );

  const renderDefine = (reply: FastifyReply, state: FormState) =>
    reply.render('indicators/views/define.njk', {
      ...common,
      ...state,
      pageTitle: 'Define an indicator',
      breadcrumbs: [LIST_CRUMB],
      categories: INDICATOR_CATEGORIES,
      polarities: POLARITIES,
      periodTypes: PERIOD_TYPES,
      periodExamples: PERIOD_EXAMPLES,
    });
  pages.get('/indicators/new', { config: routeConfigFor('manage'), schema: { hide: true } }, (_request, reply) =>
    renderDefine(reply, { values: {} }),
  );
  pages.post('/indicators/new', { config: routeConfigFor('manage'), schema: { hide: true } }, (request, reply) =>
    handleFormPost(reply, {
      body: request.body,
      schema: indicatorForm,
      save: async (input) => {
        const created = await indicators.createIndicator(currentUser(request), input);
        return `/indicators?defined=${encodeURIComponent(created.code)}`;
      },
      redisplay: renderDefine,
    }),
  );

  // Uploads are parsed only here (received to disk, a few at a time): the rest of the app refuses multipart bodies.
  await registerUploadScope(
    app,
    MAX_UPLOAD_BYTES,
    (scope) => {
      const renderImport = (reply: FastifyReply, problems?: { field: string; message: string }[], total?: number) =>
        reply.render('indicators/views/import.njk', {
          ...common,
          pageTitle: 'Import indicator values',
          breadcrumbs: [LIST_CRUMB],
          errors: problems ? formErrorsForRows(problems, total ?? problems.length) : undefined,
        });
      scope.get('/indicators/import', { config: routeConfigFor('manage'), schema: { hide: true } }, (_r, reply) =>
        renderImport(reply),
      );
      scope.post(
        '/indicators/import',
        { config: routeConfigFor('manage'), schema: { hide: true } },
        async (request, reply) => {
          const file = await singleFileBytes(request.uploads);
          if (!file)
            return renderImport(reply.status(400), [{ field: 'file', message: 'Choose a CSV or XLSX file to import' }]);
          try {
            const outcome = await indicators.importFile(currentUser(request), file);
            const failed = outcome.recompute?.failed.map((f) => f.code) ?? [];
            return reply.redirect(
              `/indicators?imported=${outcome.rows}&added=${outcome.added}&changed=${outcome.changed}` +
                (failed.length > 0 ? `&notRecomputed=${encodeURIComponent(failed.join(','))}` : ''),
              303,
            );
          } catch (error) {
            if (!(error instanceof AppError) || error.status !== 400) throw error;
            return renderImport(reply.status(400), error.problems.slice(0, SHOWN_PROBLEMS), error.problems.length);
          }
        },
      );
    },
    'file',
  );

  const views = createAnalysisViews({ indicators, groups: deps.groups });
  pages.get(
    '/indicators/organisations/:id',
    { config: routeConfigFor('analyse'), schema: { hide: true, params: organisationParams, querystring: groupQuery } },
    async (request, reply) => {
      const view = await views.get(currentUser(request), request.params.id, request.query.group);
      return reply.render('indicators/views/analysis.njk', {
        ...common,
        pageTitle: `Performance of ${view.analysis.organisation.name}`,
        breadcrumbs: [LIST_CRUMB],
        id: request.params.id,
        view,
        tableLines: pageTableLines,
        groupId: request.query.group,
      });
    },
  );

  pages.get(
    '/indicators/organisations/:id/analysis.csv',
    { config: routeConfigFor('analyse'), schema: { hide: true, params: organisationParams, querystring: groupQuery } },
    async (request, reply) => {
      const analysis = await indicators.analysis(currentUser(request), request.params.id, {
        groupId: request.query.group,
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${analysis.organisation.code}-indicators.csv"`)
        .send(analysisCsv(analysis));
    },
  );

  pages.get(
    '/indicators/organisations/:id/indicators/:code',
    {
      config: routeConfigFor('analyse'),
      schema: {
        hide: true,
        params: organisationParams.extend({ code: z.string().max(40) }),
        querystring: groupQuery,
      },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, code } = request.params;
      const { indicator, group, rows, organisation } = await indicators.series(actor, id, code, {
        groupId: request.query.group,
      });
      const organisationName = organisation.name;
      const indices = [...new Set(rows.map((r) => r.periodIndex))].sort((a, b) => a - b);
      // A target indicator places organisations by their distance to the target, so its table shows that
      // distance and the group's quartiles of it beside the values.
      const target = indicator.polarity === 'target' ? indicator.target : null;
      const figure = (n: number | null | undefined) =>
        n === null || n === undefined ? '–' : formatFigure(n, indicator.unit);
      const table = indices.map((index) => {
        const inPeriod = rows.filter((r) => r.periodIndex === index);
        const own = inPeriod.find((r) => r.organisationId === id);
        const groupValues = inPeriod.filter((r) => r.organisationId !== id && r.value !== null).map((r) => r.value!);
        const q = groupValues.length > 0 ? quartiles(groupValues) : undefined;
        const qd =
          target !== null && groupValues.length > 0
            ? quartiles(groupValues.map((v) => Math.abs(v - target)))
            : undefined;
        return {
          label: periodLabel(index, indicator.periodType),
          own: own?.value ?? null,
          quality: own?.quality ?? null,
          q1: q?.q1 ?? null,
          median: q?.median ?? null,
          q3: q?.q3 ?? null,
          count: groupValues.length,
          shown: { own: figure(own?.value), q1: figure(q?.q1), median: figure(q?.median), q3: figure(q?.q3) },
          distance:
            target === null
              ? undefined
              : {
                  own: figure(own?.value === null || own?.value === undefined ? null : Math.abs(own.value - target)),
                  q1: figure(qd?.q1),
                  median: figure(qd?.median),
                  q3: figure(qd?.q3),
                },
        };
      });
      const series = {
        title: indicator.title,
        unit: indicator.unit,
        organisation: organisationName,
        labels: table.map((t) => t.label),
        own: table.map((t) => t.own),
        q1: table.map((t) => t.q1),
        median: table.map((t) => t.median),
        q3: table.map((t) => t.q3),
      };
      return reply.render('indicators/views/indicator.njk', {
        ...common,
        pageTitle: `${indicator.title}: ${organisationName}`,
        breadcrumbs: [LIST_CRUMB, { text: organisationName, href: `/indicators/organisations/${id}` }],
        indicator,
        group,
        organisationName,
        table,
        target: target === null ? undefined : formatFigure(target, indicator.unit),
        chart: table.length > 0 ? lineChart(series) : undefined,
        chartAlt: table.length > 0 ? lineChartAlt(series) : undefined,
      });
    },
  );
}
