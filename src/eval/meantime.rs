//! Span scores of the quantity extractor on the MEANTIME corpus (English,
//! document-level CAT XML): gold `VALUE` markables of type MONEY, PERCENT and
//! QUANTITY against what [`extract_quantities`] finds.
//!
//! The document text is rebuilt from the tokens: one line per sentence,
//! tokens joined by single spaces (so "$ 40 billion" and "15 %" appear as
//! MEANTIME tokenised them). Each sentence line is one search range.
//!
//! What MEANTIME counts differs from what we extract, and the scores say so:
//! - Its QUANTITY span is the number with its hedge and measure unit ("up to
//!   60", "340 points", "twenty tonnes") but without the counted noun ("15,000"
//!   in "15,000 people"). We compare MEANTIME spans with our span cut after the
//!   number when we read a counted noun (the "core" span).
//! - Durations ("41-year", "two weeks") are TIMEX3 in MEANTIME, not VALUEs, so
//!   our `duration` quantities are left out of the predictions (and counted).
//! - Only the first sentences of each document are annotated (title, date line
//!   and four sentences: sentence 5 is the last sentence with any markable in
//!   117 of 120 files). We search only up to the last sentence holding any
//!   markable of the document, or the scores would count thousands of
//!   unannotated numbers as false positives.
//! - It annotates bare index levels ("closing at 8,579.19"), ages, vague words
//!   ("many", "the amount") and overlapping alternatives ("25,000", "30,000" and
//!   "25,000 to 30,000"); a prediction is right if it matches any gold span and a
//!   gold span is found if any prediction matches it (not one-to-one).

use crate::error::Error;
use crate::extract::quantity::{extract_quantities, Quantity, QuantityKind};
use regex::Regex;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The gold types scored, in report order.
pub const TYPES: [&str; 3] = ["MONEY", "PERCENT", "QUANTITY"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    /// Predictions matching a gold span (precision numerator).
    pub pred_strict: usize,
    pub pred_relaxed: usize,
    /// Gold spans matched by a prediction (recall numerator).
    pub gold_strict: usize,
    pub gold_relaxed: usize,
}

