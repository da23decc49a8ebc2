// @ts-check
// The leadforest web app: open a CSV, profile it, train, see how good the model is (the engine's
// held-out report) and why each lead scores as it does, plan by capacity, download. Every engine
// call runs in the engine's worker (client.js): this thread only draws. The panels live in their
// own modules (profile, setup, results, leads, funnel, downloads, drift) around one store.

import { h, append, replace, byId as el, fmt } from './dom.js';
import { createStore } from './state.js';
import { EngineClient, isCancel } from './client.js';
import { createBusy } from './progress.js';
import { renderProfile } from './profile.js';
import { fillTargetSelect, fillPositiveSelect, selectedPositives, missingValues, updateValidationControls, trainOptions, trainingProgress } from './setup.js';
import { mountResults } from './results.js';
import { mountLeads } from './leads.js';
import { mountDownloads } from './downloads.js';
import { renderFunnel, forgetStageModel } from './funnel.js';
import { mountDrift } from './drift.js';
import { forgetStorage } from './store.js';
import { sniff, notCsvMessage } from './sniff.js';
import { sentence } from './words.js';

const DEMO = { rows: 5000, seed: 7 };

const store = createStore();
/** The engine's default training options (the CLI's), when this engine gives them. */
let engineDefaults = null;
const client = new EngineClient();
const busy = createBusy();
const say = (/** @type {string} */ text) => { el('live').textContent = text; };
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (el(id));
const select = (/** @type {string} */ id) => /** @type {HTMLSelectElement} */ (el(id));

function showError(/** @type {HTMLElement} */ where, /** @type {unknown} */ error) {
  const message = sentence(error instanceof Error ? error.message : String(error));
  replace(where, h('div', { class: 'lf-alert lf-alert--error', role: 'alert' }, h('p', {}, message)));
  say(message);
}

function notice(/** @type {HTMLElement} */ where, /** @type {string} */ text, kind = '') {
  append(where, h('div', { class: `lf-alert ${kind ? `lf-alert--${kind}` : ''}` }, h('p', {}, text)));
}

/** Runs a worker call under the busy bar (label, time left, Cancel). */
function track(/** @type {string} */ label, /** @type {string} */ op, args = {}, transfer = undefined) {
  return busy.track(label, (hooks) => client.call(op, args, { ...hooks, transfer }), () => client.cancel());
}

// ---------------------------------------------------------------- panels

const results = mountResults({ store, client, say, rescore: (o) => rescore(o) });
const leads = mountLeads({ client, store, say, track: (label, op, args) => track(label, op, args) });
const downloads = mountDownloads({ store, client, busy, say, threshold: () => results.threshold() });
const drift = mountDrift({
  card: el('drift-card'), input: el('drift-input'), host: el('drift-body'), say,
  hasModel: () => Boolean(store.get().model),
  measure: (/** @type {string} */ name, /** @type {Uint8Array} */ bytes) => track(`Comparing ${name} with the training data`, 'drift', { name, bytes }, [bytes.buffer]),
});

// ---------------------------------------------------------------- open a file

/** A file from the CSV picker or a drop: a CSV opens; a model loads; anything else is named. */
async function openFile(/** @type {File} */ file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniff(bytes);
  if (kind === 'model') {
    await openModel(file.name, bytes);
    if (store.get().model) notice(el('data-status'), `“${file.name}” is a saved leadforest model, so it was loaded as the model. Open a CSV of leads to score them.`);
    return;
  }
  const message = notCsvMessage(file.name, kind);
  if (message) { resetAfterData(); showError(el('data-status'), message); return; }
  await openBytes(file.name, bytes);
}

async function openBytes(/** @type {string} */ name, /** @type {Uint8Array} */ bytes) {
  const status = el('data-status');
  replace(status);
  resetAfterData();
  let info;
  try {
    const copy = bytes.slice();
    info = await track(`Reading ${name}`, 'open', { name, bytes: copy }, [copy.buffer]);
  } catch (e) {
    client.session.file = null;
    store.set({ file: null });
    if (!isCancel(e)) showError(status, e); else say('Opening was cancelled');
    return;
  }
  client.session.file = { name, bytes };
  client.session.score = null;
  store.set({ file: { ...info, bytes }, excluded: new Set(), included: new Set(), leaks: [] });
  const separator = info.delimiter === '\t' ? 'tab' : info.delimiter;
  notice(status, `${name}: ${fmt.int(info.rows)} rows × ${info.headers.length} columns (separator “${separator}”).`, 'success');
  say(`Opened ${name}`);
  const { model, modelOrigin } = store.get();
  const modelTarget = modelOrigin === 'loaded' ? model?.target : null;
  fillTargetSelect(info.headers, info.headers.includes(modelTarget) ? modelTarget : info.guessedTarget);
  await targetChanged();
  el('setup-card').hidden = false;
  fillStageSelect(info.guessedStage);
  if (store.get().model && store.get().modelOrigin === 'loaded') await scoreAndShow();
}

