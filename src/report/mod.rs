//! The last stage: formats what the stages produced. Nothing here reads
//! input or computes; every function takes plain data and a writer.

pub mod diff;
pub mod github;
pub mod markdown;
pub mod sarif;
pub mod wire;

use crate::check::spec::Severity;
use crate::check::Finding;
use crate::ingest::Bundle;
use crate::model::{BlockKind, Document, LineIndex, Sentence};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;
use std::io::{self, Write};

/// Output formats shared by `check` and `dump`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A human-readable table.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// Width tables are laid out to when stdout is not a terminal, so output is
/// the same on every machine.
const TABLE_WIDTH: u16 = 120;

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(TABLE_WIDTH)
        .set_header(header.to_vec());
    table
}

fn write_json_line<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

fn write_json_pretty<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// `dump documents`: what ingest read, with every block's kind.
pub fn documents(out: &mut dyn Write, bundle: &Bundle, format: Format) -> io::Result<()> {
    match format {
        Format::Table => {
            let mut table = new_table(&[
                "document",
                "source",
                "published",
                "title",
                "body",
                "boilerplate",
            ]);
            for doc in &bundle.documents {
                let body_lines: usize = doc
                    .blocks
                    .iter()
                    .filter(|b| b.kind == BlockKind::Body)
                    .map(|b| doc.text[b.range()].lines().count())
                    .sum();
                let boilerplate = doc
                    .blocks
                    .iter()
                    .filter(|b| matches!(b.kind, BlockKind::Boilerplate(_)))
                    .count();
                let published = match doc.published {
                    Some(date) => format!("{date} ({})", doc.published_from.as_str()),
                    None => "none".to_string(),
                };
                table.add_row(vec![
                    doc.id.clone(),
                    doc.source.clone().unwrap_or_else(|| "-".into()),
                    published,
                    doc.title.clone().unwrap_or_else(|| "-".into()),
                    format!("{body_lines} lines"),
                    format!("{boilerplate} lines"),
                ]);
            }
            writeln!(out, "{table}")
        }
        Format::Json => {
            let docs: Vec<_> = bundle
                .documents
                .iter()
                .map(wire::DocumentDump::from)
                .collect();
            write_json_pretty(
                out,
                &wire::DocumentsDump {
                    schema: "crosscheck/documents/v1",
                    documents: docs,
                    skipped: &bundle.skipped,
                },
            )
        }
        Format::Jsonl => {
            for doc in &bundle.documents {
                write_json_line(out, &wire::DocumentDump::from(doc))?;
            }
            Ok(())
        }
    }
}

/// `dump sentences`: each body sentence with its span.
pub fn sentences(
    out: &mut dyn Write,
    docs: &[(&Document, Vec<Sentence>)],
    format: Format,
) -> io::Result<()> {
    let rows = docs.iter().flat_map(|(doc, sentences)| {
        let index = LineIndex::new(&doc.text);
        sentences
            .iter()
            .enumerate()
            .map(move |(i, s)| wire::SentenceDump::new(doc, &index, i, s))
            .collect::<Vec<_>>()
    });
    match format {
        Format::Table => {
            let mut table = new_table(&["document", "#", "line:col", "sentence"]);
            for row in rows {
                table.add_row(vec![
                    row.doc.to_string(),
                    row.index.to_string(),
                    format!("{}:{}", row.line, row.column),
                    row.text.to_string(),
                ]);
            }
            writeln!(out, "{table}")
        }
        Format::Json => write_json_pretty(out, &rows.collect::<Vec<_>>()),
        Format::Jsonl => {
            for row in rows {
                write_json_line(out, &row)?;
            }
            Ok(())
        }
    }
}

/// `dump mentions`: every mention with its span and the extractor's fields.
pub fn mentions(
    out: &mut dyn Write,
    docs: &[(&Document, Vec<crate::extract::Mention>)],
    format: Format,
) -> io::Result<()> {
    let rows = docs.iter().flat_map(|(doc, mentions)| {
        let index = LineIndex::new(&doc.text);
        mentions
            .iter()
            .map(move |m| wire::MentionDump::new(doc, &index, m))
            .collect::<Vec<_>>()
    });
    match format {
        Format::Table => {
            let mut table = new_table(&["document", "line:col", "kind", "text", "value"]);
            for row in rows {
                table.add_row(vec![
                    row.doc.to_string(),
                    format!("{}:{}", row.line, row.column),
                    row.mention.kind_name().to_string(),
                    row.mention.text.clone(),
                    row.mention.value_summary(),
                ]);
            }
            writeln!(out, "{table}")
        }
        Format::Json => write_json_pretty(out, &rows.collect::<Vec<_>>()),
        Format::Jsonl => {
            for row in rows {
                write_json_line(out, &row)?;
            }
            Ok(())
        }
    }
}

