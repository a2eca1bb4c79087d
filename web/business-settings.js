/*
 * The business settings panel (the model's "business" block): period, default margin, support
 * rate, as-of date, the map's axes and thresholds, health bands and health measures. Each change
 * goes through calc.setBusinessSettings; a refused change is said next to its control in the
 * calculator's words (which name the field), and the settings and every result stay as they were.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).businessSettings = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, messageOf, numberProblem, announce } = app.dom;

    const pendingHealthWeights = new Map(); // health measure → weight, applied at the next animation frame
    const scheduleHealthWeights = app.dom.perFrame(() => flushHealthWeights());
    const money = (x) => app.page.money(x);

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
        const s = app.page.csatScale();
        return { red_at: s.low + 1, green_at: s.high };
      }
      return { red_at: m.red, green_at: m.green };
    }

    /** The satisfied-from threshold a satisfaction axis starts with: promoters, or the CSAT cut. */
    function defaultSatisfiedFrom(axis) {
      return axis === 'csat' ? app.page.satisfactionSettings().csat_satisfied_from : 9;
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

    function bind() {
      buildHealthSettings();
      // Each setting gets an error line next to it, read out when it appears.
      for (const wrap of app.all('.business-settings .setting')) {
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
        pendingHealthWeights.set(slider.dataset.measure, weight);
        scheduleHealthWeights();
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
      const pending = Array.from(pendingHealthWeights);
      pendingHealthWeights.clear();
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
      const s = app.state.model.business;
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
        setSettingError(control, numberProblem(control.dataset.label, control.value, parsed) +
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
      const settings = JSON.parse(JSON.stringify(app.state.model.business));
      mutate(settings);
      try {
        app.state.calc.setBusinessSettings(settings);
      } catch (e) {
        const kept = control.tagName === 'SELECT' || control.type === 'range' ? '' : ' The previous value (' +
          (settingText(control) || 'blank') + (control.id === 'setting-margin' ? '%' : '') + ') is kept.';
        setSettingError(control, control.dataset.label + ': ' + messageOf(e) + kept);
        if (control.tagName === 'SELECT' || control.type === 'range') render(false, control);
        return false;
      }
      setSettingError(control, '');
      app.state.model = app.state.calc.model();
      app.keep.modelChanged();
      render(false);
      app.business.render();
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
    function render(force, reset) {
      const s = app.state.model && app.state.model.business;
      if (!s) return;
      const controls = app.all('.business-settings input, .business-settings select');
      for (const control of controls) {
        if (force && control.getAttribute('aria-invalid') === 'true') setSettingError(control, '');
        if (control !== reset && control.getAttribute('aria-invalid') === 'true') continue;
        if (control.type === 'range' && pendingHealthWeights.has(control.dataset.measure)) continue;
        if (control.id === 'setting-period') control.value = s.period;
        else if (control.id === 'setting-satisfaction') control.value = s.satisfaction;
        else if (control.id === 'setting-value') control.value = s.value;
        else control.value = settingText(control);
        if (control.type === 'range') showHealthWeight(control, Number(control.value));
      }
      for (const row of app.all('.health-measure')) {
        const entry = s.health.find((h) => h.measure === row.dataset.measure);
        row.classList.toggle('health-off', !entry || !(entry.weight > 0));
      }
      const used = s.health.filter((h) => h.weight > 0).map((h) => (HEALTH_MEASURES.find((m) => m.measure === h.measure) || { name: h.measure }).name);
      $('settings-summary').textContent = '(' + app.business.perPeriod(s.period) + ' \u00b7 default margin ' +
        F.percent(100 * s.default_gross_margin, Number.isInteger(100 * s.default_gross_margin) ? 0 : 1) + ' \u00b7 support ' +
        money(s.support_hourly_rate) + ' an hour \u00b7 satisfied from ' + (s.satisfaction === 'csat' ? 'CSAT ' : 'NPS ') +
        F.decimal(s.satisfied_from) + ' \u00b7 valuable from ' + money(s.valuable_from) +
        (s.value === 'clv' ? ' CLV' : ' contribution') + ' \u00b7 health from ' + (used.length ? used.join(', ') : 'no measure') + ')';
      const csat = app.page.csatScale();
      $('bands-help').textContent = 'Health 0\u2013' + F.decimal(s.bands.red_max) + ' is red, up to ' +
        F.decimal(s.bands.yellow_max) + ' yellow, above that green. CSAT is on ' + csat.low + '\u2013' + csat.high + '.';
      for (const node of app.all('.currency-code')) node.textContent = app.page.currencyCode();
    }

    return { bind, render };
  };
})();
