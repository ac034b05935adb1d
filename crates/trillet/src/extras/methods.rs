//! The methods of [`Client`] that make a client with extras: [`Client::with_extra_body`],
//! [`Client::with_extra_query`] and [`Client::with_extra_headers`].

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;
use trillet_redact::mask_phone_numbers;

use super::merge::merge_values;
use super::{Extras, RequestExtras};
use crate::error::{Error, InvalidArgument, RedactedCause};
use crate::Client;

/// Headers that [`Client::with_extra_headers`] refuses: the credentials, which the client
/// sets and nothing may replace, and the ones that frame the request, which the client
/// and reqwest compute from the body.
const REFUSED_HEADERS: &[&str] = &[
    "x-api-key",
    "x-workspace-id",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
];

impl Client {
    /// A client whose requests carry these JSON fields too, merged into the body: for the
    /// fields the live API accepts but the typed request structs don't have yet
    /// (`systemPrompt` on an agent, `speechSetting` in a call flow's `settings`, ...).
    ///
    /// `fields` must serialise to a JSON object of field names and values (anything else
    /// fails here with [`Error::InvalidArgument`]). The new client shares this one's
    /// connection pool and configuration and is cheap to make, so make one per call that
    /// needs it:
    ///
    /// ```no_run
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// use serde_json::json;
    /// use trillet::types::{AgentUpdate, CallFlowSettingsUpdate, CallFlowUpdate};
    ///
    /// let rename = AgentUpdate { name: Some("Front Desk".into()), ..Default::default() };
    /// client
    ///     .with_extra_body(json!({ "systemPrompt": "You are the front desk of a dental clinic." }))?
    ///     .update_agent("676b8e123456789012345679", &rename)
    ///     .await?;
    ///
    /// // Objects merge deeply: `settings` keeps the typed `customerLocation` and gains
    /// // `speechSetting`.
    /// let flow = CallFlowUpdate {
    ///     settings: Some(CallFlowSettingsUpdate {
    ///         customer_location: Some("new york".into()),
    ///         ..Default::default()
    ///     }),
    ///     ..Default::default()
    /// };
    /// client
    ///     .with_extra_body(json!({ "settings": { "speechSetting": { "interruptionSensitivity": 0.4 } } }))?
    ///     .update_call_flow("676b8e123456789012345680", &flow)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # How the fields merge
    ///
    /// - Into the request's JSON body, at the top level; where both the body and `fields`
    ///   hold an object under the same name, the merge goes on inside it (so
    ///   `{"settings": {"speechSetting": ..}}` adds to the typed `settings`, at any
    ///   depth).
    /// - Anywhere else, **the extra value wins**: it replaces the typed one whole, arrays
    ///   included (`{"phoneNumberIds": ["a"]}` sends exactly `["a"]`, not the typed list
    ///   plus `"a"`). That is what an escape hatch is for: a value the typed field can't
    ///   hold yet (a new enum value, a wider number), or an explicit `null`.
    /// - `null` is sent as `null` (the API reads it as "clear this field"), never taken as
    ///   "remove the field" as a JSON Merge Patch would.
    /// - The typed fields are sent exactly as they would be without extras (same text,
    ///   same order); the new fields come after them. `Content-Length` follows the new
    ///   body.
    /// - Calling `with_extra_body` again on the new client merges the next `fields` into
    ///   these by the same rules (the later call wins).
    /// - The extras are not checked against the contract: that is the point. A field the
    ///   server doesn't know may be ignored or refused by it.
    ///
    /// # Requests without a JSON body
    ///
    /// The fields can only be merged into a JSON body. A request of this client that has
    /// none (a `GET` or `DELETE`, a `POST` without body such as `endActiveCall`, or a
    /// `multipart/form-data` upload such as `startBatch` or `uploadKnowledgeBaseFile`)
    /// is not sent: it fails with [`Error::InvalidArgument`] naming the operation. Use the
    /// client without extras for those (an empty `{}` adds nothing, and is never
    /// refused).
    ///
    /// Retries send the merged body again, as they send any body. `Debug` of the client
    /// shows the names of the extra fields, never their values, and nothing logs them.
    pub fn with_extra_body(&self, fields: impl Serialize) -> Result<Client, Error> {
        let fields = match serde_json::to_value(fields) {
            Ok(Value::Object(fields)) => fields,
            Ok(other) => {
                return Err(InvalidArgument::new(
                    "fields",
                    format!(
                        "the extra body fields must be a JSON object of field names and \
                         values (such as {{\"systemPrompt\": \"...\"}}), not {}",
                        kind_of(&other)
                    ),
                )
                .into())
            }
            Err(error) => {
                return Err(InvalidArgument::new(
                    "fields",
                    format!(
                        "the extra body fields can't be written as JSON ({})",
                        RedactedCause::of(&error)
                    ),
                )
                .with_next_step("pass a value that serialises to a JSON object with text keys")
                .caused_by(&error)
                .into())
            }
        };
        let mut extras = (*self.api.inner.extras.0).clone();
        merge_values(&mut extras.body, fields);
        Ok(self.with_extras(extras))
    }

