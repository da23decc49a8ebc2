//! Fuzzes the data layer from raw bytes: CSV reading, inference, Dataset, Pipeline, Profile.
//! Any input must give a value or an `Error`, never a panic; the pipeline must reproduce the
//! training features exactly.
#![no_main]

use leadforest::data::{CsvOptions, Dataset, DatasetOptions, Profile, Table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the options; the rest is the file.
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let options = CsvOptions {
        skip_bad_rows: flags & 1 != 0,
        missing: if flags & 2 != 0 {
            vec!["Select".into()]
        } else {
            Vec::new()
        },
        has_header: flags & 4 == 0,
        delimiter: if flags & 8 != 0 { Some(';') } else { None },
        ..CsvOptions::default()
    };
    let _ = leadforest::data::summarize_csv(bytes);
    let Ok(table) = Table::from_csv(bytes, &options) else {
        return;
    };
    let _ = Profile::new(&table, &DatasetOptions::default()).map(|p| p.to_text());
    for col in table.columns.iter().rev().take(2) {
        let mut o = DatasetOptions::target(&col.name);
        o.exclude_leaky = flags & 16 != 0;
        if flags & 32 != 0 {
            o.positive = col.top_values(1).into_iter().map(|(v, _)| v).collect();
        }
        let _ = Profile::new(&table, &o).map(|p| p.to_text());
        let Ok(d) = Dataset::new(&table, &o) else {
            continue;
        };
        let encoded = d
            .pipeline
            .features_from_table(&table)
            .expect("encoding a table never fails");
        let rows: Vec<usize> = (0..table.n_rows)
            .filter(|&r| col.text(r).is_some())
            .collect();
        for (f, feature) in d.features.iter().enumerate() {
            assert_eq!(feature.values.len(), d.labels.len());
            for (i, &r) in rows.iter().enumerate().take(feature.values.len()) {
                let (a, b) = (feature.values[i], encoded[f][r]);
                assert!(
                    a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan(),
                    "{}: {a} vs {b}",
                    feature.name
                );
            }
            let _ = d
                .pipeline
                .describe_value(f, feature.values.first().copied().unwrap_or(f64::NAN));
        }
        let record = d.pipeline.encode_record(&|name: &str| {
            table.column(name).and_then(|c| c.text(0)).map(String::from)
        });
        assert_eq!(record.len(), d.features.len());
        let _ = postcard::to_allocvec(&d.pipeline);
    }
});
