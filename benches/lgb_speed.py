"""LightGBM side of the speed suite; prints one JSON object.

  python lgb_speed.py train CSV TARGET POSITIVE THREADS TREES LEAVES LR BINS [MODEL_OUT]
      read the CSV (pandas, text columns as categories), then time Dataset construction + training
      of exactly TREES trees (no early stopping). Prints read_seconds, train_seconds.
  python lgb_speed.py predict MODEL CSV TARGET REPEATS [contrib]
      score the CSV's rows (as a float matrix made before timing) in one batch on 1 thread,
      REPEATS times; prints each run's seconds (`predict`, or `predict(pred_contrib=True)`).
"""

import json
import sys
import time

import numpy as np
import pandas as pd


def frame(path, target, levels=None):
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    y = df.pop(target)
    for c in df.columns:
        if df[c].dtype == object or str(df[c].dtype).startswith("str"):
            cats = levels[c] if levels else sorted(df[c].dropna().unique())
            df[c] = pd.Categorical(df[c], categories=cats)
    return df, y


def train(path, target, positive, threads, trees, leaves, lr, bins, model_out=None):
    import lightgbm as lgb

    t0 = time.perf_counter()
    x, y = frame(path, target)
    y = (y.astype(str) == positive).astype(np.int32)
    read_s = time.perf_counter() - t0
    params = {
        "objective": "binary",
        "num_leaves": int(leaves),
        "learning_rate": float(lr),
        "max_bin": int(bins),
        "num_threads": int(threads),
        "verbosity": -1,
        "seed": 0,
    }
    t0 = time.perf_counter()
    ds = lgb.Dataset(x, label=y, params={"max_bin": int(bins), "verbosity": -1})
    booster = lgb.train(params, ds, num_boost_round=int(trees))
    train_s = time.perf_counter() - t0
    if model_out:
        booster.save_model(model_out)
        levels = {c: list(x[c].cat.categories) for c in x.columns if isinstance(x[c].dtype, pd.CategoricalDtype)}
        with open(model_out + ".levels.json", "w") as f:
            json.dump(levels, f)
    return {"read_seconds": read_s, "train_seconds": train_s, "rows": len(y), "trees": booster.num_trees()}


def predict(model, path, target, repeats, contrib=False):
    import lightgbm as lgb

    booster = lgb.Booster(model_file=model)
    levels = json.load(open(model + ".levels.json"))
    x, _ = frame(path, target, levels)
    # A numeric matrix (category codes as numbers, NaN = missing), made before the clock starts,
    # as leadforest's timed scoring starts from encoded columns.
    for c in x.columns:
        if isinstance(x[c].dtype, pd.CategoricalDtype):
            x[c] = x[c].cat.codes.astype(np.float64).where(x[c].cat.codes >= 0, np.nan)
    matrix = np.ascontiguousarray(x.to_numpy(dtype=np.float64))
    runs = []
    check = 0.0
    for _ in range(int(repeats)):
        t0 = time.perf_counter()
        out = booster.predict(matrix, num_threads=1, pred_contrib=contrib)
        runs.append(time.perf_counter() - t0)
        check += float(np.sum(out))
    return {"rows": len(x), "seconds": runs, "trees": booster.num_trees(), "check": check}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "train":
        print(json.dumps(train(*sys.argv[2:])))
    else:
        contrib = len(sys.argv) > 6 and sys.argv[6] == "contrib"
        print(json.dumps(predict(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], contrib)))
