// The JS package (www/leadforest/) in headless Chromium: every exported function with real
// assertions, errors that are JS Errors with the engine's message, and a module that keeps working
// after them; TrainingWorker's cancel path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serve, launch, openPage, ROOT } from './harness.mjs';

let server, browser, page, errors;
before(async () => {
  server = await serve();
  browser = await launch();
  ({ page, errors } = await openPage(browser));
  // A blank same-origin page (no favicon request) from which the package is imported.
  await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));
  await page.goto(`${server.url}/favicon.svg`);
  await page.evaluate(async () => {
    window.lf = await import('/leadforest/index.js');
    await Promise.all([window.lf.init(), window.lf.init()]);
  });
});
after(async () => { await browser?.close(); await server?.close(); });

const run = (fn, arg) => page.evaluate(fn, arg);

test('version is the crate version', async () => {
  const cargo = await readFile(path.join(ROOT, 'Cargo.toml'), 'utf8');
  assert.equal(await run(() => lf.version()), /^version = "([^"]+)"/m.exec(cargo)[1]);
});

test('demoCsv is seeded: same seed same text, other seed other text, defaults 1000 rows', async () => {
  const r = await run(() => {
    const a = lf.demoCsv(300, 5), b = lf.demoCsv(300, 5), c = lf.demoCsv(300, 6);
    const d = lf.demoCsv();
    return { same: a === b, differs: a !== c, lines: a.trimEnd().split('\n').length, defaults: d === lf.demoCsv(1000, 7), dLines: d.trimEnd().split('\n').length };
  });
  assert.deepEqual(r, { same: true, differs: true, lines: 301, defaults: true, dLines: 1001 });
});

test('summarizeCsv reads separator, headers and rows (BOM, CRLF, quotes)', async () => {
  const s = await run(() => lf.summarizeCsv(new TextEncoder().encode('\uFEFF"a";"b c"\r\n1;"x;\ny"\r\n2;z\r\n')));
  assert.deepEqual(s, { delimiter: ';', headers: ['a', 'b c'], rows: 2 });
});

test('profileCsv: kinds, exclusions, target classes and the leak flag on the demo data', async () => {
  const p = await run(() => lf.profileCsv(new TextEncoder().encode(lf.demoCsv(1500, 7)), { target: 'Converted' }));
  assert.equal(p.rows, 1500);
  assert.equal(p.target, 'Converted');
  assert.equal(p.columns.length, 18);
  const col = (n) => p.columns.find((c) => c.name === n);
  assert.equal(col('Lead ID').kind, 'identifier');
  assert.match(col('Email').kind, /^personal/);
  assert.deepEqual(col('Email').topValues, [], 'personal values must not be repeated');
  assert.ok(col('Email').excludedBecause);
  assert.equal(col('Pages Viewed').kind, 'numeric');
  assert.equal(col('Lead Source').excludedBecause, null);
  assert.equal(p.classes.reduce((n, c) => n + c.rows, 0), 1500);
  assert.ok(p.leaks.some((l) => l.column === 'Funnel Stage'), 'Funnel Stage leaks by design');
  const noTarget = await run(() => lf.profileCsv(new TextEncoder().encode('a,b\n1,x\n2,y\n')));
  assert.equal(noTarget.target, null);
  assert.deepEqual(noTarget.leaks, []);
});

test('errors are JS Errors with the engine message, and the module keeps working', async () => {
  const r = await run(() => {
    const caught = (f) => { try { f(); return null; } catch (e) { return { isError: e instanceof Error, message: e.message }; } };
    return {
      ragged: caught(() => lf.summarizeCsv(new TextEncoder().encode('a,b\n1,2\n3\n'))),
      empty: caught(() => lf.summarizeCsv(new Uint8Array(0))),
      tooMany: caught(() => lf.demoCsv(-1)),
      badTarget: caught(() => lf.profileCsv(new TextEncoder().encode('a,b\n1,2\n'), { target: 'c' })),
      typo: caught(() => lf.profileCsv(new TextEncoder().encode('a,b\n1,2\n'), { targt: 'a' })),
      badType: caught(() => lf.profileCsv(new TextEncoder().encode('a,b\n1,2\n'), { missing: 'Select' })),
      after: lf.summarizeCsv(new TextEncoder().encode(lf.demoCsv(20, 1))).rows,
    };
  });
  assert.equal(r.ragged.isError, true);
  assert.match(r.ragged.message, /row 2: has 1 fields, the header has 2/);
  assert.equal(r.empty.isError, true);
  assert.match(r.empty.message, /empty/);
  assert.match(r.tooMany.message, /rows must be between 0 and 1000000/);
  assert.match(r.badTarget.message, /no column `c` to predict: the columns are `a`, `b`/);
  assert.match(r.typo.message, /unknown field `targt`/);
  assert.match(r.badType.message, /invalid type: string "Select", expected a sequence/);
  assert.equal(r.after, 20);
});

