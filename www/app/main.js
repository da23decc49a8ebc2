// The leadforest web app: open a CSV, profile it, train in a Web Worker, see how good the model
// is and why each lead scores as it does, score, download. Everything runs in this tab.

import { h, append, replace, byId, fmt } from './dom.js';
import { decode, sniffDelimiter, parseCsv, toCsv } from './csv.js';
import { loadEngine, has, api } from './engine.js';
import { basicProfile, readProfile, renderProfile, valueCounts, guessTarget, guessPositives, isMissing } from './profile.js';
import { readMetrics, readScore } from './normalize.js';
import { rocChart, gainsChart, liftChart, calibrationChart, importanceChart, lossChart } from './charts.js';
import { toDom } from './svg.js';
import { ThresholdTable, countBy, labelled, rocAuc, rocCurve, cumulativeGains, calibration } from './evaluate.js';
import { VirtualTable } from './table.js';
import { saveFile, stem } from './download.js';
import { reportHtml } from './report.js';
import { forgetStorage } from './store.js';
import { renderFunnel, guessStage, forgetStageModel } from './funnel.js';
import { mountDrift } from './drift.js';

const DEMO = { rows: 5000, seed: 7 };

/** Everything the page knows; `forget()` drops all of it. */
let state = freshState();
function freshState() {
  return {
    file: null, // { name, bytes, delimiter, headers, rows }
    profile: null,
    excluded: new Set(),
    leaks: [],
    model: null,
    modelOrigin: null, // 'trained' | 'loaded'
    metrics: null,
    scored: null, // { probability: Float64Array, score: Float64Array, tier: string[], reasons: [] | null }
    labels: null, // Float64Array of 0/1/NaN for the file rows (when the target column is present)
    thresholds: null,
    table: null,
    view: [],
    worker: null,
    progress: [],
    lastOptions: null,
    fileCharts: null,
  };
}

const el = (id) => byId(id);
const say = (text) => { el('live').textContent = text; };

function showError(where, error) {
  const message = error instanceof Error ? error.message : String(error);
  replace(where, h('div', { class: 'lf-alert lf-alert--error', role: 'alert' }, h('p', {}, message)));
  say(message);
}

function notice(where, text, kind = '') {
  append(where, h('div', { class: `lf-alert ${kind ? `lf-alert--${kind}` : ''}` }, h('p', {}, text)));
}

// ---------------------------------------------------------------- open a CSV

async function openBytes(name, bytes) {
  const status = el('data-status');
  replace(status);
  resetAfterData();
  try {
    await loadEngine();
    const summary = api.summarizeCsv(bytes);
    const text = decode(bytes);
    const delimiter = summary.delimiter || sniffDelimiter(text);
    const parsed = parseCsv(text, delimiter);
    state.file = { name, bytes, delimiter, headers: summary.headers || parsed.headers, rows: parsed.rows };
    notice(status, `${name}: ${fmt.int(summary.rows)} rows × ${summary.headers.length} columns (separator “${delimiter === '\t' ? 'tab' : delimiter}”).`, 'success');
    say(`Opened ${name}`);
  } catch (e) {
    state.file = null;
    showError(status, e);
    return;
  }
  const { headers, rows } = state.file;
  const modelTarget = state.modelOrigin === 'loaded' ? state.model?.schema?.target : null;
  fillTargetSelect(headers, headers.includes(modelTarget) ? modelTarget : guessTarget(headers, rows, null));
  profileFile();
  el('setup-card').hidden = false;
  fillStageSelect();
  if (state.model && state.modelOrigin === 'loaded') scoreWithModel();
}

function profileFile() {
  const { headers, rows, bytes } = state.file;
  const target = el('target-select').value;
  if (has('profileCsv')) {
    try {
      const positive = [...el('positive-select').selectedOptions].map((o) => o.value);
      state.profile = readProfile(api.profileCsv(bytes, { target, positive, missing: missingValues() }));
    } catch (e) {
      state.profile = basicProfile(headers, rows);
      notice(el('profile-alerts'), `The profiler failed: ${e.message}`, 'error');
    }
  } else {
    state.profile = basicProfile(headers, rows);
  }
  // leaks are left out by default; the user can put each one back
  for (const c of state.profile.columns) if (c.leak && c.name !== target && !state.leaks.includes(c.name)) { state.leaks.push(c.name); state.excluded.add(c.name); }
  drawProfile();
}

function drawProfile() {
  const p = state.profile;
  updateValidationControls();
  el('profile-card').hidden = false;
  el('profile-summary').textContent = `${fmt.int(p.rows)} rows · ${p.columns.length} columns · ${p.columns.filter((c) => c.excluded).length} excluded`;
  renderProfile({
    profile: p,
    target: el('target-select').value,
    excluded: state.excluded,
    tbody: el('profile-table').tBodies[0],
    alerts: el('profile-alerts'),
    onToggle: (name, exclude) => {
      if (exclude) state.excluded.add(name); else state.excluded.delete(name);
      drawProfile();
      say(exclude ? `${name} will be left out` : `${name} will be used`);
    },
  });
}

function fillTargetSelect(headers, chosen) {
  const select = el('target-select');
  replace(select, headers.map((c) => h('option', { value: c, selected: c === chosen }, c)));
  select.value = chosen;
  fillPositiveSelect();
}

