//! Stage 5a: a `new(required fields...)` for each request-only struct of `types`, so that
//! a body reads `AgentCreate { smart_callback: true, ..AgentCreate::new(name, tts, llm) }`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{is_plain, path_type, types_module};

/// Adds `new(..)` to each struct of `types` named in `request_only` that has required
/// fields: the parameters follow the document's `required` list, the other fields take
/// their serde defaults, and `String` parameters take `impl Into<String>`.
pub fn add_constructors(file: &mut syn::File, request_only: &BTreeMap<String, Vec<String>>) {
    let Some(types) = types_module(file) else {
        return;
    };
    let constructors: Vec<syn::Item> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(structure) => {
                let order = request_only.get(&structure.ident.to_string())?;
                constructor(structure, order)
            }
            _ => None,
        })
        .collect();
    types.extend(constructors);
}

fn constructor(structure: &syn::ItemStruct, order: &[String]) -> Option<syn::Item> {
    let syn::Fields::Named(fields) = &structure.fields else {
        return None;
    };
    let (mut parameters, mut values) = (Vec::new(), Vec::new());
    for field in &fields.named {
        let Some(name) = &field.ident else { continue };
        let ty = &field.ty;
        if let Some(default) = field_default(field) {
            values.push(quote! { #name: #default });
            continue;
        }
        let position = order
            .iter()
            .position(|p| *p == json_name(field))
            .unwrap_or(usize::MAX);
        let parameter = if is_plain(ty, &["std", "string", "String"]) {
            values.push(quote! { #name: #name.into() });
            quote! { #name: impl ::std::convert::Into<::std::string::String> }
        } else {
            values.push(quote! { #name });
            quote! { #name: #ty }
        };
        parameters.push((position, name.to_string(), parameter));
    }
    if parameters.is_empty() {
        return None;
    }
    parameters.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let names: Vec<&str> = parameters
        .iter()
        .map(|(_, name, _)| name.as_str())
        .collect();
    let parameters: Vec<&TokenStream> = parameters.iter().map(|(_, _, p)| p).collect();
    let ident = &structure.ident;
    let doc = format!(
        " The `{ident}` with only its required fields set, in the document's order; every other field takes its default.\n\n Set more with `{ident} {{ field: value, ..{ident}::new({}) }}`.",
        names.join(", ")
    );
    Some(syn::parse_quote! {
        impl #ident {
            #[doc = #doc]
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#values),* }
            }
        }
    })
}

/// The JSON name of a field: its `#[serde(rename = "...")]`, else its name.
fn json_name(field: &syn::Field) -> String {
    let mut renamed = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let name: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(name.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed.unwrap_or_else(|| {
        field
            .ident
            .as_ref()
            .map(|i| i.to_string())
            .unwrap_or_default()
    })
}

/// The default of a field as serde sees it: `#[serde(default = "f")]` is `f()`, a bare
/// `#[serde(default)]` or an `Option` is `Default::default()`; `None` when required.
fn field_default(field: &syn::Field) -> Option<TokenStream> {
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut found = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                found = Some(match meta.value() {
                    Ok(value) => {
                        let path: syn::LitStr = value.parse()?;
                        let path: syn::ExprPath = path.parse()?;
                        quote! { #path() }
                    }
                    Err(_) => quote! { ::std::default::Default::default() },
                });
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if found.is_some() {
            return found;
        }
    }
    let (names, _) = path_type(&field.ty)?;
    (names.last()? == "Option").then(|| quote! { ::std::default::Default::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_become_parameters_in_the_documents_order() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct AgentCreate {
                    #[serde(rename = "llmModel")]
                    pub llm_model: ::std::string::String,
                    pub name: ::std::string::String,
                    #[serde(default = "defaults::agent_create_smart")]
                    pub smart: bool,
                    pub size: i64,
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    pub note: ::std::option::Option<::std::string::String>,
                    pub tag: ::std::option::Option<u8>,
                }
                pub struct Thing { pub name: ::std::string::String }
            }
        };
        let order = ["name", "llmModel", "size"].map(String::from).to_vec();
        add_constructors(
            &mut file,
            &BTreeMap::from([("AgentCreate".to_string(), order)]),
        );
        let code: String = prettyplease::unparse(&file).split_whitespace().collect();
        for expected in [
            "pubfnnew(name:impl::std::convert::Into<::std::string::String>,llm_model:impl::std::convert::Into<::std::string::String>,size:i64,)->Self{",
            "llm_model:llm_model.into(),name:name.into(),smart:defaults::agent_create_smart(),size,note:::std::default::Default::default(),tag:::std::default::Default::default(),",
            "..AgentCreate::new(name,llm_model,size)",
        ] {
            assert!(code.contains(expected), "{expected}\n{code}");
        }
        assert_eq!(
            code.matches("pubfnnew").count(),
            1,
            "only request-only structs: {code}"
        );
    }
}
