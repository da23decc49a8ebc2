//! Where the shared real datasets are: `../shared/datasets` beside the repository root (CI), or
//! two levels up for a git worktree nested one level deeper.

use std::path::PathBuf;

/// The shared datasets folder; panics with the place it looked when it is absent.
pub fn datasets() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for up in ["../shared/datasets", "../../shared/datasets"] {
        let p = root.join(up);
        if p.is_dir() {
            return p;
        }
    }
    panic!("../shared/datasets not found beside {}", root.display());
}

/// A dataset file's bytes, at most `max_bytes` (cut at a line end, to keep a test fast).
pub fn read(file: &str, max_bytes: usize) -> Vec<u8> {
    let mut bytes = std::fs::read(datasets().join(file)).unwrap();
    if bytes.len() > max_bytes {
        let cut = bytes[..max_bytes]
            .iter()
            .rposition(|&b| b == b'\n')
            .unwrap()
            + 1;
        bytes.truncate(cut);
    }
    bytes
}
