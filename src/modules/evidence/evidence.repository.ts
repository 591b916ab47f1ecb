/** Queries of evidence: items, files, links, suggestions and requests. Each takes `db` or a transaction. */
import { and, asc, desc, eq, inArray, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { preparedOnce } from '../../db/prepared.js';
import { MARK_END, MARK_START } from './evidence-search.js';
import { rankStatementsSql, type RankableStatement } from './statement-ranking.js';
import { users } from '../../db/schema.js';
import { assessments } from '../../db/schema.js';
import {
  evidenceFiles,
  evidenceItemFiles,
  evidenceItems,
  evidenceLinks,
  evidenceRequests,
  evidenceSuggestions,
  type EvidenceKind,
  type ExtractionStatus,
  SEARCHED_TEXT_CHARS,
} from './evidence.tables.js';

/** Rows of a raw query: both drivers (node-postgres, PGlite) answer { rows }. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export type ItemRow = typeof evidenceItems.$inferSelect;
export type FileRow = typeof evidenceFiles.$inferSelect;
export type LinkRow = typeof evidenceLinks.$inferSelect;
export type RequestRow = typeof evidenceRequests.$inferSelect;

const itemColumns = {
  id: evidenceItems.id,
  assessmentId: evidenceItems.assessmentId,
  title: evidenceItems.title,
  kind: evidenceItems.kind,
  source: evidenceItems.source,
  evidenceDate: evidenceItems.evidenceDate,
  notes: evidenceItems.notes,
  createdBy: evidenceItems.createdBy,
  createdAt: evidenceItems.createdAt,
  updatedAt: evidenceItems.updatedAt,
};
export type Item = Omit<ItemRow, 'search' | 'filesSearch' | 'document'>;

export async function insertItem(db: Database, values: typeof evidenceItems.$inferInsert): Promise<Item> {
  const [row] = await db.insert(evidenceItems).values(values).returning(itemColumns);
  return row!;
}

/**
 * An item as routes name it: by its assessment and its own id. Every change by item id is scoped by both,
 * so that an item id from another assessment matches nothing, whatever the caller checked before.
 */
export interface ItemKey {
  assessmentId: string;
  itemId: string;
}

const isItem = (key: ItemKey) =>
  and(eq(evidenceItems.assessmentId, key.assessmentId), eq(evidenceItems.id, key.itemId));

/** Undefined when the item is not one of that assessment's. */
export async function updateItem(
  db: Database,
  key: ItemKey,
  values: Pick<typeof evidenceItems.$inferInsert, 'title' | 'kind' | 'source' | 'evidenceDate' | 'notes'>,
): Promise<Item | undefined> {
  const [row] = await db
    .update(evidenceItems)
    .set({ ...values, updatedAt: new Date() })
    .where(isItem(key))
    .returning(itemColumns);
  return row;
}

/** Its file attachments, links and suggestions go with it (cascades); the stored files stay, shared by hash. */
export async function deleteItem(db: Database, key: ItemKey): Promise<void> {
  await db.delete(evidenceItems).where(isItem(key));
}

/**
 * Carries an assessment's evidence over to its next revision: new items (new ids) holding the same stored
 * files, with their links and suggestions. One statement, so the id mapping needs no table.
 */
export async function copyEvidence(db: Database, fromId: string, toId: string): Promise<void> {
  await db.execute(sql`
    with mapping as (
      select id as old_id, gen_random_uuid() as new_id from evidence_items where assessment_id = ${fromId}
    ),
    items as (
      insert into evidence_items (id, assessment_id, title, kind, source, evidence_date, notes, files_search, created_by, created_at, updated_at)
      select m.new_id, ${toId}, i.title, i.kind, i.source, i.evidence_date, i.notes, i.files_search, i.created_by, i.created_at, i.updated_at
      from evidence_items i join mapping m on m.old_id = i.id
    ),
    files as (
      insert into evidence_item_files (item_id, file_id, file_name, added_by, added_at)
      select m.new_id, f.file_id, f.file_name, f.added_by, f.added_at
      from evidence_item_files f join mapping m on m.old_id = f.item_id
    ),
    links as (
      insert into evidence_links (item_id, assessment_id, kloe_ref, statement_ref, stance, quote, page, created_by, created_at)
      select m.new_id, ${toId}, l.kloe_ref, l.statement_ref, l.stance, l.quote, l.page, l.created_by, l.created_at
      from evidence_links l join mapping m on m.old_id = l.item_id
    )
    insert into evidence_suggestions (item_id, statement_ref, score, status)
    select m.new_id, s.statement_ref, s.score, s.status from evidence_suggestions s join mapping m on m.old_id = s.item_id`);
}

export async function findItem(db: Database, assessmentId: string, itemId: string): Promise<Item | undefined> {
  const [row] = await db.select(itemColumns).from(evidenceItems).where(isItem({ assessmentId, itemId }));
  return row;
}

/** An assessment's items, newest first, with how many files and links each has. */
export async function listItems(db: Database, assessmentId: string, kind?: EvidenceKind) {
  return db
    .select({
      ...itemColumns,
      // Qualified by hand: drizzle writes the outer column as a bare "id", which inside the subquery
      // would be the link's own id.
      files: sql<number>`(select count(*) from evidence_item_files f where f.item_id = evidence_items.id)`.mapWith(
        Number,
      ),
      links: sql<number>`(select count(*) from evidence_links l where l.item_id = evidence_items.id)`.mapWith(Number),
    })
    .from(evidenceItems)
    .where(and(eq(evidenceItems.assessmentId, assessmentId), kind ? eq(evidenceItems.kind, kind) : undefined))
    .orderBy(desc(evidenceItems.createdAt), asc(evidenceItems.id));
}

const fileColumns = {
  id: evidenceFiles.id,
  sha256: evidenceFiles.sha256,
  size: evidenceFiles.size,
  mediaType: evidenceFiles.mediaType,
  originalName: evidenceFiles.originalName,
  extractionStatus: evidenceFiles.extractionStatus,
  extractionError: evidenceFiles.extractionError,
  createdAt: evidenceFiles.createdAt,
};
export type StoredFile = Omit<FileRow, 'search' | 'extractedText'>;

/** The file row of these bytes, inserted when new; `created` says which. */
export async function upsertFile(
  db: Database,
  values: { sha256: string; size: number; mediaType: string; originalName: string },
): Promise<{ file: StoredFile; created: boolean }> {
  const [inserted] = await db
    .insert(evidenceFiles)
    .values(values)
    .onConflictDoNothing({ target: evidenceFiles.sha256 })
    .returning(fileColumns);
  if (inserted) return { file: inserted, created: true };
  const [existing] = await db.select(fileColumns).from(evidenceFiles).where(eq(evidenceFiles.sha256, values.sha256));
  return { file: existing!, created: false };
}

export async function attachFile(
  db: Database,
  values: typeof evidenceItemFiles.$inferInsert,
): Promise<{ attached: boolean }> {
  const rows = await db.insert(evidenceItemFiles).values(values).onConflictDoNothing().returning();
  if (rows.length > 0) await refreshFilesSearch(db, sql`${evidenceItems.id} = ${values.itemId}`);
  return { attached: rows.length > 0 };
}

/**
 * Sets the items' files_search (the vector search matches besides their own text) from their files'
 * extracted text, as the statement suggestions read it too. `which` picks the items (a condition on
 * evidence_items). The files share the characters a vector can hold (SEARCHED_TEXT_CHARS) equally, so each
 * is searched from its beginning however many there are.
 */
export async function refreshFilesSearch(db: Database, which: SQL): Promise<void> {
  await db.execute(sql`
    update ${evidenceItems} set files_search = to_tsvector('english', coalesce((
      select string_agg(left(f.text, f.share), ' ' order by f.added_at, f.id)
      from (
        select ${evidenceFiles.extractedText} as text, ${evidenceItemFiles.addedAt} as added_at, ${evidenceFiles.id} as id,
          (${SEARCHED_TEXT_CHARS} / count(*) over ())::int as share
        from ${evidenceItemFiles} join ${evidenceFiles} on ${evidenceFiles.id} = ${evidenceItemFiles.fileId}
        where ${evidenceItemFiles.itemId} = ${evidenceItems.id}
      ) f), ''))
    where ${which}`);
}

/** An item's files with the names they were attached under. */
export async function filesOf(db: Database, itemId: string) {
  return db
    .select({ ...fileColumns, fileName: evidenceItemFiles.fileName, addedAt: evidenceItemFiles.addedAt })
    .from(evidenceItemFiles)
    .innerJoin(evidenceFiles, eq(evidenceFiles.id, evidenceItemFiles.fileId))
    .where(eq(evidenceItemFiles.itemId, itemId))
    .orderBy(asc(evidenceItemFiles.addedAt), asc(evidenceItemFiles.fileName));
}

/** The text extracted from a stored file (null while pending, or when it has none). */
export async function extractedTextOf(db: Database, fileId: string): Promise<string | null> {
  const [row] = await db
    .select({ text: evidenceFiles.extractedText })
    .from(evidenceFiles)
    .where(eq(evidenceFiles.id, fileId));
  return row?.text ?? null;
}

export async function setExtraction(
  db: Database,
  fileId: string,
  result: { status: ExtractionStatus; text?: string | null; error?: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(evidenceFiles)
      .set({
        extractionStatus: result.status,
        extractedText: result.text ?? null,
        extractionError: result.error ?? null,
      })
      .where(eq(evidenceFiles.id, fileId));
    await refreshFilesSearch(
      tx,
      sql`${evidenceItems.id} in (select ${evidenceItemFiles.itemId} from ${evidenceItemFiles} where ${evidenceItemFiles.fileId} = ${fileId})`,
    );
  });
}

