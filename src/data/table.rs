//! The typed table: one [`Column`] per CSV column, each with an inferred [`ColumnKind`].
//!
//! A column stores each distinct cell text once and one small code per row (1, 2 or 4 bytes),
//! so the table takes less memory than the CSV text it came from. Typed values (numbers,
//! booleans as 0/1, dates as days since 1970, category indices) are kept per distinct value.

use serde::{Deserialize, Serialize};

use super::parse::{DateOrder, NumberFormat};

/// Which kind of personal data a column holds. Personal columns are never model features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonalKind {
    /// E-mail addresses (the domain may be kept as a derived feature).
    Email,
    /// Phone numbers.
    Phone,
    /// People's names.
    PersonName,
    /// Street addresses.
    StreetAddress,
    /// IP addresses.
    IpAddress,
    /// Bank account numbers (IBAN).
    Iban,
    /// Payment card numbers.
    CardNumber,
    /// Links to people's profiles (LinkedIn, XING, social networks).
    ProfileUrl,
    /// Postcodes.
    Postcode,
    /// Dates of birth (never a feature, never the time key).
    BirthDate,
    /// Names of staff: owners, reps, assignees, creators of records.
    Staff,
}

impl PersonalKind {
    /// The kind in words (`e-mail address`, `phone number`…).
    pub fn words(self) -> &'static str {
        match self {
            PersonalKind::Email => "e-mail addresses",
            PersonalKind::Phone => "phone numbers",
            PersonalKind::PersonName => "people's names",
            PersonalKind::StreetAddress => "street addresses",
            PersonalKind::IpAddress => "IP addresses",
            PersonalKind::Iban => "bank account numbers (IBAN)",
            PersonalKind::CardNumber => "payment card numbers",
            PersonalKind::ProfileUrl => "links to people's profiles",
            PersonalKind::Postcode => "postcodes",
            PersonalKind::BirthDate => "dates of birth",
            PersonalKind::Staff => "staff names (owners, reps, assignees)",
        }
    }
}

/// What a column holds, as inferred from its values (or set by the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnKind {
    /// Numbers (typed value: the number).
    Numeric,
    /// Two-valued yes/no, true/false, 1/0 (typed value: 1.0 or 0.0).
    Boolean,
    /// A small set of labels (typed value: index into [`Column::categories`]).
    Categorical,
    /// Dates or date-times (typed value: days since 1970-01-01, time of day as a fraction).
    Date,
    /// A different value on (almost) every row: a record id. Excluded from models.
    Identifier,
    /// Long, mostly unique text (notes, descriptions). Excluded from models.
    FreeText,
    /// One value on every row, or no value at all. Excluded from models.
    Constant,
    /// Personal data. Excluded from models (e-mail domains may be derived).
    Personal(PersonalKind),
}

impl ColumnKind {
    /// Whether columns of this kind become model features (possibly through derived features).
    pub fn is_feature(self) -> bool {
        matches!(
            self,
            ColumnKind::Numeric | ColumnKind::Boolean | ColumnKind::Categorical | ColumnKind::Date
        )
    }

    /// Short lower-case name: `numeric`, `boolean`, `categorical`, `date`, `identifier`,
    /// `free text`, `constant`, `personal: e-mail addresses`…
    pub fn name(self) -> String {
        match self {
            ColumnKind::Numeric => "numeric".into(),
            ColumnKind::Boolean => "boolean".into(),
            ColumnKind::Categorical => "categorical".into(),
            ColumnKind::Date => "date".into(),
            ColumnKind::Identifier => "identifier".into(),
            ColumnKind::FreeText => "free text".into(),
            ColumnKind::Constant => "constant".into(),
            ColumnKind::Personal(p) => format!("personal: {}", p.words()),
        }
    }
}

/// One category of a categorical column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// The label shown (the most frequent spelling when case variants were merged).
    pub label: String,
    /// Rows with this category.
    pub rows: u64,
}

/// How a column's cells are parsed; stored with models so scoring parses the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CellFormat {
    /// Plain text (categorical and excluded kinds).
    #[default]
    Text,
    /// Numbers written this way.
    Number(NumberFormat),
    /// Booleans (`yes`/`no`, `true`/`false`, `y`/`n`, `t`/`f`, `1`/`0`).
    Boolean,
    /// Dates with this day/month order.
    Date(DateOrder),
}

/// Per-row codes into a column's distinct values, widened only when needed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Codes::U8(Vec::new())
    }
}

impl Codes {
    pub(crate) fn push(&mut self, code: u32) {
        match self {
            Codes::U8(v) if code <= u8::MAX as u32 => v.push(code as u8),
            Codes::U8(v) => {
                let mut w: Vec<u16> = Vec::with_capacity(v.capacity().max(v.len() + 1));
                w.extend(v.iter().map(|&c| c as u16));
                *self = Codes::U16(w);
                self.push(code);
            }
            Codes::U16(v) if code <= u16::MAX as u32 => v.push(code as u16),
            Codes::U16(v) => {
                let mut w: Vec<u32> = Vec::with_capacity(v.capacity().max(v.len() + 1));
                w.extend(v.iter().map(|&c| c as u32));
                *self = Codes::U32(w);
                self.push(code);
            }
            Codes::U32(v) => v.push(code),
        }
    }

