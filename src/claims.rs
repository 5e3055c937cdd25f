//! Stage 4: claims. Every mention that states a fact becomes a [`Claim`]:
//! what it is about (subject), which property (attribute), the normalised
//! value, and the exact words it was read from.
//!
//! Input: one document's mentions. Output: that document's claims. Claims
//! are plain, serialisable data: `dump claims --format jsonl` writes them
//! and they are what the rules compare across documents.

use crate::extract::entity::{EntityKind, EntityMention};
use crate::extract::event::EventMention;
use crate::extract::quantity::{Hedge, Quantity, QuantityKind};
use crate::extract::quote::{Quote, QuoteKind};
use crate::extract::role::RoleMention;
use crate::model::{Document, LineIndex, Sentence};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

/// Text many claims hold alike (their document's id and path, the sentence
/// they stand in): one allocation shared by all of them instead of a copy
/// each, which cost about 80 instructions per copy and claim.
pub type Shared = Arc<str>;

/// What a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    Person,
    Org,
    Place,
    Event,
    Quantity,
}

/// One fact as one source states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub doc: Shared,
    pub path: Shared,
    /// The story the document belongs to (`--group-by`), the key a
    /// distributed run shuffles claims by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<Shared>,
    pub source: Option<Shared>,
    pub published: Option<chrono::NaiveDate>,
    /// Who or what the claim is about, as this document names it
    /// (canonical within the document; `key` merges across documents).
    pub subject: String,
    pub subject_kind: SubjectKind,
    /// "date", "weekday", "count", "role", "quote", "spelling", "place",
    /// "age".
    pub attribute: String,
    /// A refinement of the attribute that must match for two claims to be
    /// comparable: the office for roles ("national security adviser"), the
    /// counted noun for counts ("country").
    pub facet: Option<String>,
    /// The normalised value ("2023-07-15", "XXXX-WXX-4", "30",
    /// "acting national security adviser").
    pub value: String,
    /// Numbers: value, upper bound of a range, hedge.
    pub number: Option<f64>,
    pub number_max: Option<f64>,
    pub hedge: Option<String>,
    /// Words that change the value's meaning: qualifiers of a role.
    pub qualifiers: Vec<String>,
    /// Event claims: trigger class and participants, for clustering.
    pub event_class: Option<String>,
    pub participants: Vec<String>,
    /// Date claims: the weekday the words state ("Thursday"), the parts
    /// of the value that were guessed ("year"), and how it was resolved
    /// (absolute | relative | unresolved).
    pub weekday: Option<String>,
    pub implied: Vec<String>,
    pub resolved: Option<String>,
    /// Evidence: byte span, position and the words themselves.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub text: String,
    /// The whole sentence the words stand in.
    pub sentence: Shared,
}

/// Everything the extractors found in one document.
#[derive(Debug, Default)]
pub struct Extraction {
    pub entities: Vec<EntityMention>,
    pub roles: Vec<RoleMention>,
    pub events: Vec<EventMention>,
    pub quantities: Vec<Quantity>,
    pub quotes: Vec<Quote>,
    /// Every time expression, for phrases that date nothing but may
    /// contradict themselves ("Thursday, July 8, 2016").
    pub times: Vec<crate::extract::event::TimeAnchor>,
}

/// What every claim of one document carries alike, allocated once.
#[derive(Clone)]
pub struct DocFields {
    pub doc: Shared,
    pub path: Shared,
    pub story: Option<Shared>,
    pub source: Option<Shared>,
}

impl DocFields {
    pub fn of(doc: &Document) -> DocFields {
        DocFields {
            doc: Shared::from(doc.id.as_str()),
            path: Shared::from(doc.path.as_str()),
            story: doc.group.as_deref().map(Shared::from),
            source: doc.source.as_deref().map(Shared::from),
        }
    }
}

struct Builder<'a> {
    doc: &'a Document,
    fields: DocFields,
    sentences: &'a [Sentence],
    /// Each sentence's text, made at its first claim and shared by the rest.
    sentence_text: Vec<std::cell::OnceCell<Shared>>,
}

impl Builder<'_> {
    /// The sentence holding `at`: its index and its text.
    fn sentence_at(&self, at: usize) -> Option<(usize, &str)> {
        // Sentences are in text order and never overlap: the first that
        // ends after `at` is the only one that can hold it.
        let i = self
            .sentences
            .partition_point(|s| s.end.max(s.start + 1) <= at);
        let s = self.sentences.get(i).filter(|s| s.start <= at)?;
        Some((i, self.doc.text.get(s.start..s.end)?))
    }

    fn sentence_of(&self, at: usize) -> &str {
        self.sentence_at(at).map_or("", |(_, text)| text)
    }

    fn shared_sentence_of(&self, at: usize) -> Shared {
        match self.sentence_at(at) {
            Some((i, text)) => match self.sentence_text.get(i) {
                Some(cell) => cell.get_or_init(|| Shared::from(text)).clone(),
                None => Shared::from(text),
            },
            None => Shared::from(""),
        }
    }

    // Inlined, the claim is built where it is pushed: out of line it was
    // copied (some 500 bytes) on each of the two returns.
    #[inline(always)]
    fn claim(
        &self,
        start: usize,
        end: usize,
        subject: String,
        kind: SubjectKind,
        attribute: &str,
        value: String,
    ) -> Claim {
        let sentence = self.shared_sentence_of(start);
        // Line and column are filled in once all claims are sorted by
        // position: [`place`] walks the text once for all of them.
        Claim::placed(
            self.doc,
            &self.fields,
            start..end,
            (0, 0),
            sentence,
            subject,
            kind,
            attribute,
            value,
        )
    }
}

impl Claim {
    /// A claim on `doc[span]` with its evidence filled in (position, words,
    /// sentence) and every optional field empty; callers add the rest.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn at(
        doc: &Document,
        index: &LineIndex,
        span: std::ops::Range<usize>,
        sentence: &str,
        subject: String,
        subject_kind: SubjectKind,
        attribute: &str,
        value: String,
    ) -> Claim {
        let (line, column) = index.line_col(&doc.text, span.start);
        Claim::placed(
            doc,
            &DocFields::of(doc),
            span,
            (line, column),
            Shared::from(sentence),
            subject,
            subject_kind,
            attribute,
            value,
        )
    }

    /// [`Claim::at`] with the line and column of `span.start` given.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn placed(
        doc: &Document,
        fields: &DocFields,
        span: std::ops::Range<usize>,
        (line, column): (usize, usize),
        sentence: Shared,
        subject: String,
        subject_kind: SubjectKind,
        attribute: &str,
        value: String,
    ) -> Claim {
        Claim {
            doc: fields.doc.clone(),
            path: fields.path.clone(),
            story: fields.story.clone(),
            source: fields.source.clone(),
            published: doc.published,
            subject,
            subject_kind,
            attribute: attribute.to_string(),
            facet: None,
            value,
            number: None,
            number_max: None,
            hedge: None,
            qualifiers: Vec::new(),
            event_class: None,
            participants: Vec::new(),
            weekday: None,
            implied: Vec::new(),
            resolved: None,
            text: doc.text.get(span.clone()).unwrap_or("").to_string(),
            start: span.start,
            end: span.end,
            line,
            column,
            sentence,
        }
    }
}

