/*
 * The customer table's CSV import, on the shared import steps (import-flow.js):
 * calc.importCustomersCsv → mapping → calc.checkCustomerImport → calc.commitCustomerImport, which
 * replaces the table. Also the built-in sample table and removing the table.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).customerImport = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, labelled, textInput, plural, messageOf, bindFileDrop } = app.dom;

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

    let flow = null;
    const calc = () => app.state.calc;

    function roleOptions() {
      const csat = app.page.csatScale();
      return CUSTOMER_FIELDS.map(([value, text]) =>
        new Option(value === 'csat' ? 'CSAT (' + csat.low + '\u2013' + csat.high + ')' : text, value));
    }

    /** A mapping entry for a field chosen in the select; segments and MRR months keep a label. */
    function mappingFor(field, column, previous) {
      const entry = { column: column.column, field, label: '' };
      if (field === 'segment' || field === 'mrr') {
        const proposed = column.proposed.field === field ? column.proposed.label : '';
        const fromHeader = String(column.header || 'Column ' + (column.column + 1))
          .replace(field === 'segment' ? /^segment\s*:\s*/i : /^mrr\s*/i, '').trim();
        entry.label = previous && previous.field === field ? previous.label : proposed || fromHeader;
      }
      return entry;
    }

    function renderDetails(td, column, index) {
      const m = flow.pending.mapping[index];
      const known = CUSTOMER_FIELDS.find(([value]) => value === m.field);
      const parts = [];
      if (m.field === 'segment' || m.field === 'mrr') {
        const input = textInput(m.label || '', { testid: 'customer-map-label-' + index,
          label: (m.field === 'segment' ? 'Segment group' : 'Month') + ' for column ' + (index + 1) });
        input.addEventListener('input', () => {
          m.label = input.value;
          flow.invalidate();
        });
        parts.push(labelled(m.field === 'segment' ? 'Group' : 'Month', input));
      }
      if (m.field === 'csat') {
        const s = app.page.csatScale();
        parts.push(cell('span', s.low + '\u2013' + s.high + ' satisfaction rating.', 'map-note'));
      } else if (known) parts.push(cell('span', known[2], 'map-note'));
      td.replaceChildren(...parts);
    }

    function created(report) {
      const found = [];
      if (report.segments && report.segments.length) {
        found.push('Segments: ' + report.segments.map((s) => s.label + (s.group ? ' (' + s.group + ')' : '')).join(', ') + '.');
      }
      if (report.mrr_columns && report.mrr_columns.length) found.push('MRR months: ' + report.mrr_columns.join(', ') + '.');
      return found.join(' ');
    }

    function commit(imp, report) {
      const before = calc().customerCount();
      calc().commitCustomerImport();
      return 'Imported ' + plural(report.rows_valid, 'customer') + ' from ' + imp.name +
        (before > 0 ? ', replacing the ' + F.count(before) + ' loaded before' : '') + '.' + app.importFlow.leftOut(report);
    }

    /** Imports the built-in sample customer table with the proposed mapping. True when applied. */
    function applySample(quiet) {
      const sample = app.samples.customersCsv;
      if (!sample) {
        if (!quiet) flow.showStatus('The sample customer table is missing from this page.', 'error');
        return false;
      }
      try {
        const preview = calc().importCustomersCsv(sample);
        const report = calc().checkCustomerImport(preview.columns.map((c) => c.proposed),
          { delimiter: preview.delimiter, decimal_comma: preview.decimal_comma });
        if (report.rows_valid === 0) throw new Error('none of its rows is valid');
        calc().commitCustomerImport();
      } catch (e) {
        calc().cancelCustomerImport();
        if (!quiet) flow.showStatus('Could not load the sample customer table: ' + messageOf(e), 'error');
        return false;
      }
      app.business.tableReplaced('the sample customer table');
      return true;
    }

    function bind() {
      flow = app.importFlow.create({
        prefix: 'customer-',
        rowTestid: 'customer-map-row-',
        selectTestid: 'customer-map-field-',
        preview: (bytes) => calc().importCustomersCsv(bytes),
        title: (imp) => 'Import ' + imp.name + ' as the customer table: choose how each column is used',
        roleOptions, roleValue: (m) => m.field, mappingFor, renderDetails,
        check: (imp) => calc().checkCustomerImport(imp.mapping,
          { delimiter: imp.preview.delimiter, decimal_comma: imp.decimalComma }),
        created, commit,
        afterCommit: (imp) => {
          app.business.tableReplaced(imp.name);
          app.business.render();
        },
        cancel: () => calc().cancelCustomerImport(),
        focusAfter: 'customers-heading',
      });
      $('customer-sample').addEventListener('click', () => {
        flow.drop();
        if (applySample(false)) {
          app.business.render();
          flow.showStatus('Loaded the sample customer table: ' + F.count(calc().customerCount()) + ' customers.', 'success');
        }
      });
      $('customer-clear').addEventListener('click', () => {
        flow.drop();
        calc().clearCustomers();
        app.business.tableReplaced('');
        app.business.render();
        flow.showStatus('The customer table is removed; the quick calculators below still work without one.', 'info');
      });
      bindFileDrop($('customers'), flow.importFile);
    }

    return { bind, applySample, drop: () => flow.drop() };
  };
})();
