// leadforest's WASM benchmark (../shared/BENCHMARK.md, "Training, WASM" and "Size"): the same
// work in Node and in headless Chromium, with YDF's `ydf-training` and `ml-random-forest` side by
// side in the same run. Prints one table (markdown). Not a test: run it by hand.
//
//   scripts/build.sh && (cd benches/wasm && npm ci) && node benches/wasm/bench.mjs [--runs 3] [--big]
//
// --bank adds bank_full_random training (WASM vs the native CLI's `train`, 1 thread).
// --big adds the 1,000,000 × 20 training (peak wasm linear memory) in Node and Chromium.
// --bank1m [ROWS] adds bank-full resampled to 1,000,000 rows (or ROWS), trained with defaults
//   (peak wasm memory), and the native CLI's `train` on the same bytes at 1 thread (--threads N).
// --train runs only leadforest's training cases (no peers, no scoring); --no-node skips Node.
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { cases, bankResampled, median } from './cases.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const big = args.includes('--big');
const SHARED = [path.resolve(ROOT, '../shared/datasets'), path.resolve(ROOT, '../../shared/datasets')].find(existsSync);
const D10K = path.join(SHARED, 'bench_10k20/d10k.csv');
const BANK = path.join(SHARED, 'bank_marketing/bank-full.csv');
const bank1mAt = args.indexOf('--bank1m');
const bank1m = bank1mAt < 0 ? 0 : (Number(args[bank1mAt + 1]) || 1_000_000);
const withBank = args.includes('--bank') || bank1m > 0;
const trainOnly = args.includes('--train');
const inNode = !args.includes('--no-node');
const threads = String(Number(args[args.indexOf('--threads') + 1]) || 1);

const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(' ');
const rows = [];
const row = (what, host, seconds, note = '', cpu = null) => {
  rows.push({ what, host, seconds, cpu, note });
  console.error(`  ${what} [${host}]: ${typeof seconds === 'number' ? seconds.toFixed(3) + ' s' : seconds}${cpu === null ? '' : ` (CPU ${cpu.toFixed(3)} s)`} ${note}`);
};
/** Runs the CLI; returns [wall seconds, CPU seconds (user + system, from /usr/bin/time)]. */
function runCli(cliArgs, threadCount) {
  const timeFile = '/tmp/lf-bench-time.txt';
  const t = performance.now();
  execFileSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cli, ...cliArgs, '--threads', threadCount], { stdio: 'ignore' });
  const wall = (performance.now() - t) / 1000;
  const [u, s] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return [wall, u + s];
}

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
  const walls = [];
  const cpus = [];
  for (let i = 0; i < runs; i++) {
    const [w, c] = runCli(['train', BANK, '--target', 'y', '--positive', 'yes', '--drop', 'duration', '--seed', '1', '--out', '/tmp/lf-bench-bank.lfm'], '1');
    walls.push(w);
    cpus.push(c);
  }
  nativeBank = { seconds: median(walls), cpu: median(cpus) };
  row('bank_full_random train (CLI, 1 thread, incl. reading the file)', 'native', nativeBank.seconds, '', nativeBank.cpu);
}
let native1m = null;
if (bank1m && existsSync(cli) && existsSync(BANK)) {
  const file = '/tmp/lf-bench-bank1m.csv';
  writeFileSync(file, bankResampled(readFileSync(BANK), bank1m));
  const [w, c] = runCli(['train', file, '--target', 'y', '--positive', 'yes', '--seed', '1', '--out', '/tmp/lf-bench-bank1m.lfm'], threads);
  native1m = { seconds: w, cpu: c };
  row(`bank-full resampled to ${bank1m.toLocaleString('en')} rows, train (defaults)`, `native CLI, ${threads} thread(s)`, w, '1 run, incl. reading the file', c);
}

// --- Node ---
const texts = { d10k: readFileSync(D10K, 'utf8'), bank: withBank && existsSync(BANK) ? readFileSync(BANK) : null };
if (inNode) {
  console.error('Node:');
  const lf = await import(path.join(ROOT, 'www/leadforest/index.js'));
  const { default: YDFTraining } = trainOnly ? {} : await import('ydf-training');
  const { RandomForestClassifier } = trainOnly ? {} : await import('ml-random-forest');
  const cpu = async () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const nodeOut = await cases({ lf, ydfFactory: YDFTraining, MLRF: RandomForestClassifier, texts, runs, big, trainOnly, bank1m, cpu, log: console.error });
  for (const r of nodeOut) row(r.what, 'Node', r.seconds, r.note, r.cpu);
}

// --- Chromium ---
console.error('Chromium:');
const { openBenchPage } = await import('./page.mjs');
const { page, close } = await openBenchPage(ROOT);
try {
  const bank = texts.bank ? texts.bank.toString('utf8') : null;
  const out = await page.evaluate((a) => window.runBench(a), { runs, big, trainOnly, bank1m, d10k: texts.d10k, bank });
  for (const r of out) row(r.what, 'Chromium', r.seconds, r.note, r.cpu);
} finally {
  await close();
}

// --- table ---
const fmt = (s) => (typeof s === 'number' ? s.toFixed(3) : s);
console.log(`\nWASM benchmark — ${new Date().toISOString().slice(0, 16)} UTC, node ${process.version}, ${runs} run(s), median; load average before ${loadBefore}, after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
console.log('| work | host | wall s | CPU s | note |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.host} | ${fmt(r.seconds)} | ${r.cpu === null ? '' : fmt(r.cpu)} | ${r.note} |`);
const ratio = (w, n) => `${(w.seconds / n.seconds).toFixed(2)}× wall` + (w.cpu !== null && n.cpu ? `, ${(w.cpu / n.cpu).toFixed(2)}× CPU` : '');
if (nativeBank) {
  for (const host of ['Node', 'Chromium']) {
    const w = rows.find((r) => r.host === host && r.what.startsWith('bank_full_random train'));
    if (w) console.log(`\nbank_full_random WASM/native, 1 thread (${host}): ${ratio(w, nativeBank)}`);
  }
}
if (native1m) {
  for (const host of ['Node', 'Chromium']) {
    const w = rows.find((r) => r.host === host && r.what.startsWith('bank-full resampled'));
    if (w) console.log(`\n${bank1m.toLocaleString('en')}-row train WASM (1 thread) / native at ${threads} thread(s) (${host}): ${ratio(w, native1m)}`);
  }
}
console.log('\n| .wasm | raw bytes | gzipped bytes |\n|---|---|---|');
for (const s of sizes) console.log(`| ${s.name} | ${s.raw.toLocaleString('en')} | ${s.gz.toLocaleString('en')} (${(s.gz / 1024).toFixed(0)} KB) |`);
