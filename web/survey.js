/*
 * Survey data: the sample survey, and the respondent grid. The grid shows one page of
 * calc.responses(); a cell edit calls calc.replaceResponse() and recomputes without rebuilding
 * the grid (focus stays put). Pasted cells and dropped files go to the import (survey-import.js).
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).survey = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, messageOf, announce, pager, showPager, lastPageStart, bindFileDrop, guardStrayDrop } = app.dom;

    const GRID_PAGE = 25; // respondents per grid page
    const PAGER = { prev: 'grid-prev', next: 'grid-next', size: GRID_PAGE };
    const grid = {
      offset: 0, // first row on the grid page (0-based)
      data: null, // calc.responses(offset, GRID_PAGE)
      columns: [], // gridColumns()
      errors: new Map(), // 'row:column' → message, for cells whose last edit was refused
    };
    const calc = () => app.state.calc;

    // ---------------------------------------------------------------- the sample survey

    /** Does the built-in sample survey fit this model (same items, known segments)? */
    function sampleFits(model) {
      const survey = app.samples.survey;
      if (!survey || !model) return false;
      const items = new Set(model.items.map((i) => i.id));
      const segments = new Set(model.segments.map((s) => s.id));
      return survey.item_ids.length === items.size && survey.item_ids.every((id) => items.has(id)) &&
        survey.segment_ids.every((id) => segments.has(id));
    }

    function surveyRecords(survey) {
      return survey.rows.map((row) => {
        const answers = {};
        survey.item_ids.forEach((id, j) => {
          answers[id] = row.answers[j];
        });
        return { id: row.id, segments: row.segments, answers, nps: row.nps, csat: row.csat, ces: row.ces };
      });
    }

    /** Loads the sample survey into the calculator. Returns true when it was applied. */
    function applySample(quiet) {
      try {
        calc().setResponseRecords(surveyRecords(app.samples.survey));
        return true;
      } catch (e) {
        if (!quiet) app.modelPanel.showError('The sample survey does not fit this model: ' + messageOf(e));
        return false;
      }
    }

    // ---------------------------------------------------------------- the grid

    /** The grid page that holds respondent `row` (0-based) is shown at the next render. */
    function showRow(row) {
      grid.offset = Math.floor(row / GRID_PAGE) * GRID_PAGE;
    }

    /**
     * The grid's columns in order: id, one per segment group (a segment without a group is its
     * own column, as in the template CSV), NPS, CSAT, CES, one per item.
     */
    function gridColumns() {
      const model = app.state.model;
      const columns = [{ key: 'id', kind: 'id', name: 'Respondent id', head: 'Id', sub: 'respondent', header: 'respondent_id' }];
      const groups = [];
      for (const s of model.segments) {
        let group = s.group ? groups.find((g) => g.grouped && g.name === s.group) : null;
        if (!group) {
          group = { name: s.group || s.label, grouped: Boolean(s.group), segments: [] };
          groups.push(group);
        }
        group.segments.push(s);
      }
      groups.forEach((g, i) => columns.push({
        key: 'group-' + i, kind: 'group', name: 'segment (' + g.name + ')', head: g.name,
        sub: 'segment', header: 'segment:' + g.name, group: g.name, segments: g.segments,
      }));
      const csat = app.page.csatScale();
      columns.push(
        { key: 'nps', kind: 'metric', metric: 'nps', name: 'NPS', head: 'NPS', sub: '0\u201310', header: 'nps' },
        { key: 'csat', kind: 'metric', metric: 'csat', name: 'CSAT', head: 'CSAT',
          sub: csat.low + '\u2013' + csat.high, header: 'csat' },
        { key: 'ces', kind: 'metric', metric: 'ces', name: 'CES', head: 'CES', sub: '1\u20137', header: 'ces' });
      for (const item of model.items) {
        const bounds = F.scaleBounds(item);
        columns.push({
          key: 'item-' + item.id, kind: 'item', item, name: item.label, head: item.label,
          sub: item.side + ' \u00b7 ' + (bounds.high === null ? 'amount' : bounds.low + '\u2013' + bounds.high),
          header: item.side + ':' + item.label,
        });
      }
      return columns;
    }

    function rowName(entry) {
      return 'Row ' + (entry.row + 1) + (entry.id ? ' (' + entry.id + ')' : '');
    }

    /** A cell's stored value: a string for id, a segment id ('' for none), a number or null. */
    function cellValue(entry, column) {
      if (column.kind === 'id') return entry.id || '';
      if (column.kind === 'group') {
        const ids = new Set(column.segments.map((s) => s.id));
        return entry.segments.find((id) => ids.has(id)) || '';
      }
      if (column.kind === 'metric') return F.isNumber(entry[column.metric]) ? entry[column.metric] : null;
      const j = grid.data.item_ids.indexOf(column.item.id);
      const value = j >= 0 ? entry.answers[j] : null;
      return F.isNumber(value) ? value : null;
    }

    function cellText(value) {
      return typeof value === 'number' ? F.inputText(value) : String(value === null ? '' : value);
    }

    /** The respondent as a record for replaceResponse, with one cell changed. */
    function recordWith(entry, column, value) {
      const answers = {};
      grid.data.item_ids.forEach((id, j) => {
        answers[id] = F.isNumber(entry.answers[j]) ? entry.answers[j] : null;
      });
      const record = {
        id: entry.id || '', segments: entry.segments.slice(), answers,
        nps: entry.nps, csat: entry.csat, ces: entry.ces,
      };
      if (column.kind === 'id') record.id = value;
      else if (column.kind === 'group') {
        const ids = new Set(column.segments.map((s) => s.id));
        record.segments = record.segments.filter((id) => !ids.has(id));
        if (value) record.segments.push(value);
      } else if (column.kind === 'metric') record[column.metric] = value;
      else answers[column.item.id] = value;
      return record;
    }

    function renderGrid() {
      if (!calc() || !app.state.model) return;
      const count = calc().responseCount();
      if (grid.offset >= count) grid.offset = lastPageStart(count, GRID_PAGE);
      grid.data = count > 0 ? calc().responses(grid.offset, GRID_PAGE) : { rows: 0, offset: 0, item_ids: [], page: [] };
      grid.columns = gridColumns();
      grid.errors.clear();
      renderGridErrors();

      const table = $('survey-grid');
      const headRow = document.createElement('tr');
      const corner = cell('th', 'Row', 'grid-rowhead');
      corner.scope = 'col';
      headRow.appendChild(corner);
      for (const column of grid.columns) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.className = 'grid-head grid-' + column.kind + (column.item ? ' side-' + column.item.side : '');
        th.appendChild(cell('span', column.head, 'grid-head-name'));
        if (column.sub) th.appendChild(cell('span', column.sub, 'grid-head-sub'));
        headRow.appendChild(th);
      }
      table.tHead.replaceChildren(headRow);
      table.tBodies[0].replaceChildren(...grid.data.page.map((entry) => gridRow(entry)));

      const first = grid.offset + 1;
      const last = grid.offset + grid.data.page.length;
      $('grid-range').textContent = count > 0
        ? 'Respondents ' + F.count(first) + '\u2013' + F.count(last) + ' of ' + F.count(count)
        : 'No survey data yet: add a respondent, paste rows from a spreadsheet, or import a CSV file.';
      $('grid-scroll').hidden = count === 0;
      $('grid-help').hidden = count === 0;
      showPager(PAGER, grid.offset, grid.data.page.length, count);
      $('paste-order').textContent = grid.columns.map((c) => c.kind === 'item' ? c.name : c.head).join(', ');
    }

    function deleteLabel(entry) {
      return 'Delete respondent ' + rowName(entry).replace(/^Row /, 'in row ');
    }

    function gridRow(entry) {
      const tr = document.createElement('tr');
      tr.dataset.row = String(entry.row);
      const th = document.createElement('th');
      th.scope = 'row';
      th.className = 'grid-rowhead';
      th.appendChild(cell('span', String(entry.row + 1), 'grid-rownum'));
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'grid-delete';
      del.dataset.row = String(entry.row);
      del.dataset.testid = 'delete-' + entry.row;
      del.setAttribute('aria-label', deleteLabel(entry));
      del.title = 'Delete this respondent';
      del.textContent = '\u00d7';
      th.appendChild(del);
      tr.appendChild(th);
      for (const column of grid.columns) {
        const td = document.createElement('td');
        td.className = 'grid-cell grid-' + column.kind;
        td.appendChild(gridControl(entry, column));
        tr.appendChild(td);
      }
      return tr;
    }

    function gridControl(entry, column) {
      const value = cellValue(entry, column);
      let control;
      if (column.kind === 'group') {
        control = document.createElement('select');
        control.className = 'grid-select';
        const options = [new Option('\u2014', '')];
        for (const s of column.segments) options.push(new Option(s.label, s.id));
        control.replaceChildren(...options);
        control.value = value;
      } else {
        control = document.createElement('input');
        control.type = 'text';
        control.className = 'grid-input';
        control.autocomplete = 'off';
        control.spellcheck = false;
        if (column.kind !== 'id') control.inputMode = 'decimal';
        control.value = cellText(value);
      }
      control.dataset.row = String(entry.row);
      control.dataset.col = column.key;
      control.dataset.testid = 'cell-' + entry.row + '-' + column.key;
      control.setAttribute('aria-label', rowName(entry) + ', ' + column.name);
      return control;
    }

    function gridEntry(row) {
      return grid.data ? grid.data.page.find((e) => e.row === row) : null;
    }

    function gridColumn(key) {
      return grid.columns.find((c) => c.key === key);
    }

    /**
     * Applies one edited cell. Returns true when the value is stored (or unchanged). A refused
     * value is reported next to the grid and the calculator keeps the previous one.
     */
    function commitCell(control) {
      const row = Number(control.dataset.row);
      const column = gridColumn(control.dataset.col);
      const entry = gridEntry(row);
      if (!column || !entry) return false;
      const stored = cellValue(entry, column);
      const where = 'Row ' + (row + 1) + ', ' + column.name;
      const kept = ' The previous value (' + (cellText(stored) || 'blank') + ') is kept; press Escape to restore it.';
      let value;
      if (column.kind === 'id') value = control.value.trim();
      else if (column.kind === 'group') value = control.value;
      else {
        const text = control.value.trim();
        if (text === '') value = null;
        else {
          const parsed = F.parseNumber(text);
          if (!parsed.ok) {
            setCellError(control, where + ': "' + text.slice(0, 40) + '" is ' +
              (parsed.reason === 'too large' ? 'too large.' : 'not a number.') + kept);
            return false;
          }
          value = parsed.value;
        }
      }
      if (value === stored) {
        setCellError(control, '');
        if (control.tagName === 'INPUT') control.value = cellText(stored);
        return true;
      }
      try {
        calc().replaceResponse(row, recordWith(entry, column, value));
      } catch (e) {
        const message = messageOf(e);
        // The calculator's messages name the row and column already; others get them added.
        setCellError(control, (/\brow \d+/i.test(message) ? message : where + ': ' + message) + kept);
        return false;
      }
      const fresh = calc().responses(row, 1).page[0];
      const page = grid.data.page;
      page[page.indexOf(entry)] = fresh;
      if (control.tagName === 'INPUT') control.value = cellText(cellValue(fresh, column));
      if (column.kind === 'id') relabelRow(fresh);
      setCellError(control, '');
      app.page.recompute();
      if (column.kind === 'id' || column.kind === 'metric') app.business.render(); // the join by id, NPS, CSAT
      return true;
    }

    /** After an id edit: the row's controls are named by the id. */
    function relabelRow(entry) {
      const tr = $('survey-grid').querySelector('tr[data-row="' + entry.row + '"]');
      if (!tr) return;
      for (const control of tr.querySelectorAll('[data-col]')) {
        const column = gridColumn(control.dataset.col);
        control.setAttribute('aria-label', rowName(entry) + ', ' + column.name);
      }
      tr.querySelector('.grid-delete').setAttribute('aria-label', deleteLabel(entry));
    }

    function setCellError(control, message) {
      const key = control.dataset.row + ':' + control.dataset.col;
      if (message) {
        grid.errors.set(key, message);
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', 'grid-errors');
      } else {
        if (!grid.errors.has(key)) return;
        grid.errors.delete(key);
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
      }
      renderGridErrors();
    }

    function renderGridErrors() {
      $('grid-errors').replaceChildren(...Array.from(grid.errors.values(), (m) => cell('p', m)));
    }

    /** Restores a cell to the value the calculator holds. */
    function revertCell(control) {
      const entry = gridEntry(Number(control.dataset.row));
      const column = gridColumn(control.dataset.col);
      if (!entry || !column) return;
      const stored = cellValue(entry, column);
      control.value = control.tagName === 'INPUT' ? cellText(stored) : stored;
      setCellError(control, '');
    }

    /** Focus the same column one row up (-1) or down (+1) on this grid page. */
    function moveInGrid(control, step) {
      const target = $('survey-grid').querySelector('[data-row="' + (Number(control.dataset.row) + step) +
        '"][data-col="' + control.dataset.col + '"]');
      if (target) {
        target.focus();
        if (target.select) target.select();
      }
    }

    function addRespondent() {
      const count = calc().responseCount();
      const taken = new Set(count > 0 ? calc().responses(0, count).page.map((e) => e.id) : []);
      let k = count + 1;
      while (taken.has('R' + String(k).padStart(4, '0'))) k++;
      const id = 'R' + String(k).padStart(4, '0');
      try {
        calc().addResponse({ id, segments: [], answers: {} });
      } catch (e) {
        app.surveyImport.showStatus('Could not add a respondent: ' + messageOf(e), 'error');
        return;
      }
      showRow(count);
      app.page.afterSurveyChange();
      announce('Added respondent ' + id + ' in row ' + (count + 1) + '; their answers are blank (not answered).');
      const first = $('survey-grid').querySelector('[data-row="' + count + '"][data-col="id"]');
      if (first) first.focus();
    }

    function deleteRespondent(row) {
      const entry = gridEntry(row);
      try {
        calc().deleteResponse(row);
      } catch (e) {
        app.surveyImport.showStatus('Could not delete the respondent: ' + messageOf(e), 'error');
        return;
      }
      app.page.afterSurveyChange();
      announce('Deleted respondent ' + (entry && entry.id ? entry.id + ' ' : '') + 'in row ' + (row + 1) + '.');
      // Focus what took its place: the next respondent's delete button, else the one before.
      const buttons = $('survey-grid').querySelectorAll('.grid-delete');
      const next = Array.from(buttons).find((b) => Number(b.dataset.row) === row) || buttons[buttons.length - 1];
      if (next) next.focus();
      else $('add-respondent').focus();
    }

    function bind() {
      $('use-entered').addEventListener('click', () => {
        calc().clearResponses();
        app.page.afterSurveyChange();
        announce('Survey responses dropped; results now come from the entered scores.');
      });
      $('reload-survey').addEventListener('click', () => {
        app.modelPanel.clearMessages();
        if (applySample(false)) {
          grid.offset = 0;
          app.page.afterSurveyChange();
          announce('Sample survey loaded.');
        }
      });

      const table = $('survey-grid');
      table.addEventListener('change', (e) => {
        if (e.target.dataset && e.target.dataset.col) commitCell(e.target);
      });
      table.addEventListener('keydown', (e) => {
        const control = e.target;
        if (!control.dataset || !control.dataset.col) return;
        if (e.key === 'Escape') {
          revertCell(control);
          e.preventDefault();
        } else if (e.key === 'Enter' && control.tagName === 'INPUT') {
          e.preventDefault();
          if (commitCell(control)) moveInGrid(control, 1);
        } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && control.tagName === 'INPUT' && !e.altKey) {
          e.preventDefault();
          moveInGrid(control, e.key === 'ArrowDown' ? 1 : -1);
        }
      });
      table.addEventListener('click', (e) => {
        const button = e.target.closest('.grid-delete');
        if (button) deleteRespondent(Number(button.dataset.row));
      });
      pager(Object.assign({
        count: () => calc().responseCount(), get: () => grid.offset, set: (offset) => { grid.offset = offset; }, render: renderGrid,
      }, PAGER));
      $('add-respondent').addEventListener('click', addRespondent);

      const section = $('survey');
      // Pasting several cells anywhere in the grid adds rows; a single value pastes into its cell.
      section.addEventListener('paste', (e) => {
        if (e.target.closest('#paste-rows, #import-step') || e.target.tagName === 'TEXTAREA') return;
        const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
        if (!text || !/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ''))) return;
        e.preventDefault();
        app.surveyImport.importPasted(text);
      });
      bindFileDrop(section, app.surveyImport.importFile);
      guardStrayDrop(() => app.surveyImport.showStatus('To import survey data, drop the CSV file on the Survey data ' +
        'section (a customer table goes on the Customer table section).', 'info'));
    }

    return { bind, renderGrid, gridColumns, showRow, applySample, sampleFits };
  };
})();
