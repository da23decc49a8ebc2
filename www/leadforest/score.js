// leadforest/score.js: the scoring-only engine for the CRM card (<leadforest-score>). The same
// `init()` / `Model` API as ./index.js for loading and scoring models — `Model.fromBytes`,
// `scoreRecord` (score, tier, reasons), `info`, `metrics`, `schema` — over the `score-only` build
// (pkg/leadforest_score_bg.wasm: no training code, no model importers), so a page that only scores
// never downloads the full engine (pkg/leadforest_bg.wasm). The app keeps using ./index.js.
import initWasm, { Model } from './pkg/leadforest_score.js';

let ready = null;

/**
 * Loads the scoring engine once per page (idempotent; concurrent calls share one load, a failed
 * load may be retried). In browsers the `.wasm` is fetched next to this file and compiled with
 * `WebAssembly.instantiateStreaming`, which lets the browser keep the compiled code in its cache
 * for the next page load (Chromium caches compiled code of streamed modules); in Node it is read
 * from disk. `source` overrides where the `.wasm` comes from (URL, Response, bytes, a compiled
 * `WebAssembly.Module`, or a promise of one: <leadforest-score> passes the module it started
 * compiling with `WebAssembly.compileStreaming` while score.js itself was still loading). Types:
 * ./score.d.ts.
 */
export function init(source) {
  ready ??= load(source).catch((err) => { ready = null; throw err; });
  return ready;
}

async function load(source) {
  if (source === undefined && typeof process === 'object' && typeof process?.versions?.node === 'string'
    && typeof window === 'undefined') {
    const { readFile } = await import('node:fs/promises');
    source = await readFile(new URL('./pkg/leadforest_score_bg.wasm', import.meta.url));
  }
  await initWasm(source === undefined ? undefined : { module_or_path: source });
}

export { Model };