/// `parts` one after the other, in one allocation.
fn joined(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

fn hedge_name(hedge: &Hedge) -> String {
    hedge.as_str().to_string()
}

/// Lower-case ASCII `needle` in `hay` lower-cased: an ASCII-case-insensitive
/// search, without the lower-case copy, unless `hay` holds one of the two
/// characters that lower-case to an ASCII letter (the Kelvin sign to "k",
/// "İ" to "i" and a combining dot).
/// `needles` is the matcher of the lists in `words`.
fn contains_lower(hay: &str, needles: &regex::bytes::Regex, words: &[&[&str]]) -> bool {
    if !hay.is_ascii() && hay.contains(LOWERS_TO_ASCII) {
        let lower = hay.to_lowercase();
        return words
            .iter()
            .any(|list| list.iter().any(|w| lower.contains(w)));
    }
    needles.is_match(hay.as_bytes())
}

/// Characters whose lower case holds an ASCII letter.
const LOWERS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{130}'];

/// An ASCII-case-insensitive matcher for any of `words`: a regex of the
/// words as literals, ASCII case folded only (`(?i-u)`), the same answer
/// as an ASCII-case-insensitive Aho-Corasick search. Its lazy DFA read a
/// sentence in fewer than half the instructions of aho-corasick's (6.3 M
/// on 1,000 GVA articles).
fn any_of(words: &[&str]) -> regex::bytes::Regex {
    let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    regex::bytes::Regex::new(&format!("(?i-u:{})", alternation.join("|")))
        .unwrap_or_else(|e| panic!("word list matcher: {e}"))
}

/// [`AGGREGATES`] and [`PERPETRATOR`] together: either drops a count.
fn aggregate_or_perpetrator() -> &'static regex::bytes::Regex {
    static M: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    M.get_or_init(|| any_of(&[AGGREGATES, PERPETRATOR].concat()))
}

/// Words that mark a sentence about several incidents.
const AGGREGATES: &[&str] = &[
    "shootings",
    "attacks",
    "incidents",
    "stabbings",
    "separate",
    "pair of",
    "across the city",
    "this year",
    "so far",
    "in total",
    "combined",
    "minutes earlier",
    "hours earlier",
];

/// Words that mark a count which may include the perpetrator.
const PERPETRATOR: &[&str] = &[
    "himself",
    "herself",
    "themselves",
    "including the suspect",
    "including the shooter",
    "including the gunman",
    "including the suspected",
    "including the attacker",
];

/// Nouns that count people in general: comparable only with a predicate.
const GENERIC_NOUNS: &[&str] = &[
    "person",
    "man",
    "woman",
    "other",
    "victim",
    "child",
    "teen",
    "teenager",
    "adult",
    "boy",
    "girl",
    "individual",
    "resident",
    "student",
    "juvenile",
    "youth",
    "friend",
    "member",
    "suspect",
    "officer",
    "bystander",
    "customer",
    "worker",
    "patron",
];

/// Looked up for every word around every count: a fast hash, not SipHash.
fn count_predicates() -> &'static rustc_hash::FxHashMap<&'static str, &'static str> {
    static MAP: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        crate::extract::lexicon::data_lines(include_str!("../rules/lexicon/count-predicates.csv"))
            .filter_map(|l| l.split_once(','))
            .collect()
    })
}

/// What happened to the counted things, from the words right around the
/// count: "killed six people", "six people were killed", "two men dead",
/// "five wounded people". `None` when nothing says it, and also when the
/// words narrow the set ("shot in the hand", "critically injured" is its
/// own predicate) so that it cannot be compared with a plain toll.
fn count_predicate(text: &str, start: usize, end: usize) -> Option<String> {
    const SKIP: &[&str] = &[
        "were",
        "was",
        "are",
        "is",
        "have",
        "has",
        "had",
        "been",
        "being",
        "who",
        "reportedly",
        "also",
        "all",
        "later",
        "and",
        "others",
        "other",
        "people",
    ];
    const DEGREE: &[&str] = &[
        "critically",
        "seriously",
        "severely",
        "gravely",
        "slightly",
        "fatally",
        "mortally",
    ];
    const BODY: &[&str] = &[
        "hand", "hands", "leg", "legs", "arm", "arms", "foot", "feet", "back", "head", "chest",
        "thigh", "shoulder", "stomach", "neck", "face", "abdomen", "buttocks", "hip", "knee",
    ];
    let map = count_predicates();
    // Most words are lower-case ASCII already: borrowed, not copied.
    let clean = |w| -> Cow<str> { clean_word(w) };
    // Inside the count itself: "five wounded people".
    let inside = text.get(start..end).unwrap_or("");
    if let Some(p) = Words::of(inside)
        .map(clean)
        .find_map(|w| map.get(w.as_ref()).copied())
    {
        return Some(p.to_string());
    }
    let qualify = |p: &str, before: Option<&str>, rest: &[&str]| -> Option<String> {
        // "shot to death", "shot dead", "fatally shot" are killings.
        if before == Some("fatally") || before == Some("mortally") {
            return Some("killed".into());
        }
        if p == "shot" && (rest.first() == Some(&"dead") || rest.starts_with(&["to", "death"])) {
            return Some("killed".into());
        }
        // "shot in the hand" counts part of the victims.
        if rest.len() >= 3 && rest[0] == "in" && BODY.contains(&rest[2]) {
            return None;
        }
        match before {
            Some(d) if DEGREE.contains(&d) => Some(format!("{d} {p}")),
            _ => Some(p.to_string()),
        }
    };
    // After the count: the first predicate within the clause, across an
    // aside ("four others, including a police officer, were injured").
    // At most 14 words are read: a bounded window keeps a document with
    // no full stop from being scanned to its end at every count.
    let window_end = crate::text::floor_char_boundary(text, end.saturating_add(1024));
    let after = text.get(end..window_end).unwrap_or("");
    // Read lazily: the walk below mostly stops at the first word or two.
    let mut words = clause_words(after)
        .take(14)
        .map(|raw| (clean(raw), raw.ends_with(',') || raw.starts_with(',')));
    // Before it: only the word right before ("injured five others"), never
    // across "and" ("died and four others").
    // Nor across a sentence end: "were wounded. All three officers were
    // flown to the hospital" says nothing of the three.
    let before: Vec<Cow<str>> = last_words::<2>(text.get(..start).unwrap_or(""))
        .into_iter()
        .flatten()
        .take_while(|raw| !raw.ends_with(['.', '!', '?', ';', ':']))
        .map(clean)
        .collect();
    let before_predicate = before.first().and_then(|w| map.get(w.as_ref()).copied());
    let mut aside = false;
    let mut crossed_and = false;
    let mut previous: Option<Cow<str>> = None;
    while let Some((word, comma)) = words.next() {
        if let Some(p) = map.get(word.as_ref()) {
            // "killing four people and wounding two others": past an "and",
            // the verb starts the next clause; the verb before the count
            // is this one's.
            if let Some(bp) = before_predicate.filter(|_| crossed_and) {
                return qualify(bp, before.get(1).map(AsRef::as_ref), &[]);
            }
            let rest: Vec<Cow<str>> = words.by_ref().take(3).map(|(w, _)| w).collect();
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            return qualify(p, previous.as_deref(), &rest);
        }
        if word == "and" && !aside {
            crossed_and = true;
        }
        if word == "including" {
            aside = true;
        }
        if !aside && !SKIP.contains(&word.as_ref()) && !DEGREE.contains(&word.as_ref()) {
            break;
        }
        if comma && aside && word != "including" {
            aside = false;
        }
        previous = Some(word);
    }
    let p = before_predicate?;
    qualify(p, before.get(1).map(AsRef::as_ref), &[])
}

