//! The batch operations progenitor can't generate (their request bodies are
//! `multipart/form-data`), written by hand over the same client, headers, hooks and retry
//! policy (through the one multipart sender every upload shares), plus a convenience for
//! the CSV template. [`Client::start_batch`] first checks the CSV locally with
//! [`crate::preflight`], and sends nothing when a row is bad.
//!
//! ```no_run
//! # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
//! use trillet::batch_upload::{Csv, StartBatch};
//!
//! let csv = Csv::from_path("calls.csv")?;
//! let check = client.validate_batch_csv(csv.clone()).await?;
//! if check.valid == Some(true) {
//!     let batch = client.start_batch(csv, &StartBatch::new("676b8e123456789012345679")).await?;
//!     println!("batch {:?} queued", batch.batch_id);
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::poll_fn;
use std::io::Read;
use std::path::Path;

use progenitor_client::ResponseValue;

use crate::error::{Error, FileError, InvalidArgument, UnexpectedResponse};
use crate::generated::operations;
use crate::multipart::FormPart;
use crate::preflight::{CsvPreflight, MAX_BATCH_CSV_BYTES};
use crate::types::{BatchCsvPreview, BatchCsvValidation, BatchStarted, SmartCallbackConfig};
use crate::Client;

/// Largest CSV the API accepts (20 MB), as [`crate::preflight::MAX_BATCH_CSV_BYTES`].
pub const MAX_CSV_BYTES: usize = MAX_BATCH_CSV_BYTES as usize;

/// A CSV file to upload: a `phone_number` column (E.164), optional `first_name`,
/// `last_name`, `email`, and any other columns (they become dynamic variables).
///
/// `Debug` shows the file name (masked if it holds a phone number, as
/// [`crate::preflight`] reports show names) and size, never the rows (they hold phone
/// numbers).
#[derive(Clone)]
pub struct Csv {
    file_name: String,
    bytes: Vec<u8>,
}

impl Csv {
    /// The file at `path`, uploaded under its own file name. A file larger than 20 MB is
    /// refused before it is read.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Csv, Error> {
        let path = path.as_ref();
        let unreadable = |e| Error::File(FileError::unreadable(path, e));
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        if size > MAX_BATCH_CSV_BYTES {
            return Err(too_large("path", &path.display().to_string(), size).into());
        }
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "batch.csv".to_string());
        Ok(Csv { file_name, bytes })
    }

    /// CSV text or bytes, uploaded as `batch.csv`.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Csv {
        Csv {
            file_name: "batch.csv".to_string(),
            bytes: bytes.into(),
        }
    }

    /// Everything `reader` yields (at most [`MAX_CSV_BYTES`] are read), as `batch.csv`.
    pub fn from_reader(reader: impl Read) -> Result<Csv, Error> {
        let mut bytes = Vec::new();
        reader
            .take(MAX_CSV_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::File(FileError::reader("the CSV", e)))?;
        Ok(Csv::from_bytes(bytes))
    }

    /// Upload under this file name instead.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Csv {
        self.file_name = file_name.into();
        self
    }

    /// The file name sent with the upload.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The CSV's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The `file` part of an upload; fails on a file over 20 MB.
    fn into_part(self) -> Result<FormPart, Error> {
        if self.bytes.len() > MAX_CSV_BYTES {
            return Err(too_large("csv", &self.file_name, self.bytes.len() as u64).into());
        }
        Ok(FormPart {
            name: "file".into(),
            file_name: Some(self.file_name),
            content_type: Some("text/csv".to_string()),
            content: self.bytes,
        })
    }
}

impl fmt::Debug for Csv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Csv")
            .field(
                "file_name",
                &crate::preflight::mask_number_like(&self.file_name),
            )
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// The form fields of `startBatch` besides the CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct StartBatch {
    /// The agent that makes the calls.
    pub agent_id: String,
    /// When to start, in UTC (`YYYY-MM-DDTHH:MM:SSZ`); `None` starts at once.
    pub scheduled_at: Option<String>,
    /// Smart-callback settings, sent as the JSON part `smartCallbackConfig`.
    pub smart_callback: Option<SmartCallbackConfig>,
    /// Check the CSV locally before the upload ([`crate::preflight`]), and send nothing
    /// when a row is bad (default `true`).
    pub preflight: bool,
}

impl StartBatch {
    /// Start at once with this agent, without smart callbacks.
    pub fn new(agent_id: impl Into<String>) -> StartBatch {
        StartBatch {
            agent_id: agent_id.into(),
            scheduled_at: None,
            smart_callback: None,
            preflight: true,
        }
    }

    /// Upload the CSV without checking it locally first (the API still checks it).
    pub fn without_preflight(mut self) -> StartBatch {
        self.preflight = false;
        self
    }

