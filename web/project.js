/*
 * Projects and share links. "Save project" writes calc.projectJson() (the model, the survey
 * responses and the customer table in one JSON file); "Open project or model…" and a JSON file
 * dropped on the Model section open either kind: a project replaces model and data together, a
 * bare model file loads as the model panel always has. A share link carries the model (and the
 * data only when ticked) in the URL fragment, which browsers never send to a server; the
 * standalone page opens one found in its address bar at start-up or when the fragment changes.
 *
 * Nothing is lost: a refused file or link changes nothing (the calculator is transactional) and
 * says why. A link that did open is shown without touching the autosaved work: autosave is
 * suspended until the person chooses "Keep this as my work" or "Go back to my work".
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).project = function (app) {
    const { $, messageOf, downloadText, bindFileDrop, showStatus, plural } = app.dom;
    const calc = () => app.state.calc;
    const MAX_FILE_BYTES = 512 * 1024 * 1024; // a project this large would not fit in the tab
    const PROJECT_SCHEMA = 'customer-value-project';

    let beforeLink = null; // the project a share link replaced, for "Go back"

    // ---------------------------------------------------------------- after a project opened

    /** Model, survey and customers were all replaced: every view and pending step starts over. */
    function projectReplaced() {
      app.surveyImport.drop();
      app.customerImport.drop();
      app.survey.showRow(0);
      app.customerList.reset();
      app.page.afterModelChange();
    }

    function describe() {
      const m = app.state.model;
      const rows = calc().responseCount();
      const customers = calc().customerCount();
      return (m.name ? '\u201c' + m.name + '\u201d, ' : '') + plural(m.items.length, 'item') + ', ' +
        plural(m.segments.length, 'segment') + ', ' + plural(rows, 'survey response') + ', ' +
        plural(customers, 'customer') + '.';
    }

    // ---------------------------------------------------------------- files

    function fileName() {
      const model = calc().model();
      return app.dom.fileSlug(model && model.name, 'customer-value') + '.project.json';
    }

    function saveProject() {
      let text;
      try {
        text = calc().projectJson();
      } catch (e) {
        app.modelPanel.showError('Could not save the project: ' + messageOf(e));
        return;
      }
      downloadText(text, 'application/json', fileName());
      app.modelPanel.showInfo('Saved the project (model, ' + plural(calc().responseCount(), 'survey response') +
        ', ' + plural(calc().customerCount(), 'customer') + ') as ' + fileName() + '.');
    }

    /** A project file replaces everything; any other JSON goes to the model panel as a model. */
    function openText(text, from) {
      let schema = null;
      try {
        const parsed = JSON.parse(text);
        schema = parsed && typeof parsed === 'object' ? parsed.schema : null;
      } catch (e) {
        // Not JSON: the model loader says where (line and column) and why.
      }
      if (schema !== PROJECT_SCHEMA) {
        app.modelPanel.loadModelText(text, from);
        return;
      }
      app.modelPanel.clearMessages();
      try {
        calc().openProject(text);
      } catch (e) {
        // Refused atomically: the previous work and its autosaved copy are as they were.
        app.modelPanel.showError('Could not open ' + from + ': ' + messageOf(e) + ' Your current work is unchanged.');
        return;
      }
      projectReplaced();
      app.modelPanel.showInfo('Opened ' + from + ': ' + describe());
    }

    function openFile(file, several) {
      if (file.size > MAX_FILE_BYTES) {
        app.modelPanel.showError('Could not open "' + file.name + '": the file is larger than 512 MB, too large ' +
          'to open in a browser tab.');
        return;
      }
      file.text().then((text) => {
        openText(text, '"' + file.name + '"' + (several ? ' (the first of the dropped files)' : ''));
      }, (e) => app.modelPanel.showError('Could not read "' + file.name + '": ' + messageOf(e)));
    }

    // ---------------------------------------------------------------- share links

    function pageAddress() {
      return location.href.replace(/#.*$/, '');
    }

    function makeLink() {
      const survey = $('share-survey').checked;
      const customers = $('share-customers').checked;
      const status = $('share-status');
      showStatus(status, 'Making the link\u2026', 'info');
      calc().shareLink({ survey, customers }).then((fragment) => {
        const link = pageAddress() + fragment;
        $('share-link').value = link;
        $('share-link-row').hidden = false;
        const parts = ['the model'];
        if (survey) parts.push(plural(calc().responseCount(), 'survey response'));
        if (customers) parts.push(plural(calc().customerCount(), 'customer'));
        showStatus(status, 'The link holds ' + parts.join(', ') + ' (' + app.format.count(link.length) +
          ' characters). Anyone who opens it sees exactly this; nothing is stored on a server.' +
          (link.length > 64000 ? ' Long links may be cut by some e-mail and chat programs; for data, ' +
            'a saved project file is safer.' : ''), 'info');
      }, (e) => showStatus(status, 'Could not make the link: ' + messageOf(e), 'error'));
    }

    function copyLink() {
      const input = $('share-link');
      input.focus();
      input.select();
      const done = () => showStatus($('share-status'), 'Copied the link.', 'info');
      const manual = () => showStatus($('share-status'), 'The link is selected: press Ctrl+C (or \u2318C) to copy it.', 'info');
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, manual);
      else manual();
    }

    function showLinkNotice(message, kind, offerChoice) {
      const box = $('link-notice');
      showStatus($('link-notice-text'), message, kind);
      $('link-back').hidden = !offerChoice;
      $('link-keep').hidden = !offerChoice;
      box.hidden = !message;
    }

    /** The fragment when it is a share link (or junk), null when it is empty or an in-page anchor. */
    function linkInAddress() {
      const hash = location.hash;
      if (!hash || hash === '#') return null;
      let id = hash.slice(1);
      try {
        id = decodeURIComponent(id);
      } catch (e) {
        // Not an anchor either: read it as a (damaged) link.
      }
      return app.$(id) ? null : hash;
    }

    /** Opens the share link in the address bar, if any; resolves when done (never rejects). */
    function openFromAddress() {
      if (app.embedded) return Promise.resolve(false);
      const link = linkInAddress();
      if (!link) return Promise.resolve(false);
      const before = calc().projectJson();
      return calc().openShareLink(link).then(() => {
        beforeLink = before;
        app.keep.suspend(true); // the work saved in this browser stays as it was
        projectReplaced();
        showLinkNotice('Opened from a share link: ' + describe() + ' Your own work is still saved in this browser; ' +
          'changes to this shared copy are not saved until you keep it.', 'info', true);
        return true;
      }, (e) => {
        showLinkNotice('Could not open the link in the address bar: ' + messageOf(e) +
          ' Your work is as it was.', 'error', false);
        return false;
      }).then((opened) => {
        // The link has done its job: a reload must not open it again over later changes.
        try {
          history.replaceState(history.state, '', pageAddress());
        } catch (e) {
          // Some file:// pages refuse replaceState; the link then stays in the address bar.
        }
        return opened;
      });
    }

    function goBack() {
      if (beforeLink === null) return;
      try {
        calc().openProject(beforeLink);
      } catch (e) {
        showLinkNotice('Could not go back: ' + messageOf(e), 'error', true);
        return;
      }
      beforeLink = null;
      projectReplaced();
      app.keep.suspend(false);
      showLinkNotice('Back to your own work: ' + describe(), 'info', false);
    }

    function keepShared() {
      beforeLink = null;
      app.keep.suspend(false); // saves the shared copy (with any changes) as this browser's work now
      showLinkNotice('Kept the shared copy as your work; it is autosaved in this browser from now on.', 'info', false);
    }

    function bind() {
      $('save-project').addEventListener('click', saveProject);
      $('make-share-link').addEventListener('click', makeLink);
      $('copy-share-link').addEventListener('click', copyLink);
      $('link-back').addEventListener('click', goBack);
      $('link-keep').addEventListener('click', keepShared);
      bindFileDrop(app.$('model-io'), openFile);
      if (!app.embedded) app.listen(window, 'hashchange', () => openFromAddress());
    }

    /** The saved project was restored at start-up: show it, and say so. */
    function projectRestored() {
      projectReplaced();
      const notice = $('restore-notice');
      if (notice) notice.hidden = false;
    }

    return { bind, openText, openFile, openFromAddress, projectRestored };
  };
})();
