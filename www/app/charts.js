// @ts-check
// Pure chart builders: arrays in, SVG trees out (see svg.js). No DOM, no data-dependent markup:
// labels are text children, so a feature named `<script>` is drawn as those characters.

import { s } from './svg.js';

export const COLORS = { brand: '#0176d3', second: '#dd7a01', third: '#2e844a', grid: '#e5e5e5', axis: '#747474', text: '#444444', weak: '#939393' };
const FONT = { 'font-size': 11, 'font-family': 'system-ui, sans-serif', fill: COLORS.text };
let uid = 0;

/** "Nice" tick values covering [min, max] (about `count` of them). */
export function ticks(min, max, count = 5) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max === min) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

/** A linear scale from a domain to a pixel range. */
export function scale([d0, d1], [r0, r1]) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

function frame({ width, height, title, description }, body) {
  const id = `lfc${++uid}`;
  return s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': `${id}t ${id}d`, class: 'lf-svg' },
    s('title', { id: `${id}t` }, title), s('desc', { id: `${id}d` }, description || title), body);
}

function axes({ x, y, xs, ys, width, height, m, xLabel, yLabel, xFormat, yFormat }) {
  const parts = [];
  for (const t of y) {
    parts.push(s('line', { x1: m.l, x2: width - m.r, y1: ys(t), y2: ys(t), stroke: COLORS.grid }));
    parts.push(s('text', { ...FONT, x: m.l - 6, y: ys(t) + 4, 'text-anchor': 'end' }, yFormat(t)));
  }
  for (const t of x) {
    parts.push(s('line', { x1: xs(t), x2: xs(t), y1: height - m.b, y2: height - m.b + 4, stroke: COLORS.axis }));
    parts.push(s('text', { ...FONT, x: xs(t), y: height - m.b + 16, 'text-anchor': 'middle' }, xFormat(t)));
  }
  parts.push(s('line', { x1: m.l, x2: width - m.r, y1: height - m.b, y2: height - m.b, stroke: COLORS.axis }));
  parts.push(s('line', { x1: m.l, x2: m.l, y1: m.t, y2: height - m.b, stroke: COLORS.axis }));
  if (xLabel) parts.push(s('text', { ...FONT, x: (m.l + width - m.r) / 2, y: height - 4, 'text-anchor': 'middle' }, xLabel));
  if (yLabel) parts.push(s('text', { ...FONT, x: 12, y: (m.t + height - m.b) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(m.t + height - m.b) / 2})` }, yLabel));
  return parts;
}

function legend(series, width, m) {
  let x = m.l;
  return series.filter((se) => se.name).map((se) => {
    const g = s('g', { transform: `translate(${x} 4)` },
      s('line', { x1: 0, x2: 16, y1: 6, y2: 6, stroke: se.color, 'stroke-width': 2, 'stroke-dasharray': se.dash }),
      s('text', { ...FONT, x: 20, y: 10 }, se.name));
    x += 28 + se.name.length * 6.2;
    return g;
  });
}

const pathOf = (pts, xs, ys) => pts.map(([px, py], i) => `${i ? 'L' : 'M'}${xs(px).toFixed(1)},${ys(py).toFixed(1)}`).join('');

/**
 * Line chart. `series`: [{ name, points: [[x, y]...], color?, dash?, markers? }].
 * Options: title, description, xLabel, yLabel, xDomain, yDomain, xFormat, yFormat, diagonal.
 */
export function lineChart(series, o = {}) {
  const width = o.width || 420;
  const height = o.height || 280;
  const m = { l: 48, r: 12, t: 24, b: 38 };
  const all = series.flatMap((se) => se.points);
  const ext = (k) => [Math.min(...all.map((p) => p[k])), Math.max(...all.map((p) => p[k]))];
  const xd = o.xDomain || (all.length ? ext(0) : [0, 1]);
  const yd = o.yDomain || (all.length ? ext(1) : [0, 1]);
  if (!o.yDomain && yd[0] === yd[1]) { yd[0] -= 0.5; yd[1] += 0.5; }
  const xs = scale(xd, [m.l, width - m.r]);
  const ys = scale(yd, [height - m.b, m.t]);
  const fx = o.xFormat || ((v) => String(v));
  const fy = o.yFormat || ((v) => String(v));
  const body = [...axes({ x: ticks(...xd, 5), y: ticks(...yd, 5), xs, ys, width, height, m, xLabel: o.xLabel, yLabel: o.yLabel, xFormat: fx, yFormat: fy })];
  if (o.diagonal) body.push(s('line', { x1: xs(xd[0]), y1: ys(yd[0]), x2: xs(xd[1]), y2: ys(yd[1]), stroke: COLORS.weak, 'stroke-dasharray': '4 4' }));
  series.forEach((se, i) => {
    const color = se.color || [COLORS.brand, COLORS.second, COLORS.third][i % 3];
    se.color = color;
    if (se.points.length) body.push(s('path', { d: pathOf(se.points, xs, ys), fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': se.dash, 'data-series': se.name || `s${i}` }));
    if (se.markers) for (const [px, py] of se.points) body.push(s('circle', { cx: xs(px).toFixed(1), cy: ys(py).toFixed(1), r: 3, fill: color }));
  });
  body.push(...legend(series, width, m));
  return frame({ width, height, title: o.title || 'Chart', description: o.description }, body);
}

/** ROC curve from [[fpr, tpr]...] (both 0..1), with the chance diagonal. */
export function rocChart(roc, auc, extra = []) {
  return lineChart([{ name: `Model (AUC ${auc.toFixed(3)})`, points: roc }, ...extra], {
    title: 'ROC curve', description: `True positive rate against false positive rate; area under the curve ${auc.toFixed(4)}.`,
    xLabel: 'False positive rate', yLabel: 'True positive rate', xDomain: [0, 1], yDomain: [0, 1], diagonal: true,
    xFormat: (v) => v.toFixed(1), yFormat: (v) => v.toFixed(1),
  });
}

/**
 * Cumulative gains: `gains` = cumulative share of conversions captured after each decile
 * (10 values, 0..1), optionally the rule-based baseline's.
 */
export function gainsChart(gains, baseline) {
  const pts = (g) => [[0, 0], ...g.map((v, i) => [((i + 1) * 100) / g.length, v * 100])];
  /** @type {any[]} */
  const series = [{ name: 'Model', points: pts(gains), markers: true }];
  if (baseline?.length) series.push({ name: 'Rule-based score', points: pts(baseline), color: COLORS.second, dash: '5 3' });
  series.push({ name: 'Random', points: [[0, 0], [100, 100]], color: COLORS.weak, dash: '4 4' });
  return lineChart(series, {
    title: 'Cumulative gains by decile', description: `Share of all conversions found when contacting the top-scored leads first; the top 10% of leads hold ${(gains[0] * 100).toFixed(0)}% of conversions.`,
    xLabel: 'Leads contacted, best scores first (%)', yLabel: 'Conversions found (%)', xDomain: [0, 100], yDomain: [0, 100],
    xFormat: (v) => `${v}`, yFormat: (v) => `${v}`,
  });
}

/** Vertical bars: `bars` = [{ label, value }]; `reference` draws a dashed line (e.g. lift 1). */
export function barChart(bars, o = {}) {
  const width = o.width || 420;
  const height = o.height || 280;
  const m = { l: 48, r: 12, t: 24, b: 38 };
  const max = Math.max(o.reference || 0, ...bars.map((b) => b.value), 1e-9);
  /** @type {[number, number]} */
  const yd = [0, max * 1.1];
  const ys = scale(yd, [height - m.b, m.t]);
  const bw = (width - m.l - m.r) / Math.max(1, bars.length);
  const fy = o.yFormat || ((v) => String(v));
  const body = [...axes({ x: [], y: ticks(...yd, 5), xs: (v) => v, ys, width, height, m, xLabel: o.xLabel, yLabel: o.yLabel, xFormat: String, yFormat: fy })];
  bars.forEach((b, i) => {
    const x = m.l + i * bw + bw * 0.15;
    const y = ys(b.value);
    body.push(s('rect', { x: x.toFixed(1), y: y.toFixed(1), width: (bw * 0.7).toFixed(1), height: Math.max(0, height - m.b - y).toFixed(1), fill: o.color || COLORS.brand },
      s('title', {}, `${b.label}: ${fy(b.value)}`)));
    body.push(s('text', { ...FONT, x: (x + bw * 0.35).toFixed(1), y: height - m.b + 16, 'text-anchor': 'middle' }, b.label));
  });
  if (o.reference !== undefined) body.push(s('line', { x1: m.l, x2: width - m.r, y1: ys(o.reference), y2: ys(o.reference), stroke: COLORS.second, 'stroke-dasharray': '5 3' }));
  return frame({ width, height, title: o.title || 'Bar chart', description: o.description }, body);
}

/** Lift by decile (10 values, ×), with the random baseline at 1. */
export function liftChart(lift) {
  return barChart(lift.map((v, i) => ({ label: `${i + 1}`, value: v })), {
    title: 'Lift by decile', description: `Conversion rate of each tenth of leads, best scores first, relative to the average; the top decile converts ${lift[0].toFixed(2)} times as often as a random lead.`,
    xLabel: 'Decile (1 = highest scores)', yLabel: 'Lift (×)', reference: 1, yFormat: (v) => v.toFixed(1),
  });
}

/** Calibration: bins [{ predicted, actual, count }], both 0..1, with the perfect diagonal. */
export function calibrationChart(bins) {
  const pts = bins.filter((b) => b.count > 0).map((b) => [b.predicted, b.actual]);
  return lineChart([{ name: 'Model', points: pts, markers: true }], {
    title: 'Calibration', description: 'Observed conversion rate against predicted probability, in bins; on the diagonal, a predicted 30% converts 30% of the time.',
    xLabel: 'Predicted probability', yLabel: 'Observed rate', xDomain: [0, 1], yDomain: [0, 1], diagonal: true,
    xFormat: (v) => v.toFixed(1), yFormat: (v) => v.toFixed(1),
  });
}

/** Horizontal bars for global importance: [{ feature, importance }] (largest first, top `limit`). */
export function importanceChart(items, limit = 12) {
  const top = [...items].sort((a, b) => b.importance - a.importance).slice(0, limit);
  const rowH = 22;
  const labelW = 170;
  const width = 420;
  const height = 24 + rowH * top.length + 24;
  const max = Math.max(...top.map((t) => t.importance), 1e-12);
  const xs = scale([0, max], [labelW, width - 50]);
  const body = [];
  top.forEach((t, i) => {
    const y = 20 + i * rowH;
    const label = t.feature.length > 26 ? `${t.feature.slice(0, 25)}…` : t.feature;
    body.push(s('text', { ...FONT, x: labelW - 6, y: y + 14, 'text-anchor': 'end' }, s('title', {}, t.feature), label));
    body.push(s('rect', { x: labelW, y: y + 3, width: Math.max(1, xs(t.importance) - labelW).toFixed(1), height: rowH - 8, fill: COLORS.brand, rx: 2 }));
    body.push(s('text', { ...FONT, x: (xs(t.importance) + 4).toFixed(1), y: y + 14 }, t.importance.toFixed(3)));
  });
  body.push(s('text', { ...FONT, x: labelW, y: height - 4 }, 'Mean |contribution| (log-odds)'));
  return frame({ width, height, title: 'What drives the score (global importance)', description: top.map((t) => `${t.feature} ${t.importance.toFixed(3)}`).join('; ') }, body);
}

/** Training curve: [{ round, trainLoss, validLoss? }]. */
export function lossChart(progress, totalRounds) {
  const train = progress.map((p) => [p.round, p.trainLoss]).filter((p) => Number.isFinite(p[1]));
  const valid = progress.map((p) => [p.round, p.validLoss]).filter((p) => Number.isFinite(p[1]));
  const series = [{ name: 'Validation loss', points: valid }, { name: 'Training loss', points: train, color: COLORS.weak, dash: '4 3' }];
  const ys = [...train, ...valid].map((p) => p[1]);
  return lineChart(series, {
    title: 'Loss during training', description: `Log loss after each round; ${valid.length ? `validation loss now ${valid.at(-1)[1].toFixed(4)}` : 'no validation loss yet'}.`,
    xLabel: 'Round', yLabel: 'Log loss', xDomain: [0, Math.max(1, totalRounds || progress.at(-1)?.round || 1)],
    yDomain: ys.length ? [Math.min(...ys) * 0.95, Math.max(...ys) * 1.02] : [0, 1], width: 760, height: 220,
    xFormat: (v) => String(Math.round(v)), yFormat: (v) => v.toFixed(3),
  });
}
