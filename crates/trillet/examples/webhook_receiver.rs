//! A webhook receiver: a small `axum` server that verifies each webhook's signature
//! before it reads the event, and acknowledges what it does not handle.
//!
//! ```text
//! TRILLET_WEBHOOK_SECRET=whsec_... cargo run -p trillet --example webhook_receiver -- 127.0.0.1:3000
//! ```
//!
//! Point the workspace's webhook URL at `http://<host>:3000/webhooks/trillet` (behind
//! HTTPS in production). A request without a valid `X-Trillet-Signature` gets 401 and is
//! not parsed; a body over 1 MiB gets 413 before anything is verified. Webhooks may be
//! sent more than once: key what you do on the event and its call id.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use trillet::webhook::{
    verify_and_parse, WebhookError, WebhookEvent, WebhookSecret, SIGNATURE_HEADER,
};

/// Where the receiver listens for webhooks.
pub const WEBHOOK_PATH: &str = "/webhooks/trillet";
/// The largest webhook body read.
pub const MAX_BODY: usize = 1024 * 1024;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let address = std::env::args().nth(1).unwrap_or("127.0.0.1:3000".into());
    let outcome = async {
        let address: SocketAddr = address.parse()?;
        // Fails at startup, not at the first webhook, when the secret is unset or empty.
        let secret = WebhookSecret::from_env()?;
        let listener = tokio::net::TcpListener::bind(address).await?;
        println!("listening on http://{address}{WEBHOOK_PATH}");
        axum::serve(listener, app(secret)).await?;
        Ok::<(), Box<dyn std::error::Error>>(())
    };
    match outcome.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The receiver's routes: `POST` [`WEBHOOK_PATH`], bodies up to [`MAX_BODY`].
pub fn app(secret: WebhookSecret) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(Arc::new(secret))
}

/// Verifies, parses and handles one webhook: 200 for every verified event (handled or
/// not: an unacknowledged webhook may be sent again), 401 for a bad or missing signature,
/// 400 for a verified body that is not an event.
async fn receive(
    State(secret): State<Arc<WebhookSecret>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok());
    match verify_and_parse(&secret, &body, signature) {
        Ok(WebhookEvent::CallCompleted(call)) => {
            println!(
                "call {} completed after {:?} s",
                call.call_id.as_deref().unwrap_or("?"),
                call.duration
            );
            StatusCode::OK
        }
        Ok(other) => {
            println!("{} (not handled)", other.event_type());
            StatusCode::OK
        }
        // The messages hold nothing of the body.
        Err(refused @ WebhookError::InvalidPayload(_)) => {
            eprintln!("refused: {refused}");
            StatusCode::BAD_REQUEST
        }
        Err(refused) => {
            eprintln!("refused: {refused}");
            StatusCode::UNAUTHORIZED
        }
    }
}
