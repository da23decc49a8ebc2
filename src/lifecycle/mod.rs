//! Keeping a model honest over time: what it was trained on ([`profile`], [`lineage`]), how far
//! new leads have moved from that ([`drift`]), and whether a retrained challenger should replace
//! the champion ([`compare`], [`retrain`]).
//!
//! The training profile and the lineage are stored as optional named sections of the model file
//! (`training-profile`, `lineage`): older readers skip them, older files simply have none.

pub mod compare;
pub mod drift;
pub mod lineage;
pub mod profile;
pub mod retrain;

pub use compare::{compare, CompareOptions, Comparison, ModelResult, Recommendation};
pub use drift::{drift, psi, BinShare, DriftLevel, DriftReport, FeatureDrift, OutcomeDrift};
pub use lineage::Lineage;
pub use profile::{Bins, ConstantColumn, TrainingProfile};
pub use retrain::{retrain, Refit, RetrainOptions, Retrained};
