// CSV text in and out for the app's own views and downloads (the engine parses for training and
// scoring). RFC 4180: quoted fields may hold separators, quotes ("") and newlines.

/** Decodes file bytes: UTF-8 (BOM stripped), else Windows-1252 as the engine does. */
export function decode(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Guesses the separator among , ; tab | from the first line (outside quotes). */
export function sniffDelimiter(text) {
  const counts = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c]++;
  }
  let best = ',';
  for (const d of Object.keys(counts)) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * Parses CSV text into `{ headers, rows }` (rows are arrays of strings, blank lines skipped).
 * Lenient on purpose: the engine is the validator; this only feeds the table and downloads.
 */
export function parseCsv(text, delimiter = sniffDelimiter(text)) {
  const records = [];
  let row = [];
  let field = '';
  let i = 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ && field === '') {
      // quoted field
      i++;
      let start = i;
      let out = '';
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) { out += text.slice(start); i = n; break; }
        if (text.charCodeAt(q + 1) === 34) { out += text.slice(start, q + 1); i = q + 2; start = i; continue; }
        out += text.slice(start, q);
        i = q + 1;
        break;
      }
      field = out;
      // anything between the closing quote and the separator is kept, as the csv crate does
      while (i < n) {
        const e = text.charCodeAt(i);
        if (e === d || e === 10 || e === 13) break;
        field += text[i++];
      }
      continue;
    }
    if (c === d) { row.push(field); field = ''; i++; continue; }
    if (c === 10 || c === 13) {
      row.push(field); field = '';
      if (!(row.length === 1 && row[0] === '')) records.push(row);
      row = [];
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      continue;
    }
    // plain run up to the next special character
    let j = i;
    while (j < n) {
      const e = text.charCodeAt(j);
      if (e === d || e === 10 || e === 13) break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  if (field !== '' || row.length) { row.push(field); records.push(row); }
  const headers = records.shift() || [];
  return { headers, rows: records };
}

/** Quotes one field for CSV output when it needs it. */
export function quoteField(value, delimiter = ',') {
  const s = value === null || value === undefined ? '' : String(value);
  return s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r')
    ? `"${s.replaceAll('"', '""')}"`
    : s;
}

/** Writes `{ headers, rows }` as CSV text (CRLF-free, trailing newline). */
export function toCsv(headers, rows, delimiter = ',') {
  const line = (r) => r.map((v) => quoteField(v, delimiter)).join(delimiter);
  const parts = [line(headers)];
  for (const r of rows) parts.push(line(r));
  return `${parts.join('\n')}\n`;
}
