/**
 * Full-text search of evidence with PostgreSQL (the same on PGlite): websearch_to_tsquery over the
 * items' own text (title, source, notes) and their files' extracted text, each with a GIN index; an
 * item ranks by its best match (ts_rank), and only the page of results shown gets a ts_headline snippet
 * (headlines re-read the text, the costly part). Scope: one assessment, or every assessment the person
 * may see (the assessments policy's own scope, as a condition).
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

export async function searchEvidence(
  db: Database,
  where: { assessmentId: string } | { scope: AssessmentScope },
  filters: SearchFilters,
): Promise<SearchHit[]> {
  if (filters.q.trim() === '') return [];
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
  const rows = await queryRows<Omit<SearchHit, 'rank'> & { rank: number | string }>(
    db,
    sql`
    with q as (select websearch_to_tsquery('english', ${filters.q}) as q),
    hits as (
      select i.id as item_id, ts_rank(i.search, q.q) as rank, null::uuid as file_id
      from evidence_items i, q where i.search @@ q.q
      union all
      select j.item_id, ts_rank(f.search, q.q), f.id
      from evidence_files f join evidence_item_files j on j.file_id = f.id, q where f.search @@ q.q
    ),
    best as (select distinct on (item_id) item_id, rank, file_id from hits order by item_id, rank desc),
    page as (
      select best.*, i.title, i.kind, i.source, i.evidence_date, i.notes, i.assessment_id,
             ${assessments.title} as assessment_title
      from best
      join evidence_items i on i.id = best.item_id
      join ${assessments} on ${assessments.id} = i.assessment_id
      where ${filter}
      order by best.rank desc, i.created_at desc
      limit ${filters.limit}
    )
    select page.item_id as "itemId", page.assessment_id as "assessmentId", page.assessment_title as "assessmentTitle",
           page.title, page.kind, page.source, page.evidence_date::text as "evidenceDate",
           page.rank::float8 as rank, page.file_id as "fileId",
           ts_headline('english',
             coalesce((select extracted_text from evidence_files where id = page.file_id),
                      concat_ws(' — ', page.title, page.source, page.notes)),
             q.q, ${options}) as snippet
    from page, q
    order by page.rank desc`,
  );
  return rows.map((row) => ({ ...row, rank: Number(row.rank) }));
}
