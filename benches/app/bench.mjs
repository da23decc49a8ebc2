// App benchmark (not a test): the web app on real exports in headless Chromium, next to the
// native CLI's `train` on the same file and options. Per dataset: Train click → scored table,
// the scored-CSV download, and the longest task on the page's thread in each (Long Tasks API);
// the CLI's `train` wall time; the ratio app ÷ CLI. Needs a built www/ and CLI (scripts/build.sh)
// and ../shared/datasets (override with LEADFOREST_DATASETS=DIR). Prints a Markdown table.
//   nice -n 10 node benches/app/bench.mjs [--runs 1] [--only bank]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openPage, ROOT } from '../../tests/browser/harness.mjs';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'target/release/leadforest');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 1));
const ONLY = arg('only', '');

async function datasets() {
  const dirs = [process.env.LEADFOREST_DATASETS, '../shared/datasets', '../../shared/datasets'].filter(Boolean);
  for (const d of dirs) {
    const dir = path.resolve(ROOT, d);
    try { await access(dir); return dir; } catch { /* next */ }
  }
  throw new Error('../shared/datasets not found (set LEADFOREST_DATASETS)');
}

const dir = await datasets();
const CASES = [
  { name: 'bank-full', file: path.join(dir, 'bank_marketing/bank-full.csv'), target: 'y', positive: ['yes'] },
  { name: 'hillstrom', file: path.join(dir, 'hillstrom_email/hillstrom.csv'), target: 'visit', positive: ['1'] },
].filter((c) => !ONLY || c.name.includes(ONLY));

const LONG_TASKS = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ entryTypes: ['longtask'] });
};
const longest = (page, a, b) => page.evaluate(([from, to]) => window.__longTasks
  .filter((t) => t.start + t.duration >= from && t.start <= to).reduce((m, t) => Math.max(m, t.duration), 0), [a, b]);

const tmp = await mkdtemp(path.join(os.tmpdir(), 'lf-app-bench-'));
const server = await serve();
const browser = await launch();
const rows = [];
try {
  for (const c of CASES) {
    for (let k = 0; k < RUNS; k++) {
      const { page, context } = await openPage(browser);
      await context.addInitScript(LONG_TASKS);
      await page.goto(`${server.url}/index.html`);
      await page.waitForSelector('body[data-ready]', { timeout: 60000 });
      const o0 = await page.evaluate(() => performance.now());
      await page.setInputFiles('[data-testid=csv-input]', c.file);
      await page.waitForSelector('#profile-card:not([hidden])', { timeout: 600000 });
      await page.selectOption('[data-testid=target-select]', c.target);
      await page.waitForFunction((t) => document.querySelector('[data-testid=profile-table] tbody tr th')
        && [...document.querySelectorAll('[data-testid=positive-select] option')].some((o) => o.value === t), c.positive[0], { timeout: 600000 });
      await page.selectOption('[data-testid=positive-select]', c.positive);
      // the profile after the positive value changed
      await page.waitForFunction(() => document.getElementById('busy').hidden, null, { timeout: 600000 });
      const o1 = await page.evaluate(() => performance.now());
      const openLongest = await longest(page, o0, o1);

      const t0 = await page.evaluate(() => performance.now());
      await page.click('[data-testid=train-button]');
      await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid=scored-table] tbody tr td:nth-child(2)')?.textContent || '')
        || document.querySelector('#train-status [role=alert]'), null, { timeout: 1800000, polling: 100 });
      const failed = await page.$('#train-status [role=alert]');
      if (failed) throw new Error(`${c.name}: ${await failed.textContent()}`);
      const t1 = await page.evaluate(() => performance.now());
      const trainLongest = await longest(page, t0, t1);
      const options = await page.evaluate(() => window.leadforestApp.state.lastOptions);

      const d0 = await page.evaluate(() => performance.now());
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 1800000 }), page.click('[data-testid=download-scores]')]);
      await dl.saveAs(path.join(tmp, `${c.name}.csv`));
      const d1 = await page.evaluate(() => performance.now());
      const downloadLongest = await longest(page, d0, d1);
      await context.close();

      const args = ['train', c.file, '--target', options.target, '--seed', String(options.seed), '--algo', options.algo, '--out', path.join(tmp, `${c.name}.lfm`)];
      for (const p of options.positive) args.push('--positive', p);
      if (options.drop.length) args.push('--drop', options.drop.join(','));
      const c0 = performance.now();
      await run(CLI, args, { maxBuffer: 1 << 26 });
      const cli = performance.now() - c0;
      rows.push({
        name: c.name, open: (o1 - o0) / 1000, openLongest, train: (t1 - t0) / 1000, trainLongest,
        download: (d1 - d0) / 1000, downloadLongest, cli: cli / 1000, drop: options.drop,
      });
      console.error(`${c.name}: ${JSON.stringify(rows.at(-1))}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
  await rm(tmp, { recursive: true, force: true });
}

const s = (x) => `${x.toFixed(1)} s`;
const ms = (x) => `${Math.round(x)} ms`;
console.log(`\nThe web app in headless Chromium (127.0.0.1) vs the native CLI's \`train\`, same file and options, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}\n`);
console.log('| dataset | open + profile | longest task | Train click → table | longest task | CLI `train` | app ÷ CLI | scored CSV (reasons for every lead) | longest task | columns left out (flagged) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${s(r.open)} | ${ms(r.openLongest)} | ${s(r.train)} | ${ms(r.trainLongest)} | ${s(r.cli)} | ${(r.train / r.cli).toFixed(2)}× | ${s(r.download)} | ${ms(r.downloadLongest)} | ${r.drop.join(', ') || '—'} |`);
}
