//! The response bodies the mock sends: whole, or cut halfway by the `truncate` fault.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::{Body, Bytes, Frame, SizeHint};

/// A response body: all of it, or its first half followed by an error (the connection is
/// then closed, as a server that died mid-answer would leave it).
#[derive(Debug)]
pub struct MockBody {
    data: Option<Bytes>,
    fail_after: bool,
    /// Before failing, a pause in which hyper writes out the head and the first half.
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

/// The error that ends a truncated body.
#[derive(Debug)]
pub struct Truncated;

impl std::fmt::Display for Truncated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("body truncated by the `truncate` fault")
    }
}

impl std::error::Error for Truncated {}

impl MockBody {
    /// The whole of `data`.
    pub fn full(data: impl Into<Bytes>) -> MockBody {
        MockBody {
            data: Some(data.into()),
            fail_after: false,
            pause: None,
        }
    }

    /// The first half of `data`, then an error.
    pub fn truncated(data: impl Into<Bytes>) -> MockBody {
        let data: Bytes = data.into();
        let half = data.slice(..data.len() / 2);
        MockBody {
            data: Some(half),
            fail_after: true,
            pause: None,
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = Truncated;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Truncated>>> {
        if let Some(data) = self.data.take() {
            if !data.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(data))));
            }
        }
        if self.fail_after {
            let pause = self.pause.get_or_insert_with(|| {
                Box::pin(tokio::time::sleep(std::time::Duration::from_millis(20)))
            });
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.fail_after = false;
            return Poll::Ready(Some(Err(Truncated)));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.fail_after
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, self.fail_after) {
            (Some(data), false) => SizeHint::with_exact(data.len() as u64),
            (None, false) => SizeHint::with_exact(0),
            _ => SizeHint::default(),
        }
    }
}
