// @ts-check
// Tiny DOM helpers. Every string becomes a text node (never HTML): data from a CSV cannot
// inject markup or script, whatever it contains.

/**
 * Creates an element. `attrs`: `class`, `text`, `on` ({event: handler}), booleans, `data-*`,
 * `aria-*` and any other attribute (set with setAttribute, so never parsed as HTML).
 * Children: nodes, strings (text nodes), numbers, arrays, null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

/** Sets attributes as `h` does. */
export function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === 'class') el.className = value;
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'hidden') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

/** Appends children (see `h`). */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Removes every child of `el`, then appends `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** `document.getElementById` that fails loudly when the page and the script disagree. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page element #${id} is missing`);
  return el;
}

/** Number formatting used across the app. */
export const fmt = {
  int: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—'),
  pct: (x, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—'),
  num: (x, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : '—'),
  times: (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—'),
};
