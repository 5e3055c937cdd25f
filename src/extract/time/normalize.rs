//! Normalisers: named groups of a match -> TIMEX3 value.
//!
//! Each `norm` of `patterns.toml` is one function here. A normaliser may
//! also reject a match (returns `None`), e.g. "may" as a verb or a year
//! followed by "troops"; the extractor then tries the next rule.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::rules::{Norm, Rule, Tables};
use super::{Granularity, Resolution, TimexType};
use crate::extract::{int_string, push_int};
#[cfg(test)]
use crate::text::lower_ascii_into;

/// Read access to one match's named groups.
pub(crate) struct Groups<'a, 't> {
    pub caps: &'a regex_automata::util::captures::Captures,
    /// The haystack the captures index into.
    pub text: &'t str,
}

impl<'t> Groups<'_, 't> {
    /// The group named `name`: a walk over the few names of the one
    /// pattern, cheaper than hashing the name for the group table.
    fn group(&self, name: &str) -> Option<regex_automata::Span> {
        let index = self
            .caps
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .position(|n| n.is_some_and(|n| n.len() == name.len() && n == name))?;
        self.caps.get_group(index)
    }
    fn get(&self, name: &str) -> Option<&'t str> {
        self.group(name)
            .and_then(|span| self.text.get(span.range()))
    }
    fn has(&self, name: &str) -> bool {
        self.group(name).is_some()
    }
}

/// Where the match is and what it can be resolved against.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    /// The searched range (a sentence or block): tense cues are read here.
    pub clause_start: usize,
    pub clause_end: usize,
    pub anchor: Option<NaiveDate>,
    /// The last day-precise date resolved earlier in the text.
    pub prev_day: Option<NaiveDate>,
    /// Where the mention that named `prev_day` ended.
    pub prev_day_end: usize,
    /// The start of the last dated period (day, month or year) named.
    pub prev_point: Option<NaiveDate>,
    /// The last quarter (year, n) mentioned earlier in the text.
    pub prev_quarter: Option<(i32, u32)>,
    /// Where that mention ended.
    pub prev_quarter_end: usize,
    pub tables: &'a Tables,
}

/// A normalised value.
#[derive(Debug)]
pub(crate) struct Normal {
    pub value: String,
    /// Overrides the rule's type (a date with a clock time is a TIME).
    pub timex_type: Option<TimexType>,
    pub granularity: Granularity,
    pub resolved: Resolution,
    pub implied: Vec<&'static str>,
    pub weekday: Option<Weekday>,
    /// The day this value denotes, for anaphora ("the next day").
    pub day: Option<NaiveDate>,
    /// Bytes to drop from the start of the match ("the" before an
    /// adjective: "the [third-quarter] results").
    pub skip: usize,
    /// A quarter compared with the one in focus ("a year ago"), which must
    /// not become the focus itself.
    pub comparison: bool,
}

impl Normal {
    fn new(value: String, granularity: Granularity, resolved: Resolution) -> Self {
        Normal {
            value,
            timex_type: None,
            granularity,
            resolved,
            implied: Vec::new(),
            weekday: None,
            day: None,
            skip: 0,
            comparison: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Future,
    Unknown,
}

pub(crate) fn normalize(rule: &Rule, g: &Groups, c: &Ctx) -> Option<Normal> {
    match rule.norm {
        Norm::Date => date(g, c, rule.name == "month"),
        Norm::Year => year(g, c),
        Norm::Decade => decade(g, c),
        Norm::Century => century(g, c),
        Norm::Weekday => weekday(g, c),
        Norm::Reference => reference(g, c),
        Norm::Relative => relative(g, c),
        Norm::Ago => ago(g, c),
        Norm::Duration => duration(g, c),
        Norm::Set => set(g, c),
        Norm::Frequency => {
            let v = c.tables.get("frequency", g.get("freq")?)?;
            Some(Normal::new(
                v.to_string(),
                Granularity::Set,
                Resolution::Absolute,
            ))
        }
        Norm::Season => season(g, c),
        Norm::Quarter => quarter(g, c),
        Norm::Anaphor => anaphor(g, c),
        Norm::PartOfDay => part_of_day(g, c),
        Norm::Holiday => holiday(g, c),
        Norm::Clock => clock(g, c),
        Norm::SpelledYear => spelled_year(g, c),
    }
}

// ---------------------------------------------------------------- context

/// Ages: "12-year-old", "a five year old" (the match ends at `end`).
fn is_age(text: &str, end: usize, clause_end: usize) -> bool {
    let after = text.get(end..clause_end.max(end)).unwrap_or("");
    let al = after.get(..5.min(after.len())).unwrap_or("").as_bytes();
    let starts = |p: &[u8]| al.len() >= p.len() && al[..p.len()].eq_ignore_ascii_case(p);
    starts(b"-old") || starts(b" old") || starts(b"s old")
}

/// A candidate its normaliser would reject whatever the groups hold, told
/// from the span alone, so the costly capture search is skipped. About a
/// third of all candidates on news text are these: the bare "year" of "a
/// year", and "16-year" of "16-year-old".
pub(crate) fn rejected_early(
    rule: &Rule,
    text: &str,
    start: usize,
    end: usize,
    clause_end: usize,
) -> bool {
    match rule.norm {
        // Without "the", a modifier or a relative word (each followed by
        // a space or hyphen) a bare unit is no date.
        Norm::Relative => text
            .get(start..end)
            .is_some_and(|span| span.bytes().all(|b| b.is_ascii_alphabetic())),
        Norm::Duration => is_age(text, end, clause_end),
        _ => false,
    }
}

/// Reject digits glued to other numbers, money, percentages, phone numbers.
pub(crate) fn context_ok(text: &str, start: usize, end: usize, glued: bool) -> bool {
    let bytes = text.as_bytes();
    let first = bytes.get(start).copied().unwrap_or(b' ');
    let last = if end > 0 {
        bytes.get(end - 1).copied().unwrap_or(b' ')
    } else {
        b' '
    };
    let before = text[..start].chars().next_back();
    if first.is_ascii_alphanumeric() && before.is_some_and(char::is_alphanumeric) {
        // A glued rule may follow a letter, never a digit.
        // ("guarantees19.08.25"), after a real word, never after a digit.
        let word_before = text[..start]
            .chars()
            .rev()
            .take(3)
            .filter(|c| c.is_alphabetic())
            .count()
            == 3;
        if !(glued && word_before && first.is_ascii_digit()) {
            return false;
        }
    }
    if first.is_ascii_digit() {
        if let Some(b) = before {
            if b.is_ascii_digit() || "$€£¥.,/:#+-\u{2013}".contains(b) {
                return false;
            }
        }
    }
    if last.is_ascii_digit() {
        let mut after = text[end..].chars();
        match after.next() {
            Some(a) if a.is_alphanumeric() || a == '%' => return false,
            Some(a) if ".,:/-".contains(a) && after.next().is_some_and(|n| n.is_ascii_digit()) => {
                return false;
            }
            _ => {}
        }
    }
    true
}

/// The word before the match, lower-cased: borrowed from the text when
/// it already is (nearly always), so reading it does not allocate.
fn prev_word<'a>(c: &Ctx<'a>) -> std::borrow::Cow<'a, str> {
    let before = &c.text[c.clause_start.min(c.start)..c.start];
    let trimmed = before.trim_end();
    // The trailing run of letters, found from the back and copied once.
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, ch)| ch.is_alphabetic())
        .last()
        .map_or(trimmed.len(), |(i, _)| i);
    let w = &trimmed[start..];
    if w.bytes().all(|b| b.is_ascii_lowercase()) {
        std::borrow::Cow::Borrowed(w)
    } else {
        std::borrow::Cow::Owned(w.to_lowercase())
    }
}

/// The next word after the match (original case).
fn next_word<'a>(c: &Ctx<'a>) -> &'a str {
    let after = &c.text[c.end..c.clause_end.max(c.end)];
    let trimmed = after.trim_start_matches([' ', '\t']);
    let len = trimmed
        .find(|ch: char| !ch.is_alphanumeric())
        .unwrap_or(trimmed.len());
    &trimmed[..len]
}

/// The text after a leading "the" and its spaces (any Unicode space).
fn after_the(whole: &str) -> Option<&str> {
    let head = whole.get(..3)?;
    let rest = whole.get(3..)?;
    if !head.eq_ignore_ascii_case("the") || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest.trim_start())
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// A month or weekday name counts only capitalised (or in an all-caps line).
fn capitalised(word: &str, whole: &str) -> bool {
    starts_upper(word)
        || (whole.chars().any(char::is_alphabetic) && !whole.chars().any(char::is_lowercase))
}

/// "This Week", "60 Minutes": a capitalised unit mid-sentence is a title.
fn unit_is_title(g: &Groups, c: &Ctx) -> bool {
    let Some(u) = g.get("unit") else { return false };
    let whole = &c.text[c.start..c.end];
    starts_upper(u) && whole.chars().any(char::is_lowercase)
}

/// Names must be capitalised, unless the text around is all lower case
/// (chat, captions, social posts) and gives no case to go by.
fn name_ok(word: &str, c: &Ctx) -> bool {
    if capitalised(word, &c.text[c.start..c.end]) {
        return true;
    }
    let lo = crate::text::floor_char_boundary(
        c.text,
        c.start.saturating_sub(80).max(c.clause_start.min(c.start)),
    );
    let hi = crate::text::floor_char_boundary(c.text, (c.end + 80).min(c.clause_end.max(c.end)));
    !c.text[lo..hi.max(lo)].chars().any(char::is_uppercase)
}

