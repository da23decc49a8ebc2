// The app on a real-size export (issue 16's "done when"): the engine's 45,000-row, wide, messy CRM
// export (`messyCsv`, leadforest::demo::messy: 37 columns, a planted numeric leak in `Contract
// Value`), in headless Chromium. Asserts: the leak is flagged (leak-list), no task
// on the page's thread takes over 200 ms from the Train click to the scored table (Long Tasks API),
// the scored CSV is made without a long task at all, and the tiles equal the held-out figures the
// CLI's `train` reports for the same file and options.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFile, mkdtemp, rm, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openPage, ROOT, WWW, screenshot } from './harness.mjs';
import { parseCsv } from '../../www/app/csv.js';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'target/release/leadforest');
const ROWS = 45000;

let server, browser, tmp;
before(async () => { server = await serve(); browser = await launch(); tmp = await mkdtemp(path.join(os.tmpdir(), 'lf-scale-')); });
after(async () => { await browser?.close(); await server?.close(); await rm(tmp, { recursive: true, force: true }); });

/** Records every long task (> 50 ms) of the page's thread from the first script on. */
const LONG_TASKS = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ entryTypes: ['longtask'] });
};
const longest = (page, from, to) => page.evaluate(([a, b]) => window.__longTasks
  .filter((t) => t.start + t.duration >= a && t.start <= b)
  .reduce((m, t) => Math.max(m, t.duration), 0), [from, to]);

/** The held-out figures `leadforest train` prints for the app's options. */
async function cliTrain(csvFile, options) {
  const args = ['train', csvFile, '--target', options.target, '--seed', String(options.seed), '--algo', options.algo, '--out', path.join(tmp, 'cli.lfm')];
  for (const p of options.positive) args.push('--positive', p);
  if (options.drop.length) args.push('--drop', options.drop.join(','));
  if (options.missing.length) args.push('--missing', options.missing.join(','));
  const { stdout } = await run(CLI, args, { maxBuffer: 1 << 24 });
  const auc = Number(/(?<!PR[ _-]?)\bAUC\b[^0-9]*([0-9]\.[0-9]+)/i.exec(stdout)?.[1]);
  const prAuc = Number(/PR[ _-]?AUC[^0-9]*([0-9]\.[0-9]+)/i.exec(stdout)?.[1]);
  assert.ok(Number.isFinite(auc), `no AUC in the CLI's output:\n${stdout}`);
  // the evaluation's threshold line: "threshold 0.312 (the best F1 …): precision 0.5, recall 0.4, F1 0.44, lift 4.1"
  const at = /threshold ([0-9.]+) \(.*\): precision ([0-9.]+), recall ([0-9.]+), F1 ([0-9.]+)/.exec(stdout);
  return { auc, prAuc, stdout, at: at && { threshold: Number(at[1]), precision: Number(at[2]), recall: Number(at[3]), f1: Number(at[4]) } };
}

