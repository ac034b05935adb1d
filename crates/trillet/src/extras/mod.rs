//! Fields, query parameters and headers the contract does not know yet: the escape hatch
//! of [`Client::with_extra_body`], [`Client::with_extra_query`] and
//! [`Client::with_extra_headers`] (what Stainless SDKs call `extra_body`, `extra_query`
//! and `extra_headers`).
//!
//! The extras live in the generated client's hook state ([`crate::transport::Transport`]),
//! and the `pre` hook applies them to every request before it is sent; the transport
//! copies the request for its retries after that hook, so every attempt carries them.
//!
//! The merge of a JSON body works on the bytes serde wrote: only the objects on the way
//! to an extra field are taken apart, every other value keeps its exact text (numbers are
//! never parsed and written again), and the typed fields keep their order, the new ones
//! coming after them.

use std::fmt;
use std::sync::Arc;

use progenitor_client::OperationInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::Serialize;
use serde_json::value::{to_raw_value, RawValue};
use serde_json::{Map, Value};
use trillet_redact::mask_phone_numbers;

use crate::error::Error;
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
    /// Applies the extras to `request` of the operation of `info`; the message says why
    /// the request can't carry them (then nothing is sent).
    pub(crate) fn apply(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
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
            merge_into_body(request, &extras.body, info)?;
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

impl Client {
    /// A client whose requests carry these JSON fields too, merged into the body: for the
    /// fields the live API accepts but the typed request structs don't have yet
    /// (`systemPrompt` on an agent, `speechSetting` in a call flow's `settings`, ...).
    ///
    /// `fields` must serialise to a JSON object of field names and values (anything else
    /// fails here with [`Error::InvalidRequest`]). The new client shares this one's
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
    /// is not sent: it fails with [`Error::InvalidRequest`] naming the operation. Use the
    /// client without extras for those (an empty `{}` adds nothing, and is never
    /// refused).
    ///
    /// Retries send the merged body again, as they send any body. `Debug` of the client
    /// shows the names of the extra fields, never their values, and nothing logs them.
    pub fn with_extra_body(&self, fields: impl Serialize) -> Result<Client, Error> {
        let fields = match serde_json::to_value(fields) {
            Ok(Value::Object(fields)) => fields,
            Ok(other) => {
                return Err(Error::InvalidRequest(format!(
                    "the extra body fields must be a JSON object of field names and values \
                     (such as {{\"systemPrompt\": \"...\"}}), not {}",
                    kind_of(&other)
                )))
            }
            Err(error) => {
                return Err(Error::InvalidRequest(format!(
                    "the extra body fields can't be written as JSON: {error}"
                )))
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
    /// empty name fails with [`Error::InvalidRequest`].
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
                return Err(Error::InvalidRequest(
                    "an extra query parameter has an empty name".to_string(),
                ));
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
    /// Fails with [`Error::InvalidRequest`], naming the header (never its value), on a
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
                Error::InvalidRequest(format!("{shown:?} is not a valid HTTP header name"))
            })?;
            if REFUSED_HEADERS.contains(&header.as_str()) {
                return Err(Error::InvalidRequest(format!(
                    "the extra header {header} is refused: the client sets it itself{}",
                    if header == "x-api-key" || header == "x-workspace-id" {
                        " from the credentials of Client::new or Client::builder"
                    } else {
                        " from the base URL and the body"
                    }
                )));
            }
            let mut value = HeaderValue::from_str(value.as_ref()).map_err(|_| {
                Error::InvalidRequest(format!(
                    "the value of the extra header {header} has characters not allowed in \
                     an HTTP header"
                ))
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

/// Merges `extra` into `target` by the rules of [`Client::with_extra_body`]: objects
/// merge member by member, any other value of `extra` replaces the one of `target`.
fn merge_values(target: &mut Map<String, Value>, extra: Map<String, Value>) {
    for (name, value) in extra {
        match (target.get_mut(&name), value) {
            (Some(Value::Object(inner)), Value::Object(nested)) => merge_values(inner, nested),
            (_, value) => {
                target.insert(name, value);
            }
        }
    }
}

/// Adds `extra` to the query of `url`, dropping the parameters of the same names first.
fn add_query(url: &mut reqwest::Url, extra: &[(String, String)]) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !extra.iter().any(|(extra, _)| extra == name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept.iter().chain(extra));
}

/// Merges `fields` into the JSON body of `request` (and fixes its `Content-Length`), or
/// says why the request has no body to merge them into.
fn merge_into_body(
    request: &mut reqwest::Request,
    fields: &Map<String, Value>,
    info: &OperationInfo,
) -> Result<(), String> {
    let refuse = |why: String| {
        let names = masked(fields.keys().map(String::as_str)).join(", ");
        let operation = match crate::transport::operation(info.operation_id) {
            Some(op) => format!("{} ({} {})", op.operation_id, op.method, op.path),
            None => info.operation_id.to_string(),
        };
        Err(format!(
            "extra body fields ({names}) can't be sent with {operation}: {why}; send it \
             from a client without with_extra_body"
        ))
    };
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    let body = match (request.body(), content_type.as_deref()) {
        (None, _) => return refuse("it has no request body".to_string()),
        (Some(_), Some("application/json")) => request.body().and_then(reqwest::Body::as_bytes),
        (Some(_), Some(other)) => {
            return refuse(format!(
                "its body is {other}, and extra fields go into JSON bodies only"
            ))
        }
        (Some(_), None) => return refuse("its body has no content type".to_string()),
    };
    let Some(body) = body else {
        return refuse("its body is a stream".to_string());
    };
    let merged = std::str::from_utf8(body)
        .ok()
        .and_then(|body| merge_object(body, fields).ok());
    let Some(merged) = merged else {
        return refuse("its body is not a JSON object".to_string());
    };
    let length = merged.len();
    *request.body_mut() = Some(merged.into());
    if request.headers().contains_key(CONTENT_LENGTH) {
        request
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(())
}

/// The members of a JSON object as written, in order.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Members, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// `object` (the text of a JSON object) with `fields` merged in by the rules of
/// [`Client::with_extra_body`]. Only the members on the way to an extra field are taken
/// apart; every other member keeps its exact text and place.
fn merge_object(object: &str, fields: &Map<String, Value>) -> Result<String, serde_json::Error> {
    let Members(mut members) = serde_json::from_str(object)?;
    for (name, value) in fields {
        let merged = match members.iter_mut().find(|(known, _)| known == name) {
            Some((_, slot)) => slot,
            None => {
                members.push((name.clone(), to_raw_value(value)?));
                continue;
            }
        };
        *merged = match value {
            Value::Object(nested) if merged.get().trim_start().starts_with('{') => {
                RawValue::from_string(merge_object(merged.get(), nested)?)?
            }
            _ => to_raw_value(value)?,
        };
    }
    let mut text = String::with_capacity(object.len() + 64);
    text.push('{');
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&serde_json::to_string(name)?);
        text.push(':');
        text.push_str(value.get());
    }
    text.push('}');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `body` (as serde writes it) merged with `extra` gives exactly `expected` (text).
    fn check(body: &str, extra: Value, expected: &str) {
        let Value::Object(extra) = extra else {
            panic!("extras are objects")
        };
        let merged = merge_object(body, &extra).expect("merges");
        assert_eq!(merged, expected, "{body} + {extra:?}");
        serde_json::from_str::<Value>(&merged).expect("the merged body is JSON");
    }

    #[test]
    fn extra_fields_merge_into_the_body_by_the_documented_rules() {
        // New fields come after the typed ones, which keep their text and order.
        check(
            r#"{"name":"A","llmModel":"gpt-4o"}"#,
            json!({"systemPrompt": "Be brief."}),
            r#"{"name":"A","llmModel":"gpt-4o","systemPrompt":"Be brief."}"#,
        );
        // Objects merge at any depth.
        check(
            r#"{"settings":{"callSetting":{"a":1},"customerLocation":"ny"}}"#,
            json!({"settings": {"callSetting": {"b": 2}, "speechSetting": {"x": true}}}),
            r#"{"settings":{"callSetting":{"a":1,"b":2},"customerLocation":"ny","speechSetting":{"x":true}}}"#,
        );
        // The extra value wins everywhere else: scalars, arrays (whole), null (sent).
        check(
            r#"{"name":"A","phoneNumberIds":["p1","p2"],"speed":0.5}"#,
            json!({"name": "B", "phoneNumberIds": ["p3"], "speed": null}),
            r#"{"name":"B","phoneNumberIds":["p3"],"speed":null}"#,
        );
        // An object replaces a scalar, and a scalar an object.
        check(
            r#"{"settings":"x","ttsModel":{"provider":"rime"}}"#,
            json!({"settings": {"a": 1}, "ttsModel": false}),
            r#"{"settings":{"a":1},"ttsModel":false}"#,
        );
        // Numbers of the typed body are never parsed again: their text stays.
        check(
            r#"{"speed":0.30000000000000004,"big":18446744073709551615,"e":1e300}"#,
            json!({"n": 1}),
            r#"{"speed":0.30000000000000004,"big":18446744073709551615,"e":1e300,"n":1}"#,
        );
        // Escapes in names and values survive.
        check(
            r#"{"a\"b":"line\nbreak \u00e9"}"#,
            json!({"c\"d": "é"}),
            r#"{"a\"b":"line\nbreak \u00e9","c\"d":"é"}"#,
        );
        // An empty body object gains the fields.
        check("{}", json!({"a": {"b": []}}), r#"{"a":{"b":[]}}"#);
    }

    #[test]
    fn a_body_that_is_not_an_object_is_not_merged() {
        let Value::Object(extra) = json!({"a": 1}) else {
            unreachable!()
        };
        for body in [r#"["a"]"#, r#""text""#, "null", "1", "{"] {
            assert!(merge_object(body, &extra).is_err(), "{body}");
        }
    }

    #[test]
    fn successive_extras_merge_deeply_and_the_later_wins() {
        let mut target = Map::new();
        let Value::Object(first) = json!({"a": 1, "settings": {"x": 1, "y": [1]}}) else {
            unreachable!()
        };
        let Value::Object(second) = json!({"settings": {"y": [2], "z": null}, "b": 2}) else {
            unreachable!()
        };
        merge_values(&mut target, first);
        merge_values(&mut target, second);
        assert_eq!(
            Value::Object(target),
            json!({"a": 1, "b": 2, "settings": {"x": 1, "y": [2], "z": null}})
        );
    }

    #[test]
    fn extra_query_parameters_replace_those_of_the_same_name() {
        let mut url = reqwest::Url::parse("http://h/p?agentId=a&page=2&agentId=b").expect("url");
        add_query(
            &mut url,
            &[
                ("agentId".to_string(), "c d".to_string()),
                ("new".to_string(), "+1".to_string()),
            ],
        );
        assert_eq!(url.query(), Some("page=2&agentId=c+d&new=%2B1"));
    }
}
