import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createFrameworksService } from '../frameworks/frameworks.service.js';
import { tinyFramework } from '../frameworks/testing/tiny-framework.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

describeEachDatabase('judgement rules that live with the framework', (driver) => {
  const t = useTestApp(driver);
  let inspector: TestUser;
  let organisationId: string;
  let serviceId: string;

  beforeAll(async () => {
    const { db } = t.database;
    const frameworks = createFrameworksService({ db });
    await frameworks.importDocument(tinyFramework(), 'test');
    // The same framework with a lenient best-fit rule: "good" when half its statements are met.
    await frameworks.importDocument(
      { ...tinyFramework(), id: 'tiny-lenient', judgementRules: { kloe: { promisingThreshold: 0.5 } } },
      'test',
    );
    organisationId = (await createTestOrganisation(db)).id;
    serviceId = (await createOrganisationsService({ db }).createService(SYSTEM, organisationId, { name: 'Waste' })).id;
    inspector = await createTestUser(db, 'inspector');
  });

  async function suggestionUnder(frameworkId: string) {
    const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: inspector.headers, ...(payload ? { payload } : {}) });
    const created = await api('POST', '/api/assessments', {
      organisationId,
      serviceId,
      kind: 'inspection',
      title: `Under ${frameworkId}`,
      frameworkId,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const { version } = (await api('GET', `/api/assessments/${id}/kloes/1.1`)).json();
    const saved = await api('PUT', `/api/assessments/${id}/kloes/1.1`, {
      version,
      findings: [
        { statementRef: '1.1-G1', outcome: 'met' },
        { statementRef: '1.1-G2', outcome: 'not_met' },
        { statementRef: '1.1-W1', outcome: 'met' },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    return saved.json().suggestedRating as { rating: string; reasons: string[] };
  }

  it('suggests by the rule of the framework the assessment is pinned to', async () => {
    const strict = await suggestionUnder('tiny');
    const lenient = await suggestionUnder('tiny-lenient');
    expect(strict.rating).toBe('weak'); // 1 of 2 good statements met: 0.5, below the default 0.75
    expect(lenient.rating).toBe('good'); // the same findings reach this framework's 0.5
    expect(lenient.reasons.join(' ')).toContain('0.5');
  });
});
