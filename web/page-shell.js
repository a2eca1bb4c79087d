/*
 * The page around the calculator, once per document (not per calculator instance): the "Print
 * report" button, and offline use over http(s).
 *
 * Offline use: served over http(s) in a secure context (https, or http on localhost), the page
 * registers sw.js, which keeps the page, its manifest and icons in a cache so it opens with no
 * network next time; once registered, it links the web app manifest so browsers can install it.
 * Opened from file:// (a saved or mailed copy) none of this runs: that file already works offline,
 * and nothing is requested or logged. Inside an iframe the worker is registered too (it serves only
 * this app's own files, on its own origin), but the manifest is not linked: installing is for the
 * top-level page. A registration that fails is said in one quiet status line, never as an error,
 * and the calculator works as before.
 */
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);

  function say(message, offerReload) {
    const line = $('shell-status');
    if (!line) return;
    $('shell-status-text').textContent = message;
    $('shell-reload').hidden = !offerReload;
    line.hidden = false;
  }

  function linkManifest() {
    if (window.top !== window.self || document.querySelector('link[rel="manifest"]')) return;
    const link = document.createElement('link');
    link.rel = 'manifest';
    link.href = 'manifest.webmanifest';
    document.head.appendChild(link);
  }

  function registerWorker() {
    const container = navigator.serviceWorker;
    // A page that was already controlled and gets a new worker is an older build than the server's.
    const hadController = Boolean(container.controller);
    container.addEventListener('controllerchange', () => {
      if (hadController) say('A new version of the calculator has been downloaded: reload the page to use it.', true);
    });
    container.register('sw.js').then(linkManifest, (e) => {
      const reason = (e && e.message) || String(e);
      say('Offline use is not available here (' + reason + '). The calculator still works while this page is open, ' +
        'and a copy saved as a file works offline.');
    });
  }

  function start() {
    const print = $('print-report');
    if (print) print.addEventListener('click', () => window.print());
    const reload = $('shell-reload');
    if (reload) reload.addEventListener('click', () => window.location.reload());

    const served = window.location.protocol === 'http:' || window.location.protocol === 'https:';
    // Service workers need a secure context; elsewhere the page simply stays online-only.
    if (!served || !window.isSecureContext || !('serviceWorker' in navigator)) return;
    if (document.readyState === 'complete') registerWorker();
    else window.addEventListener('load', registerWorker);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
