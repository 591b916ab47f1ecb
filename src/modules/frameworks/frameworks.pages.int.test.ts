import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { builtinFrameworksFolder } from '../../paths.js';
import { useTestApp } from '../../testing/test-app.js';
import type { FrameworkDocument } from './framework.model.js';
import { leafKloes } from './framework.tree.js';

const builtin: FrameworkDocument = JSON.parse(
  fs.readFileSync(path.join(builtinFrameworksFolder, 'audit-commission-j2.json'), 'utf8'),
);

/** Text as Nunjucks escapes it, so that it can be looked for in the HTML. */
const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const count = (html: string, needle: string) => html.split(needle).length - 1;

describeEachDatabase('framework pages', (driver) => {
  const t = useTestApp(driver);

  it('leads from the home page to the framework and its key questions and groups', async () => {
    const home = await t.app.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toContain('text/html');
    expect(home.body).toContain(`href="/frameworks/${builtin.id}"`);

    const overview = (await t.app.inject({ url: `/frameworks/${builtin.id}` })).body;
    for (const kq of builtin.keyQuestions)
      expect(overview).toContain(`Key question ${kq.ref}: ${escapeHtml(kq.title)}`);
    expect(overview).toContain('5.1 How good is the service');
    for (const { kloe } of leafKloes(builtin)) {
      expect(overview).toContain(`href="/frameworks/${builtin.id}/kloes/${kloe.ref}"`);
    }
    for (const level of ['Excellent', 'Promising', 'Uncertain', 'Poor']) expect(overview).toContain(level);
    expect(overview).toContain('3 key questions, 15 KLOEs, 52 promising and 51 uncertain statements.');
  });

  it('shows every statement of the framework exactly once on the one-page view', async () => {
    const html = (await t.app.inject({ url: `/frameworks/${builtin.id}/all` })).body;
    const statements = leafKloes(builtin).flatMap(({ kloe }) => kloe.descriptors.flatMap((d) => d.statements));
    expect(statements).toHaveLength(103);
    for (const statement of statements) {
      expect(count(html, `id="${statement.ref}"`), statement.ref).toBe(1);
      // The source repeats a few statements word for word under two KLOEs (5.1.2-U4 and 5.2.2-U3).
      const sameText = statements.filter((s) => s.text === statement.text).length;
      expect(count(html, escapeHtml(statement.text)), statement.ref).toBe(sameText);
    }
  });

  it('shows a KLOE with its two descriptors side by side and 5.2.4 sub-list nested under its statement', async () => {
    const res = await t.app.inject({ url: `/frameworks/${builtin.id}/kloes/5.2.4` });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('kloe-descriptor--promising');
    expect(html).toContain('kloe-descriptor--uncertain');
    const parent =
      /<li id="(5\.2\.4-P\d+)">((?:(?!<\/li>\s*<li id="5\.2\.4-P)[\s\S])*?)<ul class="govuk-list govuk-list--bullet kloe-sub-items">([\s\S]*?)<\/ul>/.exec(
        html,
      );
    expect(parent, 'a statement holding the sub-list').not.toBeNull();
    expect(count(parent![3]!, '<li id="5.2.4-P')).toBe(6);
    expect(html).toContain('rel="prev"');
    expect(html).toContain('rel="next"');
  });

  it('answers an unknown KLOE, framework or version with a 404 page', async () => {
    for (const url of [
      `/frameworks/${builtin.id}/kloes/9.9`,
      '/frameworks/nope',
      `/frameworks/${builtin.id}?version=42`,
      '/no-page',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body).toContain('govuk-heading-l');
    }
    const bad = await t.app.inject({ url: `/frameworks/${builtin.id}/kloes/not-a-ref` });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('text/html');
  });
});
