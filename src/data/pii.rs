//! Recognising personal data by content and by column name, in English, German, French, Spanish,
//! Portuguese, Italian, Dutch and Polish: e-mail addresses, phone numbers, IBANs and card numbers,
//! IP addresses, profile links, street addresses and postcodes, dates of birth, people's and
//! staff names.

use super::table::PersonalKind;

/// Whether a cell looks like an e-mail address (`local@domain.tld`).
pub fn is_email(s: &str) -> bool {
    email_domain(s).is_some()
}

/// The lower-cased domain of an e-mail address, or `None` when `s` is not one.
pub fn email_domain(s: &str) -> Option<String> {
    let s = s.trim().trim_start_matches("mailto:");
    let (local, domain) = s.rsplit_once('@')?;
    if local.is_empty()
        || local.len() > 64
        || local.contains(char::is_whitespace)
        || local.contains('@')
    {
        return None;
    }
    let (_, tld) = domain.rsplit_once('.')?;
    let ok = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
    if domain.len() > 255
        || !domain.chars().all(ok)
        || domain.starts_with(['.', '-'])
        || domain.contains("..")
        || tld.len() < 2
        || !tld.chars().all(char::is_alphabetic)
    {
        return None;
    }
    Some(domain.to_lowercase())
}

/// Free-mail providers: a lead writing from one of these gave no company domain.
const FREE_MAIL: [&str; 34] = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.fr",
    "yahoo.de",
    "ymail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "gmx.de",
    "gmx.net",
    "gmx.com",
    "web.de",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "protonmail.com",
    "proton.me",
    "zoho.com",
    "mail.com",
    "qq.com",
    "163.com",
    "126.com",
    "rediffmail.com",
    "free.fr",
    "orange.fr",
];

/// Whether an e-mail domain (lower case) belongs to a free-mail provider.
pub fn is_free_mail(domain: &str) -> bool {
    FREE_MAIL.contains(&domain)
}

/// Whether a cell is a dotted IPv4 address or an IPv6 address.
pub fn is_ip(s: &str) -> bool {
    let s = s.trim();
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() == 4 {
        return parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        });
    }
    let groups: Vec<&str> = s.split(':').collect();
    groups.len() >= 3
        && groups.len() <= 8
        && s.contains("::") | (groups.len() == 8)
        && groups
            .iter()
            .all(|g| g.len() <= 4 && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Two plain numbers joined by `-` or `/` with the first smaller (`1000-5000`, `2019/2020`): a
/// range or a pair of years, not a phone number.
fn is_range(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['-', '/']).map(str::trim).collect();
    parts.len() == 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && !p.starts_with('0') && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].parse::<u64>().ok() < parts[1].parse::<u64>().ok()
}

/// Whether a cell looks like a phone number: 7–15 digits with only `+ - ( ) . /` and spaces
/// around them, not a range (`1000-5000`) or a date. With `strict`, the form of a phone number
/// is also required (a bare run of digits could be any number): a leading `+` or trunk `0`,
/// parentheses, or at least three groups of digits after the first of two or more digits.
pub fn is_phone(s: &str, strict: bool) -> bool {
    let s = s.trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let allowed = s
        .bytes()
        .all(|b| b.is_ascii_digit() || b" +-().x/".contains(&b));
    if !allowed
        || !(7..=15).contains(&digits)
        || s.ends_with(['-', '.'])
        || is_range(s)
        || super::parse::parse_date_parts(s).is_some()
    {
        return false;
    }
    if !strict {
        return true;
    }
    let groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let form = s.starts_with('+')
        || s.starts_with("00")
        || s.contains('(')
        || groups.len() >= 2 && s.starts_with('0')
        || groups.len() >= 3 && groups[1..].iter().all(|g| g.len() >= 2);
    form && s.parse::<f64>().is_err()
}

/// Whether a text contains a phone number: a run of digits and separators that starts with `+`,
/// `(` or `0` and reads as [`is_phone`] (strict), or the `555-123-4567` form.
pub fn contains_phone(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // A number on its own (after a space or punctuation), not the tail of a code such as
        // `customer-record-00000000-123`.
        let starts = matches!(b[i], b'+' | b'(' | b'0'..=b'9')
            && (i == 0 || b[i - 1].is_ascii_whitespace() || b":;,<[\"'".contains(&b[i - 1]));
        if starts {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b" +-().x/".contains(&b[j])) {
                j += 1;
            }
            let cand = s[i..j].trim_end_matches([' ', '-', '.', '/', '(']);
            let first = cand.as_bytes().first().copied();
            let nanp = {
                let g: Vec<&str> = cand.split(['-', '.', ' ']).collect();
                g.len() == 3
                    && [3, 3, 4]
                        .iter()
                        .zip(&g)
                        .all(|(n, x)| x.len() == *n && x.bytes().all(|c| c.is_ascii_digit()))
            };
            if (matches!(first, Some(b'+' | b'(' | b'0')) && is_phone(cand, true)) || nanp {
                return true;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// Tokens of a text split at spaces and the punctuation around e-mail addresses and links.
fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_whitespace() || ",;<>()[]{}\"'|".contains(c))
        .map(|t| t.trim_end_matches(['.', ':', '!', '?']))
        .filter(|t| !t.is_empty())
}

/// Whether a text contains an e-mail address anywhere (`cc anna@firma.de`).
pub fn contains_email(s: &str) -> bool {
    s.contains('@') && tokens(s).any(is_email)
}

/// Whether a text contains an IP address anywhere.
pub fn contains_ip(s: &str) -> bool {
    tokens(s).any(is_ip)
}

