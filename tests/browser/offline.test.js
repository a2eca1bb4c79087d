// A calculator people can keep: offline use over http (service worker and web app manifest), the
// saved file staying free of both, a rebuild reaching people, and the printed report.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it, describe } = require('node:test');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const h = require('./harness.js');
const { assert } = h;
const { build } = require('../../scripts/build-page.js');
const { parseIcon } = require('../../scripts/lib/icon-png.js');
const serve = require('../../scripts/serve.js');

const ctx = {};
const dist = path.join(h.root, 'dist');
const webDir = path.join(h.root, 'web');

h.setUpSuite(ctx, async () => {
  ctx.sample = await h.expectedResults(h.sampleModel, { survey: true });
});

/** The cache name a built sw.js uses, by running it with a stand-in for the worker's global. */
function cacheNameOf(swSource) {
  return vm.runInNewContext(swSource + '\n;CACHE', { self: { addEventListener() {} }, URL });
}

/** Serves `dir` on a free port of its own (so a test can stop it); resolves to {server, url}. */
function serveDir(dir) {
  return new Promise((resolve, reject) => {
    const server = serve.start(0, (s) => resolve({ server: s, url: 'http://127.0.0.1:' + s.address().port + '/' }), dir);
    server.on('error', reject);
  });
}

/** A browser context of its own with one page; page and console errors are collected. */
async function newSession() {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  return { context, page, problems: h.watchProblems(page) };
}

async function waitReady(page) {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 15000 });
}

/** Waits until a service worker controls the page (it claims the page once it has cached the shell). */
async function waitControlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null,
    null, { timeout: 15000 });
}

/**
 * Serves `dir` on a server of its own, opens it in a context of its own, waits until the page is
 * ready and controlled by the worker, then runs body({server, url, context, page}); fails on any
 * page or console error, and closes the context and the server whatever happens.
 */
async function firstVisit(dir, body) {
  const { server, url } = await serveDir(dir);
  const { context, page, problems } = await newSession();
  try {
    await page.goto(url);
    await waitReady(page);
    await waitControlled(page);
    await body({ server, url, context, page });
    assert.deepEqual(problems, [], 'the page logged errors');
  } finally {
    await context.close();
    server.close();
  }
}

/** A copy of web/ in a temporary folder, for builds that must not touch dist/. */
function copyOfWeb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvc-offline-'));
  fs.cpSync(webDir, path.join(dir, 'web'), { recursive: true });
  return dir;
}

function pngSize(buffer) {
  assert.equal(buffer.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG file');
  return buffer.readUInt32BE(16) + 'x' + buffer.readUInt32BE(20);
}

describe('offline over http', () => {
  it('opens with no network after the first visit, from the worker\'s cache', async () => {
    await firstVisit(dist, async ({ server, url, context, page }) => {
      assert.equal(await page.getAttribute('link[rel="manifest"]', 'href'), 'manifest.webmanifest');
      const expectedCache = cacheNameOf(fs.readFileSync(path.join(dist, 'sw.js'), 'utf8'));
      assert.deepEqual(await page.evaluate(() => caches.keys()), [expectedCache]);
      // Chromium itself reads the manifest without complaint.
      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      assert.deepEqual(manifest.errors, []);
      assert.match(manifest.url, /\/manifest\.webmanifest$/);
      // Installable, icons included (the CSP lets them load); a test context is incognito, which is fine.
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), []);

      await context.setOffline(true);
      await new Promise((resolve) => server.close(resolve));
      await page.reload();
      await waitReady(page);
      await h.waitForValue(page, 'net-value', String(ctx.sample.overall.net_value.mean));
      assert.equal(await page.isVisible('[data-testid="shell-status"]'), false, 'no message while offline');
      // "/" and the file's own name are both the page.
      await page.goto(url + 'customer-value-calculator.html?from=offline');
      await waitReady(page);
      await h.waitForValue(page, 'net-value', String(ctx.sample.overall.net_value.mean));
    });
  });

  it('shows a rebuilt page on the reload after next, says so in between, and deletes the old cache', async () => {
    const tmp = copyOfWeb();
    const out = path.join(tmp, 'dist');
    const index = path.join(tmp, 'web', 'index.html');
    const html = fs.readFileSync(index, 'utf8');
    const first = build({ webDir: path.join(tmp, 'web'), distDir: out });
    try {
      await firstVisit(out, ({ page }) => rebuildAndReload(page));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }

    async function rebuildAndReload(page) {
      const footer = () => page.textContent('.site-footer p');
      assert.match(await footer(), /^Customer Value Calculator\./);

      fs.writeFileSync(index, html.replace('<p>Customer Value Calculator. ', '<p>Rebuilt. '));
      const second = build({ webDir: path.join(tmp, 'web'), distDir: out });
      assert.notEqual(second.version, first.version);
      // The next reload still comes from the cache, and the new worker takes over in the background.
      await page.reload();
      await waitReady(page);
      assert.match(await footer(), /^Customer Value Calculator\./);
      await page.waitForSelector('[data-testid="shell-status"]:visible', { timeout: 15000 });
      assert.equal(await page.textContent('#shell-status-text'),
        'A new version of the calculator has been downloaded: reload the page to use it.');
      // The new worker deletes the old cache as it activates (just after it takes over the page).
      await page.waitForFunction(async (name) => (await caches.keys()).join() === name, 'cvc-shell-' + second.version,
        { timeout: 5000, polling: 100 });
      await Promise.all([page.waitForEvent('load'), page.click('[data-testid="shell-reload"]')]);
      await waitReady(page);
      assert.match(await footer(), /^Rebuilt\./);
      assert.equal(await page.isVisible('[data-testid="shell-status"]'), false);
    }
  });

  it('says quietly, in the page, when the worker cannot be registered', async () => {
    const { context, page, problems } = await newSession();
    try {
      await page.addInitScript(() => {
        ServiceWorkerContainer.prototype.register = () =>
          Promise.reject(new DOMException('Blocked by the test', 'SecurityError'));
      });
      await page.goto(ctx.httpUrl);
      await waitReady(page);
      await page.waitForSelector('[data-testid="shell-status"]:visible', { timeout: 5000 });
      assert.match(await page.textContent('#shell-status-text'),
        /^Offline use is not available here \(Blocked by the test\)\. The calculator still works while this page is open, and a copy saved as a file works offline\.$/);
      assert.equal(await page.isVisible('[data-testid="shell-reload"]'), false);
      assert.equal(await page.$('link[rel="manifest"]'), null, 'no manifest without the worker');
      await h.waitForValue(page, 'net-value', String(ctx.sample.overall.net_value.mean));
      assert.deepEqual(problems, [], 'the page logged errors');
    } finally {
      await context.close();
    }
  });
});

