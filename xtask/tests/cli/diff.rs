//! `cargo xtask diff` as a user runs it: one pair of documents per classification rule
//! (the table must cover every rule `--list-rules` prints), and the guard on the real
//! contract.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `xtask diff` with `args`; the exit code, stdout and stderr.
fn diff(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .output()
        .expect("xtask runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-diff-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path.to_str().expect("UTF-8").to_string()
}

/// The document every row edits.
const BASE: &str = r#"openapi: 3.0.3
info: {title: t, version: 1.0.0, description: d}
servers: [{url: 'https://api.example.com'}]
tags: [{name: Things, description: d}]
paths:
  /things:
    post:
      operationId: createThing
      summary: Create a thing
      tags: [Things]
      x-trillet-retry: side-effecting
      parameters:
        - {name: q, in: query, schema: {type: string}}
        - {name: X-Id, in: header, required: true, schema: {type: string}}
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/ThingCreate'}}}}
      responses:
        '200':
          description: ok
          headers: {X-Rate: {schema: {type: integer}}}
          content:
            application/json: {schema: {$ref: '#/components/schemas/Thing'}}
        '404': {description: missing}
  /other:
    get: {operationId: getOther, tags: [Things], x-trillet-retry: idempotent, responses: {'200': {description: ok}}}
x-webhooks:
  thingEvent:
    post:
      operationId: receiveThing
      tags: [Things]
      requestBody: {required: true, content: {application/json: {schema: {type: object, properties: {event: {type: string, enum: [made]}}}}}}
      responses: {'200': {description: ok}}
components:
  securitySchemes: {ApiKey: {type: apiKey, in: header, name: x-api-key}}
  schemas:
    Spare: {type: string}
    ThingCreate:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 10}
        kind: {type: string, enum: [a, b]}
        size: {type: integer, format: int32, maximum: 5, default: 1}
        note: {type: string}
        shape: {oneOf: [{type: string}, {type: integer}]}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        status: {type: string, enum: [open, shut]}
        label: {type: string}
        any: {oneOf: [{type: string}, {type: integer}]}
"#;

/// `BASE` with each `(find, replace)` applied once; a `find` that is not there fails.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (find, replace) in edits {
        assert!(text.contains(find), "`{find}` is not in the base document");
        text = text.replacen(find, replace, 1);
    }
    text
}

type Edits = &'static [(&'static str, &'static str)];

