// @ts-check
// The "take it with you" card: the scored CSV (made in the worker, in chunks, with every lead's
// reasons; Excel-safe unless asked not to), the model file, and an offline HTML report of the
// engine's evaluation; "What the model file contains" (every string the file stores, from the
// engine's Model.strings(), shown before it is downloaded) and the CRM import files (Model.crmCsv).

import { byId as el, fmt, h, replace } from './dom.js';
import { saveFile, stem } from './download.js';
import { reportHtml } from './report.js';
import { reportCharts, measuredOn, thresholdRow } from './results.js';
import { isCancel } from './client.js';
import { sentence } from './words.js';

/**
 * The engine's rare-value rule (src/data/build.rs DEFAULT_MIN_CATEGORY_ROWS and the share floor):
 * the JS API does not expose the model's own figure, and neither the app nor the CLI can change it.
 */
const MIN_VALUE_ROWS = 10;

/** Plain words for the model file's sections (`StoredString.section`). */
const SECTION_WORDS = /** @type {Record<string, string>} */ ({
  header: 'File header',
  features: 'Model inputs',
  classes: 'Outcomes',
  'training-info': 'Training settings',
  pipeline: 'Reading a CSV (texts matched when scoring)',
  scoring: 'Scoring (tiers, calibration)',
  'training-profile': 'Drift profile of the training data',
  'training-context': 'Columns left out for having one value',
  privacy: 'Personal data you allowed',
  lineage: 'Lineage',
  validation: 'Validation report',
  evaluation: 'Evaluation report',
});

/**
 * The "What the model file contains" disclosure from `Model.strings()`: the rare-value rule, the
 * personal columns allowed, then every stored string grouped by section with its use. Every
 * string becomes a text node (h()), whatever the training data held.
 * @param {{ value: string, section: string, field: string, use: string }[]} strings
 */
export function stringsView(strings) {
  /** @type {Map<string, typeof strings>} */
  const bySection = new Map();
  for (const s of strings) {
    if (!bySection.has(s.section)) bySection.set(s.section, []);
    /** @type {typeof strings} */ (bySection.get(s.section)).push(s);
  }
  /** @type {Map<string, { column?: string, holds?: string }>} */
  const allowed = new Map();
  for (const s of bySection.get('privacy') || []) {
    const m = /(\d+)\]?\.(column|holds)$/.exec(s.field) || /(\d+).*\.(column|holds)$/.exec(s.field);
    if (!m) continue;
    const a = allowed.get(m[1]) || {};
    a[/** @type {'column' | 'holds'} */ (m[2])] = s.value;
    allowed.set(m[1], a);
  }
  const rules = [
    `Everything else in the file is numbers (trees, bins, calibration). Values used by fewer than ${MIN_VALUE_ROWS} training rows (on large files, fewer than 0.05 % of them) are not stored: they score as “(other)” and their texts are not kept.`,
    allowed.size
      ? [...allowed.values()].map((a) => `Personal data you allowed: “${a.column ?? '?'}” (${a.holds ?? 'personal data'}); its values used by at least ${MIN_VALUE_ROWS} rows are stored.`)
      : 'No personal-data column was allowed: columns found to hold personal data were left out.',
  ].flat();
  return [
    ...rules.map((t) => h('p', { class: 'lf-help' }, t)),
    ...[...bySection].map(([section, list]) => h('section', { 'data-section': section },
      h('h3', {}, `${SECTION_WORDS[section] ?? section} (${fmt.int(list.length)})`),
      h('ul', { class: 'lf-strings__list' }, list.map((s) => h('li', { 'data-field': s.field },
        h('code', {}, s.value), ' — ', s.use))))),
  ];
}

/**
 * @param {{ store: any, client: import('./client.js').EngineClient, busy: any, say: (t: string) => void, threshold: () => number }} ctx
 */
