// The Chromium side of scripts/bench, called by scripts/lib/bench-run.js (measure() below).
// Debian's Chromium, headless, driven with playwright-core as the browser tests drive it
// (tests/browser/harness.js). Per data size:
//   import    the survey file through the page itself (dist/customer-value-calculator.html from
//             file://, the benchmark model loaded through app.api): the file set on the survey's
//             file input, the proposed mapping accepted, "Import" pressed, until the status says
//             "Imported N rows"; timed in the page, with the two phases (file chosen → mapping
//             step shown, "Import" pressed → imported). Each repeat in a fresh page.
//   memory    the page module's wasm linear memory after that import, read from the
//             WebAssembly.Memory the module exports (an init script notes it when the page
//             instantiates the module; nothing is added to the page).
//   slider    (SLIDER_SIZES only) keyboard moves of the first item's weight slider, each timed in
//             the page from the input event to the net value and the histogram chart updated in
//             the DOM (MutationObserver), and to the end of that frame; plus the wait before the
//             recompute starts and the calculator's results() on their own.
//   parsers   PapaParse and uDSV parsing the same file's text in the same page (strings only).
//   driver    bench/cvc_bench.cpp linked for a page (build/bench-wasm/bench/cvc_bench_web.*),
//             the same kernel timings as the node stage, in Chromium's wasm engine.
// and once: startup, navigation to first results over fresh loads of the page from file://.
// A stage that fails is reported as {failed: message}; the run goes on.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const harness = require(path.join(root, 'tests/browser/harness.js'));
const benchWeb = path.join(root, 'build/bench-wasm/bench');

const SLIDER_SIZES = ['100k', '1m'];
const SLIDER_MOVES = 120;
const STARTUP_LOADS = 20; // measured, after one load that is not counted (disk cache warm-up)
const PREVIEW_TIMEOUT_MS = 5 * 60 * 1000;
const IMPORT_TIMEOUT_MS = 15 * 60 * 1000;

const loadAverage = () => os.loadavg().map((x) => +x.toFixed(2));

/** Nearest-rank percentile of a list of numbers (p in 0–100), rounded to 0.01 ms. */
function percentile(values, p) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return +sorted[rank - 1].toFixed(2);
}
const ms = (x) => +x.toFixed(1);
const spread = (values) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });

/** fn()'s result, or {failed: message} when it throws: one broken stage does not end the run. */
async function guard(what, fn) {
  try {
    return await fn();
  } catch (e) {
    const message = String((e && e.message) || e).split('\n')[0];
    console.log(`bench: chromium: ${what} failed: ${message}`);
    return { failed: message };
  }
}

// ---------------------------------------------------------------- page helpers

/** Init script: keeps every WebAssembly.Memory the page's modules export, for reading sizes. */
function captureWasmMemory() {
  const memories = (window.__benchWasmMemories = []);
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    for (const value of Object.values(instance.exports)) {
      if (value instanceof WebAssembly.Memory) memories.push(value);
    }
    return result;
  };
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      return original.apply(this, args).then(keep);
    };
  }
}

/** The page in a fresh context, started, with the benchmark model loaded through app.api. */
async function openCalculator(browser, modelText) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = harness.watchProblems(page);
  const workers = []; // Web Workers the page starts (their modules' memory is not read)
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.addInitScript(captureWasmMemory);
  await page.goto('file://' + harness.pageFile);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 60000 });
  await page.evaluate(async (text) => {
    const app = await window.CVC.pageApp;
    app.api.loadModel(text);
  }, modelText);
  return { page, problems, workers, close: () => context.close() };
}

function wasmMemoryBytes(page) {
  return page.evaluate(() => window.__benchWasmMemories.map((m) => m.buffer.byteLength));
}

/**
 * Waits until the page's main thread has been free for `quietMs` (no timer late by more than
 * 50 ms), e.g. after an import, whose autosave runs a second later: up to `limitMs`.
 */
function waitQuiet(page, quietMs = 1500, limitMs = 120000) {
  return page.evaluate(async ([quiet, limit]) => {
    const start = performance.now();
    let calmSince = start;
    let last = start;
    while (performance.now() - calmSince < quiet && performance.now() - start < limit) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const now = performance.now();
      if (now - last > 75) calmSince = now;
      last = now;
    }
  }, [quietMs, limitMs]);
}

