//! `leadforest score`'s reason columns, `report` without `--target`, multi-class scoring and
//! shadow mode, run as the real binary on the 400-lead fixture.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::explain::{group_by_source, Explainer};
use leadforest::model::Model;
use std::path::PathBuf;
use std::process::{Command, Output};

const DATA: &str = "tests/data/engine_leads.csv";

fn lf_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadforest"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = lf_env(args, &[]);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = lf_env(args, &[]);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-cli-scores-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Trains a small model on the fixture (`extra` flags appended) and returns its path.
fn train(name: &str, data: &str, target: &str, extra: &[&str]) -> PathBuf {
    let out = tmp(name);
    let mut args = vec![
        "train",
        data,
        "--target",
        target,
        "--trees",
        "30",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(&args);
    out
}

/// A CSV as header + records.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn input_header() -> Vec<String> {
    read_csv(&std::fs::read_to_string(DATA).unwrap()).0
}

/// Encoded rows of the fixture for `model`, row-major per row.
fn encoded_rows(model: &Model) -> Vec<Vec<f64>> {
    let table = leadforest::data::Table::from_csv(
        &std::fs::read(DATA).unwrap(),
        &leadforest::data::CsvOptions::default(),
    )
    .unwrap();
    let cols = model.pipeline.encode_table(&table).unwrap().columns;
    (0..table.n_rows)
        .map(|r| cols.iter().map(|c| c[r]).collect())
        .collect()
}

#[test]
fn score_adds_reasons_that_name_real_columns_and_agree_with_shap() {
    let model_path = train("binary.lf", DATA, "Converted", &["--drop", "Lead ID"]);
    let m = model_path.to_str().unwrap();
    let text = ok(&["score", m, DATA]);
    let (header, rows) = read_csv(&text);
    let input = input_header();
    let mut expected = input.clone();
    expected.extend(
        [
            "probability",
            "score",
            "tier",
            "reason_1",
            "reason_2",
            "reason_3",
        ]
        .map(String::from),
    );
    assert_eq!(header, expected);
    assert_eq!(rows.len(), 400);

    let model = Model::from_bytes(&std::fs::read(&model_path).unwrap()).unwrap();
    let mut ex = Explainer::new(model.trees(), &model.base_score, model.features.len()).unwrap();
    let encoded = encoded_rows(&model);
    let first = input.len() + 3;
    let mut checked = 0;
    for (r, row) in rows.iter().enumerate() {
        let c = ex.explain(&encoded[r], 0);
        let by_column = group_by_source(&c.values, &model.pipeline);
        // The score's side (above or below the average lead) comes first.
        let up = c.values.iter().sum::<f64>() >= 0.0;
        let mut last = f64::INFINITY;
        let mut on_side = true;
        for cell in &row[first..first + 3] {
            // "Column = value ↑": the column is one of the file's, its summed SHAP value has
            // the arrow's sign, and reasons come in the score's direction first, each side
            // strongest first.
            let (column, _) = cell.split_once(" = ").unwrap_or_else(|| panic!("{cell}"));
            assert!(
                input.iter().any(|h| h == column),
                "{column} is not a column"
            );
            let sum = by_column.iter().find(|g| g.0 == column).unwrap().1;
            match cell.chars().last() {
                Some('↑') => assert!(sum > 0.0, "{cell}: {sum}"),
                Some('↓') => assert!(sum < 0.0, "{cell}: {sum}"),
                _ => panic!("no arrow in {cell}"),
            }
            if on_side && (sum > 0.0) != up {
                // The first reason against the score: none on the score's side may follow.
                on_side = false;
                last = f64::INFINITY;
            }
            assert_eq!(
                (sum > 0.0) == up,
                on_side,
                "row {r}: {cell} on the score's side after one against it"
            );
            assert!(
                sum.abs() <= last + 1e-12,
                "row {r}: {cell} after a weaker reason on its side"
            );
            last = sum.abs();
            checked += 1;
        }
    }
    assert_eq!(checked, 1200);

    // The thread count never changes the output.
    let one = lf_env(&["score", m, DATA, "--threads", "1"], &[]);
    let two = lf_env(&["score", m, DATA], &[("RAYON_NUM_THREADS", "2")]);
    assert_eq!(one.stdout, text.as_bytes());
    assert_eq!(two.stdout, text.as_bytes());
}

