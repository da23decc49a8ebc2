//! TreeSHAP throughput on a LightGBM model, for `benches/shap_throughput.sh`: reads a LightGBM
//! text model and a CSV, explains every row on one thread, checks additivity, prints rows/s.
//!
//! `cargo run --release --example shap_throughput -- MODEL.txt DATA.csv [REPEATS]`

use leadforest::explain::Explainer;
use leadforest::interop::lightgbm;
use std::time::Instant;

// A native benchmark program: reading the clock is its purpose (it never runs in wasm32).
#[allow(clippy::disallowed_methods)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: shap_throughput MODEL.txt DATA.csv [REPEATS]".into());
    }
    let model = lightgbm::parse(&std::fs::read_to_string(&args[1])?)?;
    let rows = model.rows_from_csv(&std::fs::read(&args[2])?)?;
    let repeats: usize = args.get(3).map_or(Ok(5), |s| s.parse())?;
    let k = model.objective.n_outputs();
    // The explainer takes trees round-major (tree t adds to output t % k), as LightGBM writes them.
    assert!(model
        .tree_class
        .iter()
        .enumerate()
        .all(|(t, &c)| c as usize == t % k));
    let mut ex = Explainer::new(&model.trees, &model.base_margin, model.features.len())?;
    // All rows at once, as LightGBM's pred_contrib takes them: `explain_rows` (tables for small
    // trees, src/explain/table.rs), one output at a time.
    let nf = model.features.len();
    let flat: Vec<f64> = rows.iter().flatten().copied().collect();
    let mut out = Vec::new();
    // Additivity on every row before timing.
    ex.explain_rows(&flat, &vec![0; rows.len()], &mut out);
    let mut worst: f64 = 0.0;
    for (row, phi) in rows.iter().zip(out.chunks_exact(nf.max(1))) {
        let total = ex.bias(0) + phi.iter().sum::<f64>();
        worst = worst.max((total - model.margins(row)[0]).abs());
    }
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut checksum = 0.0;
    for _ in 0..repeats {
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        for o in 0..k {
            ex.explain_rows(&flat, &vec![o; rows.len()], &mut out);
            checksum += out.first().copied().unwrap_or(0.0);
        }
        times.push(start.elapsed().as_secs_f64());
        cpu.push(cpu_seconds().zip(cpu_start).map(|(b, a)| b - a));
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    // CPU time tells the engine's own cost on a machine shared with other work.
    let mut cpu: Vec<f64> = cpu.into_iter().flatten().collect();
    cpu.sort_by(f64::total_cmp);
    let cpu_median = cpu.get(cpu.len() / 2).copied().unwrap_or(f64::NAN);
    let depth = model
        .trees
        .iter()
        .map(leadforest::explain::max_depth)
        .max()
        .unwrap_or(0);
    println!(
        "trees={} max_depth={} features={} rows={} median_s={:.4} rows_per_s={:.0} cpu_s={:.4} rows_per_cpu_s={:.0} max_additivity_error={:.2e} checksum={:.6}",
        model.trees.len(),
        depth,
        model.features.len(),
        rows.len(),
        median,
        rows.len() as f64 / median,
        cpu_median,
        rows.len() as f64 / cpu_median,
        worst,
        checksum
    );
    Ok(())
}

/// This process's user + system CPU time in seconds (Linux `/proc/self/stat`, 100 ticks/s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
