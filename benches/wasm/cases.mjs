// The benchmark's work, shared by Node (bench.mjs) and headless Chromium (bench.html): each case
// returns seconds (median of `runs`) and what it checked, so both hosts print the same rows.

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Runs `fn` `runs` times; returns { seconds: median, cpu: median CPU seconds or null, result: last
 * result }. `cpu` (optional, async) reads the host's CPU clock in seconds: on a shared machine the
 * CPU time of the (single-threaded) engine is steadier than the wall clock.
 */
export async function timed(runs, fn, cpu = null) {
  const times = [];
  const cpus = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const c = cpu ? await cpu() : 0;
    const t = performance.now();
    result = await fn();
    times.push((performance.now() - t) / 1000);
    if (cpu) cpus.push((await cpu()) - c);
  }
  return { seconds: median(times), cpu: cpu ? median(cpus) : null, result };
}

/** `copies` copies of the CSV's data rows under one header (100k rows from d10k). */
export function repeatCsv(text, copies) {
  const nl = text.indexOf('\n');
  const header = text.slice(0, nl + 1);
  const body = text.slice(nl + 1).replace(/\n*$/, '\n');
  return header + body.repeat(copies);
}

/**
 * A 1,000,000 × 20 table from d10k's rows resampled with a fixed seed and every number jittered
 * (so the bins are not just 10k distinct values), as CSV bytes.
 */
export function bigCsv(text, rows) {
  const lines = text.trimEnd().split('\n');
  const header = lines[0];
  const data = lines.slice(1).map((l) => l.split(','));
  let s = 0x9e3779b9 >>> 0;
  const rand = () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return s / 2 ** 32; };
  const enc = new TextEncoder();
  const parts = [enc.encode(header + '\n')];
  let chunk = [];
  for (let r = 0; r < rows; r++) {
    const src = data[Math.floor(rand() * data.length)];
    const cells = src.slice(0, -1).map((v) => (Number(v) + (rand() - 0.5) * 0.01).toFixed(5));
    cells.push(src[src.length - 1]);
    chunk.push(cells.join(','));
    if (chunk.length === 50_000) { parts.push(enc.encode(chunk.join('\n') + '\n')); chunk = []; }
  }
  if (chunk.length) parts.push(enc.encode(chunk.join('\n') + '\n'));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * bank-full without `duration`, resampled to `rows` rows with a fixed seed and its numeric columns
 * jittered (Gaussian noise, 5 % of the column's standard deviation, rounded to 2 decimals), as
 * comma-separated CSV bytes: the same recipe as benches/prepare.py's 1M-row speed table (its own
 * seeded generator, so not the same rows). `bankBytes` is bank-full.csv as shipped (`;`, quoted).
 */
export function bankResampled(bankBytes, rows) {
  const text = new TextDecoder().decode(bankBytes);
  const lines = text.trimEnd().split('\n');
  const unq = (c) => c.trim().replace(/^"(.*)"$/, '$1');
  const head = lines[0].split(';').map(unq);
  const drop = head.indexOf('duration');
  const keep = head.map((_, i) => i).filter((i) => i !== drop);
  const data = lines.slice(1).map((l) => l.split(';').map(unq));
  const numeric = new Set(['age', 'balance', 'day', 'campaign', 'pdays', 'previous'].map((c) => head.indexOf(c)));
  const scale = new Map();
  for (const j of numeric) {
    const xs = data.map((r) => Number(r[j]));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    scale.set(j, Math.max(sd, 1e-9) * 0.05);
  }
  let s = 20261123 >>> 0;
  const rand = () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return (s + 0.5) / 2 ** 32; };
  const normal = () => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
  const enc = new TextEncoder();
  const parts = [enc.encode(keep.map((i) => head[i]).join(',') + '\n')];
  let chunk = [];
  for (let r = 0; r < rows; r++) {
    const src = data[Math.floor(rand() * data.length)];
    chunk.push(keep.map((j) => (numeric.has(j) ? String(Math.round((Number(src[j]) + normal() * scale.get(j)) * 100) / 100) : src[j])).join(','));
    if (chunk.length === 50_000) { parts.push(enc.encode(chunk.join('\n') + '\n')); chunk = []; }
  }
  if (chunk.length) parts.push(enc.encode(chunk.join('\n') + '\n'));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * Every timed case on one host. `lf` is the leadforest package (index.js), `ydfFactory` YDF's
 * module factory, `MLRF` ml-random-forest's classifier (null where unavailable), `texts.d10k`
 * the d10k CSV text and `texts.bank` bank-full's bytes (or null).
 */
