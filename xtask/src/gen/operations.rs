//! Stage 2: the operations of the document as the contract describes them (id, method,
//! path template, `x-trillet-retry`, generated or hand-written), rendered as the client's
//! `generated/operations.rs`: one constant per operation, the table of them all, and
//! `by_id`. Read from the document as written, before any patch.

use openapiv3::{Components, OpenAPI, Operation, ReferenceOr};
use quote::{format_ident, quote};

use super::error::GenError;
use super::names;

/// Request media types progenitor 0.15 cannot generate (upstream issue #518): operations
/// with such a request body are removed from its input and written by hand.
pub const UNSUPPORTED_REQUEST_MEDIA_TYPES: &[&str] = &["multipart/form-data", "text/csv"];

/// The vendor extension saying whether an operation may be sent again (openapi/STYLE.md).
pub const RETRY_EXTENSION: &str = "x-trillet-retry";

/// Whether an operation may be sent again, as its `x-trillet-retry` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Retry {
    /// `idempotent`: sending it again changes nothing more.
    Idempotent,
    /// `side-effecting`: sending it again may act twice.
    SideEffecting,
}

impl Retry {
    /// Every value, in the order the README's table lists them.
    pub const ALL: [Retry; 2] = [Retry::Idempotent, Retry::SideEffecting];

    /// The value of the extension.
    pub fn as_str(self) -> &'static str {
        match self {
            Retry::Idempotent => "idempotent",
            Retry::SideEffecting => "side-effecting",
        }
    }
}

/// One operation of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// progenitor's snake_case id (its method name, the hooks' `OperationInfo::operation_id`).
    pub id: String,
    /// The spec's operationId.
    pub operation_id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template.
    pub path: String,
    /// Its `x-trillet-retry`.
    pub retry: Retry,
    /// The request media type progenitor cannot generate, when it is hand-written.
    pub hand_written: Option<&'static str>,
}

/// The request media type that makes `operation` hand-written, if any: one of
/// [`UNSUPPORTED_REQUEST_MEDIA_TYPES`] on its request body (followed through
/// `#/components/requestBodies`).
pub fn hand_written_media_type(
    operation: &Operation,
    components: Option<&Components>,
) -> Option<&'static str> {
    let body = match operation.request_body.as_ref()? {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            components?.request_bodies.get(name)?.as_item()?
        }
    };
    UNSUPPORTED_REQUEST_MEDIA_TYPES
        .iter()
        .copied()
        .find(|media_type| body.content.contains_key(*media_type))
}

/// Every operation of `spec`, in document order; an operation without operationId is left
/// to progenitor, which refuses it.
pub fn entries(spec: &OpenAPI, spec_name: &str) -> Result<Vec<Entry>, GenError> {
    let mut entries = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let Some(operation_id) = &operation.operation_id else {
                continue;
            };
            let pointer = format!(
                "#/paths/{}/{method}",
                trillet_spec::escape_pointer_segment(path)
            );
            entries.push(Entry {
                id: names::method_name(operation_id),
                operation_id: operation_id.clone(),
                method: method.to_uppercase(),
                path: path.clone(),
                retry: retry_of(operation, spec_name, &pointer)?,
                hand_written: hand_written_media_type(operation, spec.components.as_ref()),
            });
        }
    }
    Ok(entries)
}

fn retry_of(operation: &Operation, spec_name: &str, pointer: &str) -> Result<Retry, GenError> {
    let error = |message: String| GenError::Contract {
        path: spec_name.to_string(),
        pointer: pointer.to_string(),
        message,
    };
    match operation.extensions.get(RETRY_EXTENSION) {
        Some(value) => match value.as_str() {
            Some("idempotent") => Ok(Retry::Idempotent),
            Some("side-effecting") => Ok(Retry::SideEffecting),
            _ => Err(error(format!(
                "`{RETRY_EXTENSION}: {value}` is neither `idempotent` nor `side-effecting` (openapi/STYLE.md)"
            ))),
        },
        None => Err(error(format!(
            "no `{RETRY_EXTENSION}`; add `{RETRY_EXTENSION}: idempotent` (sending it twice changes \
             nothing more) or `{RETRY_EXTENSION}: side-effecting` (openapi/STYLE.md)"
        ))),
    }
}

