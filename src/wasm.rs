//! The JavaScript API (wasm32 only): the one module that knows `JsValue`. Thin DTOs, no logic.

use wasm_bindgen::prelude::*;

/// Installs the panic hook so a bug shows up in the console instead of a bare `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Reads a CSV's bytes and returns `{ delimiter, headers, rows }`.
///
/// # Errors
/// Throws an `Error` with the reader's message (row and problem named).
#[wasm_bindgen(js_name = summarizeCsv)]
pub fn summarize_csv(bytes: &[u8]) -> Result<JsValue, JsError> {
    let summary = crate::data::summarize_csv(bytes)?;
    Ok(serde_wasm_bindgen::to_value(&summary)?)
}

/// Most demo leads one call may ask for (about 150 MB of CSV text).
const MAX_DEMO_ROWS: u32 = 1_000_000;

/// The built-in demo dataset as CSV text (`rows` leads in 0..=1,000,000, generator `seed`).
///
/// # Errors
/// Throws when `rows` is above 1,000,000 (a negative JS number arrives here as a huge one).
#[wasm_bindgen(js_name = demoCsv)]
pub fn demo_csv(rows: u32, seed: u32) -> Result<String, JsError> {
    if rows > MAX_DEMO_ROWS {
        return Err(JsError::new(&format!(
            "demoCsv: rows must be between 0 and {MAX_DEMO_ROWS}, got {rows}"
        )));
    }
    Ok(crate::demo::demo_csv(rows as usize, u64::from(seed)))
}
