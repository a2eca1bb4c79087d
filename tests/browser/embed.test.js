// Embedding (docs/embed.md): the <customer-value-calculator> element from its one-file script,
// the framed calculator page's postMessage API, the demo page under a strict CSP, and the guide's
// snippets. Pages are served from a folder holding dist/'s files and this test's host pages; every
// page gets the strict policy below as an HTTP header (as a site that embeds would send it), except
// the calculator page (its own <meta> policy) and the pages under /open/, which frame the calculator
// from another origin. Two origins share the one server: http://127.0.0.1:port (the calculator's)
// and http://localhost:port (an embedder's). Any console error, page error or CSP violation fails.
// Run: node --no-experimental-fetch --test tests/browser/embed.test.js
'use strict';
const { it, describe, after } = require('node:test');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness.js');
const { assert } = h;
const { start, strictHeaders } = require(path.join(h.root, 'scripts', 'serve.js'));

const ctx = {};
const dist = path.join(h.root, 'dist');
const docs = fs.readFileSync(path.join(h.root, 'docs', 'embed.md'), 'utf8');
const workedExample = JSON.parse(fs.readFileSync(h.workedExamplePath, 'utf8'));
const CALC = 'customer-value-calculator';
const SCRIPT = '<script src="/customer-value-calculator.js"></script>';

/**
 * A host page: `head` and `body` markup, no inline script (the strict policy would refuse it). Its
 * icon is inline, so the browser asks for no /favicon.ico (a 404 is a console error).
 */
const page = (body, head = SCRIPT) =>
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Host page</title><link rel="icon" href="data:,">' + head +
  '</head><body>\n' + body + '\n</body></html>\n';

const jsonChild = (config) => '<script type="application/json">' + JSON.stringify(config) + '</script>';

/** The test's own pages, written beside links to dist/'s files. */
function hostPages() {
  return {
    'two.html': page('<h1>Two calculators</h1>\n' +
      '<' + CALC + ' id="a" panels="value,satisfaction" currency="EUR" locale="de-DE" theme-accent="#047857"></' + CALC + '>\n' +
      '<' + CALC + ' id="b" theme-accent="#7c3aed">' + jsonChild({ panels: ['value', 'quick'], model: workedExample }) +
      '</' + CALC + '>'),
    'bad.html': page([
      '<' + CALC + ' id="bad-panels" panels="value,charts"></' + CALC + '>',
      '<' + CALC + ' id="bad-colour" theme-accent="url(x.png)"></' + CALC + '>',
      '<' + CALC + ' id="bad-theme" theme-acent="#000"></' + CALC + '>',
      '<' + CALC + ' id="bad-currency" currency="EURO"></' + CALC + '>',
      '<' + CALC + ' id="bad-json"><script type="application/json">{"panels": </script></' + CALC + '>',
      '<' + CALC + ' id="bad-field">' + jsonChild({ pannels: 'value' }) + '</' + CALC + '>',
      '<' + CALC + ' id="bad-model">' + jsonChild({ model: { ...workedExample, items: [{ ...workedExample.items[0],
        label: '<img src=x onerror=alert(1)>', weight: 11 }] } }) + '</' + CALC + '>',
      '<' + CALC + ' id="good" panels="quick"></' + CALC + '>',
    ].join('\n')),
    'hostile.html': page('<div id="app">The host page\'s own #app</div>\n<' + CALC + ' id="a"></' + CALC + '>',
      '<link rel="stylesheet" href="/hostile.css">' + SCRIPT),
    // Host CSS that would break a calculator in the light DOM. (`*` alone would hide <html>, and so everything.)
    'hostile.css': 'body *, ' + CALC + ' { display: none !important; visibility: hidden !important; opacity: 0 !important;\n' +
      '  color: red !important; font-size: 40px !important; letter-spacing: 9px !important; }\n' +
      CALC + ' { --accent: rgb(180, 83, 9); }\n' + // a theme colour from the host's CSS: that one applies
      'input, button, div, section { all: unset !important; }\n',
    'empty.html': page('<p>An empty host page</p>'),
    'open/blank.html': page('<p>A sibling frame</p>', ''),
  };
}

/** The folder served: links to dist/'s files, the host pages. */
function siteDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cvc-embed-site-'));
  for (const name of fs.readdirSync(dist)) fs.symlinkSync(path.join(dist, name), path.join(dir, name));
  fs.mkdirSync(path.join(dir, 'open'));
  for (const [name, text] of Object.entries(hostPages())) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Writes a page of the test's own (a snippet page) into the served folder; returns its path. */
