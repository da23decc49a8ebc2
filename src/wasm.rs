//! The JavaScript API (wasm32 only): the one module that knows `JsValue`. Thin camelCase DTOs
//! over the library, no logic of its own: every function converts its inputs, calls the library
//! and converts the result back. Library errors become JS `Error`s with the library's message
//! (`Result<_, JsError>`), so a bad input never panics and the module keeps working after it.
//! Bulk numbers (probabilities, scores, contributions) cross as typed arrays.

#[cfg(not(feature = "score-only"))]
use std::ops::ControlFlow;

#[cfg(not(feature = "score-only"))]
use js_sys::Float64Array;
#[cfg(not(feature = "score-only"))]
use js_sys::Function;
use js_sys::{Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[cfg(not(feature = "score-only"))]
use crate::data::Dataset;
#[cfg(not(feature = "score-only"))]
use crate::data::{CsvOptions, DatasetOptions, Profile, Table};
use crate::explain::ExplainCache;
use crate::model::leads::{Decision, Lead, ScoreOptions};
use crate::model::{FeatureInfo, Model as EngineModel, ModelKind, Record};
#[cfg(not(feature = "score-only"))]
use crate::train::{Progress, TrainOptions, Trainer};

/// Installs the panic hook so a bug shows up in the console instead of a bare `unreachable`.
#[cfg(not(feature = "score-only"))]
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
#[cfg(not(feature = "score-only"))]
#[wasm_bindgen(js_name = summarizeCsv)]
pub fn summarize_csv(bytes: &Uint8Array) -> Result<JsValue, JsError> {
    let bytes = bytes_from_js(bytes, "summarizeCsv")?;
    let summary = crate::data::summarize_csv(&bytes)?;
    Ok(to_js(&summary)?)
}

/// Most demo leads one call may ask for (about 150 MB of CSV text).
#[cfg(not(feature = "score-only"))]
const MAX_DEMO_ROWS: u32 = 1_000_000;

/// The built-in demo dataset as CSV text (`rows` leads in 0..=1,000,000, generator `seed`).
///
/// # Errors
/// Throws when `rows` is above 1,000,000 (a negative JS number arrives here as a huge one).
#[cfg(not(feature = "score-only"))]
#[wasm_bindgen(js_name = demoCsv)]
pub fn demo_csv(rows: u32, seed: u32) -> Result<String, JsError> {
    if rows > MAX_DEMO_ROWS {
        return Err(JsError::new(&format!(
            "demoCsv: rows must be between 0 and {MAX_DEMO_ROWS}, got {rows}"
        )));
    }
    Ok(crate::demo::demo_csv(rows as usize, u64::from(seed)))
}

/// The wide, messy CRM export with a planted leak (`Contract Value`) as CSV text: `rows` leads
/// in 0..=1,000,000 (45,000 for the app's test and benchmark), generator `seed`. Ground truth:
/// the Rust docs of `leadforest::demo::messy`.
///
/// # Errors
/// Throws when `rows` is above 1,000,000.
#[cfg(not(feature = "score-only"))]
#[wasm_bindgen(js_name = messyCsv)]
pub fn messy_csv(rows: u32, seed: u32) -> Result<String, JsError> {
    if rows > MAX_DEMO_ROWS {
        return Err(JsError::new(&format!(
            "messyCsv: rows must be between 0 and {MAX_DEMO_ROWS}, got {rows}"
        )));
    }
    Ok(crate::demo::messy_csv(rows as usize, u64::from(seed)))
}

/// The bytes of wasm linear memory in use by this module (it only grows: the peak so far).
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) as f64) * 65536.0
}

// ---------------------------------------------------------------------------------------------
// Conversions

/// Bytes from JS (a `Uint8Array`), copied into the engine. Taken as a JS value and checked here:
/// the generated glue for `&[u8]` trusts `length`, so `{ length: 2 ** 31 }` made the allocator
/// abort the whole module; here a non-`Uint8Array` or data too large for wasm memory is an `Error`.
fn bytes_from_js(value: &JsValue, what: &str) -> Result<Vec<u8>, JsError> {
    let Some(array) = value.dyn_ref::<Uint8Array>() else {
        return Err(JsError::new(&format!(
            "{what}: expected the bytes as a Uint8Array"
        )));
    };
    let len = array.length() as usize;
    let mut out = Vec::new();
    out.try_reserve_exact(len).map_err(|_| {
        JsError::new(&format!(
            "{what}: {len} bytes do not fit in the engine's memory (4 GB at most)"
        ))
    })?;
    out.resize(len, 0);
    array.copy_to(&mut out);
    Ok(out)
}

/// Plain objects (not `Map`s) for every struct and map, as JS code expects.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

#[cfg(not(feature = "score-only"))]
/// A library structure as JS sees it: through JSON with every object key in camelCase (the
/// library's serde names are snake_case; no structure given here has data-valued keys).
fn to_js_camel<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    fn camel(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (camel_case(&k), camel(v)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.into_iter().map(camel).collect()),
            other => other,
        }
    }
    let json = serde_json::to_value(value).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(to_js(&camel(json))?)
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
    #[cfg(not(feature = "score-only"))]
    let read = serde_json::from_value(json_from_js(&value, what)?);
    // The score-only build has no JSON reader of its own: the same plain-JSON view of the value
    // (`json_from_js`), read by serde-wasm-bindgen (the same field checks; the messages lack
    // serde_json's "at line 1 column N").
    #[cfg(feature = "score-only")]
    let read = T::deserialize(EveryKey(serde_wasm_bindgen::Deserializer::from(
        json_from_js(&value, what)?,
    )));
    read.map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// serde-wasm-bindgen reads a struct by looking up its field names only, so
