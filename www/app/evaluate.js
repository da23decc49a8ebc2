// Threshold-dependent figures from real predictions (probabilities + 0/1 labels), so the
// threshold slider can update precision, recall and F1 without another engine call.

/** Sorts once; then `at(t)` is O(log n). */
export class ThresholdTable {
  /** `probs`: Float64Array-like 0..1; `labels`: 0/1 of the same length. */
  constructor(probs, labels) {
    const n = probs.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[b] - probs[a]);
    this.sorted = Float64Array.from(order, (i) => probs[i]);
    this.cumPos = new Float64Array(n + 1);
    for (let k = 0; k < n; k++) this.cumPos[k + 1] = this.cumPos[k] + (labels[order[k]] ? 1 : 0);
    this.positives = this.cumPos[n];
    this.n = n;
  }

  /** Number of predictions ≥ t. */
  countAbove(t) {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid] >= t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** { threshold, predictedPositive, truePositive, precision, recall, f1 } at probability ≥ t. */
  at(t) {
    const k = this.countAbove(t);
    const tp = this.cumPos[k];
    const precision = k ? tp / k : NaN;
    const recall = this.positives ? tp / this.positives : NaN;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { threshold: t, predictedPositive: k, truePositive: tp, precision, recall, f1 };
  }
}

/** Counts per value of `values` (e.g. tiers), in first-seen order unless `order` is given. */
export function countBy(values, order) {
  const counts = new Map((order || []).map((k) => [k, 0]));
  for (const v of values) counts.set(v, (counts.get(v) || 0) + 1);
  return counts;
}

/** Pairs with a known label (NaN labels and non-finite probabilities dropped). */
export function labelled(probs, labels) {
  const p = [];
  const y = [];
  for (let i = 0; i < probs.length; i++) {
    if (Number.isFinite(probs[i]) && (labels[i] === 0 || labels[i] === 1)) { p.push(probs[i]); y.push(labels[i]); }
  }
  return { p, y };
}

/** ROC AUC with ties averaged (Mann–Whitney). */
export function rocAuc(p, y) {
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]] === p[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]]) { rankSum += rank; pos++; }
    i = j + 1;
  }
  const neg = order.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}

/** ROC points [[fpr, tpr]] at each distinct threshold, at most ~200 points. */
export function rocCurve(p, y) {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
  const pos = y.reduce((a, b) => a + b, 0);
  const neg = y.length - pos;
  if (!pos || !neg) return [];
  const pts = [[0, 0]];
  let tp = 0;
  let fp = 0;
  const step = Math.max(1, Math.floor(order.length / 200));
  for (let i = 0; i < order.length; i++) {
    if (y[order[i]]) tp++; else fp++;
    const last = i === order.length - 1 || p[order[i + 1]] !== p[order[i]];
    if (last && (i % step === 0 || i === order.length - 1)) pts.push([fp / neg, tp / pos]);
  }
  return pts;
}

/** Cumulative share of positives captured after each of `k` equal slices, best scores first. */
export function cumulativeGains(p, y, k = 10) {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
  const pos = y.reduce((a, b) => a + b, 0);
  const out = [];
  let tp = 0;
  let i = 0;
  for (let d = 1; d <= k; d++) {
    const end = Math.round((order.length * d) / k);
    for (; i < end; i++) tp += y[order[i]];
    out.push(pos ? tp / pos : NaN);
  }
  return out;
}

/** Reliability bins over [0, 1]: mean predicted vs observed rate, empty bins dropped. */
export function calibration(p, y, bins = 10) {
  const acc = Array.from({ length: bins }, () => ({ sp: 0, sy: 0, count: 0 }));
  p.forEach((v, i) => {
    const b = acc[Math.min(bins - 1, Math.floor(v * bins))];
    b.sp += v; b.sy += y[i]; b.count++;
  });
  return acc.filter((b) => b.count).map((b) => ({ predicted: b.sp / b.count, actual: b.sy / b.count, count: b.count }));
}
