//! The malformed-input corpus (tests/data/bad/cases.json) through the JS API under Node
//! (wasm-bindgen-test): every error case throws an `Error` with the expected message, every note
//! case trains and shows its note in the profile, and after each case the same module instance
//! still scores exactly as before and, at the end, trains the same model bytes as before. The CLI
//! twin is tests/cli_hardening.rs; the web app's is tests/browser/bad_input.test.mjs.
#![cfg(target_arch = "wasm32")]

#[path = "common/js.rs"]
mod js_helpers;
use js_helpers::{message, probabilities};

#[path = "common/bad_corpus.rs"]
mod bad_corpus;

use js_sys::{Reflect, Uint8Array, JSON};
use leadforest::wasm::{self, Model};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const CASES: &str = include_str!("data/bad/cases.json");
const GOLDEN: &[u8] = include_bytes!("../models/golden_gbt.lf");

/// The corpus's committed files (no file system under wasm32): each path in cases.json must be
/// listed here.
fn committed(path: &str) -> &'static [u8] {
    match path {
        "tests/data/bad/empty.csv" => include_bytes!("data/bad/empty.csv"),
        "tests/data/bad/header_only.csv" => include_bytes!("data/bad/header_only.csv"),
        "tests/data/bad/invalid_utf8.csv" => include_bytes!("data/bad/invalid_utf8.csv"),
        "tests/data/bad/windows_1252.csv" => include_bytes!("data/bad/windows_1252.csv"),
        "tests/data/bad/nul_bytes.csv" => include_bytes!("data/bad/nul_bytes.csv"),
        "tests/data/bad/duplicate_header.csv" => include_bytes!("data/bad/duplicate_header.csv"),
        "tests/data/bad/one_class.csv" => include_bytes!("data/bad/one_class.csv"),
        "tests/data/bad/one_positive.csv" => include_bytes!("data/bad/one_positive.csv"),
        "tests/data/bad/all_missing_feature.csv" => {
            include_bytes!("data/bad/all_missing_feature.csv")
        }
        "tests/data/bad/no_rows_left.csv" => include_bytes!("data/bad/no_rows_left.csv"),
        "tests/data/bad/empty.lf" => include_bytes!("data/bad/empty.lf"),
        "tests/data/bad/wrong_magic.lf" => include_bytes!("data/bad/wrong_magic.lf"),
        "tests/data/bad/truncated.lf" => include_bytes!("data/bad/truncated.lf"),
        other => panic!("{other} is in cases.json but not in tests/wasm_bad_input.rs"),
    }
}

/// A case's bytes: committed, or generated exactly as the CLI runner does.
fn case_bytes(c: &serde_json::Value) -> Vec<u8> {
    if let Some(file) = c["file"].as_str() {
        return committed(file).to_vec();
    }
    let g = &c["generate"];
    if g["kind"] == "model" {
        assert_eq!(g["from"], "models/golden_gbt.lf");
    }
    bad_corpus::generate(g, GOLDEN)
}

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

const QUICK: &str = r#"{"target":"Converted","drop":["Funnel Stage"],"trees":10,"seed":3}"#;

#[wasm_bindgen_test]
fn the_malformed_input_corpus_throws_specific_errors_and_the_module_keeps_working() {
    let demo = wasm::demo_csv(300, 5).unwrap().into_bytes();
    let golden = Model::from_bytes(&Uint8Array::from(GOLDEN)).unwrap();
    let before = probabilities(&golden, &demo);
    let trained_before = wasm::train(&Uint8Array::from(demo.as_slice()), js(QUICK), None)
        .unwrap()
        .to_bytes()
        .to_vec();
    let json: serde_json::Value = serde_json::from_str(CASES).unwrap();
    let cases = json["cases"].as_array().unwrap();
    assert!(cases.len() >= 18, "{} cases", cases.len());
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let bytes = case_bytes(c);
        let expect: Vec<&str> = c["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap())
            .collect();
        let is_error = c["outcome"] == "error";
        let options = js(&format!(r#"{{"target":{}}}"#, c["target"]));
        let text = match (c["input"].as_str().unwrap(), is_error) {
            ("model", true) => match Model::from_bytes(&Uint8Array::from(bytes.as_slice())) {
                Ok(_) => panic!("{name}: the model was accepted"),
                Err(e) => message(JsValue::from(e)),
            },
            ("csv", true) => {
                match wasm::train(&Uint8Array::from(bytes.as_slice()), options, None) {
                    Ok(_) => panic!("{name}: training succeeded"),
                    Err(e) => message(e),
                }
            }
            ("csv", false) => {
                let model = wasm::train(&Uint8Array::from(bytes.as_slice()), options.clone(), None)
                    .unwrap_or_else(|e| panic!("{name}: {}", message(e)));
                assert!(model.to_bytes().length() > 0, "{name}");
                let profile = wasm::profile_csv(&Uint8Array::from(bytes.as_slice()), options)
                    .unwrap_or_else(|e| panic!("{name}: {}", message(JsValue::from(e))));
                String::from(JSON::stringify(&profile).unwrap())
            }
            (input, _) => panic!("{name}: unknown input {input}"),
        };
        for e in &expect {
            assert!(text.contains(e), "{name}: expected `{e}` in: {text}");
        }
        if let Some(max) = c["max_message_chars"].as_u64() {
            assert!(text.chars().count() as u64 <= max, "{name}: {text}");
        }
        // The same module instance still scores exactly as before.
        assert_eq!(probabilities(&golden, &demo), before, "after {name}");
    }
    // ... and still trains, to the same bytes.
    let trained_after = wasm::train(&Uint8Array::from(demo.as_slice()), js(QUICK), None)
        .unwrap()
        .to_bytes()
        .to_vec();
    assert_eq!(trained_after, trained_before);
}

#[wasm_bindgen_test]
fn summarize_csv_the_apps_first_look_refuses_the_same_files() {
    // The app opens a file with summarizeCsv before anything else: file-level problems show there.
    for (bytes, what) in [
        (committed("tests/data/bad/nul_bytes.csv"), "a NUL byte"),
        (
            committed("tests/data/bad/invalid_utf8.csv"),
            "invalid UTF-8",
        ),
        (
            committed("tests/data/bad/duplicate_header.csv"),
            "duplicated column name",
        ),
    ] {
        let e = wasm::summarize_csv(&Uint8Array::from(bytes)).expect_err(what);
        let m = message(JsValue::from(e));
        assert!(m.contains(what), "{m}");
    }
    let s = wasm::summarize_csv(&Uint8Array::from(committed(
        "tests/data/bad/windows_1252.csv",
    )))
    .unwrap();
    let headers = js_sys::Array::from(&Reflect::get(&s, &"headers".into()).unwrap());
    assert_eq!(headers.get(1).as_string().as_deref(), Some("City"));
}
