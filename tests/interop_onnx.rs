//! ONNX export golden tests: the committed `.onnx` files are what `ImportedEnsemble::to_onnx`
//! writes today (byte for byte), and ONNX Runtime's probabilities for them (computed by
//! scripts/interop/make_fixtures.py, committed as `<model>.ort.pred.csv`, never regenerated in
//! CI) agree with leadforest's own scores within 1e-6 on all 1,200 test rows.

use leadforest::interop::ImportedEnsemble;

const TEST_CSV: &[u8] = include_bytes!("data/interop/test.csv");

fn check(model_bytes: &[u8], onnx: &[u8], ort_pred: &str) {
    let model = ImportedEnsemble::parse(model_bytes).unwrap();
    assert!(
        model.to_onnx().unwrap() == onnx,
        "the exporter's output changed: re-export the fixture and rerun \
         scripts/interop/make_fixtures.py onnx FILE (see its header)"
    );
    let rows = model.rows_from_csv(TEST_CSV).unwrap();
    let mut lines = ort_pred.lines();
    lines.next();
    let mut worst = 0.0f64;
    let mut n = 0;
    for (row, line) in rows.iter().zip(lines) {
        let ort: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let mut ours = model.probabilities(&model.margins(row));
        if ours.len() == 1 {
            ours.insert(0, 1.0 - ours[0]);
        }
        assert_eq!(ours.len(), ort.len());
        for (a, b) in ours.iter().zip(&ort) {
            worst = worst.max((a - b).abs());
        }
        n += 1;
    }
    assert_eq!(n, 1200);
    eprintln!("max |leadforest - onnxruntime| = {worst:e}");
    assert!(worst <= 1e-6, "max difference {worst:e}");
}

#[test]
fn lightgbm_binary_onnx_agrees_with_onnxruntime() {
    check(
        include_bytes!("data/interop/lgb_binary.txt"),
        include_bytes!("data/interop/lgb_binary.onnx"),
        include_str!("data/interop/lgb_binary.ort.pred.csv"),
    );
}

#[test]
fn lightgbm_multiclass_onnx_agrees_with_onnxruntime() {
    check(
        include_bytes!("data/interop/lgb_multiclass.txt"),
        include_bytes!("data/interop/lgb_multiclass.onnx"),
        include_str!("data/interop/lgb_multiclass.ort.pred.csv"),
    );
}

#[test]
fn xgboost_binary_onnx_agrees_with_onnxruntime() {
    check(
        include_bytes!("data/interop/xgb_binary.json"),
        include_bytes!("data/interop/xgb_binary.onnx"),
        include_str!("data/interop/xgb_binary.ort.pred.csv"),
    );
}

#[test]
fn xgboost_multiclass_onnx_agrees_with_onnxruntime() {
    check(
        include_bytes!("data/interop/xgb_multiclass.json"),
        include_bytes!("data/interop/xgb_multiclass.onnx"),
        include_str!("data/interop/xgb_multiclass.ort.pred.csv"),
    );
}

#[test]
fn zero_as_missing_models_are_refused_with_a_reason() {
    let m = ImportedEnsemble::parse(include_bytes!("data/interop/lgb_zero_missing.txt")).unwrap();
    let e = m.to_onnx().unwrap_err().to_string();
    assert!(e.contains("zero_as_missing"), "{e}");
}
