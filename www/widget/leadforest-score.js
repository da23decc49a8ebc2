//# allFunctionsCalledOnLoad
// (First line, on purpose: Chromium's explicit compile hint. The card calls nearly every function
// here before its first score, so V8 compiles them all while the file streams in, off the main
// thread, instead of one by one on their first call; other engines read a comment. BENCHMARKS.md,
// "The cold bench, settled (session 10)".)
// <leadforest-score>: one lead's score as a Lightning-style card. Plain custom element, Shadow DOM,
// no framework. It loads the leadforest engine (WebAssembly) and one model from its own origin,
// scores one lead record locally and re-scores whenever the record changes. Nothing about the lead
// leaves the page: the only requests are this file, the engine's files and the model.
//
// Inputs
//   model="url"              same-origin URL of a .lfm model file (cross-origin URLs are refused)
//   .modelBytes = Uint8Array model bytes supplied by the host (instead of `model`)
//   record='{"Lead Source":"Referral"}'  the lead as a JSON object (attribute), or
//   .record = {...}          the same as a property; `setField(name, value)` edits one field
//   accept-from="'self' https://crm.example"  listen for window messages
//                            { type: 'leadforest:record', record } from these exact origins only
//                            ('self' = this page's origin); all other messages are ignored
//   label-field="Full Name"  a record field shown under the title (as text)
//   theme="light|dark"       default: follows prefers-color-scheme
//   engine="url"             the engine module (default: ../leadforest/score.js, the scoring-only
//                            engine; ../leadforest/index.js, the full one, works too)
// Outputs
//   event 'leadforest-score' (bubbles, composed) with detail = the engine's Score
//   event 'leadforest-error' with detail = { message }
//   .result                  the last Score, or null; .state: 'idle'|'loading'|'scored'|'error'|'unavailable'
//   in a frame with accept-from: { type: 'leadforest:ready' } to the parent once listening, and
//   a reply { type: 'leadforest:score', score, probability, tier, action } to the window that sent
//   an accepted message (to its origin only)
// Faster first score: the host page may start the card's downloads from its <head> (the card
// reuses them; paths relative to the page):
//   <link rel="modulepreload" href="…/widget/leadforest-score.js">
//   <link rel="modulepreload" href="…/leadforest/pkg/leadforest_score.js">
//   <link rel="preload" href="…/leadforest/pkg/leadforest_score_bg.wasm" as="fetch" crossorigin>
//   <link rel="preload" href="MODEL.lfm" as="fetch" crossorigin>

// The scoring-only engine (no training code): the card never fetches the full engine.
const DEFAULT_ENGINE = new URL('../leadforest/score.js', import.meta.url).href;
// Its wasm-bindgen glue (which score.js imports) and its .wasm. Loaded the plain way they come one
// after the other (score.js, then the glue, then the .wasm); the card asks for the glue and the
// .wasm at once and compiles the .wasm while it streams in.
const DEFAULT_GLUE = new URL('../leadforest/pkg/leadforest_score.js', import.meta.url).href;
const DEFAULT_WASM = new URL('../leadforest/pkg/leadforest_score_bg.wasm', import.meta.url).href;

// One engine and one parsed model per URL for the whole page, however many cards there are.
const engines = new Map();
const models = new Map();

/**
 * The default engine's .wasm, fetched and compiled as it streams in (`compileStreaming`: Chromium
 * also keeps the compiled code of a streamed module in its code cache for the next visit), or
 * undefined when this browser or server cannot (the engine's own loader then fetches it).
 */
function compileEarly() {
  if (typeof WebAssembly.compileStreaming !== 'function') return Promise.resolve(undefined);
  return WebAssembly.compileStreaming(fetch(DEFAULT_WASM, { credentials: 'same-origin' }))
    .catch(() => undefined);
}

/**
 * Loads the engine module once; resolves to its `Model` class or throws a readable Error. The
 * default engine is score.js's: the card imports its wasm-bindgen glue directly (what score.js
 * itself does, minus one request and 1 KB) and hands it the module compiled while streaming.
 */
