//! Where a model comes from, stored in the model file's optional `lineage` section: the parent
//! model, the data window and row counts, and the command that made it.

use serde::{Deserialize, Serialize};

/// A model's lineage (written by `retrain`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Lineage {
    /// The parent model's checksum (see [`checksum`]), `None` for a first model.
    pub parent_checksum: Option<String>,
    /// The earliest date of the training rows (`YYYY-MM-DD`), when the data has a date column
    /// (with `first_date..=last_date`, the model's data window).
    pub first_date: Option<String>,
    /// The latest date of the training rows (`YYYY-MM-DD`), when the data has a date column.
    pub last_date: Option<String>,
    /// Training rows taken from the older data (`--data`).
    pub old_rows: u64,
    /// Training rows taken from the new data (for `retrain`'s refit: the newest period included).
    pub new_rows: u64,
    /// All training rows (`old_rows + new_rows`), handed to training: the model's `info.rows`
    /// unless boosting kept its early-stopped model (then `info.rows` counts its training part).
    pub total_rows: u64,
    /// Rows of the new data (its newest period) held out to compare the champion with the
    /// challenger. `retrain` then refits the model it writes on all rows, these included (counted
    /// in `new_rows`), unless the settings have refit off (then they were never trained on).
    pub holdout_rows: u64,
    /// The command that made the model, e.g. `leadforest retrain champion.lf new.csv`.
    pub created_by: String,
}

/// A model file's checksum as stored in lineages: `crc32:` and the CRC-32 (IEEE) of the whole
/// file's bytes in 8 lower-case hex digits.
pub fn checksum(file_bytes: &[u8]) -> String {
    format!("crc32:{:08x}", crc32fast::hash(file_bytes))
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (the data layer's).
pub use crate::data::parse::iso_date;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_the_crc_of_the_bytes() {
        // The standard CRC-32 check value.
        assert_eq!(checksum(b"123456789"), "crc32:cbf43926");
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date(0.0), "1970-01-01");
        assert_eq!(iso_date(19_723.0), "2024-01-01");
    }
}
