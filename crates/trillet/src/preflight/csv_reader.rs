//! Reading a CSV one physical line at a time into RFC 4180 records, counting lines and
//! bytes as a text editor does (LF, CRLF and a bare CR each end a line).

use std::fmt;
use std::io::{self, BufRead};

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

/// One CSV record: its fields' bytes end to end, where each ends, its first and last
/// lines, and the line break that ends it.
#[derive(Default)]
pub(super) struct Record {
    pub(super) data: Vec<u8>,
    pub(super) ends: Vec<usize>,
    pub(super) line: u64,
    pub(super) end_line: u64,
    pub(super) ending: Option<LineEnding>,
    pub(super) unclosed_quote: bool,
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

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn field(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.data.get(start..end)
    }

    pub(super) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.field(i))
    }

    /// No value but spaces: a blank line, or only separators.
    pub(super) fn is_empty(&self) -> bool {
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
pub(super) struct LineReader {
    line_buf: Vec<u8>,
    lines: u64,
    pub(super) bytes: u64,
}

impl LineReader {
    /// Reads the next record into `record`; `false` at the end of the input.
    pub(super) fn read_record(
        &mut self,
        input: &mut impl BufRead,
        record: &mut Record,
    ) -> io::Result<bool> {
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
