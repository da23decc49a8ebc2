//! Value-weighted gains on a shared real dataset: Hillstrom's e-mail campaign
//! (`../shared/datasets/hillstrom_email/hillstrom.csv`, 64,000 customers; target `conversion`,
//! value `spend` in dollars, `spend > 0` exactly when `conversion = 1`). A model trained on every
//! 4th row (`visit` and `spend` dropped: they are outcomes) is evaluated with `eval --value spend`
//! on a disjoint quarter of the rows; the CLI's figures must equal an independent computation
//! from the model's own probabilities, the converted total must equal the hand sum of `spend`,
//! and the model's top half must hold more than half of the revenue.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli;

use leadforest::data::{CsvOptions, Table};
use leadforest::model::Model;
use std::path::PathBuf;

fn hillstrom() -> String {
    let path = ["../shared/datasets", "../../shared/datasets"]
        .iter()
        .map(|d| std::path::Path::new(d).join("hillstrom_email/hillstrom.csv"))
        .find(|p| p.exists())
        .expect("hillstrom.csv in ../shared/datasets (CI has ../shared beside the clone)");
    std::fs::read_to_string(path).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-crm-value-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Every 4th data row starting at `offset`, with the header.
fn quarter(text: &str, offset: usize) -> String {
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for l in lines.skip(offset).step_by(4) {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// The captured share at each top %, computed independently of `leadforest::value`: every row's
/// inclusion fraction is the part of its tie group above the cut.
fn independent_shares(probs: &[f64], won: &[f64], pcts: &[u32]) -> Vec<f64> {
    let n = probs.len();
    let total: f64 = won.iter().sum();
    pcts.iter()
        .map(|&pct| {
            let cut = n as f64 * pct as f64 / 100.0;
            let mut captured = 0.0;
            for i in 0..n {
                if won[i] == 0.0 {
                    continue;
                }
                let above = probs.iter().filter(|&&q| q > probs[i]).count() as f64;
                let tied = probs.iter().filter(|&&q| q == probs[i]).count() as f64;
                captured += won[i] * ((cut - above) / tied).clamp(0.0, 1.0);
            }
            captured / total
        })
        .collect()
}

#[test]
fn hillstrom_spend_captured_by_the_top_leads() {
    let text = hillstrom();
    let train = tmp("hillstrom-train.csv");
    let test = tmp("hillstrom-test.csv");
    std::fs::write(&train, quarter(&text, 0)).unwrap();
    let test_csv = quarter(&text, 2);
    std::fs::write(&test, &test_csv).unwrap();
    let model_path = tmp("hillstrom.lfm");
    cli::ok(&[
        "train",
        train.to_str().unwrap(),
        "--target",
        "conversion",
        "--drop",
        "visit,spend",
        "--trees",
        "60",
        "--out",
        model_path.to_str().unwrap(),
    ]);
    let json = cli::ok(&[
        "eval",
        model_path.to_str().unwrap(),
        test.to_str().unwrap(),
        "--value",
        "spend",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let value = &v["value"];
    assert_eq!(value["column"], "spend");
    assert_eq!(value["rows"], 16_000);

    // The converted total is the hand sum of `spend` over converted rows.
    let table = Table::from_csv(test_csv.as_bytes(), &CsvOptions::default()).unwrap();
    let conv = table.column("conversion").unwrap();
    let spend = table.column("spend").unwrap();
    let won: Vec<f64> = (0..table.n_rows)
        .map(|r| {
            if conv.value(r) == 1.0 {
                spend.value(r)
            } else {
                0.0
            }
        })
        .collect();
    let converted = (0..table.n_rows).filter(|&r| conv.value(r) == 1.0).count();
    assert!(converted > 100, "{converted} converted rows");
    assert_eq!(value["converted"], converted as u64);
    assert_eq!(value["converted_without_value"], 0);
    let total: f64 = won.iter().sum();
    let reported = value["converted_total"].as_f64().unwrap();
    assert!(
        (reported - total).abs() < 1e-6 * total,
        "{reported} vs {total}"
    );

    // The shares equal an independent computation from the model's calibrated probabilities.
    let model = Model::from_bytes(&std::fs::read(&model_path).unwrap()).unwrap();
    let raw = model.score_table(&table).unwrap().probabilities;
    let scoring = model.scoring.clone().unwrap_or_default();
    let probs: Vec<f64> = raw.iter().map(|&p| scoring.score(p).probability).collect();
    let pcts = [5, 10, 20, 50];
    let want = independent_shares(&probs, &won, &pcts);
    let captured = value["captured"].as_array().unwrap();
    assert_eq!(captured.len(), 4);
    let mut last = 0.0;
    for ((c, &pct), w) in captured.iter().zip(&pcts).zip(&want) {
        assert_eq!(c["top_pct"], pct);
        assert_eq!(c["random_share"].as_f64().unwrap(), pct as f64 / 100.0);
        let share = c["share"].as_f64().unwrap();
        assert!((share - w).abs() < 1e-9, "top {pct} %: {share} vs {w}");
        assert!(share >= last, "shares grow with the leads worked");
        last = share;
    }
    // Conversion is barely predictable here (0.8 % of rows): the model's edge shows in the top
    // half (0.60 of the revenue in the run that wrote this), not yet in the top 5-10 %.
    let top50 = captured[3]["share"].as_f64().unwrap();
    assert!(top50 > 0.5, "{captured:?}");
    eprintln!(
        "hillstrom rows 2, 6, 10, … (16,000; model on rows 0, 4, 8, …): {converted} converted, \
         ${total:.2}; captured {:?}",
        captured
            .iter()
            .map(|c| format!("{}%: {:.3}", c["top_pct"], c["share"].as_f64().unwrap()))
            .collect::<Vec<_>>()
    );

    // The text output says which rows the figures were measured on.
    let text_out = cli::ok(&[
        "eval",
        model_path.to_str().unwrap(),
        test.to_str().unwrap(),
        "--value",
        "spend",
    ]);
    assert!(
        text_out.contains("revenue captured (16,000 rows ranked by the model's probability"),
        "{text_out}"
    );

    // The report gains a "Revenue captured" section with the same figures.
    let html = tmp("hillstrom.html");
    cli::ok(&[
        "report",
        model_path.to_str().unwrap(),
        test.to_str().unwrap(),
        "--value",
        "spend",
        "--out",
        html.to_str().unwrap(),
    ]);
    let page = std::fs::read_to_string(&html).unwrap();
    let section = &page[page.find("<section id=\"value\">").expect("value section")..];
    assert!(
        section.contains("Revenue captured") && section.contains("16,000 rows"),
        "{section}"
    );
    let top50 = format!("{:.1} %", 100.0 * top50);
    assert!(section.contains(&top50), "{top50} in {section}");
}
