// Widget benchmark (not a test): cold load to first score, single-lead re-scoring latency and the
// bytes a page downloads, for <leadforest-score> on the CRM-like example page, served from
// 127.0.0.1 to headless Chromium. Needs a built www/ (scripts/build.sh). Prints a table.
//   node benches/widget/bench.mjs [--cold 15] [--leads 1000]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, WWW } from '../../tests/browser/harness.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COLD = arg('cold', 15);
const LEADS = arg('leads', 1000);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const ms = (x) => `${x.toFixed(1)} ms`;

const server = await serve();
const browser = await launch();
try {
  const firstScore = [];
  let files = new Set();
  for (let i = 0; i < COLD; i++) {
    // A new context each time: empty HTTP cache and no compiled-wasm cache, i.e. a cold load.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const urls = new Set();
    context.on('request', (r) => urls.add(r.url()));
    await page.addInitScript(() => {
      document.addEventListener('leadforest-score', () => { window.firstScoreAt ??= performance.now(); });
    });
    await page.goto(`${server.url}/embed/crm-lead.html`);
    await page.waitForFunction(() => window.firstScoreAt || ['error', 'unavailable'].includes(document.querySelector('leadforest-score')?.state), null, { timeout: 30000 });
    const t = await page.evaluate(() => window.firstScoreAt ?? null);
    if (t === null) {
      const why = await page.evaluate(() => document.querySelector('leadforest-score').shadowRoot.querySelector('.status').textContent);
      throw new Error(`no score on the example page: ${why}`);
    }
    firstScore.push(t);
    files = urls;
    await context.close();
  }

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

  console.log(`\nWidget on /embed/crm-lead.html, headless Chromium, 127.0.0.1 (${COLD} cold loads, ${LEADS} re-scores)\n`);
  console.log('| measure | value |\n|---|---|');
  console.log(`| cold load → first score, p50 | ${ms(pct(firstScore, 0.5))} |`);
  console.log(`| cold load → first score, max | ${ms(Math.max(...firstScore))} |`);
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
