//! Model file format, version 1:
//!
//! ```text
//! MAGIC (8 bytes "LEADFRST") | format version (u32 LE) | writer version length (u32 LE) |
//! writer version (UTF-8) | payload length (u64 LE) | payload (postcard) | CRC-32 of all before (u32 LE)
//! ```
//! The payload is [`FileV1`], a type separate from the in-memory [`Model`], so the in-memory
//! model can change without changing files. Optional parts (calibration, tiers, thresholds…) are
//! named sections; a reader refuses a `required` section it does not know instead of guessing,
//! and skips an optional one. Postcard is not self-describing, so a struct already in files never
//! gains fields: new data goes into a new section. Optional sections so far: `training-profile`
//! (binned training data for drift, [`crate::lifecycle::TrainingProfile`]), `training-context`
//! (the profile's constant columns and class counts, added later than the profile, hence its own
//! section), `privacy` (the rare-value threshold and the personal columns the user allowed),
//! `lineage` ([`crate::lifecycle::Lineage`]) and `validation`; files without them load
//! with `None` (or, for `training-context`, a profile without those two parts).

use super::tree::Tree;
use super::{FeatureInfo, Model, ModelKind, ModelParts, TrainingInfo};
use crate::data::{FeatureKind, Pipeline};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The first bytes of every leadforest model file.
pub const MAGIC: &[u8; 8] = b"LEADFRST";
/// The model file format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct FeatureV1 {
    name: String,
    source: String,
    /// `None` for numeric features, the category labels for categorical ones.
    categories: Option<Vec<String>>,
}

/// Read borrowed from the file's bytes (no copy of the section; `Cow<[u8]>` is written as a
/// sequence of bytes and read with `deserialize_bytes`: the same encoding in postcard, a length
/// then the bytes).
#[derive(Serialize, Deserialize)]
struct SectionV1<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    required: bool,
    #[serde(borrow)]
    bytes: Cow<'a, [u8]>,
}

#[derive(Serialize, Deserialize)]
struct FileV1<'a> {
    kind: u8,
    features: Vec<FeatureV1>,
    class_names: Vec<String>,
    base_score: Vec<f64>,
    trees: Vec<Tree>,
    info: TrainingInfo,
    #[serde(borrow)]
    sections: Vec<SectionV1<'a>>,
}

/// The `training-context` section: parts of the training profile added after it was in files.
#[derive(Serialize, Deserialize)]
struct TrainingContextV1 {
    /// Columns left out for one value on every row: (name, value; `None` = always missing).
    constant_columns: Vec<(String, Option<String>)>,
    /// Training rows per class.
    class_counts: Vec<u64>,
}

const PIPELINE_SECTION: &str = "pipeline";
const SCORING_SECTION: &str = "scoring";
/// Optional: the binned training data (`crate::lifecycle::TrainingProfile`), for drift.
const PROFILE_SECTION: &str = "training-profile";
/// Optional: the profile's constant columns and class counts ([`TrainingContextV1`]).
const CONTEXT_SECTION: &str = "training-context";
/// Optional: parent model, data window, row counts (`crate::lifecycle::Lineage`).
const LINEAGE_SECTION: &str = "lineage";
/// Optional (older readers skip it): how training validated the model.
const VALIDATION_SECTION: &str = "validation";
/// Optional: the evaluation report and the training date ([`RecordV1`]), stored as JSON so that
/// it can gain fields without a new section.
const EVALUATION_SECTION: &str = "evaluation";

/// The `evaluation` section (JSON; unknown fields ignored, absent ones `None`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct RecordV1 {
    evaluation: Option<super::evaluation::Evaluation>,
    trained_at: Option<String>,
}
/// Optional: the rare-value threshold and the personal columns the user allowed
/// (`crate::data::PrivacyRecord`, kept with the training profile).
const PRIVACY_SECTION: &str = "privacy";

