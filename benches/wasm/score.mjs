// scoreCsv alone, for issue 17's bar (Chromium: 100k rows ≤ 0.3 s): the model bench.mjs scores
// (d10k, GBT 300 rounds, seed 1, no early stopping) trained in the page, then `scoreCsv` of d10k
// repeated to 100k rows, `runs` times (median wall and main-thread CPU), with the JS side split
// out: reading `probability`/`score`/`tier` of every row after the call. Prints one table.
// Not a test: run it by hand after scripts/build.sh.
//
//   node benches/wasm/score.mjs [--runs 5] [--rows 100000]
import { readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const runs = arg('--runs', 5);
const rows = arg('--rows', 100_000);
const SHARED = [path.resolve(ROOT, '../shared/datasets'), path.resolve(ROOT, '../../shared/datasets')].find(existsSync);
const d10k = readFileSync(path.join(SHARED, 'bench_10k20/d10k.csv'), 'utf8');
const loadBefore = os.loadavg().map((x) => x.toFixed(2)).join(' ');

const { openBenchPage } = await import('./page.mjs');
const { page, close } = await openBenchPage(ROOT);
let out;
try {
  out = await page.evaluate(async ({ runs, rows, d10k }) => {
    const lf = await import('/www/leadforest/index.js');
    await lf.init();
    const enc = new TextEncoder();
    const model = lf.train(enc.encode(d10k), { target: 'label', positive: ['yes'], seed: 1, algo: 'gbt', trees: 300, earlyStopping: false });
    const nl = d10k.indexOf('\n');
    const body = d10k.slice(nl + 1).replace(/\n*$/, '\n');
    let text = d10k.slice(0, nl + 1);
    const lines = body.split('\n').length - 1;
    text += body.repeat(Math.floor(rows / lines)) + body.split('\n').slice(0, rows % lines).map((l) => l + '\n').join('');
    const bytes = enc.encode(text);
    const call = [], use = [], cpu = [];
    let res, sum = 0;
    for (let i = 0; i < runs; i++) {
      const c0 = await window.threadTime();
      const t0 = performance.now();
      res = model.scoreCsv(bytes);
      const t1 = performance.now();
      for (let r = 0; r < res.rows; r++) sum += res.probability[r] + res.score[r] + res.tier[r].length;
      const t2 = performance.now();
      cpu.push((await window.threadTime()) - c0);
      call.push((t1 - t0) / 1000);
      use.push((t2 - t1) / 1000);
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { rows: res.rows, trees: model.info.trees, call: med(call), use: med(use), cpu: med(cpu), p0: res.probability[0], sum };
  }, { runs, rows, d10k });
} finally {
  await close();
}
console.log(`\nscoreCsv in Chromium — ${new Date().toISOString().slice(0, 16)} UTC, ${runs} runs, medians; load average before ${loadBefore}, after ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
console.log('| work | wall s | main-thread CPU s |\n|---|---|---|');
console.log(`| scoreCsv, ${out.rows.toLocaleString('en')} rows, ${out.trees}-tree GBT (incl. CSV parsing) | ${out.call.toFixed(3)} | |`);
console.log(`| reading probability, score, tier of every row after it | ${out.use.toFixed(3)} | |`);
console.log(`| both | ${(out.call + out.use).toFixed(3)} | ${out.cpu.toFixed(3)} |`);
console.log(`\n(first probability ${out.p0}; checksum ${out.sum.toFixed(6)})`);
