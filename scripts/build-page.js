#!/usr/bin/env node
// Builds dist/customer-value-calculator.html: ONE self-contained file (CSS, JS, the wasm module
// and the sample data inlined) that works from file:// with no network, so people can save it
// and mail it around. Next to it, for offline use over http(s) only: the service worker (sw.js,
// stamped with a hash of the built files), the web app manifest and its icons (the PNGs drawn
// from web/icon.svg). Usage: node scripts/build-page.js [wasm build dir]
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { iconPng } = require('./lib/icon-png.js');

const root = path.join(__dirname, '..');
const PAGE = 'customer-value-calculator.html';
const MANIFEST = 'manifest.webmanifest';

// Text placed inside <script> must not contain "</script" (nor "<!--", which changes how the
// HTML parser reads the rest of a script element).
function scriptSafe(text) {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The wasm bytes as base64 in a script placed before the module's; cvc-api.js hands them to the
 * runtime (wasmBinary), so the page fetches nothing. base64 is [A-Za-z0-9+/=]: script-safe.
 * An older SINGLE_FILE build carries its wasm inside cvc-module.js and has no .wasm file.
 */
function wasmScript(wasmDir) {
  const file = path.join(wasmDir, 'cvc-module.wasm');
  if (!fs.existsSync(file)) return '';
  return '<script>\nself.cvcWasmBase64 = "' + fs.readFileSync(file).toString('base64') + '";\n</script>\n';
}

/** The one-file page: web/index.html with everything it references inlined. */
function inlinePage(read, webDir, wasmDir) {
  let html = read(path.join(webDir, 'index.html'));

  // <link rel="stylesheet" href="x.css"> → <style>
  html = html.replace(/<link rel="stylesheet" href="([^"]+)">/g, (m, href) =>
    '<style>\n' + read(path.join(webDir, href)).replace(/<\/(style)/gi, '<\\/$1') + '</style>');

  // <link rel="icon" href="x.svg"> → a data: URL, so no browser asks the server for a favicon.
  html = html.replace(/<link rel="icon" href="([^"]+\.svg)"/g, (m, href) =>
    '<link rel="icon" href="data:image/svg+xml;base64,' +
    Buffer.from(read(path.join(webDir, href))).toString('base64') + '"');

  // <script src="x.js"></script> → inline. The module and its API glue come from the wasm build.
  const fromWasmBuild = new Set(['cvc-module.js', 'cvc-api.js']);
  const wasm = wasmScript(wasmDir);
  html = html.replace(/<script src="([^"]+)"><\/script>/g, (m, src) => {
    const file = fromWasmBuild.has(src) ? path.join(wasmDir, src) : path.join(webDir, src);
    return (src === 'cvc-module.js' ? wasm : '') + '<script>\n' + scriptSafe(read(file)) + '\n</script>';
  });

  // <script type="application/json" id="…" data-src="sample/x.json"></script> → JSON inlined
  // (parsed and re-serialised, so a broken sample fails the build); text/csv → the text as is.
  html = html.replace(
    /<script type="(application\/json|text\/csv)" id="([^"]+)" data-src="([^"]+)"><\/script>/g,
    (m, type, id, src) => {
      const text = read(path.join(webDir, src));
      const body = type === 'application/json' ? JSON.stringify(JSON.parse(text)) : text;
      return '<script type="' + type + '" id="' + id + '">' + scriptSafe(body) + '</script>';
    });

  if (/<script src=|<link rel="(stylesheet|icon)" href="(?!data:)/.test(html)) {
    throw new Error('a script, stylesheet or icon reference was left un-inlined');
  }
  return html;
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
  fs.mkdirSync(distDir, { recursive: true });
  for (const { name, data } of [...shell, { name: 'sw.js', data: Buffer.from(worker) }]) {
    fs.writeFileSync(path.join(distDir, name), data);
  }
  return { html, version, files: [...names, 'sw.js'] };
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
  const gz = require('zlib').gzipSync(result.html).length;
  console.log('wrote dist/' + PAGE + ': ' + (result.html.length / 1024).toFixed(0) + ' KiB, ' +
    (gz / 1024).toFixed(0) + ' KiB gzipped');
  console.log('and for offline use over http: ' + result.files.slice(1).join(', ') +
    ' (cache version ' + result.version + ')');
}

module.exports = { build, stampServiceWorker, shellVersion };
