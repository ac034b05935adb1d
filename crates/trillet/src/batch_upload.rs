//! The batch operations progenitor can't generate (their request bodies are
//! `multipart/form-data`), written by hand over the same client, headers and hooks, plus a
//! convenience for the CSV template.
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

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::multipart::{Form, Part};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::types::{BatchCsvPreview, BatchCsvValidation, BatchStarted, SmartCallbackConfig};
use crate::Client;

/// The operationIds of `openapi/trillet.yaml` implemented in this file instead of being
/// generated. `cargo xtask gen` (and `gen --check`, and its tests) fail unless this is
/// exactly the set of operations it removes from the generator's input.
pub const HAND_WRITTEN_OPERATIONS: &[&str] = &["startBatch", "validateBatchCsv", "previewBatchCsv"];

/// Largest CSV the API accepts.
pub const MAX_CSV_BYTES: usize = 20 * 1024 * 1024;

/// A CSV file to upload: a `phone_number` column (E.164), optional `first_name`,
/// `last_name`, `email`, and any other columns (they become dynamic variables).
///
/// `Debug` shows the file name and size, never the rows (they hold phone numbers).
#[derive(Clone)]
pub struct Csv {
    file_name: String,
    bytes: Vec<u8>,
}

impl Csv {
    /// The file at `path`, uploaded under its own file name.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Csv, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::InvalidRequest(format!("cannot read {}: {e}", path.display())))?;
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
            .map_err(|e| Error::InvalidRequest(format!("cannot read the CSV: {e}")))?;
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

    fn into_part(self) -> Result<Part, Error> {
        if self.bytes.len() > MAX_CSV_BYTES {
            return Err(Error::InvalidRequest(format!(
                "{} is {} bytes; the API accepts at most {MAX_CSV_BYTES} (20 MB)",
                self.file_name,
                self.bytes.len()
            )));
        }
        Part::bytes(self.bytes)
            .file_name(self.file_name)
            .mime_str("text/csv")
            .map_err(|e| Error::InvalidRequest(e.to_string()))
    }
}

impl fmt::Debug for Csv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Csv")
            .field("file_name", &self.file_name)
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
}

impl StartBatch {
    /// Start at once with this agent, without smart callbacks.
    pub fn new(agent_id: impl Into<String>) -> StartBatch {
        StartBatch {
            agent_id: agent_id.into(),
            scheduled_at: None,
            smart_callback: None,
        }
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
    /// Uploads the CSV (`multipart/form-data`) and queues one outbound call per row with
    /// the agent of `batch`. Places real calls that cost money: never retried.
    ///
    /// Sends a `POST` request to `/v1/api/batch-calls` (operation `startBatch`).
    pub async fn start_batch(
        &self,
        csv: Csv,
        batch: &StartBatch,
    ) -> Result<ResponseValue<BatchStarted>, Error> {
        let mut form = Form::new()
            .part("file", csv.into_part()?)
            .text("agentId", batch.agent_id.clone());
        if let Some(at) = &batch.scheduled_at {
            form = form.text("scheduledAt", at.clone());
        }
        if let Some(config) = &batch.smart_callback {
            let json =
                serde_json::to_vec(config).map_err(|e| Error::InvalidRequest(e.to_string()))?;
            let part = Part::bytes(json)
                .mime_str("application/json")
                .map_err(|e| Error::InvalidRequest(e.to_string()))?;
            form = form.part("smartCallbackConfig", part);
        }
        self.send_form("start_batch", "/v1/api/batch-calls", form)
            .await
    }

    /// Validate a batch CSV
    ///
    /// Checks a CSV before a batch is started. Makes no call.
    ///
    /// Sends a `POST` request to `/v1/api/batch-calls/validate` (operation `validateBatchCsv`).
    pub async fn validate_batch_csv(
        &self,
        csv: Csv,
    ) -> Result<ResponseValue<BatchCsvValidation>, Error> {
        let form = Form::new().part("file", csv.into_part()?);
        self.send_form("validate_batch_csv", "/v1/api/batch-calls/validate", form)
            .await
    }

    /// Preview the data of a batch CSV
    ///
    /// Returns the rows of a CSV as the API parses them. Makes no call.
    ///
    /// Sends a `POST` request to `/v1/api/batch-calls/preview` (operation `previewBatchCsv`).
    pub async fn preview_batch_csv(
        &self,
        csv: Csv,
    ) -> Result<ResponseValue<BatchCsvPreview>, Error> {
        let form = Form::new().part("file", csv.into_part()?);
        self.send_form("preview_batch_csv", "/v1/api/batch-calls/preview", form)
            .await
    }

    /// The CSV template for batches, as text (the generated
    /// [`get_batch_template`](Client::get_batch_template) returns a byte stream).
    pub async fn batch_template_csv(&self) -> Result<String, Error> {
        let mut stream = self.get_batch_template().await?.into_inner_stream();
        let mut bytes = Vec::new();
        while let Some(chunk) = poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            bytes.extend_from_slice(&chunk.map_err(Error::from_reqwest)?);
        }
        String::from_utf8(bytes)
            .map_err(|_| Error::InvalidRequest("the CSV template is not UTF-8".to_string()))
    }

    /// Sends a multipart request through the generated client's reqwest client and hooks,
    /// exactly as generated operations do, and decodes a 2xx JSON body.
    async fn send_form<T: DeserializeOwned>(
        &self,
        operation_id: &'static str,
        path: &str,
        form: Form,
    ) -> Result<ResponseValue<T>, Error> {
        let api = &self.api;
        let url = format!("{}{path}", api.baseurl());
        let mut request = api
            .client()
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .build()
            .map_err(Error::from_reqwest)?;
        let info = OperationInfo { operation_id };
        let outcome: Result<ResponseValue<T>, progenitor_client::Error<()>> = async {
            api.pre(&mut request, &info).await?;
            let result = api.exec(request, &info).await;
            api.post(&result, &info).await?;
            let response = result?;
            if response.status().is_success() {
                ResponseValue::from_response(response).await
            } else {
                Err(progenitor_client::Error::UnexpectedResponse(response))
            }
        }
        .await;
        match outcome {
            Ok(value) => Ok(value),
            Err(error) => Err(Error::from_generated(error).await),
        }
    }
}
