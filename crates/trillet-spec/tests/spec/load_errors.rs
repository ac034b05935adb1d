//! Documents that cannot be loaded say where and why.

use trillet_spec::{LoadError, SpecValidator};

/// Loads `yaml`, which must fail with `message` (the error's one-line display).
fn check(yaml: &str, message: &str) {
    match SpecValidator::from_yaml_str(yaml) {
        Ok(_) => panic!("loaded, but should fail with: {message}"),
        Err(error) => assert_eq!(error.to_string(), message),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn yaml_syntax_errors_name_line_and_column() {
    let error =
        SpecValidator::from_yaml_str("openapi: 3.0.3\npaths:\n  /a: [\n").expect_err("broken YAML");
    assert!(
        matches!(error, LoadError::Syntax { line: 4, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("line 4, column 1: YAML syntax error: "),
        "{error}"
    );
}

#[test]
fn structural_problems_name_the_line_and_the_pointer() {
    check(
        "openapi: 3.1.0\n",
        r#"line 1: at #/openapi: only OpenAPI 3.0.x documents are supported, this one says "3.1.0""#,
    );
    check(
        &format!("{HEAD}paths:\n  /a:\n    get:\n      responses: {{}}\n"),
        "line 5: at #/paths/~1a/get: every operation needs an `operationId`",
    );
    check(
        &format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: x\n  /b:\n    get:\n      operationId: x\n"),
        r#"line 8: at #/paths/~1b/get: operationId "x" is already used at #/paths/~1a/get; operationIds must be unique"#,
    );
    check(
        &format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: x\n      responses:\n        '404':\n          $ref: '#/components/responses/Missing'\n"
        ),
        "line 9: at #/paths/~1a/get/responses/404/$ref: `$ref` \"#/components/responses/Missing\" points at nothing in this document",
    );
    check(
        &format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: x\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: 'other.yaml#/Thing'\n"
        ),
        "line 11: at #/paths/~1a/post/requestBody/content/application~1json/schema/$ref: schema `$ref` \"other.yaml#/Thing\" must point into #/components/schemas/",
    );
    check(
        &format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: x\n      requestBody:\n        content:\n          application/json:\n            examples:\n              empty:\n                summary: no value\n"
        ),
        "line 11: at #/paths/~1a/post/requestBody/content/application~1json/examples/empty: an Example Object needs a `value` (or an `externalValue`)",
    );
}
