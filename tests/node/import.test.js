// The survey CSV import and respondent editing through the JavaScript API, on the shared
// fixtures (tests/fixtures/csv/*.csv): same hand-computed numbers as the native suite.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const { create, CalculatorError } = require(path.join(process.env.CVC_WASM_DIR || path.join(root, 'build/wasm/wasm'), 'cvc-api.js'));
const small = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/small-survey.json'), 'utf8'));
const sampleModel = JSON.parse(fs.readFileSync(path.join(root, 'web/sample/model.json'), 'utf8'));
const csv = (name) => fs.readFileSync(path.join(root, 'tests/fixtures/csv', name));

async function smallCalculator() {
  const calc = await create();
  calc.loadModel(small.model);
  return calc;
}

function throwsCalculatorError(fn, pattern) {
  assert.throws(fn, (e) => e instanceof CalculatorError && pattern.test(e.message));
}

test('preview → check → commit gives the hand-computed results and satisfaction metrics', async () => {
  const calc = await smallCalculator();
  const preview = calc.importCsv(csv('small-survey.csv'));
  assert.equal(preview.delimiter, ',');
  assert.equal(preview.data_rows, 5);
  assert.deepEqual(preview.columns.map((c) => c.proposed.role),
    ['respondent_id', 'segment', 'nps', 'csat', 'ces', 'item', 'item', 'item']);
  assert.equal(preview.columns[6].proposed.item_id, 'ease');
  assert.equal(preview.sample_rows[0][0], 'r1');

  const report = calc.checkImport(preview.columns.map((c) => c.proposed), preview);
  assert.equal(report.rows_valid, 5);
  assert.equal(report.problem_count, 0);
  assert.equal(calc.responseCount(), 0, 'nothing changes before commit');

  calc.commitImport();
  const r = calc.results();
  assert.equal(r.overall.respondents, 4);
  assert.ok(Math.abs(r.overall.net_value.mean - 4.75) < 1e-12);
  const sat = r.overall.satisfaction;
  assert.equal(sat.nps.nps, 0); // 10, 9, 6, 8, 3: 2 promoters, 2 detractors
  assert.equal(sat.nps.promoters, 2);
  assert.equal(sat.nps.interval, 'adjusted-Wald');
  assert.ok(Math.abs(sat.csat.percent - 60) < 1e-12); // 3 of 5 answer 4–5
  assert.ok(Math.abs(sat.ces.mean - 4.6) < 1e-12);
  assert.equal(sat.ces.agreeing.count, 3);
  assert.equal(r.segments[0].low_confidence, true);
  assert.equal(calc.responses(0, 2).page[1].id, 'r2');
  assert.equal(calc.responses(0, 2).page[1].nps, 9);
});

test('rejected cells are listed with row, column, value and reason; cancel changes nothing', async () => {
  const calc = await smallCalculator();
  calc.setResponseRecords([{ answers: { quality: 4, ease: 5, effort: 2 } }]);
  const before = JSON.stringify(calc.results());
  const preview = calc.importCsv(csv('bad-rows.csv'));
  const report = calc.checkImport(preview.columns.map((c) => c.proposed));
  assert.equal(report.rows_total, 5);
  assert.equal(report.rows_valid, 1);
  assert.deepEqual(report.problems.map((p) => [p.row, p.column, p.value]),
    [[3, 2, '11'], [4, 3, 'four'], [5, 0, ''], [6, 3, '4.5']]);
  assert.match(report.problems[0].reason, /outside the 0–10 scale of NPS/);
  calc.cancelImport();
  assert.equal(JSON.stringify(calc.results()), before);
  throwsCalculatorError(() => calc.commitImport(), /no checked import/);
});

test('files that cannot be read throw a clear message and change nothing', async () => {
  const calc = await smallCalculator();
  const before = JSON.stringify(calc.results());
  throwsCalculatorError(() => calc.importCsv(new Uint8Array(0)), /The file is empty/);
  throwsCalculatorError(() => calc.importCsv('id,nps\n'), /header row but no data rows/);
  throwsCalculatorError(() => calc.importCsv(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])), /binary data/);
  throwsCalculatorError(() => calc.importCsv('nps,NPS\n1,2\n'), /both named/);
  throwsCalculatorError(() => calc.importCsv(csv('unterminated-quote.csv')), /never closed/);
  throwsCalculatorError(() => calc.importCsv(42), /Expected the file as bytes/);
  const preview = calc.importCsv(csv('small-survey.csv'));
  throwsCalculatorError(() => calc.checkImport([{ column: 0, role: 'nonsense' }]), /unknown role "nonsense"/);
  throwsCalculatorError(() => calc.checkImport(preview.columns.map((c) => ({ ...c.proposed, role: 'ignore' }))),
    /Nothing to import/);
  throwsCalculatorError(() => calc.checkImport([], { delimiter: '|' }), /delimiter/);
  assert.equal(JSON.stringify(calc.results()), before);
});

