//! The JavaScript API (wasm32 only): the one module that knows `JsValue`. Thin camelCase DTOs
//! over the library, no logic of its own: every function converts its inputs, calls the library
//! and converts the result back. Library errors become JS `Error`s with the library's message
//! (`Result<_, JsError>`), so a bad input never panics and the module keeps working after it.
//! Bulk numbers (probabilities, scores, contributions) cross as typed arrays.

#[cfg(not(feature = "score-only"))]
use std::ops::ControlFlow;

#[cfg(not(feature = "score-only"))]
use js_sys::Function;
use js_sys::{Float64Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[cfg(not(feature = "score-only"))]
use crate::data::Dataset;
use crate::data::{CsvOptions, DatasetOptions, Profile, Table};
use crate::explain::Explainer;
use crate::model::{FeatureInfo, Model as EngineModel, ModelKind, Record};
#[cfg(not(feature = "score-only"))]
use crate::train::{Progress, TrainOptions, Trainer};

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
pub fn summarize_csv(bytes: &Uint8Array) -> Result<JsValue, JsError> {
    let bytes = bytes_from_js(bytes, "summarizeCsv")?;
    let summary = crate::data::summarize_csv(&bytes)?;
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
    serde_json::from_value(json_from_js(&value, what)?)
        .map_err(|e| JsError::new(&format!("{what}: {e}")))
}

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
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
fn record_from_json(value: serde_json::Value, what: &str) -> Result<Record, JsError> {
    crate::model::record_from_json(value).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

/// Reads JSON-compatible JS into a `serde_json::Value` (`undefined` fields are dropped, as JSON does).
fn json_from_js(value: &JsValue, what: &str) -> Result<serde_json::Value, JsError> {
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new(&format!("{what}: cannot be read as JSON")))?;
    serde_json::from_str(&json).map_err(|e| JsError::new(&format!("{what}: {e}")))
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
    Ok(Model { inner })
}

// ---------------------------------------------------------------------------------------------
// The model

/// A trained model: scoring, explanations, metrics and its file bytes.
#[wasm_bindgen]
pub struct Model {
    inner: EngineModel,
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
    config: serde_json::Value,
    trained_at: Option<&'a str>,
    target: &'a str,
    auc: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReasonDto {
    text: String,
    column: String,
    value: String,
    direction: &'static str,
    contribution: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScoreDto {
    probability: f64,
    score: u8,
    tier: String,
    action: String,
    /// Binary models: the raw margin (log-odds) before calibration, what `explain` decomposes.
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class_probabilities: Option<Vec<f64>>,
    reasons: Vec<ReasonDto>,
    missing: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContributionDto<'a> {
    feature: &'a str,
    source: &'a str,
    value: String,
    contribution: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExplanationDto<'a> {
    bias: f64,
    raw: f64,
    contributions: Vec<ContributionDto<'a>>,
    reasons: Vec<ReasonDto>,
}

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

/// Reasons per lead (each way) in scores and explanations.
const REASONS_PER_LEAD: usize = 3;

fn reason_dtos(r: crate::explain::Reasons) -> Vec<ReasonDto> {
    let up = r.positive.into_iter().map(|x| (x, "up"));
    let down = r.negative.into_iter().map(|x| (x, "down"));
    up.chain(down)
        .map(|(x, direction)| ReasonDto {
            text: x.text,
            column: x.column,
            value: x.value,
            direction,
            contribution: x.contribution,
        })
        .collect()
}

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

    fn explainer(&self) -> Result<Explainer<'_>, JsError> {
        Ok(Explainer::new(
            &self.inner.trees,
            &self.inner.base_score,
            self.inner.features.len(),
        )?)
    }

    /// Scores one record (already parsed) with its reasons.
    fn score_one(&self, record: &Record, explainer: &mut Explainer) -> ScoreDto {
        let row = self
            .inner
            .pipeline
            .encode_record(&|name| record.get(name).cloned().flatten());
        let raw = self.inner.predict_row(&row);
        let probs = self.inner.probabilities(&raw);
        let binary = self.inner.n_outputs() == 1;
        let probability = if binary {
            probs[0]
        } else {
            probs.iter().copied().fold(0.0, f64::max)
        };
        let reasons = if binary {
            let c = explainer.explain(&row, 0);
            crate::explain::reasons(&c.values, &row, &self.inner.pipeline, REASONS_PER_LEAD)
        } else {
            crate::explain::Reasons::default()
        };
        let missing = self
            .columns()
            .into_iter()
            .filter(|c| record.get(*c).is_none_or(Option::is_none))
            .map(str::to_string)
            .collect();
        let scoring = self.inner.scoring.clone().unwrap_or_default();
        let lead = scoring.score(probability);
        ScoreDto {
            probability: lead.probability,
            score: lead.score,
            tier: scoring.tier_name(lead.tier).to_string(),
            raw: binary.then(|| raw[0]),
            action: scoring
                .tiers
                .tiers
                .get(lead.tier)
                .map_or(String::new(), |t| t.action.clone()),
            class_probabilities: (!binary).then_some(probs),
            reasons: reason_dtos(reasons),
            missing,
        }
    }

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
        Ok(Model {
            inner: EngineModel::from_bytes(&bytes)?,
        })
    }

    /// The model file's bytes (same model ⇒ same bytes on every platform).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Uint8Array {
        Uint8Array::from(self.inner.to_bytes().as_slice())
    }

    /// Scores every row of a CSV (columns matched by name): `{ rows, columns, probability:
    /// Float64Array, score: Uint8Array, warnings }`, rows in input order; multi-class models add
    /// `classProbabilities` (row-major, one per class in `schema.classNames` order).
    ///
    /// # Errors
    /// Throws when the CSV cannot be read.
    #[wasm_bindgen(js_name = scoreCsv)]
    pub fn score_csv(&self, bytes: &Uint8Array) -> Result<JsValue, JsError> {
        let table = self.table(&bytes_from_js(bytes, "scoreCsv")?)?;
        let encoded = self.inner.pipeline.encode_table(&table)?;
        let raw = self.inner.predict_columns(&encoded.columns);
        let probs = self.inner.probabilities(&raw);
        let k = if self.inner.n_outputs() == 1 {
            1
        } else {
            self.inner.n_classes()
        };
        // Multi-class: every class's probability too, row-major (schema.classNames order).
        let class_probabilities = (k > 1).then(|| Float64Array::from(probs.as_slice()));
        let positive: Vec<f64> = if k == 1 {
            probs
        } else {
            probs
                .chunks(k)
                .map(|r| r.iter().copied().fold(0.0, f64::max))
                .collect()
        };
        // The same calibration and tiers as the CLI's `score` (stored in the model file).
        let scoring = self.inner.scoring.clone().unwrap_or_default();
        let leads: Vec<_> = positive.iter().map(|&p| scoring.score(p)).collect();
        let probability: Vec<f64> = leads.iter().map(|l| l.probability).collect();
        let scores: Vec<u8> = leads.iter().map(|l| l.score).collect();
        let tiers: Vec<&str> = leads.iter().map(|l| scoring.tier_name(l.tier)).collect();
        let out = Object::new();
        set(&out, "rows", table.n_rows as f64);
        set(&out, "columns", to_js(&table.names())?);
        set(
            &out,
            "probability",
            Float64Array::from(probability.as_slice()),
        );
        set(&out, "score", Uint8Array::from(scores.as_slice()));
        set(&out, "tier", to_js(&tiers)?);
        set(&out, "raw", Float64Array::from(raw.as_slice()));
        if let Some(cp) = class_probabilities {
            set(&out, "classProbabilities", cp);
        }
        set(&out, "warnings", to_js(&encoded.warnings)?);
        Ok(out.into())
    }

    /// Scores lead records (objects keyed by CSV column name; absent fields are missing).
    ///
    /// # Errors
    /// Throws when `records` is not an array of objects of strings, numbers, booleans or nulls.
    #[wasm_bindgen(js_name = scoreRecords)]
    pub fn score_records(&self, records: JsValue) -> Result<JsValue, JsError> {
        let what = "scoreRecords";
        let serde_json::Value::Array(items) = json_from_js(&records, what)? else {
            return Err(JsError::new("scoreRecords: expected an array of records"));
        };
        let records = items
            .into_iter()
            .enumerate()
            .map(|(i, r)| record_from_json(r, &format!("scoreRecords: record {i}")))
            .collect::<Result<Vec<Record>, JsError>>()?;
        let mut explainer = self.explainer()?;
        let out: Vec<ScoreDto> = records
            .iter()
            .map(|r| self.score_one(r, &mut explainer))
            .collect();
        Ok(to_js(&out)?)
    }

    /// Scores one lead record (by column name; absent fields are missing).
    ///
    /// # Errors
    /// Throws when `record` is not an object of strings, numbers, booleans or nulls.
    #[wasm_bindgen(js_name = scoreRecord)]
    pub fn score_record(&self, record: JsValue) -> Result<JsValue, JsError> {
        let record = record_from_json(json_from_js(&record, "scoreRecord")?, "scoreRecord")?;
        let mut explainer = self.explainer()?;
        Ok(to_js(&self.score_one(&record, &mut explainer))?)
    }

    /// Explains one lead: `{ bias, raw, contributions: [{ feature, source, value, contribution }],
    /// reasons }`; contributions (raw-margin units) sum to `raw - bias`.
    ///
    /// # Errors
    /// Throws for a bad record, or for multi-class models (explanations are per class; not yet).
    pub fn explain(&self, record: JsValue) -> Result<JsValue, JsError> {
        let record = record_from_json(json_from_js(&record, "explain")?, "explain")?;
        if self.inner.n_outputs() != 1 {
            return Err(JsError::new(
                "explain: only binary models can be explained in this version",
            ));
        }
        let row = self
            .inner
            .pipeline
            .encode_record(&|name| record.get(name).cloned().flatten());
        let mut explainer = self.explainer()?;
        let c = explainer.explain(&row, 0);
        let p = &self.inner.pipeline;
        let contributions = self
            .inner
            .features
            .iter()
            .enumerate()
            .map(|(f, info)| ContributionDto {
                feature: &info.name,
                source: &info.source,
                value: p.describe_value(f, row.get(f).copied().unwrap_or(f64::NAN)),
                contribution: c.values.get(f).copied().unwrap_or(0.0),
            })
            .collect();
        let reasons = crate::explain::reasons(&c.values, &row, p, REASONS_PER_LEAD);
        let dto = ExplanationDto {
            bias: c.bias,
            raw: c.total(),
            contributions,
            reasons: reason_dtos(reasons),
        };
        Ok(to_js(&dto)?)
    }

    /// Explains every row of a CSV at once: `{ rows, features: string[], bias, contributions:
    /// Float64Array }` with `contributions[row * features.length + feature]` in raw-margin units.
    ///
    /// # Errors
    /// Throws when the CSV cannot be read, or for multi-class models.
    #[wasm_bindgen(js_name = explainCsv)]
    pub fn explain_csv(&self, bytes: &Uint8Array) -> Result<JsValue, JsError> {
        let bytes = bytes_from_js(bytes, "explainCsv")?;
        if self.inner.n_outputs() != 1 {
            return Err(JsError::new(
                "explainCsv: only binary models can be explained in this version",
            ));
        }
        let table = self.table(&bytes)?;
        let columns = self.inner.pipeline.encode_table(&table)?.columns;
        let nf = self.inner.features.len();
        let mut explainer = self.explainer()?;
        let mut all = Vec::with_capacity(table.n_rows * nf);
        let mut row = vec![0.0; nf];
        let mut phi = Vec::with_capacity(nf);
        let mut bias = 0.0;
        for r in 0..table.n_rows {
            for (f, col) in columns.iter().enumerate() {
                row[f] = col[r];
            }
            bias = explainer.explain_into(&row, 0, &mut phi);
            all.extend_from_slice(&phi);
        }
        if table.n_rows == 0 {
            bias = explainer.bias(0);
        }
        let names: Vec<&str> = self
            .inner
            .features
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        let out = Object::new();
        set(&out, "rows", table.n_rows as f64);
        set(&out, "features", to_js(&names)?);
        set(&out, "bias", bias);
        set(&out, "contributions", Float64Array::from(all.as_slice()));
        Ok(out.into())
    }

    /// Drift of newer leads (CSV bytes) from the training data: `{ rows, referenceRows,
    /// features: [{ name, source, psi, level, words, bins, used }] (largest PSI first), score,
    /// unusedColumns, outcome, summary, warnings }`; levels `stable` (PSI < 0.1), `moderate`
    /// (to 0.25), `major`.
    ///
    /// # Errors
    /// Throws when the model has no training profile (retrain it), the CSV cannot be read, or it
    /// has none of the model's columns.
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
    pub fn evaluate(&self, bytes: &Uint8Array, options: JsValue) -> Result<JsValue, JsError> {
        let options: crate::model::evaluation::EvaluateOptions =
            options_from_js(options, "evaluate options")?;
        let table = self.table(&bytes_from_js(bytes, "evaluate")?)?;
        to_js_camel(&self.inner.evaluate_table(&table, &options)?)
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

    /// `{ version, formatVersion, algo, trees, rounds, rows, seed, config }`.
    #[wasm_bindgen(getter)]
    pub fn info(&self) -> Result<JsValue, JsError> {
        let i = &self.inner.info;
        let dto = InfoDto {
            version: &i.leadforest_version,
            format_version: crate::model::FORMAT_VERSION,
            algo: self.kind_name(),
            trees: self.inner.trees.len(),
            rounds: i.rounds,
            rows: i.rows as f64,
            seed: i.seed as f64,
            config: serde_json::from_str(&i.config).unwrap_or(serde_json::Value::Null),
            trained_at: self.inner.trained_at.as_deref(),
            target: &i.target,
            auc: self.inner.evaluation.as_ref().and_then(|e| e.metrics.auc),
        };
        Ok(to_js(&dto)?)
    }
}

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
            out.extend(ch.to_uppercase());
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
