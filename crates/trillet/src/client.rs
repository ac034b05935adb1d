//! Construction and configuration of [`Client`]: credentials, base URL, timeouts, user
//! agent (the hooks every request goes through are in `generated/mod.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use progenitor_client::ClientInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::bounded_body::{Credentials, ResponseLimits};
use crate::error::Error;
use crate::extras::RequestExtras;
use crate::generated::progenitor;
use crate::retry::RetryPolicy;
use crate::transport::Transport;

/// Where requests go unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.trillet.ai";
/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one attempt of a request, upload and response included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default time allowed for a whole call: every attempt and every wait between them.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(180);
/// Default `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!("trillet-rust/", env!("CARGO_PKG_VERSION"));

/// Environment variable holding the API key ([`Client::from_env`]).
pub const ENV_API_KEY: &str = "TRILLET_API_KEY";
/// Environment variable holding the workspace id ([`Client::from_env`]).
pub const ENV_WORKSPACE_ID: &str = "TRILLET_WORKSPACE_ID";
/// Optional environment variable overriding the base URL ([`Client::from_env`]).
pub const ENV_BASE_URL: &str = "TRILLET_BASE_URL";

const API_KEY_HEADER: &str = "x-api-key";
const WORKSPACE_ID_HEADER: &str = "x-workspace-id";
const REDACTED: &str = "<redacted>";

/// A client of the Trillet API.
///
/// Every operation of `openapi/trillet.yaml` is a method: the generated ones
/// (`create_agent`, `get_batch`, ...) and the hand-written uploads
/// ([`start_batch`](Client::start_batch), ...). All of them send `x-api-key` and
/// `x-workspace-id`, go through the same connection pool, hooks and [`RetryPolicy`], and
/// fail with [`Error`]. Cheap to clone: clones share the connection pool.
///
/// `Debug` never shows the API key; it shows the workspace id, which identifies but
/// grants nothing (it is in every response's `workspaceId` too).
#[derive(Clone)]
pub struct Client {
    /// progenitor's client; the generated wrappers (`generated/wrappers.rs`) call it.
    pub(crate) api: progenitor::Client,
    workspace_id: String,
    connect_timeout: Duration,
    user_agent: String,
}

impl Client {
    /// A client for `https://api.trillet.ai` with default timeouts.
    ///
    /// Fails only when a credential can't be an HTTP header value (control characters)
    /// or the TLS backend can't start.
    pub fn new(
        api_key: impl Into<String>,
        workspace_id: impl Into<String>,
    ) -> Result<Client, Error> {
        Client::builder(api_key, workspace_id).build()
    }

    /// A client configured from `TRILLET_API_KEY`, `TRILLET_WORKSPACE_ID` and, if set,
    /// `TRILLET_BASE_URL`. The error names the variable that is missing or empty.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// A builder, to change the base URL, timeouts or user agent.
    pub fn builder(api_key: impl Into<String>, workspace_id: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            api_key: api_key.into(),
            workspace_id: workspace_id.into(),
            base_url: DEFAULT_BASE_URL.to_string(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            limits: ResponseLimits::default(),
            allow_plain_http: false,
            user_agent: DEFAULT_USER_AGENT.to_string(),
            retry_policy: RetryPolicy::new(),
            configure_http: None,
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.api.baseurl()
    }

    /// The workspace every request acts on.
    pub fn workspace_id(&self) -> &str {
        &self.workspace_id
    }

    /// When failed requests are sent again (see [`crate::retry`]).
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.api.inner.retry
    }

    /// How much of a response is read ([`ClientBuilder::max_response_bytes`],
    /// [`ClientBuilder::max_error_body_bytes`]).
    pub fn response_limits(&self) -> ResponseLimits {
        self.api.inner.limits
    }

    /// The time allowed for one attempt, body included ([`ClientBuilder::timeout`]).
    pub fn timeout(&self) -> Duration {
        self.api.inner.attempt_timeout
    }

    /// The time allowed for a whole call, retries and waits included
    /// ([`ClientBuilder::deadline`]).
    pub fn deadline(&self) -> Duration {
        self.api.inner.deadline
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("workspace_id", &self.workspace_id)
            .field("api_key", &REDACTED)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout())
            .field("deadline", &self.deadline())
            .field("response_limits", &self.response_limits())
            .field("user_agent", &self.user_agent)
            .field("retry_policy", self.retry_policy())
            // The names only: values can hold prompts, secrets and phone numbers.
            .field("extra_body", &self.api.inner.extras.body_names())
            .field("extra_query", &self.api.inner.extras.query_names())
            .field("extra_headers", &self.api.inner.extras.header_names())
            .finish()
    }
}

