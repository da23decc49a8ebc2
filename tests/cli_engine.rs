//! The CLI's train / eval / score / inspect on a fixture (tests/data/engine_leads.csv, 400 demo
//! leads), run as the real binary.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
#[path = "common/cli.rs"]
mod cli;
use cli::{lf, ok};

const DATA: &str = "tests/data/engine_leads.csv";
const DROP: &str = "Funnel Stage, Lead ID";

fn fails(args: &[&str]) -> String {
    let out = lf(args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-cli-engine-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn train(out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "train",
        DATA,
        "--target",
        "Converted",
        "--drop",
        DROP,
        "--out",
    ];
    args.push(out.to_str().unwrap());
    args.extend_from_slice(extra);
    ok(&args)
}

#[test]
fn train_eval_score_inspect_round_trip() {
    let model = tmp("m.lf");
    let summary = train(&model, &["--seed", "3"]);
    assert!(
        summary.contains("ROC AUC") && summary.contains("held-out"),
        "{summary}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&ok(&["eval", model.to_str().unwrap(), DATA, "--json"])).unwrap();
    assert_eq!(json["rows"], 400);
    let auc = json["auc"].as_f64().unwrap();
    assert!(auc > 0.7 && auc <= 1.0, "{auc}");
    assert!(json["pr_auc"].as_f64().unwrap() > 0.3);
    assert!(json["log_loss"].as_f64().unwrap() > 0.0);

    let text = ok(&["eval", model.to_str().unwrap(), DATA]);
    assert!(text.contains("ROC AUC"), "{text}");

    let scored = tmp("scored.csv");
    ok(&[
        "score",
        model.to_str().unwrap(),
        DATA,
        "--out",
        scored.to_str().unwrap(),
    ]);
    let input = std::fs::read_to_string(DATA).unwrap();
    let output = std::fs::read_to_string(&scored).unwrap();
    let (in_lines, out_lines): (Vec<&str>, Vec<&str>) =
        (input.lines().collect(), output.lines().collect());
    assert_eq!(in_lines.len(), out_lines.len());
    assert_eq!(
        out_lines[0],
        format!(
            "{},probability,score,tier,reason_1,reason_2,reason_3",
            in_lines[0]
        )
    );
    for (i, o) in in_lines.iter().zip(&out_lines).skip(1) {
        assert!(o.starts_with(i), "row order or content changed: {i} / {o}");
        let extra: Vec<&str> = o[i.len() + 1..].split(',').collect();
        let p: f64 = extra[0].parse().unwrap();
        let s: u32 = extra[1].parse().unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert_eq!(s, (100.0 * p).round() as u32);
        assert!(["A", "B", "C", "D"].contains(&extra[2]), "{}", extra[2]);
    }

    let inspect = ok(&["inspect", model.to_str().unwrap()]);
    assert!(
        inspect.contains("gradient-boosted") && inspect.contains("Converted"),
        "{inspect}"
    );
    assert!(
        inspect.contains("Pages Viewed") && !inspect.contains("Funnel Stage"),
        "{inspect}"
    );
}

#[test]
fn same_seed_same_file_and_rf_works() {
    let (a, b, c) = (tmp("a.lf"), tmp("b.lf"), tmp("c.lf"));
    train(&a, &["--algo", "rf", "--trees", "10"]);
    train(&b, &["--algo", "rf", "--trees", "10"]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    train(&c, &["--algo", "rf", "--trees", "10", "--seed", "9"]);
    assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    assert!(ok(&["inspect", a.to_str().unwrap()]).contains("random forest"));
}

#[test]
fn errors_name_the_file_and_say_what_to_do() {
    let e = fails(&[
        "train",
        "tests/data/nope.csv",
        "--target",
        "x",
        "--out",
        "/tmp/x.lf",
    ]);
    assert!(e.contains("tests/data/nope.csv"), "{e}");
    let e = fails(&["train", DATA, "--target", "Nope", "--out", "/tmp/x.lf"]);
    assert!(e.contains(DATA) && e.contains("Nope"), "{e}");
    let e = fails(&[
        "train",
        DATA,
        "--target",
        "Converted",
        "--algo",
        "svm",
        "--out",
        "/tmp/x.lf",
    ]);
    assert!(e.contains("gbt") && e.contains("rf"), "{e}");

    let model = tmp("for-corrupt.lf");
    train(&model, &["--trees", "5"]);
    let mut bytes = std::fs::read(&model).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0xff;
    let bad = tmp("corrupt.lf");
    std::fs::write(&bad, bytes).unwrap();
    let e = fails(&["eval", bad.to_str().unwrap(), DATA]);
    assert!(e.contains("corrupt.lf") && e.contains("corrupt"), "{e}");
    let e = fails(&["score", DATA, DATA]);
    assert!(
        e.contains("not a leadforest model") && e.contains(DATA),
        "{e}"
    );
}
