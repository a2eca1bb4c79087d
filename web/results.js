/*
 * Renders calc.results(): where the numbers come from, the headline value and satisfaction
 * numbers with their intervals and definitions, each item's survey mean and the segment table
 * (the charts: result-charts.js). Reads app.state.results only; never calls the calculator to
 * change anything. Writes only what changed (a weight move changes the values, not the
 * satisfaction numbers), so that the browser restyles and lays out as little as possible.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const Charts = window.CvcCharts;
  const H = Charts.html;

  (CVC.modules = CVC.modules || {}).results = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, sentence, setText, setHidden, setMetric, announce } = app.dom;
    let satisfactionDrawnFrom = null; // what renderSatisfaction last showed

    const SOURCE_WORDS = { survey: 'Survey', entered: 'Entered scores', none: 'No data' };

    /** How to show net values: the results' unit and currency, with F.valueFormatter's format. */
    function unitFormatter() {
      const r = app.state.results;
      const model = app.state.model;
      let unit = r && r.net_value_unit;
      if (!unit) {
        // Older modules do not report the unit: derive it from the items' scales.
        const amounts = model.items.filter((i) => i.scale === 'currency').length;
        unit = amounts === 0 ? 'points' : amounts === model.items.length ? 'currency' : 'mixed';
      }
      const currency = (r && r.currency) || model.currency || 'USD';
      return Object.assign({ unit, currency }, F.valueFormatter(unit, currency));
    }

    function render() {
      const fmt = unitFormatter();
      renderSource();
      renderMetrics(fmt);
      renderSatisfaction();
      app.modelPanel.renderItemValues(fmt);
      renderSegments(fmt);
    }

    function renderSource() {
      const r = app.state.results;
      const hasSurvey = app.state.calc.responseCount() > 0;
      const text = $('source-text');
      const bar = text.closest('.source-bar');
      if (bar.dataset.source !== r.source) bar.dataset.source = r.source;
      if (hasSurvey) {
        const o = r.overall;
        setText(text, 'Using survey responses: ' + F.count(o.respondents) + ' respondent' +
          (o.respondents === 1 ? '' : 's') + ' (' + F.count(o.excluded_incomplete) + ' excluded: skipped an item)');
      } else {
        setText(text, 'No survey data: results come from the entered scores (a typical customer\u2019s score for each item).');
      }
      setHidden($('use-entered'), !hasSurvey);
      setHidden($('reload-survey'), !app.survey.sampleFits(app.state.model));
      setText($('reload-survey'), hasSurvey ? 'Reload sample survey' : 'Use the sample survey');
      $('item-groups').classList.toggle('no-survey', r.source !== 'survey');
    }

    function renderMetrics(fmt) {
      const o = app.state.results.overall;
      const card = $('metric-net-value');
      setHidden($('unit-note'), !fmt.note);
      setText($('unit-note'), fmt.note);
      if (o.source === 'none' || !o.net_value) {
        const reason = sentence(o.no_data_reason || 'no data') + '.';
        setMetric('net-value', null, 'No data');
        setMetric('total-benefits', null, F.MISSING);
        setMetric('total-costs', null, F.MISSING);
        setMetric('value-index', null, 'No data');
        setText($('net-value-unit'), '');
        setText($('net-value-ci'), reason);
        setText($('value-index-ci'), reason);
        setText($('net-value-verdict'), '');
        if (card.dataset.sign !== 'none') card.dataset.sign = 'none';
        announce('No results: ' + reason);
        return;
      }
      const net = o.net_value;
      const index = o.value_index;
      setMetric('net-value', net.mean, fmt.format(net.mean));
      setMetric('total-benefits', o.total_benefits, fmt.format(o.total_benefits));
      setMetric('total-costs', o.total_costs, fmt.format(o.total_costs));
      setMetric('value-index', index.mean, F.number(index.mean, 1));
      setText($('net-value-unit'), fmt.unit === 'currency' ? '' : fmt.unitLabel);
      setText($('net-value-ci'), F.interval(net, fmt.format));
      setText($('value-index-ci'), F.interval(index, (x) => F.number(x, 1)));

      // The verdict is stated in words (not only by colour). With mixed units the net value adds
      // unlike things, so the verdict follows the index instead.
      const basis = fmt.unit === 'mixed' ? index : net;
      let verdict;
      let sign;
      if (F.isNumber(basis.ci_low) && F.isNumber(basis.ci_high)) {
        if (basis.ci_low > 0) [verdict, sign] = ['Benefits outweigh costs: the whole interval is above 0.', 'positive'];
        else if (basis.ci_high < 0) [verdict, sign] = ['Costs outweigh benefits: the whole interval is below 0.', 'negative'];
        else [verdict, sign] = ['Not clearly different from 0: the interval includes 0.', 'neutral'];
      } else if (basis.mean > 0) [verdict, sign] = ['Benefits outweigh costs.', 'positive'];
      else if (basis.mean < 0) [verdict, sign] = ['Costs outweigh benefits.', 'negative'];
      else [verdict, sign] = ['Benefits and costs balance.', 'neutral'];
      if (fmt.unit === 'mixed') verdict += ' (judged by the value index)';
      setText($('net-value-verdict'), verdict);
      if (card.dataset.sign !== sign) card.dataset.sign = sign;
      announce('Net value ' + fmt.format(net.mean) + (fmt.unit === 'currency' ? '' : ' ' + fmt.unitLabel) +
        '; value index ' + F.number(index.mean, 1) + '.');
    }

    // ---------------------------------------------------------------- satisfaction

    function nEquals(n) {
      return 'n\u00a0=\u00a0' + F.count(n);
    }

    function rangeText(from, high) {
      return from === high ? String(from) : from + '\u2013' + high;
    }

    /** "95% CI a to b\nn = N", or why there is no interval. */
    function intervalLines(estimate, format, noInterval) {
      return F.isNumber(estimate.ci_low) && F.isNumber(estimate.ci_high)
        ? '95% CI ' + format(estimate.ci_low) + ' to ' + format(estimate.ci_high) + '\n' + nEquals(estimate.n)
        : noInterval + '\n' + nEquals(estimate.n);
    }

    /** Headline satisfaction numbers (overall), each with its definition, n and 95% interval. */
    function renderSatisfaction() {
      const r = app.state.results;
      const o = r.overall;
      const sat = o.satisfaction || {};
      const settings = app.page.satisfactionSettings();
      const rows = F.isNumber(r.survey_rows) ? r.survey_rows : app.state.calc.responseCount();
      const none = rows > 0 ? 'No answers in the survey.' : 'Needs survey data.';
      // Weights do not move these numbers: after a weight move there is nothing to write.
      const drawnFrom = JSON.stringify([F.locale, sat, rows, o.respondents, settings, app.page.csatScale()]);
      if (drawnFrom === satisfactionDrawnFrom) return;
      satisfactionDrawnFrom = drawnFrom;

      setMetric('respondents', rows, F.count(rows));
      setText($('respondents-note'), rows > 0
        ? 'survey rows loaded; ' + F.count(o.respondents) + ' answered every item'
        : 'No survey data: value comes from entered scores.');

      // NPS, with the interval's ends as their own outputs.
      const nps = sat.nps || {};
      const low = $('nps-ci-low');
      const high = $('nps-ci-high');
      if (F.isNumber(nps.nps) && nps.n > 0) {
        setMetric('nps', nps.nps, F.signed(nps.nps));
        if (F.isNumber(nps.ci_low) && F.isNumber(nps.ci_high)) {
          setMetric('nps-ci-low', nps.ci_low, F.signed(nps.ci_low));
          setMetric('nps-ci-high', nps.ci_high, F.signed(nps.ci_high));
          $('nps-ci').replaceChildren('95% CI ', low, ' to ', high, '\n' + nEquals(nps.n));
        } else {
          setMetric('nps-ci-low', null, '');
          setMetric('nps-ci-high', null, '');
          $('nps-ci').replaceChildren('No interval\n' + nEquals(nps.n), low, high);
        }
      } else {
        setMetric('nps', null, 'No data');
        setMetric('nps-ci-low', null, '');
        setMetric('nps-ci-high', null, '');
        $('nps-ci').replaceChildren(none, low, high);
      }

      // CSAT: the share at or above the satisfied cut (top-two-box by default).
      const csat = sat.csat || {};
      const scale = app.page.csatScale();
      const from = F.isNumber(csat.satisfied_from) ? csat.satisfied_from : settings.csat_satisfied_from;
      const boxes = from === scale.high - 1 ? ' (top-two-box)' : from === scale.high ? ' (top box)' : '';
      const definition = rangeText(from, scale.high) + ' on ' + scale.low + '\u2013' + scale.high;
      $('csat-def').textContent = '% who answer ' + definition + boxes + '; Wilson interval';
      $('csat-method').textContent = definition;
      if (F.isNumber(csat.percent) && csat.n > 0) {
        setMetric('csat', csat.percent, F.percent(csat.percent));
        $('csat-ci').textContent = intervalLines(csat, F.percent, 'No interval');
      } else {
        setMetric('csat', null, 'No data');
        $('csat-ci').textContent = none;
      }

      // CES: the mean is the headline; the share agreeing is stated next to it.
      const ces = sat.ces || {};
      const agree = ces.agreeing || {};
      const agreeFrom = F.isNumber(ces.agree_from) ? ces.agree_from : settings.ces_agree_from;
      $('ces-method').textContent = rangeText(agreeFrom, 7);
      if (F.isNumber(ces.mean) && ces.n > 0) {
        const two = (x) => F.number(x, 2);
        setMetric('ces', ces.mean, two(ces.mean));
        $('ces-ci').textContent = intervalLines(ces, two, 'No interval: ' + String(ces.no_interval_reason || 'too few answers'));
        $('ces-def').textContent = 'Mean shown, on 1\u20137 (higher = easier); t-interval. ' +
          (F.isNumber(agree.percent) && agree.n > 0
            ? 'Agreeing (' + rangeText(agreeFrom, 7) + '): ' + F.percent(agree.percent) +
              (F.isNumber(agree.ci_low) && F.isNumber(agree.ci_high)
                ? ' (95% CI ' + F.percent(agree.ci_low) + ' to ' + F.percent(agree.ci_high) + ')' : '') + '.'
            : '');
      } else {
        setMetric('ces', null, 'No data');
        $('ces-ci').textContent = none;
        $('ces-def').textContent = 'Mean on 1\u20137 and % agreeing (' + rangeText(agreeFrom, 7) + ').';
      }
    }

    // ---------------------------------------------------------------- segment table

    /** A table cell's shape: `text` in a `tag` element of class `cls`. */
    function cellShape(tag, text, cls) {
      return H(tag, cls ? { class: cls } : {}, text);
    }

    /** An estimate in a table cell (its shape): the value, then its 95% interval and n in small print. */
    function statShape(cls, value, estimate, format, showN) {
      if (!F.isNumber(value)) return cellShape('td', 'no data', 'num stat ' + cls + ' no-data');
      const td = H('td', { class: 'num stat ' + cls, 'data-value': String(value) });
      td.appendChild(cellShape('span', format(value), 'cell-value'));
      if (F.isNumber(estimate.ci_low) && F.isNumber(estimate.ci_high)) {
        td.appendChild(cellShape('span', format(estimate.ci_low) + ' to ' + format(estimate.ci_high), 'cell-ci'));
      }
      if (showN && estimate.n > 0) td.appendChild(cellShape('span', 'n = ' + F.count(estimate.n), 'cell-ci'));
      return td;
    }

    /** statShape as an element, for the business tables. */
    function statCell(cls, value, estimate, format, showN) {
      return Charts.node(statShape(cls, value, estimate, format, showN));
    }

    /** The NPS, CSAT and CES cells of a segment table row: estimate, interval, and n each. */
    function satisfactionCells(view) {
      const sat = view.satisfaction || {};
      const nps = sat.nps || {};
      const csat = sat.csat || {};
      const ces = sat.ces || {};
      return [
        statShape('sat sat-nps', nps.n > 0 ? nps.nps : null, nps, F.signed, true),
        statShape('sat sat-csat', csat.n > 0 ? csat.percent : null, csat, (x) => F.percent(x), true),
        statShape('sat sat-ces', ces.n > 0 ? ces.mean : null, ces, (x) => F.number(x, 2), true),
      ];
    }

    function viewRow(view, fmt, testid, className) {
      const tr = H('tr', Object.assign(className ? { class: className } : {}, { 'data-testid': testid, 'data-source': view.source }));
      tr.appendChild(H('th', { class: 'seg-name', scope: 'row' }, view.label || view.id));
      tr.appendChild(cellShape('td', view.group || F.MISSING));
      tr.appendChild(cellShape('td', SOURCE_WORDS[view.source] || String(view.source)));
      const survey = view.source === 'survey' || (view.source === 'none' && app.state.results.source === 'survey');
      const n = cellShape('td', survey ? F.count(view.respondents) : F.MISSING, 'num');
      if (survey && view.low_confidence === true && view.survey_rows > 0) {
        // Fewer than 30 respondents: intervals are wide and approximations rough. Said in words.
        const flag = H('span', { class: 'flag', 'data-testid': 'low-confidence' });
        flag.appendChild(cellShape('span', 'low confidence: '));
        flag.appendChild(cellShape('span', 'n < 30'));
        n.appendChild(H('br'));
        n.appendChild(flag);
      }
      tr.appendChild(n);
      tr.appendChild(cellShape('td', survey ? F.count(view.excluded_incomplete) : F.MISSING, 'num'));
      if (view.source === 'none' || !view.net_value) {
        tr.appendChild(H('td', { class: 'no-data', colspan: 4 }, sentence(view.no_data_reason || 'no data')));
      } else {
        tr.appendChild(cellShape('td', fmt.format(view.total_benefits), 'num'));
        tr.appendChild(cellShape('td', fmt.format(view.total_costs), 'num'));
        tr.appendChild(statShape('value-net', view.net_value.mean, view.net_value, fmt.format));
        tr.appendChild(statShape('value-index', view.value_index.mean, view.value_index, (x) => F.number(x, 1)));
      }
      for (const td of satisfactionCells(view)) tr.appendChild(td);
      return tr;
    }

    function renderSegments(fmt) {
      const results = app.state.results;
      const rows = [viewRow(results.overall, fmt, 'overall-row', 'overall')];
      for (const view of results.segments) rows.push(viewRow(view, fmt, 'segment-row-' + view.id));
      Charts.drawRows($('segment-table').tBodies[0], rows);
      setHidden($('segments-empty'), results.segments.length > 0);
    }

    return { render, unitFormatter, statCell };
  };
})();
