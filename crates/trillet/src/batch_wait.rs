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

use crate::error::Error;
use crate::types::BatchProgress;
use crate::Client;

/// Time between two polls unless configured otherwise.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);

/// A batch's progress at one poll: its status and counts. It holds no phone number, so
/// it may be logged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchSnapshot {
    /// The batch's status as the API reports it (`queued`, `processing`, `completed`,
    /// `cancelled`, `failed`, or a value this client does not know).
    pub status: Option<String>,
    /// Whether the API says every call has finished (`isComplete`).
    pub is_complete: bool,
    /// Calls waiting in the queue.
    pub waiting: u64,
    /// Calls in progress.
    pub active: u64,
    /// Calls completed.
    pub completed: u64,
    /// Calls failed.
    pub failed: u64,
    /// Calls in the batch.
    pub total: u64,
}

impl BatchSnapshot {
    /// The snapshot of a `getBatchProgress` answer (missing or negative counts are 0).
    pub fn from_progress(progress: &BatchProgress) -> BatchSnapshot {
        let count = |n: Option<i64>| n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
        BatchSnapshot {
            status: progress.status.clone(),
            is_complete: progress.is_complete.unwrap_or(false),
            waiting: count(progress.waiting),
            active: count(progress.active),
            completed: count(progress.completed),
            failed: count(progress.failed),
            total: count(progress.total),
        }
    }

    /// Where the batch is: running until its status is `completed`, `cancelled` or
    /// `failed`, or the API says `isComplete: true`. Unknown statuses count as running.
    pub fn state(&self) -> BatchState {
        match self
            .status
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("completed") => BatchState::Completed,
            Some("cancelled" | "canceled") => BatchState::Cancelled,
            Some("failed") => BatchState::Failed,
            _ if self.is_complete => BatchState::Completed,
            _ => BatchState::Running,
        }
    }

    /// Whether the batch has ended (completed, cancelled or failed).
    pub fn is_done(&self) -> bool {
        self.state() != BatchState::Running
    }

    /// Calls that have ended, completed or failed.
    pub fn finished(&self) -> u64 {
        self.completed.saturating_add(self.failed)
    }
}

/// `processing: 95 completed, 5 failed, 5 active, 45 waiting of 150`.
impl fmt::Display for BatchSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} completed, {} failed, {} active, {} waiting of {}",
            self.status.as_deref().unwrap_or("unknown"),
            self.completed,
            self.failed,
            self.active,
            self.waiting,
            self.total
        )
    }
}

/// Where a batch is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchState {
    /// Queued or processing (or a status this client does not know).
    Running,
    /// Every call has ended.
    Completed,
    /// Cancelled: queued calls were dropped.
    Cancelled,
    /// The batch failed.
    Failed,
}

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
        let mut watch = self.watch_batch(batch_id, options);
        let mut last = None;
        while let Some(snapshot) = watch.next().await {
            last = Some(snapshot?);
        }
        // The stream ends after a final snapshot or an error, so `last` is final here.
        last.ok_or_else(|| {
            Error::InvalidRequest("the batch wait ended without a snapshot".to_string())
        })
    }

    /// The snapshots of the batch `batch_id`, one per poll of `getBatchProgress`, until
    /// the batch is completed, cancelled or failed (that snapshot is the last item). The
    /// deadline or a poll error that is not transient ends the stream with that error.
    ///
    /// Polls only while the stream is read. `options.on_progress` is called too.
    pub fn watch_batch(&self, batch_id: &str, options: BatchWaitOptions) -> BatchWatch {
        let state = WatchState {
            client: self.clone(),
            batch_id: batch_id.to_string(),
            deadline: options.deadline.map(|d| (d, Instant::now().checked_add(d))),
            options,
            last: None,
            polls: 0,
            ended: false,
        };
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
}

/// One step of the stream: wait the interval (not before the first poll), poll, and
/// decide whether the stream goes on.
async fn next_snapshot(
    mut state: WatchState,
) -> Option<(Result<BatchSnapshot, Error>, WatchState)> {
    loop {
        if state.ended {
            return None;
        }
        if state.polls > 0 {
            let wake = Instant::now().checked_add(state.options.poll_interval);
            let wake = match (wake, state.deadline) {
                (Some(wake), Some((_, Some(at)))) => Some(wake.min(at)),
                (wake, _) => wake,
            };
            match wake {
                Some(wake) => tokio::time::sleep_until(wake).await,
                None => std::future::pending::<()>().await,
            }
        }
        if state.past_deadline() {
            state.ended = true;
            return Some((Err(state.deadline_error()), state));
        }
        state.polls += 1;
        let poll = state.client.get_batch_progress(&state.batch_id);
        let result = match state.deadline {
            Some((_, Some(at))) => match tokio::time::timeout_at(at, poll).await {
                Ok(result) => result,
                Err(_) => {
                    state.ended = true;
                    return Some((Err(state.deadline_error()), state));
                }
            },
            _ => poll.await,
        };
        match result {
            Ok(progress) => {
                let snapshot = BatchSnapshot::from_progress(&progress);
                tracing::debug!(batch_state = ?snapshot.state(), %snapshot, "batch progress");
                if let Some(on_progress) = &state.options.on_progress {
                    on_progress(&snapshot);
                }
                state.ended = snapshot.is_done();
                state.last = Some(snapshot.clone());
                return Some((Ok(snapshot), state));
            }
            Err(error) if error.is_retryable() => {
                tracing::warn!(%error, "batch progress poll failed; polling again");
            }
            Err(error) => {
                state.ended = true;
                return Some((Err(error), state));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(status: Option<&str>, is_complete: bool) -> BatchSnapshot {
        BatchSnapshot {
            status: status.map(str::to_string),
            is_complete,
            ..BatchSnapshot::default()
        }
    }

    #[test]
    fn final_statuses_and_is_complete_end_a_batch_and_unknown_ones_do_not() {
        let check = |status, is_complete, expected| {
            assert_eq!(
                snapshot(status, is_complete).state(),
                expected,
                "{status:?} {is_complete}"
            );
        };
        check(Some("completed"), false, BatchState::Completed);
        check(Some("cancelled"), false, BatchState::Cancelled);
        check(Some("Canceled"), false, BatchState::Cancelled);
        check(Some("failed"), false, BatchState::Failed);
        check(Some("processing"), true, BatchState::Completed);
        check(None, true, BatchState::Completed);
        check(Some("queued"), false, BatchState::Running);
        check(Some("paused_by_operator"), false, BatchState::Running);
        check(None, false, BatchState::Running);
    }

    #[test]
    fn snapshots_read_counts_leniently_and_print_one_line() {
        let progress = BatchProgress {
            status: Some("processing".into()),
            waiting: Some(45),
            active: Some(5),
            completed: Some(95),
            failed: Some(5),
            total: Some(150),
            is_complete: None,
            ..BatchProgress::default()
        };
        let snapshot = BatchSnapshot::from_progress(&progress);
        assert_eq!(snapshot.finished(), 100);
        assert!(!snapshot.is_done());
        assert_eq!(
            snapshot.to_string(),
            "processing: 95 completed, 5 failed, 5 active, 45 waiting of 150"
        );
        let odd = BatchProgress {
            completed: Some(-3),
            ..BatchProgress::default()
        };
        assert_eq!(BatchSnapshot::from_progress(&odd).completed, 0);
    }
}
