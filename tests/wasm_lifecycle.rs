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
