// Business value in the page, end to end in headless Chromium, served over http and opened from
// file://: the sample customer table on open, the customer CSV import (mapping, problems, confirm,
// cancel), the satisfaction-vs-value map and the satisfied-but-eroding list with its CSV export,
// the business settings, and the quick calculators. Expected numbers come from the JS API under
// node, computed the way the page computes them, and for tests/fixtures/csv/customers.csv from
// the hand computation in tests/native/test_customers.cpp.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness.js');
const { assert } = h;

const ctx = {};
const XSS = '<img src=x onerror=window.__xss=1>';
const sampleCustomers = fs.readFileSync(path.join(h.root, 'web', 'sample', 'customers.csv'));
const customersCsv = h.csvFixture('customers.csv');
const customersBadCsv = h.csvFixture('customers-bad.csv');
// Satisfied (NPS 9–10) yet costing more than they bring: all three are value-eroding, and two
// ids would run as spreadsheet formulas if exported as they are.
const HOSTILE_CSV = 'customer_id,segment,revenue,support_cost,nps\r\n' +
  '"' + XSS + '","' + XSS + '",100,500,10\r\n' +
  '"=HYPERLINK(""http://example.invalid"")",SMB,100,500,9\r\n' +
  '-2+3,SMB,100,500,10\r\n';

/**
 * Business results from the JS API under node, as the page gets them: the sample model and
 * survey, then a customer table imported with the proposed mapping, then settings changes.
 */
async function expectedBusiness(csv, settings, read = (calc) => calc.businessResults()) {
  const api = require(h.apiFile);
  const calc = await api.create();
  try {
    calc.loadModel(h.sampleModel);
    calc.setResponseRecords(h.surveyRecords());
    const preview = calc.importCustomersCsv(csv);
    calc.checkCustomerImport(preview.columns.map((c) => c.proposed),
      { delimiter: preview.delimiter, decimal_comma: preview.decimal_comma });
    calc.commitCustomerImport();
    if (settings) calc.setBusinessSettings(settings(calc.model().business));
    return read(calc);
  } finally {
    calc.dispose();
  }
}

h.setUpSuite(ctx, async () => {
  const api = require(h.apiFile);
  ctx.sample = await expectedBusiness(sampleCustomers);
  ctx.bad = await expectedBusiness(fs.readFileSync(customersBadCsv));
  ctx.fixture = await expectedBusiness(fs.readFileSync(customersCsv));
  ctx.list = await expectedBusiness(sampleCustomers, null, (calc) => ({
    first: calc.customers(0, 25), second: calc.customers(25, 25), unplaced: calc.businessResults().quadrants.unplaced.customers,
    preview: calc.importCustomersCsv(fs.readFileSync(customersCsv)),
  }));
  ctx.margin80 = await expectedBusiness(sampleCustomers, (b) => Object.assign(b, { default_gross_margin: 0.8 }));
  ctx.usage4 = await expectedBusiness(sampleCustomers, (b) => {
    b.health.find((m) => m.measure === 'usage').weight = 4;
    return b;
  });
  const discounted = { margin: 100, retention: 0.8, discount_rate: 0.1, retention_period: 'year', discount_period: 'year' };
  ctx.dclv = (await api.quick('discounted_clv', discounted)).clv;
  ctx.dclvNow = (await api.quick('discounted_clv', { ...discounted, first_margin_now: true })).clv;
  ctx.dclvNowD0 = (await api.quick('discounted_clv', { ...discounted, first_margin_now: true, discount_rate: 0 })).clv;
  ctx.saas = (await api.quick('saas_ltv',
    { arpa: 100, arpa_period: 'month', gross_margin: 0.8, churn_rate: 0.02, churn_period: 'month' })).ltv;
});

