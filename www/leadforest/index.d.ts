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

/** Training options (strict: an unknown field is an Error). Same fields ⇒ same model as the CLI. */
export interface TrainOptions {
  /** The column to predict (required). */
  target: string;
  /** Target values counted as positive (default: the truthy value of a yes/no column, else the rarer of two). */
  positive?: string[];
  /** Columns to leave out. */
  drop?: string[];
  /** Extra values that mean "missing" (e.g. "Select"). */
  missing?: string[];
  /** Model type; default 'gbt' (like the CLI's --algo). */
  algo?: Algo;
  /** Seed for every random choice (integer ≥ 0, default 42); same data + options + seed ⇒ same model bytes. */
  seed?: number;
  /** Boosting rounds (an upper bound with early stopping) or forest trees (CLI --trees). */
  trees?: number;
  /** Boosting shrinkage in (0, 1] (CLI --learning-rate). */
  learningRate?: number;
  /** false = run every round (CLI --no-early-stopping). Default true for GBT. */
  earlyStopping?: boolean;
  /** Leave out the columns the leak scan flags. */
  excludeLeaky?: boolean;
  /**
   * How the model is validated (CLI --validation); default 'auto': time-ordered when the data
   * has a date column (or rowsInTimeOrder), else a stratified random holdout (forests: out-of-bag).
   * 'time' throws when there is no date column and rowsInTimeOrder is not set. 'kfold' measures
   * `folds` models and then trains the final model exactly as 'auto' does.
   */
  validation?: ValidationMode;
  /** K-fold folds, integer 2..=20, default 5 (CLI --folds). */
  folds?: number;
  /** Share of rows tested by 'holdout' and 'time' (also the early-stopping rows), in (0, 0.5], default 0.2 (CLI --test-fraction). */
  testFraction?: number;
  /** The rows are in time order: 'time' (and 'auto') follow the row order when there is no date column (CLI --rows-in-time-order). */
  rowsInTimeOrder?: boolean;
}

export type ValidationMode = 'auto' | 'holdout' | 'time' | 'kfold';

/** Figures on one set of test rows (binary: auc, prAuc, logLoss, brier; multi-class: accuracy, macroF1). */
export interface FoldFigures {
  trainRows: number;
  testRows: number;
  auc?: number;
  prAuc?: number;
  logLoss?: number;
  brier?: number;
  accuracy?: number;
  macroF1?: number;
}

/** How training validated a model (`Model.validation`). */
export interface ValidationReport extends FoldFigures {
  /** The split used: 'auto' resolves to 'time' or 'holdout' (forests: 'out-of-bag'); 'none' without held-out rows. */
  mode: 'holdout' | 'time' | 'kfold' | 'out-of-bag' | 'none';
  /** The mode asked for. */
  requested: ValidationMode;
  /** One line in plain words, e.g. "5-fold cross validation …; AUC 0.801 ± 0.006 over 5 folds". */
  summary: string;
  /** Rows the measured model was trained on (k-fold: all rows). */
  trainRows: number;
  /** Rows the figures were measured on (k-fold: all rows, each tested once). */
  testRows: number;
  /** The test fraction asked for (holdout and time splits). */
  testFraction: number;
  /** Time splits: the date column that ordered the rows (absent when ordered by row order). */
  dateColumn?: string;
  /** Time splits: the last training row's date (YYYY-MM-DD) or "row N". */
  trainEnd?: string;
  /** Time splits: the first and last test rows' dates (or rows). */
  testStart?: string;
  testEnd?: string;
  /** K-fold: the number of folds; the figures are means, the *Sd fields their standard deviations. */
  folds?: number;
  aucSd?: number;
  prAucSd?: number;
  logLossSd?: number;
  brierSd?: number;
  accuracySd?: number;
  macroF1Sd?: number;
  /** K-fold: each fold's figures. */
  perFold?: FoldFigures[];
}

