//! The leak scan on data it was not tuned on: a negative control (strong but honest early
//! signals that must not be flagged) beside planted leaks of every kind, the messy generator, the
//! model-level warnings, and the shared datasets' documented leaks.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::leak::{self, LeakRule};
use leadforest::data::{leak_scan, CsvOptions, DatasetOptions, LeakFlag, Table};
use leadforest::rng::Rng;
use std::path::PathBuf;

fn flagged(flags: &[LeakFlag]) -> Vec<&str> {
    flags.iter().map(|f| f.column.as_str()).collect()
}

/// A standard normal draw from arithmetic only (12 uniforms − 6).
fn normal(rng: &mut Rng) -> f64 {
    (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0
}

/// 20,000 leads, ~10 % converted, from strong honest early signals (each one alone would rank
/// leads well) plus, when `leaks`, four planted leaks of different shapes.
fn synthetic(seed: u64, leaks: bool) -> String {
    let mut rng = Rng::new(seed);
    let sources = [
        ("Referral", 1.6),
        ("Partner", 1.0),
        ("Webinar", 0.8),
        ("Organic", 0.2),
        ("Paid", 0.0),
        ("Social", -0.6),
        ("Cold Call", -1.2),
        ("List", -1.6),
    ];
    let mut csv = String::from(
        "time_on_site,page_views,email_clicks,lead_source,webinar,days_since_signup,converted",
    );
    if leaks {
        csv.push_str(",amount_paid,call_seconds,stage,refund_reason");
    }
    csv.push('\n');
    for _ in 0..20_000 {
        let intent = normal(&mut rng);
        let (source, effect) = sources[rng.below(sources.len() as u64) as usize];
        // Zero for a fifth of the leads (never came to the site), long-tailed otherwise.
        let time = if rng.next_f64() < 0.2 {
            0.0
        } else {
            (60.0 * (1.0 + 4.0 * rng.next_f64()) * (1.0 + intent.max(-0.9))).round()
        };
        let views = (time / 45.0 + 3.0 * rng.next_f64()).round();
        let clicks = if rng.next_f64() < 0.6 {
            0
        } else {
            1 + rng.below(6)
        };
        let webinar = rng.next_f64() < 0.1 + 0.1 * intent.max(0.0);
        let days = rng.below(200);
        let logit = -3.6
            + effect
            + 1.3 * intent
            + 0.004 * time
            + 0.25 * clicks as f64
            + if webinar { 1.0 } else { 0.0 }
            - 0.004 * days as f64;
        let p = 1.0 / (1.0 + (-logit).exp());
        let converted = rng.next_f64() < p;
        csv.push_str(&format!(
            "{time},{views},{clicks},{source},{},{days},{}",
            if webinar { "yes" } else { "no" },
            if converted { "yes" } else { "no" }
        ));
        if leaks {
            // Paid > 0 exactly when converted, but 2% of buyers not invoiced yet and 0.3% of the
            // others with a deposit.
            let paid = if converted && rng.next_f64() < 0.98 || !converted && rng.next_f64() < 0.003
            {
                100 + rng.below(5000)
            } else {
                0
            };
            // A post-contact call length: short calls never convert; long ones often do.
            let call = if converted {
                90 + rng.below(900)
            } else {
                rng.below(600)
            };
            let stage = if converted {
                "Closed Won"
            } else {
                ["Open", "Nurture", "Closed Lost"][rng.below(3) as usize]
            };
            let refund = if converted {
                ""
            } else {
                ["", "price", "timing"][rng.below(3) as usize]
            };
            csv.push_str(&format!(",{paid},{call},{stage},{refund}"));
        }
        csv.push('\n');
    }
    csv
}

fn scan(csv: &str, target: &str) -> Vec<LeakFlag> {
    let t = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
    leak_scan(&t, &DatasetOptions::target(target)).unwrap()
}

#[test]
fn strong_honest_early_signals_are_not_flagged() {
    for seed in [1, 2, 3] {
        let flags = scan(&synthetic(seed, false), "converted");
        assert!(flags.is_empty(), "seed {seed}: {flags:#?}");
    }
}

#[test]
fn planted_leaks_of_every_shape_are_flagged_and_nothing_else() {
    let csv = synthetic(4, true);
    let flags = scan(&csv, "converted");
    let mut cols = flagged(&flags);
    cols.sort_unstable();
    assert_eq!(
        cols,
        ["amount_paid", "call_seconds", "refund_reason", "stage"],
        "{flags:#?}"
    );
    let paid = flags.iter().find(|f| f.column == "amount_paid").unwrap();
    assert_eq!(paid.rule, LeakRule::DecidingRange);
    assert_eq!(paid.deciding_range.as_deref(), Some("above 0"));
    assert!(
        paid.message
            .contains("rows with amount_paid above 0 have converted = yes"),
        "{}",
        paid.message
    );
    // The call length's AUC is far from perfect, but a range of it settles the outcome (long
    // calls: bought).
    let call = flags.iter().find(|f| f.column == "call_seconds").unwrap();
    assert!(call.auc < 0.95, "{}", call.auc);
    assert_eq!(call.rule, LeakRule::DecidingRange);
    assert!(
        call.message.contains("rows with call_seconds above"),
        "{}",
        call.message
    );
    for f in &flags {
        assert!(!f.message.contains('`'), "no backticks: {}", f.message);
    }
}

#[test]
fn the_messy_generators_planted_leak_is_the_only_flag() {
    for seed in [1, 5] {
        let csv = leadforest::demo::messy_csv(12_000, seed);
        let flags = scan(&csv, leadforest::demo::messy::TARGET);
        assert_eq!(
            flagged(&flags),
            [leadforest::demo::messy::LEAK_COLUMN],
            "seed {seed}: {flags:#?}"
        );
        assert_eq!(flags[0].rule, LeakRule::DecidingRange);
    }
}

#[test]
fn model_warnings_for_implausible_auc_and_a_dominant_column() {
    let spread = vec![
        ("Time on Site".to_string(), 0.4),
        ("Lead Source".to_string(), 0.3),
        ("Pages".to_string(), 0.3),
    ];
    assert!(leak::model_warnings(&spread, 1000, Some((0.82, 9000))).is_empty());
    let w = leak::model_warnings(&spread, 1000, Some((0.985, 9000)));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].rule, LeakRule::ImplausibleAuc);
    assert!(
        w[0].message.contains("AUC 0.985 on 9,000 held-out rows"),
        "{}",
        w[0].message
    );
    let dominated = vec![
        ("Pages".to_string(), 0.1),
        ("Contract Value".to_string(), 2.0),
        ("Lead Source".to_string(), 0.2),
    ];
    let w = leak::model_warnings(&dominated, 500, None);
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].rule, LeakRule::DominantColumn);
    assert_eq!(w[0].column, "Contract Value");
    assert!(
        w[0].message
            .contains("87% of the model's total importance (measured on 500 rows)"),
        "{}",
        w[0].message
    );
    // A single-column model is not "dominated".
    assert!(leak::model_warnings(&[("A".into(), 1.0)], 10, Some((0.8, 10))).is_empty());
}