describe('opened from file://', () => {
  it('links no manifest, registers no worker and logs nothing', async () => {
    const session = await h.openPage(ctx.browser, 'file://' + h.pageFile);
    try {
      const { page } = session;
      await page.waitForTimeout(300); // past the load event, where the worker would be registered
      assert.equal(await page.$('link[rel="manifest"]'), null);
      assert.equal(await page.evaluate(() => navigator.serviceWorker ? navigator.serviceWorker.controller : null), null);
      assert.equal(await page.isVisible('[data-testid="shell-status"]'), false);
      const own = 'file://' + h.pageFile;
      assert.deepEqual(session.requests.filter((u) => u !== own && !u.startsWith('data:')), []);
      assert.deepEqual(session.problems, []);
    } finally {
      await session.close();
    }
  });
});

describe('the web app manifest and the build', () => {
  it('names the page, colours from the stylesheet and icons that exist in dist/', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.webmanifest'), 'utf8'));
    assert.equal(manifest.name, 'Customer Value Calculator');
    assert.ok(manifest.short_name && manifest.short_name.length <= 15, 'a short name that fits under an icon');
    assert.equal(manifest.start_url, 'customer-value-calculator.html');
    assert.ok(fs.existsSync(path.join(dist, manifest.start_url)));
    assert.equal(manifest.display, 'standalone');
    const css = fs.readFileSync(path.join(webDir, 'styles.css'), 'utf8');
    assert.match(css, new RegExp('--header: ' + manifest.theme_color + ';'), 'theme colour = the header');
    assert.match(css, new RegExp('--bg: ' + manifest.background_color + ';'), 'background = the page');
    const sizes = [];
    for (const icon of manifest.icons) {
      const file = path.join(dist, icon.src);
      assert.ok(fs.existsSync(file), icon.src + ' is in dist/');
      if (icon.type === 'image/png') {
        assert.equal(pngSize(fs.readFileSync(file)), icon.sizes, icon.src);
        sizes.push(icon.sizes);
      } else {
        assert.equal(icon.type, 'image/svg+xml');
        assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(path.join(webDir, icon.src), 'utf8'));
      }
    }
    assert.deepEqual(sizes.sort(), ['192x192', '512x512']);
  });

  it('lets the page use its own worker, manifest and icons, and nothing more', () => {
    const html = fs.readFileSync(h.pageFile, 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1];
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    assert.equal(directives['default-src'], "'none'");
    // 'self': the service worker; blob: the import worker, made from the page's own code.
    assert.equal(directives['worker-src'], "'self' blob:");
    assert.equal(directives['manifest-src'], "'self'");
    assert.equal(directives['img-src'], "'self' data: blob:");
    // No connect-src: default-src 'none' applies, so the page itself fetches nothing at all
    // (the wasm bytes are inlined and handed to the runtime).
    assert.equal(directives['connect-src'], undefined, 'the page itself fetches nothing');
  });

  it('stamps the worker with a hash of the built files: same input, same name; new content, new name', () => {
    const tmp = copyOfWeb();
    try {
      const web = path.join(tmp, 'web');
      const a = build({ webDir: web, distDir: path.join(tmp, 'a') });
      const again = build({ webDir: web, distDir: path.join(tmp, 'again') });
      fs.appendFileSync(path.join(web, 'styles.css'), '\n.a-change { color: #123456; }\n'); // comments are minified away
      const b = build({ webDir: web, distDir: path.join(tmp, 'b') });
      const sw = (dir) => fs.readFileSync(path.join(tmp, dir, 'sw.js'), 'utf8');
      assert.match(a.version, /^[0-9a-f]{16}$/);
      assert.equal(cacheNameOf(sw('a')), 'cvc-shell-' + a.version);
      assert.equal(sw('again'), sw('a'), 'the same input gives the same worker (and the same PNG icons)');
      for (const name of a.files) {
        assert.ok(fs.readFileSync(path.join(tmp, 'again', name)).equals(fs.readFileSync(path.join(tmp, 'a', name))), name);
      }
      assert.notEqual(b.version, a.version);
      assert.equal(cacheNameOf(sw('b')), 'cvc-shell-' + b.version);
      // The worker keeps exactly the page, the manifest and its icons.
      assert.deepEqual(JSON.parse(vm.runInNewContext(sw('b') + '\n;JSON.stringify(BUILD.files)',
        { self: { addEventListener() {} }, URL })),
        ['customer-value-calculator.html', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses an icon the PNG renderer cannot draw, naming the shape', () => {
    assert.throws(() => parseIcon('<svg viewBox="0 0 10 10"><path d="M0 0h10v10z" fill="#000000"/></svg>'),
      /icon\.svg, shape 1 \(path\): only <rect> and <circle> can be drawn as PNG/);
    assert.throws(() => parseIcon('<svg viewBox="0 0 10 10"><rect width="4" height="4" fill="red"/></svg>'),
      /fill must be a colour like #10203f \(found "red"\)/);
    assert.equal(parseIcon(fs.readFileSync(path.join(webDir, 'icon.svg'), 'utf8')).shapes.length, 5);
  });
});

/** How many pages a PDF has: /Type /Page objects (not the /Pages tree). */
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g) || []).length;
}

