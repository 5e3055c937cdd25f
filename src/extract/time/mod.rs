//! Time expressions: find dates, times, durations and sets in running text
//! and normalise them to TIMEX3 values against the article's own date.
//!
//! Patterns and tables are data (`rules/time/patterns.toml`,
//! `rules/time/tables.toml`, compiled in). One multi-pattern DFA scans each
//! range once for the leftmost match; an anchored set scan then finds every
//! other rule matching at that position. The longest match (then the
//! earliest rule) is re-run alone to read its named groups, and a normaliser
//! (one of a closed set, chosen by the rule's `norm`) turns the groups into
//! a value, or rejects the match so the next candidate is tried.
//!
//! ```
//! use crosscheck::extract::time::TimeExtractor;
//! let text = "Rubio said on Wednesday that talks would go on.";
//! let anchor = chrono::NaiveDate::from_ymd_opt(2025, 8, 22);
//! let found = TimeExtractor::global().extract_all(text, anchor);
//! assert_eq!(found[0].text, "Wednesday");
//! assert_eq!(found[0].value, "2025-08-20");
//! ```

mod normalize;
mod rules;

use std::ops::Range;
use std::sync::OnceLock;

use chrono::{NaiveDate, Weekday};
use serde::Serialize;

use normalize::{Ctx, Groups};
use rules::{Rule, Tables};

/// TIMEX3 type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// How fine a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Granularity {
    Second,
    Minute,
    Hour,
    PartOfDay,
    Day,
    /// A weekday with no date (no anchor to resolve it against).
    Weekday,
    Week,
    Weekend,
    Month,
    Season,
    Quarter,
    Half,
    Year,
    Decade,
    Century,
    Duration,
    Set,
    Present,
    Past,
    Future,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Second => "second",
            Granularity::Minute => "minute",
            Granularity::Hour => "hour",
            Granularity::PartOfDay => "part-of-day",
            Granularity::Day => "day",
            Granularity::Weekday => "weekday",
            Granularity::Week => "week",
            Granularity::Weekend => "weekend",
            Granularity::Month => "month",
            Granularity::Season => "season",
            Granularity::Quarter => "quarter",
            Granularity::Half => "half",
            Granularity::Year => "year",
            Granularity::Decade => "decade",
            Granularity::Century => "century",
            Granularity::Duration => "duration",
            Granularity::Set => "set",
            Granularity::Present => "present",
            Granularity::Past => "past",
            Granularity::Future => "future",
        }
    }
}

/// How the value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// Everything in the value is stated in the text.
    Absolute,
    /// Computed from the publication date (or an earlier mention).
    Relative,
    /// Relative, but there was nothing to resolve it against.
    Unresolved,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Absolute => "absolute",
            Resolution::Relative => "relative",
            Resolution::Unresolved => "unresolved",
        }
    }
}

/// One time expression found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeMention {
    /// Byte offsets into the text passed to [`TimeExtractor::extract`].
    pub start: usize,
    pub end: usize,
    /// Exactly `&text[start..end]`.
    pub text: String,
    /// TIMEX3 value: `2025-08-21`, `2025-W34`, `2025-W47-WE`, `2025-08`,
    /// `2025`, `199` (decade), `PRESENT_REF`, `P2W`, `XXXX-WXX-4`...
    pub value: String,
    #[serde(rename = "type")]
    pub timex_type: TimexType,
    pub granularity: Granularity,
    pub resolved: Resolution,
    /// Parts guessed, not stated: "year", "month", "day", "week".
    pub implied: Vec<&'static str>,
    /// The weekday the text states, if any ("Thursday's call" -> Thu).
    pub weekday: Option<Weekday>,
    /// Name of the pattern that matched.
    pub rule: &'static str,
}

/// The compiled patterns. Build once ([`TimeExtractor::global`]); `Send +
/// Sync`, so threads share one.
#[derive(Debug)]
pub struct TimeExtractor {
    rules: Vec<Rule>,
    tables: Tables,
    /// All rules as one multi-pattern regex (pattern N = rule N): one DFA
    /// scan finds the leftmost match and which rule made it.
    combined: regex_automata::meta::Regex,
    /// All rules anchored at the haystack start: which rules match here.
    anchored_set: AnchoredSet,
    /// Unique per extractor built in this process: names the owner of a
    /// thread's kept capture caches ([`Scratch`]). An address could be
    /// reused by an extractor built after another was dropped.
    id: usize,
}

/// What `regex::RegexSet` of `^(?i:rule)` patterns was, built from the
/// rules' parsed patterns instead of parsing them again.
#[derive(Debug)]
struct AnchoredSet(regex_automata::meta::Regex);

