//! Readable reasons: SHAP contributions grouped back to the CSV column they came from, with the
//! lead's value and an arrow ("Lead Source = Referral ↑", "Time on Site (s) = 1,532 ↑").

use serde::{Deserialize, Serialize};

/// What reasons need to know about the model's features.
pub trait FeatureText {
    /// Number of features.
    fn n_features(&self) -> usize;
    /// The CSV column feature `feature` was derived from (its own name for plain columns).
    fn source(&self, feature: usize) -> &str;
    /// The feature's value in words (category label, formatted number, `missing`…).
    fn describe(&self, feature: usize, value: f64) -> String;
}

impl FeatureText for crate::data::Pipeline {
    fn n_features(&self) -> usize {
        self.features.len()
    }
    fn source(&self, feature: usize) -> &str {
        self.features
            .get(feature)
            .map_or("?", |f| f.source.as_str())
    }
    fn describe(&self, feature: usize, value: f64) -> String {
        self.describe_value(feature, value)
    }
}

/// Features described by their source names only; numbers are formatted with thousands
/// separators, NaN is `missing`. For tests and for models without a data pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainFeatures {
    /// Source column per feature.
    pub sources: Vec<String>,
}

impl FeatureText for PlainFeatures {
    fn n_features(&self) -> usize {
        self.sources.len()
    }
    fn source(&self, feature: usize) -> &str {
        self.sources.get(feature).map_or("?", String::as_str)
    }
    fn describe(&self, _feature: usize, value: f64) -> String {
        format_number(value)
    }
}

/// A number for people: thousands separators, at most 2 decimals, `missing` for NaN
/// (`1532` → `1,532`, `0.25` → `0.25`, `-12000.5` → `-12,000.5`).
pub fn format_number(value: f64) -> String {
    if value.is_nan() {
        return "missing".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞" } else { "-∞" }.into();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let frac = frac.trim_end_matches('0');
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if rounded < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// One driver of a lead's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The CSV column.
    pub column: String,
    /// The lead's value in words.
    pub value: String,
    /// Summed contribution of the column's features, in raw-margin units (log-odds for
    /// boosting); > 0 raises the score.
    pub contribution: f64,
    /// `column = value ↑` (or `↓`).
    pub text: String,
}

/// The strongest drivers each way.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Reasons {
    /// Columns that raise the score, strongest first.
    pub positive: Vec<Reason>,
    /// Columns that lower the score, strongest first.
    pub negative: Vec<Reason>,
    /// Sum of all contributions (raw margin − the average lead's margin): > 0 when the lead
    /// scores above the average lead, < 0 below it. It sets which side is shown first.
    #[serde(default)]
    pub total: f64,
}

impl Reasons {
    /// Whether the lead scores above the average lead (its reasons ↑ lead), see
    /// [`Reasons::total`]. A lead exactly at the average counts as up.
    pub fn score_is_up(&self) -> bool {
        self.total >= 0.0
    }

    /// The reasons in the direction of the score first (strongest first), then the other side
    /// (strongest first): a cold lead's list opens with its ↓ reasons, a hot lead's with ↑.
    pub fn in_score_direction(&self) -> Vec<&Reason> {
        let (first, second) = if self.score_is_up() {
            (&self.positive, &self.negative)
        } else {
            (&self.negative, &self.positive)
        };
        first.iter().chain(second).collect()
    }
}

/// Contributions summed per source column, in order of each column's first feature; each entry
/// holds the column, the sum, and the member feature with the largest |contribution|.
pub fn group_by_source(contributions: &[f64], text: &dyn FeatureText) -> Vec<(String, f64, usize)> {
    let mut groups: Vec<(String, f64, usize)> = Vec::new();
    for (f, &c) in contributions.iter().enumerate() {
        let source = text.source(f);
        match groups.iter_mut().find(|g| g.0 == source) {
            Some(g) => {
                g.1 += c;
                if c.abs() > contributions[g.2].abs() {
                    g.2 = f;
                }
            }
            None => groups.push((source.to_string(), c, f)),
        }
    }
    groups
}