#[cfg(test)]
const FUTURE_CUES: &[&str] = &[
    "will",
    "ll",
    "shall",
    "going",
    "plan",
    "plans",
    "planning",
    "scheduled",
    "expected",
    "expects",
    "expect",
    "upcoming",
    "due",
    "intends",
    "intend",
    "aims",
    "hopes",
    "hope",
    "tomorrow",
    "soon",
    "next",
    "ahead",
    "would",
    "set",
];
#[cfg(test)]
const PAST_CUES: &[&str] = &[
    "said",
    "told",
    "was",
    "were",
    "had",
    "did",
    "met",
    "took",
    "held",
    "spoke",
    "came",
    "went",
    "gave",
    "made",
    "saw",
    "began",
    "won",
    "lost",
    "fell",
    "rose",
    "ago",
    "last",
    "yesterday",
    "earlier",
    "wrote",
    "sent",
    "left",
    "got",
    "put",
    "led",
    "ran",
];

/// The longest word of FUTURE_CUES and PAST_CUES.
const CUE_MAX_LEN: usize = 9;

/// The tense a lower-cased word cues, as [`tense_cues`] has it, with the
/// words spelled out in a `match`: a length switch and a compare or two,
/// where hashing each word for the table was a third of reading a clause's
/// tense. `cue_matches_the_lists` checks it against the lists.
fn cue(lw: &[u8]) -> Option<Tense> {
    // Bytes, not `str`: the lower-cased copy needs no UTF-8 check.
    Some(match lw {
        b"will" | b"ll" | b"shall" | b"going" | b"plan" | b"plans" | b"planning" | b"scheduled"
        | b"expected" | b"expects" | b"expect" | b"upcoming" | b"due" | b"intends" | b"intend"
        | b"aims" | b"hopes" | b"hope" | b"tomorrow" | b"soon" | b"next" | b"ahead" | b"would"
        | b"set" => Tense::Future,
        b"said" | b"told" | b"was" | b"were" | b"had" | b"did" | b"met" | b"took" | b"held"
        | b"spoke" | b"came" | b"went" | b"gave" | b"made" | b"saw" | b"began" | b"won"
        | b"lost" | b"fell" | b"rose" | b"ago" | b"last" | b"yesterday" | b"earlier" | b"wrote"
        | b"sent" | b"left" | b"got" | b"put" | b"led" | b"ran" => Tense::Past,
        _ => return None,
    })
}

/// FUTURE_CUES and PAST_CUES as one lookup table.
#[cfg(test)]
fn tense_cues() -> &'static rustc_hash::FxHashMap<&'static str, Tense> {
    static CUES: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Tense>> =
        std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let mut map = rustc_hash::FxHashMap::default();
        // Past cues first so a word on both lists reads as future, as the
        // list order did.
        for w in PAST_CUES {
            map.insert(*w, Tense::Past);
        }
        for w in FUTURE_CUES {
            map.insert(*w, Tense::Future);
        }
        map
    })
}

/// Tense of the clause around the match: the nearest tense cue wins.
pub(crate) fn tense(c: &Ctx) -> Tense {
    // The clause bounds are found while reading the words (see `back` and
    // `fwd`), not first: the reading mostly stops at a cue well before
    // the clause ends. The floors are `clause_bound_back`'s and
    // `clause_bound_fwd`'s.
    let lo = crate::text::floor_char_boundary(
        c.text,
        c.start.saturating_sub(160).max(c.clause_start.min(c.start)),
    );
    let hi = crate::text::floor_char_boundary(
        c.text,
        (c.end + 160).min(c.clause_end.max(c.end)).min(c.text.len()),
    )
    .max(c.end);
    // Words are ASCII letters: compared without lower-casing copies, since
    // this runs for every candidate time expression.
    let any_of = |list: &[&str], w: &str| list.iter().any(|c| c.eq_ignore_ascii_case(w));
    let ends_with = |w: &str, suffix: &str| {
        w.len() >= suffix.len() && w[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    // The distance and tense of a cue word ending (before the match) or
    // starting (after it) at `pos`.
    let consider = |pos: usize, w: &str, prev: &str, prev2: &str| -> Option<(usize, Tense)> {
        // "had been due to expire Friday": a plan already in the past.
        let pluperfect = prev.eq_ignore_ascii_case("been") && prev2.eq_ignore_ascii_case("had");
        // No cue is longer than this: most words skip the lookup.
        let cue = if w.len() <= CUE_MAX_LEN {
            let mut buf = [0u8; CUE_MAX_LEN];
            let lw = &mut buf[..w.len()];
            lw.copy_from_slice(w.as_bytes());
            lw.make_ascii_lowercase();
            cue(lw)
        } else {
            None
        };
        let t = if cue == Some(Tense::Future) && !pluperfect {
            Tense::Future
        } else if pluperfect
            || cue == Some(Tense::Past)
            || (w.len() > 4
                && ends_with(w, "ed")
                && !ends_with(w, "eed")
                // A participle after "be"/"is" is passive, not past: "be
                // detailed".
                && !any_of(&["be", "been", "being", "is", "are", "am"], prev))
        {
            Tense::Past
        } else {
            return None;
        };
        let mut d = if pos <= c.start {
            c.start - pos
        } else {
            pos.saturating_sub(c.end)
        };
        // Auxiliaries only set the tense when nothing closer does.
        if any_of(&["was", "were", "had", "did", "would"], w) {
            d += 40;
        }
        Some((d, t))
    };
    // The nearest cue wins; on a tie, the first in the text. Words before
    // the match are read nearest first, so the reading stops as soon as
    // no word further out can be nearer (a cue is never nearer than its
    // word).
    let mut best: Option<(usize, Tense)> = None;
    let b = c.text.as_bytes();
    // The words before the match, nearest first: the same runs of ASCII
    // letters as `words` gives for `text[clause_bound_back(..)..start]`.
    // A clause end is never a letter, so only the bytes between words are
    // checked for one; the first met ends the reading.
    let mut j = c.start;
    let mut back = || -> Option<(usize, usize)> {
        while j > lo && !b[j - 1].is_ascii_alphabetic() {
            if clause_end_at(c.text, j - 1).is_some() {
                return None;
            }
            j -= 1;
        }
        let end = j;
        while j > lo && b[j - 1].is_ascii_alphabetic() {
            j -= 1;
        }
        (j < end).then_some((j, end))
    };
    let word = |span: Option<(usize, usize)>| span.map_or("", |(a, e)| &c.text[a..e]);
    let (mut cur, mut prev, mut prev2) = (back(), None, None);
    if cur.is_some() {
        prev = back();
    }
    if prev.is_some() {
        prev2 = back();
    }
    while let Some((_, end)) = cur {
        if best.is_some_and(|(bd, _)| c.start - end > bd) {
            break;
        }
        if let Some((d, t)) = consider(end, word(cur), word(prev), word(prev2)) {
            if best.is_none_or(|(bd, _)| d <= bd) {
                best = Some((d, t));
            }
        }
        (cur, prev) = (prev, prev2);
        prev2 = if prev2.is_some() { back() } else { None };
    }
    // The words after the match, as `words` gives them for
    // `text[end..clause_bound_fwd(..)]`, found the same way.
    let mut k = c.end;
    let fwd = std::iter::from_fn(|| {
        while k < hi && !b[k].is_ascii_alphabetic() {
            if clause_end_at(c.text, k).is_some() {
                return None;
            }
            k += 1;
        }
        let start = k;
        while k < hi && b[k].is_ascii_alphabetic() {
            k += 1;
        }
        (start < k).then(|| (start - c.end, c.text.get(start..k).unwrap_or_default()))
    });
    let (mut prev, mut prev2) = ("", "");
    for (off, w) in fwd {
        if best.is_some_and(|(bd, _)| off >= bd) {
            break;
        }
        if let Some((d, t)) = consider(c.end + off, w, prev, prev2) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, t));
            }
        }
        prev2 = std::mem::replace(&mut prev, w);
    }
    best.map_or(Tense::Unknown, |(_, t)| t)
}

#[cfg(test)]
/// ASCII words with their byte offsets in `s`. ASCII letters never occur
/// inside a longer UTF-8 sequence, so the bytes split as the characters
/// would.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        (start < i).then(|| (start, s.get(start..i).unwrap_or_default()))
    })
}

/// The length of the clause-ending character at byte `i` of `text`, if
/// one starts there: a newline, `?`, `!`, `;`, a straight or curly double
/// quote, or a full stop that ends a sentence.
fn clause_end_at(text: &str, i: usize) -> Option<usize> {
    let b = text.as_bytes();
    match b[i] {
        b'\n' | b'?' | b'!' | b';' | b'"' => Some(1),
        b'.' if sentence_dot(text, i) => Some(1),
        // U+201C and U+201D.
        0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x9C | 0x9D)) => Some(3),
        _ => None,
    }
}

fn clause_bound_back(text: &str, from: usize, floor: usize) -> usize {
    let lo = crate::text::floor_char_boundary(text, from.saturating_sub(160).max(floor.min(from)));
    // The last clause end before `from` is the first met walking back: most
    // matches have one a few words back, and the 160 bytes are not all read.
    (lo..from)
        .rev()
        .find_map(|i| clause_end_at(text, i).map(|len| i + len))
        .unwrap_or(lo)
        .min(from)
}

/// A full stop that ends a sentence: followed by a space, not part of an
/// abbreviation like "U.S.".
fn sentence_dot(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    let next_space = b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
    let abbrev = i >= 2 && b.get(i - 2) == Some(&b'.');
    next_space && !abbrev
}

fn clause_bound_fwd(text: &str, from: usize, ceil: usize) -> usize {
    let hi =
        crate::text::floor_char_boundary(text, (from + 160).min(ceil.max(from)).min(text.len()));
    for i in from..hi.max(from) {
        if clause_end_at(text, i).is_some() {
            return i;
        }
    }
    hi.max(from)
}

