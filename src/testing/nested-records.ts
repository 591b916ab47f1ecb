/**
 * One organisation with one inspection holding one record of every kind that lives under an assessment
 * (evidence item, its file, link and suggestion, evidence request, challenge, recommendation, comment thread,
 * factual accuracy comment) and one service with an improvement plan (an aim and its action): for tests that
 * check every route keeps each record to its own parents. Rows are written straight to the tables, so that a
 * test can set up any state without going through the rules it tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { accounts } from '../modules/accounts/accounts.tables.js';
import { SSO_PROVIDER_ID } from '../modules/accounts/sso.provider.js';
import { createAssessmentsService } from '../modules/assessments/assessments.service.js';
import { assessments, challenges, type AssessmentStatus } from '../modules/assessments/assessments.tables.js';
import { recommendations } from '../modules/assessments/recommendations.tables.js';
import { comments, commentThreads } from '../modules/comments/index.js';
import {
  evidenceFiles,
  evidenceItemFiles,
  evidenceItems,
  evidenceLinks,
  evidenceRequests,
  evidenceSuggestions,
} from '../modules/evidence/evidence.tables.js';
import { createFileSystemStorage, storeBytes } from '../modules/evidence/evidence-storage.js';
import { improvementActions, improvementAims, improvementPlans } from '../modules/improvement/improvement.tables.js';
import { accuracyChecks, accuracyComments } from '../modules/publishing/publishing.tables.js';
import { services } from '../modules/organisations/organisations.tables.js';
import { createTestUser } from './test-users.js';
import { createTestOrganisation } from '../modules/organisations/testing/test-organisations.js';
import { webhookDeliveries, webhookEndpoints } from '../modules/webhooks/webhooks.tables.js';
import { testConfig } from './test-config.js';

/** The statement every record that names one uses. */
export const NESTED_STATEMENT = '4.1-P1';

export interface NestedRecords {
  organisationId: string;
  serviceId: string;
  assessmentId: string;
  itemId: string;
  fileId: string;
  linkId: string;
  requestId: string;
  challengeId: string;
  recommendationId: string;
  /** A member of the organisation, with a single sign-on identity linked to them. */
  personId: string;
  ssoLinkId: string;
  aimId: string;
  actionId: string;
  /** A webhook (its owner the lead) and one delivery in its log. */
  webhookId: string;
  deliveryId: string;
  threadId: string;
  /** A factual accuracy comment on the draft report. */
  accuracyCommentId: string;
}