// ---------------------------------------------------------------- import through the page

/**
 * In the page: notes when the survey file is chosen, when the mapping step is shown, each press
 * of "Import", a check report that asks for a second press, and the final status ("Imported …"
 * or an error). Read from the page's status text and elements, so it does not depend on whether
 * the import runs on the main thread or in a worker.
 */
function watchImport() {
  const b = (window.__benchImport = { chosen: null, preview: null, presses: [], shown: [], done: null, error: null, status: '' });
  const $ = (id) => document.getElementById(id);
  document.addEventListener('change', (e) => {
    if (e.target && e.target.id === 'csv-input' && b.chosen === null) b.chosen = performance.now();
  }, true);
  document.addEventListener('click', (e) => {
    if (e.target && e.target.closest && e.target.closest('#import-confirm')) b.presses.push(performance.now());
  }, true);
  const check = () => {
    const now = performance.now();
    const status = $('import-status');
    b.status = status.textContent;
    const rows = $('mapping-table').tBodies[0].rows.length;
    if (b.preview === null && !$('import-step').hidden && rows > 0) {
      b.preview = now;
      b.shown.push(now);
    }
    // Some rows rejected: the button now says "Import N valid rows" and needs a second press.
    if (b.presses.length === b.shown.length && b.presses.length > 0 && /valid rows?$/.test($('import-confirm').textContent)) {
      b.shown.push(now);
    }
    if (b.done === null && /^Imported /.test(b.status)) b.done = now;
    if (b.error === null && status.dataset.kind === 'error') b.error = b.status;
  };
  const watch = (node, options) => new MutationObserver(check).observe(node, options);
  watch($('import-status'), { childList: true, characterData: true, subtree: true, attributes: true });
  watch($('import-step'), { attributes: true, attributeFilter: ['hidden'] });
  watch($('mapping-table').tBodies[0], { childList: true });
  watch($('import-confirm'), { childList: true, characterData: true, subtree: true });
}

/**
 * One import of `csv` through the page's survey file input. Phases are timed in the page; the
 * time the harness takes to press "Import" after the mapping step appears is left out.
 */
async function importThroughPage(page, csv) {
  await page.evaluate(watchImport);
  const state = () => page.evaluate(() => window.__benchImport);
  await page.setInputFiles('[data-testid="csv-input"]', csv);
  await page.waitForFunction(() => window.__benchImport.preview !== null || window.__benchImport.error !== null,
    null, { polling: 50, timeout: PREVIEW_TIMEOUT_MS });
  let b = await state();
  for (let press = 0; b.error === null && b.done === null && press < 2; press++) {
    await page.click('[data-testid="import-confirm"]');
    await page.waitForFunction((n) => {
      const s = window.__benchImport;
      return s.done !== null || s.error !== null || s.shown.length > n;
    }, press + 1, { polling: 50, timeout: IMPORT_TIMEOUT_MS });
    b = await state();
  }
  if (b.error !== null || b.done === null) return { failed: b.error || b.status || 'no "Imported" status' };
  const waited = b.presses.reduce((sum, t, i) => sum + (t - b.shown[i]), 0);
  // The rows the calculator holds; failing that (an import elsewhere), the number in the status.
  const rows = await page.evaluate(async () => (await window.CVC.pageApp).state.calc.responseCount())
    .catch(() => Number((/^Imported ([^a-z]+) row/.exec(b.status) || ['', ''])[1].replace(/\D/g, '')));
  return {
    rows,
    end_to_end_ms: ms(b.done - b.chosen - waited),
    preview_ms: ms(b.preview - b.chosen),
    import_ms: ms(b.done - b.presses[b.presses.length - 1]),
    presses: b.presses.length,
    status: b.status,
  };
}

// ---------------------------------------------------------------- slider latency

/**
 * In the page: times each move of the slider from its input event (a capture listener, before
 * the page's own) to the net value and the histogram chart both changed in the DOM, and to the
 * first task after that (the frame's style, layout and paint done). Also: the wait before the
 * recompute starts (the first calculator call after the input: none when the page applies the move
 * in its input handler, up to a frame when it coalesces it to the next animation frame), the
 * calculator's results() (the page calls it once per recompute), every calculator call, and the
 * rest (the page's own rendering).
 */