// ---------------------------------------------------------------- values

fn day_value(d: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_int(&mut out, d.year().into(), 4);
    out.push('-');
    push_int(&mut out, d.month().into(), 2);
    out.push('-');
    push_int(&mut out, d.day().into(), 2);
    out
}

fn week_value(d: NaiveDate) -> String {
    let w = d.iso_week();
    let mut out = String::with_capacity(8);
    push_int(&mut out, w.year().into(), 4);
    out.push_str("-W");
    push_int(&mut out, w.week().into(), 2);
    out
}

fn add_months(d: NaiveDate, months: i32) -> Option<(i32, u32)> {
    let total = d.year() * 12 + d.month0() as i32 + months;
    Some((total.div_euclid(12), total.rem_euclid(12) as u32 + 1))
}

fn quarter_of(d: NaiveDate) -> u32 {
    d.month0() / 3 + 1
}

fn parse_year(s: &str, anchor: Option<NaiveDate>) -> Option<(i32, bool)> {
    let n: i32 = s.parse().ok()?;
    if s.len() == 4 {
        return Some((n, false));
    }
    if s.len() != 2 {
        return None;
    }
    // Two-digit year: the century that puts it nearest the anchor.
    let base = anchor.map_or(2000, |a| a.year());
    let century = base - base.rem_euclid(100);
    let cands = [century - 100 + n, century + n, century + 100 + n];
    let best = cands
        .into_iter()
        .min_by_key(|y| (y - base).abs())
        .unwrap_or(century + n);
    Some((best, true))
}

fn month_number(s: &str, c: &Ctx) -> Option<u32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let m: u32 = s.parse().ok()?;
        return (1..=12).contains(&m).then_some(m);
    }
    c.tables.get("month", s)?.parse().ok()
}

/// The year for a month (and day) stated without one: relative to the
/// anchor, by tense; with no cue, the nearest.
fn infer_year(anchor: NaiveDate, month: u32, day: Option<u32>, t: Tense) -> i32 {
    let y = anchor.year();
    let key = (month, day.unwrap_or(0));
    let akey = (anchor.month(), if day.is_some() { anchor.day() } else { 0 });
    // Annotators (and readers) take the publication year unless the date
    // is far on the wrong side of it for the tense.
    let diff = month as i32 - anchor.month() as i32;
    match t {
        Tense::Past if diff > 4 || (diff == 4 && key > akey) => y - 1,
        Tense::Future if diff < -4 || (diff == -4 && key < akey) => y + 1,
        Tense::Past | Tense::Future => y,
        Tense::Unknown => {
            if diff > 4 {
                y - 1
            } else if diff < -9 {
                y + 1
            } else {
                y
            }
        }
    }
}

/// [`infer_year`] with the tense read only if it can change the year:
/// within four months of the anchor every tense gives the anchor's year.
fn infer_year_lazy(
    anchor: NaiveDate,
    month: u32,
    day: Option<u32>,
    t: impl FnOnce() -> Tense,
) -> i32 {
    let diff = month as i32 - anchor.month() as i32;
    if diff.abs() < 4 {
        return anchor.year();
    }
    infer_year(anchor, month, day, t())
}

/// A "rel" group lower-cased with its words joined by one space; on the
/// stack when it is ASCII and short, as it nearly always is.
fn rel_key<'b>(r: &str, buf: &'b mut [u8]) -> std::borrow::Cow<'b, str> {
    match crate::extract::lexicon::ascii_words_key(r, buf, false) {
        Some(k) => std::borrow::Cow::Borrowed(k),
        None => std::borrow::Cow::Owned(
            r.to_ascii_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

fn weekday_from(n: u32) -> Option<Weekday> {
    Some(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return None,
    })
}

const MONTH_PREPS: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "of",
    "during",
    "from",
    "before",
    "after",
    "through",
    "throughout",
    "around",
    "between",
    "and",
    "to",
    "or",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "this",
    "on",
    "for",
    "that",
    "as",
    "into",
    "earlier",
];

fn hour_24(hour: u32, ampm: Option<&str>) -> Option<u32> {
    match ampm.map(|a| a.to_ascii_lowercase()) {
        Some(a) if a.starts_with('p') => match hour {
            1..=11 => Some(hour + 12),
            12 => Some(12),
            _ => None,
        },
        Some(_) => match hour {
            12 => Some(0),
            1..=11 => Some(hour),
            _ => None,
        },
        None => (hour < 24).then_some(hour),
    }
}

/// "T09:22" or "T23:24:28", and its granularity.
fn clock_part(g: &Groups) -> Option<(String, Granularity)> {
    let hour: u32 = g.get("hour")?.parse().ok()?;
    let h = hour_24(hour, g.get("ampm"))?;
    let minute: u32 = match g.get("minute") {
        Some(m) => m.parse().ok()?,
        None => 0,
    };
    match g.get("second") {
        Some(s) => {
            let s: u32 = s.parse().ok()?;
            let mut out = clock_hm(h, minute);
            out.push(':');
            push_int(&mut out, s.into(), 2);
            Some((out, Granularity::Second))
        }
        None => Some((clock_hm(h, minute), Granularity::Minute)),
    }
}

/// "T09:22".
fn clock_hm(h: u32, minute: u32) -> String {
    let mut out = String::with_capacity(9);
    out.push('T');
    push_int(&mut out, h.into(), 2);
    out.push(':');
    push_int(&mut out, minute.into(), 2);
    out
}

fn date(g: &Groups, c: &Ctx, alone: bool) -> Option<Normal> {
    let month_s = g.get("month")?;
    let month = month_number(month_s, c)?;
    // A lower-case month counts when a day or year pins it ("april 2017").
    let pinned = g.has("day") || g.has("year");
    if !month_s.starts_with(|ch: char| ch.is_ascii_digit()) && !pinned && !name_ok(month_s, c) {
        return None;
    }
    // A bare abbreviation ("Jan", "Mar") is a month only after "in", "this"...
    let abbreviated = alone && month_s.len() <= 5 && c.tables.get("month_full", month_s).is_none();
    if abbreviated && !g.has("rel") && !g.has("monthof") && !g.has("mod") {
        let prev = prev_word(c);
        if ![
            "in", "since", "until", "till", "during", "through", "by", "from", "before", "after",
            "early", "late", "mid",
        ]
        .contains(&&*prev)
        {
            return None;
        }
    }
    if alone && !g.has("mod") && !g.has("rel") && !g.has("monthof") {
        let prev = prev_word(c);
        let ok_prev = MONTH_PREPS.contains(&&*prev);
        if month_s.eq_ignore_ascii_case("may") && !ok_prev {
            return None;
        }
        let strong = ok_prev && !["and", "or", "to", "that", "as", "for", "on"].contains(&&*prev);
        if !starts_upper(month_s) && !strong {
            return None; // lower-case "march" needs "in", "since"...
        }
        if !strong && starts_upper(next_word(c)) {
            return None;
        }
        if prev == "the" || prev == "a" {
            return None;
        }
    }
    let day: Option<u32> = match g.get("day") {
        Some(d) => Some(d.parse().ok()?),
        None => None,
    };
    let stated_wd = match g.get("weekday") {
        Some(w) => {
            if !name_ok(w, c) {
                return None;
            }
            weekday_from(c.tables.get("weekday", w)?.parse().ok()?)
        }
        None => None,
    };
    let mut implied = Vec::new();
    let (year, resolved) = match g.get("year") {
        Some(y) => {
            let (y, guessed) = parse_year(y, c.anchor)?;
            if guessed {
                implied.push("century");
            }
            (Some(y), Resolution::Absolute)
        }
        None => match c.anchor {
            Some(a) => {
                let rel = g.get("rel").map(|r| r.to_ascii_lowercase());
                // Read only when the year turns on it (most dates are
                // within a few months of the anchor).
                let t = || match rel.as_deref() {
                    Some("last") | Some("this past") => Tense::Past,
                    Some("next") | Some("this coming") => Tense::Future,
                    _ => tense(c),
                };
                let y = match (
                    g.get("ryear").map(str::to_ascii_lowercase).as_deref(),
                    rel.as_deref(),
                ) {
                    (Some("last"), _) => a.year() - 1,
                    (Some("next"), _) => a.year() + 1,
                    (Some(_), _) => a.year(),
                    // "last April": the latest April before this month.
                    (None, Some("last")) => a.year() - i32::from(month >= a.month()),
                    (None, Some("next")) => a.year() + i32::from(month <= a.month()),
                    (None, Some("this past")) => infer_year(a, month, day, Tense::Past),
                    (None, Some("this coming")) => infer_year(a, month, day, Tense::Future),
                    // The preposition sets the direction: "since March".
                    _ => match &*prev_word(c) {
                        "since" => infer_year(a, month, day, Tense::Past),
                        "until" | "till" | "through" | "by" => {
                            infer_year(a, month, day, Tense::Future)
                        }
                        _ => infer_year_lazy(a, month, day, t),
                    },
                };
                implied.push("year");
                (Some(y), Resolution::Relative)
            }
            None => {
                implied.push("year");
                (None, Resolution::Unresolved)
            }
        },
    };
    let mut value = year.map_or_else(|| "XXXX".to_string(), |y| int_string(y.into(), 4));
    value.push('-');
    push_int(&mut value, month.into(), 2);
    let Some(d) = day else {
        return Some(Normal {
            implied,
            ..Normal::new(value, Granularity::Month, resolved)
        });
    };
    // The date must exist (2000 is a leap year: Feb 29 passes without a year).
    let real = NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, d)?;
    value.push('-');
    push_int(&mut value, d.into(), 2);
    let mut n = Normal::new(value, Granularity::Day, resolved);
    n.implied = implied;
    n.weekday = stated_wd;
    if year.is_some() {
        n.day = Some(real);
        if g.has("weekof") {
            n.value = week_value(real);
            n.granularity = Granularity::Week;
        }
    }
    if g.has("hour") {
        let (t, gran) = clock_part(g)?;
        n.value.push_str(&t);
        n.granularity = gran;
        n.timex_type = Some(TimexType::Time);
    }
    Some(n)
}

