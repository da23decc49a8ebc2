// Host pages for the card's benchmarks (served from memory beside www/ by the harness's `serve`),
// so that what a host page costs and what the card costs are measured apart, in the same run:
//   floor  an empty page whose one module script fetches one 1-byte file, then fires the event
//          the benchmarks wait for: what any page that runs a script and fetches a file pays in
//          a fresh browser context (navigation, the renderer's first document, two requests)
//   card   the card alone: the element (model and record as attributes) and its module script
//   crm    the example CRM page (www/embed/crm-lead.html: its CSS, its own script building the
//          lead's form from the JSON block the page carries, the card's preload tags)
//   crm-noform  the same page without its script and form (the lead as the card's attribute):
//          not in bench.mjs's default pages; beside `crm`, what the host page's form costs
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { WWW } from '../../tests/browser/harness.mjs';

const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'">`;
const attr = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const lead = JSON.stringify(JSON.parse(readFileSync(path.join(WWW, 'embed/sample-lead.json'), 'utf8')));

// The example CRM page as served from /bench/ (paths made absolute), without crm-lead.js.
const CRM = readFileSync(path.join(WWW, 'embed/crm-lead.html'), 'utf8').replace(/\.\.\//g, '/')
  .replace('href="crm.css"', 'href="/embed/crm.css"');
const NO_FORM = CRM.replace('<script type="module" src="crm-lead.js"></script>', '')
  .replace('<leadforest-score id="score"', `<leadforest-score record="${attr(lead)}" id="score"`);
if (NO_FORM === CRM || NO_FORM.includes('src="crm-lead.js"')) throw new Error('hosts.mjs: crm-lead.html changed; update crm-noform');

export const PAGES = {
  '/bench/crm-noform.html': NO_FORM,
  '/bench/floor.html': `<!doctype html><html lang="en"><head><meta charset="utf-8">${CSP}<title>floor</title></head>
<body><script type="module" src="/bench/floor.js"></script></body></html>`,
  '/bench/floor.js': `await (await fetch('/bench/one-byte.txt')).arrayBuffer();
document.dispatchEvent(new CustomEvent('leadforest-score'));`,
  '/bench/one-byte.txt': 'x',
  '/bench/card.html': `<!doctype html><html lang="en"><head><meta charset="utf-8">${CSP}<title>card</title></head>
<body><leadforest-score model="/demo/demo-model.lfm" label-field="Full Name" record="${attr(lead)}"></leadforest-score>
<script type="module" src="/widget/leadforest-score.js"></script></body></html>`,
};

/** The pages by short name (bench.mjs --pages floor,card,crm). */
export const HOSTS = { floor: '/bench/floor.html', card: '/bench/card.html', crm: '/embed/crm-lead.html', 'crm-noform': '/bench/crm-noform.html' };

/**
 * One cold load of `url` in a new browser context (empty HTTP cache, no compiled-wasm cache):
 * resolves to { first, requests, context, page } with `first` = ms from navigation start (the
 * page's time origin) to the first `leadforest-score` event. The page is not polled while it
 * loads: the event is reported with a console message (Playwright's `waitForFunction` evaluates
 * its injected script in the page, 15–30 ms of main-thread work in the middle of the load), and
 * the navigation is awaited to its commit only. `before(page)` runs before the navigation
 * (tracing). With `settle` (the default), the navigation waits until the machine is quiet
 * (`settle()`): creating this context and closing the previous one keep both cores busy for a
 * while, which no visitor's page load meets. The caller closes `context`; `waited` = ms settled.
 */
export async function coldLoad(browser, url, { before, settle: quiet = true } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests = new Set();
  context.on('request', (r) => requests.add(r.url()));
  await page.addInitScript(() => {
    const report = (what) => () => {
      if (window.firstScoreAt) return;
      window.firstScoreAt = performance.now();
      performance.mark('lf-first-score');
      console.debug(`lf-bench ${what} ${window.firstScoreAt}`);
    };
    document.addEventListener('leadforest-score', report('score'));
    document.addEventListener('leadforest-error', report('error'));
  });
  const reported = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('lf-bench '), timeout: 30000 });
  if (before) await before(page);
  const waited = quiet ? await settle() : 0;
  await page.goto(url, { waitUntil: 'commit' });
  let what, at;
  try {
    [, what, at] = (await reported).text().split(' ');
  } catch (e) {
    await context.close();
    throw new Error(`no score on ${url}: ${e.message}`);
  }
  if (what !== 'score') {
    const why = await page.evaluate(() => document.querySelector('leadforest-score')?.shadowRoot.querySelector('.status').textContent);
    await context.close();
    throw new Error(`no score on ${url}: ${why}`);
  }
  return { first: Number(at), requests, context, page, waited };
}

/** Busy and total CPU time of the whole machine so far (/proc/stat, in clock ticks). */
function cpuTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - fields[4], total }; // idle and iowait are not busy
}

/**
 * Waits until the machine is quiet: a `windowMs` window in which at most `maxBusy` of all cores'
 * time was busy (defaults: 100 ms, 10 %), or `maxMs` at most; resolves to the ms waited. A fresh
 * context's cold load then meets what a visitor's does (a browser not busy building or tearing
 * down other pages), not the previous round's leftovers; on this 2-core machine the two differ by
 * 40-90 ms at the median (BENCHMARKS.md, "The cold bench, settled (session 10)"). Without
 * /proc/stat (not Linux) it waits 500 ms.
 */
export async function settle({ windowMs = 100, maxBusy = 0.1, maxMs = 3000 } = {}) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const started = Date.now();
  if (!existsSync('/proc/stat')) { await sleep(500); return Date.now() - started; }
  while (Date.now() - started < maxMs) {
    const a = cpuTicks();
    await sleep(windowMs);
    const b = cpuTicks();
    if (b.busy - a.busy <= maxBusy * Math.max(1, b.total - a.total)) break;
  }
  return Date.now() - started;
}