    /// Start at this UTC time (`YYYY-MM-DDTHH:MM:SSZ`) instead.
    pub fn scheduled_at(mut self, utc: impl Into<String>) -> StartBatch {
        self.scheduled_at = Some(utc.into());
        self
    }

    /// Call back unanswered numbers with these settings.
    pub fn smart_callback(mut self, config: SmartCallbackConfig) -> StartBatch {
        self.smart_callback = Some(config);
        self
    }
}

impl Client {
    /// Start a batch of calls from a CSV
    ///
    /// Checks the CSV locally first ([`crate::preflight`]: UTF-8, a `phone_number`
    /// column, every number in E.164, no empty row, at most 20 MB) and fails with
    /// [`Error::InvalidCsv`], sending nothing, when a row is bad; opt out with
    /// [`StartBatch::without_preflight`]. Then uploads the CSV (`multipart/form-data`) and
    /// queues one outbound call per row with the agent of `batch`.
    ///
    /// Places real calls that cost money, so it is retried only on 429 (the server did
    /// not take the request) or when no connection could be opened (nothing was sent);
    /// never after a timeout, a connection broken mid-request or a 5xx: the batch may
    /// have started.
    ///
    /// Operation `startBatch` of the contract (its method and path are there).
    pub async fn start_batch(
        &self,
        csv: Csv,
        batch: &StartBatch,
    ) -> Result<ResponseValue<BatchStarted>, Error> {
        if batch.preflight {
            let report = CsvPreflight::new().check_bytes(csv.as_bytes());
            if !report.is_valid() {
                return Err(Error::InvalidCsv {
                    file_name: csv.file_name().to_string(),
                    report: Box::new(report),
                });
            }
        }
        let mut parts = vec![csv.into_part()?, FormPart::text("agentId", &batch.agent_id)];
        if let Some(at) = &batch.scheduled_at {
            parts.push(FormPart::text("scheduledAt", at));
        }
        if let Some(config) = &batch.smart_callback {
            let json = serde_json::to_vec(config).map_err(|e| {
                InvalidArgument::new("batch", "its smart_callback can't be written as JSON")
                    .caused_by(&e)
            })?;
            parts.push(FormPart {
                name: "smartCallbackConfig".into(),
                file_name: None,
                content_type: Some("application/json".to_string()),
                content: json,
            });
        }
        self.send_form(operations::START_BATCH, &[], parts).await
    }

    /// Validate a batch CSV
    ///
    /// Checks a CSV before a batch is started. Makes no call. Only reads, so it is
    /// retried like a `GET` (on 408, 429, 500, 502, 503, 504, timeouts and connection
    /// failures).
    ///
    /// Operation `validateBatchCsv` of the contract.
    pub async fn validate_batch_csv(
        &self,
        csv: Csv,
    ) -> Result<ResponseValue<BatchCsvValidation>, Error> {
        let parts = vec![csv.into_part()?];
        self.send_form(operations::VALIDATE_BATCH_CSV, &[], parts)
            .await
    }

    /// Preview the data of a batch CSV
    ///
    /// Returns the rows of a CSV as the API parses them. Makes no call. Only reads, so it
    /// is retried like a `GET` (on 408, 429, 500, 502, 503, 504, timeouts and connection
    /// failures).
    ///
    /// Operation `previewBatchCsv` of the contract.
    pub async fn preview_batch_csv(
        &self,
        csv: Csv,
    ) -> Result<ResponseValue<BatchCsvPreview>, Error> {
        let parts = vec![csv.into_part()?];
        self.send_form(operations::PREVIEW_BATCH_CSV, &[], parts)
            .await
    }

    /// The CSV template for batches, as text (the generated
    /// [`get_batch_template`](Client::get_batch_template) returns a byte stream).
    pub async fn batch_template_csv(&self) -> Result<String, Error> {
        let template = self.get_batch_template().await?;
        let status = template.status();
        let mut stream = template.into_inner_stream();
        let mut bytes = Vec::new();
        while let Some(chunk) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            bytes.extend_from_slice(&chunk.map_err(Error::from_reqwest)?);
        }
        String::from_utf8(bytes).map_err(|e| {
            // The UTF-8 error gives byte positions only, nothing of the body.
            let cause = Box::new(e.utf8_error());
            Error::UnexpectedResponse(UnexpectedResponse::new(
                "getBatchTemplate",
                status,
                "UTF-8 CSV text",
                cause,
            ))
        })
    }
}

/// The refusal of a CSV over the API's 20 MB, before anything is sent.
fn too_large(argument: &'static str, name: &str, bytes: u64) -> InvalidArgument {
    InvalidArgument::new(
        argument,
        format!(
            "{name} is {:.1} MB, and the API accepts at most 20 MB",
            // Rounded up, so that a file just over the limit does not read as at it.
            (bytes as f64 / (1024.0 * 1024.0) * 10.0).ceil() / 10.0
        ),
    )
    .with_next_step("split the rows into several files and start one batch for each")
}
