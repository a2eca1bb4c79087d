// Projects and share links on the page: save → open round-trips exactly (file input and drop),
// bad and newer files are refused with the field named and nothing lost, share links open the
// shared model (with data only when ticked) without touching the work saved in this browser,
// damaged links say so, and survey and customer data are autosaved in IndexedDB.
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const h = require('./harness');

const { assert } = h;
const ctx = {};
h.setUpSuite(ctx);

/** What the page shows of the current work: headline numbers and the data sources. */
async function snapshot(page) {
  return {
    net: await h.dataValue(page, 'net-value'),
    contribution: await h.dataValue(page, 'contribution-total'),
    survey: (await page.textContent('[data-testid="source-text"]')).trim(),
    customers: (await page.textContent('[data-testid="customer-source"]')).trim(),
    weight: await page.inputValue('[data-testid="weight-insights"]'),
  };
}

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="' + testid + '"]')]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), 'utf8') };
}

async function raiseInsights(page) {
  await page.locator('[data-testid="weight-insights"]').focus();
  await page.keyboard.press('ArrowRight'); // 9 → 10
  await page.waitForFunction(() => document.querySelector('[data-testid="weight-insights"]').value === '10');
}

async function chooseFile(page, name, text) {
  await page.setInputFiles('[data-testid="model-input"]', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

const modelStatus = (page) => page.textContent('[data-testid="model-status"]');

async function waitForText(page, testid, pattern) {
  await page.waitForFunction(([id, source]) => new RegExp(source).test(document.querySelector('[data-testid="' + id + '"]').textContent),
    [testid, pattern.source], { timeout: 10000 }).catch(async () => {
    assert.match(await page.textContent('[data-testid="' + testid + '"]'), pattern);
  });
}

/** Waits past the autosave pause (model 0.5 s, project 1 s). */
const afterAutosave = (page) => page.waitForTimeout(1300);

h.describeOnTargets('project', ctx, ({ open, target }) => {
  it('saves a project and opens it again exactly, by the file input and by dropping it', async () => {
    const page = await open();
    await raiseInsights(page);
    await page.click('[data-testid="delete-0"]'); // the data differs from the sample too
    const before = await snapshot(page);
    const saved = await download(page, 'save-project');
    assert.match(saved.name, /\.project\.json$/);
    const project = JSON.parse(saved.text);
    assert.equal(project.schema, 'customer-value-project');
    assert.equal(project.version, 1);
    assert.equal(project.model.items.find((i) => i.id === 'insights').weight, 10);
    assert.ok(project.survey.rows.length > 100 && project.customers.rows.length > 100);

    // Start over from the sample, then open the file: everything comes back.
    await page.click('[data-testid="load-sample"]');
    assert.notDeepEqual(await snapshot(page), before);
    await chooseFile(page, saved.name, saved.text);
    await waitForText(page, 'model-info', /^Opened "[^"]+\.project\.json": .*survey responses, .*customers\.$/);
    assert.deepEqual(await snapshot(page), before);
    assert.equal((await download(page, 'save-project')).text, saved.text, 'save → open → save gives the same bytes');

    // Dropped on the Model section.
    await page.click('[data-testid="load-sample"]');
    await h.dropFile(page, 'model-io', 'dropped.project.json', saved.text, 'application/json');
    await waitForText(page, 'model-info', /^Opened "dropped\.project\.json"/);
    assert.deepEqual(await snapshot(page), before);
  });

  it('refuses corrupt, foreign and newer project files, naming the field, and keeps the work', async () => {
    const page = await open();
    await raiseInsights(page);
    await afterAutosave(page);
    const before = await snapshot(page);
    const savedModel = await page.evaluate(() => localStorage.getItem('cvc.model.v1'));
    const project = JSON.parse((await download(page, 'save-project')).text);

    const bad = JSON.parse(JSON.stringify(project));
    bad.survey.rows[4].answers[1] = 9; // a 1–5 item
    await chooseFile(page, 'bad-answer.project.json', JSON.stringify(bad));
    await waitForText(page, 'model-status', /^Could not open "bad-answer\.project\.json": In the survey: .*row 5.*reliability.*Your current work is unchanged\.$/i);

    const newer = Object.assign({}, project, { version: 99 });
    await chooseFile(page, 'newer.project.json', JSON.stringify(newer));
    await waitForText(page, 'model-status', /newer version of the calculator \(project version 99\)/);

    await chooseFile(page, 'truncated.project.json', JSON.stringify(project).slice(0, 5000));
    await waitForText(page, 'model-status', /^Could not load "truncated\.project\.json": .*line 1/);

    await chooseFile(page, 'foreign.json', '{"orders": [1, 2, 3]}');
    await waitForText(page, 'model-status', /^Could not load "foreign\.json": /);

    assert.deepEqual(await snapshot(page), before);
    await afterAutosave(page);
    assert.equal(await page.evaluate(() => localStorage.getItem('cvc.model.v1')), savedModel, 'the autosaved copy is unchanged');
  });

  it('shares the model in a link; data only when ticked; the own work stays saved', async () => {
    const page = await open();
    const sample = await snapshot(page);
    await raiseInsights(page);
    await page.click('[data-testid="delete-0"]');
    const shared = await snapshot(page);
    await page.click('[data-testid="make-share-link"]');
    await waitForText(page, 'share-status', /^The link holds the model \(/);
    const modelOnly = await page.inputValue('[data-testid="share-link"]');
    assert.match(modelOnly, /#cvc1\.[A-Za-z0-9_-]+$/);
    await page.check('[data-testid="share-survey"]');
    await page.check('[data-testid="share-customers"]');
    await page.click('[data-testid="make-share-link"]');
    await waitForText(page, 'share-status', /^The link holds the model, \d+ survey responses, \d+ customers/);
    const withData = await page.inputValue('[data-testid="share-link"]');
    assert.ok(withData.length > modelOnly.length);

    // Someone else opens the link with data: exactly the shared work.
    const other = await open();
    await other.goto(withData);
    await other.waitForSelector('body[data-state="ready"]');
    await waitForText(other, 'link-notice-text', /^Opened from a share link: /);
    assert.deepEqual(await snapshot(other), shared);
    assert.equal(await other.evaluate(() => location.hash), '', 'the link is taken out of the address bar');

    // Without data: the model only (this page then has no survey and no customers).
    await other.goto(modelOnly);
    await other.waitForSelector('body[data-state="ready"]');
    await waitForText(other, 'link-notice-text', /^Opened from a share link: .*0 survey responses, 0 customers/);
    assert.equal(await other.inputValue('[data-testid="weight-insights"]'), '10');

    // The person's own work, saved in this browser, is untouched by opening a link.
    await afterAutosave(page);
    await page.goto(modelOnly);
    await page.waitForSelector('body[data-state="ready"]');
    await waitForText(page, 'link-notice-text', /^Opened from a share link/);
    await page.click('[data-testid="link-back"]');
    await waitForText(page, 'link-notice-text', /^Back to your own work/);
    assert.deepEqual(await snapshot(page), shared);
    await page.goto(modelOnly);
    await page.waitForSelector('body[data-state="ready"]');
    await afterAutosave(page);
    await page.reload(); // not kept: the own work comes back
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(await snapshot(page), shared);
    assert.notDeepEqual(shared, sample);
  });

  it('says what is wrong with a damaged or foreign link, and the page stays usable', async () => {
    const page = await open();
    const before = await snapshot(page);
    const base = target.url(ctx);
    const cases = [
      ['#cvc1.%%%garbage', /Could not open the link in the address bar: The link is damaged: "%" at position 1/],
      ['#cvc1.AAAAAAAAAAAA', /The link is damaged: its data does not unpack/],
      ['#cvc7.AAAA', /format 7/],
      ['#<img src=x onerror=alert(1)>', /not a Customer Value Calculator share link/],
    ];
    for (const [hash, pattern] of cases) {
      await page.goto(base + hash);
      await page.waitForSelector('body[data-state="ready"]');
      await waitForText(page, 'link-notice-text', pattern);
      assert.equal(await page.getAttribute('[data-testid="link-notice-text"]', 'role'), 'alert');
      assert.deepEqual(await snapshot(page), before);
    }
    assert.equal(await page.locator('[data-testid="link-notice"] img').count(), 0, 'the hash is shown as text');
    // An in-page anchor is not a link.
    await page.goto('about:blank');
    await page.goto(base + '#survey-heading');
    await page.waitForSelector('body[data-state="ready"]');
    assert.equal(await page.isVisible('[data-testid="link-notice"]'), false);
  });

  it('autosaves survey and customer edits and restores them after a reload', async () => {
    const page = await open();
    const sample = await snapshot(page);
    await page.click('[data-testid="delete-0"]');
    await page.click('[data-testid="customer-delete-0"]');
    const edited = await snapshot(page);
    assert.notDeepEqual(edited, sample);
    await afterAutosave(page);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(await snapshot(page), edited);
    assert.equal(await page.isVisible('[data-testid="restore-notice"]'), true);
    // "Start over" forgets the data too.
    await page.click('[data-testid="start-over"]');
    await afterAutosave(page);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(await snapshot(page), sample);
  });

  it('keeps an imported survey as its arrays, written again only when the survey changes', async () => {
    const page = await open();
    const csv = 'respondent_id,segment:Company size,nps,benefit:Service quality and responsiveness,cost:Price and subscription fees\r\n' +
      'A1,SMB,9,5,2\r\nA2,Enterprise,3,2,4\r\nA3,,10,,1\r\n';
    await page.setInputFiles('[data-testid="csv-input"]', { name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await waitForText(page, 'import-status', /^Read "three\.csv"/);
    await page.click('[data-testid="import-confirm"]');
    await waitForText(page, 'import-status', /^Imported 3 rows/);
    await afterAutosave(page);
    const [project, survey] = await page.evaluate(() => self.__cvcIdb('get', ['cvc.model.v1', 'cvc.model.v1:survey']));
    assert.equal(project.format, 2);
    assert.equal(typeof project.project, 'string');
    assert.equal(JSON.parse(project.project).survey, undefined, 'the project record leaves the survey out');
    assert.equal(project.survey, survey.stamp);
    assert.equal(JSON.parse(survey.header).rows, 3);
    assert.ok(survey.parts.length > 0);
    // Kept as Blobs, which IndexedDB takes by reference (keep.js): no long copy on the page's thread.
    assert.equal(await page.evaluate(async () => (await self.__cvcIdb('get', ['cvc.model.v1:survey']))[0].parts
      .every((part) => part instanceof Blob)), true);
    // A weight change rewrites the project record only.
    const before = await h.savedWork(page);
    await raiseInsights(page);
    await afterAutosave(page);
    const after = await h.savedWork(page);
    assert.notEqual(after.project, before.project);
    assert.equal(after.survey, before.survey);
    // Both come back after a reload.
    const shown = await snapshot(page);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(await snapshot(page), shown);
    assert.match(shown.survey, /Using survey responses: 0 respondents \(3 excluded: skipped an item\)/); // each skipped one
  });

  it('restores an import after a reload once the autosave pause is over, and a survey an older page kept as ArrayBuffers', async () => {
    const page = await open();
    const csv = 'respondent_id,nps,benefit:Service quality and responsiveness\r\nA1,9,5\r\nA2,3,2\r\nA3,10,4\r\n';
    await page.setInputFiles('[data-testid="csv-input"]', { name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await waitForText(page, 'import-status', /^Read "three\.csv"/);
    await page.click('[data-testid="import-confirm"]');
    await waitForText(page, 'import-status', /^Imported 3 rows/);
    await h.partsDrawn(page); // the parts drawn after the status
    const shown = await snapshot(page);
    // Just past the pause: the survey's arrays are made into Blobs a task each before the write.
    await afterAutosave(page);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(await snapshot(page), shown);
    // The arrays as pages before the Blobs stored them.
    await page.evaluate(async () => {
      const [survey] = await self.__cvcIdb('get', ['cvc.model.v1:survey']);
      survey.parts = await Promise.all(survey.parts.map((part) => part.arrayBuffer()));
      await self.__cvcIdb('put', ['cvc.model.v1:survey'], [survey]);
    });
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    assert.deepEqual(await snapshot(page), shown);
  });

  it('restores a project an older page saved as one JSON text', async () => {
    const page = await open();
    // What the older page wrote: the model in localStorage, the whole project under the key.
    const api = require(h.apiFile);
    const calc = await api.create();
    calc.loadModel(h.sampleModel);
    calc.setWeight('insights', 10);
    calc.setResponseRecords(h.surveyRecords().slice(0, 50));
    const project = calc.projectJson();
    const model = JSON.stringify(calc.model());
    const expected = calc.results();
    calc.dispose();
    await page.evaluate(([m, p]) => {
      localStorage.setItem('cvc.model.v1', m);
      return self.__cvcIdb('put', ['cvc.model.v1'], [p]);
    }, [model, project]);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    assert.match((await snapshot(page)).survey, /Using survey responses: 45 respondents \(5 excluded/); // 50 rows
    await h.waitForValue(page, 'net-value', String(expected.overall.net_value.mean));
    // Written again in the current format.
    await afterAutosave(page);
    const [record] = await page.evaluate(() => self.__cvcIdb('get', ['cvc.model.v1']));
    assert.equal(record.format, 2);
  });

  it('reports a damaged saved survey, shows the start-up work and keeps the saved copy', async () => {
    const page = await open();
    await page.click('[data-testid="delete-0"]');
    await raiseInsights(page);
    await afterAutosave(page);
    // A rating of 99 on a 1–5 item, as a damaged disk or another program might leave it.
    await page.evaluate(async () => {
      const [survey] = await self.__cvcIdb('get', ['cvc.model.v1:survey']);
      const first = new Uint8Array(await survey.parts[1].arrayBuffer());
      first[0] = 99;
      survey.parts[1] = new Blob([first]);
      await self.__cvcIdb('put', ['cvc.model.v1:survey'], [survey]);
    });
    const damaged = await h.savedWork(page);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    await waitForText(page, 'storage-status', /could not be restored \(The survey data is damaged: item "reliability" of respondent 1 is not a valid answer\.\); they are kept as they were/);
    const shown = await snapshot(page);
    assert.match(shown.survey, /Using survey responses: 150 respondents \(10 excluded/, 'the sample survey (160 rows), as at start-up');
    assert.equal(shown.weight, '10', 'the saved model is still restored');
    await page.locator('[data-testid="weight-insights"]').press('ArrowLeft'); // any change at all
    await afterAutosave(page);
    assert.deepEqual(await h.savedWork(page), Object.assign({}, damaged, { model: (await h.savedWork(page)).model }),
      'the saved survey and project are not written over');
  });

  it('reports a full IndexedDB and keeps the model autosave and the work', async () => {
    const page = await open({
      init: () => {
        IDBObjectStore.prototype.put = function () {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      },
    });
    await page.click('[data-testid="delete-0"]');
    await waitForText(page, 'storage-status', /Survey and customer data are not autosaved: .*storage .* is full/);
    await raiseInsights(page);
    await afterAutosave(page);
    const model = JSON.parse(await page.evaluate(() => localStorage.getItem('cvc.model.v1')));
    assert.equal(model.items.find((i) => i.id === 'insights').weight, 10);
  });
});