async function watchSlider(selector) {
  const app = await window.CVC.pageApp;
  const w = (window.__benchSlider = { samples: [], current: null, done: null });
  const slider = document.querySelector(selector);
  // Every call into the calculator timed around the instance's methods (the outermost call
  // only, should one call another): results() on its own, and all of them together.
  const calc = app.state.calc;
  const proto = Object.getPrototypeOf(calc);
  let depth = 0;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const original = Object.getOwnPropertyDescriptor(proto, name).value;
    if (name === 'constructor' || typeof original !== 'function') continue;
    calc[name] = function (...args) {
      const start = performance.now();
      depth++;
      try {
        return original.apply(this, args);
      } finally {
        depth--;
        const s = w.current;
        if (s && s.start === null) s.start = start;
        const took = performance.now() - start;
        if (s && name === 'results') s.recompute_ms += took;
        if (s && depth === 0) s.calculator_ms += took;
      }
    };
  }
  const finish = (s) => {
    w.samples.push(s);
    w.current = null;
    if (w.done) w.done();
  };
  window.addEventListener('input', (e) => {
    if (e.target !== slider) return;
    const s = { input: performance.now(), start: null, recompute_ms: 0, calculator_ms: 0, net: null, chart: null, dom: null, painted: null };
    w.current = s;
  }, true);
  const mutated = (part) => () => {
    const s = w.current;
    if (!s || s.dom !== null) return;
    if (s[part] === null) s[part] = performance.now();
    if (s.net === null || s.chart === null) return;
    s.dom = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      s.painted = performance.now();
      finish(s);
    };
    channel.port2.postMessage(0);
  };
  const everything = { attributes: true, childList: true, characterData: true, subtree: true };
  new MutationObserver(mutated('net')).observe(document.getElementById('net-value'), everything);
  new MutationObserver(mutated('chart')).observe(document.getElementById('histogram-chart'), everything);
}

/** Resolves once move `n` is on screen (or after 10 s), then waits a varying 0–16 ms. */
function waitForMove(n) {
  const w = window.__benchSlider;
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 10000);
    const check = () => {
      if (w.samples.length > n) {
        clearTimeout(timer);
        w.done = null;
        // A different phase against the display's frames for each move.
        setTimeout(resolve, (n * 7) % 17);
      }
    };
    w.done = check;
    check();
  });
}

async function sliderLatency(page, itemId, moves) {
  const selector = `[data-testid="weight-${itemId}"]`;
  await page.evaluate(watchSlider, selector);
  await waitQuiet(page);
  await page.focus(selector);
  const start = Number(await page.inputValue(selector));
  const keys = start < 10 ? ['ArrowRight', 'ArrowLeft'] : ['ArrowLeft', 'ArrowRight'];
  for (let i = 0; i < moves; i++) {
    await page.keyboard.press(keys[i % 2]);
    await page.evaluate(waitForMove, i);
  }
  const samples = await page.evaluate(() => window.__benchSlider.samples);
  const of = (fn) => spread(samples.map(fn));
  return {
    item: itemId,
    moves,
    measured: samples.length,
    to_dom_ms: of((s) => s.dom - s.input),
    to_painted_ms: of((s) => s.painted - s.input),
    wait_ms: of((s) => s.start - s.input),
    recompute_to_dom_ms: of((s) => s.dom - s.start),
    recompute_ms: of((s) => s.recompute_ms),
    calculator_ms: of((s) => s.calculator_ms),
    page_render_ms: of((s) => s.dom - s.start - s.calculator_ms),
  };
}

// ---------------------------------------------------------------- PapaParse and uDSV

/**
 * The same file parsed to arrays of strings (no types, no validation, nothing stored) by
 * PapaParse (default options) and uDSV (inferSchema + stringArrs) in the page. Reading the File
 * as text is timed separately, each time. Best of `repeat` for each.
 */
