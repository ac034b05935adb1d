//! What a pre-flight reports: the [`CsvReport`] with every [`CsvProblem`] at its line,
//! and how a report shows names without phone numbers.

use std::fmt;

use super::csv_reader::LineEnding;
use crate::phone::{mask_phone_number, InvalidPhoneNumber};

/// Problems shown by a report's `Display` before it says how many more there are.
const PROBLEMS_SHOWN: usize = 20;

/// What a pre-flight found: the columns, the number of rows, and every problem.
///
/// `Debug` and `Display` show no phone number (see [the module docs](super)).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvReport {
    /// The header's column names, in file order; a name with seven digits or more is
    /// masked (`+1*******234`). Empty when the file has no header row
    /// ([`CsvProblemKind::NoHeader`], [`CsvProblemKind::FirstRowIsData`]).
    pub columns: Vec<String>,
    /// The columns that become variables of each call beyond the known ones
    /// ([`KNOWN_OPTIONAL_COLUMNS`](super::KNOWN_OPTIONAL_COLUMNS)): every named column but `phone_number` and those,
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

pub(super) fn masked_names(names: &[String]) -> Vec<String> {
    names.iter().map(|name| mask_number_like(name)).collect()
}

/// `text` as a report or a `Debug` output may show it: masked whole with
/// [`mask_phone_number`] when it holds seven digits or more in any spelling
/// (`+1 (415) 555-1234`, `415-555-1234`: no column name, JSON key or id of the API
/// does), otherwise with [`mask_phone_numbers`](crate::mask_phone_numbers) (for whatever it finds in free text).
pub(crate) fn mask_number_like(text: &str) -> String {
    if is_number_like(text) {
        mask_phone_number(text)
    } else {
        trillet_redact::mask_phone_numbers(text).into_owned()
    }
}

/// Seven digits or more, whatever else is around them: the shortest phone numbers
/// (local ones) have seven.
pub(super) fn is_number_like(text: &str) -> bool {
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
