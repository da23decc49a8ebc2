// @ts-check
// The "how good is the model" card. Every figure is the engine's evaluation report
// (`Model.report`: measured on the held-out, out-of-fold or out-of-bag rows it names); this
// module only picks rows out of it and draws them, and says which rows each figure is from.
// The threshold and capacity controls re-score the file in the worker (tiers follow them).

import { h, replace, byId as el, fmt } from './dom.js';
import { rocChart, gainsChart, liftChart, calibrationChart, importanceChart } from './charts.js';
import { toDom } from './svg.js';
import { words, sentence } from './words.js';

/** Held-out AUC at or above this looks too good to be true (a leak, most likely). */
export const IMPLAUSIBLE_AUC = 0.97;
/** One column carrying this share of the importance dominates the model. */
export const DOMINANT_SHARE = 0.5;

/** The report's row of the threshold table closest to `t` (rows run from high to low). */
export function thresholdRow(report, t) {
  // the threshold in use has its own row (the default, or one the engine chose for a capacity)
  const used = report?.threshold;
  if (used?.at && Math.abs(used.threshold - t) < 1e-9) return { ...used.at, threshold: used.threshold };
  const rows = report?.thresholds || [];
  let best = null;
  for (const r of rows) if (!best || Math.abs(r.threshold - t) < Math.abs(best.threshold - t) - 1e-12) best = r;
  return best;
}

/** The rows a report measured, in words ("1,808 held-out rows (the latest 20 % by date)"). */
export function measuredOn(report) {
  return words(report?.rows?.description) || 'the held-out rows';
}

/** Warnings the report's own fields call for: an implausibly high AUC, one dominant column. */
export function reportWarnings(report) {
  const out = [];
  const auc = report?.metrics?.auc;
  if (Number.isFinite(auc) && auc >= IMPLAUSIBLE_AUC) {
    out.push(`The held-out AUC is ${fmt.num(auc, 3)}: real lead scoring is rarely this good. Most likely a column gives the outcome away (it is filled in only after the lead converted, or it is the outcome in other words). Check the columns flagged above and the most important ones below, and leave such a column out.`);
  }
  const top = report?.importance?.[0];
  if (top && top.share >= DOMINANT_SHARE) {
    out.push(`One column, “${top.column}”, carries ${fmt.pct(top.share, 0)} of the model's importance. If it is only known after the outcome, leave it out and train again.`);
  }
  return out;
}

const figure = (/** @type {any} */ tree, /** @type {string} */ caption) => h('figure', { class: 'lf-chart lf-card lf-card__body' }, toDom(tree), h('figcaption', {}, caption));

/**
 * The charts of a report (ROC, gains, lift, reliability, importance) as SVG trees with captions.
 * @returns {Array<[any, string]>}
 */
export function reportCharts(report) {
  const on = measuredOn(report);
  /** @type {Array<[any, string]>} */
  const out = [];
  const model = report.baselines?.find((/** @type {any} */ b) => b.name === 'model');
  if (report.roc?.length) out.push([rocChart(report.roc.map((/** @type {any} */ p) => [p.x, p.y]), report.metrics?.auc ?? model?.auc ?? NaN), `ROC curve on ${on}: the closer it hugs the top-left corner, the better the ranking.`]);
  if (report.gains?.length) out.push([gainsChart(report.gains.map((/** @type {any} */ g) => g.cumulativeGain)), `Conversions found when working leads from the highest score down, on ${on}.`]);
  if (report.gains?.length) out.push([liftChart(report.gains.map((/** @type {any} */ g) => g.lift)), `How many times the average conversion rate each tenth of leads reaches, on ${on}.`]);
  const bins = (report.reliability || []).filter((/** @type {any} */ b) => b.rows > 0).map((/** @type {any} */ b) => ({ predicted: b.meanPredicted, actual: b.observedRate, count: b.rows }));
  if (bins.length) out.push([calibrationChart(bins), `Predicted probabilities against what happened, on ${on}.`]);
  if (report.importance?.length) out.push([importanceChart(report.importance.map((/** @type {any} */ x) => ({ feature: x.column, importance: x.importance }))), `Average size of each column's push on the score, over ${fmt.int(report.importanceRows)} of the evaluation rows.`]);
  return out;
}

/**
 * @param {{ store: any, client: import('./client.js').EngineClient, say: (t: string) => void,
 *   rescore: (options: { threshold?: number, capacity?: any }) => Promise<any> }} ctx
 */
