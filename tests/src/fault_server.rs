//! A scripted, misbehaving HTTP/1.1 server on loopback: the proxies, captive portals,
//! load balancers and broken deployments a client meets in the wild, on demand.
//!
//! Each connection carries one request; the server answers the n-th request it receives
//! with the n-th [`Fault`] of its script (the last one repeated) and counts what reached it
//! ([`FaultServer::hits`]). It binds `127.0.0.1` only, and stops by itself: when dropped,
//! after [`MAX_CONNECTIONS`] connections, or after [`MAX_LIFETIME`]. Every wait and every
//! body it sends is bounded.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The server stops accepting after this many connections.
pub const MAX_CONNECTIONS: usize = 64;
/// The server stops after this long, whatever happens.
pub const MAX_LIFETIME: Duration = Duration::from_secs(60);
/// Largest request head (request line and headers) read.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body read.
const MAX_REQUEST_BODY: usize = 32 * 1024 * 1024;
/// Size of each write of a long body.
const CHUNK: usize = 64 * 1024;

/// A complete answer: status line, headers and body.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Length` and `Connection`.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A reply with a JSON body.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A reply with a body of the given content type.
    pub fn typed(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// This reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answers properly.
    Respond(Reply),
    /// Closes the connection without reading the request (a reset before it was read).
    ResetBeforeRequest,
    /// Reads the whole request, then closes without answering.
    ResetAfterRequest,
    /// Sends the head with the full `Content-Length`, then only `sent` bytes, then closes.
    TruncatedBody {
        /// The reply whose body is cut.
        reply: Reply,
        /// Bytes of the body actually sent.
        sent: usize,
    },
    /// Sends the head and `sent` bytes of the body, then waits `stall`, then closes.
    StalledBody {
        /// The reply whose body stalls.
        reply: Reply,
        /// Bytes sent before the stall.
        sent: usize,
        /// How long nothing is sent.
        stall: Duration,
    },
    /// Sends the head, then the body one byte every `every` (at most `max_bytes` bytes).
    TrickledBody {
        /// The reply trickled.
        reply: Reply,
        /// The pause between bytes.
        every: Duration,
        /// Bytes sent at most before closing.
        max_bytes: usize,
    },
    /// Streams a body of `size` bytes: `prefix`, then `fill` bytes, then `suffix` (a JSON
    /// document when the three make one), with or without a `Content-Length`.
    HugeBody {
        /// The status code.
        status: u16,
        /// Total size of the body.
        size: usize,
        /// The start of the body.
        prefix: &'static str,
        /// The byte repeated in the middle.
        fill: u8,
        /// The end of the body.
        suffix: &'static str,
        /// Whether `Content-Length` is sent (else the body is chunked).
        declare_length: bool,
    },
}

/// One request the server read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The path and query, e.g. `/v1/api/calls/call`.
    pub target: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Hit {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The value of a header, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Record {
    connections: usize,
    hits: Vec<Hit>,
    body_bytes_sent: usize,
}

/// A running scripted server; stops when dropped.
pub struct FaultServer {
    address: SocketAddr,
    record: Arc<Mutex<Record>>,
    task: JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server on `127.0.0.1` answering the n-th request with `script[n]` (the
    /// last fault repeated).
    pub async fn start(script: Vec<Fault>) -> FaultServer {
        assert!(!script.is_empty(), "a script needs at least one fault");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let record = Arc::new(Mutex::new(Record::default()));
        let shared = Arc::clone(&record);
        let task = tokio::spawn(async move {
            let serve = async {
                for _ in 0..MAX_CONNECTIONS {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let number = {
                        let mut record = shared.lock().expect("record");
                        record.connections += 1;
                        record.connections - 1
                    };
                    let fault = script[number.min(script.len() - 1)].clone();
                    tokio::spawn(serve_one(stream, fault, Arc::clone(&shared)));
                }
            };
            let _ = tokio::time::timeout(MAX_LIFETIME, serve).await;
        });
        FaultServer {
            address,
            record,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `http://localhost:<port>`: the same server under another host name, so a
    /// redirect there is a redirect to another host.
    pub fn other_host_url(&self) -> String {
        format!("http://localhost:{}", self.address.port())
    }

    /// The connections accepted.
    pub fn connections(&self) -> usize {
        self.record.lock().expect("record").connections
    }

    /// The requests read, in order.
    pub fn hits(&self) -> Vec<Hit> {
        self.record.lock().expect("record").hits.clone()
    }

    /// The bytes of response bodies written to the socket so far (what the kernel took;
    /// a client that stops reading stops this).
    pub fn body_bytes_sent(&self) -> usize {
        self.record.lock().expect("record").body_bytes_sent
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head and `Content-Length` body), bounded.
async fn read_request(stream: &mut TcpStream) -> Option<Hit> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST_BODY);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Hit {
        method,
        target,
        headers,
        body,
    })
}

fn head(status: u16, headers: &[(String, String)], length: Option<usize>) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} Scripted\r\nconnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    match length {
        Some(length) => text.push_str(&format!("content-length: {length}\r\n")),
        None => text.push_str("transfer-encoding: chunked\r\n"),
    }
    text.push_str("\r\n");
    text.into_bytes()
}

