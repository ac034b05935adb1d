//! Per-request options: a timeout, a deadline, a retry count or extra headers for one
//! call (or a few), without a second client. [`Client::with_options`] returns a cheap
//! view of the client (same connection pool, same credentials) whose requests use them;
//! every operation, generated or hand-written, and [`Client::request`] honour it.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, InvalidArgument};
use crate::Client;

/// What one call (or a few) does differently from its client: pass it to
/// [`Client::with_options`].
///
/// Every option left unset keeps the client's value. What no option can change:
///
/// - **whether a request may be sent again.** That is its operation's `x-trillet-retry`
///   in the contract (see [`crate::retry`]); [`max_retries`](RequestOptions::max_retries)
///   changes how many times a retryable failure is tried again, never which failures
///   are retryable. A call that places a phone call is never sent again after a timeout
///   or a 5xx, whatever the options say;
/// - **the credentials.** [`header`](RequestOptions::header) refuses `x-api-key` and
///   `x-workspace-id` (and the headers that frame the body), so the headers sent are
///   always the client's own;
/// - the response limits and the refusal of redirects.
///
/// ```no_run
/// use std::time::Duration;
/// use trillet::types::ListCallHistoryQuery;
/// use trillet::RequestOptions;
///
/// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
/// // One slow export with a longer timeout, tried once.
/// let slow = RequestOptions::new().timeout(Duration::from_secs(600)).max_retries(0);
/// let history = client
///     .with_options(slow)?
///     .list_call_history(&ListCallHistoryQuery::default())
///     .await?;
///
/// // A tracing header on one call; the client itself is unchanged.
/// let traced = RequestOptions::new().header("x-correlation-id", "order-1234");
/// client.with_options(traced)?.list_agents().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No option set: the client's values.
    pub fn new() -> RequestOptions {
        RequestOptions::default()
    }

    /// The time allowed for one attempt, response body included (the client's
    /// [`ClientBuilder::timeout`](crate::ClientBuilder::timeout) otherwise).
    ///
    /// A timeout longer than the call's deadline would be cut to it: unless
    /// [`deadline`](RequestOptions::deadline) is set too, the deadline of these calls is
    /// raised to the timeout, so `timeout(10 min)` alone gives one slow call its 10
    /// minutes.
    pub fn timeout(mut self, timeout: Duration) -> RequestOptions {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed for the whole call, every attempt and wait included (the
    /// client's [`ClientBuilder::deadline`](crate::ClientBuilder::deadline) otherwise).
    pub fn deadline(mut self, deadline: Duration) -> RequestOptions {
        self.deadline = Some(deadline);
        self
    }

    /// Retry a retryable failure at most `max_retries` times (0: send once). Which
    /// failures are retryable does not change (see [`RequestOptions`]).
    pub fn max_retries(mut self, max_retries: u32) -> RequestOptions {
        self.max_retries = Some(max_retries);
        self
    }

    /// Send this header too (several calls add several headers; one of the same name as
    /// an earlier one is sent beside it). Checked by [`Client::with_options`], which
    /// refuses the credentials and the framing headers, as
    /// [`Client::with_extra_headers`] does. The value is marked sensitive and never
    /// shown by `Debug`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> RequestOptions {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The attempt timeout set, if any.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The deadline set, if any.
    pub fn get_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The retry count set, if any.
    pub fn get_max_retries(&self) -> Option<u32> {
        self.max_retries
    }
}

/// The names of the headers only: their values can be secrets.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self
            .headers
            .iter()
            .map(|(name, _)| crate::error::mask_phone_numbers(name))
            .collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("headers", &names)
            .finish()
    }
}

