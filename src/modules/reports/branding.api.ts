/**
 * The inspectorate's branding over the API: read it, and set the name and upload a logo (multipart/form-data:
 * `name`, the file `logo`, `removeLogo`). Administrators only.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemSchema } from '../../api/problem-schema.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';
import { currentUser } from '../accounts/index.js';
import { brandingBody, brandingJson } from './branding.schemas.js';
import { brandingRoute } from './branding.policy.js';
import type { BrandingService } from './branding.service.js';
import { LOGO_MAX_BYTES, LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH, LOGO_UPLOAD_LIMIT } from './logo-image.js';

const tags = ['reports'];

export async function registerBrandingApi(app: FastifyInstance, deps: { branding: BrandingService }): Promise<void> {
  const { branding } = deps;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/branding',
    {
      config: brandingRoute,
      schema: {
        tags,
        summary: 'The inspectorate’s name and logo, shown on every report',
        response: { 200: brandingJson, 403: problemSchema },
      },
    },
    async () => branding.get(),
  );

  await registerUploadScope(
    app,
    LOGO_UPLOAD_LIMIT,
    (scope) => {
      scope.withTypeProvider<ZodTypeProvider>().put(
        '/api/branding',
        {
          config: brandingRoute,
          schema: {
            tags,
            summary: `Sets the inspectorate’s name and, with the file \`logo\` (multipart/form-data), its logo: a PNG, JPEG or WebP of up to ${LOGO_MAX_BYTES / 1024 / 1024} MB, re-encoded as a PNG of at most ${LOGO_MAX_WIDTH} × ${LOGO_MAX_HEIGHT} pixels without its metadata. \`removeLogo=true\` removes the logo. Reports published before keep the branding they were stored with. Audited.`,
            consumes: ['multipart/form-data'],
            body: brandingBody,
            response: {
              200: brandingJson,
              400: problemSchema,
              403: problemSchema,
              413: problemSchema,
              415: problemSchema,
              422: problemSchema,
            },
          },
        },
        async (request) => branding.save(currentUser(request), request.body, request.uploads),
      );
    },
    'logo',
  );
}
