//! Following a batch to its end: [`Client::wait_for_batch`] polls `getBatchProgress`
//! until the batch is completed, cancelled or failed, and [`Client::watch_batch`] gives
//! the same polls as a [`Stream`] of [`BatchSnapshot`]s.
//!
//! ```no_run
//! # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
//! use std::time::Duration;
//! use trillet::batch_wait::BatchWaitOptions;
//!
//! let options = BatchWaitOptions::new()
//!     .poll_interval(Duration::from_secs(10))
//!     .deadline(Duration::from_secs(4 * 3600))
//!     .on_progress(|s| println!("{}/{} calls done, {} failed", s.finished(), s.total, s.failed));
//! let last = client.wait_for_batch("batch_7891011121314", options).await?;
//! println!("batch {:?}: {} completed, {} failed", last.state(), last.completed, last.failed);
//! # Ok(()) }
//! ```
//!
//! A poll that fails with a transient error (after the client's own retries: timeouts,
//! connection failures, 429, 502, 503, 504) is logged and the next poll goes on; any
//! other error ends the wait. The deadline ends it with [`Error::BatchDeadline`], which
//! carries the last snapshot.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::stream::{Fuse, StreamExt};
use tokio::time::Instant;

pub use super::snapshot::{BatchSnapshot, BatchState};
use crate::error::Error;
use crate::Client;

/// Time between two polls unless configured otherwise.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);

/// How to wait for a batch: the time between polls, an overall deadline, and a function
/// told of every snapshot.
#[derive(Clone)]
pub struct BatchWaitOptions {
    poll_interval: Duration,
    deadline: Option<Duration>,
    on_progress: Option<ProgressFn>,
}

/// The function told of every snapshot.
type ProgressFn = Arc<dyn Fn(&BatchSnapshot) + Send + Sync>;

impl Default for BatchWaitOptions {
    fn default() -> BatchWaitOptions {
        BatchWaitOptions::new()
    }
}

impl fmt::Debug for BatchWaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWaitOptions")
            .field("poll_interval", &self.poll_interval)
            .field("deadline", &self.deadline)
            .field(
                "on_progress",
                &self.on_progress.as_ref().map(|_| "Fn(&BatchSnapshot)"),
            )
            .finish()
    }
}

impl BatchWaitOptions {
    /// A poll every 5 seconds, no deadline, no progress function.
    pub fn new() -> BatchWaitOptions {
        BatchWaitOptions {
            poll_interval: DEFAULT_POLL_INTERVAL,
            deadline: None,
            on_progress: None,
        }
    }

    /// Poll every `interval` (default 5 s; each poll is one request against the rate
    /// limit, 60 a minute on the Developer plan).
    pub fn poll_interval(mut self, interval: Duration) -> BatchWaitOptions {
        self.poll_interval = interval;
        self
    }

    /// Give up after `deadline` in all, with [`Error::BatchDeadline`] (default: wait as
    /// long as the batch runs).
    pub fn deadline(mut self, deadline: Duration) -> BatchWaitOptions {
        self.deadline = Some(deadline);
        self
    }

    /// Call `on_progress` with every snapshot, the last one included.
    pub fn on_progress(
        mut self,
        on_progress: impl Fn(&BatchSnapshot) + Send + Sync + 'static,
    ) -> BatchWaitOptions {
        self.on_progress = Some(Arc::new(on_progress));
        self
    }
}

impl Client {
    /// Waits until the batch `batch_id` is completed, cancelled or failed, polling
    /// `getBatchProgress` as `options` say, and returns its last snapshot.
    ///
    /// Fails with [`Error::BatchDeadline`] (with the last snapshot) when the deadline
    /// passes first, or with the error of a poll that is not transient (e.g. 404 for an
    /// unknown batch).
    pub async fn wait_for_batch(
        &self,
        batch_id: &str,
        options: BatchWaitOptions,
    ) -> Result<BatchSnapshot, Error> {
        let mut state = WatchState::new(self, batch_id, options);
        loop {
            let snapshot = state.step().await?;
            if state.ended {
                return Ok(snapshot);
            }
        }
    }