export interface Progress {
  /**
   * 'boosting' (with early stopping), 'refitting' (on all rows with the best round count),
   * 'forest', or 'fold' (k-fold validation: the model of fold `fold` of `folds`, after the final model).
   */
  stage: 'boosting' | 'refitting' | 'forest' | 'fold';
  /** Stage 'fold': this fold, from 1. */
  fold?: number;
  /** Stage 'fold': how many folds. */
  folds?: number;
  /** Rounds (or trees) done in this stage, from 1. */
  round: number;
  /** Most rounds this stage will run (early stopping may end sooner). */
  totalRounds: number;
  /** Mean training log loss (absent for forests). */
  trainLoss?: number;
  /** Mean validation log loss, when there are held-out rows. */
  validLoss?: number;
}

/**
 * Trains on the calling thread (blocks it: pages should use TrainingWorker). `onProgress` is
 * called once per round; if it throws, training stops and the exception propagates.
 */
export function train(bytes: Uint8Array, options: TrainOptions, onProgress?: (p: Progress) => void): Model;

export type Value = string | number | boolean | null | undefined;
/** A lead: CSV column name → value; absent, null and undefined fields are missing. */
export type LeadRecord = Record<string, Value>;

export interface Reason {
  /** "Lead Source = Referral ↑". */
  text: string;
  /** The CSV column. */
  column: string;
  /** The lead's value in words. */
  value: string;
  direction: 'up' | 'down';
  /** Contribution to the raw score (log-odds for GBT, probability for RF). */
  contribution: number;
}

export interface Score {
  /** Calibrated probability of the positive class, 0..1, as the CLI's `score` gives it (multi-class: of the most likely class). */
  probability: number;
  /** 0..100, round(100 × probability). */
  score: number;
  /** Tier name from the model's tiers (default A best … D). */
  tier: string;
  /** What to do with leads of this tier (e.g. "route to sales"). */
  action: string;
  /** Binary models: the raw margin (log-odds) before calibration; what `explain` decomposes. */
  raw?: number;
  /** Multi-class models: one probability per class (schema.classNames order). */
  classProbabilities?: number[];
  /** Up to 3 drivers each way, strongest first (binary models). */
  reasons: Reason[];
  /** CSV columns the model reads that the record lacks (or holds null). */
  missing: string[];
}

export interface ScoredTable {
  rows: number;
  /** The input's column names. */
  columns: string[];
  /** Per row, in input order. */
  probability: Float64Array;
  /** Per row, 0..100. */
  score: Uint8Array;
  /** Per row, the tier name. */
  tier: string[];
  /** Raw margins before calibration (log-odds; multi-class: one per class, row-major). */
  raw: Float64Array;
  /** Multi-class models only: each class's probability, row-major (`row * classNames.length + class`, schema.classNames order); each row sums to 1. */
  classProbabilities?: Float64Array;
  /** E.g. a column the model uses is absent (treated as missing). */
  warnings: string[];
}

export interface Contribution {
  feature: string;
  /** The CSV column the feature comes from. */
  source: string;
  /** The value in words. */
  value: string;
  contribution: number;
}

export interface Explanation {
  /** The model's expected raw score. */
  bias: number;
  /** This lead's raw score: bias + Σ contributions. */
  raw: number;
  /** One per model feature (exact TreeSHAP). */
  contributions: Contribution[];
  reasons: Reason[];
}

export interface ExplainedTable {
  rows: number;
  /** Model features, in order. */
  features: string[];
  bias: number;
  /** Row-major: contributions[row * features.length + feature]. */
  contributions: Float64Array;
}

/** Held-out metrics measured in training, camelCase: validAuc, validPrAuc, validLogLoss, validRows, oobAuc… */
export type Metrics = Record<string, number>;

export interface FeatureInfo {
  name: string;
  source: string;
  kind: 'numeric' | 'categorical';
  categories?: string[];
}

export interface SchemaInfo {
  features: FeatureInfo[];
  /** The CSV columns the model reads. */
  columns: string[];
  /** [negative, positive] for binary models. */
  classNames: string[];
  /** Extra missing-value placeholders the model was trained with. */
  missing: string[];
}

