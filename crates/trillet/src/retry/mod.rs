//! When a failed request is sent again, and after how long: the retry policy of every
//! request the client sends, generated or hand-written.
//!
//! | request | retried on |
//! |---|---|
//! | [`RequestSafety::Idempotent`]: the operations whose `x-trillet-retry` is `idempotent` | 408, 429, 500, 502, 503, 504; connection failures; timeouts; connections broken mid-request or while the response body is read; bodies that stall past the attempt's timeout |
//! | [`RequestSafety::SideEffecting`]: those whose `x-trillet-retry` is `side-effecting` (they place calls, start batches, create, flip or send something) | 429; a connection that could not be opened (nothing was sent) |
//!
//! Which operation is which is the contract's to say: each operation of
//! `openapi/trillet.yaml` carries `x-trillet-retry` (the README's retry table lists them,
//! generated from it). A request the contract does not know is judged by its method:
//! `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are idempotent, anything else is not.
//!
//! A side-effecting `POST` is never sent again after a timeout, a connection broken
//! mid-request or a 5xx: the server may have acted on it, and a second one could call a
//! person twice or start a second batch.
//!
//! Waits grow exponentially (0.5 s, 1 s, 2 s, ... up to 8 s by default) with jitter: a
//! wait is drawn between half and all of its step, so that clients that failed together
//! do not retry together. On 429 and 503 a `Retry-After` header (seconds or an HTTP
//! date), or else the documented rate-limit body's `error.reset_at`, sets the wait
//! instead; a server that asks for more than [`RetryPolicy::max_retry_after`] (2 minutes
//! by default) gets its error back at once rather than a silent long wait.
//!
//! All attempts and waits of one call share one overall deadline
//! ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline), 3 minutes by default):
//! each attempt's timeout is cut to what remains, and a wait that would end past it is not
//! started ([`RetryDecision::within`]). A redirect (3xx) is never retried nor followed.
//!
//! Everything here is pure (no clock, no randomness, no I/O): the client feeds it the
//! time and a random number.

use std::time::Duration;

use reqwest::StatusCode;

mod safety;
mod server_wait;
#[cfg(test)]
mod tests;

pub use safety::{is_retryable, AttemptOutcome, RequestSafety};
pub use server_wait::{parse_retry_after, rate_limit_reset};

