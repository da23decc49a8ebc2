//! The JS API (`leadforest::wasm`) under Node via wasm-bindgen-test: training with progress and
//! cancel, the model file round trip, scoring and explanations, and errors that leave the module
//! working. The browser twin is tests/browser/api.test.mjs.
#![cfg(target_arch = "wasm32")]

#[path = "common/js.rs"]
mod js_helpers;
use js_helpers::message;

use js_sys::{Float64Array, Function, Reflect, Uint8Array, JSON};
use leadforest::wasm::{self, Model};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn num(v: &JsValue, key: &str) -> f64 {
    get(v, key)
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number"))
}

fn demo(rows: u32) -> Uint8Array {
    Uint8Array::from(wasm::demo_csv(rows, 11).unwrap().as_bytes())
}

const QUICK: &str = r#"{"target":"Converted","drop":["Funnel Stage"],"trees":15,"seed":5}"#;

fn quick_model() -> Model {
    wasm::train(&demo(600), js(QUICK), None).unwrap()
}

#[wasm_bindgen_test]
fn progress_is_reported_every_round_and_the_model_round_trips() {
    let calls = js_sys::Array::new();
    let on_progress = Function::new_with_args("p", "this.push(p)").bind0(&calls);
    let model = wasm::train(&demo(600), js(QUICK), Some(on_progress)).unwrap();
    assert!(calls.length() >= 15, "{} progress calls", calls.length());
    let first = calls.get(0);
    assert_eq!(num(&first, "round"), 1.0);
    assert_eq!(num(&first, "totalRounds"), 15.0);
    assert!(num(&first, "trainLoss") > 0.0);
    let bytes = model.to_bytes().to_vec();
    assert_eq!(&bytes[..8], b"LEADFRST");
    let back = Model::from_bytes(&Uint8Array::from(bytes.as_slice())).unwrap();
    assert_eq!(back.to_bytes().to_vec(), bytes);
    // Same options and seed: the same bytes again.
    assert_eq!(quick_model().to_bytes().to_vec(), bytes);
}

#[wasm_bindgen_test]
fn a_throwing_progress_callback_cancels_with_its_own_error() {
    let stop = Function::new_with_args("p", "if (p.round === 3) throw new Error('stop here')");
    let e = wasm::train(&demo(600), js(QUICK), Some(stop))
        .err()
        .unwrap();
    assert_eq!(message(e), "stop here");
    assert!(wasm::train(&demo(300), js(QUICK), None).is_ok());
}

#[wasm_bindgen_test]
fn scoring_a_csv_gives_typed_arrays_in_input_order() {
    let model = quick_model();
    let csv = demo(250);
    let scored = model.score_csv(&csv, JsValue::UNDEFINED).unwrap();
    assert_eq!(num(&scored, "rows"), 250.0);
    let p = get(&scored, "probability")
        .dyn_into::<Float64Array>()
        .unwrap()
        .to_vec();
    let s = get(&scored, "score")
        .dyn_into::<Uint8Array>()
        .unwrap()
        .to_vec();
    assert_eq!((p.len(), s.len()), (250, 250));
    for (p, s) in p.iter().zip(&s) {
        assert!((0.0..=1.0).contains(p));
        assert_eq!(*s, (p * 100.0).round() as u8);
    }
    // A row scored as a record gets the same probability as in the CSV.
    let text = String::from_utf8(csv.to_vec()).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.len(), row.len(), "demo rows have no quoted commas");
    let record = js_sys::Object::new();
    for (h, v) in header.iter().zip(&row) {
        Reflect::set(&record, &(*h).into(), &(*v).into()).unwrap();
    }
    let one = model
        .score_record(record.into(), JsValue::UNDEFINED)
        .unwrap();
    assert!((num(&one, "probability") - p[0]).abs() < 1e-12);
    assert_eq!(js_sys::Array::from(&get(&one, "missing")).length(), 0);
}

