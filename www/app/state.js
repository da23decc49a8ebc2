// @ts-check
// The app's one store: what the page knows about the open file and the model (the engine's
// worker holds the data itself). Panels read it and subscribe to changes; `reset` forgets it all.

/**
 * @typedef {{
 *   file: null | { name: string, bytes: Uint8Array, rows: number, headers: string[], delimiter: string, bom: boolean, guessedTarget: string | null, guessedStage: string },
 *   profile: any,
 *   excluded: Set<string>,
 *   included: Set<string>,
 *   leaks: string[],
 *   model: any,
 *   modelOrigin: null | 'trained' | 'loaded',
 *   modelName: string,
 *   scored: any,
 *   lastOptions: any,
 *   threshold: number,
 *   capacity: number | null,
 *   valueColumn: string | null,
 * }} AppState
 */

/** @returns {AppState} */
export function initialState() {
  return {
    file: null,
    profile: null,
    excluded: new Set(),
    included: new Set(),
    leaks: [],
    model: null,
    modelOrigin: null,
    modelName: '',
    scored: null,
    lastOptions: null,
    threshold: 0.5,
    capacity: null,
    valueColumn: null,
  };
}

/** A store: `get()` the state, `set(patch)` and tell subscribers which keys changed. */
export function createStore() {
  let state = initialState();
  /** @type {Set<(changed: Set<string>, state: AppState) => void>} */
  const subscribers = new Set();
  return {
    get: () => state,
    /** @param {Partial<AppState>} patch */
    set(patch) {
      state = { ...state, ...patch };
      const changed = new Set(Object.keys(patch));
      for (const fn of subscribers) fn(changed, state);
    },
    /** @param {(changed: Set<string>, state: AppState) => void} fn */
    subscribe(fn) { subscribers.add(fn); return () => subscribers.delete(fn); },
    reset() { state = initialState(); },
  };
}
