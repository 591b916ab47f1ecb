/**
 * Full-text search of evidence with PostgreSQL (the same on PGlite): websearch_to_tsquery over what an item
 * says — its own text (title, source, notes) and its files' extracted text, one stored vector (`document`).
 *
 * Only the newest `cap` matching items in scope are candidates, and only those are ranked (ts_rank); when
 * more match, the result says so (the page asks for more words). The candidates are found one of three ways:
 * - a word most items use: walking the items newest first and testing each vector stops after `cap + 1`
 *   matches, having read few more rows than that (the first try, bounded to `WALK_ROWS_PER_CANDIDATE × cap`
 *   rows);
 * - a word few items use, when that walk did not find `cap + 1`: the GIN index finds every match without
 *   reading a vector, and only those rows are read for scope and date;
 * - a phrase of words most items use: walking as far as needed (the GIN index knows only which items have
 *   the words, and checking their order reads each one's vector).
 * The planner's estimate of how many items use the words picks the way to try first (see chooseWay).
 * All give the same candidates, the newest matches. Only the page of results shown gets a ts_headline
 * snippet, from the item's best-matching text (its own or one file's).
 * Scope: one assessment, or every assessment the person may see (the assessments policy's own scope).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { withinScope } from '../assessments/index.js';
import type { AssessmentScope } from '../assessments/index.js';
import { assessments } from '../../db/schema.js';
import { queryRows } from './evidence.repository.js';
import { evidenceItems, type EvidenceKind } from './evidence.tables.js';

/** Private-use characters around each match: nothing in real text, so the page can escape then mark. */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

export interface SearchFilters {
  q: string;
  kind?: EvidenceKind | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  limit: number;
}

export interface SearchHit {
  itemId: string;
  assessmentId: string;
  assessmentTitle: string;
  title: string;
  kind: EvidenceKind;
  source: string | null;
  evidenceDate: string | null;
  rank: number;
  fileId: string | null;
  snippet: string;
}

/** How many matching items, the newest, are ranked at most: enough for a page of the best, cheap to rank. */
export const SEARCH_CANDIDATES = 1000;

/**
 * The walk is tried for words the planner expects in at least 1 in this many items, and reads at most this
 * many rows per candidate before giving way to the GIN index. Walking reads each row's vector, the GIN way
 * only each match's row: past a quarter of the items, walking is cheaper.
 */
const WALK_ROWS_PER_CANDIDATE = 4;

export type SearchPlace = { assessmentId: string } | { scope: AssessmentScope };

export interface SearchResult {
  hits: SearchHit[];
  /** Items matching, counted up to the cap. */
  matches: number;
  /** More than `matches` items match: the hits are the best of the newest `matches`. */
  capped: boolean;
}

type SearchRow = Omit<SearchHit, 'rank'> & { rank: number | string; matches: number | string };

export async function searchEvidence(
  db: Database,
  where: SearchPlace,
  filters: SearchFilters,
  cap = SEARCH_CANDIDATES,
): Promise<SearchResult> {
  if (filters.q.trim() === '') return { hits: [], matches: 0, capped: false };
  return db.transaction(async (tx) => {
    const way = await chooseWay(tx, filters.q);
    const walked = way === 'index' ? undefined : await searchWay(tx, where, filters, cap, way);
    return walked ?? (await searchWay(tx, where, filters, cap, 'index'))!;
  });
}

/**
 * The search one way; the bounded walk answers only when it found more than `cap` matches (else undefined:
 * the GIN way then finds them all). Exported for the tests, which check that the ways agree.
 */
export async function searchWay(
  db: Database,
  where: SearchPlace,
  filters: SearchFilters,
  cap: number,
  way: SearchWay,
): Promise<SearchResult | undefined> {
  if (way === 'index') {
    for (const setting of INDEX_PLANNER_SETTINGS) await db.execute(sql.raw(`set local ${setting}`));
  }
  const rows = await queryRows<SearchRow>(db, searchSql(where, filters, cap, way));
  if (way === 'walk' && rows.length === 0) return undefined;
  const matched = Number(rows[0]?.matches ?? 0);
  return {
    hits: rows.map(({ matches: _, ...row }) => ({ ...row, rank: Number(row.rank) })),
    matches: Math.min(matched, cap),
    capped: matched > cap,
  };
}

/**
 * The way to try first, from the planner's estimate (from the statistics of the words in `document`: a
 * planning step, no rows read) of the share of all items using the words: the walk if it is likely to find
 * its candidates within its bound, else the GIN way. Without statistics (a new or small database) the
 * planner estimates few, and the GIN way is taken. A phrase (`"a b"`, or hyphenated words) of words most
 * items use is walked to the end if need be: the GIN index finds only the items having the words, and
 * reading each one's vector to check their order costs more than walking.
 */
export async function chooseWay(db: Database, q: string): Promise<SearchWay> {
  const answers: (number | boolean)[] = [];
  for (const query of choiceSql(q)) {
    // one after another: a transaction's connection takes one query at a time
    const [row] = await queryRows<{ 'QUERY PLAN'?: [{ Plan: { 'Plan Rows': number } }]; phrase?: boolean }>(db, query);
    answers.push(row!.phrase ?? row!['QUERY PLAN']![0].Plan['Plan Rows']);
  }
  const [matching, all, phrase] = answers;
  if (Number(matching) * WALK_ROWS_PER_CANDIDATE < Number(all)) return 'index';
  return phrase ? 'walk all' : 'walk';
}

