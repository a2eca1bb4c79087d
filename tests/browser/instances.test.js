// Two calculators on one page: the built page starts as usual, then a second instance is made with
// CVC.createApp inside an open shadow root holding a fresh copy of the page's #app markup (as the
// <customer-value-calculator> element will). Each must keep its own calculator, state and
// elements: a weight moved in one leaves the other's results alone, the embedded one neither
// reads nor writes localStorage nor changes the page's title, and disposing it leaves the page
// working. The harness fails each test on any page or console error.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it, describe } = require('node:test');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./harness.js');
const { assert } = h;

const KEY = 'cvc.model.v1';
const PAGE = '#main'; // the standalone page's own calculator
const SECOND = '[data-testid="second-calculator"]'; // the host of the second one (its shadow root is searched too)
const ctx = {};

h.setUpSuite(ctx, async () => {
  ctx.sample = await h.expectedResults(h.sampleModel, { survey: true });
  ctx.insights10 = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'insights', 10]] });
  ctx.price9 = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'price', 9]] });
  // The #app markup as built, before start-up filled it in (rows, error lines): what an embedder copies.
  ctx.builtPage = fs.readFileSync(h.pageFile, 'utf8');
});

/**
 * Records every localStorage call from now on (window.__storageCalls), then starts a second,
 * embedded calculator in an open shadow root (harness addEmbeddedCalculator) as window.__second.
 */
async function addSecondCalculator(page) {
  await page.evaluate(() => {
    window.__storageCalls = [];
    for (const name of ['getItem', 'setItem', 'removeItem', 'clear']) {
      const original = Storage.prototype[name];
      Storage.prototype[name] = function (...args) {
        window.__storageCalls.push(name + ' ' + String(args[0]));
        return original.apply(this, args);
      };
    }
  });
  await h.addEmbeddedCalculator(page, ctx.builtPage, { testid: 'second-calculator' });
  await page.evaluate(() => {
    window.__second = window.__embedded['second-calculator'];
  });
}

/** The net value's data-value in the page (scope PAGE) or in the second calculator (scope SECOND). */
function netValue(page, scope) {
  return page.locator(scope + ' [data-testid="net-value"]').getAttribute('data-value');
}

async function waitForNetValue(page, scope, expected) {
  const node = page.locator(scope + ' [data-testid="net-value"]');
  await node.evaluate((n, want) => new Promise((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const check = () => {
      if (n.dataset.value === want) resolve();
      else if (Date.now() > deadline) reject(new Error('net value ' + n.dataset.value + ', expected ' + want));
      else requestAnimationFrame(check);
    };
    check();
  }), expected);
}

/** Moves a weight slider one step with the keyboard, in the page or in the second calculator. */
async function nudge(page, scope, item, key) {
  await page.locator(scope + ' [data-testid="weight-' + item + '"]').focus();
  await page.keyboard.press(key);
}

