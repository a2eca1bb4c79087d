#!/usr/bin/env node
// Builds dist/customer-value-calculator.html: ONE self-contained file (CSS, JS, the wasm module
// and the sample data inlined) that works from file:// with no network, so people can save it
// and mail it around. Usage: node scripts/build-page.js [wasm build dir]
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const wasmDir = path.resolve(process.argv[2] || path.join(root, 'build/wasm/wasm'));
const webDir = path.join(root, 'web');
const distDir = path.join(root, 'dist');

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    console.error('build-page: cannot read ' + path.relative(root, file) + ' (' + e.code + ')' +
      (file.startsWith(wasmDir) ? '; build the wasm module first (cmake --build --preset wasm)' : ''));
    process.exit(1);
  }
}

// Text placed inside <script> must not contain "</script" (nor "<!--", which changes how the
// HTML parser reads the rest of a script element).
function scriptSafe(text) {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

let html = read(path.join(webDir, 'index.html'));

// <link rel="stylesheet" href="x.css"> → <style>
html = html.replace(/<link rel="stylesheet" href="([^"]+)">/g, (m, href) =>
  '<style>\n' + read(path.join(webDir, href)).replace(/<\/(style)/gi, '<\\/$1') + '</style>');

// <script src="x.js"></script> → inline. The module and its API glue come from the wasm build.
const fromWasmBuild = new Set(['cvc-module.js', 'cvc-api.js']);
// The wasm bytes go in as base64 before the module script; cvc-api.js passes them to the
// runtime (wasmBinary), so the page fetches nothing. base64 is all [A-Za-z0-9+/=]: script-safe.
const wasmFile = path.join(wasmDir, 'cvc-module.wasm');
const wasmScript = fs.existsSync(wasmFile)
  ? '<script>\nself.cvcWasmBase64 = "' + fs.readFileSync(wasmFile).toString('base64') + '";\n</script>\n'
  : ''; // an older SINGLE_FILE build carries its wasm inside cvc-module.js
html = html.replace(/<script src="([^"]+)"><\/script>/g, (m, src) => {
  const file = fromWasmBuild.has(src) ? path.join(wasmDir, src) : path.join(webDir, src);
  return (src === 'cvc-module.js' ? wasmScript : '') + '<script>\n' + scriptSafe(read(file)) + '\n</script>';
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

if (/<script src=|<link rel="stylesheet"/.test(html)) {
  console.error('build-page: a script or stylesheet reference was left un-inlined');
  process.exit(1);
}

fs.mkdirSync(distDir, { recursive: true });
const out = path.join(distDir, 'customer-value-calculator.html');
fs.writeFileSync(out, html);
const gz = require('zlib').gzipSync(html).length;
console.log('wrote ' + path.relative(root, out) + ': ' + (html.length / 1024).toFixed(0) + ' KiB, ' +
  (gz / 1024).toFixed(0) + ' KiB gzipped');
