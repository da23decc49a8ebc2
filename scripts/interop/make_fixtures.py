#!/usr/bin/env python3
"""Train small real LightGBM and XGBoost models and save them with the libraries' own predictions.

The outputs are committed under tests/data/interop/ and are NEVER regenerated in CI: the golden
tests check leadforest's importers against what the real libraries computed. Run by hand:

    python3 -m venv scripts/interop/.venv
    scripts/interop/.venv/bin/pip install lightgbm xgboost onnxruntime numpy pandas
    scripts/interop/.venv/bin/python scripts/interop/make_fixtures.py            # models + predictions
    scripts/interop/.venv/bin/python scripts/interop/make_fixtures.py onnx FILE  # onnxruntime scores

Files written (all in tests/data/interop/):
    test.csv                    1,200 rows: features (missing values, unseen categories) + labels
    lgb_binary.txt, lgb_multiclass.txt, lgb_zero_missing.txt, lgb_rf.txt    LightGBM save_model
    xgb_binary.json, xgb_multiclass.json                                    XGBoost save_model
    <model>.pred.csv            one row per test row: raw margins (`margin_k`) and probabilities
                                (`prob_k`) as the library computed them, printed with repr (exact)
    versions.txt                the library versions that wrote the files
"""
import os
import sys

import numpy as np
import pandas as pd

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "interop")
SOURCES = ["Web", "Referral", "Event", "Ads", "Partner", "Cold Call"]
REGIONS = [f"R{i:02d}" for i in range(45)]  # > 32 categories: bitsets span several words
NUMERIC = ["Visits", "Days Since Contact", "Email Opens", "Company Size"]
CATEGORICAL = ["Source", "Region"]
FEATURES = ["Visits", "Source", "Days Since Contact", "Email Opens", "Region", "Company Size"]


def make_data(n, rng, unseen):
    visits = rng.poisson(4, n).astype(float) + rng.random(n)
    days = rng.exponential(30, n)
    opens = np.where(rng.random(n) < 0.4, 0.0, rng.poisson(3, n).astype(float))
    size = np.exp(rng.normal(4, 1.5, n))
    source = rng.choice(SOURCES, n).astype(object)
    region = rng.choice(REGIONS, n).astype(object)
    # Missing values in every column.
    for col, frac in ((visits, 0.1), (days, 0.08), (size, 0.05)):
        col[rng.random(n) < frac] = np.nan
    opens[rng.random(n) < 0.05] = np.nan
    source[rng.random(n) < 0.07] = None
    region[rng.random(n) < 0.05] = None
    if unseen:
        source[rng.random(n) < 0.05] = "Podcast"
        region[rng.random(n) < 0.04] = "R99"
    src_effect = {"Web": 0.2, "Referral": 1.2, "Event": 0.6, "Ads": -0.4, "Partner": 0.9, "Cold Call": -1.0}
    logit = (
        0.35 * np.nan_to_num(visits, nan=2.0)
        - 0.03 * np.nan_to_num(days, nan=60.0)
        + 0.25 * np.nan_to_num(opens, nan=0.0)
        + np.array([src_effect.get(s, 0.0) if isinstance(s, str) else -0.3 for s in source])
        + np.array([0.8 if isinstance(r, str) and int(r[1:]) % 7 == 0 else 0.0 for r in region])
        + 0.1 * np.log1p(np.nan_to_num(size, nan=50.0))
        - 1.5
    )
    converted = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    stage = np.digitize(logit + rng.normal(0, 0.8, n), [-0.5, 1.0])  # 0, 1, 2
    df = pd.DataFrame(
        {
            "Visits": visits,
            "Source": source,
            "Days Since Contact": days,
            "Email Opens": opens,
            "Region": region,
            "Company Size": size,
        }
    )
    return df, converted, stage


def as_categories(df):
    out = df.copy()
    # Labels outside the training vocabulary (unseen) become missing, as pandas front ends do.
    for col, vocab in (("Source", SOURCES), ("Region", REGIONS)):
        known = df[col].where(df[col].isin(vocab))
        out[col] = pd.Categorical(known, categories=sorted(vocab))
    return out