function fillPositiveSelect() {
  const { headers, rows } = state.file;
  const j = headers.indexOf(el('target-select').value);
  const counts = valueCounts(rows, j).filter(([v]) => !isMissing(v));
  const positives = new Set(guessPositives(counts));
  const select = el('positive-select');
  replace(select, counts.slice(0, 200).map(([v, c]) => h('option', { value: v, selected: positives.has(v) }, `${v} (${fmt.int(c)})`)));
  const many = counts.length > 20;
  el('target-help').textContent = many
    ? `“${headers[j]}” has ${fmt.int(counts.length)} distinct values — is it really the outcome?`
    : 'The column that says whether a lead converted.';
}

// ---------------------------------------------------------------- training

/**
 * The date column the engine orders rows by — its rule: a date column at most half empty, one
 * named like "created" or "first" before the others, whether or not it is a model input — or
 * null when there is none; undefined when unknown (no engine profile).
 */
function timeColumn() {
  const p = state.profile;
  if (!p || p.basic) return undefined;
  const dates = p.columns.filter((c) => c.kind === 'date' && !(c.missingPct >= 50));
  return (dates.find((c) => /creat|first/i.test(c.name)) || dates[0])?.name ?? null;
}

/** The test share in percent (1–50; the engine's default 20 when the field is not a number). */
function testPercent() {
  const v = Number(el('test-fraction-input').value);
  return Number.isFinite(v) && v > 0 ? Math.min(50, Math.max(1, v)) : 20;
}

/** Enables the validation controls that apply to the chosen mode, model and file; help in words. */
function updateValidationControls() {
  const algo = document.querySelector('input[name="algo"]:checked').value;
  const dateColumn = timeColumn();
  const order = el('time-order-input');
  // a time-ordered split needs a date column or rows declared to be in time order
  const canTime = dateColumn !== null || order.checked;
  el('validation-time').disabled = !canTime;
  if (!canTime && el('validation-time').checked) document.querySelector('input[name="validation"][value="auto"]').checked = true;
  const mode = document.querySelector('input[name="validation"]:checked').value;
  order.disabled = Boolean(dateColumn) || mode === 'holdout' || mode === 'kfold';
  el('time-order-help').textContent = dateColumn
    ? `This file has a date column, “${dateColumn}”: the engine orders leads by it.`
    : mode === 'holdout' || mode === 'kfold'
      ? 'Only used by the engine default and the time-ordered split.'
      : 'For exports without a date column: the time-ordered split then measures the model on the last rows of the file.';
  const forestOob = mode === 'auto' && algo === 'rf';
  el('test-fraction-input').disabled = mode === 'kfold' || forestOob;
  el('test-fraction-help').textContent = forestOob
    ? 'A random forest is measured on its out-of-bag rows by default.'
    : 'Holdout and time-ordered splits, 1–50.';
  el('folds-input').disabled = mode !== 'kfold';
  const pct = String(Math.round(testPercent() * 10) / 10);
  const timed = dateColumn ? `the newest by “${dateColumn}”`
    : order.checked ? 'the last rows of the file'
      : dateColumn === null ? `a random ${pct}% (the file has no date column)` : `the newest when there is a date column, else a random ${pct}%`;
  el('validation-help').textContent = {
    auto: forestOob
      ? 'A random forest is measured on the rows each tree did not see (out-of-bag).'
      : `The engine keeps ${pct}% of the leads aside to measure the model: ${timed}.`,
    holdout: `Holdout: a random ${pct}% is kept aside to measure the model.`,
    time: `Time-ordered: train on older leads, measure on the newest ${pct}% (${dateColumn ? `by “${dateColumn}”` : 'the last rows of the file'}).`,
    kfold: 'k-fold: every lead is held out once; the figures are averaged over the folds, then the final model trains on all leads.',
  }[mode];
}

function missingValues() {
  return el('missing-input').value.split(',').map((v) => v.trim()).filter(Boolean);
}

function trainOptions() {
  const target = el('target-select').value;
  const positive = [...el('positive-select').selectedOptions].map((o) => o.value);
  const options = {
    target,
    positive,
    missing: missingValues(),
    drop: [...state.excluded].filter((c) => c !== target),
    algo: document.querySelector('input[name="algo"]:checked').value,
    seed: Number(el('seed-input').value) >>> 0,
  };
  // sent only when chosen: an engine without the option then says so plainly
  const validation = document.querySelector('input[name="validation"]:checked').value;
  if (validation !== 'auto') options.validation = validation;
  if (validation === 'kfold') options.folds = Math.min(20, Math.max(2, Math.round(Number(el('folds-input').value) || 5)));
  if (!el('test-fraction-input').disabled && testPercent() !== 20) options.testFraction = testPercent() / 100;
  if (!el('time-order-input').disabled && el('time-order-input').checked) options.rowsInTimeOrder = true;
  return options;
}

