// @ts-check
// CSV reading and writing for the app and its tests. One implementation, kept in the engine's
// worker (www/leadforest/worker.js), where the app parses and writes files off the page's thread.

export { decode, hasBom, sniffDelimiter, parseCsv, quoteField, toCsv, excelSafe, amount2 } from '../leadforest/worker.js';
