// Accessibility of the page, end to end in headless Chromium, served over http and opened from
// file://. axe-core's WCAG 2.1 A and AA rules fail the test on any serious or critical violation,
// in several states: as loaded, with every <details> open, at 375 px wide, with the import mapping
// steps and problem reports open, with the customer form open, after refused input and when the
// engine cannot start. The contrast of SVG chart text and of placeholders (which axe leaves
// unchecked) is measured here. Every chart has a name, a description and a data table; Tab reaches
// every control, each with a visible focus indicator; sliders move with the arrow keys and
// announce their value.
// Run: node --no-experimental-fetch --test tests/browser/
'use strict';
const { it } = require('node:test');
const fs = require('node:fs');
const h = require('./harness.js');
const { assert } = h;

const ctx = {};
// Injected with page.evaluate, which the page's Content-Security-Policy does not apply to.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = ['serious', 'critical'];

h.setUpSuite(ctx);

/** axe-core's WCAG 2.1 A/AA violations of the whole document, nodes included. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ impact: n.impact, target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
}

/** One readable paragraph per violation: rule, impact, help, then each node's selector, markup and reason. */
function describeViolations(violations) {
  return violations.map((v) => '- ' + v.id + ' (' + v.impact + '): ' + v.help + ' [' + v.helpUrl + ']\n' +
    v.nodes.slice(0, 8).map((n) => '    ' + n.target + '\n      ' + n.html.replace(/\s+/g, ' ').slice(0, 200) + '\n      ' +
      String(n.summary || '').replace(/\s+/g, ' ').slice(0, 300)).join('\n') +
    (v.nodes.length > 8 ? '\n    … and ' + (v.nodes.length - 8) + ' more' : '')).join('\n');
}

/** Fails on any serious or critical axe violation, naming the page's state. */
async function assertAxeClean(page, state) {
  const blocking = (await axeViolations(page))
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => BLOCKING.includes(n.impact)) }))
    .filter((v) => v.nodes.length > 0);
  assert.ok(blocking.length === 0, 'axe found ' + blocking.length + ' serious or critical WCAG 2.1 A/AA violation(s) ' +
    state + ':\n' + describeViolations(blocking));
}

/**
 * Defines window.__contrast in the page: WCAG 2.x relative luminance and contrast ratio, CSS
 * colour parsing, alpha compositing, and the background an element is painted on.
 */
async function installContrast(page) {
  await page.evaluate(() => {
    const parse = (c) => {
      const m = /rgba?\(([^)]+)\)/.exec(c || '');
      if (!m) return null;
      const [r, g, b, a] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [r, g, b, a === undefined ? 1 : a];
    };
    const over = (top, alpha, bottom) => top.slice(0, 3).map((v, i) => v * alpha + bottom[i] * (1 - alpha));
    const luminance = (rgb) => {
      const [r, g, b] = rgb.map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const background = (node) => {
      const layers = [];
      for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let rgb = [255, 255, 255];
      for (const c of layers.reverse()) rgb = over(c, c[3], rgb);
      return rgb;
    };
    const rgb = (c) => 'rgb(' + c.map(Math.round).join(', ') + ')';
    window.__contrast = { parse, over, ratio, background, rgb };
  });
}

/**
 * Contrast of every SVG chart text against what it is drawn on (axe reports SVG text as
 * "incomplete": it cannot tell the background). The backdrop is the card's background, then each
 * shape of the same chart painted before the text under its centre, or the text's own halo
 * (paint-order: stroke). Returns how many texts were measured and those below 4.5:1 (3:1 for
 * large text).
 */
async function svgTextContrast(page) {
  await installContrast(page);
  return page.evaluate(() => {
    const { parse, over, ratio, background, rgb } = window.__contrast;
    const problems = [];
    let checked = 0;
    for (const svg of document.querySelectorAll('svg.chart')) {
      if (!svg.getClientRects().length) continue;
      const cardBackground = background(svg.parentElement);
      const shapes = Array.from(svg.querySelectorAll('rect, circle, path, polygon'));
      for (const text of svg.querySelectorAll('text')) {
        const style = getComputedStyle(text);
        const box = text.getBoundingClientRect();
        if (!text.textContent.trim() || box.width === 0 || style.visibility === 'hidden') continue;
        const fill = parse(style.fill);
        if (!fill) continue;
        let backdrop = cardBackground;
        const cx = box.left + box.width / 2;
        const cy = box.top + box.height / 2;
        for (const shape of shapes) {
          if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
          const r = shape.getBoundingClientRect();
          if (cx < r.left || cx > r.right || cy < r.top || cy > r.bottom) continue;
          const s = getComputedStyle(shape);
          const shapeFill = parse(s.fill);
          if (!shapeFill || s.display === 'none') continue;
          backdrop = over(shapeFill, shapeFill[3] * Number(s.fillOpacity) * Number(s.opacity), backdrop);
        }
        const halo = parse(style.stroke);
        if (halo && style.paintOrder.startsWith('stroke') && parseFloat(style.strokeWidth) >= 2) backdrop = halo.slice(0, 3);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const minimum = large ? 3 : 4.5;
        const color = over(fill, fill[3] * Number(style.fillOpacity) * Number(style.opacity), backdrop);
        const contrast = ratio(color, backdrop);
        checked++;
        if (contrast < minimum) {
          problems.push((svg.parentElement.id || 'a chart') + ': "' + text.textContent.slice(0, 40) + '" (' +
            text.getAttribute('class') + ') has ' + contrast.toFixed(2) + ':1, needs ' + minimum + ':1 (text ' + rgb(color) +
            ' on ' + rgb(backdrop) + ')');
        }
      }
    }
    return { checked, problems };
  });
}

