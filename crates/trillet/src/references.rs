//! Accessors for references the API returns in more than one shape.
//!
//! The docs show references to other resources as identifiers; the live API often
//! returns them populated as objects (a call flow's `agent` is `{_id, name}` in lists,
//! a phone number's `agentId` may be an object or `null`, a purchase returns the bare
//! E.164 number where the docs show a record). The contract decodes every shape; these
//! accessors give what callers want from any of them.
//!
//! ```
//! use trillet::types::CallFlow;
//!
//! let listed: CallFlow = serde_json::from_str(
//!     r#"{"_id": "f1", "agent": {"_id": "6a01", "name": "Front Desk"}}"#,
//! )?;
//! let fetched: CallFlow = serde_json::from_str(r#"{"_id": "f1", "agent": "6a01"}"#)?;
//! assert_eq!(listed.agent.as_ref().map(|a| a.id()), Some("6a01"));
//! assert_eq!(fetched.agent.as_ref().map(|a| a.id()), Some("6a01"));
//! assert_eq!(listed.agent.as_ref().and_then(|a| a.name()), Some("Front Desk"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::types::{AgentReference, PhoneNumberReference, PurchasedPhoneNumberPhoneNumber};

impl AgentReference {
    /// The agent's identifier, whichever shape the server sent.
    pub fn id(&self) -> &str {
        match self {
            AgentReference::String(id) => id,
            AgentReference::AgentSummary(agent) => &agent.id,
        }
    }

    /// The agent's name, when the server populated the reference.
    pub fn name(&self) -> Option<&str> {
        match self {
            AgentReference::String(_) => None,
            AgentReference::AgentSummary(agent) => agent.name.as_deref(),
        }
    }
}

impl PhoneNumberReference {
    /// The phone-number record's identifier (`_id`), when the server sent one.
    pub fn id(&self) -> Option<&str> {
        match self {
            PhoneNumberReference::String(id) => Some(id),
            PhoneNumberReference::PhoneNumberRecord(record) => record.id.as_deref(),
        }
    }
}

impl PurchasedPhoneNumberPhoneNumber {
    /// The E.164 number bought, from either shape.
    pub fn number(&self) -> Option<&str> {
        match self {
            PurchasedPhoneNumberPhoneNumber::Text(number) => Some(number.as_str()),
            PurchasedPhoneNumberPhoneNumber::Record(record) => {
                record.phone_number.as_ref().map(|n| n.as_str())
            }
        }
    }

    /// The identifier of the number's record, when the server returned the record. The
    /// live API returns the bare number: find its record with `listUserPhoneNumbers`,
    /// where it appears a few seconds after the purchase.
    pub fn record_id(&self) -> Option<&str> {
        match self {
            PurchasedPhoneNumberPhoneNumber::Text(_) => None,
            PurchasedPhoneNumberPhoneNumber::Record(record) => record.id.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::types::{CallFlow, PhoneNumberRecord, PurchasedPhoneNumber};

    fn agent_of(flow: &str) -> Option<(String, Option<String>)> {
        let flow: CallFlow = serde_json::from_str(flow).expect("a call flow");
        flow.agent
            .map(|a| (a.id().to_string(), a.name().map(str::to_string)))
    }

    #[test]
    fn an_agent_reference_gives_its_id_in_every_shape() {
        let both = Some(("6a01".to_string(), Some("Desk".to_string())));
        assert_eq!(
            agent_of(r#"{"_id":"f","agent":{"_id":"6a01","name":"Desk"}}"#),
            both
        );
        assert_eq!(
            agent_of(r#"{"_id":"f","agent":"6a01"}"#),
            Some(("6a01".into(), None))
        );
        assert_eq!(agent_of(r#"{"_id":"f","agent":null}"#), None);
        assert_eq!(agent_of(r#"{"_id":"f"}"#), None);
    }

    #[test]
    fn a_phone_number_record_decodes_a_populated_or_null_agent() {
        for body in [
            r#"{"_id":"n1","agentId":{"_id":"6a01","name":"Desk","extra":1}}"#,
            r#"{"_id":"n1","agentId":"6a01"}"#,
        ] {
            let record: PhoneNumberRecord = serde_json::from_str(body).expect(body);
            assert_eq!(record.agent_id.as_ref().map(|a| a.id()), Some("6a01"));
        }
        let none: PhoneNumberRecord =
            serde_json::from_str(r#"{"_id":"n1","agentId":null}"#).expect("null agent");
        assert!(none.agent_id.is_none());
    }

    #[test]
    fn a_purchase_gives_its_number_in_either_shape() {
        let live: PurchasedPhoneNumber =
            serde_json::from_str(r#"{"success":true,"phoneNumber":"+15555550101"}"#)
                .expect("live shape");
        let docs: PurchasedPhoneNumber = serde_json::from_str(
            r#"{"success":true,"phoneNumber":{"_id":"n1","phoneNumber":"+15555550101"}}"#,
        )
        .expect("docs shape");
        for (purchase, record) in [(live, None), (docs, Some("n1"))] {
            let number = purchase.phone_number.expect("a number");
            assert_eq!(number.number(), Some("+15555550101"));
            assert_eq!(number.record_id(), record);
        }
    }
}
