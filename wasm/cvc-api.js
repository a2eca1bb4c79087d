/*
 * Customer Value Calculator: the JavaScript API over the WebAssembly core.
 *
 *   const calc = await CustomerValueCalculator.create();
 *   calc.loadModel(modelObjectOrJsonText);          // throws CalculatorError on bad input
 *   calc.setWeight('price', 7);                      // or calc.setWeight('price', 7, 'smb')
 *   const results = calc.results();                  // one plain object, numbers never NaN
 *
 * Loaded as a classic script after cvc-module.js (browser, Web Worker) it defines the global
 * `CustomerValueCalculator`; under node, `require('./cvc-api.js')` returns the same object.
 * Every call that can fail either succeeds completely or throws and changes nothing.
 * See docs/api.md.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(require('./cvc-module.js'));
  } else {
    root.CustomerValueCalculator = factory(root.createCvcModule);
  }
})(typeof self !== 'undefined' ? self : this, function (createCvcModule) {
  'use strict';

  /** An input the calculator refused. `field` locates it: "items[2].weight", "row 4, item price". */
  class CalculatorError extends Error {
    constructor(message, field) {
      super(message);
      this.name = 'CalculatorError';
      this.field = field || '';
    }
  }

  let modulePromise = null;
  function loadModule() {
    if (!modulePromise) modulePromise = createCvcModule();
    return modulePromise;
  }

  function check(error) {
    if (error !== null && error !== undefined) throw new CalculatorError(error.message, error.field);
  }

  // Native objects are freed when dispose() is called, or when the wrapper is garbage-collected.
  const registry =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry((native) => native.delete())
      : null;

  class Calculator {
    #native;
    #model = null;

    constructor(module) {
      this.#native = new module.Calculator();
      if (registry) registry.register(this, this.#native, this);
    }

    #live() {
      if (!this.#native) throw new CalculatorError('This calculator has been disposed.', 'calculator');
      return this.#native;
    }

    /** Replaces the model (an object or JSON text). Clears survey responses. */
    loadModel(model) {
      let text = model;
      if (typeof model !== 'string') {
        try {
          text = JSON.stringify(model);
        } catch (e) {
          throw new CalculatorError('The model could not be turned into JSON: ' + e.message, 'model');
        }
        if (text === undefined) throw new CalculatorError('The model is empty.', 'model');
      }
      check(this.#live().loadModel(text));
      this.#model = null;
    }

    /** The current model as a plain object (the model file format), or null. */
    model() {
      if (!this.#model) this.#model = JSON.parse(this.#live().modelJson());
      return this.#model ? JSON.parse(JSON.stringify(this.#model)) : null;
    }

    /**
     * Replaces the survey responses in bulk.
     * answers:    Float64Array, rows × items, row-major in the model's item order; NaN = not answered.
     * membership: Uint8Array, rows × segments, row-major in the model's segment order; 1 = member.
     */
    setResponses({ rows, answers, membership }) {
      const segments = (this.model() || { segments: [] }).segments.length;
      if (!Number.isInteger(rows) || rows < 0) {
        throw new CalculatorError('rows: must be a whole number of respondents.', 'rows');
      }
      check(this.#live().setResponses(answers || new Float64Array(0),
                                      membership || new Uint8Array(rows * segments), rows));
    }

    /**
     * Convenience for embedders: responses as records,
     *   [{ segments: ['smb', 'new'], answers: { price: 4, insights: 5 } }, ...]
     * Missing or null answers count as not answered. Errors name the record (1-based).
     */
    setResponseRecords(records) {
      const model = this.model();
      if (!model) throw new CalculatorError('Load a model before adding survey responses.', 'model');
      if (!Array.isArray(records)) throw new CalculatorError('responses: expected a list.', 'responses');
      const items = model.items.map((item) => item.id);
      const segmentIndex = new Map(model.segments.map((s, i) => [s.id, i]));
      const answers = new Float64Array(records.length * items.length);
      const membership = new Uint8Array(records.length * model.segments.length);
      records.forEach((record, r) => {
        const where = 'row ' + (r + 1);
        if (record === null || typeof record !== 'object') {
          throw new CalculatorError(where + ': expected an object.', where);
        }
        const given = record.answers || {};
        items.forEach((id, j) => {
          const v = given[id];
          if (v === null || v === undefined || v === '') {
            answers[r * items.length + j] = NaN;
          } else if (typeof v !== 'number') {
            throw new CalculatorError(
              where + ', item ' + id + ': "' + String(v).slice(0, 40) + '" is not a number.',
              where + ', item ' + id);
          } else {
            answers[r * items.length + j] = v;
          }
        });
        for (const s of record.segments || []) {
          if (!segmentIndex.has(s)) {
            throw new CalculatorError(where + ': there is no segment with id "' + s + '".', where + ', segments');
          }
          membership[r * model.segments.length + segmentIndex.get(s)] = 1;
        }
      });
      this.setResponses({ rows: records.length, answers, membership });
    }

    clearResponses() {
      this.#live().clearResponses();
    }

    /** Number of survey rows loaded. */
    responseCount() {
      return this.#live().responseRows();
    }

    /** Sets an item's weight (0–10), or a segment's override of it. */
    setWeight(itemId, weight, segmentId) {
      if (typeof weight !== 'number') {
        throw new CalculatorError('The weight of "' + itemId + '" must be a number.', 'weight');
      }
      check(this.#live().setWeight(String(itemId), weight, segmentId ? String(segmentId) : ''));
      this.#model = null;
    }

    /** Sets (or with null clears) an entered score for the model or one segment. */
    setEnteredScore(itemId, score, segmentId) {
      check(this.#live().setEnteredScore(String(itemId), score === undefined ? null : score,
                                         segmentId ? String(segmentId) : ''));
      this.#model = null;
    }

    /** All results as one plain object (see docs/api.md), or null before a model is loaded. */
    results() {
      return JSON.parse(this.#live().resultsJson());
    }

    /** Frees the native memory now; the calculator cannot be used afterwards. */
    dispose() {
      if (this.#native) {
        if (registry) registry.unregister(this);
        this.#native.delete();
        this.#native = null;
      }
    }
  }

  return {
    /** Creates a calculator; the WebAssembly module is loaded once and shared. */
    async create() {
      return new Calculator(await loadModule());
    },
    CalculatorError,
  };
});
