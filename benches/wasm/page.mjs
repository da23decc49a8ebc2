// The Chromium side of the WASM benchmarks (bench.mjs, score.mjs): the repo served on 127.0.0.1,
// headless Chromium, benches/wasm/bench.html loaded and ready, page logs on stderr, and
// `window.threadTime()`: the page's main-thread CPU seconds (DevTools protocol `ThreadTime`).
import path from 'node:path';

/** Opens bench.html; returns `{ page, close }` (`close` stops the browser and the server). */
export async function openBenchPage(root) {
  const { serve, launch } = await import(path.join(root, 'tests/browser/harness.mjs'));
  const server = await serve(root);
  const browser = await launch();
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.error(`  [page] ${m.text()}`));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.exposeFunction('threadTime', async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0);
    await page.goto(`${server.url}/benches/wasm/bench.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