async function parsers(page, csv, repeat) {
  await page.addScriptTag({ path: require.resolve('papaparse/papaparse.min.js') });
  await page.addScriptTag({ path: require.resolve('udsv/dist/uDSV.iife.min.js') });
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-parser-input';
    input.hidden = true;
    document.body.appendChild(input);
  });
  await page.setInputFiles('#bench-parser-input', csv);
  const out = {};
  for (const parser of ['papaparse', 'udsv']) {
    const runs = [];
    for (let i = 0; i < repeat; i++) {
      runs.push(await page.evaluate(async (which) => {
        const file = document.getElementById('bench-parser-input').files[0];
        let start = performance.now();
        const text = await file.text();
        const read = performance.now() - start;
        start = performance.now();
        let rows;
        if (which === 'papaparse') {
          rows = window.Papa.parse(text).data.length; // the header and a last empty line included
        } else {
          const parse = window.uDSV.initParser(window.uDSV.inferSchema(text));
          rows = parse.stringArrs(text).length; // data rows only
        }
        return { read_ms: read, parse_ms: performance.now() - start, rows };
      }, parser).then((r) => ({ ...r, read_ms: ms(r.read_ms), parse_ms: ms(r.parse_ms) })));
    }
    const best = (key) => Math.min(...runs.map((r) => r[key]));
    out[parser] = { read_ms: best('read_ms'), parse_ms: best('parse_ms'), rows: runs[0].rows, runs };
  }
  out.papaparse.version = require('papaparse/package.json').version;
  out.udsv.version = require('udsv/package.json').version;
  return out;
}

// ---------------------------------------------------------------- one size in the page

async function pageRun(browser, size, csv, modelText, repeat) {
  const model = JSON.parse(modelText);
  const imports = [];
  let session = null;
  const out = { bytes: fs.statSync(csv).size };
  try {
    for (let i = 0; i < repeat; i++) {
      if (session) await session.close();
      session = await openCalculator(browser, modelText);
      if (i === 0) out.memory_before_import_bytes = await wasmMemoryBytes(session.page);
      const workersBefore = session.workers.length;
      imports.push(await guard(`${size} import`, () => importThroughPage(session.page, csv)));
      imports[i].workers_started = session.workers.length - workersBefore;
      if (imports[i].failed) break;
    }
    const done = imports.filter((r) => !r.failed);
    out.import = done.length
      ? { ...done.reduce((a, b) => (b.end_to_end_ms < a.end_to_end_ms ? b : a)), runs: imports }
      : { failed: imports[imports.length - 1].failed };
    if (done.length) {
      out.memory_after_import_bytes = await wasmMemoryBytes(session.page);
      if (SLIDER_SIZES.includes(size)) {
        out.slider = await guard(`${size} slider`, () => sliderLatency(session.page, model.items[0].id, SLIDER_MOVES));
      }
    } else if (SLIDER_SIZES.includes(size)) {
      out.slider = { skipped: 'the import failed' };
    }
    out.parsers = await guard(`${size} parsers`, () => parsers(session.page, csv, repeat));
    if (session.problems.length) out.page_problems = session.problems.slice(0, 5);
  } finally {
    if (session) await session.close();
  }
  return out;
}

// ---------------------------------------------------------------- the driver in Chromium

