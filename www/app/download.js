// @ts-check
// Saving files made in the page: a Blob and an <a download> (no network involved).

/** Offers `data` (a Blob, string or bytes) as a file download named `name`. */
export function saveFile(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file-name-safe stem from a file name ("Leads export.csv" → "Leads-export"). */
export function stem(name) {
  return (name || 'leads').replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'leads';
}
