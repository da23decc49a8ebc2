//! Training compiled to wasm32 and run under Node: the trained model's bytes must match the
//! checksum pinned natively in tests/engine_train.rs (same data + config + seed ⇒ same bytes).
#![cfg(target_arch = "wasm32")]

use leadforest::model::Model;
use leadforest::train::{toy_dataset, TrainConfig, Trainer};
use std::ops::ControlFlow;
use wasm_bindgen_test::wasm_bindgen_test;

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[wasm_bindgen_test]
fn trained_model_bytes_match_the_native_checksum() {
    // Same job as `pinned_model` in tests/engine_train.rs.
    let config = TrainConfig {
        n_trees: 30,
        row_subsample: 0.8,
        col_subsample: 0.7,
        ..TrainConfig::default()
    };
    let model = Trainer::new(config)
        .fit(&toy_dataset(1500, 1), &mut |_| ControlFlow::Continue(()))
        .unwrap();
    let bytes = model.to_bytes();
    assert_eq!(fnv(&bytes), include!("data/engine_model.fnv"));
    let back = Model::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes);
}

#[wasm_bindgen_test]
fn forest_trains_and_corrupt_files_are_errors_not_panics() {
    let config = TrainConfig {
        n_trees: 10,
        ..TrainConfig::random_forest()
    };
    let model = Trainer::new(config)
        .fit(&toy_dataset(600, 2), &mut |_| ControlFlow::Continue(()))
        .unwrap();
    let mut bytes = model.to_bytes();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    assert!(Model::from_bytes(&bytes)
        .unwrap_err()
        .to_string()
        .contains("corrupt"));
}
