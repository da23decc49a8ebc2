// Types of the leadforest JavaScript API (the source of truth for the app, the widget and third
// parties). README.md lists what the current build implements.

/** Loads the engine once; idempotent. `source` overrides where the `.wasm` comes from. */
export function init(source?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** The engine's version, e.g. "0.1.0". */
export function version(): string;

/** The built-in demo leads as CSV text (seeded; same rows and seed ⇒ same text). Defaults: 1000 rows, seed 7. */
export function demoCsv(rows?: number, seed?: number): string;

/** A wide, messy CRM export as CSV text (37 columns, ~10 % converted, `Contract Value` leaks the outcome; seeded). Defaults: 45,000 rows, seed 1. */
export function messyCsv(rows?: number, seed?: number): string;

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
  /** A numeric range that settles the outcome, in words ("above 0", "96 or less"). */
  decidingRange: string | null;
  /** The check that raised the flag (the strongest when several did). */
  rule: 'high-auc' | 'only-filled-for-one-class' | 'deciding-value' | 'deciding-range' | 'strong-category' | 'dominant-column' | 'implausible-auc';
  /** The finding in plain words with its evidence (no markup). */
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
  /** true = after measuring on held-out rows, train again on all rows (boosting: with the round count early stopping chose); false = keep the measured model (CLI --refit / --no-refit). Default (gbt): refit when the data has at most 100,000 rows; (rf): always. The model's stored settings say which was done. */
  refit?: boolean;
  /** Leave out the columns the leak scan flags. */
  excludeLeaky?: boolean;
  /**
   * Personal-data columns to train on anyway (CLI --allow-personal), e.g. a `Lead Owner` column
   * the user decides to keep. Each is used as categories (values on fewer than 10 rows are still
   * never stored) and recorded in the model file's `privacy` section.
   */
  allowPersonal?: string[];
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
  /**
   * When the model was trained, stored in the model as given (the engine reads no clock): the
   * writer that knows the date passes it, e.g. `new Date().toISOString().slice(0, 10)`
   * (CLI --trained-at, default today). Shown as `Model.info.trainedAt`.
   */
  trainedAt?: string;
}

/**
 * The engine's default training options — the same defaults as the CLI's `train` (algo 'gbt',
 * seed 42, validation 'auto', folds 5, testFraction 0.2, …), so the same file gives the same
 * held-out figures in both. `target` is '' (always required).
 */
export function defaultTrainOptions(): Required<Omit<TrainOptions, 'trainedAt' | 'trees' | 'learningRate'>> & TrainOptions;

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
  /**
   * Tier name from the model's tiers (default A best … D), following the decision threshold in
   * use (A = at or above it). Multi-class models have no tiers (tiers rank leads by one yes/no
   * outcome): '' — exactly like the CLI's `score`, which writes `predicted_class` instead.
   */
  tier: string;
  /** What to do with leads of this tier (e.g. "route to sales"); '' for multi-class models. */
  action: string;
  /** Binary models: true when the probability is at or above the threshold in use ("send to sales"). */
  decision?: boolean;
  /** With `ScoreOptions.percentile`: share of the evaluation rows (held-out) scored lower, in percent 0..100. */
  percentile?: number;
  /** Multi-class models: the most likely class. */
  predictedClass?: string;
  /** Multi-class models: one probability per class (schema.classNames order). */
  classProbabilities?: number[];
  /**
   * Drivers each way (`ScoreOptions.reasons`, default 3 each way), strongest first; those pushing
   * in the direction of the score's side of the threshold come first. Multi-class: of the predicted class.
   */
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
  /** Multi-class models only: each class's probability, row-major (`row * classNames.length + class`, schema.classNames order); each row sums to 1. */
  classProbabilities?: Float64Array;
  /** E.g. a column the model uses is absent (treated as missing). */
  warnings: string[];
  /** Binary models: the threshold in use (calibrated probability), after `ScoreOptions`. */
  threshold?: number;
  /** How the threshold was chosen, in plain words ("the model's threshold (best F1 on 1,808 held-out rows)", "capacity: the top 200 leads"…). */
  thresholdWords?: string;
  /** Binary models: per row 1 when at or above the threshold ("send to sales"), else 0. */
  decision?: Uint8Array;
  /** With `ScoreOptions.percentile`: per row, the share of evaluation rows scored lower (percent). */
  percentile?: Float64Array;
  /** Multi-class models: per row the most likely class. */
  predictedClass?: string[];
  /** With `ScoreOptions.reasons > 0`: per row its reasons (as `Score.reasons`). */
  reasons?: Reason[][];
}