fn reason(
    column: String,
    contribution: f64,
    feature: usize,
    row: &[f64],
    text: &dyn FeatureText,
) -> Reason {
    let value = text.describe(feature, row.get(feature).copied().unwrap_or(f64::NAN));
    let arrow = if contribution > 0.0 { '↑' } else { '↓' };
    Reason {
        text: format!("{column} = {value} {arrow}"),
        column,
        value,
        contribution,
    }
}

/// The top `k` columns raising and the top `k` lowering the score of `row` (features in model
/// order), from its per-feature `contributions`, and their total (which side the score is on;
/// [`Reasons::in_score_direction`] orders both sides for a card). Columns with a zero sum are
/// left out; ties keep column order.
pub fn reasons(contributions: &[f64], row: &[f64], text: &dyn FeatureText, k: usize) -> Reasons {
    let groups = group_by_source(contributions, text);
    let pick = |sign: f64| -> Vec<Reason> {
        let mut g: Vec<&(String, f64, usize)> =
            groups.iter().filter(|g| g.1 * sign > 0.0).collect();
        g.sort_by(|a, b| (b.1 * sign).total_cmp(&(a.1 * sign)));
        g.into_iter()
            .take(k)
            .map(|(col, c, f)| reason(col.clone(), *c, *f, row, text))
            .collect()
    };
    Reasons {
        positive: pick(1.0),
        negative: pick(-1.0),
        total: contributions.iter().sum(),
    }
}

/// `k` reasons for the `reason_1..reason_k` columns of a scored CSV: the strongest pushes in the
/// direction of the score first (↓ reasons for a lead below the average lead, ↑ above it; the
/// direction is the sign of the sum of all contributions), strongest first, then, when that
/// side has fewer than `k`, the strongest of the other side. So a score-0 lead never opens
/// with an ↑ reason and a hot lead opens with its ↑ reasons.
pub fn top_reasons(
    contributions: &[f64],
    row: &[f64],
    text: &dyn FeatureText,
    k: usize,
) -> Vec<Reason> {
    let up = contributions.iter().sum::<f64>() >= 0.0;
    let mut groups: Vec<(String, f64, usize)> = group_by_source(contributions, text)
        .into_iter()
        .filter(|g| g.1 != 0.0)
        .collect();
    // With the score's side first, by size within each side (stable: ties keep column order).
    groups.sort_by(|a, b| {
        let side = |g: &(String, f64, usize)| u8::from((g.1 > 0.0) != up);
        side(a).cmp(&side(b)).then(b.1.abs().total_cmp(&a.1.abs()))
    });
    groups
        .into_iter()
        .take(k)
        .map(|(col, c, f)| reason(col, c, f, row, text))
        .collect()
}

