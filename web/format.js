/*
 * Number formatting and input parsing for the page. Pure functions, no DOM: every number the
 * page shows goes through here, so nothing reaches the screen as NaN, Infinity or "undefined".
 * Defines the global CvcFormat (classic script: the page must work from file://).
 */
(function (root) {
  'use strict';

  const LOCALE = 'en-US';
  const MINUS = '\u2212'; // typographic minus sign, easier to read than a hyphen
  const MISSING = '\u2014'; // em dash for "no number here"

  const formatters = new Map();
  function numberFormat(options) {
    const key = JSON.stringify(options);
    if (!formatters.has(key)) formatters.set(key, new Intl.NumberFormat(LOCALE, options));
    return formatters.get(key);
  }

  function isNumber(x) {
    return typeof x === 'number' && Number.isFinite(x);
  }

  function withMinus(text) {
    return text.replace(/^-/, MINUS);
  }

  /** A plain number with a fixed number of decimals ("1,234.5"); an em dash when not a number. */
  function number(x, digits) {
    if (!isNumber(x)) return MISSING;
    const d = digits === undefined ? 1 : digits;
    // Avoid "-0.0" when a tiny negative rounds to zero.
    const rounded = Number(x.toFixed(d));
    return withMinus(numberFormat({ minimumFractionDigits: d, maximumFractionDigits: d })
      .format(rounded === 0 ? 0 : rounded));
  }

  /** A whole count ("1,234"). */
  function count(x) {
    return isNumber(x) ? numberFormat({ maximumFractionDigits: 0 }).format(x) : MISSING;
  }

  /** An amount of money: "$3,000", "€12.50"; falls back to "3,000 XYZ" for unknown codes. */
  function money(x, currency) {
    if (!isNumber(x)) return MISSING;
    const digits = Math.abs(x) >= 1000 || Number.isInteger(x) ? 0 : 2;
    try {
      const rounded = Number(x.toFixed(digits));
      return withMinus(numberFormat({
        style: 'currency', currency: currency || 'USD',
        minimumFractionDigits: digits, maximumFractionDigits: digits,
      }).format(rounded === 0 ? 0 : rounded));
    } catch (e) {
      return number(x, digits) + ' ' + String(currency || '');
    }
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

  /** A percentage from 0–100: "60%", "72.5%" with digits = 1. */
  function percent(x, digits) {
    return isNumber(x) ? number(x, digits === undefined ? 0 : digits) + '%' : MISSING;
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

  root.CvcFormat = {
    isNumber, number, count, money, percent, signed, valueFormatter, interval, withInterval,
    scaleBounds, describeScale, describeKind, parseNumber, inputText, MISSING,
  };
})(typeof self !== 'undefined' ? self : this);
