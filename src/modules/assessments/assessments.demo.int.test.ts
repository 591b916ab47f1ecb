import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../../db/testing/test-database.js';
import { demoParts } from '../../demo-parts.js';
import { createDemoService } from '../demo/demo.service.js';
import { createFrameworksService } from '../frameworks/frameworks.service.js';
import { createIndicatorsService } from '../indicators/indicators.service.js';
import { indicatorSnapshots } from '../indicators/indicators.tables.js';
import { createSnapshotsService } from '../indicators/snapshots.service.js';
import { createTestUser } from '../../testing/test-users.js';
import { DEMO_INSPECTION, DEMO_SELF_ASSESSMENT } from './assessments.demo.js';
import { createAssessmentsService } from './assessments.service.js';
import { createModerationService } from './moderation.service.js';
import { createWorkspaceService } from './workspace.service.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('assessments demo part', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await createFrameworksService({ db: database.db }).ensureBuiltins();
  });
  afterAll(async () => database?.close());

  it('fills every screen: a half-done self-assessment, a published inspection and one in moderation, added once', async () => {
    const demo = createDemoService({ db: database.db, parts: demoParts, production: false });
    expect((await demo.load()).assessments).toBe(
      'a self-assessment, a published inspection, an inspection in moderation',
    );
    expect((await demo.load()).assessments).toBe('none (already there)');

    const { db } = database;
    const { rows } = await createAssessmentsService({ db }).list(SYSTEM, { limit: 10, offset: 0 });
    const byTitle = new Map(rows.map((r) => [r.assessment.title, r.assessment]));
    const self = byTitle.get(DEMO_SELF_ASSESSMENT)!;
    const inspection = byTitle.get(DEMO_INSPECTION)!;
    expect(self).toMatchObject({ kind: 'self_assessment', status: 'fieldwork' });
    expect(inspection).toMatchObject({ kind: 'inspection', status: 'moderation', sharedWithOrganisation: true });

    const workspace = createWorkspaceService({ db });
    const half = await workspace.overview(SYSTEM, self.id);
    const judged = half.kloes.filter((k) => k.judged === k.total).map((k) => k.leaf.kloe.ref);
    expect(judged).toEqual(['4.1', '4.2', '4.3', '4.4', '5.1.1', '5.1.2', '5.1.3']);
    expect(half.kloes.filter((k) => k.judgement.finalRating).length).toBeGreaterThanOrEqual(3);
    expect(half.kloes.some((k) => k.judgement.rationale)).toBe(true);

    const full = await workspace.overview(SYSTEM, inspection.id);
    expect(full.unjudged).toEqual([]);
    expect(full.kloes.every((k) => k.judgement.finalRating)).toBe(true);
    const challenges = await createModerationService({ db }).list(SYSTEM, inspection.id);
    expect(challenges.map((c) => [c.challenge.targetRef, c.challenge.status])).toEqual([['4.3', 'open']]);

    // Ashdown's analysis is frozen into both (and into the published inspection before them), so 4.3's
    // workspace shows figures and the report charts a few.
    const snapshots = await db.select().from(indicatorSnapshots);
    expect(snapshots).toHaveLength(3);
    expect(snapshots.map((s) => s.assessmentId)).toEqual(expect.arrayContaining([self.id, inspection.id]));
    for (const s of snapshots) expect(s.reportIndicators.length).toBeGreaterThan(0);
    const indicators = createIndicatorsService({ database });
    const lead = await createTestUser(db, 'administrator');
    const figures = await createSnapshotsService({ db, indicators }).forKloe(lead.actor, inspection.id, '4.3');
    expect(figures?.snapshot).toBeDefined();
    expect(figures?.indicators?.length).toBeGreaterThan(0);
  });
});
