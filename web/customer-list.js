/*
 * The customer list: every customer of the table with their own results, a page at a time from
 * calc.customers(offset, count): segments, revenue, cost to serve, contribution, CLV (or why there
 * is none), health and its band, satisfaction (marked when it came from the survey), quadrant of
 * the map (or not placed), and whether they churned.
 *
 * Editing: Edit opens a form with every input of the customer; Save calls
 * calc.replaceCustomer(row, record), "Add a customer…" calc.addCustomer(record), × calc.deleteCustomer(row).
 * The API takes a whole record (a field left out is cleared); calc.customers() returns each
 * customer's own inputs as `input` in that form, so the form opens with every field. The page
 * also keeps the last record it sent for each row (`known`).
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).customerList = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, pager, showPager, lastPageStart, messageOf, announce, setControlError } = app.dom;

    const PAGE = 25;
    const PAGER = { prev: 'customer-prev', next: 'customer-next', size: PAGE };
    let offset = 0; // first customer on the page
    const money = (x) => app.page.money(x);

    // row → the last record this page sent for it (add or replace); cleared when the table is replaced.
    const known = new Map();
    // The open form: { row (null when adding), fields: [{key, control, error}], opener }.
    let editing = null;

    function reset() {
      offset = 0;
      known.clear();
    }

    /** A number cell with its unrounded value in data-value and what it is in data-key. */
    function amountCell(key, value, text) {
      const td = cell('td', '', 'num');
      td.dataset.key = key;
      if (F.isNumber(value)) td.dataset.value = String(value);
      td.appendChild(cell('span', text, 'cell-value'));
      return td;
    }

    function withNote(td, note) {
      if (note) td.appendChild(cell('span', note, 'cell-ci'));
      return td;
    }

    function customerRow(c, b) {
      const tr = document.createElement('tr');
      tr.dataset.id = String(c.id);
      tr.dataset.quadrant = String(c.quadrant);
      tr.dataset.row = String(c.row);
      const th = cell('th', '', 'cust-id');
      th.scope = 'row';
      th.appendChild(cell('span', String(c.id), 'cust-id-text'));
      const actions = cell('span', '', 'cust-actions');
      const edit = cell('button', 'Edit', 'grid-edit');
      edit.type = 'button';
      edit.dataset.row = String(c.row);
      edit.dataset.testid = 'customer-edit-' + c.row;
      edit.setAttribute('aria-label', 'Edit customer ' + c.id + ' in row ' + (c.row + 1));
      edit.title = 'Edit this customer';
      const del = cell('button', '\u00d7', 'grid-delete');
      del.type = 'button';
      del.dataset.row = String(c.row);
      del.dataset.testid = 'customer-delete-' + c.row;
      del.setAttribute('aria-label', 'Delete customer ' + c.id + ' in row ' + (c.row + 1));
      del.title = 'Delete this customer';
      actions.append(edit, del);
      th.appendChild(actions);
      tr.appendChild(th);
      tr.appendChild(cell('td', (c.segments || []).map(String).join(', ') || F.MISSING, 'cust-segments'));
      tr.appendChild(amountCell('revenue', c.revenue, money(c.revenue)));
      tr.appendChild(amountCell('cost_to_serve', c.cost_to_serve, money(c.cost_to_serve)));
      tr.appendChild(amountCell('contribution', c.contribution, money(c.contribution)));

      const clv = c.clv || {};
      const clvCell = app.business.outcomeCell(clv);
      clvCell.dataset.key = 'clv';
      if (F.isNumber(clv.value) && c.churned) withNote(clvCell, 'value to date');
      tr.appendChild(clvCell);

      const band = app.business.healthBand(c.health, b.settings.bands);
      const health = amountCell('health', c.health, F.isNumber(c.health) ? F.number(c.health, 0) : F.MISSING);
      if (band) {
        health.dataset.band = band;
        const note = cell('span', '', 'cell-ci health-band');
        const swatch = document.createElement('span');
        swatch.className = 'legend-swatch swatch-health-' + band;
        swatch.setAttribute('aria-hidden', 'true');
        note.append(swatch, band);
        health.appendChild(note);
      }
      tr.appendChild(health);

      const satisfaction = amountCell('satisfaction', c.satisfaction,
        F.decimal(c.satisfaction));
      if (F.isNumber(c.satisfaction) && c.satisfaction_from_survey) {
        satisfaction.dataset.fromSurvey = 'true';
        withNote(satisfaction, 'from survey');
      }
      tr.appendChild(satisfaction);

      const names = app.business.QUADRANT_NAMES;
      tr.appendChild(cell('td', names[c.quadrant] || (c.quadrant === 'unplaced' ? 'Not on the map' : String(c.quadrant)),
        'quadrant q-' + String(c.quadrant).replace(/_/g, '-')));

      const status = cell('td', '', 'status');
      status.dataset.key = 'churned';
      status.dataset.value = String(Boolean(c.churned));
      status.appendChild(cell('span', c.churned ? 'Churned' : 'Active', 'cell-value'));
      const notes = [];
      if (F.isNumber(c.tenure_months)) notes.push(F.number(c.tenure_months, 0) + ' months');
      if (c.payment_status && c.payment_status !== 'current') notes.push('payment ' + c.payment_status);
      withNote(status, notes.join(', '));
      tr.appendChild(status);
      return tr;
    }

    /** The current page of customers; called with every business render. */
    function render() {
      const b = app.state.business;
      if (!b) return;
      const axis = app.business.satisfactionAxis(b.settings);
      $('customer-view-sat').textContent = axis.name + ' ';
      $('customer-view-sat').appendChild(cell('span', 'answer', 'th-sub'));
      const total = b.customers;
      if (offset >= total) offset = lastPageStart(total, PAGE);
      const data = total > 0 ? app.state.calc.customers(offset, PAGE) : { customers: 0, offset: 0, page: [] };
      $('customer-view').tBodies[0].replaceChildren(...data.page.map((c) => customerRow(c, b)));
      const unplaced = b.quadrants.unplaced.customers;
      $('customer-range').textContent = total === 0
        ? 'No customer table yet: import a CSV file, or reload the sample customers.'
        : 'Customers ' + F.count(offset + 1) + '\u2013' + F.count(offset + data.page.length) + ' of ' + F.count(total) + '.' +
          (unplaced > 0 ? ' ' + F.count(unplaced) + (unplaced === 1 ? ' is' : ' are') + ' not on the map: no ' +
            axis.name + ' answer (in the table or the survey), or no value.' : '');
      $('customer-view-scroll').hidden = total === 0;
      showPager(PAGER, offset, data.page.length, total);
      $('customer-clear').hidden = total === 0;
    }

    // ---------------------------------------------------------------- editing

    const PERCENT = new Set(['gross_margin', 'usage']); // typed as %, sent as "35%"
    const PAYMENT = ['current', 'late', 'failed'];

    /** The table's segment groups in order: [{name, segments: [{id, label, group}]}]. */
    function segmentGroups(b) {
      const groups = [];
      for (const s of b.segments || []) {
        let g = groups.find((x) => x.name === s.group);
        if (!g) groups.push(g = { name: s.group, segments: [] });
        g.segments.push(s);
      }
      return groups;
    }

    /** The form's fields: key (a record field, 'mrr:k' or 'segment:k'), label, kind, help. */
    function formFields(b) {
      const currency = app.page.currencyCode();
      const period = app.business.perPeriod(b.period);
      const csat = app.page.csatScale();
      const fields = [{ key: 'id', label: 'Customer id', help: 'blank = "row N"' }];
      segmentGroups(b).forEach((g, k) => fields.push({ key: 'segment:' + k, label: 'Segment (' + g.name + ')', kind: 'segment', group: g }));
      if ((b.mrr_columns || []).length) {
        b.mrr_columns.forEach((label, k) => fields.push({ key: 'mrr:' + k, label: 'MRR ' + label + ' (' + currency + ')', decimal: true }));
      } else {
        fields.push({ key: 'revenue', label: 'Revenue (' + currency + ' ' + period + ')', decimal: true });
      }
      fields.push(
        { key: 'gross_margin', label: 'Gross margin (%)', decimal: true,
          help: 'blank = the default margin (' + F.number(b.settings.default_gross_margin * 100, 0) + '%)' },
        { key: 'support_hours', label: 'Support hours', decimal: true,
          help: 'at ' + money(b.settings.support_hourly_rate) + ' an hour' },
        { key: 'support_cost', label: 'Support cost (' + currency + ')', decimal: true, help: 'instead of hours' },
        { key: 'onboarding_cost', label: 'Onboarding cost (' + currency + ')', decimal: true },
        { key: 'discounts', label: 'Discounts (' + currency + ')', decimal: true },
        { key: 'other_cost', label: 'Other cost (' + currency + ')', decimal: true },
        { key: 'start_date', label: 'Start date', placeholder: 'YYYY-MM-DD' },
        { key: 'churn_date', label: 'Churn date', placeholder: 'YYYY-MM-DD', help: 'blank = still a customer' },
        { key: 'nps', label: 'NPS answer (0\u201310)', decimal: true },
        { key: 'csat', label: 'CSAT answer (' + csat.low + '\u2013' + csat.high + ')', decimal: true },
        { key: 'usage', label: 'Usage (%)', decimal: true },
        { key: 'payment_status', label: 'Payment status', kind: 'payment' });
      return fields;
    }

    /** A form value from a record value: text for inputs, a label or status for selects. */
    function textOf(value, percent) {
      if (value === null || value === undefined) return '';
      const text = typeof value === 'number' ? F.inputText(value) : String(value);
      return percent ? text.replace(/\s*%$/, '') : text;
    }

    /**
     * What the form opens with: the record the page sent last; else the customer's own inputs
     * (calc.customers() returns them as `input`, in the record form replaceCustomer takes; the
     * margin comes as a fraction and is shown as a percentage); else what customers() tells.
     */
    function startingRecord(c, b) {
      if (known.has(c.row)) return { record: known.get(c.row), partial: false };
      if (c.input) {
        const record = {};
        for (const [key, value] of Object.entries(c.input)) {
          if (value !== null && value !== undefined) record[key] = value;
        }
        if (F.isNumber(record.gross_margin)) {
          record.gross_margin = F.inputText(Number((record.gross_margin * 100).toPrecision(12))) + '%';
        }
        if (Array.isArray(record.mrr) && record.mrr.length === 0) delete record.mrr;
        return { record, partial: false };
      }
      const record = { id: c.id, segments: (c.segments || []).slice() };
      if (!(b.mrr_columns || []).length && F.isNumber(c.revenue)) record.revenue = c.revenue;
      if (PAYMENT.includes(c.payment_status)) record.payment_status = c.payment_status;
      if (F.isNumber(c.satisfaction) && !c.satisfaction_from_survey) record[b.settings.satisfaction === 'csat' ? 'csat' : 'nps'] = c.satisfaction;
      return { record, partial: true };
    }

    function fieldValue(field, record) {
      if (field.kind === 'segment') {
        const labels = new Set(field.group.segments.map((s) => s.label));
        return (record.segments || []).find((l) => labels.has(l)) || '';
      }
      if (field.key.startsWith('mrr:')) return textOf((record.mrr || [])[Number(field.key.slice(4))]);
      return textOf(record[field.key], PERCENT.has(field.key));
    }

    function fieldControl(field, value) {
      let control;
      if (field.kind === 'segment' || field.kind === 'payment') {
        control = document.createElement('select');
        const options = [new Option('\u2014 (none)', '')];
        if (field.kind === 'segment') for (const s of field.group.segments) options.push(new Option(s.label, s.label));
        else for (const p of PAYMENT) options.push(new Option(p, p));
        control.replaceChildren(...options);
      } else {
        control = app.dom.textInput('', { decimal: field.decimal });
        if (field.placeholder) control.placeholder = field.placeholder;
      }
      control.value = value;
      control.id = 'cust-f-' + field.key.replace(':', '-');
      control.dataset.testid = 'customer-field-' + field.key.replace(':', '-');
      return control;
    }

    /** Opens the form for customer `c` (null to add one). */
    function openEditor(c, opener) {
      const b = app.state.business;
      if (!b) return;
      const start = c ? startingRecord(c, b) : { record: {}, partial: false };
      editing = { row: c ? c.row : null, base: start.record, fields: [], opener };
      $('customer-editor-title').textContent = c ? 'Edit customer ' + c.id + ' (row ' + (c.row + 1) + ')' : 'Add a customer';
      const unknown = ['margin', 'costs', 'discounts', 'dates', 'usage'];
      if ((b.mrr_columns || []).length) unknown.unshift('MRR values');
      unknown.push(b.settings.satisfaction === 'csat' ? 'NPS' : 'CSAT');
      $('customer-editor-note').textContent = 'Fields left empty are cleared (not given) when you save.' +
        (start.partial ? ' This customer came from an imported table: its ' + unknown.slice(0, -1).join(', ') + ' and ' +
          unknown[unknown.length - 1] + ' are not shown here (the calculator does not give them back), so fill in the ones it should keep.' : '');
      $('customer-editor-note').dataset.partial = String(start.partial);
      const boxes = formFields(b).map((field) => {
        const control = fieldControl(field, fieldValue(field, start.record));
        const error = cell('p', '', 'field-error');
        error.id = control.id + '-error';
        error.dataset.testid = 'customer-error-' + field.key.replace(':', '-');
        error.hidden = true;
        const wrap = cell('div', '', 'setting');
        const label = cell('label', field.label);
        label.htmlFor = control.id;
        wrap.append(label, control);
        if (field.help) wrap.appendChild(cell('span', field.help, 'setting-help'));
        wrap.appendChild(error);
        editing.fields.push({ field, control, error });
        return wrap;
      });
      $('customer-fields').replaceChildren(...boxes);
      showFormError('');
      const dialog = $('customer-editor');
      if (!dialog.open) dialog.showModal();
      editing.fields[0].control.focus();
      editing.fields[0].control.select();
    }

    /** The record from the form: the starting record with every form field set (blank = null). */
    function formRecord() {
      const record = Object.assign({}, editing.base);
      const segments = [];
      const mrr = [];
      for (const { field, control } of editing.fields) {
        const text = control.value.trim();
        if (field.kind === 'segment') {
          if (text) segments.push(text);
        } else if (field.key.startsWith('mrr:')) {
          mrr[Number(field.key.slice(4))] = text === '' ? null : text;
        } else if (text === '') {
          record[field.key] = null;
        } else {
          record[field.key] = PERCENT.has(field.key) && !/%$/.test(text) ? text + '%' : text;
        }
      }
      if (editing.fields.some((f) => f.field.kind === 'segment') || !record.segments) record.segments = segments;
      if (mrr.length) record.mrr = Array.from(mrr, (v) => (v === undefined ? null : v));
      return record;
    }

    function showFormError(message) {
      const box = $('customer-form-error');
      box.textContent = message;
      box.hidden = !message;
    }

    /** The form control named by a CalculatorError's field ("row 3, revenue", "new customer, mrr", "id"). */
    function errorControl(e) {
      const where = String((e && e.field) || '');
      const key = where.includes(', ') ? where.slice(where.lastIndexOf(', ') + 2) : where;
      const fields = editing.fields;
      if (key === 'segments') {
        const message = messageOf(e);
        return (fields.find((f) => f.field.kind === 'segment' && message.includes('"' + f.field.group.name + '"')) ||
          fields.find((f) => f.field.kind === 'segment') || {}).control;
      }
      if (key === 'mrr') {
        const message = messageOf(e);
        const cols = fields.filter((f) => f.field.key.startsWith('mrr:'));
        const k = (app.state.business.mrr_columns || []).findIndex((label) => message.includes('(' + label + ')'));
        return (cols[k] || cols[0] || {}).control;
      }
      return (fields.find((f) => f.field.key === key) || {}).control;
    }

    function clearFieldErrors() {
      for (const { control, error } of editing.fields) setControlError(control, error, '');
      showFormError('');
    }

    /** Save: replaceCustomer or addCustomer. A refused record changes nothing; the message goes next to its field. */
    function save() {
      if (!editing) return;
      const calc = app.state.calc;
      const record = formRecord();
      clearFieldErrors();
      const adding = editing.row === null;
      const row = adding ? calc.customerCount() : editing.row;
      try {
        if (adding) calc.addCustomer(record);
        else calc.replaceCustomer(row, record);
      } catch (e) {
        const control = errorControl(e);
        const entry = control && editing.fields.find((f) => f.control === control);
        if (entry) {
          setControlError(control, entry.error, messageOf(e));
          control.focus();
        } else {
          showFormError(messageOf(e));
        }
        return;
      }
      known.set(row, record);
      editing.saved = true;
      if (adding) offset = lastPageStart(row + 1, PAGE);
      closeEditor();
      app.business.render();
      const id = calc.customers(row, 1).page[0].id;
      announce((adding ? 'Added customer ' : 'Saved customer ') + id + ' in row ' + (row + 1) + '; the business results are updated.');
      focusRowButton('customer-edit-', row);
    }

    function closeEditor() {
      const dialog = $('customer-editor');
      const opener = editing && !editing.saved ? editing.opener : null;
      editing = null;
      if (dialog.open) dialog.close();
      if (opener && opener.isConnected) opener.focus();
    }

    function focusRowButton(prefix, row) {
      const button = $('customer-view').querySelector('[data-testid="' + prefix + row + '"]');
      if (button) button.focus();
    }

    function deleteCustomer(row) {
      const calc = app.state.calc;
      const c = calc.customers(row, 1).page[0];
      try {
        calc.deleteCustomer(row);
      } catch (e) {
        $('customer-range').textContent = 'Could not delete the customer: ' + messageOf(e);
        return;
      }
      // The rows after it move up one.
      const moved = new Map();
      for (const [r, record] of known) if (r !== row) moved.set(r > row ? r - 1 : r, record);
      known.clear();
      for (const [r, record] of moved) known.set(r, record);
      app.business.render();
      announce('Deleted customer ' + (c ? c.id + ' ' : '') + 'in row ' + (row + 1) + '; the business results are updated.');
      const buttons = Array.from($('customer-view').querySelectorAll('.grid-delete'));
      const next = buttons.find((b) => Number(b.dataset.row) === row) || buttons[buttons.length - 1];
      if (next) next.focus();
      else $('customer-add').focus();
    }

    function bind() {
      $('customer-view').addEventListener('click', (e) => {
        const button = e.target.closest('button[data-row]');
        if (!button) return;
        const row = Number(button.dataset.row);
        if (button.classList.contains('grid-delete')) deleteCustomer(row);
        else {
          const c = app.state.calc.customers(row, 1).page[0];
          if (c) openEditor(c, button);
        }
      });
      $('customer-add').addEventListener('click', (e) => openEditor(null, e.currentTarget));
      $('customer-form').addEventListener('submit', (e) => {
        e.preventDefault();
        save();
      });
      $('customer-cancel').addEventListener('click', () => closeEditor());
      // Escape: the dialog's cancel event; nothing is saved.
      $('customer-editor').addEventListener('cancel', (e) => {
        e.preventDefault();
        closeEditor();
      });
      pager(Object.assign({
        count: () => (app.state.business ? app.state.business.customers : 0),
        get: () => offset,
        set: (value) => { offset = value; },
        render,
      }, PAGER));
    }

    return { bind, render, reset };
  };
})();
