//! The engine's documented limits, in one place. Each is enforced with an [`Error::Limit`] that
//! names the limit and what to do, before the memory it protects is allocated, so an oversized
//! input is a clear message and never an out-of-memory abort (which would kill a WASM module).
//! The README's "Limits" section lists them with their reasons.

use crate::{Error, Result};

/// Most columns in a CSV header: 16,384, Excel's own column limit (no CRM export opened or saved
/// in a spreadsheet can have more).
pub const MAX_COLUMNS: usize = 16_384;

/// Most bytes in one CSV field: 1 MiB. A lead's longest fields (notes, descriptions) are a few
/// KB; a bigger field is almost always an unclosed quote that swallowed the rest of the file.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// Most data rows in one CSV: 100,000,000. Row indices are `u32` while training and the reader
/// keeps 1–4 bytes per cell; beyond this, train on a sample.
pub const MAX_ROWS: usize = 100_000_000;

/// Most cells (rows × features) a training set may hold: each costs 8 bytes as a value and 1 as a
/// bin while training. 500 million (≈ 4.5 GB) natively; 200 million (≈ 1.8 GB) in WASM, whose
/// memory cannot exceed 4 GiB.
pub const MAX_TRAINING_CELLS: u64 = if cfg!(target_arch = "wasm32") {
    200_000_000
} else {
    500_000_000
};

/// Most categories a categorical feature keeps, `(other)` included: 254 (a category is a `u8`
/// bin; one bin is kept for missing). Rarer values are grouped into `(other)` with a note, not
/// refused.
pub const MAX_CATEGORIES: usize = 254;

/// Most classes of a multi-class target: 50. More distinct outcomes are almost always a wrong
/// target column (an id, an amount, free text).
pub const MAX_CLASSES: usize = 50;

/// Fewest rows of each target class for training: 5. Fewer cannot be split between training and
/// validation rows and say nothing a model could learn.
pub const MIN_CLASS_ROWS: u64 = 5;

/// Most boosting rounds or forest trees in one training run: 100,000.
pub const MAX_TREES: u32 = 100_000;

/// Most bytes of a model file that will be read: 256 MiB (the largest default model is well
/// under 1 MB; the biggest allowed configuration stays far below this).
pub const MAX_MODEL_BYTES: usize = 256 << 20;

/// Deepest level of a tree in a model (the root is level 0): 256. Trees leadforest trains stop
/// there; LightGBM's default 31 leaves cannot pass 30 and XGBoost's default depth is 6. Every walk
/// over a tree (scoring, TreeSHAP, export) is bounded by it, and TreeSHAP costs at most this many
/// steps per node.
pub const MAX_TREE_DEPTH: usize = 256;

/// Most leaves of one tree: 131,072, LightGBM's own `num_leaves` maximum (so a tree has at most
/// 262,143 nodes, see [`MAX_TREE_NODES`]). Trees leadforest trains stop there.
pub const MAX_TREE_LEAVES: usize = 131_072;

/// Most nodes of one tree: `2 × MAX_TREE_LEAVES − 1` = 262,143 (a binary tree with that many
/// leaves).
pub const MAX_TREE_NODES: usize = 2 * MAX_TREE_LEAVES - 1;

/// Most inputs (features) of a model: 65,536 — more than any CSV within [`MAX_COLUMNS`] can give
/// (a date column gives three features, an e-mail column two).
pub const MAX_FEATURES: usize = 65_536;

/// Most category codes of a categorical input of a model or a categorical split: 1,048,576
/// (2²⁰). leadforest's own models keep 254 ([`MAX_CATEGORIES`]); imported models may use larger
/// integer codes, but a split's bitset covers at most 16,384 words (128 KiB).
pub const MAX_CATEGORY_CODES: usize = 1 << 20;

/// Most bitset words (64 category codes each) over all categorical splits of a model: 8,388,608
/// (64 MiB). A file or an imported model names a category code in a few bytes, but its bitset
/// needs `code / 64` words: this bounds what those few bytes can make the engine allocate.
pub const MAX_BITSET_WORDS: usize = 1 << 23;

