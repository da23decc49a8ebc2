// Where a cold first score goes, from a Chromium performance trace (not a test). Per fresh
// browser context: a trace (devtools.timeline, v8, v8.wasm, loading, the V8 sampling profiler at
// 100 µs) from navigation to the card's first `leadforest-score` event; prints, for the page's
// main thread, the time by trace event (self time, top-level kinds), the JS/wasm functions the
// sampling profiler saw most (self time), and when each file arrived. Medians over the runs.
//   node benches/widget/trace.mjs [--runs 5] [--top 25] [--out trace.json] [--no-profiler]
//     [--page crm|card|floor]   (the host page: hosts.mjs; default crm, the example CRM page)
//     [--no-settle]             (each navigation straight after the previous context closed)
// (after scripts/build.sh; a build with wasm names kept shows them: wasm-opt -g)
import { writeFile } from 'node:fs/promises';
import { serve, launch } from '../../tests/browser/harness.mjs';
import { HOSTS, PAGES, coldLoad } from './hosts.mjs';
import { median } from '../wasm/cases.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('runs', 5));
const TOP = Number(arg('top', 25));
const OUT = arg('out', null);
const PAGE = HOSTS[arg('page', 'crm')] ?? arg('page');
const PROFILER = !process.argv.includes('--no-profiler'); // starting it costs the page ~40 ms
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute',
  'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'disabled-by-default-v8.compile', 'loading',
  'blink.user_timing', ...(PROFILER ? ['disabled-by-default-v8.cpu_profiler'] : [])];

const server = await serve(undefined, PAGES);
const browser = await launch();
const byEvent = new Map(); // name → [ms per run]
const byFunction = new Map();
const arrivals = new Map();
const firsts = [];
const add = (map, key, v, run) => {
  if (!map.has(key)) map.set(key, []);
  const a = map.get(key);
  a[run] = (a[run] ?? 0) + v;
};
try {
  for (let run = 0; run < RUNS; run++) {
    const { first, context, page } = await coldLoad(browser, `${server.url}${PAGE}`, {
      before: (p) => browser.startTracing(p, { categories: CATEGORIES }),
      settle: !process.argv.includes('--no-settle'),
    });
    const res = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => [e.name.replace(location.origin, ''), e.startTime, e.responseEnd]));
    const buf = await browser.stopTracing();
    if (OUT && run === 0) await writeFile(OUT, buf);
    await context.close();
    firsts.push(first);
    for (const [name, , end] of res) add(arrivals, name, end, run);

    const { traceEvents } = JSON.parse(buf.toString());
    const mark = traceEvents.find((e) => e.name === 'lf-first-score');
    const nav = traceEvents.find((e) => e.name === 'navigationStart' && e.pid === mark.pid && e.args?.data?.isLoadingMainFrame)
      ?? traceEvents.find((e) => e.name === 'navigationStart' && e.pid === mark.pid);
    const main = traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === mark.pid
      && e.args.name === 'CrRendererMain');
    const t0 = nav.ts;
    const t1 = mark.ts;
    // Main-thread complete events in the window: self time by name (children subtracted).
    const evs = traceEvents.filter((e) => e.pid === mark.pid && e.tid === main.tid && e.ph === 'X'
      && e.ts >= t0 && e.ts <= t1 && e.dur !== undefined)
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const stack = [];
    let busy = 0;
    let cpu = 0;
    for (const e of evs) {
      while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
      const end = Math.min(e.ts + e.dur, t1);
      const d = (end - e.ts) / 1000;
      if (stack.length) add(byEvent, stack.at(-1).name, -d, run);
      else { busy += d; cpu += (e.tdur ?? e.dur) / 1000 * Math.min(1, (end - e.ts) / e.dur || 1); }
      add(byEvent, e.name, d, run);
      stack.push(e);
    }
    add(byEvent, '(main thread idle in the window)', (t1 - t0) / 1000 - busy, run);
    add(byEvent, '(main thread busy in the window)', busy, run);
    // Thread time (CPU) of the busy spans: on a loaded machine far below the wall time busy, the
    // rest being the thread waiting for a core.
    add(byEvent, '(main thread CPU in the window, thread time)', cpu, run);
    // V8's background tier-up of hot wasm functions (TurboFan), on the renderer's worker threads:
    // CPU the main thread competes with on a machine with few cores.
    const topTier = traceEvents.filter((e) => e.pid === mark.pid && e.name === 'wasm.TopTierCompilation'
      && e.ph === 'X' && e.ts >= t0 && e.ts <= t1).reduce((a, e) => a + (e.tdur ?? e.dur) / 1000, 0);
    add(byEvent, '(wasm top-tier compilation on worker threads, CPU)', topTier, run);
    // The wasm's lazy first-call compilation, outermost events only (nested ones counted once).
    let lazy = 0;
    let lazyEnd = 0;
    for (const e of evs) {
      if (e.name !== 'wasm.CompileLazy' || e.ts < lazyEnd) continue;
      lazy += e.dur / 1000;
      lazyEnd = e.ts + e.dur;
    }
    add(byEvent, '(wasm lazy compilation, total)', lazy, run);
    // Sampling profiler (its chunks come on a profiler thread, tied to the main thread's Profile
    // by id): self time per function, JS and wasm (wasm names only in a build that keeps them).
    const profile = traceEvents.find((e) => e.name === 'Profile' && e.pid === mark.pid && e.tid === main.tid);
    if (profile) {
      const nodes = new Map();
      let ts = profile.args.data.startTime;
      for (const e of traceEvents) {
        if (e.name !== 'ProfileChunk' || e.pid !== mark.pid || e.id !== profile.id) continue;
        const p = e.args.data.cpuProfile || {};
        for (const n of p.nodes || []) nodes.set(n.id, n);
        const samples = p.samples || [];
        const deltas = e.args.data.timeDeltas || [];
        for (let i = 0; i < samples.length; i++) {
          ts += deltas[i];
          if (ts < t0 || ts > t1) continue;
          const cf = nodes.get(samples[i])?.callFrame || {};
          if (cf.functionName === '(idle)') continue;
          const file = (cf.url || '').split('/').pop();
          add(byFunction, `${cf.functionName || '(anonymous)'}${file ? ` ${file}` : ''}`, Math.max(0, deltas[i]) / 1000, run);
        }
      }
    }
  }
  const table = (title, map, n) => {
    const rows = [...map].map(([k, a]) => [k, median(Array.from({ length: RUNS }, (_, i) => a[i] ?? 0))])
      .filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]).slice(0, n);
    console.log(`\n${title}\n\n| what | median ms |\n|---|---|`);
    for (const [k, v] of rows) console.log(`| ${k} | ${v.toFixed(1)} |`);
  };
  console.log(`${PAGE}: cold first score (${RUNS} fresh contexts, traced): median ${median(firsts).toFixed(1)} ms, all ${firsts.map((x) => x.toFixed(0)).join(' ')}`);
  table('Main thread, navigation → first score, self time by trace event', byEvent, TOP);
  table('Main thread, sampled functions (self time, 100 µs samples)', byFunction, TOP);
  table('Files: responseEnd (ms from navigation)', arrivals, 30);
} finally {
  await browser.close();
  await server.close();
}
