#!/usr/bin/env -S node --max-semi-space-size=64
// The kloe command runs the compiled build; `npm run build` (or `npm start`) makes it.
// --max-semi-space-size=64 (MB; V8's default is 16): a page or an import allocates megabytes of short-lived
// objects, and a young generation that small promotes many of them, so collecting them takes a large share of
// a page's CPU. The flag is V8's, read only at start, so it is given here and in package.json.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('kloe: not built yet; run `npm run build` (or `npm start`) first');
  process.exit(1);
}
// Before anything else loads: Node's resolution, remembered per directory (src/resolution-memo.ts).
const { registerResolutionMemo } = await import(new URL('../dist/resolution-memo.js', import.meta.url).href);
registerResolutionMemo();
await import(entry.href);
