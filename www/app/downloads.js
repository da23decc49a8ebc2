// @ts-check
// The "take it with you" card: the scored CSV (made in the worker, in chunks, with every lead's
// reasons; Excel-safe unless asked not to), the model file, and an offline HTML report of the
// engine's evaluation.

import { byId as el, fmt } from './dom.js';
import { saveFile, stem } from './download.js';
import { reportHtml } from './report.js';
import { reportCharts, measuredOn, thresholdRow } from './results.js';
import { isCancel } from './client.js';
import { sentence } from './words.js';

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

  el('download-scores').addEventListener('click', scores);
  el('download-model').addEventListener('click', model);
  el('download-report').addEventListener('click', report);
  return {
    show(/** @type {boolean} */ visible) { el('downloads-card').hidden = !visible; },
  };
}
