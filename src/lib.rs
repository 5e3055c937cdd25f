//! crosscheck: a linter for news stories.
//!
//! It reads a bundle of articles about one story and reports where the
//! sources disagree. Data flows one way through plain-data stages:
//!
//! ```text
//! paths -> ingest (Document) -> segment (Sentence) -> extract (mentions)
//!       -> claims -> key -> rules -> report
//! ```
//!
//! Only `ingest` and the rule/lexicon loaders read files; only `report`
//! formats output.

// Stages take slices of byte ranges; a one-range slice is a real input
// (one sentence), not the `vec![0..n]` mistake this lint looks for.
#![allow(clippy::single_range_in_vec_init)]

// Declared in the library so the binary, the examples and the benches all
// measure the same allocator.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod baseline;
pub mod cache;
pub mod check;
pub mod claims;
pub mod config;
pub mod diff;
pub mod error;
pub mod eval;
pub mod exit;
pub mod extract;
pub mod ingest;
pub mod interchange;
pub mod key;
pub mod model;
pub mod pack;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod segment;
pub mod stories;
pub mod text;

pub use error::Error;
pub use model::{Block, BlockKind, Document, InputFormat, LineIndex, Provenance, Sentence};