async function targetChanged() {
  const target = select('target-select').value;
  try {
    const values = await client.call('targetValues', { target });
    fillPositiveSelect(values, target);
  } catch (e) {
    if (!isCancel(e)) showError(el('data-status'), e);
  }
  store.set({ excluded: new Set(), included: new Set(), leaks: [] });
  await profileFile();
}

async function profileFile() {
  const { file } = store.get();
  if (!file) return;
  const target = select('target-select').value;
  let profile;
  try {
    profile = await track('Profiling the columns', 'profile', { options: { target, positive: selectedPositives(), missing: missingValues() } });
  } catch (e) {
    if (!isCancel(e)) { replace(el('profile-alerts')); notice(el('profile-alerts'), `The profiler failed: ${e instanceof Error ? e.message : e}`, 'error'); }
    return;
  }
  // flagged columns are left out by default; the user can put each one back
  const { excluded, included } = store.get();
  const leaks = (profile.leaks || []).map((/** @type {any} */ l) => l.column).filter((/** @type {string} */ c) => c !== target);
  const next = new Set(excluded);
  for (const c of leaks) if (!included.has(c)) next.add(c);
  store.set({ profile, leaks, excluded: next });
  drawProfile();
}

function drawProfile() {
  const { profile, excluded } = store.get();
  if (!profile) return;
  updateValidationControls(profile);
  el('profile-card').hidden = false;
  const target = select('target-select').value;
  const left = profile.columns.filter((/** @type {any} */ c) => c.name !== target && (c.excludedBecause || excluded.has(c.name))).length;
  el('profile-summary').textContent = `${fmt.int(profile.rows)} rows · ${profile.columns.length} columns · ${left} left out`;
  renderProfile({
    profile, target,
    used: (name) => !store.get().excluded.has(name),
    onToggle: (name, use) => {
      const ex = new Set(store.get().excluded);
      const inc = new Set(store.get().included);
      if (use) { ex.delete(name); inc.add(name); } else { ex.add(name); inc.delete(name); }
      store.set({ excluded: ex, included: inc });
      drawProfile();
      say(use ? `${name} will be used` : `${name} will be left out`);
    },
    tbody: /** @type {HTMLTableElement} */ (el('profile-table')).tBodies[0],
    alerts: el('profile-alerts'),
    leakBox: el('leak-box'),
    leakList: el('leak-list'),
  });
}

// ---------------------------------------------------------------- train, load, score

async function train() {
  const status = el('train-status');
  const { file, excluded } = store.get();
  if (!file) return;
  const options = trainOptions([...excluded]);
  // the training date is stored in the model by the writer that knows it (the engine reads no clock)
  if (engineDefaults) options.trainedAt = new Date().toISOString().slice(0, 10);
  store.set({ lastOptions: options });
  if (!options.positive.length && select('positive-select').options.length) {
    status.textContent = 'Pick at least one value that counts as converted.';
    select('positive-select').focus();
    return;
  }
  const onProgress = trainingProgress();
  /** @type {HTMLButtonElement} */ (el('train-button')).disabled = true;
  el('cancel-button').hidden = false;
  replace(status, 'Training in the background…');
  say('Training started');
  try {
    const { model, bytes } = await client.call('train', { options }, { onProgress });
    client.session.modelBytes = bytes;
    setModel(model, 'trained', file.name);
    /** @type {HTMLProgressElement} */ (el('progress')).value = 1;
    status.textContent = `Trained on ${file.name}.`;
    say('Training finished');
    await scoreAndShow();
  } catch (e) {
    const cancelled = isCancel(e);
    status.textContent = cancelled ? 'Training was cancelled.' : '';
    if (!cancelled) showError(status, e);
    say(cancelled ? 'Training cancelled' : `Training failed: ${e instanceof Error ? e.message : e}`);
  } finally {
    /** @type {HTMLButtonElement} */ (el('train-button')).disabled = false;
    el('cancel-button').hidden = true;
  }
}

