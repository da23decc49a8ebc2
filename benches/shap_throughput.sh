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
times, cpu = [], []
for _ in range(5):
    t, c = time.perf_counter(), time.process_time()
    booster.predict(df, pred_contrib=True, num_threads=1)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
med, cmed = statistics.median(times), statistics.median(cpu)
print(f"lightgbm {lgb.__version__} rows={len(df)} median_s={med:.4f} rows_per_s={len(df)/med:.0f} cpu_s={cmed:.4f} rows_per_cpu_s={len(df)/cmed:.0f}")
PY
cat "$WORK/lgb.txt"
cargo run --quiet --release --example shap_throughput -- "$WORK/model.txt" "$WORK/rows.csv" 5 | tee "$WORK/lf.txt"
field() { grep -oE "(^| )$1=[0-9.]+" "$2" | cut -d= -f2; }
lgb=$(field rows_per_s "$WORK/lgb.txt"); lf=$(field rows_per_s "$WORK/lf.txt")
lgbc=$(field rows_per_cpu_s "$WORK/lgb.txt"); lfc=$(field rows_per_cpu_s "$WORK/lf.txt")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
echo
echo "load: $(uptime | sed 's/.*load average/load average/')"
echo "| model | rows | LightGBM pred_contrib rows/s (wall / CPU) | leadforest TreeSHAP rows/s (wall / CPU) | ratio wall | ratio CPU |"
echo "|---|---|---|---|---|---|"
echo "| $TREES trees × $LEAVES leaves, $(nproc) cores, 1 thread | $(field rows "$WORK/lf.txt") | $lgb / $lgbc | $lf / $lfc | $(ratio "$lf" "$lgb") | $(ratio "$lfc" "$lgbc") |"