async function train() {
  const status = el('train-status');
  if (!state.file) return;
  const options = trainOptions();
  state.lastOptions = options;
  // with no value to pick (an empty target column), the engine's own message says what is wrong
  if (!options.positive.length && el('positive-select').options.length) { status.textContent = 'Pick at least one value that counts as converted.'; el('positive-select').focus(); return; }
  await loadEngine();
  if (!has('TrainingWorker') && !has('train')) {
    status.textContent = 'Training is not in this build of the engine yet, so no model can be trained here.';
    say(status.textContent);
    return;
  }
  state.progress = [];
  el('progress-wrap').hidden = false;
  el('progress').value = 0;
  el('progress').removeAttribute('aria-valuetext');
  el('train-button').disabled = true;
  el('cancel-button').hidden = false;
  status.textContent = 'Training in the background…';
  say('Training started');
  // the loss curve follows the first stage (boosting with validation); later stages (a refit on
  // all rows) move the bar only
  const onProgress = (p) => {
    if (!state.progress.length || state.progress[0].stage === p.stage) state.progress.push(p);
    state.lastProgress = p;
    scheduleProgress(p);
  };
  try {
    let model;
    if (has('TrainingWorker')) {
      state.worker = new api.TrainingWorker();
      model = await state.worker.train(state.file.bytes.slice(), options, onProgress);
    } else {
      model = api.train(state.file.bytes, options, onProgress);
    }
    setModel(model, 'trained');
    el('progress').value = 1;
    status.textContent = `Trained on ${state.file.name}.`;
    say('Training finished');
    scoreWithModel();
  } catch (e) {
    const cancelled = /cancel/i.test(e?.message || '');
    status.textContent = cancelled ? 'Training was cancelled.' : '';
    if (!cancelled) showError(status, e);
    say(cancelled ? 'Training cancelled' : `Training failed: ${e.message}`);
  } finally {
    state.worker?.terminate?.();
    state.worker = null;
    el('train-button').disabled = false;
    el('cancel-button').hidden = true;
  }
}

let progressFrame = 0;
function scheduleProgress(p) {
  if (progressFrame) return;
  progressFrame = requestAnimationFrame(() => {
    progressFrame = 0;
    const last = state.lastProgress || p;
    const bar = el('progress');
    const within = last.totalRounds ? Math.min(1, last.round / last.totalRounds) : 0;
    // k-fold: the bar runs over folds × rounds, after the final model
    const fold = last.stage === 'fold' && last.folds ? `fold ${last.fold} of ${last.folds}, ` : '';
    const frac = fold ? (last.fold - 1 + within) / last.folds : within;
    bar.value = frac;
    bar.setAttribute('aria-valuetext', `${fold}round ${last.round} of ${last.totalRounds}`);
    const stage = fold ? 'cross-validation: ' + fold : last.stage && state.progress[0] && last.stage !== state.progress[0].stage ? `${last.stage}: ` : '';
    el('progress-label').textContent = `${stage}round ${last.round} of ${last.totalRounds}${Number.isFinite(last.validLoss) ? ` · validation loss ${last.validLoss.toFixed(4)}` : ''}`;
    const latest = state.progress.at(-1);
    if (latest) replace(el('loss-chart'), toDom(lossChart(state.progress, latest.round)));
  });
}

function cancel() {
  state.worker?.cancel();
}

// ---------------------------------------------------------------- model: results, scoring

function setModel(model, origin) {
  state.model?.free?.();
  state.model = model;
  state.modelOrigin = origin;
  state.metrics = readMetrics(model.metrics);
  drawResults();
  el('downloads-card').hidden = false;
  drift?.clear();
  drift?.show(true);
}

function drawResults() {
  const m = state.metrics;
  el('results-card').hidden = false;
  el('metric-auc').textContent = fmt.num(m.auc, 4);
  el('metric-prauc').textContent = fmt.num(m.prAuc, 4);
  el('metric-prauc-note').textContent = Number.isFinite(m.positives) && m.rows ? `random ranking ≈ ${fmt.num(m.positives / m.rows, 3)}` : 'precision averaged over recall';
  const fileLift = state.fileCharts?.decileLift?.[0];
  const modelLift = m.lift ?? m.decileLift?.[0] ?? fileLift;
  el('metric-lift').textContent = fmt.times(modelLift);
  el('metric-lift-note').textContent = m.lift ?? m.decileLift?.[0]
    ? 'conversion rate of the top 10% ÷ average'
    : fileLift ? 'top 10% ÷ average, on this file\'s labelled rows' : 'needs labelled rows';
  const ruleLift = m.rule.lift ?? (m.rule.gains ? m.rule.gains[0] * 10 : undefined);
  el('metric-baseline').textContent = Number.isFinite(ruleLift) && ruleLift > 0 ? fmt.times(modelLift / ruleLift) : '—';
  el('metric-baseline-note').textContent = Number.isFinite(m.rule.auc)
    ? `rule-based points score: AUC ${fmt.num(m.rule.auc, 3)}, top-10% lift ${fmt.times(ruleLift)}`
    : 'the rule-based baseline is not in this engine build yet';
  const info = state.model.info || {};
  el('results-summary').textContent = [
    state.modelOrigin === 'loaded' ? 'Saved model' : null,
    m.heldOut ? `AUC on the ${m.heldOut}` : null,
    Number.isFinite(m.rows) ? `${fmt.int(m.rows)} held-out rows` : null,
    info.algo ? String(info.algo).toUpperCase() : null,
    info.trees ? `${info.trees} trees` : null,
    m.validation ? `split: ${typeof m.validation === 'string' ? m.validation : JSON.stringify(m.validation)}` : null,
  ].filter(Boolean).join(' · ');
  drawValidation(state.model.validation);

  const charts = [];
  const figure = (tree, caption) => h('figure', { class: 'lf-chart lf-card lf-card__body' }, toDom(tree), h('figcaption', {}, caption));
  const f = chartData();
  if (f.note) charts.push(h('div', { class: 'lf-alert', 'data-testid': 'charts-note' }, h('p', {}, f.note)));
  if (f.roc?.length) charts.push(figure(rocChart(f.roc, f.auc ?? NaN), 'The closer the curve hugs the top-left corner, the better the ranking.'));
  if (f.gains?.length) charts.push(figure(gainsChart(f.gains, m.rule.gains), 'Conversions found when working leads from the highest score down.'));
  if (f.decileLift?.length) charts.push(figure(liftChart(f.decileLift), 'How many times the average conversion rate each tenth of leads reaches.'));
  if (f.calibration?.length) charts.push(figure(calibrationChart(f.calibration), 'Predicted probabilities against what actually happened.'));
  if (f.importance?.length) charts.push(figure(importanceChart(f.importance), 'Average size of each column’s push on the score.'));
  const missing = ['ROC', 'gains', 'calibration', 'importance'].filter((k, i) => ![f.roc, f.gains, f.calibration, f.importance][i]?.length);
  if (missing.length) charts.push(h('div', { class: 'lf-alert' }, h('p', {}, `Not available for this model and file: ${missing.join(', ')}${state.labels ? '' : ' (charts need the outcome column in the file)'}.`)));
  replace(el('charts'), charts);
  if (Number.isFinite(m.threshold)) el('threshold').value = String(m.threshold);
  updateThreshold();
}