const QUICK = { target: 'Converted', drop: ['Funnel Stage'], trees: 20, seed: 9 };

test('train on the main thread: progress, model round trip, scoring, explanations, metrics', async () => {
  const r = await run(async (opts) => {
    const csv = new TextEncoder().encode(lf.demoCsv(800, 4));
    const progress = [];
    const m = lf.train(csv, opts, (p) => progress.push(p));
    const bytes = m.toBytes();
    const back = lf.Model.fromBytes(bytes);
    const same = back.toBytes().every((b, i) => b === bytes[i]) && back.toBytes().length === bytes.length;
    const scored = m.scoreCsv(csv);
    const rec = { 'Lead Source': 'Referral', 'Pages Viewed': 20, 'Trial Signup': 'Yes', Country: null };
    const one = m.scoreRecord(rec);
    const many = m.scoreRecords([rec, {}]);
    const ex = m.explain(rec);
    const bulk = m.explainCsv(csv);
    const sum = ex.contributions.reduce((a, c) => a + c.contribution, 0);
    // probabilities are calibrated; SHAP explains the raw margin, which `explain` gives: the
    // bulk path's row must add up to the record path's margin for the same lead
    const lead = { 'Lead Source': 'Referral', 'Pages Viewed': '20', 'Trial Signup': 'Yes' };
    const oneRow = m.explainCsv(new TextEncoder().encode(`${Object.keys(lead).join(',')}\n${Object.values(lead).join(',')}\n`));
    let rowSum = oneRow.bias;
    for (let f = 0; f < oneRow.features.length; f++) rowSum += oneRow.contributions[f];
    const raw0 = m.explain(lead).raw;
    return {
      progress: progress.length, first: progress[0], same, magic: new TextDecoder().decode(bytes.slice(0, 8)),
      rows: scored.rows, typed: scored.probability instanceof Float64Array && scored.score instanceof Uint8Array,
      scoreOk: Array.from(scored.score).every((s, i) => s === Math.round(scored.probability[i] * 100)),
      one, many, additive: Math.abs(ex.bias + sum - ex.raw), bulkAdditive: Math.abs(rowSum - raw0),
      bulkShape: [bulk.rows, bulk.contributions.length / bulk.features.length],
      info: m.info, schema: m.schema, metrics: m.metrics,
    };
  }, QUICK);
  assert.ok(r.progress >= 20, `progress calls: ${r.progress}`);
  assert.deepEqual([r.first.round, r.first.totalRounds], [1, 20]);
  assert.equal(r.same, true);
  assert.equal(r.magic, 'LEADFRST');
  assert.equal(r.rows, 800);
  assert.equal(r.typed, true);
  assert.equal(r.scoreOk, true);
  assert.ok(r.one.probability > 0 && r.one.probability < 1);
  assert.equal(r.one.score, Math.round(r.one.probability * 100));
  assert.ok(r.one.reasons.length > 0 && r.one.reasons.every((x) => ['up', 'down'].includes(x.direction)));
  assert.ok(r.one.missing.includes('Industry') && !r.one.missing.includes('Lead Source') && r.one.missing.includes('Country'));
  assert.equal(r.many.length, 2);
  assert.equal(r.many[0].probability, r.one.probability);
  assert.ok(r.additive < 1e-9, `explanation off by ${r.additive}`);
  assert.ok(r.bulkAdditive < 1e-6, `bulk explanation off by ${r.bulkAdditive}`);
  assert.deepEqual(r.bulkShape, [800, 800]);
  assert.equal(r.info.algo, 'gbt');
  assert.equal(r.info.seed, 9);
  assert.equal(r.info.rows, 800);
  assert.ok(r.schema.columns.includes('Lead Source') && !r.schema.columns.includes('Funnel Stage'));
  assert.ok(r.metrics.validAuc > 0.5 && r.metrics.validAuc <= 1);
});