/// The ISO 13616 check of an IBAN without spaces, upper case.
fn iban_check(c: &[u8]) -> bool {
    if !(15..=34).contains(&c.len())
        || !c[..2].iter().all(u8::is_ascii_uppercase)
        || !c[2..4].iter().all(u8::is_ascii_digit)
        || !c.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut rem: u32 = 0;
    for &ch in c[4..].iter().chain(&c[..4]) {
        let v = if ch.is_ascii_digit() {
            (ch - b'0') as u32
        } else {
            (ch - b'A') as u32 + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Whether a cell is an IBAN (spaces allowed, checksum verified): `DE89 3704 0044 0532 0130 00`.
pub fn is_iban(s: &str) -> bool {
    let c: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'-')
        .map(|b| b.to_ascii_uppercase())
        .collect();
    iban_check(&c)
}

/// Whether a text contains an IBAN anywhere (checksum verified).
pub fn contains_iban(s: &str) -> bool {
    let up: Vec<u8> = s.bytes().map(|b| b.to_ascii_uppercase()).collect();
    for i in 0..up.len().saturating_sub(4) {
        if !(up[i].is_ascii_uppercase()
            && up[i + 1].is_ascii_uppercase()
            && up[i + 2].is_ascii_digit()
            && up[i + 3].is_ascii_digit()
            && (i == 0 || !up[i - 1].is_ascii_alphanumeric()))
        {
            continue;
        }
        let cand: Vec<u8> = up[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b' ')
            .filter(|b| **b != b' ')
            .take(34)
            .copied()
            .collect();
        if (15..=cand.len()).rev().any(|n| iban_check(&cand[..n])) {
            return true;
        }
    }
    false
}

/// Whether a cell is a payment-card number: 13–19 digits (spaces or dashes between groups) that
/// pass the Luhn check and are not one repeated digit.
pub fn is_card_number(s: &str) -> bool {
    let s = s.trim();
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b' ' || b == b'-')
    {
        return false;
    }
    let d: Vec<u32> = s
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| (b - b'0') as u32)
        .collect();
    if !(13..=19).contains(&d.len()) || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| match (i % 2, x * 2) {
            (0, _) => x,
            (_, y) if y > 9 => y - 9,
            (_, y) => y,
        })
        .sum();
    sum % 10 == 0
}

/// Whether a text contains a payment-card number written in groups (`4111 1111 1111 1111`).
pub fn contains_card_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b' ' || b[j] == b'-') {
                j += 1;
            }
            let cand = s[i..j].trim_end_matches([' ', '-']);
            if is_card_number(cand) {
                return true;
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    false
}

/// Sites whose first path segment names a person's own page.
const PROFILE_SITES: [&str; 17] = [
    "facebook.com",
    "fb.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "tiktok.com",
    "threads.net",
    "github.com",
    "gitlab.com",
    "medium.com",
    "about.me",
    "vk.com",
    "t.me",
    "pinterest.com",
    "snapchat.com",
    "behance.net",
    "dribbble.com",
];

/// First path segments of those sites that are not a person's page.
const SITE_PAGES: [&str; 16] = [
    "company", "pages", "groups", "events", "home", "login", "share", "sharer", "intent", "search",
    "hashtag", "explore", "about", "help", "policies", "settings",
];

/// Whether a cell is a link to a person's profile (`linkedin.com/in/…`, `xing.com/profile/…`,
/// `twitter.com/name`, `…/users/…`); a company's own site or page is not.
pub fn is_profile_url(s: &str) -> bool {
    let l = s.trim().to_lowercase();
    let rest = l
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let Some((host, path)) = rest.split_once('/') else {
        return false;
    };
    if host.contains(char::is_whitespace) || !host.contains('.') {
        return false;
    }
    let path = path.trim_matches('/');
    let first = path.split(['/', '?', '#']).next().unwrap_or("");
    if first.is_empty() {
        return false;
    }
    let on = |site: &str| host == site || host.ends_with(&format!(".{site}"));
    if on("linkedin.com") {
        return matches!(first, "in" | "pub" | "profile") && path.len() > first.len() + 1;
    }
    if on("xing.com") {
        return first == "profile";
    }
    if on("youtube.com") {
        return first.starts_with('@') || matches!(first, "user" | "c" | "channel");
    }
    if PROFILE_SITES.iter().any(|s| on(s)) {
        return !SITE_PAGES.contains(&first);
    }
    path.split('/').any(|seg| {
        matches!(
            seg,
            "in" | "profile" | "profiles" | "user" | "users" | "people" | "members" | "member"
        )
    }) && path.split('/').count() >= 2
        || first.starts_with('~') && first.len() > 1
}

/// Whether a text contains a link to a person's profile anywhere.
pub fn contains_profile_url(s: &str) -> bool {
    s.contains('/') && tokens(s).any(is_profile_url)
}

