//! Stage 5b: the client's `generated/wrappers.rs`, one `impl crate::Client` with a method
//! per generated operation: same name, docs and arguments, forwarding to progenitor's
//! client and turning its error into `crate::Error` (which reads the body of an error
//! response, hence `.await`). The docs move to the wrappers (progenitor's client is
//! private to the crate); deprecated operations get `#[deprecated]`, and an operation with
//! many optional query parameters takes them as one generated `types::<Method>Query`.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::error::GenError;
use super::names;
use super::syntax::{doc_text, holds_reference, option_of, path_type};

/// Operations with more optional query parameters than this take them as one generated
/// `<Method>Query` struct instead of positional arguments: twelve `Option<&str>`-like
/// filters in alphabetical order (`listCallHistory`) are easy to mix up without a compiler
/// error, and a struct names each one at the call site. Three
/// (`list_batch_calls(batch_id, limit, page, status)`) still read well positionally.
/// Required query parameters stay positional, before the struct, as required body fields
/// go through `new(..)`: `search_available_numbers(country, &query)`.
pub const MAX_POSITIONAL_QUERY_PARAMETERS: usize = 3;

/// What the wrappers do beyond forwarding, by method name.
#[derive(Debug, Default)]
pub struct WrapperPlan {
    /// Methods of `deprecated` operations: their wrappers carry `#[deprecated]`, which
    /// progenitor 0.15 does not emit.
    deprecated: BTreeSet<String>,
    /// Methods that take a query struct, with the argument names of their optional query
    /// parameters in document order.
    query_structs: BTreeMap<String, Vec<String>>,
}

/// The plan of the operations of the (patched) document.
pub fn plan(spec: &OpenAPI) -> WrapperPlan {
    let components = spec.components.as_ref();
    let resolve = |parameter: &ReferenceOr<openapiv3::Parameter>| match parameter {
        ReferenceOr::Item(parameter) => Some(parameter.clone()),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/parameters/")
            .and_then(|name| components?.parameters.get(name))
            .and_then(|parameter| parameter.as_item().cloned()),
    };
    let mut plan = WrapperPlan::default();
    for item in spec.paths.paths.values() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, operation) in item.iter() {
            let Some(operation_id) = &operation.operation_id else {
                continue;
            };
            let method = names::method_name(operation_id);
            if operation.deprecated {
                plan.deprecated.insert(method.clone());
            }
            let query: Vec<String> = item
                .parameters
                .iter()
                .chain(&operation.parameters)
                .filter_map(resolve)
                .filter_map(|parameter| match parameter {
                    openapiv3::Parameter::Query { parameter_data, .. }
                        if !parameter_data.required =>
                    {
                        Some(names::argument_name(&parameter_data.name))
                    }
                    _ => None,
                })
                .collect();
            if query.len() > MAX_POSITIONAL_QUERY_PARAMETERS {
                plan.query_structs.insert(method, query);
            }
        }
    }
    plan
}

/// The wrappers of every async method of progenitor's `impl Client` (whose docs are
/// removed, they move to the wrappers), and the query structs the plan asks for (for the
/// `types` module). Each method must be named after a generated operation of `ids`
/// (progenitor gives its hooks the same id, which `generated/operations.rs` is looked up
/// by): a method of another name would send without its `x-trillet-retry`.
pub fn wrappers(
    file: &mut syn::File,
    plan: &WrapperPlan,
    ids: &BTreeSet<String>,
) -> Result<(syn::File, Vec<syn::Item>), GenError> {
    let mut methods = Vec::new();
    let mut query_structs = Vec::new();
    let mut seen = BTreeSet::new();
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if block.trait_.is_some() || !is_client {
            continue;
        }
        for member in &mut block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            if function.sig.asyncness.is_none() {
                continue;
            }
            let (method, query_struct) = wrapper(function, plan)?;
            methods.push(method);
            query_structs.extend(query_struct);
            seen.insert(function.sig.ident.to_string());
            function.attrs.retain(|a| !a.path().is_ident("doc"));
        }
    }
    let planned = plan.deprecated.iter().chain(plan.query_structs.keys());
    if let Some(missing) = planned.into_iter().find(|method| !seen.contains(*method)) {
        return Err(GenError::Tokens(format!(
            "no generated method `{missing}`: progenitor named an operation differently from its snake case"
        )));
    }
    if seen != *ids {
        let unknown: Vec<&String> = seen.difference(ids).collect();
        let absent: Vec<&String> = ids.difference(&seen).collect();
        return Err(GenError::Tokens(format!(
            "progenitor's methods {unknown:?} are not the generated operations' ids {absent:?} of the operations table"
        )));
    }
    let file = syn::parse_quote! {
        //! The methods of [`crate::Client`] for the generated operations: each forwards to
        //! progenitor's client and returns [`crate::Error`].

        use super::progenitor::{types, ByteStream, ResponseValue};

        impl crate::Client {
            #(#methods)*
        }
    };
    Ok((file, query_structs))
}

