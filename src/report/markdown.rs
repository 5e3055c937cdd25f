//! `--format markdown`: a report to paste into a pull-request comment or a
//! fact-check memo. Plain GitHub-flavoured Markdown, no emoji: severity is a
//! bold word, the outlier a word in its own column.
//!
//! Input: the bundle and its findings. Output: one Markdown document, the
//! same bytes for the same input.

use crate::check::Finding;
use crate::ingest::Bundle;
use std::io::{self, Write};

/// Text from articles and rules as inline Markdown: whitespace runs (line
/// breaks included) become one space, and ASCII punctuation that Markdown,
/// HTML or GitHub's math would act on is backslash-escaped, so quoted words
/// render as written and cannot inject markup into a comment. An `_`
/// between two letters or digits is left alone: it cannot open emphasis
/// there, and ids like `000_e31d.txt` stay readable.
pub fn inline(text: &str) -> String {
    let flat: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let mut out = String::with_capacity(flat.len());
    for (i, &ch) in flat.iter().enumerate() {
        let escape = match ch {
            '_' => {
                let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
                !(i > 0 && word(flat.get(i - 1)) && word(flat.get(i + 1)))
            }
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '$' => true,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A table cell: inline text, with an empty cell shown as a dash so the
/// table keeps its shape in every renderer.
pub fn cell(text: &str) -> String {
    let escaped = inline(text);
    if escaped.is_empty() {
        "-".to_string()
    } else {
        escaped
    }
}

/// Writes the report: title, summary, one section per finding, then every
/// input read or skipped.
pub fn write(out: &mut dyn Write, bundle: &Bundle, findings: &[Finding]) -> io::Result<()> {
    writeln!(out, "# crosscheck report")?;
    writeln!(out)?;
    writeln!(
        out,
        "{}; {}.",
        super::summary_line(bundle),
        super::findings_line(findings)
    )?;
    writeln!(out)?;
    writeln!(out, "## Findings")?;
    writeln!(out)?;
    if findings.is_empty() {
        writeln!(
            out,
            "The sources do not disagree on anything the rules check."
        )?;
        writeln!(out)?;
    }
    for finding in findings {
        writeln!(
            out,
            "### **{}** {} {} — {}",
            finding.severity.as_str(),
            inline(&finding.code),
            inline(&finding.rule),
            inline(&finding.label)
        )?;
        writeln!(out)?;
        writeln!(out, "{}", inline(&finding.message))?;
        writeln!(out)?;
        if let Some(majority) = &finding.majority {
            writeln!(out, "Most sources say: {}.", inline(majority))?;
            writeln!(out)?;
        }
        writeln!(out, "| | source | where | value | words |")?;
        writeln!(out, "| --- | --- | --- | --- | --- |")?;
        for c in &finding.claims {
            let claim = &c.claim;
            let source = match &claim.source {
                Some(s) => format!("{} ({})", cell(&claim.doc), inline(s)),
                None => cell(&claim.doc),
            };
            writeln!(
                out,
                "| {} | {} | {}:{}:{} | {} | “{}” |",
                if c.outlier { "**outlier**" } else { "" },
                source,
                cell(&claim.path),
                claim.line,
                claim.column,
                cell(&claim.value),
                inline(&claim.text)
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Documents")?;
    writeln!(out)?;
    writeln!(out, "| document | source | published | status |")?;
    writeln!(out, "| --- | --- | --- | --- |")?;
    for doc in &bundle.documents {
        let published = match doc.published {
            Some(date) => format!("{date} ({})", doc.published_from.as_str()),
            None => "none".to_string(),
        };
        writeln!(
            out,
            "| {} | {} | {} | read |",
            cell(&doc.id),
            cell(doc.source.as_deref().unwrap_or("")),
            published
        )?;
    }
    for skipped in &bundle.skipped {
        writeln!(
            out,
            "| {} | - | - | skipped: {} |",
            cell(&skipped.path),
            inline(&skipped.reason)
        )?;
    }
    if !bundle.warnings.is_empty() || !bundle.errors.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Input notes")?;
        writeln!(out)?;
        for w in &bundle.warnings {
            writeln!(
                out,
                "- warning: {}: {}",
                inline(&w.path),
                inline(&w.message)
            )?;
        }
        for e in &bundle.errors {
            writeln!(out, "- error: {}", inline(e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sarif::fixture;

    fn render(bundle: &Bundle, findings: &[Finding]) -> String {
        let mut out = Vec::new();
        write(&mut out, bundle, findings).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn inline_escapes_pipes_and_flattens_newlines() {
        assert_eq!(inline("a | b\nc\r\n  d"), "a \\| b c d");
        assert_eq!(inline("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
        assert_eq!(cell(" \n"), "-");
        assert_eq!(inline("000_e3.txt _x_ a_"), "000_e3.txt \\_x\\_ a\\_");
    }

    #[test]
    fn write_renders_a_table_row_per_claim_with_the_outlier_marked() {
        let (bundle, findings) = fixture::bundle();
        let text = render(&bundle, &findings);
        assert!(text.starts_with("# crosscheck report\n\n3 documents read, 1 skipped; 1 finding"));
        assert!(text.contains("### **error** D001 event-date-conflict — the date of the call\n"));
        // The outlet name with a pipe and the words with a line break stay
        // inside their cells.
        assert!(text.contains(
            "| **outlier** | c.txt (Outlet \\| C) | bundle/c.txt:2:18 | 2023-07-15 | “July 15, 2023” |\n"
        ));
        assert!(text.contains("|  | b.txt | bundle/b.txt:1:18 | 2025-08-21 | “Thursday” |\n"));
        // Five columns in the findings' tables, four in the documents'.
        for line in text.lines().filter(|l| l.starts_with("| ")) {
            let pipes = line.matches('|').count() - line.matches("\\|").count();
            assert!(pipes == 6 || pipes == 5, "{line}");
        }
        assert!(text.contains("| bundle/d.bin | - | - | skipped: binary file |\n"));
        assert!(text.contains("| a.txt | Outlet A | none | read |\n"));
    }

    #[test]
    fn write_is_deterministic_and_says_when_nothing_was_found() {
        let (bundle, findings) = fixture::bundle();
        assert_eq!(render(&bundle, &findings), render(&bundle, &findings));
        let text = render(&bundle, &[]);
        assert!(text.contains("0 findings."));
        assert!(text.contains("do not disagree"));
    }
}
