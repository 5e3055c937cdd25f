//! Evaluation against third-party gold data.
pub mod timeml;
