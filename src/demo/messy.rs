//! A wide, messy CRM export with a known ground truth and one planted leak, for end-to-end tests
//! and benchmarks at real sizes (the app's browser test and benchmark use 45,000 rows).
//!
//! Same `rows` + `seed` ⇒ the same bytes on every platform: every draw comes from [`Rng`] and
//! every curve from the crate's arithmetic-only `exp`/`ln` (never the platform's libm).
//!
//! ## Columns (37, comma-separated, UTF-8, LF, header first)
//!
//! | column | what it is | effect on the log-odds of `Converted` |
//! |---|---|---|
//! | Record ID | CRM id `00Q…`, unique | none (identifier, must be excluded) |
//! | Lead Number | unique integer | none (identifier, must be excluded) |
//! | First Name, Last Name, Email, Phone | personal data (phones in mixed formats, some blank) | Email: a free-mail domain −0.5; otherwise none (personal data, must not be stored) |
//! | Company | company name, blank for some free-mail leads | none |
//! | Job Title | free-form titles of six seniorities | via Seniority |
//! | Seniority | C-Level +0.9, VP +0.7, Director +0.5, Manager +0.1, Individual Contributor −0.4, Student −1.4 | as listed |
//! | Industry | `Select` placeholder on 8 % | Software +0.4, Financial Services +0.3, Healthcare +0.1, Manufacturing 0, Retail −0.2, Education −0.5, Government −0.3, Select 0 |
//! | Company Size | `1-10` … `5000+`, 6 % blank | 1-10 −0.5, 11-50 −0.2, 51-200 +0.2, 201-1000 +0.4, 1001-5000 +0.3, 5000+ +0.1 |
//! | Annual Revenue | `$1,200,000`, `1.2M`, `$850k`, blank | none (follows Company Size) |
//! | Country | `--` placeholder on 3 %, rare countries | none (a fairness check) |
//! | City | `Select` on 20 % | none |
//! | Lead Source | Referral +1.3, Webinar +0.8, Partner +0.6, Trade Show +0.4, Organic Search +0.3, LinkedIn +0.2, Google 0 (also written `google`), Direct Traffic −0.1, Facebook −0.5, Cold Call −0.9, Purchased List −1.2; rare `bing`, `testone`, `Press_Release` 0 | as listed, plus engagement (below) rises with it |
//! | Lead Origin | Landing Page Submission, API, Lead Import −0.6, Quick Add Form (rare) | Lead Import −0.6, others 0 |
//! | Campaign | ~40 campaign codes (`2025-Q2-webinar-07`) | none beyond the source it follows |
//! | Created Date | `M/D/YYYY`, within a year before 2026-06-30 | −0.003 per day of age |
//! | Last Activity Date | ISO `YYYY-MM-DD`, after Created Date | none beyond engagement |
//! | Total Visits | integer, 1.5 % blank, long tail | +0.8 × ln(1 + visits) / ln(21) |
//! | Time on Website (s) | thousands separators (`1,532`), 2 % blank, 0.3 % `--` | +0.9 above 600 s, +0.45 above 240 s |
//! | Page Views Per Visit | decimal comma (`2,5`), blank when no visit | none beyond visits |
//! | Email Opens | integer | +0.04 per open |
//! | Email Clicks | integer ≤ opens | +0.3 per click, at most 3 |
//! | Webinar Attended | Yes/No | Yes +0.9 |
//! | Downloaded Whitepaper | TRUE/FALSE | TRUE +0.3 |
//! | Do Not Email | Yes/No | Yes −0.8 |
//! | Do Not Call | Yes/No, almost always No | none |
//! | Newsletter | Y/N | none |
//! | Budget | `$1,200`, `1.5k`, `2500`, blank, `n/a` | none |
//! | Preferred Contact Time | Morning/Afternoon/Evening, `--` | none |
//! | Marketing Score | a rule-based points score (0–100) from source, visits, time, clicks and webinar | none of its own (an honest early summary) |
//! | Product Interest | Analytics +0.2, CRM 0, Payments +0.1, Support Desk −0.1, rare Legacy Suite −0.3 | as listed |
//! | Lead Owner | sales rep assigned round-robin at creation | none |
//! | Notes | free text (commas, quotes, a few line breaks), often blank | none |
//! | **Contract Value** | **the planted leak**: the first invoice, known only after the sale | see below |
//! | Converted | target, `Yes`/`No` | — |
//!
//! A latent intent (normal, sd 0.8, plus 0.3 × the source's effect) drives visits, time on site,
//! e-mail opens and webinar attendance, so the early signals correlate as in real funnels. The
//! intercept is −3.05: the conversion rate is about 10 % (see the tests for the measured rates).
//!
//! **The leak**: `Contract Value` is above 0 for 97 % of converted leads (`$12,400`, `12.4k`,
//! `12400`) and `$0` for the rest of them; for leads that did not convert it is `$0` (80 %),
//! blank (19.6 %) or a small pilot amount ($300–$1,500, 0.4 %). So "Contract Value above 0"
//! almost settles the outcome (about 96 % converted) without being constant. Every other column
//! is known before the outcome; the leak scan must flag `Contract Value` and nothing among the
//! early signals (`Time on Website (s)`, `Total Visits`, `Lead Source`, `Marketing Score`…).