/// The closing summary: every input accounted for.
pub fn summary_line(bundle: &Bundle) -> String {
    let read = bundle.documents.len();
    let skipped = bundle.skipped.len();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!("{} read, {} skipped", plural(read, "document"), skipped);
    if !bundle.warnings.is_empty() {
        line.push_str(&format!(", {}", plural(bundle.warnings.len(), "warning")));
    }
    if !bundle.errors.is_empty() {
        line.push_str(&format!(", {}", plural(bundle.errors.len(), "input error")));
    }
    line
}

/// Counts of findings by severity.
pub fn severity_counts(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    )
}

/// "6 findings (2 errors, 3 warnings, 1 info)".
pub fn findings_line(findings: &[Finding]) -> String {
    let (e, w, i) = severity_counts(findings);
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    if findings.is_empty() {
        return "0 findings".to_string();
    }
    format!(
        "{} ({}, {}, {} info)",
        plural(findings.len(), "finding"),
        plural(e, "error"),
        plural(w, "warning"),
        i
    )
}

/// The sentence around the evidence words, shortened to about `width`
/// characters with the words kept in view.
fn context_snippet(sentence: &str, words: &str, width: usize) -> String {
    let flat: String = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    let words_flat: String = words.split_whitespace().collect::<Vec<_>>().join(" ");
    window_around(&flat, &words_flat, width)
}

/// `text` cut to about `width` characters, the first `needle` a third of
/// the way in, with "…" where it was cut (the text start when the needle
/// is not found).
pub(crate) fn window_around(text: &str, needle: &str, width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return text.to_string();
    }
    let at = text.find(needle).map_or(0, |b| text[..b].chars().count());
    let start = at.saturating_sub(width / 3);
    let end = (start + width).min(chars.len());
    let mut out: String = chars[start..end].iter().collect();
    if start > 0 {
        out.insert(0, '…');
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// Every input, read or skipped: the reader knows what the findings rest on.
fn documents_read(out: &mut dyn Write, bundle: &Bundle) -> io::Result<()> {
    let mut table = new_table(&["document", "source", "published", "status"]);
    // A bundle is listed whole; an archive's thousands of rows would bury
    // the findings (and laying them out cost more than checking them), so
    // past READ_LISTED the first READ_SHOWN are listed and the rest summed
    // up: how many, from how many sources, published when. `dump documents`
    // lists them all.
    const READ_LISTED: usize = 50;
    const READ_SHOWN: usize = 25;
    let listed = if bundle.documents.len() > READ_LISTED {
        READ_SHOWN
    } else {
        bundle.documents.len()
    };
    for doc in bundle.documents.iter().take(listed) {
        let published = match doc.published {
            Some(date) => format!("{date} ({})", doc.published_from.as_str()),
            None => "none".to_string(),
        };
        table.add_row(vec![
            doc.id.clone(),
            doc.source.clone().unwrap_or_else(|| "-".into()),
            published,
            "read".to_string(),
        ]);
    }
    if let Some(rest) = bundle
        .documents
        .get(listed..)
        .filter(|rest| !rest.is_empty())
    {
        table.add_row(more_read_row(rest));
    }
    // A folder of thousands of unreadable files would bury the findings:
    // past a screenful the rest is counted by reason (stderr names each).
    const SHOWN: usize = 25;
    for skipped in bundle.skipped.iter().take(SHOWN) {
        table.add_row(vec![
            skipped.path.clone(),
            "-".into(),
            "-".into(),
            format!("skipped: {}", skipped.reason),
        ]);
    }
    if bundle.skipped.len() > SHOWN {
        let mut reasons: std::collections::BTreeMap<&str, usize> =
            std::collections::BTreeMap::new();
        for skipped in &bundle.skipped[SHOWN..] {
            *reasons.entry(skipped.reason.as_str()).or_default() += 1;
        }
        let summary = reasons
            .iter()
            .map(|(reason, n)| format!("{reason} ×{n}"))
            .collect::<Vec<_>>()
            .join("; ");
        table.add_row(vec![
            format!("… {} more", bundle.skipped.len() - SHOWN),
            "-".into(),
            "-".into(),
            format!("skipped: {summary}"),
        ]);
    }
    writeln!(out, "{table}")
}

/// The row standing for the read documents past the listed ones.
fn more_read_row(rest: &[Document]) -> Vec<String> {
    let sources: std::collections::BTreeSet<&str> = rest
        .iter()
        .filter_map(|doc| doc.source.as_deref())
        .collect();
    let first = rest.iter().filter_map(|doc| doc.published).min();
    let last = rest.iter().filter_map(|doc| doc.published).max();
    let undated = rest.iter().filter(|doc| doc.published.is_none()).count();
    let mut published = match (first, last) {
        (Some(first), Some(last)) if first == last => first.to_string(),
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "none".to_string(),
    };
    if undated > 0 && first.is_some() {
        published.push_str(&format!(" ({undated} undated)"));
    }
    vec![
        format!("… {} more", rest.len()),
        match sources.len() {
            0 => "-".to_string(),
            1 => "1 source".to_string(),
            n => format!("{n} sources"),
        },
        published,
        "read (`dump documents` lists them)".to_string(),
    ]
}

/// `check`: the findings, then the summary.
pub fn check(
    out: &mut dyn Write,
    bundle: &Bundle,
    findings: &[Finding],
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Table => {
            for finding in findings {
                let story = finding
                    .story
                    .as_deref()
                    .map(|s| format!(" [story {s}]"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{} {} {}{}: {}",
                    finding.severity.as_str(),
                    finding.code,
                    finding.rule,
                    story,
                    finding.label
                )?;
                writeln!(out, "  {}", finding.message)?;
                let mut table =
                    new_table(&["", "document", "line:col", "value", "words in context"]);
                for c in &finding.claims {
                    table.add_row(vec![
                        if c.outlier { "✗" } else { "" }.to_string(),
                        c.claim.doc.to_string(),
                        format!("{}:{}", c.claim.line, c.claim.column),
                        c.claim.value.clone(),
                        format!(
                            "“{}” in: {}",
                            c.claim.text,
                            context_snippet(&c.claim.sentence, &c.claim.text, 90)
                        ),
                    ]);
                }
                writeln!(out, "{table}")?;
                writeln!(out)?;
            }
            documents_read(out, bundle)?;
            writeln!(out, "{}; {}", summary_line(bundle), findings_line(findings))
        }
        Format::Json => write_json_pretty(out, &wire::Report::new(bundle, findings)),
        Format::Jsonl => {
            for finding in findings {
                write_json_line(out, &wire::FindingDump::from(finding))?;
            }
            write_json_line(out, &wire::Report::new(bundle, findings).summary)
        }
    }
}

/// `dump claims`.
pub fn claims(
    out: &mut dyn Write,
    claims: &[crate::claims::Claim],
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Table => {
            let mut table = new_table(&[
                "document",
                "line:col",
                "subject",
                "attribute",
                "value",
                "words",
            ]);
            for c in claims {
                let attribute = match &c.facet {
                    Some(f) => format!("{} ({f})", c.attribute),
                    None => c.attribute.clone(),
                };
                table.add_row(vec![
                    c.doc.to_string(),
                    format!("{}:{}", c.line, c.column),
                    c.subject.clone(),
                    attribute,
                    c.value.clone(),
                    c.text.clone(),
                ]);
            }
            writeln!(out, "{table}")
        }
        Format::Json => write_json_pretty(out, &claims),
        Format::Jsonl => {
            for c in claims {
                write_json_line(out, c)?;
            }
            Ok(())
        }
    }
}