function loadEngine(url) {
  if (!engines.has(url)) {
    engines.set(url, (async () => {
      const compiled = url === DEFAULT_ENGINE ? compileEarly() : undefined;
      let mod;
      try {
        mod = await import(url === DEFAULT_ENGINE ? DEFAULT_GLUE : url);
      } catch (e) {
        throw new EngineUnavailable(`the scoring engine could not be loaded (${e.message})`);
      }
      if (typeof mod.Model?.fromBytes !== 'function') {
        throw new EngineUnavailable('this build of the engine cannot load models yet');
      }
      if (url === DEFAULT_ENGINE) {
        // The glue's own init: idempotent, so a page that also loads score.js shares the instance.
        await mod.default({ module_or_path: (await compiled) ?? DEFAULT_WASM });
      } else if (typeof mod.init === 'function') {
        await mod.init();
      }
      return mod.Model;
    })());
  }
  return engines.get(url);
}

class EngineUnavailable extends Error {}

function sameOriginUrl(value, base) {
  const url = new URL(value, base);
  if (url.origin !== window.location.origin) {
    throw new Error(`the model must come from this page's origin (${window.location.origin}), not ${url.origin}`);
  }
  return url.href;
}

// The model files' downloads, by URL (their bytes and Last-Modified header), shared by every card
// and every engine on the page.
const modelFiles = new Map();

function fetchModelFile(modelUrl) {
  if (!modelFiles.has(modelUrl)) {
    const pending = fetch(modelUrl, { credentials: 'same-origin', redirect: 'error' }).then(async (response) => {
      if (!response.ok) throw new Error(`the model file could not be loaded (HTTP ${response.status})`);
      // The engine reads no clock, so a model carries a training date only if its writer put
      // one in; otherwise the file's own date is the best available answer (labelled as such).
      return { bytes: new Uint8Array(await response.arrayBuffer()), fileDate: response.headers.get('last-modified') };
    });
    pending.catch(() => modelFiles.delete(modelUrl));
    modelFiles.set(modelUrl, pending);
  }
  return modelFiles.get(modelUrl);
}

function loadModelFromUrl(engineUrl, modelUrl) {
  const key = `${engineUrl} ${modelUrl}`;
  if (!models.has(key)) {
    const pending = (async () => {
      // The model's body is read while the engine compiles, not after.
      const [Model, { bytes, fileDate }] = await Promise.all([loadEngine(engineUrl), fetchModelFile(modelUrl)]);
      return { model: Model.fromBytes(bytes), fileDate };
    })();
    pending.catch(() => models.delete(key));
    models.set(key, pending);
  }
  return models.get(key);
}

/** The engine URL a card uses (its `engine` attribute, resolved, or the scoring-only engine). */
function engineUrlOf(card) {
  const engine = card.getAttribute('engine');
  return engine ? new URL(engine, document.baseURI).href : DEFAULT_ENGINE;
}

// Cards already in the document when this module runs (a module script runs after the page is
// parsed): their engine and model downloads start now, before the rest of this module evaluates
// and the cards upgrade (their first update reuses these loads). A card whose model is not
// same-origin is left to its own update, which reports it.
for (const card of document.querySelectorAll('leadforest-score[model]')) {
  if (Object.hasOwn(card, 'modelBytes')) continue; // the host supplies the bytes
  try {
    loadModelFromUrl(engineUrlOf(card), sameOriginUrl(card.getAttribute('model'), document.baseURI)).catch(() => {});
  } catch { /* reported by the card */ }
}

/** Parses an origin allow-list; only exact `scheme://host[:port]` origins and 'self' count. */
function parseOrigins(text) {
  const out = new Set();
  for (const token of (text || '').split(/\s+/)) {
    if (!token) continue;
    if (token === "'self'" || token === 'self') { out.add(window.location.origin); continue; }
    try {
      const url = new URL(token);
      if (url.origin !== 'null' && token.replace(/\/$/, '') === url.origin) out.add(url.origin);
    } catch { /* not an origin: ignored, so a typo never widens the list */ }
  }
  return out;
}

