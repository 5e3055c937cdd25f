//! The claims interchange: what `dump claims --format jsonl` writes and
//! `check --claims` reads, so that extraction (the map side) and the rules
//! (the reduce side) can run on different machines.
//!
//! One JSON object per line, each tagged with `type`:
//!
//! - `document`: one read document (id, path, story, date, ...), written
//!   before its claims. A document that states nothing checkable still
//!   counts: the number of documents in a story weighs how distinctive a
//!   participant is when events are keyed, and every document's date
//!   places the story in time.
//! - `claim`: one [`Claim`], with the story key it is shuffled by.
//! - `skipped` and `warning`: inputs not read, or read with a note, so the
//!   reduce side's summary accounts for every input.
//!
//! Lines without a `type` are read as claims (files written before the
//! tag existed).

use crate::claims::Claim;
use crate::ingest::{Bundle, Skipped, Warning};
use crate::model::{Document, InputFormat, Provenance};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

/// A document as the interchange carries it: everything the rules and the
/// report need, without the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub doc: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    #[serde(default)]
    pub format: Option<InputFormat>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub published: Option<NaiveDate>,
    #[serde(default)]
    pub published_from: Option<Provenance>,
}

impl From<&Document> for DocumentRecord {
    fn from(doc: &Document) -> Self {
        DocumentRecord {
            doc: doc.id.clone(),
            path: doc.path.clone(),
            story: doc.group.clone(),
            format: Some(doc.format),
            source: doc.source.clone(),
            title: doc.title.clone(),
            url: doc.url.clone(),
            published: doc.published,
            published_from: Some(doc.published_from),
        }
    }
}

impl DocumentRecord {
    fn into_document(self) -> Document {
        let published_from = self.published_from.unwrap_or(if self.published.is_some() {
            Provenance::Metadata
        } else {
            Provenance::None
        });
        Document {
            id: self.doc,
            path: self.path,
            format: self.format.unwrap_or(InputFormat::Jsonl),
            source: self.source,
            title: self.title,
            url: self.url,
            published: self.published,
            published_from,
            published_text: None,
            text: String::new(),
            blocks: Vec::new(),
            warnings: Vec::new(),
            group: self.story,
        }
    }

