//! The file naming rule.

use super::*;

fn check(file_name: &str, expected: Option<(&str, Option<u16>, Option<&str>)>) {
    let parsed = ExampleFileName::parse(file_name);
    let expected = expected.map(|(operation_id, status, slug)| ExampleFileName {
        operation_id: operation_id.to_owned(),
        status,
        slug: slug.map(str::to_owned),
    });
    assert_eq!(parsed, expected, "{file_name}");
}

#[test]
fn file_names_say_operation_direction_and_slug() {
    check(
        "createAgent.request.json",
        Some(("createAgent", None, None)),
    );
    check(
        "createAgent.request.missing-name.json",
        Some(("createAgent", None, Some("missing-name"))),
    );
    check(
        "getBatch.response.404.json",
        Some(("getBatch", Some(404), None)),
    );
    check(
        "getBatch.response.200.a.b.json",
        Some(("getBatch", Some(200), Some("a.b"))),
    );
    check("getBatch.response.json", None);
    check("getBatch.response.4XX.json", None);
    check("getBatch.response.99.json", None);
    check("getBatch.reply.200.json", None);
    check("createAgent.request..json", None);
    check(".request.json", None);
    check("README.md", None);
}
