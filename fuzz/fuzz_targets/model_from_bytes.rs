//! Fuzzes the model loader: any bytes → `Model::from_bytes` gives a model or an `Error`, never a
//! panic; a model that loads must score a record and a small table, explain a binary lead, and
//! write bytes that load back to the same model.
//!
//! The first byte picks the mode. With bit 0 set, the rest is read as a model file without its
//! last 4 bytes and the target rewrites the payload length and appends a correct CRC-32, so
//! mutations reach the payload decoder and the model's validation instead of stopping at the
//! checksum (a seed model file with bit 0 set loads unchanged).
#![no_main]

use leadforest::data::{CsvOptions, Table};
use leadforest::explain::Explainer;
use leadforest::model::Model;
use libfuzzer_sys::fuzz_target;

/// Makes `file` (a model file minus its CRC) self-consistent: payload length and checksum.
fn fix_up(mut file: Vec<u8>) -> Vec<u8> {
    if file.len() >= 16 {
        let writer_len = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
        let start = 24usize.saturating_add(writer_len);
        if start <= file.len() {
            let payload = (file.len() - start) as u64;
            file[16 + writer_len..start].copy_from_slice(&payload.to_le_bytes());
        }
    }
    let crc = crc32fast::hash(&file);
    file.extend_from_slice(&crc.to_le_bytes());
    file
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let bytes = if flags & 1 != 0 {
        fix_up(rest[..rest.len().saturating_sub(4)].to_vec())
    } else {
        rest.to_vec()
    };
    let Ok(model) = Model::from_bytes(&bytes) else {
        return;
    };

    // A record with some text in every column the model reads (cycling a few kinds of cell).
    let cells = ["1", "abc", "", "2024-01-31", "-3.5e9", "true", "NaN"];
    let pick = |name: &str| {
        let i = name.len().wrapping_add(flags as usize) % (cells.len() + 1);
        cells.get(i).map(|s| s.to_string())
    };
    let probs = model.score_record(&pick);
    assert_eq!(
        probs.len(),
        if model.n_outputs() == 1 {
            1
        } else {
            model.n_classes()
        }
    );
    let row = model.pipeline.encode_record(&pick);
    let raw = model.predict_row(&row);
    if let Some(scoring) = &model.scoring {
        let lead = scoring.score(probs.iter().copied().fold(0.0, f64::max));
        let _ = scoring.tier_name(lead.tier);
    }
    if let Ok(mut explainer) = Explainer::new(&model.trees, &model.base_score, model.features.len())
    {
        if model.n_outputs() == 1 {
            let c = explainer.explain(&row, 0);
            let _ = leadforest::explain::reasons(&c.values, &row, &model.pipeline, 3);
            let _ = raw;
        }
    }
    for f in 0..model.features.len() {
        let _ = model
            .pipeline
            .describe_value(f, row.get(f).copied().unwrap_or(f64::NAN));
    }

    // A small table with the model's own column names.
    let mut csv = String::new();
    let names: Vec<&str> = model
        .pipeline
        .features
        .iter()
        .map(|f| f.source.as_str())
        .collect();
    if !names.is_empty() && names.iter().all(|n| !n.contains(['"', ',', '\n', '\r'])) {
        csv.push_str(&names.join(","));
        csv.push('\n');
        for r in 0..3 {
            let row: Vec<&str> = (0..names.len())
                .map(|c| cells[(r + c) % cells.len()])
                .collect();
            csv.push_str(&row.join(","));
            csv.push('\n');
        }
        let options = CsvOptions {
            missing: model.pipeline.missing.clone(),
            ..CsvOptions::default()
        };
        if let Ok(table) = Table::from_csv(csv.as_bytes(), &options) {
            let _ = model.score_table(&table);
        }
    }

    // What loads must save and load back to the same model.
    let again = model.to_bytes();
    let back = Model::from_bytes(&again).expect("a loaded model's own bytes load");
    // Compared as bytes: a fuzzed model may hold NaN, which `==` never matches.
    assert!(
        back.to_bytes() == again,
        "a model changed through to_bytes/from_bytes"
    );
});
