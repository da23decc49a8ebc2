#!/usr/bin/env python3
"""The libraries' own TreeSHAP contributions for the committed interop fixtures (issue 19).

Loads each committed model of tests/data/interop/ with its own library and writes what that library
computes for the first 300 rows of test.csv: LightGBM `predict(pred_contrib=True)` (TreeSHAP with the
rows that reached each node, `leaf_count`/`internal_count`, as the cover; double precision) and
XGBoost `predict(pred_contribs=True)` (TreeSHAP with `sum_hessian` as the cover; float32).
tests/interop_contrib.rs checks leadforest's explanations of the imported models against them.
Never run in CI; run by hand with the libraries of versions.txt:

    python3 -m venv /tmp/venv-interop
    /tmp/venv-interop/bin/pip install lightgbm==4.7.0 xgboost-cpu==3.2.0 numpy pandas
    /tmp/venv-interop/bin/python scripts/interop/make_contribs.py

Files written (tests/data/interop/<model>.contrib.csv): one row per test row; for each output k
(one for binary models) the columns `k:<feature>` in the model's feature order, then `k:bias`
(the expected value, base margin included); printed with repr (exact).
"""
import os

import numpy as np
import pandas as pd

from make_fixtures import FEATURES, OUT, as_categories

LGB = ["lgb_binary", "lgb_multiclass", "lgb_rf"]
XGB = ["xgb_binary", "xgb_multiclass"]
ROWS = 300


def write(name, contrib, n_outputs):
    n = contrib.shape[0]
    contrib = np.asarray(contrib, dtype=np.float64).reshape(n, n_outputs, len(FEATURES) + 1)
    header = [f"{k}:{f}" for k in range(n_outputs) for f in FEATURES + ["bias"]]
    with open(os.path.join(OUT, f"{name}.contrib.csv"), "w") as f:
        f.write(",".join(header) + "\n")
        for row in contrib:
            f.write(",".join(repr(float(v)) for v in row.reshape(-1)) + "\n")


def main():
    import lightgbm as lgb
    import xgboost as xgb

    # The first ROWS rows of test.csv (missing values and unseen categories among them).
    test = pd.read_csv(os.path.join(OUT, "test.csv")).iloc[:ROWS]
    te = as_categories(test[FEATURES])
    for name in LGB:
        booster = lgb.Booster(model_file=os.path.join(OUT, f"{name}.txt"))
        k = booster.num_model_per_iteration()
        write(name, booster.predict(te, pred_contrib=True), k)
    for name in XGB:
        booster = xgb.Booster(model_file=os.path.join(OUT, f"{name}.json"))
        out = booster.predict(xgb.DMatrix(te, enable_categorical=True), pred_contribs=True)
        k = 1 if out.ndim == 2 else out.shape[1]
        write(name, out, k)
    with open(os.path.join(OUT, "versions.txt")) as f:
        have = f.read()
    assert f"lightgbm {lgb.__version__}" in have and f"xgboost {xgb.__version__}" in have, have


if __name__ == "__main__":
    main()
