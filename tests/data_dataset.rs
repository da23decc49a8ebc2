//! Table → Dataset → Pipeline: targets, exclusions, derived features, and scoring encodings
//! that match training exactly.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CsvOptions, Dataset, DatasetOptions, FeatureKind, Table};

fn table(csv: &str) -> Table {
    let opts = CsvOptions {
        missing: vec!["Select".into()],
        ..Default::default()
    };
    Table::from_csv(csv.as_bytes(), &opts).unwrap()
}

fn demo() -> (Table, Dataset) {
    let t = table(&leadforest::demo::demo_csv(400, 7));
    let d = Dataset::new(&t, &DatasetOptions::target("Converted")).unwrap();
    (t, d)
}

#[test]
fn demo_excludes_ids_and_personal_data_and_derives_features() {
    let (t, d) = demo();
    let names: Vec<&str> = d.features.iter().map(|f| f.name.as_str()).collect();
    for gone in [
        "Lead ID",
        "Full Name",
        "Email",
        "Phone",
        "Converted",
        "Created Date",
    ] {
        assert!(
            !names.contains(&gone),
            "{gone} must not be a feature: {names:?}"
        );
    }
    for kept in [
        "Email: domain",
        "Email: free mail",
        "Created Date: age (days)",
        "Created Date: day of week",
        "Created Date: month",
        "Lead Source",
        "Pages Viewed",
    ] {
        assert!(names.contains(&kept), "{kept} missing: {names:?}");
    }
    let notes = d.notes.join("\n");
    for n in [
        "`Lead ID` excluded",
        "`Full Name` excluded",
        "`Phone` excluded",
        "personal data",
    ] {
        assert!(notes.contains(n), "{n} not in notes:\n{notes}");
    }
    assert_eq!(d.class_names, vec!["No", "Yes"]);
    assert_eq!(d.n_rows(), 400);
    assert!(d.time_key.as_ref().is_some_and(|t| t.len() == 400));
    // No personal value is stored anywhere in the pipeline.
    let bytes = postcard::to_allocvec(&d.pipeline).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for col in ["Lead ID", "Full Name", "Email", "Phone"] {
        for row in 0..t.n_rows {
            let v = t.column(col).unwrap().text(row).unwrap();
            assert!(!text.contains(v), "{col} value {v} stored in the pipeline");
        }
    }
    let last_name = t
        .column("Full Name")
        .unwrap()
        .text(0)
        .unwrap()
        .split(' ')
        .next_back()
        .unwrap();
    assert!(
        !text.contains(last_name),
        "{last_name} stored in the pipeline"
    );
}

#[test]
fn pipeline_reproduces_training_values_from_table_and_records() {
    let (t, d) = demo();
    let cols = d.pipeline.features_from_table(&t).unwrap();
    assert_eq!(cols.len(), d.features.len());
    for (f, col) in d.features.iter().zip(&cols) {
        for (a, b) in f.values.iter().zip(col) {
            assert!(
                a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan(),
                "{}: {a} vs {b}",
                f.name
            );
        }
    }
    for row in [0, 17, 399] {
        let rec = d.pipeline.encode_record(&|name: &str| {
            t.column(name).and_then(|c| c.text(row)).map(String::from)
        });
        for (f, v) in d.features.iter().zip(&rec) {
            let a = f.values[row];
            assert!(
                a.to_bits() == v.to_bits() || a.is_nan() && v.is_nan(),
                "row {row} {}: {a} vs {v}",
                f.name
            );
        }
    }
}

#[test]
fn scoring_tolerates_absent_columns_and_unseen_categories() {
    let (_, d) = demo();
    let new = table("Lead Source,Pages Viewed\nCarrier Pigeon,3\nReferral,x\n");
    let enc = d.pipeline.encode_table(&new).unwrap();
    let src = d
        .features
        .iter()
        .position(|f| f.name == "Lead Source")
        .unwrap();
    let pages = d
        .features
        .iter()
        .position(|f| f.name == "Pages Viewed")
        .unwrap();
    assert!(enc.columns[src][0].is_nan(), "unseen category must be NaN");
    assert!(!enc.columns[src][1].is_nan());
    assert_eq!(enc.columns[pages][0], 3.0);
    assert!(
        enc.columns[pages][1].is_nan(),
        "unreadable number must be NaN"
    );
    assert!(
        enc.warnings.iter().any(|w| w.contains("`Seniority`")),
        "{:?}",
        enc.warnings
    );
    let FeatureKind::Categorical { categories } = &d.features[src].kind else {
        panic!()
    };
    assert_eq!(
        d.pipeline.describe_value(src, enc.columns[src][1]),
        "Referral"
    );
    assert!(categories.contains(&"Referral".to_string()));
    assert_eq!(d.pipeline.describe_value(pages, f64::NAN), "missing");
    assert_eq!(d.pipeline.describe_value(pages, 1200.0), "1,200");
}

