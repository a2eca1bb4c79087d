/*
 * The survey's CSV import (and pasted rows), on the shared import steps (import-flow.js):
 * calc.importCsv → mapping → calc.checkImport → calc.commitImport, replacing the survey or, with
 * {append: true}, adding the rows after it. A column is used as the respondent id, a segment
 * group, NPS, CSAT, CES or an item (an existing one, or a new one described here). The CSAT
 * scale and cut and the CES cut start from the preview's proposal (a CSAT column answered on
 * another scale proposes that scale) and go to the check with the mapping.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).surveyImport = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, labelled, textInput, sentence, plural, downloadText, messageOf } = app.dom;

    const TEMPLATE_NAME = 'customer-value-survey-template.csv';
    const KINDS = {
      benefit: ['functional', 'psychological', 'social', 'monetary', 'experiential'],
      cost: ['price', 'onboarding', 'training', 'support', 'time', 'effort', 'frustration', 'risk'],
    };
    const ITEM_SCALES = [['1-5', '1\u20135 rating'], ['1-7', '1\u20137 rating'], ['1-10', '1\u201310 rating'],
      ['0-10', '0\u201310 rating'], ['currency', 'amount of money']];
    const CSAT_SCALES = ['1-5', '1-7', '1-10'];

    let flow = null;
    const calc = () => app.state.calc;
    const model = () => app.state.model;

    function scaleText(scale) {
      const s = app.page.csatScale(scale);
      return s.low + '\u2013' + s.high;
    }

    function rangeText(from, high) {
      return from === high ? String(from) : from + '\u2013' + high;
    }

    // ---------------------------------------------------------------- roles

    function roleOptions() {
      const options = [
        new Option('Ignore', 'ignore'), new Option('Respondent id', 'respondent_id'), new Option('Segment', 'segment'),
        new Option('NPS (0\u201310)', 'nps'), new Option('CSAT (' + scaleText(flow.pending.satisfaction.csat_scale) + ')', 'csat'),
        new Option('CES (1\u20137)', 'ces'),
      ];
      for (const side of ['benefit', 'cost']) {
        const group = document.createElement('optgroup');
        group.label = side === 'benefit' ? 'Benefit items' : 'Cost items';
        for (const item of model().items.filter((i) => i.side === side)) {
          group.appendChild(new Option(item.label, 'item:' + item.id));
        }
        group.appendChild(new Option('New ' + side + ' item\u2026', 'new-' + side));
        options.push(group);
      }
      return options;
    }

    function roleValue(m) {
      if (m.role !== 'item') return m.role;
      return m.create_item ? 'new-' + ((m.new_item && m.new_item.side) || 'benefit') : 'item:' + m.item_id;
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
      const taken = new Set(model().items.map((i) => i.id));
      for (const m of flow.pending ? flow.pending.mapping : []) if (m && m.create_item) taken.add(m.item_id);
      let id = base;
      for (let k = 2; taken.has(id); k++) id = base + '-' + k;
      return id;
    }

    // ---------------------------------------------------------------- details

    function renderDetails(td, column, index) {
      const m = flow.pending.mapping[index];
      const parts = [];
      if (m.role === 'ignore') parts.push(cell('span', 'Not imported.', 'map-note'));
      else if (m.role === 'respondent_id') parts.push(cell('span', 'Kept with each row to tell respondents apart.', 'map-note'));
      else if (m.role === 'nps') parts.push(cell('span', '0\u201310: promoters 9\u201310, detractors 0\u20136.', 'map-note'));
      else if (m.role === 'csat') parts.push(...csatFields(td, index));
      else if (m.role === 'ces') parts.push(...cesFields(index));
      else if (m.role === 'segment') {
        const input = textInput(m.group || '', { testid: 'map-group-' + index, label: 'Segment group for column ' + (index + 1) });
        input.addEventListener('input', () => {
          m.group = input.value;
          flow.invalidate();
        });
        parts.push(labelled('Group', input));
        const groups = Array.from(new Set(model().segments.map((s) => s.group).filter(Boolean)));
        parts.push(cell('span', 'Each value is a segment in this group; new values add segments.' +
          (groups.length ? ' Groups now: ' + groups.join(', ') + '.' : ''), 'map-note'));
      } else if (m.role === 'item' && !m.create_item) {
        const item = model().items.find((i) => i.id === m.item_id);
        parts.push(cell('span', item ? sentence(item.side) + ', ' + F.describeKind(item.kind) + ', ' +
          F.describeScale(item, model().currency) + '.' : '', 'map-note'));
      } else if (m.role === 'item') {
        parts.push(...newItemFields(m, index));
      }
      td.replaceChildren(...parts);
    }

    /** A typed cut: a number, or the text as typed (refused at the check with a message). */
    function cutFrom(input) {
      const parsed = F.parseNumber(input.value);
      return parsed.ok ? parsed.value : input.value.trim();
    }

    /** The CSAT column: its scale and the lowest answer that counts as satisfied. */
    function csatFields(td, index) {
      const sat = flow.pending.satisfaction;
      const n = index + 1;
      const scale = document.createElement('select');
      scale.dataset.testid = 'map-csat-scale-' + index;
      scale.setAttribute('aria-label', 'CSAT scale for column ' + n);
      scale.replaceChildren(...CSAT_SCALES.map((s) => new Option(scaleText(s), s)));
      scale.value = sat.csat_scale;
      const from = textInput(F.inputText(sat.csat_satisfied_from),
        { testid: 'map-csat-from-' + index, label: 'CSAT satisfied from (lowest satisfied answer) for column ' + n, decimal: true });
      const note = cell('span', '', 'map-note');
      const describe = () => {
        const s = app.page.csatScale(sat.csat_scale);
        const current = app.page.satisfactionSettings();
        const loaded = calc().responseCount();
        let text = F.isNumber(sat.csat_satisfied_from)
          ? 'Answers ' + rangeText(sat.csat_satisfied_from, s.high) + ' on ' + s.low + '\u2013' + s.high + ' count as satisfied.'
          : 'Satisfied from: a whole number from ' + (s.low + 1) + ' to ' + s.high + '.';
        // Adding rows on another scale re-reads the loaded respondents' answers on it: said plainly.
        const others = sat.csat_scale !== current.csat_scale && flow.pending.mode === 'add' && loaded > 0;
        if (sat.csat_scale !== current.csat_scale) {
          text += ' The model\u2019s CSAT is on ' + scaleText(current.csat_scale) + '; importing sets it to ' +
            scaleText(sat.csat_scale) + (others ? ', for the ' + plural(loaded, 'respondent') + ' already loaded too.' : '.');
        }
        note.textContent = text;
        note.classList.toggle('map-warn', others);
      };
      scale.addEventListener('change', () => {
        sat.csat_scale = scale.value;
        // A new scale starts from its top-two-box cut.
        sat.csat_satisfied_from = app.page.csatScale(scale.value).high - 1;
        from.value = F.inputText(sat.csat_satisfied_from);
        const option = td.closest('tr').querySelector('.map-role option[value="csat"]');
        if (option) option.textContent = 'CSAT (' + scaleText(scale.value) + ')';
        describe();
        flow.invalidate();
      });
      from.addEventListener('input', () => {
        sat.csat_satisfied_from = cutFrom(from);
        describe();
        flow.invalidate();
      });
      describe();
      return [labelled('Scale', scale), labelled('Satisfied from', from), note];
    }

    /** The CES column: 1–7 agreement, and the lowest answer that counts as agreeing. */
    function cesFields(index) {
      const sat = flow.pending.satisfaction;
      const from = textInput(F.inputText(sat.ces_agree_from),
        { testid: 'map-ces-from-' + index, label: 'CES agree from (lowest agreeing answer) for column ' + (index + 1), decimal: true });
      const note = cell('span', '', 'map-note');
      const describe = () => {
        note.textContent = '1\u20137 agreement that it was easy' + (F.isNumber(sat.ces_agree_from)
          ? '; answers ' + rangeText(sat.ces_agree_from, 7) + ' count as agreeing.' : '; agree from: a whole number from 2 to 7.');
      };
      from.addEventListener('input', () => {
        sat.ces_agree_from = cutFrom(from);
        describe();
        flow.invalidate();
      });
      describe();
      return [labelled('Agree from', from), note];
    }

    function newItemFields(m, index) {
      const item = m.new_item;
      const n = index + 1;
      const fields = [];
      const label = textInput(item.label || '', { testid: 'map-label-' + index, label: 'Label of the new item from column ' + n });
      label.addEventListener('input', () => {
        item.label = label.value;
        flow.invalidate();
      });
      fields.push(labelled('Label', label));

      const kind = document.createElement('select');
      kind.setAttribute('aria-label', 'Kind of the new item from column ' + n);
      kind.replaceChildren(...KINDS[item.side].map((k) => new Option(F.describeKind(k), k)));
      kind.value = item.kind;
      kind.addEventListener('change', () => {
        item.kind = kind.value;
        flow.invalidate();
      });
      fields.push(labelled('Kind', kind));

      const scale = document.createElement('select');
      scale.setAttribute('aria-label', 'Scale of the new item from column ' + n);
      scale.replaceChildren(...ITEM_SCALES.map(([v, t]) => new Option(t, v)));
      scale.value = item.scale;
      fields.push(labelled('Scale', scale));

      const reference = textInput(F.inputText(item.reference_amount),
        { label: 'Reference amount (top of the scale) for the new item from column ' + n, decimal: true });
      reference.addEventListener('input', () => {
        const parsed = F.parseNumber(reference.value);
        item.reference_amount = parsed.ok ? parsed.value : reference.value;
        flow.invalidate();
      });
      const referenceField = labelled('Reference amount (' + String(model().currency || '') + ')', reference);

      const reverse = document.createElement('input');
      reverse.type = 'checkbox';
      reverse.checked = Boolean(item.reverse);
      reverse.addEventListener('change', () => {
        if (reverse.checked) item.reverse = true;
        else delete item.reverse;
        flow.invalidate();
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
            const max = m.column !== undefined ? flow.pending.preview.columns[m.column].profile.max : null;
            item.reference_amount = roundUp(F.isNumber(max) && max > 0 ? max : 100);
            reference.value = F.inputText(item.reference_amount);
          }
          delete item.reverse;
          reverse.checked = false;
        } else delete item.reference_amount;
        showScaleFields();
        flow.invalidate();
      });
      showScaleFields();
      fields.push(referenceField, reverseField);
      const wrap = document.createElement('div');
      wrap.className = 'new-item';
      wrap.replaceChildren(...fields);
      return [wrap];
    }

    // ---------------------------------------------------------------- check and commit

    /**
     * The satisfaction settings to check the file with: the ones chosen here for a mapped CSAT or
     * CES column, the model's for the other; null (no change) when neither is mapped.
     */
    function checkedSatisfaction(imp) {
      const roles = new Set(imp.mapping.map((m) => m.role));
      if (!roles.has('csat') && !roles.has('ces')) return null;
      const current = app.page.satisfactionSettings();
      const chosen = imp.satisfaction;
      const satisfaction = roles.has('csat')
        ? { csat_scale: chosen.csat_scale, csat_satisfied_from: chosen.csat_satisfied_from }
        : { csat_scale: current.csat_scale, csat_satisfied_from: current.csat_satisfied_from };
      satisfaction.ces_agree_from = roles.has('ces') ? chosen.ces_agree_from : current.ces_agree_from;
      for (const [key, name] of [['csat_satisfied_from', 'CSAT satisfied from'], ['ces_agree_from', 'CES agree from']]) {
        const value = satisfaction[key];
        if (!F.isNumber(value)) {
          throw new Error(name + ': ' + (value === '' ? 'enter a number.' : '"' + String(value).slice(0, 40) + '" is not a number.'));
        }
      }
      return satisfaction;
    }

    function created(report) {
      const parts = [];
      if (report.created_items.length) {
        parts.push('New items: ' + report.created_items.map((i) => i.label + ' (' + i.side + ')').join(', ') + '.');
      }
      if (report.created_segments.length) {
        parts.push('New segments: ' + report.created_segments.map((s) => s.label + (s.group ? ' (' + s.group + ')' : '')).join(', ') + '.');
      }
      return parts.join(' ');
    }

    /** Step 3: the checked rows replace the survey, or are added after it (atomically, in the core). */
    function commit(imp, report) {
      const before = calc().responseCount();
      const append = imp.mode === 'add' && before > 0;
      calc().commitImport({ append });
      imp.before = before;
      imp.appended = append;
      const n = report.rows_valid;
      let message = 'Imported ' + plural(n, 'row') + ' from ' + imp.name;
      if (append) message += ', added after the ' + plural(before, 'respondent') + ' already loaded';
      else if (before > 0) message += ', replacing the ' + plural(before, 'respondent') + ' loaded before';
      message += '.' + app.importFlow.leftOut(report);
      if (report.created_items.length) {
        message += ' Added item' + (report.created_items.length === 1 ? '' : 's') + ': ' +
          report.created_items.map((i) => i.label).join(', ') + '.';
      }
      if (report.created_segments.length) {
        message += ' Added segment' + (report.created_segments.length === 1 ? '' : 's') + ': ' +
          report.created_segments.map((s) => s.label).join(', ') + '.';
      }
      return message;
    }

    function afterCommit(imp) {
      if (imp.source === 'paste') $('paste-text').value = '';
      app.survey.showRow(imp.appended ? imp.before : 0);
      // The import may have added items and segments, or set the CSAT scale; the headline results
      // come first, with the status the flow sets next (state.js).
      app.page.afterModelChangeSoon();
    }

    /** Replace or add: shown when a survey is loaded. */
    function renderMode(imp) {
      const count = calc().responseCount();
      $('import-mode').hidden = count === 0;
      $('import-replace-text').textContent = 'replace the ' + plural(count, 'respondent') + ' now loaded';
      $('import-add-text').textContent = 'are added after the ' + plural(count, 'respondent') + ' now loaded';
      $(imp.mode === 'add' ? 'import-add' : 'import-replace').checked = true;
    }

    // ---------------------------------------------------------------- pasted rows and the template

    /**
     * Pasted rows from a spreadsheet. A first line without any number is a header: the paste is
     * a small CSV import. Otherwise the columns are the grid's, in order, under a header made here.
     */
    function importPasted(raw) {
      const text = String(raw || '').replace(/^\uFEFF/, '');
      const lines = text.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
      if (!lines.length) {
        flow.showStatus('Paste rows copied from a spreadsheet into the box first.', 'error');
        $('paste-rows').open = true;
        $('paste-text').focus();
        return;
      }
      const delimiter = lines[0].includes('\t') ? '\t' : lines[0].includes(';') ? ';' : ',';
      const cells = lines[0].split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
      const numeric = (c) => c !== '' && (F.parseNumber(c).ok || /^[+-]?\d+,\d+$/.test(c));
      if (!cells.some(numeric)) {
        flow.begin(text, { name: 'the pasted rows', source: 'paste' });
        return;
      }
      const columns = app.survey.gridColumns();
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
      flow.begin(header.join(delimiter) + '\r\n' + text, {
        name: 'the pasted rows', source: 'paste', mapping: () => mapping,
        note: 'The pasted rows have no header, so their ' + width + ' column' + (width === 1 ? ' is' : 's are') +
          ' taken in the table\u2019s order' + (width > columns.length ? '; the extra ones are ignored' : '') + '.',
      });
    }

    /** RFC 4180 quoting, for the header made for a paste without one. */
    function csvField(text, delimiter) {
      return /["\r\n]/.test(text) || text.includes(delimiter) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }

    function downloadTemplate() {
      let text;
      try {
        text = calc().templateCsv();
      } catch (e) {
        flow.showStatus('Could not make the template: ' + messageOf(e), 'error');
        return;
      }
      downloadText(text, 'text/csv', TEMPLATE_NAME);
      flow.showStatus('Downloaded ' + TEMPLATE_NAME + ': the columns of this model and one example row. ' +
        'Fill it in with one row per respondent and import it here.', 'info');
    }

    // ---------------------------------------------------------------- the import worker

    // Files are read and checked in a Web Worker (cvc-import-worker.js) when the page can start
    // one; made on the first file, ended on Cancel/Stop (the next file starts another).
    const Engine = self.CustomerValueCalculator;
    const worker = Engine && Engine.ImportWorker && Engine.ImportWorker.available() ? new Engine.ImportWorker() : null;

    // What the survey may take in this tab: a browser tab's wasm memory ends at 2 GB, and an
    // import needs the file's rows twice for a moment (checked, then stored).
    const MAX_SURVEY_BYTES = 768 * 1024 * 1024;

    /**
     * About how many bytes the checked rows take in memory: a byte per rating and per segment
     * flag, 8 per amount, 3 metric bytes, and each id's text and offset. From the preview's
     * counts, before anything is read for good.
     */
    function storedBytes(imp) {
      const rows = imp.preview.data_rows;
      let perRow = 1 + 3; // complete flag, metrics
      for (const m of imp.mapping) {
        const column = imp.preview.columns[m.column];
        if (m.role === 'item') {
          const item = m.create_item ? m.new_item : model().items.find((i) => i.id === m.item_id);
          perRow += item && item.scale === 'currency' ? 8 : 1;
        } else if (m.role === 'segment') {
          perRow += Math.max(1, (column && column.profile && column.profile.distinct) || 1);
        } else if (m.role === 'respondent_id') {
          const examples = (column && column.profile && column.profile.examples) || [];
          const longest = examples.reduce((n, x) => Math.max(n, new TextEncoder().encode(String(x)).length), 8);
          perRow += longest + 4;
        }
      }
      perRow += model().items.length + model().segments.length; // columns the survey has already
      return rows * perRow;
    }

    function size(bytes) {
      return bytes >= 1e9 ? F.decimal(Math.round(bytes / 1e8) / 10) + ' GB' : F.count(Math.ceil(bytes / 1e6)) + ' MB';
    }

    /** Step 2: in the worker for a file it read, else in the page's calculator. */
    function check(imp, onProgress) {
      const options = { delimiter: imp.preview.delimiter, decimal_comma: imp.decimalComma, satisfaction: checkedSatisfaction(imp) };
      if (!imp.file) return calc().checkImport(imp.mapping, options);
      const bytes = storedBytes(imp);
      const hooks = self.cvcTestHooks || {}; // tests only: a smaller budget
      const budget = hooks.surveyBudgetBytes || MAX_SURVEY_BYTES;
      if (bytes > budget) {
        throw new Error('its ' + plural(imp.preview.data_rows, 'row') + ' would take about ' + size(bytes) +
          ' in this tab, more than a browser tab can hold (about ' + size(budget) + ' for the survey). Nothing was ' +
          'changed. Score a file this large with the command-line runner (cvc score, see the README), or import ' +
          'part of its rows.');
      }
      return worker.check(imp.file, calc(), imp.mapping, options, { onProgress });
    }

    function bind() {
      flow = app.importFlow.create({
        prefix: '',
        rowTestid: 'map-row-',
        selectTestid: 'map-role-',
        preview: (input) => calc().importCsv(input),
        previewFile: worker ? (file, onProgress) => worker.preview(file, calc(), { onProgress }) : null,
        stop: () => worker && worker.cancel(),
        start: (preview, options) => ({
          mode: options.source === 'paste' ? 'add' : 'replace',
          satisfaction: Object.assign(app.page.satisfactionSettings(), preview.satisfaction || {}),
        }),
        title: (imp) => (imp.source === 'paste' ? 'Add ' : 'Import ') + imp.name + ': choose how each column is used',
        renderStep: renderMode,
        roleOptions, roleValue, mappingFor, renderDetails,
        check,
        created, commit, afterCommit,
        cancel: () => calc().cancelImport(),
        focusAfter: 'survey-heading',
      });
      for (const radio of app.all('input[name="import-mode"]')) {
        radio.addEventListener('change', (e) => {
          if (!flow.pending || !e.target.checked) return;
          flow.pending.mode = e.target.value;
          flow.refreshDetails(); // the CSAT note says whom a new scale applies to
        });
      }
      $('template-download').addEventListener('click', downloadTemplate);
      $('paste-add').addEventListener('click', () => importPasted($('paste-text').value));
    }

    return {
      bind, importPasted,
      importFile: (file, several) => flow.importFile(file, several),
      drop: () => flow.drop(),
      showStatus: (message, kind) => flow.showStatus(message, kind),
    };
  };
})();
