//! Scoring composition, once for every front-end: the model's probability → calibration → the
//! 0–100 score → the decision threshold in use (the model's, a given one, or a capacity) → tier
//! (tiers follow the threshold) → percentile → reasons. The CLI's `score` and the JS API's
//! `scoreCsv`/`scoreRecord(s)` read one [`ScoreOptions`] and call [`Model::score_leads`] /
//! [`Model::score_lead`], so they agree by construction.
//!
//! Multi-class models have no tiers and no decision (tiers rank leads by one yes/no outcome):
//! each lead gets its most likely class, that class's probability and score, and reasons for it.

use super::evaluation::RuleName;
use super::tiers::{TierNames, Tiers};
use super::{calibration, Model, Record};
use crate::data::{EncodedTable, Table};
use crate::explain::{ExplainCache, Explainer, Reason};
use crate::limits::thousands;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The N best leads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopLeads {
    /// How many leads, ≥ 1.
    pub top: u64,
}

/// A share of the leads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareOfLeads {
    /// The share, in (0, 1].
    pub share: f64,
}

/// A team: reps × leads per rep, out of the leads arriving in the same period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Team {
    /// Sales reps, > 0.
    pub reps: f64,
    /// Leads one rep works per period, > 0.
    pub leads_per_rep: f64,
    /// Leads arriving per period (default: the evaluation rows' leads per day).
    #[serde(default)]
    pub leads_per_period: Option<f64>,
}

/// How many leads the team can work.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Capacity {
    /// The N best leads (of the file scored; for one lead or a plan, of the evaluation rows).
    Top(TopLeads),
    /// A share of the leads.
    Share(ShareOfLeads),
    /// Reps × leads per rep out of the period's leads.
    Team(Team),
}

/// The options every scoring front-end reads (camelCase; unknown fields refused).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ScoreOptions {
    /// Reasons per lead each way (`None`: the front-end's default).
    pub reasons: Option<u32>,
    /// A decision threshold (calibrated probability in [0, 1]) instead of the model's.
    pub threshold: Option<f64>,
    /// A capacity instead of a threshold.
    pub capacity: Option<Capacity>,
    /// Give each lead its percentile among the evaluation rows.
    pub percentile: bool,
}

/// The decision threshold in use, why, and the tiers that follow it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Calibrated probability from which a lead is sent to sales.
    pub threshold: f64,
    /// The rule that chose it.
    pub rule: RuleName,
    /// Plain words.
    pub words: String,
    /// Tiers (the first = at or above the threshold).
    pub tiers: Tiers,
}

/// Which way a reason pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Raises the score.
    Up,
    /// Lowers it.
    Down,
}

/// One reason of a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadReason {
    /// `Column = value ↑`.
    pub text: String,
    /// The CSV column.
    pub column: String,
    /// The lead's value in words.
    pub value: String,
    /// Which way it pushes.
    pub direction: Direction,
    /// Contribution in raw-margin units.
    pub contribution: f64,
}

/// One scored lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    /// Calibrated probability of the positive class (multi-class: of the most likely class).
    pub probability: f64,
    /// `round(100 × probability)`.
    pub score: u8,
    /// Tier index (binary models).
    pub tier: Option<usize>,
    /// At or above the threshold in use (binary models).
    pub decision: Option<bool>,
    /// Percentile among the evaluation rows, 0..=100 (when asked and known).
    pub percentile: Option<f64>,
    /// Multi-class: the most likely class index.
    pub predicted_class: Option<usize>,
    /// Multi-class: every class's probability.
    pub class_probabilities: Option<Vec<f64>>,
    /// Reasons: those pushing towards the lead's side of the threshold first, then the others.
    pub reasons: Vec<LeadReason>,
}

/// Scored leads of a table, in row order.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredLeads {
    /// One per row.
    pub leads: Vec<Lead>,
    /// The decision in use (binary models).
    pub decision: Option<Decision>,
    /// Plain-words warnings (e.g. a column the model uses is absent).
    pub warnings: Vec<String>,
}

