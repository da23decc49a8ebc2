//! Regression tests for what `cargo fuzz` found (fuzz/README.md): each is named after the crash
//! artifact's hash and keeps the input's essence as a small, readable case.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/crafted.rs"]
mod crafted;

use leadforest::interop::ImportedEnsemble;
use leadforest::model::Model;
use leadforest::Error;

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
    m.trees_mut().truncate(3);
    // Calibration, tiers and the training profile describe a binary model: a 3-class file
    // carrying them is refused too (see the crafted cases below).
    m.scoring = None;
    m.training_profile = None;
    let back = Model::from_bytes(&m.to_bytes()).expect("3 outputs for 3 classes loads");
    assert_eq!(back.n_outputs(), 3);
    assert_eq!(
        Model::from_bytes(&golden().to_bytes()).unwrap().n_outputs(),
        1
    );
}

fn engine_leads_probabilities(m: &Model) -> Vec<f64> {
    let table = leadforest::data::Table::from_csv(
        include_bytes!("data/engine_leads.csv"),
        &leadforest::data::CsvOptions::default(),
    )
    .unwrap();
    m.score_table(&table).unwrap().probabilities
}

fn assert_fragments(name: &str, err: &str, expect: &[&str]) {
    for e in expect {
        assert!(err.contains(e), "{name}: expected `{e}` in: {err}");
    }
}

/// Issue 19: DAG "trees", a 100,000-deep chain, sections that disagree… each is refused when the
/// file loads (so no walk ever sees it), and the engine still scores the golden model the same.
#[test]
#[allow(clippy::disallowed_methods)] // native-only test: prints how long each refusal took
fn crafted_model_files_are_refused_at_load() {
    let golden = golden();
    let before = engine_leads_probabilities(&golden);
    let cases = crafted::model_cases(&golden);
    assert!(cases.len() >= 12);
    for c in cases {
        let t = std::time::Instant::now();
        let err = Model::from_bytes(&c.bytes)
            .err()
            .unwrap_or_else(|| panic!("{}: the model loaded", c.name))
            .to_string();
        eprintln!(
            "{} ({} bytes, {:?}): {err}",
            c.name,
            c.bytes.len(),
            t.elapsed()
        );
        assert_fragments(c.name, &err, &c.expect);
        let again = Model::from_bytes(include_bytes!("../models/golden_gbt.lf")).unwrap();
        assert_eq!(
            engine_leads_probabilities(&again),
            before,
            "after {}",
            c.name
        );
    }
}

/// The same for importer inputs: absurd counts are refused before anything is allocated for them,
/// inconsistent arrays and over-deep trees before a model exists.
#[test]
#[allow(clippy::disallowed_methods)] // native-only test: prints how long each refusal took
fn crafted_importer_files_are_refused() {
    for t in crafted::importer_templates() {
        let m = ImportedEnsemble::parse(t.as_bytes()).expect("the templates import");
        m.to_model(&Default::default()).expect("and convert");
    }
    for c in crafted::importer_cases() {
        let t = std::time::Instant::now();
        let err = ImportedEnsemble::parse(&c.bytes)
            .err()
            .unwrap_or_else(|| panic!("{}: the model imported", c.name))
            .to_string();
        eprintln!(
            "{} ({} bytes, {:?}): {err}",
            c.name,
            c.bytes.len(),
            t.elapsed()
        );
        assert_fragments(c.name, &err, &c.expect);
    }
}

/// `Model::from_bytes` itself refuses more than `MAX_MODEL_BYTES` (callers used to check).
#[test]
fn from_bytes_enforces_the_size_limit_itself() {
    let big = vec![0u8; leadforest::limits::MAX_MODEL_BYTES + 1];
    let e = Model::from_bytes(&big).unwrap_err();
    assert!(
        matches!(e, Error::Limit(_)) && e.to_string().contains("256 MiB"),
        "{e}"
    );
}

/// Training never writes a tree that loading would refuse: depth and leaves are capped.
#[test]
fn training_settings_past_the_tree_limits_are_refused() {
    use leadforest::train::TrainConfig;
    for (config, field) in [
        (
            TrainConfig {
                max_depth: 257,
                ..TrainConfig::default()
            },
            "max_depth",
        ),
        (
            TrainConfig {
                max_leaves: 131_073,
                ..TrainConfig::default()
            },
            "max_leaves",
        ),
    ] {
        let e = config.validate().unwrap_err().to_string();
        assert!(e.contains(field), "{e}");
    }
    assert!(TrainConfig {
        max_depth: 256,
        max_leaves: 131_072,
        ..TrainConfig::default()
    }
    .validate()
    .is_ok());
}

/// A model without a data pipeline (trained from a bare `Dataset`) loads, but drift, which reads
/// CSV columns through the pipeline, is an error instead of an index out of bounds.
#[test]
fn drift_without_a_pipeline_is_an_error() {
    use leadforest::data::FeatureKind;
    use leadforest::lifecycle::{Bins, TrainingProfile};
    let mut m = golden();
    m.pipeline = Default::default();
    m.training_profile = Some(TrainingProfile {
        rows: 0,
        features: m
            .features
            .iter()
            .map(|f| match &f.kind {
                FeatureKind::Numeric => Bins::Numeric {
                    edges: Vec::new(),
                    counts: vec![0],
                    missing: 0,
                },
                FeatureKind::Categorical { categories } => Bins::Categorical {
                    counts: vec![0; categories.len()],
                    other: 0,
                    missing: 0,
                },
            })
            .collect(),
        score: None,
        score_held_out: false,
        constant_columns: Vec::new(),
        class_counts: Vec::new(),
        privacy: None,
    });
    let m = Model::from_bytes(&m.to_bytes()).expect("a model without a pipeline loads");
    let table = leadforest::data::Table::from_csv(
        include_bytes!("data/engine_leads.csv"),
        &leadforest::data::CsvOptions::default(),
    )
    .unwrap();
    let e = leadforest::lifecycle::drift(&m, &table)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no data pipeline"), "{e}");
}
