//! Scoring a known schema streams (issue 17): `Pipeline::encode_csv` / `Model::read_csv` read a
//! CSV straight through a model's stored pipeline. These tests hold it to the table path it
//! replaces for scoring (`Table::from_csv` + `Pipeline::encode_table`) and to the record path
//! (`Pipeline::encode_record`): the same feature values bit for bit, rows, header names,
//! separator, notes and errors — on the shared datasets' rows, on hostile variants of them
//! (junk, placeholders, padding, case, unseen categories, reordered / missing / extra columns,
//! `;`, CRLF, BOM, quotes, blank rows, Windows-1252) and on the malformed-input corpus.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/bad_corpus.rs"]
mod bad_corpus;
#[path = "common/stream.rs"]
mod stream;
use stream::{check_records, check_same, hostile, options, pipeline};

use leadforest::data::{Dataset, DatasetOptions, Table};
use leadforest::model::leads::{ExplainOptions, ScoreOptions};
use std::path::PathBuf;

#[path = "common/datasets.rs"]
mod shared;
use shared::read;

/// Each dataset: its own rows, then a hostile variant, through the pipeline it would train.
fn dataset(file: &str, target: &str, missing: &[&str], max_bytes: usize) {
    let bytes = read(file, max_bytes);
    let p = pipeline(&bytes, target, missing);
    let s = check_same(&p, &bytes, file).unwrap();
    check_records(&p, &bytes, &s, 300, file);
    let drop = p.features[0].source.clone();
    let h = hostile(&bytes, s.delimiter, &drop);
    let what = format!("{file} (hostile)");
    let s = check_same(&p, &h, &what).unwrap();
    assert!(s.features.absent.contains(&drop), "{what}");
    check_records(&p, &h, &s, 300, &what);
}

#[test]
fn bank_full_streams_like_the_table() {
    dataset("bank_marketing/bank-full.csv", "y", &[], usize::MAX);
}

#[test]
fn x_education_streams_like_the_table() {
    dataset(
        "x_education_leads/Leads.csv",
        "Converted",
        &["Select"],
        usize::MAX,
    );
}

#[test]
fn hillstrom_streams_like_the_table() {
    dataset("hillstrom_email/hillstrom.csv", "conversion", &[], 1 << 21);
}

#[test]
fn olist_streams_like_the_table() {
    dataset(
        "olist_marketing_funnel/olist_closed_deals_dataset.csv",
        "lead_type",
        &[],
        usize::MAX,
    );
    dataset(
        "olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv",
        "origin",
        &[],
        usize::MAX,
    );
}

#[test]
fn bench_10k20_streams_like_the_table() {
    dataset("bench_10k20/d10k.csv", "label", &[], usize::MAX);
}

#[test]
fn demo_exports_stream_like_the_table() {
    let demo = leadforest::demo::demo_csv(1500, 3);
    let p = pipeline(demo.as_bytes(), "Converted", &["Select"]);
    // Dates, e-mail domains and free-mail flags, placeholders: every transform.
    let s = check_same(&p, demo.as_bytes(), "demo").unwrap();
    check_records(&p, demo.as_bytes(), &s, 1500, "demo");
    let h = hostile(demo.as_bytes(), ',', &p.features[0].source);
    let s = check_same(&p, &h, "demo (hostile)").unwrap();
    check_records(&p, &h, &s, 1500, "demo (hostile)");
    let messy = leadforest::demo::messy_csv(1500, 3);
    let t = Table::from_csv(messy.as_bytes(), &options(&[])).unwrap();
    let target = t.names()[t.names().len() - 1].to_string();
    let p = pipeline(messy.as_bytes(), &target, &[]);
    let s = check_same(&p, messy.as_bytes(), "messy").unwrap();
    check_records(&p, messy.as_bytes(), &s, 1500, "messy");
    let h = hostile(messy.as_bytes(), ',', &p.features[0].source);
    check_same(&p, &h, "messy (hostile)").unwrap();
}

