//! The `multipart/form-data` bodies of the hand-written uploads (progenitor can't
//! generate them: upstream issue #518), and the one sender every upload shares.
//!
//! A body is encoded here into bytes once, so that the request can be copied and sent
//! again when the retry policy allows it (reqwest's own multipart bodies are streams,
//! which can't be). `Client::send_form` sends it through the generated client's
//! reqwest client and hooks, exactly as the generated operations are sent.

use std::borrow::Cow;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use crate::error::{Error, InvalidArgument};
use crate::operation::Operation;
use crate::Client;

impl Client {
    /// Sends a multipart request for `operation` (one of the contract's hand-written
    /// operations, `crate::generated::operations`) through the generated client's reqwest
    /// client and hooks (so its retry policy and `x-trillet-retry`), exactly as generated
    /// operations do, and decodes a 2xx JSON body. `path_values` fill the operation's
    /// path template (`[("flowId", id)]`), percent-encoded.
    pub(crate) async fn send_form<T: DeserializeOwned>(
        &self,
        operation: &'static Operation,
        path_values: &[(&str, &str)],
        parts: Vec<FormPart>,
    ) -> Result<ResponseValue<T>, Error> {
        let api = &self.api;
        let path = operation.path_with(path_values).ok_or_else(|| {
            InvalidArgument::new(
                "path",
                format!(
                    "the values given for {} do not fill its path template {}",
                    operation.operation_id, operation.path
                ),
            )
            .with_next_step("this is a bug of the trillet crate: please report it")
        })?;
        let url = format!("{}{path}", api.baseurl());
        let (content_type, body) = encode_multipart(&parts);
        // `multipart/form-data; boundary=trillet-<hex>`: always a valid header value.
        let content_type = HeaderValue::try_from(content_type)
            .unwrap_or_else(|_| unreachable!("a boundary of hex digits is a valid header value"));
        let mut request = api
            .client()
            .request(operation.method.as_reqwest(), url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .build()
            .map_err(Error::from_reqwest)?;
        let info = OperationInfo {
            operation_id: operation.id,
        };
        let outcome: Result<ResponseValue<T>, progenitor_client::Error<()>> = async {
            api.pre(&mut request, &info).await?;
            let result = api.exec(request, &info).await;
            api.post(&result, &info).await?;
            let response = result?;
            if response.status().is_success() {
                ResponseValue::from_response(response).await
            } else {
                Err(progenitor_client::Error::UnexpectedResponse(response))
            }
        }
        .await;
        match outcome {
            Ok(value) => Ok(value),
            Err(error) => Err(Error::from_generated(error).await),
        }
    }
}

/// One part of a `multipart/form-data` body.
pub(crate) struct FormPart {
    pub(crate) name: Cow<'static, str>,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) content: Vec<u8>,
}

impl FormPart {
    /// A text field.
    pub(crate) fn text(name: &'static str, value: &str) -> FormPart {
        FormPart {
            name: Cow::Borrowed(name),
            file_name: None,
            content_type: None,
            content: value.as_bytes().to_vec(),
        }
    }
}

/// Encodes `parts` as a `multipart/form-data` body (RFC 7578): the `Content-Type` header
/// value with its boundary, and the bytes. The boundary is random and chosen again in the
/// unlikely case that a part contains it.
pub(crate) fn encode_multipart(parts: &[FormPart]) -> (String, Vec<u8>) {
    let boundary = loop {
        let candidate = format!(
            "trillet-{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..)
        );
        let clashes = parts
            .iter()
            .any(|part| contains(&part.content, candidate.as_bytes()));
        if !clashes {
            break candidate;
        }
    };
    let size: usize = parts.iter().map(|p| p.content.len() + 200).sum();
    let mut body = Vec::with_capacity(size + boundary.len() + 8);
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            )
            .as_bytes(),
        );
        if let Some(file_name) = &part.file_name {
            body.extend_from_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            body.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A name or file name inside a quoted header parameter: quotes and line breaks
/// percent-encoded, as browsers do (HTML's multipart/form-data encoding).
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_frame_every_part_with_one_boundary() {
        let parts = vec![
            FormPart {
                name: "file".into(),
                file_name: Some("my \"calls\".csv".to_string()),
                content_type: Some("text/csv".to_string()),
                content: b"phone_number\n+14155551234\n".to_vec(),
            },
            FormPart::text("agentId", "agent-1"),
        ];
        let (content_type, body) = encode_multipart(&parts);
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a boundary");
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my %22calls%22.csv\"\r\n\
             Content-Type: text/csv\r\n\r\nphone_number\n+14155551234\n\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"agentId\"\r\n\r\nagent-1\r\n\
             --{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body).expect("text"), expected);
    }
}
