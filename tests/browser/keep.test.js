// Keeping your work (issue 5, first steps): the results as CSV, the model autosaved in
// localStorage and restored after a reload, "Start over", a corrupt saved value, and a browser
// whose storage refuses writes. Each test opens its own browser context (harness openPage), so
// nothing saved here reaches another test.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const h = require('./harness.js');
const { assert } = h;

const KEY = 'cvc.model.v1';
const ctx = {};

h.setUpSuite(ctx, async () => {
  ctx.sample = await h.expectedResults(h.sampleModel, { survey: true });
});

/** Moves the "insights" slider 9 → 10 and waits until the change is saved. */
async function raiseInsights(page) {
  await page.locator('[data-testid="weight-insights"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((key) => {
    const text = localStorage.getItem(key);
    return text !== null && JSON.parse(text).items.find((i) => i.id === 'insights').weight === 10;
  }, KEY, { timeout: 5000 });
}

async function reload(page) {
  await page.reload();
  await page.waitForSelector('body[data-state="ready"]', { timeout: 15000 });
}

h.describeOnTargets('keep', ctx, ({ open }) => {
  it('downloads the results as CSV, one row per view, overall first', async () => {
    const page = await open();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-results-csv"]'),
    ]);
    assert.equal(download.suggestedFilename(), 'customer-value-results.csv');
    const lines = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
    assert.ok(lines[1].startsWith('All customers'), lines.slice(0, 3).join('\n'));
    assert.ok(lines.some((l) => l.includes(String(ctx.sample.overall.net_value.mean))), 'unrounded net value');
  });

  it('restores a changed weight after a reload, and "Start over" brings back the sample', async () => {
    const page = await open();
    assert.equal(await page.isVisible('[data-testid="restore-notice"]'), false);
    await raiseInsights(page);
    await reload(page);
    assert.equal(await page.isVisible('[data-testid="restore-notice"]'), true);
    assert.match(await page.textContent('[data-testid="restore-notice"]'),
      /Restored your last model \(saved in this browser\)[\s\S]*survey responses and customer table are saved/);
    assert.equal(await page.inputValue('[data-testid="weight-insights"]'), '10');
    // The saved model still fits the sample survey, so the survey is used as on first open.
    const expected = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'insights', 10]] });
    await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));

    await page.click('[data-testid="start-over"]');
    assert.equal(await page.inputValue('[data-testid="weight-insights"]'), '9');
    assert.equal(await page.isVisible('[data-testid="restore-notice"]'), false);
    await h.waitForValue(page, 'net-value', String(ctx.sample.overall.net_value.mean));
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), null);
    await reload(page);
    assert.equal(await page.inputValue('[data-testid="weight-insights"]'), '9');
    assert.equal(await page.isVisible('[data-testid="restore-notice"]'), false);
  });

  it('leaves the sample in place and keeps a saved value that does not load', async () => {
    const page = await open();
    await page.evaluate((key) => localStorage.setItem(key, '{"not": "a model"'), KEY);
    await reload(page);
    await h.waitForValue(page, 'net-value', String(ctx.sample.overall.net_value.mean));
    assert.equal(await page.inputValue('[data-testid="weight-insights"]'), '9');
    assert.equal(await page.isVisible('[data-testid="restore-notice"]'), false);
    assert.match(await page.textContent('[data-testid="storage-status"]'), /saved in this browser could not be loaded/);
    assert.equal(await page.isVisible('[data-testid="storage-status"]'), true);
    // A change does not overwrite the saved value.
    await page.locator('[data-testid="weight-insights"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(800);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), '{"not": "a model"');
  });

  it('says autosave is off when storage refuses writes, and keeps working', async () => {
    const page = await open({
      init: () => {
        Storage.prototype.setItem = function () {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      },
    });
    assert.match(await page.textContent('[data-testid="storage-status"]'), /Autosave is off: .*storage .* is full/);
    assert.equal(await page.isVisible('[data-testid="storage-status"]'), true);
    await page.locator('[data-testid="weight-insights"]').focus();
    await page.keyboard.press('ArrowRight');
    const expected = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'insights', 10]] });
    await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));
  });
});
