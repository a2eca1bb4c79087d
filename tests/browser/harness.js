// Shared set-up for the browser tests: builds the page, serves dist/, drives headless Chromium
// with playwright-core, and computes the expected numbers with the same JS API under node, so
// the page is checked against the API rather than against numbers copied into the tests.
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.join(__dirname, '..', '..');
const pageFile = path.join(root, 'dist', 'customer-value-calculator.html');
const apiFile = path.join(root, 'build', 'wasm', 'wasm', 'cvc-api.js');

const sampleModel = JSON.parse(fs.readFileSync(path.join(root, 'web', 'sample', 'model.json'), 'utf8'));
const sampleSurvey = JSON.parse(fs.readFileSync(path.join(root, 'web', 'sample', 'survey.json'), 'utf8'));
const workedExamplePath = path.join(root, 'tests', 'fixtures', 'worked-example.json');
const csvFixture = (name) => path.join(root, 'tests', 'fixtures', 'csv', name);

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Rebuilds dist/ from web/ and the wasm build, so the tests never run against a stale page. */
function buildPage() {
  if (!fs.existsSync(apiFile)) {
    throw new Error('build/wasm/wasm/cvc-api.js is missing: build the module first ' +
      '(NODE_PATH=/usr/share/nodejs cmake --build --preset wasm)');
  }
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-page.js')], { stdio: 'pipe' });
}

/** Survey rows in the API's record form (as the page passes them: id, answers, NPS, CSAT, CES). */
function surveyRecords(survey = sampleSurvey) {
  return survey.rows.map((row) => ({
    id: row.id,
    segments: row.segments,
    answers: Object.fromEntries(survey.item_ids.map((id, j) => [id, row.answers[j]])),
    nps: row.nps,
    csat: row.csat,
    ces: row.ces,
  }));
}

/**
 * Results from the JS API under node for a scenario: the model, whether the sample survey is
 * loaded, and calls to make ([['setWeight', 'insights', 10], ...]).
 */
async function expectedResults(model, { survey = false, calls = [] } = {}) {
  const api = require(apiFile);
  const calc = await api.create();
  try {
    calc.loadModel(model);
    if (survey) calc.setResponseRecords(surveyRecords());
    for (const [name, ...args] of calls) {
      if (name === 'importCsv') {
        // ['importCsv', bytes]: the whole import with the proposed mapping, committed.
        const preview = calc.importCsv(args[0]);
        calc.checkImport(preview.columns.map((c) => c.proposed), preview);
        calc.commitImport();
      } else calc[name](...args);
    }
    return calc.results();
  } finally {
    calc.dispose();
  }
}

/** Starts the static server on a free port; resolves to {server, url}. */
function startServer() {
  const { start } = require(path.join(root, 'scripts', 'serve.js'));
  return new Promise((resolve, reject) => {
    const server = start(0, (s) => resolve({ server: s, url: 'http://127.0.0.1:' + s.address().port + '/' }));
    server.on('error', reject);
  });
}

function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS });
}

/** The two ways the page is opened: served over http, and as a saved file. */
const TARGETS = [
  { name: 'served over http', url: (ctx) => ctx.httpUrl },
  { name: 'opened from file://', url: () => 'file://' + pageFile },
];

/**
 * Waits until the parts a survey import draws after its status and headline results (the charts,
 * the grid, the business section: state.js afterModelChangeSoon) are drawn; they are aria-busy until then.
 */
function partsDrawn(page) {
  return page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

/** Collects a page's uncaught errors and console errors, as text, into the returned list. */
function watchProblems(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console error: ' + m.text().slice(0, 300));
  });
  return problems;
}

/**
 * The work a refused input must leave exactly as it was: every headline number (data-value),
 * the model's name, items and segments, the survey grid's first page and the data sources.
 */
function workSnapshot(page) {
  return page.evaluate(() => {
    const values = {};
    for (const node of document.querySelectorAll('[data-testid][data-value]')) values[node.dataset.testid] = node.dataset.value;
    const text = (testid) => (document.querySelector('[data-testid="' + testid + '"]') || {}).textContent;
    return {
      values,
      title: document.querySelector('h1').textContent,
      items: document.querySelectorAll('.item-row').length,
      segments: document.querySelectorAll('[data-testid^="segment-row-"]').length,
      range: text('grid-range'),
      firstId: (document.querySelector('[data-testid="cell-0-id"]') || {}).value || '',
      source: text('source-text'),
      customers: text('customer-source'),
    };
  });
}

