// The engine loads in a real browser, on the main thread and in a module Web Worker, and both
// compute the same summary of the demo CSV; no request leaves 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serve, launch, openPage, screenshot, WWW } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('wasm engine runs on the main thread and in a worker and agrees with the file', async () => {
  const { page, requests, errors } = await openPage(browser);
  await page.goto(`${server.url}/selftest.html`);
  await page.waitForFunction(() => window.selftest || document.querySelector('.bad'), null, { timeout: 30000 });
  const result = await page.evaluate(() => window.selftest);
  assert.ok(result, `self-test failed: ${await page.textContent('#status')} ${errors.join('\n')}`);

  const csv = await readFile(path.join(WWW, 'demo/leads.csv'), 'utf8');
  const lines = csv.trimEnd().split('\n');
  assert.equal(result.main.rows, lines.length - 1);
  assert.equal(result.main.headers.length, lines[0].split(',').length);
  assert.equal(result.main.headers.at(-1), 'Converted');
  assert.deepEqual(result.worker, result.main);
  const pkg = JSON.parse(await readFile(path.join(WWW, '../Cargo.toml'), 'utf8').then((t) => JSON.stringify({ v: /version = "([^"]+)"/.exec(t)[1] })));
  assert.equal(result.version, pkg.v);
  assert.match(await page.textContent('#status'), /^ok/);
  await screenshot(page, 'selftest');
  for (const url of requests) assert.ok(url.startsWith(server.url), `unexpected request ${url}`);
  assert.deepEqual(errors, []);
});

test('a malformed CSV throws a JS Error with the row named, and the module keeps working', async () => {
  const { page } = await openPage(browser);
  await page.goto(`${server.url}/selftest.html`);
  await page.waitForFunction(() => window.selftest, null, { timeout: 30000 });
  const out = await page.evaluate(async () => {
    const m = await import('./leadforest/index.js');
    let message = null;
    try { m.summarizeCsv(new TextEncoder().encode('a,b\n1,2\n3\n')); } catch (e) { message = e instanceof Error ? e.message : `not an Error: ${e}`; }
    const after = m.summarizeCsv(new TextEncoder().encode('x;y\n1;2\n'));
    return { message, after };
  });
  assert.match(out.message, /row 2/);
  assert.equal(out.after.rows, 1);
  assert.equal(out.after.delimiter, ';');
});
