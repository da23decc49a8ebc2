// The example CRM page: shows the lead the page carries (a JSON data block, #lead-data) as an
// editable form and hands every edit to the widget (`setField`), which re-scores it. Values are
// written with textContent/value only.
const widget = document.getElementById('score');
const form = document.getElementById('fields');
const params = new URLSearchParams(window.location.search);
if (params.get('theme') === 'dark') {
  document.documentElement.classList.add('dark');
  widget.setAttribute('theme', 'dark');
}

const NUMERIC = new Set(['Pages Viewed', 'Time on Site (s)', 'Email Opens', 'Email Clicks']);
const HIDDEN = new Set(['Lead ID']);

function showHeader(lead) {
  document.getElementById('lead-name').textContent = lead['Full Name'] || 'Unnamed lead';
  document.getElementById('lead-sub').textContent =
    [lead['Job Title'], lead.Email].filter(Boolean).join(' · ');
}

function main() {
  const lead = JSON.parse(document.getElementById('lead-data').textContent);
  showHeader(lead);
  for (const [name, value] of Object.entries(lead)) {
    if (HIDDEN.has(name)) continue;
    const label = document.createElement('label');
    const caption = document.createElement('span');
    caption.textContent = name;
    const input = document.createElement('input');
    input.name = name;
    input.type = NUMERIC.has(name) ? 'number' : 'text';
    if (NUMERIC.has(name)) input.min = '0';
    input.value = value === null ? '' : String(value);
    input.addEventListener('input', () => {
      const raw = input.value.trim();
      const next = raw === '' ? null : NUMERIC.has(name) ? Number(raw) : raw;
      lead[name] = next;
      widget.setField(name, next);
      showHeader(lead);
    });
    label.append(caption, input);
    form.append(label);
  }
  widget.record = lead;
}

try {
  main();
} catch (e) {
  document.getElementById('lead-sub').textContent = `Could not read the lead: ${e.message}`;
}
