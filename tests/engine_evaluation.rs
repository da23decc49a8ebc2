//! The evaluation report the engine owns: measured at training on the rows that validated the
//! model, stored in the model file (old files still load, without one), and shown by the CLI's
//! `train`, `eval`, `inspect` with the same figures.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli;

use leadforest::model::evaluation::RowsKind;
use leadforest::model::Model;
use leadforest::train::{toy_dataset, TrainConfig, Trainer};
use std::ops::ControlFlow;
use std::path::PathBuf;

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lf-evaluation-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn old_model_files_load_without_a_report() {
    for golden in ["models/golden_gbt.lf", "models/golden_rf.lf"] {
        let m = Model::from_bytes(&std::fs::read(golden).unwrap()).unwrap();
        assert!(m.evaluation.is_none(), "{golden}");
        assert!(m.trained_at.is_none(), "{golden}");
    }
    // `inspect --json` says so with a null.
    let out = cli::ok(&["inspect", "models/golden_gbt.lf", "--json"]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        j["evaluation"].is_null() && j["trained_at"].is_null(),
        "{out}"
    );
}

#[test]
fn the_report_is_measured_on_the_held_out_rows_and_survives_the_file() {
    let config = TrainConfig {
        n_trees: 40,
        ..TrainConfig::default()
    };
    let fitted = Trainer::new(config)
        .fit_detailed(&toy_dataset(2000, 3), &mut |_| ControlFlow::Continue(()))
        .unwrap();
    let mut model = fitted.model;
    let h = fitted.holdout.unwrap();
    let e = model.evaluation.clone().expect("a report");
    assert_eq!(e.rows.kind, RowsKind::HeldOut);
    assert_eq!(e.rows.rows, h.rows.len() as u64);
    let y: Vec<bool> = h.labels.iter().map(|&l| l == 1).collect();
    let auc = leadforest::metrics::roc_auc(&h.probabilities, &y, None).unwrap();
    assert_eq!(e.metrics.auc, Some(auc));
    let valid_auc = model.info.metrics.iter().find(|m| m.name == "valid_auc");
    assert_eq!(valid_auc.map(|m| m.value), Some(auc));
    assert_eq!(model.validation.as_ref().unwrap().metrics.auc, Some(auc));
    assert!(
        e.rows.description.contains("held-out rows"),
        "{}",
        e.rows.description
    );
    // (toy datasets have no pipeline, so no CSV columns to group the importance by)
    assert!(e.importance_rows > 0);
    assert_eq!(e.baselines.len(), 3, "model, points, random");
    // The default threshold is the best F1 on these rows, and it calls leads.
    let t = e.threshold.as_ref().unwrap();
    assert!(t.at.leads > 0);
    let best = e.thresholds.iter().map(|r| r.f1).fold(0.0, f64::max);
    assert!(t.at.f1 + 1e-12 >= best, "{} < {best}", t.at.f1);
    // Round trip through the file, with a training date.
    model.trained_at = Some("2026-12-06".into());
    let back = Model::from_bytes(&model.to_bytes()).unwrap();
    assert_eq!(back.evaluation, model.evaluation);
    assert_eq!(back.trained_at.as_deref(), Some("2026-12-06"));
}

#[test]
fn cli_train_eval_and_inspect_show_the_same_report() {
    let dir = workdir("cli");
    let csv = dir.join("demo.csv");
    let model = dir.join("m.lf");
    let p = |x: &PathBuf| x.to_str().unwrap().to_string();
    cli::ok(&["demo-data", "--rows", "1500", "--out", &p(&csv)]);
    let out = cli::ok(&[
        "train",
        &p(&csv),
        "--target",
        "Converted",
        "--drop",
        "Funnel Stage",
        "--trees",
        "60",
        "--out",
        &p(&model),
        "--json",
    ]);
    let train: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = &train["evaluation"];
    assert_eq!(e["rows"]["kind"], "latest");
    let auc = e["metrics"]["auc"].as_f64().unwrap();
    assert_eq!(train["metrics"]["valid_auc"].as_f64(), Some(auc));
    assert_eq!(train["validation"]["metrics"]["auc"].as_f64(), Some(auc));
    let inspect: serde_json::Value =
        serde_json::from_str(&cli::ok(&["inspect", &p(&model), "--json"])).unwrap();
    assert_eq!(&inspect["evaluation"], e);
    // The CLI knows the date: today by default, in the model (the engine reads no clock).
    let date = inspect["trained_at"].as_str().unwrap();
    assert_eq!(train["trained_at"].as_str(), Some(date));
    assert!(
        date.len() == 10 && date.starts_with("20") && &date[4..5] == "-",
        "{date}"
    );
    // eval --json: every field it had, plus the report on this file and the stored one.
    let out = cli::ok(&["eval", &p(&model), &p(&csv), "--json"]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "rows",
        "positives",
        "auc",
        "pr_auc",
        "log_loss",
        "brier",
        "ece",
        "at_threshold",
        "gains",
        "reliability",
        "rows_skipped",
        "validated_at_training",
        "evaluation",
        "evaluation_at_training",
    ] {
        assert!(j.get(key).is_some(), "{key} missing: {out}");
    }
    assert_eq!(j["evaluation"]["rows"]["kind"], "this-file");
    assert_eq!(j["evaluation"]["metrics"]["auc"], j["auc"]);
    assert_eq!(&j["evaluation_at_training"], e);
    let text = cli::ok(&["inspect", &p(&model)]);
    assert!(
        text.contains("evaluation  ") && text.contains("held-out rows"),
        "{text}"
    );
}

