//! The hostile privacy corpus: a seeded CRM export full of personal data in eight languages, with
//! a real signal, for the "nothing personal in a model file" tests (native and WASM). Included with
//! `#[path = "common/privacy_corpus.rs"] mod privacy_corpus;`.
//!
//! Columns and what they hold (headers in several languages on purpose):
//! - `Vorname`, `Nazwisko`: given names and surnames of EN/DE/FR/ES/PT/IT/NL/PL people — half from
//!   common names, half made-up ones that no lexicon knows (the column must go as a whole).
//! - `Contactpersoon`: full names; `Ref`: full names under a header that says nothing (content).
//! - `E-Mail`: 72 % addresses, 28 % `unknown` / `not given` / `kein Eintrag` / `non renseigné`.
//! - `Telefon`: 60 % phone numbers in national and international forms, the rest `n/a` or `-`.
//! - `Notes`: short notes, some with an address or a phone number in them (`cc anna@…`).
//! - `IBAN` (half filled), `Last IP` (v4 and v6), `LinkedIn` (profile links), `Adresse` (street
//!   addresses in the eight languages), `PLZ` (postcodes), `Geburtsdatum` (dates of birth) and
//!   `Datum` (dates of birth under a header that says nothing; found against `Created`).
//! - `Lead Owner`: five reps' names (each on ~20 % of rows); `Account Owner`: one name on every row.
//! - Signal and harmless columns that must stay: `Company Size`, `Industry`, `Job Title`,
//!   `Product`, `City`, `Source`, `Visits`, `Created`. `Converted` depends on visits, company size
//!   and source (plus noise).
#![allow(dead_code)]

/// A seeded SplitMix64 (the tests' own, so the corpus never changes with the engine's RNG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const GIVEN: [&str; 48] = [
    "Anna",
    "Jürgen",
    "Sabine",
    "Matthias",
    "Élodie",
    "François",
    "Camille",
    "Sébastien",
    "María",
    "José",
    "Lucía",
    "Javier",
    "João",
    "Conceição",
    "Gonçalo",
    "Mariana",
    "Giuseppe",
    "Chiara",
    "Lorenzo",
    "Francesca",
    "Pieter",
    "Femke",
    "Joost",
    "Saskia",
    "Małgorzata",
    "Łukasz",
    "Katarzyna",
    "Wojciech",
    "Jennifer",
    "Michael",
    "Sarah",
    "Thomas",
    // Made-up names no lexicon holds.
    "Quorin",
    "Velmira",
    "Tashko",
    "Brunhold",
    "Ysolde",
    "Kestrin",
    "Odalric",
    "Mirela",
    "Zebulon",
    "Ilvana",
    "Torvik",
    "Aurenne",
    "Casimo",
    "Dagny",
    "Eskil",
    "Fenella",
];

const FAMILY: [&str; 48] = [
    "Krüger",
    "Schneider",
    "Müller",
    "Hoffmann",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Rousseau",
    "García",
    "Fernández",
    "López",
    "Muñoz",
    "Gonçalves",
    "Ferreira",
    "Carvalho",
    "Simões",
    "Rossi",
    "Esposito",
    "Bianchi",
    "Moretti",
    "de Vries",
    "van Dijk",
    "Jansen",
    "Bakker",
    "Wiśniewska",
    "Kowalski",
    "Lewandowska",
    "Dąbrowski",
    "Johnson",
    "Williams",
    "Thompson",
    "Walker",
    // Made-up surnames.
    "Quellbrook",
    "Varnavas",
    "Zethmayer",
    "Oltrani",
    "Pruszyk",
    "Haverkamp",
    "Dunmorrow",
    "Escalvo",
    "Trindle",
    "Marwick",
    "Fonterra",
    "Ibsworth",
    "Kalnoky",
    "Lindqvist",
    "Morvath",
    "Nettleby",
];

const REPS: [&str; 5] = [
    "Hannelore Brandt",
    "Rémi Castelnau",
    "Inés Villalobos",
    "Tomasz Zawadzki",
    "Wilhelmina Stroeve",
];

const ACCOUNT_OWNER: &str = "Katarzyna Wiśniewska-Ostrowska";

const STREETS: [&str; 8] = [
    "{n} Baker Street",
    "Hauptstraße {n}",
    "{n} rue de Rivoli",
    "Calle Mayor {n}",
    "Rua Augusta {n}",
    "Via Roma {n}",
    "Dorpsstraat {n}",
    "ul. Marszałkowska {n}",
];

