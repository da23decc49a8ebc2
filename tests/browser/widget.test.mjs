// <leadforest-score> in real pages: each embedding example shows the sample lead's score (or, while
// the build has no engine/model, says so and shows no number), hostile values stay text, messages
// from origins off the allow-list are ignored, and nothing is fetched but the widget's own files,
// the engine and the model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import http from 'node:http';
import { serve, launch, openPage, screenshot, lowContrast, WWW } from './harness.mjs';

let server, browser, lead;
// The engine API and the demo model are built by scripts/build.sh; with both present every page
// must show a real score.
let ENGINE_READY = false;
/** Whether this build's JS API can load models and scripts/build.sh made the demo model. */
async function engineReady() {
  if (!existsSync(path.join(WWW, 'demo/demo-model.lfm'))) return false;
  try {
    const api = await import(pathToFileURL(path.join(WWW, 'leadforest/index.js')).href);
    return typeof api.Model?.fromBytes === 'function';
  } catch {
    return false;
  }
}

before(async () => {
  ENGINE_READY = await engineReady();
  server = await serve();
  browser = await launch();
  lead = JSON.parse(await readFile(path.join(WWW, 'embed/sample-lead.json'), 'utf8'));
});
after(async () => { await browser?.close(); await server?.close(); });

/** Waits until the card leaves its loading state; returns what it shows. */
async function settled(frameOrPage, selector = 'leadforest-score') {
  await frameOrPage.waitForFunction((sel) => {
    const w = document.querySelector(sel);
    return w && ['scored', 'error', 'unavailable'].includes(w.state);
  }, selector, { timeout: 20000 });
  return frameOrPage.evaluate((sel) => {
    const w = document.querySelector(sel);
    const q = (s) => w.shadowRoot.querySelector(s);
    return {
      state: w.state,
      result: w.result,
      status: q('.status').textContent,
      score: q('.score-value').textContent,
      tier: q('.tier').textContent,
      action: q('.action').textContent,
      reasons: [...w.shadowRoot.querySelectorAll('.reasons li')].map((li) => li.textContent),
      missing: q('.missing').hidden ? null : q('.missing').textContent,
      label: q('.label').textContent,
      bodyHidden: q('.body').hidden,
    };
  }, selector);
}

function assertShowsScoreOrHonestlyNone(shown) {
  if (ENGINE_READY) {
    assert.equal(shown.state, 'scored', `no score: ${shown.status}`);
    assert.match(shown.score, /^\d{1,3}$/);
    assert.equal(Number(shown.score), Math.round(shown.result.score));
    assert.ok(shown.result.score >= 0 && shown.result.score <= 100);
    assert.match(shown.tier, /^Tier \S/);
    assert.ok(shown.action.length > 0);
    assert.ok(shown.reasons.length >= 1 && shown.reasons.length <= 3, `reasons: ${shown.reasons}`);
    for (const r of shown.reasons) assert.match(r, /^[↑↓](Raises|Lowers) the score: ./);
  } else {
    // Never a made-up number: the card says the engine is missing and shows no score.
    assert.ok(['unavailable', 'error'].includes(shown.state), shown.state);
    assert.match(shown.status, /not available|could not be loaded|Cannot score/);
    assert.equal(shown.bodyHidden, true);
    assert.equal(shown.score, '');
    assert.equal(shown.result, null);
  }
}

function assertOwnRequestsOnly(requests) {
  const allowed = /^\/(widget\/|leadforest\/|embed\/|demo\/demo-model\.lfm$|favicon\.svg$)/;
  for (const url of requests) {
    if (url.startsWith('blob:') || url.startsWith('data:')) continue;
    assert.ok(url.startsWith(`${server.url}/`), `request left the origin: ${url}`);
    const { pathname } = new URL(url);
    assert.match(pathname, allowed, `request beyond the widget's files and the model: ${url}`);
  }
}

/** The card loads the scoring-only engine (pkg/leadforest_score_bg.wasm) and never the full one. */
function assertScoringOnlyEngine(requests) {
  const paths = requests.filter((u) => u.startsWith(`${server.url}/`)).map((u) => new URL(u).pathname);
  assert.ok(paths.includes('/leadforest/pkg/leadforest_score.js'), `the card did not load score.js's glue: ${paths}`);
  assert.ok(paths.includes('/leadforest/pkg/leadforest_score_bg.wasm'), `no scoring-only wasm fetched: ${paths}`);
  for (const p of ['/leadforest/pkg/leadforest_bg.wasm', '/leadforest/pkg/leadforest.js', '/leadforest/index.js']) {
    assert.ok(!paths.includes(p), `the card fetched the full engine's ${p}`);
  }
}

