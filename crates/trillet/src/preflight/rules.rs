//! The API's rules for a batch CSV (its size, its columns) and the checks of a
//! pre-flight: the header, then each record as the reader gives it (values, phone
//! number, line endings), into a [`CsvReport`].

use std::collections::HashSet;
use std::io::{self, BufRead};

use super::csv_reader::{LineEnding, LineReader, Record};
use super::report::{
    is_number_like, mask_number_like, masked_names, CsvProblem, CsvProblemKind, CsvReport,
};
use crate::phone::{check_e164, InvalidPhoneNumber};

/// Largest batch CSV the API accepts: 20 MB.
pub const MAX_BATCH_CSV_BYTES: u64 = 20 * 1024 * 1024;

/// The column every batch CSV needs: the number to call, in E.164.
pub const PHONE_NUMBER_COLUMN: &str = "phone_number";

/// Optional columns the API knows by name. They, and any other column, become variables
/// of the call.
pub const KNOWN_OPTIONAL_COLUMNS: [&str; 3] = ["first_name", "last_name", "email"];

/// The state of one pre-flight.
pub(super) struct Check {
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
    pub(super) fn new(max_bytes: u64) -> Check {
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

    pub(super) fn run(mut self, mut input: impl BufRead) -> io::Result<CsvReport> {
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
