//! The last stage: formats what the stages produced. Nothing here reads
//! input or computes; every function takes plain data and a writer.

pub mod wire;

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

/// `check` before rules exist: what was read and what was skipped.
pub fn check(out: &mut dyn Write, bundle: &Bundle, format: Format) -> io::Result<()> {
    match format {
        Format::Table => {
            let mut table = new_table(&["document", "source", "published", "status"]);
            for doc in &bundle.documents {
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
            for skipped in &bundle.skipped {
                table.add_row(vec![
                    skipped.path.clone(),
                    "-".into(),
                    "-".into(),
                    format!("skipped: {}", skipped.reason),
                ]);
            }
            writeln!(out, "{table}")?;
            writeln!(out, "{}; 0 findings", summary_line(bundle))
        }
        Format::Json => write_json_pretty(out, &wire::Report::new(bundle)),
        Format::Jsonl => {
            // One finding per line; with no rules yet there are none, and
            // the summary goes last so a stream consumer sees the totals.
            write_json_line(out, &wire::Report::new(bundle).summary)
        }
    }
}
