//! The generated cases of the malformed-input corpus (tests/data/bad/cases.json, "generate"):
//! big inputs are made at run time, never committed. Shared by the CLI runner
//! (tests/cli_hardening.rs) and the Node-wasm runner (tests/wasm_bad_input.rs) so both feed the
//! engine the same bytes. Included with `#[path = "common/bad_corpus.rs"] mod bad_corpus;`.

/// The bytes of a `generate` entry; `model` is the file named by its `from` (model mutations).
pub fn generate(g: &serde_json::Value, model: &[u8]) -> Vec<u8> {
    match g["kind"].as_str().unwrap() {
        // `f1,…,f{n-1},Converted` and six rows of ones with a two-class target.
        "wide_header" => {
            let n = g["columns"].as_u64().unwrap() as usize;
            let mut s: String = (1..n).map(|i| format!("f{i},")).collect();
            s.push_str("Converted\n");
            for r in 0..6 {
                s.push_str(&"1,".repeat(n - 1));
                s.push_str(if r % 2 == 0 { "Yes\n" } else { "No\n" });
            }
            s.into_bytes()
        }
        // One `Notes` cell of `bytes` bytes in row 1.
        "big_field" => {
            let n = g["bytes"].as_u64().unwrap() as usize;
            let mut b = b"Notes,Converted\n".to_vec();
            b.resize(b.len() + n, b'x');
            b.extend_from_slice(b",Yes\nshort,No\n");
            b
        }
        "model" => {
            let mut b = model.to_vec();
            match g["mutate"].as_str().unwrap() {
                "version" => b[8] = 99, // the format version (u32 LE after the 8-byte magic)
                "checksum" => *b.last_mut().unwrap() ^= 0xFF, // the CRC-32's last byte
                m => panic!("unknown mutation {m}"),
            }
            b
        }
        k => panic!("unknown generator {k}"),
    }
}