export async function createNestedRecords(
  db: Database,
  options: { leadUserId: string; status: AssessmentStatus },
): Promise<NestedRecords> {
  const organisation = await createTestOrganisation(db);
  const [service] = await db.insert(services).values({ organisationId: organisation.id, name: 'Repairs' }).returning();
  const assessment = await createAssessmentsService({ db }).create(
    { kind: 'system', label: 'test' },
    {
      organisationId: organisation.id,
      serviceId: service!.id,
      kind: 'inspection',
      title: `Inspection of ${organisation.name}`,
      frameworkId: 'audit-commission-j2',
      leadUserId: options.leadUserId,
    },
  );
  await db.update(assessments).set({ status: options.status }).where(eq(assessments.id, assessment.id));
  const assessmentId = assessment.id;

  const [item] = await db
    .insert(evidenceItems)
    .values({ assessmentId, title: `Repairs policy of ${organisation.name}`, kind: 'document' })
    .returning({ id: evidenceItems.id });
  const itemId = item!.id;
  const bytes = Buffer.from(`Repairs policy ${randomUUID()}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await storeBytes(createFileSystemStorage(testConfig().evidence.dir), sha256, bytes);
  const [file] = await db
    .insert(evidenceFiles)
    .values({
      sha256,
      size: bytes.length,
      mediaType: 'text/plain',
      originalName: 'policy.txt',
      // Read already: nothing is left for the background extraction to change under a test.
      extractionStatus: 'done',
      extractedText: bytes.toString(),
    })
    .returning({ id: evidenceFiles.id });
  await db.insert(evidenceItemFiles).values({ itemId, fileId: file!.id, fileName: 'policy.txt' });
  const [link] = await db
    .insert(evidenceLinks)
    .values({ itemId, assessmentId, kloeRef: '4.1', statementRef: null, stance: 'supports' })
    .returning({ id: evidenceLinks.id });
  await db.insert(evidenceSuggestions).values({ itemId, statementRef: NESTED_STATEMENT, score: 0.5 });
  const [request] = await db
    .insert(evidenceRequests)
    .values({ assessmentId, what: 'The repairs policy', dueOn: '2099-01-01', kloeRefs: ['4.1'] })
    .returning({ id: evidenceRequests.id });
  const [challenge] = await db
    .insert(challenges)
    .values({ assessmentId, targetRef: '4.1', comment: 'Too generous', raisedBy: options.leadUserId })
    .returning({ id: challenges.id });
  const [recommendation] = await db
    .insert(recommendations)
    .values({ assessmentId, position: 1, text: 'Publish repair times', priority: 'high', outcome: 'Tenants know' })
    .returning({ id: recommendations.id });
  const [thread] = await db
    .insert(commentThreads)
    .values({ assessmentId, kloeRef: '4.1', audience: 'team', createdBy: options.leadUserId })
    .returning({ id: commentThreads.id });
  await db.insert(comments).values({ threadId: thread!.id, authorId: options.leadUserId, body: 'Worth a second look' });
  // The draft sent to the organisation for its factual accuracy check, with one comment waiting for an answer.
  await db
    .insert(accuracyChecks)
    .values({ assessmentId, deadline: new Date().toISOString().slice(0, 10), sentBy: options.leadUserId });
  const [accuracyComment] = await db
    .insert(accuracyComments)
    .values({ assessmentId, section: '4.1', body: 'The repair times are for 2024', authorId: options.leadUserId })
    .returning({ id: accuracyComments.id });
  const [plan] = await db
    .insert(improvementPlans)
    .values({ organisationId: organisation.id, serviceId: service!.id })
    .returning({ id: improvementPlans.id });
  const [aim] = await db
    .insert(improvementAims)
    .values({ planId: plan!.id, position: 1, title: 'Repairs right first time' })
    .returning({ id: improvementAims.id });
  const [action] = await db
    .insert(improvementActions)
    .values({ aimId: aim!.id, position: 1, title: 'Survey tenants' })
    .returning({ id: improvementActions.id });

  // Port 9 (discard) on this machine: a delivery sent again fails at once, reaching nothing. It follows an
  // event no walk of the routes makes, so that no delivery is added to it in the background.
  const [webhook] = await db
    .insert(webhookEndpoints)
    .values({
      url: `http://127.0.0.1:9/${randomUUID()}`,
      secret: 'whsec_dGVzdA==',
      events: ['indicator.values_imported'],
      ownerId: options.leadUserId,
    })
    .returning({ id: webhookEndpoints.id });
  const [delivery] = await db
    .insert(webhookDeliveries)
    .values({
      endpointId: webhook!.id,
      eventId: randomUUID(),
      eventType: 'assessment.opened',
      payload: {},
      state: 'failed',
    })
    .returning({ id: webhookDeliveries.id });

  const person = await createTestUser(db, 'organisation_member', { organisationId: organisation.id });
  const ssoLinkId = randomUUID();
  await db.insert(accounts).values({
    id: ssoLinkId,
    accountId: `subject-${ssoLinkId}`,
    providerId: SSO_PROVIDER_ID,
    userId: person.actor.userId,
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  return {
    personId: person.actor.userId,
    ssoLinkId,
    webhookId: webhook!.id,
    deliveryId: delivery!.id,
    organisationId: organisation.id,
    serviceId: service!.id,
    assessmentId,
    itemId,
    fileId: file!.id,
    linkId: link!.id,
    requestId: request!.id,
    challengeId: challenge!.id,
    recommendationId: recommendation!.id,
    aimId: aim!.id,
    actionId: action!.id,
    threadId: thread!.id,
    accuracyCommentId: accuracyComment!.id,
  };
}
