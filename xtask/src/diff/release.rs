//! Released versions and the guard: `openapi/releases/<version>.json` holds each
//! released document (a copy of `dist/trillet.json` when it was cut); `openapi/CHANGELOG.md`
//! one Keep-a-Changelog entry per version; a breaking change needs a major version and an
//! entry that says **BREAKING**.

use std::fmt;
use std::path::{Path, PathBuf};

use super::rules::Class;

/// A semantic version `MAJOR.MINOR.PATCH` (the contract uses no pre-release tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Breaking changes.
    pub major: u64,
    /// Additions.
    pub minor: u64,
    /// Documentation.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3`.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.split('.').map(|p| {
            (!p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p == "0" || !p.starts_with('0')))
            .then(|| p.parse().ok())
            .flatten()
        });
        let version = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        };
        parts.next().is_none().then_some(version)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Every released snapshot in `dir`, oldest first.
pub fn releases(dir: &Path) -> Result<Vec<(Version, PathBuf)>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(stem) = name.strip_suffix(".json") {
            let version = Version::parse(stem).ok_or_else(|| {
                format!(
                    "{}: a release is named <MAJOR.MINOR.PATCH>.json",
                    path.display()
                )
            })?;
            out.push((version, path));
        }
    }
    out.sort();
    Ok(out)
}

/// The text of the CHANGELOG entry for `version` (`## [1.2.3] - date` up to the next
/// `## `), if there is one.
pub fn changelog_entry<'t>(changelog: &'t str, version: &Version) -> Option<&'t str> {
    let heading = format!("## [{version}]");
    let start = changelog
        .match_indices(&heading)
        .map(|(at, _)| at)
        .find(|&at| at == 0 || changelog[..at].ends_with('\n'))?;
    let body = &changelog[start + heading.len()..];
    let end = body.find("\n## ").map_or(body.len(), |e| e + 1);
    Some(&body[..end])
}

/// The least bump the changes need.
pub fn needed(classes: impl IntoIterator<Item = Class>) -> Option<Class> {
    classes.into_iter().min()
}

/// What is wrong with releasing `current` after `released` given the changes' most severe
/// class (`needed`): empty when the guard holds.
pub fn problems(
    released: &Version,
    current: &Version,
    needed: Option<Class>,
    changelog: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    if current < released {
        out.push(format!(
            "info.version {current} is lower than the release {released}"
        ));
        return out;
    }
    let major = Version {
        major: released.major + 1,
        minor: 0,
        patch: 0,
    };
    if needed == Some(Class::Breaking) && current.major == released.major {
        out.push(format!(
            "breaking change(s) since {released} without a major version bump: set info.version to {major} \
             (and add its CHANGELOG entry, marked **BREAKING**), or make the change compatible"
        ));
    }
    if current == released {
        return out;
    }
    let minor = Version {
        major: released.major,
        minor: released.minor + 1,
        patch: 0,
    };
    if needed == Some(Class::NonBreaking) && *current < minor {
        out.push(format!(
            "additions since {released} need at least a minor version ({minor}), not {current}"
        ));
    }
    match changelog_entry(changelog, current) {
        None => out.push(format!(
            "openapi/CHANGELOG.md has no entry `## [{current}] - YYYY-MM-DD`; add one saying what changed"
        )),
        Some(entry) if needed == Some(Class::Breaking) && !entry.contains("BREAKING") => out.push(format!(
            "the CHANGELOG entry of {current} does not say **BREAKING**; list each breaking change there"
        )),
        Some(_) => {}
    }
    out
}

/// What is wrong with a released snapshot: its file name must be its `info.version`, and
/// the CHANGELOG must have its entry. Empty when it is consistent.
pub fn snapshot_problems(named: &Version, carried: &Version, changelog: &str) -> Vec<String> {
    let mut out = Vec::new();
    if named != carried {
        out.push(format!(
            "openapi/releases/{named}.json carries info.version {carried}; a released file is never edited, restore it"
        ));
    }
    if changelog_entry(changelog, named).is_none() {
        out.push(format!(
            "openapi/CHANGELOG.md has no entry `## [{named}] - YYYY-MM-DD` for the released {named}"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("a version")
    }

    #[test]
    fn versions_parse_strictly_and_order_numerically() {
        for bad in [
            "1.0",
            "1.0.0.0",
            "v1.0.0",
            "1.0.0-rc1",
            "01.0.0",
            "1..0",
            "",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
        assert!(v("1.10.0") > v("1.9.9"));
        assert_eq!(v("2.0.1").to_string(), "2.0.1");
    }

    #[test]
    fn changelog_entries_end_at_the_next_version() {
        let log = "# Changelog\n\n## [Unreleased]\n\n## [2.0.0] - 2027-01-01\n- **BREAKING**: x\n\n## [1.0.0] - 2026-12-02\n- first\n";
        assert_eq!(
            changelog_entry(log, &v("2.0.0")),
            Some(" - 2027-01-01\n- **BREAKING**: x\n\n")
        );
        assert_eq!(
            changelog_entry(log, &v("1.0.0")),
            Some(" - 2026-12-02\n- first\n")
        );
        assert_eq!(changelog_entry(log, &v("1.1.0")), None);
    }

    #[test]
    fn a_snapshot_is_named_by_its_version_and_has_its_entry() {
        let log = "## [1.0.0] - 2026-12-02\n- first\n";
        assert!(snapshot_problems(&v("1.0.0"), &v("1.0.0"), log).is_empty());
        let problems = snapshot_problems(&v("1.1.0"), &v("1.0.0"), log).join("\n");
        assert!(
            problems.contains("releases/1.1.0.json carries info.version 1.0.0"),
            "{problems}"
        );
        assert!(problems.contains("no entry `## [1.1.0]"), "{problems}");
    }

    #[test]
    fn the_guard_wants_a_major_bump_and_a_breaking_entry() {
        let log =
            "## [2.0.0] - d\n- **BREAKING**: removed x\n## [1.1.0] - d\n- added\n## [1.0.1] - d\n";
        let check = |current: &str, needed: Option<Class>, log: &str, expected: &str| {
            let problems = problems(&v("1.0.0"), &v(current), needed, log).join("\n");
            if expected.is_empty() {
                assert!(problems.is_empty(), "{current}: {problems}");
            } else {
                assert!(problems.contains(expected), "{current}: {problems}");
            }
        };
        check(
            "1.0.0",
            Some(Class::Breaking),
            log,
            "without a major version bump: set info.version to 2.0.0",
        );
        check(
            "1.1.0",
            Some(Class::Breaking),
            log,
            "without a major version bump",
        );
        check("2.0.0", Some(Class::Breaking), log, "");
        check(
            "2.0.0",
            Some(Class::Breaking),
            "## [2.0.0] - d\n- removed x\n",
            "does not say **BREAKING**",
        );
        check(
            "2.0.0",
            Some(Class::Breaking),
            "",
            "has no entry `## [2.0.0]",
        );
        check("1.0.0", Some(Class::NonBreaking), "", "");
        check(
            "1.0.1",
            Some(Class::NonBreaking),
            log,
            "need at least a minor version (1.1.0)",
        );
        check("1.1.0", Some(Class::NonBreaking), log, "");
        check("1.0.1", Some(Class::Docs), log, "");
        check("0.9.0", None, log, "lower than the release");
    }
}