/// Nouns that make a four-digit number a count, not a year.
const COUNT_NOUNS: &[&str] = &[
    "views",
    "people",
    "troops",
    "soldiers",
    "points",
    "votes",
    "words",
    "miles",
    "km",
    "kilometers",
    "kilometres",
    "meters",
    "metres",
    "feet",
    "tons",
    "tonnes",
    "units",
    "jobs",
    "workers",
    "members",
    "times",
    "shares",
    "cars",
    "homes",
    "students",
    "dollars",
    "euros",
    "pounds",
    "yen",
    "barrels",
    "acres",
    "cases",
    "deaths",
    "pages",
    "copies",
    "employees",
    "residents",
    "families",
    "children",
    "men",
    "women",
    "refugees",
    "prisoners",
    "rounds",
    "hectares",
    "sq",
    "square",
    "calories",
    "rubles",
    "yuan",
    "hours",
    "minutes",
    "days",
    "others",
    "more",
    "percent",
    "per",
    "x",
    "gb",
    "mb",
    "mw",
    "kg",
    "lbs",
];

fn year(g: &Groups, c: &Ctx) -> Option<Normal> {
    let y: i32 = g.get("year")?.parse().ok()?;
    if !g.has("fiscal") && !g.has("mod") {
        let next = next_word(c).to_ascii_lowercase();
        if COUNT_NOUNS.contains(&next.as_str()) {
            return None;
        }
        let prev = prev_word(c);
        if [
            "no", "number", "page", "rs", "flight", "route", "model", "room", "about", "some",
            "nearly", "over", "almost", "than",
        ]
        .contains(&&*prev)
        {
            return None;
        }
        if c.text[..c.start].ends_with("No. ") || c.text[..c.start].ends_with("# ") {
            return None;
        }
    }
    Some(Normal::new(
        int_string(y.into(), 4),
        Granularity::Year,
        Resolution::Absolute,
    ))
}

fn decade(g: &Groups, c: &Ctx) -> Option<Normal> {
    if let Some(d) = g.get("dec") {
        return Some(Normal::new(
            d.get(..3)?.to_string(),
            Granularity::Decade,
            Resolution::Absolute,
        ));
    }
    let (digit, mut n) = if let Some(d2) = g.get("dec2") {
        (
            d2.get(..1)?.parse::<i32>().ok()?,
            Normal::new(String::new(), Granularity::Decade, Resolution::Relative),
        )
    } else {
        let w = c.tables.get("decade_word", g.get("decw")?)?;
        if !c.text[c.start..c.end].to_ascii_lowercase().contains("the") {
            return None;
        }
        (
            w.parse::<i32>().ok()?,
            Normal::new(String::new(), Granularity::Decade, Resolution::Relative),
        )
    };
    // The century nearest before the anchor (or the 1900s with none).
    let century = match c.anchor {
        Some(a) => {
            let cy = a.year() - a.year().rem_euclid(100);
            if cy + digit * 10 > a.year() {
                cy - 100
            } else {
                cy
            }
        }
        None => {
            n.implied.push("century");
            1900
        }
    };
    n.value = format!("{}{}", century / 100, digit);
    if c.anchor.is_some() {
        n.implied.push("century");
    }
    Some(n)
}

fn century(g: &Groups, c: &Ctx) -> Option<Normal> {
    let n: i32 = c.tables.get("ordinal", g.get("ord")?)?.parse().ok()?;
    if !(1..=30).contains(&n) {
        return None;
    }
    Some(Normal::new(
        format!("{:02}", n - 1),
        Granularity::Century,
        Resolution::Absolute,
    ))
}

fn pod_code(g: &Groups, c: &Ctx) -> Option<String> {
    match g.get("pod") {
        Some(p) => Some(c.tables.get("pod", p)?.to_string()),
        None => None,
    }
}

fn weekday(g: &Groups, c: &Ctx) -> Option<Normal> {
    let w = g.get("weekday")?;
    if !name_ok(w, c) {
        return None;
    }
    let num: u32 = c.tables.get("weekday", w)?.parse().ok()?;
    let wd = weekday_from(num)?;
    let mut rel_buf = [0u8; 32];
    let rel = g.get("rel").map(|r| rel_key(r, &mut rel_buf));
    let mut n = match c.anchor {
        None => {
            let mut n = Normal::new(
                format!("XXXX-WXX-{num}"),
                Granularity::Weekday,
                Resolution::Unresolved,
            );
            n.implied = vec!["year", "month", "day"];
            n
        }
        Some(a) => {
            let aw = a.weekday().number_from_monday() as i64;
            let back = (aw - num as i64).rem_euclid(7); // days back to the last one
            let fwd = (num as i64 - aw).rem_euclid(7);
            let offset = match rel.as_deref() {
                Some("last") | Some("past") | Some("previous") | Some("this past") => {
                    -(if back == 0 { 7 } else { back })
                }
                Some("next") | Some("coming") | Some("this coming") => {
                    if fwd == 0 {
                        7
                    } else {
                        fwd
                    }
                }
                _ if back == 0 => 0,
                // A deadline: "by Friday", "until 9 a.m. Tuesday".
                _ if matches!(&*prev_word(c), "by" | "until" | "till") => fwd,
                _ => match tense(c) {
                    Tense::Future => fwd,
                    _ => -back,
                },
            };
            let d = a.checked_add_signed(Duration::days(offset))?;
            let mut n = Normal::new(day_value(d), Granularity::Day, Resolution::Relative);
            n.implied = vec!["year", "month", "day"];
            n.day = Some(d);
            n
        }
    };
    // "Monday evening": TimeBank mostly keeps the day alone as the value,
    // so the part of day is not read.
    n.weekday = Some(wd);
    Some(n)
}

/// "D+1", "D-1@NI" or a reference value.
fn reference(g: &Groups, c: &Ctx) -> Option<Normal> {
    let word = g.get("ref")?;
    let key = super::rules::normalize_key(word);
    if key == "a later date" {
        return Some(
            Normal::new(
                "FUTURE_REF".to_string(),
                Granularity::Future,
                Resolution::Relative,
            )
            .with_type(TimexType::Date),
        );
    }
    if key.starts_with("a ") || key.starts_with("an ") {
        // "a certain period", "a while": a span of unstated length.
        let stated = key.ends_with("period")
            || key.ends_with("time")
            || key.ends_with("period of time")
            || key == "a while";
        if !stated {
            return None;
        }
        return Some(
            Normal::new(
                "PXX".to_string(),
                Granularity::Duration,
                Resolution::Absolute,
            )
            .with_type(TimexType::Duration),
        );
    }
    let r = c.tables.get("reference", word)?;
    if let Some(rest) = r.strip_prefix('D') {
        let (off, pod) = match rest.split_once('@') {
            Some((o, p)) => (o, Some(p.to_string())),
            None => (rest, pod_code(g, c)),
        };
        let off: i64 = off.trim_start_matches('+').parse().ok()?;
        let mut n = match c.anchor {
            Some(a) => {
                let d = a.checked_add_signed(Duration::days(off))?;
                let mut n = Normal::new(day_value(d), Granularity::Day, Resolution::Relative);
                n.day = Some(d);
                n
            }
            None => Normal::new(
                "XXXX-XX-XX".to_string(),
                Granularity::Day,
                Resolution::Unresolved,
            ),
        };
        if let Some(p) = pod {
            n.value.push('T');
            n.value.push_str(&p);
            n.granularity = Granularity::PartOfDay;
            n.timex_type = Some(TimexType::Time);
        }
        return Some(n);
    }
    if r.starts_with('P') && r != "PRESENT_REF" && r != "PAST_REF" {
        return Some(
            Normal::new(r.to_string(), Granularity::Duration, Resolution::Absolute)
                .with_type(TimexType::Duration),
        );
    }
    let gran = match r {
        "PRESENT_REF" => Granularity::Present,
        "PAST_REF" => Granularity::Past,
        _ => Granularity::Future,
    };
    // Adjectives count only before a noun: "current" alone is not a time.
    let word = g.get("ref")?.to_ascii_lowercase();
    if word == "current" || word == "future" || word == "recent" {
        let next = next_word(c);
        if next.is_empty() || next.chars().next().is_some_and(|ch| !ch.is_alphabetic()) {
            return None;
        }
    }
    Some(Normal::new(r.to_string(), gran, Resolution::Relative))
}

fn unit_code<'a>(g: &Groups, c: &'a Ctx, name: &str) -> Option<&'a str> {
    let u = g.get(name)?;
    let u = u.split_whitespace().last()?; // "fiscal year" -> "year"
    if u.eq_ignore_ascii_case("period") {
        // "the latest period": a reporting quarter, if the text has one.
        return c.prev_quarter.map(|_| "Q");
    }
    c.tables.get("unit", u)
}

fn rel_offset(rel: Option<&str>, c: &Ctx) -> Option<(i32, bool)> {
    // (offset, year-earlier)
    match rel {
        None => Some((0, false)),
        Some(r) => {
            let v = c.tables.get("relative", r)?;
            if v == "-Y" {
                Some((0, true))
            } else {
                Some((v.trim_start_matches('+').parse().ok()?, false))
            }
        }
    }
}

