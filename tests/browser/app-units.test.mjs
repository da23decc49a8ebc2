// Unit tests of the web app's pure modules (no browser): CSV in/out, chart trees, threshold
// figures, the engine-result readers and the profile guesses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, toCsv, sniffDelimiter, decode } from '../../www/app/csv.js';
import { rocChart, gainsChart, importanceChart, lossChart, ticks } from '../../www/app/charts.js';
import { toMarkup } from '../../www/app/svg.js';
import { ThresholdTable, countBy, rocAuc, rocCurve, cumulativeGains, calibration, labelled } from '../../www/app/evaluate.js';
import { readMetrics, readScore, gainsValues, liftValues } from '../../www/app/normalize.js';
import { guessPositives, guessTarget, valueCounts, readProfile } from '../../www/app/profile.js';
import { orderStages } from '../../www/app/funnel.js';
import { reportHtml } from '../../www/app/report.js';

test('CSV: quotes, embedded separators/newlines/quotes, CRLF and blank lines round-trip', () => {
  const text = 'a,b,c\r\n1,"x, y","he said ""hi"""\r\n\r\n2,"line1\nline2",\n';
  const { headers, rows } = parseCsv(text);
  assert.deepEqual(headers, ['a', 'b', 'c']);
  assert.deepEqual(rows, [['1', 'x, y', 'he said "hi"'], ['2', 'line1\nline2', '']]);
  assert.deepEqual(parseCsv(toCsv(headers, rows)), { headers, rows });
});

