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
//!     "line 3: phone number 4******000 does not start with `+` (E.164 is `+`, the \
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
//!
//! # Line endings
//!
//! LF (`\n`) and CRLF (`\r\n`) end a line, and so does a carriage return alone (`\r`,
//! the line ending of classic Mac OS), so that every row of such a file is checked and
//! reported at the line a text editor shows. A file whose lines end with a bare `\r` is
//! nevertheless **refused** ([`CsvProblemKind::BareCarriageReturn`], once, at the first
//! such line): the Trillet docs do not say how the server splits lines, and a reader that
//! splits only at `\n` sees one line, a header of every row's values and no call at all
//! (what this check itself used to report as "0 rows", a valid file). A pre-flight that
//! passes is a promise that the upload is read as it was checked, and that cannot be
//! made here; re-saving the file with LF or CRLF endings costs a click. For the same
//! reason a file that mixes LF and CRLF between rows is refused
//! ([`CsvProblemKind::MixedLineEndings`], once, at the first line that differs from the
//! first line): common CSV readers (Node's `csv-parse`, Ruby's `CSV`) take the ending of
//! the first line for the whole file. Line breaks inside a double-quoted value are part
//! of the value (spreadsheets write LF inside cells of a CRLF file) and never count.
//!
//! # Phone numbers in reports
//!
//! A report never shows a phone number: numbers in the `phone_number` column are masked
//! ([`crate::mask_phone_number`]), and a header value with seven digits or more, in any
//! spelling (`+1 (415) 555-1234`), is masked in the report's columns, its problems, its
//! `Display` and its `Debug`. A file without a header row, whose first row is data
//! (`+14155551234,Ada`), is reported as [`CsvProblemKind::FirstRowIsData`] and its report
//! lists no columns.

use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::error::mask_phone_numbers;
use crate::phone::{check_e164, mask_phone_number, InvalidPhoneNumber};

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
///
/// `Debug` and `Display` show no phone number (see [the module docs](self)).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvReport {
    /// The header's column names, in file order; a name with seven digits or more is
    /// masked (`+1*******234`). Empty when the file has no header row
    /// ([`CsvProblemKind::NoHeader`], [`CsvProblemKind::FirstRowIsData`]).
    pub columns: Vec<String>,
    /// The columns that become variables of each call beyond the known ones
    /// ([`KNOWN_OPTIONAL_COLUMNS`]): every named column but `phone_number` and those,
    /// masked as in `columns`.
    pub variable_columns: Vec<String>,
    /// Data rows read (the header and empty rows not counted; the first row of a file
    /// without a header is counted).
    pub rows: u64,
    /// Bytes read (more than the limit only when the file is too large).
    pub bytes: u64,
    /// Every problem, in file order, then those about the whole file (no header, no
    /// rows). Empty when the file may be uploaded.
    pub problems: Vec<CsvProblem>,
}

/// The fields, with every column name masked as the report shows it.
impl fmt::Debug for CsvReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvReport")
            .field("columns", &masked_names(&self.columns))
            .field("variable_columns", &masked_names(&self.variable_columns))
            .field("rows", &self.rows)
            .field("bytes", &self.bytes)
            .field("problems", &self.problems)
            .finish()
    }
}

fn masked_names(names: &[String]) -> Vec<String> {
    names.iter().map(|name| mask_number_like(name)).collect()
}

/// `text` as a report or a `Debug` output may show it: masked whole with
/// [`mask_phone_number`] when it holds seven digits or more in any spelling
/// (`+1 (415) 555-1234`, `415-555-1234`: no column name, JSON key or id of the API
/// does), otherwise with [`mask_phone_numbers`] (for whatever it finds in free text).
pub(crate) fn mask_number_like(text: &str) -> String {
    if is_number_like(text) {
        mask_phone_number(text)
    } else {
        mask_phone_numbers(text)
    }
}

/// Seven digits or more, whatever else is around them: the shortest phone numbers
/// (local ones) have seven.
fn is_number_like(text: &str) -> bool {
    text.bytes().filter(u8::is_ascii_digit).count() >= 7
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
                write!(
                    f,
                    "; variables: {}",
                    masked_names(&self.variable_columns).join(", ")
                )?;
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

/// How a line of a CSV ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineEnding {
    /// `\n`, as Linux and macOS write it.
    Lf,
    /// `\r\n`, as Windows and RFC 4180 write it.
    CrLf,
    /// `\r` alone, as classic Mac OS wrote it.
    Cr,
}

/// The name and the escape: LF (`\n`), CRLF (`\r\n`), CR (`\r`).
impl fmt::Display for LineEnding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LineEnding::Lf => "LF (`\\n`)",
            LineEnding::CrLf => "CRLF (`\\r\\n`)",
            LineEnding::Cr => "CR (`\\r`)",
        })
    }
}