#[test]
fn reasons_zero_gives_the_old_header_and_short_leads_get_empty_cells() {
    let model_path = train("binary0.lf", DATA, "Converted", &["--drop", "Lead ID"]);
    let m = model_path.to_str().unwrap();
    let (header, rows) = read_csv(&ok(&["score", m, DATA, "--reasons", "0"]));
    let mut old = input_header();
    old.extend(["probability", "score", "tier"].map(String::from));
    assert_eq!(header, old);
    assert!(rows.iter().all(|r| r.len() == old.len()));

    // A model on two columns has at most two reasons: cells 3 and 4 stay empty.
    let small = tmp("two.csv");
    let fixture = std::fs::read_to_string(DATA).unwrap();
    let (h, records) = read_csv(&fixture);
    let pick = ["Pages Viewed", "Lead Source", "Converted"]
        .map(|n| h.iter().position(|c| c == n).unwrap());
    let mut w = csv::Writer::from_path(&small).unwrap();
    w.write_record(pick.map(|i| h[i].as_str())).unwrap();
    for r in &records {
        w.write_record(pick.map(|i| r[i].as_str())).unwrap();
    }
    w.flush().unwrap();
    let s = small.to_str().unwrap();
    let two = train("two.lf", s, "Converted", &[]);
    let (header, rows) = read_csv(&ok(&["score", two.to_str().unwrap(), s, "--reasons", "4"]));
    assert_eq!(
        &header[header.len() - 4..],
        ["reason_1", "reason_2", "reason_3", "reason_4"]
    );
    for row in &rows {
        let cells = &row[row.len() - 4..];
        assert!(!cells[0].is_empty());
        assert_eq!(cells[2], "");
        assert_eq!(cells[3], "");
    }
}

#[test]
fn report_reads_the_target_the_model_records() {
    let html = tmp("report.html");
    let h = html.to_str().unwrap();
    // The golden model records `Converted`: no --target needed.
    let out = ok(&["report", "models/golden_gbt.lf", DATA, "--out", h]);
    assert!(out.contains("400 leads") && out.contains("AUC"), "{out}");
    assert!(std::fs::read_to_string(&html).unwrap().contains("<svg"));

    // A file without that column: the error names the file, the column and the override.
    let unlabelled = tmp("unlabelled.csv");
    let text = std::fs::read_to_string(DATA).unwrap();
    let cut: String = text
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    assert!(cut.starts_with("Lead ID") && !cut.contains("Converted"));
    std::fs::write(&unlabelled, cut).unwrap();
    let u = unlabelled.to_str().unwrap();
    let err = fails(&["report", "models/golden_gbt.lf", u, "--out", h]);
    assert!(
        err.contains("unlabelled.csv") && err.contains("`Converted`") && err.contains("--target"),
        "{err}"
    );

    // An imported model records no target: it needs --target, and says so.
    let imported = tmp("imported.lf");
    let i = imported.to_str().unwrap();
    let csv = "tests/data/interop/test.csv";
    ok(&[
        "import",
        "lightgbm",
        "tests/data/interop/lgb_binary.txt",
        "--out",
        i,
        "--schema",
        csv,
    ]);
    let err = fails(&["report", i, csv, "--out", h]);
    assert!(
        err.contains("test.csv") && err.contains("--target COLUMN"),
        "{err}"
    );
    let out = ok(&["report", i, csv, "--out", h, "--target", "Converted"]);
    assert!(out.contains("1200 leads"), "{out}");
    let err = fails(&["report", i, csv, "--out", h, "--target", "Outcome"]);
    assert!(
        err.contains("`Outcome`") && err.contains("Converted"),
        "{err}"
    );
}

