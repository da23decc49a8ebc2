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
