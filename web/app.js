/*
 * Start-up: checks that every part of the page loaded, reads the built-in samples, creates the
 * calculator, loads the saved or the sample model, the sample survey and customers, binds the controls and renders.
 * Data flows one way: input → calculator (CustomerValueCalculator, docs/api.md) → results
 * object → page; the modules are listed in state.js.
 */
(function () {
  'use strict';

  const CVC = window.CVC || {};
  const MODULES = ['state', 'page', 'dom', 'importFlow', 'modelPanel', 'satisfactionSettings', 'results', 'resultCharts',
    'survey', 'surveyImport', 'customerImport', 'business', 'customerList', 'businessSettings', 'quick', 'keep'];
  const $ = (id) => document.getElementById(id);

  function fatal(message) {
    const box = $('fatal-error');
    box.textContent = message;
    box.hidden = false;
    $('app').hidden = true;
    $('model-name').textContent = 'Customer Value Calculator';
    document.body.dataset.state = 'error';
  }

  function readInline(id, what, json) {
    const node = $(id);
    if (!json) return node ? node.textContent.replace(/^\s+/, '') : '';
    const text = node ? node.textContent.trim() : '';
    if (!text) {
      throw new Error('The ' + what + ' is missing from this page. Build the page with ' +
        '"node scripts/build-page.js" and open dist/customer-value-calculator.html.');
    }
    return JSON.parse(text);
  }

  /** Redraws the charts when their width changes (not on every resize event). */
  function observeWidth(node, redraw) {
    if (typeof ResizeObserver !== 'function') return;
    let lastWidth = 0;
    new ResizeObserver((entries) => {
      const width = Math.round(entries[0].contentRect.width);
      if (width !== lastWidth) {
        lastWidth = width;
        redraw();
      }
    }).observe(node);
  }

  function bindControls() {
    CVC.resultCharts.bind();
    CVC.modelPanel.bind();
    CVC.satisfactionSettings.bind();
    CVC.surveyImport.bind();
    CVC.survey.bind();
    CVC.customerImport.bind();
    CVC.customerList.bind();
    CVC.business.bind();
    CVC.businessSettings.bind();
    CVC.quick.bind();
    CVC.keep.bind();
    observeWidth($('bc-chart'), CVC.resultCharts.schedule);
    observeWidth($('value-map-chart'), CVC.business.scheduleCharts);
  }

  function start() {
    if (!window.CvcFormat || !window.CvcCharts || MODULES.some((name) => !CVC[name])) {
      fatal('The page did not load completely (a script is missing). Rebuild it with "node scripts/build-page.js".');
      return;
    }
    if (typeof window.CustomerValueCalculator === 'undefined' || typeof window.createCvcModule !== 'function') {
      fatal('The calculation engine (WebAssembly module) is missing from this page, so nothing can be computed. ' +
        'Rebuild the page with "node scripts/build-page.js" after building the module.');
      return;
    }
    const state = CVC.state;
    try {
      state.sampleModel = readInline('sample-model', 'sample model', true);
      state.sampleSurvey = readInline('sample-survey', 'sample survey', true);
      state.sampleCustomers = readInline('sample-customers');
    } catch (e) {
      fatal('Could not read the built-in sample: ' + e.message);
      return;
    }
    if (typeof WebAssembly !== 'object') {
      fatal('This browser does not support WebAssembly, which the calculator needs. Please use a current browser.');
      return;
    }
    window.CustomerValueCalculator.create().then((calc) => {
      state.calc = calc;
      try {
        calc.loadModel(state.sampleModel);
      } catch (e) {
        fatal('The built-in sample model was refused: ' + CVC.dom.messageOf(e));
        return;
      }
      // A model saved in this browser replaces the sample; the sample survey is then used only if
      // it fits that model (as "Reload sample survey" decides), otherwise there is no survey data.
      CVC.keep.restore();
      CVC.survey.applySample(true);
      CVC.customerImport.applySample(true); // after the survey, so the join by id has respondents to match
      $('app').hidden = false;
      bindControls();
      CVC.page.afterModelChange();
      // For tests and embedders: first results are on screen, the quick calculators' included.
      const ready = () => {
        document.body.dataset.state = 'ready';
      };
      CVC.quick.runAll().then(ready, ready);
    }, (e) => {
      fatal('The calculation engine (WebAssembly) could not start: ' + CVC.dom.messageOf(e) +
        '. Try reloading the page or using a current browser.');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
