// Hostile arguments against every export of the JS API, in Node (no browser needed): the package
// (www/leadforest/index.js), the raw wasm-bindgen module under it (pkg/leadforest.js) and every
// method and getter of Model and TrainingWorker. Each call must return a value or throw a JS Error
// — never a WebAssembly trap (a Rust panic or abort shows up as RuntimeError "unreachable", and
// the panic hook logs "panicked at") — and afterwards the same module instance must train the same
// model bytes and score the demo data exactly as before the abuse.
//
// Exports are enumerated at run time: a new export, method or getter without an entry in ARGS
// below fails the test, so it cannot ship untested.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as lf from '../../www/leadforest/index.js';
import * as pkg from '../../www/leadforest/pkg/leadforest.js';

const enc = (s) => new TextEncoder().encode(s);

// ---------------------------------------------------------------------------------------------
// Hostile values

const deep = (n, wrap) => { let v = 0; for (let i = 0; i < n; i++) v = wrap(v); return v; };
const cyclic = {}; cyclic.self = cyclic;
const trap = () => { throw new Error('hostile proxy trap'); };
const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
const BIG = 50 * 1024 * 1024;
const bigString = 'x'.repeat(BIG);

/** name → value. Every argument position of every export gets each of these. */
const HOSTILE = {
  undefined: undefined,
  null: null,
  NaN: NaN,
  minusOne: -1,
  twoTo31: 2 ** 31,
  twoTo53: 2 ** 53,
  infinity: Infinity,
  fraction: 0.5,
  bigint: 10n,
  symbol: Symbol('hostile'),
  function: () => 1,
  emptyString: '',
  string: 'Converted',
  emptyObject: {},
  emptyArray: [],
  numberArray: [1, 2, 300, -5, NaN],
  nested100k: deep(100_000, (v) => ({ a: v })),
  nestedArray100k: deep(100_000, (v) => [v]),
  cyclic,
  throwingGetter: { get target() { throw new Error('hostile getter'); }, get x() { throw new Error('hostile getter'); } },
  proxy,
  lengthClaim2To31: { length: 2 ** 31 },
  lengthClaim2To32: { length: 2 ** 32 - 1 },
  lengthClaimNegative: { length: -1 },
  float64Array: new Float64Array([1.5, NaN]),
  arrayBuffer: new ArrayBuffer(16),
  date: new Date(0),
  map: new Map([['target', 'Converted']]),
  garbageBytes: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
  nulBytes: new Uint8Array(1024),
  unknownOptionField: { target: 'Converted', bogus: 1 },
  wrongOptionTypes: { target: 5, trees: 'many', seed: -1, learningRate: 'fast', positive: 'Yes', drop: 7, algo: 'svm' },
  hugeOptions: { target: 'Converted', trees: 2 ** 32 + 3, seed: 2 ** 64, learningRate: 1e308, earlyStopping: 'yes' },
  hostileRecord: { 'Lead Source': { nested: 1 }, 'Pages Viewed': [1], Country: 1n },
};
// The 50 MB string (as bytes, and as an option's text) only where named: each call copies it.
const ONCE = {
  'index.summarizeCsv': [[0, bigString]],
  'index.train': [[0, bigString], [1, { target: bigString }]],
  'model.scoreRecord': [[0, { Country: bigString }]],
};

// ---------------------------------------------------------------------------------------------
// Argument table: export → valid arguments. Each position is then replaced by every hostile value.

let demo, demoBytes, small, model, record, baseline;

/** A model freed before use (its methods must throw, not trap). */
function freed() {
  const m = lf.Model.fromBytes(baseline.modelBytes);
  m.free();
  return m;
}

