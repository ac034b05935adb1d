//! What a webhook request carries, as the Trillet docs define it: the header of its
//! signature, and the limits this client sets on that header; and where the secret is
//! read from. A leaf: every other module of the webhook reads these.

/// Name of the header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Trillet-Signature";

/// Environment variable holding the webhook secret ([`WebhookSecret::from_env`](super::WebhookSecret::from_env)).
pub const ENV_WEBHOOK_SECRET: &str = "TRILLET_WEBHOOK_SECRET";

/// Most signatures one `X-Trillet-Signature` header may hold (comma-separated).
pub const MAX_SIGNATURES: usize = 8;

/// Longest `X-Trillet-Signature` header accepted, in bytes: room for
/// [`MAX_SIGNATURES`] `sha256=`-prefixed hex signatures with spaces.
pub const MAX_SIGNATURE_HEADER_LEN: usize = 1024;