    pub(crate) fn get(&self, row: usize) -> usize {
        match self {
            Codes::U8(v) => v[row] as usize,
            Codes::U16(v) => v[row] as usize,
            Codes::U32(v) => v[row] as usize,
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }

    /// Maps every row through a per-distinct table.
    pub(crate) fn map<T: Copy>(&self, table: &[T]) -> Vec<T> {
        match self {
            Codes::U8(v) => v.iter().map(|&c| table[c as usize]).collect(),
            Codes::U16(v) => v.iter().map(|&c| table[c as usize]).collect(),
            Codes::U32(v) => v.iter().map(|&c| table[c as usize]).collect(),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity(),
            Codes::U32(v) => v.capacity(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity() * 2,
            Codes::U32(v) => v.capacity() * 4,
        }
    }
}

/// One typed column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name (header text, trimmed; de-duplicated if needed).
    pub name: String,
    /// What the column holds.
    pub kind: ColumnKind,
    /// How its cells are parsed.
    pub format: CellFormat,
    /// Categories of categorical columns, most rows first; for boolean columns the two values
    /// `[false, true]` (index = typed value).
    pub categories: Vec<Category>,
    /// Rows whose cell is empty or a missing placeholder.
    pub missing: u64,
    /// Rows whose cell was not missing but could not be read as the column's kind (read as missing).
    pub invalid: u64,
    /// Why the column is excluded from models (`None` for feature kinds).
    pub excluded_because: Option<String>,
    /// Plain-words remarks about the column (merged case variants, date order, invalid cells…).
    pub notes: Vec<String>,
    /// Distinct cell texts (trimmed), in order of first appearance.
    pub(crate) distinct: Vec<String>,
    /// Rows per distinct text.
    pub(crate) counts: Vec<u64>,
    /// Per distinct text: the typed value (NaN = missing or unreadable).
    pub(crate) typed: Vec<f64>,
    /// Per distinct text: whether it is a missing placeholder.
    pub(crate) missing_distinct: Vec<bool>,
    /// Per row: index into `distinct`.
    pub(crate) codes: Codes,
    /// High-cardinality numeric columns keep one number per row instead (and no texts).
    pub(crate) dense: Option<Vec<f64>>,
    /// Distinct values of a dense column.
    pub(crate) dense_distinct: usize,
}

impl Column {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.dense {
            Some(v) => v.len(),
            None => self.codes.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The typed value of a row: the number, 1/0 for booleans, days since 1970 for dates, the
    /// category index for categorical columns; NaN when missing (and for excluded kinds).
    pub fn value(&self, row: usize) -> f64 {
        match &self.dense {
            Some(v) => v[row],
            None => self.typed[self.codes.get(row)],
        }
    }

    /// All typed values (see [`Column::value`]).
    pub fn values(&self) -> Vec<f64> {
        match &self.dense {
            Some(v) => v.clone(),
            None => self.codes.map(&self.typed),
        }
    }

    /// Whether the column keeps only numbers, not texts (numeric columns with more than
    /// 32,768 distinct values): [`Column::text`] is then `None` and values come from
    /// [`Column::value`].
    pub fn is_dense(&self) -> bool {
        self.dense.is_some()
    }

    /// The cell's text as read (trimmed); `None` when missing (and for dense columns, see
    /// [`Column::is_dense`]).
    pub fn text(&self, row: usize) -> Option<&str> {
        if self.dense.is_some() {
            return None;
        }
        let d = self.codes.get(row);
        if self.is_missing_distinct(d) {
            None
        } else {
            Some(&self.distinct[d])
        }
    }

    /// Number of distinct non-missing values.
    pub fn cardinality(&self) -> usize {
        if self.dense.is_some() {
            return self.dense_distinct;
        }
        (0..self.distinct.len())
            .filter(|&d| !self.is_missing_distinct(d))
            .count()
    }

    /// Missing rows as a fraction of all rows, in [0, 1].
    pub fn missing_fraction(&self) -> f64 {
        if self.is_empty() {
            0.0
        } else {
            self.missing as f64 / self.len() as f64
        }
    }

    /// Distinct non-missing texts with their row counts, most rows first (ties: first seen).
    pub fn top_values(&self, n: usize) -> Vec<(String, u64)> {
        let mut idx: Vec<usize> = (0..self.distinct.len())
            .filter(|&d| !self.is_missing_distinct(d))
            .collect();
        idx.sort_by(|&a, &b| self.counts[b].cmp(&self.counts[a]).then(a.cmp(&b)));
        idx.into_iter()
            .take(n)
            .map(|d| (self.distinct[d].clone(), self.counts[d]))
            .collect()
    }

    pub(crate) fn is_missing_distinct(&self, d: usize) -> bool {
        self.missing_distinct.get(d).copied().unwrap_or(true)
    }

    /// Approximate heap memory held by the column, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.codes.heap_bytes()
            + self.dense.as_ref().map_or(0, |v| v.capacity() * 8)
            + self
                .distinct
                .iter()
                .map(|s| s.capacity() + 24)
                .sum::<usize>()
            + self.counts.capacity() * 8
            + self.typed.capacity() * 8
    }
}

/// A CSV file read into typed columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The columns, in file order.
    pub columns: Vec<Column>,
    /// The field separator used.
    pub delimiter: char,
    /// Plain-words remarks about the file (encoding fallback, renamed headers, skipped rows…).
    pub notes: Vec<String>,
    /// Data rows read (header excluded, skipped rows excluded).
    pub n_rows: usize,
    /// The extra missing-value placeholders the file was read with (e.g. `Select`).
    pub missing: Vec<String>,
}

impl Table {
    /// The column with this name (exact match first, then ignoring case and surrounding spaces).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name).or_else(|| {
            let name = name.trim();
            self.columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        })
    }

    /// Column names in file order.
    pub fn names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// Approximate heap memory held by the table, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.columns.iter().map(Column::heap_bytes).sum()
    }
}
