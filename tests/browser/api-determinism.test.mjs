// Determinism across platforms, part 2 of 2: the quick suite subsets of
// tests/data/wasm_determinism.json trained with the JS API in WASM under Node and in headless
// Chromium give model files with the FNV-1a hashes that tests/wasm_determinism.rs pins for the
// native build — the same model bytes natively, in Node and in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { serve, launch, openPage, ROOT, WWW } from './harness.mjs';

const pinned = JSON.parse(await readFile(path.join(ROOT, 'tests/data/wasm_determinism.json'), 'utf8'));

async function subset(file, rows) {
  const dir = [path.resolve(ROOT, '../shared/datasets'), path.resolve(ROOT, '../../shared/datasets')].find(existsSync);
  assert.ok(dir, 'suite datasets not found in ../shared/datasets (CI has ../shared beside the clone)');
  const bytes = await readFile(path.join(dir, file));
  let seen = 0;
  let end = bytes.length;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10 && seen++ === rows) { end = i + 1; break; }
  return bytes.subarray(0, end);
}

function fnv(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

for (const [name, c] of Object.entries(pinned)) {
  test(`${name}: WASM in Node and in Chromium trains the same model bytes as native`, async () => {
    const csv = await subset(c.file, c.rows);
    const lf = await import(path.join(WWW, 'leadforest/index.js'));
    await lf.init();
    const node = lf.train(csv, c.options).toBytes();
    assert.equal(fnv(node), c.fnv, `${name}: Node WASM bytes differ from native`);

    const { page } = await openPage(browser);
    await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));
    await page.goto(`${server.url}/favicon.svg`);
    const chromium = await page.evaluate(async ({ text, options }) => {
      const m = await import('/leadforest/index.js');
      await m.init();
      return Array.from(m.train(new TextEncoder().encode(text), options).toBytes());
    }, { text: new TextDecoder().decode(csv), options: c.options });
    assert.equal(chromium.length, node.length);
    assert.equal(fnv(Uint8Array.from(chromium)), c.fnv, `${name}: Chromium WASM bytes differ from native`);
  });
}