test('semicolon files with decimal commas create new items and segments', async () => {
  const calc = await create();
  calc.loadModel(JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/worked-example.json'), 'utf8')));
  const preview = calc.importCsv(csv('semicolon-decimal-comma.csv'));
  assert.equal(preview.delimiter, ';');
  assert.equal(preview.decimal_comma, true);
  const mapping = preview.columns.map((c) => c.proposed);
  assert.equal(mapping[3].new_item.scale, 'currency');
  assert.equal(mapping[3].new_item.reference_amount, 2000);
  mapping[3].new_item.label = 'Savings per year'; // the user renames the new item
  const report = calc.checkImport(mapping, preview);
  assert.deepEqual(report.created_items.map((i) => i.id), ['savings-eur', 'subscription-price-eur']);
  assert.deepEqual(report.created_segments.map((s) => s.label), ['Enterprise', 'SMB']);
  calc.commitImport();
  const model = calc.model();
  assert.equal(model.items[2].label, 'Savings per year');
  assert.deepEqual(calc.responses().page[0].answers.slice(2), [1234.5, 600]);
});

test('respondents are added, edited and deleted one at a time', async () => {
  const calc = await smallCalculator();
  calc.setResponseRecords(small.rows.map((row) => ({
    id: row.id, segments: row.segments,
    answers: Object.fromEntries(small.item_ids.map((id, j) => [id, row.answers[j]])),
  })));
  calc.addResponse({ id: 'r6', segments: ['ent'], answers: { quality: 5, ease: 10, effort: 1 }, nps: 9 });
  assert.equal(calc.responseCount(), 6);
  assert.ok(Math.abs(calc.results().overall.net_value.mean - 7.2) < 1e-12); // 17, 4, −9, 7, 17
  assert.throws(() => calc.replaceResponse(5, { answers: { quality: 5, ease: 11, effort: 1 } }),
    (e) => e.field === 'row 6, item ease');
  calc.replaceResponse(5, { id: 'r6', answers: { quality: 1, ease: 0, effort: 5 } }); // −13
  assert.ok(Math.abs(calc.results().overall.net_value.mean - 6 / 5) < 1e-12);
  calc.deleteResponse(0);
  assert.ok(Math.abs(calc.results().overall.net_value.mean + 11 / 4) < 1e-12);
  assert.equal(calc.responses().page[0].id, 'r2');
  throwsCalculatorError(() => calc.deleteResponse(99), /no respondent in row 100/);
});

test('the template CSV matches the model and imports back onto it', async () => {
  const calc = await create();
  calc.loadModel(sampleModel);
  const template = calc.templateCsv();
  assert.match(template.split('\r\n')[0], /^respondent_id,segment:Company size,segment:Experience,nps,csat,ces,/);
  const preview = calc.importCsv(template);
  const report = calc.checkImport(preview.columns.map((c) => c.proposed));
  assert.equal(report.rows_valid, 1);
  assert.deepEqual(report.created_items, []);
  calc.commitImport();
  assert.deepEqual(calc.model(), sampleModel);
});

test('an import can be added to the survey instead of replacing it', async () => {
  const calc = await smallCalculator();
  let preview = calc.importCsv(csv('small-survey.csv'));
  calc.checkImport(preview.columns.map((c) => c.proposed));
  calc.commitImport();
  preview = calc.importCsv('id,benefit:Quality,benefit:Ease of use,cost:Effort\nr6,5,10,1\n');
  calc.checkImport(preview.columns.map((c) => c.proposed));
  calc.commitImport({ append: true });
  assert.equal(calc.responseCount(), 6);
  assert.ok(Math.abs(calc.results().overall.net_value.mean - 7.2) < 1e-12); // 17, 4, −9, 7, 17
  preview = calc.importCsv('id,nps\nr6,9\n');
  calc.checkImport(preview.columns.map((c) => c.proposed));
  throwsCalculatorError(() => calc.commitImport({ append: true }), /"r6" is already in the survey \(row 6\)/);
  assert.equal(calc.responseCount(), 6);
});

test('CSAT on another scale: the preview proposes it, checkImport applies it', async () => {
  const calc = await smallCalculator();
  const preview = calc.importCsv('id,csat\na,9\nb,10\nc,3\n');
  assert.deepEqual(preview.satisfaction, { csat_scale: '1-10', csat_satisfied_from: 9, ces_agree_from: 5 });
  const report = calc.checkImport(preview.columns.map((c) => c.proposed), preview);
  assert.equal(report.rows_valid, 3);
  calc.commitImport();
  assert.ok(Math.abs(calc.results().overall.satisfaction.csat.percent - 200 / 3) < 1e-12);
  assert.throws(() => calc.setSatisfactionSettings({ csat_scale: '1-5', csat_satisfied_from: 4, ces_agree_from: 5 }),
    (e) => e instanceof CalculatorError && /do not fit/.test(e.message));
  assert.throws(() => calc.setSatisfactionSettings({ csat_scale: '1-10', csat_satisfied_from: 11, ces_agree_from: 5 }),
    (e) => e.field === 'satisfaction.csat_satisfied_from');
  assert.throws(() => calc.setSatisfactionSettings({ csat_scale: '1-10', csat_satisfied_from: 4.5, ces_agree_from: 5 }),
    (e) => e.message === 'satisfaction.csat_satisfied_from: must be a whole number; got 4.5.');
  calc.setSatisfactionSettings({ csat_scale: '1-10', csat_satisfied_from: 10, ces_agree_from: 5 });
  assert.ok(Math.abs(calc.results().overall.satisfaction.csat.percent - 100 / 3) < 1e-12);
});