const CITIES: [&str; 8] = [
    "Berlin",
    "Paris",
    "Madrid",
    "Lisboa",
    "Roma",
    "Amsterdam",
    "Warszawa",
    "London",
];
const SIZES: [&str; 5] = ["1-10", "11-50", "51-200", "201-1000", "1000+"];
const INDUSTRIES: [&str; 5] = [
    "Software",
    "Retail",
    "Manufacturing",
    "Healthcare",
    "Finance",
];
const TITLES: [&str; 6] = [
    "Sales Manager",
    "Head of Marketing",
    "CTO",
    "Office Manager",
    "Procurement Lead",
    "Geschäftsführer",
];
const PRODUCTS: [&str; 4] = [
    "Leadforest Pro",
    "Starter Plan",
    "Enterprise Suite",
    "Add-on Pack",
];
const SOURCES: [&str; 5] = [
    "Webinar",
    "Referral",
    "Paid Search",
    "Trade Show",
    "Cold Call",
];
const NO_EMAIL: [&str; 4] = ["unknown", "not given", "kein Eintrag", "non renseigné"];

/// The IBAN check digits for a country code and BBAN (ISO 13616).
fn iban(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let mut rem: u64 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap() as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    format!("{country}{:02}{bban}", 98 - rem)
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A generated corpus: the CSV and every personal value written into it.
pub struct Corpus {
    /// The CSV text (header + rows).
    pub csv: String,
    /// Every personal value written (names, addresses, numbers…), each once.
    pub personal: Vec<String>,
}

/// `rows` leads from `seed`.
pub fn corpus(rows: usize, seed: u64) -> Corpus {
    let mut r = Rng(seed);
    let mut personal: Vec<String> = Vec::new();
    let remember = |v: &str, personal: &mut Vec<String>| {
        if !personal.iter().any(|p| p == v) {
            personal.push(v.to_string());
        }
    };
    let header = [
        "Vorname",
        "Nazwisko",
        "Contactpersoon",
        "Ref",
        "E-Mail",
        "Telefon",
        "Notes",
        "IBAN",
        "Last IP",
        "LinkedIn",
        "Adresse",
        "PLZ",
        "Geburtsdatum",
        "Datum",
        "Lead Owner",
        "Account Owner",
        "Company Size",
        "Industry",
        "Job Title",
        "Product",
        "City",
        "Source",
        "Visits",
        "Created",
        "Converted",
    ];
    let mut csv = header.join(",");
    csv.push('\n');
    for i in 0..rows {
        let given = r.pick(&GIVEN);
        let family = r.pick(&FAMILY);
        let full = format!("{given} {family}");
        let other_full = format!("{} {}", r.pick(&GIVEN), r.pick(&FAMILY));
        for v in [given, family, full.as_str(), other_full.as_str()] {
            remember(v, &mut personal);
        }
        let local: String = format!("{}.{}{}", given, family, i % 97)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect::<String>()
            .to_lowercase();
        let email = if r.unit() < 0.72 {
            let domain = [
                "firma5.de",
                "gmail.com",
                "example.fr",
                "empresa.es",
                "bedrijf.nl",
            ][r.below(5)];
            let e = format!("{local}@{domain}");
            remember(&e, &mut personal);
            e
        } else {
            r.pick(&NO_EMAIL).to_string()
        };
        let phone = if r.unit() < 0.6 {
            let n = 1_000_000 + r.below(8_999_999);
            let p = match r.below(5) {
                0 => format!("+49 30 {n}"),
                1 => format!(
                    "+33 6 {} {:02} {:02}",
                    n % 100,
                    n / 100 % 100,
                    n / 10_000 % 100
                ),
                2 => format!("0{} {}", 20 + r.below(70), n),
                3 => format!(
                    "({}) {}-{:04}",
                    200 + r.below(700),
                    100 + n % 900,
                    n % 10_000
                ),
                _ => format!(
                    "+48 {} {} {}",
                    500 + n % 400,
                    100 + n / 10 % 900,
                    100 + n / 100 % 900
                ),
            };
            remember(&p, &mut personal);
            p
        } else {
            ["n/a", "-", ""][r.below(3)].to_string()
        };
        let notes = match r.below(6) {
            0 => {
                let e = format!("{local}@firma{}.de", r.below(9));
                remember(&e, &mut personal);
                format!("cc {e}")
            }
            1 => {
                let p = format!("+49 171 {}", 1_000_000 + r.below(8_999_999));
                remember(&p, &mut personal);
                format!("call back {p}")
            }
            2 => format!("met {full} at the fair"),
            3 => "interested".into(),
            4 => "-".into(),
            _ => "follow up".into(),
        };
        let iban_v = if r.unit() < 0.5 {
            let bban = format!(
                "{:08}{:010}",
                r.below(99_999_999),
                r.next() % 10_000_000_000
            );
            let v = iban(
                ["DE", "FR", "ES", "IT", "NL", "PL", "PT", "GB"][r.below(8)],
                &bban,
            );
            remember(&v, &mut personal);
            v
        } else {
            String::new()
        };
        let ip = if r.below(3) == 0 {
            format!("2001:db8:{:x}::{:x}", r.below(65535), r.below(65535))
        } else {
            format!(
                "{}.{}.{}.{}",
                1 + r.below(222),
                r.below(256),
                r.below(256),
                1 + r.below(254)
            )
        };
        remember(&ip, &mut personal);
        let linkedin = if r.unit() < 0.4 {
            let u = format!("https://www.linkedin.com/in/{}", local.replace('.', "-"));
            remember(&u, &mut personal);
            u
        } else {
            String::new()
        };
        let address = STREETS[r.below(8)].replace("{n}", &(1 + r.below(180)).to_string());
        remember(&address, &mut personal);
        let postcode = format!("{:05}", 1000 + r.below(98_000));
        remember(&postcode, &mut personal);
        let birth = |r: &mut Rng| {
            format!(
                "{}-{:02}-{:02}",
                1950 + r.below(52),
                1 + r.below(12),
                1 + r.below(28)
            )
        };
        let born = birth(&mut r);
        let born2 = birth(&mut r);
        remember(&born, &mut personal);
        remember(&born2, &mut personal);
        let rep = REPS[r.below(5)];
        remember(rep, &mut personal);
        let size = r.below(5);
        let source = r.below(5);
        let visits = r.below(30);
        let created = format!("2025-{:02}-{:02}", 1 + r.below(12), 1 + r.below(28));
        let logit = -2.2 + 0.12 * visits as f64 + 0.45 * size as f64
            - [0.0, 1.2, -0.3, 0.6, -0.8][source]
            + (r.unit() - 0.5);
        let converted = r.unit() < 1.0 / (1.0 + (-logit).exp());
        let row = [
            given.to_string(),
            family.to_string(),
            full.clone(),
            other_full,
            email,
            phone,
            notes,
            iban_v,
            ip,
            linkedin,
            address,
            postcode,
            born,
            born2,
            rep.to_string(),
            ACCOUNT_OWNER.to_string(),
            SIZES[size].to_string(),
            r.pick(&INDUSTRIES).to_string(),
            r.pick(&TITLES).to_string(),
            r.pick(&PRODUCTS).to_string(),
            r.pick(&CITIES).to_string(),
            SOURCES[source].to_string(),
            visits.to_string(),
            created,
            if converted { "Yes" } else { "No" }.to_string(),
        ];
        csv.push_str(&row.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","));
        csv.push('\n');
    }
    remember(ACCOUNT_OWNER, &mut personal);
    Corpus { csv, personal }
}

