//! The personal-data detectors, one by one and in each language, and the values that must not be
//! taken as personal (product names, job titles, company sizes, cities in a `City` column…).
#![cfg(not(target_arch = "wasm32"))]

use leadforest::data::pii::{self, name_hints};
use leadforest::data::{ColumnKind, CsvOptions, PersonalKind, Table};

/// The kind inferred for a column `name` holding `values` (cycled over 60 rows, one row in five
/// left empty), next to a filler column.
fn kind(name: &str, values: &[&str]) -> ColumnKind {
    let mut csv = format!("\"{name}\",filler\n");
    for i in 0..60 {
        let v = if i % 5 == 4 {
            ""
        } else {
            values[i % values.len()]
        };
        csv.push_str(&format!("\"{}\",{}\n", v.replace('"', "\"\""), i % 3));
    }
    Table::from_csv(csv.as_bytes(), &CsvOptions::default())
        .unwrap()
        .columns[0]
        .kind
}

fn personal(name: &str, values: &[&str]) -> Option<PersonalKind> {
    match kind(name, values) {
        ColumnKind::Personal(p) => Some(p),
        _ => None,
    }
}

#[test]
fn e_mail_columns_with_gaps_and_notes_with_addresses() {
    // 72 % addresses, the rest placeholders in several languages: an e-mail column.
    let mut v = vec!["anna.krueger40@firma5.de"; 18];
    v.extend([
        "unknown",
        "not given",
        "kein Eintrag",
        "non renseigné",
        "no informado",
        "brak",
    ]);
    v.extend(["j.nowak@poczta.pl", "m.rossi@azienda.it"]);
    assert_eq!(personal("Kontakt E-Mail", &v), Some(PersonalKind::Email));
    assert!(pii::contains_email("cc anna.krueger40@firma5.de"));
    assert!(!pii::contains_email("email opened"));
    let notes = [
        "ok",
        "cc anna.krueger40@firma5.de",
        "follow up",
        "-",
        "call",
        "cc p.silva@empresa.pt",
    ];
    assert_eq!(kind("Info", &notes), ColumnKind::FreeText);
}

#[test]
fn phone_numbers_in_each_country_form() {
    for p in [
        "+49 30 1234567",
        "030 1234567",
        "+33 6 12 34 56 78",
        "06 12 34 56 78",
        "+34 612 345 678",
        "+351 912 345 678",
        "+39 06 1234 5678",
        "+31 20 123 4567",
        "020-1234567",
        "+48 612 345 678",
        "(555) 123-4567",
        "555.123.4567",
    ] {
        assert!(pii::is_phone(p, true), "{p}");
    }
    assert!(pii::contains_phone("Rückruf unter +49 171 2345678 erbeten"));
    assert!(pii::contains_phone("rappeler au 06 12 34 56 78"));
    // Ranges, years and sizes are not phone numbers.
    for not in [
        "1000-5000",
        "2019/2020",
        "10-50",
        "12.03.2024",
        "1,000,000",
        "Q3 2024",
        "1001-5000",
    ] {
        assert!(!pii::is_phone(not, true), "{not}");
        assert!(!pii::contains_phone(not), "{not}");
    }
    let v = [
        "+49 30 1234567",
        "n/a",
        "-",
        "0170 9876543",
        "+48 501 234 567",
    ];
    assert_eq!(personal("Telefon", &v), Some(PersonalKind::Phone));
    assert_eq!(personal("Handynummer", &v), Some(PersonalKind::Phone));
    assert_eq!(personal("Téléphone", &v), Some(PersonalKind::Phone));
}

#[test]
fn ibans_and_card_numbers() {
    for iban in [
        "DE89 3704 0044 0532 0130 00",
        "FR14 2004 1010 0505 0001 3M02 606",
        "ES91 2100 0418 4502 0005 1332",
        "PT50 0002 0123 1234 5678 9015 4",
        "IT60 X054 2811 1010 0000 0123 456",
        "NL91 ABNA 0417 1643 00",
        "PL61 1090 1014 0000 0712 1981 2874",
        "GB29 NWBK 6016 1331 9268 19",
    ] {
        assert!(pii::is_iban(iban), "{iban}");
        assert!(pii::contains_iban(&format!("Konto: {iban}")), "{iban}");
    }
    assert!(!pii::is_iban("DE89 3704 0044 0532 0130 01"), "bad checksum");
    assert!(!pii::contains_iban("ISO 9001 certified"));
    assert!(pii::is_card_number("4111 1111 1111 1111"));
    assert!(pii::contains_card_number("card 5500-0000-0000-0004 exp"));
    assert!(!pii::is_card_number("4111 1111 1111 1112"));
    let v = ["DE89 3704 0044 0532 0130 00", "", "NL91ABNA0417164300"];
    assert_eq!(personal("Bankverbindung", &v), Some(PersonalKind::Iban));
    assert_eq!(personal("Rekening", &v), Some(PersonalKind::Iban));
}

