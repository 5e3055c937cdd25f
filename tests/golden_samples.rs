//! Golden tests on the sample bundle: what ingest reads from each seed
//! (metadata, provenance, every non-body line with its reason) and where
//! sentences start and end. Review changes to the goldens line by line.

mod common;

use crosscheck::ingest::{self, Options};
use crosscheck::model::BlockKind;
use crosscheck::{segment, LineIndex};

fn sample_bundle() -> ingest::Bundle {
    let path = common::root().join("samples/rubio-ukraine");
    ingest::read_paths(&[path], &Options::default())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn sample_documents_match_golden() {
    let bundle = sample_bundle();
    assert!(bundle.skipped.is_empty(), "{:?}", bundle.skipped);
    let mut out = String::new();
    for doc in &bundle.documents {
        let index = LineIndex::new(&doc.text);
        out.push_str(&format!("== {}\n", doc.id));
        out.push_str(&format!("title: {}\n", doc.title.as_deref().unwrap_or("-")));
        out.push_str(&format!(
            "source: {}\n",
            doc.source.as_deref().unwrap_or("-")
        ));
        out.push_str(&format!(
            "published: {} from {} {:?}\n",
            doc.published.map_or("-".to_string(), |d| d.to_string()),
            doc.published_from.as_str(),
            doc.published_text.as_deref().unwrap_or("")
        ));
        for block in &doc.blocks {
            let (line, _) = index.line_col(&doc.text, block.start);
            let kind = match &block.kind {
                BlockKind::Body => "body".to_string(),
                BlockKind::Boilerplate(reason) => format!("boilerplate({reason})"),
                other => format!("{other:?}").to_lowercase(),
            };
            let text = one_line(&doc.text[block.range()]);
            let shown: String = text.chars().take(90).collect();
            out.push_str(&format!("{line:>4} {kind:<28} {shown}\n"));
        }
    }
    common::assert_golden("samples-documents.txt", &out);
}

#[test]
fn sample_sentences_of_000_and_001_match_golden() {
    let bundle = sample_bundle();
    let mut out = String::new();
    for doc in bundle
        .documents
        .iter()
        .filter(|d| d.id.starts_with("000_") || d.id.starts_with("001_"))
    {
        let index = LineIndex::new(&doc.text);
        out.push_str(&format!("== {}\n", doc.id));
        for sentence in segment::sentences(doc) {
            let (line, column) = index.line_col(&doc.text, sentence.start);
            out.push_str(&format!(
                "{line}:{column} {}\n",
                one_line(&doc.text[sentence.start..sentence.end])
            ));
        }
    }
    common::assert_golden("samples-sentences.txt", &out);
}

#[test]
fn seed_datelines_and_titles_are_detected() {
    let bundle = sample_bundle();
    let by_prefix = |prefix: &str| {
        bundle
            .documents
            .iter()
            .find(|d| d.id.starts_with(prefix))
            .unwrap_or_else(|| panic!("no document {prefix}"))
    };
    let cases = [
        ("000_", Some("2025-08-22"), "dateline", Some("Aug 22, 2025")),
        ("001_", None, "none", None),
        ("002_", None, "none", None),
        (
            "003_",
            Some("2025-11-27"),
            "dateline",
            Some("Thursday, 27 November, 2025"),
        ),
        (
            "004_",
            Some("2025-08-17"),
            "dateline",
            Some("Sunday, August 17, 2025, 11:24:28 PM Eastern Daylight Time"),
        ),
    ];
    for (prefix, date, from, text) in cases {
        let doc = by_prefix(prefix);
        assert_eq!(
            doc.published.map(|d| d.to_string()).as_deref(),
            date,
            "{prefix}"
        );
        assert_eq!(doc.published_from.as_str(), from, "{prefix}");
        assert_eq!(doc.published_text.as_deref(), text, "{prefix}");
    }
    assert_eq!(
        by_prefix("000_").title.as_deref(),
        Some("Rubio Takes on Tricky Task of Drafting Security Guarantees for Ukraine")
    );
    assert_eq!(
        by_prefix("003_").title.as_deref(),
        Some("US demands peace deal before security guarantees for Ukraine")
    );
}

#[test]
fn no_boilerplate_line_reaches_a_body() {
    let bundle = sample_bundle();
    let furniture = [
        "Sponsor:",
        "QWIKET",
        "3410 views",
        "Humidity",
        "11.3°C",
        "Wind Speed",
        "Newsletter",
        "cookies",
        "LP Staff Writers",
        "Categories:",
        "contributed to this report",
        "What Can We Personally Do",
    ];
    for doc in &bundle.documents {
        for range in doc.body_ranges() {
            let body = &doc.text[range];
            for needle in furniture {
                assert!(!body.contains(needle), "{}: body holds {needle:?}", doc.id);
            }
        }
    }
}
