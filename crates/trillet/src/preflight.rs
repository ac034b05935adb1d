//! Pre-flight of a batch CSV: the checks the API would make, done locally before an
//! upload, with the line number and the reason of every bad row.
//!
//! A batch CSV is UTF-8, at most 20 MB, starts with a header row naming a
//! `phone_number` column, and has one call per row with the number in E.164. The
//! optional columns `first_name`, `last_name` and `email`, and any other column, become
//! variables of the call (`{first_name}` in the agent's prompt).
//!
//! ```
//! use trillet::preflight::{check_batch_csv, CsvProblemKind};
//!
//! let csv = "phone_number,first_name,plan\n+14155551234,Ada,gold\n4155550000,Bob,silver\n\n";
//! let report = check_batch_csv(csv.as_bytes())?;
//! assert_eq!(report.rows, 2);
//! assert_eq!(report.variable_columns, ["plan"]);
//! assert_eq!(report.problems.len(), 2);
//! assert_eq!(
//!     report.problems[0].to_string(),
//!     "line 3: phone number 41*****000 does not start with `+` (E.164 is `+`, the \
//!      country code, then the number)"
//! );
//! assert_eq!(report.problems[1].line, 4);
//! assert_eq!(report.problems[1].kind, CsvProblemKind::EmptyRow);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The file is read incrementally, one physical line at a time, so memory stays small
//! whatever its size; reading stops once more than the size limit has been read. Line
//! numbers are those of a text editor: the header is line 1, and a row whose quoted
//! value spans several lines is reported at the line where it starts.

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::phone::{check_e164, InvalidPhoneNumber};

/// Largest batch CSV the API accepts: 20 MB.
pub const MAX_BATCH_CSV_BYTES: u64 = 20 * 1024 * 1024;

/// The column every batch CSV needs: the number to call, in E.164.
pub const PHONE_NUMBER_COLUMN: &str = "phone_number";

/// Optional columns the API knows by name. They, and any other column, become variables
/// of the call.
pub const KNOWN_OPTIONAL_COLUMNS: [&str; 3] = ["first_name", "last_name", "email"];

/// Problems shown by a report's `Display` before it says how many more there are.
const PROBLEMS_SHOWN: usize = 20;

/// Checks a batch CSV with the API's rules and a limit of [`MAX_BATCH_CSV_BYTES`].
///
/// Fails only when `reader` fails; everything wrong with the content is in the
/// [`CsvReport`].
pub fn check_batch_csv<R: Read>(reader: R) -> io::Result<CsvReport> {
    CsvPreflight::new().check(reader)
}

/// Checks the batch CSV at `path` ([`check_batch_csv`] on the open file). The error of an
/// unreadable file names the path.
pub fn check_batch_csv_file(path: impl AsRef<Path>) -> io::Result<CsvReport> {
    CsvPreflight::new().check_file(path)
}

/// The rules of a pre-flight, for a size limit other than the API's 20 MB (plans may
/// differ); [`check_batch_csv`] uses the defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvPreflight {
    max_bytes: u64,
}

impl Default for CsvPreflight {
    fn default() -> CsvPreflight {
        CsvPreflight::new()
    }
}

impl CsvPreflight {
    /// The API's rules: at most [`MAX_BATCH_CSV_BYTES`].
    pub fn new() -> CsvPreflight {
        CsvPreflight {
            max_bytes: MAX_BATCH_CSV_BYTES,
        }
    }

    /// Refuse files larger than `max_bytes` instead.
    pub fn max_bytes(mut self, max_bytes: u64) -> CsvPreflight {
        self.max_bytes = max_bytes;
        self
    }

    /// Checks the CSV that `reader` yields, reading it incrementally and at most
    /// `max_bytes + 1` bytes of it.
    ///
    /// Fails only when `reader` fails; everything wrong with the content is in the
    /// [`CsvReport`].
    pub fn check<R: Read>(&self, reader: R) -> io::Result<CsvReport> {
        let limited = reader.take(self.max_bytes.saturating_add(1));
        Check::new(self.max_bytes).run(BufReader::with_capacity(64 * 1024, limited))
    }

    /// Checks the CSV file at `path`. The error of an unreadable file names the path.
    pub fn check_file(&self, path: impl AsRef<Path>) -> io::Result<CsvReport> {
        let path = path.as_ref();
        let named =
            |e: io::Error| io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()));
        let file = File::open(path).map_err(named)?;
        self.check(file).map_err(named)
    }
}

