#!/usr/bin/env node
// The kloe command runs the compiled build; `npm run build` (or `npm start`) makes it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('kloe: not built yet; run `npm run build` (or `npm start`) first');
  process.exit(1);
}
await import(entry.href);