test('the scoring-only engine scores exactly as the full engine (score, tier, reasons both ways)', async (t) => {
  if (!ENGINE_READY) { t.skip('no engine/model built'); return; }
  const full = await import(pathToFileURL(path.join(WWW, 'leadforest/index.js')).href);
  const small = await import(pathToFileURL(path.join(WWW, 'leadforest/score.js')).href);
  await full.init();
  await small.init();
  const bytes = new Uint8Array(await readFile(path.join(WWW, 'demo/demo-model.lfm')));
  const a = full.Model.fromBytes(bytes);
  const b = small.Model.fromBytes(bytes);
  assert.deepEqual(b.info, a.info);
  assert.deepEqual(b.schema, a.schema);
  const directions = new Set();
  const records = [lead, { ...lead, 'Trial Signup': 'Yes', Industry: 'Software' }, { ...lead, 'Lead Source': 'Cold Email', 'Pages Viewed': 0 }, {}];
  for (const record of records) {
    const sa = a.scoreRecord(record);
    const sb = b.scoreRecord(record);
    assert.deepEqual(sb, sa);
    for (const r of sb.reasons || []) directions.add(r.direction);
  }
  assert.deepEqual([...directions].sort(), ['down', 'up'], 'the records exercise reasons in both directions');
  // What the score-only build reads of the evaluation section: the headline metrics (the card's
  // AUC), the evaluation rows, the percentiles and the threshold's rule.
  assert.deepEqual(b.metrics, a.metrics);
  assert.ok(Number.isFinite(b.metrics.auc), 'the demo model has a held-out AUC');
  for (const options of [{ percentile: true }, { capacity: { top: 50 } }, { threshold: 0.4, reasons: 1 }]) {
    const sb = b.scoreRecord(lead, options);
    assert.deepEqual(sb, a.scoreRecord(lead, options), JSON.stringify(options));
    if (options.percentile) assert.ok(Number.isFinite(sb.percentile), 'a percentile among the evaluation rows');
  }
  // Many records at once: the full engine explains them a block at a time with TreeSHAP tables
  // (the score-only build has none: it walks each tree), so contributions agree to rounding
  // (sums in another order); everything else is the same.
  const many = [b.scoreRecords(records), a.scoreRecords(records)];
  const contributions = many.map((list) => list.flatMap((s) => (s.reasons || []).map((r) => r.contribution)));
  assert.equal(contributions[0].length, contributions[1].length);
  contributions[0].forEach((c, i) => assert.ok(Math.abs(c - contributions[1][i]) <= 1e-12 * (1 + Math.abs(c)), `${c} vs ${contributions[1][i]}`));
  const rest = (list) => list.map((s) => ({ ...s, reasons: (s.reasons || []).map(({ contribution, ...r }) => r) }));
  assert.deepEqual(rest(many[0]), rest(many[1]));
  assert.ok(contributions[0].length > 0, 'the records have reasons');

  // Records reach the score-only build through the browser's JSON (no JSON reader compiled in):
  // the same record, score and messages as the full engine's serde_json reading, for numbers
  // written every way JS prints them, undefined/NaN fields, and values that are refused.
  const outcome = (m, record, options) => {
    try { return { ok: m.scoreRecord(record, options) }; } catch (e) { return { error: e.message }; }
  };
  const numeric = Object.keys(lead).find((k) => typeof lead[k] === 'number') ?? 'Pages Viewed';
  const edge = [
    ...[0, -0, 7, -3, 12.5, 0.1, 1e-7, 0.000001, 1e21, 1.5e300, 2 ** 53 + 2, 1e20, NaN, Infinity].map((n) => ({ ...lead, [numeric]: n })),
    // Number texts: the score-only build reads the digits with the browser's parseFloat, the
    // full engine with Rust's reader (both round correctly); the reasons print the value read.
    ...['$1,200', '1.5k', '12%', '1,234.56', '1.e1', '.5', '00012', '7.', '1e400', '1e-400', '-2.5e1', '3,5',
      '0.1000000000000000055511151231257827', '123456789012345678901234567890', '9007199254740993',
      '2.4703282292062328e-324', '1.7976931348623157e308', ' 42 ', 'inf', 'NaN', '0x10', '1_000', '٣']
      .map((text) => ({ ...lead, [numeric]: text })),
    { ...lead, [numeric]: undefined, Industry: null, 'Trial Signup': true },
    { ...lead, 'Lead Source': ' <b>Referral</b> ', 'Trial Signup': false },
    { ...lead, Industry: { nested: 1 } }, { ...lead, Industry: [1] }, { ...lead, Industry: new Date(0) },
    [lead], 'lead', 3, null, undefined,
  ];
  for (const record of edge) {
    assert.deepEqual(outcome(b, record), outcome(a, record), `record ${JSON.stringify(record)}`);
  }
  assert.deepEqual(outcome(b, [lead, {}]), outcome(a, [lead, {}]));
  for (const bad of [[lead, 3], 'x', {}]) {
    const f = (m) => { try { m.scoreRecords(bad); return 'ok'; } catch (e) { return e.message; } };
    assert.equal(f(b), f(a), `scoreRecords(${JSON.stringify(bad)})`);
  }
  // Options: the same checks (an unknown or mistyped field is refused by both).
  for (const options of [{ reasonz: 2 }, { reasons: 'two' }, { reasons: 2.5 }, { threshold: 2 }, [1], 'x']) {
    assert.ok(outcome(a, lead, options).error, `full engine accepted ${JSON.stringify(options)}`);
    assert.match(outcome(b, lead, options).error ?? 'accepted', /scoreRecord options|threshold/, JSON.stringify(options));
  }
  assert.deepEqual(outcome(b, lead, { reasons: 1, threshold: undefined }), outcome(a, lead, { reasons: 1, threshold: undefined }));
});