/** bench/cvc_bench.cpp linked for a page, run on one size; its JSON line as the node stage gets it. */
async function driverRun(browser, csv, modelPath, repeat) {
  const base = 'http://127.0.0.1:9/cvc-bench/'; // answered by the route below, never by the network
  const files = {
    'cvc_bench_web.js': [path.join(benchWeb, 'cvc_bench_web.js'), 'text/javascript'],
    'cvc_bench_web.wasm': [path.join(benchWeb, 'cvc_bench_web.wasm'), 'application/wasm'],
    'model.json': [modelPath, 'application/json'],
    'survey.csv': [csv, 'text/csv'],
  };
  for (const [file] of Object.values(files)) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(root, file)} is missing (scripts/bench builds it)`);
  }
  const context = await browser.newContext();
  try {
    // Cross-origin isolated, so performance.now() (the driver's steady_clock) ticks in 5 µs
    // steps rather than 100 µs: the smallest kernels take about 100 µs.
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    await context.route(base + '**', (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop();
      if (name === 'index.html') {
        return route.fulfill({ contentType: 'text/html', headers, body: '<!doctype html><title>cvc_bench</title>' });
      }
      const file = files[name];
      return file ? route.fulfill({ path: file[0], contentType: file[1], headers }) : route.fulfill({ status: 404 });
    });
    const page = await context.newPage();
    await page.goto(base + 'index.html');
    await page.addScriptTag({ url: base + 'cvc_bench_web.js' });
    const out = await page.evaluate(async (args) => {
      const lines = [];
      const bench = await window.createCvcBench({ print: (l) => lines.push(l), printErr: (l) => lines.push('stderr: ' + l) });
      for (const name of ['model.json', 'survey.csv']) {
        bench.FS.writeFile('/' + name, new Uint8Array(await (await fetch(name)).arrayBuffer()));
      }
      let status;
      try {
        status = bench.callMain(args);
      } catch (e) {
        status = e && e.status !== undefined ? e.status : String(e);
      }
      return { status, lines, isolated: window.crossOriginIsolated };
    }, ['import', '/model.json', '/survey.csv', '--repeat', String(repeat), '--kernel-loops', '5']);
    const last = out.lines.filter((l) => l.startsWith('{')).pop();
    if (out.status !== 0 || !last) throw new Error(`cvc_bench exited ${out.status}: ${out.lines.join(' ').slice(0, 300)}`);
    return { ...JSON.parse(last), cross_origin_isolated: out.isolated };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- startup

/**
 * Init script: the time (performance.now(), from the navigation's start) the net value first
 * shows a number, the end of the first frame after that, and the page marked ready.
 */
function watchStartup() {
  const s = (window.__benchStartup = { first_results: null, painted: null, ready: null });
  const observer = new MutationObserver(() => {
    const net = document.getElementById('net-value');
    if (s.first_results === null && net && net.dataset.value) {
      s.first_results = performance.now();
      // The frame that shows it: a task queued from its animation frame callback runs after it.
      requestAnimationFrame(() => setTimeout(() => {
        s.painted = performance.now();
      }, 0));
    }
    if (s.ready === null && document.body && document.body.dataset.state === 'ready') s.ready = performance.now();
  });
  observer.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-value', 'data-state'] });
}

async function startup(browser) {
  const loads = [];
  for (let i = 0; i <= STARTUP_LOADS; i++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.addInitScript(watchStartup);
      await page.goto('file://' + harness.pageFile);
      await page.waitForFunction(() => window.__benchStartup.painted !== null && window.__benchStartup.ready !== null,
        null, { timeout: 60000 });
      const load = await page.evaluate(() => ({
        ...window.__benchStartup,
        dom_content_loaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
      }));
      if (i > 0) loads.push(load); // the first load only warms the disk cache
    } finally {
      await context.close();
    }
  }
  const of = (key) => ({ median: percentile(loads.map((l) => l[key]), 50), p95: percentile(loads.map((l) => l[key]), 95) });
  return {
    loads: loads.length,
    first_results_ms: of('first_results'),
    painted_ms: of('painted'),
    ready_ms: of('ready'),
    dom_content_loaded_ms: of('dom_content_loaded'),
  };
}

// ---------------------------------------------------------------- all of it

/**
 * Every Chromium figure for `sizes` (the survey files in `data`, scored with `modelPath`);
 * `repeats[size]` page imports (each in a fresh page) and driver runs per size.
 */
async function measure({ data, modelPath, sizes, repeats }) {
  const browser = await harness.launchBrowser();
  const out = {
    browser: `Chromium ${browser.version()} (headless)`,
    driver: `playwright-core ${require('playwright-core/package.json').version}`,
    load_average_at_start: loadAverage(),
    runs: {},
  };
  const modelText = fs.readFileSync(modelPath, 'utf8');
  try {
    console.log('bench: chromium: startup');
    out.startup = await guard('startup', () => startup(browser));
    for (const size of sizes) {
      const csv = path.join(data, `survey-${size}.csv`);
      const repeat = repeats[size] || 3;
      console.log(`bench: chromium: ${size}: page`);
      const run = await guard(`${size} page`, () => pageRun(browser, size, csv, modelText, repeat));
      console.log(`bench: chromium: ${size}: driver`);
      run.driver = await guard(`${size} driver`, () => driverRun(browser, csv, modelPath, repeat));
      out.runs[size] = run;
    }
  } finally {
    await browser.close();
  }
  out.load_average_at_end = loadAverage();
  return out;
}

// ---------------------------------------------------------------- docs/benchmarks.md

/** The "The page in Chromium" section of docs/benchmarks.md for measure()'s output. */
function markdownSection(c) {
  const MIB = 2 ** 20;
  const mib = (b) => (b / MIB).toFixed(1) + ' MiB';
  const sec = (x) => (x / 1000).toFixed(2) + ' s';
  const rate = (bytes, x) => (bytes / MIB / (x / 1000)).toFixed(1) + ' MiB/s';
  const pair = (x) => `${x.p50} / ${x.p95} ms`;
  const spreadOf = (x) => `${x.median} / ${x.p95} ms`;
  // Why a figure is missing ('' when it is there).
  const failure = (...parts) => {
    for (const x of parts) {
      if (!x) return 'not measured';
      if (x.failed) return 'failed: ' + x.failed;
      if (x.skipped) return 'not measured: ' + x.skipped;
    }
    return '';
  };
  const runs = Object.entries(c.runs);
  const lines = [];
  // A sub-section: its heading and text, then a table; a row of fewer cells is padded.
  const table = (heading, text, columns, rows) => {
    lines.push(heading, '', text, '', `| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`);
    for (const row of rows) lines.push(`| ${[...row, ...Array(columns.length - row.length).fill('')].join(' | ')} |`);
    lines.push('');
  };

  lines.push('## The page in Chromium', '',
    `${c.browser}, driven by ${c.driver} (load average ${c.load_average_at_start.join(', ')} at the ` +
    `start of these runs, ${c.load_average_at_end.join(', ')} at their end). The page is ` +
    '`dist/customer-value-calculator.html` opened from `file://` in a fresh browser context; times ' +
    'are taken in the page with `performance.now()` (100 µs steps there).', '');

  table('### Survey import through the page',
    'The benchmark model loaded (`app.api.loadModel`), the survey file set on the survey\'s file ' +
    'input (`setInputFiles`), the proposed mapping accepted, "Import" pressed, until the status ' +
    'says "Imported N rows". End to end = file chosen → mapping step shown, plus "Import" pressed → ' +
    'imported (the harness\'s own delay in pressing the button left out); it includes reading the ' +
    'file. Best of the repeats, each in a fresh page. Memory is the module\'s wasm linear memory ' +
    '(the `WebAssembly.Memory` it exports, noted by an init script when the page instantiates it) ' +
    'right after the import. Targets: ≥ 150 MiB/s end to end; ≤ 64 MiB of wasm memory at 1M.',
    ['rows', 'file', 'end to end', 'chosen → mapping shown', '"Import" → imported', 'wasm memory after the import'],
    runs.map(([size, run]) => {
      const imp = run.import;
      if (failure(run, imp)) return [size, run.bytes ? mib(run.bytes) : '', failure(run, imp)];
      const memory = (run.memory_after_import_bytes || []).reduce((x, y) => x + y, 0);
      // A worker's module is not reached by the init script: then only the page's is shown.
      const inWorker = imp.workers_started ? ` (the page's module; the import ran in a Web Worker, not read)` : '';
      return [`${size} (${imp.rows.toLocaleString('en')} imported)`, mib(run.bytes),
        `${rate(run.bytes, imp.end_to_end_ms)} (${sec(imp.end_to_end_ms)})`, sec(imp.preview_ms), sec(imp.import_ms),
        (memory ? mib(memory) : 'unknown') + inWorker];
    }));

  table('### Against JavaScript CSV parsers',
    'PapaParse and uDSV parse the same file\'s text in the same page, to arrays of strings only: no ' +
    'types, no validation, nothing stored (PapaParse with its default options; uDSV with ' +
    '`inferSchema` + `stringArrs`). Reading the `File` as text (`file.text()`) is timed on its own ' +
    'and added back for the comparison, since the page\'s end to end includes reading the file. ' +
    'Each figure is the best of the repeats. Target: the page ≥ 3× uDSV. ' +
    `PapaParse ${versionOf(runs, 'papaparse')}, uDSV ${versionOf(runs, 'udsv')} (npm, pinned in package-lock.json).`,
    ['rows', 'read as text', 'PapaParse (parse only)', 'uDSV (parse only)', 'uDSV, read + parse',
      'page end to end ÷ uDSV read + parse (speed)'],
    runs.map(([size, run]) => {
      const p = run.parsers;
      if (failure(run, p)) return [size, failure(run, p)];
      const uDSV = p.udsv.read_ms + p.udsv.parse_ms;
      return [size, `${p.udsv.read_ms.toFixed(1)} ms`,
        `${rate(run.bytes, p.papaparse.parse_ms)} (${p.papaparse.parse_ms.toFixed(1)} ms)`,
        `${rate(run.bytes, p.udsv.parse_ms)} (${p.udsv.parse_ms.toFixed(1)} ms)`, rate(run.bytes, uDSV),
        failure(run.import) ? 'no page import' : (uDSV / run.import.end_to_end_ms).toFixed(2) + '×'];
    }));

  const sliders = runs.filter(([, run]) => run.slider);
  table('### Slider to results',
    `${SLIDER_MOVES} moves of the first item's weight slider with the keyboard (ArrowRight, ` +
    'ArrowLeft, focused slider), each timed in the page from its `input` event (a capture listener) ' +
    'to the net value and the histogram chart both changed in the DOM (MutationObserver), and to ' +
    'the first task after that, when the frame\'s style, layout and paint are done. The page applies ' +
    'a move in its input handler, unless it already recomputed in that animation frame: then at the ' +
    'next frame, once for all the moves in between (`leadingPerFrame` in web/dom.js). The wait before ' +
    'the recompute starts, `results()` (one per recompute), every calculator call, and the page\'s own ' +
    'rendering (the rest) are shown apart. p50 / p95. Target: input → DOM p95 ≤ 16 ms at 1M.',
    ['rows', 'input → numbers in the DOM', 'input → frame done', 'wait before the recompute', '`results()`',
      'all calculator calls', 'page rendering'],
    sliders.length ? sliders.map(([size, { slider: sl }]) => (failure(sl) ? [size, failure(sl)]
      : [size, pair(sl.to_dom_ms), pair(sl.to_painted_ms), pair(sl.wait_ms), pair(sl.recompute_ms),
        pair(sl.calculator_ms), pair(sl.page_render_ms)]))
      : [[SLIDER_SIZES.join(', '), 'not in this run\'s sizes']]);

  const st = c.startup;
  table('### Startup',
    'Fresh loads of the page from `file://` with its built-in sample (a new browser context each; ' +
    'one more load before them is not counted). Times from the navigation\'s start ' +
    '(`performance.timeOrigin`): the net value first showing a number (`data-testid="net-value"` gets ' +
    'its `data-value`), the end of the frame that shows it, the page marked ready ' +
    '(`body[data-state="ready"]`, after the quick calculators and the saved-data check) and ' +
    'DOMContentLoaded. Median / p95. Target: median ≤ 300 ms to first results.',
    ['loads', 'first results in the DOM', 'that frame done', 'page ready', 'DOMContentLoaded'],
    [failure(st) ? ['', failure(st)] : [st.loads, spreadOf(st.first_results_ms), spreadOf(st.painted_ms),
      spreadOf(st.ready_ms), spreadOf(st.dom_content_loaded_ms)]]);
  return lines;
}

function versionOf(runs, parser) {
  for (const [, run] of runs) if (run.parsers && run.parsers[parser]) return run.parsers[parser].version;
  return require(`${parser}/package.json`).version;
}

module.exports = { measure, markdownSection };

// `node scripts/lib/bench-chromium.js` runs this stage alone (SIZES as for scripts/bench) and
// prints its JSON, for working on it; scripts/bench runs it through bench-run.js.
if (require.main === module) {
  const data = path.join(root, 'bench/data');
  measure({
    data, modelPath: path.join(data, 'model.json'),
    sizes: (process.env.SIZES || '10k,100k').split(',').map((s) => s.trim()),
    repeats: { '10k': 5, '100k': 3, '1m': 1 },
  }).then((out) => console.log(JSON.stringify(out, null, 1)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
