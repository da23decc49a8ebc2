// @ts-check
// What a file is, from its first bytes: a leadforest model, a spreadsheet workbook, another
// binary file, or text (a CSV to open). The page says so instead of showing a binary dump.

/**
 * @param {Uint8Array} bytes
 * @returns {'model' | 'xlsx' | 'xls' | 'pdf' | 'binary' | 'text'}
 */
export function sniff(bytes) {
  const head = (/** @type {number} */ n) => String.fromCharCode(...bytes.subarray(0, n));
  if (head(8) === 'LEADFRST') return 'model';
  if (head(4) === 'PK\u0003\u0004') return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
  if (head(5) === '%PDF-') return 'pdf';
  const sample = bytes.subarray(0, 4096);
  let control = 0;
  // a stray NUL in a cell is the engine's to report (it names the row); a binary file is full of them
  for (const b of sample) if (b < 9 || (b > 13 && b < 32)) control++;
  return sample.length && control / sample.length > 0.05 ? 'binary' : 'text';
}

/** What to tell the user about a file that is not a CSV (null for text). */
export function notCsvMessage(name, kind) {
  switch (kind) {
    case 'xlsx': return `“${name}” is an Excel workbook (or another zip file), not a CSV. In Excel choose File › Save As › CSV UTF-8, then open that file here.`;
    case 'xls': return `“${name}” is an old Excel workbook, not a CSV. In Excel choose File › Save As › CSV UTF-8, then open that file here.`;
    case 'pdf': return `“${name}” is a PDF document, not a CSV. Export the leads from your CRM as a CSV file and open that here.`;
    case 'binary': return `“${name}” is not a text file, so it cannot be a CSV. Export the leads from your CRM as a CSV file and open that here.`;
    default: return null;
  }
}
