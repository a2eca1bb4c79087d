/*
 * The service worker: keeps the calculator working offline once it has been opened over http(s).
 * It only ever serves this app's own files (the one-file page, its manifest and icons) and sends
 * nothing anywhere; the page computes everything itself. Registered by page-shell.js.
 *
 * Strategy: cache-first for the app shell. On install it downloads the shell into a cache named
 * after the build; scripts/build-page.js replaces the BUILD line below with a content hash of the
 * built files, so every rebuild changes this file. The browser compares this file byte for byte
 * on each visit, so after a rebuild the next reload still shows the cached page but installs the
 * new worker, which takes over at once (skipWaiting + clients.claim) and deletes the old caches;
 * the page then says that a new version is ready, and the reload after that shows it. Cache-first
 * (rather than network-first) means the page opens instantly and the same way with a slow, flaky
 * or absent network; the page is a single file with everything inlined, so replacing the cache
 * under an open page cannot break it.
 */
'use strict';

const BUILD = { version: 'dev', files: ['customer-value-calculator.html'] };
const PREFIX = 'cvc-shell-';
const CACHE = PREFIX + BUILD.version;
const PAGE = 'customer-value-calculator.html';

/** The shell file (relative to the worker's scope) a request is for, or null if it is not ours. */
function shellFile(request) {
  if (request.method !== 'GET') return null;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  const name = url.pathname.slice(scope.pathname.length);
  // "/" serves the page too (scripts/serve.js), and a query or hash never changes the file.
  if (name === '' && request.mode === 'navigate') return PAGE;
  return BUILD.files.includes(name) ? name : null;
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    // cache: 'reload' skips the HTTP cache, so the shell is the one on the server now.
    .then((cache) => cache.addAll(BUILD.files.map((name) => new Request(name, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const name = shellFile(event.request);
  if (!name) return; // not a shell file: the browser handles it as if there were no worker
  event.respondWith(caches.open(CACHE)
    .then((cache) => cache.match(name))
    .then((hit) => hit || fetch(event.request)));
});