/** Which split measured the model and, for k-fold, the mean ± sd over the folds (text only). */
function drawValidation(v) {
  const box = el('validation-summary');
  if (!v || typeof v !== 'object') { box.hidden = true; replace(box, []); return; }
  const lines = [h('p', {}, `Validation: ${v.summary}.`)];
  if (v.mode === 'kfold' && v.folds) {
    const pm = (name, x, sd, d) => Number.isFinite(x) ? `${name} ${fmt.num(x, d)} ± ${fmt.num(sd, d)}` : null;
    lines.push(h('p', {}, `Mean ± sd over ${v.folds} folds: ${[
      pm('AUC', v.auc, v.aucSd, 3), pm('PR AUC', v.prAuc, v.prAucSd, 3), pm('log loss', v.logLoss, v.logLossSd, 4), pm('Brier', v.brier, v.brierSd, 4),
      pm('accuracy', v.accuracy, v.accuracySd, 3), pm('macro-F1', v.macroF1, v.macroF1Sd, 3),
    ].filter(Boolean).join(' · ')}. The tiles above measure the final model on its held-out rows.`));
  }
  replace(box, lines);
  box.hidden = false;
}

/** Chart data: the engine's validation curves, else curves on the file's labelled rows. */
function chartData() {
  const m = state.metrics;
  if (m.roc?.length || !state.fileCharts) return { ...m, note: null };
  const fc = state.fileCharts;
  return {
    ...fc,
    note: state.modelOrigin === 'trained'
      ? `Charts: all ${fmt.int(fc.rows)} labelled rows of this file, training rows included (the engine reports no held-out curves), so they look better than the held-out AUC above; AUC on these rows ${fmt.num(fc.auc, 4)}.`
      : `Charts: the ${fmt.int(fc.rows)} labelled rows of this file, scored by the saved model; AUC on these rows ${fmt.num(fc.auc, 4)}.`,
  };
}

/** Scores the open file with the current model and fills the leads table, funnel and downloads. */
function scoreWithModel() {
  if (!state.model || !state.file) return;
  const status = el('data-status');
  let res;
  try {
    res = state.model.scoreCsv(state.file.bytes);
  } catch (e) {
    showError(status, e);
    return;
  }
  // the engine returns typed arrays ({ probability, score, tier? }) or one object per row
  const rowObjects = Array.isArray(res.rows) ? res.rows : Array.isArray(res) ? res : null;
  const n = rowObjects ? rowObjects.length : (res.probability || res.probabilities).length;
  const scored = { probability: new Float64Array(n), score: new Float64Array(n), tier: new Array(n).fill(''), reasons: new Array(n).fill(null), action: new Array(n).fill('') };
  if (rowObjects) {
    for (let i = 0; i < n; i++) {
      const s = readScore(rowObjects[i]);
      scored.probability[i] = s.probability;
      scored.score[i] = s.score;
      scored.tier[i] = s.tier;
      scored.reasons[i] = s.reasons.length ? s.reasons : null;
      scored.action[i] = s.action || '';
    }
  } else {
    scored.probability.set(res.probability || res.probabilities);
    if (res.score) scored.score.set(res.score);
    const tiers = res.tier || res.tiers;
    const names = res.tierNames;
    if (tiers) for (let i = 0; i < n; i++) scored.tier[i] = String(names ? names[tiers[i]] : tiers[i]);
    const actions = res.action || res.actions;
    if (actions) for (let i = 0; i < n; i++) scored.action[i] = String(actions[i]);
  }
  scored.hasTiers = scored.tier.some((x) => x !== '');
  state.scored = scored;
  state.labels = labelsFor(state.file, trainedTarget(), trainedPositives());
  state.thresholds = state.labels ? new ThresholdTable(...labelledPairs()) : null;
  drawFileCharts();
  drawLeads();
  updateThreshold();
  fillStageSelect();
  drawFunnel();
  el('downloads-card').hidden = false;
  say(`Scored ${fmt.int(n)} leads`);
}

