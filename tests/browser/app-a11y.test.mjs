// The app is usable by keyboard and screen reader, readable (text contrast), and fits a narrow
// phone screen as well as 1280×800.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, trainModel, screenshot, lowContrast } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const openDemo = (context) => openApp(browser, server, { demo: true, context });

/** Inputs, selects and buttons without an accessible name. */
function unnamedControls() {
  return [...document.querySelectorAll('input, select, button')]
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim())))
    .map((el) => el.id || el.outerHTML.slice(0, 60));
}

test('every control has an accessible name and text contrast meets WCAG AA', async () => {
  const { page, errors } = await openDemo();
  assert.deepEqual(await page.evaluate(unnamedControls), []);
  assert.deepEqual(await page.evaluate(lowContrast), []);
  assert.deepEqual(errors, []);
});

test('after training, with a lead open and a deal value chosen: every control named, contrast AA, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, errors, context } = await openApp(browser, server, { train: true, context: { colorScheme } });
    // the results, the scored leads (with the Expected value column), a lead's card, the
    // downloads: what a user reads after training
    await page.selectOption('[data-testid=value-column]', 'Pages Viewed');
    await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]');
    await page.click('[data-testid=scored-table] tbody tr:first-child td:nth-child(2)');
    await page.waitForSelector('[data-testid=lead-expected-value]');
    assert.deepEqual(await page.evaluate(unnamedControls), [], colorScheme);
    assert.deepEqual(await page.evaluate(lowContrast), [], colorScheme);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('keyboard: Tab reaches the file pickers, demo, pickers and Train, with a visible focus ring', async () => {
  const { page } = await openDemo();
  await page.evaluate(() => document.activeElement.blur());
  const seen = [];
  const rings = {};
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el.matches('input[type=file]') ? el.parentElement : el);
      return { id: el.dataset.testid || el.id, ring: s.boxShadow !== 'none' || s.outlineStyle !== 'none' };
    });
    seen.push(info.id);
    rings[info.id] = info.ring;
  }
  for (const id of ['forget-button', 'csv-input', 'demo-button', 'model-input', 'target-select', 'positive-select', 'train-button']) {
    assert.ok(seen.includes(id), `Tab never reached ${id}: ${seen.join(' ')}`);
    assert.ok(rings[id], `${id} has no visible focus indicator`);
  }
});

test('narrow screen (390×844): nothing overflows sideways, before and after training', async () => {
  const { page, errors } = await openDemo({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const overflow = () => page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth }));
  let o = await overflow();
  assert.ok(o.doc <= o.win, `page is ${o.doc}px wide in a ${o.win}px window`);
  await screenshot(page, 'app-narrow');
  // the results, the scored leads (the wide table scrolls inside its own box) and a deal value
  await trainModel(page);
  await page.selectOption('[data-testid=value-column]', 'Pages Viewed');
  await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]');
  o = await overflow();
  assert.ok(o.doc <= o.win, `after training the page is ${o.doc}px wide in a ${o.win}px window`);
  await screenshot(page, 'app-narrow-scored');
  assert.deepEqual(errors, []);
});
