//! Shared by every fuzz target and by `tests/fuzz_regressions.rs` (which
//! includes this file with `#[path]`), so a crash input replays through
//! exactly the entry point and invariants that found it.
#![allow(dead_code)]

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crosscheck::check::spec::Rule;
use crosscheck::ingest::{self, Bundle, Options};
use crosscheck::Document;

/// A temp dir per process: several fuzz jobs (or test threads) may run at
/// once and must not overwrite each other's input files.
pub fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("crosscheck-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        dir
    })
}

/// Asserts that `span` is a valid, char-aligned slice of `text`.
pub fn assert_span(text: &str, span: Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} not on char boundaries"
    );
}

/// Every block of every document lies within its text, in order.
pub fn assert_bundle(bundle: &Bundle) {
    for doc in &bundle.documents {
        assert_document(doc);
    }
}

pub fn assert_document(doc: &Document) {
    let mut last = 0;
    for block in &doc.blocks {
        assert_span(&doc.text, block.range(), "block");
        assert!(block.start >= last, "blocks out of order in {}", doc.id);
        last = block.end;
    }
}

/// Writes `bytes` to `name` in the scratch dir and reads it the way the CLI
/// does.
pub fn read_file_as(name: &str, bytes: &[u8]) -> Bundle {
    let path = scratch_dir().join(name);
    std::fs::write(&path, bytes).expect("write fuzz input");
    let bundle = ingest::read_paths(&[path], &Options::default());
    assert_bundle(&bundle);
    bundle
}

/// Entry point of `ingest_markdown`: front matter, layout and the full read
/// of `.md` and `.txt` files.
pub fn ingest_markdown(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let ingest::frontmatter::Parsed::Found(fm) = ingest::frontmatter::parse(text) {
            assert!(fm.len <= text.len() && text.is_char_boundary(fm.len));
        }
        let layout = ingest::layout::lay_out(text, 0, true);
        for block in &layout.blocks {
            assert_span(text, block.range(), "layout block");
        }
    }
    read_file_as("input.md", data);
    read_file_as("input.txt", data);
}

/// Entry point of `ingest_html`.
pub fn ingest_html(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ingest::html::extract_article(text);
    }
    let _ = ingest::decode::decode(data, ingest::decode::Fallback::Windows1252);
    read_file_as("input.html", data);
}

/// Entry point of `ingest_jsonl`: the same bytes as a JSONL file and as a
/// JSON file.
pub fn ingest_jsonl(data: &[u8]) {
    read_file_as("input.jsonl", data);
    read_file_as("input.json", data);
}

/// Entry point of `sentences`: ranges sorted, disjoint, within the input.
pub fn sentences(text: &str) {
    let ranges = crosscheck::segment::sentences::split_sentences(text, 0..text.len());
    let mut last = 0;
    for r in ranges {
        assert_span(text, r.clone(), "sentence");
        assert!(r.start >= last, "sentences overlap or out of order: {r:?}");
        last = r.end;
    }
}

/// Entry point of `time`: the first byte picks the anchor (or none), the
/// rest is the text.
pub fn time(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let anchor = (first & 1 == 0).then(|| {
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
            + chrono::Duration::days(i64::from(first) * 3)
    });
    let extractor = crosscheck::extract::time::TimeExtractor::global();
    for m in extractor.extract(text, std::slice::from_ref(&(0..text.len())), anchor) {
        assert_span(text, m.start..m.end, "time mention");
        assert_eq!(&text[m.start..m.end], m.text, "time mention text");
    }
    // Sentence ranges too, as the pipeline passes them.
    let ranges = crosscheck::segment::sentences::split_sentences(text, 0..text.len());
    for m in extractor.extract(text, &ranges, anchor) {
        assert_span(text, m.start..m.end, "time mention");
        assert_eq!(&text[m.start..m.end], m.text, "time mention text");
    }
}

/// Entry point of `quantity`.
pub fn quantity(text: &str) {
    for q in crosscheck::extract::quantity::extract_quantities(
        text,
        std::slice::from_ref(&(0..text.len())),
    ) {
        assert_span(text, q.start..q.end, "quantity");
        assert_eq!(&text[q.start..q.end], q.text, "quantity text");
    }
}

fn builtin_rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| crosscheck::check::spec::load(&[]).expect("built-in rules load"))
}

/// Entry point of `check_bundle`: the input is split into two Markdown
/// documents (at the first `\0\0`, else in the middle) and checked as one
/// bundle. Every claim's text must equal its document's text at its span.
pub fn check_bundle(data: &[u8]) {
    let (a, b) = match data.windows(2).position(|w| w == b"\0\0") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => data.split_at(data.len() / 2),
    };
    let dir = scratch_dir().join("bundle");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create bundle dir");
    std::fs::write(dir.join("a.md"), a).expect("write a.md");
    std::fs::write(dir.join("b.md"), b).expect("write b.md");
    let bundle = ingest::read_paths(&[dir], &Options::default());
    assert_bundle(&bundle);
    for doc in &bundle.documents {
        let analysis = crosscheck::pipeline::analyze(doc);
        for c in &analysis.claims {
            assert_span(&doc.text, c.start..c.end, "claim");
            assert_eq!(&doc.text[c.start..c.end], c.text, "claim text");
        }
    }
    let _ = crosscheck::pipeline::check_documents(&bundle.documents, builtin_rules());
}

/// Entry point of `rules`: the same text as a rule file and as a config
/// file; errors are fine, panics are not.
pub fn rules(text: &str) {
    let _ = crosscheck::check::spec::parse_rule(text, "fuzz.toml");
    if let Ok(config) = crosscheck::config::parse(text, Path::new("crosscheck.toml")) {
        let _ = config.apply_to_rules(builtin_rules().to_vec());
    }
}
