/*
 * Keeping your work: the results as CSV, and autosave in this browser. The model goes to
 * localStorage (under app.storageKey, 'cvc.model.v1' for the page; JSON of calc.model(), written
 * 500 ms after the last change) and the project to IndexedDB (database "cvc", store "projects"),
 * which holds large data that localStorage cannot: under app.storageKey the project without its
 * survey ({format: 2, project: JSON text, survey: stamp}), and under app.storageKey + ':survey'
 * the survey as the calculator stores it ({stamp, header, parts}: calc.surveyParts(), a byte per
 * answer, each array kept as a Blob), written only when the survey changed and in the same
 * transaction as the project, so a million respondents cost one 30 MB write per import instead
 * of ~300 MB of JSON per change. (Pages before the Blobs kept the arrays as ArrayBuffers; those
 * still restore.)
 * (Older pages wrote the whole project as one JSON text under the key; that still restores.)
 * At start-up a saved model replaces the sample, then the saved project's data is restored if
 * it belongs to that model. An instance without a
 * storage key (an embedded calculator, unless its host page gives it one) neither reads nor
 * writes storage: two calculators on one page must not overwrite each other's work.
 *
 * Storage may be missing or refuse writes (blocked for file:// pages, privacy settings, a full
 * quota): the page then says autosave is off and why, and carries on. A saved value that does
 * not load as a model is left untouched (autosave pauses) and the sample is shown instead.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  /**
   * The IndexedDB store of saved projects (JSON text by storage key). Every call resolves or
   * rejects with the browser's error (QuotaExceededError, SecurityError, …), never throws.
   */
  const ProjectStore = {
    open() {
      return new Promise((resolve, reject) => {
        let request;
        try {
          if (typeof indexedDB === 'undefined' || !indexedDB) throw new Error('this browser has no IndexedDB');
          request = indexedDB.open('cvc', 1);
        } catch (e) {
          reject(e);
          return;
        }
        request.onupgradeneeded = () => request.result.createObjectStore('projects');
        request.onsuccess = () => resolve(ProjectStore.wrap(request.result));
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error('the saved data is in use by an older copy of this page'));
      });
    },
    wrap(db) {
      const run = (mode, action) => new Promise((resolve, reject) => {
        let tx;
        try {
          tx = db.transaction('projects', mode);
        } catch (e) {
          reject(e);
          return;
        }
        let request;
        try {
          request = action(tx.objectStore('projects'));
        } catch (e) {
          // A write refused part-way (a value that cannot be stored): none of it is kept.
          try {
            tx.abort();
          } catch (ignored) { /* already finished */ }
          reject(e);
          return;
        }
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(tx.error || request.error);
        tx.onabort = () => reject(tx.error || new Error('the browser stopped the write'));
      });
      return {
        get: (key) => run('readonly', (store) => store.get(key)),
        put: (key, text) => run('readwrite', (store) => store.put(text, key)),
        remove: (key) => run('readwrite', (store) => store.delete(key)),
        /** Writes [key, value] pairs (value undefined: deletes the key), all or none. */
        write: (entries) => run('readwrite', (store) => {
          let last = null;
          for (const [key, value] of entries) last = value === undefined ? store.delete(key) : store.put(value, key);
          return last;
        }),
      };
    },
  };
  CVC.ProjectStore = ProjectStore;

  (CVC.modules = CVC.modules || {}).keep = function (app) {
    const { $, messageOf, downloadText, nextTask } = app.dom;

    const KEY = app.storageKey; // null: autosave off, nothing read or written
    const DELAY_MS = 500;
    const calc = () => app.state.calc;

    let storage = null; // window.localStorage while autosave is on
    let paused = false; // a saved value that did not load is kept: nothing is written over it
    let timer = null;
    let lastSaved = null; // the model JSON as last written (or found) under KEY
    let sampleText = null; // the sample model as the calculator holds it: not stored, a reload starts from it anyway
    let projects = null; // the IndexedDB store while data autosave is on (see ProjectStore below)
    const SURVEY_KEY = KEY + ':survey';
    let lastProject = null; // the project JSON (without the survey) as last written (or found) in IndexedDB
    let lastSurvey = null; // calc.surveyVersion() of the survey last written (or restored)
    let surveyStamp = null; // the stamp of the survey record in IndexedDB, or null when there is none
    let suspended = false; // a shared link is on show: the saved work is left alone
    let startup = null; // what start-up shows without IndexedDB (the saved model, sample data): {project, survey, full}
    let projectTimer = null;
    let writing = null; // a write waiting for its survey arrays to be made into Blobs (see writeSoon)

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

    function dataAutosaveOff(e) {
      projects = null;
      writing = null;
      if (projectTimer) clearTimeout(projectTimer);
      projectTimer = null;
      showStorageStatus('Survey and customer data are not autosaved: ' + reason(e) + '. The model still is; use ' +
        '\u201cSave project\u201d to keep your data in a file.', false);
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

    /**
     * After restore(): the survey and customer data saved with that model, from IndexedDB. Resolves
     * true when they were restored (the calculator then holds the saved project); never rejects.
     */
    function restoreData() {
      if (!KEY || !storage || paused) return Promise.resolve(false);
      startup = { project: calc().projectJson({ survey: false }), survey: calc().surveyVersion(), full: calc().projectJson() };
      lastProject = startup.project;
      lastSurvey = startup.survey;
      return ProjectStore.open().then((store) => {
        projects = store;
        return store.get(KEY);
      }).then((saved) => {
        if (typeof saved === 'string') return restoreProjectText(saved); // written by an older page
        if (!saved || saved.format !== 2 || typeof saved.project !== 'string') return false;
        if (!sameModel(saved.project)) return false;
        return projects.get(SURVEY_KEY).then(readParts).then((survey) => {
          if (!survey || survey.stamp !== saved.survey) {
            throw new Error('the saved survey does not belong to the saved project');
          }
          try {
            calc().openProject(saved.project);
            calc().restoreSurvey(survey);
          } catch (e) {
            calc().openProject(startup.full); // back to what start-up showed
            throw e;
          }
          lastProject = saved.project;
          lastSurvey = calc().surveyVersion();
          surveyStamp = saved.survey;
          return true;
        });
      }).catch((e) => {
        if (!projects) dataAutosaveOff(e);
        else showStorageStatus('The survey and customer data saved in this browser could not be restored (' +
          messageOf(e) + '); they are kept as they were.', false);
        projects = null; // keep the saved copy: nothing is written over it
        return false;
      });
    }

    /** A saved survey record with its arrays read back from Blobs (an older page's ArrayBuffers as they are). */
    function readParts(survey) {
      if (!survey || !Array.isArray(survey.parts)) return survey;
      return Promise.all(survey.parts.map((part) => (part instanceof Blob ? part.arrayBuffer() : part)))
        .then((parts) => Object.assign({}, survey, { parts }));
    }

    /**
     * Only data saved with the model now loaded: the two are written together, so a mismatch
     * means one write failed; the model in localStorage is the newer one then.
     */
    function sameModel(projectText) {
      let saved;
      try {
        saved = JSON.parse(projectText);
      } catch (e) {
        saved = null;
      }
      return Boolean(saved && saved.model) && JSON.stringify(saved.model) === JSON.stringify(calc().model());
    }

    /** The whole project as one JSON text (the older format): opened, and rewritten in the new one. */
    function restoreProjectText(text) {
      if (!sameModel(text)) return false;
      calc().openProject(text);
      lastProject = null;
      changed();
      return true;
    }

    // ---------------------------------------------------------------- saving

    function saveProject() {
      projectTimer = null;
      finishWriting(); // an earlier write first: the records below may refer to its survey
      if (!projects || paused || suspended || !calc().model()) return;
      const text = calc().projectJson({ survey: false });
      const version = calc().surveyVersion();
      if (text === lastProject && version === lastSurvey && surveyStamp !== null) return;
      let entries;
      if (text === startup.project && version === startup.survey) {
        // What start-up shows anyway (the saved model with the sample data) needs no copy.
        entries = [[KEY, undefined], [SURVEY_KEY, undefined]];
        surveyStamp = null;
      } else {
        entries = [];
        if (version !== lastSurvey || surveyStamp === null) {
          surveyStamp = Date.now().toString(36) + '.' + Math.random().toString(36).slice(2);
          entries.push([SURVEY_KEY, Object.assign({ stamp: surveyStamp }, calc().surveyParts())]);
        }
        entries.push([KEY, { format: 2, project: text, survey: surveyStamp }]);
      }
      lastProject = text;
      lastSurvey = version;
      writeSoon(entries);
    }

    /**
     * Writes the entries once the survey record's arrays are Blobs, made one per task. IndexedDB
     * copies an ArrayBuffer while put() runs, so the autosave after a 1M-respondent import (~30 MB)
     * held the page 166-221 ms in one task (Chromium, 4 runs; calc.surveyParts ~40 ms of it); a
     * Blob it takes by reference, and the longest task is now 50-62 ms. The first array is made
     * at once, the others in later tasks; finishWriting makes the rest at once.
     */
    function writeSoon(entries) {
      const survey = entries.find(([key]) => key === SURVEY_KEY);
      const job = (writing = { entries, arrays: survey && survey[1] ? survey[1].parts : [], blobs: [] });
      const next = () => {
        if (writing !== job) return; // written by finishWriting, or dropped
        if (nextBlob(job)) nextTask().then(next); // not a timer: those wait a second in a hidden tab
        else finishWriting();
      };
      next();
    }

    /** Makes the job's next survey array a Blob; true while some are left to make after it. */
    function nextBlob(job) {
      if (job.blobs.length < job.arrays.length) job.blobs.push(new Blob([job.arrays[job.blobs.length]]));
      return job.blobs.length < job.arrays.length;
    }

    /** The pending write now, its remaining Blobs made at once (a closing page, the next save). */
    function finishWriting() {
      const job = writing;
      if (!job) return;
      writing = null;
      if (!projects) return;
      while (nextBlob(job));
      const entries = job.entries.map(([key, value]) => [key,
        key === SURVEY_KEY && value ? Object.assign({}, value, { parts: job.blobs }) : value]);
      projects.write(entries).catch((e) => {
        lastProject = null;
        surveyStamp = null;
        dataAutosaveOff(e);
      });
    }

    /** Anything changed (model, survey, customers): the project is written after a pause. */
    function changed() {
      if (!projects || paused) return;
      if (projectTimer) clearTimeout(projectTimer);
      projectTimer = setTimeout(saveProject, DELAY_MS * 2);
    }

    function save() {
      timer = null;
      if (!storage || paused || suspended) return;
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
      changed();
      if (!storage || paused) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, DELAY_MS);
    }

    function flush() {
      if (timer) {
        clearTimeout(timer);
        save();
      }
      if (projectTimer) {
        clearTimeout(projectTimer);
        saveProject();
      }
      finishWriting();
    }

    function forget() {
      writing = null; // nothing pending is written after the delete
      if (projects) {
        lastProject = null;
        surveyStamp = null;
        projects.write([[KEY, undefined], [SURVEY_KEY, undefined]]).catch(dataAutosaveOff);
      }
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
      app.customerImport.drop();
      app.customerImport.applySample(true); // the whole sample, customers included
      app.business.render();
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

    /**
     * Suspends autosave (true) while something that is not the person's own work is on show (a
     * share link); resuming (false) saves what is shown now, as after any change.
     */
    function suspend(on) {
      suspended = Boolean(on);
      if (suspended) {
        if (timer) clearTimeout(timer);
        if (projectTimer) clearTimeout(projectTimer);
        timer = null;
        projectTimer = null;
      } else {
        modelChanged();
      }
    }

    return { bind, restore, restoreData, modelChanged, changed, flush, suspend };
  };
})();
