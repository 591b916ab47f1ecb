/**
 * A published report prints the audit chain's head (issue 17 item 19), and kloe holds the chain to every
 * anchor it has printed: deleting the newest entries fails the check without anyone keeping an anchor.
 */
import { desc, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/testing/test-database.js';
import { useTestApp } from '../../testing/test-app.js';
import { createTestUser, type TestUser } from '../../testing/test-users.js';
import { createAssessmentsService } from '../assessments/assessments.service.js';
import { createAuditService } from '../audit/audit.service.js';
import { auditLog } from '../audit/audit.tables.js';
import { recordChange, whileTampered } from '../audit/testing/record.js';
import { docxPart, xmlText } from './testing/files.js';
import { createJudgedAssessment } from './testing/report-fixtures.js';

describeEachDatabase('audit anchors in published reports', (driver) => {
  const t = useTestApp(driver);
  let lead: TestUser;
  let id: string;

  beforeAll(async () => {
    const { db } = t.database;
    lead = await createTestUser(db, 'inspector', { name: 'Lena Lead' });
    const judged = await createJudgedAssessment(db, lead.actor);
    id = judged.id;
    await createAssessmentsService({ db }).moveStatus(lead.actor, id, { status: 'published', version: judged.version });
  });

  const download = (format: string) =>
    t.app.inject({ url: `/api/assessments/${id}/report?format=${format}`, headers: lead.headers });
  const head = async () => {
    const [row] = await t.database.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    return `${row!.id}:${row!.hash}`;
  };

  it('prints the chain’s head in the stored HTML and DOCX files of a published report', async () => {
    const anchor = await head();
    const html = await download('html');
    expect(html.headers['x-kloe-report']).toBe('stored');
    expect(html.body).toMatch(new RegExp(`<dt>Audit trail anchor</dt><dd><code[^>]*>${anchor}</code></dd>`));
    const docx = await download('docx');
    // The title page's table: the row's two cells are two paragraphs.
    expect(xmlText(await docxPart(docx.rawPayload, 'word/document.xml'))).toContain(`Audit trail anchor\n${anchor}\n`);
  });

  it('fails the check when the newest entries are deleted, naming the report that printed the anchor', async () => {
    const { db } = t.database;
    const [anchorId] = (await head()).split(':');
    await recordChange(db, { entityId: 'after-the-report' });
    const audit = (on: typeof db) => createAuditService({ db: on }).verify();
    expect(await audit(db)).toMatchObject({ ok: true, problems: [] });
    // Truncation: the anchored entry and everything after it deleted; what remains still chains from GENESIS.
    const truncated = await whileTampered(db, sql`delete from audit_log where id >= ${Number(anchorId)}`, audit);
    expect(truncated.ok).toBe(false);
    expect(truncated.problems).toEqual([
      {
        entryId: Number(anchorId),
        kind: 'deleted',
        message: expect.stringMatching(
          new RegExp(
            `^entries after \\d+ are missing: the anchored entry ${anchorId} is gone \\(anchored in the html report of assessment ${id} \\(revision 1\\)\\)$`,
          ),
        ),
      },
    ]);
  });
});
