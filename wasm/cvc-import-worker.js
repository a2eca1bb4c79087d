/*
 * The survey import in a Web Worker, so that a large file never blocks the page and is never in
 * memory as a whole:
 *
 *   const worker = new CustomerValueCalculator.ImportWorker();
 *   const preview = await worker.preview(file, calc, { onProgress });   // step 1
 *   const report = await worker.check(file, calc, mapping, options, { onProgress }); // step 2
 *   calc.commitImport();                                                 // step 3, as usual
 *   worker.cancel();   // stops a running step at once; nothing has changed
 *
 * The worker runs its own instance of the same module, made from the page's own code (a Blob
 * URL, so it works from file:// and needs no other file) and the page's compiled
 * WebAssembly.Module (no second compile; the page's wasm bytes are the fallback). It reads
 * the File in slices (File.slice + FileReaderSync) straight into wasm memory, reports progress
 * (bytes, rows), and sends the checked import to the page as a header and ArrayBuffers
 * (transferred, not copied; from two workers, each one's part, joined as the page copies them
 * in), which calc.adoptStagedImport() checks again and keeps. If the
 * worker fails for any reason (a crash, out of memory), the step rejects with an
 * ImportWorkerError and the page's calculator is exactly as it was.
 *
 * Loaded as a classic script after cvc-api.js. Needs the built page's `cvcRuntime` (the module's
 * code as a function, written by scripts/build-page.js); ImportWorker.available() says whether
 * this page has it and Workers. See docs/api.md.
 */
