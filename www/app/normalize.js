// Reads the engine's result objects into the shapes the views draw. Tolerant of field names
// (camelCase or snake_case) but never invents a value: a missing figure stays undefined and the
// view says it is not available.

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const pick = (o, ...keys) => {
  for (const k of keys) if (o && o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
};
const toPlain = (v) => (v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, toPlain(x)])) : Array.isArray(v) ? v.map(toPlain) : v);

/** Points [[fpr, tpr]...] from [[f,t]] or [{fpr,tpr}] or {fpr:[],tpr:[]}. */
export function rocPoints(roc) {
  if (!roc) return undefined;
  if (Array.isArray(roc)) {
    return roc.map((p) => (Array.isArray(p) ? [p[0], p[1]] : [pick(p, 'fpr', 'x'), pick(p, 'tpr', 'y')]))
      .filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  }
  if (Array.isArray(roc.fpr) && Array.isArray(roc.tpr)) return roc.fpr.map((f, i) => [f, roc.tpr[i]]);
  return undefined;
}

/** Cumulative share of positives captured per decile (0..1), from numbers or objects. */
export function gainsValues(gains) {
  if (!Array.isArray(gains) || !gains.length) return undefined;
  const vals = gains.map((g) => (typeof g === 'number' ? g : num(pick(g, 'cumulativeGain', 'cumulative_gain', 'gain', 'captured', 'cumulativeCapture', 'cumCapture'))));
  if (vals.some((v) => v === undefined)) return undefined;
  const scaled = vals.at(-1) > 1.5 ? vals.map((v) => v / 100) : vals;
  return scaled[0] === 0 && scaled.length === 11 ? scaled.slice(1) : scaled;
}

/** Lift per decile (×) from objects carrying it, else derived from cumulative gains. */
export function liftValues(gains) {
  if (!Array.isArray(gains) || !gains.length) return undefined;
  const direct = gains.map((g) => (typeof g === 'object' ? num(pick(g, 'lift', 'decileLift', 'decile_lift')) : undefined));
  if (direct.every((v) => v !== undefined)) return direct;
  const cum = gainsValues(gains);
  if (!cum) return undefined;
  return cum.map((c, i) => (c - (i ? cum[i - 1] : 0)) * cum.length);
}

/** Calibration bins [{predicted, actual, count}]. */
export function calibrationBins(cal) {
  const list = Array.isArray(cal) ? cal : cal?.bins;
  if (!Array.isArray(list)) return undefined;
  return list.map((b) => ({
    predicted: num(pick(b, 'predicted', 'meanPredicted', 'mean_predicted', 'meanPrediction')),
    actual: num(pick(b, 'actual', 'observed', 'observedRate', 'observed_rate', 'positiveRate', 'meanObserved')),
    count: num(pick(b, 'count', 'rows', 'n')) ?? 1,
  })).filter((b) => b.predicted !== undefined && b.actual !== undefined);
}

/** Importance [{feature, importance}] from arrays of objects, pairs or a name→value map. */
export function importanceItems(imp) {
  if (!imp) return undefined;
  imp = toPlain(imp);
  const list = Array.isArray(imp) ? imp : Object.entries(imp).map(([feature, importance]) => ({ feature, importance }));
  return list.map((x) => (Array.isArray(x)
    ? { feature: String(x[0]), importance: x[1] }
    : { feature: String(pick(x, 'feature', 'name', 'column', 'source')), importance: num(pick(x, 'importance', 'meanAbsShap', 'mean_abs_shap', 'value', 'gain')) }))
    .filter((x) => Number.isFinite(x.importance));
}

/** The validation metrics the results card shows. */
export function readMetrics(raw) {
  const m = toPlain(raw) || {};
  const baselines = pick(m, 'baselines', 'baseline') || {};
  const rule = pick(baselines, 'rule', 'ruleBased', 'rule_based', 'points') || {};
  const random = pick(baselines, 'random') || {};
  const gains = pick(m, 'gains', 'gainsByDecile', 'deciles');
  const heldOut = m.validAuc !== undefined ? 'internal validation split' : m.oobAuc !== undefined ? 'out-of-bag rows' : undefined;
  return {
    heldOut,
    auc: num(pick(m, 'auc', 'validAuc', 'oobAuc', 'rocAuc', 'roc_auc')),
    prAuc: num(pick(m, 'prAuc', 'validPrAuc', 'oobPrAuc', 'pr_auc', 'averagePrecision')),
    logLoss: num(pick(m, 'logLoss', 'validLogLoss', 'oobLogLoss', 'log_loss')),
    accuracy: num(pick(m, 'accuracy', 'validAccuracy', 'oobAccuracy')),
    brier: num(pick(m, 'brier')),
    rows: num(pick(m, 'rows', 'validRows', 'oobRows', 'validationRows', 'n')),
    positives: num(pick(m, 'positives')),
    threshold: num(pick(m, 'threshold')),
    precision: num(pick(m, 'precision')),
    recall: num(pick(m, 'recall')),
    f1: num(pick(m, 'f1')),
    lift: num(pick(m, 'lift', 'liftTop10', 'topDecileLift', 'lift_top_decile')),
    roc: rocPoints(pick(m, 'roc', 'rocCurve')),
    gains: gainsValues(gains),
    decileLift: liftValues(gains),
    calibration: calibrationBins(pick(m, 'calibration', 'calibrationBins')),
    importance: importanceItems(pick(m, 'importance', 'globalImportance', 'featureImportance')),
    rule: {
      auc: num(pick(rule, 'auc')),
      lift: num(pick(rule, 'lift', 'liftTop10', 'topDecileLift')),
      gains: gainsValues(pick(rule, 'gains')),
    },
    randomLift: num(pick(random, 'lift')),
    validation: pick(m, 'validation', 'split', 'method'),
    folds: pick(m, 'folds', 'cv'),
  };
}

/** One scored row → {probability, score, tier, reasons:[{text, direction}]}. */
export function readScore(s) {
  const r = toPlain(s) || {};
  const reasons = (pick(r, 'reasons') || []).map((x) => (typeof x === 'string'
    ? { text: x, direction: /↓|down|lower/i.test(x) ? 'down' : 'up' }
    : { text: String(pick(x, 'text', 'reason') ?? '').replace(/\s*[↑↓]$/u, ''), direction: pick(x, 'direction') === 'down' || num(x.contribution) < 0 ? 'down' : 'up', contribution: num(x.contribution) }));
  return {
    probability: num(pick(r, 'probability', 'p')),
    score: num(pick(r, 'score')),
    tier: pick(r, 'tier') === undefined ? '' : String(pick(r, 'tier')),
    action: pick(r, 'action'),
    reasons,
    missing: pick(r, 'missing') || [],
  };
}