test('the scoring-only engine refuses corrupt and newer model files with the full engine\'s message', async (t) => {
  if (!ENGINE_READY) { t.skip('no engine/model built'); return; }
  const full = await import(pathToFileURL(path.join(WWW, 'leadforest/index.js')).href);
  const small = await import(pathToFileURL(path.join(WWW, 'leadforest/score.js')).href);
  await full.init();
  await small.init();
  const bytes = new Uint8Array(await readFile(path.join(WWW, 'demo/demo-model.lfm')));
  const flipped = bytes.slice();
  flipped[Math.floor(bytes.length / 2)] ^= 0x40;
  const newer = bytes.slice();
  newer[8] = 99; // format version (u32 LE after the 8-byte magic)
  const cases = [
    [flipped, /corrupt.*checksum/],
    [bytes.slice(0, bytes.length - 100), /corrupt/],
    [newer, /format 99.*upgrade/],
    [new TextEncoder().encode('Lead Source,Converted\nWeb,yes\n'), /not a leadforest model/],
  ];
  for (const [input, message] of cases) {
    const refused = (api) => { try { api.Model.fromBytes(input); } catch (e) { return e.message; } return null; };
    const m = refused(small);
    assert.match(m ?? 'loaded', message);
    assert.equal(m, refused(full));
  }
  // Still working after refusing (an error is not a panic).
  assert.ok(small.Model.fromBytes(bytes).scoreRecord(lead).score >= 0);
});

test('CRM-like lead page: the sidebar card scores the sample lead and re-scores on edit', async () => {
  const { page, requests, errors } = await openPage(browser);
  await page.goto(`${server.url}/embed/crm-lead.html`);
  const shown = await settled(page);
  assertShowsScoreOrHonestlyNone(shown);
  assert.equal(shown.label, lead['Full Name']);
  const width = await page.$eval('leadforest-score', (w) => w.getBoundingClientRect().width);
  assert.ok(width <= 300, `card is ${width}px wide`);
  await screenshot(page, 'widget-crm-lead');

  if (ENGINE_READY) {
    assert.match(shown.missing, /Industry/);
    assert.match(shown.missing, /learned for missing values/);
    // A rep edits a field: the card re-scores from the new record without a reload.
    const before = shown.result.probability;
    await page.fill('input[name="Trial Signup"]', 'Yes');
    await page.waitForFunction((p) => document.querySelector('leadforest-score').result?.probability !== p, before);
    const after = await page.evaluate(() => document.querySelector('leadforest-score').record['Trial Signup']);
    assert.equal(after, 'Yes');
    await page.fill('input[name="Industry"]', 'Software');
    await page.waitForFunction(() => {
      const w = document.querySelector('leadforest-score');
      return !w.result.missing.includes('Industry') && w.shadowRoot.querySelector('.missing').hidden;
    });
  }
  await page.goto(`${server.url}/embed/crm-lead.html?theme=dark`);
  await settled(page);
  const bg = await page.evaluate(() => {
    const card = document.querySelector('leadforest-score').shadowRoot.querySelector('.card');
    return getComputedStyle(card).backgroundColor;
  });
  assert.equal(bg, 'rgb(36, 36, 36)');
  await screenshot(page, 'widget-crm-lead-dark');
  assertOwnRequestsOnly(requests);
  if (ENGINE_READY) assertScoringOnlyEngine(requests);
  if (ENGINE_READY) assert.deepEqual(errors, []);
});

