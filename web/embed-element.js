/*
 * <customer-value-calculator>: the calculator as a custom element, the last part of the one-file
 * script dist/customer-value-calculator.js. scripts/build-page.js makes that file from the page's
 * own scripts (the module, the API, every CVC.modules factory, app.js), the WebAssembly bytes, and
 * CVC.embedAssets: styles.css + embed.css, the markup of the page's <main> and the sample.
 * docs/embed.md is the embedder's guide; this header is the design.
 *
 * Each element is one CVC.createApp instance in its own open shadow root, so the host page's CSS
 * cannot reach its parts and two elements on a page share nothing but the (stateless) module.
 * Styles come as constructable stylesheets (no <style> or style="" anywhere, so a strict CSP
 * without 'unsafe-inline' works): one shared by every element, and one per element for its theme.
 *
 * Configuration: a JSON object (the `config` property, else an inert child
 * <script type="application/json">) with fields model, panels, currency, locale, theme, sample,
 * storageKey; the attributes panels, currency, locale, sample, storage-key and theme-<name>
 * override it field by field. Everything is checked before anything starts; a refused value is
 * said inside the element, naming the field as the embedder wrote it ("theme-accent",
 * "theme.accent", "model"), and in an `error` event; the model is checked by the calculator
 * itself. A change of configuration after the start restarts the instance, except panels and
 * theme, which apply in place.
 *
 * Starts and stops are serialised on one promise chain per element, so at most one createApp is
 * under way for an element and a stale one (its configuration changed meanwhile) is disposed.
 * Taken off the page, the element's instance is disposed; moved within the page, it keeps going.
 * Events: `ready` and `change` (detail {results, business}, copies), `error` (detail {message, field}).
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const TAG = 'customer-value-calculator';
  const PANELS = ['value', 'satisfaction', 'survey', 'business', 'customers', 'quick', 'model', 'method'];
  // theme-<name> / theme.<name> → the custom property in styles.css it sets.
  const THEME = {
    accent: '--accent', 'accent-dark': '--accent-dark', 'accent-soft': '--accent-soft', benefit: '--benefit',
    cost: '--cost', positive: '--positive', negative: '--negative', background: '--bg', surface: '--surface',
    text: '--text', muted: '--muted', border: '--border',
  };
  const CONFIG_FIELDS = ['model', 'panels', 'currency', 'locale', 'theme', 'sample', 'storageKey'];
  const LOOK_ATTRIBUTES = ['panels', ...Object.keys(THEME).map((name) => 'theme-' + name)];
  const STORAGE_PREFIX = 'cvc.embed.'; // storage-key="x" autosaves under localStorage "cvc.embed.x"
  const keysInUse = new Map(); // storage key → the element autosaving under it

  /** A refused configuration value; `field` is its name as the embedder wrote it. */
  class ConfigError extends Error {
    constructor(field, problem) {
      super('The calculator\u2019s configuration has a problem in "' + field + '": ' + problem);
      this.field = field;
    }
  }

  const quote = (value) => JSON.stringify(String(value).slice(0, 80));

  // ---------------------------------------------------------------- reading the configuration

  /** The JSON configuration: the config property, else the element's <script type="application/json">. */
  function baseConfig(el) {
    if (el._config !== undefined) return el._config;
    const node = Array.from(el.children).find((c) => c.localName === 'script' && c.type === 'application/json');
    if (!node) return {};
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      throw new ConfigError('config', 'the <script type="application/json"> inside the element is not valid JSON (' +
        e.message + ').');
    }
  }

  /** A value from its attribute when the element has it, else from the JSON field: {value, field}. */
  function pick(el, base, attribute, key) {
    if (el.hasAttribute(attribute)) return { value: el.getAttribute(attribute), field: attribute };
    return { value: base[key], field: key };
  }

  function readPanels({ value, field }) {
    if (value === undefined || value === null) return new Set(PANELS);
    const list = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value;
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
      throw new ConfigError(field, 'list the panels to show, such as "value,satisfaction".');
    }
    if (!list.length) throw new ConfigError(field, 'it lists no panel; leave it out to show them all (' + PANELS.join(', ') + ').');
    const unknown = list.find((p) => !PANELS.includes(p));
    if (unknown !== undefined) {
      throw new ConfigError(field, quote(unknown) + ' is not a panel; the panels are ' + PANELS.join(', ') + '.');
    }
    return new Set(list);
  }

  function readCurrency({ value, field }) {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value.trim())) {
      throw new ConfigError(field, 'it must be a three-letter ISO 4217 code such as EUR; got ' + quote(value) + '.');
    }
    return value.trim().toUpperCase();
  }

  function readLocale({ value, field }) {
    if (value === undefined || value === null) return null;
    try {
      if (typeof value !== 'string' || !value.trim()) throw new RangeError('empty');
      return Intl.getCanonicalLocales(value.trim())[0];
    } catch {
      throw new ConfigError(field, 'it must be a language tag such as de-DE or en-GB; got ' + quote(value) + '.');
    }
  }

  function readSample({ value, field }, hasModel) {
    if (value === undefined || value === null) return !hasModel;
    if (value === true || value === '' || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new ConfigError(field, 'it must be true or false; got ' + quote(value) + '.');
  }

  function readStorageKey({ value, field }) {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
      throw new ConfigError(field, 'it must be 1 to 64 letters, digits, "_", "-" or "."; got ' + quote(value) + '.');
    }
    return value;
  }

  function readColour(value, field) {
    if (typeof value !== 'string' || !CSS.supports('color', value)) {
      throw new ConfigError(field, 'it must be a CSS colour such as #0a6 or rgb(0 102 68); got ' + quote(value) + '.');
    }
    return value;
  }

  /** {custom property: colour} from the theme field and the theme-* attributes (which win). */
  function readTheme(el, base) {
    const theme = {};
    if (base.theme !== undefined && base.theme !== null) {
      if (typeof base.theme !== 'object' || Array.isArray(base.theme)) {
        throw new ConfigError('theme', 'it must be an object such as {"accent": "#0a6"}.');
      }
      for (const [name, value] of Object.entries(base.theme)) {
        if (!THEME[name]) throw new ConfigError('theme.' + name, 'there is no such theme colour; the colours are ' + Object.keys(THEME).join(', ') + '.');
        theme[THEME[name]] = readColour(value, 'theme.' + name);
      }
    }
    for (const { name: attribute, value } of Array.from(el.attributes)) {
      if (!attribute.startsWith('theme-')) continue;
      const name = attribute.slice(6);
      if (!THEME[name]) throw new ConfigError(attribute, 'there is no such theme colour; the colours are ' + Object.keys(THEME).map((n) => 'theme-' + n).join(', ') + '.');
      theme[THEME[name]] = readColour(value, attribute);
    }
    // An accent alone: its hover and tint follow it (unless given too).
    const accent = theme['--accent'];
    if (accent && CSS.supports('color', 'color-mix(in srgb, red 50%, black)')) {
      if (!theme['--accent-dark']) theme['--accent-dark'] = 'color-mix(in srgb, ' + accent + ' 72%, black)';
      if (!theme['--accent-soft']) theme['--accent-soft'] = 'color-mix(in srgb, ' + accent + ' 10%, white)';
    }
    return theme;
  }

  /** The whole configuration, checked; throws ConfigError. */
  function readConfig(el) {
    const base = baseConfig(el);
    if (!base || typeof base !== 'object' || Array.isArray(base)) {
      throw new ConfigError('config', 'it must be a JSON object such as {"panels": "value,satisfaction"}.');
    }
    const unknown = Object.keys(base).find((key) => !CONFIG_FIELDS.includes(key));
    if (unknown !== undefined) {
      throw new ConfigError(unknown, 'there is no such field; the fields are ' + CONFIG_FIELDS.join(', ') + '.');
    }
    const model = base.model === undefined || base.model === null ? null : base.model;
    if (model !== null && (typeof model !== 'object' || Array.isArray(model)) && typeof model !== 'string') {
      throw new ConfigError('model', 'it must be a model file (an object, docs/api.md).');
    }
    return {
      model,
      panels: readPanels(pick(el, base, 'panels', 'panels')),
      currency: readCurrency(pick(el, base, 'currency', 'currency')),
      locale: readLocale(pick(el, base, 'locale', 'locale')),
      sample: readSample(pick(el, base, 'sample', 'sample'), model !== null),
      storageKey: readStorageKey(pick(el, base, 'storage-key', 'storageKey')),
      storageField: el.hasAttribute('storage-key') ? 'storage-key' : 'storageKey',
      theme: readTheme(el, base),
    };
  }

  /**
   * The model to start with (the configured one or the sample, in the configured currency),
   * checked by a calculator of its own so a refusal names the model's field. When the engine
   * itself cannot start, the model goes as it is: createApp then says why nothing works.
   */
  async function startingModel(config) {
    const model = config.model !== null ? config.model : JSON.parse(CVC.embedAssets.sampleModel);
    if (config.model === null && !config.currency) return model;
    let calc;
    try {
      calc = await window.CustomerValueCalculator.create();
    } catch {
      return model;
    }
    try {
      try {
        calc.loadModel(model);
      } catch (e) {
        throw new ConfigError('model', 'the calculator refused it: ' + e.message);
      }
      if (config.currency) {
        try {
          calc.setModelInfo({ currency: config.currency });
        } catch (e) {
          throw new ConfigError('currency', e.message);
        }
      }
      return calc.model();
    } finally {
      calc.dispose();
    }
  }

  // ---------------------------------------------------------------- shadow root and styles

  let shared = null; // {sheet, template}: made once per page, at the first element

  function sharedParts() {
    if (!shared) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CVC.embedAssets.css);
      const template = document.createElement('template');
      template.innerHTML = CVC.embedAssets.markup; // the build's own markup, never anything given to the element
      shared = { sheet, template };
    }
    return shared;
  }

  /** Fresh markup in the shadow root (start-up fills it in): a title line, then the page's <main>. */
  function freshMarkup(shadow) {
    const wrap = document.createElement('div');
    wrap.className = 'cvc-embed';
    wrap.setAttribute('role', 'region');
    wrap.setAttribute('aria-labelledby', 'model-name');
    const header = document.createElement('div');
    header.className = 'embed-header';
    const eyebrow = document.createElement('p');
    eyebrow.className = 'embed-eyebrow';
    eyebrow.textContent = 'Customer Value Calculator';
    const title = document.createElement('p');
    title.className = 'embed-title';
    title.id = 'model-name';
    title.textContent = 'Loading the calculator\u2026';
    header.append(eyebrow, title);
    wrap.append(header, sharedParts().template.content.cloneNode(true));
    shadow.replaceChildren(wrap);
  }

  /** In-page links ("#survey-heading") inside the shadow root: the document cannot find their targets. */
  function followInPageLinks(shadow) {
    shadow.addEventListener('click', (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
      if (!link) return;
      event.preventDefault(); // never the host page's address
      const target = shadow.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
      if (!target || target.closest('.panel-off')) return;
      target.scrollIntoView({ block: 'start' });
      if (target.hasAttribute('tabindex')) target.focus({ preventScroll: true });
    });
  }

  /** Panels and theme: applied in place, also to a running calculator. */
  function applyLook(el, config) {
    const shadow = el.shadowRoot;
    const rule = el._themeSheet.cssRules[0].style;
    for (const property of Array.from(rule)) rule.removeProperty(property);
    for (const [property, colour] of Object.entries(config.theme)) rule.setProperty(property, colour, 'important');
    for (const part of shadow.querySelectorAll('[data-panel]')) {
      const shown = part.dataset.panel.split(/\s+/).some((p) => config.panels.has(p));
      part.classList.toggle('panel-off', !shown);
    }
    // A button that leads to a panel left out goes too.
    for (const link of shadow.querySelectorAll('a.btn[href^="#"]')) {
      const target = shadow.getElementById(link.getAttribute('href').slice(1));
      link.classList.toggle('panel-off', !target || Boolean(target.closest('.panel-off')));
    }
  }

  // ---------------------------------------------------------------- the element

  class CustomerValueCalculatorElement extends HTMLElement {
    static get observedAttributes() {
      return [...LOOK_ATTRIBUTES, 'currency', 'locale', 'sample', 'storage-key'];
    }

    constructor() {
      super();
      this._config = undefined; // the config property, when set
      this._app = null; // the running instance
      this._active = false; // started (or waiting for the document to be parsed), not yet stopped
      this._generation = 0; // bumped by every restart and stop: older work in the queue is skipped
      this._queue = Promise.resolve();
      this._stopToken = null;
      this._storageKey = null;
    }

    get config() {
      return this._config;
    }

    /** A configuration object (see docs/embed.md); the calculator restarts with it. */
    set config(value) {
      this._config = value;
      if (this._active && document.readyState !== 'loading') this._restart();
    }

    /** {results, business} as on screen (copies), or null before the `ready` event. */
    getResults() {
      return this._app ? this._app.api.snapshot() : null;
    }

    /** Loads a model file (object or JSON text); throws the calculator's CalculatorError. */
    loadModel(model) {
      this._running().api.loadModel(model);
    }

    /** An item's weight 0–10, or a segment's override; throws the calculator's CalculatorError. */
    setWeight(item, weight, segment) {
      this._running().api.setWeight(item, weight, segment);
    }

    connectedCallback() {
      this._stopToken = null;
      if (this._active) return; // moved within the page: it carries on
      this._active = true;
      if (!this.shadowRoot) {
        const shadow = this.attachShadow({ mode: 'open' });
        if (!('adoptedStyleSheets' in shadow) || typeof CSSStyleSheet !== 'function') {
          shadow.textContent = 'This calculator needs a current browser (it uses constructable stylesheets).';
          return;
        }
        this._themeSheet = new CSSStyleSheet();
        this._themeSheet.replaceSync(':host {}');
        shadow.adoptedStyleSheets = [sharedParts().sheet, this._themeSheet];
        followInPageLinks(shadow);
      }
      // While the page is still being parsed, the element's JSON child may not be there yet.
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', () => {
          if (this._active) this._restart();
        }, { once: true });
      } else {
        this._restart();
      }
    }

    disconnectedCallback() {
      const token = (this._stopToken = {});
      queueMicrotask(() => {
        if (this._stopToken !== token || this.isConnected) return;
        this._active = false;
        const generation = ++this._generation;
        this._enqueue(() => {
          if (generation === this._generation) this._stop();
        });
      });
    }

    attributeChangedCallback(name, before, after) {
      if (before === after || !this._active || document.readyState === 'loading' || !this._themeSheet) return;
      if (this._app && LOOK_ATTRIBUTES.includes(name)) {
        try {
          applyLook(this, readConfig(this));
          return;
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          // Refused: the restart says so.
        }
      }
      this._restart();
    }

    _running() {
      if (!this._app) throw new Error('The calculator is not ready yet: wait for its "ready" event.');
      return this._app;
    }

    _enqueue(task) {
      this._queue = this._queue.then(task).catch((e) => this._unexpected(e));
    }

    _restart() {
      const generation = ++this._generation;
      this._enqueue(() => (generation === this._generation ? this._start(generation) : undefined));
    }

    _stop() {
      if (this._app) {
        this._app.dispose();
        this._app = null;
      }
      if (this._storageKey && keysInUse.get(this._storageKey) === this) keysInUse.delete(this._storageKey);
      this._storageKey = null;
    }

    _emit(type, detail) {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: type !== 'error' }));
    }

    /** Says in the element why it cannot start, and fires `error`. */
    _refuse(message, field) {
      CVC.showFatal(this.shadowRoot, this, message);
      console.warn(TAG + ': ' + message);
      this._emit('error', { message, field });
    }

    _unexpected(e) {
      this._stop();
      if (this.shadowRoot && this.shadowRoot.getElementById('fatal-error')) {
        CVC.showFatal(this.shadowRoot, this, 'The calculator stopped on an unexpected error: ' + ((e && e.message) || e));
      }
      console.error(e); // a bug: said where its author can see it
    }

    async _start(generation) {
      this._stop();
      delete this.dataset.state;
      freshMarkup(this.shadowRoot);
      let config;
      let model;
      try {
        config = readConfig(this);
        applyLook(this, config);
        if (config.storageKey) {
          const holder = keysInUse.get(config.storageKey);
          if (holder && holder !== this && holder.isConnected) {
            throw new ConfigError(config.storageField, quote(config.storageKey) + ' is used by another calculator on ' +
              'this page; give each its own key, or none to turn autosave off.');
          }
          keysInUse.set(config.storageKey, this);
          this._storageKey = config.storageKey;
        }
        model = await startingModel(config);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        if (generation === this._generation) this._refuse(e.message, e.field);
        return;
      }
      if (generation !== this._generation) return;

      const assets = CVC.embedAssets;
      const options = {
        root: this.shadowRoot, host: this, embedded: true,
        storageKey: config.storageKey ? STORAGE_PREFIX + config.storageKey : null,
        samples: {
          model,
          survey: config.sample ? JSON.parse(assets.sampleSurvey) : undefined,
          customersCsv: config.sample ? assets.sampleCustomers : undefined,
        },
      };
      // The number format's locale and currency (the app applies them where it supports them).
      if (config.locale) options.locale = config.locale;
      if (config.currency) options.currency = config.currency;
      let app;
      try {
        app = await CVC.createApp(options);
      } catch (e) {
        if (!(e && e.fatal)) throw e;
        // Said in the element already (createApp's fatal-error box).
        if (generation === this._generation) this._emit('error', { message: e.message, field: 'calculator' });
        return;
      }
      if (generation !== this._generation) {
        app.dispose();
        return;
      }
      this._app = app;
      // A model restored from this browser's storage keeps its own currency: the configured one wins.
      if (config.currency && app.state.model.currency !== config.currency) app.api.setCurrency(config.currency);
      app.api.onChange((numbers) => this._emit('change', numbers));
      this._emit('ready', app.api.snapshot());
    }
  }

  if (window.customElements && !window.customElements.get(TAG)) {
    window.customElements.define(TAG, CustomerValueCalculatorElement);
  }
})();
