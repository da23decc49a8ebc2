// leadforest's WASM benchmark (../shared/BENCHMARK.md, "Training, WASM" and "Size"): the same
// work in Node and in headless Chromium, with YDF's `ydf-training` and `ml-random-forest` side by
// side in the same run. Prints one table (markdown). Not a test: run it by hand.
//
//   scripts/build.sh && (cd benches/wasm && npm ci) && node benches/wasm/bench.mjs [--runs 3] [--big]
//
// --bank adds bank_full_random training (WASM vs the native CLI's `train`, 1 thread).
// --big adds the 1,000,000 × 20 training (peak wasm linear memory) in Node and Chromium.
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cases } from './cases.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const big = args.includes('--big');
const SHARED = [path.resolve(ROOT, '../shared/datasets'), path.resolve(ROOT, '../../shared/datasets')].find(existsSync);
const D10K = path.join(SHARED, 'bench_10k20/d10k.csv');
const BANK = path.join(SHARED, 'bank_marketing/bank-full.csv');
const withBank = args.includes('--bank');

const rows = [];
const row = (what, host, seconds, note = '') => {
  rows.push({ what, host, seconds, note });
  console.error(`  ${what} [${host}]: ${typeof seconds === 'number' ? seconds.toFixed(3) + ' s' : seconds} ${note}`);
};

// --- sizes ---
const sizes = [];
for (const [name, file] of [['engine (train + score)', 'www/leadforest/pkg/leadforest_bg.wasm'],
  ['scoring-only', 'www/leadforest/pkg-score/leadforest_bg.wasm'],
  ['ydf-training', 'benches/wasm/node_modules/ydf-training/dist/training.wasm']]) {
  const p = path.join(ROOT, file);
  if (!existsSync(p)) continue;
  const b = readFileSync(p);
  sizes.push({ name, raw: b.length, gz: gzipSync(b, { level: 9 }).length });
}

// --- native reference: bank_full_random with the CLI ---
const cli = path.join(ROOT, 'target/release/leadforest');
let nativeBank = null;
if (withBank && existsSync(cli) && existsSync(BANK)) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    execFileSync(cli, ['train', BANK, '--target', 'y', '--positive', 'yes', '--drop', 'duration', '--seed', '1', '--out', '/tmp/lf-bench-bank.lfm'], { stdio: 'ignore', env: { ...process.env, RAYON_NUM_THREADS: '1' } });
    times.push((performance.now() - t) / 1000);
  }
  nativeBank = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  row('bank_full_random train (CLI, 1 thread, incl. reading the file)', 'native', nativeBank);
}

// --- Node ---
console.error('Node:');
const lf = await import(path.join(ROOT, 'www/leadforest/index.js'));
const { default: YDFTraining } = await import('ydf-training');
const { RandomForestClassifier } = await import('ml-random-forest');
const texts = { d10k: readFileSync(D10K, 'utf8'), bank: withBank && existsSync(BANK) ? readFileSync(BANK) : null };
const nodeOut = await cases({ lf, ydfFactory: YDFTraining, MLRF: RandomForestClassifier, texts, runs, big, log: console.error });
for (const r of nodeOut) row(r.what, 'Node', r.seconds, r.note);

// --- Chromium ---
console.error('Chromium:');
const { serve, launch } = await import(path.join(ROOT, 'tests/browser/harness.mjs'));
const server = await serve(ROOT);
const browser = await launch();
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`  [page] ${m.text()}`));
  await page.goto(`${server.url}/benches/wasm/bench.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  const bank = texts.bank ? texts.bank.toString('utf8') : null;
  const out = await page.evaluate((a) => window.runBench(a), { runs, big, d10k: texts.d10k, bank });
  for (const r of out) row(r.what, 'Chromium', r.seconds, r.note);
} finally {
  await browser.close();
  await server.close();
}

// --- table ---
const fmt = (s) => (typeof s === 'number' ? s.toFixed(3) : s);
console.log(`\nWASM benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${runs} run(s), median\n`);
console.log('| work | host | seconds | note |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.host} | ${fmt(r.seconds)} | ${r.note} |`);
if (nativeBank) {
  for (const host of ['Node', 'Chromium']) {
    const w = rows.find((r) => r.host === host && r.what.startsWith('bank_full_random train'));
    if (w) console.log(`\nbank_full_random WASM/native (${host}): ${(w.seconds / nativeBank).toFixed(2)}×`);
  }
}
console.log('\n| .wasm | raw bytes | gzipped bytes |\n|---|---|---|');
for (const s of sizes) console.log(`| ${s.name} | ${s.raw.toLocaleString('en')} | ${s.gz.toLocaleString('en')} (${(s.gz / 1024).toFixed(0)} KB) |`);
