//! The pipeline end to end on small documents: what the generated client looks like.

use super::*;

/// The generated progenitor file of `text`, wrappers appended (the old single file).
fn client_code(text: &str) -> String {
    let rendered = render(text, "t.yaml").expect("generates");
    format!("{}{}", rendered.progenitor, rendered.wrappers)
}

const MINIMAL: &str = "\
openapi: 3.0.3
info: {title: T, version: 1.0.0}
paths:
  /things:
    get:
      operationId: listThings
      x-trillet-retry: idempotent
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
        '4XX':
          description: no
          content:
            application/json:
              schema: {type: object}
  /upload:
    post:
      operationId: upload
      x-trillet-retry: side-effecting
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object}
      responses:
        '200': {description: ok}
";

#[test]
fn removes_multipart_operations_and_reports_them() {
    let generated = render(MINIMAL, "t.yaml").expect("generates");
    let code = format!("{}{}", generated.progenitor, generated.wrappers);
    assert_eq!(
        generated.removed,
        vec![Removed {
            operation_id: "upload".into(),
            media_type: "multipart/form-data".into()
        }]
    );
    assert_eq!(
        generated.removed[0].to_string(),
        "removed upload (multipart/form-data): hand-written in crates/trillet"
    );
    for file in [
        &generated.progenitor,
        &generated.wrappers,
        &generated.operations,
    ] {
        assert!(file.starts_with(HEADER), "{file}");
    }
    assert!(code.contains("pub async fn list_things"));
    assert!(!code.contains("pub async fn upload"));
    let operations: String = generated.operations.split_whitespace().collect();
    assert!(
        operations.contains("pub(crate)constUPLOAD:&Operation=&OPERATIONS[1];"),
        "{operations}"
    );
}

#[test]
fn generator_errors_are_reported() {
    // No operationId: progenitor refuses the operation.
    let text = MINIMAL.replace("      operationId: listThings\n", "");
    let error = render(&text, "t.yaml").expect_err("refused");
    assert!(matches!(error, GenError::Generator(_)), "{error}");
}

#[test]
fn generator_panics_are_caught_and_reported() {
    // Two media types on one request body make progenitor 0.15 panic.
    let text = MINIMAL.replace(
            "          multipart/form-data:\n            schema: {type: object}\n",
            "          application/json:\n            schema: {type: object}\n          application/xml:\n            schema: {type: object}\n",
        );
    let error = render(&text, "t.yaml").expect_err("panics");
    assert!(matches!(error, GenError::Panic(_)), "{error}");
    assert!(
        error.to_string().starts_with("progenitor panicked: "),
        "{error}"
    );
}

#[test]
fn nullable_request_only_fields_become_double_options() {
    let text = "\
openapi: 3.0.3
info: {title: T, version: 1.0.0}
paths:
  /things:
    put:
      operationId: putThing
      x-trillet-retry: idempotent
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Patch'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Patch:
      type: object
      properties:
        key: {type: string, nullable: true}
    Thing:
      type: object
      properties:
        key: {type: string, nullable: true}
";
    let code = client_code(text);
    let compact: String = code.split_whitespace().collect();
    assert!(
        compact
            .contains("pubkey:::std::option::Option<::std::option::Option<::std::string::String>>"),
        "{code}"
    );
    assert!(
        compact.contains("pubkey:::std::option::Option<::std::string::String>"),
        "{code}"
    );
}

/// A document with one operation `listThings` of `extra` (YAML at the operation's
/// indentation) returning `status`.
fn one_operation(extra: &str, status: u16) -> String {
    format!(
        "\
openapi: 3.0.3
info: {{title: T, version: 1.0.0}}
paths:
  /things:
    get:
      operationId: listThings
      x-trillet-retry: idempotent
{extra}      responses:
        '{status}':
          description: ok
          content:
            application/json:
              schema: {{type: array, items: {{type: string}}}}
"
    )
}

fn compact(code: &str) -> String {
    code.split_whitespace().collect()
}

#[test]
fn a_lone_success_code_accepts_any_2xx() {
    for status in [200, 201] {
        let code = client_code(&one_operation("", status));
        assert!(code.contains("200..=299 =>"), "{status}: {code}");
    }
}

#[test]
fn deprecated_operations_have_deprecated_methods() {
    let code = client_code(&one_operation("      deprecated: true\n", 200));
    let compact = compact(&code);
    assert!(
        compact.contains(")]pubasyncfnlist_things<'a>(&'aself,)->Result<"),
        "the wrapper is deprecated: {code}"
    );
    assert_eq!(compact.matches("#[deprecated(").count(), 1, "{code}");
}