/// Lower case with the accents of the eight supported languages removed (`Müller` → `muller`,
/// `Łukasz` → `lukasz`, `Straße` → `strasse`), for comparing words.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' | 'ę' => out.push('e'),
            'í' | 'ì' | 'î' | 'ï' => out.push('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => out.push('o'),
            'ú' | 'ù' | 'û' | 'ü' => out.push('u'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ñ' | 'ń' => out.push('n'),
            'ł' => out.push('l'),
            'ś' | 'š' => out.push('s'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'ý' | 'ÿ' => out.push('y'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            c => out.push(c),
        }
    }
    out
}

/// Street words (folded) of English, German, French, Spanish, Portuguese, Italian, Dutch and
/// Polish addresses.
const STREET_WORDS: [&str; 66] = [
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "lane",
    "ln",
    "drive",
    "dr",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "square",
    "sq",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "terrace",
    "crescent",
    "strasse",
    "str",
    "weg",
    "allee",
    "platz",
    "gasse",
    "damm",
    "chaussee",
    "rue",
    "av",
    "bd",
    "chemin",
    "impasse",
    "quai",
    "calle",
    "avenida",
    "avda",
    "paseo",
    "plaza",
    "carretera",
    "camino",
    "rua",
    "travessa",
    "praca",
    "largo",
    "estrada",
    "alameda",
    "via",
    "viale",
    "piazza",
    "corso",
    "vicolo",
    "straat",
    "laan",
    "plein",
    "gracht",
    "kade",
    "singel",
    "ul",
    "ulica",
    "aleja",
];

/// Word endings that make a street name (`Hauptstraße`, `Kirchweg`, `Dorpsstraat`, `Hoflaan`).
const STREET_ENDINGS: [&str; 9] = [
    "strasse", "str", "straat", "laan", "gracht", "plein", "gasse", "damm", "weg",
];

fn is_house_number(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (1..=4).contains(&digits)
        && t[digits..]
            .trim_start_matches(['-', '/'])
            .bytes()
            .all(|b| b.is_ascii_alphanumeric())
        && t.len() <= digits + 4
}

/// Whether a text holds a street address: a house number within four words of a street word,
/// in any of the eight languages (`12 Baker Street`, `Hauptstr. 5`, `5 rue de Rivoli`,
/// `Via Roma 12`, `ul. Marszałkowska 10`).
pub fn is_street_address(s: &str) -> bool {
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(|t| fold(t.trim_end_matches('.')))
        .collect();
    if words.len() < 2 || words.len() > 16 {
        return false;
    }
    let street: Vec<usize> = (0..words.len())
        .filter(|&i| {
            let w = &words[i];
            STREET_WORDS.contains(&w.as_str())
                || STREET_ENDINGS.iter().any(|e| {
                    w.ends_with(e) && w.len() >= e.len() + 3 && w.chars().all(char::is_alphabetic)
                })
        })
        .collect();
    (0..words.len())
        .filter(|&i| is_house_number(&words[i]))
        .any(|n| street.iter().any(|&s| s != n && s.abs_diff(n) <= 4))
}

fn all_match(s: &str, shape: &str) -> bool {
    // `9` a digit, `A` a letter, `?` a letter or digit, ` ` an optional space, other = itself.
    let mut c = s.chars().peekable();
    for p in shape.chars() {
        match p {
            ' ' => {
                if c.peek() == Some(&' ') {
                    c.next();
                }
            }
            '9' => {
                if !c.next().is_some_and(|x| x.is_ascii_digit()) {
                    return false;
                }
            }
            'A' => {
                if !c.next().is_some_and(|x| x.is_ascii_uppercase()) {
                    return false;
                }
            }
            '?' => {
                if !c.next().is_some_and(|x| x.is_ascii_alphanumeric()) {
                    return false;
                }
            }
            x => {
                if c.next() != Some(x) {
                    return false;
                }
            }
        }
    }
    c.next().is_none()
}

/// Postcode shapes with letters or a dash, unlike plain numbers: UK, Canada, the Netherlands,
/// Poland, Portugal and US ZIP+4.
const POSTCODE_SHAPES: [&str; 12] = [
    "A9 9AA",
    "A99 9AA",
    "AA9 9AA",
    "AA99 9AA",
    "A9A 9AA",
    "AA9A 9AA",
    "A9A 9A9",
    "9999 AA",
    "99-999",
    "9999-999",
    "99999-9999",
    "A9A9 9AA",
];

/// Whether a cell is a postcode: a shape that numbers do not have (`SW1A 1AA`, `1012 AB`,
/// `00-950`, `1000-001`; `D-10115` only `hinted`), or a postcode followed by a place (`10115 Berlin`,
/// `75001 Paris`). With `hinted` (the column's name says postcode), four or five bare digits too.
pub fn is_postcode(s: &str, hinted: bool) -> bool {
    let u = s.trim().to_uppercase();
    let shaped = |t: &str| POSTCODE_SHAPES.iter().any(|p| all_match(t, p));
    // `D-10115` is also how record ids look (`A-00037`): only with the hint.
    if hinted
        && ["A-99999", "A-9999", "AA-9999", "AA-99999"]
            .iter()
            .any(|p| all_match(&u, p))
    {
        return true;
    }
    // `51-200` is a company size more often than a Polish postcode: ranges need the hint.
    if shaped(&u) && (hinted || !is_range(&u)) {
        return true;
    }
    if hinted && (all_match(&u, "9999") || all_match(&u, "99999") || all_match(&u, "999 99")) {
        return true;
    }
    // A postcode and a place: `10115 Berlin`, `00-950 Warszawa`, `1010 Wien` (not `2024 Webinar`).
    let mut parts = s.trim().splitn(2, ' ');
    let (Some(code), Some(place)) = (parts.next(), parts.next()) else {
        return false;
    };
    let year_like = code.len() == 4
        && code
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y));
    let code_ok = (all_match(code, "99999") || all_match(code, "9999") && !year_like)
        || all_match(code, "99-999")
        || all_match(code, "9999-999");
    let place_words: Vec<&str> = place.split_whitespace().collect();
    code_ok
        && (1..=3).contains(&place_words.len())
        && place_words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
        })
}

