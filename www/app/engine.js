// The one place the app touches the engine's JS API (www/leadforest/). It reports which parts
// the engine build really has, so the UI can say plainly what is not available instead of
// inventing results.

import * as index from '../leadforest/index.js';
import * as wasm from '../leadforest/pkg/leadforest.js';

let ready = null;

/** Loads the WebAssembly engine once. */
export function loadEngine() {
  if (!ready) ready = index.init().then(() => api);
  return ready;
}

/**
 * Whether this engine build implements `name`: the package exports every function of the
 * contract and throws for the parts the wasm lacks, so ask the wasm-bindgen module.
 */
export const capabilities = {
  profileCsv: typeof wasm.profileCsv === 'function',
  train: typeof wasm.train === 'function',
  TrainingWorker: typeof index.TrainingWorker === 'function' && typeof wasm.train === 'function',
  Model: typeof (index.Model || wasm.Model)?.fromBytes === 'function',
};

/** Whether this engine build implements `name` (see `capabilities`). */
export function has(name) {
  return Boolean(capabilities[name]);
}

/** The API: the package's functions, and Model from wherever this build exports it. */
export const api = { ...index, Model: index.Model || wasm.Model };