fn relative(g: &Groups, c: &Ctx) -> Option<Normal> {
    let whole = c.text[c.start..c.end].to_ascii_lowercase();
    let rel = g.get("rel");
    let has_the = whole.starts_with("the") || whole.contains(" the ");
    if rel.is_none() && !has_the && !g.has("mod") && !g.has("end") {
        return None;
    }
    let code = unit_code(g, c, "unit")?;
    if unit_is_title(g, c) {
        return None;
    }
    if matches!(
        rel.map(str::to_ascii_lowercase).as_deref(),
        Some("full" | "whole" | "entire")
    ) && !has_the
    {
        return None; // "a full year" is a duration
    }
    if code == "M" && next_word(c).eq_ignore_ascii_case("of") {
        return None; // "the month of May": the month rule reads it
    }
    let rel_l = rel.map(|r| r.to_ascii_lowercase());
    let (mut off, year_earlier) = rel_offset(rel, c)?;
    // "the past week", "the last year": a period up to now; "for the year".
    if g.has("end") {
        // "year-end": the last day of this year (of last year after "since").
        let Some(a) = c.anchor else {
            return Some(Normal::new(
                "XXXX-12-31".to_string(),
                Granularity::Day,
                Resolution::Unresolved,
            ));
        };
        let y = a.year() - i32::from(prev_word(c) == "since");
        let d = NaiveDate::from_ymd_opt(y, 12, 31)?;
        let mut n = Normal::new(day_value(d), Granularity::Day, Resolution::Relative);
        n.day = Some(d);
        return Some(n);
    }
    let next = next_word(c).to_ascii_lowercase();
    let ending = rel.is_none() && (next == "ending" || next == "ended");
    if c.text[c.end..].starts_with('-') {
        return None; // "the year-ago results": leave "year-ago" to its rule
    }
    if ending
        || (has_the && matches!(rel_l.as_deref(), Some("past") | Some("last")) && !g.has("mod"))
    {
        let n = match code {
            "DE" => "P10Y".to_string(),
            "CE" => "P100Y".to_string(),
            "WE" => "P1WE".to_string(),
            u => format!("P1{u}"),
        };
        return Some(
            Normal::new(n, Granularity::Duration, Resolution::Absolute)
                .with_type(TimexType::Duration),
        );
    }
    let Some(a) = c.anchor else {
        let v = match code {
            "W" => "XXXX-WXX",
            "WE" => "XXXX-WXX-WE",
            "M" => "XXXX-XX",
            "Q" => "XXXX-QX",
            _ => "XXXX",
        };
        return Some(Normal::new(
            v.to_string(),
            gran_of(code),
            Resolution::Unresolved,
        ));
    };
    let value = match code {
        "W" => {
            let d = a.checked_add_signed(Duration::weeks(off as i64))?;
            week_value(d)
        }
        "WE" => {
            // "the weekend" in the past tense on a weekday: the one before.
            if rel.is_none() && a.weekday().number_from_monday() < 6 && tense(c) != Tense::Future {
                off = -1;
            }
            let d = a.checked_add_signed(Duration::weeks(off as i64))?;
            format!("{}-WE", week_value(d))
        }
        "M" => {
            let (y, m) = add_months(a, off)?;
            format!("{y:04}-{m:02}")
        }
        "Q" => {
            // "the quarter" in news is the one the story is about: the last
            // one named, else the last one reported.
            if rel.is_none() || year_earlier {
                if let Some((y, q)) = c.prev_quarter {
                    let y = y - i32::from(year_earlier);
                    let mut n = Normal::new(
                        format!("{y:04}-Q{q}"),
                        Granularity::Quarter,
                        Resolution::Relative,
                    );
                    n.comparison = year_earlier;
                    return Some(n);
                }
                off = -1;
            }
            let mut q = quarter_of(a) as i32 - 1 + off;
            let mut y = a.year() + q.div_euclid(4);
            q = q.rem_euclid(4);
            if year_earlier {
                y -= 1;
            }
            format!("{y:04}-Q{}", q + 1)
        }
        "DE" => {
            let y = a.year() + off * 10;
            format!("{}", y.div_euclid(10))
        }
        "CE" => {
            let y = a.year() + off * 100;
            format!("{:02}", y.div_euclid(100))
        }
        _ => {
            if year_earlier {
                if let Some(q) = year_ago_quarter(c) {
                    return Some(q);
                }
            }
            let y = a.year() + off - i32::from(year_earlier);
            format!("{y:04}")
        }
    };
    Some(Normal::new(value, gran_of(code), Resolution::Relative))
}

impl Normal {
    fn with_type(mut self, t: TimexType) -> Self {
        self.timex_type = Some(t);
        self
    }
}

/// In a sentence about a quarter, "a year ago" / "year-earlier" means the
/// same quarter a year before (TimeBank's financial-news convention).
fn year_ago_quarter(c: &Ctx) -> Option<Normal> {
    let (y, q) = c.prev_quarter?;
    let lo = clause_bound_back(c.text, c.start, c.clause_start);
    let hi = clause_bound_fwd(c.text, c.end, c.clause_end);
    let sentence = c.text.get(lo..hi)?.to_ascii_lowercase();
    // The quarter is in this sentence, or was named just before.
    let near = c.start.saturating_sub(c.prev_quarter_end) < 400;
    if !sentence.contains("quarter") && !near {
        return None;
    }
    let mut n = Normal::new(
        format!("{:04}-Q{q}", y - 1),
        Granularity::Quarter,
        Resolution::Relative,
    );
    n.comparison = true;
    Some(n)
}

fn gran_of(code: &str) -> Granularity {
    match code {
        "W" | "2W" => Granularity::Week,
        "WE" => Granularity::Weekend,
        "M" => Granularity::Month,
        "Q" => Granularity::Quarter,
        "DE" => Granularity::Decade,
        "CE" => Granularity::Century,
        "D" => Granularity::Day,
        "TH" => Granularity::Hour,
        "TM" => Granularity::Minute,
        "TS" => Granularity::Second,
        _ => Granularity::Year,
    }
}

