// @ts-check
// Progress with a time estimate for every step that takes a while, and its Cancel button: one
// bar at the bottom of the page for the step running now. It shows after a short delay, so quick
// steps do not flicker.

import { byId } from './dom.js';

/** Seconds in words: "a moment", "about 4 s", "about 2 min". */
export function duration(ms) {
  if (!Number.isFinite(ms) || ms < 1500) return 'a moment';
  const s = ms / 1000;
  return s < 90 ? `about ${Math.round(s)} s` : `about ${Math.round(s / 60)} min`;
}

/**
 * Time left from what is known: the share done (elapsed × left ÷ done), else an estimate of the
 * whole step made before it started. NaN when nothing is known yet.
 */
export function remainingMs(elapsedMs, fraction, estimateMs) {
  if (Number.isFinite(fraction) && fraction > 0.02 && elapsedMs > 300) return (elapsedMs * (1 - fraction)) / fraction;
  if (Number.isFinite(estimateMs)) return Math.max(0, estimateMs - elapsedMs);
  return NaN;
}

/** The share done of a training or chunked step's progress report, or NaN. */
export function fractionOf(p) {
  if (!p) return NaN;
  if (Number.isFinite(p.done) && p.total) return p.done / p.total;
  if (Number.isFinite(p.round) && p.totalRounds) {
    const within = Math.min(1, p.round / p.totalRounds);
    return p.stage === 'fold' && p.folds ? (p.fold - 1 + within) / p.folds : within;
  }
  return NaN;
}

/** The shared busy bar. `track(label, run, cancel)` shows it while `run(hooks)` runs. */
export function createBusy() {
  const box = byId('busy');
  const label = byId('busy-label');
  const bar = /** @type {HTMLProgressElement} */ (byId('busy-progress'));
  const eta = byId('busy-eta');
  const cancelButton = byId('busy-cancel');
  /** @type {any[]} */
  const active = [];
  /** @type {any} */
  let current = null;
  let timer = 0;
  cancelButton.addEventListener('click', () => current?.cancel?.());

  function draw() {
    if (!current) return;
    const elapsed = performance.now() - current.t0;
    if (elapsed < 400) return;
    box.hidden = false;
    label.textContent = `${current.label}…`;
    if (Number.isFinite(current.fraction)) bar.value = current.fraction; else bar.removeAttribute('value');
    const left = remainingMs(elapsed, current.fraction, current.estimateMs);
    eta.textContent = `${Math.round(elapsed / 1000)} s so far${Number.isFinite(left) ? `, ${duration(left)} left` : ''}`;
  }

  return {
    /**
     * @template T
     * @param {string} text
     * @param {(hooks: { onStep: (s: any) => void, onProgress: (p: any) => void }) => Promise<T>} run
     * @param {() => void} [cancel]
     * @returns {Promise<T>}
     */
    async track(text, run, cancel) {
      const job = { label: text, t0: performance.now(), fraction: NaN, estimateMs: NaN, cancel };
      active.push(job);
      current = job;
      cancelButton.hidden = !cancel;
      if (!timer) timer = window.setInterval(draw, 250);
      try {
        return await run({
          onStep: (s) => { if (s.label) job.label = s.label; job.estimateMs = s.estimateMs ?? NaN; job.t0 = performance.now(); },
          onProgress: (p) => { job.fraction = fractionOf(p); },
        });
      } finally {
        active.splice(active.indexOf(job), 1);
        current = active.at(-1) ?? null;
        if (current) cancelButton.hidden = !current.cancel;
        if (!current) {
          box.hidden = true;
          clearInterval(timer);
          timer = 0;
        }
      }
    },
  };
}
