// Business value through the JavaScript API: the quick calculators and the customer table,
// on the same hand-computed cases as tests/native/test_business.cpp and test_customers.cpp.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const api = require(path.join(process.env.CVC_WASM_DIR || path.join(root, 'build/wasm/wasm'), 'cvc-api.js'));
const { CalculatorError } = api;
const sampleModel = JSON.parse(fs.readFileSync(path.join(root, 'web/sample/model.json'), 'utf8'));
const csv = (name) => fs.readFileSync(path.join(root, 'tests/fixtures/csv', name));
const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

async function rejects(promise, field, pattern) {
  await assert.rejects(promise, (e) => e instanceof CalculatorError && e.field === field && pattern.test(e.message));
}

test('quick calculators: hand-computed values (m = 100, r = 0.8, d = 0.1 and others)', async () => {
  close((await api.quick('discounted_clv', { margin: 100, retention: 0.8, discount_rate: 0.1 })).clv, 800 / 3, 1e-9, 'end of period');
  close((await api.quick('discounted_clv', { margin: 100, retention: 0.8, discount_rate: 0.1, first_margin_now: true })).clv, 1100 / 3, 1e-9, 'first now');
  close((await api.quick('discounted_clv', { margin: 100, retention: 0.8, discount_rate: 0.1, horizon: 3 })).clv, 164.08715251690458, 1e-9, 'horizon 3');
  assert.equal((await api.quick('discounted_clv', { margin: 100, retention: 0, discount_rate: 0.1 })).clv, 0);
  const simple = await api.quick('simple_clv', { revenue: 100000, purchases: 2000, customers: 500, lifespan: 3, gross_margin: 0.4 });
  assert.equal(simple.clv, 600);
  close(simple.profit_clv, 240, 1e-12, 'profit CLV');
  close((await api.quick('saas_ltv', { arpa: 100, gross_margin: 0.8, churn_rate: 0.02 })).ltv, 4000, 1e-9, 'SaaS LTV');
  const unbounded = await api.quick('saas_ltv', { arpa: 100, gross_margin: 0.8, churn_rate: 0 });
  assert.equal(unbounded.ltv, null);
  assert.match(unbounded.reason, /^unbounded/);
  const churn = await api.quick('churn', { customers_at_start: 200, customers_lost: 10 });
  assert.equal(churn.churn.percent, 5);
  close(churn.churn.ci_low, 2.73826456, 1e-7, 'Wilson low');
  const mrr = await api.quick('mrr_movements', { customers: [
    { mrr_start: 100, mrr_end: 150 }, { mrr_start: 200, mrr_end: 0 }, { mrr_start: 300, mrr_end: 250 },
    { mrr_start: 0, mrr_end: 80 }, { mrr_start: 0, mrr_end: 60, active_before_start: true }, { mrr_start: 100, mrr_end: 100 }] });
  assert.equal(mrr.mrr_start + mrr.new + mrr.expansion + mrr.reactivation - mrr.contraction - mrr.churn, mrr.mrr_end);
  close(mrr.nrr.value, 500 / 700, 1e-15, 'NRR');
  close(mrr.grr.value, 450 / 700, 1e-15, 'GRR');
});

