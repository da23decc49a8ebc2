// The Salesforce wrapper: the real leadforestScore LWC (run by preview.html with shims for the
// Lightning runtime) reads a Lead through its getRecord wire, posts it to the framed card, and the
// card scores it (or, without an engine in this build, says so and shows no number).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, launch, openPage, screenshot, WWW } from './harness.mjs';

let server, browser;
let ENGINE_READY = false;
/** Whether this build's JS API can load models and scripts/build.sh made the demo model. */
async function engineReady() {
  if (!existsSync(path.join(WWW, 'demo/demo-model.lfm'))) return false;
  try {
    const api = await import(pathToFileURL(path.join(WWW, 'leadforest/index.js')).href);
    return typeof api.Model?.fromBytes === 'function';
  } catch {
    return false;
  }
}

before(async () => { ENGINE_READY = await engineReady(); server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('Salesforce LWC wrapper: the Lead from getRecord reaches the card and is scored', async () => {
  const lead = JSON.parse(await readFile(path.join(WWW, 'embed/sample-lead.json'), 'utf8'));
  const { page, requests, errors } = await openPage(browser);
  await page.goto(`${server.url}/embed/salesforce/preview.html`);
  await page.waitForFunction(() => window.lwcPreview, null, { timeout: 20000 });
  const frame = page.frameLocator('c-leadforest-score iframe');
  await frame.locator('leadforest-score .label').filter({ hasText: lead['Full Name'] }).waitFor({ timeout: 20000 });
  const card = page.frames().find((f) => f.url().endsWith('/embed/card.html'));
  await card.waitForFunction(() => ['scored', 'error', 'unavailable'].includes(document.querySelector('leadforest-score').state));
  const shown = await card.evaluate(() => {
    const w = document.querySelector('leadforest-score');
    return { state: w.state, record: w.record, result: w.result, score: w.shadowRoot.querySelector('.score-value').textContent };
  });
  // The wire's UI API record was mapped back to the model's column names; empty fields are null.
  assert.equal(shown.record['Lead Source'], lead['Lead Source']);
  assert.equal(shown.record['Pages Viewed'], lead['Pages Viewed']);
  assert.equal(shown.record['Created Date'], lead['Created Date']);
  assert.equal(shown.record.Industry, null);
  assert.equal(shown.record.Email, undefined, 'the default map does not send e-mail addresses');
  if (ENGINE_READY) {
    assert.equal(shown.state, 'scored');
    assert.equal(shown.score, String(Math.round(shown.result.score)));
    await page.waitForFunction((s) => document.querySelector('c-leadforest-score').summary.startsWith(`Score ${s} of 100`), shown.score);
    assert.deepEqual(errors, []);
  } else {
    // No engine, or no demo model built: a plain message and no number either way.
    assert.ok(['unavailable', 'error'].includes(shown.state), shown.state);
    assert.equal(shown.result, null);
    assert.equal(shown.score, '');
  }
  await screenshot(page, 'widget-salesforce-lwc');
  for (const url of requests) {
    if (url.startsWith('blob:')) continue;
    assert.ok(url.startsWith(`${server.url}/`), `request left the origin: ${url}`);
  }
  if (ENGINE_READY) {
    // The card in the LWC's frame loads the scoring-only engine, never the full one.
    const paths = requests.map((u) => (u.startsWith(`${server.url}/`) ? new URL(u).pathname : u));
    assert.ok(paths.includes('/leadforest/pkg/leadforest_score_bg.wasm'), `no scoring-only wasm fetched: ${paths}`);
    assert.ok(!paths.includes('/leadforest/pkg/leadforest_bg.wasm'), 'the card fetched the full engine');
  }
});
