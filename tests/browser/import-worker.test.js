// The survey import in a Web Worker (issue 6) and "nothing lost" when it fails (issue 7): a file
// is read in the worker with a progress bar (rows, %, rows/s) while the page stays usable; Stop
// and Cancel end it at once; a crash inside the worker (an error inside the module, or one the
// worker does not catch) leaves the work and its autosaved copy exactly as they were; a file
// too large for the tab is refused before its check; and without a worker (a CSP that refuses
// blob: workers) files are read in the page as before. The worker is slowed down where a test
// must act while it runs (self.cvcTestHooks, read by wasm/cvc-import-worker.js).
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const h = require('./harness.js');
const { assert } = h;

const ctx = {};
h.setUpSuite(ctx);

/**
 * A survey CSV for the sample model: `rows` respondents with answers drawn from a fixed
 * sequence (no Math.random: the same file every run), in the template's columns.
 */
function surveyCsv(rows) {
  const items = h.sampleModel.items.map((i) => (i.side === 'benefit' ? 'benefit:' : 'cost:') + i.label);
  const quote = (t) => (/[",]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t);
  const lines = [['respondent_id', 'segment:Company size', 'segment:Experience', 'nps', 'csat', 'ces', ...items].map(quote).join(',')];
  let x = 12345;
  const next = (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  for (let r = 0; r < rows; r++) {
    const cells = ['W' + String(r + 1).padStart(7, '0'), next(2) ? 'SMB' : 'Enterprise', next(2) ? 'New users' : 'Advanced users',
      next(11), 1 + next(5), 1 + next(7)];
    for (let j = 0; j < items.length; j++) cells.push(1 + next(5));
    lines.push(cells.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

const SMALL = surveyCsv(300);
const LARGE = surveyCsv(60000); // ~4.2 MB: three 2 MiB slices

function chooseSurvey(page, text, name = 'survey.csv') {
  return page.setInputFiles('[data-testid="csv-input"]', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

async function waitForStatus(page, pattern, timeout = 60000) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('[data-testid="import-status"]').textContent),
    pattern.source, { timeout }).catch(async () => {
    assert.match(await page.textContent('[data-testid="import-status"]'), pattern);
  });
}

/** Deletes respondent 1 and waits until the autosave wrote it (project 1 s after the change). */
async function editAndAutosave(page) {
  await page.click('[data-testid="delete-0"]');
  await page.waitForTimeout(1300);
}

h.describeOnTargets('import worker', ctx, ({ open, session }) => {
  it('reads and checks a file in the worker with progress, while the page stays usable', async () => {
    const page = await open({ init: () => { self.cvcTestHooks = { importWorker: { sliceDelayMs: 400 } }; } });
    const workers = await page.evaluate(() => {
      const Original = self.Worker;
      self.__workers = 0;
      self.Worker = class extends Original {
        constructor(...args) {
          super(...args);
          self.__workers++;
        }
      };
      return self.__workers;
    });
    assert.equal(workers, 0);
    const before = await h.dataValue(page, 'net-value');
    await chooseSurvey(page, LARGE, 'large.csv');
    await page.waitForSelector('[data-testid="import-progress"]:not([hidden])');
    await page.waitForFunction(() => /^Reading "large\.csv": [\d,]+ rows \(\d+% of [\d.]+ MB\)/
      .test(document.querySelector('[data-testid="import-progress-text"]').textContent));
    // The page answers while the worker reads: a weight moves and the results follow.
    await page.locator('[data-testid="weight-insights"]').focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((old) => document.querySelector('[data-testid="net-value"]').dataset.value !== old, before);
    assert.equal(await page.isVisible('[data-testid="import-progress"]'), true, 'still reading when the results changed');

    await waitForStatus(page, /^Read "large\.csv": 60,000 data rows and 20 columns\./);
    assert.equal(await page.isVisible('[data-testid="import-progress"]'), false);
    await page.click('[data-testid="import-confirm"]');
    await page.waitForFunction(() => /^Checking "large\.csv": [\d,]+ rows/
      .test(document.querySelector('[data-testid="import-progress-text"]').textContent));
    assert.equal(await page.isDisabled('[data-testid="import-confirm"]'), true, 'no second press while checking');
    await page.waitForFunction(() => /rows\/s$/.test(document.querySelector('[data-testid="import-progress-text"]').textContent));
    await waitForStatus(page, /^Imported 60,000 rows from "large\.csv", replacing the 160 respondents/);
    assert.equal(await page.evaluate(() => self.__workers), 1, 'one worker for both steps');

    // The same numbers as the same file imported through the API in node (weight 8 for insights).
    const expected = await h.expectedResults(h.sampleModel, {
      calls: [['setWeight', 'insights', 8], ['importCsv', Buffer.from(LARGE)]],
    });
    await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));
    await h.partsDrawn(page); // the whole page, the parts drawn after the status included
    await h.assertNoBrokenNumbers(page);
  });

  /**
   * Init script: notes each worker the page starts, what its 'init' message carried and what its
   * 'ready' answer says it instantiated from. `cloneFails`: posting a WebAssembly.Module throws a
   * DataCloneError, as in a browser that cannot send one to a worker.
   */
  function watchWorkers(cloneFails) {
    const Original = self.Worker;
    self.__inits = [];
    self.__posted = []; // the type of every message the page posts to a worker
    self.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        const seen = {};
        self.__inits.push(seen);
        this.addEventListener('message', (e) => {
          if (e.data && e.data.type === 'ready') seen.from = e.data.from;
        });
      }
      postMessage(message, transfer) {
        self.__posted.push(message && message.type);
        if (message && message.type === 'init') {
          if (cloneFails && message.module) throw new DOMException('WebAssembly.Module cannot be sent (test)', 'DataCloneError');
          const seen = self.__inits[self.__inits.length - 1];
          seen.module = message.module instanceof WebAssembly.Module;
          seen.bytes = message.wasm instanceof Uint8Array;
        }
        return super.postMessage(message, transfer);
      }
    };
  }

  /** Init script: counts the workers the page starts and ends (self.__workers). */
  function countWorkers() {
    const Original = self.Worker;
    self.__workers = { started: 0, ended: 0 };
    self.Worker = class extends Original {
      constructor(...args) {
        super(...args);
        self.__workers.started++;
      }
      terminate() {
        self.__workers.ended++;
        return super.terminate();
      }
    };
  }

  it('a large file is previewed by two workers at once, with the one-worker preview exactly', async () => {
    // Forced on small files (splitFromBytes; 8 MiB by default). The split falls after the
    // first line break from the middle on; in the second file that break is inside a quoted
    // field, so the parts cannot be merged and one worker previews the file.
    const lines = SMALL.split('\r\n');
    let quoted = null;
    const middleLine = SMALL.slice(0, SMALL.length / 2).split('\r\n').length - 1;
    for (let l = middleLine - 2; !quoted && l <= middleLine + 2; l++) {
      // The last answer of line l becomes a quoted text with a line break in it.
      const text = [...lines.slice(0, l), lines[l].replace(/,([^,]*)$/, ',"$1\nx"'), ...lines.slice(l + 1)].join('\r\n');
      const split = text.indexOf('\n', Math.floor(text.length / 2)) + 1; // ASCII: bytes = characters
      if ((text.slice(0, split).match(/"/g) || []).length % 2 === 1) quoted = text;
    }
    assert.ok(quoted, 'a file whose first line break from the middle on is inside quotes');
    const page = await open({ init: `(${watchWorkers})(false)` });
    const got = await page.evaluate(async ({ model, files }) => {
      const api = self.CustomerValueCalculator;
      const calc = await api.create();
      calc.loadModel(model);
      const worker = new api.ImportWorker();
      const out = [];
      for (const text of files) {
        // Where the first line break from the middle on is: the split.
        const bytes = new TextEncoder().encode(text);
        const split = bytes.indexOf(10, Math.floor(bytes.length / 2)) + 1;
        const file = new Blob([bytes]);
        self.cvcTestHooks = { importWorker: { splitFromBytes: 0 } };
        const before = self.__inits.length;
        const posted = self.__posted.length;
        const two = await worker.preview(file, calc);
        const started = self.__inits.length - before;
        const steps = self.__posted.slice(posted).filter((type) => type !== 'init');
        self.cvcTestHooks = { importWorker: { splitFromBytes: Infinity } };
        const one = await worker.preview(file, calc);
        out.push({ two, one, inPage: calc.importCsv(bytes), started, steps, split, size: bytes.length });
      }
      worker.dispose();
      return out;
    }, { model: h.sampleModel, files: [SMALL, quoted] });
    // Merged from the two parts; refused (the split inside quotes), then one worker's preview.
    assert.deepEqual(got[0].steps, ['previewPart', 'previewPart', 'previewMerge']);
    assert.deepEqual(got[1].steps, ['previewPart', 'previewPart', 'preview']);
    for (const [k, { two, one, inPage, started, split, size }] of got.entries()) {
      assert.ok(split > size / 2 && split < size, `file ${k}: split ${split} of ${size}`);
      // The first file's preview starts both workers; the second's uses them again (the
      // second worker kept from the first preview, for a check).
      assert.equal(started, k === 0 ? 2 : 0, `file ${k}: workers started`);
      assert.deepEqual(two, one, `file ${k}: two workers, one worker`);
      assert.deepEqual(one, inPage, `file ${k}: one worker, the page`);
    }
    assert.equal(got[0].two.data_rows, 300);
    assert.equal(got[1].two.data_rows, 300);
  });

  it('a large file is checked by two workers at once, with the one-worker check and the page\'s exactly', async () => {
    // Forced on small files (splitFromBytes). Each file is checked three ways: by two workers
    // (merged when the parts can be merged exactly), by one worker, and in the page; the
    // reports and the surveys committed must be the same. The files: new segments in each
    // half (one seen only in the second) and problems on both sides (renumbered rows); a
    // respondent id repeated across the split (the parts refuse to merge: one worker checks
    // it and lists the repeat); a split inside quotes (no merge either).
    const lines = SMALL.split('\r\n');
    const middleLine = SMALL.slice(0, SMALL.length / 2).split('\r\n').length - 1;
    const edit = (changes) => lines.map((line, l) => (changes[l] ? changes[l](line) : line)).join('\r\n');
    const segments = edit({
      5: (line) => line.replace(/,(SMB|Enterprise),/, ',Startup,'),
      [middleLine + 20]: (line) => line.replace(/,(SMB|Enterprise),/, ',Mid-market,'),
      [middleLine + 30]: (line) => line.replace(/,(SMB|Enterprise),/, ',Startup,').replace(/,\d+\r?$/, ',9'),
      8: (line) => line.replace(/,\d+$/, ',x'),
      [middleLine + 40]: (line) => line.replace(/^W\d+/, 'W0000250'), // a repeat inside part 2
    });
    const repeated = edit({ [middleLine + 10]: (line) => line.replace(/^W\d+/, 'W0000003') });
    const quoted = edit({ [middleLine]: (line) => line.replace(/,([^,]*)$/, ',"$1\nx"') });
    const page = await open({ init: `(${watchWorkers})(false)` });
    const got = await page.evaluate(async ({ model, files }) => {
      const api = self.CustomerValueCalculator;
      const calc = await api.create();
      const worker = new api.ImportWorker();
      const out = [];
      for (const text of files) {
        calc.loadModel(model);
        const bytes = new TextEncoder().encode(text);
        const file = new Blob([bytes]);
        const mapping = calc.importCsv(bytes).columns.map((c) => c.proposed);
        calc.cancelImport();
        const ways = {};
        for (const [way, from] of [['two', 0], ['one', Infinity]]) {
          calc.loadModel(model); // each way from the same model (a commit adds the segments it made)
          self.cvcTestHooks = { importWorker: { splitFromBytes: from } };
          const posted = self.__posted.length;
          const report = await worker.check(file, calc, mapping);
          calc.commitImport();
          ways[way] = { report, survey: calc.projectJson({ customers: false }),
            steps: self.__posted.slice(posted).filter((type) => type !== 'init') };
        }
        calc.loadModel(model);
        calc.importCsv(bytes);
        const report = calc.checkImport(mapping);
        calc.commitImport();
        ways.page = { report, survey: calc.projectJson({ customers: false }) };
        out.push(ways);
      }
      worker.dispose();
      return out;
    }, { model: h.sampleModel, files: [segments, repeated, quoted] });
    assert.deepEqual(got[0].two.steps, ['stagePart', 'stagePart', 'stageMerge']);
    assert.deepEqual(got[1].two.steps, ['stagePart', 'stagePart', 'stageMerge', 'stage']);
    assert.deepEqual(got[2].two.steps, ['stagePart', 'stagePart', 'stage']);
    for (const [k, { two, one, page: inPage }] of got.entries()) {
      assert.deepEqual(one.steps, ['stage'], `file ${k}: one worker`);
      assert.deepEqual(two.report, inPage.report, `file ${k}: two workers, the page`);
      assert.deepEqual(one.report, inPage.report, `file ${k}: one worker, the page`);
      assert.equal(two.survey, inPage.survey, `file ${k}: the survey committed`);
      assert.equal(one.survey, inPage.survey, `file ${k}: the survey committed`);
    }
    // What the first file's merge had to get right: problems on both sides of the split, with
    // the second part's rows (and its repeated id's "also on row") in the whole file's numbers,
    // and the segments made from both parts' values.
    const first = got[0].two.report;
    assert.deepEqual(first.created_segments.map((s) => s.label), ['Mid-market', 'Startup']);
    assert.ok(first.problems.some((p) => p.row === 9) && first.problems.some((p) => p.row > middleLine + 2),
      JSON.stringify(first.problems));
    assert.ok(first.problems.some((p) => /^this respondent id is also on row \d+$/.test(p.reason)), JSON.stringify(first.problems));
    assert.ok(got[1].two.report.problems.some((p) => p.reason === 'this respondent id is also on row 4'),
      JSON.stringify(got[1].two.report.problems));
  });

  it('a check after the preview of the same file reads what the preview kept, with the same result', async () => {
    // Each worker keeps the slices its preview read (up to a budget) for the check of the same
    // File, which then reads none of them from the file again. The check must give the same
    // report and survey as a check of the same bytes without a preview (another Blob: nothing
    // kept applies), whether all slices were kept, some (a budget below the part: the rest is
    // read from the file), or none; by two workers (the preview's second worker kept for the
    // check) and by one.
    const page = await open({
      init: () => {
        const Original = self.Worker;
        self.__done = []; // [step, bytes read from the file] of every step a worker finished
        self.Worker = class extends Original {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', (e) => {
              if (e.data && e.data.type === 'done') self.__done.push([self.__step, e.data.fileBytes]);
            });
          }
          postMessage(message, transfer) {
            if (message && message.type !== 'init') self.__step = message.type;
            return super.postMessage(message, transfer);
          }
        };
      },
    });
    const got = await page.evaluate(async ({ model, text }) => {
      const api = self.CustomerValueCalculator;
      const calc = await api.create();
      const bytes = new TextEncoder().encode(text);
      const out = {};
      for (const [way, splitFromBytes] of [['two', 0], ['one', Infinity]]) {
        // 1 MiB: the heads and the last short slice of each part kept, the 2 MiB slices read.
        for (const keepBytes of [undefined, 1024 * 1024, 0]) {
          const checks = [];
          for (const preview of [true, false]) {
            self.cvcTestHooks = { importWorker: { splitFromBytes, keepBytes } };
            calc.loadModel(model);
            const worker = new api.ImportWorker();
            const file = new Blob([bytes]);
            const mapping = (await worker.preview(preview ? file : new Blob([bytes]), calc)).columns.map((c) => c.proposed);
            self.__done.length = 0;
            const report = await worker.check(file, calc, mapping);
            calc.commitImport();
            checks.push({ report, survey: calc.projectJson({ customers: false }), done: self.__done.slice() });
            worker.dispose();
          }
          out[way + ' ' + keepBytes] = { size: bytes.length, checks };
        }
      }
      return out;
    }, { model: h.sampleModel, text: LARGE });
    const read = (done) => done.reduce((sum, [, n]) => sum + n, 0);
    for (const [name, { size, checks: [kept, fresh] }] of Object.entries(got)) {
      assert.deepEqual(kept.report, fresh.report, name);
      assert.equal(kept.survey, fresh.survey, name);
      assert.deepEqual(kept.done.map(([step]) => step), name.startsWith('two')
        ? ['stagePart', 'stagePart', 'stageMerge'] : ['stage'], name);
      assert.ok(read(fresh.done) >= size, `${name}: a check without a preview reads the file (${read(fresh.done)})`);
      if (name.endsWith('undefined')) assert.equal(read(kept.done), 0, `${name}: all kept`);
      else if (name.endsWith(' 0')) assert.equal(read(kept.done), read(fresh.done), `${name}: nothing kept`);
      else assert.ok(read(kept.done) > 0 && read(kept.done) < read(fresh.done), `${name}: some kept (${read(kept.done)} of ${size})`);
    }
  });

  it('cancelling a preview by two workers ends both', async () => {
    const page = await open({
      init: `(${countWorkers})(); self.cvcTestHooks = { importWorker: { splitFromBytes: 0, sliceDelayMs: 1500 } };`,
    });
    const result = await page.evaluate(async ({ model, text }) => {
      const api = self.CustomerValueCalculator;
      const calc = await api.create();
      calc.loadModel(model);
      const worker = new api.ImportWorker();
      const running = worker.preview(new Blob([text]), calc).then(() => 'finished', (e) => e.kind);
      while (self.__workers.started < 2) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200)); // both are reading
      worker.cancel();
      return { outcome: await running, workers: self.__workers };
    }, { model: h.sampleModel, text: LARGE });
    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(result.workers, { started: 2, ended: 2 });
  });

  it('a cancel while a worker starts or the split is looked for ends the step; a newer step replaces an older one', async () => {
    // The moments before a step's first message reaches a worker: cancel() at once (the worker
    // not yet asked for), a few ms later (the worker starting, or the split being looked for
    // with two), and a second step begun while the first starts. Each cancelled step rejects
    // with 'cancelled' and leaves no worker running; the next step works.
    const page = await open({ init: `(${countWorkers})()` });
    const got = await page.evaluate(async ({ model, text }) => {
      const api = self.CustomerValueCalculator;
      const calc = await api.create();
      calc.loadModel(model);
      const file = new Blob([text]);
      // A step that never settles (a cancel lost while its worker started) fails, not hangs.
      const outcome = (p) => Promise.race([p.then((v) => 'finished ' + v.data_rows, (e) => e.kind || String(e)),
        new Promise((r) => setTimeout(() => r('never settled'), 15000))]);
      const out = {};
      for (const [way, splitFromBytes] of [['one', Infinity], ['two', 0]]) {
        self.cvcTestHooks = { importWorker: { splitFromBytes } };
        for (const waitMs of [0, 1, 5]) {
          const worker = new api.ImportWorker();
          const running = outcome(worker.preview(file, calc));
          if (waitMs) await new Promise((r) => setTimeout(r, waitMs));
          worker.cancel();
          out[way + ' cancel after ' + waitMs + ' ms'] = await running;
          out[way + ' then'] = await outcome(worker.preview(file, calc));
          worker.dispose();
        }
        const worker = new api.ImportWorker();
        const older = outcome(worker.preview(file, calc));
        await new Promise((r) => setTimeout(r, 2));
        const newer = outcome(worker.preview(file, calc));
        out[way + ' older, newer'] = [await older, await newer];
        worker.dispose();
      }
      await new Promise((r) => setTimeout(r, 200)); // any worker a stale start made would be up
      return { out, workers: self.__workers };
    }, { model: h.sampleModel, text: SMALL });
    for (const [name, value] of Object.entries(got.out)) {
      if (name.includes('cancel after')) assert.equal(value, 'cancelled', name);
      else if (name.endsWith('then')) assert.equal(value, 'finished 300', name);
      else assert.deepEqual(value, ['cancelled', 'finished 300'], name);
    }
    assert.equal(got.workers.ended, got.workers.started, JSON.stringify(got.workers));
  });

  it('the worker instantiates the page\'s compiled module, and the bytes when it cannot', async () => {
    const expected = await h.expectedResults(h.sampleModel, { calls: [['importCsv', Buffer.from(SMALL)]] });
    const importTwice = async (page) => {
      for (const name of ['one.csv', 'two.csv']) {
        await chooseSurvey(page, SMALL, name);
        await waitForStatus(page, new RegExp('^Read "' + name.replace('.', '\\.') + '": 300 data rows'));
        await page.click('[data-testid="import-confirm"]');
        await waitForStatus(page, new RegExp('^Imported 300 rows from "' + name.replace('.', '\\.') + '"'));
        await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));
      }
      return page.evaluate(() => self.__inits);
    };
    // Shared: no compile in the worker; a worker per import (the first ends after its check).
    let page = await open({ init: watchWorkers });
    assert.deepEqual(await importTwice(page), [
      { module: true, bytes: true, from: 'module' }, { module: true, bytes: true, from: 'module' },
    ]);
    await page.context().close();
    // The worker cannot instantiate the module it was sent: it compiles the bytes.
    page = await open({ init: `self.cvcTestHooks = { importWorker: { refuseModule: true } }; (${watchWorkers})(false);` });
    assert.deepEqual(await importTwice(page), [
      { module: true, bytes: true, from: 'bytes' }, { module: true, bytes: true, from: 'bytes' },
    ]);
    await page.context().close();
    // The page cannot post a module: the worker gets the bytes only.
    page = await open({ init: `(${watchWorkers})(true)` });
    assert.deepEqual(await importTwice(page), [
      { module: false, bytes: true, from: 'bytes' }, { module: false, bytes: true, from: 'bytes' },
    ]);
  });

  it('Stop and Cancel end a running step at once; nothing changes; the next file imports', async () => {
    const page = await open({ init: () => { self.cvcTestHooks = { importWorker: { sliceDelayMs: 1500 } }; } });
    const work = await h.workSnapshot(page);
    await chooseSurvey(page, LARGE, 'large.csv');
    await page.waitForSelector('[data-testid="import-progress"]:not([hidden])');
    await page.click('[data-testid="import-stop"]');
    await waitForStatus(page, /^Reading "large\.csv" stopped; nothing changed\./);
    assert.equal(await page.isVisible('[data-testid="import-progress"]'), false);
    assert.equal(await page.isVisible('[data-testid="import-step"]'), false);
    assert.deepEqual(await h.workSnapshot(page), work);

    // Cancel while the check runs.
    await page.evaluate(() => { self.cvcTestHooks.importWorker.sliceDelayMs = 0; });
    await chooseSurvey(page, SMALL, 'small.csv');
    await waitForStatus(page, /^Read "small\.csv": 300 data rows/);
    await page.evaluate(() => { self.cvcTestHooks.importWorker.sliceDelayMs = 1500; });
    await page.click('[data-testid="import-check"]');
    await page.waitForSelector('[data-testid="import-progress"]:not([hidden])');
    await page.click('[data-testid="import-cancel"]');
    await waitForStatus(page, /^Import of "small\.csv" cancelled; nothing changed\./);
    assert.deepEqual(await h.workSnapshot(page), work);

    await page.evaluate(() => { self.cvcTestHooks.importWorker.sliceDelayMs = 0; });
    await chooseSurvey(page, SMALL, 'small.csv');
    await waitForStatus(page, /^Read "small\.csv"/);
    await page.click('[data-testid="import-confirm"]');
    await waitForStatus(page, /^Imported 300 rows from "small\.csv"/);
  });

  it('a crash inside the import worker leaves the work and its autosaved copy exactly as they were', async () => {
    const page = await open();
    await editAndAutosave(page);
    const work = await h.workSnapshot(page);
    const saved = await h.savedWork(page);
    assert.notEqual(saved.project, 'null', 'the edit was autosaved');
    session().allowProblems = true; // the uncaught error is reported in the worker's console
    for (const failKind of ['trap', 'uncaught']) {
      for (const step of ['preview', 'check']) {
        await page.evaluate(([kind, after]) => {
          self.cvcTestHooks = { importWorker: { failKind: kind, failAfterBytes: after } };
        }, [failKind, step === 'preview' ? 100000 : Infinity]);
        await chooseSurvey(page, LARGE, failKind + '.csv');
        if (step === 'check') {
          await waitForStatus(page, new RegExp('^Read "' + failKind + '\\.csv"'));
          await page.evaluate(() => { self.cvcTestHooks.importWorker.failAfterBytes = 100000; });
          await page.click('[data-testid="import-confirm"]');
        }
        await waitForStatus(page, new RegExp('^The import of "' + failKind + '\\.csv" stopped: the import worker ' +
          'failed \\(.+\\)\\. Nothing was changed\\.'));
        await page.waitForTimeout(1300); // past the autosave pause: nothing may be written
        assert.deepEqual(await h.workSnapshot(page), work, failKind + ' during ' + step);
        assert.deepEqual(await h.savedWork(page), saved, failKind + ' during ' + step);
        if (await page.isVisible('[data-testid="import-cancel"]')) await page.click('[data-testid="import-cancel"]');
      }
    }
    // A new worker takes over: the next import works.
    await page.evaluate(() => { self.cvcTestHooks = {}; });
    await chooseSurvey(page, SMALL, 'small.csv');
    await waitForStatus(page, /^Read "small\.csv"/);
    await page.click('[data-testid="import-confirm"]');
    await waitForStatus(page, /^Imported 300 rows/);
    // And the autosave carries on from the work as it was.
    await page.waitForTimeout(1300);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    assert.match(await page.textContent('[data-testid="source-text"]'), /Using survey responses: 300 respondents/);
  });

  it('a refused file, a refused project and a storage error leave the work and its saved copy as they were', async () => {
    const page = await open({
      init: () => {
        // Storage that refuses the second record of a write (the project after the survey).
        const put = IDBObjectStore.prototype.put;
        let puts = 0;
        IDBObjectStore.prototype.put = function (...args) {
          if (self.__refuseSecondPut && ++puts % 2 === 0) {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          }
          return put.apply(this, args);
        };
      },
    });
    await editAndAutosave(page);
    const saved = await h.savedWork(page);
    const work = await h.workSnapshot(page);

    // A file that is not a CSV, and a project file that is not JSON: refused, nothing changes.
    await page.setInputFiles('[data-testid="csv-input"]', { name: 'photo.csv', mimeType: 'text/csv',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]) });
    await waitForStatus(page, /^Could not import "photo\.csv": /);
    await h.chooseModelFile(page, 'project.json', '{"schema": "customer-value-project", "version": 1, "model": {');
    await page.waitForFunction(() => /project\.json/.test(document.querySelector('[data-testid="model-status"]').textContent));
    await page.waitForTimeout(1300);
    assert.deepEqual(await h.workSnapshot(page), work);
    assert.deepEqual(await h.savedWork(page), saved);

    // A storage error in the middle of a write: the change stays on screen, the saved copy as it was.
    await page.evaluate(() => { self.__refuseSecondPut = true; });
    await page.click('[data-testid="delete-0"]');
    await page.waitForFunction(() => /not autosaved/.test(document.querySelector('[data-testid="storage-status"]').textContent));
    assert.notDeepEqual(await h.workSnapshot(page), work, 'the deletion is on screen');
    const after = await h.savedWork(page);
    assert.equal(after.project, saved.project, 'the project record is as it was');
    assert.equal(after.survey, saved.survey, 'the survey record is as it was: the write was all or nothing');
  });

  it('refuses a file too large for the tab before its check, and keeps the work', async () => {
    const page = await open({ init: () => { self.cvcTestHooks = { surveyBudgetBytes: 100000 }; } });
    const work = await h.workSnapshot(page);
    await chooseSurvey(page, LARGE, 'huge.csv');
    await waitForStatus(page, /^Read "huge\.csv"/);
    await page.click('[data-testid="import-confirm"]');
    await waitForStatus(page, /60,000 rows would take about \d+ MB in this tab, more than a browser tab can hold .*Nothing was changed\. Score a file this large with the command-line runner \(cvc score/);
    assert.deepEqual(await h.workSnapshot(page), work);
  });

  it('reads the file in the page when no worker can start (a CSP without blob: workers)', async () => {
    const page = await open({
      init: () => {
        self.Worker = class {
          constructor() {
            throw new DOMException('Refused to create a worker from a blob: URL (test)', 'SecurityError');
          }
        };
      },
    });
    await chooseSurvey(page, SMALL, 'small.csv');
    await waitForStatus(page, /^Read "small\.csv": 300 data rows/);
    await page.click('[data-testid="import-confirm"]');
    await waitForStatus(page, /^Imported 300 rows from "small\.csv"/);
    const expected = await h.expectedResults(h.sampleModel, { calls: [['importCsv', Buffer.from(SMALL)]] });
    await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));
  });
});
