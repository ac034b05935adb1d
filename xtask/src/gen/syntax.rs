//! What the syn stages ask of progenitor's code: its `types` module, the parts of a path
//! type, and doc text. Types are recognised by their path segments, never by their text.

/// The items of the generated `types` module.
pub fn types_module(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The identifiers of a path type and the type arguments of its last segment:
/// `::std::option::Option<T>` is `(["std", "option", "Option"], [T])`. `None` for any
/// other type, a qualified path (`<T as Trait>::X`) or a `Fn(..)` path.
pub fn path_type(ty: &syn::Type) -> Option<(Vec<String>, Vec<&syn::Type>)> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let names = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let arguments = match &path.path.segments.last()?.arguments {
        syn::PathArguments::None => Vec::new(),
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        syn::PathArguments::Parenthesized(_) => return None,
    };
    Some((names, arguments))
}

/// Whether `ty` is `names` without type arguments, e.g. `["std", "string", "String"]`.
pub fn is_plain(ty: &syn::Type, names: &[&str]) -> bool {
    path_type(ty).is_some_and(|(found, arguments)| arguments.is_empty() && found == names)
}

/// The one type argument of `Option<T>` (however the path to `Option` is spelled).
pub fn option_of(ty: &syn::Type) -> Option<&syn::Type> {
    let (names, arguments) = path_type(ty)?;
    let is_option = matches!(names.as_slice(), [o] | [_, _, o] if o == "Option");
    match (is_option, arguments.as_slice()) {
        (true, [inner]) => Some(inner),
        _ => None,
    }
}

/// Whether a reference (`&T`) appears anywhere in `ty`.
pub fn holds_reference(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(_) => true,
        syn::Type::Path(_) => {
            path_type(ty).is_some_and(|(_, arguments)| arguments.into_iter().any(holds_reference))
        }
        syn::Type::Array(array) => holds_reference(&array.elem),
        syn::Type::Slice(slice) => holds_reference(&slice.elem),
        syn::Type::Tuple(tuple) => tuple.elems.iter().any(holds_reference),
        syn::Type::Paren(inner) => holds_reference(&inner.elem),
        _ => false,
    }
}

/// The text of the `#[doc = "..."]` attributes, one line each.
pub fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                path,
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) if path.is_ident("doc") => Some(text.value()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> syn::Type {
        syn::parse_str(text).expect("a type")
    }

    #[test]
    fn types_are_recognised_by_their_segments() {
        assert!(is_plain(
            &ty("::std::string::String"),
            &["std", "string", "String"]
        ));
        assert!(!is_plain(&ty("String"), &["std", "string", "String"]));
        assert!(!is_plain(
            &ty("::std::vec::Vec<u8>"),
            &["std", "vec", "Vec"]
        ));
        for (text, inner) in [
            ("Option<&'a str>", Some("& 'a str")),
            ("::std::option::Option<u8>", Some("u8")),
            ("Vec<u8>", None),
        ] {
            let found = option_of(&ty(text)).map(|t| quote::quote!(#t).to_string());
            assert_eq!(found.as_deref(), inner, "{text}");
        }
        assert!(holds_reference(&ty("Option<&'a str>")));
        assert!(holds_reference(&ty("Option<(u8, &str)>")));
        assert!(!holds_reference(&ty("Option<types::Kind>")));
    }
}
