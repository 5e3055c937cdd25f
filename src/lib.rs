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

/// Keeps this process's heap in ordinary 4 KiB pages: call it first thing
/// in `main`.
///
/// mimalloc hands freed memory back to the kernel in 64 KiB pieces. Where
/// transparent huge pages are on (`always` on the machines measured), each
/// later touch of such a piece faulted and zeroed a whole 2 MiB page again:
/// a streamed check of 30k GVA articles spent 13% of its time in the kernel
/// clearing pages (`perf record -e cpu-clock`), and a 100k archive check
/// peaked 14% higher in RSS. This is what `MIMALLOC_ALLOW_THP=0` does, but
/// mimalloc reads that before `main`, too early for the binary to set it.
/// The flag applies to later faults of memory already mapped too. Failure
/// (an old kernel, another OS) only leaves the default.
pub fn use_small_pages() {
    #[cfg(all(target_os = "linux", feature = "mimalloc"))]
    // SAFETY: PR_SET_THP_DISABLE reads no memory of ours; it sets a flag on
    // the calling process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

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
