/*
 * The quick calculators: lifetime value, churn and revenue retention from a few numbers, no
 * customer table needed. Each form calls CustomerValueCalculator.quick() as the user types
 * (coalesced to one calculation per animation frame); a refused input keeps the last result,
 * marked as belonging to the last valid inputs.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).quick = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, textInput, sentence, messageOf } = app.dom;

    const quick = new Map(); // form id → {seq, show, schedule}
    const money = (x) => app.page.money(x);
    const fractionPercent = (x) => app.business.fractionPercent(x);

    // The MRR calculator starts with the example of tests/fixtures/csv/customers-mrr.csv's last
    // two months: expansion, churn, contraction, new and reactivated revenue.
    const EXAMPLE_MRR = [
      { start: '100', end: '150', before: true }, { start: '200', end: '0', before: true },
      { start: '300', end: '250', before: true }, { start: '0', end: '80', before: false },
      { start: '0', end: '60', before: true }, { start: '100', end: '100', before: true },
    ];

    function bind() {
      buildMrrRows(EXAMPLE_MRR);
      for (const form of app.all('.quick-card')) {
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
      const holding = (control, className) => {
        const td = cell('td', '', className);
        td.appendChild(control);
        return td;
      };
      const tbody = $('quick-mrr').querySelector('tbody');
      tbody.replaceChildren(...rows.map((row, i) => {
        const n = i + 1;
        const tr = document.createElement('tr');
        const th = cell('th', 'Customer ' + n);
        th.scope = 'row';
        tr.appendChild(th);
        for (const [part, value, label] of [['start', row.start, 'MRR at the start'], ['end', row.end, 'MRR at the end']]) {
          const input = textInput(value, { testid: 'quick-mrr-' + part + '-' + i, label: 'Customer ' + n + ', ' + label, decimal: true });
          input.className = 'grid-input';
          input.placeholder = '0';
          input.dataset.mrr = part;
          input.dataset.field = 'customer ' + n + ', mrr_' + part;
          tr.appendChild(holding(input, 'num'));
        }
        const check = document.createElement('input');
        check.type = 'checkbox';
        check.checked = row.before;
        check.dataset.mrr = 'before';
        check.dataset.testid = 'quick-mrr-before-' + i;
        check.setAttribute('aria-label', 'Customer ' + n + ' was a customer before');
        tr.appendChild(holding(check, 'check-cell'));
        const remove = cell('button', '\u00d7', 'grid-delete');
        remove.type = 'button';
        remove.dataset.index = String(i);
        remove.title = 'Remove this customer';
        remove.setAttribute('aria-label', 'Remove customer ' + n);
        tr.appendChild(holding(remove));
        return tr;
      }));
    }

    function quickEntry(form) {
      if (!quick.has(form.id)) {
        const entry = { seq: 0, show: false };
        entry.schedule = app.dom.perFrame(() => {
          const show = entry.show;
          entry.show = false;
          runQuick(form, show);
        });
        quick.set(form.id, entry);
      }
      return quick.get(form.id);
    }

    /** Coalesces typing: one calculation per animation frame and calculator. */
    function scheduleQuick(form, showErrors) {
      const entry = quickEntry(form);
      entry.show = entry.show || showErrors;
      entry.schedule();
    }

    function runAllQuick() {
      return Promise.all(Array.from(app.all('.quick-card'), (form) => runQuick(form, true)));
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
        const m = F.decimal(inputs.margin);
        const rr = F.decimal(inputs.retention);
        const d = F.decimal(inputs.discount_rate);
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
          formula = 'CLV = m\u00b7(1 + d) \u00f7 (1 + d \u2212 r) = ' + m + ' \u00d7 ' + F.decimal(1 + inputs.discount_rate) +
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

    /** After a model change: amounts are shown in the model's currency. */
    function rerun() {
      if (quick.size) runAllQuick();
    }

    return { bind, runAll: runAllQuick, rerun };
  };
})();
