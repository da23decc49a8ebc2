//! Scoring a known schema streams, under Node (wasm32): `scoreCsv` and `explainCsv` read the CSV
//! straight through the model's pipeline and must equal the table path they replace — feature
//! values bit for bit, probabilities, tiers, contributions, header, rows and errors — on a demo
//! export and a hostile variant of it. The native twin (with the shared datasets) is
//! tests/data_stream.rs.
#![cfg(target_arch = "wasm32")]

#[path = "common/js.rs"]
mod js_helpers;
#[path = "common/stream.rs"]
mod stream;

use js_helpers::message;
use js_sys::{Float64Array, Reflect, Uint8Array, JSON};
use leadforest::data::Table;
use leadforest::model::leads::{ExplainOptions, ScoreOptions};
use leadforest::wasm::{self, Model};
use stream::{check_records, check_same, hostile, options, pipeline};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn floats(v: &JsValue, key: &str) -> Vec<f64> {
    get(v, key).dyn_into::<Float64Array>().unwrap().to_vec()
}

fn strings(v: &JsValue, key: &str) -> Vec<String> {
    js_sys::Array::from(&get(v, key))
        .iter()
        .map(|s| s.as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn streamed_features_equal_the_table_and_record_paths() {
    let demo = wasm::demo_csv(400, 13).unwrap();
    let p = pipeline(demo.as_bytes(), "Converted", &["Select"]);
    let s = check_same(&p, demo.as_bytes(), "demo").unwrap();
    check_records(&p, demo.as_bytes(), &s, 400, "demo");
    let h = hostile(demo.as_bytes(), ',', "Lead Source");
    let s = check_same(&p, &h, "demo (hostile)").unwrap();
    check_records(&p, &h, &s, 400, "demo (hostile)");
    for bad in [
        &b"Lead Source,Pages Viewed\nWeb,3\nAds\n"[..],
        b"Lead Source,Pages Viewed\nWe\0b,3\n",
        b"Lead Source,Pages Viewed\nWeb,3\n\"Ads,4\nWeb,5\n",
        b"",
    ] {
        assert!(check_same(&p, bad, "malformed").is_none());
    }
}

#[wasm_bindgen_test]
fn score_csv_and_explain_csv_equal_the_table_path() {
    let demo = wasm::demo_csv(700, 17).unwrap();
    let opts = JSON::parse(r#"{"target":"Converted","drop":["Funnel Stage"],"trees":20,"seed":3}"#)
        .unwrap();
    let model = wasm::train(&Uint8Array::from(demo.as_bytes()), opts, None).unwrap();
    let inner = leadforest::model::Model::from_bytes(&model.to_bytes().to_vec()).unwrap();
    let h = hostile(demo.as_bytes(), ',', "Lead Source");
    for bytes in [demo.as_bytes(), &h[..]] {
        let table = Table::from_csv(bytes, &options(&inner.pipeline.missing)).unwrap();
        let js_bytes = Uint8Array::from(bytes);
        let o = JSON::parse(r#"{"reasons":2,"percentile":true}"#).unwrap();
        let scored = model.score_csv(&js_bytes, o).unwrap();
        let lib = inner
            .score_leads(
                &table,
                &ScoreOptions {
                    reasons: Some(2),
                    percentile: true,
                    ..Default::default()
                },
                0,
            )
            .unwrap();
        assert_eq!(get(&scored, "rows").as_f64(), Some(table.n_rows as f64));
        assert_eq!(strings(&scored, "columns"), table.names());
        let p = floats(&scored, "probability");
        let want: Vec<f64> = lib.leads.iter().map(|l| l.probability).collect();
        assert_eq!(p, want);
        let d = lib.decision.as_ref().unwrap();
        let tiers: Vec<String> = lib
            .leads
            .iter()
            .map(|l| d.tiers.tiers[l.tier.unwrap()].name.clone())
            .collect();
        assert_eq!(strings(&scored, "tier"), tiers);
        // The table path's warnings come first, unchanged; unreadable cells are added after.
        let warnings = strings(&scored, "warnings");
        assert_eq!(warnings[..lib.warnings.len()], lib.warnings[..]);
        let e = model
            .explain_csv(&js_bytes, JSON::parse(r#"{"rows":[0,5,9]}"#).unwrap())
            .unwrap();
        let want = inner
            .explain_table(
                &table,
                &ExplainOptions {
                    rows: Some(vec![0, 5, 9]),
                    reasons: 0,
                },
            )
            .unwrap();
        assert_eq!(floats(&e, "contributions"), want.contributions);
        assert_eq!(get(&e, "bias").as_f64(), Some(want.bias));
    }
    // The hostile file's junk in `Pages Viewed` is named, by row and column.
    let scored = model
        .score_csv(&Uint8Array::from(&h[..]), JsValue::UNDEFINED)
        .unwrap();
    let w = strings(&scored, "warnings").join("\n");
    assert!(
        w.contains("the data has no column `Lead Source`") && w.contains("are not numbers"),
        "{w}"
    );
    // A ragged file: the table path's message, and the module keeps working.
    let ragged = b"Lead Source,Pages Viewed\nWeb,3\nAds\n";
    let want = Table::from_csv(ragged, &Default::default())
        .unwrap_err()
        .to_string();
    let e = model
        .score_csv(&Uint8Array::from(&ragged[..]), JsValue::UNDEFINED)
        .unwrap_err();
    assert_eq!(message(JsValue::from(e)), want);
    assert!(model
        .score_csv(&Uint8Array::from(demo.as_bytes()), JsValue::UNDEFINED)
        .is_ok());
    let _ = Model::from_bytes(&model.to_bytes()).unwrap();
}
