import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { builtinFrameworksFolder } from '../../paths.js';
import { useTestApp } from '../../testing/test-app.js';
import type { FrameworkDocument } from './framework.model.js';
import { leafKloes } from './framework.tree.js';
import { createFrameworksService } from './frameworks.service.js';

const builtin: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(builtinFrameworksFolder, 'audit-commission-j2.json'), 'utf8'),
);
const ID = builtin.id;

function allStatements(doc: FrameworkDocument) {
  return leafKloes(doc).flatMap(({ kloe }) => kloe.descriptors.flatMap((d) => d.statements));
}

/** The built-in document with one statement reworded: a "changed framework". */
function reworded(doc: FrameworkDocument): FrameworkDocument {
  const copy = structuredClone(doc);
  const first = copy.keyQuestions[0]!.children[0]!;
  if (first.kind !== 'kloe') throw new Error('fixture expects 4.1 first');
  first.descriptors[0]!.statements[0]!.text += ' (revised)';
  return copy;
}

describeEachDatabase('framework catalogue', (driver) => {
  const t = useTestApp(driver);

  it('lists the built-in framework', async () => {
    const res = await t.app.inject({ url: '/api/frameworks' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.frameworks).toHaveLength(1);
    expect(body.frameworks[0]).toMatchObject({
      id: ID,
      latestVersion: 1,
      versionCount: 1,
      publisher: 'Audit Commission',
    });
  });

  it('serves the whole catalogue exactly as checked in, with its counts', async () => {
    const res = await t.app.inject({ url: `/api/frameworks/${ID}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.document).toEqual(builtin);
    expect(body.counts).toEqual({
      keyQuestions: 3,
      groups: 2,
      kloes: 15,
      statements: { promising: 52, uncertain: 51 },
      subItems: 6,
    });
    expect(body.version).toBe(1);
    expect(body.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lays every statement and sub-item out relationally, each once', async () => {
    const { rows } = (await t.database.db.execute<{ ref: string; n: number }>(
      // raw SQL on purpose: checks the table itself, not the repository
      `select ref, count(*)::int as n from framework_statements group by ref`,
    )) as unknown as { rows: { ref: string; n: number }[] };
    expect(rows).toHaveLength(52 + 51 + 6);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(rows.map((r) => r.ref)).toContain('5.2.4-P4.6');
  });

  it('answers unknown ids and versions with 404 problem+json, and a bad version with 400 naming the field', async () => {
    const unknown = await t.app.inject({ url: '/api/frameworks/no-such-framework' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({ status: 404, code: 'framework_not_found' });

    const noVersion = await t.app.inject({ url: `/api/frameworks/${ID}?version=99` });
    expect(noVersion.statusCode).toBe(404);
    expect(noVersion.json().code).toBe('framework_version_not_found');

    const badVersion = await t.app.inject({ url: `/api/frameworks/${ID}?version=abc` });
    expect(badVersion.statusCode).toBe(400);
    expect(badVersion.json().errors[0].field).toBe('querystring.version');

    const noRoute = await t.app.inject({ url: '/api/nothing-here' });
    expect(noRoute.statusCode).toBe(404);
    expect(noRoute.json().code).toBe('route_not_found');
  });

  it('recognises an identical re-import, and makes a new version of a changed one without touching the old', async () => {
    const frameworks = createFrameworksService({ db: t.database.db });
    const again = await frameworks.importDocument(builtin, 'again.json');
    expect(again).toMatchObject({ status: 'unchanged', version: 1 });

    const changed = await frameworks.importDocument(reworded(builtin), 'changed.json');
    expect(changed).toMatchObject({ status: 'created', version: 2 });

    const v1 = await t.app.inject({ url: `/api/frameworks/${ID}?version=1` });
    expect(v1.json().document).toEqual(builtin);
    const latest = await t.app.inject({ url: `/api/frameworks/${ID}` });
    expect(latest.json().version).toBe(2);
    expect(allStatements(latest.json().document)[0]?.text).toMatch(/\(revised\)$/);

    const versions = await t.app.inject({ url: `/api/frameworks/${ID}/versions` });
    expect(versions.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it('refuses an invalid document and writes nothing', async () => {
    const frameworks = createFrameworksService({ db: t.database.db });
    const before = await frameworks.listVersions(ID);
    const broken = structuredClone(builtin) as unknown as { keyQuestions: { ref: string }[] };
    broken.keyQuestions[1]!.ref = '4'; // duplicate key question
    await expect(frameworks.importDocument(broken, 'broken.json')).rejects.toMatchObject({
      code: 'invalid_framework_file',
      status: 422,
    });
    await expect(frameworks.importDocument({ format: 'something-else' }, 'x.json')).rejects.toMatchObject({
      code: 'invalid_framework_file',
    });
    expect(await frameworks.listVersions(ID)).toEqual(before);
  });

  it('gives concurrent imports of the same new version one version number', async () => {
    const frameworks = createFrameworksService({ db: t.database.db });
    const doc = reworded(reworded(builtin));
    const outcomes = await Promise.all([1, 2, 3].map(() => frameworks.importDocument(doc, 'race.json')));
    expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.version)).size).toBe(1);
  });

  it('reports the database in /health', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { driver, status: 'ok' } });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('publishes OpenAPI 3.1 and its documentation page', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/frameworks', '/api/frameworks/{id}', '/api/frameworks/{id}/versions', '/health']),
    );
    expect(Object.keys(spec.paths).some((p) => !p.startsWith('/api/') && p !== '/health')).toBe(false);
    const docs = await t.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });
});
