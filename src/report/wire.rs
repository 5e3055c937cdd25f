//! Serialization-only types: the JSON shapes crosscheck writes. Kept apart
//! from the model so the wire format changes only on purpose.

use crate::check::spec::Severity;
use crate::check::Finding;
use crate::ingest::{Bundle, Skipped};
use crate::model::{BlockKind, Document, InputFormat, LineIndex, Sentence};
use serde::Serialize;

#[derive(Serialize)]
pub struct BlockDump<'a> {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
    pub text: &'a str,
}

#[derive(Serialize)]
pub struct DocumentDump<'a> {
    pub id: &'a str,
    pub path: &'a str,
    pub format: InputFormat,
    pub source: Option<&'a str>,
    pub title: Option<&'a str>,
    pub url: Option<&'a str>,
    pub published: Option<String>,
    pub published_from: &'static str,
    pub published_text: Option<&'a str>,
    pub bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a str>,
    pub warnings: &'a [String],
    /// The article text, block by block: what later stages read.
    pub body: Vec<&'a str>,
    pub blocks: Vec<BlockDump<'a>>,
}

impl<'a> From<&'a Document> for DocumentDump<'a> {
    fn from(doc: &'a Document) -> Self {
        let index = LineIndex::new(&doc.text);
        let blocks = doc
            .blocks
            .iter()
            .map(|b| {
                let (kind, reason) = match &b.kind {
                    BlockKind::Body => ("body", None),
                    BlockKind::Title => ("title", None),
                    BlockKind::Meta => ("meta", None),
                    BlockKind::FrontMatter => ("front-matter", None),
                    BlockKind::Boilerplate(reason) => ("boilerplate", Some(reason.as_str())),
                };
                BlockDump {
                    start: b.start,
                    end: b.end,
                    line: index.line_col(&doc.text, b.start).0,
                    kind,
                    reason,
                    text: doc.text.get(b.range()).unwrap_or(""),
                }
            })
            .collect();
        DocumentDump {
            id: &doc.id,
            path: &doc.path,
            format: doc.format,
            source: doc.source.as_deref(),
            title: doc.title.as_deref(),
            url: doc.url.as_deref(),
            published: doc.published.map(|d| d.to_string()),
            published_from: doc.published_from.as_str(),
            published_text: doc.published_text.as_deref(),
            bytes: doc.text.len(),
            group: doc.group.as_deref(),
            warnings: &doc.warnings,
            body: doc.body_ranges().filter_map(|r| doc.text.get(r)).collect(),
            blocks,
        }
    }
}

#[derive(Serialize)]
pub struct DocumentsDump<'a> {
    pub schema: &'static str,
    pub documents: Vec<DocumentDump<'a>>,
    pub skipped: &'a [Skipped],
}

#[derive(Serialize)]
pub struct SentenceDump<'a> {
    pub doc: &'a str,
    pub index: usize,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub text: &'a str,
}

impl<'a> SentenceDump<'a> {
    pub fn new(doc: &'a Document, index: &LineIndex, i: usize, s: &Sentence) -> Self {
        let (line, column) = index.line_col(&doc.text, s.start);
        SentenceDump {
            doc: &doc.id,
            index: i + 1,
            start: s.start,
            end: s.end,
            line,
            column,
            text: doc.text.get(s.start..s.end).unwrap_or(""),
        }
    }
}

/// A document's entry in the check report.
#[derive(Serialize)]
pub struct ReportDocument<'a> {
    pub id: &'a str,
    pub path: &'a str,
    pub source: Option<&'a str>,
    pub title: Option<&'a str>,
    pub published: Option<String>,
    pub published_from: &'static str,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Summary {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub documents_read: usize,
    pub documents_skipped: usize,
    pub warnings: usize,
    pub input_errors: usize,
    pub findings: usize,
    pub errors: usize,
    pub warning_findings: usize,
    pub info: usize,
}

