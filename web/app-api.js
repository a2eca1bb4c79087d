/*
 * The calculator instance's API for embedding (app.api): all that the <customer-value-calculator>
 * element (embed-element.js) and the framed page's postMessage API (embed-frame.js) use of an app,
 * so neither reaches into the other modules. A call either succeeds, with everything re-rendered,
 * or throws the calculator's CalculatorError (message, field; docs/api.md) and changes nothing.
 *
 *   api.snapshot()                   {results, business}: copies of the numbers on screen
 *                                    (calc.results() and calc.businessResults() as last rendered)
 *   api.loadModel(model)             a model (object or JSON text) in place of the current one;
 *                                    as "Open model JSON" does, it drops the survey data
 *   api.setWeight(item, weight[, segment])   an item's weight 0–10, or a segment's override
 *   api.setCurrency(code)            the ISO 4217 code the model's amounts are in ("EUR")
 *   api.onChange(fn)                 fn(snapshot) after new numbers are on screen, at most once per
 *                                    animation frame; returns a function that stops it
 *
 * Numbers reach the screen through app.results.render and app.business.render, which the other
 * modules always call through the app (state.js); bind() wraps those two, so a change is noticed
 * wherever it came from (a slider, an import, this API) without those modules knowing about it.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).api = function (app) {
    const listeners = new Set();
    let seen = null; // the results objects last reported to the listeners

    const copy = (value) => (value === null || value === undefined ? null : structuredClone(value));

    function snapshot() {
      return { results: copy(app.state.results), business: copy(app.state.business) };
    }

    const report = app.dom.perFrame(() => {
      const { results, business } = app.state;
      if (seen && results === seen.results && business === seen.business) return;
      seen = { results, business };
      const numbers = snapshot();
      for (const fn of Array.from(listeners)) fn(numbers);
    });

    function bind() {
      for (const name of ['results', 'business']) {
        const module = app[name];
        const render = module.render;
        module.render = function (...args) {
          const out = render.apply(this, args);
          if (listeners.size) report();
          return out;
        };
      }
    }

    function onChange(fn) {
      // What is on screen now is the starting point: only what changes after this is reported.
      if (!listeners.size) seen = { results: app.state.results, business: app.state.business };
      listeners.add(fn);
      return () => listeners.delete(fn);
    }

    function setCurrency(code) {
      app.state.calc.setModelInfo({ currency: code });
      app.page.afterModelChange();
    }

    return {
      bind, snapshot, onChange, setCurrency,
      loadModel: (model) => app.modelPanel.loadModel(model),
      setWeight: (item, weight, segment) => app.modelPanel.setWeight(item, weight, segment),
    };
  };
})();
