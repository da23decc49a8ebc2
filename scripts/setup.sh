#!/usr/bin/env bash
# Installs what is missing, and nothing else: fast when everything is there.
#   scripts/setup.sh          everything the demo needs (wasm target, wasm-bindgen, npm dev tools)
#   scripts/setup.sh --test   also Chromium + ChromeDriver for the browser tests, and cargo-deny
source "$(dirname "$0")/lib.sh"
want_browser=0
[ "${1:-}" = "--test" ] && want_browser=1

command -v cargo >/dev/null || { echo "error: Rust is not installed; see https://rustup.rs" >&2; exit 1; }
command -v node >/dev/null || { echo "error: Node.js 20+ is needed for the wasm tools (npm binaryen)" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for c in clippy rustfmt; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done

want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  step "cargo install wasm-bindgen-cli $want (a few minutes, once per machine)"
  # Not --locked: the CLI's own lockfile names a crate version the registry lacks (TOOLCHAIN.md).
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "$want" --quiet
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci (pinned dev tools: binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$want_browser" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  step "apt-get install chromium chromium-driver"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# Supply-chain checks in scripts/test.sh (deny.toml). Pinned: deny.toml's format follows it.
deny_version=0.20.2
if [ "$want_browser" = 1 ] && [ "$(cargo-deny --version 2>/dev/null | awk '{print $2}' || true)" != "$deny_version" ]; then
  step "cargo install cargo-deny $deny_version (a few minutes, once per machine)"
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked cargo-deny --version "$deny_version" --quiet
fi
echo "setup: ok"
