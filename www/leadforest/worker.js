// @ts-check
// The engine's worker: a module Web Worker with its own copy of the engine that holds one
// session — the file's bytes and parsed rows, the model and its scores — so that a page never
// runs engine work on its own thread. Two protocols (every message carries the job's `id`):
//
// 1. TrainingWorker's (index.js), unchanged:
//    in:  { id, bytes: Uint8Array, options }                 (bytes transferred by the caller)
//    out: { type: 'progress', id, progress }                  once per boosting round / tree
//         { type: 'done', id, bytes: Uint8Array }             the model file (buffer transferred)
//         { type: 'error', id, message }                      the engine's error message
//
// 2. The session (the web app, www/app/client.js): { id, op, ...arguments }; answers
//    { type: 'step', id, step: { label, estimateMs? } }       a step starts (time estimate when known)
//    { type: 'progress', id, progress }                       { done, total } or a training Progress
//    { type: 'done', id, result }                             the op's result (typed arrays transferred)
//    { type: 'error', id, message }
//    Ops: version, demo, open, targetValues, profile, train, loadModel, score, view, rows, lead,
//    thresholdFigures, importance, scoredCsv, modelBytes, strings, crmCsv, expectedValues, drift,
//    funnel, trainStage, stageCsv, forget. Cancelling is terminating the worker (the page starts a new one and reopens).
//
// The CSV helpers below (RFC 4180 reading and writing, Excel-safe cells) are exported for the
// page and tests; importing this module outside a worker does not install the message handler.

import * as lf from './index.js';

// ------------------------------------------------------------------------------ CSV helpers

/** Decodes file bytes: UTF-8 (BOM stripped), else Windows-1252 as the engine does. */
export function decode(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether the bytes start with a UTF-8 byte-order mark. */
export function hasBom(bytes) {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Guesses the separator among , ; tab | from the first line (outside quotes). */
export function sniffDelimiter(text) {
  /** @type {Record<string, number>} */
  const counts = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c]++;
  }
  let best = ',';
  for (const d of Object.keys(counts)) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * Parses CSV text into `{ headers, rows }` (rows are arrays of strings, blank lines skipped).
 * Lenient on purpose: the engine is the validator; this only feeds the table and downloads.
 * @param {string} text
 * @param {string} [delimiter]
 * @returns {{ headers: string[], rows: string[][] }}
 */
export function parseCsv(text, delimiter = sniffDelimiter(text)) {
  const records = [];
  let row = [];
  let field = '';
  let i = 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ && field === '') {
      i++;
      let start = i;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) { out += text.slice(start); i = n; break; }
        if (text.charCodeAt(q + 1) === 34) { out += text.slice(start, q + 1); i = q + 2; start = i; continue; }
        out += text.slice(start, q);
        i = q + 1;
        break;
      }
      field = out;
      // anything between the closing quote and the separator is kept, as the csv crate does
      while (i < n) {
        const e = text.charCodeAt(i);
        if (e === d || e === 10 || e === 13) break;
        field += text[i++];
      }
      continue;
    }
    if (c === d) { row.push(field); field = ''; i++; continue; }
    if (c === 10 || c === 13) {
      row.push(field); field = '';
      if (!(row.length === 1 && row[0] === '')) records.push(row);
      row = [];
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      continue;
    }
    let j = i;
    while (j < n) {
      const e = text.charCodeAt(j);
      if (e === d || e === 10 || e === 13) break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  if (field !== '' || row.length) { row.push(field); records.push(row); }
  const headers = records.shift() || [];
  return { headers, rows: records };
}

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/**
 * Neutralises a cell a spreadsheet would run as a formula: text that starts with `=`, `+`, `-`,
 * `@` (or a tab / carriage return) gets a leading apostrophe, so Excel, LibreOffice and Google
 * Sheets show it as text. Numbers such as `-3` or `+1.5` are left as they are.
 * @param {string} s
 */
export function excelSafe(s) {
  if (!s) return s;
  const c = s.charCodeAt(0);
  const risky = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
  return risky && !NUMBER.test(s) ? `'${s}` : s;
}

/** Quotes one field for CSV output when it needs it. */
export function quoteField(value, delimiter = ',') {
  const s = value === null || value === undefined ? '' : String(value);
  return s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r')
    ? `"${s.replaceAll('"', '""')}"`
    : s;
}

/**
 * Writes `{ headers, rows }` as CSV text (trailing newline). Options: `delimiter` (default ','),
 * `newline` ('\n' or '\r\n'), `bom` (start with a UTF-8 byte-order mark), `safe` (every cell
 * through `excelSafe`).
 * @param {string[]} headers
 * @param {Iterable<unknown[]>} rows
 * @param {string | { delimiter?: string, newline?: string, bom?: boolean, safe?: boolean }} [options]
 */
