// The self-test's worker half: loads its own copy of the engine and summarizes the bytes it is sent.
import { init, summarizeCsv } from './leadforest/index.js';

const ready = init();
self.onmessage = async (e) => {
  try {
    await ready;
    self.postMessage({ summary: summarizeCsv(e.data.bytes) });
  } catch (err) {
    self.postMessage({ error: String(err && err.message ? err.message : err) });
  }
};
