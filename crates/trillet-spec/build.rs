//! Derives a JSON copy of `openapi/trillet.yaml` at build time, in two files (the
//! document without `components`, and `components`), so that
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
    // Two halves of about the same size, which two cores parse at once: the document
    // without `components`, and `components` (empty when there is none).
    let (rest, components) = match plain_yaml::read(&text) {
        Some(serde_json::Value::Object(mut document)) => {
            let components = document
                .remove("components")
                .map(|components| components.to_string())
                .unwrap_or_default();
            (serde_json::Value::Object(document).to_string(), components)
        }
        Some(other) => (other.to_string(), String::new()),
        None => (String::new(), String::new()),
    };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("trillet.json"), rest).expect("OUT_DIR is writable");
    std::fs::write(out.join("trillet.components.json"), components).expect("OUT_DIR is writable");
}