impl AnchoredSet {
    /// The rules matching at the start of `hay`, in `set` (cleared first;
    /// reused from match to match, as a new set per match was an allocation).
    fn matches<'s>(
        &self,
        hay: &str,
        set: &'s mut Option<regex_automata::PatternSet>,
    ) -> MatchingRules<'s> {
        let set = set.get_or_insert_with(|| regex_automata::PatternSet::new(self.0.pattern_len()));
        set.clear();
        self.0
            .which_overlapping_matches(&regex_automata::Input::new(hay), set);
        MatchingRules(set)
    }
}

/// The rules of an [`AnchoredSet`] match; iterates their indices in rule
/// order, as `regex::SetMatches` did.
struct MatchingRules<'s>(&'s regex_automata::PatternSet);

impl<'s> MatchingRules<'s> {
    /// The matching rules after rule `first`, in order: the set is read
    /// from there, not from rule 0 (a set was read bit by bit, 38 bits for
    /// every match, and the scan's own rule is mostly a late one).
    fn after(self, first: usize) -> MatchingRulesIter<'s> {
        MatchingRulesIter {
            set: self.0,
            next: first.saturating_add(1),
        }
    }
}

impl<'s> IntoIterator for MatchingRules<'s> {
    type Item = usize;
    type IntoIter = MatchingRulesIter<'s>;

    fn into_iter(self) -> MatchingRulesIter<'s> {
        MatchingRulesIter {
            set: self.0,
            next: 0,
        }
    }
}

struct MatchingRulesIter<'s> {
    set: &'s regex_automata::PatternSet,
    next: usize,
}

impl Iterator for MatchingRulesIter<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.next < self.set.capacity() {
            let i = self.next;
            self.next += 1;
            if self.set.contains(regex_automata::PatternID::must(i)) {
                return Some(i);
            }
        }
        None
    }
}

impl Default for TimeExtractor {
    fn default() -> Self {
        Self::new()
    }
}

/// How far past a match start the other rules are tried (bounds the cost of
/// a position on huge inputs; no time expression is this long).
const RETRY_WINDOW: usize = 256;

impl TimeExtractor {
    /// Build from the data files compiled into the binary.
    ///
    /// # Panics
    /// Only if the shipped data files are broken, which the unit tests
    /// catch; input text never reaches this.
    pub fn new() -> Self {
        let tables = Tables::parse(rules::TABLES).expect("rules/time/tables.toml is valid");
        let rules =
            rules::load(rules::PATTERNS, &tables).expect("rules/time/patterns.toml is valid");
        let hirs: Vec<&regex_syntax::hir::Hir> = rules.iter().map(|r| &r.hir).collect();
        let combined = regex_automata::meta::Regex::builder()
            .configure(
                regex_automata::meta::Config::new()
                    .nfa_size_limit(Some(256 << 20))
                    .hybrid_cache_capacity(64 << 20)
                    .dfa_size_limit(Some(64 << 20))
                    // Many rules start with a digit or an optional word, so
                    // no literal prefilter comes out of the extraction; it
                    // cost 30% of building this regex.
                    .auto_prefilter(false)
                    // The scan reads no groups.
                    .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit),
            )
            .build_many_from_hir(&hirs)
            .expect("combined time regex compiles");
        // `^(?i:rule)` for every rule, configured as `regex::RegexSet` is.
        let anchored: Vec<regex_syntax::hir::Hir> = rules
            .iter()
            .map(|r| {
                regex_syntax::hir::Hir::concat(vec![
                    regex_syntax::hir::Hir::look(regex_syntax::hir::Look::Start),
                    r.hir.clone(),
                ])
            })
            .collect();
        let anchored_set = regex_automata::meta::Regex::builder()
            .configure(
                regex_automata::meta::Config::new()
                    .nfa_size_limit(Some(256 << 20))
                    .hybrid_cache_capacity(64 << 20)
                    .match_kind(regex_automata::MatchKind::All)
                    .utf8_empty(true)
                    .which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
            )
            .build_many_from_hir(&anchored)
            .map(AnchoredSet)
            .expect("anchored time regex set compiles");
        static NEXT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
        TimeExtractor {
            rules,
            tables,
            combined,
            anchored_set,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The process-wide extractor, built on first use.
    pub fn global() -> &'static TimeExtractor {
        static GLOBAL: OnceLock<TimeExtractor> = OnceLock::new();
        GLOBAL.get_or_init(TimeExtractor::new)
    }

