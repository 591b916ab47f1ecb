/**
 * The chromium tests drive and print with: Debian's headless shell (package chromium-headless-shell) when it is
 * installed, Debian's chromium otherwise; CHROMIUM_PATH names another. The headless shell is the same chromium
 * built for automation, without the windowing layers of the full browser, so the same pages cost the machine
 * much less; it is what Playwright and Puppeteer run headless by default.
 */
import fs from 'node:fs';

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

export const TEST_CHROMIUM =
  process.env.CHROMIUM_PATH ?? (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');
