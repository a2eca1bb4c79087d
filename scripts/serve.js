#!/usr/bin/env node
// A small static file server for dist/ on 127.0.0.1 (no data is ever sent to it: the page
// computes everything in the browser). Usage: node scripts/serve.js [port] [dir]
// "/" serves the calculator. Prints the URL once listening.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const port = Number(process.argv[2] || process.env.PORT || 8080);
const dir = path.resolve(process.argv[3] || path.join(__dirname, '..', 'dist'));
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.csv': 'text/csv; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Serves `root` (dist/ unless given) on 127.0.0.1:listenPort; calls onListening(server). */
function start(listenPort, onListening, root = dir) {
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
    console.log('(serving ' + dir + '; Ctrl+C stops)');
  });
  server.on('error', (e) => {
    console.error('serve: ' + e.message + (e.code === 'EADDRINUSE' ? ' (set PORT=another port)' : ''));
    process.exit(1);
  });
}

module.exports = { start };
