// End to end in headless Chromium, checked against the native CLI on the same bytes, options and
// seed: open → target → train (Web Worker) → the AUC shown equals the CLI's validation AUC (±0.01)
// → the table holds every scored row → the scored CSV, the model file and the report parse and
// agree with the CLI. One test records every request of a whole session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile, mkdtemp, rm, access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp as open, loadDemo, screenshot, ROOT, WWW } from './harness.mjs';
import { parseCsv } from '../../www/app/csv.js';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'target/release/leadforest');

let server, browser, tmp;
before(async () => { server = await serve(); browser = await launch(); tmp = await mkdtemp(path.join(os.tmpdir(), 'lf-app-')); });
after(async () => { await browser?.close(); await server?.close(); await rm(tmp, { recursive: true, force: true }); });

/** `../shared/datasets` beside the repository (CI), or two levels up (helper worktrees). */
async function datasets() {
  for (const up of ['../shared/datasets', '../../shared/datasets']) {
    const dir = path.resolve(ROOT, up);
    try { await access(dir); return dir; } catch { /* next */ }
  }
  throw new Error(`../shared/datasets not found beside ${ROOT}`);
}

/** The first `rows` data rows of a CSV file (header kept), as bytes. */
async function head(file, rows) {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  return Buffer.from(`${lines.slice(0, rows + 1).join('\n')}\n`);
}

/** Validation AUC the CLI reports for `train` with the app's options (read back from the model). */
async function cliTrain(csvFile, options, out) {
  assert.equal(options.validation, undefined, 'the CLI comparison uses the engine default split');
  const args = ['train', csvFile, '--target', options.target, '--seed', String(options.seed), '--algo', options.algo, '--out', out];
  for (const p of options.positive) args.push('--positive', p);
  if (options.drop.length) args.push('--drop', options.drop.join(','));
  if (options.missing.length) args.push('--missing', options.missing.join(','));
  const { stdout } = await run(CLI, args, { maxBuffer: 1 << 24 });
  const auc = Number(/(?<!PR[ _-]?)\bAUC\b[^0-9]*([0-9]\.[0-9]+)/i.exec(stdout)?.[1]);
  assert.ok(Number.isFinite(auc), `no AUC in the CLI's output:\n${stdout}`);
  return auc;
}

async function cliScore(model, csvFile) {
  const out = path.join(tmp, `cli-scored-${Date.now()}.csv`);
  await run(CLI, ['score', model, csvFile, '--out', out], { maxBuffer: 1 << 24 });
  return parseCsv(await readFile(out, 'utf8'));
}

const openApp = (options) => open(browser, server, options);

async function trainInApp(page, { target, positive, missing }) {
  if (missing) await page.fill('[data-testid=missing-input]', missing.join(', '));
  if (target) await page.selectOption('[data-testid=target-select]', target);
  if (positive) await page.selectOption('[data-testid=positive-select]', positive);
  await page.click('[data-testid=train-button]');
  await page.waitForFunction(() => /^\d\.\d{4}$/.test(document.querySelector('[data-testid=metric-auc]').textContent)
    || document.querySelector('#train-status [role=alert]'), null, { timeout: 300000 });
  const failure = await page.$('#train-status [role=alert]');
  assert.equal(failure, null, `training failed: ${failure && await failure.textContent()}`);
  await page.waitForSelector('[data-testid=scored-table] tbody tr');
  return {
    auc: Number(await page.textContent('[data-testid=metric-auc]')),
    options: await page.evaluate(() => window.leadforestApp.state.lastOptions),
  };
}

