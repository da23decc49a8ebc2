//! Core behaviour compiled to wasm32 and run under Node by wasm-bindgen-test: the same results
//! as natively (the native twins of these checks live beside the code).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn demo_data_is_the_same_bytes_as_natively() {
    let csv = leadforest::demo::demo_csv(200, 7);
    // FNV-1a of the native output, so a platform difference in the generator shows up here.
    let hash = csv.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    assert_eq!(hash, include!("data/demo_200_seed7.fnv"));
}

#[wasm_bindgen_test]
fn summarize_reads_the_demo_csv() {
    let csv = leadforest::demo::demo_csv(123, 1);
    let s = leadforest::data::summarize_csv(csv.as_bytes()).unwrap();
    assert_eq!(s.rows, 123);
    assert_eq!(s.headers.len(), 18);
}

#[wasm_bindgen_test]
fn errors_are_values_not_panics() {
    let e = leadforest::data::summarize_csv(b"a,b\n1\n").unwrap_err();
    assert!(e.to_string().contains("row 1"), "{e}");
}
