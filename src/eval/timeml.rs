//! `eval timeml`: score the time extractor on TimeML gold (TempEval-3).
//!
//! Text = the content of `<TEXT>` with tags removed (entities decoded);
//! gold offsets are computed on that text; the anchor is the DCT's value.
//! Measures (TempEval-3, task A): strict and relaxed precision/recall/F1 on
//! extents; value accuracy over relaxed matches; value F1 = relaxed F1 x
//! value accuracy. By type, precision uses the system's type and recall the
//! gold type.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::extract::time::{TimeExtractor, TimeMention};
use crate::Error;

/// One gold TIMEX3 in the plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldTimex {
    pub start: usize,
    pub end: usize,
    pub timex_type: String,
    pub value: String,
}

/// A parsed `.tml` document.
#[derive(Debug, Clone)]
pub struct TimemlDoc {
    pub path: PathBuf,
    pub text: String,
    pub dct: Option<NaiveDate>,
    pub gold: Vec<GoldTimex>,
}

/// Counts for one row of the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub system: usize,
    /// Gold items with an exact-extent system match / system items with one.
    pub strict_gold: usize,
    pub strict_sys: usize,
    /// Same with any overlap.
    pub relaxed_gold: usize,
    pub relaxed_sys: usize,
    /// Relaxed pairs, and those with the same value / type.
    pub pairs: usize,
    pub value_ok: usize,
    pub type_ok: usize,
}

fn prf(hit_sys: usize, sys: usize, hit_gold: usize, gold: usize) -> (f64, f64, f64) {
    let p = if sys == 0 {
        0.0
    } else {
        hit_sys as f64 / sys as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        hit_gold as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

impl Counts {
    pub fn strict(&self) -> (f64, f64, f64) {
        prf(self.strict_sys, self.system, self.strict_gold, self.gold)
    }
    pub fn relaxed(&self) -> (f64, f64, f64) {
        prf(self.relaxed_sys, self.system, self.relaxed_gold, self.gold)
    }
    pub fn value_accuracy(&self) -> f64 {
        if self.pairs == 0 {
            0.0
        } else {
            self.value_ok as f64 / self.pairs as f64
        }
    }
    pub fn type_accuracy(&self) -> f64 {
        if self.pairs == 0 {
            0.0
        } else {
            self.type_ok as f64 / self.pairs as f64
        }
    }
    pub fn value_f1(&self) -> f64 {
        self.relaxed().2 * self.value_accuracy()
    }
}

/// One error, with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub path: PathBuf,
    pub kind: &'static str, // "miss" | "false-alarm" | "wrong-value" | "wrong-extent"
    pub text: String,
    pub gold: Option<String>,
    pub system: Option<String>,
    pub context: String,
}

#[derive(Debug, Clone, Default)]
pub struct TimemlReport {
    pub documents: usize,
    pub overall: Counts,
    pub by_type: BTreeMap<String, Counts>,
    pub errors: Vec<EvalError>,
}

/// Score the extractor on `.tml` files or folders of them.
pub fn evaluate(paths: &[PathBuf], collect_errors: bool) -> Result<TimemlReport, Error> {
    let mut files = Vec::new();
    for p in paths {
        collect_tml(p, &mut files)?;
    }
    files.sort();
    let ex = TimeExtractor::global();
    let mut report = TimemlReport::default();
    for f in &files {
        let src = std::fs::read_to_string(f).map_err(|source| Error::Io {
            path: f.clone(),
            source,
        })?;
        let doc = parse_tml(f, &src)?;
        let sys = ex.extract_all(&doc.text, doc.dct);
        score_doc(&doc, &sys, &mut report, collect_errors);
        report.documents += 1;
    }
    Ok(report)
}

fn collect_tml(p: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let meta = std::fs::metadata(p).map_err(|_| Error::NotFound(p.to_path_buf()))?;
    if meta.is_dir() {
        let rd = std::fs::read_dir(p).map_err(|source| Error::Io {
            path: p.to_path_buf(),
            source,
        })?;
        for entry in rd {
            let entry = entry.map_err(|source| Error::Io {
                path: p.to_path_buf(),
                source,
            })?;
            let child = entry.path();
            if child.is_dir() || child.extension().is_some_and(|e| e == "tml") {
                collect_tml(&child, out)?;
            }
        }
    } else {
        out.push(p.to_path_buf());
    }
    Ok(())
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let after = &rest[i + name.len()..];
        let boundary = i == 0 || rest[..i].ends_with(|c: char| c.is_whitespace());
        if boundary {
            if let Some(v) = after.trim_start().strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let body = &v[1..];
                    return body.find(q).map(|j| &body[..j]);
                }
            }
        }
        rest = after;
    }
    None
}

fn decode_entity(s: &str) -> Option<(char, usize)> {
    for (ent, ch) in [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
    ] {
        if s.starts_with(ent) {
            return Some((ch, ent.len()));
        }
    }
    None
}

