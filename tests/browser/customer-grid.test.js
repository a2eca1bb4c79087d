// Editing the customer table in the page, end to end in headless Chromium, served over http and
// opened from file://: add a customer, edit one, delete one through the Edit customer form and the
// row buttons; refused values are named next to their field and change nothing. Expected totals
// are hand-computed from tests/fixtures/csv/customers.csv (contribution 2,600) and checked against
// the JS API under node doing the same edits.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const h = require('./harness.js');
const { assert } = h;

const ctx = {};
const customersCsv = h.csvFixture('customers.csv');
// c5: 1,000 × 70% (the default margin) − 4 h × 50 an hour = 500.
const C5 = { id: 'c5', segments: ['SMB'], revenue: '1000', support_hours: '4', nps: '9' };
// c2 was 500 × 70% − 10 h × 50 − 100 discounts = −250; edited (a whole record: fields left out
// are not given) it is 500 × 90% = 450.
const C2 = { id: 'c2', segments: ['SMB'], revenue: '500', gross_margin: '90%', nps: '9', payment_status: 'late' };

h.setUpSuite(ctx, async () => {
  const api = require(h.apiFile);
  const calc = await api.create();
  try {
    calc.loadModel(h.sampleModel);
    const preview = calc.importCustomersCsv(fs.readFileSync(customersCsv));
    calc.checkCustomerImport(preview.columns.map((c) => c.proposed), preview);
    calc.commitCustomerImport();
    const total = () => calc.businessResults().overall.contribution_total;
    ctx.imported = total();
    calc.addCustomer(C5);
    ctx.added = total();
    calc.replaceCustomer(1, C2);
    ctx.edited = total();
    ctx.erodingAfterEdit = calc.businessResults().quadrants.satisfied_eroding.customers;
    calc.deleteCustomer(4);
    ctx.deleted = total();
  } finally {
    calc.dispose();
  }
});