export async function pendingFiles(db: Database): Promise<{ id: string; sha256: string; mediaType: string }[]> {
  return db
    .select({ id: evidenceFiles.id, sha256: evidenceFiles.sha256, mediaType: evidenceFiles.mediaType })
    .from(evidenceFiles)
    .where(eq(evidenceFiles.extractionStatus, 'pending'));
}

/** The file, when its text is still to be extracted. */
export async function pendingFile(db: Database, fileId: string) {
  const [file] = await db
    .select({ id: evidenceFiles.id, sha256: evidenceFiles.sha256, mediaType: evidenceFiles.mediaType })
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.id, fileId), eq(evidenceFiles.extractionStatus, 'pending')));
  return file;
}

/** The items holding a file (after its text arrives, their suggestions are worked out again). */
export async function itemsHolding(db: Database, fileId: string) {
  return db
    .select({ itemId: evidenceItemFiles.itemId, assessmentId: evidenceItems.assessmentId })
    .from(evidenceItemFiles)
    .innerJoin(evidenceItems, eq(evidenceItems.id, evidenceItemFiles.itemId))
    .where(eq(evidenceItemFiles.fileId, fileId));
}

// ---- Links ------------------------------------------------------------------------------------------

export async function insertLink(db: Database, values: typeof evidenceLinks.$inferInsert): Promise<LinkRow> {
  const [row] = await db.insert(evidenceLinks).values(values).returning();
  return row!;
}

