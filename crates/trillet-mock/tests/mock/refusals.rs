//! Requests the contract forbids are refused with its error shape, and the message names
//! the JSON pointer (or the parameter, or the header) of the problem.

use trillet_mock::MockConfig;
use trillet_spec::SpecValidator;

use crate::{send, start};

struct Case {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    auth: bool,
    status: u16,
    says: &'static str,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_requests_are_refused_with_the_pointer_of_the_problem() {
    let mock = start(MockConfig::default()).await;
    let cases = [
        Case {
            name: "a phone number sent as a number",
            method: "POST",
            path: "/v1/api/calls/call",
            body: Some(r#"{"agentId":"a1","toNumber":14155551234}"#),
            auth: true,
            status: 400,
            says: "/toNumber: expected string",
        },
        Case {
            name: "a required field missing",
            method: "POST",
            path: "/v1/api/calls/call",
            body: Some(r#"{"toNumber":"+14155551234"}"#),
            auth: true,
            status: 400,
            says: "agentId",
        },
        Case {
            name: "no API key",
            method: "GET",
            path: "/v1/api/agents",
            body: None,
            auth: false,
            status: 401,
            says: "header x-api-key",
        },
        Case {
            name: "a query parameter over its maximum",
            method: "GET",
            path: "/v1/api/batch-calls/b1/calls?limit=500",
            body: None,
            auth: true,
            status: 400,
            says: "query parameter limit: expected an integer ≤ 100",
        },
        Case {
            name: "a query parameter outside its enum",
            method: "GET",
            path: "/v1/api/batch-calls/b1/calls?status=lost",
            body: None,
            auth: true,
            status: 400,
            says: "query parameter status: expected one of all",
        },
        Case {
            name: "a body that is not JSON",
            method: "POST",
            path: "/v1/api/agents",
            body: Some("{name:"),
            auth: true,
            status: 400,
            says: "body: not JSON",
        },
        Case {
            name: "a path the contract does not have",
            method: "GET",
            path: "/v1/api/nothing",
            body: None,
            auth: true,
            status: 404,
            says: "no operation of the contract matches",
        },
        Case {
            name: "a method the path does not take",
            method: "PATCH",
            path: "/v1/api/agents",
            body: None,
            auth: true,
            status: 405,
            says: "takes GET, POST",
        },
        Case {
            name: "a bad fault header",
            method: "GET",
            path: "/v1/api/agents",
            body: None,
            auth: true,
            status: 400,
            says: "header x-mock-fault",
        },
    ];
    let spec = SpecValidator::embedded();
    for case in cases {
        let body = case
            .body
            .map(|b| ("application/json", b.as_bytes().to_vec()));
        let fault: &[(&str, &str)] = if case.name == "a bad fault header" {
            &[("x-mock-fault", "boom")]
        } else {
            &[]
        };
        let answer = send(&mock, case.method, case.path, body, fault, case.auth).await;
        let json = answer.json();
        let message = json["message"].as_str().unwrap_or("");
        assert_eq!(answer.status, case.status, "{}: {json}", case.name);
        assert!(message.contains(case.says), "{}: {message}", case.name);
        assert!(
            !message.contains("14155551234"),
            "{}: a phone number in {message}",
            case.name
        );
        // The error body is the contract's own shape.
        let operation = if case.path.contains("calls/call") {
            "sendCall"
        } else {
            "listAgents"
        };
        assert!(
            spec.validate_response(operation, answer.status.max(400), &json)
                .is_ok(),
            "{}",
            case.name
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_csv_with_a_bad_row_is_refused_with_its_line() {
    let mock = start(MockConfig::default()).await;
    let (content_type, body) = crate::form(&[
        (
            "file",
            Some("calls.csv"),
            b"phone_number\n+14155551234\n4155550000\n",
        ),
        ("agentId", None, b"example-agent-id-1"),
    ]);
    let answer = send(
        &mock,
        "POST",
        "/v1/api/batch-calls",
        Some((&content_type, body)),
        &[],
        true,
    )
    .await;
    assert_eq!(answer.status, 400);
    let message = answer.json()["message"].as_str().unwrap_or("").to_owned();
    assert!(
        message.starts_with("/file: the CSV has 1 problem(s): line 3:"),
        "{message}"
    );
    assert!(mock.requests_of("startBatch").len() == 1);
}