/// The score-only build (the CRM card's engine) reads of the `evaluation` section only what
/// scoring one lead and the card use (rows, headline metrics, the threshold's rule and words, the
/// percentiles) and the training date. The other fields must be there, as for the full reader
/// (a record the full reader would drop is dropped here too), but their contents are skipped
/// unread: deserializing all of `Evaluation` was a third of that build's code.
#[cfg(feature = "score-only")]
pub use slim::RecordV1 as EvaluationRecord;

#[cfg(feature = "score-only")]
mod slim {
    use super::super::evaluation::{EvaluatedRows, Evaluation, EvaluationMetrics, ThresholdInfo};
    use serde::de::IgnoredAny;
    use serde::Deserialize;

    /// The `evaluation` section as the score-only build reads it.
    #[derive(Deserialize, Default)]
    #[serde(default)]
    pub struct RecordV1 {
        evaluation: Option<EvaluationSlim>,
        trained_at: Option<String>,
    }

    #[derive(Deserialize)]
    struct EvaluationSlim {
        rows: EvaluatedRows,
        class_names: Vec<String>,
        positive_class: Option<String>,
        metrics: EvaluationMetrics,
        threshold: Option<ThresholdInfo>,
        thresholds: IgnoredAny,
        roc: IgnoredAny,
        pr: IgnoredAny,
        gains: IgnoredAny,
        reliability: IgnoredAny,
        #[serde(default)]
        calibration: Option<IgnoredAny>,
        tiers: IgnoredAny,
        baselines: IgnoredAny,
        importance: IgnoredAny,
        importance_rows: u64,
        percentiles: Vec<f64>,
        #[serde(default)]
        segments: Option<IgnoredAny>,
        #[serde(default)]
        multiclass: Option<IgnoredAny>,
    }

    impl RecordV1 {
        /// The evaluation (its unread tables empty) and the training date.
        pub(super) fn into_parts(self) -> (Option<Evaluation>, Option<String>) {
            let evaluation = self.evaluation.map(|e| {
                let _ = (
                    e.thresholds,
                    e.roc,
                    e.pr,
                    e.gains,
                    e.reliability,
                    e.calibration,
                    e.tiers,
                    e.baselines,
                    e.importance,
                    e.segments,
                    e.multiclass,
                );
                Evaluation {
                    rows: e.rows,
                    class_names: e.class_names,
                    positive_class: e.positive_class,
                    metrics: e.metrics,
                    threshold: e.threshold,
                    thresholds: Vec::new(),
                    roc: Vec::new(),
                    pr: Vec::new(),
                    gains: Vec::new(),
                    reliability: Vec::new(),
                    calibration: None,
                    tiers: Vec::new(),
                    baselines: Vec::new(),
                    importance: Vec::new(),
                    importance_rows: e.importance_rows,
                    percentiles: e.percentiles,
                    segments: None,
                    multiclass: None,
                }
            });
            (evaluation, self.trained_at)
        }
    }
}

