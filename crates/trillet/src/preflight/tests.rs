//! The pre-flight's checks, one behaviour per test.

use super::*;

fn problems(csv: &str) -> Vec<String> {
    check_batch_csv(csv.as_bytes())
        .expect("reading a slice never fails")
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn check(csv: &str, expected: &[&str]) {
    assert_eq!(problems(csv), expected, "{csv:?}");
}

#[test]
fn a_good_file_has_no_problem() {
    check(
        "phone_number,first_name\n+14155551234,Ada\n+442079460958,Bob\n",
        &[],
    );
    check("phone_number\r\n+14155551234\r\n", &[]);
    check("phone_number\n+14155551234", &[]);
}

#[test]
fn every_bad_number_is_reported_at_its_line_masked() {
    check(
        "phone_number,name\n+14155551234,a\n4155551234,b\n+1 415 555 1234,c\n+0123456789,d\n+1234567,e\n,f\n",
        &[
            "line 3: phone number 4******234 does not start with `+` (E.164 is `+`, the country code, then \
             the number)",
            "line 4: phone number +1 *** *** *234 contains characters other than digits after the `+` \
             (remove spaces, dashes, dots and parentheses)",
            "line 5: phone number +0******789 has 0 right after the `+` (country codes start with 1 to 9)",
            "line 6: phone number +1***567 has 7 digits; E.164 allows 8 to 15",
            "line 7: phone number is empty",
        ],
    );
}

#[test]
fn empty_rows_are_reported_wherever_they_are() {
    check(
        "\nphone_number,name\n+14155551234,a\n\n  \n,\n+14155551235,b\n\n",
        &[
            "line 1: empty row",
            "line 4: empty row",
            "line 5: empty row",
            "line 6: empty row",
            "line 8: empty row",
        ],
    );
    check(
        "phone_number\r\n\r\n+14155551234\r\n",
        &["line 2: empty row"],
    );
}

#[test]
fn quoted_values_may_hold_commas_quotes_and_line_breaks() {
    check(
        "phone_number,note\n\"+14155551234\",\"a, b\"\n+14155551235,\"two\nlines \"\"quoted\"\"\"\n12,x\n",
        &["line 5: phone number ** does not start with `+` (E.164 is `+`, the country code, then the \
           number)"],
    );
}

#[test]
fn a_missing_phone_number_column_is_reported_with_a_look_alike() {
    check(
        "name\nAda\n",
        &["line 1: the header has no `phone_number` column"],
    );
    check(
        "Phone Number,name\n+14155551234,Ada\n",
        &["line 1: the header has no `phone_number` column (`Phone Number` looks like it, but the name must \
           be exactly `phone_number`)"],
    );
}

#[test]
fn an_empty_file_has_no_header() {
    check(
        "",
        &["line 1: no header row: the first row must name the columns, including `phone_number`"],
    );
    check(
        "\n\n",
        &[
            "line 1: empty row",
            "line 2: empty row",
            "line 1: no header row: the first row must name the columns, including `phone_number`",
        ],
    );
}

#[test]
fn bytes_that_are_not_utf8_are_reported_at_their_line() {
    let csv = b"phone_number,name\n+14155551234,Jos\xE9\n+14155551235,ok\n";
    let report = check_batch_csv(&csv[..]).expect("slice");
    assert_eq!(
        report.problems,
        [CsvProblem {
            line: 2,
            kind: CsvProblemKind::NotUtf8
        }]
    );
}

#[test]
fn a_byte_order_mark_before_the_header_is_ignored() {
    check("\u{FEFF}phone_number\n+14155551234\n", &[]);
}

#[test]
fn extra_columns_become_variables_and_known_ones_do_not() {
    let report = check_batch_csv(
        "phone_number,first_name,last_name,email,plan,region,\n+14155551234,Ada,L,a@b.c,gold,west,\n".as_bytes(),
    )
    .expect("slice");
    assert!(report.is_valid(), "{report}");
    assert_eq!(report.variable_columns, ["plan", "region"]);
    assert_eq!(report.columns.len(), 7);
    assert_eq!(report.to_string(), "1 row; variables: plan, region");
}

#[test]
fn duplicate_columns_and_rows_with_extra_values_are_reported() {
    check(
        "phone_number,plan,plan\n+14155551234,a,b,c\n+14155551235,a\n",
        &[
            "line 1: the header names column `plan` twice",
            "line 2: 4 values but the header has 3 columns (a value containing a comma must be in double quotes)",
        ],
    );
}

#[test]
fn an_unclosed_quote_is_reported_at_the_row_it_opens() {
    check(
        "phone_number,note\n+14155551234,\"open\n+14155551235,x\n",
        &["line 2: a double-quoted value is not closed before the end of the file"],
    );
}

#[test]
fn a_file_over_the_limit_is_reported_and_reading_stops() {
    let mut csv = String::from("phone_number\n");
    for _ in 0..100 {
        csv.push_str("+14155551234\n");
    }
    let report = CsvPreflight::new()
        .max_bytes(100)
        .check(csv.as_bytes())
        .expect("slice");
    assert_eq!(report.problems.len(), 1, "{report}");
    assert_eq!(
        report.problems[0].kind,
        CsvProblemKind::TooLarge { max_bytes: 100 }
    );
    assert_eq!(report.problems[0].line, 8);
    assert!(report.bytes <= 101, "read {} bytes", report.bytes);
    let exact = CsvPreflight::new()
        .max_bytes(csv.len() as u64)
        .check(csv.as_bytes())
        .expect("slice");
    assert!(exact.is_valid(), "{exact}");
    assert_eq!(exact.rows, 100);
}

#[test]
fn the_report_lists_twenty_problems_then_counts_the_rest() {
    let csv = format!("phone_number\n{}", "x\n".repeat(25));
    let text = check_batch_csv(csv.as_bytes()).expect("slice").to_string();
    assert!(
        text.starts_with("25 problems in 25 rows:\n  line 2: phone number * does not start"),
        "{text}"
    );
    assert!(text.ends_with("\n  ... and 5 more"), "{text}");
    assert_eq!(text.lines().count(), 22);
}

const BARE_CR: &str = "the line ends with a bare carriage return (`\\r`, classic Mac OS), which the API \
                       may not read as a line break: save the file with LF (`\\n`) or CRLF (`\\r\\n`) line \
                       endings";

fn mixed(line: u64, this: &str, first_line: u64, first: &str) -> String {
    format!(
        "line {line}: the line ends with {this} but line {first_line} ends with {first}: CSV readers may \
         take the first line's ending for the whole file; save the file with one kind of line ending"
    )
}

#[test]
fn bare_cr_line_endings_are_refused_with_the_line() {
    let bare_cr_at = |line: u64| format!("line {line}: {BARE_CR}");
    // Classic Mac OS: every line ends with `\r`. Reported once; the rows are still checked.
    check(
        "phone_number,name\r+14155551234,a\r4155551234,b\r",
        &[
            &bare_cr_at(1),
            "line 3: phone number 4******234 does not start with `+` (E.164 is `+`, the country code, then \
             the number)",
        ],
    );
    // One bare `\r` in an LF file, the last line's included.
    check(
        "phone_number\n+14155551234\n+14155551235\r+14155551236\n",
        &[&bare_cr_at(3)],
    );
    check("phone_number\n+14155551234\r", &[&bare_cr_at(2)]);
    // A `\r` that ends a blank line.
    check(
        "phone_number\n+14155551234\n\r+14155551235\n",
        &["line 3: empty row", &bare_cr_at(3)],
    );
}

#[test]
fn a_bare_cr_file_counts_its_rows_and_is_never_valid() {
    let report = check_batch_csv("phone_number,plan\r+14155551234,a\r+14155551235,b".as_bytes())
        .expect("slice");
    assert_eq!(report.rows, 2);
    assert_eq!(report.columns, ["phone_number", "plan"]);
    assert!(!report.is_valid());
    assert_eq!(report.problems[0].kind, CsvProblemKind::BareCarriageReturn);
}

#[test]
fn line_breaks_inside_quoted_values_count_as_lines_but_not_as_endings() {
    check(
        "phone_number,note\n+14155551234,\"a\rb\"\n12,x\n",
        &["line 4: phone number ** does not start with `+` (E.164 is `+`, the country code, then the \
           number)"],
    );
    // Spreadsheets write LF inside the cells of a CRLF file.
    check(
        "phone_number,note\r\n+14155551234,\"two\nlines\"\r\n+14155551235,\"x\r\ny\"\r\n12,z\r\n",
        &["line 6: phone number ** does not start with `+` (E.164 is `+`, the country code, then the \
           number)"],
    );
}

#[test]
fn mixed_line_endings_are_refused_once_at_the_first_line_that_differs() {
    check(
        "phone_number\r\n+14155551234\n+14155551235\n",
        &[&mixed(2, "LF (`\\n`)", 1, "CRLF (`\\r\\n`)")],
    );
    check(
        "phone_number\n+14155551234\n+14155551235\r\n+14155551236\n+14155551237\r\n",
        &[&mixed(3, "CRLF (`\\r\\n`)", 1, "LF (`\\n`)")],
    );
    // A bare CR is its own problem, not a mix.
    check(
        "phone_number\r\n+14155551234\r+14155551235\r\n+14155551236\n",
        &[
            &format!("line 2: {BARE_CR}"),
            &mixed(4, "LF (`\\n`)", 1, "CRLF (`\\r\\n`)"),
        ],
    );
    // No line break after the last line is no ending at all.
    check("phone_number\r\n+14155551234", &[]);
    check("phone_number\r\n+14155551234\r\n", &[]);
}

/// A reader that yields one byte per `read`, so that every `\r\n` is split between
/// two fills of the buffer.
struct OneByteAtATime<'a>(&'a [u8]);

