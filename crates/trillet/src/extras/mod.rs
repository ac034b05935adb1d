//! Fields, query parameters and headers the contract does not know yet: the escape hatch
//! of [`Client::with_extra_body`], [`Client::with_extra_query`] and
//! [`Client::with_extra_headers`] (what Stainless SDKs call `extra_body`, `extra_query`
//! and `extra_headers`).
//!
//! The methods that make a client with extras are in `methods.rs`; this module is what
//! the transport needs (the extras and how they are applied), so it imports no client.
//! The extras live in the generated client's hook state ([`crate::transport::Transport`]),
//! and the `pre` hook applies them to every request before it is sent; the transport
//! copies the request for its retries after that hook, so every attempt carries them.
//!
//! The merge of a JSON body works on the bytes serde wrote: only the objects on the way
//! to an extra field are taken apart, every other value keeps its exact text (numbers are
//! never parsed and written again), and the typed fields keep their order, the new ones
//! coming after them.

mod merge;
mod methods;

use std::fmt;
use std::sync::Arc;

use merge::{add_query, merge_into_body};
use progenitor_client::OperationInfo;
use reqwest::header::{HeaderMap, HeaderName};
use serde_json::{Map, Value};
use trillet_redact::mask_phone_numbers;

use crate::operation::Operation;

/// What a client adds to each of its requests; empty unless a `with_extra_*` method made
/// the client. Cheap to clone. `Debug` shows the names only, never a value.
#[derive(Clone, Default)]
pub(crate) struct RequestExtras(Arc<Extras>);

#[derive(Clone, Default)]
struct Extras {
    /// Merged into every JSON body (never empty when a request must carry it).
    body: Map<String, Value>,
    /// Added to every URL, replacing the parameters of the same names.
    query: Vec<(String, String)>,
    /// Set on every request, replacing the headers of the same names; marked sensitive.
    headers: HeaderMap,
}

impl RequestExtras {
    /// Applies the extras to `request` of the operation of `info` (`operation`, when the
    /// contract's table knows it); the message says why the request can't carry them
    /// (then nothing is sent).
    pub(crate) fn apply(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
        operation: Option<&Operation>,
    ) -> Result<(), String> {
        let extras = &*self.0;
        for name in extras.headers.keys() {
            request.headers_mut().remove(name);
        }
        for (name, value) in &extras.headers {
            request.headers_mut().append(name.clone(), value.clone());
        }
        if !extras.query.is_empty() {
            add_query(request.url_mut(), &extras.query);
        }
        if !extras.body.is_empty() {
            merge_into_body(request, &extras.body).map_err(|why| {
                let names = masked(extras.body.keys().map(String::as_str)).join(", ");
                let operation = match operation {
                    Some(op) => format!("{} ({} {})", op.operation_id, op.method, op.path),
                    None => info.operation_id.to_string(),
                };
                format!(
                    "extra body fields ({names}) can't be sent with {operation}: {why}; send \
                     it from a client without with_extra_body"
                )
            })?;
        }
        Ok(())
    }

    /// The names of the extra body fields (top level), masked.
    pub(crate) fn body_names(&self) -> Vec<String> {
        masked(self.0.body.keys().map(String::as_str))
    }

    /// The names of the extra query parameters, masked.
    pub(crate) fn query_names(&self) -> Vec<String> {
        masked(self.0.query.iter().map(|(name, _)| name.as_str()))
    }

    /// The names of the extra headers.
    pub(crate) fn header_names(&self) -> Vec<String> {
        masked(self.0.headers.keys().map(HeaderName::as_str))
    }
}

impl fmt::Debug for RequestExtras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestExtras")
            .field("body", &self.body_names())
            .field("query", &self.query_names())
            .field("headers", &self.header_names())
            .finish()
    }
}

/// Names as `Debug` shows them: phone numbers masked (a name can be one, as variables'
/// keys sometimes are), duplicates once.
fn masked<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut shown: Vec<String> = Vec::new();
    for name in names {
        let name = mask_phone_numbers(name).into_owned();
        if !shown.contains(&name) {
            shown.push(name);
        }
    }
    shown
}