export function mountResults({ store, client, say, rescore }) {
  const slider = /** @type {HTMLInputElement} */ (el('threshold'));
  const capacity = /** @type {HTMLInputElement} */ (el('capacity-input'));
  let timer = 0;
  /** The threshold in use (the slider snaps to its step; the engine's choice is kept exact). */
  let current = 0.5;

  /** Draws the tiles, the validation summary, the warnings and the charts of the model. */
  function draw() {
    const { model, modelOrigin } = store.get();
    if (!model) return;
    const report = model.report;
    const v = model.validation;
    el('results-card').hidden = false;
    const m = report?.metrics || {};
    const on = report ? measuredOn(report) : v ? `${fmt.int(v.testRows)} held-out rows` : '';
    const auc = m.auc ?? v?.auc;
    el('metric-auc').textContent = fmt.num(auc, 4);
    el('metric-prauc').textContent = fmt.num(m.prAuc ?? v?.prAuc, 4);
    const base = report?.rows?.baseRate;
    el('metric-prauc-note').textContent = Number.isFinite(base) ? `random ranking ≈ ${fmt.num(base, 3)}` : 'precision averaged over recall';
    const model_ = report?.baselines?.find((/** @type {any} */ b) => b.name === 'model');
    const points = report?.baselines?.find((/** @type {any} */ b) => b.name === 'points');
    const lift = model_?.topDecileLift ?? report?.gains?.[0]?.lift;
    el('metric-lift').textContent = fmt.times(lift);
    el('metric-lift-note').textContent = report ? `conversion rate of the top 10% ÷ average, on ${on}` : 'measured in the engine\'s report (train again to get one)';
    el('metric-baseline').textContent = points && points.topDecileLift > 0 ? fmt.times(lift / points.topDecileLift) : '—';
    el('metric-baseline-note').textContent = points
      ? `rule-based points score on the same rows: AUC ${fmt.num(points.auc, 3)}, top-10% lift ${fmt.times(points.topDecileLift)}`
      : 'no rule-based score was measured for this model';
    el('results-summary').textContent = [
      modelOrigin === 'loaded' ? 'Saved model' : null,
      on ? `Every figure on ${on}` : null,
      model.info?.algo ? String(model.info.algo).toUpperCase() : null,
      model.info?.trees ? `${model.info.trees} trees` : null,
      model.trainedAt ? `trained ${model.trainedAt}` : null,
    ].filter(Boolean).join(' · ');
    drawValidation(v);
    replace(el('results-warnings'), reportWarnings(report).map((w) => h('div', { class: 'lf-alert lf-alert--warning', 'data-testid': 'quality-warning' }, h('p', {}, w))));
    const charts = report ? reportCharts(report).map(([tree, caption]) => figure(tree, caption)) : [];
    if (!report) charts.push(h('div', { class: 'lf-alert' }, h('p', {}, 'This model file was saved without the engine\'s evaluation report, so only its AUC is shown. Train it again here to see the curves, the threshold table and the tiers measured on held-out rows.')));
    replace(el('charts'), charts);
    const t = report?.threshold?.threshold;
    current = Number.isFinite(t) ? t : 0.5;
    slider.value = String(current);
    el('threshold-help').textContent = report?.threshold ? `Default: ${sentence(report.threshold.words)}` : '';
    capacity.value = '';
    const perDay = report?.rows?.leadsPerDay;
    /** @type {HTMLInputElement} */ (el('leads-per-day-input')).value = Number.isFinite(perDay) ? String(Math.round(perDay)) : '';
    updateFigures();
  }

  /** Which split measured the model and, for k-fold, the mean ± sd over the folds. */
  function drawValidation(/** @type {any} */ v) {
    const box = el('validation-summary');
    if (!v || typeof v !== 'object') { box.hidden = true; replace(box); return; }
    const lines = [h('p', {}, `Validation: ${sentence(v.summary)}`)];
    if (v.mode === 'kfold' && v.folds) {
      const pm = (/** @type {string} */ name, /** @type {number} */ x, /** @type {number} */ sd, /** @type {number} */ d) => (Number.isFinite(x) ? `${name} ${fmt.num(x, d)} ± ${fmt.num(sd, d)}` : null);
      lines.push(h('p', {}, `Mean ± sd over ${v.folds} folds: ${[
        pm('AUC', v.auc, v.aucSd, 3), pm('PR AUC', v.prAuc, v.prAucSd, 3), pm('log loss', v.logLoss, v.logLossSd, 4), pm('Brier', v.brier, v.brierSd, 4),
        pm('accuracy', v.accuracy, v.accuracySd, 3), pm('macro-F1', v.macroF1, v.macroF1Sd, 3),
      ].filter(Boolean).join(' · ')}. The tiles above are the engine's report on the rows it names.`));
    }
    replace(box, lines);
    box.hidden = false;
  }

  /** The threshold's figures: precision, recall, F1 on the report's rows; leads and tiers in the file. */
  function updateFigures() {
    const t = current;
    el('threshold-value').textContent = Math.abs(t * 100 - Math.round(t * 100)) < 1e-9 ? t.toFixed(2) : t.toFixed(3);
    const { model, scored } = store.get();
    const report = model?.report;
    const row = thresholdRow(report, t);
    const note = el('metric-threshold-note');
    if (row) {
      el('metric-precision').textContent = fmt.pct(row.precision);
      el('metric-recall').textContent = fmt.pct(row.recall);
      el('metric-f1').textContent = fmt.num(row.f1, 3);
      note.textContent = `at ${row.threshold.toFixed(2)}, on ${measuredOn(report)}: ${fmt.int(row.leads)} leads called, ${fmt.int(row.truePositives)} converted`;
    } else {
      for (const id of ['metric-precision', 'metric-recall', 'metric-f1']) el(id).textContent = '—';
      note.textContent = report ? 'no held-out rows to measure a threshold on' : 'needs the engine\'s evaluation report (train the model again)';
    }
    if (scored) {
      el('metric-above').textContent = Number.isFinite(scored.above) ? fmt.int(scored.above) : '…';
      const tiers = (scored.tiers || []).map((/** @type {[string, number]} */ [k, c]) => `${k}: ${fmt.int(c)}`).join(', ');
      const held = (report?.tiers || []).map((/** @type {any} */ x) => `${x.name} ${fmt.pct(x.conversion, 0)}`).join(', ');
      el('tier-counts').textContent = `of ${fmt.int(scored.rows)} leads in this file · tiers ${tiers}${held ? ` · tier conversion on ${measuredOn(report)}: ${held}` : ''}`;
    } else {
      el('metric-above').textContent = '—';
      el('tier-counts').textContent = 'open a CSV to score';
    }
  }

  /** The threshold moved (slider or capacity): re-score in the worker so the tiers follow it. */
  function thresholdChanged() {
    current = Number(slider.value);
    updateFigures();
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      el('threshold-help').textContent = 'Set by hand.';
      if (store.get().scored) rescore({ threshold: current }).then(updateFigures, () => {});
    }, 200);
  }

  /** Sets the slider (and its words) to a threshold the engine chose. */
  function setThreshold(/** @type {number} */ t, /** @type {string} */ why) {
    current = t;
    slider.value = String(Math.min(0.99, Math.max(0.01, t)));
    el('threshold-help').textContent = why;
    updateFigures();
  }

  /**
   * Capacity → threshold. The engine turns a capacity into a threshold and tiers
   * (`ScoreOptions.capacity`); an engine without it gets the probability of the N-th best lead
   * of this file instead.
   */
  async function applyCapacity(/** @type {any} */ cap, /** @type {number} */ fallbackTop) {
    if (!store.get().scored) return;
    try {
      const scored = await rescore({ capacity: cap });
      if (Number.isFinite(scored.threshold)) {
        setThreshold(scored.threshold, sentence(scored.thresholdWords || `capacity: ${fmt.int(scored.above)} leads`));
      } else if (fallbackTop > 0) {
        const { threshold, leads } = await client.call('thresholdForTop', { n: fallbackTop });
        if (!Number.isFinite(threshold)) return;
        setThreshold(threshold, `Set by capacity: the ${fmt.int(leads)} best-scored leads of this file have a probability of ${threshold.toFixed(3)} or more.`);
        await rescore({ threshold });
      }
      say(`Threshold ${current.toFixed(3)} from the capacity`);
    } catch { /* the busy bar or the next call says what is wrong */ }
  }

  function capacityChanged() {
    const n = Math.round(Number(capacity.value));
    if (n > 0) applyCapacity({ top: n }, n);
  }

  function team() {
    const reps = Number(/** @type {HTMLInputElement} */ (el('reps-input')).value);
    const per = Number(/** @type {HTMLInputElement} */ (el('per-rep-input')).value);
    const perDay = Number(/** @type {HTMLInputElement} */ (el('leads-per-day-input')).value);
    if (!(reps > 0 && per > 0)) return;
    /** @type {Record<string, number>} */
    const cap = { reps, leadsPerRep: per };
    if (perDay > 0) cap.leadsPerPeriod = perDay;
    const rows = store.get().scored?.rows || 0;
    const top = perDay > 0 ? Math.round(Math.min(1, (reps * per) / perDay) * rows) : 0;
    applyCapacity(cap, top);
  }

  slider.addEventListener('input', thresholdChanged);
  capacity.addEventListener('change', capacityChanged);
  for (const id of ['reps-input', 'per-rep-input', 'leads-per-day-input']) el(id).addEventListener('change', team);

  return {
    draw,
    updateFigures,
    threshold: () => current,
    clear() {
      el('results-card').hidden = true;
      replace(el('charts'));
      replace(el('results-warnings'));
      replace(el('validation-summary'));
      el('validation-summary').hidden = true;
      el('results-summary').textContent = '';
      for (const id of ['metric-auc', 'metric-prauc', 'metric-lift', 'metric-baseline', 'metric-precision', 'metric-recall', 'metric-f1', 'metric-above']) el(id).textContent = '—';
      for (const id of ['metric-prauc-note', 'metric-lift-note', 'metric-baseline-note', 'metric-threshold-note', 'tier-counts', 'threshold-help']) el(id).textContent = '';
      capacity.value = '';
      current = 0.5;
      for (const id of ['reps-input', 'per-rep-input', 'leads-per-day-input']) /** @type {HTMLInputElement} */ (el(id)).value = '';
    },
  };
}
