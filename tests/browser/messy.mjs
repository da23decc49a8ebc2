// A placeholder for the engine's messy CRM generator (leadforest::demo::messy, `messyCsv` in the
// JS API) until it lands on main: a wide (37 columns), messy export with about 10 % converted and
// a planted numeric leak, `Contract Value` (> 0 exactly for converted leads, as hillstrom's
// `spend`). Seeded: same rows and seed ⇒ same text.

/** Mulberry32: a small seeded generator (tests only). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, list) => list[Math.floor(r() * list.length)];
const quote = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** `{ csv, target, positive, leak }` for `rows` leads from `seed`. */
export function messyCsv(rows = 45000, seed = 1) {
  const r = rng(seed);
  const sources = ['Referral', 'referral', 'Webinar', 'Organic Search', 'Paid Search', 'Cold Email', 'Social Media', 'Select', ''];
  const effect = { Referral: 1.1, referral: 1.1, Webinar: 0.6, 'Organic Search': 0.2, 'Paid Search': 0, 'Cold Email': -0.9, 'Social Media': -0.4, Select: 0, '': 0 };
  const countries = ['Germany', 'France', 'United States', 'India', 'Brazil', 'N/A', '-', 'Deutschland'];
  const industries = ['Software', 'Retail', 'Healthcare', 'Manufacturing', 'Education', 'Government', 'Select'];
  const headers = ['Lead ID', 'Full Name', 'Email', 'Phone', 'Created Date', 'Lead Source', 'Country', 'Industry', 'Company Size',
    'Pages Viewed', 'Time on Site (s)', 'Email Opens', 'Email Clicks', 'Trial Signup', 'Notes', 'Website', 'Constant', 'Owner',
    ...Array.from({ length: 8 }, (_, i) => `Score Field ${i + 1}`), ...Array.from({ length: 8 }, (_, i) => `Segment ${i + 1}`),
    'Contract Value', 'Status', 'Converted'];
  const lines = [headers.map(quote).join(',')];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows; i++) {
    const source = pick(r, sources);
    const pages = Math.floor(r() * r() * 40);
    const time = Math.floor(r() * 900);
    const clicks = Math.floor(r() * 5);
    const trial = r() < 0.15;
    const size = pick(r, ['1-10', '11-50', '51-200', '201-1000', '1000+', '']);
    const z = -4.3 + effect[source] + 0.05 * pages + (time > 300 ? 0.6 : 0) + 0.3 * clicks + (trial ? 1.3 : 0) + (size === '201-1000' ? 0.4 : 0) + (r() - 0.5);
    const converted = r() < 1 / (1 + Math.exp(-z));
    const date = new Date(start + Math.floor((i / rows) * 540) * 86400000).toISOString().slice(0, 10);
    const row = [
      `L-${100000 + i}`, `${pick(r, ['Anna', 'José', 'Li', 'Øyvind', 'Mary-Kate'])} ${pick(r, ['Smith', "O'Neil", 'Müller', 'Nguyen'])}`,
      `user${i}@${pick(r, ['gmail.com', 'acme.io', 'corp.example'])}`, `+49 30 ${1000000 + i}`, date, source,
      pick(r, countries), pick(r, industries), size, r() < 0.05 ? '' : String(pages), r() < 0.03 ? 'NA' : String(time),
      String(Math.floor(r() * 12)), String(clicks), trial ? 'Yes' : 'No',
      r() < 0.02 ? '=HYPERLINK("http://example.invalid","call me")' : pick(r, ['', 'called, no answer', 'wants "pricing"', 'follow up\nnext week']),
      pick(r, ['www.example.com', '', 'n/a']), 'same', pick(r, ['Ana', 'Ben', 'Chloé', 'Dev']),
      ...Array.from({ length: 8 }, () => (r() < 0.1 ? '' : (r() * 100).toFixed(1))),
      ...Array.from({ length: 8 }, () => pick(r, ['a', 'b', 'c', 'd', 'Select'])),
      converted ? String(500 + Math.floor(r() * 50000)) : '0',
      pick(r, ['Open', 'Working', 'Nurturing', 'Qualified']),
      converted ? 'Yes' : 'No',
    ];
    lines.push(row.map(quote).join(','));
  }
  return { csv: `${lines.join('\n')}\n`, target: 'Converted', positive: ['Yes'], leak: 'Contract Value' };
}