/// Common given names (folded) in English, German, French, Spanish, Portuguese, Italian, Dutch
/// and Polish. Words that are also months, places, brands or ordinary words (`May`, `Victoria`,
/// `Mercedes`, `Max`, `Will`, `Rose`) are left out: a column is taken as names by the share of
/// its values that hold one of these, so a handful of misses does not matter, but a false match
/// in a product or city column would.
const GIVEN_NAMES: &[&str] = &[
    // English
    "james",
    "john",
    "robert",
    "michael",
    "william",
    "david",
    "richard",
    "joseph",
    "thomas",
    "charles",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "steven",
    "andrew",
    "joshua",
    "kevin",
    "brian",
    "george",
    "edward",
    "ronald",
    "timothy",
    "jason",
    "jeffrey",
    "ryan",
    "jacob",
    "gary",
    "nicholas",
    "eric",
    "jonathan",
    "stephen",
    "larry",
    "justin",
    "scott",
    "brandon",
    "benjamin",
    "samuel",
    "gregory",
    "patrick",
    "alexander",
    "jack",
    "dennis",
    "jerry",
    "tyler",
    "aaron",
    "henry",
    "peter",
    "oliver",
    "harry",
    "mary",
    "patricia",
    "jennifer",
    "linda",
    "elizabeth",
    "barbara",
    "susan",
    "jessica",
    "sarah",
    "karen",
    "lisa",
    "nancy",
    "betty",
    "margaret",
    "sandra",
    "ashley",
    "kimberly",
    "emily",
    "donna",
    "michelle",
    "carol",
    "amanda",
    "melissa",
    "deborah",
    "stephanie",
    "rebecca",
    "laura",
    "sharon",
    "cynthia",
    "kathleen",
    "amy",
    "angela",
    "anna",
    "emma",
    "olivia",
    "sophie",
    "chloe",
    "lucy",
    "hannah",
    "rachel",
    "megan",
    "jane",
    "helen",
    "alice",
    "kate",
    "katie",
    "claire",
    "james",
    "tom",
    "mike",
    "chris",
    "dave",
    "steve",
    "paul",
    "mark",
    "emily",
    "jessica",
    // German
    "hans",
    "jurgen",
    "klaus",
    "wolfgang",
    "stefan",
    "andreas",
    "uwe",
    "frank",
    "bernd",
    "thorsten",
    "torsten",
    "dieter",
    "gunter",
    "horst",
    "helmut",
    "manfred",
    "matthias",
    "markus",
    "sebastian",
    "tobias",
    "florian",
    "lukas",
    "jonas",
    "felix",
    "leon",
    "finn",
    "niklas",
    "moritz",
    "jan",
    "tim",
    "kai",
    "sven",
    "dirk",
    "holger",
    "ralf",
    "rainer",
    "ursula",
    "monika",
    "petra",
    "sabine",
    "renate",
    "helga",
    "karin",
    "brigitte",
    "ingrid",
    "heike",
    "birgit",
    "andrea",
    "claudia",
    "susanne",
    "gabriele",
    "katrin",
    "kathrin",
    "nicole",
    "stefanie",
    "julia",
    "lena",
    "lea",
    "leonie",
    "mia",
    "lina",
    "marie",
    "johanna",
    "anja",
    "silke",
    "ute",
    "jutta",
    "gisela",
    "hannelore",
    "greta",
    "frieda",
    // French
    "jean",
    "pierre",
    "michel",
    "philippe",
    "alain",
    "nicolas",
    "christophe",
    "patrick",
    "jacques",
    "francois",
    "laurent",
    "eric",
    "frederic",
    "olivier",
    "thierry",
    "sebastien",
    "julien",
    "mathieu",
    "guillaume",
    "antoine",
    "hugo",
    "louis",
    "lucas",
    "gabriel",
    "arthur",
    "theo",
    "raphael",
    "clement",
    "baptiste",
    "maxime",
    "romain",
    "vincent",
    "benoit",
    "yves",
    "marie",
    "nathalie",
    "isabelle",
    "sylvie",
    "catherine",
    "francoise",
    "valerie",
    "christine",
    "sandrine",
    "veronique",
    "celine",
    "aurelie",
    "camille",
    "manon",
    "chloe",
    "ines",
    "lea",
    "juliette",
    "louise",
    "jade",
    "elodie",
    "amelie",
    "margaux",
    "pauline",
    "sophie",
    "helene",
    "brigitte",
    "monique",
    "genevieve",
    "anais",
    "mathilde",
    // Spanish
    "jose",
    "antonio",
    "manuel",
    "francisco",
    "juan",
    "javier",
    "carlos",
    "jesus",
    "alejandro",
    "miguel",
    "rafael",
    "pedro",
    "pablo",
    "fernando",
    "sergio",
    "jorge",
    "alberto",
    "luis",
    "alvaro",
    "diego",
    "adrian",
    "raul",
    "enrique",
    "ramon",
    "vicente",
    "ignacio",
    "andres",
    "joaquin",
    "alfonso",
    "maria",
    "carmen",
    "ana",
    "isabel",
    "laura",
    "cristina",
    "marta",
    "lucia",
    "elena",
    "paula",
    "pilar",
    "raquel",
    "rosa",
    "silvia",
    "beatriz",
    "rocio",
    "nuria",
    "alba",
    "sara",
    "irene",
    "patricia",
    "montserrat",
    "esther",
    "noelia",
    "ainhoa",
    "inmaculada",
    "concepcion",
    "consuelo",
    // Portuguese
    "joao",
    "jose",
    "antonio",
    "francisco",
    "carlos",
    "paulo",
    "pedro",
    "lucas",
    "luiz",
    "marcos",
    "luis",
    "gabriel",
    "rafael",
    "daniel",
    "marcelo",
    "bruno",
    "eduardo",
    "felipe",
    "rodrigo",
    "manuel",
    "tiago",
    "thiago",
    "goncalo",
    "rui",
    "nuno",
    "duarte",
    "vitor",
    "fabio",
    "leandro",
    "gustavo",
    "ana",
    "francisca",
    "antonia",
    "adriana",
    "juliana",
    "marcia",
    "fernanda",
    "patricia",
    "aline",
    "beatriz",
    "mariana",
    "ines",
    "leonor",
    "matilde",
    "joana",
    "catarina",
    "rita",
    "margarida",
    "camila",
    "larissa",
    "leticia",
    "vanessa",
    "tatiana",
    // Italian
    "giuseppe",
    "giovanni",
    "antonio",
    "mario",
    "luigi",
    "francesco",
    "angelo",
    "vincenzo",
    "pietro",
    "salvatore",
    "carlo",
    "franco",
    "domenico",
    "bruno",
    "paolo",
    "michele",
    "giorgio",
    "aldo",
    "sergio",
    "luciano",
    "alessandro",
    "andrea",
    "marco",
    "matteo",
    "lorenzo",
    "leonardo",
    "riccardo",
    "davide",
    "stefano",
    "simone",
    "federico",
    "fabio",
    "massimo",
    "maurizio",
    "roberto",
    "gianluca",
    "emanuele",
    "giulia",
    "francesca",
    "chiara",
    "sara",
    "martina",
    "giorgia",
    "alessia",
    "valentina",
    "elisa",
    "federica",
    "silvia",
    "paola",
    "anna",
    "maria",
    "giuseppina",
    "rosa",
    "angela",
    "giovanna",
    "teresa",
    "lucia",
    "carmela",
    "caterina",
    "lucrezia",
    "beatrice",
    "aurora",
    "ginevra",
    "elena",
    // Dutch
    "jan",
    "johannes",
    "pieter",
    "piet",
    "cornelis",
    "kees",
    "willem",
    "hendrik",
    "henk",
    "gerrit",
    "dirk",
    "jacobus",
    "koen",
    "bram",
    "daan",
    "sem",
    "thijs",
    "ruben",
    "niels",
    "joost",
    "bas",
    "jeroen",
    "maarten",
    "wouter",
    "sander",
    "marloes",
    "maria",
    "johanna",
    "anna",
    "cornelia",
    "wilhelmina",
    "elisabeth",
    "hendrika",
    "sanne",
    "fleur",
    "lotte",
    "femke",
    "anouk",
    "eva",
    "iris",
    "ilse",
    "marieke",
    "mieke",
    "anneke",
    "ingrid",
    "esther",
    "saskia",
    "lieke",
    "roos",
    "noor",
    "tess",
    "fenna",
    "jip",
    "luuk",
    "jesse",
    "stijn",
    // Polish
    "piotr",
    "krzysztof",
    "andrzej",
    "tomasz",
    "pawel",
    "jan",
    "michal",
    "marcin",
    "jakub",
    "adam",
    "marek",
    "lukasz",
    "grzegorz",
    "mateusz",
    "wojciech",
    "mariusz",
    "dariusz",
    "zbigniew",
    "jerzy",
    "maciej",
    "rafal",
    "kamil",
    "robert",
    "jacek",
    "szymon",
    "kacper",
    "bartosz",
    "sebastian",
    "anna",
    "maria",
    "katarzyna",
    "malgorzata",
    "agnieszka",
    "barbara",
    "ewa",
    "krystyna",
    "elzbieta",
    "magdalena",
    "joanna",
    "aleksandra",
    "zofia",
    "monika",
    "teresa",
    "danuta",
    "natalia",
    "karolina",
    "marta",
    "beata",
    "dorota",
    "halina",
    "jadwiga",
    "justyna",
    "paulina",
    "zuzanna",
    "oliwia",
    "hanna",
    "julia",
    "kinga",
    "urszula",
    "iwona",
    "grazyna",
    "bozena",
    "renata",
];