test('CRM-like lead page: one request per file (the card starts its downloads when its module runs), the lead from the page', async () => {
  const { page, requests, errors } = await openPage(browser);
  await page.goto(`${server.url}/embed/crm-lead.html`);
  const shown = await settled(page);
  assertShowsScoreOrHonestlyNone(shown);
  // The record the page carries is the sample lead, and the page fetches no lead of its own.
  const carried = await page.evaluate(() => JSON.parse(document.getElementById('lead-data').textContent));
  assert.deepEqual(carried, lead);
  const paths = requests.map((u) => new URL(u).pathname);
  assert.ok(!paths.includes('/embed/sample-lead.json'), `the page fetched the lead: ${paths}`);
  if (ENGINE_READY) {
    // The card's early start (module top level), the page's preload tags and the card's own update
    // share one download each.
    for (const file of ['/widget/leadforest-score.js', '/leadforest/pkg/leadforest_score.js',
      '/leadforest/pkg/leadforest_score_bg.wasm', '/demo/demo-model.lfm']) {
      assert.equal(paths.filter((p) => p === file).length, 1, `${file} requested ${paths.filter((p) => p === file).length} times: ${paths}`);
    }
    assert.deepEqual(errors, []);
  }
  assertOwnRequestsOnly(requests);
});

test('the card\'s scripts start with Chromium\'s compile hint (compiled while they stream in)', async (t) => {
  // `//# allFunctionsCalledOnLoad` works only as a file's first line; the widget is written with
  // it and scripts/build.sh puts it on the glue it rewrites.
  const hint = '//# allFunctionsCalledOnLoad\n';
  const widget = await readFile(path.join(WWW, 'widget/leadforest-score.js'), 'utf8');
  assert.ok(widget.startsWith(hint), `widget/leadforest-score.js starts with ${JSON.stringify(widget.slice(0, 40))}`);
  const glue = path.join(WWW, 'leadforest/pkg/leadforest_score.js');
  if (!existsSync(glue)) { t.skip('no scoring-only build (scripts/build.sh)'); return; }
  const text = await readFile(glue, 'utf8');
  assert.ok(text.startsWith(hint), `leadforest/pkg/leadforest_score.js starts with ${JSON.stringify(text.slice(0, 40))}`);
});

test('iframe card: a same-origin host gets the lead scored by postMessage and a reply back', async () => {
  const { page, requests, errors } = await openPage(browser);
  await page.goto(`${server.url}/embed/crm-iframe-host.html`);
  const frame = page.frameLocator('#card');
  await frame.locator('leadforest-score .label').filter({ hasText: lead['Full Name'] }).waitFor({ timeout: 20000 });
  const card = page.frames().find((f) => f.url().endsWith('/embed/card.html'));
  const shown = await settled(card);
  assertShowsScoreOrHonestlyNone(shown);
  if (ENGINE_READY) {
    await page.waitForFunction((s) => document.getElementById('reply').textContent.startsWith(`${s} / 100`), shown.score);
    const before = shown.result.probability;
    await page.selectOption('#source', 'Cold Email');
    await card.waitForFunction((p) => document.querySelector('leadforest-score').result?.probability !== p, before);
  }
  await screenshot(page, 'widget-iframe-card');
  assertOwnRequestsOnly(requests);
  if (ENGINE_READY) assert.deepEqual(errors, []);
});

