//! The JS API's `Model.drift` under Node via wasm-bindgen-test: PSI per column and for the score
//! from the model file's training profile, and a clear error for models without one. The browser
//! twin is tests/browser/drift.test.mjs.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, Uint8Array, JSON};
use leadforest::wasm::{self, Model};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn demo(rows: u32, seed: u32) -> Uint8Array {
    Uint8Array::from(wasm::demo_csv(rows, seed).unwrap().as_bytes())
}

#[wasm_bindgen_test]
fn drift_reports_psi_per_column_and_for_the_score() {
    let options =
        JSON::parse(r#"{"target":"Converted","drop":["Funnel Stage"],"trees":15,"seed":5}"#)
            .unwrap();
    let model = wasm::train(&demo(800, 11), options, None).unwrap();
    // The file keeps the profile: drift works on a reloaded model too.
    let model = Model::from_bytes(&model.to_bytes()).unwrap();
    let same = model.drift(&demo(800, 11)).unwrap();
    assert_eq!(get(&same, "rows").as_f64(), Some(800.0));
    assert_eq!(get(&same, "referenceRows").as_f64(), Some(800.0));
    let features: Array = get(&same, "features").dyn_into().unwrap();
    assert!(features.length() >= 10);
    for f in features.iter() {
        assert_eq!(get(&f, "psi").as_f64(), Some(0.0));
        assert_eq!(get(&f, "level").as_string().as_deref(), Some("stable"));
    }
    let score = get(&same, "score");
    assert_eq!(get(&score, "psi").as_f64(), Some(0.0));
    assert_eq!(get(&score, "words").as_string().as_deref(), Some("stable"));
    // Other leads from the same generator: close to the training data.
    let other = model.drift(&demo(800, 12)).unwrap();
    let features: Array = get(&other, "features").dyn_into().unwrap();
    let top = features.get(0);
    assert!(get(&top, "psi").as_f64().unwrap() < 0.1);
    let bins: Array = get(&top, "bins").dyn_into().unwrap();
    assert!(bins.length() >= 2);
    assert!(get(&bins.get(0), "expected").as_f64().is_some());
}

#[wasm_bindgen_test]
fn a_model_without_a_profile_says_to_retrain() {
    let model = Model::from_bytes(&Uint8Array::from(
        &include_bytes!("../models/golden_gbt.lf")[..],
    ))
    .unwrap();
    let err = model.drift(&demo(50, 1)).unwrap_err();
    let message = String::from(
        JsValue::from(err)
            .dyn_into::<js_sys::Error>()
            .unwrap()
            .message(),
    );
    assert!(
        message.contains("no training profile") && message.contains("retrain"),
        "{message}"
    );
}

/// The demo leads plus a `Region` column: `EMEA` everywhere, or `APAC` on every other row.
fn with_region(rows: u32, seed: u32, vary: bool) -> Uint8Array {
    let csv = wasm::demo_csv(rows, seed).unwrap();
    let mut lines = csv.lines();
    let mut out = format!("{},Region\n", lines.next().unwrap());
    for (i, l) in lines.enumerate() {
        let region = if vary && i % 2 == 1 { "APAC" } else { "EMEA" };
        out.push_str(&format!("{l},{region}\n"));
    }
    Uint8Array::from(out.as_bytes())
}

#[wasm_bindgen_test]
fn drift_reports_unused_columns_and_the_outcome_in_camel_case() {
    let options =
        JSON::parse(r#"{"target":"Converted","drop":["Funnel Stage"],"trees":15,"seed":5}"#)
            .unwrap();
    let model = wasm::train(&with_region(800, 11, false), options, None).unwrap();
    let model = Model::from_bytes(&model.to_bytes()).unwrap();
    let r = model.drift(&with_region(800, 12, true)).unwrap();
    let features: Array = get(&r, "features").dyn_into().unwrap();
    assert!(features
        .iter()
        .all(|f| get(&f, "used").as_bool() == Some(true)));
    let unused: Array = get(&r, "unusedColumns").dyn_into().unwrap();
    assert_eq!(unused.length(), 1);
    let region = unused.get(0);
    assert_eq!(get(&region, "name").as_string().as_deref(), Some("Region"));
    assert_eq!(get(&region, "used").as_bool(), Some(false));
    assert_eq!(get(&region, "level").as_string().as_deref(), Some("major"));
    // Outcomes are in the CSV: shares per class and the binary rates, camelCase.
    let o = get(&r, "outcome");
    assert_eq!(get(&o, "target").as_string().as_deref(), Some("Converted"));
    assert_eq!(get(&o, "rows").as_f64(), Some(800.0));
    let (t, a, p) = (
        get(&o, "trainingRate").as_f64().unwrap(),
        get(&o, "actualRate").as_f64().unwrap(),
        get(&o, "predictedRate").as_f64().unwrap(),
    );
    assert!((0.05..0.6).contains(&t) && (0.05..0.6).contains(&a) && (0.0..1.0).contains(&p));
    let bins: Array = get(&o, "bins").dyn_into().unwrap();
    assert_eq!(bins.length(), 2);
    assert_eq!(get(&bins.get(1), "actual").as_f64(), Some(a));
    let summary = get(&r, "summary").as_string().unwrap();
    assert!(summary.contains("`Region` had one value"), "{summary}");
}
