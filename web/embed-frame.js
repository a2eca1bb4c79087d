/*
 * The calculator page in an iframe: a postMessage API for the page that frames it (docs/embed.md).
 * Once per document, for the standalone page only (not in the element's script).
 *
 * Off unless the embedder lists its origin in the page's address:
 *   customer-value-calculator.html?embed-origin=https://example.com[,https://other.example]
 * Then, framed, the page takes messages only from window.parent and only from a listed origin;
 * anything else (another window, another origin, data that is not {type: 'cvc:…'}) is ignored
 * and never answered. Every message it sends goes to window.parent with that exact origin as
 * targetOrigin, never '*': the origin the parent is known to have (location.ancestorOrigins, else
 * document.referrer) when listed, or the origin of the last message accepted from it.
 *
 * In:  {type: 'cvc:get-results'}
 *      {type: 'cvc:load-model', model}                    the model file as an object or JSON text
 *      {type: 'cvc:set-weight', item, weight, segment}    segment optional
 *      each may carry an `id` (string or number), echoed in its answer.
 * Out: {type: 'cvc:ready', results, business}             once the first results are on screen
 *      {type: 'cvc:change', results, business}            after the numbers change, at most once a frame
 *      {type: 'cvc:results', request, id, results, business}   the answer to a message that worked
 *      {type: 'cvc:error', request, id, message, field}   the answer to one that was refused; nothing changed
 * Messages that arrive before the calculator is ready are answered once it is.
 * It uses only app.api (app-api.js): the calculator's own checks refuse bad models and weights.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const PARAM = 'embed-origin';
  const MAX_MODEL_CHARS = 5 * 1024 * 1024; // as for a model file
  const TYPES = ['cvc:get-results', 'cvc:load-model', 'cvc:set-weight'];

  if (window.parent === window) return; // not framed: nobody to talk to

  /** A message the API refuses before the calculator sees it; `field` names what to fix. */
  function refusal(field, message) {
    const error = new Error(message);
    error.field = field;
    return error;
  }

  /** The origins listed in ?embed-origin= (comma-separated, the parameter may repeat). */
  function listedOrigins() {
    const origins = new Set();
    for (const value of new URLSearchParams(window.location.search).getAll(PARAM)) {
      for (const text of value.split(',').map((s) => s.trim()).filter(Boolean)) {
        let url = null;
        try {
          url = new URL(text);
        } catch {
          url = null;
        }
        if (url && (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/' &&
          !url.search && !url.hash && !url.username && !url.password && !text.endsWith('?') && !text.endsWith('#')) {
          origins.add(url.origin);
        } else {
          console.warn('Customer Value Calculator: ' + PARAM + ' "' + text.slice(0, 100) + '" is ignored: ' +
            'give an origin, the scheme, host and port only, such as https://example.com');
        }
      }
    }
    return origins;
  }

  const origins = listedOrigins();
  if (!origins.size) return; // no embedder listed: the API is off

  /** The parent's origin when the browser says it and it is listed; else null until it writes. */
  function knownParentOrigin() {
    const ancestors = window.location.ancestorOrigins;
    if (ancestors && ancestors.length) return origins.has(ancestors[0]) ? ancestors[0] : null;
    try {
      const origin = document.referrer ? new URL(document.referrer).origin : '';
      return origins.has(origin) ? origin : null;
    } catch {
      return null;
    }
  }

  let parentOrigin = knownParentOrigin();
  let app = null;
  let failure = null; // the start-up error, when the calculator could not start
  let readySent = false;
  const waiting = []; // [data, origin] that came before the calculator was ready

  function post(message, origin) {
    window.parent.postMessage(message, origin);
  }

  function sendReady() {
    if (readySent || !parentOrigin) return;
    readySent = true;
    if (failure) post({ type: 'cvc:error', request: null, message: failure.message, field: 'calculator' }, parentOrigin);
    else post(Object.assign({ type: 'cvc:ready' }, app.api.snapshot()), parentOrigin);
  }

  function perform(data) {
    if (failure) throw refusal('calculator', failure.message);
    if (data.type === 'cvc:load-model') {
      const model = data.model;
      if (model === undefined || model === null || (typeof model !== 'object' && typeof model !== 'string')) {
        throw refusal('model', 'cvc:load-model needs "model": the model file as an object or as JSON text.');
      }
      if (typeof model === 'string' && model.length > MAX_MODEL_CHARS) {
        throw refusal('model', 'The model is larger than 5 MB, too large for a model.');
      }
      app.api.loadModel(model);
    } else if (data.type === 'cvc:set-weight') {
      if (typeof data.item !== 'string' || !data.item) {
        throw refusal('item', 'cvc:set-weight needs "item": the id of an item in the model.');
      }
      if (typeof data.weight !== 'number' || !Number.isFinite(data.weight)) {
        throw refusal('weight', 'cvc:set-weight needs "weight": a number from 0 to 10.');
      }
      const segment = data.segment;
      if (segment !== undefined && segment !== null && typeof segment !== 'string') {
        throw refusal('segment', 'cvc:set-weight: "segment" is the id of a segment, or left out for the item\u2019s own weight.');
      }
      app.api.setWeight(data.item, data.weight, segment || undefined);
    } else if (data.type !== 'cvc:get-results') {
      throw refusal('type', 'Unknown message type "' + data.type.slice(0, 60) + '"; this calculator understands ' +
        TYPES.join(', ') + '.');
    }
  }

  /** Does what a message asks and answers it: the numbers afterwards, or why it was refused. */
  function answer(data, origin) {
    const head = { request: data.type };
    if (typeof data.id === 'string' || (typeof data.id === 'number' && Number.isFinite(data.id))) head.id = data.id;
    try {
      perform(data);
    } catch (e) {
      const expected = e && typeof e.field === 'string'; // a CalculatorError or a refusal above
      post(Object.assign({ type: 'cvc:error' }, head, {
        message: expected ? e.message : 'The calculator could not do this (an internal error).',
        field: expected ? e.field : '',
      }), origin);
      if (!expected) throw e; // a bug: stays loud
      return;
    }
    post(Object.assign({ type: 'cvc:results' }, head, app.api.snapshot()), origin);
  }

  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || !origins.has(event.origin)) return;
    const data = event.data;
    if (!data || typeof data !== 'object' || typeof data.type !== 'string' || !data.type.startsWith('cvc:')) return;
    parentOrigin = event.origin;
    if (!app && !failure) {
      waiting.push([data, event.origin]);
      return;
    }
    sendReady();
    answer(data, event.origin);
  });

  function started(result) {
    app = result;
    app.api.onChange((numbers) => {
      if (parentOrigin) post(Object.assign({ type: 'cvc:change' }, numbers), parentOrigin);
    });
    sendReady();
    while (waiting.length) answer(...waiting.shift());
  }

  function failed(e) {
    failure = { message: (e && e.message) || 'The calculator did not start.' };
    sendReady();
    while (waiting.length) answer(...waiting.shift());
  }

  /** After app.js has started the page's calculator (its DOMContentLoaded listener comes first). */
  function attach() {
    if (CVC.pageApp) CVC.pageApp.then(started, failed);
    else failed(null);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', attach);
  else attach();
})();
