// The training half of TrainingWorker: a module Web Worker with its own copy of the engine.
// Protocol (all messages carry the job's `id`):
//   in:  { id, bytes: Uint8Array, options }                 (bytes transferred by the caller)
//   out: { type: 'progress', id, progress }                  once per boosting round / tree
//        { type: 'done', id, bytes: Uint8Array }             the model file (buffer transferred)
//        { type: 'error', id, message }                      the engine's error message
import * as leadforest from './index.js';

const ready = leadforest.init();

self.onmessage = async (event) => {
  const { id, bytes, options } = event.data;
  try {
    await ready;
    if (typeof leadforest.train !== 'function') throw new Error('this build of leadforest cannot train');
    const model = leadforest.train(bytes, options, (progress) => self.postMessage({ type: 'progress', id, progress }));
    const out = model.toBytes();
    model.free();
    self.postMessage({ type: 'done', id, bytes: out }, [out.buffer]);
  } catch (err) {
    self.postMessage({ type: 'error', id, message: err && err.message ? err.message : String(err) });
  }
};
