//! Routes come from the document: an operation that only a fixture document has is
//! served from its example, without a line of code for it.

use trillet_mock::MockConfig;

use crate::{send, start};

const FIXTURE: &str = r#"
openapi: 3.0.3
info: {title: fixture, version: "1"}
security: [{ApiKey: []}]
components:
  securitySchemes:
    ApiKey: {type: apiKey, in: header, name: x-api-key}
paths:
  /v9/api/greetings/{greetingId}:
    parameters:
      - {name: greetingId, in: path, required: true, schema: {type: string, minLength: 3}}
    get:
      operationId: getGreeting
      responses:
        "200":
          description: A greeting.
          content:
            application/json:
              schema:
                type: object
                required: [text]
                properties: {text: {type: string}, count: {type: integer}}
              example: {text: "hello", count: 3}
    post:
      operationId: replyToGreeting
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [reply]
              properties: {reply: {type: string}}
      responses:
        "201":
          description: Replied.
          content:
            application/json:
              schema: {type: object, required: [ok], properties: {ok: {type: boolean}}}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_added_to_the_document_is_served_from_its_example() {
    let mock = start(MockConfig {
        document: Some(FIXTURE.to_owned()),
        ..MockConfig::default()
    })
    .await;
    let got = send(&mock, "GET", "/v9/api/greetings/abc", None, &[], true).await;
    assert_eq!(
        (got.status, got.json()),
        (200, serde_json::json!({"text": "hello", "count": 3}))
    );
    // No example: an answer made from the schema, with the documented status.
    let body = Some(("application/json", br#"{"reply":"hi"}"#.to_vec()));
    let replied = send(&mock, "POST", "/v9/api/greetings/abc", body, &[], true).await;
    assert_eq!(
        (replied.status, replied.json()),
        (201, serde_json::json!({"ok": false}))
    );
    // And it is checked like any other.
    let short = send(&mock, "GET", "/v9/api/greetings/ab", None, &[], true).await;
    assert_eq!(short.status, 400);
    assert!(short.json()["message"]
        .as_str()
        .unwrap_or("")
        .contains("path parameter greetingId"));
    let body = Some(("application/json", br#"{"reply":7}"#.to_vec()));
    let wrong = send(&mock, "POST", "/v9/api/greetings/abc", body, &[], true).await;
    assert!(wrong.json()["message"]
        .as_str()
        .unwrap_or("")
        .contains("/reply: expected string"));
    assert_eq!(
        send(&mock, "GET", "/v9/api/greetings/abc", None, &[], false)
            .await
            .status,
        401
    );
}
