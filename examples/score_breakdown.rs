//! Where `scoreCsv`'s time goes, natively (one thread): reading the CSV through the stored
//! pipeline, the trees, and the composition (calibration, tiers, percentiles), each timed
//! separately in CPU seconds (run it with `RAYON_NUM_THREADS=1`); plus the shape of the trees (how deep the rows' walks are). For
//! `benches/wasm/score.mjs`'s native row and BENCHMARKS.md.
//!
//! `cargo run --release --example score_breakdown -- MODEL.lfm DATA.csv [REPEATS]`

use leadforest::model::leads::ScoreOptions;
use leadforest::model::Model;
use std::time::Instant;

/// This process's CPU seconds, all threads (Linux `/proc/self/task/*/schedstat`: nanoseconds
/// on the CPU), so the figures hold on a loaded machine; wall-clock seconds elsewhere.
fn cpu_now(start: Instant) -> f64 {
    let ns = std::fs::read_dir("/proc/self/task").ok().map(|tasks| {
        tasks
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
            .filter_map(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .sum::<f64>()
    });
    ns.map_or_else(|| start.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

// A native benchmark program: reading the clock is its purpose (it never runs in wasm32).
#[allow(clippy::disallowed_methods)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: score_breakdown MODEL.lfm DATA.csv [REPEATS]".into());
    }
    let model = Model::from_bytes(&std::fs::read(&args[1])?)?;
    let bytes = std::fs::read(&args[2])?;
    let repeats: usize = args.get(3).map_or(Ok(5), |s| s.parse())?;

    // Tree shape: leaves, depth of the deepest leaf, and the mean depth of the leaf a row reaches
    // (by cover, the training rows' weight).
    let (mut leaves, mut max_depth, mut mean_depth) = (0usize, 0usize, 0.0);
    for t in model.trees() {
        let mut depth = vec![0usize; t.nodes.len()];
        let (mut deepest, mut weighted, mut total) = (0usize, 0.0, 0.0);
        for (i, n) in t.nodes.iter().enumerate() {
            if n.is_leaf() {
                leaves += 1;
                deepest = deepest.max(depth[i]);
                weighted += depth[i] as f64 * n.cover;
                total += n.cover;
            } else {
                depth[n.left as usize] = depth[i] + 1;
                depth[n.right as usize] = depth[i] + 1;
            }
        }
        max_depth += deepest;
        mean_depth += if total > 0.0 { weighted / total } else { 0.0 };
    }
    let nt = model.trees().len().max(1) as f64;
    println!(
        "{} trees, {:.1} leaves per tree, deepest leaf {:.2} on average, a row's leaf at depth {:.2} on average",
        model.trees().len(),
        leaves as f64 / nt,
        max_depth as f64 / nt,
        mean_depth / nt
    );

    let options = ScoreOptions::default();
    let (mut read, mut trees, mut compose, mut total) = (vec![], vec![], vec![], vec![]);
    let mut check = 0.0;
    let start = Instant::now();
    for _ in 0..repeats {
        let t0 = cpu_now(start);
        let csv = model.read_csv(&bytes)?;
        let t1 = cpu_now(start);
        let raw = model.predict_columns(&csv.features.columns);
        let t2 = cpu_now(start);
        let scored = model.score_encoded_leads(&csv.features, &options, 0)?;
        let t3 = cpu_now(start);
        check += raw[0] + scored.leads[0].probability;
        read.push(t1 - t0);
        trees.push(t2 - t1);
        // score_encoded_leads runs the trees again: its own share is the rest.
        compose.push((t3 - t2) - (t2 - t1));
        total.push((t1 - t0) + (t3 - t2));
    }
    let csv = model.read_csv(&bytes)?;
    let rows = csv.features.n_rows;
    let walks = rows as f64 * model.trees().len() as f64;
    let trees_s = median(trees);
    println!("{rows} rows, {repeats} runs, medians of CPU seconds (checksum {check:.6}):");
    println!("| read CSV through the pipeline | {:.3} s |", median(read));
    println!(
        "| trees | {trees_s:.3} s | {:.2} ns per tree per row |",
        trees_s / walks * 1e9
    );
    println!(
        "| composition (calibration, tiers) | {:.3} s |",
        median(compose)
    );
    println!(
        "| total (read + score_encoded_leads) | {:.3} s |",
        median(total)
    );
    Ok(())
}
