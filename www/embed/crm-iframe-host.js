// The CRM side of the iframe card: sends the lead to the card's exact origin (never '*') and reads
// the score the card sends back, accepting replies from that origin only.
const frame = document.getElementById('card');
const cardOrigin = new URL(frame.src, window.location.href).origin;
let lead = null;
let ready = false;

function send() {
  if (!lead || !ready) return;
  frame.contentWindow.postMessage({ type: 'leadforest:record', record: lead }, cardOrigin);
}

window.addEventListener('message', (event) => {
  if (event.origin !== cardOrigin || event.source !== frame.contentWindow) return;
  const data = event.data;
  if (data?.type === 'leadforest:ready') { ready = true; send(); return; }
  if (data?.type !== 'leadforest:score') return;
  document.getElementById('reply').textContent = `${data.score} / 100, tier ${data.tier} (${data.action})`;
});

document.getElementById('source').addEventListener('change', (event) => {
  lead = { ...lead, 'Lead Source': event.target.value };
  send();
});

// The card also says 'leadforest:ready'; `load` covers a card that was ready before this ran.
frame.addEventListener('load', () => { ready = true; send(); });
lead = await (await fetch('sample-lead.json')).json();
document.getElementById('lead-name').textContent = lead['Full Name'];
document.getElementById('source').value = lead['Lead Source'];
send();
