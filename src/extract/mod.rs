//! Stage 3: mentions found in a document's body sentences: time
//! expressions, quantities, entities, roles, quotes and events.
//!
//! Input: a [`Document`] and its [`Sentence`]s. Output: [`Mention`]s with
//! byte spans into the document text, each carrying its kind's details.

pub mod entity;
pub mod event;
pub mod lexicon;
pub mod quantity;
pub mod quote;
pub mod role;
pub mod time;

use crate::model::{Document, Sentence};
use serde::Serialize;
use std::ops::Range;

/// Which extractor produced a mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Time,
    Quantity,
    Entity,
    Role,
    Quote,
    Event,
}

/// One mention, as `dump mentions` prints it: span plus the extractor's
/// own fields.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub kind: MentionKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The extractor's fields (value, type, canonical...), flattened.
    #[serde(flatten)]
    pub detail: serde_json::Value,
}

/// Appends `v` as `format!("{v:0width$}")` would (a minus sign first,
/// then zeros up to `width` characters in all): the time values and claim
/// numbers are written per mention, and `format!` cost about 450
/// instructions each.
pub(crate) fn push_int(out: &mut String, v: i64, width: usize) {
    let mut width = width;
    if v < 0 {
        out.push('-');
        width = width.saturating_sub(1);
    }
    let mut n = v.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in digits.len() - at..width {
        out.push('0');
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// [`push_int`] into a new string.
pub(crate) fn int_string(v: i64, width: usize) -> String {
    // Room for the rest of a date value ("2025-08-21") most callers append.
    let mut out = String::with_capacity(10);
    push_int(&mut out, v, width);
    out
}

/// The byte ranges the extractors search: one per sentence.
pub(crate) fn ranges(sentences: &[Sentence]) -> Vec<Range<usize>> {
    sentences.iter().map(|s| s.start..s.end).collect()
}

fn to_mention<T: Serialize>(
    kind: MentionKind,
    start: usize,
    end: usize,
    text: &str,
    value: &T,
) -> Mention {
    let mut detail = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    if let Some(map) = detail.as_object_mut() {
        for field in ["start", "end", "text"] {
            map.remove(field);
        }
    }
    Mention {
        kind,
        start,
        end,
        text: text.to_string(),
        detail,
    }
}

/// Time expressions the event stage can attach.
pub fn time_anchors(doc: &Document, ranges: &[Range<usize>]) -> Vec<event::TimeAnchor> {
    time::TimeExtractor::global()
        .extract(&doc.text, ranges, doc.published)
        .into_iter()
        .filter(|t| matches!(t.timex_type, time::TimexType::Date | time::TimexType::Time))
        .map(|t| event::TimeAnchor {
            start: t.start,
            end: t.end,
            // Moved: the mention itself is dropped here.
            text: t.text,
            value: t.value,
            weekday: t
                .weekday
                .map(|w| crate::check::timevalue::weekday_name(w).to_string()),
            implied: t.implied.iter().map(|p| p.to_string()).collect(),
            resolved: t.resolved.as_str().to_string(),
        })
        .collect()
}

/// Runs the extractors named in `kinds` over a document's sentences.
pub fn mentions(doc: &Document, sentences: &[Sentence], kinds: &[MentionKind]) -> Vec<Mention> {
    let ranges = ranges(sentences);
    let mut out = Vec::new();
    // Only entities, roles and events read the entities: `--kind time`
    // must not pay for them.
    let needs_entities = kinds.iter().any(|k| {
        matches!(
            k,
            MentionKind::Entity | MentionKind::Role | MentionKind::Event
        )
    });
    let entities = if needs_entities {
        entity::extract_entities(&doc.text, &ranges)
    } else {
        Vec::new()
    };
    for kind in kinds {
        match kind {
            MentionKind::Time => {
                for t in time::TimeExtractor::global().extract(&doc.text, &ranges, doc.published) {
                    out.push(to_mention(*kind, t.start, t.end, &t.text, &t));
                }
            }
            MentionKind::Quantity => {
                for q in quantity::extract_quantities(&doc.text, &ranges) {
                    out.push(to_mention(*kind, q.start, q.end, &q.text, &q));
                }
            }
            MentionKind::Entity => {
                for m in &entities {
                    out.push(to_mention(*kind, m.start, m.end, &m.text, m));
                }
            }
            MentionKind::Role => {
                for r in role::extract_roles(&doc.text, &ranges, &entities) {
                    out.push(to_mention(*kind, r.start, r.end, &r.text, &r));
                }
            }
            MentionKind::Quote => {
                for q in quote::extract_quotes(&doc.text, &ranges) {
                    out.push(to_mention(*kind, q.start, q.end, &q.text, &q));
                }
            }
            MentionKind::Event => {
                let times = time_anchors(doc, &ranges);
                for e in event::extract_events(&doc.text, &ranges, &entities, &times) {
                    out.push(to_mention(*kind, e.start, e.end, &e.text, &e));
                }
            }
        }
    }
    out.sort_by_key(|m| (m.start, m.end, m.kind));
    out
}

impl Mention {
    /// The kind's name as printed.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            MentionKind::Time => "time",
            MentionKind::Quantity => "quantity",
            MentionKind::Entity => "entity",
            MentionKind::Role => "role",
            MentionKind::Quote => "quote",
            MentionKind::Event => "event",
        }
    }

    /// A short human summary of the extractor's fields for tables.
    pub fn value_summary(&self) -> String {
        let field = |name: &str| {
            self.detail.get(name).and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| (!v.is_null()).then(|| v.to_string()))
            })
        };
        match self.kind {
            MentionKind::Time => {
                let implied = self
                    .detail
                    .get("implied")
                    .and_then(|q| q.as_array())
                    .map(|q| {
                        q.iter()
                            .filter_map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default();
                format!(
                    "{} {} {} {}{}",
                    field("type").unwrap_or_default(),
                    field("value").unwrap_or_default(),
                    field("granularity").unwrap_or_default(),
                    field("resolved").unwrap_or_default(),
                    if implied.is_empty() {
                        String::new()
                    } else {
                        format!(" implied:{implied}")
                    }
                )
            }
            MentionKind::Quantity => {
                let mut parts = vec![
                    field("hedge").unwrap_or_default(),
                    field("value").unwrap_or_default(),
                ];
                if let Some(max) = field("value_max") {
                    parts.push(format!("to {max}"));
                }
                for name in ["unit", "noun", "modifies", "measures"] {
                    if let Some(v) = field(name) {
                        parts.push(format!("{name}={v}"));
                    }
                }
                parts.join(" ")
            }
            MentionKind::Entity => format!(
                "{} {}",
                field("kind").unwrap_or_default(),
                field("canonical").unwrap_or_default()
            ),
            MentionKind::Quote => {
                let speaker = self.detail.get("speaker");
                let who = speaker
                    .and_then(|s| {
                        s.get("resolved")
                            .and_then(|r| r.as_str())
                            .or_else(|| s.get("text").and_then(|t| t.as_str()))
                    })
                    .unwrap_or("-");
                let how = speaker
                    .and_then(|s| s.get("how"))
                    .and_then(|h| h.as_str())
                    .unwrap_or("");
                format!("{} by {who} {how}", field("kind").unwrap_or_default())
            }
            MentionKind::Event => {
                let participants = self
                    .detail
                    .get("participants")
                    .and_then(|q| q.as_array())
                    .map(|q| {
                        q.iter()
                            .filter_map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                let time = self
                    .detail
                    .get("time")
                    .and_then(|t| t.get("value"))
                    .and_then(|v| v.as_str())
                    .unwrap_or("-");
                format!(
                    "{} [{}] time {} place {}",
                    field("lemma").unwrap_or_default(),
                    participants,
                    time,
                    field("place").unwrap_or_else(|| "-".into())
                )
            }
            MentionKind::Role => {
                let quals = self
                    .detail
                    .get("qualifiers")
                    .and_then(|q| q.as_array())
                    .map(|q| {
                        q.iter()
                            .filter_map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                let of = field("of")
                    .map(|o| format!(" (of {o})"))
                    .unwrap_or_default();
                format!(
                    "{}: {}{}{}",
                    field("person").unwrap_or_default(),
                    if quals.is_empty() {
                        String::new()
                    } else {
                        format!("{quals} ")
                    },
                    field("office").unwrap_or_default(),
                    of
                )
            }
        }
    }
}

#[cfg(test)]
mod push_int_tests {
    use super::*;

    #[test]
    fn push_int_writes_what_format_writes() {
        for v in [
            0i64,
            1,
            7,
            9,
            10,
            42,
            99,
            100,
            2025,
            12345,
            -1,
            -5,
            -42,
            -2025,
            i64::MAX,
            i64::MIN,
        ] {
            for width in [0usize, 1, 2, 3, 4, 6] {
                let mut out = String::from("x");
                push_int(&mut out, v, width);
                assert_eq!(out, format!("x{v:0width$}"), "{v} {width}");
                assert_eq!(int_string(v, width), format!("{v:0width$}"));
            }
        }
    }
}