/// One source's claim inside a finding.
#[derive(Serialize)]
pub struct FindingClaimDump<'a> {
    pub doc: &'a str,
    pub path: &'a str,
    pub source: Option<&'a str>,
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub value: &'a str,
    pub sentence: &'a str,
    pub outlier: bool,
}

/// A finding as `check --format json|jsonl` writes it.
#[derive(Serialize)]
pub struct FindingDump<'a> {
    #[serde(rename = "type")]
    pub kind_tag: &'static str,
    pub rule: &'a str,
    pub code: &'a str,
    pub kind: &'static str,
    pub severity: &'static str,
    pub key: &'a str,
    pub label: &'a str,
    pub message: &'a str,
    pub majority: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<&'a str>,
    pub fingerprint: String,
    pub claims: Vec<FindingClaimDump<'a>>,
}

impl<'a> From<&'a Finding> for FindingDump<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingDump {
            kind_tag: "finding",
            rule: &f.rule,
            code: &f.code,
            kind: f.kind.as_str(),
            severity: f.severity.as_str(),
            key: &f.key,
            label: &f.label,
            message: &f.message,
            majority: f.majority.as_deref(),
            story: f.story.as_deref(),
            fingerprint: f.fingerprint(),
            claims: f
                .claims
                .iter()
                .map(|c| FindingClaimDump {
                    doc: &c.claim.doc,
                    path: &c.claim.path,
                    source: c.claim.source.as_deref(),
                    line: c.claim.line,
                    column: c.claim.column,
                    start: c.claim.start,
                    end: c.claim.end,
                    text: &c.claim.text,
                    value: &c.claim.value,
                    sentence: &c.claim.sentence,
                    outlier: c.outlier,
                })
                .collect(),
        }
    }
}

/// `check --format json`: `crosscheck/report/v1`.
#[derive(Serialize)]
pub struct Report<'a> {
    pub schema: &'static str,
    pub documents: Vec<ReportDocument<'a>>,
    pub findings: Vec<FindingDump<'a>>,
    pub summary: Summary,
}

impl<'a> Report<'a> {
    pub fn new(bundle: &'a Bundle, findings: &'a [Finding]) -> Self {
        let mut documents: Vec<ReportDocument<'a>> = bundle
            .documents
            .iter()
            .map(|d| ReportDocument {
                id: &d.id,
                path: &d.path,
                source: d.source.as_deref(),
                title: d.title.as_deref(),
                published: d.published.map(|p| p.to_string()),
                published_from: d.published_from.as_str(),
                status: "read",
                reason: None,
            })
            .collect();
        documents.extend(bundle.skipped.iter().map(|s| ReportDocument {
            id: &s.path,
            path: &s.path,
            source: None,
            title: None,
            published: None,
            published_from: "none",
            status: "skipped",
            reason: Some(&s.reason),
        }));
        Report {
            schema: "crosscheck/report/v1",
            documents,
            findings: findings.iter().map(FindingDump::from).collect(),
            summary: Summary {
                kind: "summary",
                documents_read: bundle.documents.len(),
                documents_skipped: bundle.skipped.len(),
                warnings: bundle.warnings.len(),
                input_errors: bundle.errors.len(),
                findings: findings.len(),
                errors: findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count(),
                warning_findings: findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warning)
                    .count(),
                info: findings
                    .iter()
                    .filter(|f| f.severity == Severity::Info)
                    .count(),
            },
        }
    }
}

/// `dump mentions` row: where the mention is, then what it is.
#[derive(Serialize)]
pub struct MentionDump<'a> {
    pub doc: &'a str,
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    #[serde(flatten)]
    pub mention: &'a crate::extract::Mention,
}

impl<'a> MentionDump<'a> {
    pub fn new(doc: &'a Document, index: &LineIndex, mention: &'a crate::extract::Mention) -> Self {
        let (line, column) = index.line_col(&doc.text, mention.start);
        MentionDump {
            doc: &doc.id,
            path: &doc.path,
            line,
            column,
            mention,
        }
    }
}
