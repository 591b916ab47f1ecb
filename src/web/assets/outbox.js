// Saves made offline (docs/fieldwork-on-a-phone.md). While the browser is offline, the KLOE form (findings,
// notes, ratings) and the photo form are kept in IndexedDB instead of being posted, each with the KLOE
// version it was made on. When the network returns, they are posted as the forms would have been, oldest
// first: a save that someone else's beat is answered 409 with the KLOE page showing both versions, as any
// save is, and that page is shown. A KLOE saved twice offline is kept once, as last saved (the form holds it
// whole); photos are kept one by one. Sign-out empties the outbox with the rest of what the device keeps.
import { initAll } from './govuk-frontend.min.js';
import { clear, createStore, del, entries, set } from './idb-keyval.js';
import { labelNarrowTables } from './narrow-tables.js';
import { initStatementStepper } from './statement-stepper.js';

const store = createStore('kloe-outbox', 'saves');
/** The forms that are kept offline: the KLOE page's and the photo forms. */
const KEPT = new Set(['kloe-work', 'kloe-photo']);

let started = false;
let flushing;

function statusBox() {
  let box = document.getElementById('kloe-outbox');
  if (!box) {
    box = document.createElement('div');
    box.id = 'kloe-outbox';
    box.className = 'govuk-inset-text kloe-outbox';
    box.setAttribute('role', 'status');
    box.hidden = true;
    document.querySelector('main')?.prepend(box);
  }
  return box;
}

