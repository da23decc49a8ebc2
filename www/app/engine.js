// The one place the app touches the engine's JS API. It reports which parts of the API this
// build has, so the UI can say plainly what is not available instead of inventing results.

import * as api from '../leadforest/index.js';

let ready = null;

/** Loads the WebAssembly engine once. */
export function loadEngine() {
  if (!ready) ready = Promise.resolve(api.init ? api.init() : api.default()).then(() => api);
  return ready;
}

/** Whether the engine exposes `name` (a function or class). */
export function has(name) {
  return typeof api[name] === 'function';
}

export { api };
