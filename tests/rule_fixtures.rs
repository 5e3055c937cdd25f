//! Every rule has a fixture bundle that fires and a near miss that stays
//! silent (`tests/fixtures/rules/<CODE>-<case>/articles/`). The expected
//! findings sit next to each bundle in `expected.findings`, one readable
//! line per finding; `SNAPSHOTS=overwrite cargo test` rewrites them for
//! review. Every bundle is also checked in reversed and rotated document
//! order: output must not depend on it.

mod common;

use crosscheck::check::{spec, Finding};
use crosscheck::ingest::{self, Options};
use crosscheck::model::Document;
use crosscheck::pipeline;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture_dirs() -> Vec<PathBuf> {
    let root = common::root().join("tests/fixtures/rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("articles").is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn line_of(f: &Finding) -> String {
    let mut evidence: Vec<String> = f
        .claims
        .iter()
        .map(|c| {
            format!(
                "{}:{}:{}={}{}",
                c.claim.doc,
                c.claim.line,
                c.claim.column,
                c.claim.value,
                if c.outlier { "*" } else { "" }
            )
        })
        .collect();
    evidence.sort();
    format!(
        "{} {} {} | {}",
        f.code,
        f.severity.as_str(),
        f.label,
        evidence.join(" ")
    )
}

fn render(docs: &[Document], rules: &[spec::Rule]) -> String {
    let findings = pipeline::check_documents(docs, rules);
    let mut lines: Vec<String> = findings.iter().map(line_of).collect();
    lines.sort();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn read(dir: &Path) -> Vec<Document> {
    let bundle = ingest::read_paths(&[dir.join("articles")], &Options::default());
    assert!(bundle.skipped.is_empty(), "{:?}", bundle.skipped);
    bundle.documents
}

#[test]
fn rule_fixtures_match_their_expected_findings_in_any_order() {
    let rules = spec::load(&[]).expect("built-in rules");
    for dir in fixture_dirs() {
        let docs = read(&dir);
        let actual = render(&docs, &rules);
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let golden = format!("../fixtures/rules/{name}/expected.findings");
        common::assert_golden(&golden, &actual);

        let mut reversed = docs.clone();
        reversed.reverse();
        assert_eq!(render(&reversed, &rules), actual, "{name}: reversed order");
        let mut rotated = docs.clone();
        rotated.rotate_left(1);
        assert_eq!(render(&rotated, &rules), actual, "{name}: rotated order");
    }
}

#[test]
fn every_rule_has_a_firing_fixture_and_a_silent_near_miss() {
    let rules = spec::load(&[]).expect("built-in rules");
    let names: BTreeSet<String> = fixture_dirs()
        .iter()
        .filter_map(|d| d.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .collect();
    for rule in &rules {
        let code = &rule.spec.code;
        let ok = format!("{code}-ok");
        assert!(names.contains(&ok), "{code} has no near-miss fixture {ok}");
        let expected_ok = std::fs::read_to_string(
            common::root()
                .join("tests/fixtures/rules")
                .join(&ok)
                .join("expected.findings"),
        )
        .unwrap_or_default();
        assert!(
            expected_ok.is_empty(),
            "{ok} must expect no finding:\n{expected_ok}"
        );
        let fires = names
            .iter()
            .filter(|n| n.starts_with(code.as_str()) && **n != ok)
            .any(|n| {
                std::fs::read_to_string(
                    common::root()
                        .join("tests/fixtures/rules")
                        .join(n)
                        .join("expected.findings"),
                )
                .unwrap_or_default()
                .lines()
                .any(|l| l.starts_with(code.as_str()))
            });
        assert!(fires, "{code} has no fixture where it fires");
    }
}
