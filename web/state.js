/*
 * The page's shared state and the one-way refresh: input → calculator → results → page.
 *
 * The page is a set of classic scripts (file:// pages cannot load ES modules). Each script
 * registers a factory on one registry, window.CVC.modules; CVC.createApp (app.js) makes one
 * `app` object per calculator instance and calls every factory with it, in a fixed order, so
 * each instance has its own state, timers and caches, and looks its elements up in its own root
 * (the document for the standalone page, a shadow root for an embedded calculator). The factories:
 *   dom                small DOM helpers: cells, status lines, downloads, file drops, paging
 *   state, page        (this file) the calculator instance, shared state, what to re-render after a change
 *   importFlow         (import-flow.js) the CSV import steps shared by the survey and the customer table
 *   modelPanel         (model-panel.js) the model file, items, weights and entered scores
 *   satisfactionSettings  (satisfaction-settings.js) how CSAT and CES were asked
 *   results            (results.js) headline values and the segment table
 *   resultCharts       (result-charts.js) the four value and satisfaction charts
 *   survey             (survey.js) the respondent grid, the sample survey, pasted rows
 *   surveyImport       (survey-import.js) the survey's CSV mapping step (roles, new items, CSAT and CES scales)
 *   customerImport     (customer-import.js) the customer table's CSV mapping step, the sample customers
 *   business           (business.js) business results: metrics, map, eroding list, segments, MRR, survey join
 *   customerList       (customer-list.js) the paged list of every customer with their own results
 *   businessSettings   (business-settings.js) the business settings panel
 *   quick              (quick.js) the quick calculators
 *   keep               (keep.js) the results CSV; autosave (model in localStorage, project in IndexedDB)
 *   project            (project.js) project files (save, open, drop) and share links
 *   api                (app-api.js) the small interface embedders use (the element, the iframe API)
 *   intl               (intl.js) the number format (locale) and the model's currency menus
 *   chartExport        (chart-export.js) every chart downloaded as SVG or PNG
 * and app.js holds CVC.createApp and the standalone page's start-up. Page-only scripts (not
 * factories): page-shell.js (service worker, manifest, print), embed-frame.js (the iframe's
 * postMessage API); embed-element.js is the <customer-value-calculator> element's own bundle. format.js (window.CvcFormat)
 * and charts.js (window.CvcCharts) are stateless helpers shared by every instance; each instance
 * formats numbers with its own CvcFormat.forLocale (app.format), so two instances on one page
 * can show them in different locales.
 *
 * A factory gets the app and returns its module, which the app keeps as app.<name>. It may read
 * app.dom at creation (dom is made first) but calls other modules through app.<name> at call
 * time, so the order of the others does not matter. Elements are found with app.$(id) and
 * app.all(selector), never through `document`, so two instances on one page each see their own.
 *
 * Anything that came from a model, a file or an error message is put on the page with
 * textContent / setAttribute, never parsed as HTML. A refused input leaves everything as it was:
 * the calculator is transactional, and the page re-renders only after a call that succeeded.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const modules = (CVC.modules = CVC.modules || {});

  /** The instance's state: its calculator and what it last rendered. */
  modules.state = function () {
    return {
      calc: null,
      model: null, // calc.model(): the model as the calculator holds it
      results: null, // calc.results(): the last results rendered
      business: null, // calc.businessResults(): the last business results rendered
    };
  };

  /** The one-way refresh after a change, and the model-wide settings every module reads. */
  modules.page = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const state = app.state;

    /** Asks the calculator for one results object and renders the results panel and the segment table. */
    function renderResults() {
      state.results = state.calc.results();
      app.keep.changed(); // the survey or the model changed: autosaved after a pause
      app.results.render();
    }

    /** Asks the calculator for one results object and renders all of it, the charts included. */
    function recompute() {
      renderResults();
      app.resultCharts.renderAll();
    }

    /**
     * What a new model (loaded, imported into, settings changed) rebuilds, as steps in the page's
     * order: the first is the top of the page (the model's name and items, the headline results,
     * the number format), the others the charts and the panels further down. afterModelChange
     * runs them all at once; start-up (app.js) shows the first, lets the browser paint it, then
     * runs the others one task each.
     */
    function modelChangeSteps() {
      return [
        () => {
          state.model = state.calc.model();
          const name = state.model.name ? String(state.model.name) : 'Untitled model';
          // The heading that names the model is optional markup (an embedder may show the name its
          // own way); the browser tab's title belongs to the standalone page only.
          const heading = app.$('model-name');
          if (heading) heading.textContent = name;
          if (!app.embedded) document.title = name + ' \u00b7 Customer Value Calculator';
          app.modelPanel.buildItemRows();
          app.satisfactionSettings.render(true);
          renderResults();
          app.intl.render();
        },
        () => {
          app.resultCharts.buildViewSelect();
          app.resultCharts.renderAll();
        },
        () => app.survey.renderGrid(),
        () => {
          app.businessSettings.render(true);
          app.business.render();
        },
        () => {
          app.quick.rerun(); // amounts are shown in the model's currency
          app.keep.modelChanged();
        },
      ];
    }

    /** A new model is in the calculator (loaded, imported into, settings changed): rebuild all. */
    function afterModelChange() {
      for (const step of modelChangeSteps()) step();
    }

    /** The survey changed (rows added, edited in bulk, deleted, replaced): results and grid. */
    function afterSurveyChange() {
      recompute();
      app.survey.renderGrid();
      app.business.render();
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

    return { recompute, afterModelChange, modelChangeSteps, afterSurveyChange, satisfactionSettings, csatScale, currencyCode, money };
  };
})();
