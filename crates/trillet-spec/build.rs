//! Derives a JSON copy of `openapi/trillet.yaml` at build time, so that
//! `SpecValidator::embedded` parses JSON instead of YAML at run time. When the fast reader
//! gives up on the document (it would not load, or needs the careful reader), the copy is
//! empty and the YAML is read at run time as before, errors and all.

#[allow(dead_code)]
#[path = "src/fast_yaml.rs"]
mod fast_yaml;
#[allow(dead_code)]
#[path = "src/plain_yaml.rs"]
mod plain_yaml;

fn main() {
    let document = "../../openapi/trillet.yaml";
    println!("cargo:rerun-if-changed={document}");
    println!("cargo:rerun-if-changed=src/fast_yaml.rs");
    println!("cargo:rerun-if-changed=src/plain_yaml.rs");
    let text = std::fs::read_to_string(document).unwrap_or_default();
    let json = fast_yaml::json_from_yaml(&text)
        .map(|value| value.to_string())
        .unwrap_or_default();
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("trillet.json"), json).expect("OUT_DIR is writable");
}
