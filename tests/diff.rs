//! `crosscheck::diff`: the seed rewrite and golden alignment cases.

use crosscheck::check::spec::Severity;
use crosscheck::check::Finding;
use crosscheck::diff::{diff, document, DiffReport};

#[allow(dead_code)]
fn doc(id: &str, text: &str) -> crosscheck::Document {
    document(id, text)
}
use crosscheck::ingest::{read_paths, Options};
use std::path::PathBuf;

fn read(path: &str) -> crosscheck::Document {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bundle = read_paths(&[root.join(path)], &Options::default());
    bundle
        .documents
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{path} not read"))
}

fn show(report: &DiffReport) -> String {
    report
        .findings
        .iter()
        .map(|f| format!("{} {} {}: {}", f.severity.as_str(), f.code, f.rule, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn has(report: &DiffReport, rule: &str, severity: Severity, words: &str) -> bool {
    report.findings.iter().any(|f: &Finding| {
        f.rule == rule && f.severity == severity && f.message.contains(words)
    })
}

#[test]
fn seed_rewrite_reports_the_changed_facts() {
    let original = read("samples/rubio-ukraine/001_109151376af7ad50.txt");
    let copy = read("samples/rubio-ukraine/002_835a622e70ab705f.txt");
    let report = diff(&original, &copy);
    let shown = show(&report);
    println!("{shown}");
    assert!(
        has(&report, "diff-changed-date", Severity::Error, "July 15, 2023"),
        "{shown}"
    );
    assert!(
        has(&report, "diff-changed-role-qualifier", Severity::Warning, "acting"),
        "{shown}"
    );
    assert!(
        has(&report, "diff-quote-reworded", Severity::Warning, "boots on the ground"),
        "{shown}"
    );
    assert!(
        has(&report, "diff-added-quote", Severity::Warning, "help them out also"),
        "{shown}"
    );
    assert!(
        has(&report, "diff-equivalent-title", Severity::Info, "Healey"),
        "{shown}"
    );
    assert!(
        has(&report, "diff-equivalent-spelling", Severity::Info, "Zelensky"),
        "{shown}"
    );
    let errors: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{shown}");
}

/// `shared/eval/summedits` above the manifest directory, if present.
fn summedits() -> Option<PathBuf> {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let cand = dir.join("shared/eval/summedits/summedits_news_eval.json");
        if cand.is_file() {
            return Some(cand);
        }
        if !dir.pop() {
            return None;
        }
    }
}

#[test]
fn summedits_news() {
    let Some(path) = summedits() else {
        eprintln!("note: shared/eval/summedits not found above CARGO_MANIFEST_DIR; skipped");
        return;
    };
    let report = crosscheck::eval::summedits::evaluate(&path).expect("summedits reads");
    println!("{}", report.render());
    if std::env::var_os("SUMMEDITS_MISSES").is_some() {
        println!("{}", report.render_misses());
    }
    assert_eq!(report.items, 133);
}

#[test]
#[ignore = "prints the seed diff's negation pairs"]
fn seed_negations() {
    let original = read("samples/rubio-ukraine/001_109151376af7ad50.txt");
    let copy = read("samples/rubio-ukraine/002_835a622e70ab705f.txt");
    for f in diff(&original, &copy).findings.iter().filter(|f| f.code == "C007" || f.code == "C014") {
        for c in &f.claims {
            println!("{} {} | {}", f.code, c.outlier, c.claim.sentence);
        }
    }
}
