/**
 * The published report rendered in the background: when an assessment is published, a job is added in the
 * publishing transaction (so it exists exactly when the publishing commits), and whichever node takes it
 * renders the DOCX and the PDF and stores them (reports.service.ts, renderPublished). The first download is
 * then served from storage. A download before the job has finished makes the file itself, as it always
 * has; whichever stores first wins and both are given the stored file, so there is never a second stored
 * copy and every download is the same bytes. A job whose node dies is retried by another node once its
 * heartbeat stops; one that fails (no chromium) is retried a few times and then left to the first download.
 */
import type { Database } from '../../db/database.js';
import type { JobQueue } from '../jobs/index.js';
import type { ReportsService } from './reports.service.js';

/** The job type; its payload names the assessment. */
export const RENDER_PUBLISHED_JOB = 'reports.render-published';

/** The job's handler, on every node that runs jobs. Before the queue starts. */
export function registerPublishedReportJob(deps: {
  jobs: JobQueue;
  reports: Pick<ReportsService, 'renderPublished'>;
}): void {
  deps.jobs.handle<{ assessmentId: string }>(
    RENDER_PUBLISHED_JOB,
    async ({ assessmentId }) => {
      await deps.reports.renderPublished(assessmentId);
    },
    // A PDF takes seconds and a chromium of its own: one at a time per node.
    { retryLimit: 3, expireInSeconds: 10 * 60, concurrency: 1 },
  );
}

/** The hook the assessments service runs in the publishing transaction: adds the job there. */
export const renderWhenPublished =
  (jobs: JobQueue) =>
  async (tx: Database, assessmentId: string): Promise<void> => {
    await jobs.enqueue(RENDER_PUBLISHED_JOB, { assessmentId }, { tx });
  };