/// A number word or figure: `None` if unreadable, `Some(None)` if vague.
fn parse_num(s: &str, c: &Ctx) -> Option<Option<f64>> {
    let s = s.trim();
    if s.starts_with(|ch: char| ch.is_ascii_digit()) {
        let (main, frac) = match s.split_once(char::is_whitespace) {
            Some((m, f)) => (m, Some(f.trim())),
            None => match s.strip_suffix('½') {
                Some(m) => (m, Some("1/2")),
                None => (s, None),
            },
        };
        let mut v: f64 = main.trim().parse().ok()?;
        if frac == Some("1/2") {
            v += 0.5;
        }
        return Some(Some(v));
    }
    let key = super::rules::normalize_key(s);
    if let Some(v) = c.tables.get("number", &key) {
        return Some(if v == "X" {
            None
        } else {
            Some(v.parse().ok()?)
        });
    }
    // "twenty four", "twenty-four"
    let mut parts = key.split(' ');
    let tens: f64 = c.tables.get("number", parts.next()?)?.parse().ok()?;
    let ones: f64 = c.tables.get("number", parts.next()?)?.parse().ok()?;
    Some(Some(tens + ones))
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        int_string(v as i64, 0)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn duration_value(num: Option<f64>, code: &str) -> String {
    // Halves in the next smaller unit: P3Y6M, PT5H30M, P2D12H -> P2DT12H.
    if let Some(v) = num {
        if v.fract() == 0.5 && v < 10_000.0 {
            let whole = v.trunc() as i64;
            let half = match code {
                "Y" => Some(format!("P{whole}Y6M")),
                "M" => Some(format!("P{whole}M15D")),
                "D" => Some(format!("P{whole}DT12H")),
                "TH" => Some(format!("PT{whole}H30M")),
                "TM" => Some(format!("PT{whole}M30S")),
                _ => None,
            };
            if let Some(h) = half {
                return h;
            }
        }
    }
    let n = num.map_or_else(|| "X".to_string(), fmt_num);
    let scaled = |k: f64| num.map_or_else(|| "X".to_string(), |v| fmt_num(v * k));
    match code {
        "TS" | "TM" | "TH" => format!("PT{n}{}", &code[1..]),
        "2W" => format!("P{}W", scaled(2.0)),
        "DE" => match num {
            Some(_) => format!("P{}Y", scaled(10.0)),
            None => "PXDE".to_string(),
        },
        "CE" => match num {
            Some(_) => format!("P{}Y", scaled(100.0)),
            None => "PXCE".to_string(),
        },
        u => format!("P{n}{u}"),
    }
}

fn duration(g: &Groups, c: &Ctx) -> Option<Normal> {
    let code = unit_code(g, c, "unit")?;
    if unit_is_title(g, c) {
        return None;
    }
    if is_age(c.text, c.end, c.clause_end) {
        return None;
    }
    // "talks last two weeks": "last" is the verb unless "the"/a preposition.
    if g.get("rel").is_some_and(|r| r.eq_ignore_ascii_case("last"))
        && !c.text[c.start..c.end]
            .to_ascii_lowercase()
            .starts_with("the")
        && !["in", "over", "for", "during", "within", "of", "from"].contains(&&*prev_word(c))
    {
        return None;
    }
    let num = match g.get("num") {
        Some(s) => {
            let key = s.to_ascii_lowercase();
            if (key == "a" || key == "an") && code == "TS" {
                return None; // "a second time"
            }
            if key == "a" || key == "an" {
                // A rate: "358,000 a month", "$5 a day", "twice a week".
                let before = c.text[..c.start].trim_end();
                let prev = prev_word(c);
                if before.ends_with(|ch: char| ch.is_ascii_digit())
                    || ["once", "twice", "times", "dollars", "cents", "percent"].contains(&&*prev)
                {
                    return None;
                }
            }
            parse_num(s, c)?
        }
        None if g.get("unit").is_some_and(|u| !u.ends_with('s')) => {
            // "all day", "a full year": one whole unit.
            Some(1.0)
        }
        None => {
            // A bare plural ("for years") only after a word that makes it a span.
            let prev = prev_word(c);
            let next = next_word(c).to_ascii_lowercase();
            let framed = prev == "the"
                && [
                    "before",
                    "after",
                    "that",
                    "since",
                    "following",
                    "ahead",
                    "leading",
                ]
                .contains(&next.as_str());
            if !framed
                && ![
                    "for", "over", "past", "last", "next", "coming", "within", "in", "after",
                    "than", "few", "several", "many", "take", "takes", "took", "lasted", "spent",
                    "wait", "waited",
                ]
                .contains(&&*prev)
            {
                return None;
            }
            None
        }
    };
    if num.is_some_and(|v| v <= 0.0 || v > 10_000.0) {
        return None;
    }
    if num.is_some_and(|v| (1000.0..2100.0).contains(&v)) && !code.starts_with('T') && code != "D" {
        return None; // "the 1988 quarter"
    }
    if code == "Q" && next_word(c).eq_ignore_ascii_case("of") {
        return None; // "three-quarters of": a fraction
    }
    let mut n = Normal::new(
        duration_value(num, code),
        Granularity::Duration,
        Resolution::Absolute,
    );
    // "the [five-year] plan": "the" belongs to the noun, not the duration.
    let whole = &c.text[c.start..c.end];
    if let Some(rest) = after_the(whole).filter(|_| !g.has("rel")) {
        let adjectival = g
            .caps
            .get_group_by_name("unit")
            .is_some_and(|u| c.text.get(..u.start).is_some_and(|t| t.ends_with('-')));
        if adjectival {
            n.skip = whole.len() - rest.len();
        }
    }
    Some(n)
}

fn ago(g: &Groups, c: &Ctx) -> Option<Normal> {
    let code = unit_code(g, c, "unit")?;
    let num = match g.get("num") {
        Some(s) => parse_num(s, c)?,
        None => Some(1.0),
    };
    let dir = g.get("dir")?.to_ascii_lowercase();
    // "three days later", "10 days before the murder": measured from
    // another event, so only the span is a time expression (the duration
    // rule takes it). Years keep "a year earlier" as a date.
    if matches!(dir.as_str(), "later" | "earlier" | "before")
        && !matches!(code, "Y" | "Q" | "M" | "DE" | "CE")
        && g.has("num")
    {
        return None;
    }
    let sign: i64 = if matches!(dir.as_str(), "ago" | "earlier" | "before") {
        -1
    } else {
        1
    };
    let Some(k) = num.filter(|v| v.fract() == 0.0 && *v <= 10_000.0) else {
        let r = if sign < 0 { "PAST_REF" } else { "FUTURE_REF" };
        let gran = if sign < 0 {
            Granularity::Past
        } else {
            Granularity::Future
        };
        return Some(Normal::new(r.to_string(), gran, Resolution::Relative));
    };
    let k = k as i64 * sign;
    if code == "Y" && k == -1 {
        if let Some(q) = year_ago_quarter(c) {
            return Some(q);
        }
    }
    let Some(a) = c.anchor else {
        let v = match code {
            "D" => "XXXX-XX-XX",
            "W" | "2W" => "XXXX-WXX",
            "M" => "XXXX-XX",
            _ => "XXXX",
        };
        return Some(Normal::new(
            v.to_string(),
            gran_of(code),
            Resolution::Unresolved,
        ));
    };
    let mut n = match code {
        "D" | "TH" | "TM" | "TS" => {
            let days = if code == "D" { k } else { 0 };
            let d = a.checked_add_signed(Duration::days(days))?;
            let mut n = Normal::new(day_value(d), Granularity::Day, Resolution::Relative);
            n.day = Some(d);
            n
        }
        "W" | "2W" => {
            let w = if code == "2W" { 2 * k } else { k };
            Normal::new(
                week_value(a.checked_add_signed(Duration::weeks(w))?),
                Granularity::Week,
                Resolution::Relative,
            )
        }
        "WE" => Normal::new(
            format!(
                "{}-WE",
                week_value(a.checked_add_signed(Duration::weeks(k))?)
            ),
            Granularity::Weekend,
            Resolution::Relative,
        ),
        "M" => {
            let (y, m) = add_months(a, i32::try_from(k).ok()?)?;
            Normal::new(
                format!("{y:04}-{m:02}"),
                Granularity::Month,
                Resolution::Relative,
            )
        }
        "Q" => {
            let (y, m) = add_months(a, i32::try_from(k * 3).ok()?)?;
            Normal::new(
                format!("{y:04}-Q{}", (m - 1) / 3 + 1),
                Granularity::Quarter,
                Resolution::Relative,
            )
        }
        "DE" => Normal::new(
            format!("{}", (a.year() as i64 + k * 10).div_euclid(10)),
            Granularity::Decade,
            Resolution::Relative,
        ),
        "CE" => Normal::new(
            format!("{:02}", (a.year() as i64 + k * 100).div_euclid(100)),
            Granularity::Century,
            Resolution::Relative,
        ),
        _ => Normal::new(
            format!("{:04}", a.year() as i64 + k),
            Granularity::Year,
            Resolution::Relative,
        ),
    };
    n.timex_type = Some(TimexType::Date);
    Some(n)
}

fn set(g: &Groups, c: &Ctx) -> Option<Normal> {
    if let Some(w) = g.get("weekday") {
        let num = c.tables.get("weekday", w)?;
        return Some(Normal::new(
            format!("XXXX-WXX-{num}"),
            Granularity::Set,
            Resolution::Absolute,
        ));
    }
    if let Some(s) = g.get("season") {
        let code = c.tables.get("season", s)?;
        return Some(Normal::new(
            format!("XXXX-{code}"),
            Granularity::Set,
            Resolution::Absolute,
        ));
    }
    if let Some(m) = g.get("month") {
        let m = month_number(m, c)?;
        return Some(Normal::new(
            format!("XXXX-{m:02}"),
            Granularity::Set,
            Resolution::Absolute,
        ));
    }
    if g.has("pod") {
        let code = pod_code(g, c)?;
        return Some(Normal::new(
            format!("XXXX-XX-XXT{code}"),
            Granularity::Set,
            Resolution::Absolute,
        ));
    }
    let unit = g.get("unit")?;
    let num = match g.get("num") {
        Some(s) => parse_num(s, c)?,
        None => Some(1.0),
    };
    let v = if unit.eq_ignore_ascii_case("season") {
        "P3M".to_string()
    } else {
        duration_value(num, c.tables.get("unit", unit)?)
    };
    Some(Normal::new(v, Granularity::Set, Resolution::Absolute))
}

const SEASON_START: &[(&str, u32)] = &[("SP", 3), ("SU", 6), ("FA", 9), ("WI", 12)];

fn season(g: &Groups, c: &Ctx) -> Option<Normal> {
    let code = c.tables.get("season", g.get("season")?)?;
    let mut rel_buf = [0u8; 32];
    let rel = g.get("rel").map(|r| rel_key(r, &mut rel_buf));
    if let Some(y) = g.get("year") {
        return Some(Normal::new(
            format!("{y}-{code}"),
            Granularity::Season,
            Resolution::Absolute,
        ));
    }
    if rel.is_none() && !g.has("mod") && !g.has("mod2") {
        return None;
    }
    if rel.as_deref() == Some("the") {
        // "the fall of Rome"
        let after = c.text[c.end..c.clause_end.max(c.end)].trim_start();
        if after.starts_with("of ") {
            return None;
        }
    }
    let Some(a) = c.anchor else {
        return Some(Normal::new(
            format!("XXXX-{code}"),
            Granularity::Season,
            Resolution::Unresolved,
        ));
    };
    let start = SEASON_START
        .iter()
        .find(|(k, _)| *k == code)
        .map_or(1, |(_, m)| *m);
    let am = a.month();
    let y = a.year();
    // The season's start and end month in the anchor's year.
    let in_season = |m: u32| {
        if start == 12 {
            m == 12 || m <= 2
        } else {
            m >= start && m < start + 3
        }
    };
    let ended = |m: u32| {
        if start == 12 {
            (3..12).contains(&m)
        } else {
            m >= start + 3
        }
    };
    let year = match rel.as_deref() {
        Some("last") | Some("past") | Some("this past") => {
            if ended(am) {
                y
            } else {
                y - 1
            }
        }
        Some("next") | Some("coming") | Some("this coming") => {
            if in_season(am) || ended(am) {
                y + 1
            } else {
                y
            }
        }
        _ => y,
    };
    Some(Normal::new(
        format!("{year:04}-{code}"),
        Granularity::Season,
        Resolution::Relative,
    ))
}

fn quarter(g: &Groups, c: &Ctx) -> Option<Normal> {
    let Some(ord) = g.get("ord") else {
        // "the 1988 quarter" / "the 1988 period": the quarter in focus, that year.
        let y: i32 = g.get("year")?.parse().ok()?;
        return Some(match c.prev_quarter {
            Some((_, q)) => {
                let mut n = Normal::new(
                    format!("{y:04}-Q{q}"),
                    Granularity::Quarter,
                    Resolution::Relative,
                );
                n.comparison = true;
                n
            }
            None => Normal::new(format!("{y:04}"), Granularity::Year, Resolution::Absolute),
        });
    };
    let (letter, n) = if ord.len() == 2 && (ord.starts_with('Q') || ord.starts_with('H')) {
        (ord.get(..1)?, ord.get(1..)?.parse::<u32>().ok()?)
    } else if ord.len() == 2 && (ord.starts_with('q') || ord.starts_with('h')) {
        return None; // lower-case "q3" is not a quarter
    } else {
        let part = g.get("part")?.to_ascii_lowercase();
        let n: u32 = c.tables.get("ordinal", ord)?.parse().ok()?;
        (if part == "half" { "H" } else { "Q" }, n)
    };
    let max = if letter == "H" { 2 } else { 4 };
    if n == 0 || n > max {
        return None;
    }
    let gran = if letter == "H" {
        Granularity::Half
    } else {
        Granularity::Quarter
    };
    let whole = &c.text[c.start..c.end];
    let skip = match after_the(whole) {
        Some(rest)
            if (whole.contains("-quarter") || whole.contains("-half"))
                && !g.has("rel")
                && !g.has("year") =>
        {
            whole.len() - rest.len()
        }
        _ => 0,
    };
    if let Some(y) = g.get("year").or_else(|| g.get("year2")) {
        return Some(Normal::new(
            format!("{y}-{letter}{n}"),
            gran,
            Resolution::Absolute,
        ));
    }
    let Some(a) = c.anchor else {
        return Some(Normal::new(
            format!("XXXX-{letter}{n}"),
            gran,
            Resolution::Unresolved,
        ));
    };
    let rel = g.get("rel").map(|r| r.to_ascii_lowercase());
    let cur = if letter == "H" {
        a.month0() / 6 + 1
    } else {
        quarter_of(a)
    };
    let mut y = a.year();
    match rel.as_deref() {
        Some("next") => y += 1,
        Some("last") | Some("previous") => y -= 1,
        Some(r) if r.starts_with("year") => y -= 1,
        // Results are reported for quarters that have begun.
        _ => {
            if n > cur {
                y -= 1;
            }
        }
    }
    let mut out = Normal::new(format!("{y:04}-{letter}{n}"), gran, Resolution::Relative);
    out.implied.push("year");
    out.skip = skip;
    Some(out)
}

fn holiday(g: &Groups, c: &Ctx) -> Option<Normal> {
    let h = g.get("holiday")?;
    if !starts_upper(h) {
        return None;
    }
    let code = c.tables.get("holiday", h)?;
    let (y, resolved) = match g.get("year") {
        Some(y) => (Some(y.parse::<i32>().ok()?), Resolution::Absolute),
        None => match c.anchor {
            Some(a) => {
                let month = if code == "TG" {
                    11
                } else {
                    code.get(..2)?.parse().ok()?
                };
                let t = || match g.get("rel").map(str::to_ascii_lowercase).as_deref() {
                    Some("last") => Tense::Past,
                    Some("next") => Tense::Future,
                    _ => tense(c),
                };
                (
                    Some(infer_year_lazy(a, month, None, t)),
                    Resolution::Relative,
                )
            }
            None => (None, Resolution::Unresolved),
        },
    };
    let Some(y) = y else {
        return Some(Normal::new(
            format!("XXXX-{code}"),
            Granularity::Day,
            resolved,
        ));
    };
    let d = if code == "TG" {
        let nov1 = NaiveDate::from_ymd_opt(y, 11, 1)?;
        let to_thu = (4 + 7 - nov1.weekday().number_from_monday() as i64) % 7;
        nov1.checked_add_signed(Duration::days(to_thu + 21))?
    } else {
        let (m, d) = code.split_once('-')?;
        NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)?
    };
    let mut n = Normal::new(day_value(d), Granularity::Day, resolved);
    n.day = Some(d);
    Some(n)
}