use super::{civil_from_days, pick, quote, REFERENCE_DAY};
use crate::model::math::{exp, ln};
use crate::rng::Rng;

/// Rows written when a caller does not say (the app's browser test and benchmark size).
pub const DEFAULT_ROWS: usize = 45_000;

/// The messy export's header, in column order (the target `Converted` is last).
pub const HEADER: [&str; 37] = [
    "Record ID",
    "Lead Number",
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Company",
    "Job Title",
    "Seniority",
    "Industry",
    "Company Size",
    "Annual Revenue",
    "Country",
    "City",
    "Lead Source",
    "Lead Origin",
    "Campaign",
    "Created Date",
    "Last Activity Date",
    "Total Visits",
    "Time on Website (s)",
    "Page Views Per Visit",
    "Email Opens",
    "Email Clicks",
    "Webinar Attended",
    "Downloaded Whitepaper",
    "Do Not Email",
    "Do Not Call",
    "Newsletter",
    "Budget",
    "Preferred Contact Time",
    "Marketing Score",
    "Product Interest",
    "Lead Owner",
    "Notes",
    "Contract Value",
    "Converted",
];

/// The planted leak's column.
pub const LEAK_COLUMN: &str = "Contract Value";
/// The target column.
pub const TARGET: &str = "Converted";

