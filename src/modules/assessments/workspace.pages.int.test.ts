import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { submitForm } from '../../testing/forms.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createOrganisationsService } from '../organisations/organisations.service.js';
import { createTestOrganisation } from '../organisations/testing/test-organisations.js';
import { loadAssessment, resolveAssessment } from './assessment-access.js';
import * as repo from './assessments.repository.js';

const SYSTEM = { kind: 'system', label: 'test' } as const;

/** KLOE 5.1.2 of the built-in framework: promising P1–P6, uncertain U1–U6. */
const REFS_512 = [1, 2, 3, 4, 5, 6].flatMap((n) => [`5.1.2-P${n}`, `5.1.2-U${n}`]);
const allFindings = (outcome: string) => Object.fromEntries(REFS_512.map((ref) => [`finding-${ref}`, outcome]));

describeEachDatabase('assessment workspace pages', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let second: TestUser;
  let viewer: TestUser;
  let otherMember: TestUser;
  let organisationId: string;
  let serviceId: string;
  let id: string;

  const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers });
  const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  const post = (user: TestUser, page: string, fields: Record<string, string>, action?: string) =>
    submitForm(t.app, { page, action, headers: user.headers, fields });

  async function move(status: string) {
    const { version } = (await api(lead, 'GET', `/api/assessments/${id}`)).json() as { version: number };
    return api(lead, 'POST', `/api/assessments/${id}/status`, { version, status });
  }

  const kloeVersion = async (ref: string) =>
    ((await api(lead, 'GET', `/api/assessments/${id}/kloes/${ref}`)).json() as { version: number }).version;

  beforeAll(async () => {
    const { db } = t.database;
    const organisation = await createTestOrganisation(db, { name: 'Workspace Borough Council' });
    const other = await createTestOrganisation(db, { name: 'Faraway Council' });
    organisationId = organisation.id;
    serviceId = (
      await createOrganisationsService({ db }).createService(SYSTEM, organisationId, { name: 'Tenancy services' })
    ).id;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    second = await createTestUser(db, 'inspector', { name: 'Sam Second' });
    viewer = await createTestUser(db, 'viewer', { organisationId });
    otherMember = await createTestUser(db, 'organisation_member', { organisationId: other.id });
    const created = await api(lead, 'POST', '/api/assessments', {
      organisationId,
      serviceId,
      kind: 'inspection',
      title: 'Tenancy services inspection',
      memberUserIds: [second.actor.userId],
      sharedWithOrganisation: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    id = (created.json() as { id: string }).id;
    expect((await move('fieldwork')).statusCode).toBe(200);
  });

  describe('pages remembered between requests (web/render-memo.ts)', () => {
    it('shows a colleague’s save at once, and gives each person their own form token', async () => {
      const url = `/assessments/${id}/kloes/4.1`;
      const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
      const before = [await get(lead, url), await get(second, url), await get(second, url)];
      expect(before.map((p) => p.statusCode)).toEqual([200, 200, 200]);
      expect(before[0]!.body).not.toContain('Seen in the tenancy audit');
      expect(new Set(before.map((p) => token(p.body))).size).toBe(3);
      expect(before.every((p) => !/kloeCsrf|kloeNonce/.test(p.body))).toBe(true);

      const saved = await post(second, url, {
        version: String(await kloeVersion('4.1')),
        'finding-4.1-P1': 'met',
        'note-4.1-P1': 'Seen in the tenancy audit',
      });
      expect(saved.statusCode, saved.body).toBe(303);
      const after = await get(lead, url);
      expect(after.body).toContain('Seen in the tenancy audit');
      expect(after.body).toMatch(/1 of \d+ statements judged/);
    });
  });

  describe('the KLOE workspace', () => {
    it('shows the descriptors side by side with a finding and a note for every statement', async () => {
      const page = await get(lead, `/assessments/${id}/kloes/5.2.4`);
      expect(page.statusCode).toBe(200);
      const html = page.body;
      expect(html).toContain('Tenancy services inspection');
      expect(html).toContain('Workspace Borough Council');
      expect(html).toContain(`action="/assessments/${id}/kloes/5.2.4"`);
      expect(html).toContain('Promising prospects');
      expect(html).toContain('Uncertain prospects');
      expect(html).toContain('name="finding-5.2.4-P4"');
      expect(html).toContain('name="note-5.2.4-P4"');
      expect(html).toContain('id="5.2.4-P4.6"'); // the six learning sources, nested under their statement
      expect(html).toMatch(/0 of \d+ statements judged/);
      expect(html).toContain('Not yet judged');
      expect(html).toContain('One strength per line');
      // A KLOE is inside the scorecard's section, not the scorecard page itself.
      expect(html).toContain('aria-current="true">Scorecard');
      expect(html).not.toContain('aria-current="page">Scorecard');
      expect(html).toContain('The service exceeds the promising descriptor');
      expect(html).toContain('Save and go to next KLOE');
      expect(html).toContain(`href="/assessments/${id}/kloes/5.2.3"`); // previous
      expect(html).toContain(`href="/assessments/${id}/kloes/6.1"`); // next
      expect(html).toContain('name="_csrf"');
    });

    it('answers a KLOE outside the framework with 404', async () => {
      expect((await get(lead, `/assessments/${id}/kloes/9.9`)).statusCode).toBe(404);
    });

    it('saves the findings, then shows the progress and the suggested rating with its reasons', async () => {
      const saved = await post(lead, `/assessments/${id}/kloes/5.1.2`, {
        version: String(await kloeVersion('5.1.2')),
        ...allFindings('met'),
        'finding-5.1.2-P3': 'partly_met',
        'note-5.1.2-P3': 'Only two of the three plans seen',
        strengths: 'Clear plans\nGood use of data',
        areasForImprovement: '',
        finalRating: '',
        then: 'stay',
        returnTo: 'statement-5.1.2-P3',
      });
      expect(saved.statusCode, saved.body).toBe(303);
      // Back where the person was working (the page's script names the statement), not the top.
      expect(saved.headers.location).toBe(`/assessments/${id}/kloes/5.1.2?done=saved&saved=5.1.2#statement-5.1.2-P3`);

      const html = (await get(lead, `/assessments/${id}/kloes/5.1.2?done=saved&saved=5.1.2`)).body;
      expect(html).toContain('KLOE 5.1.2 has been saved');
      expect(html).toContain('12 of 12 statements judged');
      expect(html).toContain('Only two of the three plans seen');
      expect(html).toContain('Clear plans\nGood use of data');
      const { suggestedRating } = (await api(lead, 'GET', `/api/assessments/${id}/kloes/5.1.2`)).json() as {
        suggestedRating: { rating: string; reasons: string[] };
      };
      expect(suggestedRating.rating).toBe('promising');
      expect(html).toContain('The findings saved so far suggest <strong>Promising</strong>');
      expect(html).toContain('Which statements drove it');
      // A partly met promising statement appears once, with both of the things it does.
      expect(html).toMatch(/5\.1\.2-P3<\/a> partly met: supports promising and holds back from excellent/);
      expect(html.match(/href="#statement-5\.1\.2-P3">/g)).toHaveLength(1);
      expect(html).toMatch(/5\.1\.2-P1<\/a> met: supports/);
      expect(html).toContain('Promising (suggested)');
      expect(html).toContain('History of this KLOE');
      // In plain words, in the framework's terms: never ids, JSON or field names.
      const history = html.slice(html.indexOf('id="history"'));
      expect(history).toContain('Lena Lead</bdi> changed 5.1.2-P3 from not yet judged to partly met');
      expect(history).toContain('Lena Lead</bdi> wrote the note on 5.1.2-P3: “Only two of the three plans seen”');
      expect(history).toContain('Lena Lead</bdi> added the strength “Clear plans”');
      expect(history).not.toMatch(
        /finalRating|areasForImprovement|partly_met|not_judged|\{|&quot;|[0-9a-f]{8}-[0-9a-f]{4}-/,
      );
    });

    it('returns to the save buttons without the script, and never to an id the page does not have', async () => {
      for (const [returnTo, place] of [
        [undefined, '#kloe-save'],
        ['javascript:alert(1)', '#kloe-save'],
        ['finalRating', '#finalRating'],
      ] as const) {
        const saved = await post(lead, `/assessments/${id}/kloes/4.3`, {
          version: String(await kloeVersion('4.3')),
          then: 'stay',
          ...(returnTo ? { returnTo } : {}),
        });
        expect(saved.statusCode, saved.body).toBe(303);
        expect(saved.headers.location).toBe(`/assessments/${id}/kloes/4.3?done=saved&saved=4.3${place}`);
      }
    });

    it('after a refused save describes the findings as submitted: counts, suggestion and message agree', async () => {
      // Saved: every statement met but one partly, so promising is suggested (as the tests below expect).
      const saved = await post(lead, `/assessments/${id}/kloes/5.1.2`, {
        version: String(await kloeVersion('5.1.2')),
        ...allFindings('met'),
        'finding-5.1.2-P3': 'partly_met',
        'note-5.1.2-P3': 'Only two of the three plans seen',
        strengths: 'Clear plans\nGood use of data',
        finalRating: '',
      });
      expect(saved.statusCode, saved.body).toBe(303);
      // Submitted: three promising statements not met, rated promising without a rationale.
      const res = await post(lead, `/assessments/${id}/kloes/5.1.2`, {
        version: String(await kloeVersion('5.1.2')),
        ...allFindings('met'),
        'finding-5.1.2-P1': 'not_met',
        'finding-5.1.2-P2': 'not_met',
        'finding-5.1.2-P3': 'not_met',
        'finding-5.1.2-U6': 'not_judged',
        finalRating: 'promising',
        rationale: '',
      });
      expect(res.statusCode).toBe(400);
      const html = res.body;
      expect(html).toContain('11 of 12 statements judged'); // the header's count
      expect(html).toMatch(/11 of 12 statements judged( · rated)?<\/span>/); // …and the KLOE list's
      expect(html).toContain('The findings as you submitted them suggest no rating yet.');
      expect(html).toContain('1 of 12 statements is not yet judged');
      expect(html).toContain('there is no suggested rating yet'); // the message, from the same findings
      expect(html).not.toContain('Promising (suggested)');
      expect(html).not.toContain('saved so far');
    });

    it('goes on to the next KLOE when asked', async () => {
      const saved = await post(lead, `/assessments/${id}/kloes/4.1`, {
        version: String(await kloeVersion('4.1')),
        then: 'next',
      });
      expect(saved.statusCode, saved.body).toBe(303);
      expect(saved.headers.location).toBe(`/assessments/${id}/kloes/4.2?done=saved&saved=4.1`);
      // The banner on the next KLOE's page names the KLOE that was saved.
      expect((await get(lead, saved.headers.location!)).body).toContain('KLOE 4.1 has been saved');
    });

    it('refuses a final rating that differs from the suggestion without a rationale, keeping every answer', async () => {
      const res = await post(lead, `/assessments/${id}/kloes/5.1.2`, {
        version: String(await kloeVersion('5.1.2')),
        ...allFindings('met'),
        'finding-5.1.2-U2': 'not_met',
        'note-5.1.2-U2': 'A note I typed',
        strengths: 'Typed strength one\nTyped strength two',
        finalRating: 'poor',
        rationale: '',
        reason: 'My reason',
      });
      expect(res.statusCode).toBe(400);
      const html = res.body;
      expect(html).toContain('There is a problem');
      expect(html).toContain('href="#rationale"');
      expect(html).toContain('Explain why you rate it poor');
      expect(html).toMatch(/id="finding-5\.1\.2-U2-3" name="finding-5\.1\.2-U2" type="radio" value="not_met" checked/);
      expect(html).toContain('A note I typed');
      expect(html).toContain('Typed strength one\nTyped strength two');
      expect(html).toMatch(/name="finalRating" type="radio" value="poor" checked/);
      expect(html).toContain('value="My reason"');
    });

    it('shows a bad outcome against its own statement', async () => {
      const res = await post(lead, `/assessments/${id}/kloes/5.1.2`, {
        version: String(await kloeVersion('5.1.2')),
        'finding-5.1.2-P1': 'brilliant',
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('href="#finding-5.1.2-P1"');
      expect(res.body).toContain('Choose met, partly met, not met or not yet judged');
    });

    it('on a stale version names who saved first, shows their version and keeps the input with their version', async () => {
      const stale = await kloeVersion('6.1');
      const theirs = await api(second, 'PUT', `/api/assessments/${id}/kloes/6.1`, {
        version: stale,
        strengths: ['Their strength'],
        findings: [{ statementRef: '6.1-P1', outcome: 'not_met', note: 'Their note' }],
      });
      expect(theirs.statusCode, theirs.body).toBe(200);
      const current = await kloeVersion('6.1');

      const res = await post(lead, `/assessments/${id}/kloes/6.1`, {
        version: String(stale),
        'finding-6.1-P1': 'met',
        strengths: 'My own strength',
      });
      expect(res.statusCode).toBe(409);
      const html = res.body;
      expect(html).toMatch(/Changed by Sam Second &lt;[^&]+&gt; at /);
      expect(html).toContain('here is their version');
      expect(html).toContain('Their version');
      expect(html).toContain('6.1-P1: Not met – Their note');
      expect(html).toContain('Their strength');
      expect(html).toContain('My own strength');
      expect(html).toMatch(/name="finding-6\.1-P1" type="radio" value="met" checked/);
      expect(html).toContain(`name="version" id="version" value="${current}"`);

      const again = await post(lead, `/assessments/${id}/kloes/6.1`, {
        version: String(current),
        'finding-6.1-P1': 'met',
        strengths: 'My own strength',
      });
      expect(again.statusCode, again.body).toBe(303);
    });

    it('shows a viewer the findings without a form, and another organisation nothing', async () => {
      const page = await get(viewer, `/assessments/${id}/kloes/5.1.2`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain(`action="/assessments/${id}/kloes/5.1.2"`);
      expect(page.body).not.toContain('name="finding-');
      expect(page.body).toContain('govuk-tag--yellow'); // P3 partly met, as a tag
      expect(page.body).toContain('Only two of the three plans seen');
      expect(page.body).toContain('12 of 12 statements judged');
      const refused = await post(viewer, `/assessments/${id}/kloes/5.1.2`, { version: '1' });
      expect(refused.statusCode).toBe(403);

      expect((await get(otherMember, `/assessments/${id}/kloes/5.1.2`)).statusCode).toBe(404);
      expect((await get(otherMember, `/assessments/${id}/scorecard`)).statusCode).toBe(404);
      expect((await get(otherMember, `/assessments/${id}/moderation`)).statusCode).toBe(404);
    });
  });

  describe('the scorecard', () => {
    it('shows every KLOE with its progress and ratings as text, and what is still unjudged', async () => {
      const page = await get(lead, `/assessments/${id}/scorecard`);
      expect(page.statusCode).toBe(200);
      const html = page.body;
      expect(html).toContain('aria-current="page">Scorecard');
      for (const ref of ['4.1', '4.4', '5.1.1', '5.1.3', '5.2.4', '6.1', '6.4']) {
        expect(html).toContain(`href="/assessments/${id}/kloes/${ref}"`);
      }
      for (const label of ['Excellent', 'Promising', 'Uncertain', 'Poor']) expect(html).toContain(`>${label}</th>`);
      expect(html).toContain('Key question 5:');
      expect(html).toContain('Overall judgement');
      expect(html).toContain('12 of 12');
      expect(html).toContain('suggested</span>');
      expect(html).toContain('Still unjudged');
      expect(html).toMatch(/KLOE 4\.2<\/a>: \d+ of \d+ statements to judge/);
      expect(html).toMatch(/id="count-met">\d+</);
      expect(html).toContain(`action="/assessments/${id}/ratings/4"`);
      expect(html).toContain(`action="/assessments/${id}/ratings/overall"`);
    });

    it('saves a key question’s rating, wanting a rationale when it differs from the roll-up', async () => {
      const page = `/assessments/${id}/scorecard`;
      const refused = await post(
        lead,
        page,
        { version: '1', finalRating: 'poor', rationale: '' },
        `/assessments/${id}/ratings/4`,
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('href="#rating-4-rationale"');
      expect(refused.body).toMatch(/id="rating-4-finalRating-4" name="finalRating" type="radio" value="poor" checked/);

      const saved = await post(
        lead,
        page,
        { version: '1', finalRating: 'poor', rationale: 'Little sign of a track record yet' },
        `/assessments/${id}/ratings/4`,
      );
      expect(saved.statusCode, saved.body).toBe(303);
      const html = (await get(lead, page)).body;
      expect(html).toMatch(/kloe-scorecard__cell--final kloe-rating--poor">\s*<strong>Poor<\/strong>/);
      expect(html).toContain('Little sign of a track record yet');

      const stale = await post(
        lead,
        page,
        { version: '1', finalRating: 'uncertain', rationale: 'x' },
        `/assessments/${id}/ratings/4`,
      );
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('Changed by Lena Lead');
      expect(stale.body).toMatch(/id="rating-4-version" value="2"/);
    });

    it('shows a viewer the scorecard without forms', async () => {
      const page = await get(viewer, `/assessments/${id}/scorecard`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain(`action="/assessments/${id}/ratings/`);
    });
  });

  describe('moderation', () => {
    it('lets a team member challenge, the lead resolve, and blocks publishing while a challenge is open', async () => {
      expect((await move('moderation')).statusCode).toBe(200);
      const page = `/assessments/${id}/moderation`;

      const leadPage = (await get(lead, page)).body;
      expect(leadPage).toContain('Open challenges block publishing');
      expect(leadPage).not.toContain(`action="/assessments/${id}/challenges"`); // the lead does not challenge

      const secondPage = (await get(second, page)).body;
      expect(secondPage).toContain(`action="/assessments/${id}/challenges"`);
      expect(secondPage).toContain('<option value="5.1.2">');

      const empty = await post(second, page, { targetRef: '5.1.2', comment: '' }, `/assessments/${id}/challenges`);
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('href="#comment"');
      expect(empty.body).toMatch(/<option value="5\.1\.2" selected>/);

      const raised = await post(
        second,
        page,
        { targetRef: '4', comment: 'Poor is too harsh for key question 4' },
        `/assessments/${id}/challenges`,
      );
      expect(raised.statusCode, raised.body).toBe(303);
      expect(raised.headers.location).toBe(`${page}?done=raised`);

      const withChallenge = (await get(lead, page)).body;
      expect(withChallenge).toContain('Poor is too harsh for key question 4');
      expect(withChallenge).toContain('Sam Second');
      expect(withChallenge).toContain('1 open challenge.');
      const challengeId = /action="\/assessments\/[^/]+\/challenges\/([0-9a-f-]{36})\/resolve"/.exec(
        withChallenge,
      )?.[1];
      expect(challengeId).toBeDefined();
      expect((await get(second, page)).body).not.toContain('/resolve"'); // only the lead resolves

      const blocked = await move('published');
      expect(blocked.statusCode).toBe(409);
      expect(blocked.body).toContain('not yet resolved');

      const action = `/assessments/${id}/challenges/${challengeId}/resolve`;
      const noRating = await post(lead, page, { outcome: 'changed', rating: '', reason: 'Agreed' }, action);
      expect(noRating.statusCode).toBe(400);
      expect(noRating.body).toContain(`href="#challenge-${challengeId}-rating"`);
      expect(noRating.body).toContain('Choose the new rating');
      expect(noRating.body).toMatch(/>Agreed<\/textarea>/);

      const resolved = await post(
        lead,
        page,
        { outcome: 'changed', rating: 'uncertain', reason: 'Agreed on review' },
        action,
      );
      expect(resolved.statusCode, resolved.body).toBe(303);
      const after = (await get(lead, page)).body;
      expect(after).toContain('Rating changed');
      expect(after).toContain('Agreed on review');
      expect(after).toContain('0 open challenges.');
      expect(after).not.toContain('/resolve"');
      // Who changed the rating and when, and the rationale now attached to it: the resolution's reason.
      expect(after).toMatch(/Last saved by Lena Lead, <time datetime="[^"]+">/);
      expect(after).toMatch(/Rationale<\/dt>\s*<dd class="govuk-summary-list__value">Agreed on review<\/dd>/);

      const scorecard = (await get(lead, `/assessments/${id}/scorecard`)).body;
      expect(scorecard).toMatch(/kloe-scorecard__cell--final kloe-rating--uncertain">\s*<strong>Uncertain<\/strong>/);
    });
  });

  describe('a published assessment', () => {
    it('shows no form and refuses a stale page’s save with the clear message', async () => {
      const created = await api(lead, 'POST', '/api/assessments', {
        organisationId,
        serviceId,
        kind: 'inspection',
        title: 'Small published inspection',
        scope: ['4.1'],
      });
      expect(created.statusCode, created.body).toBe(201);
      const small = (created.json() as { id: string }).id;
      const status = async (to: string) => {
        const { version } = (await api(lead, 'GET', `/api/assessments/${small}`)).json() as { version: number };
        return api(lead, 'POST', `/api/assessments/${small}/status`, { version, status: to });
      };
      expect((await status('fieldwork')).statusCode).toBe(200);
      const rated = { version: 1, finalRating: 'uncertain', rationale: 'Too little evidence yet' };
      expect((await api(lead, 'PUT', `/api/assessments/${small}/kloes/4.1`, rated)).statusCode).toBe(200);
      expect((await api(lead, 'PUT', `/api/assessments/${small}/ratings/4`, rated)).statusCode).toBe(200);
      expect((await api(lead, 'PUT', `/api/assessments/${small}/ratings/overall`, rated)).statusCode).toBe(200);
      expect((await status('moderation')).statusCode).toBe(200);
      expect((await status('published')).statusCode).toBe(200);

      const page = await get(lead, `/assessments/${small}/kloes/4.1`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('name="finding-');
      expect(page.body).toContain('Too little evidence yet');

      const refused = await post(lead, `/assessments/${small}/kloes/4.1`, { version: '2', 'finding-4.1-P1': 'met' });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('This assessment is published and cannot be changed');
    });
  });

  describe('one assessment load per request', () => {
    // The visibility hook loads the assessment for the caller and the handlers pass it on: a service that
    // loaded it again by id would show here. KLOE 4.2 asks every part of the page (figures, track record).
    it.each(['/kloes/4.2', '', '/report'])('GET /assessments/:id%s loads it once', async (path) => {
      const loads = vi.spyOn(repo, 'findAssessmentFor');
      try {
        const page = await get(lead, `/assessments/${id}${path}`);
        expect(page.statusCode).toBe(200);
        expect(loads).toHaveBeenCalledTimes(1);
      } finally {
        loads.mockRestore();
      }
    });

    it('refuses an assessment loaded for one person to a service asked by another', async () => {
      const { db } = t.database;
      const loaded = await loadAssessment(db, lead.actor, id);
      await expect(resolveAssessment(db, viewer.actor, loaded)).rejects.toThrow(/loaded for/);
      await expect(resolveAssessment(db, SYSTEM, loaded)).rejects.toThrow(/loaded for/);
      expect(await resolveAssessment(db, lead.actor, loaded)).toBe(loaded);
      expect((await resolveAssessment(db, viewer.actor, id)).loadedFor).toBe(viewer.actor.userId);
    });
  });
});
