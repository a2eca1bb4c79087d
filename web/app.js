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
 * - Survey data: the respondent grid shows one page of calc.responses(); a cell edit calls
 *   calc.replaceResponse() and recomputes, without rebuilding the grid (focus stays put). CSV
 *   files and pasted rows both go through calc.importCsv → mapping → checkImport → commitImport.
 * - Business value: the customer table goes through the same three steps (importCustomersCsv →
 *   checkCustomerImport → commitCustomerImport); renderBusiness() asks for calc.businessResults()
 *   and renders all of it whenever the table, the business settings, the survey or the model
 *   changed (not on weight moves, which do not affect it). The quick calculators call
 *   CustomerValueCalculator.quick() as the user types; a refused input keeps the last result.
 */
(function () {
  'use strict';

  const F = window.CvcFormat;
  const Charts = window.CvcCharts;
  const $ = (id) => document.getElementById(id);

  const MAX_MODEL_BYTES = 5 * 1024 * 1024;
  const MAX_CSV_BYTES = 50 * 1024 * 1024;
  const GRID_PAGE = 25; // respondents per grid page
  const TEMPLATE_NAME = 'customer-value-survey-template.csv';
  const KINDS = {
    benefit: ['functional', 'psychological', 'social', 'monetary', 'experiential'],
    cost: ['price', 'onboarding', 'training', 'support', 'time', 'effort', 'frustration', 'risk'],
  };
  const ITEM_SCALES = [['1-5', '1\u20135 rating'], ['1-7', '1\u20137 rating'], ['1-10', '1\u201310 rating'],
    ['0-10', '0\u201310 rating'], ['currency', 'amount of money']];
  const DELIMITER_WORDS = { ',': 'comma-separated', ';': 'semicolon-separated', '\t': 'tab-separated' };
  const SIDES = [
    { side: 'benefit', title: 'Benefits', note: 'what customers gain' },
    { side: 'cost', title: 'Costs', note: 'what it costs them: money, time, effort, risk' },
  ];
  const SOURCE_WORDS = { survey: 'Survey', entered: 'Entered scores', none: 'No data' };
  const CUSTOMER_PAGE = 25; // customers (and eroding customers) per page

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
    grid: {
      offset: 0, // first row on the grid page (0-based)
      data: null, // calc.responses(offset, GRID_PAGE)
      columns: [], // gridColumns()
      errors: new Map(), // 'row:column' → message, for cells whose last edit was refused
    },
    // A CSV import or paste between importCsv and commit/cancel:
    // {preview, name, source: 'file' | 'paste', mapping: [...], decimalComma, mode: 'replace' | 'add', report}
    importing: null,
    // Business value (docs/api.md, "Business value"):
    sampleCustomers: '', // the sample customer table, CSV text
    business: null, // calc.businessResults(): the last rendered
    customerSource: '', // where the customer table came from, in words
    customerImporting: null, // {preview, name, mapping: [...], decimalComma, report}
    customerOffset: 0, // first customer on the customer-view page
    erodingOffset: 0, // first customer on the eroding-list page
    businessFrame: 0,
    settingsFrame: 0,
    pendingHealthWeights: new Map(), // health measure → weight, applied at the next animation frame
    quick: new Map(), // quick-calculator form id → {seq, done}
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
      const customers = $('sample-customers');
      state.sampleCustomers = customers ? customers.textContent.replace(/^\s+/, '') : '';
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
      applySampleCustomers(true); // after the survey, so the join by id has respondents to match
      $('app').hidden = false;
      bindControls();
      onModelLoaded();
      // For tests and embedders: first results are on screen, the quick calculators' included.
      const ready = () => {
        document.body.dataset.state = 'ready';
      };
      runAllQuick().then(ready, ready);
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
      return { id: row.id, segments: row.segments, answers, nps: row.nps, csat: row.csat, ces: row.ces };
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
      onSurveyChanged();
      announce('Survey responses dropped; results now come from the entered scores.');
    });
    $('reload-survey').addEventListener('click', () => {
      clearModelMessages();
      if (applySampleSurvey(false)) {
        state.grid.offset = 0;
        onSurveyChanged();
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
      dropImport();
      state.grid.offset = 0;
      applySampleSurvey(false);
      onModelLoaded();
      showModelInfo('Loaded the sample model and the sample survey.');
    });
    $('download-model').addEventListener('click', downloadModel);
    bindSurveyControls();
    bindCustomerControls();
    bindSettingsControls();
    bindQuickControls();

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
      let mapWidth = 0;
      const mapObserver = new ResizeObserver((entries) => {
        const width = Math.round(entries[0].contentRect.width);
        if (width !== mapWidth) {
          mapWidth = width;
          scheduleBusinessCharts();
        }
      });
      mapObserver.observe($('value-map-chart'));
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
    dropImport();
    state.grid.offset = 0;
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
    const slug = String(model.name || '').toLowerCase().replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '').slice(0, 60);
    downloadText(text, 'application/json', (slug || 'customer-value-model') + '.json');
  }

  function downloadText(text, type, filename) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---------------------------------------------------------------- survey data: grid

  /** The survey changed (rows added, edited in bulk, deleted, replaced): results and grid. */
  function onSurveyChanged() {
    recompute();
    renderGrid();
    renderBusiness();
  }

  /**
   * The grid's columns in order: id, one per segment group (a segment without a group is its
   * own column, as in the template CSV), NPS, CSAT, CES, one per item.
   */
  function gridColumns() {
    const model = state.model;
    const columns = [{ key: 'id', kind: 'id', name: 'Respondent id', head: 'Id', sub: 'respondent', header: 'respondent_id' }];
    const groups = [];
    for (const s of model.segments) {
      let group = s.group ? groups.find((g) => g.grouped && g.name === s.group) : null;
      if (!group) {
        group = { name: s.group || s.label, grouped: Boolean(s.group), segments: [] };
        groups.push(group);
      }
      group.segments.push(s);
    }
    groups.forEach((g, i) => columns.push({
      key: 'group-' + i, kind: 'group', name: 'segment (' + g.name + ')', head: g.name,
      sub: 'segment', header: 'segment:' + g.name, group: g.name, segments: g.segments,
    }));
    const csat = csatScale();
    columns.push(
      { key: 'nps', kind: 'metric', metric: 'nps', name: 'NPS', head: 'NPS', sub: '0\u201310', header: 'nps' },
      { key: 'csat', kind: 'metric', metric: 'csat', name: 'CSAT', head: 'CSAT',
        sub: csat.low + '\u2013' + csat.high, header: 'csat' },
      { key: 'ces', kind: 'metric', metric: 'ces', name: 'CES', head: 'CES', sub: '1\u20137', header: 'ces' });
    for (const item of model.items) {
      const bounds = F.scaleBounds(item);
      columns.push({
        key: 'item-' + item.id, kind: 'item', item, name: item.label, head: item.label,
        sub: item.side + ' \u00b7 ' + (bounds.high === null ? 'amount' : bounds.low + '\u2013' + bounds.high),
        header: item.side + ':' + item.label,
      });
    }
    return columns;
  }

  function rowName(entry) {
    return 'Row ' + (entry.row + 1) + (entry.id ? ' (' + entry.id + ')' : '');
  }

  /** A cell's stored value: a string for id, a segment id ('' for none), a number or null. */
  function cellValue(entry, column) {
    if (column.kind === 'id') return entry.id || '';
    if (column.kind === 'group') {
      const ids = new Set(column.segments.map((s) => s.id));
      return entry.segments.find((id) => ids.has(id)) || '';
    }
    if (column.kind === 'metric') return F.isNumber(entry[column.metric]) ? entry[column.metric] : null;
    const j = state.grid.data.item_ids.indexOf(column.item.id);
    const value = j >= 0 ? entry.answers[j] : null;
    return F.isNumber(value) ? value : null;
  }

  function cellText(value) {
    return typeof value === 'number' ? F.inputText(value) : String(value === null ? '' : value);
  }

  /** The respondent as a record for replaceResponse, with one cell changed. */
  function recordWith(entry, column, value) {
    const answers = {};
    state.grid.data.item_ids.forEach((id, j) => {
      answers[id] = F.isNumber(entry.answers[j]) ? entry.answers[j] : null;
    });
    const record = {
      id: entry.id || '', segments: entry.segments.slice(), answers,
      nps: entry.nps, csat: entry.csat, ces: entry.ces,
    };
    if (column.kind === 'id') record.id = value;
    else if (column.kind === 'group') {
      const ids = new Set(column.segments.map((s) => s.id));
      record.segments = record.segments.filter((id) => !ids.has(id));
      if (value) record.segments.push(value);
    } else if (column.kind === 'metric') record[column.metric] = value;
    else answers[column.item.id] = value;
    return record;
  }

  function renderGrid() {
    if (!state.calc || !state.model) return;
    const grid = state.grid;
    const count = state.calc.responseCount();
    if (grid.offset >= count) grid.offset = Math.max(0, Math.floor((count - 1) / GRID_PAGE) * GRID_PAGE);
    grid.data = count > 0 ? state.calc.responses(grid.offset, GRID_PAGE) : { rows: 0, offset: 0, item_ids: [], page: [] };
    grid.columns = gridColumns();
    grid.errors.clear();
    renderGridErrors();

    const table = $('survey-grid');
    const headRow = document.createElement('tr');
    const corner = cell('th', 'Row', 'grid-rowhead');
    corner.scope = 'col';
    headRow.appendChild(corner);
    for (const column of grid.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.className = 'grid-head grid-' + column.kind + (column.item ? ' side-' + column.item.side : '');
      th.appendChild(cell('span', column.head, 'grid-head-name'));
      if (column.sub) th.appendChild(cell('span', column.sub, 'grid-head-sub'));
      headRow.appendChild(th);
    }
    table.tHead.replaceChildren(headRow);
    table.tBodies[0].replaceChildren(...grid.data.page.map((entry) => gridRow(entry)));

    const first = grid.offset + 1;
    const last = grid.offset + grid.data.page.length;
    $('grid-range').textContent = count > 0
      ? 'Respondents ' + F.count(first) + '\u2013' + F.count(last) + ' of ' + F.count(count)
      : 'No survey data yet: add a respondent, paste rows from a spreadsheet, or import a CSV file.';
    $('grid-scroll').hidden = count === 0;
    $('grid-help').hidden = count === 0;
    $('grid-prev').disabled = grid.offset === 0;
    $('grid-next').disabled = last >= count;
    $('grid-prev').hidden = $('grid-next').hidden = count <= GRID_PAGE;
    $('paste-order').textContent = grid.columns.map((c) => c.kind === 'item' ? c.name : c.head).join(', ');
  }

  function gridRow(entry) {
    const tr = document.createElement('tr');
    tr.dataset.row = String(entry.row);
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'grid-rowhead';
    th.appendChild(cell('span', String(entry.row + 1), 'grid-rownum'));
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'grid-delete';
    del.dataset.row = String(entry.row);
    del.dataset.testid = 'delete-' + entry.row;
    del.setAttribute('aria-label', 'Delete respondent ' + rowName(entry).replace(/^Row /, 'in row '));
    del.title = 'Delete this respondent';
    del.textContent = '\u00d7';
    th.appendChild(del);
    tr.appendChild(th);
    for (const column of state.grid.columns) {
      const td = document.createElement('td');
      td.className = 'grid-cell grid-' + column.kind;
      td.appendChild(gridControl(entry, column));
      tr.appendChild(td);
    }
    return tr;
  }

  function gridControl(entry, column) {
    const value = cellValue(entry, column);
    let control;
    if (column.kind === 'group') {
      control = document.createElement('select');
      control.className = 'grid-select';
      const options = [new Option('\u2014', '')];
      for (const s of column.segments) options.push(new Option(s.label, s.id));
      control.replaceChildren(...options);
      control.value = value;
    } else {
      control = document.createElement('input');
      control.type = 'text';
      control.className = 'grid-input';
      control.autocomplete = 'off';
      control.spellcheck = false;
      if (column.kind !== 'id') control.inputMode = 'decimal';
      control.value = cellText(value);
    }
    control.dataset.row = String(entry.row);
    control.dataset.col = column.key;
    control.dataset.testid = 'cell-' + entry.row + '-' + column.key;
    control.setAttribute('aria-label', rowName(entry) + ', ' + column.name);
    return control;
  }

  function gridEntry(row) {
    return state.grid.data ? state.grid.data.page.find((e) => e.row === row) : null;
  }

  function gridColumn(key) {
    return state.grid.columns.find((c) => c.key === key);
  }

  /**
   * Applies one edited cell. Returns true when the value is stored (or unchanged). A refused
   * value is reported next to the grid and the calculator keeps the previous one.
   */
  function commitCell(control) {
    const row = Number(control.dataset.row);
    const column = gridColumn(control.dataset.col);
    const entry = gridEntry(row);
    if (!column || !entry) return false;
    const stored = cellValue(entry, column);
    const where = 'Row ' + (row + 1) + ', ' + column.name;
    const kept = ' The previous value (' + (cellText(stored) || 'blank') + ') is kept; press Escape to restore it.';
    let value;
    if (column.kind === 'id') value = control.value.trim();
    else if (column.kind === 'group') value = control.value;
    else {
      const text = control.value.trim();
      if (text === '') value = null;
      else {
        const parsed = F.parseNumber(text);
        if (!parsed.ok) {
          setCellError(control, where + ': "' + text.slice(0, 40) + '" is ' +
            (parsed.reason === 'too large' ? 'too large.' : 'not a number.') + kept);
          return false;
        }
        value = parsed.value;
      }
    }
    if (value === stored) {
      setCellError(control, '');
      if (control.tagName === 'INPUT') control.value = cellText(stored);
      return true;
    }
    try {
      state.calc.replaceResponse(row, recordWith(entry, column, value));
    } catch (e) {
      const message = messageOf(e);
      // The calculator's messages name the row and column already; others get them added.
      setCellError(control, (/\brow \d+/i.test(message) ? message : where + ': ' + message) + kept);
      return false;
    }
    const fresh = state.calc.responses(row, 1).page[0];
    const page = state.grid.data.page;
    page[page.indexOf(entry)] = fresh;
    if (control.tagName === 'INPUT') control.value = cellText(cellValue(fresh, column));
    if (column.kind === 'id') relabelRow(fresh);
    setCellError(control, '');
    recompute();
    if (column.kind === 'id' || column.kind === 'metric') renderBusiness(); // the join by id, NPS, CSAT
    return true;
  }

  /** After an id edit: the row's controls are named by the id. */
  function relabelRow(entry) {
    const tr = $('survey-grid').querySelector('tr[data-row="' + entry.row + '"]');
    if (!tr) return;
    for (const control of tr.querySelectorAll('[data-col]')) {
      const column = gridColumn(control.dataset.col);
      control.setAttribute('aria-label', rowName(entry) + ', ' + column.name);
    }
    tr.querySelector('.grid-delete').setAttribute('aria-label',
      'Delete respondent ' + rowName(entry).replace(/^Row /, 'in row '));
  }

  function setCellError(control, message) {
    const key = control.dataset.row + ':' + control.dataset.col;
    if (message) {
      state.grid.errors.set(key, message);
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', 'grid-errors');
    } else {
      if (!state.grid.errors.has(key)) return;
      state.grid.errors.delete(key);
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-describedby');
    }
    renderGridErrors();
  }

  function renderGridErrors() {
    const box = $('grid-errors');
    box.replaceChildren(...Array.from(state.grid.errors.values(), (m) => cell('p', m)));
  }

  /** Restores a cell to the value the calculator holds. */
  function revertCell(control) {
    const entry = gridEntry(Number(control.dataset.row));
    const column = gridColumn(control.dataset.col);
    if (!entry || !column) return;
    const stored = cellValue(entry, column);
    control.value = control.tagName === 'INPUT' ? cellText(stored) : stored;
    setCellError(control, '');
  }

  /** Focus the same column one row up (-1) or down (+1) on this grid page. */
  function moveInGrid(control, step) {
    const target = $('survey-grid').querySelector('[data-row="' + (Number(control.dataset.row) + step) +
      '"][data-col="' + control.dataset.col + '"]');
    if (target) {
      target.focus();
      if (target.select) target.select();
    }
  }

  function addRespondent() {
    const count = state.calc.responseCount();
    const taken = new Set(count > 0 ? state.calc.responses(0, count).page.map((e) => e.id) : []);
    let k = count + 1;
    while (taken.has('R' + String(k).padStart(4, '0'))) k++;
    const id = 'R' + String(k).padStart(4, '0');
    try {
      state.calc.addResponse({ id, segments: [], answers: {} });
    } catch (e) {
      showImportStatus('Could not add a respondent: ' + messageOf(e), 'error');
      return;
    }
    state.grid.offset = Math.floor(count / GRID_PAGE) * GRID_PAGE;
    onSurveyChanged();
    announce('Added respondent ' + id + ' in row ' + (count + 1) + '; their answers are blank (not answered).');
    const first = $('survey-grid').querySelector('[data-row="' + count + '"][data-col="id"]');
    if (first) first.focus();
  }

  function deleteRespondent(row) {
    const entry = gridEntry(row);
    try {
      state.calc.deleteResponse(row);
    } catch (e) {
      showImportStatus('Could not delete the respondent: ' + messageOf(e), 'error');
      return;
    }
    onSurveyChanged();
    announce('Deleted respondent ' + (entry && entry.id ? entry.id + ' ' : '') + 'in row ' + (row + 1) + '.');
    // Focus what took its place: the next respondent's delete button, else the one before.
    const buttons = $('survey-grid').querySelectorAll('.grid-delete');
    const next = Array.from(buttons).find((b) => Number(b.dataset.row) === row) || buttons[buttons.length - 1];
    if (next) next.focus();
    else $('add-respondent').focus();
  }

  function bindSurveyControls() {
    const table = $('survey-grid');
    table.addEventListener('change', (e) => {
      if (e.target.dataset && e.target.dataset.col) commitCell(e.target);
    });
    table.addEventListener('keydown', (e) => {
      const control = e.target;
      if (!control.dataset || !control.dataset.col) return;
      if (e.key === 'Escape') {
        revertCell(control);
        e.preventDefault();
      } else if (e.key === 'Enter' && control.tagName === 'INPUT') {
        e.preventDefault();
        if (commitCell(control)) moveInGrid(control, 1);
      } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && control.tagName === 'INPUT' && !e.altKey) {
        e.preventDefault();
        moveInGrid(control, e.key === 'ArrowDown' ? 1 : -1);
      }
    });
    table.addEventListener('click', (e) => {
      const button = e.target.closest('.grid-delete');
      if (button) deleteRespondent(Number(button.dataset.row));
    });
    $('grid-prev').addEventListener('click', () => turnPage(-1));
    $('grid-next').addEventListener('click', () => turnPage(1));
    $('add-respondent').addEventListener('click', addRespondent);

    // Import: file input, drop, paste, template.
    const input = $('csv-input');
    $('csv-open').addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      input.value = ''; // choosing the same file again still triggers a change
      if (file) importFile(file);
    });
    $('template-download').addEventListener('click', downloadTemplate);
    $('paste-add').addEventListener('click', () => importPasted($('paste-text').value));
    $('import-confirm').addEventListener('click', confirmImport);
    $('import-check').addEventListener('click', () => {
      const report = runCheck();
      if (report) reportStatus(report);
    });
    $('import-cancel').addEventListener('click', () => {
      const name = state.importing ? state.importing.name : 'the file';
      dropImport();
      showImportStatus('Import of ' + name + ' cancelled; nothing changed.', 'info');
      $('csv-open').focus();
    });
    $('decimal-comma').addEventListener('change', (e) => {
      if (!state.importing) return;
      state.importing.decimalComma = e.target.checked;
      invalidateReport();
    });
    for (const radio of document.querySelectorAll('input[name="import-mode"]')) {
      radio.addEventListener('change', (e) => {
        if (state.importing && e.target.checked) state.importing.mode = e.target.value;
      });
    }

    const section = $('survey');
    // Pasting several cells anywhere in the grid adds rows; a single value pastes into its cell.
    section.addEventListener('paste', (e) => {
      if (e.target.closest('#paste-rows, #import-step') || e.target.tagName === 'TEXTAREA') return;
      const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
      if (!text || !/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ''))) return;
      e.preventDefault();
      importPasted(text);
    });
    bindFileDrop(section, importFile);
    // A file dropped elsewhere would make the browser open it and leave this page (and its data).
    window.addEventListener('dragover', (e) => {
      if (hasFiles(e)) e.preventDefault();
    });
    window.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      showImportStatus('To import survey data, drop the CSV file on the Survey data section ' +
        '(a customer table goes on the Customer table section).', 'info');
    });
  }

  function hasFiles(e) {
    return Boolean(e.dataTransfer) && Array.from(e.dataTransfer.types || []).includes('Files');
  }

  /** A section that takes a dropped file: onFile(file, several) gets the first one. */
  function bindFileDrop(section, onFile) {
    section.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      section.classList.add('drop-target');
    });
    section.addEventListener('dragleave', (e) => {
      if (!section.contains(e.relatedTarget)) section.classList.remove('drop-target');
    });
    section.addEventListener('drop', (e) => {
      section.classList.remove('drop-target');
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.stopPropagation();
      const files = e.dataTransfer.files;
      if (files && files.length) onFile(files[0], files.length > 1);
    });
  }

  function turnPage(step) {
    const count = state.calc.responseCount();
    state.grid.offset = Math.min(Math.max(0, state.grid.offset + step * GRID_PAGE),
      Math.max(0, Math.floor((count - 1) / GRID_PAGE) * GRID_PAGE));
    renderGrid();
    const button = $(step < 0 ? 'grid-prev' : 'grid-next');
    if (button.disabled) $(step < 0 ? 'grid-next' : 'grid-prev').focus();
  }

  // ---------------------------------------------------------------- survey data: import

  function showImportStatus(message, kind) {
    showStatus($('import-status'), message, kind);
  }

  function showStatus(box, message, kind) {
    // An error is an alert (read out at once); anything else is a polite status.
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    box.dataset.kind = kind || 'info';
    box.textContent = message;
  }

  function downloadTemplate() {
    let text;
    try {
      text = state.calc.templateCsv();
    } catch (e) {
      showImportStatus('Could not make the template: ' + messageOf(e), 'error');
      return;
    }
    downloadText(text, 'text/csv', TEMPLATE_NAME);
    showImportStatus('Downloaded ' + TEMPLATE_NAME + ': the columns of this model and one example row. ' +
      'Fill it in with one row per respondent and import it here.', 'info');
  }

  function importFile(file, several) {
    const name = '"' + file.name + '"';
    if (file.size > MAX_CSV_BYTES) {
      showImportStatus('Could not import ' + name + ': the file is larger than 50 MB.', 'error');
      return;
    }
    file.arrayBuffer().then((buffer) => {
      beginImport(new Uint8Array(buffer), { name, source: 'file' });
      if (several) showImportStatus($('import-status').textContent + ' Only the first of the dropped files is read.', 'info');
    }, (e) => showImportStatus('Could not read ' + name + ': ' + messageOf(e), 'error'));
  }

  /**
   * Pasted rows from a spreadsheet. A first line without any number is a header: the paste is
   * a small CSV import. Otherwise the columns are the grid's, in order, under a header made here.
   */
  function importPasted(raw) {
    const text = String(raw || '').replace(/^\uFEFF/, '');
    const lines = text.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
    if (!lines.length) {
      showImportStatus('Paste rows copied from a spreadsheet into the box first.', 'error');
      $('paste-rows').open = true;
      $('paste-text').focus();
      return;
    }
    const delimiter = lines[0].includes('\t') ? '\t' : lines[0].includes(';') ? ';' : ',';
    const cells = lines[0].split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    const numeric = (c) => c !== '' && (F.parseNumber(c).ok || /^[+-]?\d+,\d+$/.test(c));
    if (!cells.some(numeric)) {
      beginImport(text, { name: 'the pasted rows', source: 'paste' });
      return;
    }
    const columns = gridColumns();
    const width = cells.length;
    const used = new Set();
    const header = [];
    const mapping = [];
    for (let i = 0; i < width; i++) {
      const column = columns[i];
      let name = column ? column.header : 'extra column ' + (i - columns.length + 1);
      while (used.has(name.toLowerCase())) name += ' (' + (column && column.item ? column.item.id : i + 1) + ')';
      used.add(name.toLowerCase());
      header.push(csvField(name, delimiter));
      if (!column) mapping.push({ column: i, role: 'ignore' });
      else if (column.kind === 'id') mapping.push({ column: i, role: 'respondent_id' });
      else if (column.kind === 'group') mapping.push({ column: i, role: 'segment', group: column.group });
      else if (column.kind === 'metric') mapping.push({ column: i, role: column.metric });
      else mapping.push({ column: i, role: 'item', item_id: column.item.id, create_item: false });
    }
    beginImport(header.join(delimiter) + '\r\n' + text, {
      name: 'the pasted rows', source: 'paste', mapping: () => mapping,
      note: 'The pasted rows have no header, so their ' + width + ' column' + (width === 1 ? ' is' : 's are') +
        ' taken in the table\u2019s order' + (width > columns.length ? '; the extra ones are ignored' : '') + '.',
    });
  }

  /** RFC 4180 quoting, for the header made for a paste without one. */
  function csvField(text, delimiter) {
    return /["\r\n]/.test(text) || text.includes(delimiter) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /** Step 1: the file's preview; shows the mapping step. A refused file changes nothing. */
  function beginImport(input, options) {
    dropImport();
    let preview;
    try {
      preview = state.calc.importCsv(input);
    } catch (e) {
      showImportStatus('Could not import ' + options.name + ': ' + messageOf(e), 'error');
      return;
    }
    const mapping = options.mapping ? options.mapping(preview)
      : preview.columns.map((c) => JSON.parse(JSON.stringify(c.proposed)));
    state.importing = {
      preview, name: options.name, source: options.source, mapping,
      decimalComma: Boolean(preview.decimal_comma),
      mode: options.source === 'paste' ? 'add' : 'replace', report: null,
    };
    renderImportStep();
    const rows = preview.data_rows;
    showImportStatus('Read ' + options.name + ': ' + F.count(rows) + ' data row' + (rows === 1 ? '' : 's') + ' and ' +
      preview.columns.length + ' column' + (preview.columns.length === 1 ? '' : 's') + '. ' +
      (options.note ? options.note + ' ' : '') + 'Check how each column is used below, then import.', 'info');
    $('import-title').focus();
  }

  /** Drops a pending import (the calculator's too); nothing else changes. */
  function dropImport() {
    if (state.importing) state.calc.cancelImport();
    state.importing = null;
    $('import-step').hidden = true;
    $('mapping-table').tBodies[0].replaceChildren();
  }

  function renderImportStep() {
    const imp = state.importing;
    const preview = imp.preview;
    $('import-step').hidden = false;
    $('import-title').textContent = (imp.source === 'paste' ? 'Add ' : 'Import ') + imp.name +
      ': choose how each column is used';
    $('import-summary').textContent = F.count(preview.data_rows) + ' data row' + (preview.data_rows === 1 ? '' : 's') +
      ', ' + preview.columns.length + ' column' + (preview.columns.length === 1 ? '' : 's') + '. Detected: ' +
      (DELIMITER_WORDS[preview.delimiter] || 'separated by "' + preview.delimiter + '"') + ', ' +
      (preview.decimal_comma ? 'decimal comma (1.234,50)' : 'decimal point (1,234.50)') + '.';
    const comma = $('decimal-comma');
    comma.checked = imp.decimalComma;
    // With commas between fields, a comma cannot also be the decimal mark.
    $('decimal-comma-label').hidden = preview.delimiter === ',';
    const count = state.calc.responseCount();
    $('import-mode').hidden = count === 0;
    $('import-replace-text').textContent = 'replace the ' + F.count(count) + ' respondent' + (count === 1 ? '' : 's') + ' now loaded';
    $('import-add-text').textContent = 'are added after the ' + F.count(count) + ' respondent' + (count === 1 ? '' : 's') + ' now loaded';
    $(imp.mode === 'add' ? 'import-add' : 'import-replace').checked = true;
    $('mapping-table').tBodies[0].replaceChildren(...preview.columns.map((column, i) => mappingRow(column, i)));
    renderReport();
  }

  /** "whole numbers 1 to 5; 2 blank", "text, 2 different values", "4 numbers 3 to 5; 1 text". */
  function describeProfile(profile) {
    const parts = [];
    const mixed = profile.numeric > 0 && profile.text > 0;
    if (profile.numeric > 0) {
      const range = F.isNumber(profile.min) && F.isNumber(profile.max)
        ? (profile.min === profile.max ? F.inputText(profile.min) : F.inputText(profile.min) + ' to ' + F.inputText(profile.max))
        : '';
      parts.push((mixed ? F.count(profile.numeric) + ' ' : '') + (profile.whole_numbers ? 'whole numbers' : 'numbers') +
        (range ? ' ' + range : ''));
    }
    if (profile.text > 0) {
      parts.push(mixed ? F.count(profile.text) + ' text'
        : 'text, ' + F.count(profile.distinct) + ' different value' + (profile.distinct === 1 ? '' : 's'));
    }
    if (profile.blank > 0) parts.push(F.count(profile.blank) + ' blank');
    return parts.join('; ') || 'empty';
  }

  function roleValue(m) {
    if (m.role !== 'item') return m.role;
    return m.create_item ? 'new-' + ((m.new_item && m.new_item.side) || 'benefit') : 'item:' + m.item_id;
  }

  function mappingRow(column, index) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'map-row-' + index;
    const header = column.header || '';
    const th = document.createElement('th');
    th.scope = 'row';
    th.appendChild(cell('span', header || '(no header)', 'map-header'));
    th.appendChild(cell('span', 'column ' + (index + 1), 'map-colnum'));
    tr.appendChild(th);
    const examples = document.createElement('td');
    examples.className = 'map-examples';
    const list = (column.profile.examples || []).slice(0, 3);
    if (list.length) {
      for (const example of list) examples.appendChild(cell('span', String(example).slice(0, 40), 'example'));
    } else examples.textContent = 'all blank';
    tr.appendChild(examples);
    tr.appendChild(cell('td', describeProfile(column.profile), 'map-profile'));

    const roleCell = document.createElement('td');
    const select = document.createElement('select');
    select.className = 'map-role';
    select.id = 'map-role-' + index;
    select.dataset.testid = 'map-role-' + index;
    select.setAttribute('aria-label', 'Use column ' + (index + 1) + (header ? ' (' + header + ')' : '') + ' as');
    const csat = csatScale();
    const options = [
      new Option('Ignore', 'ignore'), new Option('Respondent id', 'respondent_id'), new Option('Segment', 'segment'),
      new Option('NPS (0\u201310)', 'nps'), new Option('CSAT (' + csat.low + '\u2013' + csat.high + ')', 'csat'),
      new Option('CES (1\u20137)', 'ces'),
    ];
    select.replaceChildren(...options);
    for (const side of ['benefit', 'cost']) {
      const group = document.createElement('optgroup');
      group.label = side === 'benefit' ? 'Benefit items' : 'Cost items';
      for (const item of state.model.items.filter((i) => i.side === side)) {
        group.appendChild(new Option(item.label, 'item:' + item.id));
      }
      group.appendChild(new Option('New ' + side + ' item\u2026', 'new-' + side));
      select.appendChild(group);
    }
    select.value = roleValue(state.importing.mapping[index]);
    select.addEventListener('change', () => {
      state.importing.mapping[index] = mappingFor(select.value, column, state.importing.mapping[index]);
      renderMappingDetails(details, column, index);
      invalidateReport();
    });
    roleCell.appendChild(select);
    tr.appendChild(roleCell);
    const details = document.createElement('td');
    details.className = 'map-details';
    renderMappingDetails(details, column, index);
    tr.appendChild(details);
    return tr;
  }

  /** A mapping entry for a role chosen in the select. */
  function mappingFor(value, column, previous) {
    const c = column.column;
    if (value.startsWith('item:')) return { column: c, role: 'item', item_id: value.slice(5), create_item: false };
    if (value === 'new-benefit' || value === 'new-cost') {
      const side = value.slice(4);
      let item;
      const proposed = column.proposed;
      if (previous && previous.create_item && previous.new_item) item = Object.assign({}, previous.new_item, { side });
      else if (proposed.create_item && proposed.new_item) item = Object.assign({}, proposed.new_item, { side });
      else item = guessNewItem(column, side);
      if (!KINDS[side].includes(item.kind)) item.kind = KINDS[side][0];
      return { column: c, role: 'item', create_item: true, item_id: item.id, new_item: item };
    }
    if (value === 'segment') {
      const group = column.proposed.role === 'segment' && column.proposed.group
        ? column.proposed.group : String(column.header || 'Column ' + (c + 1)).replace(/^segment\s*:\s*/i, '');
      return { column: c, role: 'segment', group };
    }
    return { column: c, role: value };
  }

  /** A new item for a column: label from the header, scale from the numbers seen. */
  function guessNewItem(column, side) {
    const label = String(column.header || 'Column ' + (column.column + 1)).replace(/^(benefit|cost)\s*:\s*/i, '').trim() ||
      'Column ' + (column.column + 1);
    const p = column.profile;
    let scale = 'currency';
    if (p.numeric > 0 && p.whole_numbers && F.isNumber(p.min) && F.isNumber(p.max)) {
      if (p.min >= 1 && p.max <= 5) scale = '1-5';
      else if (p.min >= 1 && p.max <= 7) scale = '1-7';
      else if (p.min >= 1 && p.max <= 10) scale = '1-10';
      else if (p.min >= 0 && p.max <= 10) scale = '0-10';
    }
    const item = { id: uniqueItemId(label), label, side, kind: KINDS[side][0], weight: 5, scale };
    if (scale === 'currency') item.reference_amount = roundUp(F.isNumber(p.max) && p.max > 0 ? p.max : 100);
    return item;
  }

  function roundUp(x) {
    const step = Math.pow(10, Math.floor(Math.log10(x)));
    return Math.ceil(x / step) * step;
  }

  function uniqueItemId(label) {
    const base = String(label).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'item';
    const taken = new Set(state.model.items.map((i) => i.id));
    for (const m of state.importing ? state.importing.mapping : []) if (m && m.create_item) taken.add(m.item_id);
    let id = base;
    for (let k = 2; taken.has(id); k++) id = base + '-' + k;
    return id;
  }

  function labelled(text, control) {
    const label = document.createElement('label');
    label.className = 'map-field';
    label.appendChild(cell('span', text, 'map-field-label'));
    label.appendChild(control);
    return label;
  }

  function renderMappingDetails(td, column, index) {
    const m = state.importing.mapping[index];
    const parts = [];
    const n = index + 1;
    if (m.role === 'ignore') parts.push(cell('span', 'Not imported.', 'map-note'));
    else if (m.role === 'respondent_id') parts.push(cell('span', 'Kept with each row to tell respondents apart.', 'map-note'));
    else if (m.role === 'nps') parts.push(cell('span', '0\u201310: promoters 9\u201310, detractors 0\u20136.', 'map-note'));
    else if (m.role === 'csat') {
      const s = csatScale();
      parts.push(cell('span', s.low + '\u2013' + s.high + ' satisfaction rating.', 'map-note'));
    } else if (m.role === 'ces') parts.push(cell('span', '1\u20137 agreement that it was easy.', 'map-note'));
    else if (m.role === 'segment') {
      const input = document.createElement('input');
      input.type = 'text';
      input.value = m.group || '';
      input.dataset.testid = 'map-group-' + index;
      input.setAttribute('aria-label', 'Segment group for column ' + n);
      input.addEventListener('input', () => {
        m.group = input.value;
        invalidateReport();
      });
      parts.push(labelled('Group', input));
      const groups = Array.from(new Set(state.model.segments.map((s) => s.group).filter(Boolean)));
      parts.push(cell('span', 'Each value is a segment in this group; new values add segments.' +
        (groups.length ? ' Groups now: ' + groups.join(', ') + '.' : ''), 'map-note'));
    } else if (m.role === 'item' && !m.create_item) {
      const item = state.model.items.find((i) => i.id === m.item_id);
      parts.push(cell('span', item ? sentence(item.side) + ', ' + F.describeKind(item.kind) + ', ' +
        F.describeScale(item, state.model.currency) + '.' : '', 'map-note'));
    } else if (m.role === 'item') {
      parts.push(...newItemFields(m, index));
    }
    td.replaceChildren(...parts);
  }

  function newItemFields(m, index) {
    const item = m.new_item;
    const n = index + 1;
    const fields = [];
    const label = document.createElement('input');
    label.type = 'text';
    label.value = item.label || '';
    label.dataset.testid = 'map-label-' + index;
    label.setAttribute('aria-label', 'Label of the new item from column ' + n);
    label.addEventListener('input', () => {
      item.label = label.value;
      invalidateReport();
    });
    fields.push(labelled('Label', label));

    const kind = document.createElement('select');
    kind.setAttribute('aria-label', 'Kind of the new item from column ' + n);
    kind.replaceChildren(...KINDS[item.side].map((k) => new Option(F.describeKind(k), k)));
    kind.value = item.kind;
    kind.addEventListener('change', () => {
      item.kind = kind.value;
      invalidateReport();
    });
    fields.push(labelled('Kind', kind));

    const scale = document.createElement('select');
    scale.setAttribute('aria-label', 'Scale of the new item from column ' + n);
    scale.replaceChildren(...ITEM_SCALES.map(([v, t]) => new Option(t, v)));
    scale.value = item.scale;
    fields.push(labelled('Scale', scale));

    const reference = document.createElement('input');
    reference.type = 'text';
    reference.inputMode = 'decimal';
    reference.value = F.inputText(item.reference_amount);
    reference.setAttribute('aria-label', 'Reference amount (top of the scale) for the new item from column ' + n);
    reference.addEventListener('input', () => {
      const parsed = F.parseNumber(reference.value);
      item.reference_amount = parsed.ok ? parsed.value : reference.value;
      invalidateReport();
    });
    const referenceField = labelled('Reference amount (' + String(state.model.currency || '') + ')', reference);

    const reverse = document.createElement('input');
    reverse.type = 'checkbox';
    reverse.checked = Boolean(item.reverse);
    reverse.addEventListener('change', () => {
      if (reverse.checked) item.reverse = true;
      else delete item.reverse;
      invalidateReport();
    });
    const reverseField = document.createElement('label');
    reverseField.className = 'map-field map-check';
    reverseField.appendChild(reverse);
    reverseField.appendChild(document.createTextNode(' Reverse-coded (a high answer means a low score)'));

    const showScaleFields = () => {
      const money = item.scale === 'currency';
      referenceField.hidden = !money;
      reverseField.hidden = money;
    };
    scale.addEventListener('change', () => {
      item.scale = scale.value;
      if (item.scale === 'currency') {
        if (!F.isNumber(item.reference_amount)) {
          const max = m.column !== undefined ? state.importing.preview.columns[m.column].profile.max : null;
          item.reference_amount = roundUp(F.isNumber(max) && max > 0 ? max : 100);
          reference.value = F.inputText(item.reference_amount);
        }
        delete item.reverse;
        reverse.checked = false;
      } else delete item.reference_amount;
      showScaleFields();
      invalidateReport();
    });
    showScaleFields();
    fields.push(referenceField, reverseField);
    const wrap = document.createElement('div');
    wrap.className = 'new-item';
    wrap.replaceChildren(...fields);
    return [wrap];
  }

  /** The mapping changed: the last check no longer applies. */
  function invalidateReport() {
    if (!state.importing || !state.importing.report) return;
    state.importing.report = null;
    renderReport();
  }

  /** Step 2: checks every row against the mapping; nothing changes. Returns the report or null. */
  function runCheck() {
    const imp = state.importing;
    if (!imp) return null;
    let report;
    try {
      report = state.calc.checkImport(imp.mapping, { delimiter: imp.preview.delimiter, decimal_comma: imp.decimalComma });
    } catch (e) {
      imp.report = null;
      renderReport();
      showImportStatus('This mapping cannot be imported: ' + messageOf(e), 'error');
      return null;
    }
    imp.report = report;
    renderReport();
    return report;
  }

  function reportStatus(report) {
    showImportStatus(...reportMessage(report));
  }

  /** What a checked import's report means, as [message, kind] for a status line. */
  function reportMessage(report) {
    if (report.rows_valid === 0) {
      return ['None of the ' + F.count(report.rows_total) + ' rows can be imported: every row has a problem ' +
        '(listed below). Change the mapping or fix the file, or cancel.', 'error'];
    }
    if (report.rows_rejected > 0) {
      return [F.count(report.rows_rejected) + ' of ' + F.count(report.rows_total) + ' rows have problems ' +
        '(listed below) and would be left out. Choose \u201c' + confirmLabel(report) + '\u201d to import the other ' +
        F.count(report.rows_valid) + ', or Cancel.', 'info'];
    }
    return ['All ' + F.count(report.rows_total) + ' rows are valid. Choose \u201c' + confirmLabel(report) +
      '\u201d to import them.', 'info'];
  }

  function confirmLabel(report) {
    if (!report) return 'Import';
    const n = F.count(report.rows_valid);
    if (report.rows_rejected > 0) return 'Import ' + n + ' valid row' + (report.rows_valid === 1 ? '' : 's');
    return 'Import ' + n + ' row' + (report.rows_valid === 1 ? '' : 's');
  }

  function renderReport() {
    const imp = state.importing;
    const report = imp && imp.report;
    const confirm = $('import-confirm');
    confirm.textContent = confirmLabel(report);
    confirm.disabled = Boolean(report) && report.rows_valid === 0;
    $('import-report').hidden = !report;
    if (!report) return;
    $('report-summary').textContent = reportSummary(report);
    const created = [];
    if (report.created_items.length) {
      created.push('New items: ' + report.created_items.map((i) => i.label + ' (' + i.side + ')').join(', ') + '.');
    }
    if (report.created_segments.length) {
      created.push('New segments: ' + report.created_segments.map((s) => s.label + (s.group ? ' (' + s.group + ')' : '')).join(', ') + '.');
    }
    $('report-created').textContent = created.join(' ');
    $('report-created').hidden = !created.length;
    renderProblems(report, $('problems-table'), $('problems-scroll'), $('report-more'));
  }

  function reportSummary(report) {
    return F.count(report.rows_total) + ' row' + (report.rows_total === 1 ? '' : 's') +
      ' checked: ' + F.count(report.rows_valid) + ' valid, ' + F.count(report.rows_rejected) + ' rejected' +
      (report.problem_count ? ' (' + F.count(report.problem_count) + ' problem' + (report.problem_count === 1 ? '' : 's') + ')' : '') +
      '. Rows are numbered as in the file, the header being row 1.';
  }

  /** A report's problems, one table row each: row, column, header, value, reason. */
  function renderProblems(report, table, scroll, moreNode) {
    const problems = report.problems.slice(0, 1000);
    scroll.hidden = !problems.length;
    table.tBodies[0].replaceChildren(...problems.map((p) => {
      const tr = tableRow([
        [F.count(p.row), 'num'], [p.column > 0 ? F.count(p.column) : 'whole row', 'num'],
        [p.column > 0 ? String(p.header) : F.MISSING], [String(p.value).slice(0, 60)], [sentence(p.reason)],
      ]);
      tr.dataset.row = String(p.row);
      return tr;
    }));
    const more = report.problem_count - problems.length;
    moreNode.textContent = more > 0
      ? 'The first ' + F.count(problems.length) + ' problems are listed; ' + F.count(more) + ' more are not shown.' : '';
  }

  /**
   * "Import": checks first. All rows valid → imports at once. Some rejected → shows the report
   * and relabels the button "Import N valid rows"; a second press imports them.
   */
  function confirmImport() {
    const imp = state.importing;
    if (!imp) return;
    let report = imp.report;
    if (!report) {
      report = runCheck();
      if (!report) return;
      if (report.rows_rejected > 0) {
        reportStatus(report);
        return;
      }
    }
    if (report.rows_valid === 0) return;
    commitImport();
  }

  /** Every respondent now loaded, as records (for adding imported rows after them). */
  function allRecords() {
    const count = state.calc.responseCount();
    if (!count) return [];
    const data = state.calc.responses(0, count);
    return data.page.map((e) => {
      const answers = {};
      data.item_ids.forEach((id, j) => {
        answers[id] = e.answers[j];
      });
      return { id: e.id, segments: e.segments, answers, nps: e.nps, csat: e.csat, ces: e.ces };
    });
  }

  /** Step 3: applies the checked rows (replacing the survey, or added after it). */
  function commitImport() {
    const imp = state.importing;
    const report = imp.report;
    const before = state.calc.responseCount();
    const keep = imp.mode === 'add' && before > 0 ? allRecords() : null;
    const model = keep ? state.calc.model() : null;
    try {
      state.calc.commitImport();
      if (keep) {
        const added = allRecords();
        try {
          state.calc.setResponseRecords(keep.concat(added));
        } catch (e) {
          // Put model and survey back as they were before the import.
          state.calc.loadModel(model);
          state.calc.setResponseRecords(keep);
          throw e;
        }
      }
    } catch (e) {
      showImportStatus('Could not import ' + imp.name + ': ' + messageOf(e), 'error');
      return;
    }
    state.importing = null;
    $('import-step').hidden = true;
    $('mapping-table').tBodies[0].replaceChildren();
    if (imp.source === 'paste') $('paste-text').value = '';
    state.grid.offset = keep ? Math.floor(before / GRID_PAGE) * GRID_PAGE : 0;
    onModelLoaded(); // the import may have added items and segments
    const n = report.rows_valid;
    let message = 'Imported ' + F.count(n) + ' row' + (n === 1 ? '' : 's') + ' from ' + imp.name;
    if (keep) message += ', added after the ' + F.count(before) + ' respondent' + (before === 1 ? '' : 's') + ' already loaded';
    else if (before > 0) message += ', replacing the ' + F.count(before) + ' respondent' + (before === 1 ? '' : 's') + ' loaded before';
    message += '.';
    if (report.rows_rejected) {
      message += ' ' + F.count(report.rows_rejected) + ' row' + (report.rows_rejected === 1 ? ' was' : 's were') +
        ' left out because of problems.';
    }
    if (report.created_items.length) {
      message += ' Added item' + (report.created_items.length === 1 ? '' : 's') + ': ' +
        report.created_items.map((i) => i.label).join(', ') + '.';
    }
    if (report.created_segments.length) {
      message += ' Added segment' + (report.created_segments.length === 1 ? '' : 's') + ': ' +
        report.created_segments.map((s) => s.label).join(', ') + '.';
    }
    showImportStatus(message, 'success');
    $('survey-heading').focus();
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
    renderGrid();
    renderSettings(true);
    renderBusiness();
    if (state.quick.size) runAllQuick(); // amounts are shown in the model's currency
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
    renderSatisfaction();
    renderItemValues(fmt);
    renderSegments(fmt);
    renderContributionChart();
    renderTornado();
    renderNpsChart();
    renderHistogram();
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

  // ---------------------------------------------------------------- satisfaction

  /** "1-5" → {low: 1, high: 5}; the CSAT scale comes from the model's satisfaction block. */
  function csatScale() {
    const sat = state.model && state.model.satisfaction;
    const scale = (sat && sat.csat_scale) || '1-5';
    return F.scaleBounds({ scale });
  }

  function nEquals(n) {
    return 'n\u00a0=\u00a0' + F.count(n);
  }

  function rangeText(from, high) {
    return from === high ? String(from) : from + '\u2013' + high;
  }

  /** Headline satisfaction numbers (overall), each with its definition, n and 95% interval. */
  function renderSatisfaction() {
    const r = state.results;
    const o = r.overall;
    const sat = o.satisfaction || {};
    const rows = F.isNumber(r.survey_rows) ? r.survey_rows : state.calc.responseCount();
    const none = rows > 0 ? 'No answers in the survey.' : 'Needs survey data.';

    setMetric('respondents', rows, F.count(rows));
    $('respondents-note').textContent = rows > 0
      ? 'survey rows loaded; ' + F.count(o.respondents) + ' answered every item'
      : 'No survey data: value comes from entered scores.';

    // NPS, with the interval's ends as their own outputs.
    const nps = sat.nps || {};
    const low = $('nps-ci-low');
    const high = $('nps-ci-high');
    if (F.isNumber(nps.nps) && nps.n > 0) {
      setMetric('nps', nps.nps, F.signed(nps.nps));
      if (F.isNumber(nps.ci_low) && F.isNumber(nps.ci_high)) {
        setMetric('nps-ci-low', nps.ci_low, F.signed(nps.ci_low));
        setMetric('nps-ci-high', nps.ci_high, F.signed(nps.ci_high));
        $('nps-ci').replaceChildren('95% CI ', low, ' to ', high, '\n' + nEquals(nps.n));
      } else {
        setMetric('nps-ci-low', null, '');
        setMetric('nps-ci-high', null, '');
        $('nps-ci').replaceChildren('No interval\n' + nEquals(nps.n), low, high);
      }
    } else {
      setMetric('nps', null, 'No data');
      setMetric('nps-ci-low', null, '');
      setMetric('nps-ci-high', null, '');
      $('nps-ci').replaceChildren(none, low, high);
    }

    // CSAT: top-two-box share.
    const csat = sat.csat || {};
    const scale = csatScale();
    const from = F.isNumber(csat.satisfied_from) ? csat.satisfied_from : scale.high - 1;
    const definition = 'answers ' + rangeText(from, scale.high) + ' on ' + scale.low + '\u2013' + scale.high;
    $('csat-def').textContent = '% who ' + definition.replace(/^answers/, 'answer') + ' (top-two-box); Wilson interval';
    $('csat-method').textContent = definition.replace(/^answers /, '');
    if (F.isNumber(csat.percent) && csat.n > 0) {
      setMetric('csat', csat.percent, F.percent(csat.percent));
      $('csat-ci').textContent = F.isNumber(csat.ci_low) && F.isNumber(csat.ci_high)
        ? '95% CI ' + F.percent(csat.ci_low) + ' to ' + F.percent(csat.ci_high) + '\n' + nEquals(csat.n)
        : 'No interval\n' + nEquals(csat.n);
    } else {
      setMetric('csat', null, 'No data');
      $('csat-ci').textContent = none;
    }

    // CES: the mean is the headline; the share agreeing is stated next to it.
    const ces = sat.ces || {};
    const agree = ces.agreeing || {};
    const agreeFrom = F.isNumber(ces.agree_from) ? ces.agree_from : 5;
    $('ces-method').textContent = rangeText(agreeFrom, 7);
    if (F.isNumber(ces.mean) && ces.n > 0) {
      setMetric('ces', ces.mean, F.number(ces.mean, 2));
      $('ces-ci').textContent = F.isNumber(ces.ci_low) && F.isNumber(ces.ci_high)
        ? '95% CI ' + F.number(ces.ci_low, 2) + ' to ' + F.number(ces.ci_high, 2) + '\n' + nEquals(ces.n)
        : 'No interval: ' + String(ces.no_interval_reason || 'too few answers') + '\n' + nEquals(ces.n);
      $('ces-def').textContent = 'Mean shown, on 1\u20137 (higher = easier); t-interval. ' +
        (F.isNumber(agree.percent) && agree.n > 0
          ? 'Agreeing (' + rangeText(agreeFrom, 7) + '): ' + F.percent(agree.percent) +
            (F.isNumber(agree.ci_low) && F.isNumber(agree.ci_high)
              ? ' (95% CI ' + F.percent(agree.ci_low) + ' to ' + F.percent(agree.ci_high) + ')' : '') + '.'
          : '');
    } else {
      setMetric('ces', null, 'No data');
      $('ces-ci').textContent = none;
      $('ces-def').textContent = 'Mean on 1\u20137 and % agreeing (' + rangeText(agreeFrom, 7) + ').';
    }
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
    if (survey && view.low_confidence === true && view.survey_rows > 0) {
      // Fewer than 30 respondents: intervals are wide and approximations rough. Said in words.
      const flag = document.createElement('span');
      flag.className = 'flag';
      flag.dataset.testid = 'low-confidence';
      flag.replaceChildren(cell('span', 'low confidence: '), cell('span', 'n < 30'));
      n.appendChild(document.createElement('br'));
      n.appendChild(flag);
    }
    tr.appendChild(n);
    tr.appendChild(cell('td', survey ? F.count(view.excluded_incomplete) : F.MISSING, 'num'));
    if (view.source === 'none' || !view.net_value) {
      const td = cell('td', sentence(view.no_data_reason || 'no data'), 'no-data');
      td.colSpan = 4;
      tr.appendChild(td);
    } else {
      tr.appendChild(cell('td', fmt.format(view.total_benefits), 'num'));
      tr.appendChild(cell('td', fmt.format(view.total_costs), 'num'));
      tr.appendChild(statCell('value-net', view.net_value.mean, view.net_value, fmt.format));
      tr.appendChild(statCell('value-index', view.value_index.mean, view.value_index, (x) => F.number(x, 1)));
    }
    for (const td of satisfactionCells(view)) tr.appendChild(td);
    return tr;
  }

  /** The NPS, CSAT and CES cells of a segment table row: estimate, interval, and n each. */
  function satisfactionCells(view) {
    const sat = view.satisfaction || {};
    const nps = sat.nps || {};
    const csat = sat.csat || {};
    const ces = sat.ces || {};
    const pct = (x) => F.percent(x);
    return [
      statCell('sat sat-nps', nps.n > 0 ? nps.nps : null, nps, F.signed, true),
      statCell('sat sat-csat', csat.n > 0 ? csat.percent : null, csat, pct, true),
      statCell('sat sat-ces', ces.n > 0 ? ces.mean : null, ces, (x) => F.number(x, 2), true),
    ];
  }

  /** An estimate in a table cell: the value, then its 95% interval and n in small print. */
  function statCell(cls, value, estimate, format, showN) {
    const td = document.createElement('td');
    td.className = 'num stat ' + cls;
    if (!F.isNumber(value)) {
      td.classList.add('no-data');
      td.textContent = 'no data';
      return td;
    }
    td.dataset.value = String(value);
    td.appendChild(cell('span', format(value), 'cell-value'));
    if (F.isNumber(estimate.ci_low) && F.isNumber(estimate.ci_high)) {
      td.appendChild(cell('span', format(estimate.ci_low) + ' to ' + format(estimate.ci_high), 'cell-ci'));
    }
    if (showN && estimate.n > 0) td.appendChild(cell('span', 'n = ' + F.count(estimate.n), 'cell-ci'));
    return td;
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
      renderNpsChart();
      renderHistogram();
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

  function renderNpsChart() {
    const r = state.results;
    const views = [r.overall].concat(r.segments);
    const rows = views.map((view) => {
      const nps = (view.satisfaction && view.satisfaction.nps) || {};
      return {
        label: view.label || 'All customers', n: nps.n || 0, nps: nps.nps, npsText: F.signed(nps.nps),
        promoters: nps.promoters || 0, passives: nps.passives || 0, detractors: nps.detractors || 0,
        estimate: nps,
      };
    });
    const o = rows[0];
    Charts.npsChart($('nps-chart'), {
      rows,
      emptyMessage: 'No NPS answers: load or import survey data with an NPS column to see the mix.',
      summary: {
        title: 'NPS mix: promoters, passives and detractors per segment',
        desc: o.n > 0
          ? 'All customers: NPS ' + o.npsText + ' from ' + o.n + ' answers; ' + share(o.promoters, o.n) +
            ' promoters, ' + share(o.passives, o.n) + ' passives, ' + share(o.detractors, o.n) + ' detractors.'
          : 'No data.',
      },
    });
    const withData = rows.some((row) => row.n > 0);
    $('nps-table').tBodies[0].replaceChildren(...(withData ? rows : []).map((row) => tableRow(row.n > 0 ? [
      [row.label], [F.count(row.n), 'num'],
      [F.count(row.detractors) + ' (' + share(row.detractors, row.n) + ')', 'num'],
      [F.count(row.passives) + ' (' + share(row.passives, row.n) + ')', 'num'],
      [F.count(row.promoters) + ' (' + share(row.promoters, row.n) + ')', 'num'],
      [F.signed(row.nps) + (F.isNumber(row.estimate.ci_low) && F.isNumber(row.estimate.ci_high)
        ? ' (' + F.signed(row.estimate.ci_low) + ' to ' + F.signed(row.estimate.ci_high) + ')' : ''), 'num'],
    ] : [[row.label], ['0', 'num'], ['no data', 'no-data'], [''], [''], ['']])));
  }

  function share(count, n) {
    return n > 0 ? F.percent((100 * count) / n) : F.MISSING;
  }

  function renderHistogram() {
    const fmt = unitFormatter();
    const h = state.results.net_value_histogram || { counts: [] };
    const counts = Array.isArray(h.counts) ? h.counts : [];
    const total = counts.reduce((a, b) => a + b, 0);
    let below = 0;
    let above = 0;
    counts.forEach((c, i) => {
      const from = h.start + i * h.bin_width;
      if (from + h.bin_width <= 0) below += c;
      else if (from >= 0) above += c;
    });
    const unit = fmt.unit === 'currency' ? '' : ' (' + fmt.unitLabel + ')';
    Charts.histogramChart($('histogram-chart'), {
      start: h.start, binWidth: h.bin_width, counts, format: fmt.format,
      axisTitle: 'Net value per respondent' + unit,
      emptyMessage: state.calc.responseCount() > 0
        ? 'No respondent answered every item, so no one has a net value yet.'
        : 'No survey data: the histogram needs respondents.',
      summary: {
        title: 'Histogram of net value per respondent',
        desc: total > 0
          ? total + ' respondents with a net value: ' + below + ' below 0, ' + above + ' above 0, ' +
            (total - below - above) + ' in the range around 0.'
          : 'No data.',
      },
    });
    $('histogram-table').tBodies[0].replaceChildren(...(total > 0 ? counts : []).map((c, i) => {
      const from = h.start + i * h.bin_width;
      return tableRow([[fmt.format(from)], [fmt.format(from + h.bin_width), 'num'], [F.count(c), 'num']]);
    }));
  }

  // ---------------------------------------------------------------- business value: customer table

  // The customer table's columns (docs/api.md, "Customer table"), in the order the select offers them.
  const CUSTOMER_FIELDS = [
    ['ignore', 'Ignore', 'Not imported.'],
    ['customer_id', 'Customer id', 'Tells customers apart; matched to survey respondent ids.'],
    ['segment', 'Segment', 'Each value is a segment in this group.'],
    ['revenue', 'Revenue for the period', 'An amount of 0 or more, for the period in the business settings.'],
    ['mrr', 'MRR (one month)', 'Monthly recurring revenue for one month; map the months oldest first.'],
    ['purchases', 'Purchases', 'A count of 0 or more.'],
    ['gross_margin', 'Gross margin', '0\u2013100%: 35%, 35 or 0.35. Blank uses the default margin.'],
    ['support_cost', 'Support cost', 'An amount of 0 or more.'],
    ['support_hours', 'Support hours', 'Hours \u00d7 the support cost per hour.'],
    ['onboarding_cost', 'Onboarding cost', 'An amount of 0 or more.'],
    ['discounts', 'Discounts', 'An amount of 0 or more.'],
    ['other_cost', 'Other cost to serve', 'An amount of 0 or more.'],
    ['start_date', 'Start date', 'YYYY-MM-DD.'],
    ['churn_date', 'Churn date', 'YYYY-MM-DD; blank for an active customer.'],
    ['nps', 'NPS (0\u201310)', 'How likely to recommend, 0\u201310.'],
    ['csat', 'CSAT', 'Satisfaction on the model\u2019s CSAT scale.'],
    ['usage', 'Usage (0\u2013100%)', 'Share of expected use, 0\u2013100%.'],
    ['payment_status', 'Payment status', 'current, late or failed.'],
  ];
  const QUADRANT_NAMES = {
    satisfied_valuable: 'Satisfied and valuable',
    satisfied_eroding: 'Satisfied but value-eroding',
    valuable_at_risk: 'Valuable but at risk',
    neither: 'Neither',
  };
  // In reading order of the 2 × 2 grid: top row valuable, right column satisfied.
  const QUADRANT_ORDER = ['valuable_at_risk', 'satisfied_valuable', 'neither', 'satisfied_eroding'];

  function showCustomerStatus(message, kind) {
    showStatus($('customer-import-status'), message, kind);
  }

  /** Imports the built-in sample customer table with the proposed mapping. True when applied. */
  function applySampleCustomers(quiet) {
    const calc = state.calc;
    if (!state.sampleCustomers) {
      if (!quiet) showCustomerStatus('The sample customer table is missing from this page.', 'error');
      return false;
    }
    try {
      const preview = calc.importCustomersCsv(state.sampleCustomers);
      const report = calc.checkCustomerImport(preview.columns.map((c) => c.proposed),
        { delimiter: preview.delimiter, decimal_comma: preview.decimal_comma });
      if (report.rows_valid === 0) throw new Error('none of its rows is valid');
      calc.commitCustomerImport();
    } catch (e) {
      calc.cancelCustomerImport();
      if (!quiet) showCustomerStatus('Could not load the sample customer table: ' + messageOf(e), 'error');
      return false;
    }
    state.customerSource = 'the sample customer table';
    state.customerOffset = 0;
    state.erodingOffset = 0;
    return true;
  }

  function bindCustomerControls() {
    const input = $('customer-csv-input');
    $('customer-csv-open').addEventListener('click', () => input.click());
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      input.value = ''; // choosing the same file again still triggers a change
      if (file) customerImportFile(file);
    });
    $('customer-sample').addEventListener('click', () => {
      dropCustomerImport();
      if (applySampleCustomers(false)) {
        renderBusiness();
        showCustomerStatus('Loaded the sample customer table: ' + F.count(state.calc.customerCount()) + ' customers.', 'success');
      }
    });
    $('customer-clear').addEventListener('click', () => {
      dropCustomerImport();
      state.calc.clearCustomers();
      state.customerSource = '';
      renderBusiness();
      showCustomerStatus('The customer table is removed; the quick calculators below still work without one.', 'info');
    });
    $('customer-import-confirm').addEventListener('click', confirmCustomerImport);
    $('customer-import-check').addEventListener('click', () => {
      const report = runCustomerCheck();
      if (report) showCustomerStatus(...reportMessage(report));
    });
    $('customer-import-cancel').addEventListener('click', () => {
      const name = state.customerImporting ? state.customerImporting.name : 'the file';
      dropCustomerImport();
      showCustomerStatus('Import of ' + name + ' cancelled; nothing changed.', 'info');
      $('customer-csv-open').focus();
    });
    $('customer-decimal-comma').addEventListener('change', (e) => {
      if (!state.customerImporting) return;
      state.customerImporting.decimalComma = e.target.checked;
      invalidateCustomerReport();
    });
    bindFileDrop($('customers'), customerImportFile);
    $('customer-prev').addEventListener('click', () => turnCustomerPage(-1));
    $('customer-next').addEventListener('click', () => turnCustomerPage(1));
    $('eroding-prev').addEventListener('click', () => turnErodingPage(-1));
    $('eroding-next').addEventListener('click', () => turnErodingPage(1));
    $('eroding-export').addEventListener('click', exportEroding);
  }

  function customerImportFile(file, several) {
    const name = '"' + file.name + '"';
    if (file.size > MAX_CSV_BYTES) {
      showCustomerStatus('Could not import ' + name + ': the file is larger than 50 MB.', 'error');
      return;
    }
    file.arrayBuffer().then((buffer) => {
      beginCustomerImport(new Uint8Array(buffer), name);
      if (several) {
        showCustomerStatus($('customer-import-status').textContent + ' Only the first of the dropped files is read.', 'info');
      }
    }, (e) => showCustomerStatus('Could not read ' + name + ': ' + messageOf(e), 'error'));
  }

  /** Step 1: the file's preview; shows the mapping step. A refused file changes nothing. */
  function beginCustomerImport(bytes, name) {
    dropCustomerImport();
    let preview;
    try {
      preview = state.calc.importCustomersCsv(bytes);
    } catch (e) {
      showCustomerStatus('Could not import ' + name + ': ' + messageOf(e), 'error');
      return;
    }
    state.customerImporting = {
      preview, name, report: null, decimalComma: Boolean(preview.decimal_comma),
      mapping: preview.columns.map((c) => JSON.parse(JSON.stringify(c.proposed))),
    };
    renderCustomerImportStep();
    const rows = preview.data_rows;
    showCustomerStatus('Read ' + name + ': ' + F.count(rows) + ' data row' + (rows === 1 ? '' : 's') + ' and ' +
      preview.columns.length + ' column' + (preview.columns.length === 1 ? '' : 's') +
      '. Check how each column is used below, then import.', 'info');
    $('customer-import-title').focus();
  }

  /** Drops a pending customer import (the calculator's too); nothing else changes. */
  function dropCustomerImport() {
    if (state.customerImporting) state.calc.cancelCustomerImport();
    state.customerImporting = null;
    $('customer-import-step').hidden = true;
    $('customer-mapping-table').tBodies[0].replaceChildren();
  }

  function renderCustomerImportStep() {
    const imp = state.customerImporting;
    const preview = imp.preview;
    $('customer-import-step').hidden = false;
    $('customer-import-title').textContent = 'Import ' + imp.name + ' as the customer table: choose how each column is used';
    $('customer-import-summary').textContent = F.count(preview.data_rows) + ' data row' +
      (preview.data_rows === 1 ? '' : 's') + ', ' + preview.columns.length + ' column' +
      (preview.columns.length === 1 ? '' : 's') + '. Detected: ' +
      (DELIMITER_WORDS[preview.delimiter] || 'separated by "' + preview.delimiter + '"') + ', ' +
      (preview.decimal_comma ? 'decimal comma (1.234,50)' : 'decimal point (1,234.50)') + '.';
    $('customer-decimal-comma').checked = imp.decimalComma;
    $('customer-decimal-comma-label').hidden = preview.delimiter === ',';
    $('customer-mapping-table').tBodies[0].replaceChildren(...preview.columns.map((column, i) => customerMappingRow(column, i)));
    renderCustomerReport();
  }

  function customerMappingRow(column, index) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'customer-map-row-' + index;
    const header = column.header || '';
    const th = document.createElement('th');
    th.scope = 'row';
    th.appendChild(cell('span', header || '(no header)', 'map-header'));
    th.appendChild(cell('span', 'column ' + (index + 1), 'map-colnum'));
    tr.appendChild(th);
    const examples = document.createElement('td');
    examples.className = 'map-examples';
    const list = (column.examples || []).filter((x) => String(x) !== '').slice(0, 3);
    if (list.length) {
      for (const example of list) examples.appendChild(cell('span', String(example).slice(0, 40), 'example'));
    } else examples.textContent = 'all blank';
    tr.appendChild(examples);

    const roleCell = document.createElement('td');
    const select = document.createElement('select');
    select.className = 'map-role';
    select.dataset.testid = 'customer-map-field-' + index;
    select.setAttribute('aria-label', 'Use column ' + (index + 1) + (header ? ' (' + header + ')' : '') + ' as');
    const csat = csatScale();
    select.replaceChildren(...CUSTOMER_FIELDS.map(([value, text]) =>
      new Option(value === 'csat' ? 'CSAT (' + csat.low + '\u2013' + csat.high + ')' : text, value)));
    select.value = state.customerImporting.mapping[index].field;
    const details = document.createElement('td');
    details.className = 'map-details';
    select.addEventListener('change', () => {
      const previous = state.customerImporting.mapping[index];
      state.customerImporting.mapping[index] = customerMappingFor(select.value, column, previous);
      renderCustomerMappingDetails(details, index);
      invalidateCustomerReport();
    });
    roleCell.appendChild(select);
    tr.appendChild(roleCell);
    renderCustomerMappingDetails(details, index);
    tr.appendChild(details);
    return tr;
  }

  /** A mapping entry for a field chosen in the select; segments and MRR months keep a label. */
  function customerMappingFor(field, column, previous) {
    const entry = { column: column.column, field, label: '' };
    if (field === 'segment' || field === 'mrr') {
      const proposed = column.proposed.field === field ? column.proposed.label : '';
      const fromHeader = String(column.header || 'Column ' + (column.column + 1))
        .replace(field === 'segment' ? /^segment\s*:\s*/i : /^mrr\s*/i, '').trim();
      entry.label = previous && previous.field === field ? previous.label : proposed || fromHeader;
    }
    return entry;
  }

  function renderCustomerMappingDetails(td, index) {
    const m = state.customerImporting.mapping[index];
    const known = CUSTOMER_FIELDS.find(([value]) => value === m.field);
    const parts = [];
    if (m.field === 'segment' || m.field === 'mrr') {
      const input = document.createElement('input');
      input.type = 'text';
      input.value = m.label || '';
      input.dataset.testid = 'customer-map-label-' + index;
      input.setAttribute('aria-label', (m.field === 'segment' ? 'Segment group' : 'Month') + ' for column ' + (index + 1));
      input.addEventListener('input', () => {
        m.label = input.value;
        invalidateCustomerReport();
      });
      parts.push(labelled(m.field === 'segment' ? 'Group' : 'Month', input));
    }
    if (m.field === 'csat') {
      const s = csatScale();
      parts.push(cell('span', s.low + '\u2013' + s.high + ' satisfaction rating.', 'map-note'));
    } else if (known) parts.push(cell('span', known[2], 'map-note'));
    td.replaceChildren(...parts);
  }

  function invalidateCustomerReport() {
    if (!state.customerImporting || !state.customerImporting.report) return;
    state.customerImporting.report = null;
    renderCustomerReport();
  }

  /** Step 2: checks every row against the mapping; nothing changes. Returns the report or null. */
  function runCustomerCheck() {
    const imp = state.customerImporting;
    if (!imp) return null;
    let report;
    try {
      report = state.calc.checkCustomerImport(imp.mapping,
        { delimiter: imp.preview.delimiter, decimal_comma: imp.decimalComma });
    } catch (e) {
      imp.report = null;
      renderCustomerReport();
      showCustomerStatus('This mapping cannot be imported: ' + messageOf(e), 'error');
      return null;
    }
    imp.report = report;
    renderCustomerReport();
    return report;
  }

  function renderCustomerReport() {
    const imp = state.customerImporting;
    const report = imp && imp.report;
    const confirm = $('customer-import-confirm');
    confirm.textContent = confirmLabel(report);
    confirm.disabled = Boolean(report) && report.rows_valid === 0;
    $('customer-import-report').hidden = !report;
    if (!report) return;
    $('customer-report-summary').textContent = reportSummary(report);
    const found = [];
    if (report.segments && report.segments.length) {
      found.push('Segments: ' + report.segments.map((s) => s.label + (s.group ? ' (' + s.group + ')' : '')).join(', ') + '.');
    }
    if (report.mrr_columns && report.mrr_columns.length) {
      found.push('MRR months: ' + report.mrr_columns.join(', ') + '.');
    }
    $('customer-report-created').textContent = found.join(' ');
    $('customer-report-created').hidden = !found.length;
    renderProblems(report, $('customer-problems-table'), $('customer-problems-scroll'), $('customer-report-more'));
  }

  /** "Import": checks first; with rejected rows it lists them and a second press imports the rest. */
  function confirmCustomerImport() {
    const imp = state.customerImporting;
    if (!imp) return;
    let report = imp.report;
    if (!report) {
      report = runCustomerCheck();
      if (!report) return;
      if (report.rows_rejected > 0) {
        showCustomerStatus(...reportMessage(report));
        return;
      }
    }
    if (report.rows_valid === 0) return;
    const before = state.calc.customerCount();
    try {
      state.calc.commitCustomerImport();
    } catch (e) {
      showCustomerStatus('Could not import ' + imp.name + ': ' + messageOf(e), 'error');
      return;
    }
    state.customerImporting = null;
    $('customer-import-step').hidden = true;
    $('customer-mapping-table').tBodies[0].replaceChildren();
    state.customerSource = imp.name;
    state.customerOffset = 0;
    state.erodingOffset = 0;
    renderBusiness();
    const n = report.rows_valid;
    let message = 'Imported ' + F.count(n) + ' customer' + (n === 1 ? '' : 's') + ' from ' + imp.name +
      (before > 0 ? ', replacing the ' + F.count(before) + ' loaded before' : '') + '.';
    if (report.rows_rejected) {
      message += ' ' + F.count(report.rows_rejected) + ' row' + (report.rows_rejected === 1 ? ' was' : 's were') +
        ' left out because of problems.';
    }
    showCustomerStatus(message, 'success');
    $('customers-heading').focus();
  }

  function turnCustomerPage(step) {
    const count = state.business ? state.business.points.length : 0;
    state.customerOffset = Math.min(Math.max(0, state.customerOffset + step * CUSTOMER_PAGE),
      Math.max(0, Math.floor((count - 1) / CUSTOMER_PAGE) * CUSTOMER_PAGE));
    renderCustomerView(state.business);
    const button = $(step < 0 ? 'customer-prev' : 'customer-next');
    if (button.disabled) $(step < 0 ? 'customer-next' : 'customer-prev').focus();
  }

  function turnErodingPage(step) {
    const count = state.business ? state.business.eroding.length : 0;
    state.erodingOffset = Math.min(Math.max(0, state.erodingOffset + step * CUSTOMER_PAGE),
      Math.max(0, Math.floor((count - 1) / CUSTOMER_PAGE) * CUSTOMER_PAGE));
    renderEroding(state.business);
    const button = $(step < 0 ? 'eroding-prev' : 'eroding-next');
    if (button.disabled) $(step < 0 ? 'eroding-next' : 'eroding-prev').focus();
  }

  // ---------------------------------------------------------------- business value: results

  function currencyCode() {
    return (state.model && state.model.currency) || 'USD';
  }
  function money(x) {
    // A word joiner after the minus sign keeps "−$6,730" on one line.
    return F.money(x, currencyCode()).replace(/^\u2212/, '\u2212\u2060');
  }
  /** A fraction as a percentage with enough digits to read a small rate: 0.0049 → "0.49%". */
  function fractionPercent(x) {
    if (!F.isNumber(x)) return F.MISSING;
    const p = 100 * x;
    return F.percent(p, Math.abs(p) < 1 && p !== 0 ? 2 : 1);
  }
  function perPeriod(period) {
    return 'per ' + (period === 'year' ? 'year' : 'month');
  }
  /** An outcome {value, reason}: is it unbounded (as opposed to missing)? */
  function unbounded(outcome) {
    return Boolean(outcome) && !F.isNumber(outcome.value) && /^unbounded/i.test(String(outcome.reason || ''));
  }
  function outcomeWords(outcome) {
    return sentence(String((outcome && outcome.reason) || 'no data')) + '.';
  }
  function satisfactionAxis(settings) {
    if (settings.satisfaction === 'csat') {
      const s = csatScale();
      return { name: 'CSAT', low: s.low, high: s.high, title: 'CSAT answer (' + s.low + '\u2013' + s.high + ')' };
    }
    return { name: 'NPS', low: 0, high: 10, title: 'NPS answer (0\u201310)' };
  }
  function valueAxisName(settings, period) {
    return settings.value === 'clv' ? 'CLV' : 'Contribution ' + perPeriod(period);
  }

  /** The customer table, the settings, the survey or the model changed: render every business output. */
  function renderBusiness() {
    if (!state.calc || !state.model) return;
    const b = state.calc.businessResults();
    if (!b) return;
    state.business = b;
    renderBusinessSource(b);
    renderBusinessMetrics(b);
    renderQuadrants(b);
    renderEroding(b);
    renderBizSegments(b);
    renderMrr(b);
    renderSurveyJoin(b);
    renderCustomerView(b);
    renderBusinessCharts();
  }

  function scheduleBusinessCharts() {
    if (state.businessFrame || !state.business) return;
    state.businessFrame = requestAnimationFrame(() => {
      state.businessFrame = 0;
      renderBusinessCharts();
    });
  }

  function renderBusinessCharts() {
    if (!state.business) return;
    renderValueMap(state.business);
    renderHealthChart(state.business);
  }

  function renderBusinessSource(b) {
    const text = $('customer-source');
    const bar = text.closest('.source-bar');
    bar.dataset.source = b.customers > 0 ? 'survey' : 'none';
    if (b.customers === 0) {
      text.textContent = 'No customer table: import one to see contribution, churn, CLV, health and the map. ' +
        'The quick calculators below work without one.';
    } else {
      const dated = F.isNumber(b.overall.exposure_months) && b.overall.exposure_months > 0;
      text.textContent = 'Customer table: ' + F.count(b.customers) + ' customer' + (b.customers === 1 ? '' : 's') +
        (state.customerSource ? ' from ' + state.customerSource : '') + '; revenue and contribution ' + perPeriod(b.period) +
        (dated && b.as_of ? '; tenure as of ' + b.as_of : '') + '.';
    }
    for (const node of document.querySelectorAll('.biz-period')) node.textContent = perPeriod(b.period);
    for (const node of document.querySelectorAll('.currency-code')) node.textContent = currencyCode();
  }

  function renderBusinessMetrics(b) {
    const o = b.overall;
    const none = b.customers === 0;
    const period = perPeriod(b.period);
    $('contribution-period').textContent = period;
    $('revenue-period').textContent = period;
    if (none) {
      for (const id of ['contribution-total', 'revenue-total', 'churn-rate', 'clv', 'quadrant-satisfied-eroding', 'nrr', 'grr']) {
        setMetric(id, null, 'No data');
      }
      $('contribution-mean').textContent = 'Needs a customer table.';
      $('revenue-note').textContent = '';
      $('churn-note').textContent = 'Needs a customer table with start dates.';
      $('clv-note').textContent = 'Needs a customer table.';
      $('eroding-note').textContent = 'Needs a customer table with NPS or CSAT.';
      $('nrr-note').textContent = 'Needs a customer table with MRR for two months or more.';
      $('grr-note').textContent = '';
      return;
    }
    setMetric('contribution-total', o.contribution_total, money(o.contribution_total));
    const c = o.contribution;
    $('contribution-mean').textContent = F.isNumber(c.mean)
      ? 'Mean ' + money(c.mean) + ' per customer ' + period +
        (F.isNumber(c.ci_low) && F.isNumber(c.ci_high)
          ? ' (95% CI ' + money(c.ci_low) + ' to ' + money(c.ci_high) + ', n = ' + F.count(c.n) + ').'
          : '; no interval: ' + String(c.no_interval_reason || 'too few customers') + '.')
      : 'No contribution: ' + String(c.no_interval_reason || 'no revenue') + '.';
    setMetric('revenue-total', o.revenue, money(o.revenue));
    $('revenue-note').textContent = F.count(o.customers) + ' customer' + (o.customers === 1 ? '' : 's') +
      (b.mrr_columns && b.mrr_columns.length ? '; from MRR (' + b.mrr_columns.length + ' month' +
        (b.mrr_columns.length === 1 ? '' : 's') + ')' : '') + '.';

    const churn = o.monthly_churn;
    if (F.isNumber(churn.value)) {
      setMetric('churn-rate', churn.value, fractionPercent(churn.value) + ' per month');
      $('churn-note').textContent = F.count(o.churned) + ' churned over ' + F.number(o.exposure_months, 0) +
        ' customer-months observed' + (b.as_of ? ', as of ' + b.as_of : '') + '.';
    } else {
      setMetric('churn-rate', null, 'Not available');
      $('churn-note').textContent = outcomeWords(churn);
    }

    const clv = o.clv_mean;
    if (F.isNumber(clv.value)) {
      setMetric('clv', clv.value, money(clv.value));
      $('clv-note').textContent = 'Monthly contribution \u00d7 (months so far + 1 \u00f7 monthly churn); ' +
        'value to date for churned customers.';
    } else {
      setMetric('clv', null, unbounded(clv) ? 'Unbounded' : 'Not available');
      $('clv-note').textContent = outcomeWords(clv);
    }

    const q = b.quadrants.satisfied_eroding;
    setMetric('quadrant-satisfied-eroding', q.customers, F.count(q.customers) + ' customer' + (q.customers === 1 ? '' : 's'));
    $('eroding-note').textContent = q.customers > 0
      ? money(q.revenue) + ' revenue ' + period + ', contribution ' + money(q.contribution) + '.'
      : 'None: no satisfied customer is below the value threshold.';

    const m = b.mrr;
    const columns = b.mrr_columns || [];
    const between = columns.length >= 2
      ? 'MRR ' + columns[columns.length - 2] + ' \u2192 ' + columns[columns.length - 1] : '';
    for (const [id, key, what] of [['nrr', 'nrr', 'expansion \u2212 contraction \u2212 churn'], ['grr', 'grr', 'contraction and churn only']]) {
      const outcome = m ? m[key] : null;
      if (outcome && F.isNumber(outcome.value)) {
        setMetric(id, outcome.value, fractionPercent(outcome.value));
        $(id + '-note').textContent = between + ' (one month to the next); ' + what + '.';
      } else {
        setMetric(id, null, m ? 'Not available' : 'No MRR');
        $(id + '-note').textContent = m ? outcomeWords(outcome)
          : 'Needs MRR for two months or more (columns like \u201cMRR 2026-10\u201d, \u201cMRR 2026-11\u201d).';
      }
    }
  }

  function renderQuadrants(b) {
    const period = perPeriod(b.period);
    const settings = b.settings;
    const axis = satisfactionAxis(settings);
    const where = {
      satisfied_valuable: 'satisfied, valuable',
      satisfied_eroding: 'satisfied, below the value threshold',
      valuable_at_risk: 'not satisfied, valuable',
      neither: 'not satisfied, below the value threshold',
    };
    $('quadrant-grid').replaceChildren(...QUADRANT_ORDER.map((key) => {
      const q = b.quadrants[key];
      const li = document.createElement('li');
      li.className = 'quadrant-card q-' + key.replace(/_/g, '-');
      li.dataset.testid = 'quadrant-card-' + key.replace(/_/g, '-');
      li.dataset.value = String(q.customers);
      const name = cell('p', '', 'quadrant-name');
      const swatch = document.createElement('span');
      swatch.className = 'legend-swatch swatch-q-' + key.replace(/_/g, '-');
      swatch.setAttribute('aria-hidden', 'true');
      name.append(swatch, QUADRANT_NAMES[key]);
      li.append(name,
        cell('p', F.count(q.customers) + ' customer' + (q.customers === 1 ? '' : 's'), 'quadrant-count'),
        cell('p', money(q.revenue) + ' revenue ' + period + '; contribution ' + money(q.contribution), 'quadrant-detail'));
      return li;
    }));
    const unplaced = b.quadrants.unplaced;
    $('map-unplaced').textContent = b.customers === 0 ? ''
      : (unplaced.customers > 0
        ? F.count(unplaced.customers) + ' customer' + (unplaced.customers === 1 ? ' is' : 's are') +
          ' not on the map: no ' + axis.name + ' answer (in the table or the survey), or no value. '
        : 'Every customer is on the map. ') +
        (b.points_sampled ? 'The map shows a sample of ' + F.count(b.points.length) + ' customers; the counts are for all.' : '');
    $('quadrant-revenue-head').textContent = 'Revenue ' + period;
    $('quadrant-contribution-head').textContent = 'Contribution ' + period;
    const rows = QUADRANT_ORDER.concat('unplaced').map((key) => {
      const q = b.quadrants[key];
      return tableRow([[key === 'unplaced' ? 'Not placed' : QUADRANT_NAMES[key]],
        [key === 'unplaced' ? 'no ' + axis.name + ' answer, or no value' : where[key]],
        [F.count(q.customers), 'num'], [money(q.revenue), 'num'], [money(q.contribution), 'num']]);
    });
    $('quadrant-table').tBodies[0].replaceChildren(...(b.customers > 0 ? rows : []));
  }

  function renderValueMap(b) {
    const settings = b.settings;
    const axis = satisfactionAxis(settings);
    const period = perPeriod(b.period);
    const yName = valueAxisName(settings, b.period);
    const satisfiedFrom = settings.satisfied_from;
    const xLine = Math.min(Math.max(Math.ceil(satisfiedFrom) - 0.5, axis.low - 0.5), axis.high + 0.5);
    $('map-subtitle').textContent = 'Each dot is a customer: ' + axis.name + ' answer across, ' +
      (settings.value === 'clv' ? 'CLV' : 'contribution ' + period) + ' up. Satisfied from ' + axis.name + ' ' +
      F.inputText(satisfiedFrom) + '; valuable from ' + money(settings.valuable_from) + '. Dots with the same answer ' +
      'are spread a little sideways so they do not hide each other.';
    const quadrants = {};
    for (const key of QUADRANT_ORDER) {
      const q = b.quadrants[key];
      quadrants[key] = { name: QUADRANT_NAMES[key], detail: F.count(q.customers) + ' \u00b7 ' + money(q.revenue) + ' revenue' };
    }
    const q = b.quadrants;
    const placed = QUADRANT_ORDER.reduce((n, key) => n + q[key].customers, 0);
    Charts.valueMap($('value-map-chart'), {
      points: b.points.filter((p) => F.isNumber(p.x) && F.isNumber(p.y)),
      xLow: axis.low, xHigh: axis.high, xLine, yLine: settings.valuable_from, jitter: true,
      quadrants, formatX: (x) => F.inputText(x), formatY: money,
      xTitle: axis.title, yTitle: yName,
      xLineLabel: 'satisfied from ' + F.inputText(satisfiedFrom),
      yLineLabel: 'valuable from ' + money(settings.valuable_from),
      emptyMessage: b.customers === 0
        ? 'No customer table: import one to see who is satisfied and who is valuable.'
        : 'No customer can be placed: the map needs an ' + axis.name + ' answer (in the table, or in the survey for ' +
          'a matching id) and a value.',
      summary: {
        title: 'Satisfaction versus value: ' + F.count(placed) + ' customers',
        desc: placed > 0
          ? QUADRANT_ORDER.map((key) => QUADRANT_NAMES[key] + ': ' + F.count(q[key].customers) + ' customers, ' +
            money(q[key].revenue) + ' revenue ' + period).join('. ') + '.'
          : 'No data.',
      },
    });
  }

  function renderEroding(b) {
    const settings = b.settings;
    const axis = satisfactionAxis(settings);
    const period = perPeriod(b.period);
    const list = b.eroding;
    const count = b.eroding_count;
    const q = b.quadrants.satisfied_eroding;
    $('eroding-sat-head').textContent = axis.name;
    $('eroding-revenue-head').textContent = 'Revenue ' + period;
    const summary = $('eroding-summary');
    if (b.customers === 0) summary.textContent = 'Needs a customer table.';
    else if (count === 0) {
      summary.textContent = 'No customer is satisfied (' + axis.name + ' ' + F.inputText(settings.satisfied_from) +
        ' or more) yet below the value threshold (' + valueAxisName(settings, b.period).toLowerCase() + ' under ' +
        money(settings.valuable_from) + ').';
    } else {
      summary.textContent = F.count(count) + ' customer' + (count === 1 ? ' is' : 's are') + ' satisfied (' + axis.name +
        ' ' + F.inputText(settings.satisfied_from) + ' or more) but ' + (count === 1 ? 'brings' : 'bring') + ' less than ' +
        money(settings.valuable_from) + ' ' + (settings.value === 'clv' ? 'CLV' : 'contribution ' + period) + ': ' +
        money(q.revenue) + ' revenue and ' + money(q.contribution) + ' contribution ' + period + ' together.' +
        (count > list.length ? ' The first ' + F.count(list.length) + ' are listed and exported.' : '');
    }
    if (state.erodingOffset >= list.length) state.erodingOffset = Math.max(0, Math.floor((list.length - 1) / CUSTOMER_PAGE) * CUSTOMER_PAGE);
    const page = list.slice(state.erodingOffset, state.erodingOffset + CUSTOMER_PAGE);
    $('eroding-table').tBodies[0].replaceChildren(...page.map((e) => {
      const tr = tableRow([
        [String(e.id)], [(e.segments || []).map(String).join(', ') || F.MISSING],
        [F.isNumber(e.satisfaction) ? F.inputText(e.satisfaction) : F.MISSING, 'num'],
        [money(e.revenue), 'num'], [money(e.cost_to_serve), 'num'], [money(e.contribution), 'num'],
        [money(e.clv), 'num'], [F.isNumber(e.health) ? F.number(e.health, 0) : F.MISSING, 'num'],
      ]);
      tr.dataset.id = String(e.id);
      return tr;
    }));
    $('eroding-scroll').hidden = list.length === 0;
    $('eroding-export').hidden = list.length === 0;
    const last = state.erodingOffset + page.length;
    $('eroding-pager').hidden = list.length <= CUSTOMER_PAGE;
    $('eroding-range').textContent = list.length > CUSTOMER_PAGE
      ? 'Customers ' + F.count(state.erodingOffset + 1) + '\u2013' + F.count(last) + ' of ' + F.count(list.length) : '';
    $('eroding-prev').disabled = state.erodingOffset === 0;
    $('eroding-next').disabled = last >= list.length;
  }

  /**
   * A CSV cell. Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
   * CR) gets a leading single quote (OWASP, "CSV Injection"). Numbers are written by this page
   * from finite values, so a negative amount stays a number the spreadsheet can add up.
   */
  function csvCell(value) {
    if (typeof value === 'number') return F.isNumber(value) ? String(value) : '';
    if (value === null || value === undefined) return '';
    let text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function exportEroding() {
    const b = state.business;
    if (!b || !b.eroding.length) return;
    const axis = satisfactionAxis(b.settings);
    const period = b.period === 'year' ? 'year' : 'month';
    const header = ['customer_id', 'segments', axis.name.toLowerCase(), 'revenue_per_' + period,
      'cost_to_serve_per_' + period, 'contribution_per_' + period, 'clv', 'health'];
    const lines = [header.join(',')];
    for (const e of b.eroding) {
      lines.push([e.id, (e.segments || []).join('; '), e.satisfaction, e.revenue, e.cost_to_serve, e.contribution, e.clv,
        e.health].map((v) => csvCell(v === null ? null : typeof v === 'number' ? v : String(v))).join(','));
    }
    // The byte-order mark makes spreadsheet programs read the file as UTF-8.
    downloadText('\uFEFF' + lines.join('\r\n') + '\r\n', 'text/csv', 'satisfied-but-value-eroding-customers.csv');
    announce('Exported ' + b.eroding.length + ' satisfied but value-eroding customers as CSV.');
  }

  function bizRow(g, b, testid) {
    const tr = document.createElement('tr');
    tr.dataset.testid = testid;
    const th = document.createElement('th');
    th.scope = 'row';
    th.className = 'seg-name';
    th.appendChild(cell('span', g.label || 'All customers', 'cell-value'));
    if (g.group) th.appendChild(cell('span', g.group, 'cell-ci'));
    tr.appendChild(th);
    tr.appendChild(cell('td', F.count(g.customers), 'num'));
    tr.appendChild(cell('td', money(g.revenue), 'num'));
    tr.appendChild(cell('td', money(g.contribution_total), 'num'));
    const c = g.contribution;
    tr.appendChild(statCell('biz-mean', c.mean, c, money, false));
    const churn = g.monthly_churn;
    const churnCell = F.isNumber(churn.value) ? cell('td', '', 'num')
      : cell('td', outcomeWords(churn), 'num no-data wrap');
    if (F.isNumber(churn.value)) {
      churnCell.dataset.value = String(churn.value);
      churnCell.append(cell('span', fractionPercent(churn.value), 'cell-value'),
        cell('span', F.count(g.churned) + ' churned', 'cell-ci'));
    }
    tr.appendChild(churnCell);
    const clv = g.clv_mean;
    const clvCell = F.isNumber(clv.value) ? cell('td', money(clv.value), 'num')
      : cell('td', outcomeWords(clv), 'num no-data wrap');
    if (F.isNumber(clv.value)) clvCell.dataset.value = String(clv.value);
    tr.appendChild(clvCell);
    const h = g.health;
    tr.appendChild(cell('td', F.count(h.red) + ' / ' + F.count(h.yellow) + ' / ' + F.count(h.green), 'num'));
    tr.appendChild(cell('td', F.count(g.quadrants.satisfied_eroding), 'num'));
    return tr;
  }

  function renderBizSegments(b) {
    const rows = b.customers > 0 ? [bizRow(b.overall, b, 'biz-overall-row')] : [];
    if (rows.length) rows[0].classList.add('overall');
    if (b.customers > 0) {
      for (const g of b.segments) rows.push(bizRow(g, b, 'biz-segment-row-' + g.id));
    }
    $('biz-segment-table').tBodies[0].replaceChildren(...rows);
  }

  function renderHealthChart(b) {
    const s = b.settings;
    $('health-subtitle').textContent = 'Share of customers in each health band: red up to ' + F.inputText(s.bands.red_max) +
      ', yellow up to ' + F.inputText(s.bands.yellow_max) + ', green above (of 100). Customers without any health measure are left out.';
    const views = b.customers > 0 ? [b.overall].concat(b.segments) : [];
    const rows = views.map((g) => ({
      label: (g.label || 'All customers') + (g.group ? ' (' + g.group + ')' : ''),
      red: g.health.red, yellow: g.health.yellow, green: g.health.green,
    }));
    const o = rows[0];
    Charts.healthChart($('health-chart'), {
      rows,
      emptyMessage: b.customers > 0 ? 'No customer has a health measure (usage, NPS, CSAT, support load, revenue growth or payment).'
        : 'No customer table: import one to see health per segment.',
      summary: {
        title: 'Customer health bands per segment',
        desc: o ? 'All customers: ' + o.red + ' red, ' + o.yellow + ' yellow, ' + o.green + ' green.' : 'No data.',
      },
    });
  }

  function renderMrr(b) {
    const m = b.mrr;
    const columns = b.mrr_columns || [];
    const summary = $('mrr-summary');
    $('mrr-scroll').hidden = !m;
    if (!m) {
      summary.textContent = b.customers === 0 ? 'Needs a customer table with MRR columns.'
        : columns.length === 1
          ? 'The customer table has one MRR column (' + columns[0] + '); movements need two months or more.'
          : 'The customer table has no MRR columns: movements, NRR and GRR need MRR for two months or more ' +
            '(columns like \u201cMRR 2026-10\u201d and \u201cMRR 2026-11\u201d, oldest first).';
      $('mrr-table').tBodies[0].replaceChildren();
      return;
    }
    const from = columns[columns.length - 2];
    const to = columns[columns.length - 1];
    summary.textContent = 'From MRR ' + from + ' to MRR ' + to + ' (the last two of ' + columns.length + ' MRR columns): ' +
      money(m.mrr_start) + ' \u2192 ' + money(m.mrr_end) + ' a month. ' + F.count(m.customers_new) + ' new, ' +
      F.count(m.customers_reactivated) + ' reactivated, ' + F.count(m.customers_churned) + ' churned customer' +
      (m.customers_churned === 1 ? '' : 's') + '.';
    const ratio = (o, format) => F.isNumber(o.value) ? format(o.value) : outcomeWords(o);
    const rows = [
      ['New', money(m.new), 'MRR of customers who had none before and were never customers'],
      ['Expansion', money(m.expansion), 'increases from customers present at the start'],
      ['Contraction', money(m.contraction), 'decreases that stay above 0'],
      ['Churn', money(m.churn), 'MRR of customers who went to 0'],
      ['Reactivation', money(m.reactivation), 'MRR of former customers who came back'],
      ['Net new MRR', money(m.net_new), 'new + expansion + reactivation \u2212 contraction \u2212 churn'],
      ['NRR, per month', ratio(m.nrr, fractionPercent), '(start + expansion \u2212 contraction \u2212 churn) \u00f7 start'],
      ['GRR, per month', ratio(m.grr, fractionPercent), '(start \u2212 contraction \u2212 churn) \u00f7 start'],
      ['Quick ratio', ratio(m.quick_ratio, (x) => F.number(x, 2)), '(new + expansion) \u00f7 (churn + contraction)'],
    ];
    $('mrr-table').tBodies[0].replaceChildren(...rows.map(([name, amount, definition]) =>
      tableRow([[name], [amount, 'num'], [definition]])));
  }

  function renderSurveyJoin(b) {
    const box = $('survey-join');
    const j = b.survey_join;
    const respondents = state.calc.responseCount();
    const parts = [];
    if (b.customers === 0) {
      box.replaceChildren();
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const head = cell('p', '', 'join-summary');
    if (respondents === 0) {
      head.textContent = 'Survey join: no survey data is loaded, so satisfaction comes from the customer table only.';
      box.replaceChildren(head);
      return;
    }
    const matched = document.createElement('strong');
    matched.dataset.testid = 'join-matched';
    matched.dataset.value = String(j.matched);
    matched.textContent = F.count(j.matched) + ' of ' + F.count(b.customers);
    head.append('Survey join by id: ', matched, ' customers match a survey respondent (of ' + F.count(respondents) +
      '); a customer without NPS or CSAT in the table takes the survey\u2019s answer.');
    parts.push(head);
    const list = (count, ids, testid, one, many, none) => {
      const p = document.createElement('div');
      p.className = 'join-list';
      p.dataset.testid = testid;
      p.dataset.value = String(count);
      if (count === 0) {
        p.textContent = none;
        return p;
      }
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = F.count(count) + ' ' + (count === 1 ? one : many);
      details.appendChild(summary);
      const shown = ids.map(String);
      details.appendChild(cell('p', shown.join(', ') + (count > shown.length ? ' \u2026 and ' + F.count(count - shown.length) +
        ' more.' : '.'), 'join-ids'));
      p.appendChild(details);
      return p;
    };
    parts.push(list(j.unmatched_customer_count, j.unmatched_customers, 'join-unmatched-customers',
      'customer id has no survey respondent', 'customer ids have no survey respondent',
      'Every customer id has a survey respondent.'));
    parts.push(list(j.unmatched_respondent_count, j.unmatched_respondents, 'join-unmatched-respondents',
      'respondent id has no customer row', 'respondent ids have no customer row',
      'Every survey respondent has a customer row.'));
    box.replaceChildren(...parts);
  }

  /** A read-only page of the customers on the map: id, quadrant, satisfaction and value. */
  function renderCustomerView(b) {
    const points = b.points;
    const settings = b.settings;
    const axis = satisfactionAxis(settings);
    $('customer-view-x').textContent = axis.name;
    $('customer-view-y').textContent = valueAxisName(settings, b.period);
    if (state.customerOffset >= points.length) {
      state.customerOffset = Math.max(0, Math.floor((points.length - 1) / CUSTOMER_PAGE) * CUSTOMER_PAGE);
    }
    const page = points.slice(state.customerOffset, state.customerOffset + CUSTOMER_PAGE);
    $('customer-view').tBodies[0].replaceChildren(...page.map((p) => {
      const tr = tableRow([[String(p.id)], [QUADRANT_NAMES[p.quadrant] || String(p.quadrant)],
        [F.isNumber(p.x) ? F.inputText(p.x) : F.MISSING, 'num'], [money(p.y), 'num']]);
      tr.dataset.id = String(p.id);
      tr.dataset.quadrant = String(p.quadrant);
      return tr;
    }));
    const last = state.customerOffset + page.length;
    const unplaced = b.quadrants.unplaced.customers;
    let text;
    if (b.customers === 0) text = 'No customer table yet: import a CSV file, or reload the sample customers.';
    else if (!points.length) {
      text = 'None of the ' + F.count(b.customers) + ' customers is on the map: each needs an ' + axis.name +
        ' answer (in the table, or in the survey for a matching id) and a value.';
    } else {
      text = 'Customers on the map ' + F.count(state.customerOffset + 1) + '\u2013' + F.count(last) + ' of ' +
        F.count(points.length) + (b.points_sampled ? ' (a sample of ' + F.count(b.customers - unplaced) + ')' : '') +
        (unplaced > 0 ? '; ' + F.count(unplaced) + ' more without an ' + axis.name + ' answer or a value are not listed' : '') + '.';
    }
    $('customer-range').textContent = text;
    $('customer-view-scroll').hidden = !points.length;
    $('customer-prev').disabled = state.customerOffset === 0;
    $('customer-next').disabled = last >= points.length;
    $('customer-prev').hidden = $('customer-next').hidden = points.length <= CUSTOMER_PAGE;
    $('customer-clear').hidden = b.customers === 0;
  }

  // ---------------------------------------------------------------- business value: settings

  // The health measures (docs/api.md), with the thresholds a new one starts from.
  const HEALTH_MEASURES = [
    { measure: 'usage', name: 'Usage', unit: '% of expected use', red: 20, green: 80 },
    { measure: 'nps', name: 'NPS', unit: '0\u201310 answer', red: 4, green: 9 },
    { measure: 'csat', name: 'CSAT', unit: 'answer on the CSAT scale', red: null, green: null },
    { measure: 'support_load', name: 'Support load', unit: 'cost to serve as % of revenue', red: 30, green: 5 },
    { measure: 'revenue_growth', name: 'Revenue growth', unit: '% over the last two MRR months', red: -10, green: 10 },
    { measure: 'payment', name: 'Payment', unit: 'current 100, late 50, failed 0', red: 0, green: 100 },
  ];

  function healthDefaults(measure) {
    const m = HEALTH_MEASURES.find((x) => x.measure === measure);
    if (measure === 'csat') {
      const s = csatScale();
      return { red_at: s.low + 1, green_at: s.high };
    }
    return { red_at: m.red, green_at: m.green };
  }

  /** The satisfied-from threshold a satisfaction axis starts with: promoters, or top-two-box. */
  function defaultSatisfiedFrom(axis) {
    if (axis !== 'csat') return 9;
    const sat = state.model && state.model.satisfaction;
    return sat && F.isNumber(sat.csat_satisfied_from) ? sat.csat_satisfied_from : csatScale().high - 1;
  }

  function buildHealthSettings() {
    const host = $('health-settings');
    host.replaceChildren(...HEALTH_MEASURES.map((m) => {
      const row = document.createElement('div');
      row.className = 'health-measure setting';
      row.dataset.measure = m.measure;
      const name = cell('p', m.name + ' ', 'health-name');
      name.appendChild(cell('span', '(' + m.unit + ')', 'setting-unit'));
      const weightLabel = document.createElement('label');
      weightLabel.className = 'health-label';
      weightLabel.htmlFor = 'health-weight-' + m.measure;
      weightLabel.append('Weight', cell('span', ' of ' + m.name, 'sr-only'));
      const slider = document.createElement('input');
      slider.type = 'range';
      slider.min = '0';
      slider.max = '10';
      slider.step = '1';
      slider.id = 'health-weight-' + m.measure;
      slider.dataset.testid = 'health-weight-' + m.measure;
      slider.dataset.measure = m.measure;
      slider.dataset.label = 'Weight of ' + m.name;
      const output = document.createElement('output');
      output.className = 'weight-value';
      output.htmlFor.add(slider.id);
      const sliderRow = document.createElement('div');
      sliderRow.className = 'slider-row';
      sliderRow.append(slider, output);
      const weight = document.createElement('div');
      weight.className = 'health-weight';
      weight.append(weightLabel, sliderRow);
      const thresholds = document.createElement('div');
      thresholds.className = 'health-thresholds';
      for (const [part, text] of [['red_at', 'Red at'], ['green_at', 'Green at']]) {
        const id = 'health-' + (part === 'red_at' ? 'red' : 'green') + '-' + m.measure;
        const label = document.createElement('label');
        label.htmlFor = id;
        label.append(text, cell('span', ' for ' + m.name, 'sr-only'));
        const input = document.createElement('input');
        input.type = 'text';
        input.inputMode = 'decimal';
        input.autocomplete = 'off';
        input.spellcheck = false;
        input.id = id;
        input.dataset.testid = id;
        input.dataset.measure = m.measure;
        input.dataset.part = part;
        input.dataset.label = m.name + ', ' + text.toLowerCase();
        const field = document.createElement('div');
        field.className = 'health-threshold';
        field.append(label, input);
        thresholds.appendChild(field);
      }
      row.append(name, weight, thresholds);
      return row;
    }));
  }

  function bindSettingsControls() {
    buildHealthSettings();
    // Each setting gets an error line next to it, read out when it appears.
    for (const wrap of document.querySelectorAll('.business-settings .setting')) {
      const error = document.createElement('p');
      error.className = 'field-error';
      error.hidden = true;
      error.setAttribute('role', 'alert');
      const first = wrap.querySelector('input, select');
      error.id = first.id + '-error';
      error.dataset.testid = 'setting-error-' + first.id;
      wrap.appendChild(error);
    }
    const labels = {
      'setting-period': 'Period', 'setting-margin': 'Default gross margin', 'setting-hourly-rate': 'Support cost per hour',
      'setting-as-of': 'As-of date', 'setting-satisfaction': 'Satisfaction axis', 'setting-satisfied-from': 'Satisfied from',
      'setting-value': 'Value axis', 'setting-valuable-from': 'Valuable from', 'band-red-max': 'Red up to',
      'band-yellow-max': 'Yellow up to',
    };
    for (const [id, label] of Object.entries(labels)) $(id).dataset.label = label;

    const onChange = (id, apply) => $(id).addEventListener('change', () => apply($(id)));
    onChange('setting-period', (c) => applySettings(c, (s) => { s.period = c.value; }));
    onChange('setting-margin', (c) => applyNumber(c, true, (s, v) => { s.default_gross_margin = v; }));
    onChange('setting-hourly-rate', (c) => applyNumber(c, false, (s, v) => { s.support_hourly_rate = v; }));
    onChange('setting-as-of', (c) => {
      const text = c.value.trim();
      applySettings(c, (s) => { s.as_of = text === '' ? null : text; });
    });
    onChange('setting-satisfaction', (c) => {
      const from = defaultSatisfiedFrom(c.value);
      if (applySettings(c, (s) => {
        s.satisfaction = c.value;
        s.satisfied_from = from;
      })) {
        announce('The map now uses ' + (c.value === 'csat' ? 'CSAT' : 'NPS') + '; satisfied from ' + from + '.');
      }
    });
    onChange('setting-satisfied-from', (c) => applyNumber(c, false, (s, v) => { s.satisfied_from = v; }));
    onChange('setting-value', (c) => applySettings(c, (s) => { s.value = c.value; }));
    onChange('setting-valuable-from', (c) => applyNumber(c, false, (s, v) => { s.valuable_from = v; }));
    onChange('band-red-max', (c) => applyNumber(c, false, (s, v) => { s.bands.red_max = v; }));
    onChange('band-yellow-max', (c) => applyNumber(c, false, (s, v) => { s.bands.yellow_max = v; }));

    const health = $('health-settings');
    health.addEventListener('input', (e) => {
      const slider = e.target;
      if (slider.type !== 'range') return;
      const weight = Number(slider.value);
      showHealthWeight(slider, weight);
      state.pendingHealthWeights.set(slider.dataset.measure, weight);
      if (!state.settingsFrame) state.settingsFrame = requestAnimationFrame(flushHealthWeights);
    });
    health.addEventListener('change', (e) => {
      const input = e.target;
      if (input.type === 'range') return;
      applyNumber(input, false, (s, v) => setHealth(s, input.dataset.measure, { [input.dataset.part]: v }));
    });
  }

  function showHealthWeight(slider, weight) {
    const text = F.number(weight, Number.isInteger(weight) ? 0 : 1);
    slider.nextElementSibling.textContent = text;
    slider.setAttribute('aria-valuetext', text + ' of 10');
  }

  function flushHealthWeights() {
    state.settingsFrame = 0;
    const pending = Array.from(state.pendingHealthWeights);
    state.pendingHealthWeights.clear();
    for (const [measure, weight] of pending) {
      applySettings($('health-weight-' + measure), (s) => setHealth(s, measure, { weight }));
    }
  }

  /** Changes one health measure, adding it (weight 0, default thresholds) when the model has none. */
  function setHealth(settings, measure, patch) {
    let entry = settings.health.find((h) => h.measure === measure);
    if (!entry) {
      entry = Object.assign({ measure, weight: 0 }, healthDefaults(measure));
      settings.health.push(entry);
    }
    Object.assign(entry, patch);
  }

  /** The text a settings control shows for the value the model holds now. */
  function settingText(control) {
    const s = state.model.business;
    switch (control.id) {
      case 'setting-margin': return F.inputText(100 * s.default_gross_margin);
      case 'setting-hourly-rate': return F.inputText(s.support_hourly_rate);
      case 'setting-as-of': return s.as_of || '';
      case 'setting-satisfied-from': return F.inputText(s.satisfied_from);
      case 'setting-valuable-from': return F.inputText(s.valuable_from);
      case 'band-red-max': return F.inputText(s.bands.red_max);
      case 'band-yellow-max': return F.inputText(s.bands.yellow_max);
      default: break;
    }
    if (control.dataset.measure) {
      const entry = s.health.find((h) => h.measure === control.dataset.measure);
      if (control.type === 'range') return String(entry ? entry.weight : 0);
      const value = entry ? entry[control.dataset.part] : healthDefaults(control.dataset.measure)[control.dataset.part];
      return F.inputText(value);
    }
    return control.value;
  }

  /** A typed number for a setting (a percentage when `percent`), or an error next to it. */
  function applyNumber(control, percent, mutate) {
    const text = control.value.trim().replace(/\s*%$/, '');
    const parsed = F.parseNumber(text);
    if (!parsed.ok) {
      setSettingError(control, control.dataset.label + ': ' + (parsed.reason === 'empty' ? 'enter a number'
        : '"' + control.value.trim().slice(0, 40) + '" is ' + (parsed.reason === 'too large' ? 'too large' : 'not a number')) +
        '. The previous value (' + settingText(control) + (percent ? '%' : '') + ') is kept.');
      return false;
    }
    const value = percent ? parsed.value / 100 : parsed.value;
    return applySettings(control, (s) => mutate(s, value));
  }

  /**
   * Applies a change to the business settings through the calculator. A refused change is said
   * next to the control, in the calculator's words (which name the field); the settings and
   * every result stay as they were.
   */
  function applySettings(control, mutate) {
    const settings = JSON.parse(JSON.stringify(state.model.business));
    mutate(settings);
    try {
      state.calc.setBusinessSettings(settings);
    } catch (e) {
      const kept = control.tagName === 'SELECT' || control.type === 'range' ? '' : ' The previous value (' +
        (settingText(control) || 'blank') + (control.id === 'setting-margin' ? '%' : '') + ') is kept.';
      setSettingError(control, control.dataset.label + ': ' + messageOf(e) + kept);
      if (control.tagName === 'SELECT' || control.type === 'range') renderSettings(false, control);
      return false;
    }
    setSettingError(control, '');
    state.model = state.calc.model();
    renderSettings(false);
    renderBusiness();
    return true;
  }

  function setSettingError(control, message) {
    const wrap = control.closest('.setting');
    const error = wrap.querySelector('.field-error');
    if (message) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', error.id);
      error.textContent = message;
      error.hidden = false;
      return;
    }
    control.removeAttribute('aria-invalid');
    control.removeAttribute('aria-describedby');
    // Another control of the same setting may still hold a refused value.
    if (!wrap.querySelector('[aria-invalid="true"]')) {
      error.textContent = '';
      error.hidden = true;
    }
  }

  /**
   * Shows the model's business settings in the panel. Controls holding a refused value keep it
   * (with its message) unless `force` (a new model); `reset` puts one control back.
   */
  function renderSettings(force, reset) {
    const s = state.model && state.model.business;
    if (!s) return;
    const controls = document.querySelectorAll('.business-settings input, .business-settings select');
    for (const control of controls) {
      if (force && control.getAttribute('aria-invalid') === 'true') setSettingError(control, '');
      if (control !== reset && control.getAttribute('aria-invalid') === 'true') continue;
      if (control.type === 'range' && state.pendingHealthWeights.has(control.dataset.measure)) continue;
      if (control.id === 'setting-period') control.value = s.period;
      else if (control.id === 'setting-satisfaction') control.value = s.satisfaction;
      else if (control.id === 'setting-value') control.value = s.value;
      else control.value = settingText(control);
      if (control.type === 'range') showHealthWeight(control, Number(control.value));
    }
    for (const row of document.querySelectorAll('.health-measure')) {
      const entry = s.health.find((h) => h.measure === row.dataset.measure);
      row.classList.toggle('health-off', !entry || !(entry.weight > 0));
    }
    const used = s.health.filter((h) => h.weight > 0).map((h) => (HEALTH_MEASURES.find((m) => m.measure === h.measure) || { name: h.measure }).name);
    $('settings-summary').textContent = '(' + perPeriod(s.period) + ' \u00b7 default margin ' +
      F.percent(100 * s.default_gross_margin, Number.isInteger(100 * s.default_gross_margin) ? 0 : 1) + ' \u00b7 support ' +
      money(s.support_hourly_rate) + ' an hour \u00b7 satisfied from ' + (s.satisfaction === 'csat' ? 'CSAT ' : 'NPS ') +
      F.inputText(s.satisfied_from) + ' \u00b7 valuable from ' + money(s.valuable_from) +
      (s.value === 'clv' ? ' CLV' : ' contribution') + ' \u00b7 health from ' + (used.length ? used.join(', ') : 'no measure') + ')';
    const csat = csatScale();
    $('bands-help').textContent = 'Health 0\u2013' + F.inputText(s.bands.red_max) + ' is red, up to ' +
      F.inputText(s.bands.yellow_max) + ' yellow, above that green. CSAT is on ' + csat.low + '\u2013' + csat.high + '.';
    for (const node of document.querySelectorAll('.currency-code')) node.textContent = currencyCode();
  }

  // ---------------------------------------------------------------- quick calculators

  // The MRR calculator starts with the example of tests/fixtures/csv/customers-mrr.csv's last
  // two months: expansion, churn, contraction, new and reactivated revenue.
  const EXAMPLE_MRR = [
    { start: '100', end: '150', before: true }, { start: '200', end: '0', before: true },
    { start: '300', end: '250', before: true }, { start: '0', end: '80', before: false },
    { start: '0', end: '60', before: true }, { start: '100', end: '100', before: true },
  ];

  function bindQuickControls() {
    buildMrrRows(EXAMPLE_MRR);
    for (const form of document.querySelectorAll('.quick-card')) {
      // Each field gets an error line right under its row of fields.
      for (const field of form.querySelectorAll('.qfield')) {
        const control = field.querySelector('input, select');
        const error = document.createElement('p');
        error.className = 'field-error';
        error.hidden = true;
        error.id = control.id + '-error';
        field.after(error);
      }
      form.addEventListener('submit', (e) => e.preventDefault());
      form.addEventListener('input', (e) => {
        if (e.target.tagName === 'INPUT' && e.target.type === 'text') scheduleQuick(form, false);
      });
      form.addEventListener('change', (e) => {
        if (e.target.tagName === 'SELECT') showPeriodWords(form);
        scheduleQuick(form, true);
      });
      showPeriodWords(form);
    }
    $('quick-mrr-add').addEventListener('click', () => {
      const rows = currentMrrRows();
      rows.push({ start: '', end: '', before: false });
      buildMrrRows(rows);
      const inputs = $('quick-mrr').querySelectorAll('[data-mrr="start"]');
      inputs[inputs.length - 1].focus();
      scheduleQuick($('quick-mrr'), false);
    });
    $('quick-mrr').addEventListener('click', (e) => {
      const button = e.target.closest('.grid-delete');
      if (!button) return;
      const index = Number(button.dataset.index);
      const rows = currentMrrRows();
      rows.splice(index, 1);
      buildMrrRows(rows);
      const buttons = $('quick-mrr').querySelectorAll('.grid-delete');
      (buttons[Math.min(index, buttons.length - 1)] || $('quick-mrr-add')).focus();
      scheduleQuick($('quick-mrr'), true);
    });
  }

  /** "Lifespan (years)": labels that name the period chosen in a select of the same calculator. */
  function showPeriodWords(form) {
    for (const node of form.querySelectorAll('[data-period-of]')) {
      const period = $(node.dataset.periodOf).value;
      node.textContent = 'singular' in node.dataset ? period : period + 's';
    }
  }

  function currentMrrRows() {
    return Array.from($('quick-mrr').querySelector('tbody').rows, (tr) => ({
      start: tr.querySelector('[data-mrr="start"]').value,
      end: tr.querySelector('[data-mrr="end"]').value,
      before: tr.querySelector('[data-mrr="before"]').checked,
    }));
  }

  function buildMrrRows(rows) {
    const tbody = $('quick-mrr').querySelector('tbody');
    tbody.replaceChildren(...rows.map((row, i) => {
      const n = i + 1;
      const tr = document.createElement('tr');
      const th = cell('th', 'Customer ' + n);
      th.scope = 'row';
      tr.appendChild(th);
      for (const [part, value, label] of [['start', row.start, 'MRR at the start'], ['end', row.end, 'MRR at the end']]) {
        const input = document.createElement('input');
        input.type = 'text';
        input.inputMode = 'decimal';
        input.autocomplete = 'off';
        input.className = 'grid-input';
        input.value = value;
        input.placeholder = '0';
        input.dataset.mrr = part;
        input.dataset.field = 'customer ' + n + ', mrr_' + part;
        input.dataset.testid = 'quick-mrr-' + part + '-' + i;
        input.setAttribute('aria-label', 'Customer ' + n + ', ' + label);
        const td = document.createElement('td');
        td.className = 'num';
        td.appendChild(input);
        tr.appendChild(td);
      }
      const check = document.createElement('input');
      check.type = 'checkbox';
      check.checked = row.before;
      check.dataset.mrr = 'before';
      check.dataset.testid = 'quick-mrr-before-' + i;
      check.setAttribute('aria-label', 'Customer ' + n + ' was a customer before');
      const td = document.createElement('td');
      td.className = 'check-cell';
      td.appendChild(check);
      tr.appendChild(td);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'grid-delete';
      remove.dataset.index = String(i);
      remove.textContent = '\u00d7';
      remove.title = 'Remove this customer';
      remove.setAttribute('aria-label', 'Remove customer ' + n);
      const last = document.createElement('td');
      last.appendChild(remove);
      tr.appendChild(last);
      return tr;
    }));
  }

  function quickEntry(form) {
    if (!state.quick.has(form.id)) state.quick.set(form.id, { seq: 0, frame: 0, show: false });
    return state.quick.get(form.id);
  }

  /** Coalesces typing: one calculation per animation frame and calculator. */
  function scheduleQuick(form, showErrors) {
    const entry = quickEntry(form);
    entry.show = entry.show || showErrors;
    if (entry.frame) return;
    entry.frame = requestAnimationFrame(() => {
      entry.frame = 0;
      const show = entry.show;
      entry.show = false;
      runQuick(form, show);
    });
  }

  function runAllQuick() {
    return Promise.all(Array.from(document.querySelectorAll('.quick-card'), (form) => runQuick(form, true)));
  }

  function quickLabel(control) {
    if (control.getAttribute('aria-label')) return control.getAttribute('aria-label');
    const label = control.labels && control.labels[0];
    return label ? label.textContent.replace(/\s+/g, ' ').trim() : String(control.dataset.key || 'this field');
  }

  /** A typed number: {value}, {skip} for a blank optional field, or {message} naming the field. */
  function quickNumber(control) {
    const raw = control.value.trim();
    const text = 'percent' in control.dataset ? raw.replace(/\s*%$/, '') : raw;
    if (text === '' && ('optional' in control.dataset)) return { skip: true };
    if (text === '' && control.dataset.mrr) return { value: 0 }; // blank MRR: none
    const parsed = F.parseNumber(text);
    if (parsed.ok) return { value: 'percent' in control.dataset ? parsed.value / 100 : parsed.value };
    const name = quickLabel(control);
    return {
      message: parsed.reason === 'empty' ? 'Enter a number for \u201c' + name + '\u201d.'
        : name + ': \u201c' + raw.slice(0, 40) + '\u201d is ' + (parsed.reason === 'too large' ? 'too large.' : 'not a number.'),
    };
  }

  /** The calculator's inputs from the form, and the fields that do not hold a number. */
  function readQuick(form) {
    const problems = [];
    if (form.dataset.kind === 'mrr_movements') {
      const customers = [];
      for (const tr of form.querySelector('tbody').rows) {
        const customer = { active_before_start: tr.querySelector('[data-mrr="before"]').checked };
        for (const part of ['start', 'end']) {
          const control = tr.querySelector('[data-mrr="' + part + '"]');
          const number = quickNumber(control);
          if (number.message) problems.push([control, number.message]);
          else customer['mrr_' + part] = number.value;
        }
        customers.push(customer);
      }
      return { inputs: { customers }, problems };
    }
    const inputs = {};
    for (const control of form.querySelectorAll('[data-key]')) {
      const key = control.dataset.key;
      if (control.type === 'checkbox') inputs[key] = control.checked;
      else if (control.tagName === 'SELECT') inputs[key] = control.value;
      else {
        const number = quickNumber(control);
        if (number.message) problems.push([control, number.message]);
        else if (!number.skip) inputs[key] = number.value;
      }
    }
    return { inputs, problems };
  }

  /**
   * Runs one quick calculator. Half-typed numbers are reported once the field is left (or is
   * already marked); the calculator's refusals at once. Either way the last result stays,
   * marked as belonging to the last valid inputs.
   */
  function runQuick(form, showErrors) {
    const entry = quickEntry(form);
    const seq = ++entry.seq;
    const { inputs, problems } = readQuick(form);
    if (problems.length) {
      const marked = problems.some(([control]) => control.getAttribute('aria-invalid') === 'true');
      if (showErrors || marked) {
        showQuickErrors(form, problems);
        markQuickStale(form, true);
      }
      return Promise.resolve();
    }
    return window.CustomerValueCalculator.quick(form.dataset.kind, inputs).then((result) => {
      if (seq !== entry.seq) return; // a newer calculation is on its way
      showQuickErrors(form, []);
      markQuickStale(form, false);
      QUICK_RENDER[form.id](form, result, inputs);
    }, (e) => {
      if (seq !== entry.seq) return;
      const field = e && e.field ? String(e.field) : '';
      let control = field ? Array.from(form.querySelectorAll('input, select'))
        .find((c) => c.dataset.key === field || c.dataset.field === field) : null;
      // Rates of different periods: the message names the rate; its period select is what to change.
      if (control && /units don.t match/i.test(messageOf(e))) {
        control = form.querySelector('select[data-key="' + field.replace(/_rate$/, '') + '_period"]') || control;
      }
      showQuickErrors(form, [[control || null, messageOf(e)]]);
      markQuickStale(form, true);
    });
  }

  /** Shows messages next to their fields (or under the calculator); [] clears them. */
  function showQuickErrors(form, problems) {
    for (const control of form.querySelectorAll('[aria-invalid="true"]')) {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('aria-describedby');
    }
    for (const error of form.querySelectorAll('.quick-fields > .field-error')) {
      error.textContent = '';
      error.hidden = true;
    }
    const general = form.querySelector('.quick-errors');
    general.replaceChildren();
    for (const [control, message] of problems) {
      const error = control && control.closest('.qfield') ? $(control.id + '-error') : null;
      if (error) {
        error.textContent = error.textContent ? error.textContent + ' ' + message : message;
        error.hidden = false;
      } else general.appendChild(cell('p', message, 'field-error'));
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        if (!general.id) general.id = form.id + '-errors';
        control.setAttribute('aria-describedby', error ? error.id : general.id);
      }
    }
  }

  function markQuickStale(form, stale) {
    const note = form.querySelector('.quick-stale');
    const hasResult = Array.from(form.querySelectorAll('.quick-result [data-value]')).some((n) => n.textContent !== '');
    note.hidden = !(stale && hasResult);
    form.classList.toggle('is-stale', stale && hasResult);
  }

  function quickOut(form, testid, value, text) {
    const node = form.querySelector('[data-testid="' + testid + '"]');
    node.dataset.value = F.isNumber(value) ? String(value) : '';
    node.textContent = text;
    return node;
  }

  /** "(95% CI 2.7% to 9.0%)" after a share, or the reason there is none. */
  function shareInterval(node, share) {
    const ci = node.parentNode.querySelector('.quick-ci');
    ci.textContent = F.isNumber(share.ci_low) && F.isNumber(share.ci_high)
      ? ' (95% CI ' + F.percent(share.ci_low, 1) + ' to ' + F.percent(share.ci_high, 1) + ', ' + F.count(share.count) +
        ' of ' + F.count(share.n) + ')'
      : share.no_data_reason ? ' (' + String(share.no_data_reason) + ')' : '';
  }

  function shareOut(form, testid, share, period) {
    const node = F.isNumber(share.percent)
      ? quickOut(form, testid, share.percent, F.percent(share.percent, 1) + ' per ' + period)
      : quickOut(form, testid, null, 'No data');
    shareInterval(node, share);
  }

  function ratioOut(form, testid, outcome, format) {
    if (F.isNumber(outcome.value)) quickOut(form, testid, outcome.value, format(outcome.value));
    else quickOut(form, testid, null, sentence(String(outcome.reason || 'no data')).replace(/^Unbounded: (.*)$/, 'Unbounded ($1)'));
  }

  const QUICK_RENDER = {
    'quick-simple': (form, r, inputs) => {
      quickOut(form, 'quick-simple-clv', r.clv, money(r.clv) + ' per customer');
      if (F.isNumber(r.profit_clv)) quickOut(form, 'quick-simple-profit', r.profit_clv, money(r.profit_clv) + ' per customer');
      else quickOut(form, 'quick-simple-profit', null, 'No gross margin given');
      quickOut(form, 'quick-simple-apv', r.average_purchase_value, money(r.average_purchase_value));
      quickOut(form, 'quick-simple-frequency', r.purchase_frequency, F.number(r.purchase_frequency, 2) +
        ' purchases per customer per ' + inputs.period);
    },
    'quick-dclv': (form, r, inputs) => {
      const period = inputs.retention_period;
      const m = F.inputText(inputs.margin);
      const rr = F.inputText(inputs.retention);
      const d = F.inputText(inputs.discount_rate);
      const value = F.isNumber(r.clv) ? money(r.clv) : F.MISSING;
      quickOut(form, 'quick-dclv', r.clv, value + ' per customer');
      let formula;
      if (F.isNumber(inputs.horizon)) {
        const T = inputs.horizon;
        formula = inputs.first_margin_now
          ? 'CLV = \u03a3 m\u00b7r\u1d57 \u00f7 (1 + d)\u1d57 for t = 0 \u2026 ' + (T - 1) + ' (first margin now, ' + T + ' ' + period + 's)'
          : 'CLV = \u03a3 m\u00b7r\u1d57 \u00f7 (1 + d)\u1d57 for t = 1 \u2026 ' + T + ' (margins at the end of each ' + period + ')';
        formula += ' with m = ' + m + ', r = ' + rr + ', d = ' + d + ': ' + value + '.';
      } else if (inputs.first_margin_now) {
        formula = 'CLV = m\u00b7(1 + d) \u00f7 (1 + d \u2212 r) = ' + m + ' \u00d7 ' + F.inputText(1 + inputs.discount_rate) +
          ' \u00f7 (1 + ' + d + ' \u2212 ' + rr + ') = ' + value + ' (the first margin now, then one at the end of each ' + period + ').';
      } else {
        formula = 'CLV = m\u00b7r \u00f7 (1 + d \u2212 r) = ' + m + ' \u00d7 ' + rr + ' \u00f7 (1 + ' + d + ' \u2212 ' + rr +
          ') = ' + value + ' (margins at the end of each ' + period + ').';
      }
      form.querySelector('.quick-formula').textContent = formula;
    },
    'quick-saas': (form, r, inputs) => {
      const formula = form.querySelector('.quick-formula');
      const terms = money(inputs.arpa) + ' \u00d7 ' + F.percent(100 * inputs.gross_margin, 1) + ' \u00f7 ' +
        F.percent(100 * inputs.churn_rate, 2) + ' (both per ' + inputs.arpa_period + ')';
      if (F.isNumber(r.ltv)) {
        quickOut(form, 'quick-saas-ltv', r.ltv, money(r.ltv) + ' per account');
        formula.textContent = 'LTV = ARPA \u00d7 gross margin \u00f7 churn rate = ' + terms + ' = ' + money(r.ltv) + '.';
      } else {
        quickOut(form, 'quick-saas-ltv', null, 'Unbounded');
        formula.textContent = sentence(String(r.reason || 'no data')) + ', so the expected lifetime has no end and ' +
          'there is no finite LTV.';
      }
    },
    'quick-churn': (form, r, inputs) => {
      shareOut(form, 'quick-churn-rate', r.churn, inputs.period);
      shareOut(form, 'quick-retention', r.retention, inputs.period);
    },
    'quick-mrr': (form, r) => {
      for (const key of ['new', 'expansion', 'contraction', 'churn', 'reactivation']) {
        quickOut(form, 'quick-mrr-' + key, r[key], money(r[key]));
      }
      quickOut(form, 'quick-mrr-net-new', r.net_new, money(r.net_new));
      ratioOut(form, 'quick-mrr-nrr', r.nrr, fractionPercent);
      ratioOut(form, 'quick-mrr-grr', r.grr, fractionPercent);
      ratioOut(form, 'quick-mrr-quick-ratio', r.quick_ratio, (x) => F.number(x, 2));
    },
    'quick-trial': (form, r) => shareOut(form, 'quick-trial-rate', r, $('qt-period').value),
    'quick-active': (form, r) => shareOut(form, 'quick-active-rate', r, $('qu-period').value),
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