function say(text) {
  const box = statusBox();
  box.textContent = text;
  box.hidden = text === '';
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

async function pending() {
  return (await entries(store)).sort(([, a], [, b]) => a.savedAt.localeCompare(b.savedAt));
}

async function describe() {
  const waiting = (await pending()).length;
  if (waiting > 0) {
    say(
      `${plural(waiting, 'save is', 'saves are')} kept on this device and will be sent to kloe when you are back online.`,
    );
  } else if (!navigator.onLine) {
    say('You are offline. What you save is kept on this device and sent when you are back online.');
  } else {
    say('');
  }
}

/** The form's fields as the browser would send them, with the button pressed; files stay files. */
function fieldsOf(form, submitter) {
  return [...new FormData(form, submitter ?? undefined).entries()];
}

async function keep(event) {
  const form = event.target;
  if (navigator.onLine || !(form instanceof HTMLFormElement) || !KEPT.has(form.id)) return;
  if (form.method.toLowerCase() !== 'post') return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const fields = fieldsOf(form, event.submitter);
  const multipart = form.enctype === 'multipart/form-data';
  const photo = fields.find(([name, value]) => name === 'photo' && value instanceof File && value.size > 0);
  if (multipart && !photo) {
    say('Take a photo or choose one first.');
    return;
  }
  // One entry per KLOE form (the last save of it holds everything); one per photo.
  const key = multipart ? `photo ${Date.now()} ${Math.random()}` : `form ${form.action}`;
  await set(key, { action: form.action, multipart, fields, savedAt: new Date().toISOString() }, store);
  if (multipart) {
    for (const input of form.elements) if (input.type === 'file' || input.tagName === 'TEXTAREA') input.value = '';
  }
  await describe();
  statusBox().scrollIntoView({ block: 'nearest' });
  const then = fields.find(([name]) => name === 'then')?.[1];
  const nextKloe = document.querySelector('.govuk-pagination__next a');
  if (then === 'next' && nextKloe) location.assign(nextKloe.href);
}

/** A page kloe answered with (a conflict's both versions, or the form with its error summary), shown here. */
function showPage(html) {
  const page = new DOMParser().parseFromString(html, 'text/html');
  document.title = page.title;
  document.body.replaceWith(document.adoptNode(page.body));
  document.body.classList.add('js-enabled', 'govuk-frontend-supported');
  // Scripts parsed this way never run: the page's own modules are loaded already and run again on it.
  initAll();
  labelNarrowTables(document);
  initStatementStepper(document);
  initOutbox(document);
  window.scrollTo(0, 0);
}

async function send(entry) {
  const strings = entry.fields.filter(([, value]) => typeof value === 'string');
  let body;
  if (entry.multipart) {
    body = new FormData();
    for (const [name, value] of entry.fields) body.append(name, value);
  } else {
    body = new URLSearchParams(strings);
  }
  return fetch(entry.action, { method: 'POST', body, credentials: 'same-origin' });
}

async function flushNow() {
  let answer; // the first page that is not a plain success: a conflict, or the form refused
  const sent = [];
  for (const [key, entry] of await pending()) {
    let response;
    try {
      response = await send(entry);
    } catch {
      break; // offline again: the rest waits
    }
    if (response.redirected && new URL(response.url).pathname.startsWith('/sign-in')) {
      say('Sign in again to send the saves kept on this device.');
      return;
    }
    if (response.status >= 500 || response.status === 429) break; // kloe is busy: try again later
    await del(key, store);
    sent.push(new URL(entry.action).pathname);
    if (!response.ok && !answer) answer = await response.text();
  }
  // The pages kept for offline use were read before these saves: the worker reads them again.
  const kloePages = sent.map((path) => path.replace(/\/photos$/, ''));
  navigator.serviceWorker?.controller?.postMessage({ type: 'keep', urls: kloePages, again: true });
  if (answer) {
    showPage(answer);
    return;
  }
  await describe();
  if (sent.length > 0) {
    // What is on screen was read before the saves arrived: read it again, with their new versions.
    if (document.querySelector('form#kloe-work, form#kloe-photo')) location.reload();
    else
      say(
        `${plural(sent.length, 'save', 'saves')} made offline ${sent.length === 1 ? 'has' : 'have'} been sent to kloe.`,
      );
  }
}

/** Sends what is kept, once at a time. */
export function flush() {
  flushing ??= flushNow().finally(() => (flushing = undefined));
  return flushing;
}

/** The KLOE form of this page as it was last saved offline, so that a page opened again shows it. */
async function restore(root) {
  const form = root.querySelector('form#kloe-work');
  if (!form) return;
  const kept = (await pending()).find(([key]) => key === `form ${form.action}`)?.[1];
  if (!kept) return;
  const values = new Map();
  for (const [name, value] of kept.fields) if (!values.has(name)) values.set(name, value);
  for (const input of form.elements) {
    if (!input.name || input.type === 'submit' || input.tagName === 'BUTTON') continue;
    const value = values.get(input.name);
    if (input.type === 'radio' || input.type === 'checkbox') input.checked = value === input.value;
    else if (value !== undefined) input.value = value;
  }
}

export function initOutbox(root) {
  if (!('indexedDB' in window)) return;
  if (!started) {
    started = true;
    // Capture: before any other submit handler (upload progress) sees a form that is kept instead.
    document.addEventListener('submit', (event) => void keep(event), true);
    window.addEventListener('online', () => void flush());
    window.addEventListener('offline', () => void describe());
    document.addEventListener(
      'submit',
      (event) => {
        if (event.target.action && new URL(event.target.action).pathname === '/sign-out') void clear(store);
      },
      true,
    );
  }
  void restore(root).then(describe);
  if (navigator.onLine) void flush();
}

/**
 * On a page of an assessment, asks the service worker to keep the assessment's KLOE pages (and the pages
 * linked from its header), so that an inspector who opened it online can go on with any KLOE offline.
 */
export function keepAssessmentOffline(root, worker) {
  const match = /^\/assessments\/([0-9a-f-]{36})/.exec(location.pathname);
  if (!worker || !match || !navigator.onLine) return;
  const base = `/assessments/${match[1]}`;
  const urls = [...root.querySelectorAll(`a[href^="${base}"]`)]
    .map((a) => new URL(a.href).pathname)
    .filter((path) => path === base || path.startsWith(`${base}/kloes/`) || path === `${base}/scorecard`);
  worker.postMessage({ type: 'keep', urls: [...new Set(urls)] });
}
