/**
 * JSON routes of evidence (OpenAPI tag `evidence`). Items are created with JSON, or with
 * multipart/form-data carrying the same fields and any number of `files` parts. Which assessment a
 * person may reach, and what they may do in it, is the assessments policy's business (the services ask).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf } from '../../api/index.js';
import { currentUser } from '../accounts/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { fileToJson, itemToJson, linkToJson, plainSnippet, searchToJson } from './evidence.responses.js';
import {
  assessmentParams,
  fileParams,
  itemBody,
  itemDetailJson,
  itemListJson,
  itemListQuery,
  itemParams,
  linkBody,
  linkJson,
  linkParams,
  searchQuery,
  searchResultJson,
  suggestionParams,
  decideSuggestionsBody,
} from './evidence.schemas.js';
import type { EvidenceService } from './evidence.service.js';
import { attachmentHeader, inlineHeader } from '../../files/file-names.js';

const tags = ['evidence'];
const read = { 400: problemSchema, 404: problemSchema };
const write = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const upload = { ...write, 413: problemSchema, 415: problemSchema };

export async function registerEvidenceApi(
  app: FastifyInstance,
  deps: { evidence: EvidenceService; maxBytes: number },
): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { evidence } = deps;

  async function detail(actor: ReturnType<typeof currentUser>, loaded: LoadedAssessment, itemId: string) {
    const { item, files, links, suggestions } = await evidence.get(actor, loaded, itemId);
    return {
      ...itemToJson(item),
      files: files.map((f) => fileToJson(loaded.assessment.id, itemId, f)),
      links: links.map(linkToJson),
      suggestions: suggestions.map((s) => ({
        statementRef: s.statementRef,
        score: s.score,
        status: s.status,
        passage: s.passage === null ? null : plainSnippet(s.passage),
      })),
    };
  }

  api.get(
    '/api/assessments/:id/evidence',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The evidence items of an assessment, newest first',
        params: assessmentParams,
        querystring: itemListQuery,
        response: { 200: itemListJson, ...read },
      },
    },
    async (request) => {
      const { items: all } = await evidence.list(currentUser(request), assessmentOf(request));
      const { items, ...page } = pageOf(all, request.query);
      return { items: items.map((i) => ({ ...itemToJson(i), files: i.files, links: i.links })), ...page };
    },
  );

  api.get(
    '/api/assessments/:id/evidence/:itemId',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'One evidence item with its files (SHA-256, extraction status), links and suggestions',
        params: itemParams,
        response: { 200: itemDetailJson, ...read },
      },
    },
    async (request) => detail(currentUser(request), assessmentOf(request), request.params.itemId),
  );

  api.put(
    '/api/assessments/:id/evidence/:itemId',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Change an item’s title, kind, source, date and notes (its files and links stay)',
        params: itemParams,
        body: itemBody,
        response: { 200: itemDetailJson, ...write },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      await evidence.update(actor, request.params.id, request.params.itemId, request.body);
      return detail(actor, assessmentOf(request), request.params.itemId);
    },
  );

  api.delete(
    '/api/assessments/:id/evidence/:itemId',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Delete an item with its links (the audit trail keeps its details and file hashes)',
        params: itemParams,
        response: { 204: z.null(), ...write },
      },
    },
    async (request, reply) => {
      await evidence.remove(currentUser(request), request.params.id, request.params.itemId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/assessments/:id/evidence/:itemId/files/:fileId',
    {
      config: routeConfigFor('view'),
      schema: { tags, summary: 'Download a file (as an attachment, with its sniffed type)', params: fileParams },
    },
    async (request, reply) => {
      const { itemId, fileId } = request.params;
      const { file, stream } = await evidence.openFile(currentUser(request), assessmentOf(request), itemId, fileId);
      return sendFile(reply, file, stream);
    },
  );

  api.get(
    '/api/assessments/:id/evidence/search',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Full-text search of an assessment’s evidence (websearch syntax: "phrase", or, -not)',
        params: assessmentParams,
        querystring: searchQuery,
        response: { 200: searchResultJson, ...read },
      },
    },
    async (request) => {
      return searchToJson(await evidence.search(currentUser(request), request.query, assessmentOf(request)));
    },
  );

  api.get(
    '/api/evidence/search',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Full-text search across all the evidence the caller may see',
        querystring: searchQuery,
        response: { 200: searchResultJson, 400: problemSchema },
      },
    },
    async (request) => {
      return searchToJson(await evidence.search(currentUser(request), request.query));
    },
  );

  api.post(
    '/api/assessments/:id/evidence/:itemId/links',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary:
          'Link the item to a statement ("5.1.2-P3") or a whole KLOE ("5.1.2") as supporting or contradicting it',
        params: itemParams,
        body: linkBody,
        response: { 201: linkJson, ...write },
      },
    },
    async (request, reply) => {
      const { id, itemId } = request.params;
      const link = await evidence.addLink(currentUser(request), id, itemId, request.body);
      return reply.status(201).send(linkToJson(link));
    },
  );

  api.delete(
    '/api/assessments/:id/evidence/:itemId/links/:linkId',
    {
      config: routeConfigFor('judge'),
      schema: { tags, summary: 'Remove a link', params: linkParams, response: { 204: z.null(), ...write } },
    },
    async (request, reply) => {
      const { id, itemId, linkId } = request.params;
      await evidence.removeLink(currentUser(request), id, itemId, linkId);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/assessments/:id/evidence/:itemId/suggestions/:ref',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Accept (link as supporting) or dismiss a suggested statement',
        params: suggestionParams,
        body: z.object({ decision: z.enum(['accepted', 'dismissed']) }),
        response: { 204: z.null(), ...write },
      },
    },
    async (request, reply) => {
      const { id, itemId, ref } = request.params;
      await evidence.decideSuggestions(currentUser(request), id, itemId, [ref], request.body.decision);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/assessments/:id/evidence/:itemId/suggestions',
    {
      config: routeConfigFor('judge'),
      schema: {
        tags,
        summary: 'Accept (link as supporting) or dismiss several suggested statements at once: all or none',
        params: itemParams,
        body: decideSuggestionsBody,
        response: { 204: z.null(), ...write },
      },
    },
    async (request, reply) => {
      const { id, itemId } = request.params;
      const { statementRefs, decision } = request.body;
      await evidence.decideSuggestions(currentUser(request), id, itemId, statementRefs, decision);
      return reply.status(204).send(null);
    },
  );

  await registerUploadScope(app, deps.maxBytes, (scope) => {
    const uploads = scope.withTypeProvider<ZodTypeProvider>();
    uploads.post(
      '/api/assessments/:id/evidence',
      {
        config: routeConfigFor('judge'),
        schema: {
          tags,
          summary: 'Add an evidence item, with files when sent as multipart/form-data (field `files`, repeatable)',
          consumes: ['application/json', 'multipart/form-data'],
          params: assessmentParams,
          body: itemBody,
          response: { 201: itemDetailJson, ...upload },
        },
      },
      async (request, reply) => {
        const actor = currentUser(request);
        const item = await evidence.create(actor, request.params.id, request.body, request.uploads);
        return reply.status(201).send(await detail(actor, assessmentOf(request), item.id));
      },
    );
    uploads.post(
      '/api/assessments/:id/evidence/:itemId/files',
      {
        config: routeConfigFor('judge'),
        schema: {
          tags,
          summary:
            'Add files to an item (multipart/form-data, field `files`, repeatable); a file already held is not stored twice',
          consumes: ['multipart/form-data'],
          params: itemParams,
          response: { 201: itemDetailJson, ...upload },
        },
      },
      async (request, reply) => {
        const actor = currentUser(request);
        const { id, itemId } = request.params;
        await evidence.addFiles(actor, id, itemId, request.uploads);
        return reply.status(201).send(await detail(actor, assessmentOf(request), itemId));
      },
    );
  });
}

/** A stored file as a download: never shown inline, never sniffed again by the browser. */
export function sendFile(
  reply: FastifyReply,
  file: { fileName: string; mediaType: string; size: number },
  stream: NodeJS.ReadableStream,
): FastifyReply {
  return storedFileHeaders(reply, file, attachmentHeader(file.fileName)).send(stream);
}

/** What every stored file is sent with: its own type and length, and no sniffing by the browser. */
function storedFileHeaders(
  reply: FastifyReply,
  file: { mediaType: string; size: number },
  disposition: string,
): FastifyReply {
  return reply
    .header('content-type', file.mediaType)
    .header('content-length', String(file.size))
    .header('content-disposition', disposition)
    .header('x-content-type-options', 'nosniff');
}

/**
 * A PDF or image to show inside kloe's own preview page, and nowhere else: framed only by kloe's pages, and
 * with a policy of its own that lets the document load nothing (the browser's PDF viewer is its own plugin).
 */
export function sendInline(
  reply: FastifyReply,
  file: { fileName: string; mediaType: string; size: number },
  stream: NodeJS.ReadableStream,
): FastifyReply {
  return storedFileHeaders(reply, file, inlineHeader(file.fileName))
    .header('content-security-policy', "default-src 'none'; object-src 'self'; frame-ancestors 'self'")
    .header('x-frame-options', 'SAMEORIGIN')
    .send(stream);
}