/// Retries after the first attempt, unless configured otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The first step of the exponential backoff.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The largest step of the exponential backoff.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The longest wait a server may ask for (`Retry-After`, `reset_at`) and still be retried.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// How many times, and after how long, failed requests are sent again.
///
/// ```
/// use std::time::Duration;
/// use trillet::retry::RetryPolicy;
///
/// let patient = RetryPolicy::new().with_max_retries(5).with_max_backoff(Duration::from_secs(30));
/// assert_eq!(patient.max_retries(), 5);
/// assert_eq!(RetryPolicy::disabled().max_retries(), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// 2 retries, backoff from 0.5 s doubling up to 8 s, `Retry-After` honoured up to
    /// 2 minutes.
    pub fn new() -> RetryPolicy {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }

    /// Never retry: every request is sent once.
    pub fn disabled() -> RetryPolicy {
        RetryPolicy::new().with_max_retries(0)
    }

    /// Retry at most `max_retries` times after the first attempt (0 disables retries).
    pub fn with_max_retries(mut self, max_retries: u32) -> RetryPolicy {
        self.max_retries = max_retries;
        self
    }

    /// Start the exponential backoff at `initial_backoff` (default 0.5 s).
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> RetryPolicy {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Cap each step of the exponential backoff at `max_backoff` (default 8 s).
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> RetryPolicy {
        self.max_backoff = max_backoff;
        self
    }

    /// Give up at once, returning the error, when the server asks to wait longer than
    /// `max_retry_after` (default 2 minutes).
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> RetryPolicy {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The first step of the backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest step of the backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest wait asked by a server that is still honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait before retry number `retry` (1 for the first retry) when the server
    /// says nothing: the step `initial_backoff * 2^(retry - 1)`, capped at
    /// `max_backoff`, scaled into its upper half by `jitter` (a random number in
    /// `[0, 1)`; out-of-range values are clamped).
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(32);
        let step = self
            .initial_backoff
            .checked_mul(1u32 << doublings.min(31))
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        (step / 2).saturating_add(step.mul_f64(jitter / 2.0))
    }

    /// What to do after an attempt: `retries_done` retries have been made so far,
    /// `server_wait` is the wait the server asked for (from [`parse_retry_after`] or
    /// [`rate_limit_reset`]; used only on 429 and 503), `jitter` a random number in
    /// `[0, 1)`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use trillet::retry::{AttemptOutcome, RequestSafety, RetryDecision, RetryPolicy, StopReason};
    /// use reqwest::StatusCode;
    ///
    /// let policy = RetryPolicy::new();
    /// let busy = AttemptOutcome::Status(StatusCode::SERVICE_UNAVAILABLE);
    /// let limited = AttemptOutcome::Status(StatusCode::TOO_MANY_REQUESTS);
    /// let after = Some(Duration::from_secs(1));
    /// assert_eq!(
    ///     policy.decide(RequestSafety::Idempotent, &busy, 0, None, 0.0),
    ///     RetryDecision::Retry { after: Duration::from_millis(250) }
    /// );
    /// assert_eq!(
    ///     policy.decide(RequestSafety::SideEffecting, &busy, 0, None, 0.0),
    ///     RetryDecision::Stop(StopReason::NotRetryable)
    /// );
    /// assert_eq!(
    ///     policy.decide(RequestSafety::SideEffecting, &limited, 0, after, 0.0),
    ///     RetryDecision::Retry { after: Duration::from_secs(1) }
    /// );
    /// ```
    pub fn decide(
        &self,
        safety: RequestSafety,
        outcome: &AttemptOutcome,
        retries_done: u32,
        server_wait: Option<Duration>,
        jitter: f64,
    ) -> RetryDecision {
        if !is_retryable(safety, outcome) {
            return RetryDecision::Stop(StopReason::NotRetryable);
        }
        if retries_done >= self.max_retries {
            return RetryDecision::Stop(StopReason::RetriesExhausted);
        }
        let backoff = self.backoff(retries_done + 1, jitter);
        let honours_server = matches!(
            outcome,
            AttemptOutcome::Status(StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE)
        );
        match server_wait.filter(|_| honours_server) {
            Some(wait) if wait > self.max_retry_after => {
                RetryDecision::Stop(StopReason::ServerWaitTooLong { asked: wait })
            }
            Some(wait) => {
                // A little spread on top, so that clients told the same instant do not all
                // come back at it; never less than asked.
                let spread = (wait / 10).min(Duration::from_secs(1));
                let jitter = if jitter.is_finite() {
                    jitter.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                RetryDecision::Retry {
                    after: wait.saturating_add(spread.mul_f64(jitter)).max(backoff),
                }
            }
            None => RetryDecision::Retry { after: backoff },
        }
    }
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then send the request again.
    Retry {
        /// The wait.
        after: Duration,
    },
    /// Return this attempt's outcome to the caller.
    Stop(StopReason),
}

impl RetryDecision {
    /// This decision when `remaining` is the time left of the call's deadline: a retry
    /// whose wait would not end before the deadline becomes
    /// [`StopReason::DeadlineReached`] (the last outcome is returned at once rather than
    /// after a wait that could not lead to an answer).
    ///
    /// ```
    /// use std::time::Duration;
    /// use trillet::retry::{RetryDecision, StopReason};
    ///
    /// let retry = RetryDecision::Retry { after: Duration::from_secs(2) };
    /// assert_eq!(retry.within(Duration::from_secs(3)), retry);
    /// assert_eq!(retry.within(Duration::from_secs(2)), RetryDecision::Stop(StopReason::DeadlineReached));
    /// ```
    pub fn within(self, remaining: Duration) -> RetryDecision {
        match self {
            RetryDecision::Retry { after } if after >= remaining => {
                RetryDecision::Stop(StopReason::DeadlineReached)
            }
            other => other,
        }
    }
}

/// Why an attempt's outcome is returned without another try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The outcome is a success, or a failure that another try would not mend or that
    /// might repeat a side effect.
    NotRetryable,
    /// The policy's retries are used up.
    RetriesExhausted,
    /// The server asked to wait longer than [`RetryPolicy::max_retry_after`].
    ServerWaitTooLong {
        /// The wait it asked for.
        asked: Duration,
    },
    /// Another attempt would not start before the call's overall deadline
    /// ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)).
    DeadlineReached,
}