/** Reasons for lead `r`: from the scores when the engine gave them, else explained now (cached). */
function reasonsOf(r) {
  const sc = state.scored;
  if (sc.reasons[r] === null && typeof state.model?.explain === 'function') {
    try { sc.reasons[r] = readScore(state.model.explain(recordOf(r))).reasons; } catch { sc.reasons[r] = []; }
  }
  return sc.reasons[r] || [];
}

/** Reasons for every lead (for the download): scoreRecords in batches, else explain per row. */
function allReasons() {
  const sc = state.scored;
  const n = sc.probability.length;
  const missing = [];
  for (let i = 0; i < n; i++) if (sc.reasons[i] === null) missing.push(i);
  if (missing.length && typeof state.model?.scoreRecords === 'function') {
    for (let k = 0; k < missing.length; k += 2000) {
      const batch = missing.slice(k, k + 2000);
      const out = state.model.scoreRecords(batch.map(recordOf));
      batch.forEach((r, j) => { sc.reasons[r] = readScore(out[j]).reasons; });
    }
  }
  for (let i = 0; i < n; i++) reasonsOf(i);
  return sc.reasons;
}

/**
 * ROC, gains, lift and calibration on the labelled rows of the open file, and importance from
 * the engine's explanations of those rows, when the engine's metrics carry no curves. Said so
 * on the page: for a freshly trained model these rows include its training rows.
 */
function drawFileCharts() {
  const m = state.metrics;
  if (!state.labels || (m.roc?.length && m.gains?.length)) return;
  const { p, y } = labelled(state.scored.probability, state.labels);
  if (!p.length || !y.some((v) => v) || y.every((v) => v)) return;
  const file = { auc: rocAuc(p, y), roc: rocCurve(p, y), gains: cumulativeGains(p, y), calibration: calibration(p, y) };
  file.decileLift = file.gains.map((g, i) => (g - (i ? file.gains[i - 1] : 0)) * 10);
  if (typeof state.model.explainCsv === 'function' && !m.importance?.length) {
    try {
      const ex = state.model.explainCsv(state.file.bytes);
      const nf = ex.features.length;
      const sums = new Float64Array(nf);
      for (let i = 0; i < ex.contributions.length; i++) sums[i % nf] += Math.abs(ex.contributions[i]);
      const bySource = new Map();
      const sources = state.model.schema?.features?.map((f) => f.source) || ex.features;
      ex.features.forEach((f, j) => { const s = sources[j] ?? f; bySource.set(s, (bySource.get(s) || 0) + sums[j] / ex.rows); });
      file.importance = [...bySource].map(([feature, importance]) => ({ feature, importance }));
    } catch { /* importance stays unavailable */ }
  }
  state.fileCharts = { ...file, rows: p.length };
  drawResults();
}

function trainedTarget() {
  const schema = state.model?.schema;
  return schema?.target ?? el('target-select').value;
}
function trainedPositives() {
  const schema = state.model?.schema;
  const pos = schema?.positive ?? schema?.positives;
  if (Array.isArray(pos) && pos.length) return pos.map(String);
  if (state.modelOrigin === 'loaded' && schema?.classNames?.length === 2) return [String(schema.classNames[1])];
  return [...el('positive-select').selectedOptions].map((o) => o.value);
}

/** 0/1 labels per file row from the target column (NaN where missing or absent). */
function labelsFor(file, target, positives) {
  const j = file.headers.indexOf(target);
  if (j < 0 || !positives.length) return null;
  const pos = new Set(positives.map((p) => p.trim()));
  return Float64Array.from(file.rows, (r) => (isMissing(r[j] ?? '') ? NaN : pos.has(r[j].trim()) ? 1 : 0));
}

function labelledPairs() {
  const probs = [];
  const labels = [];
  state.labels.forEach((y, i) => { if (!Number.isNaN(y) && Number.isFinite(state.scored.probability[i])) { probs.push(state.scored.probability[i]); labels.push(y); } });
  return [probs, labels];
}

function tierOrder() {
  const fromModel = state.model?.info?.tiers || state.model?.schema?.tiers;
  if (Array.isArray(fromModel) && fromModel.length) return fromModel.map((t) => String(t.name ?? t));
  return [...new Set(state.scored?.tier || [])].sort();
}

function updateThreshold() {
  const t = Number(el('threshold').value);
  el('threshold-value').textContent = t.toFixed(2);
  const note = el('metric-threshold-note');
  if (state.thresholds) {
    const r = state.thresholds.at(t);
    el('metric-precision').textContent = fmt.pct(r.precision);
    el('metric-recall').textContent = fmt.pct(r.recall);
    el('metric-f1').textContent = fmt.num(r.f1, 3);
    note.textContent = `${state.modelOrigin === 'trained' ? 'on every labelled row of this file (training rows included)' : 'on the labelled rows of this file'}`;
  } else if (state.metrics && Number.isFinite(state.metrics.precision)) {
    el('metric-precision').textContent = fmt.pct(state.metrics.precision);
    el('metric-recall').textContent = fmt.pct(state.metrics.recall);
    el('metric-f1').textContent = fmt.num(state.metrics.f1, 3);
    note.textContent = `validation, at the model's threshold ${fmt.num(state.metrics.threshold, 2)}`;
  } else {
    for (const id of ['metric-precision', 'metric-recall', 'metric-f1']) el(id).textContent = '—';
    note.textContent = 'needs labelled, scored rows';
  }
  if (state.scored) {
    let above = 0;
    for (const p of state.scored.probability) if (p >= t) above++;
    el('metric-above').textContent = fmt.int(above);
    const counts = countBy(state.scored.tier, tierOrder());
    el('tier-counts').textContent = state.scored.hasTiers
      ? `of ${fmt.int(state.scored.probability.length)} scored · tiers ${[...counts].map(([k, v]) => `${k}: ${fmt.int(v)}`).join(', ')}`
      : `of ${fmt.int(state.scored.probability.length)} scored · tiers: not in this engine build`;
  } else {
    el('metric-above').textContent = '—';
    el('tier-counts').textContent = 'open a CSV to score';
  }
}