#[test]
fn windows_1252_and_utf16_files_stream_like_the_table() {
    let demo = leadforest::demo::demo_csv(300, 5);
    let p = pipeline(demo.as_bytes(), "Converted", &["Select"]);
    // Latin-1 bytes (ü = 0xFC) in one cell: the whole file is read as Windows-1252.
    let mut latin: Vec<u8> = demo
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let at = latin.iter().position(|&b| b == b'\n').unwrap() + 1;
    let comma = at + latin[at..].iter().position(|&b| b == b',').unwrap();
    latin.splice(comma..comma, b"Z\xFCrich".iter().copied());
    let s = check_same(&p, &latin, "windows-1252").unwrap();
    assert!(
        s.notes.iter().any(|n| n.contains("Windows-1252")),
        "{:?}",
        s.notes
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(demo.encode_utf16().flat_map(u16::to_le_bytes));
    check_same(&p, &utf16, "utf-16").unwrap();
}

#[test]
fn malformed_files_fail_with_the_same_message() {
    let demo = leadforest::demo::demo_csv(50, 5);
    let p = pipeline(demo.as_bytes(), "Converted", &["Select"]);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for sub in ["bad", "."] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "csv") {
                cases.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let gen = |j: &str| bad_corpus::generate(&serde_json::from_str(j).unwrap(), &[]);
    cases.push((
        "100,000 columns".into(),
        gen(r#"{"kind":"wide_header","columns":100000}"#),
    ));
    cases.push((
        "2 MB field".into(),
        gen(r#"{"kind":"big_field","bytes":2097152}"#),
    ));
    let more: [(&str, &[u8]); 9] = [
        (
            "unclosed quote",
            b"Lead Source,Pages Viewed\nWeb,3\n\"Ads,4\nWeb,5\n",
        ),
        ("ragged", b"Lead Source,Pages Viewed\nWeb,3\nAds\n"),
        (
            "extra empty fields",
            b"Lead Source,Pages Viewed\nWeb,3,,\nAds,4\n",
        ),
        ("extra fields", b"Lead Source,Pages Viewed\nWeb,3,x\n"),
        ("nul", b"Lead Source,Pages Viewed\nWe\0b,3\n"),
        (
            "damaged utf-8",
            "Lead Source,Pages Viewed\nZürich,3\nK\u{f6}ln,4\n".as_bytes(),
        ),
        (
            "blank header",
            b"\n,,\nLead Source,Pages Viewed\n,\nWeb,3\n",
        ),
        ("unnamed column", b"Lead Source,,Pages Viewed\nWeb,x,3\n"),
        ("header only", b"Lead Source,Pages Viewed\n"),
    ];
    for (name, b) in more {
        cases.push((name.into(), b.to_vec()));
    }
    let mut damaged = b"Lead Source,Pages Viewed\nZ\xc3\xbcrich,3\nK".to_vec();
    damaged.extend_from_slice(b"\xf6ln,4\n");
    cases.push(("damaged utf-8 bytes".into(), damaged));
    cases.push(("empty".into(), Vec::new()));
    cases.push(("spaces".into(), b"  \n \n".to_vec()));
    let mut failed = 0;
    for (name, bytes) in &cases {
        if check_same(&p, bytes, name).is_none() {
            failed += 1;
        }
    }
    assert!(
        failed >= 9,
        "only {failed} cases failed: the corpus lost its teeth"
    );
}

#[test]
fn cells_the_pipeline_cannot_read_are_reported_by_row_and_column() {
    let demo = leadforest::demo::demo_csv(300, 5);
    let p = pipeline(demo.as_bytes(), "Converted", &["Select"]);
    let csv = "Lead Source,Pages Viewed,Created Date,Email\n\
               Web,3,2024-03-04,a@acme.com\n\
               Zzz never seen,lots,2024-03-05,b@gmail.com\n\
               Select,N/A,soon,not an address\n\
               Web,many,,c@acme.com\n";
    let s = p.encode_csv(csv.as_bytes()).unwrap();
    let w = s.features.warnings.join("\n");
    assert!(
        w.contains(
            "2 of 4 values of column `Pages Viewed` are not numbers the model can read: they are \
             scored as missing (the first: row 2 (line 3), column `Pages Viewed`, `lots`)"
        ),
        "{w}"
    );
    assert!(
        w.contains("1 of 4 values of column `Created Date` are not dates")
            && w.contains("row 3 (line 4), column `Created Date`, `soon`"),
        "{w}"
    );
    assert!(w.contains("`Email` are not e-mail addresses"), "{w}");
    // One warning per column even when it feeds several features (age, weekday, month).
    assert_eq!(w.matches("`Created Date` are not").count(), 1, "{w}");
    assert_eq!(w.matches("`Email` are not").count(), 1, "{w}");
    // Unseen categories and placeholders are not unreadable.
    assert!(!w.contains("Lead Source`"), "{w}");
    assert!(!w.contains("`N/A`"), "{w}");
    // The values are what they were: missing.
    let pages = p
        .features
        .iter()
        .position(|f| f.source == "Pages Viewed")
        .unwrap();
    let v = &s.features.columns[pages];
    assert_eq!(v[0], 3.0);
    assert!(v[1].is_nan() && v[2].is_nan() && v[3].is_nan());
}

/// The demo data (`rows`, `seed`) as CSV text and as a table, `Select` read as missing.
fn demo_table(rows: usize, seed: u64) -> (String, Table) {
    let demo = leadforest::demo::demo_csv(rows, seed);
    let t = Table::from_csv(demo.as_bytes(), &demo_options()).unwrap();
    (demo, t)
}

/// The CSV options the demo data is read with (`Select` = missing).
fn demo_options() -> leadforest::data::CsvOptions {
    options(&["Select".to_string()])
}

/// A model of the demo table `t` for `target` (without the column `drop`), `trees` rounds.
fn demo_model(t: &Table, target: &str, drop: &str, trees: u32) -> leadforest::model::Model {
    use leadforest::train::{TrainConfig, Trainer};
    let mut o = DatasetOptions::target(target);
    o.drop = vec![drop.into()];
    let d = Dataset::new(t, &o).unwrap();
    let config = TrainConfig {
        n_trees: trees,
        ..TrainConfig::default()
    };
    Trainer::new(config)
        .fit(&d, &mut |_| std::ops::ControlFlow::Continue(()))
        .unwrap()
}

/// A trained model scores and explains the streamed rows exactly as the table's.
#[test]
fn scores_and_explanations_equal_the_table_paths() {
    let (demo, t) = demo_table(800, 9);
    let model = demo_model(&t, "Converted", "Funnel Stage", 30);
    let h = hostile(demo.as_bytes(), ',', "Lead Source");
    for (what, bytes) in [("demo", demo.as_bytes()), ("hostile", &h[..])] {
        let table = Table::from_csv(bytes, &demo_options()).unwrap();
        let input = model.read_csv(bytes).unwrap();
        for o in [
            ScoreOptions::default(),
            ScoreOptions {
                reasons: Some(3),
                percentile: true,
                ..Default::default()
            },
            ScoreOptions {
                capacity: Some(leadforest::model::leads::Capacity::Top(
                    leadforest::model::leads::TopLeads { top: 40 },
                )),
                ..Default::default()
            },
        ] {
            let a = model.score_leads(&table, &o, 0).unwrap();
            let b = model.score_encoded_leads(&input.features, &o, 0).unwrap();
            assert_eq!(a.leads, b.leads, "{what}");
            assert_eq!(a.decision, b.decision, "{what}");
            assert_eq!(a.warnings[..], b.warnings[..a.warnings.len()], "{what}");
        }
        let e = ExplainOptions {
            rows: None,
            reasons: 2,
        };
        let a = model.explain_table(&table, &e).unwrap();
        let b = model.explain_encoded(&input.features, &e).unwrap();
        assert_eq!(a, b, "{what}");
    }
    // None of the model's columns: the same error as the table path.
    let wrong = b"a,b\n1,2\n";
    let table = Table::from_csv(wrong, &demo_options()).unwrap();
    let a = model.score_table(&table).unwrap_err().to_string();
    let input = model.read_csv(wrong).unwrap();
    let b = model
        .score_encoded(&input.features)
        .unwrap_err()
        .to_string();
    assert_eq!(a, b);
    assert!(a.contains("none of the columns the model uses"), "{a}");
}

/// The first `n` data rows of `csv` as records (empty cells missing).
fn csv_records(csv: &str, n: usize) -> Vec<leadforest::model::Record> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .take(n)
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.clone(), (!v.is_empty()).then(|| v.to_string())))
                .collect()
        })
        .collect()
}

