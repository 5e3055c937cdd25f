//! Quotes and speakers on the seed bundle and on a sample of GVA articles.
//!
//! Set `QUOTE_DUMP=1` to print every quote found (for review by eye).

use crosscheck::extract::quote::{extract_quotes, Quote, QuoteKind};
use std::ops::Range;
use std::path::{Path, PathBuf};

fn shared_dir() -> Option<PathBuf> {
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        let candidate = dir.join("shared");
        if candidate.join("seeds").is_dir() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Non-blank lines as ranges, as a line-block ingest would give them.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if !content.trim().is_empty() {
            out.push(start..start + content.len());
        }
        start += line.len();
    }
    out
}

fn dump(label: &str, text: &str, quotes: &[Quote]) {
    if std::env::var_os("QUOTE_DUMP").is_none() {
        return;
    }
    println!("== {label}");
    for q in quotes {
        let head: String = q.text.chars().take(60).collect();
        if std::env::var_os("QUOTE_CONTEXT").is_some() {
            let mut from = q
                .start
                .saturating_sub(if std::env::var_os("QUOTE_WIDE").is_some() {
                    700
                } else {
                    120
                });
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (q.end + 120).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            println!("   ctx: {:?}", &text[from..to]);
        }
        match &q.speaker {
            Some(s) => println!(
                "{:?} | {} | name={:?} resolved={:?} | {} | {}",
                q.kind, s.text, s.name, s.resolved, s.how, head
            ),
            None => println!("{:?} | - | {}", q.kind, head),
        }
    }
}

fn seed(name_prefix: &str) -> Option<(String, Vec<Quote>)> {
    let dir = shared_dir()?.join("seeds");
    let path = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(name_prefix))
        })?;
    let text = std::fs::read_to_string(&path).ok()?;
    let quotes = extract_quotes(&text, &line_ranges(&text));
    check_invariants(&text, &quotes);
    dump(name_prefix, &text, &quotes);
    Some((text, quotes))
}

fn check_invariants(text: &str, quotes: &[Quote]) {
    for q in quotes {
        assert!(
            q.start <= q.end && q.end <= text.len(),
            "span out of text: {q:?}"
        );
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
        assert_eq!(q.text, text[q.start..q.end]);
        assert!(
            q.end - q.start <= 3000,
            "quote too long: {}",
            q.end - q.start
        );
        if let Some(s) = &q.speaker {
            assert!(s.start <= s.end && s.end <= text.len());
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            assert_eq!(s.text, text[s.start..s.end]);
        }
    }
}

fn find<'a>(quotes: &'a [Quote], prefix: &str) -> &'a Quote {
    quotes
        .iter()
        .find(|q| q.text.starts_with(prefix))
        .unwrap_or_else(|| panic!("no quote starting with {prefix:?}"))
}

fn speaker_of(q: &Quote) -> (&str, Option<&str>, Option<&str>) {
    let s = q
        .speaker
        .as_ref()
        .unwrap_or_else(|| panic!("no speaker for {:?}", q.text));
    (s.text.as_str(), s.name.as_deref(), s.resolved.as_deref())
}

fn skip_note() -> Option<()> {
    if shared_dir().is_none() {
        eprintln!("note: shared/seeds not found above CARGO_MANIFEST_DIR; skipping");
        return None;
    }
    Some(())
}

#[test]
fn seed_001_zelenskyy_and_lavrov() {
    if skip_note().is_none() {
        return;
    }
    let Some((_, quotes)) = seed("001") else {
        return;
    };
    let q = find(
        &quotes,
        "We don't know how many countries are ready for 'boots on the ground,'",
    );
    assert_eq!(q.kind, QuoteKind::Statement);
    assert_eq!(speaker_of(q).0, "Zelenskyy");
    let q = find(&quotes, "Some may provide forces on the ground.");
    assert_eq!(q.kind, QuoteKind::Statement);
    assert_eq!(speaker_of(q).0, "Zelenskyy");
    let q = find(&quotes, "Moscow will not agree");
    let (text, name, _) = speaker_of(q);
    assert_eq!(text, "Russian Foreign Minister Sergey Lavrov");
    assert_eq!(name, Some("Sergey Lavrov"));
    let q = find(&quotes, "I am sure that in the West");
    assert_eq!(speaker_of(q).0, "Lavrov");
    assert_eq!(speaker_of(q).2, Some("Sergey Lavrov"));
}

