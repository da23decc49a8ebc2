//! Checks shared by the importer targets: what an importer accepts must score rows (margins and
//! probabilities in range), convert to a leadforest model or give an `Error`, and a converted
//! model's bytes must load back and score a record; ONNX export gives bytes or an `Error`.

use leadforest::interop::{ConvertOptions, ImportedEnsemble};
use leadforest::model::Model;

/// Runs an imported ensemble through everything downstream of the importer.
pub fn check(imported: &ImportedEnsemble, seed: u8) {
    let k = imported.objective.n_outputs();
    assert!(k >= 1);
    assert_eq!(imported.tree_class.len(), imported.trees.len());
    assert_eq!(imported.base_margin.len(), k);
    let n = imported.features.len();
    let values = [f64::NAN, 0.0, 1.0, -1.0, 1e-36, 3.5, 1e300, f64::from(seed)];
    for r in 0..4 {
        let mut row: Vec<f64> = (0..n)
            .map(|f| values[(f + r * 3 + seed as usize) % values.len()])
            .collect();
        imported.prepare_row(&mut row);
        let margins = imported.margins(&row);
        assert_eq!(margins.len(), k);
        for p in imported.probabilities(&margins) {
            assert!(p.is_nan() || (0.0..=1.0).contains(&p), "probability {p}");
        }
    }
    let names: Vec<&str> = imported.features.iter().map(|f| f.name.as_str()).collect();
    if !names.is_empty() && names.iter().all(|h| !h.contains(['"', ',', '\n', '\r'])) {
        let csv = format!("{}\n{}\n", names.join(","), vec!["1"; n].join(","));
        let _ = imported.rows_from_csv(csv.as_bytes());
        if let Ok(schema) = imported.read_schema(csv.as_bytes()) {
            let options = ConvertOptions {
                schema: Some(&schema),
                origin: "fuzz",
            };
            let _ = imported.to_model(&options).map(|m| loads_back(&m));
        }
    }
    let _ = imported.to_onnx();
    let options = ConvertOptions {
        schema: None,
        origin: "fuzz",
    };
    if let Ok(model) = imported.to_model(&options) {
        loads_back(&model);
        let _ = leadforest::interop::model_to_onnx(&model);
    }
}

/// A converted model's file bytes load to a model that scores a record the same way.
fn loads_back(model: &Model) {
    let bytes = model.to_bytes();
    let back = Model::from_bytes(&bytes).expect("a converted model's bytes load");
    let get = |name: &str| (name.len() % 3 != 0).then(|| "1".to_string());
    let a = model.score_record(&get);
    let b = back.score_record(&get);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!(
            x.to_bits() == y.to_bits() || x.is_nan() && y.is_nan(),
            "{x} vs {y} after loading"
        );
    }
}
