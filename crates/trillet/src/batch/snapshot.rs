//! A batch's progress at one poll ([`BatchSnapshot`]) and where the batch is
//! ([`BatchState`]): what the waiter ([`crate::batch_wait`]) yields and what
//! [`Error::BatchDeadline`](crate::Error::BatchDeadline) carries. A leaf: it knows the
//! generated `BatchProgress` and nothing else of the crate.

use std::fmt;

use crate::types::BatchProgress;

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
