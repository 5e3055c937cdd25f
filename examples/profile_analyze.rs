//! Runs the per-document stages over a corpus in a loop, for a profiler:
//! `perf record -g ./target/release/examples/profile_analyze FILE [ROUNDS]`.
use crosscheck::ingest::{self, Options};
use crosscheck::pipeline;

fn main() {
    crosscheck::use_small_pages();
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: profile_analyze FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let bundle = ingest::read_paths(&[path.into()], &Options::default());
    let bytes: usize = bundle.documents.iter().map(|d| d.text.len()).sum();
    // One warm-up round: lazy regex builds and DFA caches are start-up
    // cost, not throughput (under callgrind, `--toggle-collect=measured`).
    warm_up(&bundle.documents);
    let start = std::time::Instant::now();
    let claims = measured(&bundle.documents, rounds);
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{} docs, {:.2} MB, {rounds} rounds: {:.2} MB/s, {claims} claims",
        bundle.documents.len(),
        bytes as f64 / 1e6,
        (bytes * rounds) as f64 / 1e6 / secs
    );
}

#[inline(never)]
fn warm_up(docs: &[crosscheck::Document]) {
    for doc in docs {
        std::hint::black_box(pipeline::analyze(doc));
    }
}

#[inline(never)]
fn measured(docs: &[crosscheck::Document], rounds: usize) -> usize {
    let mut claims = 0usize;
    for _ in 0..rounds {
        for doc in docs {
            claims += pipeline::analyze(doc).claims.len();
        }
    }
    claims
}
