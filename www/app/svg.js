// @ts-check
// Charts are built as plain trees `{ tag, attrs, children }` (children: trees or strings) so
// that they are pure data, testable without a browser; these two functions render a tree into
// live SVG elements (text as text nodes) or into escaped markup for the offline HTML report.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG node tree. */
export function s(tag, attrs = {}, ...children) {
  return { tag, attrs, children: children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false) };
}

/** Renders a tree as SVG DOM nodes in `doc` (text always through text nodes). */
export function toDom(node, doc = document) {
  if (typeof node === 'string' || typeof node === 'number') return doc.createTextNode(String(node));
  const el = doc.createElementNS(SVG_NS, node.tag);
  for (const [k, v] of Object.entries(node.attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const child of node.children) el.append(toDom(child, doc));
  return el;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML/SVG markup. */
export const escapeXml = (text) => String(text).replace(/[&<>"']/g, (c) => ESC[c]);

/** Serializes a tree as SVG markup, every text and attribute value escaped. */
export function toMarkup(node) {
  if (typeof node === 'string' || typeof node === 'number') return escapeXml(node);
  const attrs = Object.entries(node.attrs)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  const xmlns = node.tag === 'svg' ? ` xmlns="${SVG_NS}"` : '';
  return `<${node.tag}${xmlns}${attrs}>${node.children.map(toMarkup).join('')}</${node.tag}>`;
}
