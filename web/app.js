/*
 * Start-up. CVC.createApp makes one calculator instance over a root (the document, or a shadow
 * root): it checks that every part of the page loaded, creates the calculator, loads the saved or
 * the sample model, the sample survey and customers, binds the controls and renders. The
 * standalone page calls it once, at the end of this file, with the samples inlined in the page.
 * Data flows one way: input → calculator (CustomerValueCalculator, docs/api.md) → results
 * object → page; the modules are listed in state.js.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const modules = (CVC.modules = CVC.modules || {});
  // The order the factories are called in: dom first, as the others take its helpers when they
  // are created; state before page, which keeps a reference to it.
  const MODULES = ['dom', 'state', 'page', 'importFlow', 'modelPanel', 'satisfactionSettings', 'results',
    'resultCharts', 'survey', 'surveyImport', 'customerImport', 'business', 'customerList', 'businessSettings',
    'quick', 'keep', 'project', 'api', 'intl', 'chartExport'];
  const PAGE_STORAGE_KEY = 'cvc.model.v1';

  /** Why the page's scripts cannot start a calculator, or '' when everything is there. */
  function missingPart() {
    if (!window.CvcFormat || !window.CvcCharts || MODULES.some((name) => typeof modules[name] !== 'function')) {
      return 'The page did not load completely (a script is missing). Rebuild it with "node scripts/build-page.js".';
    }
    if (typeof window.CustomerValueCalculator === 'undefined' || typeof window.createCvcModule !== 'function') {
      return 'The calculation engine (WebAssembly module) is missing from this page, so nothing can be computed. ' +
        'Rebuild the page with "node scripts/build-page.js" after building the module.';
    }
    return '';
  }

  /**
   * Says in words why a calculator cannot start, in its root's fatal-error box (when the markup
   * has one), hides its app, and marks its host data-state="error" (what tests and embedders wait on).
   */
  function showFatal(root, host, message) {
    const box = root.getElementById('fatal-error');
    if (box) {
      box.textContent = message;
      box.hidden = false;
    }
    const main = root.getElementById('app');
    if (main) main.hidden = true;
    const heading = root.getElementById('model-name');
    if (heading) heading.textContent = 'Customer Value Calculator';
    host.dataset.state = 'error';
  }

  /** The Error createApp rejects with when an instance cannot start: `fatal` tells it from a bug. */
  function startError(message) {
    const error = new Error(message);
    error.fatal = true;
    return error;
  }

  /**
   * Redraws the charts when their width changes (not on every resize event). Called once they
   * have been drawn: the width now is the one they were drawn at, so the observer's first report
   * (which every ResizeObserver makes) redraws nothing unless the width has changed since.
   */
  function observeWidth(app, node, redraw) {
    if (typeof ResizeObserver !== 'function') return;
    let lastWidth = node.clientWidth;
    const observer = new ResizeObserver(() => {
      const width = node.clientWidth; // laid out already when observers are told
      if (width !== lastWidth) {
        lastWidth = width;
        redraw();
      }
    });
    observer.observe(node);
    app.onDispose(() => observer.disconnect());
  }

  function bindControls(app) {
    app.resultCharts.bind();
    app.modelPanel.bind();
    app.satisfactionSettings.bind();
    app.surveyImport.bind();
    app.survey.bind();
    app.customerImport.bind();
    app.customerList.bind();
    app.business.bind();
    app.businessSettings.bind();
    app.quick.bind();
    app.keep.bind();
    app.project.bind();
    app.api.bind();
    app.intl.bind();
    app.chartExport.bind();
  }

  /**
   * One calculator instance. options:
   *   root        a Document or a ShadowRoot holding the app's markup (ids are looked up in it):
   *               the element with id "app" and everything in it (index.html's #app, templates
   *               included), and optionally "model-name" (a heading that shows the model's name)
   *               and "fatal-error" (where a start-up failure is said). Each instance needs its
   *               own fresh copy: start-up fills the markup in (rows, error lines).
   *   host        the element that gets data-state="ready" | "error" (default: the shadow root's
   *               host, or document.body for a document)
   *   embedded    true leaves the page-global things alone: the document's title, and stray file
   *               drops outside the host (default: true unless root is the document)
   *   storageKey  the localStorage key of the model autosave; null (the default) = autosave off.
   *               Two instances must not share a key.
   *   samples     { model, survey, customersCsv }: the sample model and survey (parsed JSON) and
   *               the sample customer table (CSV text); the survey and customers may be missing
   *   locale      how numbers, amounts and dates are shown: a BCP 47 tag ("de-DE"), or '' for the
   *               browser's; a tag the browser does not support counts as ''. Default: for the
   *               standalone page the one chosen there last (localStorage 'cvc.locale.v1'), else
   *               the browser's (intl.js)
   *   currency    an ISO 4217 code ("EUR") set on the model once it has loaded (calc.setModelInfo),
   *               like a choice in the page's currency menu; default: the model's own
   * Resolves to the app once the first results are on screen (the quick calculators' included).
   * When it cannot start, it says why in the root's fatal-error box, marks the host "error", and
   * rejects with an Error whose message is that text and whose `fatal` is true. app.dispose()
   * stops it: pending timers and frames, its window listeners and observers, its calculator.
   */
  function createApp(options) {
    const { root, storageKey = null } = options || {};
    if (!root || typeof root.getElementById !== 'function' || typeof root.querySelectorAll !== 'function') {
      throw new TypeError('CVC.createApp needs a root: a Document or a ShadowRoot holding the calculator\'s markup.');
    }
    const host = options.host || root.host || document.body;
    const embedded = 'embedded' in options ? Boolean(options.embedded) : root !== document;
    const samples = options.samples || {};
    const cleanups = [];
    const app = {
      root, host, embedded, storageKey: storageKey || null, samples, disposed: false,
      locale: options.locale, currency: options.currency, // as asked for; intl.js applies them
      $: (id) => root.getElementById(id),
      all: (selector) => root.querySelectorAll(selector),
      /** fn runs when the instance is disposed (last registered, first run). */
      onDispose: (fn) => {
        cleanups.push(fn);
      },
      /** addEventListener on something outside the instance's root (window), removed on dispose. */
      listen: (target, type, fn, listenerOptions) => {
        target.addEventListener(type, fn, listenerOptions);
        cleanups.push(() => target.removeEventListener(type, fn, listenerOptions));
      },
      /** Stops the instance: pending work, window listeners and observers, then the calculator. */
      dispose: () => {
        if (app.disposed) return;
        app.disposed = true;
        while (cleanups.length) cleanups.pop()();
        // Left in place once disposed: a late callback (a file still being read) then gets the
        // calculator's own "has been disposed" refusal, which the modules already handle.
        if (app.state && app.state.calc) app.state.calc.dispose();
      },
    };

    /** A start-up failure: said in the root, the instance stopped, the promise rejected. */
    const fail = (message) => {
      showFatal(root, host, message);
      app.dispose();
      return Promise.reject(startError(message));
    };

    const missing = missingPart();
    if (missing) return fail(missing);
    if (!app.$('app')) return fail('The calculator\'s markup (the element with id "app") is missing from its root.');
    if (typeof WebAssembly !== 'object') {
      return fail('This browser does not support WebAssembly, which the calculator needs. Please use a current browser.');
    }
    app.format = window.CvcFormat.forLocale(''); // the instance's number formatting; intl.js sets its locale
    for (const name of MODULES) app[name] = modules[name](app);

    return window.CustomerValueCalculator.create().then((calc) => {
      if (app.disposed) {
        // Taken off the page while the engine started: nothing to show it in any more.
        calc.dispose();
        throw startError('The calculator was disposed before it started.');
      }
      app.state.calc = calc;
      try {
        calc.loadModel(samples.model);
      } catch (e) {
        return fail('The built-in sample model was refused: ' + app.dom.messageOf(e));
      }
      // A model saved in this browser replaces the sample; the sample survey is then used only if
      // it fits that model (as "Reload sample survey" decides), otherwise there is no survey data.
      app.keep.restore();
      app.intl.applyCurrency();
      app.survey.applySample(true);
      app.$('app').hidden = false;
      bindControls(app);
      // The top of the page first (the model, its items and the headline results), painted before
      // anything else is done; then the rest of the page, a part at a time: the sample customers
      // (after the survey, so the join by id has respondents to match), the charts, the survey
      // grid, the business results, the quick calculators.
      const [top, ...rest] = app.page.modelChangeSteps();
      top();
      // For tests and embedders: first results are on screen, the quick calculators' included.
      const ready = () => {
        if (!app.disposed) host.dataset.state = 'ready';
        return app;
      };
      // Then the survey and customers saved in this browser, then a share link in the address
      // bar, before the instance counts as ready (neither ever rejects).
      return app.dom.afterNextPaint()
        .then(() => app.dom.inTasks([() => app.customerImport.applySample(true), ...rest]))
        .then(() => {
          if (app.disposed) return app;
          observeWidth(app, app.$('value-map-chart'), app.business.scheduleCharts);
          return app.keep.restoreData()
            .then((restored) => {
              if (restored) app.project.projectRestored();
              return app.project.openFromAddress();
            })
            .then(() => app.quick.runAll())
            .then(ready, ready);
        });
    }, (e) => fail('The calculation engine (WebAssembly) could not start: ' + app.dom.messageOf(e) +
      '. Try reloading the page or using a current browser.'));
  }

  CVC.createApp = createApp;
  CVC.showFatal = showFatal;

  // ---------------------------------------------------------------- the standalone page

  /** A sample inlined in the page by scripts/build-page.js (parsed when `json`). */
  function readInline(id, what, json) {
    const node = document.getElementById(id);
    if (!json) return node ? node.textContent.replace(/^\s+/, '') : '';
    const text = node ? node.textContent.trim() : '';
    if (!text) {
      throw new Error('The ' + what + ' is missing from this page. Build the page with ' +
        '"node scripts/build-page.js" and open dist/customer-value-calculator.html.');
    }
    return JSON.parse(text);
  }

  function startPage() {
    let samples = {};
    // A missing script is said first (createApp says it); the samples are read only when it is not.
    if (!missingPart()) {
      try {
        samples = {
          model: readInline('sample-model', 'sample model', true),
          survey: readInline('sample-survey', 'sample survey', true),
          customersCsv: readInline('sample-customers'),
        };
      } catch (e) {
        const message = 'Could not read the built-in sample: ' + e.message;
        showFatal(document, document.body, message);
        CVC.pageApp = Promise.reject(startError(message));
        CVC.pageApp.catch(() => {}); // said on the page already
        return;
      }
    }
    // For the page-only scripts that drive this app (embed-frame.js): its start-up promise.
    CVC.pageApp = CVC.createApp({ root: document, host: document.body, embedded: false, storageKey: PAGE_STORAGE_KEY,
      samples });
    CVC.pageApp.catch((e) => {
      // A start-up failure is on the page already; anything else is a bug and stays loud.
      if (!(e && e.fatal)) throw e;
    });
  }

  /**
   * The standalone page has its calculator's markup (#app) in the document. A page that only
   * loads these scripts to embed calculators has none: nothing starts there, and its body is
   * left alone (no data-state, no error). The element's one-file script sets CVC.pageStart =
   * false before this file, so a host page's own element with id "app" is never taken for ours.
   */
  function startPageIfPresent() {
    if (CVC.pageStart !== false && document.getElementById('app')) startPage();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startPageIfPresent);
  else startPageIfPresent();
})();