function csvFile(name, content) {
  return { name, mimeType: 'text/csv', buffer: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8') };
}

/** Imports a customer CSV through the file input; `confirmations` presses of Import. */
async function importCustomers(page, file, confirmations = 1) {
  await page.setInputFiles('[data-testid="customer-csv-input"]', file);
  await page.locator('[data-testid="customer-import-step"]').waitFor();
  for (let i = 0; i < confirmations; i++) await page.click('[data-testid="customer-import-confirm"]');
}

async function statusText(page) {
  return page.textContent('[data-testid="customer-import-status"]');
}

h.describeOnTargets('business value', ctx, ({ open }) => {
  it('opens with the sample customers: contribution, CLV, churn, NRR, GRR and the map as the API computes them', async () => {
    const page = await open();
    const b = ctx.sample;
    const expected = {
      'contribution-total': b.overall.contribution_total,
      clv: b.overall.clv_mean.value,
      'churn-rate': b.overall.monthly_churn.value,
      nrr: b.mrr.nrr.value,
      grr: b.mrr.grr.value,
      'quadrant-satisfied-eroding': b.quadrants.satisfied_eroding.customers,
    };
    for (const [testid, value] of Object.entries(expected)) {
      assert.ok(Number.isFinite(value), testid + ' is finite in the API');
      assert.equal(await h.dataValue(page, testid), String(value), testid);
    }
    assert.match(await page.textContent('[data-testid="churn-rate"]'), /^\d+\.\d+% per month$/);
    assert.match(await page.textContent('[data-testid="customer-source"]'), /172 customers from the sample customer table; revenue and contribution per month/);
    // The survey join: respondents R0001… are customers; C0001… have no survey answers.
    assert.equal(await h.dataValue(page, 'join-matched'), String(b.survey_join.matched));
    assert.equal(await h.dataValue(page, 'join-unmatched-customers'), String(b.survey_join.unmatched_customer_count));
    assert.match(await page.textContent('[data-testid="join-unmatched-customers"]'), /12 customer ids have no survey respondent/);
    // The map: one dot per placed customer, the eroding list, and the message beside it.
    const map = page.locator('[data-testid="value-map"]');
    assert.equal(await map.locator('svg circle.map-dot').count(), b.points.length);
    assert.equal(await map.locator('svg circle.map-dot.q-satisfied-eroding').count(), b.quadrants.satisfied_eroding.customers);
    assert.match(await map.locator('svg').textContent(), /Satisfied and valuable/);
    assert.equal(await page.isVisible('[data-testid="satisfied-not-valuable"]'), true);
    assert.equal(await page.locator('[data-testid="eroding-table"] tbody tr').count(), Math.min(25, b.eroding.length));
    assert.equal(await page.locator('[data-testid="biz-segment-table"] tbody tr').count(), 1 + b.segments.length);
    assert.equal(await page.locator('[data-testid="health-chart"] svg rect.bar-health-green').count(), 1 + b.segments.length);
    // The health chart's own data table: customers per band, overall first.
    const healthRows = page.locator('[data-testid="health-table"] tbody tr');
    assert.equal(await healthRows.count(), 1 + b.segments.length);
    const o = b.overall.health;
    const scored = o.red + o.yellow + o.green;
    assert.deepEqual(await healthRows.first().locator('th, td').allTextContents(), ['All customers',
      ...[o.red, o.yellow, o.green].map((n) => n + ' (' + Math.round((100 * n) / scored) + '%)'), String(scored)]);
    assert.match(await page.textContent('[data-testid="mrr-summary"]'), /^From MRR 2026-10 to MRR 2026-11/);
    await h.assertNoBrokenNumbers(page);
  });

  it('imports customer CSVs: problems listed, valid rows on confirmation, cancel changes nothing, hand-computed results', async () => {
    const page = await open();
    const sampleTotal = String(ctx.sample.overall.contribution_total);

    // customers-bad.csv: 6 problems by row and column; nothing changes until confirmed.
    await importCustomers(page, customersBadCsv);
    await page.locator('[data-testid="customer-import-report"]').waitFor();
    assert.equal(await page.locator('[data-testid="customer-problems-table"] tbody tr').count(), 6);
    const first = await page.locator('[data-testid="customer-problems-table"] tbody tr').first().textContent();
    assert.match(first, /^22revenue-5Negative revenue is not allowed$/);
    assert.match(await statusText(page), /6 of 7 rows have problems/);
    assert.equal(await page.textContent('[data-testid="customer-import-confirm"]'), 'Import 1 valid row');
    assert.equal(await h.dataValue(page, 'contribution-total'), sampleTotal);
    await page.click('[data-testid="customer-import-confirm"]');
    await h.waitForValue(page, 'contribution-total', String(ctx.bad.overall.contribution_total));
    assert.match(await statusText(page), /^Imported 1 customer from "customers-bad\.csv", replacing the 172 loaded before\. 6 rows were left out/);
    assert.equal(await page.isVisible('[data-testid="customer-import-step"]'), false);

    // Refused files and a cancelled (dropped) import leave the table as it was.
    const kept = String(ctx.bad.overall.contribution_total);
    await page.setInputFiles('[data-testid="customer-csv-input"]', csvFile('empty.csv', ''));
    await page.waitForFunction(() => /^Could not import "empty\.csv": The file is empty/
      .test(document.querySelector('[data-testid="customer-import-status"]').textContent));
    await importCustomers(page, csvFile('no-revenue.csv', 'customer_id,nps\r\na,9\r\n'));
    assert.match(await statusText(page), /^This mapping cannot be imported: Map a revenue column/);
    assert.equal(await page.getAttribute('[data-testid="customer-import-status"]', 'data-kind'), 'error');
    await h.dropFile(page, 'customer-section', 'dropped.csv', fs.readFileSync(customersCsv, 'utf8'), 'text/csv');
    await page.waitForFunction(() => /dropped\.csv/.test(document.querySelector('#customer-import-title').textContent));
    assert.equal(await page.inputValue('[data-testid="customer-map-field-1"]'), 'segment');
    assert.equal(await page.inputValue('[data-testid="customer-map-label-1"]'), 'segment');
    await page.click('[data-testid="customer-import-cancel"]');
    assert.match(await statusText(page), /^Import of "dropped\.csv" cancelled; nothing changed\.$/);
    assert.equal(await h.dataValue(page, 'contribution-total'), kept);
    assert.equal(await page.locator('[data-testid="customer-view"] tbody tr').count(), 1);
    // Nobody churned, so x7's CLV is unbounded: said in words, not as a number.
    const x7 = ctx.bad.overall.clv_mean;
    assert.equal(x7.value, null);
    assert.equal(await page.textContent('[data-testid="customer-view"] tr[data-id="x7"] td[data-key="clv"]'), 'Unbounded: no customer has churned.');

    // customers.csv, by hand: contribution 550 − 250 + 1,500 + 800 = 2,600; c2 is satisfied but eroding.
    await importCustomers(page, customersCsv);
    await h.waitForValue(page, 'contribution-total', '2600');
    assert.equal(String(ctx.fixture.overall.contribution_total), '2600');
    assert.equal(await h.dataValue(page, 'quadrant-satisfied-eroding'), '1');
    assert.equal(await h.dataValue(page, 'clv'), String(ctx.fixture.overall.clv_mean.value));
    assert.equal(await h.dataValue(page, 'churn-rate'), String(ctx.fixture.overall.monthly_churn.value));
    assert.equal(await h.dataValue(page, 'nrr'), '');
    assert.match(await page.textContent('[data-testid="nrr"]'), /No MRR/);
    const map = page.locator('[data-testid="value-map"]');
    assert.equal(await map.locator('svg circle.map-dot').count(), 4);
    assert.equal(await map.locator('[data-testid="quadrant-table"] tbody tr').count(), 5);
    assert.match(await map.locator('[data-testid="quadrant-table"]').textContent(), /Satisfied but value-eroding.*1\$500/);
    assert.equal(await page.locator('[data-testid="customer-view"] tbody tr').count(), 4);
    const eroding = page.locator('[data-testid="eroding-table"] tbody tr');
    assert.equal(await eroding.count(), 1);
    assert.match(await eroding.first().textContent(), /^c2SMB9\$500\$500.*250/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="eroding-export"]'),
    ]);
    assert.equal(download.suggestedFilename(), 'satisfied-but-value-eroding-customers.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    assert.equal(csv[0], 'customer_id,segments,nps,revenue_per_month,cost_to_serve_per_month,contribution_per_month,clv,health');
    const e = ctx.fixture.eroding[0];
    assert.equal(csv[1], ['c2', 'SMB', 9, 500, 500, -250, e.clv, e.health].map(String).join(','));
    await h.assertNoBrokenNumbers(page);

    // Markup in ids and segments is text; formula-like ids are neutralised in the export.
    await importCustomers(page, csvFile('hostile.csv', HOSTILE_CSV));
    await h.waitForValue(page, 'quadrant-satisfied-eroding', '3');
    assert.match(await h.visibleText(page), /<img src=x onerror=window\.__xss=1>/);
    assert.equal(await page.locator('[data-testid="eroding-table"] tbody tr').first().locator('th').textContent(), XSS);
    await page.hover('[data-testid="value-map"] svg circle.map-dot >> nth=0');
    assert.deepEqual(await page.evaluate(() => [window.__xss, document.querySelectorAll('main img').length]), [undefined, 0]);
    const [hostile] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="eroding-export"]')]);
    const lines = fs.readFileSync(await hostile.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    assert.ok(lines.some((l) => l.startsWith(XSS + ',' + XSS + ',10,100,500,-430,')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('"\'=HYPERLINK(""http://example.invalid"")",SMB,9,')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith("'-2+3,SMB,10,100,500,-430,")), lines.join('\n'));
  });

  it('lists every customer with their own results, those not on the map too; the mapping step says what was detected', async () => {
    const page = await open();
    const { first, second, unplaced } = ctx.list;
    assert.equal(first.customers, 172);
    assert.ok(unplaced > 0, 'the sample has customers the map cannot place');
    assert.equal(await page.textContent('[data-testid="customer-range"]'),
      'Customers 1–25 of 172. ' + unplaced + ' are not on the map: no NPS answer (in the table or the survey), or no value.');
    const rows = page.locator('[data-testid="customer-view"] tbody tr');
    assert.equal(await rows.count(), 25);
    const cell = (id, key) => page.locator('[data-testid="customer-view"] tr[data-id="' + id + '"] td[data-key="' + key + '"]');
    for (const c of first.page) {
      assert.equal(await cell(c.id, 'revenue').getAttribute('data-value'), String(c.revenue), c.id + ' revenue');
      assert.equal(await cell(c.id, 'clv').getAttribute('data-value'), String(c.clv.value), c.id + ' CLV');
    }
    const c1 = first.page[0];
    assert.match(await rows.first().textContent(), new RegExp('^' + c1.id + 'Edit\u00d7(Enterprise|SMB)\\$[\\d,]+'));
    assert.equal(await cell(c1.id, 'revenue').textContent(), '$' + c1.revenue.toLocaleString('en-US'));
    assert.equal(await cell(c1.id, 'contribution').getAttribute('data-value'), String(c1.contribution));
    assert.equal(await cell(c1.id, 'cost_to_serve').getAttribute('data-value'), String(c1.cost_to_serve));
    // Health with its band; satisfaction marked when it came from the survey; the quadrant or "not on the map".
    const band = (h) => (h <= 50 ? 'red' : h <= 75 ? 'yellow' : 'green');
    assert.equal(await cell(c1.id, 'health').getAttribute('data-band'), band(c1.health));
    assert.match(await cell(c1.id, 'health').textContent(), new RegExp('^' + Math.round(c1.health) + band(c1.health) + '$'));
    const fromSurvey = first.page.find((c) => c.satisfaction_from_survey);
    assert.equal(await cell(fromSurvey.id, 'satisfaction').textContent(), fromSurvey.satisfaction + 'from survey');
    const off = first.page.find((c) => c.quadrant === 'unplaced');
    assert.match(await page.textContent('[data-testid="customer-view"] tr[data-id="' + off.id + '"]'), /Not on the map/);
    const churned = first.page.find((c) => c.churned);
    assert.match(await cell(churned.id, 'churned').textContent(), /^Churned\d+ months/);
    assert.match(await cell(churned.id, 'clv').textContent(), /value to date$/);
    await page.click('[data-testid="customer-next"]');
    assert.match(await page.textContent('[data-testid="customer-range"]'), /^Customers 26–50 of 172\./);
    assert.equal(await cell(second.page[0].id, 'revenue').getAttribute('data-value'), String(second.page[0].revenue));

    // The mapping step of a customer file says what each column holds, as the survey's does.
    await importCustomers(page, customersCsv, 0);
    assert.deepEqual(await page.$$eval('[data-testid="customer-mapping-table"] thead th', (ths) => ths.map((th) => th.textContent)),
      ['Column', 'Examples', 'Detected', 'Use as', 'Details']);
    const revenue = ctx.list.preview.columns[2];
    assert.equal(revenue.header, 'revenue');
    const detected = page.locator('[data-testid="customer-map-row-2"] .map-profile');
    if (revenue.profile) assert.equal(await detected.textContent(), 'whole numbers 500 to 5000');
    else assert.equal(await detected.isVisible(), false, 'without profiles from the API the column is left out');
    assert.equal(await page.textContent('[data-testid="customer-map-row-0"] .example'), 'c1');
    await page.click('[data-testid="customer-import-cancel"]');
    await h.assertNoBrokenNumbers(page);
  });

  it('changes business settings: a refused value names the field and keeps the results; sliders work from the keyboard', async () => {
    const page = await open();
    await page.click('[data-testid="business-settings"] summary');
    const sampleTotal = String(ctx.sample.overall.contribution_total);
    const margin = page.locator('[data-testid="setting-margin"]');
    assert.equal(await margin.inputValue(), '70');
    await margin.fill('150');
    await margin.press('Enter');
    await page.locator('[data-testid="setting-error-setting-margin"]').waitFor();
    assert.match(await page.textContent('[data-testid="setting-error-setting-margin"]'),
      /^Default gross margin: business\.default_gross_margin: .*0% to 100%.*The previous value \(70%\) is kept\.$/);
    assert.equal(await margin.getAttribute('aria-invalid'), 'true');
    assert.equal(await h.dataValue(page, 'contribution-total'), sampleTotal);
    await margin.fill('abc');
    await margin.press('Enter');
    assert.match(await page.textContent('[data-testid="setting-error-setting-margin"]'), /"abc" is not a number/);
    assert.equal(await h.dataValue(page, 'contribution-total'), sampleTotal);
    await margin.fill('80');
    await margin.press('Enter');
    await h.waitForValue(page, 'contribution-total', String(ctx.margin80.overall.contribution_total));
    assert.equal(await margin.getAttribute('aria-invalid'), null);
    assert.equal(await page.isVisible('[data-testid="setting-error-setting-margin"]'), false);
    assert.match(await page.textContent('#settings-summary'), /default margin 80%/);

    // Reset the margin, then move the usage weight one step with the keyboard.
    await margin.fill('70');
    await margin.press('Tab');
    await h.waitForValue(page, 'contribution-total', sampleTotal);
    const slider = page.locator('[data-testid="health-weight-usage"]');
    assert.equal(await slider.getAttribute('aria-valuetext'), '3 of 10');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    const o = ctx.usage4.overall.health;
    await page.waitForFunction((text) => document.querySelector('[data-testid="biz-overall-row"]').textContent.includes(text),
      o.red + ' / ' + o.yellow + ' / ' + o.green);
    assert.equal(await slider.getAttribute('aria-valuetext'), '4 of 10');

    // Bands out of order: refused with the calculator's message; the results stay.
    const red = page.locator('[data-testid="band-red-max"]');
    await red.fill('80');
    await red.press('Enter');
    assert.match(await page.textContent('[data-testid="setting-error-band-red-max"]'), /^Red up to: business\.bands: /);
    assert.equal(await red.getAttribute('aria-invalid'), 'true');
    await h.assertNoBrokenNumbers(page);
  });

  it('quick calculators: discounted CLV, SaaS LTV, refused inputs keep the last result, mismatched periods are named', async () => {
    const page = await open();
    // Discounted CLV: m = 100, r = 80%, d = 10%: 100 × 0.8 / 0.3.
    assert.equal(await h.dataValue(page, 'quick-dclv'), String(ctx.dclv));
    assert.match(String(ctx.dclv), /^266\.666/);
    assert.match(await page.textContent('[data-testid="quick-dclv"]'), /266\.67/);
    assert.match(await page.textContent('[data-testid="quick-dclv-formula"]'), /m·r ÷ \(1 \+ d − r\) = 100 × 0\.8 ÷ \(1 \+ 0\.1 − 0\.8\)/);
    await page.check('[data-testid="qd-first-now"]');
    await h.waitForValue(page, 'quick-dclv', String(ctx.dclvNow));
    assert.match(await page.textContent('[data-testid="quick-dclv"]'), /366\.67/);
    assert.match(await page.textContent('[data-testid="quick-dclv-formula"]'), /m·\(1 \+ d\) ÷ \(1 \+ d − r\)/);

    // r = 100% with d = 0: infinite; the message names retention and the last result stays.
    await page.fill('[data-testid="qd-discount"]', '0');
    await h.waitForValue(page, 'quick-dclv', String(ctx.dclvNowD0));
    await page.fill('[data-testid="qd-retention"]', '100');
    await page.press('[data-testid="qd-retention"]', 'Tab');
    await page.waitForFunction(() => document.querySelector('#qd-retention').getAttribute('aria-invalid') === 'true');
    assert.match(await page.textContent('#qd-retention-error'), /retention/);
    assert.match(await page.textContent('#qd-retention-error'), /infinite/);
    assert.equal(await h.dataValue(page, 'quick-dclv'), String(ctx.dclvNowD0));
    assert.equal(await page.isVisible('#quick-dclv .quick-stale'), true);
    // Mismatched periods are refused in words, never converted.
    await page.fill('[data-testid="qd-retention"]', '80');
    await page.fill('[data-testid="qd-discount"]', '10');
    await h.waitForValue(page, 'quick-dclv', String(ctx.dclvNow));
    assert.equal(await page.isVisible('#quick-dclv .quick-stale'), false);
    await page.selectOption('[data-testid="qd-discount-period"]', 'month');
    await page.waitForFunction(() => /units don't match/.test(document.querySelector('#qd-discount-period-error').textContent));
    assert.equal(await page.getAttribute('#qd-discount-period', 'aria-invalid'), 'true');
    assert.equal(await h.dataValue(page, 'quick-dclv'), String(ctx.dclvNow));
    await page.selectOption('[data-testid="qd-discount-period"]', 'year');
    await page.waitForFunction(() => !document.querySelector('#qd-discount-period').hasAttribute('aria-invalid'));
    assert.equal(await h.dataValue(page, 'quick-dclv'), String(ctx.dclvNow));
    assert.equal(await page.isVisible('#quick-dclv .quick-stale'), false);

    // SaaS LTV: 100 a month × 80% ÷ 2% a month = 4,000; churn 0 is unbounded, said in words.
    assert.equal(ctx.saas, 4000);
    assert.equal(await h.dataValue(page, 'quick-saas-ltv'), '4000');
    assert.match(await page.textContent('[data-testid="quick-saas-ltv"]'), /\$4,000/);
    await page.fill('[data-testid="qa-churn"]', '0');
    await page.waitForFunction(() => document.querySelector('[data-testid="quick-saas-ltv"]').textContent === 'Unbounded');
    assert.equal(await h.dataValue(page, 'quick-saas-ltv'), '');
    assert.match(await page.textContent('[data-testid="quick-saas-formula"]'), /^Unbounded: with no churn a customer never leaves/);
    await page.fill('[data-testid="qa-churn"]', '2');
    await h.waitForValue(page, 'quick-saas-ltv', '4000');
    await page.fill('[data-testid="qa-margin"]', '180');
    await page.waitForFunction(() => document.querySelector('#qa-margin').getAttribute('aria-invalid') === 'true');
    assert.match(await page.textContent('#qa-margin-error'), /gross margin \(gross_margin\) must be between 0% and 100%/);
    assert.equal(await h.dataValue(page, 'quick-saas-ltv'), '4000');
    await page.selectOption('[data-testid="qa-churn-period"]', 'year');
    await page.fill('[data-testid="qa-margin"]', '80');
    await page.waitForFunction(() => /units don't match/.test(document.querySelector('#qa-churn-period-error').textContent));

    // Churn above 100% and a count above its total name their fields.
    await page.fill('[data-testid="qc-lost"]', '250');
    await page.waitForFunction(() => /churn above 100%/.test(document.querySelector('#qc-lost-error').textContent));
    assert.match(await page.textContent('[data-testid="quick-churn-rate"]'), /^5\.0% per month$/);
    await page.fill('[data-testid="qt-count"]', '-1');
    await page.press('[data-testid="qt-count"]', 'Tab');
    await page.waitForFunction(() => document.querySelector('#qt-count').getAttribute('aria-invalid') === 'true');
    assert.match(await page.textContent('#qt-count-error'), /count/);
    await h.assertNoBrokenNumbers(page);
  });
});
