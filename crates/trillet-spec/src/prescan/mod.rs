//! A cheap look at YAML text before a YAML parser sees it, for the two things that make
//! parsing a small text slow or huge: deeply nested flow collections (libyaml's scanner,
//! which serde_norway uses, spends time quadratic in their depth: 100,000 nested `[` take
//! 34 s in a release build) and anchors with aliases (each alias repeats its anchor's
//! content, so a few kilobytes can expand to gigabytes).
//!
//! It follows libyaml's scanner where that decides what is a flow collection or an alias:
//! quoted scalars, block scalars (`|`, `>`, with their indentation rules), comments,
//! plain scalars (which may contain `[`, `'` or `*` in block context) and the indentation
//! of block collections. Where libyaml would stop with a syntax error it keeps going, so it
//! may count a bracket libyaml never reaches; it is meant never to miss one libyaml counts
//! (when written, it agreed with libyaml's own token stream on some 100,000 generated
//! documents and mutations of the contract).
//! One pass over the bytes, no allocation beyond a stack of indentation columns.

/// What makes a text unsafe to hand to the YAML parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hazard {
    /// A flow collection (`[` or `{`) opened deeper than the limit.
    TooDeep,
    /// An anchor, `&name`.
    Anchor,
    /// An alias, `*name`.
    Alias,
}

/// The first hazard of a text and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) hazard: Hazard,
    /// 1-based line (libyaml's line breaks: `\n`, `\r\n`, `\r`, NEL, LS, PS).
    pub(crate) line: usize,
    /// 1-based column, in characters.
    pub(crate) column: usize,
}

/// What [`scan`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The deepest nesting of flow collections seen (up to the finding, if any).
    pub(crate) max_flow_depth: usize,
    /// The first hazard; the scan stops there.
    pub(crate) finding: Option<Finding>,
}

/// Below this size, a second thread costs more than it saves.
const SPLIT_FROM_BYTES: usize = 64 * 1024;

/// Scans `text`, stopping at the first anchor or alias, or at the first flow collection
/// nested deeper than `max_flow_depth`.
///
/// With more than one core, a large text is scanned in two parts at once: the second
/// from the first line after the middle that starts with a letter (a top-level key of a
/// block mapping at the root), as if the text began there inside that mapping. The
/// first part's scan stops there only if it reaches that line at the start of a token in
/// exactly that state (no open flow collection, the root mapping the only block
/// collection, a key allowed); otherwise it scans on to the end and the second part's
/// result is dropped. Either way the result is that of [`scan_whole`].
pub(crate) fn scan(text: &str, max_flow_depth: usize) -> Scan {
    let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let Some(cut) = cut(text).filter(|_| parallel) else {
        return scan_whole(text, max_flow_depth);
    };
    std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut scanner = Scanner::new(&text.as_bytes()[cut..]);
            // Inside the root block mapping, at column 0: what `Scanner::stopped` checks.
            scanner.indent = 0;
            scanner.indents.push(-1);
            let finding = scanner.run(max_flow_depth);
            (scanner.deepest, finding)
        });
        let mut first = Scanner::new(text.as_bytes());
        first.stop = cut;
        let finding = first.run(max_flow_depth);
        if !first.stopped {
            // The first scan went on to the end (or found something first).
            return Scan {
                max_flow_depth: first.deepest,
                finding,
            };
        }
        let (deepest, finding) = second.join().unwrap_or_else(|_| {
            // Cannot happen (the scanner does not panic); scan the rest here if it does.
            let mut scanner = Scanner::new(&text.as_bytes()[cut..]);
            scanner.indent = 0;
            scanner.indents.push(-1);
            let finding = scanner.run(max_flow_depth);
            (scanner.deepest, finding)
        });
        Scan {
            max_flow_depth: first.deepest.max(deepest),
            finding: finding.map(|f| Finding {
                line: f.line + first.line,
                ..f
            }),
        }
    })
}

/// [`scan`] in one piece, on one core.
pub(crate) fn scan_whole(text: &str, max_flow_depth: usize) -> Scan {
    let mut scanner = Scanner::new(text.as_bytes());
    let finding = scanner.run(max_flow_depth);
    Scan {
        max_flow_depth: scanner.deepest,
        finding,
    }
}

/// Where [`scan`] splits a large text: the first line after the middle that starts with
/// an ASCII letter.
fn cut(text: &str) -> Option<usize> {
    if text.len() < SPLIT_FROM_BYTES {
        return None;
    }
    let bytes = text.as_bytes();
    let middle = text.len() / 2;
    bytes[middle..]
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c == b'\n')
        .map(|(at, _)| middle + at + 1)
        .find(|&start| bytes.get(start).is_some_and(u8::is_ascii_alphabetic))
}