#[test]
fn cli_score_composes_like_the_library_the_js_api_calls() {
    // `Model::score_leads` is what the JS API's scoreCsv converts; the CLI's probability, score and
    // tier columns must be the same numbers, with the model's threshold and with a capacity.
    let dir = workdir("score");
    let csv = dir.join("demo.csv");
    let model_path = dir.join("m.lf");
    let p = |x: &PathBuf| x.to_str().unwrap().to_string();
    cli::ok(&[
        "demo-data",
        "--rows",
        "800",
        "--seed",
        "3",
        "--out",
        &p(&csv),
    ]);
    cli::ok(&[
        "train",
        &p(&csv),
        "--target",
        "Converted",
        "--drop",
        "Funnel Stage",
        "--trees",
        "40",
        "--out",
        &p(&model_path),
    ]);
    let model = Model::from_bytes(&std::fs::read(&model_path).unwrap()).unwrap();
    let table = leadforest::data::Table::from_csv(
        &std::fs::read(&csv).unwrap(),
        &leadforest::data::CsvOptions::default(),
    )
    .unwrap();
    use leadforest::model::leads::{Capacity, ScoreOptions, TopLeads};
    for (flags, options) in [
        (vec![], ScoreOptions::default()),
        (
            vec!["--top", "100"],
            ScoreOptions {
                capacity: Some(Capacity::Top(TopLeads { top: 100 })),
                ..ScoreOptions::default()
            },
        ),
    ] {
        let lib = model.score_leads(&table, &options, 0).unwrap();
        let d = lib.decision.as_ref().unwrap();
        let args: Vec<String> = [
            vec![
                "score".to_string(),
                p(&model_path),
                p(&csv),
                "--reasons".into(),
                "0".into(),
            ],
            flags.iter().map(|s| s.to_string()).collect(),
        ]
        .concat();
        let out = cli::ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let mut rows = csv::Reader::from_reader(out.as_bytes());
        let header = rows.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (pc, sc, tc) = (col("probability"), col("score"), col("tier"));
        let mut n = 0;
        for (r, lead) in rows.records().zip(&lib.leads) {
            let r = r.unwrap();
            assert_eq!(r[pc].to_string(), format!("{:.6}", lead.probability));
            assert_eq!(r[sc].parse::<u8>().unwrap(), lead.score);
            assert_eq!(r[tc].to_string(), d.tiers.tiers[lead.tier.unwrap()].name);
            n += 1;
        }
        assert_eq!(n, 800);
        if !flags.is_empty() {
            let a = lib.leads.iter().filter(|l| l.tier == Some(0)).count();
            assert!(a <= 100 && a > 90, "top 100 → {a} leads in tier A");
            assert_eq!(
                lib.leads
                    .iter()
                    .filter(|l| l.decision == Some(true))
                    .count(),
                a
            );
        }
    }
    // The app passes the threshold in use, which starts at the model's own: that is the model's
    // decision, with the same tiers as no threshold at all.
    let own = model.scoring.as_ref().unwrap().threshold;
    let plain = model
        .score_leads(&table, &ScoreOptions::default(), 0)
        .unwrap();
    let same = model
        .score_leads(
            &table,
            &ScoreOptions {
                threshold: Some(own),
                ..ScoreOptions::default()
            },
            0,
        )
        .unwrap();
    let tiers = |s: &leadforest::model::leads::ScoredLeads| -> Vec<Option<usize>> {
        s.leads.iter().map(|l| l.tier).collect()
    };
    assert_eq!(tiers(&plain), tiers(&same));
    assert_eq!(plain.decision, same.decision);
    // Reasons: the CLI's reason_1..3 are exactly the first three of the library's (and so the
    // JS API's) reasons for every lead — the score's side first, each side strongest first.
    let lib = model
        .score_leads(
            &table,
            &ScoreOptions {
                reasons: Some(3),
                ..ScoreOptions::default()
            },
            0,
        )
        .unwrap();
    let out = cli::ok(&["score", &p(&model_path), &p(&csv), "--reasons", "3"]);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    let first = header.iter().position(|h| h == "reason_1").unwrap();
    let mut opened_down = 0;
    for (r, lead) in rows.records().zip(&lib.leads) {
        let r = r.unwrap();
        let cli: Vec<&str> = (first..first + 3)
            .map(|i| &r[i])
            .filter(|c| !c.is_empty())
            .collect();
        let js: Vec<&str> = lead
            .reasons
            .iter()
            .take(3)
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(cli, js);
        opened_down += usize::from(js.first().is_some_and(|t| t.ends_with('↓')));
    }
    // Both orders occur on this file (cold leads open with ↓, hot leads with ↑).
    assert!(opened_down > 0 && opened_down < 800, "{opened_down}");
}