function setModel(/** @type {any} */ model, /** @type {'trained' | 'loaded'} */ origin, /** @type {string} */ name) {
  store.set({ model, modelOrigin: origin, modelName: name, scored: null });
  results.draw();
  downloads.show(true);
  drift.clear();
  drift.show(true);
}

async function openModel(/** @type {string} */ name, /** @type {Uint8Array} */ bytes) {
  const banner = el('model-banner');
  try {
    const copy = bytes.slice();
    const { model } = await track(`Loading ${name}`, 'loadModel', { bytes: copy }, [copy.buffer]);
    client.session.modelBytes = bytes;
    setModel(model, 'loaded', name);
    const info = model.info || {};
    const auc = model.report?.metrics?.auc ?? model.validation?.auc ?? model.metrics?.validAuc;
    replace(banner, h('p', {}, h('strong', {}, `Saved model loaded: ${name}`),
      `. ${[String(info.algo || '').toUpperCase(), info.trees && `${info.trees} trees`, info.rows && `trained on ${fmt.int(info.rows)} rows`, Number.isFinite(auc) && `held-out AUC ${fmt.num(auc, 4)}`].filter(Boolean).join(', ')}. `,
      store.get().file ? 'Scoring the open file with it.' : 'Open a CSV to score it, no retraining needed.'));
    banner.hidden = false;
    if (store.get().file) await scoreAndShow();
  } catch (e) {
    if (!isCancel(e)) showError(el('data-status'), e);
  }
}

/** Scores the open file with the model (in the worker) and fills the table, funnel and figures. */
async function scoreAndShow() {
  const { model, file } = store.get();
  if (!model || !file) return;
  const options = { threshold: results.threshold() };
  let scored;
  try {
    scored = await track('Scoring every lead', 'score', options);
  } catch (e) {
    if (!isCancel(e)) showError(el('data-status'), e);
    return;
  }
  client.session.score = options;
  store.set({ scored });
  for (const w of scored.warnings || []) notice(el('data-status'), sentence(w), 'warning');
  results.updateFigures();
  await leads.show(scored);
  await drawFunnel();
  downloads.show(true);
  say(`Scored ${fmt.int(scored.rows)} leads`);
}

/** A new threshold: the worker re-scores (the engine's tiers follow it) and the table refreshes. */
async function rescore(/** @type {{ threshold?: number, capacity?: any }} */ options) {
  const scored = await client.call('score', options);
  client.session.score = options;
  store.set({ scored });
  await leads.show(scored, { keepValue: true });
  await drawFunnel();
  return scored;
}

// ---------------------------------------------------------------- funnel

function fillStageSelect(/** @type {string} */ chosen) {
  const { file } = store.get();
  if (!file) return;
  replace(select('stage-select'), h('option', { value: '' }, '(none)'), file.headers.map((c) => h('option', { value: c, selected: c === chosen }, c)));
  select('stage-select').value = chosen || '';
}

async function drawFunnel() {
  const { file, scored, model, excluded } = store.get();
  if (!file || !scored) return;
  const stage = select('stage-select').value;
  let data;
  try {
    data = await client.call('funnel', { stage });
  } catch (e) {
    if (!isCancel(e)) say(`The funnel could not be counted: ${e instanceof Error ? e.message : e}`);
    return;
  }
  el('funnel-card').hidden = false;
  renderFunnel({
    host: el('funnel-body'), client, file, stage, data,
    tierOrder: model?.report?.tiers?.length ? model.report.tiers.map((/** @type {any} */ t) => t.name) : scored.tiers.map((/** @type {[string, number]} */ [t]) => t),
    outcome: data.outcome ?? select('target-select').value,
    excluded: [...excluded],
    missing: missingValues(),
  });
}

// ---------------------------------------------------------------- reset / forget

function resetAfterData() {
  forgetStageModel();
  for (const id of ['profile-card', 'setup-card', 'funnel-card']) el(id).hidden = true;
  leads.clear();
  if (store.get().modelOrigin !== 'loaded') { results.clear(); downloads.show(false); }
  store.set({ profile: null, scored: null, excluded: new Set(), included: new Set(), leaks: [] });
  replace(el('profile-alerts'));
  replace(/** @type {HTMLTableElement} */ (el('profile-table')).tBodies[0]);
  replace(el('leak-list'));
  el('leak-box').hidden = true;
  replace(el('funnel-body'));
  el('progress-wrap').hidden = true;
  replace(el('loss-chart'));
  el('train-status').textContent = '';
}