impl Read for OneByteAtATime<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some((&first, rest)) = self.0.split_first() else {
            return Ok(0);
        };
        match buf.first_mut() {
            Some(slot) => *slot = first,
            None => return Ok(0),
        }
        self.0 = rest;
        Ok(1)
    }
}

#[test]
fn line_breaks_split_between_reads_are_read_as_in_one_piece() {
    for csv in [
        "phone_number,plan\r\n+14155551234,a\r\n\r\n4155551234,\"b\r\nc\"\r\n",
        "phone_number\r+14155551234\r\n+14155551235\n+1\r",
        "\u{FEFF}phone_number\n+14155551234\r\n",
    ] {
        let whole = check_batch_csv(csv.as_bytes()).expect("slice");
        let bytewise = check_batch_csv(OneByteAtATime(csv.as_bytes())).expect("slice");
        assert_eq!(bytewise, whole, "{csv:?}");
        assert_eq!(whole.bytes, csv.len() as u64);
    }
}

#[test]
fn a_header_without_rows_is_refused() {
    let no_rows =
        |line: u64| format!("line {line}: the header is the only row: there is no number to call");
    check("phone_number\n", &[&no_rows(1)]);
    check("phone_number,name", &[&no_rows(1)]);
    check(
        "\nphone_number\n\n",
        &["line 1: empty row", "line 3: empty row", &no_rows(2)],
    );
}