/// The personal values found in `bytes` (case-insensitive): a value of six or more characters
/// anywhere, a shorter one (`Eva`, `Jan`) only as a whole word (so `Jan` inside `January`, a
/// month label every dated model has, is not a finding).
pub fn personal_in_bytes(bytes: &[u8], personal: &[String]) -> Vec<String> {
    let hay = String::from_utf8_lossy(bytes).to_lowercase();
    personal
        .iter()
        .filter(|v| {
            let needle = v.to_lowercase();
            if needle.chars().count() >= 6 {
                return hay.contains(&needle);
            }
            hay.match_indices(&needle).any(|(at, m)| {
                let before = hay[..at].chars().next_back();
                let after = hay[at + m.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .cloned()
        .collect()
}

/// The columns that hold personal data and must never become features (or be stored).
pub const PERSONAL_COLUMNS: [&str; 16] = [
    "Vorname",
    "Nazwisko",
    "Contactpersoon",
    "Ref",
    "E-Mail",
    "Telefon",
    "Notes",
    "IBAN",
    "Last IP",
    "LinkedIn",
    "Adresse",
    "PLZ",
    "Geburtsdatum",
    "Datum",
    "Lead Owner",
    "Account Owner",
];

/// The harmless columns that must stay features.
pub const USEFUL_COLUMNS: [&str; 8] = [
    "Company Size",
    "Industry",
    "Job Title",
    "Product",
    "City",
    "Source",
    "Visits",
    "Created",
];
