// leadforest: the engine's JavaScript API. A thin ES-module layer over the wasm-bindgen output in
// ./pkg/ — loading (browser and Node), defaults, and the Web Worker wrapper for training. All the
// work happens in the WebAssembly engine; errors are JS `Error`s carrying the engine's message.
import initWasm, * as wasm from './pkg/leadforest.js';

let ready = null;
let loaded = false;

/**
 * Loads the engine once (idempotent; concurrent calls share one load). In browsers and workers the
 * `.wasm` is fetched next to this file; in Node it is read from disk. `source` overrides where the
 * `.wasm` comes from (URL, Response, bytes or a compiled WebAssembly.Module), e.g. for bundlers.
 */
export function init(source) {
  if (!ready) {
    ready = load(source).then(
      () => { loaded = true; },
      (err) => { ready = null; throw err; },
    );
  }
  return ready;
}

async function load(source) {
  if (source === undefined && isNode()) {
    const { readFile } = await import('node:fs/promises');
    source = await readFile(new URL('./pkg/leadforest_bg.wasm', import.meta.url));
  }
  await initWasm(source === undefined ? undefined : { module_or_path: source });
}

function isNode() {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string'
    && typeof window === 'undefined' && typeof WorkerGlobalScope === 'undefined';
}

function engine(name) {
  if (!loaded) throw new Error(`leadforest: call \`await init()\` before ${name}()`);
  const f = wasm[name];
  if (typeof f !== 'function') throw new Error(`leadforest: ${name}() is not part of this build`);
  return f;
}

/** The engine's version (as in Cargo.toml). */
export function version() {
  return engine('version')();
}

/** The built-in demo leads as CSV text: `rows` leads (default 1000) from generator `seed` (default 7). */
export function demoCsv(rows = 1000, seed = 7) {
  return engine('demoCsv')(rows, seed);
}

/**
 * A wide, messy CRM export as CSV text (37 columns, about 10 % converted, a planted leak in
 * `Contract Value`): `rows` leads (default 45,000) from generator `seed` (default 1). For tests and
 * benchmarks at real sizes; the ground truth is documented in the engine's `demo::messy` module.
 */
export function messyCsv(rows = 45000, seed = 1) {
  return engine('messyCsv')(rows, seed);
}

/** A first look at a CSV: `{ delimiter, headers, rows }`. Throws an Error naming the bad row. */
export function summarizeCsv(bytes) {
  return engine('summarizeCsv')(bytes);
}

/**
 * Profiles every column of a CSV: kind, missing share, cardinality, top values, numeric summary,
 * exclusions with reasons; with `options.target`, class counts and the leak scan.
 */
export function profileCsv(bytes, options = {}) {
  return engine('profileCsv')(bytes, options);
}

/**
 * The engine's default training options, the same as the CLI's `train` defaults (seed, validation,
 * algorithm, folds, test fraction…): start from these so the app and the CLI train the same model.
 */
export function defaultTrainOptions() {
  return engine('defaultTrainOptions')();
}

/** Bytes of WebAssembly linear memory this module holds (memory only grows: the peak so far). */
export function memoryBytes() {
  return engine('memoryBytes')();
}

/**
 * Trains a model on the calling thread (blocks it: pages should use TrainingWorker). Calls
 * `onProgress(p)` once per round; if it throws, training stops and that exception propagates.
 */
export function train(bytes, options, onProgress) {
  return engine('train')(bytes, options, onProgress ?? undefined);
}

/** A trained model (the engine's class): fromBytes, toBytes, scoring, explanations, metrics. */
export const Model = wasm.Model;

/**
 * Runs training off the main thread in a module Web Worker (./worker.js) that loads its own copy
 * of the engine. Browser only (Node has no Web Worker). One training at a time per instance.
 */
export class TrainingWorker {
  #worker = null;
  #job = null;
  #next = 0;

  /** The worker starts lazily on the first train(). */
  constructor() {}

  /**
   * Trains in the worker. `bytes` (a Uint8Array over a whole ArrayBuffer) is transferred, not
   * copied: afterwards the caller's array is empty — pass `bytes.slice()` to keep a copy.
   * `onProgress` is called on the main thread once per round. Resolves to a Model; rejects with
   * the engine's Error, or with Error('training was cancelled') after cancel().
   */
  async train(bytes, options, onProgress) {
    if (this.#job) throw new Error('leadforest: this TrainingWorker is already training; cancel() it or use another one');
    if (!(bytes instanceof Uint8Array)) throw new TypeError('leadforest: train(bytes, ...) expects a Uint8Array');
    const job = { id: ++this.#next };
    this.#job = job;
    try {
      await init();
    } catch (err) {
      if (this.#job === job) this.#job = null;
      throw err;
    }
    if (this.#job !== job) throw new Error('training was cancelled');
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    }
    const worker = this.#worker;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      && !(typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer);
    const payload = whole ? bytes : bytes.slice();
    return new Promise((resolve, reject) => {
      job.reject = reject;
      worker.onmessage = (event) => {
        const msg = event.data;
        if (this.#job !== job || msg.id !== job.id) return;
        if (msg.type === 'progress') {
          if (onProgress) onProgress(msg.progress);
          return;
        }
        this.#job = null;
        if (msg.type === 'done') {
          try {
            resolve(wasm.Model.fromBytes(msg.bytes));
          } catch (err) {
            reject(err);
          }
        } else {
          reject(new Error(msg.message));
        }
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        if (this.#job !== job) return;
        this.#job = null;
        this.#dropWorker();
        reject(new Error(`leadforest: the training worker failed: ${event.message || 'could not load worker.js'}`));
      };
      worker.postMessage({ id: job.id, bytes: payload, options }, [payload.buffer]);
    });
  }

  /** Stops a running training at once (the worker is terminated; a new one starts on the next train()). */
  cancel() {
    const job = this.#job;
    this.#job = null;
    this.#dropWorker();
    if (job && job.reject) job.reject(new Error('training was cancelled'));
  }

  /** Cancels any running training and releases the worker. */
  terminate() {
    this.cancel();
  }

  #dropWorker() {
    if (this.#worker) {
      this.#worker.terminate();
      this.#worker = null;
    }
  }
}
