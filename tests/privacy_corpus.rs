//! Nothing personal in a model file: the hostile privacy corpus (tests/common/privacy_corpus.rs,
//! personal data in eight languages plus a real signal) trained with default settings must give
//! a model whose bytes hold none of the corpus's personal values, while it still learns the
//! signal on held-out leads. The WASM twin is tests/wasm_privacy.rs.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli;
#[path = "common/privacy_corpus.rs"]
mod privacy_corpus;

use leadforest::data::{CsvOptions, DatasetOptions, Table};
use leadforest::model::Model;
use leadforest::train::{TrainConfig, Trainer};
use privacy_corpus::{corpus, personal_in_bytes, PERSONAL_COLUMNS, USEFUL_COLUMNS};
use std::ops::ControlFlow;

fn table(csv: &str) -> Table {
    Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap()
}

fn train(csv: &str) -> Model {
    Trainer::new(TrainConfig::default())
        .fit_table(
            &table(csv),
            &DatasetOptions::target("Converted"),
            &mut |_| ControlFlow::Continue(()),
        )
        .unwrap()
        .model
}

/// Held-out AUC of `model` on a corpus drawn with another seed.
fn held_out_auc(model: &Model) -> f64 {
    let test = corpus(1500, 99);
    let t = table(&test.csv);
    let scores = model.score_table(&t).unwrap();
    let y = t.column("Converted").unwrap();
    let labels: Vec<bool> = (0..t.n_rows).map(|r| y.text(r) == Some("Yes")).collect();
    leadforest::metrics::roc_auc(&scores.probabilities, &labels, None).unwrap()
}

#[test]
fn the_corpus_model_stores_nothing_personal_and_still_learns() {
    let c = corpus(3000, 7);
    assert!(
        c.personal.len() > 3000,
        "{} personal values",
        c.personal.len()
    );
    let model = train(&c.csv);
    let bytes = model.to_bytes();
    let found = personal_in_bytes(&bytes, &c.personal);
    assert!(
        found.is_empty(),
        "personal values in the model file: {found:?}"
    );
    // Nor in any listed string (the same thing, from the other side).
    for s in model.stored_strings() {
        assert!(
            personal_in_bytes(s.value.as_bytes(), &c.personal).is_empty(),
            "{s:?}"
        );
    }
    let sources: Vec<&str> = model.features.iter().map(|f| f.source.as_str()).collect();
    for col in PERSONAL_COLUMNS {
        // The e-mail column gives its domain and free-mail flag, never the addresses.
        let derived_only = model
            .features
            .iter()
            .filter(|f| f.source == col)
            .all(|f| f.name.ends_with(": domain") || f.name.ends_with(": free mail"));
        assert!(derived_only, "`{col}` is a feature: {sources:?}");
    }
    for col in USEFUL_COLUMNS {
        assert!(sources.contains(&col), "`{col}` was lost: {sources:?}");
    }
    let auc = held_out_auc(&model);
    assert!(auc > 0.7, "held-out AUC {auc}");
}

#[test]
fn the_profile_says_why_each_personal_column_is_left_out() {
    let c = corpus(800, 3);
    let t = table(&c.csv);
    let p = leadforest::data::Profile::new(&t, &DatasetOptions::target("Converted")).unwrap();
    for col in PERSONAL_COLUMNS {
        let cp = p.columns.iter().find(|x| x.name == col).unwrap();
        let why = cp.excluded_because.as_deref().unwrap_or("");
        assert!(
            why.contains("personal data") || why.contains("free text"),
            "`{col}` ({}): {why:?}",
            cp.kind
        );
        assert!(cp.top_values.is_empty(), "`{col}` lists its values");
    }
    let birth = p.columns.iter().find(|x| x.name == "Datum").unwrap();
    assert!(
        birth
            .excluded_because
            .as_deref()
            .unwrap()
            .contains("`Created`"),
        "{birth:?}"
    );
    for col in USEFUL_COLUMNS {
        let cp = p.columns.iter().find(|x| x.name == col).unwrap();
        assert!(cp.excluded_because.is_none(), "`{col}`: {cp:?}");
    }
}

#[test]
fn allowing_a_personal_column_is_explicit_and_recorded() {
    let dir = std::env::temp_dir().join(format!("lf-privacy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("corpus.csv");
    std::fs::write(&csv, corpus(1000, 5).csv).unwrap();
    let model = dir.join("m.lf");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "train",
            csv.to_str().unwrap(),
            "--target",
            "Converted",
            "--trees",
            "20",
            "--out",
            model.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        cli::lf(&args)
    };
    let o = run(&[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let notes = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        notes.contains("`Lead Owner` excluded: personal data (staff names"),
        "{notes}"
    );
    let strings = cli::ok(&["inspect", model.to_str().unwrap(), "--strings"]);
    assert!(!strings.contains("Hannelore Brandt"), "{strings}");
    assert!(
        strings.contains("values used by fewer than 10 training rows are not stored"),
        "{strings}"
    );

    let o = run(&["--allow-personal", "Lead Owner"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let notes = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        notes.contains("because you allowed it explicitly"),
        "{notes}"
    );
    let json = cli::ok(&["inspect", model.to_str().unwrap(), "--strings", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let has = |section: &str, value: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .any(|s| s["section"] == section && s["value"] == value)
    };
    // The reps (about 200 rows each) are now stored, and the file says who allowed what.
    assert!(has("features", "Hannelore Brandt"), "{json}");
    assert!(has("privacy", "Lead Owner"), "{json}");
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["use"].is_string()));
    // A column that does not exist is refused, naming it.
    let o = run(&["--allow-personal", "Lead Ower"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("`Lead Owner`"));
    let _ = std::fs::remove_dir_all(&dir);
}
