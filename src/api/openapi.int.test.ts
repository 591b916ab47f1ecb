/**
 * The served OpenAPI document: Redocly CLI's recommended rules pass with no error and no warning (the test runs
 * the CLI on `/api/openapi.json` as a user would: `npx redocly lint openapi.json`), every operation has a
 * stable operationId, and what the document completes for every route is there.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app.js';
import { OPERATION_IDS } from './index.js';

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const config = path.resolve(import.meta.dirname, '../../redocly.yaml');
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}
type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, unknown>; $ref?: string }>;
  parameters?: { $ref?: string }[];
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  servers: { url: string }[];
  info: { license: object };
};

/** Every operation of the document as "METHOD /path". */
function operations(doc: Document): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    METHODS.filter((m) => item[m]).map((m) => [`${m.toUpperCase()} ${p}`, item[m]!] as [string, Operation]),
  );
}

describe('the OpenAPI document', () => {
  const baseUrl = 'https://kloe.inspectorate.test';
  const t = useTestApp('pglite', { baseUrl });
  let text: string;
  let doc: Document;
  beforeAll(async () => {
    text = (await t.app.inject({ url: '/api/openapi.json' })).body;
    doc = JSON.parse(text) as Document;
  });

  it('passes Redocly’s recommended rules with no error and no warning', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kloe-openapi-'));
    const file = path.join(folder, 'openapi.json');
    await fs.writeFile(file, text);
    const result = await run(process.execPath, [cli, 'lint', file, `--config=${config}`, '--format=json'], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout: string }) => error);
    await fs.rm(folder, { recursive: true });
    const { problems } = JSON.parse(result.stdout) as { problems: LintProblem[] };
    const lines = problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(lines).toEqual([]);
  });

  it('gives every operation a unique operationId from the table, a summary and a tag', () => {
    const all = operations(doc);
    expect(all.length).toBeGreaterThan(80);
    expect(all.filter(([, op]) => !op.operationId).map(([key]) => key)).toEqual([]);
    expect(all.filter(([, op]) => !op.summary || !op.tags?.length).map(([key]) => key)).toEqual([]);
    const ids = all.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // The table names no route that has gone: a stale entry would hide a renamed route's missing id.
    const keys = new Set(all.map(([key]) => key));
    expect(Object.keys(OPERATION_IDS).filter((key) => !keys.has(key))).toEqual([]);
    expect(doc.paths['/api/assessments/{id}/evidence/{itemId}/links']!.post!.operationId).toBe('createEvidenceLink');
  });

  it('names this kloe’s address and the licence', () => {
    expect(doc.servers).toEqual([{ url: baseUrl, description: expect.any(String) }]);
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
  });

  it('describes every error as problem+json, and what each kind of route can answer', () => {
    for (const [key, op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status) || response.$ref) continue;
        expect(Object.keys(response.content ?? {}), `${key} ${status}`).toEqual(['application/problem+json']);
      }
    }
    const create = doc.paths['/api/assessments']!.post!;
    expect(Object.keys(create.responses)).toEqual(['201', '400', '401', '403', '404', '409', '422', '429']);
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    const save = doc.paths['/api/assessments/{id}/kloes/{ref}']!.put!;
    expect(Object.keys(save.responses)).toContain('412');
    expect(save.parameters).toContainEqual({ $ref: '#/components/parameters/IfMatch' });
    // A public read: no 401 or 403.
    expect(Object.keys(doc.paths['/api/schemas/kloe-framework.schema.json']!.get!.responses)).toEqual(['200', '429']);
  });
});
