//! Helpers shared by the wasm32 tests under Node: an engine error's message, a scored CSV's
//! probabilities.
#![allow(dead_code)]

use js_sys::{Float64Array, Reflect, Uint8Array};
use leadforest::wasm::Model;
use wasm_bindgen::{JsCast, JsValue};

/// The message of a thrown JS `Error` (or what was thrown instead, for the assertion).
pub fn message(e: JsValue) -> String {
    e.dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|v| format!("not an Error: {v:?}"))
}

/// `Model.scoreCsv(csv)`'s probabilities, in row order.
pub fn probabilities(model: &Model, csv: &[u8]) -> Vec<f64> {
    let scored = model
        .score_csv(&Uint8Array::from(csv), JsValue::UNDEFINED)
        .unwrap();
    Reflect::get(&scored, &"probability".into())
        .unwrap()
        .dyn_into::<Float64Array>()
        .unwrap()
        .to_vec()
}