    /// The snapshots of the batch `batch_id`, one per poll of `getBatchProgress`, until
    /// the batch is completed, cancelled or failed (that snapshot is the last item). The
    /// deadline or a poll error that is not transient ends the stream with that error.
    ///
    /// Polls only while the stream is read. `options.on_progress` is called too.
    pub fn watch_batch(&self, batch_id: &str, options: BatchWaitOptions) -> BatchWatch {
        let state = WatchState::new(self, batch_id, options);
        BatchWatch {
            inner: StreamExt::fuse(
                Box::pin(futures_util::stream::unfold(state, next_snapshot)) as SnapshotStream
            ),
        }
    }
}

/// The [`Stream`] of a batch's snapshots ([`Client::watch_batch`]).
pub struct BatchWatch {
    /// Fused: once ended it stays ended (the `unfold` inside must not be polled again).
    inner: Fuse<SnapshotStream>,
}

impl BatchWatch {
    /// The next snapshot, or `None` after the last one (without needing a
    /// `StreamExt` trait in scope).
    pub async fn next(&mut self) -> Option<Result<BatchSnapshot, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

/// The stream behind the named type.
type SnapshotStream = Pin<Box<dyn Stream<Item = Result<BatchSnapshot, Error>> + Send>>;

impl Stream for BatchWatch {
    type Item = Result<BatchSnapshot, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl fmt::Debug for BatchWatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BatchWatch")
    }
}

struct WatchState {
    client: Client,
    batch_id: String,
    options: BatchWaitOptions,
    /// The deadline as configured, and as an instant (`None` past the clock's range).
    deadline: Option<(Duration, Option<Instant>)>,
    last: Option<BatchSnapshot>,
    polls: u64,
    ended: bool,
}

impl WatchState {
    fn new(client: &Client, batch_id: &str, options: BatchWaitOptions) -> WatchState {
        WatchState {
            client: client.clone(),
            batch_id: batch_id.to_string(),
            deadline: options.deadline.map(|d| (d, Instant::now().checked_add(d))),
            options,
            last: None,
            polls: 0,
            ended: false,
        }
    }

    fn deadline_error(&self) -> Error {
        Error::BatchDeadline {
            batch_id: self.batch_id.clone(),
            waited: self.deadline.map_or(Duration::ZERO, |(d, _)| d),
            last: self.last.clone().map(Box::new),
        }
    }

    fn past_deadline(&self) -> bool {
        matches!(self.deadline, Some((_, Some(at))) if Instant::now() >= at)
    }

    /// The next item of the stream: wait the interval (not before the first poll), poll
    /// again until a poll gives a snapshot or an error that is not transient, and mark the
    /// watch `ended` after a final snapshot or any error. Always an item, so the waiter
    /// needs no "no snapshot" case.
    async fn step(&mut self) -> Result<BatchSnapshot, Error> {
        loop {
            if self.polls > 0 {
                let wake = Instant::now().checked_add(self.options.poll_interval);
                let wake = match (wake, self.deadline) {
                    (Some(wake), Some((_, Some(at)))) => Some(wake.min(at)),
                    (wake, _) => wake,
                };
                match wake {
                    Some(wake) => tokio::time::sleep_until(wake).await,
                    None => std::future::pending::<()>().await,
                }
            }
            if self.past_deadline() {
                self.ended = true;
                return Err(self.deadline_error());
            }
            self.polls += 1;
            let poll = self.client.get_batch_progress(&self.batch_id);
            let result = match self.deadline {
                Some((_, Some(at))) => match tokio::time::timeout_at(at, poll).await {
                    Ok(result) => result,
                    Err(_) => {
                        self.ended = true;
                        return Err(self.deadline_error());
                    }
                },
                _ => poll.await,
            };
            match result {
                Ok(progress) => {
                    let snapshot = BatchSnapshot::from_progress(&progress);
                    tracing::debug!(batch_state = ?snapshot.state(), %snapshot, "batch progress");
                    if let Some(on_progress) = &self.options.on_progress {
                        on_progress(&snapshot);
                    }
                    self.ended = snapshot.is_done();
                    self.last = Some(snapshot.clone());
                    return Ok(snapshot);
                }
                Err(error) if error.is_retryable() => {
                    tracing::warn!(%error, "batch progress poll failed; polling again");
                }
                Err(error) => {
                    self.ended = true;
                    return Err(error);
                }
            }
        }
    }
}

/// One item of the stream, until the watch has ended.
async fn next_snapshot(
    mut state: WatchState,
) -> Option<(Result<BatchSnapshot, Error>, WatchState)> {
    if state.ended {
        return None;
    }
    let item = state.step().await;
    Some((item, state))
}
