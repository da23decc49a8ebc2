// @ts-check
// The offline HTML report made in the page: the model's validation figures and the same charts
// as the app, as one self-contained file (inline SVG and CSS, no script, every value escaped).

import { escapeXml, toMarkup } from './svg.js';

const CSS = `body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#181818;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #e5e5e5;padding:.25rem .75rem;text-align:left}th{background:#f3f3f3}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:1rem}svg{max-width:100%;height:auto}
.note{color:#444;font-size:.85rem}`;

/**
 * `facts`: [[label, value]] rows; `charts`: SVG trees; `tiers`: [[tier, count, rate]].
 */
export function reportHtml({ title, subtitle, facts, charts, tiers, notes }) {
  const rows = (list) => list.map((r) => `<tr>${r.map((c, i) => (i ? `<td>${escapeXml(c)}</td>` : `<th scope="row">${escapeXml(c)}</th>`)).join('')}</tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><h1>${escapeXml(title)}</h1><p class="note">${escapeXml(subtitle)}</p>
<h2>Validation</h2><table>${rows(facts)}</table>
${tiers?.length ? `<h2>Tiers (evaluation rows)</h2><table><tr><th>Tier</th><th>Leads</th><th>Converted</th></tr>${rows(tiers)}</table>` : ''}
<h2>Charts</h2><div class="grid">${charts.map(toMarkup).join('\n')}</div>
${(notes || []).map((n) => `<p class="note">${escapeXml(n)}</p>`).join('')}
</body></html>
`;
}
