/**
 * The OpenAPI document (`/api/openapi.json`, browsed at `/api/docs`), generated from the routes' zod schemas
 * by @fastify/swagger and then completed in one place, so that every route gets the same treatment without
 * each `*.api.ts` repeating it: its operationId (operation-ids.ts), the responses every route can give
 * (401 without credentials, 403 for a read-only token or a missing role, 404 for an id, 429 past the rate
 * limit, 412 and 422 for the conventions of conventions.ts), errors as application/problem+json, the
 * headers of the conventions, `servers` from KLOE_BASE_URL and the licence.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Access } from '../modules/accounts/index.js';
import { OPERATION_IDS } from './operation-ids.js';
import { completeOperation, type Operation, type RouteFacts } from './openapi-operation.js';
import { componentsUsed } from './openapi-components.js';

export const TAGS = [
  { name: 'frameworks', description: 'KLOE frameworks and their versions' },
  { name: 'account', description: 'The caller and their API tokens' },
  { name: 'people', description: 'People who can sign in (administrators)' },
  { name: 'organisations', description: 'Organisations and their services' },
  { name: 'assessments', description: 'Inspections and self-assessments: findings, ratings, moderation' },
  { name: 'evidence', description: 'Evidence items, their files, search and links to statements' },
  { name: 'report templates', description: 'Custom DOCX templates the reports can be filled into' },
  { name: 'indicators', description: 'Performance indicators: values, benchmarking, direction of travel' },
  { name: 'improvement plans', description: 'Improvement plans of services: aims, actions, quality flags' },
  { name: 'webhooks', description: 'Endpoints that other systems register to be told when something happens' },
  { name: 'audit', description: 'The audit trail and its hash chain (administrators)' },
  { name: 'service', description: 'Whether this kloe is up, for load balancers and monitoring' },
];

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** "/api/x/:id" (Fastify) → "/api/x/{id}" (OpenAPI). */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export interface OpenApiOptions {
  baseUrl: string;
  /** What the API rate limit allows a caller per minute; 0 when there is none. */
  requestsPerMinute: number;
  /** Routes whose writes take the version read from If-Match (conventions.ts). */
  versioned: (method: string, url: string) => boolean;
}

type Document = Record<string, unknown> & { paths?: Record<string, Record<string, Operation>> };

export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  /** Access and body facts of each route, by "METHOD /openapi/path". */
  const routes = new Map<string, { access: Access; url: string; multipart: boolean }>();
  app.addHook('onRoute', (route) => {
    const consumes = (route.schema as { consumes?: string[] } | undefined)?.consumes ?? [];
    for (const method of [route.method].flat())
      routes.set(`${method} ${openApiPath(route.url)}`, {
        access: route.config?.access ?? 'public',
        url: route.url,
        multipart: consumes.includes('multipart/form-data'),
      });
  });

  function complete(document: Document): Document {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const key = `${method.toUpperCase()} ${path}`;
        const route = routes.get(key);
        const facts: RouteFacts = {
          key,
          method: method.toUpperCase(),
          path,
          access: route?.access ?? 'public',
          multipart: route?.multipart ?? false,
          rateLimited: options.requestsPerMinute > 0,
          versioned: route ? options.versioned(method.toUpperCase(), route.url) : false,
          operationId: (operation.operationId as string | undefined) ?? OPERATION_IDS[key],
        };
        item[method] = completeOperation(operation, facts);
      }
    }
    const components = (document.components ?? {}) as Record<string, Record<string, unknown>>;
    for (const [kind, entries] of Object.entries(componentsUsed(document)))
      components[kind] = { ...components[kind], ...entries };
    document.components = components;
    return document;
  }

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'kloe API',
        version: '1',
        description:
          'Frameworks of Key Lines of Enquiry, assessments and their evidence. Errors are application/problem+json (RFC 9457) with a stable `code`. Conventions (pagination, ETag/If-Match, rate limits, Idempotency-Key) and webhooks: see docs/api.md.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: options.baseUrl, description: 'This kloe (KLOE_BASE_URL)' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'An API token from “Your account”' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'kloe.session_token',
            description: 'The session of a person signed in to kloe’s pages (`__Secure-kloe.session_token` over https)',
          },
          csrfToken: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description:
              'Required with the session cookie on POST, PUT, PATCH and DELETE, else 403 `invalid_csrf_token`: the `csrf-token` meta tag of any kloe page loaded in the same session. Not needed with an API token.',
          },
        },
      },
      security: [{ apiToken: [] }, { sessionCookie: [], csrfToken: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (documents) => complete((documents as { openapiObject: Document }).openapiObject),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
}
