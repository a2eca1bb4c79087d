// Locale, currency and chart downloads, end to end in headless Chromium, served over http and
// opened from file://: numbers, amounts, percentages and dates in the chosen locale (chart labels
// included), the model's currency from its menu, both kept after a reload, two instances on one
// page each in its own locale, inputs and the results CSV left locale-neutral, and every chart
// downloaded as an SVG that parses as XML (user labels as text) and as a PNG.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const h = require('./harness.js');
const { assert } = h;

const LOCALE_KEY = 'cvc.locale.v1';
const MODEL_KEY = 'cvc.model.v1';
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'sv-SE', 'pt-BR', 'ja-JP', 'zh-CN', 'hi-IN'];
const XSS = '<img src=x onerror=alert(1)>';
const CHARTS = ['bc-chart', 'tornado-chart', 'nps-chart', 'histogram-chart', 'value-map-chart', 'health-chart'];
const ctx = {};

h.setUpSuite(ctx, async () => {
  ctx.sample = await h.expectedResults(h.sampleModel, { survey: true });
  ctx.builtPage = fs.readFileSync(h.pageFile, 'utf8');
});

/** x as de-DE writes it, worked out here without Intl: "1.234,5". */
function german(x, digits) {
  const [whole, fraction] = Math.abs(x).toFixed(digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (x < 0 && Number(x.toFixed(digits)) !== 0 ? '\u2212' : '') + grouped + (fraction ? ',' + fraction : '');
}

/** Chooses a locale and a currency in the page's menus (in `scope`, a shadow host, when given). */
async function choose(page, { locale, currency, scope = '' }) {
  if (locale !== undefined) await page.selectOption(scope + ' [data-testid="locale-select"]', locale);
  if (currency !== undefined) await page.selectOption(scope + ' [data-testid="currency-select"]', currency);
}

/** Text of an element with its unrounded number, in `scope`: {text, value}. */
async function metric(page, id, scope = '') {
  const node = page.locator(scope + ' #' + id);
  return { text: (await node.textContent()).trim(), value: Number(await node.getAttribute('data-value')) };
}

/** Waits until the page has saved the model with this currency. */
function waitForSavedCurrency(page, currency) {
  return page.waitForFunction(([key, code]) => {
    const text = localStorage.getItem(key);
    return text !== null && JSON.parse(text).currency === code;
  }, [MODEL_KEY, currency], { timeout: 5000 });
}

/** Clicks a download button; resolves to {name, bytes}. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

h.describeOnTargets('locale and currency', ctx, ({ open, session }) => {
  it('shows de-DE numbers, percentages, dates and chart labels, and € amounts after choosing EUR', async () => {
    const page = await open();
    assert.equal(await page.inputValue('[data-testid="locale-select"]'), '', 'the browser default to begin with');
    assert.equal(await page.inputValue('[data-testid="currency-select"]'), 'USD');
    await choose(page, { locale: 'de-DE', currency: 'EUR' });

    const net = await metric(page, 'net-value');
    assert.equal(net.value, ctx.sample.overall.net_value.mean, 'the number itself is unchanged');
    assert.equal(net.text, german(net.value, 1));
    assert.match(net.text, /^\d+,\d$/);
    const ci = ctx.sample.overall.net_value;
    assert.equal(await page.textContent('#net-value-ci'), '95% CI ' + german(ci.ci_low, 1) + ' to ' +
      german(ci.ci_high, 1) + ', n = ' + ci.n);
    // Amounts in euros, grouped the German way; small ones with decimal commas.
    const revenue = await metric(page, 'revenue-total');
    assert.ok(revenue.value >= 1000);
    assert.match(revenue.text, /^\d{1,3}(\.\d{3})+\s€$/);
    assert.equal(revenue.text.replace(/\s€$/, ''), german(revenue.value, 0));
    const quadrants = await page.textContent('[data-testid="quadrant-table"]');
    assert.match(quadrants, /\d,\d\d\s€/, 'amounts under 1.000 € keep their cents: ' + quadrants.slice(0, 200));
    assert.doesNotMatch(quadrants, /\$/);
    // Percentages and dates.
    assert.match(await page.textContent('[data-testid="csat"]'), /^\d+\s%$/);
    assert.match(await page.textContent('[data-testid="customer-source"]'), /tenure as of \d{2}\.\d{2}\.\d{4}\./);
    // Chart labels: the contribution chart's totals and the map's value axis.
    const totals = await page.textContent('#bc-chart svg .chart-heading');
    assert.equal(totals, 'Totals (net value ' + german(net.value, 1) + ')');
    assert.match(await page.textContent('#value-map-chart svg'), /\d\.\d{3}\s€/);
    assert.match(await page.textContent('#nps-chart svg'), /\d+\s%/);
    // The quick calculators' amounts follow the model's currency and the locale too.
    assert.match(await page.textContent('[data-testid="quick-saas-ltv"]'), /^[\d.,]+\s€ per account$/);
    await h.assertNoBrokenNumbers(page);
  });

  it('shows yen without decimals in ja-JP', async () => {
    const page = await open();
    await choose(page, { locale: 'ja-JP', currency: 'JPY' });
    const text = await h.visibleText(page);
    const amounts = text.match(/[¥￥]\s?[\d,]+(\.\d+)?/g) || [];
    assert.ok(amounts.length > 20, 'amounts in yen: ' + amounts.slice(0, 5).join(' '));
    assert.deepEqual(amounts.filter((a) => a.includes('.')), [], 'no yen amount has decimals');
    assert.doesNotMatch(text, /\$\d|€/);
    // The same amounts in US dollars do have cents (so the test above means something).
    await choose(page, { locale: 'en-US', currency: 'USD' });
    assert.match(await page.textContent('[data-testid="quadrant-table"]'), /\$\d+\.\d\d/);
    await h.assertNoBrokenNumbers(page);
  });

  it('keeps the locale and the currency after a reload, and forgets the locale for "Browser default"', async () => {
    const page = await open();
    await choose(page, { locale: 'de-DE', currency: 'EUR' });
    await waitForSavedCurrency(page, 'EUR');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), LOCALE_KEY), 'de-DE');
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]', { timeout: 15000 });
    assert.equal(await page.inputValue('[data-testid="locale-select"]'), 'de-DE');
    assert.equal(await page.inputValue('[data-testid="currency-select"]'), 'EUR');
    const net = await metric(page, 'net-value');
    assert.equal(net.text, german(net.value, 1));
    assert.match(await page.textContent('#revenue-total'), /\s€$/);
    // The survey and the customers are still there: the currency is model information only.
    assert.equal(net.value, ctx.sample.overall.net_value.mean);

    await choose(page, { locale: '' });
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), LOCALE_KEY), null);
    assert.equal((await metric(page, 'net-value')).text, net.value.toFixed(1), 'the browser here is en-US');
  });

  it('works without storage: the locale applies, and is silently not remembered', async () => {
    const page = await open({
      init: () => {
        Storage.prototype.setItem = () => {
          throw new DOMException('blocked by the test', 'SecurityError');
        };
      },
    });
    await choose(page, { locale: 'fr-FR' });
    const net = await metric(page, 'net-value');
    assert.match(net.text, /^\d+,\d$/);
    assert.deepEqual(session().problems, []);
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]', { timeout: 15000 });
    assert.equal(await page.inputValue('[data-testid="locale-select"]'), '');
  });

  it('shows no broken number in any offered locale, and keeps inputs and the results CSV locale-neutral', async () => {
    const page = await open();
    const offered = await page.$$eval('[data-testid="locale-select"] option', (options) => options.map((o) => o.value));
    assert.deepEqual(offered, [''].concat(LOCALES));
    for (const locale of LOCALES) {
      await choose(page, { locale });
      await h.assertNoBrokenNumbers(page);
    }
    await choose(page, { locale: 'de-DE' });
    // Inputs show plain numbers with a dot and read them back in every locale.
    assert.equal(await page.inputValue('[data-testid="score-insights"]'), String(h.sampleModel.items[0].score));
    const score = page.locator('[data-testid="score-price"]');
    await score.fill('3.5');
    await score.press('Enter');
    assert.equal(await page.isVisible('[data-testid="score-error-price"]'), false);
    assert.equal(await score.inputValue(), '3.5');
    // The results CSV is written by the core, unlocalized.
    const csv = (await download(page, '[data-testid="export-results-csv"]')).bytes.toString('utf8');
    assert.ok(csv.includes(String(ctx.sample.overall.net_value.mean)), 'the unrounded net value with a dot');
  });
});

h.describeOnTargets('two instances in their own locales', ctx, ({ open }) => {
  it('formats each calculator in its own locale and currency', async () => {
    const page = await open();
    const SECOND = '[data-testid="second-calculator"]';
    await h.addEmbeddedCalculator(page, ctx.builtPage, { options: { locale: 'de-DE', currency: 'EUR' } });
    const mean = ctx.sample.overall.net_value.mean;
    assert.equal((await metric(page, 'net-value', '#main')).text, mean.toFixed(1));
    assert.equal((await metric(page, 'net-value', SECOND)).text, german(mean, 1));
    assert.match(await page.textContent('#main #revenue-total'), /^\$[\d,]+$/);
    assert.match(await page.textContent(SECOND + ' #revenue-total'), /^[\d.]+\s€$/);
    assert.equal(await page.inputValue(SECOND + ' [data-testid="locale-select"]'), 'de-DE');
    assert.equal(await page.inputValue(SECOND + ' [data-testid="currency-select"]'), 'EUR');

    // Changing one leaves the other alone; the embedded one does not store its choice.
    await choose(page, { locale: 'ja-JP', scope: SECOND });
    assert.equal((await metric(page, 'net-value', SECOND)).text, mean.toFixed(1));
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), LOCALE_KEY), null);
    await choose(page, { locale: 'fr-FR', scope: '#main' });
    assert.match((await metric(page, 'net-value', '#main')).text, /^\d+,\d$/);
    assert.match(await page.textContent(SECOND + ' #revenue-total'), /^€[\d,]+$/, 'ja-JP writes euros as €1,234');
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), LOCALE_KEY), 'fr-FR');
    await h.assertNoBrokenNumbers(page);
  });

  it('falls back to the browser default for a locale it cannot use, and says so for a refused currency', async () => {
    const page = await open();
    const SECOND = '[data-testid="second-calculator"]';
    await h.addEmbeddedCalculator(page, ctx.builtPage, { options: { locale: 'not a locale!', currency: 'euro' } });
    assert.equal(await page.inputValue(SECOND + ' [data-testid="locale-select"]'), '');
    assert.equal(await page.inputValue(SECOND + ' [data-testid="currency-select"]'), 'USD');
    assert.match(await page.textContent(SECOND + ' [data-testid="model-status"]'), /currency .euro. asked for was refused/);
    await h.assertNoBrokenNumbers(page);
  });
});

h.describeOnTargets('chart downloads', ctx, ({ open }) => {
  it('downloads every chart as an SVG that parses as XML and as a PNG, user labels as text', async () => {
    const page = await open();
    let alerted = false;
    page.on('dialog', (dialog) => {
      alerted = true;
      dialog.dismiss();
    });
    const model = JSON.parse(JSON.stringify(h.sampleModel));
    model.items[0].label = XSS;
    await h.chooseModelFile(page, 'xss.json', JSON.stringify(model));
    await page.waitForFunction(() => /Loaded/.test(document.querySelector('[data-testid="model-info"]').textContent));
    await page.click('[data-testid="reload-survey"]'); // a new model drops the survey; every chart needs it back
    await page.locator('#histogram-chart svg').waitFor();
    await choose(page, { locale: 'de-DE' }); // the export shows what the page shows

    for (const id of CHARTS) {
      const title = (await page.textContent('figure:has(#' + id + ') .chart-title')).trim();
      const svgButton = page.getByRole('button', { name: 'Download ' + title + ' as SVG' });
      const pngButton = page.getByRole('button', { name: 'Download ' + title + ' as PNG' });
      assert.equal(await svgButton.count(), 1, id + ' has its SVG button');
      assert.equal(await pngButton.count(), 1, id + ' has its PNG button');

      const svg = await download(page, '[data-testid="export-svg-' + id + '"]');
      assert.match(svg.name, /^[a-z0-9-]+\.svg$/);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          error: doc.getElementsByTagName('parsererror').length > 0,
          root: doc.documentElement.localName,
          namespace: doc.documentElement.namespaceURI,
          texts: Array.from(doc.getElementsByTagName('text'), (t) => t.textContent),
          title: (doc.querySelector('svg > title') || { textContent: '' }).textContent,
          foreign: doc.querySelectorAll('img, foreignObject, script').length,
          background: (doc.querySelector('svg > rect') || { getAttribute: () => '' }).getAttribute('fill'),
          styled: doc.querySelectorAll('[style]').length,
          classes: doc.querySelectorAll('[class]').length,
        };
      }, svg.bytes.toString('utf8'));
      assert.equal(parsed.error, false, id + ': the SVG parses as XML');
      assert.equal(parsed.root, 'svg');
      assert.equal(parsed.namespace, 'http://www.w3.org/2000/svg');
      // The card's title heads the picture (with the chart's own summary when that starts the same way).
      assert.ok(parsed.texts[0].startsWith(title), id + ': the SVG starts with the chart\'s title "' + title + '": ' + parsed.texts[0]);
      assert.ok(parsed.title.startsWith(title), id + ': and is named by it: ' + parsed.title);
      assert.equal(parsed.background, '#ffffff', id + ': a white background');
      assert.ok(parsed.styled > 5 && parsed.classes === 0, id + ': inline styles, no stylesheet classes');
      assert.equal(parsed.foreign, 0, id + ': nothing but SVG in it');
      if (id === 'bc-chart') {
        assert.ok(parsed.texts.includes(XSS), 'the user label is text in the SVG: ' + parsed.texts.slice(0, 8).join(' | '));
        assert.ok(svg.bytes.toString('utf8').includes('&lt;img src=x onerror=alert(1)&gt;'), 'XML-escaped');
        assert.ok(parsed.texts.some((t) => /^Totals \(net value \d+,\d\)$/.test(t)), 'the chart as the page shows it');
      }

      const png = await download(page, '[data-testid="export-png-' + id + '"]');
      assert.match(png.name, /^[a-z0-9-]+\.png$/);
      assert.ok(png.bytes.length > 1000, id + ': the PNG has a picture in it (' + png.bytes.length + ' bytes)');
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], id + ': PNG signature');
      // Drawn at 2×: the PNG's width (IHDR) is twice the SVG's.
      const svgWidth = Number(/<svg[^>]* width="(\d+)"/.exec(svg.bytes.toString('utf8'))[1]);
      assert.equal(png.bytes.readUInt32BE(16), 2 * svgWidth, id + ': drawn at twice the size');
    }
    assert.equal(alerted, false, 'no label ran as markup');
    assert.equal(await page.evaluate(() => document.querySelectorAll('.chart-export-status:not(:empty)').length), 0);
  });

  it('says why when a chart has nothing to download', async () => {
    const page = await open();
    await page.click('[data-testid="use-entered"]'); // no survey: no histogram
    await page.locator('#histogram-chart .chart-empty').waitFor();
    await page.click('[data-testid="export-png-histogram-chart"]');
    assert.match(await page.textContent('figure:has(#histogram-chart) .chart-export-status'),
      /^There is no chart to download: No survey data/);
  });
});