/// `rules`: one line per rule.
pub fn rules_list(out: &mut dyn Write, rules: &[crate::check::spec::Rule]) -> io::Result<()> {
    let mut table = new_table(&["code", "id", "kind", "severity", "summary"]);
    for r in rules {
        table.add_row(vec![
            r.spec.code.clone(),
            r.spec.id.clone(),
            r.spec.kind.as_str().to_string(),
            r.spec.severity.as_str().to_string(),
            r.spec.summary.clone(),
        ]);
    }
    writeln!(out, "{table}")
}

/// `rules ID`: a rule's docs and parameters.
pub fn rule_docs(out: &mut dyn Write, rule: &crate::check::spec::Rule) -> io::Result<()> {
    let s = &rule.spec;
    writeln!(
        out,
        "{} {} ({}, {})",
        s.code,
        s.id,
        s.kind.as_str(),
        s.severity.as_str()
    )?;
    writeln!(out, "{}", s.summary)?;
    writeln!(out)?;
    writeln!(out, "What it catches\n  {}", s.docs.what)?;
    writeln!(out, "Why it matters\n  {}", s.docs.why)?;
    writeln!(out, "Example that fires\n  {}", s.docs.example)?;
    writeln!(out, "Near miss that does not\n  {}", s.docs.near_miss)?;
    let params = toml::to_string(&s.params).unwrap_or_default();
    if !params.trim().is_empty() {
        writeln!(out, "Parameters\n  {}", params.trim().replace('\n', "\n  "))?;
    }
    writeln!(out, "Defined in {}", rule.origin)
}
