//! `leadforest inspect MODEL --strings`: every string the model file stores, grouped by file
//! section, with what it is used for — what sharing the file gives away.

use anyhow::Result;
use leadforest::model::Model;

/// Prints the model's stored strings as text (by section) or, with `json`, as one JSON array of
/// `{ value, section, field, use }`.
pub fn run(model: &Model, json: bool) -> Result<()> {
    let strings = model.stored_strings();
    if json {
        outln!("{}", serde_json::to_string_pretty(&strings)?);
        return Ok(());
    }
    outln!(
        "{} strings stored in this model file (everything else in it is numbers):",
        strings.len()
    );
    match model
        .training_profile
        .as_ref()
        .and_then(|p| p.privacy.as_ref())
    {
        Some(r) => {
            outln!(
                "values used by fewer than {} training rows are not stored (they score as `(other)`)",
                r.min_category_rows
            );
            for a in &r.allowed_personal {
                outln!(
                    "personal data allowed explicitly: `{}` ({})",
                    a.column,
                    a.holds
                );
            }
        }
        None => outln!("no privacy record (a model file from before it, or imported)"),
    }
    let mut section = "";
    for s in &strings {
        if s.section != section {
            section = &s.section;
            let n = strings.iter().filter(|x| x.section == section).count();
            outln!("\n[{section}] {n} string{}", if n == 1 { "" } else { "s" });
        }
        outln!("  {:?}  — {} ({})", s.value, s.usage, s.field);
    }
    Ok(())
}