function writePage(name, text) {
  fs.writeFileSync(path.join(ctx.dir, name), text);
  return '/' + name;
}

h.setUpSuite(ctx, async () => {
  ctx.sample = await h.expectedResults(h.sampleModel, { survey: true });
  ctx.price9 = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'price', 9]] });
  ctx.price10 = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'price', 10]] });
  ctx.dir = siteDir();
  ctx.policies = new Map(); // path → a policy of its own (the guide's snippet pages)
  const headers = (pathname) => {
    if (ctx.policies.has(pathname)) return { 'content-security-policy': ctx.policies.get(pathname) };
    return pathname.startsWith('/open/') ? {} : strictHeaders(pathname);
  };
  ctx.site = await new Promise((resolve, reject) => {
    const server = start(0, resolve, ctx.dir, { headers });
    server.on('error', reject);
  });
  const port = ctx.site.address().port;
  ctx.calcOrigin = 'http://127.0.0.1:' + port; // where the calculator page is served
  ctx.hostOrigin = 'http://localhost:' + port; // an embedder on another origin
});

after(async () => {
  if (ctx.site) await new Promise((resolve) => ctx.site.close(resolve));
  if (ctx.dir) fs.rmSync(ctx.dir, { recursive: true, force: true });
});

/**
 * In every document and frame, before its scripts: records the elements' events, the messages the
 * window gets, CSP violations and localStorage calls in window.__cvc.
 */
function recorder() {
  const log = (window.__cvc = { events: [], messages: [], violations: [], storage: [] });
  const net = (numbers) => numbers.results.overall.net_value.mean;
  document.addEventListener('securitypolicyviolation', (e) => {
    log.violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
  }, true);
  for (const type of ['ready', 'change', 'error']) {
    document.addEventListener(type, (e) => {
      if (!e.target || e.target.localName !== 'customer-value-calculator') return;
      const d = e.detail;
      log.events.push(type === 'error' ? { type, id: e.target.id, field: d.field, message: d.message }
        : { type, id: e.target.id, net: net(d), currency: d.results.currency, business: Boolean(d.business) });
    }, true);
  }
  window.addEventListener('message', (e) => {
    const d = e.data || {};
    log.messages.push({ origin: e.origin, fromFrame: e.source === window.frames[0], type: d.type, request: d.request,
      id: d.id, field: d.field, message: d.message, net: d.results ? net(d) : undefined });
  });
  for (const name of ['getItem', 'setItem', 'removeItem']) {
    const original = Storage.prototype[name];
    Storage.prototype[name] = function (...args) {
      log.storage.push(name + ' ' + String(args[0]));
      return original.apply(this, args);
    };
  }
}

/** Opens a URL in a fresh context with the recorder; `check()` fails on problems, then closes. */
async function open(url, init) {
  const context = await ctx.browser.newContext();
  await context.addInitScript(recorder);
  if (init) await context.addInitScript(init);
  const tab = await context.newPage();
  const problems = [];
  const warnings = [];
  const logs = [];
  tab.on('pageerror', (e) => problems.push('page error: ' + e.message));
  tab.on('console', (m) => {
    if (m.type() === 'error') problems.push('console error: ' + m.text().slice(0, 300));
    else if (m.type() === 'warning') warnings.push(m.text());
    else logs.push(m.text());
  });
  const response = await tab.goto(url);
  return {
    page: tab, response, warnings, logs,
    /** Every frame's recorded CSP violations. */
    async violations() {
      const all = [];
      for (const frame of tab.frames()) all.push(...await frame.evaluate(() => (window.__cvc ? window.__cvc.violations : [])));
      return all;
    },
    async close() {
      const violations = await this.violations().catch(() => []);
      await context.close();
      assert.deepEqual(violations, [], 'CSP violations');
      assert.deepEqual(problems, [], 'the page logged errors');
    },
  };
}

/** Runs body(session) on a fresh page at url, closing it (and checking for problems) after. */
async function withPage(url, body, init) {
  const session = await open(url, init);
  let failure = null;
  try {
    await body(session);
  } catch (e) {
    failure = e;
  }
  try {
    await session.close();
  } catch (e) {
    failure = failure || e; // the body's own failure says more
  }
  if (failure) throw failure;
}

const recorded = (p, what) => p.evaluate((key) => window.__cvc[key], what);

/** Waits until window.__cvc[what] has an entry with every property of `like`. */
async function waitForRecorded(p, what, like) {
  await p.waitForFunction(([key, want]) => window.__cvc[key].some((x) => Object.keys(want).every((k) => x[k] === want[k])),
    [what, like], { timeout: 15000 });
}

