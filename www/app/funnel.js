// The funnel view: lead counts and conversion by stage (a stage column of the file) and by tier,
// and the funnel-stage classifier: a multi-class model of the stage column, trained in a worker,
// with predicted against actual counts per stage, drop-off between stages, macro-F1 against the
// majority-class baseline and every lead's predicted stage.

import { h, replace, fmt } from './dom.js';
import { valueCounts, isMissing } from './profile.js';
import { toCsv } from './csv.js';
import { saveFile, stem } from './download.js';

const STAGE_NAME = /stage|status|funnel|lifecycle/i;
// Same list as the library's metrics::FUNNEL_ORDER.
const KNOWN_ORDER = [
  'awareness', 'interest', 'consideration', 'intent', 'evaluation', 'decision', 'action', 'purchase',
  'subscriber', 'lead', 'new', 'open', 'contacted', 'working', 'nurturing', 'mql', 'marketing qualified lead', 'sql',
  'sales qualified lead', 'qualified', 'opportunity', 'proposal', 'negotiation', 'customer', 'closed won', 'won', 'closed lost', 'lost',
];

/** The most likely stage column: a telling name with 2–12 distinct values. */
export function guessStage(headers, rows) {
  const sample = rows.slice(0, 2000);
  return headers.find((c, j) => STAGE_NAME.test(c) && (() => {
    const k = valueCounts(sample, j).filter(([v]) => !isMissing(v)).length;
    return k >= 2 && k <= 12;
  })()) || '';
}

/** Orders stage values: known funnel words first in funnel order, the rest by count. */
export function orderStages(counts) {
  const rank = (v) => {
    const i = KNOWN_ORDER.indexOf(v.trim().toLowerCase());
    return i < 0 ? Infinity : i;
  };
  return [...counts].sort((a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1]);
}

function barRow(label, count, total, rate, extra) {
  const share = total ? count / total : 0;
  const bar = h('div', { class: 'lf-bar' });
  bar.style.width = `${Math.max(0.5, share * 100)}%`;
  return h('tr', {},
    h('th', { scope: 'row' }, label),
    h('td', { class: 'lf-num' }, fmt.int(count)),
    h('td', {}, h('div', { class: 'lf-bar-track', 'aria-hidden': 'true' }, bar)),
    h('td', { class: 'lf-num' }, rate === undefined ? '—' : fmt.pct(rate)),
    extra === undefined ? null : h('td', { class: 'lf-num' }, extra));
}

function table(caption, head, rows) {
  return h('div', { class: 'lf-card lf-card__body' },
    h('table', { class: 'lf-table', 'data-testid': 'funnel-table' },
      h('caption', { class: 'lf-sr-only' }, caption),
      h('thead', {}, h('tr', {}, head.map((x, i) => h('th', { scope: 'col', class: i === 1 || i >= 3 ? 'lf-num' : null }, x)))),
      h('tbody', {}, rows)));
}

/**
 * Draws the stage model, the by-stage and the by-tier tables into `host`. `labels`: 0/1/NaN per
 * row or null. `outcome` (the binary target), `excluded` and `missing` shape the stage model's
 * training: the outcome is left out (it can settle the last stage, as in the demo data).
 */