/// A word as [`count_predicate`] looks it up: without the non-alphanumeric
/// characters around it, lower-cased. Most words are lower-case ASCII
/// already: borrowed, not copied.
fn clean_word(w: &str) -> Cow<'_, str> {
    if w.is_ascii() {
        // An ASCII character is alphanumeric as a `char` exactly when it is
        // as a byte, and lower-cases to its ASCII lower case: the same
        // answer as the general path below, byte by byte.
        let b = w.as_bytes();
        let Some(from) = b.iter().position(u8::is_ascii_alphanumeric) else {
            return Cow::Borrowed("");
        };
        let to = b
            .iter()
            .rposition(u8::is_ascii_alphanumeric)
            .map_or(from, |i| i + 1);
        let w = w.get(from..to).unwrap_or("");
        return if w.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(w.to_ascii_lowercase())
        } else {
            Cow::Borrowed(w)
        };
    }
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(w.to_lowercase())
    } else {
        Cow::Borrowed(w)
    }
}

/// The words of a text as `split_whitespace` gives them, read a byte at
/// a time where the text is ASCII: the standard split decodes every
/// character, which cost about 8 instructions a byte here.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn of(text: &'a str) -> Self {
        Words { text, at: 0 }
    }

    /// Whether a whitespace character starts at `at`, and its length
    /// (1 past the end).
    fn space_at(&self, at: usize) -> (bool, usize) {
        match self.text.as_bytes().get(at) {
            None => (false, 1),
            Some(&b) if b < 0x80 => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
            Some(_) => match self.text.get(at..).and_then(|r| r.chars().next()) {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            },
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let len = self.text.len();
        while self.at < len {
            let (space, n) = self.space_at(self.at);
            if !space {
                break;
            }
            self.at += n;
        }
        if self.at >= len {
            return None;
        }
        let from = self.at;
        while self.at < len {
            let (space, n) = self.space_at(self.at);
            if space {
                break;
            }
            self.at += n;
        }
        self.text.get(from..self.at)
    }
}

/// The last `N` words of `text`, last first, as
/// `text.split_whitespace().rev().take(N)` gives them: read back from the
/// end a byte at a time while they are ASCII (the reverse split decodes
/// each character).
fn last_words<const N: usize>(text: &str) -> [Option<&str>; N] {
    let b = text.as_bytes();
    let mut out = [None; N];
    let mut end = b.len();
    for slot in &mut out {
        // `char::is_whitespace` on ASCII: space and tab to carriage return
        // (vertical tab included, unlike `u8::is_ascii_whitespace`).
        while let Some(b' ' | b'\t'..=b'\r') = b.get(end.wrapping_sub(1)) {
            end -= 1;
        }
        if end == 0 {
            break;
        }
        let mut from = end;
        let mut seen = 0u8;
        while let Some(&x) = b.get(from.wrapping_sub(1)) {
            if matches!(x, b' ' | b'\t'..=b'\r') {
                break;
            }
            seen |= x;
            from -= 1;
        }
        // A non-ASCII byte may be (part of) a space of another script:
        // the general split decides.
        if seen >= 0x80 {
            let mut words = text.split_whitespace().rev();
            return std::array::from_fn(|_| words.next());
        }
        *slot = text.get(from..end);
        end = from;
    }
    out
}

/// The words of `after` up to its clause's end (the first '.', ';' or
/// ':'), as `split_whitespace` gives them: those of the clause cut first,
/// without reading past it.
fn clause_words(after: &str) -> impl Iterator<Item = &str> {
    let mut ended = false;
    Words::of(after)
        .map_while(move |raw| {
            if ended {
                return None;
            }
            match raw.find(['.', ';', ':']) {
                Some(i) => {
                    ended = true;
                    raw.get(..i)
                }
                None => Some(raw),
            }
        })
        .filter(|w| !w.is_empty())
}

/// One sentence giving the same kind of thing two different counts names
/// no single figure: guesses ("one shooter, two shooters, multiple
/// shooters"), a change ("rose from two to three dead"), or different sets
/// ("two counts of murder and three counts of assault", "four wounded ...
/// a block from where five were wounded in December"). Compared with
/// another source, any of them could be the wrong set; precision first.
fn drop_enumerated_counts(claims: &mut Vec<Claim>, from: usize) {
    use std::collections::hash_map::Entry;
    /// A sentence and counted thing, compared whole but hashed by the
    /// sentence's length and last bytes: hashing whole sentences cost more
    /// than the rest of this function. Equal keys hash alike, so the map
    /// behaves as one keyed by the pair.
    #[derive(PartialEq, Eq)]
    struct Key<'a>(&'a str, Option<&'a str>);
    impl std::hash::Hash for Key<'_> {
        fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
            let bytes = self.0.as_bytes();
            h.write_usize(bytes.len());
            h.write(bytes.get(bytes.len().saturating_sub(8)..).unwrap_or(&[]));
            self.1.hash(h);
        }
    }
    fn key(c: &Claim) -> Key<'_> {
        Key(&c.sentence, c.facet.as_deref())
    }
    // Per sentence and counted thing: its one value, or `None` once a
    // second, different value turns up.
    let mut value: rustc_hash::FxHashMap<Key, Option<&str>> = rustc_hash::FxHashMap::default();
    let counts = || {
        claims
            .iter()
            .enumerate()
            .filter(|(i, c)| *i >= from && c.attribute == "count")
    };
    for (_, c) in counts() {
        match value.entry(key(c)) {
            Entry::Vacant(e) => {
                e.insert(Some(c.value.as_str()));
            }
            Entry::Occupied(mut e) => {
                if *e.get() != Some(c.value.as_str()) {
                    e.insert(None);
                }
            }
        }
    }
    let listed: rustc_hash::FxHashSet<usize> = counts()
        .filter(|(_, c)| value.get(&key(c)) == Some(&None))
        .map(|(i, _)| i)
        .collect();
    let mut index = 0;
    claims.retain(|_| {
        index += 1;
        !listed.contains(&(index - 1))
    });
}

/// Counted nouns that name the same kind of thing ("33-nation" and "30
/// countries" both count countries).
fn noun_class(noun: &str) -> &str {
    match noun {
        "nation" | "country" | "state" | "member state" => "country",
        other => other,
    }
}

