//! Structure-aware model-file fuzzing (issue 19): the input drives `arbitrary` to build a model's
//! parts — trees with arbitrary child links (shared children, cycles, long chains, dangling
//! links), features, a pipeline that may disagree with them, calibration, tiers and a training
//! profile of any shape — which are then encoded *validly* with `Model::to_bytes`, so every input
//! gets past magic, checksum and decoding into `Model::from_bytes`' validation. A model that loads
//! must score a record and a table, explain every output, measure drift, export ONNX and
//! round-trip, in bounded time and memory (run with `-timeout` and `-rss_limit_mb`).
#![no_main]

use leadforest::data::{
    CsvOptions, FeatureInfo as PipelineFeature, FeatureKind, NumberFormat, Pipeline, Table,
    Transform,
};
use leadforest::explain::Explainer;
use leadforest::lifecycle::{Bins, TrainingProfile};
use leadforest::model::calibration::Calibrator;
use leadforest::model::scoring::Scoring;
use leadforest::model::tiers::{Tier, Tiers};
use leadforest::model::tree::{Node, Split, Tree, LEAF};
use leadforest::model::{FeatureInfo, Model, ModelKind, ModelParts, TrainingInfo};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

const CELLS: [&str; 7] = ["1", "abc", "", "2024-01-31", "-3.5e9", "b", "NaN"];

fn float(u: &mut Unstructured) -> Result<f64> {
    Ok(match u.int_in_range(0u8..=7)? {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -1.0,
        3 => 0.0,
        4 => 0.5,
        5 => 1.0,
        _ => u.arbitrary::<f64>()?,
    })
}

fn prob(u: &mut Unstructured) -> Result<f64> {
    Ok(if u.ratio(1u8, 8)? {
        float(u)?
    } else {
        u.int_in_range(0u16..=1000)? as f64 / 1000.0
    })
}

/// A node index near `len`: mostly in range, sometimes just outside, sometimes anything.
fn link(u: &mut Unstructured, len: usize) -> Result<u32> {
    Ok(match u.int_in_range(0u8..=9)? {
        0 => u.arbitrary()?,
        1 => len as u32,
        _ => u.int_in_range(0..=len.saturating_sub(1) as u32)?,
    })
}

fn tree(u: &mut Unstructured, n_features: usize) -> Result<Tree> {
    // Shapes worth reaching on purpose: a chain (deep), a DAG (shared children), or free-form.
    let shape = u.int_in_range(0u8..=3)?;
    let len = u.int_in_range(1usize..=if shape == 0 { 700 } else { 40 })?;
    let mut nodes = Vec::with_capacity(len);
    for i in 0..len {
        let leaf = i + 1 == len || u.ratio(1u8, 3)?;
        let (left, right) = match shape {
            0 => ((i + 1) as u32, (i + 2).min(len - 1) as u32),
            1 => ((i + 1) as u32, (i + 1) as u32),
            _ => (link(u, len)?, link(u, len)?),
        };
        let split = match u.int_in_range(0u8..=4)? {
            0 => Split::Leaf,
            1 | 2 => Split::Categorical {
                left: (0..u.int_in_range(0usize..=3)?)
                    .map(|_| u.arbitrary())
                    .collect::<Result<_>>()?,
            },
            _ => Split::Numeric {
                threshold: float(u)?,
            },
        };
        nodes.push(Node {
            feature: if leaf && shape != 0 {
                LEAF
            } else {
                u.int_in_range(0..=n_features as u32)?
            },
            split,
            left,
            right,
            default_left: u.arbitrary()?,
            value: float(u)?,
            cover: float(u)?.abs(),
        });
    }
    Ok(Tree { nodes })
}

fn bins(u: &mut Unstructured, kind: &FeatureKind) -> Result<Bins> {
    let n = |u: &mut Unstructured| -> Result<u64> {
        Ok(if u.ratio(1u8, 10)? {
            u.arbitrary()?
        } else {
            u.int_in_range(0u64..=50)?
        })
    };
    let categorical = matches!(kind, FeatureKind::Categorical { .. }) != u.ratio(1u8, 10)?;
    Ok(if categorical {
        let k = match kind {
            FeatureKind::Categorical { categories } if !u.ratio(1u8, 10)? => categories.len(),
            _ => u.int_in_range(0usize..=4)?,
        };
        Bins::Categorical {
            counts: (0..k).map(|_| n(u)).collect::<Result<_>>()?,
            other: n(u)?,
            missing: n(u)?,
        }
    } else {
        let e = u.int_in_range(0usize..=4)?;
        let mut edges: Vec<f64> = (0..e).map(|_| float(u)).collect::<Result<_>>()?;
        if u.ratio(3u8, 4)? {
            edges.sort_by(f64::total_cmp);
        }
        let c = if u.ratio(1u8, 10)? { e } else { e + 1 };
        Bins::Numeric {
            edges,
            counts: (0..c).map(|_| n(u)).collect::<Result<_>>()?,
            missing: n(u)?,
        }
    })
}