fn anaphor(g: &Groups, c: &Ctx) -> Option<Normal> {
    let whole = c.text[c.start..c.end].to_ascii_lowercase();
    if g.has("unit3") {
        // "that year": the year of the last date named, else the anchor's.
        let y = c.prev_point.or(c.anchor).map(|d| d.year());
        return Some(match y {
            Some(y) => Normal::new(format!("{y:04}"), Granularity::Year, Resolution::Relative),
            None => Normal::new(
                "XXXX".to_string(),
                Granularity::Year,
                Resolution::Unresolved,
            ),
        });
    }
    let (unit, off) = if let Some(u) = g.get("unit") {
        let r = g.get("rel")?.to_ascii_lowercase();
        let off = match r.as_str() {
            "next" | "following" => 1,
            "same" => 0,
            _ => -1,
        };
        (u.to_ascii_lowercase(), off)
    } else if let Some(u) = g.get("unit2") {
        if !whole.starts_with("the") {
            return None;
        }
        let d = g.get("dir")?.to_ascii_lowercase();
        (
            u.to_ascii_lowercase(),
            if d == "before" || d == "earlier" {
                -1
            } else {
                1
            },
        )
    } else {
        ("day".to_string(), 0)
    };
    let dayish = matches!(unit.as_str(), "day" | "morning" | "evening" | "night");
    if !(whole.starts_with("the") || whole.starts_with("that") || dayish && off != 0) {
        return None;
    }
    if !dayish && !whole.starts_with("the") {
        return None;
    }
    let base = if dayish { c.prev_day } else { c.prev_point }.or(c.anchor);
    let Some(b) = base else {
        return Some(Normal::new(
            "XXXX-XX-XX".to_string(),
            Granularity::Day,
            Resolution::Unresolved,
        ));
    };
    let mut n = match unit.as_str() {
        "week" => Normal::new(
            week_value(b.checked_add_signed(Duration::weeks(off))?),
            Granularity::Week,
            Resolution::Relative,
        ),
        "month" => {
            let (y, m) = add_months(b, off as i32)?;
            Normal::new(
                format!("{y:04}-{m:02}"),
                Granularity::Month,
                Resolution::Relative,
            )
        }
        "year" => Normal::new(
            format!("{:04}", b.year() as i64 + off),
            Granularity::Year,
            Resolution::Relative,
        ),
        _ => {
            let d = b.checked_add_signed(Duration::days(off))?;
            let mut n = Normal::new(day_value(d), Granularity::Day, Resolution::Relative);
            n.day = Some(d);
            // "the next morning": the day is the value, as for weekdays.
            n
        }
    };
    n.timex_type.get_or_insert(TimexType::Date);
    Some(n)
}

fn part_of_day(g: &Groups, c: &Ctx) -> Option<Normal> {
    let rel = g.get("rel")?.to_ascii_lowercase();
    let off: i64 = if rel.starts_with("yesterday") || rel.starts_with("last") {
        -1
    } else if rel.starts_with("tomorrow") {
        1
    } else {
        0
    };
    let code = pod_code(g, c)?;
    let mut n = match c.anchor {
        Some(a) => {
            let d = a.checked_add_signed(Duration::days(off))?;
            let mut n = Normal::new(
                format!("{}T{code}", day_value(d)),
                Granularity::PartOfDay,
                Resolution::Relative,
            );
            n.day = Some(d);
            n
        }
        None => Normal::new(
            format!("XXXX-XX-XXT{code}"),
            Granularity::PartOfDay,
            Resolution::Unresolved,
        ),
    };
    n.timex_type = Some(TimexType::Time);
    Some(n)
}

fn clock(g: &Groups, c: &Ctx) -> Option<Normal> {
    let (t, gran) = match g.get("named") {
        Some(nm) => {
            let h = if nm.eq_ignore_ascii_case("midnight") {
                "T24:00"
            } else {
                "T12:00"
            };
            (h.to_string(), Granularity::Minute)
        }
        None => {
            // A bare "10:30" with nothing around it could be a score or a
            // ratio; keep it only with am/pm, a zone, or "at".
            if !g.has("ampm") && !g.has("zone") && !g.has("second") {
                let prev = prev_word(c);
                if ![
                    "at", "by", "from", "until", "till", "around", "about", "before", "after",
                    "since", "to",
                ]
                .contains(&&*prev)
                {
                    return None;
                }
            }
            clock_part(g)?
        }
    };
    // "9 a.m. Tuesday", "5 p.m. EST Nov. 9": the day follows the time.
    let (date, resolved, implied) = if g.has("weekday") {
        let d = weekday(g, c)?;
        (d.value, d.resolved, d.implied)
    } else if g.has("month") {
        let d = date(g, c, false)?;
        let day = d.value.split('T').next().unwrap_or_default().to_string();
        (day, d.resolved, d.implied)
    } else {
        // "late Tuesday night ... the shooting happened at about 11:30 p.m.":
        // a bare time belongs to the day just named, not to the day of
        // publication. Only a day named close before (about two sentences).
        let recent_day = c
            .prev_day
            .filter(|_| c.start.saturating_sub(c.prev_day_end) < 300);
        match recent_day.or(c.anchor) {
            Some(a) => (
                day_value(a),
                Resolution::Relative,
                vec!["year", "month", "day"],
            ),
            None => (
                "XXXX-XX-XX".to_string(),
                Resolution::Unresolved,
                vec!["year", "month", "day"],
            ),
        }
    };
    let mut n = Normal::new(format!("{date}{t}"), gran, resolved);
    n.implied = implied;
    Some(n)
}

