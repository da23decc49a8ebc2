// Deal value in the web app: the "Deal value column" picker of the scored-leads card, the
// Expected value column (worker-sorted), the lead card, the scored CSV's `expected_value` and the
// CRM file's expected-value field, each checked against the native CLI (`score --value`,
// `score --for salesforce --value`) on the same model file and bytes; a column with a
// non-number amount ends in the engine's error naming the row; None removes the column; a new
// model resets the picker; only the page's own static files are requested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp, ROOT, WWW, ARTIFACTS } from './harness.mjs';
import { parseCsv, toCsv, amount2 } from '../../www/app/csv.js';
import { expectedValueText, valueChoices } from '../../www/app/leads.js';

const run = promisify(execFile);
const CLI = path.join(ROOT, 'target/release/leadforest');

const VALUE = 'Deal Size';
// a column name that would be markup if it were ever parsed as HTML
const BAD = 'Budget <img src=x onerror=alert(1)>';
const BAD_ROW = 42; // 1-based data row holding the non-number in BAD

let server, browser, tmp;
before(async () => { server = await serve(); browser = await launch(); tmp = await mkdtemp(path.join(os.tmpdir(), 'lf-value-')); });
after(async () => { await browser?.close(); await server?.close(); await rm(tmp, { recursive: true, force: true }); });

/** A small seeded generator (mulberry32): the same fixture on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The demo leads plus `Deal Size` (amounts from a seeded formula: about 1 in 12 empty, some
 * written `$12,345.50` as exports do) and BAD (numbers, but `call me` in data row BAD_ROW).
 */
async function fixture() {
  const { headers, rows } = parseCsv(await readFile(path.join(WWW, 'demo/leads.csv'), 'utf8'));
  const random = rng(2024);
  const out = rows.map((r, i) => {
    const x = random();
    const amount = 500 + Math.round(x * x * 80000 * 100) / 100;
    const deal = random() < 1 / 12 ? '' : i % 9 === 4 ? `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}` : amount.toFixed(2);
    const budget = i === BAD_ROW - 1 ? 'call me' : String(Math.round(random() * 5000));
    return [...r, deal, budget];
  });
  return Buffer.from(toCsv([...headers, VALUE, BAD], out));
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 300000 }), click()]);
  const file = path.join(tmp, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return file;
}

/** The CLI's `score --value` expected_value column, by row. */
async function cliExpected(model, csv) {
  const out = path.join(tmp, `cli-value-${Date.now()}.csv`);
  await run(CLI, ['score', model, csv, '--value', VALUE, '--out', out], { maxBuffer: 1 << 26 });
  const { headers, rows } = parseCsv(await readFile(out, 'utf8'));
  const j = headers.indexOf('expected_value');
  assert.equal(j, headers.length - 1, `the CLI's header: ${headers.join(',')}`);
  return rows.map((r) => r[j]);
}

/** The shown Expected value of each row on screen: [{ row, text }]. */
function visibleValues(page) {
  return page.$$eval('[data-testid=scored-table]', ([table]) => {
    const col = [...table.tHead.rows[0].cells].findIndex((th) => th.dataset.key === 'expectedValue');
    if (col < 0) return null;
    return [...table.tBodies[0].rows].map((tr) => ({ row: Number(tr.dataset.row), text: tr.cells[col].textContent }));
  });
}

/** Waits until the rows on screen have their cells (fetched from the worker) and returns them. */
async function settledValues(page) {
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid=scored-table] tbody tr')];
    return rows.length > 3 && rows.every((tr) => tr.cells[1].textContent !== '…');
  }, null, { timeout: 60000 });
  return visibleValues(page);
}

const plain = (/** @type {string} */ shown) => shown.replaceAll(',', '');

