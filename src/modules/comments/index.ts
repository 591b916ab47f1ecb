/** Comments on KLOEs and statements: threads for the team, or shared with the organisation; not evidence. */
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.js';
import type { AssessmentRef, AssessmentsService } from '../assessments/index.js';
import type { Notify } from '../notifications/index.js';
import { registerCommentsApi } from './comments.api.js';
import { registerCommentPages } from './comments.pages.js';
import { createCommentsService } from './comments.service.js';

export type { CommentsService } from './comments.service.js';
export { commentThreads, comments } from './comments.tables.js';

/** Registers the routes; returns the service and what a KLOE's page shows of its comments. */
export function registerComments(
  app: FastifyInstance,
  deps: { db: Database; notify?: Notify; assessments: Pick<AssessmentsService, 'summary'> },
) {
  const comments = createCommentsService({ db: deps.db, notify: deps.notify });
  registerCommentsApi(app, { comments });
  registerCommentPages(app, { comments, assessments: deps.assessments });
  return {
    comments,
    /** The KLOE page's view: its open threads, and how many are resolved. */
    async forKloePage(actor: Parameters<typeof comments.forKloe>[0], assessment: AssessmentRef, ref: string) {
      const { threads } = await comments.forKloe(actor, assessment, ref);
      return {
        open: threads.filter((t) => !t.thread.resolvedAt),
        resolved: threads.filter((t) => t.thread.resolvedAt).length,
      };
    },
  };
}