/// Global importance per source column: mean |summed contribution| over the rows of a
/// row-major `rows × n_features` matrix, largest first (ties keep column order).
pub fn importance(contributions: &[f64], text: &dyn FeatureText) -> Vec<(String, f64)> {
    let n = text.n_features();
    let mut totals: Vec<(String, f64)> = Vec::new();
    if n == 0 {
        return totals;
    }
    let rows = contributions.len() / n;
    for row in contributions.chunks_exact(n) {
        for (i, (col, c, _)) in group_by_source(row, text).into_iter().enumerate() {
            match totals.get_mut(i) {
                Some(t) => t.1 += c.abs(),
                None => totals.push((col, c.abs())),
            }
        }
    }
    for t in &mut totals {
        t.1 /= rows.max(1) as f64;
    }
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> PlainFeatures {
        // Features 2 and 3 are two parts of one date column.
        PlainFeatures {
            sources: vec![
                "Lead Source".into(),
                "Time on Site (s)".into(),
                "Created".into(),
                "Created".into(),
            ],
        }
    }

    #[test]
    fn numbers_read_like_people_write_them() {
        assert_eq!(format_number(1532.0), "1,532");
        assert_eq!(format_number(1234567.891), "1,234,567.89");
        assert_eq!(format_number(0.25), "0.25");
        assert_eq!(format_number(-12000.5), "-12,000.5");
        assert_eq!(format_number(999.0), "999");
        assert_eq!(format_number(f64::NAN), "missing");
        assert_eq!(format_number(-0.001), "0");
    }

    #[test]
    fn derived_features_group_under_their_column() {
        // Created: 0.3 + (−0.1) = 0.2, shown with the stronger part's value (feature 2).
        let phi = [0.5, -0.4, 0.3, -0.1];
        let row = [2.0, 1532.0, 12.0, 3.0];
        let r = reasons(&phi, &row, &text(), 3);
        let pos: Vec<&str> = r.positive.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(pos, vec!["Lead Source = 2 ↑", "Created = 12 ↑"]);
        assert!((r.positive[1].contribution - 0.2).abs() < 1e-12);
        assert_eq!(r.negative.len(), 1);
        assert_eq!(r.negative[0].text, "Time on Site (s) = 1,532 ↓");
        // k limits each side.
        let r1 = reasons(&phi, &row, &text(), 1);
        assert_eq!(r1.positive.len(), 1);
        assert_eq!(r1.positive[0].column, "Lead Source");
        // Total +0.3: the ↑ side first (0.5, 0.2), then ↓ (−0.4).
        assert!(r.score_is_up());
        let top = top_reasons(&phi, &row, &text(), 3);
        let cols: Vec<&str> = top.iter().map(|r| r.column.as_str()).collect();
        assert_eq!(cols, vec!["Lead Source", "Created", "Time on Site (s)"]);
        let ordered: Vec<&str> = r
            .in_score_direction()
            .iter()
            .map(|r| r.column.as_str())
            .collect();
        assert_eq!(ordered, cols);
    }

    #[test]
    fn a_cold_lead_opens_with_its_down_reasons_even_when_an_up_one_is_larger() {
        // Lead Source +1.0 is the largest single push, but the lead is below average
        // (total −0.5): its first reasons must be ↓ (Created −0.8, Time on Site −0.7).
        let phi = [1.0, -0.7, -0.5, -0.3];
        let row = [2.0, 10.0, 12.0, 3.0];
        let top = top_reasons(&phi, &row, &text(), 2);
        assert_eq!(top[0].text, "Created = 12 ↓");
        assert_eq!(top[1].text, "Time on Site (s) = 10 ↓");
        assert!(top.iter().all(|r| r.contribution < 0.0));
        // With room for three, the ↑ reason comes after both ↓ ones.
        let top = top_reasons(&phi, &row, &text(), 3);
        assert_eq!(top[2].text, "Lead Source = 2 ↑");
        let r = reasons(&phi, &row, &text(), 3);
        assert!(!r.score_is_up());
        assert!((r.total + 0.5).abs() < 1e-12);
        let first = r.in_score_direction()[0];
        assert!(first.contribution < 0.0, "{first:?}");
        // Both sides stay available for a card.
        assert_eq!(r.positive.len(), 1);
        assert_eq!(r.negative.len(), 2);
    }

    #[test]
    fn a_hot_lead_opens_with_its_up_reasons() {
        let phi = [0.6, 1.2, -0.9, -0.6];
        let row = [1.0, 900.0, 5.0, 1.0];
        let top = top_reasons(&phi, &row, &text(), 2);
        assert!(top.iter().all(|r| r.contribution > 0.0), "{top:?}");
        assert_eq!(top[0].column, "Time on Site (s)");
    }

    #[test]
    fn importance_is_mean_absolute_grouped_contribution() {
        // Row 1 groups: LS .5, TOS −.4, Created .2; row 2: LS −.1, TOS 0, Created −.6.
        // Means: LS .3, TOS .2, Created .4.
        let phi = [0.5, -0.4, 0.3, -0.1, -0.1, 0.0, -0.3, -0.3];
        let imp = importance(&phi, &text());
        let names: Vec<&str> = imp.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(names, vec!["Created", "Lead Source", "Time on Site (s)"]);
        assert!((imp[0].1 - 0.4).abs() < 1e-12);
        assert!((imp[2].1 - 0.2).abs() < 1e-12);
    }
}
