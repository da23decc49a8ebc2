"""Does the refit earn its cost? leadforest's default GBT with and without the refit on all rows.

The default `train` boosts with early stopping on a held-out 20 % and then (refit) boosts again on
all rows with the round count it chose: about twice the rounds. This script trains both ways with
the library's defaults (benches/rust/bench_speed.rs `fit`, `gbt` vs `gbt-norefit`) on every
accuracy-suite dataset with several seeds, and on a 1M-row table, and compares held-out AUC on
each dataset's test file (never seen by either model) and training seconds, in the same run.

The 1M-row table here is bank_full_random's *training* file (36,169 rows) resampled to 1,000,000
rows with the same jitter as prepare.py's bank_1m; its test file is bank_full_random's test file,
so no test row (nor a copy of one) is trained on. (prepare.py's bank_1m resamples all of
bank-full, test rows included: fine for speed, not for held-out AUC.)

  python refit.py REPO_ROOT OUT_DIR [SEEDS] [--1m] [--sizes N,N,...]   -> OUT_DIR/refit.json, a markdown table

--sizes adds a learning curve: each suite file with more training rows than N is also trained on a
seeded random N of its training rows (file order kept, so time-ordered files stay in order), tested
on the same test file. What the refit earns is 25 % more rows for the final model; the curve shows
how that gain changes with the row count (the question behind a row-count rule for the default).

Needs OUT_DIR prepared by prepare.py (bash benches/run.sh does it).
"""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd

from common import metrics
from speed import load_avg

SUITE = ["x_education", "bank_full_random", "bank_full_time", "bank_additional_time", "olist", "hillstrom"]


def make_1m_holdout(out, rows=1_000_000, seed=20261123):
    d = os.path.join(out, "bank_1m_holdout")
    train = os.path.join(d, "train.csv")
    if not os.path.exists(train):
        src = os.path.join(out, "bank_full_random")
        df = pd.read_csv(os.path.join(src, "train.csv"), dtype=str, keep_default_na=False, na_values=[""])
        rng = np.random.default_rng(seed)
        big = df.iloc[rng.integers(0, len(df), size=rows)].reset_index(drop=True)
        for col in ["age", "balance", "day", "campaign", "pdays", "previous"]:
            values = big[col].astype(np.float64).to_numpy()
            scale = max(float(df[col].astype(np.float64).std()), 1e-9) * 0.05
            big[col] = np.round(values + rng.normal(0.0, scale, size=rows), 2)
        os.makedirs(d, exist_ok=True)
        big.to_csv(train + ".tmp", index=False, lineterminator="\n")
        os.replace(train + ".tmp", train)
        with open(os.path.join(src, "test.csv")) as a, open(os.path.join(d, "test.csv"), "w") as b:
            b.write(a.read())
        meta = json.load(open(os.path.join(src, "meta.json")))
        meta.update(name="bank_1m_holdout", train_rows=rows)
        json.dump(meta, open(os.path.join(d, "meta.json"), "w"), indent=1)
    return d


def make_subsample(out, name, rows, seed=20261206):
    src = os.path.join(out, name)
    d = os.path.join(out, f"{name}_n{rows}")
    train = os.path.join(d, "train.csv")
    if not os.path.exists(train):
        df = pd.read_csv(os.path.join(src, "train.csv"), dtype=str, keep_default_na=False, na_values=[""])
        rng = np.random.default_rng(seed)
        keep = np.sort(rng.choice(len(df), size=rows, replace=False))
        os.makedirs(d, exist_ok=True)
        df.iloc[keep].to_csv(train + ".tmp", index=False, lineterminator="\n")
        os.replace(train + ".tmp", train)
        with open(os.path.join(src, "test.csv")) as a, open(os.path.join(d, "test.csv"), "w") as b:
            b.write(a.read())
        meta = json.load(open(os.path.join(src, "meta.json")))
        meta.update(name=f"{name}_n{rows}", train_rows=rows)
        json.dump(meta, open(os.path.join(d, "meta.json"), "w"), indent=1)
    return d


