//! Nothing personal in a model file, in WASM: the privacy corpus trained through the JS API
//! (`train` with default options) under Node gives model bytes without any of the corpus's
//! personal values, `Model.strings()` lists none, and the model still learns the signal on
//! held-out leads. The native twin is tests/privacy_corpus.rs.
#![cfg(target_arch = "wasm32")]

#[path = "common/privacy_corpus.rs"]
mod privacy_corpus;

use js_sys::{Float64Array, Reflect, Uint8Array, JSON};
use leadforest::wasm;
use privacy_corpus::{corpus, personal_in_bytes};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
fn the_corpus_model_trained_in_wasm_stores_nothing_personal_and_still_learns() {
    let c = corpus(3000, 7);
    let options = JSON::parse(r#"{"target":"Converted"}"#).unwrap();
    let model = wasm::train(&Uint8Array::from(c.csv.as_bytes()), options, None).unwrap();
    let bytes = model.to_bytes().to_vec();
    let found = personal_in_bytes(&bytes, &c.personal);
    assert!(
        found.is_empty(),
        "personal values in the model file: {found:?}"
    );

    let strings = js_sys::Array::from(&model.strings().unwrap());
    assert!(strings.length() > 20);
    for s in strings.iter() {
        let value = get(&s, "value").as_string().unwrap();
        assert!(get(&s, "use").as_string().is_some_and(|u| !u.is_empty()));
        assert!(
            personal_in_bytes(value.as_bytes(), &c.personal).is_empty(),
            "{value}"
        );
    }

    let test = corpus(1500, 99);
    let scored = model
        .score_csv(&Uint8Array::from(test.csv.as_bytes()), JsValue::UNDEFINED)
        .unwrap();
    let p = Float64Array::from(get(&scored, "probability")).to_vec();
    let labels: Vec<bool> = test
        .csv
        .lines()
        .skip(1)
        .map(|l| l.ends_with(",Yes"))
        .collect();
    let auc = leadforest::metrics::roc_auc(&p, &labels, None).unwrap();
    assert!(auc > 0.7, "held-out AUC {auc}");
}