impl Model {
    /// The model as file bytes (format [`FORMAT_VERSION`]); the same model always gives the same
    /// bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let pipeline = postcard::to_allocvec(&self.pipeline).expect("pipelines serialize");
        let file = FileV1 {
            kind: match self.kind {
                ModelKind::GradientBoosting => 0,
                ModelKind::RandomForest => 1,
            },
            features: self
                .features
                .iter()
                .map(|f| FeatureV1 {
                    name: f.name.clone(),
                    source: f.source.clone(),
                    categories: match &f.kind {
                        FeatureKind::Numeric => None,
                        FeatureKind::Categorical { categories } => Some(categories.clone()),
                    },
                })
                .collect(),
            class_names: self.class_names.clone(),
            base_score: self.base_score.clone(),
            trees: self.trees.clone(),
            info: self.info.clone(),
            sections: std::iter::once(SectionV1 {
                name: Cow::Borrowed(PIPELINE_SECTION),
                required: true,
                bytes: Cow::Owned(pipeline),
            })
            .chain(self.scoring.as_ref().map(|s| SectionV1 {
                name: Cow::Borrowed(SCORING_SECTION),
                // Calibration changes probabilities: a reader that cannot apply it must refuse.
                required: true,
                bytes: Cow::Owned(postcard::to_allocvec(s).expect("scoring settings serialize")),
            }))
            // Profile and lineage only describe the model: readers that do not know them may
            // skip them (`required: false`) and still score exactly.
            .chain(self.training_profile.as_ref().map(|p| SectionV1 {
                name: Cow::Borrowed(PROFILE_SECTION),
                required: false,
                bytes: Cow::Owned(postcard::to_allocvec(p).expect("profiles serialize")),
            }))
            .chain(
                self.training_profile
                    .as_ref()
                    .filter(|p| !p.constant_columns.is_empty() || !p.class_counts.is_empty())
                    .map(|p| SectionV1 {
                        name: Cow::Borrowed(CONTEXT_SECTION),
                        required: false,
                        bytes: Cow::Owned(
                            postcard::to_allocvec(&TrainingContextV1 {
                                constant_columns: p
                                    .constant_columns
                                    .iter()
                                    .map(|c| (c.name.clone(), c.value.clone()))
                                    .collect(),
                                class_counts: p.class_counts.clone(),
                            })
                            .expect("training contexts serialize"),
                        ),
                    }),
            )
            .chain(
                self.training_profile
                    .as_ref()
                    .and_then(|p| p.privacy.as_ref())
                    .map(|r| SectionV1 {
                        name: Cow::Borrowed(PRIVACY_SECTION),
                        required: false,
                        bytes: Cow::Owned(
                            postcard::to_allocvec(r).expect("privacy records serialize"),
                        ),
                    }),
            )
            .chain(self.lineage.as_ref().map(|l| SectionV1 {
                name: Cow::Borrowed(LINEAGE_SECTION),
                required: false,
                bytes: Cow::Owned(postcard::to_allocvec(l).expect("lineages serialize")),
            }))
            .chain(self.validation.as_ref().map(|v| SectionV1 {
                name: Cow::Borrowed(VALIDATION_SECTION),
                required: false,
                bytes: Cow::Owned(postcard::to_allocvec(v).expect("validation reports serialize")),
            }))
            .chain(
                (self.evaluation.is_some() || self.trained_at.is_some()).then(|| SectionV1 {
                    name: Cow::Borrowed(EVALUATION_SECTION),
                    required: false,
                    bytes: Cow::Owned(
                        serde_json::to_vec(&RecordV1 {
                            evaluation: self.evaluation.clone(),
                            trained_at: self.trained_at.clone(),
                        })
                        .expect("evaluations serialize"),
                    ),
                }),
            )
            .collect(),
        };
        let payload = postcard::to_allocvec(&file).expect("models serialize");
        let writer = crate::VERSION.as_bytes();
        let mut out = Vec::with_capacity(payload.len() + writer.len() + 32);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(writer.len() as u32).to_le_bytes());
        out.extend_from_slice(writer);
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Reads a model file.
    ///
    /// # Errors
    /// `Error::Model` when the bytes are not a leadforest model, were written by a newer format
    /// (the message names the writer's version: upgrade), or are corrupt or truncated.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        Model::read(
            bytes,
            #[cfg(feature = "score-only")]
            &|text| serde_json::from_str(text).ok(),
        )
    }

    /// [`Model::from_bytes`] for the score-only build (the CRM card's engine, wasm32), with the
    /// JSON of the `evaluation` section read by `read_evaluation` (there: the browser's
    /// `JSON.parse`, so that build carries no JSON reader; `None` = unreadable, no report).
    ///
    /// # Errors
    /// As [`Model::from_bytes`].
    #[cfg(feature = "score-only")]
    pub fn from_bytes_with(
        bytes: &[u8],
        read_evaluation: &dyn Fn(&str) -> Option<EvaluationRecord>,
    ) -> Result<Model> {
        Model::read(bytes, read_evaluation)
    }

    // The score-only build leaves some optional sections unread (their variables stay `None`).
    #[cfg_attr(feature = "score-only", allow(unused_mut))]
    fn read(
        bytes: &[u8],
        #[cfg(feature = "score-only")] read_evaluation: &dyn Fn(&str) -> Option<EvaluationRecord>,
    ) -> Result<Model> {
        let not_model = || {
            Error::Model(
                "this is not a leadforest model file (it does not start with LEADFRST): \
                 pass a file written by `leadforest train`"
                    .into(),
            )
        };
        let corrupt = |what: &str| {
            Error::Model(format!(
                "the model file is corrupt ({what}): it was damaged or cut short; \
                 copy it again or retrain"
            ))
        };
        crate::limits::check_model_bytes(bytes.len())?;
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(not_model());
        }
        let u32_at = |at: usize| -> Option<u32> {
            bytes
                .get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let version = u32_at(8).ok_or_else(|| corrupt("truncated header"))?;
        let writer_len = u32_at(12).ok_or_else(|| corrupt("truncated header"))? as usize;
        let writer = bytes
            .get(16..16usize.saturating_add(writer_len))
            .map(|b| String::from_utf8_lossy(b).into_owned());
        if version > FORMAT_VERSION {
            let by = writer
                .filter(|w| w.len() <= 64)
                .unwrap_or_else(|| "a newer version".into());
            return Err(Error::Model(format!(
                "this model was written by leadforest {by} (format {version}); this is leadforest {} \
                 (reads formats up to {FORMAT_VERSION}): upgrade leadforest to read it",
                crate::VERSION
            )));
        }
        if version == 0 {
            return Err(corrupt("format version 0"));
        }
        let (Some(_), Some(len_bytes)) = (writer, bytes.get(16 + writer_len..24 + writer_len))
        else {
            return Err(corrupt("truncated header"));
        };
        let payload_len = u64::from_le_bytes(len_bytes.try_into().expect("8 bytes"));
        let start = 24 + writer_len;
        let expected_total = (start as u64)
            .checked_add(payload_len)
            .and_then(|x| x.checked_add(4));
        if expected_total != Some(bytes.len() as u64) {
            return Err(corrupt(&format!(
                "{} bytes where the header promises {}",
                bytes.len(),
                expected_total.map_or("more".into(), |t| t.to_string())
            )));
        }
        let end = bytes.len() - 4;
        let stored = u32::from_le_bytes(bytes[end..].try_into().expect("4 bytes"));
        if crc32fast::hash(&bytes[..end]) != stored {
            return Err(corrupt("checksum mismatch"));
        }
        let file: FileV1 = postcard::from_bytes(&bytes[start..end])
            .map_err(|e| corrupt(&format!("unreadable payload: {e}")))?;
        let mut pipeline = Pipeline::default();
        let mut scoring = None;
        let (mut training_profile, mut lineage) = (None::<crate::lifecycle::TrainingProfile>, None);
        let mut context: Option<TrainingContextV1> = None;
        let mut validation = None;
        #[cfg(not(feature = "score-only"))]
        let mut record = RecordV1::default();
        #[cfg(feature = "score-only")]
        let mut record = slim::RecordV1::default();
        let mut privacy = None;
        for s in &file.sections {
            match &*s.name {
                SCORING_SECTION => {
                    scoring = Some(
                        postcard::from_bytes(&s.bytes)
                            .map_err(|e| corrupt(&format!("unreadable scoring settings: {e}")))?,
                    )
                }
                #[cfg(not(feature = "score-only"))]
                PROFILE_SECTION => {
                    training_profile = Some(
                        postcard::from_bytes(&s.bytes)
                            .map_err(|e| corrupt(&format!("unreadable training profile: {e}")))?,
                    )
                }
                #[cfg(not(feature = "score-only"))]
                CONTEXT_SECTION => {
                    context = Some(
                        postcard::from_bytes(&s.bytes)
                            .map_err(|e| corrupt(&format!("unreadable training context: {e}")))?,
                    )
                }
                #[cfg(not(feature = "score-only"))]
                LINEAGE_SECTION => {
                    lineage = Some(
                        postcard::from_bytes(&s.bytes)
                            .map_err(|e| corrupt(&format!("unreadable lineage: {e}")))?,
                    )
                }
                // Informational: an unreadable report is dropped, never a reason to refuse.
                #[cfg(not(feature = "score-only"))]
                VALIDATION_SECTION => validation = postcard::from_bytes(&s.bytes).ok(),
                // The score-only build (the CRM card's engine) scores and explains leads: it
                // never reads the training profile (drift), lineage, validation report or
                // privacy record, so it leaves those optional sections unparsed (less code,
                // less work before the first score). The CRC above still covers their bytes.
                #[cfg(feature = "score-only")]
                PROFILE_SECTION | CONTEXT_SECTION | LINEAGE_SECTION | VALIDATION_SECTION
                | PRIVACY_SECTION => {}
                // Informational too: unreadable → no report.
                #[cfg(not(feature = "score-only"))]
                EVALUATION_SECTION => {
                    record = serde_json::from_slice(&s.bytes).unwrap_or_default();
                }
                // JSON that is not UTF-8 is refused by both readers.
                #[cfg(feature = "score-only")]
                EVALUATION_SECTION => {
                    record = std::str::from_utf8(&s.bytes)
                        .ok()
                        .and_then(read_evaluation)
                        .unwrap_or_default();
                }
                #[cfg(not(feature = "score-only"))]
                PRIVACY_SECTION => {
                    privacy = Some(
                        postcard::from_bytes(&s.bytes)
                            .map_err(|e| corrupt(&format!("unreadable privacy record: {e}")))?,
                    )
                }
                PIPELINE_SECTION => {
                    pipeline = postcard::from_bytes(&s.bytes)
                        .map_err(|e| corrupt(&format!("unreadable pipeline: {e}")))?
                }
                other if s.required => {
                    return Err(Error::Model(format!(
                        "this model needs `{other}`, which this leadforest {} does not know: \
                         upgrade leadforest to read it",
                        crate::VERSION
                    )))
                }
                _ => {}
            }
        }
        let kind = match file.kind {
            0 => ModelKind::GradientBoosting,
            1 => ModelKind::RandomForest,
            k => return Err(corrupt(&format!("unknown model kind {k}"))),
        };
        let mut model = Model::new(ModelParts {
            kind,
            features: file
                .features
                .into_iter()
                .map(|f| FeatureInfo {
                    name: f.name,
                    source: f.source,
                    kind: match f.categories {
                        None => FeatureKind::Numeric,
                        Some(categories) => FeatureKind::Categorical { categories },
                    },
                })
                .collect(),
            pipeline,
            class_names: file.class_names,
            base_score: file.base_score,
            trees: file.trees,
            info: file.info,
        });
        model.scoring = scoring;
        if let (Some(p), Some(c)) = (training_profile.as_mut(), context) {
            p.constant_columns = c
                .constant_columns
                .into_iter()
                .map(|(name, value)| crate::data::ConstantColumn { name, value })
                .collect();
            p.class_counts = c.class_counts;
        }
        if let Some(p) = training_profile.as_mut() {
            p.privacy = privacy;
        }
        model.training_profile = training_profile;
        model.lineage = lineage;
        model.validation = validation;
        #[cfg(not(feature = "score-only"))]
        {
            model.evaluation = record.evaluation;
            model.trained_at = record.trained_at;
        }
        #[cfg(feature = "score-only")]
        {
            (model.evaluation, model.trained_at) = record.into_parts();
        }
        model.validate().map_err(|e| match e {
            Error::Model(m) => corrupt(&m),
            other => other,
        })?;
        Ok(model)
    }

    /// Checks that the model can be scored, explained and compared safely, once, so every later
    /// walk can trust it: outputs match the classes ([`crate::limits::MAX_CLASSES`] at most),
    /// every tree is a tree within the limits of [`Tree::check`], the pipeline has the model's
    /// features in the same order, and the optional sections (calibration and tiers, training
    /// profile and class counts) describe this model's outputs and inputs. [`Model::from_bytes`]
    /// and the importers call it; a model built by hand from [`ModelParts`] should too.
    ///
    /// # Errors
    /// `Error::Limit` for a count past a limit of [`crate::limits`], `Error::Model` naming the
    /// part that disagrees.
    pub fn validate(&self) -> Result<()> {
        use crate::limits::{
            check_count, MAX_BITSET_WORDS, MAX_CATEGORY_CODES, MAX_CLASSES, MAX_FEATURES, MAX_TREES,
        };
        let bad = |m: String| Error::Model(m);
        let n_out = self.base_score.len();
        let n_classes = self.class_names.len();
        check_count("the model", "classes", n_classes, MAX_CLASSES)?;
        if n_out == 0 || n_classes < 2 {
            return Err(bad("no outputs or fewer than two classes".into()));
        }
        // Binary models have one output (the positive class's margin), others one per class:
        // scoring reads probabilities in rows of `n_classes`, so any other count misreads them.
        if !(n_out == 1 && n_classes == 2 || n_out == n_classes) {
            return Err(bad(format!("{n_out} outputs for {n_classes} classes")));
        }
        if let Some(b) = self.base_score.iter().find(|b| !b.is_finite()) {
            return Err(bad(format!("base score {b}")));
        }
        let n_features = self.features.len();
        check_count("the model", "inputs", n_features, MAX_FEATURES)?;
        for f in &self.features {
            if let FeatureKind::Categorical { categories } = &f.kind {
                check_count(
                    &format!("input `{}`", f.name),
                    "categories",
                    categories.len(),
                    MAX_CATEGORY_CODES,
                )?;
            }
        }
        check_count(
            "the model",
            "trees",
            self.trees.len(),
            (MAX_TREES as usize).saturating_mul(n_out),
        )?;
        let mut words = 0usize;
        for (t, tree) in self.trees.iter().enumerate() {
            words =
                words.saturating_add(tree.check(n_features, &format!("tree {t}"))?.bitset_words);
        }
        check_count(
            "the model's categorical splits",
            "bitset words",
            words,
            MAX_BITSET_WORDS,
        )?;
        // The pipeline computes the inputs the trees read, by index: same count, same order. A
        // model trained from a bare `Dataset` has none (it reads feature values, not CSV cells).
        let p = &self.pipeline.features;
        if !p.is_empty() && p.len() != n_features {
            return Err(bad(format!(
                "the pipeline computes {} inputs but the model has {n_features}",
                p.len()
            )));
        }
        for (i, (pf, f)) in p.iter().zip(&self.features).enumerate() {
            if pf.name != f.name || pf.source != f.source || pf.kind != f.kind {
                return Err(bad(format!(
                    "input {i} is `{}` (from `{}`) in the pipeline but `{}` (from `{}`) in the \
                     model, or their categories differ",
                    pf.name, pf.source, f.name, f.source
                )));
            }
        }
        if let Some(s) = &self.scoring {
            if n_out != 1 {
                return Err(bad(format!(
                    "calibration and tiers are for binary models; this one has {n_out} outputs"
                )));
            }
            validate_scoring(s).map_err(|m| bad(format!("scoring section: {m}")))?;
        }
        // The score-only build never reads a training profile (from_bytes leaves it out).
        #[cfg(not(feature = "score-only"))]
        if let Some(profile) = &self.training_profile {
            validate_profile(profile, &self.features, n_classes)
                .map_err(|m| bad(format!("training profile: {m}")))?;
        }
        Ok(())
    }
}