/// `deny_unknown_fields` never sees a typo (`targt`); read through this, the options object is
/// visited key by key (as serde_json does) and an unknown key is refused.
#[cfg(feature = "score-only")]
struct EveryKey(serde_wasm_bindgen::Deserializer);

#[cfg(feature = "score-only")]
impl<'de> serde::Deserializer<'de> for EveryKey {
    type Error = serde_wasm_bindgen::Error;
    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(visitor)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Each lead's tier name (`""`: none) as a JS array. The names are few: the rows' indices go
/// over as one `Uint8Array` and the JS engine maps them (`Array.from(indices, names.at)`), not
/// one string made and copied across per row (which took ~10 % of `scoreCsv` at 100k rows).
#[cfg(not(feature = "score-only"))]
fn tier_names(leads: &[Lead], d: Option<&Decision>) -> Result<JsValue, JsError> {
    let tiers = d.map_or(&[][..], |d| d.tiers.tiers.as_slice());
    // Index `tiers.len()` is "" (no tier); past 255 tiers, the names one by one.
    let index = |l: &Lead| l.tier.filter(|&t| t < tiers.len()).unwrap_or(tiers.len());
    let mut names: Vec<&str> = tiers.iter().map(|t| t.name.as_str()).collect();
    names.push("");
    if names.len() > 256 {
        let each: Vec<&str> = leads.iter().map(|l| names[index(l)]).collect();
        return Ok(to_js(&each)?);
    }
    let indices: Vec<u8> = leads.iter().map(|l| index(l) as u8).collect();
    let names = to_js(&names)?;
    let js_err = |_| JsError::new("scoreCsv: cannot build the tier array");
    let array = Reflect::get(&js_sys::global(), &"Array".into()).map_err(js_err)?;
    let from: Function = Reflect::get(&array, &"from".into())
        .map_err(js_err)?
        .dyn_into()
        .map_err(js_err)?;
    let at: Function = Reflect::get(&names, &"at".into())
        .map_err(js_err)?
        .dyn_into()
        .map_err(js_err)?;
    from.call2(
        &array,
        &Uint8Array::from(indices.as_slice()),
        &at.bind0(&names),
    )
    .map_err(js_err)
}

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
}

/// `{ target?, positive?, drop?, missing? }` for `profileCsv`; unknown fields are refused.
#[cfg(not(feature = "score-only"))]
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
#[cfg(not(feature = "score-only"))]
#[wasm_bindgen(js_name = profileCsv)]
pub fn profile_csv(bytes: &Uint8Array, options: JsValue) -> Result<JsValue, JsError> {
    let bytes = bytes_from_js(bytes, "profileCsv")?;
    let options: ProfileOptions = options_from_js(options, "profileCsv options")?;
    let table = Table::from_csv(
        &bytes,
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

#[cfg(not(feature = "score-only"))]
/// The engine's default training options (the CLI's `train` defaults), camelCase.
///
/// # Errors
/// Never in practice (the conversion of a plain struct).
#[wasm_bindgen(js_name = defaultTrainOptions)]
pub fn default_train_options() -> Result<JsValue, JsError> {
    Ok(to_js(&TrainOptions::default())?)
}

#[cfg(not(feature = "score-only"))]
/// A progress report as JS sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProgressDto {
    stage: &'static str,
    /// Cross-validation folds: this fold, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    fold: Option<u32>,
    /// Cross-validation folds: how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    folds: Option<u32>,
    round: u32,
    total_rounds: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    train_loss: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_loss: Option<f64>,
}

#[cfg(not(feature = "score-only"))]
impl From<Progress> for ProgressDto {
    fn from(p: Progress) -> Self {
        use crate::train::Stage;
        let (fold, folds) = match p.stage {
            Stage::Fold { fold, folds } => (Some(fold), Some(folds)),
            _ => (None, None),
        };
        ProgressDto {
            stage: match p.stage {
                Stage::Boosting => "boosting",
                Stage::Refitting => "refitting",
                Stage::Forest => "forest",
                Stage::Fold { .. } => "fold",
            },
            fold,
            folds,
            round: p.round,
            total_rounds: p.total_rounds,
            train_loss: Some(p.train_loss).filter(|x| x.is_finite()),
            valid_loss: p.valid_loss.filter(|x| x.is_finite()),
        }
    }
}

/// Reads one record from JSON-compatible JS (through JSON, for errors that name the field); the
/// conversion is the library's [`crate::model::record_from_json`], its message prefixed by `what`.
#[cfg(not(feature = "score-only"))]
fn record_from_json(value: serde_json::Value, what: &str) -> Result<Record, JsError> {
    crate::model::record_from_json(value).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// Reads JSON-compatible JS into a `serde_json::Value` (`undefined` fields are dropped, as JSON does).
#[cfg(not(feature = "score-only"))]
fn json_from_js(value: &JsValue, what: &str) -> Result<serde_json::Value, JsError> {
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new(&format!("{what}: cannot be read as JSON")))?;
    serde_json::from_str(&json).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// The score-only build's `json_from_js`: the same plain-JSON view of a JS value (`undefined`
/// fields dropped, `NaN` → `null`, dates → strings), made by the browser's `JSON.stringify` and
/// `JSON.parse` instead of a JSON reader compiled in (serde_json was ~1/4 of that build).
#[cfg(feature = "score-only")]
fn json_from_js(value: &JsValue, what: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .ok_or_else(|| JsError::new(&format!("{what}: cannot be read as JSON")))
}

/// The score-only build's [`crate::model::record_from_json`] over `json_from_js`'s value: the
/// same record and messages. A number becomes its JSON text (`String(n)`, the text the full
/// engine reads too; it re-prints a non-integer shortest-first, e.g. `1e21` for `1e+21`: the same
/// number for the cell parser).
#[cfg(feature = "score-only")]
fn record_from_json(value: JsValue, what: &str) -> Result<Record, JsError> {
    let bad = |m: String| JsError::new(&format!("{what}: {m}"));
    if value.is_null() || !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(bad("expected an object of field name → value".into()));
    }
    let mut record = Record::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let entry: js_sys::Array = entry.unchecked_into();
        let key = entry.get(0).as_string().unwrap_or_default();
        let v = entry.get(1);
        let text = if v.is_null() {
            None
        } else if let Some(b) = v.as_bool() {
            Some(if b { "true" } else { "false" }.to_string())
        } else if let Some(text) = v.as_string() {
            Some(text)
        } else if v.as_f64().is_some() {
            js_sys::Number::unchecked_from_js(v)
                .to_string_with_radix(10)
                .ok()
                .and_then(|s| s.as_string())
        } else {
            return Err(bad(format!(
                "field `{key}` must be a string, number, boolean or null"
            )));
        };
        record.insert(key, text);
    }
    Ok(record)
}

