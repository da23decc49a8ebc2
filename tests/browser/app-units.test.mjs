// Unit tests of the web app's pure modules (no browser): CSV in/out (separator, BOM, Excel-safe
// cells), chart trees, the guesses, what a file is, words for people, time left, reasons in the
// direction of the score, and reading the engine's evaluation report (no metric is computed here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, toCsv, sniffDelimiter, decode, excelSafe, hasBom } from '../../www/app/csv.js';
import { guessTarget, guessPositives, valueCounts, orderReasons } from '../../www/leadforest/worker.js';
import { rocChart, gainsChart, importanceChart, lossChart, ticks } from '../../www/app/charts.js';
import { toMarkup } from '../../www/app/svg.js';
import { orderStages } from '../../www/app/funnel.js';
import { reportHtml } from '../../www/app/report.js';
import { sniff, notCsvMessage } from '../../www/app/sniff.js';
import { words, sentence } from '../../www/app/words.js';
import { remainingMs, duration, fractionOf } from '../../www/app/progress.js';
import { thresholdRow, reportWarnings, measuredOn, reportCharts } from '../../www/app/results.js';

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
  assert.equal(hasBom(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), true);
  assert.equal(hasBom(new Uint8Array([0x61])), false);
  assert.equal(decode(new Uint8Array([0x4d, 0xfc, 0x6c, 0x6c])), 'Müll');
  assert.deepEqual(parseCsv('x;y\n1;"2;3"\n', ';').rows, [['1', '2;3']]);
});

test('CSV out: the input\'s separator, line ending and BOM; formula cells neutralised unless raw', () => {
  assert.equal(excelSafe('=HYPERLINK("http://x","y")'), '\'=HYPERLINK("http://x","y")');
  assert.equal(excelSafe('+33 1 23'), '\'+33 1 23');
  assert.equal(excelSafe('@SUM(A1)'), '\'@SUM(A1)');
  assert.equal(excelSafe('-cmd'), '\'-cmd');
  assert.equal(excelSafe('-3.5'), '-3.5', 'a negative number stays a number');
  assert.equal(excelSafe('+1'), '+1');
  assert.equal(excelSafe('plain'), 'plain');
  assert.equal(excelSafe(''), '');
  const out = toCsv(['a', 'b'], [['=1+1', '2;3']], { delimiter: ';', newline: '\r\n', bom: true, safe: true });
  assert.equal(out, '\ufeffa;b\r\n\'=1+1;"2;3"\r\n');
  assert.equal(toCsv(['a'], [['=1+1']], { delimiter: ';' }), 'a\n=1+1\n', 'raw keeps the cell');
});

test('what a file is: model, workbook, PDF, binary, text', () => {
  const enc = (s) => new TextEncoder().encode(s);
  assert.equal(sniff(enc('LEADFRST\u0001\u0000rest')), 'model');
  assert.equal(sniff(new Uint8Array([0x50, 0x4b, 3, 4, 20, 0])), 'xlsx');
  assert.equal(sniff(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1])), 'xls');
  assert.equal(sniff(enc('%PDF-1.7\n')), 'pdf');
  assert.equal(sniff(new Uint8Array([1, 2, 0, 4])), 'binary');
  assert.equal(sniff(enc('a,b\n1,2\n')), 'text');
  assert.equal(sniff(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x3b, 0x62])), 'text');
  assert.match(notCsvMessage('leads.xlsx', 'xlsx'), /Excel workbook.*Save As › CSV/);
  assert.equal(notCsvMessage('a.csv', 'text'), null);
});

test('words for people: no backticks, no command lines, one full stop', () => {
  assert.equal(words('time-ordered split on `Created Date`'), 'time-ordered split on “Created Date”');
  assert.equal(words('the scores moved; consider retraining (`leadforest retrain`).'), 'the scores moved; consider retraining.');
  assert.equal(sentence('Done.'), 'Done.');
  assert.equal(sentence('Done..'), 'Done.');
  assert.equal(sentence('Done'), 'Done.');
  assert.equal(sentence('Really?'), 'Really?');
  assert.ok(!words('a `b` c').includes('`'));
});

test('time left: from the share done, else from the estimate; durations in words', () => {
  assert.equal(remainingMs(2000, 0.5, NaN), 2000);
  assert.equal(remainingMs(1000, NaN, 4000), 3000);
  assert.ok(Number.isNaN(remainingMs(1000, NaN, NaN)));
  assert.equal(duration(800), 'a moment');
  assert.equal(duration(4200), 'about 4 s');
  assert.equal(duration(150000), 'about 3 min');
  assert.equal(fractionOf({ done: 25, total: 100 }), 0.25);
  assert.equal(fractionOf({ stage: 'fold', fold: 2, folds: 4, round: 5, totalRounds: 10 }), 0.375);
});

test('reasons: pushes in the direction of the score first, strongest first', () => {
  const reasons = [
    { text: 'Trial Signup = Yes ↑', direction: 'up', contribution: 0.9 },
    { text: 'Lead Source = Cold Email ↓', direction: 'down', contribution: -1.4 },
    { text: 'Pages Viewed = 1 ↓', direction: 'down', contribution: -0.3 },
  ];
  const low = orderReasons(reasons, 'down');
  assert.deepEqual(low.map((r) => r.text), ['Lead Source = Cold Email', 'Pages Viewed = 1', 'Trial Signup = Yes']);
  const high = orderReasons(reasons, 'up');
  assert.deepEqual(high.map((r) => r.direction), ['up', 'down', 'down']);
  // without a direction the engine's order stays (the CLI's reason_1..k order)
  assert.deepEqual(orderReasons(reasons).map((r) => r.text), ['Trial Signup = Yes', 'Lead Source = Cold Email', 'Pages Viewed = 1']);
});

