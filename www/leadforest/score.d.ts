// Types of ./score.js, the scoring-only engine (the CRM card's): the subset of ./index.d.ts that
// its Model has. Same results as the full engine for the same model and record.
import type { LeadRecord, Metrics, ModelInfo, SchemaInfo, Score, ScoreOptions } from './index.js';

export type { LeadRecord, Metrics, ModelInfo, SchemaInfo, Score, ScoreOptions };

/**
 * Loads the scoring engine once per page (idempotent). `source` overrides where the `.wasm` comes
 * from: a URL, a Response, bytes, a compiled `WebAssembly.Module`, or a promise of one of those
 * (e.g. `WebAssembly.compileStreaming(fetch(url))` started early).
 */
export function init(
  source?: string | URL | Response | BufferSource | WebAssembly.Module
    | Promise<Response | WebAssembly.Module>,
): Promise<void>;

/** A loaded model: scoring one or more leads and what the card shows about the model. */
export class Model {
  private constructor();
  /** Reads a model file; throws on corrupt, truncated or newer-format files (the message says which). */
  static fromBytes(bytes: Uint8Array): Model;
  scoreRecords(records: LeadRecord[], options?: ScoreOptions): Score[];
  /** Score, tier, action and reasons (3 each way unless `options.reasons`). The trees are
   * prepared for the reasons on the first call and reused by later calls on this handle. */
  scoreRecord(record: LeadRecord, options?: ScoreOptions): Score;
  readonly metrics: Metrics;
  readonly schema: SchemaInfo;
  readonly info: ModelInfo;
  /** Frees the engine memory this model holds. */
  free(): void;
}
