/**
 * HTML pages of evidence, all working without JavaScript: the evidence of an assessment (a tab of its
 * header) with the form to add an item and its files, an item's page (files with their SHA-256, links,
 * the form to link it, suggested statements), search within an assessment and across all evidence,
 * and the coverage map. Forms post back and redirect with ?done=…; a refused form is shown again with
 * the GOV.UK error summary and what was typed (files must be chosen again: browsers never refill them).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { parseDateForm } from '../../web/date-input-fields.js';
import { formErrorsFrom, formRefusal, problemsFromZod, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from '../assessments/index.js';
import { assessmentForbidden } from '../assessments/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import type { AssessmentsService } from '../assessments/index.js';
import { sendFile, sendInline } from './evidence.api.js';
import { fileNotInline } from './evidence.errors.js';
import { previewPassage } from './passage-highlight.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { cappedNote, snippetHtml, unmarkedSnippet } from './evidence.responses.js';
import {
  assessmentParams,
  EVIDENCE_KIND_LABELS,
  fileParams,
  itemBody,
  itemParams,
  linkBody,
  linkParams,
  searchQuery,
  type SearchInput,
  STANCE_LABELS,
  suggestionParams,
  decideSuggestionsBody,
} from './evidence.schemas.js';
import type { EvidenceService } from './evidence.service.js';
import { TYPE_LABELS, fileTypeOf, type FileType } from '../../files/file-types.js';

export interface EvidencePageDeps {
  evidence: EvidenceService;
  assessments: Pick<AssessmentsService, 'summary'>;
  maxBytes: number;
  types: readonly string[];
}

const doneQuery = z.object({ done: z.string().max(40).optional() });
/** The passage to mark in a preview: a link's quote or a suggestion's passage, as long as a link's quote may be. */
const previewQuery = z.object({
  quote: z.string().max(2000, { error: 'A quote is at most 2,000 characters' }).optional(),
});

/** The item form's GOV.UK date input. */
const ITEM_DATES = { evidenceDate: 'The date the evidence is about' };
const SEARCH_DATES = { from: 'The first date', to: 'The last date' };

/** The types a browser shows by itself, inside the preview page; the others are previewed as their text. */
const INLINE_TYPES = new Set<FileType>(['pdf', 'png', 'jpeg']);
/** How much of a file's text a preview shows: the part around the passage when the text is longer. */
const PREVIEW_CHARS = 200_000;

const fileSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} bytes`
    : bytes < 1024 * 1024
      ? `${Math.round(bytes / 1024)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function registerEvidencePages(app: FastifyInstance, deps: EvidencePageDeps): Promise<void> {
  const pages = app.withTypeProvider<ZodTypeProvider>();
  const { evidence } = deps;
  const shared = {
    ...common,
    kindLabels: EVIDENCE_KIND_LABELS,
    evidenceKinds: Object.entries(EVIDENCE_KIND_LABELS).map(([value, text]) => ({ value, text })),
    stanceLabels: STANCE_LABELS,
    typeLabel: (mediaType: string) => TYPE_LABELS[fileTypeOf(mediaType)!] ?? mediaType,
    fileSize,
    snippetHtml,
    unmarked: unmarkedSnippet,
    maxMb: Math.round(deps.maxBytes / 1024 / 1024),
    acceptedTypes: deps.types.map((t) => TYPE_LABELS[t as keyof typeof TYPE_LABELS]).join(', '),
  };

  async function headerOf(actor: UserActor, loaded: LoadedAssessment) {
    const { assessment, organisationName, serviceName } = await deps.assessments.summary(actor, loaded);
    return { ...assessment, organisationName, serviceName };
  }

  async function renderList(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    state: { values?: Record<string, unknown>; errors?: FormErrors; done?: string },
  ) {
    const [{ assessment, items, canJudge }, header] = await Promise.all([
      evidence.list(actor, loaded),
      headerOf(actor, loaded),
    ]);
    return reply.render('evidence/views/list.njk', {
      ...shared,
      pageTitle: `Evidence: ${assessment.title}`,
      breadcrumbs: [LIST_CRUMB, assessmentCrumb(assessment)],
      assessment,
      header,
      items,
      canJudge,
      values: state.values ?? {},
      errors: state.errors,
      done: state.done,
    });
  }

  pages.get(
    '/assessments/:id/evidence',
    { config: routeConfigFor('view'), schema: { hide: true, params: assessmentParams, querystring: doneQuery } },
    async (request, reply) =>
      renderList(reply, currentUser(request), assessmentOf(request), { done: request.query.done }),
  );

  async function renderItem(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    itemId: string,
    state: { values?: Record<string, unknown>; errors?: FormErrors; done?: string; form?: string },
  ) {
    const id = loaded.assessment.id;
    const [detail, header] = await Promise.all([evidence.get(actor, loaded, itemId), headerOf(actor, loaded)]);
    const kloes = await evidence.statementsOf(detail.assessment);
    const statementText = Object.fromEntries(kloes.flatMap((k) => k.statements.map((s) => [s.ref, s.text])));
    return reply.render('evidence/views/item.njk', {
      ...shared,
      pageTitle: `${detail.item.title}: evidence`,
      breadcrumbs: [
        LIST_CRUMB,
        assessmentCrumb(detail.assessment),
        { text: 'Evidence', href: `/assessments/${id}/evidence` },
      ],
      header,
      ...detail,
      kloes,
      statementText,
      values: state.values ?? {},
      errors: state.errors,
      form: state.form,
      done: state.done,
    });
  }

  pages.get(
    '/assessments/:id/evidence/:itemId',
    { config: routeConfigFor('view'), schema: { hide: true, params: itemParams, querystring: doneQuery } },
    async (request, reply) =>
      renderItem(reply, currentUser(request), assessmentOf(request), request.params.itemId, {
        done: request.query.done,
      }),
  );

  pages.get(
    '/assessments/:id/evidence/:itemId/files/:fileId',
    { config: routeConfigFor('view'), schema: { hide: true, params: fileParams } },
    async (request, reply) => {
      const { itemId, fileId } = request.params;
      const { file, stream } = await evidence.openFile(currentUser(request), assessmentOf(request), itemId, fileId);
      return sendFile(reply, file, stream);
    },
  );

  pages.get(
    '/assessments/:id/evidence/:itemId/files/:fileId/preview',
    { config: routeConfigFor('view'), schema: { hide: true, params: fileParams, querystring: previewQuery } },
    async (request, reply) => {
      const { id, itemId, fileId } = request.params;
      const actor = currentUser(request);
      const [preview, header] = await Promise.all([
        evidence.previewFile(actor, assessmentOf(request), itemId, fileId),
        headerOf(actor, assessmentOf(request)),
      ]);
      const quote = request.query.quote?.trim() || undefined;
      const { file, item } = preview;
      const type = fileTypeOf(file.mediaType);
      return reply.render('evidence/views/preview.njk', {
        ...shared,
        pageTitle: `${file.fileName}: preview`,
        breadcrumbs: [
          LIST_CRUMB,
          assessmentCrumb(preview.assessment),
          { text: 'Evidence', href: `/assessments/${id}/evidence` },
          { text: item.title, href: `/assessments/${id}/evidence/${itemId}` },
        ],
        header,
        assessment: preview.assessment,
        item,
        file,
        inline: type !== undefined && INLINE_TYPES.has(type) ? (type === 'pdf' ? 'pdf' : 'image') : null,
        quote,
        passage: preview.text === null ? null : previewPassage(preview.text, quote, PREVIEW_CHARS),
      });
    },
  );

  pages.get(
    '/assessments/:id/evidence/:itemId/files/:fileId/inline',
    { config: routeConfigFor('view'), schema: { hide: true, params: fileParams } },
    async (request, reply) => {
      const { itemId, fileId } = request.params;
      const { file, stream } = await evidence.openFile(currentUser(request), assessmentOf(request), itemId, fileId);
      const type = fileTypeOf(file.mediaType);
      if (type === undefined || !INLINE_TYPES.has(type)) throw fileNotInline(file.fileName);
      return sendInline(reply, file, stream);
    },
  );

  async function renderItemForm(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    itemId: string,
    view: 'edit' | 'delete',
    state: { values?: Record<string, unknown>; errors?: FormErrors } = {},
  ) {
    const id = loaded.assessment.id;
    const [detail, header] = await Promise.all([evidence.get(actor, loaded, itemId), headerOf(actor, loaded)]);
    // Only those who may change the evidence see these forms; the service refuses the posts anyway.
    if (!detail.canJudge) throw assessmentForbidden('change the evidence of this assessment');
    const { item } = detail;
    return reply.render(`evidence/views/${view}.njk`, {
      ...shared,
      pageTitle: `${view === 'edit' ? 'Change' : 'Delete'} ${item.title}: evidence`,
      breadcrumbs: [
        LIST_CRUMB,
        assessmentCrumb(detail.assessment),
        { text: 'Evidence', href: `/assessments/${id}/evidence` },
        { text: item.title, href: `/assessments/${id}/evidence/${itemId}` },
      ],
      header,
      ...detail,
      values: state.values ?? {
        title: item.title,
        kind: item.kind,
        source: item.source,
        evidenceDate: item.evidenceDate,
        notes: item.notes,
      },
      errors: state.errors,
    });
  }

  for (const view of ['edit', 'delete'] as const) {
    pages.get(
      `/assessments/:id/evidence/:itemId/${view}`,
      { config: routeConfigFor('judge'), schema: { hide: true, params: itemParams } },
      async (request, reply) =>
        renderItemForm(reply, currentUser(request), assessmentOf(request), request.params.itemId, view),
    );
  }

  pages.post(
    '/assessments/:id/evidence/:itemId/edit',
    { config: routeConfigFor('judge'), schema: { hide: true, params: itemParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, itemId } = request.params;
      const values = withoutCsrf(request.body);
      try {
        await evidence.update(actor, id, itemId, parseDateForm(itemBody, values, ITEM_DATES));
        return reply.redirect(`/assessments/${id}/evidence/${itemId}?done=updated`, 303);
      } catch (error) {
        const refused = formRefusal(error);
        if (!refused) throw error;
        return renderItemForm(reply.status(refused.status), actor, assessmentOf(request), itemId, 'edit', {
          values,
          errors: refused.errors,
        });
      }
    },
  );

  pages.post(
    '/assessments/:id/evidence/:itemId/delete',
    { config: routeConfigFor('judge'), schema: { hide: true, params: itemParams } },
    async (request, reply) => {
      const { id, itemId } = request.params;
      await evidence.remove(currentUser(request), id, itemId);
      return reply.redirect(`/assessments/${id}/evidence?done=deleted`, 303);
    },
  );

  pages.post(
    '/assessments/:id/evidence/:itemId/links',
    { config: routeConfigFor('judge'), schema: { hide: true, params: itemParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, itemId } = request.params;
      const values = withoutCsrf(request.body);
      try {
        await evidence.addLink(actor, id, itemId, linkBody.parse(values));
        return reply.redirect(`/assessments/${id}/evidence/${itemId}?done=linked#links`, 303);
      } catch (error) {
        const refused = formRefusal(error);
        if (!refused) throw error;
        return renderItem(reply.status(refused.status), actor, assessmentOf(request), itemId, {
          values,
          errors: refused.errors,
          form: 'link',
        });
      }
    },
  );

  pages.post(
    '/assessments/:id/evidence/:itemId/links/:linkId/remove',
    { config: routeConfigFor('judge'), schema: { hide: true, params: linkParams } },
    async (request, reply) => {
      const { id, itemId, linkId } = request.params;
      await evidence.removeLink(currentUser(request), id, itemId, linkId);
      return reply.redirect(`/assessments/${id}/evidence/${itemId}?done=unlinked#links`, 303);
    },
  );

  pages.post(
    '/assessments/:id/evidence/:itemId/suggestions/:ref',
    { config: routeConfigFor('judge'), schema: { hide: true, params: suggestionParams } },
    async (request, reply) => {
      const { id, itemId, ref } = request.params;
      const decision = z.enum(['accepted', 'dismissed']).parse((request.body as { decision?: string })?.decision);
      await evidence.decideSuggestions(currentUser(request), id, itemId, [ref], decision);
      return reply.redirect(`/assessments/${id}/evidence/${itemId}?done=${decision}#suggestions`, 303);
    },
  );

  // Several at once: the suggestions ticked, accepted or dismissed together (all or none).
  pages.post(
    '/assessments/:id/evidence/:itemId/suggestions',
    { config: routeConfigFor('judge'), schema: { hide: true, params: itemParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id, itemId } = request.params;
      const body = (request.body ?? {}) as { statementRefs?: string | string[]; decision?: string };
      const statementRefs = body.statementRefs === undefined ? [] : [body.statementRefs].flat();
      try {
        const parsed = decideSuggestionsBody.safeParse({ statementRefs, decision: body.decision });
        if (!parsed.success) {
          throw new AppError('invalid_request', 400, 'Check the suggestions', problemsFromZod(parsed.error));
        }
        await evidence.decideSuggestions(actor, id, itemId, parsed.data.statementRefs, parsed.data.decision);
        const done = parsed.data.decision === 'accepted' ? 'accepted-several' : 'dismissed-several';
        return reply.redirect(`/assessments/${id}/evidence/${itemId}?done=${done}#suggestions`, 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.problems.length === 0) throw error;
        const problems = error.problems.map((p) => ({
          ...p,
          field: p.field.startsWith('statementRefs') || p.field === 'target' ? 'suggestions' : p.field,
        }));
        return renderItem(reply.status(error.status), actor, assessmentOf(request), itemId, {
          values: { statementRefs },
          errors: formErrorsFrom(problems),
          form: 'suggestions',
        });
      }
    },
  );

  pages.get(
    '/assessments/:id/evidence/search',
    { config: routeConfigFor('view'), schema: { hide: true, params: assessmentParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      const header = await headerOf(actor, assessmentOf(request));
      return renderSearch(reply, actor, request.query, {
        assessment: assessmentOf(request),
        header,
        breadcrumbs: [LIST_CRUMB, assessmentCrumb(header), { text: 'Evidence', href: `/assessments/${id}/evidence` }],
        action: `/assessments/${id}/evidence/search`,
      });
    },
  );

  pages.get('/evidence/search', { config: routeConfigFor('view'), schema: { hide: true } }, async (request, reply) =>
    renderSearch(reply, currentUser(request), request.query, { breadcrumbs: [], action: '/evidence/search' }),
  );

  async function renderSearch(
    reply: FastifyReply,
    actor: UserActor,
    query: unknown,
    where: { assessment?: LoadedAssessment; header?: unknown; breadcrumbs: unknown[]; action: string },
  ) {
    const raw = (query ?? {}) as Record<string, unknown>;
    let input: SearchInput | undefined;
    let refused: ReturnType<typeof formRefusal>;
    try {
      input = parseDateForm(searchQuery, raw, SEARCH_DATES);
    } catch (error) {
      refused = formRefusal(error);
      if (!refused) throw error;
    }
    const { assessment, ...shown } = where;
    const found = input ? await evidence.search(actor, input, assessment) : undefined;
    return reply.status(refused?.status ?? 200).render('evidence/views/search.njk', {
      ...shared,
      section: assessment ? 'assessments' : 'evidence',
      pageTitle: raw.q ? `Search evidence for “${String(raw.q)}”` : 'Search evidence',
      ...shown,
      values: raw,
      errors: refused?.errors,
      searched: input !== undefined && input.q !== '',
      results: found?.hits ?? [],
      matches: found?.matches ?? 0,
      cappedNote: found?.capped ? cappedNote(found.matches) : undefined,
    });
  }

  pages.get(
    '/assessments/:id/evidence/coverage',
    { config: routeConfigFor('view'), schema: { hide: true, params: assessmentParams } },
    async (request, reply) => {
      const actor = currentUser(request);
      const { id } = request.params;
      const loaded = assessmentOf(request);
      const [coverage, header] = await Promise.all([evidence.coverage(actor, loaded), headerOf(actor, loaded)]);
      return reply.render('evidence/views/coverage.njk', {
        ...shared,
        pageTitle: `Evidence coverage: ${coverage.assessment.title}`,
        breadcrumbs: [
          LIST_CRUMB,
          assessmentCrumb(coverage.assessment),
          { text: 'Evidence', href: `/assessments/${id}/evidence` },
        ],
        header,
        ...coverage,
      });
    },
  );

  await registerUploadScope(app, deps.maxBytes, (scope) => {
    const uploads = scope.withTypeProvider<ZodTypeProvider>();
    uploads.post(
      '/assessments/:id/evidence',
      { config: routeConfigFor('judge'), schema: { hide: true, params: assessmentParams } },
      async (request, reply) => {
        const actor = currentUser(request);
        const { id } = request.params;
        const values = withoutCsrf(request.body);
        try {
          const item = await evidence.create(actor, id, parseDateForm(itemBody, values, ITEM_DATES), request.uploads);
          return reply.redirect(`/assessments/${id}/evidence/${item.id}?done=added`, 303);
        } catch (error) {
          const refused = formRefusal(error);
          if (!refused) throw error;
          return renderList(reply.status(refused.status), actor, assessmentOf(request), {
            values,
            errors: refused.errors,
          });
        }
      },
    );
    uploads.post(
      '/assessments/:id/evidence/:itemId/files',
      { config: routeConfigFor('judge'), schema: { hide: true, params: itemParams } },
      async (request, reply) => {
        const actor = currentUser(request);
        const { id, itemId } = request.params;
        try {
          await evidence.addFiles(actor, id, itemId, request.uploads);
          return reply.redirect(`/assessments/${id}/evidence/${itemId}?done=uploaded#files`, 303);
        } catch (error) {
          const refused = formRefusal(error);
          if (!refused) throw error;
          return renderItem(reply.status(refused.status), actor, assessmentOf(request), itemId, {
            errors: refused.errors,
            form: 'files',
          });
        }
      },
    );
  });
}