struct Scanner<'a> {
    b: &'a [u8],
    /// Byte offset.
    i: usize,
    /// 0-based line and column (in characters) of `i`.
    line: usize,
    col: usize,
    /// Current and deepest flow level.
    flow: usize,
    deepest: usize,
    /// libyaml's `indent`: the column of the innermost block collection, -1 for none,
    /// and the enclosing ones.
    indent: isize,
    indents: Vec<isize>,
    /// Where a simple key could start at flow level 0 (line, column, byte offset): a `:`
    /// after it on the same line makes it a mapping key, which opens a block mapping at
    /// its column.
    key: Option<(usize, usize, usize)>,
    /// libyaml's `simple_key_allowed`.
    key_allowed: bool,
    /// The byte offset where [`scan`]'s first part may stop, and whether it did.
    stop: usize,
    stopped: bool,
}

impl<'a> Scanner<'a> {
    fn new(b: &'a [u8]) -> Self {
        Scanner {
            b,
            i: 0,
            line: 0,
            col: 0,
            flow: 0,
            deepest: 0,
            indent: -1,
            indents: Vec::new(),
            key: None,
            key_allowed: true,
            stop: usize::MAX,
            stopped: false,
        }
    }

    /// At [`Scanner::stop`] in the state the second part of [`scan`] starts in. A key
    /// saved on an earlier line is as good as none: a `:` only uses one of its own line.
    fn at_stop(&self) -> bool {
        self.i == self.stop
            && self.col == 0
            && self.flow == 0
            && self.key_allowed
            && self.indent == 0
            && self.indents == [-1]
            && self.key.is_none_or(|(line, _, _)| line < self.line)
    }

    fn run(&mut self, max_flow_depth: usize) -> Option<Finding> {
        loop {
            self.skip_to_token();
            if self.eof() {
                return None;
            }
            if self.flow == 0 {
                self.unroll(self.column());
            }
            if self.at_stop() {
                self.stopped = true;
                return None;
            }
            let start = self.i;
            let c = self.b[self.i];
            if self.col == 0 && c == b'%' {
                // A directive, `%YAML 1.2`: nothing in it opens anything.
                self.skip_to_break();
                continue;
            }
            if self.document_marker() {
                self.unroll(-1);
                self.key = None;
                self.key_allowed = false;
                for _ in 0..3 {
                    self.bump();
                }
                continue;
            }
            match c {
                b'[' | b'{' => {
                    self.save_key();
                    self.flow += 1;
                    self.deepest = self.deepest.max(self.flow);
                    if self.flow > max_flow_depth {
                        return Some(self.finding(Hazard::TooDeep));
                    }
                    self.key_allowed = true;
                    self.bump();
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    self.key_allowed = false;
                    self.bump();
                }
                b',' => {
                    self.key_allowed = true;
                    self.bump();
                }
                b'-' if self.blankz_at(self.i + 1) => {
                    if self.flow == 0 {
                        self.roll(self.column());
                    }
                    self.key_allowed = true;
                    self.bump();
                }
                b'?' if self.flow > 0 || self.blankz_at(self.i + 1) => {
                    if self.flow == 0 {
                        self.roll(self.column());
                    }
                    self.key_allowed = self.flow == 0;
                    self.bump();
                }
                b':' if self.flow > 0 || self.blankz_at(self.i + 1) => {
                    if self.flow == 0 {
                        // A simple key goes stale at the end of its line or 1024 bytes on.
                        let key = self.key.take().filter(|&(line, _, index)| {
                            line == self.line && self.i <= index + 1024
                        });
                        let column = key.map_or(self.col, |(_, column, _)| column);
                        self.roll(isize::try_from(column).unwrap_or(isize::MAX));
                        self.key_allowed = key.is_none();
                    } else {
                        self.key_allowed = false;
                    }
                    self.bump();
                }
                b'*' => return Some(self.finding(Hazard::Alias)),
                b'&' => return Some(self.finding(Hazard::Anchor)),
                b'!' => {
                    self.save_key();
                    self.key_allowed = false;
                    self.tag();
                }
                b'|' | b'>' if self.flow == 0 => {
                    self.block_scalar();
                    self.key_allowed = true;
                }
                b'\'' | b'"' => {
                    self.save_key();
                    self.key_allowed = false;
                    self.quoted(c);
                }
                _ => {
                    self.save_key();
                    self.plain();
                }
            }
            if self.i == start {
                // Not a token libyaml accepts (a tab where it wants indentation): step on.
                self.bump();
            }
        }
    }

