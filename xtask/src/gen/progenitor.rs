//! Stage 4: progenitor turns the patched document into tokens, with this client's settings;
//! an error or a panic inside it becomes a [`GenError`].

use std::panic::{self, AssertUnwindSafe};

use openapiv3::OpenAPI;
use progenitor::{
    CrateVers, GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::quote;

use super::error::GenError;

/// progenitor's output for `spec`, parsed.
pub fn generate(spec: &OpenAPI) -> Result<syn::File, GenError> {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        // `crates/trillet` implements `ClientHooks` (in `generated/mod.rs`: it strips the
        // `api-version` header progenitor adds); Expected makes forgetting that a compile error.
        .with_hooks(HooksMode::Expected)
        // The hooks' state: the retry policy, limits, deadline and extras. The `exec` hook
        // hands every attempt to `transport::send`, so that generated and hand-written
        // operations share one policy.
        .with_inner_type(quote! { crate::transport::Transport })
        // The hand-written E.164 type: the same check as the CSV pre-flight, an error that
        // says why (masked), and a `Debug` that masks the number.
        .with_replacement(
            "E164PhoneNumber",
            "crate::E164PhoneNumber",
            [TypeImpl::FromStr].into_iter(),
        )
        // Secrets and reported phone numbers: hand-written types whose `Debug` hides them
        // (`crates/trillet/src/sensitive.rs`), so no generated body prints one.
        .with_replacement("Secret", "crate::Secret", [TypeImpl::FromStr].into_iter())
        .with_replacement(
            "PhoneNumberText",
            "crate::PhoneNumberText",
            [TypeImpl::FromStr].into_iter(),
        )
        .with_crate("std", CrateVers::Any, None);

    // A panic inside progenitor becomes an error; the default hook would print a
    // backtrace note to stderr in the middle of our message, so it is silenced meanwhile.
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        Generator::new(&settings).generate_tokens(spec)
    }));
    panic::set_hook(previous_hook);
    let tokens = match result {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(error)) => return Err(GenError::Generator(error.to_string())),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_string());
            return Err(GenError::Panic(message));
        }
    };
    syn::parse2(tokens).map_err(|error| GenError::Tokens(format!("not a Rust file: {error}")))
}
