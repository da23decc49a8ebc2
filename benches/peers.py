"""Run the peer libraries at default settings on one prepared dataset (see BENCHMARK.md).

Peers (2 threads, fixed random_state, nothing else set):
* LightGBM `LGBMClassifier()` with pandas categoricals (native categorical splits);
* XGBoost `XGBClassifier(tree_method="hist", enable_categorical=True)`;
* scikit-learn `HistGradientBoostingClassifier()` with native categoricals for text columns of
  cardinality <= 255 (others as ordinal codes);
* scikit-learn `RandomForestClassifier(n_estimators=100)` on ordinal codes.

Text columns are categories (levels: the sorted union of train and test values, see common.py);
ordinal codes are indexes into those levels. Empty cells are missing for every peer.

Usage: python peers.py OUT_DIR NAME   -> writes OUT_DIR/NAME/peers.json
"""

import json
import os
import sys
import time
import warnings

import numpy as np

from common import load_xy, metrics, versions

warnings.filterwarnings("ignore")
THREADS = 2


def lightgbm_model():
    import lightgbm as lgb

    return lgb.LGBMClassifier(n_jobs=THREADS, random_state=0, verbose=-1)


def xgboost_model():
    import xgboost as xgb

    return xgb.XGBClassifier(tree_method="hist", enable_categorical=True, n_jobs=THREADS, random_state=0)


def codes(frame, cats):
    out = frame.copy()
    for c in cats:
        out[c] = out[c].cat.codes.astype(np.float64)
        out.loc[out[c] < 0, c] = np.nan
    return out.astype(np.float64)


def run(out_dir, name):
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier

    d = os.path.join(out_dir, name)
    meta = json.load(open(os.path.join(d, "meta.json")))
    xtr, ytr, xte, yte, cats = load_xy(d, meta)
    results = {}

    def fit(label, model, a, b):
        t0 = time.perf_counter()
        model.fit(a, ytr)
        fit_s = time.perf_counter() - t0
        p = model.predict_proba(b)[:, 1]
        results[label] = dict(metrics(yte, p), fit_seconds=round(fit_s, 3))
        print(f"  {name:22s} {label:10s} auc {results[label]['auc']:.4f}  fit {fit_s:.2f}s", flush=True)

    fit("lightgbm", lightgbm_model(), xtr, xte)
    fit("xgboost", xgboost_model(), xtr, xte)
    ctr, cte = codes(xtr, cats), codes(xte, cats)
    native = [c in cats and len(xtr[c].cat.categories) <= 255 for c in xtr.columns]
    hgb = HistGradientBoostingClassifier(categorical_features=native if any(native) else None, random_state=0)
    fit("sk_histgb", hgb, ctr, cte)
    rf = RandomForestClassifier(n_estimators=100, n_jobs=THREADS, random_state=0)
    fit("sk_rf", rf, ctr, cte)
    record = {
        "dataset": name,
        "train_sha": meta["train_sha"],
        "test_sha": meta["test_sha"],
        "versions": versions(),
        "results": results,
    }
    with open(os.path.join(d, "peers.json"), "w") as f:
        json.dump(record, f, indent=1)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", str(THREADS))
    run(sys.argv[1], sys.argv[2])
