//! The table of rows: each a scripted misbehaving server, the operation called, and what
//! a safe client must report.

use std::time::Duration;

use trillet_e2e::fault_server::{Fault, Reply};
use trillet_e2e::{path_of, API_KEY};

use super::{
    agent, echo_body, http_date_in, no_retries, one_retry, redirect, same, small_bodies,
    tight_deadline, Operation, Row, SPELLINGS,
};

/// Every row of the table, in the order they run.
pub(super) fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "GET redirected to another host: not followed, no credentials leave",
            call: Operation::GetAgent,
            script: |other| {
                vec![redirect(
                    307,
                    &format!("{other}{}?token=x", path_of("getAgent", &["agent_1"])),
                )]
            },
            tune: same,
            outcome: "Redirect 307 to localhost",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "GET redirected on the same host: not followed either",
            call: Operation::GetAgent,
            script: |_| vec![redirect(308, &path_of("getAgent", &["agent_2"]))],
            tune: same,
            outcome: "Redirect 308 to same host",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "call-placing POST redirected (307) to another host: body and key stay",
            call: Operation::SendCall,
            script: |other| {
                vec![redirect(
                    307,
                    &format!("{other}{}", path_of("sendCall", &[])),
                )]
            },
            tune: same,
            outcome: "Redirect 307 to localhost",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "302 on initiateCall is an error, never a GET reported as success",
            call: Operation::InitiateCall,
            script: |_| vec![redirect(302, "/elsewhere")],
            tune: same,
            outcome: "Redirect 302 to same host",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "303 on initiateCall is an error too",
            call: Operation::InitiateCall,
            script: |other| vec![redirect(303, &format!("{other}/done"))],
            tune: same,
            outcome: "Redirect 303 to localhost",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "a 307 loop sends the call-placing POST once",
            call: Operation::SendCall,
            script: |_| vec![redirect(307, &path_of("sendCall", &[]))],
            tune: same,
            outcome: "Redirect 307 to same host",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "GET reset before the request is read: retried",
            call: Operation::GetAgent,
            script: |_| vec![Fault::ResetBeforeRequest],
            tune: same,
            outcome: "Transport",
            requests: Some(0),
            connections: Some(3),
        },
        Row {
            // Retried only when the reset came while connecting (nothing was sent); the
            // server never reads it, let alone twice.
            name: "POST reset before the request is read: never read by the server",
            call: Operation::SendCall,
            script: |_| vec![Fault::ResetBeforeRequest],
            tune: same,
            outcome: "Transport",
            requests: Some(0),
            connections: None,
        },
        Row {
            name: "GET reset after the request is read: retried, then the answer",
            call: Operation::GetAgent,
            script: |_| {
                vec![
                    Fault::ResetAfterRequest,
                    Fault::ResetAfterRequest,
                    Fault::Respond(agent()),
                ]
            },
            tune: same,
            outcome: "ok",
            requests: Some(3),
            connections: None,
        },
        Row {
            name: "POST reset after the request is read: never sent again",
            call: Operation::SendCall,
            script: |_| {
                vec![
                    Fault::ResetAfterRequest,
                    Fault::Respond(Reply::json(200, r#"{"status":"success"}"#)),
                ]
            },
            tune: same,
            outcome: "Transport",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "GET whose body breaks off after the headers: retried, then the answer",
            call: Operation::GetAgent,
            script: |_| {
                vec![
                    Fault::TruncatedBody {
                        reply: agent(),
                        sent: 10,
                    },
                    Fault::Respond(agent()),
                ]
            },
            tune: same,
            outcome: "ok",
            requests: Some(2),
            connections: None,
        },
        Row {
            name: "GET whose body always breaks off: retried as the policy allows",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::TruncatedBody {
                    reply: agent(),
                    sent: 10,
                }]
            },
            tune: same,
            outcome: "Transport",
            requests: Some(3),
            connections: None,
        },
        Row {
            name: "POST whose body breaks off: not sent again (the call may be placed)",
            call: Operation::SendCall,
            script: |_| {
                vec![Fault::TruncatedBody {
                    reply: Reply::json(200, r#"{"status":"success","callId":"c"}"#),
                    sent: 5,
                }]
            },
            tune: same,
            outcome: "Transport",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "GET whose body stalls: times out and is retried",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::StalledBody {
                    reply: agent(),
                    sent: 5,
                    stall: Duration::from_secs(5),
                }]
            },
            tune: same,
            outcome: "Timeout",
            requests: Some(3),
            connections: None,
        },
        Row {
            name: "POST whose body stalls: times out, not sent again",
            call: Operation::SendCall,
            script: |_| {
                vec![Fault::StalledBody {
                    reply: Reply::json(200, r#"{"status":"success"}"#),
                    sent: 5,
                    stall: Duration::from_secs(5),
                }]
            },
            tune: same,
            outcome: "Timeout",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "GET whose body trickles a byte at a time: the attempt's timeout covers the body",
            call: Operation::GetAgent,
            script: |_| {
                vec![
                    Fault::TrickledBody {
                        reply: agent(),
                        every: Duration::from_millis(50),
                        max_bytes: 60,
                    },
                    Fault::Respond(agent()),
                ]
            },
            tune: same,
            outcome: "ok",
            requests: Some(2),
            connections: None,
        },
        Row {
            name: "huge success body with a length: refused unread",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::HugeBody {
                    status: 200,
                    size: 48 << 20,
                    prefix: r#"{"_id":""#,
                    fill: b'a',
                    suffix: r#""}"#,
                    declare_length: true,
                }]
            },
            tune: small_bodies,
            outcome: "ResponseTooLarge 1048576",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "huge chunked success body: read up to the limit only",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::HugeBody {
                    status: 200,
                    size: 48 << 20,
                    prefix: r#"{"_id":""#,
                    fill: b'a',
                    suffix: r#""}"#,
                    declare_length: false,
                }]
            },
            tune: small_bodies,
            outcome: "ResponseTooLarge 1048576",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "huge 500 body: cut at the error limit, short message",
            call: Operation::SendCall,
            script: |_| {
                vec![Fault::HugeBody {
                    status: 500,
                    size: 16 << 20,
                    prefix: r#"{"error":"boom","details":""#,
                    fill: b'x',
                    suffix: r#""}"#,
                    declare_length: true,
                }]
            },
            tune: same,
            outcome: "Api 500 cut",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "non-UTF-8 success body: a decode error",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::Respond(Reply::typed(
                    200,
                    "application/json",
                    vec![0xff, 0xfe, b'{', 0x80],
                ))]
            },
            tune: same,
            outcome: "Decode",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "non-UTF-8 error body: the status and what can be read",
            call: Operation::SendCall,
            script: |_| {
                vec![Fault::Respond(Reply::typed(
                    400,
                    "text/plain",
                    vec![b'b', b'a', b'd', 0xff, 0xfe],
                ))]
            },
            tune: same,
            outcome: "Api 400",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "HTML 502 page of a proxy: retried for a GET, then its status",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::Respond(Reply::typed(
                    502,
                    "text/html",
                    "<html><body><h1>502 Bad Gateway</h1></body></html>",
                ))]
            },
            tune: same,
            outcome: "Api 502",
            requests: Some(3),
            connections: None,
        },
        Row {
            name: "HTML login page with 200 (captive portal): a decode error, not success",
            call: Operation::InitiateCall,
            script: |_| {
                vec![Fault::Respond(Reply::typed(
                    200,
                    "text/html",
                    "<html><form>Log in to the Wi-Fi</form></html>",
                ))]
            },
            tune: same,
            outcome: "Decode",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "429 storm on a call-placing POST: retried (nothing was acted on), then the 429",
            call: Operation::SendCall,
            script: |_| {
                vec![Fault::Respond(
                    Reply::json(429, r#"{"error":"rate limited"}"#).header("retry-after", "0"),
                )]
            },
            tune: same,
            outcome: "Api 429",
            requests: Some(3),
            connections: None,
        },
        Row {
            name: "Retry-After far beyond the policy: the 429 at once",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::Respond(
                    Reply::json(429, "{}").header("retry-after", "86400"),
                )]
            },
            tune: same,
            outcome: "Api 429",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "Retry-After absurdly large: the 429 at once, no overflow",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::Respond(
                    Reply::json(429, "{}").header("retry-after", "99999999999999999999999"),
                )]
            },
            tune: same,
            outcome: "Api 429",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "Retry-After as a date in the past: retried at once",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::Respond(
                    Reply::json(503, "{}").header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
                )]
            },
            tune: same,
            outcome: "Api 503",
            requests: Some(3),
            connections: None,
        },
        Row {
            name: "Retry-After as a date a second ahead: waited for, then the answer",
            call: Operation::GetAgent,
            script: |_| {
                vec![
                    Fault::Respond(Reply::json(429, "{}").header("retry-after", &http_date_in(1))),
                    Fault::Respond(agent()),
                ]
            },
            tune: one_retry,
            outcome: "ok",
            requests: Some(2),
            connections: None,
        },
        Row {
            name: "Retry-After beyond the call's deadline: the 429 at once",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::Respond(
                    Reply::json(429, "{}").header("retry-after", "5"),
                )]
            },
            tune: tight_deadline,
            outcome: "Api 429",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "503 storm: retries stop at the call's deadline",
            call: Operation::GetAgent,
            script: |_| vec![Fault::Respond(Reply::json(503, "{}"))],
            tune: tight_deadline,
            // The last 503, or the deadline itself when the last retry's wait ended so
            // close to it that the attempt ran out of the time left (a loaded machine).
            outcome: "Api 503 | Timeout",
            // 600 ms of 100-200 ms waits: at least 3 attempts, far fewer than 51.
            requests: None,
            connections: None,
        },
        Row {
            name: "error body echoing the key, the workspace and the number: none shown",
            call: Operation::SendCall,
            script: |_| {
                vec![Fault::Respond(
                    Reply::json(400, &echo_body()).header("x-request-id", "req-14155550173"),
                )]
            },
            tune: same,
            outcome: "Api 400",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "plain-text error echoing them: none shown",
            call: Operation::GetAgent,
            script: |_| {
                vec![Fault::Respond(Reply::typed(
                    401,
                    "text/plain",
                    format!("bad x-api-key: {API_KEY} calling {}", SPELLINGS[1]),
                ))]
            },
            tune: no_retries,
            outcome: "Api 401",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "search with the number in the query, connection reset: the URL is not shown",
            call: Operation::SearchCallHistory,
            script: |_| vec![Fault::ResetAfterRequest],
            tune: no_retries,
            outcome: "Transport",
            requests: Some(1),
            connections: None,
        },
        Row {
            name: "search with the number in the query, timeout: the URL is not shown",
            call: Operation::SearchCallHistory,
            script: |_| {
                vec![Fault::StalledBody {
                    reply: Reply::json(200, "[]"),
                    sent: 1,
                    stall: Duration::from_secs(5),
                }]
            },
            tune: no_retries,
            outcome: "Timeout",
            requests: Some(1),
            connections: None,
        },
    ]
}