// ---------------------------------------------------------------------------------------------
// Training

#[cfg(not(feature = "score-only"))]
/// Trains a model on a CSV's bytes. `options` is a `TrainOptions` object; `on_progress`, when
/// given, is called once per round with `{ stage, round, totalRounds, trainLoss?, validLoss? }`;
/// if it throws, training stops and that exception is rethrown.
///
/// # Errors
/// Throws an `Error` with the library's message for unreadable CSVs, unknown columns, bad options.
#[wasm_bindgen]
pub fn train(
    bytes: &Uint8Array,
    options: JsValue,
    on_progress: Option<Function>,
) -> Result<Model, JsValue> {
    let bytes = bytes_from_js(bytes, "train")?;
    let options: TrainOptions = options_from_js(options, "train options")?;
    if options.target.is_empty() {
        return Err(
            JsError::new("train options: `target` (the column to predict) is required").into(),
        );
    }
    let config = options
        .config()
        .map_err(|e| JsError::new(&format!("train options: {e}")))?;
    let table = Table::from_csv(&bytes, &options.csv()).map_err(JsError::from)?;
    let dataset = options.dataset();
    let data = Dataset::new(&table, &dataset).map_err(JsError::from)?;
    // The target's name as written in the CSV, stored like the CLI's `fit_table` does (same
    // options ⇒ same model bytes as the CLI).
    let target = table
        .column(&dataset.target)
        .map_or_else(|| dataset.target.clone(), |c| c.name.clone());
    crate::data::check_class_rows(&data, &options.target).map_err(JsError::from)?;
    drop(table);
    let mut thrown: Option<JsValue> = None;
    let mut report = |p: Progress| -> ControlFlow<()> {
        let Some(f) = &on_progress else {
            return ControlFlow::Continue(());
        };
        let dto = match to_js(&ProgressDto::from(p)) {
            Ok(v) => v,
            Err(_) => return ControlFlow::Continue(()),
        };
        match f.call1(&JsValue::NULL, &dto) {
            Ok(_) => ControlFlow::Continue(()),
            Err(e) => {
                thrown = Some(e);
                ControlFlow::Break(())
            }
        }
    };
    let result = Trainer::new(config).fit(&data, &mut report);
    if let Some(e) = thrown {
        return Err(e);
    }
    let mut inner = result.map_err(JsError::from)?;
    inner.info.target = target;
    inner.trained_at = options.trained_at.clone();
    Ok(Model::wrap(inner))
}

// ---------------------------------------------------------------------------------------------
// The model

/// A trained model: scoring, explanations, metrics and its file bytes.
#[wasm_bindgen]
pub struct Model {
    inner: EngineModel,
    /// The trees' prepared form for explaining (and `explainCsv`'s tables), kept between
    /// `scoreRecord`, `scoreRecords` and `explainCsv` calls (checked against `inner`'s trees on
    /// each call; `inner` is never changed after construction anyway).
    explain_cache: std::cell::RefCell<ExplainCache>,
}

impl Model {
    fn wrap(inner: EngineModel) -> Model {
        Model {
            inner,
            explain_cache: std::cell::RefCell::default(),
        }
    }