/**
 * Contrast of the placeholder text of every visible, empty field against the field's own
 * background (axe does not check placeholders). Returns how many were measured and those below 4.5:1.
 */
async function placeholderContrast(page) {
  await installContrast(page);
  return page.evaluate(() => {
    const { parse, over, ratio, background, rgb } = window.__contrast;
    const problems = [];
    let checked = 0;
    for (const field of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      if (field.value !== '' || !field.placeholder || !field.getClientRects().length) continue;
      const style = getComputedStyle(field, '::placeholder');
      const color = parse(style.color);
      const backdrop = background(field);
      const shown = over(color, color[3] * Number(style.opacity || 1), backdrop);
      const contrast = ratio(shown, backdrop);
      checked++;
      if (contrast < 4.5) {
        problems.push((field.id || field.dataset.testid) + ': placeholder "' + field.placeholder + '" has ' + contrast.toFixed(2) +
          ':1 (' + rgb(shown) + ' on ' + rgb(backdrop) + ')');
      }
    }
    return { checked, problems };
  });
}

/** Opens every <details> on the page (chart data, settings, method, paste box). */
async function openAllDetails(page) {
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
}

h.describeOnTargets('accessibility', ctx, ({ open, session }) => {
  it('has no serious or critical axe violations as loaded, with every details section open, and on a narrow screen', async () => {
    const page = await open();
    await assertAxeClean(page, 'on the page as loaded (sample model, survey and customers)');
    await openAllDetails(page);
    await assertAxeClean(page, 'with every <details> section open');
    const placeholders = await placeholderContrast(page);
    assert.ok(placeholders.checked >= 2, 'measured ' + placeholders.checked + ' placeholders');
    assert.deepEqual(placeholders.problems, [], 'placeholder text');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(200); // the charts redraw at the new width
    await assertAxeClean(page, 'on a 375 px wide screen');
    const narrow = await svgTextContrast(page);
    assert.ok(narrow.checked > 50, 'measured ' + narrow.checked + ' chart texts');
    assert.deepEqual(narrow.problems, [], 'chart text on a narrow screen');
  });

  it('has no serious or critical axe violations with the survey import\'s mapping step and its problem report open', async () => {
    const page = await open();
    await page.setInputFiles('[data-testid="csv-input"]', h.csvFixture('small-survey.csv'));
    await page.locator('[data-testid="import-step"]').waitFor();
    await page.locator('[data-testid="mapping-table"] tbody tr').first().waitFor();
    await assertAxeClean(page, 'with the mapping step of small-survey.csv open');

    await page.click('[data-testid="import-cancel"]');
    await page.setInputFiles('[data-testid="csv-input"]', h.csvFixture('bad-rows.csv'));
    await page.locator('[data-testid="import-step"]').waitFor();
    await page.click('[data-testid="import-confirm"]');
    await page.locator('[data-testid="import-report"]').waitFor();
    assert.ok(await page.locator('[data-testid="problems-table"] tbody tr').count() > 0, 'bad-rows.csv lists its problems');
    await assertAxeClean(page, 'with the problem report of bad-rows.csv open');

    // The customer import's mapping step, too.
    await page.setInputFiles('[data-testid="customer-csv-input"]', h.csvFixture('customers-bad.csv'));
    await page.locator('[data-testid="customer-import-step"]').waitFor();
    await page.click('[data-testid="customer-import-confirm"]');
    await page.locator('[data-testid="customer-import-report"]').waitFor();
    await assertAxeClean(page, 'with the customer import\'s mapping step and problem report open');
  });

  it('has no serious or critical axe violations with the customer edit form open, also showing field errors', async () => {
    const page = await open();
    const dialog = page.locator('[data-testid="customer-editor"]');
    await page.click('[data-testid="customer-edit-0"]');
    await dialog.waitFor();
    await assertAxeClean(page, 'with the Edit customer form open');
    await page.locator('[data-testid="customer-field-support_hours"]').fill('lots');
    await page.click('[data-testid="customer-save"]');
    await page.locator('[data-testid="customer-editor"] [aria-invalid="true"]').first().waitFor();
    await assertAxeClean(page, 'with the Edit customer form showing a refused value');
    await page.click('[data-testid="customer-cancel"]');
    await page.click('[data-testid="customer-add"]');
    await dialog.waitFor();
    await assertAxeClean(page, 'with the Add a customer form open');
  });

  it('has no serious or critical axe violations after a refused model file and when the engine cannot start', async () => {
    let page = await open();
    const heavy = JSON.parse(JSON.stringify(h.sampleModel));
    heavy.items[0].weight = 11;
    await h.chooseModelFile(page, 'heavy.json', JSON.stringify(heavy));
    await page.waitForFunction(() => /got 11/.test(document.querySelector('[data-testid="model-status"]').textContent));
    await assertAxeClean(page, 'with a refused model file\'s message showing');
    // An emptied score: refused, and its placeholder (the scale) shows on the error background.
    await page.fill('[data-testid="score-price"]', '');
    await page.press('[data-testid="score-price"]', 'Tab');
    await page.locator('[data-testid="score-error-price"]').waitFor();
    await assertAxeClean(page, 'with a refused entered score');
    const placeholders = await placeholderContrast(page);
    assert.ok(placeholders.checked >= 1, 'measured the emptied score\'s placeholder');
    assert.deepEqual(placeholders.problems, [], 'placeholder text on a refused field');
    assert.deepEqual(session().problems, [], 'the page logged errors');
    await session().close();

    page = await open({
      waitFor: 'error',
      init: h.refuseWebAssembly,
    });
    session().allowProblems = true; // the module itself logs its failure to the console
    assert.equal(await page.isVisible('[data-testid="fatal-error"]'), true);
    await assertAxeClean(page, 'when the calculation engine cannot start');
  });

  it('gives every chart role="img", a name, a description and a data table, and chart text 4.5:1 contrast', async () => {
    const page = await open();
    const charts = await page.evaluate(() => Array.from(document.querySelectorAll('.chart-svg')).map((host) => {
      const svg = host.querySelector('svg');
      const text = (ids) => (ids || '').split(/\s+/).filter(Boolean)
        .map((id) => (document.getElementById(id) || { textContent: '' }).textContent.trim()).join(' ');
      const figure = host.closest('figure');
      return {
        id: host.id,
        svg: !!svg,
        role: svg && svg.getAttribute('role'),
        // Named by its <title>, described by its <desc> (not both folded into the name).
        name: svg ? text(svg.getAttribute('aria-labelledby')) : '',
        title: svg ? (svg.querySelector('title') || { textContent: '' }).textContent.trim() : '',
        desc: svg ? text(svg.getAttribute('aria-describedby')) : '',
        descElement: svg ? (svg.querySelector('desc') || { textContent: '' }).textContent.trim() : '',
        figureName: figure ? (figure.querySelector('figcaption') || { textContent: '' }).textContent.trim() : '',
        // A data table in the chart's own figure, behind a disclosure.
        table: !!(figure && figure.querySelector('details.chart-data table')),
      };
    }));
    assert.ok(charts.length >= 6, 'the page has its charts: ' + charts.map((c) => c.id).join(', '));
    for (const c of charts) {
      assert.ok(c.svg, c.id + ' is drawn (the sample has data for every chart)');
      assert.equal(c.role, 'img', c.id + ' has role="img"');
      assert.ok(c.name.length > 10, c.id + ' has an accessible name: "' + c.name + '"');
      assert.equal(c.name, c.title, c.id + ' is named by its title alone');
      assert.ok(c.desc.length > 10 && !/NaN|Infinity|undefined/.test(c.desc), c.id + ' has a description: "' + c.desc + '"');
      assert.equal(c.desc, c.descElement, c.id + ' is described by its <desc>');
      assert.ok(c.figureName.length > 0, c.id + '\'s figure has a caption');
      assert.ok(c.table, c.id + ' has its data as a table in its own figure');
    }
    const contrast = await svgTextContrast(page);
    assert.ok(contrast.checked > 50, 'measured ' + contrast.checked + ' chart texts');
    assert.deepEqual(contrast.problems, [], 'chart text');
  });

  it('reaches every control with Tab, and each shows a visible focus indicator', async () => {
    const page = await open();
    await openAllDetails(page); // the settings, chart data and paste box have controls too
    await page.evaluate(() => {
      // How an element looks focused or not: its outline (when one is drawn) and box-shadow, and
      // its labels' (a visually hidden radio button shows its focus on its label).
      window.__focusLook = (el) => [el, ...Array.from(el.labels || [])].map((n) => {
        const s = getComputedStyle(n);
        const outline = s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0 ? 'no outline'
          : [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset].join(' ');
        return outline + ', box-shadow ' + s.boxShadow;
      }).join(' | ');
      window.__focusName = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.dataset.testid ? '[data-testid="' + el.dataset.testid + '"]' : '') +
        (el.type ? '[type="' + el.type + '"]' : '') + ' "' + (el.getAttribute('aria-label') || el.textContent || el.value || '')
        .trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
      window.__focusPrevious = null;
      window.__focusReached = new Set();
    });
    const step = () => page.evaluate(() => {
      const el = document.activeElement;
      const previous = window.__focusPrevious;
      const out = { current: el === document.body || !el ? null : window.__focusName(el) };
      if (previous && previous.el !== el && previous.el.isConnected) {
        out.checked = { name: previous.name, focused: previous.look, unfocused: window.__focusLook(previous.el) };
      }
      window.__focusPrevious = out.current ? { el, name: out.current, look: window.__focusLook(el) } : null;
      if (out.current) window.__focusReached.add(el);
      return out;
    });
    const seen = [];
    const invisible = [];
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      await page.keyboard.press('Tab');
      const { current, checked: c } = await step();
      if (c) {
        checked++;
        if (c.focused === c.unfocused) invisible.push(c.name + ': ' + c.focused);
      }
      if (!current) break;
      if (seen.length > 0 && current === seen[0]) break; // wrapped around
      seen.push(current);
    }
    assert.match(seen[0] || '', /^a "Skip to the calculator"/, 'the skip link comes first');
    const reached = seen.join('\n');
    for (const control of ['[data-testid="use-entered"]', '[data-testid="weight-price"]', '[data-testid="score-price"]',
      '[data-testid="tornado-net"]', '[data-testid="customer-edit-0"]', '#qs-revenue', '[data-testid="load-pasted"]']) {
      assert.ok(reached.includes(control), 'Tab reaches ' + control);
    }
    // Every visible control Tab could stop at was reached (one radio button per group: arrow keys move within it).
    const unreached = await page.evaluate(() => Array.from(document.querySelectorAll(
      'a[href], button, input, select, textarea, summary, [tabindex]')).filter((el) => {
      if (el.disabled || el.tabIndex < 0 || !el.getClientRects().length || el.closest('dialog:not([open]), [inert]')) return false;
      if (window.__focusReached.has(el)) return false;
      if (el.type === 'radio') {
        const group = document.querySelectorAll('input[type="radio"][name="' + el.name + '"]');
        if (Array.from(group).some((r) => window.__focusReached.has(r))) return false;
      }
      return true;
    }).map(window.__focusName));
    assert.deepEqual(unreached, [], 'controls Tab never reached');
    assert.ok(checked > 100, 'checked the focus indicator of ' + checked + ' controls');
    assert.deepEqual(invisible, [], 'controls whose focus does not show (outline and box-shadow unchanged)');
  });

  it('moves every slider with the arrow keys and announces its value (aria-valuetext)', async () => {
    const page = await open();
    await page.click('[data-testid="business-settings"] summary');
    const sliders = await page.$$eval('input[type="range"]', (nodes) => nodes.map((n) => n.dataset.testid));
    assert.ok(sliders.length >= 14 + 6, 'the weight sliders and the health weights: ' + sliders.length);
    for (const testid of sliders) {
      const slider = page.locator('[data-testid="' + testid + '"]');
      const named = await slider.evaluate((el) => ({
        labels: Array.from(el.labels || []).map((l) => l.textContent.trim().replace(/\s+/g, ' ')),
        output: el.parentElement.querySelector('output') && el.parentElement.querySelector('output').textContent,
        value: el.value, text: el.getAttribute('aria-valuetext'),
      }));
      assert.ok(named.labels.length === 1 && /^Weight (for|of) \S/.test(named.labels[0]), testid + ' is labelled: ' + named.labels);
      assert.equal(named.text, named.output + ' of 10', testid + ' announces the value it shows');
      const key = Number(named.value) < 10 ? 'ArrowRight' : 'ArrowLeft';
      await slider.focus();
      await page.keyboard.press(key);
      const after = await slider.evaluate((el) => ({ value: el.value, text: el.getAttribute('aria-valuetext'),
        output: el.parentElement.querySelector('output').textContent }));
      const moved = Number(named.value) + (key === 'ArrowRight' ? 1 : -1);
      assert.equal(after.value, String(moved), testid + ' moves with ' + key);
      assert.equal(after.text, moved + ' of 10', testid + ' announces its new value');
      assert.equal(after.output, String(moved), testid + ' shows its new value');
    }
    // The page's own polite announcer says the new result after a weight changes.
    await page.waitForFunction(() => document.getElementById('results-announcer').textContent.trim() !== '');
    await h.assertNoBrokenNumbers(page);
  });
});
