#!/usr/bin/env node
// Runs the measurements of scripts/bench (which builds everything first) and writes
// bench/results/<name>.json and docs/benchmarks.md. Every figure is the best of a few runs
// (wall clock); the machine is described in the output, and its load at the start is noted.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const root = path.join(__dirname, '..', '..');
const data = path.join(root, 'bench/data');
const model = path.join(data, 'model.json');
const nativeBench = path.join(root, 'build/bench-native/bench/cvc_bench');
const wasmBench = path.join(root, 'build/bench-wasm/bench/cvc_bench.js');
const cvc = path.join(root, 'build/bench-native/cli/cvc');
const moduleDir = path.join(root, 'build/wasm/wasm');
const page = path.join(root, 'dist/customer-value-calculator.html');
const node = process.execPath;

const sizes = (process.env.SIZES || '10k,100k,1m').split(',').map((s) => s.trim());
// Short runs: the machine is shared. The 1M file takes seconds per import, so once.
const repeats = { '10k': 5, '100k': 3, '1m': 1 };

function sh(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options }).trim();
}
function maybe(fn, fallback = 'unknown') {
  try {
    return fn();
  } catch (e) {
    return fallback;
  }
}

function machine() {
  const cpu = maybe(() => /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))[1]);
  const release = maybe(() => /PRETTY_NAME="([^"]*)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))[1]);
  return {
    cpu,
    cores: os.cpus().length,
    ram_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${release} (Linux ${os.release()})`,
    gcc: maybe(() => sh('g++', ['--version']).split('\n')[0]),
    emscripten: maybe(() => {
      const v = spawnSync('em++', ['-v'], { encoding: 'utf8' });
      const text = v.stdout + v.stderr;
      return `emcc ${/\) ([0-9.]+)/.exec(text)[1]} (clang ${/clang version ([0-9.]+)/.exec(text)[1]})`;
    }),
    node: process.version,
    load_average_at_start: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

function driver(size, wasm, csv = path.join(data, `survey-${size}.csv`)) {
  const args = ['import', model, csv, '--repeat', String(repeats[size] || 3), '--kernel-loops', '5'];
  const out = wasm ? sh(node, ['--no-experimental-fetch', wasmBench, ...args]) : sh(nativeBench, args);
  return JSON.parse(out.split('\n').pop());
}

// The page's own module through its embind API, as cvc-api.js calls it, in a fresh node
// process: the import, results, and the module's memory (HEAP8.length) after the import.
function moduleRun(size) {
  const script = `
    const fs = require('fs');
    const create = require(${JSON.stringify(path.join(moduleDir, 'cvc-module.js'))});
    (async () => {
      const m = await create();
      const calc = new m.Calculator();
      const error = calc.loadModel(fs.readFileSync(${JSON.stringify(model)}, 'utf8'));
      if (error) throw new Error(error.message);
      const bytes = fs.readFileSync(${JSON.stringify(path.join(data, `survey-${size}.csv`))});
      const heapBefore = m.HEAP8.length;
      let t = process.hrtime.bigint();
      const preview = JSON.parse(calc.beginCsvImport(new Uint8Array(bytes))).value;
      const mapping = preview.columns.map((c) => c.proposed);
      const staged = JSON.parse(calc.stageCsvImport(JSON.stringify(mapping), preview.delimiter,
        preview.decimal_comma, JSON.stringify(preview.satisfaction)));
      if (staged.error) throw new Error(staged.error.message);
      const committed = calc.commitImport(false);
      if (committed) throw new Error(committed.message);
      const importMs = Number(process.hrtime.bigint() - t) / 1e6;
      t = process.hrtime.bigint();
      JSON.parse(calc.resultsJson());
      const firstMs = Number(process.hrtime.bigint() - t) / 1e6;
      let weightMs = Infinity;
      for (let i = 0; i < 5; i++) {
        calc.setWeight('insights', i % 2 ? 7 : 3, '');
        t = process.hrtime.bigint();
        JSON.parse(calc.resultsJson());
        weightMs = Math.min(weightMs, Number(process.hrtime.bigint() - t) / 1e6);
      }
      console.log(JSON.stringify({ bytes: bytes.length, rows: calc.responseRows(), import_ms: importMs,
        results_after_import_ms: firstMs, results_after_weight_ms: weightMs,
        heap_bytes_before: heapBefore, heap_bytes: m.HEAP8.length }));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(sh(node, ['--no-experimental-fetch', '-e', script]).split('\n').pop());
}

function cliRun(size) {
  const csv = path.join(data, `survey-${size}.csv`);
  if (fs.existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-v', cvc, 'score', csv, '--model', model],
                        { encoding: 'utf8', maxBuffer: 1 << 26 });
    const field = (name) => new RegExp(`${name}: (.*)`).exec(r.stderr)[1].trim();
    const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)').split(':').map(Number);
    return { tool: '/usr/bin/time -v', exit_status: r.status,
             wall_s: wall.reduce((a, x) => a * 60 + x, 0),
             max_rss_kib: Number(field('Maximum resident set size \\(kbytes\\)')) };
  }
  return { tool: 'getrusage (cvc_bench run)',
           ...JSON.parse(sh(nativeBench, ['run', cvc, 'score', csv, '--model', model])) };
}