    /// A client whose requests carry these query parameters too, for filters the
    /// contract doesn't list yet.
    ///
    /// Each `(name, value)` is added to the URL of every request of the new client
    /// (percent-encoded); a parameter the call sets itself under the same name is
    /// replaced (**the extra wins**, as in [`with_extra_body`](Client::with_extra_body)),
    /// and so is one of an earlier `with_extra_query`. Unlike extra body fields, extra
    /// parameters go on every request, `GET`s and uploads included. A parameter with an
    /// empty name fails with [`Error::InvalidArgument`].
    ///
    /// `Debug` of the client shows the names, never the values (a value can be a phone
    /// number), and nothing logs them.
    ///
    /// ```no_run
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// use trillet::types::ListCallHistoryQuery;
    ///
    /// let calls = client
    ///     .with_extra_query([("minDuration", "60")])?
    ///     .list_call_history(&ListCallHistoryQuery::default())
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn with_extra_query<K, V>(
        &self,
        parameters: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Client, Error>
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut extras = (*self.api.inner.extras.0).clone();
        for (name, value) in parameters {
            let name = name.into();
            if name.is_empty() {
                return Err(InvalidArgument::new(
                    "parameters",
                    "an extra query parameter has an empty name",
                )
                .with_next_step("give every parameter a name")
                .into());
            }
            extras.query.retain(|(known, _)| *known != name);
            extras.query.push((name, value.into()));
        }
        Ok(self.with_extras(extras))
    }

    /// A client whose requests carry these headers too (a beta switch, a tracing id).
    ///
    /// Each `(name, value)` is set on every request of the new client, replacing a
    /// header of the same name that the call or an earlier `with_extra_headers` sets
    /// (several pairs of one name in `headers` are all sent). Values are marked
    /// sensitive, so reqwest and HTTP/2 never log or index them, and `Debug` of the
    /// client shows the names only.
    ///
    /// Fails with [`Error::InvalidArgument`], naming the header (never its value), on a
    /// name or value that is not valid in HTTP, and on the headers that are the client's
    /// own: the credentials `x-api-key` and `x-workspace-id` (set them with
    /// [`Client::new`] or [`Client::builder`]), and `host`, `content-length`,
    /// `content-type`, `transfer-encoding` and `connection`, which follow from the base
    /// URL and the body.
    ///
    /// ```no_run
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// let agents = client
    ///     .with_extra_headers([("x-trillet-beta", "agents-v2")])?
    ///     .list_agents()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn with_extra_headers<K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Client, Error>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut added = HeaderMap::new();
        for (name, value) in headers {
            let name = name.as_ref();
            let shown = mask_phone_numbers(name);
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                InvalidArgument::new(
                    "headers",
                    format!("{shown:?} is not a valid HTTP header name"),
                )
                .with_next_step("use letters, digits and dashes only (`x-my-header`)")
            })?;
            if REFUSED_HEADERS.contains(&header.as_str()) {
                let credential = header == "x-api-key" || header == "x-workspace-id";
                let refused = InvalidArgument::new(
                    "headers",
                    format!("the extra header {header} is refused: the client sets it itself"),
                );
                return Err(if credential {
                    refused.with_next_step(
                        "pass the credentials to Client::new or Client::builder instead",
                    )
                } else {
                    refused
                        .with_next_step("leave it out: it follows from the base URL and the body")
                }
                .into());
            }
            let mut value = HeaderValue::from_str(value.as_ref()).map_err(|_| {
                InvalidArgument::new(
                    "headers",
                    format!(
                        "the value of the extra header {header} has characters not allowed \
                         in an HTTP header"
                    ),
                )
                .with_next_step("remove line breaks and other control characters from it")
            })?;
            value.set_sensitive(true);
            added.append(header, value);
        }
        let mut extras = (*self.api.inner.extras.0).clone();
        for name in added.keys() {
            extras.headers.remove(name);
        }
        for (name, value) in &added {
            extras.headers.append(name.clone(), value.clone());
        }
        Ok(self.with_extras(extras))
    }

    /// This client with these extras instead of its own (same pool and configuration).
    fn with_extras(&self, extras: Extras) -> Client {
        let mut client = self.clone();
        client.api.inner.extras = RequestExtras(Arc::new(extras));
        client
    }
}

/// What kind of JSON value this is, for messages (never the value itself).
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
