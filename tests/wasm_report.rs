//! The engine-owned evaluation report and scoring composition through the JS API under Node
//! (wasm-bindgen-test): `Model.report`, `evaluate`, `plan`, `scoreCsv` with options equal to the
//! library's `Model::score_leads` (what the CLI's `score` also calls), `explainCsv` of chosen rows,
//! and `defaultTrainOptions()` equal to the CLI's defaults.
#![cfg(target_arch = "wasm32")]

use js_sys::{Float64Array, Reflect, Uint8Array, JSON};
use leadforest::model::leads::{Capacity, ScoreOptions, TopLeads};
use leadforest::wasm::{self, Model};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn demo(rows: u32) -> Uint8Array {
    Uint8Array::from(wasm::demo_csv(rows, 11).unwrap().as_bytes())
}

const QUICK: &str = r#"{"target":"Converted","drop":["Funnel Stage"],"trees":25,"seed":5}"#;

fn engine(m: &Model) -> leadforest::model::Model {
    leadforest::model::Model::from_bytes(&m.to_bytes().to_vec()).unwrap()
}

#[wasm_bindgen_test]
fn report_is_the_stored_evaluation_in_camel_case() {
    let model = wasm::train(&demo(900), js(QUICK), None).unwrap();
    let report = model.report().unwrap();
    let inner = engine(&model);
    let e = inner.evaluation.as_ref().unwrap();
    let rows = get(&report, "rows");
    assert_eq!(get(&rows, "kind").as_string().unwrap(), "latest");
    assert_eq!(get(&rows, "rows").as_f64().unwrap(), e.rows.rows as f64);
    assert!(get(&rows, "baseRate").as_f64().is_some());
    let auc = get(&get(&report, "metrics"), "auc").as_f64().unwrap();
    assert_eq!(Some(auc), e.metrics.auc);
    assert_eq!(get(&model.metrics().unwrap(), "auc").as_f64(), Some(auc));
    assert_eq!(get(&model.info().unwrap(), "auc").as_f64(), Some(auc));
    let first = js_sys::Array::from(&get(&report, "thresholds")).get(0);
    assert!(get(&first, "truePositives").as_f64().is_some());
    // A file from before the report: null.
    let old = Model::from_bytes(&Uint8Array::from(
        &include_bytes!("../models/golden_gbt.lf")[..],
    ))
    .unwrap();
    assert!(old.report().unwrap().is_null());
    // evaluate(bytes): the same structure on "this file".
    let other = demo(400);
    let ev = model.evaluate(&other, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&get(&ev, "rows"), "kind").as_string().unwrap(),
        "this-file"
    );
    let table = leadforest::data::Table::from_csv(&other.to_vec(), &Default::default()).unwrap();
    let lib = inner.evaluate_table(&table, &Default::default()).unwrap();
    assert_eq!(get(&get(&ev, "metrics"), "auc").as_f64(), lib.metrics.auc);
    assert!(model.evaluate(&other, js(r#"{"segmnt":"x"}"#)).is_err());
    // plan: a capacity on the evaluation rows.
    let plan = model.plan(js(r#"{"capacity":{"share":0.2}}"#)).unwrap();
    assert_eq!(get(&plan, "rule").as_string().unwrap(), "capacity");
    assert_eq!(js_sys::Array::from(&get(&plan, "tiers")).length(), 4);
}

#[wasm_bindgen_test]
fn score_csv_is_the_library_composition() {
    let model = wasm::train(&demo(900), js(QUICK), None).unwrap();
    let inner = engine(&model);
    let csv = demo(300);
    let table = leadforest::data::Table::from_csv(&csv.to_vec(), &Default::default()).unwrap();
    for (json, options) in [
        ("{}", ScoreOptions::default()),
        (
            r#"{"capacity":{"top":30},"percentile":true,"reasons":2}"#,
            ScoreOptions {
                capacity: Some(Capacity::Top(TopLeads { top: 30 })),
                percentile: true,
                reasons: Some(2),
                ..ScoreOptions::default()
            },
        ),
    ] {
        let scored = model.score_csv(&csv, js(json)).unwrap();
        let lib = inner.score_leads(&table, &options, 0).unwrap();
        let p = get(&scored, "probability")
            .dyn_into::<Float64Array>()
            .unwrap()
            .to_vec();
        let tiers = js_sys::Array::from(&get(&scored, "tier"));
        let d = lib.decision.as_ref().unwrap();
        assert_eq!(get(&scored, "threshold").as_f64(), Some(d.threshold));
        for (i, lead) in lib.leads.iter().enumerate() {
            assert_eq!(p[i], lead.probability);
            let t = &d.tiers.tiers[lead.tier.unwrap()].name;
            assert_eq!(tiers.get(i as u32).as_string().as_ref(), Some(t));
        }
        if options.reasons == Some(2) {
            let reasons = js_sys::Array::from(&get(&scored, "reasons"));
            assert_eq!(reasons.length(), 300);
            let pct = get(&scored, "percentile")
                .dyn_into::<Float64Array>()
                .unwrap();
            assert_eq!(pct.length(), 300);
        } else {
            assert!(get(&scored, "reasons").is_undefined());
        }
    }
    // Only the rows on screen are explained.
    let e = model
        .explain_csv(&csv, js(r#"{"rows":[5,2],"reasons":3}"#))
        .unwrap();
    assert_eq!(get(&e, "rows").as_f64(), Some(2.0));
    let idx: Vec<f64> = js_sys::Array::from(&get(&e, "rowIndices"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(idx, [5.0, 2.0]);
    assert!(model.explain_csv(&csv, js(r#"{"rows":[300]}"#)).is_err());
}

#[wasm_bindgen_test]
fn default_train_options_are_the_cli_defaults() {
    let d = wasm::default_train_options().unwrap();
    assert_eq!(get(&d, "seed").as_f64(), Some(42.0));
    assert_eq!(get(&d, "validation").as_string().unwrap(), "auto");
    assert_eq!(get(&d, "algo").as_string().unwrap(), "gbt");
    assert_eq!(get(&d, "testFraction").as_f64(), Some(0.2));
    // Read back (with a target) they are accepted as they are.
    Reflect::set(&d, &"target".into(), &"Converted".into()).unwrap();
    Reflect::set(&d, &"drop".into(), &js(r#"["Funnel Stage"]"#)).unwrap();
    Reflect::set(&d, &"trees".into(), &JsValue::from(10)).unwrap();
    assert!(wasm::train(&demo(300), d, None).is_ok());
}
