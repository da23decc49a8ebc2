#!/usr/bin/env bash
# The leadforest benchmark (../shared/BENCHMARK.md): accuracy suite against LightGBM, XGBoost and
# scikit-learn, and (with --speed) the native speed suite against LightGBM. Writes BENCHMARKS.md.
#
#   bash benches/run.sh            accuracy suite (peers cached in benches/out, leadforest re-run)
#   bash benches/run.sh --peers    also re-run the peers
#   bash benches/run.sh --speed    also run the speed suite (training 45k and 1M rows, scoring, SHAP)
#   bash benches/run.sh --speed-only   only the speed suite (and the report)
#
# Not part of CI: it creates its own Python venv (benches/.venv) with the pinned peers of
# benches/requirements.txt and takes several minutes on 2 cores. scripts/test.sh never calls it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benches"
OUT="$BENCH/out"
DATASETS="${LEADFOREST_DATASETS:-$ROOT/../shared/datasets}"
SUITE=(x_education bank_full_random bank_full_time bank_additional_time olist hillstrom)
PEERS=0 SPEED=0 ACCURACY=1
for arg in "$@"; do
  case "$arg" in
    --peers) PEERS=1 ;;
    --speed) SPEED=1 ;;
    --speed-only) SPEED=1 ACCURACY=0 ;;
    *) echo "unknown option: $arg (see the top of $0)" >&2; exit 2 ;;
  esac
done
[ -d "$DATASETS" ] || { echo "datasets not found at $DATASETS (set LEADFOREST_DATASETS)" >&2; exit 1; }

# Peers and leadforest both get 2 threads.
export OMP_NUM_THREADS=2 RAYON_NUM_THREADS=2 PYTHONHASHSEED=0

# 1. Python venv with the pinned peers.
PY="$BENCH/.venv/bin/python"
if [ ! -x "$PY" ] || ! cmp -s "$BENCH/requirements.txt" "$BENCH/.venv/requirements.txt"; then
  echo "== creating $BENCH/.venv"
  python3 -m venv "$BENCH/.venv"
  "$PY" -m pip install -q --disable-pip-version-check -r "$BENCH/requirements.txt"
  cp "$BENCH/requirements.txt" "$BENCH/.venv/requirements.txt"
fi

# 2. The prepared datasets (the same files feed the peers and leadforest).
echo "== preparing datasets in $OUT"
"$PY" "$BENCH/prepare.py" "$DATASETS" "$OUT"

# 3. leadforest, release build.
echo "== building leadforest (release)"
(cd "$ROOT" && cargo build --release --quiet --bin leadforest)
BIN="$ROOT/target/release/leadforest"
export LEADFOREST_COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- src Cargo.toml || echo '+dirty')"

if [ "$ACCURACY" = 1 ]; then
  echo "== accuracy suite"
  for name in "${SUITE[@]}"; do
    if [ "$PEERS" = 1 ] || ! "$PY" - "$OUT/$name" <<'EOF'
import json, sys
d = sys.argv[1]
p, m = json.load(open(d + "/peers.json")), json.load(open(d + "/meta.json"))
sys.exit(0 if (p["train_sha"], p["test_sha"]) == (m["train_sha"], m["test_sha"]) else 1)
EOF
    then
      (cd "$BENCH" && "$PY" peers.py "$OUT" "$name")
    else
      echo "  $name: peers cached"
    fi
    if "$BIN" --help | grep -qw train; then
      (cd "$BENCH" && "$PY" leadforest.py "$BIN" "$OUT" "$name" gbt rf)
    else
      echo "  $name: this leadforest CLI has no 'train' yet: the library's defaults via bench_speed fit"
      (cd "$ROOT" && cargo build --release --quiet --example bench_speed)
      (cd "$BENCH" && LEADFOREST_FALLBACK="$ROOT/target/release/examples/bench_speed" \
        "$PY" leadforest.py "$BIN" "$OUT" "$name" gbt rf)
    fi
  done
fi

if [ "$SPEED" = 1 ]; then
  echo "== speed suite"
  (cd "$BENCH" && "$PY" speed.py "$ROOT" "$BIN" "$OUT")
fi

echo "== report"
(cd "$BENCH" && "$PY" report.py "$OUT" "$ROOT/BENCHMARKS.md")