/// What is wrong at a line of a batch CSV. Phone numbers are masked, in `Display` and in
/// `Debug`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsvProblemKind {
    /// The file has no header row: it is empty or holds only empty rows.
    NoHeader,
    /// The file has no header row: its first row is data, with a phone number (a value of
    /// seven digits or more) where a column name should be.
    FirstRowIsData {
        /// The column, counted from 1, of the first value that looks like a phone number.
        column: usize,
    },
    /// The file has a header but no data row: there is nothing to call.
    NoRows,
    /// A line ends with a carriage return alone (`\r`, classic Mac OS), which the API may
    /// not read as a line break. Reported once, at the first such line; the rows are
    /// checked as if it were one.
    BareCarriageReturn,
    /// A line ends with LF where the first line ends with CRLF, or the other way round.
    /// Reported once, at the first line that differs.
    MixedLineEndings {
        /// The ending of this line.
        this: LineEnding,
        /// The ending of the first line that ends with a line break.
        first: LineEnding,
        /// That first line.
        first_line: u64,
    },
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
            CsvProblemKind::FirstRowIsData { column } => write!(
                f,
                "no header row: the first row is data (column {column} looks like a phone number); add a \
                 first row naming the columns, including `phone_number`"
            ),
            CsvProblemKind::NoRows => f.write_str("the header is the only row: there is no number to call"),
            CsvProblemKind::BareCarriageReturn => f.write_str(
                "the line ends with a bare carriage return (`\\r`, classic Mac OS), which the API may not \
                 read as a line break: save the file with LF (`\\n`) or CRLF (`\\r\\n`) line endings",
            ),
            CsvProblemKind::MixedLineEndings { this, first, first_line } => write!(
                f,
                "the line ends with {this} but line {first_line} ends with {first}: CSV readers may take \
                 the first line's ending for the whole file; save the file with one kind of line ending"
            ),
            CsvProblemKind::MissingPhoneNumberColumn { similar: None } => {
                f.write_str("the header has no `phone_number` column")
            }
            CsvProblemKind::MissingPhoneNumberColumn { similar: Some(name) } => write!(
                f,
                "the header has no `phone_number` column (`{}` looks like it, but the name must be \
                 exactly `phone_number`)",
                mask_number_like(name).escape_debug()
            ),
            CsvProblemKind::DuplicateColumn { name } => {
                write!(f, "the header names column `{}` twice", mask_number_like(name).escape_debug())
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

/// As derived, but with the column names masked as `Display` shows them.
impl fmt::Debug for CsvProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvProblemKind::NoHeader => f.write_str("NoHeader"),
            CsvProblemKind::FirstRowIsData { column } => f
                .debug_struct("FirstRowIsData")
                .field("column", column)
                .finish(),
            CsvProblemKind::NoRows => f.write_str("NoRows"),
            CsvProblemKind::BareCarriageReturn => f.write_str("BareCarriageReturn"),
            CsvProblemKind::MixedLineEndings {
                this,
                first,
                first_line,
            } => f
                .debug_struct("MixedLineEndings")
                .field("this", this)
                .field("first", first)
                .field("first_line", first_line)
                .finish(),
            CsvProblemKind::MissingPhoneNumberColumn { similar } => f
                .debug_struct("MissingPhoneNumberColumn")
                .field("similar", &similar.as_deref().map(mask_number_like))
                .finish(),
            CsvProblemKind::DuplicateColumn { name } => f
                .debug_struct("DuplicateColumn")
                .field("name", &mask_number_like(name))
                .finish(),
            CsvProblemKind::NotUtf8 => f.write_str("NotUtf8"),
            CsvProblemKind::EmptyRow => f.write_str("EmptyRow"),
            CsvProblemKind::TooManyValues { columns, values } => f
                .debug_struct("TooManyValues")
                .field("columns", columns)
                .field("values", values)
                .finish(),
            CsvProblemKind::UnclosedQuote => f.write_str("UnclosedQuote"),
            CsvProblemKind::InvalidPhoneNumber(error) => {
                f.debug_tuple("InvalidPhoneNumber").field(error).finish()
            }
            CsvProblemKind::TooLarge { max_bytes } => f
                .debug_struct("TooLarge")
                .field("max_bytes", max_bytes)
                .finish(),
        }
    }
}

/// The state of one pre-flight.
struct Check {
    max_bytes: u64,
    record: Record,
    header: Option<Header>,
    /// The ending of the first line that has one, and that line.
    first_ending: Option<(LineEnding, u64)>,
    reported_bare_cr: bool,
    reported_mixed: bool,
    report: CsvReport,
}

/// The columns the rows are checked against.
struct Header {
    line: u64,
    phone_number: Option<usize>,
    columns: usize,
}

impl Check {
    fn new(max_bytes: u64) -> Check {
        Check {
            max_bytes,
            record: Record::default(),
            header: None,
            first_ending: None,
            reported_bare_cr: false,
            reported_mixed: false,
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
            self.check_line_ending();
        }
        self.report.bytes = lines.bytes;
        match &self.header {
            None => self.problem(1, CsvProblemKind::NoHeader),
            Some(header) if self.report.rows == 0 => {
                self.problem(header.line, CsvProblemKind::NoRows);
            }
            Some(_) => {}
        }
        Ok(self.report)
    }

