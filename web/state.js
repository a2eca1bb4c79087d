/*
 * The page's shared state and the one-way refresh: input → calculator → results → page.
 *
 * The page is a set of classic scripts (file:// pages cannot load ES modules) that attach to one
 * namespace, window.CVC, in the order index.html lists them:
 *   state.js           the calculator instance, shared state, what to re-render after a change
 *   dom.js             small DOM helpers: cells, status lines, downloads, file drops, paging
 *   import-flow.js     the CSV import steps shared by the survey and the customer table
 *   model-panel.js     the model file, items, weights and entered scores
 *   satisfaction-settings.js  how CSAT and CES were asked
 *   results.js         headline values and the segment table
 *   result-charts.js   the four value and satisfaction charts
 *   survey.js          the respondent grid, the sample survey, pasted rows
 *   survey-import.js   the survey's CSV mapping step (roles, new items, CSAT and CES scales)
 *   customer-import.js the customer table's CSV mapping step, the sample customers
 *   business.js        business results: metrics, map, eroding list, segments, MRR, survey join
 *   customer-list.js   the paged list of every customer with their own results
 *   business-settings.js  the business settings panel
 *   quick.js           the quick calculators
 *   keep.js            the results CSV, the model autosaved in this browser
 *   app.js             start-up
 * A module calls another through CVC.<module> at call time, so the load order only matters for
 * the helpers read when a script runs (this file and dom.js, loaded first).
 *
 * Anything that came from a model, a file or an error message is put on the page with
 * textContent / setAttribute, never parsed as HTML. A refused input leaves everything as it was:
 * the calculator is transactional, and the page re-renders only after a call that succeeded.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const F = window.CvcFormat;

  const state = {
    calc: null,
    model: null, // calc.model(): the model as the calculator holds it
    results: null, // calc.results(): the last results rendered
    business: null, // calc.businessResults(): the last business results rendered
  };

  /** Asks the calculator for one results object and renders all of it. */
  function recompute() {
    state.results = state.calc.results();
    CVC.results.render();
  }

  /** A new model is in the calculator (loaded, imported into, settings changed): rebuild all. */
  function afterModelChange() {
    state.model = state.calc.model();
    const name = state.model.name ? String(state.model.name) : 'Untitled model';
    document.getElementById('model-name').textContent = name;
    document.title = name + ' \u00b7 Customer Value Calculator';
    CVC.modelPanel.buildItemRows();
    CVC.resultCharts.buildViewSelect();
    CVC.satisfactionSettings.render(true);
    recompute();
    CVC.survey.renderGrid();
    CVC.businessSettings.render(true);
    CVC.business.render();
    CVC.quick.rerun(); // amounts are shown in the model's currency
    CVC.keep.modelChanged();
  }

  /** The survey changed (rows added, edited in bulk, deleted, replaced): results and grid. */
  function afterSurveyChange() {
    recompute();
    CVC.survey.renderGrid();
    CVC.business.render();
  }

  /** How CSAT and CES were asked, from the model's satisfaction block (with the defaults). */
  function satisfactionSettings() {
    const sat = (state.model && state.model.satisfaction) || {};
    const scale = sat.csat_scale || '1-5';
    const bounds = F.scaleBounds({ scale });
    return {
      csat_scale: scale,
      csat_satisfied_from: F.isNumber(sat.csat_satisfied_from) ? sat.csat_satisfied_from : bounds.high - 1,
      ces_agree_from: F.isNumber(sat.ces_agree_from) ? sat.ces_agree_from : 5,
    };
  }

  /** "1-5" → {low: 1, high: 5}; the CSAT scale comes from the model's satisfaction block. */
  function csatScale(scale) {
    return F.scaleBounds({ scale: scale || satisfactionSettings().csat_scale });
  }

  function currencyCode() {
    return (state.model && state.model.currency) || 'USD';
  }

  /** An amount in the model's currency. A word joiner after the minus keeps "−$6,730" on one line. */
  function money(x) {
    return F.money(x, currencyCode()).replace(/^\u2212/, '\u2212\u2060');
  }

  CVC.state = state;
  CVC.page = { recompute, afterModelChange, afterSurveyChange, satisfactionSettings, csatScale, currencyCode, money };
})();