/// "nineteen ninety-six", "two thousand and five", "the year two thousand".
fn spelled_year(g: &Groups, c: &Ctx) -> Option<Normal> {
    let words = super::rules::normalize_key(g.get("syear")?);
    let mut parts = words.split(' ').filter(|w| *w != "and");
    let first = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let num = |ws: &[&str]| -> Option<i32> {
        let mut n = 0;
        for w in ws {
            n += c.tables.get("number", w)?.parse::<i32>().ok()?;
        }
        Some(n)
    };
    let y = if first == "nineteen" {
        match rest.as_slice() {
            ["hundred"] => 1900,
            r => 1900 + num(r)?,
        }
    } else {
        // "two thousand ..."
        2000 + if rest.len() > 1 { num(&rest[1..])? } else { 0 }
    };
    if let Some(m) = g.get("month") {
        let m = month_number(m, c)?;
        return Some(Normal::new(
            format!("{y:04}-{m:02}"),
            Granularity::Month,
            Resolution::Absolute,
        ));
    }
    if let Some(s) = g.get("season") {
        let code = c.tables.get("season", s)?;
        return Some(Normal::new(
            format!("{y:04}-{code}"),
            Granularity::Season,
            Resolution::Absolute,
        ));
    }
    Some(Normal::new(
        int_string(y.into(), 4),
        Granularity::Year,
        Resolution::Absolute,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context of a match at `start..end` in a clause, with nothing
    /// resolved before it.
    fn ctx_at<'a>(
        text: &'a str,
        (start, end): (usize, usize),
        (clause_start, clause_end): (usize, usize),
        tables: &'a Tables,
    ) -> Ctx<'a> {
        Ctx {
            text,
            start,
            end,
            clause_start,
            clause_end,
            anchor: None,
            prev_day: None,
            prev_day_end: 0,
            prev_point: None,
            prev_quarter: None,
            prev_quarter_end: 0,
            tables,
        }
    }

    #[test]
    fn infer_year_lazy_reads_tense_only_when_it_matters() {
        let tenses = [Tense::Past, Tense::Future, Tense::Unknown];
        for (am, ad) in [(1, 1), (2, 29), (5, 15), (8, 31), (12, 31)] {
            let Some(a) = NaiveDate::from_ymd_opt(2024, am, ad) else {
                panic!("bad anchor {am}-{ad}");
            };
            for month in 1..=12 {
                for day in [None, Some(1), Some(15), Some(31)] {
                    let eager: Vec<i32> = tenses
                        .iter()
                        .map(|&t| infer_year(a, month, day, t))
                        .collect();
                    let mut read = false;
                    for (&t, &e) in tenses.iter().zip(&eager) {
                        let got = infer_year_lazy(a, month, day, || {
                            read = true;
                            t
                        });
                        assert_eq!(got, e, "{a} {month} {day:?} {t:?}");
                    }
                    // Skipping the tense is only right where it cannot matter.
                    if !read {
                        assert!(eager.iter().all(|&y| y == eager[0]));
                    }
                }
            }
        }
    }

    #[test]
    fn tense_reads_the_same_as_in_text_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        texts.push(
            "It was said he had met them. The talks were held Monday and will go on; they had been due Friday. \
             Officials said, \u{201c}We expected it,\u{201d} and it is expected that they would come next week."
                .repeat(3),
        );
        let tables = Tables::default();
        let mut compared = 0;
        for text in &texts {
            // Every word of the text as the "match", in every clause.
            for (start, w) in words(text).step_by(3) {
                let end = start + w.len();
                let c = ctx_at(
                    text,
                    (start, end),
                    (start.saturating_sub(300), (end + 300).min(text.len())),
                    &tables,
                );
                if !text.is_char_boundary(c.clause_start) || !text.is_char_boundary(c.clause_end) {
                    continue;
                }
                assert_eq!(
                    tense(&c),
                    tense_in_text_order(&c),
                    "{:?}",
                    &text[start..end]
                );
                compared += 1;
            }
        }
        assert!(compared > 100);
    }

    /// `tense` as it read every word in text order: the oracle.
    fn tense_in_text_order(c: &Ctx) -> Tense {
        let lo = clause_bound_back(c.text, c.start, c.clause_start);
        let hi = clause_bound_fwd(c.text, c.end, c.clause_end);
        let mut best: Option<(usize, Tense)> = None;
        // Words are ASCII letters: compared without lower-casing copies, since
        // this runs for every candidate time expression.
        let any_of = |list: &[&str], w: &str| list.iter().any(|c| c.eq_ignore_ascii_case(w));
        let ends_with = |w: &str, suffix: &str| {
            w.len() >= suffix.len() && w[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
        };
        let cues = tense_cues();
        let mut consider = |pos: usize, w: &str, prev: &str, prev2: &str| {
            let mut buf = [0u8; 16];
            let cue = lower_ascii_into(w, &mut buf).and_then(|lw| cues.get(lw).copied());
            // A participle after "be"/"is" is passive, not past: "be detailed".
            let passive = any_of(&["be", "been", "being", "is", "are", "am"], prev);
            // "had been due to expire Friday": a plan already in the past.
            let pluperfect = prev.eq_ignore_ascii_case("been") && prev2.eq_ignore_ascii_case("had");
            let t = if cue == Some(Tense::Future) && !pluperfect {
                Tense::Future
            } else if pluperfect
                || cue == Some(Tense::Past)
                || (!passive && w.len() > 4 && ends_with(w, "ed") && !ends_with(w, "eed"))
            {
                Tense::Past
            } else {
                return;
            };
            let mut d = if pos <= c.start {
                c.start - pos
            } else {
                pos.saturating_sub(c.end)
            };
            // Auxiliaries only set the tense when nothing closer does.
            if any_of(&["was", "were", "had", "did", "would"], w) {
                d += 40;
            }
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, t));
            }
        };
        let (mut prev, mut prev2) = ("", "");
        for (off, w) in words(&c.text[lo..c.start]) {
            consider(lo + off + w.len(), w, prev, prev2);
            prev2 = std::mem::replace(&mut prev, w);
        }
        let (mut prev, mut prev2) = ("", "");
        for (off, w) in words(&c.text[c.end..hi]) {
            consider(c.end + off, w, prev, prev2);
            prev2 = std::mem::replace(&mut prev, w);
        }
        best.map_or(Tense::Unknown, |(_, t)| t)
    }

    #[test]
    fn cue_matches_the_lists() {
        let cues = tense_cues();
        for (w, t) in cues {
            assert_eq!(cue(w.as_bytes()), Some(*t), "{w}");
        }
        let mut others = 0;
        for (_, w) in words(
            &std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"),
            )
            .unwrap_or_default(),
        ) {
            let lw = w.to_ascii_lowercase();
            assert_eq!(cue(lw.as_bytes()), cues.get(lw.as_str()).copied(), "{w}");
            others += usize::from(cue(lw.as_bytes()).is_none());
        }
        assert!(others > 100, "{others}");
        for w in ["", "wil", "willl", "lls", "sett", "expecte", "x"] {
            assert_eq!(cue(w.as_bytes()), None, "{w}");
        }
    }

    #[test]
    fn no_tense_cue_is_longer_than_the_lookup_bound() {
        let longest = FUTURE_CUES.iter().chain(PAST_CUES).map(|w| w.len()).max();
        assert_eq!(longest, Some(CUE_MAX_LEN));
    }

    #[test]
    fn words_are_the_ascii_letter_runs() {
        let s = "Rubio’s call-on Thursday, x9y café";
        let want: Vec<(usize, &str)> = s
            .split(|ch: char| !ch.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
            .collect();
        assert_eq!(words(s).collect::<Vec<_>>(), want);
        assert_eq!(words("").count(), 0);
    }

    #[test]
    fn prev_word_is_the_lower_cased_letter_run_before_the_match() {
        let tables = Tables::default();
        let text = "Said BY  Friday, ÉTÉ\tMonday 9x Tuesday  Wednesday";
        let at = |w: &str, clause_start: usize| {
            let start = text.find(w).unwrap_or_else(|| panic!("{w}"));
            prev_word(&ctx_at(
                text,
                (start, start + w.len()),
                (clause_start, text.len()),
                &tables,
            ))
        };
        assert_eq!(at("Friday", 0), "by");
        // Non-ASCII letters count and lower-case too.
        assert_eq!(at("Monday", 0), "été");
        // A digit ends the run; punctuation gives no word.
        assert_eq!(at("Tuesday", 0), "x");
        assert_eq!(at("Said", 0), "");
        // Nothing before the clause start is read.
        assert_eq!(at("Wednesday", text.find("day  W").unwrap_or(0) + 1), "ay");
    }

    #[test]
    fn clause_bound_back_is_the_last_clause_end_before() {
        // The forward reading it replaced: every clause end from the
        // floor up, the last one winning.
        fn forward(text: &str, from: usize, floor: usize) -> usize {
            let lo = crate::text::floor_char_boundary(
                text,
                from.saturating_sub(160).max(floor.min(from)),
            );
            let mut cut = lo;
            for i in lo..from {
                if let Some(len) = clause_end_at(text, i) {
                    cut = i + len;
                }
            }
            cut.min(from)
        }
        let text = "A. B.C. \u{201c}Said\u{201d}; x?\ny! \"q\" U.S. then. é more words \
                    follow here, and a long tail without any end at all for a while "
            // Longer than the 160-byte window.
            .repeat(3);
        let text = text.as_str();
        for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            for floor in [0, 3, 9, from] {
                assert_eq!(
                    clause_bound_back(text, from, floor),
                    forward(text, from, floor),
                    "{from} {floor}"
                );
            }
        }
    }

    #[test]
    fn clause_bounds_stop_at_curly_quotes_and_full_stops() {
        let text = "He said. \u{201c}We met on Monday,\u{201d} she said; later.";
        let monday = text.find("Monday").unwrap();
        let open = text.find('\u{201c}').unwrap() + 3;
        assert_eq!(clause_bound_back(text, monday, 0), open);
        let close = text.find('\u{201d}').unwrap();
        assert_eq!(clause_bound_fwd(text, monday + 6, text.len()), close);
    }
}
