//! Recognising personal data: e-mail addresses, phone numbers, people's names, street addresses
//! and IP addresses, from cell values and column names.

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

/// Whether a cell looks like a phone number: 7–15 digits with only `+ - ( ) . /` and spaces
/// around them. With `strict`, a leading `+`, a separator or parentheses are also required
/// (a bare run of digits could be any number).
pub fn is_phone(s: &str, strict: bool) -> bool {
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let allowed = s
        .bytes()
        .all(|b| b.is_ascii_digit() || b" +-().x/".contains(&b));
    let has_form = s.starts_with('+') || s.contains(['(', '-', ' ', '.', '/']);
    allowed
        && (7..=15).contains(&digits)
        && (!strict || has_form && s.parse::<f64>().is_err())
        && !s.ends_with(['-', '.'])
}

const STREET_WORDS: [&str; 28] = [
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
    "strasse",
    "straße",
    "rue",
    "calle",
];

/// Whether a cell looks like a street address: a house number and a street word
/// (`12 Baker Street`, `Hauptstrasse 5`, `5 rue de Rivoli`).
pub fn is_street_address(s: &str) -> bool {
    let tokens: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(|t| t.trim_end_matches('.').to_lowercase())
        .collect();
    if tokens.len() < 2 || tokens.len() > 12 {
        return false;
    }
    let has_number = tokens
        .iter()
        .any(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    let has_street = tokens.iter().any(|t| {
        STREET_WORDS.contains(&t.as_str()) || t.ends_with("strasse") || t.ends_with("straße")
    });
    has_number && has_street
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

fn name_tokens(column: &str) -> Vec<String> {
    column
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Column-name hints for personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameHints {
    /// The name says phone/mobile/telephone/fax.
    pub phone: bool,
    /// The name says it holds a person's name (`Full Name`, `First Name`, `Contact`…).
    pub person: bool,
    /// The name says street/address.
    pub address: bool,
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
    let has = |w: &[&str]| t.iter().any(|x| w.contains(&x.as_str()));
    const NOT_PERSON: [&str; 24] = [
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
    ];
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
        ]),
        person: !has(&NOT_PERSON)
            && (has(&[
                "firstname",
                "lastname",
                "fullname",
                "surname",
                "forename",
                "contact",
                "person",
            ]) || has(&["name"])
                && (t.len() == 1
                    || has(&[
                        "first", "last", "full", "given", "family", "middle", "lead", "customer",
                        "client", "contact",
                    ]))),
        address: has(&["address", "street", "addr"])
            && !has(&["email", "mail", "ip", "web", "url"]),
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
