//! Stage 3: mentions (time expressions, quantities, ...) found in sentences.
pub mod quote;