/// `../shared/datasets` beside the repository (or two levels up for a nested worktree).
fn dataset(file: &str) -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = ["../shared/datasets", "../../shared/datasets"]
        .iter()
        .map(|p| root.join(p).join(file))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{file} not found in ../shared/datasets"));
    std::fs::read(path).unwrap()
}

fn scan_bytes(bytes: &[u8], missing: &[&str], target: &str) -> Vec<LeakFlag> {
    let opts = CsvOptions {
        missing: missing.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    let t = Table::from_csv(bytes, &opts).unwrap();
    leak_scan(&t, &DatasetOptions::target(target)).unwrap()
}

#[test]
fn x_education_post_contact_fields_are_flagged_early_signals_are_not() {
    let flags = scan_bytes(
        &dataset("x_education_leads/Leads.csv"),
        &["Select"],
        "Converted",
    );
    let cols = flagged(&flags);
    for leak in [
        "Tags",
        "Lead Quality",
        "Lead Profile",
        "Last Activity",
        "Last Notable Activity",
    ] {
        assert!(cols.contains(&leak), "{leak} not flagged: {cols:?}");
    }
    for honest in [
        "Lead Origin",
        "Lead Source",
        "Total Time Spent on Website",
        "TotalVisits",
        "Page Views Per Visit",
        "Country",
        "City",
        "Specialization",
    ] {
        assert!(!cols.contains(&honest), "{honest} flagged: {flags:#?}");
    }
}

#[test]
fn bank_duration_and_hillstrom_spend_are_flagged() {
    let flags = scan_bytes(&dataset("bank_marketing/bank-full.csv"), &[], "y");
    assert_eq!(flagged(&flags), ["duration"], "{flags:#?}");
    assert_eq!(flags[0].rule, LeakRule::DecidingRange);
    assert!(flags[0].message.contains("or less have y = no"));

    let flags = scan_bytes(&dataset("hillstrom_email/hillstrom.csv"), &[], "conversion");
    let mut cols = flagged(&flags);
    cols.sort_unstable();
    assert_eq!(cols, ["spend", "visit"], "{flags:#?}");
    let spend = flags.iter().find(|f| f.column == "spend").unwrap();
    assert!(
        spend
            .message
            .contains("every row with spend above 0 has conversion = 1 (578 rows"),
        "{}",
        spend.message
    );
}
