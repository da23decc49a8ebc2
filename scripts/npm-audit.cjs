// Reads `npm audit --json` (scripts/test.sh): fails on a high or critical advisory for the dev
// tools in package.json; when the registry's audit endpoint cannot be reached, says it skipped.
const report = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8') || '{}');
const v = report.metadata && report.metadata.vulnerabilities;
if (v) {
  console.log(`npm audit: ${v.total} known vulnerabilities (critical ${v.critical}, high ${v.high}, moderate ${v.moderate}, low ${v.low})`);
  if (v.high + v.critical > 0) {
    for (const [name, info] of Object.entries(report.vulnerabilities || {})) console.log(`  ${name}: ${info.severity} (${info.range})`);
    process.exit(1);
  }
  process.exit(0);
}
const code = report.code || (report.error && report.error.code) || '';
const status = report.statusCode;
const network = /^E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH|HOSTUNREACH)$/.test(code)
  || (status >= 400 && /\/security\/(advisories|audits)/.test(report.uri || ''));
if (network) {
  console.log(`npm audit: advisory endpoint unreachable (${report.message || code}): skipped`);
  process.exit(0);
}
console.error(`npm audit failed: ${report.message || (report.error && report.error.summary) || JSON.stringify(report).slice(0, 300)}`);
process.exit(1);
