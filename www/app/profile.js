// The "what is in the file" card: the engine's profile (kinds, missing %, exclusions and why,
// leak warnings with a toggle) and helpers to guess a sensible target and positive value.

import { h, replace, fmt } from './dom.js';

const MISSING = new Set(['', 'na', 'n/a', 'null', 'none', '-', '?', 'nan']);
export const isMissing = (v) => MISSING.has(String(v).trim().toLowerCase());

/** Counts of each value of column `j` (trimmed), largest first. */
export function valueCounts(rows, j) {
  const counts = new Map();
  for (const r of rows) {
    const v = (r[j] ?? '').trim();
    counts.set(v, (counts.get(v) || 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/**
 * Missing share and distinct count per column, computed here when the engine build has no
 * profileCsv: facts about the file only (no kinds, no exclusions — those are the engine's).
 */
export function basicProfile(headers, rows) {
  return {
    rows: rows.length,
    basic: true,
    warnings: [],
    columns: headers.map((name, j) => {
      const counts = valueCounts(rows, j);
      const missing = counts.filter(([v]) => isMissing(v)).reduce((a, [, c]) => a + c, 0);
      return {
        name,
        missingPct: rows.length ? (100 * missing) / rows.length : 0,
        cardinality: counts.filter(([v]) => !isMissing(v)).length,
        topValues: counts.filter(([v]) => !isMissing(v)).slice(0, 3).map(([value, count]) => ({ value, count })),
      };
    }),
  };
}

/**
 * The engine's profile in the shape the card draws: `excluded`/`reason` (or the library's
 * `excludedBecause`), `warnings` (or `notes`), top values' `count` (or `rows`), leak messages.
 */
export function readProfile(raw) {
  const p = raw instanceof Map ? Object.fromEntries(raw) : raw;
  const leakOf = new Map((p.leaks || []).map((l) => [l.column, l.message]));
  return {
    rows: p.rows,
    basic: false,
    warnings: [...(p.warnings || []), ...(p.notes || [])],
    target: p.target,
    columns: (p.columns || []).map((c) => ({
      name: c.name,
      kind: c.kind,
      missingPct: c.missingPct,
      cardinality: c.cardinality,
      topValues: (c.topValues || []).map((t) => ({ value: t.value, count: t.count ?? t.rows })),
      excluded: Boolean(c.excluded ?? c.excludedBecause),
      reason: c.reason ?? c.excludedBecause ?? undefined,
      leak: c.leak ?? leakOf.get(c.name),
      notes: c.notes || [],
    })),
  };
}

const TARGET_NAME = /^(converted|conversion|is_?converted|won|is_?won|closed_?won|target|label|outcome|y|churn|purchased?|subscribed|signed_?up|deal_?won)$/i;
const TARGET_HINT = /convert|won|outcome|target|purchase|subscribed|closed/i;

/** The column most likely to be the outcome: the profile's suggestion, a telling name, else the last binary column. */
export function guessTarget(headers, rows, profile) {
  const suggested = profile?.suggestedTarget || profile?.target;
  if (suggested && headers.includes(suggested)) return suggested;
  const exact = headers.find((c) => TARGET_NAME.test(c.trim()));
  if (exact) return exact;
  const binary = (j) => valueCounts(rows.slice(0, 2000), j).filter(([v]) => !isMissing(v)).length === 2;
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

function topValuesText(top) {
  return (top || []).slice(0, 3).map((t) => `${t.value === '' ? '(empty)' : t.value} (${fmt.int(t.count)})`).join(', ');
}

/**
 * Renders the profile table and the alerts (warnings, leak toggles). `excluded` is the set of
 * columns the user chose to leave out; `onToggle(name, exclude)` reports changes.
 */
export function renderProfile({ profile, target, excluded, onToggle, tbody, alerts }) {
  const rows = [];
  const leaks = [];
  for (const c of profile.columns) {
    const isTarget = c.name === target;
    const userExcluded = excluded.has(c.name);
    let status;
    if (isTarget) status = h('span', { class: 'lf-badge lf-badge--used' }, 'Target');
    else if (userExcluded) status = h('span', { class: 'lf-badge lf-badge--excluded' }, c.leak ? 'Excluded by you (leak)' : 'Excluded by you');
    else if (c.excluded) status = h('span', { class: 'lf-badge lf-badge--excluded', title: c.reason || '' }, `Excluded: ${c.reason || 'not usable'}`);
    else if (profile.basic) status = h('span', { class: 'lf-muted' }, 'Decided when training');
    else status = h('span', { class: 'lf-badge lf-badge--used' }, 'Used');
    if (c.leak && !isTarget) leaks.push(c);
    rows.push(h('tr', { class: c.excluded || userExcluded ? 'is-excluded' : null },
      h('th', { scope: 'row' }, c.name, c.leak && !isTarget ? [' ', h('span', { class: 'lf-badge lf-badge--leak' }, 'possible leak')] : null),
      h('td', {}, c.kind || '—'),
      h('td', { class: 'lf-num' }, fmt.pct((c.missingPct ?? NaN) / 100)),
      h('td', { class: 'lf-num' }, fmt.int(c.cardinality)),
      h('td', {}, topValuesText(c.topValues)),
      h('td', {}, status)));
  }
  replace(tbody, rows);

  const notes = [];
  if (profile.basic) {
    notes.push(h('div', { class: 'lf-alert' }, h('p', {}, 'This engine build has no column profiler yet: kinds, exclusions and leak checks are not shown. Missing shares and distinct counts above are counted in this page.')));
  }
  for (const w of profile.warnings || []) {
    notes.push(h('div', { class: 'lf-alert lf-alert--warning' }, h('p', {}, typeof w === 'string' ? w : w.message || JSON.stringify(w))));
  }
  for (const c of leaks) {
    const id = `leak-${notes.length}`;
    const box = h('input', { type: 'checkbox', id, checked: excluded.has(c.name), 'data-column': c.name, 'data-testid': 'leak-toggle', on: { change: (e) => onToggle(c.name, e.target.checked) } });
    notes.push(h('div', { class: 'lf-alert lf-alert--warning', role: 'group', 'aria-label': `Possible leak: ${c.name}` },
      h('div', { class: 'lf-stack' },
        h('p', {}, h('strong', {}, 'Possible leak: '), c.leak),
        h('label', { for: id, class: 'lf-radio-group' }, box, ` Leave “${c.name}” out of the model`))));
  }
  replace(alerts, notes);
  return leaks.map((c) => c.name);
}
