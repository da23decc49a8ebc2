//! Issue 19's crafted inputs through the JS API under Node (wasm-bindgen-test): a DAG "tree", a
//! 100,000-deep chain, sections that disagree (tests/common/crafted.rs) and importer files with
//! absurd counts each throw an `Error` with a clear message — no hang, no `RuntimeError:
//! unreachable`, no out-of-memory abort — and the same module instance still scores the golden
//! model exactly as before. The native twin is tests/fuzz_crashes.rs.
#![cfg(target_arch = "wasm32")]

#[path = "common/js.rs"]
mod js_helpers;
use js_helpers::{message, probabilities};

#[path = "common/crafted.rs"]
mod crafted;

use js_sys::Uint8Array;
use leadforest::wasm::{self, Model};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const GOLDEN: &[u8] = include_bytes!("../models/golden_gbt.lf");

fn check(name: &str, text: &str, expect: &[&str]) {
    for e in expect {
        assert!(text.contains(e), "{name}: expected `{e}` in: {text}");
    }
}

#[wasm_bindgen_test]
fn crafted_model_files_throw_and_the_module_keeps_scoring() {
    let demo = wasm::demo_csv(300, 5).unwrap().into_bytes();
    let golden = Model::from_bytes(&Uint8Array::from(GOLDEN)).unwrap();
    let before = probabilities(&golden, &demo);
    let lib_golden = leadforest::model::Model::from_bytes(GOLDEN).unwrap();
    for c in crafted::model_cases(&lib_golden) {
        let t = js_sys::Date::now();
        let text = match Model::from_bytes(&Uint8Array::from(c.bytes.as_slice())) {
            Ok(_) => panic!("{}: the model loaded", c.name),
            Err(e) => message(JsValue::from(e)),
        };
        console_log!(
            "{} ({} bytes): {} ms",
            c.name,
            c.bytes.len(),
            js_sys::Date::now() - t
        );
        check(c.name, &text, &c.expect);
        assert_eq!(probabilities(&golden, &demo), before, "after {}", c.name);
    }
    // A fresh load of the golden model still scores the same too.
    let again = Model::from_bytes(&Uint8Array::from(GOLDEN)).unwrap();
    assert_eq!(probabilities(&again, &demo), before);
}

#[cfg(not(feature = "score-only"))]
#[wasm_bindgen_test]
fn crafted_importer_files_throw_and_the_module_keeps_scoring() {
    let demo = wasm::demo_csv(300, 5).unwrap().into_bytes();
    let golden = Model::from_bytes(&Uint8Array::from(GOLDEN)).unwrap();
    let before = probabilities(&golden, &demo);
    for t in crafted::importer_templates() {
        let bytes = wasm::import_model(&Uint8Array::from(t.as_bytes()), JsValue::UNDEFINED)
            .unwrap_or_else(|e| panic!("template: {}", message(JsValue::from(e))));
        Model::from_bytes(&Uint8Array::from(bytes.as_slice())).unwrap();
    }
    for c in crafted::importer_cases() {
        let t = js_sys::Date::now();
        let text =
            match wasm::import_model(&Uint8Array::from(c.bytes.as_slice()), JsValue::UNDEFINED) {
                Ok(_) => panic!("{}: the model imported", c.name),
                Err(e) => message(JsValue::from(e)),
            };
        console_log!(
            "{} ({} bytes): {} ms",
            c.name,
            c.bytes.len(),
            js_sys::Date::now() - t
        );
        check(c.name, &text, &c.expect);
        assert_eq!(probabilities(&golden, &demo), before, "after {}", c.name);
    }
}

#[wasm_bindgen_test]
fn an_oversized_model_file_throws_a_limit_error() {
    let big = vec![0u8; leadforest::limits::MAX_MODEL_BYTES + 1];
    let text = match Model::from_bytes(&Uint8Array::from(big.as_slice())) {
        Ok(_) => panic!("a 256 MiB + 1 file loaded"),
        Err(e) => message(JsValue::from(e)),
    };
    check("oversized", &text, &["256 MiB"]);
}
