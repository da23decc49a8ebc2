//! `leadforest drift` and `leadforest retrain`, run as the real binary on small demo data.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
#[path = "common/cli.rs"]
mod cli;
use cli::{lf, ok};

fn tmp(name: &str) -> String {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("leadforest-cli-lifecycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_str().unwrap().to_string()
}

/// Demo leads (`seed`) written to a temporary file.
fn demo(name: &str, rows: &str, seed: &str) -> String {
    let path = tmp(name);
    ok(&["demo-data", "--rows", rows, "--seed", seed, "--out", &path]);
    path
}

fn train(data: &str, out: &str) {
    ok(&[
        "train",
        data,
        "--target",
        "Converted",
        "--drop",
        "Funnel Stage,Lead ID",
        "--missing",
        "Select",
        "--trees",
        "40",
        "--out",
        out,
    ]);
}

#[test]
fn drift_prints_psi_per_input_and_for_the_score() {
    let old = demo("old.csv", "2000", "7");
    let new = demo("new.csv", "1000", "8");
    let model = tmp("drift.lf");
    train(&old, &model);
    let text = ok(&["drift", &model, &new]);
    assert!(text.contains("PSI") && text.contains("score"), "{text}");
    assert!(
        text.contains("Lead Source") && text.contains("stable"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["drift", &model, &new, "--json"])).unwrap();
    assert_eq!(json["rows"], 1000);
    assert_eq!(json["reference_rows"], 2000);
    let features = json["features"].as_array().unwrap();
    assert!(features.len() >= 10);
    let psis: Vec<f64> = features
        .iter()
        .map(|f| f["psi"].as_f64().unwrap())
        .collect();
    assert!(psis.windows(2).all(|w| w[0] >= w[1]), "{psis:?}");
    assert!(features.iter().all(|f| f["level"] == "stable"), "{json}");
    assert!(json["score"]["psi"].as_f64().unwrap() < 0.1);
    // Drift against the training data itself is zero for every input.
    let itself: serde_json::Value =
        serde_json::from_str(&ok(&["drift", &model, &old, "--json"])).unwrap();
    assert!(itself["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["psi"].as_f64().unwrap() < 1e-9));
    assert!(itself["score"]["psi"].as_f64().unwrap() < 1e-9);
}

#[test]
fn drift_without_a_profile_says_to_retrain() {
    let new = demo("plain.csv", "50", "8");
    let out = lf(&["drift", "models/golden_gbt.lf", &new]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no training profile") && err.contains("retrain"),
        "{err}"
    );
}

#[test]
fn retrain_compares_recommends_and_writes_the_challenger_with_lineage() {
    let old = demo("r-old.csv", "1000", "7");
    let new = demo("r-new.csv", "500", "9");
    let model = tmp("champion.lf");
    let challenger = tmp("challenger.lf");
    train(&old, &model);
    let text = ok(&[
        "retrain",
        &model,
        &new,
        "--data",
        &old,
        "--out",
        &challenger,
    ]);
    assert!(
        text.contains("champion") && text.contains("challenger"),
        "{text}"
    );
    assert!(text.contains("recommendation: keep") || text.contains("recommendation: switch"));
    assert!(text.contains("newest period: 100 leads"), "{text}");
    assert!(
        text.contains("challenger compared: trained on 1,400 rows (1,000 old + 400 new)"),
        "{text}"
    );
    assert!(
        text.contains("the model written was refit on all 1,500 rows after the comparison"),
        "{text}"
    );
    let first_bytes = std::fs::read(&challenger).unwrap();
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "retrain",
        &model,
        &new,
        "--data",
        &old,
        "--out",
        &challenger,
        "--json",
    ]))
    .unwrap();
    let c = &json["comparison"];
    let (lo, d, hi) = (
        c["ci_low"].as_f64().unwrap(),
        c["auc_difference"].as_f64().unwrap(),
        c["ci_high"].as_f64().unwrap(),
    );
    assert!(lo <= d && d <= hi);
    assert_eq!(c["recommendation"] == "switch", lo > 0.0);
    // The lineage is the written model's: the refit on all old + new rows.
    assert_eq!(json["lineage"]["total_rows"], 1500);
    assert_eq!(json["lineage"]["old_rows"], 1000);
    assert_eq!(json["lineage"]["new_rows"], 500);
    assert_eq!(json["lineage"]["holdout_rows"], 100);
    assert_eq!(json["refit"]["rows"], 1500);
    assert_eq!(json["compared"]["total_rows"], 1400);
    assert_eq!(json["compared"]["new_rows"], 400);
    // Same inputs and seed ⇒ the same file, byte for byte.
    let bytes = std::fs::read(&challenger).unwrap();
    assert_eq!(bytes, first_bytes, "retrain is deterministic");
    let written = leadforest::model::Model::from_bytes(&bytes).unwrap();
    assert_eq!(written.info.rows, 1500);
    assert_eq!(
        json["refit"]["rounds"].as_u64(),
        Some(u64::from(written.info.rounds))
    );
    let l = written.lineage.unwrap();
    assert_eq!((l.old_rows, l.new_rows, l.total_rows), (1000, 500, 1500));
    assert_eq!(
        json["lineage"]["first_date"],
        l.first_date.as_deref().unwrap()
    );
    assert_eq!(
        json["lineage"]["last_date"],
        l.last_date.as_deref().unwrap()
    );
    let crc = format!(
        "crc32:{:08x}",
        crc32fast::hash(&std::fs::read(&model).unwrap())
    );
    assert_eq!(json["lineage"]["parent_checksum"], crc.as_str());
    // `inspect` shows the lineage the file holds: the champion's CRC, the rows, the command.
    let shown = ok(&["inspect", &challenger]);
    assert!(
        shown.contains(&format!("lineage     parent {crc}\n")),
        "{shown}"
    );
    assert!(
        // The written model's lineage: the refit on all rows, the newest 100 included.
        shown.contains("1,500 training rows (1,000 old + 500 new), 100 new rows held out"),
        "{shown}"
    );
    assert!(shown.contains("made by `leadforest retrain "), "{shown}");
    assert!(shown.contains("profile     yes: "), "{shown}");
    let inspected: serde_json::Value =
        serde_json::from_str(&ok(&["inspect", &challenger, "--json"])).unwrap();
    assert_eq!(inspected["lineage"], json["lineage"]);
    // The champion was trained from data: no lineage, said so.
    assert!(ok(&["inspect", &model]).contains("lineage     none recorded"));
    // The challenger is a working model with its own profile: drift runs on it.
    assert!(ok(&["drift", &challenger, &new]).contains("score"));
    // Without old data and a window too short to hold a class pair, the error is clear.
    let out = lf(&["retrain", &model, &new, "--window", "0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("window_days"));
}

/// The `validation` line of `leadforest inspect`'s text and the section's later lines.
fn section<'a>(text: &'a str, label: &str) -> Vec<&'a str> {
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with(&format!("  {label:<11} ")));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {label} in {text}"));
    std::iter::once(&first[14..])
        .chain(
            lines
                .take_while(|l| l.starts_with("              "))
                .map(|l| l.trim()),
        )
        .collect()
}