/// Turns one document's mentions into claims.
pub fn claims(doc: &Document, sentences: &[Sentence], found: &Extraction) -> Vec<Claim> {
    let b = Builder {
        doc,
        fields: DocFields::of(doc),
        sentences,
        sentence_text: vec![std::cell::OnceCell::new(); sentences.len()],
    };
    // At most one claim each (events two, names only as below); grown one
    // claim at a time, the vector was copied four or five times a document.
    let names = found
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person && (e.text.contains(' ') || e.how == "surname"))
        .count();
    let dated = found.times.iter().filter(|t| t.weekday.is_some()).count();
    let mut out = Vec::with_capacity(
        found.roles.len()
            + found.quantities.len()
            + names
            + dated
            + found.quotes.len()
            + 2 * found.events.len(),
    );

    for role in &found.roles {
        let mut c = b.claim(
            role.start,
            role.end,
            role.person.clone(),
            SubjectKind::Person,
            "role",
            role.value(),
        );
        c.facet = Some(role.office.clone());
        c.qualifiers = role.qualifiers.clone();
        out.push(c);
    }

    let quantities_from = out.len();
    let mut last_sentence = None;
    for q in &found.quantities {
        if q.kind == QuantityKind::Money {
            // "$67 billion in military aid": an amount of what it measures.
            let what = q.measures.clone().unwrap_or_else(|| "money".to_string());
            let unit = q.unit.clone().unwrap_or_default();
            let mut c = b.claim(
                q.start,
                q.end,
                what,
                SubjectKind::Quantity,
                "amount",
                format_number(q.value),
            );
            c.facet = Some(unit);
            c.number = Some(q.value);
            c.number_max = q.value_max;
            c.hedge = Some(hedge_name(&q.hedge));
            out.push(c);
            continue;
        }
        if q.kind != QuantityKind::Count {
            continue;
        }
        let Some(noun) = q.noun.as_deref() else {
            continue;
        };
        // "Shot five times" counts repetitions, which differ per victim and
        // per shooter: never a set two sources can disagree on.
        if matches!(
            noun,
            "time" | "round" | "shot" | "bullet" | "year" | "day" | "hour"
        ) {
            continue;
        }
        let sentence = b.sentence_of(q.start);
        // A count in a sentence about several incidents ("four separate
        // shootings that left...") may add up events another source
        // counts one by one. So may "Seven dead including the shooter" and "killed five, then
        // himself": they count the perpetrator in or out, the same toll
        // told two ways.
        // Counts come in text order: the sentence of the last one is
        // asked again, and answered from memory.
        let key = (sentence.as_ptr(), sentence.len());
        let several = match last_sentence {
            Some((k, several)) if k == key => several,
            _ => {
                let several = contains_lower(
                    sentence,
                    aggregate_or_perpetrator(),
                    &[AGGREGATES, PERPETRATOR],
                );
                last_sentence = Some((key, several));
                several
            }
        };
        if several {
            continue;
        }
        // "Four other people" excludes someone "five people" includes.
        // No character outside ASCII lower-cases to a letter of "other":
        // an ASCII case-insensitive search of the words is exact.
        let others = q
            .text
            .as_bytes()
            .windows(5)
            .any(|w| w.eq_ignore_ascii_case(b"other"));
        let class = if others {
            "other".to_string()
        } else {
            noun_class(noun).to_string()
        };
        // "Six people" says nothing until the sentence says what happened
        // to them: killed, injured and arrested people are different sets.
        let predicate = count_predicate(&doc.text, q.start, q.end);
        // "32-member alliance" counts the members of something named.
        if GENERIC_NOUNS.contains(&class.as_str()) && predicate.is_none() && q.modifies.is_none() {
            continue;
        }
        let class = match &predicate {
            // Joined by hand: `format!` cost three times as much here.
            Some(p) => joined(&[&class, " ", p]),
            None => class,
        };
        let subject = match q.modifies.as_deref() {
            Some(head) => joined(&[&class, " in ", head]),
            None => class.clone(),
        };
        let mut c = b.claim(
            q.start,
            q.end,
            subject,
            SubjectKind::Quantity,
            "count",
            format_number(q.value),
        );
        c.facet = Some(class);
        c.number = Some(q.value);
        c.number_max = q.value_max;
        c.hedge = Some(hedge_name(&q.hedge));
        if let Some(measures) = &q.measures {
            c.qualifiers = vec![measures.clone()];
        }
        out.push(c);
    }
    drop_enumerated_counts(&mut out, quantities_from);

    for e in &found.entities {
        if e.kind != EntityKind::Person || !e.text.contains(' ') && e.how != "surname" {
            continue;
        }
        // The surname as written is what differs between spellings.
        let [Some(surname)] = last_words::<1>(&e.text) else {
            continue;
        };
        let mut c = b.claim(
            e.start,
            e.end,
            e.canonical.clone(),
            SubjectKind::Person,
            "spelling",
            surname.to_string(),
        );
        c.facet = Some("surname".into());
        out.push(c);
    }

    ages(&b, &found.entities, &found.quantities, &mut out);

    // A weekday and a fully stated date in one phrase can be checked
    // against each other whatever event they date.
    for (n, time) in found.times.iter().enumerate() {
        let Some(weekday) = &time.weekday else {
            continue;
        };
        let stated = time.resolved == "absolute" && !time.implied.iter().any(|p| p == "year");
        if !stated || time.value.len() < 10 {
            continue;
        }
        let mut c = b.claim(
            time.start,
            time.end,
            format!("phrase#{}", n + 1),
            SubjectKind::Event,
            "date",
            time.value.clone(),
        );
        c.weekday = Some(weekday.clone());
        c.resolved = Some(time.resolved.clone());
        c.implied = time.implied.clone();
        out.push(c);
    }

    // Indexed only for a document with a quote to attribute: most have none.
    let mut speakers: Option<Speakers> = None;
    for quote in &found.quotes {
        if quote.kind != QuoteKind::Statement {
            continue;
        }
        let Some(speaker) = &quote.speaker else {
            continue;
        };
        // Only quotes by a named person are compared across sources: "an
        // official" in one outlet need not be "an official" in another.
        let speakers = speakers.get_or_insert_with(|| Speakers::new(&found.entities));
        let Some(person) = speakers.person(speaker) else {
            continue;
        };
        let mut c = b.claim(
            quote.start,
            quote.end,
            person,
            SubjectKind::Person,
            "quote",
            quote.text.clone(),
        );
        c.facet = Some(speaker.how.to_string());
        out.push(c);
    }

    // Where each event happened ("talks Friday at a military base in
    // Alaska"), once per document-level event.
    let mut placed = std::collections::BTreeSet::new();
    for event in &found.events {
        let Some(place) = &event.place else { continue };
        if !placed.insert(event.id) {
            continue;
        }
        let subject = format!("{}#{}", event.class, event.id);
        let mut c = b.claim(
            event.start,
            event.end,
            subject,
            SubjectKind::Event,
            "place",
            place.clone(),
        );
        c.event_class = Some(event.class.clone());
        c.participants = event.participants.clone();
        c.facet = Some(event.lemma.clone());
        out.push(c);
    }

    for event in &found.events {
        let Some(time) = &event.time else { continue };
        // Only a time bound to the trigger's words ("Thursday's call", "the
        // call on Thursday", "shot Sunday") dates the event; a time
        // elsewhere in the clause is as likely another event's.
        if !matches!(event.time_how, Some("possessive" | "before" | "after")) {
            continue;
        }
        // One local name per document-level event; `key` matches events
        // across documents by class and participants.
        let subject = format!("{}#{}", event.class, event.id);
        let mut c = b.claim(
            time.start,
            time.end,
            subject,
            SubjectKind::Event,
            "date",
            time.value.clone(),
        );
        c.event_class = Some(event.class.clone());
        // The mention's own sentence: a document-wide union would let one
        // long article's events match anything.
        c.participants = event.participants.clone();
        c.facet = Some(event.lemma.clone());
        c.weekday = time.weekday.clone();
        c.implied = time.implied.clone();
        c.resolved = Some(time.resolved.clone());
        out.push(c);
    }

    sort_claims(&mut out);
    place(&doc.text, &mut out);
    out
}