/** Who gets called: a number of leads the team can work. */
export type Capacity =
  /** The N best leads of the file being scored (in `Model.plan`: N of the evaluation rows). */
  | { top: number }
  /** This share of leads, in (0, 1]. */
  | { share: number }
  /**
   * reps × leadsPerRep leads per period, out of `leadsPerPeriod` arriving in the same period
   * (default for a day: the evaluation rows' `leadsPerDay` when training had dates).
   */
  | { reps: number; leadsPerRep: number; leadsPerPeriod?: number };

/** One options object shared by scoreCsv/scoreRecord(s)/explainCsv and the CLI's `score` (strict: unknown fields are an Error). */
export interface ScoreOptions {
  /** Reasons per lead each way (default: 3 for scoreRecord(s), 0 for scoreCsv — reasons cost time; compute them for the rows on screen). */
  reasons?: number;
  /** Decision threshold (calibrated probability 0..1) instead of the model's. */
  threshold?: number;
  /** Decision by capacity instead of a threshold (see `Capacity`). Tiers follow the threshold. */
  capacity?: Capacity;
  /** Add `percentile` (the score as a percentile of the held-out scores). */
  percentile?: boolean;
}

export interface ExplainCsvOptions {
  /** Only these rows (0-based data rows, in this order); default: every row. */
  rows?: number[];
  /** Also return each selected row's reasons (this many each way). Default 0. */
  reasons?: number;
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
  /** Rows explained (with `rows` given: its length). */
  rows: number;
  /** The data row of each explained row (0-based), in order. */
  rowIndices: number[];
  /** Model features, in order. */
  features: string[];
  bias: number;
  /** Row-major: contributions[i * features.length + feature] for the i-th explained row. */
  contributions: Float64Array;
  /** With `reasons > 0`: each explained row's reasons. */
  reasons?: Reason[][];
}

/**
 * Held-out metrics measured in training, camelCase: validAuc, validPrAuc, validLogLoss, validRows,
 * oobAuc…, and (models with an evaluation report) `auc`, `prAuc`, `logLoss`, `brier`, `rows`: the
 * figures of `Model.report` (the rows named in `report.rows`) — the ones to show; `auc` is what
 * the CRM card reads.
 */
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
  /** When it was trained, as the writer gave it (`TrainOptions.trainedAt`, CLI --trained-at); null when not recorded. */
  trainedAt: string | null;
  /** The target column it predicts ('' when not recorded). */
  target: string;
  /** Held-out AUC of `report` (binary models), else null. Same as `metrics.auc`. */
  auc: number | null;
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


/** Which rows an evaluation was measured on. */
export type EvaluationRowsKind =
  /** A stratified random share held out from training. */
  | 'held-out'
  /** The latest rows by date (or declared row order), held out from training. */
  | 'latest'
  /** k-fold: every row scored by the fold model that did not see it. */
  | 'out-of-fold'
  /** Forests: every row scored by the trees that did not see it. */
  | 'out-of-bag'
  /** A labelled file scored later (`Model.evaluate`). */
  | 'this-file';

export interface EvaluatedRows {
  kind: EvaluationRowsKind;
  /** Rows measured. */
  rows: number;
  /** Binary: rows with the positive outcome; multi-class: null. */
  positives: number | null;
  /** Binary: positives / rows; multi-class: null. */
  baseRate: number | null;
  /** Plain words for the tiles, e.g. "1,808 held-out rows (the latest 20 % by date)". */
  description: string;
  /** Rows the measured model learned from (null for 'this-file'). */
  trainRows: number | null;
  /** Leads arriving per day in these rows, when they have dates spanning more than a day; else null. */
  leadsPerDay: number | null;
}

