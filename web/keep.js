/*
 * Keeping your work: the results as CSV, and the model autosaved in this browser's localStorage
 * (under app.storageKey, 'cvc.model.v1' for the page; JSON of calc.model(), written 500 ms after
 * the last change). At start-up a saved model replaces the sample. Survey and customer data are
 * not saved yet. An instance without a storage key (an embedded calculator, unless its host page
 * gives it one) neither reads nor writes storage: two calculators on one page must not overwrite
 * each other's model.
 *
 * Storage may be missing or refuse writes (blocked for file:// pages, privacy settings, a full
 * quota): the page then says autosave is off and why, and carries on. A saved value that does
 * not load as a model is left untouched (autosave pauses) and the sample is shown instead.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).keep = function (app) {
    const { $, messageOf, downloadText } = app.dom;

    const KEY = app.storageKey; // null: autosave off, nothing read or written
    const DELAY_MS = 500;
    const calc = () => app.state.calc;

    let storage = null; // window.localStorage while autosave is on
    let paused = false; // a saved value that did not load is kept: nothing is written over it
    let timer = null;
    let lastSaved = null; // the model JSON as last written (or found) under KEY
    let sampleText = null; // the sample model as the calculator holds it: not stored, a reload starts from it anyway

    // ---------------------------------------------------------------- messages

    function showStorageStatus(message, offerDiscard) {
      $('storage-status').textContent = message;
      $('storage-status-bar').hidden = !message;
      $('discard-saved').hidden = !offerDiscard;
    }

    /** Why the browser refused, in words. */
    function reason(e) {
      const name = e && e.name;
      if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return 'the browser\u2019s storage for this page is full';
      if (name === 'SecurityError') {
        return 'the browser does not allow this page to store data' +
          (location.protocol === 'file:' ? ' when it is opened from a file' : ' (privacy settings)');
      }
      return 'the browser refused to store data: ' + messageOf(e);
    }

    function autosaveOff(e) {
      storage = null;
      if (timer) clearTimeout(timer);
      timer = null;
      showStorageStatus('Autosave is off: ' + reason(e) + '. Your changes work as usual but are not kept after ' +
        'you close the page; use \u201cDownload model JSON\u201d to keep the model.', false);
    }

    // ---------------------------------------------------------------- start-up

    function openStorage() {
      try {
        const ls = window.localStorage;
        if (!ls) throw new Error('this browser has no local storage');
        const probe = KEY + '.probe';
        ls.setItem(probe, '1');
        ls.removeItem(probe);
        return ls;
      } catch (e) {
        autosaveOff(e);
        return null;
      }
    }

    /**
     * Called with the sample model loaded. Loads the saved model instead when there is one that
     * loads; returns true then. Anything else leaves the sample in place.
     */
    function restore() {
      sampleText = JSON.stringify(calc().model());
      lastSaved = sampleText;
      if (!KEY) return false;
      storage = openStorage();
      if (!storage) return false;
      let text;
      try {
        text = storage.getItem(KEY);
      } catch (e) {
        autosaveOff(e);
        return false;
      }
      if (text === null) return false;
      try {
        calc().loadModel(text); // refused atomically: the sample stays loaded
      } catch (e) {
        paused = true;
        showStorageStatus('The model saved in this browser could not be loaded (' + messageOf(e) + '), so the sample ' +
          'model is shown. Autosave is paused so the saved copy is kept as it is.', true);
        return false;
      }
      lastSaved = text;
      $('restore-notice').hidden = false;
      return true;
    }

    // ---------------------------------------------------------------- saving

    function save() {
      timer = null;
      if (!storage || paused) return;
      const model = calc().model();
      if (!model) return;
      const text = JSON.stringify(model);
      if (text === lastSaved) return;
      try {
        if (text === sampleText) storage.removeItem(KEY);
        else storage.setItem(KEY, text);
        lastSaved = text;
      } catch (e) {
        autosaveOff(e);
      }
    }

    /** The model changed (weights, scores, a load, an import, settings): saved after a short pause. */
    function modelChanged() {
      if (!storage || paused) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }

    function flush() {
      if (timer) {
        clearTimeout(timer);
        save();
      }
    }

    function forget() {
      if (!storage) return;
      try {
        storage.removeItem(KEY);
      } catch (e) {
        autosaveOff(e);
      }
    }

    function startOver() {
      forget();
      lastSaved = sampleText;
      $('restore-notice').hidden = true;
      app.modelPanel.loadSample();
    }

    function discardSaved() {
      paused = false;
      forget();
      lastSaved = sampleText;
      showStorageStatus('', false);
      modelChanged();
    }

    // ---------------------------------------------------------------- results CSV

    function exportResults() {
      let text;
      try {
        text = calc().resultsCsv();
      } catch (e) {
        app.modelPanel.showError('Could not export the results: ' + messageOf(e));
        return;
      }
      downloadText(text, 'text/csv;charset=utf-8', 'customer-value-results.csv');
    }

    function bind() {
      $('export-results-csv').addEventListener('click', exportResults);
      $('start-over').addEventListener('click', startOver);
      $('discard-saved').addEventListener('click', discardSaved);
      app.listen(window, 'pagehide', flush);
      // An instance taken off the page keeps its last change, as a closed page does.
      app.onDispose(() => {
        flush();
        storage = null;
      });
    }

    return { bind, restore, modelChanged };
  };
})();
