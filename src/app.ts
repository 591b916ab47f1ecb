/**
 * buildApp(deps): the composition root. Everything the app uses arrives as a dependency, so tests
 * build it in-process around a throwaway database and drive it with app.inject.
 */
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerApi } from './api/index.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { loggableError } from './db/loggable-error.js';
import { registerAccessControl } from './modules/accounts/access.hook.js';
import { registerAccountPages } from './modules/accounts/account.pages.js';
import { registerAccountsApi } from './modules/accounts/accounts.api.js';
import { createAccountsService } from './modules/accounts/accounts.service.js';
import { createApiTokensService } from './modules/accounts/api-tokens.service.js';
import { createFirstRunService } from './modules/accounts/first-run.service.js';
import { registerSetupPages } from './modules/accounts/setup.pages.js';
import { registerPeoplePages } from './modules/accounts/people.pages.js';
import { registerSignInPages } from './modules/accounts/sign-in.pages.js';
import { createSignInService } from './modules/accounts/sign-in.service.js';
import { registerSsoBackChannelLogout, registerSsoPages } from './modules/accounts/sso.pages.js';
import { createSsoDiscovery } from './modules/accounts/sso.discovery.js';
import { createSsoLinksService } from './modules/accounts/sso-links.service.js';
import { createSsoService } from './modules/accounts/sso.service.js';
import { createAuth } from './modules/accounts/auth.js';
import { registerAuthentication } from './modules/accounts/authenticate.hook.js';
import { registerAssessmentExportApi } from './modules/assessments/assessment-export.api.js';
import { registerAssessmentsApi } from './modules/assessments/assessments.api.js';
import { registerAssessmentPages } from './modules/assessments/assessments.pages.js';
import { createComparisonService } from './modules/assessments/comparison.service.js';
import { registerComparisonApi } from './modules/assessments/comparison.api.js';
import { registerComparisonPages } from './modules/assessments/comparison.pages.js';
import { registerAssessmentVisibilityCheck } from './modules/assessments/assessments.hooks.js';
import { createAssessmentsService } from './modules/assessments/assessments.service.js';
import { createModerationService } from './modules/assessments/moderation.service.js';
import { createWorkspaceService } from './modules/assessments/workspace.service.js';
import { registerWorkspacePages } from './modules/assessments/workspace.pages.js';
import { registerConfirmPages } from './modules/assessments/confirm.pages.js';
// reports
import { registerRecommendationsApi } from './modules/assessments/recommendations.api.js';
import { registerRecommendationPages } from './modules/assessments/recommendations.pages.js';
import { createRecommendationsService } from './modules/assessments/recommendations.service.js';
import { createSlots } from './concurrency/slots.js';
import { createPdfPrinter } from './modules/reports/report-pdf.js';
import { createTemplateRenderer } from './modules/reports/template-renderer.js';
import { createExecutiveSummaryService } from './modules/reports/executive-summary.service.js';
import { registerReportsApi } from './modules/reports/reports.api.js';
import { registerReportPages } from './modules/reports/reports.pages.js';
import { registerReportTemplatesApi } from './modules/reports/report-templates.api.js';
import { registerReportTemplatePages } from './modules/reports/report-templates.pages.js';
import { createReportTemplatesService } from './modules/reports/report-templates.service.js';
import { createReportsService } from './modules/reports/reports.service.js';
import { registerAuditApi } from './modules/audit/audit.api.js';
import { registerAuditPages } from './modules/audit/audit.pages.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { registerEvidenceApi } from './modules/evidence/evidence.api.js';
import { createEvidenceStorage, type EvidenceStorage } from './modules/evidence/evidence-storage.js';
import { reportSources } from './report-sources.js';
import { createEvidenceService } from './modules/evidence/evidence.service.js';
import { copyEvidence } from './modules/evidence/evidence.repository.js';
import { registerEvidencePages } from './modules/evidence/evidence.pages.js';
import { createPhotosService } from './modules/evidence/photos.service.js';
import { registerPhotoRoutes } from './modules/evidence/photos.routes.js';
import { createEvidenceRequestsService, OVERDUE_REQUESTS_JOB } from './modules/evidence/evidence-requests.service.js';
import { registerEvidenceRequestRoutes } from './modules/evidence/evidence-requests.routes.js';
import { registerHealthRoutes } from './modules/health/health.api.js';
import { createJobQueue, type JobQueueOptions } from './modules/jobs/index.js';
import { registerWebhooks, type WebhookTimings } from './modules/webhooks/index.js';
import { registerFrameworkApi } from './modules/frameworks/frameworks.api.js';
import { registerFrameworkPages } from './modules/frameworks/frameworks.pages.js';
import { createFrameworksService } from './modules/frameworks/frameworks.service.js';
import { registerHomePage } from './modules/home/home.pages.js';
import { registerNotifications } from './modules/notifications/index.js';
import { registerComments } from './modules/comments/index.js';
import { registerMyWork } from './modules/work/index.js';
import { accuracyPublishCheck, registerPublishing } from './modules/publishing/index.js';
import { createKloeReviewService } from './modules/assessments/kloe-review.service.js';
import { registerKloeReviewApi } from './modules/assessments/kloe-review.api.js';
import { registerKloeReviewPages } from './modules/assessments/kloe-review.pages.js';
import { registerImprovementApi } from './modules/improvement/improvement.api.js';
import { registerImprovementPages } from './modules/improvement/improvement.pages.js';
import { createImprovementService } from './modules/improvement/improvement.service.js';
import { createPlanDraftsService } from './modules/improvement/plan-drafts.service.js';
import { registerMonitoringRoutes } from './modules/improvement/monitoring.routes.js';
import { createMonitoringService } from './modules/improvement/monitoring.service.js';
import { registerPlanOutputRoutes } from './modules/improvement/plan-outputs.routes.js';
import { registerProgressApi } from './modules/improvement/progress.api.js';
import { registerProgressPages } from './modules/improvement/progress.pages.js';
import { registerTrackRecordApi } from './modules/improvement/track-record.api.js';
import { registerTrackRecordPages } from './modules/improvement/track-record.pages.js';
import { createTrackRecordService } from './modules/improvement/track-record.service.js';
import { createProgressService } from './modules/improvement/progress.service.js';
import { targetBenchmarks } from './modules/improvement/target-benchmarks.js';
import { registerComparatorGroupsApi } from './modules/indicators/comparator-groups.api.js';
import { registerComparatorGroupPages } from './modules/indicators/comparator-groups.pages.js';
import { createComparatorGroupsService } from './modules/indicators/comparator-groups.service.js';
import { registerIndicatorsApi } from './modules/indicators/indicators.api.js';
import { registerIndicatorPages } from './modules/indicators/indicators.pages.js';
import { createIndicatorsService } from './modules/indicators/index.js';
import { registerSnapshotRoutes } from './modules/indicators/snapshots.pages.js';
import { createSnapshotsService } from './modules/indicators/snapshots.service.js';
import { registerOrganisationsApi } from './modules/organisations/organisations.api.js';
import { registerOrganisationPages } from './modules/organisations/organisations.pages.js';
import { createOrganisationsService } from './modules/organisations/organisations.service.js';
import { resolveSecret } from './modules/system/secret.js';
import { checkDatabaseWrites } from './modules/system/write-check.js';
import { publicFolder } from './paths.js';
import { registerDrain } from './web/drain.js';
import { registerErrorHandlers } from './web/error-handler.js';
import { registerInstallable } from './web/installable.js';
import { createViewEnvironment } from './web/nunjucks.js';
import { registerRendering } from './web/render.js';
import { logSerializers } from './web/log-serializers.js';
import { registerSecurity } from './web/security.js';
import { registerStorableTextRule } from './web/storable-text.js';

