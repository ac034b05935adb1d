//! The multipart bodies a mock receives, split into their parts.

use serde_json::{Map, Value};

/// A part of a received multipart body.
#[derive(Debug, Clone)]
pub struct ReceivedPart {
    /// Form field name.
    pub name: String,
    /// File name, for file parts.
    pub file_name: Option<String>,
    /// `Content-Type` of the part.
    pub content_type: Option<String>,
    /// Content as text.
    pub text: String,
}

/// Splits a `multipart/form-data` body into its parts.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<ReceivedPart> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
        .trim_matches('"');
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in text.split(delimiter.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
        let (head, content) = chunk.split_once("\r\n\r\n").expect("part headers");
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        let mut part = ReceivedPart {
            name: String::new(),
            file_name: None,
            content_type: None,
            text: content.to_string(),
        };
        for line in head.lines() {
            let (key, value) = line.split_once(':').expect("header line");
            if key.eq_ignore_ascii_case("content-disposition") {
                for item in value.split(';').map(str::trim) {
                    if let Some(name) = item.strip_prefix("name=") {
                        part.name = name.trim_matches('"').to_string();
                    } else if let Some(name) = item.strip_prefix("filename=") {
                        part.file_name = Some(name.trim_matches('"').to_string());
                    }
                }
            } else if key.eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_string());
            }
        }
        parts.push(part);
    }
    parts
}

/// The form fields as the JSON object `trillet_spec` validates multipart bodies as: JSON
/// parts parsed, others as strings.
pub fn form_fields_as_json(parts: &[ReceivedPart]) -> Value {
    let mut fields = Map::new();
    for part in parts {
        let value = if part.content_type.as_deref() == Some("application/json") {
            serde_json::from_str(&part.text).expect("a JSON part")
        } else {
            Value::String(part.text.clone())
        };
        fields.insert(part.name.clone(), value);
    }
    Value::Object(fields)
}
