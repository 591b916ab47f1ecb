/**
 * The routes that take uploads live in their own Fastify scope with @fastify/multipart. The plugin reads
 * the body in a preValidation hook of this scope, which runs after the app's own (sign-in, roles, the
 * assessment's visibility): a caller who may not upload has nothing of their body read. Before it, a
 * request takes one of the process's upload places (`uploads.slots`); when none is free it is answered
 * 503 with Retry-After and its body is not read. Each file is streamed to a folder of the request's own
 * under `uploads.dir`, hashed on the way, up to the size limit (a file over it is refused with 413
 * stating the limit); the folder is removed as the response is sent, or when the request is aborted. Then
 * the form fields become plain strings (so the CSRF check and the zod schemas see an ordinary body) and
 * the files go to `request.uploads`.
 */
import { fileTooLarge } from './file-too-large.js';
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Slots } from '../concurrency/slots.js';
import { serverBusy } from '../concurrency/work-queue.js';
import { refuseUnstorableText } from '../web/storable-text.js';

import { saveStream, type Upload } from './upload-files.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where and how many uploads are received at once (one per process, shared by every upload scope). */
    uploads: UploadPlaces;
  }
  interface FastifyRequest {
    /** The files of a multipart request to an upload route (empty for any other request). */
    uploads: Upload[];
    /** The request's folder of received files, while it holds an upload place. */
    uploadFolder: string | null;
  }
}

export interface UploadPlaces {
  /** Folder of the folders of uploads being received. */
  dir: string;
  slots: Slots;
}

/** More files than this in one request is not a person uploading evidence. */
const MAX_FILES = 20;

interface Part {
  type?: string;
  value?: unknown;
  filename?: string;
}

async function releasePlace(request: FastifyRequest, places: UploadPlaces) {
  const folder = request.uploadFolder;
  if (folder === null) return;
  request.uploadFolder = null;
  places.slots.release();
  await rm(folder, { recursive: true, force: true });
}

export async function registerUploadScope(
  app: FastifyInstance,
  maxBytes: number,
  routes: (scope: FastifyInstance) => void | Promise<void>,
  /** The form field named when a file is over the limit. */
  fileField = 'files',
): Promise<void> {
  const places = app.uploads;
  await app.register(async (scope) => {
    scope.decorateRequest('uploads', null as unknown as Upload[]);
    scope.decorateRequest('uploadFolder', null);
    // Added before the plugin's own preValidation hook, so it runs first: no place, no body read.
    scope.addHook('preValidation', async (request) => {
      if (!request.isMultipart()) return;
      if (!places.slots.take()) throw serverBusy('uploads', 5);
      request.uploadFolder = path.join(places.dir, randomUUID());
      await mkdir(request.uploadFolder, { recursive: true });
    });
    // Before the answer goes out (the handler has stored what it keeps), so the place is free once it is read.
    scope.addHook('onSend', async (request, _reply, payload) => {
      await releasePlace(request, places);
      return payload;
    });
    scope.addHook('onRequestAbort', (request) => releasePlace(request, places));
    await scope.register(fastifyMultipart, {
      attachFieldsToBody: true,
      limits: { fileSize: maxBytes, files: MAX_FILES, fields: 50, fieldSize: 1024 * 1024, parts: 100 },
      async onFile(this: FastifyRequest, part: MultipartFile & { value?: unknown }) {
        const target = path.join(this.uploadFolder!, randomUUID());
        const saved = await saveStream(part.file, target);
        if (part.file.truncated) throw fileTooLarge(maxBytes, fileField);
        part.value = { path: target, ...saved };
      },
    });
    scope.addHook('preValidation', async (request) => {
      request.uploads = [];
      if (!request.isMultipart()) return;
      const fields: Record<string, string | string[]> = {};
      for (const [name, entry] of Object.entries((request.body ?? {}) as Record<string, Part | Part[]>)) {
        for (const part of [entry].flat()) {
          if (part.type === 'file') {
            const file = part.value as Omit<Upload, 'name'>;
            // A file input left empty still sends a part with no name and no bytes.
            if (part.filename || file.size > 0) request.uploads.push({ name: part.filename ?? '', ...file });
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