const SOURCES: [(&str, f64, f64); 14] = [
    ("Google", 0.0, 0.22),
    ("Direct Traffic", -0.1, 0.17),
    ("Organic Search", 0.3, 0.13),
    ("Referral", 1.3, 0.06),
    ("Webinar", 0.8, 0.06),
    ("Partner", 0.6, 0.04),
    ("Trade Show", 0.4, 0.04),
    ("LinkedIn", 0.2, 0.07),
    ("Facebook", -0.5, 0.07),
    ("Cold Call", -0.9, 0.07),
    ("Purchased List", -1.2, 0.06),
    ("google", 0.0, 0.0008),
    ("bing", 0.0, 0.0008),
    ("Press_Release", 0.0, 0.0004),
];
const ORIGINS: [(&str, f64, f64); 4] = [
    ("Landing Page Submission", 0.0, 0.52),
    ("API", 0.0, 0.36),
    ("Lead Import", -0.6, 0.118),
    ("Quick Add Form", 0.0, 0.002),
];
const SENIORITY: [(&str, f64, f64, &[&str]); 6] = [
    (
        "C-Level",
        0.9,
        0.05,
        &["CEO", "CTO", "CFO", "Founder & CEO"],
    ),
    (
        "VP",
        0.7,
        0.08,
        &["VP Sales", "VP, Marketing", "VP Engineering"],
    ),
    (
        "Director",
        0.5,
        0.14,
        &["Director of Sales", "Marketing Director", "IT Director"],
    ),
    (
        "Manager",
        0.1,
        0.30,
        &[
            "Sales Manager",
            "Marketing Manager",
            "Product Manager",
            "Mgr.",
        ],
    ),
    (
        "Individual Contributor",
        -0.4,
        0.35,
        &[
            "Account Executive",
            "Analyst",
            "Engineer",
            "Designer",
            "consultant",
        ],
    ),
    (
        "Student",
        -1.4,
        0.08,
        &["Student", "Intern", "MBA candidate"],
    ),
];
const INDUSTRIES: [(&str, f64, f64); 8] = [
    ("Software", 0.4, 0.22),
    ("Financial Services", 0.3, 0.13),
    ("Healthcare", 0.1, 0.12),
    ("Manufacturing", 0.0, 0.14),
    ("Retail", -0.2, 0.11),
    ("Education", -0.5, 0.11),
    ("Government", -0.3, 0.09),
    ("Select", 0.0, 0.08),
];
const SIZES: [(&str, f64, f64, f64); 6] = [
    ("1-10", -0.5, 0.18, 0.4),
    ("11-50", -0.2, 0.24, 3.0),
    ("51-200", 0.2, 0.22, 15.0),
    ("201-1000", 0.4, 0.17, 80.0),
    ("1001-5000", 0.3, 0.11, 400.0),
    ("5000+", 0.1, 0.08, 2500.0),
];
const COUNTRIES: [(&str, f64); 12] = [
    ("United States", 0.36),
    ("India", 0.14),
    ("United Kingdom", 0.11),
    ("Germany", 0.09),
    ("France", 0.07),
    ("Canada", 0.06),
    ("Brazil", 0.06),
    ("Australia", 0.05),
    ("--", 0.03),
    ("Singapore", 0.02),
    ("Nigeria", 0.006),
    ("Iceland", 0.0015),
];
const CITIES: [&str; 10] = [
    "Mumbai",
    "London",
    "New York",
    "Berlin",
    "Paris",
    "Toronto",
    "São Paulo",
    "Sydney",
    "Austin",
    "Pune",
];
const PRODUCTS: [(&str, f64, f64); 5] = [
    ("Analytics", 0.2, 0.3),
    ("CRM", 0.0, 0.32),
    ("Payments", 0.1, 0.18),
    ("Support Desk", -0.1, 0.19),
    ("Legacy Suite", -0.3, 0.01),
];
const CONTACT_TIMES: [(&str, f64); 4] = [
    ("Morning", 0.34),
    ("Afternoon", 0.33),
    ("Evening", 0.18),
    ("--", 0.15),
];
const CAMPAIGN_KINDS: [&str; 5] = ["webinar", "search", "social", "nurture", "event"];
const OWNERS: [&str; 8] = [
    "Priya Nair",
    "Tom Becker",
    "Ana Souza",
    "Kenji Mori",
    "Fatima Zahra",
    "Owen Price",
    "Lucía Gómez",
    "Sam Carter",
];
/// Syllables of generated names (real exports hold thousands of distinct names).
const SYL_A: [&str; 24] = [
    "Ma", "Ka", "Le", "Ro", "Sa", "Ti", "Na", "Da", "Mi", "Jo", "Ha", "Vi", "Be", "Lu", "Ra", "Ze",
    "Pa", "Fe", "Go", "Ya", "Ni", "Al", "El", "Or",
];
const SYL_B: [&str; 24] = [
    "rin", "lo", "na", "mir", "ten", "ko", "sha", "vid", "li", "ra", "nes", "to", "ran", "mi",
    "del", "ga", "sen", "ja", "bel", "ro", "ki", "lan", "da", "re",
];
const SYL_C: [&str; 12] = [
    "", "a", "o", "en", "i", "son", "ez", "ova", "ski", "berg", "ani", "ić",
];
const FIRST: [&str; 24] = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sofia", "Lucas", "Mia", "Arjun", "Chloe",
    "Hiro", "Amara", "Jonas", "Lena", "Diego", "Aisha", "Wei", "Zoe", "Ivan", "Nora", "Ravi",
    "Elif", "Kofi",
];
const LAST: [&str; 24] = [
    "Smith", "Garcia", "Müller", "Martin", "Patel", "Johnson", "Rossi", "Silva", "Kim", "Brown",
    "Dubois", "Tanaka", "Okafor", "Schmidt", "Nguyen", "Lopez", "O'Brien", "Kowalski", "Haddad",
    "Sato", "Andersen", "Mensah", "Costa", "Ivanova",
];
const COMPANIES: [&str; 20] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Wonka",
    "Cyberdyne",
    "Soylent",
    "Pied Piper",
    "Massive Dynamic",
    "Aperture",
    "Gringotts",
    "Oscorp",
    "Nakatomi",
    "Prestige",
    "Zorg",
];
const SUFFIX: [&str; 5] = ["Inc", "Ltd", "GmbH", "Corp", "LLC"];
const FREE_MAIL: [&str; 4] = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"];
const NOTE_OPENERS: [&str; 8] = [
    "Asked about pricing",
    "Left a voicemail",
    "Wants a demo next week",
    "Downloaded the brochure",
    "Comparing with a competitor",
    "Budget not confirmed",
    "Met at the booth",
    "Requested a callback",
];
const NOTE_TAILS: [&str; 6] = [
    ", follow up in Q3",
    "; said \"maybe later\"",
    ", cc'd their manager",
    " (via chat)",
    ", timezone unclear",
    "",
];

