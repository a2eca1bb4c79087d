/*
 * The number format and the currency: two menus over the results. The locale decides how every
 * number, amount, percentage and date of this instance is shown (app.format, format.js), chart
 * labels included; it belongs to the page, not to the model. The standalone page remembers it in
 * localStorage ('cvc.locale.v1') when storage works, and silently does not otherwise; an embedded
 * calculator takes its locale from CVC.createApp's `locale` option and never touches storage.
 * The currency is the model's (calc.setModelInfo): choosing one changes the model, so it is
 * autosaved and downloaded with it, and the survey and customer data stay as they are.
 * Inputs are not localized: they show and read plain numbers with a dot in every locale.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  const LOCALE_KEY = 'cvc.locale.v1';
  // The locales offered besides the browser's own; another one asked for by an embedder is added.
  const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'sv-SE', 'pt-BR', 'ja-JP',
    'zh-CN', 'hi-IN'];
  // Common ISO 4217 codes; the model's own code is added when it is not one of them.
  const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CNY', 'INR', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN',
    'BRL', 'MXN', 'KRW', 'SGD', 'HKD', 'NZD', 'ZAR'];

  /**
   * English names for language tags and currency codes, when the browser has Intl.DisplayNames.
   * One Intl.DisplayNames per type, made when first needed: each costs about a millisecond to make,
   * and the menus name 30 codes.
   */
  const displayNames = new Map();
  function displayName(type, code) {
    try {
      if (!displayNames.has(type)) displayNames.set(type, new Intl.DisplayNames(['en'], { type }));
      return displayNames.get(type).of(code) || code;
    } catch (e) {
      return code;
    }
  }

  /** The locale the standalone page was last shown in, or '' (none saved, or storage refused). */
  function savedLocale() {
    try {
      return window.CvcFormat.resolveLocale(window.localStorage.getItem(LOCALE_KEY));
    } catch (e) {
      return '';
    }
  }

  (CVC.modules = CVC.modules || {}).intl = function (app) {
    const { $ } = app.dom;
    const F = app.format;
    // The option wins (even '' = the browser's); without it the page uses its saved choice.
    const remember = !app.embedded;
    F.setLocale(typeof app.locale === 'string' ? app.locale : remember ? savedLocale() : '');

    function saveLocale(locale) {
      if (!remember) return;
      try {
        if (locale) window.localStorage.setItem(LOCALE_KEY, locale);
        else window.localStorage.removeItem(LOCALE_KEY);
      } catch (e) {
        // Not remembered (file:// or privacy settings): the choice still applies to this page.
      }
    }

    function option(value, text) {
      return new Option(text, value);
    }

    function fillLocales() {
      const select = $('locale-select');
      const current = F.locale;
      const sample = (locale) => window.CvcFormat.forLocale(locale).number(1234.5, 1);
      const browser = window.CvcFormat.forLocale('').resolvedLocale();
      const tags = LOCALES.includes(current) || !current ? LOCALES : LOCALES.concat(current);
      select.replaceChildren(
        option('', 'Browser default (' + browser + ') \u2013 ' + sample('')),
        ...tags.map((tag) => option(tag, displayName('language', tag) + ' \u2013 ' + sample(tag))));
      select.value = current;
    }

    /** The currency menu shows the model's code; called whenever the model changed. */
    function render() {
      const select = $('currency-select');
      if (!select || !app.state.model) return;
      const code = app.page.currencyCode();
      const codes = CURRENCIES.includes(code) ? CURRENCIES : [code].concat(CURRENCIES);
      if (select.options.length !== codes.length || select.options[0].value !== codes[0]) {
        select.replaceChildren(...codes.map((c) => option(c, c + ' \u2013 ' + displayName('currency', c))));
      }
      select.value = code;
    }

    /** Shows every number again in the new locale (the model is unchanged, so nothing is saved). */
    function setLocale(locale) {
      F.setLocale(locale);
      saveLocale(F.locale);
      if ($('locale-select')) fillLocales();
      if (app.state.model) app.page.afterModelChange();
    }

    /** Sets the model's currency; a refused code leaves everything as it was and says why. */
    function setCurrency(code) {
      try {
        app.state.calc.setModelInfo({ currency: code });
      } catch (e) {
        app.modelPanel.showError('Could not set the currency to \u201c' + String(code).slice(0, 20) + '\u201d: ' +
          app.dom.messageOf(e));
        render();
        return false;
      }
      app.page.afterModelChange();
      return true;
    }

    /** At start-up, once the model is loaded: the `currency` option, if any, applies as a choice would. */
    function applyCurrency() {
      if (app.currency === undefined || app.currency === null || app.currency === '') return;
      const code = String(app.currency).trim().toUpperCase();
      try {
        app.state.calc.setModelInfo({ currency: code });
      } catch (e) {
        app.modelPanel.showError('The currency \u201c' + String(app.currency).slice(0, 20) + '\u201d asked for was ' +
          'refused, so the model\u2019s own is used: ' + app.dom.messageOf(e));
      }
    }

    function bind() {
      const locales = $('locale-select');
      if (locales) {
        fillLocales();
        locales.addEventListener('change', () => setLocale(locales.value));
      }
      const currencies = $('currency-select');
      if (currencies) currencies.addEventListener('change', () => setCurrency(currencies.value));
    }

    return { bind, render, setLocale, setCurrency, applyCurrency };
  };
})();