test('training and model errors are JS Errors; a throwing progress callback cancels; the module keeps working', async () => {
  const r = await run(() => {
    const csv = new TextEncoder().encode(lf.demoCsv(300, 4));
    const caught = (f) => { try { f(); return 'no error'; } catch (e) { return e instanceof Error ? e.message : `not an Error: ${e}`; } };
    return {
      target: caught(() => lf.train(csv, { target: 'Nope' })),
      typo: caught(() => lf.train(csv, { target: 'Converted', tress: 5 })),
      algo: caught(() => lf.train(csv, { target: 'Converted', algo: 'svm' })),
      stop: caught(() => lf.train(csv, { target: 'Converted', trees: 10 }, (p) => { if (p.round === 2) throw new Error('user stop'); })),
      corrupt: caught(() => lf.Model.fromBytes(new TextEncoder().encode('not a model'))),
      truncated: caught(() => lf.Model.fromBytes(lf.train(csv, { target: 'Converted', trees: 3 }).toBytes().slice(0, 40))),
      record: caught(() => lf.train(csv, { target: 'Converted', trees: 3 }).scoreRecord([1, 2])),
      after: lf.train(csv, { target: 'Converted', trees: 3 }).scoreCsv(csv).rows,
    };
  });
  assert.match(r.target, /no column `Nope` to predict/);
  assert.match(r.typo, /unknown field `tress`/);
  assert.match(r.algo, /unknown variant `svm`/);
  assert.equal(r.stop, 'user stop');
  assert.match(r.corrupt, /not a leadforest model file/);
  assert.notEqual(r.truncated, 'no error');
  assert.match(r.record, /expected an object/);
  assert.equal(r.after, 300);
});

test('TrainingWorker trains off the main thread: progress events, transferred bytes, the same model bytes', async () => {
  const r = await run(async (opts) => {
    const text = lf.demoCsv(800, 4);
    const here = lf.train(new TextEncoder().encode(text), opts).toBytes();
    const w = new lf.TrainingWorker();
    const bytes = new TextEncoder().encode(text);
    const progress = [];
    const model = await w.train(bytes, opts, (p) => progress.push(p.round));
    const there = model.toBytes();
    let failed = null;
    try { await w.train(new TextEncoder().encode('a,b\n1,2\n'), { target: 'zzz' }); } catch (e) { failed = e instanceof Error ? e.message : String(e); }
    const again = await w.train(new TextEncoder().encode(text), opts);
    w.terminate();
    return {
      same: here.length === there.length && here.every((b, i) => b === there[i]),
      againSame: again.toBytes().every((b, i) => b === here[i]),
      progress: progress.length, transferred: bytes.byteLength, failed,
    };
  }, QUICK);
  assert.equal(r.same, true, 'worker and main thread must give the same model bytes');
  assert.equal(r.againSame, true);
  assert.ok(r.progress >= 20, `progress events: ${r.progress}`);
  assert.equal(r.transferred, 0, 'the CSV buffer is transferred to the worker, not copied');
  assert.match(r.failed, /no column `zzz`/);
});

test('TrainingWorker.cancel stops a running training at once', async () => {
  const r = await run(async () => {
    const w = new lf.TrainingWorker();
    const csv = new TextEncoder().encode(lf.demoCsv(20000, 4));
    let rounds = 0;
    const started = performance.now();
    const pending = w.train(csv, { target: 'Converted', trees: 5000, earlyStopping: false }, (p) => {
      rounds = p.round;
      if (p.round === 3) w.cancel();
    });
    let message = null;
    try { await pending; } catch (e) { message = e instanceof Error ? e.message : `not an Error: ${e}`; }
    const ms = performance.now() - started;
    const after = await w.train(new TextEncoder().encode(lf.demoCsv(300, 1)), { target: 'Converted', trees: 3 });
    w.terminate();
    return { message, rounds, ms, after: after.info.trees };
  });
  assert.equal(r.message, 'training was cancelled');
  assert.ok(r.rounds >= 3 && r.rounds < 5000, `rounds seen: ${r.rounds}`);
  assert.equal(r.after, 3, 'a new worker starts after cancel');
});

test('TrainingWorker.cancel rejects the pending train with an Error and the worker can be reused', async () => {
  const r = await run(async () => {
    const w = new lf.TrainingWorker();
    const bytes = new TextEncoder().encode(lf.demoCsv(2000, 3));
    const pending = w.train(bytes, { target: 'Converted' });
    w.cancel();
    let message = null;
    try { await pending; } catch (e) { message = e instanceof Error ? e.message : `not an Error: ${e}`; }
    let busy = null;
    const second = w.train(new TextEncoder().encode('a,b\n1,2\n'), { target: 'b' });
    try { await w.train(new Uint8Array(1), { target: 'x' }); } catch (e) { busy = e.message; }
    w.terminate();
    let third = null;
    try { await second; } catch (e) { third = e.message; }
    return { message, busy, third };
  });
  assert.equal(r.message, 'training was cancelled');
  assert.match(r.busy, /already training/);
  assert.equal(r.third, 'training was cancelled');
  assert.deepEqual(errors, []);
});
