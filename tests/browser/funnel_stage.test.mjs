// The funnel-stage classifier in the app (headless Chromium): on the demo data, train the binary
// model, then "Train a stage model" (a Web Worker, with progress); the funnel shows predicted and
// actual leads for every stage in funnel order, the actual counts match the file, the predicted
// counts cover every lead, the macro-F1 shown beats the majority-class baseline shown, and the
// section is really drawn (its screenshot holds both bar colours).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import path from 'node:path';
import { serve, launch, openApp, screenshot, ARTIFACTS } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) to { width, height, rgba }. */
function decodePng(buf) {
  assert.equal(buf.toString('latin1', 1, 4), 'PNG');
  let pos = 8, width = 0, height = 0, colorType = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); colorType = data[9]; }
    else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i] + add) & 255;
    }
    for (let x = 0; x < width; x++) for (let k = 0; k < 4; k++) out[(y * width + x) * 4 + k] = k < bpp ? line[x * bpp + k] : 255;
    prev = line;
  }
  return { width, height, rgba: out };
}

function countColour(img, hex, tol = 30) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < img.width * img.height * 4; i += 4) {
    if (Math.abs(img.rgba[i] - r) + Math.abs(img.rgba[i + 1] - g) + Math.abs(img.rgba[i + 2] - b) <= tol) n++;
  }
  return n;
}

test('demo data: a stage model trained in the app gives the predicted funnel and beats the majority baseline', async () => {
  const { page, requests, errors } = await openApp(browser, server, { train: true });
  await page.waitForSelector('#funnel-card:not([hidden])');
  assert.equal(await page.inputValue('[data-testid=stage-select]'), 'Funnel Stage');
  // the actual stage counts of the file, from the same generator
  const fileCounts = await page.evaluate(async () => {
    const m = await import('./leadforest/index.js');
    await m.init(); // the app's engine runs in its worker: this page loads its own copy for the check
    const lines = m.demoCsv(5000, 7).trimEnd().split('\n');
    const header = lines[0].split(',');
    if (header.at(-2) !== 'Funnel Stage') throw new Error(`unexpected demo header ${lines[0]}`);
    const counts = {};
    // the stage is the second-to-last field (no field after it is quoted)
    for (const line of lines.slice(1)) { const v = line.split(',').at(-2); counts[v] = (counts[v] || 0) + 1; }
    return { counts };
  });
  assert.equal(Object.values(fileCounts.counts).reduce((a, b) => a + b, 0), 5000);
  assert.match(await page.textContent('[data-testid=stage-model]'), /Converted/, 'says the outcome is left out');

  // watch the progress bar move while the worker trains
  await page.evaluate(() => {
    window.__stageProgress = 0;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=stage-progress]');
      if (bar && bar.value > window.__stageProgress) window.__stageProgress = bar.value;
    }).observe(document.getElementById('funnel-card'), { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.click('[data-testid=stage-train]');
  await page.waitForSelector('[data-testid=stage-metrics], [data-testid=stage-model] [role=alert]', { timeout: 300000 });
  const failure = await page.$('[data-testid=stage-model] [role=alert]');
  assert.equal(failure, null, `stage training failed: ${failure && await failure.textContent()}`);
  assert.ok(await page.evaluate(() => window.__stageProgress) > 0, 'no training progress was shown');

  const rows = await page.$$eval('[data-testid=funnel-predicted] tbody tr', (trs) => trs.map((tr) => ({
    stage: tr.querySelector('th').textContent,
    actual: Number(tr.querySelector('[data-testid=stage-actual]').textContent.replace(/,/g, '')),
    predicted: Number(tr.querySelector('[data-testid=stage-predicted]').textContent.replace(/,/g, '')),
    cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
  })));
  assert.deepEqual(rows.map((r) => r.stage), ['Awareness', 'Interest', 'Decision', 'Action']);
  for (const r of rows) assert.equal(r.actual, fileCounts.counts[r.stage], `actual ${r.stage}`);
  assert.equal(rows.reduce((a, r) => a + r.predicted, 0), 5000);
  assert.ok(rows.every((r) => r.predicted > 0), 'every stage is predicted for some leads');
  // drop-off: conversion from the previous stage, actual = reached(i) / reached(i - 1)
  const reached = rows.map((_, i) => rows.slice(i).reduce((a, r) => a + r.actual, 0));
  assert.equal(rows[0].cells[3], '—');
  for (let i = 1; i < rows.length; i++) {
    assert.equal(rows[i].cells[3], `${((reached[i] / reached[i - 1]) * 100).toFixed(1)}%`, `conversion into ${rows[i].stage}`);
    assert.match(rows[i].cells[4], /^\d+\.\d%$/);
  }

  const f1 = Number(await page.textContent('[data-testid=stage-macro-f1]'));
  const baseline = Number(await page.textContent('[data-testid=stage-baseline-f1]'));
  assert.ok(Number.isFinite(f1) && Number.isFinite(baseline), `shown: ${f1} vs ${baseline}`);
  assert.ok(f1 > baseline + 0.1, `macro-F1 ${f1} does not clearly beat the majority baseline ${baseline}`);
  assert.match(await page.textContent('[data-testid=stage-metrics]'), /held-out/);

  // per-lead predictions: stage names and probabilities in (0, 1]
  const leads = await page.$$eval('[data-testid=stage-leads] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.equal(leads.length, 10);
  for (const [id, actual, predicted, p] of leads) {
    assert.match(id, /^L-\d{6}$/);
    assert.ok(rows.some((r) => r.stage === actual) && rows.some((r) => r.stage === predicted), `${actual} / ${predicted}`);
    const v = Number(p.replace('%', ''));
    assert.ok(v >= 25 && v <= 100, `probability ${p} (the most likely of 4 classes is ≥ 25%)`);
  }
  // the CSV download holds every lead with its predicted stage and class probabilities
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=stage-download]')]);
  const text = await readFile(await dl.path(), 'utf8');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 5001);
  assert.ok(lines[0].endsWith('predicted_stage,stage_probability,p_Action,p_Awareness,p_Decision,p_Interest'), lines[0]);

  // the section is drawn: actual (brand) and predicted (brand-dark) bars are on screen
  await page.locator('[data-testid=funnel-predicted]').scrollIntoViewIfNeeded();
  const png = decodePng(await page.locator('[data-testid=stage-model]').screenshot({ path: path.join(ARTIFACTS, 'app-funnel-stage-section.png') }));
  assert.ok(png.width > 300 && png.height > 150, `${png.width}×${png.height}`);
  assert.ok(countColour(png, '#0176d3') > 200, 'actual bars not drawn');
  assert.ok(countColour(png, '#014486') > 200, 'predicted bars not drawn');
  assert.ok(countColour(png, '#ffffff', 10) < png.width * png.height * 0.97, 'blank');
  await screenshot(page, 'app-funnel-stage');
  for (const url of requests) assert.ok(url.startsWith(server.url), `unexpected request ${url}`);
  assert.deepEqual(errors, []);
});