impl Client {
    /// A view of this client whose requests use `options`: same connection pool,
    /// credentials and extras, cheap to make (make one per call that needs it). The
    /// client itself is unchanged.
    ///
    /// Fails with [`Error::InvalidArgument`] on a zero timeout or deadline, and on a
    /// header that [`Client::with_extra_headers`] refuses (`x-api-key`,
    /// `x-workspace-id`, `host`, `content-length`, `content-type`, `transfer-encoding`,
    /// `connection`, or a name or value not valid in HTTP); nothing is sent then.
    ///
    /// ```no_run
    /// use trillet::RequestOptions;
    ///
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// // Fail fast instead of retrying: a health check.
    /// let once = client.with_options(RequestOptions::new().max_retries(0))?;
    /// let agents = once.list_agents().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Result<Client, Error> {
        let zero = |what: &str| {
            Error::from(
                InvalidArgument::new("options", format!("the {what} must be longer than zero"))
                    .with_next_step("leave it unset to keep the client's value"),
            )
        };
        if options.timeout.is_some_and(|t| t.is_zero()) {
            return Err(zero("timeout"));
        }
        if options.deadline.is_some_and(|d| d.is_zero()) {
            return Err(zero("deadline"));
        }
        let mut client = if options.headers.is_empty() {
            self.clone()
        } else {
            self.with_extra_headers(options.headers)?
        };
        let transport = &mut client.api.inner;
        if let Some(timeout) = options.timeout {
            transport.attempt_timeout = timeout;
            if options.deadline.is_none() && transport.deadline < timeout {
                transport.deadline = timeout;
            }
        }
        if let Some(deadline) = options.deadline {
            transport.deadline = deadline;
        }
        if let Some(max_retries) = options.max_retries {
            transport.retry = transport.retry.clone().with_max_retries(max_retries);
        }
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::new("key-1234567", "ws-1234567").expect("client")
    }

    #[test]
    fn options_change_the_view_only_and_keep_what_is_unset() {
        let client = client();
        let check = |options: RequestOptions, timeout: u64, deadline: u64, retries: u32| {
            let view = client.with_options(options.clone()).expect("options");
            let got = (
                view.timeout().as_secs(),
                view.deadline().as_secs(),
                view.retry_policy().max_retries(),
            );
            assert_eq!(got, (timeout, deadline, retries), "{options:?}");
        };
        check(RequestOptions::new(), 60, 180, 2);
        check(RequestOptions::new().max_retries(0), 60, 180, 0);
        check(
            RequestOptions::new().timeout(Duration::from_secs(5)),
            5,
            180,
            2,
        );
        // A timeout past the deadline raises the deadline, unless one is given.
        check(
            RequestOptions::new().timeout(Duration::from_secs(600)),
            600,
            600,
            2,
        );
        check(
            RequestOptions::new()
                .timeout(Duration::from_secs(600))
                .deadline(Duration::from_secs(30)),
            600,
            30,
            2,
        );
        assert_eq!(client.timeout().as_secs(), 60, "the client is unchanged");
        assert_eq!(client.retry_policy().max_retries(), 2);
    }

    #[test]
    fn zero_durations_and_credential_headers_are_refused() {
        let client = client();
        for (options, expected) in [
            (
                RequestOptions::new().timeout(Duration::ZERO),
                "timeout must be longer than zero",
            ),
            (
                RequestOptions::new().deadline(Duration::ZERO),
                "deadline must be longer than zero",
            ),
            (
                RequestOptions::new().header("X-Api-Key", "other-key-999"),
                "x-api-key is refused",
            ),
            (
                RequestOptions::new().header("x-workspace-id", "other-ws-999"),
                "x-workspace-id is refused",
            ),
        ] {
            let error = client.with_options(options).expect_err(expected);
            let text = error.to_string();
            assert!(text.contains(expected), "{text}");
            assert!(!text.contains("999"), "{text}");
        }
    }

    #[test]
    fn debug_shows_header_names_never_values() {
        let options = RequestOptions::new().header("x-trace", "secret-value-42");
        let shown = format!("{options:?}");
        assert!(shown.contains("x-trace"), "{shown}");
        assert!(!shown.contains("secret-value-42"), "{shown}");
    }
}