    fn finding(&self, hazard: Hazard) -> Finding {
        Finding {
            hazard,
            line: self.line + 1,
            column: self.col + 1,
        }
    }

    fn eof(&self) -> bool {
        self.i >= self.b.len()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn column(&self) -> isize {
        isize::try_from(self.col).unwrap_or(isize::MAX)
    }

    /// The length of the line break at `i`, 0 if there is none.
    fn break_len(&self, i: usize) -> usize {
        match (self.at(i), self.at(i + 1), self.at(i + 2)) {
            (Some(b'\r'), Some(b'\n'), _) => 2,
            (Some(b'\r' | b'\n'), _, _) => 1,
            (Some(0xC2), Some(0x85), _) => 2,
            (Some(0xE2), Some(0x80), Some(0xA8 | 0xA9)) => 3,
            _ => 0,
        }
    }

    fn blank_at(&self, i: usize) -> bool {
        matches!(self.at(i), Some(b' ' | b'\t'))
    }

    /// Blank, line break or end of text (libyaml's `IS_BLANKZ`).
    fn blankz_at(&self, i: usize) -> bool {
        i >= self.b.len() || self.blank_at(i) || self.break_len(i) > 0
    }

    fn flow_indicator_at(&self, i: usize) -> bool {
        matches!(self.at(i), Some(b',' | b'[' | b']' | b'{' | b'}'))
    }

    /// Moves past one byte, or one line break.
    fn bump(&mut self) {
        if let Some(c) = self.at(self.i) {
            if c.is_ascii() && c != b'\n' && c != b'\r' {
                self.i += 1;
                self.col += 1;
                return;
            }
        }
        let len = self.break_len(self.i);
        if len > 0 {
            self.i += len;
            self.line += 1;
            self.col = 0;
        } else if let Some(byte) = self.at(self.i) {
            self.i += 1;
            // UTF-8 continuation bytes do not start a character.
            if byte & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    /// Moves to the next line break (or the end), without consuming it.
    fn skip_to_break(&mut self) {
        loop {
            // Every line break starts with one of these bytes.
            let rest = &self.b[self.i..];
            let n = rest
                .iter()
                .position(|&c| matches!(c, b'\n' | b'\r' | 0xC2 | 0xE2))
                .unwrap_or(rest.len());
            self.col += rest[..n].iter().filter(|&&c| c & 0xC0 != 0x80).count();
            self.i += n;
            if self.eof() || self.break_len(self.i) > 0 {
                return;
            }
            self.bump();
        }
    }

    /// `---` or `...` at the start of a line, followed by a blank or the end of the line.
    fn document_marker(&self) -> bool {
        self.col == 0
            && (self.b[self.i..].starts_with(b"---") || self.b[self.i..].starts_with(b"..."))
            && self.blankz_at(self.i + 3)
    }

    fn roll(&mut self, column: isize) {
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
        }
    }

    fn unroll(&mut self, column: isize) {
        while self.indent > column {
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn save_key(&mut self) {
        if self.flow == 0 && self.key_allowed {
            self.key = Some((self.line, self.col, self.i));
        }
    }

    /// libyaml's `yaml_parser_scan_to_next_token`: blanks, comments, line breaks.
    fn skip_to_token(&mut self) {
        loop {
            if self.col == 0 && self.b[self.i..].starts_with("\u{feff}".as_bytes()) {
                self.i += 3;
                self.col += 1;
            }
            while self.at(self.i) == Some(b' ')
                || ((self.flow > 0 || !self.key_allowed) && self.at(self.i) == Some(b'\t'))
            {
                self.bump();
            }
            if self.at(self.i) == Some(b'#') {
                self.skip_to_break();
            }
            if self.break_len(self.i) == 0 {
                return;
            }
            self.bump();
            if self.flow == 0 {
                self.key_allowed = true;
            }
        }
    }

    /// A tag, `!name` or `!<uri>`. It ends at a blank; in flow context also before a flow
    /// indicator (where libyaml may read on, so this counts a bracket too many at worst).
    fn tag(&mut self) {
        self.bump();
        while !(self.blankz_at(self.i) || (self.flow > 0 && self.flow_indicator_at(self.i))) {
            self.bump();
        }
    }

    /// A single- or double-quoted scalar, possibly over several lines.
    fn quoted(&mut self, quote: u8) {
        self.bump();
        loop {
            if self.document_marker() {
                // libyaml stops with an error; scanning on only finds more.
                return;
            }
            // Past the bytes that neither end the scalar nor break a line.
            while let Some(&c) = self.b.get(self.i) {
                if c == quote || matches!(c, b'\\' | b'\n' | b'\r' | 0xC2 | 0xE2) {
                    break;
                }
                self.i += 1;
                if c & 0xC0 != 0x80 {
                    self.col += 1;
                }
            }
            let Some(c) = self.at(self.i) else { return };
            if c == quote {
                self.bump();
                if quote == b'\'' && self.at(self.i) == Some(b'\'') {
                    self.bump();
                    continue;
                }
                return;
            }
            if quote == b'"' && c == b'\\' {
                self.bump();
            }
            self.bump();
        }
    }

    /// libyaml's `yaml_parser_scan_plain_scalar`: in block context a plain scalar goes on
    /// over the following lines that are indented deeper than the enclosing collection.
    fn plain(&mut self) {
        let indent = self.indent + 1;
        let mut crossed_break = false;
        'scalar: loop {
            if self.document_marker() || self.at(self.i) == Some(b'#') {
                break;
            }
            while !self.blankz_at(self.i) {
                self.skip_plain_text();
                let Some(c) = self.at(self.i) else { break };
                if self.blankz_at(self.i) {
                    break;
                }
                let value = c == b':'
                    && (self.blankz_at(self.i + 1)
                        || (self.flow > 0
                            && (self.flow_indicator_at(self.i + 1)
                                || self.at(self.i + 1) == Some(b'?'))));
                if value || (self.flow > 0 && self.flow_indicator_at(self.i)) {
                    break 'scalar;
                }
                self.bump();
            }
            while self.blank_at(self.i) || self.break_len(self.i) > 0 {
                if self.break_len(self.i) > 0 {
                    crossed_break = true;
                } else if crossed_break
                    && self.flow == 0
                    && self.column() < indent
                    && self.at(self.i) == Some(b'\t')
                {
                    // libyaml: "found a tab character that violates indentation".
                    break 'scalar;
                }
                self.bump();
            }
            if self.eof() || (self.flow == 0 && self.column() < indent) {
                break;
            }
        }
        self.key_allowed = crossed_break;
    }

    /// Moves past the bytes that can neither end a plain scalar nor break a line (most of
    /// them), a shortcut for [`Scanner::bump`] one at a time.
    fn skip_plain_text(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            let special = match c {
                b' ' | b'\t' | b'\n' | b'\r' | b':' | 0xC2 | 0xE2 => true,
                b',' | b'[' | b']' | b'{' | b'}' => self.flow > 0,
                _ => false,
            };
            if special {
                return;
            }
            self.i += 1;
            if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    /// libyaml's `yaml_parser_scan_block_scalar`: the header (`|`, `>`, chomping and
    /// indentation indicators, a comment), then every line indented at least as deep as
    /// the content, whatever it holds.
    fn block_scalar(&mut self) {
        self.bump();
        let mut increment = 0;
        let digit = |c: Option<u8>| match c {
            Some(c @ b'1'..=b'9') => Some(isize::from(c - b'0')),
            _ => None,
        };
        if matches!(self.at(self.i), Some(b'+' | b'-')) {
            self.bump();
            if let Some(d) = digit(self.at(self.i)) {
                increment = d;
                self.bump();
            }
        } else if let Some(d) = digit(self.at(self.i)) {
            increment = d;
            self.bump();
            if matches!(self.at(self.i), Some(b'+' | b'-')) {
                self.bump();
            }
        }
        // Blanks and a comment; anything else there is a libyaml error.
        self.skip_to_break();
        if self.eof() {
            return;
        }
        self.bump();
        let mut indent = if increment > 0 {
            self.indent.max(0) + increment
        } else {
            0
        };
        if !self.block_scalar_breaks(&mut indent) {
            return;
        }
        while !self.eof() && self.column() == indent {
            self.skip_to_break();
            self.bump();
            if !self.block_scalar_breaks(&mut indent) {
                return;
            }
        }
    }

    /// libyaml's `yaml_parser_scan_block_scalar_breaks`: the indentation and the empty
    /// lines before a content line; settles the content's indentation when it is not
    /// given. False where libyaml stops with an error (a tab in the indentation).
    fn block_scalar_breaks(&mut self, indent: &mut isize) -> bool {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || self.column() < *indent) && self.at(self.i) == Some(b' ') {
                self.bump();
            }
            max_indent = max_indent.max(self.column());
            if (*indent == 0 || self.column() < *indent) && self.at(self.i) == Some(b'\t') {
                return false;
            }
            if self.break_len(self.i) == 0 {
                break;
            }
            self.bump();
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
        true
    }
}

#[cfg(test)]
mod tests;
