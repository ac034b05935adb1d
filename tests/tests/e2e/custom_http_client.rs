//! Your own HTTP client settings ([`trillet::ClientBuilder::configure_http_client`]) on
//! the wire: they take effect (a proxy), and what the crate's guarantees rest on is set
//! on top of them: a redirect to another host is not followed even when the settings
//! ask for it (the credential never arrives there, the call is not placed twice), and a
//! default header can't replace the credentials.

use httpmock::MockServer;
use reqwest::header::{HeaderMap, HeaderValue};
use trillet::types::SendCallRequest;
use trillet::{E164PhoneNumber, Error};
use trillet_e2e::answers::{answer_in_turn, Answer, Route};
use trillet_e2e::{assert_client_credentials, client_builder};

const PROGRESS: &str = r#"{"status": "processing", "isComplete": false, "total": 2}"#;
const CALL_PLACED: &str = r#"{"status": "success", "callId": "call_1"}"#;

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_even_when_the_http_client_would() {
    let origin = MockServer::start_async().await;
    let elsewhere = MockServer::start_async().await;
    let route = Route::of("sendCall", &[]);
    let location = format!("{}{}", elsewhere.base_url(), route.path());
    let redirected = answer_in_turn(
        &origin,
        &route,
        vec![Answer::json(307, "{}").header("location", &location)],
    )
    .await;
    let landed = answer_in_turn(&elsewhere, &route, vec![Answer::json(200, CALL_PLACED)]).await;
    let client = client_builder(origin.base_url())
        .configure_http_client(|http| http.redirect(reqwest::redirect::Policy::limited(10)))
        .build()
        .expect("client");
    let number: E164PhoneNumber = "+14155551234".parse().expect("E.164");
    let error = client
        .send_call(&SendCallRequest::new("agent-1", number))
        .await
        .expect_err("a redirect");
    match &error {
        Error::Redirect {
            status,
            location_host,
        } => {
            assert_eq!(status.as_u16(), 307);
            assert_eq!(location_host.as_deref(), Some("127.0.0.1"));
        }
        other => panic!("expected a redirect, got {other:?}"),
    }
    assert_eq!(redirected.count(), 1, "the call was sent once");
    assert_eq!(
        landed.count(),
        0,
        "nothing, the API key least of all, reached the other host"
    );
}

#[tokio::test]
async fn the_http_clients_default_headers_can_not_replace_the_credentials() {
    let server = MockServer::start_async().await;
    let answered = answer_in_turn(
        &server,
        &Route::of("getBatchProgress", &["batch_1"]),
        vec![Answer::json(200, PROGRESS)],
    )
    .await;
    let client = client_builder(server.base_url())
        .configure_http_client(|http| {
            let mut headers = HeaderMap::new();
            headers.insert("x-api-key", HeaderValue::from_static("intruder-key"));
            headers.insert("x-workspace-id", HeaderValue::from_static("intruder-ws"));
            headers.insert("x-team", HeaderValue::from_static("billing"));
            http.default_headers(headers)
        })
        .build()
        .expect("client");
    client.get_batch_progress("batch_1").await.expect("200");
    let request = &answered.requests()[0];
    assert_client_credentials(request);
    let headers = request.headers();
    assert_eq!(headers.get_all("x-api-key").iter().count(), 1);
    assert_eq!(headers.get("x-team").expect("their own header"), "billing");
}

#[tokio::test]
async fn the_http_clients_proxy_carries_the_requests() {
    let proxy = MockServer::start_async().await;
    let answered = answer_in_turn(
        &proxy,
        &Route::of("getBatchProgress", &["batch_1"]),
        vec![Answer::json(200, PROGRESS)],
    )
    .await;
    let through = reqwest::Proxy::http(proxy.base_url()).expect("proxy");
    // A host that does not resolve: only the proxy can carry the request.
    let client = client_builder("http://api.trillet.invalid")
        .allow_plain_http(true)
        .configure_http_client(move |http| http.proxy(through.clone()))
        .build()
        .expect("client");
    let progress = client
        .get_batch_progress("batch_1")
        .await
        .expect("through the proxy");
    assert_eq!(progress.total, Some(2));
    assert_eq!(answered.count(), 1);
    let request = &answered.requests()[0];
    assert_client_credentials(request);
}
