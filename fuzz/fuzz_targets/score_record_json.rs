//! Fuzzes record scoring from JSON, the path of the WASM API's `scoreRecord`/`scoreRecords`/
//! `explain`: JSON text → field name → cell text (strings as given, numbers and booleans as the
//! text a CSV would hold, null = missing; arrays/objects refused) → the model's pipeline → trees →
//! probability, calibrated score and tier, TreeSHAP reasons. Any input must give a score or an
//! error, never a panic; probabilities stay in [0, 1] and contributions add up to the margin.
//!
//! The JSON → record reading is the library's `leadforest::model::record_from_json`, the one the
//! WASM API calls.
//!
//! The first byte picks the model: the golden GBT, the golden random forest, or an imported
//! LightGBM multi-class model (all from committed files); the rest is the JSON text.
#![no_main]

use std::sync::OnceLock;

use leadforest::explain::Explainer;
use leadforest::interop::{ConvertOptions, ImportedEnsemble};
use leadforest::model::{record_from_json, Model, Record};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn models() -> &'static [Model] {
    static MODELS: OnceLock<Vec<Model>> = OnceLock::new();
    MODELS.get_or_init(|| {
        let lgb = ImportedEnsemble::parse(include_bytes!(
            "../../tests/data/interop/lgb_multiclass.txt"
        ))
        .expect("fixture parses");
        let options = ConvertOptions {
            schema: None,
            origin: "fuzz",
        };
        vec![
            Model::from_bytes(include_bytes!("../../models/golden_gbt.lf")).expect("golden model"),
            Model::from_bytes(include_bytes!("../../models/golden_rf.lf")).expect("golden model"),
            lgb.to_model(&options).expect("fixture converts"),
        ]
    })
}

fn score(model: &Model, record: &Record) {
    let get = |name: &str| record.get(name).cloned().flatten();
    let row = model.pipeline.encode_record(&get);
    assert_eq!(row.len(), model.pipeline.features.len());
    let raw = model.predict_row(&row);
    let probs = model.probabilities(&raw);
    assert_eq!(
        probs,
        model.score_record(&get),
        "two scoring paths disagree"
    );
    for &p in &probs {
        assert!((0.0..=1.0).contains(&p), "probability {p} out of [0, 1]");
    }
    let best = probs.iter().copied().fold(0.0, f64::max);
    let scoring = model.scoring.clone().unwrap_or_default();
    let lead = scoring.score(best);
    assert!(lead.score <= 100 && (0.0..=1.0).contains(&lead.probability));
    let _ = scoring.tier_name(lead.tier);
    if model.n_outputs() == 1 {
        let mut explainer = Explainer::new(&model.trees, &model.base_score, model.features.len())
            .expect("committed models explain");
        let c = explainer.explain(&row, 0);
        let total = c.total();
        assert!(
            (total - raw[0]).abs() <= 1e-9 * (1.0 + raw[0].abs()),
            "SHAP sum {total} vs margin {}",
            raw[0]
        );
        let reasons = leadforest::explain::reasons(&c.values, &row, &model.pipeline, 3);
        for r in reasons.positive.iter().chain(&reasons.negative) {
            assert!(!r.text.is_empty());
        }
        for (f, &x) in row.iter().enumerate() {
            let _ = model.pipeline.describe_value(f, x);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, json)) = data.split_first() else {
        return;
    };
    let models = models();
    let model = &models[pick as usize % models.len()];
    let Ok(value) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    match value {
        // scoreRecords: an array of records, all or nothing.
        Value::Array(items) => {
            let Ok(records) = items
                .into_iter()
                .map(record_from_json)
                .collect::<Result<Vec<_>, _>>()
            else {
                return;
            };
            for r in &records {
                score(model, r);
            }
        }
        other => {
            if let Ok(r) = record_from_json(other) {
                score(model, &r);
            }
        }
    }
});
