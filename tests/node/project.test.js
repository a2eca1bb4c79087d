// Projects and share links through the JavaScript API: the project file round trip, the
// share link (compression by the platform's CompressionStream, the envelope by the core), and
// the ways a link or a file can be bad. Each refusal must leave the calculator as it was.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.join(__dirname, '..', '..');
const { create, CalculatorError } = require(path.join(process.env.CVC_WASM_DIR || path.join(root, 'build/wasm/wasm'), 'cvc-api.js'));
const read = (p) => fs.readFileSync(path.join(root, p));
const sampleModel = JSON.parse(read('web/sample/model.json'));
const sampleSurvey = JSON.parse(read('web/sample/survey.json'));

async function sampleCalculator() {
  const calc = await create();
  calc.loadModel(sampleModel);
  calc.setResponseRecords(sampleSurvey.rows.map((row) => ({
    id: row.id,
    segments: row.segments,
    answers: Object.fromEntries(sampleSurvey.item_ids.map((id, j) => [id, row.answers[j]])),
    nps: row.nps,
    csat: row.csat,
    ces: row.ces,
  })));
  const preview = calc.importCustomersCsv(read('web/sample/customers.csv'));
  calc.checkCustomerImport(preview.columns.map((c) => c.proposed), preview);
  calc.commitCustomerImport();
  calc.setWeight('price', 9.5, 'smb');
  return calc;
}

function state(calc) {
  return { project: calc.projectJson(), results: calc.results(), business: calc.businessResults() };
}

async function refuses(promiseOrFn, field, words) {
  let error = null;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof CalculatorError, 'expected a CalculatorError, got ' + error);
  assert.equal(error.field, field, error.message);
  assert.match(error.message, words);
}

test('a project saves and opens again exactly, data included', async () => {
  const calc = await sampleCalculator();
  const before = state(calc);
  assert.ok(calc.responseCount() > 100);
  assert.ok(calc.customerCount() > 100);
  const other = await create();
  other.openProject(before.project);
  assert.deepEqual(state(other), before);
  // Given as an object too.
  const third = await create();
  third.openProject(JSON.parse(before.project));
  assert.equal(third.projectJson(), before.project);
});

test('a share link without data restores the model exactly and leaves data out', async () => {
  const calc = await sampleCalculator();
  const link = await calc.shareLink();
  assert.match(link, /^#cvc1\.[A-Za-z0-9_-]+$/);
  const opened = await create();
  await opened.openShareLink('https://example.com/calculator.html' + link);
  assert.deepEqual(opened.model(), calc.model());
  assert.equal(opened.responseCount(), 0);
  assert.equal(opened.customerCount(), 0);
  const modelOnly = { survey: false, customers: false };
  assert.equal(opened.projectJson(modelOnly), calc.projectJson(modelOnly));
});

test('a share link with the survey and customers restores them exactly', async () => {
  const calc = await sampleCalculator();
  const link = await calc.shareLink({ survey: true, customers: true });
  // The fragment is zlib data (RFC 1950): node's own inflate reads it back to the project.
  const bytes = Buffer.from(link.slice('#cvc1.'.length), 'base64url');
  assert.equal(zlib.inflateSync(bytes).toString('utf8'), calc.projectJson());
  const opened = await create();
  await opened.openShareLink(link);
  assert.deepEqual(state(opened), state(calc));
  // The sample's 240 respondents and 180 customers fit in a link browsers keep (< 2 MB).
  assert.ok(link.length < 200000, 'link length ' + link.length);
});

test('bad links are refused with a reason, and the work stays as it was', async () => {
  const calc = await sampleCalculator();
  const before = state(calc);
  const good = await calc.shareLink();
  const payload = Buffer.from(good.slice(6), 'base64url');
  const fragment = (bytes) => '#cvc1.' + Buffer.from(bytes).toString('base64url');

  await refuses(calc.openShareLink('https://example.com/calculator.html'), 'link', /no calculator data/);
  await refuses(calc.openShareLink('#results'), 'link', /not a Customer Value Calculator share link/);
  await refuses(calc.openShareLink('#cvc9.AAAA'), 'link', /format 9/);
  await refuses(calc.openShareLink(good.slice(0, good.length - 7)), 'link', /cut off|damaged/);
  await refuses(calc.openShareLink(good + '%20'), 'link', /"%"/);
  // One flipped byte in the middle: inflate fails or the Adler-32 check does.
  const flipped = Buffer.from(payload);
  flipped[Math.floor(flipped.length / 2)] ^= 0x5a;
  await refuses(calc.openShareLink(fragment(flipped)), 'link', /damaged/);
  // Valid compression of something that is not a project.
  await refuses(calc.openShareLink(fragment(zlib.deflateSync('{"hello": "world"}'))), 'schema',
    /not a Customer Value Calculator project/);
  await refuses(calc.openShareLink(fragment(zlib.deflateSync('not json'))), 'project file', /project file/);
  await refuses(calc.openShareLink(fragment(zlib.deflateSync(Buffer.from([0xff, 0xfe, 0x00])))), 'link', /not text/);
  // A newer project version.
  const newer = JSON.parse(calc.projectJson({ survey: false, customers: false }));
  newer.version = 7;
  await refuses(calc.openShareLink(fragment(zlib.deflateSync(JSON.stringify(newer)))), 'version', /newer version/);
  // A zip bomb: 70 MB of spaces compress to ~70 kB; decompression stops at the limit.
  const bomb = zlib.deflateSync(Buffer.alloc(70 * 1024 * 1024, 0x20), { level: 9 });
  await refuses(calc.openShareLink(fragment(bomb)), 'link', /more data than this page opens/);

  assert.deepEqual(state(calc), before);
});

test('bad project files are refused with the field named, and nothing changes', async () => {
  const calc = await sampleCalculator();
  const before = state(calc);
  const project = JSON.parse(before.project);
  await refuses(() => calc.openProject('{"schema": "customer-value-project", "version": 2}'), 'version', /newer version/);
  await refuses(() => calc.openProject('{'), 'project file', /line 1/);
  project.survey.rows[3].answers[0] = 6;
  await refuses(() => calc.openProject(project), 'survey, row 4, item insights', /row 4/i);
  assert.deepEqual(state(calc), before);
});

test('the model can be renamed and its currency set, keeping the data', async () => {
  const calc = await sampleCalculator();
  const rows = calc.responseCount();
  calc.setModelInfo({ currency: 'EUR' });
  assert.equal(calc.model().currency, 'EUR');
  assert.equal(calc.results().currency, 'EUR');
  calc.setModelInfo({ name: 'Renamed' });
  assert.equal(calc.model().name, 'Renamed');
  assert.equal(calc.model().currency, 'EUR');
  assert.equal(calc.responseCount(), rows);
  await refuses(() => calc.setModelInfo({ currency: 'euro' }), 'currency', /ISO 4217/);
  await refuses(() => calc.setModelInfo({ name: 42 }), 'model', /text/);
  assert.equal(calc.model().currency, 'EUR');
});
