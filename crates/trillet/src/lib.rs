//! A client for the [Trillet AI](https://trillet.ai) voice-agent REST API.

pub mod phone;
pub mod preflight;
pub mod retry;

pub use phone::{check_e164, mask_phone_number, E164PhoneNumber, InvalidPhoneNumber, PhoneNumberProblem};
