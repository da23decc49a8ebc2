//! Fuzzes the LightGBM text-model importer: any bytes → a model or an `Error`, never a panic;
//! what it accepts goes through scoring, conversion, model-file round trip and ONNX export.
#![no_main]

mod imported;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = leadforest::interop::lightgbm::parse(text) {
        imported::check(&m, data.len() as u8);
    }
    // The format-sniffing entry point (`importModel` in WASM, `leadforest import`).
    let _ = leadforest::interop::ImportedEnsemble::parse(data);
});
