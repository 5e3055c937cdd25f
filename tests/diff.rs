//! `crosscheck::diff`: the seed rewrite and golden alignment cases.

use crosscheck::check::spec::Severity;
use crosscheck::check::Finding;
use crosscheck::diff::{diff, document, DiffReport};

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
        .map(|f| {
            format!(
                "{} {} {}: {}",
                f.severity.as_str(),
                f.code,
                f.rule,
                f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn has(report: &DiffReport, rule: &str, severity: Severity, words: &str) -> bool {
    report
        .findings
        .iter()
        .any(|f: &Finding| f.rule == rule && f.severity == severity && f.message.contains(words))
}

#[test]
fn seed_rewrite_reports_the_changed_facts() {
    let original = read("samples/rubio-ukraine/001_109151376af7ad50.txt");
    let copy = read("samples/rubio-ukraine/002_835a622e70ab705f.txt");
    let report = diff(&original, &copy);
    let shown = show(&report);
    println!("{shown}");
    assert!(
        has(
            &report,
            "diff-changed-date",
            Severity::Error,
            "July 15, 2023"
        ),
        "{shown}"
    );
    assert!(
        has(
            &report,
            "diff-changed-role-qualifier",
            Severity::Warning,
            "acting"
        ),
        "{shown}"
    );
    assert!(
        has(
            &report,
            "diff-quote-reworded",
            Severity::Warning,
            "boots on the ground"
        ),
        "{shown}"
    );
    assert!(
        has(
            &report,
            "diff-added-quote",
            Severity::Warning,
            "help them out also"
        ),
        "{shown}"
    );
    assert!(
        has(&report, "diff-equivalent-title", Severity::Info, "Healey"),
        "{shown}"
    );
    assert!(
        has(
            &report,
            "diff-equivalent-spelling",
            Severity::Info,
            "Zelensky"
        ),
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

fn fixture(name: &str) -> crosscheck::Document {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let text = std::fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    document(name, &text)
}

/// The alignment as `original->copy` sentence ranges, `-` for none.
fn pairs(report: &DiffReport) -> String {
    let r = |x: &Option<std::ops::Range<usize>>| match x {
        Some(r) if r.len() == 1 => r.start.to_string(),
        Some(r) => format!("{}-{}", r.start, r.end - 1),
        None => "-".to_string(),
    };
    report
        .alignment
        .iter()
        .map(|p| format!("{}>{}", r(&p.original), r(&p.copy)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn warnings(report: &DiffReport) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect()
}

#[test]
fn golden_split() {
    let report = diff(&fixture("base.txt"), &fixture("split.txt"));
    assert_eq!(pairs(&report), "0>0 1>1-2 2>3 3>4 4>5", "{}", show(&report));
    assert!(warnings(&report).is_empty(), "{}", show(&report));
}

#[test]
fn golden_merge() {
    let report = diff(&fixture("base.txt"), &fixture("merge.txt"));
    assert_eq!(pairs(&report), "0-1>0 2>1 3>2 4>3", "{}", show(&report));
    assert!(warnings(&report).is_empty(), "{}", show(&report));
}

#[test]
fn golden_reorder() {
    let report = diff(&fixture("base.txt"), &fixture("reorder.txt"));
    let shown = pairs(&report);
    assert!(shown.contains("4>0"), "{shown}");
    for p in ["0>1", "1>2", "2>3", "3>4"] {
        assert!(shown.contains(p), "{shown}");
    }
    assert!(warnings(&report).is_empty(), "{}", show(&report));
}

#[test]
fn golden_pure_rewording_reports_nothing() {
    let report = diff(&fixture("base.txt"), &fixture("reworded.txt"));
    assert_eq!(pairs(&report), "0>0 1>1 2>2 3>3 4>4", "{}", show(&report));
    assert!(report.findings.is_empty(), "{}", show(&report));
}

#[test]
fn golden_number_change() {
    let report = diff(&fixture("base.txt"), &fixture("number.txt"));
    let w = warnings(&report);
    assert_eq!(w.len(), 1, "{}", show(&report));
    assert!(w[0].message.contains("60"), "{}", show(&report));
    assert!(w[0]
        .claims
        .iter()
        .any(|c| c.outlier && c.claim.text.contains("60")));
}

#[test]
fn golden_inserted_quote() {
    let report = diff(&fixture("base.txt"), &fixture("quote.txt"));
    assert_eq!(
        pairs(&report),
        "0>0 1>1 ->2 2>3 3>4 4>5",
        "{}",
        show(&report)
    );
    let w = warnings(&report);
    assert_eq!(w.len(), 1, "{}", show(&report));
    assert_eq!(w[0].rule, "diff-added-quote", "{}", show(&report));
}

/// Findings at warning level or above for `copy` against `original`, as
/// `CODE value` lines.
fn flagged(original: &str, copy: &str) -> Vec<String> {
    let report = diff(&document("o.txt", original), &document("c.txt", copy));
    warnings(&report)
        .iter()
        .map(|f| {
            let value = f
                .claims
                .iter()
                .find(|c| c.outlier)
                .map_or("", |c| c.claim.text.as_str());
            format!("{} {value}", f.code)
        })
        .collect()
}

const ARREST: &str = "NEW YORK - The founder of the troubled digital start-up Ozy Media, Carlos Watson, was arrested on Thursday on fraud charges. Prosecutors said Watson ran Ozy as a criminal organization. The company's former chief operating officer, Samir Rao, pleaded guilty this month. About 35 employees lost their jobs when it shut down in 2021, the U.S. attorney said.";

#[test]
fn equivalent_wordings_of_names_numbers_and_dates_are_not_flagged() {
    for copy in [
        // Surname alone, demonym, country for its abbreviation.
        "Watson, the founder of Ozy Media, was arrested on Thursday, American prosecutors said.",
        "The United States attorney said about thirty-five employees lost their jobs.",
        // A first name completing a name: the original gives it.
        "Ozy Media's Carlos Watson was arrested on fraud charges.",
    ] {
        assert_eq!(flagged(ARREST, copy), Vec::<String>::new(), "{copy}");
    }
    let original = "Talks with Dutch officials ended on Feb. 23, when the fund had raised $5bn, or 3.5 times its target. Putin was not invited.";
    let copy = "Talks with officials of the Netherlands ended on 23 February, when the fund had raised $5 billion. Vladimir Putin was not invited.";
    assert_eq!(flagged(original, copy), Vec::<String>::new());
}

#[test]
fn changed_names_numbers_and_dates_are_flagged() {
    let cases = [
        // A name the original never gives, in place of one it gives.
        (
            "The founder of the troubled digital start-up UFO Media was arrested on fraud charges.",
            "UFO",
        ),
        // "U.S." is not the pronoun "us", and not "U.K.".
        (
            "Let us be clear: the founder of Ozy Media, a U.K. start-up, was arrested.",
            "U.K",
        ),
        // Another person of the same story in the same place.
        (
            "The founder of the troubled digital start-up Ozy Media, Samir Rao, was arrested on Thursday on fraud charges.",
            "Samir Rao",
        ),
        // A number stated elsewhere, put in place of another.
        (
            "About 2021 employees lost their jobs when it shut down in 2021.",
            "2021",
        ),
        // The original's 35 counts employees, not years.
        ("Watson was arrested 35 years ago.", "35"),
        // A decimal point is not a thousands separator.
        ("Prosecutors said Watson ran Ozy as 3.5 organizations.", "3.5"),
        // Another weekday.
        (
            "The founder of Ozy Media was arrested on Friday on fraud charges.",
            "Friday",
        ),
    ];
    for (copy, words) in cases {
        let found = flagged(ARREST, copy);
        assert!(
            found.iter().any(|f| f.contains(words)),
            "{copy}: expected a finding on {words:?}, got {found:?}"
        );
    }
}

#[test]
fn golden_weekday_change() {
    let report = diff(&fixture("base.txt"), &fixture("date.txt"));
    assert_eq!(pairs(&report), "0>0 1>1 2>2 3>3 4>4", "{}", show(&report));
    let w = warnings(&report);
    assert_eq!(w.len(), 1, "{}", show(&report));
    assert_eq!(w[0].severity, Severity::Error, "{}", show(&report));
    assert!(w[0].message.contains("Wednesday"), "{}", show(&report));
    assert!(w[0].message.contains("Tuesday"), "{}", show(&report));
}

#[test]
fn golden_name_swap() {
    let report = diff(&fixture("base.txt"), &fixture("name.txt"));
    let w = warnings(&report);
    assert_eq!(w.len(), 1, "{}", show(&report));
    assert_eq!(w[0].rule, "diff-changed-name", "{}", show(&report));
    let texts: Vec<(bool, &str)> = w[0]
        .claims
        .iter()
        .map(|c| (c.outlier, c.claim.text.as_str()))
        .collect();
    assert_eq!(texts, [(false, "Jane"), (true, "Maria")]);
}
