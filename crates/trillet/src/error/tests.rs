//! The error variants that say what was not sent, and why: one short line with a next
//! step, a `source()` wherever there is a cause, and nothing secret in any link.

use std::error::Error as _;
use std::io;

use super::text::MAX_TEXT_MESSAGE;
use super::*;
use crate::batch_upload::Csv;
use crate::uploads::Document;
use crate::Client;

const API_KEY: &str = "sk-live-0123456789abcdef";
const WORKSPACE_ID: &str = "ws-fedcba9876543210";
/// A phone number in the spellings a message could hold it.
const NUMBERS: &[&str] = &["4155551234", "415-555-1234", "415) 555-1234"];

/// A client that sends nothing in these tests (every refusal comes before a request).
fn client() -> Client {
    Client::builder(API_KEY, WORKSPACE_ID)
        .base_url("http://127.0.0.1:9")
        .allow_plain_http(true)
        .build()
        .expect("a client")
}

/// Every text a user, a logger or a chain printer sees of `error`: `Display`, `Debug`, and
/// both of each link of the `source()` chain. Fails when any holds a credential or a
/// phone number; returns the number of links below `error`.
fn redacted_chain(error: &(dyn std::error::Error + 'static)) -> usize {
    let mut links = 0;
    let mut current = Some(error);
    while let Some(link) = current {
        for text in [link.to_string(), format!("{link:?}")] {
            for secret in [API_KEY, WORKSPACE_ID].iter().chain(NUMBERS) {
                assert!(
                    !text.contains(secret),
                    "{secret} shown in link {links}: {text}"
                );
            }
        }
        current = link.source();
        links += 1;
    }
    links - 1
}

/// `Display` is one short line that ends with what to do next.
fn one_line_with_next_step(error: &Error, next_step: &str) {
    let shown = error.to_string();
    assert!(!shown.contains('\n'), "{shown}");
    assert!(shown.chars().count() < 300, "{shown}");
    assert!(shown.ends_with(next_step), "{shown}");
}

#[test]
fn an_unreadable_file_names_its_masked_path_and_keeps_the_io_error() {
    let error = Csv::from_path("/nonexistent/+1 (415) 555-1234/calls.csv").expect_err("no file");
    let Error::File(file) = &error else {
        panic!("not File: {error:?}")
    };
    assert_eq!(file.kind(), io::ErrorKind::NotFound);
    assert!(file.path().is_some());
    one_line_with_next_step(&error, "; check the path");
    assert!(
        error
            .to_string()
            .starts_with("cannot read /nonexistent/+1 (***) ***-*234/calls.csv: "),
        "{error}"
    );
    assert_eq!(redacted_chain(&error), 1, "the io::Error is the source");
    let source = error.source().expect("a source");
    let io = source.downcast_ref::<io::Error>().expect("an io::Error");
    assert_eq!(io.kind(), io::ErrorKind::NotFound);
    assert!(
        io.raw_os_error().is_some(),
        "the operating system's own: {io:?}"
    );
    assert!(format!("{error:?}").starts_with("File("), "{error:?}");

    let document = Document::from_path("/nonexistent/4155551234.pdf").expect_err("no file");
    assert!(matches!(document, Error::File(_)), "{document:?}");
    assert_eq!(redacted_chain(&document), 1);
}

#[test]
fn a_failing_reader_keeps_its_error_kind_with_the_text_redacted() {
    struct Failing;
    impl io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "upstream dropped the export of \"+14155551234\" at 415-555-1234",
            ))
        }
    }
    let error = Csv::from_reader(Failing).expect_err("the reader fails");
    let Error::File(file) = &error else {
        panic!("not File: {error:?}")
    };
    assert_eq!(file.kind(), io::ErrorKind::ConnectionReset);
    assert_eq!(file.path(), None);
    one_line_with_next_step(&error, "; check the reader");
    assert!(
        error.to_string().starts_with("cannot read the CSV: "),
        "{error}"
    );
    // Error -> io::Error (whose text is the reader's, redacted: an `io::Error` shows its
    // inner error's text and gives that error's source, which it has none of).
    assert_eq!(redacted_chain(&error), 1);
    let io = error
        .source()
        .and_then(|source| source.downcast_ref::<io::Error>())
        .expect("an io::Error");
    assert_eq!(io.kind(), io::ErrorKind::ConnectionReset);
    assert!(
        io.to_string().contains("upstream dropped the export of"),
        "{io}"
    );
}

#[test]
fn a_refused_extra_header_says_why_and_what_to_do_without_its_value() {
    let error = client()
        .with_extra_headers([("x-api-key", API_KEY)])
        .expect_err("the client's own header");
    let Error::InvalidArgument(argument) = &error else {
        panic!("not InvalidArgument: {error:?}")
    };
    assert_eq!(argument.argument(), "headers");
    assert!(
        argument.problem().contains("x-api-key is refused"),
        "{error}"
    );
    one_line_with_next_step(
        &error,
        "; pass the credentials to Client::new or Client::builder instead",
    );
    assert!(
        error.to_string().starts_with("invalid headers: "),
        "{error}"
    );
    assert_eq!(redacted_chain(&error), 0, "nothing caused it");
    assert!(
        format!("{error:?}").starts_with("InvalidArgument("),
        "{error:?}"
    );
}

