//! The model file's optional `training-profile` and `lineage` sections, drift and retraining
//! through the library on the built-in demo data.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{CsvOptions, DatasetOptions, Table};
use leadforest::lifecycle::{self, DriftLevel, Lineage, Recommendation, RetrainOptions};
use leadforest::model::Model;
use leadforest::train::{TrainConfig, Trainer};
use std::ops::ControlFlow;

fn table(csv: &str) -> Table {
    Table::from_csv(
        csv.as_bytes(),
        &CsvOptions {
            missing: vec!["Select".into()],
            ..CsvOptions::default()
        },
    )
    .unwrap()
}

fn demo_model(rows: usize, seed: u64) -> Model {
    let t = table(&leadforest::demo::demo_csv(rows, seed));
    let options = DatasetOptions {
        drop: vec!["Funnel Stage".into(), "Lead ID".into()],
        ..DatasetOptions::target("Converted")
    };
    let config = TrainConfig {
        n_trees: 40,
        seed: 7,
        ..TrainConfig::default()
    };
    Trainer::new(config)
        .fit_table(&t, &options, &mut |_| ControlFlow::Continue(()))
        .unwrap()
        .model
}

#[test]
fn golden_models_still_load_without_the_new_sections() {
    for path in ["models/golden_gbt.lf", "models/golden_rf.lf"] {
        let m = Model::from_bytes(&std::fs::read(path).unwrap()).unwrap();
        assert!(
            m.training_profile.is_none() && m.lineage.is_none(),
            "{path}"
        );
        let err = lifecycle::drift(&m, &table(&leadforest::demo::demo_csv(50, 1)))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no training profile") && err.contains("retrain"),
            "{err}"
        );
    }
}

#[test]
fn profile_and_lineage_round_trip_and_are_deterministic() {
    let mut m = demo_model(1200, 7);
    let profile = m
        .training_profile
        .clone()
        .expect("trained models carry a profile");
    assert_eq!(profile.features.len(), m.features.len());
    assert!(profile.features.iter().all(|b| b.total() == 1200));
    m.lineage = Some(Lineage {
        parent_checksum: Some("crc32:0badf00d".into()),
        first_date: Some("2025-07-01".into()),
        last_date: Some("2026-06-30".into()),
        old_rows: 1000,
        new_rows: 200,
        total_rows: 1200,
        holdout_rows: 50,
        created_by: "leadforest retrain a.lf b.csv".into(),
    });
    let bytes = m.to_bytes();
    let back = Model::from_bytes(&bytes).unwrap();
    assert_eq!(back, m);
    assert_eq!(back.to_bytes(), bytes);
    // Same data + seed ⇒ same bytes (profile included).
    assert_eq!(
        demo_model(1200, 7).to_bytes(),
        demo_model(1200, 7).to_bytes()
    );
    // The profile is small next to the trees: report its size.
    let mut bare = back.clone();
    bare.training_profile = None;
    bare.lineage = None;
    let extra = bytes.len() - bare.to_bytes().len();
    println!(
        "profile + lineage: {extra} bytes on a {} byte model",
        bytes.len()
    );
    assert!(extra < 4096, "{extra} bytes");
}

#[test]
fn a_reader_skips_the_optional_sections_it_does_not_know() {
    // A model file whose profile section is renamed to a name this build does not know: it
    // must load (optional sections are skipped) and score the same.
    let m = demo_model(400, 3);
    let mut bytes = m.to_bytes();
    let at = bytes
        .windows(16)
        .position(|w| w == b"training-profile")
        .unwrap();
    bytes[at..at + 16].copy_from_slice(b"training-profil2");
    let end = bytes.len() - 4;
    let crc = crc32fast::hash(&bytes[..end]);
    bytes[end..].copy_from_slice(&crc.to_le_bytes());
    let back = Model::from_bytes(&bytes).unwrap();
    assert!(back.training_profile.is_none());
    assert_eq!(back.trees(), m.trees());
}

