"""Shared helpers for the benchmark scripts: loading a prepared dataset, metrics, versions."""

import os

import numpy as np
import pandas as pd


def read_table(path):
    """Read a prepared CSV: empty cells are missing, a column is numeric iff every value parses."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return df


def load_xy(d, meta):
    """Features and 0/1 labels of train.csv and test.csv; text columns become pandas categories.

    The levels are the sorted union of the train and test files' values (labels are not looked
    at): this is how the reference figures in BENCHMARK.md were measured, and it reproduces them.
    A level seen only in test rows keeps its own code; peers send it wherever an unseen code goes."""
    tr = read_table(os.path.join(d, "train.csv"))
    te = read_table(os.path.join(d, "test.csv"))
    target, positive = meta["target"], meta["positive"]
    ytr = (tr.pop(target) == positive).astype(np.int32).to_numpy()
    yte = (te.pop(target) == positive).astype(np.int32).to_numpy()
    cats = []
    for c in tr.columns:
        num_tr = pd.to_numeric(tr[c], errors="coerce")
        num_te = pd.to_numeric(te[c], errors="coerce")
        if num_tr.notna().sum() == tr[c].notna().sum() and num_te.notna().sum() == te[c].notna().sum():
            tr[c], te[c] = num_tr.astype(np.float64), num_te.astype(np.float64)
        else:
            levels = sorted(set(tr[c].dropna()) | set(te[c].dropna()))
            tr[c] = pd.Categorical(tr[c], categories=levels)
            te[c] = pd.Categorical(te[c], categories=levels)
            cats.append(c)
    return tr, ytr, te, yte, cats


def metrics(y, p):
    """ROC AUC, PR AUC (average precision) and log loss of probabilities `p` for 0/1 labels `y`."""
    from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

    p = np.clip(np.asarray(p, dtype=np.float64), 1e-15, 1 - 1e-15)
    return {
        "auc": round(float(roc_auc_score(y, p)), 6),
        "pr_auc": round(float(average_precision_score(y, p)), 6),
        "log_loss": round(float(log_loss(y, p, labels=[0, 1])), 6),
        "rows": int(len(y)),
    }


def versions():
    import lightgbm
    import sklearn
    import xgboost

    return {
        "lightgbm": lightgbm.__version__,
        "xgboost": xgboost.__version__,
        "scikit-learn": sklearn.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
    }
