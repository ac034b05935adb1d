//! The operations progenitor can't generate: their request bodies are
//! `multipart/form-data` (upstream issue #518), so they are written by hand over the same
//! reqwest client, default headers, hooks and [`Error`] as the generated ones (through the
//! one multipart sender every upload shares). The batch uploads live in
//! [`crate::batch_upload`]; the knowledge-base uploads are here, with the list of every
//! hand-written operation, and the voice clone.
//!
//! ```no_run
//! # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
//! use trillet::uploads::{CloneVoice, Document, VoiceSample};
//!
//! let guide = Document::from_path("product-guide.pdf")?;
//! let uploaded = client.upload_knowledge_base_file("665a1b2c3d4e5f6a7b8c9d0e", guide).await?;
//! println!("{:?} stored", uploaded.file.as_ref().and_then(|f| f.name.as_deref()));
//!
//! let sample = VoiceSample::from_path("greeting.wav")?;
//! let voice = CloneVoice { name: Some("Front desk".into()), ..Default::default() };
//! let cloned = client.clone_voice(sample, &voice).await?;
//! println!("voice {:?}", cloned.voice.as_ref().and_then(|v| v.id.as_deref()));
//! # Ok(()) }
//! ```

use std::fmt;
use std::path::Path;

use progenitor_client::ResponseValue;

use crate::error::{Error, FileError, InvalidArgument};
use crate::generated::operations;
use crate::multipart::FormPart;
use crate::types::{CallFlowKnowledgeBase, KnowledgeBaseFileUploaded, VoiceCloned};
use crate::Client;

/// Largest file `uploadKnowledgeBaseFile` accepts (50 MB).
pub const MAX_KNOWLEDGE_BASE_FILE_BYTES: usize = 50 * 1024 * 1024;

/// Largest audio sample `cloneVoice` accepts (50 MB).
pub const MAX_VOICE_SAMPLE_BYTES: usize = 50 * 1024 * 1024;

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
        let bytes = std::fs::read(path).map_err(|e| Error::File(FileError::unreadable(path, e)))?;
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
            name: name.into(),
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

/// An audio sample to clone a voice from (at most 50 MB; the API does not document which
/// formats it takes). Sent with its file name and a content type guessed from the name's
/// extension (`mp3`, `wav`, `m4a`, `ogg`, `opus`, `webm`, `flac`, `aac`;
/// `application/octet-stream` when unknown; see
/// [`with_content_type`](VoiceSample::with_content_type)).
///
/// `Debug` shows the file name, content type and size, never the audio.
#[derive(Clone, Debug)]
pub struct VoiceSample(Document);

impl VoiceSample {
    /// The file at `path`, uploaded under its own file name.
    pub fn from_path(path: impl AsRef<Path>) -> Result<VoiceSample, Error> {
        Ok(VoiceSample::audio(Document::from_path(path)?))
    }

    /// These bytes, uploaded as `file_name` (`greeting.wav`).
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> VoiceSample {
        VoiceSample::audio(Document::from_bytes(file_name, bytes))
    }

    /// Send this content type instead of the one guessed from the file name.
    pub fn with_content_type(self, content_type: impl Into<String>) -> VoiceSample {
        VoiceSample(self.0.with_content_type(content_type))
    }

    /// The file name sent with the upload.
    pub fn file_name(&self) -> &str {
        self.0.file_name()
    }

    /// The content type sent with the upload.
    pub fn content_type(&self) -> &str {
        self.0.content_type()
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn audio(document: Document) -> VoiceSample {
        let content_type = audio_content_type_of(document.file_name());
        VoiceSample(document.with_content_type(content_type))
    }
}

/// What to do with a cloned voice, beside returning its embedding: with a `name`, the
/// custom voice is created too (and returned as `voice`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloneVoice {
    /// Name of the voice; when set, the custom voice is created.
    pub name: Option<String>,
    /// Description of the voice.
    pub description: Option<String>,
    /// Language code, e.g. `en`.
    pub language: Option<String>,
}

/// The content type of an audio sample, by file extension.
fn audio_content_type_of(file_name: &str) -> &'static str {
    match extension_of(file_name).as_str() {
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" | "mp4" => "audio/mp4",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "webm" => "audio/webm",
        "flac" => "audio/flac",
        "aac" => "audio/aac",
        _ => "application/octet-stream",
    }
}