/// Parse a TimeML document: plain text of `<TEXT>`, gold TIMEX3s, DCT.
pub fn parse_tml(path: &Path, src: &str) -> Result<TimemlDoc, Error> {
    let line_of = |byte: usize| src[..byte.min(src.len())].matches('\n').count() + 1;
    let parse_err = |byte: usize, message: &str| Error::Parse {
        path: path.display().to_string(),
        line: line_of(byte),
        message: message.to_string(),
    };
    let dct = src.find("<DCT>").and_then(|i| {
        let rest = &src[i..];
        let tag_end = rest.find('>')?;
        let t = rest[tag_end..].find("<TIMEX3")?;
        let tag = &rest[tag_end + t..];
        let close = tag.find('>')?;
        let v = attr(&tag[..close], "value")?;
        NaiveDate::parse_from_str(v.get(..10)?, "%Y-%m-%d").ok()
    });
    let t0 = src
        .find("<TEXT>")
        .ok_or_else(|| parse_err(0, "no <TEXT> element"))?
        + "<TEXT>".len();
    let t1 = src[t0..]
        .find("</TEXT>")
        .map(|i| t0 + i)
        .ok_or_else(|| parse_err(t0, "<TEXT> is not closed"))?;
    let body = &src[t0..t1];
    let mut text = String::with_capacity(body.len());
    let mut gold = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        if rest.starts_with('<') {
            let close = rest
                .find('>')
                .ok_or_else(|| parse_err(t0 + i, "unclosed tag"))?;
            let tag = &rest[1..close];
            if tag.starts_with("TIMEX3") {
                let ty = attr(tag, "type").unwrap_or("").to_string();
                let val = attr(tag, "value").unwrap_or("").to_string();
                if tag.ends_with('/') {
                    // empty TIMEX3: no extent
                } else {
                    open = Some((text.len(), ty, val));
                }
            } else if tag.starts_with("/TIMEX3") {
                if let Some((s, ty, val)) = open.take() {
                    gold.push(GoldTimex {
                        start: s,
                        end: text.len(),
                        timex_type: ty,
                        value: val,
                    });
                }
            }
            i += close + 1;
        } else if rest.starts_with('&') {
            match decode_entity(rest) {
                Some((ch, len)) => {
                    text.push(ch);
                    i += len;
                }
                None => {
                    text.push('&');
                    i += 1;
                }
            }
        } else {
            let n = rest.find(['<', '&']).unwrap_or(rest.len());
            text.push_str(&rest[..n]);
            i += n;
        }
    }
    Ok(TimemlDoc {
        path: path.to_path_buf(),
        text,
        dct,
        gold,
    })
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn context(text: &str, start: usize, end: usize) -> String {
    let mut lo = start.saturating_sub(50);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (end + 50).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    format!(
        "{}[{}]{}",
        &text[lo..start],
        &text[start..end],
        &text[end..hi]
    )
    .replace('\n', " ")
}

fn score_doc(doc: &TimemlDoc, sys: &[TimeMention], report: &mut TimemlReport, errors: bool) {
    for g in &doc.gold {
        let strict = sys.iter().any(|s| s.start == g.start && s.end == g.end);
        let relaxed = sys
            .iter()
            .find(|s| overlaps((s.start, s.end), (g.start, g.end)));
        for c in [
            &mut report.overall,
            report.by_type.entry(g.timex_type.clone()).or_default(),
        ] {
            c.gold += 1;
            c.strict_gold += usize::from(strict);
            c.relaxed_gold += usize::from(relaxed.is_some());
        }
        if let Some(s) = relaxed {
            let vok = s.value == g.value;
            let tok = s.timex_type.as_str() == g.timex_type;
            for c in [
                &mut report.overall,
                report.by_type.entry(g.timex_type.clone()).or_default(),
            ] {
                c.pairs += 1;
                c.value_ok += usize::from(vok);
                c.type_ok += usize::from(tok);
            }
            let kind = if !vok {
                Some("wrong-value")
            } else if !strict {
                Some("wrong-extent")
            } else {
                None
            };
            if let (true, Some(kind)) = (errors, kind) {
                report.errors.push(EvalError {
                    path: doc.path.clone(),
                    kind,
                    text: doc.text[g.start..g.end].to_string(),
                    gold: Some(format!("{} {}", g.timex_type, g.value)),
                    system: Some(format!(
                        "{} {} ({}) \"{}\"",
                        s.timex_type.as_str(),
                        s.value,
                        s.rule,
                        s.text
                    )),
                    context: context(&doc.text, g.start, g.end),
                });
            }
        } else if errors {
            report.errors.push(EvalError {
                path: doc.path.clone(),
                kind: "miss",
                text: doc.text[g.start..g.end].to_string(),
                gold: Some(format!("{} {}", g.timex_type, g.value)),
                system: None,
                context: context(&doc.text, g.start, g.end),
            });
        }
    }
    for s in sys {
        let strict = doc
            .gold
            .iter()
            .any(|g| s.start == g.start && s.end == g.end);
        let relaxed = doc
            .gold
            .iter()
            .any(|g| overlaps((s.start, s.end), (g.start, g.end)));
        for c in [
            &mut report.overall,
            report
                .by_type
                .entry(s.timex_type.as_str().to_string())
                .or_default(),
        ] {
            c.system += 1;
            c.strict_sys += usize::from(strict);
            c.relaxed_sys += usize::from(relaxed);
        }
        if errors && !relaxed {
            report.errors.push(EvalError {
                path: doc.path.clone(),
                kind: "false-alarm",
                text: s.text.clone(),
                gold: None,
                system: Some(format!(
                    "{} {} ({})",
                    s.timex_type.as_str(),
                    s.value,
                    s.rule
                )),
                context: context(&doc.text, s.start, s.end),
            });
        }
    }
}

