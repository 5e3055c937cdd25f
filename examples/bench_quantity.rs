//! Throughput of quantity extraction over the seed articles, repeated.
//!
//! `cargo run --release --example bench_quantity [SEEDS_DIR] [--dump]`
//! prints MB/s on one core (the whole text of every seed is one range per line,
//! as the segmenter would hand over sentences); `--dump` lists what was found.

use crosscheck::extract::quantity::extract_quantities;
use std::path::PathBuf;
use std::time::Instant;

fn seeds_dir() -> Option<PathBuf> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let cand = dir.join("shared/seeds");
        if cand.is_dir() {
            return Some(cand);
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn line_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push(start..start + line.trim_end_matches('\n').len());
        start += line.len();
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dump = args.iter().any(|a| a == "--dump");
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .or_else(seeds_dir);
    let Some(dir) = dir else {
        eprintln!("no seeds folder found; pass one as the first argument");
        std::process::exit(2);
    };
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect(),
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    paths.sort();
    let texts: Vec<(PathBuf, String)> = paths
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    if dump {
        for (p, t) in &texts {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            for q in extract_quantities(t, &line_ranges(t)) {
                println!(
                    "{} {}..{} {:?} value={} max={:?} hedge={:?} kind={:?} unit={:?} noun={:?} modifies={:?} measures={:?} number={:?}",
                    name.as_deref().unwrap_or("?"),
                    q.start, q.end, q.text, q.value, q.value_max, q.hedge, q.kind, q.unit, q.noun,
                    q.modifies, q.measures, q.number_text
                );
            }
        }
        return;
    }
    // Repeat the bundle to a few MB so timing noise is small.
    let one: String = texts
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let reps = (8_000_000 / one.len().max(1)).max(1);
    let big = one.repeat(reps);
    let ranges = line_ranges(&big);
    let mut best = f64::MAX;
    let mut found = 0;
    for _ in 0..5 {
        let t0 = Instant::now();
        found = extract_quantities(&big, &ranges).len();
        best = best.min(t0.elapsed().as_secs_f64());
    }
    report("seeds", big.len(), best, found);

    // Worst case: every few words a number, including model numbers that trigger
    // the nearby-label search.
    let dense_line = "Boeing 737 jets: 600,000 troops, nearly $67 billion in aid, 91% and 1234 units \
                      on July 15, 2023 at 9:22 AM; 3 1/2-year war, 33-nation coalition, 500 people.\n";
    let dense = dense_line.repeat(8_000_000 / dense_line.len());
    let ranges = line_ranges(&dense);
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t0 = Instant::now();
        found = extract_quantities(&dense, &ranges).len();
        best = best.min(t0.elapsed().as_secs_f64());
    }
    report("number-dense synthetic", dense.len(), best, found);
}

fn report(name: &str, bytes: usize, secs: f64, found: usize) {
    let mb = bytes as f64 / 1e6;
    println!(
        "quantity extraction, {name}: {mb:.1} MB in {secs:.3} s (best run) = {:.1} MB/s, {found} quantities",
        mb / secs
    );
}
