/** The worker thread's entry for template-renderer.ts: one inspection or one fill of a DOCX template. */
import { serveJob } from '../../concurrency/worker-job.js';
import { fillTemplate, inspectTemplate, type TemplateSizeLimits } from './template-docx.js';

export type TemplateJob =
  | { task: 'inspect'; bytes: Uint8Array; limits: TemplateSizeLimits }
  | { task: 'fill'; bytes: Uint8Array; data: unknown; limits: TemplateSizeLimits };

serveJob<TemplateJob, { placeholders: string[] } | Uint8Array>(async (job) => {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  if (job.task === 'inspect') return { value: await inspectTemplate(bytes, job.limits) };
  const filled = await fillTemplate(bytes, job.data, job.limits);
  // A Buffer may be a view of Node's shared pool: send a copy of its own, moved rather than copied again.
  const own = new Uint8Array(filled);
  return { value: own, transfer: [own.buffer] };
});
