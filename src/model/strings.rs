//! Every string a model file stores, where it is stored and what it is used for
//! ([`Model::stored_strings`]): the answer to "what does this file give away?" shown by
//! `leadforest inspect MODEL --strings`, `Model.strings()` in JS and the app before a download.
//!
//! The strings are collected by serializing the same values [`Model::to_bytes`] writes through a
//! serde serializer that records each string with its field path, so a string field added to a
//! stored type is listed without anyone remembering to list it (a test also checks that every
//! readable run of bytes in a file is covered by a listed string).

use serde::ser::{self, Serialize};
use serde::Serialize as DeriveSerialize;

use super::Model;

/// One string stored in a model file.
#[derive(Debug, Clone, PartialEq, Eq, DeriveSerialize)]
pub struct StoredString {
    /// The text as stored.
    pub value: String,
    /// The file section holding it (`header`, `features`, `classes`, `training-info`, `pipeline`,
    /// `scoring`, `training-profile`, `training-context`, `lineage`, `validation`, `evaluation`,
    /// `privacy`).
    pub section: String,
    /// The field inside the section, e.g. `features[2].transform.Category.codes.{key}`.
    pub field: String,
    /// What the model uses it for, in words.
    #[serde(rename = "use")]
    pub usage: String,
}

impl Model {
    /// Every string the model's file stores ([`Model::to_bytes`]), in file order, with the
    /// section, the field and what it is used for. Column names, category labels, the cell texts
    /// scoring matches, class names, settings and report texts are all listed; nothing else in
    /// the file is text (trees, bins and calibration are numbers).
    pub fn stored_strings(&self) -> Vec<StoredString> {
        let mut out = Vec::new();
        let mut add = |section: &str, value: &dyn ErasedSerialize| {
            let mut c = Collector::default();
            value.erased(&mut c);
            for (field, v) in c.found {
                let usage = usage(section, &field);
                out.push(StoredString {
                    value: v,
                    section: section.to_string(),
                    field,
                    usage,
                });
            }
        };
        add("header", &crate::VERSION);
        add("features", &self.features);
        add("classes", &self.class_names);
        add("training-info", &self.info);
        add("pipeline", &self.pipeline);
        if let Some(s) = &self.scoring {
            add("scoring", s);
        }
        if let Some(p) = &self.training_profile {
            add("training-profile", p);
            add("training-context", &p.constant_columns);
            if let Some(r) = &p.privacy {
                add("privacy", r);
            }
        }
        if let Some(l) = &self.lineage {
            add("lineage", l);
        }
        if let Some(v) = &self.validation {
            add("validation", v);
        }
        if let Some(e) = &self.evaluation {
            add("evaluation", e);
        }
        if let Some(t) = &self.trained_at {
            add("evaluation", t);
        }
        out
    }
}

/// `Serialize` behind a `dyn` (serde's trait is not object safe).
trait ErasedSerialize {
    fn erased(&self, c: &mut Collector);
}

impl<T: Serialize + ?Sized> ErasedSerialize for T {
    fn erased(&self, c: &mut Collector) {
        // The collector never fails.
        let _ = self.serialize(&mut *c);
    }
}

