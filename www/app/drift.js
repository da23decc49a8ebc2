// @ts-check
// The drift panel: the user drops a CSV of newer leads and sees, per model column and for the
// score, the population stability index (PSI) against the training data the model file profiled,
// with plain-word levels (< 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift), the columns
// the model could not use that now vary, and (when the CSV has outcomes) the outcome rate.
// Everything from the CSV or the model reaches the DOM as text (dom.js `h`), never as HTML. The
// measuring runs in the engine's worker (`measure`).

import { h, replace } from './dom.js';
import { words, sentence } from './words.js';
import { isCancel } from './client.js';

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const LEVEL_BADGE = { stable: 'lf-badge--used', moderate: 'lf-badge--excluded', major: 'lf-badge--leak' };

/** The biggest move between training and new shares of a column's bins, in words. */
function biggestMove(bins) {
  let best = null;
  for (const b of bins || []) {
    const d = b.actual - b.expected;
    if (!best || Math.abs(d) > Math.abs(best.actual - best.expected)) best = b;
  }
  if (!best || Math.abs(best.actual - best.expected) < 0.005) return '';
  return `${best.label}: ${pct(best.expected)} → ${pct(best.actual)}`;
}

/** The level in words (the engine's: “stable”, “moderate shift”, “major shift”). */
function levelWords(level, text) {
  return words(text || level);
}

function row(f, isScore) {
  return h('tr', { 'data-level': f.level },
    h('th', { scope: 'row' }, isScore ? 'Score (the model’s output)' : f.name),
    h('td', { class: 'lf-num' }, Number.isFinite(f.psi) ? f.psi.toFixed(3) : '—'),
    h('td', {}, h('span', { class: `lf-badge ${LEVEL_BADGE[f.level] || ''}` }, levelWords(f.level, f.words))),
    h('td', { class: 'lf-muted' }, biggestMove(f.bins)));
}

/** The outcome part: class shares against training and, for binary models, the model's average. */
function outcomeCard(o) {
  if (!o) return null;
  const rates = o.actualRate != null && o.trainingRate != null && o.predictedRate != null;
  return h('div', { class: `lf-alert ${o.level === 'major' ? 'lf-alert--warning' : 'lf-alert--success'}`, 'data-testid': 'drift-outcome', 'data-level': o.level },
    h('p', {},
      rates
        ? `Outcomes (${o.target}): ${pct(o.actualRate)} of the ${o.rows} new leads with an outcome are positive, against ${pct(o.trainingRate)} in training; the model expects ${pct(o.predictedRate)}. `
        : `Outcomes (${o.target}, ${o.rows} new leads with one): ${o.bins.map((b) => `${b.label} ${pct(b.expected)} → ${pct(b.actual)}`).join(', ')}. `,
      h('span', { class: `lf-badge ${LEVEL_BADGE[o.level] || ''}` }, `${levelWords(o.level, o.words)} (PSI ${o.psi.toFixed(3)})`)));
}

/** Columns the model could not use (one value on every training row), when the new CSV has them. */
function unusedTable(unused) {
  if (!unused?.length) return null;
  return h('div', { class: 'lf-table-wrap' },
    h('table', { class: 'lf-table', 'data-testid': 'drift-unused' },
      h('caption', {}, 'Not used by the model: one value on every training row'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col' }, 'PSI'),
        h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Largest change (training → new)'))),
      h('tbody', {}, unused.map((f) => row(f, false)))));
}

/** Draws a drift report (see `Model.drift` in www/leadforest/index.d.ts) into `host`. */
export function renderDrift(host, report, fileName) {
  const major = (f) => f?.level === 'major';
  const alertKind = major(report.score) || report.features.some(major)
    || (report.unusedColumns || []).some(major) || major(report.outcome)
    ? 'lf-alert--warning' : 'lf-alert--success';
  replace(host,
    h('div', { class: `lf-alert ${alertKind}`, 'data-testid': 'drift-summary' },
      h('p', {}, `${fileName}: ${report.rows} new leads against ${report.referenceRows} training rows. ${sentence(report.summary)}`)),
    (report.warnings || []).map((w) => h('div', { class: 'lf-alert lf-alert--warning' }, h('p', {}, sentence(w)))),
    h('div', { class: 'lf-table-wrap' },
      h('table', { class: 'lf-table', 'data-testid': 'drift-table' },
        h('caption', { class: 'lf-sr-only' }, 'Population stability index per column, largest first'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col' }, 'PSI'),
          h('th', { scope: 'col' }, 'Level'), h('th', { scope: 'col' }, 'Largest change (training → new)'))),
        h('tbody', {},
          report.score ? row(report.score, true) : null,
          report.features.map((f) => row(f, false))))),
    unusedTable(report.unusedColumns),
    outcomeCard(report.outcome),
    h('p', { class: 'lf-help' }, 'PSI compares the share of leads in each value range (or category) with the training data: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a major shift: time to train a new model on recent leads.'));
}

/**
 * Wires the panel: `input` (file input) and drops on `card` read a CSV and measure its drift
 * with `measure(name, bytes)` (the engine, in its worker). Returns `{ show(visible), clear() }`.
 * @param {{ card: HTMLElement, input: any, host: HTMLElement, measure: (name: string, bytes: Uint8Array) => Promise<any>,
 *   hasModel: () => boolean, say?: (text: string) => void }} args
 */
export function mountDrift({ card, input, host, measure, hasModel, say = (_text) => {} }) {
  async function run(name, bytes) {
    if (!hasModel()) return;
    try {
      const report = await measure(name, bytes);
      renderDrift(host, report, name);
      say(`Drift measured on ${name}`);
    } catch (e) {
      if (isCancel(e)) return;
      replace(host, h('div', { class: 'lf-alert lf-alert--error', role: 'alert', 'data-testid': 'drift-error' },
        h('p', {}, sentence(String(e?.message || e)))));
    }
  }
  input.addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (file) await run(file.name, new Uint8Array(await file.arrayBuffer()));
  });
  card.addEventListener('dragover', (e) => e.preventDefault());
  card.addEventListener('drop', async (e) => {
    e.preventDefault();
    e.stopPropagation();
    const file = e.dataTransfer?.files?.[0];
    if (file) await run(file.name, new Uint8Array(await file.arrayBuffer()));
  });
  return {
    show(visible) { card.hidden = !visible; },
    clear() { replace(host); input.value = ''; },
  };
}
