//! Inputs the fuzz targets in `fuzz/` once crashed, hung or ran out of
//! memory on, replayed through the same entry points (the targets' own
//! `common.rs`) so the invariant that failed is asserted again here, on
//! stable, in every `cargo test`. The committed seeds run too, as a smoke
//! test that the harness itself still compiles and holds.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

use std::time::{Duration, Instant};

/// The fuzzing bar from issue 8: no input of 10 KB may take over a second.
/// Tests build unoptimised, so the limit here is looser; the point is to
/// catch a regression back into a hang, not to benchmark.
const HANG_LIMIT: Duration = Duration::from_secs(10);

fn timed(name: &str, f: impl FnOnce()) {
    let started = Instant::now();
    f();
    let took = started.elapsed();
    assert!(took < HANG_LIMIT, "{name} took {took:?}");
}

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds for {target}");
    out
}

fn as_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or("")
}

#[test]
fn seeds_pass_every_target() {
    for (name, data) in seeds("ingest_markdown") {
        timed(&name, || common::ingest_markdown(&data));
    }
    for (name, data) in seeds("ingest_html") {
        timed(&name, || common::ingest_html(&data));
    }
    for (name, data) in seeds("ingest_jsonl") {
        timed(&name, || common::ingest_jsonl(&data));
    }
    for (name, data) in seeds("sentences") {
        timed(&name, || common::sentences(as_str(&data)));
    }
    for (name, data) in seeds("time") {
        timed(&name, || common::time(&data));
    }
    for (name, data) in seeds("quantity") {
        timed(&name, || common::quantity(as_str(&data)));
    }
    for (name, data) in seeds("check_bundle") {
        timed(&name, || common::check_bundle(&data));
    }
    for (name, data) in seeds("rules") {
        timed(&name, || common::rules(as_str(&data)));
    }
}
