//! Derives a JSON copy of `openapi/trillet.yaml` at build time, so that
//! `SpecValidator::embedded` parses JSON instead of YAML at run time. The copy is written
//! only when the subset reader of `src/plain_yaml.rs` reads the whole document, which it
//! does only for documents with no anchor, alias or deep nesting (what the limits of
//! `bounds.rs` refuse); otherwise the copy is empty and the YAML is read at run time as
//! before, errors and all.

#[allow(dead_code)]
#[path = "src/plain_yaml.rs"]
mod plain_yaml;

fn main() {
    let document = "../../openapi/trillet.yaml";
    println!("cargo:rerun-if-changed={document}");
    println!("cargo:rerun-if-changed=src/plain_yaml.rs");
    let text = std::fs::read_to_string(document).unwrap_or_default();
    let json = plain_yaml::read(&text)
        .map(|value| value.to_string())
        .unwrap_or_default();
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("trillet.json"), json).expect("OUT_DIR is writable");
}
