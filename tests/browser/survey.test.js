// Survey data in the page, end to end in headless Chromium, served over http and opened from
// file://: CSV import with the mapping step and the problem report, refused files, the
// respondent grid (edit, add, delete), pasted and dropped rows, the template CSV, and the
// satisfaction metrics and charts. Expected numbers come from the JS API under node, and for
// tests/fixtures/small-survey.json from the hand computation (tests/native/test_survey_import.cpp).
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness.js');
const { assert } = h;

const ctx = {};
const small = JSON.parse(fs.readFileSync(path.join(h.root, 'tests', 'fixtures', 'small-survey.json'), 'utf8'));
const smallCsv = h.csvFixture('small-survey.csv');
// CSAT asked on 1–10: the preview proposes that scale and its top-two-box cut (9).
const CSAT_1_10 = 'id,csat\na,9\nb,10\nc,3\n';
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);

h.setUpSuite(ctx, async () => {
  ctx.sample = await h.expectedResults(h.sampleModel, { survey: true });
  ctx.smallImported = await h.expectedResults(small.model, { calls: [['importCsv', fs.readFileSync(smallCsv)]] });
  ctx.csat10 = await h.expectedResults(small.model, { calls: [['importCsv', CSAT_1_10]] });
  ctx.csat10Cut10 = await h.expectedResults(small.model, { calls: [['importCsv', CSAT_1_10],
    ['setSatisfactionSettings', { csat_scale: '1-10', csat_satisfied_from: 10, ces_agree_from: 5 }]] });
  ctx.appended = await h.expectedResults(h.sampleModel, { survey: true,
    calls: [['addResponse', { id: 'N1', nps: 9 }], ['addResponse', { id: 'N2', nps: 0 }]] });
  const api = require(h.apiFile);
  const calc = await api.create();
  calc.loadModel(small.model);
  ctx.smallTemplate = calc.templateCsv();
  calc.dispose();
});

/** Loads a model through the page's "Paste model JSON" box. */
async function pasteModel(page, model) {
  await page.fill('[data-testid="model-text"]', JSON.stringify(model));
  await page.click('[data-testid="load-pasted"]');
  await page.waitForFunction((name) => document.querySelector('h1').textContent === name, model.name);
}

