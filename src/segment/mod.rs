//! Stage 2: sentences with exact byte spans.
pub mod sentences;