async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 300000 }), page.click(`[data-testid=${testid}]`, { timeout: 300000 })]);
  const file = path.join(tmp, `${testid}-${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return file;
}

/** The whole journey on one CSV; returns what the checks need. */
async function journey(name, bytes, choice, { requests } = {}) {
  const session = await openApp();
  const { page, errors } = session;
  const csvFile = path.join(tmp, `${name}.csv`);
  await writeFile(csvFile, bytes);
  if (bytes) await page.setInputFiles('[data-testid=csv-input]', { name: `${name}.csv`, mimeType: 'text/csv', buffer: bytes });
  await page.waitForSelector('#profile-card:not([hidden])');
  const shown = await trainInApp(page, choice);
  const cliAuc = await cliTrain(csvFile, shown.options, path.join(tmp, `${name}.lfm`));
  assert.ok(Math.abs(shown.auc - cliAuc) <= 0.01, `${name}: app AUC ${shown.auc} vs CLI ${cliAuc}`);

  const { headers, rows } = parseCsv(bytes.toString('utf8'));
  const count = await page.textContent('#leads-count');
  assert.equal(count, `${rows.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} leads shown`);
  const visible = await page.$$eval('[data-testid=scored-table] tbody tr', (trs) => trs.length);
  assert.ok(visible > 3 && visible < 40, `${visible} rows in the DOM`);

  // the scored CSV: every input row and column in order, plus probability/score/percentile/tier/reasons
  const scored = parseCsv(await readFile(await download(page, 'download-scores'), 'utf8'));
  assert.deepEqual(scored.headers, [...headers, 'probability', 'score', 'percentile', 'tier', 'reasons']);
  assert.equal(scored.rows.length, rows.length);
  assert.deepEqual(scored.rows[0].slice(0, headers.length), rows[0]);
  assert.deepEqual(scored.rows.at(-1).slice(0, headers.length), rows.at(-1));

  // the model file scores the same CSV natively to the same probabilities and tiers
  const modelFile = await download(page, 'download-model');
  const cli = await cliScore(modelFile, csvFile);
  const pi = cli.headers.indexOf('probability');
  const ti = cli.headers.indexOf('tier');
  assert.equal(cli.rows.length, rows.length);
  let worst = 0;
  cli.rows.forEach((r, i) => { worst = Math.max(worst, Math.abs(Number(r[pi]) - Number(scored.rows[i][headers.length]))); });
  assert.ok(worst < 1e-5, `probabilities differ by up to ${worst}`);
  const appTiers = scored.rows.map((r) => r[headers.length + 3]);
  if (appTiers.some((x) => x !== '')) assert.deepEqual(cli.rows.map((r) => r[ti]), appTiers);
  // reasons are words with a direction for every lead
  assert.ok(scored.rows.every((r) => /[↑↓] /.test(r[headers.length + 4])), 'a lead without reasons');

  // the report is one offline page with the same AUC and charts
  const report = await readFile(await download(page, 'download-report'), 'utf8');
  assert.ok(report.includes(shown.auc.toFixed(4)), 'the report lacks the AUC shown');
  assert.ok((report.match(/<svg/g) || []).length >= 2, 'the report lacks charts');
  assert.ok(!/<script|(src|href)=["']?https?:/i.test(report), 'the report loads something');

  assert.deepEqual(errors, []);
  if (requests) requests.push(...session.requests);
  return { page, session };
}

test('demo data: train in the worker, AUC matches the CLI, table, downloads; README screenshot', async () => {
  const requests = [];
  const session = await openApp();
  const { page, errors } = session;
  await loadDemo(page);
  const demoFile = path.join(WWW, 'demo/leads.csv');
  const fileBytes = await readFile(demoFile);
  const appBytes = await page.evaluate(() => window.leadforestApp.state.file.bytes.length);
  assert.equal(appBytes, fileBytes.length, 'demoCsv(5000, 7) differs from www/demo/leads.csv');
  const shown = await trainInApp(page, {});
  const cliAuc = await cliTrain(demoFile, shown.options, path.join(tmp, 'demo.lfm'));
  assert.ok(Math.abs(shown.auc - cliAuc) <= 0.01, `demo: app AUC ${shown.auc} vs CLI ${cliAuc}`);
  assert.ok(shown.auc > 0.7, `demo AUC ${shown.auc}: the generator's signal was not learned`);
  await page.click('[data-testid=scored-table] tbody tr:first-child td:nth-child(2)');
  await page.waitForSelector('#reasons-body li');
  await page.evaluate(() => window.scrollTo(0, document.getElementById('results-card').offsetTop - 8));
  await page.screenshot({ path: path.join(ROOT, 'test-results/app-demo-trained.png') });
  await screenshot(page, 'app-demo-trained-full');
  assert.deepEqual(errors, []);
  requests.push(...session.requests);
  for (const url of requests) assert.ok(url.startsWith(`${server.url}/`), `request left the origin: ${url}`);
});

test('suite: X Education leads (Converted, "Select" = missing), end to end', async () => {
  const dir = await datasets();
  const bytes = await readFile(path.join(dir, 'x_education_leads/Leads.csv'));
  await journey('x_education', bytes, { target: 'Converted', positive: ['1'], missing: ['Select'] });
});