/// The demo data with one column shifted: every lead from `Webinar` (a strong source) and twice
/// the page views.
fn shifted_demo(rows: usize, seed: u64) -> String {
    let csv = leadforest::demo::demo_csv(rows, seed);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let cols: Vec<&str> = header.split(',').collect();
    let source = cols.iter().position(|c| *c == "Lead Source").unwrap();
    let pages = cols.iter().position(|c| *c == "Pages Viewed").unwrap();
    let mut out = format!("{header}\n");
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[source] = "Webinar".into();
        if let Ok(p) = cells[pages].parse::<f64>() {
            cells[pages] = format!("{}", p * 2.0 + 5.0);
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn drift_is_stable_on_like_data_and_flags_shifted_columns() {
    let m = demo_model(1500, 7);
    let same = lifecycle::drift(&m, &table(&leadforest::demo::demo_csv(1500, 11))).unwrap();
    assert!(
        same.features.iter().all(|f| f.level == DriftLevel::Stable),
        "{same:#?}"
    );
    let shifted = lifecycle::drift(&m, &table(&shifted_demo(1500, 11))).unwrap();
    let psi = |name: &str| {
        shifted
            .features
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .psi
    };
    assert!(
        psi("Lead Source") > 0.25 && psi("Pages Viewed") > 0.25,
        "{shifted:#?}"
    );
    assert!(psi("Industry") < 0.1);
    // Sorted by PSI, largest first; the score moved too.
    assert!(shifted.features.windows(2).all(|w| w[0].psi >= w[1].psi));
    assert!(shifted.score.as_ref().unwrap().psi > same.score.as_ref().unwrap().psi);
    assert!(shifted.summary.contains("Lead Source"));
}

#[test]
fn retrain_records_lineage_and_compares_on_the_newest_period() {
    let old_csv = leadforest::demo::demo_csv(1200, 7);
    let champion = demo_model(1200, 7);
    let champion_bytes = champion.to_bytes();
    let new = table(&leadforest::demo::demo_csv(600, 9));
    let options = RetrainOptions {
        created_by: "test".into(),
        compare: lifecycle::CompareOptions {
            resamples: 200,
            ..Default::default()
        },
        ..RetrainOptions::default()
    };
    let r = lifecycle::retrain(
        &champion,
        &champion_bytes,
        Some(&table(&old_csv)),
        &new,
        &options,
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap();
    let l = r.challenger.lineage.as_ref().unwrap();
    assert_eq!(
        l.parent_checksum.as_deref(),
        Some(lifecycle::lineage::checksum(&champion_bytes).as_str())
    );
    // The compared challenger did not see the newest 120 rows; the model written was refit on
    // all 1,800 afterwards, and its lineage says so.
    let c = &r.compared;
    assert_eq!(
        (c.old_rows, c.new_rows, c.total_rows, c.holdout_rows),
        (1200, 480, 1680, 120)
    );
    assert_eq!(
        (l.old_rows, l.new_rows, l.total_rows, l.holdout_rows),
        (1200, 600, 1800, 120)
    );
    assert_eq!(r.refit.unwrap().rows, 1800);
    assert!(l.first_date.is_some() && l.last_date >= l.first_date);
    assert!(l.first_date <= c.first_date && l.last_date >= c.last_date);
    assert_eq!(r.challenger.info.rows, 1800);
    assert!(r.challenger.training_profile.is_some());
    // The challenger keeps the champion's inputs.
    let names = |m: &Model| {
        m.features
            .iter()
            .map(|f| f.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&r.challenger), names(&champion));
    let c = &r.comparison;
    assert_eq!(c.rows, 120);
    assert!(c.ci_low <= c.auc_difference && c.auc_difference <= c.ci_high);
    assert_eq!(c.recommendation == Recommendation::Switch, c.ci_low > 0.0);
    // The file keeps the lineage.
    let back = Model::from_bytes(&r.challenger.to_bytes()).unwrap();
    assert_eq!(back.lineage.as_ref(), Some(l));
    // A window of 30 days keeps only the latest month of training rows.
    let windowed = lifecycle::retrain(
        &champion,
        &champion_bytes,
        Some(&table(&old_csv)),
        &new,
        &RetrainOptions {
            window_days: Some(60.0),
            ..options.clone()
        },
        &mut |_| ControlFlow::Continue(()),
    )
    .unwrap();
    let w = windowed.challenger.lineage.unwrap();
    assert!(w.total_rows < 1800 / 3, "{w:?}");
    assert!(windowed.notes.iter().any(|n| n.contains("60-day window")));
    // The refit's window ends at the newest date of all rows (the newest period included), and
    // holds every row dated within 60 days of it.
    let wc = &windowed.compared;
    assert!(w.last_date >= wc.last_date, "{w:?} vs {wc:?}");
    assert_eq!(windowed.challenger.info.rows, w.total_rows);
    let (first, last) = (w.first_date.clone().unwrap(), w.last_date.clone().unwrap());
    let in_window = |csv: &str| {
        csv.lines()
            .skip(1)
            .filter(|line| {
                let d = line.split(',').nth(4).unwrap();
                d >= first.as_str() && d <= last.as_str()
            })
            .count() as u64
    };
    let new_csv = leadforest::demo::demo_csv(600, 9);
    assert_eq!(
        (w.old_rows, w.new_rows),
        (in_window(&old_csv), in_window(&new_csv)),
        "{w:?}"
    );
}

/// A champion whose early stopping stops well before its 400-round cap.
fn stopping_champion(refit: bool) -> Model {
    let t = table(&leadforest::demo::demo_csv(1200, 7));
    let options = DatasetOptions {
        drop: vec!["Funnel Stage".into(), "Lead ID".into()],
        ..DatasetOptions::target("Converted")
    };
    let config = TrainConfig {
        n_trees: 400,
        learning_rate: 0.3,
        patience: 10,
        refit: Some(refit),
        seed: 7,
        ..TrainConfig::default()
    };
    Trainer::new(config)
        .fit_table(&t, &options, &mut |_| ControlFlow::Continue(()))
        .unwrap()
        .model
}

#[test]
fn retrain_refits_with_the_rounds_early_stopping_chose_deterministically() {
    let old = table(&leadforest::demo::demo_csv(1200, 7));
    let new = table(&leadforest::demo::demo_csv(600, 9));
    let options = RetrainOptions {
        compare: lifecycle::CompareOptions {
            resamples: 100,
            ..Default::default()
        },
        ..RetrainOptions::default()
    };
    let run = |champion: &Model| {
        lifecycle::retrain(
            champion,
            &champion.to_bytes(),
            Some(&old),
            &new,
            &options,
            &mut |_| ControlFlow::Continue(()),
        )
        .unwrap()
    };
    // With refit off in the settings, the model returned is the compared challenger: its rounds
    // are the ones early stopping chose (and it never saw the newest period).
    let plain = run(&stopping_champion(false));
    assert!(plain.refit.is_none());
    // It was handed 1,680 rows and grew its trees on the training part of its own validation
    // split (the rest stopped it early): that is the row count it states.
    let v = plain.challenger.validation.as_ref().unwrap();
    assert_eq!(v.train_rows + v.test_rows, 1680);
    assert_eq!(plain.challenger.info.rows, v.train_rows);
    assert_eq!(plain.challenger.lineage.as_ref(), Some(&plain.compared));
    let chosen = plain.challenger.info.rounds;
    assert!(chosen < 400, "early stopping stopped: {chosen}");
    assert!(plain.notes.iter().any(|n| n.contains("refit off")));
    // With refit on: the same early-stopped challenger is compared, then the model written is
    // trained on all 1,800 rows with that round count.
    let champion = stopping_champion(true);
    let r = run(&champion);
    let refit = r.refit.unwrap();
    assert_eq!(refit.rounds, Some(chosen));
    assert_eq!(r.challenger.info.rounds, chosen);
    assert_eq!(r.challenger.trees().len() as u32, chosen);
    assert_eq!((refit.rows, r.challenger.info.rows), (1800, 1800));
    assert_eq!(r.compared.total_rows, 1680);
    // The stored settings are the champion's, so the next retrain starts from the same ones.
    assert_eq!(r.challenger.info.config, champion.info.config);
    // A working model: calibrated on its own validation split, with a training profile.
    assert!(r.challenger.scoring.is_some() && r.challenger.training_profile.is_some());
    // Same inputs and seed ⇒ the same bytes.
    let again = run(&champion);
    assert_eq!(again.challenger.to_bytes(), r.challenger.to_bytes());
    assert_eq!(again.comparison, r.comparison);
}

/// The demo data with a `Region` column: `EMEA` on every row, or (when `vary`) `APAC` on every
/// other row; and, when `all_convert`, every lead converted.
fn with_region(rows: usize, seed: u64, vary: bool, all_convert: bool) -> String {
    let csv = leadforest::demo::demo_csv(rows, seed);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let target = header.split(',').position(|c| c == "Converted").unwrap();
    let mut out = format!("{header},Region\n");
    for (i, line) in lines.enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if all_convert {
            cells[target] = "Yes".into();
        }
        let region = if vary && i % 2 == 1 { "APAC" } else { "EMEA" };
        out.push_str(&format!("{},{region}\n", cells.join(",")));
    }
    out
}

#[test]
fn drift_reports_constant_columns_that_start_to_vary_and_the_outcome() {
    let options = DatasetOptions {
        drop: vec!["Funnel Stage".into(), "Lead ID".into()],
        ..DatasetOptions::target("Converted")
    };
    let config = TrainConfig {
        n_trees: 30,
        seed: 7,
        ..TrainConfig::default()
    };
    let train = table(&with_region(1500, 7, false, false));
    let m = Trainer::new(config)
        .fit_table(&train, &options, &mut |_| ControlFlow::Continue(()))
        .unwrap()
        .model;
    // `Region` is not a model input, but the profile remembers its one value, and the class
    // counts; both survive the file.
    assert!(m.features.iter().all(|f| f.source != "Region"));
    let m = Model::from_bytes(&m.to_bytes()).unwrap();
    let profile = m.training_profile.as_ref().unwrap();
    assert_eq!(profile.constant_columns.len(), 1, "{profile:?}");
    assert_eq!(profile.constant_columns[0].value.as_deref(), Some("EMEA"));
    assert_eq!(profile.class_counts.iter().sum::<u64>(), 1500);

    // Like data: Region stable, outcome stable, the model's average close to the actual rate.
    let same = lifecycle::drift(&m, &table(&with_region(1500, 11, false, false))).unwrap();
    assert_eq!(same.unused_columns.len(), 1);
    assert_eq!(same.unused_columns[0].level, DriftLevel::Stable);
    let o = same.outcome.as_ref().expect("the new data has outcomes");
    assert_eq!(o.level, DriftLevel::Stable, "{o:?}");
    // (The calibrator learned the latest period's rate, time-ordered validation being the
    // default on data with a creation date, so the average need not match exactly.)
    let (a, p) = (o.actual_rate.unwrap(), o.predicted_rate.unwrap());
    assert!((a - p).abs() < 0.15, "{o:?}");
    assert!(!same.summary.contains("no longer fit"), "{}", same.summary);

    // Region varies and every lead converts: both flagged, in the summary too.
    let moved = lifecycle::drift(&m, &table(&with_region(1500, 11, true, true))).unwrap();
    let region = &moved.unused_columns[0];
    assert!(
        !region.used && region.level == DriftLevel::Major,
        "{region:?}"
    );
    let o = moved.outcome.as_ref().unwrap();
    assert_eq!(o.level, DriftLevel::Major);
    assert_eq!(o.actual_rate, Some(1.0));
    assert!(o.predicted_rate.unwrap() < 0.6, "{o:?}");
    assert!(
        moved
            .summary
            .contains("`Region` had one value on every training row")
            && moved.summary.contains("100.0 %")
            && moved
                .summary
                .contains("no longer fit these leads — retrain"),
        "{}",
        moved.summary
    );
    // Without the target column: no outcome part; few rows: a warning.
    let csv = with_region(60, 3, false, false);
    let target = csv
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "Converted")
        .unwrap();
    let few: String = csv
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(target);
            cells.join(",") + "\n"
        })
        .collect();
    let few = lifecycle::drift(&m, &table(&few)).unwrap();
    assert!(few.outcome.is_none());
    assert!(
        few.warnings.iter().any(|w| w.contains("only 60 new rows")),
        "{:?}",
        few.warnings
    );
}
