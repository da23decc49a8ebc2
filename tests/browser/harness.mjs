// Shared browser-test harness: a static server for www/ on 127.0.0.1 (port 0, closed after the
// test), headless Debian Chromium through playwright-core, and a log of every request.
import http from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WWW = path.join(ROOT, 'www');
export const ARTIFACTS = path.join(ROOT, 'test-results');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.lfm': 'application/octet-stream',
  '.ts': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` on 127.0.0.1 at a free port. Resolves to { url, close }. `pages` maps a path
 * ('/bench/x.html') to a body served from memory (benchmarks' own host pages beside www/).
 */
export async function serve(root = WWW, pages = {}) {
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      if (Object.hasOwn(pages, url.pathname)) {
        res.writeHead(200, { 'content-type': TYPES[path.extname(url.pathname)] || 'application/octet-stream' });
        res.end(pages[url.pathname]);
        return;
      }
      let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
      if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Headless Chromium as these machines allow it (no downloads, no background networking). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new page that records every request URL and every console error / page error. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  return { context, page, requests, errors };
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The app's shared first steps: a new page (`openPage`; `context` = its context options) on the
 * app served at `server`, waiting until the engine is ready; with `demo`, "Try the demo data" and
 * its profile (`loadDemo`); with `train`, also Train with the app's defaults until the scored
 * leads show (`trainModel`). Resolves to `openPage`'s { context, page, requests, errors }.
 */
export async function openApp(browser, server, { demo = false, train = false, context } = {}) {
  const session = await openPage(browser, context);
  const { page } = session;
  await page.goto(`${server.url}/index.html`);
  await page.waitForSelector('body[data-ready]', { timeout: 30000 });
  if (demo || train) await loadDemo(page);
  if (train) await trainModel(page);
  return session;
}

/** Clicks "Try the demo data" and waits for the profile card. */
export async function loadDemo(page) {
  await page.click('[data-testid=demo-button]');
  await page.waitForSelector('#profile-card:not([hidden])');
}

/** Clicks Train (the app's current choices) and waits for the scored leads; throws the app's
 * message when training fails instead of waiting for the timeout. */
export async function trainModel(page) {
  await page.click('[data-testid=train-button]');
  await page.waitForSelector('[data-testid=scored-table] tbody tr, #train-status [role=alert]', { timeout: 300000 });
  const failure = await page.$('#train-status [role=alert]');
  if (failure) throw new Error(`training failed: ${await failure.textContent()}`);
}

/**
 * Run in the page (`page.evaluate(lowContrast)`): the visible text elements whose colour on their
 * background is below WCAG AA (4.5:1; 3:1 for large text), as "TAG.class "text" ratio", open
 * shadow roots included (the CRM card draws inside one). The background is the first opaque one
 * up the tree, crossing from a shadow root to its host.
 */
export function lowContrast() {
  const lum = (c) => {
    const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement || e.getRootNode().host) {
      const bg = getComputedStyle(e).backgroundColor;
      const alpha = bg.match(/[\d.]+/g)?.[3];
      if (bg !== 'transparent' && alpha !== '0') return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document.body);
  const bad = [];
  for (const el of all) {
    if (!el.checkVisibility?.() || el.closest('svg') || el.closest('.lf-sr-only')) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el);
    const a = lum(style.color);
    const b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return bad;
}