def fit(lf, d, meta, algo, seed):
    probs = os.path.join(d, f"refit_{algo}_{seed}.txt")
    p = subprocess.run([lf, "fit", os.path.join(d, "train.csv"), os.path.join(d, "test.csv"), meta["target"],
                        meta["positive"], algo, probs, str(seed)], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-2000:])
    info = json.loads([x for x in p.stdout.splitlines() if x.startswith("{")][-1])
    pr = np.loadtxt(probs)
    os.remove(probs)
    te = pd.read_csv(os.path.join(d, "test.csv"), dtype=str, keep_default_na=False, na_values=[""],
                     usecols=[meta["target"]])
    y = (te[meta["target"]] == meta["positive"]).astype(np.int32).to_numpy()
    return dict(metrics(y, pr), train_seconds=info["train_seconds"], trees=info["trees"])


def main():
    root, out = sys.argv[1], sys.argv[2]
    argv = sys.argv[3:]
    sizes = []
    if "--sizes" in argv:
        i = argv.index("--sizes")
        sizes = [int(x) for x in argv[i + 1].split(",")]
        del argv[i:i + 2]
    args = [a for a in argv if not a.startswith("--")]
    seeds = [int(s) for s in (args[0].split(",") if args else ["42", "1", "2"])]
    big = "--1m" in sys.argv
    lf = os.environ.get("LEADFOREST_BENCH_BIN")
    if not lf:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "bench_speed"], cwd=root, check=True)
        lf = os.path.join(root, "target", "release", "examples", "bench_speed")
    names = ([] if "--1m-only" in sys.argv else SUITE) + (["bank_1m_holdout"] if big else [])
    if sizes:
        names = [f"{n}@{k}" for n in names if n in SUITE for k in sizes
                 if k < json.load(open(os.path.join(out, n, "meta.json")))["train_rows"]] + names
    result = {"seeds": seeds, "load_before": load_avg(), "rows": []}
    for name in names:
        if "@" in name:
            base, k = name.split("@")
            d = make_subsample(out, base, int(k))
            name = f"{base} ({int(k):,} rows)"
        else:
            d = make_1m_holdout(out) if name == "bank_1m_holdout" else os.path.join(out, name)
        meta = json.load(open(os.path.join(d, "meta.json")))
        for seed in (seeds[:1] if name == "bank_1m_holdout" else seeds):
            row = {"dataset": name, "seed": seed, "train_rows": meta["train_rows"], "test_rows": meta["test_rows"]}
            for algo in ("gbt-refit", "gbt-norefit"):
                row[algo] = fit(lf, d, meta, algo, seed)
            print(f"  {name:22s} seed {seed:3d}  refit auc {row['gbt-refit']['auc']:.4f} {row['gbt-refit']['train_seconds']:7.2f}s"
                  f"  no refit auc {row['gbt-norefit']['auc']:.4f} {row['gbt-norefit']['train_seconds']:7.2f}s",
                  flush=True)
            result["rows"].append(row)
    result["load_after"] = load_avg()
    result["markdown"] = markdown(result)
    with open(os.path.join(out, "refit.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(result["markdown"])


def markdown(r):
    lines = ["| dataset | train rows | test rows | seeds | AUC refit | AUC no refit | Δ AUC | log loss refit | "
             "log loss no refit | train s refit | train s no refit | time ratio |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    by = {}
    for row in r["rows"]:
        by.setdefault(row["dataset"], []).append(row)
    for name, rows in by.items():
        m = lambda algo, k: float(np.mean([x[algo][k] for x in rows]))
        a, b = m("gbt-refit", "auc"), m("gbt-norefit", "auc")
        ta, tb = m("gbt-refit", "train_seconds"), m("gbt-norefit", "train_seconds")
        lines.append(f"| {name} | {rows[0]['train_rows']:,} | {rows[0]['test_rows']:,} | {len(rows)} | {a:.4f} | "
                     f"{b:.4f} | {a - b:+.4f} | {m('gbt-refit', 'log_loss'):.4f} | {m('gbt-norefit', 'log_loss'):.4f} | "
                     f"{ta:.2f} | {tb:.2f} | {ta / tb:.2f} |")
    lines += ["", f"Means over the seeds; Δ AUC = refit − no refit. Load average before / after: "
              f"{r['load_before']} / {r['load_after']} (2 cores, shared)."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
