//! Stage 5c: the `Debug` of every generated type that holds data, written instead of
//! derived, so that no phone number in free text reaches a log through `{:?}`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{path_type, types_module};

/// Writes the `Debug` of every generated type that holds data, instead of deriving it:
/// each field shows as the derived `Debug` would show it, passed through
/// `crate::sensitive::MaskedDebug` (phone numbers masked), unless its type can hold no
/// text of its own ([`shows_no_text`]: numbers, booleans, other types of `types` and the
/// hand-written `crate::` types, which mask themselves).
///
/// Variables, metadata, analysis results, transcripts and any other free text can hold
/// a caller's phone number, in any spelling, and so can every free-form object (the
/// spec says nothing about its keys); nothing in the spec marks them all, and a new
/// field must not need a new mark to be safe. Fields keep their types: on the wire and
/// in the API nothing changes.
pub fn masked_debug(file: &mut syn::File) {
    let Some(types) = types_module(file) else {
        return;
    };
    let local: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let types_len = types.len();
    let mut items = Vec::with_capacity(types_len * 2);
    for mut item in std::mem::take(types) {
        let debug = match &mut item {
            syn::Item::Struct(s) if !s.fields.is_empty() => {
                remove_derive(&mut s.attrs, "Debug").then(|| struct_debug(s, &local))
            }
            syn::Item::Enum(e) if e.variants.iter().any(|v| !v.fields.is_empty()) => {
                remove_derive(&mut e.attrs, "Debug").then(|| enum_debug(e, &local))
            }
            _ => None,
        };
        items.push(item);
        items.extend(debug);
    }
    if items.len() > types_len {
        items.insert(0, syn::parse_quote! { use crate::sensitive::MaskedDebug; });
    }
    *types = items;
}

/// Removes `name` from the `#[derive(..)]` of `attrs`; false if it was not derived.
fn remove_derive(attrs: &mut [syn::Attribute], name: &str) -> bool {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        if !paths.iter().any(|p| p.is_ident(name)) {
            continue;
        }
        let kept = paths.iter().filter(|p| !p.is_ident(name));
        *attr = syn::parse_quote! { #[derive(#(#kept),*)] };
        return true;
    }
    false
}

/// `&self.field` or `&MaskedDebug(&self.field)` (imported in `types`), as [`masked_debug`]
/// decides.
fn debug_field(value: TokenStream, ty: &syn::Type, local: &BTreeSet<String>) -> TokenStream {
    if shows_no_text(ty, local) {
        value
    } else {
        quote! { &MaskedDebug(#value) }
    }
}

/// Whether a field of this type can show no text of its own in `Debug`: numbers,
/// booleans, the types of `types` and the hand-written `crate::` types (each with its
/// own masking `Debug`), and `Option`, `Vec` or `Box` of those.
fn shows_no_text(ty: &syn::Type, local: &BTreeSet<String>) -> bool {
    let Some((segments, arguments)) = path_type(ty) else {
        return false;
    };
    let names: Vec<&str> = segments.iter().map(String::as_str).collect();
    match names.as_slice() {
        ["std", "option", "Option"] | ["std", "vec", "Vec"] | ["std", "boxed", "Box"] => {
            arguments.len() == 1 && shows_no_text(arguments[0], local)
        }
        ["crate", ..] => true,
        ["std", "num", nonzero] => nonzero.starts_with("NonZero"),
        [one] if arguments.is_empty() => {
            local.contains(*one)
                || matches!(
                    *one,
                    "bool"
                        | "i8"
                        | "i16"
                        | "i32"
                        | "i64"
                        | "i128"
                        | "isize"
                        | "u8"
                        | "u16"
                        | "u32"
                        | "u64"
                        | "u128"
                        | "usize"
                        | "f32"
                        | "f64"
                )
        }
        _ => false,
    }
}

/// The name `Debug` shows for a field: `type` for `r#type`, as the derive does.
fn debug_name(ident: &syn::Ident) -> String {
    use syn::ext::IdentExt;
    ident.unraw().to_string()
}

fn struct_debug(structure: &syn::ItemStruct, local: &BTreeSet<String>) -> syn::Item {
    let ident = &structure.ident;
    let name = ident.to_string();
    let body = match &structure.fields {
        syn::Fields::Named(fields) => {
            let entries = fields.named.iter().filter_map(|field| {
                let member = field.ident.as_ref()?;
                let label = debug_name(member);
                let value = debug_field(quote! { &self.#member }, &field.ty, local);
                Some(quote! { .field(#label, #value) })
            });
            quote! { f.debug_struct(#name) #(#entries)* .finish() }
        }
        syn::Fields::Unnamed(fields) => {
            let entries = fields.unnamed.iter().enumerate().map(|(i, field)| {
                let member = syn::Index::from(i);
                let value = debug_field(quote! { &self.#member }, &field.ty, local);
                quote! { .field(#value) }
            });
            quote! { f.debug_tuple(#name) #(#entries)* .finish() }
        }
        syn::Fields::Unit => quote! { f.write_str(#name) },
    };
    syn::parse_quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

fn enum_debug(enumeration: &syn::ItemEnum, local: &BTreeSet<String>) -> syn::Item {
    let ident = &enumeration.ident;
    let arms = enumeration.variants.iter().map(|variant| {
        let variant_ident = &variant.ident;
        let name = variant_ident.to_string();
        match &variant.fields {
            syn::Fields::Named(fields) => {
                let members: Vec<&syn::Ident> =
                    fields.named.iter().filter_map(|f| f.ident.as_ref()).collect();
                let entries = fields.named.iter().filter_map(|field| {
                    let member = field.ident.as_ref()?;
                    let label = debug_name(member);
                    let value = debug_field(quote! { #member }, &field.ty, local);
                    Some(quote! { .field(#label, #value) })
                });
                quote! {
                    Self::#variant_ident { #(#members),* } => f.debug_struct(#name) #(#entries)* .finish(),
                }
            }
            syn::Fields::Unnamed(fields) => {
                let bindings: Vec<syn::Ident> = (0..fields.unnamed.len())
                    .map(|i| quote::format_ident!("field_{i}"))
                    .collect();
                let entries = fields.unnamed.iter().zip(&bindings).map(|(field, binding)| {
                    let value = debug_field(quote! { #binding }, &field.ty, local);
                    quote! { .field(#value) }
                });
                quote! {
                    Self::#variant_ident(#(#bindings),*) => f.debug_tuple(#name) #(#entries)* .finish(),
                }
            }
            syn::Fields::Unit => quote! { Self::#variant_ident => f.write_str(#name), },
        }
    });
    syn::parse_quote! {
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> syn::Type {
        syn::parse_str(text).expect("a type")
    }

    #[test]
    fn only_types_that_can_hold_no_text_are_shown_unmasked() {
        let local = BTreeSet::from(["Kind".to_string()]);
        for (text, unmasked) in [
            ("i64", true),
            ("bool", true),
            ("Kind", true),
            ("crate::Secret", true),
            ("::std::option::Option<::std::vec::Vec<f64>>", true),
            ("::std::num::NonZeroU64", true),
            ("::std::string::String", false),
            ("::std::option::Option<::std::string::String>", false),
            ("::serde_json::Value", false),
            (
                "::std::collections::HashMap<::std::string::String, i64>",
                false,
            ),
            ("Other", false),
            ("(i64, i64)", false),
        ] {
            assert_eq!(shows_no_text(&ty(text), &local), unmasked, "{text}");
        }
    }
}
