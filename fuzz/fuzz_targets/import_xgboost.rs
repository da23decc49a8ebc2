//! Fuzzes the XGBoost JSON-model importer: any bytes → a model or an `Error`, never a panic;
//! what it accepts goes through scoring, conversion, model-file round trip and ONNX export.
#![no_main]

mod imported;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = leadforest::interop::xgboost::parse(data) {
        imported::check(&m, data.len() as u8);
    }
    let _ = leadforest::interop::ImportedEnsemble::parse(data);
});