test('suite: Hillstrom e-mail (first 5,000 rows, visit), end to end', async () => {
  const dir = await datasets();
  const bytes = await head(path.join(dir, 'hillstrom_email/hillstrom.csv'), 5000);
  await journey('hillstrom', bytes, { target: 'visit', positive: ['1'] });
});

test('a saved model scores a new CSV without retraining; the session requests only same-origin static files', async () => {
  // a model trained by the CLI on the demo data, loaded into a fresh page
  const demoFile = path.join(WWW, 'demo/leads.csv');
  const model = path.join(tmp, 'saved.lfm');
  await run(CLI, ['train', demoFile, '--target', 'Converted', '--seed', '5', '--out', model]);
  const { page, requests, errors } = await openApp();
  await page.setInputFiles('[data-testid=model-input]', model);
  await page.waitForSelector('#model-banner:not([hidden])');
  const fresh = await page.evaluate(async () => (async (m) => { await m.init(); return m.demoCsv(300, 11); })(await import('./leadforest/index.js')));
  const csvFile = path.join(tmp, 'fresh.csv');
  await writeFile(csvFile, fresh);
  await page.setInputFiles('[data-testid=csv-input]', csvFile);
  await page.waitForSelector('[data-testid=scored-table] tbody tr');
  assert.equal(await page.textContent('#leads-count'), '300 of 300 leads shown');
  assert.equal(await page.isHidden('#progress-wrap'), true, 'it trained instead of using the saved model');
  const scored = parseCsv(await readFile(await download(page, 'download-scores'), 'utf8'));
  const cli = await cliScore(model, csvFile);
  const pi = cli.headers.indexOf('probability');
  const api = scored.headers.indexOf('probability');
  cli.rows.forEach((r, i) => assert.ok(Math.abs(Number(r[pi]) - Number(scored.rows[i][api])) < 1e-5, `row ${i + 1}`));
  await page.click('[data-testid=forget-button]');
  assert.deepEqual(errors, []);
  const urls = requests.map((u) => new URL(u));
  for (const u of urls) {
    assert.equal(u.origin, server.url, `request left the origin: ${u.href}`);
    assert.match(u.pathname, /\.(html|js|css|wasm|svg)$|\/$/, `not a static file of the app: ${u.pathname}`);
  }
  assert.ok(urls.some((u) => u.pathname.endsWith('.wasm')));
});

test('hostile values in a trained model\'s table, reasons and charts stay text', async () => {
  const { page, errors } = await openApp();
  await page.evaluate(() => { window.__pwned = 0; window.alert = () => { window.__pwned++; }; });
  const csv = await page.evaluate(async () => (async (m) => { await m.init(); return m.demoCsv(600, 3); })(await import('./leadforest/index.js')));
  const lines = csv.trim().split('\n');
  const j = lines[0].split(',').indexOf('Lead Source');
  const evil = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', 'javascript:alert(3)'];
  const hostile = lines.map((l, i) => {
    if (i === 0) return l;
    const f = l.split(',');
    if (f.length === lines[0].split(',').length) f[j] = evil[i % 3];
    return f.join(',');
  }).join('\n');
  await page.setInputFiles('[data-testid=csv-input]', { name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from(hostile) });
  await page.waitForSelector('#profile-card:not([hidden])');
  await trainInApp(page, { target: 'Converted', positive: ['Yes'] });
  await page.fill('[data-testid=search]', '<img');
  await page.waitForFunction(() => /^200 of 600/.test(document.getElementById('leads-count').textContent));
  await page.click('[data-testid=scored-table] tbody tr:first-child td:nth-child(2)');
  await page.waitForSelector('#reasons-body');
  const text = await page.textContent('[data-testid=scored-table]');
  assert.ok(text.includes('<img src=x onerror=alert(1)>'));
  const injected = await page.evaluate(() => ({
    img: document.querySelectorAll('main img').length,
    script: document.querySelectorAll('main script').length,
    jsLinks: [...document.querySelectorAll('a')].filter((a) => a.href.startsWith('javascript:')).length,
    pwned: window.__pwned,
  }));
  assert.deepEqual(injected, { img: 0, script: 0, jsLinks: 0, pwned: 0 });
  await screenshot(page, 'app-hostile-trained');
  assert.deepEqual(errors, []);
});