/// One rule: the edits of the released document, those of the new one.
const TABLE: &[(&str, Edits, Edits)] = &[
    ("operation-removed", &[], &[("get: {operationId: getOther", "x-gone: {operationId: getOther")]),
    ("operation-added", &[], &[("  /other:\n", "  /other:\n    put: {operationId: putOther, tags: [Things], responses: {'200': {description: ok}}}\n")]),
    ("path-changed", &[], &[("  /things:", "  /stuff:")]),
    ("operation-id-changed", &[], &[("operationId: createThing", "operationId: makeThing")]),
    ("operation-tags-changed", &[], &[("summary: Create a thing\n      tags: [Things]", "summary: Create a thing\n      tags: [Other]")]),
    ("retry-safety-changed", &[], &[("x-trillet-retry: side-effecting", "x-trillet-retry: idempotent")]),
    ("security-changed", &[], &[("summary: Create a thing\n", "summary: Create a thing\n      security: []\n")]),
    ("servers-changed", &[], &[("api.example.com", "api2.example.com")]),
    ("deprecated-changed", &[], &[("summary: Create a thing\n", "summary: Create a thing\n      deprecated: true\n")]),
    ("parameter-removed", &[], &[("        - {name: q, in: query, schema: {type: string}}\n", "")]),
    ("parameter-added-required", &[], &[("        - {name: q,", "        - {name: p, in: query, required: true, schema: {type: string}}\n        - {name: q,")]),
    ("parameter-added-optional", &[], &[("        - {name: q,", "        - {name: p, in: query, schema: {type: string}}\n        - {name: q,")]),
    ("parameter-became-required", &[], &[("{name: q, in: query,", "{name: q, in: query, required: true,")]),
    // Header names are case-insensitive: `x-id` is the same parameter.
    ("parameter-became-optional", &[], &[("{name: X-Id, in: header, required: true,", "{name: x-id, in: header,")]),
    ("parameter-style-changed", &[], &[("{name: q, in: query,", "{name: q, in: query, explode: false,")]),
    ("request-body-required", &[("requestBody: {required: true,", "requestBody: {required: false,")], &[]),
    ("request-body-optional", &[], &[("requestBody: {required: true,", "requestBody: {required: false,")]),
    ("request-body-removed", &[], &[("      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/ThingCreate'}}}}\n", "")]),
    ("media-type-removed", &[("            application/json: {schema: {$ref: '#/components/schemas/Thing'}}\n", "            application/json: {schema: {$ref: '#/components/schemas/Thing'}}\n            text/csv: {schema: {type: string}}\n")], &[]),
    ("media-type-added", &[], &[("            application/json: {schema: {$ref: '#/components/schemas/Thing'}}\n", "            application/json: {schema: {$ref: '#/components/schemas/Thing'}}\n            text/csv: {schema: {type: string}}\n")]),
    ("response-removed", &[], &[("        '404': {description: missing}\n", "")]),
    ("response-added", &[], &[("        '404': {description: missing}\n", "        '404': {description: missing}\n        '409': {description: conflict}\n")]),
    ("response-header-removed", &[], &[("headers: {X-Rate: {schema: {type: integer}}}", "headers: {}")]),
    ("response-header-added", &[], &[("headers: {X-Rate: {schema: {type: integer}}}", "headers: {X-Rate: {schema: {type: integer}}, X-Next: {schema: {type: string}}}")]),
    ("type-changed", &[], &[("id: {type: string}", "id: {type: integer}")]),
    ("format-changed", &[], &[("format: int32", "format: int64")]),
    ("nullable-narrowed", &[], &[("label: {type: string}", "label: {type: string, nullable: true}")]),
    ("nullable-widened", &[], &[("note: {type: string}", "note: {type: string, nullable: true}")]),
    ("request-property-added-required", &[], &[("      required: [name]\n", "      required: [name, colour]\n"), ("        note: {type: string}\n", "        note: {type: string}\n        colour: {type: string}\n")]),
    ("request-property-added-optional", &[], &[("        note: {type: string}\n", "        note: {type: string}\n        colour: {type: string}\n")]),
    ("response-property-added", &[], &[("        label: {type: string}\n", "        label: {type: string}\n        colour: {type: string}\n")]),
    ("property-removed", &[], &[("        note: {type: string}\n", "")]),
    ("request-property-became-required", &[], &[("required: [name]", "required: [name, note]")]),
    ("request-property-became-optional", &[], &[("      required: [name]\n", "")]),
    ("response-property-became-optional", &[], &[("      required: [id]\n", "")]),
    ("response-property-became-required", &[], &[("required: [id]", "required: [id, label]")]),
    ("request-enum-value-added", &[], &[("enum: [a, b]", "enum: [a, b, c]")]),
    ("request-enum-value-removed", &[], &[("enum: [a, b]", "enum: [a]")]),
    ("response-enum-value-added", &[], &[("enum: [open, shut]", "enum: [open, shut, ajar]")]),
    ("response-enum-value-removed", &[], &[("enum: [open, shut]", "enum: [open]")]),
    ("enum-added", &[], &[("note: {type: string}", "note: {type: string, enum: [x]}")]),
    ("enum-removed", &[], &[("kind: {type: string, enum: [a, b]}", "kind: {type: string}")]),
    ("request-constraint-narrowed", &[], &[("maxLength: 10", "maxLength: 5")]),
    ("request-constraint-widened", &[], &[("maxLength: 10", "maxLength: 20")]),
    ("response-constraint-changed", &[], &[("id: {type: string}", "id: {type: string, maxLength: 3}")]),
    ("request-variant-removed", &[], &[("shape: {oneOf: [{type: string}, {type: integer}]}", "shape: {oneOf: [{type: string}]}")]),
    ("variant-added", &[], &[("shape: {oneOf: [{type: string}, {type: integer}]}", "shape: {oneOf: [{type: string}, {type: integer}, {type: boolean}]}")]),
    ("response-variant-removed", &[], &[("any: {oneOf: [{type: string}, {type: integer}]}", "any: {oneOf: [{type: string}]}")]),
    ("request-default-changed", &[], &[("default: 1", "default: 2")]),
    ("component-schema-removed", &[], &[("    Spare: {type: string}\n", "")]),
    ("component-schema-added", &[], &[("    Spare: {type: string}\n", "    Spare: {type: string}\n    Spare2: {type: string}\n")]),
    ("tag-list-changed", &[], &[("tags: [{name: Things, description: d}]", "tags: [{name: Things, description: d}, {name: More}]")]),
    ("docs-changed", &[], &[("summary: Create a thing", "summary: Make a thing")]),
    ("unclassified", &[], &[("id: {type: string}", "id: {type: string, readOnly: true}")]),
    // Webhook bodies travel to the receiver: classified as responses.
    ("response-enum-value-added", &[], &[("enum: [made]", "enum: [made, gone]")]),
    ("response-property-added", &[], &[("properties: {event: {type: string, enum: [made]}}", "properties: {event: {type: string, enum: [made]}, at: {type: string}}")]),
];