test('iframe card: messages from an origin off the allow-list are ignored', async () => {
  const { page, requests } = await openPage(browser);
  // A page on another origin frames the card and sends it a lead: the card must not read it.
  // It is served for real from a second loopback server (a routed fake origin would count as a
  // public page, which Chromium forbids from framing 127.0.0.1).
  const cardUrl = `${server.url}/embed/card.html`;
  const other = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><iframe id="f" src="${cardUrl}"></iframe>`);
  });
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  const evil = `http://localhost:${other.address().port}`;
  after(() => new Promise((resolve) => other.close(resolve)));
  await page.goto(`${evil}/evil.html`);
  const card = await (await page.waitForSelector('#f')).contentFrame();
  await card.waitForFunction(() => customElements.get('leadforest-score') && document.querySelector('leadforest-score').shadowRoot);
  await card.evaluate(() => {
    window.seen = [];
    window.addEventListener('message', (e) => window.seen.push(e.origin));
  });
  await page.evaluate((target) => {
    const f = document.getElementById('f');
    const msg = { type: 'leadforest:record', record: { 'Full Name': 'Mallory', 'Lead Source': 'Referral' } };
    f.contentWindow.postMessage(msg, target); // the card's exact origin
    f.contentWindow.postMessage(msg, '*');
  }, server.url);
  // Both messages reached the card's window (so the widget saw them too) and it read neither.
  await card.waitForFunction(() => window.seen.length === 2);
  assert.deepEqual(await card.evaluate(() => window.seen), [evil, evil]);
  const ignored = await card.evaluate(() => {
    const w = document.querySelector('leadforest-score');
    return { record: w.record, label: w.shadowRoot.querySelector('.label').textContent, result: w.result };
  });
  assert.deepEqual(ignored, { record: null, label: '', result: null });
  // The same message from an allowed origin ('self') is read: the card was listening.
  await card.evaluate(() => window.postMessage({ type: 'leadforest:record', record: { 'Full Name': 'Ok Self' } }, window.location.origin));
  await card.locator('leadforest-score .label').filter({ hasText: 'Ok Self' }).waitFor();
  const record = await card.evaluate(() => document.querySelector('leadforest-score').record);
  assert.deepEqual(record, { 'Full Name': 'Ok Self' });
  for (const url of requests.filter((u) => u !== `${evil}/evil.html`)) {
    assert.ok(url.startsWith(`${server.url}/`), `unexpected request ${url}`);
  }
});

test('hostile field values render as text: no markup, no script, no dialog', async () => {
  const { page, errors } = await openPage(browser);
  await page.goto(`${server.url}/embed/crm-lead.html`);
  await settled(page);
  const hostile = '<img src=x onerror="window.pwned=1;alert(1)"><script>window.pwned=2</script>\u202e"\'&amp;';
  const record = Object.fromEntries(Object.keys(lead).map((k) => [k, hostile]));
  record[hostile] = hostile; // a hostile field name too
  const shown = await page.evaluate(async (r) => {
    const w = document.querySelector('leadforest-score');
    w.record = r;
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      label: w.shadowRoot.querySelector('.label').textContent,
      elements: [...w.shadowRoot.querySelectorAll('*')].map((e) => e.localName).filter((n) => ['img', 'script', 'iframe'].includes(n)),
      pwned: window.pwned ?? null,
      state: w.state,
      text: w.shadowRoot.textContent,
    };
  }, record);
  assert.equal(shown.label, hostile);
  assert.deepEqual(shown.elements, []);
  assert.equal(shown.pwned, null);
  assert.ok(['scored', 'error', 'unavailable'].includes(shown.state), shown.state);
  assert.equal(await page.locator('img').count(), 0);
  assert.deepEqual(errors.filter((e) => e.startsWith('dialog')), []);

  // Values that are not scalars are refused with a message, not coerced.
  const refused = await page.evaluate(async () => {
    const w = document.querySelector('leadforest-score');
    w.record = { 'Lead Source': { toString() { return 'x'; } } };
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { state: w.state, status: w.shadowRoot.querySelector('.status').textContent, result: w.result };
  });
  assert.equal(refused.state, 'error');
  assert.match(refused.status, /field "Lead Source" must be text, a number, true\/false or null/);
  assert.equal(refused.result, null);
});

