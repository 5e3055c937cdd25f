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

fn finding_lines() -> Vec<(String, String, String, Vec<String>)> {
    let bundle = sample_bundle();
    let rules = crosscheck::check::spec::load(&[]).expect("rules");
    crosscheck::pipeline::check_documents(&bundle.documents, &rules)
        .iter()
        .map(|f| {
            let outliers = f
                .claims
                .iter()
                .filter(|c| c.outlier)
                .map(|c| c.claim.doc[..3].to_string())
                .collect();
            (
                f.code.clone(),
                f.severity.as_str().to_string(),
                f.message.clone(),
                outliers,
            )
        })
        .collect()
}

#[test]
fn sample_check_reports_the_six_disagreements_and_nothing_else() {
    let found = finding_lines();
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(c, s, _, _)| (c.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("D001", "error"),
            ("D002", "error"),
            ("N001", "warning"),
            ("Q001", "warning"),
            ("R001", "warning"),
            ("V001", "info"),
        ],
        "{found:#?}"
    );
    let by_code = |code: &str| found.iter().find(|f| f.0 == code).expect("finding");
    // 1. The call's date: 002 is the outlier against 000 and 001.
    let d001 = by_code("D001");
    assert_eq!(d001.3, ["002"]);
    assert!(
        d001.2.contains("2023-07-15 (Saturday)") && d001.2.contains("Thursday"),
        "{}",
        d001.2
    );
    // 2. Inside 002, July 15, 2023 was a Saturday, not a Thursday.
    let d002 = by_code("D002");
    assert!(
        d002.2.contains("a Saturday, but calls it Thursday"),
        "{}",
        d002.2
    );
    // 3. 30 countries against a 33-nation coalition, three months apart.
    let n001 = by_code("N001");
    assert_eq!(n001.3, ["003"]);
    assert!(n001.2.contains("three months apart"), "{}", n001.2);
    // 4. "acting" national security adviser in 002 only.
    let r001 = by_code("R001");
    assert_eq!(r001.3, ["002"]);
    assert!(
        r001.2
            .starts_with("Marco Rubio is acting national security adviser"),
        "{}",
        r001.2
    );
    // 5. Zelensky's quote reworded.
    let q001 = by_code("Q001");
    assert!(
        q001.2.contains("provide forces on the ground")
            && q001.2.contains("contribute boots on the ground"),
        "{}",
        q001.2
    );
    // 6. Zelensky / Zelenskyy.
    let v001 = by_code("V001");
    assert!(
        v001.2.contains("Zelensky (") && v001.2.contains("Zelenskyy ("),
        "{}",
        v001.2
    );
}

#[test]
fn sample_check_output_is_the_same_in_any_document_order() {
    let bundle = sample_bundle();
    let rules = crosscheck::check::spec::load(&[]).expect("rules");
    let render = |docs: &[crosscheck::Document]| {
        let findings = crosscheck::pipeline::check_documents(docs, &rules);
        let mut out = Vec::new();
        crosscheck::report::check(
            &mut out,
            &bundle,
            &findings,
            crosscheck::report::Format::Json,
        )
        .expect("render");
        out
    };
    let forward = render(&bundle.documents);
    let mut reversed = bundle.documents.clone();
    reversed.reverse();
    assert_eq!(forward, render(&reversed));
    let mut rotated = bundle.documents.clone();
    rotated.rotate_left(2);
    assert_eq!(forward, render(&rotated));
}

#[test]
fn sample_claims_match_golden() {
    let bundle = sample_bundle();
    let mut out = String::new();
    for doc in &bundle.documents {
        out.push_str(&format!("== {}\n", doc.id));
        for c in crosscheck::pipeline::analyze(doc).claims {
            let facet = c
                .facet
                .as_deref()
                .map(|f| format!("({f})"))
                .unwrap_or_default();
            let value: String = c.value.chars().take(70).collect();
            out.push_str(&format!(
                "{}:{} {}{} [{}] = {} | {}\n",
                c.line,
                c.column,
                c.attribute,
                facet,
                c.subject,
                value,
                one_line(&c.text).chars().take(60).collect::<String>()
            ));
        }
    }
    common::assert_golden("samples-claims.txt", &out);
}