/// Checks calibration, tiers and threshold: probabilities in [0, 1], points in order, the two
/// isotonic lists of one length (scoring indexes them together).
fn validate_scoring(s: &super::scoring::Scoring) -> std::result::Result<(), String> {
    use super::calibration::Calibrator;
    let prob = |x: f64| (0.0..=1.0).contains(&x);
    match &s.calibrator {
        Calibrator::Identity => {}
        Calibrator::Platt { a, b } => {
            if !(a.is_finite() && b.is_finite()) {
                return Err(format!("Platt calibration a = {a}, b = {b}"));
            }
        }
        Calibrator::Isotonic { x, y } => {
            if x.len() != y.len() {
                return Err(format!(
                    "isotonic calibration has {} x and {} y",
                    x.len(),
                    y.len()
                ));
            }
            if !x.iter().all(|&v| prob(v))
                || !y.iter().all(|&v| prob(v))
                || x.windows(2).any(|w| w[0] > w[1])
            {
                return Err("isotonic calibration points are not increasing probabilities".into());
            }
        }
    }
    if !prob(s.threshold) {
        return Err(format!("threshold {}", s.threshold));
    }
    let t = &s.tiers.tiers;
    if !t.iter().all(|t| prob(t.min_probability))
        || t.windows(2)
            .any(|w| w[0].min_probability < w[1].min_probability)
    {
        return Err("tier cut-offs are not decreasing probabilities".into());
    }
    Ok(())
}

