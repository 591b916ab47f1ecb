/**
 * The routes that take uploads live in their own Fastify scope with @fastify/multipart. The plugin reads
 * the body in a preValidation hook of this scope, which runs after the app's own (sign-in, roles, the
 * assessment's visibility): a caller who may not upload has nothing of their body read. Each file is
 * read into memory up to the size limit (a file over it is refused with 413 stating the limit), then
 * the form fields become plain strings (so the CSRF check and the zod schemas see an ordinary body)
 * and the files go to `request.uploads`.
 */
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { refuseUnstorableText } from '../../web/storable-text.js';
import { fileTooLarge } from './evidence.errors.js';
import type { Upload } from './evidence-uploads.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The files of a multipart request to an upload route (empty for any other request). */
    uploads: Upload[];
  }
}

/** More files than this in one request is not a person uploading evidence. */
const MAX_FILES = 20;

interface Part {
  type?: string;
  value?: unknown;
  filename?: string;
}

export async function registerUploadScope(
  app: FastifyInstance,
  maxBytes: number,
  routes: (scope: FastifyInstance) => void | Promise<void>,
  /** The form field named when a file is over the limit. */
  fileField = 'files',
): Promise<void> {
  await app.register(async (scope) => {
    scope.decorateRequest('uploads', null as unknown as Upload[]);
    await scope.register(fastifyMultipart, {
      attachFieldsToBody: true,
      limits: { fileSize: maxBytes, files: MAX_FILES, fields: 50, fieldSize: 1024 * 1024, parts: 100 },
      async onFile(part: MultipartFile & { value?: unknown }) {
        try {
          part.value = await part.toBuffer();
        } catch (error) {
          if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(maxBytes, fileField);
          throw error;
        }
      },
    });
    scope.addHook('preValidation', async (request) => {
      request.uploads = [];
      if (!request.isMultipart()) return;
      const fields: Record<string, string | string[]> = {};
      for (const [name, entry] of Object.entries((request.body ?? {}) as Record<string, Part | Part[]>)) {
        for (const part of [entry].flat()) {
          if (part.type === 'file') {
            const bytes = part.value as Buffer;
            // A file input left empty still sends a part with no name and no bytes.
            if (part.filename || bytes.length > 0) request.uploads.push({ name: part.filename ?? '', bytes });
          } else {
            const value = String(part.value ?? '');
            const previous = fields[name];
            fields[name] = previous === undefined ? value : [previous, value].flat();
          }
        }
      }
      // The app's text rule ran before these fields existed: the same rule, now that they do.
      refuseUnstorableText(request, { body: { ...fields, [fileField]: request.uploads.map((u) => u.name) } });
      request.body = fields;
    });
    await routes(scope);
  });
}