export interface AppDeps {
  config: Pick<
    Config,
    | 'env'
    | 'logLevel'
    | 'baseUrl'
    | 'secret'
    | 'session'
    | 'admin'
    | 'signInAttemptsPerMinute'
    | 'apiRequestsPerMinute'
    | 'trustProxy'
    | 'oidc'
    | 'evidence'
    | 'reports'
  > &
    Partial<Pick<Config, 'watchTemplates' | 'smtp'>>;
  database: DatabaseHandle;
  /** Where evidence files are kept; by default the folder config.evidence.dir. */
  evidenceStorage?: EvidenceStorage;
  /** Fastify logger options; false silences it (tests). */
  logger?: FastifyServerOptions['logger'];
  /** How often the job queue looks for work and for lost jobs (tests poll sooner); pg-boss's defaults otherwise. */
  jobTimings?: Pick<JobQueueOptions, 'pollingSeconds' | 'superviseSeconds'>;
  /** Webhook retries and how often events are looked for (tests go faster); see webhooks.service.ts. */
  webhookTimings?: WebhookTimings & { dispatchEverySeconds?: number };
}

export type App = FastifyInstance;

/** JSON lines for machines; readable lines for a person running kloe in a terminal during development. */
function loggerOptions(config: AppDeps['config']): FastifyServerOptions['logger'] {
  const pretty = config.env === 'development' && process.stdout.isTTY;
  return {
    level: config.logLevel,
    // Belt and braces: no credential may reach a log line, whatever a future serializer includes.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: logSerializers,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(deps.config),
    // Request ids in every log line; a caller's X-Request-Id is kept so traces join up across services.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    // While stopping, a request arriving on a connection still open is served (and its connection closed,
    // src/web/drain.ts) rather than refused with 503: the process is still fully able to answer it.
    return503OnClosing: false,
    // request.ip is the client's, not the load balancer's, only behind the proxies named in KLOE_TRUST_PROXY.
    trustProxy: deps.config.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Before any route: from here on every route must declare config.access (see access.hook.ts).
  const { db } = deps.database;
  const secret = await resolveSecret(db, deps.config.secret);
  const auth = createAuth({ db, config: deps.config, secret });
  registerAuthentication(app, { db, auth, config: deps.config });
  registerAccessControl(app);
  registerStorableTextRule(app);
  await app.register(fastifyFormbody);
  // Single sign-on's provider is looked up in the background: nothing else waits for it.
  const ssoDiscovery = deps.config.oidc ? createSsoDiscovery(deps.config.oidc, app.log) : undefined;
  const https = deps.config.baseUrl.startsWith('https://');
  await registerSecurity(app, { secret, https, formActionOrigins: ssoDiscovery?.formActionOrigins, db });

  // Before any route, so that every route (the OpenAPI document's too) answers errors the same way.
  // Fast unless asked otherwise: only KLOE_WATCH_TEMPLATES re-reads templates and turns the page memo off.
  const watchTemplates = deps.config.watchTemplates ?? false;
  const views = createViewEnvironment({ watch: watchTemplates });
  registerRendering(app, views, { memo: !watchTemplates });
  registerErrorHandlers(app);
  registerDrain(app);

  await registerApi(app, { db, baseUrl: deps.config.baseUrl, requestsPerMinute: deps.config.apiRequestsPerMinute });

  await app.register(fastifyStatic, { root: publicFolder, prefix: '/assets/', decorateReply: false, index: false });
  registerInstallable(app);

  const frameworks = createFrameworksService({ db });
  const evidenceStorage = deps.evidenceStorage ?? createEvidenceStorage(deps.config.evidence);
  registerHealthRoutes(app, {
    database: deps.database,
    checkDatabaseWrites: () => checkDatabaseWrites(db),
    evidenceStorage,
  });
  registerFrameworkApi(app, { frameworks });
  registerFrameworkPages(app, { frameworks });

  const accounts = createAccountsService({ db });
  const tokens = createApiTokensService({ db });
  const signIn = createSignInService({ db, auth });
  const attemptsPerMinute = deps.config.signInAttemptsPerMinute;
  // undefined unless KLOE_OIDC_* are set
  const sso = createSsoService({ db, auth, accounts, discovery: ssoDiscovery, config: deps.config });
  const baseUrl = deps.config.baseUrl;
  registerSignInPages(app, { signIn, attemptsPerMinute, sso, baseUrl });
  if (sso) {
    registerSsoPages(app, { sso, attemptsPerMinute, secureCookies: https, baseUrl });
    registerSsoBackChannelLogout(app, { sso });
  }
  registerSetupPages(app, { signIn, firstRun: createFirstRunService({ db, accounts, config: deps.config }) });
  registerAccountPages(app, { accounts, tokens });
  const audit = createAuditService({ db });
  registerPeoplePages(app, { accounts, audit, ssoLinks: createSsoLinksService({ db }) });
  registerAccountsApi(app, { accounts, tokens });

  registerAuditApi(app, { audit });
  registerAuditPages(app, { audit });

  const organisations = createOrganisationsService({ db });
  registerOrganisationsApi(app, { organisations });
  registerOrganisationPages(app, { organisations, audit });

  // team work: notifications (in kloe, and by email when KLOE_SMTP_URL is set)
  const { notifications } = registerNotifications(app, { db, smtp: deps.config.smtp, baseUrl: deps.config.baseUrl });
  const notify = notifications.notify;
  const assessmentDeps = {
    assessments: createAssessmentsService({
      db,
      revisionCopiers: [copyEvidence],
      publishChecks: [accuracyPublishCheck],
    }),
    workspace: createWorkspaceService({ db }),
    moderation: createModerationService({ db, notify }),
  };
  const kloeReview = createKloeReviewService({ db, notify });
  registerKloeReviewApi(app, { kloeReview });
  registerKloeReviewPages(app, { kloeReview, assessments: assessmentDeps.assessments });
  const comments = registerComments(app, { db, notify, assessments: assessmentDeps.assessments });
  registerHomePage(app, { frameworks, myWork: registerMyWork(app, { db, kloeReview }) });
  registerAssessmentVisibilityCheck(app, { db });
  // evidence
  // Every upload route (evidence, answers to requests, report templates) receives into these places.
  app.decorate('uploads', {
    dir: path.join(deps.config.evidence.dir, 'incoming'),
    slots: createSlots(deps.config.evidence.uploadsAtOnce),
  });
  // Background work shared by every node on the database; handlers are registered below, taking jobs
  // starts once the app is ready.
  const logError = (message: string, error: unknown) => app.log.error({ err: loggableError(error) }, message);
  const jobs = createJobQueue({ database: deps.database, log: logError, ...deps.jobTimings });
  const evidence = createEvidenceService({
    db,
    storage: evidenceStorage,
    limits: deps.config.evidence,
    log: logError,
    jobs,
  });
  await registerEvidenceApi(app, { evidence, maxBytes: deps.config.evidence.maxBytes });
  await registerEvidencePages(app, {
    evidence,
    assessments: assessmentDeps.assessments,
    maxBytes: deps.config.evidence.maxBytes,
    types: deps.config.evidence.types,
  });
  await registerPhotoRoutes(app, {
    photos: createPhotosService({ db, evidence, limits: deps.config.evidence }),
    assessments: assessmentDeps.assessments,
    maxBytes: deps.config.evidence.maxBytes,
  });
  const requests = createEvidenceRequestsService({ db, evidence, limits: deps.config.evidence, notify });
  // A request that passes its date unanswered becomes overdue (the webhook event), looked for by one node.
  jobs.handle(OVERDUE_REQUESTS_JOB, async () => void (await requests.markOverdue()));
  jobs.every(OVERDUE_REQUESTS_JOB, '*/15 * * * *');
  await registerEvidenceRequestRoutes(app, {
    requests,
    assessments: assessmentDeps.assessments,
    maxBytes: deps.config.evidence.maxBytes,
  });
  registerWebhooks(app, {
    db,
    jobs,
    notify,
    production: deps.config.env === 'production',
    ...(deps.webhookTimings ? { timings: deps.webhookTimings } : {}),
  });
  // The queue writes its own tables as it starts. A database that refuses writes (a read-only replica after a
  // failover, a full disk) must not keep kloe from serving pages and a /health that says so: the start is
  // tried again every half minute until it succeeds or kloe stops.
  let jobsRetry: NodeJS.Timeout | undefined;
  const startJobs = async () => {
    try {
      await jobs.start();
    } catch (error) {
      logError('The job queue could not start; trying again in 30 s', error);
      jobsRetry = setTimeout(() => void startJobs(), 30_000).unref();
    }
  };
  app.addHook('onReady', startJobs);
  // A job running is abandoned, not awaited: another node (or the next start) takes it again.
  app.addHook('onClose', async () => {
    clearTimeout(jobsRetry);
    evidence.stopExtraction();
    await jobs.stop();
  });

  registerAssessmentsApi(app, assessmentDeps);
  registerAssessmentPages(app, {
    ...assessmentDeps,
    kloeReview,
    audit,
    organisations,
    accounts,
    frameworks,
  });
  const comparison = createComparisonService({ db });
  registerComparisonPages(app, { comparison, assessments: assessmentDeps.assessments });
  registerComparisonApi(app, { comparison });
  const indicators = createIndicatorsService({ database: deps.database });
  const trackRecord = createTrackRecordService({ db });
  registerTrackRecordApi(app, { trackRecord });
  registerTrackRecordPages(app, { trackRecord });
  const snapshots = createSnapshotsService({ db, indicators });
  registerWorkspacePages(app, {
    ...assessmentDeps,
    audit,
    kloeEvidence: evidence.forKloe,
    kloeFigures: snapshots.forKloe,
    kloeReview,
    kloeComments: comments.forKloePage,
    kloeTrackRecord: trackRecord.forKloe,
  });
  registerConfirmPages(app, assessmentDeps);
  registerAssessmentExportApi(app, { db, storage: evidenceStorage });

  // reports
  const recommendations = createRecommendationsService({ db });
  registerRecommendationsApi(app, { recommendations });
  const planDrafts = createPlanDraftsService({ db });
  registerRecommendationPages(app, { recommendations, assessments: assessmentDeps.assessments, plans: planDrafts });
  const printer = createPdfPrinter({
    chromiumPath: deps.config.reports.chromiumPath,
    queueSize: deps.config.reports.pdfQueueSize,
  });
  const renderer = createTemplateRenderer();
  app.addHook('onClose', () => printer.close());
  app.addHook('onClose', () => renderer.idle());
  const reports = createReportsService({
    db,
    views,
    sources: reportSources(db),
    printer,
    renderer,
    baseUrl: deps.config.baseUrl,
  });
  const templates = createReportTemplatesService({ db, renderer });
  const executiveSummaries = createExecutiveSummaryService({ db });
  registerReportsApi(app, { reports, executiveSummaries });
  registerReportPages(app, { reports, assessments: assessmentDeps.assessments, templates, executiveSummaries });
  registerPublishing(app, { db, notify, reports, baseUrl: deps.config.baseUrl });
  await registerReportTemplatesApi(app, { templates });
  await registerReportTemplatePages(app, { templates, organisations });
  // indicators
  await registerIndicatorsApi(app, { indicators });
  const groups = createComparatorGroupsService({ database: deps.database });
  await registerIndicatorPages(app, { indicators, groups, organisations });
  registerComparatorGroupsApi(app, { groups });
  registerComparatorGroupPages(app, { groups });
  registerSnapshotRoutes(app, { snapshots });
  // improvement plans
  const improvement = createImprovementService({ db, benchmarks: targetBenchmarks(indicators) });
  registerImprovementApi(app, { improvement, drafts: planDrafts });
  registerImprovementPages(app, { improvement, drafts: planDrafts });
  const progress = createProgressService({ db });
  registerProgressApi(app, { progress });
  registerProgressPages(app, { progress, audit });
  registerMonitoringRoutes(app, { monitoring: createMonitoringService({ db }) });
  await registerPlanOutputRoutes(app, { db, improvement });

  return app;
}
