// @ts-check
// Text from the engine made for people: code quotes (`…`) become typographic quotes, command
// lines are not shown, and sentences end with one full stop.

/** Cleans one message: backticks → “…”, doubled full stops → one, trimmed. */
export function words(text) {
  if (text === null || text === undefined) return '';
  return String(text)
    .replace(/`([^`]*)`/g, '“$1”')
    .replaceAll('`', '')
    .replace(/\s*\((?:run |see )?“?leadforest [a-z-]+[^)]*\)/g, '')
    .replace(/(?<!\.)\.\.(?!\.)/g, '.')
    .replace(/\s+\./g, '.')
    .trim();
}

/** Ends a sentence with exactly one full stop (keeps ? ! … and a closing quote's stop). */
export function sentence(text) {
  const t = words(text).replace(/[.\s]+$/, '');
  return /[?!…]$/.test(t) ? t : `${t}.`;
}