export async function cases({ lf, ydfFactory, MLRF, texts, runs, big, trainOnly = false, bank1m = 0, cpu = null, log = () => {} }) {
  const out = [];
  const add = (what, seconds, note = '', cpuSeconds = null) => {
    out.push({ what, seconds, cpu: cpuSeconds, note });
    log(`  ${what}: ${seconds.toFixed(3)} s${cpuSeconds === null ? '' : ` (CPU ${cpuSeconds.toFixed(3)} s)`} ${note}`);
  };
  const enc = new TextEncoder();
  await lf.init();
  const mib = (b) => (b / 2 ** 20).toFixed(0);
  if (bank1m && texts.bank) {
    // First, so the module's memory is still near its start: memoryBytes() after is this case's peak.
    const bytes = bankResampled(texts.bank, bank1m);
    const before = lf.memoryBytes();
    const t = await timed(1, () => lf.train(bytes, { target: 'y', positive: ['yes'], seed: 1 }), cpu);
    add(`bank-full resampled to ${bank1m.toLocaleString('en')} rows, train (defaults)`, t.seconds,
      `${t.result.info.trees} trees; CSV ${mib(bytes.length)} MiB; wasm memory ${mib(before)} → ${mib(lf.memoryBytes())} MiB (peak); 1 run`, t.cpu);
    t.result.free();
  }
  const d10k = enc.encode(texts.d10k);
  const base = { target: 'label', positive: ['yes'], seed: 1 };

  const gbtOptions = { ...base, algo: 'gbt', trees: 300, earlyStopping: false };
  const gbt = await timed(runs, () => lf.train(d10k, gbtOptions), cpu);
  add('d10k GBT 300 rounds: leadforest', gbt.seconds, `${gbt.result.info.trees} trees`, gbt.cpu);
  const rf = await timed(runs, () => lf.train(d10k, { ...base, algo: 'rf', trees: 300 }), cpu);
  add('d10k RF 300 trees: leadforest', rf.seconds, `${rf.result.info.trees} trees`, rf.cpu);

  if (ydfFactory && !trainOnly) {
    const ydf = await ydfFactory();
    const yg = await timed(1, () => new ydf.GradientBoostedTreesLearner('label', 'CLASSIFICATION').train(texts.d10k));
    add('d10k GBT 300 rounds: ydf-training', yg.seconds, 'YDF defaults (300 trees), 1 run');
    yg.result.unload?.();
    const yr = await timed(1, () => new ydf.RandomForestLearner('label', 'CLASSIFICATION').train(texts.d10k));
    add('d10k RF 300 trees: ydf-training', yr.seconds, 'YDF defaults (300 trees), 1 run');
    yr.result.unload?.();
  }
  if (MLRF && !trainOnly) {
    // ml-random-forest's CART is ~quadratic in rows: 300 trees on 10k rows would take hours.
    const lines = texts.d10k.trimEnd().split('\n').slice(1, 2001);
    const X = lines.map((l) => l.split(',').slice(0, 20).map(Number));
    const y = lines.map((l) => (l.endsWith('yes') ? 1 : 0));
    const m = await timed(1, () => new MLRF({ nEstimators: 3, seed: 1, maxFeatures: 5, noOOB: true }).train(X, y));
    add('ml-random-forest: 3 trees on 2,000 rows', m.seconds, `≈ ${(m.seconds / 3 * 300 * 25 / 60).toFixed(0)} min extrapolated to 300 trees × 10k rows (n²)`);
  }

  // Scoring and explaining with the GBT model.
  const model = gbt.result;
  if (!trainOnly) {
    const d100k = enc.encode(repeatCsv(texts.d10k, 10));
    const sc = await timed(runs, () => model.scoreCsv(d100k));
    add('score 100k rows (scoreCsv, incl. CSV parsing)', sc.seconds, `${sc.result.rows} rows`);
    // The page's first explainCsv, on a freshly loaded handle: tables built, V8's code for the
    // hot loop not yet optimized. Then the median of repeat calls on one handle (cached tables).
    const bytes = model.toBytes();
    const first = await timed(1, () => {
      const fresh = lf.Model.fromBytes(bytes);
      try { return fresh.explainCsv(d10k); } finally { fresh.free?.(); }
    });
    add('explain 10k rows, the page\'s first call (fresh handle: fromBytes + explainCsv)', first.seconds, `${first.result.rows} rows, 1 run`);
    const ex = await timed(runs, () => model.explainCsv(d10k));
    add('explain 10k rows (explainCsv, TreeSHAP)', ex.seconds, `${ex.result.rows} rows`);
    const recs = texts.d10k.trimEnd().split('\n').slice(1, 1001).map((l) => Object.fromEntries(l.split(',').map((v, i) => [`f${i}`, Number(v)])));
    const one = await timed(runs, () => { for (const r of recs) model.scoreRecord(r); });
    add('scoreRecord × 1,000 (with reasons)', one.seconds, `${(one.seconds).toFixed(3)} ms per lead`);
    // The app's way to explain a page of leads (and every lead, to sort by reason): one call.
    const many = await timed(runs, () => model.scoreRecords(recs));
    add('scoreRecords, 1,000 leads in one call (with reasons)', many.seconds, `${(many.seconds).toFixed(3)} ms per lead`);
  }

  if (texts.bank) {
    const bank = await timed(runs, () => lf.train(texts.bank, { target: 'y', positive: ['yes'], drop: ['duration'], seed: 1 }), cpu);
    add('bank_full_random train (defaults)', bank.seconds, `${bank.result.info.trees} trees`, bank.cpu);
  }
  if (big) {
    const bytes = bigCsv(texts.d10k, 1_000_000);
    const before = lf.memoryBytes();
    const t = await timed(1, () => lf.train(bytes, { ...base, algo: 'gbt', trees: 100, earlyStopping: false }));
    add('1M × 20 GBT 100 rounds', t.seconds, `CSV ${(bytes.length / 2 ** 20).toFixed(0)} MiB; wasm memory ${(before / 2 ** 20).toFixed(0)} → ${(lf.memoryBytes() / 2 ** 20).toFixed(0)} MiB (peak)`);
  }
  return out;
}
