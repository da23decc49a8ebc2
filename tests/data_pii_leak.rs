//! Personal data is recognised and excluded (never stored in a pipeline); the leak scan flags
//! columns recorded after the outcome, on a fixture and on the x_education export.
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::{
    ColumnKind, CsvOptions, Dataset, DatasetOptions, PersonalKind, Profile, Table,
};
use std::path::PathBuf;

fn fixture() -> (Vec<u8>, Table) {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/pii_leads.csv"
    ))
    .unwrap();
    let t = Table::from_csv(&bytes, &CsvOptions::default()).unwrap();
    (bytes, t)
}

#[test]
fn personal_data_kinds() {
    let (_, t) = fixture();
    let kind = |n: &str| t.column(n).unwrap().kind;
    assert_eq!(
        kind("Contact Name"),
        ColumnKind::Personal(PersonalKind::PersonName)
    );
    assert_eq!(
        kind("Work Email"),
        ColumnKind::Personal(PersonalKind::Email)
    );
    assert_eq!(
        kind("Mobile Phone"),
        ColumnKind::Personal(PersonalKind::Phone)
    );
    assert_eq!(
        kind("Street Address"),
        ColumnKind::Personal(PersonalKind::StreetAddress)
    );
    assert_eq!(
        kind("Last IP"),
        ColumnKind::Personal(PersonalKind::IpAddress)
    );
    assert_eq!(kind("Notes"), ColumnKind::FreeText);
    assert_eq!(kind("Record ID"), ColumnKind::Identifier);
    assert_eq!(kind("Lead Source"), ColumnKind::Categorical);
    assert_eq!(kind("Budget"), ColumnKind::Numeric);
    assert_eq!(kind("Signed Up"), ColumnKind::Boolean);
    assert_eq!(t.column("Budget").unwrap().value(0), 3300.0);
}

#[test]
fn personal_data_never_reaches_the_pipeline() {
    let (bytes, t) = fixture();
    let mut o = DatasetOptions::target("Stage");
    o.positive = vec!["Closed Won".into()];
    o.min_category_rows = 1; // even one-off e-mail domains would be kept: none is personal
    let d = Dataset::new(&t, &o).unwrap();
    let names: Vec<&str> = d.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Work Email: domain",
            "Work Email: free mail",
            "Lead Source",
            "Budget",
            "Signed Up"
        ]
    );
    let pipeline = postcard::to_allocvec(&d.pipeline).unwrap();
    let stored = String::from_utf8_lossy(&pipeline);
    let text = String::from_utf8_lossy(&bytes);
    for line in text.lines().skip(1) {
        // Every name, e-mail local part, phone, address and IP of the file stays out.
        let t = Table::from_csv(
            format!("a,b,c,d,e,f,g,h,i,j,k\n{line}\n").as_bytes(),
            &CsvOptions::default(),
        )
        .unwrap();
        for col in ["a", "c", "d", "e", "f", "g"] {
            let v = t.column(col).unwrap().text(0).unwrap();
            assert!(!stored.contains(v), "`{v}` is stored in the pipeline");
        }
        let email = t.column("b").unwrap().text(0).unwrap();
        assert!(
            !stored.contains(email.split('@').next().unwrap()),
            "{email}"
        );
    }
    assert!(
        stored.contains("acme.com"),
        "company domains are kept as categories"
    );
    let notes = d.notes.join("\n");
    for col in [
        "Contact Name",
        "Mobile Phone",
        "Street Address",
        "Last IP",
        "Notes",
        "Record ID",
    ] {
        assert!(
            notes.contains(&format!("`{col}` excluded")),
            "{col}: {notes}"
        );
    }
}

fn x_education() -> Table {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = ["../shared/datasets", "../../shared/datasets"]
        .iter()
        .map(|p| root.join(p).join("x_education_leads/Leads.csv"))
        .find(|p| p.is_file())
        .expect("../shared/datasets/x_education_leads/Leads.csv beside the repository");
    let opts = CsvOptions {
        missing: vec!["Select".into()],
        ..Default::default()
    };
    Table::from_csv(&std::fs::read(path).unwrap(), &opts).unwrap()
}

#[test]
fn x_education_leaks_are_flagged_not_dropped_unless_asked() {
    let t = x_education();
    let o = DatasetOptions::target("Converted");
    let flags = leadforest::data::leak_scan(&t, &o).unwrap();
    let flagged: Vec<&str> = flags.iter().map(|f| f.column.as_str()).collect();
    assert!(
        flagged.contains(&"Tags") && flagged.contains(&"Lead Quality"),
        "{flagged:?}"
    );
    for legit in [
        "Lead Origin",
        "Lead Source",
        "Total Time Spent on Website",
        "TotalVisits",
        "Country",
    ] {
        assert!(
            !flagged.contains(&legit),
            "{legit} is not a leak: {flagged:?}"
        );
    }
    let tags = flags.iter().find(|f| f.column == "Tags").unwrap();
    assert!(
        tags.message.contains("Tags = “") && tags.message.contains("after the sales contact"),
        "{}",
        tags.message
    );

    let d = Dataset::new(&t, &o).unwrap();
    assert!(
        d.features.iter().any(|f| f.name == "Tags"),
        "flag, don't drop"
    );
    assert!(d.notes.iter().any(|n| n.contains("Lead Quality = “")));
    let d = Dataset::new(
        &t,
        &DatasetOptions {
            exclude_leaky: true,
            ..o.clone()
        },
    )
    .unwrap();
    assert!(!d
        .features
        .iter()
        .any(|f| f.name == "Tags" || f.name == "Lead Quality"));

    let p = Profile::new(&t, &o).unwrap();
    assert!(p
        .columns
        .iter()
        .find(|c| c.name == "Tags")
        .unwrap()
        .leak
        .is_some());
    assert_eq!(p.classes.iter().map(|c| c.rows).sum::<u64>(), 9240);
}

#[test]
fn filled_in_only_for_one_class_is_flagged() {
    let mut csv = String::from("won,reason_lost,x\n");
    for i in 0..200 {
        let won = i % 3 == 0;
        let reason = if won {
            ""
        } else {
            ["price", "timing", "competitor"][i % 3]
        };
        csv.push_str(&format!(
            "{},{reason},{}\n",
            if won { "yes" } else { "no" },
            i % 7
        ));
    }
    let t = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let flags = leadforest::data::leak_scan(&t, &DatasetOptions::target("won")).unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].column, "reason_lost");
    assert_eq!(flags[0].only_filled_for.as_deref(), Some("no"));
    assert!(
        flags[0]
            .message
            .contains("filled in almost only for no rows"),
        "{}",
        flags[0].message
    );
}
