// A page's first calls into the engine against later ones (not a test; BENCHMARKS.md "explainCsv's
// first call (session 8)"). For each engine .wasm given (e.g. builds with different wasm-opt
// flags; the glue in www/leadforest/pkg must match their exports), in fresh headless Chromium
// pages, alternating: d10k GBT 300 rounds trained twice, scoreCsv of 100k rows twice, explainCsv
// of 10k rows on a fresh handle twice and on the training handle twice, wall ms; with
// SPLIT=1 the first fresh-handle explain is preceded by a one-row call (building the tables) and
// timed apart. Prints the medians per engine. The built .wasm is put back at the end.
//   node benches/wasm/first-call.mjs A.wasm B.wasm …   (ROUNDS=5 SPLIT=1 in the environment)
import { readFileSync, copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBenchPage } from './page.mjs';
import { median } from './cases.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WASM = path.join(ROOT, 'www/leadforest/pkg/leadforest_bg.wasm');
const SHARED = path.resolve(ROOT, '../shared/datasets');
const variants = process.argv.slice(2);
if (!variants.length) throw new Error('usage: node benches/wasm/first-call.mjs ENGINE.wasm …');
const d10k = readFileSync(path.join(SHARED, 'bench_10k20/d10k.csv'), 'utf8');
const rounds = Number(process.env.ROUNDS || 3);
const split = Boolean(process.env.SPLIT);
const built = readFileSync(WASM);
const results = {};
try {
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      copyFileSync(v, WASM);
      const { page, close } = await openBenchPage(ROOT);
      try {
        const out = await page.evaluate(async ({ text, split }) => {
          const lf = await import('/www/leadforest/index.js');
          const { repeatCsv } = await import('/benches/wasm/cases.mjs');
          await lf.init();
          const d = new TextEncoder().encode(text);
          const options = { target: 'label', positive: ['yes'], seed: 1, algo: 'gbt', trees: 300, earlyStopping: false };
          const res = {};
          const time = (name, f) => { const s = performance.now(); const x = f(); res[name] = performance.now() - s; return x; };
          const m = time('train1', () => lf.train(d, options));
          time('train2', () => lf.train(d, options).free());
          const big = new TextEncoder().encode(repeatCsv(text, 10));
          time('score1', () => m.scoreCsv(big));
          time('score2', () => m.scoreCsv(big));
          const bytes = m.toBytes();
          if (split) {
            const f = lf.Model.fromBytes(bytes);
            time('tables', () => f.explainCsv(d, { rows: [0] }));
            time('blocks', () => f.explainCsv(d));
            f.free();
          }
          time('explain1', () => { const f = lf.Model.fromBytes(bytes); f.explainCsv(d); f.free(); });
          time('explain2fresh', () => { const f = lf.Model.fromBytes(bytes); f.explainCsv(d); f.free(); });
          time('explain3', () => m.explainCsv(d));
          time('explain4', () => m.explainCsv(d));
          return res;
        }, { text: d10k, split });
        (results[v] ??= []).push(out);
        console.error(v, JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, x]) => [k, Math.round(x)]))));
      } finally {
        await close();
      }
    }
  }
} finally {
  writeFileSync(WASM, built);
}
console.log(`medians of ${rounds} fresh page(s) per engine, ms`);
for (const v of variants) {
  const keys = Object.keys(results[v][0]);
  console.log(`${v}: ${keys.map((k) => `${k} ${Math.round(median(results[v].map((o) => o[k])))}`).join('  ')}`);
}