/// What a pre-flight found: the columns, the number of rows, and every problem.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvReport {
    /// The header's column names, in file order.
    pub columns: Vec<String>,
    /// The columns that become variables of each call beyond the known ones
    /// ([`KNOWN_OPTIONAL_COLUMNS`]): every named column but `phone_number` and those.
    pub variable_columns: Vec<String>,
    /// Data rows read (the header and empty rows not counted).
    pub rows: u64,
    /// Bytes read (more than the limit only when the file is too large).
    pub bytes: u64,
    /// Every problem, in file order. Empty when the file may be uploaded.
    pub problems: Vec<CsvProblem>,
}

impl CsvReport {
    /// Whether the file passed every check.
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One line when valid (`2 rows; variables: plan`), else the number of problems and the
/// first twenty, one per line.
impl fmt::Display for CsvReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = plural(self.rows, "row");
        if self.problems.is_empty() {
            write!(f, "{rows}")?;
            if !self.variable_columns.is_empty() {
                write!(f, "; variables: {}", self.variable_columns.join(", "))?;
            }
            return Ok(());
        }
        write!(
            f,
            "{} in {rows}:",
            plural(self.problems.len() as u64, "problem")
        )?;
        for problem in self.problems.iter().take(PROBLEMS_SHOWN) {
            write!(f, "\n  {problem}")?;
        }
        if self.problems.len() > PROBLEMS_SHOWN {
            write!(
                f,
                "\n  ... and {} more",
                self.problems.len() - PROBLEMS_SHOWN
            )?;
        }
        Ok(())
    }
}

fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A problem at one line of a batch CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvProblem {
    /// The line, counted from 1 as a text editor does; the header is line 1 unless blank
    /// lines precede it.
    pub line: u64,
    /// What is wrong.
    pub kind: CsvProblemKind,
}

/// `line 3: phone number +1******890 has 16 digits; E.164 allows 8 to 15`.
impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

/// What is wrong at a line of a batch CSV. Phone numbers are masked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsvProblemKind {
    /// The file has no header row: it is empty or holds only empty rows.
    NoHeader,
    /// The header has no `phone_number` column.
    MissingPhoneNumberColumn {
        /// A column that looks like it (`Phone Number`, `phone-number`), if there is one.
        similar: Option<String>,
    },
    /// The header names a column twice.
    DuplicateColumn {
        /// The column's name.
        name: String,
    },
    /// The row is not valid UTF-8.
    NotUtf8,
    /// The row has no values (a blank line, or only commas and spaces).
    EmptyRow,
    /// The row has more values than the header has columns: usually a value with a
    /// comma that is not in double quotes.
    TooManyValues {
        /// Columns of the header.
        columns: usize,
        /// Values of the row.
        values: usize,
    },
    /// A double-quoted value is not closed before the end of the file.
    UnclosedQuote,
    /// The row's `phone_number` is not in E.164.
    InvalidPhoneNumber(InvalidPhoneNumber),
    /// The file is larger than the limit; the rows after this line were not checked.
    TooLarge {
        /// The limit, in bytes.
        max_bytes: u64,
    },
}

impl fmt::Display for CsvProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvProblemKind::NoHeader => {
                f.write_str("no header row: the first row must name the columns, including `phone_number`")
            }
            CsvProblemKind::MissingPhoneNumberColumn { similar: None } => {
                f.write_str("the header has no `phone_number` column")
            }
            CsvProblemKind::MissingPhoneNumberColumn { similar: Some(name) } => write!(
                f,
                "the header has no `phone_number` column (`{}` looks like it, but the name must be \
                 exactly `phone_number`)",
                name.escape_debug()
            ),
            CsvProblemKind::DuplicateColumn { name } => {
                write!(f, "the header names column `{}` twice", name.escape_debug())
            }
            CsvProblemKind::NotUtf8 => f.write_str("not valid UTF-8 (save the file as UTF-8)"),
            CsvProblemKind::EmptyRow => f.write_str("empty row"),
            CsvProblemKind::TooManyValues { columns, values } => write!(
                f,
                "{values} values but the header has {columns} columns (a value containing a comma must be \
                 in double quotes)"
            ),
            CsvProblemKind::UnclosedQuote => f.write_str("a double-quoted value is not closed before the end of the file"),
            CsvProblemKind::InvalidPhoneNumber(error) => write!(f, "{error}"),
CsvProblemKind::TooLarge { max_bytes } => {
                // In MB past a million bytes: long digit runs look like phone numbers to
                // the masking of error messages.
                let limit = if *max_bytes >= 1_000_000 {
                    format!("{:.1} MB", *max_bytes as f64 / (1024.0 * 1024.0))
                } else {
                    format!("{max_bytes} bytes")
                };
                write!(f, "the file is larger than {limit}, the most accepted; rows from here on were not checked")
            }
        }
    }
}

