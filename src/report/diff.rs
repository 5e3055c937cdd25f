//! `diff --format table`: each finding with the original's sentence and the
//! copy's side by side, the changed words marked `[-removed-]` in the
//! original and `{+added+}` in the copy (the marks of `git diff
//! --word-diff=plain`, readable without colour and stable in golden
//! files).

use super::{documents_read, findings_line, new_table, summary_line};
use crate::check::{Finding, FindingClaim};
use crate::claims::Claim;
use crate::diff::{words, DiffReport};
use crate::ingest::Bundle;
use crate::model::Document;
use std::io::{self, Write};
use std::ops::Range;

/// Sentences longer than this many characters are cut around the marks.
const MAX_SENTENCE: usize = 320;

/// One side of a finding as shown: where, and the sentence with marks.
struct Shown {
    heading: String,
    text: String,
}

/// `text[sentence]` with `marks` (absolute byte ranges inside it) wrapped.
fn marked(
    text: &str,
    sentence: &Range<usize>,
    marks: &[Range<usize>],
    open: &str,
    close: &str,
) -> String {
    let Some(s) = text.get(sentence.clone()) else {
        return String::new();
    };
    let relative: Vec<Range<usize>> = marks
        .iter()
        .filter(|m| m.start >= sentence.start && m.end <= sentence.end && m.start < m.end)
        .map(|m| m.start - sentence.start..m.end - sentence.start)
        .collect();
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = flat(&words::mark(s, &relative, open, close));
    // A long sentence is cut around its first change mark.
    super::window_around(&shown, open, MAX_SENTENCE)
}

fn heading(label: &str, doc: &Document, claim: Option<&Claim>, at: usize) -> String {
    match claim {
        Some(c) => format!("{label}: {} {}:{}", doc.id, c.line, c.column),
        None => {
            let index = crate::model::LineIndex::new(&doc.text);
            let (line, column) = index.line_col(&doc.text, at);
            format!("{label}: {} {line}:{column}", doc.id)
        }
    }
}

/// Both sides of one finding.
fn sides(
    finding: &Finding,
    report: &DiffReport,
    original: &Document,
    copy: &Document,
) -> (Shown, Shown) {
    let claim = |outlier: bool| {
        finding
            .claims
            .iter()
            .find(|c: &&FindingClaim| c.outlier == outlier)
            .map(|c| &c.claim)
    };
    let (o, c) = (claim(false), claim(true));
    let span = |c: &Claim| c.start..c.end.max(c.start);
    let around = |copy_side: bool, c: &Claim| report.sentence_around(copy_side, c.start, c.end);
    // The changed words: within the two claims when there are both, else
    // the whole claim of the side that has one.
    let (marks_o, marks_c) = match (o, c) {
        (Some(oc), Some(cc)) => {
            let (ot, ct) = (
                original.text.get(span(oc)).unwrap_or(""),
                copy.text.get(span(cc)).unwrap_or(""),
            );
            let (ro, rc) = words::changed(ot, ct);
            let shift = |rs: Vec<Range<usize>>, by: usize| -> Vec<Range<usize>> {
                rs.into_iter().map(|r| r.start + by..r.end + by).collect()
            };
            let (ro, rc) = (shift(ro, oc.start), shift(rc, cc.start));
            // Words that differ only in case or punctuation: mark the
            // claims whole, so the reader still sees where to look.
            if ro.is_empty() && rc.is_empty() {
                (vec![span(oc)], vec![span(cc)])
            } else {
                (ro, rc)
            }
        }
        (Some(oc), None) => (vec![span(oc)], Vec::new()),
        (None, Some(cc)) => (Vec::new(), vec![span(cc)]),
        (None, None) => (Vec::new(), Vec::new()),
    };
    let none = |what: &str| Shown {
        heading: what.to_string(),
        text: String::new(),
    };
    let shown_o = match o {
        Some(oc) => around(false, oc).map_or_else(
            || none("original"),
            |s| Shown {
                heading: heading("original", original, Some(oc), oc.start),
                text: marked(&original.text, &s, &marks_o, "[-", "-]"),
            },
        ),
        // An added fact: the original's sentences aligned with the copy's.
        None => match c.and_then(|cc| report.counterpart(true, cc.start)) {
            Some(s) => Shown {
                heading: heading("original", original, None, s.start),
                text: marked(&original.text, &s, &[], "[-", "-]"),
            },
            None => none("original: no counterpart"),
        },
    };
    let shown_c = match c {
        Some(cc) => around(true, cc).map_or_else(
            || none("copy"),
            |s| Shown {
                heading: heading("copy", copy, Some(cc), cc.start),
                text: marked(&copy.text, &s, &marks_c, "{+", "+}"),
            },
        ),
        // A dropped fact: the copy's sentences aligned with the original's.
        None => match o.and_then(|oc| report.counterpart(false, oc.start)) {
            Some(s) => Shown {
                heading: heading("copy", copy, None, s.start),
                text: marked(&copy.text, &s, &[], "{+", "+}"),
            },
            None => none("copy: left out"),
        },
    };
    (shown_o, shown_c)
}

/// Writes the findings, each with its two sentences side by side, then
/// the documents and the summary.
pub fn table(
    out: &mut dyn Write,
    bundle: &Bundle,
    findings: &[Finding],
    report: &DiffReport,
    original: &Document,
    copy: &Document,
) -> io::Result<()> {
    for finding in findings {
        writeln!(
            out,
            "{} {} {}: {}",
            finding.severity.as_str(),
            finding.code,
            finding.rule,
            finding.label
        )?;
        writeln!(out, "  {}", finding.message)?;
        let (o, c) = sides(finding, report, original, copy);
        let mut table = new_table(&[o.heading.as_str(), c.heading.as_str()]);
        table.add_row(vec![o.text, c.text]);
        writeln!(out, "{table}")?;
        writeln!(out)?;
    }
    documents_read(out, bundle)?;
    writeln!(out, "{}; {}", summary_line(bundle), findings_line(findings))
}
