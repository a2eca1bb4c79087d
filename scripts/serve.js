#!/usr/bin/env node
// A small static file server for dist/ on 127.0.0.1 (no data is ever sent to it: the page
// computes everything in the browser). Usage: node scripts/serve.js [--strict-csp] [port] [dir]
// "/" serves the calculator. Prints the URL once listening. --strict-csp sends STRICT_CSP as a
// header with every page but the calculator's own (which has its policy in a <meta>), as a
// site that embeds the calculator might (docs/embed.md): try dist/demo.html under it.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const STRICT_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data: blob:; worker-src blob:; frame-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'";
const args = process.argv.slice(2);
const strict = args.includes('--strict-csp');
const [portArg, dirArg] = args.filter((a) => a !== '--strict-csp');
const port = Number(portArg || process.env.PORT || 8080);
const dir = path.resolve(dirArg || path.join(__dirname, '..', 'dist'));
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.csv': 'text/csv; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** The --strict-csp headers for a file: the policy on every page but the calculator's. */
function strictHeaders(pathname) {
  return pathname.endsWith('.html') && path.basename(pathname) !== 'customer-value-calculator.html'
    ? { 'content-security-policy': STRICT_CSP } : {};
}

/**
 * Serves `root` (dist/ unless given) on 127.0.0.1:listenPort; calls onListening(server).
 * options.headers(pathname): more response headers for a file (e.g. strictHeaders).
 */
function start(listenPort, onListening, root = dir, options = {}) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (pathname === '/') pathname = '/customer-value-calculator.html';
    const file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': types[path.extname(file)] || 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...(options.headers ? options.headers(pathname) : {}),
      });
      res.end(data);
    });
  });
  server.listen(listenPort, '127.0.0.1', () => onListening(server));
  return server;
}

if (require.main === module) {
  const server = start(port, (s) => {
    console.log('Customer Value Calculator: http://localhost:' + s.address().port + '/');
    console.log('(serving ' + dir + (strict ? ', pages under a strict CSP' : '') + '; Ctrl+C stops)');
  }, dir, strict ? { headers: strictHeaders } : {});
  server.on('error', (e) => {
    console.error('serve: ' + e.message + (e.code === 'EADDRINUSE' ? ' (set PORT=another port)' : ''));
    process.exit(1);
  });
}

module.exports = { start, strictHeaders, STRICT_CSP };