/// The wrapper of one generated method, and its query struct if the plan gives it one:
/// the query arguments then become the fields of `types::<Method>Query` (documented with
/// their lines of the method's `Arguments:` list, in document order; `&str`s owned), and
/// the wrapper takes `query: &types::<Method>Query` in their place.
fn wrapper(
    function: &syn::ImplItemFn,
    plan: &WrapperPlan,
) -> Result<(TokenStream, Option<syn::Item>), GenError> {
    let sig = &function.sig;
    let name = &sig.ident;
    let method = name.to_string();
    let error = |what: &str| GenError::Tokens(format!("`{method}`: {what}"));
    let mut doc = doc_text(&function.attrs);
    let generics = &sig.generics;
    let query_names = plan.query_structs.get(&method);
    let query_ident = format_ident!("{}", names::query_struct_name(&method));
    let (mut inputs, mut arguments, mut fields) = (Vec::new(), Vec::new(), BTreeMap::new());
    for input in &sig.inputs {
        let syn::FnArg::Typed(typed) = input else {
            inputs.push(quote! { #input });
            continue;
        };
        let syn::Pat::Ident(ident) = &*typed.pat else {
            return Err(error("an argument is not a plain name"));
        };
        let ident = &ident.ident;
        let argument = ident.to_string();
        if !query_names.is_some_and(|names| names.contains(&argument)) {
            inputs.push(quote! { #input });
            arguments.push(quote! { #ident });
            continue;
        }
        let (field_ty, forward) = query_field(&typed.ty, ident).ok_or_else(|| {
            let ty = &typed.ty;
            error(&format!(
                "query parameter `{argument}` is `{}`; a query struct takes only optional, owned ones",
                quote!(#ty)
            ))
        })?;
        let field_doc = take_argument_doc(&mut doc, &argument).unwrap_or_default();
        fields.insert(
            argument,
            quote! { #[doc = #field_doc] pub #ident: #field_ty },
        );
        arguments.push(forward);
    }
    let query_struct = match query_names {
        Some(names) => {
            if names.len() != fields.len() {
                return Err(error("not every query parameter is an argument"));
            }
            inputs.push(quote! { query: &'a types::#query_ident });
            doc.push_str(&format!(
                "\n- `query`: the query parameters, all optional (see [`{query_ident}`](crate::types::{query_ident}))\n"
            ));
            let fields = names.iter().filter_map(|name| fields.get(name));
            let struct_doc = format!(
                " The query parameters of [`Client::{method}`](crate::Client::{method}), all optional.\n\n Set the ones you need and default the rest: `{query_ident} {{ {first}: Some(..), ..Default::default() }}`.",
                first = names.first().map_or("field", String::as_str),
            );
            Some(syn::parse_quote! {
                #[doc = #struct_doc]
                #[derive(Clone, Debug, Default, PartialEq)]
                pub struct #query_ident {
                    #(#fields),*
                }
            })
        }
        None => None,
    };
    let deprecated = plan.deprecated.contains(&method).then(|| {
        quote! {
            #[deprecated(note = "deprecated in openapi/trillet.yaml; the method's docs name the operation to use instead")]
        }
    });
    let success = success_type(&sig.output)
        .ok_or_else(|| error("does not return Result<ResponseValue<T>, Error>"))?;
    let method = quote! {
        #[doc = #doc]
        #deprecated
        pub async fn #name #generics(#(#inputs),*) -> Result<#success, crate::Error> {
            match self.api.#name(#(#arguments),*).await {
                Ok(value) => Ok(value),
                Err(error) => Err(crate::Error::from_generated(error).await),
            }
        }
    };
    Ok((method, query_struct))
}

/// The field type in a query struct of an argument of type `ty`, and how the wrapper
/// forwards the field: `Option<&str>` is owned as `Option<String>` (`.as_deref()`), an
/// `Option` of an owned type is kept (`.clone()`); anything else has no field.
fn query_field(ty: &syn::Type, ident: &syn::Ident) -> Option<(TokenStream, TokenStream)> {
    let inner = option_of(ty)?;
    if let syn::Type::Reference(reference) = inner {
        let is_str = path_type(&reference.elem)
            .is_some_and(|(names, args)| names == ["str"] && args.is_empty());
        return is_str.then(|| {
            (
                quote! { ::std::option::Option<::std::string::String> },
                quote! { query.#ident.as_deref() },
            )
        });
    }
    if holds_reference(ty) {
        return None;
    }
    let mut field_ty = ty.clone();
    from_inside_types(&mut field_ty);
    Some((quote! { #field_ty }, quote! { query.#ident.clone() }))
}

/// Rewrites the paths `types::X` of a type written outside the `types` module into
/// `super::types::X`, for a field of a struct inside it.
fn from_inside_types(ty: &mut syn::Type) {
    let syn::Type::Path(path) = ty else {
        return;
    };
    let starts_with_types = path
        .path
        .segments
        .first()
        .is_some_and(|s| s.ident == "types");
    if path.qself.is_none() && path.path.leading_colon.is_none() && starts_with_types {
        path.path.segments.insert(0, syn::parse_quote!(super));
    }
    for segment in path.path.segments.iter_mut() {
        if let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments {
            for argument in arguments.args.iter_mut() {
                if let syn::GenericArgument::Type(inner) = argument {
                    from_inside_types(inner);
                }
            }
        }
    }
}

/// Removes the line ``- `name`: text`` of a progenitor `Arguments:` list from `doc` and
/// returns its text.
fn take_argument_doc(doc: &mut String, name: &str) -> Option<String> {
    let prefix = format!("- `{name}`:");
    let line = doc
        .lines()
        .find(|line| line.starts_with(&prefix))?
        .to_string();
    *doc = doc
        .lines()
        .filter(|l| *l != line)
        .collect::<Vec<_>>()
        .join("\n");
    Some(format!(" {}", line[prefix.len()..].trim()))
}

/// `T` of `Result<T, E>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let (names, arguments) = path_type(ty)?;
    (names.last()? == "Result").then(|| arguments.first().map(|ty| (*ty).clone()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ident(name: &str) -> syn::Ident {
        format_ident!("{name}")
    }

    #[test]
    fn query_fields_own_their_values() {
        let cases = [
            (
                "Option<&'a str>",
                Some(":: std :: option :: Option < :: std :: string :: String >"),
                "as_deref",
            ),
            (
                "Option<types::Kind>",
                Some("Option < super :: types :: Kind >"),
                "clone",
            ),
            ("Option<i64>", Some("Option < i64 >"), "clone"),
            ("&'a str", None, ""),
            ("Option<&'a [u8]>", None, ""),
        ];
        for (ty, field, forward) in cases {
            let parsed: syn::Type = syn::parse_str(ty).expect("a type");
            let found = query_field(&parsed, &ident("page"));
            assert_eq!(
                found.as_ref().map(|(f, _)| f.to_string()).as_deref(),
                field,
                "{ty}"
            );
            if let Some((_, how)) = found {
                assert!(how.to_string().contains(forward), "{how}");
            }
        }
    }

    #[test]
    fn argument_docs_move_to_the_query_struct() {
        let mut doc =
            "Lists.\n\nArguments:\n- `page`: The page.\n- `limit`: How many.\n".to_string();
        assert_eq!(
            take_argument_doc(&mut doc, "page").as_deref(),
            Some(" The page.")
        );
        assert_eq!(doc, "Lists.\n\nArguments:\n- `limit`: How many.");
        assert_eq!(take_argument_doc(&mut doc, "search"), None);
    }

    #[test]
    fn the_success_type_is_read_from_the_result() {
        let sig: syn::Signature =
            syn::parse_str("fn f() -> Result<ResponseValue<types::Agent>, Error<()>>")
                .expect("sig");
        let ty = success_type(&sig.output).expect("a Result");
        assert_eq!(quote!(#ty).to_string(), "ResponseValue < types :: Agent >");
        let sig: syn::Signature = syn::parse_str("fn f() -> u8").expect("sig");
        assert!(success_type(&sig.output).is_none());
    }

    #[test]
    fn every_method_must_be_a_generated_operation_of_the_table() {
        let file = || -> syn::File {
            syn::parse_quote! {
                impl Client {
                    /// Lists.
                    pub async fn list_things<'a>(&'a self) -> Result<ResponseValue<u8>, Error<()>> {
                        todo!()
                    }
                }
            }
        };
        let ids = |list: &[&str]| {
            list.iter()
                .map(|id| id.to_string())
                .collect::<BTreeSet<_>>()
        };
        let plan = WrapperPlan::default();
        let (wrapped, _) = wrappers(&mut file(), &plan, &ids(&["list_things"])).expect("wraps");
        let code: String = prettyplease::unparse(&wrapped).split_whitespace().collect();
        assert!(code.contains("self.api.list_things().await"), "{code}");
        let Err(error) = wrappers(&mut file(), &plan, &ids(&["list_all_things"])) else {
            panic!("a method that is no generated operation of the table is refused");
        };
        let message = error.to_string();
        assert!(
            message.contains("[\"list_things\"]") && message.contains("[\"list_all_things\"]"),
            "{message}"
        );
    }
}
