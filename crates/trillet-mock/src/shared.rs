//! What every connection shares: the routes, the validator, the memory, the clock, the
//! record, the fault rules, the webhook target and its deliveries.

use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard};

use serde_json::Value;
use trillet_spec::SpecValidator;

use crate::clock::SimClock;
use crate::contract::RouteTable;
use crate::faults::FaultRule;
use crate::record::RecordedRequest;
use crate::state::State;
use crate::webhooks::WebhookTarget;

/// The validator the mock checks with: the embedded contract's, or one built from
/// another document.
pub enum Validator {
    /// `SpecValidator::embedded()`.
    Embedded(&'static SpecValidator),
    /// Built from a document given at start.
    Owned(Box<SpecValidator>),
}

impl Validator {
    /// The validator.
    pub fn get(&self) -> &SpecValidator {
        match self {
            Validator::Embedded(v) => v,
            Validator::Owned(v) => v,
        }
    }
}

/// What every connection shares.
pub struct Shared {
    /// The routes of the contract.
    pub routes: RouteTable,
    /// Its validator.
    pub validator: Validator,
    /// The memory.
    pub state: Mutex<State>,
    /// The simulated clock.
    pub clock: SimClock,
    /// Every request received.
    pub record: Mutex<Vec<RecordedRequest>>,
    /// The number of the last request.
    pub seq: AtomicU64,
    /// The fault rules.
    pub faults: Mutex<Vec<FaultRule>>,
    /// Where webhooks go.
    pub webhook: Option<WebhookTarget>,
    /// Every webhook sent, with its answer.
    pub deliveries: Mutex<Vec<Value>>,
}

/// Locks a mutex, also after a panic of another holder (the data stays usable).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