#[test]
fn ip_addresses_and_profile_links() {
    assert!(pii::contains_ip("login from 192.168.10.4"));
    assert!(pii::is_ip("2001:db8::1"));
    assert!(!pii::is_ip("1.2.3"));
    for url in [
        "https://www.linkedin.com/in/anna-krueger-123",
        "de.linkedin.com/in/jan-kowalski",
        "https://www.xing.com/profile/Juergen_Mueller",
        "twitter.com/mrossi",
        "https://github.com/pieterdevries",
        "https://www.facebook.com/maria.garcia.77",
        "https://example.com/people/joao-silva",
    ] {
        assert!(pii::is_profile_url(url), "{url}");
    }
    for not in [
        "https://www.linkedin.com/company/acme",
        "https://acme.com",
        "www.acme.com/pricing",
        "facebook.com/pages/acme",
    ] {
        assert!(!pii::is_profile_url(not), "{not}");
    }
    let v = ["https://www.linkedin.com/in/anna-krueger-123", "", "", "-"];
    assert_eq!(personal("Social", &v), Some(PersonalKind::ProfileUrl));
}

#[test]
fn street_addresses_in_eight_languages() {
    for a in [
        "12 Baker Street",
        "Hauptstraße 5",
        "Kirchweg 12a",
        "5 rue de Rivoli",
        "Calle Mayor 10, Madrid",
        "Rua Augusta 100",
        "Via Roma 12",
        "Dorpsstraat 7",
        "ul. Marszałkowska 10",
    ] {
        assert!(pii::is_street_address(a), "{a}");
    }
    for not in [
        "Organic Search",
        "Route 66 campaign",
        "Offering 5",
        "Q3 Plan 2",
        "Head of Sales",
    ] {
        assert!(!pii::is_street_address(not), "{not}");
    }
    let v = [
        "Hauptstraße 5",
        "Via Roma 12",
        "5 rue de Rivoli",
        "ul. Marszałkowska 10",
    ];
    assert_eq!(personal("Anschrift", &v), Some(PersonalKind::StreetAddress));
    assert_eq!(personal("Lieu", &v), Some(PersonalKind::StreetAddress));
}

#[test]
fn postcodes_by_shape_and_by_name() {
    for p in [
        "SW1A 1AA",
        "1012 AB",
        "00-950",
        "1000-001",
        "10115 Berlin",
        "75001 Paris",
        "12345-6789",
    ] {
        assert!(pii::is_postcode(p, false), "{p}");
    }
    for not in ["2024 Webinar", "51-200", "1-10", "A-00037", "12345"] {
        assert!(!pii::is_postcode(not, false), "{not}");
    }
    let five = ["10115", "80331", "20095", "50667", "01067"];
    for name in [
        "PLZ",
        "Postleitzahl",
        "Code postal",
        "Código postal",
        "CAP",
        "Kod pocztowy",
        "ZIP",
    ] {
        assert_eq!(
            personal(name, &five),
            Some(PersonalKind::Postcode),
            "{name}"
        );
    }
}

#[test]
fn birth_dates_by_name_and_by_content() {
    let dates = ["1971-03-12", "1985-11-02", "1990-07-23", "1964-01-30"];
    for name in [
        "Date of Birth",
        "DOB",
        "Geburtsdatum",
        "Date de naissance",
        "Fecha de nacimiento",
        "Data de nascimento",
        "Data di nascita",
        "Geboortedatum",
        "Data urodzenia",
    ] {
        assert_eq!(
            personal(name, &dates),
            Some(PersonalKind::BirthDate),
            "{name}"
        );
    }
    // No telling name: dates decades before the file's other dates are dates of birth.
    let mut csv = String::from("Created,Datum,y\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "2025-{:02}-{:02},{}-{:02}-{:02},{}\n",
            1 + i % 12,
            1 + i % 28,
            1950 + i,
            1 + i % 12,
            1 + i % 27,
            i % 2
        ));
    }
    let t = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
    let d = t.column("Datum").unwrap();
    assert_eq!(d.kind, ColumnKind::Personal(PersonalKind::BirthDate));
    assert!(d.excluded_because.as_deref().unwrap().contains("`Created`"));
    assert_eq!(t.column("Created").unwrap().kind, ColumnKind::Date);
    // Never the time key, even when asked.
    let mut o = leadforest::data::DatasetOptions::target("y");
    o.time_column = Some("Datum".into());
    let e = leadforest::data::Dataset::new(&t, &o)
        .unwrap_err()
        .to_string();
    assert!(e.contains("personal data"), "{e}");
}

#[test]
fn person_names_by_header_in_eight_languages() {
    let names = [
        "Quorin", "Velmira", "Tashko", "Brunhold", "Ysolde", "Kestrin", "Odalric", "Mirela",
    ];
    for header in [
        "First Name",
        "Vorname",
        "Nachname",
        "Prénom",
        "Nom",
        "Nombre",
        "Apellidos",
        "Nome",
        "Sobrenome",
        "Cognome",
        "Voornaam",
        "Achternaam",
        "Imię",
        "Nazwisko",
    ] {
        assert_eq!(
            personal(header, &names),
            Some(PersonalKind::PersonName),
            "{header}"
        );
    }
}

