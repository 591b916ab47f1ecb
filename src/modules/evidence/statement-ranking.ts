/**
 * Which statements an evidence item bears on, ranked: Okapi BM25 with the statements of the assessment's
 * framework as the collection and the item's words (its stored vector: title, source, notes and its files'
 * extracted text, PostgreSQL's English stems) as the query. The same SQL on PostgreSQL and PGlite.
 *
 * A statement scores, for each stem it shares with the evidence,
 *     idf × tf × (k1 + 1) / (tf + k1 × (1 − b + b × length / average length))
 * where tf is how often the statement uses the stem, length the statement's stems counted, and
 *     idf = ln(1 + (N − df + 0.5) / (df + 0.5))
 * with N the statements and df how many of them use the stem. A word most statements use ("service",
 * "priority") weighs little, a rare one ("procurement", "succession") much; tf saturates, and a long
 * statement is not favoured for its length nor a short one for its shortness. A statement's sub-items
 * ("… as a result of:" and its list) are part of its text. Each evidence stem counts once: a long document
 * repeating a word is no more about a statement than one saying it once.
 *
 * The stems that weighed most are returned with each statement, so the page can show the passage of the
 * evidence that triggered the suggestion (ts_headline over them).
 */
import { sql, type SQL } from 'drizzle-orm';

/** The usual BM25 parameters (Robertson and Zaragoza); not tuned to the benchmark's passages. */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

/** How many of a suggestion's stems pick its passage. */
export const PASSAGE_STEMS = 6;

export interface RankableStatement {
  ref: string;
  /** The statement's text with its sub-items'. */
  text: string;
}

/** A statement's own text and its sub-items', as the ranking reads it. */
export const rankableText = (statement: { text: string; items?: { text: string }[] | undefined }) =>
  [statement.text, ...(statement.items ?? []).map((item) => item.text)].join(' ');

/**
 * The ranking of `statements` for the evidence vector `document` (an SQL expression of type tsvector):
 * rows of { ref, score, stems } best first, at most `limit`, only statements sharing a stem with it.
 */
export function rankStatementsSql(document: SQL, statements: RankableStatement[], limit: number): SQL {
  // Constants of this module, written into the text: as parameters the planner would type them integer.
  const [k1, b] = [sql.raw(BM25.k1.toFixed(4)), sql.raw(BM25.b.toFixed(4))];
  return sql`
    with doc as (
      select distinct u.lexeme from unnest(${document}) as u
    ), st as (
      select s.ref, u.lexeme, coalesce(array_length(u.positions, 1), 1)::float8 as tf
      from jsonb_to_recordset(${JSON.stringify(statements)}::jsonb) as s(ref text, text text)
      cross join lateral unnest(to_tsvector('english', s.text)) as u
    ), len as (
      select ref, sum(tf) as dl from st group by ref
    ), stats as (
      select ${statements.length}::int::float8 as n, avg(dl) as avgdl from len
    ), df as (
      select lexeme, count(*)::float8 as df from st group by lexeme
    ), scored as (
      select st.ref, st.lexeme,
        ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
          * st.tf * (${k1} + 1) / (st.tf + ${k1} * (1 - ${b} + ${b} * len.dl / stats.avgdl)) as w
      from st join doc using (lexeme) join df using (lexeme) join len using (ref) cross join stats
    )
    select ref, sum(w)::float8 as score, (array_agg(lexeme order by w desc, lexeme))[1:${sql.raw(String(PASSAGE_STEMS))}] as stems
    from scored
    group by ref
    order by score desc, ref
    limit ${limit}`;
}