/// Configuration of a [`Client`]; `Debug` never shows the API key.
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: String,
    workspace_id: String,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Duration,
    limits: ResponseLimits,
    allow_plain_http: bool,
    user_agent: String,
    retry_policy: RetryPolicy,
    configure_http: Option<ConfigureHttp>,
}

/// The caller's settings of the HTTP client ([`ClientBuilder::configure_http_client`]).
type ConfigureHttp =
    Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static>;

impl ClientBuilder {
    /// A builder from `TRILLET_API_KEY`, `TRILLET_WORKSPACE_ID` and, if set,
    /// `TRILLET_BASE_URL`, to adjust further before [`build`](ClientBuilder::build).
    pub fn from_env() -> Result<ClientBuilder, Error> {
        let api_key = required_env(ENV_API_KEY)?;
        let workspace_id = required_env(ENV_WORKSPACE_ID)?;
        let mut builder = Client::builder(api_key, workspace_id);
        match std::env::var(ENV_BASE_URL) {
            Ok(url) if !url.trim().is_empty() => builder = builder.base_url(url),
            Ok(_) | Err(std::env::VarError::NotPresent) => {}
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::Config(format!("{ENV_BASE_URL} is not valid UTF-8")));
            }
        }
        Ok(builder)
    }

    /// Send requests to this URL instead of `https://api.trillet.ai` (scheme and host,
    /// optionally a port and a path prefix). It must be `https://`, or `http://` to a
    /// loopback host (`localhost`, `127.0.0.0/8`, `[::1]`) unless
    /// [`allow_plain_http`](ClientBuilder::allow_plain_http) is set; it must not carry a
    /// user name, password, query or fragment. [`build`](ClientBuilder::build) checks it.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = url.into();
        self
    }

    /// Allow a plain `http://` base URL to a host that is not loopback. Off by default:
    /// over plain HTTP the API key, the workspace id and every phone number cross the
    /// network readable by anyone on the way. Turn it on only for a trusted network (a
    /// test mock on another container, say).
    pub fn allow_plain_http(mut self, allow: bool) -> ClientBuilder {
        self.allow_plain_http = allow;
        self
    }

    /// The largest success body decoded (default 64 MiB); a longer one fails the call
    /// with [`Error::ResponseTooLarge`] without being read further. Bodies are read as a
    /// stream, so a call never holds more than this (plus its decoded value).
    pub fn max_response_bytes(mut self, limit: usize) -> ClientBuilder {
        self.limits.max_body = limit;
        self
    }

    /// The largest part of an error body kept (default 64 KiB): the rest is dropped
    /// unread, and [`ApiError::body_truncated`](crate::ApiError::body_truncated) says so.
    pub fn max_error_body_bytes(mut self, limit: usize) -> ClientBuilder {
        self.limits.max_error_body = limit;
        self
    }

    /// The time allowed for a whole call (default 3 minutes): every attempt, every wait
    /// between them, and the response bodies. Each attempt's timeout is cut to what
    /// remains, and no retry starts whose wait would end after it; the call then fails
    /// with the last attempt's error ([`Error::Timeout`] when the time ran out during an
    /// attempt).
    pub fn deadline(mut self, deadline: Duration) -> ClientBuilder {
        self.deadline = deadline;
        self
    }

    /// Time allowed to open a connection (default 5 s). A connection that can't be opened
    /// in time is retried, even for requests that place calls: nothing was sent.
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt of a request, from sending to the end of the response
    /// body (default 60 s; never more than what remains of the
    /// [`deadline`](ClientBuilder::deadline)). An attempt that runs out of time fails with
    /// [`Error::Timeout`]; it is retried only for requests that are safe to repeat (never
    /// `sendCall`, `initiateCall`, `startBatch`, `createAgent`, `createCallFlow`).
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = timeout;
        self
    }

    /// When failed requests are sent again (default [`RetryPolicy::new`]: 2 retries,
    /// exponential backoff with jitter, `Retry-After` honoured; see [`crate::retry`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry_policy = policy;
        self
    }

    /// Retry failed requests at most `max_retries` times (default 2; 0 disables retries),
    /// keeping the rest of the retry policy.
    pub fn max_retries(mut self, max_retries: u32) -> ClientBuilder {
        self.retry_policy = self.retry_policy.with_max_retries(max_retries);
        self
    }

    /// Your own settings of the HTTP client: proxies, root certificates and client
    /// identities, TLS versions, connection-pool sizes and idle timeouts, TCP keepalive,
    /// a DNS resolver, a local address, HTTP/2 tuning: anything of
    /// [`reqwest::ClientBuilder`]. `configure` receives a fresh reqwest builder and
    /// returns it configured; [`build`](ClientBuilder::build) then sets on top what this
    /// crate's guarantees rest on, replacing what `configure` set for them:
    ///
    /// - no redirect is ever followed ([`reqwest::redirect::Policy::none`]): a redirect
    ///   followed would send `x-api-key` to the host `Location` names (reqwest strips
    ///   only `Authorization` and cookies across hosts) and send a call-placing `POST`
    ///   twice (307/308 keep the body); a 3xx is [`Error::Redirect`];
    /// - no retry of reqwest's own: every retry is [`RetryPolicy`]'s;
    /// - the credentials `x-api-key` and `x-workspace-id` as default headers, marked
    ///   sensitive (a default header of yours with either name is replaced);
    /// - [`connect_timeout`](ClientBuilder::connect_timeout),
    ///   [`timeout`](ClientBuilder::timeout) and [`user_agent`](ClientBuilder::user_agent)
    ///   from this builder.
    ///
    /// The response limits, the scrubbing of error bodies and the retry safety of each
    /// operation are the transport's, above the HTTP client, so they hold whatever
    /// `configure` does. Why a function rather than a built `reqwest::Client`: a built
    /// client's redirect policy can't be read or changed, so the guarantees above could
    /// not be kept. `configure` runs once per [`build`](ClientBuilder::build).
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let proxy = reqwest::Proxy::https("http://proxy.internal:3128")?;
    /// let client = trillet::Client::builder("api-key", "workspace-id")
    ///     .configure_http_client(move |http| {
    ///         http.proxy(proxy.clone())
    ///             .pool_max_idle_per_host(4)
    ///             .pool_idle_timeout(Duration::from_secs(30))
    ///     })
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn configure_http_client<F>(mut self, configure: F) -> ClientBuilder
    where
        F: Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    {
        self.configure_http = Some(Arc::new(configure));
        self
    }

    /// The `User-Agent` header (default `trillet-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> ClientBuilder {
        self.user_agent = user_agent.into();
        self
    }

    /// The client. Fails with [`Error::Config`] on a base URL that is not acceptable (see
    /// [`base_url`](ClientBuilder::base_url)), a zero timeout or deadline, a credential
    /// that can't be a header value, or a TLS backend that can't start.
    ///
    /// The client never follows redirects: the Trillet API does not redirect, and a
    /// redirect followed would send the credentials and the body (with phone numbers) to
    /// wherever the `Location` points, or send a call-placing request twice. A 3xx fails
    /// the call with [`Error::Redirect`].
    pub fn build(self) -> Result<Client, Error> {
        let base_url = checked_base_url(&self.base_url, self.allow_plain_http)?;
        if self.timeout.is_zero() || self.deadline.is_zero() {
            return Err(Error::Config(
                "the timeout and the deadline must be longer than zero".to_string(),
            ));
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static(API_KEY_HEADER),
            secret_header(&self.api_key, "the API key")?,
        );
        headers.insert(
            HeaderName::from_static(WORKSPACE_ID_HEADER),
            secret_header(&self.workspace_id, "the workspace id")?,
        );
        let http = match &self.configure_http {
            Some(configure) => configure(reqwest::ClientBuilder::new()),
            None => reqwest::ClientBuilder::new(),
        };
        let http = http
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            // Every retry is our policy's decision (crate::retry), none reqwest's own.
            .retry(reqwest::retry::never())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .user_agent(self.user_agent.clone())
            .build()
            .map_err(|_| Error::Config("cannot start the HTTP client (TLS backend)".to_string()))?;
        let credentials = Credentials::new([self.api_key.as_str(), self.workspace_id.as_str()]);
        Ok(Client {
            api: progenitor::Client::new_with_client(
                &base_url,
                http,
                Transport {
                    retry: self.retry_policy,
                    limits: self.limits,
                    attempt_timeout: self.timeout,
                    deadline: self.deadline,
                    credentials,
                    extras: RequestExtras::default(),
                },
            ),
            workspace_id: self.workspace_id,
            connect_timeout: self.connect_timeout,
            user_agent: self.user_agent,
        })
    }
}

