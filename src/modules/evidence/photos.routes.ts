/**
 * A photo as evidence of a statement, from the KLOE page (its photo form, evidence/views/_photo-form.njk)
 * or the API. The page form posts multipart/form-data and goes back to the statement; a refused photo is
 * shown on a page of its own with the error summary and the note kept (a file must be chosen again).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { formRefusal, type FormErrors } from '../../web/form-errors.js';
import { withoutCsrf } from '../../web/form-post.js';
import { currentUser, type UserActor } from '../accounts/index.js';
import { assessmentCrumb, common, LIST_CRUMB } from '../assessments/index.js';
import type { AssessmentsService } from '../assessments/index.js';
import { assessmentOf, routeConfigFor, type LoadedAssessment } from '../assessments/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { registerUploadScope } from '../../files/multipart-uploads.js';

import { PHOTO_FIELD, type PhotosService } from './photos.service.js';
import { photoBody, photoJson, photoParams } from './photos.schemas.js';

const tags = ['evidence'];

export interface PhotoRouteDeps {
  photos: PhotosService;
  assessments: Pick<AssessmentsService, 'summary'>;
  maxBytes: number;
}

const itemPage = (id: string, itemId: string) => `/assessments/${id}/evidence/${itemId}`;

export async function registerPhotoRoutes(app: FastifyInstance, deps: PhotoRouteDeps): Promise<void> {
  const { photos } = deps;

  async function renderPhotoPage(
    reply: FastifyReply,
    actor: UserActor,
    loaded: LoadedAssessment,
    ref: string,
    state: { values?: Record<string, unknown>; errors?: FormErrors },
  ) {
    const { assessment, organisationName, serviceName } = await deps.assessments.summary(actor, loaded);
    const { id } = assessment;
    const { kloe, statements } = await photos.statements(assessment, ref);
    return reply.render('evidence/views/photo.njk', {
      ...common,
      pageTitle: `Add a photo to KLOE ${ref}: ${assessment.title}`,
      breadcrumbs: [
        LIST_CRUMB,
        assessmentCrumb(assessment),
        { text: `KLOE ${ref}`, href: `/assessments/${id}/kloes/${ref}` },
      ],
      header: { ...assessment, organisationName, serviceName },
      kloe,
      statements,
      action: `/assessments/${id}/kloes/${ref}/photos`,
      values: state.values ?? {},
      errors: state.errors,
    });
  }

  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/assessments/:id/kloes/:ref/photos/new',
      { config: routeConfigFor('judge'), schema: { hide: true, params: photoParams } },
      async (request, reply) =>
        renderPhotoPage(reply, currentUser(request), assessmentOf(request), request.params.ref, {}),
    );

  await registerUploadScope(
    app,
    deps.maxBytes,
    (scope) => {
      const routes = scope.withTypeProvider<ZodTypeProvider>();
      routes.post(
        '/assessments/:id/kloes/:ref/photos',
        { config: routeConfigFor('judge'), schema: { hide: true, params: photoParams } },
        async (request, reply) => {
          const actor = currentUser(request);
          const { id, ref } = request.params;
          const values = withoutCsrf(request.body);
          try {
            const added = await photos.add(actor, assessmentOf(request), ref, photoBody.parse(values), request.uploads);
            const statement = encodeURIComponent(added.link.statementRef ?? '');
            return reply.redirect(`/assessments/${id}/kloes/${ref}?done=photo-added#statement-${statement}`, 303);
          } catch (error) {
            const refused = formRefusal(error);
            if (!refused) throw error;
            return renderPhotoPage(reply.status(refused.status), actor, assessmentOf(request), ref, {
              values,
              errors: refused.errors,
            });
          }
        },
      );
      routes.post(
        '/api/assessments/:id/kloes/:ref/photos',
        {
          config: routeConfigFor('judge'),
          schema: {
            tags,
            summary:
              'Add a photo as evidence of one statement of the KLOE (multipart/form-data, field `photo`): a new site-visit item linked to the statement; its location and camera details are removed unless `keepMetadata` is yes',
            consumes: ['multipart/form-data'],
            params: photoParams,
            body: photoBody,
            response: {
              201: photoJson,
              400: problemSchema,
              403: problemSchema,
              404: problemSchema,
              409: problemSchema,
              413: problemSchema,
              415: problemSchema,
            },
          },
        },
        async (request, reply) => {
          const { id, ref } = request.params;
          const added = await photos.add(
            currentUser(request),
            assessmentOf(request),
            ref,
            request.body,
            request.uploads,
          );
          return reply.status(201).send({
            itemId: added.item.id,
            statementRef: added.link.statementRef ?? '',
            sha256: added.file.sha256,
            size: added.file.size,
            metadataRemoved: added.metadataRemoved,
            page: itemPage(id, added.item.id),
          });
        },
      );
    },
    PHOTO_FIELD,
  );
}