// ---------------------------------------------------------------- scored leads

function tierBadge(tier) {
  if (tier === '') return h('span', { class: 'lf-muted', title: 'this engine build gives no tiers' }, '—');
  const cls = /^[A-D]$/.test(tier) ? tier : 'x';
  return h('span', { class: `lf-tier lf-tier--${cls}` }, tier);
}

function drawLeads() {
  const { headers } = state.file;
  const sc = state.scored;
  const topReason = (r) => {
    const first = reasonsOf(r)[0];
    return first ? `${first.direction === 'down' ? '↓' : '↑'} ${first.text}` : '';
  };
  const columns = [
    { key: '#', label: '#', width: 64, numeric: true },
    { key: 'score', label: 'Score', width: 72, numeric: true },
    { key: 'tier', label: 'Tier', width: 60, render: (v) => tierBadge(v) },
    { key: 'probability', label: 'Probability', width: 96, numeric: true },
    { key: 'reason', label: 'Top reason', width: 220 },
    ...headers.map((c, j) => ({ key: `c${j}`, label: c, width: Math.min(220, Math.max(90, c.length * 8 + 24)) })),
  ];
  const getValue = (r, key) => {
    switch (key) {
      case '#': return r + 1;
      case 'score': return Number.isFinite(sc.score[r]) ? Math.round(sc.score[r]) : '';
      case 'tier': return sc.tier[r];
      case 'probability': return Number.isFinite(sc.probability[r]) ? sc.probability[r].toFixed(3) : '';
      case 'reason': return topReason(r);
      default: return state.file.rows[r][Number(key.slice(1))] ?? '';
    }
  };
  const table = new VirtualTable({ columns, getValue, onOpen: (r) => showReasons(r), label: `Scored leads from ${state.file.name}` });
  table.onSort = () => refreshView();
  state.table = table;
  replace(el('table-host'), table.scroller);
  const tiers = tierOrder();
  replace(el('tier-filter'), h('option', { value: '' }, sc.hasTiers ? 'All tiers' : 'No tiers in this engine build'), tiers.filter((t) => t !== '').map((t) => h('option', { value: t }, `Tier ${t}`)));
  el('search').value = '';
  el('leads-card').hidden = false;
  replace(el('reasons-body'));
  el('reasons-empty').hidden = false;
  table.sort = { key: 'score', dir: 'desc' };
  for (const th of table.headRow.children) th.setAttribute('aria-sort', th.dataset.key === 'score' ? 'descending' : 'none');
  refreshView();
}

let searchIndex = null;
function refreshView() {
  const table = state.table;
  if (!table) return;
  const sc = state.scored;
  const n = sc.probability.length;
  const tier = el('tier-filter').value;
  const query = el('search').value.trim().toLowerCase();
  if (query && !searchIndex) searchIndex = state.file.rows.map((r) => r.join('\u0001').toLowerCase());
  const view = [];
  for (let i = 0; i < n; i++) {
    if (tier && sc.tier[i] !== tier) continue;
    if (query && !searchIndex[i].includes(query)) continue;
    view.push(i);
  }
  const { key, dir } = table.sort;
  if (key) {
    const sign = dir === 'asc' ? 1 : -1;
    let keyOf;
    if (key === 'score' || key === 'probability') keyOf = (i) => sc.probability[i];
    else if (key === '#') keyOf = (i) => i;
    else if (key === 'tier') keyOf = (i) => sc.tier[i];
    else if (key === 'reason') keyOf = (i) => sc.reasons[i]?.[0]?.text ?? '';
    else {
      const j = Number(key.slice(1));
      const numeric = state.file.rows.slice(0, 200).every((r) => r[j] === '' || Number.isFinite(Number(r[j])));
      keyOf = numeric ? (i) => (state.file.rows[i][j] === '' ? -Infinity : Number(state.file.rows[i][j])) : (i) => state.file.rows[i][j] ?? '';
    }
    const keys = new Map(view.map((i) => [i, keyOf(i)]));
    view.sort((a, b) => {
      const ka = keys.get(a);
      const kb = keys.get(b);
      if (ka < kb) return -sign;
      if (ka > kb) return sign;
      return a - b;
    });
  }
  state.view = view;
  table.setView(view);
  el('leads-count').textContent = `${fmt.int(view.length)} of ${fmt.int(n)} leads shown`;
}

function recordOf(r) {
  const rec = {};
  state.file.headers.forEach((c, j) => { rec[c] = state.file.rows[r][j] ?? ''; });
  return rec;
}

