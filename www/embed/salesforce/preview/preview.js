// Runs the real leadforestScore LWC in a plain page: loads its source without decorators, renders
// its template's bindings ({prop} attributes, onevent handlers, {text}, lwc:if) and feeds its
// getRecord wire the sample lead, as a Lightning record page would.
const BUNDLE = new URL('../force-app/main/default/lwc/leadforestScore/leadforestScore', import.meta.url);

async function loadComponent() {
  const source = await (await fetch(`${BUNDLE}.js`)).text();
  const plain = source.replace(/@wire\([^)]*\)\s*/g, '').replace(/@api\s+/g, '');
  const url = URL.createObjectURL(new Blob([plain], { type: 'text/javascript' }));
  try {
    return (await import(url)).default;
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function loadTemplate() {
  const html = await (await fetch(`${BUNDLE}.html`)).text();
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return doc.querySelector('template').content;
}

/** Renders the template once and returns a function that refreshes the data bindings. */
function render(component, content) {
  const bindings = [];
  const root = content.cloneNode(true);
  for (const node of root.querySelectorAll('*')) {
    for (const attr of [...node.attributes]) {
      const m = /^\{(\w+)\}$/.exec(attr.value);
      if (!m) continue;
      node.removeAttribute(attr.name);
      if (attr.name.startsWith('on')) {
        node.addEventListener(attr.name.slice(2), (e) => component[m[1]](e));
      } else if (attr.name === 'lwc:if') {
        bindings.push(() => { node.hidden = !component[m[1]]; });
      } else {
        // Only on change: setting an iframe's src, even to the same URL, reloads it.
        bindings.push(() => {
          const value = String(component[m[1]]);
          if (node.getAttribute(attr.name) !== value) node.setAttribute(attr.name, value);
        });
      }
    }
    if (node.children.length === 0) {
      const m = /^\{(\w+)\}$/.exec(node.textContent.trim());
      if (m) bindings.push(() => { node.textContent = component[m[1]] ?? ''; });
    }
  }
  const refresh = () => bindings.forEach((b) => b());
  refresh();
  component.template.append(root);
  return refresh;
}

/** The sample lead as UI API's getRecord would return it (empty fields are null). */
function uiRecord(lead, map) {
  const fields = {};
  for (const [field, column] of Object.entries(map)) {
    const value = lead[column];
    fields[field] = { value: value === '' || value === undefined ? null : value };
  }
  return { apiName: 'Lead', id: '00Q000000000001AAA', fields };
}

const [Component, content, lead] = await Promise.all([
  loadComponent(), loadTemplate(), fetch('../sample-lead.json').then((r) => r.json()),
]);
customElements.define('c-leadforest-score', Component);
const element = document.createElement('c-leadforest-score');
element.recordId = '00Q000000000001AAA';
document.getElementById('sidebar').append(element);
const refresh = render(element, content);
// Lightning re-renders on field changes; polling the few bindings is enough for a preview.
setInterval(refresh, 100);
document.getElementById('lead-name').textContent = lead['Full Name'];
element.wiredLead({ data: uiRecord(lead, element.map) });
window.lwcPreview = element;