test('charts: labels are text children and markup escapes them', () => {
  const tree = importanceChart([{ feature: '<img src=x onerror=alert(1)>', importance: 0.5 }, { feature: 'Pages', importance: 0.25 }]);
  const markup = toMarkup(tree);
  assert.ok(!markup.includes('<img'), 'raw tag leaked into markup');
  assert.ok(markup.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.equal(tree.tag, 'svg');
  assert.equal(JSON.stringify(tree).match(/"rect"/g).length, 2);
  const roc = rocChart([[0, 0], [0.1, 0.6], [1, 1]], 0.87);
  const path = roc.children.find((c) => c.tag === 'path');
  assert.match(path.attrs.d, /^M48\.0,242\.0L/);
  assert.match(path.attrs.d, /L408\.0,24\.0$/);
  const gains = gainsChart([0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1]);
  assert.equal(gains.children.find((c) => c.tag === 'path' && c.attrs['data-series'] === 'Model').attrs.d.split('L').length, 11);
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const loss = lossChart([{ round: 1, trainLoss: 0.6, validLoss: 0.62 }, { round: 2, trainLoss: 0.5, validLoss: 0.55 }], 10);
  assert.equal(loss.children.filter((c) => c.tag === 'path').length, 2);
});

// A report as the engine gives it (Model.report, camelCase), cut down to what the app reads.
const REPORT = {
  rows: { kind: 'latest', rows: 1000, positives: 100, baseRate: 0.1, description: '1,000 held-out rows (the latest 20 % by `Created`)' },
  metrics: { auc: 0.981, prAuc: 0.7 },
  threshold: { threshold: 0.3075, rule: 'max-f1', words: 'best F1 on 1,000 held-out rows', at: { threshold: 0.3075, leads: 101, truePositives: 76, precision: 0.752, recall: 0.76, f1: 0.756 } },
  thresholds: [
    { threshold: 0.32, leads: 90, share: 0.09, truePositives: 70, precision: 0.78, recall: 0.7, f1: 0.74, lift: 7.8 },
    { threshold: 0.31, leads: 100, share: 0.1, truePositives: 75, precision: 0.75, recall: 0.75, f1: 0.75, lift: 7.5 },
    { threshold: 0.3, leads: 120, share: 0.12, truePositives: 80, precision: 0.67, recall: 0.8, f1: 0.73, lift: 6.7 },
  ],
  roc: [{ x: 0, y: 0 }, { x: 0.1, y: 0.8 }, { x: 1, y: 1 }],
  gains: Array.from({ length: 10 }, (_, i) => ({ bucket: i + 1, lift: 10 - i, cumulativeGain: Math.min(1, (i + 1) * 0.2) })),
  reliability: [{ lower: 0, upper: 0.1, rows: 800, meanPredicted: 0.03, observedRate: 0.02 }, { lower: 0.1, upper: 0.2, rows: 0, meanPredicted: 0, observedRate: 0 }],
  tiers: [{ name: 'A', leads: 100, positives: 75, conversion: 0.75 }],
  baselines: [{ name: 'model', auc: 0.981, prAuc: 0.7, topDecileLift: 7.5 }, { name: 'points', auc: 0.7, prAuc: 0.3, topDecileLift: 2.5 }],
  importance: [{ column: 'spend', importance: 2, share: 0.8 }, { column: 'visits', importance: 0.5, share: 0.2 }],
  importanceRows: 500,
};

test('the engine\'s report: the threshold row, the rows it was measured on, the warnings it calls for', () => {
  assert.equal(thresholdRow(REPORT, 0.31).f1, 0.75);
  assert.equal(thresholdRow(REPORT, 0.3075).f1, 0.756, 'the threshold in use: its own row');
  assert.equal(thresholdRow(REPORT, 0.304).threshold, 0.3);
  assert.equal(thresholdRow({ thresholds: [] }, 0.5), null);
  assert.equal(measuredOn(REPORT), '1,000 held-out rows (the latest 20 % by “Created”)');
  const w = reportWarnings(REPORT);
  assert.equal(w.length, 2);
  assert.match(w[0], /held-out AUC is 0\.981/);
  assert.match(w[1], /“spend”, carries 80%/);
  assert.deepEqual(reportWarnings({ ...REPORT, metrics: { auc: 0.8 }, importance: [{ column: 'a', share: 0.3 }] }), []);
  const charts = reportCharts(REPORT);
  assert.equal(charts.length, 5);
  for (const [, caption] of charts) assert.match(caption, /rows/);
});

test('guesses: target, positive value and funnel order', () => {
  const headers = ['Lead ID', 'Stage', 'Converted'];
  const rows = [['1', 'Interest', 'No'], ['2', 'Awareness', 'Yes'], ['3', 'Action', 'No']];
  assert.equal(guessTarget(headers, rows), 'Converted');
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
