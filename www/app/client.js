// @ts-check
// The page's side of the engine's worker (www/leadforest/worker.js): every engine call of the app
// goes through here, so the page's own thread only draws. One job at a time is enough for the
// app, but calls may overlap (the table asks for rows while a download runs): each has an id.
// Cancel terminates the worker and starts a new one that reopens the file and the model (the page
// keeps their bytes), so a cancel costs a reopen, never a frozen page.

/**
 * @typedef {{ label: string, estimateMs?: number }} Step
 * @typedef {{ onStep?: (s: Step) => void, onProgress?: (p: any) => void, transfer?: Transferable[] }} CallOptions
 */

export class EngineClient {
  /** @type {Worker | null} */
  #worker = null;
  #next = 0;
  /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void, options: CallOptions }>} */
  #jobs = new Map();
  /** What a new worker must reopen after a cancel: { name, bytes }, the model's bytes, the
   * scoring options and the deal-value column whose expected values the table shows. */
  /** @type {{ file: { name: string, bytes: Uint8Array } | null, modelBytes: Uint8Array | null, score: any, value: string | null }} */
  session = { file: null, modelBytes: null, score: null, value: null };
  /** @type {Promise<void> | null} */
  #restoring = null;

  #start() {
    const worker = new Worker(new URL('../leadforest/worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event) => {
      const msg = event.data;
      const job = this.#jobs.get(msg.id);
      if (!job) return;
      if (msg.type === 'step') job.options.onStep?.(msg.step);
      else if (msg.type === 'progress') job.options.onProgress?.(msg.progress);
      else {
        this.#jobs.delete(msg.id);
        if (msg.type === 'done') job.resolve(msg.result);
        else job.reject(new Error(msg.message));
      }
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      const message = `The engine's worker failed: ${event.message || 'it could not start'}`;
      this.#drop(message);
    };
    this.#worker = worker;
    return worker;
  }

  #drop(message) {
    this.#worker?.terminate();
    this.#worker = null;
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const job of jobs) job.reject(new Error(message));
  }

  /** Runs `op` in the worker; resolves to its result. */
  async call(op, args = {}, options = {}) {
    if (this.#restoring) await this.#restoring;
    return this.#send(op, args, options);
  }

  /** @returns {Promise<any>} */
  #send(op, args, options) {
    const worker = this.#worker || this.#start();
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#jobs.set(id, { resolve, reject, options });
      worker.postMessage({ id, op, ...args }, options.transfer || []);
    });
  }

  /** Stops everything running now (rejects with 'cancelled'), then reopens the session. */
  cancel() {
    this.#drop('cancelled');
    const { file, modelBytes, score, value } = this.session;
    if (!file && !modelBytes) return;
    this.#restoring = (async () => {
      try {
        if (file) { const bytes = file.bytes.slice(); await this.#send('open', { name: file.name, bytes }, { transfer: [bytes.buffer] }); }
        if (modelBytes) { const bytes = modelBytes.slice(); await this.#send('loadModel', { bytes }, { transfer: [bytes.buffer] }); }
        if (file && modelBytes && score) await this.#send('score', score, {});
        if (file && modelBytes && score && value) await this.#send('expectedValues', { column: value }, {});
      } catch { /* the next call says what is wrong */ } finally {
        this.#restoring = null;
      }
    })();
  }

  /** Forgets the session and stops the worker (a new one starts on the next call). */
  forget() {
    this.session = { file: null, modelBytes: null, score: null, value: null };
    this.#drop('cancelled');
  }
}

/** Whether an error is a cancel (not worth showing). */
export const isCancel = (/** @type {unknown} */ e) => e instanceof Error && e.message === 'cancelled';