    /// Rule names in priority order (for docs and `dump`).
    pub fn rule_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().map(|r| r.name)
    }

    /// [`TimeExtractor::extract`] over the whole text as one range.
    pub fn extract_all(&self, text: &str, anchor: Option<NaiveDate>) -> Vec<TimeMention> {
        self.extract(text, std::slice::from_ref(&(0..text.len())), anchor)
    }

    /// Find and normalise time expressions.
    ///
    /// `ranges`: sorted, non-overlapping byte ranges of `text` to search
    /// (sentences or body blocks); matches never cross a range end. Ranges
    /// out of bounds or off char boundaries are clipped or skipped.
    /// `anchor`: the publication date; `None` keeps relative expressions
    /// unresolved (today's date is never guessed).
    pub fn extract(
        &self,
        text: &str,
        ranges: &[Range<usize>],
        anchor: Option<NaiveDate>,
    ) -> Vec<TimeMention> {
        let mut out = Vec::new();
        let mut walk = Walk {
            prev: Previous::default(),
            scratch: Scratch::take(self),
        };
        let mut last_end = 0usize;
        for range in ranges {
            let start = range.start.max(last_end);
            let end = range.end.min(text.len());
            if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            self.extract_range(text, start, end, anchor, &mut walk, &mut out);
            last_end = end;
        }
        walk.scratch.put_back();
        out
    }

    fn extract_range(
        &self,
        text: &str,
        start: usize,
        end: usize,
        anchor: Option<NaiveDate>,
        walk: &mut Walk,
        out: &mut Vec<TimeMention>,
    ) {
        let Walk { prev, scratch } = walk;
        let hay = &text[..end];
        let mut pos = start;
        while pos < end {
            let input = regex_automata::Input::new(hay).range(pos..end);
            let Some(m) = self.combined.search(&input) else {
                break;
            };
            let first = m.pattern().as_usize();
            let mut accepted = None;
            // Every rule that matches at this start (the scan's rule is the
            // first by priority; later ones are found with one anchored set
            // scan), longest first, then by priority.
            let w = crate::text::floor_char_boundary(hay, (m.start() + RETRY_WINDOW).min(end));
            let window = &hay[m.start()..w];
            let candidates = &mut scratch.candidates;
            candidates.clear();
            candidates.push((first, m.end()));
            for i in self
                .anchored_set
                .matches(window, &mut scratch.rule_set)
                .after(first)
            {
                if i <= first {
                    continue;
                }
                // The rule's own regex, anchored here over the same window.
                let at = regex_automata::Input::new(window).anchored(regex_automata::Anchored::Yes);
                if let Some(am) = self.rules[i].regex().search(&at) {
                    candidates.push((i, m.start() + am.end()));
                }
            }
            candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for &(i, span_end) in candidates.iter() {
                let rule = &self.rules[i];
                if normalize::rejected_early(rule, text, m.start(), span_end, end) {
                    continue;
                }
                // Anchored at the scan's start, and the haystack kept whole
                // so `\b` still sees the character before it.
                let input = regex_automata::Input::new(&hay[..span_end])
                    .range(m.start()..span_end)
                    .anchored(regex_automata::Anchored::Yes);
                let captor = rule.captor();
                if scratch.captures.len() <= i {
                    scratch.captures.resize_with(i + 1, || None);
                }
                let (cache, rc) = scratch.captures[i]
                    .get_or_insert_with(|| (captor.create_cache(), captor.create_captures()));
                let memo_key = (rule.memo_ok && !CaptureMemo::off())
                    .then(|| CaptureMemo::key(&mut scratch.memo_key, i, hay, m.start(), span_end));
                let remembered = memo_key
                    .flatten()
                    .is_some_and(|key| scratch.memo.recall(key, m.start(), rc));
                if !remembered {
                    if !captor.search(cache, &input, rc) {
                        rule.regex().search_captures(&input, rc);
                    }
                    if let Some(Some(key)) = memo_key {
                        scratch.memo.remember(key, m.start(), rc);
                    }
                }
                let rc = &*rc;
                let Some(rm) = rc.get_match() else { continue };
                if rm.start() != m.start() || rm.end() == rm.start() {
                    continue;
                }
                if !normalize::context_ok(text, rm.start(), rm.end(), rule.glued) {
                    continue;
                }
                let ctx = Ctx {
                    text,
                    start: rm.start(),
                    end: rm.end(),
                    clause_start: start,
                    clause_end: end,
                    anchor,
                    prev_day: prev.day,
                    prev_day_end: prev.day_end,
                    prev_point: prev.point,
                    prev_quarter: prev.quarter,
                    prev_quarter_end: prev.quarter_end,
                    tables: &self.tables,
                };
                let groups = Groups {
                    caps: rc,
                    text: &hay[..span_end],
                };
                if let Some(n) = normalize::normalize(rule, &groups, &ctx) {
                    accepted = Some((rule, rm.start(), rm.end(), n));
                    break;
                }
            }
            match accepted {
                Some((rule, s, e, n)) => {
                    if let Some(d) = n.day {
                        prev.day = Some(d);
                        prev.day_end = e;
                    }
                    if let Some(p) = point_of_value(&n.value).filter(|_| !n.comparison) {
                        prev.point = Some(p);
                    }
                    if let Some(q) = quarter_of_value(&n.value).filter(|_| !n.comparison) {
                        prev.quarter = Some(q);
                        prev.quarter_end = e;
                    }
                    let mut s = s + n.skip;
                    if s >= e || !text.is_char_boundary(s) {
                        s -= n.skip;
                    }
                    out.push(TimeMention {
                        start: s,
                        end: e,
                        text: text[s..e].to_string(),
                        value: n.value,
                        timex_type: n.timex_type.unwrap_or(rule.timex_type),
                        granularity: n.granularity,
                        resolved: n.resolved,
                        implied: n.implied,
                        weekday: n.weekday,
                        rule: rule.name,
                    });
                    pos = e;
                }
                None => {
                    pos = next_char_boundary(hay, m.start());
                }
            }
        }
    }
}

