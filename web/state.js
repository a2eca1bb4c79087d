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

    /** A step of a rebuild that draws the parts `selectors` find (in the instance's root). */
    function drawing(selectors, draw) {
      draw.parts = selectors;
      return draw;
    }

    /**
     * What a new model (loaded, imported into, settings changed) rebuilds, as steps in the page's
     * order: the first is the top of the page (the model's name and items, the headline results,
     * the number format), the others the charts and the panels further down, each with the parts
     * it draws. afterModelChange runs them all at once; start-up (app.js) and afterModelChangeSoon
     * show the first, let the browser paint it, then run the others one task each.
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
          // Now, not in a later step: a page closed before that step still saves this model with
          // its data (the data is restored only with the model it belongs to).
          app.keep.modelChanged();
        },
        drawing(['.charts'], () => {
          app.resultCharts.buildViewSelect();
          app.resultCharts.renderAll();
        }),
        drawing(['#survey .grid-toolbar', '#grid-scroll'], () => app.survey.renderGrid()),
        drawing(['#business', '#customers'], () => {
          app.businessSettings.render(true);
          app.business.render();
        }),
        drawing(['#quick'], () => app.quick.rerun()), // amounts are shown in the model's currency
      ];
    }

    // The later steps of the last afterModelChangeSoon until they have run ({steps}, each taken off
    // the list as it runs), or null.
    let pendingRebuild = null;

    /**
     * Marks what a step will draw as not drawn yet: aria-busy, and inert, because until then it
     * shows the state before (a survey grid row edited there would write its old answers over the
     * new respondent in that row). styles.css dims it when the wait is long enough to see.
     */
    function markPending(step, pending) {
      for (const node of app.all(step.parts.join(','))) {
        node.inert = pending;
        if (pending) node.setAttribute('aria-busy', 'true');
        else node.removeAttribute('aria-busy');
      }
    }

    /** Drops the later steps still pending: a newer rebuild draws their parts. */
    function dropPendingRebuild() {
      if (!pendingRebuild) return;
      for (const step of pendingRebuild.steps) markPending(step, false);
      pendingRebuild = null;
    }

    /** A new model is in the calculator (loaded, imported into, settings changed): rebuild all. */
    function afterModelChange() {
      dropPendingRebuild();
      for (const step of modelChangeSteps()) step();
    }

    /**
     * afterModelChange with the headline results first: the top of the page now (painted with the
     * status line the caller sets in the same task), the rest one task each after that paint. A
     * 1M-respondent import's status and results were painted ~130 ms later (min of 4 runs in
     * Chromium: 283 -> 154 ms after the commit) when the business results (~75 ms in the
     * calculator), the grid and the charts were drawn in the same task. Each later step asks the
     * calculator when it runs, so it draws the state of that moment; a newer rebuild drops the
     * steps still pending, and an edit meanwhile is drawn by its own handler as usual.
     * Resolves when the steps have run or been dropped.
     */
    function afterModelChangeSoon() {
      dropPendingRebuild();
      const [top, ...later] = modelChangeSteps();
      const rebuild = (pendingRebuild = { steps: later.slice() });
      top();
      for (const step of later) markPending(step, true);
      const whenCurrent = (step) => () => {
        if (pendingRebuild !== rebuild) return;
        rebuild.steps.shift();
        try {
          step();
        } finally {
          markPending(step, false); // never left inert, even by a step that failed
        }
      };
      return app.dom.afterNextPaint().then(() => app.dom.inTasks(later.map(whenCurrent))).then(() => {
        if (pendingRebuild === rebuild) pendingRebuild = null;
      });
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

    return { recompute, afterModelChange, afterModelChangeSoon, modelChangeSteps, afterSurveyChange, satisfactionSettings, csatScale, currencyCode, money };
  };
})();