/** Forgets everything: the worker (and the data and model in it), every panel, the storage. */
async function forget() {
  el('forget-box').hidden = true;
  client.forget();
  forgetStageModel();
  resetAfterData();
  results.clear();
  downloads.show(false);
  drift.clear();
  drift.show(false);
  store.reset();
  await forgetStorage();
  for (const id of ['csv-input', 'model-input', 'missing-input', 'drift-input']) input(id).value = '';
  for (const id of ['target-select', 'positive-select', 'stage-select']) replace(select(id));
  el('target-help').textContent = 'The column that says whether a lead converted.';
  el('profile-summary').textContent = '';
  el('model-banner').hidden = true;
  replace(el('model-banner'));
  replace(el('data-status'), h('div', { class: 'lf-alert lf-alert--success' }, h('p', {}, 'Everything was forgotten: the data, the model and anything this page stored in the browser.')));
  say('Everything was forgotten');
  el('forget-button').focus();
}

// ---------------------------------------------------------------- wiring

function wire() {
  input('csv-input').addEventListener('change', async (e) => {
    const file = /** @type {HTMLInputElement} */ (e.target).files?.[0];
    if (file) await openFile(file);
  });
  input('model-input').addEventListener('change', async (e) => {
    const file = /** @type {HTMLInputElement} */ (e.target).files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    await openModel(file.name, bytes);
  });
  el('demo-button').addEventListener('click', async () => {
    try {
      const { bytes } = await client.call('demo', DEMO);
      await openBytes(`demo-leads-${DEMO.rows}-seed${DEMO.seed}.csv`, bytes);
    } catch (e) {
      if (!isCancel(e)) showError(el('data-status'), e);
    }
  });
  const drop = el('drop-zone');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('is-over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('is-over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('is-over');
    const file = e.dataTransfer?.files[0];
    if (file) await openFile(file);
  });
  // a file dropped outside the zone must not navigate away from the page (and lose the work)
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  input('missing-input').addEventListener('change', () => { profileFile(); });
  select('target-select').addEventListener('change', () => { targetChanged(); });
  select('positive-select').addEventListener('change', () => {
    if (selectedPositives().length) profileFile();
  });
  for (const box of document.querySelectorAll('input[name="validation"], input[name="algo"], #time-order-input')) {
    box.addEventListener('change', () => updateValidationControls(store.get().profile));
  }
  input('test-fraction-input').addEventListener('input', () => updateValidationControls(store.get().profile));
  updateValidationControls(null);
  el('train-button').addEventListener('click', train);
  el('cancel-button').addEventListener('click', () => client.cancel());
  select('stage-select').addEventListener('change', drawFunnel);
  el('forget-button').addEventListener('click', () => {
    el('forget-box').hidden = false;
    el('forget-keep').focus();
  });
  el('forget-keep').addEventListener('click', () => { el('forget-box').hidden = true; el('forget-button').focus(); });
  el('forget-confirm').addEventListener('click', forget);
}

/** The app's defaults are the engine's (the CLI's): seed, model, validation, test share, folds. */
function applyDefaults(/** @type {any} */ d) {
  if (!d) return;
  if (Number.isFinite(d.seed)) input('seed-input').value = String(d.seed);
  const algo = /** @type {HTMLInputElement | null} */ (document.querySelector(`input[name="algo"][value="${d.algo}"]`));
  if (algo) algo.checked = true;
  const mode = /** @type {HTMLInputElement | null} */ (document.querySelector(`input[name="validation"][value="${d.validation}"]`));
  if (mode) mode.checked = true;
  if (Number.isFinite(d.testFraction)) input('test-fraction-input').value = String(Math.round(d.testFraction * 1000) / 10);
  if (Number.isFinite(d.folds)) input('folds-input').value = String(d.folds);
  updateValidationControls(store.get().profile);
}

wire();
client.call('version').then(({ version, defaults }) => {
  el('engine-version').textContent = `v${version}`;
  engineDefaults = defaults;
  applyDefaults(defaults);
  document.body.dataset.ready = 'true';
}).catch((e) => {
  const box = el('engine-error');
  box.hidden = false;
  replace(box, h('p', {}, `The engine could not start: ${e.message}`));
});

// for tests and the curious: read-only views of what the page holds
Object.defineProperty(window, 'leadforestApp', {
  value: {
    get state() {
      const s = store.get();
      return { ...s, excluded: [...s.excluded], included: [...s.included] };
    },
  },
});