async fn serve_one(mut stream: TcpStream, fault: Fault, record: Arc<Mutex<Record>>) {
    if matches!(fault, Fault::ResetBeforeRequest) {
        // Unread data at close makes the kernel send a reset.
        let _ = stream.set_zero_linger();
        return;
    }
    let Some(hit) = read_request(&mut stream).await else {
        return;
    };
    record.lock().expect("record").hits.push(hit);
    let sent = |n: usize| record.lock().expect("record").body_bytes_sent += n;
    match fault {
        Fault::ResetBeforeRequest => {}
        Fault::ResetAfterRequest => {
            let _ = stream.set_zero_linger();
        }
        Fault::Respond(reply) => {
            let mut bytes = head(reply.status, &reply.headers, Some(reply.body.len()));
            bytes.extend_from_slice(&reply.body);
            if stream.write_all(&bytes).await.is_ok() {
                sent(reply.body.len());
            }
        }
        Fault::TruncatedBody { reply, sent: part } => {
            let part = part.min(reply.body.len());
            let mut bytes = head(reply.status, &reply.headers, Some(reply.body.len()));
            bytes.extend_from_slice(&reply.body[..part]);
            if stream.write_all(&bytes).await.is_ok() {
                sent(part);
            }
        }
        Fault::StalledBody {
            reply,
            sent: part,
            stall,
        } => {
            let part = part.min(reply.body.len());
            let mut bytes = head(reply.status, &reply.headers, Some(reply.body.len()));
            bytes.extend_from_slice(&reply.body[..part]);
            if stream.write_all(&bytes).await.is_ok() {
                sent(part);
                tokio::time::sleep(stall.min(MAX_LIFETIME)).await;
            }
        }
        Fault::TrickledBody {
            reply,
            every,
            max_bytes,
        } => {
            let bytes = head(reply.status, &reply.headers, Some(reply.body.len()));
            if stream.write_all(&bytes).await.is_err() {
                return;
            }
            for byte in reply.body.iter().take(max_bytes) {
                tokio::time::sleep(every).await;
                if stream.write_all(&[*byte]).await.is_err() {
                    return;
                }
                sent(1);
            }
        }
        Fault::HugeBody {
            status,
            size,
            prefix,
            fill,
            suffix,
            declare_length,
        } => {
            let headers = [("content-type".to_string(), "application/json".to_string())];
            let length = declare_length.then_some(size);
            if stream
                .write_all(&head(status, &headers, length))
                .await
                .is_err()
            {
                return;
            }
            let middle = size.saturating_sub(prefix.len() + suffix.len());
            let filler = vec![fill; CHUNK];
            let mut pieces: Vec<&[u8]> = vec![prefix.as_bytes()];
            let mut left = middle;
            while left > 0 {
                let n = left.min(CHUNK);
                pieces.push(&filler[..n]);
                left -= n;
            }
            pieces.push(suffix.as_bytes());
            for piece in pieces.into_iter().filter(|p| !p.is_empty()) {
                let framed = if declare_length {
                    piece.to_vec()
                } else {
                    let mut framed = format!("{:x}\r\n", piece.len()).into_bytes();
                    framed.extend_from_slice(piece);
                    framed.extend_from_slice(b"\r\n");
                    framed
                };
                if stream.write_all(&framed).await.is_err() {
                    return;
                }
                sent(piece.len());
            }
            if !declare_length {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
        }
    }
    let _ = stream.shutdown().await;
}