/// Formats a count with thousands separators (`100000` → `100,000`) for messages.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Refuses a model file larger than [`MAX_MODEL_BYTES`] before it is decoded.
///
/// # Errors
/// `Error::Limit` naming the size and the limit.
pub fn check_model_bytes(len: usize) -> Result<()> {
    if len > MAX_MODEL_BYTES {
        return Err(Error::Limit(format!(
            "the model file has {} bytes: at most {} ({} MiB) are read; this is not a model \
             leadforest wrote",
            thousands(len as u64),
            thousands(MAX_MODEL_BYTES as u64),
            MAX_MODEL_BYTES >> 20
        )));
    }
    Ok(())
}

/// Refuses a count above a limit, naming what was counted (`what`) and where (`context`).
///
/// # Errors
/// `Error::Limit` naming the count and the limit.
pub fn check_count(context: &str, what: &str, n: usize, max: usize) -> Result<()> {
    if n > max {
        return Err(Error::Limit(format!(
            "{context}: {} {what}, at most {} are supported; this is not a model leadforest \
             wrote or can score (see the Limits section of the README)",
            thousands(n as u64),
            thousands(max as u64)
        )));
    }
    Ok(())
}

/// Refuses a header with more than [`MAX_COLUMNS`] columns.
///
/// # Errors
/// `Error::Limit` naming the count and the limit.
pub fn check_columns(n: usize) -> Result<()> {
    if n > MAX_COLUMNS {
        return Err(Error::Limit(format!(
            "the header has {} columns: at most {} are supported (Excel's limit); keep the \
             columns you need and save again",
            thousands(n as u64),
            thousands(MAX_COLUMNS as u64)
        )));
    }
    Ok(())
}

/// Refuses a data row number above [`MAX_ROWS`] (`row` counts data rows from 1).
///
/// # Errors
/// `Error::Limit` naming the limit.
pub fn check_rows(row: usize) -> Result<()> {
    if row > MAX_ROWS {
        return Err(Error::Limit(format!(
            "the file has more than {} data rows, the most leadforest reads: train on a sample",
            thousands(MAX_ROWS as u64)
        )));
    }
    Ok(())
}

/// Refuses a training set of more than [`MAX_TRAINING_CELLS`] cells (rows × features).
///
/// # Errors
/// `Error::Limit` naming both counts and the limit.
pub fn check_training_cells(rows: usize, features: usize) -> Result<()> {
    let cells = rows as u64 * features as u64;
    if cells > MAX_TRAINING_CELLS {
        return Err(Error::Limit(format!(
            "{} rows × {} features = {} cells: at most {} can be trained on here; train on a \
             sample of the rows or leave out columns",
            thousands(rows as u64),
            thousands(features as u64),
            thousands(cells),
            thousands(MAX_TRAINING_CELLS)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000_000), "100,000,000");
    }

    #[test]
    fn checks_pass_at_the_limit_and_fail_one_past_it() {
        assert!(check_columns(MAX_COLUMNS).is_ok());
        let e = check_columns(MAX_COLUMNS + 1).unwrap_err().to_string();
        assert!(e.contains("16,385 columns") && e.contains("16,384"), "{e}");
        assert!(check_rows(MAX_ROWS).is_ok());
        let e = check_rows(MAX_ROWS + 1).unwrap_err().to_string();
        assert!(e.contains("100,000,000"), "{e}");
        assert!(check_model_bytes(MAX_MODEL_BYTES).is_ok());
        let e = check_model_bytes(MAX_MODEL_BYTES + 1).unwrap_err();
        assert!(
            matches!(e, Error::Limit(_)) && e.to_string().contains("256 MiB"),
            "{e}"
        );
        assert!(check_count("tree 3", "levels", MAX_TREE_DEPTH, MAX_TREE_DEPTH).is_ok());
        let e = check_count("tree 3", "levels", 100_000, MAX_TREE_DEPTH).unwrap_err();
        assert!(
            matches!(e, Error::Limit(_))
                && e.to_string()
                    .contains("tree 3: 100,000 levels, at most 256"),
            "{e}"
        );
        assert_eq!(MAX_TREE_NODES, 262_143);
        let per_feature = MAX_TRAINING_CELLS / 100;
        assert!(check_training_cells(per_feature as usize, 100).is_ok());
        let e = check_training_cells(per_feature as usize + 1, 100)
            .unwrap_err()
            .to_string();
        assert!(e.contains("100 features") && e.contains("sample"), "{e}");
    }
}