/** Headline figures (null when they cannot be computed, e.g. one class). */
export interface EvaluationMetrics {
  /** ROC AUC of the model's probability (ranking quality; equals the validation report's for held-out rows). */
  auc: number | null;
  /** Average precision (PR AUC). */
  prAuc: number | null;
  /** Log loss of the model's probability before calibration. */
  logLoss: number | null;
  /** Brier score before calibration. */
  brier: number | null;
  /** Expected calibration error of the calibrated probability (10 bins). */
  ece: number | null;
  /** Multi-class: accuracy of the most likely class. */
  accuracy: number | null;
  /** Multi-class: macro-averaged F1. */
  macroF1: number | null;
}

/** One threshold: what calling every lead at or above it would give on the evaluation rows. */
export interface ThresholdRow {
  /** Calibrated probability, 0..1. */
  threshold: number;
  /** Leads at or above it. */
  leads: number;
  /** leads / rows. */
  share: number;
  /** Converted leads among them. */
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
  /** precision / base rate. */
  lift: number;
}

export type ThresholdRuleName = 'fixed' | 'max-f1' | 'precision-first' | 'capacity';

/** The decision threshold in use and why. */
export interface ThresholdChoiceInfo {
  /** Calibrated probability, 0..1. */
  threshold: number;
  rule: ThresholdRuleName;
  /** Plain words, e.g. "best F1 on 1,808 held-out rows". */
  words: string;
  /** What it gives on the evaluation rows. */
  at: ThresholdRow;
}

export interface CurvePoint { x: number; y: number }

export interface GainsRow {
  /** 1 = the best-scored tenth. */
  bucket: number;
  rows: number;
  positives: number;
  minProbability: number;
  lift: number;
  cumulativeRows: number;
  cumulativeGain: number;
  cumulativeLift: number;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  rows: number;
  meanPredicted: number;
  observedRate: number;
}

export interface CalibrationFigures { ece: number; brier: number; logLoss: number }

/** What calibration did on held-out rows it was not fitted on. */
export interface CalibrationInfo {
  /** 'none', 'platt' or 'isotonic'. */
  method: string;
  rows: number;
  before: CalibrationFigures;
  after: CalibrationFigures;
}

export interface TierRow {
  name: string;
  action: string;
  /** Lowest calibrated probability in the tier. */
  minProbability: number;
  /** Evaluation rows in the tier. */
  leads: number;
  /** Of which converted. */
  positives: number;
  /** positives / leads (0 when empty). */
  conversion: number;
}

export interface BaselineRow {
  /** 'model', 'points' (a rule-based points score learned from the data, cross-fitted) or 'random'. */
  name: string;
  auc: number;
  prAuc: number;
  topDecileLift: number;
}

export interface ImportanceRow {
  /** The CSV column. */
  column: string;
  /** Mean |SHAP contribution| (raw-margin units) over `importanceRows` evaluation rows. */
  importance: number;
  /** Share of the total importance, 0..1. */
  share: number;
}

export interface SegmentRow {
  value: string;
  rows: number;
  positives: number;
  meanProbability: number;
  auc: number | null;
  ece: number;
  /** Leads per tier, best first. */
  tierCounts: number[];
}

export interface ClassRow {
  class: string;
  /** Actual rows of the class. */
  support: number;
  /** Rows predicted as the class. */
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
  /** One-vs-rest AUC (null with one class present). */
  auc: number | null;
}

export interface MulticlassBaselineRow {
  name: 'majority' | 'prior';
  accuracy: number;
  macroF1: number;
  logLoss: number;
  /** Majority: the class always predicted. */
  class: string | null;
}

export interface MulticlassEvaluation {
  /** Class names in display (funnel) order. */
  order: string[];
  perClass: ClassRow[];
  /** Confusion counts, rows = actual, columns = predicted, in `classNames` order. */
  confusion: number[][];
  baselines: MulticlassBaselineRow[];
}

/**
 * The evaluation report: every figure the app shows, computed once by the engine on the rows
 * `rows` names. Stored in the model at training (`Model.report`); `Model.evaluate` makes one for a
 * labelled file. Lists are at most ~200 points.
 */