/// One explain cache kept across calls (the JS handle's `scoreRecord`/`scoreRecords`) gives
/// the same leads as preparing the trees afresh each call, also when the same cache is handed
/// two models in turn (it must notice the other trees, not reuse the first model's).
#[test]
fn an_explain_cache_kept_across_calls_changes_no_lead() {
    use leadforest::explain::ExplainCache;
    let (demo, t) = demo_table(600, 5);
    let records = csv_records(&demo, 40);
    let binary = demo_model(&t, "Converted", "Funnel Stage", 20);
    let stages = demo_model(&t, "Funnel Stage", "Converted", 20);
    let options = ScoreOptions::default();
    let mut cache = ExplainCache::default();
    for round in 0..2 {
        for model in [&binary, &stages] {
            for (i, record) in records.iter().enumerate() {
                let fresh = model.score_lead(record, &options, 3).unwrap();
                let cached = model
                    .score_lead_with(record, &options, 3, Some(&mut cache))
                    .unwrap();
                assert_eq!(cached, fresh, "round {round} record {i}");
                assert!(!fresh.0.reasons.is_empty(), "record {i} has reasons");
            }
            let fresh = model.score_lead_records(&records, &options, 3).unwrap();
            let cached = model
                .score_lead_records_with(&records, &options, 3, Some(&mut cache))
                .unwrap();
            assert_eq!(cached, fresh, "round {round}");
        }
    }
}

