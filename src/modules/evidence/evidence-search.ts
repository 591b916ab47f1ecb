/**
 * Full-text search of evidence with PostgreSQL (the same on PGlite): websearch_to_tsquery over what an item
 * says — its own text (title, source, notes) and its files' extracted text, one GIN index over both.
 *
 * Ranking reads each candidate's tsvector (de-TOASTed, a few KB), so it is capped: the GIN index finds every
 * match in scope without reading a vector, the newest `cap` of them are the candidates, and only those are
 * ranked (ts_rank); when more match, the result says so (the page asks for more words). Only the page of
 * results shown gets a ts_headline snippet, from the item's best-matching text (its own or one file's).
 * Scope: one assessment, or every assessment the person may see (the assessments policy's own scope).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { withinScope } from '../assessments/assessments.repository.js';
import type { AssessmentScope } from '../assessments/assessments.policy.js';
import { assessments } from '../assessments/assessments.tables.js';
import { queryRows } from './evidence.repository.js';
import type { EvidenceKind } from './evidence.tables.js';

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
export const SEARCH_CANDIDATES = 2000;

export type SearchPlace = { assessmentId: string } | { scope: AssessmentScope };

export interface SearchResult {
  hits: SearchHit[];
  /** Items matching, counted up to the cap. */
  matches: number;
  /** More than `matches` items match: the hits are the best of the newest `matches`. */
  capped: boolean;
}

export async function searchEvidence(
  db: Database,
  where: SearchPlace,
  filters: SearchFilters,
  cap = SEARCH_CANDIDATES,
): Promise<SearchResult> {
  if (filters.q.trim() === '') return { hits: [], matches: 0, capped: false };
  const rows = await db.transaction(async (tx) => {
    for (const setting of SEARCH_PLANNER_SETTINGS) await tx.execute(sql.raw(`set local ${setting}`));
    return queryRows<Omit<SearchHit, 'rank'> & { rank: number | string; matches: number | string }>(
      tx,
      searchSql(where, filters, cap),
    );
  });
  const matched = Number(rows[0]?.matches ?? 0);
  return {
    hits: rows.map(({ matches: _, ...row }) => ({ ...row, rank: Number(row.rank) })),
    matches: Math.min(matched, cap),
    capped: matched > cap,
  };
}

/**
 * The planner does not count de-TOASTing a vector to test a row: for a common word it would read every
 * row's vector (a sequential scan, or walking the date index), where the GIN bitmap reads none.
 */
export const SEARCH_PLANNER_SETTINGS = ['enable_seqscan = off', 'enable_indexscan = off'];

/** The search query (exported for the benchmark, which runs the very same text in psql). */
export function searchSql(where: SearchPlace, filters: SearchFilters, cap: number): SQL {
  const place: SQL | undefined =
    'assessmentId' in where ? sql`i.assessment_id = ${where.assessmentId}` : withinScope(where.scope);
  const conditions = [
    place,
    filters.kind ? sql`i.kind = ${filters.kind}` : undefined,
    filters.from ? sql`i.evidence_date >= ${filters.from}` : undefined,
    filters.to ? sql`i.evidence_date <= ${filters.to}` : undefined,
  ].filter((c): c is SQL => c !== undefined);
  const filter = conditions.length ? sql.join(conditions, sql` and `) : sql`true`;
  const options = `MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=" … ", StartSel=${MARK_START}, StopSel=${MARK_END}`;
  return sql`
    with q as (select websearch_to_tsquery('english', ${filters.q}) as q),
    matched as (
      select i.id, i.created_at, i.search, i.files_search
      from evidence_items i join ${assessments} on ${assessments.id} = i.assessment_id, q
      where (i.search || i.files_search) @@ q.q and ${filter}
      order by i.created_at desc, i.id desc
      limit ${cap + 1}
    ),
    page as (
      select m.id, m.created_at, ts_rank(m.search || m.files_search, q.q) as rank
      from (select * from matched order by created_at desc, id desc limit ${cap}) m, q
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
