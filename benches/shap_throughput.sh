#!/usr/bin/env bash
# TreeSHAP throughput, natively, one thread: leadforest's exact TreeSHAP vs LightGBM's
# pred_contrib=True on the SAME model (LightGBM trains it; leadforest imports the text file).
# Usage: benches/shap_throughput.sh [TREES] [LEAVES]   (defaults 100 trees, 31 leaves)
# Makes its own venv (target/shap-venv) with lightgbm; not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
TREES=${1:-100}
LEAVES=${2:-31}
# ../shared sits beside the clone (CI); a git worktree may sit one level deeper.
SHARED=../shared; [ -d "$SHARED" ] || SHARED=../../shared
DATA=${DATA:-$SHARED/datasets/bench_10k20/d10k.csv}
VENV=${VENV:-target/shap-venv}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet lightgbm pandas numpy
fi

"$VENV/bin/python" - "$DATA" "$WORK" "$TREES" "$LEAVES" <<'PY' > "$WORK/lgb.txt"
import sys, time, statistics
import pandas as pd, lightgbm as lgb
data, work, trees, leaves = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
df = pd.read_csv(data)
y = (df.pop("label") == "yes").astype(int)
params = dict(objective="binary", num_leaves=leaves, num_threads=1, verbose=-1, seed=1)
booster = lgb.train(params, lgb.Dataset(df, label=y), num_boost_round=trees)
booster.save_model(f"{work}/model.txt")
df.to_csv(f"{work}/rows.csv", index=False)
times = []
for _ in range(5):
    t = time.perf_counter()
    booster.predict(df, pred_contrib=True, num_threads=1)
    times.append(time.perf_counter() - t)
med = statistics.median(times)
print(f"lightgbm {lgb.__version__} rows={len(df)} median_s={med:.4f} rows_per_s={len(df)/med:.0f}")
PY
cat "$WORK/lgb.txt"
cargo run --quiet --release --example shap_throughput -- "$WORK/model.txt" "$WORK/rows.csv" 5 | tee "$WORK/lf.txt"
lgb=$(grep -oE 'rows_per_s=[0-9]+' "$WORK/lgb.txt" | cut -d= -f2)
lf=$(grep -oE 'rows_per_s=[0-9]+' "$WORK/lf.txt" | cut -d= -f2)
echo
echo "| model | rows | LightGBM pred_contrib rows/s | leadforest TreeSHAP rows/s | ratio |"
echo "|---|---|---|---|---|"
echo "| $TREES trees × $LEAVES leaves, $(nproc) cores, 1 thread | $(grep -oE 'rows=[0-9]+' "$WORK/lf.txt" | cut -d= -f2) | $lgb | $lf | $(awk -v a="$lf" -v b="$lgb" 'BEGIN{printf "%.2f", a/b}') |"
