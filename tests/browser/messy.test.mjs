// The messy CRM export generator through the JS API in Node (no browser needed): the same bytes
// as natively (the FNV-1a hash that src/demo/messy.rs pins for the CLI), the documented defaults
// (45,000 rows, seed 1) and a clear Error for an out-of-range row count.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as lf from '../../www/leadforest/index.js';

before(async () => { await lf.init(); });

function fnv(text) {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

test('messyCsv(3000, 1) is byte-identical to the native generator', () => {
  assert.equal(fnv(lf.messyCsv(3000, 1)), '723d1750b8b02c65');
  assert.notEqual(lf.messyCsv(50, 1), lf.messyCsv(50, 2));
});

test('messyCsv defaults: 45,000 rows, seed 1, 37 columns with the leak and the target', () => {
  const csv = lf.messyCsv();
  assert.equal(csv, lf.messyCsv(45000, 1));
  const header = csv.slice(0, csv.indexOf('\n')).split(',');
  assert.equal(header.length, 37);
  assert.ok(header.includes('Contract Value'));
  assert.equal(header.at(-1), 'Converted');
  // Records can hold quoted line breaks (Notes): count records by their row-ending target value.
  const records = csv.match(/,(Yes|No)\n/g).length;
  assert.equal(records, 45000);
  const rate = csv.match(/,Yes\n/g).length / records;
  assert.ok(rate > 0.085 && rate < 0.115, `conversion rate ${rate}`);
});

test('messyCsv refuses more than 1,000,000 rows with a JS Error', () => {
  assert.throws(() => lf.messyCsv(1_000_001, 1), (e) => e instanceof Error && /messyCsv: rows must be between 0 and 1000000/.test(e.message));
});
