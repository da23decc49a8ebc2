//! The evaluation report: metrics, thresholds, tiers, calibration, baselines, importance and a
//! segment table computed from scored, labelled rows, rendered as one self-contained offline HTML
//! page (inline CSS and SVG; no scripts, no external assets, a Content-Security-Policy that
//! forbids any request). Every string that came from the data is HTML-escaped.

use crate::baseline::{self, BaselineRow};
use crate::metrics::{self, BinaryReport, ReliabilityBin};
use crate::model::calibration::CalibrationReport;
use crate::model::evaluation::tier_lines;
pub use crate::model::evaluation::TierRow;
use crate::model::threshold::{self, ThresholdChoice, ThresholdRule};
use crate::model::tiers::Tiers;
use crate::Result;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Precision target of the report's "precision-first" line.
pub const PRECISION_TARGET: f64 = 0.75;
/// Segments shown before the rest are pooled into "(other values)".
pub const MAX_SEGMENTS: usize = 20;

/// What the report is computed from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// Page title (e.g. the data file's name).
    pub title: &'a str,
    /// Lines describing the model (label, value), shown as given.
    pub summary: Vec<(String, String)>,
    /// The model's (calibrated) probability per row, in [0, 1].
    pub probabilities: &'a [f64],
    /// Outcome per row.
    pub labels: &'a [bool],
    /// The threshold the model uses.
    pub threshold: ThresholdRule,
    /// The model's tiers.
    pub tiers: &'a Tiers,
    /// Before/after calibration on held-out rows, when the model is calibrated.
    pub calibration: Option<CalibrationReport>,
    /// Uncalibrated probabilities for the before/after reliability chart, if any.
    pub uncalibrated: Option<&'a [f64]>,
    /// Global importance per column (mean |SHAP|), largest first.
    pub importance: Vec<(String, f64)>,
    /// The rule-based points score per row (the baseline), if available.
    pub points: Option<&'a [f64]>,
    /// A column to break the results down by: its name and each row's value (`None` = missing).
    pub segments: Option<(&'a str, Vec<Option<String>>)>,
    /// How training validated the model, one line (e.g. a `ValidationReport` summary; it may
    /// name a data column, so it is escaped like the rest).
    pub validation: Option<String>,
}

/// One segment's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    /// The column's value (`(missing)`, `(other values)` for pooled small segments).
    pub value: String,
    /// Rows.
    pub rows: u64,
    /// Converted rows.
    pub positives: u64,
    /// Mean predicted probability, in [0, 1].
    pub mean_probability: f64,
    /// AUC within the segment (`None` when it holds one class).
    pub auc: Option<f64>,
    /// Expected calibration error within the segment, in [0, 1].
    pub ece: f64,
    /// Leads per tier, best first.
    pub tier_counts: Vec<u64>,
}

/// The report's numbers (serializable for the app; [`Report::to_html`] renders them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Page title.
    pub title: String,
    /// Model description lines.
    pub summary: Vec<(String, String)>,
    /// Metrics at the model's threshold.
    pub metrics: BinaryReport,
    /// ROC curve points (false-positive rate, true-positive rate), at most ~200.
    pub roc: Vec<(f64, f64)>,
    /// The model's threshold, precision-first at [`PRECISION_TARGET`], and max-F1.
    pub thresholds: Vec<ThresholdChoice>,
    /// Tier lines, best first.
    pub tiers: Vec<TierRow>,
    /// Calibration before/after on held-out rows.
    pub calibration: Option<CalibrationReport>,
    /// Reliability bins of the uncalibrated probabilities (for the chart).
    pub reliability_before: Option<Vec<ReliabilityBin>>,
    /// Model vs points score vs random.
    pub baselines: Vec<BaselineRow>,
    /// Importance per column, largest first.
    pub importance: Vec<(String, f64)>,
    /// Segment column name and lines.
    pub segments: Option<(String, Vec<SegmentRow>)>,
    /// How training validated the model, one line.
    #[serde(default)]
    pub validation: Option<String>,
    /// Revenue captured by the top leads (`report --value COLUMN`; set after [`Report::build`]).
    #[serde(default)]
    pub value: Option<crate::value::ValueGains>,
}

