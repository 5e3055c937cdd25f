//! One benchmark per stage over the seed bundle (`samples/rubio-ukraine`),
//! so a regression shows which stage it is in. Each stage gets its inputs
//! precomputed; `baseline_chars_count` is a plain scan of the same text to
//! read the other figures against (the machines are shared and noisy).
//!
//! Run alone and repeated, a stage is much faster than inside the pipeline
//! (warm caches, presumably): on the seeds the stages here add up to about
//! a quarter of `analyze`,
//! which runs them one after another (timed inline in that order they add
//! up to `analyze`). Read a stage's figure for regressions, `analyze` and
//! `check_documents` for throughput.
//!
//! `cargo bench --bench stages` (add `-- --sample-count 20` to go faster).

use std::hint::black_box;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::LazyLock;

use crosscheck::check::{self, spec::Rule, Context};
use crosscheck::claims::{self, Claim};
use crosscheck::extract::{entity, event, quantity, quote, role, time::TimeExtractor};
use crosscheck::ingest::{self, layout, Options};
use crosscheck::key::{self, Group};
use crosscheck::{pipeline, segment, Document};
use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    crosscheck::use_small_pages();
    divan::main();
}

struct Seeds {
    dir: PathBuf,
    docs: Vec<Document>,
    bytes: usize,
    ranges: Vec<Vec<Range<usize>>>,
    analyses: Vec<pipeline::Analysis>,
    entities: Vec<Vec<entity::EntityMention>>,
    anchors: Vec<Vec<event::TimeAnchor>>,
    claims: Vec<Claim>,
    meta: Vec<(String, Option<chrono::NaiveDate>)>,
    groups: Vec<Group>,
    rules: Vec<Rule>,
}

static SEEDS: LazyLock<Seeds> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine");
    let docs = ingest::read_paths(std::slice::from_ref(&dir), &Options::default()).documents;
    assert!(!docs.is_empty(), "no seed documents in {}", dir.display());
    let bytes = docs.iter().map(|d| d.text.len()).sum();
    let ranges: Vec<Vec<Range<usize>>> = docs
        .iter()
        .map(|d| {
            segment::sentences(d)
                .iter()
                .map(|s| s.start..s.end)
                .collect()
        })
        .collect();
    let entities: Vec<_> = docs
        .iter()
        .zip(&ranges)
        .map(|(d, r)| entity::extract_entities(&d.text, r))
        .collect();
    let anchors = docs
        .iter()
        .zip(&ranges)
        .map(|(d, r)| crosscheck::extract::time_anchors(d, r))
        .collect();
    let analyses: Vec<pipeline::Analysis> = docs.iter().map(pipeline::analyze).collect();
    let claims: Vec<Claim> = analyses.iter().flat_map(|a| a.claims.clone()).collect();
    let meta: Vec<_> = docs.iter().map(|d| (d.id.clone(), d.published)).collect();
    let groups = key::group(claims.clone(), meta.len());
    let rules = check::spec::load(&[]).expect("built-in rules load");
    Seeds {
        dir,
        docs,
        bytes,
        ranges,
        analyses,
        entities,
        anchors,
        claims,
        meta,
        groups,
        rules,
    }
});

/// Runs `f` over every seed document, counting the text bytes.
fn per_doc<T>(bencher: Bencher, f: impl Fn(usize, &Document) -> T + Sync) {
    let s = &*SEEDS;
    bencher.counter(BytesCount::new(s.bytes)).bench(|| {
        for (i, d) in s.docs.iter().enumerate() {
            black_box(f(i, d));
        }
    });
}

#[divan::bench]
fn baseline_chars_count(bencher: Bencher) {
    per_doc(bencher, |_, d| black_box(d.text.as_str()).chars().count());
}

#[divan::bench]
fn ingest_read_paths(bencher: Bencher) {
    let s = &*SEEDS;
    let paths = [s.dir.clone()];
    bencher
        .counter(BytesCount::new(s.bytes))
        .bench(|| ingest::read_paths(&paths, &Options::default()));
}

