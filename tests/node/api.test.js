// Tests of the built module's JavaScript API (build/wasm/wasm/cvc-api.js) under node.
// The numbers are the hand-computed ones from tests/native/test_value_results.cpp, on the same
// fixture files, so the native suite, the wasm suite and this one check one set of values.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const { create, CalculatorError } = require(path.join(process.env.CVC_WASM_DIR || path.join(root, 'build/wasm/wasm'), 'cvc-api.js'));
const readJson = (p) => JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
const small = readJson('tests/fixtures/small-survey.json');
const worked = readJson('tests/fixtures/worked-example.json');
const sampleModel = readJson('web/sample/model.json');

function smallRecords() {
  return small.rows.map((row) => ({
    segments: row.segments,
    answers: Object.fromEntries(small.item_ids.map((id, j) => [id, row.answers[j]])),
  }));
}

function close(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} ± ${tolerance}`);
}

// Every number anywhere in a results object is finite.
function assertFinite(value, where = 'results') {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${where} is ${value}`);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertFinite(v, `${where}.${k}`);
  }
}

function expectError(fn, field, messagePart) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof CalculatorError, `expected CalculatorError, got ${e && e.name}`);
    assert.ok(e instanceof Error);
    if (field !== undefined) assert.equal(e.field, field);
    if (messagePart) assert.match(e.message, messagePart);
    return true;
  });
}

test('worked example: benefits 5,000 − costs 2,000 = 3,000 exactly (shared/METRICS.md)', async () => {
  const calc = await create();
  calc.loadModel(worked);
  const r = calc.results();
  assert.equal(r.source, 'entered');
  assert.equal(r.net_value_unit, 'currency');
  assert.equal(r.overall.total_benefits, 5000);
  assert.equal(r.overall.total_costs, 2000);
  assert.equal(r.overall.net_value.mean, 3000);
  close(r.overall.value_index.mean, 30, 1e-12, 'value index');
  assert.equal(r.overall.net_value.ci_low, null);
  assert.match(r.overall.net_value.no_interval_reason, /not a sample/);
  calc.dispose();
});

test('small survey through setResponseRecords: the hand-computed values', async () => {
  const calc = await create();
  calc.loadModel(small.model);
  calc.setResponseRecords(smallRecords());
  const r = calc.results();
  assertFinite(r);
  assert.equal(r.source, 'survey');
  assert.equal(r.survey_rows, 5);
  assert.equal(r.overall.respondents, 4);
  assert.equal(r.overall.excluded_incomplete, 1);
  close(r.overall.net_value.mean, 4.75, 1e-12, 'net value');
  close(r.overall.net_value.ci_low, 4.75 - 17.057783552, 1e-8, 'ci low');
  close(r.overall.net_value.ci_high, 4.75 + 17.057783552, 1e-8, 'ci high');
  close(r.overall.value_index.mean, 22.916666666667, 1e-9, 'index');
  close(r.segments[0].net_value.mean, 14.5, 1e-12, 'SMB net');
  close(r.segments[1].net_value.mean, -1, 1e-12, 'Enterprise net');
  assert.equal(r.segments[2].source, 'none');
  assert.equal(r.segments[2].net_value, null);
  assert.equal(r.segments[2].no_data_reason, 'no data: no respondents in this segment');
  assert.deepEqual(r.sensitivity.map((s) => s.item_id), ['ease', 'quality', 'effort']);
  calc.dispose();
});

test('setResponses with typed arrays equals setResponseRecords', async () => {
  const calc = await create();
  calc.loadModel(small.model);
  const answers = Float64Array.from(small.rows.flatMap((r) => r.answers.map((a) => (a === null ? NaN : a))));
  const membership = Uint8Array.from(small.rows.flatMap((r) => small.segment_ids.map((s) => (r.segments.includes(s) ? 1 : 0))));
  calc.setResponses({ rows: small.rows.length, answers, membership });
  const viaArrays = calc.results();
  calc.setResponseRecords(smallRecords());
  assert.deepEqual(calc.results(), viaArrays);
  assert.equal(calc.responseCount(), 5);
});

test('a weight change updates the results, overall and for one segment', async () => {
  const calc = await create();
  calc.loadModel(small.model);
  calc.setResponseRecords(smallRecords());
  calc.setWeight('ease', 2);
  close(calc.results().overall.net_value.mean, 9.75, 1e-12, 'net after ease → 2');
  calc.setWeight('effort', 2, 'smb');
  close(calc.results().segments[0].net_value.mean, 20, 1e-12, 'SMB net'); // 9 + 15 − 4
  assert.equal(calc.model().segments[0].weights.effort, 2);
  assert.equal(calc.model().items[1].weight, 2);
});

