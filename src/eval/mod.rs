//! Evaluation against third-party gold data.
pub mod meantime;
pub mod summedits;
pub mod timeml;
