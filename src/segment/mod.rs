//! Stage 2: sentences with exact byte spans.
//!
//! Input: a [`Document`]. Output: its body's [`Sentence`]s in order. Only
//! body blocks are split; boilerplate never reaches later stages.

pub mod sentences;

use crate::model::{Document, Sentence};

/// The sentences of a document's body, in text order.
pub fn sentences(doc: &Document) -> Vec<Sentence> {
    // All blocks into one vector: a vector per block cost an allocation
    // each and the collect grew the result step by step.
    let mut ranges = Vec::new();
    for range in doc.body_ranges() {
        sentences::split_sentences_into(&doc.text, range, &mut ranges);
    }
    ranges
        .into_iter()
        .map(|r| Sentence {
            start: r.start,
            end: r.end,
        })
        .collect()
}
