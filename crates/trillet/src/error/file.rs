//! Local files (and readers) that could not be read: nothing was sent.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::cause::redacted_io;
use super::text::{mask_phone_numbers, shorten};

/// A local file, or a reader, that could not be read ([`Error::File`](crate::Error::File)):
/// the request was not sent.
///
/// `Display` names the path (phone numbers in it masked, as everywhere in this crate),
/// the operating system's reason and what to check, on one line. `source()` is the
/// [`io::Error`]: the operating system's own (whose text never holds the path), or, for a
/// reader's own error, one of the same kind around its redacted text.
pub struct FileError {
    path: Option<PathBuf>,
    what: &'static str,
    source: io::Error,
}

impl FileError {
    /// The file at `path` could not be read.
    pub(crate) fn unreadable(path: &Path, source: io::Error) -> FileError {
        FileError {
            path: Some(path.to_path_buf()),
            what: "the file",
            source: redacted_io(source),
        }
    }

    /// The reader of `what` (e.g. `the CSV`) failed.
    pub(crate) fn reader(what: &'static str, source: io::Error) -> FileError {
        FileError {
            path: None,
            what,
            source: redacted_io(source),
        }
    }

    /// The file's path, as given (`None` for a reader).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The kind of the underlying [`io::Error`] (`NotFound`, `PermissionDenied`, ...).
    pub fn kind(&self) -> io::ErrorKind {
        self.source.kind()
    }

    /// What to do about it, by the kind of failure.
    fn next_step(&self) -> &'static str {
        match (self.source.kind(), self.path.is_some()) {
            (io::ErrorKind::NotFound, _) => "check the path",
            (io::ErrorKind::PermissionDenied, _) => "check the file's permissions",
            (_, true) => "check that the path names a readable file",
            (_, false) => "check the reader",
        }
    }
}

/// The fields, the path masked as `Display` shows it.
impl fmt::Debug for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self
            .path
            .as_ref()
            .map(|path| mask_phone_numbers(&path.display().to_string()));
        f.debug_struct("FileError")
            .field("path", &path)
            .field("what", &self.what)
            .field("source", &self.source)
            .finish()
    }
}

/// `cannot read calls.csv: No such file or directory (os error 2); check the path`.
impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match &self.path {
            Some(path) => shorten(&path.display().to_string(), 200),
            None => self.what.to_string(),
        };
        let text = format!(
            "cannot read {name}: {}; {}",
            shorten(&self.source.to_string(), 200),
            self.next_step()
        );
        f.write_str(&mask_phone_numbers(&text))
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
