// Widget benchmark (not a test): cold load to first score, single-lead re-scoring latency and the
// bytes a page downloads, for <leadforest-score> on the CRM-like example page, served from
// 127.0.0.1 to headless Chromium. Needs a built www/ (scripts/build.sh). Prints a table.
//   node benches/widget/bench.mjs [--cold 31] [--leads 1000] [--pages floor,card,crm] [--no-settle]
// Cold first score = ms from navigation start to the card's first `leadforest-score` event, in a
// new browser context each time, each navigation after the machine has gone quiet (hosts.mjs
// `settle`; `--no-settle`: straight after the previous context closed, as before session 10),
// on three host pages side by side (hosts.mjs): `floor` (an empty
// page that runs one module script and fetches one byte: what no card can beat), `card` (the card
// alone on a minimal page) and `crm` (the example CRM page, www/embed/crm-lead.html).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { serve, launch, WWW } from '../../tests/browser/harness.mjs';
import { HOSTS, PAGES, coldLoad } from './hosts.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COLD = arg('cold', 31); // fewer leave the median at the mercy of a few slow loads
const LEADS = arg('leads', 1000);
const i = process.argv.indexOf('--pages');
const PAGE_NAMES = (i > 0 ? process.argv[i + 1] : 'floor,card,crm').split(',');
const SETTLE = !process.argv.includes('--no-settle');
for (const name of PAGE_NAMES) if (!HOSTS[name]) throw new Error(`--pages: unknown page ${name} (${Object.keys(HOSTS)})`);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const ms = (x) => `${x.toFixed(1)} ms`;

const loadBefore = os.loadavg()[0];
const startedAt = new Date().toISOString().slice(0, 16).replace('T', ' ');
const server = await serve(undefined, PAGES);
const browser = await launch();
try {
  // Rounds of one fresh context per page, the pages' order rotating, so that every page meets
  // the same machine load.
  const firsts = Object.fromEntries(PAGE_NAMES.map((name) => [name, []]));
  const fetched = Object.fromEntries(PAGE_NAMES.map((name) => [name, new Set()]));
  const waits = [];
  for (let i = 0; i < COLD; i++) {
    for (let k = 0; k < PAGE_NAMES.length; k++) {
      const name = PAGE_NAMES[(i + k) % PAGE_NAMES.length];
      const { first, requests, context, waited } = await coldLoad(browser, `${server.url}${HOSTS[name]}`, { settle: SETTLE });
      firsts[name].push(first);
      waits.push(waited);
      fetched[name] = requests;
      await context.close();
    }
  }
  const files = fetched.crm?.size ? fetched.crm : fetched.card ?? new Set();

  // Warm: one page, the lead re-scored LEADS times (a field edit → the card's score event).
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/embed/crm-lead.html`);
  await page.waitForFunction(() => document.querySelector('leadforest-score')?.state === 'scored', null, { timeout: 30000 });
  const latencies = await page.evaluate(async (n) => {
    const w = document.querySelector('leadforest-score');
    const out = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const done = new Promise((resolve) => w.addEventListener('leadforest-score', resolve, { once: true }));
      w.setField('Pages Viewed', i % 40);
      await done;
      out.push(performance.now() - t0);
    }
    return out;
  }, LEADS);
  await context.close();

  let raw = 0;
  let gz = 0;
  let widgetRaw = 0;
  let widgetGz = 0;
  let engineRaw = 0; // the card's own files besides the model (issue 17's bar: ≤ 150 KB gzipped)
  let engineGz = 0;
  const rows = [];
  for (const url of [...files].sort()) {
    const { pathname } = new URL(url);
    const body = await readFile(path.join(WWW, decodeURIComponent(pathname)));
    const g = zlib.gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += g;
    if (/^\/(widget|leadforest)\/|\.lfm$/.test(pathname)) { widgetRaw += body.length; widgetGz += g; }
    if (/^\/(widget|leadforest)\//.test(pathname)) { engineRaw += body.length; engineGz += g; }
    rows.push(`| ${pathname} | ${body.length} | ${g} |`);
  }

  console.log(`\nCold first score, headless Chromium, 127.0.0.1, ${COLD} fresh contexts per page, interleaved`);
  console.log(`(${startedAt} UTC, load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores; ${SETTLE
    ? `each navigation once the machine was quiet: waited ${pct(waits, 0.5).toFixed(0)} ms p50, ${Math.max(...waits)} max`
    : 'not settled: each navigation straight after the previous context closed'})\n`);
  console.log('| host page | p50 | min | max | p50 above the floor |\n|---|---|---|---|---|');
  const floor = firsts.floor?.length ? pct(firsts.floor, 0.5) : null;
  for (const name of PAGE_NAMES) {
    const p50 = pct(firsts[name], 0.5);
    const above = floor === null || name === 'floor' ? '—' : ms(p50 - floor);
    console.log(`| ${name} (${HOSTS[name]}) | ${ms(p50)} | ${ms(Math.min(...firsts[name]))} | ${ms(Math.max(...firsts[name]))} | ${above} |`);
  }
  console.log(`\nWidget on /embed/crm-lead.html (${LEADS} re-scores)\n`);
  console.log('| measure | value |\n|---|---|');
  console.log(`| single-lead re-score (edit → rendered score), p50 | ${ms(pct(latencies, 0.5))} |`);
  console.log(`| single-lead re-score, p99 | ${ms(pct(latencies, 0.99))} |`);
  console.log(`| transfer, widget + engine + model | ${(widgetRaw / 1024).toFixed(1)} KB raw, ${(widgetGz / 1024).toFixed(1)} KB gzipped |`);
  console.log(`| transfer, widget + engine besides the model | ${(engineRaw / 1024).toFixed(1)} KB raw, ${(engineGz / 1024).toFixed(1)} KB gzipped |`);
  console.log(`| transfer, whole example page | ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped |`);
  console.log('\n| file | bytes | gzipped |\n|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  await browser.close();
  await server.close();
}
