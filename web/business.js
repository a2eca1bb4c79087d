/*
 * Business value from the customer table: render() asks for calc.businessResults() and renders
 * all of it (metrics, the satisfaction-versus-value map and its quadrants, the satisfied-but-
 * eroding list and its CSV export, per segment, health, MRR movements, the survey join, the
 * customer list) whenever the table, the business settings, the survey or the model changed
 * (not on weight moves, which do not affect it).
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const Charts = window.CvcCharts;

  (CVC.modules = CVC.modules || {}).business = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, tableRow, sentence, plural, setMetric, downloadText, csvCell, announce, lastPageStart } = app.dom;

    const PAGE = 25; // eroding customers per page
    const QUADRANT_NAMES = {
      satisfied_valuable: 'Satisfied and valuable',
      satisfied_eroding: 'Satisfied but value-eroding',
      valuable_at_risk: 'Valuable but at risk',
      neither: 'Neither',
    };
    // In reading order of the 2 × 2 grid: top row valuable, right column satisfied.
    const QUADRANT_ORDER = ['valuable_at_risk', 'satisfied_valuable', 'neither', 'satisfied_eroding'];

    const view = {
      source: '', // where the customer table came from, in words
      erodingOffset: 0, // first customer on the eroding-list page
    };
    const money = (x) => app.page.money(x);

    // ---------------------------------------------------------------- words for results

    /** A fraction as a percentage with enough digits to read a small rate: 0.0049 → "0.49%". */
    function fractionPercent(x) {
      if (!F.isNumber(x)) return F.MISSING;
      const p = 100 * x;
      return F.percent(p, Math.abs(p) < 1 && p !== 0 ? 2 : 1);
    }
    function perPeriod(period) {
      return 'per ' + (period === 'year' ? 'year' : 'month');
    }
    /** An outcome {value, reason}: is it unbounded (as opposed to missing)? */
    function unbounded(outcome) {
      return Boolean(outcome) && !F.isNumber(outcome.value) && /^unbounded/i.test(String(outcome.reason || ''));
    }
    function outcomeWords(outcome) {
      return sentence(String((outcome && outcome.reason) || 'no data')) + '.';
    }
    function satisfactionAxis(settings) {
      if (settings.satisfaction === 'csat') {
        const s = app.page.csatScale();
        return { name: 'CSAT', low: s.low, high: s.high, title: 'CSAT answer (' + s.low + '\u2013' + s.high + ')' };
      }
      return { name: 'NPS', low: 0, high: 10, title: 'NPS answer (0\u201310)' };
    }
    function valueAxisName(settings, period) {
      return settings.value === 'clv' ? 'CLV' : 'Contribution ' + perPeriod(period);
    }
    /** A health score's band: red up to red_max, yellow up to yellow_max, green above. */
    function healthBand(health, bands) {
      if (!F.isNumber(health)) return '';
      return health <= bands.red_max ? 'red' : health <= bands.yellow_max ? 'yellow' : 'green';
    }

    // ---------------------------------------------------------------- render

    /** A new customer table (or none): lists start at their first page. */
    function tableReplaced(source) {
      view.source = source;
      view.erodingOffset = 0;
      app.customerList.reset();
    }

    /** The customer table, the settings, the survey or the model changed: render every business output. */
    function render() {
      const calc = app.state.calc;
      if (!calc || !app.state.model) return;
      const b = calc.businessResults();
      if (!b) return;
      app.state.business = b;
      app.keep.changed(); // the customer table or its settings changed: autosaved after a pause
      renderSource(b);
      renderMetrics(b);
      renderQuadrants(b);
      renderEroding(b);
      renderSegments(b);
      renderMrr(b);
      renderSurveyJoin(b);
      app.customerList.render();
      renderCharts();
    }

    /** After a resize: redraw the charts at the next animation frame. */
    const scheduleCharts = app.dom.perFrame(renderCharts);

    function renderCharts() {
      const b = app.state.business;
      if (!b) return;
      renderValueMap(b);
      renderHealthChart(b);
    }

    function renderSource(b) {
      const text = $('customer-source');
      text.closest('.source-bar').dataset.source = b.customers > 0 ? 'survey' : 'none';
      if (b.customers === 0) {
        text.textContent = 'No customer table: import one to see contribution, churn, CLV, health and the map. ' +
          'The quick calculators below work without one.';
      } else {
        const dated = F.isNumber(b.overall.exposure_months) && b.overall.exposure_months > 0;
        text.textContent = 'Customer table: ' + plural(b.customers, 'customer') +
          (view.source ? ' from ' + view.source : '') + '; revenue and contribution ' + perPeriod(b.period) +
          (dated && b.as_of ? '; tenure as of ' + F.date(b.as_of) : '') + '.';
      }
      for (const node of app.all('.biz-period')) node.textContent = perPeriod(b.period);
      for (const node of app.all('.currency-code')) node.textContent = app.page.currencyCode();
    }

    function renderMetrics(b) {
      const o = b.overall;
      const period = perPeriod(b.period);
      $('contribution-period').textContent = period;
      $('revenue-period').textContent = period;
      if (b.customers === 0) {
        for (const id of ['contribution-total', 'revenue-total', 'churn-rate', 'clv', 'quadrant-satisfied-eroding', 'nrr', 'grr']) {
          setMetric(id, null, 'No data');
        }
        $('contribution-mean').textContent = 'Needs a customer table.';
        $('revenue-note').textContent = '';
        $('churn-note').textContent = 'Needs a customer table with start dates.';
        $('clv-note').textContent = 'Needs a customer table.';
        $('eroding-note').textContent = 'Needs a customer table with NPS or CSAT.';
        $('nrr-note').textContent = 'Needs a customer table with MRR for two months or more.';
        $('grr-note').textContent = '';
        return;
      }
      setMetric('contribution-total', o.contribution_total, money(o.contribution_total));
      const c = o.contribution;
      $('contribution-mean').textContent = F.isNumber(c.mean)
        ? 'Mean ' + money(c.mean) + ' per customer ' + period +
          (F.isNumber(c.ci_low) && F.isNumber(c.ci_high)
            ? ' (95% CI ' + money(c.ci_low) + ' to ' + money(c.ci_high) + ', n = ' + F.count(c.n) + ').'
            : '; no interval: ' + String(c.no_interval_reason || 'too few customers') + '.')
        : 'No contribution: ' + String(c.no_interval_reason || 'no revenue') + '.';
      setMetric('revenue-total', o.revenue, money(o.revenue));
      $('revenue-note').textContent = plural(o.customers, 'customer') +
        (b.mrr_columns && b.mrr_columns.length ? '; from MRR (' + b.mrr_columns.length + ' month' +
          (b.mrr_columns.length === 1 ? '' : 's') + ')' : '') + '.';

      const churn = o.monthly_churn;
      if (F.isNumber(churn.value)) {
        setMetric('churn-rate', churn.value, fractionPercent(churn.value) + ' per month');
        $('churn-note').textContent = F.count(o.churned) + ' churned over ' + F.number(o.exposure_months, 0) +
          ' customer-months observed' + (b.as_of ? ', as of ' + F.date(b.as_of) : '') + '.';
      } else {
        setMetric('churn-rate', null, 'Not available');
        $('churn-note').textContent = outcomeWords(churn);
      }

      const clv = o.clv_mean;
      if (F.isNumber(clv.value)) {
        setMetric('clv', clv.value, money(clv.value));
        $('clv-note').textContent = 'Monthly contribution \u00d7 (months so far + 1 \u00f7 monthly churn); ' +
          'value to date for churned customers.';
      } else {
        setMetric('clv', null, unbounded(clv) ? 'Unbounded' : 'Not available');
        $('clv-note').textContent = outcomeWords(clv);
      }

      const q = b.quadrants.satisfied_eroding;
      setMetric('quadrant-satisfied-eroding', q.customers, plural(q.customers, 'customer'));
      $('eroding-note').textContent = q.customers > 0
        ? money(q.revenue) + ' revenue ' + period + ', contribution ' + money(q.contribution) + '.'
        : 'None: no satisfied customer is below the value threshold.';

      const m = b.mrr;
      const columns = b.mrr_columns || [];
      const between = columns.length >= 2
        ? 'MRR ' + columns[columns.length - 2] + ' \u2192 ' + columns[columns.length - 1] : '';
      for (const [id, key, what] of [['nrr', 'nrr', 'expansion \u2212 contraction \u2212 churn'], ['grr', 'grr', 'contraction and churn only']]) {
        const outcome = m ? m[key] : null;
        if (outcome && F.isNumber(outcome.value)) {
          setMetric(id, outcome.value, fractionPercent(outcome.value));
          $(id + '-note').textContent = between + ' (one month to the next); ' + what + '.';
        } else {
          setMetric(id, null, m ? 'Not available' : 'No MRR');
          $(id + '-note').textContent = m ? outcomeWords(outcome)
            : 'Needs MRR for two months or more (columns like \u201cMRR 2026-10\u201d, \u201cMRR 2026-11\u201d).';
        }
      }
    }

    function renderQuadrants(b) {
      const period = perPeriod(b.period);
      const axis = satisfactionAxis(b.settings);
      const where = {
        satisfied_valuable: 'satisfied, valuable',
        satisfied_eroding: 'satisfied, below the value threshold',
        valuable_at_risk: 'not satisfied, valuable',
        neither: 'not satisfied, below the value threshold',
      };
      $('quadrant-grid').replaceChildren(...QUADRANT_ORDER.map((key) => {
        const q = b.quadrants[key];
        const li = document.createElement('li');
        li.className = 'quadrant-card q-' + key.replace(/_/g, '-');
        li.dataset.testid = 'quadrant-card-' + key.replace(/_/g, '-');
        li.dataset.value = String(q.customers);
        const name = cell('p', '', 'quadrant-name');
        const swatch = document.createElement('span');
        swatch.className = 'legend-swatch swatch-q-' + key.replace(/_/g, '-');
        swatch.setAttribute('aria-hidden', 'true');
        name.append(swatch, QUADRANT_NAMES[key]);
        li.append(name,
          cell('p', plural(q.customers, 'customer'), 'quadrant-count'),
          cell('p', money(q.revenue) + ' revenue ' + period + '; contribution ' + money(q.contribution), 'quadrant-detail'));
        return li;
      }));
      const unplaced = b.quadrants.unplaced;
      $('map-unplaced').textContent = b.customers === 0 ? ''
        : (unplaced.customers > 0
          ? F.count(unplaced.customers) + ' customer' + (unplaced.customers === 1 ? ' is' : 's are') +
            ' not on the map: no ' + axis.name + ' answer (in the table or the survey), or no value. '
          : 'Every customer is on the map. ') +
          (b.points_sampled ? 'The map shows a sample of ' + F.count(b.points.length) + ' customers; the counts are for all.' : '');
      $('quadrant-revenue-head').textContent = 'Revenue ' + period;
      $('quadrant-contribution-head').textContent = 'Contribution ' + period;
      const rows = QUADRANT_ORDER.concat('unplaced').map((key) => {
        const q = b.quadrants[key];
        return tableRow([[key === 'unplaced' ? 'Not placed' : QUADRANT_NAMES[key]],
          [key === 'unplaced' ? 'no ' + axis.name + ' answer, or no value' : where[key]],
          [F.count(q.customers), 'num'], [money(q.revenue), 'num'], [money(q.contribution), 'num']]);
      });
      $('quadrant-table').tBodies[0].replaceChildren(...(b.customers > 0 ? rows : []));
    }

    function renderValueMap(b) {
      const settings = b.settings;
      const axis = satisfactionAxis(settings);
      const period = perPeriod(b.period);
      const satisfiedFrom = settings.satisfied_from;
      const xLine = Math.min(Math.max(Math.ceil(satisfiedFrom) - 0.5, axis.low - 0.5), axis.high + 0.5);
      $('map-subtitle').textContent = 'Each dot is a customer: ' + axis.name + ' answer across, ' +
        (settings.value === 'clv' ? 'CLV' : 'contribution ' + period) + ' up. Satisfied from ' + axis.name + ' ' +
        F.decimal(satisfiedFrom) + '; valuable from ' + money(settings.valuable_from) + '. Dots with the same answer ' +
        'are spread a little sideways so they do not hide each other.';
      const quadrants = {};
      for (const key of QUADRANT_ORDER) {
        const q = b.quadrants[key];
        quadrants[key] = { name: QUADRANT_NAMES[key], detail: F.count(q.customers) + ' \u00b7 ' + money(q.revenue) + ' revenue' };
      }
      const q = b.quadrants;
      const placed = QUADRANT_ORDER.reduce((n, key) => n + q[key].customers, 0);
      Charts.valueMap($('value-map-chart'), {
        points: b.points.filter((p) => F.isNumber(p.x) && F.isNumber(p.y)),
        xLow: axis.low, xHigh: axis.high, xLine, yLine: settings.valuable_from, jitter: true,
        quadrants, formatX: (x) => F.decimal(x), formatY: money,
        xTitle: axis.title, yTitle: valueAxisName(settings, b.period),
        xLineLabel: 'satisfied from ' + F.decimal(satisfiedFrom),
        yLineLabel: 'valuable from ' + money(settings.valuable_from),
        emptyMessage: b.customers === 0
          ? 'No customer table: import one to see who is satisfied and who is valuable.'
          : 'No customer can be placed: the map needs an ' + axis.name + ' answer (in the table, or in the survey for ' +
            'a matching id) and a value.',
        summary: {
          title: 'Satisfaction versus value: ' + F.count(placed) + ' customers',
          desc: placed > 0
            ? QUADRANT_ORDER.map((key) => QUADRANT_NAMES[key] + ': ' + F.count(q[key].customers) + ' customers, ' +
              money(q[key].revenue) + ' revenue ' + period).join('. ') + '.'
            : 'No data.',
        },
      });
    }

    // ---------------------------------------------------------------- the eroding list

    function renderEroding(b) {
      const settings = b.settings;
      const axis = satisfactionAxis(settings);
      const period = perPeriod(b.period);
      const list = b.eroding;
      const count = b.eroding_count;
      const q = b.quadrants.satisfied_eroding;
      $('eroding-sat-head').textContent = axis.name;
      $('eroding-revenue-head').textContent = 'Revenue ' + period;
      const summary = $('eroding-summary');
      if (b.customers === 0) summary.textContent = 'Needs a customer table.';
      else if (count === 0) {
        summary.textContent = 'No customer is satisfied (' + axis.name + ' ' + F.decimal(settings.satisfied_from) +
          ' or more) yet below the value threshold (' + valueAxisName(settings, b.period).toLowerCase() + ' under ' +
          money(settings.valuable_from) + ').';
      } else {
        summary.textContent = F.count(count) + ' customer' + (count === 1 ? ' is' : 's are') + ' satisfied (' + axis.name +
          ' ' + F.decimal(settings.satisfied_from) + ' or more) but ' + (count === 1 ? 'brings' : 'bring') + ' less than ' +
          money(settings.valuable_from) + ' ' + (settings.value === 'clv' ? 'CLV' : 'contribution ' + period) + ': ' +
          money(q.revenue) + ' revenue and ' + money(q.contribution) + ' contribution ' + period + ' together.' +
          (count > list.length ? ' The first ' + F.count(list.length) + ' are listed and exported.' : '');
      }
      if (view.erodingOffset >= list.length) view.erodingOffset = lastPageStart(list.length, PAGE);
      const page = list.slice(view.erodingOffset, view.erodingOffset + PAGE);
      $('eroding-table').tBodies[0].replaceChildren(...page.map((e) => {
        const tr = tableRow([
          [String(e.id)], [(e.segments || []).map(String).join(', ') || F.MISSING],
          [F.decimal(e.satisfaction), 'num'],
          [money(e.revenue), 'num'], [money(e.cost_to_serve), 'num'], [money(e.contribution), 'num'],
          [money(e.clv), 'num'], [F.isNumber(e.health) ? F.number(e.health, 0) : F.MISSING, 'num'],
        ]);
        tr.dataset.id = String(e.id);
        return tr;
      }));
      $('eroding-scroll').hidden = list.length === 0;
      $('eroding-export').hidden = list.length === 0;
      const last = view.erodingOffset + page.length;
      $('eroding-pager').hidden = list.length <= PAGE;
      $('eroding-range').textContent = list.length > PAGE
        ? 'Customers ' + F.count(view.erodingOffset + 1) + '\u2013' + F.count(last) + ' of ' + F.count(list.length) : '';
      $('eroding-prev').disabled = view.erodingOffset === 0;
      $('eroding-next').disabled = last >= list.length;
    }

    function exportEroding() {
      const b = app.state.business;
      if (!b || !b.eroding.length) return;
      const axis = satisfactionAxis(b.settings);
      const period = b.period === 'year' ? 'year' : 'month';
      const header = ['customer_id', 'segments', axis.name.toLowerCase(), 'revenue_per_' + period,
        'cost_to_serve_per_' + period, 'contribution_per_' + period, 'clv', 'health'];
      const lines = [header.join(',')];
      for (const e of b.eroding) {
        lines.push([e.id, (e.segments || []).join('; '), e.satisfaction, e.revenue, e.cost_to_serve, e.contribution, e.clv,
          e.health].map((v) => csvCell(v === null ? null : typeof v === 'number' ? v : String(v))).join(','));
      }
      // The byte-order mark makes spreadsheet programs read the file as UTF-8.
      downloadText('\uFEFF' + lines.join('\r\n') + '\r\n', 'text/csv', 'satisfied-but-value-eroding-customers.csv');
      announce('Exported ' + b.eroding.length + ' satisfied but value-eroding customers as CSV.');
    }

    // ---------------------------------------------------------------- per segment, health, MRR, join

    function segmentRow(g, testid) {
      const tr = document.createElement('tr');
      tr.dataset.testid = testid;
      const th = document.createElement('th');
      th.scope = 'row';
      th.className = 'seg-name';
      th.appendChild(cell('span', g.label || 'All customers', 'cell-value'));
      if (g.group) th.appendChild(cell('span', g.group, 'cell-ci'));
      tr.appendChild(th);
      tr.appendChild(cell('td', F.count(g.customers), 'num'));
      tr.appendChild(cell('td', money(g.revenue), 'num'));
      tr.appendChild(cell('td', money(g.contribution_total), 'num'));
      const c = g.contribution;
      tr.appendChild(app.results.statCell('biz-mean', c.mean, c, money, false));
      const churn = g.monthly_churn;
      const churnCell = F.isNumber(churn.value) ? cell('td', '', 'num')
        : cell('td', outcomeWords(churn), 'num no-data wrap');
      if (F.isNumber(churn.value)) {
        churnCell.dataset.value = String(churn.value);
        churnCell.append(cell('span', fractionPercent(churn.value), 'cell-value'),
          cell('span', F.count(g.churned) + ' churned', 'cell-ci'));
      }
      tr.appendChild(churnCell);
      tr.appendChild(outcomeCell(g.clv_mean));
      const h = g.health;
      tr.appendChild(cell('td', F.count(h.red) + ' / ' + F.count(h.yellow) + ' / ' + F.count(h.green), 'num'));
      tr.appendChild(cell('td', F.count(g.quadrants.satisfied_eroding), 'num'));
      return tr;
    }

    /** An amount that may not exist ({value, reason}): the amount, or the reason in words. */
    function outcomeCell(outcome) {
      if (!F.isNumber(outcome.value)) return cell('td', outcomeWords(outcome), 'num no-data wrap');
      const td = cell('td', money(outcome.value), 'num');
      td.dataset.value = String(outcome.value);
      return td;
    }

    function renderSegments(b) {
      const rows = b.customers > 0 ? [segmentRow(b.overall, 'biz-overall-row')] : [];
      if (rows.length) {
        rows[0].classList.add('overall');
        for (const g of b.segments) rows.push(segmentRow(g, 'biz-segment-row-' + g.id));
      }
      $('biz-segment-table').tBodies[0].replaceChildren(...rows);
    }

    function renderHealthChart(b) {
      const s = b.settings;
      $('health-subtitle').textContent = 'Share of customers in each health band: red up to ' + F.decimal(s.bands.red_max) +
        ', yellow up to ' + F.decimal(s.bands.yellow_max) + ', green above (of 100). Customers without any health measure are left out.';
      const views = b.customers > 0 ? [b.overall].concat(b.segments) : [];
      const rows = views.map((g) => ({
        label: (g.label || 'All customers') + (g.group ? ' (' + g.group + ')' : ''),
        red: g.health.red, yellow: g.health.yellow, green: g.health.green,
      }));
      const o = rows[0];
      Charts.healthChart($('health-chart'), {
        rows, numbers: F,
        emptyMessage: b.customers > 0 ? 'No customer has a health measure (usage, NPS, CSAT, support load, revenue growth or payment).'
          : 'No customer table: import one to see health per segment.',
        summary: {
          title: 'Customer health bands per segment',
          desc: o ? 'All customers: ' + F.count(o.red) + ' red, ' + F.count(o.yellow) + ' yellow, ' + F.count(o.green) +
            ' green.' : 'No data.',
        },
      });
      // The chart's data as a table: customers per band, with the share of those with a score.
      const band = (count, total) => [F.count(count) + (total > 0 ? ' (' + F.percent((100 * count) / total) + ')' : ''), 'num'];
      $('health-table').tBodies[0].replaceChildren(...rows.map((row) => {
        const total = row.red + row.yellow + row.green;
        return tableRow(total > 0
          ? [[row.label], band(row.red, total), band(row.yellow, total), band(row.green, total), [F.count(total), 'num']]
          : [[row.label], ['no health scores', 'no-data'], [''], [''], [F.count(0), 'num']]);
      }));
    }

    function renderMrr(b) {
      const m = b.mrr;
      const columns = b.mrr_columns || [];
      const summary = $('mrr-summary');
      $('mrr-scroll').hidden = !m;
      if (!m) {
        summary.textContent = b.customers === 0 ? 'Needs a customer table with MRR columns.'
          : columns.length === 1
            ? 'The customer table has one MRR column (' + columns[0] + '); movements need two months or more.'
            : 'The customer table has no MRR columns: movements, NRR and GRR need MRR for two months or more ' +
              '(columns like \u201cMRR 2026-10\u201d and \u201cMRR 2026-11\u201d, oldest first).';
        $('mrr-table').tBodies[0].replaceChildren();
        return;
      }
      const from = columns[columns.length - 2];
      const to = columns[columns.length - 1];
      summary.textContent = 'From MRR ' + from + ' to MRR ' + to + ' (the last two of ' + columns.length + ' MRR columns): ' +
        money(m.mrr_start) + ' \u2192 ' + money(m.mrr_end) + ' a month. ' + F.count(m.customers_new) + ' new, ' +
        F.count(m.customers_reactivated) + ' reactivated, ' + F.count(m.customers_churned) + ' churned customer' +
        (m.customers_churned === 1 ? '' : 's') + '.';
      const ratio = (o, format) => F.isNumber(o.value) ? format(o.value) : outcomeWords(o);
      const rows = [
        ['New', money(m.new), 'MRR of customers who had none before and were never customers'],
        ['Expansion', money(m.expansion), 'increases from customers present at the start'],
        ['Contraction', money(m.contraction), 'decreases that stay above 0'],
        ['Churn', money(m.churn), 'MRR of customers who went to 0'],
        ['Reactivation', money(m.reactivation), 'MRR of former customers who came back'],
        ['Net new MRR', money(m.net_new), 'new + expansion + reactivation \u2212 contraction \u2212 churn'],
        ['NRR, per month', ratio(m.nrr, fractionPercent), '(start + expansion \u2212 contraction \u2212 churn) \u00f7 start'],
        ['GRR, per month', ratio(m.grr, fractionPercent), '(start \u2212 contraction \u2212 churn) \u00f7 start'],
        ['Quick ratio', ratio(m.quick_ratio, (x) => F.number(x, 2)), '(new + expansion) \u00f7 (churn + contraction)'],
      ];
      $('mrr-table').tBodies[0].replaceChildren(...rows.map(([name, amount, definition]) =>
        tableRow([[name], [amount, 'num'], [definition]])));
    }

    /** "12 customer ids have no survey respondent", with the ids behind a disclosure. */
    function joinList(count, ids, testid, one, many, none) {
      const p = document.createElement('div');
      p.className = 'join-list';
      p.dataset.testid = testid;
      p.dataset.value = String(count);
      if (count === 0) {
        p.textContent = none;
        return p;
      }
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = F.count(count) + ' ' + (count === 1 ? one : many);
      details.appendChild(summary);
      const shown = ids.map(String);
      details.appendChild(cell('p', shown.join(', ') + (count > shown.length ? ' \u2026 and ' + F.count(count - shown.length) +
        ' more.' : '.'), 'join-ids'));
      p.appendChild(details);
      return p;
    }

    function renderSurveyJoin(b) {
      const box = $('survey-join');
      const j = b.survey_join;
      const respondents = app.state.calc.responseCount();
      if (b.customers === 0) {
        box.replaceChildren();
        box.hidden = true;
        return;
      }
      box.hidden = false;
      const head = cell('p', '', 'join-summary');
      if (respondents === 0) {
        head.textContent = 'Survey join: no survey data is loaded, so satisfaction comes from the customer table only.';
        box.replaceChildren(head);
        return;
      }
      const matched = document.createElement('strong');
      matched.dataset.testid = 'join-matched';
      matched.dataset.value = String(j.matched);
      matched.textContent = F.count(j.matched) + ' of ' + F.count(b.customers);
      head.append('Survey join by id: ', matched, ' customers match a survey respondent (of ' + F.count(respondents) +
        '); a customer without NPS or CSAT in the table takes the survey\u2019s answer.');
      box.replaceChildren(head,
        joinList(j.unmatched_customer_count, j.unmatched_customers, 'join-unmatched-customers',
          'customer id has no survey respondent', 'customer ids have no survey respondent',
          'Every customer id has a survey respondent.'),
        joinList(j.unmatched_respondent_count, j.unmatched_respondents, 'join-unmatched-respondents',
          'respondent id has no customer row', 'respondent ids have no customer row',
          'Every survey respondent has a customer row.'));
    }

    function bind() {
      app.dom.pager({
        prev: 'eroding-prev', next: 'eroding-next', size: PAGE,
        count: () => (app.state.business ? app.state.business.eroding.length : 0),
        get: () => view.erodingOffset,
        set: (offset) => { view.erodingOffset = offset; },
        render: () => renderEroding(app.state.business),
      });
      $('eroding-export').addEventListener('click', exportEroding);
    }

    return {
      bind, render, scheduleCharts, tableReplaced,
      QUADRANT_NAMES, perPeriod, fractionPercent, outcomeCell, satisfactionAxis, healthBand,
    };
  };
})();