function csvFile(name, content) {
  return { name, mimeType: 'text/csv', buffer: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8') };
}

async function near(page, testid, expected) {
  const value = await h.dataValue(page, testid);
  assert.ok(value !== '' && Math.abs(Number(value) - expected) < 1e-9, testid + ' = ' + value + ', expected ' + expected);
}

/** The numbers a refused or cancelled import must leave exactly as they were. */
const snapshot = h.workSnapshot;

h.describeOnTargets('survey data', ctx, ({ open }) => {
  it('imports small-survey.csv through the file input: 5 rows, NPS 0, CSAT 60%, CES 4.6, net value 4.75', async () => {
    const page = await open();
    await pasteModel(page, small.model);
    assert.equal(await h.dataValue(page, 'respondents'), '0');
    assert.equal(await h.dataValue(page, 'nps'), '');
    assert.equal(await page.textContent('[data-testid="nps"]'), 'No data');

    // The template lists this model's columns.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="template-download"]'),
    ]);
    assert.equal(download.suggestedFilename(), 'customer-value-survey-template.csv');
    const template = fs.readFileSync(await download.path(), 'utf8');
    assert.equal(template, ctx.smallTemplate);
    assert.match(template, /^respondent_id,segment:size,segment:other,nps,csat,ces,benefit:Quality,benefit:Ease of use,cost:Effort\r?\n/);

    await page.setInputFiles('[data-testid="csv-input"]', smallCsv);
    await page.locator('[data-testid="import-step"]').waitFor();
    assert.match(await page.textContent('[data-testid="import-summary"]'), /5 data rows, 8 columns\. Detected: comma-separated, decimal point/);
    assert.equal(await page.locator('[data-testid="mapping-table"] tbody tr').count(), 8);
    assert.equal(await page.inputValue('[data-testid="map-role-0"]'), 'respondent_id');
    assert.equal(await page.inputValue('[data-testid="map-role-2"]'), 'nps');
    assert.equal(await page.inputValue('[data-testid="map-role-6"]'), 'item:ease');
    assert.equal(await h.dataValue(page, 'respondents'), '0', 'nothing changes before the import is confirmed');

    // Every row is valid, so "Import" checks and imports in one go.
    await page.click('[data-testid="import-confirm"]');
    await h.waitForValue(page, 'respondents', '5');
    await h.partsDrawn(page); // the grid and charts come after the headline results
    assert.equal(await page.isVisible('[data-testid="import-step"]'), false);
    assert.match(await page.textContent('[data-testid="import-status"]'), /^Imported 5 rows from "small-survey\.csv"\./);
    const o = ctx.smallImported.overall;
    assert.equal(await h.dataValue(page, 'nps'), '0');
    await near(page, 'csat', 60);
    await near(page, 'ces', 4.6);
    await near(page, 'net-value', 4.75);
    assert.equal(await h.dataValue(page, 'nps'), String(o.satisfaction.nps.nps));
    assert.equal(await h.dataValue(page, 'csat'), String(o.satisfaction.csat.percent));
    assert.equal(await h.dataValue(page, 'ces'), String(o.satisfaction.ces.mean));
    assert.equal(await h.dataValue(page, 'nps-ci-low'), String(o.satisfaction.nps.ci_low));
    assert.equal(await h.dataValue(page, 'nps-ci-high'), String(o.satisfaction.nps.ci_high));
    assert.equal(await h.dataValue(page, 'net-value'), String(o.net_value.mean));
    assert.equal(await page.textContent('[data-testid="csat"]'), '60%');
    assert.match(await page.textContent('#csat-def'), /answer 4–5 on 1–5/);
    assert.match(await page.textContent('#ces-def'), /Mean shown.*Agreeing \(5–7\): 60%/);

    // Segments: few respondents are flagged in words; the empty one has no data.
    assert.match(await page.textContent('[data-testid="segment-row-smb"]'), /low confidence: n < 30/);
    assert.match(await page.textContent('[data-testid="overall-row"]'), /low confidence: n < 30/);
    const empty = page.locator('[data-testid="segment-row-empty"]');
    assert.equal(await empty.locator('td.sat.no-data').count(), 3);
    assert.doesNotMatch(await empty.textContent(), /low confidence/);
    const smb = ctx.smallImported.segments[0].satisfaction;
    assert.equal(await page.getAttribute('[data-testid="segment-row-smb"] td.sat-nps', 'data-value'), String(smb.nps.nps));

    // The grid holds the imported rows.
    assert.equal(await page.textContent('[data-testid="grid-range"]'), 'Respondents 1–5 of 5');
    assert.equal(await page.inputValue('[data-testid="cell-2-id"]'), 'r3');
    assert.equal(await page.inputValue('[data-testid="cell-4-item-ease"]'), '');

    // Charts with their data tables.
    assert.equal(await page.locator('[data-testid="nps-chart"] svg[role="img"]').count(), 1);
    assert.equal(await page.locator('[data-testid="nps-chart"] svg rect.bar-promoter').count(), 2); // all, SMB
    assert.equal(await page.locator('[data-testid="nps-chart"] svg rect.bar-empty').count(), 1); // Nobody
    assert.equal(await page.locator('#nps-table tbody tr').count(), 1 + small.model.segments.length);
    assert.match(await page.textContent('#nps-table tbody tr:first-child'), /All customers5/);
    const histogram = ctx.smallImported.net_value_histogram;
    assert.equal(await page.locator('[data-testid="histogram-chart"] svg[role="img"]').count(), 1);
    const counts = await page.$$eval('#histogram-table tbody tr td:last-child', (tds) => tds.map((td) => Number(td.textContent)));
    assert.deepEqual(counts, histogram.counts);
    assert.equal(counts.reduce((a, b) => a + b, 0), 4); // r5 skipped an item
    await h.assertNoBrokenNumbers(page);
  });

  it('lists the 4 problems of bad-rows.csv by row, then imports the valid row on confirmation', async () => {
    const page = await open();
    await pasteModel(page, small.model);
    await page.setInputFiles('[data-testid="csv-input"]', h.csvFixture('bad-rows.csv'));
    await page.locator('[data-testid="import-step"]').waitFor();
    const confirm = page.locator('[data-testid="import-confirm"]');
    assert.equal(await confirm.textContent(), 'Import');
    await confirm.click();
    await page.locator('[data-testid="import-report"]').waitFor();
    assert.match(await page.textContent('[data-testid="report-summary"]'), /^5 rows checked: 1 valid, 4 rejected \(4 problems\)/);
    const rows = await page.$$eval('[data-testid="problems-table"] tbody tr',
      (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[3]]),
      [['3', '2', '11'], ['4', '3', 'four'], ['5', 'whole row', ''], ['6', '3', '4.5']]);
    assert.match(rows[0][4], /0–10 scale of NPS/);
    assert.equal(rows[0][2], 'nps');
    // Nothing is imported yet: the button now asks for the second confirmation.
    assert.equal(await confirm.textContent(), 'Import 1 valid row');
    assert.match(await page.textContent('[data-testid="import-status"]'), /4 of 5 rows have problems/);
    assert.equal(await h.dataValue(page, 'respondents'), '0');
    await confirm.click();
    await h.waitForValue(page, 'respondents', '1');
    await h.partsDrawn(page); // the grid and charts come after the headline results
    assert.match(await page.textContent('[data-testid="import-status"]'), /Imported 1 row .*4 rows were left out/);
    assert.equal(await page.inputValue('[data-testid="cell-0-id"]'), 'r1');
    assert.equal(await h.dataValue(page, 'nps'), '100');
    await h.assertNoBrokenNumbers(page);
  });

  it('refuses empty, header-only, binary and broken files, and a cancelled import changes nothing', async () => {
    const page = await open();
    const before = await snapshot(page);
    assert.equal(before.values.respondents, String(h.sampleSurvey.rows.length));
    const status = page.locator('[data-testid="import-status"]');
    const refused = [
      [csvFile('empty.csv', Buffer.alloc(0)), /^Could not import "empty\.csv": The file is empty/],
      [csvFile('header-only.csv', 'respondent_id,nps,csat\r\n'), /^Could not import "header-only\.csv": .*header row but no data rows/],
      [csvFile('picture.csv', PNG_BYTES), /^Could not import "picture\.csv": .*binary data/],
      [csvFile('twice.csv', 'nps,NPS\n1,2\n'), /both named/],
      [h.csvFixture('unterminated-quote.csv'), /never closed/],
    ];
    for (const [file, message] of refused) {
      await page.setInputFiles('[data-testid="csv-input"]', file);
      await page.waitForFunction((source) => new RegExp(source).test(
        document.querySelector('[data-testid="import-status"]').textContent), message.source);
      assert.equal(await status.getAttribute('role'), 'alert');
      assert.equal(await page.isVisible('[data-testid="import-step"]'), false);
      assert.deepEqual(await snapshot(page), before);
    }

    // A valid file (for another model: it would add items and segments), then Cancel.
    await page.setInputFiles('[data-testid="csv-input"]', smallCsv);
    await page.locator('[data-testid="import-step"]').waitFor();
    assert.equal(await status.getAttribute('role'), 'status');
    await page.click('[data-testid="import-check"]');
    await page.locator('[data-testid="import-report"]').waitFor();
    assert.match(await page.textContent('#report-created'), /New items: Quality/);
    await page.click('[data-testid="import-cancel"]');
    assert.match(await status.textContent(), /^Import of "small-survey\.csv" cancelled; nothing changed\.$/);
    assert.equal(await page.isVisible('[data-testid="import-step"]'), false);
    assert.deepEqual(await snapshot(page), before);

    // Markup in a file's headers and cells is shown as text.
    const markup = '<img src=x onerror=window.__xss=1>';
    await page.setInputFiles('[data-testid="csv-input"]',
      csvFile('markup.csv', 'respondent_id,benefit:' + markup + '\n"' + markup + '",3\n'));
    await page.locator('[data-testid="import-step"]').waitFor();
    assert.equal(await page.textContent('[data-testid="map-row-1"] .map-header'), 'benefit:' + markup);
    assert.equal(await page.inputValue('[data-testid="map-label-1"]'), markup);
    assert.equal(await page.textContent('[data-testid="map-row-0"] .example'), markup);
    assert.deepEqual(await page.evaluate(() => [window.__xss, document.querySelectorAll('main img').length]), [undefined, 0]);
    await page.click('[data-testid="import-cancel"]');
    assert.deepEqual(await snapshot(page), before);
    // Still usable: a weight moves the result.
    await page.locator('[data-testid="weight-price"]').focus();
    await page.keyboard.press('ArrowRight');
    const moved = await h.expectedResults(h.sampleModel, { survey: true, calls: [['setWeight', 'price', 9]] });
    await h.waitForValue(page, 'net-value', String(moved.overall.net_value.mean));
    await h.assertNoBrokenNumbers(page);
  });

  it('edits, rejects, deletes and adds respondents in the grid; every result follows', async () => {
    const page = await open();
    // The sample survey's satisfaction shows at once.
    const o = ctx.sample.overall;
    assert.equal(await h.dataValue(page, 'respondents'), String(ctx.sample.survey_rows));
    assert.equal(await h.dataValue(page, 'nps'), String(o.satisfaction.nps.nps));
    assert.equal(await h.dataValue(page, 'csat'), String(o.satisfaction.csat.percent));
    assert.equal(await h.dataValue(page, 'ces'), String(o.satisfaction.ces.mean));
    assert.equal(await page.textContent('[data-testid="grid-range"]'), 'Respondents 1–25 of 160');
    assert.equal(await page.locator('[data-testid="survey-grid"] tbody tr').count(), 25);

    // Edit a cell: Enter saves it and moves down; Tab moves to the next cell.
    const records = h.surveyRecords();
    const edited = JSON.parse(JSON.stringify(records[0]));
    edited.answers.price = 1;
    const editCalls = [['replaceResponse', 0, edited]];
    const price = page.locator('[data-testid="cell-0-item-price"]');
    assert.equal(await price.getAttribute('aria-label'), 'Row 1 (R0001), Price and subscription fees');
    await price.fill('1');
    await price.press('Enter');
    const afterEdit = await h.expectedResults(h.sampleModel, { survey: true, calls: editCalls });
    await h.waitForValue(page, 'net-value', String(afterEdit.overall.net_value.mean));
    assert.equal(await h.dataValue(page, 'value-index'), String(afterEdit.overall.value_index.mean));
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'cell-1-item-price');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'cell-1-item-onboarding');

    // Not a number: a message naming row and column, aria-invalid, nothing changes.
    const nps = page.locator('[data-testid="cell-2-nps"]');
    const oldNps = await nps.inputValue();
    await nps.fill('abc');
    await nps.press('Enter');
    const error = page.locator('[data-testid="grid-error"]');
    assert.match(await error.textContent(), /^Row 3, NPS: "abc" is not a number\. The previous value \(7\) is kept/);
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await nps.getAttribute('aria-invalid'), 'true');
    assert.equal(await h.dataValue(page, 'net-value'), String(afterEdit.overall.net_value.mean));
    assert.equal(await h.dataValue(page, 'nps'), String(afterEdit.overall.satisfaction.nps.nps));
    // Outside the scale: the calculator's message, also naming row and column.
    await nps.fill('11');
    await nps.press('Tab');
    assert.match(await error.textContent(), /\(row 3, nps\) is outside its 0–10 scale: got 11/);
    assert.equal(await h.dataValue(page, 'nps'), String(afterEdit.overall.satisfaction.nps.nps));
    // Escape restores the stored value.
    await nps.focus();
    await nps.press('Escape');
    assert.equal(await nps.inputValue(), oldNps);
    assert.equal(await nps.getAttribute('aria-invalid'), null);
    assert.equal(await error.textContent(), '');

    // A segment is chosen from a list per group.
    const group = page.locator('[data-testid="cell-1-group-0"]');
    assert.equal(await group.inputValue(), 'smb');
    await group.selectOption('enterprise');
    const moved = JSON.parse(JSON.stringify(records[1]));
    moved.segments = moved.segments.filter((s) => s !== 'smb').concat('enterprise');
    editCalls.push(['replaceResponse', 1, moved]);
    const afterMove = await h.expectedResults(h.sampleModel, { survey: true, calls: editCalls });
    await page.waitForFunction((want) => document.querySelector('[data-testid="segment-row-smb"] td[data-value]')
      .dataset.value === want, String(afterMove.segments[0].net_value.mean));

    // Delete the first respondent: the button is labelled; respondents and results follow.
    const del = page.locator('[data-testid="delete-0"]');
    assert.equal(await del.getAttribute('aria-label'), 'Delete respondent in row 1 (R0001)');
    await del.click();
    editCalls.push(['deleteResponse', 0]);
    const afterDelete = await h.expectedResults(h.sampleModel, { survey: true, calls: editCalls });
    await h.waitForValue(page, 'respondents', '159');
    assert.equal(await h.dataValue(page, 'net-value'), String(afterDelete.overall.net_value.mean));
    assert.equal(await page.inputValue('[data-testid="cell-0-id"]'), 'R0002');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'delete-0');

    // Add one: it goes to the end, blank (not answered), and takes the focus.
    await page.click('[data-testid="add-respondent"]');
    await h.waitForValue(page, 'respondents', '160');
    assert.equal(await page.textContent('[data-testid="grid-range"]'), 'Respondents 151–160 of 160');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'cell-159-id');
    assert.equal(await page.inputValue('[data-testid="cell-159-id"]'), 'R0161');
    assert.equal(await h.dataValue(page, 'net-value'), String(afterDelete.overall.net_value.mean));
    await page.click('[data-testid="grid-prev"]');
    assert.equal(await page.textContent('[data-testid="grid-range"]'), 'Respondents 126–150 of 160');
    await h.assertNoBrokenNumbers(page);
  });

  it('imports CSAT answered on 1–10 with the proposed scale and cut; the cut and scale are settings; a refused scale changes nothing', async () => {
    const page = await open();
    await pasteModel(page, small.model);
    await page.setInputFiles('[data-testid="csv-input"]', csvFile('csat-1-10.csv', CSAT_1_10));
    await page.locator('[data-testid="import-step"]').waitFor();
    // The mapping step: CSAT on 1–10, satisfied from 9 (top-two-box), both editable.
    assert.equal(await page.inputValue('[data-testid="map-role-1"]'), 'csat');
    assert.equal(await page.textContent('[data-testid="map-row-1"] .map-profile'), 'whole numbers 3 to 10');
    assert.equal(await page.inputValue('[data-testid="map-csat-scale-1"]'), '1-10');
    assert.equal(await page.inputValue('[data-testid="map-csat-from-1"]'), '9');
    assert.equal(await page.textContent('[data-testid="map-role-1"] option[value="csat"]'), 'CSAT (1–10)');
    assert.match(await page.textContent('[data-testid="map-row-1"] .map-details'),
      /Answers 9–10 on 1–10 count as satisfied\. The model’s CSAT is on 1–5; importing sets it to 1–10\./);
    await page.click('[data-testid="import-confirm"]');
    await h.waitForValue(page, 'respondents', '3');
    const csat = ctx.csat10.overall.satisfaction.csat;
    assert.match(String(csat.percent), /^66\.666/);
    assert.equal(await h.dataValue(page, 'csat'), String(csat.percent));
    assert.match(await page.textContent('#csat-def'), /^% who answer 9–10 on 1–10 \(top-two-box\)/);
    assert.equal(await page.textContent('#csat-method'), '9–10 on 1–10');
    assert.equal(await page.$$eval('#survey-grid thead th', (ths) => ths.find((th) =>
      th.querySelector('.grid-head-name') && th.querySelector('.grid-head-name').textContent === 'CSAT')
      .querySelector('.grid-head-sub').textContent), '1–10');

    // The settings follow the import; a cut of 10 counts only b.
    await page.click('[data-testid="sat-settings"] summary');
    assert.equal(await page.inputValue('[data-testid="csat-scale"]'), '1-10');
    const from = page.locator('[data-testid="csat-from"]');
    assert.equal(await from.inputValue(), '9');
    await from.fill('10');
    await from.press('Enter');
    const cut10 = ctx.csat10Cut10.overall.satisfaction.csat.percent;
    assert.match(String(cut10), /^33\.333/);
    await h.waitForValue(page, 'csat', String(cut10));
    assert.match(await page.textContent('#csat-def'), /^% who answer 10 on 1–10 \(top box\)/);
    assert.match(await page.textContent('#sat-settings-summary'), /CSAT 1–10, satisfied from 10/);

    // Back to 1–5: the answers 9 and 10 do not fit, so it is refused and nothing changes.
    await page.selectOption('[data-testid="csat-scale"]', '1-5');
    const error = page.locator('[data-testid="sat-settings-error"]');
    await error.waitFor();
    assert.match(await error.textContent(), /^CSAT scale: The survey's CSAT answers do not fit that scale: .*outside its 1–5 scale: got (9|10)/);
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await page.getAttribute('[data-testid="csat-scale"]', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('[data-testid="csat-scale"]'), '1-10');
    assert.equal(await h.dataValue(page, 'csat'), String(cut10));
    assert.match(await page.textContent('#csat-def'), /answer 10 on 1–10/);
    // A cut outside the scale, and text that is not a number: the message names it; the value stays.
    await from.fill('11');
    await from.press('Enter');
    assert.match(await error.textContent(), /^CSAT satisfied from: .*at most 10 on the 1–10 scale; got 11\. The previous value \(10\) is kept\.$/);
    assert.equal(await from.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getAttribute('[data-testid="csat-scale"]', 'aria-invalid'), null);
    await from.fill('ten');
    await from.press('Enter');
    assert.equal(await error.textContent(), 'CSAT satisfied from: "ten" is not a number. The previous value (10) is kept.');
    assert.equal(await h.dataValue(page, 'csat'), String(cut10));
    const ces = page.locator('[data-testid="ces-from"]');
    await ces.fill('6');
    await ces.press('Enter');
    await page.waitForFunction(() => /CES agreeing from 6/.test(document.querySelector('#sat-settings-summary').textContent));
    assert.equal(await error.isVisible(), false);
    assert.equal(await from.inputValue(), '10');
    assert.equal(await page.textContent('#ces-method'), '6–7');
    await h.assertNoBrokenNumbers(page);
  });

  it('adds a file after the survey; a respondent id already there is refused and nothing changes', async () => {
    const page = await open();
    const before = await snapshot(page);
    const status = page.locator('[data-testid="import-status"]');
    await page.setInputFiles('[data-testid="csv-input"]', csvFile('again.csv', 'respondent_id,nps\nN1,9\nR0002,0\n'));
    await page.locator('[data-testid="import-step"]').waitFor();
    await page.check('[data-testid="import-add"]');
    await page.click('[data-testid="import-confirm"]');
    await page.waitForFunction(() => /^Could not import/.test(document.querySelector('[data-testid="import-status"]').textContent));
    assert.match(await status.textContent(),
      /^Could not import "again\.csv": The file's respondent "R0002" is already in the survey \(row 2\); nothing was added\./);
    assert.equal(await status.getAttribute('role'), 'alert');
    assert.equal(await page.isVisible('[data-testid="import-step"]'), true, 'the mapping step stays for another try');
    assert.deepEqual(await snapshot(page), before);

    await page.setInputFiles('[data-testid="csv-input"]', csvFile('new.csv', 'respondent_id,nps\nN1,9\nN2,0\n'));
    await page.locator('[data-testid="import-step"]').waitFor();
    await page.check('[data-testid="import-add"]');
    await page.click('[data-testid="import-confirm"]');
    await h.waitForValue(page, 'respondents', '162');
    await h.partsDrawn(page); // the grid and charts come after the headline results
    assert.match(await status.textContent(), /^Imported 2 rows from "new\.csv", added after the 160 respondents already loaded\.$/);
    assert.equal(await h.dataValue(page, 'nps'), String(ctx.appended.overall.satisfaction.nps.nps));
    assert.equal(await h.dataValue(page, 'net-value'), String(ctx.appended.overall.net_value.mean));
    assert.equal(await page.textContent('[data-testid="grid-range"]'), 'Respondents 151–162 of 162');
    assert.equal(await page.inputValue('[data-testid="cell-161-id"]'), 'N2');
  });

  it('shows the status and the results first, then the grid and the business section from the newest state', async () => {
    const page = await open();
    // When the first import's status appears (in the task that set it, before the later parts are
    // drawn): note what is on screen, then add pasted rows at once (a second import meanwhile).
    await page.evaluate(() => {
      const status = document.querySelector('[data-testid="import-status"]');
      const observer = new MutationObserver(() => {
        if (!/^Imported 2 rows from "first\.csv"/.test(status.textContent)) return;
        observer.disconnect();
        const parts = ['.charts', '#grid-scroll', '#business', '#customers'].map((s) => document.querySelector(s));
        self.__atStatus = {
          respondents: document.querySelector('[data-testid="respondents"]').dataset.value,
          pending: parts.map((node) => node.inert && node.getAttribute('aria-busy') === 'true'),
        };
        document.querySelector('[data-testid="paste-text"]').value = 'respondent_id,nps\nZ1,10\n';
        document.querySelector('[data-testid="paste-add"]').click();
        document.querySelector('[data-testid="import-confirm"]').click();
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
    });
    await page.setInputFiles('[data-testid="csv-input"]', csvFile('first.csv', 'respondent_id,nps\nA1,9\nA2,0\n'));
    await page.locator('[data-testid="import-step"]').waitFor();
    await page.click('[data-testid="import-confirm"]');
    await page.waitForFunction(() => /^Imported 1 row from the pasted rows, added after the 2 respondents/.test(
      document.querySelector('[data-testid="import-status"]').textContent));
    assert.deepEqual(await page.evaluate(() => self.__atStatus), { respondents: '2', pending: [true, true, true, true] },
      'the results with the status; the parts below still to draw, not editable meanwhile');
    await page.waitForFunction(() => !document.querySelector('[aria-busy], [inert]'));
    // Drawn from the second import: the first one's later steps did not draw over it.
    assert.equal(await h.dataValue(page, 'respondents'), '3');
    assert.equal(await page.textContent('[data-testid="grid-range"]'), 'Respondents 1\u20133 of 3');
    assert.equal(await page.inputValue('[data-testid="cell-2-id"]'), 'Z1');
    assert.match(await page.textContent('[data-testid="survey-join"]'), /\(of 3\)/);
    await h.assertNoBrokenNumbers(page);
  });

  it('adds pasted spreadsheet rows, and reads a dropped or pasted CSV through the same mapping step', async () => {
    const page = await open();
    // Two rows without a header: columns in the grid's order (id, groups, NPS, CSAT, CES, items).
    const rows = [
      ['P1', 'SMB', 'New users', '10', '5', '7', '5', '5', '5', '5', '5', '5', '1', '1', '1', '1', '1', '1', '1', '1'],
      ['P2', 'enterprise', 'Advanced users', '3', '2', '2', '2', '2', '2', '2', '2', '2', '4', '4', '4', '4', '4', '4', '4', '4'],
    ];
    await page.click('#paste-rows summary');
    await page.fill('[data-testid="paste-text"]', rows.map((r) => r.join('\t')).join('\n') + '\n');
    await page.click('[data-testid="paste-add"]');
    await page.locator('[data-testid="import-step"]').waitFor();
    assert.match(await page.textContent('[data-testid="import-status"]'), /taken in the table’s order/);
    assert.equal(await page.isChecked('[data-testid="import-add"]'), true);
    assert.match(await page.textContent('[data-testid="import-summary"]'), /tab-separated/);
    await page.click('[data-testid="import-confirm"]');
    await h.waitForValue(page, 'respondents', '162');
    await h.partsDrawn(page); // the grid and charts come after the headline results
    const ids = h.sampleModel.items.map((i) => i.id);
    const record = (r) => ({
      id: r[0], segments: [r[1] === 'SMB' ? 'smb' : 'enterprise', r[2] === 'New users' ? 'new' : 'advanced'],
      nps: Number(r[3]), csat: Number(r[4]), ces: Number(r[5]),
      answers: Object.fromEntries(ids.map((id, j) => [id, Number(r[6 + j])])),
    });
    const expected = await h.expectedResults(h.sampleModel,
      { survey: true, calls: [['addResponse', record(rows[0])], ['addResponse', record(rows[1])]] });
    assert.equal(await h.dataValue(page, 'net-value'), String(expected.overall.net_value.mean));
    assert.equal(await h.dataValue(page, 'nps'), String(expected.overall.satisfaction.nps.nps));
    assert.equal(await page.textContent('[data-testid="grid-range"]'), 'Respondents 151–162 of 162');
    assert.equal(await page.inputValue('[data-testid="cell-161-id"]'), 'P2');
    assert.equal(await page.inputValue('[data-testid="paste-text"]'), '');

    // A file dropped on the survey section opens the mapping step.
    const text = fs.readFileSync(smallCsv, 'utf8');
    await h.dropFile(page, 'survey-section', 'dropped.csv', text, 'text/csv');
    await page.waitForFunction(() => /dropped\.csv/.test(document.querySelector('#import-title').textContent));
    assert.equal(await page.isChecked('[data-testid="import-replace"]'), true);
    await page.click('[data-testid="import-cancel"]');

    // Cells with a header line pasted into the grid: a small CSV import, added after the rows.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'respondent_id\tnps\tcsat\nQ1\t9\t4\n');
      document.querySelector('[data-testid="cell-150-nps"]').dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => /pasted rows/.test(document.querySelector('#import-title').textContent));
    assert.equal(await page.inputValue('[data-testid="map-role-1"]'), 'nps');
    await page.click('[data-testid="import-confirm"]');
    await h.waitForValue(page, 'respondents', '163');
    await h.partsDrawn(page); // the grid and charts come after the headline results
    assert.equal(await page.inputValue('[data-testid="cell-162-id"]'), 'Q1');
    assert.equal(await h.dataValue(page, 'net-value'), String(expected.overall.net_value.mean),
      'a respondent without item answers does not change the net value');
    await h.assertNoBrokenNumbers(page);
  });
});