h.describeOnTargets('two instances', ctx, ({ open }) => {
  it('keeps two calculators on one page independent of each other', async () => {
    const page = await open();
    await addSecondCalculator(page);
    const sample = String(ctx.sample.overall.net_value.mean);
    assert.equal(await netValue(page, PAGE), sample);
    assert.equal(await netValue(page, SECOND), sample);
    // Each instance found its own elements: the second's sliders and rows are in its shadow root.
    assert.equal(await page.locator(SECOND + ' [data-testid="weight-insights"]').count(), 1);
    assert.equal(await page.evaluate(() => document.querySelectorAll('[data-testid="weight-insights"]').length), 1);
    assert.equal(await page.textContent(SECOND + ' #model-name'), h.sampleModel.name);

    // The page's slider moves the page's result only.
    await nudge(page, PAGE, 'insights', 'ArrowRight');
    await waitForNetValue(page, PAGE, String(ctx.insights10.overall.net_value.mean));
    assert.equal(await page.inputValue(SECOND + ' [data-testid="weight-insights"]'), '9');
    assert.equal(await netValue(page, SECOND), sample);

    // And the second's slider the second's only.
    await nudge(page, SECOND, 'price', 'ArrowRight');
    await waitForNetValue(page, SECOND, String(ctx.price9.overall.net_value.mean));
    assert.equal(await page.inputValue(PAGE + ' [data-testid="weight-price"]'), '8');
    assert.equal(await netValue(page, PAGE), String(ctx.insights10.overall.net_value.mean));
    await h.assertNoBrokenNumbers(page);
  });

  it('leaves localStorage and the page title to the standalone page', async () => {
    const page = await open();
    const title = await page.title();
    await addSecondCalculator(page);
    // A model of its own in the second instance: its heading changes, the page's title does not.
    await page.setInputFiles(SECOND + ' [data-testid="model-input"]', h.workedExamplePath);
    await waitForNetValue(page, SECOND, '3000');
    assert.notEqual(await page.textContent(SECOND + ' #model-name'), h.sampleModel.name);
    assert.equal(await page.textContent('.site-header #model-name'), h.sampleModel.name);
    assert.equal(await page.title(), title);
    await nudge(page, SECOND, 'cost', 'ArrowRight');
    await page.waitForTimeout(800); // longer than the autosave's 500 ms pause
    assert.deepEqual(await page.evaluate(() => window.__storageCalls), []);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), null);

    // The page's own autosave still works, under its key.
    await nudge(page, PAGE, 'insights', 'ArrowRight');
    await page.waitForFunction((key) => localStorage.getItem(key) !== null, KEY, { timeout: 5000 });
    const saved = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), KEY));
    assert.equal(saved.name, h.sampleModel.name);
    assert.equal(saved.items.find((i) => i.id === 'insights').weight, 10);
  });

  it('says in the embedded root why it cannot start, and the page carries on', async () => {
    const page = await open();
    const outcome = await page.evaluate(() => {
      const host = document.createElement('div');
      document.body.appendChild(host);
      const shadow = host.attachShadow({ mode: 'open' });
      const box = document.createElement('div');
      box.id = 'fatal-error';
      box.hidden = true;
      shadow.appendChild(box); // no #app: the markup is incomplete
      return window.CVC.createApp({ root: shadow, host, embedded: true, storageKey: null, samples: {} })
        .then(() => 'started', (e) => ({ fatal: e.fatal, message: e.message, state: host.dataset.state,
          shown: box.hidden ? '' : box.textContent }));
    });
    assert.equal(outcome.fatal, true);
    assert.match(outcome.message, /markup .*"app".* is missing/);
    assert.equal(outcome.shown, outcome.message);
    assert.equal(outcome.state, 'error');
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
    await nudge(page, PAGE, 'insights', 'ArrowRight');
    await waitForNetValue(page, PAGE, String(ctx.insights10.overall.net_value.mean));
  });

  it('disposes the second instance and the page carries on', async () => {
    const page = await open();
    await addSecondCalculator(page);
    await page.evaluate(() => {
      const host = document.querySelector('[data-testid="second-calculator"]');
      const app = window.__second;
      // Work still pending when it goes: a weight for the next frame, a chart redraw. Were those
      // frames not cancelled, they would call the disposed calculator and throw.
      const slider = app.root.querySelector('[data-testid="weight-price"]');
      slider.value = '3';
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      app.resultCharts.schedule();
      app.dispose();
      window.__second.dispose(); // twice is harmless
      host.remove();
      window.dispatchEvent(new Event('pagehide'));
      window.dispatchEvent(new Event('resize'));
    });
    await page.waitForTimeout(300);
    await nudge(page, PAGE, 'insights', 'ArrowRight');
    await waitForNetValue(page, PAGE, String(ctx.insights10.overall.net_value.mean));
  });
});

describe('embedding only', () => {
  it('starts nothing in a page without the calculator markup, and an embedded one works there', async () => {
    // The built page without its header, main and footer: the scripts and samples only, as a
    // host page that embeds calculators would load them.
    const stripped = ctx.builtPage.replace(/<header[\s\S]*?<\/footer>/, '<p id="host-page">A host page</p>');
    assert.ok(!stripped.includes('id="app"'));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cvc-embed-')), 'host.html');
    fs.writeFileSync(file, stripped);
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    const problems = h.watchProblems(page);
    try {
      await page.goto('file://' + file);
      await page.waitForFunction(() => typeof window.CVC === 'object' && typeof window.CVC.createApp === 'function');
      await page.waitForTimeout(300);
      assert.equal(await page.getAttribute('body', 'data-state'), null);
      await addSecondCalculator(page);
      assert.equal(await netValue(page, SECOND), String(ctx.sample.overall.net_value.mean));
      assert.equal(await page.getAttribute('body', 'data-state'), null);
      assert.deepEqual(await page.evaluate(() => window.__storageCalls), []);
    } finally {
      await context.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
    assert.deepEqual(problems, [], 'the page logged errors');
  });
});
