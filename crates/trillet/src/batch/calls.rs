//! Every call of a batch as one [`Stream`]: [`Client::batch_calls`] fetches the pages of
//! `listBatchCalls` lazily, one request per page as the stream is read, with the same
//! status filter and page size on every page.
//!
//! ```no_run
//! # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
//! use trillet::batch_calls::BatchCallsQuery;
//! use trillet::types::BatchCallStatusFilter;
//!
//! let mut failed = client.batch_calls("batch_7891011121314", BatchCallsQuery::status(BatchCallStatusFilter::Failed));
//! while let Some(call) = failed.next().await {
//!     let call = call?;
//!     println!("{:?}: {:?}", call.job_id, call.error);
//! }
//! # Ok(()) }
//! ```
//!
//! The stream ends after the page whose `pagination.hasNext` is false. Servers that never
//! say so are guarded against too: it also ends on an empty page, after page
//! `totalPages`, and when a page repeats the previous one. An error ends it after being
//! yielded.

use std::collections::VecDeque;
use std::fmt;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{Fuse, StreamExt};

use crate::error::Error;
use crate::types::{BatchCall, BatchCallList, BatchCallStatusFilter};
use crate::Client;

/// Calls per page unless configured otherwise: the API's maximum, so that a batch takes
/// as few requests of the rate limit as possible.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Which calls of a batch to list, and how many per page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchCallsQuery {
    status: Option<BatchCallStatusFilter>,
    page_size: NonZeroU32,
}

impl Default for BatchCallsQuery {
    fn default() -> BatchCallsQuery {
        BatchCallsQuery::all()
    }
}

impl BatchCallsQuery {
    /// Every call, [`DEFAULT_PAGE_SIZE`] per page; no `status` is sent.
    pub fn all() -> BatchCallsQuery {
        BatchCallsQuery {
            status: None,
            page_size: NonZeroU32::new(DEFAULT_PAGE_SIZE).unwrap_or(NonZeroU32::MIN),
        }
    }

    /// Only the calls with this status.
    pub fn status(status: BatchCallStatusFilter) -> BatchCallsQuery {
        BatchCallsQuery {
            status: Some(status),
            ..BatchCallsQuery::all()
        }
    }

    /// `page_size` calls per page (1 to 100; the API caps it at 100).
    pub fn page_size(mut self, page_size: NonZeroU32) -> BatchCallsQuery {
        self.page_size = page_size;
        self
    }
}

impl Client {
    /// Every call of the batch `batch_id` matching `query`, fetched page by page (page 1,
    /// 2, ...) as the stream is read. See the [module](crate::batch_calls) for when it
    /// ends.
    pub fn batch_calls(&self, batch_id: &str, query: BatchCallsQuery) -> BatchCalls {
        let state = PageState {
            client: self.clone(),
            batch_id: batch_id.to_string(),
            query,
            next_page: NonZeroU32::MIN,
            buffered: VecDeque::new(),
            previous_first: None,
            ended: false,
        };
        BatchCalls {
            inner: StreamExt::fuse(
                Box::pin(futures_util::stream::unfold(state, next_call)) as CallStream
            ),
        }
    }
}

/// The [`Stream`] of the calls of a batch ([`Client::batch_calls`]).
pub struct BatchCalls {
    /// Fused: once ended it stays ended (the `unfold` inside must not be polled again).
    inner: Fuse<CallStream>,
}

impl BatchCalls {
    /// The next call, or `None` after the last one (without needing a `StreamExt` trait
    /// in scope).
    pub async fn next(&mut self) -> Option<Result<BatchCall, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining call, in order; the first error instead if a page fails.
    pub async fn collect_all(mut self) -> Result<Vec<BatchCall>, Error> {
        let mut calls = Vec::new();
        while let Some(call) = self.next().await {
            calls.push(call?);
        }
        Ok(calls)
    }
}

/// The stream behind the named type.
type CallStream = Pin<Box<dyn Stream<Item = Result<BatchCall, Error>> + Send>>;

