// Engine self-test: the same summary computed on the main thread and in a module Web Worker.
import { init, version, summarizeCsv } from './leadforest/index.js';

const show = (id, text) => { document.getElementById(id).textContent = text; };
const describe = (s) => `${s.rows} rows × ${s.headers.length} columns, separator "${s.delimiter}"`;

async function run() {
  await init();
  show('version', version());
  const bytes = new Uint8Array(await (await fetch('./demo/leads.csv')).arrayBuffer());
  const here = summarizeCsv(bytes);
  show('main', describe(here));
  const worker = new Worker(new URL('./selftest-worker.js', import.meta.url), { type: 'module' });
  const there = await new Promise((resolve, reject) => {
    worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.summary));
    worker.onerror = (e) => reject(new Error(e.message));
    const copy = bytes.slice();
    worker.postMessage({ bytes: copy }, [copy.buffer]);
  });
  worker.terminate();
  show('worker', describe(there));
  const same = JSON.stringify(here) === JSON.stringify(there);
  const status = document.getElementById('status');
  status.textContent = same ? 'ok: main thread and worker agree' : 'mismatch between main thread and worker';
  status.className = same ? 'ok' : 'bad';
  window.selftest = { version: version(), main: here, worker: there };
}

run().catch((e) => {
  const status = document.getElementById('status');
  status.textContent = `error: ${e.message}`;
  status.className = 'bad';
});
