//! Stage 2: sentences with exact byte spans.
//!
//! Input: a [`Document`]. Output: its body's [`Sentence`]s in order. Only
//! body blocks are split; boilerplate never reaches later stages.

pub mod sentences;

use crate::model::{Document, Sentence};

/// The sentences of a document's body, in text order.
pub fn sentences(doc: &Document) -> Vec<Sentence> {
    doc.body_ranges()
        .flat_map(|range| sentences::split_sentences(&doc.text, range))
        .map(|r| Sentence {
            start: r.start,
            end: r.end,
        })
        .collect()
}
