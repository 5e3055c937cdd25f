//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding on the outlier's words, so a pull request shows the finding on
//! the line that is wrong.
//!
//! GitHub shows only the first 10 annotations of each kind per step, so
//! when there are more than 10 findings the Markdown report is written as
//! well: appended to the file `GITHUB_STEP_SUMMARY` names (the job summary
//! page), or printed to the log after the annotations when that variable
//! is unset or the file cannot be written.
//!
//! The last line is the plain-text summary, not a `::notice::`: a notice
//! would take one of the step's annotation slots, and the log still ends
//! with the counts.
//!
//! Input: the bundle and its findings. Output: text lines, the same bytes
//! for the same input and environment.

use crate::check::spec::Severity;
use crate::check::{Finding, FindingClaim};
use crate::ingest::Bundle;
use crate::model::{Document, InputFormat};
use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;

/// How many annotations of one kind GitHub shows per step.
pub const ANNOTATION_LIMIT: usize = 10;

/// Escapes a command's message (the part after `::`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (`file=`, `title=`...), where `:` and
/// `,` would end the value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The claim the annotation sits on: the first outlier, or the first claim
/// when no source is singled out.
fn primary(finding: &Finding) -> Option<&FindingClaim> {
    finding
        .claims
        .iter()
        .find(|c| c.outlier)
        .or_else(|| finding.claims.first())
}

/// One annotation line. `line` and `col` are given only when they point
/// into the file (not for HTML or JSON records, whose positions are in the
/// extracted text), `file` only when there is one (not for stdin).
fn annotation(finding: &Finding, docs: &BTreeMap<&str, &Document>) -> String {
    let mut properties = Vec::new();
    if let Some(c) = primary(finding) {
        let claim = &c.claim;
        let doc = docs.get(&*claim.doc).copied();
        let stdin = &*claim.path == "-" || doc.is_some_and(|d| d.format == InputFormat::Stdin);
        if !stdin {
            let path = claim.path.replace('\\', "/");
            let path = path.trim_start_matches("./");
            properties.push(format!("file={}", escape_property(path)));
            let maps_to_file =
                doc.is_none_or(|d| matches!(d.format, InputFormat::Text | InputFormat::Markdown));
            if maps_to_file && claim.line > 0 {
                properties.push(format!("line={}", claim.line));
                properties.push(format!("col={}", claim.column));
            }
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("{} {}", finding.code, finding.rule))
    ));
    // Every source's words under the message, so the annotation can be
    // checked without opening the other files.
    let mut message = finding.message.clone();
    for c in &finding.claims {
        let claim = &c.claim;
        message.push_str(&format!(
            "\n{}:{}:{}: {} “{}”{}",
            claim.doc,
            claim.line,
            claim.column,
            claim.value,
            claim.text.split_whitespace().collect::<Vec<_>>().join(" "),
            if c.outlier { " (outlier)" } else { "" }
        ));
    }
    format!(
        "::{} {}::{}",
        command(finding.severity),
        properties.join(","),
        escape_data(&message)
    )
}

/// FNV-1a of the text: a `stop-commands` token that the text itself cannot
/// contain, yet the same on every run.
fn token(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("crosscheck-{hash:016x}")
}

/// Writes the annotations, the Markdown report when there are more than
/// [`ANNOTATION_LIMIT`] findings (to the file `GITHUB_STEP_SUMMARY` names,
/// when set), and the summary line.
pub fn write(out: &mut dyn Write, bundle: &Bundle, findings: &[Finding]) -> io::Result<()> {
    let summary = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty());
    write_with_summary(out, bundle, findings, summary.as_deref().map(Path::new))
}

/// [`write`] with the step-summary file given instead of read from the
/// environment.
pub fn write_with_summary(
    out: &mut dyn Write,
    bundle: &Bundle,
    findings: &[Finding],
    step_summary: Option<&Path>,
) -> io::Result<()> {
    let docs: BTreeMap<&str, &Document> = bundle
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    for finding in findings {
        writeln!(out, "{}", annotation(finding, &docs))?;
    }
    let mut tail = String::new();
    if findings.len() > ANNOTATION_LIMIT {
        let mut report = Vec::new();
        super::markdown::write(&mut report, bundle, findings)?;
        let appended = step_summary.is_some_and(|path| append(path, &report).is_ok());
        if appended {
            tail = "; full report in the job summary".to_string();
        } else {
            let report = String::from_utf8_lossy(&report);
            // Article words in the report must not run as workflow
            // commands: stop command processing around it.
            let stop = token(&report);
            writeln!(out, "::stop-commands::{stop}")?;
            out.write_all(report.as_bytes())?;
            writeln!(out, "::{stop}::")?;
        }
    }
    writeln!(
        out,
        "crosscheck: {}; {}{tail}",
        super::summary_line(bundle),
        super::findings_line(findings)
    )
}

