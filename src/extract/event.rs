//! Event mentions: a trigger word from `rules/lexicon/event-triggers.csv`
//! (call, meeting, talks, summit...) with its participants, the time
//! expression attached to it and its place.
//!
//! Attachment is by shape, in order of strength: a time right before the
//! trigger ("Thursday's call", "a Tuesday call"), right after it ("the call
//! on Thursday", "a call on July 15, 2023"), then the nearest time in the
//! same clause.

use super::entity::{EntityKind, EntityMention};
use super::lexicon::data_lines;
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

const TRIGGERS: &str = include_str!("../../rules/lexicon/event-triggers.csv");

/// A time expression the event stage can attach (from `extract::time`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeAnchor {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// TIMEX3-style value ("2025-08-21", "XXXX-WXX-4").
    pub value: String,
    /// The weekday the words state ("Thursday"), if any.
    pub weekday: Option<String>,
    /// Parts of the value that were guessed, not stated ("year").
    pub implied: Vec<String>,
    /// absolute | relative | unresolved.
    pub resolved: String,
}

/// One event mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventMention {
    /// Document-local event number: mentions that refer back to one event
    /// ("a call ... Thursday's call") share it.
    pub id: usize,
    /// Span of the trigger words.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub lemma: String,
    /// Cluster class: call, meeting and talks are all "talks".
    pub class: String,
    /// Span of the sentence the event was read from.
    pub sentence_start: usize,
    pub sentence_end: usize,
    /// Canonical names of people and organisations in the clause, and
    /// group nouns after "with"/"between" ("national security adviser").
    pub participants: Vec<String>,
    /// The attached time expression, if any.
    pub time: Option<TimeAnchor>,
    /// How the time was attached: "possessive", "before", "after",
    /// "clause".
    pub time_how: Option<&'static str>,
    pub place: Option<String>,
}

struct Trigger {
    lemma: String,
    class: String,
}

struct Triggers {
    /// The whole lexicon as one regex: what a trigger is. It scans only
    /// sentences with a character that folds to an ASCII letter (see
    /// [`FOLDS_TO_ASCII`]); [`Triggers::find`] gives its matches faster.
    regex: Regex,
    by_form: std::collections::HashMap<String, Trigger>,
    /// By the first word's first letter (a..z): each first word with the
    /// forms starting with it, in the regex's order of preference.
    buckets: [Vec<FirstWord>; 26],
    /// By first letter: bit `n` is set when a first word or a
    /// [`GROUP_NOUNS`] word has `n` bytes.
    #[cfg(test)]
    lengths: [u32; 26],
    /// `lengths` by a word's first byte as written (both cases of a
    /// letter; 0 for any other byte): one lookup per word start.
    lengths_by_byte: [u32; 256],
    /// `lengths` for the [`GROUP_NOUNS`] alone.
    noun_lengths: [u32; 26],
}

/// The nouns that end a [`group_regex`] match, as words: a sentence with
/// none of them as a whole ASCII word has no match, and is not searched.
const GROUP_NOUNS: [&str; 7] = [
    "advisers",
    "advisors",
    "ministers",
    "secretaries",
    "chiefs",
    "officials",
    "planners",
];

struct FirstWord {
    word: String,
    /// Each form as its words (the first is `word`) and as written.
    forms: Vec<(Vec<String>, String)>,
}

/// Characters that `(?i)` matches to an ASCII letter: the Kelvin sign (k)
/// and the long s.
const FOLDS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// What `(?-u:\b)` counts as a word byte.
const WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'_';
        i += 1;
    }
    t
};

/// The end of the run of word bytes starting at `i`.
fn word_run_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && WORD_BYTE[b[i] as usize] {
        i += 1;
    }
    i
}

/// The word bytes (as [`WORD_BYTE`]) of `b` into `masks`, 64 bytes a
/// mask: bit `k` of mask `n` for byte `64 * n + k`; then one empty mask
/// for the bytes past the end, which are not word bytes.
fn word_masks(b: &[u8], masks: &mut Vec<u64>) {
    masks.clear();
    for block in b.chunks(64) {
        let mut m = 0;
        let mut chunks = block.chunks_exact(8);
        for (k, chunk) in (&mut chunks).enumerate() {
            let mut x = [0u8; 8];
            x.copy_from_slice(chunk);
            m |= word_bits8(u64::from_le_bytes(x)) << (8 * k);
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut x = [0u8; 8];
            x[..tail.len()].copy_from_slice(tail);
            m |= word_bits8(u64::from_le_bytes(x)) << (8 * (block.len() / 8));
        }
        masks.push(m);
    }
    masks.push(0);
}

/// [`WORD_BYTE`] of the 8 bytes of `x` (little-endian) at once: bit `k`
/// of the result for byte `k`. Each byte's test is a range check by
/// addition into its high bit, with that bit cleared first so no sum
/// carries into the next byte.
fn word_bits8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let y = x & !HIGH;
    // A letter of either case: `y | 0x20` is in `a..=z`.
    let z = y | (ONES * 0x20);
    let letter = (z + ONES * (0x80 - 0x61)) & !(z + ONES * (0x80 - 0x7B));
    let digit = (y + ONES * (0x80 - 0x30)) & !(y + ONES * (0x80 - 0x3A));
    let underscore = (y + ONES * (0x80 - 0x5F)) & !(y + ONES * (0x80 - 0x60));
    // Non-ASCII bytes are not word bytes.
    let high = (letter | digit | underscore) & !x & HIGH;
    // Each byte's high bit to bit `k` of the top byte (no two products
    // meet in one bit, so nothing carries).
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