export function renderFunnel({ host, file, stage, tiers, tierOrder, labels, outcome = '', excluded = [], missing = [] }) {
  const n = file.rows.length;
  const blocks = [];
  if (stage) {
    const key = `${file.name}\u0000${n}\u0000${stage}`;
    if (stageState.key !== key) forgetStageModel();
    stageState.key = key;
    stageState.setup = { file, stage, outcome, excluded, missing };
    stageState.host = h('div', { class: 'lf-stack lf-funnel-stage', 'data-testid': 'stage-model' });
    stageState.host.style.gridColumn = '1 / -1';
    drawStage();
    blocks.push(stageState.host);
  }
  const rate = (idx) => {
    if (!labels) return undefined;
    let pos = 0;
    let known = 0;
    for (const i of idx) if (!Number.isNaN(labels[i])) { known++; pos += labels[i]; }
    return known ? pos / known : undefined;
  };
  const groups = (keyOf) => {
    const g = new Map();
    for (let i = 0; i < n; i++) {
      const k = keyOf(i);
      if (!g.has(k)) g.set(k, []);
      g.get(k).push(i);
    }
    return g;
  };
  if (stage) {
    const j = file.headers.indexOf(stage);
    const g = groups((i) => (file.rows[i][j] ?? '').trim() || '(empty)');
    const ordered = orderStages([...g].map(([k, idx]) => [k, idx.length]));
    blocks.push(h('div', { class: 'lf-stack' }, h('h3', {}, `By stage (${stage})`),
      table(`Leads and conversion by ${stage}`, ['Stage', 'Leads', 'Share', 'Converted'], ordered.map(([k, c]) => barRow(k, c, n, rate(g.get(k)))))));
  } else {
    blocks.push(h('div', { class: 'lf-alert' }, h('p', {}, 'No stage column chosen: pick one above to see the funnel by stage.')));
  }
  const byTier = groups((i) => tiers[i]);
  const order = [...new Set([...tierOrder, ...byTier.keys()])].filter((t) => byTier.has(t));
  blocks.push(h('div', { class: 'lf-stack' }, h('h3', {}, 'By tier'),
    table('Leads and conversion by tier', ['Tier', 'Leads', 'Share', 'Converted'], order.map((t) => barRow(t === '' ? 'All leads (this engine build gives no tiers)' : `Tier ${t}`, byTier.get(t).length, n, rate(byTier.get(t)))))));
  if (!labels) blocks.push(h('p', { class: 'lf-help' }, 'Conversion needs the outcome column in the file.'));
  replace(host, blocks);
}

// ---------------------------------------------------------------- the stage model

/** The stage model of the open file (one at a time); `forgetStageModel` drops it. */
let stageState = freshStage();
function freshStage() {
  return { key: '', setup: null, host: null, worker: null, training: false, progress: null, model: null, result: null, error: '' };
}

/** Cancels any stage training and frees the stage model (new file, new stage column, forget). */
export function forgetStageModel() {
  stageState.worker?.cancel?.();
  stageState.worker?.terminate?.();
  stageState.model?.free?.();
  stageState = freshStage();
}

/** The training options of the stage model: the stage as target, the outcome left out. */
export function stageTrainOptions({ stage, outcome, excluded, missing, headers }) {
  const drop = [...new Set([outcome, ...excluded])].filter((c) => c && c !== stage && headers.includes(c));
  return { target: stage, drop, missing, excludeLeaky: true, algo: 'gbt', seed: 42 };
}

async function trainStage() {
  const st = stageState;
  const { file, stage, outcome, excluded, missing } = st.setup;
  // imported here so that this module's pure parts load in Node (tests/browser/app-units)
  const { loadEngine, has, api } = await import('./engine.js');
  await loadEngine();
  if (!has('TrainingWorker')) {
    st.error = 'Training is not in this build of the engine, so no stage model can be trained here.';
    drawStage();
    return;
  }
  st.training = true;
  st.error = '';
  st.progress = null;
  drawStage();
  const options = stageTrainOptions({ stage, outcome, excluded, missing, headers: file.headers });
  try {
    st.worker = new api.TrainingWorker();
    const model = await st.worker.train(file.bytes.slice(), options, (p) => {
      st.progress = p;
      drawProgress();
    });
    if (stageState !== st) { model.free?.(); return; }
    st.model = model;
    st.result = predictStages(model, file, stage);
  } catch (e) {
    if (stageState !== st) return;
    st.error = /cancel/i.test(e?.message || '') ? 'Training the stage model was cancelled.' : `The stage model could not be trained: ${e?.message || e}`;
  } finally {
    st.worker?.terminate?.();
    st.worker = null;
    st.training = false;
  }
  if (stageState === st) drawStage();
}