/// Fills in the line and column of each claim's start, as
/// [`LineIndex::line_col`] gives them, for claims sorted by start: one walk
/// over the text counts the lines and characters between one claim and
/// the next, instead of an index of every line per document and a count
/// from the line's start per claim (8 M instructions of 60 M on 1,000 GVA
/// articles). A start that is no character boundary, or lies before the
/// last one, is asked of a [`LineIndex`].
fn place(text: &str, out: &mut [Claim]) {
    let mut index: Option<LineIndex> = None;
    // The walk so far: `pos` is a character boundary, `line` the newlines
    // before it, `column` the characters between its line's start and it.
    let (mut pos, mut line, mut column) = (0usize, 0usize, 0usize);
    for c in out.iter_mut() {
        let at = c.start;
        let (l, col) = match text.get(pos..at) {
            Some(gap) => {
                let bytes = gap.as_bytes();
                match memchr::memrchr(b'\n', bytes) {
                    Some(last) => {
                        // Mostly one line break or none: counted only when
                        // the first and last differ.
                        let first = memchr::memchr(b'\n', bytes).unwrap_or(last);
                        line += 1;
                        if first < last {
                            line += 1 + memchr::memchr_iter(b'\n', &bytes[first + 1..last]).count();
                        }
                        column = gap[last + 1..].chars().count();
                    }
                    None => column += gap.chars().count(),
                }
                pos = at;
                (line + 1, column + 1)
            }
            None => index
                .get_or_insert_with(|| LineIndex::new(text))
                .line_col(text, at),
        };
        c.line = l;
        c.column = col;
    }
}

/// Sorts claims by position, then attribute and value, stably. A claim is
/// some 500 bytes: their indices are sorted and each claim then moved to
/// its place once, not shifted along at every step of the sort.
fn sort_claims(out: &mut [Claim]) {
    fn key(c: &Claim) -> (usize, usize, &str, &str) {
        (c.start, c.end, c.attribute.as_str(), c.value.as_str())
    }
    if out.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        return;
    }
    // Keys made once, not at every comparison; the index last makes equal
    // keys keep their order, so an unstable sort gives the stable order.
    let mut keyed: Vec<(usize, usize, &str, &str, usize)> = out
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (start, end, attribute, value) = key(c);
            (start, end, attribute, value, i)
        })
        .collect();
    keyed.sort_unstable();
    let mut order: Vec<usize> = keyed.into_iter().map(|k| k.4).collect();
    // `order[k]` is the claim that belongs at `k`: follow each cycle.
    for i in 0..order.len() {
        let mut at = i;
        while order[at] != i {
            let from = order[at];
            out.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// Nouns that may stand between an age and the name it belongs to ("a
/// 24-year-old man, John Doe,"; "Jane Doe, a 24-year-old mother"): words
/// for a person, so that "a 30-year-old case" never ages anybody.
const AGE_NOUNS: &[&str] = &[
    "man", "woman", "boy", "girl", "teen", "teenager", "victim", "suspect", "mother", "father",
    "son", "daughter", "resident", "student", "officer", "veteran", "driver", "youth", "male",
    "female", "gunman", "shooter",
];

/// A whole age as written: one to three digits, 1 to 120.
fn age_digits(s: &str) -> Option<u8> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u8>().ok().filter(|a| (1..=120).contains(a))
}

/// Ages tied to a full name: "Jane Doe, 24,", "Jane Doe, 24.", "Jane Doe
/// (24)", "Jane Doe, aged 24", "Jane Doe, a 24-year-old from Chicago",
/// "24-year-old Jane Doe", "a 24-year-old man, Jane Doe,". A number after
/// a name that goes on with words of its own ("Smith, 24 years on the
/// force", "Doe, 45 Main Street") or a possessive ("Jane Doe's son, 24")
/// ages nobody. Only names of two words or more: a surname alone may be
/// a relative's.
fn ages(b: &Builder, entities: &[EntityMention], quantities: &[Quantity], out: &mut Vec<Claim>) {
    let text = b.doc.text.as_str();
    // A name right after a quoted nickname ("Leroy \"LJ\" Rutherford
    // Friedel") is its tail only, and may be a relative's full name too.
    // A quote closed after punctuation ("... tenfold,\" Beth Krut, 47") ends
    // a quotation, not a nickname.
    let after_nickname = |e: &EntityMention| {
        let before = text.get(..e.start).unwrap_or("").trim_end();
        let Some(inner) = before.strip_suffix(['"', '\u{201D}']) else {
            return false;
        };
        inner.chars().next_back().is_some_and(char::is_alphanumeric)
    };
    let is_person = |e: &EntityMention| {
        e.kind == EntityKind::Person
            // A second word, without counting the rest.
            && e.text.split_whitespace().nth(1).is_some()
            && !after_nickname(e)
    };
    // An exact whole age the extractor read as one ("24-year-old",
    // "aged 24", "24, of Chicago"), by where it starts.
    // Looked up by position with a binary search in lists sorted once: a
    // search of every quantity or person per candidate was quadratic on a
    // long list. The sorts are stable, so the first of equal starts wins.
    let mut ages_by_start: Vec<&Quantity> = quantities
        .iter()
        .filter(|q| {
            q.kind == QuantityKind::Age
                && q.hedge == Hedge::Exact
                && q.value_max.is_none()
                && q.value.fract() == 0.0
                && (1.0..=120.0).contains(&q.value)
        })
        .collect();
    ages_by_start.sort_by_key(|q| q.start);
    let age_at = |at: usize| -> Option<&Quantity> {
        let i = ages_by_start.partition_point(|q| q.start < at);
        ages_by_start.get(i).copied().filter(|q| q.start == at)
    };
    // The first person (in entity order) starting at `at`. Entities come
    // in text order: the ones starting there are found by a binary search
    // and only they are asked `is_person`. Out of order, the people are
    // listed and sorted once (stably: the first of equal starts wins).
    let in_order = entities.windows(2).all(|w| w[0].start <= w[1].start);
    let people_by_start = std::cell::OnceCell::new();
    let person_at = |at: usize| -> Option<&EntityMention> {
        if in_order {
            let i = entities.partition_point(|e| e.start < at);
            return entities
                .get(i..)
                .unwrap_or(&[])
                .iter()
                .take_while(|e| e.start == at)
                .find(|e| is_person(e));
        }
        let people: &Vec<&EntityMention> = people_by_start.get_or_init(|| {
            let mut people: Vec<&EntityMention> =
                entities.iter().filter(|e| is_person(e)).collect();
            people.sort_by_key(|e| e.start);
            people
        });
        let i = people.partition_point(|e| e.start < at);
        people.get(i).copied().filter(|e| e.start == at)
    };
    let year_old = |q: &Quantity| {
        let t = q.text.as_bytes();
        ["-year-old", " year-old", "-years-old"]
            .iter()
            .any(|suffix| {
                t.len() >= suffix.len()
                    && t[t.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
            })
    };
    let word_at = |at: usize| -> &str {
        let rest = text.get(at..).unwrap_or("");
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        &rest[..end]
    };
    let mut found: Vec<(usize, usize, &EntityMention, u8)> = Vec::new();
    // Only a name followed by "(" or ", " can be aged by the words after
    // it: that is asked first, the rest of `is_person` for those alone.
    for e in entities {
        let rest = text.get(e.end..).unwrap_or("");
        if !(rest.starts_with('(') || rest.starts_with(" (") || rest.starts_with(", "))
            || !is_person(e)
        {
            continue;
        }
        // "Jane Doe (24)".
        if let Some(inner) = rest.strip_prefix(" (").or_else(|| rest.strip_prefix('(')) {
            // An age is at most three digits: no search past a few bytes.
            let close = inner.bytes().take(8).position(|b| b == b')');
            if let Some(close) = close {
                if let Some(age) = age_digits(&inner[..close]) {
                    let start = e.end + (rest.len() - inner.len());
                    found.push((start, start + close, e, age));
                    continue;
                }
            }
        }
        let Some(after_comma) = rest.strip_prefix(", ") else {
            continue;
        };
        let at = e.end + 2;
        // "Jane Doe, aged 24" / "Jane Doe, age 24".
        for lead in ["aged ", "age "] {
            if let Some(num) = after_comma.strip_prefix(lead) {
                let digits = &num[..num.find(|c: char| !c.is_ascii_digit()).unwrap_or(num.len())];
                if let Some(age) = age_digits(digits) {
                    let end_ok = num[digits.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| matches!(c, ',' | '.' | ';' | ')' | ' '));
                    if end_ok {
                        let start = at + lead.len();
                        found.push((start, start + digits.len(), e, age));
                    }
                }
            }
        }
        // "Jane Doe, 24," / "Jane Doe, 24." / "Jane Doe, 24 years old,".
        let digits = &after_comma[..after_comma
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_comma.len())];
        if let Some(age) = age_digits(digits) {
            let tail = &after_comma[digits.len()..];
            // "Doe, 1,000" and "Doe, 2.5" are other numbers.
            let closed = tail
                .chars()
                .next()
                .is_none_or(|c| matches!(c, ',' | '.' | ';' | ')' | '\n'))
                && !tail.chars().nth(1).is_some_and(|c| c.is_ascii_digit());
            // "Doe, 24 years old," but not "Doe, 32-year-old Officer Roe".
            let years_old = || {
                tail.starts_with(" year") && age_at(at).is_some_and(|q| q.end > at + digits.len())
            };
            if closed || years_old() {
                found.push((at, at + digits.len(), e, age));
            }
            continue;
        }
        // "Jane Doe, a 24-year-old from Chicago," / "..., a 24-year-old man".
        for lead in ["a ", "an "] {
            if !after_comma.starts_with(lead) {
                continue;
            }
            let start = at + lead.len();
            let Some(q) = age_at(start).filter(|q| year_old(q)) else {
                continue;
            };
            let next = text.get(q.end..).unwrap_or("");
            let word = word_at(q.end + 1);
            let ok = next.starts_with(',')
                || next.starts_with(' ')
                    && (AGE_NOUNS.contains(&word.to_ascii_lowercase().as_str())
                        || matches!(word, "from" | "of" | "who"));
            if ok {
                found.push((q.start, q.end, e, q.value as u8));
            }
        }
    }
    // "24-year-old Jane Doe", "a 24-year-old man, Jane Doe,".
    for q in quantities.iter().filter(|q| year_old(q)) {
        let Some(q) = age_at(q.start) else { continue };
        let mut at = q.end;
        let rest = text.get(at..).unwrap_or("");
        if !rest.starts_with(' ') {
            continue;
        }
        at += 1;
        let mut appositive = false;
        let word = word_at(at);
        if AGE_NOUNS.contains(&word.to_ascii_lowercase().as_str())
            && word.chars().next().is_some_and(char::is_lowercase)
        {
            at += word.len();
            if text.get(at..).is_some_and(|r| r.starts_with(", ")) {
                at += 2;
                appositive = true;
            } else if text.get(at..).is_some_and(|r| r.starts_with(' ')) {
                at += 1;
            } else {
                continue;
            }
        }
        let Some(e) = person_at(at) else {
            continue;
        };
        let after = text.get(e.end..).unwrap_or("");
        // "a 24-year-old man, Jane Doe said," is not an appositive.
        if appositive && !after.starts_with([',', '.', ';']) {
            continue;
        }
        if after.starts_with('\'') || after.starts_with('\u{2019}') {
            continue;
        }
        found.push((q.start, q.end, e, q.value as u8));
    }
    found.sort_by_key(|(start, end, _, _)| (*start, *end));
    found.dedup_by_key(|(start, _, _, _)| *start);
    // A document that gives one person two ages ("26-year-old Jeremy
    // Contreras, 36,") contradicts itself: neither is its word.
    let mut first_age: rustc_hash::FxHashMap<&str, u8> = rustc_hash::FxHashMap::default();
    let mut torn: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    for (_, _, e, age) in &found {
        let first = *first_age.entry(e.canonical.as_str()).or_insert(*age);
        if first != *age {
            torn.insert(e.canonical.as_str());
        }
    }
    found.retain(|(_, _, e, _)| !torn.contains(e.canonical.as_str()));
    for (start, end, e, age) in found {
        let mut c = b.claim(
            start,
            end,
            e.canonical.clone(),
            SubjectKind::Person,
            "age",
            age.to_string(),
        );
        c.number = Some(f64::from(age));
        c.facet = Some("years".into());
        out.push(c);
    }
}

/// The people of one document, indexed once for [`Speakers::person`]: a
/// search of every entity per quote was quadratic on a long document of
/// quotes and names.
struct Speakers<'a> {
    /// Persons in text order; `ordered` when they start in order and do not
    /// overlap, so the ones under a span are a contiguous run.
    people: Vec<&'a EntityMention>,
    ordered: bool,
    /// Each text and canonical form to the first person having it. Built
    /// at the first quote with no person under its speaker words: most
    /// documents never ask it, and it cost more than the rest of this.
    by_name: std::cell::OnceCell<rustc_hash::FxHashMap<&'a str, &'a EntityMention>>,
}

