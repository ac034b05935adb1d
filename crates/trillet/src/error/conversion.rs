//! How errors of the layers below become an [`Error`]: progenitor's error (reading the
//! body of an error response), reqwest's, and a redirect.

use progenitor_client::Error as GeneratedError;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::{ApiError, DecodeError, Error, InvalidArgument, TransportError, TransportErrorKind};

impl Error {
    /// Converts an error of the generated client, reading the body of an error response.
    pub(crate) async fn from_generated(error: GeneratedError<()>) -> Error {
        match error {
            GeneratedError::UnexpectedResponse(response) => {
                let status = response.status();
                if status.is_redirection() {
                    return Error::redirect(status, response.headers());
                }
                let headers = response.headers().clone();
                let truncated = response
                    .extensions()
                    .get::<crate::bounded_body::BodyTruncated>()
                    .is_some();
                // The transport has read the body already (within the error-body limit).
                match response.bytes().await {
                    Ok(body) => {
                        let mut api = ApiError::from_parts(status, &headers, &body);
                        api.truncated = truncated;
                        Error::Api(Box::new(api))
                    }
                    Err(error) => Error::from_reqwest(error),
                }
            }
            GeneratedError::ErrorResponse(response) => Error::Api(Box::new(ApiError::from_parts(
                response.status(),
                response.headers(),
                &[],
            ))),
            GeneratedError::CommunicationError(error)
            | GeneratedError::InvalidUpgrade(error)
            | GeneratedError::ResponseBodyError(error) => Error::from_reqwest(error),
            GeneratedError::InvalidResponsePayload(_, error) => {
                Error::Decode(DecodeError::new(&error))
            }
            // The `pre` hook's refusal (extra body fields on a request without a JSON
            // body); progenitor's own uses (header values, form bodies) are of the request
            // too. The message names the operation and what to do.
            GeneratedError::InvalidRequest(message) | GeneratedError::Custom(message) => {
                Error::InvalidArgument(InvalidArgument::new("request", message))
            }
        }
    }

    /// A reqwest error as the client reports it: a body over the limit, a timeout, or a
    /// transport failure kept as redacted text.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Error {
        if let Some(too_large) = crate::bounded_body::body_too_large(&error) {
            return Error::ResponseTooLarge {
                status: too_large.status,
                limit: too_large.limit,
            };
        }
        let error = TransportError::new(error);
        if error.kind() == TransportErrorKind::Timeout {
            Error::Timeout(error)
        } else {
            Error::Transport(error)
        }
    }

    /// A success body that does not decode ([`Error::Decode`], serde's quoted values
    /// removed).
    pub(crate) fn from_decode(error: &serde_json::Error) -> Error {
        Error::Decode(DecodeError::new(error))
    }

    /// A 3xx response, naming only the host its `Location` points to.
    fn redirect(status: StatusCode, headers: &HeaderMap) -> Error {
        let location_host = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| reqwest::Url::parse(v.trim()).ok())
            .and_then(|url| url.host_str().map(str::to_string));
        Error::Redirect {
            status,
            location_host,
        }
    }
}