    fn problem(&mut self, line: u64, kind: CsvProblemKind) {
        self.report.problems.push(CsvProblem { line, kind });
    }

    /// The line break that ends the record (those inside quoted values never count).
    fn check_line_ending(&mut self) {
        let (Some(ending), line) = (self.record.ending, self.record.end_line) else {
            return;
        };
        if ending == LineEnding::Cr {
            if !self.reported_bare_cr {
                self.reported_bare_cr = true;
                self.problem(line, CsvProblemKind::BareCarriageReturn);
            }
            return;
        }
        match self.first_ending {
            None => self.first_ending = Some((ending, line)),
            Some((first, first_line)) if first != ending && !self.reported_mixed => {
                self.reported_mixed = true;
                self.problem(
                    line,
                    CsvProblemKind::MixedLineEndings {
                        this: ending,
                        first,
                        first_line,
                    },
                );
            }
            Some(_) => {}
        }
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
            if let Some(index) = columns.iter().position(|name| is_number_like(name)) {
                // Data, not names: the report lists no columns, and no value of the row.
                self.problem(line, CsvProblemKind::FirstRowIsData { column: index + 1 });
                self.report.rows += 1;
                self.header = Some(Header {
                    line,
                    phone_number: None,
                    columns: columns.len(),
                });
                return;
            }
            let similar = columns
                .iter()
                .find(|name| looks_like_phone_number(name))
                .map(|name| mask_number_like(name));
            self.problem(line, CsvProblemKind::MissingPhoneNumberColumn { similar });
        }
        let mut seen = HashSet::new();
        let mut reported = HashSet::new();
        for name in columns.iter().filter(|name| !name.is_empty()) {
            if !seen.insert(name.as_str()) && reported.insert(name.as_str()) {
                self.report.problems.push(CsvProblem {
                    line,
                    kind: CsvProblemKind::DuplicateColumn {
                        name: mask_number_like(name),
                    },
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
            .map(|name| mask_number_like(name))
            .collect();
        self.header = Some(Header {
            line,
            phone_number,
            columns: columns.len(),
        });
        self.report.columns = masked_names(&columns);
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

/// One CSV record: its fields' bytes end to end, where each ends, its first and last
/// lines, and the line break that ends it.
#[derive(Default)]
struct Record {
    data: Vec<u8>,
    ends: Vec<usize>,
    line: u64,
    end_line: u64,
    ending: Option<LineEnding>,
    unclosed_quote: bool,
}

impl Record {
    fn clear(&mut self, line: u64) {
        self.data.clear();
        self.ends.clear();
        self.line = line;
        self.end_line = line;
        self.ending = None;
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
/// exactly (blank lines are records too, so that they can be reported). A line ends at
/// LF, CRLF or a bare CR.
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
            let (read, ending) = read_line(input, &mut self.line_buf)?;
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
            for &byte in &self.line_buf {
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
            record.end_line = self.lines;
            record.ending = ending;
            return Ok(true);
        }
    }
}

/// Appends the next physical line of `input` to `line`, without its line break, and
/// returns the bytes read (the break included) and the break: LF, CRLF, a CR alone, or
/// none at the end of the input.
fn read_line(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
) -> io::Result<(usize, Option<LineEnding>)> {
    let mut read = 0;
    loop {
        let available = fill_buf(input)?;
        if available.is_empty() {
            return Ok((read, None));
        }
        let Some(at) = available.iter().position(|&b| b == b'\n' || b == b'\r') else {
            let n = available.len();
            line.extend_from_slice(available);
            input.consume(n);
            read += n;
            continue;
        };
        let lf = available[at] == b'\n';
        line.extend_from_slice(&available[..at]);
        input.consume(at + 1);
        read += at + 1;
        if lf {
            return Ok((read, Some(LineEnding::Lf)));
        }
        // A CR: the LF after it may be in the next buffer.
        if fill_buf(input)?.first() == Some(&b'\n') {
            input.consume(1);
            return Ok((read + 1, Some(LineEnding::CrLf)));
        }
        return Ok((read, Some(LineEnding::Cr)));
    }
}

/// [`BufRead::fill_buf`], retried when interrupted (as `read_until` does).
fn fill_buf(input: &mut impl BufRead) -> io::Result<&[u8]> {
    loop {
        match input.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
            // Asked again to return the borrow: the buffer is filled, so this reads nothing.
            Ok(_) => return input.fill_buf(),
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
        let report =
            check_batch_csv("phone_number,plan\r+14155551234,a\r+14155551235,b".as_bytes())
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
        let no_rows = |line: u64| {
            format!("line {line}: the header is the only row: there is no number to call")
        };
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
}