impl<'a> Speakers<'a> {
    fn new(entities: &'a [EntityMention]) -> Self {
        let people: Vec<&EntityMention> = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .collect();
        let ordered = people.iter().all(|e| e.start <= e.end)
            && people.windows(2).all(|w| w[0].end <= w[1].start);
        Speakers {
            people,
            ordered,
            by_name: std::cell::OnceCell::new(),
        }
    }

    fn by_name(&self) -> &rustc_hash::FxHashMap<&'a str, &'a EntityMention> {
        self.by_name.get_or_init(|| {
            let mut by_name = rustc_hash::FxHashMap::default();
            for e in &self.people {
                by_name.entry(e.text.as_str()).or_insert(*e);
                by_name.entry(e.canonical.as_str()).or_insert(*e);
            }
            by_name
        })
    }

    /// The person a quote's speaker words name, as the document resolves
    /// them: the first person under the words, or the first named as the
    /// name a pronoun was resolved to.
    fn person(&self, speaker: &crate::extract::quote::Speaker) -> Option<String> {
        let overlaps = |e: &EntityMention| e.start < speaker.end && speaker.start < e.end;
        let under = if self.ordered {
            let first = self.people.partition_point(|e| e.end <= speaker.start);
            self.people.get(first).copied().filter(|e| overlaps(e))
        } else {
            self.people.iter().copied().find(|e| overlaps(e))
        };
        if let Some(e) = under {
            return Some(e.canonical.clone());
        }
        let name = speaker.resolved.as_deref().or(speaker.name.as_deref())?;
        self.by_name().get(name).map(|e| e.canonical.clone())
    }
}