    fn from_claim(c: &Claim) -> Self {
        DocumentRecord {
            doc: c.doc.to_string(),
            path: c.path.to_string(),
            story: c.story.as_deref().map(str::to_string),
            format: None,
            source: c.source.as_deref().map(str::to_string),
            title: None,
            url: None,
            published: c.published,
            published_from: None,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct SkippedRecord {
    path: String,
    reason: String,
}

#[derive(Serialize, Deserialize)]
struct WarningRecord {
    path: String,
    message: String,
}

/// Puts the `type` tag first, so a line's kind is readable at a glance
/// (and by `jq 'select(.type == "claim")'`).
#[derive(Serialize)]
struct Tagged<'a, T> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    record: &'a T,
}

fn line<T: Serialize>(out: &mut dyn Write, kind: &'static str, record: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Tagged { kind, record })?;
    out.write_all(b"\n")
}

/// Writes one document and its claims.
pub fn write_document(out: &mut dyn Write, doc: &Document, claims: &[Claim]) -> io::Result<()> {
    line(out, "document", &DocumentRecord::from(doc))?;
    for claim in claims {
        line(out, "claim", claim)?;
    }
    Ok(())
}

/// Writes what was skipped or read with a warning.
pub fn write_notes(out: &mut dyn Write, bundle: &Bundle) -> io::Result<()> {
    for s in &bundle.skipped {
        let record = SkippedRecord {
            path: s.path.clone(),
            reason: s.reason.clone(),
        };
        line(out, "skipped", &record)?;
    }
    for w in &bundle.warnings {
        let record = WarningRecord {
            path: w.path.clone(),
            message: w.message.clone(),
        };
        line(out, "warning", &record)?;
    }
    Ok(())
}

/// What `check --claims` works on: the documents (text-less) with what was
/// skipped, and the claims.
#[derive(Debug, Default)]
pub struct Claims {
    pub bundle: Bundle,
    pub claims: Vec<Claim>,
}

/// The `type` of a line; the writer puts it first, so most lines are told
/// apart without a second parse.
fn kind_of(line: &str) -> Option<String> {
    if let Some(rest) = line.strip_prefix("{\"type\":\"") {
        if let Some(end) = rest.find('"') {
            return Some(rest[..end].to_string());
        }
    }
    #[derive(Deserialize)]
    struct Kind {
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    serde_json::from_str::<Kind>(line).ok().and_then(|k| k.kind)
}

/// Reads an interchange stream. `name` is how the stream is called in
/// messages (`claims.jsonl:12: not a claim: ...`). A line that is not a
/// record is counted as skipped, never fatal; only failing to read is.
pub fn read(reader: impl BufRead, name: &str) -> io::Result<Claims> {
    let mut bundle = Bundle::default();
    let mut claims = Vec::new();
    let mut documents: BTreeMap<String, DocumentRecord> = BTreeMap::new();
    for (n, text) in reader.lines().enumerate() {
        let text = text.map_err(|e| io::Error::new(e.kind(), format!("{name}:{}: {e}", n + 1)))?;
        if text.trim().is_empty() {
            continue;
        }
        let at = format!("{name}:{}", n + 1);
        let kind = kind_of(&text);
        let parsed = match kind.as_deref() {
            None | Some("claim") => serde_json::from_str::<Claim>(&text)
                .map(|c| claims.push(c))
                .map_err(|e| format!("not a claim: {e}")),
            Some("document") => serde_json::from_str::<DocumentRecord>(&text)
                .map_err(|e| format!("not a document record: {e}"))
                .map(|d| match documents.get(&d.doc) {
                    Some(known) if known.path != d.path => bundle.warnings.push(Warning {
                        path: at.clone(),
                        message: format!(
                            "document {} was already read from {}; its claims are merged",
                            d.doc, known.path
                        ),
                    }),
                    Some(_) => {}
                    None => {
                        documents.insert(d.doc.clone(), d);
                    }
                }),
            Some("skipped") => serde_json::from_str::<SkippedRecord>(&text)
                .map(|s| {
                    bundle.skipped.push(Skipped {
                        path: s.path,
                        reason: s.reason,
                    })
                })
                .map_err(|e| format!("not a skipped record: {e}")),
            Some("warning") => serde_json::from_str::<WarningRecord>(&text)
                .map(|w| {
                    bundle.warnings.push(Warning {
                        path: w.path,
                        message: w.message,
                    })
                })
                .map_err(|e| format!("not a warning record: {e}")),
            Some(other) => Err(format!(
                "unknown record type {other:?} (expected document, claim, skipped or warning)"
            )),
        };
        if let Err(reason) = parsed {
            bundle.skipped.push(Skipped { path: at, reason });
        }
    }
    // Claims from a stream without document records still name their
    // documents.
    for c in &claims {
        if !documents.contains_key(&*c.doc) {
            documents.insert(c.doc.to_string(), DocumentRecord::from_claim(c));
        }
    }
    bundle.documents = documents
        .into_values()
        .map(DocumentRecord::into_document)
        .collect();
    bundle.skipped.sort();
    bundle.skipped.dedup();
    bundle.warnings.sort();
    bundle.warnings.dedup();
    Ok(Claims { bundle, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, story: Option<&str>) -> Document {
        Document {
            id: id.into(),
            path: format!("a.jsonl:{id}"),
            format: InputFormat::Jsonl,
            source: Some("Outlet".into()),
            title: Some("Title".into()),
            url: None,
            published: NaiveDate::from_ymd_opt(2024, 5, 1),
            published_from: Provenance::Dateline,
            published_text: Some("May 1, 2024".into()),
            text: "Text.".into(),
            blocks: Vec::new(),
            warnings: Vec::new(),
            group: story.map(str::to_string),
        }
    }

    #[test]
    fn a_document_without_claims_survives_the_round_trip() {
        let mut out = Vec::new();
        write_document(&mut out, &doc("a#1", Some("s1")), &[]).expect("write");
        let bundle = Bundle {
            skipped: vec![Skipped {
                path: "a.jsonl:3".into(),
                reason: "record text is empty".into(),
            }],
            warnings: vec![Warning {
                path: "a.jsonl:4".into(),
                message: "decoded as Windows-1252".into(),
            }],
            ..Bundle::default()
        };
        write_notes(&mut out, &bundle).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("{\"type\":\"document\",\"doc\":\"a#1\""));
        let read = read(text.as_bytes(), "x.jsonl").expect("read");
        assert!(read.claims.is_empty());
        assert_eq!(read.bundle.documents.len(), 1);
        let d = &read.bundle.documents[0];
        assert_eq!(d.group.as_deref(), Some("s1"));
        assert_eq!(d.published_from, Provenance::Dateline);
        assert_eq!(d.title.as_deref(), Some("Title"));
        assert_eq!(read.bundle.skipped, bundle.skipped);
        assert_eq!(read.bundle.warnings, bundle.warnings);
    }

    #[test]
    fn bad_and_unknown_lines_are_skipped_with_their_line_number() {
        let text = "{\"type\":\"document\",\"doc\":\"a\",\"path\":\"p\"}\n\n\
                    {\"type\":\"table\"}\n\
                    {\"type\": \"document\", \"doc\": 7}\n\
                    not json\n";
        let read = read(text.as_bytes(), "x.jsonl").expect("read");
        let paths: Vec<&str> = read
            .bundle
            .skipped
            .iter()
            .map(|s| s.path.as_str())
            .collect();
        assert_eq!(paths, ["x.jsonl:3", "x.jsonl:4", "x.jsonl:5"]);
        assert!(read.bundle.skipped[0]
            .reason
            .contains("unknown record type"));
        assert!(read.bundle.skipped[1].reason.contains("not a document"));
        assert!(read.bundle.skipped[2].reason.contains("not a claim"));
        assert_eq!(read.bundle.documents.len(), 1);
    }

    #[test]
    fn one_id_from_two_paths_is_a_warning() {
        let text = "{\"type\":\"document\",\"doc\":\"a\",\"path\":\"p1\"}\n\
                    {\"type\":\"document\",\"doc\":\"a\",\"path\":\"p1\"}\n\
                    {\"type\":\"document\",\"doc\":\"a\",\"path\":\"p2\"}\n";
        let read = read(text.as_bytes(), "x.jsonl").expect("read");
        assert_eq!(read.bundle.documents.len(), 1);
        assert_eq!(read.bundle.warnings.len(), 1);
        assert_eq!(read.bundle.warnings[0].path, "x.jsonl:3");
    }
}