test('a cross-origin model URL is refused before any request is made', async () => {
  const { page, requests } = await openPage(browser);
  await page.goto(`${server.url}/embed/card.html`);
  const shown = await page.evaluate(async () => {
    const w = document.createElement('leadforest-score');
    w.setAttribute('model', 'https://models.example/m.lfm');
    w.record = { 'Lead Source': 'Referral' };
    document.body.append(w);
    for (let i = 0; i < 100 && !['error', 'unavailable'].includes(w.state); i++) await new Promise((r) => setTimeout(r, 20));
    return { state: w.state, status: w.shadowRoot.querySelector('.status').textContent };
  });
  assert.equal(shown.state, 'error');
  assert.match(shown.status, /must come from this page's origin/);
  assert.ok(!requests.some((u) => u.includes('models.example')));
});

/** Minimal CSV reader for the CLI's output (quoted fields, "" escapes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const csvCell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

test('the score shown equals the CLI\'s score for the same record and model', async (t) => {
  assert.ok(ENGINE_READY, 'scripts/build.sh must build the engine and www/demo/demo-model.lfm');
  const { execFileSync } = await import('node:child_process');
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const root = path.resolve(WWW, '..');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lf-widget-'));
  try {
    // The same lead, as a one-row CSV in the training file's column order.
    const header = (await readFile(path.join(WWW, 'demo/leads.csv'), 'utf8')).split('\n', 1)[0].split(',').filter((h) => h in lead);
    const file = path.join(dir, 'lead.csv');
    await writeFile(file, `${header.map(csvCell).join(',')}\n${header.map((h) => csvCell(lead[h])).join(',')}\n`);
    const out = execFileSync(path.join(root, 'target/release/leadforest'),
      ['score', path.join(WWW, 'demo/demo-model.lfm'), file], { encoding: 'utf8' });
    const [head, row] = parseCsv(out.trim());
    const col = (name) => head.findIndex((h) => h.toLowerCase() === name);
    assert.ok(col('score') >= 0, `no score column in the CLI output: ${head}`);

    const { page } = await openPage(browser);
    await page.goto(`${server.url}/embed/crm-lead.html`);
    const shown = await settled(page);
    assert.equal(shown.state, 'scored', shown.status);
    assert.equal(Number(shown.score), Math.round(Number(row[col('score')])));
    assert.equal(shown.result.score, Number(row[col('score')]));
    if (col('probability') >= 0) assert.ok(Math.abs(shown.result.probability - Number(row[col('probability')])) < 1e-6 /* the CLI prints 6 decimals */);
    if (col('tier') >= 0) assert.equal(shown.tier, `Tier ${row[col('tier')]}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the scored card reads at WCAG AA contrast on the CRM page, light and dark, model details open', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context, errors } = await openPage(browser, { colorScheme });
    await page.goto(`${server.url}/embed/crm-lead.html`);
    await settled(page);
    assert.deepEqual(await page.evaluate(lowContrast), [], colorScheme);
    // the model's details (the tip) too
    await page.focus('input[name="Funnel Stage"]');
    await page.keyboard.press('Tab');
    await page.locator('leadforest-score .tip').waitFor();
    assert.deepEqual(await page.evaluate(lowContrast), [], `${colorScheme}, details open`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('keyboard and screen readers: the model details open on focus, the card is labelled', async () => {
  const { page } = await openPage(browser);
  await page.goto(`${server.url}/embed/crm-lead.html`);
  await settled(page);
  const tip = page.locator('leadforest-score .tip');
  assert.equal(await tip.isVisible(), false);
  // Tab from the page into the card's only control: the "About the model" button.
  await page.focus('input[name="Funnel Stage"]');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className);
  assert.equal(focused, 'info-button');
  assert.equal(await tip.isVisible(), true);
  assert.match(await tip.textContent(), /Date: .*Quality \(validation\): /);
  const a11y = await page.evaluate(() => {
    const root = document.querySelector('leadforest-score').shadowRoot;
    const card = root.querySelector('article');
    return {
      label: root.getElementById(card.getAttribute('aria-labelledby'))?.textContent,
      button: root.querySelector('.info-button').getAttribute('aria-label'),
      describedBy: root.getElementById(root.querySelector('.info-button').getAttribute('aria-describedby'))?.getAttribute('role'),
      live: root.querySelector('[aria-live]')?.getAttribute('aria-live'),
      gauge: root.querySelector('.gauge').getAttribute('role'),
    };
  });
  assert.deepEqual(a11y, { label: 'Lead score', button: a11y.button, describedBy: 'tooltip', live: 'polite', gauge: 'img' });
  assert.match(a11y.button, /^About the model/);
});
