//! The fixture documents, each loaded once.

use std::sync::OnceLock;

use trillet_spec::{SpecValidator, ValidationError};

pub const PETSTORE: &str = include_str!("../fixtures/petstore.yaml");

pub fn petstore() -> &'static SpecValidator {
    static SPEC: OnceLock<SpecValidator> = OnceLock::new();
    SPEC.get_or_init(|| match SpecValidator::from_yaml_str(PETSTORE) {
        Ok(spec) => spec,
        Err(error) => panic!("tests/fixtures/petstore.yaml does not load: {error}"),
    })
}

pub const KENNELS: &str = include_str!("../fixtures/lint.yaml");

/// The lint fixture: a create and an update of one resource, and every composition.
pub fn kennels() -> &'static SpecValidator {
    static SPEC: OnceLock<SpecValidator> = OnceLock::new();
    SPEC.get_or_init(|| match SpecValidator::from_yaml_str(KENNELS) {
        Ok(spec) => spec,
        Err(error) => panic!("tests/fixtures/lint.yaml does not load: {error}"),
    })
}

/// The one-line violations of a result, empty when it is `Ok`; other errors as their message.
pub fn lines(result: Result<(), ValidationError>) -> Vec<String> {
    match result {
        Ok(()) => Vec::new(),
        Err(ValidationError::Invalid(violations)) => {
            violations.iter().map(ToString::to_string).collect()
        }
        Err(other) => vec![other.to_string()],
    }
}
