#!/usr/bin/env python3
"""Train LightGBM and XGBoost on a Dask cluster and save the models leadforest imports.

The end-to-end example of docs/spark-dask.md, on a LocalCluster (same code on a real cluster:
pass its scheduler address instead). Writes into OUT_DIR (default ./dask-out):

    leads.csv         the training leads (raw labels, missing values), also used as --schema
    new_leads.csv     leads to score (incl. a lead source never seen in training)
    model.txt         LightGBM   (lightgbm.dask.DaskLGBMClassifier -> booster_.save_model)
    m.json            XGBoost    (xgboost.dask.train -> booster.save_model)
    model.pred.csv, m.pred.csv   the libraries' own probabilities for new_leads.csv

    scripts/interop/.venv/bin/pip install lightgbm xgboost scikit-learn "dask[distributed]" pandas pyarrow
    scripts/interop/.venv/bin/python scripts/interop/dask_example.py [OUT_DIR]
"""
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import REGIONS, SOURCES, make_data  # noqa: E402  (same synthetic leads)


def categorical(df):
    out = df.copy()
    for col, vocab in (("Source", SOURCES), ("Region", REGIONS)):
        out[col] = pd.Categorical(df[col].where(df[col].isin(vocab)), categories=sorted(vocab))
    return out


def main():
    import dask.dataframe as dd
    import lightgbm as lgb
    import xgboost as xgb
    import xgboost.dask  # noqa: F401  (registers xgb.dask)
    from dask.distributed import Client, LocalCluster

    out = sys.argv[1] if len(sys.argv) > 1 else "dask-out"
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    train, y, _ = make_data(20000, rng, unseen=False)
    new, _, _ = make_data(1000, rng, unseen=True)
    leads = train.copy()
    leads["Converted"] = y
    leads.to_csv(os.path.join(out, "leads.csv"), index=False, float_format="%.17g")
    new.to_csv(os.path.join(out, "new_leads.csv"), index=False, float_format="%.17g")

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        X = dd.from_pandas(categorical(train), npartitions=4)
        Y = dd.from_pandas(pd.Series(y, name="Converted"), npartitions=4)
        print("dashboard:", client.dashboard_link, "| partitions:", X.npartitions)

        clf = lgb.DaskLGBMClassifier(n_estimators=60, num_leaves=15, learning_rate=0.1, verbose=-1,
                                     client=client)
        clf.fit(X, Y)
        clf.booster_.save_model(os.path.join(out, "model.txt"))

        dtrain = xgb.dask.DaskDMatrix(client, X, Y, enable_categorical=True)
        result = xgb.dask.train(client, {"objective": "binary:logistic", "tree_method": "hist",
                                         "max_depth": 4, "eta": 0.2, "max_cat_to_onehot": 1},
                                dtrain, num_boost_round=60)
        result["booster"].save_model(os.path.join(out, "m.json"))

        # The libraries' own scores for the new leads, to compare with leadforest's.
        Xn = dd.from_pandas(categorical(new), npartitions=2)
        p_lgb = clf.predict_proba(Xn).compute()[:, 1]
        p_xgb = xgb.dask.predict(client, result["booster"],
                                 xgb.dask.DaskDMatrix(client, Xn, enable_categorical=True)).compute()
    pd.DataFrame({"prob_0": p_lgb}).to_csv(os.path.join(out, "model.pred.csv"), index=False, float_format="%.17g")
    pd.DataFrame({"prob_0": p_xgb}).to_csv(os.path.join(out, "m.pred.csv"), index=False, float_format="%.17g")
    print(f"wrote {out}/: leads.csv new_leads.csv model.txt m.json model.pred.csv m.pred.csv "
          f"(lightgbm {lgb.__version__}, xgboost {xgb.__version__})")


if __name__ == "__main__":
    main()
