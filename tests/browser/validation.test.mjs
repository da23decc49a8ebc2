// Validation modes through the JS package in Node (WASM): TrainOptions.validation / folds /
// testFraction / rowsInTimeOrder, the Model's `validation` report (kept in the model file), fold
// progress, and errors that are JS Errors with the engine's message.
// Last, the app in headless Chromium: the validation radios and folds reach the engine, the
// progress label counts folds, and the results show the split and k-fold mean ± sd; the
// time-order checkbox and the test share reach the engine, each control disabled where it does
// not apply, and the summary names the time-ordered split (by the date column or by row order).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, openApp as open, WWW } from './harness.mjs';
import { parseCsv, toCsv } from '../../www/app/csv.js';

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

test('kfold: mean ± sd over the folds, every row tested once, each fold early-stopped on its own rows', () => {
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
  assert.ok(folds.every((p) => p.folds === 3));
  // Each fold's model early-stops on held-out rows of its own training folds (progress with a
  // validation loss), then is refit on all of them with the rounds it chose (no validation loss).
  for (const f of [1, 2, 3]) {
    const stopping = folds.filter((p) => p.fold === f && p.validLoss !== undefined && p.validLoss !== null);
    const refit = folds.filter((p) => p.fold === f && (p.validLoss === undefined || p.validLoss === null));
    assert.ok(stopping.length >= 1 && stopping.length <= base.trees, `fold ${f}: ${stopping.length}`);
    assert.ok(refit.length >= 1 && refit.length <= stopping.length, `fold ${f}: ${refit.length}`);
    assert.ok(refit.every((p) => p.totalRounds === refit.length), `fold ${f}`);
  }
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
  server ??= await serve();
  browser ??= await launch();
  const { page, errors } = await open(browser, server);
  const csv = Buffer.from(lf.demoCsv(700, 9));
  await page.setInputFiles('[data-testid=csv-input]', { name: 'leads.csv', mimeType: 'text/csv', buffer: csv });
  await page.waitForSelector('#profile-card:not([hidden])');
  await page.selectOption('[data-testid=target-select]', 'Converted');
  await page.waitForSelector('#profile-card:not([hidden])');
  assert.equal(await page.isDisabled('[data-testid=folds-input]'), true, 'folds only for k-fold');
  await page.check('input[name=validation][value=kfold]');
  assert.equal(await page.isDisabled('[data-testid=folds-input]'), false);
  assert.equal(await page.isDisabled('[data-testid=test-fraction-input]'), true, 'k-fold has no test share');
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
  await page.waitForFunction(() => /time-ordered split on “Created Date”/.test(document.querySelector('[data-testid=validation-summary]').textContent), null, { timeout: 120000 });
  assert.deepEqual(errors, []);
});

/** The app with `csv` opened and `Converted` chosen as the target. */
async function openApp(csv) {
  server ??= await serve();
  browser ??= await launch();
  const { page, errors } = await open(browser, server);
  await page.setInputFiles('[data-testid=csv-input]', { name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#profile-card:not([hidden])');
  await page.selectOption('[data-testid=target-select]', 'Converted');
  await page.waitForSelector('#profile-card:not([hidden])');
  return { page, errors };
}

/** Trains and waits for a validation summary matching `re`; returns its text. */
async function trainUntil(page, re) {
  await page.click('[data-testid=train-button]');
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid=validation-summary]').textContent), re.source, { timeout: 120000 });
  return page.textContent('[data-testid=validation-summary]');
}

test('app: time-ordered on the demo date column with a 25 % test share', async () => {
  const { page, errors } = await openApp(lf.demoCsv(700, 9));
  // The demo data has a date column: the engine orders by it, so the row-order box does not apply.
  assert.equal(await page.isDisabled('[data-testid=rows-in-time-order]'), true);
  assert.match(await page.textContent('#time-order-help'), /date column, “Created Date”/);
  assert.equal(await page.isDisabled('input[name=validation][value=time]'), false);
  assert.equal(await page.isDisabled('[data-testid=test-fraction-input]'), false);
  await page.check('input[name=validation][value=time]');
  await page.fill('[data-testid=test-fraction-input]', '25');
  assert.match(await page.textContent('#validation-help'), /measure on the newest 25% \(by “Created Date”\)/);
  const summary = await trainUntil(page, /time-ordered split/);
  assert.match(summary, /Validation: time-ordered split on “Created Date”: trained on 525 rows up to \d{4}-\d\d-\d\d, tested on the 175 latest rows \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\); AUC \d\.\d{3}\./);
  const options = await page.evaluate(() => window.leadforestApp.state.lastOptions);
  assert.equal(options.validation, 'time');
  assert.equal(options.testFraction, 0.25);
  assert.equal(options.rowsInTimeOrder, undefined);
  assert.equal((await page.evaluate(() => window.leadforestApp.state.model.validation)).testFraction, 0.25);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('app: an export without a date column — rows in time order enable the time split; k-fold shows mean ± sd', async () => {
  // The demo data without its date column, as many CRM exports come.
  const { headers, rows } = parseCsv(lf.demoCsv(700, 9));
  const drop = headers.indexOf('Created Date');
  assert.ok(drop >= 0);
  const csv = toCsv(headers.filter((_, j) => j !== drop), rows.map((r) => r.filter((_, j) => j !== drop)));
  const { page, errors } = await openApp(csv);
  assert.equal(await page.isDisabled('input[name=validation][value=time]'), true, 'no date column, no declared order');
  assert.equal(await page.isDisabled('[data-testid=rows-in-time-order]'), false);
  await page.check('[data-testid=rows-in-time-order]');
  assert.equal(await page.isDisabled('input[name=validation][value=time]'), false);
  await page.check('input[name=validation][value=time]');
  assert.match(await page.textContent('#validation-help'), /measure on the newest 20% \(the last rows of the file\)/);
  const summary = await trainUntil(page, /time-ordered split/);
  assert.match(summary, /Validation: time-ordered split on row order \(rows declared in time order\): trained on 560 rows up to row 560, tested on the 140 latest rows \(row 561 to row 700\); AUC \d\.\d{3}\./);
  const options = await page.evaluate(() => window.leadforestApp.state.lastOptions);
  assert.equal(options.rowsInTimeOrder, true);
  assert.equal(options.testFraction, undefined, 'the default share is the engine\'s own');
  // Unticking the box takes the time split away again (back to the engine default).
  await page.uncheck('[data-testid=rows-in-time-order]');
  assert.equal(await page.isDisabled('input[name=validation][value=time]'), true);
  assert.equal(await page.isChecked('input[name=validation][value=auto]'), true);
  // k-fold: the box and the test share do not apply, the folds do.
  await page.check('input[name=validation][value=kfold]');
  assert.equal(await page.isDisabled('[data-testid=rows-in-time-order]'), true);
  assert.equal(await page.isDisabled('[data-testid=test-fraction-input]'), true);
  await page.fill('[data-testid=folds-input]', '4');
  const kfold = await trainUntil(page, /4-fold cross validation/);
  assert.match(kfold, /AUC \d\.\d{3} ± \d\.\d{3} over 4 folds/);
  assert.match(kfold, /Mean ± sd over 4 folds: AUC \d\.\d{3} ± \d\.\d{3} · PR AUC /);
  assert.deepEqual(errors, []);
  await page.context().close();
});