/** What chooseWay asks: the estimates of the items matching and of all items; phrase or not (for the bench). */
export function choiceSql(q: string): SQL[] {
  return [
    sql`explain (format json) select from ${evidenceItems} where ${evidenceItems.document} @@ websearch_to_tsquery('english', ${q})`,
    sql`explain (format json) select from ${evidenceItems}`,
    sql`select position('<' in websearch_to_tsquery('english', ${q})::text) > 0 as phrase`,
  ];
}

/**
 * For the GIN way: the planner does not count reading a vector to test a row, so for a word of middling
 * use it would walk the newest items (or scan them all) where the GIN bitmap reads no vector.
 */
export const INDEX_PLANNER_SETTINGS = ['enable_seqscan = off', 'enable_indexscan = off'];

/**
 * How the candidates are found: `walk` reads at most WALK_ROWS_PER_CANDIDATE × cap rows and answers only
 * when it found more than `cap` (else no rows); `walk all` reads as far as it needs; `index`, the GIN way.
 */
export type SearchWay = 'walk' | 'walk all' | 'index';

/** The search query (exported for the benchmark, which runs the very same text in psql). */
export function searchSql(where: SearchPlace, filters: SearchFilters, cap: number, way: SearchWay): SQL {
  const place =
    ('assessmentId' in where ? sql`${assessments.id} = ${where.assessmentId}` : withinScope(where.scope)) ?? sql`true`;
  const itemConditions = [
    filters.kind ? sql`i.kind = ${filters.kind}` : undefined,
    filters.from ? sql`i.evidence_date >= ${filters.from}` : undefined,
    filters.to ? sql`i.evidence_date <= ${filters.to}` : undefined,
  ].filter((c): c is SQL => c !== undefined);
  const item = itemConditions.length ? sql.join(itemConditions, sql` and `) : sql`true`;
  // (offset 0, when walking as far as needed, keeps the planner from moving the test into the walk: GIN again)
  const bound = way === 'walk' ? sql`limit ${cap * WALK_ROWS_PER_CANDIDATE}` : sql`offset 0`;
  // the walk: one assessment's items newest first (its index); across assessments, the newest of each
  // assessment in scope merged; the newest tested in turn
  const newest =
    'assessmentId' in where
      ? sql`select i.id, i.created_at, i.document from evidence_items i
            where i.assessment_id = ${where.assessmentId} and ${item}`
      : sql`select i.id, i.created_at, i.document
            from ${assessments} cross join lateral (
              select i.id, i.created_at, i.document from evidence_items i
              where i.assessment_id = ${assessments.id} and ${item}
              order by i.created_at desc, i.id desc ${bound}) i
            where ${place}`;
  const matched =
    way !== 'index'
      ? sql`
      select w.id, w.created_at, w.document
      from (${newest} order by i.created_at desc, i.id desc ${bound}) w
      where w.document @@ (select q.q from q)
      order by w.created_at desc, w.id desc
      limit ${cap + 1}`
      : sql`
      select i.id, i.created_at, i.document
      from evidence_items i join ${assessments} on ${assessments.id} = i.assessment_id, q
      where i.document @@ q.q and ${place} and ${item}
      order by i.created_at desc, i.id desc
      limit ${cap + 1}`;
  const options = `MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=" … ", StartSel=${MARK_START}, StopSel=${MARK_END}`;
  return sql`
    with q as (select websearch_to_tsquery('english', ${filters.q}) as q),
    matched as (${matched}),
    page as (
      select m.id, m.created_at, ts_rank(m.document, q.q) as rank
      from (select * from matched order by created_at desc, id desc limit ${cap}) m, q
      where ${way === 'walk' ? sql`(select count(*) from matched) > ${cap}` : sql`true`}
      order by rank desc, m.created_at desc, m.id desc
      limit ${filters.limit}
    )
    select page.id as "itemId", i.assessment_id as "assessmentId", ${assessments.title} as "assessmentTitle",
           i.title, i.kind, i.source, i.evidence_date::text as "evidenceDate",
           page.rank::float8 as rank, best.file_id as "fileId",
           ts_headline('english', coalesce(best.body, concat_ws(' — ', i.title, i.source, i.notes)),
                       q.q, ${options}) as snippet,
           (select count(*) from matched) as matches
    from page
    join evidence_items i on i.id = page.id
    join ${assessments} on ${assessments.id} = i.assessment_id
    cross join q
    -- the snippet comes from the item's own text or the file matching best; neither matches alone
    -- when the words are spread over them, and then the item's own text is shown
    left join lateral (
      select parts.file_id, parts.body from (
        select null::uuid as file_id, concat_ws(' — ', i.title, i.source, i.notes) as body,
               ts_rank(i.search, q.q) as rank
        where i.search @@ q.q
        union all
        select f.id, f.extracted_text, ts_rank(f.search, q.q)
        from evidence_item_files j join evidence_files f on f.id = j.file_id
        where j.item_id = page.id and f.search @@ q.q
      ) parts
      order by parts.rank desc limit 1
    ) best on true
    order by page.rank desc, page.created_at desc, page.id desc`;
}