test(`${ROWS.toLocaleString('en-US')}-row messy export: leak flagged, no long task from Train to the table or in the download, tiles = the CLI's held-out figures`, { timeout: 900000 }, async () => {
  const lf = await import(path.join(WWW, 'leadforest/index.js'));
  await lf.init();
  const csv = lf.messyCsv(ROWS, 1);
  const target = 'Converted';
  const leak = 'Contract Value';
  const csvFile = path.join(tmp, 'messy.csv');
  await writeFile(csvFile, csv);
  const { page, errors, context } = await openPage(browser);
  await context.addInitScript(LONG_TASKS);
  await page.goto(`${server.url}/index.html`);
  await page.waitForSelector('body[data-ready]', { timeout: 60000 });
  await page.setInputFiles('[data-testid=csv-input]', csvFile);
  await page.waitForSelector('#profile-card:not([hidden])', { timeout: 300000 });
  assert.equal(await page.inputValue('[data-testid=target-select]'), target);
  await page.waitForSelector(`[data-testid=profile-table] tbody tr [data-testid=use-column][data-column="${leak}"]`);

  // the planted numeric leak is flagged, and left out by default
  await page.waitForSelector(`[data-testid=leak-list] > [data-column="${leak}"]`, { timeout: 5000 });
  assert.equal(await page.isChecked(`[data-testid=profile-table] [data-testid=use-column][data-column="${leak}"]`), false);

  // Train → the scored table, with no task over 200 ms on the page's thread
  const t0 = await page.evaluate(() => performance.now());
  await page.click('[data-testid=train-button]');
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid=scored-table] tbody tr td:nth-child(2)')?.textContent || '')
    || document.querySelector('#train-status [role=alert]'), null, { timeout: 900000, polling: 250 });
  const failure = await page.$('#train-status [role=alert]');
  assert.equal(failure, null, `training failed: ${failure && await failure.textContent()}`);
  const t1 = await page.evaluate(() => performance.now());
  const trainLongest = await longest(page, t0, t1);
  assert.ok(trainLongest < 200, `a ${trainLongest.toFixed(0)} ms task froze the page between Train and the table`);
  assert.equal(await page.textContent('#leads-count'), `${ROWS.toLocaleString('en-US')} of ${ROWS.toLocaleString('en-US')} leads shown`);

  // the tiles are the engine's held-out figures: the same as the CLI's train on the same options
  const options = await page.evaluate(() => window.leadforestApp.state.lastOptions);
  assert.ok(!options.drop.includes(target));
  assert.ok(options.drop.includes(leak), 'the flagged leak was trained on');
  const cli = await cliTrain(csvFile, options);
  assert.equal(await page.textContent('[data-testid=metric-auc]'), cli.auc.toFixed(4), cli.stdout);
  if (Number.isFinite(cli.prAuc)) assert.equal(await page.textContent('[data-testid=metric-prauc]'), cli.prAuc.toFixed(4), cli.stdout);
  assert.ok(cli.at, `no threshold line in the CLI's output:\n${cli.stdout}`);
  assert.equal(await page.textContent('[data-testid=metric-precision]'), `${(cli.at.precision * 100).toFixed(1)}%`, cli.stdout);
  assert.equal(await page.textContent('[data-testid=metric-recall]'), `${(cli.at.recall * 100).toFixed(1)}%`, cli.stdout);
  assert.equal(await page.textContent('[data-testid=metric-f1]'), cli.at.f1.toFixed(3), cli.stdout);
  assert.match(await page.textContent('#results-summary'), /held-out|latest|out-of/i, 'the tiles do not say which rows they were measured on');

  // the scored CSV: made in the worker, without a long task on the page
  const t2 = await page.evaluate(() => performance.now());
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 600000 }), page.click('[data-testid=download-scores]')]);
  const file = path.join(tmp, 'scored.csv');
  await dl.saveAs(file);
  const t3 = await page.evaluate(() => performance.now());
  const downloadLongest = await longest(page, t2, t3);
  assert.ok(downloadLongest === 0, `a ${downloadLongest.toFixed(0)} ms task ran on the page while the scored CSV was made`);
  const scored = parseCsv(await readFile(file, 'utf8'));
  assert.equal(scored.rows.length, ROWS);
  assert.deepEqual(scored.headers.slice(-5), ['probability', 'score', 'percentile', 'tier', 'reasons']);
  // no cell a spreadsheet would run as a formula (numbers such as -3 aside)
  const risky = scored.rows.flat().filter((c) => /^[=+@-]/.test(c) && !/^[+-]?[\d.,]+([eE][+-]?\d+)?$/.test(c));
  assert.deepEqual(risky.slice(0, 3), [], 'a formula-like cell was written as it is');

  console.log(`# scale: train→table ${((t1 - t0) / 1000).toFixed(1)} s (longest task ${trainLongest.toFixed(0)} ms), download ${((t3 - t2) / 1000).toFixed(1)} s (longest task ${downloadLongest.toFixed(0)} ms)`);
  await screenshot(page, 'app-scale');
  assert.deepEqual(errors, []);
});