    /// `f` with the explain cache, or without one if it is in use (nothing here calls back into
    /// JS, so it never is; if it were, work without it rather than panic).
    fn with_explain_cache<T>(&self, f: impl FnOnce(Option<&mut ExplainCache>) -> T) -> T {
        match self.explain_cache.try_borrow_mut() {
            Ok(mut cache) => f(Some(&mut cache)),
            Err(_) => f(None),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FeatureDto<'a> {
    name: &'a str,
    source: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    categories: Option<&'a [String]>,
}

impl<'a> From<&'a FeatureInfo> for FeatureDto<'a> {
    fn from(f: &'a FeatureInfo) -> Self {
        use crate::data::FeatureKind;
        let (kind, categories) = match &f.kind {
            FeatureKind::Numeric => ("numeric", None),
            FeatureKind::Categorical { categories } => ("categorical", Some(categories.as_slice())),
        };
        FeatureDto {
            name: &f.name,
            source: &f.source,
            kind,
            categories,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SchemaDto<'a> {
    features: Vec<FeatureDto<'a>>,
    /// The CSV columns the model reads, in order of first use.
    columns: Vec<&'a str>,
    class_names: &'a [String],
    missing: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InfoDto<'a> {
    version: &'a str,
    format_version: u32,
    algo: &'static str,
    trees: usize,
    rounds: u32,
    rows: f64,
    seed: f64,
    #[cfg(not(feature = "score-only"))]
    config: serde_json::Value,
    /// The score-only build parses the stored settings with the browser's `JSON.parse` (no JSON
    /// parser of its own: ~2/5 of that build's code was serde_json).
    #[cfg(feature = "score-only")]
    #[serde(with = "serde_wasm_bindgen::preserve")]
    config: JsValue,
    trained_at: Option<&'a str>,
    target: &'a str,
    auc: Option<f64>,
}

/// One scored lead as JS sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScoreDto<'a> {
    probability: f64,
    score: u8,
    tier: &'a str,
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    percentile: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    predicted_class: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class_probabilities: Option<&'a [f64]>,
    reasons: &'a [crate::model::leads::LeadReason],
    missing: Vec<&'a str>,
}

#[cfg(not(feature = "score-only"))]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DriftDto<'a> {
    rows: f64,
    reference_rows: f64,
    // FeatureDrift's fields are single words (name, source, psi, level, words, bins: label,
    // expected, actual): already camelCase.
    features: &'a [crate::lifecycle::FeatureDrift],
    score: Option<&'a crate::lifecycle::FeatureDrift>,
    unused_columns: &'a [crate::lifecycle::FeatureDrift],
    outcome: Option<OutcomeDriftDto<'a>>,
    summary: &'a str,
    warnings: &'a [String],
}

#[cfg(not(feature = "score-only"))]
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutcomeDriftDto<'a> {
    target: &'a str,
    rows: f64,
    psi: f64,
    level: crate::lifecycle::DriftLevel,
    words: &'a str,
    bins: &'a [crate::lifecycle::BinShare],
    training_rate: Option<f64>,
    actual_rate: Option<f64>,
    predicted_rate: Option<f64>,
}

/// Reasons per lead (each way) in `scoreRecord(s)` and `explain` unless the options say.
const REASONS_PER_LEAD: u32 = 3;

impl Model {
    fn kind_name(&self) -> &'static str {
        match self.inner.kind {
            ModelKind::GradientBoosting => "gbt",
            ModelKind::RandomForest => "rf",
        }
    }

    /// The CSV columns the model reads, in order of first use.
    fn columns(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in &self.inner.pipeline.features {
            if !out.contains(&f.source.as_str()) {
                out.push(&f.source);
            }
        }
        out
    }

    /// A scored lead as its DTO (tier names and actions from the decision in use).
    fn score_dto<'a>(
        &'a self,
        lead: &'a Lead,
        decision: Option<&'a Decision>,
        missing: Vec<&'a str>,
    ) -> ScoreDto<'a> {
        let tier = decision
            .zip(lead.tier)
            .and_then(|(d, t)| d.tiers.tiers.get(t));
        ScoreDto {
            probability: lead.probability,
            score: lead.score,
            tier: tier.map_or("", |t| t.name.as_str()),
            action: tier.map_or("", |t| t.action.as_str()),
            decision: lead.decision,
            percentile: lead.percentile,
            predicted_class: lead
                .predicted_class
                .and_then(|c| self.inner.class_names.get(c))
                .map(String::as_str),
            class_probabilities: lead.class_probabilities.as_deref(),
            reasons: &lead.reasons,
            missing,
        }
    }

    /// The model's columns a record lacks (or holds null).
    fn missing<'a>(&'a self, record: &Record) -> Vec<&'a str> {
        self.columns()
            .into_iter()
            .filter(|c| record.get(*c).is_none_or(Option::is_none))
            .collect()
    }

    #[cfg(not(feature = "score-only"))]
    fn table(&self, bytes: &[u8]) -> Result<Table, JsError> {
        let options = CsvOptions {
            missing: self.inner.pipeline.missing.clone(),
            ..CsvOptions::default()
        };
        Ok(Table::from_csv(bytes, &options)?)
    }
}