/** Undefined when the link is not one of that item, or the item not one of that assessment. */
export async function deleteLink(db: Database, key: ItemKey, linkId: string): Promise<LinkRow | undefined> {
  const [row] = await db
    .delete(evidenceLinks)
    .where(
      and(
        eq(evidenceLinks.assessmentId, key.assessmentId),
        eq(evidenceLinks.itemId, key.itemId),
        eq(evidenceLinks.id, linkId),
      ),
    )
    .returning();
  return row;
}

export async function linksOfItem(db: Database, itemId: string): Promise<LinkRow[]> {
  return db
    .select()
    .from(evidenceLinks)
    .where(eq(evidenceLinks.itemId, itemId))
    .orderBy(asc(evidenceLinks.kloeRef), asc(evidenceLinks.statementRef), asc(evidenceLinks.createdAt));
}

/** One KLOE's links in an assessment, with the item each comes from: on every KLOE page, so prepared once. */
export async function linksIn(db: Database, assessmentId: string, kloeRef: string) {
  const query = preparedOnce(db, 'kloe_evidence_links', (db) =>
    db
      .select({
        link: evidenceLinks,
        itemTitle: evidenceItems.title,
        itemKind: evidenceItems.kind,
        itemSource: evidenceItems.source,
      })
      .from(evidenceLinks)
      .innerJoin(evidenceItems, eq(evidenceItems.id, evidenceLinks.itemId))
      .where(
        and(
          eq(evidenceLinks.assessmentId, sql.placeholder('assessmentId')),
          eq(evidenceLinks.kloeRef, sql.placeholder('kloeRef')),
        ),
      )
      .orderBy(asc(evidenceLinks.statementRef), asc(evidenceItems.title))
      .prepare('kloe_evidence_links'),
  );
  return query.execute({ assessmentId, kloeRef });
}

