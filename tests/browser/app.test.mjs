// The web app in headless Chromium: opening data (demo and file), the profile and pickers,
// hostile cells rendered as text, same-origin requests only, "Forget everything", and the
// virtualized leads table at 100k rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp as open, loadDemo, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const openApp = (options) => open(browser, server, options);

const HOSTILE = [
  'Lead,Note,Website,Converted',
  '1,<img src=x onerror=alert(1)>,javascript:alert(2),Yes',
  '2,<script>alert(3)</script>,"<a href=""javascript:alert(4)"">x</a>",No',
  '3,plain,https://example.com,No',
  '4,"<svg onload=alert(5)>",x,Yes',
].join('\n');

test('the page declares a CSP that allows connections to its own origin only', async () => {
  const { page, errors } = await openApp();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'(;|$)/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(await page.textContent('[data-testid=privacy-note]'), /Nothing leaves this page/);
  // the CSP is enforced: a fetch to another origin is refused by the browser
  const blocked = await page.evaluate(() => fetch('http://example.invalid/x').then(() => 'sent', (e) => e.name));
  assert.equal(blocked, 'TypeError');
  assert.ok(errors.some((e) => /Content Security Policy/i.test(e)), 'the CSP violation was not reported');
});

test('demo data: profile, target and positive value pickers', async () => {
  const { page, requests, errors } = await openApp();
  await loadDemo(page);
  const expected = await page.evaluate(async () => {
    const m = await import('./leadforest/index.js');
    await m.init(); // the app's engine runs in its worker: this page loads its own copy for the check
    return m.demoCsv(5000, 7).split('\n')[0].split(',');
  });
  const options = await page.$$eval('[data-testid=target-select] option', (o) => o.map((x) => x.value));
  assert.deepEqual(options, expected);
  assert.equal(await page.inputValue('[data-testid=target-select]'), 'Converted');
  const positives = await page.$$eval('[data-testid=positive-select] option', (o) => o.filter((x) => x.selected).map((x) => x.value));
  assert.deepEqual(positives, ['Yes']);
  const profileRows = await page.$$eval('[data-testid=profile-table] tbody tr', (r) => r.length);
  assert.equal(profileRows, expected.length);
  await page.selectOption('[data-testid=target-select]', 'Trial Signup');
  const pos2 = await page.$$eval('[data-testid=positive-select] option', (o) => o.filter((x) => x.selected).map((x) => x.value));
  assert.deepEqual(pos2, ['Yes']);
  await screenshot(page, 'app-demo-profile');
  for (const url of requests) assert.ok(url.startsWith(server.url), `unexpected request ${url}`);
  assert.deepEqual(errors, []);
});

test('hostile cells render as text: no dialog, no script, no element injected', async () => {
  const { page, errors } = await openApp();
  await page.evaluate(() => { window.__pwned = 0; window.alert = () => { window.__pwned++; }; });
  await page.setInputFiles('[data-testid=csv-input]', { name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(HOSTILE) });
  await page.waitForSelector('#profile-card:not([hidden])');
  const text = await page.textContent('[data-testid=profile-table]');
  assert.ok(text.includes('<img src=x onerror=alert(1)>'), 'the cell is not shown as text');
  assert.ok(text.includes('<script>alert(3)</script>'));
  const injected = await page.evaluate(() => ({
    img: document.querySelectorAll('main img').length,
    script: document.querySelectorAll('main script').length,
    svg: [...document.querySelectorAll('main svg')].filter((s) => s.getAttribute('onload')).length,
    jsLinks: [...document.querySelectorAll('a')].filter((a) => a.href.startsWith('javascript:')).length,
    pwned: window.__pwned,
  }));
  assert.deepEqual(injected, { img: 0, script: 0, svg: 0, jsLinks: 0, pwned: 0 });
  const positives = await page.$$eval('[data-testid=positive-select] option', (o) => o.map((x) => x.value));
  assert.deepEqual(positives.sort(), ['No', 'Yes']);
  await screenshot(page, 'app-hostile');
  assert.deepEqual(errors, []);
});

test('a CSV dropped on the drop zone opens (and a drop elsewhere does not navigate away)', async () => {
  const { page, errors } = await openApp();
  const transfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Company;Stage;Won\nAcme;Lead;yes\nGlobex;Deal;no\n'], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  });
  await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
  assert.equal(await page.isHidden('#profile-card'), true);
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });
  await page.waitForSelector('#profile-card:not([hidden])');
  assert.match(await page.textContent('#data-status'), /dropped\.csv: 2 rows × 3 columns \(separator “;”\)/);
  assert.equal(await page.inputValue('[data-testid=target-select]'), 'Won');
  assert.ok(page.url().endsWith('/index.html'));
  assert.deepEqual(errors, []);
});