/// The base URL without a trailing `/`, or why it is refused.
fn checked_base_url(url: &str, allow_plain_http: bool) -> Result<String, Error> {
    let base_url = url.trim().trim_end_matches('/').to_string();
    // The URL itself is not shown: it may carry a password.
    let parsed = reqwest::Url::parse(&base_url)
        .map_err(|e| Error::Config(format!("the base URL is not a URL ({e})")))?;
    let refuse = |why: &str| Err(Error::Config(format!("the base URL {why}")));
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return refuse("must not carry a user name or password: credentials go in Client::new");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return refuse("must not have a query (`?...`) or fragment (`#...`)");
    }
    let Some(host) = parsed.host_str() else {
        return refuse("has no host");
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match parsed.scheme() {
        "https" => Ok(base_url),
        "http" if loopback || allow_plain_http => Ok(base_url),
        "http" => refuse(&format!(
            "is plain http:// to {}, which would send the API key unencrypted: use https://, \
             or ClientBuilder::allow_plain_http(true) for a trusted network",
            host
        )),
        _ => refuse("must start with https:// (or http:// for a loopback host)"),
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("workspace_id", &self.workspace_id)
            .field("api_key", &REDACTED)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("limits", &self.limits)
            .field("allow_plain_http", &self.allow_plain_http)
            .field("user_agent", &self.user_agent)
            .field("retry_policy", &self.retry_policy)
            .field("http_client_configured", &self.configure_http.is_some())
            .finish()
    }
}

