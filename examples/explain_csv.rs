//! `explainCsv`'s work natively, for comparing with the WASM figure of `benches/wasm/bench.mjs`:
//! reads a leadforest model and a CSV, then times reading the CSV through the model's pipeline
//! and explaining every row (no reasons, as `explainCsv`'s default; `--reasons K` adds them), and with `--check` the
//! largest difference from explaining the rows one at a time (binary models: output 0).
//!
//! `--cached` keeps the prepared trees and tables between repeats (as the WASM handle does), so
//! every repeat after the first skips building them.
//!
//! `cargo run --release --example explain_csv -- MODEL.lfm DATA.csv [REPEATS] [--reasons K] [--check] [--cached]`

use leadforest::explain::Explainer;
use leadforest::model::leads::ExplainOptions;
use leadforest::model::Model;
use std::time::Instant;

// A native benchmark program: reading the clock is its purpose (it never runs in wasm32).
#[allow(clippy::disallowed_methods)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: explain_csv MODEL.lfm DATA.csv [REPEATS] [--reasons K]".into());
    }
    let model = Model::from_bytes(&std::fs::read(&args[1])?)?;
    let bytes = std::fs::read(&args[2])?;
    let repeats: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let reasons = args
        .iter()
        .position(|a| a == "--reasons")
        .and_then(|i| args.get(i + 1))
        .map_or(Ok(0), |s| s.parse())?;
    let options = ExplainOptions {
        rows: None,
        reasons,
    };
    let (mut read, mut explain) = (Vec::new(), Vec::new());
    let mut checksum = 0.0;
    let cached = args.iter().any(|a| a == "--cached");
    let mut cache = leadforest::explain::ExplainCache::default();
    for _ in 0..repeats.max(1) {
        let t = Instant::now();
        let csv = model.read_csv(&bytes)?;
        read.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        let e = if cached {
            model.explain_encoded_with(&csv.features, &options, Some(&mut cache))?
        } else {
            model.explain_encoded(&csv.features, &options)?
        };
        explain.push(t.elapsed().as_secs_f64());
        checksum += e.contributions.iter().sum::<f64>();
    }
    // The same rows one at a time through `Explainer::explain_into` (the linear scan): the
    // largest difference from the many-row path (tables), which sums in another order.
    let csv = model.read_csv(&bytes)?;
    let e = model.explain_encoded(&csv.features, &options)?;
    let nf = model.features.len();
    let mut ex = Explainer::new(model.trees(), &model.base_score, nf)?;
    let (mut row, mut phi, mut diff) = (vec![0.0; nf], Vec::new(), 0.0f64);
    let check = args.iter().any(|a| a == "--check");
    for (i, &r) in e.row_indices.iter().enumerate().filter(|_| check) {
        for (slot, c) in row.iter_mut().zip(&csv.features.columns) {
            *slot = c[r as usize];
        }
        ex.explain_into(&row, 0, &mut phi);
        for (a, b) in phi.iter().zip(&e.contributions[i * nf..]) {
            diff = diff.max((a - b).abs());
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "trees={} rows={} read_s={:.4} explain_s={:.4} rows_per_s={:.0} reasons={reasons} cached={cached} max_diff_vs_one_row_path={diff:.2e} checksum={checksum:.12e}",
        model.trees().len(),
        e.row_indices.len(),
        median(&mut read),
        median(&mut explain),
        e.row_indices.len() as f64 / median(&mut explain)
    );
    Ok(())
}
