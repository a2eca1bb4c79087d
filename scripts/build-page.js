#!/usr/bin/env node
// Builds dist/customer-value-calculator.html: ONE self-contained file (CSS, JS, the wasm module
// and the sample data inlined) that works from file:// with no network, so people can save it
// and mail it around. Next to it, for offline use over http(s) only: the service worker (sw.js,
// stamped with a hash of the built files), the web app manifest and its icons (the PNGs drawn
// from web/icon.svg). And for embedding (docs/embed.md): dist/customer-value-calculator.js, the
// <customer-value-calculator> element as ONE script made from the same sources, and the guide
// and demo pages from web/embed/. Usage: node scripts/build-page.js [wasm build dir]
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { iconPng } = require('./lib/icon-png.js');

const root = path.join(__dirname, '..');
const PAGE = 'customer-value-calculator.html';
const MANIFEST = 'manifest.webmanifest';
const ELEMENT = 'customer-value-calculator.js';
// The page's scripts that only the standalone page runs; the element's script leaves them out.
const PAGE_ONLY = new Set(['page-shell.js', 'embed-frame.js']);
const FROM_WASM_BUILD = new Set(['cvc-module.js', 'cvc-api.js', 'cvc-import-worker.js']);
const ENGINE = ['cvc-module.js', 'cvc-api.js', 'cvc-import-worker.js'];
const SCRIPT_TAG = /<script src="([^"]+)"><\/script>/g;
// <script type="application/json" id="…" data-src="sample/x.json"></script> (or text/csv): the sample.
const DATA_TAG = /<script type="(application\/json|text\/csv)" id="([^"]+)" data-src="([^"]+)"><\/script>/g;

// Text placed inside <script> must not contain "</script" (nor "<!--", which changes how the
// HTML parser reads the rest of a script element).
function scriptSafe(text) {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * Raw DEFLATE (RFC 1951) of `bytes`, as small as we can make it: with zopfli (Debian's package,
 * which scripts/setup installs) when it is there, which deflates the module 5.7% smaller than
 * zlib's level 9 (measured: 151.6 KB → 143.1 KB) in about a second; else with zlib, level 9.
 * Any inflater reads either. Cached, as the page and the element carry the same bytes.
 */
const deflatedCache = new Map();
function deflateSmallest(bytes) {
  const key = crypto.createHash('sha256').update(bytes).digest('hex');
  if (!deflatedCache.has(key)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvc-deflate-'));
    let out = null;
    try {
      const file = path.join(dir, 'in');
      fs.writeFileSync(file, bytes);
      const run = spawnSync('zopfli', ['--deflate', '-c', file], { maxBuffer: 1 << 28 });
      if (run.status === 0) out = run.stdout;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (!out) {
      console.error('build-page: zopfli not found (apt-get install zopfli); deflating with zlib, which is ~6% larger');
      out = zlib.deflateRawSync(bytes, { level: 9 });
    }
    deflatedCache.set(key, out);
  }
  return deflatedCache.get(key);
}

/**
 * The wasm bytes, deflated (deflateSmallest) and as base64, in a script placed before the
 * module's; cvc-api.js inflates them with the browser's DecompressionStream and hands them to
 * the runtime (wasmBinary), so the page fetches nothing. Deflated, the module is about 43% of
 * its size (measured: 335 KB → 143 KB), and base64 of it about 60% of base64 of the raw bytes.
 * base64 is [A-Za-z0-9+/=]: script-safe. Served gzipped, base64 of deflated bytes costs about
 * as much as the deflated bytes themselves. An older SINGLE_FILE build carries its wasm inside
 * cvc-module.js and has no .wasm file.
 */
function wasmAssignment(wasmDir) {
  const file = path.join(wasmDir, 'cvc-module.wasm');
  if (!fs.existsSync(file)) return '';
  const deflated = deflateSmallest(fs.readFileSync(file));
  return 'self.cvcWasmEncoding = "deflate-raw";\nself.cvcWasmBase64 = "' + deflated.toString('base64') + '";\n';
}

function wasmScript(wasmDir) {
  const assignment = wasmAssignment(wasmDir);
  return assignment && '<script>\n' + assignment + '</script>\n';
}

/**
 * A script's text as it goes into the built files: minified with terser (comments and
 * whitespace out, local names shortened; top-level names, which the scripts share, are kept),
 * which takes the page's own scripts to about 40% of their size. CVC_MINIFY=0 keeps the
 * sources as written, for debugging in the browser.
 */
function minified(code, name) {
  if (process.env.CVC_MINIFY === '0') return code;
  const { minify_sync: minifySync } = require('terser');
  try {
    return minifySync(code, { ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } }).code;
  } catch (e) {
    throw new Error('cannot minify ' + name + ': ' + e.message + (e.line ? ' (line ' + e.line + ')' : ''));
  }
}

/**
 * CSS without comments and indentation (a third smaller); nothing else is rewritten, so no
 * selector or value can change meaning. CVC_MINIFY=0 keeps it as written.
 */
function minifiedCss(css) {
  if (process.env.CVC_MINIFY === '0') return css;
  return css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s*\n\s*/g, '\n').replace(/\n+/g, '\n').trim() + '\n';
}

/**
 * The page's markup without HTML comments and line indentation. Whitespace between elements
 * stays (one line break), so inline text keeps its spaces; index.html has no <pre>, and its
 * one <textarea> is empty.
 */
function minifiedHtml(html) {
  if (process.env.CVC_MINIFY === '0') return html;
  return html.replace(/<!--[\s\S]*?-->/g, '').replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n');
}

/**
 * The module's runtime (cvc-module.js) as the function cvcRuntime() that returns its factory:
 * the import worker (cvc-import-worker.js) is made from this function's source text, so the
 * page carries the runtime once and the worker needs no file of its own (it works from file://).
 */
function runtimeScript(code) {
  return 'function cvcRuntime() {\n' + code.trim() + '\nreturn createCvcModule;\n}\n';
}

/** Where a script the page names comes from: the module and its API glue from the wasm build. */
function scriptPath(src, webDir, wasmDir) {
  return FROM_WASM_BUILD.has(src) ? path.join(wasmDir, src) : path.join(webDir, src);
}

/** A sample's text: JSON parsed and re-serialised (so a broken sample fails the build), CSV as is. */
function sampleText(read, webDir, type, src) {
  const text = read(path.join(webDir, src));
  return type === 'application/json' ? JSON.stringify(JSON.parse(text)) : text;
}

/** The one-file page: web/index.html with everything it references inlined. */
function inlinePage(read, webDir, wasmDir) {
  // Markup first (before scripts and styles go in, which it must not touch).
  let html = minifiedHtml(read(path.join(webDir, 'index.html')));

  // <link rel="stylesheet" href="x.css"> → <style>
  html = html.replace(/<link rel="stylesheet" href="([^"]+)">/g, (m, href) =>
    '<style>\n' + minifiedCss(read(path.join(webDir, href))).replace(/<\/(style)/gi, '<\\/$1') + '</style>');

  // <link rel="icon" href="x.svg"> → a data: URL, so no browser asks the server for a favicon.
  html = html.replace(/<link rel="icon" href="([^"]+\.svg)"/g, (m, href) =>
    '<link rel="icon" href="data:image/svg+xml;base64,' +
    Buffer.from(read(path.join(webDir, href))).toString('base64') + '"');

  // <script src="x.js"></script> → inline.
  const wasm = wasmScript(wasmDir);
  html = html.replace(SCRIPT_TAG, (m, src) => {
    const code = minified(read(scriptPath(src, webDir, wasmDir)), src);
    return (src === 'cvc-module.js' ? wasm : '') + '<script>\n' +
      scriptSafe(src === 'cvc-module.js' ? runtimeScript(code) + 'var createCvcModule = cvcRuntime();' : code) + '\n</script>';
  });

  // The samples' data-src → their text inlined.
  html = html.replace(DATA_TAG, (m, type, id, src) =>
    '<script type="' + type + '" id="' + id + '">' + scriptSafe(sampleText(read, webDir, type, src)) + '</script>');

  if (/<script src=|<link rel="(stylesheet|icon)" href="(?!data:)/.test(html)) {
    throw new Error('a script, stylesheet or icon reference was left un-inlined');
  }
  return html;
}

