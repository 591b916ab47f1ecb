/**
 * The kloe-assessment/1 format end to end: a populated assessment made through the services, exported,
 * imported into a second, empty installation (other ids for the same people, organisation and service)
 * and exported again; and every refusal of an import leaves nothing behind.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { AppError } from '../../errors.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { auditLog } from '../audit/audit.tables.js';
import { createFrameworksService } from '../frameworks/frameworks.service.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { exportAssessment } from './assessment-export.js';
import { ASSESSMENT_FORMAT, type AssessmentExport } from './assessment-export.schema.js';
import { importAssessment } from './assessment-import.js';
import { createAssessmentsService } from './assessments.service.js';
import { assessments, challenges, findings, kloeJudgements } from './assessments.tables.js';
import { createModerationService } from './moderation.service.js';
import { createWorkspaceService } from './workspace.service.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;
const ORG_CODE = 'E09000777';
const SERVICE = 'Housing repairs';

interface Installation {
  database: TestDatabase;
  org: string;
  service: string;
  admin: TestUser;
  lead: TestUser;
  member: TestUser;
}

/** An installation with the framework, the organisation and its service, and the same people by email. */
async function installation(driver: Parameters<typeof createTestDatabase>[0]): Promise<Installation> {
  const database = await createTestDatabase(driver);
  const db = database.db;
  await createFrameworksService({ db }).ensureBuiltins();
  const org = await createTestOrganisation(db, { code: ORG_CODE, name: 'Ashdown District Council' });
  const service = await createOrganisationsService({ db }).createService(SYSTEM, org.id, {
    name: SERVICE,
    description: null,
  });
  return {
    database,
    org: org.id,
    service: service.id,
    admin: await createTestUser(db, 'administrator', { email: 'ada@example.test', name: 'Ada Okafor' }),
    lead: await createTestUser(db, 'inspector', { email: 'lead@example.test', name: 'Leila Brandt' }),
    member: await createTestUser(db, 'inspector', { email: 'ian@example.test', name: 'Ian Fletcher' }),
  };
}

/** An inspection with findings, strengths, ratings and roll-ups, moderated with one resolved challenge. */
async function populatedAssessment(i: Installation): Promise<string> {
  const db = i.database.db;
  const service = createAssessmentsService({ db });
  const workspace = createWorkspaceService({ db });
  const moderation = createModerationService({ db });
  const lead = i.lead.actor;
  const created = await service.create(lead, {
    organisationId: i.org,
    serviceId: i.service,
    kind: 'inspection',
    title: 'Housing repairs inspection 2026',
    frameworkId: 'audit-commission-j2',
    scope: ['4', '6.1'],
    plannedStart: '2026-03-02',
    plannedEnd: '2026-03-20',
    memberUserIds: [i.member.actor.userId],
  });
  const id = created.id;
  const { version } = await service.moveStatus(lead, id, { version: created.version, status: 'fieldwork' });

  const kloeVersion = async (ref: string) => (await workspace.kloe(lead, id, ref)).kloe.judgement.version;
  await workspace.saveKloe(lead, id, '4.1', {
    version: await kloeVersion('4.1'),
    findings: [
      { statementRef: '4.1-P1', outcome: 'met', note: 'Repairs plan delivered on time' },
      { statementRef: '4.1-U1', outcome: 'partly_met', note: null },
    ],
    strengths: ['Clear plan', 'Tenants involved'],
    areasForImprovement: ['Slow complaints handling'],
    exceeded: false,
    finalRating: 'promising',
    rationale: 'Plan delivered, tenants involved',
  });
  await workspace.saveKloe(i.member.actor, id, '6.1', {
    version: await kloeVersion('6.1'),
    findings: [{ statementRef: '6.1-P1', outcome: 'not_met', note: 'No capacity plan' }],
    strengths: [],
    areasForImprovement: ['Write a capacity plan'],
    finalRating: 'uncertain',
    rationale: 'Capacity is thin',
  });
  const rollUpVersion = async (node: string) => {
    const o = await workspace.overview(lead, id);
    return [...o.keyQuestions, o.overall].find((n) => n.nodeRef === node)!.judgement.version;
  };
  await workspace.saveRollUp(lead, id, '4', {
    version: await rollUpVersion('4'),
    finalRating: 'promising',
    rationale: 'Track record is good',
  });
  await workspace.saveRollUp(lead, id, 'overall', {
    version: await rollUpVersion('overall'),
    finalRating: 'uncertain',
    rationale: 'On balance',
  });

  await service.moveStatus(lead, id, { version, status: 'moderation' });
  const challenge = await moderation.raise(i.member.actor, id, {
    targetRef: '4.1',
    comment: 'Evidence is thin for promising',
  });
  await moderation.resolve(lead, id, challenge.id, {
    outcome: 'changed',
    rating: 'uncertain',
    reason: 'Agreed on reflection',
  });
  await moderation
    .raise(i.member.actor, id, { targetRef: 'overall', comment: 'Still open' })
    .then((c) => moderation.resolve(lead, id, c.id, { outcome: 'accepted', reason: 'Kept' }));
  return id;
}