/// A roughly normal draw from arithmetic only (Irwin–Hall: 12 uniforms − 6), sd 1.
fn normal(rng: &mut Rng) -> f64 {
    (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0
}

/// An integer with thousands separators (`1532` → `1,532`).
fn thousands(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A money amount in one of three CRM spellings: `$12,400`, `12.4k`, `12400`.
fn money(rng: &mut Rng, v: u64) -> String {
    match rng.below(3) {
        0 => format!("${}", thousands(v)),
        1 if v >= 1000 => format!("{}.{}k", v / 1000, (v % 1000) / 100),
        _ => v.to_string(),
    }
}

/// A base-36 string of `width` digits.
fn base36(mut v: u64, width: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(v % 36) as usize];
        v /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Generates `rows` messy CRM leads as CSV text (see the module docs for the columns and the
/// ground truth). Same `rows` and `seed` ⇒ same bytes on every platform.
pub fn messy_csv(rows: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed ^ 0x4D45_5353_5900_0000);
    let mut out = String::with_capacity(rows * 420);
    let header: Vec<String> = HEADER.iter().map(|h| quote(h)).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    // 36^8 is coprime with this multiplier, so ids are unique for any row count below 36^8.
    const ID_SPACE: u64 = 2_821_109_907_456; // 36^8
    for i in 0..rows {
        let name = |list: &[&str], rng: &mut Rng, common: f64| -> String {
            if rng.next_f64() < common {
                list[rng.below(list.len() as u64) as usize].to_string()
            } else {
                format!(
                    "{}{}{}",
                    SYL_A[rng.below(24) as usize],
                    SYL_B[rng.below(24) as usize],
                    SYL_C[rng.below(12) as usize]
                )
            }
        };
        let first = name(&FIRST, &mut rng, 0.3);
        let last = name(&LAST, &mut rng, 0.25);
        let source = pick(&mut rng, &SOURCES, |s| s.2);
        let origin = pick(&mut rng, &ORIGINS, |s| s.2);
        let seniority = pick(&mut rng, &SENIORITY, |s| s.2);
        let title = seniority.3[rng.below(seniority.3.len() as u64) as usize];
        let industry = pick(&mut rng, &INDUSTRIES, |s| s.2);
        let size = pick(&mut rng, &SIZES, |s| s.2);
        let country = pick(&mut rng, &COUNTRIES, |s| s.1).0;
        let product = pick(&mut rng, &PRODUCTS, |s| s.2);
        let contact_time = pick(&mut rng, &CONTACT_TIMES, |s| s.1).0;
        let company = COMPANIES[rng.below(COMPANIES.len() as u64) as usize];
        let suffix = SUFFIX[rng.below(SUFFIX.len() as u64) as usize];
        let free_mail = rng.next_f64() < 0.3;
        let domain = if free_mail {
            FREE_MAIL[rng.below(FREE_MAIL.len() as u64) as usize].to_string()
        } else {
            format!("{}.com", company.to_lowercase().replace(' ', ""))
        };
        let email = format!(
            "{}.{}{}@{}",
            first.to_lowercase(),
            last.to_lowercase().replace('\'', ""),
            rng.below(1000),
            domain
        );
        let phone = match rng.below(20) {
            0 => String::new(),
            1..=8 => format!(
                "+1 ({:03}) {:03}-{:04}",
                200 + rng.below(800),
                rng.below(1000),
                rng.below(10_000)
            ),
            9..=14 => format!(
                "{:03}.{:03}.{:04}",
                200 + rng.below(800),
                rng.below(1000),
                rng.below(10_000)
            ),
            _ => format!("+44 20 {:04} {:04}", rng.below(10_000), rng.below(10_000)),
        };
        let company_out = if free_mail && rng.next_f64() < 0.5 {
            String::new()
        } else {
            format!("{company} {suffix}")
        };
        let revenue = size.3 * (0.5 + rng.next_f64()) * 100_000.0;
        let revenue_out = match rng.below(10) {
            0 => String::new(),
            1..=4 => format!("${}", thousands(revenue.round() as u64)),
            5..=7 if revenue >= 1_000_000.0 => {
                format!("{:.1}M", (revenue / 100_000.0).round() / 10.0)
            }
            _ => format!("${}k", (revenue / 1000.0).round() as u64),
        };
        let city = if rng.next_f64() < 0.2 {
            "Select"
        } else {
            CITIES[rng.below(CITIES.len() as u64) as usize]
        };
        let age_days = rng.below(365) as i64;
        let created = REFERENCE_DAY - age_days;
        let (cy, cm, cd) = civil_from_days(created);

        // Engagement follows a latent intent, as in real funnels.
        let intent = normal(&mut rng) * 0.8 + source.1 * 0.3;
        let visits = (exp(normal(&mut rng) * 0.8 + 1.2 + intent * 0.45) - 1.0)
            .round()
            .clamp(0.0, 250.0)
            + 0.0; // no `-0`
        let time_on_site = if visits == 0.0 {
            0.0
        } else {
            (ln(1.0 + visits) * (60.0 + 160.0 * rng.next_f64()) * (0.5 + rng.next_f64())
                + 30.0 * intent.max(0.0))
            .round()
        };
        let views_per_visit = if visits == 0.0 {
            0.0
        } else {
            ((1.0 + 3.0 * rng.next_f64() + intent.max(0.0)) * 10.0).round() / 10.0
        };
        let opens = rng.below(4 + (3.0 * intent.max(0.0)) as u64 * 2);
        let clicks = if opens > 0 {
            rng.below(opens + 1).min(8)
        } else {
            0
        };
        let webinar = rng.next_f64() < 0.06 + 0.08 * intent.max(0.0);
        let whitepaper = rng.next_f64() < 0.15 + 0.05 * intent.max(0.0);
        let do_not_email = rng.next_f64() < 0.07;
        let do_not_call = rng.next_f64() < 0.004;
        let newsletter = rng.next_f64() < 0.4;
        let last_activity = (created
            + rng.below(1 + age_days.min(90) as u64) as i64
            + (intent.max(0.0) * 5.0) as i64)
            .min(REFERENCE_DAY);
        let (ly, lm, ld) = civil_from_days(last_activity);

        let mut logit = -3.05 + source.1 + origin.1 + seniority.1 + industry.1 + size.1 + product.1;
        logit += 0.8 * ln(1.0 + visits) / ln(21.0);
        logit += if time_on_site > 600.0 {
            0.9
        } else if time_on_site > 240.0 {
            0.45
        } else {
            0.0
        };
        logit += 0.04 * opens as f64 + 0.3 * clicks.min(3) as f64;
        logit += if webinar { 0.9 } else { 0.0 };
        logit += if whitepaper { 0.3 } else { 0.0 };
        logit += if do_not_email { -0.8 } else { 0.0 };
        logit += if free_mail { -0.5 } else { 0.0 };
        logit -= 0.003 * age_days as f64;
        let p = 1.0 / (1.0 + exp(-logit));
        let converted = rng.next_f64() < p;

        // A rule-based points score from early signals (what the CRM computes today).
        let points = (source.1 * 15.0
            + 4.0 * visits.min(10.0)
            + (time_on_site / 30.0).min(25.0)
            + 5.0 * clicks.min(4) as f64
            + if webinar { 15.0 } else { 0.0 }
            + 10.0)
            .round()
            .clamp(0.0, 100.0)
            + 0.0; // no `-0`

        // The planted leak: the first invoice.
        let contract = if converted {
            if rng.next_f64() < 0.97 {
                let v = (exp(normal(&mut rng) * 0.7 + 9.3) / 100.0).round() as u64 * 100;
                money(&mut rng, v.max(1000))
            } else {
                "$0".to_string()
            }
        } else {
            let u = rng.next_f64();
            if u < 0.004 {
                let v = 300 + rng.below(13) * 100;
                money(&mut rng, v)
            } else if u < 0.804 {
                "$0".to_string()
            } else {
                String::new()
            }
        };
        let budget = match rng.below(12) {
            0..=3 => String::new(),
            4 => "n/a".to_string(),
            5..=7 => format!("${}", thousands(500 * (1 + rng.below(40)))),
            8..=9 => format!("{}.{}k", 1 + rng.below(20), rng.below(10)),
            _ => (100 * (5 + rng.below(200))).to_string(),
        };
        let visits_out = if rng.next_f64() < 0.015 {
            String::new()
        } else {
            format!("{visits}")
        };
        let u = rng.next_f64();
        let time_out = if u < 0.02 {
            String::new()
        } else if u < 0.023 {
            "--".to_string()
        } else {
            thousands(time_on_site as u64)
        };
        let views_out = if visits == 0.0 {
            String::new()
        } else {
            format!("{views_per_visit}").replace('.', ",")
        };
        let campaign = format!(
            "2025-Q{}-{}-{:02}",
            1 + rng.below(4),
            CAMPAIGN_KINDS[(rng.below(CAMPAIGN_KINDS.len() as u64)) as usize],
            1 + rng.below(2)
        );
        let notes = match rng.below(10) {
            0..=4 => String::new(),
            9 => format!(
                "{}{}\nNext step: call {}",
                NOTE_OPENERS[rng.below(8) as usize],
                NOTE_TAILS[rng.below(6) as usize],
                &first
            ),
            _ => format!(
                "{}{} ({} {})",
                NOTE_OPENERS[rng.below(8) as usize],
                NOTE_TAILS[rng.below(6) as usize],
                cm,
                rng.below(1000)
            ),
        };
        let yes_no = |b: bool| if b { "Yes" } else { "No" };
        let fields: [String; 37] = [
            format!("00Q{}", base36((i as u64 * 1_000_003 + 77) % ID_SPACE, 8)),
            (600_000 + i).to_string(),
            first.to_string(),
            last.to_string(),
            email,
            phone,
            company_out,
            title.to_string(),
            seniority.0.to_string(),
            industry.0.to_string(),
            if rng.next_f64() < 0.06 {
                String::new()
            } else {
                size.0.to_string()
            },
            revenue_out,
            country.to_string(),
            city.to_string(),
            source.0.to_string(),
            origin.0.to_string(),
            campaign,
            format!("{cm}/{cd}/{cy}"),
            format!("{ly:04}-{lm:02}-{ld:02}"),
            visits_out,
            time_out,
            views_out,
            opens.to_string(),
            clicks.to_string(),
            yes_no(webinar).to_string(),
            if whitepaper { "TRUE" } else { "FALSE" }.to_string(),
            yes_no(do_not_email).to_string(),
            yes_no(do_not_call).to_string(),
            if newsletter { "Y" } else { "N" }.to_string(),
            budget,
            contact_time.to_string(),
            points.to_string(),
            product.0.to_string(),
            OWNERS[i % OWNERS.len()].to_string(),
            notes,
            contract,
            yes_no(converted).to_string(),
        ];
        for (j, f) in fields.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&quote(f));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_seed_sensitive() {
        assert_eq!(messy_csv(300, 1), messy_csv(300, 1));
        assert_ne!(messy_csv(300, 1), messy_csv(300, 2));
    }

    #[test]
    fn columns_read_as_documented_and_the_rate_is_about_ten_percent() {
        use crate::data::{ColumnKind, CsvOptions, PersonalKind, Table};
        let csv = messy_csv(6000, 1);
        let t = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
        assert_eq!(t.n_rows, 6000);
        assert_eq!(t.columns.len(), HEADER.len());
        let kind = |name: &str| t.column(name).unwrap().kind;
        assert_eq!(kind("Record ID"), ColumnKind::Identifier);
        assert_eq!(kind("Lead Number"), ColumnKind::Identifier);
        assert_eq!(kind("Email"), ColumnKind::Personal(PersonalKind::Email));
        assert!(matches!(kind("First Name"), ColumnKind::Personal(_)));
        assert!(matches!(kind("Phone"), ColumnKind::Personal(_)));
        assert_eq!(kind("Notes"), ColumnKind::FreeText);
        for numeric in [
            "Total Visits",
            "Time on Website (s)",
            "Page Views Per Visit",
            "Budget",
            "Annual Revenue",
            LEAK_COLUMN,
        ] {
            assert_eq!(kind(numeric), ColumnKind::Numeric, "{numeric}");
        }
        assert_eq!(kind("Created Date"), ColumnKind::Date);
        assert_eq!(kind("Webinar Attended"), ColumnKind::Boolean);
        assert_eq!(kind("Lead Source"), ColumnKind::Categorical);
        // Messy spellings read as the numbers they are.
        let views = t.column("Page Views Per Visit").unwrap();
        assert!((0..t.n_rows).any(|r| views.value(r).fract() != 0.0));
        let yes = csv.lines().filter(|l| l.ends_with(",Yes")).count();
        let rate = yes as f64 / 6000.0;
        // The module docs say "about 10 %" (9.7-9.9 % at 45,000 rows, seeds 1-3).
        assert!((0.085..0.115).contains(&rate), "conversion rate {rate}");
    }

    #[test]
    fn the_leak_is_above_zero_almost_exactly_when_converted() {
        use crate::data::{CsvOptions, Table};
        let t = Table::from_csv(messy_csv(6000, 2).as_bytes(), &CsvOptions::default()).unwrap();
        let leak = t.column(LEAK_COLUMN).unwrap();
        let target = t.column(TARGET).unwrap();
        let (mut pos_rows, mut pos_conv, mut conv) = (0, 0, 0);
        for r in 0..t.n_rows {
            let c = target.categories[target.value(r) as usize].label == "Yes";
            conv += usize::from(c);
            if leak.value(r) > 0.0 {
                pos_rows += 1;
                pos_conv += usize::from(c);
            }
        }
        let purity = pos_conv as f64 / pos_rows as f64;
        let held = pos_conv as f64 / conv as f64;
        assert!(purity > 0.9 && purity < 1.0, "purity {purity}");
        assert!(held > 0.93 && held < 1.0, "share of converted held {held}");
    }

    /// FNV-1a 64 of the generated text; tests/browser/messy.test.mjs checks the same value for
    /// `messyCsv(3000, 1)` in WASM, so the JS and CLI files are the same bytes.
    #[test]
    fn the_bytes_are_pinned() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in messy_csv(3000, 1).bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        assert_eq!(format!("{h:016x}"), "723d1750b8b02c65");
    }

    #[test]
    fn ids_are_unique() {
        let ids: std::collections::HashSet<u64> = (0..100_000u64)
            .map(|i| (i * 1_000_003 + 77) % 2_821_109_907_456)
            .collect();
        assert_eq!(ids.len(), 100_000);
    }
}