test('quick calculators: bad input names the field', async () => {
  await rejects(api.quick('discounted_clv', { margin: 100, retention: 1, discount_rate: 0 }), 'retention', /infinite/);
  await rejects(api.quick('discounted_clv', { margin: 100, retention: 0.8, discount_rate: -1 }), 'discount_rate', /above −100%/);
  await rejects(api.quick('discounted_clv', { margin: 100, retention: 0.8, discount_rate: 0.1, retention_period: 'month' }),
    'discount_rate', /units don't match/);
  await rejects(api.quick('saas_ltv', { arpa: 100, gross_margin: 1.5, churn_rate: 0.1 }), 'gross_margin', /0% and 100%/);
  await rejects(api.quick('churn', { customers_at_start: 10, customers_lost: 11 }), 'customers_lost', /churn above 100%/);
  await rejects(api.quick('simple_clv', { revenue: 'lots' }), 'revenue', /expected a number/);
  await rejects(api.quick('simple_clv', {}), 'revenue', /missing/);
  await rejects(api.quick('nonsense', {}), 'kind', /unknown calculator/);
});

test('customer table: import, contribution, health, the map and the eroding list', async () => {
  const calc = await api.create();
  calc.loadModel(sampleModel);
  const preview = calc.importCustomersCsv(csv('customers.csv'));
  assert.equal(preview.columns[2].proposed.field, 'revenue');
  assert.deepEqual([preview.columns[2].profile.min, preview.columns[2].profile.max], [500, 5000]);
  const report = calc.checkCustomerImport(preview.columns.map((c) => c.proposed));
  assert.equal(report.rows_valid, 4);
  assert.equal(calc.customerCount(), 0, 'nothing changes before commit');
  calc.commitCustomerImport();
  const b = calc.businessResults();
  assert.equal(b.customers, 4);
  close(b.overall.contribution_total, 2600, 1e-9, 'contribution');
  assert.equal(b.as_of, '2026-08-01');
  close(b.overall.monthly_churn.value, 30.436875 / 819, 1e-12, 'monthly churn');
  assert.deepEqual(b.overall.health, { red: 2, yellow: 1, green: 1 });
  assert.equal(b.quadrants.satisfied_eroding.customers, 1);
  assert.equal(b.quadrants.satisfied_eroding.revenue, 500);
  assert.equal(b.eroding_count, 1);
  assert.equal(b.eroding[0].id, 'c2');
  close(b.eroding[0].contribution, -250, 1e-9, 'c2 contribution');
  assert.equal(b.points.length, 4);
  assert.equal(b.mrr, null);
  const page = calc.customers(1, 2);
  assert.equal(page.customers, 4);
  assert.deepEqual(page.page.map((c) => c.id), ['c2', 'c3']);
  assert.equal(page.page[0].quadrant, 'satisfied_eroding');
  assert.equal(page.page[0].revenue, 500);
  assert.deepEqual(page.page[0].segments, ['SMB']);
  // The inputs come back as a record that replaceCustomer takes unchanged.
  const c3 = calc.customers(2, 1).page[0].input;
  assert.deepEqual(c3, { id: 'c3', segments: ['Enterprise'], revenue: 5000, mrr: [], purchases: null,
    gross_margin: 0.6, support_cost: null, support_hours: 20, onboarding_cost: 500, discounts: 0,
    other_cost: null, start_date: '2025-11-01', churn_date: null, nps: 6, csat: null, usage: 70,
    payment_status: 'current' });
  const before = JSON.stringify(calc.businessResults());
  calc.replaceCustomer(2, c3);
  assert.equal(JSON.stringify(calc.businessResults()), before);
  close(page.page[1].clv.value, 1500 * (273 + 819) / 30.436875, 1e-6, 'c3 CLV');
});

test('customer table: bad rows are listed; settings are validated and change the map', async () => {
  const calc = await api.create();
  calc.loadModel(sampleModel);
  const preview = calc.importCustomersCsv(csv('customers-bad.csv'));
  const report = calc.checkCustomerImport(preview.columns.map((c) => c.proposed));
  assert.equal(report.rows_valid, 1);
  assert.deepEqual(report.problems.map((p) => p.row), [2, 3, 4, 5, 6, 7]);
  calc.cancelCustomerImport();
  assert.throws(() => calc.commitCustomerImport(), CalculatorError);

  calc.importCustomersCsv(csv('customers.csv'));
  calc.checkCustomerImport(calc.importCustomersCsv(csv('customers.csv')).columns.map((c) => c.proposed));
  calc.commitCustomerImport();
  const settings = calc.model().business;
  assert.throws(() => calc.setBusinessSettings({ ...settings, default_gross_margin: 2 }),
    (e) => e.field === 'business.default_gross_margin');
  assert.throws(() => calc.setBusinessSettings({ ...settings, bands: { red_max: 80, yellow_max: 70 } }),
    (e) => e.field === 'business.bands');
  calc.setBusinessSettings({ ...settings, satisfied_from: 10 }); // only c1 (NPS 10) is satisfied now
  assert.equal(calc.businessResults().quadrants.satisfied_eroding.customers, 0);
  assert.equal(calc.model().business.satisfied_from, 10);
});

test('customer table with MRR columns gives MRR movements', async () => {
  const calc = await api.create();
  calc.loadModel(sampleModel);
  const preview = calc.importCustomersCsv(csv('customers-mrr.csv'));
  assert.deepEqual(preview.columns.slice(1).map((c) => c.proposed.field), ['mrr', 'mrr', 'mrr']);
  calc.checkCustomerImport(preview.columns.map((c) => c.proposed));
  calc.commitCustomerImport();
  const b = calc.businessResults();
  assert.deepEqual(b.mrr_columns, ['2026-09', '2026-10', '2026-11']);
  assert.equal(b.mrr.mrr_start, 700);
  close(b.mrr.nrr.value, 500 / 700, 1e-15, 'NRR');
  assert.equal(b.mrr.reactivation, 60);
  assert.equal(b.as_of, null); // no dates in this table
  assert.equal(b.overall.churned, 1); // B's MRR fell to 0
  close(calc.customers(0, 1).page[0].revenue, 350 / 3, 1e-12, 'A revenue from MRR');
});

test('customers are added, edited and deleted through the API', async () => {
  const calc = await api.create();
  calc.loadModel(sampleModel);
  const preview = calc.importCustomersCsv(csv('customers.csv'));
  calc.checkCustomerImport(preview.columns.map((c) => c.proposed));
  calc.commitCustomerImport();
  calc.addCustomer({ id: 'c5', segments: ['SMB'], revenue: 1000, support_hours: 4, nps: 9 });
  close(calc.businessResults().overall.contribution_total, 3100, 1e-9, 'after add'); // + 700 − 200
  calc.replaceCustomer(1, { id: 'c2', segments: ['SMB'], revenue: 500, gross_margin: '90%', nps: 9 });
  close(calc.businessResults().overall.contribution_total, 3800, 1e-9, 'after edit');
  assert.equal(calc.businessResults().quadrants.satisfied_eroding.customers, 0);
  calc.deleteCustomer(0);
  assert.equal(calc.customers().customers, 4);
  assert.throws(() => calc.replaceCustomer(0, { revenue: -1 }), (e) => e instanceof CalculatorError && e.field === 'row 1, revenue');
  assert.throws(() => calc.addCustomer({ id: 'c3', revenue: 1 }), /"c3" is already in row/);
  close(calc.businessResults().overall.contribution_total, 3250, 1e-9, 'unchanged');
});
