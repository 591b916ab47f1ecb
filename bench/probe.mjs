/**
 * Where a page's time goes: load with `node --import ./bench/probe.mjs bench/assessment-pages.mjs` and
 * the benchmark also prints, per request, the time spent rendering templates and the number of queries.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const nunjucks = require('nunjucks');
const pg = require('pg');

let renderMs = 0;
let queries = 0;
let statements = []; // with PROBE_SQL=1, the text of each query, to see which a page runs

const render = nunjucks.Environment.prototype.render;
nunjucks.Environment.prototype.render = function (...args) {
  const started = performance.now();
  try {
    return render.apply(this, args);
  } finally {
    renderMs += performance.now() - started;
  }
};
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  queries++;
  if (process.env.PROBE_SQL) statements.push(typeof args[0] === 'string' ? args[0] : args[0]?.text);
  return query.apply(this, args);
};

globalThis.__kloeProbe = {
  reset() {
    renderMs = 0;
    queries = 0;
    statements = [];
  },
  read: () => ({ renderMs, queries, statements }),
};
