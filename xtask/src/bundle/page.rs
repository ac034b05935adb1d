//! The reference page (Redocly CLI's `build-docs --inlineBundle`: Redoc's scripts inside
//! the page, nothing fetched at view time) and its screenshot (the system Chromium,
//! driven by `tools/reference_page/`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The viewport of the screenshot, CSS pixels at a device scale of 1: `--check` expects a
/// PNG of exactly this size (pixels differ across machines' fonts, the size does not).
pub const SCREENSHOT_SIZE: (u32, u32) = (1280, 800);

/// Builds the page from the published JSON document at `json`, in a scratch folder, and
/// returns its bytes. Runs from the scratch folder so that no `redocly.yaml` is picked up
/// (the page's look must not depend on the lint configuration).
pub fn build(root: &Path, json: &Path, version: &str) -> Result<Vec<u8>, String> {
    let redocly = root.join("tools/node_modules/.bin/redocly");
    if !redocly.exists() {
        return Err(format!(
            "{} is missing: run `cd tools && npm ci` (Redocly CLI, pinned in tools/package-lock.json)",
            redocly.display()
        ));
    }
    let scratch = scratch_dir("page")?;
    let output = scratch.join("reference.html");
    let result = Command::new(&redocly)
        .current_dir(&scratch)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .arg("build-docs")
        .arg(json)
        .arg("--inlineBundle")
        .arg("--template")
        .arg(root.join("tools/reference_page/template.hbs"))
        .arg("--lint-config=off")
        .arg(format!("--title=Trillet AI API {version}"))
        .arg("--output")
        .arg(&output)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", redocly.display()));
    let page = result.and_then(|run| {
        if run.status.success() {
            std::fs::read(&output).map_err(|e| format!("{}: {e}", output.display()))
        } else {
            Err(format!(
                "redocly build-docs failed ({}):\n{}{}",
                run.status,
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            ))
        }
    });
    let _ = std::fs::remove_dir_all(&scratch);
    let page = offline_logos(page?)?;
    if let Some(at) = remote_script(&page) {
        return Err(format!(
            "the page loads a script from the network (byte {at}: `<script src=\"http...`); it must render offline"
        ));
    }
    Ok(page)
}

/// Redoc's attribution logo, which it loads from Redocly's CDN (the only thing the page
/// fetched: found by `tools/reference_page/check.mjs`).
const CDN_LOGOS: &[&str] = &[
    "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
    "https://cdn.redoc.ly/redoc/logo-mini.svg",
];

/// The logo drawn inside the page: the same words, no request.
const INLINE_LOGO: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='64' height='16'%3E%3Ctext x='0' y='12' font-family='sans-serif' font-size='12' fill='%23666'%3ERedocly%3C/text%3E%3C/svg%3E";

/// The page with Redoc's CDN logos replaced by [`INLINE_LOGO`] (the attribution link
/// stays): the page must render offline, and its Content-Security-Policy refuses them.
fn offline_logos(page: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut text =
        String::from_utf8(page).map_err(|e| format!("the page Redocly wrote is not UTF-8: {e}"))?;
    for logo in CDN_LOGOS {
        text = text.replace(logo, INLINE_LOGO);
    }
    Ok(text.into_bytes())
}

/// Where the page would load a script from the network, if anywhere.
pub fn remote_script(page: &[u8]) -> Option<usize> {
    let needle = b"<script src=\"http";
    page.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Takes the screenshot of `page` into `png` with `tools/reference_page/check.mjs`.
pub fn screenshot(root: &Path, page: &Path, png: &Path) -> Result<(), String> {
    let tool = root.join("tools/reference_page");
    if !tool.join("node_modules/puppeteer-core").exists() {
        return Err(format!(
            "{}/node_modules is missing: run `cd tools/reference_page && npm ci`, and install \
             Chromium (see .ci/run), or pass --no-screenshot",
            tool.display()
        ));
    }
    let run = Command::new("node")
        .arg(tool.join("check.mjs"))
        .arg("screenshot")
        .arg(page)
        .arg(png)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !run.status.success() {
        return Err(format!(
            "the screenshot failed ({}):\n{}{}",
            run.status,
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    Ok(())
}

/// The width and height of a PNG (from its IHDR chunk), or why it is not one.
pub fn png_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || !bytes.starts_with(SIGNATURE) || &bytes[12..16] != b"IHDR" {
        return Err("not a PNG file".to_string());
    }
    let number =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Ok((number(16), number(20)))
}

/// A fresh folder under the system's temporary folder.
pub fn scratch_dir(what: &str) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!(
        "xtask-bundle-{what}-{}-{}",
        std::process::id(),
        next_number()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

fn next_number() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_sizes_are_read_and_other_files_refused() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&1280u32.to_be_bytes());
        png.extend_from_slice(&800u32.to_be_bytes());
        assert_eq!(png_size(&png), Ok((1280, 800)));
        assert!(png_size(b"GIF89a, not a png at all....").is_err());
        assert!(png_size(&png[..20]).is_err());
    }

    #[test]
    fn remote_scripts_are_found() {
        assert_eq!(
            remote_script(b"<p><SCRIPT SRC=\"https://cdn/x.js\">"),
            Some(3)
        );
        assert_eq!(remote_script(b"<script>const a = \"<p>\"</script>"), None);
    }
}