export interface Evaluation {
  rows: EvaluatedRows;
  /** The model's classes ([negative, positive] for binary models). */
  classNames: string[];
  /** Binary: the positive class; multi-class: null. */
  positiveClass: string | null;
  metrics: EvaluationMetrics;
  /** Binary: the threshold in use; multi-class: null. */
  threshold: ThresholdChoiceInfo | null;
  /** Binary: thresholds from high to low (a 0.01 grid merged with each 1 % of leads): pick any capacity or threshold from it. */
  thresholds: ThresholdRow[];
  /** ROC curve: x = false-positive rate, y = true-positive rate, from (0,0) to (1,1). */
  roc: CurvePoint[];
  /** Precision–recall curve: x = recall, y = precision. */
  pr: CurvePoint[];
  /** Cumulative gains and lift by tenths of leads, best first. */
  gains: GainsRow[];
  /** Reliability of the calibrated probability, 10 bins. */
  reliability: ReliabilityBin[];
  /** Calibration before/after on rows it was not fitted on (held-out odd rows); null when not calibrated at training. */
  calibration: CalibrationInfo | null;
  /** Tiers with their counts and conversion on these rows, best first. */
  tiers: TierRow[];
  /** Model vs a rule-based points score vs random order. */
  baselines: BaselineRow[];
  /** Importance per CSV column, largest first. */
  importance: ImportanceRow[];
  /** Rows the importance was averaged over (a documented, evenly spaced sample of at most 500). */
  importanceRows: number;
  /** Calibrated probability at each percentile 0..100 of these rows (101 values), for percentiles. */
  percentiles: number[];
  /** By a column's values (`evaluate` with `segment`), else null. */
  segments: { column: string; rows: SegmentRow[] } | null;
  /** Multi-class models: per-class table, confusion, baselines; else null. */
  multiclass: MulticlassEvaluation | null;
}

export interface EvaluateOptions {
  /** The target column (default: the one the model records). */
  target?: string;
  /** A column to break the figures down by. */
  segment?: string;
}

/** A capacity or threshold turned into a decision, measured on the report's rows. */
export interface Plan extends ThresholdChoiceInfo {
  /** Tiers that follow the threshold (A = at or above it), with their counts on the report's rows. */
  tiers: TierRow[];
}

/** `Model.crmCsv` options (issue 20; the CLI's `score --for CRM --id --value --reasons`). Unknown fields are an Error. */
export interface CrmOptions {
  crm: 'hubspot' | 'salesforce' | 'zoho' | 'pipedrive';
  /** The record id column (default: the first of the names that CRM's exports use, e.g. `Record ID`, `Id`/`Lead ID`, `Record Id`, `Person - ID`). */
  id?: string;
  /** A deal-value column: adds the expected-value field (probability × amount). */
  value?: string;
  /** Reasons in the reasons field (default 3; 0 leaves the field out). */
  reasons?: number;
}

/** A CRM import file: what the CRM's own import reads to update the exported records (docs/crm-import.md). */
export interface CrmFile {
  /** UTF-8, comma-separated, header first; rows in input order. Offer it as a download named `fileName`. */
  csv: string;
  /** Records written. */
  rows: number;
  /** The id column used, as named in the export. */
  idColumn: string;
  /** Rows (0-based) left out because their id is empty. */
  leftOut: number[];
  /** Why rows were left out, in words (show it); null when none were. */
  note: string | null;
  /** `leadforest-hubspot.csv`, … */
  fileName: string;
}

/** The share of the converted leads' total value found by working the top `topPct` % of leads. */
export interface CapturedValue {
  /** 5, 10, 20 or 50. */
  topPct: number;
  /** Leads worked (topPct % of `rows`; fractional when the rows do not divide evenly). */
  leads: number;
  /** The converted leads' value among them. */
  value: number;
  /** value / convertedTotal, 0..1. */
  share: number;
  /** What random order finds: topPct / 100. */
  randomShare: number;
}

