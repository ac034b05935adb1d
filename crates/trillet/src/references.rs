//! Accessors for fields the API returns in more than one shape.
//!
//! The docs show references to other resources as identifiers; the live API often
//! returns them populated as objects (a call flow's `agent` is `{_id, name}` in lists, a
//! phone number's `agentId` may be an object or `null`, a purchase returns the bare E.164
//! number where the docs show a record, a call's `cost` is a number in lists and an
//! object in the single record). The contract leaves such fields untyped, because that
//! is the only form that decodes in every generator other teams use; these accessors
//! give what callers want from any of the shapes.
//!
//! ```
//! use trillet::types::CallFlow;
//!
//! let listed: CallFlow = serde_json::from_str(
//!     r#"{"_id": "f1", "agent": {"_id": "6a01", "name": "Front Desk"}}"#,
//! )?;
//! let fetched: CallFlow = serde_json::from_str(r#"{"_id": "f1", "agent": "6a01"}"#)?;
//! assert_eq!(listed.agent_id(), Some("6a01"));
//! assert_eq!(fetched.agent_id(), Some("6a01"));
//! assert_eq!(listed.agent_name(), Some("Front Desk"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde_json::Value;

use crate::types::{
    Agent, AgentReference, CallFlow, CallHistoryRecord, PhoneNumberRecord, PhoneNumberReference,
    PurchasedPhoneNumber,
};

/// The identifier of a reference: the string itself, or the `_id` of a populated object.
pub fn reference_id(reference: &Value) -> Option<&str> {
    match reference {
        Value::String(id) => Some(id),
        Value::Object(object) => object.get("_id").and_then(Value::as_str),
        _ => None,
    }
}

/// The `name` of a populated reference (`None` for an identifier).
fn reference_name(reference: &Value) -> Option<&str> {
    reference.get("name").and_then(Value::as_str)
}

impl AgentReference {
    /// The agent's identifier, whichever shape the server sent (`None` for `null`).
    pub fn id(&self) -> Option<&str> {
        reference_id(&self.0)
    }

    /// The agent's name, when the server populated the reference.
    pub fn name(&self) -> Option<&str> {
        reference_name(&self.0)
    }
}

impl PhoneNumberReference {
    /// The phone-number record's identifier, whichever shape the server sent.
    pub fn id(&self) -> Option<&str> {
        reference_id(&self.0)
    }
}

impl CallFlow {
    /// The identifier of the flow's agent, whether the server sent an id or the agent.
    pub fn agent_id(&self) -> Option<&str> {
        self.agent.as_ref().and_then(AgentReference::id)
    }

    /// The name of the flow's agent, when the server populated it.
    pub fn agent_name(&self) -> Option<&str> {
        self.agent.as_ref().and_then(AgentReference::name)
    }
}

impl PhoneNumberRecord {
    /// The identifier of the number's call agent, whether the server sent an id or the agent.
    pub fn agent_id(&self) -> Option<&str> {
        self.agent_id.as_ref().and_then(AgentReference::id)
    }
}

impl Agent {
    /// The identifiers of the agent's phone numbers, whether the server sent ids or records.
    pub fn phone_number_record_ids(&self) -> impl Iterator<Item = &str> {
        self.phone_number_ids
            .iter()
            .filter_map(PhoneNumberReference::id)
    }
}

impl PurchasedPhoneNumber {
    /// The E.164 number bought, from either shape.
    pub fn number(&self) -> Option<&str> {
        match self.phone_number.as_ref()? {
            Value::String(number) => Some(number),
            record => record.get("phoneNumber").and_then(Value::as_str),
        }
    }

    /// The identifier of the number's record, when the server returned the record. The
    /// live API returns the bare number: find its record with `listUserPhoneNumbers`,
    /// where it appears a few seconds after the purchase.
    pub fn record_id(&self) -> Option<&str> {
        self.phone_number
            .as_ref()
            .filter(|value| value.is_object())
            .and_then(reference_id)
    }
}

impl CallHistoryRecord {
    /// What the call cost the customer: the number of a list item, or the
    /// `customer_charge` of the single record.
    pub fn cost_amount(&self) -> Option<f64> {
        match self.cost.as_ref()? {
            Value::Number(amount) => amount.as_f64(),
            cost => cost.get("customer_charge").and_then(Value::as_f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::types::{
        Agent, CallFlow, CallHistoryRecord, PhoneNumberRecord, PurchasedPhoneNumber,
    };

    fn decode<T: serde::de::DeserializeOwned>(json: &str) -> T {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn an_agent_reference_gives_its_id_in_every_shape() {
        let check = |json: &str, id: Option<&str>, name: Option<&str>| {
            let flow: CallFlow = decode(json);
            assert_eq!((flow.agent_id(), flow.agent_name()), (id, name), "{json}");
        };
        check(
            r#"{"_id":"f","agent":{"_id":"6a01","name":"Desk"}}"#,
            Some("6a01"),
            Some("Desk"),
        );
        check(r#"{"_id":"f","agent":"6a01"}"#, Some("6a01"), None);
        check(r#"{"_id":"f","agent":null}"#, None, None);
        check(r#"{"_id":"f"}"#, None, None);
    }

    #[test]
    fn a_phone_number_record_decodes_a_populated_or_null_agent() {
        for (json, id) in [
            (
                r#"{"_id":"n1","agentId":{"_id":"6a01","name":"Desk","extra":1}}"#,
                Some("6a01"),
            ),
            (r#"{"_id":"n1","agentId":"6a01"}"#, Some("6a01")),
            (r#"{"_id":"n1","agentId":null}"#, None),
        ] {
            let record: PhoneNumberRecord = decode(json);
            assert_eq!(record.agent_id(), id, "{json}");
        }
    }

    #[test]
    fn an_agents_phone_numbers_give_their_ids_in_either_shape() {
        let agent: Agent = decode(
            r#"{"_id":"a","phoneNumberIds":["n1",{"_id":"n2","phoneNumber":"+15555550101"}]}"#,
        );
        assert_eq!(
            agent.phone_number_record_ids().collect::<Vec<_>>(),
            ["n1", "n2"]
        );
    }

    #[test]
    fn a_purchase_gives_its_number_in_either_shape() {
        let live: PurchasedPhoneNumber = decode(r#"{"success":true,"phoneNumber":"+15555550101"}"#);
        let docs: PurchasedPhoneNumber =
            decode(r#"{"success":true,"phoneNumber":{"_id":"n1","phoneNumber":"+15555550101"}}"#);
        for (purchase, record) in [(live, None), (docs, Some("n1"))] {
            assert_eq!(purchase.number(), Some("+15555550101"));
            assert_eq!(purchase.record_id(), record);
        }
    }

    #[test]
    fn a_call_cost_reads_as_an_amount_in_either_shape() {
        let listed: CallHistoryRecord = decode(r#"{"cost":0.25}"#);
        let single: CallHistoryRecord = decode(r#"{"cost":{"customer_charge":0.5}}"#);
        assert_eq!(
            (listed.cost_amount(), single.cost_amount()),
            (Some(0.25), Some(0.5))
        );
    }
}