fn roc_points(probs: &[f64], labels: &[bool]) -> Vec<(f64, f64)> {
    let mut order: Vec<usize> = (0..probs.len()).collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]));
    let pos = labels.iter().filter(|&&y| y).count().max(1) as f64;
    let neg = (labels.len() as f64 - labels.iter().filter(|&&y| y).count() as f64).max(1.0);
    let step = (order.len() / 200).max(1);
    let mut out = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0.0, 0.0);
    for (k, &i) in order.iter().enumerate() {
        if labels[i] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let tie_ends = order.get(k + 1).is_none_or(|&j| probs[j] != probs[i]);
        if tie_ends && (k % step == 0 || k + 1 == order.len()) {
            out.push((fp / neg, tp / pos));
        }
    }
    out
}

impl Report {
    /// Computes the report.
    ///
    /// # Errors
    /// `Error::Data` when lengths differ or the outcomes hold a single class.
    pub fn build(input: &ReportInput) -> Result<Report> {
        let p = input.probabilities;
        let y = input.labels;
        let chosen = threshold::choose(p, y, input.threshold)?;
        let metrics = metrics::binary_report(p, y, chosen.threshold)?;
        let thresholds = vec![
            chosen,
            threshold::choose(p, y, ThresholdRule::PrecisionFirst(PRECISION_TARGET))?,
            threshold::choose(p, y, ThresholdRule::MaxF1)?,
        ];
        let tiers = tier_lines(input.tiers, p, y);
        let baselines = match input.points {
            Some(points) => baseline::compare(p, points, y)?,
            None => {
                let mut rows = baseline::compare(p, p, y)?;
                rows.retain(|r| r.name != "points");
                rows
            }
        };
        let segments = input
            .segments
            .as_ref()
            .map(|(name, values)| (name.to_string(), segment_rows(values, p, y, input.tiers)));
        Ok(Report {
            title: input.title.to_string(),
            summary: input.summary.clone(),
            roc: roc_points(p, y),
            metrics,
            thresholds,
            tiers,
            calibration: input.calibration.clone(),
            reliability_before: input
                .uncalibrated
                .map(|u| metrics::reliability(u, y, 10).bins),
            baselines,
            importance: input.importance.clone(),
            segments,
            validation: input.validation.clone(),
            value: None,
        })
    }
}