#[wasm_bindgen]
impl Model {
    /// Reads a model file.
    ///
    /// # Errors
    /// Throws on corrupt, truncated or newer-version files, with the library's message.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &Uint8Array) -> Result<Model, JsError> {
        let bytes = bytes_from_js(bytes, "Model.fromBytes")?;
        crate::limits::check_model_bytes(bytes.len())?;
        #[cfg(not(feature = "score-only"))]
        let inner = EngineModel::from_bytes(&bytes)?;
        // The evaluation section's JSON through the browser's `JSON.parse` (no JSON reader in
        // the score-only build); unreadable → no report, as `from_bytes`.
        #[cfg(feature = "score-only")]
        let inner = EngineModel::from_bytes_with(&bytes, &|text| {
            serde_wasm_bindgen::from_value(js_sys::JSON::parse(text).ok()?).ok()
        })?;
        Ok(Model::wrap(inner))
    }

    #[cfg(not(feature = "score-only"))]
    /// The model file's bytes (same model ⇒ same bytes on every platform).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Uint8Array {
        Uint8Array::from(self.inner.to_bytes().as_slice())
    }

    /// Scores every row of a CSV (columns matched by name) with `options` (`ScoreOptions`:
    /// reasons (default 0 here), threshold, capacity, percentile): `{ rows, columns, probability:
    /// Float64Array, score: Uint8Array, tier, warnings, threshold?, thresholdWords?, decision?:
    /// Uint8Array, percentile?: Float64Array, classProbabilities?, predictedClass?, reasons? }`,
    /// composed by the library (`Model::score_leads`), as the CLI's `score`.
    ///
    /// # Errors
    /// Throws when the CSV cannot be read or the options are out of range.
    #[cfg(not(feature = "score-only"))]
    #[wasm_bindgen(js_name = scoreCsv)]
    pub fn score_csv(&self, bytes: &Uint8Array, options: JsValue) -> Result<JsValue, JsError> {
        let options: ScoreOptions = options_from_js(options, "scoreCsv options")?;
        // Straight through the stored pipeline: only the model's columns, no type inference.
        let csv = self.inner.read_csv(&bytes_from_js(bytes, "scoreCsv")?)?;
        let scored = self.inner.score_encoded_leads(&csv.features, &options, 0)?;
        let leads = &scored.leads;
        let d = scored.decision.as_ref();
        let out = Object::new();
        set(&out, "rows", csv.features.n_rows as f64);
        set(&out, "columns", to_js(&csv.headers)?);
        let probability: Vec<f64> = leads.iter().map(|l| l.probability).collect();
        set(
            &out,
            "probability",
            Float64Array::from(probability.as_slice()),
        );
        let scores: Vec<u8> = leads.iter().map(|l| l.score).collect();
        set(&out, "score", Uint8Array::from(scores.as_slice()));
        set(&out, "tier", tier_names(leads, d)?);
        if let Some(d) = d {
            set(&out, "threshold", d.threshold);
            set(&out, "thresholdWords", d.words.as_str());
            let called: Vec<u8> = leads
                .iter()
                .map(|l| l.decision == Some(true))
                .map(u8::from)
                .collect();
            set(&out, "decision", Uint8Array::from(called.as_slice()));
        }
        if options.percentile && d.is_some() {
            let pct: Vec<f64> = leads
                .iter()
                .map(|l| l.percentile.unwrap_or(f64::NAN))
                .collect();
            set(&out, "percentile", Float64Array::from(pct.as_slice()));
        }
        if self.inner.n_outputs() > 1 {
            let cp: Vec<f64> = leads
                .iter()
                .flat_map(|l| l.class_probabilities.iter().flatten().copied())
                .collect();
            set(
                &out,
                "classProbabilities",
                Float64Array::from(cp.as_slice()),
            );
            let names: Vec<&str> = leads
                .iter()
                .map(|l| {
                    l.predicted_class
                        .and_then(|c| self.inner.class_names.get(c))
                        .map_or("", String::as_str)
                })
                .collect();
            set(&out, "predictedClass", to_js(&names)?);
        }
        if options.reasons.unwrap_or(0) > 0 {
            let reasons: Vec<&[crate::model::leads::LeadReason]> =
                leads.iter().map(|l| l.reasons.as_slice()).collect();
            set(&out, "reasons", to_js(&reasons)?);
        }
        set(&out, "warnings", to_js(&scored.warnings)?);
        Ok(out.into())
    }

    /// Scores lead records (objects keyed by CSV column name; absent fields are missing) with
    /// `options` (`ScoreOptions`; reasons default 3 each way).
    ///
    /// # Errors
    /// Throws when `records` is not an array of objects of strings, numbers, booleans or nulls.
    #[wasm_bindgen(js_name = scoreRecords)]
    pub fn score_records(&self, records: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let what = "scoreRecords";
        let options: ScoreOptions = options_from_js(options, "scoreRecords options")?;
        #[cfg(not(feature = "score-only"))]
        let serde_json::Value::Array(items) = json_from_js(&records, what)?
        else {
            return Err(JsError::new("scoreRecords: expected an array of records"));
        };
        #[cfg(feature = "score-only")]
        let items = {
            let items = json_from_js(&records, what)?;
            if !js_sys::Array::is_array(&items) {
                return Err(JsError::new("scoreRecords: expected an array of records"));
            }
            js_sys::Array::from(&items).to_vec()
        };
        let records = items
            .into_iter()
            .enumerate()
            .map(|(i, r)| record_from_json(r, &format!("scoreRecords: record {i}")))
            .collect::<Result<Vec<Record>, JsError>>()?;
        let (leads, decision) = self.with_explain_cache(|cache| {
            self.inner
                .score_lead_records_with(&records, &options, REASONS_PER_LEAD, cache)
        })?;
        let out: Vec<ScoreDto> = leads
            .iter()
            .zip(&records)
            .map(|(lead, r)| self.score_dto(lead, decision.as_ref(), self.missing(r)))
            .collect();
        Ok(to_js(&out)?)
    }

    /// Scores one lead record (by column name; absent fields are missing) with `options`.
    ///
    /// # Errors
    /// Throws when `record` is not an object of strings, numbers, booleans or nulls.
    #[wasm_bindgen(js_name = scoreRecord)]
    pub fn score_record(&self, record: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let options: ScoreOptions = options_from_js(options, "scoreRecord options")?;
        let record = record_from_json(json_from_js(&record, "scoreRecord")?, "scoreRecord")?;
        let (lead, d) = self.with_explain_cache(|cache| {
            self.inner
                .score_lead_with(&record, &options, REASONS_PER_LEAD, cache)
        })?;
        Ok(to_js(&self.score_dto(
            &lead,
            d.as_ref(),
            self.missing(&record),
        ))?)
    }

    #[cfg(not(feature = "score-only"))]
    /// Explains one lead: `{ bias, raw, contributions: [{ feature, source, value, contribution }],
    /// reasons }`; contributions (raw-margin units) sum to `raw - bias`. Multi-class: of its most
    /// likely class. `options`: `{ reasons? }` (default 3 each way).
    ///
    /// # Errors
    /// Throws for a bad record.
    pub fn explain(&self, record: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        let options: crate::model::leads::ExplainOptions =
            options_from_js(options, "explain options")?;
        if options.rows.is_some() {
            return Err(JsError::new("explain options: `rows` is for explainCsv"));
        }
        let record = record_from_json(json_from_js(&record, "explain")?, "explain")?;
        let k = if options.reasons == 0 {
            REASONS_PER_LEAD
        } else {
            options.reasons
        };
        to_js_camel(&self.inner.explain_record(&record, k)?)
    }

    /// Explains rows of a CSV (`options`: `{ rows?: number[], reasons? }`; default every row, no
    /// reasons): `{ rows, rowIndices, features, bias, contributions: Float64Array, reasons? }`
    /// with `contributions[i * features.length + feature]` for the i-th explained row.
    ///
    /// # Errors
    /// Throws when the CSV cannot be read or a row index is past its end.
    #[cfg(not(feature = "score-only"))]
    #[wasm_bindgen(js_name = explainCsv)]
    pub fn explain_csv(&self, bytes: &Uint8Array, options: JsValue) -> Result<JsValue, JsError> {
        let options: crate::model::leads::ExplainOptions =
            options_from_js(options, "explainCsv options")?;
        let csv = self.inner.read_csv(&bytes_from_js(bytes, "explainCsv")?)?;
        let e = self.with_explain_cache(|cache| {
            self.inner
                .explain_encoded_with(&csv.features, &options, cache)
        })?;
        let out = Object::new();
        set(&out, "rows", e.row_indices.len() as f64);
        let idx: Vec<f64> = e.row_indices.iter().map(|&r| r as f64).collect();
        set(&out, "rowIndices", to_js(&idx)?);
        set(&out, "features", to_js(&e.features)?);
        set(&out, "bias", e.bias);
        set(
            &out,
            "contributions",
            Float64Array::from(e.contributions.as_slice()),
        );
        if let Some(r) = &e.reasons {
            set(&out, "reasons", to_js(r)?);
        }
        Ok(out.into())
    }

    #[cfg(not(feature = "score-only"))]
    /// A capacity or a threshold (`{ capacity?, threshold? }`) → `{ threshold, rule, words, at,
    /// tiers }` measured on the evaluation rows (see `Plan` in index.d.ts).
    ///
    /// # Errors
    /// Throws for models without an evaluation report, multi-class models, or bad options.
    pub fn plan(&self, choice: JsValue) -> Result<JsValue, JsError> {
        let options: ScoreOptions = options_from_js(choice, "plan")?;
        to_js_camel(&self.inner.plan(&options)?)
    }

    /// Drift of newer leads (CSV bytes) from the training data: `{ rows, referenceRows,
    /// features: [{ name, source, psi, level, words, bins, used }] (largest PSI first), score,
    /// unusedColumns, outcome, summary, warnings }`; levels `stable` (PSI < 0.1), `moderate`
    /// (to 0.25), `major`.
    ///
    /// # Errors
    /// Throws when the model has no training profile (retrain it), the CSV cannot be read, or it
    /// has none of the model's columns.
    #[cfg(not(feature = "score-only"))]
    pub fn drift(&self, bytes: &Uint8Array) -> Result<JsValue, JsError> {
        let table = self.table(&bytes_from_js(bytes, "drift")?)?;
        let r = crate::lifecycle::drift(&self.inner, &table)?;
        Ok(to_js(&DriftDto {
            rows: r.rows as f64,
            reference_rows: r.reference_rows as f64,
            features: &r.features,
            score: r.score.as_ref(),
            unused_columns: &r.unused_columns,
            outcome: r.outcome.as_ref().map(|o| OutcomeDriftDto {
                target: &o.target,
                rows: o.rows as f64,
                psi: o.psi,
                level: o.level,
                words: &o.words,
                bins: &o.bins,
                training_rate: o.training_rate,
                actual_rate: o.actual_rate,
                predicted_rate: o.predicted_rate,
            }),
            summary: &r.summary,
            warnings: &r.warnings,
        })?)
    }

    /// Metrics measured on held-out rows during training, camelCase (`validAuc`, `oobAuc`…).
    #[wasm_bindgen(getter)]
    pub fn metrics(&self) -> Result<JsValue, JsError> {
        let out = Object::new();
        for m in &self.inner.info.metrics {
            set(&out, &camel_case(&m.name), m.value);
        }
        // The evaluation report's headline: the figures to show (what the CRM card reads).
        if let Some(e) = &self.inner.evaluation {
            let m = &e.metrics;
            for (name, v) in [
                ("auc", m.auc),
                ("prAuc", m.pr_auc),
                ("logLoss", m.log_loss),
                ("brier", m.brier),
                ("accuracy", m.accuracy),
                ("macroF1", m.macro_f1),
            ] {
                if let Some(v) = v {
                    set(&out, name, v);
                }
            }
            set(&out, "rows", e.rows.rows as f64);
        }
        Ok(out.into())
    }

    #[cfg(not(feature = "score-only"))]
    /// How training validated the model (`null` for files from before): `{ mode, requested,
    /// summary, trainRows, testRows, testFraction, dateColumn?, trainEnd?, testStart?, testEnd?,
    /// folds?, auc?, aucSd?, prAuc?, prAucSd?, logLoss?, logLossSd?, brier?, brierSd?,
    /// accuracy?, accuracySd?, macroF1?, macroF1Sd?, perFold? }`.
    #[wasm_bindgen(getter)]
    pub fn validation(&self) -> Result<JsValue, JsError> {
        let Some(v) = &self.inner.validation else {
            return Ok(JsValue::NULL);
        };
        Ok(to_js(&validation_json(v))?)
    }

    #[cfg(not(feature = "score-only"))]
    /// The evaluation report stored at training (`null` for files from before it existed or
    /// trained without held-out rows); see `Evaluation` in index.d.ts.
    #[wasm_bindgen(getter)]
    pub fn report(&self) -> Result<JsValue, JsError> {
        match &self.inner.evaluation {
            Some(e) => to_js_camel(e),
            None => Ok(JsValue::NULL),
        }
    }

    /// The evaluation report measured on a labelled CSV (`options`: `{ target?, segment? }`).
    ///
    /// # Errors
    /// Throws when the CSV cannot be read, lacks the target column or has no known outcome.
    #[cfg(not(feature = "score-only"))]
    pub fn evaluate(&self, bytes: &Uint8Array, options: JsValue) -> Result<JsValue, JsError> {
        let options: crate::model::evaluation::EvaluateOptions =
            options_from_js(options, "evaluate options")?;
        let table = self.table(&bytes_from_js(bytes, "evaluate")?)?;
        to_js_camel(&self.inner.evaluate_table(&table, &options)?)
    }

    /// A CRM import file for the leads of an export (issue 20; the CLI's `score --for`):
    /// `options` `{ crm: "hubspot" | "salesforce" | "zoho" | "pipedrive", id?, value?, reasons? }`
    /// → `{ csv, rows, idColumn, leftOut: number[], note: string | null, fileName }`.
    ///
    /// # Errors
    /// Throws for an unknown CRM, a multi-class model, no or duplicated record ids (naming the
    /// rows), or a non-number amount (naming the row).
    #[cfg(not(feature = "score-only"))]
    #[wasm_bindgen(js_name = crmCsv)]
    pub fn crm_csv(&self, bytes: &Uint8Array, options: JsValue) -> Result<JsValue, JsError> {
        let options: crate::crm::CrmOptions = options_from_js(options, "crmCsv options")?;
        let table = self.table(&bytes_from_js(bytes, "crmCsv")?)?;
        to_js_camel(&crate::crm::crm_file(&self.inner, &table, &options)?)
    }

    /// Revenue captured by the top 5/10/20/50 % of a labelled CSV's leads, ranked by the model
    /// (the CLI's `eval --value`): `{ column, rows, converted, convertedWithoutValue,
    /// convertedTotal, rankedBy, captured: [{ topPct, leads, value, share, randomShare }] }`.
    ///
    /// # Errors
    /// Throws when `column` is not a string or not a column, an amount is not a number (naming
    /// the row), the CSV lacks the target, or no converted lead has a value.
    #[cfg(not(feature = "score-only"))]
    #[wasm_bindgen(js_name = valueGains)]
    pub fn value_gains(&self, bytes: &Uint8Array, column: JsValue) -> Result<JsValue, JsError> {
        let column = column
            .as_string()
            .ok_or_else(|| JsError::new("valueGains: expected the value column's name"))?;
        let table = self.table(&bytes_from_js(bytes, "valueGains")?)?;
        to_js_camel(&crate::value::model_value_gains(
            &self.inner,
            &table,
            &column,
        )?)
    }

    /// Each lead's expected value, calibrated probability × the amount in `column` (the CLI's
    /// `score --value`): a `Float64Array` in row order, `NaN` where the amount is missing.
    ///
    /// # Errors
    /// Throws when `column` is not a string or not a column, or an amount is not a number.
    #[cfg(not(feature = "score-only"))]
    #[wasm_bindgen(js_name = expectedValues)]
    pub fn expected_values(
        &self,
        bytes: &Uint8Array,
        column: JsValue,
    ) -> Result<Float64Array, JsError> {
        let column = column
            .as_string()
            .ok_or_else(|| JsError::new("expectedValues: expected the value column's name"))?;
        let table = self.table(&bytes_from_js(bytes, "expectedValues")?)?;
        let values = crate::value::expected_values(&self.inner, &table, &column)?;
        let out: Vec<f64> = values.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
        Ok(Float64Array::from(out.as_slice()))
    }

    /// `{ features: [{ name, source, kind, categories? }], columns, classNames, missing }`.
    #[wasm_bindgen(getter)]
    pub fn schema(&self) -> Result<JsValue, JsError> {
        let dto = SchemaDto {
            features: self.inner.features.iter().map(FeatureDto::from).collect(),
            columns: self.columns(),
            class_names: &self.inner.class_names,
            missing: &self.inner.pipeline.missing,
        };
        Ok(to_js(&dto)?)
    }

    #[cfg(not(feature = "score-only"))]
    /// Every string the model file stores: `[{ value, section, field, use }]` in file order
    /// (column names, category labels, cell texts matched when scoring, class names, settings),
    /// so a user can see what a file gives away before sharing it.
    pub fn strings(&self) -> Result<JsValue, JsError> {
        Ok(to_js(&self.inner.stored_strings())?)
    }

    /// `{ version, formatVersion, algo, trees, rounds, rows, seed, config }`.
    #[wasm_bindgen(getter)]
    pub fn info(&self) -> Result<JsValue, JsError> {
        let i = &self.inner.info;
        let dto = InfoDto {
            version: &i.leadforest_version,
            format_version: crate::model::FORMAT_VERSION,
            algo: self.kind_name(),
            trees: self.inner.trees().len(),
            rounds: i.rounds,
            rows: i.rows as f64,
            seed: i.seed as f64,
            #[cfg(not(feature = "score-only"))]
            config: serde_json::from_str(&i.config).unwrap_or(serde_json::Value::Null),
            #[cfg(feature = "score-only")]
            config: js_sys::JSON::parse(&i.config).unwrap_or(JsValue::NULL),
            trained_at: self.inner.trained_at.as_deref(),
            target: &i.target,
            auc: self.inner.evaluation.as_ref().and_then(|e| e.metrics.auc),
        };
        Ok(to_js(&dto)?)
    }
}