export function toCsv(headers, rows, options = ',') {
  const o = typeof options === 'string' ? { delimiter: options } : options;
  const delimiter = o.delimiter || ',';
  const newline = o.newline || '\n';
  const cell = o.safe ? (/** @type {unknown} */ v) => quoteField(excelSafe(v === null || v === undefined ? '' : String(v)), delimiter) : (/** @type {unknown} */ v) => quoteField(v, delimiter);
  const line = (/** @type {unknown[]} */ r) => r.map(cell).join(delimiter);
  const parts = [line(headers)];
  for (const r of rows) parts.push(line(r));
  return `${o.bom ? '\ufeff' : ''}${parts.join(newline)}${newline}`;
}

/**
 * An amount as the CLI writes it (`format!("{v:.2}")`: `score --value`'s `expected_value`, the
 * CRM files' expected-value field): two decimals, exact ties to even (JS's toFixed rounds them
 * up: 0.125 → "0.13" where Rust writes "0.12"), -0 as "-0.00", no exponent. '' for NaN/±∞.
 * @param {number} v
 */
export function amount2(v) {
  if (!Number.isFinite(v)) return '';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  if (a >= 1e21) return `${sign}${BigInt(a)}.00`;
  // a double is exactly halfway between two cents only when it is an odd number of eighths
  const eighths = a * 8;
  if (Number.isInteger(eighths) && eighths % 2 === 1 && eighths < 2 ** 53) {
    const lower = (BigInt(eighths) * 100n) / 8n; // the cent below (the tie is lower + ½)
    const cents = lower % 2n === 0n ? lower : lower + 1n;
    return `${sign}${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  }
  return `${sign}${a.toFixed(2)}`;
}

// ------------------------------------------------------------------------------ guesses

const MISSING = new Set(['', 'na', 'n/a', 'null', 'none', '-', '?', 'nan']);
/** Whether a cell is one of the engine's built-in missing-value spellings. */
export const isMissing = (/** @type {unknown} */ v) => MISSING.has(String(v ?? '').trim().toLowerCase());

/** Counts of each value of column `j` (trimmed), largest first. */
export function valueCounts(rows, j) {
  const counts = new Map();
  for (const r of rows) {
    const v = (r[j] ?? '').trim();
    counts.set(v, (counts.get(v) || 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

const TARGET_NAME = /^(converted|conversion|is_?converted|won|is_?won|closed_?won|target|label|outcome|y|churn|purchased?|subscribed|signed_?up|deal_?won)$/i;
const TARGET_HINT = /convert|won|outcome|target|purchase|subscribed|closed/i;

/** The column most likely to be the outcome: a telling name, else the last two-valued column. */
export function guessTarget(headers, rows) {
  const exact = headers.find((c) => TARGET_NAME.test(c.trim()));
  if (exact) return exact;
  const sample = rows.slice(0, 2000);
  const binary = (/** @type {number} */ j) => valueCounts(sample, j).filter(([v]) => !isMissing(v)).length === 2;
  const hinted = headers.find((c, j) => TARGET_HINT.test(c) && binary(j));
  if (hinted) return hinted;
  for (let j = headers.length - 1; j >= 0; j--) if (binary(j)) return headers[j];
  return headers.at(-1);
}

const POSITIVE = /^(1|1\.0|yes|y|true|t|won|closed won|converted|success|purchased|subscribed)$/i;

/** Default positive value(s) for a target column: a yes-like value, else the rarer of two values. */
export function guessPositives(counts) {
  const values = counts.filter(([v]) => !isMissing(v));
  const yes = values.filter(([v]) => POSITIVE.test(v)).map(([v]) => v);
  if (yes.length) return yes;
  if (values.length === 2) return [values[1][0]];
  return values.length ? [values.at(-1)[0]] : [];
}

const STAGE_NAME = /stage|status|funnel|lifecycle/i;

/** The most likely stage column: a telling name with 2–12 distinct values. */
export function guessStage(headers, rows) {
  const sample = rows.slice(0, 2000);
  return headers.find((c, j) => STAGE_NAME.test(c) && (() => {
    const k = valueCounts(sample, j).filter(([v]) => !isMissing(v)).length;
    return k >= 2 && k <= 12;
  })()) || '';
}

// ------------------------------------------------------------------------------ the session

/** @type {any} */
let S = fresh();
function fresh() {
  return {
    file: null, // { name, bytes, delimiter, bom, newline, headers, rows }
    model: null, // engine Model
    trained: null, // { target, positive } the model's outcome
    scored: null, // { probability, score, tier, raw, threshold, order, rank }
    value: null, // { column, values: Float64Array } each lead's expected value (NaN: no amount)
    reasons: new Map(), // row → reasons (lazy)
    bias: NaN,
    search: null,
    stage: null, // { model, result }
    rates: {}, // op → ms per byte (time estimates)
  };
}

/** @type {(msg: any, transfer?: Transferable[]) => void} */
const post = (msg, transfer) => /** @type {any} */ (self).postMessage(msg, transfer || []);

/** Announces a step; `key` names its measured speed (ms per input byte) for the estimate. */
function step(id, label, key, size) {
  const rate = key ? S.rates[key] : undefined;
  post({ type: 'step', id, step: { label, estimateMs: rate && size ? rate * size : undefined } });
  return { t0: Date.now(), key, size };
}
function stepDone(s) {
  if (s.key && s.size) S.rates[s.key] = (Date.now() - s.t0) / s.size;
}
/** Default speeds (ms per byte) before the first measurement; rough, from a 45k-row export. */
const DEFAULT_RATE = { open: 6e-5, profile: 2e-4, score: 6e-5, value: 6e-5, drift: 1e-4 };
for (const [k, v] of Object.entries(DEFAULT_RATE)) S.rates[k] = v;

function needFile() {
  if (!S.file) throw new Error('Open a CSV file first.');
  return S.file;
}
function needModel() {
  if (!S.model) throw new Error('Train a model or load a saved one first.');
  return S.model;
}

/** Plain copies of what the page shows about a model (getters read once). */
function modelSummary(model) {
  const m = /** @type {any} */ (model);
  const info = m.info;
  let report = null;
  try { report = 'report' in m ? m.report ?? null : null; } catch { report = null; }
  const config = info?.config || {};
  return {
    info,
    metrics: m.metrics,
    validation: m.validation,
    schema: m.schema,
    report,
    target: info?.target || config.target || null,
    positive: config.positive ?? null,
    trainedAt: info?.trainedAt ?? null,
  };
}

function recordOf(r) {
  const { headers, rows } = S.file;
  /** @type {Record<string, string>} */
  const rec = {};
  const row = rows[r];
  for (let j = 0; j < headers.length; j++) rec[headers[j]] = row[j] ?? '';
  return rec;
}

/**
 * A lead's reasons for people, text without the trailing arrow (the page draws its own). With no
 * `dir`, the engine's order is kept as it is: the score's side first, each side strongest first —
 * the same order as the CLI's reason_1..k, so the table, the download and the CLI agree. With
 * `dir` ('up' | 'down'), that direction first (the lead card's two lists), strongest first.
 */
export function orderReasons(reasons, dir) {
  const clean = (reasons || []).map((/** @type {any} */ x) => ({
    text: String(x.text ?? '').replace(/\s*[↑↓]$/u, ''),
    column: x.column,
    value: x.value,
    direction: x.direction === 'down' || x.contribution < 0 ? 'down' : 'up',
    contribution: x.contribution,
  }));
  if (dir === undefined) return clean;
  const mag = (/** @type {any} */ x) => Math.abs(x.contribution || 0);
  const same = clean.filter((x) => x.direction === dir).sort((a, b) => mag(b) - mag(a));
  const other = clean.filter((x) => x.direction !== dir).sort((a, b) => mag(b) - mag(a));
  return [...same, ...other];
}

/** The threshold in use for the scored file (NaN before scoring). */
function thresholdInUse() {
  const sc = S.scored;
  if (!sc) return NaN;
  return Number.isFinite(sc.threshold) ? sc.threshold : Number.isFinite(sc.options.threshold) ? sc.options.threshold : NaN;
}

/** The side of the decision a lead is on. */
function sideOf(/** @type {number} */ p) {
  const t = thresholdInUse();
  return Number.isFinite(t) && p < t ? 'down' : 'up';
}

/** Options for the engine's per-lead scoring: reasons, and the threshold in use. */
function recordOptions() {
  const t = thresholdInUse();
  return Number.isFinite(t) ? { reasons: 3, threshold: t } : { reasons: 3 };
}

/** Reasons for the rows `list` (indices), explained now when not cached. */
function explainRows(list) {
  const missing = list.filter((r) => !S.reasons.has(r));
  const opts = recordOptions();
  for (let k = 0; k < missing.length; k += 500) {
    const batch = missing.slice(k, k + 500);
    const out = /** @type {any} */ (S.model).scoreRecords(batch.map(recordOf), opts);
    batch.forEach((r, i) => S.reasons.set(r, orderReasons(out[i].reasons)));
  }
}

/** Scores the file with the model: probabilities, scores, tiers and each lead's rank. */
function scoreFile(options = {}) {
  const file = needFile();
  const model = needModel();
  /** @type {Record<string, any>} */
  const opts = { percentile: true };
  if (options.capacity) opts.capacity = options.capacity;
  else if (Number.isFinite(options.threshold)) opts.threshold = options.threshold;
  const res = /** @type {any} */ (model).scoreCsv(file.bytes, opts);
  const n = res.rows;
  const probability = Float64Array.from(res.probability);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => probability[b] - probability[a] || a - b);
  // rank[i]: 0 = best; the percentile shown is the share of leads scoring at or below this one
  const rank = new Int32Array(n);
  order.forEach((row, k) => { rank[row] = k; });
  S.scored = { probability, score: res.score, tier: res.tier, raw: res.raw, order, rank, percentile: res.percentile ?? null, warnings: res.warnings || [], threshold: res.threshold, thresholdWords: res.thresholdWords ?? null, options: opts };
  S.reasons = new Map();
  return S.scored;
}

function tierNames() {
  const names = [...new Set(S.scored.tier)].filter((t) => t !== '');
  return names.sort();
}

function labels() {
  const t = S.trained;
  if (!t?.target || !t.positive?.length) return null;
  const j = S.file.headers.indexOf(t.target);
  if (j < 0) return null;
  const pos = new Set(t.positive.map((/** @type {string} */ p) => String(p).trim()));
  return Float64Array.from(S.file.rows, (/** @type {string[]} */ r) => (isMissing(r[j] ?? '') ? NaN : pos.has(String(r[j]).trim()) ? 1 : 0));
}

function scoreSummary() {
  const sc = S.scored;
  const t = thresholdInUse();
  let above = NaN;
  if (Number.isFinite(t)) { above = 0; for (const p of sc.probability) if (p >= t) above++; }
  const counts = new Map();
  for (const t of sc.tier) counts.set(t, (counts.get(t) || 0) + 1);
  return {
    rows: sc.probability.length,
    above,
    tiers: tierNames().map((t) => [t, counts.get(t) || 0]),
    warnings: sc.warnings,
    threshold: Number.isFinite(t) ? t : null,
    thresholdWords: sc.thresholdWords,
    heldOutPercentile: Boolean(sc.percentile),
    options: sc.options,
  };
}

/** The leads shown: filtered by tier and search text, sorted by a column. */
function view({ tier = '', query = '', sort = { key: 'score', dir: 'desc' } }) {
  const { rows } = S.file;
  const sc = S.scored;
  const n = sc.probability.length;
  const q = String(query).trim().toLowerCase();
  if (q && !S.search) S.search = rows.map((/** @type {string[]} */ r) => r.join('\u0001').toLowerCase());
  /** @type {number[]} */
  let out = [];
  const order = sort.key === 'score' || sort.key === 'probability' || sort.key === 'percentile' ? sc.order : null;
  const base = order || Int32Array.from({ length: n }, (_, i) => i);
  for (const i of base) {
    if (tier && sc.tier[i] !== tier) continue;
    if (q && !S.search[i].includes(q)) continue;
    out.push(i);
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  if (order) {
    if (sort.dir === 'asc') out.reverse();
  } else if (sort.key && sort.key !== '#') {
    let keyOf;
    if (sort.key === 'tier') keyOf = (/** @type {number} */ i) => sc.tier[i];
    else if (sort.key === 'expectedValue') {
      const ev = S.value?.values;
      // no amount sorts like an empty number cell: last when descending
      keyOf = (/** @type {number} */ i) => (ev && Number.isFinite(ev[i]) ? ev[i] : -Infinity);
    }
    else if (sort.key === 'reason') { explainRows(out); keyOf = (/** @type {number} */ i) => S.reasons.get(i)?.[0]?.text ?? ''; }
    else {
      const j = Number(String(sort.key).slice(1));
      const numeric = rows.slice(0, 200).every((/** @type {string[]} */ r) => r[j] === '' || Number.isFinite(Number(r[j])));
      keyOf = numeric ? (/** @type {number} */ i) => (rows[i][j] === '' ? -Infinity : Number(rows[i][j])) : (/** @type {number} */ i) => rows[i][j] ?? '';
    }
    const keys = out.map(keyOf);
    const idx = out.map((_, k) => k).sort((a, b) => (keys[a] < keys[b] ? -sign : keys[a] > keys[b] ? sign : out[a] - out[b]));
    out = idx.map((k) => out[k]);
  } else if (sort.key === '#' && sort.dir === 'desc') {
    out.reverse();
  }
  return Int32Array.from(out);
}

/** Cells, score and reasons of the rows `list` (the rows on screen): explained now, lazily. */
function rowsOf(list) {
  const sc = S.scored;
  explainRows(list);
  const n = sc.probability.length;
  return list.map((r) => ({
    row: r,
    heldOut: Boolean(sc.percentile),
    cells: S.file.rows[r],
    probability: sc.probability[r],
    score: sc.score[r],
    tier: sc.tier[r],
    // the engine's percentile among the held-out scores when it gives one, else the rank in this file
    percentile: sc.percentile ? sc.percentile[r] / 100 : n > 1 ? (n - 1 - sc.rank[r]) / (n - 1) : 1,
    reasons: S.reasons.get(r) || [],
    // the lead's expected value (NaN: no amount), null when no deal-value column is chosen
    expectedValue: S.value ? S.value.values[r] : null,
  }));
}

/** Global importance: the engine's report when it has one, else mean |SHAP| over a sample. */
function importance() {
  const report = modelSummary(S.model).report;
  if (report?.importance?.length) return { items: report.importance.map((/** @type {any} */ x) => ({ feature: x.column, importance: x.importance })), rows: report.importanceRows ?? null, source: 'report' };
  const file = S.file;
  if (!file) return { items: [], rows: 0, source: 'none' };
  const n = file.rows.length;
  const take = Math.min(n, 2000);
  const picked = Array.from({ length: take }, (_, k) => Math.floor((k * n) / take));
  const bytes = new TextEncoder().encode(toCsv(file.headers, picked.map((r) => file.rows[r]), file.delimiter));
  const ex = S.model.explainCsv(bytes);
  const nf = ex.features.length;
  const sums = new Float64Array(nf);
  for (let i = 0; i < ex.contributions.length; i++) sums[i % nf] += Math.abs(ex.contributions[i]);
  const sources = S.model.schema.features.map((/** @type {any} */ f) => f.source);
  const bySource = new Map();
  ex.features.forEach((/** @type {string} */ f, j) => { const s = sources[j] ?? f; bySource.set(s, (bySource.get(s) || 0) + sums[j] / Math.max(1, ex.rows)); });
  const items = [...bySource].map(([feature, value]) => ({ feature, importance: value })).sort((a, b) => b.importance - a.importance);
  return { items, rows: take, source: 'sample' };
}

/**
 * Reasons for the rows `list` from one bulk scoreCsv of just those rows (the engine's
 * `ScoreOptions.reasons`); false when this engine gives no reasons in bulk.
 */
function bulkReasons(list) {
  const file = S.file;
  const todo = list.filter((r) => !S.reasons.has(r));
  if (!todo.length) return true;
  const bytes = new TextEncoder().encode(toCsv(file.headers, todo.map((r) => file.rows[r]), file.delimiter));
  let res;
  try {
    res = /** @type {any} */ (S.model).scoreCsv(bytes, recordOptions());
  } catch {
    return false;
  }
  if (!Array.isArray(res.reasons) || res.reasons.length !== todo.length) return false;
  todo.forEach((r, i) => S.reasons.set(r, orderReasons(res.reasons[i])));
  return true;
}

/**
 * The scored CSV: the input's columns as they are plus probability, score, percentile, tier,
 * reasons, and `expected_value` when a deal-value column is chosen (the CLI's `score --value`:
 * same name, same numbers, empty where the amount is missing).
 */
function scoredCsv(id, { raw = false } = {}) {
  const file = needFile();
  const sc = S.scored || scoreFile();
  const n = sc.probability.length;
  const chunk = 2000;
  const t0 = Date.now();
  post({ type: 'step', id, step: { label: 'Writing the scored CSV with every lead\'s reasons' } });
  const lines = [];
  const o = { delimiter: file.delimiter, newline: file.newline, safe: !raw };
  const ev = S.value?.values ?? null;
  const head = [...file.headers, 'probability', 'score', 'percentile', 'tier', 'reasons', ...(ev ? ['expected_value'] : [])];
  lines.push(toCsv(head, [], o).slice(0, -o.newline.length));
  let bulk = null; // whether the engine gives reasons in bulk (ScoreOptions.reasons): much faster
  for (let k = 0; k < n; k += chunk) {
    const list = [];
    for (let r = k; r < Math.min(n, k + chunk); r++) list.push(r);
    if (bulk !== false) bulk = bulkReasons(list);
    if (!bulk) explainRows(list);
    const out = list.map((r) => [
      ...file.headers.map((_, j) => file.rows[r][j] ?? ''),
      Number.isFinite(sc.probability[r]) ? sc.probability[r].toFixed(6) : '',
      Number.isFinite(sc.score[r]) ? String(sc.score[r]) : '',
      sc.percentile ? sc.percentile[r].toFixed(1) : n > 1 ? ((100 * (n - 1 - sc.rank[r])) / (n - 1)).toFixed(1) : '100.0',
      sc.tier[r],
      (S.reasons.get(r) || []).map((x) => `${x.direction === 'down' ? '↓' : '↑'} ${x.text}`).join('; '),
      ...(ev ? [amount2(ev[r])] : []),
    ]);
    const text = toCsv([], out, o);
    lines.push(text.slice(o.newline.length, -o.newline.length));
    post({ type: 'progress', id, progress: { done: Math.min(n, k + chunk), total: n, elapsedMs: Date.now() - t0 } });
  }
  const body = `${file.bom ? '\ufeff' : ''}${lines.join(o.newline)}${o.newline}`;
  return new TextEncoder().encode(body);
}

/** Leads, share and conversion by stage value and by tier (all rows of the file). */
function funnel({ stage }) {
  const file = needFile();
  const sc = S.scored;
  const y = labels();
  const rate = (/** @type {number[]} */ idx) => {
    if (!y) return null;
    let pos = 0;
    let known = 0;
    for (const i of idx) if (!Number.isNaN(y[i])) { known++; pos += y[i]; }
    return known ? pos / known : null;
  };
  const group = (/** @type {(i: number) => string} */ keyOf) => {
    const g = new Map();
    for (let i = 0; i < file.rows.length; i++) {
      const k = keyOf(i);
      if (!g.has(k)) g.set(k, []);
      g.get(k).push(i);
    }
    return [...g].map(([k, idx]) => ({ key: k, count: idx.length, rate: rate(idx) }));
  };
  const j = stage ? file.headers.indexOf(stage) : -1;
  return {
    rows: file.rows.length,
    labelled: Boolean(y),
    outcome: S.trained?.target ?? null,
    byStage: j >= 0 ? group((i) => (file.rows[i][j] ?? '').trim() || '(empty)') : null,
    byTier: sc ? group((i) => sc.tier[i]) : [],
  };
}

/**
 * Scores `file` ({ bytes, headers, rows }) with a multi-class stage model: per lead the predicted
 * stage (argmax) and its probability, and the actual stage (class index, -1 when missing or
 * unknown; matched trimmed and case-insensitively).
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
  const index = new Map(names.map((/** @type {string} */ v, /** @type {number} */ c) => [v.trim().toLowerCase(), c]));
  const j = file.headers.indexOf(stage);
  const actual = new Int32Array(n).fill(-1);
  for (let i = 0; i < n && i < file.rows.length; i++) {
    const v = file.rows[i][j];
    if (!isMissing(v)) actual[i] = index.get(String(v).trim().toLowerCase()) ?? -1;
  }
  return { names, k, n, metrics: model.metrics, predicted, probability, actual, classProbabilities: cp };
}

/** Trains the funnel-stage model (multi-class) and predicts every lead's stage. */
function trainStage(id, { options, stage }) {
  const file = needFile();
  S.stage?.model?.free?.();
  S.stage = null;
  const model = lf.train(file.bytes, options, (p) => post({ type: 'progress', id, progress: p }));
  let r;
  try {
    r = predictStages(model, file, stage);
  } catch (e) {
    model.free();
    throw e;
  }
  S.stage = { model, names: r.names, predicted: r.predicted.slice(), probability: r.probability.slice(), cp: r.classProbabilities, k: r.k };
  const first = Math.min(10, r.n);
  return {
    names: r.names, k: r.k, n: r.n, metrics: r.metrics,
    predicted: r.predicted, probability: r.probability, actual: r.actual,
    firstRows: Array.from({ length: first }, (_, i) => file.rows[i]),
  };
}

function stageCsv() {
  const file = needFile();
  const st = S.stage;
  if (!st) throw new Error('Train the stage model first.');
  const head = [...file.headers, 'predicted_stage', 'stage_probability', ...st.names.map((/** @type {string} */ v) => `p_${v}`)];
  const rows = file.rows.map((/** @type {string[]} */ row, /** @type {number} */ i) => [
    ...file.headers.map((/** @type {string} */ _, /** @type {number} */ j) => row[j] ?? ''),
    st.names[st.predicted[i]],
    st.probability[i].toFixed(6),
    ...st.names.map((/** @type {string} */ _, /** @type {number} */ c) => st.cp[i * st.k + c].toFixed(6)),
  ]);
  return new TextEncoder().encode(toCsv(head, rows, { delimiter: file.delimiter, newline: file.newline, bom: file.bom, safe: true }));
}

/** The engine's default training options (the CLI's), or null when this build has none. */
function engineDefaults() {
  try {
    return /** @type {any} */ (lf).defaultTrainOptions();
  } catch {
    return null;
  }
}

/** The session's operations; each returns `[result, transfer?]`. */
const OPS = {
  version: () => [{ version: lf.version(), defaults: engineDefaults() }],
  demo: (_id, { rows, seed }) => {
    const bytes = new TextEncoder().encode(lf.demoCsv(rows, seed));
    return [{ bytes }, [bytes.buffer]];
  },
  open: (id, { name, bytes }) => {
    const s = step(id, `Reading ${name}`, 'open', bytes.length);
    const summary = lf.summarizeCsv(bytes);
    const text = decode(bytes);
    const delimiter = summary.delimiter || sniffDelimiter(text);
    const parsed = parseCsv(text, delimiter);
    const firstBreak = text.search(/\r?\n/);
    const newline = firstBreak >= 0 && text[firstBreak] === '\r' ? '\r\n' : '\n';
    S.stage?.model?.free?.();
    S.file = { name, bytes, delimiter, bom: hasBom(bytes), newline, headers: summary.headers || parsed.headers, rows: parsed.rows };
    S.scored = null;
    S.value = null;
    S.reasons = new Map();
    S.search = null;
    S.stage = null;
    stepDone(s);
    const { headers, rows } = S.file;
    return [{
      name, rows: summary.rows, headers, delimiter, bom: S.file.bom,
      guessedTarget: guessTarget(headers, rows) ?? null,
      guessedStage: guessStage(headers, rows),
    }];
  },
  targetValues: (_id, { target }) => {
    const file = needFile();
    const j = file.headers.indexOf(target);
    const counts = j < 0 ? [] : valueCounts(file.rows, j).filter(([v]) => !isMissing(v));
    return [{ counts: counts.slice(0, 200), distinct: counts.length, positives: guessPositives(counts) }];
  },
  profile: (id, { options }) => {
    const file = needFile();
    const s = step(id, 'Profiling the columns', 'profile', file.bytes.length);
    const p = lf.profileCsv(file.bytes, options);
    stepDone(s);
    return [p];
  },
  train: (id, { options }) => {
    const file = needFile();
    const model = lf.train(file.bytes, options, (p) => post({ type: 'progress', id, progress: p }));
    S.model?.free?.();
    S.model = model;
    S.bias = NaN;
    S.trained = { target: options.target, positive: options.positive };
    S.scored = null;
    S.value = null;
    const bytes = model.toBytes();
    return [{ model: modelSummary(model), bytes }, [bytes.buffer]];
  },
  loadModel: (_id, { bytes }) => {
    const model = lf.Model.fromBytes(bytes);
    S.model?.free?.();
    S.model = model;
    S.bias = NaN;
    const summary = modelSummary(model);
    S.trained = summary.target ? { target: summary.target, positive: summary.positive || (summary.schema.classNames.length === 2 ? [summary.schema.classNames[1]] : []) } : null;
    S.scored = null;
    S.value = null;
    return [{ model: summary }];
  },
  score: (id, options) => {
    const s = step(id, 'Scoring every lead', 'score', S.file?.bytes.length);
    scoreFile(options || {});
    stepDone(s);
    return [scoreSummary()];
  },
  view: (_id, args) => {
    const v = view(args);
    return [{ view: v, total: S.scored.probability.length }, [v.buffer]];
  },
  rows: (_id, { list }) => [{ rows: rowsOf(list) }],
  lead: (_id, { row }) => {
    const [r] = rowsOf([row]);
    const ex = S.model.explain(recordOf(row));
    const raw = ex.raw;
    const all = orderReasons(ex.contributions
      .filter((/** @type {any} */ c) => c.contribution !== 0)
      .map((/** @type {any} */ c) => ({ text: `${c.source} = ${c.value}`, column: c.source, value: c.value, contribution: c.contribution, direction: c.contribution < 0 ? 'down' : 'up' })), sideOf(r.probability));
    return [{ ...r, headers: S.file.headers, threshold: thresholdInUse(), side: sideOf(r.probability), explanation: { bias: ex.bias, raw, up: all.filter((x) => x.direction === 'up').slice(0, 5), down: all.filter((x) => x.direction === 'down').slice(0, 5) } }];
  },
  thresholdFigures: (_id, { threshold }) => {
    const sc = S.scored;
    let above = 0;
    if (sc) for (const p of sc.probability) if (p >= threshold) above++;
    return [{ above, rows: sc ? sc.probability.length : 0 }];
  },
  /** The probability of the `n`-th best lead of the file (the threshold that sends `n` leads). */
  thresholdForTop: (_id, { n }) => {
    const sc = S.scored;
    if (!sc || !sc.order.length) return [{ threshold: null }];
    const k = Math.max(1, Math.min(sc.order.length, Math.round(n)));
    return [{ threshold: sc.probability[sc.order[k - 1]], leads: k }];
  },
  importance: () => [importance()],
  scoredCsv: (id, args) => {
    // a Blob made here: the page only links to it (copying tens of MB there is a long task)
    const blob = new Blob([scoredCsv(id, args || {})], { type: 'text/csv' });
    return [{ blob, size: blob.size }];
  },
  modelBytes: () => {
    const bytes = needModel().toBytes();
    return [{ bytes }, [bytes.buffer]];
  },
  /** Every string the model file stores (`Model.strings()`): what sharing the file gives away. */
  strings: () => [{ strings: needModel().strings() }],
  /** The open file as a CRM import file (`Model.crmCsv`); the CSV comes back as a Blob. */
  crmCsv: (_id, { crm, idColumn, value, reasons }) => {
    const file = needFile();
    /** @type {Record<string, unknown>} */
    const options = { crm };
    if (idColumn) options.id = idColumn;
    if (value) options.value = value;
    if (Number.isFinite(reasons)) options.reasons = reasons;
    const r = /** @type {any} */ (needModel()).crmCsv(file.bytes, options);
    const blob = new Blob([r.csv], { type: 'text/csv' });
    return [{ blob, rows: r.rows, idColumn: r.idColumn, leftOut: r.leftOut, note: r.note, fileName: r.fileName }];
  },
  /**
   * Each lead's expected value for a deal-value column (`Model.expectedValues` on the open file,
   * once), kept per row for the table, the lead card and the scored CSV; `column` '' forgets it.
   * A column with a non-number amount throws the engine's message (naming the row) and keeps
   * the column chosen before.
   */
  expectedValues: (id, { column }) => {
    const file = needFile();
    const model = needModel();
    if (!column) { S.value = null; return [{ column: null }]; }
    const s = step(id, `Expected values from “${column}”`, 'value', file.bytes.length);
    // a new Float64Array the engine made for this call: kept as it is, no copy
    const values = /** @type {Float64Array} */ (/** @type {any} */ (model).expectedValues(file.bytes, column));
    stepDone(s);
    S.value = { column, values };
    let missing = 0;
    for (const v of S.value.values) if (Number.isNaN(v)) missing++;
    return [{ column, rows: S.value.values.length, missing }];
  },
  drift: (id, { bytes, name }) => {
    const model = needModel();
    const s = step(id, `Comparing ${name} with the training data`, 'drift', bytes.length);
    const report = model.drift(bytes);
    stepDone(s);
    return [report];
  },
  funnel: (_id, args) => [funnel(args)],
  trainStage: (id, args) => {
    const r = trainStage(id, args);
    return [r, [r.predicted.buffer, r.probability.buffer, r.actual.buffer]];
  },
  stageCsv: () => {
    const blob = new Blob([stageCsv()], { type: 'text/csv' });
    return [{ blob, size: blob.size }];
  },
  forget: () => {
    S.model?.free?.();
    S.stage?.model?.free?.();
    const rates = S.rates;
    S = fresh();
    S.rates = rates;
    return [{ ok: true }];
  },
};

/** The training half of TrainingWorker (protocol 1). */
async function legacyTrain({ id, bytes, options }) {
  if (typeof lf.train !== 'function') throw new Error('this build of leadforest cannot train');
  const model = lf.train(bytes, options, (progress) => post({ type: 'progress', id, progress }));
  const out = model.toBytes();
  model.free();
  post({ type: 'done', id, bytes: out }, [out.buffer]);
}

const inWorker = typeof self !== 'undefined' && typeof (/** @type {any} */ (globalThis).WorkerGlobalScope) !== 'undefined'
  && self instanceof /** @type {any} */ (globalThis).WorkerGlobalScope;

if (inWorker) {
  const ready = lf.init();
  self.onmessage = async (event) => {
    const msg = event.data;
    const { id } = msg;
    try {
      await ready;
      if (!msg.op) { await legacyTrain(msg); return; }
      const op = /** @type {Record<string, Function>} */ (OPS)[msg.op];
      if (!op) throw new Error(`unknown operation ${msg.op}`);
      const [result, transfer] = op(id, msg);
      post({ type: 'done', id, result }, transfer);
    } catch (err) {
      post({ type: 'error', id, message: err && err.message ? err.message : String(err) });
    }
  };
}