/**
 * Scores the file with a stage model: per lead the predicted stage and its probability, the
 * actual stage (class index, -1 when missing or unknown), counts per stage and the stage order.
 */
export function predictStages(model, file, stage) {
  const names = model.schema.classNames.map(String);
  const k = names.length;
  const scored = model.scoreCsv(file.bytes);
  const cp = scored.classProbabilities;
  if (!cp || cp.length !== scored.rows * k) throw new Error(`“${stage}” did not give a multi-class model (${k} classes); pick a column with three or more stages.`);
  const n = scored.rows;
  const predicted = new Int32Array(n);
  const probability = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (cp[i * k + c] > cp[i * k + best]) best = c;
    predicted[i] = best;
    probability[i] = cp[i * k + best];
  }
  const index = new Map(names.map((v, c) => [v.trim().toLowerCase(), c]));
  const j = file.headers.indexOf(stage);
  const actual = new Int32Array(n).fill(-1);
  for (let i = 0; i < n && i < file.rows.length; i++) {
    const v = file.rows[i][j];
    if (!isMissing(v)) actual[i] = index.get(String(v).trim().toLowerCase()) ?? -1;
  }
  const actualCounts = new Array(k).fill(0);
  const predictedCounts = new Array(k).fill(0);
  for (let i = 0; i < n; i++) {
    predictedCounts[predicted[i]]++;
    if (actual[i] >= 0) actualCounts[actual[i]]++;
  }
  const order = orderStages(names.map((v, c) => [v, actualCounts[c]])).map(([v]) => names.indexOf(v));
  const m = model.metrics || {};
  const pick = (...keys) => keys.map((key) => m[key]).find(Number.isFinite);
  const metrics = {
    macroF1: pick('validMacroF1', 'oobMacroF1'),
    majorityMacroF1: pick('validMajorityMacroF1', 'oobMajorityMacroF1'),
    accuracy: pick('validAccuracy', 'oobAccuracy'),
    majorityAccuracy: pick('validMajorityAccuracy', 'oobMajorityAccuracy'),
    rows: pick('validRows', 'oobRows'),
  };
  return { names, k, n, predicted, probability, classProbabilities: cp, actual, actualCounts, predictedCounts, order, metrics };
}

/**
 * Funnel rows in stage order: leads at each stage, leads that reached it (this stage or a later
 * one) and the conversion from the previous stage (reached ÷ reached before), actual and
 * predicted.
 */
export function funnelRows(order, actualCounts, predictedCounts) {
  const reached = (counts) => {
    const out = new Array(order.length).fill(0);
    let sum = 0;
    for (let i = order.length - 1; i >= 0; i--) { sum += counts[order[i]]; out[i] = sum; }
    return out;
  };
  const ra = reached(actualCounts);
  const rp = reached(predictedCounts);
  return order.map((c, i) => ({
    class: c,
    actual: actualCounts[c],
    predicted: predictedCounts[c],
    reachedActual: ra[i],
    reachedPredicted: rp[i],
    conversionActual: i && ra[i - 1] ? ra[i] / ra[i - 1] : undefined,
    conversionPredicted: i && rp[i - 1] ? rp[i] / rp[i - 1] : undefined,
  }));
}

function drawProgress() {
  const p = stageState.progress;
  const bar = stageState.host?.querySelector('[data-testid="stage-progress"]');
  const label = stageState.host?.querySelector('.lf-stage-progress-label');
  if (!bar || !p) return;
  bar.value = p.totalRounds ? Math.min(1, p.round / p.totalRounds) : 0;
  const text = `${p.stage === 'refitting' ? 'refitting: ' : ''}round ${p.round} of ${p.totalRounds}`;
  bar.setAttribute('aria-valuetext', text);
  if (label) label.textContent = `Training the stage model… ${text}`;
}