/// The state of one pre-flight.
struct Check {
    max_bytes: u64,
    record: Record,
    header: Option<Header>,
    report: CsvReport,
}

/// The columns the rows are checked against.
struct Header {
    phone_number: Option<usize>,
    columns: usize,
}

impl Check {
    fn new(max_bytes: u64) -> Check {
        Check {
            max_bytes,
            record: Record::default(),
            header: None,
            report: CsvReport {
                columns: Vec::new(),
                variable_columns: Vec::new(),
                rows: 0,
                bytes: 0,
                problems: Vec::new(),
            },
        }
    }

    fn run(mut self, mut input: impl BufRead) -> io::Result<CsvReport> {
        let mut lines = LineReader::default();
        while lines.read_record(&mut input, &mut self.record)? {
            self.report.bytes = lines.bytes;
            if lines.bytes > self.max_bytes {
                // The record that crossed the limit may have been cut: its problems are not real.
                self.problem(
                    self.record.line,
                    CsvProblemKind::TooLarge {
                        max_bytes: self.max_bytes,
                    },
                );
                return Ok(self.report);
            }
            self.check_record();
        }
        self.report.bytes = lines.bytes;
        if self.header.is_none() {
            self.problem(1, CsvProblemKind::NoHeader);
        }
        Ok(self.report)
    }

    fn problem(&mut self, line: u64, kind: CsvProblemKind) {
        self.report.problems.push(CsvProblem { line, kind });
    }

    fn check_record(&mut self) {
        let line = self.record.line;
        if self.record.is_empty() {
            self.problem(line, CsvProblemKind::EmptyRow);
            if self.record.unclosed_quote {
                self.problem(line, CsvProblemKind::UnclosedQuote);
            }
            return;
        }
        if self.header.is_some() {
            self.report.rows += 1;
        }
        if self.record.unclosed_quote {
            self.problem(line, CsvProblemKind::UnclosedQuote);
        }
        match &self.header {
            None => self.read_header(),
            Some(header) => {
                let (phone_number, columns) = (header.phone_number, header.columns);
                self.check_row(phone_number, columns);
            }
        }
    }

    fn read_header(&mut self) {
        let line = self.record.line;
        if std::str::from_utf8(&self.record.data).is_err() {
            self.problem(line, CsvProblemKind::NotUtf8);
        }
        let columns: Vec<String> = self
            .record
            .fields()
            .map(|field| String::from_utf8_lossy(field).trim().to_string())
            .collect();
        let phone_number = columns.iter().position(|name| name == PHONE_NUMBER_COLUMN);
        if phone_number.is_none() {
            let similar = columns
                .iter()
                .find(|name| looks_like_phone_number(name))
                .cloned();
            self.problem(line, CsvProblemKind::MissingPhoneNumberColumn { similar });
        }
        let mut seen = HashSet::new();
        let mut reported = HashSet::new();
        for name in columns.iter().filter(|name| !name.is_empty()) {
            if !seen.insert(name.as_str()) && reported.insert(name.as_str()) {
                self.report.problems.push(CsvProblem {
                    line,
                    kind: CsvProblemKind::DuplicateColumn { name: name.clone() },
                });
            }
        }
        let mut seen_variables = HashSet::new();
        let variable_columns = columns
            .iter()
            .filter(|name| {
                !name.is_empty()
                    && name.as_str() != PHONE_NUMBER_COLUMN
                    && !KNOWN_OPTIONAL_COLUMNS.contains(&name.as_str())
            })
            .filter(|name| seen_variables.insert(name.as_str()))
            .cloned()
            .collect();
        self.header = Some(Header {
            phone_number,
            columns: columns.len(),
        });
        self.report.columns = columns;
        self.report.variable_columns = variable_columns;
    }

    fn check_row(&mut self, phone_number: Option<usize>, columns: usize) {
        let line = self.record.line;
        if std::str::from_utf8(&self.record.data).is_err() {
            self.problem(line, CsvProblemKind::NotUtf8);
            return;
        }
        let values = self.record.len();
        if values > columns {
            self.problem(line, CsvProblemKind::TooManyValues { columns, values });
        }
        let Some(column) = phone_number else { return };
        // A short row has no value for the column: that is an empty number.
        let number = self.record.field(column).unwrap_or_default();
        // Valid UTF-8 as a whole, so every field is.
        let number = std::str::from_utf8(number).unwrap_or_default();
        if let Err(problem) = check_e164(number) {
            self.problem(
                line,
                CsvProblemKind::InvalidPhoneNumber(InvalidPhoneNumber::new(number, problem)),
            );
        }
    }
}