#[test]
fn person_names_by_content_in_eight_languages() {
    let by_language: [&[&str]; 8] = [
        &[
            "James Smith",
            "Sarah Johnson",
            "Michael Taylor",
            "Emily Walker",
        ],
        &[
            "Jürgen Müller",
            "Sabine Schneider",
            "Matthias Hoffmann",
            "Katrin Becker",
        ],
        &[
            "Élodie Dubois",
            "François Lefèvre",
            "Camille Moreau",
            "Julien Girard",
        ],
        &[
            "María García",
            "Javier Fernández",
            "Lucía López",
            "Carlos Martínez",
        ],
        &[
            "João Silva",
            "Mariana Ferreira",
            "Gonçalo Carvalho",
            "Inês Sousa",
        ],
        &[
            "Giuseppe Rossi",
            "Chiara Esposito",
            "Lorenzo Bianchi",
            "Francesca Ricci",
        ],
        &[
            "Pieter de Vries",
            "Femke van Dijk",
            "Joost Jansen",
            "Saskia Bakker",
        ],
        &[
            "Małgorzata Wiśniewska",
            "Łukasz Kowalski",
            "Katarzyna Nowak",
            "Wojciech Lewandowski",
        ],
    ];
    for names in by_language {
        assert_eq!(
            personal("Ref", names),
            Some(PersonalKind::PersonName),
            "{names:?}"
        );
        for n in names {
            assert!(pii::is_full_name(n), "{n}");
        }
    }
    // Single given names under a header that says nothing.
    let given = [
        "Anna", "Jan", "Pieter", "Giulia", "Lukas", "Inês", "Zofia", "Camille",
    ];
    assert_eq!(
        personal("Kolumna 3", &given),
        Some(PersonalKind::PersonName)
    );
}

#[test]
fn staff_columns_in_eight_languages() {
    let reps = ["Hannelore Brandt", "Rémi Castelnau", "Inés Villalobos"];
    for header in [
        "Lead Owner",
        "Assigned To",
        "Created By",
        "Sales Rep",
        "Zuständig",
        "Betreuer",
        "Responsable",
        "Propietario",
        "Responsável",
        "Assegnato a",
        "Eigenaar",
        "Opiekun",
    ] {
        assert_eq!(
            personal(header, &reps),
            Some(PersonalKind::Staff),
            "{header}"
        );
    }
    // A constant owner is still personal: its value is never kept as a constant column's value.
    assert_eq!(
        personal("Account Owner", &["Anna Krüger"; 1]),
        Some(PersonalKind::Staff)
    );
}

#[test]
fn what_is_not_personal_stays_a_feature() {
    let cases: [(&str, &[&str]); 11] = [
        // A few labels that are also surnames (`Price`, `Long`, `King`) are codes, not people.
        ("Refund Reason", &["price", "timing", "support"]),
        (
            "Deal Type",
            &["Long", "Short", "King Account", "Young Company"],
        ),
        (
            "Product",
            &[
                "Leadforest Pro",
                "Starter Plan",
                "Enterprise Suite",
                "Add-on Pack",
            ],
        ),
        (
            "Job Title",
            &[
                "Sales Manager",
                "Head of Marketing",
                "CTO",
                "Office Manager",
                "Geschäftsführer",
                "Directeur commercial",
            ],
        ),
        (
            "Company Size",
            &["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"],
        ),
        (
            "City",
            &[
                "Paris", "Florence", "Victoria", "Berlin", "Jackson", "Warszawa",
            ],
        ),
        (
            "Stadt",
            &["München", "Köln", "Frankfurt am Main", "Hamburg"],
        ),
        ("Industry", &["Software", "Retail", "Banking", "Healthcare"]),
        (
            "Lead Source",
            &[
                "Google",
                "Olark Chat",
                "Direct Traffic",
                "Reference",
                "Welingak Website",
            ],
        ),
        (
            "Campaign",
            &["2024 Webinar", "Q3 Plan 2", "Spring Promo", "Black Friday"],
        ),
        ("Color", &["Black", "White", "Green", "Brown"]),
    ];
    for (name, values) in cases {
        assert_eq!(
            kind(name, values),
            ColumnKind::Categorical,
            "{name}: {values:?}"
        );
    }
    assert_eq!(
        kind("Annual Revenue", &["1000000", "250000", "50000"]),
        ColumnKind::Numeric
    );
    // Hints that must not fire.
    for name in [
        "Company Name",
        "Nom de l'entreprise",
        "Nome azienda",
        "Bedrijfsnaam",
        "Contact method",
    ] {
        assert!(!name_hints(name).person, "{name}");
    }
    assert!(!name_hints("User Agent").staff && !name_hints("Ownership").staff);
    assert!(!name_hints("Last Notable Activity").notes);
}