/**
 * The page's saved copies of the work in this browser, as text for comparing: the model in
 * localStorage, and in IndexedDB the project record and the survey record (stamp, header and
 * every byte of its arrays). `key` is the storage key ('cvc.model.v1' for the page).
 */
function savedWork(page, key = 'cvc.model.v1') {
  return page.evaluate(async (k) => {
    const records = await self.__cvcIdb('get', [k, k + ':survey']);
    const [project, survey] = records;
    // The arrays as the page keeps them (Blobs; ArrayBuffers from older pages), every byte.
    const buffers = await Promise.all(((survey && survey.parts) || []).map((b) => (b instanceof Blob ? b.arrayBuffer() : b)));
    const bytes = buffers.map((b) => Array.from(new Uint8Array(b)).join(',')).join('|');
    return {
      model: localStorage.getItem(k),
      project: JSON.stringify(project === undefined ? null : project),
      survey: survey ? survey.stamp + ' ' + survey.header + ' ' + bytes : null,
    };
  }, key);
}

/**
 * An init script for openPage: self.__cvcIdb(op, keys, values) reads ('get') or writes ('put')
 * records of the page's IndexedDB store ("cvc", "projects") in one transaction.
 */
function idbAccess() {
  self.__cvcIdb = (op, keys, values) => new Promise((resolve, reject) => {
    const request = indexedDB.open('cvc', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('projects');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction('projects', op === 'get' ? 'readonly' : 'readwrite');
      const store = tx.objectStore('projects');
      const results = keys.map((key, i) => (op === 'get' ? store.get(key) : store.put(values[i], key)));
      tx.oncomplete = () => {
        db.close();
        resolve(results.map((r) => r.result));
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

/**
 * Opens the page in a fresh context and waits for the first results (or the error state).
 * Collects page errors, console errors and every request the page makes.
 */
async function openPage(browser, url, { waitFor = 'ready', init } = {}) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems = watchProblems(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(idbAccess);
  if (init) await page.addInitScript(init);
  await page.goto(url);
  await page.waitForSelector('body[data-state="' + waitFor + '"]', { timeout: 15000 });
  return {
    page, problems, requests,
    async close() {
      await context.close();
    },
  };
}

/** An init script for openPage: WebAssembly refuses to start, as in a browser that blocks it. */
function refuseWebAssembly() {
  const refuse = () => Promise.reject(new Error('WebAssembly disabled by the test'));
  WebAssembly.instantiate = refuse;
  WebAssembly.instantiateStreaming = refuse;
}

/** Drops a file (name, text content, MIME type) on the element with that data-testid. */
function dropFile(page, testid, name, content, type) {
  return page.evaluate(([id, fileName, text, mime]) => {
    const data = new DataTransfer();
    data.items.add(new File([text], fileName, { type: mime }));
    const section = document.querySelector('[data-testid="' + id + '"]');
    section.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    section.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [testid, name, content, type]);
}

/** data-value of a headline output (the unrounded number, or '' when there is none). */
function dataValue(page, testid) {
  return page.getAttribute('[data-testid="' + testid + '"]', 'data-value');
}

/** Waits until a headline output's data-value equals `expected` (a string). */
async function waitForValue(page, testid, expected) {
  await page.waitForFunction(([id, want]) => {
    const node = document.querySelector('[data-testid="' + id + '"]');
    return node && node.dataset.value === want;
  }, [testid, expected], { timeout: 5000 }).catch(async () => {
    assert.equal(await dataValue(page, testid), expected, testid + ' did not reach the expected value');
  });
}

/** All text a person can read on the page, including the SVG charts' text. */
function visibleText(page) {
  return page.evaluate(() => {
    // innerText leaves out what is not rendered: the page's sections below the first screen
    // (content-visibility: auto) until they come near the viewport. Rendered while reading.
    const skipped = Array.from(document.querySelectorAll('section'))
      .filter((node) => getComputedStyle(node).contentVisibility === 'auto');
    for (const node of skipped) node.style.contentVisibility = 'visible';
    const text = document.body.innerText;
    for (const node of skipped) node.style.contentVisibility = '';
    return text + '\n' + Array.from(document.querySelectorAll('svg')).map((s) => s.textContent).join('\n');
  });
}

/** Fails on any text that shows a broken number. */
async function assertNoBrokenNumbers(page) {
  const text = await visibleText(page);
  const bad = text.match(/.{0,40}(NaN|Infinity|undefined|\bnull\b).{0,40}/);
  assert.equal(bad, null, 'the page shows a broken value: ' + (bad && bad[0]));
}

/** Loads model JSON text through the file input, as if chosen in the file dialog. */
async function chooseModelFile(page, name, text) {
  await page.setInputFiles('[data-testid="model-input"]', {
    name, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8'),
  });
}

/**
 * Starts an embedded calculator next to the page's own: an element with data-testid `testid`
 * whose open shadow root holds a fresh copy of the built page's #app markup (and the optional
 * heading and error box), started with CVC.createApp({root, host, embedded: true, storageKey:
 * null, samples, ...options}) as the <customer-value-calculator> element does. `builtPage` is the
 * built page's HTML, read before start-up filled it in. Waits until its host says ready; the app
 * is then window.__embedded[testid].
 */
async function addEmbeddedCalculator(page, builtPage, { testid = 'second-calculator', options = {} } = {}) {
  await page.evaluate(([html, id, more]) => {
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    const host = document.createElement('div');
    host.dataset.testid = id;
    document.body.appendChild(host);
    const shadow = host.attachShadow({ mode: 'open' });
    // The optional parts outside #app: the heading that names the model, and the start-up error box.
    for (const part of ['model-name', 'fatal-error', 'app']) shadow.appendChild(document.importNode(fresh.getElementById(part), true));
    const read = (part) => fresh.getElementById(part).textContent;
    const samples = {
      model: JSON.parse(read('sample-model')),
      survey: JSON.parse(read('sample-survey')),
      customersCsv: read('sample-customers').replace(/^\s+/, ''),
    };
    window.__embedded = window.__embedded || {};
    window.__embedded[id] = null;
    window.CVC.createApp(Object.assign({ root: shadow, host, embedded: true, storageKey: null, samples }, more)).then((app) => {
      window.__embedded[id] = app;
    });
  }, [builtPage, testid, options]);
  await page.waitForSelector('[data-testid="' + testid + '"][data-state="ready"]', { timeout: 15000 });
  await page.waitForFunction((id) => window.__embedded[id] !== null, testid);
}

/**
 * Registers the suite's set-up and tear-down: builds the page, serves dist/ on a free port
 * (ctx.server, ctx.httpUrl), launches Chromium (ctx.browser), then runs `more()` for the
 * suite's own expected values; closes the browser and the server at the end.
 */
function setUpSuite(ctx, more) {
  const { before, after } = require('node:test');
  before(async () => {
    buildPage();
    const { server, url } = await startServer();
    ctx.server = server;
    ctx.httpUrl = url;
    ctx.browser = await launchBrowser();
    if (more) await more();
  });
  after(async () => {
    if (ctx.browser) await ctx.browser.close();
    if (ctx.server) await new Promise((resolve) => ctx.server.close(resolve));
  });
}

/**
 * One describe block per target (served over http, opened from file://). The body gets
 * `open(options)` (opens the page, returns it), `session()` (the open session: requests,
 * allowProblems) and `target`. After each test the page closes, and any page or console
 * error fails the test unless the test set `session().allowProblems`.
 */
function describeOnTargets(name, ctx, body) {
  const { describe, afterEach } = require('node:test');
  for (const target of TARGETS) {
    describe(name + ' ' + target.name, () => {
      let current = null;
      const open = async (options) => {
        current = await openPage(ctx.browser, target.url(ctx), options);
        return current.page;
      };
      afterEach(async () => {
        if (!current) return;
        const { problems, allowProblems } = current;
        await current.close();
        current = null;
        if (!allowProblems) assert.deepEqual(problems, [], 'the page logged errors');
      });
      body({ open, session: () => current, target });
    });
  }
}

module.exports = {
  setUpSuite,
  describeOnTargets,
  assert, root, pageFile, apiFile, sampleModel, sampleSurvey, workedExamplePath, csvFixture, TARGETS,
  buildPage, expectedResults, startServer, launchBrowser, openPage, dataValue, waitForValue,
  visibleText, assertNoBrokenNumbers, partsDrawn, dropFile, watchProblems, workSnapshot, savedWork, chooseModelFile, surveyRecords, refuseWebAssembly, addEmbeddedCalculator,
};
