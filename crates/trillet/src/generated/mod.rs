//! The code `cargo xtask gen` writes from `openapi/trillet.yaml`, and the hooks that connect
//! it to the hand-written layer. Only this file is hand-written; the others carry an
//! `@generated` header and are never edited (change the spec or `xtask/src/gen/`):
//!
//! - [`progenitor`]: progenitor's client (private to the crate) and the request and
//!   response types (re-exported as `trillet::types`);
//! - `wrappers`: the methods of [`crate::Client`] for the generated operations, each
//!   returning [`crate::Error`];
//! - [`operations`]: every operation, generated or hand-written, with its ids, method, path
//!   template and `x-trillet-retry`.
//!
//! Every request, generated or hand-written, goes through the hooks below: `pre` adds the
//! client's extras, `exec` looks the operation up and hands the request to
//! [`transport::send`].

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::transport::{self, Transport};

#[rustfmt::skip]
pub(crate) mod operations;
#[rustfmt::skip]
pub(crate) mod progenitor;
#[rustfmt::skip]
mod wrappers;

pub(crate) use progenitor::types;

/// The hooks of every request, generated or hand-written (they call them explicitly).
impl ClientHooks<Transport> for progenitor::Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // progenitor adds `api-version: <info.version>` to every request; it is our
        // document's version, not something the Trillet API reads, so it is not sent.
        request.headers_mut().remove("api-version");
        // Before `exec`, which copies the request for its retries: every attempt carries
        // the extras.
        self.inner
            .extras
            .apply(request, info, operations::by_id(info.operation_id))
            .map_err(progenitor_client::Error::InvalidRequest)
    }

    /// Sends the request, again when the operation's `x-trillet-retry` and the retry
    /// policy allow: see [`transport::send`].
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let operation = operations::by_id(info.operation_id);
        transport::send(self.client(), self.inner(), request, info, operation).await
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::operations::{self, OPERATIONS};
    use crate::operation::{HttpMethod, OperationSource, RetrySafety};

    #[test]
    fn every_operation_is_found_by_its_id_and_its_ids_are_unique() {
        let ids: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
        let operation_ids: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.operation_id).collect();
        assert_eq!(ids.len(), OPERATIONS.len());
        assert_eq!(operation_ids.len(), OPERATIONS.len());
        for operation in OPERATIONS {
            assert_eq!(operations::by_id(operation.id), Some(operation));
            let versioned =
                operation.path.starts_with("/v1/api/") || operation.path.starts_with("/v2/api/");
            assert!(versioned, "{operation:?}");
        }
        assert_eq!(operations::by_id("no_such_operation"), None);
    }

    #[test]
    fn no_get_is_side_effecting_and_hand_written_operations_are_uploads() {
        for operation in OPERATIONS {
            if operation.method == HttpMethod::Get {
                assert_eq!(operation.retry, RetrySafety::Idempotent, "{operation:?}");
            }
            if operation.source == OperationSource::HandWritten {
                assert_eq!(operation.method, HttpMethod::Post, "{operation:?}");
            }
        }
        let hand_written = OPERATIONS
            .iter()
            .filter(|op| op.source == OperationSource::HandWritten)
            .count();
        assert_eq!(
            hand_written, 6,
            "the six constants above are every hand-written one"
        );
        assert_eq!(operations::START_BATCH.retry, RetrySafety::SideEffecting);
        assert_eq!(
            operations::VALIDATE_BATCH_CSV.retry,
            RetrySafety::Idempotent
        );
    }
}