/// What a stored string is for, from its section and field path.
fn usage(section: &str, field: &str) -> String {
    let has = |s: &str| field.contains(s);
    let last = field.rsplit('.').next().unwrap_or(field);
    match section {
        "header" => "the leadforest version that wrote the file".into(),
        "features" if last.starts_with("name") => "a model input's name (shown in reasons)".into(),
        "features" if last.starts_with("source") => "the CSV column the input is read from".into(),
        "features" => "a category label (shown in reasons and reports)".into(),
        "classes" => "an outcome's name (the target's values)".into(),
        "training-info" if has("target") => "the target column's name".into(),
        "training-info" if has("config") => "the training settings (JSON)".into(),
        "training-info" if has("metrics") => "the name of a metric measured in training".into(),
        "training-info" => "the leadforest version that trained the model".into(),
        "pipeline" if has("codes.{key}") && has("EmailDomain") => {
            "an e-mail domain matched when scoring (kept: used by enough training rows)".into()
        }
        "pipeline" if has("codes.{key}") => {
            "a cell text matched when scoring (a category used by enough training rows)".into()
        }
        "pipeline" if has("missing") && !has("features") => {
            "a text read as a missing value".into()
        }
        "pipeline" if last.starts_with("source") => "the CSV column a feature is read from".into(),
        "pipeline" if last.starts_with("name") => "a model input's name".into(),
        "pipeline" if has("categories") => "a category label of a model input".into(),
        "pipeline" => "a cell format (currency sign)".into(),
        "scoring" if has("tiers") && last.starts_with("action") => {
            "a tier's suggested action".into()
        }
        "scoring" if has("tiers") => "a tier's name".into(),
        "scoring" => "the calibration method or a scoring setting's name".into(),
        "training-profile" => "a drift-profile label".into(),
        "training-context" if last.starts_with("value") => {
            "the one value a left-out column had on every training row (drift tells when it starts to vary)"
                .into()
        }
        "training-context" => "a column left out for having one value (for drift)".into(),
        "privacy" => "a personal-data column the user chose to train on, and why it is personal".into(),
        "lineage" if has("created_by") => "the command that made the model".into(),
        "lineage" if has("checksum") => "the parent model file's checksum".into(),
        "lineage" => "a date of the model's data window".into(),
        "evaluation" if field.is_empty() => "when the model was trained".into(),
        "evaluation" if has("tiers") => "a tier's name or action in the evaluation report".into(),
        "evaluation" if has("importance") => "a column named in the importance table".into(),
        "evaluation" if has("class") => "an outcome's name in the evaluation report".into(),
        "evaluation" => "a text of the evaluation report measured at training".into(),
        "validation" if has("time_column") => "the column that orders rows in time".into(),
        "validation" => "how training validated the model (dates, split, notes)".into(),
        _ => "stored text".into(),
    }
}

/// A serde serializer that records every string with its field path and writes nothing.
#[derive(Default)]
struct Collector {
    path: Vec<String>,
    found: Vec<(String, String)>,
}

impl Collector {
    fn record(&mut self, s: &str) {
        self.found.push((self.path.join("."), s.to_string()));
    }
    fn with<T: Serialize + ?Sized>(&mut self, segment: String, v: &T) {
        self.path.push(segment);
        let _ = v.serialize(&mut *self);
        self.path.pop();
    }
}

/// The collector's error: never produced, but serde wants one.
#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

/// A sequence, tuple, map or struct being collected: counts elements for the path.
struct Compound<'a> {
    c: &'a mut Collector,
    index: usize,
    /// For enum variants: the variant name, pushed before the fields.
    variant: Option<&'static str>,
}

impl<'a> Compound<'a> {
    fn new(c: &'a mut Collector, variant: Option<&'static str>) -> Self {
        if let Some(v) = variant {
            c.path.push(v.to_string());
        }
        Compound {
            c,
            index: 0,
            variant,
        }
    }
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) {
        let i = self.index;
        self.index += 1;
        match self.c.path.last_mut() {
            // `a[0]` rather than `a.[0]`.
            Some(last) if self.variant.is_none() => {
                let base = last.clone();
                *last = format!("{base}[{i}]");
                let _ = v.serialize(&mut *self.c);
                *self.c.path.last_mut().expect("pushed") = base;
            }
            _ => self.c.with(format!("[{i}]"), v),
        }
    }
    fn done(self) {
        if self.variant.is_some() {
            self.c.path.pop();
        }
    }
}

macro_rules! nothing {
    ($($name:ident: $t:ty),*) => {
        $(fn $name(self, _: $t) -> Result<(), Never> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Collector {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    nothing!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_bytes: &[u8]);

    fn serialize_char(self, v: char) -> Result<(), Never> {
        self.record(&v.to_string());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.record(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        // Stored as an index, not as text.
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.with(variant.to_string(), v);
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self, None))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self, None))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self, None))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self, Some(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self, None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self, None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Never> {
        Ok(Compound::new(self, Some(variant)))
    }
}

/// The serde compound traits: elements of a sequence, tuple or tuple variant are numbered
/// (`[i]`), fields of a struct are named, map keys and values are `{key}` / `{value}`.
macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
                self.element(v);
                Ok(())
            }
            fn end(self) -> Result<(), Never> {
                self.done();
                Ok(())
            }
        }
    )*};
}
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                v: &T,
            ) -> Result<(), Never> {
                self.c.with(name.to_string(), v);
                Ok(())
            }
            fn end(self) -> Result<(), Never> {
                self.done();
                Ok(())
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Never> {
        self.c.with("{key}".to_string(), k);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        self.c.with("{value}".to_string(), v);
        Ok(())
    }
    fn end(self) -> Result<(), Never> {
        self.done();
        Ok(())
    }
}