/// Common surnames (folded) of the same eight languages; colour and trade words that are also
/// surnames (`Brown`, `White`, `Koch`, `Schwarz`) and brands (`Ferrari`) are left out.
const SURNAMES: &[&str] = &[
    // English
    "smith",
    "johnson",
    "williams",
    "jones",
    "miller",
    "davis",
    "wilson",
    "anderson",
    "taylor",
    "moore",
    "martin",
    "lee",
    "thompson",
    "harris",
    "clark",
    "lewis",
    "robinson",
    "walker",
    "allen",
    "wright",
    "scott",
    "hall",
    "adams",
    "nelson",
    "campbell",
    "mitchell",
    "roberts",
    "carter",
    "phillips",
    "evans",
    "turner",
    "parker",
    "collins",
    "edwards",
    "stewart",
    "morris",
    "murphy",
    "cook",
    "rogers",
    "morgan",
    "cooper",
    "peterson",
    "reed",
    "bailey",
    "kelly",
    "howard",
    "cox",
    "ward",
    "richardson",
    "watson",
    "brooks",
    "bennett",
    "sanders",
    "price",
    "barnes",
    "ross",
    "henderson",
    "jenkins",
    "perry",
    "powell",
    "sullivan",
    "russell",
    "fisher",
    "hughes",
    "patel",
    "obrien",
    "oconnor",
    "walsh",
    "byrne",
    "ryan",
    // German
    "muller",
    "mueller",
    "schmidt",
    "schneider",
    "fischer",
    "meyer",
    "meier",
    "weber",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "schafer",
    "schaefer",
    "bauer",
    "richter",
    "klein",
    "wolf",
    "schroder",
    "schroeder",
    "neumann",
    "zimmermann",
    "kruger",
    "krueger",
    "hofmann",
    "hartmann",
    "lange",
    "schmitt",
    "werner",
    "schmitz",
    "krause",
    "meier",
    "lehmann",
    "schmid",
    "schulze",
    "maier",
    "kohler",
    "herrmann",
    "konig",
    "walter",
    "mayer",
    "huber",
    "kaiser",
    "fuchs",
    "peters",
    "lang",
    "scholz",
    "moller",
    "jung",
    "hahn",
    "schubert",
    "vogel",
    "friedrich",
    "keller",
    "gunther",
    "frank",
    "berger",
    "winkler",
    "roth",
    "beck",
    "lorenz",
    "baumann",
    "franke",
    "albrecht",
    "schuster",
    "simon",
    "ludwig",
    "bohm",
    "winter",
    "kraus",
    "martin",
    "schumacher",
    // French
    "bernard",
    "dubois",
    "thomas",
    "robert",
    "richard",
    "petit",
    "durand",
    "leroy",
    "moreau",
    "laurent",
    "lefebvre",
    "michel",
    "garcia",
    "david",
    "bertrand",
    "roux",
    "vincent",
    "fournier",
    "morel",
    "girard",
    "andre",
    "lefevre",
    "mercier",
    "dupont",
    "lambert",
    "bonnet",
    "francois",
    "martinez",
    "legrand",
    "garnier",
    "faure",
    "rousseau",
    "blanc",
    "guerin",
    "muller",
    "henry",
    "roussel",
    "nicolas",
    "perrin",
    "morin",
    "mathieu",
    "clement",
    "gauthier",
    "dumont",
    "lopez",
    "fontaine",
    "chevalier",
    "robin",
    "masson",
    // Spanish
    "garcia",
    "rodriguez",
    "gonzalez",
    "fernandez",
    "lopez",
    "martinez",
    "sanchez",
    "perez",
    "gomez",
    "martin",
    "jimenez",
    "ruiz",
    "hernandez",
    "diaz",
    "moreno",
    "alvarez",
    "munoz",
    "romero",
    "alonso",
    "gutierrez",
    "navarro",
    "torres",
    "dominguez",
    "vazquez",
    "ramos",
    "gil",
    "ramirez",
    "serrano",
    "blanco",
    "suarez",
    "molina",
    "morales",
    "ortega",
    "delgado",
    "castro",
    "ortiz",
    "rubio",
    "marin",
    "sanz",
    "iglesias",
    "nunez",
    "medina",
    "garrido",
    // Portuguese
    "silva",
    "santos",
    "ferreira",
    "pereira",
    "oliveira",
    "costa",
    "rodrigues",
    "martins",
    "sousa",
    "fernandes",
    "goncalves",
    "gomes",
    "lopes",
    "marques",
    "alves",
    "almeida",
    "ribeiro",
    "pinto",
    "carvalho",
    "teixeira",
    "moreira",
    "correia",
    "mendes",
    "nunes",
    "soares",
    "vieira",
    "monteiro",
    "cardoso",
    "rocha",
    "raposo",
    "neves",
    "coelho",
    "cruz",
    "cunha",
    "pires",
    "ramos",
    "reis",
    "simoes",
    "antunes",
    "matos",
    "fonseca",
    "machado",
    "araujo",
    "barbosa",
    "tavares",
    "lima",
    "azevedo",
    "freitas",
    "moura",
    "batista",
    // Italian
    "rossi",
    "russo",
    "esposito",
    "bianchi",
    "romano",
    "colombo",
    "ricci",
    "marino",
    "greco",
    "bruno",
    "gallo",
    "conti",
    "deluca",
    "mancini",
    "costa",
    "giordano",
    "rizzo",
    "lombardi",
    "moretti",
    "barbieri",
    "fontana",
    "santoro",
    "mariani",
    "rinaldi",
    "caruso",
    "ferrara",
    "galli",
    "martini",
    "leone",
    "longo",
    "gentile",
    "martinelli",
    "vitale",
    "lombardo",
    "serra",
    "coppola",
    "desantis",
    "damico",
    "marchetti",
    "parisi",
    "villa",
    "conte",
    "ferraro",
    "ferri",
    "fabbri",
    "bianco",
    "marini",
    "grasso",
    "valentini",
    "messina",
    // Dutch
    "dejong",
    "jansen",
    "devries",
    "vandenberg",
    "vandijk",
    "bakker",
    "janssen",
    "visser",
    "smit",
    "meijer",
    "deboer",
    "mulder",
    "degroot",
    "bos",
    "vos",
    "peters",
    "hendriks",
    "vanleeuwen",
    "dekker",
    "brouwer",
    "dewit",
    "dijkstra",
    "smits",
    "degraaf",
    "vandermeer",
    "vanderlinden",
    "kok",
    "jacobs",
    "dehaan",
    "vermeulen",
    "vandenheuvel",
    "vanderveen",
    "vandenbroek",
    "debruijn",
    "debruin",
    "vanderheijden",
    "schouten",
    "beek",
    "willems",
    "vanvliet",
    "hoekstra",
    "maas",
    "verhoeven",
    "koster",
    "vandam",
    "prins",
    "blom",
    // Polish
    "nowak",
    "kowalski",
    "kowalska",
    "wisniewski",
    "wisniewska",
    "wojcik",
    "kowalczyk",
    "kaminski",
    "kaminska",
    "lewandowski",
    "lewandowska",
    "zielinski",
    "zielinska",
    "szymanski",
    "szymanska",
    "wozniak",
    "dabrowski",
    "dabrowska",
    "kozlowski",
    "kozlowska",
    "jankowski",
    "jankowska",
    "mazur",
    "kwiatkowski",
    "kwiatkowska",
    "krawczyk",
    "piotrowski",
    "piotrowska",
    "grabowski",
    "grabowska",
    "nowakowski",
    "nowakowska",
    "pawlowski",
    "pawlowska",
    "michalski",
    "michalska",
    "nowicki",
    "nowicka",
    "adamczyk",
    "dudek",
    "zajac",
    "wieczorek",
    "jablonski",
    "jablonska",
    "krol",
    "majewski",
    "majewska",
    "olszewski",
    "olszewska",
    "jaworski",
    "jaworska",
    "wrobel",
    "malinowski",
    "malinowska",
    "pawlak",
    "witkowski",
    "witkowska",
    "walczak",
    "stepien",
    "gorski",
    "gorska",
    "rutkowski",
    "rutkowska",
    "michalak",
    "sikora",
    "ostrowski",
    "ostrowska",
    "baran",
    "duda",
    "szewczyk",
    "tomaszewski",
    "tomaszewska",
    "pietrzak",
    "marciniak",
    "wroblewski",
    "wroblewska",
];