#[test]
fn multi_class_models_give_class_probabilities_and_the_predicted_class() {
    let model_path = train("stage.lf", DATA, "Funnel Stage", &["--drop", "Lead ID"]);
    let model = Model::from_bytes(&std::fs::read(&model_path).unwrap()).unwrap();
    let classes = model.class_names.clone();
    assert_eq!(classes.len(), 4, "{classes:?}");
    let (header, rows) = read_csv(&ok(&["score", model_path.to_str().unwrap(), DATA]));
    let input = input_header();
    let mut expected = input.clone();
    expected.extend(classes.iter().map(|c| format!("p_{c}")));
    expected.extend(["predicted_class", "reason_1", "reason_2", "reason_3"].map(String::from));
    assert_eq!(header, expected);

    let stage = input.iter().position(|h| h == "Funnel Stage").unwrap();
    let first = input.len();
    let mut ex = Explainer::new(model.trees(), &model.base_score, model.features.len()).unwrap();
    let encoded = encoded_rows(&model);
    let (mut right, mut counts) = (0, vec![0; classes.len()]);
    for (r, row) in rows.iter().enumerate() {
        let p: Vec<f64> = row[first..first + 4]
            .iter()
            .map(|x| x.parse().unwrap())
            .collect();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-5, "{p:?}");
        let best = (0..4).fold(0, |b, c| if p[c] > p[b] { c } else { b });
        assert_eq!(row[first + 4], classes[best]);
        right += usize::from(row[stage] == classes[best]);
        counts[classes.iter().position(|c| *c == row[stage]).unwrap()] += 1;
        // The reasons explain the predicted class's output.
        let c = ex.explain(&encoded[r], best);
        let by_column = group_by_source(&c.values, &model.pipeline);
        let cell = &row[first + 5];
        let (column, _) = cell.split_once(" = ").unwrap();
        let sum = by_column.iter().find(|g| g.0 == column).unwrap().1;
        // The strongest push in the direction of the class's score (its side of the average
        // lead), or the strongest overall when that side is empty.
        let up = c.values.iter().sum::<f64>() >= 0.0;
        let side = by_column
            .iter()
            .filter(|g| g.1 != 0.0 && (g.1 > 0.0) == up)
            .map(|g| g.1.abs())
            .fold(0.0, f64::max);
        let strongest = if side > 0.0 {
            side
        } else {
            by_column.iter().map(|g| g.1.abs()).fold(0.0, f64::max)
        };
        assert!((sum.abs() - strongest).abs() < 1e-12, "{cell}");
        assert_eq!(cell.ends_with('↑'), sum > 0.0, "{cell}: {sum}");
    }
    // Better than always naming the most common stage.
    assert!(
        right > *counts.iter().max().unwrap(),
        "{right} vs {counts:?}"
    );

    // `explain` on a multi-class lead: the predicted class, and contributions that add up to
    // that class's raw margin.
    let json = ok(&[
        "explain",
        model_path.to_str().unwrap(),
        DATA,
        "--row",
        "5",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["predicted_class"], rows[4][first + 4].as_str());
    let sum: f64 = v["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_f64().unwrap())
        .sum();
    let (bias, margin) = (v["bias"].as_f64().unwrap(), v["margin"].as_f64().unwrap());
    assert!(
        (bias + sum - margin).abs() < 1e-9,
        "{bias} + {sum} vs {margin}"
    );
    assert_eq!(v["probabilities"].as_array().unwrap().len(), 4);
    let text = ok(&["explain", model_path.to_str().unwrap(), DATA, "--row", "5"]);
    assert!(
        text.contains(&format!("predicted `{}`", rows[4][first + 4])),
        "{text}"
    );
}

/// The named column of a scored CSV.
fn column<'a>(header: &[String], rows: &'a [Vec<String>], name: &str) -> Vec<&'a str> {
    let i = header.iter().position(|h| h == name).unwrap();
    rows.iter().map(|r| r[i].as_str()).collect()
}