impl Stream for BatchCalls {
    type Item = Result<BatchCall, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl fmt::Debug for BatchCalls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BatchCalls")
    }
}

struct PageState {
    client: Client,
    batch_id: String,
    query: BatchCallsQuery,
    next_page: NonZeroU32,
    buffered: VecDeque<BatchCall>,
    /// The first call of the previous page, to notice a server serving one page forever.
    previous_first: Option<BatchCall>,
    ended: bool,
}

async fn next_call(mut state: PageState) -> Option<(Result<BatchCall, Error>, PageState)> {
    loop {
        if let Some(call) = state.buffered.pop_front() {
            return Some((Ok(call), state));
        }
        if state.ended {
            return None;
        }
        let page = state.next_page;
        let result = state
            .client
            .list_batch_calls(
                &state.batch_id,
                Some(state.query.page_size),
                Some(page),
                state.query.status,
            )
            .await;
        let list = match result {
            Ok(list) => list.into_inner(),
            Err(error) => {
                state.ended = true;
                return Some((Err(error), state));
            }
        };
        state.ended = is_last_page(&list, page, state.previous_first.as_ref());
        tracing::debug!(
            page = page.get(),
            calls = list.calls.len(),
            last = state.ended,
            "batch calls page"
        );
        state.previous_first = list.calls.first().cloned();
        state.buffered.extend(list.calls);
        match page.checked_add(1) {
            Some(next) => state.next_page = next,
            None => state.ended = true,
        }
    }
}

/// Whether no page should be fetched after `page`: the server says there is none, or the
/// page is empty, is the last of `totalPages`, or repeats the previous page.
fn is_last_page(
    list: &BatchCallList,
    page: NonZeroU32,
    previous_first: Option<&BatchCall>,
) -> bool {
    let pagination = list.pagination.as_ref();
    let no_next = pagination.and_then(|p| p.has_next) == Some(false);
    let past_total = pagination
        .and_then(|p| p.total_pages)
        .is_some_and(|total| i64::from(page.get()) >= total);
    let repeated = previous_first.is_some() && list.calls.first() == previous_first;
    no_next || list.calls.is_empty() || past_total || repeated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Pagination;

    fn list(job_ids: &[&str], has_next: Option<bool>, total_pages: Option<i64>) -> BatchCallList {
        BatchCallList {
            calls: job_ids
                .iter()
                .map(|id| BatchCall {
                    job_id: Some(id.to_string()),
                    ..BatchCall::default()
                })
                .collect(),
            pagination: Some(Pagination {
                has_next,
                total_pages,
                ..Pagination::default()
            }),
            ..BatchCallList::default()
        }
    }

    fn page(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).expect("pages start at 1")
    }

    #[test]
    fn the_last_page_is_what_the_server_says_or_what_the_guards_find() {
        let call = |id: &str| BatchCall {
            job_id: Some(id.to_string()),
            ..BatchCall::default()
        };
        assert!(!is_last_page(
            &list(&["a"], Some(true), Some(3)),
            page(1),
            None
        ));
        assert!(is_last_page(
            &list(&["a"], Some(false), Some(3)),
            page(1),
            None
        ));
        assert!(
            is_last_page(&list(&[], Some(true), None), page(1), None),
            "an empty page"
        );
        assert!(
            is_last_page(&list(&["a"], Some(true), Some(3)), page(3), None),
            "page 3 of 3"
        );
        assert!(
            is_last_page(&list(&["a"], Some(true), Some(2)), page(5), None),
            "past totalPages"
        );
        assert!(
            !is_last_page(&list(&["a"], None, None), page(9), None),
            "no pagination: go on until empty"
        );
        assert!(
            is_last_page(
                &list(&["a", "b"], Some(true), None),
                page(2),
                Some(&call("a"))
            ),
            "a repeated page"
        );
        assert!(!is_last_page(
            &list(&["c"], Some(true), None),
            page(2),
            Some(&call("a"))
        ));
    }
}