#[wasm_bindgen_test]
fn explanations_add_up_to_the_raw_score() {
    let model = quick_model();
    let e = model
        .explain(
            js(r#"{"Lead Source":"Referral","Pages Viewed":14,"Trial Signup":true,"Country":null}"#),
            JsValue::UNDEFINED,
        )
        .unwrap();
    let contributions = js_sys::Array::from(&get(&e, "contributions"));
    let sum: f64 = contributions.iter().map(|c| num(&c, "contribution")).sum();
    assert!((num(&e, "bias") + sum - num(&e, "raw")).abs() < 1e-9);
    let score = model
        .score_record(
            js(r#"{"Lead Source":"Referral","Pages Viewed":14,"Trial Signup":true}"#),
            JsValue::UNDEFINED,
        )
        .unwrap();
    let p = num(&score, "probability");
    assert!(p > 0.0 && p < 1.0);
    assert_eq!(num(&score, "score"), (100.0 * p).round());
    let missing = js_sys::Array::from(&get(&score, "missing"));
    assert!(missing.includes(&"Industry".into(), 0));
    assert!(!missing.includes(&"Lead Source".into(), 0));
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_and_the_module_keeps_working() {
    let csv = demo(200);
    let cases = [
        (r#"{"target":"Nope"}"#, "no column `Nope`"),
        (r#"{"targt":"Converted"}"#, "unknown field `targt`"),
        (
            r#"{"target":"Converted","algo":"xgb"}"#,
            "unknown variant `xgb`",
        ),
        (r#"{"target":"Converted","trees":0}"#, "n_trees"),
        (r#"{"target":"Converted","seed":-1}"#, "invalid value"),
    ];
    for (options, expected) in cases {
        let e = message(wasm::train(&csv, js(options), None).err().unwrap());
        assert!(e.contains(expected), "{options}: {e}");
    }
    let e = message(
        wasm::train(
            &Uint8Array::from(&b"a,b\n1,2\n3\n"[..]),
            js(r#"{"target":"b"}"#),
            None,
        )
        .err()
        .unwrap(),
    );
    assert!(e.contains("row 2"), "{e}");
    let e = Model::from_bytes(&Uint8Array::from(&b"LEADFRST\x01"[..]))
        .err()
        .unwrap();
    assert!(message(e.into()).contains("model"));
    let model = quick_model();
    let mut bytes = model.to_bytes().to_vec();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    assert!(
        Model::from_bytes(&Uint8Array::from(bytes.as_slice())).is_err(),
        "a flipped byte must be refused"
    );
    let e = model
        .score_record(js(r#"{"Pages Viewed":[1,2]}"#), JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert!(message(e.into()).contains("`Pages Viewed` must be a string, number, boolean or null"));
    assert!(model.score_records(js("{}"), JsValue::UNDEFINED).is_err());
    assert_eq!(
        num(&model.score_csv(&csv, JsValue::UNDEFINED).unwrap(), "rows"),
        200.0
    );
}

#[wasm_bindgen_test]
fn metrics_schema_and_info_describe_the_model() {
    let model = quick_model();
    let info = model.info().unwrap();
    assert_eq!(get(&info, "algo").as_string().unwrap(), "gbt");
    assert_eq!(num(&info, "seed"), 5.0);
    assert_eq!(num(&info, "rows"), 600.0);
    assert_eq!(get(&info, "version").as_string().unwrap(), wasm::version());
    let schema = model.schema().unwrap();
    let columns = js_sys::Array::from(&get(&schema, "columns"));
    assert!(columns.includes(&"Lead Source".into(), 0));
    assert!(!columns.includes(&"Funnel Stage".into(), 0), "dropped");
    assert!(
        !columns.includes(&"Phone".into(), 0),
        "personal data is never a model input"
    );
    let classes = js_sys::Array::from(&get(&schema, "classNames"));
    assert_eq!(classes.length(), 2);
    let metrics = model.metrics().unwrap();
    let auc = num(&metrics, "validAuc");
    assert!((0.5..=1.0).contains(&auc), "validAuc {auc}");
}

#[wasm_bindgen_test]
fn a_stage_model_scores_every_class_with_probabilities_that_sum_to_one() {
    // The funnel-stage classifier as the app trains it: the stage column as target, the outcome
    // (which settles `Action`) left out.
    let options = r#"{"target":"Funnel Stage","drop":["Converted"],"trees":80,"seed":5}"#;
    let model = wasm::train(&demo(800), js(options), None).unwrap();
    let names: Vec<String> = js_sys::Array::from(&get(&model.schema().unwrap(), "classNames"))
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect();
    assert_eq!(names, ["Action", "Awareness", "Decision", "Interest"]);
    let metrics = model.metrics().unwrap();
    assert!(num(&metrics, "validMacroF1") > num(&metrics, "validMajorityMacroF1"));
    let scored = model.score_csv(&demo(120), JsValue::UNDEFINED).unwrap();
    let cp = get(&scored, "classProbabilities")
        .dyn_into::<Float64Array>()
        .unwrap()
        .to_vec();
    let p = get(&scored, "probability")
        .dyn_into::<Float64Array>()
        .unwrap()
        .to_vec();
    assert_eq!(cp.len(), 120 * 4);
    for (row, &top) in cp.chunks(4).zip(&p) {
        let sum: f64 = row.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "row sums to {sum}");
        // `probability` is the most likely class's (uncalibrated for multi-class models).
        let max = row.iter().copied().fold(0.0, f64::max);
        assert!((max - top).abs() < 1e-9, "{max} vs {top}");
    }
    // Binary models have no per-class array.
    let binary = quick_model()
        .score_csv(&demo(20), JsValue::UNDEFINED)
        .unwrap();
    assert!(get(&binary, "classProbabilities").is_undefined());
}