impl TimemlReport {
    /// The TempEval-3 table: overall, then by type.
    pub fn render_table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "TimeML evaluation: {} documents", self.documents);
        let _ = writeln!(
            out,
            "{:<10} {:>5} {:>5} | {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} | {:>7} {:>7} {:>8}",
            "type",
            "gold",
            "sys",
            "str.P",
            "str.R",
            "str.F1",
            "rel.P",
            "rel.R",
            "rel.F1",
            "val.acc",
            "typ.acc",
            "value.F1"
        );
        let mut row = |name: &str, c: &Counts| {
            let (sp, sr, sf) = c.strict();
            let (rp, rr, rf) = c.relaxed();
            let _ = writeln!(
                out,
                "{:<10} {:>5} {:>5} | {:>6.3} {:>6.3} {:>6.3} | {:>6.3} {:>6.3} {:>6.3} | {:>7.3} {:>7.3} {:>8.3}",
                name,
                c.gold,
                c.system,
                sp,
                sr,
                sf,
                rp,
                rr,
                rf,
                c.value_accuracy(),
                c.type_accuracy(),
                c.value_f1()
            );
        };
        row("overall", &self.overall);
        for (t, c) in &self.by_type {
            row(t, c);
        }
        out
    }

    /// Misses, false alarms, wrong values and extents, with context.
    pub fn render_errors(&self) -> String {
        let mut out = String::new();
        for e in &self.errors {
            let name = e.path.file_name().map_or_else(
                || e.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let _ = writeln!(
                out,
                "{:<12} {} {:?} gold={} sys={}\n    {}",
                e.kind,
                name,
                e.text,
                e.gold.as_deref().unwrap_or("-"),
                e.system.as_deref().unwrap_or("-"),
                e.context
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08" functionInDocument="CREATION_TIME">19980108</TIMEX3></DCT>
<TEXT>
Stocks fell <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3> &amp; rose <TIMEX3 tid="t2" type="DATE" value="1998-01-02">Friday</TIMEX3>. The <EVENT eid="e1">talks</EVENT> last <TIMEX3 tid="t3" type="DURATION" value="P2W">two weeks</TIMEX3>, not 3000 troops.
</TEXT>
</TimeML>"#;

    #[test]
    fn parses_text_offsets_and_dct() {
        let d = parse_tml(Path::new("x.tml"), DOC).unwrap();
        assert_eq!(d.dct, NaiveDate::from_ymd_opt(1998, 1, 8));
        assert_eq!(d.gold.len(), 3);
        assert_eq!(&d.text[d.gold[0].start..d.gold[0].end], "yesterday");
        assert_eq!(&d.text[d.gold[2].start..d.gold[2].end], "two weeks");
        assert!(d.text.contains("yesterday & rose"));
        assert!(!d.text.contains('<'));
    }

    #[test]
    fn scores_a_document() {
        let d = parse_tml(Path::new("x.tml"), DOC).unwrap();
        let sys = TimeExtractor::global().extract_all(&d.text, d.dct);
        let mut r = TimemlReport::default();
        score_doc(&d, &sys, &mut r, true);
        assert_eq!(r.overall.gold, 3);
        assert_eq!(r.overall.strict_gold, 3, "{}", r.render_errors());
        // "Friday" before Thursday 1998-01-08 is 1998-01-02: all values right.
        assert_eq!(r.overall.value_ok, 3, "{}", r.render_errors());
        assert!(r.render_table().contains("overall"));
    }

    #[test]
    fn missing_text_is_a_parse_error_with_line() {
        let e = parse_tml(Path::new("bad.tml"), "<TimeML>\n<TEXT>oops").unwrap_err();
        assert!(matches!(e, Error::Parse { line: 2, .. }), "{e}");
    }

    #[test]
    fn f1_arithmetic() {
        let c = Counts {
            gold: 4,
            system: 2,
            strict_gold: 1,
            strict_sys: 1,
            relaxed_gold: 2,
            relaxed_sys: 2,
            pairs: 2,
            value_ok: 1,
            type_ok: 2,
        };
        let (p, r, f) = c.relaxed();
        assert_eq!((p, r), (1.0, 0.5));
        assert!((f - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.value_f1() - f * 0.5).abs() < 1e-9);
    }
}