test('amounts are written as the CLI writes them (Rust {:.2}: exact ties to even) and shown with thousands separators', () => {
  assert.equal(amount2(47.433), '47.43');
  assert.equal(amount2(0.125), '0.12', 'an exact tie goes to the even cent, as Rust does (toFixed gives 0.13)');
  assert.equal(amount2(0.375), '0.38');
  assert.equal(amount2(12345.125), '12345.12');
  assert.equal(amount2(-0.125), '-0.12');
  assert.equal(amount2(1.005), '1.00', '1.005 is below the tie in binary');
  assert.equal(amount2(7243), '7243.00');
  assert.equal(amount2(-0), '-0.00');
  assert.equal(amount2(1e22), '10000000000000000000000.00');
  assert.equal(amount2(NaN), '');
  assert.equal(expectedValueText(1234567.5), '1,234,567.50');
  assert.equal(expectedValueText(-98765.432), '-98,765.43');
  assert.equal(expectedValueText(999.999), '1,000.00');
  assert.equal(expectedValueText(12), '12.00');
  assert.equal(expectedValueText(NaN), '');
  assert.equal(expectedValueText(null), '');
  const choices = valueChoices(['a', 'b', 'c'], { columns: [{ name: 'a', kind: 'categorical' }, { name: 'c', kind: 'numeric' }] });
  assert.deepEqual(choices, { numeric: ['c'], other: ['a', 'b'] });
  assert.deepEqual(valueChoices(['a'], null), { numeric: [], other: ['a'] });
});

