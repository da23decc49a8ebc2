"""Run leadforest's release CLI at its defaults on one prepared dataset.

For each algorithm (`gbt`, the default, and `rf`):
  leadforest train train.csv --target T --positive P [--algo rf] --out model.lf   (defaults, seed too)
  leadforest eval  model.lf test.csv --json
  leadforest score model.lf test.csv --out scored.csv
The AUC, PR AUC and log loss in the table are recomputed here from `score`'s probabilities with the
same code as the peers' (sklearn's metrics), and compared with what `eval --json` reports.

Usage: python leadforest.py BIN OUT_DIR NAME [ALGO...]  -> writes OUT_DIR/NAME/leadforest_ALGO.json
"""

import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from common import metrics


def timed(cmd, log):
    """Run `cmd` under /usr/bin/time -v; returns (wall seconds, peak RSS MiB, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n" + proc.stdout + proc.stderr + "\n")
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
        raise RuntimeError(f"exit {proc.returncode}: {' '.join(cmd)}\n{tail}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    return wall, rss, proc.stdout


def parse_json(text):
    """The one JSON object `eval --json` prints (pretty or on one line)."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        start = text.find("{")
        return json.loads(text[start:]) if start >= 0 else {}


def run_one(binary, d, meta, algo):
    log = os.path.join(d, f"leadforest_{algo}.log")
    if os.path.exists(log):
        os.remove(log)
    model = os.path.join(d, f"leadforest_{algo}.model")
    scored = os.path.join(d, f"leadforest_{algo}_scored.csv")
    train = [binary, "train", os.path.join(d, "train.csv"), "--target", meta["target"],
             "--positive", meta["positive"], "--out", model]
    if algo != "gbt":
        train += ["--algo", algo]
    train_s, train_rss, _ = timed(train, log)
    _, _, out = timed([binary, "eval", model, os.path.join(d, "test.csv"), "--json"], log)
    reported = parse_json(out)
    timed([binary, "score", model, os.path.join(d, "test.csv"), "--out", scored], log)
    sc = pd.read_csv(scored, dtype={meta["target"]: str}, keep_default_na=False, na_values=[""],
                     usecols=[meta["target"], "probability"])
    y = (sc[meta["target"]] == meta["positive"]).astype(np.int32).to_numpy()
    ours = metrics(y, sc["probability"].to_numpy())
    result = dict(ours, train_seconds=round(train_s, 3), train_peak_rss_mib=round(train_rss, 1),
                  model_bytes=os.path.getsize(model),
                  eval_json={k: reported.get(k) for k in ("auc", "pr_auc", "log_loss", "rows")})
    if reported.get("auc") is not None and abs(reported["auc"] - ours["auc"]) > 1e-4:
        result["warning"] = f"eval --json auc {reported['auc']} != recomputed {ours['auc']}"
    if reported.get("rows") is not None and reported["rows"] != ours["rows"]:
        result["warning_rows"] = f"eval --json rows {reported['rows']} != {ours['rows']} test rows"
    os.remove(scored)
    return result


def run_fallback(example, d, meta, algo):
    """The library's defaults through the bench example (while the CLI lacks train/score)."""
    log = os.path.join(d, f"leadforest_{algo}.log")
    probs = os.path.join(d, f"leadforest_{algo}_probs.txt")
    wall, rss, out = timed([example, "fit", os.path.join(d, "train.csv"), os.path.join(d, "test.csv"),
                            meta["target"], meta["positive"], algo, probs], log)
    info = parse_json(out)
    p = np.loadtxt(probs)
    te = pd.read_csv(os.path.join(d, "test.csv"), dtype=str, keep_default_na=False, na_values=[""],
                     usecols=[meta["target"]])
    y = (te[meta["target"]] == meta["positive"]).astype(np.int32).to_numpy()
    os.remove(probs)
    return dict(metrics(y, p), train_seconds=round(info["train_seconds"], 3), train_peak_rss_mib=round(rss, 1),
                model_bytes=info["model_bytes"], via="library defaults (bench_speed fit; CLI had no train yet)")


def main():
    binary, out_dir, name = sys.argv[1], sys.argv[2], sys.argv[3]
    fallback = os.environ.get("LEADFOREST_FALLBACK")
    algos = sys.argv[4:] or ["gbt", "rf"]
    d = os.path.join(out_dir, name)
    meta = json.load(open(os.path.join(d, "meta.json")))
    for algo in algos:
        path = os.path.join(d, f"leadforest_{algo}.json")
        try:
            res = run_fallback(fallback, d, meta, algo) if fallback else run_one(binary, d, meta, algo)
            res["ok"] = True
            print(f"  {name:22s} leadforest {algo:3s} auc {res['auc']:.4f}  train {res['train_seconds']:.2f}s"
                  + (f"  WARNING {res['warning']}" if "warning" in res else ""), flush=True)
        except Exception as e:  # a failure is a result: the table says so
            res = {"ok": False, "error": str(e)[-2000:]}
            print(f"  {name:22s} leadforest {algo:3s} FAILED: {str(e).splitlines()[0]}", flush=True)
        res["train_sha"], res["test_sha"] = meta["train_sha"], meta["test_sha"]
        res["commit"] = os.environ.get("LEADFOREST_COMMIT", "")
        with open(path, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
