/*
 * The CSV import steps the survey and the customer table share (docs/api.md, "CSV import"):
 *   1. preview: the calculator reads the file; the page shows one row per column (header,
 *      examples, what was detected) with a select for how the column is used;
 *   2. check: the calculator reads every row against the mapping and lists the problems;
 *   3. commit, or cancel. Nothing changes before the commit, and a refused commit changes nothing.
 * "Import" checks first: all rows valid → imports at once; some rejected → shows the report and
 * relabels the button "Import N valid rows", and a second press imports them.
 *
 * A chosen file goes to the import worker when the config has one (config.previewFile): steps 1
 * and 2 then run off the page's thread with a progress bar (rows, rows/s) and a Stop button, and
 * the file is read in slices, never whole. Without a worker (a Content-Security-Policy that
 * refuses blob: workers, say) the file is read into the page, up to MAX_CSV_BYTES.
 *
 * app.importFlow.create(config) makes one such flow over a set of elements whose ids share a
 * prefix ('' for the survey, 'customer-' for the customer table); config says what differs.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).importFlow = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, cell, tableRow, sentence, plural, messageOf, showStatus } = app.dom;

    const MAX_CSV_BYTES = 50 * 1024 * 1024;
    const DELIMITER_WORDS = { ',': 'comma-separated', ';': 'semicolon-separated', '\t': 'tab-separated' };

    /** "whole numbers 1 to 5; 2 blank", "text, 2 different values", "4 numbers 3 to 5; 1 text". */
    function describeProfile(profile) {
      if (!profile) return F.MISSING; // the calculator did not profile this column
      const parts = [];
      const mixed = profile.numeric > 0 && profile.text > 0;
      if (profile.numeric > 0) {
        const range = F.isNumber(profile.min) && F.isNumber(profile.max)
          ? (profile.min === profile.max ? F.decimal(profile.min) : F.decimal(profile.min) + ' to ' + F.decimal(profile.max))
          : '';
        parts.push((mixed ? F.count(profile.numeric) + ' ' : '') + (profile.whole_numbers ? 'whole numbers' : 'numbers') +
          (range ? ' ' + range : ''));
      }
      if (profile.text > 0) {
        parts.push(mixed ? F.count(profile.text) + ' text'
          : 'text, ' + F.count(profile.distinct) + ' different value' + (profile.distinct === 1 ? '' : 's'));
      }
      if (profile.blank > 0) parts.push(F.count(profile.blank) + ' blank');
      return parts.join('; ') || 'empty';
    }

    function confirmLabel(report) {
      if (!report) return 'Import';
      const n = F.count(report.rows_valid);
      if (report.rows_rejected > 0) return 'Import ' + n + ' valid row' + (report.rows_valid === 1 ? '' : 's');
      return 'Import ' + n + ' row' + (report.rows_valid === 1 ? '' : 's');
    }

    /** What a checked import's report means, as [message, kind] for a status line. */
    function reportMessage(report) {
      if (report.rows_valid === 0) {
        return ['None of the ' + F.count(report.rows_total) + ' rows can be imported: every row has a problem ' +
          '(listed below). Change the mapping or fix the file, or cancel.', 'error'];
      }
      if (report.rows_rejected > 0) {
        return [F.count(report.rows_rejected) + ' of ' + F.count(report.rows_total) + ' rows have problems ' +
          '(listed below) and would be left out. Choose \u201c' + confirmLabel(report) + '\u201d to import the other ' +
          F.count(report.rows_valid) + ', or Cancel.', 'info'];
      }
      return ['All ' + F.count(report.rows_total) + ' rows are valid. Choose \u201c' + confirmLabel(report) +
        '\u201d to import them.', 'info'];
    }

    function reportSummary(report) {
      return plural(report.rows_total, 'row') + ' checked: ' + F.count(report.rows_valid) + ' valid, ' +
        F.count(report.rows_rejected) + ' rejected' +
        (report.problem_count ? ' (' + plural(report.problem_count, 'problem') + ')' : '') +
        '. Rows are numbered as in the file, the header being row 1.';
    }

    /** The "rows left out" sentence of a success message, or ''. */
    function leftOut(report) {
      return report.rows_rejected ? ' ' + F.count(report.rows_rejected) + ' row' +
        (report.rows_rejected === 1 ? ' was' : 's were') + ' left out because of problems.' : '';
    }

    /**
     * config: {
     *   prefix             element id prefix ('' or 'customer-')
     *   rowTestid, selectTestid   data-testid prefixes of a mapping row and its select
     *   preview(input)     step 1 in the calculator; returns the preview (throws when refused)
     *   previewFile(file, onProgress)  optional: step 1 on a File in the import worker (a Promise;
     *                      rejects with kind 'unavailable' when there is no worker, 'cancelled', 'failed')
     *   stop()             stops a running worker step (optional; with previewFile)
     *   start(preview, options)  extra fields for the pending import (optional)
     *   title(imp)         the step's heading
     *   renderStep(imp)    extra controls of the step (optional)
     *   roleOptions(column), roleValue(entry), mappingFor(value, column, previous)
     *                      the select's options, an entry's value in it, the entry for a value
     *   renderDetails(td, column, index)   the details cell for the column's current use
     *   check(imp, onProgress)  step 2; returns the report or a Promise of it (throws or rejects
     *                      when refused); imp.file is set when the worker read the file
     *   created(report)    what the report says will be added, in words ('' for nothing)
     *   commit(imp, report)  step 3 in the calculator; returns the success message (throws)
     *   afterCommit(imp)   re-render what the import changed
     *   cancel()           drops the calculator's pending import
     *   focusAfter         the id to focus after a commit
     * }
     */
    function create(config) {
      const id = (name) => $(config.prefix + name);
      const flow = { pending: null, showStatus: (message, kind) => showStatus(id('import-status'), message, kind) };

      /** A file chosen or dropped: to the worker's step 1, or its bytes to step 1 here. */
      flow.importFile = (file, several) => {
        const name = '"' + file.name + '"';
        const options = { name, source: 'file', several };
        if (config.previewFile) {
          flow.beginFile(file, options);
          return;
        }
        readIntoPage(file, options);
      };

      function readIntoPage(file, options) {
        if (file.size > MAX_CSV_BYTES) {
          flow.showStatus('Could not import ' + options.name + ': the file is larger than 50 MB.' + (config.previewFile
            ? ' Files this large are read by the import worker, which this page cannot start here (its ' +
              'Content-Security-Policy may not allow blob: workers).' : ''), 'error');
          return;
        }
        file.arrayBuffer().then((buffer) => flow.begin(new Uint8Array(buffer), options),
          (e) => flow.showStatus('Could not read ' + options.name + ': ' + messageOf(e), 'error'));
      }

      /** Step 1 in the import worker, with progress; the mapping step when it is done. */
      flow.beginFile = async (file, options) => {
        flow.drop();
        const run = startRun('Reading ' + options.name, file.size);
        let preview;
        try {
          preview = await config.previewFile(file, run.progress);
        } catch (e) {
          if (!run.end()) return; // stopped, or replaced by another run
          if (e && e.kind === 'unavailable') readIntoPage(file, options);
          else flow.showStatus(failure(e, options.name), 'error');
          return;
        }
        if (!run.end()) return;
        flow.begin(null, Object.assign({}, options, { file, preview }));
      };

      /** What a failed step says: the worker stopped, or the calculator refused the file. */
      function failure(e, name) {
        if (e && e.kind === 'failed') {
          return 'The import of ' + name + ' stopped: the import worker failed (' + messageOf(e) + '). Nothing was ' +
            'changed. If the file is very large, score it with the command-line runner (cvc score) instead.';
        }
        return 'Could not import ' + name + ': ' + messageOf(e);
      }

      // ---- the running worker step: one at a time, shown with its progress and a Stop button
      let running = null;

      /** Starts showing a step; returns {progress(p), end()}: end() is false once it was stopped. */
      function startRun(label, total) {
        stopRun();
        const run = { label, total, started: performance.now() };
        running = run;
        showProgress(run, { bytes: 0, rows: 0 });
        setBusy(true);
        return {
          progress: (p) => {
            if (running === run) showProgress(run, p);
          },
          end: () => {
            if (running !== run) return false;
            running = null;
            hideProgress();
            setBusy(false);
            return true;
          },
        };
      }

      /** Stops the running step (the worker is ended at once); true when there was one. */
      function stopRun() {
        if (!running) return false;
        running = null;
        if (config.stop) config.stop();
        hideProgress();
        setBusy(false);
        return true;
      }
      flow.stop = stopRun;

      function showProgress(run, p) {
        const box = id('import-progress');
        if (!box) return;
        box.hidden = false;
        const fraction = run.total > 0 ? Math.min(1, p.bytes / run.total) : 0;
        id('import-progress-bar').value = fraction;
        const seconds = (performance.now() - run.started) / 1000;
        const rate = seconds > 0.2 && p.rows > 0 ? ', ' + F.count(Math.round(p.rows / seconds)) + ' rows/s' : '';
        id('import-progress-text').textContent = run.label + ': ' + F.count(p.rows) + ' rows (' +
          Math.floor(fraction * 100) + '% of ' + megabytes(run.total) + ')' + rate;
      }

      function hideProgress() {
        const box = id('import-progress');
        if (box) box.hidden = true;
      }

      function megabytes(bytes) {
        return bytes >= 1e6 ? F.decimal(Math.round(bytes / 1e5) / 10) + ' MB' : F.count(Math.ceil(bytes / 1e3)) + ' kB';
      }

      /** While a step runs, the step's buttons wait (Cancel stays: it stops the step). */
      function setBusy(busy) {
        for (const name of ['import-confirm', 'import-check']) {
          const button = id(name);
          if (button) button.disabled = busy || (name === 'import-confirm' && confirmBlocked());
        }
      }

      function confirmBlocked() {
        const report = flow.pending && flow.pending.report;
        return Boolean(report) && report.rows_valid === 0;
      }

      /**
       * Step 1: the preview; shows the mapping step. A refused file changes nothing.
       * options: {name, source: 'file' | 'paste', mapping(preview)?, note?}
       */
      flow.begin = (input, options) => {
        flow.drop();
        let preview = options.preview;
        if (!preview) {
          try {
            preview = config.preview(input);
          } catch (e) {
            flow.showStatus('Could not import ' + options.name + ': ' + messageOf(e), 'error');
            return;
          }
        }
        const mapping = options.mapping ? options.mapping(preview)
          : preview.columns.map((c) => JSON.parse(JSON.stringify(c.proposed)));
        flow.pending = Object.assign({
          preview, file: options.file || null, name: options.name, source: options.source || 'file', mapping,
          decimalComma: Boolean(preview.decimal_comma), report: null, details: [],
        }, config.start ? config.start(preview, options) : {});
        renderStep();
        flow.showStatus('Read ' + options.name + ': ' + plural(preview.data_rows, 'data row') + ' and ' +
          plural(preview.columns.length, 'column') + '. ' + (options.note ? options.note + ' ' : '') +
          'Check how each column is used below, then import.' +
          (options.several ? ' Only the first of the dropped files is read.' : ''), 'info');
        id('import-title').focus();
      };

      /** Drops a pending import (the calculator's too); nothing else changes. */
      flow.drop = () => {
        stopRun();
        if (flow.pending) config.cancel();
        close();
      };

      function close() {
        flow.pending = null;
        id('import-step').hidden = true;
        id('mapping-table').tBodies[0].replaceChildren();
      }

      function renderStep() {
        const imp = flow.pending;
        const preview = imp.preview;
        id('import-step').hidden = false;
        id('import-title').textContent = config.title(imp);
        id('import-summary').textContent = plural(preview.data_rows, 'data row') + ', ' +
          plural(preview.columns.length, 'column') + '. Detected: ' +
          (DELIMITER_WORDS[preview.delimiter] || 'separated by "' + preview.delimiter + '"') + ', ' +
          (preview.decimal_comma ? 'decimal comma (1.234,50)' : 'decimal point (1,234.50)') + '.';
        id('decimal-comma').checked = imp.decimalComma;
        // With commas between fields, a comma cannot also be the decimal mark.
        id('decimal-comma-label').hidden = preview.delimiter === ',';
        if (config.renderStep) config.renderStep(imp);
        // What was detected in each column, when the calculator profiled the columns.
        id('mapping-table').classList.toggle('no-profile', !preview.columns.some((c) => c.profile));
        id('mapping-table').tBodies[0].replaceChildren(...preview.columns.map((column, i) => mappingRow(column, i)));
        renderReport();
      }

      /** One column: header, examples, what was detected, how it is used, and its details. */
      function mappingRow(column, index) {
        const imp = flow.pending;
        const tr = document.createElement('tr');
        tr.dataset.testid = config.rowTestid + index;
        const header = column.header || '';
        const th = document.createElement('th');
        th.scope = 'row';
        th.appendChild(cell('span', header || '(no header)', 'map-header'));
        th.appendChild(cell('span', 'column ' + (index + 1), 'map-colnum'));
        tr.appendChild(th);
        const examples = document.createElement('td');
        examples.className = 'map-examples';
        const profile = column.profile;
        const list = ((profile && profile.examples) || column.examples || []).filter((x) => String(x) !== '').slice(0, 3);
        if (list.length) {
          for (const example of list) examples.appendChild(cell('span', String(example).slice(0, 40), 'example'));
        } else examples.textContent = 'all blank';
        tr.appendChild(examples);
        tr.appendChild(cell('td', describeProfile(profile), 'map-profile'));

        const details = document.createElement('td');
        details.className = 'map-details';
        imp.details[index] = details;
        const roleCell = document.createElement('td');
        const select = document.createElement('select');
        select.className = 'map-role';
        select.id = config.selectTestid + index;
        select.dataset.testid = config.selectTestid + index;
        select.setAttribute('aria-label', 'Use column ' + (index + 1) + (header ? ' (' + header + ')' : '') + ' as');
        select.replaceChildren(...config.roleOptions(column));
        select.value = config.roleValue(imp.mapping[index]);
        select.addEventListener('change', () => {
          const pending = flow.pending;
          pending.mapping[index] = config.mappingFor(select.value, column, pending.mapping[index]);
          config.renderDetails(details, column, index);
          flow.invalidate();
        });
        roleCell.appendChild(select);
        tr.appendChild(roleCell);
        config.renderDetails(details, column, index);
        tr.appendChild(details);
        return tr;
      }

      /** Re-renders every column's details (after a choice that affects them all). */
      flow.refreshDetails = () => {
        const imp = flow.pending;
        if (!imp) return;
        imp.preview.columns.forEach((column, i) => {
          if (imp.details[i]) config.renderDetails(imp.details[i], column, i);
        });
      };

      /** The mapping changed: the last check no longer applies. */
      flow.invalidate = () => {
        if (!flow.pending) return;
        stopRun(); // a check of the old mapping is of no use
        if (!flow.pending.report) return;
        flow.pending.report = null;
        renderReport();
      };

      /**
       * Step 2: checks every row against the mapping; nothing changes. Resolves to the report, or
       * null (refused, stopped, or the import was replaced meanwhile).
       */
      flow.check = async () => {
        const imp = flow.pending;
        if (!imp) return null;
        const run = imp.file ? startRun('Checking ' + imp.name, imp.file.size) : null;
        let report;
        try {
          report = await config.check(imp, run ? run.progress : null);
        } catch (e) {
          if ((run && !run.end()) || flow.pending !== imp) return null;
          imp.report = null;
          renderReport();
          flow.showStatus(e && e.kind ? failure(e, imp.name) : 'This mapping cannot be imported: ' + messageOf(e), 'error');
          return null;
        }
        if ((run && !run.end()) || flow.pending !== imp) return null;
        imp.report = report;
        renderReport();
        return report;
      };

      function renderReport() {
        const imp = flow.pending;
        const report = imp && imp.report;
        const confirm = id('import-confirm');
        confirm.textContent = confirmLabel(report);
        confirm.disabled = Boolean(running) || confirmBlocked();
        id('import-report').hidden = !report;
        if (!report) return;
        id('report-summary').textContent = reportSummary(report);
        const created = config.created(report);
        id('report-created').textContent = created;
        id('report-created').hidden = !created;
        renderProblems(report);
      }

      /** The report's problems, one table row each: row, column, header, value, reason. */
      function renderProblems(report) {
        const problems = report.problems.slice(0, 1000);
        id('problems-scroll').hidden = !problems.length;
        id('problems-table').tBodies[0].replaceChildren(...problems.map((p) => {
          const tr = tableRow([
            [F.count(p.row), 'num'], [p.column > 0 ? F.count(p.column) : 'whole row', 'num'],
            [p.column > 0 ? String(p.header) : F.MISSING], [String(p.value).slice(0, 60)], [sentence(p.reason)],
          ]);
          tr.dataset.row = String(p.row);
          return tr;
        }));
        const more = report.problem_count - problems.length;
        id('report-more').textContent = more > 0
          ? 'The first ' + F.count(problems.length) + ' problems are listed; ' + F.count(more) + ' more are not shown.' : '';
      }

      /** "Import": checks first, then commits (at once, or on a second press when rows are rejected). */
      flow.confirm = async () => {
        const imp = flow.pending;
        if (!imp || running) return;
        let report = imp.report;
        if (!report) {
          report = await flow.check();
          if (!report) return;
          if (report.rows_rejected > 0) {
            flow.showStatus(...reportMessage(report));
            return;
          }
        }
        if (report.rows_valid === 0) return;
        let message;
        try {
          message = config.commit(imp, report);
        } catch (e) {
          // The worker checked the file for items or segments the model no longer has: again.
          if (e && e.field === 'import.stale' && imp.file && !imp.checkedAgain) {
            imp.checkedAgain = true;
            imp.report = null;
            flow.showStatus('The model changed while the file was checked; checking it again\u2026', 'info');
            return flow.confirm();
          }
          // Refused atomically: the survey or table and the pending import stay as they were.
          flow.showStatus('Could not import ' + imp.name + ': ' + messageOf(e), 'error');
          return;
        }
        close();
        config.afterCommit(imp);
        flow.showStatus(message, 'success');
        $(config.focusAfter).focus();
      };

      id('import-confirm').addEventListener('click', flow.confirm);
      id('import-check').addEventListener('click', async () => {
        const report = await flow.check();
        if (report) flow.showStatus(...reportMessage(report));
      });
      const stop = id('import-stop');
      if (stop) {
        stop.addEventListener('click', () => {
          if (!running) return;
          const label = running.label;
          stopRun();
          flow.showStatus(label + ' stopped; nothing changed.' + (flow.pending ? ' The mapping is still open.' : ''), 'info');
          id(flow.pending ? 'import-title' : 'csv-open').focus();
        });
      }
      id('import-cancel').addEventListener('click', () => {
        const name = flow.pending ? flow.pending.name : 'the file';
        flow.drop();
        flow.showStatus('Import of ' + name + ' cancelled; nothing changed.', 'info');
        id('csv-open').focus();
      });
      id('decimal-comma').addEventListener('change', (e) => {
        if (!flow.pending) return;
        flow.pending.decimalComma = e.target.checked;
        flow.invalidate();
      });
      const input = id('csv-input');
      id('csv-open').addEventListener('click', () => input.click());
      input.addEventListener('change', () => {
        const file = input.files && input.files[0];
        input.value = ''; // choosing the same file again still triggers a change
        if (file) flow.importFile(file);
      });
      return flow;
    }

    return { create, leftOut };
  };
})();