#[test]
fn many_query_parameters_become_one_query_struct() {
    let parameters = "      parameters:\n".to_string()
            + &["pageNumber", "agentId", "callType", "search"]
                .iter()
                .map(|name| {
                    format!(
                        "        - {{name: {name}, in: query, description: The {name}., schema: {{type: string}}}}\n"
                    )
                })
                .collect::<String>();
    let code = client_code(&one_operation(&parameters, 200));
    let compact = compact(&code);
    assert!(
        compact.contains("pubasyncfnlist_things<'a>(&'aself,query:&'atypes::ListThingsQuery,)"),
        "{code}"
    );
    assert!(
            compact.contains(
                "pubstructListThingsQuery{///ThepageNumber.pubpage_number:::std::option::Option<::std::string::String>,///TheagentId.pubagent_id"
            ),
            "fields in document order, with their docs: {code}"
        );
    assert!(compact.contains("query.call_type.as_deref()"), "{code}");

    // Three stay positional.
    let three = parameters.lines().take(4).collect::<Vec<_>>().join("\n") + "\n";
    let positional = client_code(&one_operation(&three, 200));
    assert!(!positional.contains("ListThingsQuery"), "{positional}");
}

#[test]
fn required_query_parameters_stay_positional_beside_the_query_struct() {
    let mut parameters = "      parameters:\n        - {name: country, in: query, required: true, description: The country., schema: {type: string}}\n".to_string();
    for name in ["type", "contains", "areaCode", "search"] {
        parameters += &format!(
                "        - {{name: {name}, in: query, description: The {name}., schema: {{type: string}}}}\n"
            );
    }
    let code = client_code(&one_operation(&parameters, 200));
    let compact = compact(&code);
    assert!(
        compact.contains(
            "pubasyncfnlist_things<'a>(&'aself,country:&'astr,query:&'atypes::ListThingsQuery,)"
        ),
        "{code}"
    );
    assert!(
        compact.contains("pubstructListThingsQuery{///Thetype.pubtype_:"),
        "a keyword becomes `type_`, as progenitor names the argument: {code}"
    );
    assert!(!compact.contains("pubcountry:"), "{code}");
}

#[test]
fn types_holding_text_get_a_debug_that_masks_it() {
    let spec = "\
openapi: 3.0.3
info: {title: T, version: 1.0.0}
paths:
  /things:
    get:
      operationId: getThing
      x-trillet-retry: idempotent
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        count: {type: integer}
        variables: {type: object, additionalProperties: true}
        kind: {$ref: '#/components/schemas/Kind'}
        cost:
          oneOf: [{type: number}, {type: string}]
    Kind: {type: string, enum: [a, b]}
";
    let code = client_code(spec);
    let compact = compact(&code);
    for expected in [
        "usecrate::sensitive::MaskedDebug;",
        "impl::std::fmt::DebugforThing{",
        r#".field("name",&MaskedDebug(&self.name))"#,
        r#".field("variables",&MaskedDebug(&self.variables))"#,
        r#".field("count",&self.count)"#,
        r#".field("kind",&self.kind)"#,
        "impl::std::fmt::DebugforThingCost{",
        r#"Self::Number(field_0)=>f.debug_tuple("Number").field(field_0).finish()"#,
        r#"f.debug_tuple("String").field(&MaskedDebug(field_0)).finish()"#,
    ] {
        assert!(compact.contains(expected), "{expected}: {code}");
    }
    // Derived no more where written, still derived where there is nothing to show.
    let thing = code.find("pub struct Thing {").expect("Thing");
    assert!(
        !code[..thing]
            .rsplit("#[derive(")
            .next()
            .unwrap_or_default()
            .contains("Debug"),
        "{code}"
    );
    assert!(!compact.contains("impl::std::fmt::DebugforKind"), "{code}");
    let kind = code.find("pub enum Kind {").expect("Kind");
    assert!(
        code[..kind]
            .rsplit("#[derive(")
            .next()
            .unwrap_or_default()
            .contains("Debug"),
        "{code}"
    );
}

#[test]
fn rendering_is_deterministic() {
    let first = client_code(MINIMAL);
    let second = client_code(MINIMAL);
    assert_eq!(first, second);
}

#[test]
fn the_retry_table_comes_from_the_extension() {
    let table = render(MINIMAL, "t.yaml").expect("generates").retry_table;
    assert!(
        table.contains("| every GET (`x-trillet-retry: idempotent`"),
        "{table}"
    );
    assert!(
        table.contains("| every POST (`x-trillet-retry: side-effecting`"),
        "{table}"
    );
}

#[test]
fn an_operation_without_retry_extension_is_refused_before_progenitor_runs() {
    let text = MINIMAL.replace("      x-trillet-retry: side-effecting\n", "");
    let message = render(&text, "t.yaml").expect_err("refused").to_string();
    assert!(
        message.starts_with("t.yaml: #/paths/~1upload/post: no `x-trillet-retry`"),
        "{message}"
    );
}
