"""Prepare the accuracy-suite datasets of ../shared/BENCHMARK.md.

Writes benches/out/<name>/{train,test}.csv and meta.json for every suite dataset. The same files
feed the peers and leadforest, so the comparison is like for like:

* only the columns the protocol keeps (ids, leaky and post-outcome columns are dropped);
* x_education's placeholder value `Select` is written as an empty (missing) cell;
* random splits: data row index % 5 == 4 is a test row (index counts data rows from 0);
* time splits: the last 20 % of rows (rows from index floor(0.8 * n) on) are the test rows;
* olist: label = `mql_id` appears in the closed deals; features `origin`, `landing_page_id` and
  the day of week (0 = Monday .. 6 = Sunday) and month (1-12) of `first_contact_date` as numbers;
  rows are ordered by `first_contact_date` (stable) and the last 20 % are the test rows.

Also writes the speed-suite tables: benches/out/bank_45k/train.csv (all 45,211 rows of bank-full
without `duration`: the "45k-row job") and benches/out/bank_1m/train.csv (1,000,000 rows resampled
from it with a fixed seed, numeric columns jittered).

Usage: python prepare.py DATASETS_DIR OUT_DIR
"""

import hashlib
import json
import os
import sys

import numpy as np
import pandas as pd

SUITE = ["x_education", "bank_full_random", "bank_full_time", "bank_additional_time", "olist", "hillstrom"]

X_EDU_DROP = [
    "Prospect ID",
    "Lead Number",
    "Tags",
    "Lead Quality",
    "Lead Profile",
    "Asymmetrique Activity Index",
    "Asymmetrique Profile Index",
    "Asymmetrique Activity Score",
    "Asymmetrique Profile Score",
    "Last Notable Activity",
    "Last Activity",
]


def read_raw(path, sep=","):
    # Every cell as text: the prepared files carry the source's own spelling of each value.
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=[""])


def split_random(df):
    test = (np.arange(len(df)) % 5) == 4
    return df[~test], df[test]


def split_time(df):
    cut = int(len(df) * 0.8)
    return df.iloc[:cut], df.iloc[cut:]


def x_education(root):
    df = read_raw(os.path.join(root, "x_education_leads/Leads.csv"))
    df = df.drop(columns=X_EDU_DROP)
    df = df.mask(df == "Select")
    return split_random(df), "Converted", "1"


def bank_full(root):
    df = read_raw(os.path.join(root, "bank_marketing/bank-full.csv"), sep=";")
    return df.drop(columns=["duration"])


def bank_full_random(root):
    return split_random(bank_full(root)), "y", "yes"


def bank_full_time(root):
    return split_time(bank_full(root)), "y", "yes"


def bank_additional_time(root):
    df = read_raw(os.path.join(root, "bank_marketing/bank-additional-full.csv"), sep=";")
    df = df.drop(columns=["duration"])
    return split_time(df), "y", "yes"


def olist(root):
    base = os.path.join(root, "olist_marketing_funnel")
    mql = read_raw(os.path.join(base, "olist_marketing_qualified_leads_dataset.csv"))
    deals = read_raw(os.path.join(base, "olist_closed_deals_dataset.csv"))
    won = set(deals["mql_id"])
    date = pd.to_datetime(mql["first_contact_date"], format="%Y-%m-%d")
    df = pd.DataFrame(
        {
            "origin": mql["origin"],
            "landing_page_id": mql["landing_page_id"],
            "first_contact_dow": date.dt.day_of_week.astype(str),
            "first_contact_month": date.dt.month.astype(str),
            "converted": mql["mql_id"].isin(won).map({True: "1", False: "0"}),
        }
    )
    order = np.argsort(date.values, kind="stable")
    df = df.iloc[order].reset_index(drop=True)
    return split_time(df), "converted", "1"


def hillstrom(root):
    df = read_raw(os.path.join(root, "hillstrom_email/hillstrom.csv"))
    df = df.drop(columns=["visit", "spend"])
    return split_random(df), "conversion", "1"


BUILDERS = {
    "x_education": x_education,
    "bank_full_random": bank_full_random,
    "bank_full_time": bank_full_time,
    "bank_additional_time": bank_additional_time,
    "olist": olist,
    "hillstrom": hillstrom,
}


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:16]


def write_csv(df, path):
    df.to_csv(path, index=False, lineterminator="\n")


def make_1m(root, out_dir, rows=1_000_000, seed=20261123):
    """bank-full without `duration`, resampled to `rows` rows; numeric columns jittered."""
    path = os.path.join(out_dir, "train.csv")
    if os.path.exists(path):
        return
    df = pd.read_csv(os.path.join(root, "bank_marketing/bank-full.csv"), sep=";").drop(columns=["duration"])
    rng = np.random.default_rng(seed)
    big = df.iloc[rng.integers(0, len(df), size=rows)].reset_index(drop=True)
    for col in ["age", "balance", "day", "campaign", "pdays", "previous"]:
        values = big[col].to_numpy(dtype=np.float64)
        scale = max(float(df[col].std()), 1e-9) * 0.05
        big[col] = np.round(values + rng.normal(0.0, scale, size=rows), 2)
    os.makedirs(out_dir, exist_ok=True)
    tmp = path + ".tmp"
    write_csv(big, tmp)
    os.replace(tmp, path)


def main():
    root, out = sys.argv[1], sys.argv[2]
    for name in SUITE:
        (train, test), target, positive = BUILDERS[name](root)
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        write_csv(train, os.path.join(d, "train.csv"))
        write_csv(test, os.path.join(d, "test.csv"))
        meta = {
            "name": name,
            "target": target,
            "positive": positive,
            "train_rows": len(train),
            "test_rows": len(test),
            "train_positive_rate": round(float((train[target] == positive).mean()), 4),
            "test_positive_rate": round(float((test[target] == positive).mean()), 4),
            "features": [c for c in train.columns if c != target],
            "train_sha": sha(os.path.join(d, "train.csv")),
            "test_sha": sha(os.path.join(d, "test.csv")),
        }
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1)
        print(f"{name:22s} train {len(train):6d}  test {len(test):6d}  "
              f"positive {meta['train_positive_rate']:.3f}/{meta['test_positive_rate']:.3f}")
    full = bank_full(root)
    os.makedirs(os.path.join(out, "bank_45k"), exist_ok=True)
    write_csv(full, os.path.join(out, "bank_45k", "train.csv"))
    make_1m(root, os.path.join(out, "bank_1m"))


if __name__ == "__main__":
    main()