async function rowCounts(db: Database) {
  const n = async (
    table: typeof assessments | typeof findings | typeof kloeJudgements | typeof challenges | typeof auditLog,
  ) => (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    assessments: await n(assessments),
    findings: await n(findings),
    kloeJudgements: await n(kloeJudgements),
    challenges: await n(challenges),
    audit: await n(auditLog),
  };
}

/** The refusal an import makes, as { status, code, fields }. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      status: error.status,
      code: error.code,
      fields: error.problems.map((p) => p.field),
      message: error.message,
    };
  }
  throw new Error('the import was not refused');
}

const withoutExportedAt = ({ exportedAt: _e, ...rest }: AssessmentExport) => rest;

describeEachDatabase('assessment export and import', (driver) => {
  let source: Installation;
  let target: Installation;
  let id: string;
  let exported: AssessmentExport;

  beforeAll(async () => {
    source = await installation(driver);
    target = await installation(driver);
    id = await populatedAssessment(source);
    exported = await exportAssessment(source.database.db, source.admin.actor, id);
  });
  afterAll(async () => {
    await source?.database.close();
    await target?.database.close();
  });

  it('exports everything, people by email and the framework by version and content hash', async () => {
    expect(exported).toMatchObject({
      format: ASSESSMENT_FORMAT,
      assessment: {
        id,
        seriesId: id,
        revision: 1,
        kind: 'inspection',
        status: 'moderation',
        scope: ['4.1', '4.2', '4.3', '4.4', '6.1'],
        plannedStart: '2026-03-02',
        plannedEnd: '2026-03-20',
        createdByEmail: 'lead@example.test',
        publishedAt: null,
      },
      organisation: { code: ORG_CODE, id: source.org },
      service: { name: SERVICE, id: source.service },
      framework: { id: 'audit-commission-j2', version: 1 },
      team: [
        { email: 'lead@example.test', name: 'Leila Brandt', role: 'lead' },
        { email: 'ian@example.test', name: 'Ian Fletcher', role: 'member' },
      ],
    });
    expect(exported.framework.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(exported.findings.map((f) => [f.statementRef, f.outcome, f.updatedByEmail])).toEqual([
      ['4.1-P1', 'met', 'lead@example.test'],
      ['4.1-U1', 'partly_met', 'lead@example.test'],
      ['6.1-P1', 'not_met', 'ian@example.test'],
    ]);
    const j41 = exported.kloeJudgements.find((j) => j.kloeRef === '4.1')!;
    expect(j41).toMatchObject({
      strengths: ['Clear plan', 'Tenants involved'],
      areasForImprovement: ['Slow complaints handling'],
      finalRating: 'uncertain',
      rationale: 'Agreed on reflection',
    });
    expect(exported.kloeJudgements.map((j) => j.kloeRef)).toEqual(['4.1', '4.2', '4.3', '4.4', '6.1']);
    expect(exported.rollUps.map((r) => [r.nodeRef, r.finalRating])).toEqual([
      ['4', 'promising'],
      ['6', null],
      ['overall', 'uncertain'],
    ]);
    expect(exported.challenges).toEqual([
      expect.objectContaining({
        targetRef: '4.1',
        status: 'changed',
        raisedByEmail: 'ian@example.test',
        resolvedByEmail: 'lead@example.test',
        resolution: 'Agreed on reflection',
      }),
      expect.objectContaining({ targetRef: 'overall', status: 'accepted', resolvedByEmail: 'lead@example.test' }),
    ]);
  });

  it('hides an assessment from someone who may not see it', async () => {
    const outsider = await createTestUser(source.database.db, 'inspector');
    expect(await refusal(exportAssessment(source.database.db, outsider.actor, id))).toMatchObject({
      status: 404,
      code: 'assessment_not_found',
    });
  });

  it('round-trips into an empty installation: exporting again gives the same document', async () => {
    const db = target.database.db;
    const before = await rowCounts(db);
    // Through JSON, as a file would carry it.
    const outcome = await importAssessment(db, target.admin.actor, JSON.parse(JSON.stringify(exported)));
    expect(outcome).toMatchObject({ id, seriesId: id, revision: 1, counts: { team: 2, findings: 3, challenges: 2 } });
    const again = await exportAssessment(db, target.admin.actor, id);
    const expected = withoutExportedAt(exported);
    // Ids of the organisation and service are the target's own; everything else is identical.
    expect(withoutExportedAt(again)).toEqual({
      ...expected,
      organisation: { ...expected.organisation, id: target.org },
      service: { ...expected.service, id: target.service },
    });
    const after = await rowCounts(db);
    expect(after.assessments).toBe(before.assessments + 1);
    expect(after.audit).toBe(before.audit + 1);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.action, 'assessment.imported'));
    expect(entry).toMatchObject({ entityType: 'assessment', entityId: id, actorId: target.admin.actor.userId });
    // The imported assessment works like any other: its scorecard computes.
    const overview = await createWorkspaceService({ db }).overview(target.lead.actor, id);
    expect(overview.kloes.find((k) => k.leaf.kloe.ref === '4.1')).toMatchObject({ judged: 2, total: 2 });
  });

  it('imports a copy under new ids with asNew, even though the assessment exists', async () => {
    const db = target.database.db;
    const copy = await importAssessment(db, { kind: 'system', label: 'cli' }, exported, { asNew: true });
    expect(copy.id).not.toBe(id);
    expect(copy).toMatchObject({ seriesId: copy.id, revision: 1 });
    const again = await exportAssessment(db, target.admin.actor, copy.id);
    expect(again.findings).toEqual(exported.findings);
    expect(again.challenges).toEqual(exported.challenges);
  });

  it.each<[string, (doc: AssessmentExport) => unknown, number, string, string[]]>([
    ['an assessment id that exists', (doc) => doc, 409, 'assessment_exists', ['assessment.id']],
    [
      'an unknown organisation code',
      (doc) => ({ ...doc, organisation: { ...doc.organisation, code: 'E00000000' } }),
      400,
      'invalid_request',
      ['organisation.code'],
    ],
    [
      'an unknown service',
      (doc) => ({ ...doc, service: { ...doc.service, name: 'Parks' } }),
      400,
      'invalid_request',
      ['service.name'],
    ],
    [
      'a framework whose content differs',
      (doc) => ({ ...doc, framework: { ...doc.framework, contentHash: '0'.repeat(64) } }),
      400,
      'invalid_request',
      ['framework.contentHash'],
    ],
    [
      'a tampered statement ref',
      (doc) => ({ ...doc, findings: doc.findings.map((f, i) => (i === 1 ? { ...f, statementRef: '4.1-P9' } : f)) }),
      400,
      'invalid_request',
      ['findings.1.statementRef'],
    ],
    [
      'unknown people',
      (doc) => ({
        ...doc,
        team: doc.team.map((m) => (m.role === 'member' ? { ...m, email: 'nobody@example.test' } : m)),
      }),
      400,
      'invalid_request',
      ['team.1.email'],
    ],
    [
      'a document that is not the format',
      (doc) => ({ ...doc, format: 'kloe-assessment/9', assessment: { ...doc.assessment, status: 'done' } }),
      400,
      'invalid_request',
      ['format', 'assessment.status'],
    ],
  ])('refuses %s and saves nothing', async (_name, tamper, status, code, fields) => {
    const db = target.database.db;
    const before = await rowCounts(db);
    const doc = structuredClone(exported);
    const refused = await refusal(importAssessment(db, target.admin.actor, tamper(doc)));
    expect(refused).toMatchObject({ status, code });
    expect(refused.fields).toEqual(expect.arrayContaining(fields));
    expect(await rowCounts(db)).toEqual(before);
  });

  it('names the unknown person in the message', async () => {
    const doc = structuredClone(exported);
    doc.challenges[0]!.resolvedByEmail = 'Ghost@Example.test';
    const refused = await refusal(importAssessment(target.database.db, target.admin.actor, doc, { asNew: true }));
    expect(refused).toMatchObject({ status: 400, fields: ['challenges.0.resolvedByEmail'] });
    expect(refused.message).toContain('ghost@example.test');
  });

  it('lets only administrators import', async () => {
    const db = target.database.db;
    const before = await rowCounts(db);
    for (const who of [target.lead, await createTestUser(db, 'viewer')]) {
      expect(await refusal(importAssessment(db, who.actor, exported, { asNew: true }))).toMatchObject({
        status: 403,
        code: 'forbidden',
      });
    }
    expect(await rowCounts(db)).toEqual(before);
  });
});

describeEachDatabase('assessment export and import routes', (driver) => {
  const t = useTestApp(driver);
  let people: Installation;
  let id: string;

  beforeAll(async () => {
    const db = t.database.db;
    const org = await createTestOrganisation(db, { code: ORG_CODE });
    const service = await createOrganisationsService({ db }).createService(SYSTEM, org.id, {
      name: SERVICE,
      description: null,
    });
    people = {
      database: t.database,
      org: org.id,
      service: service.id,
      admin: await createTestUser(db, 'administrator'),
      lead: await createTestUser(db, 'inspector', { email: 'lead@example.test' }),
      member: await createTestUser(db, 'inspector', { email: 'ian@example.test' }),
    };
    id = await populatedAssessment(people);
  });

  it('downloads the document as a file, and imports it as new for an administrator only', async () => {
    const res = await t.app.inject({ url: `/api/assessments/${id}/export`, headers: people.lead.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="assessment-${id}.json"`);
    const doc = res.json();
    expect(doc).toMatchObject({ format: ASSESSMENT_FORMAT, assessment: { id } });

    const asLead = await t.app.inject({
      method: 'POST',
      url: '/api/assessments/import?asNew=true',
      headers: people.lead.headers,
      payload: doc,
    });
    expect(asLead.statusCode).toBe(403);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/assessments/import',
      headers: people.admin.headers,
      payload: doc,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'assessment_exists' });
    const copy = await t.app.inject({
      method: 'POST',
      url: '/api/assessments/import?asNew=true',
      headers: people.admin.headers,
      payload: doc,
    });
    expect(copy.statusCode).toBe(201);
    expect(copy.json().id).not.toBe(id);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/assessments/import',
      headers: people.admin.headers,
      payload: { ...doc, team: [{ ...doc.team[0], role: 'boss' }] },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].field).toMatch(/team\.0\.role/);
  });

  it('documents both routes in the OpenAPI description', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining(['/api/assessments/{id}/export', '/api/assessments/import']),
    );
  });

  it('does not export an assessment the caller may not see', async () => {
    const outsider = await createTestUser(t.database.db, 'inspector');
    const res = await t.app.inject({ url: `/api/assessments/${id}/export`, headers: outsider.headers });
    expect(res.statusCode).toBe(404);
  });
});
