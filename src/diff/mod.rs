//! Syndicated copy review: which facts a rewrite changed, added or
//! dropped against its original.
//!
//! Both documents go through the ordinary pipeline (`pipeline::analyze`);
//! the copy's sentences are aligned to the original's ([`align`]) and each
//! copy claim is compared with the aligned original sentences first, then
//! with the whole original ([`facts`]). Findings use the same
//! [`Finding`] type as `check`, so every report format prints them; in
//! each finding the original's claim comes first and the copy's claim is
//! the one marked as the outlier.

pub mod align;
pub mod facts;
pub mod rules;
mod swaps;
pub mod words;

pub use align::AlignedPair;

use crate::check::spec::Rule;
use crate::check::Finding;
use crate::model::{Document, LineIndex};

/// What a diff found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DiffReport {
    /// Most serious first, then in copy order.
    pub findings: Vec<Finding>,
    /// Sentence ranges index `segment::sentences` of each document.
    pub alignment: Vec<AlignedPair>,
    /// Byte ranges of the original's sentences, which `alignment` indexes.
    #[serde(skip)]
    pub original_sentences: Vec<std::ops::Range<usize>>,
    /// Byte ranges of the copy's sentences.
    #[serde(skip)]
    pub copy_sentences: Vec<std::ops::Range<usize>>,
}

impl DiffReport {
    /// The sentences (byte ranges) of one side that hold `start..end`,
    /// joined into one range.
    pub fn sentence_around(
        &self,
        copy: bool,
        start: usize,
        end: usize,
    ) -> Option<std::ops::Range<usize>> {
        let sentences = if copy {
            &self.copy_sentences
        } else {
            &self.original_sentences
        };
        let first = sentences
            .iter()
            .find(|s| s.start <= start && start < s.end.max(s.start + 1))?;
        let last = sentences
            .iter()
            .rev()
            .find(|s| s.start < end.max(start + 1) && s.start >= first.start)
            .unwrap_or(first);
        Some(first.start..last.end.max(first.end))
    }

    /// The sentences (byte ranges) of the other side aligned with the
    /// sentence of `copy`'s side that holds `at`.
    pub fn counterpart(&self, copy: bool, at: usize) -> Option<std::ops::Range<usize>> {
        let (own, other) = if copy {
            (&self.copy_sentences, &self.original_sentences)
        } else {
            (&self.original_sentences, &self.copy_sentences)
        };
        let i = own.iter().position(|s| s.start <= at && at < s.end)?;
        let pair = self.alignment.iter().find(|p| {
            let side = if copy { &p.copy } else { &p.original };
            side.as_ref().is_some_and(|r| r.contains(&i))
        })?;
        let range = if copy { &pair.original } else { &pair.copy };
        let range = range.as_ref()?;
        let first = other.get(range.start)?;
        let last = other.get(range.end.checked_sub(1)?)?;
        Some(first.start..last.end)
    }
}

/// Compares a copy with its original, with the built-in diff rules.
pub fn diff(original: &Document, copy: &Document) -> DiffReport {
    diff_with(original, copy, rules::builtin())
}

/// [`diff`] with these rules (the `kind = "diff"` rules, selected and
/// re-graded; other rules in the list are ignored). A comparison whose
/// rule is missing reports nothing.
pub fn diff_with(original: &Document, copy: &Document, rules: &[Rule]) -> DiffReport {
    // The two documents are analysed independently: in parallel.
    let (oa, ca) = rayon::join(
        || crate::pipeline::analyze(original),
        || crate::pipeline::analyze(copy),
    );
    diff_analyzed(original, oa, copy, ca, rules)
}

/// [`diff_with`] for documents already through `pipeline::analyze`.
pub fn diff_analyzed(
    original: &Document,
    oa: crate::pipeline::Analysis,
    copy: &Document,
    ca: crate::pipeline::Analysis,
    rules: &[Rule],
) -> DiffReport {
    let o = facts::Side {
        doc: original,
        analysis: oa,
        index: LineIndex::new(&original.text),
    };
    let c = facts::Side {
        doc: copy,
        analysis: ca,
        index: LineIndex::new(&copy.text),
    };
    let texts = |side: &facts::Side| -> Vec<String> {
        (0..side.analysis.sentences.len())
            .map(|i| side.sentence_text(i).to_string())
            .collect()
    };
    let (ot, ct) = (texts(&o), texts(&c));
    let or: Vec<&str> = ot.iter().map(String::as_str).collect();
    let cr: Vec<&str> = ct.iter().map(String::as_str).collect();
    let alignment = align::align(&or, &cr);
    let mut aligned = vec![Vec::new(); cr.len()];
    for pair in &alignment {
        let (Some(orig), Some(cp)) = (&pair.original, &pair.copy) else {
            continue;
        };
        for j in cp.clone() {
            if let Some(slot) = aligned.get_mut(j) {
                slot.extend(orig.clone());
            }
        }
    }
    let all: Vec<crate::claims::Claim> = o
        .analysis
        .claims
        .iter()
        .chain(&c.analysis.claims)
        .cloned()
        .collect();
    let cx = facts::Context {
        original: &o,
        copy: &c,
        aligned,
        people: crate::key::person_canonicals(&all),
        rules,
    };
    let mut findings = facts::compare(&cx);
    findings.sort_by_key(|f| {
        let at = f
            .claims
            .iter()
            .find(|c| c.outlier)
            .or(f.claims.first())
            .map_or(0, |c| c.claim.start);
        (std::cmp::Reverse(f.severity), at)
    });
    let spans = |side: &facts::Side| {
        side.analysis
            .sentences
            .iter()
            .map(|s| s.start..s.end)
            .collect()
    };
    DiffReport {
        findings,
        alignment,
        original_sentences: spans(&o),
        copy_sentences: spans(&c),
    }
}

/// A document from text alone, with one body block covering it: for
/// evaluations and tests that build documents in memory.
pub fn document(id: &str, text: &str) -> Document {
    Document {
        id: id.to_string(),
        path: id.to_string(),
        format: crate::model::InputFormat::Text,
        source: None,
        title: None,
        url: None,
        published: None,
        published_from: crate::model::Provenance::None,
        published_text: None,
        text: text.to_string(),
        blocks: vec![crate::model::Block {
            start: 0,
            end: text.len(),
            kind: crate::model::BlockKind::Body,
        }],
        warnings: Vec::new(),
        group: None,
    }
}