const netValue = (p, scope) => p.locator(scope + ' [data-testid="net-value"]').getAttribute('data-value');

async function waitForNetValue(p, scope, expected) {
  await p.locator(scope + ' [data-testid="net-value"][data-value="' + expected + '"]').waitFor({ timeout: 5000 });
}

async function nudge(p, scope, item, key = 'ArrowRight') {
  await p.locator(scope + ' [data-testid="weight-' + item + '"]').focus();
  await p.keyboard.press(key);
}

/** Fails on a broken number in what the page and its elements show (innerText stops at shadow roots). */
async function assertNoBrokenNumbers(p) {
  await h.assertNoBrokenNumbers(p);
  const text = await p.evaluate(() => Array.from(document.querySelectorAll('customer-value-calculator'), (el) =>
    el.shadowRoot.querySelector('.cvc-embed').innerText + '\n' +
    Array.from(el.shadowRoot.querySelectorAll('svg'), (svg) => svg.textContent).join('\n')).join('\n'));
  assert.ok(text.length > 500, 'the elements show their results');
  const bad = text.match(/.{0,40}(NaN|Infinity|undefined|\bnull\b).{0,40}/);
  assert.equal(bad, null, 'an element shows a broken value: ' + (bad && bad[0]));
}

/** Is the part visible (laid out, not display:none) inside the element? */
const shown = (p, selector) => p.locator(selector).first().isVisible();

/** Two animation frames in the page: what was scheduled for the next frame has run. */
const frames = (p) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