fn argmax(p: &[f64]) -> usize {
    (0..p.len()).fold(0, |b, c| if p[c] > p[b] { c } else { b })
}

impl Model {
    /// The tier names and actions of this model (defaults when it has none).
    fn tier_names(&self) -> TierNames {
        match &self.scoring {
            Some(s) if !s.tiers.tiers.is_empty() => TierNames(
                s.tiers
                    .tiers
                    .iter()
                    .map(|t| (t.name.clone(), t.action.clone()))
                    .collect(),
            ),
            _ => TierNames::default(),
        }
    }

    /// The decision threshold and tiers `options` ask for. `file` holds the calibrated
    /// probabilities of the leads being scored (capacities apply to them); without it, to the
    /// evaluation rows.
    ///
    /// # Errors
    /// `Error::Config` for a threshold outside [0, 1] or a capacity out of range or needing a
    /// leads-per-period figure the model does not know; `Error::Data` for multi-class models.
    pub fn decision(&self, options: &ScoreOptions, file: Option<&[f64]>) -> Result<Decision> {
        if self.n_outputs() != 1 {
            return Err(Error::Data(
                "thresholds, capacities and tiers are for yes/no models; this one predicts classes"
                    .into(),
            ));
        }
        let scoring = self.scoring.clone().unwrap_or_default();
        let reference: Vec<f64> = match (&self.evaluation, file) {
            (_, Some(f)) if options.capacity.is_some() => f.to_vec(),
            (Some(e), _) if !e.percentiles.is_empty() => e.percentiles.clone(),
            (_, Some(f)) => f.to_vec(),
            _ => Vec::new(),
        };
        let of_what = if file.is_some() {
            "of this file".to_string()
        } else {
            "of the evaluation rows".to_string()
        };
        let bad = |field: &'static str, expected: &str, given: String| Error::Config {
            field,
            expected: expected.into(),
            given,
        };
        // A chosen threshold equal to the model's own is the model's decision: the same rule,
        // words and stored tiers (the app passes the threshold in use, which starts there; the
        // tiers `around` would rebuild from the 101 stored percentiles differ slightly from the
        // ones fitted on every held-out row).
        let chosen = options.threshold.filter(|&t| t != scoring.threshold);
        if options.threshold.is_some() && options.capacity.is_some() {
            return Err(bad(
                "threshold",
                "either a threshold or a capacity, not both",
                "both".into(),
            ));
        }
        let (threshold, rule, words) = match (chosen, options.capacity) {
            (Some(_), Some(_)) => {
                return Err(bad(
                    "threshold",
                    "either a threshold or a capacity, not both",
                    "both".into(),
                ))
            }
            (Some(t), None) => {
                if !(0.0..=1.0).contains(&t) {
                    return Err(bad("threshold", "a probability in [0, 1]", t.to_string()));
                }
                (t, RuleName::Fixed, format!("a chosen probability {t:.2}"))
            }
            (None, Some(c)) => {
                let (share, what) = match c {
                    Capacity::Top(TopLeads { top }) => {
                        if top == 0 {
                            return Err(bad("capacity.top", "a whole number ≥ 1", "0".into()));
                        }
                        let n = if file.is_some() {
                            reference.len() as f64
                        } else {
                            self.evaluation.as_ref().map_or(0.0, |e| e.rows.rows as f64)
                        };
                        (
                            (top as f64 / n.max(1.0)).min(1.0),
                            format!("the top {} leads {of_what}", thousands(top)),
                        )
                    }
                    Capacity::Share(ShareOfLeads { share }) => {
                        if !(share > 0.0 && share <= 1.0) {
                            return Err(bad(
                                "capacity.share",
                                "a share in (0, 1]",
                                share.to_string(),
                            ));
                        }
                        (
                            share,
                            format!("the top {:.1} % of leads {of_what}", 100.0 * share),
                        )
                    }
                    Capacity::Team(t) => {
                        let per = t.leads_per_period.or_else(|| {
                            self.evaluation.as_ref().and_then(|e| e.rows.leads_per_day)
                        });
                        let Some(per) = per.filter(|p| *p > 0.0) else {
                            return Err(bad(
                                "capacity.leadsPerPeriod",
                                "the leads arriving per period (this model's data had no dates to \
                                 tell leads per day)",
                                "none".into(),
                            ));
                        };
                        if !(t.reps > 0.0 && t.leads_per_rep > 0.0) {
                            return Err(bad(
                                "capacity.reps",
                                "reps and leadsPerRep > 0",
                                format!("{} × {}", t.reps, t.leads_per_rep),
                            ));
                        }
                        let can = t.reps * t.leads_per_rep;
                        (
                            (can / per).min(1.0),
                            format!(
                                "{} reps × {} leads each of {:.0} arriving per period: the top {:.1} %",
                                t.reps,
                                t.leads_per_rep,
                                per,
                                100.0 * (can / per).min(1.0)
                            ),
                        )
                    }
                };
                (
                    top_share_threshold(&reference, share),
                    RuleName::Capacity,
                    what,
                )
            }
            (None, None) => {
                let (rule, words) =
                    match self.evaluation.as_ref().and_then(|e| e.threshold.as_ref()) {
                        Some(t) => (t.rule, format!("the model's threshold: {}", t.words)),
                        None => (RuleName::Fixed, "the model's threshold".to_string()),
                    };
                (scoring.threshold, rule, words)
            }
        };
        let tiers = if chosen.is_none() && options.capacity.is_none() {
            scoring.tiers.clone()
        } else {
            Tiers::around(&self.tier_names(), threshold, &reference)?
        };
        Ok(Decision {
            threshold,
            rule,
            words,
            tiers,
        })
    }

    /// Scores every row of `table` with `options` (reasons: `options.reasons`, else
    /// `default_reasons` each way). Probabilities come from [`Model::score_table`].
    ///
    /// # Errors
    /// As [`Model::score_table`] and [`Model::decision`].
    pub fn score_leads(
        &self,
        table: &Table,
        options: &ScoreOptions,
        default_reasons: u32,
    ) -> Result<ScoredLeads> {
        self.score_encoded_leads(
            &self.pipeline.encode_table(table)?,
            options,
            default_reasons,
        )
    }

    /// [`Model::score_leads`] for rows already read through the pipeline (e.g. streamed from
    /// CSV bytes by [`Model::read_csv`]).
    ///
    /// # Errors
    /// As [`Model::score_encoded`] and [`Model::decision`].
    pub fn score_encoded_leads(
        &self,
        input: &EncodedTable,
        options: &ScoreOptions,
        default_reasons: u32,
    ) -> Result<ScoredLeads> {
        let scores = self.score_encoded(input)?;
        let k = self.n_outputs();
        let n_reasons = options.reasons.unwrap_or(default_reasons) as usize;
        let scoring = self.scoring.clone().unwrap_or_default();
        let cal: Vec<f64> = if k == 1 {
            scores
                .probabilities
                .iter()
                .map(|&p| scoring.calibrator.apply(p))
                .collect()
        } else {
            Vec::new()
        };
        let decision = if k == 1 {
            Some(self.decision(options, Some(&cal))?)
        } else {
            None
        };
        let mut leads: Vec<Lead> = scores
            .probabilities
            .chunks_exact(k)
            .enumerate()
            .map(|(r, p)| {
                let calibrated = cal.get(r).copied();
                self.compose(p, calibrated, decision.as_ref(), options)
            })
            .collect();
        let columns = &input.columns;
        self.add_reasons(&mut leads, n_reasons, None, |r, out| {
            out.extend(columns.iter().map(|c| c[r]));
        })?;
        Ok(ScoredLeads {
            leads,
            decision,
            warnings: scores.warnings,
        })
    }

    /// Scores one record (by CSV column name; absent fields are missing) with `options`
    /// (reasons: `options.reasons`, else `default_reasons` each way).
    ///
    /// # Errors
    /// As [`Model::decision`].
    pub fn score_lead(
        &self,
        record: &Record,
        options: &ScoreOptions,
        default_reasons: u32,
    ) -> Result<(Lead, Option<Decision>)> {
        self.score_lead_with(record, options, default_reasons, None)
    }

    /// [`Model::score_lead`] with the trees' prepared form kept in `cache` between calls (see
    /// [`ExplainCache`]): a caller that scores lead after lead prepares the trees once. Same
    /// lead bit for bit as without a cache.
    ///
    /// # Errors
    /// As [`Model::score_lead`].
    pub fn score_lead_with(
        &self,
        record: &Record,
        options: &ScoreOptions,
        default_reasons: u32,
        cache: Option<&mut ExplainCache>,
    ) -> Result<(Lead, Option<Decision>)> {
        let n_reasons = options.reasons.unwrap_or(default_reasons) as usize;
        let decision = self.record_decision(options)?;
        let calibrator = self.scoring.clone().unwrap_or_default().calibrator;
        let (mut lead, row) = self.lead_of_record(record, options, decision.as_ref(), &calibrator);
        if n_reasons > 0 {
            let mut ex = self.explainer(cache)?;
            let output = lead.predicted_class.unwrap_or(0);
            lead.reasons = self.lead_reasons(&mut ex, &row, output, n_reasons);
        }
        Ok((lead, decision))
    }

    /// The explainer of this model's trees: prepared afresh, or from `cache` (filled for the next
    /// call when it holds other trees).
    fn explainer(&self, cache: Option<&mut ExplainCache>) -> Result<Explainer<'_>> {
        let nf = self.features.len();
        match cache {
            Some(cache) => Explainer::cached(&self.trees, &self.base_score, nf, cache),
            None => Explainer::new(&self.trees, &self.base_score, nf),
        }
    }

    /// Scores many records, each as [`Model::score_lead`] scores it (same probabilities, scores,
    /// tiers and reasons), but with the trees prepared for explaining once for all of them and
    /// the reasons computed a block of records at a time ([`Explainer::explain_rows`]).
    ///
    /// # Errors
    /// As [`Model::decision`].
    pub fn score_lead_records(
        &self,
        records: &[Record],
        options: &ScoreOptions,
        default_reasons: u32,
    ) -> Result<(Vec<Lead>, Option<Decision>)> {
        self.score_lead_records_with(records, options, default_reasons, None)
    }

    /// [`Model::score_lead_records`] with the trees' prepared form (and tables) kept in `cache`
    /// between calls, as [`Model::score_lead_with`].
    ///
    /// # Errors
    /// As [`Model::score_lead_records`].
    pub fn score_lead_records_with(
        &self,
        records: &[Record],
        options: &ScoreOptions,
        default_reasons: u32,
        cache: Option<&mut ExplainCache>,
    ) -> Result<(Vec<Lead>, Option<Decision>)> {
        let n_reasons = options.reasons.unwrap_or(default_reasons) as usize;
        let decision = self.record_decision(options)?;
        let calibrator = self.scoring.clone().unwrap_or_default().calibrator;
        let nf = self.features.len();
        let mut rows = Vec::with_capacity(records.len() * nf);
        let mut leads = Vec::with_capacity(records.len());
        for record in records {
            let (lead, row) = self.lead_of_record(record, options, decision.as_ref(), &calibrator);
            leads.push(lead);
            rows.extend_from_slice(&row);
        }
        self.add_reasons(&mut leads, n_reasons, cache, |r, out| {
            out.extend_from_slice(&rows[r * nf..(r + 1) * nf]);
        })?;
        Ok((leads, decision))
    }

    /// The decision `options` give when scoring records (binary models; `None` otherwise).
    fn record_decision(&self, options: &ScoreOptions) -> Result<Option<Decision>> {
        if self.n_outputs() == 1 {
            Ok(Some(self.decision(options, None)?))
        } else {
            Ok(None)
        }
    }

    /// One record's lead without reasons, and its encoded features (model order).
    fn lead_of_record(
        &self,
        record: &Record,
        options: &ScoreOptions,
        decision: Option<&Decision>,
        calibrator: &calibration::Calibrator,
    ) -> (Lead, Vec<f64>) {
        let get = |name: &str| record.get(name).cloned().flatten();
        let row = self.pipeline.encode_record(&get);
        let p = self.probabilities(&self.predict_row(&row));
        let calibrated = (self.n_outputs() == 1).then(|| calibrator.apply(p[0]));
        (self.compose(&p, calibrated, decision, options), row)
    }

    /// Sets each lead's reasons (`k` each way; none when `k` is 0), explaining the leads a block
    /// of [`EXPLAIN_CHUNK`] at a time: `row(i, out)` appends lead `i`'s encoded features to
    /// `out`. Multi-class leads are explained for their most likely class. `cache`: as
    /// [`Model::score_lead_with`].
    fn add_reasons(
        &self,
        leads: &mut [Lead],
        k: usize,
        cache: Option<&mut ExplainCache>,
        row: impl Fn(usize, &mut Vec<f64>),
    ) -> Result<()> {
        if k == 0 || leads.is_empty() {
            return Ok(());
        }
        let mut ex = self.explainer(cache)?;
        let (mut block, mut outputs, mut phi) = (Vec::new(), Vec::new(), Vec::new());
        for (b, chunk) in leads.chunks_mut(EXPLAIN_CHUNK).enumerate() {
            block.clear();
            outputs.clear();
            for (i, lead) in chunk.iter().enumerate() {
                row(b * EXPLAIN_CHUNK + i, &mut block);
                outputs.push(lead.predicted_class.unwrap_or(0));
            }
            ex.explain_rows(&block, &outputs, &mut phi);
            let reasons = self.block_reasons(&block, &phi, outputs.len(), k);
            for (lead, reasons) in chunk.iter_mut().zip(reasons) {
                lead.reasons = reasons;
            }
        }
        Ok(())
    }

    /// The reasons (`k` each way, the score's side first) of `n` rows given row-major with
    /// their contributions (`rows` and `phi`: features in model order).
    fn block_reasons(&self, rows: &[f64], phi: &[f64], n: usize, k: usize) -> Vec<Vec<LeadReason>> {
        let nf = self.features.len();
        (0..n)
            .map(|i| {
                let at = i * nf..(i + 1) * nf;
                let (row, phi) = (
                    rows.get(at.clone()).unwrap_or(&[]),
                    phi.get(at).unwrap_or(&[]),
                );
                order_reasons(crate::explain::reasons(phi, row, &self.pipeline, k))
            })
            .collect()
    }

    /// The reasons of one encoded row for `output`, `k` each way, the score's side first
    /// (see `order_reasons`).
    pub fn lead_reasons(
        &self,
        explainer: &mut Explainer,
        row: &[f64],
        output: usize,
        k: usize,
    ) -> Vec<LeadReason> {
        let c = explainer.explain(row, output);
        let r = crate::explain::reasons(&c.values, row, &self.pipeline, k);
        order_reasons(r)
    }

    /// A lead from its probabilities (`calibrated`: binary models' calibrated probability),
    /// without reasons (the callers add them: one row, or a block of rows).
    fn compose(
        &self,
        p: &[f64],
        calibrated: Option<f64>,
        decision: Option<&Decision>,
        options: &ScoreOptions,
    ) -> Lead {
        let binary = p.len() == 1;
        let (probability, predicted) = if binary {
            (calibrated.unwrap_or(p[0]), None)
        } else {
            let c = argmax(p);
            (p[c], Some(c))
        };
        let tier = decision.map(|d| d.tiers.index_of(probability));
        let called = decision.map(|d| probability >= d.threshold);
        let percentile = if options.percentile && binary {
            self.evaluation
                .as_ref()
                .and_then(|e| e.percentile_of(probability))
        } else {
            None
        };
        Lead {
            probability,
            score: calibration::score(probability),
            tier,
            decision: called,
            percentile,
            predicted_class: predicted,
            class_probabilities: (!binary).then(|| p.to_vec()),
            reasons: Vec::new(),
        }
    }
}

