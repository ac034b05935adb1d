//! Property tests: whatever bytes a user's file or a server holds, the checks that read
//! them return a report or a clean error, never a panic.

use proptest::prelude::*;
use std::time::{Duration, UNIX_EPOCH};
use trillet::preflight::{check_batch_csv, CsvPreflight, CsvProblemKind};

use reqwest::StatusCode;
use trillet::retry::{
    parse_retry_after, rate_limit_reset, AttemptOutcome, RequestSafety, RetryPolicy,
};
use trillet::{check_e164, E164PhoneNumber};

/// Bytes that look like CSV often enough to reach deep states: separators, quotes, line
/// breaks, digits, `+`, bytes that are not UTF-8.
fn csv_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    const ALPHABET: &[u8] = b",,,\"\"\n\n\r++0123456789 \t_ax\xEF\xBB\xBF\xE9\xFF";
    prop::collection::vec(any::<u8>(), 0..400).prop_map(|picks| {
        picks
            .into_iter()
            .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()])
            .collect()
    })
}

/// Lines as a text editor counts them: LF, CRLF and a bare CR each end one.
fn lines_of(bytes: &[u8]) -> u64 {
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r') || b == b'\r')
        .count();
    breaks as u64 + 1
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn csv_preflight_reports_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let report = check_batch_csv(bytes.as_slice()).expect("reading a slice never fails");
        prop_assert_eq!(report.bytes, bytes.len() as u64);
        for problem in &report.problems {
            prop_assert!(problem.line >= 1 && problem.line <= lines_of(&bytes), "{problem}");
            let _ = problem.to_string();
        }
        let _ = report.to_string();
    }

    #[test]
    fn csv_preflight_reports_on_csv_like_bytes(bytes in csv_like_bytes()) {
        let report = check_batch_csv(bytes.as_slice()).expect("reading a slice never fails");
        prop_assert!(report.rows <= lines_of(&bytes));
        for problem in &report.problems {
            prop_assert!(problem.line >= 1 && problem.line <= lines_of(&bytes), "{problem}");
        }
    }

    #[test]
    fn csv_preflight_reports_on_rows_under_a_good_header(rows in csv_like_bytes()) {
        let mut bytes = b"phone_number,first_name,plan\n".to_vec();
        bytes.extend_from_slice(&rows);
        let report = check_batch_csv(bytes.as_slice()).expect("reading a slice never fails");
        prop_assert_eq!(report.columns.len(), 3);
        for problem in &report.problems {
            // Only the header's own problem, that it is alone, is at line 1.
            let first_row = if problem.kind == CsvProblemKind::NoRows { 1 } else { 2 };
            prop_assert!(problem.line >= first_row && problem.line <= lines_of(&bytes), "{problem}");
            prop_assert!(!problem.to_string().contains('\n'), "one line per problem: {problem}");
        }
    }

    #[test]
    fn csv_preflight_reads_cr_and_crlf_line_ends_as_lf_ones(bytes in csv_like_bytes()) {
        let lf: Vec<u8> = bytes.into_iter().filter(|&b| b != b'\r').collect();
        let crlf: Vec<u8> = lf.iter().flat_map(|&b| if b == b'\n' { vec![b'\r', b'\n'] } else { vec![b] }).collect();
        let cr: Vec<u8> = lf.iter().map(|&b| if b == b'\n' { b'\r' } else { b }).collect();
        let of = |bytes: &[u8]| check_batch_csv(bytes).expect("slice");
        let (lf, crlf, cr) = (of(&lf), of(&crlf), of(&cr));
        prop_assert_eq!(&crlf.problems, &lf.problems);
        prop_assert_eq!(crlf.rows, lf.rows);
        // The same problems at the same lines, and the bare CRs once.
        let bare_cr = cr.problems.iter().filter(|p| p.kind == CsvProblemKind::BareCarriageReturn).count();
        let others: Vec<_> = cr.problems.iter().filter(|p| p.kind != CsvProblemKind::BareCarriageReturn).cloned().collect();
        prop_assert!(bare_cr <= 1);
        prop_assert_eq!(others, lf.problems);
        prop_assert_eq!((cr.rows, &cr.columns), (lf.rows, &lf.columns));
    }

    #[test]
    fn csv_preflight_under_a_tiny_limit_stops_early(bytes in csv_like_bytes(), limit in 0u64..64) {
        let report = CsvPreflight::new().max_bytes(limit).check(bytes.as_slice()).expect("slice");
        prop_assert!(report.bytes <= limit + 1);
        let too_large = report.problems.iter().any(|p| p.kind == CsvProblemKind::TooLarge { max_bytes: limit });
        prop_assert_eq!(too_large, bytes.len() as u64 > limit);
    }

    #[test]
    fn csv_of_valid_numbers_passes(numbers in prop::collection::vec("\\+[1-9][0-9]{7,14}", 1..50)) {
        let csv = format!("phone_number,first_name\n{}\n", numbers.iter().map(|n| format!("{n},x")).collect::<Vec<_>>().join("\n"));
        let report = check_batch_csv(csv.as_bytes()).expect("slice");
        prop_assert!(report.is_valid(), "{}", report);
        prop_assert_eq!(report.rows, numbers.len() as u64);
    }

    #[test]
    fn e164_check_agrees_with_the_spec_pattern(text in "\\PC{0,20}|\\+?[0-9]{0,17}") {
        let matches_pattern = text.len() >= 9
            && text.len() <= 16
            && text.starts_with('+')
            && text[1..].bytes().all(|b| b.is_ascii_digit())
            && !text[1..].starts_with('0');
        prop_assert_eq!(check_e164(&text).is_ok(), matches_pattern);
        if let Err(error) = E164PhoneNumber::new(text.clone()) {
            let message = error.to_string();
            // The message never shows more than five characters of the number.
            if text.chars().count() >= 8 {
                prop_assert!(!message.contains(&text), "{}", message);
            }
        }
    }

    #[test]
    fn server_wait_headers_and_bodies_never_panic(
        header in "\\PC{0,40}|[0-9]{1,30}|[A-Za-z]{3}, [0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9:]{8} GMT",
        reset_at in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?(Z|[+-][0-9]{2}:[0-9]{2}|\\PC{0,3})",
        body in prop::collection::vec(any::<u8>(), 0..200),
        now_secs in any::<u32>(),
    ) {
        let now = UNIX_EPOCH + Duration::from_secs(u64::from(now_secs));
        let _ = parse_retry_after(&header, now);
        let _ = rate_limit_reset(&body, now);
        let json = format!(r#"{{"error": {{"reset_at": "{reset_at}"}}}}"#);
        let _ = rate_limit_reset(json.as_bytes(), now);
    }

    #[test]
    fn retry_decisions_never_panic(
        code in 100u16..1000,
        retries_done in any::<u32>(),
        max_retries in any::<u32>(),
        wait_secs in proptest::option::of(any::<u64>()),
        jitter in any::<f64>(),
        initial_ms in any::<u64>(),
        max_ms in any::<u64>(),
        safety in prop_oneof![Just(RequestSafety::Idempotent), Just(RequestSafety::SideEffecting)],
    ) {
        let policy = RetryPolicy::new()
            .with_max_retries(max_retries)
            .with_initial_backoff(Duration::from_millis(initial_ms))
            .with_max_backoff(Duration::from_millis(max_ms))
            .with_max_retry_after(Duration::MAX);
        let outcome = AttemptOutcome::Status(StatusCode::from_u16(code).expect("100..1000 are valid statuses"));
        let _ = policy.decide(safety, &outcome, retries_done, wait_secs.map(Duration::from_secs), jitter);
        let _ = policy.backoff(retries_done, jitter);
    }
}