/// The lower-case extension of a file name, or `""`.
fn extension_of(file_name: &str) -> String {
    Path::new(file_name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// The content type of the formats the knowledge bases take, by file extension.
fn content_type_of(file_name: &str) -> &'static str {
    match extension_of(file_name).as_str() {
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
    /// Operation `uploadCallFlowKnowledgeBaseFile` of the contract (its method and path
    /// are there).
    pub async fn upload_call_flow_knowledge_base_file(
        &self,
        flow_id: &str,
        file: Document,
    ) -> Result<ResponseValue<CallFlowKnowledgeBase>, Error> {
        let parts = vec![file.into_part("file")];
        self.send_form(
            operations::UPLOAD_CALL_FLOW_KNOWLEDGE_BASE_FILE,
            &[("flowId", flow_id)],
            parts,
        )
        .await
    }

    /// Upload a file to a knowledge base
    ///
    /// Adds one file (PDF, TXT, DOCX, MD, CSV or JSON; at most 50 MB, checked before
    /// sending) to a workspace knowledge base, sent as the `uploadedFile` part of a
    /// `multipart/form-data` body.
    ///
    /// Operation `uploadKnowledgeBaseFile` of the contract.
    pub async fn upload_knowledge_base_file(
        &self,
        knowledge_base_id: &str,
        file: Document,
    ) -> Result<ResponseValue<KnowledgeBaseFileUploaded>, Error> {
        if file.len() > MAX_KNOWLEDGE_BASE_FILE_BYTES {
            return Err(too_large(
                "file",
                file.file_name(),
                file.len(),
                "a knowledge base takes files",
            )
            .into());
        }
        let parts = vec![file.into_part("uploadedFile")];
        self.send_form(
            operations::UPLOAD_KNOWLEDGE_BASE_FILE,
            &[("knowledgeBaseId", knowledge_base_id)],
            parts,
        )
        .await
    }

    /// Clone a voice from an audio sample
    ///
    /// Computes a voice embedding from an audio file (at most 50 MB, checked before
    /// sending), sent as the `file` part of a `multipart/form-data` body with the fields
    /// of `voice` that are set. With a name the custom voice is created too and comes
    /// back as `voice`; without one, pass the `embedding` to
    /// [`create_voice`](Client::create_voice).
    ///
    /// Operation `cloneVoice` of the contract.
    pub async fn clone_voice(
        &self,
        sample: VoiceSample,
        voice: &CloneVoice,
    ) -> Result<ResponseValue<VoiceCloned>, Error> {
        if sample.len() > MAX_VOICE_SAMPLE_BYTES {
            return Err(too_large(
                "sample",
                sample.file_name(),
                sample.len(),
                "a voice sample may have",
            )
            .into());
        }
        let mut parts = vec![sample.0.into_part("file")];
        for (name, value) in [
            ("name", &voice.name),
            ("description", &voice.description),
            ("language", &voice.language),
        ] {
            if let Some(value) = value {
                parts.push(FormPart::text(name, value));
            }
        }
        self.send_form(operations::CLONE_VOICE, &[], parts).await
    }
}

/// The refusal of a file over the API's 50 MB, before anything is sent. In MB: the
/// exact byte count has the digits of a phone number, which every message masks.
fn too_large(argument: &'static str, name: &str, bytes: usize, limit: &str) -> InvalidArgument {
    InvalidArgument::new(
        argument,
        format!(
            "{name} is {:.1} MB, and {limit} at most 50 MB",
            // Rounded up, so that a file just over the limit does not read as at it.
            (bytes as f64 / (1024.0 * 1024.0) * 10.0).ceil() / 10.0
        ),
    )
    .with_next_step("split it into smaller files, or shorten it")
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
    fn audio_content_type_follows_the_extension() {
        for (name, expected) in [
            ("greeting.mp3", "audio/mpeg"),
            ("GREETING.WAV", "audio/wav"),
            ("memo.m4a", "audio/mp4"),
            ("call.ogg", "audio/ogg"),
            ("call.opus", "audio/ogg"),
            ("take.webm", "audio/webm"),
            ("studio.flac", "audio/flac"),
            ("notes.txt", "application/octet-stream"),
        ] {
            assert_eq!(
                VoiceSample::from_bytes(name, "x").content_type(),
                expected,
                "{name}"
            );
        }
        let chosen = VoiceSample::from_bytes("take.raw", "x").with_content_type("audio/L16");
        assert_eq!(chosen.content_type(), "audio/L16");
    }

    #[test]
    fn debug_shows_no_content() {
        let shown = format!("{:?}", Document::from_bytes("faq.txt", "call +14155551234"));
        assert!(!shown.contains("4155551234"), "{shown}");
        assert!(shown.contains("faq.txt"), "{shown}");
    }
}