/// Options of [`Model::explain_table`] (camelCase; unknown fields refused).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ExplainOptions {
    /// Only these data rows (0-based, in this order); `None` = every row.
    pub rows: Option<Vec<u64>>,
    /// Reasons per row each way (0 = none).
    pub reasons: u32,
}

/// Contributions of some rows of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedRows {
    /// The data row of each explained row.
    pub row_indices: Vec<u64>,
    /// Model features, in order.
    pub features: Vec<String>,
    /// The expected raw score (of the explained output; multi-class: of the first row's class).
    pub bias: f64,
    /// Row-major contributions, `row_indices.len() × features.len()`.
    pub contributions: Vec<f64>,
    /// Reasons per explained row, when asked.
    pub reasons: Option<Vec<Vec<LeadReason>>>,
}

/// One feature's contribution to a lead's raw score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureContribution {
    /// Model feature.
    pub feature: String,
    /// Its CSV column.
    pub source: String,
    /// The lead's value in words.
    pub value: String,
    /// Contribution in raw-margin units.
    pub contribution: f64,
}

/// Why one lead got its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadExplanation {
    /// The expected raw score.
    pub bias: f64,
    /// This lead's raw score: bias + Σ contributions.
    pub raw: f64,
    /// One per model feature (exact TreeSHAP).
    pub contributions: Vec<FeatureContribution>,
    /// Reasons each way (towards the lead's side of the threshold first).
    pub reasons: Vec<LeadReason>,
}

