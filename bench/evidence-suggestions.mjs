#!/usr/bin/env node
/**
 * Benchmark: how well kloe suggests the statements an evidence item bears on, on a labelled set of passages
 * written the way inspectors write (bench/data/suggestion-passages.json, each labelled with its KLOE). For
 * the ranking kloe had before (ts_rank of the evidence against each statement's words OR-ed, statements
 * without their sub-items) and kloe's ranking now (BM25 with IDF over the statements and their sub-items,
 * src/modules/evidence/statement-ranking.ts), prints:
 *   top-1  the share of passages whose first suggestion is a statement of the right KLOE;
 *   top-3  the share with a statement of the right KLOE among the first three;
 *   MRR    the mean of 1 / the rank of the first statement of the right KLOE (0 when none is ranked);
 *   hubs   the statements most often among the five suggestions kloe keeps, and how often wrongly.
 * Runs the very SQL kloe runs, on PGlite (in memory) and, when a server answers, on PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres): the figures should agree.
 *
 *   npm run build && node bench/evidence-suggestions.mjs
 *
 * Prints figures; asserts nothing.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';

const dist = new URL('../dist/', import.meta.url);
const load = (file) => import(new URL(file, dist).href);
const { leafKloes } = await load('modules/frameworks/framework.tree.js');
const { rankStatementsSql, rankableText } = await load('modules/evidence/statement-ranking.js');

const framework = JSON.parse(fs.readFileSync(new URL('../frameworks/audit-commission-j2.json', import.meta.url)));
const { passages } = JSON.parse(fs.readFileSync(new URL('./data/suggestion-passages.json', import.meta.url)));
const statements = leafKloes(framework).flatMap((leaf) =>
  leaf.kloe.descriptors.flatMap((d) => d.statements.map((s) => ({ ...s, kloe: leaf.kloe.ref }))),
);
const kloeOf = new Map(statements.map((s) => [s.ref, s.kloe]));
const KEPT = 5; // the suggestions kloe keeps per item
const ALL = statements.length;

/** kloe's ranking before BM25, as it was in evidence.repository.ts (statements without their sub-items). */
const oldRanking = (document, limit) => sql`
  with doc as (select ${document} as v), statements as (
    select s.ref, nullif(replace(plainto_tsquery('english', s.text)::text, ' & ', ' | '), '')::tsquery as q
    from jsonb_to_recordset(${JSON.stringify(statements.map(({ ref, text }) => ({ ref, text })))}::jsonb) as s(ref text, text text)
  )
  select statements.ref, ts_rank(doc.v, statements.q)::float8 as score
  from doc, statements
  where statements.q is not null and doc.v @@ statements.q
  order by score desc, statements.ref
  limit ${limit}`;

const rankings = {
  'before (ts_rank, words OR-ed)': (document) => oldRanking(document, ALL),
  'now (BM25 with IDF, sub-items)': (document) =>
    rankStatementsSql(
      document,
      statements.map((s) => ({ ref: s.ref, text: rankableText(s) })),
      ALL,
    ),
};

const dialect = new PgDialect();
async function measure(name, query) {
  const figures = {};
  for (const [label, ranking] of Object.entries(rankings)) {
    let top1 = 0;
    let top3 = 0;
    let reciprocal = 0;
    const inTopFive = new Map();
    for (const passage of passages) {
      const { sql: text, params } = dialect.sqlToQuery(ranking(sql`to_tsvector('english', ${passage.text})`));
      const refs = (await query(text, params)).map((row) => row.ref);
      const first = refs.findIndex((ref) => kloeOf.get(ref) === passage.kloe);
      if (first === 0) top1++;
      if (first >= 0 && first < 3) top3++;
      if (first >= 0) reciprocal += 1 / (first + 1);
      for (const ref of refs.slice(0, KEPT)) {
        const seen = inTopFive.get(ref) ?? { all: 0, wrong: 0 };
        seen.all++;
        if (kloeOf.get(ref) !== passage.kloe) seen.wrong++;
        inTopFive.set(ref, seen);
      }
    }
    const n = passages.length;
    const hubs = [...inTopFive.entries()].sort((a, b) => b[1].all - a[1].all).slice(0, 3);
    figures[label] = {
      'top-1': `${((100 * top1) / n).toFixed(1)}% (${top1}/${n})`,
      'top-3': `${((100 * top3) / n).toFixed(1)}% (${top3}/${n})`,
      MRR: (reciprocal / n).toFixed(3),
      hubs: hubs.map(([ref, s]) => `${ref} ${s.all}× (${s.wrong} wrong)`).join(', '),
    };
  }
  console.log(`\n${name}: ${passages.length} passages, ${statements.length} statements`);
  console.table(figures);
}

const lite = new PGlite();
await measure('PGlite', async (text, params) => (await lite.query(text, params)).rows);
await lite.close();

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const client = new pg.Client({ connectionString: url });
try {
  await client.connect();
} catch (error) {
  console.log(`\nPostgreSQL: no server at ${url} (${error.message}); PGlite only.`);
  process.exit(0);
}
await measure(
  `PostgreSQL (${(await client.query('show server_version')).rows[0].server_version})`,
  async (text, params) => (await client.query(text, params)).rows,
);
await client.end();