export interface ModelInfo {
  /** leadforest version that trained the model. */
  version: string;
  formatVersion: number;
  algo: Algo;
  trees: number;
  rounds: number;
  rows: number;
  seed: number;
  /** The full training configuration (snake_case, as stored in the file). */
  config: Record<string, unknown>;
}

/** PSI < 0.1: `stable`; 0.1–0.25: `moderate` shift; > 0.25: `major` shift. */
export type DriftLevel = 'stable' | 'moderate' | 'major';

export interface DriftBin {
  /** The bin in words: `≤ 30`, `30 – 45`, `> 45`, a category, `other / unseen`, `missing`. */
  label: string;
  /** Share of the training rows in the bin, in [0, 1]. */
  expected: number;
  /** Share of the new rows in the bin, in [0, 1]. */
  actual: number;
}

export interface FeatureDrift {
  /** The model input (`score` for the score). */
  name: string;
  /** The CSV column it comes from (empty for the score). */
  source: string;
  /** Population stability index, ≥ 0 (empty bins count as a 0.0001 share). */
  psi: number;
  level: DriftLevel;
  /** The level in plain words: `stable`, `moderate shift`, `major shift`. */
  words: string;
  bins: DriftBin[];
  /**
   * Whether the model uses the column: false for `DriftReport.unusedColumns` (one value on every
   * training row, so the model never learned from it).
   */
  used: boolean;
}

/** How the outcome moved, when the new CSV has the model's target column. */
export interface OutcomeDrift {
  /** The target column. */
  target: string;
  /** New rows with a known outcome. */
  rows: number;
  /** PSI of the class shares, training vs new. */
  psi: number;
  level: DriftLevel;
  words: string;
  /** One bin per class (label = class name). */
  bins: DriftBin[];
  /** Binary models: the positive share in training (else null). */
  trainingRate: number | null;
  /** Binary models: the positive share among the new rows with an outcome. */
  actualRate: number | null;
  /** Binary models: the model's average calibrated probability on those rows. */
  predictedRate: number | null;
}

export interface DriftReport {
  /** Rows of the new CSV. */
  rows: number;
  /** Training rows the model's profile was made from. */
  referenceRows: number;
  /** One entry per model input, largest PSI first. */
  features: FeatureDrift[];
  /** The score's drift (binary models), else null. */
  score: FeatureDrift | null;
  /**
   * Columns left out of training for having one value on every row, when the new CSV has them
   * (largest PSI first): a column that starts to vary is invisible to the model.
   */
  unusedColumns: FeatureDrift[];
  /** The outcome's drift when the CSV has the target column with known outcomes, else null. */
  outcome: OutcomeDrift | null;
  /** One sentence in plain words. */
  summary: string;
  warnings: string[];
}

export class Model {
  private constructor();
  /** Reads a model file. Throws an Error on corrupt, truncated or newer-version files. */
  static fromBytes(bytes: Uint8Array): Model;
  /** The model file (same model ⇒ same bytes on every platform). */
  toBytes(): Uint8Array;
  /** Scores a CSV (columns matched by name). */
  scoreCsv(bytes: Uint8Array): ScoredTable;
  scoreRecords(records: LeadRecord[]): Score[];
  /** Scores one lead by column name; missing fields are allowed. */
  scoreRecord(record: LeadRecord): Score;
  explain(record: LeadRecord): Explanation;
  /** Explains every row of a CSV at once (bulk, typed array). */
  explainCsv(bytes: Uint8Array): ExplainedTable;
  /**
   * Drift of newer leads (CSV bytes; outcomes not needed, compared when present) from the
   * training data: PSI per column and for the score, columns the model could not use that now
   * vary, and the outcome rate against training and against the model's own average. Throws an Error when the model has no training profile (models trained
   * before it existed, or imported): retrain to get one.
   */
  drift(bytes: Uint8Array): DriftReport;
  readonly metrics: Metrics;
  /** How training validated the model; null for model files written before validation reports. */
  readonly validation: ValidationReport | null;
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
