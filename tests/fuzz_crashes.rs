//! Regression tests for what `cargo fuzz` found (fuzz/README.md): each is named after the crash
//! artifact's hash and keeps the input's essence as a small, readable case.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::model::Model;

fn golden() -> Model {
    Model::from_bytes(include_bytes!("../models/golden_gbt.lf")).expect("golden model loads")
}

/// model_from_bytes: a file whose output count did not match its classes (50 margins, 3 class
/// names) loaded, and scoring then read probabilities in rows of the wrong width.
#[test]
fn fuzz_crash_66a838c_output_count_must_match_the_classes() {
    let names = |n: usize| (0..n).map(|i| format!("class {i}")).collect::<Vec<_>>();
    for (outputs, classes) in [(50, 3), (1, 3), (2, 3), (3, 4)] {
        let mut m = golden();
        m.base_score = vec![0.0; outputs];
        m.class_names = names(classes);
        let err = Model::from_bytes(&m.to_bytes())
            .err()
            .unwrap_or_else(|| panic!("{outputs} outputs / {classes} classes loaded"))
            .to_string();
        assert!(
            err.contains(&format!("{outputs} outputs for {classes} classes"))
                && err.contains("corrupt"),
            "{err}"
        );
    }
    // The consistent shapes still load: binary (1 output, 2 classes) and 3 outputs for 3 classes.
    let mut m = golden();
    m.base_score = vec![0.0; 3];
    m.class_names = names(3);
    m.trees.truncate(3);
    let back = Model::from_bytes(&m.to_bytes()).expect("3 outputs for 3 classes loads");
    assert_eq!(back.n_outputs(), 3);
    assert_eq!(
        Model::from_bytes(&golden().to_bytes()).unwrap().n_outputs(),
        1
    );
}