function showReasons(r) {
  const sc = state.scored;
  const reasons = reasonsOf(r);
  el('reasons-empty').hidden = true;
  const rec = recordOf(r);
  const ident = state.file.headers.slice(0, 3).map((c) => rec[c]).filter(Boolean).join(' · ');
  const list = reasons?.length
    ? h('ul', {}, reasons.map((x) => h('li', {},
      h('span', { class: x.direction === 'down' ? 'lf-down' : 'lf-up', 'aria-hidden': 'true' }, x.direction === 'down' ? '↓' : '↑'),
      h('span', {}, x.text, h('span', { class: 'lf-sr-only' }, x.direction === 'down' ? ' (lowers the score)' : ' (raises the score)')))))
    : h('p', { class: 'lf-muted' }, 'This engine build does not report reasons yet.');
  replace(el('reasons-body'),
    h('p', {}, h('strong', {}, `Lead ${r + 1}`), ident ? ` — ${ident}` : ''),
    h('dl', { class: 'lf-dl' },
      h('dt', {}, 'Score'), h('dd', {}, Number.isFinite(sc.score[r]) ? String(Math.round(sc.score[r])) : '—'),
      h('dt', {}, 'Tier'), h('dd', {}, tierBadge(sc.tier[r]), sc.action[r] ? ` ${sc.action[r]}` : ''),
      h('dt', {}, 'Probability'), h('dd', {}, fmt.pct(sc.probability[r], 1))),
    h('h4', {}, 'Top drivers'),
    list);
  say(`Lead ${r + 1}: score ${Math.round(sc.score[r])}, tier ${sc.tier[r]}`);
}

// ---------------------------------------------------------------- funnel

function fillStageSelect() {
  if (!state.file) return;
  const { headers, rows } = state.file;
  const chosen = guessStage(headers, rows);
  replace(el('stage-select'), h('option', { value: '' }, '(none)'), headers.map((c) => h('option', { value: c, selected: c === chosen }, c)));
  el('stage-select').value = chosen || '';
}

function drawFunnel() {
  if (!state.scored) return;
  el('funnel-card').hidden = false;
  renderFunnel({
    host: el('funnel-body'),
    file: state.file,
    stage: el('stage-select').value,
    tiers: state.scored.tier,
    tierOrder: tierOrder(),
    labels: state.labels,
    outcome: trainedTarget(),
    excluded: [...state.excluded],
    missing: missingValues(),
  });
}

// ---------------------------------------------------------------- downloads

function downloadScores() {
  if (!state.scored) { say('Open a CSV and train or load a model first.'); return; }
  const { headers, rows, name } = state.file;
  const sc = state.scored;
  const reasons = allReasons();
  const out = rows.map((r, i) => [
    ...headers.map((_, j) => r[j] ?? ''),
    Number.isFinite(sc.probability[i]) ? sc.probability[i].toFixed(6) : '',
    Number.isFinite(sc.score[i]) ? String(Math.round(sc.score[i])) : '',
    sc.tier[i],
    (reasons[i] || []).map((x) => `${x.direction === 'down' ? '↓' : '↑'} ${x.text}`).join('; '),
  ]);
  saveFile(`${stem(name)}-scored.csv`, toCsv([...headers, 'probability', 'score', 'tier', 'reasons'], out), 'text/csv');
  say('Scored CSV saved');
}

function downloadModel() {
  if (!state.model) return;
  saveFile(`${stem(state.file?.name || 'leadforest')}.lfm`, state.model.toBytes(), 'application/octet-stream');
  say('Model file saved');
}

function downloadReport() {
  if (!state.model) return;
  const name = `${stem(state.file?.name || 'leadforest')}-report.html`;
  // the engine's own report (same as `leadforest report`) when this build exposes it
  for (const method of ['reportHtml', 'report']) {
    if (state.file && typeof state.model[method] === 'function') {
      try {
        saveFile(name, state.model[method](state.file.bytes), 'text/html');
        say('Report saved');
        return;
      } catch (e) {
        say(`The engine's report failed (${e.message}); saving the page's own report instead.`);
      }
    }
  }
  const m = state.metrics;
  const f = chartData();
  const charts = [];
  if (f.roc?.length) charts.push(rocChart(f.roc, f.auc ?? NaN));
  if (f.gains?.length) charts.push(gainsChart(f.gains, m.rule.gains));
  if (f.decileLift?.length) charts.push(liftChart(f.decileLift));
  if (f.calibration?.length) charts.push(calibrationChart(f.calibration));
  if (f.importance?.length) charts.push(importanceChart(f.importance));
  const info = state.model.info || {};
  const facts = [
    ['ROC AUC', fmt.num(m.auc, 4)], ['PR AUC', fmt.num(m.prAuc, 4)], ['Log loss', fmt.num(m.logLoss, 4)], ['Brier', fmt.num(m.brier, 4)],
    ['Validation rows', fmt.int(m.rows)], ['Threshold', fmt.num(m.threshold, 2)], ['Precision', fmt.pct(m.precision)],
    ['Recall', fmt.pct(m.recall)], ['F1', fmt.num(m.f1, 3)], ['Top-decile lift', fmt.times(m.lift ?? m.decileLift?.[0])],
    ['Rule-based baseline AUC', fmt.num(m.rule.auc, 4)], ['Model', `${info.algo ?? ''} ${info.trees ? `${info.trees} trees` : ''}`.trim() || '—'],
    ['Engine', `leadforest ${info.version ?? api.version()}`],
  ];
  const tiers = state.scored ? [...countBy(state.scored.tier, tierOrder())].map(([t, c]) => [t, fmt.int(c), fmt.pct(c / state.scored.tier.length)]) : [];
  const html = reportHtml({
    title: `Lead scoring report — ${state.file?.name || 'saved model'}`,
    subtitle: `Target “${trainedTarget()}”. Made in the browser by leadforest; nothing was uploaded.`,
    facts, charts, tiers,
    notes: f.note ? [f.note] : [],
  });
  saveFile(name, html, 'text/html');
  say('Report saved');
}

