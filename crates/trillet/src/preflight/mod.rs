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

mod csv_reader;
mod report;
mod rules;

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

pub use csv_reader::LineEnding;
pub(crate) use report::mask_number_like;
pub use report::{CsvProblem, CsvProblemKind, CsvReport};
use rules::Check;
pub use rules::{KNOWN_OPTIONAL_COLUMNS, MAX_BATCH_CSV_BYTES, PHONE_NUMBER_COLUMN};

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

    /// Checks a CSV held in memory: [`check`](CsvPreflight::check) on a slice, which
    /// cannot fail to read.
    pub(crate) fn check_bytes(&self, csv: &[u8]) -> CsvReport {
        self.check(csv)
            .unwrap_or_else(|_| unreachable!("reading a slice never fails"))
    }

    /// Checks the CSV file at `path`. The error of an unreadable file names the path
    /// (phone numbers in it masked, as everywhere in this crate).
    pub fn check_file(&self, path: impl AsRef<Path>) -> io::Result<CsvReport> {
        let path = path.as_ref();
        let shown = trillet_redact::mask_phone_numbers(&path.display().to_string()).into_owned();
        let named = |e: io::Error| io::Error::new(e.kind(), format!("cannot read {shown}: {e}"));
        let file = File::open(path).map_err(named)?;
        self.check(file).map_err(named)
    }
}

#[cfg(test)]
mod tests;
