//! A bounded reader of `multipart/form-data` bodies: the parts' names, file names and
//! contents, for the uploads of the contract (CSV batches, knowledge-base files, voices).

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The `name` of its `Content-Disposition`.
    pub name: String,
    /// The `filename`, for a file part.
    pub file_name: Option<String>,
    /// The content.
    pub content: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type, if it has one.
pub fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').map(str::trim).find_map(|p| {
        let value = p.strip_prefix("boundary=")?;
        Some(value.trim_matches('"').to_owned())
    })
}

/// The parts of `body`; what is wrong with it otherwise.
pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut at = find(body, &delimiter, 0).ok_or("the body holds no boundary line")?;
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        at += line_end(&body[at..]).ok_or("a boundary line is not followed by a line break")?;
        let head_end =
            find(body, b"\r\n\r\n", at).ok_or("a part has no blank line after its headers")?;
        let head = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let content_start = head_end + 4;
        let mut next_delimiter = b"\r\n".to_vec();
        next_delimiter.extend_from_slice(&delimiter);
        let content_end = find(body, &next_delimiter, content_start)
            .ok_or("the body ends before its closing boundary")?;
        let (name, file_name) =
            disposition(&head).ok_or("a part has no Content-Disposition name")?;
        parts.push(Part {
            name,
            file_name,
            content: body[content_start..content_end].to_vec(),
        });
        at = content_end + 2;
    }
}

fn line_end(rest: &[u8]) -> Option<usize> {
    if rest.starts_with(b"\r\n") {
        Some(2)
    } else {
        // Transport padding before the line break is allowed.
        let pos = find(rest, b"\r\n", 0)?;
        rest[..pos]
            .iter()
            .all(|b| *b == b' ' || *b == b'\t')
            .then_some(pos + 2)
    }
}

fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head
        .split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
    let param = |key: &str| {
        line.split(';').map(str::trim).find_map(|p| {
            let value = p.strip_prefix(key)?.strip_prefix('=')?;
            Some(value.trim_matches('"').to_owned())
        })
    };
    Some((param("name")?, param("filename")))
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_a_file_and_a_field_is_read() {
        let body = b"--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\nphone_number\n+14155551234\n\r\n--XB\r\nContent-Disposition: form-data; name=\"agentId\"\r\n\r\nabc\r\n--XB--\r\n";
        let parts = parse(body, "XB").expect("parses");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].file_name.as_deref(), Some("a.csv"));
        assert_eq!(parts[0].content, b"phone_number\n+14155551234\n");
        assert_eq!(
            (parts[1].name.as_str(), parts[1].content.as_slice()),
            ("agentId", &b"abc"[..])
        );
        assert_eq!(
            boundary_of("multipart/form-data; boundary=\"XB\"").as_deref(),
            Some("XB")
        );
        assert!(parse(
            b"--XB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
            "XB"
        )
        .is_err());
    }
}
