//! The field definitions a CRM admin creates once, checked against what `score --for` writes:
//! the Salesforce CustomField metadata and permission set in `www/embed/salesforce/` (structure
//! and Metadata API rules; `scripts/crm/check-salesforce-metadata.mjs` validates the same files
//! against the definitions published on npm) and the HubSpot property definitions in
//! `www/embed/hubspot/` (the shape of HubSpot's properties API), and docs/crm-import.md naming
//! every field.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cli.rs"]
mod cli;

use std::collections::BTreeSet;
use std::path::Path;

const SF: &str = "www/embed/salesforce";

/// The header `score --for CRM --value …` writes (golden model, engine fixture).
fn header(crm: &str) -> Vec<String> {
    let out = cli::ok(&[
        "score",
        "models/golden_gbt.lf",
        "tests/data/engine_leads.csv",
        "--for",
        crm,
        "--id",
        "Lead ID",
        "--value",
        "Pages Viewed",
    ]);
    out.lines()
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect()
}

/// The text of `<name>…</name>` (first occurrence).
fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))?;
    Some(&xml[start..start + end])
}

/// The names of the root element's children.
fn elements(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').unwrap();
        let name = &after[..end];
        let close = format!("</{name}>");
        let j = after
            .find(&close)
            .unwrap_or_else(|| panic!("<{name}> is closed"));
        out.push(name.to_string());
        rest = &after[j + close.len()..];
    }
    out
}

/// CustomField elements of the Metadata API (as listed by @aurahelper/xml-definitions 2.0.1 for
/// API 53, the subset a plain field uses).
const CUSTOM_FIELD_ELEMENTS: &[&str] = &[
    "fullName",
    "description",
    "externalId",
    "inlineHelpText",
    "label",
    "length",
    "precision",
    "required",
    "scale",
    "trackHistory",
    "trackFeedHistory",
    "type",
    "unique",
    "visibleLines",
    "defaultValue",
];

fn root_body<'a>(xml: &'a str, root: &str) -> &'a str {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "XML declaration"
    );
    let open = format!("<{root} xmlns=\"http://soap.sforce.com/2006/04/metadata\">");
    let start = xml.find(&open).unwrap_or_else(|| panic!("root {open}")) + open.len();
    let end = xml.rfind(&format!("</{root}>")).expect("root closed");
    &xml[start..end]
}

#[test]
fn salesforce_custom_fields_match_the_import_file() {
    let written = header("salesforce");
    assert_eq!(written[0], "Id");
    let want: BTreeSet<String> = written[1..].iter().cloned().collect();
    let dir = Path::new(SF).join("force-app/main/default/objects/Lead/fields");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        let xml = std::fs::read_to_string(&path).unwrap();
        let body = root_body(&xml, "CustomField");
        let full = tag(body, "fullName").unwrap();
        assert_eq!(format!("{full}.field-meta.xml"), file);
        // API names: a letter first, letters/digits/single underscores, `__c`, ≤ 40 before it.
        let base = full.strip_suffix("__c").expect("custom fields end in __c");
        assert!(base.len() <= 40 && base.starts_with(|c: char| c.is_ascii_alphabetic()));
        assert!(base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        assert!(!base.contains("__") && !base.ends_with('_'), "{full}");
        for e in elements(body) {
            assert!(
                CUSTOM_FIELD_ELEMENTS.contains(&e.as_str()),
                "{file}: <{e}> is not a CustomField element"
            );
        }
        assert!(tag(body, "label").is_some_and(|l| !l.is_empty() && l.len() <= 40));
        let int = |name: &str| -> u32 {
            tag(body, name)
                .unwrap_or_else(|| panic!("{file}: <{name}>"))
                .parse()
                .unwrap()
        };
        match tag(body, "type").unwrap() {
            "Number" | "Currency" => {
                let (p, s) = (int("precision"), int("scale"));
                assert!(
                    (1..=18).contains(&p) && s <= p,
                    "{file}: precision {p}, scale {s}"
                );
            }
            "Text" => assert!((1..=255).contains(&int("length")), "{file}"),
            "LongTextArea" => {
                assert!((256..=131_072).contains(&int("length")), "{file}");
                assert!(int("visibleLines") >= 1);
            }
            t => panic!("{file}: unexpected type {t}"),
        }
        found.insert(full.to_string());
    }
    assert_eq!(
        found, want,
        "one field per column of `score --for salesforce`"
    );

    // The permission set grants read and edit on each field.
    let xml = std::fs::read_to_string(
        Path::new(SF)
            .join("force-app/main/default/permissionsets/Leadforest_Fields.permissionset-meta.xml"),
    )
    .unwrap();
    let body = root_body(&xml, "PermissionSet");
    let mut granted = BTreeSet::new();
    for block in body.split("<fieldPermissions>").skip(1) {
        let block = &block[..block.find("</fieldPermissions>").unwrap()];
        assert_eq!(tag(block, "readable"), Some("true"));
        assert_eq!(tag(block, "editable"), Some("true"));
        granted.insert(
            tag(block, "field")
                .unwrap()
                .strip_prefix("Lead.")
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(granted, want);
    assert!(tag(body, "label").is_some());

    // The project file the Salesforce CLI deploys from.
    let project: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(SF).join("sfdx-project.json")).unwrap(),
    )
    .unwrap();
    let dirs = project["packageDirectories"].as_array().unwrap();
    assert!(dirs.iter().any(|d| d["default"] == true));
    for d in dirs {
        assert!(Path::new(SF).join(d["path"].as_str().unwrap()).is_dir());
    }
    let api = project["sourceApiVersion"].as_str().unwrap();
    assert!(
        api.ends_with(".0") && api[..api.len() - 2].parse::<u32>().is_ok(),
        "{api}"
    );
}

#[test]
fn hubspot_property_definitions_match_the_import_file() {
    let written = header("hubspot");
    assert_eq!(written[0], "Record ID");
    let props: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("www/embed/hubspot/leadforest-properties.json").unwrap(),
    )
    .unwrap();
    let group: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("www/embed/hubspot/leadforest-group.json").unwrap(),
    )
    .unwrap();
    let group_name = group["name"].as_str().unwrap();
    assert!(group["label"].is_string());
    let inputs = props["inputs"]
        .as_array()
        .expect("batch-create body: {\"inputs\": [...]}");
    let names: Vec<&str> = inputs.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        written[1..].iter().map(String::as_str).collect::<Vec<_>>()
    );
    for p in inputs {
        let name = p["name"].as_str().unwrap();
        assert!(
            name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{name}: HubSpot internal names are lowercase"
        );
        assert!(p["label"].as_str().is_some_and(|l| !l.is_empty()));
        assert_eq!(p["groupName"], group_name);
        // The type/fieldType pairs HubSpot's properties API accepts for these values.
        match (
            p["type"].as_str().unwrap(),
            p["fieldType"].as_str().unwrap(),
        ) {
            ("number", "number") | ("string", "text") | ("string", "textarea") => {}
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn the_guide_names_every_header_and_field() {
    let doc = std::fs::read_to_string("docs/crm-import.md").unwrap();
    for crm in ["hubspot", "salesforce", "zoho", "pipedrive"] {
        for h in header(crm) {
            assert!(
                doc.contains(&format!("`{h}`")),
                "docs/crm-import.md names `{h}`"
            );
        }
    }
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(readme.contains("docs/crm-import.md"));
}
