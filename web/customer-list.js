/*
 * The customer list: every customer of the table with their own results, a page at a time from
 * calc.customers(offset, count): segments, revenue, cost to serve, contribution, CLV (or why there
 * is none), health and its band, satisfaction (marked when it came from the survey), quadrant of
 * the map (or not placed), and whether they churned. Read only.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});
  const F = window.CvcFormat;
  const { $, cell, pager, showPager, lastPageStart } = CVC.dom;

  const PAGE = 25;
  const PAGER = { prev: 'customer-prev', next: 'customer-next', size: PAGE };
  let offset = 0; // first customer on the page
  const money = (x) => CVC.page.money(x);

  function reset() {
    offset = 0;
  }

  /** A number cell with its unrounded value in data-value and what it is in data-key. */
  function amountCell(key, value, text) {
    const td = cell('td', '', 'num');
    td.dataset.key = key;
    if (F.isNumber(value)) td.dataset.value = String(value);
    td.appendChild(cell('span', text, 'cell-value'));
    return td;
  }

  function withNote(td, note) {
    if (note) td.appendChild(cell('span', note, 'cell-ci'));
    return td;
  }

  function customerRow(c, b) {
    const tr = document.createElement('tr');
    tr.dataset.id = String(c.id);
    tr.dataset.quadrant = String(c.quadrant);
    const th = cell('th', String(c.id));
    th.scope = 'row';
    tr.appendChild(th);
    tr.appendChild(cell('td', (c.segments || []).map(String).join(', ') || F.MISSING, 'cust-segments'));
    tr.appendChild(amountCell('revenue', c.revenue, money(c.revenue)));
    tr.appendChild(amountCell('cost_to_serve', c.cost_to_serve, money(c.cost_to_serve)));
    tr.appendChild(amountCell('contribution', c.contribution, money(c.contribution)));

    const clv = c.clv || {};
    const clvCell = CVC.business.outcomeCell(clv);
    clvCell.dataset.key = 'clv';
    if (F.isNumber(clv.value) && c.churned) withNote(clvCell, 'value to date');
    tr.appendChild(clvCell);

    const band = CVC.business.healthBand(c.health, b.settings.bands);
    const health = amountCell('health', c.health, F.isNumber(c.health) ? F.number(c.health, 0) : F.MISSING);
    if (band) {
      health.dataset.band = band;
      const note = cell('span', '', 'cell-ci health-band');
      const swatch = document.createElement('span');
      swatch.className = 'legend-swatch swatch-health-' + band;
      swatch.setAttribute('aria-hidden', 'true');
      note.append(swatch, band);
      health.appendChild(note);
    }
    tr.appendChild(health);

    const satisfaction = amountCell('satisfaction', c.satisfaction,
      F.isNumber(c.satisfaction) ? F.inputText(c.satisfaction) : F.MISSING);
    if (F.isNumber(c.satisfaction) && c.satisfaction_from_survey) {
      satisfaction.dataset.fromSurvey = 'true';
      withNote(satisfaction, 'from survey');
    }
    tr.appendChild(satisfaction);

    const names = CVC.business.QUADRANT_NAMES;
    tr.appendChild(cell('td', names[c.quadrant] || (c.quadrant === 'unplaced' ? 'Not on the map' : String(c.quadrant)),
      'quadrant q-' + String(c.quadrant).replace(/_/g, '-')));

    const status = cell('td', '', 'status');
    status.dataset.key = 'churned';
    status.dataset.value = String(Boolean(c.churned));
    status.appendChild(cell('span', c.churned ? 'Churned' : 'Active', 'cell-value'));
    const notes = [];
    if (F.isNumber(c.tenure_months)) notes.push(F.number(c.tenure_months, 0) + ' months');
    if (c.payment_status && c.payment_status !== 'current') notes.push('payment ' + c.payment_status);
    withNote(status, notes.join(', '));
    tr.appendChild(status);
    return tr;
  }

  /** The current page of customers; called with every business render. */
  function render() {
    const b = CVC.state.business;
    if (!b) return;
    const axis = CVC.business.satisfactionAxis(b.settings);
    $('customer-view-sat').textContent = axis.name + ' ';
    $('customer-view-sat').appendChild(cell('span', 'answer', 'th-sub'));
    const total = b.customers;
    if (offset >= total) offset = lastPageStart(total, PAGE);
    const data = total > 0 ? CVC.state.calc.customers(offset, PAGE) : { customers: 0, offset: 0, page: [] };
    $('customer-view').tBodies[0].replaceChildren(...data.page.map((c) => customerRow(c, b)));
    const unplaced = b.quadrants.unplaced.customers;
    $('customer-range').textContent = total === 0
      ? 'No customer table yet: import a CSV file, or reload the sample customers.'
      : 'Customers ' + F.count(offset + 1) + '\u2013' + F.count(offset + data.page.length) + ' of ' + F.count(total) + '.' +
        (unplaced > 0 ? ' ' + F.count(unplaced) + (unplaced === 1 ? ' is' : ' are') + ' not on the map: no ' +
          axis.name + ' answer (in the table or the survey), or no value.' : '');
    $('customer-view-scroll').hidden = total === 0;
    showPager(PAGER, offset, data.page.length, total);
    $('customer-clear').hidden = total === 0;
  }

  function bind() {
    pager(Object.assign({
      count: () => (CVC.state.business ? CVC.state.business.customers : 0),
      get: () => offset,
      set: (value) => { offset = value; },
      render,
    }, PAGER));
  }

  CVC.customerList = { bind, render, reset };
})();