impl Triggers {
    /// The matches of `regex` in `s`, as byte spans and forms; `false`
    /// (and nothing found) when `s` holds a character of
    /// [`FOLDS_TO_ASCII`], which only the regex reads right. Every match
    /// starts at a word boundary and each form is whole ASCII words, so a
    /// word is looked up, not scanned.
    ///
    /// `noun` is set when a word is one of [`GROUP_NOUNS`] (any case), as
    /// [`group_regex`] needs one: this walk over the words is already
    /// paid, and the regex scan of a sentence cost more than the rest of
    /// its participants.
    ///
    /// The words are read from bit masks of the word bytes, 64 bytes a
    /// mask ([`word_masks`], into `masks`, a buffer reused between calls): a word start is a set bit after a clear one
    /// and its length the run of set bits, so only the words whose first
    /// letter and length can be a trigger or a group noun are looked at.
    /// Walking every byte of every word was two thirds of the event stage.
    /// `find_walk` (test-only) is that walk, the oracle.
    fn find<'t>(
        &'t self,
        s: &str,
        out: &mut Vec<(Range<usize>, Option<&'t str>)>,
        noun: &mut bool,
        masks: &mut Vec<u64>,
    ) -> bool {
        let b = s.as_bytes();
        // A folding character stops the walk wherever it is: it is never
        // inside a match (forms are ASCII words and whitespace).
        if memchr::memchr2_iter(0xE2, 0xC5, b)
            .any(|i| s.get(i..).is_some_and(|r| r.starts_with(FOLDS_TO_ASCII)))
        {
            out.clear();
            return false;
        }
        word_masks(b, masks);
        // Word starts before this were read as a trigger's later words.
        let mut skip = 0;
        // Whether the byte before the block is a word byte.
        let mut carry = 0u64;
        for (n, pair) in masks.windows(2).enumerate() {
            let (cur, next) = (pair[0], pair[1]);
            let at = 64 * n;
            // Word starts followed by two more word bytes: no trigger word
            // or group noun is shorter than three letters (asserted where
            // the tables are built), and the short words are a fifth of
            // all.
            let mut starts =
                cur & !((cur << 1) | carry) & (cur >> 1 | next << 63) & (cur >> 2 | next << 62);
            carry = cur >> 63;
            while starts != 0 {
                let k = starts.trailing_zeros() as usize;
                starts &= starts - 1;
                let ws = at + k;
                if ws < skip {
                    continue;
                }
                let Some(&c) = b.get(ws) else { break };
                let lengths = self.lengths_by_byte[usize::from(c)];
                if lengths == 0 {
                    continue;
                }
                // The run of set bits from `k`, on into the next block when
                // it reaches this one's end (a run through all of that one
                // is longer than any trigger word).
                let mut len = (!(cur >> k)).trailing_zeros() as usize;
                if k + len >= 64 {
                    len = 64 - k + (!next).trailing_zeros() as usize;
                }
                if len >= 32 || lengths & (1 << len) == 0 {
                    continue;
                }
                // A letter: only letters have lengths.
                let letter = usize::from(c.to_ascii_lowercase().wrapping_sub(b'a'));
                if let Some((end, form)) = self.lookup(s, ws, ws + len, letter, noun) {
                    out.push((ws..end, Some(form)));
                    skip = end;
                }
            }
        }
        true
    }

    /// The word `ws..we` of `s` (first letter `letter`, `a` = 0): sets
    /// `noun` when it is a group noun, and gives the end and form of the
    /// first form (in the regex's order) starting with it whose other
    /// words follow, each after `\s+`.
    fn lookup<'t>(
        &'t self,
        s: &str,
        ws: usize,
        we: usize,
        letter: usize,
        noun: &mut bool,
    ) -> Option<(usize, &'t str)> {
        let b = s.as_bytes();
        if self.noun_lengths[letter] & (1 << (we - ws)) != 0
            && GROUP_NOUNS
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(&b[ws..we]))
        {
            *noun = true;
        }
        let first = self.buckets[letter]
            .iter()
            .find(|f| f.word.as_bytes().eq_ignore_ascii_case(&b[ws..we]))?;
        first.forms.iter().find_map(|(words, form)| {
            let mut end = we;
            for w in &words[1..] {
                let rest = &s[end..];
                let gap = rest
                    .find(|c: char| !c.is_whitespace())
                    .unwrap_or(rest.len());
                if gap == 0 {
                    return None;
                }
                let at = end + gap;
                let run = word_run_end(b, at);
                if !b[at..run].eq_ignore_ascii_case(w.as_bytes()) {
                    return None;
                }
                end = run;
            }
            Some((end, form.as_str()))
        })
    }

    /// What [`Triggers::find`] was: the same reading with every byte of
    /// every word walked, the oracle of its test (a word it stops at is
    /// looked up by [`Triggers::lookup`], as `find` does).
    #[cfg(test)]
    fn find_walk<'t>(
        &'t self,
        s: &str,
        out: &mut Vec<(Range<usize>, Option<&'t str>)>,
        noun: &mut bool,
    ) -> bool {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if !WORD_BYTE[c as usize] {
                // The UTF-8 lead bytes of the Kelvin sign and the long s.
                if (c == 0xE2 || c == 0xC5)
                    && s.get(i..).is_some_and(|r| r.starts_with(FOLDS_TO_ASCII))
                {
                    out.clear();
                    return false;
                }
                i += 1;
                continue;
            }
            let ws = i;
            let we = word_run_end(b, i + 1);
            i = we;
            let letter = c.to_ascii_lowercase().wrapping_sub(b'a') as usize;
            let len = we - ws;
            if letter >= 26 || len >= 32 || self.lengths[letter] & (1 << len) == 0 {
                continue;
            }
            if let Some((end, form)) = self.lookup(s, ws, we, letter, noun) {
                out.push((ws..end, Some(form)));
                i = end;
            }
        }
        true
    }
}

