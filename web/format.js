/*
 * Number formatting and input parsing for the page. No DOM: every number the page shows goes
 * through here, so nothing reaches the screen as NaN, Infinity or "undefined". Numbers, amounts,
 * percentages and dates are formatted with Intl for a locale: CvcFormat.forLocale(locale) gives
 * one formatter per calculator instance. Inputs stay locale-neutral: inputText writes and
 * parseNumber reads plain numbers with a dot in every locale.
 * Defines the global CvcFormat (classic script: the page must work from file://).
 */
(function (root) {
  'use strict';

  const MINUS = '\u2212'; // typographic minus sign, easier to read than a hyphen
  const MISSING = '\u2014'; // em dash for "no number here"

  // Intl.NumberFormat objects are slow to create: one per locale and options, shared by every
  // formatter on the page ('' is the browser's default locale).
  const formatters = new Map();
  function numberFormat(locale, options) {
    const key = locale + '|' + JSON.stringify(options);
    if (!formatters.has(key)) formatters.set(key, new Intl.NumberFormat(locale || undefined, options));
    return formatters.get(key);
  }
  const dateFormats = new Map();
  function dateFormat(locale) {
    if (!dateFormats.has(locale)) {
      dateFormats.set(locale, new Intl.DateTimeFormat(locale || undefined, { dateStyle: 'medium', timeZone: 'UTC' }));
    }
    return dateFormats.get(locale);
  }
  const currencyDigitCache = new Map();
  /** How many decimals a currency has (2 for USD and EUR, 0 for JPY); 2 for a code Intl refuses. */
  function currencyDigits(currency) {
    if (!currencyDigitCache.has(currency)) {
      let digits = 2;
      try {
        digits = numberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
      } catch (e) {
        // a malformed code: money() falls back to the number and the code
      }
      currencyDigitCache.set(currency, digits);
    }
    return currencyDigitCache.get(currency);
  }

  /**
   * A locale tag as the page keeps it: canonical ("de-DE"), or '' (the browser's default) for a
   * missing, malformed or unsupported tag, so a bad saved value or attribute never breaks the page.
   */
  function resolveLocale(locale) {
    if (typeof locale !== 'string' || !locale.trim()) return '';
    try {
      const tag = Intl.getCanonicalLocales(locale.trim())[0];
      return Intl.NumberFormat.supportedLocalesOf([tag]).length ? tag : '';
    } catch (e) {
      return '';
    }
  }

  function isNumber(x) {
    return typeof x === 'number' && Number.isFinite(x);
  }

  function withMinus(text) {
    return text.replace(/-/g, MINUS);
  }

  /** x rounded to `digits` decimals, with a tiny negative that rounds to zero made 0 (no "-0.0"). */
  function rounded(x, digits) {
    const r = Number(x.toFixed(digits));
    return r === 0 ? 0 : r;
  }

  /**
   * The number formatting of one locale: every number, amount, percentage and date the page
   * shows goes through one of these. forLocale(locale) makes one per calculator instance (two
   * instances on a page can show numbers their own way); setLocale changes it in place, so the
   * modules that hold it show the new locale at their next render. Inputs never go through it:
   * they show and read plain numbers with a dot (inputText, parseNumber), in every locale.
   */
  function forLocale(initial) {
    let locale = resolveLocale(initial);

    /** A plain number with a fixed number of decimals ("1,234.5", "1.234,5"); an em dash when not a number. */
    function number(x, digits) {
      if (!isNumber(x)) return MISSING;
      const d = digits === undefined ? 1 : digits;
      return withMinus(numberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(rounded(x, d)));
    }

    /** A whole count ("1,234"). */
    function count(x) {
      return isNumber(x) ? withMinus(numberFormat(locale, { maximumFractionDigits: 0 }).format(x)) : MISSING;
    }

    /**
     * A number as it was typed or read from a file, for reading: up to 4 decimals, no grouping,
     * the locale's decimal mark ("5000", "8.5", "8,5"): inputText's display twin.
     */
    function decimal(x) {
      return isNumber(x)
        ? withMinus(numberFormat(locale, { maximumFractionDigits: 4, useGrouping: false }).format(rounded(x, 4))) : MISSING;
    }

    /**
     * An amount of money: "$3,000", "12,50 €", "¥3,000" (never decimals where the currency has
     * none); "3,000 XYZ" when Intl refuses the code.
     */
    function money(x, currency) {
      if (!isNumber(x)) return MISSING;
      const code = String(currency || 'USD');
      const digits = Math.abs(x) >= 1000 || Number.isInteger(x) ? 0 : Math.min(2, currencyDigits(code));
      try {
        return withMinus(numberFormat(locale, {
          style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits,
        }).format(rounded(x, digits)));
      } catch (e) {
        return number(x, digits) + ' ' + code;
      }
    }

    /** A percentage from 0–100: "60%", "72,5 %" with digits = 1. */
    function percent(x, digits) {
      if (!isNumber(x)) return MISSING;
      const d = digits === undefined ? 0 : digits;
      // Rounded as a percentage first, so Intl's rounding of x / 100 cannot differ from number()'s.
      return withMinus(numberFormat(locale, { style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d })
        .format(rounded(x, d) / 100));
    }

    /** A date given as YYYY-MM-DD: "Nov 30, 2026", "30.11.2026"; anything else is shown as it is. */
    function date(text) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
      if (!m) return String(text);
      const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      return Number.isFinite(time) ? dateFormat(locale).format(time) : String(text);
    }

    /**
     * How to show the net value and totals. unit: 'points' | 'currency' | 'mixed'.
     * Returns { format(x), unitLabel, note }.
     */
    function valueFormatter(unit, currency) {
      if (unit === 'currency') {
        return { format: (x) => money(x, currency), unitLabel: String(currency || ''), note: '' };
      }
      if (unit === 'mixed') {
        return {
          format: (x) => number(x, 1),
          unitLabel: 'mixed units',
          note: 'Benefits and costs mix rating points and amounts of money, so the net value and ' +
            'totals add unlike units. Only the value index compares fairly.',
        };
      }
      return { format: (x) => number(x, 1), unitLabel: 'points', note: '' };
    }

    /** A score that is read against 0, with its sign: "+12", "0", "−5" (NPS). */
    function signed(x, digits) {
      if (!isNumber(x)) return MISSING;
      const text = number(x, digits === undefined ? 0 : digits);
      return Number(x.toFixed(digits === undefined ? 0 : digits)) > 0 ? '+' + text : text;
    }

    /** "95% CI 22.8 to 30.1, n = 119", or the reason there is no interval, in words. */
    function interval(estimate, format) {
      const f = format || ((x) => number(x, 1));
      if (!estimate) return 'No interval: no data.';
      if (isNumber(estimate.ci_low) && isNumber(estimate.ci_high)) {
        return '95% CI ' + f(estimate.ci_low) + ' to ' + f(estimate.ci_high) + ', n = ' + count(estimate.n);
      }
      const reason = estimate.no_interval_reason ? String(estimate.no_interval_reason) : 'not available';
      return 'No interval: ' + reason + '.';
    }

    /** Compact "23.0 (19.4 to 26.7)" for tables. */
    function withInterval(estimate, format) {
      const f = format || ((x) => number(x, 1));
      if (!estimate || !isNumber(estimate.mean)) return MISSING;
      let text = f(estimate.mean);
      if (isNumber(estimate.ci_low) && isNumber(estimate.ci_high)) {
        text += ' (' + f(estimate.ci_low) + ' to ' + f(estimate.ci_high) + ')';
      }
      return text;
    }

    /** "1–5", "0–10", "amount (USD; 20,000 = top)". */
    function describeScale(item, currency) {
      if (SCALES[item.scale]) {
        return SCALES[item.scale].low + '\u2013' + SCALES[item.scale].high + ' rating' +
          (item.reverse ? ', reverse-coded' : '');
      }
      if (item.scale === 'currency') {
        return 'amount in ' + String(currency || '') + ' (top = ' + money(item.reference_amount, currency) + ')';
      }
      return String(item.scale);
    }

    return {
      get locale() {
        return locale;
      },
      /** The locale numbers are shown in: the one asked for, or the browser's ("de-DE"). */
      resolvedLocale: () => numberFormat(locale, {}).resolvedOptions().locale,
      setLocale(next) {
        locale = resolveLocale(next);
      },
      number, count, decimal, money, percent, date, signed, valueFormatter, interval, withInterval, describeScale,
      isNumber, scaleBounds, describeKind, parseNumber, inputText, MISSING,
    };
  }

  const SCALES = {
    '1-5': { low: 1, high: 5 },
    '1-7': { low: 1, high: 7 },
    '1-10': { low: 1, high: 10 },
    '0-10': { low: 0, high: 10 },
  };

  /** Bounds of an item's scale: {low, high} (high is null for amounts). */
  function scaleBounds(item) {
    if (SCALES[item.scale]) return SCALES[item.scale];
    return { low: 0, high: null };
  }

  const TANGIBLE = new Set(['price', 'onboarding', 'training', 'support']);
  const INTANGIBLE = new Set(['time', 'effort', 'frustration', 'risk']);

  /** "functional", "price (tangible)", "risk (intangible)". */
  function describeKind(kind) {
    const k = String(kind);
    if (TANGIBLE.has(k)) return k + ' (tangible)';
    if (INTANGIBLE.has(k)) return k + ' (intangible)';
    return k;
  }

  // A decimal number as people type it: "4", "4.5", ".5", "-2", "1e3", "12,000" (en-US grouping).
  const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

  /**
   * Parses a typed score. Returns {ok: true, value} or {ok: false, reason} where reason reads
   * after the item's name: 'is empty', 'is not a number ("abc")'.
   */
  function parseNumber(text) {
    const t = String(text).trim();
    if (t === '') return { ok: false, reason: 'empty' };
    const plain = GROUPED.test(t) ? t.replace(/,/g, '') : t;
    if (!DECIMAL.test(plain)) return { ok: false, reason: 'not a number' };
    const value = Number(plain);
    if (!Number.isFinite(value)) return { ok: false, reason: 'too large' };
    return { ok: true, value };
  }

  /** The text an input shows for a number: no grouping, up to 4 decimals. */
  function inputText(x) {
    if (!isNumber(x)) return '';
    return String(Number(x.toFixed(4)));
  }

  // The global keeps the en-US formatting it always had, for scripts that use it directly; each
  // calculator instance formats with its own CvcFormat.forLocale(locale) (app.format).
  const standard = forLocale('en-US');
  delete standard.setLocale;
  root.CvcFormat = Object.assign(standard, { forLocale, resolveLocale });
})(typeof self !== 'undefined' ? self : this);
