/*
 * Inline SVG charts, built with DOM APIs only (createElementNS, setAttribute, text nodes), so
 * labels that come from a model file are always text, never markup. Each chart is drawn at the
 * width the caller gives (data.width) or else of its container (the page redraws on resize), in
 * place of what the container held (see Shape below), and carries an SVG <title> (its name) and <desc> (its
 * description); the page adds a data table next to it as the full text alternative. Amounts come
 * formatted by the caller (data.format…); counts and shares drawn here use data.numbers, the
 * instance's formatter (CvcFormat.forLocale), so chart labels follow the page's locale.
 * Defines the global CvcCharts (classic script).
 */
(function (root) {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const HTML = 'http://www.w3.org/1999/xhtml';
  let chartCounter = 0;

  // A chart is described as shapes (light objects with appendChild and setAttribute, as an
  // element has), then drawn into its container by patching what is already there: attributes
  // and text that changed are set, a node of another kind is replaced, and nothing else is
  // touched. Redrawing a chart of the same shape (a weight moved) thus creates no nodes, and the
  // browser restyles and lays out only what changed. Data tables are drawn the same way (drawRows).
  class Shape {
    constructor(ns, name, attrs, text) {
      this.ns = ns;
      this.name = name;
      this.attrs = {};
      for (const key of Object.keys(attrs || {})) this.attrs[key] = String(attrs[key]);
      this.children = text === undefined ? [] : [String(text)];
    }

    appendChild(child) {
      this.children.push(child);
      return child;
    }

    setAttribute(key, value) {
      this.attrs[key] = String(value);
    }
  }

  const drawnAttrs = new WeakMap(); // element drawn from a shape → the attributes it has

  function create(shape) {
    const node = document.createElementNS(shape.ns, shape.name);
    for (const key of Object.keys(shape.attrs)) node.setAttribute(key, shape.attrs[key]);
    drawnAttrs.set(node, shape.attrs);
    for (const child of shape.children) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : create(child));
    }
    return node;
  }

  /** True when `node` can be drawn as `shape` (a shape, or a string for text) in place. */
  function fits(node, shape) {
    if (typeof shape === 'string') return node.nodeType === 3;
    return node.nodeType === 1 && node.localName === shape.name && node.namespaceURI === shape.ns &&
      drawnAttrs.has(node);
  }

  /** parent's child nodes made to match `shapes` (shapes, or strings for text), in place. */
  function patchChildren(parent, shapes) {
    let node = parent.firstChild;
    for (const shape of shapes) {
      if (node && fits(node, shape)) {
        if (typeof shape === 'string') {
          if (node.data !== shape) node.data = shape;
        } else {
          const attrs = drawnAttrs.get(node);
          for (const key of Object.keys(shape.attrs)) {
            if (attrs[key] !== shape.attrs[key]) node.setAttribute(key, shape.attrs[key]);
          }
          for (const key of Object.keys(attrs)) {
            if (!(key in shape.attrs)) node.removeAttribute(key);
          }
          drawnAttrs.set(node, shape.attrs);
          patchChildren(node, shape.children);
        }
        node = node.nextSibling;
        continue;
      }
      const fresh = typeof shape === 'string' ? document.createTextNode(shape) : create(shape);
      if (node) {
        const next = node.nextSibling;
        parent.replaceChild(fresh, node);
        node = next;
      } else {
        parent.appendChild(fresh);
      }
    }
    while (node) {
      const next = node.nextSibling;
      parent.removeChild(node);
      node = next;
    }
  }

  function el(name, attrs, text) {
    return new Shape(SVG, name, attrs, text);
  }

  /** An HTML element's shape, for drawRows. */
  function html(name, attrs, text) {
    return new Shape(HTML, name, attrs, text);
  }

  /** A table body (or any element) made to hold exactly `rows` (shapes made with html()). */
  function drawRows(parent, rows) {
    patchChildren(parent, rows);
  }

  // Labels never wrap in SVG: shorten them to what fits (about 7 px per character at 13 px) and
  // keep the full label in a <title> tooltip.
  function fitLabel(text, widthPx, charPx) {
    const max = Math.max(4, Math.floor(widthPx / (charPx || 7)));
    const s = String(text);
    return s.length <= max ? s : s.slice(0, max - 1) + '\u2026';
  }

  function labelText(x, y, text, widthPx, cls) {
    const shown = fitLabel(text, widthPx);
    const node = el('text', { x, y, class: cls || 'chart-label' }, shown);
    if (shown !== String(text)) node.appendChild(el('title', {}, String(text)));
    return node;
  }

  const chartIds = new WeakMap(); // container → the id its chart's title and desc are named by

  /** The chart's svg: named by its <title>, described by its <desc>. */
  function newSvg(container, width, height, summary) {
    if (!chartIds.has(container)) chartIds.set(container, 'chart-' + ++chartCounter);
    const id = chartIds.get(container);
    const svg = el('svg', {
      width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-labelledby': id + '-title', 'aria-describedby': id + '-desc', class: 'chart',
    });
    svg.appendChild(el('title', { id: id + '-title' }, summary.title));
    svg.appendChild(el('desc', { id: id + '-desc' }, summary.desc));
    return svg;
  }

  function replaceContent(container, shape) {
    patchChildren(container, [shape]);
  }

  function emptyState(container, message) {
    replaceContent(container, html('p', { class: 'chart-empty' }, message));
  }

  /** The width to draw at: the caller's (kept from a ResizeObserver), else the container's. */
  function widthOf(container, data) {
    return Math.max(260, Math.floor(data.width || container.clientWidth || 560));
  }

  function finite(x) {
    return typeof x === 'number' && Number.isFinite(x) ? x : 0;
  }

  /** How the chart writes counts and shares: the caller's formatter, else the page default (en-US). */
  function numbersOf(data) {
    return data.numbers || root.CvcFormat;
  }

  /**
   * Benefits versus costs: two total bars on one scale, then each item's contribution
   * (weight × mean score) on a second scale, benefits first, each side largest first.
   *   data = { totals: {benefits, costs, net}, items: [{label, side, contribution}],
   *            format(x), summary: {title, desc}, emptyMessage }
   */
  function contributionChart(container, data) {
    if (!data.items.length) {
      emptyState(container, data.emptyMessage || 'No data to chart.');
      return;
    }
    const width = widthOf(container, data);
    const pad = 4;
    const valueRoom = 78; // right margin for the value printed after each bar
    const barMax = width - pad - valueRoom;
    const rowH = 40; // label line + bar + gap
    const barH = 14;
    const headH = 26;

    const benefits = data.items.filter((i) => i.side === 'benefit')
      .sort((a, b) => finite(b.contribution) - finite(a.contribution));
    const costs = data.items.filter((i) => i.side === 'cost')
      .sort((a, b) => finite(b.contribution) - finite(a.contribution));

    const height = headH + 2 * rowH + 16 + (benefits.length ? headH + benefits.length * rowH : 0) +
      (costs.length ? headH + costs.length * rowH : 0) + 4;
    const svg = newSvg(container, width, height, data.summary);

    let y = 0;
    function heading(text) {
      svg.appendChild(el('text', { x: pad, y: y + 17, class: 'chart-heading' }, text));
      y += headH;
    }
    function bar(label, value, scaleMax, cls) {
      const v = Math.max(0, finite(value));
      const w = scaleMax > 0 ? (v / scaleMax) * barMax : 0;
      svg.appendChild(labelText(pad, y + 13, label, width - pad * 2));
      const rect = el('rect', {
        x: pad, y: y + 19, width: Math.max(w, v > 0 ? 1.5 : 0), height: barH, rx: 2, class: cls,
      });
      rect.appendChild(el('title', {}, label + ': ' + data.format(value)));
      svg.appendChild(rect);
      svg.appendChild(el('text', { x: pad + w + 6, y: y + 30, class: 'chart-value' }, data.format(value)));
      y += rowH;
    }

    // Totals, on their own scale.
    const t = data.totals;
    heading('Totals (net value ' + data.format(t.net) + ')');
    const totalMax = Math.max(finite(t.benefits), finite(t.costs));
    bar('Total benefits', t.benefits, totalMax, 'bar-benefit');
    bar('Total costs', t.costs, totalMax, 'bar-cost');
    svg.appendChild(el('line', { x1: 0, x2: width, y1: y + 6, y2: y + 6, class: 'chart-rule' }));
    y += 16;

    // Items, on a shared scale so benefit and cost items compare directly.
    const itemMax = Math.max(0, ...data.items.map((i) => finite(i.contribution)));
    if (benefits.length) {
      heading('Benefit items');
      for (const item of benefits) bar(item.label, item.contribution, itemMax, 'bar-benefit');
    }
    if (costs.length) {
      heading('Cost items');
      for (const item of costs) bar(item.label, item.contribution, itemMax, 'bar-cost');
    }
    replaceContent(container, svg);
  }

  /**
   * Tornado chart: one bar per item from the result at weight − 1 to the result at weight + 1,
   * around a line at the current result; rows in the given (ranked) order.
   *   data = { current, rows: [{label, weight, weightLow, weightHigh, low, high}],
   *            format(x), summary: {title, desc}, emptyMessage }
   */
  function tornadoChart(container, data) {
    if (!data.rows.length) {
      emptyState(container, data.emptyMessage || 'No data to chart.');
      return;
    }
    const width = widthOf(container, data);
    const side = 64; // room for a value printed beyond each end of the axis
    const rowH = 42;
    const barH = 14;
    const top = 26;

    const current = finite(data.current);
    let lo = current;
    let hi = current;
    for (const r of data.rows) {
      lo = Math.min(lo, finite(r.low), finite(r.high));
      hi = Math.max(hi, finite(r.low), finite(r.high));
    }
    if (hi - lo < 1e-9) {
      hi += 1;
      lo -= 1;
    }
    const x0 = side;
    const x1 = width - side;
    const x = (v) => x0 + ((finite(v) - lo) / (hi - lo)) * (x1 - x0);

    const height = top + data.rows.length * rowH + 6;
    const svg = newSvg(container, width, height, data.summary);
    const cx = x(current);

    svg.appendChild(el('text', {
      x: Math.min(Math.max(cx, 70), width - 70), y: 14, class: 'chart-axis-label', 'text-anchor': 'middle',
    }, 'Current ' + data.format(current)));

    let y = top;
    for (const r of data.rows) {
      // Each row in its own group: a row that prints one value instead of two then changes only
      // itself when the chart is redrawn in place.
      const row = svg.appendChild(el('g'));
      const weights = 'weight ' + data.formatWeight(r.weight) + ' (' + data.formatWeight(r.weightLow) +
        ' \u2194 ' + data.formatWeight(r.weightHigh) + ')';
      row.appendChild(labelText(4, y + 13, r.label + ' \u00b7 ' + weights, width - 8));
      const by = y + 19;
      // The current-value line runs through the bar band only, not through the label line.
      const segments = [
        { value: r.low, cls: 'bar-low', name: 'weight ' + data.formatWeight(r.weightLow) },
        { value: r.high, cls: 'bar-high', name: 'weight ' + data.formatWeight(r.weightHigh) },
      ];
      for (const s of segments) {
        const xs = x(s.value);
        const rect = el('rect', {
          x: Math.min(xs, cx), y: by, width: Math.max(Math.abs(xs - cx), 0), height: barH, class: s.cls,
        });
        rect.appendChild(el('title', {}, r.label + ', ' + s.name + ': ' + data.format(s.value)));
        row.appendChild(rect);
      }
      // The current-value line crosses the bar band only, not the label line above it.
      row.appendChild(el('line', { x1: cx, x2: cx, y1: by - 4, y2: by + barH + 4, class: 'chart-current' }));
      // Print each end value outside its bar; when both ends fall on the same side of the
      // current value, print them together at the far end so they do not overlap.
      const lowSide = Math.sign(finite(r.low) - current);
      const highSide = Math.sign(finite(r.high) - current);
      const put = (v, text) => {
        const right = finite(v) >= current;
        row.appendChild(el('text', {
          x: right ? x(v) + 5 : x(v) - 5, y: by + 11, class: 'chart-value',
          'text-anchor': right ? 'start' : 'end',
        }, text));
      };
      if (lowSide !== 0 && lowSide === highSide) {
        const far = Math.abs(finite(r.low) - current) > Math.abs(finite(r.high) - current) ? r.low : r.high;
        put(far, data.format(r.low) + ' / ' + data.format(r.high));
      } else {
        if (lowSide !== 0) put(r.low, data.format(r.low));
        if (highSide !== 0) put(r.high, data.format(r.high));
        if (lowSide === 0 && highSide === 0) put(current, 'no change');
      }
      y += rowH;
    }
    replaceContent(container, svg);
  }

  /**
   * NPS mix: one 100% bar per view (all customers, then each segment), detractors on the left,
   * passives in the middle, promoters on the right, each part labelled with its share when it
   * fits. A view with no answers says so instead of drawing a bar.
   *   data = { rows: [{label, n, promoters, passives, detractors, npsText}],
   *            numbers, summary: {title, desc}, emptyMessage }
   */
  function npsChart(container, data) {
    const N = numbersOf(data);
    stackedRows(container, data, {
      parts: [
        { key: 'detractors', cls: 'bar-detractor', name: 'detractors (0\u20136)', text: 'chart-in-bar' },
        { key: 'passives', cls: 'bar-passive', name: 'passives (7\u20138)', text: 'chart-in-bar-dark' },
        { key: 'promoters', cls: 'bar-promoter', name: 'promoters (9\u201310)', text: 'chart-in-bar' },
      ],
      total: (row) => row.n,
      heading: (row, n) => (n > 0 ? row.label + ' \u00b7 NPS ' + row.npsText + ' \u00b7 n = ' + N.count(n) : row.label + ' \u00b7 no data'),
      inBar: (count, share, w) => (w >= 34 ? N.percent(share * 100) : null),
    });
  }

  /**
   * 100% stacked bars, one row per view: a heading line, then the parts of the row's total in
   * order, each with a tooltip (count of total, %) and its label inside when `inBar` gives one.
   * A row whose total is 0 gets an empty bar; no row with data gives the empty state.
   */
  function stackedRows(container, data, { parts, total, heading, inBar }) {
    if (!data.rows.some((row) => total(row) > 0)) {
      emptyState(container, data.emptyMessage || 'No data to chart.');
      return;
    }
    const width = widthOf(container, data);
    const pad = 4;
    const rowH = 46;
    const barH = 18;
    const barW = width - pad * 2;
    const svg = newSvg(container, width, data.rows.length * rowH + 4, data.summary);
    const N = numbersOf(data);
    let y = 0;
    for (const row of data.rows) {
      const n = total(row);
      svg.appendChild(labelText(pad, y + 13, heading(row, n), barW));
      const by = y + 19;
      if (n > 0) {
        let x = pad;
        for (const part of parts) {
          const count = finite(row[part.key]);
          const share = count / n;
          const w = share * barW;
          if (w > 0) {
            const rect = el('rect', { x, y: by, width: w, height: barH, class: part.cls });
            rect.appendChild(el('title', {}, row.label + ', ' + (part.name || part.key) + ': ' + N.count(count) + ' of ' +
              N.count(n) + ' (' + N.percent(share * 100) + ')'));
            svg.appendChild(rect);
            const label = inBar(count, share, w);
            if (label !== null) {
              svg.appendChild(el('text', { x: x + w / 2, y: by + 13, class: part.text, 'text-anchor': 'middle' }, label));
            }
          }
          x += w;
        }
      } else {
        svg.appendChild(el('rect', { x: pad, y: by, width: barW, height: barH, class: 'bar-empty' }));
      }
      y += rowH;
    }
    replaceContent(container, svg);
  }

  /**
   * Histogram of per-respondent net value: one bar per bin, coloured by the side of 0 the bin
   * lies on (a bin that straddles 0 is neutral), with a dashed line at 0.
   *   data = { start, binWidth, counts: [...], format(x), numbers, summary: {title, desc}, emptyMessage }
   */
  function histogramChart(container, data) {
    const counts = data.counts || [];
    const total = counts.reduce((a, b) => a + finite(b), 0);
    if (!counts.length || total === 0 || !(data.binWidth > 0)) {
      emptyState(container, data.emptyMessage || 'No data to chart.');
      return;
    }
    const width = widthOf(container, data);
    const left = 40; // room for the count axis
    const right = 12;
    const top = 22;
    const plotH = 150;
    const bottom = 40; // tick labels and the axis title
    const height = top + plotH + bottom;
    const plotW = width - left - right;
    const svg = newSvg(container, width, height, data.summary);
    const N = numbersOf(data);
    const maxCount = Math.max(...counts.map(finite));
    const lo = data.start;
    const hi = data.start + data.binWidth * counts.length;
    const xOf = (v) => left + ((v - lo) / (hi - lo)) * plotW;
    const yOf = (c) => top + plotH - (c / maxCount) * plotH;

    // Count axis: 0 and the largest count, with a light rule at the top.
    svg.appendChild(el('line', { x1: left, x2: width - right, y1: yOf(maxCount), y2: yOf(maxCount), class: 'chart-rule' }));
    svg.appendChild(el('text', { x: left - 6, y: yOf(maxCount) + 4, class: 'chart-value', 'text-anchor': 'end' },
      N.count(maxCount)));
    svg.appendChild(el('text', { x: left - 6, y: top + plotH + 4, class: 'chart-value', 'text-anchor': 'end' }, N.count(0)));
    svg.appendChild(el('text', { x: left, y: 12, class: 'chart-heading' }, 'Respondents'));

    const barW = plotW / counts.length;
    counts.forEach((c, i) => {
      const from = lo + i * data.binWidth;
      const to = from + data.binWidth;
      const count = finite(c);
      const cls = to <= 0 ? 'bar-cost' : from >= 0 ? 'bar-benefit' : 'bar-neutral';
      const h = (count / maxCount) * plotH;
      const rect = el('rect', {
        x: xOf(from) + (barW > 4 ? 0.5 : 0), y: top + plotH - h, width: Math.max(barW - (barW > 4 ? 1 : 0), 0.5),
        height: Math.max(h, count > 0 ? 1 : 0), class: cls,
      });
      rect.appendChild(el('title', {}, data.format(from) + ' to ' + data.format(to) + ': ' + N.count(count) +
        ' respondent' + (count === 1 ? '' : 's')));
      svg.appendChild(rect);
    });
    svg.appendChild(el('line', { x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, class: 'chart-axis' }));

    // Value axis: about one tick per 80 px, on bin edges.
    const edges = counts.length + 1;
    const step = Math.max(1, Math.ceil(edges / Math.max(2, Math.floor(plotW / 80))));
    for (let i = 0; i < edges; i += step) {
      const v = lo + i * data.binWidth;
      const x = xOf(v);
      svg.appendChild(el('line', { x1: x, x2: x, y1: top + plotH, y2: top + plotH + 4, class: 'chart-axis' }));
      svg.appendChild(el('text', {
        x, y: top + plotH + 17, class: 'chart-value',
        'text-anchor': i === 0 ? 'start' : i === edges - 1 ? 'end' : 'middle',
      }, data.format(v)));
    }
    if (lo < 0 && hi > 0) {
      const x0 = xOf(0);
      svg.appendChild(el('line', { x1: x0, x2: x0, y1: top - 4, y2: top + plotH, class: 'chart-current' }));
      svg.appendChild(el('text', { x: x0 + 4, y: top + 6, class: 'chart-axis-label' }, N.count(0)));
    }
    svg.appendChild(el('text', {
      x: left + plotW / 2, y: height - 4, class: 'chart-heading', 'text-anchor': 'middle',
    }, data.axisTitle || 'Net value per respondent'));
    replaceContent(container, svg);
  }

  /** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × a power of ten). */
  function niceTicks(lo, hi, count) {
    const span = hi - lo;
    if (!(span > 0)) return [lo];
    const raw = span / Math.max(1, count);
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || 10 * power;
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return ticks;
  }

  // Quadrants of the satisfaction-versus-value map: where each sits (right = satisfied, top = valuable).
  const QUADRANTS = [
    { key: 'satisfied_valuable', right: true, top: true, cls: 'q-satisfied-valuable' },
    { key: 'satisfied_eroding', right: true, top: false, cls: 'q-satisfied-eroding' },
    { key: 'valuable_at_risk', right: false, top: true, cls: 'q-valuable-at-risk' },
    { key: 'neither', right: false, top: false, cls: 'q-neither' },
  ];

  /**
   * The satisfaction-versus-value map: one dot per customer (x = satisfaction, y = value), the
   * two threshold lines, and the four quadrants named with their count and revenue. Whole-number
   * answers (NPS, CSAT) are spread a little sideways, deterministically, so equal answers do not
   * hide each other; the threshold line sits between the last unsatisfied and the first
   * satisfied answer, so a spread dot never crosses it.
   *   data = { points: [{id, x, y, quadrant}], xLow, xHigh, xLine, yLine, jitter,
   *            quadrants: {key: {name, detail}}, formatX(x), formatY(y), xTitle, yTitle,
   *            xLineLabel, yLineLabel, summary: {title, desc}, emptyMessage }
   */
  function valueMap(container, data) {
    if (!data.points.length) {
      emptyState(container, data.emptyMessage || 'No customers to place on the map.');
      return;
    }
    const width = widthOf(container, data);
    const narrow = width < 480;
    const right = 10;
    const top = 38; // the value axis title, then the satisfaction threshold's label
    const plotH = narrow ? 260 : 340;
    const bottom = 46;
    const height = top + plotH + bottom;
    const svg = newSvg(container, width, height, data.summary);

    const xLo = data.xLow - 0.5;
    const xHi = data.xHigh + 0.5;
    const ys = data.points.map((p) => finite(p.y));
    let yLo = Math.min(finite(data.yLine), ...ys);
    let yHi = Math.max(finite(data.yLine), ...ys);
    if (yHi - yLo < 1e-9) {
      yLo -= 1;
      yHi += 1;
    }
    const yPad = (yHi - yLo) * 0.06;
    yLo -= yPad;
    yHi += yPad;
    const ticks = niceTicks(yLo, yHi, narrow ? 4 : 6);
    yLo = Math.min(yLo, ticks[0]);
    yHi = Math.max(yHi, ticks[ticks.length - 1]);
    // Room on the left for the longest value label (about 7 px a character at 12 px).
    const left = Math.max(40, 12 + 7 * Math.max(...ticks.map((v) => String(data.formatY(v)).length)));
    const plotW = width - left - right;
    const xOf = (v) => left + ((v - xLo) / (xHi - xLo)) * plotW;
    const yOf = (v) => top + plotH - ((v - yLo) / (yHi - yLo)) * plotH;

    svg.appendChild(el('text', { x: 4, y: 12, class: 'chart-heading' }, data.yTitle));
    // Value axis: light rules at round values.
    for (const v of ticks) {
      const y = yOf(v);
      svg.appendChild(el('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'chart-rule' }));
      svg.appendChild(el('text', { x: left - 6, y: y + 4, class: 'chart-value', 'text-anchor': 'end' }, data.formatY(v)));
    }
    // Satisfaction axis: whole answers.
    const xStep = Math.max(1, Math.ceil((data.xHigh - data.xLow) / Math.max(2, Math.floor(plotW / 34))));
    svg.appendChild(el('line', { x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, class: 'chart-axis' }));
    for (let v = data.xLow; v <= data.xHigh; v += xStep) {
      const x = xOf(v);
      svg.appendChild(el('line', { x1: x, x2: x, y1: top + plotH, y2: top + plotH + 4, class: 'chart-axis' }));
      svg.appendChild(el('text', { x, y: top + plotH + 17, class: 'chart-value', 'text-anchor': 'middle' }, data.formatX(v)));
    }
    svg.appendChild(el('text', {
      x: left + plotW / 2, y: height - 6, class: 'chart-heading', 'text-anchor': 'middle',
    }, data.xTitle));

    // Quadrant regions, lightly tinted, then their names (shortened to fit, full text as a tooltip).
    const cx = Math.min(Math.max(xOf(data.xLine), left), left + plotW);
    const cy = Math.min(Math.max(yOf(finite(data.yLine)), top), top + plotH);
    for (const q of QUADRANTS) {
      const x0 = q.right ? cx : left;
      const x1 = q.right ? left + plotW : cx;
      const y0 = q.top ? top : cy;
      const y1 = q.top ? cy : top + plotH;
      if (x1 - x0 < 1 || y1 - y0 < 1) continue;
      svg.appendChild(el('rect', { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: 'map-region ' + q.cls }));
    }
    const r = data.points.length > 2000 ? 2 : data.points.length > 300 ? 3 : 4.5;
    const group = el('g', { class: 'map-points' });
    data.points.forEach((p, i) => {
      // A fixed pseudo-random offset per dot (golden-ratio sequence): the same picture every time.
      const spread = data.jitter ? (((i * 0.6180339887) % 1) - 0.5) * 0.56 : 0;
      const q = QUADRANTS.find((k) => k.key === p.quadrant);
      const dot = el('circle', {
        cx: xOf(finite(p.x) + spread), cy: yOf(finite(p.y)), r, class: 'map-dot ' + (q ? q.cls : ''),
      });
      dot.appendChild(el('title', {}, String(p.id) + ': ' + data.formatX(p.x) + ', ' + data.formatY(p.y) +
        (data.quadrants[p.quadrant] ? ' (' + data.quadrants[p.quadrant].name + ')' : '')));
      group.appendChild(dot);
    });
    svg.appendChild(group);

    svg.appendChild(el('line', { x1: cx, x2: cx, y1: top - 4, y2: top + plotH, class: 'map-threshold' }));
    svg.appendChild(el('line', { x1: left, x2: left + plotW, y1: cy, y2: cy, class: 'map-threshold' }));
    svg.appendChild(el('text', {
      x: cx > left + plotW - 90 ? cx - 4 : cx + 4, y: top - 8, class: 'chart-axis-label map-line-label',
      'text-anchor': cx > left + plotW - 90 ? 'end' : 'start',
    }, data.xLineLabel));

    for (const q of QUADRANTS) {
      const info = data.quadrants[q.key];
      const x0 = q.right ? cx : left;
      const x1 = q.right ? left + plotW : cx;
      const y0 = q.top ? top : cy;
      const y1 = q.top ? cy : top + plotH;
      const room = x1 - x0 - 8;
      if (!info || room < 36 || y1 - y0 < 44) continue;
      const anchor = q.right ? 'end' : 'start';
      const x = q.right ? x1 - 4 : x0 + 4;
      const y = q.top ? y0 + 15 : y1 - 20;
      for (const [k, text] of [[0, info.name], [1, info.detail]]) {
        const shown = fitLabel(text, room, k === 0 ? 7.2 : 6.6);
        const node = el('text', { x, y: y + k * 15, 'text-anchor': anchor, class: k === 0 ? 'map-quadrant-name' : 'map-quadrant-detail' }, shown);
        if (shown !== text) node.appendChild(el('title', {}, text));
        svg.appendChild(node);
      }
    }
    const yLabel = el('text', { x: left + 4, y: cy - 5, class: 'chart-axis-label map-line-label' }, data.yLineLabel);
    if (cy - top < 50) {
      yLabel.setAttribute('y', String(cy + 15));
    }
    svg.appendChild(yLabel);
    replaceContent(container, svg);
  }

  /**
   * Health bands per view: one 100% bar per row, red on the left, yellow, green on the right,
   * each part labelled with its count when it fits. A row without scores says so.
   *   data = { rows: [{label, red, yellow, green}], numbers, summary: {title, desc}, emptyMessage }
   */
  function healthChart(container, data) {
    const N = numbersOf(data);
    stackedRows(container, data, {
      parts: [
        { key: 'red', cls: 'bar-health-red', text: 'chart-in-bar' },
        { key: 'yellow', cls: 'bar-health-yellow', text: 'chart-in-bar-dark' },
        { key: 'green', cls: 'bar-health-green', text: 'chart-in-bar' },
      ],
      total: (row) => finite(row.red) + finite(row.yellow) + finite(row.green),
      heading: (row, n) => row.label + ' \u00b7 ' + (n > 0 ? N.count(n) + ' with a score' : 'no health scores'),
      inBar: (count, share, w) => (w >= 8 * N.count(count).length + 10 ? N.count(count) : null),
    });
  }

  root.CvcCharts = { contributionChart, tornadoChart, npsChart, histogramChart, valueMap, healthChart, html, drawRows,
    node: create };
})(typeof self !== 'undefined' ? self : this);