/// The rule id and class of each change line of `stdout`.
fn changes(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let class = words.next()?;
            ["breaking", "non-breaking", "docs-only"]
                .contains(&class)
                .then(|| {
                    (
                        class.to_string(),
                        words.next().unwrap_or_default().to_string(),
                    )
                })
        })
        .collect()
}

fn rules() -> Vec<(String, String)> {
    let (code, stdout, stderr) = diff(&["--list-rules"]);
    assert_eq!(code, 0, "{stderr}");
    changes(&stdout)
}

#[test]
fn each_rule_classifies_its_pair_of_documents() {
    let dir = scratch("table");
    let changelog = write(&dir, "CHANGELOG.md", "# Changelog\n");
    let classes: std::collections::BTreeMap<String, String> =
        rules().into_iter().map(|(class, id)| (id, class)).collect();
    let mut failures = Vec::new();
    for (index, (rule, old_edits, new_edits)) in TABLE.iter().enumerate() {
        let old = write(&dir, &format!("{index}-old.yaml"), &edited(old_edits));
        let new = write(&dir, &format!("{index}-new.yaml"), &edited(new_edits));
        let (code, stdout, stderr) =
            diff(&["--against", &old, "--spec", &new, "--changelog", &changelog]);
        let found = changes(&stdout);
        let class = classes.get(*rule).map_or("(no such rule)", String::as_str);
        let expected_code = if class == "breaking" { 1 } else { 0 };
        if found.is_empty()
            || found.iter().any(|(c, id)| id != rule || c != class)
            || code != expected_code
        {
            failures.push(format!(
                "{rule} ({class}): exit {code} (expected {expected_code}), changes {found:?}\n{stdout}{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_table_covers_every_rule() {
    let listed: BTreeSet<String> = rules().into_iter().map(|(_, id)| id).collect();
    let tested: BTreeSet<String> = TABLE.iter().map(|(id, _, _)| id.to_string()).collect();
    assert!(listed.len() > 40, "{listed:?}");
    assert_eq!(
        listed.difference(&tested).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rules without a row"
    );
    assert_eq!(
        tested.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rows whose rule is gone"
    );
}

#[test]
fn a_schema_moved_into_a_component_is_only_a_new_component() {
    let dir = scratch("moved");
    let changelog = write(&dir, "CHANGELOG.md", "");
    let inline = edited(&[(
        "{schema: {$ref: '#/components/schemas/Thing'}}",
        "{schema: {type: object, required: [id], properties: {id: {type: string}, status: {type: string, enum: [open, shut]}, label: {type: string}, any: {oneOf: [{type: string}, {type: integer}]}}}}",
    )]);
    let without_component = &inline[..inline.find("    Thing:\n").expect("the component")];
    let old = write(&dir, "old.yaml", without_component);
    let new = write(&dir, "new.yaml", BASE);
    let (code, stdout, stderr) =
        diff(&["--against", &old, "--spec", &new, "--changelog", &changelog]);
    let found = changes(&stdout);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        found,
        [(
            "non-breaking".to_string(),
            "component-schema-added".to_string()
        )],
        "{stdout}"
    );
}

fn contract_with(edits: &[(&str, &str)]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root");
    let mut text = std::fs::read_to_string(root.join("openapi/trillet.yaml")).expect("contract");
    for (find, replace) in edits {
        assert!(
            text.contains(find),
            "`{find}` is not in openapi/trillet.yaml"
        );
        text = text.replacen(find, replace, 1);
    }
    text
}

#[test]
fn the_contract_has_no_breaking_change_since_its_last_release() {
    let (code, stdout, stderr) = diff(&[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("guard: holds"), "{stdout}");
}

#[test]
fn a_breaking_edit_needs_a_major_version_and_a_breaking_changelog_entry() {
    let dir = scratch("guard");
    let rename = (
        "operationId: createAgent\n",
        "operationId: createCallAgent\n",
    );
    let bump = ("  version: 1.0.0\n", "  version: 2.0.0\n");
    let spec = |name: &str, edits: &[(&str, &str)]| write(&dir, name, &contract_with(edits));
    let changelog = |name: &str, text: &str| write(&dir, name, text);
    let no_entry = changelog(
        "none.md",
        "# Changelog\n\n## [1.0.0] - 2026-12-02\n- first\n",
    );
    let silent = changelog(
        "silent.md",
        "## [2.0.0] - 2026-12-03\n### Changed\n- createAgent renamed\n\n## [1.0.0] - 2026-12-02\n",
    );
    let loud = changelog(
        "loud.md",
        "## [2.0.0] - 2026-12-03\n### Changed\n- **BREAKING**: createAgent is createCallAgent\n\n## [1.0.0] - 2026-12-02\n",
    );
    let check = |spec: &str, changelog: &str, code: i32, needle: &str| {
        let (got, stdout, stderr) = diff(&["--spec", spec, "--changelog", changelog]);
        assert_eq!(got, code, "{stdout}{stderr}");
        assert!(
            format!("{stdout}{stderr}").contains(needle),
            "{needle}\n{stdout}{stderr}"
        );
    };
    let renamed = spec("renamed.yaml", &[rename]);
    check(&renamed, &no_entry, 1, "operation-id-changed");
    check(
        &renamed,
        &loud,
        1,
        "without a major version bump: set info.version to 2.0.0",
    );
    let bumped = spec("bumped.yaml", &[rename, bump]);
    check(&bumped, &no_entry, 1, "has no entry `## [2.0.0]");
    check(&bumped, &silent, 1, "does not say **BREAKING**");
    check(&bumped, &loud, 0, "guard: holds");
    // A description edit under the released version is the next release's business.
    let docs = spec(
        "docs.yaml",
        &[("summary: Create a call agent", "summary: Create an agent")],
    );
    check(
        &docs,
        &no_entry,
        0,
        "0 breaking, 0 non-breaking, 1 docs-only",
    );
}

#[test]
fn unreadable_inputs_exit_2() {
    let (code, _, stderr) = diff(&["--against", "/nonexistent/old.yaml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot read /nonexistent/old.yaml"),
        "{stderr}"
    );
    let (code, _, stderr) = diff(&["--against", "9.9.9"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("9.9.9.json"), "{stderr}");
}