/**
 * styles.css and embed.css for the element's shadow root. The page's width media queries become
 * container queries on the element (embed.css makes it the container), so the calculator's
 * layout follows the element's width, not the window's.
 */
function elementCss(read, webDir) {
  const css = (read(path.join(webDir, 'styles.css')) + '\n' + read(path.join(webDir, 'embed.css')))
    .replace(/@media \(((?:max|min)-width: [^)]+)\)/g, '@container ($1)');
  if (/@media[^{]*width/.test(css)) throw new Error('styles.css has a width media query the element build does not convert');
  return css;
}

/**
 * The element's one file: the wasm bytes; CVC.embedAssets (the styles, the markup of the page's
 * <main>, the samples) with CVC.pageStart = false (a host page's own #app never starts the page's
 * calculator); the page's scripts in the page's order, less PAGE_ONLY; then embed-element.js.
 * The module and its API run in a scope where a host page's AMD `define` or CommonJS globals
 * are not seen, so they always define their browser globals.
 */
function elementScript(read, webDir, wasmDir) {
  const html = minifiedHtml(read(path.join(webDir, 'index.html')));
  const main = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html);
  if (!main) throw new Error('web/index.html has no <main> to take the element\'s markup from');
  const samples = {};
  for (const [, type, id, src] of html.matchAll(DATA_TAG)) samples[id] = sampleText(read, webDir, type, src);
  const assets = {
    css: minifiedCss(elementCss(read, webDir)), markup: main[1].trim(),
    sampleModel: samples['sample-model'], sampleSurvey: samples['sample-survey'], sampleCustomers: samples['sample-customers'],
  };
  if (Object.values(assets).some((v) => typeof v !== 'string')) throw new Error('web/index.html lacks a sample the element needs');
  const scripts = Array.from(html.matchAll(SCRIPT_TAG), (m) => m[1]).filter((src) => !PAGE_ONLY.has(src));
  const source = (src) => '// ---- ' + src + '\n' + minified(read(scriptPath(src, webDir, wasmDir)), src).trim() + '\n';
  const engine = scripts.filter((src) => FROM_WASM_BUILD.has(src));
  if (engine.join() !== ENGINE.join()) throw new Error('web/index.html must load ' + ENGINE.join(', then '));
  return [
    '/*! Customer Value Calculator: the <customer-value-calculator> element, in one file (everything',
    ' * inlined, nothing fetched). Built by scripts/build-page.js from web/; see docs/embed.md. */',
    wasmAssignment(wasmDir).trim(),
    'window.CVC = window.CVC || {};',
    'CVC.pageStart = false;',
    'CVC.embedAssets = ' + JSON.stringify(assets) + ';',
    ';(function (define, module, exports) {',
    runtimeScript(source('cvc-module.js')) + 'self.cvcRuntime = cvcRuntime;\nself.createCvcModule = cvcRuntime();',
    source('cvc-api.js'), source('cvc-import-worker.js') + '})();',
    ...scripts.filter((src) => !FROM_WASM_BUILD.has(src)).map((src) => ';' + source(src)),
    ';' + source('embed-element.js'),
  ].join('\n');
}

