// @ts-check
// The scored-leads card: a virtualized table whose rows (cells, score, tier, top reason) come
// from the worker only for the rows on screen, filtering, search and sorting done in the worker,
// and the selected lead's reasons in both directions. A deal-value column adds each lead's
// expected value (probability × amount, computed once in the worker by the engine).

import { h, replace, byId as el, fmt } from './dom.js';
import { VirtualTable } from './table.js';
import { isCancel } from './client.js';
import { amount2 } from './csv.js';
import { sentence } from './words.js';

/** A tier badge (the model's tier names). */
export function tierBadge(tier) {
  if (!tier) return h('span', { class: 'lf-muted' }, '—');
  const cls = /^[A-D]$/.test(tier) ? tier : 'x';
  return h('span', { class: `lf-tier lf-tier--${cls}` }, tier);
}

const arrow = (/** @type {any} */ r) => (r.direction === 'down' ? '↓' : '↑');

/**
 * An expected value as shown: the CLI's two decimals (`score --value`, the scored CSV) with
 * thousands separators ("12,345.60"); '' for a missing amount (NaN) or no value column (null).
 */
export function expectedValueText(/** @type {number | null | undefined} */ v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  const [whole, cents] = amount2(v).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** 0..1 → "42nd" (a percentile as people say it). */
export function ordinal(/** @type {number} */ share) {
  const n = Math.round(100 * share);
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' })[n % 10] || 'th';
  return `${n}${suffix}`;
}

/**
 * The "Deal value column" choices: None, then the columns the profile found numeric, then the
 * others (an amount column the profile reads as text may still be amounts the engine reads:
 * `$1,200`, `1.5k`; a column of non-numbers ends in the engine's error naming the row).
 * @param {string[]} headers
 * @param {any} profile
 */
export function valueChoices(headers, profile) {
  const kinds = new Map((profile?.columns || []).map((/** @type {any} */ c) => [c.name, c.kind]));
  const numeric = headers.filter((c) => kinds.get(c) === 'numeric');
  const other = headers.filter((c) => kinds.get(c) !== 'numeric');
  return { numeric, other };
}

/**
 * @param {{ client: import('./client.js').EngineClient, store: ReturnType<typeof import('./state.js').createStore>, say: (t: string) => void,
 *   track?: (label: string, op: string, args?: any) => Promise<any> }} ctx
 */
export function mountLeads({ client, store, say, track }) {
  /** @type {VirtualTable | null} */
  let table = null;
  /** @type {Map<number, any>} */
  let cache = new Map();
  const pending = new Set();
  let generation = 0;
  let searchTimer = 0;
  let asPercentile = false;

  function value(/** @type {number} */ r, /** @type {string} */ key) {
    const row = cache.get(r);
    if (key === '#') return r + 1;
    if (!row) return key === 'score' ? '…' : '';
    switch (key) {
      case 'score': return asPercentile ? ordinal(row.percentile) : Math.round(row.score);
      case 'tier': return row.tier;
      case 'probability': return Number.isFinite(row.probability) ? row.probability.toFixed(3) : '';
      case 'reason': { const x = row.reasons[0]; return x ? `${arrow(x)} ${x.text}` : ''; }
      case 'expectedValue': return expectedValueText(row.expectedValue);
      default: return row.cells[Number(key.slice(1))] ?? '';
    }
  }

  /** Fetches the rows on screen (and a screen either side) that are not cached yet. */
  async function fetchRows(/** @type {number[]} */ visible) {
    if (!table) return;
    const pos = table.start;
    const around = Array.from(table.view.slice(Math.max(0, pos - 20), pos + visible.length + 20));
    const missing = around.filter((r) => !cache.has(r) && !pending.has(r));
    if (!missing.length) return;
    const gen = generation;
    for (const r of missing) pending.add(r);
    try {
      const { rows } = await client.call('rows', { list: missing });
      if (gen !== generation) return;
      for (const row of rows) cache.set(row.row, row);
      table.render(true);
    } catch (e) {
      if (!isCancel(e)) say(`The leads could not be read: ${/** @type {Error} */ (e).message}`);
    } finally {
      for (const r of missing) pending.delete(r);
    }
  }

  /** A new table for the open file: its columns (with Expected value when a value column is chosen). */
  function build(/** @type {any} */ file) {
    generation++;
    cache = new Map();
    const columns = [
      { key: '#', label: '#', width: 64, numeric: true },
      { key: 'score', label: 'Score', width: 72, numeric: true },
      { key: 'tier', label: 'Tier', width: 60, render: (/** @type {string} */ v) => tierBadge(v) },
      { key: 'probability', label: 'Probability', width: 96, numeric: true },
      ...(store.get().valueColumn ? [{ key: 'expectedValue', label: 'Expected value', width: 128, numeric: true }] : []),
      { key: 'reason', label: 'Top reason', width: 240 },
      ...file.headers.map((/** @type {string} */ c, /** @type {number} */ j) => ({ key: `c${j}`, label: c, width: Math.min(220, Math.max(90, c.length * 8 + 24)) })),
    ];
    table = new VirtualTable({ columns, getValue: value, onOpen: (/** @type {number} */ r) => openLead(r), label: `Scored leads from ${file.name}` });
    table.onSort = () => refresh();
    table.onRange = (rows) => { fetchRows(rows); };
    replace(el('table-host'), table.scroller);
    return table;
  }

  /** Shows the sort on the column headers. */
  function markSort(/** @type {VirtualTable} */ t) {
    for (const th of /** @type {HTMLElement[]} */ ([...t.headRow.children])) {
      th.setAttribute('aria-sort', th.dataset.key === t.sort.key ? (t.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    }
  }

  /**
   * The deal-value picker back to None, listing the open file's columns (a new file or model);
   * with no file, empty (nothing of a forgotten file stays in the page).
   */
  function resetValue(/** @type {any} */ file) {
    store.set({ valueColumn: null });
    client.session.value = null;
    replace(el('value-status'));
    if (!file) { replace(valueSelect()); return; }
    const { numeric, other } = valueChoices(file.headers, store.get().profile);
    const option = (/** @type {string} */ c) => h('option', { value: c }, c);
    replace(valueSelect(), h('option', { value: '' }, 'None'),
      numeric.length ? h('optgroup', { label: 'Number columns' }, numeric.map(option)) : null,
      other.length ? h('optgroup', { label: numeric.length ? 'Other columns' : 'Columns' }, other.map(option)) : null);
    valueSelect().value = '';
  }

  const valueSelect = () => /** @type {HTMLSelectElement} */ (el('value-column'));

  /**
   * Draws the table for the scored file. After training, loading a model or opening a file the
   * deal-value column resets to None; a new threshold (`keepValue`) keeps it (the probabilities,
   * and so the expected values, do not change with the threshold).
   */
  function show(/** @type {any} */ scored, { keepValue = false } = {}) {
    const { file } = store.get();
    if (!file) return;
    if (!keepValue) resetValue(file);
    build(file);
    replace(el('tier-filter'), h('option', { value: '' }, 'All tiers'), scored.tiers.map((/** @type {[string, number]} */ [t]) => h('option', { value: t }, `Tier ${t}`)));
    /** @type {HTMLInputElement} */ (el('search')).value = '';
    el('leads-card').hidden = false;
    replace(el('reasons-body'));
    el('reasons-empty').hidden = false;
    table.sort = { key: 'score', dir: 'desc' };
    markSort(table);
    return refresh();
  }

  /**
   * A deal-value column chosen ('' = None): the worker computes the expected values once
   * (`Model.expectedValues`); the table gains or loses its Expected value column, keeping the
   * tier filter, the search and the sort (by score when it was by expected value).
   */
  async function chooseValue(/** @type {string} */ column) {
    const { file } = store.get();
    if (!file || !table) return;
    const before = store.get().valueColumn;
    const status = el('value-status');
    replace(status);
    let r;
    try {
      r = track ? await track(column ? `Expected values from “${column}”` : 'Removing the expected values', 'expectedValues', { column })
        : await client.call('expectedValues', { column });
    } catch (e) {
      valueSelect().value = before || '';
      if (isCancel(e)) { say('Cancelled'); return; }
      const message = sentence(/** @type {Error} */ (e).message);
      const text = `The expected values could not be computed: ${message}`;
      replace(status, h('div', { class: 'lf-alert lf-alert--error', role: 'alert' }, h('p', {}, text)));
      say(text);
      return;
    }
    client.session.value = r.column;
    store.set({ valueColumn: r.column });
    const sort = table.sort;
    const selected = table.selected;
    const t = build(file);
    t.sort = sort.key === 'expectedValue' && !r.column ? { key: 'score', dir: 'desc' } : sort;
    markSort(t);
    if (r.column && r.missing) {
      replace(status, h('p', { class: 'lf-help' }, `${fmt.int(r.missing)} of ${fmt.int(r.rows)} leads have no amount in “${r.column}”: their expected value is left empty.`));
    }
    say(r.column ? `Expected value from ${r.column} added` : 'Expected value removed');
    await refresh();
    // the open lead's card follows (its expected value appears or goes)
    if (selected >= 0 && t === table) { t.selected = selected; t.render(true); await openLead(selected); }
  }

  /** Asks the worker for the leads to show (tier, search, sort) and draws them. */
  async function refresh() {
    if (!table) return;
    const t = table;
    const gen = ++generation;
    try {
      const { view, total } = await client.call('view', {
        tier: /** @type {HTMLSelectElement} */ (el('tier-filter')).value,
        query: /** @type {HTMLInputElement} */ (el('search')).value,
        sort: t.sort,
      });
      if (gen !== generation || t !== table) return;
      t.setView(view);
      el('leads-count').textContent = `${fmt.int(view.length)} of ${fmt.int(total)} leads shown`;
    } catch (e) {
      if (!isCancel(e)) say(`The leads could not be sorted: ${/** @type {Error} */ (e).message}`);
    }
  }

  /** The selected lead: score, percentile, tier, and what pushes it up and down. */
  async function openLead(/** @type {number} */ r) {
    let lead;
    try {
      lead = await client.call('lead', { row: r });
    } catch (e) {
      if (!isCancel(e)) say(`This lead could not be explained: ${/** @type {Error} */ (e).message}`);
      return;
    }
    el('reasons-empty').hidden = true;
    const ident = lead.headers.slice(0, 3).map((/** @type {string} */ _, /** @type {number} */ j) => lead.cells[j]).filter(Boolean).join(' · ');
    const list = (/** @type {any[]} */ items, /** @type {string} */ dir) => (items.length
      ? h('ul', { 'data-direction': dir }, items.map((x) => h('li', {},
        h('span', { class: x.direction === 'down' ? 'lf-down' : 'lf-up', 'aria-hidden': 'true' }, arrow(x)),
        h('span', {}, x.text, h('span', { class: 'lf-sr-only' }, x.direction === 'down' ? ' (lowers the score)' : ' (raises the score)')))))
      : h('p', { class: 'lf-muted' }, dir === 'up' ? 'Nothing pushes this lead up.' : 'Nothing pushes this lead down.'));
    const up = lead.side !== 'down';
    const first = up ? ['up', 'Pushing the score up', lead.explanation.up] : ['down', 'Pushing the score down', lead.explanation.down];
    const second = up ? ['down', 'Pushing the score down', lead.explanation.down] : ['up', 'Pushing the score up', lead.explanation.up];
    replace(el('reasons-body'),
      h('p', {}, h('strong', {}, `Lead ${r + 1}`), ident ? ` (${ident})` : ''),
      h('dl', { class: 'lf-dl' },
        h('dt', {}, 'Score'), h('dd', {}, `${Math.round(lead.score)} of 100`),
        h('dt', {}, 'Percentile'), h('dd', {}, `${ordinal(lead.percentile)} ${lead.heldOut ? '(of the held-out leads)' : '(of the leads in this file)'}`),
        h('dt', {}, 'Tier'), h('dd', {}, tierBadge(lead.tier)),
        h('dt', {}, 'Probability'), h('dd', {}, fmt.pct(lead.probability, 1)),
        lead.expectedValue === null || lead.expectedValue === undefined ? null : [
          h('dt', {}, 'Expected value'),
          h('dd', { 'data-testid': 'lead-expected-value' }, Number.isFinite(lead.expectedValue)
            ? [expectedValueText(lead.expectedValue), h('span', { class: 'lf-muted' }, ` (probability × ${store.get().valueColumn ?? 'amount'})`)]
            : h('span', { class: 'lf-muted' }, `— (no amount in “${store.get().valueColumn ?? ''}”)`))]),
      h('p', { class: 'lf-help' }, Number.isFinite(lead.threshold)
        ? (up ? `At or above the threshold ${lead.threshold.toFixed(2)}: goes to sales.` : `Below the threshold ${lead.threshold.toFixed(2)}: stays in nurture.`)
        : ''),
      h('h4', {}, first[1]), list(first[2], first[0]),
      h('h4', {}, second[1]), list(second[2], second[0]));
    say(`Lead ${r + 1}: score ${Math.round(lead.score)}, tier ${lead.tier}`);
  }

  el('tier-filter').addEventListener('change', refresh);
  valueSelect().addEventListener('change', () => { chooseValue(valueSelect().value); });
  el('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = window.setTimeout(refresh, 150); });
  el('percentile-input').addEventListener('change', (e) => {
    asPercentile = /** @type {HTMLInputElement} */ (e.target).checked;
    table?.render(true);
  });

  return {
    show,
    refresh,
    clear() {
      generation++;
      table = null;
      cache = new Map();
      replace(el('table-host'));
      replace(el('reasons-body'));
      replace(el('tier-filter'), h('option', { value: '' }, 'All tiers'));
      el('reasons-empty').hidden = false;
      el('leads-count').textContent = '';
      /** @type {HTMLInputElement} */ (el('search')).value = '';
      resetValue(null);
      el('leads-card').hidden = true;
    },
  };
}
