//! `cargo xtask bundle`: the published artefacts of the contract, in `dist/`.
//!
//! `dist/trillet.json` and `dist/trillet.yaml` are the document other teams generate
//! from; `dist/reference.html` is the reference page (offline, one file);
//! `dist/reference.png` its screenshot, for reviewers. All four are committed, so a
//! release tag or commit carries exactly what was published, with no build step for the
//! consumer; `--check` keeps them current.

mod document;
mod page;
mod yaml;

pub use document::render;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask bundle: write the published artefacts of openapi/trillet.yaml into dist/

USAGE:
    cargo xtask bundle [--check] [--no-screenshot] [--spec PATH] [--out DIR]

WRITES:
    trillet.json     the document, self-contained (every $ref inside it), the key
                     order of openapi/trillet.yaml, byte-identical on every run
    trillet.yaml     the same tree as YAML
    reference.html   the reference page (Redocly build-docs --inlineBundle: no CDN,
                     renders offline); needs `cd tools && npm ci`
    reference.png    its screenshot, 1280x800, through the system Chromium
                     (needs `cd tools/reference_page && npm ci`; --no-screenshot skips it)

OPTIONS:
    --check          Write nothing; fail when a committed artefact is stale: the three
                     text files must be byte-identical to what would be written, and
                     reference.png a PNG of 1280x800 (its pixels depend on the machine's
                     fonts, so they are not compared).
    --no-screenshot  Leave reference.png alone.
    --spec PATH      The document (default openapi/trillet.yaml).
    --out DIR        Where to write (default dist/).

EXIT CODES:
    0   written, or (--check) every artefact is current
    1   (--check) an artefact is stale or missing; run `cargo xtask bundle`
    2   nothing could be built: the document is unreadable or not self-contained, or a
        tool is missing (the message says which and how to install it)
";

/// `cargo xtask bundle [--check] [--no-screenshot] [--spec PATH] [--out DIR]`.
#[derive(Debug, clap::Args)]
#[command(override_help = HELP, args_override_self = true)]
pub struct Args {
    /// Compare with the committed artefacts instead of writing.
    #[arg(long)]
    check: bool,
    /// Leave the screenshot alone.
    #[arg(long)]
    no_screenshot: bool,
    /// The OpenAPI document.
    #[arg(long, value_name = "file")]
    spec: Option<PathBuf>,
    /// The output folder.
    #[arg(long, value_name = "dir")]
    out: Option<PathBuf>,
}

/// One built artefact: its file name and bytes.
struct Artefact {
    name: &'static str,
    bytes: Vec<u8>,
}

/// Runs `cargo xtask bundle`.
pub fn run(args: Args) -> ExitCode {
    let root = crate::workspace_root();
    let out = args.out.clone().unwrap_or_else(|| root.join("dist"));
    let artefacts = match build(&root, args.spec.as_deref()) {
        Ok(artefacts) => artefacts,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if args.check {
        return check(&out, &artefacts);
    }
    if let Err(message) = write(&root, &out, &artefacts, !args.no_screenshot) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// The three text artefacts, built from the document.
fn build(root: &Path, spec: Option<&Path>) -> Result<Vec<Artefact>, String> {
    let spec = spec.map_or_else(|| root.join("openapi/trillet.yaml"), Path::to_path_buf);
    let text = trillet_spec::read_to_string_limited(&spec, trillet_spec::MAX_DOCUMENT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let documents = render(&text).map_err(|e| format!("{}: {e}", spec.display()))?;
    let scratch = page::scratch_dir("json")?;
    let json = scratch.join("trillet.json");
    let page = std::fs::write(&json, &documents.json)
        .map_err(|e| format!("{}: {e}", json.display()))
        .and_then(|()| page::build(root, &json, &documents.version));
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(vec![
        Artefact {
            name: "trillet.json",
            bytes: documents.json.into_bytes(),
        },
        Artefact {
            name: "trillet.yaml",
            bytes: documents.yaml.into_bytes(),
        },
        Artefact {
            name: "reference.html",
            bytes: page?,
        },
    ])
}

fn check(out: &Path, artefacts: &[Artefact]) -> ExitCode {
    let mut stale = Vec::new();
    for artefact in artefacts {
        let path = out.join(artefact.name);
        match std::fs::read(&path) {
            Ok(committed) if committed == artefact.bytes => {}
            Ok(committed) => stale.push(format!(
                "{} is stale ({} bytes, {} expected){}",
                path.display(),
                committed.len(),
                artefact.bytes.len(),
                first_difference(&committed, &artefact.bytes)
            )),
            Err(e) => stale.push(format!("{} is missing ({e})", path.display())),
        }
    }
    let png = out.join("reference.png");
    match std::fs::read(&png)
        .map_err(|e| e.to_string())
        .and_then(|b| page::png_size(&b))
    {
        Ok(size) if size == page::SCREENSHOT_SIZE => {}
        Ok((w, h)) => stale.push(format!(
            "{} is {w}x{h}, not the {}x{} the bundle takes",
            png.display(),
            page::SCREENSHOT_SIZE.0,
            page::SCREENSHOT_SIZE.1
        )),
        Err(e) => stale.push(format!("{}: {e}", png.display())),
    }
    if stale.is_empty() {
        println!("{}: every published artefact is current", out.display());
        return ExitCode::SUCCESS;
    }
    for line in &stale {
        eprintln!("{line}");
    }
    eprintln!("run `cargo xtask bundle` and commit {}", out.display());
    ExitCode::from(1)
}

/// ` (first difference at line N)`, for text files.
fn first_difference(committed: &[u8], expected: &[u8]) -> String {
    let at = committed
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(committed.len().min(expected.len()));
    let line = committed[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    format!(" (first difference at line {line})")
}

fn write(root: &Path, out: &Path, artefacts: &[Artefact], screenshot: bool) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for artefact in artefacts {
        let path = out.join(artefact.name);
        let changed = write_atomically(&path, &artefact.bytes)?;
        println!(
            "{} {}",
            if changed { "wrote" } else { "unchanged" },
            path.display()
        );
    }
    if screenshot {
        let png = out.join("reference.png");
        let temporary = out.join(format!(".reference.png.{}.tmp", std::process::id()));
        let taken =
            page::screenshot(root, &out.join("reference.html"), &temporary).and_then(|()| {
                std::fs::rename(&temporary, &png).map_err(|e| format!("{}: {e}", png.display()))
            });
        if taken.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        taken?;
        println!("wrote {}", png.display());
    }
    Ok(())
}

/// Writes through a temporary file in the same folder and a rename (the file is either
/// the old or the new one); leaves identical files untouched. `Ok(false)`: unchanged.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<bool, String> {
    if std::fs::read(path).is_ok_and(|current| current == bytes) {
        return Ok(false);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("artefact");
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
        .map(|()| true)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
