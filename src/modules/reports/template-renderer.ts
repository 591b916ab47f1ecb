/**
 * Inspecting and filling DOCX templates off the event loop: each job runs in a fresh worker thread
 * (template-worker.ts) with a memory and a time limit, and a few at a time (more wait in a short line,
 * and past that the caller is told the server is busy). A template that would take minutes or gigabytes
 * is refused as such, and requests from everyone else are answered meanwhile.
 */
import { createWorkQueue, serverBusy, type WorkQueueLimits } from '../../concurrency/work-queue.js';
import { runJob, workerEntry, type JobLimits, type JobOutcome } from '../../concurrency/worker-job.js';
import { templateRefused } from './report-templates.errors.js';
import { TEMPLATE_SIZE_LIMITS, type TemplateSizeLimits } from './template-docx.js';
import type { TemplateJob } from './template-worker.js';

export interface TemplateRendererLimits extends JobLimits, TemplateSizeLimits {
  queue: WorkQueueLimits;
}

/** The starter template fills in about 0.1 s and the largest reports measured (500 evidence items) in a few seconds. */
export const TEMPLATE_RENDERER_LIMITS: TemplateRendererLimits = {
  ...TEMPLATE_SIZE_LIMITS,
  timeoutMs: 30_000,
  memoryMb: 512,
  queue: { running: 2, waiting: 8 },
};

const ENTRY = workerEntry(import.meta.url, 'template-worker');

export function createTemplateRenderer(limits: TemplateRendererLimits = TEMPLATE_RENDERER_LIMITS) {
  const queue = createWorkQueue(limits.queue, () => serverBusy('reports', 5));
  const sizes: TemplateSizeLimits = { inflatedBytes: limits.inflatedBytes, filledBytes: limits.filledBytes };

  async function run<T>(job: TemplateJob): Promise<T> {
    const outcome: JobOutcome<T> = await queue.run(() => runJob<T>(ENTRY, job, limits));
    if (outcome.ok) return outcome.value;
    if (outcome.reason === 'error') throw outcome.error;
    throw templateRefused([
      outcome.reason === 'timeout'
        ? `The template takes longer than ${limits.timeoutMs / 1000} s to fill: make it simpler (fewer loops inside loops)`
        : `The template needs more than ${limits.memoryMb} MB of memory to fill: make it simpler (fewer loops inside loops)`,
    ]);
  }

  return {
    /** The placeholders of an acceptable template; throws template_refused (422) or file_refused (415). */
    inspect: (bytes: Buffer) => run<{ placeholders: string[] }>({ task: 'inspect', bytes, limits: sizes }),
    /** The template filled with the data; throws with the reason when it cannot be. */
    fill: async (bytes: Buffer, data: unknown) =>
      Buffer.from(await run<Uint8Array>({ task: 'fill', bytes, data, limits: sizes })),
    /** Resolves when no template is being inspected or filled (closing the app). */
    idle: () => queue.idle(),
  };
}

export type TemplateRenderer = ReturnType<typeof createTemplateRenderer>;