h.describeOnTargets('print', ctx, ({ open }) => {
  it('"Print report" opens the print dialog', async () => {
    const page = await open({
      init: () => {
        window.print = () => {
          window.__printed = (window.__printed || 0) + 1;
        };
      },
    });
    await page.click('[data-testid="print-report"]');
    assert.equal(await page.evaluate(() => window.__printed), 1);
  });

  it('prints the results and leaves the controls out', async () => {
    const page = await open();
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['[data-testid="net-value"]', '#net-value-ci', '[data-testid="nps"]', '#nps-ci',
      '#csat-ci', '[data-testid="segment-table"]', '[data-testid="benefit-cost-chart"] svg',
      '[data-testid="sensitivity-chart"] svg', '[data-testid="nps-chart"] svg', '[data-testid="histogram-chart"] svg',
      '[data-testid="contribution-total"]', '[data-testid="clv"]', '[data-testid="nrr"]']) {
      assert.equal(await page.isVisible(selector), true, selector + ' is printed');
    }
    assert.match(await page.textContent('#net-value-ci'), /95% CI/);
    for (const selector of ['[data-testid="print-report"]', '[data-testid="export-results-csv"]',
      '[data-testid="weight-insights"]', '[data-testid="use-entered"]', '#bc-view', '[data-testid="sat-settings"]',
      '[data-testid="business-settings"]', '[data-testid="survey-section"]', '[data-testid="survey-grid"]',
      '[data-testid="customer-section"]', '[data-testid="quick-section"]', '[data-testid="model-text"]',
      '.chart-data']) {
      assert.equal(await page.isVisible(selector), false, selector + ' is not printed');
    }
    assert.deepEqual(await page.evaluate(() => [getComputedStyle(document.body).backgroundColor,
      getComputedStyle(document.querySelector('h1')).color,
      getComputedStyle(document.querySelector('.site-header')).backgroundColor]),
    ['rgb(255, 255, 255)', 'rgb(0, 0, 0)', 'rgba(0, 0, 0, 0)']);
  });
});

describe('the printed report', () => {
  it('fits the sample on two pages, Letter and A4, as laid out on screen and as laid out for print', async () => {
    const session = await h.openPage(ctx.browser, 'file://' + h.pageFile);
    try {
      const { page } = session;
      const counts = {};
      // As the browser prints the page on screen: the charts keep the width they were drawn for.
      for (const format of ['Letter', 'A4']) counts['drawn for the screen, ' + format] = pdfPages(await page.pdf({ format }));
      // With print media in the live page, the charts are redrawn for the paper's width.
      await page.emulateMedia({ media: 'print' });
      await page.waitForTimeout(200);
      for (const format of ['Letter', 'A4']) counts['drawn for paper, ' + format] = pdfPages(await page.pdf({ format }));
      for (const [what, pages] of Object.entries(counts)) {
        assert.ok(pages >= 1 && pages <= 2, what + ': ' + pages + ' pages');
      }
      assert.deepEqual(session.problems, []);
    } finally {
      await session.close();
    }
  });
});