function drawStage() {
  const st = stageState;
  if (!st.host) return;
  const { stage } = st.setup;
  const parts = [h('h3', {}, `Stage model (${stage})`)];
  if (!st.result) {
    parts.push(h('p', { class: 'lf-help' },
      `Predicts each lead's stage from the other columns, to compare the funnel the model expects with the one in the file. The outcome column${st.setup.outcome && st.setup.outcome !== stage ? ` (“${st.setup.outcome}”)` : ''} and columns that leak the stage are left out.`));
  }
  const actions = h('div', { class: 'lf-actions' },
    h('button', { type: 'button', class: `lf-button ${st.result ? '' : 'lf-button--brand'}`, 'data-testid': 'stage-train', disabled: st.training, on: { click: trainStage } },
      st.result ? 'Retrain the stage model' : 'Train a stage model'),
    st.training ? h('button', { type: 'button', class: 'lf-button', 'data-testid': 'stage-cancel', on: { click: () => st.worker?.cancel?.() } }, 'Cancel') : null,
    st.result ? h('button', { type: 'button', class: 'lf-button', 'data-testid': 'stage-download', on: { click: downloadStages } }, 'Predicted stages (CSV)') : null);
  parts.push(actions);
  if (st.training) {
    parts.push(h('div', { class: 'lf-progress' },
      h('span', { class: 'lf-help lf-stage-progress-label', 'aria-live': 'polite' }, 'Training the stage model…'),
      h('progress', { 'data-testid': 'stage-progress', max: '1', value: '0', 'aria-label': 'Stage model training progress' })));
  }
  if (st.error) parts.push(h('div', { class: 'lf-alert lf-alert--error', role: 'alert' }, h('p', {}, st.error)));
  if (st.result) parts.push(...stageResult(st.result));
  replace(st.host, parts);
  drawProgress();
}

function stageResult(r) {
  const m = r.metrics;
  const out = [];
  const beats = Number.isFinite(m.macroF1) && Number.isFinite(m.majorityMacroF1) ? m.macroF1 > m.majorityMacroF1 : undefined;
  out.push(h('div', { class: 'lf-grid-2', 'data-testid': 'stage-metrics' },
    h('div', { class: 'lf-metric' },
      h('div', { class: 'lf-metric__label' }, 'Macro-F1 (held-out leads)'),
      h('div', { class: 'lf-metric__value', 'data-testid': 'stage-macro-f1' }, fmt.num(m.macroF1, 3)),
      h('div', { class: 'lf-metric__note' }, Number.isFinite(m.rows) ? `${fmt.int(m.rows)} leads kept aside in training · accuracy ${fmt.pct(m.accuracy)}` : 'not measured (no held-out leads)')),
    h('div', { class: 'lf-metric' },
      h('div', { class: 'lf-metric__label' }, 'Majority-class baseline'),
      h('div', { class: 'lf-metric__value', 'data-testid': 'stage-baseline-f1' }, fmt.num(m.majorityMacroF1, 3)),
      h('div', { class: 'lf-metric__note' }, `always guessing the most common stage · accuracy ${fmt.pct(m.majorityAccuracy)}`))));
  if (beats !== undefined) {
    out.push(h('p', { class: beats ? 'lf-help' : 'lf-alert' }, beats
      ? `The stage model beats always guessing the most common stage (macro-F1 ${fmt.num(m.macroF1, 3)} vs ${fmt.num(m.majorityMacroF1, 3)}).`
      : 'The stage model does no better than always guessing the most common stage: the other columns say little about the stage.'));
  }
  const rows = funnelRows(r.order, r.actualCounts, r.predictedCounts);
  const max = Math.max(1, ...rows.map((x) => Math.max(x.actual, x.predicted)));
  const bar = (count, predicted) => {
    const b = h('div', { class: 'lf-bar' });
    b.style.width = `${Math.max(0.5, (count / max) * 100)}%`;
    if (predicted) b.style.background = 'var(--lf-brand-dark, #014486)';
    const track = h('div', { class: 'lf-bar-track', 'aria-hidden': 'true' }, b);
    if (predicted) track.style.marginTop = '2px';
    return track;
  };
  const known = r.actualCounts.reduce((a, b) => a + b, 0);
  out.push(h('div', { class: 'lf-card lf-card__body' },
    h('table', { class: 'lf-table', 'data-testid': 'funnel-predicted' },
      h('caption', {}, `Predicted against actual leads per stage (${fmt.int(r.n)} leads${known < r.n ? `, ${fmt.int(r.n - known)} without a known stage` : ''}). Predicted counts cover every lead of the file, training rows included; the macro-F1 above is on held-out leads only. Conversion: leads that reached a stage (it or a later one) ÷ those that reached the one before.`),
      h('thead', {}, h('tr', {},
        ['Stage', 'Actual', 'Predicted', 'Actual (top) · predicted (bottom)', 'Conversion (actual)', 'Conversion (predicted)'].map((x, i) => h('th', { scope: 'col', class: i === 0 || i === 3 ? null : 'lf-num' }, x)))),
      h('tbody', {}, rows.map((x) => h('tr', { 'data-stage': r.names[x.class] },
        h('th', { scope: 'row' }, r.names[x.class]),
        h('td', { class: 'lf-num', 'data-testid': 'stage-actual' }, fmt.int(x.actual)),
        h('td', { class: 'lf-num', 'data-testid': 'stage-predicted' }, fmt.int(x.predicted)),
        h('td', {}, bar(x.actual, false), bar(x.predicted, true)),
        h('td', { class: 'lf-num' }, x.conversionActual === undefined ? '—' : fmt.pct(x.conversionActual)),
        h('td', { class: 'lf-num' }, x.conversionPredicted === undefined ? '—' : fmt.pct(x.conversionPredicted))))))));
  out.push(stageLeads(r));
  return out;
}

