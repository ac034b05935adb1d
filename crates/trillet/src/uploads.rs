//! The operations progenitor can't generate: their request bodies are
//! `multipart/form-data` (upstream issue #518), so they are written by hand over the same
//! reqwest client, default headers, hooks and [`Error`] as the generated ones (through the
//! one multipart sender of [`crate::batch_upload`]). The batch uploads live in
//! [`crate::batch_upload`]; the knowledge-base uploads are here, with the list of every
//! hand-written operation.
//!
//! ```no_run
//! # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
//! use trillet::uploads::Document;
//!
//! let guide = Document::from_path("product-guide.pdf")?;
//! let uploaded = client.upload_knowledge_base_file("665a1b2c3d4e5f6a7b8c9d0e", guide).await?;
//! println!("{:?} stored", uploaded.file.as_ref().and_then(|f| f.name.as_deref()));
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::Path;

use progenitor_client::{encode_path, ResponseValue};

use crate::batch_upload::FormPart;
use crate::error::Error;
use crate::types::{CallFlowKnowledgeBase, KnowledgeBaseFileUploaded};
use crate::Client;

/// The operationIds of `openapi/trillet.yaml` implemented by hand (here and in
/// [`crate::batch_upload`]) instead of being generated. `cargo xtask gen` (and
/// `gen --check`, and its tests) fail unless this is exactly the set of operations it
/// removes from the generator's input.
pub const HAND_WRITTEN_OPERATIONS: &[&str] = &[
    "startBatch",
    "validateBatchCsv",
    "previewBatchCsv",
    "uploadCallFlowKnowledgeBaseFile",
    "uploadKnowledgeBaseFile",
];

/// Largest file `uploadKnowledgeBaseFile` accepts (50 MB).
pub const MAX_KNOWLEDGE_BASE_FILE_BYTES: usize = 50 * 1024 * 1024;

/// A file for a knowledge base: PDF, TXT, DOCX or MD (a workspace knowledge base also
/// takes CSV and JSON). Sent with its file name and a content type guessed from the
/// name's extension (`application/octet-stream` when unknown; see
/// [`with_content_type`](Document::with_content_type)).
///
/// `Debug` shows the file name, content type and size, never the content.
#[derive(Clone)]
pub struct Document {
    file_name: String,
    content_type: String,
    bytes: Vec<u8>,
}

impl Document {
    /// The file at `path`, uploaded under its own file name.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Document, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::InvalidRequest(format!("cannot read {}: {e}", path.display())))?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".to_string());
        Ok(Document::from_bytes(file_name, bytes))
    }

    /// These bytes, uploaded as `file_name` (`faq.md`, `guide.pdf`).
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Document {
        let file_name = file_name.into();
        Document {
            content_type: content_type_of(&file_name).to_string(),
            file_name,
            bytes: bytes.into(),
        }
    }

    /// Send this content type instead of the one guessed from the file name.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Document {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent with the upload.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type sent with the upload.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The part named `name` of a `multipart/form-data` body.
    fn into_part(self, name: &'static str) -> FormPart {
        FormPart {
            name,
            file_name: Some(self.file_name),
            content_type: Some(self.content_type),
            content: self.bytes,
        }
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// The content type of the formats the knowledge bases take, by file extension.
fn content_type_of(file_name: &str) -> &'static str {
    let extension = Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "md" | "markdown" => "text/markdown",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "csv" => "text/csv",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

impl Client {
    /// Upload a knowledge-base file to a call flow
    ///
    /// Adds one file (PDF, TXT, DOCX or MD) to the call flow's knowledge base, sent as the
    /// `file` part of a `multipart/form-data` body, and returns the flow's files after
    /// the upload.
    ///
    /// Sends a `POST` request to `/v1/api/call-flows/{flowId}/knowledge-base` (operation
    /// `uploadCallFlowKnowledgeBaseFile`).
    pub async fn upload_call_flow_knowledge_base_file(
        &self,
        flow_id: &str,
        file: Document,
    ) -> Result<ResponseValue<CallFlowKnowledgeBase>, Error> {
        let parts = vec![file.into_part("file")];
        let path = format!("/v1/api/call-flows/{}/knowledge-base", encode_path(flow_id));
        self.send_form("upload_call_flow_knowledge_base_file", &path, parts)
            .await
    }

    /// Upload a file to a knowledge base
    ///
    /// Adds one file (PDF, TXT, DOCX, MD, CSV or JSON; at most 50 MB, checked before
    /// sending) to a workspace knowledge base, sent as the `uploadedFile` part of a
    /// `multipart/form-data` body.
    ///
    /// Sends a `POST` request to `/v1/api/knowledgebase/{knowledgeBaseId}/files`
    /// (operation `uploadKnowledgeBaseFile`).
    pub async fn upload_knowledge_base_file(
        &self,
        knowledge_base_id: &str,
        file: Document,
    ) -> Result<ResponseValue<KnowledgeBaseFileUploaded>, Error> {
        if file.len() > MAX_KNOWLEDGE_BASE_FILE_BYTES {
            return Err(Error::InvalidRequest(format!(
                "{} is {} bytes; a knowledge base takes files of at most \
                 {MAX_KNOWLEDGE_BASE_FILE_BYTES} (50 MB)",
                file.file_name,
                file.len()
            )));
        }
        let parts = vec![file.into_part("uploadedFile")];
        let path = format!(
            "/v1/api/knowledgebase/{}/files",
            encode_path(knowledge_base_id)
        );
        self.send_form("upload_knowledge_base_file", &path, parts)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_follows_the_extension() {
        for (name, expected) in [
            ("guide.pdf", "application/pdf"),
            ("FAQ.TXT", "text/plain"),
            ("notes.md", "text/markdown"),
            (
                "policy.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            ("prices.csv", "text/csv"),
            ("catalogue.json", "application/json"),
            ("archive.zip", "application/octet-stream"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(
                Document::from_bytes(name, "x").content_type(),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn debug_shows_no_content() {
        let shown = format!("{:?}", Document::from_bytes("faq.txt", "call +14155551234"));
        assert!(!shown.contains("4155551234"), "{shown}");
        assert!(shown.contains("faq.txt"), "{shown}");
    }
}
