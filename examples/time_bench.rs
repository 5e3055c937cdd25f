//! Time-extraction throughput on news text (one core):
//!
//! `cargo run --release --example time_bench [-- DIR...]`
//!
//! By default reads the seed articles and the TBAQ-cleaned TimeML text
//! (located by walking up from the crate for `shared/`), and prints MB/s.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crosscheck::extract::time::TimeExtractor;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        if let Some(shared) = root
            .ancestors()
            .map(|a| a.join("shared"))
            .find(|p| p.is_dir())
        {
            dirs.push(shared.join("seeds"));
            dirs.push(shared.join("eval/tempeval3/TBAQ-cleaned"));
        }
    }
    let mut paths = Vec::new();
    for d in &dirs {
        files(d, &mut paths);
    }
    paths.sort();
    let mut docs: Vec<(String, Option<chrono::NaiveDate>)> = Vec::new();
    for p in &paths {
        let Ok(src) = std::fs::read_to_string(p) else {
            continue;
        };
        if p.extension().is_some_and(|e| e == "tml") {
            if let Ok(d) = crosscheck::eval::timeml::parse_tml(p, &src) {
                docs.push((d.text, d.dct));
            }
        } else if p.extension().is_some_and(|e| e == "txt") {
            docs.push((src, chrono::NaiveDate::from_ymd_opt(2025, 8, 17)));
        }
    }
    let bytes: usize = docs.iter().map(|(t, _)| t.len()).sum();
    if bytes == 0 {
        eprintln!("no input text found (pass folders of .txt/.tml files)");
        std::process::exit(2);
    }
    let ex = TimeExtractor::global();
    // Warm up (builds the regex and its lazy DFA caches).
    let mut mentions = 0;
    for (t, a) in &docs {
        mentions += ex.extract_all(t, *a).len();
    }
    let rounds = (200_000_000 / bytes).clamp(3, 200);
    let start = Instant::now();
    for _ in 0..rounds {
        for (t, a) in &docs {
            std::hint::black_box(ex.extract_all(t, *a));
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "{} documents, {:.2} MB, {} mentions; {} rounds in {:.2} s: {:.1} MB/s",
        docs.len(),
        bytes as f64 / 1e6,
        mentions,
        rounds,
        secs,
        mb / secs
    );
}