/** The first leads of the file with their actual and predicted stage (all of them: the CSV). */
function stageLeads(r) {
  const { file } = stageState.setup;
  const idCol = file.headers.findIndex((c) => /\b(id|number)\b/i.test(c));
  const shown = Math.min(10, r.n);
  const body = [];
  for (let i = 0; i < shown; i++) {
    body.push(h('tr', {},
      h('th', { scope: 'row' }, idCol >= 0 ? String(file.rows[i]?.[idCol] ?? '') : `Lead ${i + 1}`),
      h('td', {}, r.actual[i] >= 0 ? r.names[r.actual[i]] : '—'),
      h('td', {}, r.names[r.predicted[i]]),
      h('td', { class: 'lf-num' }, fmt.pct(r.probability[i]))));
  }
  return h('details', { class: 'lf-card lf-card__body' },
    h('summary', {}, `Predicted stage per lead (first ${shown}; the CSV has all ${fmt.int(r.n)})`),
    h('table', { class: 'lf-table', 'data-testid': 'stage-leads' },
      h('thead', {}, h('tr', {}, ['Lead', 'Actual stage', 'Predicted stage', 'Probability'].map((x, i) => h('th', { scope: 'col', class: i === 3 ? 'lf-num' : null }, x)))),
      h('tbody', {}, body)));
}

function downloadStages() {
  const st = stageState;
  const r = st.result;
  if (!r) return;
  const { file } = st.setup;
  const head = [...file.headers, 'predicted_stage', 'stage_probability', ...r.names.map((v) => `p_${v}`)];
  const rows = file.rows.map((row, i) => [
    ...file.headers.map((_, j) => row[j] ?? ''),
    r.names[r.predicted[i]],
    r.probability[i].toFixed(6),
    ...r.names.map((_, c) => r.classProbabilities[i * r.k + c].toFixed(6)),
  ]);
  saveFile(`${stem(file.name)}-stages.csv`, toCsv(head, rows), 'text/csv');
}
