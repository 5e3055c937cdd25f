//! Evaluation against third-party gold data.
pub mod meantime;
pub mod stories;
pub mod summedits;
pub mod timeml;