#[cfg(not(feature = "score-only"))]
/// A validation report as the JS API's flat camelCase object (absent figures left out).
fn validation_json(v: &crate::train::ValidationReport) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let figures = |m: &crate::train::FoldMetrics, suffix: &str, out: &mut Map<String, Value>| {
        for (name, x) in [
            ("auc", m.auc),
            ("prAuc", m.pr_auc),
            ("logLoss", m.log_loss),
            ("brier", m.brier),
            ("accuracy", m.accuracy),
            ("macroF1", m.macro_f1),
        ] {
            if let Some(x) = x.filter(|x| x.is_finite()) {
                out.insert(format!("{name}{suffix}"), json!(x));
            }
        }
    };
    let mut out = Map::new();
    out.insert("mode".into(), json!(v.mode.name()));
    out.insert("requested".into(), json!(v.requested.name()));
    out.insert("summary".into(), json!(v.summary()));
    out.insert("trainRows".into(), json!(v.train_rows as f64));
    out.insert("testRows".into(), json!(v.test_rows as f64));
    out.insert("testFraction".into(), json!(v.fraction));
    if let Some(c) = &v.time_column {
        out.insert("dateColumn".into(), json!(c));
    }
    for (key, x) in [
        ("trainEnd", &v.train_end),
        ("testStart", &v.test_start),
        ("testEnd", &v.test_end),
    ] {
        if let Some(x) = x {
            out.insert(key.into(), json!(x));
        }
    }
    figures(&v.metrics, "", &mut out);
    if let Some(sd) = &v.sd {
        figures(sd, "Sd", &mut out);
    }
    if !v.folds.is_empty() {
        out.insert("folds".into(), json!(v.folds.len()));
        let per: Vec<Value> = v
            .folds
            .iter()
            .map(|f| {
                let mut m = Map::new();
                m.insert("trainRows".into(), json!(f.train_rows as f64));
                m.insert("testRows".into(), json!(f.test_rows as f64));
                figures(f, "", &mut m);
                Value::Object(m)
            })
            .collect();
        out.insert("perFold".into(), Value::Array(per));
    }
    Value::Object(out)
}

