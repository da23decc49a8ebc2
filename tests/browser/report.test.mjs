// The HTML report from `leadforest report` opens in headless Chromium with no network request,
// runs no script, shows data strings as text (never as markup), and its screenshot is checked:
// not blank, and each chart's area holds its series colour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openPage, screenshot, ROOT } from './harness.mjs';

const HOSTILE = '<img src=x onerror="window.pwned=1">';
let dir, server, browser;

function leadforest(...args) {
  return execFileSync('cargo', ['run', '--quiet', '--bin', 'leadforest', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadforest-report-'));
  const csv = path.join(dir, 'leads.csv');
  leadforest('demo-data', '--rows', '1500', '--seed', '5', '--out', csv);
  // Put markup into a column the report shows (the segment table): it must stay text.
  const lines = (await readFile(csv, 'utf8')).trimEnd().split('\n');
  const industry = lines[0].split(',').indexOf('Industry');
  assert.ok(industry >= 0, 'demo data has an Industry column');
  const edited = lines.map((line, i) => {
    if (i === 0 || i % 4 !== 0 || line.includes('"')) return line;
    const cells = line.split(',');
    cells[industry] = `"${HOSTILE.replaceAll('"', '""')}"`;
    return cells.join(',');
  });
  await writeFile(csv, edited.join('\n') + '\n');
  const model = path.join(dir, 'leads.lfm');
  // Trained as `leadforest train` does (held-out calibration and tiers stored in the file).
  // `Funnel Stage` is filled in after the outcome (it leaks it): left out, as a user would.
  execFileSync('cargo', ['run', '--quiet', '--example', 'train_with_scoring', '--', csv, 'Converted', model, 'Funnel Stage'], { cwd: ROOT });
  leadforest('report', model, csv, '--target', 'Converted', '--segment', 'Industry', '--out', path.join(dir, 'report.html'));
  server = await serve(dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) to { width, height, rgba }. */
function decodePng(buf) {
  assert.equal(buf.toString('latin1', 1, 4), 'PNG');
  let pos = 8, width = 0, height = 0, colorType = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth 8'); colorType = data[9];
      assert.equal(data[12], 0, 'not interlaced');
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : assert.fail(`colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i] + add) & 255;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = line[x * bpp + k];
      out[(y * width + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { width, height, rgba: out };
}

/** Pixels within `box` (CSS px = image px here) whose colour is within `tol` of `hex`. */
function countColour(img, box, hex, tol = 40) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(img.height, box.y + box.height); y++) {
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(img.width, box.x + box.width); x++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(img.rgba[i] - r) + Math.abs(img.rgba[i + 1] - g) + Math.abs(img.rgba[i + 2] - b) <= tol) n++;
    }
  }
  return n;
}

test('the report opens offline, keeps data as text, and its charts are drawn', async () => {
  const { page, requests, errors } = await openPage(browser);
  await page.goto(`${server.url}/report.html`);
  await page.waitForSelector('#segments table');

  // Exactly one request: the file itself. Nothing else, not even a favicon from the page.
  const others = requests.filter((u) => !u.endsWith('/report.html') && !u.endsWith('/favicon.ico'));
  assert.deepEqual(others, []);
  assert.equal(await page.locator('script').count(), 0);
  assert.equal(await page.locator('img').count(), 0, 'markup from the CSV became an element');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  const segmentText = await page.textContent('#segments');
  assert.ok(segmentText.includes(HOSTILE), 'the hostile value is shown as text');
  assert.deepEqual(errors, []);

  // Every chart is an inline SVG with drawn marks.
  for (const id of ['roc', 'gains', 'calibration']) {
    assert.ok(await page.locator(`#${id} svg polyline.series`).count() >= 2, `${id} has series`);
  }
  assert.ok(await page.locator('#importance svg rect.bar').count() >= 3, 'importance bars');
  const tierRows = await page.locator('#tiers tbody tr').count();
  assert.equal(tierRows, 4);

  // The screenshot: not blank, and each chart's box holds its series colour.
  const file = await screenshot(page, 'report');
  const img = decodePng(await readFile(file));
  const white = countColour(img, { x: 0, y: 0, width: img.width, height: img.height }, '#ffffff', 6);
  assert.ok(white < img.width * img.height * 0.95, 'the page is not blank');
  const expectations = [['roc', '#2f6fde'], ['gains', '#12a150'], ['calibration', '#2f6fde'], ['importance', '#2f6fde']];
  for (const [id, colour] of expectations) {
    const box = await page.locator(`#${id} svg`).boundingBox();
    // Full-page screenshot: page coordinates = image coordinates (scroll is 0 at capture).
    const scroll = await page.evaluate(() => window.scrollY);
    const hits = countColour(img, { ...box, y: box.y + scroll }, colour);
    assert.ok(hits > 150, `${id}: only ${hits} pixels of ${colour}`);
  }
});