/// A capacity or a threshold turned into a decision, with its figures on the evaluation rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The threshold, its rule, words and figures (from the stored threshold table: the row at
    /// or just below the threshold).
    #[serde(flatten)]
    pub choice: super::evaluation::ThresholdInfo,
    /// Tiers that follow the threshold, with counts from the stored threshold table.
    pub tiers: Vec<super::evaluation::TierRow>,
}

/// Rows read into one matrix for [`Explainer::explain_rows`] by [`Model::explain_encoded`].
const EXPLAIN_CHUNK: usize = 4096;

impl Model {
    /// Explains rows of `table` (all, or `options.rows`): exact TreeSHAP of the positive output
    /// (multi-class: of each row's most likely class).
    ///
    /// # Errors
    /// `Error::Data` for a row index past the table's end, as [`Model::score_table`] otherwise.
    pub fn explain_table(&self, table: &Table, options: &ExplainOptions) -> Result<ExplainedRows> {
        self.explain_encoded(&self.pipeline.encode_table(table)?, options)
    }

    /// [`Model::explain_table`] for rows already read through the pipeline (e.g. streamed from
    /// CSV bytes by [`Model::read_csv`]).
    ///
    /// # Errors
    /// `Error::Data` for a row index past the data's end.
    pub fn explain_encoded(
        &self,
        input: &EncodedTable,
        options: &ExplainOptions,
    ) -> Result<ExplainedRows> {
        self.explain_encoded_with(input, options, None)
    }

