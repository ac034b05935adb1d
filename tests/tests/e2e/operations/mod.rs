//! Every operation of the spec over real HTTP: method, path, query, both auth headers and
//! the body the client sends are checked, the JSON body is validated against the spec's
//! request schema, and the answer is the spec's own response example, decoded into the
//! generated type without losing a field.
//!
//! One file per group of operations; this one holds the checks they share and the test that
//! every operation of the spec has a test in one of them.

mod agents_and_call_flows;
mod call_history;
mod calls_and_batches;
mod folders_workspaces_and_voices;
mod messaging;
mod numbers_and_knowledge_bases;

use std::future::Future;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use trillet::{ByteStream, Client, Error, ResponseValue};
use trillet_e2e::{
    example_at, operation, request_example, request_examples, success_example_names, Expect,
    Harness,
};

/// Mocks `expect` once for each success example of the operation in the spec (with
/// `body` as the JSON the client must send, when given), makes the call with `body`
/// decoded into the generated request type, and verifies both ways.
async fn check<B, R, F, Fut>(expect: Expect, body: Option<Value>, call: F)
where
    B: DeserializeOwned,
    R: Serialize,
    F: Fn(Client, B) -> Fut,
    Fut: Future<Output = Result<ResponseValue<R>, Error>>,
{
    let id = expect.operation_id().to_string();
    let answers = success_example_names(&id);
    assert!(!answers.is_empty(), "{id}: the spec has no success example");
    for answer in answers {
        let harness = Harness::start().await;
        let mut expect = expect.clone().respond_with_example(&answer);
        if let Some(json) = &body {
            expect = expect.json(json.clone());
        }
        let typed: B =
            serde_json::from_value(body.clone().unwrap_or(Value::Null)).unwrap_or_else(|e| {
                panic!("{id}: the example does not decode into the request type: {e}")
            });
        let expectation = harness.expect(expect).await;
        let response = call(harness.client.clone(), typed)
            .await
            .unwrap_or_else(|e| panic!("{id}, answered with {answer}: {e}"));
        expectation.verify(response.as_ref());
    }
}

/// [`check`] with each JSON request example of the operation in turn as the body.
async fn check_each_body<B, R, F, Fut>(expect: Expect, call: F)
where
    B: DeserializeOwned,
    R: Serialize,
    F: Fn(Client, B) -> Fut,
    Fut: Future<Output = Result<ResponseValue<R>, Error>>,
{
    let bodies = request_examples(expect.operation_id());
    assert!(
        !bodies.is_empty(),
        "{}: no request example",
        expect.operation_id()
    );
    for (_, body) in bodies {
        check(expect.clone(), Some(body), &call).await;
    }
}

fn example(operation_id: &str, name: &str) -> Option<Value> {
    Some(request_example(operation_id, name))
}

/// The pointer of a media type's named example value, e.g. the CSV of a multipart body.
fn media_example(operation_id: &str, part: &str, media_type: &str, name: &str) -> Value {
    let (method, path) = operation(operation_id);
    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
    example_at(&format!(
        "/paths/{}/{}/{part}/content/{}/examples/{name}/value",
        escape(&path),
        method.to_lowercase(),
        escape(media_type)
    ))
}

/// The whole body of a byte-stream response.
async fn bytes_of(response: ResponseValue<ByteStream>) -> Vec<u8> {
    let mut stream = response.into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        bytes.extend_from_slice(&chunk.expect("a chunk of the body"));
    }
    bytes
}

/// The file names of the parts of the one multipart request received.
fn file_names(expectation: &trillet_e2e::Expectation<'_>) -> Vec<Option<String>> {
    let request = expectation.request();
    let content_type = request
        .headers_vec()
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .expect("content type");
    trillet_e2e::parse_multipart(&content_type, request.body_ref())
        .into_iter()
        .map(|part| part.file_name)
        .collect()
}

/// Every file of this folder, for the test that every operation has a test in one of them
/// (which also checks that this lists every `.rs` file of the folder).
const SOURCES: [(&str, &str); 7] = [
    (
        "agents_and_call_flows.rs",
        include_str!("agents_and_call_flows.rs"),
    ),
    ("call_history.rs", include_str!("call_history.rs")),
    ("calls_and_batches.rs", include_str!("calls_and_batches.rs")),
    (
        "folders_workspaces_and_voices.rs",
        include_str!("folders_workspaces_and_voices.rs"),
    ),
    ("messaging.rs", include_str!("messaging.rs")),
    ("mod.rs", include_str!("mod.rs")),
    (
        "numbers_and_knowledge_bases.rs",
        include_str!("numbers_and_knowledge_bases.rs"),
    ),
];

#[test]
fn every_operation_of_the_spec_is_tested_here() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/operations");
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| {
            entry
                .expect("an entry of the folder")
                .file_name()
                .into_string()
                .expect("a UTF-8 file name")
        })
        .filter(|name| name.ends_with(".rs"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = SOURCES.iter().map(|(name, _)| *name).collect();
    listed.sort_unstable();
    assert_eq!(
        listed,
        on_disk,
        "SOURCES must list every .rs file of {}",
        folder.display()
    );
    let ids: Vec<String> = trillet_e2e::spec()
        .operation_ids()
        .map(str::to_string)
        .collect();
    assert!(!ids.is_empty(), "the spec's operations were not found");
    let untested: Vec<&String> = ids
        .iter()
        .filter(|id| {
            let test = format!("Expect::op(\"{id}\")");
            !SOURCES.iter().any(|(_, source)| source.contains(&test))
        })
        .collect();
    assert!(
        untested.is_empty(),
        "no test in operations/ for {untested:?}"
    );
}

#[test]
fn every_operation_of_the_spec_is_in_the_readme_table() {
    let readme = trillet_e2e::readme();
    let missing: Vec<&str> = trillet_e2e::spec()
        .operation_ids()
        .filter(|id| !readme.contains(&format!("\n| {id} | `")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's operations table lacks {missing:?}"
    );
}
