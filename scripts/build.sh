#!/usr/bin/env bash
# Builds the native CLI and the browser engine; afterwards www/ is a complete static site.
source "$(dirname "$0")/lib.sh"

step "cargo build --release (native CLI)"
cargo build --release --quiet

step "cargo build wasm32 (engine for the browser)"
cargo build --lib --profile wasm-release --target wasm32-unknown-unknown --no-default-features --quiet
rm -rf www/pkg
wasm-bindgen --target web --out-dir www/pkg --out-name leadforest \
  target/wasm32-unknown-unknown/wasm-release/leadforest.wasm
wasm-opt -Os --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue \
  www/pkg/leadforest_bg.wasm -o www/pkg/leadforest_bg.wasm

mkdir -p www/demo
target/release/leadforest demo-data --rows 5000 --seed 7 --out www/demo/leads.csv

raw=$(wc -c < www/pkg/leadforest_bg.wasm)
gz=$(gzip -9 -c www/pkg/leadforest_bg.wasm | wc -c)
printf 'engine wasm: %d bytes raw, %d bytes gzipped (%s KB)\n' "$raw" "$gz" "$((gz / 1024))"
