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
  return query.apply(this, args);
};

globalThis.__kloeProbe = {
  reset() {
    renderMs = 0;
    queries = 0;
  },
  read: () => ({ renderMs, queries }),
};