/// Numbers print without a trailing ".0" when whole.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        crate::extract::int_string(value as i64, 0)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_index_finds_what_a_search_of_every_entity_finds() {
        let text = "Marco Rubio spoke. Secretary Rubio and Sergey Lavrov met; \
                    Mr. Lavrov, Volodymyr Zelenskyy and Zelensky replied. Rubio left.";
        let ranges = [0..text.len()];
        let found = crate::extract::entity::extract_entities(text, &ranges);
        assert!(
            found
                .iter()
                .filter(|e| e.kind == EntityKind::Person)
                .count()
                >= 3
        );
        // The same entities out of order take the search path.
        let mut shuffled = found.clone();
        shuffled.reverse();
        let naive = |entities: &[EntityMention], sp: &crate::extract::quote::Speaker| {
            let person = |e: &&EntityMention| e.kind == EntityKind::Person;
            if let Some(e) = entities
                .iter()
                .filter(person)
                .find(|e| e.start < sp.end && sp.start < e.end)
            {
                return Some(e.canonical.clone());
            }
            let name = sp.resolved.as_deref().or(sp.name.as_deref())?;
            entities
                .iter()
                .filter(person)
                .find(|e| e.text == name || e.canonical == name)
                .map(|e| e.canonical.clone())
        };
        let names = ["Rubio", "Lavrov", "Zelensky", "Marco Rubio", "Nobody"];
        for (start, _) in text.char_indices() {
            for len in [1, 3, 8] {
                let end = (start + len).min(text.len());
                for name in names {
                    let speaker = crate::extract::quote::Speaker {
                        text: String::new(),
                        start,
                        end,
                        name: Some(name.to_string()),
                        resolved: None,
                        how: "quote-x-said",
                    };
                    for entities in [&found, &shuffled] {
                        assert_eq!(
                            Speakers::new(entities).person(&speaker),
                            naive(entities, &speaker),
                            "{start}..{end} {name}"
                        );
                    }
                }
            }
        }
        assert!(Speakers::new(&found).ordered);
    }

    #[test]
    fn format_number_drops_trailing_zero() {
        assert_eq!(format_number(30.0), "30");
        assert_eq!(format_number(3.5), "3.5");
        assert_eq!(format_number(67e9), "67000000000");
    }

    /// The predicate of the count that `count` names inside `text`.
    fn predicate_of(text: &str, count: &str) -> Option<String> {
        let start = text.find(count).expect("count in text");
        count_predicate(text, start, start + count.len())
    }

    #[test]
    fn count_predicates_stop_at_the_sentence_before() {
        let text = "Two other officers were wounded. All three officers were flown to a hospital.";
        assert_eq!(predicate_of(text, "All three officers"), None);
        let text = "The gunman wounded three officers.";
        assert_eq!(
            predicate_of(text, "three officers").as_deref(),
            Some("injured")
        );
    }

    #[test]
    fn count_predicates_stay_in_their_clause() {
        let text = "The gunman opened fire, killing four people and wounding at least two others.";
        assert_eq!(predicate_of(text, "four people").as_deref(), Some("killed"));
        assert_eq!(
            predicate_of(text, "at least two others").as_deref(),
            Some("injured")
        );
        let text = "Police said he shot two men who later died.";
        assert_eq!(predicate_of(text, "two men").as_deref(), Some("killed"));
        let text = "Four people were killed and two others were wounded.";
        assert_eq!(predicate_of(text, "Four people").as_deref(), Some("killed"));
        assert_eq!(predicate_of(text, "two others").as_deref(), Some("injured"));
        // No verb before it: past "and", the verb after still counts.
        let text = "Investigators said three people and others were wounded.";
        assert_eq!(
            predicate_of(text, "three people").as_deref(),
            Some("injured")
        );
    }

    /// The claims of one attribute that the whole pipeline makes of `text`.
    fn claims_of(text: &str, attribute: &str) -> Vec<Claim> {
        let doc = crate::diff::document("a.txt", text);
        crate::pipeline::analyze(&doc)
            .claims
            .into_iter()
            .filter(|c| c.attribute == attribute)
            .collect()
    }

    fn counts_of(text: &str) -> Vec<String> {
        claims_of(text, "count")
            .into_iter()
            .map(|c| format!("{} {}", c.value, c.facet.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn one_sentence_with_two_counts_of_one_thing_gives_neither() {
        assert_eq!(
            counts_of("Police said four people were wounded in the shooting on Friday."),
            ["4 person injured"]
        );
        assert!(counts_of(
            "Four people were wounded on Friday, a block from where five people were wounded in December."
        )
        .is_empty());
        // Different things counted in one sentence stay.
        assert_eq!(
            counts_of("Two people were killed and three people were wounded on Friday."),
            ["2 person killed", "3 person injured"]
        );
    }

    fn ages_of(text: &str) -> Vec<String> {
        claims_of(text, "age")
            .into_iter()
            .map(|c| format!("{}={} [{}]", c.subject, c.value, c.text))
            .collect()
    }

    #[test]
    fn ages_are_read_next_to_a_full_name() {
        assert_eq!(
            ages_of("Jane Doe, 24, of Chicago was shot on Friday."),
            ["Jane Doe=24 [24]"]
        );
        assert_eq!(
            ages_of("Police identified the victim as Jane Doe, 24."),
            ["Jane Doe=24 [24]"]
        );
        assert_eq!(
            ages_of("Police said 25-year-old Jane Doe was shot on Friday."),
            ["Jane Doe=25 [25-year-old]"]
        );
        assert_eq!(
            ages_of("Police said a 25-year-old man, Jane Doe, was shot."),
            ["Jane Doe=25 [25-year-old]"]
        );
        assert_eq!(
            ages_of("The victim, Jane Doe (31), died at the scene."),
            ["Jane Doe=31 [31]"]
        );
        assert_eq!(
            ages_of("The victim, Jane Doe, aged 31, died at the scene."),
            ["Jane Doe=31 [31]"]
        );
        assert_eq!(
            ages_of("The victim, Jane Doe, a 31-year-old from Gary, died."),
            ["Jane Doe=31 [31-year-old]"]
        );
        assert_eq!(
            ages_of("\"He knew how to give it back tenfold,\" Beth Krut, 47, said."),
            ["Beth Krut=47 [47]"]
        );
        assert_eq!(
            ages_of("The victim was identified as Nina Cook, 28 years old."),
            ["Nina Cook=28 [28]"]
        );
        // The name after a nickname is a tail that may be a relative's.
        assert_eq!(
            ages_of("Jane Roe, 32, and Leroy \"LJ\" Rutherford Friedel, 3, died."),
            ["Jane Roe=32 [32]"]
        );
    }

    #[test]
    fn numbers_after_a_name_that_are_no_age_give_no_claim() {
        for text in [
            "Officer John Smith, 24 years on the force, retired on Friday.",
            "Police said John Smith, 1,200 people attended.",
            "The ballots went to John Smith, 2.5 percent to others.",
            "Police said Jane Doe's son, 24, was shot on Friday.",
            "Police said a 25-year-old man, John Smith said, was shot.",
            "The family of Jane Doe, a 30-year-old case, spoke on Friday.",
            "Police said Smith, 24, was shot on Friday.",
            "Jane Doe lives at 45 Main Street in Chicago.",
            "Jane Doe, 130, was named on Friday.",
            "A 25-year-old Jane Doe's car was shot on Friday.",
            "They are 44-year-old Officer Omar Cannon, 32-year-old Officer Misty Roe.",
            "Officials say 26-year-old Jeremy John Contreras, 36, died.",
        ] {
            assert_eq!(ages_of(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn only_the_listed_characters_lower_case_to_ascii() {
        for c in ('\u{80}'..=char::MAX).filter(|c| c.to_lowercase().any(|l| l.is_ascii())) {
            assert!(LOWERS_TO_ASCII.contains(&c), "{c:?}");
        }
    }

    #[test]
    fn word_lists_match_without_lower_casing_the_text() {
        let m = aggregate_or_perpetrator();
        let lists: &[&[&str]] = &[AGGREGATES, PERPETRATOR];
        for hay in [
            "Two SEPARATE Shootings",
            "killed five, then Himself.",
            "including the attac\u{212A}er",
            "\u{130}ncidents",
            "Five dead in Zürich so far",
            "nothing here",
        ] {
            let lower = hay.to_lowercase();
            let want = lists.iter().any(|l| l.iter().any(|w| lower.contains(w)));
            assert_eq!(contains_lower(hay, m, lists), want, "{hay}");
        }
    }

    #[test]
    fn clause_words_are_the_words_of_the_clause_cut_first() {
        let pieces = [
            " ", "  ", "\n", "\u{a0}", ".", ";", ":", ",", "..", "killed", "were", "Five", "é",
            "3.5", "x:", ".a", "a.", "\u{201d}",
        ];
        let mut next = crate::text::testing::xorshift(11);
        for _ in 0..20_000 {
            let after = crate::text::testing::soup(&mut next, &pieces, 16);
            let clause = after.split(['.', ';', ':']).next().unwrap_or("");
            let want: Vec<&str> = clause.split_whitespace().collect();
            assert_eq!(clause_words(&after).collect::<Vec<_>>(), want, "{after:?}");
        }
    }

    #[test]
    fn claims_sort_as_a_stable_sort_by_position_attribute_and_value() {
        let doc = crate::report::sarif::fixture::document("d", None, "Two calls on Friday.");
        let base = crate::report::sarif::fixture::claim(&doc, "Friday", "x");
        let mut next = crate::text::testing::xorshift(3);
        for n in 0..60 {
            let mut claims = Vec::new();
            for k in 0..n {
                let r = (next() >> 33) as usize;
                let mut c = base.clone();
                c.start = r % 4;
                c.end = c.start + (r >> 2) % 2;
                c.attribute = ["date", "count"][(r >> 3) % 2].to_string();
                c.value = ["1", "2", "3"][(r >> 4) % 3].to_string();
                // Tells equal keys apart: a stable sort keeps their order.
                c.subject = k.to_string();
                claims.push(c);
            }
            let mut want = claims.clone();
            want.sort_by(|a, b| {
                (a.start, a.end, &a.attribute, &a.value).cmp(&(
                    b.start,
                    b.end,
                    &b.attribute,
                    &b.value,
                ))
            });
            sort_claims(&mut claims);
            assert_eq!(claims, want, "{n}");
        }
    }

    #[test]
    fn fast_word_splits_agree_with_split_whitespace() {
        let pieces = [
            " ", "  ", "\n", "\t", "\u{b}", "\u{a0}", "\u{2009}", "\u{3000}", ".", ",", "ab",
            "Killed", "é", "\u{201d}", "\u{212A}", "x.", "Zürich",
        ];
        let mut next = crate::text::testing::xorshift(29);
        for _ in 0..20_000 {
            let text = crate::text::testing::soup(&mut next, &pieces, 12);
            let want: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(Words::of(&text).collect::<Vec<_>>(), want, "{text:?}");
            let mut rev = text.split_whitespace().rev();
            assert_eq!(last_words::<1>(&text), [rev.next()], "{text:?}");
            let mut rev = text.split_whitespace().rev();
            assert_eq!(last_words::<2>(&text), [rev.next(), rev.next()], "{text:?}");
            for w in text.split_whitespace() {
                // The general path `clean_word` takes for non-ASCII words.
                let slow = w.trim_matches(|c: char| !c.is_alphanumeric());
                let slow = if slow
                    .bytes()
                    .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
                {
                    slow.to_lowercase()
                } else {
                    slow.to_string()
                };
                assert_eq!(clean_word(w), slow, "{w:?}");
            }
        }
    }

    #[test]
    fn the_word_list_regex_matches_as_a_lower_cased_search() {
        let m = aggregate_or_perpetrator();
        let lists: &[&[&str]] = &[AGGREGATES, PERPETRATOR];
        let pieces = [
            " ",
            "SHOOT",
            "ings",
            "Attacks",
            "so",
            "far",
            "So Far",
            "in ",
            "TOTAL",
            "him",
            "Self",
            "including the ",
            "Gunman",
            "é",
            "\u{212A}",
            "\u{130}",
            "x",
            "separate",
            "pair of",
        ];
        let mut next = crate::text::testing::xorshift(31);
        for _ in 0..20_000 {
            let hay = crate::text::testing::soup(&mut next, &pieces, 8);
            let lower = hay.to_lowercase();
            let want = lists.iter().any(|l| l.iter().any(|w| lower.contains(w)));
            assert_eq!(contains_lower(&hay, m, lists), want, "{hay:?}");
        }
    }

    #[test]
    fn one_walk_places_claims_as_the_line_index_does() {
        let doc = crate::report::sarif::fixture::document("d", None, "Two calls on Friday.");
        let base = crate::report::sarif::fixture::claim(&doc, "Friday", "x");
        let pieces = ["a", "bc ", "\n", "\n\n", "é", "“q”", " ", "\r\n"];
        let mut next = crate::text::testing::xorshift(37);
        for _ in 0..3_000 {
            let text = crate::text::testing::soup(&mut next, &pieces, 30);
            let index = LineIndex::new(&text);
            // Starts in order, some inside a character or past the end,
            // and a few out of order.
            let mut starts: Vec<usize> = (0..(next() % 8))
                .map(|_| (next() % (text.len() as u64 + 3)) as usize)
                .collect();
            starts.sort_unstable();
            if next() % 4 == 0 {
                starts.reverse();
            }
            let mut claims: Vec<Claim> = starts
                .iter()
                .map(|&start| {
                    let mut c = base.clone();
                    c.start = start;
                    c
                })
                .collect();
            place(&text, &mut claims);
            for c in &claims {
                assert_eq!(
                    (c.line, c.column),
                    index.line_col(&text, c.start),
                    "{text:?} at {}",
                    c.start
                );
            }
        }
    }

    #[test]
    fn ages_are_the_same_when_entities_come_out_of_order() {
        let texts = [
            "Jane Doe, 24, of Chicago was shot on Friday.",
            "Police said 25-year-old Jane Doe was shot on Friday.",
            "Police said a 25-year-old man, Jane Doe, was shot.",
            "Police said 25-year-old Jane Doe and John Smith, 30, were shot.",
            "Jane Doe (24) and 30-year-old John Smith met Mary Major, aged 51.",
        ];
        for text in texts {
            let doc = crate::diff::document("a.txt", text);
            let sentences = crate::segment::sentences(&doc);
            let ranges = crate::extract::ranges(&sentences);
            let entities = crate::extract::entity::extract_entities(text, &ranges);
            let quantities = crate::extract::quantity::extract_quantities(text, &ranges);
            let b = Builder {
                doc: &doc,
                fields: DocFields::of(&doc),
                sentences: &sentences,
                sentence_text: vec![std::cell::OnceCell::new(); sentences.len()],
            };
            let mut want = Vec::new();
            ages(&b, &entities, &quantities, &mut want);
            // A place at the end starting first: the people are listed and
            // sorted instead of searched for in the entities.
            let mut shuffled = entities.clone();
            let mut place = entities[0].clone();
            place.start = 0;
            place.kind = EntityKind::Place;
            shuffled.push(place);
            let mut got = Vec::new();
            ages(&b, &shuffled, &quantities, &mut got);
            assert_eq!(got, want, "{text}");
            assert!(!want.is_empty(), "{text}");
        }
    }

    #[test]
    fn hedge_names_are_their_serde_names() {
        use crate::extract::quantity::Hedge::*;
        for h in [Exact, About, AtLeast, MoreThan, UpTo, Nearly, FewerThan] {
            assert_eq!(serde_json::to_value(h).unwrap(), h.as_str());
        }
    }

    #[test]
    fn noun_class_merges_country_synonyms() {
        assert_eq!(noun_class("nation"), "country");
        assert_eq!(noun_class("country"), "country");
        assert_eq!(noun_class("troop"), "troop");
    }
}