#[cfg(not(feature = "score-only"))]
/// Checks a training profile against the model's inputs and classes (see [`Model::validate`]).
fn validate_profile(
    p: &crate::lifecycle::TrainingProfile,
    features: &[FeatureInfo],
    n_classes: usize,
) -> std::result::Result<(), String> {
    use crate::lifecycle::Bins;
    if p.features.len() != features.len() {
        return Err(format!(
            "{} inputs profiled, the model has {}",
            p.features.len(),
            features.len()
        ));
    }
    let bins_ok = |b: &Bins| -> std::result::Result<(), String> {
        if let Bins::Numeric { edges, counts, .. } = b {
            if counts.len() != edges.len() + 1 {
                return Err(format!("{} counts for {} edges", counts.len(), edges.len()));
            }
            if edges.iter().any(|e| e.is_nan()) || edges.windows(2).any(|w| w[0] > w[1]) {
                return Err("bin edges are not increasing numbers".into());
            }
        }
        // Shares and PSI sum the counts: they must add up without overflowing.
        b.all_counts()
            .iter()
            .try_fold(0u64, |a, &c| a.checked_add(c))
            .map(|_| ())
            .ok_or_else(|| "counts overflow".to_string())
    };
    for (i, (b, f)) in p.features.iter().zip(features).enumerate() {
        match (b, &f.kind) {
            (Bins::Numeric { .. }, FeatureKind::Numeric) => {}
            (Bins::Categorical { counts, .. }, FeatureKind::Categorical { categories })
                if counts.len() == categories.len() => {}
            _ => {
                return Err(format!(
                    "input {i} (`{}`) is binned as another kind or with another number of \
                     categories than the model has",
                    f.name
                ))
            }
        }
        bins_ok(b).map_err(|m| format!("input {i} (`{}`): {m}", f.name))?;
    }
    if let Some(s) = &p.score {
        bins_ok(s).map_err(|m| format!("score: {m}"))?;
    }
    if !(p.class_counts.is_empty() || p.class_counts.len() == n_classes) {
        return Err(format!(
            "{} class counts for {n_classes} classes",
            p.class_counts.len()
        ));
    }
    if p.class_counts
        .iter()
        .try_fold(0u64, |a, &c| a.checked_add(c))
        .is_none()
    {
        return Err("class counts overflow".into());
    }
    Ok(())
}
