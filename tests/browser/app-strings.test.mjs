// The app's download card after training on the demo: "What the model file contains" (the
// engine's Model.strings() shown before the download; issue 18) lists category values the model
// file holds and none of the demo's personal values; the CRM import files (Model.crmCsv; issue 20)
// are downloaded with that CRM's record-id header, and a CRM whose id column is missing says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, openApp } from './harness.mjs';

let server, browser, session;
before(async () => {
  server = await serve();
  browser = await launch();
  session = await openApp(browser, server, { train: true });
});
after(async () => { await browser?.close(); await server?.close(); });

/** The demo CSV the app trained on (same rows and seed as www/app/main.js's DEMO), parsed. */
async function demoColumns(page) {
  return page.evaluate(async () => {
    const m = await import('./leadforest/index.js');
    await m.init(); // the app's engine is in its worker: this page loads its own copy for the check
    const text = m.demoCsv(5000, 7);
    const lines = text.trim().split(/\r?\n/);
    const headers = lines[0].split(',');
    const col = (name) => lines.slice(1).map((l) => l.split(',')[headers.indexOf(name)]);
    return { email: col('Email'), name: col('Full Name'), source: col('Lead Source'), industry: col('Industry'), firstId: col('Lead ID')[0] };
  });
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: dl.suggestedFilename(), bytes: await readFile(await dl.path()) };
}

test('"What the model file contains" lists the stored strings before the download, and no personal value', async () => {
  const { page, errors, requests } = session;
  const box = page.locator('[data-testid=model-strings]');
  await box.locator('li').first().waitFor({ state: 'attached', timeout: 30000 });
  assert.equal(await box.isVisible(), true);
  // it sits before the download buttons' card ends, next to "Model file"
  await box.locator('summary').click();
  const values = await box.locator('li code').allTextContents();
  const text = await box.textContent();
  assert.ok(values.length > 10, `only ${values.length} strings listed`);
  assert.match(text, /fewer than 10 training rows/);
  assert.match(text, /Reading a CSV|Model inputs/);

  const demo = await demoColumns(page);
  const model = await download(page, () => page.click('[data-testid=download-model]'));
  const modelText = model.bytes.toString('latin1');
  // at least one category value of the demo is listed, and it is really in the model file
  const categories = [...new Set([...demo.source, ...demo.industry])];
  const listed = categories.filter((v) => values.includes(v));
  assert.ok(listed.length > 0, `no Lead Source / Industry value listed among ${values.length}`);
  for (const v of listed) assert.ok(modelText.includes(v), `“${v}” listed but not in the model file`);
  // every listed string is in the file (what the list says is what the file holds; report texts
  // sit inside JSON, with their quotes escaped)
  const utf8 = model.bytes.toString('utf8');
  for (const v of values) assert.ok(utf8.includes(v) || utf8.includes(JSON.stringify(v).slice(1, -1)), `“${v}” is listed but not stored`);
  // the privacy rule: no lead's e-mail address or name is listed (nor stored)
  const lower = text.toLowerCase();
  for (const v of [...demo.email, ...demo.name]) {
    assert.ok(!lower.includes(v.toLowerCase()), `personal value “${v}” is listed`);
  }
  // strings render as text nodes only
  assert.equal(await box.locator('li code *').count(), 0);
  assert.deepEqual(errors, []);
  assert.ok(requests.every((u) => u.startsWith(server.url)), 'a request left the origin');
});

test('CRM import files: Salesforce by the demo\'s Lead ID; HubSpot without an id column says why', async () => {
  const { page, errors } = session;
  const demo = await demoColumns(page);
  const sf = await download(page, () => page.click('[data-testid=download-crm] [data-crm=salesforce]'));
  const lines = sf.bytes.toString('utf8').replace(/^\ufeff/, '').split(/\r?\n/).filter(Boolean);
  assert.equal(lines[0].split(',')[0], 'Id', `header: ${lines[0]}`);
  assert.equal(lines.length - 1, 5000);
  assert.equal(lines[1].split(',')[0], demo.firstId);
  assert.match(sf.name, /salesforce/i);
  assert.match(await page.textContent('[data-testid=crm-status]'), /5,000 records by “Lead ID”/);

  await page.click('[data-testid=download-crm] [data-crm=hubspot]');
  const alert = page.locator('[data-testid=crm-status] [role=alert]');
  await alert.waitFor({ timeout: 30000 });
  assert.match(await alert.textContent(), /Record ID/);
  assert.deepEqual(errors, []);
});

test('the disclosure names an allowed personal column (read from the privacy section) and renders strings as text', async () => {
  const { page, errors } = session;
  const out = await page.evaluate(async () => {
    const lf = await import('./leadforest/index.js');
    await lf.init();
    const { stringsView } = await import('./app/downloads.js');
    const bytes = new TextEncoder().encode(lf.demoCsv(600, 3));
    const render = (strings) => { const div = document.createElement('div'); div.append(...stringsView(strings)); return div; };
    const plain = lf.train(bytes, { target: 'Converted', seed: 1, trees: 20 });
    const allowed = lf.train(bytes, { target: 'Converted', seed: 1, trees: 20, allowPersonal: ['Full Name'] });
    const a = render(allowed.strings());
    const p = render(plain.strings());
    const hostile = render([{ value: '<img src=x onerror="window.__owned=1">', section: 'features', field: 'x', use: '<b>use</b>' }]);
    plain.free();
    allowed.free();
    return {
      allowed: a.textContent, plain: p.textContent,
      privacySection: Boolean(a.querySelector('[data-section=privacy]')),
      hostileText: hostile.querySelector('li').textContent,
      hostileElements: hostile.querySelectorAll('img, b').length,
    };
  });
  assert.match(out.allowed, /Personal data you allowed: “Full Name” \(people's names\)/);
  assert.ok(out.privacySection);
  assert.match(out.plain, /No personal-data column was allowed/);
  assert.doesNotMatch(out.plain, /Personal data you allowed:/);
  assert.equal(out.hostileElements, 0);
  assert.match(out.hostileText, /<img src=x onerror=/);
  assert.deepEqual(errors, []);
});