(function (root) {
  'use strict';

  const api = root.CustomerValueCalculator;
  if (!api) return;
  const { CalculatorError } = api;

  /**
   * The worker's code. It runs in the worker, made from this function's source text: it must
   * use nothing from the page but its two arguments.
   */
  function workerMain(scope, createCvcModule) {
    'use strict';
    const files = new FileReaderSync();
    const PROGRESS_EVERY_MS = 100;
    let module = null;

    // The slices a preview read, up to KEEP_BYTES, kept for the check of the same file (the
    // page's File object, m.fileId) that usually follows: that check then reads them from here,
    // not from the file again (Chromium, 1M rows: the read was 100-115 ms of each worker's
    // 350 ms). A step may read a slice twice (the header row, then all rows). The slices go
    // with the worker, which a check ends. A File whose file changed on disk can no longer be
    // read (Chromium: NotReadableError), so kept slices and slices read later never mix two
    // versions.
    const KEEP_BYTES = 64 * 1024 * 1024;
    let kept = null; // {fileId, bytes, slices: Map of 'offset/length' -> Uint8Array}
    let fileBytes = 0; // read from the file (not from `kept`) by the step that runs

    // read(offset, view) for the module: fills `view` (wasm memory) with the file's bytes,
    // keeping them in `fill` or taking them from `take` (the kept slices, or null).
    // `test` (tests only, see ImportWorker below) slows the reads down, makes the worker fail
    // in the middle of a file, or keeps fewer bytes (keepBytes).
    function reader(file, test, fill, take) {
      const keep = test && test.keepBytes >= 0 ? test.keepBytes : KEEP_BYTES;
      return (offset, view) => {
        if (test && offset + view.length > test.failAfterBytes) {
          throw new WebAssembly.RuntimeError('the import worker was made to fail (test)');
        }
        if (test && test.sliceDelayMs) {
          for (const until = Date.now() + test.sliceDelayMs; Date.now() < until;) { /* this thread only */ }
        }
        const key = offset + '/' + view.length;
        let bytes = take && take.slices.get(key);
        if (!bytes) {
          bytes = new Uint8Array(files.readAsArrayBuffer(file.slice(offset, offset + view.length)));
          fileBytes += bytes.length;
          if (fill && !fill.slices.has(key) && fill.bytes + bytes.length <= keep) {
            fill.slices.set(key, bytes);
            fill.bytes += bytes.length;
          }
        }
        view.set(bytes);
        return bytes.length;
      };
    }

    // The reader for step `m`: a preview keeps what it reads (and forgets an earlier file's
    // slices), a check of the same file reads what was kept.
    function readerFor(m) {
      const preview = m.type === 'preview' || m.type === 'previewPart';
      if (preview) kept = { fileId: m.fileId, bytes: 0, slices: new Map() };
      else if (kept && kept.fileId !== m.fileId) kept = null;
      return reader(m.file, m.test, preview ? kept : null, preview ? null : kept);
    }

    function progress(id, step, total) {
      let last = 0;
      return (bytes, rows) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS && bytes < total) return;
        last = now;
        scope.postMessage({ type: 'progress', id, step, bytes, total, rows });
      };
    }

    // The first part of a step made by two workers (a preview or a check), kept for its merge.
    let firstPart = null;
    function dropFirstPart() {
      if (firstPart) firstPart.delete();
      firstPart = null;
    }

    // One step on one file (on its bytes m.range = [begin, end) when given); the module's
    // objects are freed unless the module failed.
    function run(m) {
      if (m.type === 'previewMerge' || m.type === 'stageMerge') {
        if (!firstPart) throw new Error('no first part to merge with');
        const kept = firstPart;
        firstPart = null;
        try {
          if (m.type === 'previewMerge') return { text: kept.previewWithPart(m.bytes) };
          // A check: the later part's ids are looked up among this part's, and the import's
          // header says how the two parts' arrays make the survey; they are put together once,
          // where the page adopts them. The later part's ids go back to the page.
          return { text: kept.stageJoin(m.bytes, m.arrays), laterIds: m.arrays };
        } finally {
          kept.delete();
        }
      }
      dropFirstPart();
      const [begin, end] = m.range || [0, m.file.size];
      const file = new module.SurveyFile();
      const opened = file.open(m.model, m.file.size, begin, end, readerFor(m), progress(m.id, m.step || m.type, end - begin));
      let out;
      if (opened) {
        out = { error: opened };
      } else if (m.type === 'preview') {
        out = { text: file.preview() };
      } else if (m.type === 'previewPart' || m.type === 'stagePart') {
        const preview = m.type === 'previewPart';
        out = {
          text: preview ? file.previewPart(m.first)
            : file.stagePart(m.mapping, m.delimiter, m.decimalComma, m.satisfaction, m.first),
        };
        if (!JSON.parse(out.text).error) {
          if (m.first) {
            firstPart = file;
            // A check's first part sends its arrays now, while the other part may still be read:
            // the page joins them with the later part's (stageJoin).
            if (!preview) out.parts = out.arrays = file.stagePartArrays();
            return out;
          }
          out.bytes = preview ? file.partBytes() : file.stagePartBytes();
          out.arrays = preview ? [] : file.stagePartArrays();
          out.parts = [out.bytes.buffer].concat(out.arrays); // transferred
        }
      } else {
        const text = file.stage(m.mapping, m.delimiter, m.decimalComma, m.satisfaction);
        out = { text, parts: JSON.parse(text).error ? [] : file.parts() };
      }
      file.delete();
      return out;
    }

    // The module's instance: from the page's compiled module when it sent one (nothing is
    // decoded or compiled again: the engine's code for it, baseline and optimised, is the one
    // the page and earlier workers use), else, or when that fails, from the bytes. Resolves to
    // [runtime, 'module' | 'bytes'].
    function instantiate(m) {
      if (!m.module) return createCvcModule({ wasmBinary: m.wasm }).then((runtime) => [runtime, 'bytes']);
      let from = 'module';
      let failed;
      const failure = new Promise((resolve, reject) => {
        failed = reject;
      });
      // The runtime's instantiateWasm hook cannot reject its ready promise: a failure rejects
      // `failure` instead (as in cvc-api.js).
      const instantiateWasm = (imports, receiveInstance) => {
        const shared = m.test && m.test.refuseModule
          ? Promise.reject(new Error('the shared module was refused (test)'))
          : WebAssembly.instantiate(m.module, imports).then((instance) => ({ instance, module: m.module }));
        shared.catch(() => {
          from = 'bytes';
          return WebAssembly.instantiate(m.wasm, imports);
        }).then((result) => receiveInstance(result.instance, result.module)).catch(failed);
        return {}; // the exports arrive through receiveInstance
      };
      return Promise.race([createCvcModule({ instantiateWasm }), failure]).then((runtime) => [runtime, from]);
    }

    async function start(m) {
      try {
        const [runtime, from] = await instantiate(m);
        module = runtime;
        scope.postMessage({ type: 'ready', from });
      } catch (e) {
        scope.postMessage({ type: 'failed', message: String((e && e.message) || e) });
      }
    }

    // Synchronous, so that an error it does not catch reaches the page as an error event.
    scope.onmessage = (event) => {
      const m = event.data;
      if (m.type === 'init') {
        start(m);
        return;
      }
      let out;
      fileBytes = 0;
      try {
        out = run(m);
      } catch (e) {
        if (m.test && m.test.failKind === 'uncaught') throw e; // the page sees an error event
        // The module may be in any state now: report, and never use it again.
        scope.postMessage({ type: 'failed', id: m.id, message: String((e && e.message) || e) });
        scope.close();
        return;
      }
      scope.postMessage(Object.assign({ type: 'done', id: m.id, fileBytes }, out), (out.parts || []).concat(out.laterIds || []));
    };
  }

  /** Why a step did not finish: kind 'cancelled', 'failed' (the worker crashed) or 'unavailable'. */
  class ImportWorkerError extends Error {
    constructor(kind, message) {
      super(message);
      this.name = 'ImportWorkerError';
      this.kind = kind;
    }
  }

  // A file from this size on is previewed by two workers at once, each reading about half of
  // it (a worker per core; the parts are merged exactly, see PreviewPart in
  // core/include/cvc/survey_import.hpp). Below it a second worker's start-up is not worth it.
  const SPLIT_FROM_BYTES = 8 * 1024 * 1024;
  const SPLIT_SEARCH_BYTES = 1024 * 1024;

  // Where to split `file` in two: just after the first line break from its middle on, or null
  // when there is none in the next MiB. The split may fall inside a quoted field: the first
  // part then does not end on a record boundary and the parts are not merged.
  async function splitPoint(file) {
    const middle = Math.floor(file.size / 2);
    let bytes;
    try {
      bytes = new Uint8Array(await file.slice(middle, Math.min(file.size, middle + SPLIT_SEARCH_BYTES)).arrayBuffer());
    } catch (e) {
      return null; // unreadable: the one-worker preview says so
    }
    const at = bytes.indexOf(10); // LF
    if (at < 0 || middle + at + 1 >= file.size) return null;
    return middle + at + 1;
  }

  // A number for each File (or Blob) the page hands over, the same for every step on it: a
  // worker keeps what a preview read for the check of the same file (workerMain's `kept`).
  const fileIds = new WeakMap();
  let lastFileId = 0;
  function fileId(file) {
    if (!fileIds.has(file)) fileIds.set(file, ++lastFileId);
    return fileIds.get(file);
  }

  // A part read whole and, when another follows it (`first`), ending where a record ends.
  function mergeable(done, first) {
    if (typeof done.text !== 'string') return false;
    const envelope = JSON.parse(done.text);
    return Boolean(envelope.value && (!first || envelope.value.boundary));
  }

  function cancelled() {
    return new ImportWorkerError('cancelled', 'The import was cancelled.');
  }

  function unwrap(text) {
    const envelope = JSON.parse(text);
    if (envelope.error) throw new CalculatorError(envelope.error.message, envelope.error.field);
    return envelope.value;
  }

  class ImportWorker {
    #worker = null;
    #helper = null; // the second worker of a step in two parts, while it runs
    #spare = null; // the second worker of the last preview in two parts, idle, kept for the check
    #ready = null;
    #abortStart = null; // rejects the wait for the worker's 'ready' while it starts
    #job = null;
    #nextId = 1;
    #step = null; // the running step's token: a step whose token is no longer here was cancelled

    /** True when this page can run the import in a worker (else import as before, in the page). */
    static available() {
      return typeof Worker === 'function' && typeof Blob === 'function' && typeof URL === 'function' &&
        typeof URL.createObjectURL === 'function' && typeof root.cvcRuntime === 'function';
    }

    /** True while a step runs. */
    get busy() {
      return this.#job !== null;
    }

    /**
     * Step 1 in the worker: the preview of `file` (a File or Blob) for calc's model, as
     * calc.importCsv() gives it. onProgress({step, bytes, total, rows}) hears about every 100 ms.
     */
    async preview(file, calc, { onProgress } = {}) {
      const token = this.#begin();
      try {
        const model = JSON.stringify(calc.model());
        const step = { file, fileId: fileId(file), model };
        const merged = await this.#inTwo(file, 'preview', step, onProgress, token);
        if (merged !== null) return unwrap(merged.text);
        const done = await this.#run(Object.assign({ type: 'preview' }, step), onProgress, [], token);
        return unwrap(done.text);
      } finally {
        this.#finish(token);
      }
    }

    /**
     * Step 2 in the worker: checks every row of `file` against `mapping` (options as for
     * calc.checkImport) and makes the result calc's checked import. Returns the report.
     */
    async check(file, calc, mapping, { delimiter = ',', decimal_comma = false, satisfaction = null } = {},
      { onProgress } = {}) {
      const token = this.#begin();
      let done;
      try {
        const step = {
          file, fileId: fileId(file), model: JSON.stringify(calc.model()), mapping: JSON.stringify(mapping),
          delimiter: String(delimiter), decimalComma: Boolean(decimal_comma),
          satisfaction: satisfaction ? JSON.stringify(satisfaction) : '',
        };
        done = await this.#inTwo(file, 'stage', step, onProgress, token) ||
          await this.#run(Object.assign({ type: 'stage' }, step), onProgress, [], token);
      } finally {
        this.#finish(token);
      }
      // A check grows the worker's memory by the file's rows, and wasm memory never shrinks: end
      // the worker (the next step starts another in a few milliseconds) so the tab gets it back.
      this.#end(null);
      this.#dropSpare();
      const value = unwrap(done.text);
      calc.adoptStagedImport(value.header, done.parts, Boolean(satisfaction), done.laterParts || null);
      return value.report;
    }

    /** Stops the running step at once (the worker is ended; the next step starts another). */
    cancel() {
      this.#step = null;
      if (this.#helper) this.#helper.cancel();
      this.#dropSpare();
      this.#end(cancelled());
    }

    // A step begins (one at a time: a step still running is cancelled) and ends; `token` is
    // the step's, checked after each wait (#run, #inTwo), so that a cancel at any moment ends
    // the step, even while a worker starts or the split is looked for.
    #begin() {
      if (this.#step || this.#job) this.cancel();
      this.#step = {};
      return this.#step;
    }

    #finish(token) {
      if (this.#step === token) this.#step = null;
    }

    /**
     * A large file's step ('preview' or 'stage') by two workers at once: this one reads the
     * first half (to just after a line break), a second one the rest, and this one merges the
     * second's part into its own (cvc::PreviewPart, cvc::StagePart). `step` is the step's
     * message without its type. The merged step's 'done' message, or null when the file is
     * small, has no line break near its middle, or a part could not be read on its own or
     * merged (split inside quotes, a bad header row, ids or segments the parts cannot merge
     * exactly, a worker that failed): the one-worker step then runs and says what is wrong.
     * Rejects only when cancelled.
     */
    async #inTwo(file, type, step, onProgress, token) {
      const hooks = root.cvcTestHooks && root.cvcTestHooks.importWorker;
      const from = hooks && Number.isFinite(hooks.splitFromBytes) ? hooks.splitFromBytes : SPLIT_FROM_BYTES;
      const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency;
      if (file.size < from || (cores && cores < 2)) return null;
      const split = await splitPoint(file);
      if (this.#step !== token) throw cancelled();
      if (split === null) return null;
      // The second worker: the one kept from the preview (a check just after it then waits for
      // no worker to start), else a new one.
      const helper = this.#spare || new ImportWorker();
      this.#spare = null;
      this.#helper = helper;
      let keep = false;
      // Progress: both parts' bytes and rows together.
      const heard = [{ bytes: 0, rows: 0 }, { bytes: 0, rows: 0 }];
      const report = (k) => (p) => {
        heard[k] = p;
        if (onProgress) {
          onProgress({ step: type, bytes: heard[0].bytes + heard[1].bytes, total: file.size, rows: heard[0].rows + heard[1].rows });
        }
      };
      const part = (range, first) => Object.assign({ type: type + 'Part', step: type, range, first }, step);
      try {
        const [first, second] = await Promise.all([
          this.#run(part([0, split], true), report(0), [], token),
          helper.#run(part([split, file.size], false), report(1)),
        ]);
        if (!mergeable(first, true) || !mergeable(second, false)) return null;
        // A check's second part: its arrays stay here, for the page's calculator to join with the
        // first's (calc.adoptStagedImport); the first worker needs its bytes and ids (the last
        // two arrays when it has ids), and sends them back.
        const ids = second.arrays.slice(-2);
        const merge = { type: type + 'Merge', bytes: second.bytes, arrays: ids };
        const merged = await this.#run(merge, null, [second.bytes.buffer].concat(ids), token);
        if (JSON.parse(merged.text).error) return null;
        if (type === 'stage') {
          if (!merged.laterIds || merged.laterIds.length !== ids.length || !first.arrays) return null;
          merged.parts = first.arrays;
          merged.laterParts = second.arrays.slice(0, second.arrays.length - ids.length).concat(merged.laterIds);
        }
        // A preview's second worker holds little (its part was sent), a check's the rows it read.
        keep = type === 'preview';
        return merged;
      } catch (e) {
        if (e instanceof ImportWorkerError && e.kind === 'cancelled') throw e;
        return null;
      } finally {
        if (this.#helper === helper) this.#helper = null;
        if (keep && this.#spare === null) this.#spare = helper;
        else helper.dispose();
      }
    }

    #dropSpare() {
      const spare = this.#spare;
      this.#spare = null;
      if (spare) spare.dispose();
    }

    /** Ends the worker for good. */
    dispose() {
      this.cancel();
    }

    #start() {
      if (this.#ready) return this.#ready;
      const ready = (async () => {
        const wasm = await api.wasmBytes();
        if (!wasm || !ImportWorker.available()) throw new ImportWorkerError('unavailable', 'no worker here');
        // The page's compiled module goes with the bytes: the worker instantiates it without
        // decoding or compiling the bytes (Chromium, 1M-row bench: 13-18 ms from new Worker to
        // ready, against 22-24 ms from the bytes), sharing the code the engine made for it in
        // the page and in earlier workers. The bytes are the fallback.
        const compiled = api.wasmModule ? await api.wasmModule() : null;
        if (this.#ready !== ready) throw cancelled(); // ended meanwhile
        const hooks = root.cvcTestHooks && root.cvcTestHooks.importWorker;
        const test = hooks ? { refuseModule: Boolean(hooks.refuseModule) } : null;
        const source = 'var createCvcModule = (' + root.cvcRuntime + ')();\n(' + workerMain + ')(self, createCvcModule);\n';
        const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        try {
          // Refused by a Content-Security-Policy without worker-src blob: (throws, or fails to load).
          const worker = new Worker(url);
          this.#worker = worker;
          await new Promise((resolve, reject) => {
            this.#abortStart = reject;
            worker.onmessage = (e) => (e.data.type === 'ready' ? resolve() : reject(new Error(e.data.message)));
            worker.onerror = (e) => {
              e.preventDefault();
              reject(new Error(e.message || 'the worker did not start'));
            };
            try {
              worker.postMessage({ type: 'init', module: compiled, wasm, test }, [wasm.buffer]);
            } catch (e) {
              // A browser that cannot post a WebAssembly.Module (DataCloneError; nothing was sent).
              if (!compiled || !e || e.name !== 'DataCloneError') throw e;
              worker.postMessage({ type: 'init', module: null, wasm, test }, [wasm.buffer]);
            }
          });
          this.#abortStart = null;
          worker.onmessage = (e) => this.#message(e.data);
          worker.onerror = (e) => {
            e.preventDefault();
            this.#end(new ImportWorkerError('failed', e.message || 'the import worker stopped'));
          };
          worker.onmessageerror = () => this.#end(new ImportWorkerError('failed', 'a message from the import worker was lost'));
        } catch (e) {
          if (this.#ready === ready) this.#end(null);
          throw e instanceof ImportWorkerError ? e : new ImportWorkerError('unavailable', String((e && e.message) || e));
        } finally {
          URL.revokeObjectURL(url);
        }
      })();
      this.#ready = ready;
      return ready;
    }

    // Runs one message of step `token` (null for the second worker's part: the first's cancel
    // ends it) once the worker is ready.
    async #run(message, onProgress, transfer = [], token = null) {
      await this.#start();
      if (token !== null && this.#step !== token) throw cancelled();
      return new Promise((resolve, reject) => {
        const id = this.#nextId++;
        this.#job = { id, resolve, reject, onProgress };
        // Tests only: self.cvcTestHooks.importWorker = {sliceDelayMs, failAfterBytes, failKind,
        // keepBytes} slows every read down, makes the worker fail ('trap': an error inside the
        // module, 'uncaught': an error the worker does not catch) once that many bytes were
        // read, or keeps at most keepBytes of a preview's slices for the check.
        const hooks = root.cvcTestHooks && root.cvcTestHooks.importWorker;
        this.#worker.postMessage(Object.assign({ id, test: hooks ? Object.assign({ failAfterBytes: Infinity }, hooks) : null }, message), transfer);
      });
    }

    #message(m) {
      const job = this.#job;
      if (!job || m.id !== job.id) return;
      if (m.type === 'progress') {
        if (job.onProgress) job.onProgress({ step: m.step, bytes: m.bytes, total: m.total, rows: m.rows });
      } else if (m.type === 'done') {
        this.#job = null;
        job.resolve(m);
      } else {
        this.#end(new ImportWorkerError('failed', m.message || 'the import worker stopped'));
      }
    }

    /** Ends the worker; a running step rejects with `error`. */
    #end(error) {
      const job = this.#job;
      if (this.#abortStart) this.#abortStart(cancelled());
      this.#abortStart = null;
      if (this.#worker) this.#worker.terminate();
      this.#worker = null;
      this.#ready = null;
      this.#job = null;
      if (job && error) job.reject(error);
    }
  }

  api.ImportWorker = ImportWorker;
  api.ImportWorkerError = ImportWorkerError;
})(typeof self !== 'undefined' ? self : this);