#[test]
fn inspect_eval_and_report_say_how_a_kfold_model_was_validated() {
    let data = demo("v-kfold.csv", "900", "5");
    let model = tmp("kfold.lf");
    ok(&[
        "train",
        &data,
        "--target",
        "Converted",
        "--drop",
        "Funnel Stage,Lead ID",
        "--trees",
        "20",
        "--validation",
        "kfold",
        "--folds",
        "3",
        "--out",
        &model,
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["inspect", &model, "--json"])).unwrap();
    let v = &json["validation"];
    assert_eq!(v["mode"], "kfold");
    assert_eq!(v["requested"], "kfold");
    assert_eq!(v["folds"].as_array().unwrap().len(), 3);
    assert_eq!(v["test_rows"], 900);
    let (auc, sd) = (
        v["metrics"]["auc"].as_f64().unwrap(),
        v["sd"]["auc"].as_f64().unwrap(),
    );
    assert!(sd > 0.0);
    assert_eq!(json["lineage"], serde_json::Value::Null);
    assert_eq!(json["training_profile"]["rows"], 900);
    assert_eq!(
        json["training_profile"]["inputs"].as_u64().unwrap(),
        json["features"].as_u64().unwrap()
    );
    // The text shows the same figures the file holds.
    let text = ok(&["inspect", &model]);
    let lines = section(&text, "validation");
    assert!(lines[0].starts_with("3-fold cross validation"), "{text}");
    assert_eq!(
        lines[1],
        "mode 3-fold (asked for kfold); trained on 900 rows, tested on 900"
    );
    assert!(
        lines[2].starts_with(&format!(
            "mean ± sd over 3 folds: AUC {auc:.3} ± {sd:.3} · "
        )),
        "{text}"
    );
    let fold1 = v["folds"][0]["auc"].as_f64().unwrap();
    assert!(lines[3].starts_with(&format!(
        "fold 1: {} test rows, AUC {fold1:.3}",
        v["folds"][0]["test_rows"]
    )));
    let summary = v["summary"].as_str().unwrap();
    assert!(
        summary.ends_with(&format!(
            "AUC {auc:.3} ± {sd:.3} over 3 folds (mean ± sd of the per-fold figures)"
        )),
        "{summary}"
    );
    assert!(section(&text, "profile")[0].starts_with("yes: "));

    // eval: one line in the text, the report in --json beside the fields it always had.
    let new = demo("v-new.csv", "300", "11");
    let eval = ok(&["eval", &model, &new]);
    assert!(
        eval.contains(&format!("\n  validated at training: {summary}\n")),
        "{eval}"
    );
    let ej: serde_json::Value =
        serde_json::from_str(&ok(&["eval", &model, &new, "--json"])).unwrap();
    assert!(ej["auc"].is_f64() && ej["rows"] == 300);
    assert_eq!(ej["validated_at_training"]["summary"], summary);
    assert_eq!(ej["validated_at_training"]["mode"], "kfold");

    // report: the line on stdout and a section in the page.
    let html = tmp("kfold.html");
    let out = ok(&["report", &model, &new, "--out", &html]);
    assert!(
        out.contains(&format!("validated at training: {summary}")),
        "{out}"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(&format!(
        "<section id=\"validation\"><h2>How the model was validated</h2><p>{}.</p>",
        summary.replace('&', "&amp;")
    )));
}