describe('the <customer-value-calculator> element', () => {
  it('keeps two differently configured elements independent, each with its own events', async () => {
    const worked = await h.expectedResults(workedExample);
    const cost2 = await h.expectedResults(workedExample, { calls: [['setWeight', 'cost', 2]] });
    await withPage(ctx.calcOrigin + '/two.html', async ({ page: p }) => {
      await p.waitForSelector('#a[data-state="ready"]', { timeout: 15000 });
      await p.waitForSelector('#b[data-state="ready"]', { timeout: 15000 });
      assert.equal(await netValue(p, '#a'), String(ctx.sample.overall.net_value.mean));
      assert.equal(await netValue(p, '#b'), String(worked.overall.net_value.mean));
      // Configured by attributes (a) and by the JSON child (b).
      assert.equal(await p.textContent('#a #model-name'), h.sampleModel.name);
      assert.equal(await p.textContent('#b #model-name'), workedExample.name);
      assert.equal(await p.evaluate(() => document.getElementById('a').getResults().results.currency), 'EUR');
      assert.equal(await p.evaluate(() => document.getElementById('b').getResults().results.currency), 'USD');
      // The locale attribute: a shows numbers the German way, b (no locale) the browser's (en-US here).
      const netText = (id) => p.textContent(id + ' [data-testid="net-value"]');
      assert.match(await netText('#a'), /^\d+,\d/);
      assert.equal(await netText('#b'), '$3,000'); // the worked example is in dollars
      assert.equal(await p.inputValue('#a [data-testid="locale-select"]'), 'de-DE');
      const accent = (id) => p.evaluate((i) => getComputedStyle(document.getElementById(i)).getPropertyValue('--accent').trim(), id);
      assert.equal(await accent('a'), '#047857');
      assert.equal(await accent('b'), '#7c3aed');
      // Panels: a shows value and satisfaction only; b value and the quick calculators.
      assert.equal(await shown(p, '#a [data-testid="sat-settings"]'), true);
      assert.equal(await shown(p, '#a [data-testid="survey-section"]'), false);
      assert.equal(await shown(p, '#a [data-testid="quick-section"]'), false);
      assert.equal(await shown(p, '#a [data-testid="business-section"]'), false);
      assert.equal(await shown(p, '#b [data-testid="quick-section"]'), true);
      assert.equal(await shown(p, '#b [data-testid="nps-chart"]'), false);
      assert.equal(await shown(p, '#b [data-testid="benefit-cost-chart"]'), true);
      // The "edit survey data" button leads to a panel b does not show: it goes too.
      assert.equal(await shown(p, '#b a.btn[href="#survey-heading"]'), false);

      // One ready each, with the numbers on screen.
      let events = await recorded(p, 'events');
      assert.deepEqual(events.map((e) => e.type + ' ' + e.id).sort(), ['ready a', 'ready b']);
      assert.equal(events.find((e) => e.id === 'a').net, ctx.sample.overall.net_value.mean);
      assert.equal(events.find((e) => e.id === 'b').net, worked.overall.net_value.mean);
      assert.equal(events.find((e) => e.id === 'a').business, true);

      // a's slider moves a's numbers only; only a says so.
      await nudge(p, '#a', 'price');
      await waitForNetValue(p, '#a', String(ctx.price9.overall.net_value.mean));
      await waitForRecorded(p, 'events', { type: 'change' });
      await frames(p);
      assert.equal(await netValue(p, '#b'), String(worked.overall.net_value.mean));
      events = (await recorded(p, 'events')).filter((e) => e.type === 'change');
      assert.deepEqual(events, [{ type: 'change', id: 'a', net: ctx.price9.overall.net_value.mean, currency: 'EUR', business: true }]);

      // And b's slider b's only.
      await nudge(p, '#b', 'cost');
      await waitForNetValue(p, '#b', String(cost2.overall.net_value.mean));
      await waitForRecorded(p, 'events', { type: 'change', id: 'b' });
      await frames(p);
      assert.equal(await netValue(p, '#a'), String(ctx.price9.overall.net_value.mean));
      events = (await recorded(p, 'events')).filter((e) => e.type === 'change');
      assert.deepEqual(events.map((e) => e.id + ' ' + e.net), ['a ' + ctx.price9.overall.net_value.mean, 'b ' + cost2.overall.net_value.mean]);
      // No storage-key: nothing read or written.
      assert.deepEqual(await recorded(p, 'storage'), []);
      assert.equal(await p.title(), 'Host page');
      await assertNoBrokenNumbers(p);
    });
  });

  it('says inside the element what in its configuration is wrong, naming the field', async () => {
    await withPage(ctx.calcOrigin + '/bad.html', async ({ page: p, warnings }) => {
      await p.waitForSelector('#good[data-state="ready"]', { timeout: 15000 });
      const expected = {
        'bad-panels': ['panels', /"panels".*"charts" is not a panel/],
        'bad-colour': ['theme-accent', /"theme-accent".*CSS colour.*"url\(x\.png\)"/],
        'bad-theme': ['theme-acent', /"theme-acent": there is no such theme colour/],
        'bad-currency': ['currency', /"currency".*ISO 4217.*"EURO"/],
        'bad-json': ['config', /not valid JSON/],
        'bad-field': ['pannels', /"pannels": there is no such field/],
        'bad-model': ['model', /"model": the calculator refused it: .*items\[0\]\.weight/],
      };
      for (const [id, [field, message]] of Object.entries(expected)) {
        await p.waitForSelector('#' + id + '[data-state="error"]', { timeout: 15000 });
        const box = p.locator('#' + id + ' [data-testid="fatal-error"]');
        assert.equal(await box.isVisible(), true, id + ': the message is shown');
        assert.match(await box.textContent(), message, id);
        assert.equal(await shown(p, '#' + id + ' #app'), false);
      }
      const errors = (await recorded(p, 'events')).filter((e) => e.type === 'error');
      assert.deepEqual(errors.map((e) => e.id + ' ' + e.field).sort(),
        Object.entries(expected).map(([id, [field]]) => id + ' ' + field).sort());
      // A label with markup in it stays text.
      assert.match(await p.textContent('#bad-model [data-testid="fatal-error"]'), /<img src=x onerror=alert\(1\)>/);
      assert.equal(await p.evaluate(() => document.querySelector('#bad-model').shadowRoot.querySelectorAll('img').length), 0);
      assert.equal(warnings.length, Object.keys(expected).length, 'one console warning per refused element');
      assert.equal(await shown(p, '#good [data-testid="quick-section"]'), true);
      assert.equal(await shown(p, '#good [data-testid="survey-section"]'), false);
    });
  });

  it('says inside each element why it cannot start when WebAssembly is refused', async () => {
    await withPage(ctx.calcOrigin + '/two.html', async ({ page: p }) => {
      for (const id of ['a', 'b']) {
        await p.waitForSelector('#' + id + '[data-state="error"]', { state: 'attached', timeout: 15000 });
        assert.match(await p.textContent('#' + id + ' [data-testid="fatal-error"]'), /WebAssembly\) could not start/);
        assert.equal(await p.locator('#' + id + ' [data-testid="fatal-error"]').isVisible(), true);
      }
      const errors = (await recorded(p, 'events')).filter((e) => e.type === 'error');
      assert.deepEqual(errors.map((e) => e.id + ' ' + e.field).sort(), ['a calculator', 'b calculator']);
    }, h.refuseWebAssembly);
  });

  it('is not broken by the host page\'s CSS, and leaves the host page alone', async () => {
    await withPage(ctx.calcOrigin + '/hostile.html', async ({ page: p }) => {
      await p.waitForSelector('#a[data-state="ready"]', { state: 'attached', timeout: 15000 });
      const box = await p.locator('#a').boundingBox();
      assert.ok(box && box.width > 300 && box.height > 300, 'the element is laid out: ' + JSON.stringify(box));
      const net = p.locator('#a [data-testid="net-value"]');
      assert.equal(await net.isVisible(), true);
      const style = await net.evaluate((n) => {
        const s = getComputedStyle(n);
        return { color: s.color, fontSize: s.fontSize, letterSpacing: s.letterSpacing };
      });
      assert.notEqual(style.color, 'rgb(255, 0, 0)');
      assert.notEqual(style.fontSize, '40px');
      assert.equal(style.letterSpacing, 'normal');
      assert.equal(await p.locator('#a #open-model').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(180, 83, 9)');
      await nudge(p, '#a', 'price');
      await waitForNetValue(p, '#a', String(ctx.price9.overall.net_value.mean));
      // The host's own #app is not taken for the calculator's page markup.
      assert.equal(await p.textContent('#app'), 'The host page\'s own #app');
      assert.equal(await p.getAttribute('body', 'data-state'), null);
    });
  });

  it('is driven from script: config property, methods, one change a frame, storage per key, removal', async () => {
    await withPage(ctx.calcOrigin + '/empty.html', async ({ page: p }) => {
      await p.waitForFunction(() => customElements.get('customer-value-calculator'));
      const cost2 = await h.expectedResults(workedExample, { calls: [['setWeight', 'cost', 2]] });
      await p.evaluate((model) => {
        const el = document.createElement('customer-value-calculator');
        el.id = 'one';
        el.setAttribute('storage-key', 'one');
        document.body.appendChild(el);
        el.config = { model, panels: 'value', sample: false }; // set after appending: the start sees it
      }, workedExample);
      await p.waitForSelector('#one[data-state="ready"]', { timeout: 15000 });
      assert.equal(await netValue(p, '#one'), '3000');
      assert.equal(await p.evaluate(() => document.getElementById('one').getResults().results.survey_rows), 0);

      // Three calls in one task: one change event, with the last numbers.
      const outcome = await p.evaluate(() => {
        const el = document.getElementById('one');
        el.setWeight('cost', 3);
        el.setWeight('benefit', 2);
        el.setWeight('cost', 2);
        const refusals = [];
        for (const call of [() => el.setWeight('nope', 3), () => el.setWeight('cost', 11), () => el.loadModel({ schema: 'x' })]) {
          try {
            call();
            refusals.push('accepted');
          } catch (e) {
            refusals.push(e.name + ' ' + e.field);
          }
        }
        return refusals;
      });
      assert.deepEqual(outcome, ['CalculatorError item', 'CalculatorError items[1].weight', 'CalculatorError schema']);
      await waitForRecorded(p, 'events', { type: 'change' });
      await frames(p);
      const twoWeights = cost2.overall.net_value.mean + 5000; // benefit weight 2: +5,000
      assert.deepEqual((await recorded(p, 'events')).filter((e) => e.type === 'change').map((e) => e.net), [twoWeights]);
      assert.equal(await p.inputValue('#one [data-testid="weight-cost"]'), '2');

      // Autosave under its own key; a second element may not share it.
      await p.waitForFunction(() => localStorage.getItem('cvc.embed.one') !== null, null, { timeout: 5000 });
      assert.equal(JSON.parse(await p.evaluate(() => localStorage.getItem('cvc.embed.one'))).items[1].weight, 2);
      await p.evaluate(() => {
        const el = document.createElement('customer-value-calculator');
        el.id = 'two';
        el.setAttribute('storage-key', 'one');
        document.body.appendChild(el);
      });
      await p.waitForSelector('#two[data-state="error"]', { timeout: 15000 });
      assert.match(await p.textContent('#two [data-testid="fatal-error"]'), /"storage-key": "one" is used by another calculator/);

      // Panels change in place (no restart); the model restored from storage comes back after a restart.
      await p.evaluate(() => document.getElementById('one').setAttribute('panels', 'value,quick'));
      assert.equal(await shown(p, '#one [data-testid="quick-section"]'), true);
      assert.equal((await recorded(p, 'events')).filter((e) => e.type === 'ready').length, 1);
      await p.evaluate(() => document.getElementById('one').remove());
      await p.waitForTimeout(100);
      await p.evaluate(() => {
        document.getElementById('two').remove();
        document.body.appendChild(Object.assign(document.createElement('customer-value-calculator'), { id: 'three' }));
        document.getElementById('three').setAttribute('storage-key', 'one');
      });
      await p.waitForSelector('#three[data-state="ready"]', { timeout: 15000 });
      assert.equal(await netValue(p, '#three'), String(twoWeights));
      assert.equal(await shown(p, '#three [data-testid="restore-notice"]'), true);
    });
  });
});

