#!/usr/bin/env python3
"""Train XGBoost on Spark (xgboost.spark.SparkXGBClassifier) and save the model leadforest imports.

The Spark example of docs/spark-dask.md, on a local SparkSession (`local[2]`; on a cluster use its
master instead). Needs Java 17+ and only PyPI packages (no Maven jars). Writes into OUT_DIR
(default ./spark-out):

    leads.csv         the training leads (raw labels, missing values), also used as --schema
    new_leads.csv     leads to score (incl. a lead source never seen in training)
    m.json            XGBoost (SparkXGBClassifier(...).fit(df).get_booster().save_model)
    m.pred.csv        Spark's own probabilities for new_leads.csv (model.transform)

    python3 -m venv /tmp/spark-venv
    /tmp/spark-venv/bin/pip install pyspark xgboost pandas pyarrow scikit-learn
    /tmp/spark-venv/bin/python scripts/interop/spark_example.py [OUT_DIR]

Categorical columns: Spark has no pandas `category` dtype, so Source and Region are encoded in
Spark as their index in the sorted vocabulary (null for missing or unknown labels) and marked
categorical with feature_types="c". The model file then holds codes but no labels; leadforest's
`--schema leads.csv` supplies the labels in sorted order, so the CSV you score keeps raw labels.
"""
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import FEATURES, REGIONS, SOURCES, make_data  # noqa: E402  (same synthetic leads)


def encoded(spark, df, F):
    """Spark DataFrame with Source/Region as sorted-vocabulary codes (null if missing/unknown)."""
    sdf = spark.createDataFrame(df.astype(object).where(df.notna(), None))
    for col, vocab in (("Source", SOURCES), ("Region", REGIONS)):
        codes = F.create_map(*[x for i, label in enumerate(sorted(vocab)) for x in (F.lit(label), F.lit(float(i)))])
        sdf = sdf.withColumn(col, codes[F.col(col)])
    for col in FEATURES:
        sdf = sdf.withColumn(col, F.col(col).cast("double"))
    return sdf


def main():
    import pyspark
    import xgboost as xgb
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from xgboost.spark import SparkXGBClassifier

    out = sys.argv[1] if len(sys.argv) > 1 else "spark-out"
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    train, y, _ = make_data(20000, rng, unseen=False)
    new, _, _ = make_data(1000, rng, unseen=True)
    leads = train.copy()
    leads["Converted"] = y
    leads.to_csv(os.path.join(out, "leads.csv"), index=False, float_format="%.17g")
    new.to_csv(os.path.join(out, "new_leads.csv"), index=False, float_format="%.17g")

    # Spark's Python workers must use this interpreter (the venv with xgboost), not the system one.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master("local[2]").appName("leadforest-spark-example")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    try:
        train_df = encoded(spark, leads, F).withColumn("Converted", F.col("Converted").cast("int"))
        train_df = train_df.repartition(2)
        print("spark", pyspark.__version__, "| partitions:", train_df.rdd.getNumPartitions())
        clf = SparkXGBClassifier(
            features_col=FEATURES, label_col="Converted", num_workers=2,
            feature_names=FEATURES, feature_types=["c" if c in ("Source", "Region") else "q" for c in FEATURES],
            tree_method="hist",  # objective: binary:logistic, set by the estimator for 2 classes max_depth=4, learning_rate=0.2,
            n_estimators=60, max_cat_to_onehot=1,
        )
        model = clf.fit(train_df)
        model.get_booster().save_model(os.path.join(out, "m.json"))

        # Spark's own scores for the new leads, to compare with leadforest's (row order kept by an id).
        new_df = encoded(spark, new.assign(_row=np.arange(len(new))), F)
        pred = model.transform(new_df).select("_row", "probability").toPandas().sort_values("_row")
        p = np.array([v[1] for v in pred["probability"]])
    finally:
        spark.stop()
    pd.DataFrame({"prob_0": p}).to_csv(os.path.join(out, "m.pred.csv"), index=False, float_format="%.17g")
    print(f"wrote {out}/: leads.csv new_leads.csv m.json m.pred.csv "
          f"(pyspark {pyspark.__version__}, xgboost {xgb.__version__})")


if __name__ == "__main__":
    main()