/// The client's `generated/operations.rs` (without its header).
pub fn render(entries: &[Entry]) -> syn::File {
    let rows = entries.iter().map(|entry| {
        let Entry {
            id,
            operation_id,
            path,
            ..
        } = entry;
        let method = format_ident!("{}", method_variant(&entry.method));
        let retry = match entry.retry {
            Retry::Idempotent => quote! { RetrySafety::Idempotent },
            Retry::SideEffecting => quote! { RetrySafety::SideEffecting },
        };
        let source = match entry.hand_written {
            Some(_) => quote! { OperationSource::HandWritten },
            None => quote! { OperationSource::Generated },
        };
        quote! {
            Operation {
                id: #id,
                operation_id: #operation_id,
                method: HttpMethod::#method,
                path: #path,
                retry: #retry,
                source: #source,
            }
        }
    });
    let constants = entries.iter().enumerate().map(|(index, entry)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let name = format_ident!("{}", names::constant_name(&entry.operation_id));
        let summary = format!(
            " `{}`: `{} {}`, `{}: {}`.",
            entry.operation_id,
            entry.method,
            entry.path,
            RETRY_EXTENSION,
            entry.retry.as_str()
        );
        let (source, allow) = match entry.hand_written {
            Some(media_type) => (
                format!(
                    " Written by hand (its request body is `{media_type}`): its method sends with this constant, so an operation without one is a dead-code warning."
                ),
                None,
            ),
            None => (
                " Generated: progenitor's method names it by `id` for the hooks.".to_string(),
                Some(quote! { #[allow(dead_code, reason = "the generated methods find it by id")] }),
            ),
        };
        quote! {
            #[doc = #summary]
            #[doc = ""]
            #[doc = #source]
            #allow
            pub(crate) const #name: &Operation = &OPERATIONS[#index];
        }
    });
    syn::parse_quote! {
        //! Every operation of `openapi/trillet.yaml`: its ids, method, path template,
        //! `x-trillet-retry` and whether it is generated or written by hand. Hand-written
        //! operations are `pub(crate)` constants that their methods must use: one without a
        //! method fails the build (`dead_code`, denied by clippy in CI).

        use crate::operation::{HttpMethod, Operation, OperationSource, RetrySafety};

        /// Every operation of the document, in document order.
        pub(crate) const OPERATIONS: &[Operation] = &[#(#rows),*];

        #(#constants)*

        /// The operation with this progenitor id (the hooks' `OperationInfo::operation_id`).
        pub(crate) fn by_id(id: &str) -> Option<&'static Operation> {
            OPERATIONS.iter().find(|operation| operation.id == id)
        }
    }
}

/// `GET` -> `Get`, the variant of `crate::operation::HttpMethod`.
fn method_variant(method: &str) -> String {
    use heck::ToPascalCase;
    method.to_pascal_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(extension: &str) -> OpenAPI {
        let text = format!(
            "\
openapi: 3.0.3
info: {{title: T, version: 1.0.0}}
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      x-trillet-retry: idempotent
      responses: {{'200': {{description: ok}}}}
    post:
      operationId: uploadThing
{extension}      requestBody:
        content:
          multipart/form-data:
            schema: {{type: object}}
      responses: {{'200': {{description: ok}}}}
"
        );
        super::super::load::parse(&text, "t.yaml").expect("parses")
    }

    #[test]
    fn entries_carry_ids_method_path_retry_and_source() {
        let entries =
            entries(&spec("      x-trillet-retry: side-effecting\n"), "t.yaml").expect("entries");
        assert_eq!(
            entries,
            [
                Entry {
                    id: "get_thing".into(),
                    operation_id: "getThing".into(),
                    method: "GET".into(),
                    path: "/things/{id}".into(),
                    retry: Retry::Idempotent,
                    hand_written: None,
                },
                Entry {
                    id: "upload_thing".into(),
                    operation_id: "uploadThing".into(),
                    method: "POST".into(),
                    path: "/things/{id}".into(),
                    retry: Retry::SideEffecting,
                    hand_written: Some("multipart/form-data"),
                },
            ]
        );
    }

    #[test]
    fn a_missing_or_unknown_retry_extension_names_the_operation() {
        for (extension, expected) in [
            (
                "",
                "t.yaml: #/paths/~1things~1{id}/post: no `x-trillet-retry`; add",
            ),
            (
                "      x-trillet-retry: safe\n",
                "t.yaml: #/paths/~1things~1{id}/post: `x-trillet-retry: \"safe\"` is neither",
            ),
        ] {
            let message = entries(&spec(extension), "t.yaml")
                .expect_err("refused")
                .to_string();
            assert!(message.starts_with(expected), "{message}");
        }
    }

    #[test]
    fn the_table_has_a_constant_per_operation_and_only_generated_ones_may_be_unused() {
        let entries =
            entries(&spec("      x-trillet-retry: side-effecting\n"), "t.yaml").expect("entries");
        let code: String = prettyplease::unparse(&render(&entries))
            .split_whitespace()
            .collect();
        for expected in [
            "pub(crate)constOPERATIONS:&[Operation]=&[Operation{id:\"get_thing\",operation_id:\"getThing\",method:HttpMethod::Get,path:\"/things/{id}\",retry:RetrySafety::Idempotent,source:OperationSource::Generated,},",
            "retry:RetrySafety::SideEffecting,source:OperationSource::HandWritten,",
            "#[allow(dead_code,reason=\"thegeneratedmethodsfinditbyid\")]pub(crate)constGET_THING:&Operation=&OPERATIONS[0];",
            "dead-codewarning.pub(crate)constUPLOAD_THING:&Operation=&OPERATIONS[1];",
            "pub(crate)fnby_id(id:&str)->Option<&'staticOperation>",
        ] {
            assert!(code.contains(expected), "{expected}\n{code}");
        }
    }
}
