//! The scoring model: flat trees, preprocessing, calibration, tiers, and its versioned file format.

pub mod tree;
