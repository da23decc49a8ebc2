//! Imported models as leadforest models: converted, written to model-file bytes and read back,
//! they score the fixture CSV *by column name through the data pipeline* within 1e-6 of the
//! libraries' own probabilities, and TreeSHAP explains them (contributions + bias = margin).

use leadforest::data::{CsvOptions, Table};
use leadforest::explain::Explainer;
use leadforest::interop::{ConvertOptions, ImportedEnsemble};
use leadforest::model::Model;

const TEST_CSV: &[u8] = include_bytes!("data/interop/test.csv");

/// Imports, round-trips through bytes, scores test.csv; returns the largest probability error.
fn check(model_bytes: &[u8], pred_csv: &str, with_schema: bool) -> f64 {
    let imported = ImportedEnsemble::parse(model_bytes).unwrap();
    let schema = with_schema.then(|| imported.read_schema(TEST_CSV).unwrap());
    let model = imported
        .to_model(&ConvertOptions {
            schema: schema.as_ref(),
            origin: "fixture",
        })
        .unwrap();
    let bytes = model.to_bytes();
    let model = Model::from_bytes(&bytes).unwrap();
    assert_eq!(model.to_bytes(), bytes, "model bytes are stable");

    let table = Table::from_csv(TEST_CSV, &CsvOptions::default()).unwrap();
    let encoded = model.pipeline.encode_table(&table).unwrap();
    assert!(encoded.warnings.is_empty(), "{:?}", encoded.warnings);
    let raw = model.predict_columns(&encoded.columns);
    let probs = model.probabilities(&raw);

    let mut lines = pred_csv.lines();
    let header = lines.next().unwrap();
    let n_margin = header
        .split(',')
        .filter(|h| h.starts_with("margin_"))
        .count();
    let want: Vec<f64> = lines
        .flat_map(|l| {
            l.split(',')
                .skip(n_margin)
                .map(|x| x.parse::<f64>().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(probs.len(), want.len());
    assert_eq!(want.len(), 1200 * n_margin);
    let worst = probs
        .iter()
        .zip(&want)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(worst <= 1e-6, "max |leadforest - library| = {worst:e}");

    // TreeSHAP on the imported trees: bias + contributions = raw margin, for a few rows.
    let k = model.n_outputs();
    let mut explainer =
        Explainer::new(model.trees(), &model.base_score, model.features.len()).unwrap();
    for row in [0usize, 7, 500, 1199] {
        let x: Vec<f64> = encoded.columns.iter().map(|c| c[row]).collect();
        for out in 0..k {
            let c = explainer.explain(&x, out);
            assert!(
                (c.total() - raw[row * k + out]).abs() < 1e-9,
                "row {row} output {out}"
            );
        }
    }
    worst
}

#[test]
fn lightgbm_binary_imports_as_a_leadforest_model() {
    let m = ImportedEnsemble::parse(include_bytes!("data/interop/lgb_binary.txt")).unwrap();
    let schema = m.read_schema(TEST_CSV).unwrap();
    let model = m
        .to_model(&ConvertOptions {
            schema: Some(&schema),
            origin: "x",
        })
        .unwrap();
    // LightGBM's `Days_Since_Contact` reads the CSV column `Days Since Contact`.
    assert_eq!(model.pipeline.features[2].source, "Days Since Contact");
    check(
        include_bytes!("data/interop/lgb_binary.txt"),
        include_str!("data/interop/lgb_binary.pred.csv"),
        true,
    );
}

#[test]
fn lightgbm_multiclass_and_rf_import_as_leadforest_models() {
    check(
        include_bytes!("data/interop/lgb_multiclass.txt"),
        include_str!("data/interop/lgb_multiclass.pred.csv"),
        true,
    );
    check(
        include_bytes!("data/interop/lgb_rf.txt"),
        include_str!("data/interop/lgb_rf.pred.csv"),
        true,
    );
}

#[test]
fn xgboost_models_import_as_leadforest_models_without_schema() {
    // XGBoost keeps the CSV's names and (3.x) the category labels: no --schema needed.
    check(
        include_bytes!("data/interop/xgb_binary.json"),
        include_str!("data/interop/xgb_binary.pred.csv"),
        false,
    );
    check(
        include_bytes!("data/interop/xgb_multiclass.json"),
        include_str!("data/interop/xgb_multiclass.pred.csv"),
        false,
    );
}

#[test]
fn zero_as_missing_is_refused_with_a_reason() {
    let m = ImportedEnsemble::parse(include_bytes!("data/interop/lgb_zero_missing.txt")).unwrap();
    let e = m
        .to_model(&ConvertOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("zero_as_missing"), "{e}");
}