#[test]
fn a_time_split_on_a_hostile_date_column_name_is_shown_and_escaped() {
    // The demo's date column renamed to something that must not reach the HTML as markup.
    let plain = demo("v-time-src.csv", "800", "3");
    let csv =
        std::fs::read_to_string(&plain)
            .unwrap()
            .replacen("Created Date", "Created <u>Date</u>", 1);
    let data = tmp("v-time.csv");
    std::fs::write(&data, csv).unwrap();
    let model = tmp("time.lf");
    ok(&[
        "train",
        &data,
        "--target",
        "Converted",
        "--drop",
        "Funnel Stage,Lead ID",
        "--trees",
        "20",
        "--out",
        &model,
    ]);
    let text = ok(&["inspect", &model]);
    let lines = section(&text, "validation");
    assert!(
        lines[0]
            .starts_with("time-ordered split on `Created <u>Date</u>`: trained on 640 rows up to "),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "mode time (asked for auto); trained on 640 rows, tested on 160 (20 % asked)"
    );
    assert!(
        lines[2].starts_with("ordered by `Created <u>Date</u>`; training up to 20"),
        "{text}"
    );
    assert!(lines[3].starts_with("AUC 0."), "{text}");
    let html = tmp("time.html");
    ok(&["report", &model, &data, "--out", &html]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page
        .contains("time-ordered split on `Created &lt;u&gt;Date&lt;/u&gt;`: trained on 640 rows"));
    assert!(!page.contains("<u>"));
}
