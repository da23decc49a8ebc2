//! The library's one error type. A panic is a bug; bad input is always an `Error`.

/// Everything that can go wrong in the engine, with a message that says what, where and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The CSV could not be read (bad encoding, ragged row, empty file…).
    #[error("{0}")]
    Csv(String),
    /// The data can be read but cannot be used as asked (unknown column, one-class target…).
    #[error("{0}")]
    Data(String),
    /// A configuration field is out of range: names the field, what was expected and what was given.
    #[error("invalid setting `{field}`: expected {expected}, got {given}")]
    Config {
        /// The field's name, as in the config struct.
        field: &'static str,
        /// What would have been accepted.
        expected: String,
        /// What was given.
        given: String,
    },
    /// A model file is corrupt, truncated, from a newer version, or not a model at all.
    #[error("{0}")]
    Model(String),
    /// Training was cancelled by the caller's progress callback.
    #[error("training was cancelled")]
    Cancelled,
    /// A documented limit (rows, columns, categories, trees, model size) would be exceeded.
    #[error("{0}")]
    Limit(String),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