// ---- Suggestions ------------------------------------------------------------------------------------

export interface RankedStatement {
  ref: string;
  score: number;
  /** The passage of the item that the statement's stems pick, the stems marked; null when it has no text. */
  passage: string | null;
}

/** How much of each file's text a suggestion's passage is looked for in (ts_headline reads all it is given). */
const PASSAGE_SOURCE_CHARS = 100_000;

/**
 * Ranks the statements for an item by BM25 (statement-ranking.ts) over its stored vector (title, source,
 * notes and its files' extracted text), each with the passage of the item that its best stems pick: a
 * ts_headline of the item's text, the stems marked (MARK_START … MARK_END) for the page to highlight.
 */
export async function rankStatements(
  db: Database,
  itemId: string,
  statements: RankableStatement[],
  limit: number,
): Promise<RankedStatement[]> {
  if (statements.length === 0) return [];
  const document = sql`(select ${evidenceItems.document} from ${evidenceItems} where ${evidenceItems.id} = ${itemId})`;
  const options = `MaxFragments=1, MaxWords=35, MinWords=15, StartSel=${MARK_START}, StopSel=${MARK_END}`;
  const rows = await queryRows<{ ref: string; score: number | string; passage: string | null }>(
    db,
    sql`
    with ranked as (${rankStatementsSql(document, statements, limit)}),
    body as (
      select concat_ws(E'\n', concat_ws(' — ', i.title, i.source, i.notes), (
        select string_agg(left(${evidenceFiles.extractedText}, ${PASSAGE_SOURCE_CHARS}), E'\n' order by ${evidenceItemFiles.addedAt})
        from ${evidenceItemFiles} join ${evidenceFiles} on ${evidenceFiles.id} = ${evidenceItemFiles.fileId}
        where ${evidenceItemFiles.itemId} = i.id)) as text
      from evidence_items i where i.id = ${itemId}
    )
    select r.ref, r.score,
      ts_headline('english', body.text, (select string_agg(quote_literal(s), ' | ')::tsquery from unnest(r.stems) s),
                  ${options}) as passage
    from ranked r cross join body
    order by r.score desc, r.ref`,
  );
  return rows.map((r) => ({ ref: r.ref, score: Number(r.score), passage: r.passage }));
}

/** Replaces the open suggestions of an item; accepted and dismissed ones stay as decided. */
export async function replaceOpenSuggestions(db: Database, itemId: string, ranked: RankedStatement[]): Promise<void> {
  await db
    .delete(evidenceSuggestions)
    .where(and(eq(evidenceSuggestions.itemId, itemId), eq(evidenceSuggestions.status, 'open')));
  if (ranked.length === 0) return;
  await db
    .insert(evidenceSuggestions)
    .values(ranked.map((r) => ({ itemId, statementRef: r.ref, score: r.score, passage: r.passage })))
    .onConflictDoNothing();
}

export async function dropOpenSuggestion(db: Database, itemId: string, statementRef: string): Promise<void> {
  await db
    .delete(evidenceSuggestions)
    .where(
      and(
        eq(evidenceSuggestions.itemId, itemId),
        eq(evidenceSuggestions.statementRef, statementRef),
        eq(evidenceSuggestions.status, 'open'),
      ),
    );
}

export async function suggestionsOf(db: Database, itemId: string) {
  return db
    .select()
    .from(evidenceSuggestions)
    .where(eq(evidenceSuggestions.itemId, itemId))
    .orderBy(desc(evidenceSuggestions.score), asc(evidenceSuggestions.statementRef));
}