/// What one `extract` call carries from range to range.
struct Walk {
    prev: Previous,
    scratch: Scratch,
}

/// Buffers one `extract` call reuses from match to match: the candidate
/// rules at a position, and each rule's captures (allocated per candidate,
/// they were a tenth of the capture search's cost).
///
/// Kept per thread between calls: allocating the rules' capture engine
/// caches and captures for each call cost more than the searches saved by
/// keeping them.
#[derive(Default)]
struct Scratch {
    /// The extractor whose rules `captures` and `rule_set` were made for
    /// (its id; 0 for none): another one starts afresh.
    owner: usize,
    candidates: Vec<(usize, usize)>,
    captures: Vec<Option<(rules::CaptorCache, regex_automata::util::captures::Captures)>>,
    rule_set: Option<regex_automata::PatternSet>,
    /// The groups of rule matches already read (see [`CaptureMemo`]).
    memo: CaptureMemo,
    /// [`CaptureMemo::key`]'s buffer.
    memo_key: Vec<u8>,
}

/// The groups a rule's capture search read, by what decides them: the rule,
/// the matched bytes, and whether the byte before them is a word byte.
///
/// News text repeats its time expressions ("Monday", "two years", "last
/// week"), and a capture search is some 3,500 instructions (the bounded
/// backtracker walks every alternative of the rule's tables); a lookup is
/// a hash of a few bytes. Only rules whose one look-around is the ASCII
/// word boundary are remembered (`Rule::memo_ok`): the search runs over
/// `hay[..span_end]` from the match start, so a `(?-u:\b)` reads the
/// matched bytes, the end of the haystack, and the one byte before the
/// start, which is all the key holds.
#[derive(Default)]
struct CaptureMemo {
    /// Key -> what the search read.
    seen: Option<rustc_hash::FxHashMap<Box<[u8]>, RememberedSlots>>,
}

/// A [`CaptureMemo`] entry: the slots relative to the match start, plus
/// one (0: the group took no part); `None` for no match.
type RememberedSlots = Option<Box<[u16]>>;

