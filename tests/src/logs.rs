//! Everything the test process logs at TRACE level, in one buffer: `tracing` records (the
//! client, hyper) and `log` records (reqwest). The leak tests hold all of it to their rule.
//!
//! One global subscriber and one `log` logger serve the whole process: a thread's default
//! subscriber misses events when other tests run beside it, as the callsites' interest is
//! cached for all threads. The mock server's own records are left out (httpmock logs each
//! request whole, as received: they are the wire, not the client).

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing::Metadata;
use tracing_subscriber::fmt::MakeWriter;

/// Where the records go.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

fn buffer() -> &'static Buffer {
    static BUFFER: OnceLock<Buffer> = OnceLock::new();
    BUFFER.get_or_init(|| {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(buffer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        static LOGGER: LogRecords = LogRecords;
        log::set_logger(&LOGGER).expect("the only logger");
        log::set_max_level(log::LevelFilter::Trace);
        buffer
    })
}

/// Starts capturing (once per process; later calls do nothing). Records logged before the
/// first call are not captured.
pub fn capture_logs() {
    buffer();
}

/// Everything captured so far, as text.
pub fn logged() -> String {
    String::from_utf8_lossy(&buffer().0.lock().expect("logs")).into_owned()
}

/// Whether a record of this target is left out: the mock server's.
fn is_mock_server(target: &str) -> bool {
    target.starts_with("httpmock")
}

/// One record's writer: into the buffer, or nowhere.
struct Record(Option<Buffer>);

impl Write for Record {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(buffer) = &self.0 {
            buffer.0.lock().expect("logs").extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Record;

    fn make_writer(&'a self) -> Record {
        Record(Some(self.clone()))
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Record {
        Record((!is_mock_server(meta.target())).then(|| self.clone()))
    }
}

/// The `log` records (reqwest's), into the same buffer.
struct LogRecords;

impl log::Log for LogRecords {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        !is_mock_server(metadata.target())
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let mut logs = buffer().0.lock().expect("logs");
        let _ = writeln!(
            logs,
            "{} {}: {}",
            record.level(),
            record.target(),
            record.args()
        );
    }

    fn flush(&self) {}
}
