/*
 * The model: open, paste, download or reload the sample; one row per item with its weight
 * slider, its entered score and its survey mean. Inputs only ever call the calculator; slider
 * moves and typed scores are coalesced to at most one recompute per animation frame: the first
 * in a frame is applied at once, in its input event, later ones at the next frame.
 */
(function () {
  'use strict';

  const CVC = (window.CVC = window.CVC || {});

  (CVC.modules = CVC.modules || {}).modelPanel = function (app) {
    const F = app.format; // this instance's number formatting (format.js)
    const { $, messageOf, downloadText, setControlError } = app.dom;

    const SIDES = [
      { side: 'benefit', title: 'Benefits', note: 'what customers gain' },
      { side: 'cost', title: 'Costs', note: 'what it costs them: money, time, effort, risk' },
    ];

    const scheduleRecompute = app.dom.leadingPerFrame(() => flushInputs());
    const rows = new Map(); // item id → {item, index, slider, output, score, error, surveyMean}
    const pendingWeights = new Map(); // item id → weight, not applied yet (see scheduleRecompute)
    let scoresChanged = false; // an entered score was applied since the last recompute
    const calc = () => app.state.calc;

    // ---------------------------------------------------------------- messages

    function showError(message) {
      $('model-info').textContent = '';
      $('model-status').textContent = message;
    }
    function showInfo(message) {
      $('model-status').textContent = '';
      $('model-info').textContent = message;
    }
    function clearMessages() {
      $('model-status').textContent = '';
      $('model-info').textContent = '';
    }

    // ---------------------------------------------------------------- the model file

    /** A new model replaces the survey, so a pending survey import and the grid page go too. */
    function modelReplaced() {
      app.surveyImport.drop();
      app.survey.showRow(0);
    }

    /**
     * A model (object or JSON text) in place of the current one, everything re-rendered. Throws
     * the calculator's refusal (CalculatorError), and then nothing has changed: the calculator
     * refuses atomically, and the page is not re-rendered. Also app.api.loadModel.
     */
    function loadModel(model) {
      calc().loadModel(model);
      modelReplaced();
      app.page.afterModelChange();
    }

    function loadModelText(text, from) {
      clearMessages();
      try {
        loadModel(text);
      } catch (e) {
        showError('Could not load ' + from + ': ' + messageOf(e));
        return;
      }
      const m = app.state.model;
      showInfo('Loaded ' + from + ': ' + (m.name ? '"' + m.name + '", ' : '') +
        m.items.length + ' item' + (m.items.length === 1 ? '' : 's') + ', ' + m.segments.length +
        ' segment' + (m.segments.length === 1 ? '' : 's') + '. Results use the entered scores.');
    }

    function loadSample() {
      clearMessages();
      try {
        calc().loadModel(app.samples.model);
      } catch (e) {
        showError('Could not load the sample model: ' + messageOf(e));
        return;
      }
      modelReplaced();
      app.survey.applySample(false);
      app.page.afterModelChange();
      showInfo('Loaded the sample model and the sample survey.');
    }

    function downloadModel() {
      const model = calc().model();
      if (!model) return;
      const text = JSON.stringify(model, null, 2) + '\n';
      downloadText(text, 'application/json', app.dom.fileSlug(model.name, 'customer-value-model') + '.json');
    }

    function bind() {
      const fileInput = $('model-input');
      $('open-model').addEventListener('click', () => fileInput.click());
      fileInput.addEventListener('change', () => {
        const file = fileInput.files && fileInput.files[0];
        if (!file) return;
        fileInput.value = ''; // choosing the same file again still triggers a change
        app.project.openFile(file, false); // a project or a model
      });
      $('load-pasted').addEventListener('click', () => {
        const text = $('model-text').value;
        if (!text.trim()) {
          showError('Paste a model in JSON format into the box first.');
          $('model-text').focus();
          return;
        }
        app.project.openText(text, 'the pasted JSON');
      });
      $('load-sample').addEventListener('click', loadSample);
      $('download-model').addEventListener('click', downloadModel);
    }

    // ---------------------------------------------------------------- item rows

    function overridesFor(itemId) {
      const parts = [];
      for (const s of app.state.model.segments) {
        const w = s.weights && s.weights[itemId];
        const sc = s.scores && s.scores[itemId];
        if (F.isNumber(w)) parts.push(s.label + ' ' + F.number(w, Number.isInteger(w) ? 0 : 1));
        if (F.isNumber(sc)) parts.push(s.label + ' score ' + F.decimal(sc));
      }
      return parts.length ? 'Segment overrides: ' + parts.join(', ') : '';
    }

    function buildItemRows() {
      const model = app.state.model;
      const host = $('item-groups');
      while (host.firstChild) host.removeChild(host.firstChild);
      rows.clear();
      pendingWeights.clear();
      const groupTemplate = $('item-group-template');
      const rowTemplate = $('item-row-template');
      const currency = model.currency;

      for (const { side, title, note } of SIDES) {
        const items = model.items.map((item, index) => ({ item, index })).filter((x) => x.item.side === side);
        if (!items.length) continue;
        const group = groupTemplate.content.firstElementChild.cloneNode(true);
        group.dataset.side = side;
        const heading = group.querySelector('.item-group-title');
        heading.textContent = title + ' ';
        const small = document.createElement('span');
        small.className = 'item-group-note';
        small.textContent = '(' + items.length + ': ' + note + ')';
        heading.appendChild(small);
        const list = group.querySelector('.item-list');
        for (const { item, index } of items) list.appendChild(itemRow(rowTemplate, item, index, currency));
        host.appendChild(group);
      }
    }

    function itemRow(rowTemplate, item, index, currency) {
      const row = rowTemplate.content.firstElementChild.cloneNode(true);
      row.dataset.item = item.id;
      row.dataset.testid = 'item-' + item.id;
      row.classList.add('side-' + item.side);
      row.querySelector('.item-label').textContent = item.label;
      row.querySelector('.item-meta').textContent = F.describeKind(item.kind) + ' \u00b7 ' + F.describeScale(item, currency);
      const overrides = overridesFor(item.id);
      const overridesNode = row.querySelector('.item-overrides');
      overridesNode.textContent = overrides;
      overridesNode.hidden = !overrides;

      const [weightLabel, scoreLabel] = row.querySelectorAll('label.field-label');
      for (const sr of row.querySelectorAll('.item-label-sr')) sr.textContent = ' for ' + item.label;

      const errorId = 'item-error-' + index;
      const error = row.querySelector('.field-error');
      error.id = errorId;
      error.dataset.testid = 'score-error-' + item.id;

      const slider = row.querySelector('input[type="range"]');
      slider.id = 'weight-' + index;
      slider.dataset.testid = 'weight-' + item.id;
      slider.value = String(item.weight);
      slider.setAttribute('aria-describedby', errorId);
      weightLabel.htmlFor = slider.id;
      const output = row.querySelector('.weight-value');
      output.htmlFor.add(slider.id);
      output.dataset.testid = 'weight-value-' + item.id;

      const score = row.querySelector('.score-input');
      score.id = 'score-' + index;
      score.dataset.testid = 'score-' + item.id;
      score.value = F.inputText(item.score);
      const bounds = F.scaleBounds(item);
      score.placeholder = bounds.high === null ? 'amount' : bounds.low + '\u2013' + bounds.high;
      score.setAttribute('aria-describedby', errorId);
      scoreLabel.htmlFor = score.id;

      const surveyMean = row.querySelector('.survey-mean');
      surveyMean.dataset.testid = 'survey-mean-' + item.id;

      const entry = { item, index, slider, output, score, error, surveyMean };
      rows.set(item.id, entry);
      showWeight(entry, item.weight);

      slider.addEventListener('input', () => {
        const weight = Number(slider.value);
        showWeight(entry, weight);
        pendingWeights.set(item.id, weight);
        scheduleRecompute();
      });
      score.addEventListener('input', () => submitScore(entry, score.getAttribute('aria-invalid') === 'true'));
      score.addEventListener('change', () => submitScore(entry, true));
      return row;
    }

    /** A weight as the slider's output shows it, also its aria-valuetext. */
    function showWeight(entry, weight) {
      const text = F.number(weight, Number.isInteger(weight) ? 0 : 1);
      const spoken = text + ' of 10';
      app.dom.setText(entry.output, text);
      if (entry.slider.getAttribute('aria-valuetext') !== spoken) entry.slider.setAttribute('aria-valuetext', spoken);
    }

    function setFieldError(entry, input, message) {
      setControlError(input, entry.error, message);
      input.setAttribute('aria-describedby', entry.error.id); // described by its error line at all times
    }

    /**
     * A typed score: checked here for empty / non-numeric text, then by the calculator against
     * the item's scale. `showErrors` is false while typing (a half-typed number is not an error
     * yet) and true on change (Enter or leaving the field) or once the field is marked invalid.
     */
    function submitScore(entry, showErrors) {
      const { item, score } = entry;
      const parsed = F.parseNumber(score.value);
      if (!parsed.ok) {
        if (!showErrors) return;
        const bounds = F.scaleBounds(item);
        const range = bounds.high === null ? 'an amount of 0 or more' : 'a number from ' + bounds.low + ' to ' + bounds.high;
        let message;
        // Worded like the calculator's own messages, which quote the label in straight quotes.
        const name = '"' + item.label + '"';
        if (parsed.reason === 'empty') message = 'Enter a score for ' + name + ': ' + range + '.';
        else if (parsed.reason === 'too large') message = 'The score for ' + name + ' is too large; enter ' + range + '.';
        else message = 'The score for ' + name + ' must be a number (' + range + '); got "' + score.value.trim().slice(0, 40) + '".';
        setFieldError(entry, score, message);
        return;
      }
      // Apply now so a scale error is reported next to the field; the recompute is coalesced.
      try {
        calc().setEnteredScore(item.id, parsed.value);
      } catch (e) {
        if (showErrors) setFieldError(entry, score, messageOf(e));
        return;
      }
      setFieldError(entry, score, '');
      scoresChanged = true;
      scheduleRecompute();
    }

    /** The weights moved and scores typed since the last frame go to the calculator; then one recompute. */
    function flushInputs() {
      let changed = scoresChanged;
      scoresChanged = false;
      for (const [id, weight] of pendingWeights) {
        const entry = rows.get(id);
        try {
          calc().setWeight(id, weight);
          changed = true;
          if (entry && entry.error.textContent && entry.slider.getAttribute('aria-invalid')) {
            setFieldError(entry, entry.slider, '');
          }
        } catch (e) {
          if (entry) setFieldError(entry, entry.slider, messageOf(e));
        }
      }
      pendingWeights.clear();
      if (changed) weightsChanged();
    }

    function weightsChanged() {
      app.state.model = calc().model();
      app.page.recompute();
      app.keep.modelChanged();
    }

    /**
     * A weight set from outside the sliders (app.api): an item's, or with segmentId a segment's
     * override. Throws the calculator's refusal, changing nothing. A slider move not yet applied
     * for that item is dropped: this later value wins.
     */
    function setWeight(itemId, weight, segmentId) {
      calc().setWeight(itemId, weight, segmentId);
      if (segmentId) {
        app.page.afterModelChange(); // the item's "Segment overrides" line changes too
        return;
      }
      pendingWeights.delete(itemId);
      weightsChanged();
    }

    /** Each row's survey mean, and its slider kept in step with the model (unless being moved). */
    function renderItemValues(fmt) {
      const r = app.state.results;
      const surveyUsed = r.source === 'survey' && r.overall.source === 'survey';
      app.state.model.items.forEach((item, index) => {
        const entry = rows.get(item.id);
        if (!entry) return;
        if (!pendingWeights.has(item.id) && app.root.activeElement !== entry.slider) {
          if (entry.slider.value !== String(item.weight)) entry.slider.value = String(item.weight);
          showWeight(entry, item.weight);
        }
        const result = surveyUsed ? r.overall.items[index] : null;
        if (result && F.isNumber(result.mean_score)) {
          app.dom.setText(entry.surveyMean, item.scale === 'currency'
            ? F.money(result.mean_score, fmt.currency) : F.number(result.mean_score, 2));
        } else {
          app.dom.setText(entry.surveyMean, surveyUsed ? 'no data' : 'not used');
        }
      });
    }

    return { bind, loadModel, loadSample, loadModelText, setWeight, buildItemRows, renderItemValues, showError, showInfo,
      clearMessages };
  };
})();