fn triggers() -> &'static Triggers {
    static TRIGGERS_COMPILED: OnceLock<Triggers> = OnceLock::new();
    TRIGGERS_COMPILED.get_or_init(|| {
        let mut by_form = std::collections::HashMap::new();
        let mut forms = Vec::new();
        let mut plain = Vec::new();
        for line in data_lines(TRIGGERS) {
            let mut fields = line.split(',');
            let (Some(form), Some(lemma), Some(class)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            forms.push(regex::escape(form).replace(' ', r"\s+"));
            plain.push((regex::escape(form).replace(' ', r"\s+"), form.to_string()));
            by_form.insert(
                form.to_string(),
                Trigger {
                    lemma: lemma.to_string(),
                    class: class.to_string(),
                },
            );
        }
        forms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let regex = Regex::new(&format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", forms.join("|")))
            .unwrap_or_else(|e| panic!("trigger regex: {e}"));
        // The same order as the alternation, so the first form that
        // matches is the one the regex prefers.
        plain.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        assert!(
            plain.iter().all(
                |(_, f)| f.bytes().all(|b| b.is_ascii_lowercase() || b == b' ')
                    && !f.contains("  ")
                    && !f.starts_with(' ')
                    && !f.ends_with(' ')
            ),
            "event triggers are lower-case ASCII words"
        );
        let mut buckets: [Vec<FirstWord>; 26] = Default::default();
        let mut lengths = [0u32; 26];
        let mut noun_lengths = [0u32; 26];
        for noun in GROUP_NOUNS {
            let letter = usize::from(noun.as_bytes()[0] - b'a');
            noun_lengths[letter] |= 1 << noun.len();
            lengths[letter] |= 1 << noun.len();
            // A trigger's later words are stepped over, not looked at.
            assert!(
                plain
                    .iter()
                    .all(|(_, f)| f.split(' ').skip(1).all(|w| w != noun)),
                "a group noun is not a trigger's later word"
            );
        }
        for (_, form) in &plain {
            let words: Vec<String> = form.split(' ').map(str::to_string).collect();
            let first = &words[0];
            assert!(first.len() < 32, "event trigger words are short");
            let letter = usize::from(first.as_bytes()[0] - b'a');
            lengths[letter] |= 1 << first.len();
            let bucket = &mut buckets[letter];
            let at = match bucket.iter().position(|f| f.word == *first) {
                Some(at) => at,
                None => {
                    bucket.push(FirstWord {
                        word: first.clone(),
                        forms: Vec::new(),
                    });
                    bucket.len() - 1
                }
            };
            bucket[at].forms.push((words, form.clone()));
        }
        assert!(
            lengths.iter().all(|l| l & 0b111 == 0),
            "event trigger words and group nouns have three letters or more"
        );
        let mut lengths_by_byte = [0u32; 256];
        for (letter, &l) in (b'a'..=b'z').zip(&lengths) {
            lengths_by_byte[usize::from(letter)] = l;
            lengths_by_byte[usize::from(letter.to_ascii_uppercase())] = l;
        }
        Triggers {
            regex,
            by_form,
            buckets,
            #[cfg(test)]
            lengths,
            lengths_by_byte,
            noun_lengths,
        }
    })
}

/// Group participants named by a plural noun after "with"/"between":
/// "with European national security advisers".
fn group_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Only groups named by office: "officials" or "allies" alone say
        // nothing about which event this is.
        Regex::new(r"(?i)(?-u:\b)(?P<group>(?:national\s+security|foreign|defen[cs]e|finance|interior|military|health|trade|energy)\s+(?:advis[eo]rs|ministers|secretaries|chiefs|officials|planners))(?-u:\b)")
            .unwrap_or_else(|e| panic!("group regex: {e}"))
    })
}

fn normalise_group(group: &str) -> String {
    let lower = group
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace("advisors", "advisers")
        .replace("defence", "defense");
    if let Some(stem) = lower.strip_suffix("ies") {
        return format!("{stem}y");
    }
    lower
        .strip_suffix('s')
        .map_or(lower.clone(), str::to_string)
}

/// `w` lower-cased equals `lower` (lower-case ASCII): the ASCII case
/// compare, without the copy, unless `w` holds other characters.
fn lower_is(w: &str, lower: &str) -> bool {
    if w.is_ascii() {
        w.eq_ignore_ascii_case(lower)
    } else {
        w.to_lowercase() == lower
    }
}

/// `w` lower-cased equals one of `words` (lower-case ASCII): as
/// `words.iter().any(|x| lower_is(w, x))`, with `w` checked for ASCII (or
/// lower-cased) once rather than for every word; the three words before
/// every event are asked this.
fn lower_is_any(w: &str, words: &[&str]) -> bool {
    if w.is_ascii() {
        words.iter().any(|x| w.eq_ignore_ascii_case(x))
    } else {
        let lower = w.to_lowercase();
        words.iter().any(|x| lower == *x)
    }
}