/// `score_lead_records` (the JS API's `scoreRecords`: reasons explained a block of records at a
/// time) scores and explains each record as `score_lead` (one record) does, for a binary and a
/// multi-class model; the streamed file's reasons equal `explain_encoded`'s.
#[test]
fn records_scored_together_equal_one_at_a_time() {
    let (demo, t) = demo_table(700, 11);
    let records = csv_records(&demo, 300);
    for (target, drop) in [("Converted", "Funnel Stage"), ("Funnel Stage", "Converted")] {
        let model = demo_model(&t, target, drop, 25);
        for options in [
            ScoreOptions::default(),
            ScoreOptions {
                reasons: Some(0),
                ..Default::default()
            },
            ScoreOptions {
                reasons: Some(2),
                percentile: true,
                ..Default::default()
            },
        ] {
            let (leads, decision) = model.score_lead_records(&records, &options, 3).unwrap();
            assert_eq!(leads.len(), records.len());
            let mut with_reasons = 0;
            for (i, (lead, record)) in leads.iter().zip(&records).enumerate() {
                let (one, d) = model.score_lead(record, &options, 3).unwrap();
                assert_eq!(d, decision, "{target} record {i}");
                assert_eq!(lead.probability.to_bits(), one.probability.to_bits());
                assert_eq!(
                    (lead.score, lead.tier, lead.decision, lead.percentile),
                    (one.score, one.tier, one.decision, one.percentile),
                    "{target} record {i}"
                );
                assert_eq!(lead.predicted_class, one.predicted_class);
                assert_eq!(lead.reasons.len(), one.reasons.len(), "{target} record {i}");
                for (a, b) in lead.reasons.iter().zip(&one.reasons) {
                    assert_eq!(
                        (&a.text, &a.column, &a.value, &a.direction),
                        (&b.text, &b.column, &b.value, &b.direction),
                        "{target} record {i}"
                    );
                    let tol = 1e-12 * (1.0 + b.contribution.abs());
                    assert!(
                        (a.contribution - b.contribution).abs() <= tol,
                        "{target} record {i}"
                    );
                }
                with_reasons += usize::from(!lead.reasons.is_empty());
            }
            let want = options.reasons.unwrap_or(3);
            assert_eq!(with_reasons > 0, want > 0, "{target} {options:?}");
        }
        // The streamed file's reasons: the same as the explanation's.
        let input = model.read_csv(demo.as_bytes()).unwrap();
        let scored = model
            .score_encoded_leads(
                &input.features,
                &ScoreOptions {
                    reasons: Some(2),
                    ..Default::default()
                },
                0,
            )
            .unwrap();
        let explained = model
            .explain_encoded(
                &input.features,
                &ExplainOptions {
                    rows: None,
                    reasons: 2,
                },
            )
            .unwrap();
        // (Multi-class: both explain each row's most likely class.)
        let reasons: Vec<_> = scored.leads.into_iter().map(|l| l.reasons).collect();
        assert_eq!(Some(reasons), explained.reasons, "{target}");
    }
}