    /// [`Model::explain_encoded`] with the trees' prepared form and tables kept in `cache`
    /// between calls (reused only while the model's trees, base score and features are the
    /// same, see [`ExplainCache`]; `None`: prepared for this call only): a caller that explains
    /// page after page builds them once.
    ///
    /// # Errors
    /// As [`Model::explain_encoded`].
    pub fn explain_encoded_with(
        &self,
        input: &EncodedTable,
        options: &ExplainOptions,
        cache: Option<&mut ExplainCache>,
    ) -> Result<ExplainedRows> {
        let n = input.n_rows as u64;
        let rows: Vec<u64> = match &options.rows {
            Some(r) => {
                if let Some(bad) = r.iter().find(|&&i| i >= n) {
                    return Err(Error::Data(format!(
                        "row {bad} does not exist: the file has {} data rows (0 to {})",
                        thousands(n),
                        n.saturating_sub(1)
                    )));
                }
                r.clone()
            }
            None => (0..n).collect(),
        };
        let columns = &input.columns;
        let nf = self.features.len();
        let mut ex = self.explainer(cache)?;
        let k = self.n_outputs();
        let mut contributions = Vec::with_capacity(rows.len() * nf);
        let mut reasons = (options.reasons > 0).then(Vec::new);
        let mut bias = ex.bias(0);
        // Many rows at a time (`explain_rows`: tables for small trees, tree by tree per block).
        let (mut block, mut outputs, mut phi) = (Vec::new(), Vec::new(), Vec::new());
        for (b, chunk) in rows.chunks(EXPLAIN_CHUNK).enumerate() {
            block.clear();
            outputs.clear();
            for &r in chunk {
                let at = block.len();
                block.extend(columns.iter().map(|c| c[r as usize]));
                outputs.push(if k == 1 {
                    0
                } else {
                    argmax(&self.probabilities(&self.predict_row(&block[at..])))
                });
            }
            if b == 0 {
                bias = ex.bias(outputs[0]);
            }
            ex.explain_rows(&block, &outputs, &mut phi);
            contributions.extend_from_slice(&phi);
            if let Some(out) = reasons.as_mut() {
                out.extend(self.block_reasons(&block, &phi, chunk.len(), options.reasons as usize));
            }
        }
        Ok(ExplainedRows {
            row_indices: rows,
            features: self.features.iter().map(|f| f.name.clone()).collect(),
            bias,
            contributions,
            reasons,
        })
    }

