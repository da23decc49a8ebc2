//! The committed golden models (models/, written once, never regenerated) still load and score
//! the fixture to 1e-9: the file format and the scoring path have not drifted.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::Table;
use leadforest::model::Model;

fn check(name: &str) {
    let model = Model::from_bytes(&std::fs::read(format!("models/golden_{name}.lf")).unwrap())
        .unwrap_or_else(|e| panic!("models/golden_{name}.lf: {e}"));
    let expected: Vec<f64> = std::fs::read_to_string(format!("models/golden_{name}.expected.txt"))
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    let csv = std::fs::read("tests/data/engine_leads.csv").unwrap();
    let table = Table::from_csv(&csv, &Default::default()).unwrap();
    let got = model.score_table(&table).unwrap().probabilities;
    assert_eq!(got.len(), expected.len());
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        assert!((g - e).abs() <= 1e-9, "{name} row {i}: {g} vs expected {e}");
    }
    // Record scoring by column name gives the same as table scoring.
    let header: Vec<&str> = table.names();
    let line = String::from_utf8_lossy(&csv)
        .lines()
        .nth(5)
        .unwrap()
        .to_string();
    let cells: Vec<String> = line.split(',').map(str::to_string).collect();
    let get = |col: &str| {
        header
            .iter()
            .position(|h| *h == col)
            .map(|i| cells[i].clone())
    };
    let p = model.score_record(&get);
    assert!(
        (p[0] - expected[4]).abs() <= 1e-9,
        "{} vs {}",
        p[0],
        expected[4]
    );
}

#[test]
fn golden_gbt_scores_unchanged() {
    check("gbt");
}

#[test]
fn golden_rf_scores_unchanged() {
    check("rf");
}
