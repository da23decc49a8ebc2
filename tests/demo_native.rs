//! The demo generator's bytes are pinned: the wasm32 test checks the same hash under Node.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn demo_data_hash_matches_the_pinned_value() {
    let csv = leadforest::demo::demo_csv(200, 7);
    let hash = csv.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    let pinned: u64 = include!("data/demo_200_seed7.fnv");
    assert_eq!(hash, pinned);
}