#[test]
fn an_extra_body_that_does_not_serialise_keeps_the_redacted_serde_error() {
    struct Refuses;
    impl serde::Serialize for Refuses {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom(
                "no \"4155551234\" allowed for 415-555-1234",
            ))
        }
    }
    let error = client().with_extra_body(Refuses).expect_err("not JSON");
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    one_line_with_next_step(
        &error,
        "; pass a value that serialises to a JSON object with text keys",
    );
    assert_eq!(redacted_chain(&error), 1, "the serde error is the source");
    let cause = error.source().expect("a source").to_string();
    assert_eq!(cause, "no \"…\" allowed for 4**-***-*234");
}

#[test]
fn an_invalid_phone_number_is_an_argument_whose_source_masks_it() {
    let invalid = crate::E164PhoneNumber::new("4155551234").expect_err("no +");
    let error = Error::from(invalid);
    let Error::InvalidArgument(argument) = &error else {
        panic!("not InvalidArgument: {error:?}")
    };
    assert_eq!(argument.argument(), "phone number");
    assert_eq!(
        error.to_string(),
        "invalid phone number: 4******234 does not start with `+` (E.164 is `+`, the country \
         code, then the number)"
    );
    assert_eq!(redacted_chain(&error), 1);
    let source = error.source().expect("a source");
    assert!(source.downcast_ref::<crate::InvalidPhoneNumber>().is_some());
}

#[test]
fn a_value_that_does_not_convert_is_an_argument_with_its_cause() {
    let refused = "sideways"
        .parse::<crate::types::CallFlowDirection>()
        .expect_err("not a direction");
    let error = Error::from(refused);
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    one_line_with_next_step(&error, "; use one of the values the type documents");
    assert_eq!(redacted_chain(&error), 1);
}

#[test]
fn an_unexpected_response_names_the_operation_the_status_and_what_was_expected() {
    let not_utf8 = String::from_utf8(b"phone_number\n\xff+14155551234".to_vec())
        .expect_err("not UTF-8")
        .utf8_error();
    let error = Error::UnexpectedResponse(UnexpectedResponse::new(
        "getBatchTemplate",
        StatusCode::OK,
        "UTF-8 CSV text",
        Box::new(not_utf8),
    ));
    let Error::UnexpectedResponse(unexpected) = &error else {
        unreachable!()
    };
    assert_eq!(unexpected.operation(), "getBatchTemplate");
    assert_eq!(unexpected.status(), StatusCode::OK);
    assert_eq!(unexpected.expected(), "UTF-8 CSV text");
    one_line_with_next_step(
        &error,
        "; the API may have changed: retry later, or report it to Trillet support",
    );
    assert!(
        error
            .to_string()
            .starts_with("getBatchTemplate answered 200 OK with a body that is not UTF-8 CSV text (invalid utf-8"),
        "{error}"
    );
    assert!(!error.is_retryable());
    assert_eq!(redacted_chain(&error), 1, "the UTF-8 error is the source");
    assert!(
        format!("{error:?}").starts_with("UnexpectedResponse("),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_pre_hooks_refusal_is_an_invalid_request_argument() {
    let message = "extra body fields (+14155551234) can't be sent with getAgent (GET \
                   /v1/api/agents/{agentId}): it has no request body; send it from a client \
                   without with_extra_body";
    let error =
        Error::from_generated(progenitor_client::Error::InvalidRequest(message.into())).await;
    let Error::InvalidArgument(argument) = &error else {
        panic!("not InvalidArgument: {error:?}")
    };
    assert_eq!(argument.argument(), "request");
    assert!(error
        .to_string()
        .starts_with("invalid request: extra body fields (+1*******234)"));
    one_line_with_next_step(&error, "; send it from a client without with_extra_body");
    assert_eq!(redacted_chain(&error), 0);
}

#[test]
fn a_plain_text_error_body_is_cut_by_the_one_shorten() {
    let line = format!("{}\tend", "x".repeat(MAX_TEXT_MESSAGE));
    let api = ApiError::from_parts(
        StatusCode::BAD_GATEWAY,
        &Default::default(),
        line.as_bytes(),
    );
    assert_eq!(api.message(), shorten(&line, MAX_TEXT_MESSAGE));
    assert_eq!(api.message().chars().count(), MAX_TEXT_MESSAGE + 1);
    assert!(api.message().ends_with('…'));
    let short = ApiError::from_parts(
        StatusCode::BAD_GATEWAY,
        &Default::default(),
        b"\n bad\tgateway \n",
    );
    assert_eq!(short.message(), "bad gateway");
}