describe('the calculator page in an iframe', () => {
  /** A host page on `hostOrigin` framing the calculator page with `query`, plus a sibling frame. */
  function framePage(name, query) {
    return writePage('open/' + name, page(
      '<iframe id="calc" title="calculator" src="' + ctx.calcOrigin + '/customer-value-calculator.html' + query + '"></iframe>\n' +
      '<iframe id="sibling" title="sibling" src="/open/blank.html"></iframe>', ''));
  }

  const calcFrame = (p) => p.frames().find((f) => f.url().startsWith(ctx.calcOrigin));

  /** Posts a message to the calculator frame from the host page (or, with `from`, another frame). */
  function send(p, message, from) {
    return (from || p).evaluate(([m, origin]) => window.top.frames[0].postMessage(m, origin), [message, ctx.calcOrigin]);
  }

  const messages = (p) => recorded(p, 'messages');

  async function frameReady(p) {
    await p.waitForFunction(() => window.frames[0] && document.getElementById('calc'), null, { timeout: 5000 });
    for (let i = 0; i < 100 && !calcFrame(p); i++) await p.waitForTimeout(50);
    await calcFrame(p).waitForSelector('body[data-state="ready"]', { timeout: 15000 });
  }

  it('answers its listed origin, and sends it ready, change and errors', async () => {
    const url = framePage('allowed.html', '?embed-origin=https://other.example,' + encodeURIComponent(ctx.hostOrigin));
    await withPage(ctx.hostOrigin + url, async ({ page: p }) => {
      await frameReady(p);
      await waitForRecorded(p, 'messages', { type: 'cvc:ready' });
      const [ready] = await messages(p);
      assert.deepEqual([ready.origin, ready.fromFrame, ready.type, ready.net],
        [ctx.calcOrigin, true, 'cvc:ready', ctx.sample.overall.net_value.mean]);

      await send(p, { type: 'cvc:get-results', id: 1 });
      await waitForRecorded(p, 'messages', { id: 1 });
      await send(p, { type: 'cvc:set-weight', item: 'price', weight: 9, id: 'w' });
      await waitForRecorded(p, 'messages', { id: 'w' });
      await waitForRecorded(p, 'messages', { type: 'cvc:change' });
      let all = await messages(p);
      assert.equal(all.find((m) => m.id === 1).type, 'cvc:results');
      assert.equal(all.find((m) => m.id === 1).net, ctx.sample.overall.net_value.mean);
      const w = all.find((m) => m.id === 'w');
      assert.deepEqual([w.type, w.request, w.net], ['cvc:results', 'cvc:set-weight', ctx.price9.overall.net_value.mean]);
      assert.equal(all.find((m) => m.type === 'cvc:change').net, ctx.price9.overall.net_value.mean);
      // The framed page shows it too.
      assert.equal(await calcFrame(p).inputValue('[data-testid="weight-price"]'), '9');

      // Refused messages: the field to fix, nothing changed.
      const refused = [
        [{ type: 'cvc:set-weight', item: 'nope', weight: 3, id: 'r1' }, 'item'],
        [{ type: 'cvc:set-weight', item: 'price', weight: 11, id: 'r2' }, 'items[6].weight'],
        [{ type: 'cvc:set-weight', item: 'price', weight: '5', id: 'r3' }, 'weight'],
        [{ type: 'cvc:load-model', model: { schema: 'nope' }, id: 'r4' }, 'schema'],
        [{ type: 'cvc:load-model', id: 'r5' }, 'model'],
        [{ type: 'cvc:reset', id: 'r6' }, 'type'],
      ];
      for (const [message] of refused) await send(p, message);
      await waitForRecorded(p, 'messages', { id: 'r6' });
      all = await messages(p);
      for (const [message, field] of refused) {
        const answer = all.find((m) => m.id === message.id);
        assert.equal(answer.type, 'cvc:error', message.id);
        assert.equal(answer.field, field, message.id);
        assert.equal(answer.request, message.type);
        assert.ok(answer.message.length > 10);
      }
      assert.equal(await calcFrame(p).inputValue('[data-testid="weight-price"]'), '9');

      await send(p, { type: 'cvc:load-model', model: JSON.stringify(workedExample), id: 'm' });
      await waitForRecorded(p, 'messages', { id: 'm' });
      assert.equal((await messages(p)).find((m) => m.id === 'm').net, 3000);
      await calcFrame(p).waitForSelector('[data-testid="net-value"][data-value="3000"]');
      // Everything came from the calculator's window and origin, to this page only.
      assert.ok((await messages(p)).every((m) => m.origin === ctx.calcOrigin && m.fromFrame));
    });
  });

  it('ignores other origins, other windows, and everyone when no origin is listed', async () => {
    // Listed: the calculator's own origin only; the host page is on another.
    const unlisted = framePage('unlisted.html', '?embed-origin=' + encodeURIComponent(ctx.calcOrigin));
    await withPage(ctx.hostOrigin + unlisted, async ({ page: p }) => {
      await frameReady(p);
      await send(p, { type: 'cvc:set-weight', item: 'price', weight: 1 });
      await send(p, { type: 'cvc:get-results' });
      await p.waitForTimeout(300);
      assert.deepEqual(await messages(p), []);
      assert.equal(await calcFrame(p).inputValue('[data-testid="weight-price"]'), '8');
    });

    // Listed: the host page's origin; a sibling frame on that origin is not the parent.
    const listed = framePage('sibling.html', '?embed-origin=' + encodeURIComponent(ctx.hostOrigin));
    await withPage(ctx.hostOrigin + listed, async ({ page: p }) => {
      await frameReady(p);
      await waitForRecorded(p, 'messages', { type: 'cvc:ready' });
      const sibling = p.frames().find((f) => f.url().endsWith('/open/blank.html'));
      await send(p, { type: 'cvc:set-weight', item: 'price', weight: 1 }, sibling);
      await send(p, { type: 'cvc:get-results', id: 'sibling' }, sibling);
      await p.waitForTimeout(300);
      assert.deepEqual(await sibling.evaluate(() => window.__cvc.messages), []);
      assert.equal(await calcFrame(p).inputValue('[data-testid="weight-price"]'), '8');
      assert.deepEqual((await messages(p)).map((m) => m.type), ['cvc:ready']);
    });

    // Nothing listed (and a malformed entry, which is said as a warning): the API is off.
    const off = framePage('off.html', '?embed-origin=' + encodeURIComponent(ctx.hostOrigin + '/path'));
    await withPage(ctx.hostOrigin + off, async ({ page: p, warnings }) => {
      await frameReady(p);
      await send(p, { type: 'cvc:get-results' });
      await p.waitForTimeout(300);
      assert.deepEqual(await messages(p), []);
      assert.equal(warnings.filter((w) => /embed-origin .* is ignored/.test(w)).length, 1);
    });
  });

  it('never posts to any origin but the one it checked', () => {
    const source = fs.readFileSync(path.join(h.root, 'web', 'embed-frame.js'), 'utf8');
    assert.doesNotMatch(source, /postMessage\([^)]*['"]\*['"]/);
    assert.deepEqual(source.match(/\.postMessage\(/g), ['.postMessage(']); // the one post(), with its checked origin
  });
});

describe('the demo under a strict Content-Security-Policy', () => {
  it('runs both embeds with no violation and no console error', async () => {
    await withPage(ctx.calcOrigin + '/demo.html', async ({ page: p, response }) => {
      const policy = response.headers()['content-security-policy'];
      assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
      assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
      await p.waitForSelector('[data-testid="demo-element"][data-state="ready"]', { timeout: 15000 });
      const net = await netValue(p, '[data-testid="demo-element"]');
      assert.equal(net, String(ctx.sample.overall.net_value.mean));
      assert.match(await p.textContent('#element-log'), /^ready: net value \d/);
      await p.waitForFunction(() => /^cvc:ready: net value \d/.test(document.getElementById('frame-log').textContent),
        null, { timeout: 15000 });
      await p.click('[data-testid="frame-price"]');
      const price10 = ctx.price10.overall.net_value.mean.toLocaleString('en', { maximumFractionDigits: 1 });
      await p.waitForFunction((want) => document.getElementById('frame-log').textContent.endsWith('net value ' + want),
        price10, { timeout: 5000 });
      await nudge(p, '[data-testid="demo-element"]', 'price');
      await p.waitForFunction(() => /^change: net value/.test(document.getElementById('element-log').textContent),
        null, { timeout: 5000 });
      await assertNoBrokenNumbers(p);
    });
  });
});

describe('the embedding guide', () => {
  /** The guide's snippets by name, as text. */
  async function snippets(p) {
    return p.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll('[data-snippet]'),
      (n) => [n.dataset.snippet, n.textContent])));
  }

  it('has working links, and every snippet as in docs/embed.md', async () => {
    await withPage(ctx.calcOrigin + '/embed.html', async ({ page: p }) => {
      const links = await p.evaluate(() => Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href')));
      assert.ok(links.length >= 8);
      for (const href of links) {
        if (href.startsWith('#')) {
          assert.equal(await p.locator('[id="' + href.slice(1) + '"]').count(), 1, href);
        } else {
          assert.doesNotMatch(href, /^[a-z]+:/, 'a link off this site: ' + href);
          assert.ok(fs.existsSync(path.join(dist, href)), 'links to a file dist/ lacks: ' + href);
        }
      }
      const all = await snippets(p);
      assert.deepEqual(Object.keys(all).sort(), ['csp', 'element', 'element-css', 'element-events', 'element-json', 'iframe', 'iframe-js']);
      for (const [name, text] of Object.entries(all)) assert.ok(docs.includes(text), name + ' differs from docs/embed.md');
      ctx.snippets = all;
    });
  });

  it('snippets for the element work as written, under the CSP the guide gives', async () => {
    const s = ctx.snippets;
    assert.ok(s, 'the previous test read the snippets');
    writePage('snippet-events.js', s['element-events']);
    writePage('snippet.css', s['element-css']);
    const url = writePage('snippet-element.html', page(s.element + '\n' + s['element-json'] +
      '\n<p id="calculator-log"></p>\n<script src="snippet-events.js" defer></script>',
    '<link rel="stylesheet" href="snippet.css">'));
    const policy = s.csp.replace(/^Content-Security-Policy: /, '').trim().replace('https://calculator.example.com', "'self'");
    ctx.policies.set(url, policy);
    await withPage(ctx.calcOrigin + url, async ({ page: p, response }) => {
      assert.equal(response.headers()['content-security-policy'], policy);
      await p.waitForFunction(() => document.querySelectorAll('customer-value-calculator[data-state="ready"]').length === 2,
        null, { timeout: 15000 });
      assert.equal(await p.textContent('#calculator-log'), 'ready: net value ' + ctx.sample.overall.net_value.mean);
      const [first, second] = ['customer-value-calculator:nth-of-type(1)', 'customer-value-calculator:nth-of-type(2)'];
      assert.equal(await shown(p, first + ' [data-testid="survey-section"]'), false);
      assert.equal(await p.textContent(second + ' #model-name'), 'Our plan');
      assert.equal(await netValue(p, second), '23'); // 8×4 + 5×4 − 7×3 − 4×2
      assert.equal(await shown(p, second + ' [data-testid="quick-section"]'), true);
      assert.equal(await p.locator(first).evaluate((n) => getComputedStyle(n).marginTop), '32px');
      await nudge(p, first, 'price');
      await p.waitForFunction((want) => document.getElementById('calculator-log').textContent === 'changed: net value ' + want,
        ctx.price9.overall.net_value.mean, { timeout: 5000 });
    });
  });

  it('snippets for the iframe work as written, from another origin', async () => {
    const s = ctx.snippets;
    assert.ok(s, 'the first guide test read the snippets');
    const place = (text) => text.replaceAll('https://calculator.example.com', ctx.calcOrigin)
      .replaceAll('https://www.example.com', encodeURIComponent(ctx.hostOrigin));
    writePage('open/snippet-frame.js', place(s['iframe-js']));
    const url = writePage('open/snippet-frame.html', page(place(s.iframe) + '\n<script src="snippet-frame.js"></script>', ''));
    await withPage(ctx.hostOrigin + url, async ({ page: p, logs }) => {
      const said = async (line) => {
        for (let i = 0; i < 300 && !logs.includes(line); i++) await p.waitForTimeout(50);
        assert.ok(logs.includes(line), 'expected the log line ' + line + ' in ' + JSON.stringify(logs));
      };
      await said('cvc:results ' + ctx.sample.overall.net_value.mean);
      await p.evaluate(() => send({ type: 'cvc:set-weight', item: 'price', weight: 9 })); // eslint-disable-line no-undef
      await said('cvc:results ' + ctx.price9.overall.net_value.mean);
      await p.evaluate(() => send({ type: 'cvc:set-weight', item: 'price', weight: 99 })); // eslint-disable-line no-undef
      await p.waitForFunction(() => window.__cvc.messages.some((m) => m.type === 'cvc:error'), null, { timeout: 5000 });
    });
  });
});
