// Hostile input in the page (issue "Robustness"): a 1 MB cell, 10,000 columns, JSON nested
// 10,000 deep, NaN / Infinity / 1e308 in numeric fields, invalid UTF-8, markup meant to run
// script. Each gets a clear message, no script runs (no dialog, no global set by a payload),
// the page stays usable, and the work already loaded is intact.
'use strict';
const { it } = require('node:test');
const h = require('./harness.js');

const { assert } = h;
const ctx = {};
h.setUpSuite(ctx);

const PAYLOAD = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '"><script>window.__pwned=2</script>';

/** The numbers and sizes a refused input must leave exactly as they were. */
const snapshot = h.workSnapshot;

const file = (name, content, mimeType = 'text/csv') =>
  ({ name, mimeType, buffer: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8') });

async function expectText(page, testid, pattern) {
  await page.waitForFunction(([id, source]) => new RegExp(source).test(document.querySelector('[data-testid="' + id + '"]').textContent),
    [testid, pattern.source], { timeout: 15000 }).catch(async () => {
    assert.match(await page.textContent('[data-testid="' + testid + '"]'), pattern);
  });
}

h.describeOnTargets('hostile input', ctx, ({ open }) => {
  it('refuses oversized, malformed and non-UTF-8 survey files and keeps the survey', async () => {
    const page = await open();
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss();
    });
    const before = await snapshot(page);
    const cases = [
      // 10,000 columns: more than a survey can have.
      [file('wide.csv', Array.from({ length: 10000 }, (_, i) => 'c' + i).join(',') + '\n' + '1,'.repeat(9999) + '1\n'),
        /^Could not import "wide\.csv": .*(10,000|10000) columns.*at most/],
      // A header that is not UTF-8 (a Latin-1 "é").
      [file('latin1-header.csv', Buffer.concat([Buffer.from('respondent_id,caf'), Buffer.from([0xe9]), Buffer.from('\nA,9\n')])),
        /^Could not import "latin1-header\.csv": .*not UTF-8 text/],
    ];
    for (const [csv, message] of cases) {
      await page.setInputFiles('[data-testid="csv-input"]', csv);
      await expectText(page, 'import-status', message);
      assert.equal(await page.getAttribute('[data-testid="import-status"]', 'role'), 'alert');
      assert.deepEqual(await snapshot(page), before);
    }

    // Invalid UTF-8 in a cell (a Latin-1 "é" and a lone continuation byte): that row is
    // refused with the reason; the valid row could be imported; cancelling changes nothing.
    await page.setInputFiles('[data-testid="csv-input"]', file('latin1.csv',
      Buffer.concat([Buffer.from('respondent_id,nps\nA'), Buffer.from([0xe9, 0x80]), Buffer.from(',9\nB,7\n')])));
    await page.locator('[data-testid="import-step"]').waitFor();
    await page.click('[data-testid="import-check"]');
    await page.locator('[data-testid="import-report"]').waitFor();
    assert.match(await page.textContent('[data-testid="import-report"]'), /1 valid, 1 rejected[\s\S]*not UTF-8 text/);
    await page.click('[data-testid="import-cancel"]');
    assert.deepEqual(await snapshot(page), before);

    // A 1 MB cell (an id) with markup in it: the mapping step shows it as (clipped) text; the
    // import is refused for that row with a reason, and cancelling changes nothing.
    const huge = PAYLOAD + 'x'.repeat(1024 * 1024);
    await page.setInputFiles('[data-testid="csv-input"]', file('huge-cell.csv', 'respondent_id,nps\n"' + huge + '",9\nB,"' + SCRIPT.replace(/"/g, '""') + '"\n'));
    await page.locator('[data-testid="import-step"]').waitFor();
    await page.click('[data-testid="import-check"]');
    await page.locator('[data-testid="import-report"]').waitFor();
    const problems = await page.$$eval('[data-testid="import-report"] tbody tr',
      (rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent)));
    assert.deepEqual(problems.map((p) => [p[0], p[2]]), [['2', 'respondent_id'], ['3', 'nps']]);
    assert.match(problems[0][4], /longer than 200 bytes/);
    assert.ok(problems[0][3].length < 1000, 'a 1 MB cell is not echoed whole: ' + problems[0][3].length + ' characters');
    assert.equal(problems[1][3], SCRIPT, 'the cell is shown as text');
    await page.click('[data-testid="import-cancel"]');
    assert.deepEqual(await snapshot(page), before);

    assert.deepEqual(await page.evaluate(() => [window.__pwned, document.querySelectorAll('main img').length]), [undefined, 0]);
    assert.deepEqual(dialogs, []);
  });

  it('refuses hostile model and project files: deep nesting, NaN, Infinity, 1e308', async () => {
    const page = await open();
    const before = await snapshot(page);
    const choose = (name, text) => page.setInputFiles('[data-testid="model-input"]', file(name, text, 'application/json'));
    const model = JSON.parse(JSON.stringify(h.sampleModel));
    const cases = [
      ['deep.json', '['.repeat(10000) + ']'.repeat(10000), /^Could not load "deep\.json": .*nest/i],
      ['nan.json', JSON.stringify(model).replace('"weight":9', '"weight":NaN'), /^Could not load "nan\.json": .*line 1/],
      ['infinity.json', JSON.stringify(model).replace('"weight":9', '"weight":Infinity'), /^Could not load "infinity\.json": .*line 1/],
      ['huge.json', JSON.stringify(model).replace('"weight":9', '"weight":1e308'), /weight .*must be a number from 0 to 10/i],
      ['overflow.json', JSON.stringify(model).replace('"weight":9', '"weight":1e999'), /^Could not load "overflow\.json": /],
      ['deep.project.json', '{"schema":"customer-value-project","version":1,"model":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5001),
        /^Could not open "deep\.project\.json": .*nest/i],
    ];
    for (const [name, text, message] of cases) {
      await choose(name, text);
      await expectText(page, 'model-status', message);
      assert.deepEqual(await snapshot(page), before, name);
    }
    // Markup in the model's labels is text.
    model.name = SCRIPT;
    model.items[0].label = PAYLOAD;
    model.segments[0].label = PAYLOAD;
    await choose('markup.json', JSON.stringify(model));
    await expectText(page, 'model-info', /^Loaded "markup\.json"/);
    assert.equal(await page.textContent('h1'), SCRIPT);
    assert.deepEqual(await page.evaluate(() => [window.__pwned, document.querySelectorAll('main img').length]), [undefined, 0]);
    await h.assertNoBrokenNumbers(page);
  });

  it('refuses NaN, Infinity and 1e308 in the customer table and the grid, and keeps the data', async () => {
    const page = await open();
    const before = await snapshot(page);
    const csv = 'customer_id,revenue\nA,NaN\nB,Infinity\nC,1e308\nD,-1e308\n';
    await page.setInputFiles('[data-testid="customer-csv-input"]', file('numbers.csv', csv));
    await page.locator('[data-testid="customer-import-check"]').click();
    await expectText(page, 'customer-import-status', /./);
    await page.locator('[data-testid="customer-import-report"]').waitFor();
    const problems = await page.$$eval('[data-testid="customer-import-report"] tbody tr',
      (rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent.trim())));
    assert.deepEqual(problems.map((p) => [p[0], p[3]]), [['2', 'NaN'], ['3', 'Infinity'], ['4', '1e308'], ['5', '-1e308']]);
    for (const p of problems) assert.match(p[4], /not a number|too large|not allowed/i);
    await page.click('[data-testid="customer-import-cancel"]');
    assert.deepEqual(await snapshot(page), before);

    // The grid: an answer typed as 1e308 or NaN is refused in place.
    for (const typed of ['1e308', 'NaN', 'Infinity']) {
      await page.fill('[data-testid="cell-0-nps"]', typed);
      await page.press('[data-testid="cell-0-nps"]', 'Enter');
      await page.waitForFunction(() => document.querySelector('[data-testid="cell-0-nps"]').getAttribute('aria-invalid') === 'true');
      assert.deepEqual(await snapshot(page), before, typed);
    }
    await page.press('[data-testid="cell-0-nps"]', 'Escape'); // the message quoted what was typed
    await h.assertNoBrokenNumbers(page);
  });
});
