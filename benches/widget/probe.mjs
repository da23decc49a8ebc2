// Where the card's cold first score goes (not a test): per fresh browser context, when each file
// was requested and arrived, when the .wasm compile and instantiate ran, the first score's time,
// then (warm, same page) Model.fromBytes, one scoreRecord, the .wasm fetch and compile.
//   node benches/widget/probe.mjs [--runs 5]   (after scripts/build.sh)
import { serve, launch } from '../../tests/browser/harness.mjs';

const i = process.argv.indexOf('--runs');
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 5;
const server = await serve();
const browser = await launch();
try {
  for (let r = 0; r < RUNS; r++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      document.addEventListener('leadforest-score', () => { window.firstScoreAt ??= performance.now(); });
      window.marks = [];
      const mark = (name) => window.marks.push(`${name} ${performance.now().toFixed(0)}`);
      const wrap = (obj, key) => {
        const f = obj[key];
        obj[key] = function (...args) {
          mark(`${key}(`);
          const r = f.apply(this, args);
          if (r && typeof r.then === 'function') r.then(() => mark(`${key})`), () => mark(`${key}!`));
          else mark(`${key})`);
          return r;
        };
      };
      wrap(WebAssembly, 'compileStreaming');
      wrap(WebAssembly, 'instantiate');
      wrap(WebAssembly, 'instantiateStreaming');
      document.addEventListener('DOMContentLoaded', () => mark('DCL'));
      const origDefine = customElements.define.bind(customElements);
      customElements.define = (...a) => { mark(`define ${a[0]}`); return origDefine(...a); };
    });
    await page.goto(`${server.url}/embed/crm-lead.html`);
    await page.waitForFunction(() => window.firstScoreAt, null, { timeout: 30000 });
    const out = await page.evaluate(async () => {
      const res = performance.getEntriesByType('resource').map((e) => `${e.name.replace(location.origin, '')} ${e.startTime.toFixed(0)}→${e.responseEnd.toFixed(0)}`);
      const nav = performance.getEntriesByType('navigation')[0];
      // Warm timings of the steps, on this page's engine.
      const { Model } = await import('/leadforest/score.js');
      const bytes = new Uint8Array(await (await fetch('/demo/demo-model.lfm')).arrayBuffer());
      let t = performance.now();
      const m = Model.fromBytes(bytes);
      const parse = performance.now() - t;
      const w = document.querySelector('leadforest-score');
      t = performance.now();
      m.scoreRecord(w.record);
      const score = performance.now() - t;
      t = performance.now();
      const wasm = await (await fetch('/leadforest/pkg/leadforest_score_bg.wasm')).arrayBuffer();
      const fetchT = performance.now() - t;
      t = performance.now();
      await WebAssembly.compile(wasm);
      const compile = performance.now() - t;
      return { marks: window.marks.join(', '), first: window.firstScoreAt.toFixed(1), dcl: nav.domContentLoadedEventEnd.toFixed(0), res, parse: parse.toFixed(2), score: score.toFixed(2), fetch: fetchT.toFixed(1), compile: compile.toFixed(1) };
    });
    console.log(JSON.stringify(out, null, 0));
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
