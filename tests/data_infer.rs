//! Schema inference on small, hand-made columns: each kind, number formats, date orders, merged
//! case variants, and the notes that state what was decided.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CellFormat, ColumnKind, CsvOptions, DateOrder, Table};

fn col(values: &[&str]) -> leadforest::data::Column {
    let csv = format!(
        "x,pad\n{}",
        values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{v},{i}\n"))
            .collect::<String>()
    );
    let t = Table::from_csv(
        csv.as_bytes(),
        &CsvOptions {
            delimiter: Some(','),
            ..Default::default()
        },
    )
    .unwrap();
    t.columns.into_iter().next().unwrap()
}

fn quoted(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| format!("\"{v}\"")).collect()
}

#[test]
fn number_formats() {
    let v = quoted(&["$1,200", "$950", "$12,000.50", "", "$3"]);
    let c = col(&v.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(c.kind, ColumnKind::Numeric);
    assert_eq!(c.values()[..3], [1200.0, 950.0, 12000.5]);
    assert!(
        matches!(c.format, CellFormat::Number(f) if f.currency == Some('$') && !f.decimal_comma)
    );

    let c = col(&["12%", "3.5%", "100%"]);
    assert_eq!(
        c.values(),
        vec![12.0, 3.5, 100.0],
        "percentages read as written"
    );
    assert!(matches!(c.format, CellFormat::Number(f) if f.percent));

    let c = col(&["1.5k", "200", "2k", "3M"]);
    assert_eq!(
        c.values(),
        vec![1500.0, 200.0, 2000.0, 3e6],
        "k and M suffixes"
    );

    // Decimal comma: `1,5` cannot be a thousands group, so the column reads as European.
    let c = col(&quoted(&["1,5", "2.000,25", "3"])
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    assert_eq!(c.values(), vec![1.5, 2000.25, 3.0]);
    // Only `1,200`-style values: thousands separators.
    let c = col(&quoted(&["1,200", "3,400", "5"])
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    assert_eq!(c.values(), vec![1200.0, 3400.0, 5.0]);
}

#[test]
fn a_few_unreadable_numbers_become_missing_with_a_note() {
    let mut v: Vec<String> = (0..300).map(|i| format!("{}", i % 50)).collect();
    v.push("n.a.".into());
    let c = col(&v.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(c.kind, ColumnKind::Numeric);
    assert_eq!(c.invalid, 1);
    assert!(c.value(300).is_nan());
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("1 cells (e.g. `n.a.`) cannot be read as numeric")),
        "{:?}",
        c.notes
    );
    // Many unreadable cells: not numeric.
    let c = col(&["1", "2", "three", "4"]);
    assert_eq!(c.kind, ColumnKind::Categorical);
}

#[test]
fn booleans_constants_and_flags() {
    assert_eq!(col(&["Yes", "No", "yes", ""]).kind, ColumnKind::Boolean);
    assert_eq!(col(&["Y", "N"]).kind, ColumnKind::Boolean);
    assert_eq!(col(&["true", "FALSE"]).kind, ColumnKind::Boolean);
    assert_eq!(col(&["1", "0", "1"]).kind, ColumnKind::Boolean);
    let c = col(&["No", "No", "no"]);
    assert_eq!(c.kind, ColumnKind::Constant);
    assert!(c
        .excluded_because
        .as_deref()
        .unwrap()
        .contains("same value"));
    let c = col(&["", "NA", ""]);
    assert_eq!(c.kind, ColumnKind::Constant);
    assert_eq!(
        c.excluded_because.as_deref(),
        Some("empty on every row (only missing values): it carries no information")
    );
    // One value plus blanks is a flag, not a constant.
    assert_eq!(col(&["Yes", "", "Yes"]).kind, ColumnKind::Boolean);
    assert_eq!(col(&["Called", "", "Called"]).kind, ColumnKind::Categorical);
}

#[test]
fn dates_and_their_order() {
    let c = col(&["2024-03-04", "2024-12-31", ""]);
    assert_eq!(c.kind, ColumnKind::Date);
    assert_eq!(c.value(0), 19786.0);
    let c = col(&["03/04/2024", "25/12/2024"]);
    assert_eq!(c.format, CellFormat::Date(DateOrder::DayMonth));
    assert_eq!(c.value(0), 19816.0, "3 April");
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("day/month") && n.contains("`25/12/2024`")),
        "{:?}",
        c.notes
    );
    let c = col(&["03/04/2024", "12/25/2024"]);
    assert_eq!(c.format, CellFormat::Date(DateOrder::MonthDay));
    assert_eq!(c.value(0), 19786.0, "March 4");
    let c = col(&["03/04/2024", "05/06/2024"]);
    assert_eq!(c.format, CellFormat::Date(DateOrder::MonthDay));
    assert!(
        c.notes.iter().any(|n| n.contains("ambiguous")),
        "{:?}",
        c.notes
    );
    // Both orders in one column: not a date column.
    assert_ne!(col(&["13/01/2024", "01/13/2024"]).kind, ColumnKind::Date);
    let c = col(&["2024-03-04 18:00:00", "2024-03-05T06:00:00Z"]);
    assert_eq!(c.values(), vec![19786.75, 19787.25]);
}