function pageSize() {
  const bytes = fs.readFileSync(page);
  return { raw_bytes: bytes.length, gzip_bytes: zlib.gzipSync(bytes, { level: 9 }).length,
           module_wasm_bytes: fs.statSync(path.join(moduleDir, 'cvc-module.wasm')).size,
           module_js_bytes: fs.statSync(path.join(moduleDir, 'cvc-module.js')).size };
}

// ---- run ----

// `--from bench/results/x.json` only rewrites docs/benchmarks.md from a saved run.
const from = process.argv.indexOf('--from');
if (from >= 0) {
  const saved = JSON.parse(fs.readFileSync(process.argv[from + 1], 'utf8'));
  fs.writeFileSync(path.join(root, 'docs/benchmarks.md'), markdown(saved));
  console.log('bench: wrote docs/benchmarks.md from', process.argv[from + 1]);
  process.exit(0);
}

async function main() {
  const started = new Date();
  const commit = maybe(() => sh('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }), 'unknown');
  const name = process.env.NAME || `${started.toISOString().slice(0, 10)}-${commit}`;
  const result = { name, date: started.toISOString(), commit, machine: machine(), runs: {} };
  for (const size of sizes) {
    process.stdout.write(`bench: ${size}: native`);
    const native = driver(size, false);
    process.stdout.write(', wasm');
    const wasm = driver(size, true);
    process.stdout.write(', module\n');
    result.runs[size] = { repeat: repeats[size] || 3, native, wasm, module: moduleRun(size) };
  }
  // The largest survey again with random UUID-like ids (make-bench-survey.js): the same answers,
  // ids in no order, so the duplicate-id check works through its table.
  const uuidSize = sizes[sizes.length - 1];
  const uuidCsv = path.join(data, `survey-${uuidSize}-uuid-ids.csv`);
  if (fs.existsSync(uuidCsv)) {
    console.log(`bench: ${uuidSize} with random ids: native, wasm`);
    result.uuid_ids = { size: uuidSize, native: driver(uuidSize, false, uuidCsv),
                        wasm: driver(uuidSize, true, uuidCsv) };
  }
  // Chromium: the page, PapaParse and uDSV, the same driver in the browser's wasm engine.
  result.chromium = await require('./bench-chromium.js').measure({ data, modelPath: model, sizes, repeats });
  const largest = sizes[sizes.length - 1];
  console.log(`bench: cvc score ${largest}`);
  result.cli = { size: largest, ...cliRun(largest) };
  result.page = pageSize();
  result.load_average_at_end = os.loadavg().map((x) => +x.toFixed(2));

  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  const jsonPath = path.join(root, 'bench/results', `${name}.json`);
  fs.writeFileSync(jsonPath, JSON.stringify(result, null, 1) + '\n');
  fs.writeFileSync(path.join(root, 'docs/benchmarks.md'), markdown(result));
  console.log(`bench: wrote ${path.relative(root, jsonPath)} and docs/benchmarks.md`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// ---- the table ----

/**
 * The performance issue's targets against this run's figures (the largest size measured), one
 * row each: what, target, measured, met. Figures a run lacks say so.
 */
function targetTable(r) {
  const chromium = r.chromium;
  const sizes = Object.keys(r.runs);
  const size = sizes[sizes.length - 1];
  const page = chromium && chromium.runs[size] && !chromium.runs[size].failed ? chromium.runs[size] : null;
  const rows = [];
  const row = (what, target, measured, met) =>
    rows.push(`| ${what} | ${target} | ${measured === null ? 'not measured' : measured} | ` +
      `${measured === null ? '' : met ? 'yes' : '**no**'} |`);
  const rate = (bytes, ms) => bytes / 2 ** 20 / (ms / 1000);
  if (page && page.import) {
    const speed = rate(page.bytes, page.import.end_to_end_ms);
    row(`import through the page, ${size}, end to end`, '≥ 150 MiB/s', `${speed.toFixed(1)} MiB/s`, speed >= 150);
    const u = page.parsers && page.parsers.udsv;
    if (u) {
      const times = rate(page.bytes, page.import.end_to_end_ms) / rate(page.bytes, u.read_ms + u.parse_ms);
      row(`the same against uDSV reading + parsing to strings`, '≥ 3×', `${times.toFixed(2)}×`, times >= 3);
    }
    const memory = page.memory_after_import_bytes;
    if (memory) row(`the page's wasm memory after that import`, '≤ 64 MiB', `${(memory / 2 ** 20).toFixed(1)} MiB`, memory <= 64 * 2 ** 20);
  } else {
    row(`import through the page, ${size}`, '≥ 150 MiB/s, ≥ 3× uDSV, ≤ 64 MiB', null);
  }
  if (page && page.slider) {
    const p95 = page.slider.to_dom_ms.p95;
    row(`slider input → numbers in the DOM, ${size}, p95`, '≤ 16 ms', `${p95} ms`, p95 <= 16);
  } else {
    row(`slider input → numbers in the DOM, ${size}, p95`, '≤ 16 ms', null);
  }
  const run = r.runs[size];
  for (const [key, label] of [['stats_build_us', 'statistics'], ['histogram_us', 'net value histogram']]) {
    const node = run.wasm[key] / run.native[key];
    const driver = page && page.driver && !page.driver.failed ? page.driver : null;
    const browser = driver ? driver[key] / run.native[key] : null;
    row(`kernel: ${label}, ${size}, wasm ÷ native`, '≤ 1.5×',
      `${node.toFixed(2)}× (node)` + (browser === null ? '' : `, ${browser.toFixed(2)}× (Chromium)`),
      Math.max(node, browser === null ? 0 : browser) <= 1.5);
  }
  row('page size, raw', '≤ 400 KB', `${(r.page.raw_bytes / 1000).toFixed(0)} KB`, r.page.raw_bytes <= 400000);
  row('page size, gzip -9', '≤ 150 KB', `${(r.page.gzip_bytes / 1000).toFixed(0)} KB`, r.page.gzip_bytes <= 150000);
  if (chromium && chromium.startup) {
    const median = chromium.startup.first_results_ms.median;
    row('startup from file://, to first results, median', '≤ 300 ms', `${median} ms`, median <= 300);
  } else {
    row('startup from file://, to first results, median', '≤ 300 ms', null);
  }
  return ['## Against the targets', '', '| what | target | measured | met |', '| --- | --- | --- | --- |', ...rows,
    '', 'The tables below have the detail; the reasons for the misses are in the README and the issue notes.'];
}

function markdown(r) {
  const m = r.machine;
  const mib = (b) => (b / 2 ** 20).toFixed(1) + ' MiB';
  const kb = (b) => (b / 1000).toFixed(0) + ' KB';
  const us = (x) => (x >= 10000 ? (x / 1000).toFixed(0) + ' ms' : x >= 1000 ? (x / 1000).toFixed(1) + ' ms' : x.toFixed(0) + ' µs');
  const ratio = (w, n) => (w / n).toFixed(1) + '×';
  const rows = Object.entries(r.runs);
  const chromium = r.chromium; // absent in runs made before the Chromium stage
  // The Chromium driver's figures for a size, or a cell saying why there are none.
  const inChromium = (size) => {
    const run = chromium && chromium.runs[size];
    if (!run) return { missing: 'not measured' };
    if (run.failed || run.driver.failed) return { missing: 'failed: ' + (run.failed || run.driver.failed) };
    return run.driver;
  };
  const chromiumCell = (size, cell) => {
    const d = inChromium(size);
    return d.missing ? d.missing : cell(d);
  };
  // Quiet: every 1-minute load average read during the run below 2.5 (2 cores).
  const readings = [m.load_average_at_start, r.load_average_at_end,
    ...(chromium ? [chromium.load_average_at_start, chromium.load_average_at_end] : [])];
  const quiet = readings.every((l) => Array.isArray(l) && l[0] < 2.5);
  const lines = [];
  const push = (...l) => lines.push(...l);
  push('# Benchmarks', '',
    `Measured by \`bash scripts/bench\` on ${r.date.slice(0, 10)} at commit ${r.commit} ` +
    `(raw figures: [bench/results/${r.name}.json](../bench/results/${r.name}.json)).`, '',
    ...targetTable(r), '',
    '| machine | |', '| --- | --- |',
    `| CPU | ${m.cpu} |`, `| cores | ${m.cores} |`, `| RAM | ${m.ram_gib} GiB |`, `| OS | ${m.os} |`,
    `| native compiler | ${m.gcc}, \`-O2\` (the bench build; the \`native\` preset is \`-O3\`) |`,
    `| wasm compiler | ${m.emscripten}, the module's flags (\`-Oz\`, kernels \`-O2 -msimd128\`), run in node ${m.node} |`,
    `| load average (1, 5, 15 min) | ${m.load_average_at_start.join(', ')} at the start, ${r.load_average_at_end.join(', ')} at the end |`,
    ...(chromium ? [
      `| browser | ${chromium.browser}, driven by ${chromium.driver} |`,
      `| load average during the Chromium runs | ${chromium.load_average_at_start.join(', ')} at their start, ` +
        `${chromium.load_average_at_end.join(', ')} at their end |`] : []),
    '',
    '**Noise.** This machine has 2 cores' + (quiet
      ? ' and ran nothing else meanwhile (1-minute load average below 2.5 at every reading)'
      : ' and was shared with other builds and tests while it ran (see the load average)') +
    ': treat differences under about 30% as noise. Each figure is the best ' +
    'of a few short runs (wall clock): 5 for 10k rows, 3 for 100k, 1 for 1M.', '',
    '## Survey import', '',
    'Parse + validate + store through the calculator, as the page does it (preview with the ' +
    'proposed mapping, check, commit). The same C++ natively, compiled to wasm under node, and ' +
    'the same driver linked for a page and run in Chromium (cross-origin isolated, so its clock ' +
    'ticks in 5 µs steps).', '',
    '| rows | file | native | wasm (node) | wasm (Chromium) | node ÷ native | Chromium ÷ native |',
    '| --- | --- | --- | --- | --- | --- | --- |');
  for (const [size, run] of rows) {
    push(`| ${size} (${run.native.rows.toLocaleString('en')} imported) | ${mib(run.native.bytes)} | ` +
      `${run.native.import_mib_per_s.toFixed(1)} MiB/s (${us(run.native.import_us)}) | ` +
      `${run.wasm.import_mib_per_s.toFixed(1)} MiB/s (${us(run.wasm.import_us)}) | ` +
      `${chromiumCell(size, (d) => `${d.import_mib_per_s.toFixed(1)} MiB/s (${us(d.import_us)})`)} | ` +
      `${ratio(run.wasm.import_us, run.native.import_us)} | ` +
      `${chromiumCell(size, (d) => ratio(d.import_us, run.native.import_us))} |`);
  }
  const steps = (d) => `${us(d.import_preview_us)} / ${us(d.import_stage_us)} / ${us(d.adopt_parts_us)}`;
  if (r.uuid_ids && r.runs[r.uuid_ids.size] && r.uuid_ids.native.import_stage_us !== undefined) {
    const serial = r.runs[r.uuid_ids.size];
    const u = r.uuid_ids;
    push('', `The data's respondent ids are serial (R0000001, R0000002, …): the duplicate-id check ` +
      'then only compares each id with the one before. With random ids (UUIDs, as many survey ' +
      'tools export them) every id goes through a hash table, once in the import\'s row check and ' +
      'again when the page adopts the checked import from its worker. The same answers with ' +
      `random UUID-like ids, ${u.size} rows; the steps are the preview, the check (stage) and ` +
      'rebuilding the survey from its parts as the page adopts it, each the best of the runs:', '',
      '| ids | file | native | steps, native | wasm (node) | steps, wasm (node) |',
      '| --- | --- | --- | --- | --- | --- |');
    for (const [what, run] of [['serial', serial], ['random (UUID)', u]]) {
      push(`| ${what} | ${mib(run.native.bytes)} | ${run.native.import_mib_per_s.toFixed(1)} MiB/s | ` +
        `${steps(run.native)} | ${run.wasm.import_mib_per_s.toFixed(1)} MiB/s | ${steps(run.wasm)} |`);
    }
    // The check in two parts (StagePart), as the page's two workers do it from 8 MiB on.
    const parts = (d) => `${us(d.stage_part_read_us[0])} ∥ ${us(d.stage_part_read_us[1])} + ` +
      `${us(d.stage_part_join_us)} + ${us(d.stage_part_adopt_us)}`;
    if (serial.wasm.stage_part_read_us && u.wasm.stage_part_read_us) {
      push('', 'From 8 MiB the page checks a file in two workers at once, each reading half of it, and ' +
        'the page joins the two parts (StagePart::join). The same check in two parts, ' +
        'one after the other here, each step the best of the runs: the two parts read and checked ' +
        '(at the same time in the page), then the join in the first worker (the second part\'s ' +
        'ids looked up among the first\'s, the segments, the header), then the page\'s adopt of ' +
        'both parts\' arrays into one survey (each array filled once, every value checked again), ' +
        'against the check (stage) in one pass:', '',
        '| ids | one pass, native | two parts, native | one pass, wasm (node) | two parts, wasm (node) |',
        '| --- | --- | --- | --- | --- |');
      for (const [what, run] of [['serial', serial], ['random (UUID)', u]]) {
        push(`| ${what} | ${us(run.native.import_stage_us)} | ${parts(run.native)} | ` +
          `${us(run.wasm.import_stage_us)} | ${parts(run.wasm)} |`);
      }
    }
  }
  push('', '## Results', '',
    'After the import, `results()` builds the per-view sufficient statistics (once per data ' +
    'change) and computes everything from them; after a weight change it recomputes from the ' +
    'kept statistics (O(items² × views)) plus the net value histogram, the one part that needs ' +
    'every respondent: with whole-number weights one pass of an exact 16-bit SIMD kernel over the ' +
    'byte columns (two passes of a double kernel otherwise), and while the same item\'s weight ' +
    'keeps moving, not even that: the histogram follows from counts kept per answer to that item ' +
    '(NetValueCache in core/include/cvc/survey_stats.hpp). The weight change timed here moves the ' +
    'first item back and forth, as a slider does. The kernels are also timed on their own. Target ' +
    'from the issue: wasm ≤ 1.5× native on kernels.', '',
    '| rows | what | native | wasm (node) | wasm (Chromium) | node ÷ native | Chromium ÷ native |',
    '| --- | --- | --- | --- | --- | --- | --- |');
  const measures = [
    ['results_after_import_us', '`results()` after the import'],
    ['results_first_move_us', '`results()` after the first weight change (rows counted once)'],
    ['results_after_weight_us', '`results()` after a weight change'],
    ['stats_build_us', 'kernel: build the statistics (every view)'],
    ['results_from_stats_us', 'kernel: results from the statistics'],
    ['histogram_us', 'kernel: net value histogram (every respondent)'],
    ['results_json_us', 'results as JSON text'],
  ];
  for (const [size, run] of rows) {
    for (const [key, label] of measures) {
      push(`| ${size} | ${label} | ${us(run.native[key])} | ${us(run.wasm[key])} | ` +
        `${chromiumCell(size, (d) => us(d[key]))} | ${ratio(run.wasm[key], run.native[key])} | ` +
        `${chromiumCell(size, (d) => ratio(d[key], run.native[key]))} |`);
    }
  }
  push('', 'Reading the ratios: the statistics and histogram kernels, the CSV tokenizer and the ' +
    'import\'s per-row and per-answer code are built for speed in the module (`-O2 -msimd128`; ' +
    'SIMD alone makes the statistics 5× faster; each file\'s reason and size cost is in ' +
    'core/CMakeLists.txt): the kernels land near the 1.5× target and the import at about 2× ' +
    '(it was 6× while only the tokenizer was built for speed). Everything else is built for ' +
    'size (`-Oz`), as the page is mailed around: "results from the statistics" and the JSON text ' +
    'show larger ratios but take a fraction of a millisecond either way (at `-O2` the former ' +
    'measured 37 µs for 7 KB more wasm, not taken). Single-run 1M figures (the JSON text, for ' +
    'one) can be off by a memory growth or a collection.', '',
    'Before the sufficient statistics (commit dd235be), `results()` after a weight change ' +
    'recomputed every view from every respondent: 351 ms native at 1M rows, 36 ms at 100k ' +
    '(same machine, same data, measured with this driver).', '',
    '## The page\'s module under node', '',
    'The built module (`build/wasm`, as inlined in the page) driven through its embind API the ' +
    'way `cvc-api.js` drives it without a Web Worker (the page\'s path only where workers are ' +
    'not allowed, for files up to 50 MB): the whole file\'s bytes copied in, preview, check, ' +
    'commit; then `results()` as parsed JSON. Memory is the module\'s linear memory ' +
    '(`HEAP8.length`), which only grows: the high-water mark of an import that held the whole ' +
    'file. The page reads files in a Web Worker, in slices; the memory target applies to that ' +
    'path and is measured in Chromium below.', '',
    '| rows | import | `results()` after import | after a weight change | wasm memory after the import |',
    '| --- | --- | --- | --- | --- |');
  for (const [size, run] of rows) {
    const mod = run.module;
    push(`| ${size} | ${(mod.import_ms / 1000).toFixed(1)} s (${(mod.bytes / 2 ** 20 / (mod.import_ms / 1000)).toFixed(1)} MiB/s) | ` +
      `${mod.results_after_import_ms.toFixed(1)} ms | ${mod.results_after_weight_ms.toFixed(1)} ms | ` +
      `${mib(mod.heap_bytes)} |`);
  }
  push('', '## Beyond a browser tab: `cvc score`', '',
    `| rows | wall time | max RSS | measured with |`, '| --- | --- | --- | --- |',
    `| ${r.cli.size} | ${r.cli.wall_s.toFixed(1)} s | ${(r.cli.max_rss_kib / 1024).toFixed(0)} MiB | ${r.cli.tool} |`,
    '', 'Memory does not grow with the rows except for the respondent-id duplicate check (each id ' +
    'kept once); a file without an id column runs in about 6 MiB whatever its size.', '',
    '## Page size', '',
    '| file | raw | gzip -9 | target |', '| --- | --- | --- | --- |',
    `| dist/customer-value-calculator.html | ${kb(r.page.raw_bytes)} | ${kb(r.page.gzip_bytes)} | ≤ 400 KB raw, ≤ 150 KB gzipped |`,
    ...(r.page.module_wasm_bytes
      ? ['', `Of which the module: ${kb(r.page.module_wasm_bytes)} of wasm (inlined as base64, a third ` +
         `more) and ${kb(r.page.module_js_bytes)} of JS; at commit dd235be, before this issue's ` +
         'work, the wasm was 341 KB. The rest is the page\'s own HTML, CSS and scripts.']
      : []),
    '');
  if (chromium) push(...require('./bench-chromium.js').markdownSection(chromium));
  else {
    push('## Not measured yet', '', 'Chromium-side figures: run `bash scripts/bench` again.', '',
      '| what | status |', '| --- | --- |',
      '| import in the page (Chromium) against PapaParse and uDSV parsing the same file | not measured yet |',
      '| slider latency in the page (input event to updated results) | not measured yet |',
      '| page startup (navigation to first results) | not measured yet |', '');
  }
  return lines.join('\n');
}