    /// Explains one record (multi-class: its most likely class), `k` reasons each way.
    ///
    /// # Errors
    /// Only if the model's trees cannot be explained (a corrupt model).
    pub fn explain_record(&self, record: &Record, k: u32) -> Result<LeadExplanation> {
        let get = |name: &str| record.get(name).cloned().flatten();
        let row = self.pipeline.encode_record(&get);
        let probs = self.probabilities(&self.predict_row(&row));
        let output = if self.n_outputs() == 1 {
            0
        } else {
            argmax(&probs)
        };
        let mut ex = Explainer::new(&self.trees, &self.base_score, self.features.len())?;
        let c = ex.explain(&row, output);
        let contributions = self
            .features
            .iter()
            .enumerate()
            .map(|(f, info)| FeatureContribution {
                feature: info.name.clone(),
                source: info.source.clone(),
                value: self
                    .pipeline
                    .describe_value(f, row.get(f).copied().unwrap_or(f64::NAN)),
                contribution: c.values.get(f).copied().unwrap_or(0.0),
            })
            .collect();
        let r = crate::explain::reasons(&c.values, &row, &self.pipeline, k as usize);
        Ok(LeadExplanation {
            bias: c.bias,
            raw: c.total(),
            contributions,
            reasons: order_reasons(r),
        })
    }