#[test]
fn targets_binary_positive_minority_and_multiclass() {
    let t = table("stage,x\nClosed Won,1\nClosed Lost,2\nOpen,3\nclosed won,4\n,5\nOpen,6\n");
    let mut o = DatasetOptions::target("stage");
    o.positive = vec!["closed won".into()];
    let d = Dataset::new(&t, &o).unwrap();
    assert_eq!(d.labels, vec![1, 0, 0, 1, 0]);
    assert_eq!(
        d.class_names,
        vec!["not Closed Won".to_string(), "Closed Won".to_string()]
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("1 rows have no value for `stage`")),
        "{:?}",
        d.notes
    );
    assert_eq!(d.features[0].values, vec![1.0, 2.0, 3.0, 4.0, 6.0]);

    let d = Dataset::new(&t, &DatasetOptions::target("stage")).unwrap();
    assert_eq!(d.class_names, vec!["Closed Lost", "Closed Won", "Open"]);
    assert_eq!(d.labels, vec![1, 0, 2, 1, 2]);

    let t2 = table("won,x\nlost,1\nlost,2\nwon,3\n");
    let d = Dataset::new(&t2, &DatasetOptions::target("won")).unwrap();
    assert_eq!(d.class_names, vec!["lost", "won"]);
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("`won` is taken as the positive")),
        "{:?}",
        d.notes
    );

    o.positive = vec!["Nope".into()];
    let e = Dataset::new(&t, &o).unwrap_err().to_string();
    assert!(e.contains("`Nope`") && e.contains("`Closed Won`"), "{e}");
    let e = Dataset::new(&t, &DatasetOptions::target("Stagee"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("`Stagee`") && e.contains("`stage`"), "{e}");
}

#[test]
fn rare_categories_are_grouped_and_capped() {
    let mut csv = String::from("c,y\n");
    for i in 0..600 {
        // 300 values seen twice (rare) and one frequent value.
        let c = if i % 2 == 0 {
            "big".to_string()
        } else {
            format!("v{}", i / 2 % 300)
        };
        csv.push_str(&format!("{c},{}\n", i % 3 == 0));
    }
    for i in 0..300 {
        csv.push_str(&format!("v{i},false\n"));
    }
    let t = table(&csv);
    let d = Dataset::new(&t, &DatasetOptions::target("y")).unwrap();
    let FeatureKind::Categorical { categories } = &d.features[0].kind else {
        panic!()
    };
    assert!(categories.len() <= 254);
    assert_eq!(categories.last().map(String::as_str), Some("(other)"));
    assert!(d.features[0]
        .values
        .iter()
        .all(|v| !v.is_nan() && (*v as usize) < categories.len()));
    assert!(d.notes.iter().any(|n| n.contains("grouped as `(other)`")));
}

#[test]
fn dropping_columns_and_derived_features() {
    let (t, _) = demo();
    let mut o = DatasetOptions::target("Converted");
    o.drop = vec!["Funnel Stage".into(), "Created Date: age (days)".into()];
    let d = Dataset::new(&t, &o).unwrap();
    assert!(d
        .features
        .iter()
        .all(|f| f.name != "Funnel Stage" && f.name != "Created Date: age (days)"));
    assert!(d.features.iter().any(|f| f.name == "Created Date: month"));
    o.drop = vec!["Funel Stage".into()];
    let e = Dataset::new(&t, &o).unwrap_err().to_string();
    assert!(e.contains("`Funel Stage`"), "{e}");
}

/// Regression for fuzz crash ec52444367a2: a cell ending in a non-ASCII space (U+00A0) was
/// trimmed by the record path but not by the table path, so the same text got two encodings.
#[test]
fn fuzz_crash_ec52444_unicode_space_in_a_cell_encodes_the_same_both_ways() {
    let csv = "note,y\nx\u{a0},1\nx,0\n\u{3000}x,1\nx,0\ny,1\ny,0\n";
    let t = table(csv);
    let d = Dataset::new(
        &t,
        &DatasetOptions {
            min_category_rows: 1,
            ..DatasetOptions::target("y")
        },
    )
    .unwrap();
    let enc = d.pipeline.features_from_table(&t).unwrap();
    for (row, &encoded) in enc[0].iter().enumerate() {
        let rec = d.pipeline.encode_record(&|name: &str| {
            t.column(name).and_then(|c| c.text(row)).map(String::from)
        });
        let trained = d.features[0].values[row];
        assert_eq!(trained.to_bits(), encoded.to_bits(), "row {row}");
        assert_eq!(trained.to_bits(), rec[0].to_bits(), "row {row}");
    }
}
