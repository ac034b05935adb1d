//! How extras go into a request: JSON objects merged on the bytes serde wrote (only the
//! objects on the way to an extra field are taken apart, every other value keeps its
//! exact text), and query parameters replaced by name.

use std::fmt;

use reqwest::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::{to_raw_value, RawValue};
use serde_json::{Map, Value};

/// Merges `extra` into `target` by the rules of
/// [`Client::with_extra_body`](crate::Client::with_extra_body): objects
/// merge member by member, any other value of `extra` replaces the one of `target`.
pub(super) fn merge_values(target: &mut Map<String, Value>, extra: Map<String, Value>) {
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
pub(super) fn add_query(url: &mut reqwest::Url, extra: &[(String, String)]) {
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
/// says why the request has no body to merge them into (`it has no request body`).
pub(super) fn merge_into_body(
    request: &mut reqwest::Request,
    fields: &Map<String, Value>,
) -> Result<(), String> {
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
        (None, _) => return Err("it has no request body".to_string()),
        (Some(_), Some("application/json")) => request.body().and_then(reqwest::Body::as_bytes),
        (Some(_), Some(other)) => {
            return Err(format!(
                "its body is {other}, and extra fields go into JSON bodies only"
            ))
        }
        (Some(_), None) => return Err("its body has no content type".to_string()),
    };
    let Some(body) = body else {
        return Err("its body is a stream".to_string());
    };
    let merged = std::str::from_utf8(body)
        .ok()
        .and_then(|body| merge_object(body, fields).ok());
    let Some(merged) = merged else {
        return Err("its body is not a JSON object".to_string());
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
/// [`Client::with_extra_body`](crate::Client::with_extra_body). Only the members on the way to an extra field are taken
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
