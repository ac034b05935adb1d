//! What a response says besides its body, success or error alike: the server's request
//! id. The status and headers of a success are on [`ResponseValue`] itself
//! (`status()`, `headers()`); those of an error on [`ApiError`](crate::ApiError).

use progenitor_client::ResponseValue;

use crate::error::REQUEST_ID_HEADER;

/// The request id of a response, for support tickets and logs: the server's
/// `x-request-id` header. Implemented for every success ([`ResponseValue`]); an error has
/// the same accessor, [`Error::request_id`](crate::Error::request_id).
///
/// ```no_run
/// use trillet::ResponseMeta;
///
/// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
/// let agents = client.list_agents().await?;
/// println!("{} agents (status {}, request {:?})", agents.len(), agents.status(), agents.request_id());
/// # Ok(()) }
/// ```
pub trait ResponseMeta {
    /// The server's request id (`x-request-id`), when it sent one as text.
    fn request_id(&self) -> Option<&str>;
}

impl<T> ResponseMeta for ResponseValue<T> {
    fn request_id(&self) -> Option<&str> {
        self.headers()
            .get(REQUEST_ID_HEADER)
            .and_then(|value| value.to_str().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue};
    use reqwest::StatusCode;

    #[test]
    fn the_request_id_is_the_header_when_it_is_text() {
        let check = |value: Option<&[u8]>, expected: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = value {
                let value = HeaderValue::from_bytes(value).expect("header value");
                headers.insert(REQUEST_ID_HEADER, value);
            }
            let response = ResponseValue::new((), StatusCode::OK, headers);
            assert_eq!(response.request_id(), expected, "{value:?}");
        };
        check(Some(b"req_42"), Some("req_42"));
        check(None, None);
        check(Some(b"\xff\xfe"), None);
    }
}
