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
    root.CustomerValueCalculator = factory(root.createCvcModule, root);
  }
})(typeof self !== 'undefined' ? self : this, function (createCvcModule, root) {
  'use strict';

  /** An input the calculator refused. `field` locates it: "items[2].weight", "row 4, item price". */
  class CalculatorError extends Error {
    constructor(message, field) {
      super(message);
      this.name = 'CalculatorError';
      this.field = field || '';
    }
  }

  /**
   * In a built page the wasm bytes are inlined as base64 (root.cvcWasmBase64, written by
   * scripts/build-page.js), compressed when root.cvcWasmEncoding is 'deflate-raw' (the page is
   * then 40% of the size), and handed to the runtime, which then fetches nothing: the page works
   * from file:// and under a CSP without connect-src. Under node the runtime reads
   * cvc-module.wasm from beside cvc-module.js.
   *
   * The bytes are compiled as soon as they are unpacked (WebAssembly.compile works off the main
   * thread), and the runtime instantiates that compiled module (instantiateWasm) instead of
   * compiling the bytes again. In a page this starts while the page's other scripts load (see
   * the end of this block), so the engine is ready about when the page is.
   */
  async function moduleOptions() {
    const base64 = root && root.cvcWasmBase64;
    if (typeof base64 !== 'string') return {};
    let bytes = base64Bytes(base64);
    if (root.cvcWasmEncoding === 'deflate-raw') {
      if (typeof DecompressionStream !== 'function') {
        throw new Error('this browser cannot unpack the calculation engine (it has no DecompressionStream)');
      }
      // A Response's body rather than a Blob's stream: no copy into the blob store (2-10 ms).
      const inflated = new Response(bytes).body.pipeThrough(new DecompressionStream('deflate-raw'));
      bytes = new Uint8Array(await new Response(inflated).arrayBuffer());
    }
    const compiled = WebAssembly.compile(bytes);
    compiled.catch(() => {}); // said by loadModule, when the engine is asked for
    return { wasmBinary: bytes, compiled };
  }

  /** base64 → bytes: the platform's decoder where there is one (10× faster), else atob. */
  function base64Bytes(base64) {
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
    const text = atob(base64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  let optionsPromise = null;
  let modulePromise = null;
  function loadModule() {
    if (!optionsPromise) optionsPromise = moduleOptions();
    if (!modulePromise) {
      modulePromise = optionsPromise.then(({ wasmBinary, compiled }) => {
        if (!compiled) return createCvcModule(wasmBinary ? { wasmBinary } : {});
        // The runtime's instantiateWasm hook cannot reject its ready promise: a failure to
        // instantiate rejects this one instead.
        let failed;
        const failure = new Promise((resolve, reject) => {
          failed = reject;
        });
        const instantiateWasm = (imports, receiveInstance) => {
          compiled.then((module) => WebAssembly.instantiate(module, imports).then((instance) => {
            receiveInstance(instance, module);
          })).catch(failed);
          return {}; // the exports arrive through receiveInstance
        };
        return Promise.race([createCvcModule({ wasmBinary, instantiateWasm }), failure]);
      });
    }
    return modulePromise;
  }

  /** The page's wasm bytes (a copy), for the import worker's own instance; null under node. */
  async function wasmBytes() {
    if (!optionsPromise) optionsPromise = moduleOptions();
    const options = await optionsPromise;
    return options.wasmBinary ? options.wasmBinary.slice() : null;
  }

  /**
   * The page's compiled WebAssembly.Module, or null (under node, or when it did not compile).
   * A Module can be posted to a Web Worker, which then instantiates it without compiling the
   * bytes again, and shares the engine's optimised code with the page (cvc-import-worker.js).
   */
  async function wasmModule() {
    if (!optionsPromise) optionsPromise = moduleOptions();
    const options = await optionsPromise;
    if (!options.compiled) return null;
    return options.compiled.then((module) => module, () => null);
  }

  // A page (not a worker, not node) unpacks and compiles the engine at once, while it loads.
  if (root && typeof root.cvcWasmBase64 === 'string' && typeof document !== 'undefined') {
    optionsPromise = moduleOptions();
    optionsPromise.catch(() => {}); // said by create(), when a calculator is asked for
  }

  // Converts records to the typed arrays the module takes. `firstRow` numbers the messages.
  function toArrays(model, records, firstRow) {
    const items = model.items.map((item) => item.id);
    const segmentIndex = new Map(model.segments.map((s, i) => [s.id, i]));
    const answers = new Float64Array(records.length * items.length);
    const membership = new Uint8Array(records.length * model.segments.length);
    const metrics = new Float64Array(records.length * 3).fill(NaN);
    const ids = [];
    const number = (v, where) => {
      if (v === null || v === undefined || v === '') return NaN;
      if (typeof v !== 'number') {
        throw new CalculatorError(where + ': "' + String(v).slice(0, 40) + '" is not a number.', where);
      }
      return v;
    };
    records.forEach((record, r) => {
      const where = 'row ' + (firstRow + r + 1);
      if (record === null || typeof record !== 'object') {
        throw new CalculatorError(where + ': expected an object.', where);
      }
      const given = record.answers || {};
      items.forEach((id, j) => {
        answers[r * items.length + j] = number(given[id], where + ', item ' + id);
      });
      for (const s of record.segments || []) {
        if (!segmentIndex.has(s)) {
          throw new CalculatorError(where + ': there is no segment with id "' + s + '".', where + ', segments');
        }
        membership[r * model.segments.length + segmentIndex.get(s)] = 1;
      }
      ['nps', 'csat', 'ces'].forEach((m, k) => {
        metrics[r * 3 + k] = number(record[m], where + ', ' + m);
      });
      ids.push(record.id === undefined || record.id === null ? '' : String(record.id));
    });
    return { answers, membership, metrics, ids };
  }

  // A file's bytes from a Uint8Array, an ArrayBuffer or text.
  function toBytes(file) {
    if (typeof file === 'string') return new TextEncoder().encode(file);
    if (file instanceof ArrayBuffer) return new Uint8Array(file);
    if (file instanceof Uint8Array) return file;
    throw new CalculatorError('Expected the file as bytes (Uint8Array or ArrayBuffer).', 'file');
  }

  // A model or project as JSON text (given as an object or as text already).
  function jsonText(value, what) {
    if (typeof value === 'string') return value;
    let text;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw new CalculatorError('The ' + what + ' could not be turned into JSON: ' + e.message, what);
    }
    if (text === undefined) throw new CalculatorError('The ' + what + ' is empty.', what);
    return text;
  }

  /**
   * Compresses or decompresses bytes in the zlib format (RFC 1950) with the platform's
   * CompressionStream, whose Adler-32 check catches a damaged share link. Decompression stops
   * at `limit` bytes, so a small link cannot expand into gigabytes.
   */
  async function transform(bytes, direction, limit) {
    const Stream = direction === 'compress' ? globalThis.CompressionStream : globalThis.DecompressionStream;
    if (typeof Stream !== 'function') {
      throw new CalculatorError('This browser cannot make or open share links (it has no ' +
        'CompressionStream); save the project to a file instead.', 'link');
    }
    const reader = new Blob([bytes]).stream().pipeThrough(new Stream('deflate')).getReader();
    const chunks = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > limit) {
          reader.cancel().catch(() => {});
          throw new CalculatorError('The link holds more data than this page opens (over ' +
            Math.round(limit / 1048576) + ' MB); share the project as a file instead.', 'link');
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof CalculatorError) throw e;
      throw new CalculatorError('The link is damaged: its data does not unpack (it may have ' +
        'been cut off or changed when it was copied).', 'link');
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  // {value} → value; {error} → throw.
  function unwrap(text) {
    const envelope = JSON.parse(text);
    if (envelope.error) throw new CalculatorError(envelope.error.message, envelope.error.field);
    return envelope.value;
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
    #module;
    #model = null;

    constructor(module) {
      this.#module = module;
      this.#native = new module.Calculator();
      if (registry) registry.register(this, this.#native, this);
    }

    #live() {
      if (!this.#native) throw new CalculatorError('This calculator has been disposed.', 'calculator');
      return this.#native;
    }

    /** Replaces the model (an object or JSON text). Clears survey responses. */
    loadModel(model) {
      check(this.#live().loadModel(jsonText(model, 'model')));
      this.#model = null;
    }

    /**
     * Renames the model and/or sets the ISO 4217 currency its amounts are in ("EUR"); a field
     * left out stays as it is. Survey and customer data are kept.
     */
    setModelInfo({ name, currency } = {}) {
      check(this.#live().setModelInfo(name === undefined ? null : name, currency === undefined ? null : currency));
      this.#model = null;
    }

    /**
     * The project file as JSON text: the model with the survey responses and the customer
     * table, each left out when its option is false (a share link without data).
     */
    projectJson({ survey = true, customers = true } = {}) {
      this.#requireModel();
      return this.#live().projectJson(Boolean(survey), Boolean(customers));
    }

    /**
     * Opens a project file (an object or JSON text; a bare model file works too): replaces the
     * model, the survey and the customer table together, or throws and changes nothing.
     */
    openProject(project) {
      check(this.#live().loadProjectJson(jsonText(project, 'project')));
      this.#model = null;
    }

    /**
     * A share link's fragment, "#cvc1.…": the project compressed into the URL, never sent to a
     * server. Data is included only when asked for: { survey: true, customers: true }.
     */
    async shareLink({ survey = false, customers = false } = {}) {
      const text = this.projectJson({ survey, customers });
      const compressed = await transform(new TextEncoder().encode(text), 'compress', Infinity);
      return '#' + this.#module.shareFragment(compressed);
    }

    /**
     * Opens a share link (a whole URL, or its "#cvc1.…" part). A truncated, changed or foreign
     * link throws CalculatorError (field "link") and changes nothing.
     */
    async openShareLink(link) {
      const bytes = this.#module.sharePayload(String(link));
      if (!(bytes instanceof Uint8Array)) check(bytes);
      const json = await transform(bytes, 'decompress', this.#module.maxSharePayloadBytes);
      let text;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(json);
      } catch (e) {
        throw new CalculatorError('The link is damaged: its data is not text.', 'link');
      }
      this.openProject(text);
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
     * metrics:    optional Float64Array, rows × 3 (NPS 0–10, CSAT, CES 1–7); NaN = not answered.
     * ids:        optional array of respondent ids (strings).
     */
    setResponses({ rows, answers, membership, metrics, ids }) {
      const segments = (this.model() || { segments: [] }).segments.length;
      if (!Number.isInteger(rows) || rows < 0) {
        throw new CalculatorError('rows: must be a whole number of respondents.', 'rows');
      }
      check(this.#live().setResponses(answers || new Float64Array(0),
                                      membership || new Uint8Array(rows * segments), rows,
                                      metrics || null, ids ? ids.map(String) : null));
    }

    /**
     * Convenience for embedders: responses as records,
     *   [{ id: 'R1', segments: ['smb', 'new'], answers: { price: 4, insights: 5 }, nps: 9 }, ...]
     * Missing or null answers count as not answered. Errors name the record (1-based).
     */
    setResponseRecords(records) {
      const model = this.#requireModel();
      if (!Array.isArray(records)) throw new CalculatorError('responses: expected a list.', 'responses');
      const arrays = toArrays(model, records, 0);
      this.setResponses({ rows: records.length, ...arrays });
    }

    /** Adds one respondent (a record as in setResponseRecords). */
    addResponse(record) {
      const model = this.#requireModel();
      const rows = this.responseCount();
      const a = toArrays(model, [record], rows);
      check(this.#live().putResponse(-1, a.answers, a.membership, a.metrics, a.ids));
    }

    /** Replaces respondent `row` (0-based) with a record. */
    replaceResponse(row, record) {
      const model = this.#requireModel();
      const a = toArrays(model, [record], row);
      check(this.#live().putResponse(row, a.answers, a.membership, a.metrics, a.ids));
    }

    /** Deletes respondent `row` (0-based). */
    deleteResponse(row) {
      check(this.#live().deleteResponse(row));
    }

    /**
     * Survey rows [offset, offset + count) for display:
     * { rows, offset, item_ids, page: [{ row, id, answers: [..], segments: [ids], nps, csat, ces }] }
     */
    responses(offset = 0, count = 100) {
      return unwrap(this.#live().responsesPage(offset, count));
    }

    /**
     * Step 1 of a CSV import: reads the file (a Uint8Array, ArrayBuffer or string) and returns
     * the preview: { delimiter, decimal_comma, data_rows, headers, sample_rows,
     * columns: [{ column, header, profile, proposed: mapping }] }. Nothing changes yet.
     */
    importCsv(file) {
      this.#requireModel();
      return unwrap(this.#live().beginCsvImport(toBytes(file)));
    }

    /**
     * Step 2: reads the file against a mapping (a list like the preview's `proposed` values)
     * and returns the report: { rows_total, rows_valid, rows_rejected, problem_count,
     * problems: [{ row, column, header, value, reason }], created_items, created_segments }.
     * Nothing changes yet.
     */
    checkImport(mapping, { delimiter = ',', decimal_comma = false, satisfaction = null } = {}) {
      return unwrap(this.#live().stageCsvImport(JSON.stringify(mapping), String(delimiter),
                                                Boolean(decimal_comma),
                                                satisfaction ? JSON.stringify(satisfaction) : ''));
    }

    /**
     * How CSAT and CES were asked: {csat_scale: '1-5'|'1-7'|'1-10', csat_satisfied_from,
     * ces_agree_from}. Refused when loaded CSAT answers do not fit the scale.
     */
    setSatisfactionSettings(settings) {
      check(this.#live().setSatisfactionSettings(JSON.stringify(settings)));
      this.#model = null;
    }

    /**
     * Step 3: applies the checked import's valid rows, replacing the survey, or with
     * {append: true} adding them to it (respondent ids must stay unique).
     */
    commitImport({ append = false } = {}) {
      check(this.#live().commitImport(Boolean(append)));
      this.#model = null; // the import may have added items and segments
    }

    /**
     * Step 2 done elsewhere: the import worker (cvc-import-worker.js) checked the file in its own
     * instance of the module and sends the checked import as a header and arrays (ArrayBuffers);
     * they become this calculator's checked import, for commitImport() or cancelImport().
     * satisfactionGiven: the check was made with satisfaction settings of its own. laterParts:
     * for a file checked in two parts and joined (the header says so), the second part's arrays;
     * `parts` are then the first part's. They are put together as they are copied in.
     */
    adoptStagedImport(header, parts, satisfactionGiven, laterParts = null) {
      check(this.#live().adoptStagedImport(String(header), parts, Boolean(satisfactionGiven), laterParts || null));
    }

    /**
     * The survey as {header, parts, version}: JSON text and one ArrayBuffer per stored array (a
     * byte per rating). A million respondents are ~30 MB this way, against ~300 MB as JSON rows;
     * the page's autosave keeps it so. `version` changes whenever the survey changes.
     */
    surveyParts() {
      const native = this.#live();
      return { header: native.surveyHeader(), parts: native.surveyParts(), version: native.surveyVersion() };
    }

    /** The survey again from surveyParts() kept for the current model; refused when foreign or damaged. */
    restoreSurvey({ header, parts }) {
      check(this.#live().restoreSurvey(String(header), Array.isArray(parts) ? parts : []));
    }

    /** A number that changes whenever the survey responses change. */
    surveyVersion() {
      return this.#live().surveyVersion();
    }

    /** Drops a previewed or checked import; nothing changes. */
    cancelImport() {
      this.#live().cancelImport();
    }

    /** A CSV template (header row and one example row) that matches the current model. */
    templateCsv() {
      return this.#live().templateCsv();
    }

    /**
     * The customer table, imported like the survey: importCustomersCsv(bytes) → preview
     * ({columns: [{column, header, profile, examples, proposed: {column, field, label}}], ...});
     * checkCustomerImport(mapping, {delimiter, decimal_comma}) → report; then
     * commitCustomerImport() or cancelCustomerImport(). Nothing changes before the commit.
     */
    importCustomersCsv(file) {
      this.#requireModel();
      return unwrap(this.#live().beginCustomerImport(toBytes(file)));
    }
    checkCustomerImport(mapping, { delimiter = ',', decimal_comma = false } = {}) {
      return unwrap(this.#live().stageCustomerImport(JSON.stringify(mapping), String(delimiter),
                                                     Boolean(decimal_comma)));
    }
    commitCustomerImport() {
      check(this.#live().commitCustomerImport());
    }
    cancelCustomerImport() {
      this.#live().cancelCustomerImport();
    }
    clearCustomers() {
      this.#live().clearCustomers();
    }
    customerCount() {
      return this.#live().customerCount();
    }

    /** Replaces the model's business settings (the "business" block of the model file). */
    setBusinessSettings(settings) {
      check(this.#live().setBusinessSettings(JSON.stringify(settings)));
      this.#model = null;
    }

    /**
     * Business results for the customer table (see docs/api.md): contribution, churn, CLV,
     * health, the satisfaction-vs-value quadrants and map points, the satisfied-but-eroding
     * list, MRR movements and the survey join. null before a model is loaded.
     */
    businessResults() {
      return JSON.parse(this.#live().businessJson());
    }

    /**
     * Customers [offset, offset + count) with their own results: { customers, offset, page:
     * [{ row, id, segments, revenue, cost_to_serve, contribution, value_to_date, clv,
     *    satisfaction, satisfaction_from_survey, health, tenure_months, churned,
     *    payment_status, quadrant }] }
     */
    customers(offset = 0, count = 100) {
      return unwrap(this.#live().customersPage(offset, count));
    }

    /**
     * Edits the customer table one customer at a time. A record uses the customer CSV's
     * field names: { id, segments: ['SMB'], revenue, mrr: [..one per MRR column..],
     * gross_margin: '35%', support_hours, …, start_date: '2026-01-31', nps, payment_status }.
     * Each value is checked as the import checks it; errors name the row and field.
     */
    addCustomer(record) {
      check(this.#live().putCustomer(-1, JSON.stringify(record)));
    }
    replaceCustomer(row, record) {
      check(this.#live().putCustomer(row, JSON.stringify(record)));
    }
    deleteCustomer(row) {
      check(this.#live().deleteCustomer(row));
    }

    #requireModel() {
      const model = this.model();
      if (!model) throw new CalculatorError('Load a model first.', 'model');
      return model;
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

    /**
     * The results as CSV, one row per view (all customers, then each segment), numbers
     * unrounded; text that a spreadsheet would run as a formula is neutralised.
     */
    resultsCsv() {
      return this.#live().resultsCsv();
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
    /**
     * The quick calculators, no table needed: kind is 'simple_clv', 'discounted_clv',
     * 'saas_ltv', 'churn', 'mrr_movements' or 'rate'; inputs as in docs/api.md.
     * Throws CalculatorError naming the field on bad input.
     */
    async quick(kind, inputs) {
      const module = await loadModule();
      return unwrap(module.quickCalculate(String(kind), JSON.stringify(inputs)));
    },
    CalculatorError,
    wasmBytes,
    wasmModule,
  };
});
