//! `leadforest score --for hubspot|salesforce|zoho|pipedrive`, run as the real binary on
//! export-shaped fixtures (`tests/data/crm/`, the header names of each CRM's own lead/contact
//! export, written by `tests/data/crm/make_fixtures.py`): each CRM's record id comes back under
//! the header its import maps to the record id, in input order, with scores identical to the
//! plain `score` output; missing, duplicated and empty ids and non-number amounts are errors or
//! notes that name the rows.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli;

use std::path::PathBuf;

/// One CRM's fixture and naming.
struct Case {
    crm: &'static str,
    file: &'static str,
    target: &'static str,
    id_in: &'static str,
    id_out: &'static str,
    fields: [&'static str; 5],
    value: &'static str,
}

const CASES: [Case; 4] = [
    Case {
        crm: "hubspot",
        file: "tests/data/crm/hubspot_contacts.csv",
        target: "Lifecycle Stage",
        id_in: "Record ID",
        id_out: "Record ID",
        fields: [
            "leadforest_probability",
            "leadforest_score",
            "leadforest_tier",
            "leadforest_reasons",
            "leadforest_expected_value",
        ],
        value: "Annual Revenue",
    },
    Case {
        crm: "salesforce",
        file: "tests/data/crm/salesforce_leads.csv",
        target: "Converted",
        id_in: "Lead ID",
        id_out: "Id",
        fields: [
            "Leadforest_Probability__c",
            "Leadforest_Score__c",
            "Leadforest_Tier__c",
            "Leadforest_Reasons__c",
            "Leadforest_Expected_Value__c",
        ],
        value: "Annual Revenue",
    },
    Case {
        crm: "zoho",
        file: "tests/data/crm/zoho_leads.csv",
        target: "Lead Status",
        id_in: "Record Id",
        id_out: "Record Id",
        fields: [
            "Leadforest Probability",
            "Leadforest Score",
            "Leadforest Tier",
            "Leadforest Reasons",
            "Leadforest Expected Value",
        ],
        value: "Annual Revenue",
    },
    Case {
        crm: "pipedrive",
        file: "tests/data/crm/pipedrive_people.csv",
        target: "Person - Label",
        id_in: "Person - ID",
        id_out: "Person - ID",
        fields: [
            "Person - Leadforest probability",
            "Person - Leadforest score",
            "Person - Leadforest tier",
            "Person - Leadforest reasons",
            "Person - Leadforest expected value",
        ],
        value: "Person - Deal value",
    },
];

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadforest-crm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// A CSV as header + records.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn write_csv(path: &std::path::Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no `{name}` in {header:?}"))
}