/** Revenue captured by the top leads (the CLI's `eval --value`). */
export interface ValueGains {
  /** The value column, as named in the CSV. */
  column: string;
  /** Rows ranked: the CSV's rows with a known outcome (say so next to the figures). */
  rows: number;
  converted: number;
  /** Converted rows without an amount (counted as 0). */
  convertedWithoutValue: number;
  convertedTotal: number;
  /** 'probability': the model's calibrated probability, ties sharing the cut. */
  rankedBy: string;
  captured: CapturedValue[];
}

/** One string stored in a model file (`Model.strings()`). */
export interface StoredString {
  /** The text as stored. */
  value: string;
  /**
   * The file section: `header`, `features`, `classes`, `training-info`, `pipeline`, `scoring`,
   * `training-profile`, `training-context`, `privacy`, `lineage`, `validation` or `evaluation`.
   */
  section: string;
  /** The field inside the section, e.g. `features[2].transform.Category.codes.{key}`. */
  field: string;
  /** What the model uses it for, in words. */
  use: string;
}

export class Model {
  private constructor();
  /** Reads a model file. Throws an Error on corrupt, truncated or newer-version files. */
  static fromBytes(bytes: Uint8Array): Model;
  /** The model file (same model ⇒ same bytes on every platform). */
  toBytes(): Uint8Array;
  /** Scores a CSV (columns matched by name); same composition as the CLI's `score`. */
  scoreCsv(bytes: Uint8Array, options?: ScoreOptions): ScoredTable;
  scoreRecords(records: LeadRecord[], options?: ScoreOptions): Score[];
  /** Scores one lead by column name; missing fields are allowed. The first call with reasons
   * prepares the model's trees for TreeSHAP; later scoreRecord/scoreRecords/explainCsv calls on
   * the same handle reuse them (score lead after lead with one handle, not a fresh fromBytes). */
  scoreRecord(record: LeadRecord, options?: ScoreOptions): Score;
  /** Why one lead got its score (multi-class: its most likely class); `reasons` each way (default 3). */
  explain(record: LeadRecord, options?: { reasons?: number }): Explanation;
  /** Explains rows of a CSV (bulk, typed array): only `options.rows` when given (the rows on screen). */
  explainCsv(bytes: Uint8Array, options?: ExplainCsvOptions): ExplainedTable;
  /** The evaluation report stored at training (held-out, out-of-fold or out-of-bag rows); null for model files from before. */
  readonly report: Evaluation | null;
  /** The same report measured on a labelled CSV scored now (rows kind 'this-file'). */
  evaluate(bytes: Uint8Array, options?: EvaluateOptions): Evaluation;
  /** A capacity or a threshold → the decision threshold, its figures and tiers on the report's rows. Throws for models without a report or multi-class models. */
  plan(choice: { capacity?: Capacity; threshold?: number }): Plan;
  /**
   * Drift of newer leads (CSV bytes; outcomes not needed, compared when present) from the
   * training data: PSI per column and for the score, columns the model could not use that now
   * vary, and the outcome rate against training and against the model's own average. Throws an Error when the model has no training profile (models trained
   * before it existed, or imported): retrain to get one.
   */
  drift(bytes: Uint8Array): DriftReport;
  /** A CRM import file for an export's leads (same bytes as the CLI's `score --for`). Throws for no/duplicated record ids (naming the rows), non-number amounts, multi-class models. */
  crmCsv(bytes: Uint8Array, options: CrmOptions): CrmFile;
  /** Revenue captured by the top 5/10/20/50 % of a labelled CSV's leads against random order. Throws for a non-number amount (naming the row) or a CSV without the target. */
  valueGains(bytes: Uint8Array, column: string): ValueGains;
  /** Per row, calibrated probability × the amount in `column` (NaN where the amount is missing). */
  expectedValues(bytes: Uint8Array, column: string): Float64Array;
  readonly metrics: Metrics;
  /** How training validated the model; null for model files written before validation reports. */
  readonly validation: ValidationReport | null;
  readonly schema: SchemaInfo;
  readonly info: ModelInfo;
  /**
   * Every string the model file stores, in file order, with where it is stored and what it is
   * used for: column names, category labels, the cell texts scoring matches, class names,
   * settings. Nothing else in the file is text (trees, bins and calibration are numbers).
   */
  strings(): StoredString[];
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