/// Surname particles (`van`, `de`, `von`, `da`…), written before the family name.
const PARTICLES: [&str; 13] = [
    "van", "von", "de", "der", "den", "da", "das", "dos", "di", "del", "della", "du", "ter",
];

/// Polish (and some Slavic) surname endings.
const SURNAME_ENDINGS: [&str; 10] = [
    "owski", "owska", "ewski", "ewska", "inski", "inska", "ycki", "ycka", "wicz", "czyk",
];

fn is_given_name(w: &str) -> bool {
    GIVEN_NAMES.contains(&w)
}

fn is_surname(w: &str) -> bool {
    SURNAMES.contains(&w)
        || SURNAME_ENDINGS
            .iter()
            .any(|e| w.ends_with(e) && w.len() >= e.len() + 2)
}

/// The words of a short name-like text (1–4 words of letters, `-`, `'`, `.`), folded; `None`
/// when the text is not shaped like a name.
fn name_words(s: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    let shaped = words.iter().all(|w| {
        w.chars().count() <= 24
            && w.chars().any(char::is_alphabetic)
            && w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.' || c == '’')
    });
    shaped.then(|| {
        words
            .iter()
            .map(|w| fold(w).replace(['\'', '’', '.'], ""))
            .collect()
    })
}

/// Whether a short text holds a common given name or surname of the eight languages (`Anna`,
/// `Kowalska`, `van Dijk`, `Nowak, Jan`): the content test for name columns.
pub fn has_known_name(s: &str) -> bool {
    let Some(words) = name_words(s) else {
        return false;
    };
    let joined_particle = words
        .windows(2)
        .any(|w| PARTICLES.contains(&w[0].as_str()) && is_surname(&format!("{}{}", w[0], w[1])));
    joined_particle
        || words
            .iter()
            .any(|w| w.split('-').any(|p| is_given_name(p) || is_surname(p)))
}