export async function decideSuggestion(
  db: Database,
  key: ItemKey,
  statementRef: string,
  status: 'accepted' | 'dismissed',
): Promise<boolean> {
  const rows = await db
    .update(evidenceSuggestions)
    .set({ status })
    .where(
      and(
        // Suggestions hold no assessment id: the item must be that assessment's.
        inArray(evidenceSuggestions.itemId, db.select({ id: evidenceItems.id }).from(evidenceItems).where(isItem(key))),
        eq(evidenceSuggestions.statementRef, statementRef),
        eq(evidenceSuggestions.status, 'open'),
      ),
    )
    .returning();
  return rows.length > 0;
}

// ---- Coverage -----------------------------------------------------------------------------------------

/** Per statement (null: the KLOE as a whole) of each KLOE: items, kinds and sources linked. */
export async function coverageOf(db: Database, assessmentId: string) {
  return db
    .select({
      kloeRef: evidenceLinks.kloeRef,
      statementRef: evidenceLinks.statementRef,
      items: sql<number>`count(distinct ${evidenceItems.id})`.mapWith(Number),
      supports:
        sql<number>`count(distinct ${evidenceItems.id}) filter (where ${evidenceLinks.stance} = 'supports')`.mapWith(
          Number,
        ),
      contradicts:
        sql<number>`count(distinct ${evidenceItems.id}) filter (where ${evidenceLinks.stance} = 'contradicts')`.mapWith(
          Number,
        ),
      kinds: sql<string[]>`array_agg(distinct ${evidenceItems.kind})`,
      sources: sql<number>`count(distinct lower(${evidenceItems.source}))`.mapWith(Number),
    })
    .from(evidenceLinks)
    .innerJoin(evidenceItems, eq(evidenceItems.id, evidenceLinks.itemId))
    .where(eq(evidenceLinks.assessmentId, assessmentId))
    .groupBy(evidenceLinks.kloeRef, evidenceLinks.statementRef);
}

// ---- Requests -------------------------------------------------------------------------------------------

export async function insertRequest(db: Database, values: typeof evidenceRequests.$inferInsert): Promise<RequestRow> {
  const [row] = await db.insert(evidenceRequests).values(values).returning();
  return row!;
}

/**
 * Marks the open requests due before `today` of assessments under way as overdue, each once: a request marked
 * already (by this or another node) is left alone. The requests marked.
 */
export async function markOverdueRequests(db: Database, today: string) {
  return db
    .update(evidenceRequests)
    .set({ overdueAt: new Date() })
    .where(
      and(
        eq(evidenceRequests.status, 'open'),
        lt(evidenceRequests.dueOn, today),
        isNull(evidenceRequests.overdueAt),
        inArray(
          evidenceRequests.assessmentId,
          db.select({ id: assessments.id }).from(assessments).where(ne(assessments.status, 'published')),
        ),
      ),
    )
    .returning({
      id: evidenceRequests.id,
      assessmentId: evidenceRequests.assessmentId,
      what: evidenceRequests.what,
      dueOn: evidenceRequests.dueOn,
    });
}

export async function listRequests(db: Database, assessmentId: string) {
  return db
    .select({ request: evidenceRequests, requestedByName: users.name })
    .from(evidenceRequests)
    .leftJoin(users, eq(users.id, evidenceRequests.requestedBy))
    .where(eq(evidenceRequests.assessmentId, assessmentId))
    .orderBy(asc(evidenceRequests.dueOn), asc(evidenceRequests.requestedAt));
}

export async function findRequest(db: Database, assessmentId: string, requestId: string) {
  const [row] = await db
    .select()
    .from(evidenceRequests)
    .where(and(eq(evidenceRequests.assessmentId, assessmentId), eq(evidenceRequests.id, requestId)))
    .for('update');
  return row;
}

/** Scoped by the assessment, as every change to a request is (see ItemKey). */
export async function markAnswered(
  db: Database,
  request: { assessmentId: string; requestId: string },
  itemId: string,
): Promise<void> {
  await db
    .update(evidenceRequests)
    .set({ status: 'answered', answerItemId: itemId, answeredAt: new Date() })
    .where(and(eq(evidenceRequests.assessmentId, request.assessmentId), eq(evidenceRequests.id, request.requestId)));
}
