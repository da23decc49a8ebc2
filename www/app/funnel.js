// @ts-check
// The funnel view: lead counts and conversion by stage (a stage column of the file) and by tier,
// and the funnel-stage classifier: a multi-class model of the stage column, trained in a worker,
// with predicted against actual counts per stage, drop-off between stages, macro-F1 against the
// majority-class baseline and every lead's predicted stage.

import { h, replace, fmt } from './dom.js';
import { saveFile, stem } from './download.js';
import { isCancel } from './client.js';

// Same list as the library's metrics::FUNNEL_ORDER.
const KNOWN_ORDER = [
  'awareness', 'interest', 'consideration', 'intent', 'evaluation', 'decision', 'action', 'purchase',
  'subscriber', 'lead', 'new', 'open', 'contacted', 'working', 'nurturing', 'mql', 'marketing qualified lead', 'sql',
  'sales qualified lead', 'qualified', 'opportunity', 'proposal', 'negotiation', 'customer', 'closed won', 'won', 'closed lost', 'lost',
];

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
    h('td', { class: 'lf-num' }, rate === undefined || rate === null ? '—' : fmt.pct(rate)),
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
 * Draws the stage model, the by-stage and the by-tier tables into `host` from the worker's
 * counts (`data`: { rows, labelled, byStage, byTier }). `outcome` (the binary target),
 * `excluded` and `missing` shape the stage model's training: the outcome is left out (it can
 * settle the last stage, as in the demo data).
 */
export function renderFunnel({ host, client, file, stage, data, tierOrder, outcome = '', excluded = [], missing = [] }) {
  const n = data.rows;
  const blocks = [];
  if (stage) {
    const key = `${file.name}\u0000${n}\u0000${stage}`;
    if (stageState.key !== key) forgetStageModel();
    stageState.key = key;
    stageState.client = client;
    stageState.setup = { file, stage, outcome, excluded, missing };
    stageState.host = h('div', { class: 'lf-stack lf-funnel-stage', 'data-testid': 'stage-model' });
    stageState.host.style.gridColumn = '1 / -1';
    drawStage();
    blocks.push(stageState.host);
  }
  const measured = `all ${fmt.int(n)} leads of the file`;
  if (stage && data.byStage) {
    const g = new Map(data.byStage.map((x) => [x.key, x]));
    const ordered = orderStages(data.byStage.map((x) => [x.key, x.count]));
    blocks.push(h('div', { class: 'lf-stack' }, h('h3', {}, `By stage (${stage})`),
      table(`Leads and conversion by ${stage}, ${measured}`, ['Stage', 'Leads', 'Share', 'Converted'], ordered.map(([k, c]) => barRow(k, c, n, g.get(k).rate)))));
  } else {
    blocks.push(h('div', { class: 'lf-alert' }, h('p', {}, 'No stage column chosen: pick one above to see the funnel by stage.')));
  }
  const byTier = new Map(data.byTier.map((x) => [x.key, x]));
  const order = [...new Set([...tierOrder, ...byTier.keys()])].filter((t) => byTier.has(t));
  blocks.push(h('div', { class: 'lf-stack' }, h('h3', {}, 'By tier'),
    table(`Leads and conversion by tier, ${measured}`, ['Tier', 'Leads', 'Share', 'Converted'], order.map((t) => barRow(t === '' ? 'All leads' : `Tier ${t}`, byTier.get(t).count, n, byTier.get(t).rate)))));
  blocks.push(h('p', { class: 'lf-help' }, data.labelled
    ? `Counted on ${measured}, training rows included: conversion here is what happened, not a measure of the model.`
    : 'Conversion needs the outcome column in the file.'));
  replace(host, blocks);
}

// ---------------------------------------------------------------- the stage model

/** The stage model of the open file (one at a time); `forgetStageModel` drops it. */
let stageState = freshStage();
function freshStage() {
  return { key: '', setup: null, host: null, client: null, training: false, progress: null, result: null, error: '' };
}

/** Cancels any stage training and frees the stage model (new file, new stage column, forget). */
export function forgetStageModel() {
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
  st.training = true;
  st.error = '';
  st.progress = null;
  drawStage();
  const options = stageTrainOptions({ stage, outcome, excluded, missing, headers: file.headers });
  try {
    const r = await st.client.call('trainStage', { options, stage }, {
      onProgress: (p) => { st.progress = p; drawProgress(); },
    });
    if (stageState !== st) return;
    st.result = stageResultData(r);
  } catch (e) {
    if (stageState !== st) return;
    st.error = isCancel(e) ? 'Training the stage model was cancelled.' : `The stage model could not be trained: ${e?.message || e}`;
  } finally {
    st.training = false;
  }
  if (stageState === st) drawStage();
}

/** Counts per stage and the stage order from the worker's predictions. */
export function stageResultData({ names, k, n, metrics: m, predicted, probability, actual, firstRows }) {
  const actualCounts = new Array(k).fill(0);
  const predictedCounts = new Array(k).fill(0);
  for (let i = 0; i < n; i++) {
    predictedCounts[predicted[i]]++;
    if (actual[i] >= 0) actualCounts[actual[i]]++;
  }
  const order = orderStages(names.map((v, c) => [v, actualCounts[c]])).map(([v]) => names.indexOf(v));
  const pick = (...keys) => keys.map((key) => m?.[key]).find(Number.isFinite);
  const metrics = {
    macroF1: pick('validMacroF1', 'oobMacroF1'),
    majorityMacroF1: pick('validMajorityMacroF1', 'oobMajorityMacroF1'),
    accuracy: pick('validAccuracy', 'oobAccuracy'),
    majorityAccuracy: pick('validMajorityAccuracy', 'oobMajorityAccuracy'),
    rows: pick('validRows', 'oobRows'),
  };
  return { names, k, n, predicted, probability, actual, actualCounts, predictedCounts, order, metrics, firstRows };
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
    st.training ? h('button', { type: 'button', class: 'lf-button', 'data-testid': 'stage-cancel', on: { click: () => st.client?.cancel() } }, 'Cancel') : null,
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
      h('th', { scope: 'row' }, idCol >= 0 ? String(r.firstRows[i]?.[idCol] ?? '') : `Lead ${i + 1}`),
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

async function downloadStages() {
  const st = stageState;
  if (!st.result) return;
  const { file } = st.setup;
  try {
    const { blob } = await st.client.call('stageCsv');
    saveFile(`${stem(file.name)}-stages.csv`, blob, 'text/csv');
  } catch (e) {
    if (!isCancel(e)) st.error = `The predicted stages could not be saved: ${e?.message || e}`;
  }
}
