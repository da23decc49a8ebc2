//! leadforest: privacy-first lead scoring with gradient-boosted trees and random forests that
//! train and score inside the browser (WebAssembly) and natively, with identical model bytes.
//!
//! ```
//! let csv = leadforest::demo::demo_csv(100, 7);
//! let summary = leadforest::data::summarize_csv(csv.as_bytes()).unwrap();
//! assert_eq!(summary.rows, 100);
//! assert_eq!(summary.headers.last().map(String::as_str), Some("Converted"));
//! ```
#![warn(missing_docs)]

pub mod baseline;
pub mod crm;
pub mod data;
pub mod demo;
mod error;
pub mod explain;
pub mod interop;
pub mod lifecycle;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod report;
pub mod rng;
pub mod shadow;
pub mod train;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, Result};

/// The crate's version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
