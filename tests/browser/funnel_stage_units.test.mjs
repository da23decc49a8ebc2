// Unit tests of the funnel view's stage-model logic (Node, no browser): the funnel rows with
// drop-off, the stage model's training options, and reading a multi-class model's scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { funnelRows, stageTrainOptions, stageResultData } from '../../www/app/funnel.js';
import { predictStages as predict } from '../../www/leadforest/worker.js';

// The worker predicts (argmax per lead, actual stages); the funnel view counts and orders.
const predictStages = (model, file, stage) => stageResultData({ ...predict(model, file, stage), firstRows: [] });

test('funnel rows: counts in stage order, reached = this stage or later, conversion from the previous one', () => {
  // classes: 0 Action, 1 Awareness, 2 Decision, 3 Interest; funnel order 1, 3, 2, 0
  const rows = funnelRows([1, 3, 2, 0], [10, 40, 20, 30], [5, 50, 15, 30]);
  assert.deepEqual(rows.map((r) => r.class), [1, 3, 2, 0]);
  assert.deepEqual(rows.map((r) => r.actual), [40, 30, 20, 10]);
  assert.deepEqual(rows.map((r) => r.reachedActual), [100, 60, 30, 10]);
  assert.deepEqual(rows.map((r) => r.reachedPredicted), [100, 50, 20, 5]);
  assert.equal(rows[0].conversionActual, undefined);
  assert.equal(rows[1].conversionActual, 0.6);
  assert.equal(rows[2].conversionActual, 0.5);
  assert.ok(Math.abs(rows[3].conversionActual - 1 / 3) < 1e-12);
  assert.equal(rows[3].conversionPredicted, 0.25);
  // a stage nobody reached: no division by zero
  const empty = funnelRows([0, 1], [0, 0], [0, 0]);
  assert.equal(empty[1].conversionActual, undefined);
});

test('stage training options: the stage is the target, the outcome and exclusions are left out', () => {
  const headers = ['Lead ID', 'Funnel Stage', 'Converted', 'Pages'];
  const o = stageTrainOptions({ stage: 'Funnel Stage', outcome: 'Converted', excluded: ['Funnel Stage', 'Lead ID', 'Gone'], missing: ['Select'], headers });
  assert.equal(o.target, 'Funnel Stage');
  assert.deepEqual(o.drop, ['Converted', 'Lead ID']);
  assert.deepEqual(o.missing, ['Select']);
  assert.equal(o.excludeLeaky, true);
  // the stage column chosen as the outcome too: nothing to drop for it
  assert.deepEqual(stageTrainOptions({ stage: 'Funnel Stage', outcome: 'Funnel Stage', excluded: [], missing: [], headers }).drop, []);
});

test('predictStages: argmax per lead, actual stages matched case-insensitively, funnel order, held-out metrics', () => {
  const names = ['Action', 'Awareness', 'Interest'];
  const model = {
    schema: { classNames: names },
    metrics: { validMacroF1: 0.5, validMajorityMacroF1: 0.2, validAccuracy: 0.6, validMajorityAccuracy: 0.45, validRows: 40 },
    scoreCsv: () => ({
      rows: 4,
      classProbabilities: new Float64Array([
        0.2, 0.7, 0.1,
        0.1, 0.3, 0.6,
        0.5, 0.4, 0.1,
        0.3, 0.3, 0.4,
      ]),
    }),
  };
  const file = { bytes: new Uint8Array(), headers: ['id', 'Stage'], rows: [['1', 'awareness'], ['2', ' Interest '], ['3', ''], ['4', 'Unknown']] };
  const r = predictStages(model, file, 'Stage');
  assert.deepEqual([...r.predicted], [1, 2, 0, 2]);
  assert.deepEqual([...r.probability], [0.7, 0.6, 0.5, 0.4]);
  assert.deepEqual([...r.actual], [1, 2, -1, -1]);
  assert.deepEqual(r.actualCounts, [0, 1, 1]);
  assert.deepEqual(r.predictedCounts, [1, 1, 2]);
  assert.deepEqual(r.order.map((c) => names[c]), ['Awareness', 'Interest', 'Action']);
  assert.deepEqual(r.metrics, { macroF1: 0.5, majorityMacroF1: 0.2, accuracy: 0.6, majorityAccuracy: 0.45, rows: 40 });
  // a binary model has no per-class probabilities: a plain error, not a wrong funnel
  const binary = { schema: { classNames: ['No', 'Yes'] }, metrics: {}, scoreCsv: () => ({ rows: 4, probability: new Float64Array(4) }) };
  assert.throws(() => predictStages(binary, file, 'Stage'), /three or more stages/);
});