#[test]
fn a_headerless_file_is_reported_without_its_numbers() {
    let first_row_is_data = |column: usize| {
        format!(
            "line 1: no header row: the first row is data (column {column} looks like a phone number); add \
             a first row naming the columns, including `phone_number`"
        )
    };
    check(
        "+14155551234,Alice\n+14155551235,Bob\n",
        &[&first_row_is_data(1)],
    );
    check("Alice,+1 (415) 555-1234\n", &[&first_row_is_data(2)]);
    check(
        "Alice,415-555-1234,415-555-1234\n",
        &[&first_row_is_data(2)],
    );
    let report =
        check_batch_csv("+14155551234,Alice\n+14155551235,Bob\n".as_bytes()).expect("slice");
    assert!(report.columns.is_empty(), "{:?}", report.columns);
    assert!(report.variable_columns.is_empty());
    assert_eq!(report.rows, 2);
    assert_eq!(
        report.to_string(),
        format!("1 problem in 2 rows:\n  {}", first_row_is_data(1))
    );
}

#[test]
fn number_like_column_names_are_masked_in_the_report() {
    let report =
        check_batch_csv("phone_number,+1 (415) 555-1234,plan\n+14155551234,x,y\n".as_bytes())
            .expect("slice");
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        report.columns,
        ["phone_number", "+1 (***) ***-*234", "plan"]
    );
    assert_eq!(report.variable_columns, ["+1 (***) ***-*234", "plan"]);
    assert_eq!(
        report.to_string(),
        "1 row; variables: +1 (***) ***-*234, plan"
    );
    check(
        "phone_number,4155551234,4155551234\n+14155551234,x,y\n",
        &["line 1: the header names column `4******234` twice"],
    );
}

#[test]
fn an_unreadable_file_names_its_path() {
    let error = check_batch_csv_file("/nonexistent/calls.csv").expect_err("no such file");
    assert!(
        error
            .to_string()
            .starts_with("cannot read /nonexistent/calls.csv: "),
        "{error}"
    );
}

#[test]
fn an_unreadable_file_masks_a_phone_number_in_its_path() {
    let error = check_batch_csv_file("/nonexistent/+14155551234.csv").expect_err("no such file");
    let shown = error.to_string();
    assert!(!shown.contains("4155551234"), "{shown}");
    assert!(shown.starts_with("cannot read /nonexistent/+1"), "{shown}");
}
