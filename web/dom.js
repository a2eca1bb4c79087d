/*
 * Small DOM helpers shared by the page's modules: text-only cells and rows, status lines and
 * field errors, downloads, dropped files and pagers. Nothing here knows about the calculator.
 * One set per calculator instance: `$` looks ids up in the instance's own root (the document,
 * or a shadow root), and the pending frames and timers are the instance's, cancelled when it is
 * disposed.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).dom = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $ } = app;

    /** An element holding text (never parsed as HTML). */
    function cell(tag, text, className) {
      const node = document.createElement(tag);
      node.textContent = text;
      if (className) node.className = className;
      return node;
    }

    /** A table row from [[text, className], ...]; the first cell is the row's header. */
    function tableRow(cells) {
      const tr = document.createElement('tr');
      cells.forEach(([text, cls], i) => {
        const node = cell(i === 0 ? 'th' : 'td', text, cls);
        if (i === 0) node.scope = 'row';
        tr.appendChild(node);
      });
      return tr;
    }

    /** A control with its visible label, as used in the mapping tables. */
    function labelled(text, control) {
      const label = document.createElement('label');
      label.className = 'map-field';
      label.appendChild(cell('span', text, 'map-field-label'));
      label.appendChild(control);
      return label;
    }

    /** A one-line text input for a table or a form. */
    function textInput(value, { testid, label, decimal } = {}) {
      const input = document.createElement('input');
      input.type = 'text';
      input.autocomplete = 'off';
      input.spellcheck = false;
      if (decimal) input.inputMode = 'decimal';
      input.value = value;
      if (testid) input.dataset.testid = testid;
      if (label) input.setAttribute('aria-label', label);
      return input;
    }

    function sentence(text) {
      const s = String(text || '');
      return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
    }

    function plural(n, one, many) {
      return F.count(n) + ' ' + (n === 1 ? one : many || one + 's');
    }

    function messageOf(e) {
      if (e && typeof e.message === 'string' && e.message) return e.message;
      return String(e);
    }

    /** A status line. An error is an alert (read out at once); anything else is a polite status. */
    function showStatus(box, message, kind) {
      box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      box.dataset.kind = kind || 'info';
      box.textContent = message;
    }

    /**
     * Sets a node's text, unless it is already that: rewriting the same text would still replace
     * the text node and make the browser restyle and lay it out again.
     */
    function setText(node, text) {
      if (node.textContent !== text) node.textContent = text;
    }

    /** Shows or hides a node, touching it only when that changes. */
    function setHidden(node, hidden) {
      if (node.hidden !== hidden) node.hidden = hidden;
    }

    /** An output with its unrounded number in data-value ('' when there is none) for tests and tools. */
    function setMetric(id, value, text) {
      const node = $(id);
      const data = F.isNumber(value) ? String(value) : '';
      if (node.dataset.value !== data) node.dataset.value = data;
      setText(node, text);
    }

    /** Shows or clears a message under a control, marking the control invalid while it is shown. */
    function setControlError(control, error, message) {
      error.textContent = message;
      error.hidden = !message;
      if (message) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', error.id);
      } else {
        control.removeAttribute('aria-invalid');
        control.removeAttribute('aria-describedby');
      }
    }

    /** "Name: "abc" is not a number" / "enter a number" / "is too large", for a parse that failed. */
    function numberProblem(name, text, parsed) {
      if (parsed.reason === 'empty') return name + ': enter a number';
      return name + ': "' + String(text).trim().slice(0, 40) + '" is ' +
        (parsed.reason === 'too large' ? 'too large' : 'not a number');
    }

    /** A file name part from a model's name ("My product 2" → "my-product-2"), or `fallback`. */
    function fileSlug(name, fallback) {
      const slug = String(name || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
      return slug || fallback;
    }

    function downloadText(text, type, filename) {
      downloadBlob(new Blob([text], { type }), filename);
    }

    /** Saves a Blob as a file, as the browser's download does (a PNG, a CSV). */
    function downloadBlob(blob, filename) {
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    }

    /**
     * A CSV cell. Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
     * CR) gets a leading single quote (OWASP, "CSV Injection"). Numbers are written by this page
     * from finite values, so a negative amount stays a number the spreadsheet can add up.
     */
    function csvCell(value) {
      if (typeof value === 'number') return F.isNumber(value) ? String(value) : '';
      if (value === null || value === undefined) return '';
      let text = String(value);
      if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }

    function hasFiles(e) {
      return Boolean(e.dataTransfer) && Array.from(e.dataTransfer.types || []).includes('Files');
    }

    /** A section that takes a dropped file: onFile(file, several) gets the first one. */
    function bindFileDrop(section, onFile) {
      section.addEventListener('dragover', (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        section.classList.add('drop-target');
      });
      section.addEventListener('dragleave', (e) => {
        if (!section.contains(e.relatedTarget)) section.classList.remove('drop-target');
      });
      section.addEventListener('drop', (e) => {
        section.classList.remove('drop-target');
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.stopPropagation();
        const files = e.dataTransfer.files;
        if (files && files.length) onFile(files[0], files.length > 1);
      });
    }

    /**
     * A file dropped outside the drop sections would make the browser leave this page (and its
     * data). The page guards the whole window; an embedded calculator guards only its own host
     * element, leaving the rest of the host page's drops to the host page.
     */
    function guardStrayDrop(onStray) {
      const target = app.embedded ? app.host : window;
      app.listen(target, 'dragover', (e) => {
        if (hasFiles(e)) e.preventDefault();
      });
      app.listen(target, 'drop', (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        onStray();
      });
    }

    /** The first row of the last page of `count` rows, `size` a page. */
    function lastPageStart(count, size) {
      return Math.max(0, Math.floor((count - 1) / size) * size);
    }

    /**
     * A Previous / Next pager: turn(step) moves the offset one page, re-renders, and when a button
     * becomes disabled moves the focus to the other one.
     */
    function pager({ prev, next, size, count, get, set, render }) {
      const turn = (step) => {
        set(Math.min(Math.max(0, get() + step * size), lastPageStart(count(), size)));
        render();
        const button = $(step < 0 ? prev : next);
        if (button.disabled) $(step < 0 ? next : prev).focus();
      };
      $(prev).addEventListener('click', () => turn(-1));
      $(next).addEventListener('click', () => turn(1));
    }

    /** Shows a pager's buttons (or hides them when everything fits on one page). */
    function showPager({ prev, next, size }, offset, shown, count) {
      $(prev).disabled = offset === 0;
      $(next).disabled = offset + shown >= count;
      $(prev).hidden = $(next).hidden = count <= size;
    }

    /**
     * fn, run at the next animation frame however often the returned function is called before it.
     * A frame still pending when the instance is disposed is cancelled (its calculator is gone).
     */
    function perFrame(fn) {
      let frame = 0;
      app.onDispose(() => cancelAnimationFrame(frame));
      return () => {
        if (!frame) {
          frame = requestAnimationFrame(() => {
            frame = 0;
            fn();
          });
        }
      };
    }

    /**
     * fn at most once per animation frame, as soon as possible: the first call in a frame runs fn
     * at once (the leading edge: a slider move is on screen in the frame it happened in), later
     * calls in the same frame run it once more at the next animation frame (the trailing edge).
     * A frame runs from one animation frame callback to the next; a trailing run counts for the
     * frame it runs in. Cancelled when the instance is disposed.
     */
    function leadingPerFrame(fn) {
      let frame = 0;
      let ranThisFrame = false;
      let pending = false;
      app.onDispose(() => cancelAnimationFrame(frame));
      const run = () => {
        ranThisFrame = true;
        if (!frame) frame = requestAnimationFrame(nextFrame);
        fn();
      };
      function nextFrame() {
        frame = 0;
        ranThisFrame = false;
        if (pending) {
          pending = false;
          run();
        }
      }
      return () => {
        if (!ranThisFrame) run();
        else pending = true;
      };
    }

    /**
     * Resolves in a task of its own, soon: a message to itself, which browsers run without delay
     * (a timer in a background tab waits a second).
     */
    function nextTask() {
      return new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(null);
      });
    }

    /**
     * Resolves once the browser has had the chance to paint what is on the page now: in a task after
     * the next animation frame; at once in a hidden page, and after 100 ms where frames do not come.
     */
    function afterNextPaint() {
      if (document.hidden) return Promise.resolve();
      return new Promise((resolve) => {
        let frame = 0;
        const timer = setTimeout(() => {
          cancelAnimationFrame(frame);
          resolve();
        }, 100);
        frame = requestAnimationFrame(() => {
          clearTimeout(timer);
          setTimeout(resolve, 0); // a task after the frame: it has been painted by then
        });
      });
    }

    /** Runs the steps one task each (none once the instance is disposed), so the browser can paint and take input in between. */
    function inTasks(steps) {
      return steps.reduce((done, step) => done.then(nextTask).then(() => {
        if (!app.disposed) step();
      }), Promise.resolve());
    }

    // Screen readers hear a result once the input rests, not on every step.
    let announceTimer = 0;
    app.onDispose(() => clearTimeout(announceTimer));
    function announce(text) {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => {
        $('results-announcer').textContent = text;
      }, 800);
    }

    return {
      $, cell, tableRow, labelled, textInput, sentence, plural, messageOf, showStatus, setText, setHidden, setMetric,
      setControlError,
      numberProblem, fileSlug, downloadText, downloadBlob, csvCell, bindFileDrop, guardStrayDrop, lastPageStart, pager, showPager, perFrame,
      leadingPerFrame, announce, nextTask, afterNextPaint, inTasks,
    };
  };
})();