#[test]
fn seed_002_trump_and_zelensky() {
    if skip_note().is_none() {
        return;
    }
    let Some((_, quotes)) = seed("002") else {
        return;
    };
    let q = find(
        &quotes,
        "We’re going to help them out also. We’ll be involved,",
    );
    assert_eq!(q.kind, QuoteKind::Statement);
    assert_eq!(speaker_of(q).0, "Trump");
    let q = find(
        &quotes,
        "Some may contribute boots on the ground. Some are ready to provide air defense,",
    );
    assert_eq!(speaker_of(q).0, "Zelensky");
}

#[test]
fn seed_000_fragments_and_liana_fix() {
    if skip_note().is_none() {
        return;
    }
    let Some((_, quotes)) = seed("000") else {
        return;
    };
    for phrase in ["gangster", "war criminal", "thug."] {
        let q = find(&quotes, phrase);
        assert_eq!(q.kind, QuoteKind::Fragment, "{phrase}");
        assert!(q.speaker.is_none());
    }
    let q = find(&quotes, "From a European perspective,");
    assert_eq!(speaker_of(q).0, "Liana Fix");
    let q = find(&quotes, "There will be no troops on the ground,");
    let (text, _, resolved) = speaker_of(q);
    assert_eq!(text, "she");
    assert_eq!(resolved, Some("Liana Fix"));
}

#[test]
fn seed_004_titles_and_witkoff() {
    if skip_note().is_none() {
        return;
    }
    let Some((_, quotes)) = seed("004") else {
        return;
    };
    for title in ["State of the Union", "Meet the Press"] {
        let q = find(&quotes, title);
        assert_eq!(q.kind, QuoteKind::Fragment, "{title}");
    }
    let q = find(&quotes, "We were able to win the following concession:");
    assert_eq!(speaker_of(q).0, "Witkoff");
}

#[test]
fn seeds_003_keep_invariants() {
    if skip_note().is_none() {
        return;
    }
    let _ = seed("003");
}

#[test]
fn gva_sample_keeps_invariants() {
    let Some(dir) = shared_dir() else {
        eprintln!("note: shared/ not found; skipping");
        return;
    };
    let Ok(data) = std::fs::read_to_string(dir.join("eval/gva/articles.jsonl")) else {
        eprintln!("note: GVA articles not found; skipping");
        return;
    };
    let limit = std::env::var("QUOTE_GVA_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let mut total = 0;
    let mut bytes = 0;
    let mut spent = std::time::Duration::ZERO;
    let skip = std::env::var("QUOTE_GVA_SKIP")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for line in data.lines().skip(skip).take(limit) {
        let Ok(record) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(text) = record.get("content").and_then(|c| c.as_str()) else {
            continue;
        };
        let ranges = line_ranges(text);
        let clock = std::time::Instant::now();
        let quotes = extract_quotes(text, &ranges);
        spent += clock.elapsed();
        bytes += text.len();
        check_invariants(text, &quotes);
        let id = record.get("doc_id").and_then(|d| d.as_str()).unwrap_or("?");
        dump(id, text, &quotes);
        total += quotes.len();
    }
    eprintln!(
        "GVA: {total} quotes in {bytes} bytes, {:.1} MB/s",
        bytes as f64 / 1e6 / spent.as_secs_f64().max(1e-9)
    );
    assert!(total > 0, "no quotes at all in the GVA sample");
}
