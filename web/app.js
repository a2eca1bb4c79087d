/*
 * The page: input → calculator (CustomerValueCalculator, docs/api.md) → results object → render.
 *
 * - Inputs (sliders, score fields, model files) only ever call the calculator; they never touch
 *   the results display. Every change ends in recompute(), which asks the calculator for one
 *   results object and renders all of it.
 * - Slider moves are coalesced: at most one recompute per animation frame.
 * - Anything that came from a model, a survey or an error message is put on the page with
 *   textContent / setAttribute, never parsed as HTML. Static markup lives in index.html.
 * - A refused input leaves everything as it was: the calculator is transactional, and the page
 *   re-renders only after a call that succeeded.
 */
(function () {
  'use strict';

  const F = window.CvcFormat;
  const Charts = window.CvcCharts;
  const $ = (id) => document.getElementById(id);

  const MAX_MODEL_BYTES = 5 * 1024 * 1024;
  const SIDES = [
    { side: 'benefit', title: 'Benefits', note: 'what customers gain' },
    { side: 'cost', title: 'Costs', note: 'what it costs them: money, time, effort, risk' },
  ];
  const SOURCE_WORDS = { survey: 'Survey', entered: 'Entered scores', none: 'No data' };

  const state = {
    calc: null,
    model: null, // calc.model(): the model as the calculator holds it
    results: null, // calc.results(): the last results rendered
    sampleModel: null,
    sampleSurvey: null, // {item_ids, segment_ids, rows}
    rows: new Map(), // item id → {item, index, slider, output, score, error, surveyMean}
    pendingWeights: new Map(), // item id → weight, applied at the next animation frame
    scoresChanged: false, // an entered score was applied since the last recompute
    frame: 0,
    chartFrame: 0,
    bcView: '', // '' = all customers, or a segment id
    tornadoMetric: 'net',
    announceTimer: 0,
  };

  // ---------------------------------------------------------------- start-up

  function fatal(message) {
    const box = $('fatal-error');
    box.textContent = message;
    box.hidden = false;
    $('app').hidden = true;
    $('model-name').textContent = 'Customer Value Calculator';
    document.body.dataset.state = 'error';
  }

  function readInlineJson(id, what) {
    const node = $(id);
    const text = node ? node.textContent.trim() : '';
    if (!text) {
      throw new Error('The ' + what + ' is missing from this page. Build the page with ' +
        '"node scripts/build-page.js" and open dist/customer-value-calculator.html.');
    }
    return JSON.parse(text);
  }

  function start() {
    if (!F || !Charts) {
      fatal('The page did not load completely (a script is missing). Rebuild it with "node scripts/build-page.js".');
      return;
    }
    if (typeof window.CustomerValueCalculator === 'undefined' || typeof window.createCvcModule !== 'function') {
      fatal('The calculation engine (WebAssembly module) is missing from this page, so nothing can be computed. ' +
        'Rebuild the page with "node scripts/build-page.js" after building the module.');
      return;
    }
    try {
      state.sampleModel = readInlineJson('sample-model', 'sample model');
      state.sampleSurvey = readInlineJson('sample-survey', 'sample survey');
    } catch (e) {
      fatal('Could not read the built-in sample: ' + e.message);
      return;
    }
    if (typeof WebAssembly !== 'object') {
      fatal('This browser does not support WebAssembly, which the calculator needs. Please use a current browser.');
      return;
    }
    window.CustomerValueCalculator.create().then((calc) => {
      state.calc = calc;
      try {
        calc.loadModel(state.sampleModel);
      } catch (e) {
        fatal('The built-in sample model was refused: ' + messageOf(e));
        return;
      }
      applySampleSurvey(true);
      $('app').hidden = false;
      bindControls();
      onModelLoaded();
      document.body.dataset.state = 'ready'; // for tests and embedders: first results are on screen
    }, (e) => {
      fatal('The calculation engine (WebAssembly) could not start: ' + messageOf(e) +
        '. Try reloading the page or using a current browser.');
    });
  }

  function messageOf(e) {
    if (e && typeof e.message === 'string' && e.message) return e.message;
    return String(e);
  }

  // ---------------------------------------------------------------- survey

  function surveyFits(model) {
    const survey = state.sampleSurvey;
    if (!survey || !model) return false;
    const items = new Set(model.items.map((i) => i.id));
    const segments = new Set(model.segments.map((s) => s.id));
    return survey.item_ids.length === items.size && survey.item_ids.every((id) => items.has(id)) &&
      survey.segment_ids.every((id) => segments.has(id));
  }

  function surveyRecords(survey) {
    return survey.rows.map((row) => {
      const answers = {};
      survey.item_ids.forEach((id, j) => {
        answers[id] = row.answers[j];
      });
      return { segments: row.segments, answers };
    });
  }

  /** Loads the sample survey into the calculator. Returns true when it was applied. */
  function applySampleSurvey(quiet) {
    try {
      state.calc.setResponseRecords(surveyRecords(state.sampleSurvey));
      return true;
    } catch (e) {
      if (!quiet) showModelError('The sample survey does not fit this model: ' + messageOf(e));
      return false;
    }
  }

  // ---------------------------------------------------------------- controls

  function bindControls() {
    $('use-entered').addEventListener('click', () => {
      state.calc.clearResponses();
      recompute();
      announce('Survey responses dropped; results now come from the entered scores.');
    });
    $('reload-survey').addEventListener('click', () => {
      clearModelMessages();
      if (applySampleSurvey(false)) {
        recompute();
        announce('Sample survey loaded.');
      }
    });
    $('bc-view').addEventListener('change', (e) => {
      state.bcView = e.target.value;
      renderContributionChart();
    });
    for (const radio of document.querySelectorAll('input[name="tornado-metric"]')) {
      radio.addEventListener('change', (e) => {
        if (e.target.checked) {
          state.tornadoMetric = e.target.value;
          renderTornado();
        }
      });
    }

    // Model file, download, paste, sample.
    const fileInput = $('model-input');
    $('open-model').addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', () => {
      const file = fileInput.files && fileInput.files[0];
      if (!file) return;
      fileInput.value = ''; // choosing the same file again still triggers a change
      if (file.size > MAX_MODEL_BYTES) {
        showModelError('Could not load "' + file.name + '": the file is larger than 5 MB, too large for a model.');
        return;
      }
      file.text().then((text) => loadModelText(text, '"' + file.name + '"'),
        (e) => showModelError('Could not read "' + file.name + '": ' + messageOf(e)));
    });
    $('load-pasted').addEventListener('click', () => {
      const text = $('model-text').value;
      if (!text.trim()) {
        showModelError('Paste a model in JSON format into the box first.');
        $('model-text').focus();
        return;
      }
      loadModelText(text, 'the pasted JSON');
    });
    $('load-sample').addEventListener('click', () => {
      clearModelMessages();
      try {
        state.calc.loadModel(state.sampleModel);
      } catch (e) {
        showModelError('Could not load the sample model: ' + messageOf(e));
        return;
      }
      applySampleSurvey(false);
      onModelLoaded();
      showModelInfo('Loaded the sample model and the sample survey.');
    });
    $('download-model').addEventListener('click', downloadModel);

    if (typeof ResizeObserver === 'function') {
      let lastWidth = 0;
      const observer = new ResizeObserver((entries) => {
        const width = Math.round(entries[0].contentRect.width);
        if (width !== lastWidth) {
          lastWidth = width;
          scheduleCharts();
        }
      });
      observer.observe($('bc-chart'));
    }
  }

  function loadModelText(text, from) {
    clearModelMessages();
    try {
      state.calc.loadModel(text);
    } catch (e) {
      // Nothing changed: the calculator refuses atomically, and the page is not re-rendered.
      showModelError('Could not load ' + from + ': ' + messageOf(e));
      return;
    }
    onModelLoaded();
    const m = state.model;
    showModelInfo('Loaded ' + from + ': ' + (m.name ? '"' + m.name + '", ' : '') +
      m.items.length + ' item' + (m.items.length === 1 ? '' : 's') + ', ' + m.segments.length +
      ' segment' + (m.segments.length === 1 ? '' : 's') + '. Results use the entered scores.');
  }

  function showModelError(message) {
    $('model-info').textContent = '';
    $('model-status').textContent = message;
  }
  function showModelInfo(message) {
    $('model-status').textContent = '';
    $('model-info').textContent = message;
  }
  function clearModelMessages() {
    $('model-status').textContent = '';
    $('model-info').textContent = '';
  }

  function downloadModel() {
    const model = state.calc.model();
    if (!model) return;
    const text = JSON.stringify(model, null, 2) + '\n';
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const slug = String(model.name || '').toLowerCase().replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '').slice(0, 60);
    const link = document.createElement('a');
    link.href = url;
    link.download = (slug || 'customer-value-model') + '.json';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---------------------------------------------------------------- model → item rows

  /** A new model is in the calculator: rebuild what depends on its items and segments. */
  function onModelLoaded() {
    state.model = state.calc.model();
    state.pendingWeights.clear();
    const name = state.model.name ? String(state.model.name) : 'Untitled model';
    $('model-name').textContent = name;
    document.title = name + ' \u00b7 Customer Value Calculator';
    buildItemRows();
    buildViewSelect();
    recompute();
  }

  function overridesFor(itemId) {
    const parts = [];
    for (const s of state.model.segments) {
      const w = s.weights && s.weights[itemId];
      const sc = s.scores && s.scores[itemId];
      if (F.isNumber(w)) parts.push(s.label + ' ' + F.number(w, Number.isInteger(w) ? 0 : 1));
      if (F.isNumber(sc)) parts.push(s.label + ' score ' + F.inputText(sc));
    }
    return parts.length ? 'Segment overrides: ' + parts.join(', ') : '';
  }

  function buildItemRows() {
    const host = $('item-groups');
    while (host.firstChild) host.removeChild(host.firstChild);
    state.rows.clear();
    const groupTemplate = $('item-group-template');
    const rowTemplate = $('item-row-template');
    const currency = state.model.currency;

    for (const { side, title, note } of SIDES) {
      const items = state.model.items.map((item, index) => ({ item, index }))
        .filter((x) => x.item.side === side);
      if (!items.length) continue;
      const group = groupTemplate.content.firstElementChild.cloneNode(true);
      group.dataset.side = side;
      const heading = group.querySelector('.item-group-title');
      heading.textContent = title + ' ';
      const small = document.createElement('span');
      small.className = 'item-group-note';
      small.textContent = '(' + items.length + ': ' + note + ')';
      heading.appendChild(small);
      const list = group.querySelector('.item-list');

      for (const { item, index } of items) {
        const row = rowTemplate.content.firstElementChild.cloneNode(true);
        row.dataset.item = item.id;
        row.dataset.testid = 'item-' + item.id;
        row.classList.add('side-' + side);
        row.querySelector('.item-label').textContent = item.label;
        row.querySelector('.item-meta').textContent =
          F.describeKind(item.kind) + ' \u00b7 ' + F.describeScale(item, currency);
        const overrides = overridesFor(item.id);
        const overridesNode = row.querySelector('.item-overrides');
        overridesNode.textContent = overrides;
        overridesNode.hidden = !overrides;

        const [weightLabel, scoreLabel] = row.querySelectorAll('label.field-label');
        for (const sr of row.querySelectorAll('.item-label-sr')) sr.textContent = ' for ' + item.label;

        const errorId = 'item-error-' + index;
        const error = row.querySelector('.field-error');
        error.id = errorId;
        error.dataset.testid = 'score-error-' + item.id;

        const slider = row.querySelector('input[type="range"]');
        slider.id = 'weight-' + index;
        slider.dataset.testid = 'weight-' + item.id;
        slider.value = String(item.weight);
        slider.setAttribute('aria-describedby', errorId);
        weightLabel.htmlFor = slider.id;
        const output = row.querySelector('.weight-value');
        output.htmlFor.add(slider.id);
        output.dataset.testid = 'weight-value-' + item.id;

        const score = row.querySelector('.score-input');
        score.id = 'score-' + index;
        score.dataset.testid = 'score-' + item.id;
        score.value = F.inputText(item.score);
        const bounds = F.scaleBounds(item);
        score.placeholder = bounds.high === null ? 'amount' : bounds.low + '\u2013' + bounds.high;
        score.setAttribute('aria-describedby', errorId);
        scoreLabel.htmlFor = score.id;

        const surveyMean = row.querySelector('.survey-mean');
        surveyMean.dataset.testid = 'survey-mean-' + item.id;

        const entry = { item, index, slider, output, score, error, surveyMean };
        state.rows.set(item.id, entry);
        showWeight(entry, item.weight);

        slider.addEventListener('input', () => {
          const weight = Number(slider.value);
          showWeight(entry, weight);
          state.pendingWeights.set(item.id, weight);
          scheduleRecompute();
        });
        score.addEventListener('input', () => submitScore(entry, score.getAttribute('aria-invalid') === 'true'));
        score.addEventListener('change', () => submitScore(entry, true));

        list.appendChild(row);
      }
      host.appendChild(group);
    }
  }

  function showWeight(entry, weight) {
    const text = F.number(weight, Number.isInteger(weight) ? 0 : 1);
    entry.output.textContent = text;
    entry.slider.setAttribute('aria-valuetext', text + ' of 10');
  }

  function setFieldError(entry, input, message) {
    entry.error.textContent = message;
    entry.error.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  /**
   * A typed score: checked here for empty / non-numeric text, then by the calculator against
   * the item's scale. `showErrors` is false while typing (a half-typed number is not an error
   * yet) and true on change (Enter or leaving the field) or once the field is marked invalid.
   */
  function submitScore(entry, showErrors) {
    const { item, score } = entry;
    const parsed = F.parseNumber(score.value);
    if (!parsed.ok) {
      if (!showErrors) return;
      const bounds = F.scaleBounds(item);
      const range = bounds.high === null ? 'an amount of 0 or more' : 'a number from ' + bounds.low + ' to ' + bounds.high;
      let message;
      // Worded like the calculator's own messages, which quote the label in straight quotes.
      const name = '"' + item.label + '"';
      if (parsed.reason === 'empty') message = 'Enter a score for ' + name + ': ' + range + '.';
      else if (parsed.reason === 'too large') message = 'The score for ' + name + ' is too large; enter ' + range + '.';
      else message = 'The score for ' + name + ' must be a number (' + range + '); got "' + score.value.trim().slice(0, 40) + '".';
      setFieldError(entry, score, message);
      return;
    }
    // Apply now so a scale error is reported next to the field; the recompute is coalesced.
    try {
      state.calc.setEnteredScore(item.id, parsed.value);
    } catch (e) {
      if (showErrors) setFieldError(entry, score, messageOf(e));
      return;
    }
    setFieldError(entry, score, '');
    state.scoresChanged = true;
    scheduleRecompute();
  }

  // ---------------------------------------------------------------- recompute

  function scheduleRecompute() {
    if (!state.frame) state.frame = requestAnimationFrame(flushInputs);
  }

  function flushInputs() {
    state.frame = 0;
    let changed = state.scoresChanged;
    state.scoresChanged = false;
    for (const [id, weight] of state.pendingWeights) {
      const entry = state.rows.get(id);
      try {
        state.calc.setWeight(id, weight);
        changed = true;
        if (entry && entry.error.textContent && entry.slider.getAttribute('aria-invalid')) {
          setFieldError(entry, entry.slider, '');
        }
      } catch (e) {
        if (entry) setFieldError(entry, entry.slider, messageOf(e));
      }
    }
    state.pendingWeights.clear();
    if (changed) {
      state.model = state.calc.model();
      recompute();
    }
  }

  function recompute() {
    state.results = state.calc.results();
    render();
  }

  // ---------------------------------------------------------------- render

  function unitFormatter() {
    const r = state.results;
    let unit = r && r.net_value_unit;
    if (!unit) {
      // Older modules do not report the unit: derive it from the items' scales.
      const amounts = state.model.items.filter((i) => i.scale === 'currency').length;
      unit = amounts === 0 ? 'points' : amounts === state.model.items.length ? 'currency' : 'mixed';
    }
    const currency = (r && r.currency) || state.model.currency || 'USD';
    return Object.assign({ unit, currency }, F.valueFormatter(unit, currency));
  }

  function render() {
    const fmt = unitFormatter();
    renderSource();
    renderMetrics(fmt);
    renderItemValues(fmt);
    renderSegments(fmt);
    renderContributionChart();
    renderTornado();
  }

  function sentence(text) {
    const s = String(text || '');
    return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
  }

  function renderSource() {
    const r = state.results;
    const hasSurvey = state.calc.responseCount() > 0;
    const text = $('source-text');
    const bar = text.closest('.source-bar');
    bar.dataset.source = r.source;
    if (hasSurvey) {
      const o = r.overall;
      text.textContent = 'Using survey responses: ' + F.count(o.respondents) + ' respondent' +
        (o.respondents === 1 ? '' : 's') + ' (' + F.count(o.excluded_incomplete) + ' excluded: skipped an item)';
    } else {
      text.textContent = 'No survey data: results come from the entered scores (a typical customer\u2019s score for each item).';
    }
    $('use-entered').hidden = !hasSurvey;
    $('reload-survey').hidden = !surveyFits(state.model);
    $('reload-survey').textContent = hasSurvey ? 'Reload sample survey' : 'Use the sample survey';
    $('item-groups').classList.toggle('no-survey', r.source !== 'survey');
  }

  function setMetric(id, value, text) {
    const node = $(id);
    node.dataset.value = F.isNumber(value) ? String(value) : '';
    node.textContent = text;
  }

  function renderMetrics(fmt) {
    const o = state.results.overall;
    const card = $('metric-net-value');
    $('unit-note').hidden = !fmt.note;
    $('unit-note').textContent = fmt.note;
    if (o.source === 'none' || !o.net_value) {
      const reason = sentence(o.no_data_reason || 'no data') + '.';
      setMetric('net-value', null, 'No data');
      setMetric('total-benefits', null, F.MISSING);
      setMetric('total-costs', null, F.MISSING);
      setMetric('value-index', null, 'No data');
      $('net-value-unit').textContent = '';
      $('net-value-ci').textContent = reason;
      $('value-index-ci').textContent = reason;
      $('net-value-verdict').textContent = '';
      card.dataset.sign = 'none';
      announce('No results: ' + reason);
      return;
    }
    const net = o.net_value;
    const index = o.value_index;
    setMetric('net-value', net.mean, fmt.format(net.mean));
    setMetric('total-benefits', o.total_benefits, fmt.format(o.total_benefits));
    setMetric('total-costs', o.total_costs, fmt.format(o.total_costs));
    setMetric('value-index', index.mean, F.number(index.mean, 1));
    $('net-value-unit').textContent = fmt.unit === 'currency' ? '' : fmt.unitLabel;
    $('net-value-ci').textContent = F.interval(net, fmt.format);
    $('value-index-ci').textContent = F.interval(index, (x) => F.number(x, 1));

    // The verdict is stated in words (not only by colour). With mixed units the net value adds
    // unlike things, so the verdict follows the index instead.
    const basis = fmt.unit === 'mixed' ? index : net;
    let verdict;
    let sign;
    if (F.isNumber(basis.ci_low) && F.isNumber(basis.ci_high)) {
      if (basis.ci_low > 0) [verdict, sign] = ['Benefits outweigh costs: the whole interval is above 0.', 'positive'];
      else if (basis.ci_high < 0) [verdict, sign] = ['Costs outweigh benefits: the whole interval is below 0.', 'negative'];
      else [verdict, sign] = ['Not clearly different from 0: the interval includes 0.', 'neutral'];
    } else if (basis.mean > 0) [verdict, sign] = ['Benefits outweigh costs.', 'positive'];
    else if (basis.mean < 0) [verdict, sign] = ['Costs outweigh benefits.', 'negative'];
    else [verdict, sign] = ['Benefits and costs balance.', 'neutral'];
    if (fmt.unit === 'mixed') verdict += ' (judged by the value index)';
    $('net-value-verdict').textContent = verdict;
    card.dataset.sign = sign;
    announce('Net value ' + fmt.format(net.mean) + (fmt.unit === 'currency' ? '' : ' ' + fmt.unitLabel) +
      '; value index ' + F.number(index.mean, 1) + '.');
  }

  // Screen readers hear the result once the slider rests, not on every step.
  function announce(text) {
    clearTimeout(state.announceTimer);
    state.announceTimer = setTimeout(() => {
      $('results-announcer').textContent = text;
    }, 800);
  }

  function renderItemValues(fmt) {
    const r = state.results;
    const surveyUsed = r.source === 'survey' && r.overall.source === 'survey';
    state.model.items.forEach((item, index) => {
      const entry = state.rows.get(item.id);
      if (!entry) return;
      // Keep the slider in step with the model unless the user is moving it right now.
      if (!state.pendingWeights.has(item.id) && document.activeElement !== entry.slider) {
        entry.slider.value = String(item.weight);
        showWeight(entry, item.weight);
      }
      const result = surveyUsed ? r.overall.items[index] : null;
      if (result && F.isNumber(result.mean_score)) {
        entry.surveyMean.textContent = item.scale === 'currency'
          ? F.money(result.mean_score, fmt.currency) : F.number(result.mean_score, 2);
      } else {
        entry.surveyMean.textContent = surveyUsed ? 'no data' : 'not used';
      }
    });
  }

  function cell(tag, text, className) {
    const node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function viewRow(view, fmt, testid) {
    const tr = document.createElement('tr');
    tr.dataset.testid = testid;
    tr.dataset.source = view.source;
    const th = cell('th', view.label || view.id, 'seg-name');
    th.scope = 'row';
    tr.appendChild(th);
    tr.appendChild(cell('td', view.group || F.MISSING));
    tr.appendChild(cell('td', SOURCE_WORDS[view.source] || String(view.source)));
    const survey = view.source === 'survey' || (view.source === 'none' && state.results.source === 'survey');
    const n = cell('td', survey ? F.count(view.respondents) : F.MISSING, 'num');
    if (view.low_confidence === true) {
      // Fewer respondents than the core trusts for its normal approximations: say so in words.
      const flag = document.createElement('span');
      flag.className = 'flag';
      flag.textContent = 'few respondents';
      n.appendChild(document.createElement('br'));
      n.appendChild(flag);
    }
    tr.appendChild(n);
    tr.appendChild(cell('td', survey ? F.count(view.excluded_incomplete) : F.MISSING, 'num'));
    if (view.source === 'none' || !view.net_value) {
      const td = cell('td', sentence(view.no_data_reason || 'no data'), 'no-data');
      td.colSpan = 4;
      tr.appendChild(td);
      return tr;
    }
    tr.appendChild(cell('td', fmt.format(view.total_benefits), 'num'));
    tr.appendChild(cell('td', fmt.format(view.total_costs), 'num'));
    const net = cell('td', F.withInterval(view.net_value, fmt.format), 'num');
    net.dataset.value = String(view.net_value.mean);
    tr.appendChild(net);
    const index = cell('td', F.withInterval(view.value_index), 'num');
    index.dataset.value = String(view.value_index.mean);
    tr.appendChild(index);
    return tr;
  }

  function renderSegments(fmt) {
    const tbody = $('segment-table').tBodies[0];
    const rows = [viewRow(state.results.overall, fmt, 'overall-row')];
    rows[0].classList.add('overall');
    for (const view of state.results.segments) rows.push(viewRow(view, fmt, 'segment-row-' + view.id));
    tbody.replaceChildren(...rows);
    $('segments-empty').hidden = state.results.segments.length > 0;
  }

  // ---------------------------------------------------------------- charts

  function buildViewSelect() {
    const select = $('bc-view');
    const options = [new Option('All customers', '')];
    for (const s of state.model.segments) {
      options.push(new Option(s.group ? s.label + ' (' + s.group + ')' : s.label, s.id));
    }
    select.replaceChildren(...options);
    if (!state.model.segments.some((s) => s.id === state.bcView)) state.bcView = '';
    select.value = state.bcView;
  }

  function scheduleCharts() {
    if (state.chartFrame || !state.results) return;
    state.chartFrame = requestAnimationFrame(() => {
      state.chartFrame = 0;
      renderContributionChart();
      renderTornado();
    });
  }

  function tableRow(cells) {
    const tr = document.createElement('tr');
    cells.forEach(([text, cls], i) => {
      const node = cell(i === 0 ? 'th' : 'td', text, cls);
      if (i === 0) node.scope = 'row';
      tr.appendChild(node);
    });
    return tr;
  }

  function renderContributionChart() {
    const fmt = unitFormatter();
    const r = state.results;
    const view = state.bcView ? r.segments.find((s) => s.id === state.bcView) || r.overall : r.overall;
    const items = view.source === 'none' ? [] : view.items.map((result, i) => ({
      label: state.model.items[i].label,
      side: state.model.items[i].side,
      contribution: result.contribution,
      weight: result.weight,
      mean: result.mean_score,
    }));
    const who = view.label || 'All customers';
    Charts.contributionChart($('bc-chart'), {
      items,
      totals: {
        benefits: view.total_benefits, costs: view.total_costs,
        net: view.net_value ? view.net_value.mean : null,
      },
      format: fmt.format,
      emptyMessage: who + ': ' + sentence(view.no_data_reason || 'no data') + '.',
      summary: {
        title: 'Benefits versus costs, ' + who,
        desc: items.length
          ? 'Total benefits ' + fmt.format(view.total_benefits) + ', total costs ' + fmt.format(view.total_costs) +
            ', net value ' + fmt.format(view.net_value.mean) + '. Largest benefit: ' +
            largest(items, 'benefit') + '. Largest cost: ' + largest(items, 'cost') + '.'
          : 'No data.',
      },
    });
    $('bc-table').tBodies[0].replaceChildren(...items.map((it) => tableRow([
      [it.label], [it.side === 'benefit' ? 'Benefit' : 'Cost'],
      [F.number(it.weight, Number.isInteger(it.weight) ? 0 : 1), 'num'],
      [F.number(it.mean, 2), 'num'], [fmt.format(it.contribution), 'num'],
    ])));
  }

  function largest(items, side) {
    const list = items.filter((i) => i.side === side);
    if (!list.length) return 'none';
    const top = list.reduce((a, b) => (b.contribution > a.contribution ? b : a));
    return top.label;
  }

  function renderTornado() {
    const fmt = unitFormatter();
    const r = state.results;
    const byIndex = state.tornadoMetric === 'index';
    const format = byIndex ? (x) => F.number(x, 1) : fmt.format;
    const measure = byIndex ? 'Value index' : 'Net value';
    const key = byIndex ? 'value_index' : 'net_value';
    const current = r.overall[key] ? r.overall[key].mean : null;
    // The module ranks by net value swing; for the index, rank by index swing.
    const entries = r.sensitivity.slice();
    if (byIndex) entries.sort((a, b) => b.value_index_swing - a.value_index_swing);
    const formatWeight = (w) => F.number(w, Number.isInteger(w) ? 0 : 1);
    const rows = entries.map((e) => ({
      label: e.label, weight: e.weight, weightLow: e.weight_low, weightHigh: e.weight_high,
      low: e[key + '_low'], high: e[key + '_high'], swing: e[key + '_swing'],
    }));
    const top = rows[0];
    Charts.tornadoChart($('tornado-chart'), {
      current, rows, format, formatWeight,
      emptyMessage: 'No sensitivity: ' + sentence(r.overall.no_data_reason || 'no data') + '.',
      summary: {
        title: measure + ' sensitivity to each weight',
        desc: top
          ? 'Current ' + measure.toLowerCase() + ' ' + format(current) + '. The most influential weight is ' +
            top.label + ': from ' + format(top.low) + ' at weight ' + formatWeight(top.weightLow) + ' to ' +
            format(top.high) + ' at weight ' + formatWeight(top.weightHigh) + '.'
          : 'No data.',
      },
    });
    $('tornado-caption').textContent = 'Sensitivity of the ' + measure.toLowerCase() + ' to each weight';
    $('tornado-table').tBodies[0].replaceChildren(...rows.map((row) => tableRow([
      [row.label],
      [formatWeight(row.weight) + ' (' + formatWeight(row.weightLow) + '\u2013' + formatWeight(row.weightHigh) + ')', 'num'],
      [format(row.low), 'num'], [format(row.high), 'num'], [format(row.swing), 'num'],
    ])));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
