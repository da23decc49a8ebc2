"""Native speed suite of ../shared/BENCHMARK.md: leadforest vs LightGBM.

* Training: same trees / leaves / learning rate / bins, no early stopping, 1 and 2 threads, on
  bank-full without `duration` (all 45,211 rows: the 45k-row job) and on the 1,000,000-row table
  made by prepare.py. Seconds are
  training only (binning + boosting, CSV parsing excluded, for both); peak RSS of the whole
  process (/usr/bin/time -v). Runs alternate leadforest / LightGBM so that both see the same noise;
  figures are medians of BENCH_REPEATS runs (default 3), ratios are of those medians.
* Scoring: rows/s for one batch of 100,000 rows (from the 1M table) on 1 thread, 100-tree model,
  vs LightGBM `predict`.
* Explaining: TreeSHAP rows/s on the first 10,000 of those rows, same model, vs LightGBM
  `predict(pred_contrib=True)`.

leadforest is driven through `target/release/examples/bench_speed` (benches/rust/bench_speed.rs),
which times the library calls themselves (no CSV parsing or file writing in the figures).

Usage: python speed.py REPO_ROOT LEADFOREST_BIN OUT_DIR   -> OUT_DIR/speed.json (with markdown)
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time

TREES, LEAVES, LR, BINS = 100, 31, 0.1, 255
SHAP_ROWS = 10_000
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env=None):
    """Run under /usr/bin/time -v; returns (parsed JSON from the last stdout line, peak RSS MiB, wall s)."""
    t0 = time.perf_counter()
    e = dict(os.environ, **(env or {}))
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=e)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"exit {p.returncode}: {' '.join(cmd)}\n{p.stderr[-3000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    last = [line for line in p.stdout.strip().splitlines() if line.startswith("{")][-1]
    return json.loads(last), rss, wall


def num(x, digits=2):
    return "—" if x is None or x == 0 and digits == 0 else f"{x:.{digits}f}"


def med(xs):
    return statistics.median(xs) if xs else None


def load_avg():
    try:
        return open("/proc/loadavg").read().split()[0]
    except OSError:
        return "?"


def main():
    root, _lf_cli, out = sys.argv[1], sys.argv[2], sys.argv[3]
    py = sys.executable
    built = subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "bench_speed"], cwd=root)
    lf = os.path.join(root, "target", "release", "examples", "bench_speed") if built.returncode == 0 else None
    if lf is None:
        print("  leadforest's bench_speed example does not build: LightGBM side only", flush=True)
    jobs = [("bank-full (45,211 rows)", os.path.join(out, "bank_45k", "train.csv")),
            ("bank_1m (1,000,000 rows)", os.path.join(out, "bank_1m", "train.csv"))]
    params = [str(TREES), str(LEAVES), str(LR), str(BINS)]
    result = {"trees": TREES, "leaves": LEAVES, "lr": LR, "bins": BINS, "repeats": REPEATS, "train": [],
              "load_before": load_avg()}
    for label, csv in jobs:
        for threads in (1, 2):
            lf_s, lgb_s, lf_rss, lgb_rss, lf_parse, lgb_read = [], [], [], [], [], []
            for _ in range(REPEATS):
                if lf:
                    r, rss, _ = run([lf, "train", csv, "y", "yes", str(threads)] + params,
                                    env={"RAYON_NUM_THREADS": str(threads)})
                    lf_s.append(r["train_seconds"]); lf_rss.append(rss); lf_parse.append(r["parse_seconds"])
                r, rss, _ = run([py, os.path.join(HERE, "lgb_speed.py"), "train", csv, "y", "yes", str(threads)]
                                + params, env={"OMP_NUM_THREADS": str(threads), "OMP_WAIT_POLICY": "PASSIVE"})
                lgb_s.append(r["train_seconds"]); lgb_rss.append(rss); lgb_read.append(r["read_seconds"])
            row = {"job": label, "threads": threads, "leadforest_s": med(lf_s), "lightgbm_s": med(lgb_s),
                   "ratio": med(lf_s) / med(lgb_s) if lf_s else None, "leadforest_rss_mib": max(lf_rss or [0]),
                   "lightgbm_rss_mib": max(lgb_rss), "leadforest_parse_s": med(lf_parse),
                   "lightgbm_read_s": med(lgb_read), "leadforest_runs": lf_s, "lightgbm_runs": lgb_s}
            print(f"  train {label:26s} {threads} thr: leadforest {num(row['leadforest_s'])}s "
                  f"LightGBM {num(row['lightgbm_s'])}s ratio {num(row['ratio'])}", flush=True)
            result["train"].append(row)

    # Scoring and TreeSHAP: the same 100-tree model shape, trained on bank_full_random.
    batches = {"score": os.path.join(out, "score_100k.csv"), "explain": os.path.join(out, "explain_10k.csv")}
    for kind, n in (("score", 100_000), ("explain", SHAP_ROWS)):
        if not os.path.exists(batches[kind]):
            with open(os.path.join(out, "bank_1m", "train.csv")) as src, open(batches[kind], "w") as dst:
                for i, line in enumerate(src):
                    if i > n:
                        break
                    dst.write(line)
    train_csv = jobs[0][1]
    lgb_model = os.path.join(out, "speed_lightgbm.txt")
    run([py, os.path.join(HERE, "lgb_speed.py"), "train", train_csv, "y", "yes", "2"] + params + [lgb_model])
    lf_model = os.path.join(out, "speed_leadforest.model")
    if lf:
        run([lf, "train", train_csv, "y", "yes", "2"] + params + [lf_model])
    for kind, lgb_flag in (("score", ""), ("explain", "contrib")):
        reps = str(max(REPEATS, 5))
        batch = batches[kind]
        a = None
        try:
            if lf:
                a, _, _ = run([lf, kind, lf_model, batch, reps], env={"RAYON_NUM_THREADS": "1"})
        except RuntimeError as e:
            print(f"  {kind}: leadforest failed: {str(e).splitlines()[0]}")
        b, _, _ = run([py, os.path.join(HERE, "lgb_speed.py"), "predict", lgb_model, batch, "y", reps]
                      + ([lgb_flag] if lgb_flag else []))
        row = {"kind": kind, "rows": b["rows"], "lightgbm_rows_per_s": b["rows"] / med(b["seconds"])}
        if a:
            row["leadforest_rows_per_s"] = a["rows"] / med(a["seconds"])
            row["ratio"] = row["leadforest_rows_per_s"] / row["lightgbm_rows_per_s"]
        print(f"  {kind}: " + json.dumps(row), flush=True)
        result[kind] = row
    result["load_after"] = load_avg()
    result["markdown"] = markdown(result)
    with open(os.path.join(out, "speed.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(result["markdown"])


def markdown(r):
    lines = [f"Training: {r['trees']} trees, {r['leaves']} leaves, learning rate {r['lr']}, {r['bins']} bins, "
             "no early stopping, for both. Seconds are training only (binning + boosting; CSV parsing "
             f"excluded for both), median of {r['repeats']} alternating runs; peak RSS is the whole "
             "process's (LightGBM's includes Python + pandas). LightGBM runs with "
             "`OMP_WAIT_POLICY=PASSIVE`: on this shared 2-core machine OpenMP's default spin-waiting made its "
             "2-thread training up to 20× slower than 1 thread (42.7 s vs 1.8 s on the 45k job), which would "
             "flatter leadforest. Bar: leadforest / LightGBM ≤ 1.0 on the 1M-row table.", "",
             "| job | threads | leadforest s | LightGBM s | ratio lf/LGBM | leadforest peak RSS MiB | "
             "LightGBM peak RSS MiB | leadforest CSV parse s | pandas read_csv s |",
             "|---|---|---|---|---|---|---|---|---|"]
    for t in r["train"]:
        lines.append(f"| {t['job']} | {t['threads']} | {num(t['leadforest_s'])} | {num(t['lightgbm_s'])} | "
                     f"**{num(t['ratio'])}** | {num(t['leadforest_rss_mib'], 0)} | {num(t['lightgbm_rss_mib'], 0)} | "
                     f"{num(t['leadforest_parse_s'])} | {num(t['lightgbm_read_s'])} |")
    lines += ["", "Scoring: one batch of 100,000 rows of the 1M table; TreeSHAP: its first 10,000 rows. "
              "1 thread, each library's own 100-tree model with the settings above trained on "
              "the 45k-row job; both start from a numeric matrix / encoded columns (no CSV parsing "
              "in the timing); median of the runs. Bars: scoring ≥ 1,000,000 rows/s; TreeSHAP ≥ "
              "LightGBM `pred_contrib=True`.", "",
              "| task | leadforest rows/s | LightGBM rows/s | ratio lf/LGBM |", "|---|---|---|---|"]
    for kind, label in (("score", "scoring (`predict`)"), ("explain", "TreeSHAP (`pred_contrib=True`)")):
        s = r.get(kind)
        if not s:
            continue
        lfv = s.get("leadforest_rows_per_s")
        lf_cell = "—" if lfv is None else f"{lfv:,.0f}"
        ratio_cell = "—" if lfv is None else f"**{s['ratio']:.2f}**"
        lines.append(f"| {label} | {lf_cell} | {s['lightgbm_rows_per_s']:,.0f} | {ratio_cell} |")
    lines += ["", f"Load average before / after: {r['load_before']} / {r['load_after']} (2 cores, shared)."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