export function mountDownloads({ store, client, busy, say, threshold }) {
  async function scores() {
    const { file, scored } = store.get();
    if (!file || !scored) { say('Open a CSV and train or load a model first.'); return; }
    const raw = /** @type {HTMLInputElement} */ (el('raw-cells-input')).checked;
    try {
      const { blob } = await busy.track('Writing the scored CSV', (/** @type {any} */ hooks) => client.call('scoredCsv', { raw }, hooks), () => client.cancel());
      saveFile(`${stem(file.name)}-scored.csv`, blob, 'text/csv');
      say('Scored CSV saved');
    } catch (e) {
      say(isCancel(e) ? 'The scored CSV was cancelled' : `The scored CSV failed: ${/** @type {Error} */ (e).message}`);
    }
  }

  async function model() {
    const { modelName, file } = store.get();
    const bytes = client.session.modelBytes;
    if (!bytes) return;
    saveFile(`${stem(file?.name || modelName || 'leadforest')}.lfm`, bytes, 'application/octet-stream');
    say('Model file saved');
  }

  function report() {
    const { model: m, file, scored, modelName } = store.get();
    if (!m) return;
    const r = m.report;
    const v = m.validation;
    const t = threshold();
    const row = thresholdRow(r, t);
    const on = r ? measuredOn(r) : '';
    const base = r?.baselines || [];
    const points = base.find((/** @type {any} */ b) => b.name === 'points');
    const mod = base.find((/** @type {any} */ b) => b.name === 'model');
    const facts = [
      ['Measured on', on || (v ? `${fmt.int(v.testRows)} held-out rows` : '—')],
      ['ROC AUC', fmt.num(r?.metrics?.auc ?? v?.auc, 4)], ['PR AUC', fmt.num(r?.metrics?.prAuc ?? v?.prAuc, 4)],
      ['Log loss', fmt.num(r?.metrics?.logLoss ?? v?.logLoss, 4)], ['Brier', fmt.num(r?.metrics?.brier ?? v?.brier, 4)],
      ['Threshold', fmt.num(t, 2)], ['Precision', fmt.pct(row?.precision)], ['Recall', fmt.pct(row?.recall)], ['F1', fmt.num(row?.f1, 3)],
      ['Top-decile lift', fmt.times(mod?.topDecileLift)],
      ['Rule-based points score AUC', fmt.num(points?.auc, 4)],
      ['Model', `${m.info?.algo ?? ''} ${m.info?.trees ? `${m.info.trees} trees` : ''}`.trim() || '—'],
      ['Engine', `leadforest ${m.info?.version ?? ''}`],
    ];
    if (v?.summary) facts.splice(1, 0, ['Validation', sentence(v.summary)]);
    const tiers = (r?.tiers || []).map((/** @type {any} */ x) => [x.name, fmt.int(x.leads), fmt.pct(x.conversion)]);
    const html = reportHtml({
      title: `Lead scoring report: ${file?.name || modelName || 'saved model'}`,
      subtitle: `Target “${m.target ?? ''}”. Every figure is the engine's, on ${on || 'the held-out rows'}. Made in the browser by leadforest; nothing was uploaded.`,
      facts,
      charts: r ? reportCharts(r).map(([tree]) => tree) : [],
      tiers,
      notes: scored ? [`This file: ${fmt.int(scored.rows)} leads scored.`] : [],
    });
    saveFile(`${stem(file?.name || modelName || 'leadforest')}-report.html`, html, 'text/html');
    say('Report saved');
  }

  /** The stored strings of the model now in the worker, drawn into the disclosure. */
  let drawn = null;
  async function showStrings() {
    const m = store.get().model;
    if (!m || drawn === m) return;
    drawn = m;
    const box = el('model-strings');
    try {
      const { strings } = await client.call('strings');
      if (store.get().model !== m) return;
      replace(el('model-strings-summary'), `What the model file contains: ${fmt.int(strings.length)} texts, listed before you download it`);
      replace(el('model-strings-body'), ...stringsView(strings));
      box.hidden = false;
    } catch (e) {
      if (isCancel(e)) { drawn = null; return; }
      replace(el('model-strings-body'), h('p', { role: 'alert' }, `The model file's strings could not be listed: ${/** @type {Error} */ (e).message}`));
      box.hidden = false;
    }
  }
  store.subscribe((changed) => { if (changed.has('model')) showStrings(); });

  async function crm(/** @type {string} */ crmName) {
    const { file, model: m, valueColumn } = store.get();
    const status = el('crm-status');
    if (!file || !m) { say('Open a CSV and train or load a model first.'); return; }
    replace(status);
    try {
      // the deal-value column chosen in the leads card adds the CRM's expected-value field
      const r = await client.call('crmCsv', valueColumn ? { crm: crmName, value: valueColumn } : { crm: crmName });
      saveFile(r.fileName, r.blob, 'text/csv');
      replace(status, `${r.fileName}: ${fmt.int(r.rows)} records by “${r.idColumn}”${valueColumn ? `, with the expected value from “${valueColumn}”` : ''}.`, r.note ? ` ${r.note}` : '');
      say(`${r.fileName} saved`);
    } catch (e) {
      if (isCancel(e)) return;
      replace(status, h('span', { role: 'alert' }, `The CRM import file failed: ${/** @type {Error} */ (e).message}`));
      say('The CRM import file failed');
    }
  }

  el('download-scores').addEventListener('click', scores);
  for (const b of el('download-crm').querySelectorAll('button[data-crm]')) {
    b.addEventListener('click', () => crm(/** @type {HTMLElement} */ (b).dataset.crm || ''));
  }
  el('download-model').addEventListener('click', model);
  el('download-report').addEventListener('click', report);
  return {
    show(/** @type {boolean} */ visible) {
      el('downloads-card').hidden = !visible;
      if (visible) showStrings();
      else { drawn = null; el('model-strings').hidden = true; replace(el('model-strings-body')); replace(el('crm-status')); }
    },
  };
}
