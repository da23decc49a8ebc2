"""Quick training-speed check: leadforest vs LightGBM on one speed-suite table only (no scoring,
no report; BENCHMARKS.md untouched). The same settings and alternation as speed.py.

  python train_speed.py REPO_ROOT OUT_DIR [1m|45k] [THREADS ...]     (default: 1m, 1 and 2 threads)

LEADFOREST_BENCH_BIN=PATH runs that bench_speed binary instead of building one (e.g. a copy of
an earlier build, to compare two versions in one run).

Needs benches/out from `bash benches/run.sh --speed-only` (or prepare.py) and the venv's LightGBM;
builds target/release/examples/bench_speed. Prints one line per thread count and the load average.
"""

import os
import subprocess
import sys

from speed import BINS, HERE, LEAVES, LR, REPEATS, TREES, load_avg, med, run


def main():
    root, out = sys.argv[1], sys.argv[2]
    job = sys.argv[3] if len(sys.argv) > 3 else "1m"
    threads = [int(t) for t in sys.argv[4:]] or [1, 2]
    csv = os.path.join(out, {"1m": "bank_1m", "45k": "bank_45k"}[job], "train.csv")
    lf = os.environ.get("LEADFOREST_BENCH_BIN")
    if not lf:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "bench_speed"], cwd=root, check=True)
        lf = os.path.join(root, "target", "release", "examples", "bench_speed")
    params = [str(TREES), str(LEAVES), str(LR), str(BINS)]
    print(f"load average before: {load_avg()}", flush=True)
    for t in threads:
        lf_s, lgb_s = [], []
        for _ in range(REPEATS):
            r, _, _ = run([lf, "train", csv, "y", "yes", str(t)] + params, env={"RAYON_NUM_THREADS": str(t)})
            lf_s.append(r["train_seconds"])
            r, _, _ = run([sys.executable, os.path.join(HERE, "lgb_speed.py"), "train", csv, "y", "yes", str(t)]
                          + params, env={"OMP_NUM_THREADS": str(t), "OMP_WAIT_POLICY": "PASSIVE"})
            lgb_s.append(r["train_seconds"])
        print(f"{job} {t} thr: leadforest {med(lf_s):.2f}s {lf_s} LightGBM {med(lgb_s):.2f}s {lgb_s} "
              f"ratio {med(lf_s) / med(lgb_s):.2f}", flush=True)
    print(f"load average after: {load_avg()}")


if __name__ == "__main__":
    main()
