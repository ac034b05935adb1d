//! Stage 6: the generated texts put on disk, or compared with it. Each file is written
//! through a temporary file in its own folder and a rename, so it is always either the old
//! or the new one; `--check` compares and writes nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A file `gen` writes, and what it must hold.
#[derive(Debug)]
pub struct Target {
    /// Where it is.
    pub path: PathBuf,
    /// How messages name it (relative to the workspace root).
    pub shown: String,
    /// Its generated contents.
    pub contents: String,
}

/// How a target compares with the file on disk.
#[derive(Debug, PartialEq, Eq)]
pub enum Freshness {
    /// The file holds exactly the generated contents.
    Current,
    /// The file differs: the unified diff from the file to the generated contents.
    Stale(String),
    /// There is no such file.
    Missing,
}

/// Compares `target` with its file.
pub fn freshness(target: &Target) -> io::Result<Freshness> {
    let committed = match fs::read_to_string(&target.path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Freshness::Missing),
        Err(error) => return Err(error),
    };
    if committed == target.contents {
        return Ok(Freshness::Current);
    }
    let diff = similar::TextDiff::from_lines(committed.as_str(), target.contents.as_str());
    Ok(Freshness::Stale(
        diff.unified_diff()
            .context_radius(3)
            .header(
                &format!("{} (committed)", target.shown),
                &format!("{} (generated)", target.shown),
            )
            .to_string(),
    ))
}

/// Writes `contents` through a temporary file in the same folder and a rename, so the file
/// is either the old or the new one; leaves an identical file untouched. `Ok(false)` when
/// nothing changed.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<bool> {
    if fs::read_to_string(path).is_ok_and(|current| current == contents) {
        return Ok(false);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("generated");
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = fs::write(&temporary, contents).and_then(|()| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map(|()| true)
}

/// `path` relative to the workspace root when inside it, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-gen-output-{}-{name}", std::process::id()));
        fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn atomic_write_leaves_identical_files_alone() {
        let dir = scratch("write");
        let path = dir.join("out.rs");
        assert!(write_if_changed(&path, "a\n").expect("writes"));
        assert!(!write_if_changed(&path, "a\n").expect("no change"));
        assert!(write_if_changed(&path, "b\n").expect("writes"));
        assert_eq!(fs::read_to_string(&path).expect("reads"), "b\n");
        let leftovers = fs::read_dir(&dir).expect("lists").count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file_and_the_old_file_whole() {
        let dir = scratch("fail");
        // The target is a folder: the rename fails after the temporary file was written.
        let path = dir.join("taken");
        fs::create_dir_all(path.join("inside")).expect("a folder");
        assert!(write_if_changed(&path, "new\n").is_err());
        let names: Vec<_> = fs::read_dir(&dir)
            .expect("lists")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["taken"], "no temporary file is left behind");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn freshness_tells_current_stale_and_missing_apart() {
        let dir = scratch("fresh");
        let target = |contents: &str| Target {
            path: dir.join("out.rs"),
            shown: "out.rs".into(),
            contents: contents.into(),
        };
        assert_eq!(
            freshness(&target("a\n")).expect("compares"),
            Freshness::Missing
        );
        fs::write(dir.join("out.rs"), "a\n").expect("writes");
        assert_eq!(
            freshness(&target("a\n")).expect("compares"),
            Freshness::Current
        );
        let Freshness::Stale(diff) = freshness(&target("b\n")).expect("compares") else {
            panic!("stale");
        };
        assert!(
            diff.contains("--- out.rs (committed)") && diff.contains("-a\n+b\n"),
            "{diff}"
        );
        assert_eq!(
            fs::read_to_string(dir.join("out.rs")).expect("reads"),
            "a\n",
            "nothing written"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
