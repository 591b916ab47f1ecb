// kloe's service worker (docs/fieldwork-on-a-phone.md): pages and assets are fetched from the network
// first, and a copy kept, so that a page opened online opens again offline. Saves are not its business:
// outbox.js keeps them while offline and sends them on return. Signing out forgets every page kept.
const PAGES = 'kloe-pages-v1';
const ASSETS = 'kloe-assets-v1';
const SHELL = [
  '/assets/kloe.css',
  '/assets/govuk-frontend.min.js',
  '/assets/init.js',
  '/assets/upload-progress.js',
  '/assets/fieldwork.js',
  '/assets/narrow-tables.js',
  '/assets/statement-stepper.js',
  '/assets/outbox.js',
  '/assets/idb-keyval.js',
  '/assets/kloe-icon.svg',
  '/manifest.webmanifest',
];
/** Pages never kept: signing in, first-run setup, the API, downloads. */
const NOT_KEPT = /^\/(sign-in|setup|api|health)(\/|$)|\/files\/|\.(pdf|docx|csv|json|zip)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== PAGES && n !== ASSETS).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

const offlinePage = () =>
  new Response(
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<title>Offline – kloe</title><link rel="stylesheet" href="/assets/kloe.css"></head><body class="govuk-template__body">' +
      '<main class="govuk-main-wrapper govuk-width-container" id="main-content"><h1 class="govuk-heading-l">You are offline</h1>' +
      '<p class="govuk-body">This page was not opened on this device while it was online, so it cannot be shown now.</p>' +
      '<p class="govuk-body">Pages of an assessment you opened online are kept: go back to one of them.</p></main></body></html>',
    { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );

async function keepPage(request, response) {
  const type = response.headers.get('content-type') ?? '';
  if (response.ok && !response.redirected && type.startsWith('text/html')) {
    await (await caches.open(PAGES)).put(request, response.clone());
  }
  return response;
}

async function page(request) {
  try {
    return await keepPage(request, await fetch(request));
  } catch {
    return (await caches.match(request, { cacheName: PAGES, ignoreVary: true })) ?? offlinePage();
  }
}

async function asset(request) {
  try {
    const response = await fetch(request);
    if (response.ok) await (await caches.open(ASSETS)).put(request, response.clone());
    return response;
  } catch {
    return (await caches.match(request, { cacheName: ASSETS, ignoreVary: true })) ?? Response.error();
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/sign-out') {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== 'GET' || NOT_KEPT.test(url.pathname)) return;
  if (url.pathname.startsWith('/assets/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(asset(request));
  } else if (request.mode === 'navigate' || (request.headers.get('accept') ?? '').includes('text/html')) {
    event.respondWith(page(request));
  }
});

// keep: the pages of an assessment a page asks for (outbox.js), fetched now unless already kept (or, with
// again, fetched anew: saves made offline have just changed them).
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'keep' || !Array.isArray(event.data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(PAGES);
      for (const path of event.data.urls.slice(0, 40)) {
        const url = new URL(path, self.location.origin);
        if (url.origin !== self.location.origin || NOT_KEPT.test(url.pathname)) continue;
        if (!event.data.again && (await cache.match(url, { ignoreVary: true }))) continue;
        const request = new Request(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
        try {
          await keepPage(request, await fetch(request));
        } catch {
          return; // offline again
        }
      }
    })(),
  );
});
