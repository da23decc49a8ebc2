//! Golden tests: models written by real LightGBM 4.7 and XGBoost 3.2 (scripts/interop/
//! make_fixtures.py; fixtures committed, never regenerated) score the 1,200 rows of
//! tests/data/interop/test.csv — with missing values and unseen categories — within 1e-6 of the
//! libraries' own raw margins and probabilities.

use leadforest::interop::{lightgbm, xgboost, ImportedEnsemble};

const TEST_CSV: &[u8] = include_bytes!("data/interop/test.csv");

/// Parses a `<model>.pred.csv`: columns `margin_k…`, `prob_k…`.
fn expected(pred_csv: &str) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let mut lines = pred_csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let n_margin = header.iter().filter(|h| h.starts_with("margin_")).count();
    let (mut margins, mut probs) = (Vec::new(), Vec::new());
    for line in lines {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        margins.push(v[..n_margin].to_vec());
        probs.push(v[n_margin..].to_vec());
    }
    (margins, probs)
}

/// Scores every test row and returns the largest absolute differences (margin, probability).
fn check(model: &ImportedEnsemble, pred_csv: &str, margin_scale: f64) -> (f64, f64) {
    let rows = model.rows_from_csv(TEST_CSV).unwrap();
    let (margins, probs) = expected(pred_csv);
    assert_eq!(rows.len(), 1200);
    assert_eq!(rows.len(), margins.len());
    let (mut dm, mut dp) = (0.0f64, 0.0f64);
    for (i, row) in rows.iter().enumerate() {
        let m = model.margins(row);
        let p = model.probabilities(&m);
        for (a, b) in m.iter().zip(&margins[i]) {
            dm = dm.max((a - b * margin_scale).abs());
        }
        // XGBoost binary reports p(positive) only; LightGBM too; multiclass all classes.
        assert_eq!(p.len(), probs[i].len(), "row {i}");
        for (a, b) in p.iter().zip(&probs[i]) {
            dp = dp.max((a - b).abs());
        }
    }
    eprintln!("max abs diff: margin {dm:e}, probability {dp:e}");
    assert!(
        dm <= 1e-6 && dp <= 1e-6,
        "max |Δmargin| {dm:e}, max |Δprob| {dp:e}"
    );
    (dm, dp)
}

#[test]
fn lightgbm_binary_matches_lightgbm() {
    let m = lightgbm::parse(include_str!("data/interop/lgb_binary.txt")).unwrap();
    assert_eq!(m.trees.len(), 40);
    check(&m, include_str!("data/interop/lgb_binary.pred.csv"), 1.0);
}

#[test]
fn lightgbm_multiclass_matches_lightgbm() {
    let m = lightgbm::parse(include_str!("data/interop/lgb_multiclass.txt")).unwrap();
    assert_eq!(m.objective.n_outputs(), 3);
    check(
        &m,
        include_str!("data/interop/lgb_multiclass.pred.csv"),
        1.0,
    );
}

#[test]
fn lightgbm_zero_as_missing_matches_lightgbm() {
    let m = lightgbm::parse(include_str!("data/interop/lgb_zero_missing.txt")).unwrap();
    assert!(m.features.iter().any(|f| f.zero_is_missing));
    check(
        &m,
        include_str!("data/interop/lgb_zero_missing.pred.csv"),
        1.0,
    );
}

#[test]
fn lightgbm_random_forest_matches_lightgbm() {
    let m = lightgbm::parse(include_str!("data/interop/lgb_rf.txt")).unwrap();
    // LightGBM 4.7's predict(raw_score=True) reports the sum over the 20 trees for rf models,
    // while its probabilities use the average: compare margins against sum / 20.
    check(&m, include_str!("data/interop/lgb_rf.pred.csv"), 1.0 / 20.0);
}

#[test]
fn xgboost_binary_matches_xgboost() {
    let m = xgboost::parse(include_bytes!("data/interop/xgb_binary.json")).unwrap();
    assert_eq!(m.trees.len(), 40);
    check(&m, include_str!("data/interop/xgb_binary.pred.csv"), 1.0);
}

#[test]
fn xgboost_multiclass_matches_xgboost() {
    let m = xgboost::parse(include_bytes!("data/interop/xgb_multiclass.json")).unwrap();
    assert_eq!(m.objective.n_outputs(), 3);
    check(
        &m,
        include_str!("data/interop/xgb_multiclass.pred.csv"),
        1.0,
    );
}