def write_pred(name, margins, probs):
    margins = np.asarray(margins, dtype=np.float64).reshape(len(margins), -1)
    probs = np.asarray(probs, dtype=np.float64).reshape(len(probs), -1)
    header = [f"margin_{k}" for k in range(margins.shape[1])] + [f"prob_{k}" for k in range(probs.shape[1])]
    with open(os.path.join(OUT, f"{name}.pred.csv"), "w") as f:
        f.write(",".join(header) + "\n")
        for m, p in zip(margins, probs):
            f.write(",".join(repr(float(v)) for v in list(m) + list(p)) + "\n")


def main():
    import lightgbm as lgb
    import xgboost as xgb

    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261123)
    train, y_bin, y_multi = make_data(3000, rng, unseen=False)
    test, t_bin, t_multi = make_data(1200, rng, unseen=True)
    test_out = test.copy()
    test_out["Converted"] = t_bin
    test_out["Stage"] = t_multi
    test_out.to_csv(os.path.join(OUT, "test.csv"), index=False, float_format="%.17g")

    tr, te = as_categories(train), as_categories(test)
    common = {"verbose": -1, "seed": 7, "num_threads": 1, "deterministic": True, "min_data_per_group": 5,
              "cat_smooth": 1.0, "max_cat_to_onehot": 4}
    lgb_models = {
        "lgb_binary": ({"objective": "binary", "num_leaves": 15, "learning_rate": 0.1}, y_bin, 40),
        "lgb_multiclass": ({"objective": "multiclass", "num_class": 3, "num_leaves": 7}, y_multi, 20),
        "lgb_zero_missing": ({"objective": "binary", "num_leaves": 15, "zero_as_missing": True}, y_bin, 30),
        "lgb_rf": ({"objective": "binary", "boosting": "rf", "num_leaves": 15, "bagging_fraction": 0.7,
                    "bagging_freq": 1, "feature_fraction": 0.8}, y_bin, 20),
    }
    for name, (params, y, rounds) in lgb_models.items():
        booster = lgb.train({**common, **params}, lgb.Dataset(tr, y), num_boost_round=rounds)
        booster.save_model(os.path.join(OUT, f"{name}.txt"))
        # Reload from the text file so the predictions are those of the committed model.
        booster = lgb.Booster(model_file=os.path.join(OUT, f"{name}.txt"))
        write_pred(name, booster.predict(te, raw_score=True), booster.predict(te))

    xgb_models = {
        "xgb_binary": ({"objective": "binary:logistic", "max_depth": 4, "eta": 0.3}, y_bin, 40),
        "xgb_multiclass": ({"objective": "multi:softprob", "num_class": 3, "max_depth": 3, "eta": 0.3}, y_multi, 20),
    }
    for name, (params, y, rounds) in xgb_models.items():
        p = {**params, "tree_method": "hist", "max_cat_to_onehot": 1, "seed": 7, "nthread": 1}
        dtrain = xgb.DMatrix(tr, y, enable_categorical=True)
        booster = xgb.train(p, dtrain, num_boost_round=rounds)
        path = os.path.join(OUT, f"{name}.json")
        booster.save_model(path)
        booster = xgb.Booster(model_file=path)
        dtest = xgb.DMatrix(te, enable_categorical=True)
        write_pred(name, booster.predict(dtest, output_margin=True), booster.predict(dtest))

    with open(os.path.join(OUT, "versions.txt"), "w") as f:
        f.write(f"lightgbm {lgb.__version__}\nxgboost {xgb.__version__}\nnumpy {np.__version__}\n"
                f"pandas {pd.__version__}\n")


def onnx_scores(model_path):
    """Scores test.csv with onnxruntime; the model's input is the features as float64 codes."""
    import onnxruntime as ort

    test = pd.read_csv(os.path.join(OUT, "test.csv"))
    te = as_categories(test[FEATURES])
    x = np.column_stack([
        te[c].cat.codes.replace(-1, np.nan).to_numpy(dtype=np.float64) if c in CATEGORICAL
        else te[c].to_numpy(dtype=np.float64) for c in FEATURES
    ])
    sess = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    outputs = sess.run(None, {sess.get_inputs()[0].name: x})
    probs = outputs[1]
    base = os.path.splitext(os.path.basename(model_path))[0]
    write_pred(base + ".ort", np.zeros((len(probs), 0)), probs)
    versions = os.path.join(OUT, "versions.txt")
    line = f"onnxruntime {ort.__version__}\n"
    if line not in open(versions).read():
        with open(versions, "a") as f:
            f.write(line)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "onnx":
        onnx_scores(sys.argv[2])
    else:
        main()