fn required_env(name: &str) -> Result<String, Error> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value.trim().to_string()),
        Ok(_) => Err(Error::Config(format!(
            "environment variable {name} is empty"
        ))),
        Err(std::env::VarError::NotPresent) => Err(Error::Config(format!(
            "environment variable {name} is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Config(format!(
            "environment variable {name} is not valid UTF-8"
        ))),
    }
}

/// A header value marked sensitive, so reqwest and HTTP/2 never log or index it. Both
/// credentials are marked: the workspace id is not a secret, but it need not be logged.
fn secret_header(value: &str, what: &str) -> Result<HeaderValue, Error> {
    let mut header = HeaderValue::from_str(value).map_err(|_| {
        Error::Config(format!(
            "{what} contains characters not allowed in an HTTP header"
        ))
    })?;
    header.set_sensitive(true);
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Ok(base URL)` or the start of the refusal, for `url` with `allow_plain_http`.
    fn check(url: &str, allow_plain_http: bool, expected: Result<&str, &str>) {
        let got = checked_base_url(url, allow_plain_http).map_err(|e| e.to_string());
        match (&got, expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{url}"),
            (Err(got), Err(want)) => assert!(got.contains(want), "{url}: {got}"),
            _ => panic!("{url}: got {got:?}, expected {expected:?}"),
        }
        if let Err(message) = got {
            assert!(!message.contains("hunter2"), "{message}");
        }
    }

    #[test]
    fn base_urls_are_https_or_loopback_and_carry_no_credentials() {
        check(
            "https://api.trillet.ai/",
            false,
            Ok("https://api.trillet.ai"),
        );
        check(
            "https://eu.example.com/prefix",
            false,
            Ok("https://eu.example.com/prefix"),
        );
        check("http://localhost:8080", false, Ok("http://localhost:8080"));
        check("http://127.0.0.5:9", false, Ok("http://127.0.0.5:9"));
        check("http://[::1]:3000", false, Ok("http://[::1]:3000"));
        check(
            "http://api.trillet.ai",
            false,
            Err("plain http:// to api.trillet.ai"),
        );
        check(
            "http://10.0.0.7",
            false,
            Err("ClientBuilder::allow_plain_http(true)"),
        );
        check(
            "http://mock.internal:80",
            true,
            Ok("http://mock.internal:80"),
        );
        check(
            "https://me:hunter2@api.trillet.ai",
            false,
            Err("user name or password"),
        );
        check(
            "https://me@api.trillet.ai",
            false,
            Err("user name or password"),
        );
        check("https://api.trillet.ai/?key=hunter2", false, Err("query"));
        check("https://api.trillet.ai/#hunter2", false, Err("fragment"));
        check(
            "ftp://api.trillet.ai",
            false,
            Err("must start with https://"),
        );
        check("api.trillet.ai", false, Err("not a URL"));
    }

    #[test]
    fn a_zero_timeout_or_deadline_is_refused() {
        for builder in [
            Client::builder("key-1234", "ws-1234").timeout(Duration::ZERO),
            Client::builder("key-1234", "ws-1234").deadline(Duration::ZERO),
        ] {
            let error = builder.build().expect_err("zero");
            assert!(error.to_string().contains("longer than zero"), "{error}");
        }
    }
}
