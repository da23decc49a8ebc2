#!/usr/bin/env bash
# Every test: formatting, lints (native + wasm32), native tests, wasm32 tests under Node,
# then the browser tests in headless Chromium against the built www/. Installs what is missing.
source "$(dirname "$0")/lib.sh"
scripts/setup.sh --test
log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT
count() { grep -hoE 'test result: ok\. [0-9]+ passed' "$@" | awk '{s += $4} END {print s + 0}'; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets)"
cargo clippy --all-targets --quiet -- -D warnings
step "cargo clippy (wasm32)"
cargo clippy --lib --tests --target wasm32-unknown-unknown --no-default-features --quiet -- -D warnings
step "cargo clippy (wasm32, the card's score-only engine; its tests use the full API, so --lib)"
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features score-only --quiet -- -D warnings

step "supply chain: cargo deny (deny.toml) and npm audit (package.json dev tools)"
cargo deny --log-level error check licenses bans sources
# The RustSec database is fetched from GitHub (the freshest, and it wins). Where that is
# unreachable, the offline snapshot next to the repository (../shared/rustsec/, see its SOURCE.md)
# is checked instead and its date printed: advisories published after it are not covered. With
# neither, the check is skipped and says so.
snapshot=../shared/rustsec/advisory-db-2025-02-24.tar.gz
if cargo deny --log-level error fetch db >"$log/deny-fetch.txt" 2>&1; then
  echo "cargo deny advisories: RustSec database fetched now"
  cargo deny --log-level error check advisories
elif [ -f "$snapshot" ]; then
  # cargo-deny reads <db-path>/advisory-db-3157b0e258782691/ for the default database URL.
  mkdir -p "$log/advisory-dbs"
  tar xzf "$snapshot" -C "$log/advisory-dbs"
  mv "$log/advisory-dbs/advshallow" "$log/advisory-dbs/advisory-db-3157b0e258782691"
  snapshot_date=$(git -C "$log/advisory-dbs/advisory-db-3157b0e258782691" log -1 --format=%cs)
  awk -v db="$log/advisory-dbs" '{ print } /^\[advisories\]$/ {
    print "db-path = \"" db "\""; print "db-urls = [\"https://github.com/rustsec/advisory-db\"]" }' \
    deny.toml >"$log/deny-offline.toml"
  echo "cargo deny advisories: RustSec database unreachable ($(grep -v "^[[:space:]]*$" "$log/deny-fetch.txt" | tail -n 1)); checking against the offline snapshot of $snapshot_date ($snapshot): advisories published after $snapshot_date are not covered"
  cargo fetch --quiet  # --offline below also keeps cargo metadata from the network
  cargo deny --log-level error --offline --config "$log/deny-offline.toml" check advisories
else
  echo "cargo deny advisories: advisory database unreachable and no snapshot at $snapshot: skipped ($(grep -v "^[[:space:]]*$" "$log/deny-fetch.txt" | tail -n 1))"
fi
npm audit --audit-level=high --json >"$log/npm-audit.json" 2>/dev/null || true
node scripts/npm-audit.cjs "$log/npm-audit.json"

step "cargo test (native)"
cargo test --quiet 2>&1 | tee "$log/native.txt"
native=$(count "$log/native.txt")

step "cargo test --target wasm32-unknown-unknown (Node)"
cargo test --target wasm32-unknown-unknown --no-default-features 2>&1 | tee "$log/wasm.txt"
wasm=$(count "$log/wasm.txt")
[ "$wasm" -gt 0 ] || { echo "error: no wasm32 test ran" >&2; exit 1; }

scripts/build.sh

step "tsc --noEmit (the app and the engine's worker against www/leadforest/index.d.ts)"
node_modules/.bin/tsc -p www/app

step "browser tests (headless Chromium, playwright-core)"
node --test --test-reporter=tap tests/browser/ 2>&1 | tee "$log/browser.txt"
browser=$(grep -E '^# pass [0-9]+' "$log/browser.txt" | awk '{print $3}')
failed=$(grep -E '^# fail [0-9]+' "$log/browser.txt" | awk '{print $3}')
[ "${failed:-1}" = 0 ] && [ "${browser:-0}" -gt 0 ] || { echo "error: browser tests failed or none ran" >&2; exit 1; }

echo
echo "all tests passed: $((native + wasm + browser)) (native $native, wasm32/Node $wasm, browser $browser)"