fn append(path: &Path, report: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(report)?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sarif::fixture;

    fn render(bundle: &Bundle, findings: &[Finding], summary: Option<&Path>) -> String {
        let mut out = Vec::new();
        write_with_summary(&mut out, bundle, findings, summary).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escape_data_and_property_follow_github_rules() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn write_annotates_the_outlier_with_escaped_evidence() {
        let (bundle, mut findings) = fixture::bundle();
        findings[0].message = "100% sure: a, b\nnext".to_string();
        findings[0].rule = "rule,with:colon".to_string();
        let text = render(&bundle, &findings, None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with(
                "::error file=bundle/c.txt,line=2,col=18,title=D001 rule%2Cwith%3Acolon::100%25 sure: a, b%0Anext%0A"
            ),
            "{}",
            lines[0]
        );
        assert!(lines[0].ends_with("c.txt:2:18: 2023-07-15 “July 15, 2023” (outlier)"));
        assert_eq!(
            lines[1],
            "crosscheck: 3 documents read, 1 skipped; 1 finding (1 error, 0 warnings, 0 info)"
        );
    }

    #[test]
    fn write_uses_warning_and_notice_and_drops_positions_of_extracted_text() {
        let (mut bundle, mut findings) = fixture::bundle();
        bundle.documents[2].format = InputFormat::Html;
        findings[0].severity = Severity::Info;
        let text = render(&bundle, &findings, None);
        assert!(text.starts_with("::notice file=bundle/c.txt,title=D001 "));
        findings[0].severity = Severity::Warning;
        assert!(render(&bundle, &findings, None).starts_with("::warning "));
    }

    #[test]
    fn write_leaves_out_the_file_of_stdin() {
        let (mut bundle, mut findings) = fixture::bundle();
        bundle.documents[2].format = InputFormat::Stdin;
        findings[0].claims[2].claim.path = "-".into();
        let text = render(&bundle, &findings, None);
        assert!(
            text.starts_with("::error title=D001 event-date-conflict::"),
            "{text}"
        );
    }

    #[test]
    fn write_prints_the_report_after_more_than_ten_annotations() {
        let (bundle, findings) = fixture::bundle();
        let ten: Vec<Finding> = std::iter::repeat_n(findings[0].clone(), 10).collect();
        let text = render(&bundle, &ten, None);
        assert_eq!(text.lines().count(), 11);
        assert!(!text.contains("# crosscheck report"));

        let eleven: Vec<Finding> = std::iter::repeat_n(findings[0].clone(), 11).collect();
        let text = render(&bundle, &eleven, None);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[11].starts_with("::stop-commands::crosscheck-"));
        let stop = lines[11].trim_start_matches("::stop-commands::");
        assert_eq!(lines[12], "# crosscheck report");
        let resume = lines
            .iter()
            .position(|l| *l == format!("::{stop}::"))
            .unwrap();
        assert_eq!(resume, lines.len() - 2);
        assert!(lines[lines.len() - 1].starts_with("crosscheck: 3 documents read"));
        assert_eq!(text, render(&bundle, &eleven, None));
    }

    #[test]
    fn write_appends_the_report_to_the_step_summary_file() {
        let (bundle, findings) = fixture::bundle();
        let eleven: Vec<Finding> = std::iter::repeat_n(findings[0].clone(), 11).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        std::fs::write(&path, "earlier step\n").unwrap();
        let text = render(&bundle, &eleven, Some(&path));
        assert_eq!(text.lines().count(), 12);
        assert!(text.ends_with("; full report in the job summary\n"));
        let summary = std::fs::read_to_string(&path).unwrap();
        assert!(summary.starts_with("earlier step\n# crosscheck report\n"));
        assert_eq!(summary.matches("### **error** D001").count(), 11);
    }
}
