// @ts-check
// The "choose what to predict and train" card: outcome and positive-value pickers, the validation
// and model choices (the CLI's defaults), the training options sent to the engine, and the
// training progress (rounds, loss curve, time left).

import { h, replace, byId as el, fmt } from './dom.js';
import { lossChart } from './charts.js';
import { toDom } from './svg.js';
import { remainingMs, fractionOf, duration } from './progress.js';

const radio = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (document.querySelector(`input[name="${name}"]:checked`)).value;
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (el(id));

/** Fills the outcome picker with the file's columns. */
export function fillTargetSelect(headers, chosen) {
  const select = /** @type {HTMLSelectElement} */ (el('target-select'));
  replace(select, headers.map((/** @type {string} */ c) => h('option', { value: c, selected: c === chosen }, c)));
  select.value = chosen;
}

/** Fills the positive-value picker from the worker's value counts of the outcome column. */
export function fillPositiveSelect({ counts, distinct, positives }, column) {
  const chosen = new Set(positives);
  replace(el('positive-select'), counts.map((/** @type {[string, number]} */ [v, c]) => h('option', { value: v, selected: chosen.has(v) }, `${v} (${fmt.int(c)})`)));
  el('target-help').textContent = distinct > 20
    ? `“${column}” has ${fmt.int(distinct)} different values. Is it really the outcome?`
    : 'The column that says whether a lead converted.';
}

export const selectedPositives = () => [.../** @type {HTMLSelectElement} */ (el('positive-select')).selectedOptions].map((o) => o.value);

export function missingValues() {
  return input('missing-input').value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** The test share in percent (1–50; the engine's default 20 when the field is not a number). */
function testPercent() {
  const v = Number(input('test-fraction-input').value);
  return Number.isFinite(v) && v > 0 ? Math.min(50, Math.max(1, v)) : 20;
}

/**
 * The date column the engine orders rows by (its rule: a date column at most half empty, one
 * named like "created" or "first" before the others), null when there is none, undefined before
 * the profile.
 */
function timeColumn(profile) {
  if (!profile) return undefined;
  const dates = profile.columns.filter((/** @type {any} */ c) => c.kind === 'date' && !(c.missingPct >= 50));
  return (dates.find((/** @type {any} */ c) => /creat|first/i.test(c.name)) || dates[0])?.name ?? null;
}

/** Enables the validation controls that apply to the chosen mode, model and file; help in words. */
export function updateValidationControls(profile) {
  const algo = radio('algo');
  const dateColumn = timeColumn(profile);
  const order = input('time-order-input');
  const timeRadio = input('validation-time');
  const canTime = dateColumn !== null || order.checked;
  timeRadio.disabled = !canTime;
  if (!canTime && timeRadio.checked) /** @type {HTMLInputElement} */ (document.querySelector('input[name="validation"][value="auto"]')).checked = true;
  const mode = radio('validation');
  order.disabled = Boolean(dateColumn) || mode === 'holdout' || mode === 'kfold';
  el('time-order-help').textContent = dateColumn
    ? `This file has a date column, “${dateColumn}”: the engine orders leads by it.`
    : mode === 'holdout' || mode === 'kfold'
      ? 'Only used by the engine default and the time-ordered split.'
      : 'For exports without a date column: the time-ordered split then measures the model on the last rows of the file.';
  const forestOob = mode === 'auto' && algo === 'rf';
  input('test-fraction-input').disabled = mode === 'kfold' || forestOob;
  el('test-fraction-help').textContent = forestOob
    ? 'A random forest is measured on its out-of-bag rows by default.'
    : 'Holdout and time-ordered splits, 1–50.';
  input('folds-input').disabled = mode !== 'kfold';
  const pct = String(Math.round(testPercent() * 10) / 10);
  const timed = dateColumn ? `the newest by “${dateColumn}”`
    : order.checked ? 'the last rows of the file'
      : dateColumn === null ? `a random ${pct}% (the file has no date column)` : `the newest when there is a date column, else a random ${pct}%`;
  el('validation-help').textContent = /** @type {Record<string, string>} */ ({
    auto: forestOob
      ? 'A random forest is measured on the rows each tree did not see (out-of-bag).'
      : `The engine keeps ${pct}% of the leads aside to measure the model: ${timed}.`,
    holdout: `Holdout: a random ${pct}% is kept aside to measure the model.`,
    time: `Time-ordered: train on older leads, measure on the newest ${pct}% (${dateColumn ? `by “${dateColumn}”` : 'the last rows of the file'}).`,
    kfold: 'k-fold: every lead is held out once; the figures are averaged over the folds, then the final model trains on all leads.',
  })[mode];
}

/** The training options for the engine (the same fields the CLI's flags set). */
export function trainOptions(drop) {
  const target = /** @type {HTMLSelectElement} */ (el('target-select')).value;
  /** @type {Record<string, any>} */
  const options = {
    target,
    positive: selectedPositives(),
    missing: missingValues(),
    drop: drop.filter((/** @type {string} */ c) => c !== target),
    algo: radio('algo'),
    seed: Number(input('seed-input').value) >>> 0,
  };
  const validation = radio('validation');
  if (validation !== 'auto') options.validation = validation;
  if (validation === 'kfold') options.folds = Math.min(20, Math.max(2, Math.round(Number(input('folds-input').value) || 5)));
  if (!input('test-fraction-input').disabled && testPercent() !== 20) options.testFraction = testPercent() / 100;
  if (!input('time-order-input').disabled && input('time-order-input').checked) options.rowsInTimeOrder = true;
  return options;
}

/** Draws training progress at most once per frame: rounds, folds, loss curve and time left. */
export function trainingProgress() {
  /** @type {any[]} */
  const curve = [];
  /** @type {any} */
  let last = null;
  let frame = 0;
  let drawn = 0;
  const t0 = performance.now();
  const bar = /** @type {HTMLProgressElement} */ (el('progress'));
  bar.value = 0;
  bar.removeAttribute('aria-valuetext');
  el('progress-label').textContent = 'Training…';
  replace(el('loss-chart'));
  el('progress-wrap').hidden = false;
  return (/** @type {any} */ p) => {
    if (!curve.length || curve[0].stage === p.stage) curve.push(p);
    last = p;
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const fold = last.stage === 'fold' && last.folds ? `fold ${last.fold} of ${last.folds}, ` : '';
      const frac = fractionOf(last);
      bar.value = frac;
      bar.setAttribute('aria-valuetext', `${fold}round ${last.round} of ${last.totalRounds}`);
      const stage = fold ? `cross-validation: ${fold}` : last.stage && curve[0] && last.stage !== curve[0].stage ? `${last.stage}: ` : '';
      const left = remainingMs(performance.now() - t0, frac, NaN);
      el('progress-label').textContent = `${stage}round ${last.round} of ${last.totalRounds}${Number.isFinite(last.validLoss) ? ` · validation loss ${last.validLoss.toFixed(4)}` : ''}${Number.isFinite(left) ? ` · ${duration(left)} left at most` : ''}`;
      // the curve at most twice a second: each redraw lays out the chart again
      const latest = curve.at(-1);
      if (latest && performance.now() - drawn > 500) {
        drawn = performance.now();
        replace(el('loss-chart'), toDom(lossChart(curve, latest.round)));
      }
    });
  };
}
