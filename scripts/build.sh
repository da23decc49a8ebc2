#!/usr/bin/env bash
# Builds the native CLI and the browser engine; afterwards www/ is a complete static site.
source "$(dirname "$0")/lib.sh"

step "cargo build --release (native CLI)"
cargo build --release --quiet

step "cargo build wasm32 (engine for the browser)"
# The app's engine is built for speed: opt-level 3 (the wasm-release profile's "s" is what wasm-pack
# users get) and WebAssembly SIMD (simd128: Chrome/Edge 91+, Firefox 89+, Safari 16.4+, i.e.
# every current browser, so no fallback build). SIMD changes no result: lanes do the same IEEE
# operations in the same order (tests/browser/api-determinism.test.mjs pins the model bytes).
# Measured in BENCHMARKS.md ("WASM": training); own target dir so the two builds never share flags.
CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=3 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128" \
  cargo build --lib --profile wasm-release --target wasm32-unknown-unknown --no-default-features \
  --target-dir target/engine --quiet
# The npm-consumable package is www/leadforest/; the wasm-bindgen output goes to its pkg/.
pkg=www/leadforest/pkg
rm -rf www/pkg "$pkg"
wasm-bindgen --target web --out-dir "$pkg" --out-name leadforest \
  target/engine/wasm32-unknown-unknown/wasm-release/leadforest.wasm
# `--one-caller-inline-max-function-size 100`, as for the card's engine below: by default binaryen
# inlines every function with one caller whatever its size, which undid the engine's
# `#[inline(never)]` hot loops (e.g. `Tabulated::explain_block` ended up inside explainCsv's export
# shim). V8 optimises a function from its next call, so a hot loop inside a once-called body runs
# unoptimised for the whole call: the page's first explainCsv of 10k rows took 1.47 s against 0.84 s
# for later ones (BENCHMARKS.md, "Session 8"); training and scoring speed are unchanged.
wasm-opt -O3 --one-caller-inline-max-function-size 100 --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types --enable-multivalue \
  --enable-simd "$pkg/leadforest_bg.wasm" -o "$pkg/leadforest_bg.wasm"

step "cargo build wasm32 --features score-only (the widget's smaller engine: no training code)"
# Its own cargo profile (wasm-score) and wasm-opt flags, chosen for the card's download and cold
# first score (BENCHMARKS.md, "Card (session 6)"; benches/widget/variants.mjs, trace.mjs). No SIMD
# (not measured for the card).
cargo build --lib --profile wasm-score --target wasm32-unknown-unknown --no-default-features \
  --features score-only --target-dir target/score-only --quiet
# Its own wasm-bindgen glue (pkg/leadforest_score.js): the glue must match the exports of the .wasm
# it loads. www/leadforest/score.js imports it; the card imports it directly.
wasm-bindgen --target web --out-dir "$pkg" --out-name leadforest_score \
  target/score-only/wasm32-unknown-unknown/wasm-score/leadforest.wasm
# The producers and target-features sections are only read by tools (wasm-bindgen ran already).
# `--one-caller-inline-max-function-size 100`: binaryen inlines a function with one caller whatever
# its size by default, which made `Model::read` (24 KB) and `score_lead` (44 KB) single bodies
# holding the first score's hot loops; V8 then re-compiles those whole bodies with TurboFan during
# the card's first load (its tier-up), on a core the page needs. Kept out of line, the hot loops
# tier up alone, and the .wasm is 5 KB smaller gzipped (BENCHMARKS.md, "Card cold start
# (session 7)").
wasm-opt -O3 --one-caller-inline-max-function-size 100 --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types --enable-multivalue \
  --strip-producers --strip-target-features \
  "$pkg/leadforest_score_bg.wasm" -o "$pkg/leadforest_score_bg.wasm"
# The glue as the card fetches it: without its whole-line comments and indentation (1.2 KB of
# 5.8 KB gzipped; the docs stay in leadforest_score.d.ts and score.d.ts). wasm-bindgen's glue has
# no multi-line string, so only comments and leading blanks go; `node --check` proves it parses.
node -e '
  const fs = require("fs");
  const file = process.argv[1];
  const text = fs.readFileSync(file, "utf8")
    .replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, "").replace(/^[ \t]*\/\/.*\n/gm, "").replace(/^[ \t]+/gm, "");
  // First line: the explicit compile hint of Chromium, as in the widget (the card calls most of
  // the glue before its first score: compiled while the file streams in, off the main thread).
  fs.writeFileSync(file, "//# allFunctionsCalledOnLoad\n" + text);' "$pkg/leadforest_score.js"
node --check "$pkg/leadforest_score.js"

mkdir -p www/demo
target/release/leadforest demo-data --rows 5000 --seed 7 --out www/demo/leads.csv
# The CRM widget's demo model (deterministic, so built rather than committed). Funnel Stage leaks
# the outcome by design (src/demo.rs), so the card's model leaves it out.
target/release/leadforest train www/demo/leads.csv --target Converted --missing Select \
  --drop "Funnel Stage" --seed 7 --out www/demo/demo-model.lfm

raw=$(wc -c < "$pkg/leadforest_bg.wasm")
gz=$(gzip -9 -c "$pkg/leadforest_bg.wasm" | wc -c)
printf 'engine wasm: %d bytes raw, %d bytes gzipped (%s KB)\n' "$raw" "$gz" "$((gz / 1024))"
raw=$(wc -c < "$pkg/leadforest_score_bg.wasm")
gz=$(gzip -9 -c "$pkg/leadforest_score_bg.wasm" | wc -c)
printf 'scoring-only wasm: %d bytes raw, %d bytes gzipped (%s KB)\n' "$raw" "$gz" "$((gz / 1024))"