/** The embedding guide and demo: web/embed/ copied as it is. Returns [{name, data}]. */
function embedPages(webDir) {
  const dir = path.join(webDir, 'embed');
  return fs.readdirSync(dir).sort().map((name) => ({ name, data: fs.readFileSync(path.join(dir, name)) }));
}

/**
 * The files beside the page for offline use over http(s): the manifest (checked JSON) and each
 * icon it names, an SVG copied from web/ or a PNG drawn from web/icon.svg at its "NxN" size.
 * Returns [{name, data}], the manifest first.
 */
function shellFiles(read, webDir) {
  let manifest;
  try {
    manifest = JSON.parse(read(path.join(webDir, MANIFEST)));
  } catch (e) {
    throw new Error('web/' + MANIFEST + ' is not valid JSON: ' + e.message);
  }
  const files = [{ name: MANIFEST, data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n') }];
  for (const icon of manifest.icons || []) {
    if (!/^[a-z0-9-]+\.(svg|png)$/.test(icon.src || '')) {
      throw new Error(MANIFEST + ': icon src ' + JSON.stringify(icon.src) + ' must be a file name like icon-192.png');
    }
    if (icon.src.endsWith('.svg')) {
      files.push({ name: icon.src, data: Buffer.from(read(path.join(webDir, icon.src))) });
      continue;
    }
    const size = /^(\d+)x\1$/.exec(icon.sizes || '');
    if (!size) throw new Error(MANIFEST + ': icon ' + icon.src + ' needs square sizes like "192x192"');
    files.push({ name: icon.src, data: iconPng(read(path.join(webDir, 'icon.svg')), Number(size[1])) });
  }
  return files;
}

/** The cache name's version: a hash of every file the service worker keeps, names included. */
function shellVersion(files) {
  const hash = crypto.createHash('sha256');
  for (const { name, data } of files) hash.update(name + '\0' + data.length + '\0').update(data);
  return hash.digest('hex').slice(0, 16);
}

/** web/sw.js with its BUILD line replaced by this build's version and file list. */
function stampServiceWorker(source, version, names) {
  const line = /^const BUILD = .*;$/m;
  if (!line.test(source)) throw new Error('web/sw.js has no "const BUILD = …;" line to stamp');
  return source.replace(line, 'const BUILD = ' + JSON.stringify({ version, files: names }) + ';');
}

/**
 * Builds into distDir; returns {html, version, files} (files: every name written). Throws an
 * Error with a message for people when an input is missing or malformed.
 */
function build({ webDir = path.join(root, 'web'), wasmDir = path.join(root, 'build/wasm/wasm'),
  distDir = path.join(root, 'dist') } = {}) {
  const read = (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error('cannot read ' + path.relative(root, file) + ' (' + e.code + ')' +
        (file.startsWith(wasmDir) ? '; build the wasm module first (cmake --build --preset wasm)' : ''));
    }
  };
  const html = inlinePage(read, webDir, wasmDir);
  const shell = [{ name: PAGE, data: Buffer.from(html) }, ...shellFiles(read, webDir)];
  const version = shellVersion(shell);
  const names = shell.map((f) => f.name);
  const worker = stampServiceWorker(read(path.join(webDir, 'sw.js')), version, names);
  // The element and the embedding pages are not part of the offline shell the worker keeps.
  const element = elementScript(read, webDir, wasmDir);
  const embedding = [{ name: ELEMENT, data: Buffer.from(element) }, ...embedPages(webDir)];
  fs.mkdirSync(distDir, { recursive: true });
  for (const { name, data } of [...shell, { name: 'sw.js', data: Buffer.from(worker) }, ...embedding]) {
    fs.writeFileSync(path.join(distDir, name), data);
  }
  return { html, element, version, files: [...names, 'sw.js'], embedding: embedding.map((f) => f.name) };
}

if (require.main === module) {
  const wasmDir = path.resolve(process.argv[2] || path.join(root, 'build/wasm/wasm'));
  let result;
  try {
    result = build({ wasmDir });
  } catch (e) {
    console.error('build-page: ' + e.message);
    process.exit(1);
  }
  const gz = zlib.gzipSync(result.html).length;
  console.log('wrote dist/' + PAGE + ': ' + (result.html.length / 1024).toFixed(0) + ' KiB, ' +
    (gz / 1024).toFixed(0) + ' KiB gzipped');
  console.log('and for offline use over http: ' + result.files.slice(1).join(', ') +
    ' (cache version ' + result.version + ')');
  const elementGz = zlib.gzipSync(result.element).length;
  console.log('for embedding: ' + result.embedding.join(', ') + ' (' + ELEMENT + ': ' +
    (result.element.length / 1024).toFixed(0) + ' KiB, ' + (elementGz / 1024).toFixed(0) + ' KiB gzipped)');
}

module.exports = { build, stampServiceWorker, shellVersion };
