/*
 * The four value and satisfaction charts (charts.js draws them), each with its data as a table:
 * where the value comes from, sensitivity to each weight, the NPS mix, and net value per
 * respondent. Reads app.state.results only. A chart or table is drawn in place (charts.js) and
 * only when what it shows changed: after a weight move the NPS mix is left alone.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const Charts = window.CvcCharts;

  (CVC.modules = CVC.modules || {}).resultCharts = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, sentence } = app.dom;

    const view = {
      bcView: '', // '' = all customers, or a segment id
      tornadoMetric: 'net',
    };
    const CHARTS = ['bc-chart', 'tornado-chart', 'nps-chart', 'histogram-chart'];
    // Each chart's width, kept from a ResizeObserver so that drawing never forces a layout (0:
    // hidden, not drawn until it is shown); and what each chart and table was last drawn from,
    // so that a redraw with the same data (the NPS mix after a weight move) does nothing.
    const widths = new Map();
    const drawnFrom = new Map();

    /** draw(node, width) for chart `id` unless it is hidden or was last drawn from `data`. */
    function drawChart(id, data, draw) {
      const node = $(id);
      const width = widths.get(id);
      if (width === 0) {
        drawnFrom.delete(id); // drawn when it is shown again
        return;
      }
      if (unchanged(id, [data, width])) return;
      draw(node, width);
    }

    /** True when `data` is what `what` was last drawn from (in this locale); remembers it. */
    function unchanged(what, data) {
      const key = F.locale + '\u0000' + JSON.stringify(data);
      if (drawnFrom.get(what) === key) return true;
      drawnFrom.set(what, key);
      return false;
    }

    /** A table row's shape from [[text, className], ...]; the first cell is the row's header. */
    function rowShape(cells) {
      const tr = Charts.html('tr');
      cells.forEach(([text, cls], i) => {
        const attrs = cls ? { class: cls } : {};
        if (i === 0) attrs.scope = 'row';
        tr.appendChild(Charts.html(i === 0 ? 'th' : 'td', attrs, text));
      });
      return tr;
    }

    /** A chart's data table body, drawn in place. */
    function drawTable(id, rows) {
      Charts.drawRows($(id).tBodies[0], rows.map(rowShape));
    }

    function buildViewSelect() {
      const select = $('bc-view');
      const options = [new Option('All customers', '')];
      for (const s of app.state.model.segments) {
        options.push(new Option(s.group ? s.label + ' (' + s.group + ')' : s.label, s.id));
      }
      select.replaceChildren(...options);
      if (!app.state.model.segments.some((s) => s.id === view.bcView)) view.bcView = '';
      select.value = view.bcView;
    }

    function renderAll() {
      renderContributionChart();
      renderTornado();
      renderNpsChart();
      renderHistogram();
    }

    /** After a resize: redraw at the next animation frame. */
    const schedule = app.dom.perFrame(() => {
      if (app.state.results) renderAll();
    });

    function renderContributionChart() {
      const fmt = app.results.unitFormatter();
      const r = app.state.results;
      const model = app.state.model;
      const shown = view.bcView ? r.segments.find((s) => s.id === view.bcView) || r.overall : r.overall;
      const items = shown.source === 'none' ? [] : shown.items.map((result, i) => ({
        label: model.items[i].label,
        side: model.items[i].side,
        contribution: result.contribution,
        weight: result.weight,
        mean: result.mean_score,
      }));
      const who = shown.label || 'All customers';
      const chart = {
        items,
        totals: {
          benefits: shown.total_benefits, costs: shown.total_costs,
          net: shown.net_value ? shown.net_value.mean : null,
        },
        emptyMessage: who + ': ' + sentence(shown.no_data_reason || 'no data') + '.',
        summary: {
          title: 'Benefits versus costs, ' + who,
          desc: items.length
            ? 'Total benefits ' + fmt.format(shown.total_benefits) + ', total costs ' + fmt.format(shown.total_costs) +
              ', net value ' + fmt.format(shown.net_value.mean) + '. Largest benefit: ' +
              largest(items, 'benefit') + '. Largest cost: ' + largest(items, 'cost') + '.'
            : 'No data.',
        },
      };
      drawChart('bc-chart', [chart, fmt.unit, fmt.currency],
        (node, width) => Charts.contributionChart(node, Object.assign({ format: fmt.format, width }, chart)));
      drawTable('bc-table', items.map((it) => [
        [it.label], [it.side === 'benefit' ? 'Benefit' : 'Cost'],
        [F.number(it.weight, Number.isInteger(it.weight) ? 0 : 1), 'num'],
        [F.number(it.mean, 2), 'num'], [fmt.format(it.contribution), 'num'],
      ]));
    }

    function largest(items, side) {
      const list = items.filter((i) => i.side === side);
      if (!list.length) return 'none';
      return list.reduce((a, b) => (b.contribution > a.contribution ? b : a)).label;
    }

    function renderTornado() {
      const fmt = app.results.unitFormatter();
      const r = app.state.results;
      const byIndex = view.tornadoMetric === 'index';
      const format = byIndex ? (x) => F.number(x, 1) : fmt.format;
      const measure = byIndex ? 'Value index' : 'Net value';
      const key = byIndex ? 'value_index' : 'net_value';
      const current = r.overall[key] ? r.overall[key].mean : null;
      // The module ranks by net value swing; for the index, rank by index swing.
      const entries = r.sensitivity.slice();
      if (byIndex) entries.sort((a, b) => b.value_index_swing - a.value_index_swing);
      const formatWeight = (w) => F.number(w, Number.isInteger(w) ? 0 : 1);
      const rows = entries.map((e) => ({
        label: e.label, weight: e.weight, weightLow: e.weight_low, weightHigh: e.weight_high,
        low: e[key + '_low'], high: e[key + '_high'], swing: e[key + '_swing'],
      }));
      const top = rows[0];
      const chart = {
        current, rows,
        emptyMessage: 'No sensitivity: ' + sentence(r.overall.no_data_reason || 'no data') + '.',
        summary: {
          title: measure + ' sensitivity to each weight',
          desc: top
            ? 'Current ' + measure.toLowerCase() + ' ' + format(current) + '. The most influential weight is ' +
              top.label + ': from ' + format(top.low) + ' at weight ' + formatWeight(top.weightLow) + ' to ' +
              format(top.high) + ' at weight ' + formatWeight(top.weightHigh) + '.'
            : 'No data.',
        },
      };
      const formats = [byIndex, fmt.unit, fmt.currency];
      drawChart('tornado-chart', [chart, formats],
        (node, width) => Charts.tornadoChart(node, Object.assign({ format, formatWeight, width }, chart)));
      const caption = $('tornado-caption');
      const text = 'Sensitivity of the ' + measure.toLowerCase() + ' to each weight';
      if (caption.textContent !== text) caption.textContent = text;
      drawTable('tornado-table', rows.map((row) => [
        [row.label],
        [formatWeight(row.weight) + ' (' + formatWeight(row.weightLow) + '\u2013' + formatWeight(row.weightHigh) + ')', 'num'],
        [format(row.low), 'num'], [format(row.high), 'num'], [format(row.swing), 'num'],
      ]));
    }

    function share(count, n) {
      return n > 0 ? F.percent((100 * count) / n) : F.MISSING;
    }

    function renderNpsChart() {
      const r = app.state.results;
      const rows = [r.overall].concat(r.segments).map((v) => {
        const nps = (v.satisfaction && v.satisfaction.nps) || {};
        return {
          label: v.label || 'All customers', n: nps.n || 0, nps: nps.nps, npsText: F.signed(nps.nps),
          promoters: nps.promoters || 0, passives: nps.passives || 0, detractors: nps.detractors || 0,
          estimate: nps,
        };
      });
      const o = rows[0];
      const chart = {
        rows,
        emptyMessage: 'No NPS answers: load or import survey data with an NPS column to see the mix.',
        summary: {
          title: 'NPS mix: promoters, passives and detractors per segment',
          desc: o.n > 0
            ? 'All customers: NPS ' + o.npsText + ' from ' + F.count(o.n) + ' answers; ' + share(o.promoters, o.n) +
              ' promoters, ' + share(o.passives, o.n) + ' passives, ' + share(o.detractors, o.n) + ' detractors.'
            : 'No data.',
        },
      };
      // Weights do not move the NPS mix: after a weight move this draws nothing.
      drawChart('nps-chart', chart, (node, width) => Charts.npsChart(node, Object.assign({ numbers: F, width }, chart)));
      if (unchanged('nps-table', rows)) return;
      const withData = rows.some((row) => row.n > 0);
      drawTable('nps-table', (withData ? rows : []).map((row) => (row.n > 0 ? [
        [row.label], [F.count(row.n), 'num'],
        [F.count(row.detractors) + ' (' + share(row.detractors, row.n) + ')', 'num'],
        [F.count(row.passives) + ' (' + share(row.passives, row.n) + ')', 'num'],
        [F.count(row.promoters) + ' (' + share(row.promoters, row.n) + ')', 'num'],
        [F.signed(row.nps) + (F.isNumber(row.estimate.ci_low) && F.isNumber(row.estimate.ci_high)
          ? ' (' + F.signed(row.estimate.ci_low) + ' to ' + F.signed(row.estimate.ci_high) + ')' : ''), 'num'],
      ] : [[row.label], ['0', 'num'], ['no data', 'no-data'], [''], [''], ['']])));
    }

    function renderHistogram() {
      const fmt = app.results.unitFormatter();
      const h = app.state.results.net_value_histogram || { counts: [] };
      const counts = Array.isArray(h.counts) ? h.counts : [];
      const total = counts.reduce((a, b) => a + b, 0);
      let below = 0;
      let above = 0;
      counts.forEach((c, i) => {
        const from = h.start + i * h.bin_width;
        if (from + h.bin_width <= 0) below += c;
        else if (from >= 0) above += c;
      });
      const unit = fmt.unit === 'currency' ? '' : ' (' + fmt.unitLabel + ')';
      const chart = {
        start: h.start, binWidth: h.bin_width, counts,
        axisTitle: 'Net value per respondent' + unit,
        emptyMessage: app.state.calc.responseCount() > 0
          ? 'No respondent answered every item, so no one has a net value yet.'
          : 'No survey data: the histogram needs respondents.',
        summary: {
          title: 'Histogram of net value per respondent',
          desc: total > 0
            ? F.count(total) + ' respondents with a net value: ' + F.count(below) + ' below 0, ' + F.count(above) +
              ' above 0, ' + F.count(total - below - above) + ' in the range around 0.'
            : 'No data.',
        },
      };
      drawChart('histogram-chart', [chart, fmt.unit, fmt.currency],
        (node, width) => Charts.histogramChart(node, Object.assign({ format: fmt.format, numbers: F, width }, chart)));
      drawTable('histogram-table', (total > 0 ? counts : []).map((c, i) => {
        const from = h.start + i * h.bin_width;
        return [[fmt.format(from)], [fmt.format(from + h.bin_width), 'num'], [F.count(c), 'num']];
      }));
    }

    function bind() {
      if (typeof ResizeObserver === 'function') {
        // Read in the observer's callback, when the layout is done: drawing never has to force one.
        const observer = new ResizeObserver((entries) => {
          let changed = false;
          for (const entry of entries) {
            const id = entry.target.id;
            const width = entry.target.clientWidth;
            if (widths.get(id) !== width) changed = true;
            widths.set(id, width);
          }
          if (changed) schedule();
        });
        for (const id of CHARTS) observer.observe($(id));
        app.onDispose(() => observer.disconnect());
      }
      $('bc-view').addEventListener('change', (e) => {
        view.bcView = e.target.value;
        renderContributionChart();
      });
      for (const radio of app.all('input[name="tornado-metric"]')) {
        radio.addEventListener('change', (e) => {
          if (e.target.checked) {
            view.tornadoMetric = e.target.value;
            renderTornado();
          }
        });
      }
    }

    return { bind, buildViewSelect, renderAll, schedule };
  };
})();