/// `Phone Number`, `phone-number`, `PhoneNumber`, ` phone_number `: a name that means
/// `phone_number` once case, spaces and punctuation are ignored.
fn looks_like_phone_number(name: &str) -> bool {
    let letters: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    letters.eq_ignore_ascii_case("phonenumber")
}

/// One CSV record: its fields' bytes end to end, where each ends, and its first line.
#[derive(Default)]
struct Record {
    data: Vec<u8>,
    ends: Vec<usize>,
    line: u64,
    unclosed_quote: bool,
}

impl Record {
    fn clear(&mut self, line: u64) {
        self.data.clear();
        self.ends.clear();
        self.line = line;
        self.unclosed_quote = false;
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn field(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.data.get(start..end)
    }

    fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.field(i))
    }

    /// No value but spaces: a blank line, or only separators.
    fn is_empty(&self) -> bool {
        self.data.iter().all(|b| b.is_ascii_whitespace())
    }
}

/// Where the parser is within a field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldState {
    /// At the start of a field: a `"` here opens a quoted value.
    Start,
    /// In a value without quotes (a `"` here is an ordinary character).
    Unquoted,
    /// In a double-quoted value: commas and line breaks are part of it.
    Quoted,
    /// Just after a `"` in a quoted value: `"` again is an escaped quote, anything else
    /// ends the quoted part.
    QuoteInQuoted,
}

/// Reads RFC 4180 records one physical line at a time, counting lines and bytes
/// exactly (blank lines are records too, so that they can be reported).
#[derive(Default)]
struct LineReader {
    line_buf: Vec<u8>,
    lines: u64,
    bytes: u64,
}

impl LineReader {
    /// Reads the next record into `record`; `false` at the end of the input.
    fn read_record(&mut self, input: &mut impl BufRead, record: &mut Record) -> io::Result<bool> {
        record.clear(self.lines + 1);
        let mut state = FieldState::Start;
        let mut started = false;
        loop {
            self.line_buf.clear();
            let read = input.read_until(b'\n', &mut self.line_buf)?;
            if read == 0 {
                if !started {
                    return Ok(false);
                }
                // End of input inside a quoted value.
                record.unclosed_quote = true;
                record.ends.push(record.data.len());
                return Ok(true);
            }
            if !started && self.lines == 0 && self.line_buf.starts_with(b"\xEF\xBB\xBF") {
                // A UTF-8 byte order mark (spreadsheet exports) is not part of the header.
                self.line_buf.drain(..3);
            }
            started = true;
            self.lines += 1;
            self.bytes += read as u64;
            let mut content = self.line_buf.as_slice();
            if let Some(rest) = content.strip_suffix(b"\n") {
                content = rest.strip_suffix(b"\r").unwrap_or(rest);
            }
            for &byte in content {
                state = match (state, byte) {
                    (FieldState::Start, b'"') => FieldState::Quoted,
                    (
                        FieldState::Start | FieldState::Unquoted | FieldState::QuoteInQuoted,
                        b',',
                    ) => {
                        record.ends.push(record.data.len());
                        FieldState::Start
                    }
                    (FieldState::Quoted, b'"') => FieldState::QuoteInQuoted,
                    (FieldState::QuoteInQuoted, b'"') => {
                        record.data.push(b'"');
                        FieldState::Quoted
                    }
                    (FieldState::Quoted, _) => {
                        record.data.push(byte);
                        FieldState::Quoted
                    }
                    // Text after a closing quote, or in an unquoted value, is kept as is.
                    (FieldState::Start | FieldState::Unquoted | FieldState::QuoteInQuoted, _) => {
                        record.data.push(byte);
                        FieldState::Unquoted
                    }
                };
            }
            if state == FieldState::Quoted {
                // The line break is part of the quoted value; the record goes on.
                record.data.push(b'\n');
                continue;
            }
            record.ends.push(record.data.len());
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
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
                "line 3: phone number 41*****234 does not start with `+` (E.164 is `+`, the country code, then \
                 the number)",
                "line 4: phone number +1**********234 contains characters other than digits after the `+` \
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
        check("", &["line 1: no header row: the first row must name the columns, including `phone_number`"]);
        check("\n\n", &[
            "line 1: empty row",
            "line 2: empty row",
            "line 1: no header row: the first row must name the columns, including `phone_number`",
        ]);
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
}
