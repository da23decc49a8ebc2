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