impl Counts {
    pub fn precision(&self, strict: bool) -> f64 {
        ratio(
            if strict {
                self.pred_strict
            } else {
                self.pred_relaxed
            },
            self.predicted,
        )
    }
    pub fn recall(&self, strict: bool) -> f64 {
        ratio(
            if strict {
                self.gold_strict
            } else {
                self.gold_relaxed
            },
            self.gold,
        )
    }
    pub fn f1(&self, strict: bool) -> f64 {
        let (p, r) = (self.precision(strict), self.recall(strict));
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.pred_strict += o.pred_strict;
        self.pred_relaxed += o.pred_relaxed;
        self.gold_strict += o.gold_strict;
        self.gold_relaxed += o.gold_relaxed;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// One gold span or prediction that did not match, for reading by eye.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub doc: String,
    pub gold_type: String,
    pub text: String,
    pub context: String,
    /// "miss": gold span nobody found; "spurious": prediction matching no gold;
    /// "span": gold found only by an overlapping, not identical, prediction.
    pub what: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeantimeReport {
    pub documents: usize,
    /// Per gold type (MONEY, PERCENT, QUANTITY), predictions typed by kind.
    pub by_type: Vec<(String, Counts)>,
    /// All types together, type must match.
    pub typed: Counts,
    /// All types together, any type matches.
    pub untyped: Counts,
    /// Duration predictions left out (MEANTIME has them as TIMEX3).
    pub durations_skipped: usize,
    pub misses: Vec<Miss>,
}

struct Doc {
    name: String,
    text: String,
    ranges: Vec<std::ops::Range<usize>>,
    gold: Vec<(String, usize, usize)>,
}

/// Reads every English CAT XML file under `root` (the MEANTIME folder, its
/// `intra-doc_annotation/` folder, or one corpus folder) and scores the extractor.
pub fn evaluate(root: &Path) -> Result<MeantimeReport, Error> {
    if !root.exists() {
        return Err(Error::NotFound(root.to_path_buf()));
    }
    let base = if root.join("intra-doc_annotation").is_dir() {
        root.join("intra-doc_annotation")
    } else {
        root.to_path_buf()
    };
    let mut files = Vec::new();
    collect_xml(&base, &mut files)?;
    files.sort();
    let re = Patterns::new()?;
    let mut report = MeantimeReport::default();
    let mut per_type: Vec<Counts> = vec![Counts::default(); TYPES.len()];
    for path in &files {
        let src = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let Some(doc) = parse_doc(&re, path, &src)? else {
            continue;
        };
        report.documents += 1;
        score_doc(&doc, &mut per_type, &mut report);
    }
    for (i, t) in TYPES.iter().enumerate() {
        report.typed.add(&per_type[i]);
        report.by_type.push(((*t).to_string(), per_type[i].clone()));
    }
    Ok(report)
}

fn collect_xml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for e in rd {
        let e = e.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let p = e.path();
        if p.is_dir() {
            collect_xml(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
    Ok(())
}

struct Patterns {
    doc: Regex,
    token: Regex,
    attr: Regex,
    value: Regex,
    anchor: Regex,
}

impl Patterns {
    fn new() -> Result<Patterns, Error> {
        let r = |s: &str| Regex::new(s).map_err(|e| Error::Usage(format!("internal regex: {e}")));
        Ok(Patterns {
            doc: r(r#"<Document\b[^>]*\blang="([^"]*)""#)?,
            token: r(r"<token\b([^>]*)>([^<]*)</token>")?,
            attr: r(r#"\b(t_id|sentence)="(\d+)""#)?,
            value: r(r#"(?s)<VALUE\b([^>]*?)>(.*?)</VALUE>"#)?,
            anchor: r(r#"<token_anchor\s+t_id="(\d+)""#)?,
        })
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';').filter(|&j| j <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let ent = &tail[1..semi];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn line_of(src: &str, byte: usize) -> usize {
    src.get(..byte).map_or(0, |s| s.matches('\n').count()) + 1
}

fn parse_doc(re: &Patterns, path: &Path, src: &str) -> Result<Option<Doc>, Error> {
    if let Some(c) = re.doc.captures(src) {
        if c.get(1).is_some_and(|l| l.as_str() != "en") {
            return Ok(None);
        }
    }
    // Tokens in file order; t_id -> (start, end) in the rebuilt text.
    let mut text = String::new();
    let mut ranges = Vec::new();
    let mut offsets: std::collections::HashMap<u64, (usize, usize)> = Default::default();
    let mut sentence_of: std::collections::HashMap<u64, usize> = Default::default();
    let mut cur_sentence: Option<u64> = None;
    let mut line_start = 0;
    for c in re.token.captures_iter(src) {
        let (Some(attrs), Some(body)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let mut t_id = None;
        let mut sentence = None;
        for a in re.attr.captures_iter(attrs.as_str()) {
            let v = a.get(2).and_then(|v| v.as_str().parse::<u64>().ok());
            match a.get(1).map(|n| n.as_str()) {
                Some("t_id") => t_id = v,
                Some("sentence") => sentence = v,
                _ => {}
            }
        }
        let Some(t_id) = t_id else {
            return Err(Error::Parse {
                path: path.display().to_string(),
                line: line_of(src, attrs.start()),
                message: "token without t_id".into(),
            });
        };
        if cur_sentence != sentence {
            if cur_sentence.is_some() {
                ranges.push(line_start..text.len());
                text.push('\n');
                line_start = text.len();
            }
            cur_sentence = sentence;
        } else if text.len() > line_start {
            text.push(' ');
        }
        let tok = unescape(body.as_str());
        let s = text.len();
        text.push_str(&tok);
        offsets.insert(t_id, (s, text.len()));
        sentence_of.insert(t_id, ranges.len());
    }
    if text.len() > line_start {
        ranges.push(line_start..text.len());
    }
    if offsets.is_empty() {
        return Ok(None);
    }
    // The annotated part: up to the last sentence any markable points into.
    let last_annotated = src
        .find("<Markables>")
        .and_then(|m| src.get(m..))
        .map(|markables| {
            re.anchor
                .captures_iter(markables)
                .filter_map(|a| a.get(1)?.as_str().parse::<u64>().ok())
                .filter_map(|id| sentence_of.get(&id).copied())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(usize::MAX);
    ranges.truncate(last_annotated.saturating_add(1));
    let mut gold = Vec::new();
    for c in re.value.captures_iter(src) {
        let (Some(attrs), Some(body)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let ty = attrs
            .as_str()
            .split("type=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        if !TYPES.contains(&ty) {
            continue;
        }
        let spans: Vec<(usize, usize)> = re
            .anchor
            .captures_iter(body.as_str())
            .filter_map(|a| a.get(1)?.as_str().parse::<u64>().ok())
            .filter_map(|id| offsets.get(&id).copied())
            .collect();
        let (Some(s), Some(e)) = (
            spans.iter().map(|x| x.0).min(),
            spans.iter().map(|x| x.1).max(),
        ) else {
            continue;
        };
        gold.push((ty.to_string(), s, e));
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Some(Doc {
        name,
        text,
        ranges,
        gold,
    }))
}

fn gold_type(k: QuantityKind) -> Option<&'static str> {
    match k {
        QuantityKind::Money => Some("MONEY"),
        QuantityKind::Percent => Some("PERCENT"),
        QuantityKind::Count | QuantityKind::Measure | QuantityKind::Age => Some("QUANTITY"),
        QuantityKind::Duration => None,
    }
}

/// Our span without the counted noun: "15,000 people" -> "15,000". Adjectival forms
/// ("33-nation") and units ("340 points") are kept whole.
pub fn core_span(q: &Quantity) -> (usize, usize) {
    if q.kind == QuantityKind::Count && q.noun.is_some() && q.modifies.is_none() {
        if let Some(i) = q.text.find(&q.number_text) {
            return (q.start, q.start + i + q.number_text.len());
        }
    }
    (q.start, q.end)
}

fn context(text: &str, s: usize, e: usize) -> String {
    let mut a = s.saturating_sub(40);
    while a > 0 && !text.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (e + 40).min(text.len());
    while b < text.len() && !text.is_char_boundary(b) {
        b += 1;
    }
    text.get(a..b).unwrap_or("").replace('\n', " / ")
}

fn score_doc(doc: &Doc, per_type: &mut [Counts], report: &mut MeantimeReport) {
    let mut preds = Vec::new();
    for q in extract_quantities(&doc.text, &doc.ranges) {
        match gold_type(q.kind) {
            Some(t) => {
                let (s, e) = core_span(&q);
                preds.push((t, s, e));
            }
            None => report.durations_skipped += 1,
        }
    }
    let overlap = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let mut untyped = Counts {
        gold: doc.gold.len(),
        predicted: preds.len(),
        ..Counts::default()
    };
    for (i, t) in TYPES.iter().enumerate() {
        let c = &mut per_type[i];
        let gold: Vec<(usize, usize)> = doc
            .gold
            .iter()
            .filter(|g| g.0 == *t)
            .map(|g| (g.1, g.2))
            .collect();
        let pred: Vec<(usize, usize)> = preds
            .iter()
            .filter(|p| p.0 == *t)
            .map(|p| (p.1, p.2))
            .collect();
        c.gold += gold.len();
        c.predicted += pred.len();
        for p in &pred {
            if gold.contains(p) {
                c.pred_strict += 1;
            }
            if gold.iter().any(|g| overlap(*g, *p)) {
                c.pred_relaxed += 1;
            }
        }
        for g in &gold {
            if pred.contains(g) {
                c.gold_strict += 1;
            }
            if let Some(p) = pred.iter().find(|p| overlap(*g, **p)) {
                c.gold_relaxed += 1;
                if !pred.contains(g) {
                    report.misses.push(Miss {
                        doc: doc.name.clone(),
                        gold_type: (*t).to_string(),
                        text: format!(
                            "{} / ours {}",
                            doc.text.get(g.0..g.1).unwrap_or(""),
                            doc.text.get(p.0..p.1).unwrap_or("")
                        ),
                        context: context(&doc.text, g.0, g.1),
                        what: "span",
                    });
                }
            } else {
                report.misses.push(Miss {
                    doc: doc.name.clone(),
                    gold_type: (*t).to_string(),
                    text: doc.text.get(g.0..g.1).unwrap_or("").to_string(),
                    context: context(&doc.text, g.0, g.1),
                    what: "miss",
                });
            }
        }
    }
    for p in &preds {
        let span = (p.1, p.2);
        if doc.gold.iter().any(|g| (g.1, g.2) == span) {
            untyped.pred_strict += 1;
        }
        if doc.gold.iter().any(|g| overlap((g.1, g.2), span)) {
            untyped.pred_relaxed += 1;
        } else {
            report.misses.push(Miss {
                doc: doc.name.clone(),
                gold_type: p.0.to_string(),
                text: doc.text.get(p.1..p.2).unwrap_or("").to_string(),
                context: context(&doc.text, p.1, p.2),
                what: "spurious",
            });
        }
    }
    for g in &doc.gold {
        let span = (g.1, g.2);
        if preds.iter().any(|p| (p.1, p.2) == span) {
            untyped.gold_strict += 1;
        }
        if preds.iter().any(|p| overlap((p.1, p.2), span)) {
            untyped.gold_relaxed += 1;
        }
    }
    report.untyped.add(&untyped);
}

impl MeantimeReport {
    /// A plain-text table: one row per gold type, then the totals.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "MEANTIME quantities: {} documents; strict = exact span (ours cut before the counted noun), relaxed = overlap",
            self.documents
        );
        let _ = writeln!(
            s,
            "{:<18} {:>5} {:>5} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6}",
            "type", "gold", "pred", "P", "R", "F1", "P~", "R~", "F1~"
        );
        let mut row = |name: &str, c: &Counts| {
            let _ = writeln!(
                s,
                "{:<18} {:>5} {:>5} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} {:>6.3} {:>6.3}",
                name,
                c.gold,
                c.predicted,
                c.precision(true),
                c.recall(true),
                c.f1(true),
                c.precision(false),
                c.recall(false),
                c.f1(false)
            );
        };
        for (t, c) in &self.by_type {
            row(t, c);
        }
        row("all (typed)", &self.typed);
        row("all (any type)", &self.untyped);
        let _ = writeln!(
            s,
            "durations left out (TIMEX3 in MEANTIME): {}",
            self.durations_skipped
        );
        s
    }

    /// Every unmatched gold span and prediction (relaxed), one per line.
    pub fn render_misses(&self) -> String {
        let mut s = String::new();
        for m in &self.misses {
            let _ = writeln!(
                s,
                "{:<8} {} {:<8} {:?} in {:?} ({})",
                m.what,
                m.doc.chars().take(30).collect::<String>(),
                m.gold_type,
                m.text,
                m.context,
                m.doc
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_handles_named_numeric_and_broken_entities() {
        assert_eq!(
            unescape("S&amp;P &#36;5 &#x20AC; &bogus"),
            "S&P $5 € &bogus"
        );
    }

    #[test]
    fn parse_doc_rebuilds_text_and_gold_spans() {
        let src = r#"<Document doc_id="1" lang="en">
<token number="0" sentence="0" t_id="1">wins</token>
<token number="1" sentence="0" t_id="2">$</token>
<token number="2" sentence="0" t_id="3">40</token>
<token number="3" sentence="0" t_id="4">billion</token>
<token number="4" sentence="1" t_id="5">up</token>
<token number="5" sentence="1" t_id="6">15</token>
<token number="6" sentence="1" t_id="7">%</token>
<Markables>
<VALUE comment="" m_id="9" type="MONEY">
<token_anchor t_id="2"/>
<token_anchor t_id="3"/>
<token_anchor t_id="4"/>
</VALUE>
<VALUE comment="" m_id="10" type="PERCENT">
<token_anchor t_id="6"/>
<token_anchor t_id="7"/>
</VALUE>
</Markables></Document>"#;
        let re = Patterns::new().unwrap();
        let doc = parse_doc(&re, Path::new("x.xml"), src).unwrap().unwrap();
        assert_eq!(doc.text, "wins $ 40 billion\nup 15 %");
        assert_eq!(doc.ranges, vec![0..17, 18..25]);
        let spans: Vec<&str> = doc.gold.iter().map(|g| &doc.text[g.1..g.2]).collect();
        assert_eq!(spans, vec!["$ 40 billion", "15 %"]);
        let mut per_type = vec![Counts::default(); 3];
        let mut rep = MeantimeReport::default();
        score_doc(&doc, &mut per_type, &mut rep);
        assert_eq!(rep.untyped.gold_strict, 2, "{:?}", rep.misses);
    }

    #[test]
    fn evaluate_reports_missing_root() {
        assert!(matches!(
            evaluate(Path::new("/nonexistent/meantime")),
            Err(Error::NotFound(_))
        ));
    }
}
