// The framed card: only the theme comes from the URL (?theme=dark); the lead comes by postMessage.
if (new URLSearchParams(window.location.search).get('theme') === 'dark') {
  document.documentElement.classList.add('dark');
  document.getElementById('score').setAttribute('theme', 'dark');
}
