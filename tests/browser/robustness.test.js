// Hostile and broken input in the page: markup in labels, models with no data, a module that
// fails to load, and no network use. Served over http and opened from file://.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const h = require('./harness.js');
const { assert } = h;

const ctx = {};
const XSS = '<img src=x onerror=window.__xss=1>';

h.setUpSuite(ctx, async () => {
});

function hostileModel() {
  return {
    schema: 'customer-value-model', version: 1, name: 'Model ' + XSS, currency: 'EUR',
    items: [
      { id: 'gain', label: XSS, side: 'benefit', kind: 'functional', weight: 6, scale: '1-7', score: 5 },
      { id: 'pain', label: 'Cost <script>window.__xss=2</script>', side: 'cost', kind: 'effort',
        weight: 4, scale: '0-10', score: 3, reverse: true },
    ],
    segments: [
      { id: 'seg', label: '<b onmouseover=window.__xss=3>bold</b>', group: XSS, weights: { gain: 9 } },
    ],
  };
}

h.describeOnTargets('robustness', ctx, ({ open, session, target }) => {
  it('shows markup in labels, names and groups as text, never as HTML', async () => {
    const page = await open();
    const model = hostileModel();
    await page.fill('[data-testid="model-text"]', JSON.stringify(model));
    await page.click('[data-testid="load-pasted"]');
    await page.waitForFunction(() => document.querySelectorAll('.item-row').length === 2);
    assert.equal(await page.textContent('h1'), model.name);
    assert.equal(await page.textContent('[data-testid="item-gain"] .item-label'), XSS);
    assert.equal(await page.textContent('[data-testid="segment-row-seg"] th'), model.segments[0].label);
    assert.equal(await page.textContent('[data-testid="segment-row-seg"] td'), XSS);
    const expected = await h.expectedResults(model);
    assert.equal(await h.dataValue(page, 'net-value'), String(expected.overall.net_value.mean));
    // The label also reaches the chart (SVG text) and an error message that quotes it.
    assert.match(await h.visibleText(page), /<img src=x onerror=window.__xss=1>/);
    const input = page.locator('[data-testid="score-gain"]');
    await input.fill('8');
    await input.press('Enter');
    assert.match(await page.textContent('[data-testid="score-error-gain"]'), /<img src=x onerror/);
    await page.hover('[data-testid="segment-row-seg"] th');
    await page.waitForTimeout(50);
    assert.deepEqual(await page.evaluate(() => ({
      xss: window.__xss,
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('main script').length,
      bold: document.querySelectorAll('main b').length,
    })), { xss: undefined, images: 0, scripts: 0, bold: 0 });
    await h.assertNoBrokenNumbers(page);
  });

  it('shows "no data" reasons in words, never NaN, Infinity or undefined', async () => {
    const page = await open();
    await h.assertNoBrokenNumbers(page);
    // A model without entered scores has no data at all.
    const empty = {
      schema: 'customer-value-model', version: 1, name: 'No scores yet', currency: 'USD',
      items: [
        { id: 'a', label: 'Benefit A', side: 'benefit', kind: 'functional', weight: 5, scale: '1-5' },
        { id: 'b', label: 'Cost B', side: 'cost', kind: 'price', weight: 5, scale: 'currency', reference_amount: 100 },
      ],
      segments: [{ id: 's', label: 'Segment S', group: 'G' }],
    };
    const expected = await h.expectedResults(empty);
    assert.equal(expected.overall.source, 'none');
    await page.fill('[data-testid="model-text"]', JSON.stringify(empty));
    await page.click('[data-testid="load-pasted"]');
    await page.waitForFunction(() => document.querySelector('h1').textContent === 'No scores yet');
    for (const id of ['net-value', 'total-benefits', 'total-costs', 'value-index']) {
      assert.equal(await h.dataValue(page, id), '', id + ' has no value');
    }
    assert.equal(await page.textContent('[data-testid="net-value"]'), 'No data');
    assert.match(await page.textContent('#net-value-ci'), /^No data: no score entered for "Benefit A"\.$/);
    assert.match(await page.textContent('[data-testid="segment-row-s"]'), /No data: no score entered/);
    assert.match(await page.textContent('[data-testid="sensitivity-chart"]'), /No sensitivity/);
    await h.assertNoBrokenNumbers(page);

    // One score in: still no data (the other item has none); both in: a number.
    await page.fill('[data-testid="score-a"]', '4');
    await page.press('[data-testid="score-a"]', 'Tab');
    await page.fill('[data-testid="score-b"]', '25');
    await page.press('[data-testid="score-b"]', 'Tab');
    const scored = await h.expectedResults(empty,
      { calls: [['setEnteredScore', 'a', 4], ['setEnteredScore', 'b', 25]] });
    await h.waitForValue(page, 'net-value', String(scored.overall.net_value.mean));
    // Ratings and amounts together: the unit is mixed and the page says so.
    assert.match(await page.textContent('[data-testid="unit-note"]'), /Only the value index compares fairly/);
    await h.assertNoBrokenNumbers(page);

    // Back to the sample (with its survey).
    await page.click('[data-testid="load-sample"]');
    await page.locator('[data-testid="use-entered"]').waitFor();
    await h.assertNoBrokenNumbers(page);
  });

  it('makes no network requests', async () => {
    const page = await open();
    await page.locator('[data-testid="weight-price"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(100);
    const own = target.url(ctx).replace(/[?#].*$/, '');
    const foreign = session().requests.filter((url) => url !== own && !url.startsWith('data:'));
    assert.deepEqual(foreign, []);
  });

  it('says so in words when the WebAssembly module cannot start', async () => {
    const page = await open({
      waitFor: 'error',
      init: h.refuseWebAssembly,
    });
    session().allowProblems = true; // the module itself logs its failure to the console
    const message = await page.textContent('[data-testid="fatal-error"]');
    assert.match(message, /The calculation engine \(WebAssembly\) could not start/);
    assert.equal(await page.isVisible('[data-testid="fatal-error"]'), true);
    assert.equal(await page.isVisible('#app'), false);
    await h.assertNoBrokenNumbers(page);
  });
});