test('CSV: separator sniffing ignores quoted separators; BOM stripped; Latin-1 fallback', () => {
  assert.equal(sniffDelimiter('"a,b";c;d\n1;2;3'), ';');
  assert.equal(sniffDelimiter('a\tb\tc\n'), '\t');
  assert.equal(decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
  assert.equal(decode(new Uint8Array([0x4d, 0xfc, 0x6c, 0x6c])), 'Müll');
  const semi = parseCsv('x;y\n1;"2;3"\n', ';');
  assert.deepEqual(semi.rows, [['1', '2;3']]);
});

test('charts: labels are text children and markup escapes them', () => {
  const tree = importanceChart([{ feature: '<img src=x onerror=alert(1)>', importance: 0.5 }, { feature: 'Pages', importance: 0.25 }]);
  const markup = toMarkup(tree);
  assert.ok(!markup.includes('<img'), 'raw tag leaked into markup');
  assert.ok(markup.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.equal(tree.tag, 'svg');
  assert.equal(tree.attrs.role, 'img');
  const bars = JSON.stringify(tree).match(/"rect"/g).length;
  assert.equal(bars, 2);
});

test('charts: ROC path spans the plot from (0,0) to (1,1); gains start at the origin', () => {
  const tree = rocChart([[0, 0], [0.1, 0.6], [1, 1]], 0.87);
  const path = tree.children.find((c) => c.tag === 'path');
  assert.match(path.attrs.d, /^M48\.0,242\.0L/);
  assert.match(path.attrs.d, /L408\.0,24\.0$/);
  const gains = gainsChart([0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1]);
  const model = gains.children.find((c) => c.tag === 'path' && c.attrs['data-series'] === 'Model');
  assert.equal(model.attrs.d.split('L').length, 11);
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const loss = lossChart([{ round: 1, trainLoss: 0.6, validLoss: 0.62 }, { round: 2, trainLoss: 0.5, validLoss: 0.55 }], 10);
  assert.equal(loss.children.filter((c) => c.tag === 'path').length, 2);
});

test('threshold table: precision/recall/F1 by hand', () => {
  const t = new ThresholdTable([0.9, 0.8, 0.7, 0.3, 0.2], [1, 0, 1, 1, 0]);
  const r = t.at(0.5);
  assert.equal(r.predictedPositive, 3);
  assert.equal(r.truePositive, 2);
  assert.equal(r.precision, 2 / 3);
  assert.equal(r.recall, 2 / 3);
  assert.ok(Math.abs(r.f1 - 2 / 3) < 1e-12);
  assert.equal(t.at(0.95).predictedPositive, 0);
  assert.equal(t.at(0).recall, 1);
  assert.deepEqual([...countBy(['B', 'A', 'B'], ['A', 'B', 'C'])], [['A', 1], ['B', 2], ['C', 0]]);
});

test('readers: metrics and scores from the engine, missing figures stay missing', () => {
  const m = readMetrics({ auc: 0.81234, prAuc: 0.5, roc: [[0, 0], [1, 1]], gains: [{ cumulativeGain: 0.3, lift: 3 }, { cumulativeGain: 1, lift: 0.7 }] });
  assert.equal(m.auc, 0.81234);
  assert.deepEqual(m.roc, [[0, 0], [1, 1]]);
  assert.deepEqual(m.gains, [0.3, 1]);
  assert.deepEqual(m.decileLift, [3, 0.7]);
  assert.equal(m.calibration, undefined);
  assert.equal(m.rule.auc, undefined);
  assert.deepEqual(gainsValues([0, 30, 100].concat(Array(8).fill(100))).length, 10);
  assert.deepEqual(liftValues([0.2, 0.4, 0.6, 0.8, 1]).map((x) => Math.round(x * 10) / 10), [1, 1, 1, 1, 1]);
  const s = readScore({ probability: 0.7, score: 70, tier: 'A', reasons: [{ text: 'Trial Signup = Yes', direction: 'up', contribution: 1.2 }, { text: 'Seniority = Student', direction: 'down', contribution: -0.9 }] });
  assert.equal(s.tier, 'A');
  assert.deepEqual(s.reasons.map((r) => r.direction), ['up', 'down']);
});

test('guesses: target, positive value and funnel order', () => {
  const headers = ['Lead ID', 'Stage', 'Converted'];
  const rows = [['1', 'Interest', 'No'], ['2', 'Awareness', 'Yes'], ['3', 'Action', 'No']];
  assert.equal(guessTarget(headers, rows, null), 'Converted');
  assert.deepEqual(guessPositives(valueCounts(rows, 2)), ['Yes']);
  assert.deepEqual(guessPositives([['lost', 9], ['won', 1]]), ['won']);
  assert.deepEqual(guessPositives([['a', 9], ['b', 1]]), ['b']);
  assert.deepEqual(orderStages([['Action', 1], ['Awareness', 5], ['Weird', 2], ['Interest', 3]]).map((x) => x[0]), ['Awareness', 'Interest', 'Action', 'Weird']);
});

test('report: one self-contained page, values escaped, no script', () => {
  const html = reportHtml({ title: 'Report <script>alert(1)</script>', subtitle: 's', facts: [['AUC', '0.8']], charts: [rocChart([[0, 0], [1, 1]], 0.5)], tiers: [['A', '1', '10%']] });
  assert.ok(!/<script/i.test(html));
  assert.ok(html.includes('&lt;script&gt;'));
  assert.ok(html.includes('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(!/(src|href)=["']?https?:/i.test(html));
});

test('profile reader: the library field names map to the card fields', () => {
  const p = readProfile({
    rows: 3, notes: ['Latin-1 fallback'], leaks: [{ column: 'Tags', message: 'Tags predicts the outcome almost perfectly' }],
    columns: [
      { name: 'Email', kind: 'personal', missingPct: 0, cardinality: 3, topValues: [{ value: 'a@b.c', rows: 1 }], excludedBecause: 'personal data' },
      { name: 'Tags', kind: 'categorical', missingPct: 10, cardinality: 2, topValues: [] },
    ],
  });
  assert.deepEqual(p.warnings, ['Latin-1 fallback']);
  assert.equal(p.columns[0].excluded, true);
  assert.equal(p.columns[0].reason, 'personal data');
  assert.equal(p.columns[0].topValues[0].count, 1);
  assert.equal(p.columns[1].excluded, false);
  assert.equal(p.columns[1].leak, 'Tags predicts the outcome almost perfectly');
});

test('evaluation on labelled rows: AUC with ties, ROC ends, gains, calibration by hand', () => {
  const p = [0.9, 0.8, 0.8, 0.3, 0.2];
  const y = [1, 0, 1, 1, 0];
  // positive/negative pairs ranked right: (0.9>0.8,0.2), (0.8 tie 0.8 = ½, >0.2), (0.3<0.8, >0.2) = 4.5 of 6
  assert.equal(rocAuc(p, y), 4.5 / 6);
  const roc = rocCurve(p, y);
  assert.deepEqual(roc[0], [0, 0]);
  assert.deepEqual(roc.at(-1), [1, 1]);
  assert.deepEqual(cumulativeGains(p, y, 5), [1 / 3, 1 / 3, 2 / 3, 1, 1]);
  const cal = calibration([0.05, 0.15, 0.95, 0.91], [0, 1, 1, 1], 10);
  assert.deepEqual(cal.map((b) => b.count), [1, 1, 2]);
  assert.equal(cal[2].actual, 1);
  assert.deepEqual(labelled([0.1, NaN, 0.3], [1, 0, NaN]), { p: [0.1], y: [1] });
});
