//! Evaluation against third-party gold data.