const ARGS = {
  index: {
    init: () => [undefined],
    version: () => [],
    demoCsv: () => [50, 7],
    messyCsv: () => [50, 1],
    summarizeCsv: () => [small],
    profileCsv: () => [small, { target: 'Converted' }],
    defaultTrainOptions: () => [],
    memoryBytes: () => [],
    train: () => [small, { target: 'Converted', trees: 2, seed: 3 }, () => {}],
    Model: 'class',
    TrainingWorker: 'class',
  },
  pkg: {
    default: () => [undefined],
    initSync: () => [undefined],
    start: () => [],
    version: () => [],
    demoCsv: () => [50, 7],
    messyCsv: () => [50, 1],
    summarizeCsv: () => [small],
    profileCsv: () => [small, { target: 'Converted' }],
    defaultTrainOptions: () => [],
    memoryBytes: () => [],
    train: () => [small, { target: 'Converted', trees: 2, seed: 3 }, () => {}],
    importModel: () => [enc('tree\nversion=v4\n'), undefined],
    Model: 'class',
  },
  modelStatic: {
    fromBytes: () => [baseline.modelBytes],
  },
  model: {
    toBytes: () => [],
    scoreCsv: () => [small],
    scoreRecords: () => [[record, {}]],
    scoreRecord: () => [record],
    explain: () => [record],
    explainCsv: () => [small],
    drift: () => [small],
    plan: () => [{ capacity: { top: 5 } }],
    evaluate: () => [small, {}],
    crmCsv: () => [small, { crm: 'hubspot', id: 'Lead ID', value: 'Pages Viewed' }],
    valueGains: () => [small, 'Pages Viewed'],
    expectedValues: () => [small, 'Pages Viewed'],
    strings: () => [],
    free: 'free',
    metrics: 'getter',
    schema: 'getter',
    info: 'getter',
    validation: 'getter',
    report: 'getter',
  },
  worker: {
    train: () => [small, { target: 'Converted' }, () => {}],
    cancel: () => [],
    terminate: () => [],
  },
};

// ---------------------------------------------------------------------------------------------
// Running a call and judging its outcome

const panics = [];
const realError = console.error;

/** Calls `f`; returns 'value' | 'error', or throws an AssertionError for a trap or a non-Error. */
async function judge(label, f, allowThrown = new Set()) {
  const before = panics.length;
  let outcome;
  try {
    const r = f();
    if (r && typeof r.then === 'function') await r;
    outcome = 'value';
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) assert.fail(`${label}: WebAssembly trap (${e.message}) — a Rust panic or abort`);
    if (!(e instanceof Error) && !allowThrown.has(e)) assert.fail(`${label}: threw a non-Error ${String(e)}`);
    if (e instanceof Error && /unreachable|panicked/.test(e.message)) assert.fail(`${label}: ${e.message}`);
    outcome = 'error';
  }
  assert.equal(panics.length, before, `${label}: the panic hook reported ${panics.slice(before).join(' | ')}`);
  return outcome;
}

/** Every way to call `fn` (bound to `self`) with hostile arguments: per position × per value. */
function* hostileCalls(name, valid) {
  const n = Math.max(valid.length, 1);
  yield [`${name}()`, []];
  yield [`${name}(valid…, extra)`, [...valid, HOSTILE.cyclic, 1, 2]];
  for (let pos = 0; pos < n; pos++) {
    for (const [hname, value] of Object.entries(HOSTILE)) {
      const args = valid.slice();
      args[pos] = value;
      yield [`${name} arg ${pos} = ${hname}`, args];
    }
  }
  for (const [pos, value] of ONCE[name] ?? []) {
    const args = valid.slice();
    args[pos] = value;
    yield [`${name} arg ${pos} = 50 MB string`, args];
  }
}

// ---------------------------------------------------------------------------------------------

before(async () => {
  console.error = (...a) => {
    const text = a.map(String).join(' ');
    if (/panicked at|RuntimeError|unreachable/.test(text)) panics.push(text);
    realError(...a);
  };
  await lf.init();
  demo = lf.demoCsv(300, 7);
  demoBytes = enc(demo);
  small = enc(lf.demoCsv(60, 3));
  model = lf.train(demoBytes, { target: 'Converted', trees: 5, seed: 11 });
  const lines = demo.trimEnd().split('\n');
  const header = lines[0].split(',');
  const cells = lines[1].split(',');
  record = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  baseline = snapshot(model);
});