fn model(u: &mut Unstructured) -> Result<Model> {
    let n_features = u.int_in_range(0usize..=5)?;
    let mut features = Vec::with_capacity(n_features);
    for f in 0..n_features {
        let kind = if u.arbitrary()? {
            FeatureKind::Categorical {
                categories: (0..u.int_in_range(0usize..=4)?)
                    .map(|c| format!("c{c}"))
                    .collect(),
            }
        } else {
            FeatureKind::Numeric
        };
        features.push(FeatureInfo {
            name: format!("f{f}"),
            source: format!("col{}", f % 3),
            kind,
        });
    }
    let mut pipeline_features: Vec<PipelineFeature> = features
        .iter()
        .map(|f| PipelineFeature {
            name: f.name.clone(),
            source: f.source.clone(),
            kind: f.kind.clone(),
            transform: match &f.kind {
                FeatureKind::Numeric => Transform::Number(NumberFormat::default()),
                FeatureKind::Categorical { categories } => Transform::Category {
                    codes: categories
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (c.clone(), i as u32))
                        .collect::<BTreeMap<_, _>>(),
                    other: None,
                    unseen_is_other: false,
                },
            },
        })
        .collect();
    match u.int_in_range(0u8..=9)? {
        0 => pipeline_features.clear(),
        1 => {
            pipeline_features.pop();
        }
        2 if pipeline_features.len() >= 2 => pipeline_features.swap(0, 1),
        3 => pipeline_features.extend(pipeline_features.first().cloned()),
        _ => {}
    }
    let n_classes = u.int_in_range(1usize..=4)?;
    let n_out = if u.ratio(1u8, 8)? {
        u.int_in_range(0usize..=5)?
    } else if n_classes == 2 {
        1
    } else {
        n_classes
    };
    let n_trees = u.int_in_range(0usize..=6)?;
    let trees = (0..n_trees)
        .map(|_| tree(u, n_features))
        .collect::<Result<_>>()?;
    let mut m = Model::new(ModelParts {
        kind: if u.arbitrary()? {
            ModelKind::GradientBoosting
        } else {
            ModelKind::RandomForest
        },
        features,
        pipeline: Pipeline {
            features: pipeline_features,
            missing: Vec::new(),
        },
        class_names: (0..n_classes).map(|c| format!("class {c}")).collect(),
        base_score: (0..n_out).map(|_| float(u)).collect::<Result<_>>()?,
        trees,
        info: TrainingInfo::default(),
    });
    if u.arbitrary()? {
        let calibrator = match u.int_in_range(0u8..=2)? {
            0 => Calibrator::Identity,
            1 => Calibrator::Platt {
                a: float(u)?,
                b: float(u)?,
            },
            _ => {
                let n = u.int_in_range(0usize..=4)?;
                let ny = if u.ratio(1u8, 6)? { n / 2 } else { n };
                let mut x: Vec<f64> = (0..n).map(|_| prob(u)).collect::<Result<_>>()?;
                x.sort_by(f64::total_cmp);
                Calibrator::Isotonic {
                    x,
                    y: (0..ny).map(|_| prob(u)).collect::<Result<_>>()?,
                }
            }
        };
        let tiers = (0..u.int_in_range(0usize..=4)?)
            .map(|i| {
                Ok(Tier {
                    name: format!("T{i}"),
                    action: String::new(),
                    min_probability: prob(u)?,
                })
            })
            .collect::<Result<_>>()?;
        m.scoring = Some(Scoring {
            calibrator,
            tiers: Tiers { tiers },
            threshold: prob(u)?,
            calibration_report: None,
        });
    }
    if u.arbitrary()? {
        let mut features = m
            .features
            .iter()
            .map(|f| bins(u, &f.kind))
            .collect::<Result<Vec<_>>>()?;
        if u.ratio(1u8, 10)? {
            features.pop();
        }
        m.training_profile = Some(TrainingProfile {
            rows: u.int_in_range(0u64..=100)?,
            features,
            score: if u.arbitrary()? {
                Some(bins(u, &FeatureKind::Numeric)?)
            } else {
                None
            },
            score_held_out: false,
            constant_columns: Vec::new(),
            class_counts: (0..u.int_in_range(0usize..=4)?)
                .map(|_| u.int_in_range(0u64..=20))
                .collect::<Result<_>>()?,
        });
    }
    Ok(m)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(built) = model(&mut u) else {
        return;
    };
    let bytes = built.to_bytes();
    let Ok(model) = Model::from_bytes(&bytes) else {
        return;
    };
    let pick = |name: &str| CELLS.get(name.len() % 8).map(|s| s.to_string());
    let probs = model.score_record(&pick);
    assert_eq!(
        probs.len(),
        if model.n_outputs() == 1 {
            1
        } else {
            model.n_classes()
        }
    );
    if let Some(s) = &model.scoring {
        let lead = s.score(probs[0]);
        let _ = s.tier_name(lead.tier);
    }
    let row = model.pipeline.encode_record(&pick);
    let mut explainer = Explainer::new(&model.trees, &model.base_score, model.features.len())
        .expect("a loaded model can be explained");
    for k in 0..model.n_outputs() {
        let c = explainer.explain(&row, k);
        let _ = leadforest::explain::reasons(&c.values, &row, &model.pipeline, 3);
    }
    let csv = "col0,col1,col2\n1,abc,b\n,2024-01-31,-3.5e9\nNaN,c1,c0\n";
    if let Ok(table) = Table::from_csv(csv.as_bytes(), &CsvOptions::default()) {
        let _ = model.score_table(&table);
        let _ = leadforest::lifecycle::drift(&model, &table);
    }
    let _ = leadforest::interop::model_to_onnx(&model);
    let again = model.to_bytes();
    let back = Model::from_bytes(&again).expect("a loaded model's own bytes load");
    assert!(back.to_bytes() == again, "a model changed through to_bytes/from_bytes");
});