// ---------------------------------------------------------------- saved model

async function openModel(file) {
  const status = el('data-status');
  const banner = el('model-banner');
  try {
    await loadEngine();
    if (!has('Model')) throw new Error('Loading saved models is not in this build of the engine yet.');
    const model = api.Model.fromBytes(new Uint8Array(await file.arrayBuffer()));
    setModel(model, 'loaded');
    const info = model.info || {};
    replace(banner, h('p', {}, h('strong', {}, `Saved model loaded: ${file.name}`),
      ` — ${[info.algo, info.trees && `${info.trees} trees`, info.rows && `trained on ${fmt.int(info.rows)} rows`, Number.isFinite(state.metrics.auc) && `validation AUC ${fmt.num(state.metrics.auc, 4)}`].filter(Boolean).join(', ')}. `,
      state.file ? 'Scoring the open file with it.' : 'Open a CSV to score it — no retraining.'));
    banner.hidden = false;
    if (state.file) scoreWithModel();
  } catch (e) {
    showError(status, e);
  }
}

// ---------------------------------------------------------------- reset / forget

function resetAfterData() {
  forgetStageModel();
  for (const id of ['profile-card', 'setup-card', 'leads-card', 'funnel-card']) el(id).hidden = true;
  if (state.modelOrigin !== 'loaded') { el('results-card').hidden = true; el('downloads-card').hidden = true; }
  state.excluded = new Set();
  state.leaks = [];
  state.scored = null;
  state.labels = null;
  state.thresholds = null;
  state.table = null;
  state.fileCharts = null;
  searchIndex = null;
  replace(el('profile-alerts'));
  replace(el('table-host'));
  el('progress-wrap').hidden = true;
  el('train-status').textContent = '';
}

async function forget() {
  state.worker?.cancel?.();
  state.worker?.terminate?.();
  state.model?.free?.();
  state = freshState();
  searchIndex = null;
  await forgetStorage();
  el('csv-input').value = '';
  el('model-input').value = '';
  resetAfterData();
  el('results-card').hidden = true;
  el('downloads-card').hidden = true;
  drift?.clear();
  drift?.show(false);
  el('model-banner').hidden = true;
  replace(el('data-status'), h('div', { class: 'lf-alert lf-alert--success' }, h('p', {}, 'Everything was forgotten: the data, the model and anything this page stored in the browser.')));
  replace(el('charts'));
  replace(el('loss-chart'));
  say('Everything was forgotten');
}

// ---------------------------------------------------------------- wiring

let drift = null;

function wire() {
  drift = mountDrift({ card: el('drift-card'), input: el('drift-input'), host: el('drift-body'), getModel: () => state.model, say });
  el('csv-input').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (file) await openBytes(file.name, new Uint8Array(await file.arrayBuffer()));
  });
  el('model-input').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (file) await openModel(file);
  });
  el('demo-button').addEventListener('click', async () => {
    await loadEngine();
    const csv = api.demoCsv(DEMO.rows, DEMO.seed);
    await openBytes(`demo-leads-${DEMO.rows}-seed${DEMO.seed}.csv`, new TextEncoder().encode(csv));
  });
  const drop = el('drop-zone');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('is-over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('is-over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('is-over');
    const file = e.dataTransfer.files[0];
    if (!file) return;
    if (/\.lfm$/i.test(file.name)) await openModel(file);
    else await openBytes(file.name, new Uint8Array(await file.arrayBuffer()));
  });
  // a file dropped outside the zone must not navigate away from the page (and lose the work)
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  el('missing-input').addEventListener('change', () => { if (state.file) profileFile(); });
  el('target-select').addEventListener('change', () => {
    fillPositiveSelect();
    state.excluded = new Set();
    state.leaks = [];
    if (state.file) profileFile();
  });
  el('positive-select').addEventListener('change', () => {
    if (state.file && [...el('positive-select').selectedOptions].length) profileFile();
  });
  for (const input of document.querySelectorAll('input[name="validation"], input[name="algo"], #time-order-input')) {
    input.addEventListener('change', updateValidationControls);
  }
  el('test-fraction-input').addEventListener('input', updateValidationControls);
  updateValidationControls();
  el('train-button').addEventListener('click', train);
  el('cancel-button').addEventListener('click', cancel);
  el('threshold').addEventListener('input', updateThreshold);
  el('tier-filter').addEventListener('change', refreshView);
  let searchTimer = 0;
  el('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(refreshView, 120); });
  el('stage-select').addEventListener('change', drawFunnel);
  el('download-scores').addEventListener('click', downloadScores);
  el('download-model').addEventListener('click', downloadModel);
  el('download-report').addEventListener('click', downloadReport);
  el('forget-button').addEventListener('click', forget);
}

wire();
loadEngine().then(() => {
  el('engine-version').textContent = `v${api.version()}`;
  document.body.dataset.ready = 'true';
}).catch((e) => {
  const box = el('engine-error');
  box.hidden = false;
  replace(box, h('p', {}, `The engine could not start: ${e.message}`));
});

// for tests and the curious: read-only views of what the page holds
Object.defineProperty(window, 'leadforestApp', { value: { get state() { return state; } } });