/// Whether a short text holds a common given name of the eight languages (`Anna`, `Jan`).
pub fn has_given_name(s: &str) -> bool {
    name_words(s).is_some_and(|words| words.iter().any(|w| w.split('-').any(is_given_name)))
}

/// Whether a text is a person's full name: a known given name and a known surname (or a
/// surname with a particle), two to four words (`Anna Krüger`, `Jan van Dijk`, `Kowalska Anna`).
pub fn is_full_name(s: &str) -> bool {
    let Some(words) = name_words(s) else {
        return false;
    };
    if words.len() < 2 {
        return false;
    }
    let given = words.iter().any(|w| w.split('-').any(is_given_name));
    let family = words.iter().any(|w| w.split('-').any(is_surname))
        || words
            .windows(2)
            .any(|w| PARTICLES.contains(&w[0].as_str()) && w[1].len() > 1);
    given && family
}

/// Whether a cell looks like a person's name: 2–4 capitalised words of letters
/// (`Ada Lovelace`, `Jean-Luc Picard`, `Mary O'Neil`).
pub fn is_person_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && w.chars().count() <= 20
                && chars.all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.')
        })
}

/// The personal data a single value contains, if any: an e-mail address, IBAN, card number,
/// IP address, profile link, phone number, street address, postcode or a full person's name.
/// A model never stores such a value, whatever column it is in.
pub fn personal_in_value(s: &str) -> Option<PersonalKind> {
    if contains_email(s) {
        Some(PersonalKind::Email)
    } else if contains_iban(s) {
        Some(PersonalKind::Iban)
    } else if contains_card_number(s) {
        Some(PersonalKind::CardNumber)
    } else if contains_ip(s) {
        Some(PersonalKind::IpAddress)
    } else if contains_profile_url(s) {
        Some(PersonalKind::ProfileUrl)
    } else if contains_phone(s) {
        Some(PersonalKind::Phone)
    } else if is_street_address(s) {
        Some(PersonalKind::StreetAddress)
    } else if is_postcode(s, false) {
        Some(PersonalKind::Postcode)
    } else if is_full_name(s) {
        Some(PersonalKind::PersonName)
    } else {
        None
    }
}

fn name_tokens(column: &str) -> Vec<String> {
    column
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(fold)
        .collect()
}

/// Column-name hints for personal data, in English, German, French, Spanish, Portuguese,
/// Italian, Dutch and Polish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameHints {
    /// The name says phone/mobile/telephone/fax.
    pub phone: bool,
    /// The name says it holds a person's name (`Full Name`, `Vorname`, `Prénom`, `Nazwisko`…).
    pub person: bool,
    /// The name says it names staff: owner, rep, assignee, created by (`Lead Owner`,
    /// `Zuständig`, `Responsable`, `Opiekun`…).
    pub staff: bool,
    /// The name says street/address.
    pub address: bool,
    /// The name says postcode (`ZIP`, `PLZ`, `Code postal`, `CAP`, `Kod pocztowy`…).
    pub postcode: bool,
    /// The name says date of birth (`DOB`, `Geburtsdatum`, `Date de naissance`…).
    pub birth: bool,
    /// The name says notes or comments (free text).
    pub notes: bool,
    /// The name says it is not about a person (company, product, city, source…).
    pub not_person: bool,
    /// The name says it is an id (`id`, `uuid`, `key`…).
    pub id: bool,
}

