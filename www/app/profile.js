// @ts-check
// The "what is in the file" card: the engine's profile (kinds, missing %, exclusions and why),
// one "use this column" switch per column, and the list of columns that may leak the outcome.

import { h, replace, fmt } from './dom.js';
import { words, sentence } from './words.js';

function topValuesText(top) {
  return (top || []).slice(0, 3).map((/** @type {any} */ t) => `${t.value === '' ? '(empty)' : t.value} (${fmt.int(t.rows ?? t.count)})`).join(', ');
}

/**
 * Renders the profile table, its switches and the leak list.
 * `used(name)` says whether a column goes into the model now; `onToggle(name, use)` reports a
 * switch. Columns the engine leaves out (identifiers, personal data, constants) say why and
 * cannot be switched on.
 * @param {{ profile: any, target: string, used: (name: string) => boolean, onToggle: (name: string, use: boolean) => void,
 *   tbody: HTMLElement, alerts: HTMLElement, leakBox: HTMLElement, leakList: HTMLElement }} args
 */
export function renderProfile({ profile, target, used, onToggle, tbody, alerts, leakBox, leakList }) {
  const leakOf = new Map((profile.leaks || []).map((/** @type {any} */ l) => [l.column, l]));
  const rows = [];
  for (const c of profile.columns) {
    const isTarget = c.name === target;
    const leak = isTarget ? null : (leakOf.get(c.name)?.message ?? c.leak ?? null);
    const engineOut = !isTarget && Boolean(c.excludedBecause);
    const on = !isTarget && !engineOut && used(c.name);
    const id = `use-${rows.length}`;
    const toggle = h('input', {
      type: 'checkbox', role: 'switch', id, checked: on, disabled: isTarget || engineOut,
      'data-column': c.name, 'data-testid': 'use-column',
      'aria-label': `Use “${c.name}” in the model`,
      on: { change: (/** @type {Event} */ e) => onToggle(c.name, /** @type {HTMLInputElement} */ (e.target).checked) },
    });
    let note;
    if (isTarget) note = h('span', { class: 'lf-badge lf-badge--used' }, 'Outcome');
    else if (engineOut) note = h('span', { class: 'lf-badge lf-badge--excluded', title: words(c.excludedBecause) }, `Left out: ${words(c.excludedBecause)}`);
    else if (!on) note = h('span', { class: 'lf-badge lf-badge--excluded' }, leak ? 'Left out (possible leak)' : 'Left out by you');
    else note = h('span', { class: 'lf-badge lf-badge--used' }, 'Used');
    rows.push(h('tr', { class: on || isTarget ? null : 'is-excluded', 'data-column': c.name },
      h('th', { scope: 'row' }, c.name, leak ? [' ', h('span', { class: 'lf-badge lf-badge--leak' }, 'possible leak')] : null),
      h('td', {}, words(c.kind) || '—'),
      h('td', { class: 'lf-num' }, fmt.pct((c.missingPct ?? NaN) / 100)),
      h('td', { class: 'lf-num' }, fmt.int(c.cardinality)),
      h('td', {}, topValuesText(c.topValues)),
      h('td', {}, h('label', { class: 'lf-switch', for: id }, toggle, ' ', note))));
  }
  replace(tbody, rows);

  replace(alerts, (profile.notes || []).map((/** @type {string} */ w) => h('div', { class: 'lf-alert lf-alert--warning' }, h('p', {}, words(w)))));

  const leaks = (profile.leaks || []).filter((/** @type {any} */ l) => l.column !== target);
  replace(leakList, leaks.map((/** @type {any} */ l, /** @type {number} */ i) => {
    const id = `leak-${i}`;
    return h('li', { 'data-column': l.column },
      h('label', { for: id, class: 'lf-check' },
        h('input', { type: 'checkbox', id, checked: used(l.column), 'data-column': l.column, 'data-testid': 'leak-toggle',
          on: { change: (/** @type {Event} */ e) => onToggle(l.column, /** @type {HTMLInputElement} */ (e.target).checked) } }),
        h('strong', {}, l.column)),
      ' ', h('span', {}, sentence(l.message)));
  }));
  leakBox.hidden = leaks.length === 0;
  return leaks.map((/** @type {any} */ l) => l.column);
}