/// The segment table's lines (also used by the evaluation report).
pub(crate) fn segment_rows(
    values: &[Option<String>],
    p: &[f64],
    y: &[bool],
    tiers: &Tiers,
) -> Vec<SegmentRow> {
    // Group row indices by value (first-appearance order), then keep the largest groups.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: std::collections::BTreeMap<String, usize> = Default::default();
    for (i, v) in values.iter().enumerate().take(p.len()) {
        let key = v.clone().unwrap_or_else(|| "(missing)".into());
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    if groups.len() > MAX_SEGMENTS {
        let rest: Vec<usize> = groups
            .drain(MAX_SEGMENTS - 1..)
            .flat_map(|(_, rows)| rows)
            .collect();
        groups.push(("(other values)".into(), rest));
    }
    groups
        .into_iter()
        .map(|(value, rows)| {
            let gp: Vec<f64> = rows.iter().map(|&i| p[i]).collect();
            let gy: Vec<bool> = rows.iter().map(|&i| y[i]).collect();
            SegmentRow {
                value,
                rows: rows.len() as u64,
                positives: gy.iter().filter(|&&v| v).count() as u64,
                mean_probability: gp.iter().sum::<f64>() / gp.len().max(1) as f64,
                auc: metrics::roc_auc(&gp, &gy, None).ok(),
                ece: metrics::ece(&gp, &gy),
                tier_counts: tiers.counts(&gp),
            }
        })
        .collect()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn num(x: f64) -> String {
    format!("{x:.3}")
}

const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;\
color:#1d2433;background:#f6f7f9}main{max-width:1100px;margin:0 auto;padding:24px}\
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:0 0 10px}\
section{background:#fff;border:1px solid #e2e5ea;border-radius:8px;padding:16px 18px;margin:14px 0}\
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:14px}\
.grid section{margin:0}table{border-collapse:collapse;width:100%}\
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}\
th{font-weight:600;color:#4a5468}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\
.kpis{display:flex;flex-wrap:wrap;gap:10px}.kpi{flex:1 1 120px;background:#f2f5fb;border-radius:6px;\
padding:8px 10px}.kpi b{display:block;font-size:20px}.muted{color:#667085}\
svg{width:100%;height:auto;display:block}svg text{font:11px system-ui,sans-serif;fill:#4a5468}\
.note{font-size:12px;color:#667085;margin-top:6px}";

/// A square chart over [0, 1] × [0, 1] with axes, grid and the caller's marks.
fn chart(label: &str, x_name: &str, y_name: &str, marks: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 320 300\" role=\"img\" aria-label=\"{}\">",
        escape(label)
    );
    // Plot area: x 40..300, y 20..260.
    for i in 0..=4 {
        let t = i as f64 / 4.0;
        let x = 40.0 + 260.0 * t;
        let y = 260.0 - 240.0 * t;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"20\" x2=\"{x}\" y2=\"260\" stroke=\"#eef0f3\"/>\
             <line x1=\"40\" y1=\"{y}\" x2=\"300\" y2=\"{y}\" stroke=\"#eef0f3\"/>\
             <text x=\"{x}\" y=\"275\" text-anchor=\"middle\">{t}</text>\
             <text x=\"34\" y=\"{}\" text-anchor=\"end\">{t}</text>",
            y + 4.0
        );
    }
    let _ = write!(
        s,
        "<rect x=\"40\" y=\"20\" width=\"260\" height=\"240\" fill=\"none\" stroke=\"#c5cbd5\"/>\
         <text x=\"170\" y=\"294\" text-anchor=\"middle\">{}</text>\
         <text x=\"12\" y=\"140\" text-anchor=\"middle\" transform=\"rotate(-90 12 140)\">{}</text>{marks}</svg>",
        escape(x_name),
        escape(y_name)
    );
    s
}

fn xy(x: f64, y: f64) -> (f64, f64) {
    (
        40.0 + 260.0 * x.clamp(0.0, 1.0),
        260.0 - 240.0 * y.clamp(0.0, 1.0),
    )
}

fn polyline(points: &[(f64, f64)], color: &str, dash: bool) -> String {
    let pts: Vec<String> = points
        .iter()
        .map(|&(x, y)| {
            let (a, b) = xy(x, y);
            format!("{a:.1},{b:.1}")
        })
        .collect();
    format!(
        "<polyline class=\"series\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{} points=\"{}\"/>",
        if dash { " stroke-dasharray=\"4 4\"" } else { "" },
        pts.join(" ")
    )
}

fn dots(points: &[(f64, f64)], color: &str) -> String {
    points
        .iter()
        .map(|&(x, y)| {
            let (a, b) = xy(x, y);
            format!("<circle cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"3.5\" fill=\"{color}\"/>")
        })
        .collect()
}

fn table(head: &[&str], rows: &[Vec<String>], numeric_from: usize) -> String {
    let mut s = String::from("<table><thead><tr>");
    for (i, h) in head.iter().enumerate() {
        let _ = write!(
            s,
            "<th{}>{}</th>",
            if i >= numeric_from {
                " class=\"n\""
            } else {
                ""
            },
            escape(h)
        );
    }
    s.push_str("</tr></thead><tbody>");
    for row in rows {
        s.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(
                s,
                "<td{}>{}</td>",
                if i >= numeric_from {
                    " class=\"n\""
                } else {
                    ""
                },
                escape(cell)
            );
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

impl Report {
    /// The report as one self-contained HTML page.
    pub fn to_html(&self) -> String {
        let m = &self.metrics;
        let mut h = String::new();
        let _ = write!(
            h,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
             <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
             <title>leadforest report: {t}</title><style>{CSS}</style></head><body><main>\
             <h1>Lead scoring report</h1><p class=\"muted\">{t}</p>",
            t = escape(&self.title)
        );
        // Headline numbers.
        let at = &m.at_threshold;
        let kpis = [
            ("Leads", m.rows.to_string()),
            (
                "Converted",
                format!(
                    "{} ({})",
                    m.positives,
                    pct(m.positives as f64 / m.rows.max(1) as f64)
                ),
            ),
            ("ROC AUC", num(m.auc)),
            ("PR AUC", num(m.pr_auc)),
            (
                "Top-10% lift",
                format!("{:.2}×", m.gains.first().map_or(0.0, |g| g.lift)),
            ),
            ("ECE", num(m.ece)),
        ];
        h.push_str("<section><h2>Summary</h2><div class=\"kpis\">");
        for (k, v) in kpis {
            let _ = write!(
                h,
                "<div class=\"kpi\"><span class=\"muted\">{}</span><b>{}</b></div>",
                escape(k),
                escape(&v)
            );
        }
        h.push_str("</div>");
        if !self.summary.is_empty() {
            let rows: Vec<Vec<String>> = self
                .summary
                .iter()
                .map(|(k, v)| vec![k.clone(), v.clone()])
                .collect();
            h.push_str(&table(&["Model", ""], &rows, 9));
        }
        let _ = write!(
            h,
            "<p class=\"note\">Log loss {} · Brier {} · at threshold {}: precision {}, recall {}, F1 {}, lift {:.2}×.</p></section>",
            num(m.log_loss),
            num(m.brier),
            num(at.threshold),
            pct(at.precision),
            pct(at.recall),
            num(at.f1),
            at.lift
        );
        if let Some(v) = &self.validation {
            let _ = write!(
                h,
                "<section id=\"validation\"><h2>How the model was validated</h2><p>{}.</p>\
                 <p class=\"note\">Measured when the model was trained, on rows it did not learn from; the figures above are on this file.</p></section>",
                escape(v)
            );
        }
        // Thresholds.
        let rows: Vec<Vec<String>> = self
            .thresholds
            .iter()
            .map(|c| {
                let rule = match c.rule {
                    ThresholdRule::Fixed(_) => "model's threshold".to_string(),
                    ThresholdRule::PrecisionFirst(t) => format!(
                        "precision-first (≥ {}){}",
                        pct(t),
                        if c.reached { "" } else { " — not reached" }
                    ),
                    ThresholdRule::MaxF1 => "max F1".to_string(),
                };
                vec![
                    rule,
                    num(c.threshold),
                    pct(c.metrics.called),
                    pct(c.metrics.precision),
                    pct(c.metrics.recall),
                    num(c.metrics.f1),
                    format!("{:.2}×", c.metrics.lift),
                ]
            })
            .collect();
        h.push_str("<section><h2>Thresholds</h2>");
        h.push_str(&table(
            &[
                "Rule",
                "Threshold",
                "Leads called",
                "Precision",
                "Recall",
                "F1",
                "Lift",
            ],
            &rows,
            1,
        ));
        h.push_str("</section><div class=\"grid\">");
        // ROC.
        let roc = format!(
            "{}{}",
            polyline(&[(0.0, 0.0), (1.0, 1.0)], "#98a2b3", true),
            polyline(&self.roc, "#2f6fde", false)
        );
        let _ = write!(
            h,
            "<section id=\"roc\"><h2>ROC curve</h2>{}<p class=\"note\">AUC {}; dashed: random.</p></section>",
            chart("ROC curve", "false-positive rate", "true-positive rate", &roc),
            num(m.auc)
        );
        // Gains.
        let mut gains = vec![(0.0, 0.0)];
        gains.extend(
            m.gains
                .iter()
                .map(|g| (g.cumulative_rows, g.cumulative_gain)),
        );
        let gain_marks = format!(
            "{}{}{}",
            polyline(&[(0.0, 0.0), (1.0, 1.0)], "#98a2b3", true),
            polyline(&gains, "#12a150", false),
            dots(&gains[1..], "#12a150")
        );
        let lift_rows: Vec<String> = m
            .gains
            .iter()
            .map(|g| format!("{}: {:.2}×", g.bucket, g.lift))
            .collect();
        let _ = write!(
            h,
            "<section id=\"gains\"><h2>Cumulative gains</h2>{}<p class=\"note\">Share of conversions found when working the top leads first. Lift by decile: {}.</p></section>",
            chart("Cumulative gains", "share of leads (by score)", "share of conversions", &gain_marks),
            escape(&lift_rows.join(", "))
        );
        // Calibration.
        let after: Vec<(f64, f64)> = m
            .reliability
            .bins
            .iter()
            .filter(|b| b.rows > 0)
            .map(|b| (b.mean_predicted, b.observed_rate))
            .collect();
        let mut cal = polyline(&[(0.0, 0.0), (1.0, 1.0)], "#98a2b3", true);
        if let Some(before) = &self.reliability_before {
            let pts: Vec<(f64, f64)> = before
                .iter()
                .filter(|b| b.rows > 0)
                .map(|b| (b.mean_predicted, b.observed_rate))
                .collect();
            cal.push_str(&polyline(&pts, "#e8833a", false));
            cal.push_str(&dots(&pts, "#e8833a"));
        }
        cal.push_str(&polyline(&after, "#2f6fde", false));
        cal.push_str(&dots(&after, "#2f6fde"));
        let cal_note = match &self.calibration {
            Some(c) => format!(
                "Calibration ({}) on {} held-out rows: ECE {} → {}, Brier {} → {}. Orange: before; blue: after.",
                c.method,
                c.rows,
                num(c.before.ece),
                num(c.after.ece),
                num(c.before.brier),
                num(c.after.brier)
            ),
            None => format!("ECE {} on these rows; the model is not calibrated.", num(m.ece)),
        };
        let _ =
            write!(
            h,
            "<section id=\"calibration\"><h2>Calibration</h2>{}<p class=\"note\">{}</p></section>",
            chart("Calibration", "predicted probability", "observed conversion rate", &cal),
            escape(&cal_note)
        );
        // Importance.
        let top: Vec<&(String, f64)> = self.importance.iter().take(15).collect();
        let max = top.iter().map(|t| t.1).fold(0.0, f64::max).max(1e-12);
        let bar_h = 18.0;
        let height = 20.0 + bar_h * top.len() as f64;
        let _ = write!(
            h,
            "<section id=\"importance\"><h2>What drives the score</h2><svg class=\"chart\" viewBox=\"0 0 320 {height}\" role=\"img\" aria-label=\"Importance\">"
        );
        for (i, (name, v)) in top.iter().enumerate() {
            let y = 10.0 + bar_h * i as f64;
            let w = 150.0 * v / max;
            let short: String = name.chars().take(24).collect();
            let _ = write!(
                h,
                "<text x=\"118\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"122\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#2f6fde\"><title>{}</title></rect><text x=\"{:.1}\" y=\"{:.1}\">{:.3}</text>",
                y + 12.0,
                escape(&short),
                bar_h - 5.0,
                escape(name),
                126.0 + w,
                y + 12.0,
                v
            );
        }
        h.push_str("</svg><p class=\"note\">Mean |SHAP contribution| per column (raw-margin units).</p></section></div>");
        // Baselines.
        let rows: Vec<Vec<String>> = self
            .baselines
            .iter()
            .map(|b| {
                let name = match b.name.as_str() {
                    "model" => "this model",
                    "points" => "points score (manual-style rules)",
                    "random" => "random order",
                    other => other,
                };
                vec![
                    name.to_string(),
                    num(b.auc),
                    num(b.pr_auc),
                    format!("{:.2}×", b.top_decile_lift),
                ]
            })
            .collect();
        h.push_str("<section id=\"baselines\"><h2>Compared with what you have today</h2>");
        h.push_str(&table(
            &["Scoring", "ROC AUC", "PR AUC", "Top-10% lift"],
            &rows,
            1,
        ));
        h.push_str("</section>");
        // Tiers.
        let rows: Vec<Vec<String>> = self
            .tiers
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    t.action.clone(),
                    num(t.min_probability),
                    t.leads.to_string(),
                    pct(t.positives as f64 / t.leads.max(1) as f64),
                ]
            })
            .collect();
        h.push_str("<section id=\"tiers\"><h2>Tiers</h2>");
        h.push_str(&table(
            &["Tier", "Action", "From probability", "Leads", "Converted"],
            &rows,
            2,
        ));
        h.push_str("</section>");
        if let Some(v) = &self.value {
            h.push_str(&v.html_section());
        }
        // Segments.
        if let Some((column, segs)) = &self.segments {
            let _ = write!(h, "<section id=\"segments\"><h2>By {}</h2>", escape(column));
            let mut head: Vec<String> = [
                "Value",
                "Leads",
                "Converted",
                "Mean probability",
                "AUC",
                "ECE",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            head.extend(self.tiers.iter().map(|t| format!("Tier {}", t.name)));
            let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
            let rows: Vec<Vec<String>> = segs
                .iter()
                .map(|s| {
                    let mut r = vec![
                        s.value.clone(),
                        s.rows.to_string(),
                        pct(s.positives as f64 / s.rows.max(1) as f64),
                        pct(s.mean_probability),
                        s.auc.map_or("—".into(), num),
                        num(s.ece),
                    ];
                    r.extend(s.tier_counts.iter().map(|c| c.to_string()));
                    r
                })
                .collect();
            h.push_str(&table(&head_refs, &rows, 1));
            h.push_str("<p class=\"note\">A segment whose AUC or calibration is much worse than the rest deserves a look before routing by score.</p></section>");
        }
        h.push_str("<p class=\"note\">Made by leadforest, offline: this file loads nothing from the network.</p></main></body></html>\n");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tiers::Tiers;

    fn input<'a>(p: &'a [f64], y: &'a [bool], tiers: &'a Tiers) -> ReportInput<'a> {
        ReportInput {
            title: "leads <2024>.csv",
            summary: vec![("Trees".into(), "100".into())],
            probabilities: p,
            labels: y,
            threshold: ThresholdRule::default(),
            tiers,
            calibration: None,
            uncalibrated: Some(p),
            importance: vec![
                ("<script>alert(1)</script>".into(), 0.5),
                ("Lead Source".into(), 0.2),
            ],
            points: None,
            segments: Some((
                "Country & Region",
                (0..p.len())
                    .map(|i| {
                        if i % 3 == 0 {
                            None
                        } else {
                            Some(format!("c\"{}", i % 2))
                        }
                    })
                    .collect(),
            )),
            validation: Some("time-ordered split on `Created <Date>`: trained on 80 rows".into()),
        }
    }

    #[test]
    fn html_is_self_contained_and_escapes_data() {
        let p: Vec<f64> = (0..100).map(|i| i as f64 / 100.0).collect();
        let y: Vec<bool> = (0..100).map(|i| (i * 7) % 10 < i / 10).collect();
        let tiers = Tiers::default();
        let r = Report::build(&input(&p, &y, &tiers)).unwrap();
        let html = r.to_html();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script"));
        assert!(html.contains("leads &lt;2024&gt;.csv"));
        assert!(html.contains("By Country &amp; Region"));
        assert!(html.contains("c&quot;1"));
        assert!(html.contains("(missing)"));
        assert!(html.contains(
            "How the model was validated</h2><p>time-ordered split on `Created &lt;Date&gt;`: trained on 80 rows.</p>"
        ));
        // No external references of any kind.
        for bad in ["http://", "https://", "src=", "href=", "@import", "url("] {
            assert!(!html.contains(bad), "found {bad}");
        }
        for id in [
            "roc",
            "gains",
            "calibration",
            "importance",
            "tiers",
            "segments",
            "baselines",
            "validation",
        ] {
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "missing section {id}"
            );
        }
        // Tier counts add up; segment rows add up.
        assert_eq!(r.tiers.iter().map(|t| t.leads).sum::<u64>(), 100);
        let segs = &r.segments.as_ref().unwrap().1;
        assert_eq!(segs.iter().map(|s| s.rows).sum::<u64>(), 100);
        assert_eq!(segs.len(), 3);
        assert_eq!(r.thresholds.len(), 3);
        assert_eq!(r.roc.first(), Some(&(0.0, 0.0)));
        assert_eq!(r.roc.last(), Some(&(1.0, 1.0)));
    }

    #[test]
    fn many_segments_are_pooled() {
        let p: Vec<f64> = (0..300).map(|i| (i % 97) as f64 / 97.0).collect();
        let y: Vec<bool> = (0..300).map(|i| i % 5 == 0).collect();
        let tiers = Tiers::default();
        let mut inp = input(&p, &y, &tiers);
        inp.segments = Some((
            "id",
            (0..300).map(|i| Some(format!("v{}", i % 50))).collect(),
        ));
        inp.validation = None;
        let r = Report::build(&inp).unwrap();
        assert!(!r.to_html().contains("id=\"validation\""));
        let segs = &r.segments.unwrap().1;
        assert_eq!(segs.len(), MAX_SEGMENTS);
        assert_eq!(segs.last().unwrap().value, "(other values)");
        assert_eq!(segs.iter().map(|s| s.rows).sum::<u64>(), 300);
    }
}