/// Reads the column name for hints (camelCase and snake_case split too).
pub fn name_hints(column: &str) -> NameHints {
    let mut spaced = String::new();
    let mut prev_lower = false;
    for c in column.chars() {
        if c.is_uppercase() && prev_lower {
            spaced.push(' ');
        }
        prev_lower = c.is_lowercase();
        spaced.push(c);
    }
    let t = name_tokens(&spaced);
    let phrase = format!(" {} ", t.join(" "));
    let has = |w: &[&str]| t.iter().any(|x| w.contains(&x.as_str()));
    let says = |p: &[&str]| p.iter().any(|p| phrase.contains(&format!(" {p} ")));
    const NOT_PERSON: &[&str] = &[
        "company",
        "account",
        "business",
        "organisation",
        "organization",
        "org",
        "campaign",
        "product",
        "page",
        "stage",
        "source",
        "segment",
        "file",
        "domain",
        "city",
        "country",
        "industry",
        "event",
        "list",
        "form",
        "deal",
        "opportunity",
        "brand",
        "plan",
        "entreprise",
        "societe",
        "firma",
        "firmen",
        "unternehmen",
        "empresa",
        "compania",
        "companhia",
        "azienda",
        "societa",
        "bedrijf",
        "organizacja",
        "produit",
        "produkt",
        "producto",
        "produto",
        "prodotto",
        "campagne",
        "kampagne",
        "campana",
        "campanha",
        "campagna",
        "kampania",
        "ville",
        "stadt",
        "ort",
        "ciudad",
        "cidade",
        "citta",
        "stad",
        "plaats",
        "miasto",
        "pays",
        "land",
        "pais",
        "paese",
        "kraj",
        "quelle",
        "fuente",
        "fonte",
        "bron",
        "zrodlo",
        "secteur",
        "branche",
        "sector",
        "settore",
        "branza",
        "region",
        "state",
        "team",
        "group",
        "tag",
        "tags",
        "category",
        "type",
        "status",
        "channel",
        "medium",
        "job",
        "title",
        "role",
        "position",
        "school",
        "university",
        "course",
        "specialization",
        "occupation",
    ];
    let not_person = has(NOT_PERSON);
    let person_words = has(&[
        "firstname",
        "lastname",
        "fullname",
        "surname",
        "forename",
        "givenname",
        "familyname",
        "contactname",
        "person",
        "username",
        "nickname",
        "vorname",
        "nachname",
        "familienname",
        "ansprechpartner",
        "kontaktperson",
        "prenom",
        "interlocuteur",
        "apellido",
        "apellidos",
        "sobrenome",
        "apelido",
        "cognome",
        "referente",
        "nominativo",
        "voornaam",
        "achternaam",
        "tussenvoegsel",
        "contactpersoon",
        "roepnaam",
        "imie",
        "nazwisko",
    ]) || says(&["osoba kontaktowa", "nom de famille", "user name"]);
    let name_word = has(&["name", "nom", "nome", "nombre", "naam"]);
    let qualifier = has(&[
        "first", "last", "full", "given", "family", "middle", "lead", "customer", "client",
        "contact", "complet", "completo", "primeiro", "ultimo", "de", "del", "do", "da", "cliente",
        "kunde", "kunden", "klant", "klient",
    ]);
    let staff = !has(&["user"])
        && has(&[
            "owner",
            "owners",
            "rep",
            "reps",
            "salesrep",
            "assignee",
            "salesperson",
            "salesman",
            "saleswoman",
            "agent",
            "sdr",
            "bdr",
            "accountmanager",
            "besitzer",
            "inhaber",
            "verantwortlich",
            "verantwortlicher",
            "betreuer",
            "zustandig",
            "zustaendig",
            "sachbearbeiter",
            "bearbeiter",
            "vertriebsmitarbeiter",
            "vertriebler",
            "ersteller",
            "kundenbetreuer",
            "proprietaire",
            "responsable",
            "vendeur",
            "propietario",
            "vendedor",
            "agente",
            "proprietario",
            "responsavel",
            "dono",
            "responsabile",
            "venditore",
            "eigenaar",
            "verantwoordelijke",
            "verkoper",
            "behandelaar",
            "wlasciciel",
            "opiekun",
            "handlowiec",
            "odpowiedzialny",
        ])
        || says(&[
            "created by",
            "modified by",
            "updated by",
            "changed by",
            "assigned to",
            "owned by",
            "handled by",
            "sales person",
            "account manager",
            "key account manager",
            "erstellt von",
            "bearbeitet von",
            "zugewiesen an",
            "cree par",
            "attribue a",
            "assigne a",
            "charge de compte",
            "asignado a",
            "creado por",
            "atribuido a",
            "criado por",
            "assegnato a",
            "creato da",
            "toegewezen aan",
            "aangemaakt door",
            "przypisany do",
            "utworzony przez",
        ]);
    let folded = fold(column);
    let birth = [
        "birth",
        "geburt",
        "geboren",
        "naissance",
        "nacimiento",
        "nascimento",
        "nascita",
        "geboorte",
        "urodz",
    ]
    .iter()
    .any(|w| folded.contains(w))
        || has(&["dob", "born"]);
    NameHints {
        phone: has(&[
            "phone",
            "mobile",
            "telephone",
            "tel",
            "fax",
            "cell",
            "cellphone",
            "whatsapp",
            "telefon",
            "telefono",
            "telefone",
            "telefoon",
            "handy",
            "mobil",
            "mobiel",
            "portable",
            "movil",
            "celular",
            "telemovel",
            "cellulare",
            "komorka",
            "telefonnummer",
        ]),
        person: !not_person && (person_words || name_word && (t.len() == 1 || qualifier)),
        staff,
        address: has(&[
            "address",
            "street",
            "addr",
            "adresse",
            "strasse",
            "anschrift",
            "direccion",
            "calle",
            "endereco",
            "morada",
            "rua",
            "indirizzo",
            "adres",
            "straat",
            "adresu",
            "ulica",
        ]) && !has(&["email", "mail", "ip", "web", "url"]),
        postcode: has(&[
            "zip",
            "zipcode",
            "postcode",
            "postal",
            "postalcode",
            "plz",
            "postleitzahl",
            "cp",
            "cap",
            "postcodes",
            "pocztowy",
        ]) || says(&["code postal", "codigo postal", "codice postale"]),
        birth,
        notes: has(&[
            "note",
            "notes",
            "comment",
            "comments",
            "remark",
            "remarks",
            "description",
            "memo",
            "message",
            "feedback",
            "bemerkung",
            "bemerkungen",
            "notiz",
            "notizen",
            "kommentar",
            "kommentare",
            "beschreibung",
            "anmerkung",
            "anmerkungen",
            "nachricht",
            "remarque",
            "remarques",
            "commentaire",
            "commentaires",
            "observation",
            "observations",
            "nota",
            "notas",
            "comentario",
            "comentarios",
            "observaciones",
            "observacoes",
            "mensaje",
            "mensagem",
            "descricao",
            "descripcion",
            "commento",
            "commenti",
            "descrizione",
            "messaggio",
            "opmerking",
            "opmerkingen",
            "notitie",
            "notities",
            "omschrijving",
            "bericht",
            "uwagi",
            "komentarz",
            "notatka",
            "opis",
            "wiadomosc",
        ]),
        not_person,
        id: has(&["id", "uuid", "guid", "key", "identifier"])
            || t.last()
                .is_some_and(|l| l.ends_with("id") && l.len() > 2 && column.ends_with("Id")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(
            email_domain("Ann.Lee@Acme.COM").as_deref(),
            Some("acme.com")
        );
        assert!(!is_email("not an email"));
        assert!(!is_email("a@b"));
        assert!(is_free_mail("gmail.com"));
        assert!(
            is_ip("192.168.0.1") && is_ip("2001:db8::1") && !is_ip("1.2.3") && !is_ip("300.1.1.1")
        );
        assert!(is_phone("+1 (753) 862-3017", true) && is_phone("030 1234567", true));
        assert!(!is_phone("5551234567", true) && is_phone("5551234567", false));
        assert!(!is_phone("1234567.89", true) && !is_phone("-1234567", true));
        assert!(is_street_address("12 Baker Street") && is_street_address("Hauptstrasse 5"));
        assert!(!is_street_address("Organic Search"));
        assert!(
            is_person_name("Ada Lovelace") && !is_person_name("ada") && !is_person_name("Q3 Plan")
        );
    }

    #[test]
    fn hints() {
        assert!(
            name_hints("Full Name").person
                && name_hints("first_name").person
                && name_hints("Name").person
        );
        assert!(!name_hints("Company Name").person && !name_hints("Lead Source").person);
        assert!(name_hints("Mobile Phone").phone && name_hints("Street Address").address);
        assert!(!name_hints("Email Address").address);
        assert!(name_hints("Prospect ID").id && name_hints("leadId").id && !name_hints("Paid").id);
    }
}
