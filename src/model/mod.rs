//! The scoring model: flat trees, preprocessing, calibration, tiers, and its versioned file format.

pub mod calibration;
pub mod scoring;
pub mod threshold;
pub mod tiers;
pub mod tree;