h.describeOnTargets('customer table editing', ctx, ({ open, session }) => {
  it('adds, edits and deletes customers; refused values are named by field and change nothing', async () => {
    assert.deepEqual([ctx.imported, ctx.added, ctx.edited, ctx.deleted, ctx.erodingAfterEdit], [2600, 3100, 3800, 3300, 0]);
    await open();
    const { page } = session();
    await page.setInputFiles('[data-testid="customer-csv-input"]', customersCsv);
    await page.locator('[data-testid="customer-import-step"]').waitFor();
    await page.click('[data-testid="customer-import-confirm"]');
    await h.waitForValue(page, 'contribution-total', '2600');
    assert.equal(await h.dataValue(page, 'quadrant-satisfied-eroding'), '1');
    const dialog = page.locator('[data-testid="customer-editor"]');
    const field = (key) => page.locator('[data-testid="customer-field-' + key + '"]');

    // Add c5 with the form: focus moves into it, Enter saves, every result updates.
    await page.click('[data-testid="customer-add"]');
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'customer-field-id');
    assert.equal(await page.textContent('[data-testid="customer-editor-title"]'), 'Add a customer');
    await field('id').fill('c5');
    await field('segment-0').selectOption('SMB');
    await field('revenue').fill('1000');
    await field('support_hours').fill('4');
    await field('nps').fill('9');
    await field('nps').press('Enter');
    await h.waitForValue(page, 'contribution-total', '3100');
    assert.equal(await dialog.isVisible(), false);
    const c5 = page.locator('[data-testid="customer-view"] tr[data-id="c5"]');
    assert.equal(await c5.locator('td[data-key="contribution"]').getAttribute('data-value'), '500');
    assert.equal(await c5.locator('.cust-segments').textContent(), 'SMB');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'customer-edit-4');

    // Edit c2, imported: the form opens with every input the calculator holds for it.
    await page.click('[data-testid="customer-edit-1"]');
    await dialog.waitFor();
    assert.equal(await page.getAttribute('[data-testid="customer-editor-note"]', 'data-partial'), 'false');
    assert.equal(await field('id').inputValue(), 'c2');
    assert.equal(await field('segment-0').inputValue(), 'SMB');
    assert.equal(await field('revenue').inputValue(), '500');
    assert.equal(await field('nps').inputValue(), '9');
    assert.equal(await field('payment_status').inputValue(), 'late');
    assert.equal(await field('gross_margin').inputValue(), ''); // c2 has none: the default applies
    assert.equal(await field('support_hours').inputValue(), '10');
    assert.equal(await field('discounts').inputValue(), '100');
    assert.equal(await field('start_date').inputValue(), '2026-03-01');
    assert.equal(await field('usage').inputValue(), '40');
    // 500 × 90% with no support hours and no discount = 450 (the API case C2 above).
    await field('gross_margin').fill('90');
    await field('support_hours').fill('0');
    await field('discounts').fill('0');
    await field('gross_margin').press('Enter');
    await h.waitForValue(page, 'contribution-total', '3800');
    assert.equal(await h.dataValue(page, 'quadrant-satisfied-eroding'), '0');
    assert.equal(await page.locator('[data-testid="eroding-table"] tbody tr').count(), 0);
    // Edited here, the form now shows everything the page sent.
    await page.click('[data-testid="customer-edit-1"]');
    assert.equal(await field('gross_margin').inputValue(), '90');
    assert.equal(await page.getAttribute('[data-testid="customer-editor-note"]', 'data-partial'), 'false');
    await page.keyboard.press('Escape');
    assert.equal(await dialog.isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'customer-edit-1');

    // A negative revenue: the message is next to the revenue field; nothing changes.
    await page.click('[data-testid="customer-edit-0"]');
    await field('revenue').fill('-5');
    await page.click('[data-testid="customer-save"]');
    const revenueError = page.locator('[data-testid="customer-error-revenue"]');
    await revenueError.waitFor();
    assert.equal(await revenueError.textContent(), 'row 1, revenue: negative revenue is not allowed.');
    assert.equal(await field('revenue').getAttribute('aria-invalid'), 'true');
    assert.equal(await field('revenue').getAttribute('aria-describedby'), await revenueError.getAttribute('id'));
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'customer-field-revenue');
    assert.equal(await h.dataValue(page, 'contribution-total'), '3800');
    await page.keyboard.press('Escape');
    assert.equal(await h.dataValue(page, 'contribution-total'), '3800');
    assert.equal(await page.getAttribute('[data-testid="customer-view"] tr[data-id="c1"] td[data-key="revenue"]', 'data-value'), '1000');

    // A duplicate id is refused next to the id field.
    await page.click('[data-testid="customer-add"]');
    await field('id').fill('c1');
    await field('revenue').fill('10');
    await field('revenue').press('Enter');
    const idError = page.locator('[data-testid="customer-error-id"]');
    await idError.waitFor();
    assert.equal(await idError.textContent(), 'new customer, id: customer "c1" is already in row 1.');
    assert.equal(await field('id').getAttribute('aria-invalid'), 'true');
    await page.click('[data-testid="customer-cancel"]');
    assert.equal(await page.locator('[data-testid="customer-view"] tbody tr').count(), 5);

    // Delete c5 (row 5): its 500 leaves the total.
    const del = page.locator('[data-testid="customer-delete-4"]');
    assert.equal(await del.getAttribute('aria-label'), 'Delete customer c5 in row 5');
    await del.click();
    await h.waitForValue(page, 'contribution-total', '3300');
    assert.equal(await page.locator('[data-testid="customer-view"] tbody tr').count(), 4);
    assert.equal(await page.locator('[data-testid="customer-view"] tr[data-id="c5"]').count(), 0);
    assert.match(await page.textContent('[data-testid="customer-source"]'), /^Customer table: 4 customers/);
    await h.assertNoBrokenNumbers(page);
  });
});
