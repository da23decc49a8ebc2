//! The JavaScript API (wasm32 only): the one module that knows `JsValue`. Thin camelCase DTOs
//! over the library, no logic of its own: every function converts its inputs, calls the library
//! and converts the result back. Library errors become JS `Error`s with the library's message
//! (`Result<_, JsError>`), so a bad input never panics and the module keeps working after it.
//! Bulk numbers (probabilities, scores, contributions) cross as typed arrays.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::data::{CsvOptions, DatasetOptions, Profile, Table};

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
    Ok(to_js(&summary)?)
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

/// The bytes of wasm linear memory in use by this module (it only grows: the peak so far).
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) as f64) * 65536.0
}

// ---------------------------------------------------------------------------------------------
// Conversions

/// Plain objects (not `Map`s) for every struct and map, as JS code expects.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

/// An options object read through JSON, so `deny_unknown_fields` refuses typos (`targt`) and
/// type errors name the field and expected type; `undefined`/`null` give the defaults.
fn options_from_js<T: for<'de> Deserialize<'de> + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(JsError::new(&format!("{what}: expected an object")));
    }
    let json = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new(&format!("{what}: cannot be read as JSON")))?;
    serde_json::from_str(&json).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// `{ target?, positive?, drop?, missing? }` for `profileCsv`; unknown fields are refused.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProfileOptions {
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    positive: Vec<String>,
    #[serde(default)]
    drop: Vec<String>,
    #[serde(default)]
    missing: Vec<String>,
}

/// Profiles a CSV: per column its kind, missing share, cardinality, top values, numeric summary
/// and why it would be excluded; with a `target`, the class counts and the leak scan.
///
/// # Errors
/// Throws for unreadable CSVs, an unknown target column, or unknown option fields.
#[wasm_bindgen(js_name = profileCsv)]
pub fn profile_csv(bytes: &[u8], options: JsValue) -> Result<JsValue, JsError> {
    let options: ProfileOptions = options_from_js(options, "profileCsv options")?;
    let table = Table::from_csv(
        bytes,
        &CsvOptions {
            missing: options.missing,
            ..CsvOptions::default()
        },
    )?;
    let dataset = DatasetOptions {
        target: options.target.unwrap_or_default(),
        positive: options.positive,
        drop: options.drop,
        ..DatasetOptions::default()
    };
    let profile = Profile::new(&table, &dataset)?;
    Ok(to_js(&profile)?)
}
