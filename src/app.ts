/**
 * buildApp(deps): the composition root. Everything the app uses arrives as a dependency, so tests
 * build it in-process around a throwaway database and drive it with app.inject.
 */
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
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
import { registerAssessmentVisibilityCheck } from './modules/assessments/assessments.hooks.js';
import { createAssessmentsService } from './modules/assessments/assessments.service.js';
import { createModerationService } from './modules/assessments/moderation.service.js';
import { createWorkspaceService } from './modules/assessments/workspace.service.js';
import { registerWorkspacePages } from './modules/assessments/workspace.pages.js';
// reports
import { registerRecommendationsApi } from './modules/assessments/recommendations.api.js';
import { registerRecommendationPages } from './modules/assessments/recommendations.pages.js';
import { createRecommendationsService } from './modules/assessments/recommendations.service.js';
import { createSlots } from './concurrency/slots.js';
import { createPdfPrinter, DEFAULT_CHROMIUM } from './modules/reports/report-pdf.js';
import { createTemplateRenderer } from './modules/reports/template-renderer.js';
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
import { createFileSystemStorage, type EvidenceStorage } from './modules/evidence/evidence-storage.js';
import { reportSources } from './report-sources.js';
import { createEvidenceService } from './modules/evidence/evidence.service.js';
import { copyEvidence } from './modules/evidence/evidence.repository.js';
import { registerEvidencePages } from './modules/evidence/evidence.pages.js';
import { createEvidenceRequestsService } from './modules/evidence/evidence-requests.service.js';
import { registerEvidenceRequestRoutes } from './modules/evidence/evidence-requests.routes.js';
import { registerHealthRoutes } from './modules/health/health.api.js';
import { registerFrameworkApi } from './modules/frameworks/frameworks.api.js';
import { registerFrameworkPages } from './modules/frameworks/frameworks.pages.js';
import { createFrameworksService } from './modules/frameworks/frameworks.service.js';
import { registerHomePage } from './modules/home/home.pages.js';
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
import { registerComparatorGroupsApi } from './modules/indicators/comparator-groups.api.js';
import { registerComparatorGroupPages } from './modules/indicators/comparator-groups.pages.js';
import { createComparatorGroupsService } from './modules/indicators/comparator-groups.service.js';
import { registerIndicatorsApi } from './modules/indicators/indicators.api.js';
import { registerIndicatorPages } from './modules/indicators/indicators.pages.js';
import { createIndicatorsService } from './modules/indicators/indicators.service.js';
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
    | 'trustProxy'
    | 'oidc'
    | 'evidence'
    | 'reports'
  > &
    Partial<Pick<Config, 'watchTemplates'>>;
  database: DatabaseHandle;
  /** Where evidence files are kept; by default the folder config.evidence.dir. */
  evidenceStorage?: EvidenceStorage;
  /** Fastify logger options; false silences it (tests). */
  logger?: FastifyServerOptions['logger'];
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
  await registerSecurity(app, { secret, https, formActionOrigins: ssoDiscovery?.formActionOrigins });

  // Before any route, so that every route (the OpenAPI document's too) answers errors the same way.
  // Fast unless asked otherwise: only KLOE_WATCH_TEMPLATES re-reads templates and turns the page memo off.
  const watchTemplates = deps.config.watchTemplates ?? false;
  const views = createViewEnvironment({ watch: watchTemplates });
  registerRendering(app, views, { memo: !watchTemplates });
  registerErrorHandlers(app);
  registerDrain(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'kloe API',
        version: '1',
        description:
          'Frameworks of Key Lines of Enquiry, assessments and their evidence. Errors are application/problem+json (RFC 9457) with a stable `code`.',
      },
      tags: [
        { name: 'frameworks', description: 'KLOE frameworks and their versions' },
        { name: 'account', description: 'The caller and their API tokens' },
        { name: 'people', description: 'People who can sign in (administrators)' },
        { name: 'organisations', description: 'Organisations and their services' },
        { name: 'assessments', description: 'Inspections and self-assessments: findings, ratings, moderation' },
        { name: 'evidence', description: 'Evidence items, their files, search and links to statements' },
        { name: 'report templates', description: 'Custom DOCX templates the reports can be filled into' },
        { name: 'indicators', description: 'Performance indicators: values, benchmarking, direction of travel' },
        { name: 'improvement plans', description: 'Improvement plans of services: aims, actions, quality flags' },
        { name: 'audit', description: 'The audit trail and its hash chain (administrators)' },
        { name: 'service' },
      ],
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'An API token from “Your account”' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'kloe.session_token',
            description: 'The session of a person signed in to kloe’s pages (`__Secure-kloe.session_token` over https)',
          },
          csrfToken: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description:
              'Required with the session cookie on POST, PUT, PATCH and DELETE, else 403 `invalid_csrf_token`: the `csrf-token` meta tag of any kloe page loaded in the same session. Not needed with an API token.',
          },
        },
      },
      security: [{ apiToken: [] }, { sessionCookie: [], csrfToken: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  await app.register(fastifyStatic, { root: publicFolder, prefix: '/assets/', decorateReply: false, index: false });

  const frameworks = createFrameworksService({ db });
  const evidenceStorage = deps.evidenceStorage ?? createFileSystemStorage(deps.config.evidence.dir);
  registerHealthRoutes(app, {
    database: deps.database,
    checkDatabaseWrites: () => checkDatabaseWrites(db),
    evidenceStorage,
  });
  registerHomePage(app, { frameworks });
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

  const assessmentDeps = {
    assessments: createAssessmentsService({ db, revisionCopiers: [copyEvidence] }),
    workspace: createWorkspaceService({ db }),
    moderation: createModerationService({ db }),
  };
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
    log: (message, error) => app.log.error({ err: loggableError(error) }, message),
  });
  await registerEvidenceApi(app, { evidence, maxBytes: deps.config.evidence.maxBytes });
  await registerEvidencePages(app, {
    evidence,
    assessments: assessmentDeps.assessments,
    maxBytes: deps.config.evidence.maxBytes,
    types: deps.config.evidence.types,
  });
  await registerEvidenceRequestRoutes(app, {
    requests: createEvidenceRequestsService({ db, evidence, limits: deps.config.evidence }),
    assessments: assessmentDeps.assessments,
    maxBytes: deps.config.evidence.maxBytes,
  });
  app.addHook('onReady', () => evidence.resumePending());
  // Pending files are extracted at the next start: stopping does not wait for them.
  app.addHook('onClose', async () => evidence.stopExtraction());

  registerAssessmentsApi(app, assessmentDeps);
  registerAssessmentPages(app, {
    ...assessmentDeps,
    audit,
    organisations,
    accounts,
    frameworks,
    comparison: createComparisonService({ db }),
  });
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
    kloeTrackRecord: trackRecord.forKloe,
  });
  registerAssessmentExportApi(app, { db, storage: evidenceStorage });

  // reports
  const recommendations = createRecommendationsService({ db });
  registerRecommendationsApi(app, { recommendations });
  const planDrafts = createPlanDraftsService({ db });
  registerRecommendationPages(app, { recommendations, assessments: assessmentDeps.assessments, plans: planDrafts });
  const printer = createPdfPrinter({
    chromiumPath: process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM,
    queueSize: deps.config.reports.pdfQueueSize,
  });
  const renderer = createTemplateRenderer();
  app.addHook('onClose', () => printer.close());
  app.addHook('onClose', () => renderer.idle());
  const reports = createReportsService({ db, views, sources: reportSources(db), printer, renderer });
  const templates = createReportTemplatesService({ db, renderer });
  registerReportsApi(app, { reports });
  registerReportPages(app, { reports, assessments: assessmentDeps.assessments, templates });
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
  const improvement = createImprovementService({ db });
  registerImprovementApi(app, { improvement, drafts: planDrafts });
  registerImprovementPages(app, { improvement, drafts: planDrafts });
  const progress = createProgressService({ db });
  registerProgressApi(app, { progress });
  registerProgressPages(app, { progress, audit });
  registerMonitoringRoutes(app, { monitoring: createMonitoringService({ db }) });
  registerPlanOutputRoutes(app, { db, improvement });

  return app;
}