/// `w` lower-cased ends with `suffix` (lower-case ASCII).
fn lower_ends_with(w: &str, suffix: &str) -> bool {
    if w.is_ascii() {
        w.len() >= suffix.len() && w[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    } else {
        w.to_lowercase().ends_with(suffix)
    }
}

/// Words after which "call(s)" is a verb or a demand, not a conversation.
/// `form` is lower-case.
fn is_verbal_use(text: &str, trigger_end: usize, form: &str) -> bool {
    if !matches!(form, "call" | "calls" | "attack" | "attacks") {
        return false;
    }
    let mut after = text.get(trigger_end..).unwrap_or("").split_whitespace();
    let next = after.next().unwrap_or("");
    let after_next = after.next().unwrap_or("");
    // "call on Thursday" is a conversation; "call on the West" a demand.
    let on = lower_is(next, "on");
    if form.starts_with("attack") {
        return on;
    }
    let on_someone = on
        && !after_next.is_empty()
        && !after_next
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
        && !is_calendar_start(after_next);
    on_someone || lower_is_any(next, &["for", "it", "them", "him", "her", "the", "a"])
}

fn is_calendar_start(word: &str) -> bool {
    const MORE: &[&str] = &[
        "jan.",
        "feb.",
        "aug.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "today",
        "tuesday's",
        "the",
    ];
    let lower = word
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
        .to_lowercase();
    super::lexicon::is_month_or_weekday(&lower) || MORE.contains(&lower.as_str())
}

/// Finds event mentions in the sentences, attaching participants, times
/// and places.
pub fn extract_events(
    text: &str,
    sentences: &[Range<usize>],
    entities: &[EntityMention],
    times: &[TimeAnchor],
) -> Vec<EventMention> {
    let t = triggers();
    let mut events = Vec::new();
    // Entities and times come in text order from their stages; then each
    // event reads only the stretch of the list that can hold its sentence.
    // Any other order falls back to the whole list, with the same result.
    let entities_in_order = entities.iter().all(|e| e.start <= e.end)
        && entities.windows(2).all(|w| w[0].start <= w[1].start);
    let times_in_order = times.iter().all(|t| t.start <= t.end)
        && times.windows(2).all(|w| w[0].start <= w[1].start);
    let entities_from = |from: usize, to: usize| {
        if entities_in_order {
            let a = entities.partition_point(|e| e.start < from);
            let b = a + entities[a..].partition_point(|e| e.start <= to);
            &entities[a..b]
        } else {
            entities
        }
    };
    let mut found: Vec<(Range<usize>, Option<&str>)> = Vec::new();
    // `Triggers::find`'s word masks, reused from sentence to sentence.
    let mut masks = Vec::new();
    for sentence in sentences {
        let Some(slice) = text.get(sentence.clone()) else {
            continue;
        };
        found.clear();
        let mut noun = false;
        if !t.find(slice, &mut found, &mut noun, &mut masks) {
            found.extend(t.regex.find_iter(slice).map(|m| (m.range(), None)));
            // Not read: the group regex searches the sentence.
            noun = true;
        }
        // One sentence's participants serve every event in it: given out
        // once the sentence is done, the last of its events takes them
        // without a copy.
        let mut sentence_participants: Option<Vec<String>> = None;
        let sentence_events = events.len();
        for (n, (m, known)) in found.iter().enumerate() {
            let form = match known {
                Some(form) => std::borrow::Cow::Borrowed(*form),
                None => std::borrow::Cow::Owned(
                    slice[m.clone()]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase(),
                ),
            };
            let Some(trigger) = t.by_form.get(form.as_ref()) else {
                continue;
            };
            let start = sentence.start + m.start;
            let end = sentence.start + m.end;
            if is_verbal_use(text, end, &form) {
                continue;
            }
            // The clause this trigger governs: up to the neighbouring
            // triggers, so two events in one sentence keep their own times.
            let clause_start = if n > 0 {
                sentence.start + found[n - 1].0.end
            } else {
                sentence.start
            };
            let clause_end = found
                .get(n + 1)
                .map_or(sentence.end, |next| sentence.start + next.0.start);
            let clause_times = if times_in_order {
                let a = times.partition_point(|t| t.start < clause_start);
                let b = a + times[a..].partition_point(|t| t.start <= clause_end);
                &times[a..b]
            } else {
                times
            };
            let (time, time_how) =
                attach_time(text, start, end, clause_start, clause_end, clause_times);
            if sentence_participants.is_none() {
                sentence_participants = Some(participants(
                    text,
                    sentence.clone(),
                    entities_from(sentence.start, sentence.end),
                    noun,
                ));
            }
            let place = place_after(text, end, clause_end, entities_from(end, clause_end));
            events.push(EventMention {
                id: 0,
                start,
                end,
                text: text[start..end].to_string(),
                lemma: trigger.lemma.clone(),
                class: trigger.class.clone(),
                sentence_start: sentence.start,
                sentence_end: sentence.end,
                participants: Vec::new(),
                time,
                time_how,
                place,
            });
        }
        if let (Some(names), Some((last, rest))) = (
            sentence_participants,
            events[sentence_events..].split_last_mut(),
        ) {
            for e in rest {
                e.participants = names.clone();
            }
            last.participants = names;
        }
    }
    link_references(text, &mut events);
    events
}

/// Gives each mention a document-local event id: an indefinite mention ("a
/// call", "a Tuesday call") or a verb starts a new event; a definite one
/// ("the call", "Thursday's call", "this conversation") refers back to the
/// last event of its class.
fn link_references(text: &str, events: &mut [EventMention]) {
    // The id of the last event of each class (few classes: a list), and
    // per id the events whose times differ in what the coreference test
    // reads: looking both up by scanning every earlier event was
    // quadratic on a document of many mentions.
    let mut last_of_class: Vec<(&str, usize)> = Vec::new();
    let mut distinct_times_of_id: Vec<Vec<usize>> = vec![Vec::new()];
    let mut ids = Vec::with_capacity(events.len());
    for (i, event) in events.iter().enumerate() {
        let before = text.get(event.sentence_start..event.start).unwrap_or("");
        let indefinite = before
            .rsplit(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .take(3)
            .any(|w| lower_is_any(w, &["a", "an", "another", "new", "separate", "second"]));
        let verb = matches!(
            event.lemma.as_str(),
            "meeting" | "visit" | "attack" | "shooting"
        ) && !lower_ends_with(&event.text, "ing")
            && !lower_ends_with(&event.text, "s");
        let class = last_of_class
            .iter()
            .position(|(class, _)| *class == event.class.as_str());
        let earlier = class.map(|c| last_of_class[c].1).filter(|&id| {
            distinct_times_of_id[id]
                .iter()
                .all(|&k| times_can_corefer(events[k].time.as_ref(), event.time.as_ref()))
        });
        let id = match earlier {
            Some(id) if !indefinite && !verb => id,
            _ => {
                distinct_times_of_id.push(Vec::new());
                distinct_times_of_id.len() - 1
            }
        };
        ids.push(id);
        match class {
            Some(c) => last_of_class[c].1 = id,
            None => last_of_class.push((event.class.as_str(), id)),
        }
        if let Some(time) = &event.time {
            let answers_alike = |&k: &usize| {
                events[k].time.as_ref().is_some_and(|t| {
                    t.value == time.value
                        && t.weekday.is_some() == time.weekday.is_some()
                        && t.resolved == time.resolved
                })
            };
            if !distinct_times_of_id[id].iter().any(answers_alike) {
                distinct_times_of_id[id].push(i);
            }
        }
    }
    for (event, id) in events.iter_mut().zip(ids) {
        event.id = id;
    }
}

/// Two mentions with different times are one event only when one gives a
/// weekday and the other a stated date: that pairing is what the calendar
/// rule checks ("a call on July 15, 2023" ... "Thursday's call").
fn times_can_corefer(a: Option<&TimeAnchor>, b: Option<&TimeAnchor>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a.value == b.value {
        return true;
    }
    let weekday_only = |t: &TimeAnchor| {
        t.value.starts_with("XXXX-WXX-") || (t.weekday.is_some() && t.resolved != "absolute")
    };
    let stated_day = |t: &TimeAnchor| t.resolved == "absolute" && t.value.len() == 10;
    (weekday_only(a) && stated_day(b)) || (weekday_only(b) && stated_day(a))
}

fn attach_time(
    text: &str,
    trigger_start: usize,
    trigger_end: usize,
    clause_start: usize,
    clause_end: usize,
    times: &[TimeAnchor],
) -> (Option<TimeAnchor>, Option<&'static str>) {
    let in_clause = times
        .iter()
        .filter(|t| t.start >= clause_start && t.end <= clause_end);
    let mut best: Option<(usize, &TimeAnchor, &'static str)> = None;
    for time in in_clause {
        let (distance, how) = if time.end <= trigger_start {
            let between = text.get(time.end..trigger_start).unwrap_or("");
            let words = between.split_whitespace().count();
            if between.starts_with("’s") || between.starts_with("'s") {
                (0, "possessive")
            } else if words == 0 {
                (1, "before")
            } else {
                (10 + words, "clause")
            }
        } else if time.start >= trigger_end {
            let between = text.get(trigger_end..time.start).unwrap_or("");
            let words = between.split_whitespace().count();
            let first = between.split_whitespace().next().unwrap_or("");
            if words <= 3
                && (first.is_empty()
                    || lower_is_any(
                        first,
                        &[
                            "on", "in", "last", "held", "happened", "occurred", "took", "was",
                            "were", "early", "late", "that",
                        ],
                    ))
            {
                (1 + words, "after")
            } else {
                (10 + words, "clause")
            }
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|(d, _, _)| distance < *d) {
            best = Some((distance, time, how));
        }
    }
    match best {
        Some((distance, time, how)) if distance < 30 => (Some(time.clone()), Some(how)),
        _ => (None, None),
    }
}

/// The sentence's participants, sorted and each once (as a `BTreeSet`
/// gives them). `noun`: whether the sentence may hold a group (see
/// [`Triggers::find`]); without one the group regex is not run.
fn participants(
    text: &str,
    sentence: Range<usize>,
    entities: &[EntityMention],
    noun: bool,
) -> Vec<String> {
    // Borrowed, sorted and deduplicated before any is copied: a name
    // repeated in the sentence is copied once, and no tree is built.
    let mut names: Vec<&str> = entities
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EntityKind::Person | EntityKind::Org | EntityKind::Place
            ) && e.start >= sentence.start
                && e.end <= sentence.end
        })
        .map(|e| e.canonical.as_str())
        .collect();
    let mut groups: Vec<String> = Vec::new();
    if noun {
        if let Some(slice) = text.get(sentence) {
            for c in group_regex().captures_iter(slice) {
                if let Some(group) = c.name("group") {
                    groups.push(normalise_group(group.as_str()));
                }
            }
        }
    }
    names.extend(groups.iter().map(String::as_str));
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(str::to_string).collect()
}

