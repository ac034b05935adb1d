//! How long checking every inline example of `openapi/trillet.yaml` takes:
//! (a) with the validators already compiled, (b) end to end from the YAML text, and
//! (c) each phase of loading on its own: parse (YAML to JSON), convert (walk the document,
//! OpenAPI schemas to JSON Schema, collect the examples), compile (every validator).
//!
//! `cargo bench -p trillet-spec --bench validate_examples -- --warm-up-time 1 --measurement-time 3`
//!
//! With `TRILLET_BENCH_SPEC=<file>` (a synthetic document of
//! `tools/bench/synthetic_spec.py`) the phases are measured on that document too.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use trillet_spec::{phases, SpecValidator, EMBEDDED_DOCUMENT};

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
    phases_of(c, "trillet.yaml", EMBEDDED_DOCUMENT);
    if let Some(path) = std::env::var_os("TRILLET_BENCH_SPEC") {
        let text = std::fs::read_to_string(&path).expect("TRILLET_BENCH_SPEC names a file");
        let name = std::path::Path::new(&path)
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        phases_of(c, &name, &text);
        c.bench_function(&format!("{name}: parse + compile + validate"), |b| {
            b.iter(|| {
                let spec = SpecValidator::from_yaml_str(black_box(&text)).expect("it loads");
                all_valid(&spec)
            });
        });
    }
}

/// The phases of loading `text`, one benchmark each.
fn phases_of(c: &mut Criterion, name: &str, text: &str) {
    let document = phases::parse(text).expect("the document parses");
    let converted = phases::convert(text, &document).expect("the document converts");
    let schemas = phases::compile(&converted).expect("the schemas compile");

    c.bench_function(&format!("{name}: phase parse (YAML to JSON)"), |b| {
        b.iter(|| phases::parse(black_box(text)).expect("parses"));
    });
    c.bench_function(&format!("{name}: phase convert (walk, convert)"), |b| {
        b.iter(|| {
            phases::convert(black_box(text), black_box(&document))
                .map(|_| ())
                .expect("converts");
        });
    });
    c.bench_function(&format!("{name}: phase compile ({schemas} schemas)"), |b| {
        b.iter(|| phases::compile(black_box(&converted)).expect("compiles"));
    });
}

criterion_group!(benches, validate_examples);
criterion_main!(benches);
