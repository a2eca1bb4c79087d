/*
 * "Satisfaction questions": how CSAT and CES were asked (the model's satisfaction block), set
 * through calc.setSatisfactionSettings. A refused change (CSAT answers that do not fit a scale,
 * a cut outside it) is said next to the controls in the calculator's words, the control is marked
 * invalid, and the settings and every result stay as they were.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).satisfactionSettings = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, messageOf, numberProblem, announce } = app.dom;

    const CONTROLS = ['csat-scale', 'csat-from', 'ces-from'];
    const NAMES = { 'csat-scale': 'CSAT scale', 'csat-from': 'CSAT satisfied from', 'ces-from': 'CES agreeing from' };
    const KEYS = { 'csat-from': 'csat_satisfied_from', 'ces-from': 'ces_agree_from' };

    function scaleText(scale) {
      const s = app.page.csatScale(scale);
      return s.low + '\u2013' + s.high;
    }

    /** The text a control shows for the setting the model holds now. */
    function storedText(control) {
      const s = app.page.satisfactionSettings();
      return control.id === 'csat-scale' ? s.csat_scale : F.inputText(s[KEYS[control.id]]);
    }

    function showError(control, message) {
      const error = $('sat-settings-error');
      for (const id of CONTROLS) {
        $(id).removeAttribute('aria-invalid');
        $(id).removeAttribute('aria-describedby');
      }
      error.textContent = message;
      error.hidden = !message;
      if (message) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', error.id);
      }
    }

    /** Sends the settings with one change; true when the calculator took them. */
    function apply(control, change) {
      const settings = Object.assign(app.page.satisfactionSettings(), change);
      try {
        app.state.calc.setSatisfactionSettings(settings);
      } catch (e) {
        const kept = control.tagName === 'SELECT' ? '' : ' The previous value (' + storedText(control) + ') is kept.';
        showError(control, NAMES[control.id] + ': ' + messageOf(e) + kept);
        if (control.tagName === 'SELECT') control.value = storedText(control);
        return false;
      }
      showError(control, '');
      app.page.afterModelChange(); // CSAT shows on the grid, in the results, the map and the health score
      return true;
    }

    function onScale(control) {
      // A new scale starts from its top-two-box cut.
      const from = app.page.csatScale(control.value).high - 1;
      if (apply(control, { csat_scale: control.value, csat_satisfied_from: from })) {
        announce('CSAT is now on ' + scaleText(control.value) + '; satisfied from ' + from + '.');
      }
    }

    function onCut(control) {
      const parsed = F.parseNumber(control.value);
      if (!parsed.ok) {
        showError(control, numberProblem(NAMES[control.id], control.value, parsed) +
          '. The previous value (' + storedText(control) + ') is kept.');
        return;
      }
      apply(control, { [KEYS[control.id]]: parsed.value });
    }

    /** Shows the model's settings. A control holding a refused value keeps it unless `force`. */
    function render(force) {
      if (!app.state.model) return;
      if (force) showError($('csat-scale'), '');
      for (const id of CONTROLS) {
        const control = $(id);
        if (control.getAttribute('aria-invalid') !== 'true') control.value = storedText(control);
      }
      const s = app.page.satisfactionSettings();
      $('sat-settings-summary').textContent = 'CSAT ' + scaleText(s.csat_scale) + ', satisfied from ' +
        F.decimal(s.csat_satisfied_from) + ' \u00b7 CES agreeing from ' + F.decimal(s.ces_agree_from);
    }

    function bind() {
      $('csat-scale').addEventListener('change', (e) => onScale(e.target));
      $('csat-from').addEventListener('change', (e) => onCut(e.target));
      $('ces-from').addEventListener('change', (e) => onCut(e.target));
    }

    return { bind, render };
  };
})();