    /// A capacity or threshold (`options.capacity` / `options.threshold`; neither = the model's)
    /// → the threshold, its figures and tiers on the evaluation rows.
    ///
    /// # Errors
    /// `Error::Data` for models without an evaluation report or multi-class models; as
    /// [`Model::decision`] otherwise.
    pub fn plan(&self, options: &ScoreOptions) -> Result<Plan> {
        let Some(e) = &self.evaluation else {
            return Err(Error::Data(
                "this model has no evaluation report (trained before it existed or without \
                 held-out rows): train it again to plan by capacity"
                    .into(),
            ));
        };
        let d = self.decision(options, None)?;
        let empty = super::evaluation::ThresholdRow {
            threshold: 1.0,
            leads: 0,
            share: 0.0,
            true_positives: 0,
            precision: 0.0,
            recall: 0.0,
            f1: 0.0,
            lift: 0.0,
        };
        let at = |t: f64| e.row_at(t).cloned().unwrap_or_else(|| empty.clone());
        let mut above = empty.clone();
        let tiers = d
            .tiers
            .tiers
            .iter()
            .map(|t| {
                let here = at(t.min_probability);
                let leads = here.leads.saturating_sub(above.leads);
                let positives = here.true_positives.saturating_sub(above.true_positives);
                above = here;
                super::evaluation::TierRow {
                    name: t.name.clone(),
                    action: t.action.clone(),
                    min_probability: t.min_probability,
                    leads,
                    positives,
                    conversion: if leads == 0 {
                        0.0
                    } else {
                        positives as f64 / leads as f64
                    },
                }
            })
            .collect();
        Ok(Plan {
            choice: super::evaluation::ThresholdInfo {
                threshold: d.threshold,
                rule: d.rule,
                words: d.words,
                at: at(d.threshold),
            },
            tiers,
        })
    }
}