test('a malformed CSV shows the engine\'s message (row named) and the page keeps working', async () => {
  const { page, errors } = await openApp();
  await page.setInputFiles('[data-testid=csv-input]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3\n') });
  await page.waitForSelector('#data-status [role=alert]');
  assert.match(await page.textContent('#data-status'), /row 2/);
  assert.equal(await page.isHidden('#profile-card'), true);
  await loadDemo(page);
  assert.deepEqual(errors, []);
});

test('"Forget everything" asks first, then clears localStorage, IndexedDB, the data and every panel', async () => {
  const { page, errors } = await openApp({ train: true });
  await page.click('[data-testid=scored-table] tbody tr:first-child td:nth-child(2)');
  await page.waitForSelector('#reasons-body li');
  // it asks first; "Keep working" keeps everything
  await page.click('[data-testid=forget-button]');
  await page.waitForSelector('[data-testid=forget-confirm]');
  await page.click('[data-testid=forget-keep]');
  assert.equal(await page.isHidden('[data-testid=forget-confirm]'), true);
  assert.ok(await page.evaluate(() => window.leadforestApp.state.file !== null));
  const email = await page.evaluate(() => [...document.querySelectorAll('[data-testid=scored-table] tbody td')].map((td) => td.textContent).find((t) => /@/.test(t)));
  assert.ok(email, 'no e-mail address in the table');
  await page.evaluate(() => new Promise((resolve, reject) => {
    localStorage.setItem('k', 'v');
    const req = indexedDB.open('leadforest-test', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onsuccess = () => { req.result.close(); resolve(); };
    req.onerror = () => reject(req.error);
  }));
  await page.click('[data-testid=forget-button]');
  await page.click('[data-testid=forget-confirm]');
  await page.waitForFunction(() => document.getElementById('live').textContent.includes('forgotten'));
  const after = await page.evaluate(async (email) => ({
    local: localStorage.length,
    dbs: (await indexedDB.databases()).map((d) => d.name),
    file: window.leadforestApp.state.file,
    model: window.leadforestApp.state.model,
    profileHidden: document.getElementById('profile-card').hidden,
    // nothing of the file is left anywhere in the page, hidden or not
    leftovers: ['Lead ID', 'Converted', email].filter((s) => document.querySelector('main').textContent.includes(s)),
    options: document.querySelectorAll('main option').length,
    rows: document.querySelectorAll('main tbody tr, main li').length,
  }), email);
  assert.deepEqual(after, { local: 0, dbs: [], file: null, model: null, profileHidden: true, leftovers: [], options: 1, rows: 0 });
  // the page keeps working afterwards
  await loadDemo(page);
  assert.deepEqual(errors, []);
});

test('the leads table is virtualized: 100k rows, only visible <tr>s, text-only cells, keyboard works', async () => {
  const { page, errors } = await openApp();
  const out = await page.evaluate(async () => {
    const { VirtualTable } = await import('./app/table.js');
    const n = 100000;
    const score = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 100);
    let opened = -1;
    const t = new VirtualTable({
      columns: [{ key: 'i', label: '#', numeric: true }, { key: 'score', label: 'Score', numeric: true }, { key: 'name', label: 'Name' }],
      getValue: (r, k) => (k === 'i' ? r + 1 : k === 'score' ? score[r] : `<b>lead ${r}</b>`),
      onOpen: (r) => { opened = r; },
    });
    document.querySelector('main').prepend(t.scroller);
    const t0 = performance.now();
    t.setView(Array.from({ length: n }, (_, i) => i));
    const firstRender = performance.now() - t0;
    const visible = t.tbody.children.length;
    const firstCell = t.tbody.rows[0].cells[2].textContent;
    const bold = t.table.querySelectorAll('b').length;
    t.scroller.scrollTop = t.scroller.scrollHeight;
    t.render();
    const lastRow = t.tbody.rows[t.tbody.rows.length - 1].cells[0].textContent;
    t.tbody.rows[0].focus();
    t.tbody.rows[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    t.tbody.rows[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    return { visible, firstCell, bold, lastRow, opened, top: t.scroller.scrollTop, rowcount: t.table.getAttribute('aria-rowcount'), firstRender, testid: t.table.dataset.testid };
  });
  assert.ok(out.visible > 5 && out.visible < 40, `rendered ${out.visible} rows`);
  assert.equal(out.firstCell, '<b>lead 0</b>');
  assert.equal(out.bold, 0);
  assert.equal(out.lastRow, '100000');
  assert.equal(out.opened, 0);
  assert.equal(out.top, 0);
  assert.equal(out.rowcount, '100001');
  assert.equal(out.testid, 'scored-table');
  assert.deepEqual(errors, []);
});
