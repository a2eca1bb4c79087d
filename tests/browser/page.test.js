// The page, end to end in headless Chromium, served over http and opened from file://:
// sample results on open, live sliders, score entry, model files, segments, charts.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const h = require('./harness.js');
const { assert } = h;

const ctx = {};

h.setUpSuite(ctx, async () => {
  ctx.sample = await h.expectedResults(h.sampleModel, { survey: true });
});

h.describeOnTargets('page', ctx, ({ open }) => {
  it('opens on the sample model and survey with results the API agrees with', async () => {
    const page = await open();
    const o = ctx.sample.overall;
    assert.equal(o.source, 'survey');
    const net = await h.dataValue(page, 'net-value');
    assert.ok(Number.isFinite(Number(net)) && net !== '', 'net-value is a number: ' + net);
    assert.equal(net, String(o.net_value.mean));
    assert.equal(await h.dataValue(page, 'total-benefits'), String(o.total_benefits));
    assert.equal(await h.dataValue(page, 'total-costs'), String(o.total_costs));
    assert.equal(await h.dataValue(page, 'value-index'), String(o.value_index.mean));
    assert.equal(await page.textContent('h1'), h.sampleModel.name);
    assert.equal(await page.textContent('[data-testid="source-text"]'),
      'Using survey responses: ' + o.respondents + ' respondents (' + o.excluded_incomplete +
      ' excluded: skipped an item)');
    // Rounded for reading, with the interval.
    const ciText = await page.textContent('#net-value-ci');
    assert.match(ciText, new RegExp('^95% CI ' + o.net_value.ci_low.toFixed(1) + ' to ' +
      o.net_value.ci_high.toFixed(1) + ', n = ' + o.net_value.n + '$'));
    assert.equal(await page.textContent('[data-testid="net-value"]'), o.net_value.mean.toFixed(1));
    assert.match(await page.textContent('body'), /no data leaves this page/);
    await h.assertNoBrokenNumbers(page);
  });

  it('moves a weight slider with the keyboard and updates the net value live', async () => {
    const page = await open();
    const slider = page.locator('[data-testid="weight-insights"]');
    assert.equal(await slider.getAttribute('type'), 'range');
    // Labelled: the accessible name names the item.
    assert.match(await page.evaluate(() => {
      const s = document.querySelector('[data-testid="weight-insights"]');
      return s.labels[0].textContent;
    }), /Weight for Faster, better decisions/);
    await slider.focus();
    await page.keyboard.press('ArrowRight'); // 9 → 10
    const expected = await h.expectedResults(h.sampleModel,
      { survey: true, calls: [['setWeight', 'insights', 10]] });
    await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));
    assert.equal(await h.dataValue(page, 'value-index'), String(expected.overall.value_index.mean));
    assert.equal(await slider.getAttribute('aria-valuetext'), '10 of 10');
    assert.equal(await page.textContent('[data-testid="weight-value-insights"]'), '10');

    await page.keyboard.press('Home'); // 0
    const zero = await h.expectedResults(h.sampleModel,
      { survey: true, calls: [['setWeight', 'insights', 0]] });
    await h.waitForValue(page, 'net-value', String(zero.overall.net_value.mean));
  });

  it('rejects a score outside its scale next to the field and keeps the results', async () => {
    const page = await open();
    const before = await h.dataValue(page, 'net-value');
    const input = page.locator('[data-testid="score-price"]');
    await input.fill('9');
    await input.press('Enter');
    const error = page.locator('[data-testid="score-error-price"]');
    await error.waitFor({ state: 'visible' });
    const message = await error.textContent();
    assert.match(message, /Price and subscription fees/);
    assert.match(message, /1–5 scale/);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    assert.equal(await h.dataValue(page, 'net-value'), before);

    await input.fill('abc');
    await input.press('Tab');
    assert.match(await error.textContent(), /"Price and subscription fees" must be a number/);
    await input.fill('');
    await input.press('Tab');
    assert.match(await error.textContent(), /Enter a score for "Price and subscription fees"/);
    assert.equal(await h.dataValue(page, 'net-value'), before);
    await h.assertNoBrokenNumbers(page);

    // A valid score clears the message.
    await input.fill('4');
    await input.press('Tab');
    await error.waitFor({ state: 'hidden' });
    assert.equal(await input.getAttribute('aria-invalid'), null);
  });

  it('uses entered scores on request, and an entered score changes the result', async () => {
    const page = await open();
    await page.click('[data-testid="use-entered"]');
    const entered = await h.expectedResults(h.sampleModel);
    assert.equal(entered.overall.source, 'entered');
    await h.waitForValue(page, 'net-value', String(entered.overall.net_value.mean));
    assert.match(await page.textContent('[data-testid="source-text"]'), /results come from the entered scores/);
    assert.equal(await page.isVisible('[data-testid="use-entered"]'), false);
    assert.match(await page.textContent('#net-value-ci'), /^No interval: entered scores are not a sample/);

    const input = page.locator('[data-testid="score-price"]');
    await input.fill('4.5');
    await input.press('Tab');
    const changed = await h.expectedResults(h.sampleModel, { calls: [['setEnteredScore', 'price', 4.5]] });
    await h.waitForValue(page, 'net-value', String(changed.overall.net_value.mean));

    // And back to the survey.
    await page.click('[data-testid="reload-survey"]');
    const survey = await h.expectedResults(h.sampleModel,
      { survey: true, calls: [['setEnteredScore', 'price', 4.5]] });
    await h.waitForValue(page, 'net-value', String(survey.overall.net_value.mean));
    assert.match(await page.textContent('[data-testid="source-text"]'), /^Using survey responses/);
    await h.assertNoBrokenNumbers(page);
  });

  it('shows a row per segment with the API\'s numbers', async () => {
    const page = await open();
    const rows = page.locator('[data-testid="segment-table"] [data-testid^="segment-row-"]');
    assert.equal(await rows.count(), h.sampleModel.segments.length);
    assert.equal(await page.textContent('[data-testid="overall-row"] th'), 'All customers');
    for (const [i, view] of ctx.sample.segments.entries()) {
      const row = rows.nth(i);
      assert.equal(await row.getAttribute('data-testid'), 'segment-row-' + h.sampleModel.segments[i].id);
      assert.equal(await row.locator('th').textContent(), view.label);
      assert.equal(await row.locator('td[data-value]').first().getAttribute('data-value'),
        String(view.net_value.mean));
      assert.match(await row.textContent(), new RegExp(String(view.respondents)));
    }
  });

  it('refuses malformed JSON and a weight of 11, leaving model and results as they were', async () => {
    const page = await open();
    const before = {
      net: await h.dataValue(page, 'net-value'),
      index: await h.dataValue(page, 'value-index'),
      title: await page.textContent('h1'),
      rows: await page.locator('.item-row').count(),
    };
    // Move a weight first: that input must survive the refused loads too.
    await page.locator('[data-testid="weight-price"]').focus();
    await page.keyboard.press('ArrowLeft');
    const moved = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'price', 7]] });
    await h.waitForValue(page, 'net-value', String(moved.overall.net_value.mean));

    await page.fill('[data-testid="model-text"]', '{"schema": "customer-value-model", "version": 1, "items": [');
    await page.click('[data-testid="load-pasted"]');
    const status = page.locator('[data-testid="model-status"]');
    assert.equal(await status.getAttribute('role'), 'alert');
    assert.match(await status.textContent(), /not valid JSON/);
    assert.equal(await h.dataValue(page, 'net-value'), String(moved.overall.net_value.mean));

    const heavy = JSON.parse(JSON.stringify(h.sampleModel));
    heavy.name = 'Too heavy';
    heavy.items[0].weight = 11;
    await h.chooseModelFile(page, 'heavy.json', JSON.stringify(heavy));
    await page.waitForFunction(() => /got 11/.test(document.querySelector('[data-testid="model-status"]').textContent));
    assert.match(await status.textContent(), /Faster, better decisions.*from 0 to 10; got 11/);
    assert.equal(await h.dataValue(page, 'net-value'), String(moved.overall.net_value.mean));
    assert.equal(await page.textContent('h1'), before.title);
    assert.equal(await page.locator('.item-row').count(), before.rows);
    assert.equal(await page.inputValue('[data-testid="weight-price"]'), '7');
    assert.match(await page.textContent('[data-testid="source-text"]'), /^Using survey responses/);
    await h.assertNoBrokenNumbers(page);
  });

  it('loads the worked example from a file: 5,000 − 2,000 = 3,000', async () => {
    const page = await open();
    await page.setInputFiles('[data-testid="model-input"]', h.workedExamplePath);
    await h.waitForValue(page, 'net-value', '3000');
    assert.equal(await h.dataValue(page, 'total-benefits'), '5000');
    assert.equal(await h.dataValue(page, 'total-costs'), '2000');
    assert.equal(await page.textContent('[data-testid="net-value"]'), '$3,000');
    assert.equal(await page.textContent('[data-testid="model-status"]'), '');
    assert.match(await page.textContent('[data-testid="model-info"]'), /Loaded "worked-example.json"/);
    assert.match(await page.textContent('[data-testid="source-text"]'), /entered scores/);
    assert.equal(await page.locator('.item-row').count(), 2);
    assert.equal(await page.locator('[data-testid^="segment-row-"]').count(), 0);
    // The sample survey does not fit this model, so it is not offered.
    assert.equal(await page.isVisible('[data-testid="reload-survey"]'), false);
    await h.assertNoBrokenNumbers(page);

    // Back to the sample: the survey comes with it.
    await page.click('[data-testid="load-sample"]');
    await h.waitForValue(page, 'net-value', String(ctx.sample.overall.net_value.mean));
  });

  it('downloads the current model, with the weight that was set', async () => {
    const page = await open();
    await page.locator('[data-testid="weight-risk"]').focus();
    await page.keyboard.press('ArrowRight');
    const expected = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'risk', 5]] });
    await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="download-model"]'),
    ]);
    assert.match(download.suggestedFilename(), /^sample-a-b2b-analytics-subscription\.json$/);
    const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(saved.schema, 'customer-value-model');
    assert.equal(saved.items.find((i) => i.id === 'risk').weight, 5);
    assert.equal(saved.items.length, h.sampleModel.items.length);
  });

  it('draws both charts with text alternatives and switches the tornado measure', async () => {
    const page = await open();
    const bc = page.locator('[data-testid="benefit-cost-chart"]');
    assert.equal(await bc.locator('svg[role="img"]').count(), 1);
    assert.equal(await bc.locator('svg rect.bar-benefit').count(), 1 + 6); // the total and 6 items
    assert.equal(await bc.locator('#bc-table tbody tr').count(), h.sampleModel.items.length);

    const tornado = page.locator('[data-testid="sensitivity-chart"]');
    assert.equal(await tornado.locator('#tornado-table tbody tr').count(), ctx.sample.sensitivity.length);
    const first = ctx.sample.sensitivity[0];
    assert.equal(await tornado.locator('#tornado-table tbody tr th').first().textContent(), first.label);
    assert.match(await tornado.locator('svg title').first().textContent(), /^Net value/);
    await page.click('label[for="tornado-index"]');
    await page.waitForFunction(() =>
      /^Value index/.test(document.querySelector('[data-testid="sensitivity-chart"] svg title').textContent));
    const byIndex = ctx.sample.sensitivity.slice().sort((a, b) => b.value_index_swing - a.value_index_swing);
    assert.equal(await tornado.locator('#tornado-table tbody tr th').first().textContent(), byIndex[0].label);

    // A segment's contributions.
    await page.selectOption('[data-testid="bc-view"]', 'smb');
    await page.waitForFunction(() =>
      /SMB/.test(document.querySelector('[data-testid="benefit-cost-chart"] svg title').textContent));
    await h.assertNoBrokenNumbers(page);
  });
});
