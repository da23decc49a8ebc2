// The drift panel in headless Chromium: load the demo model, drop newer leads, read PSI per
// column and for the score with plain-word levels; CSV-derived text stays text; models without a
// training profile get a clear error; no request leaves the page's origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serve, launch, openApp, screenshot, WWW, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const HOSTILE = '<img src=x onerror=alert(1)>';

/** The demo leads with every `Lead Source` replaced by text the model never saw. */
function shifted(csv) {
  const [header, ...lines] = csv.trim().split('\n');
  const col = header.split(',').indexOf('Lead Source');
  assert.ok(col >= 0);
  return [header, ...lines.map((l) => {
    const cells = l.split(',');
    cells[col] = HOSTILE;
    return cells.join(',');
  })].join('\n');
}

async function rows(page) {
  return page.$$eval('[data-testid=drift-table] tbody tr', (trs) => trs.map((tr) => ({
    level: tr.dataset.level,
    cells: [...tr.children].map((c) => c.textContent),
  })));
}

test('drift panel: PSI per column and for the score, in plain words', async () => {
  const { page, errors, requests } = await openApp(browser, server);
  assert.equal(await page.isHidden('[data-testid=drift-panel]'), true, 'no model yet: no drift panel');
  const model = await readFile(path.join(WWW, 'demo/demo-model.lfm'));
  await page.setInputFiles('[data-testid=model-input]', { name: 'demo-model.lfm', mimeType: 'application/octet-stream', buffer: model });
  await page.waitForSelector('[data-testid=drift-panel]:not([hidden])');

  // The model's own training leads: every column and the score are stable (PSI 0).
  const leads = await readFile(path.join(WWW, 'demo/leads.csv'), 'utf8');
  await page.setInputFiles('[data-testid=drift-input]', { name: 'same.csv', mimeType: 'text/csv', buffer: Buffer.from(leads) });
  await page.waitForSelector('[data-testid=drift-table]');
  const same = await rows(page);
  assert.ok(same.length >= 10, `${same.length} rows`);
  assert.match(same[0].cells[0], /^Score/);
  for (const r of same) {
    assert.equal(r.level, 'stable', r.cells.join(' | '));
    assert.equal(r.cells[1], '0.000');
    assert.equal(r.cells[2], 'stable');
  }

  // The leads carry outcomes: the outcome card compares their conversion rate with training's.
  const [head, ...body] = leads.trim().split('\n');
  const target = head.split(',').indexOf('Converted');
  const yes = body.filter((l) => l.split(',')[target] === 'Yes').length;
  const outcome = await page.textContent('[data-testid=drift-outcome]');
  assert.ok(outcome.includes(`Outcomes (Converted): ${(100 * yes / body.length).toFixed(1)}% of the ${body.length} new leads`), outcome);
  assert.match(outcome, /against [\d.]+% in training; the model expects [\d.]+%/);
  assert.equal(await page.getAttribute('[data-testid=drift-outcome]', 'data-level'), 'stable');
  assert.equal(await page.$('[data-testid=drift-unused]'), null, 'the demo data has no constant column');

  // A new lead source nobody trained on (hostile text as the value, and as the file name).
  await page.setInputFiles('[data-testid=drift-input]', { name: `${HOSTILE}.csv`, mimeType: 'text/csv', buffer: Buffer.from(shifted(leads)) });
  await page.waitForFunction(() => document.querySelector('[data-testid=drift-table] tbody tr:nth-child(2)')?.dataset.level === 'major');
  const moved = await rows(page);
  const source = moved.find((r) => r.cells[0] === 'Lead Source');
  assert.equal(source.level, 'major');
  assert.equal(source.cells[2], 'major shift');
  assert.ok(Number(source.cells[1]) > 0.25, source.cells[1]);
  assert.match(source.cells[3], /→ 100\.0%/);
  assert.equal(moved[1].cells[0], 'Lead Source', 'largest PSI first after the score');
  const summary = await page.textContent('[data-testid=drift-summary]');
  assert.ok(summary.includes(`${HOSTILE}.csv`), summary);
  assert.match(summary, /shifted a lot \(“Lead Source”\)/); // the engine's `…` quotes become “…” in the app
  assert.equal(await page.$('[data-testid=drift-panel] img'), null, 'CSV text became markup');
  await screenshot(page, 'drift-panel');

  // A model file from before the training profile existed: a clear error, not a crash.
  const golden = await readFile(path.join(ROOT, 'models/golden_gbt.lf'));
  await page.setInputFiles('[data-testid=model-input]', { name: 'golden.lfm', mimeType: 'application/octet-stream', buffer: golden });
  await page.waitForFunction(() => !document.querySelector('[data-testid=drift-table]'));
  await page.setInputFiles('[data-testid=drift-input]', { name: 'new.csv', mimeType: 'text/csv', buffer: Buffer.from(leads) });
  await page.waitForSelector('[data-testid=drift-error]');
  assert.match(await page.textContent('[data-testid=drift-error]'), /no training profile.*retrain/s);

  assert.deepEqual(errors, []);
  const origin = new URL(server.url).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
});
