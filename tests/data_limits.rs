//! The documented limits (src/limits.rs, README "Limits") at their edges, on data generated here:
//! the limit itself passes, one past it is a clear error (or, for categories, a note).
//! Rows, training cells and model bytes are too big to build cheaply: their checks are tested at
//! the edge in src/limits.rs.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{check_class_rows, CsvOptions, Dataset, DatasetOptions, FeatureKind, Table};
use leadforest::limits::{
    MAX_CATEGORIES, MAX_CLASSES, MAX_COLUMNS, MAX_FIELD_BYTES, MAX_TREES, MIN_CLASS_ROWS,
};
use leadforest::train::TrainConfig;
use leadforest::Error;

fn read(csv: &[u8]) -> leadforest::Result<Table> {
    Table::from_csv(csv, &CsvOptions::default())
}

/// `n` columns `c1…cn` and two rows of ones.
fn wide(n: usize) -> Vec<u8> {
    let names: Vec<String> = (1..=n).map(|i| format!("c{i}")).collect();
    let ones = vec!["1"; n].join(",");
    format!("{}\n{ones}\n{ones}\n", names.join(",")).into_bytes()
}

#[test]
fn columns_up_to_the_limit_are_read_one_more_is_refused() {
    assert_eq!(read(&wide(MAX_COLUMNS)).unwrap().columns.len(), MAX_COLUMNS);
    let e = read(&wide(MAX_COLUMNS + 1)).unwrap_err();
    assert!(matches!(e, Error::Limit(_)), "{e:?}");
    assert!(
        e.to_string()
            .contains("the header has 16,385 columns: at most 16,384"),
        "{e}"
    );
}

#[test]
fn a_field_of_exactly_one_mib_is_read_one_byte_more_is_refused() {
    let csv = |n: usize| {
        let mut b = b"id,Notes\n1,".to_vec();
        b.resize(b.len() + n, b'x');
        b.extend_from_slice(b"\n2,short\n");
        b
    };
    let t = read(&csv(MAX_FIELD_BYTES)).unwrap();
    assert_eq!(t.n_rows, 2);
    let e = read(&csv(MAX_FIELD_BYTES + 1)).unwrap_err();
    assert!(matches!(e, Error::Limit(_)), "{e:?}");
    let m = e.to_string();
    assert!(
        m.contains("row 1 (line 2), column `Notes`: a field of 1,048,577 bytes"),
        "{m}"
    );
}

/// A categorical column with `n` values of 10 rows each (the fewest a stored value needs), and
/// a two-class target.
fn categories(n: usize) -> Dataset {
    let mut csv = String::from("City,Converted\n");
    for i in 0..n * 10 {
        csv.push_str(&format!("city{},{}\n", i % n, ["Yes", "No"][i % 2]));
    }
    let t = read(csv.as_bytes()).unwrap();
    Dataset::new(&t, &DatasetOptions::target("Converted")).unwrap()
}

fn category_count(d: &Dataset) -> usize {
    match &d.features[0].kind {
        FeatureKind::Categorical { categories } => categories.len(),
        k => panic!("{k:?}"),
    }
}

#[test]
fn categories_past_the_limit_are_grouped_with_a_note() {
    let at = categories(MAX_CATEGORIES);
    assert_eq!(category_count(&at), MAX_CATEGORIES);
    assert!(!at.notes.iter().any(|n| n.contains("category limit")));
    let past = categories(MAX_CATEGORIES + 46);
    assert_eq!(category_count(&past), MAX_CATEGORIES);
    assert!(
        past.notes
            .iter()
            .any(|n| n.contains("47 values") && n.contains("254-category limit")),
        "{:?}",
        past.notes
    );
}

/// A target with `k` classes of 5 rows each.
fn classes(k: usize) -> leadforest::Result<Dataset> {
    let mut csv = String::from("x,Stage\n");
    for i in 0..k * 5 {
        csv.push_str(&format!("{},s{}\n", i % 7, i % k));
    }
    Dataset::new(&read(csv.as_bytes())?, &DatasetOptions::target("Stage"))
}

#[test]
fn fifty_classes_are_a_multi_class_target_fifty_one_are_refused() {
    assert_eq!(classes(MAX_CLASSES).unwrap().class_names.len(), MAX_CLASSES);
    let e = classes(MAX_CLASSES + 1).unwrap_err().to_string();
    assert!(
        e.contains("has 51 different values (at most 50 classes)"),
        "{e}"
    );
}

#[test]
fn five_rows_of_a_class_can_be_trained_four_cannot() {
    let data = |positives: u64| {
        let mut csv = String::from("x,Converted\n");
        for i in 0..40 {
            csv.push_str(&format!(
                "{},{}\n",
                i % 7,
                if i < positives { "Yes" } else { "No" }
            ));
        }
        Dataset::new(
            &read(csv.as_bytes()).unwrap(),
            &DatasetOptions::target("Converted"),
        )
        .unwrap()
    };
    assert!(check_class_rows(&data(MIN_CLASS_ROWS), "Converted").is_ok());
    let e = check_class_rows(&data(MIN_CLASS_ROWS - 1), "Converted")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the target `Converted` has only 4 rows of class `Yes`; need at least 5"),
        "{e}"
    );
}

#[test]
fn trees_up_to_the_limit_are_valid_one_more_is_refused() {
    let config = |n| TrainConfig {
        n_trees: n,
        ..TrainConfig::default()
    };
    assert!(config(MAX_TREES).validate().is_ok());
    let e = config(MAX_TREES + 1).validate().unwrap_err().to_string();
    assert!(e.contains("n_trees") && e.contains("100001"), "{e}");
}