/** What must not change: model bytes from the same training, scores, explanations. */
function snapshot(m) {
  const fresh = lf.train(demoBytes, { target: 'Converted', trees: 5, seed: 11 });
  const out = {
    modelBytes: m.toBytes(),
    retrained: Array.from(fresh.toBytes()),
    record: m.scoreRecord(record),
    csv: Array.from(m.scoreCsv(demoBytes).probability),
    explain: m.explain(record),
    loaded: Array.from(lf.Model.fromBytes(m.toBytes()).scoreCsv(demoBytes).probability),
    summary: lf.summarizeCsv(demoBytes),
  };
  fresh.free();
  return out;
}

test('every export has an argument table entry (new exports must be added here)', () => {
  const ownMethods = (proto) => Object.getOwnPropertyNames(proto)
    .filter((k) => k !== 'constructor' && !k.startsWith('__'));
  assert.deepEqual(Object.keys(lf).sort(), Object.keys(ARGS.index).sort(), 'index.js exports');
  assert.deepEqual(Object.keys(pkg).sort(), Object.keys(ARGS.pkg).sort(), 'pkg exports');
  assert.deepEqual(Object.getOwnPropertyNames(lf.Model).filter((k) => !['length', 'name', 'prototype'].includes(k) && !k.startsWith('__')).sort(),
    Object.keys(ARGS.modelStatic).sort(), 'Model static methods');
  assert.deepEqual(ownMethods(lf.Model.prototype).sort(), Object.keys(ARGS.model).sort(), 'Model methods and getters');
  assert.deepEqual(ownMethods(lf.TrainingWorker.prototype).sort(), Object.keys(ARGS.worker).sort(), 'TrainingWorker methods');
  assert.equal(lf.Model, pkg.Model, 'index.js re-exports the wasm-bindgen Model');
});