#[divan::bench]
fn ingest_lay_out(bencher: Bencher) {
    per_doc(bencher, |_, d| layout::lay_out(&d.text, 0, true));
}

#[divan::bench]
fn sentences(bencher: Bencher) {
    per_doc(bencher, |_, d| segment::sentences(d));
}

#[divan::bench]
fn time(bencher: Bencher) {
    let ex = TimeExtractor::global();
    per_doc(bencher, |i, d| {
        ex.extract(&d.text, &SEEDS.ranges[i], d.published)
    });
}

#[divan::bench]
fn quantities(bencher: Bencher) {
    per_doc(bencher, |i, d| {
        quantity::extract_quantities(&d.text, &SEEDS.ranges[i])
    });
}

#[divan::bench]
fn entities(bencher: Bencher) {
    per_doc(bencher, |i, d| {
        entity::extract_entities(&d.text, &SEEDS.ranges[i])
    });
}

#[divan::bench]
fn roles(bencher: Bencher) {
    per_doc(bencher, |i, d| {
        role::extract_roles(&d.text, &SEEDS.ranges[i], &SEEDS.entities[i])
    });
}

#[divan::bench]
fn quotes(bencher: Bencher) {
    per_doc(bencher, |i, d| {
        quote::extract_quotes(&d.text, &SEEDS.ranges[i])
    });
}

#[divan::bench]
fn events(bencher: Bencher) {
    per_doc(bencher, |i, d| {
        event::extract_events(
            &d.text,
            &SEEDS.ranges[i],
            &SEEDS.entities[i],
            &SEEDS.anchors[i],
        )
    });
}

/// Every time expression (the event stage's anchors), as `analyze` runs it.
#[divan::bench]
fn time_anchors(bencher: Bencher) {
    per_doc(bencher, |i, d| {
        crosscheck::extract::time_anchors(d, &SEEDS.ranges[i])
    });
}

/// Mentions to claims, from the extraction `analyze` made.
#[divan::bench]
fn claims(bencher: Bencher) {
    per_doc(bencher, |i, d| {
        let a = &SEEDS.analyses[i];
        claims::claims(d, &a.sentences, &a.extraction)
    });
}

#[divan::bench]
fn analyze(bencher: Bencher) {
    per_doc(bencher, |_, d| pipeline::analyze(d));
}

#[divan::bench]
fn keying(bencher: Bencher) {
    let s = &*SEEDS;
    bencher
        .counter(BytesCount::new(s.bytes))
        .with_inputs(|| s.claims.clone())
        .bench_values(|claims| key::group(claims, s.meta.len()));
}

#[divan::bench]
fn rules(bencher: Bencher) {
    let s = &*SEEDS;
    bencher.counter(BytesCount::new(s.bytes)).bench(|| {
        let context = Context::new(&s.meta, &s.groups);
        check::run(&s.rules, &s.groups, &context)
    });
}

#[divan::bench]
fn check_documents(bencher: Bencher) {
    let s = &*SEEDS;
    bencher
        .counter(BytesCount::new(s.bytes))
        .bench(|| pipeline::check_documents(&s.docs, &s.rules));
}

/// Issue 6's target: a diff of two ~10,000-word articles (the seed rewrite
/// pair repeated) under 100 ms, analysis of both sides included.
#[divan::bench(sample_count = 5)]
fn diff_10k_words(bencher: Bencher) {
    let grow = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/rubio-ukraine")
            .join(name);
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut grown = String::new();
        while grown.split_whitespace().count() < 10_000 && !text.is_empty() {
            grown.push_str(&text);
            grown.push_str("\n\n");
        }
        crosscheck::diff::document(name, &grown)
    };
    let original = grow("001_109151376af7ad50.txt");
    let copy = grow("002_835a622e70ab705f.txt");
    bencher.bench(|| crosscheck::diff::diff(&original, &copy));
}
