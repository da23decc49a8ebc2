// The funnel view: lead counts and conversion by stage (a stage column of the file) and by tier.

import { h, replace, fmt } from './dom.js';
import { valueCounts, isMissing } from './profile.js';

const STAGE_NAME = /stage|status|funnel|lifecycle/i;
const KNOWN_ORDER = [
  'awareness', 'interest', 'consideration', 'intent', 'evaluation', 'decision', 'action', 'purchase',
  'subscriber', 'lead', 'new', 'open', 'contacted', 'working', 'nurturing', 'mql', 'marketing qualified lead', 'sql',
  'sales qualified lead', 'qualified', 'opportunity', 'proposal', 'negotiation', 'customer', 'closed won', 'won', 'closed lost', 'lost',
];

/** The most likely stage column: a telling name with 2–12 distinct values. */
export function guessStage(headers, rows) {
  const sample = rows.slice(0, 2000);
  return headers.find((c, j) => STAGE_NAME.test(c) && (() => {
    const k = valueCounts(sample, j).filter(([v]) => !isMissing(v)).length;
    return k >= 2 && k <= 12;
  })()) || '';
}

/** Orders stage values: known funnel words first in funnel order, the rest by count. */
export function orderStages(counts) {
  const rank = (v) => {
    const i = KNOWN_ORDER.indexOf(v.trim().toLowerCase());
    return i < 0 ? Infinity : i;
  };
  return [...counts].sort((a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1]);
}

function barRow(label, count, total, rate, extra) {
  const share = total ? count / total : 0;
  const bar = h('div', { class: 'lf-bar' });
  bar.style.width = `${Math.max(0.5, share * 100)}%`;
  return h('tr', {},
    h('th', { scope: 'row' }, label),
    h('td', { class: 'lf-num' }, fmt.int(count)),
    h('td', {}, h('div', { class: 'lf-bar-track', 'aria-hidden': 'true' }, bar)),
    h('td', { class: 'lf-num' }, rate === undefined ? '—' : fmt.pct(rate)),
    extra === undefined ? null : h('td', { class: 'lf-num' }, extra));
}

function table(caption, head, rows) {
  return h('div', { class: 'lf-card lf-card__body' },
    h('table', { class: 'lf-table', 'data-testid': 'funnel-table' },
      h('caption', { class: 'lf-sr-only' }, caption),
      h('thead', {}, h('tr', {}, head.map((x, i) => h('th', { scope: 'col', class: i === 1 || i >= 3 ? 'lf-num' : null }, x)))),
      h('tbody', {}, rows)));
}

/** Draws the by-stage and by-tier tables into `host`. `labels`: 0/1/NaN per row or null. */
export function renderFunnel({ host, file, stage, tiers, tierOrder, labels }) {
  const n = file.rows.length;
  const blocks = [];
  const rate = (idx) => {
    if (!labels) return undefined;
    let pos = 0;
    let known = 0;
    for (const i of idx) if (!Number.isNaN(labels[i])) { known++; pos += labels[i]; }
    return known ? pos / known : undefined;
  };
  const groups = (keyOf) => {
    const g = new Map();
    for (let i = 0; i < n; i++) {
      const k = keyOf(i);
      if (!g.has(k)) g.set(k, []);
      g.get(k).push(i);
    }
    return g;
  };
  if (stage) {
    const j = file.headers.indexOf(stage);
    const g = groups((i) => (file.rows[i][j] ?? '').trim() || '(empty)');
    const ordered = orderStages([...g].map(([k, idx]) => [k, idx.length]));
    blocks.push(h('div', { class: 'lf-stack' }, h('h3', {}, `By stage (${stage})`),
      table(`Leads and conversion by ${stage}`, ['Stage', 'Leads', 'Share', 'Converted'], ordered.map(([k, c]) => barRow(k, c, n, rate(g.get(k)))))));
  } else {
    blocks.push(h('div', { class: 'lf-alert' }, h('p', {}, 'No stage column chosen: pick one above to see the funnel by stage.')));
  }
  const byTier = groups((i) => tiers[i]);
  const order = [...new Set([...tierOrder, ...byTier.keys()])].filter((t) => byTier.has(t));
  blocks.push(h('div', { class: 'lf-stack' }, h('h3', {}, 'By tier'),
    table('Leads and conversion by tier', ['Tier', 'Leads', 'Share', 'Converted'], order.map((t) => barRow(t === '' ? 'All leads (this engine build gives no tiers)' : `Tier ${t}`, byTier.get(t).length, n, rate(byTier.get(t)))))));
  if (!labels) blocks.push(h('p', { class: 'lf-help' }, 'Conversion needs the outcome column in the file.'));
  replace(host, blocks);
}