#[cfg(test)]
thread_local! {
    /// Tests turn the memo off to compare with every group searched.
    static MEMO_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl CaptureMemo {
    #[cfg(test)]
    fn off() -> bool {
        MEMO_OFF.with(std::cell::Cell::get)
    }

    #[cfg(not(test))]
    fn off() -> bool {
        false
    }

    /// Spans longer than this are searched, not remembered.
    const MAX_SPAN: usize = 96;
    /// Kept at most; then forgotten all at once (a bound for huge inputs).
    const MAX_ENTRIES: usize = 8192;

    /// The key for rule `rule` over `hay[start..end]`, built in `buf`;
    /// `None` when the span is too long to remember.
    fn key<'b>(
        buf: &'b mut Vec<u8>,
        rule: usize,
        hay: &str,
        start: usize,
        end: usize,
    ) -> Option<&'b [u8]> {
        let span = hay.as_bytes().get(start..end)?;
        let rule = u8::try_from(rule).ok()?;
        if span.len() > Self::MAX_SPAN {
            return None;
        }
        let word_before = start
            .checked_sub(1)
            .and_then(|p| hay.as_bytes().get(p))
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_');
        buf.clear();
        buf.push(rule);
        buf.push(u8::from(word_before));
        buf.extend_from_slice(span);
        Some(buf)
    }

    /// Fills `caps` with the remembered groups for `key` (a match at
    /// `start`); `false` if there are none.
    fn recall(
        &self,
        key: &[u8],
        start: usize,
        caps: &mut regex_automata::util::captures::Captures,
    ) -> bool {
        let Some(found) = self.seen.as_ref().and_then(|m| m.get(key)) else {
            return false;
        };
        match found {
            None => caps.set_pattern(None),
            Some(slots) => {
                if slots.len() != caps.slots().len() {
                    return false;
                }
                for (slot, &rel) in caps.slots_mut().iter_mut().zip(slots.iter()) {
                    *slot = match rel {
                        0 => None,
                        r => regex_automata::util::primitives::NonMaxUsize::new(
                            start + usize::from(r) - 1,
                        ),
                    };
                }
                caps.set_pattern(Some(regex_automata::PatternID::ZERO));
            }
        }
        true
    }

    /// Remembers the groups `caps` read for `key` (a search from `start`).
    fn remember(
        &mut self,
        key: &[u8],
        start: usize,
        caps: &regex_automata::util::captures::Captures,
    ) {
        let value = if caps.is_match() {
            let mut slots = Vec::with_capacity(caps.slots().len());
            for slot in caps.slots() {
                let rel = match slot {
                    None => 0,
                    Some(at) => match at
                        .get()
                        .checked_sub(start)
                        .and_then(|r| u16::try_from(r + 1).ok())
                    {
                        Some(r) => r,
                        // Before the start: never, as the search is
                        // anchored there; not remembered if it were.
                        None => return,
                    },
                };
                slots.push(rel);
            }
            Some(slots.into_boxed_slice())
        } else {
            None
        };
        let seen = self.seen.get_or_insert_with(Default::default);
        if seen.len() >= Self::MAX_ENTRIES {
            seen.clear();
        }
        seen.insert(key.into(), value);
    }
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = const { std::cell::Cell::new(Scratch {
        owner: 0,
        candidates: Vec::new(),
        captures: Vec::new(),
        rule_set: None,
        memo: CaptureMemo { seen: None },
        memo_key: Vec::new(),
    }) };
}

impl Scratch {
    /// This thread's buffers, for `extractor` (empty if they were made for
    /// another, or are in use by a call further up the stack).
    fn take(extractor: &TimeExtractor) -> Scratch {
        let owner = extractor.id;
        let scratch = SCRATCH.with(std::cell::Cell::take);
        if scratch.owner == owner {
            scratch
        } else {
            Scratch {
                owner,
                ..Scratch::default()
            }
        }
    }

    fn put_back(self) {
        SCRATCH.with(|s| s.set(self));
    }
}

/// What earlier mentions in the text resolved to, for anaphora.
#[derive(Debug, Default)]
struct Previous {
    day: Option<NaiveDate>,
    /// Where the mention that set `day` ended.
    day_end: usize,
    quarter: Option<(i32, u32)>,
    quarter_end: usize,
    point: Option<NaiveDate>,
}

/// The first day of a dated value: "2025-08-21", "2025-08", "2025".
fn point_of_value(v: &str) -> Option<NaiveDate> {
    let y: i32 = v.get(..4)?.parse().ok()?;
    let m: u32 = match v.get(4..7) {
        Some(s) if s.starts_with('-') && s[1..].bytes().all(|b| b.is_ascii_digit()) => {
            s[1..].parse().ok()?
        }
        _ => 1,
    };
    let d: u32 = match v.get(7..10) {
        Some(s) if s.starts_with('-') && s[1..].bytes().all(|b| b.is_ascii_digit()) => {
            s[1..].parse().ok()?
        }
        _ => 1,
    };
    if v.len() > 4 && !v[4..].starts_with('-') {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// "1989-Q3" -> (1989, 3).
fn quarter_of_value(v: &str) -> Option<(i32, u32)> {
    let (y, q) = v.split_once("-Q")?;
    if y.len() != 4 || q.len() != 1 {
        return None;
    }
    Some((y.parse().ok()?, q.parse().ok()?))
}

fn next_char_boundary(s: &str, i: usize) -> usize {
    let mut j = i + 1;
    while j < s.len() && !s.is_char_boundary(j) {
        j += 1;
    }
    j.min(s.len())
}

#[cfg(test)]
mod tests;
