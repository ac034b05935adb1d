//! The rows of a batch CSV, column name to value, once the pre-flight
//! (`trillet::preflight`, the client's own check) has passed.

use std::collections::BTreeMap;

/// The rows of `text` (RFC 4180: quoted values may hold commas, `""` and line breaks);
/// the first row is the header. Blank lines are skipped.
pub fn rows(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let records = records(text);
    let mut iter = records.into_iter();
    let header: Vec<String> = iter
        .next()
        .unwrap_or_default()
        .into_iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let rows = iter
        .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.into_iter().map(|v| v.trim().to_owned()))
                .collect()
        })
        .collect();
    (header, rows)
}

fn records(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                record.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push(record);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rows;

    #[test]
    fn quoted_values_and_blank_lines_are_read_as_a_spreadsheet_would() {
        let (header, rows) =
            rows("phone_number,note\r\n+14155551234,\"a, \"\"b\"\"\nc\"\r\n\r\n+14155550000,x\r\n");
        assert_eq!(header, ["phone_number", "note"]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["note"], "a, \"b\"\nc");
        assert_eq!(rows[1]["phone_number"], "+14155550000");
    }
}