/// Runs the binary, expecting failure; returns stderr.
fn fails(args: &[&str]) -> String {
    let out = cli::lf(args);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn train(case: &Case) -> PathBuf {
    let model = tmp(&format!("{}.lfm", case.crm));
    cli::ok(&[
        "train",
        case.file,
        "--target",
        case.target,
        "--trees",
        "20",
        "--seed",
        "3",
        "--out",
        s(&model),
    ]);
    model
}

/// The whole round trip of one CRM: the import file against the plain scored CSV, then each
/// error on a damaged copy of the export.
fn check(case: &Case) {
    let model = train(case);
    let input = std::fs::read_to_string(case.file).unwrap();
    let (in_header, in_rows) = read_csv(&input);
    let id_col = col(&in_header, case.id_in);

    let plain = cli::ok(&["score", s(&model), case.file, "--value", case.value]);
    let (p_header, p_rows) = read_csv(&plain);
    let out = tmp(&format!("{}.csv", case.crm));
    let run = cli::lf(&[
        "score",
        s(&model),
        case.file,
        "--for",
        case.crm,
        "--value",
        case.value,
        "--out",
        s(&out),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        !bytes.starts_with(b"\xEF\xBB\xBF"),
        "no BOM: imports read the first header as given"
    );
    let text = String::from_utf8(bytes).expect("UTF-8");
    // The library's import file (the JS API's Model.crmCsv) is the same, byte for byte.
    let lib_model = leadforest::model::Model::from_bytes(&std::fs::read(&model).unwrap()).unwrap();
    let table = leadforest::data::Table::from_csv(
        input.as_bytes(),
        &leadforest::data::CsvOptions {
            missing: lib_model.pipeline.missing.clone(),
            ..Default::default()
        },
    )
    .unwrap();
    let file = leadforest::crm::crm_file(
        &lib_model,
        &table,
        &leadforest::crm::CrmOptions {
            crm: case.crm.into(),
            value: Some(case.value.into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(file.csv, text, "{}", case.crm);
    assert_eq!((file.rows, file.left_out.len()), (160, 0));
    assert_eq!(file.id_column, case.id_in);
    let (header, rows) = read_csv(&text);
    let mut want = vec![case.id_out.to_string()];
    want.extend(case.fields.iter().map(|f| f.to_string()));
    assert_eq!(header, want, "{}", case.crm);

    // Ids preserved, in input order; every row written.
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let in_ids: Vec<&str> = in_rows.iter().map(|r| r[id_col].as_str()).collect();
    assert_eq!(ids, in_ids, "{}", case.crm);
    assert_eq!(rows.len(), 160);

    // Scores identical to the plain `score` output.
    let pc = |name: &str| col(&p_header, name);
    let (prob, score, tier, ev) = (
        pc("probability"),
        pc("score"),
        pc("tier"),
        pc("expected_value"),
    );
    let reasons: Vec<usize> = (1..=3).map(|i| pc(&format!("reason_{i}"))).collect();
    let mut tiers = std::collections::BTreeSet::new();
    for (r, p) in rows.iter().zip(&p_rows) {
        assert_eq!(r[1], p[prob], "{}", case.crm);
        assert_eq!(r[2], p[score]);
        assert_eq!(r[3], p[tier]);
        let joined: Vec<&str> = reasons
            .iter()
            .map(|&i| p[i].as_str())
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(r[4], joined.join("; "));
        assert_eq!(r[5], p[ev]);
        tiers.insert(r[3].clone());
    }
    assert!(tiers.len() > 1, "the model ranks leads: {tiers:?}");
    // Expected value = probability × amount (to the cent).
    let first_ev: f64 = rows[0][5].parse().unwrap();
    let first_p: f64 = rows[0][1].parse().unwrap();
    assert!(first_ev > 0.0 && first_p > 0.0 && first_p < 1.0);

    // The same without --value: no expected-value field; --reasons 0: no reasons field.
    let bare = cli::ok(&[
        "score",
        s(&model),
        case.file,
        "--for",
        case.crm,
        "--reasons",
        "0",
    ]);
    assert_eq!(read_csv(&bare).0, want[..4].to_vec());

    // No id column: the error lists what was looked for and --id; --id then works.
    let mut renamed = in_header.clone();
    renamed[id_col] = "Internal key".into();
    let no_id = tmp(&format!("{}-no-id.csv", case.crm));
    write_csv(&no_id, &renamed, &in_rows);
    let err = fails(&["score", s(&model), s(&no_id), "--for", case.crm]);
    assert!(err.contains("no record id column"), "{err}");
    assert!(err.contains(&format!("`{}`", case.id_in)), "{err}");
    assert!(
        err.contains("--id COLUMN") && err.contains("`Internal key`"),
        "{err}"
    );
    let chosen = cli::ok(&[
        "score",
        s(&model),
        s(&no_id),
        "--for",
        case.crm,
        "--id",
        "Internal key",
    ]);
    let (h, r) = read_csv(&chosen);
    assert_eq!(h[0], case.id_out);
    assert_eq!(r.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), in_ids);
    let err = fails(&[
        "score",
        s(&model),
        case.file,
        "--for",
        case.crm,
        "--id",
        "Nope",
    ]);
    assert!(
        err.contains("--id `Nope`") && err.contains(case.id_in),
        "{err}"
    );

    // Duplicated ids: an error naming the rows (1-based data rows).
    let mut dup = in_rows.clone();
    dup[4][id_col] = dup[1][id_col].clone();
    let dup_path = tmp(&format!("{}-dup.csv", case.crm));
    write_csv(&dup_path, &in_header, &dup);
    let err = fails(&["score", s(&model), s(&dup_path), "--for", case.crm]);
    assert!(
        err.contains(&format!("`{}` appears on rows 2, 5", in_rows[1][id_col])),
        "{err}"
    );

    // Empty ids: those rows are left out with a note saying how many, which and why.
    let mut empty = in_rows.clone();
    empty[2][id_col] = String::new();
    empty[6][id_col] = "  ".into();
    let empty_path = tmp(&format!("{}-empty.csv", case.crm));
    write_csv(&empty_path, &in_header, &empty);
    let run = cli::lf(&["score", s(&model), s(&empty_path), "--for", case.crm]);
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("2 of 160 rows left out")
            && err.contains("is empty")
            && err.contains("rows 3, 7"),
        "{err}"
    );
    let (_, r) = read_csv(&String::from_utf8(run.stdout).unwrap());
    let kept: Vec<&str> = in_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2 && *i != 6)
        .map(|(_, id)| *id)
        .collect();
    assert_eq!(r.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), kept);
    // The scores of the rows kept are those of the full file.
    assert_eq!(r[2][1..4], rows[3][1..4]);

    // A non-number amount: an error naming the row and the cell.
    let mut bad = in_rows.clone();
    let vcol = col(&in_header, case.value);
    bad[3][vcol] = "ask Dana".into();
    let bad_path = tmp(&format!("{}-bad-value.csv", case.crm));
    write_csv(&bad_path, &in_header, &bad);
    for extra in [&["--for", case.crm][..], &[][..]] {
        let mut args = vec!["score", s(&model), s(&bad_path), "--value", case.value];
        args.extend_from_slice(extra);
        let err = fails(&args);
        assert!(
            err.contains("row 4") && err.contains("`ask Dana` is not a number"),
            "{err}"
        );
    }
}

#[test]
fn hubspot() {
    check(&CASES[0]);
}

#[test]
fn salesforce() {
    check(&CASES[1]);
}

#[test]
fn zoho() {
    check(&CASES[2]);
}

#[test]
fn pipedrive() {
    check(&CASES[3]);
}

#[test]
fn semicolon_exports_become_comma_files_and_quoting_survives() {
    let case = &CASES[0];
    let model = train(case);
    let (header, mut rows) = read_csv(&std::fs::read_to_string(case.file).unwrap());
    // A European export: semicolons, and an id with a comma and a quote in it.
    rows[0][0] = "51,\"7\"".into();
    let path = tmp("hubspot-semicolon.csv");
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(&path)
        .unwrap();
    w.write_record(&header).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let out = cli::ok(&["score", s(&model), s(&path), "--for", "hubspot"]);
    assert!(
        out.starts_with("Record ID,leadforest_probability,"),
        "{out}"
    );
    let (_, r) = read_csv(&out);
    assert_eq!(r[0][0], "51,\"7\"");
    assert_eq!(r.len(), rows.len());
}

#[test]
fn multi_class_models_and_shadow_mode_are_refused() {
    let case = &CASES[2];
    let model = tmp("zoho-owner.lfm");
    cli::ok(&[
        "train",
        case.file,
        "--target",
        "Lead Owner",
        "--trees",
        "5",
        "--out",
        s(&model),
    ]);
    let err = fails(&["score", s(&model), case.file, "--for", "zoho"]);
    assert!(err.contains("3 classes"), "{err}");
    let err = fails(&["score", s(&model), case.file, "--value", "Annual Revenue"]);
    assert!(err.contains("--value needs a yes/no model"), "{err}");
    let err = fails(&[
        "score",
        s(&model),
        case.file,
        "--for",
        "zoho",
        "--shadow",
        s(&model),
    ]);
    assert!(err.contains("cannot be used with"), "{err}");
    // A capacity or threshold is refused rather than silently left out of the CRM file.
    let golden = "models/golden_gbt.lf";
    let err = fails(&["score", golden, case.file, "--for", "zoho", "--top", "10"]);
    assert!(
        err.contains("--threshold and --top are not applied"),
        "{err}"
    );
}