/// The words between a trigger and a place introduce it ("in", "at the"):
/// `between` is lower-case.
fn place_words(between: &str) -> bool {
    let words = between.split_whitespace().count();
    words <= 6
        && (between.trim_end().ends_with(" in")
            || between.trim_end().ends_with(" at")
            || between.trim_end().ends_with(" at the")
            || between.trim() == "in"
            || between.trim() == "at"
            || between.trim() == "at the")
}

/// [`place_words`] of an ASCII `between` in any case, without the
/// lower-cased copy (lower-casing ASCII changes no length or space).
fn place_words_ascii(between: &str) -> bool {
    let ends = |s: &str, suffix: &str| {
        s.len() >= suffix.len()
            && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let words = between.split_whitespace().count();
    let end = between.trim_end();
    let all = between.trim();
    words <= 6
        && (ends(end, " in")
            || ends(end, " at")
            || ends(end, " at the")
            || all.eq_ignore_ascii_case("in")
            || all.eq_ignore_ascii_case("at")
            || all.eq_ignore_ascii_case("at the"))
}

/// "in Alaska", "at the White House", "in Geneva" after the trigger.
fn place_after(
    text: &str,
    trigger_end: usize,
    clause_end: usize,
    entities: &[EntityMention],
) -> Option<String> {
    entities
        .iter()
        .filter(|e| {
            matches!(e.kind, EntityKind::Place | EntityKind::Org)
                && e.start >= trigger_end
                && e.end <= clause_end
        })
        .find(|e| {
            let between = text.get(trigger_end..e.start).unwrap_or("");
            if between.is_ascii() {
                place_words_ascii(between)
            } else {
                place_words(&between.to_lowercase())
            }
        })
        .map(|e| e.canonical.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entity::extract_entities;

    fn anchor(text: &str, words: &str, value: &str) -> TimeAnchor {
        let start = text.find(words).unwrap();
        TimeAnchor {
            start,
            end: start + words.len(),
            text: words.into(),
            value: value.into(),
            weekday: None,
            implied: Vec::new(),
            resolved: "absolute".into(),
        }
    }

    fn events(text: &str, times: &[TimeAnchor]) -> Vec<EventMention> {
        let sentences = [0..text.len()];
        let entities = extract_entities(text, &sentences);
        extract_events(text, &sentences, &entities, times)
    }

    #[test]
    fn extract_events_attaches_possessive_time_and_group_participants() {
        let text = "Officials from NATO and the UK participated in Thursday’s call, which is seen as a step.";
        let found = events(text, &[anchor(text, "Thursday", "XXXX-WXX-4")]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lemma, "call");
        assert_eq!(found[0].time_how, Some("possessive"));
        assert_eq!(found[0].time.as_ref().unwrap().value, "XXXX-WXX-4");
    }

    #[test]
    fn extract_events_attaches_a_date_after_the_trigger() {
        let text = "During a crucial call on July 15, 2023, with European national security advisers, Rubio spoke.";
        let found = events(text, &[anchor(text, "July 15, 2023", "2023-07-15")]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].time_how, Some("after"));
        assert!(
            found[0]
                .participants
                .contains(&"national security adviser".to_string()),
            "{:?}",
            found[0].participants
        );
    }

    #[test]
    fn extract_events_keeps_each_trigger_its_own_time() {
        let text = "The summit in Alaska on Friday preceded talks on Monday.";
        let found = events(
            text,
            &[
                anchor(text, "Friday", "2025-08-15"),
                anchor(text, "Monday", "2025-08-18"),
            ],
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].lemma, "summit");
        assert_eq!(found[0].place.as_deref(), Some("Alaska"));
        assert_eq!(found[0].time.as_ref().unwrap().value, "2025-08-15");
        assert_eq!(found[1].time.as_ref().unwrap().value, "2025-08-18");
    }

    #[test]
    fn extract_events_links_definite_mentions_to_the_last_event() {
        let text = "During a crucial call on July 15, 2023, Rubio spoke. Officials joined Thursday’s call. Later a Tuesday call followed.";
        let found = events(text, &[]);
        let ids: Vec<usize> = found.iter().map(|e| e.id).collect();
        assert_eq!(ids, [1, 1, 2]);
    }

    #[test]
    fn definite_mentions_link_per_class_and_only_across_compatible_times() {
        // Classes interleave; a later "the call" on another stated day
        // cannot be the first call, whose mentions gave a date and a weekday.
        let text = "A call on July 15, 2023 came first. A summit followed. \
                    Officials joined Thursday’s call. The summit ended. \
                    The call on August 1, 2023 was another. The call on Thursday ran long.";
        let at = |words: &str, value: &str, weekday: Option<&str>, resolved: &str| {
            let mut a = anchor(text, words, value);
            a.weekday = weekday.map(str::to_string);
            a.resolved = resolved.to_string();
            a
        };
        let times = [
            at("July 15, 2023", "2023-07-15", None, "absolute"),
            at("Thursday", "XXXX-WXX-4", Some("Thursday"), "unresolved"),
            at("August 1, 2023", "2023-08-01", None, "absolute"),
            TimeAnchor {
                start: text.rfind("Thursday").unwrap(),
                end: text.rfind("Thursday").unwrap() + "Thursday".len(),
                text: "Thursday".into(),
                value: "XXXX-WXX-4".into(),
                weekday: Some("Thursday".into()),
                implied: Vec::new(),
                resolved: "unresolved".into(),
            },
        ];
        let found = events(text, &times);
        let got: Vec<(&str, usize)> = found.iter().map(|e| (e.lemma.as_str(), e.id)).collect();
        assert_eq!(
            got,
            [
                ("call", 1),
                ("summit", 2),
                ("call", 1),
                ("summit", 2),
                ("call", 3),
                ("call", 3)
            ]
        );
    }

    #[test]
    fn extract_events_skips_calls_for_something() {
        let text =
            "The proposals called for limits, and the plan calls for Ukraine to cut its army.";
        assert!(events(text, &[]).is_empty());
    }

    #[test]
    fn only_the_listed_characters_fold_to_ascii_letters() {
        let all: String = ('\u{80}'..=char::MAX).collect();
        let re = Regex::new("(?i)[a-z]").unwrap();
        let folding: Vec<char> = re
            .find_iter(&all)
            .filter_map(|m| m.as_str().chars().next())
            .collect();
        assert!(!folding.is_empty());
        for c in folding {
            assert!(FOLDS_TO_ASCII.contains(&c), "{c:?} folds to ASCII");
        }
    }

    #[test]
    fn word_lookup_finds_what_the_trigger_regex_finds() {
        let t = triggers();
        let forms: Vec<&str> = data_lines(TRIGGERS)
            .filter_map(|l| l.split(',').next())
            .collect();
        let glue = [
            " ", "  ", "\n", "\t", "\u{a0}", "\u{2003}", "", "_", "-", ",", "'s ", "9", "é", "x",
            ". ", "\u{201c}",
        ];
        let mut texts = vec![
            "Phone\n\tcall, phonecall, phone  interview, CONFERENCE CALL".to_string(),
            "recall _call call_ call9 calls meetings meeting meet met".to_string(),
            "press conference call news conference video  call phone".to_string(),
        ];
        // Every form next to every other, with every kind of glue.
        let mut next = crate::text::testing::xorshift(7);
        for _ in 0..400 {
            let mut s = String::new();
            for _ in 0..6 {
                let state = next();
                let form = forms[(state >> 33) as usize % forms.len()];
                let g = glue[(state >> 20) as usize % glue.len()];
                let inner = glue[(state >> 10) as usize % 6];
                let form = if state & 1 == 0 {
                    form.to_uppercase()
                } else {
                    form.to_string()
                };
                s.push_str(&form.replace(' ', inner));
                s.push_str(g);
            }
            texts.push(s);
        }
        let mut got = Vec::new();
        assert!(!t.find(
            "a call to the \u{212A}remlin",
            &mut got,
            &mut false,
            &mut Vec::new()
        ));
        assert!(got.is_empty());
        for text in &texts {
            let want: Vec<Range<usize>> = t.regex.find_iter(text).map(|m| m.range()).collect();
            let mut got = Vec::new();
            assert!(t.find(text, &mut got, &mut false, &mut Vec::new()));
            let got: Vec<Range<usize>> = got.into_iter().map(|(r, _)| r).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The bit-mask reading finds what the byte walk found (spans, forms,
    /// the group-noun flag, the folding refusal) on GVA sentences and on
    /// soup of trigger words, group nouns, long words and glue, whose words
    /// cross the 64-byte blocks at every offset.
    #[test]
    fn word_mask_reading_finds_what_the_walk_finds() {
        let t = triggers();
        let long = "x".repeat(70);
        let longer = "Meetings".repeat(9);
        let mut pieces: Vec<&str> = data_lines(TRIGGERS)
            .filter_map(|l| l.split(',').next())
            .collect();
        pieces.extend(GROUP_NOUNS);
        pieces.extend([
            " ",
            "  ",
            "\n",
            "\t",
            "\u{a0}",
            "\u{2003}",
            "_",
            "-",
            ",",
            "'s ",
            "9",
            "\u{e9}",
            "x",
            ". ",
            "\u{201c}",
            "CALL",
            "Talks",
            "MeEtInG",
            "recall",
            "calls9",
            "Advisers",
            "phone",
            "conference",
            "\u{212A}",
            "\u{17F}",
            "\u{2019}",
            "\u{c5}",
            "a",
            "the",
            "abcdefghijklmnopqrstuvwxyzabcdef",
            &long,
            &longer,
            "\u{7f}",
            "@",
            "[",
            "`",
            "{",
            "/",
            ":",
        ]);
        let mut texts: Vec<String> = Vec::new();
        let mut next = crate::text::testing::xorshift(0x0b17_3a5c);
        for _ in 0..6000 {
            texts.push(crate::text::testing::soup(&mut next, &pieces, 40));
        }
        for d in crate::text::testing::news_documents(true)
            .into_iter()
            .take(400)
        {
            for s in crate::segment::sentences(&d) {
                texts.push(d.text[s.start..s.end].to_string());
            }
        }
        let (mut found, mut refused, mut nouns) = (0, 0, 0);
        let mut masks = Vec::new();
        for text in &texts {
            let (mut want, mut want_noun) = (Vec::new(), false);
            let want_ok = t.find_walk(text, &mut want, &mut want_noun);
            let (mut got, mut got_noun) = (Vec::new(), false);
            let got_ok = t.find(text, &mut got, &mut got_noun, &mut masks);
            assert_eq!(got_ok, want_ok, "{text:?}");
            assert_eq!(got, want, "{text:?}");
            if want_ok {
                assert_eq!(got_noun, want_noun, "{text:?}");
            }
            found += want.len();
            refused += usize::from(!want_ok);
            nouns += usize::from(want_noun);
        }
        assert!(
            found > 4_000 && refused > 1_000 && nouns > 500,
            "{found} {refused} {nouns}"
        );
    }

    /// What `participants` gave before the group regex was skipped for
    /// sentences without a group noun, and before the names were sorted
    /// as borrowed strings.
    fn participants_in_a_tree(
        text: &str,
        sentence: Range<usize>,
        entities: &[EntityMention],
    ) -> Vec<String> {
        let mut names: std::collections::BTreeSet<String> = entities
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EntityKind::Person | EntityKind::Org | EntityKind::Place
                ) && e.start >= sentence.start
                    && e.end <= sentence.end
            })
            .map(|e| e.canonical.clone())
            .collect();
        if let Some(slice) = text.get(sentence) {
            for c in group_regex().captures_iter(slice) {
                if let Some(group) = c.name("group") {
                    names.insert(normalise_group(group.as_str()));
                }
            }
        }
        names.into_iter().collect()
    }

    /// A sentence whose words hold no group noun has no group match: on
    /// random soup of the group regex's words and on GVA articles, the
    /// participants are those of the regex run on every sentence.
    #[test]
    fn group_nouns_skip_only_sentences_without_a_group() {
        let t = triggers();
        let pieces = [
            "national",
            "security",
            "foreign",
            "defense",
            "defence",
            "finance",
            "interior",
            "military",
            "health",
            "trade",
            "energy",
            "advisers",
            "advisors",
            "ADVISERS",
            "Ministers",
            "secretaries",
            "chiefs",
            "officials",
            "planners",
            "adviser",
            " ",
            "  ",
            "\n",
            "\u{a0}",
            "-",
            "_",
            "9",
            "s",
            ", ",
            "call",
            " talks ",
            "NATO",
            " Rubio ",
            "\u{17F}",
            "\u{212A}",
            "é",
            "Kyiv",
            "foreign ministers",
            "national security advisers",
            "FINANCE\nchiefs",
            "trade  officials",
            "defense-planners",
            "health secretaries",
            "energy\u{a0}advisors",
            "military chief",
            "Interior Ministers_",
        ];
        let mut texts: Vec<String> = Vec::new();
        let mut next = crate::text::testing::xorshift(0x005e_ed0f_9a0c);
        for _ in 0..4000 {
            texts.push(crate::text::testing::soup(&mut next, &pieces, 16));
        }
        let mut sentences_of: Vec<Vec<Range<usize>>> =
            texts.iter().map(|s| vec![0..s.len()]).collect();
        for d in crate::text::testing::news_documents(false)
            .into_iter()
            .take(300)
        {
            sentences_of.push(
                crate::segment::sentences(&d)
                    .iter()
                    .map(|s| s.start..s.end)
                    .collect(),
            );
            texts.push(d.text);
        }
        let (mut compared, mut grouped, mut skipped) = (0, 0, 0);
        for (text, sentences) in texts.iter().zip(&sentences_of) {
            let entities = extract_entities(text, sentences);
            for sentence in sentences {
                let Some(slice) = text.get(sentence.clone()) else {
                    continue;
                };
                let mut noun = false;
                if !t.find(slice, &mut Vec::new(), &mut noun, &mut Vec::new()) {
                    noun = true;
                }
                let want = participants_in_a_tree(text, sentence.clone(), &entities);
                let got = participants(text, sentence.clone(), &entities, noun);
                assert_eq!(got, want, "{slice:?}");
                compared += 1;
                grouped += usize::from(group_regex().is_match(slice));
                skipped += usize::from(!noun);
            }
        }
        assert!(
            compared > 5_000 && grouped > 300 && skipped > 3_000,
            "{compared} {grouped} {skipped}"
        );
    }

    /// The ASCII place test reads as the lower-casing one, and a word list
    /// asked once as each word asked alone.
    #[test]
    fn case_folding_shortcuts_read_as_lower_casing() {
        let pieces = [
            " ", "  ", "\t", "\n", "in", "IN", "In", "at", "AT", "the", "The", "x", "s", "a", "an",
            "An", "ANOTHER", "new", "\u{212A}", "\u{130}n", "é", "on", "-", ".", "at the",
        ];
        let words = ["a", "an", "another", "new", "on", "in", "at"];
        let mut next = crate::text::testing::xorshift(0xa7_7ac4);
        let (mut ascii, mut total) = (0, 0);
        for _ in 0..20_000 {
            let s = crate::text::testing::soup(&mut next, &pieces, 8);
            if s.is_ascii() {
                assert_eq!(
                    place_words_ascii(&s),
                    place_words(&s.to_lowercase()),
                    "{s:?}"
                );
                ascii += 1;
            }
            assert_eq!(
                lower_is_any(&s, &words),
                words.iter().any(|w| lower_is(&s, w)),
                "{s:?}"
            );
            total += 1;
        }
        assert!(ascii > 5_000 && total > ascii, "{ascii} {total}");
    }

    #[test]
    fn trigger_lexicon_is_sorted_and_complete() {
        let first = TRIGGERS.lines().next().unwrap_or("");
        assert!(first.starts_with("# FORMAT:"));
        let forms: Vec<&str> = data_lines(TRIGGERS)
            .map(|l| l.split(',').next().unwrap_or(""))
            .collect();
        let mut sorted = forms.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(forms, sorted);
        for line in data_lines(TRIGGERS) {
            assert_eq!(line.split(',').count(), 3, "{line}");
        }
    }
}
