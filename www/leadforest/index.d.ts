// Types of the leadforest JavaScript API (the source of truth for the app, the widget and third
// parties). README.md lists what the current build implements.

/** Loads the engine once; idempotent. `source` overrides where the `.wasm` comes from. */
export function init(source?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** The engine's version, e.g. "0.1.0". */
export function version(): string;

/** The built-in demo leads as CSV text (seeded; same rows and seed ⇒ same text). Defaults: 1000 rows, seed 7. */
export function demoCsv(rows?: number, seed?: number): string;

/** A first look at a CSV. Throws an Error naming the bad row. */
export function summarizeCsv(bytes: Uint8Array): CsvSummary;

export interface CsvSummary {
  /** The field separator found in the header line: "," ";" "\t" or "|". */
  delimiter: string;
  /** Column names in file order. */
  headers: string[];
  /** Data rows (header excluded). */
  rows: number;
}

/** Profiles every column: kind, missing share, cardinality, exclusions; with a target, leak flags. */
export function profileCsv(bytes: Uint8Array, options?: ProfileOptions): Profile;

/** Bytes of WebAssembly linear memory held by the engine (it only grows: the peak so far). */
export function memoryBytes(): number;

export interface ProfileOptions {
  /** The target column: adds class counts and the leak scan. */
  target?: string;
  /** Target values counted as positive (as in TrainOptions). */
  positive?: string[];
  /** Columns to leave out. */
  drop?: string[];
  /** Extra values that mean "missing" (e.g. "Select"), besides empty, NA, N/A, null, None, -, ?. */
  missing?: string[];
}

export interface TopValue { value: string; rows: number }

export interface Profile {
  rows: number;
  delimiter: string;
  /** The target column, when one was given. */
  target: string | null;
  /** Rows per target class (with a target). */
  classes: TopValue[];
  /** Plain-words remarks about the file (encoding fallback, renamed headers, target notes…). */
  notes: string[];
  columns: ColumnProfile[];
  /** Columns that look like they leak the outcome (with a target). */
  leaks: LeakFlag[];
}

export interface ColumnProfile {
  name: string;
  /** `numeric`, `boolean`, `categorical`, `date`, `identifier`, `free text`, `constant`, or `personal: …`. */
  kind: string;
  /** Share of missing values, in percent (0..100). */
  missingPct: number;
  /** Distinct non-missing values. */
  cardinality: number;
  /** Most frequent values (empty for personal, identifier and free-text columns). */
  topValues: TopValue[];
  numeric: { min: number; max: number; mean: number; median: number; std: number } | null;
  /** First and last date (ISO), for date columns. */
  dateRange: [string, string] | null;
  /** Why the column is left out of models, in plain words; null when it is used. */
  excludedBecause: string | null;
  notes: string[];
  /** Why it looks like it leaks the target, in plain words. */
  leak: string | null;
}

export interface LeakFlag {
  column: string;
  /** Single-column AUC on the target, 0.5..1. */
  auc: number;
  onlyFilledFor: string | null;
  decidingValue: string | null;
  message: string;
}

export type Algo = 'gbt' | 'rf';

export interface TrainOptions {
  /** The column to predict. */
  target: string;
  /** Target values counted as positive (default: 1/true/yes, or the minority class). */
  positive?: string[];
  /** Columns to leave out. */
  drop?: string[];
  /** Extra values that mean "missing". */
  missing?: string[];
  /** Model type; default 'gbt'. */
  algo?: Algo;
  /** Seed for every random choice; same data + options + seed ⇒ same model bytes. Integer ≥ 0. */
  seed?: number;
  /** How the validation rows are chosen. */
  validation?: 'holdout' | 'time' | 'kfold';
  /** Drop columns flagged as leaking the target. */
  excludeLeaky?: boolean;
}

export interface Progress {
  /** Rounds (GBT) or trees (RF) done so far, from 1. */
  round: number;
  /** Rounds planned (early stopping may end sooner). */
  totalRounds: number;
  /** Loss on the training rows. */
  trainLoss: number;
  /** Loss on the validation rows, when there are any. */
  validLoss?: number;
}

/** Trains on the main thread (blocks it; prefer TrainingWorker in pages). Throws the engine's Error. */
export function train(bytes: Uint8Array, options: TrainOptions, onProgress?: (p: Progress) => void): Model;

export type Value = string | number | boolean | null;
export type LeadRecord = Record<string, Value>;

export interface Reason {
  /** Plain words, e.g. "Lead Source is Referral". */
  text: string;
  direction: 'up' | 'down';
  /** Contribution to the raw score (log-odds for GBT). */
  contribution: number;
}

export interface Score {
  /** Calibrated probability of the positive class, 0..1. */
  probability: number;
  /** 0..100. */
  score: number;
  tier: string;
  action: string;
  reasons: Reason[];
  /** Model inputs absent from the record. */
  missing: string[];
}

export interface ScoredTable {
  /** The input's column names. */
  columns: string[];
  /** One entry per input row, in input order. */
  rows: Score[];
  /** The probabilities as one typed array, in input order. */
  probabilities: Float64Array;
}

export interface Contribution {
  feature: string;
  /** The CSV column the feature comes from. */
  source: string;
  value: Value;
  contribution: number;
}

export interface Explanation {
  /** The model's expected raw score. */
  bias: number;
  /** Sum to the raw score minus the bias. */
  contributions: Contribution[];
  reasons: Reason[];
}

export interface Metrics {
  auc: number;
  prAuc: number;
  logLoss: number;
  brier: number;
  rows: number;
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  [more: string]: unknown;
}

export interface FeatureInfo {
  name: string;
  source: string;
  kind: 'numeric' | 'categorical';
  categories?: string[];
}

export interface SchemaInfo {
  features: FeatureInfo[];
  target: string;
  classNames: string[];
}

export interface ModelInfo {
  /** leadforest version that wrote the file. */
  version: string;
  formatVersion: number;
  algo: Algo;
  trees: number;
  rows: number;
  seed: number;
  checksum: number;
}

export class Model {
  private constructor();
  /** Reads a model file. Throws an Error on corrupt, truncated or newer-version files. */
  static fromBytes(bytes: Uint8Array): Model;
  /** The model file (same model ⇒ same bytes on every platform). */
  toBytes(): Uint8Array;
  /** Scores a CSV whose columns are matched by name. */
  scoreCsv(bytes: Uint8Array): ScoredTable;
  scoreRecords(records: LeadRecord[]): Score[];
  /** Scores one lead by column name; missing fields are allowed. */
  scoreRecord(record: LeadRecord): Score;
  explain(record: LeadRecord): Explanation;
  readonly metrics: Metrics;
  readonly schema: SchemaInfo;
  readonly info: ModelInfo;
  /** Frees the engine memory now (otherwise when garbage-collected). */
  free(): void;
}

/** Training in a module Web Worker (browser only), so the page never freezes. */
export class TrainingWorker {
  constructor();
  /**
   * `bytes` is transferred (the caller's array is emptied; pass `bytes.slice()` to keep it).
   * Rejects with the engine's Error, or Error('training was cancelled').
   */
  train(bytes: Uint8Array, options: TrainOptions, onProgress?: (p: Progress) => void): Promise<Model>;
  /** Rejects the running train() with Error('training was cancelled') and stops the worker. */
  cancel(): void;
  /** Cancels and releases the worker. */
  terminate(): void;
}
