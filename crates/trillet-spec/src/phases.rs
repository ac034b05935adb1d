//! The phases of [`SpecValidator::from_yaml_str`](crate::SpecValidator::from_yaml_str),
//! one function each, so that `benches/validate_examples.rs` measures them instead of
//! guessing. Not a stable interface.

use serde_json::Value;

use crate::compile::{self, Root};
use crate::load::{yaml_to_json, LoadError};
use crate::validator::Walked;

/// Phase 1: the YAML text parsed into JSON (after the limits of the text are checked).
///
/// # Errors
///
/// As [`SpecValidator::from_yaml_str`](crate::SpecValidator::from_yaml_str).
pub fn parse(text: &str) -> Result<Value, LoadError> {
    yaml_to_json(text)
}

/// The result of phase 2.
pub struct Converted<'d>(Walked<'d>);

/// Phase 2: the document walked, every schema converted to JSON Schema, the examples
/// collected.
///
/// # Errors
///
/// As [`SpecValidator::from_yaml_str`](crate::SpecValidator::from_yaml_str).
pub fn convert<'d>(text: &'d str, document: &'d Value) -> Result<Converted<'d>, LoadError> {
    Walked::new(text, document).map(Converted)
}

/// Phase 3: every converted schema compiled (from a copy of them, which this includes);
/// returns how many.
///
/// # Errors
///
/// The pointer of a schema that cannot be compiled, and why.
pub fn compile(converted: &Converted<'_>) -> Result<usize, (String, String)> {
    let builder = &converted.0.builder;
    let roots = builder
        .roots
        .iter()
        .map(|root| Root {
            schema: root.schema.clone(),
            refs: root.refs.clone(),
            pointer: root.pointer.clone(),
            direction: root.direction,
        })
        .collect();
    compile::compile(
        roots,
        builder.defs.clone(),
        &builder.refs,
        compile::Way::Shared,
        None,
    )
    .map(|_| builder.roots.len())
}