/** A plain object of scalar fields (strings, finite numbers, booleans, null), or an Error. */
function cleanRecord(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('the lead record must be a JSON object of field names to values');
  }
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined) out[key] = null;
    else if (typeof v === 'string' || typeof v === 'boolean') out[key] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else throw new Error(`field "${key}" must be text, a number, true/false or null`);
  }
  return out;
}

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

// 12,345 as toLocaleString('en-US') writes it, without Intl: its first call in a fresh page
// loads locale data (20-50 ms of a cold first score, benches/widget/trace.mjs).
const thousands = (n) => {
  const digits = String(Math.round(Math.abs(n)));
  return `${n < 0 ? '-' : ''}${digits.replace(/\B(?=(\d{3})+$)/g, ',')}`;
};

let nextId = 0;
let sheet = null;

export class LeadforestScore extends HTMLElement {
  static observedAttributes = ['model', 'record', 'accept-from', 'label-field', 'engine'];

  #root;
  #parts = {};
  #record = null;
  #modelBytes = null;
  #model = null;
  #inputs = null; // the model's input columns (its schema does not change)
  #modelKey = null;
  #origins = new Set();
  #replyTo = null;
  #pending = false;
  #generation = 0;
  #onMessage = (event) => this.#receive(event);

  /** The last score (the engine's Score object), or null. */
  result = null;
  /** 'idle' | 'loading' | 'scored' | 'error' | 'unavailable'. */
  state = 'idle';

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    // A constructed stylesheet, not a <style> element: it works under a strict CSP (no 'unsafe-inline').
    sheet ??= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(STYLE);
    this.#root.adoptedStyleSheets = [sheet];
    this.#render();
  }

  connectedCallback() {
    // A host may set properties before this module defined the element: re-apply them now.
    for (const name of ['record', 'modelBytes']) {
      if (Object.hasOwn(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    window.addEventListener('message', this.#onMessage);
    // In a frame that takes leads by message, tell the host it can send now. The message holds no
    // data, so any parent may see it; leads are still only read from allowed origins.
    if (this.hasAttribute('accept-from') && window.parent !== window) {
      window.parent.postMessage({ type: 'leadforest:ready' }, '*');
    }
    this.#schedule();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.#onMessage);
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'record') {
      if (value === null) { this.#record = null; this.#schedule(); return; }
      try {
        this.#record = cleanRecord(JSON.parse(value));
      } catch (e) {
        this.#record = null;
        this.#fail(e instanceof SyntaxError ? `the record attribute is not valid JSON (${e.message})` : e.message);
        return;
      }
    } else if (name === 'accept-from') {
      this.#origins = parseOrigins(value);
      return;
    } else if (name === 'label-field') {
      this.#showLabel();
      return;
    } else {
      this.#model = null;
      this.#modelKey = null;
    }
    this.#schedule();
  }

  /** The lead being scored (a copy), or null. */
  get record() { return this.#record ? { ...this.#record } : null; }
  set record(value) {
    try {
      this.#record = value === null || value === undefined ? null : cleanRecord(value);
    } catch (e) {
      this.#fail(e.message);
      return;
    }
    this.#schedule();
  }

  /** Changes one field of the lead and re-scores. */
  setField(name, value) {
    this.record = { ...(this.#record || {}), [name]: value };
  }

  /** Model bytes supplied by the host page (takes precedence over the `model` attribute). */
  get modelBytes() { return this.#modelBytes; }
  set modelBytes(bytes) {
    this.#modelBytes = bytes instanceof Uint8Array ? bytes : bytes ? new Uint8Array(bytes) : null;
    this.#model = null;
    this.#modelKey = null;
    this.#schedule();
  }

  #receive(event) {
    if (!this.#origins.has(event.origin)) return;
    if (event.source !== window.parent && event.source !== window) return;
    const data = event.data;
    if (!data || typeof data !== 'object' || data.type !== 'leadforest:record') return;
    this.#replyTo = { source: event.source, origin: event.origin };
    this.record = data.record;
  }

  // Many changes in one task (a rep typing, a host setting several fields) give one scoring pass.
  #schedule() {
    if (this.#pending || !this.isConnected) return;
    this.#pending = true;
    queueMicrotask(() => {
      this.#pending = false;
      this.#update();
    });
  }

  async #update() {
    const generation = ++this.#generation;
    const engineUrl = engineUrlOf(this);
    const modelAttr = this.getAttribute('model');
    this.#showLabel();
    if (!this.#modelBytes && !modelAttr) { this.#setState('idle', 'No model set.'); return; }
    try {
      if (!this.#model) {
        this.#setState('loading', 'Loading the scoring model…');
        let loaded;
        if (this.#modelBytes) {
          const Model = await loadEngine(engineUrl);
          loaded = { model: Model.fromBytes(this.#modelBytes), fileDate: null };
        } else {
          loaded = await loadModelFromUrl(engineUrl, sameOriginUrl(modelAttr, document.baseURI));
        }
        if (generation !== this.#generation) return;
        this.#model = loaded.model;
        this.#inputs = null;
        this.#showModel(loaded.model, loaded.fileDate);
      }
      if (!this.#record) { this.#setState('idle', 'Waiting for a lead…'); return; }
      const score = this.#model.scoreRecord(this.#record);
      this.#showScore(score);
    } catch (e) {
      if (generation !== this.#generation) return;
      if (e instanceof EngineUnavailable) {
        this.result = null;
        this.#setState('unavailable', `Scoring engine not available: ${e.message}. No score is shown.`);
      } else {
        this.#fail(e.message || String(e));
      }
    }
  }

  #fail(message) {
    this.result = null;
    this.#setState('error', `Cannot score this lead: ${message}`);
    this.dispatchEvent(new CustomEvent('leadforest-error', { detail: { message }, bubbles: true, composed: true }));
  }

  #setState(state, message) {
    this.state = state;
    const p = this.#parts;
    p.card.dataset.state = state;
    p.status.textContent = message || '';
    p.status.hidden = !message;
    p.status.className = `status ${state}`;
    p.body.hidden = state !== 'scored';
  }

  #showLabel() {
    const field = this.getAttribute('label-field');
    const value = field && this.#record ? this.#record[field] : null;
    this.#parts.label.textContent = value === null || value === undefined ? '' : String(value);
    this.#parts.label.hidden = !this.#parts.label.textContent;
  }

  #showModel(model, fileDate) {
    const info = model.info || {};
    // the engine's held-out AUC (Model.metrics.auc, models with a report); older files: validAuc / oobAuc
    const m = model.metrics || {};
    const auc = [m.auc, info.auc, m.validAuc, m.oobAuc].find(Number.isFinite);
    const day = (d) => (Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10));
    const fromFile = fileDate ? day(new Date(fileDate)) : null;
    const date = info.trainedAt ? String(info.trainedAt).slice(0, 10)
      : fromFile ? `not recorded (the file was saved ${fromFile})` : 'not recorded';
    const quality = Number.isFinite(auc) ? `held-out AUC ${auc.toFixed(3)}` : 'AUC not recorded';
    const rows = info.rows;
    const p = this.#parts;
    p.modelDate.textContent = date;
    p.modelAuc.textContent = quality;
    p.modelRows.textContent = Number.isFinite(rows) ? `Trained on ${thousands(rows)} leads` : '';
    p.modelRows.hidden = !p.modelRows.textContent;
    p.infoButton.setAttribute('aria-label', `About the model: trained ${date}, ${quality}`);
  }

  #showScore(score) {
    const p = this.#parts;
    const value = Math.round(score.score);
    const tier = String(score.tier ?? '');
    this.result = score;
    p.scoreValue.textContent = String(value);
    p.gaugeArc.setAttribute('stroke-dasharray', `${Math.max(0, Math.min(100, value))} 100`);
    p.gauge.setAttribute('aria-label', `Score ${value} out of 100`);
    p.card.dataset.tier = /^[A-D]/i.test(tier) ? tier[0].toUpperCase() : 'other';
    p.tier.textContent = tier ? `Tier ${tier}` : '';
    p.action.textContent = String(score.action ?? '');
    p.probability.textContent = `${(score.probability * 100).toFixed(1)}% likely to convert`;

    p.reasons.replaceChildren();
    for (const reason of (score.reasons || []).slice(0, 3)) {
      const up = reason.direction === 'up';
      const li = el('li', up ? 'up' : 'down');
      const arrow = el('span', 'arrow', up ? '↑' : '↓');
      arrow.setAttribute('aria-hidden', 'true');
      // The engine's text may end in its own arrow; the card draws one in front instead.
      const text = String(reason.text).replace(/\s*[↑↓]$/u, '');
      li.append(arrow, el('span', 'sr', up ? 'Raises the score: ' : 'Lowers the score: '), el('span', 'text', text));
      p.reasons.append(li);
    }
    p.reasonsBlock.hidden = p.reasons.childElementCount === 0;

    // Absent fields (the engine's list) plus model inputs the record has but left empty.
    this.#inputs ??= new Set((this.#model.schema?.features || []).map((f) => f.source ?? f.name));
    const inputs = this.#inputs;
    const empty = Object.entries(this.#record || {})
      .filter(([k, v]) => inputs.has(k) && (v === null || (typeof v === 'string' && v.trim() === '')))
      .map(([k]) => k);
    const missing = [...new Set([...(score.missing || []).map(String), ...empty])];
    p.missing.hidden = missing.length === 0;
    p.missingFields.textContent = missing.join(', ');
    p.missingCount.textContent = missing.length === 1 ? '1 field is empty: ' : `${missing.length} fields are empty: `;

    p.live.textContent = `Lead score ${value} of 100${tier ? `, tier ${tier}` : ''}${score.action ? `: ${score.action}` : ''}.`;
    this.#setState('scored');
    this.dispatchEvent(new CustomEvent('leadforest-score', { detail: score, bubbles: true, composed: true }));
    if (this.#replyTo) {
      const { source, origin } = this.#replyTo;
      const reply = { type: 'leadforest:score', score: value, probability: score.probability, tier, action: score.action ?? '' };
      try { source.postMessage(reply, origin); } catch { /* the sender went away */ }
    }
  }

  #render() {
    const id = `lfs-${++nextId}`;
    const card = el('article', 'card');
    card.setAttribute('aria-labelledby', `${id}-title`);

    const header = el('header', 'header');
    const titles = el('div', 'titles');
    const title = el('h2', 'title', 'Lead score');
    title.id = `${id}-title`;
    const label = el('p', 'label');
    label.hidden = true;
    titles.append(title, label);

    const info = el('div', 'info');
    const infoButton = el('button', 'info-button', 'i');
    infoButton.type = 'button';
    infoButton.setAttribute('aria-describedby', `${id}-tip`);
    infoButton.setAttribute('aria-label', 'About the model');
    const tip = el('div', 'tip');
    tip.id = `${id}-tip`;
    tip.setAttribute('role', 'tooltip');
    const modelDate = el('span', 'model-date', '—');
    const modelAuc = el('span', 'model-auc', '—');
    const modelRows = el('span', 'model-rows');
    tip.append(el('strong', null, 'About the model'), el('span', null, 'Date: '), modelDate, el('br'),
      el('span', null, 'Quality (validation): '), modelAuc, el('br'), modelRows);
    info.append(infoButton, tip);
    header.append(titles, info);

    const status = el('p', 'status');
    const body = el('div', 'body');
    body.hidden = true;

    const summary = el('div', 'summary');
    const gauge = svg('svg', { viewBox: '0 0 36 36', class: 'gauge', role: 'img', 'aria-label': 'Score' });
    gauge.append(
      svg('circle', { cx: 18, cy: 18, r: 15.9155, class: 'track', pathLength: 100 }),
    );
    const gaugeArc = svg('circle', { cx: 18, cy: 18, r: 15.9155, class: 'arc', pathLength: 100, 'stroke-dasharray': '0 100' });
    gauge.append(gaugeArc);
    const gaugeWrap = el('div', 'gauge-wrap');
    const scoreValue = el('span', 'score-value', '');
    scoreValue.setAttribute('aria-hidden', 'true');
    gaugeWrap.append(gauge, scoreValue);
    const verdict = el('div', 'verdict');
    const tier = el('span', 'tier');
    const action = el('p', 'action');
    const probability = el('p', 'probability');
    verdict.append(tier, action, probability);
    summary.append(gaugeWrap, verdict);

    const reasonsBlock = el('section', 'reasons-block');
    reasonsBlock.setAttribute('aria-labelledby', `${id}-why`);
    const why = el('h3', 'subtitle', 'Top reasons');
    why.id = `${id}-why`;
    const reasons = el('ul', 'reasons');
    reasonsBlock.append(why, reasons);

    const missing = el('p', 'missing');
    missing.setAttribute('role', 'note');
    missing.hidden = true;
    const missingCount = el('strong');
    const missingFields = el('span', 'missing-fields');
    missing.append(missingCount, missingFields,
      el('span', null, '. The score used the path the model learned for missing values.'));

    body.append(summary, reasonsBlock, missing);

    const live = el('p', 'sr');
    live.setAttribute('aria-live', 'polite');

    card.append(header, status, body, live);
    this.#root.replaceChildren(card);
    this.#parts = {
      card, label, infoButton, modelDate, modelAuc, modelRows, status, body, gauge, gaugeArc, scoreValue,
      tier, action, probability, reasonsBlock, reasons, missing, missingCount, missingFields, live,
    };
    this.#setState('idle', 'No model set.');
  }
}

// Salesforce Lightning Design System look: 0.25rem radius cards, 1rem gutters, 0.8125rem body text,
// brand blue #0176d3; dark values follow SLDS dark-mode hooks. All colours meet WCAG AA on their
// background.
const STYLE = `
:host { display: block; max-width: 100%; color-scheme: light dark;
  --lf-bg: #fff; --lf-fg: #181818; --lf-weak: #444; --lf-border: #c9c9c9; --lf-track: #e5e5e5;
  --lf-brand: #0176d3; --lf-shade: #f3f3f3; --lf-note-bg: #fef1ee; --lf-note-fg: #8c4b02; --lf-note-border: #fe9339;
  --lf-a: #2e844a; --lf-b: #0176d3; --lf-c: #a96404; --lf-d: #5c5c5c; --lf-error: #ba0517;
  font-family: -apple-system, "Segoe UI", system-ui, Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: .8125rem; line-height: 1.5; }
:host([hidden]) { display: none; }
:host([theme=dark]) { --lf-bg: #242424; --lf-fg: #f3f3f3; --lf-weak: #c9c9c9; --lf-border: #444; --lf-track: #3e3e3e;
  --lf-brand: #78b0fd; --lf-shade: #2e2e2e; --lf-note-bg: #3d2a12; --lf-note-fg: #fecb8a; --lf-note-border: #a96404;
  --lf-a: #45c65a; --lf-b: #78b0fd; --lf-c: #fcc003; --lf-d: #aeaeae; --lf-error: #fe8f7d; }
@media (prefers-color-scheme: dark) { :host(:not([theme=light])) { --lf-bg: #242424; --lf-fg: #f3f3f3; --lf-weak: #c9c9c9;
  --lf-border: #444; --lf-track: #3e3e3e; --lf-brand: #78b0fd; --lf-shade: #2e2e2e; --lf-note-bg: #3d2a12;
  --lf-note-fg: #fecb8a; --lf-note-border: #a96404; --lf-a: #45c65a; --lf-b: #78b0fd; --lf-c: #fcc003; --lf-d: #aeaeae;
  --lf-error: #fe8f7d; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.card { background: var(--lf-bg); color: var(--lf-fg); border: 1px solid var(--lf-border); border-radius: .25rem;
  box-shadow: 0 2px 2px 0 rgba(0,0,0,.1); padding: .75rem 1rem 1rem; min-width: 0; }
.header { display: flex; align-items: flex-start; gap: .5rem; }
.titles { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 1rem; font-weight: 700; line-height: 1.25; }
.label { margin: .125rem 0 0; color: var(--lf-weak); overflow-wrap: anywhere; white-space: pre-wrap; }
.info { position: relative; }
.info-button { width: 1.5rem; height: 1.5rem; border-radius: 50%; border: 1px solid var(--lf-border);
  background: var(--lf-bg); color: var(--lf-brand); font: italic 700 .75rem/1 Georgia, serif; cursor: help; }
.info-button:focus-visible { outline: 2px solid var(--lf-brand); outline-offset: 2px; }
.tip { display: none; position: absolute; right: 0; top: 1.875rem; z-index: 1; width: 13rem; padding: .5rem .75rem;
  background: #032d60; color: #fff; border-radius: .25rem; font-size: .75rem; box-shadow: 0 2px 3px rgba(0,0,0,.16); }
.tip strong { display: block; }
.info:hover .tip, .info:focus-within .tip { display: block; }
.status { margin: .75rem 0 0; color: var(--lf-weak); overflow-wrap: anywhere; }
.status.error, .status.unavailable { color: var(--lf-error); }
.summary { display: flex; align-items: center; gap: 1rem; margin-top: .75rem; }
.gauge-wrap { position: relative; width: 4.5rem; height: 4.5rem; flex: none; }
.gauge { width: 100%; height: 100%; transform: rotate(-90deg); }
.gauge circle { fill: none; stroke-width: 3.2; }
.gauge .track { stroke: var(--lf-track); }
.gauge .arc { stroke: var(--tier, var(--lf-brand)); stroke-linecap: round; transition: stroke-dasharray .3s; }
@media (prefers-reduced-motion: reduce) { .gauge .arc { transition: none; } }
.score-value { position: absolute; inset: 0; display: grid; place-items: center; font-size: 1.5rem; font-weight: 700; }
[data-tier=A] { --tier: var(--lf-a); } [data-tier=B] { --tier: var(--lf-b); }
[data-tier=C] { --tier: var(--lf-c); } [data-tier=D] { --tier: var(--lf-d); }
.verdict { min-width: 0; }
.tier { display: inline-block; padding: 0 .5rem; border-radius: 15rem; background: var(--tier, var(--lf-brand));
  color: var(--lf-bg); font-weight: 700; font-size: .75rem; line-height: 1.5rem; }
.action { margin: .25rem 0 0; font-weight: 700; overflow-wrap: anywhere; }
.probability { margin: 0; color: var(--lf-weak); font-size: .75rem; }
.subtitle { margin: 1rem 0 .25rem; font-size: .75rem; font-weight: 400; text-transform: uppercase;
  letter-spacing: .0625rem; color: var(--lf-weak); }
.reasons { list-style: none; margin: 0; padding: 0; }
.reasons li { display: flex; gap: .5rem; padding: .25rem 0; border-top: 1px solid var(--lf-track); overflow-wrap: anywhere; }
.reasons li:first-child { border-top: 0; }
.reasons .text { white-space: pre-wrap; min-width: 0; }
.arrow { flex: none; font-weight: 700; width: 1rem; text-align: center; }
.up .arrow { color: var(--lf-a); } .down .arrow { color: var(--lf-error); }
.missing { margin: .75rem 0 0; padding: .5rem .75rem; border-left: 3px solid var(--lf-note-border);
  background: var(--lf-note-bg); color: var(--lf-note-fg); border-radius: .25rem; overflow-wrap: anywhere; white-space: pre-wrap; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

if (!customElements.get('leadforest-score')) customElements.define('leadforest-score', LeadforestScore);