/// Readable runs (at least `min` printable UTF-8 characters, no control bytes) in `bytes`: what
/// someone looking at the file with `strings` would see.
pub fn readable_runs(bytes: &[u8], min: usize) -> Vec<String> {
    let mut runs = Vec::new();
    let text = String::from_utf8_lossy(bytes);
    let mut cur = String::new();
    for ch in text.chars() {
        if ch != char::REPLACEMENT_CHARACTER && !ch.is_control() {
            cur.push(ch);
        } else {
            if cur.chars().count() >= min {
                runs.push(std::mem::take(&mut cur));
            }
            cur.clear();
        }
    }
    if cur.chars().count() >= min {
        runs.push(cur);
    }
    runs
}

/// Runs of at least `min` letters in `s`.
pub fn letter_words(s: &str, min: usize) -> Vec<String> {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= min)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{CsvOptions, Dataset, DatasetOptions, Table};
    use crate::train::{TrainConfig, Trainer};

    fn model() -> Model {
        let csv = crate::demo::demo_csv(600, 3);
        let table = Table::from_csv(csv.as_bytes(), &CsvOptions::default()).unwrap();
        let mut options = DatasetOptions::target("Converted");
        options.drop = vec!["Funnel Stage".into()];
        let data = Dataset::new(&table, &options).unwrap();
        Trainer::new(TrainConfig {
            n_trees: 8,
            ..Default::default()
        })
        .fit(&data, &mut |_| std::ops::ControlFlow::Continue(()))
        .unwrap()
    }

    #[test]
    fn lists_strings_with_their_place_and_use() {
        let m = model();
        let s = m.stored_strings();
        let find = |section: &str, value: &str| {
            s.iter()
                .find(|x| x.section == section && x.value == value)
                .unwrap_or_else(|| panic!("{section}: {value} not listed"))
        };
        assert_eq!(find("header", crate::VERSION).field, "");
        assert!(find("features", "Lead Source").field.starts_with("[")); // `[3].name`
        assert!(s
            .iter()
            .any(|x| x.value == "Lead Source" && x.field.ends_with("].source")));
        let code = s
            .iter()
            .find(|x| x.section == "pipeline" && x.field.contains("codes.{key}"))
            .expect("category spellings are listed");
        assert!(code.usage.contains("matched when scoring"), "{code:?}");
        assert!(s.iter().all(|x| !x.usage.is_empty()));
    }

    #[test]
    fn every_readable_run_in_the_file_is_a_listed_string() {
        let m = model();
        let bytes = m.to_bytes();
        let listed: Vec<String> = m.stored_strings().into_iter().map(|s| s.value).collect();
        // The evaluation section is JSON: its keys are the format's words, not data.
        fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, x) in m {
                        out.push(k.clone());
                        keys(x, out);
                    }
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
                _ => {}
            }
        }
        let mut json_keys = vec!["evaluation".to_string(), "trained_at".to_string()];
        keys(
            &serde_json::to_value(&m.evaluation).unwrap(),
            &mut json_keys,
        );
        let listed: Vec<String> = listed.into_iter().chain(json_keys).collect();
        // Section names and the magic are the format's own words, not data.
        let format_words = [
            "LEADFRST",
            "pipeline",
            "scoring",
            "training-profile",
            "training-context",
            "lineage",
            "validation",
            "privacy",
        ];
        for run in readable_runs(&bytes, 5) {
            // Numbers can be printable bytes by chance; words cannot, often: every run of five
            // or more letters must come from a listed string (or be the format's own words).
            for word in letter_words(&run, 5) {
                let covered = listed
                    .iter()
                    .map(String::as_str)
                    .chain(format_words)
                    .any(|w| {
                        // Length bytes and numbers beside a string can be letters too: up to
                        // three on either side.
                        let chars: Vec<char> = word.chars().collect();
                        let n = chars.len();
                        (0..=3.min(n)).any(|a| {
                            (0..=3.min(n - a)).any(|b| {
                                n - a - b >= 4
                                    && w.contains(&chars[a..n - b].iter().collect::<String>())
                            })
                        })
                    });
                assert!(
                    covered,
                    "the word {word:?} (in {run:?}) is not in a listed string"
                );
            }
        }
    }
}
