import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { DEMO_SELF_ASSESSMENT } from '../assessments/assessments.demo.js';
import { demoParts } from '../../demo-parts.js';
import { createDemoService } from '../demo/demo.service.js';
import { createFrameworksService } from '../frameworks/frameworks.service.js';
import { createFileSystemStorage } from './evidence-storage.js';
import { createEvidenceService } from './evidence.service.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('evidence demo part', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await createFrameworksService({ db: database.db }).ensureBuiltins();
  });
  afterAll(async () => database?.close());

  it('adds searchable, linked evidence to the demo self-assessment, once', async () => {
    const demo = createDemoService({ db: database.db, parts: demoParts, production: false });
    expect((await demo.load()).evidence).toBe('3 evidence items in the self-assessment');
    expect((await demo.load()).evidence).toBe('none (already there)');

    const { db } = database;
    const { rows } = await createAssessmentsService({ db }).list(SYSTEM, { limit: 10, offset: 0 });
    const self = rows.find((r) => r.assessment.title === DEMO_SELF_ASSESSMENT)!.assessment;
    const evidence = createEvidenceService({
      db,
      storage: createFileSystemStorage('/nonexistent/no-files-needed'),
      limits: { maxBytes: 1024, types: ['txt'] },
    });
    const { hits } = await evidence.search(SYSTEM, { q: 'damp', limit: 5 }, self.id);
    expect(hits.map((h) => h.title)).toEqual(['Tenant focus group, Ashdown estate']);
    const coverage = await evidence.coverage(SYSTEM, self.id);
    const covered = coverage.kloes.flatMap((k) => k.statements.filter((s) => s.items > 0).map((s) => s.ref));
    expect(covered).toEqual(['4.1-P1', '4.3-P1', '5.1.2-P1']);
  });
});