test('deal value: picker, Expected value column and lead card, sorting, downloads equal to the CLI, errors, None, reset', async () => {
  const bytes = await fixture();
  const csvFile = path.join(tmp, 'deals.csv');
  await writeFile(csvFile, bytes);
  const n = parseCsv(bytes.toString('utf8')).rows.length;

  const { page, requests, errors } = await openApp(browser, server);
  await page.evaluate(() => { window.__pwned = 0; window.alert = () => { window.__pwned++; }; });
  await page.setInputFiles('[data-testid=csv-input]', { name: 'deals.csv', mimeType: 'text/csv', buffer: bytes });
  await page.waitForSelector('#profile-card:not([hidden])');
  assert.equal(await page.isHidden('[data-testid=value-column]'), true, 'the picker shows before the leads are scored');
  await page.click('[data-testid=train-button]');
  await page.waitForSelector('[data-testid=scored-table] tbody tr, #train-status [role=alert]', { timeout: 300000 });
  assert.equal(await page.$('#train-status [role=alert]'), null, 'training failed');

  // the picker: None first, the number columns (Deal Size among them) before the others
  assert.equal(await page.isVisible('[data-testid=value-column]'), true);
  const options = await page.$$eval('[data-testid=value-column] option', (o) => o.map((x) => ({ value: x.value, text: x.textContent, group: x.parentElement.tagName === 'OPTGROUP' ? x.parentElement.label : null })));
  assert.deepEqual(options[0], { value: '', text: 'None', group: null });
  assert.equal(await page.inputValue('[data-testid=value-column]'), '');
  assert.deepEqual(options.find((o) => o.value === VALUE), { value: VALUE, text: VALUE, group: 'Number columns' });
  assert.ok(options.some((o) => o.value === BAD && o.text === BAD), 'every column of the file is offered');
  assert.equal(options.length, 1 + 20, 'None and the 20 columns');
  assert.equal(await visibleValues(page), null, 'an Expected value column before one was chosen');

  // the model the page trained, scored natively with --value on the same bytes
  const modelFile = await download(page, () => page.click('[data-testid=download-model]'));
  const cli = await cliExpected(modelFile, csvFile);
  assert.equal(cli.length, n);
  const missing = cli.filter((v) => v === '').length;
  assert.ok(missing > 100 && missing < n / 5, `${missing} leads without an amount`);

  // choose Deal Size: the column appears, numeric and right-aligned, equal to the CLI's
  await page.selectOption('[data-testid=value-column]', VALUE);
  await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]');
  assert.equal(await page.getAttribute('[data-testid=scored-table] th[data-key=expectedValue]', 'class'), 'lf-num');
  assert.equal(await page.textContent('[data-testid=scored-table] th[data-key=expectedValue]'), 'Expected value');
  let shown = await settledValues(page);
  assert.ok(shown.length > 3);
  for (const { row, text } of shown) assert.equal(plain(text), cli[row], `lead ${row + 1}: shown ${text}, CLI ${cli[row]}`);
  assert.ok(shown.some((s) => /^\d{1,3}(,\d{3})+\.\d\d$/.test(s.text)), `no thousands separator among ${shown.map((s) => s.text)}`);
  assert.equal(await page.$eval('[data-testid=scored-table] tbody tr td:nth-child(5)', (td) => getComputedStyle(td).textAlign), 'right');
  assert.match(await page.textContent('[data-testid=value-status]'), new RegExp(`${missing} of 5,000 leads have no amount in “${VALUE}”`));

  // the lead card shows the lead's expected value
  const first = shown.find((s) => s.text !== '');
  await page.click(`[data-testid=scored-table] tbody tr[data-row="${first.row}"] td:nth-child(2)`);
  await page.waitForSelector('[data-testid=lead-expected-value]');
  assert.match(await page.textContent('#reasons-body'), new RegExp(`^Lead ${first.row + 1}\\b`));
  assert.equal(await page.textContent('[data-testid=lead-expected-value]'), `${first.text} (probability × ${VALUE})`);

  // sorting by Expected value happens in the worker: descending is non-increasing, the best
  // first, the leads without an amount last
  await page.click('[data-testid=scored-table] th[data-key=expectedValue] button');
  assert.equal(await page.getAttribute('[data-testid=scored-table] th[data-key=expectedValue]', 'aria-sort'), 'descending');
  const best = Math.max(...cli.filter(Boolean).map(Number));
  await page.waitForFunction((b) => {
    const table = document.querySelector('[data-testid=scored-table]');
    const col = [...table.tHead.rows[0].cells].findIndex((th) => th.dataset.key === 'expectedValue');
    const td = table.tBodies[0].rows[0]?.cells[col];
    return td && Number(td.textContent.replaceAll(',', '')) === b;
  }, best, { timeout: 30000 });
  shown = await settledValues(page);
  const top = shown.map((s) => Number(plain(s.text)));
  assert.ok(top.every((v, i) => i === 0 || v <= top[i - 1]), `not non-increasing: ${top}`);
  for (const { row, text } of shown) assert.equal(plain(text), cli[row]);
  const sortedCli = cli.filter(Boolean).map(Number).sort((a, b) => b - a);
  assert.deepEqual(top, sortedCli.slice(0, top.length), 'the top of the sort is not the CLI\'s largest expected values');
  await page.focus('[data-testid=scored-table] tbody tr:first-child');
  await page.keyboard.press('End');
  shown = await settledValues(page);
  assert.ok(shown.every((s) => s.text === '' && cli[s.row] === ''), 'the leads without an amount are not last');

  // a new threshold re-scores: the value column stays (the probabilities do not change)
  await page.$eval('[data-testid=threshold]', (el) => { el.value = '0.3'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => document.querySelector('[data-testid=scored-table] th[data-key=score]')?.getAttribute('aria-sort') === 'descending'
    && document.querySelector('#threshold-help').textContent === 'Set by hand.', null, { timeout: 30000 });
  await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]');
  assert.equal(await page.inputValue('[data-testid=value-column]'), VALUE);
  shown = await settledValues(page);
  for (const { row, text } of shown) assert.equal(plain(text), cli[row], `after the threshold, lead ${row + 1}`);

  // the scored CSV: expected_value last, the CLI's strings row for row
  const scored = parseCsv(await readFile(await download(page, () => page.click('[data-testid=download-scores]')), 'utf8'));
  assert.equal(scored.headers.at(-1), 'expected_value');
  assert.deepEqual(scored.headers.slice(-6), ['probability', 'score', 'percentile', 'tier', 'reasons', 'expected_value']);
  assert.equal(scored.rows.length, n);
  const ev = scored.rows.map((r) => r.at(-1));
  const differ = ev.map((v, i) => [i, v, cli[i]]).filter(([, a, b]) => a !== b);
  assert.deepEqual(differ.slice(0, 5), [], `${differ.length} rows differ from the CLI's expected_value`);

  // the Salesforce import file carries the expected value: the CLI's --for salesforce --value bytes
  const crmFile = await download(page, () => page.click('[data-testid=download-crm] [data-crm=salesforce]'));
  const crm = await readFile(crmFile, 'utf8');
  const cliCrm = path.join(tmp, 'cli-salesforce.csv');
  await run(CLI, ['score', modelFile, csvFile, '--for', 'salesforce', '--value', VALUE, '--out', cliCrm], { maxBuffer: 1 << 26 });
  assert.equal(crm, await readFile(cliCrm, 'utf8'), 'the Salesforce file differs from the CLI\'s');
  const sf = parseCsv(crm);
  const field = sf.headers.findIndex((x) => /expected/i.test(x));
  assert.ok(field > 0, `no expected-value field in ${sf.headers}`);
  assert.deepEqual(sf.rows.map((r) => r[field]), cli);
  assert.match(await page.textContent('[data-testid=crm-status]'), new RegExp(`5,000 records by “Lead ID”, with the expected value from “${VALUE}”`));

  // a column with a non-number: the engine's error, naming the row; the column chosen before stays
  await page.selectOption('[data-testid=value-column]', BAD);
  const alert = page.locator('[data-testid=value-status] [role=alert]');
  await alert.waitFor({ timeout: 30000 });
  const message = await alert.textContent();
  assert.match(message, new RegExp(`row ${BAD_ROW}\\b`), message);
  assert.match(message, /“call me” is not a number/, message);
  assert.ok(message.includes(BAD), 'the column name is not shown as text');
  assert.equal(await page.inputValue('[data-testid=value-column]'), VALUE);
  await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]');
  const injected = await page.evaluate(() => ({ img: document.querySelectorAll('main img').length, pwned: window.__pwned }));
  assert.deepEqual(injected, { img: 0, pwned: 0 });
  await page.click('[data-testid=scored-table] tbody tr:first-child td:nth-child(2)');
  await page.waitForSelector('[data-testid=lead-expected-value]');
  await page.locator('#leads-card').screenshot({ path: path.join(ARTIFACTS, 'app-value-leads.png') });

  // None removes the column, from the table, the lead card (open now) and the scored CSV
  await page.selectOption('[data-testid=value-column]', '');
  await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]', { state: 'detached' });
  await page.waitForSelector('[data-testid=lead-expected-value]', { state: 'detached' });
  assert.equal(await page.textContent('[data-testid=value-status]'), '');
  assert.equal(await visibleValues(page), null);
  const plainCsv = parseCsv(await readFile(await download(page, () => page.click('[data-testid=download-scores]')), 'utf8'));
  assert.equal(plainCsv.headers.at(-1), 'reasons');

  // a saved model loaded onto the open file scores it anew: the picker is back to None
  await page.selectOption('[data-testid=value-column]', VALUE);
  await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]');
  await page.setInputFiles('[data-testid=model-input]', modelFile);
  await page.waitForSelector('[data-testid=scored-table] th[data-key=expectedValue]', { state: 'detached', timeout: 60000 });
  await page.waitForSelector('[data-testid=scored-table] tbody tr');
  assert.equal(await page.inputValue('[data-testid=value-column]'), '');
  const again = parseCsv(await readFile(await download(page, () => page.click('[data-testid=download-scores]')), 'utf8'));
  assert.equal(again.headers.at(-1), 'reasons', 'the new model\'s scored CSV still has the old expected values');

  // "Forget everything" leaves no column name in the picker
  await page.click('[data-testid=forget-button]');
  await page.click('[data-testid=forget-confirm]');
  await page.waitForFunction(() => document.getElementById('live').textContent.includes('forgotten'));
  assert.equal(await page.$$eval('[data-testid=value-column] option', (o) => o.length), 0);

  assert.deepEqual(errors, []);
  for (const u of requests.map((x) => new URL(x))) {
    assert.equal(u.origin, server.url, `request left the origin: ${u.href}`);
    assert.match(u.pathname, /\.(html|js|css|wasm|svg)$|\/$/, `not a static file of the app: ${u.pathname}`);
  }
});
