/**
 * The job queue: background work that runs once across every kloe node (see job-queue.ts). Other modules
 * register handlers and enqueue jobs through this entry only.
 */
export {
  createJobQueue,
  type EnqueueOptions,
  type JobContext,
  type JobHandler,
  type JobQueue,
  type JobQueueOptions,
  type JobTypeOptions,
} from './job-queue.js';
export { installJobSchema } from './job-schema.js';