test('hostile arguments to every export: values or JS Errors, never a trap; the module still works', { timeout: 600_000 }, async () => {
  const counts = { calls: 0, errors: 0, values: 0 };
  const tally = (o) => { counts.calls++; counts[o === 'error' ? 'errors' : 'values']++; };
  const covered = new Set();

  // Free functions of index.js and of the raw module.
  for (const [where, mod] of [['index', lf], ['pkg', pkg]]) {
    for (const [name, spec] of Object.entries(ARGS[where])) {
      if (spec === 'class') continue;
      for (const [label, args] of hostileCalls(`${where}.${name}`, spec())) {
        tally(await judge(label, () => mod[name](...args)));
      }
      covered.add(`${where}.${name}`);
    }
  }

  // Model.fromBytes, and `new Model()` (no constructor: an object with no engine behind it).
  for (const [name, spec] of Object.entries(ARGS.modelStatic)) {
    for (const [label, args] of hostileCalls(`Model.${name}`, spec())) {
      tally(await judge(label, () => lf.Model[name](...args)));
    }
    covered.add(`Model.${name}`);
  }

  // Methods and getters: on a live model with hostile arguments, and on hostile receivers
  // (freed model, double free, an object with no engine, wrong `this`).
  const receivers = () => ({
    freed: freed(),
    constructed: (() => { try { return new lf.Model(); } catch { return Object.create(lf.Model.prototype); } })(),
    plainObject: {},
    forgedPointer: Object.assign(Object.create(lf.Model.prototype), { __wbg_ptr: 0x7fff_fff0 }),
    undefined,
  });
  for (const [name, spec] of Object.entries(ARGS.model)) {
    const proto = Object.getOwnPropertyDescriptor(lf.Model.prototype, name);
    const call = (self, args) => (spec === 'getter' ? proto.get.call(self) : proto.value.apply(self, args));
    const valid = typeof spec === 'function' ? spec() : [];
    if (spec !== 'free') {
      const live = lf.Model.fromBytes(baseline.modelBytes);
      for (const [label, args] of hostileCalls(`model.${name}`, valid)) {
        tally(await judge(label, () => call(live, args)));
      }
      live.free();
    }
    for (const [rname, self] of Object.entries(receivers())) {
      if (rname === 'forgedPointer') continue; // a forged pointer is memory-unsafe by design in wasm-bindgen
      tally(await judge(`model.${name} on ${rname}`, () => call(self, valid)));
    }
    covered.add(`model.${name}`);
  }
  // Double free, and freeing a model from inside its own method (a getter in the record).
  {
    const m = lf.Model.fromBytes(baseline.modelBytes);
    m.free();
    tally(await judge('double free', () => m.free()));
    const victim = lf.Model.fromBytes(baseline.modelBytes);
    const sneaky = { get 'Lead Source'() { victim.free(); return 'Web'; }, 'Pages Viewed': 3 };
    tally(await judge('free during scoreRecord', () => victim.scoreRecord(sneaky)));
    tally(await judge('free during scoreRecords', () => victim.scoreRecords([sneaky])));
    tally(await judge('scoreRecord after that', () => victim.scoreRecord(record)));
  }
  // Re-entrancy and hostile progress callbacks during training.
  {
    const opts = { target: 'Converted', trees: 3, seed: 2 };
    const demoBytes = small;
    const thrown = 42;
    tally(await judge('onProgress throws a non-Error', () => lf.train(demoBytes, opts, () => { throw thrown; }), new Set([thrown])));
    tally(await judge('onProgress re-enters train', () => lf.train(demoBytes, opts, () => lf.train(demoBytes, opts).free())));
    tally(await judge('onProgress frees a model', () => lf.train(demoBytes, opts, () => freed())));
    tally(await judge('onProgress scores with the live model', () => lf.train(demoBytes, opts, () => model.scoreRecord(record))));
    tally(await judge('onProgress is a proxy', () => lf.train(demoBytes, opts, proxy)));
  }

  // TrainingWorker (Node has no Web Worker: train must reject with an Error, not hang or trap).
  for (const [name, spec] of Object.entries(ARGS.worker)) {
    for (const [label, args] of hostileCalls(`TrainingWorker.${name}`, spec())) {
      const w = new lf.TrainingWorker();
      tally(await judge(label, () => w[name](...args)));
      w.terminate();
    }
    covered.add(`TrainingWorker.${name}`);
  }

  const expected = [
    ...Object.keys(ARGS.index).filter((k) => ARGS.index[k] !== 'class').map((k) => `index.${k}`),
    ...Object.keys(ARGS.pkg).filter((k) => ARGS.pkg[k] !== 'class').map((k) => `pkg.${k}`),
    ...Object.keys(ARGS.modelStatic).map((k) => `Model.${k}`),
    ...Object.keys(ARGS.model).map((k) => `model.${k}`),
    ...Object.keys(ARGS.worker).map((k) => `TrainingWorker.${k}`),
  ];
  assert.deepEqual([...covered].sort(), expected.sort());
  assert.ok(counts.errors > 500 && counts.values > 50, JSON.stringify(counts));
  console.log(`# hostile calls: ${counts.calls} over ${covered.size} exports/methods (${counts.errors} errors, ${counts.values} values)`);

  // The same instance still works exactly as before.
  const after = snapshot(model);
  assert.deepEqual(after.retrained, baseline.retrained, 'retraining gives the same model bytes');
  assert.deepEqual(Array.from(after.modelBytes), Array.from(baseline.modelBytes));
  assert.deepEqual(after.record, baseline.record, 'scoreRecord gives the same score');
  assert.deepEqual(after.csv, baseline.csv, 'scoreCsv gives the same probabilities');
  assert.deepEqual(after.explain, baseline.explain);
  assert.deepEqual(after.loaded, baseline.csv);
  assert.deepEqual(after.summary, baseline.summary);
  assert.ok(baseline.record.probability > 0 && baseline.record.probability < 1);
  assert.deepEqual(panics, []);
});