#[test]
fn shadow_mode_scores_the_previous_model_beside_the_new_one() {
    let old = train("old.lf", DATA, "Converted", &["--seed", "1"]);
    let new = train(
        "new.lf",
        DATA,
        "Converted",
        &["--seed", "2", "--learning-rate", "0.2"],
    );
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());
    let out = lf_env(&["score", n, DATA, "--shadow", o], &[]);
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let (header, rows) = read_csv(&String::from_utf8(out.stdout).unwrap());
    let tail: Vec<&str> = header[input_header().len()..]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "probability",
            "score",
            "tier",
            "shadow_score",
            "shadow_tier",
            "tier_changed",
            "reason_1",
            "reason_2",
            "reason_3"
        ]
    );

    // The shadow columns are what the old model gives on its own.
    let (old_header, old_rows) = read_csv(&ok(&["score", o, DATA, "--reasons", "0"]));
    assert_eq!(
        column(&header, &rows, "shadow_score"),
        column(&old_header, &old_rows, "score")
    );
    assert_eq!(
        column(&header, &rows, "shadow_tier"),
        column(&old_header, &old_rows, "tier")
    );
    let tier = column(&header, &rows, "tier");
    let shadow_tier = column(&header, &rows, "shadow_tier");
    let changed = column(&header, &rows, "tier_changed");
    let mut moves: Vec<(String, usize)> = Vec::new();
    for ((t, s), c) in tier.iter().zip(&shadow_tier).zip(&changed) {
        assert_eq!(*c, if t == s { "no" } else { "yes" });
        if t != s {
            let key = format!("  {s} → {t}  ");
            match moves.iter_mut().find(|m| m.0 == key) {
                Some(m) => m.1 += 1,
                None => moves.push((key, 1)),
            }
        }
    }
    let n_changed: usize = moves.iter().map(|m| m.1).sum();
    assert!(n_changed > 0, "two different models should move some leads");
    assert!(
        stderr.contains(&format!("{n_changed} of 400 leads changed tier")),
        "{stderr}"
    );
    for (key, count) in &moves {
        assert!(
            stderr.contains(&format!("{key}{count}\n")),
            "{key}{count}: {stderr}"
        );
    }

    // The printed rank correlation is Spearman's on the two probability columns.
    let probs = |h: &[String], r: &[Vec<String>]| -> Vec<f64> {
        column(h, r, "probability")
            .iter()
            .map(|x| x.parse().unwrap())
            .collect()
    };
    let rho = leadforest::shadow::spearman(&probs(&header, &rows), &probs(&old_header, &old_rows))
        .unwrap()
        .unwrap();
    assert!(rho > 0.5 && rho < 1.0, "{rho}");
    assert!(
        stderr.contains(&format!("previous scores: {rho:.4} (400 leads)")),
        "{rho:.4}: {stderr}"
    );

    // A model against itself: identical ranks, no tier changes.
    let out = lf_env(&["score", n, DATA, "--shadow", n, "--reasons", "0"], &[]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("scores: 1.0000") && stderr.contains("0 of 400 leads"),
        "{stderr}"
    );
}

#[test]
fn shadow_mode_refuses_models_of_another_outcome() {
    let new = train("new2.lf", DATA, "Converted", &[]);
    let n = new.to_str().unwrap();
    let trial = train("trial.lf", DATA, "Trial Signup", &[]);
    let err = fails(&["score", n, DATA, "--shadow", trial.to_str().unwrap()]);
    assert!(
        err.contains("`Converted`") && err.contains("`Trial Signup`") && err.contains("trial.lf"),
        "{err}"
    );
    let stage = train("stage2.lf", DATA, "Funnel Stage", &[]);
    let err = fails(&["score", n, DATA, "--shadow", stage.to_str().unwrap()]);
    assert!(
        err.contains("stage2.lf") && err.contains("4 classes"),
        "{err}"
    );
    let err = fails(&["score", n, DATA, "--shadow", "models/nope.lf"]);
    assert!(err.contains("models/nope.lf"), "{err}");
}