/// `valid_auc` → `validAuc`.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            // The score-only build carries no Unicode upper-case table (12 KB): the names given
            // here are ASCII (serde field names, the engine's metric names).
            #[cfg(not(feature = "score-only"))]
            out.extend(ch.to_uppercase());
            #[cfg(feature = "score-only")]
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// Converts a LightGBM text model (`save_model('model.txt')`) or an XGBoost JSON model
/// (`save_model('m.json')`) into leadforest model-file bytes (load them like any saved model).
/// `schemaCsv`, optional: CSV bytes with the model's columns (e.g. the training data) to map
/// feature names to column names and supply category labels the file lacks.
///
/// # Errors
/// Throws when the bytes are neither format, use something leadforest cannot score exactly
/// (the message says what), or the schema CSV cannot be read.
#[cfg(not(feature = "score-only"))]
#[wasm_bindgen(js_name = importModel)]
pub fn import_model(bytes: &Uint8Array, schema_csv: JsValue) -> Result<Vec<u8>, JsError> {
    let imported = crate::interop::ImportedEnsemble::parse(&bytes_from_js(bytes, "importModel")?)?;
    let schema_csv = if schema_csv.is_undefined() || schema_csv.is_null() {
        None
    } else {
        Some(bytes_from_js(&schema_csv, "importModel schema")?)
    };
    let schema = schema_csv
        .map(|csv| imported.read_schema(&csv))
        .transpose()?;
    let options = crate::interop::ConvertOptions {
        schema: schema.as_ref(),
        origin: "importModel",
    };
    Ok(imported.to_model(&options)?.to_bytes())
}
