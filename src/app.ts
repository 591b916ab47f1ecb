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
import { registerAccessControl } from './modules/accounts/index.js';
import { registerAccountPages } from './modules/accounts/index.js';
import { registerAccountsApi } from './modules/accounts/index.js';
import { createAccountsService } from './modules/accounts/index.js';
import { createApiTokensService } from './modules/accounts/index.js';
import { createFirstRunService } from './modules/accounts/index.js';
import { registerSetupPages } from './modules/accounts/index.js';
import { registerPeoplePages } from './modules/accounts/index.js';
import { registerSignInPages } from './modules/accounts/index.js';
import { createSignInService } from './modules/accounts/index.js';
import { registerSsoBackChannelLogout, registerSsoPages } from './modules/accounts/index.js';
import { createSsoDiscovery } from './modules/accounts/index.js';
import { createSsoLinksService } from './modules/accounts/index.js';
import { createSsoService } from './modules/accounts/index.js';
import { createAuth } from './modules/accounts/index.js';
import { registerAuthentication } from './modules/accounts/index.js';
import { registerAssessmentExportApi } from './modules/assessments/index.js';
import { registerAssessmentsApi } from './modules/assessments/index.js';
import { registerAssessmentPages } from './modules/assessments/index.js';
import { createComparisonService } from './modules/assessments/index.js';
import { registerComparisonApi } from './modules/assessments/index.js';
import { registerComparisonPages } from './modules/assessments/index.js';
import { registerAssessmentVisibilityCheck } from './modules/assessments/index.js';
import { createAssessmentsService } from './modules/assessments/index.js';
import { createModerationService } from './modules/assessments/index.js';
import { createWorkspaceService } from './modules/assessments/index.js';
import { registerModerationPages, registerWorkspacePages } from './modules/assessments/index.js';
import { registerConfirmPages } from './modules/assessments/index.js';
// reports
import { registerRecommendationsApi } from './modules/assessments/index.js';
import { registerRecommendationPages } from './modules/assessments/index.js';
import { createRecommendationsService } from './modules/assessments/index.js';
import { createSlots } from './concurrency/slots.js';
import { createPdfPrinter } from './modules/reports/index.js';
import { createTemplateRenderer } from './modules/reports/index.js';
import { createExecutiveSummaryService } from './modules/reports/index.js';
import { registerReportsApi } from './modules/reports/index.js';
import { registerReportPages } from './modules/reports/index.js';
import { registerReportTemplatesApi } from './modules/reports/index.js';
import { registerReportTemplatePages } from './modules/reports/index.js';
import { createReportTemplatesService } from './modules/reports/index.js';
import { createReportsService } from './modules/reports/index.js';
import { registerPublishedReportJob, renderWhenPublished } from './modules/reports/index.js';
import type { ReportSource } from './modules/reports/index.js';
import { createBrandingService, registerBrandingApi, registerBrandingPages } from './modules/reports/index.js';
import { registerAuditApi } from './modules/audit/index.js';
import { registerAuditPages } from './modules/audit/index.js';
import { createAuditService } from './modules/audit/index.js';
import { registerEvidenceApi } from './modules/evidence/index.js';
import { createEvidenceStorage, type EvidenceStorage } from './modules/evidence/index.js';
import { reportSources } from './report-sources.js';
import { createEvidenceService } from './modules/evidence/index.js';
import { copyEvidence } from './modules/evidence/index.js';
import { registerEvidencePages } from './modules/evidence/index.js';
import { createPhotosService } from './modules/evidence/index.js';
import { registerPhotoRoutes } from './modules/evidence/index.js';
import { createEvidenceRequestsService, OVERDUE_REQUESTS_JOB } from './modules/evidence/index.js';
import { registerEvidenceRequestRoutes } from './modules/evidence/index.js';
import { registerHealthRoutes } from './modules/health/index.js';
import { createJobQueue, type JobQueueOptions } from './modules/jobs/index.js';
import { registerWebhooks, type WebhookTimings } from './modules/webhooks/index.js';
import { registerFrameworkApi } from './modules/frameworks/index.js';
import { registerFrameworkPages } from './modules/frameworks/index.js';
import { createFrameworksService } from './modules/frameworks/index.js';
import { registerHomePage } from './modules/home/index.js';
import { notifyOverdueRequests, registerNotifications } from './modules/notifications/index.js';
import { registerComments } from './modules/comments/index.js';
import { registerMyWork } from './modules/work/index.js';
import { accuracyPublishCheck, registerPublishing } from './modules/publishing/index.js';
import { createKloeReviewService } from './modules/assessments/index.js';
import { registerKloeReviewApi } from './modules/assessments/index.js';
import { registerKloeReviewPages } from './modules/assessments/index.js';
import { registerImprovementApi } from './modules/improvement/index.js';
import { registerImprovementPages } from './modules/improvement/index.js';
import { createImprovementService } from './modules/improvement/index.js';
import { createPlanDraftsService } from './modules/improvement/index.js';
import { registerMonitoringRoutes } from './modules/improvement/index.js';
import { createMonitoringService } from './modules/improvement/index.js';
import { registerPlanOutputRoutes } from './modules/improvement/index.js';
import { registerProgressApi } from './modules/improvement/index.js';
import { registerProgressPages } from './modules/improvement/index.js';
import { registerTrackRecordApi } from './modules/improvement/index.js';
import { registerTrackRecordPages } from './modules/improvement/index.js';
import { createTrackRecordService } from './modules/improvement/index.js';
import { createProgressService } from './modules/improvement/index.js';
import { targetBenchmarks } from './modules/improvement/index.js';
import { registerComparatorGroupsApi } from './modules/indicators/index.js';
import { registerComparatorGroupPages } from './modules/indicators/index.js';
import { createComparatorGroupsService } from './modules/indicators/index.js';
import { registerIndicatorsApi } from './modules/indicators/index.js';
import { registerIndicatorPages } from './modules/indicators/index.js';
import { createIndicatorsService } from './modules/indicators/index.js';
import { registerRecomputeJob, requestIfBehind } from './modules/indicators/index.js';
import { registerSnapshotPages } from './modules/indicators/index.js';
import { createSnapshotsService } from './modules/indicators/index.js';
import { registerOrganisationsApi } from './modules/organisations/index.js';
import { registerOrganisationPages } from './modules/organisations/index.js';
import { createOrganisationsService } from './modules/organisations/index.js';
import { resolveSecret } from './modules/system/index.js';
import { checkDatabaseWrites } from './modules/system/index.js';
import { publicFolder } from './paths.js';
import { registerDrain } from './web/drain.js';
import { trackRequestsInFlight } from './web/requests-in-flight.js';
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
    Partial<Pick<Config, 'watchTemplates' | 'smtp' | 'jobs' | 'testExtractionGate'>>;
  database: DatabaseHandle;
  /** Where evidence files are kept; by default the folder config.evidence.dir. */
  evidenceStorage?: EvidenceStorage;
  /** Fastify logger options; false silences it (tests). */
  logger?: FastifyServerOptions['logger'];
  /** How often the job queue looks for work and for lost jobs (tests poll sooner); pg-boss's defaults otherwise. */
  jobTimings?: Pick<JobQueueOptions, 'pollingSeconds' | 'superviseSeconds'>;
  /**
   * Whether publishing an assessment adds the job that renders its DOCX and PDF (default true). Tests that
   * publish without looking at reports leave it off, so no chromium starts behind them.
   */
  renderPublishedReports?: boolean;
  /** Webhook retries and how often events are looked for (tests go faster); see webhooks.service.ts. */
  webhookTimings?: WebhookTimings & { dispatchEverySeconds?: number };
  /** What reports are given besides the assessment (bench/report.mjs gives synthetic charts); reportSources(db) otherwise. */
  reportSources?: ReportSource[];
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
  // Long work on the event loop (an indicator import on PGlite) gives way to the requests being answered.
  const requestsInFlight = trackRequestsInFlight(app);

  // Before any route: from here on every route must declare config.access (see access.hooks.ts).
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
  // Background work shared by every node on the database; handlers are registered below, taking jobs
  // starts once the app is ready.
  const logError = (message: string, error: unknown) => app.log.error({ err: loggableError(error) }, message);
  const jobs = createJobQueue({
    database: deps.database,
    log: logError,
    ...deps.jobTimings,
    ...(deps.config.jobs ? { heartbeatSeconds: deps.config.jobs.heartbeatSeconds } : {}),
  });
  const assessmentDeps = {
    assessments: createAssessmentsService({
      db,
      revisionCopiers: [copyEvidence],
      publishChecks: [accuracyPublishCheck],
      // The published report's DOCX and PDF are rendered by a job added as the publishing commits.
      onPublished: deps.renderPublishedReports === false ? [] : [renderWhenPublished(jobs)],
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
  const evidence = createEvidenceService({
    db,
    storage: evidenceStorage,
    limits: deps.config.evidence,
    log: logError,
    jobs,
    testExtractionGate: deps.config.testExtractionGate,
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
  // A request that passes its date unanswered becomes overdue (the webhook event), and its requester and lead
  // are told: looked for every 15 minutes by one node.
  jobs.handle(OVERDUE_REQUESTS_JOB, async () => {
    await requests.markOverdue();
    await notifyOverdueRequests(db, notify);
  });
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
      return;
    }
    // Results a crash (or a change of trend window) left behind their values are brought up to date.
    await requestIfBehind(db, recomputes).catch((error: unknown) => logError('Results behind not looked for', error));
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
  // Recomputes after imports and at start run as jobs: once, on whichever node takes them.
  const recomputes = registerRecomputeJob({ jobs, database: deps.database, log: logError, requests: requestsInFlight });
  const indicators = createIndicatorsService({ database: deps.database, recomputes, requests: requestsInFlight });
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
  registerModerationPages(app, assessmentDeps);
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
    sources: deps.reportSources ?? reportSources(db),
    printer,
    renderer,
    baseUrl: deps.config.baseUrl,
  });
  registerPublishedReportJob({ jobs, reports });
  const templates = createReportTemplatesService({ db, renderer });
  const executiveSummaries = createExecutiveSummaryService({ db });
  registerReportsApi(app, { reports, executiveSummaries });
  registerReportPages(app, { reports, assessments: assessmentDeps.assessments, templates, executiveSummaries });
  registerPublishing(app, { db, notify, reports, baseUrl: deps.config.baseUrl });
  await registerReportTemplatesApi(app, { templates });
  await registerReportTemplatePages(app, { templates, organisations });
  const branding = createBrandingService({ db });
  await registerBrandingApi(app, { branding });
  await registerBrandingPages(app, { branding });
  // indicators
  await registerIndicatorsApi(app, { indicators });
  const groups = createComparatorGroupsService({ database: deps.database });
  await registerIndicatorPages(app, { indicators, groups, organisations });
  registerComparatorGroupsApi(app, { groups });
  registerComparatorGroupPages(app, { groups });
  registerSnapshotPages(app, { snapshots });
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
