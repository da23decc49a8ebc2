// The card's engine work before its first score (not a test): per fresh browser context, the
// scoring-only engine fetched and compiled, then the page's first Model.fromBytes and first
// scoreRecord on the demo model timed on the main thread (WASM compiled lazily on first call, so
// these include compiling every function they reach), then the same two calls again (baseline
// code). Builds side by side: each directory (under www/, e.g. a copy of leadforest/pkg made from
// another build) holds a wasm-bindgen output leadforest_score.js + leadforest_score_bg.wasm;
// fresh contexts interleaved between them, each loaded once the machine is quiet (hosts.mjs
// `settle`); medians. Prints a table.
//   node benches/widget/first-calls.mjs [--runs 21] [DIR…]   (default DIR: leadforest/pkg)
import { serve, launch } from '../../tests/browser/harness.mjs';
import { median } from '../wasm/cases.mjs';
import { settle } from './hosts.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const RUNS = at >= 0 ? Number(args.splice(at, 2)[1]) : 21;
const DIRS = args.length ? args.map((d) => `/${d.replace(/^\/+|\/+$/g, '')}`) : ['/leadforest/pkg'];
const PAGES = {
  '/bench/first-calls.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>first calls</title></head>
<body><script type="module" src="/bench/first-calls.js"></script></body></html>`,
  '/bench/first-calls.js': `
const dir = new URLSearchParams(location.search).get('dir');
const lead = await (await fetch('/embed/sample-lead.json')).json();
const bytes = new Uint8Array(await (await fetch('/demo/demo-model.lfm')).arrayBuffer());
const wasm = await (await fetch(dir + '/leadforest_score_bg.wasm')).arrayBuffer();
const glue = await import(dir + '/leadforest_score.js');
await glue.default({ module_or_path: await WebAssembly.compile(wasm) });
const out = {};
let t = performance.now();
const first = glue.Model.fromBytes(bytes);
out.parse = performance.now() - t; t = performance.now();
first.scoreRecord(lead);
out.score = performance.now() - t;
out.both = out.parse + out.score; t = performance.now();
const again = glue.Model.fromBytes(bytes);
out.parseAgain = performance.now() - t; t = performance.now();
again.scoreRecord({ ...lead, 'Pages Viewed': 3 });
out.scoreAgain = performance.now() - t;
window.out = out;`,
};
const server = await serve(undefined, PAGES);
const browser = await launch();
try {
  const all = Object.fromEntries(DIRS.map((d) => [d, {}]));
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < DIRS.length; k++) {
      const dir = DIRS[(r + k) % DIRS.length];
      const context = await browser.newContext();
      const page = await context.newPage();
      await settle();
      await page.goto(`${server.url}/bench/first-calls.html?dir=${encodeURIComponent(dir)}`);
      await page.waitForFunction(() => window.out, null, { timeout: 30000 });
      for (const [key, v] of Object.entries(await page.evaluate(() => window.out))) (all[dir][key] ??= []).push(v);
      await context.close();
    }
  }
  console.log(`\nThe card engine's first calls, headless Chromium, ${RUNS} fresh contexts per build, interleaved, medians (ms)\n`);
  console.log('| build | first fromBytes | first scoreRecord | both | fromBytes again | scoreRecord again |\n|---|---|---|---|---|---|');
  for (const d of DIRS) {
    const m = (k) => median(all[d][k]).toFixed(1);
    console.log(`| ${d} | ${m('parse')} | ${m('score')} | ${m('both')} | ${m('parseAgain')} | ${m('scoreAgain')} |`);
  }
} finally {
  await browser.close();
  await server.close();
}
