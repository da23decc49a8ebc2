// Validation modes through the JS package in Node (WASM): TrainOptions.validation / folds /
// testFraction / rowsInTimeOrder, the Model's `validation` report (kept in the model file), fold
// progress, and errors that are JS Errors with the engine's message.
// Last, the app in headless Chromium: the validation radios and folds reach the engine, the
// progress label counts folds, and the results show the split and k-fold mean ± sd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, openPage, WWW } from './harness.mjs';

let lf, demo, server, browser;
const enc = new TextEncoder();
before(async () => {
  lf = await import(path.join(WWW, 'leadforest/index.js'));
  await lf.init();
  demo = enc.encode(lf.demoCsv(900, 4));
});
after(async () => { await browser?.close(); await server?.close(); });

// Funnel Stage settles the outcome in the demo data (src/demo.rs): left out, so folds differ.
const base = { target: 'Converted', trees: 15, seed: 3, drop: ['Funnel Stage'] };

test('auto on the demo data is the time-ordered split on its created date', () => {
  const m = lf.train(demo, base);
  const v = m.validation;
  assert.equal(v.requested, 'auto');
  assert.equal(v.mode, 'time');
  assert.equal(v.dateColumn, 'Created Date');
  assert.equal(v.trainRows + v.testRows, 900);
  assert.equal(v.testRows, 180);
  assert.match(v.trainEnd, /^\d{4}-\d\d-\d\d$/);
  assert.ok(v.trainEnd <= v.testStart && v.testStart <= v.testEnd, JSON.stringify(v));
  assert.ok(v.auc > 0.5 && v.auc <= 1, String(v.auc));
  assert.match(v.summary, /time-ordered split on `Created Date`/);
  // Kept in the model file.
  const back = lf.Model.fromBytes(m.toBytes());
  assert.deepEqual(back.validation, v);
});

test('holdout and testFraction: a random 30 % whatever the dates', () => {
  const v = lf.train(demo, { ...base, validation: 'holdout', testFraction: 0.3 }).validation;
  assert.equal(v.mode, 'holdout');
  assert.equal(v.testRows, 270);
  assert.equal(v.dateColumn, undefined);
  assert.equal(v.testFraction, 0.3);
});

test('kfold: mean ± sd over the folds, every row tested once, fold × round progress', () => {
  const seen = [];
  const m = lf.train(demo, { ...base, validation: 'kfold', folds: 3 }, (p) => seen.push(p));
  const v = m.validation;
  assert.equal(v.mode, 'kfold');
  assert.equal(v.folds, 3);
  assert.equal(v.perFold.length, 3);
  assert.equal(v.perFold.reduce((s, f) => s + f.testRows, 0), 900);
  const mean = v.perFold.reduce((s, f) => s + f.auc, 0) / 3;
  assert.ok(Math.abs(v.auc - mean) < 1e-12);
  assert.ok(v.aucSd > 0 && typeof v.brierSd === 'number' && typeof v.logLossSd === 'number' && typeof v.prAucSd === 'number');
  assert.match(v.summary, /AUC \d\.\d{3} ± \d\.\d{3} over 3 folds/);
  const folds = seen.filter((p) => p.stage === 'fold');
  assert.deepEqual([...new Set(folds.map((p) => p.fold))], [1, 2, 3]);
  assert.ok(folds.every((p) => p.folds === 3 && p.totalRounds === m.info.rounds));
  assert.equal(folds.length, 3 * m.info.rounds);
  // k-fold changes the report, not the model: same trees as auto.
  const auto = lf.train(demo, base);
  assert.deepEqual(auto.scoreCsv(demo).probability, m.scoreCsv(demo).probability);
});

test('time without a date column, bad folds and bad modes are Errors with the reason', () => {
  const noDate = enc.encode('a,b,y\n' + Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 3},${i % 2 ? 'yes' : 'no'}`).join('\n'));
  assert.throws(() => lf.train(noDate, { target: 'y', validation: 'time' }), /needs a date column/);
  const ok = lf.train(noDate, { target: 'y', trees: 5, validation: 'time', rowsInTimeOrder: true }).validation;
  assert.equal(ok.mode, 'time');
  assert.equal(ok.testStart, 'row 49');
  assert.throws(() => lf.train(demo, { ...base, validation: 'kfold', folds: 30 }), /folds.*2\.\.=20/);
  assert.throws(() => lf.train(demo, { ...base, validation: 'sometimes' }), /validation.*auto, holdout, time or kfold/);
  assert.throws(() => lf.train(demo, { ...base, fold: 3 }), /unknown field `fold`/);
  // The module keeps working after the errors.
  assert.equal(lf.train(demo, { ...base, trees: 3 }).validation.mode, 'time');
});

test('app: k-fold radio + folds train in the worker, show fold progress and mean ± sd', async () => {
  server = await serve();
  browser = await launch();
  const { page, errors } = await openPage(browser);
  await page.goto(`${server.url}/index.html`);
  await page.waitForSelector('body[data-ready]', { timeout: 30000 });
  const csv = Buffer.from(lf.demoCsv(700, 9));
  await page.setInputFiles('[data-testid=csv-input]', { name: 'leads.csv', mimeType: 'text/csv', buffer: csv });
  await page.waitForSelector('#profile-card:not([hidden])');
  await page.selectOption('[data-testid=target-select]', 'Converted');
  await page.waitForSelector('#profile-card:not([hidden])');
  assert.equal(await page.isVisible('[data-testid=folds-input]'), false, 'folds only for k-fold');
  await page.check('input[name=validation][value=kfold]');
  await page.fill('[data-testid=folds-input]', '3');
  // Record every progress label while training.
  await page.evaluate(() => {
    window.labels = new Set();
    new MutationObserver(() => window.labels.add(document.getElementById('progress-label').textContent))
      .observe(document.getElementById('progress-label'), { childList: true, characterData: true, subtree: true });
  });
  await page.click('[data-testid=train-button]');
  await page.waitForSelector('[data-testid=validation-summary]:not([hidden])', { timeout: 120000 });
  const summary = await page.textContent('[data-testid=validation-summary]');
  assert.match(summary, /3-fold cross validation/);
  assert.match(summary, /AUC \d\.\d{3} ± \d\.\d{3} over 3 folds/);
  assert.match(summary, /Mean ± sd over 3 folds: AUC .* · PR AUC .* · log loss .* · Brier /);
  const labels = await page.evaluate(() => [...window.labels]);
  // Labels are drawn once per animation frame, so a short fold may be skipped: at least one shows.
  assert.ok(labels.some((l) => /cross-validation: fold [123] of 3, round \d+ of \d+/.test(l)), `fold progress: ${labels.slice(-5).join(' | ')}`);
  // The existing tiles still show the final model's held-out AUC.
  assert.match(await page.textContent('[data-testid=metric-auc]'), /^\d\.\d{4}$/);
  // Back to the default: the time-ordered split on the demo's date is named.
  await page.check('input[name=validation][value=auto]');
  await page.click('[data-testid=train-button]');
  await page.waitForFunction(() => /time-ordered split on `Created Date`/.test(document.querySelector('[data-testid=validation-summary]').textContent), null, { timeout: 120000 });
  assert.deepEqual(errors, []);
});
