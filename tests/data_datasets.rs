//! Every dataset in ../shared/BENCHMARK.md loads with a sensible schema (named columns' kinds),
//! read from `../shared/datasets/` beside the repository (as on CI).
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{ColumnKind, CsvOptions, Table};

#[path = "common/datasets.rs"]
mod shared;
use shared::read;

/// Reads a dataset file (at most `max_bytes`, cut at a line end, to keep the test fast).
fn load(file: &str, missing: &[&str], max_bytes: usize) -> Table {
    let bytes = read(file, max_bytes);
    let opts = CsvOptions {
        missing: missing.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    Table::from_csv(&bytes, &opts).unwrap()
}

fn check(t: &Table, expected: &[(&str, ColumnKind)]) {
    for (name, kind) in expected {
        let col = t.column(name).unwrap_or_else(|| panic!("no column {name}"));
        assert_eq!(col.kind, *kind, "column `{name}`");
    }
}

use ColumnKind::*;

#[test]
fn x_education() {
    let t = load("x_education_leads/Leads.csv", &["Select"], usize::MAX);
    assert_eq!(t.n_rows, 9240);
    check(
        &t,
        &[
            ("Prospect ID", Identifier),
            ("Lead Number", Identifier),
            ("Lead Origin", Categorical),
            ("Lead Source", Categorical),
            ("Do Not Email", Boolean),
            ("Converted", Boolean),
            ("TotalVisits", Numeric),
            ("Total Time Spent on Website", Numeric),
            ("Page Views Per Visit", Numeric),
            ("Tags", Categorical),
            ("Lead Quality", Categorical),
            ("City", Categorical),
            ("Magazine", Constant),
            ("Asymmetrique Activity Score", Numeric),
        ],
    );
    let city = t.column("City").unwrap();
    assert!(city.missing > 3000, "`Select` counts as missing");
    let source = t.column("Lead Source").unwrap();
    assert!(
        source
            .notes
            .iter()
            .any(|n| n.contains("`Google`") && n.contains("`google`")),
        "{:?}",
        source.notes
    );
}

#[test]
fn bank_full_and_additional() {
    let t = load("bank_marketing/bank-full.csv", &[], usize::MAX);
    assert_eq!(t.delimiter, ';');
    check(
        &t,
        &[
            ("age", Numeric),
            ("job", Categorical),
            ("default", Boolean),
            ("balance", Numeric),
            ("month", Categorical),
            ("pdays", Numeric),
            ("poutcome", Categorical),
            ("y", Boolean),
        ],
    );
    let t = load("bank_marketing/bank-additional-full.csv", &[], usize::MAX);
    check(
        &t,
        &[
            ("emp.var.rate", Numeric),
            ("euribor3m", Numeric),
            ("day_of_week", Categorical),
            ("default", Categorical),
            ("y", Boolean),
        ],
    );
    assert!(t
        .column("emp.var.rate")
        .unwrap()
        .values()
        .iter()
        .any(|v| *v < 0.0));
}

#[test]
fn olist() {
    let t = load(
        "olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv",
        &[],
        usize::MAX,
    );
    check(
        &t,
        &[
            ("mql_id", Identifier),
            ("first_contact_date", Date),
            ("landing_page_id", Categorical),
            ("origin", Categorical),
        ],
    );
    let t = load(
        "olist_marketing_funnel/olist_closed_deals_dataset.csv",
        &[],
        usize::MAX,
    );
    check(
        &t,
        &[
            ("mql_id", Identifier),
            ("won_date", Date),
            ("business_segment", Categorical),
            ("declared_monthly_revenue", Numeric),
        ],
    );
    // Date-times keep the time of day as a fraction of a day.
    assert!(t
        .column("won_date")
        .unwrap()
        .values()
        .iter()
        .any(|v| v.fract() != 0.0));
}

#[test]
fn hillstrom_and_bench_10k20() {
    let t = load("hillstrom_email/hillstrom.csv", &[], 1 << 20);
    check(
        &t,
        &[
            ("recency", Numeric),
            ("history_segment", Categorical),
            ("history", Numeric),
            ("mens", Boolean),
            ("zip_code", Categorical),
            ("channel", Categorical),
            ("conversion", Boolean),
            ("spend", Numeric),
        ],
    );
    let t = load("bench_10k20/d10k.csv", &[], 1 << 19);
    check(&t, &[("f0", Numeric), ("f19", Numeric), ("label", Boolean)]);
}
