// Scoring-only engine builds side by side (not a test): for each directory holding a
// wasm-bindgen output `leadforest_score.js` + `leadforest_score_bg.wasm` (e.g. opt-level s / z / 3,
// wasm-opt -Os / -Oz / -O3), its size (raw, gzip -9), compile time, Model.fromBytes and one
// scoreRecord of the demo lead (3 reasons each way), in Node, CPU time of this process (steadier
// than wall time on a shared machine), interleaved rounds, medians. Prints a table.
//   node benches/widget/variants.mjs DIR... [--rounds 7] [--scores 300]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { WWW } from '../../tests/browser/harness.mjs';
import { median } from '../wasm/cases.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const ROUNDS = opt('rounds', 7);
const SCORES = opt('scores', 300);
const dirs = args;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const modelBytes = new Uint8Array(await readFile(path.join(WWW, 'demo/demo-model.lfm')));
const lead = JSON.parse(await readFile(path.join(WWW, 'embed/sample-lead.json'), 'utf8'));
const engines = [];
for (const dir of dirs) {
  const wasm = await readFile(path.join(dir, 'leadforest_score_bg.wasm'));
  const glue = await import(pathToFileURL(path.resolve(dir, 'leadforest_score.js')).href);
  glue.initSync({ module: new WebAssembly.Module(wasm) });
  engines.push({ dir, wasm, glue, compile: [], parse: [], score: [], first: null });
}
for (let r = 0; r < ROUNDS; r++) {
  for (const e of engines) {
    let t = cpu();
    for (let i = 0; i < 5; i++) await WebAssembly.compile(e.wasm);
    e.compile.push((cpu() - t) / 5);
    t = cpu();
    let m;
    for (let i = 0; i < 20; i++) { m?.free(); m = e.glue.Model.fromBytes(modelBytes); }
    e.parse.push((cpu() - t) / 20);
    const first = m.scoreRecord(lead);
    e.first ??= first;
    t = cpu();
    for (let i = 0; i < SCORES; i++) m.scoreRecord({ ...lead, 'Pages Viewed': i % 40 });
    e.score.push((cpu() - t) / SCORES);
    m.free();
  }
}
const base = engines[0];
console.log(`\nScoring-only engine variants, Node ${process.version}, ${ROUNDS} interleaved rounds, CPU ms (medians)\n`);
console.log('| build | .wasm raw | gzip -9 | compile | fromBytes (demo model) | scoreRecord (3 reasons) | same result as the first |');
console.log('|---|---|---|---|---|---|---|');
for (const e of engines) {
  const gz = zlib.gzipSync(e.wasm, { level: 9 }).length;
  const rel = (a, b) => (e === base ? '' : ` (${(a / b).toFixed(2)}×)`);
  const c = median(e.compile); const p = median(e.parse); const s = median(e.score);
  console.log(`| ${path.basename(e.dir)} | ${e.wasm.length} | ${gz}${rel(gz, zlib.gzipSync(base.wasm, { level: 9 }).length)} | ${c.toFixed(2)}${rel(c, median(base.compile))} | ${p.toFixed(3)}${rel(p, median(base.parse))} | ${s.toFixed(3)}${rel(s, median(base.score))} | ${JSON.stringify(e.first) === JSON.stringify(base.first)} |`);
}
