//! The interop golden checks compiled to wasm32 and run under Node by wasm-bindgen-test: models
//! written by real LightGBM and XGBoost score all 1,200 fixture rows within 1e-6 of the
//! libraries' own predictions, as natively (tests/interop_golden.rs).
#![cfg(target_arch = "wasm32")]

use leadforest::interop::{lightgbm, xgboost, ImportedEnsemble};
use wasm_bindgen_test::wasm_bindgen_test;

const TEST_CSV: &[u8] = include_bytes!("data/interop/test.csv");

fn check(model: &ImportedEnsemble, pred_csv: &str, margin_scale: f64) {
    let rows = model.rows_from_csv(TEST_CSV).unwrap();
    let mut lines = pred_csv.lines();
    let header = lines.next().unwrap();
    let n_margin = header
        .split(',')
        .filter(|h| h.starts_with("margin_"))
        .count();
    let mut n = 0;
    for (i, (row, line)) in rows.iter().zip(lines).enumerate() {
        let want: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let m = model.margins(row);
        let p = model.probabilities(&m);
        for (a, b) in m.iter().zip(&want[..n_margin]) {
            assert!(
                (a - b * margin_scale).abs() <= 1e-6,
                "row {i}: margin {a} vs {b}"
            );
        }
        for (a, b) in p.iter().zip(&want[n_margin..]) {
            assert!((a - b).abs() <= 1e-6, "row {i}: probability {a} vs {b}");
        }
        n += 1;
    }
    assert_eq!(n, 1200);
}

#[wasm_bindgen_test]
fn lightgbm_models_match_lightgbm_in_wasm() {
    for (model, pred, scale) in [
        (
            include_str!("data/interop/lgb_binary.txt"),
            include_str!("data/interop/lgb_binary.pred.csv"),
            1.0,
        ),
        (
            include_str!("data/interop/lgb_multiclass.txt"),
            include_str!("data/interop/lgb_multiclass.pred.csv"),
            1.0,
        ),
        (
            include_str!("data/interop/lgb_zero_missing.txt"),
            include_str!("data/interop/lgb_zero_missing.pred.csv"),
            1.0,
        ),
        (
            include_str!("data/interop/lgb_rf.txt"),
            include_str!("data/interop/lgb_rf.pred.csv"),
            1.0 / 20.0,
        ),
    ] {
        check(&lightgbm::parse(model).unwrap(), pred, scale);
    }
}

#[wasm_bindgen_test]
fn xgboost_models_match_xgboost_in_wasm() {
    check(
        &xgboost::parse(include_bytes!("data/interop/xgb_binary.json")).unwrap(),
        include_str!("data/interop/xgb_binary.pred.csv"),
        1.0,
    );
    check(
        &xgboost::parse(include_bytes!("data/interop/xgb_multiclass.json")).unwrap(),
        include_str!("data/interop/xgb_multiclass.pred.csv"),
        1.0,
    );
}

#[wasm_bindgen_test]
fn imported_models_score_by_column_name_in_wasm() {
    use leadforest::data::{CsvOptions, Table};
    use leadforest::interop::{ConvertOptions, ImportedEnsemble};
    use leadforest::model::Model;
    let table = Table::from_csv(TEST_CSV, &CsvOptions::default()).unwrap();
    for (model, pred) in [
        (
            &include_bytes!("data/interop/lgb_binary.txt")[..],
            include_str!("data/interop/lgb_binary.pred.csv"),
        ),
        (
            &include_bytes!("data/interop/xgb_multiclass.json")[..],
            include_str!("data/interop/xgb_multiclass.pred.csv"),
        ),
    ] {
        let imported = ImportedEnsemble::parse(model).unwrap();
        let schema = imported.read_schema(TEST_CSV).unwrap();
        let options = ConvertOptions {
            schema: Some(&schema),
            origin: "fixture",
        };
        let model = Model::from_bytes(&imported.to_model(&options).unwrap().to_bytes()).unwrap();
        let encoded = model.pipeline.encode_table(&table).unwrap();
        let probs = model.probabilities(&model.predict_columns(&encoded.columns));
        let mut lines = pred.lines();
        let n_margin = lines
            .next()
            .unwrap()
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
        for (i, (a, b)) in probs.iter().zip(&want).enumerate() {
            assert!((a - b).abs() <= 1e-6, "value {i}: {a} vs {b}");
        }
    }
}

#[wasm_bindgen_test]
fn the_js_import_function_returns_a_model_file_or_a_clear_error() {
    let bytes = leadforest::wasm::import_model(
        &js_sys::Uint8Array::from(&include_bytes!("data/interop/lgb_binary.txt")[..]),
        js_sys::Uint8Array::from(TEST_CSV).into(),
    )
    .unwrap();
    let model = leadforest::model::Model::from_bytes(&bytes).unwrap();
    assert_eq!(model.trees().len(), 40);
    assert_eq!(model.pipeline.features[2].source, "Days Since Contact");
    assert!(leadforest::wasm::import_model(
        &js_sys::Uint8Array::from(&b"not a model"[..]),
        wasm_bindgen::JsValue::UNDEFINED
    )
    .is_err());
}
