//! Explanations of imported models equal their library's own (issue 19): leadforest's TreeSHAP on
//! models imported from LightGBM 4.7 and XGBoost 3.2 against `pred_contrib` / `pred_contribs` of
//! the same committed files on the first 300 rows of tests/data/interop/test.csv (missing values,
//! unseen categories). The expected values come from scripts/interop/make_contribs.py (committed,
//! never regenerated in CI). LightGBM computes in double and weighs children by the rows that
//! reached them (`leaf_count`), so contributions must agree to 1e-9; XGBoost weighs by its
//! `sum_hessian` and computes in float32, so to 1e-5 (relative to the value's size above 1).

use leadforest::explain::Explainer;
use leadforest::interop::{lightgbm, xgboost, ImportedEnsemble};

const TEST_CSV: &[u8] = include_bytes!("data/interop/test.csv");

/// `<model>.contrib.csv`: per row, per output k, the features in model order then the bias.
fn expected(csv: &str) -> Vec<Vec<f64>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect()
}

/// Largest |ours − theirs| / max(1, |theirs|) over every row, output, feature and bias.
fn max_difference(imported: &ImportedEnsemble, csv: &str, scale: f64) -> f64 {
    let model = imported.to_model(&Default::default()).unwrap();
    let rows = imported.rows_from_csv(TEST_CSV).unwrap();
    let want = expected(csv);
    assert_eq!(want.len(), 300);
    let n_features = model.features.len();
    let k = model.n_outputs();
    let mut explainer = Explainer::new(model.trees(), &model.base_score, n_features).unwrap();
    let mut worst = 0.0f64;
    for (r, theirs) in want.iter().enumerate() {
        assert_eq!(theirs.len(), k * (n_features + 1), "row {r}");
        for (output, theirs) in theirs.chunks(n_features + 1).enumerate() {
            let c = explainer.explain(&rows[r], output);
            let ours = c.values.iter().chain([&c.bias]);
            for (f, (a, b)) in ours.zip(theirs).enumerate() {
                let b = b * scale;
                let d = (a - b).abs() / b.abs().max(1.0);
                assert!(
                    d.is_finite(),
                    "row {r} output {output} column {f}: {a} vs {b}"
                );
                worst = worst.max(d);
            }
        }
    }
    eprintln!("max difference {worst:e}");
    worst
}

#[test]
fn lightgbm_binary_contributions_equal_pred_contrib() {
    let m = lightgbm::parse(include_str!("data/interop/lgb_binary.txt")).unwrap();
    let d = max_difference(&m, include_str!("data/interop/lgb_binary.contrib.csv"), 1.0);
    assert!(d <= 1e-9, "{d:e}");
}

#[test]
fn lightgbm_multiclass_contributions_equal_pred_contrib() {
    let m = lightgbm::parse(include_str!("data/interop/lgb_multiclass.txt")).unwrap();
    let d = max_difference(
        &m,
        include_str!("data/interop/lgb_multiclass.contrib.csv"),
        1.0,
    );
    assert!(d <= 1e-9, "{d:e}");
}

#[test]
fn lightgbm_random_forest_contributions_equal_pred_contrib() {
    let m = lightgbm::parse(include_str!("data/interop/lgb_rf.txt")).unwrap();
    // As for its raw scores (tests/interop_golden.rs), LightGBM 4.7 reports a random forest's
    // contributions summed over its 20 trees, while its probabilities use their average.
    let d = max_difference(
        &m,
        include_str!("data/interop/lgb_rf.contrib.csv"),
        1.0 / 20.0,
    );
    assert!(d <= 1e-9, "{d:e}");
}

#[test]
fn xgboost_binary_contributions_equal_pred_contribs() {
    let m = xgboost::parse(include_bytes!("data/interop/xgb_binary.json")).unwrap();
    let d = max_difference(&m, include_str!("data/interop/xgb_binary.contrib.csv"), 1.0);
    assert!(d <= 1e-5, "{d:e}");
}

#[test]
fn xgboost_multiclass_contributions_equal_pred_contribs() {
    let m = xgboost::parse(include_bytes!("data/interop/xgb_multiclass.json")).unwrap();
    let d = max_difference(
        &m,
        include_str!("data/interop/xgb_multiclass.contrib.csv"),
        1.0,
    );
    assert!(d <= 1e-5, "{d:e}");
}

/// With hessian sums as the cover (what the importer used before), LightGBM's explanations
/// differ: the fixture can tell the two covers apart.
#[test]
fn lightgbm_hessian_cover_would_not_match() {
    let text = include_str!("data/interop/lgb_binary.txt");
    // Swap the two arrays' names: leaf_count now holds the hessian sums.
    let swapped = text
        .replace("leaf_count=", "leaf_countX=")
        .replace("leaf_weight=", "leaf_count=");
    let m = lightgbm::parse(&swapped).unwrap();
    let d = max_difference(&m, include_str!("data/interop/lgb_binary.contrib.csv"), 1.0);
    assert!(d > 1e-3, "{d:e}");
}