test('bad input throws CalculatorError naming the field, and changes nothing', async () => {
  const calc = await create();
  calc.loadModel(small.model);
  calc.setResponseRecords(smallRecords());
  const before = JSON.stringify(calc.results());
  const modelBefore = JSON.stringify(calc.model());

  expectError(() => calc.setWeight('quality', 11), 'items[0].weight', /"Quality".*0 to 10.*got 11/);
  expectError(() => calc.setWeight('quality', NaN), 'items[0].weight', /got not a number/);
  expectError(() => calc.setWeight('quality', '5'), 'weight', /must be a number/);
  expectError(() => calc.setWeight('nope', 1), 'item', /no item with id "nope"/);
  expectError(() => calc.setWeight('quality', 3, 'nope'), 'segment', /no segment/);
  expectError(() => calc.setEnteredScore('ease', 11), 'items[1].score', /0–10 scale/);
  expectError(() => calc.setEnteredScore('ease', 'high'), 'score', /must be a number/);
  expectError(() => calc.loadModel('{"schema": "customer-value-model", "version": 1, "items": ['),
    'model JSON', /not valid JSON/);
  expectError(() => calc.loadModel({ schema: 'customer-value-model', version: 2, items: [] }),
    'version', /newer calculator/);
  expectError(() => calc.loadModel({ ...small.model, items: [{ ...small.model.items[0], weight: 11 }] }),
    'items[0].weight');
  expectError(() => calc.loadModel('[]'), 'model', /expected a JSON object/);
  expectError(() => calc.loadModel('x'.repeat(10)), 'model JSON');
  expectError(() => calc.loadModel('['.repeat(10000) + ']'.repeat(10000)), 'model JSON', /nested/);

  const records = smallRecords();
  records[3].answers.effort = 6;
  expectError(() => calc.setResponseRecords(records), 'row 4, item effort', /outside its 1–5 scale/);
  records[3].answers.effort = 'five';
  expectError(() => calc.setResponseRecords(records), 'row 4, item effort', /"five" is not a number/);
  records[3].answers.effort = 2;
  records[1].segments = ['smb', 'ent'];
  expectError(() => calc.setResponseRecords(records), 'row 2, segments', /more than one segment/);
  records[1].segments = ['martians'];
  expectError(() => calc.setResponseRecords(records), 'row 2, segments', /no segment with id "martians"/);
  expectError(() => calc.setResponses({ rows: 2, answers: new Float64Array(5), membership: new Uint8Array(6) }),
    'scores', /expected 2 rows × 3 items/);
  expectError(() => calc.setResponses({ rows: 1.5 }), 'rows');

  assert.equal(JSON.stringify(calc.results()), before);
  assert.equal(JSON.stringify(calc.model()), modelBefore);
  assert.equal(calc.responseCount(), 5);
});

test('the model round-trips through the API exactly', async () => {
  const calc = await create();
  calc.loadModel(sampleModel);
  const saved = calc.model();
  assert.deepEqual(saved, sampleModel);
  const other = await create();
  other.loadModel(JSON.stringify(saved));
  assert.deepEqual(other.model(), saved);
});

test('two calculators do not share state, and a disposed one refuses calls', async () => {
  const a = await create();
  const b = await create();
  a.loadModel(worked);
  b.loadModel(sampleModel);
  a.setWeight('benefit', 2);
  assert.equal(a.results().overall.net_value.mean, 8000);
  assert.equal(b.model().items[0].weight, 9);
  a.dispose();
  a.dispose(); // twice is harmless
  expectError(() => a.results(), 'calculator', /disposed/);
  assert.ok(b.results().overall.net_value.mean > 0);
});

test('results before a model are null; a model with no scores says no data in words', async () => {
  const calc = await create();
  assert.equal(calc.results(), null);
  assert.equal(calc.model(), null);
  calc.loadModel({ ...small.model });
  const r = calc.results();
  assert.equal(r.source, 'none');
  assert.equal(r.overall.net_value, null);
  assert.match(r.overall.no_data_reason, /no score entered for "Quality"/);
  assert.deepEqual(r.sensitivity, []);
});

test('100,000 respondents cross in one copy and give finite results', async () => {
  const calc = await create();
  calc.loadModel(sampleModel);
  const items = sampleModel.items.length;
  const segments = sampleModel.segments.length;
  const rows = 100000;
  const answers = new Float64Array(rows * items);
  const membership = new Uint8Array(rows * segments);
  let seed = 7;
  for (let i = 0; i < answers.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    answers[i] = 1 + (seed % 5);
  }
  for (let r = 0; r < rows; r++) {
    membership[r * segments + (r % 2)] = 1;
    membership[r * segments + 2 + (r % 3 === 0 ? 0 : 1)] = 1;
  }
  calc.setResponses({ rows, answers, membership });
  const r = calc.results();
  assertFinite(r);
  assert.equal(r.overall.respondents, rows);
  assert.equal(r.segments[0].respondents + r.segments[1].respondents, rows);
  assert.ok(r.overall.net_value.ci_high - r.overall.net_value.ci_low < 1);
});

test('results as CSV: one row per view, formula-like labels neutralised', async () => {
  const calc = await create();
  const model = JSON.parse(JSON.stringify(small.model));
  model.segments[0].label = '=HYPERLINK("http://x")';
  calc.loadModel(model);
  calc.setResponseRecords(smallRecords());
  const lines = calc.resultsCsv().trim().split('\r\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^view,group,source,/);
  assert.match(lines[1], /^All customers,,survey,5,4,1,13,8.25,4.75,/);
  assert.match(lines[2], /^"'=HYPERLINK\(""http:\/\/x""\)",size,survey,/);
});