/// Both sides of a lead's reasons, the side the score is on first (the sign of the sum of all
/// contributions: above or below the average lead), each side strongest first. The first `k`
/// are exactly the CLI's `reason_1..k` ([`crate::explain::top_reasons`]), so the card, the JS
/// API and the scored CSV agree, and moving the threshold never reorders a lead's reasons.
fn order_reasons(r: crate::explain::Reasons) -> Vec<LeadReason> {
    let up_first = r.score_is_up();
    let tag = |x: Reason, direction| LeadReason {
        text: x.text,
        column: x.column,
        value: x.value,
        direction,
        contribution: x.contribution,
    };
    let up = r.positive.into_iter().map(|x| tag(x, Direction::Up));
    let down = r.negative.into_iter().map(|x| tag(x, Direction::Down));
    if up_first {
        up.chain(down).collect()
    } else {
        down.chain(up).collect()
    }
}

/// The calibrated probability above which the top `share` of `reference` lies (ties stay
/// together, below); 0 calls every lead, an empty reference calls none but the certain ones.
fn top_share_threshold(reference: &[f64], share: f64) -> f64 {
    let mut s: Vec<f64> = reference.iter().copied().filter(|p| !p.is_nan()).collect();
    if s.is_empty() {
        return 1.0;
    }
    s.sort_by(|a, b| b.total_cmp(a));
    let k = ((share * s.len() as f64) + 1e-9).floor() as usize;
    if k == 0 {
        return s[0];
    }
    if k >= s.len() {
        return 0.0;
    }
    s[k - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_shares_pick_the_top_leads() {
        let r: Vec<f64> = (0..100).map(|i| i as f64 / 100.0).collect();
        assert_eq!(top_share_threshold(&r, 0.1), 0.9);
        assert_eq!(top_share_threshold(&r, 1.0), 0.0);
        assert_eq!(top_share_threshold(&r, 0.001), 0.99);
        let called = r
            .iter()
            .filter(|&&p| p >= top_share_threshold(&r, 0.25))
            .count();
        assert_eq!(called, 25);
    }

    #[test]
    fn options_are_strict_and_capacities_parse() {
        let o: ScoreOptions =
            serde_json::from_str(r#"{"reasons":2,"capacity":{"top":50},"percentile":true}"#)
                .unwrap();
        assert_eq!(o.capacity, Some(Capacity::Top(TopLeads { top: 50 })));
        let o: ScoreOptions =
            serde_json::from_str(r#"{"capacity":{"reps":3,"leadsPerRep":20}}"#).unwrap();
        assert!(matches!(o.capacity, Some(Capacity::Team(t)) if t.reps == 3.0));
        assert!(serde_json::from_str::<ScoreOptions>(r#"{"treshold":0.3}"#).is_err());
        assert!(serde_json::from_str::<ScoreOptions>(r#"{"capacity":{"tops":3}}"#).is_err());
    }
}
