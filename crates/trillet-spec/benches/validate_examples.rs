//! How long checking every inline example of `openapi/trillet.yaml` takes:
//! (a) with the validators already compiled, (b) end to end from the YAML text.
//!
//! `cargo bench -p trillet-spec -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use trillet_spec::{SpecValidator, EMBEDDED_DOCUMENT};

fn all_valid(spec: &SpecValidator) -> bool {
    spec.validate_examples()
        .iter()
        .all(|outcome| outcome.result.is_ok())
}

fn validate_examples(c: &mut Criterion) {
    let spec = SpecValidator::embedded();
    assert!(
        all_valid(spec),
        "the benchmark measures a document whose examples hold"
    );
    let count = spec.examples().len();

    c.bench_function(&format!("validate {count} examples (compiled)"), |b| {
        b.iter(|| all_valid(black_box(spec)));
    });
    c.bench_function(
        &format!("parse + compile + validate {count} examples"),
        |b| {
            b.iter(|| {
                let spec = SpecValidator::from_yaml_str(black_box(EMBEDDED_DOCUMENT))
                    .expect("the embedded document loads");
                all_valid(&spec)
            });
        },
    );
}

criterion_group!(benches, validate_examples);
criterion_main!(benches);
