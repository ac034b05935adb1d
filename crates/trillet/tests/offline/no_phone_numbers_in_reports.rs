//! No phone number, in any spelling, reaches the `Display` or `Debug` of a pre-flight
//! report, a `Csv`, a webhook event or a webhook error, whatever the input holds.
//!
//! Strict and simple: every non-digit is removed from the output, and neither the whole
//! number (`4155551234`) nor its last seven digits (`5551234`) may be left. Masking keeps
//! at most the first two and last three characters (`+1*******234`).

use trillet::preflight::check_batch_csv;
use trillet::webhook::{verify, WebhookEvent, WebhookSecret};
use trillet::{Client, Csv, StartBatch};

/// `+14155551234` as people write it.
const SPELLINGS: [&str; 7] = [
    "+14155551234",
    "14155551234",
    "4155551234",
    "+1 (415) 555-1234",
    "415-555-1234",
    "+1.415.555.1234",
    "(415) 555 1234",
];

fn assert_no_number(label: &str, shown: &str) {
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    for run in ["4155551234", "5551234"] {
        assert!(
            !digits.contains(run),
            "{label}: the output holds {run}:\n{shown}"
        );
    }
}

/// Batch CSVs with the number in every place a CSV can hold it.
fn csvs(number: &str) -> Vec<String> {
    vec![
        // In the phone_number column (valid or not), and in another one.
        format!("phone_number,name,note\n{number},Ada,\"call {number}\"\n"),
        // A file without a header: the first row is data.
        format!("{number},Ada\n{number},Bob\n"),
        format!("Ada,\"{number}\"\n"),
        // In the header, as a column name, once or twice.
        format!("phone_number,{number}\n+14155550000,x\n"),
        format!("phone_number,\"{number}\",\"{number}\"\n{number},x,y\n"),
        format!("Phone Number,{number}\n{number},x\n"),
        // With the line endings the pre-flight refuses.
        format!("phone_number,name\r{number},Ada\r{number},Bob\r"),
        format!("phone_number,name\r\n{number},Ada\n"),
        // Too many values, an unclosed quote, bytes that are not UTF-8.
        format!("phone_number\n{number},{number}\n\"{number}\n"),
        format!("phone_number,name\n{number},Jos\u{e9}\n"),
    ]
}

#[test]
fn csv_reports_and_problems_show_no_phone_number() {
    for number in SPELLINGS {
        for csv in csvs(number) {
            let report = check_batch_csv(csv.as_bytes()).expect("reading a slice never fails");
            let label = format!("{csv:?}");
            assert_no_number(&label, &format!("{report}\n{report:?}\n{report:#?}"));
            for problem in &report.problems {
                assert_no_number(
                    &label,
                    &format!("{problem}\n{problem:?}\n{:?}", problem.kind),
                );
            }
            assert_no_number(
                &label,
                &format!("{:?}\n{:?}", report.columns, report.variable_columns),
            );
        }
    }
}

#[tokio::test]
async fn a_refused_batch_and_its_csv_show_no_phone_number() {
    // Nothing listens there, and nothing is sent: the pre-flight refuses every CSV tried.
    let client = Client::builder("key", "workspace")
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .expect("a client");
    let mut refused = 0;
    for number in SPELLINGS {
        for csv in csvs(number) {
            let label = format!("{csv:?}");
            let upload = Csv::from_bytes(csv.clone()).with_file_name(format!("{number}.csv"));
            assert_no_number(&label, &format!("{upload:?}"));
            if check_batch_csv(csv.as_bytes()).expect("slice").is_valid() {
                continue;
            }
            let error = client
                .start_batch(
                    Csv::from_bytes(csv).with_file_name("calls.csv"),
                    &StartBatch::new("agent-1"),
                )
                .await
                .expect_err("refused by the pre-flight");
            assert!(error.csv_report().is_some(), "{label}: {error}");
            assert_no_number(&label, &format!("{error}\n{error:?}"));
            refused += 1;
        }
    }
    assert!(refused > 50, "only {refused} CSVs refused");
}

/// Webhook bodies with the number in a documented field, in `extra`, as a key, nested,
/// and in undocumented events.
fn webhook_bodies(number: &str) -> Vec<String> {
    vec![
        format!(
            r#"{{"event":"call.completed","data":{{"callId":"c1","status":"{number}","from":"{number}","note":"call {number} back","{number}":"key","caller":{{"phone":"{number}","list":["{number}"]}}}}}}"#
        ),
        format!(r#"{{"event":"call.started","data":{{"to":"{number}"}}}}"#),
        format!(r#"{{"event":"sms.sent","data":{{"to":"{number}","body":"text {number}"}}}}"#),
        format!(r#"{{"event":"sms.delivered","data":{{"{number}":["{number}"]}}}}"#),
        format!(r#"{{"event":"agent.updated","data":{{"transferNumber":"{number}"}}}}"#),
        format!(r#"{{"event":"call.transferred","data":{{"to":"{number}"}}}}"#),
        format!(r#"{{"event":"call.failed","data":"{number}"}}"#),
        format!(r#"{{"event":"{number}","data":{{}}}}"#),
    ]
}

#[test]
fn webhook_events_show_no_phone_number() {
    for number in SPELLINGS {
        for body in webhook_bodies(number) {
            let event = WebhookEvent::from_json(body.as_bytes()).expect(&body);
            assert_no_number(&body, &format!("{event:?}\n{event:#?}"));
        }
    }
}

#[test]
fn webhook_errors_show_no_phone_number() {
    let secret = WebhookSecret::new("whsec_test_secret_for_unit_tests").expect("a secret");
    for number in SPELLINGS {
        let bodies = [
            format!(r#"{{"event":{number},"data":{{}}}}"#),
            format!(r#"{{"event":"call.completed","data":{{"to":"{number}""#),
            format!("call {number}"),
            format!(r#"{{"event":["{number}"]}}"#),
        ];
        for body in bodies {
            if let Err(error) = WebhookEvent::from_json(body.as_bytes()) {
                assert_no_number(&body, &format!("{error}\n{error:?}"));
            }
            let refused = verify(&secret, body.as_bytes(), Some(number)).expect_err("no signature");
            assert_no_number(&body, &format!("{refused}\n{refused:?}"));
        }
    }
}