#[test]
fn case_variants_are_merged_with_a_note() {
    let c = col(&[
        "Google", "google", "Google", "Direct", "GOOGLE", "Direct", "Referral",
    ]);
    assert_eq!(c.kind, ColumnKind::Categorical);
    assert_eq!(c.categories.len(), 3);
    assert_eq!(c.categories[0].label, "Google");
    assert_eq!(c.categories[0].rows, 4);
    assert_eq!(c.value(1), c.value(0));
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("upper/lower case") && n.contains("`google`")),
        "{:?}",
        c.notes
    );
}

#[test]
fn identifiers_free_text_and_codes() {
    let ids: Vec<String> = (0..50).map(|i| format!("A-{:05}", i * 37)).collect();
    assert_eq!(
        col(&ids.iter().map(String::as_str).collect::<Vec<_>>()).kind,
        ColumnKind::Identifier
    );
    let notes: Vec<String> = (0..50)
        .map(|i| format!("\"Spoke with them on call {i} about pricing, timeline and next steps\""))
        .collect();
    assert_eq!(
        col(&notes.iter().map(String::as_str).collect::<Vec<_>>()).kind,
        ColumnKind::FreeText
    );
    // ZIP-like codes with leading zeros stay text.
    let c = col(&["02134", "02134", "10001", "00501", "00501"]);
    assert_eq!(c.kind, ColumnKind::Categorical);
    assert!(
        c.notes.iter().any(|n| n.contains("leading zeros")),
        "{:?}",
        c.notes
    );
    // Unique integers are an id only with an id-like name or many rows.
    let small: Vec<String> = (0..50).map(|i| format!("{}", 1000 + i * 13)).collect();
    assert_eq!(
        col(&small.iter().map(String::as_str).collect::<Vec<_>>()).kind,
        ColumnKind::Numeric
    );
}

#[test]
fn many_long_distinct_cells_stay_distinct() {
    let mut csv = String::from("key,n\n");
    for i in 0..5000 {
        csv.push_str(&format!(
            "customer-record-{i:08}-{},{}\n",
            i * 7919 % 10007,
            i % 3
        ));
    }
    csv.push_str("customer-record-00000000-0,1\n");
    let t = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let c = t.column("key").unwrap();
    assert_eq!(c.cardinality(), 5000);
    assert_eq!(c.text(5000), c.text(0));
    assert_eq!(c.kind, ColumnKind::Identifier);
}

#[test]
fn high_cardinality_numbers_keep_numbers_not_texts() {
    // 40,000 distinct amounts (> 32,768): stored as one f64 per row, with the format kept.
    let mut csv = String::from("amount,id,y\n");
    for i in 0..40_000u32 {
        let cents = (i as u64 * 7919) % 1_000_003;
        let amount = if i == 5 {
            "NA".to_string()
        } else {
            format!(
                "\"${},{:03}.{:02}\"",
                cents / 1000 % 999 + 1,
                cents % 1000,
                i % 100
            )
        };
        csv.push_str(&format!("{amount},{},{}\n", 100_000 + i, i % 2));
    }
    let t = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let c = t.column("amount").unwrap();
    assert!(c.is_dense());
    assert_eq!(c.kind, ColumnKind::Numeric);
    assert_eq!(c.len(), 40_000);
    assert_eq!(c.missing, 1);
    assert!(c.value(5).is_nan());
    assert_eq!(c.value(1), 1000.0 * (7919 / 1000 + 1) as f64 + 919.0 + 0.01);
    assert!(matches!(c.format, CellFormat::Number(f) if f.currency == Some('$')));
    assert!(c.cardinality() > 32_768);
    // Unique integers stay an identifier (texts kept, excluded).
    assert_eq!(t.column("id").unwrap().kind, ColumnKind::Identifier);
    // The pipeline reads the dense column like any numeric one.
    let d =
        leadforest::data::Dataset::new(&t, &leadforest::data::DatasetOptions::target("y")).unwrap();
    let enc = d.pipeline.features_from_table(&t).unwrap();
    assert_eq!(enc[0][1].to_bits(), c.value(1).to_bits());
    let rec = d
        .pipeline
        .encode_record(&|n: &str| (n == "amount").then(|| "$8,919.01".to_string()));
    assert_eq!(rec[0], c.value(1));
    // About the typed table: 8 bytes per number, 1 per yes/no code.
    assert!(t.heap_bytes() < 40_000 * 20, "{} bytes", t.heap_bytes());
    assert!(c.heap_bytes() <= 40_000 * 9, "{}", c.heap_bytes());
    assert!(
        t.column("id").unwrap().is_dense(),
        "ids keep numbers, not texts"
    );
}
