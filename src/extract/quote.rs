//! Direct quotes and who said them.
//!
//! Input: a document's text and its body ranges (paragraph or line blocks).
//! Output: every double-quoted span with its kind and, for statements, the
//! speaker and the pattern that attributed it.
//!
//! Decisions, so callers know what they get:
//! - Only double marks delimit quotes (`"`, `“ ”`, `„`, `« »`). Single marks and
//!   apostrophes (`'boots on the ground,'`, `We’re`) are content, so nested
//!   `‘...’` quotes never end the outer one. Outlets that quote with single
//!   marks only are not handled.
//! - A quote missing its closing mark ends at the end of its paragraph, unless
//!   the next range starts with an opening mark (a multi-paragraph quote
//!   reopens each paragraph and closes once) or the range looks hard-wrapped
//!   (single newline, no sentence-final punctuation). A quote never grows past
//!   [`MAX_QUOTE`] bytes: it is cut at its first sentence end instead.
//! - Kind: a quote is a [`QuoteKind::Fragment`] when it is a title after a
//!   possessive or "on"/"in" (`CNN's "State of the Union"`), or when it sits
//!   inside a sentence, has at most [`FRAGMENT_WORDS`] words and no
//!   attribution of its own (`a “gangster,”`, `“America First” lens`). A partial
//!   quote of more words inside a sentence (`X said it would not "go after any
//!   other European countries"`) is a statement by the subject of the sentence's
//!   speech verb (how = "partial"), or by X in "according to X".
//! - Pronoun speakers: "he"/"she" resolve to a named person (capitalised name
//!   with evidence of being a person: honorific or title, known given name, or
//!   subject of a speech verb), preferring, in this order, within the current and
//!   previous paragraph: a speech-verb subject, a person whose gender is known to
//!   match, a person of unknown gender; then the same over the whole preceding
//!   text. Gender comes from honorifics anywhere in the document (Ms. Fix) and
//!   from given names (rules/lexicon/pronouns.txt). "they"/"it" resolve to the
//!   last speech-verb subject in the current or previous paragraph.
//!   A sentence opening with He/She also tells the gender of the first person
//!   named in the sentence before. An unknown-gender person outside the window
//!   is not used: `resolved` stays None rather than guessing.
//! - `resolved` holds the fullest form of the name written before the speaker
//!   ("Lavrov" -> "Sergey Lavrov", "she" -> "Liana Fix"); None when the speaker
//!   text already is a full name or nothing fits.
//! - A quote with no attribution of its own that starts a sentence goes on with
//!   the previous statement's speaker when at most one sentence (the previous
//!   attribution) lies between them, in the same paragraph ("continuation") or
//!   at the start of the next one ("paragraph-continuation"); the speaker's
//!   span then points at the earlier words.
//! - A short quote (at most [`FRAGMENT_WORDS`] words) right after a speech verb
//!   without colon or comma is a statement only when it ends the sentence
//!   (`Lapatin said “it could be.”`), otherwise a phrase (`Whelan said “turf
//!   issues” involving ...`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

const VERBS_TXT: &str = include_str!("../../rules/lexicon/speech-verbs.txt");
const PRONOUNS_TXT: &str = include_str!("../../rules/lexicon/pronouns.txt");

/// Longest quote kept whole, in bytes; longer ones are unbalanced marks.
pub const MAX_QUOTE: usize = 3000;
/// Quotes of at most this many words inside a sentence, with no attribution of
/// their own, are phrases (scare quotes, labels), not statements.
pub const FRAGMENT_WORDS: usize = 4;
/// How far back (in tokens or mentions) the attribution searches look: keeps
/// every quote's work bounded, so the whole pass stays linear.
const LOOKBACK: usize = 400;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Statement,
    Fragment,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    /// The words naming the speaker as written ("Russian Foreign Minister
    /// Sergey Lavrov", "a senior administration official", "she").
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The personal name inside `text` ("Sergey Lavrov"), when there is one.
    pub name: Option<String>,
    /// For pronouns and short forms: the fullest earlier form of the name.
    pub resolved: Option<String>,
    /// Which pattern attributed the quote: "quote-said-x", "quote-x-said",
    /// "quote-pronoun-said", "x-said-quote", "partial", "according-to",
    /// "continuation", "paragraph-continuation".
    pub how: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// Byte span of the quoted words inside the marks.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: QuoteKind,
    pub speaker: Option<Speaker>,
}

// ---------------------------------------------------------------------------
// Lexicon

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    M,
    F,
    /// they, it
    N,
    /// I, we: never resolved
    First,
}

struct Lexicon {
    phrases: Vec<Vec<&'static str>>,
    given: HashMap<&'static str, Gender>,
    /// Speech verbs, pronouns, honorifics and the word lists below with
    /// their class bits ([`VERB`] ...) and genders, so each token needs one
    /// look-up instead of one per list.
    classes: WordTable,
    org_words: HashSet<&'static [u8]>,
    /// By the lower-cased first byte of an org word, a bit for its length:
    /// most words of a name are turned away by one load.
    org_shapes: [u32; 256],
}

// Word classes of a token's lower-cased form, one bit each.
const VERB: u32 = 1;
const PRONOUN: u32 = 1 << 1;
const HONORIFIC: u32 = 1 << 2;
const TITLE: u32 = 1 << 3;
const SENTENCE_CAP: u32 = 1 << 4;
const PARTICLE: u32 = 1 << 5;
const MODIFIER: u32 = 1 << 6;
// Bits of the token itself, set by `tokenize`.
/// `is_cap` of the raw word.
const CAP: u32 = 1 << 7;
/// The raw word is its own lower case.
const LOWER: u32 = 1 << 8;
/// `strip_possessive` of the raw word strips something.
const POSSESSIVE: u32 = 1 << 9;
/// The word is ASCII and one of [`ORG_WORDS`] ignoring case
/// ([`Lexicon::is_org_word`]); set by the look-up, cleared by `tokenize`
/// for the other words.
const ORG: u32 = 1 << 10;
/// Where the gender of a pronoun / honorific sits (two bits each).
const PRONOUN_GENDER: u32 = 16;
const HONORIFIC_GENDER: u32 = 18;

fn gender_bits(g: Gender) -> u32 {
    match g {
        Gender::M => 0,
        Gender::F => 1,
        Gender::N => 2,
        Gender::First => 3,
    }
}

fn gender_of(flags: u32, shift: u32) -> Gender {
    match (flags >> shift) & 3 {
        0 => Gender::M,
        1 => Gender::F,
        2 => Gender::N,
        _ => Gender::First,
    }
}

/// A fixed set of words with a value each, for the one look-up per token:
/// open addressing over a hash of the length and three bytes, which costs a
/// fraction of hashing the whole word, and most words miss on an empty slot.
struct WordTable {
    /// Index + 1 into `entries`; 0 is an empty slot.
    slots: Vec<u16>,
    entries: Vec<(&'static str, u32)>,
    /// By the low five bits of the first and of the last byte together
    /// ([`WordTable::pair`]), a bit for each length (capped at 31) of the
    /// words stored: one load turns a word away before hashing and probing.
    /// (By first and by last byte apart, seven words in ten of GVA's
    /// passed, three of them found.)
    pairs: [u32; 1 << 10],
}

impl WordTable {
    const BITS: u32 = 12;

    fn slot(w: &[u8]) -> usize {
        (super::lexicon::shape_hash(w) >> (32 - Self::BITS)) as usize
    }

    fn new(words: &HashMap<&'static str, u32>) -> WordTable {
        let mut entries: Vec<(&'static str, u32)> = words.iter().map(|(w, v)| (*w, *v)).collect();
        // Deterministic layout whatever the map's iteration order.
        entries.sort_unstable();
        let mask = (1usize << Self::BITS) - 1;
        let mut slots = vec![0u16; 1 << Self::BITS];
        for (k, (w, _)) in entries.iter().enumerate() {
            let mut i = Self::slot(w.as_bytes());
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = u16::try_from(k + 1).unwrap_or(u16::MAX);
        }
        let mut pairs = [0u32; 1 << 10];
        for (w, _) in &entries {
            let b = w.as_bytes();
            if let (Some(&a), Some(&z)) = (b.first(), b.last()) {
                pairs[Self::pair(a, z)] |= Self::length_bit(b.len());
            }
        }
        WordTable {
            slots,
            entries,
            pairs,
        }
    }

    /// The index in `pairs` of a word's first and last byte: their low
    /// five bits, which tell the lower-case letters apart (bytes that share
    /// them share a slot, which only lets more words through). Always below
    /// the array's length, so its bounds check goes away.
    #[inline]
    fn pair(a: u8, z: u8) -> usize {
        (usize::from(a & 31) << 5) | usize::from(z & 31)
    }

    fn length_bit(len: usize) -> u32 {
        1 << len.min(31)
    }

    #[cfg(test)]
    fn get(&self, w: &str) -> u32 {
        self.get_bytes(w.as_bytes())
    }

    #[inline]
    fn get_bytes(&self, w: &[u8]) -> u32 {
        let (Some(&a), Some(&z)) = (w.first(), w.last()) else {
            return 0;
        };
        let bit = Self::length_bit(w.len());
        if self
            .pairs
            .get(Self::pair(a, z))
            .is_none_or(|&p| p & bit == 0)
        {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let mut i = Self::slot(w);
        loop {
            let e = usize::from(self.slots[i]);
            let Some(&(word, v)) = e.checked_sub(1).and_then(|e| self.entries.get(e)) else {
                return 0;
            };
            // Byte by byte: words are short, and `==` calls `memcmp`.
            let word = word.as_bytes();
            if word.len() == w.len() && word.iter().zip(w).all(|(a, b)| a == b) {
                return v;
            }
            i = (i + 1) & mask;
        }
    }
}

impl Lexicon {
    /// Whether `w` is one of [`ORG_WORDS`], ignoring ASCII case, without
    /// allocating: those words are ASCII and at most 16 bytes long.
    fn is_org_word(&self, w: &[u8]) -> bool {
        let mut buf = [0u8; 16];
        let Some(b) = buf.get_mut(..w.len()) else {
            return false;
        };
        let Some(&first) = w.first() else {
            return false;
        };
        if self.org_shapes[usize::from(first.to_ascii_lowercase())] & (1 << w.len()) == 0 {
            return false;
        }
        if !w.is_ascii() {
            return false;
        }
        for (l, c) in b.iter_mut().zip(w) {
            *l = c.to_ascii_lowercase();
        }
        self.org_words.contains(&*b)
    }

    /// Whether a whitespace-separated word of `s` is one of [`ORG_WORDS`]:
    /// the oracle of `Doc::name_walk`, which asks the [`ORG`] bits of the
    /// name's tokens instead.
    #[cfg(test)]
    fn has_org_word(&self, s: &str) -> bool {
        if s.is_ascii() {
            // `split_whitespace` on ASCII text, without decoding.
            s.as_bytes()
                .split(|b| matches!(b, b' ' | b'\t'..=b'\r'))
                .any(|w| !w.is_empty() && self.is_org_word(w))
        } else {
            s.split_whitespace().any(|w| self.is_org_word(w.as_bytes()))
        }
    }
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut verbs = HashSet::default();
        let mut phrases = Vec::new();
        for line in data_lines(VERBS_TXT) {
            if line.contains(' ') {
                phrases.push(line.split_whitespace().collect());
            } else {
                verbs.insert(line);
            }
        }
        let mut pronouns = HashMap::default();
        let mut honorifics = HashMap::default();
        let mut given = HashMap::default();
        for line in data_lines(PRONOUNS_TXT) {
            let mut f = line.split_whitespace();
            let (Some(word), Some(role), Some(g)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let g = match g {
                "m" => Gender::M,
                "f" => Gender::F,
                "n" => Gender::N,
                _ => Gender::First,
            };
            match role {
                "pronoun" => pronouns.insert(word, g),
                "honorific" => honorifics.insert(word, g),
                _ => given.insert(word, g),
            };
        }
        let mut classes: HashMap<&'static str, u32> = HashMap::default();
        // (Filled below, then frozen into a `WordTable`.)
        let mut add = |words: &mut dyn Iterator<Item = &'static str>, bits: u32| {
            for w in words {
                *classes.entry(w).or_insert(0) |= bits;
            }
        };
        add(&mut verbs.iter().copied(), VERB);
        add(&mut TITLE_WORDS.iter().copied(), TITLE);
        add(&mut SENTENCE_CAPS.iter().copied(), SENTENCE_CAP);
        add(&mut PARTICLES.iter().copied(), PARTICLE);
        add(&mut MODIFIER_NOUNS.iter().copied(), MODIFIER);
        add(&mut ORG_WORDS.iter().copied(), ORG);
        for (w, g) in &pronouns {
            add(
                &mut std::iter::once(*w),
                PRONOUN | gender_bits(*g) << PRONOUN_GENDER,
            );
        }
        for (w, g) in &honorifics {
            add(
                &mut std::iter::once(*w),
                HONORIFIC | gender_bits(*g) << HONORIFIC_GENDER,
            );
        }
        Lexicon {
            phrases,
            given,
            classes: WordTable::new(&classes),
            org_words: ORG_WORDS.iter().map(|w| w.as_bytes()).collect(),
            org_shapes: {
                let mut shapes = [0u32; 256];
                for w in ORG_WORDS {
                    if let Some(&first) = w.as_bytes().first().filter(|_| w.len() <= 16) {
                        shapes[usize::from(first.to_ascii_lowercase())] |= 1 << w.len();
                    }
                }
                shapes
            },
        }
    })
}

/// Words that can precede a personal name as a title or role: they belong to
/// the speaker's noun phrase but not to the name.
const TITLE_WORDS: &[&str] = &[
    "acting",
    "adm.",
    "admiral",
    "adviser",
    "advisor",
    "affairs",
    "agent",
    "ambassador",
    "american",
    "army",
    "assistant",
    "associate",
    "attorney",
    "australian",
    "british",
    "canadian",
    "capt.",
    "captain",
    "ceo",
    "chair",
    "chairman",
    "chairwoman",
    "chancellor",
    "chief",
    "chinese",
    "cmdr.",
    "col.",
    "colonel",
    "commander",
    "commission",
    "commissioner",
    "congressman",
    "congresswoman",
    "coach",
    "council",
    "councilman",
    "councilwoman",
    "county",
    "cpl.",
    "dame",
    "defence",
    "defense",
    "democrat",
    "democratic",
    "deputy",
    "det.",
    "detective",
    "director",
    "district",
    "dr.",
    "economy",
    "energy",
    "envoy",
    "eu",
    "european",
    "executive",
    "finance",
    "finnish",
    "fire",
    "foreign",
    "former",
    "french",
    "gen.",
    "general",
    "german",
    "gop",
    "gov.",
    "governor",
    "health",
    "home",
    "hon.",
    "house",
    "indian",
    "interior",
    "iranian",
    "israeli",
    "italian",
    "japanese",
    "judge",
    "justice",
    "king",
    "lady",
    "leader",
    "lord",
    "lt.",
    "lieutenant",
    "maj.",
    "major",
    "majority",
    "mayor",
    "member",
    "minister",
    "minority",
    "miss",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "national",
    "nato",
    "officer",
    "pastor",
    "police",
    "polish",
    "pope",
    "premier",
    "president",
    "press",
    "prime",
    "prof.",
    "professor",
    "prosecutor",
    "pvt.",
    "queen",
    "rep.",
    "representative",
    "republican",
    "rev.",
    "reverend",
    "russian",
    "secretary",
    "security",
    "sen.",
    "senate",
    "senator",
    "senior",
    "sergeant",
    "sgt.",
    "sheriff",
    "sir",
    "spanish",
    "speaker",
    "special",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "staff",
    "state",
    "superintendent",
    "supt.",
    "trade",
    "treasury",
    "trooper",
    "turkish",
    "u.k.",
    "u.n.",
    "u.s.",
    "uk",
    "ukrainian",
    "un",
    "us",
    "vice",
    "whip",
    "white",
];

/// Capitalised words that start sentences or clauses and are never names.
const SENTENCE_CAPS: &[&str] = &[
    "a",
    "authorities",
    "deputies",
    "detectives",
    "investigators",
    "neighbors",
    "officers",
    "officials",
    "prosecutors",
    "residents",
    "sources",
    "witnesses",
    "all",
    "both",
    "many",
    "most",
    "several",
    "some",
    "after",
    "also",
    "an",
    "and",
    "april",
    "as",
    "asked",
    "at",
    "august",
    "before",
    "but",
    "december",
    "during",
    "earlier",
    "february",
    "for",
    "friday",
    "from",
    "however",
    "if",
    "in",
    "instead",
    "it",
    "january",
    "july",
    "june",
    "last",
    "later",
    "march",
    "may",
    "meanwhile",
    "monday",
    "now",
    "november",
    "october",
    "on",
    "once",
    "saturday",
    "september",
    "separately",
    "so",
    "speaking",
    "still",
    "sunday",
    "that",
    "the",
    "then",
    "there",
    "this",
    "thursday",
    "today",
    "tuesday",
    "wednesday",
    "when",
    "while",
    "with",
    "yesterday",
    "yet",
];

/// Words that make a capitalised phrase an organisation or place, never a
/// person's name.
const ORG_WORDS: &[&str] = &[
    "academy",
    "administration",
    "agency",
    "airport",
    "army",
    "association",
    "authority",
    "bank",
    "board",
    "bureau",
    "center",
    "centre",
    "church",
    "city",
    "club",
    "coalition",
    "college",
    "commission",
    "committee",
    "company",
    "congress",
    "corp",
    "corp.",
    "corporation",
    "council",
    "county",
    "court",
    "department",
    "district",
    "embassy",
    "force",
    "forces",
    "foundation",
    "government",
    "group",
    "hall",
    "hospital",
    "house",
    "inc",
    "inc.",
    "institute",
    "league",
    "ministry",
    "navy",
    "network",
    "news",
    "office",
    "parliament",
    "party",
    "police",
    "post",
    "press",
    "school",
    "senate",
    "service",
    "services",
    "society",
    "station",
    "street",
    "times",
    "union",
    "university",
];

const PARTICLES: &[&str] = &[
    "al", "bin", "da", "de", "del", "della", "der", "di", "dos", "du", "ibn", "la", "le", "van",
    "von",
];

const DETERMINERS: &[&str] = &[
    "a", "an", "another", "both", "eight", "five", "four", "her", "his", "its", "many", "nine",
    "one", "several", "seven", "six", "some", "ten", "the", "their", "three", "two",
];

/// Words that end a noun phrase being read.
const NP_STOP: &[&str] = &[
    "adding",
    "and",
    "as",
    "because",
    "but",
    "if",
    "or",
    "referring",
    "saying",
    "so",
    "than",
    "that",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
];

const PREPOSITIONS: &[&str] = &[
    "about", "after", "at", "before", "by", "during", "for", "from", "in", "into", "of", "on",
    "over", "since", "through", "to", "under", "with", "without",
];

/// Adverbs and auxiliaries allowed between a speaker and the speech verb.
const ADVERBS: &[&str] = &[
    "again",
    "also",
    "did",
    "does",
    "earlier",
    "finally",
    "further",
    "had",
    "has",
    "have",
    "later",
    "once",
    "previously",
    "publicly",
    "recently",
    "repeatedly",
    "reportedly",
    "then",
    "would",
];

/// Nouns after a name that make the name a modifier ("Trump administration"),
/// not a mention of the person.
const MODIFIER_NOUNS: &[&str] = &[
    "administration",
    "aide",
    "aides",
    "allies",
    "camp",
    "campaign",
    "doctrine",
    "era",
    "family",
    "government",
    "officials",
    "presidency",
    "regime",
    "team",
];

const AUXILIARIES: &[&str] = &[
    "are", "be", "been", "being", "is", "was", "were", "will", "can", "could", "should", "may",
    "might", "must", "do", "does", "did", "not",
];

fn is_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

fn is_opening_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '„' | '«')
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_acronym(w: &str) -> bool {
    // ASCII bytes without decoding, the rest by char.
    let mut letters = 0;
    let mut ascii = 0;
    for &b in w.as_bytes() {
        if !b.is_ascii() {
            break;
        }
        if b.is_ascii_lowercase() {
            return false;
        }
        letters += usize::from(b.is_ascii_uppercase());
        ascii += 1;
    }
    for c in w[ascii..].chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

fn strip_possessive(w: &str) -> (&str, bool) {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            if !stem.is_empty() {
                return (stem, true);
            }
        }
    }
    (w, false)
}

/// Sorted (byte order) for binary search.
const ABBREVIATIONS: &[&str] = &[
    "Adm", "Ala", "Ariz", "Atty", "Aug", "Brig", "Calif", "Capt", "Cmdr", "Co", "Col", "Colo",
    "Conn", "Corp", "Cpl", "Dec", "Del", "Det", "Dr", "Feb", "Fla", "Ft", "Ga", "Gen", "Gov",
    "Hon", "Ill", "Inc", "Ind", "Insp", "Jan", "Jr", "Kan", "Ky", "La", "Lt", "Ltd", "Maj", "Mass",
    "Md", "Mich", "Minn", "Mo", "Mr", "Mrs", "Ms", "Mt", "Neb", "Nev", "Nov", "Oct", "Okla", "Ore",
    "Prof", "Pvt", "Rep", "Reps", "Rev", "Sen", "Sens", "Sept", "Sgt", "Sr", "St", "Supt", "Tenn",
    "Va", "Wash", "Wis", "vs",
];

/// The length of the longest of [`ABBREVIATIONS`]: most words before a
/// period are longer, and need no search.
const ABBREVIATION_MAX: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        if ABBREVIATIONS[i].len() > max {
            max = ABBREVIATIONS[i].len();
        }
        i += 1;
    }
    max
};

/// Whether an abbreviation can start with each byte: the search below is
/// skipped for most words before a period (lower-case sentence ends).
static ABBREVIATION_FIRST: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        t[ABBREVIATIONS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    t
};

/// [`is_abbreviation`] of a run of ASCII letters and digits (no period to
/// look for, no char to decode), for the tokenizer's common word.
fn is_plain_abbreviation(w: &[u8]) -> bool {
    match w {
        [] => false,
        [c] if c.is_ascii_uppercase() => true,
        [c, ..] => {
            w.len() <= ABBREVIATION_MAX
                && ABBREVIATION_FIRST[usize::from(*c)]
                && ABBREVIATIONS
                    .binary_search_by(|a| a.as_bytes().cmp(w))
                    .is_ok()
        }
    }
}

fn is_abbreviation(w: &str) -> bool {
    let mut chars = w.chars();
    let single_capital =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    single_capital
        || (w.contains('.') && w.chars().any(char::is_alphabetic))
        || (w.len() <= ABBREVIATION_MAX && ABBREVIATIONS.binary_search(&w).is_ok())
}

// ---------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq)]
struct Tok {
    start: usize,
    end: usize,
    range: usize,
    word: bool,
    in_quote: bool,
    /// Span of the lower-cased word in `Doc::lower`.
    lo: usize,
    hi: usize,
    /// Class bits of the word ([`VERB`], [`CAP`], ...); 0 for punctuation.
    flags: u32,
}

impl Tok {
    /// A punctuation mark of `len` bytes at `start`, in range `range`.
    #[inline]
    fn punctuation(start: usize, len: usize, range: usize) -> Tok {
        Tok {
            start,
            end: start + len,
            range,
            word: false,
            in_quote: false,
            lo: start,
            hi: start,
            flags: 0,
        }
    }
}

/// The character at byte `i` of `s` and its length: ASCII without decoding.
#[inline]
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

const ALNUM_BYTE: u8 = 1;
const UPPER_BYTE: u8 = 2;
/// ASCII whitespace, as `char::is_whitespace` sees it.
const SPACE_BYTE: u8 = 4;
/// A byte a word may go on through, or that needs decoding: `.`, `'`,
/// `-`, `&` and every non-ASCII byte.
const JOIN_BYTE: u8 = 8;

/// The classes of each byte ([`ALNUM_BYTE`] ...), one load per byte in
/// the word loop instead of several range tests.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() {
            t[i] |= ALNUM_BYTE;
        }
        if b.is_ascii_uppercase() {
            t[i] |= UPPER_BYTE;
        }
        if matches!(b, b' ' | b'\t'..=b'\r') {
            t[i] |= SPACE_BYTE;
        }
        if !b.is_ascii() || matches!(b, b'.' | b'\'' | b'-' | b'&') {
            t[i] |= JOIN_BYTE;
        }
        i += 1;
    }
    t
};

/// The words and punctuation marks of `ranges`, and the text lower-cased
/// (ASCII only, so byte offsets and char boundaries are the text's: an
/// ASCII word's lower case is the same span of it, with no copy per token;
/// words with other letters get their Unicode lower case appended after
/// the text).
#[cfg(test)]
fn tokenize(text: &str, ranges: &[Range<usize>], lex: &Lexicon) -> (Vec<Tok>, String) {
    // About one token per five bytes of news text; one per four leaves room
    // for the denser texts (one in six GVA texts outgrew a fifth, and each
    // growth copied the whole vector).
    let mut toks = Vec::with_capacity(text.len() / 4 + 1);
    let mut lower = text.to_ascii_lowercase();
    for (ri, r) in ranges.iter().enumerate() {
        tokenize_range(text, r.clone(), ri, lex, &mut toks, &mut lower);
    }
    (toks, lower)
}

/// The tokens of range `ri` (`r`), appended to `toks`. The common word, a
/// run of ASCII letters and digits that ends at an ASCII byte which never
/// joins (a space, a comma), is read here with few live values; every
/// other word goes to [`slow_word`], out of line (with them inline, the
/// loop's registers were spilled, at about 240 instructions a word).
#[inline]
fn tokenize_range(
    text: &str,
    r: Range<usize>,
    ri: usize,
    lex: &Lexicon,
    toks: &mut Vec<Tok>,
    lower: &mut String,
) {
    let Some(s) = text.get(r.clone()) else {
        return;
    };
    let b = s.as_bytes();
    let mut off = 0;
    while let Some(&x) = b.get(off) {
        let k = BYTE_CLASS[usize::from(x)];
        if k & ALNUM_BYTE == 0 {
            if k & SPACE_BYTE != 0 {
                off += 1;
            } else if x < 0x80 {
                toks.push(Tok::punctuation(r.start + off, 1, ri));
                off += 1;
            } else {
                off = non_ascii_token(s, r.start, off, ri, lex, toks, lower);
            }
            continue;
        }
        let mut end = off + 1;
        let mut seen = k;
        while let Some(&y) = b.get(end) {
            let ky = BYTE_CLASS[usize::from(y)];
            if ky & ALNUM_BYTE == 0 {
                break;
            }
            seen |= ky;
            end += 1;
        }
        if b.get(end)
            .is_some_and(|&y| BYTE_CLASS[usize::from(y)] & JOIN_BYTE != 0)
            && plain_end(s, off, end).map(|e| end = e).is_none()
        {
            // The word may go on ("U.S", "don't", "Jean-Pierre", "é") or
            // take an abbreviation's period: read again, fully.
            let (t, e) = slow_word(s, r.start, off, ri, char::from(x), 1, lex, lower);
            toks.push(t);
            off = e;
        } else {
            let (lo, hi) = (r.start + off, r.start + end);
            let mut flags = lower
                .as_bytes()
                .get(lo..hi)
                .map_or(0, |lw| lex.classes.get_bytes(lw));
            // No apostrophe, so never possessive; ASCII, so `is_uppercase`
            // is `is_ascii_uppercase`.
            if k & UPPER_BYTE != 0 {
                flags |= CAP;
            }
            if seen & UPPER_BYTE == 0 {
                flags |= LOWER;
            }
            toks.push(Tok {
                start: lo,
                end: hi,
                range: ri,
                word: true,
                in_quote: false,
                lo,
                hi,
                flags,
            });
            off = end;
        }
        // The space after most words, skipped here rather than by
        // another turn of the loop.
        if b.get(off) == Some(&b' ') {
            off += 1;
        }
    }
}

/// Where the ASCII word `s[off..end]` ends when the byte at `end` (one
/// [`JOIN_BYTE`]) is one of two common ends [`slow_word`] decides the
/// same way: a period before no letter or digit (it joins nothing, and ends
/// the word when it is an abbreviation's), or a mark of U+2010..=U+2027 but
/// ’ (a dash, “ ”, …: no letter, never joining). `None` for every other
/// byte, for `slow_word`.
#[inline(never)]
fn plain_end(s: &str, off: usize, end: usize) -> Option<usize> {
    let b = s.as_bytes();
    match b.get(end)? {
        b'.' => {
            let joins = b
                .get(end + 1)
                .is_some_and(|&a| a >= 0x80 || BYTE_CLASS[usize::from(a)] & ALNUM_BYTE != 0);
            if joins {
                return None;
            }
            // `s[off..end]` is ASCII letters and digits.
            Some(end + usize::from(is_plain_abbreviation(b.get(off..end)?)))
        }
        0xE2 => (b.get(end + 1) == Some(&0x80)
            && matches!(b.get(end + 2), Some(0x90..=0x98 | 0x9A..=0xA7)))
        .then_some(end),
        _ => None,
    }
}

/// The token starting with the non-ASCII byte at `off` of `s` (a range
/// starting at `base`), pushed unless it is whitespace; where reading goes
/// on.
#[inline(never)]
fn non_ascii_token(
    s: &str,
    base: usize,
    off: usize,
    ri: usize,
    lex: &Lexicon,
    toks: &mut Vec<Tok>,
    lower: &mut String,
) -> usize {
    let Some((c, len)) = char_at(s, off) else {
        return s.len();
    };
    if c.is_whitespace() {
        return off + len;
    }
    if !super::lexicon::is_alphanumeric(c) {
        toks.push(Tok::punctuation(base + off, len, ri));
        return off + len;
    }
    let (t, mut end) = slow_word(s, base, off, ri, c, len, lex, lower);
    toks.push(t);
    if s.as_bytes().get(end) == Some(&b' ') {
        end += 1;
    }
    end
}

/// The word starting with `c` (`len` bytes) at `off` of `s` (a range
/// starting at `base`), with every joining rule, and where it ends in `s`.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn slow_word(
    s: &str,
    base: usize,
    off: usize,
    ri: usize,
    c: char,
    len: usize,
    lex: &Lexicon,
    lower: &mut String,
) -> (Tok, usize) {
    let b = s.as_bytes();
    let mut end = off + len;
    let mut segment = off;
    // Upper-case ASCII letters seen, and whether any byte was not ASCII.
    let mut upper = c.is_ascii_uppercase();
    let mut ascii = len == 1;
    let mut seen = 0u8;
    loop {
        // The common case: no decoding, no look-ahead.
        let (e, k) = ascii_run(b, end);
        end = e;
        seen |= k;
        // Most words end at an ASCII byte that never joins (a
        // space, a comma): decided without decoding.
        if b.get(end)
            .is_some_and(|&y| BYTE_CLASS[usize::from(y)] & JOIN_BYTE == 0)
        {
            break;
        }
        let Some((c2, len2)) = char_at(s, end) else {
            break;
        };
        let o2 = end;
        let after = || char_at(s, o2 + len2).map(|(a, _)| a);
        // The run stopped at an ASCII byte only if it is no letter or digit.
        let alnum = !c2.is_ascii() && super::lexicon::is_alphanumeric(c2);
        let joins = if alnum {
            true
        } else if c2 == '.' {
            // "U.S", "10.5" join; "Cadillac.Demetrius" is a missing space.
            let single = s[segment..o2].chars().nth(1).is_none();
            after().is_some_and(|a| {
                a.is_numeric() || a.is_lowercase() || (single && a.is_alphabetic())
            })
        } else {
            matches!(c2, '\'' | '’' | '-' | '&') && after().is_some_and(char::is_alphanumeric)
        };
        if !joins {
            break;
        }
        if !alnum {
            segment = o2 + len2;
        }
        ascii &= len2 == 1;
        end = o2 + len2;
    }
    upper |= seen & UPPER_BYTE != 0;
    if b.get(end) == Some(&b'.') && is_abbreviation(&s[off..end]) {
        end += 1;
    }
    let (lo, hi, same_case) = if ascii {
        (base + off, base + end, !upper)
    } else {
        let word = &s[off..end];
        let lo = lower.len();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        let same = lower.get(lo..).is_some_and(|l| l == word);
        (lo, lower.len(), same)
    };
    let mut flags = lower
        .as_bytes()
        .get(lo..hi)
        .map_or(0, |lw| lex.classes.get_bytes(lw));
    if !ascii {
        // `is_org_word` takes ASCII words only.
        flags &= !ORG;
    }
    if c.is_uppercase() {
        flags |= CAP;
    }
    if same_case {
        flags |= LOWER;
    }
    // Only a word ending in s after ' or ’ (whose last byte is
    // 0x99) can be possessive.
    if matches!(b.get(end.wrapping_sub(1)), Some(b's' | b'S'))
        && matches!(b.get(end.wrapping_sub(2)), Some(b'\'' | 0x99))
        && strip_possessive(&s[off..end]).1
    {
        flags |= POSSESSIVE;
    }
    let t = Tok {
        start: base + off,
        end: base + end,
        range: ri,
        word: true,
        in_quote: false,
        lo,
        hi,
        flags,
    };
    (t, end)
}

/// The end of the run of ASCII letters and digits of `b` from `from`, and
/// the [`BYTE_CLASS`] bits of its bytes together.
fn ascii_run(b: &[u8], from: usize) -> (usize, u8) {
    let mut seen = 0;
    let mut end = from;
    for &y in b.get(from..).unwrap_or_default() {
        let k = BYTE_CLASS[usize::from(y)];
        if k & ALNUM_BYTE == 0 {
            break;
        }
        seen |= k;
        end += 1;
    }
    (end, seen)
}

// ---------------------------------------------------------------------------
// Quote marks

#[derive(Debug, Clone)]
struct RawQuote {
    /// Byte offset of the opening mark.
    open: usize,
    start: usize,
    end: usize,
    /// Byte offset of the closing mark, when there is one.
    close: Option<usize>,
    first_range: usize,
    last_range: usize,
}

struct Open {
    open: usize,
    start: usize,
    first_range: usize,
    first_sentence_end: Option<usize>,
}

fn trim_end_at(text: &str, start: usize, end: usize) -> usize {
    text.get(start..end)
        .map_or(start, |s| start + s.trim_end().len())
}

fn push_quote(
    out: &mut Vec<RawQuote>,
    text: &str,
    q: &Open,
    end: usize,
    close: Option<usize>,
    last_range: usize,
) {
    let end = if close.is_some() {
        end
    } else {
        trim_end_at(text, q.start, end)
    };
    if text.get(q.start..end).is_some_and(|s| !s.trim().is_empty()) {
        out.push(RawQuote {
            open: q.open,
            start: q.start,
            end,
            close,
            first_range: q.first_range,
            last_range,
        });
    }
}

#[inline(never)]
fn scan_quotes(text: &str, ranges: &[Range<usize>]) -> Vec<RawQuote> {
    let mut out = Vec::new();
    let mut cur: Option<Open> = None;
    let mut skip_until = 0usize;
    for (ri, r) in ranges.iter().enumerate() {
        let Some(s) = text.get(r.clone()) else {
            if let Some(q) = cur.take() {
                push_quote(&mut out, text, &q, q.start, None, ri.saturating_sub(1));
            }
            continue;
        };
        let mut prev: Option<char> = None;
        let mut off = 0;
        while off < s.len() {
            if cur.is_none() && r.start + off >= skip_until {
                // Outside a quote only a mark matters: jump to the next byte
                // that can start one ('"', or the lead byte of “ ” „ « »).
                match memchr::memchr3(b'"', 0xE2, 0xC2, &s.as_bytes()[off..]) {
                    Some(0) => {}
                    Some(k) => {
                        off += k;
                        prev = s[..off].chars().next_back();
                    }
                    None => break,
                }
            } else if let Some(q) = cur
                .as_ref()
                .filter(|_| r.start + off >= skip_until && !matches!(prev, Some('.' | '!' | '?')))
            {
                // Inside a quote only marks, the first sentence end and the
                // length cap matter: step bytes to the next of them.
                let b = s.as_bytes();
                let sentence_end = q.first_sentence_end.is_none();
                let cap = (q.start + MAX_QUOTE + 1).saturating_sub(r.start);
                let mut k = next_stop(b, off, cap, sentence_end);
                while k < b.len() && !s.is_char_boundary(k) {
                    k += 1;
                }
                if k > off {
                    off = k;
                    prev = s[..off].chars().next_back();
                }
            }
            let Some(c) = s[off..].chars().next() else {
                break;
            };
            let pos = r.start + off;
            off += c.len_utf8();
            if pos < skip_until {
                prev = Some(c);
                continue;
            }
            if let Some(q) = cur.as_mut() {
                if q.first_sentence_end.is_none()
                    && matches!(prev, Some('.' | '!' | '?'))
                    && c.is_whitespace()
                {
                    q.first_sentence_end = Some(pos);
                }
                if pos - q.start > MAX_QUOTE {
                    // Unbalanced marks: keep the first sentence, drop the rest.
                    let cut = q.first_sentence_end.unwrap_or(q.start);
                    push_quote(&mut out, text, q, cut, None, ri);
                    cur = None;
                }
            }
            if is_mark(c) {
                let next = s[off..].chars().next();
                let prev_space = prev.is_none_or(char::is_whitespace);
                let next_space = next.is_none_or(char::is_whitespace);
                let next_alnum = next.is_some_and(char::is_alphanumeric);
                match cur.take() {
                    None => {
                        let opens = match c {
                            '“' | '„' | '«' => true,
                            '"' => !prev.is_some_and(char::is_alphanumeric) && !next_space,
                            '”' => prev_space && next_alnum,
                            _ => false,
                        };
                        if opens {
                            cur = Some(Open {
                                open: pos,
                                start: pos + c.len_utf8(),
                                first_range: ri,
                                first_sentence_end: None,
                            });
                        }
                    }
                    Some(q) => {
                        let closes = match c {
                            '”' | '»' => true,
                            '“' => !prev_space && next.is_none_or(|n| !n.is_alphanumeric()),
                            '"' => !(prev_space && next_alnum),
                            _ => false,
                        };
                        if closes {
                            push_quote(&mut out, text, &q, pos, Some(pos), ri);
                        } else {
                            // An opening mark inside an open quote: the earlier
                            // one was never closed.
                            push_quote(&mut out, text, &q, pos, None, ri);
                            cur = Some(Open {
                                open: pos,
                                start: pos + c.len_utf8(),
                                first_range: ri,
                                first_sentence_end: None,
                            });
                        }
                    }
                }
            }
            prev = Some(c);
        }
        if let Some(q) = cur.take() {
            match continues_into(text, ranges, ri) {
                Some(resume) => {
                    skip_until = resume;
                    cur = Some(q);
                }
                None => push_quote(&mut out, text, &q, r.end, None, ri),
            }
        }
    }
    if let Some(q) = cur {
        let last = ranges.len().saturating_sub(1);
        let end = ranges.last().map_or(q.start, |r| r.end);
        push_quote(&mut out, text, &q, end, None, last);
    }
    out
}

/// Inside a quote, the first byte of `b[off..cap]` that may start a mark
/// ('"', or the lead byte of “ ” „ « ») or, with `sentence_end`, is '.',
/// '!' or '?'; the end of `b[..cap]` when none is; `off` past it.
fn next_stop(b: &[u8], off: usize, cap: usize, sentence_end: bool) -> usize {
    let Some(hay) = b.get(off..cap.min(b.len())) else {
        return off;
    };
    let m = memchr::memchr3(b'"', 0xE2, 0xC2, hay).unwrap_or(hay.len());
    let m = if sentence_end {
        hay.get(..m)
            .and_then(|h| memchr::memchr3(b'.', b'!', b'?', h))
            .unwrap_or(m)
    } else {
        m
    };
    off + m
}

/// [`next_stop`] byte by byte: the oracle.
#[cfg(test)]
fn next_stop_bytewise(b: &[u8], off: usize, cap: usize, sentence_end: bool) -> usize {
    let mut k = off;
    while let Some(&x) = b.get(k).filter(|_| k < cap) {
        if matches!(x, b'"' | 0xE2 | 0xC2) || (sentence_end && matches!(x, b'.' | b'!' | b'?')) {
            break;
        }
        k += 1;
    }
    k
}

/// Whether an open quote at the end of range `ri` goes on into the next range,
/// and from where scanning resumes there.
fn continues_into(text: &str, ranges: &[Range<usize>], ri: usize) -> Option<usize> {
    let r = ranges.get(ri)?;
    let next = ranges.get(ri + 1)?;
    let gap = text.get(r.end..next.start)?;
    if !gap.chars().all(char::is_whitespace) {
        return None;
    }
    let body = text.get(next.clone())?;
    let lead = body.len() - body.trim_start().len();
    let first = body.trim_start().chars().next()?;
    if is_opening_mark(first) {
        // News convention: a quote running over paragraphs reopens each one.
        return Some(next.start + lead + first.len_utf8());
    }
    let last = text.get(r.clone())?.trim_end().chars().next_back()?;
    let hard_wrapped =
        gap.matches('\n').count() <= 1 && !matches!(last, '.' | '!' | '?' | '…' | ':' | '"' | '”');
    hard_wrapped.then_some(next.start)
}

// ---------------------------------------------------------------------------
// Noun phrases around speech verbs

#[derive(Debug, Clone, Copy, PartialEq)]
enum NpKind {
    Pronoun(Gender),
    Named,
    Common,
}

#[derive(Debug, Clone, Copy)]
struct Np {
    start: usize,
    end: usize,
    kind: NpKind,
    /// Token index of the speech verb the phrase was read with.
    verb: usize,
}

struct Doc<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    lower: String,
    lex: &'static Lexicon,
}

impl<'a> Doc<'a> {
    fn flags(&self, i: usize) -> u32 {
        self.toks.get(i).map_or(0, |t| t.flags)
    }

    fn has(&self, i: usize, bits: u32) -> bool {
        self.flags(i) & bits != 0
    }

    /// `is_cap(self.raw(i))`.
    fn cap(&self, i: usize) -> bool {
        self.has(i, CAP)
    }

    fn lw(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.lower.get(t.lo..t.hi))
            .unwrap_or("")
    }

    /// `self.lw(i) == w` by bytes, with no char-boundary checks: a span cut
    /// inside a character has a non-ASCII byte at an end, and `w` is ASCII.
    fn lw_is(&self, i: usize, w: &str) -> bool {
        self.toks
            .get(i)
            .and_then(|t| self.lower.as_bytes().get(t.lo..t.hi))
            == Some(w.as_bytes())
    }

    fn raw(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// A word outside quotes in range `range`.
    fn word(&self, i: usize, range: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.word && !t.in_quote && t.range == range)
    }

    fn punct(&self, i: usize, range: usize) -> Option<char> {
        let t = self.toks.get(i)?;
        if t.word || t.in_quote || t.range != range {
            return None;
        }
        self.raw(i).chars().next()
    }

    /// Number of tokens of the speech verb or phrase starting at `i`.
    fn verb_at(&self, i: usize, range: usize) -> Option<usize> {
        if !self.word(i, range) {
            return None;
        }
        let w = self.lw(i);
        // Speech verbs inside a sentence are lower case; "Says" is a headline.
        if !self.has(i, LOWER) {
            if w == "according" && self.lw(i + 1) == "to" && self.word(i + 1, range) {
                return Some(2);
            }
            return None;
        }
        if self.has(i, VERB) {
            return Some(1);
        }
        self.lex.phrases.iter().find_map(|p| {
            let ok = p
                .iter()
                .enumerate()
                .all(|(k, part)| self.word(i + k, range) && self.lw(i + k) == *part);
            ok.then_some(p.len())
        })
    }

    /// "von der" in "Ursula von der Leyen": particles at `i` with a name after.
    fn particles_then_name(&self, i: usize, range: usize) -> bool {
        let mut k = i;
        while k < i + 3 && self.word(k, range) && self.has(k, PARTICLE) {
            k += 1;
        }
        k > i && self.word(k, range) && self.cap(k)
    }

    /// Particles ending at `i` with a name before them.
    fn particles_after_name(&self, i: usize, range: usize) -> bool {
        let mut k = i;
        while k + 3 > i && self.word(k, range) && self.has(k, PARTICLE) {
            let Some(p) = k.checked_sub(1) else {
                return false;
            };
            k = p;
        }
        k < i && self.word(k, range) && self.cap(k)
    }

    fn pronoun(&self, i: usize) -> Option<Gender> {
        let f = self.flags(i);
        (f & PRONOUN != 0).then(|| gender_of(f, PRONOUN_GENDER))
    }

    fn is_boundary(&self, i: usize) -> bool {
        let Some(t) = self.toks.get(i) else {
            return false;
        };
        if t.word || !matches!(self.raw(i).chars().next(), Some('.' | '!' | '?')) {
            return false;
        }
        match self.text.get(t.end..).and_then(|s| s.chars().next()) {
            None => true,
            Some(c) => c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\''),
        }
    }

    fn skip_adverbs(&self, mut i: usize, range: usize) -> usize {
        while self.word(i, range) && ADVERBS.contains(&self.lw(i)) {
            i += 1;
        }
        i
    }

    /// A capitalised name with its titles, read forward from `i`.
    fn named_forward(&self, i: usize, range: usize) -> usize {
        let mut j = i;
        loop {
            let n = j + 1;
            if !self.word(n, range) {
                break;
            }
            let lw = self.lw(n);
            let cap_after = self.word(n + 1, range) && self.cap(n + 1);
            let joins = if self.cap(n) {
                !self.has(n, SENTENCE_CAP)
            } else {
                self.particles_then_name(n, range)
                    || (cap_after && (lw == "of" || self.has(n, TITLE)))
            };
            if self.has(j, POSSESSIVE) {
                // "Brown’s cousin Nikki Washington": the name after the
                // relation is the speaker.
                // "Commonwealth’s Attorney Artisha Todd" goes on in capitals;
                // "Taybron’s attorney, Leslie Siman-Tov" names them after a comma.
                let rel = (n..n + 3)
                    .take_while(|&k| self.word(k, range) && !self.cap(k))
                    .count();
                let mut name = n + rel;
                if rel > 0 && self.punct(name, range) == Some(',') {
                    name += 1;
                }
                if rel <= 2 && self.word(name, range) && self.cap(name) {
                    j = name;
                    continue;
                }
                break;
            }
            if !joins {
                break;
            }
            j = n;
        }
        let mut end = self.toks[j].end;
        // "(R-Neb.)" belongs to the name.
        if self.punct(j + 1, range) == Some('(') {
            for k in j + 2..j + 10 {
                match self.punct(k, range) {
                    Some(')') => {
                        end = self.toks[k].end;
                        break;
                    }
                    Some('-' | '.' | ',') | None
                        if self.toks.get(k).is_some_and(|t| t.range == range) => {}
                    _ => break,
                }
            }
        }
        end
    }

    /// The speaker named after a speech verb: `said X`, `according to X`.
    fn np_after(&self, i: usize, range: usize, verb: usize) -> Option<Np> {
        if !self.word(i, range) {
            return None;
        }
        let start = self.toks[i].start;
        let lw = self.lw(i);
        if let Some(g) = self.pronoun(i) {
            return Some(Np {
                start,
                end: self.toks[i].end,
                kind: NpKind::Pronoun(g),
                verb,
            });
        }
        if self.cap(i) && !self.has(i, SENTENCE_CAP) {
            let end = self.named_forward(i, range);
            return Some(Np {
                start,
                end,
                kind: NpKind::Named,
                verb,
            });
        }
        if DETERMINERS.contains(&lw) {
            let end = self.common_forward(i, range, false)?;
            return Some(Np {
                start,
                end,
                kind: NpKind::Common,
                verb,
            });
        }
        let end = self.bare_forward(i, range, false)?;
        // "said eyewitness Decantee Baygboe": a role word before the name.
        let last = self.tok_ending_at(i, end);
        if self.word(last + 1, range) && self.cap(last + 1) {
            let end = self.named_forward(last + 1, range);
            return Some(Np {
                start,
                end,
                kind: NpKind::Named,
                verb,
            });
        }
        Some(Np {
            start,
            end,
            kind: NpKind::Common,
            verb,
        })
    }

    /// "a senior administration official", read forward from its determiner.
    /// With `until_verb`, prepositions are part of the phrase and a speech verb
    /// ends it ("a CNN official familiar with the meetings said").
    fn common_forward(&self, i: usize, range: usize, until_verb: bool) -> Option<usize> {
        let mut end = None;
        let mut j = i + 1;
        while j < i + 13 && self.word(j, range) {
            let lw = self.lw(j);
            if NP_STOP.contains(&lw)
                || AUXILIARIES.contains(&lw)
                || self.verb_at(j, range).is_some()
            {
                break;
            }
            if !until_verb && PREPOSITIONS.contains(&lw) {
                let prev = self.lw(j - 1);
                if !matches!(prev, "familiar" | "close" | "briefed" | "knowledgeable") {
                    break;
                }
            }
            end = Some(self.toks[j].end);
            j += 1;
        }
        end
    }

    /// "police", "family members": up to three lower-case words, no determiner.
    fn bare_forward(&self, i: usize, range: usize, until_verb: bool) -> Option<usize> {
        let mut end = None;
        for j in i..i + 3 {
            if !self.word(j, range) {
                break;
            }
            let lw = self.lw(j);
            let raw = self.raw(j);
            if raw != lw
                || NP_STOP.contains(&lw)
                || PREPOSITIONS.contains(&lw)
                || AUXILIARIES.contains(&lw)
                || ADVERBS.contains(&lw)
                || self.verb_at(j, range).is_some()
                || self.pronoun(j).is_some()
            {
                break;
            }
            end = Some(self.toks[j].end);
            if until_verb
                && self
                    .verb_at(self.skip_adverbs(j + 1, range), range)
                    .is_some()
            {
                break;
            }
        }
        end
    }

    /// `"...," X said`: a phrase followed by a speech verb, read forward.
    fn np_then_verb(&self, i: usize, range: usize) -> Option<Np> {
        if !self.word(i, range) {
            return None;
        }
        let start = self.toks[i].start;
        let lw = self.lw(i);
        let (end_tok, kind) = if let Some(g) = self.pronoun(i) {
            (i, NpKind::Pronoun(g))
        } else if self.cap(i) && !self.has(i, SENTENCE_CAP) || self.has(i, HONORIFIC) {
            let end = self.named_forward(i, range);
            (self.tok_ending_at(i, end), NpKind::Named)
        } else if DETERMINERS.contains(&lw) {
            let end = self.common_forward(i, range, true)?;
            (self.tok_ending_at(i, end), NpKind::Common)
        } else {
            let end = self.bare_forward(i, range, true)?;
            (self.tok_ending_at(i, end), NpKind::Common)
        };
        let v = self.skip_adverbs(end_tok + 1, range);
        if self.verb_at(v, range).is_some() {
            return Some(Np {
                start,
                end: self.toks[end_tok].end,
                kind,
                verb: v,
            });
        }
        // "Misti Murray, an ex-girlfriend of the victim, told the newspaper".
        if kind == NpKind::Named && self.punct(end_tok + 1, range) == Some(',') {
            let close = (end_tok + 2..end_tok + 16).find(|&k| !self.word(k, range))?;
            if self.punct(close, range) == Some(',') {
                let v = self.skip_adverbs(close + 1, range);
                if self.verb_at(v, range).is_some() {
                    return Some(Np {
                        start,
                        end: self.toks[end_tok].end,
                        kind,
                        verb: v,
                    });
                }
            }
        }
        // "the attorney, Alan Shifman, told reporters": the name in the
        // appositive is the better speaker.
        if kind == NpKind::Common && self.punct(end_tok + 1, range) == Some(',') {
            let a = end_tok + 2;
            if self.word(a, range) && self.cap(a) {
                let end = self.named_forward(a, range);
                let last = self.tok_ending_at(a, end);
                let v = self.skip_adverbs(last + 2, range);
                if self.punct(last + 1, range) == Some(',') && self.verb_at(v, range).is_some() {
                    return Some(Np {
                        start: self.toks[a].start,
                        end,
                        kind: NpKind::Named,
                        verb: v,
                    });
                }
            }
        }
        None
    }

    fn tok_ending_at(&self, from: usize, end: usize) -> usize {
        let mut j = from;
        while self.toks.get(j + 1).is_some_and(|t| t.end <= end) {
            j += 1;
        }
        j
    }

    /// The subject of the speech verb at `v`, read backward.
    fn np_before(&self, v: usize, range: usize) -> Option<Np> {
        let mut j = v.checked_sub(1)?;
        while self.word(j, range) && ADVERBS.contains(&self.lw(j)) {
            j = j.checked_sub(1)?;
        }
        let mut end_override = None;
        if self.punct(j, range) == Some(')') {
            let open = (j.saturating_sub(8)..j)
                .rev()
                .find(|&k| self.punct(k, range) == Some('('))?;
            end_override = Some(self.toks[j].end);
            j = open.checked_sub(1)?;
        }
        if self.punct(j, range) == Some(',') {
            // "Ben Jensen, a senior fellow at ..., told CNN": skip the appositive.
            let mut k = j.checked_sub(1)?;
            let floor = j.saturating_sub(40);
            loop {
                let t = self.toks.get(k)?;
                if t.range != range || t.in_quote || self.is_boundary(k) {
                    return None;
                }
                if !t.word {
                    match self.raw(k).chars().next() {
                        Some(',') => break,
                        Some('(' | ')' | '-' | '–' | '—' | '\'' | '’') => {}
                        _ => return None,
                    }
                }
                if k <= floor {
                    return None;
                }
                k = k.checked_sub(1)?;
            }
            // "Willie Te'o, 15, who lives in the area, said": one more hop.
            let mut np = match self.np_core(k.checked_sub(1)?, range, v) {
                Some(np) => np,
                None => {
                    let mut m = k.checked_sub(1)?;
                    let floor = k.saturating_sub(12);
                    while m > floor && self.punct(m, range) != Some(',') {
                        if !self.toks[m].word || self.toks[m].range != range {
                            return None;
                        }
                        m -= 1;
                    }
                    if self.punct(m, range) != Some(',') {
                        return None;
                    }
                    self.np_core(m.checked_sub(1)?, range, v)?
                }
            };
            if np.kind == NpKind::Pronoun(Gender::N) {
                return None;
            }
            np.verb = v;
            return Some(np);
        }
        let mut np = self.np_core(j, range, v)?;
        if let Some(end) = end_override {
            np.end = end;
        }
        Some(np)
    }

    fn np_core(&self, j: usize, range: usize, verb: usize) -> Option<Np> {
        if !self.word(j, range) || !self.raw(j).chars().any(char::is_alphabetic) {
            return None;
        }
        let end = self.toks[j].end;
        let lw = self.lw(j);
        if let Some(g) = self.pronoun(j) {
            return Some(Np {
                start: self.toks[j].start,
                end,
                kind: NpKind::Pronoun(g),
                verb,
            });
        }
        if self.cap(j) {
            if self.has(j, SENTENCE_CAP | POSSESSIVE) {
                return None;
            }
            let mut k = j;
            while k > 0 && self.word(k - 1, range) {
                let p = k - 1;
                let plw = self.lw(p);
                let cap_before = p > 0 && self.word(p - 1, range) && self.cap(p - 1);
                // "of the" inside a name: "Harrison of the Ten Point Coalition".
                if plw == "the"
                    && p >= 2
                    && self.word(p - 1, range)
                    && self.lw(p - 1) == "of"
                    && self.word(p - 2, range)
                    && self.cap(p - 2)
                {
                    k = p - 2;
                    continue;
                }
                let joins = if self.cap(p) {
                    !self.has(p, SENTENCE_CAP | POSSESSIVE)
                } else {
                    self.particles_after_name(p, range)
                        || (cap_before && (plw == "of" || self.has(p, TITLE)))
                };
                if !joins {
                    break;
                }
                k = p;
            }
            return Some(Np {
                start: self.toks[k].start,
                end,
                kind: NpKind::Named,
                verb,
            });
        }
        if NP_STOP.contains(&lw) || AUXILIARIES.contains(&lw) || PREPOSITIONS.contains(&lw) {
            return None;
        }
        // A common noun: look back for its determiner.
        let floor = j.saturating_sub(12);
        let mut k = j;
        // A determiner after a preposition ("familiar with the meetings") may
        // belong to a longer phrase: keep looking, fall back to it.
        let mut fallback = None;
        while k > floor && self.word(k - 1, range) {
            let p = k - 1;
            let plw = self.lw(p);
            if DETERMINERS.contains(&plw) {
                let after_prep =
                    p > 0 && self.word(p - 1, range) && PREPOSITIONS.contains(&self.lw(p - 1));
                if !after_prep {
                    return Some(Np {
                        start: self.toks[p].start,
                        end,
                        kind: NpKind::Common,
                        verb,
                    });
                }
                fallback.get_or_insert(p);
            }
            if NP_STOP.contains(&plw)
                || AUXILIARIES.contains(&plw)
                || self.verb_at(p, range).is_some()
                || self.pronoun(p).is_some()
            {
                break;
            }
            k = p;
        }
        if let Some(p) = fallback {
            return Some(Np {
                start: self.toks[p].start,
                end,
                kind: NpKind::Common,
                verb,
            });
        }
        // No determiner: keep the bare lower-case words right before the verb.
        let mut k = j;
        while k > 0 && k + 2 > j && self.word(k - 1, range) {
            let plw = self.lw(k - 1);
            if self.raw(k - 1) != plw
                || NP_STOP.contains(&plw)
                || PREPOSITIONS.contains(&plw)
                || AUXILIARIES.contains(&plw)
                || self.verb_at(k - 1, range).is_some()
            {
                break;
            }
            k -= 1;
        }
        Some(Np {
            start: self.toks[k].start,
            end,
            kind: NpKind::Common,
            verb,
        })
    }

    /// The personal name at the end of a named phrase: "Russian Foreign
    /// Minister Sergey Lavrov" -> "Sergey Lavrov".
    fn name_in(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let first = self.toks.partition_point(|t| t.start < start);
        let last = self.toks.partition_point(|t| t.end <= end);
        self.name_in_toks(first, last)
    }

    /// [`Doc::name_in`] over the tokens `first..last`.
    fn name_in_toks(&self, first: usize, mut last: usize) -> Option<(usize, usize)> {
        // Drop a trailing parenthetical.
        if let Some(open) = (first..last).find(|&k| {
            let t = &self.toks[k];
            !t.word && self.text.as_bytes().get(t.start) == Some(&b'(')
        }) {
            last = open;
        }
        let walked = self.name_walk(first, last);
        if walked.is_some_and(|(_, _, titled)| titled) {
            return walked.map(|(s, e, _)| (s, e));
        }
        // "Harrison of the Ten Point Coalition", "Don Bacon of Nebraska": the
        // person comes before "of", unless only titles do ("Secretary of State").
        if let Some(of) = (first..last).find(|&k| self.toks[k].word && self.lw_is(k, "of")) {
            let named_before = (first..of)
                .any(|k| self.flags(k) & (CAP | TITLE | HONORIFIC | SENTENCE_CAP) == CAP);
            if named_before {
                if let Some((s, e, _)) = self.name_walk(first, of) {
                    return Some((s, e));
                }
            }
        }
        walked.map(|(s, e, _)| (s, e))
    }

    /// The name ending at token `last` (exclusive), read backward, and whether
    /// a title or honorific stands right before it.
    fn name_walk(&self, first: usize, last: usize) -> Option<(usize, usize, bool)> {
        let mut titled = false;
        let mut name_start = None;
        let mut name_tok = first;
        let mut name_end = None;
        // Whether a word of the name is an org word: the name's words are
        // its tokens (only whitespace lies between them), the last one
        // without its possessive suffix.
        let mut org = false;
        for (count, k) in (first..last).rev().enumerate() {
            let t = self.toks[k];
            if !t.word {
                break;
            }
            let raw = self.raw(k);
            let f = t.flags;
            let particle = f & PARTICLE != 0 && name_start.is_some();
            let surname_title = name_end.is_none()
                && f & TITLE != 0
                && matches!(
                    self.lw(k),
                    "king" | "major" | "judge" | "pope" | "bishop" | "marshal" | "prince" | "young"
                );
            if !(f & CAP != 0 || particle)
                || (f & TITLE != 0 && !surname_title)
                || f & (HONORIFIC | SENTENCE_CAP) != 0
                || is_acronym(raw)
                || count >= 4
            {
                titled = f & (TITLE | HONORIFIC) != 0;
                break;
            }
            if name_end.is_none() {
                // The tokenizer flagged every word `strip_possessive` strips.
                let stem = if f & POSSESSIVE != 0 {
                    let stem = strip_possessive(raw).0;
                    org = self.lex.is_org_word(stem.as_bytes());
                    stem
                } else {
                    org = f & ORG != 0;
                    raw
                };
                name_end = Some(t.start + stem.len());
            } else {
                org |= f & ORG != 0;
            }
            name_start = Some(t.start);
            name_tok = k;
        }
        // "Department of Corrections", "Bank of America": not a person.
        // (None when no word qualified.)
        name_start?;
        // The name's first token.
        let first_name_tok = name_tok;
        if first_name_tok > 0
            && self.toks[first_name_tok - 1].word
            && self.lw_is(first_name_tok - 1, "of")
        {
            return None;
        }
        let name_end = name_end?;
        #[cfg(test)]
        assert_eq!(
            org,
            self.lex
                .has_org_word(self.text.get(name_start?..name_end).unwrap_or("")),
            "{:?}",
            self.text.get(name_start?..name_end)
        );
        if org {
            return None;
        }
        // A particle cannot start a name.
        let mut k = first_name_tok;
        while self.has(k, PARTICLE) && k + 1 < last {
            k += 1;
        }
        Some((self.toks[k].start, name_end, titled))
    }
}

// ---------------------------------------------------------------------------
// Named people, for pronouns and short forms

#[derive(Debug, Clone)]
struct Mention<'a> {
    start: usize,
    /// The person's surname key ([`Keys`]).
    key: u32,
    /// The fullest form of this person's name written up to here.
    fullest: &'a str,
    possessive: bool,
    modifier: bool,
    subject: bool,
}

struct People<'a> {
    mentions: Vec<Mention<'a>>,
    /// By surname key.
    gender: Vec<Option<Gender>>,
    keys: Keys,
}

/// The surname: the last word of the name that is not a generational
/// suffix ("Martinez Jr." -> "Martinez").
fn surname(name: &str) -> &str {
    let not_suffix = |w: &&str| {
        let w = w.trim_end_matches('.');
        // Every suffix is two or three letters.
        w.len() > 3
            || !["jr", "sr", "ii", "iii", "iv"]
                .iter()
                .any(|suffix| suffix.eq_ignore_ascii_case(w))
    };
    if name.is_ascii() {
        // The same words as `split_whitespace` finds, without decoding.
        let b = name.as_bytes();
        let mut end = b.len();
        while end > 0 {
            let start = b[..end]
                .iter()
                .rposition(|c| matches!(c, b' ' | b'\t'..=b'\r'))
                .map_or(0, |k| k + 1);
            let w = name.get(start..end).unwrap_or("");
            if !w.is_empty() && not_suffix(&w) {
                return w;
            }
            end = start.saturating_sub(1);
        }
        return "";
    }
    name.split_whitespace().rev().find(not_suffix).unwrap_or("")
}

/// Whether `b` is whitespace to `char::is_whitespace`, for an ASCII byte.
fn ascii_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The first of the `split_whitespace` words of `name` when it has two or
/// more; ASCII names without decoding.
fn first_of_several(name: &str) -> Option<&str> {
    if !name.is_ascii() {
        let mut words = name.split_whitespace();
        let first = words.next()?;
        return words.next().map(|_| first);
    }
    let b = name.as_bytes();
    let start = b.iter().position(|c| !ascii_space(c))?;
    let end = start + b[start..].iter().position(ascii_space)?;
    b[end..]
        .iter()
        .any(|c| !ascii_space(c))
        .then(|| &name[start..end])
}

/// `name.split_whitespace().count()`; ASCII names without decoding.
fn whitespace_words(name: &str) -> usize {
    if !name.is_ascii() {
        return name.split_whitespace().count();
    }
    let b = name.as_bytes();
    (0..b.len())
        .filter(|&k| !ascii_space(&b[k]) && (k == 0 || ascii_space(&b[k - 1])))
        .count()
}

/// Lower-cased surnames of one document, numbered: a name's key is a
/// number, looked up without allocating, instead of a `String` per name.
#[derive(Default)]
struct Keys {
    ids: HashMap<String, u32>,
    /// The surname being interned, lower-cased.
    scratch: String,
}

impl Keys {
    /// `f(lower-cased w)`, lower-casing short ASCII words on the stack.
    fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
        let mut buf = [0u8; 32];
        if let Some(b) = buf.get_mut(..w.len()).filter(|_| w.is_ascii()) {
            b.copy_from_slice(w.as_bytes());
            b.make_ascii_lowercase();
            if let Ok(l) = std::str::from_utf8(b) {
                return f(l);
            }
        }
        f(&w.to_lowercase())
    }

    /// The key of the name whose surname is `surname`, if it has one.
    fn get(&self, surname: &str) -> Option<u32> {
        Self::with_lower(surname, |l| self.ids.get(l).copied())
    }

    /// The key of `surname`, numbered in order of first sight.
    fn intern(&mut self, surname: &str) -> u32 {
        let mut lower = std::mem::take(&mut self.scratch);
        lower.clear();
        if surname.is_ascii() {
            // No UTF-8 check of a lower-cased copy, unlike `with_lower`.
            lower.push_str(surname);
            lower.make_ascii_lowercase();
        } else {
            // `str::to_lowercase`, as `with_lower` does: a final sigma
            // lower-cases unlike a lone one.
            lower.push_str(&surname.to_lowercase());
        }
        let id = match self.ids.get(&lower) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
                self.ids.insert(lower.clone(), id);
                id
            }
        };
        self.scratch = lower;
        id
    }
}

/// `map.get(w.to_lowercase())`, without allocating for short ASCII words.
fn get_lower<V: Copy>(map: &HashMap<&'static str, V>, w: &str) -> Option<V> {
    Keys::with_lower(w, |l| map.get(l).copied())
}

/// The people of the document. With `wanted` (lower-cased surnames, as
/// [`Keys`] lower-cases them), only what [`fullest_before`] needs for those
/// surnames: the mentions of names that may have one of them, and whether
/// each is a person's; no gender. A name's surname is the text of one of its
/// words, and each word one token (only whitespace lies between the word
/// tokens of a name; the last may lose a possessive suffix), so a run of
/// name words none of whose tokens is non-ASCII or starts with (lower-cased)
/// a wanted surname names nobody wanted. The other mentions only count
/// towards [`LOOKBACK`], which no document of at most that many runs
/// reaches; a longer one is read whole.
#[inline(never)]
fn find_people<'a>(doc: &Doc<'a>, subjects: &[Np], wanted: Option<&[String]>) -> People<'a> {
    let lex = doc.lex;
    let mut keys = Keys::default();
    // By key: whether the name is a person's, and the person's gender.
    let mut person: Vec<bool> = Vec::new();
    let mut gender: Vec<Option<Gender>> = Vec::new();
    // The name's key, and whether it has a surname at all.
    let mut key_of = |name: &str, person: &mut Vec<bool>, gender: &mut Vec<Option<Gender>>| {
        let surname = surname(name);
        let id = keys.intern(surname);
        let n = id as usize + 1;
        if person.len() < n {
            person.resize(n, false);
            gender.resize(n, None);
        }
        (id, !surname.is_empty())
    };
    struct Cand<'a> {
        start: usize,
        end: usize,
        name: &'a str,
        key: u32,
        possessive: bool,
        modifier: bool,
    }
    // Whether a name with token `k` may have a wanted surname.
    let may_want = |k: usize, wanted: &[String]| {
        let Some(t) = doc.toks.get(k) else {
            return false;
        };
        let raw = doc.text.as_bytes().get(t.start..t.end).unwrap_or_default();
        let lw = doc.lower.as_bytes().get(t.lo..t.hi).unwrap_or_default();
        !raw.is_ascii() || wanted.iter().any(|w| lw.starts_with(w.as_bytes()))
    };
    let mut runs = 0;
    let mut cands = Vec::new();
    // Sentence-opening He/She, for the gender of the name before.
    let mut he_she: Vec<(usize, Gender)> = Vec::new();
    let n = doc.toks.len();
    let mut i = 0;
    while i < n {
        let t = doc.toks[i];
        let is_name_word = |k: usize| doc.word(k, t.range) && doc.has(k, CAP | HONORIFIC);
        // `is_name_word(i)`, its flags first: most words are not capitalised.
        if t.flags & (CAP | HONORIFIC) == 0 || !t.word || t.in_quote {
            i += 1;
            continue;
        }
        // A capitalised He/She after a sentence end or at a range's start
        // starts a run (the token before is no word of its range).
        if wanted.is_none() && t.flags & PRONOUN != 0 {
            if let Some(g) = sentence_pronoun(doc, i) {
                he_she.push((i, g));
            }
        }
        let mut j = i;
        while j + 1 < n
            && !doc.has(j, POSSESSIVE)
            && (is_name_word(j + 1) || doc.particles_then_name(j + 1, t.range))
        {
            j += 1;
        }
        runs += 1;
        if let Some(w) = wanted {
            if !(i..=j).any(|k| may_want(k, w)) {
                i = j + 1;
                continue;
            }
        }
        // `name_in(t.start, run_end)`, whose tokens are `i..=j`.
        if let Some((s, e)) = doc.name_in_toks(i, j + 1) {
            let name = doc.text.get(s..e).unwrap_or("");
            // The name starts at one of the run's tokens.
            let first_tok = (i..=j)
                .find(|&k| doc.toks[k].start >= s)
                .unwrap_or_else(|| doc.toks.partition_point(|x| x.start < s));
            let (key, keyed) = key_of(name, &mut person, &mut gender);
            let before = first_tok.checked_sub(1).filter(|&p| doc.word(p, t.range));
            // Title words that are ordinary nouns in lower case ("home",
            // "state") only count capitalised: "Home Secretary".
            let title_before = before.is_some_and(|p| {
                let lw = doc.lw(p);
                let generic = matches!(
                    lw,
                    "affairs"
                        | "city"
                        | "county"
                        | "district"
                        | "economy"
                        | "energy"
                        | "finance"
                        | "fire"
                        | "health"
                        | "home"
                        | "house"
                        | "interior"
                        | "member"
                        | "national"
                        | "police"
                        | "press"
                        | "security"
                        | "staff"
                        | "state"
                        | "trade"
                        | "white"
                );
                (doc.has(p, TITLE) && (!generic || doc.cap(p))) || doc.has(p, HONORIFIC)
            });
            if let Some(p) = before.filter(|&p| doc.has(p, HONORIFIC)) {
                gender[key as usize] = Some(gender_of(doc.flags(p), HONORIFIC_GENDER));
            }
            // At least two words, asked before the look-up: many names
            // are a surname alone.
            let given = first_of_several(name).and_then(|f| get_lower(&lex.given, f));
            if let Some(g) = given {
                gender[key as usize].get_or_insert(g);
            }
            if title_before || given.is_some() {
                person[key as usize] = true;
            }
            let modifier = doc.word(j + 1, t.range) && doc.has(j + 1, MODIFIER);
            if keyed {
                cands.push(Cand {
                    start: s,
                    end: e,
                    name,
                    key,
                    possessive: doc.has(j, POSSESSIVE),
                    modifier,
                });
            }
        }
        i = j + 1;
    }
    if wanted.is_some() && runs > LOOKBACK {
        return find_people(doc, subjects, None);
    }
    // "Now, Thomas is in jail. He is locked up...": a sentence opening with
    // He/She tells the gender of the first person named in the sentence
    // before, unless an honorific or given name already did.
    // (Gathered in the loop above, applied after it as honorifics and given
    // names come first.)
    #[cfg(test)]
    assert_eq!(he_she, sentence_pronouns(doc, wanted.is_none()));
    for (i, g) in he_she {
        let (Some(t), Some(prev)) = (doc.toks.get(i), i.checked_sub(1)) else {
            continue;
        };
        let from = doc.toks[sentence_start(doc, prev)].start;
        let first = cands.partition_point(|c| c.start < from);
        if let Some(c) = cands
            .get(first)
            .filter(|c| c.start < t.start && !c.possessive)
        {
            gender[c.key as usize].get_or_insert(g);
        }
    }
    for np in subjects.iter().filter(|np| np.kind == NpKind::Named) {
        if let Some((s, e)) = doc.name_in(np.start, np.end) {
            let name = doc.text.get(s..e).unwrap_or("");
            if let Some(w) = wanted {
                if !Keys::with_lower(surname(name), |l| w.iter().any(|w| w == l)) {
                    continue;
                }
            }
            let (key, _) = key_of(name, &mut person, &mut gender);
            person[key as usize] = true;
        }
    }
    // By key: the fullest name so far and its number of words.
    let mut fullest: Vec<Option<(&'a str, usize)>> = vec![None; person.len()];
    let mut mentions = Vec::new();
    let mut si = 0;
    for c in cands {
        let key = c.key;
        if !person[key as usize] {
            continue;
        }
        let words = whitespace_words(c.name);
        let best = fullest[key as usize].get_or_insert((c.name, words));
        if words > best.1 {
            *best = (c.name, words);
        }
        while si < subjects.len() && subjects[si].end < c.start {
            si += 1;
        }
        let subject = subjects[si..]
            .iter()
            .take_while(|np| np.start <= c.start)
            .any(|np| np.end >= c.end);
        mentions.push(Mention {
            start: c.start,
            key,
            fullest: best.0,
            possessive: c.possessive,
            modifier: c.modifier,
            subject,
        });
    }
    People {
        mentions,
        gender,
        keys,
    }
}

/// The gender of token `i` when it is "He" or "She" opening a sentence
/// (after a sentence end or at its range's start) outside quotes.
fn sentence_pronoun(doc: &Doc, i: usize) -> Option<Gender> {
    let t = doc.toks.get(i)?;
    if t.flags & (PRONOUN | CAP) != PRONOUN | CAP || t.in_quote {
        return None;
    }
    let g = match doc.raw(i) {
        "He" => Gender::M,
        "She" => Gender::F,
        _ => return None,
    };
    let prev = i.checked_sub(1)?;
    (doc.is_boundary(prev) || doc.toks[prev].range != t.range).then_some(g)
}

/// Every token of [`sentence_pronoun`] by a walk over all tokens (none
/// with `all` false), as `find_people` once found them: the oracle of the
/// run loop that finds them now.
#[cfg(test)]
fn sentence_pronouns(doc: &Doc, all: bool) -> Vec<(usize, Gender)> {
    if !all {
        return Vec::new();
    }
    (0..doc.toks.len())
        .filter_map(|i| sentence_pronoun(doc, i).map(|g| (i, g)))
        .collect()
}

fn range_of(ranges: &[Range<usize>], pos: usize) -> usize {
    ranges
        .partition_point(|r| r.end <= pos)
        .min(ranges.len().saturating_sub(1))
}

/// A resolved pronoun subject, usable as an antecedent later on.
struct Resolved {
    start: usize,
    fullest: String,
    gender: Gender,
}

fn resolve_person(
    people: &People,
    extra: &[Resolved],
    pos: usize,
    want: Gender,
    window_start: usize,
) -> Option<String> {
    let m_end = people.mentions.partition_point(|m| m.start < pos);
    let x_end = extra.partition_point(|r| r.start < pos);
    let mut mi = m_end;
    let mut xi = x_end;
    // Ranks: 0 subject in window, 1 known gender in window, 2 unknown in
    // window, 3 known anywhere, 4 unknown anywhere.
    let mut best: [Option<String>; 5] = Default::default();
    for _ in 0..LOOKBACK {
        let m = mi.checked_sub(1).map(|k| &people.mentions[k]);
        let x = xi.checked_sub(1).map(|k| &extra[k]);
        let (start, fullest, gender, subject) = match (m, x) {
            (None, None) => break,
            (Some(m), Some(x)) if x.start > m.start => {
                xi -= 1;
                (x.start, x.fullest.as_str(), Some(x.gender), true)
            }
            (None, Some(x)) => {
                xi -= 1;
                (x.start, x.fullest.as_str(), Some(x.gender), true)
            }
            (Some(m), _) => {
                mi -= 1;
                if m.possessive || m.modifier {
                    continue;
                }
                (
                    m.start,
                    m.fullest,
                    people.gender.get(m.key as usize).copied().flatten(),
                    m.subject,
                )
            }
        };
        let compatible = gender.is_none_or(|g| g == want);
        if !compatible {
            continue;
        }
        let in_window = start >= window_start;
        let known = gender.is_some();
        let rank = match (in_window, subject, known) {
            (true, true, _) => 0,
            (true, false, true) => 1,
            (true, false, false) => 2,
            (false, _, true) => 3,
            (false, _, false) => 4,
        };
        if best[rank].is_none() {
            best[rank] = Some(fullest.to_string());
        }
        if best[0].is_some() {
            break;
        }
    }
    // An unknown-gender person outside the window is more often wrong than
    // right (the speaker is usually someone unnamed nearby): leave it open.
    best.into_iter().take(4).flatten().next()
}

// ---------------------------------------------------------------------------
// Extraction

struct Attribution {
    np: Np,
    how: &'static str,
}

/// Direct quotes in `text`, read only inside `ranges` (sorted, non-overlapping
/// body ranges). A quote continues into the next range only when the gap
/// between them is whitespace.
pub fn extract_quotes(text: &str, ranges: &[Range<usize>]) -> Vec<Quote> {
    extract_quotes_in(text, ranges, true, true)
}

/// Which ranges the attribution of `raw` can read: each quote's ranges, the
/// two nearest ranges with a token before them (an `X said:` line, and the
/// word before a name that starts it, which `Doc::name_walk` looks at) and
/// the nearest after (a `said X` line). Every search of [`classify`] and
/// [`continuation`] stops where its range ends, so over the tokens of these
/// ranges alone it finds what it finds over the whole document: a
/// token's neighbours inside its range, and the token just before or after
/// a range, are the same.
fn ranges_read(text: &str, ranges: &[Range<usize>], raw: &[RawQuote]) -> Vec<bool> {
    let mut read = vec![false; ranges.len()];
    // A range has tokens when it has a character that is not whitespace.
    let has_tokens = |ri: usize| {
        ranges
            .get(ri)
            .and_then(|r| text.get(r.clone()))
            .is_some_and(|s| !s.trim_start().is_empty())
    };
    for q in raw {
        let last = q.last_range.min(ranges.len().saturating_sub(1));
        for flag in read.iter_mut().take(last + 1).skip(q.first_range) {
            *flag = true;
        }
        let mut before = 0;
        for ri in (0..q.first_range).rev() {
            if before == 2 {
                break;
            }
            if has_tokens(ri) {
                read[ri] = true;
                before += 1;
            }
        }
        if let Some(ri) = (last + 1..ranges.len()).find(|&ri| has_tokens(ri)) {
            read[ri] = true;
        }
    }
    read
}

/// Marks the tokens inside a quote of `raw` (both sorted by position, the
/// quotes disjoint, the tokens unmarked): each quote finds its first token
/// by binary search and marks on to its end, so the tokens outside quotes
/// (most of them) are not visited.
fn mark_in_quote(toks: &mut [Tok], raw: &[RawQuote]) {
    for q in raw {
        let from = toks.partition_point(|t| t.start < q.start);
        for t in toks.get_mut(from..).unwrap_or_default() {
            if t.start >= q.end {
                break;
            }
            t.in_quote = t.end <= q.end;
        }
    }
}

/// [`mark_in_quote`] by one walk over every token: the oracle.
#[cfg(test)]
fn mark_in_quote_walk(toks: &mut [Tok], raw: &[RawQuote]) {
    let mut qi = 0;
    for t in toks.iter_mut() {
        while qi < raw.len() && raw[qi].end <= t.start {
            qi += 1;
        }
        if let Some(q) = raw.get(qi) {
            t.in_quote = q.start <= t.start && t.end <= q.end;
        }
    }
}

/// The tokens of every range: those of the ranges `read` from `toks`, the
/// others read now (their non-ASCII words' lower case appended to
/// `lower`), in text order.
fn all_tokens(
    text: &str,
    ranges: &[Range<usize>],
    read: &[bool],
    toks: &[Tok],
    lower: &mut String,
    lex: &Lexicon,
) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 4 + 1);
    let mut k = 0;
    for (ri, r) in ranges.iter().enumerate() {
        if read.get(ri).copied().unwrap_or(false) {
            // The tokens are in range order, and those of the ranges read
            // before are behind `k`: a binary search, not a count.
            let n = toks
                .get(k..)
                .map_or(0, |rest| rest.partition_point(|t| t.range <= ri));
            out.extend_from_slice(toks.get(k..k + n).unwrap_or_default());
            k += n;
        } else {
            tokenize_range(text, r.clone(), ri, lex, &mut out, lower);
        }
    }
    out
}

/// [`extract_quotes`]; with `restrict`, only the ranges an attribution can
/// read are tokenized, and the rest only when a speaker needs the people of
/// the whole document (GVA: 0.59 of the 1.55 MB of documents with quotes
/// are read for attribution, and 0.95 MB is in documents whose speakers
/// need the people). Without, every range is: the tests compare the two.
/// With `narrow`, a document whose speakers need the people only for bare
/// surnames (no pronoun) reads only the names that may have one of those
/// surnames ([`find_people`]); without, every name: the tests compare the
/// two.
fn extract_quotes_in(
    text: &str,
    ranges: &[Range<usize>],
    restrict: bool,
    narrow: bool,
) -> Vec<Quote> {
    let ranges = clean_ranges(text, ranges);
    let raw = scan_quotes(text, &ranges);
    if raw.is_empty() {
        return Vec::new();
    }
    let lex = lexicon();
    let read = if restrict {
        ranges_read(text, &ranges, &raw)
    } else {
        vec![true; ranges.len()]
    };
    let mut lower = text.to_ascii_lowercase();
    let mut toks = Vec::with_capacity(text.len() / 4 + 1);
    for (ri, r) in ranges.iter().enumerate() {
        if read[ri] {
            tokenize_range(text, r.clone(), ri, lex, &mut toks, &mut lower);
        }
    }
    mark_in_quote(&mut toks, &raw);
    let mut doc = Doc {
        text,
        toks,
        lower,
        lex,
    };

    // Who speaks, pattern by pattern.
    let mut attributions: Vec<Option<Attribution>> = Vec::with_capacity(raw.len());
    let mut kinds = Vec::with_capacity(raw.len());
    for q in &raw {
        let (kind, attr) = classify(&doc, &ranges, q);
        kinds.push(kind);
        attributions.push(attr);
    }

    // The named speakers' names, and whether any speaker needs the people of
    // the whole document: a pronoun to resolve, or a bare surname whose
    // fuller form may come before it. In GVA four documents with quotes in
    // ten need neither, and skip the subjects, people and pronoun passes.
    let names: Vec<Option<&str>> = attributions
        .iter()
        .map(|a| {
            let a = a.as_ref().filter(|a| a.np.kind == NpKind::Named)?;
            doc.name_in(a.np.start, a.np.end)
                .and_then(|(s, e)| text.get(s..e))
        })
        .collect();
    // Only pronouns up to the last speaker's one are resolved: each reads
    // only earlier ones.
    let last_pronoun = attributions
        .iter()
        .flatten()
        .filter(|a| matches!(a.np.kind, NpKind::Pronoun(_)))
        .map(|a| a.np.start)
        .max();
    let bare_surname = names
        .iter()
        .flatten()
        .any(|n| n.split_whitespace().count() == 1);
    let mut resolved_at: HashMap<usize, String> = HashMap::default();
    let need_people = last_pronoun.is_some() || bare_surname;
    if need_people && read.contains(&false) {
        // No token of a range not read is inside a quote (`ranges_read`
        // reads every range of every quote), so the marks of the tokens
        // read before are all there is to mark.
        doc.toks = all_tokens(text, &ranges, &read, &doc.toks, &mut doc.lower, lex);
    }
    let people = need_people.then(|| {
        // With no pronoun, the people serve only `fullest_before` of the
        // bare surnames (GVA: 153 of the 268 documents that need the
        // people): the names with one of those surnames are all it reads.
        let wanted: Option<Vec<String>> = (narrow && last_pronoun.is_none()).then(|| {
            names
                .iter()
                .flatten()
                .filter(|n| n.split_whitespace().count() == 1)
                .map(|n| surname(n))
                .filter(|s| !s.is_empty())
                .map(|s| Keys::with_lower(s, str::to_string))
                .collect()
        });
        let (people, subjects) = people_and_subjects(&doc, &attributions, wanted.as_deref());
        if let Some(last) = last_pronoun {
            resolve_pronouns(&doc, &ranges, &people, &subjects, last, &mut resolved_at);
        }
        people
    });

    let mut out: Vec<Quote> = Vec::with_capacity(raw.len());
    let mut last_statement: Option<usize> = None;
    for (k, q) in raw.iter().enumerate() {
        let kind = kinds[k].clone();
        let mut speaker = attributions[k].as_ref().map(|a| {
            let text_np = doc.text.get(a.np.start..a.np.end).unwrap_or("").to_string();
            let name = names[k].map(str::to_string);
            let resolved = match a.np.kind {
                NpKind::Pronoun(_) => resolved_at.get(&a.np.start).cloned(),
                // Only a bare surname is a short form: "Marco Martinez" after
                // "Juan Manuel Martinez" is another person.
                NpKind::Named => name
                    .as_ref()
                    .filter(|n| n.split_whitespace().count() == 1)
                    .zip(people.as_ref())
                    .and_then(|(n, people)| {
                        let full = fullest_before(&doc, people, a.np.start, a.np.end);
                        (full.split_whitespace().count() > n.split_whitespace().count())
                            .then_some(full)
                    }),
                NpKind::Common => None,
            };
            Speaker {
                text: text_np,
                start: a.np.start,
                end: a.np.end,
                name,
                resolved,
                how: a.how,
            }
        });
        if kind == QuoteKind::Statement && speaker.is_none() {
            if let Some(p) = last_statement {
                if let Some(how) = continuation(&doc, &ranges, &raw[p], q) {
                    speaker = out[p].speaker.clone().map(|s| Speaker { how, ..s });
                }
            }
        }
        if kind == QuoteKind::Statement {
            last_statement = Some(k);
        }
        out.push(Quote {
            start: q.start,
            end: q.end,
            text: text.get(q.start..q.end).unwrap_or("").to_string(),
            kind,
            speaker,
        });
    }
    out
}

/// The people of the document, and every subject of a speech verb (for
/// pronouns and person evidence) in text order.
fn people_and_subjects<'a>(
    doc: &Doc<'a>,
    attributions: &[Option<Attribution>],
    wanted: Option<&[String]>,
) -> (People<'a>, Vec<Np>) {
    let mut subjects: Vec<Np> = Vec::new();
    for (i, t) in doc.toks.iter().enumerate() {
        if t.word && !t.in_quote && t.flags & (LOWER | VERB) == LOWER | VERB {
            if let Some(np) = doc.np_before(i, t.range) {
                subjects.push(np);
            }
        }
    }
    subjects.extend(attributions.iter().flatten().map(|a| a.np));
    subjects.sort_by_key(|np| (np.start, np.end));
    subjects.dedup_by_key(|np| np.start);
    (find_people(doc, &subjects, wanted), subjects)
}

/// Pronoun subjects up to `last`, resolved in text order so each can serve
/// later ones, by start into `resolved_at`.
fn resolve_pronouns(
    doc: &Doc,
    ranges: &[Range<usize>],
    people: &People,
    subjects: &[Np],
    last: usize,
    resolved_at: &mut HashMap<usize, String>,
) {
    let mut extra: Vec<Resolved> = Vec::new();
    for (si, np) in subjects.iter().enumerate() {
        if np.start > last {
            break;
        }
        let NpKind::Pronoun(g) = np.kind else {
            continue;
        };
        let window_start = ranges
            .get(range_of(ranges, np.start).saturating_sub(1))
            .map_or(0, |r| r.start);
        let found = match g {
            Gender::M | Gender::F => resolve_person(people, &extra, np.start, g, window_start),
            Gender::N => subjects[..si]
                .iter()
                .rev()
                .take(LOOKBACK)
                .take_while(|s| s.start >= window_start)
                .find_map(|s| match s.kind {
                    NpKind::Pronoun(_) => resolved_at.get(&s.start).cloned(),
                    NpKind::Named => Some(fullest_before(doc, people, s.start, s.end)),
                    NpKind::Common => doc.text.get(s.start..s.end).map(str::to_string),
                }),
            Gender::First => None,
        };
        if let Some(name) = found {
            if matches!(g, Gender::M | Gender::F) {
                extra.push(Resolved {
                    start: np.start,
                    fullest: name.clone(),
                    gender: g,
                });
            }
            resolved_at.insert(np.start, name);
        }
    }
}

/// Ranges clamped to the text, on char boundaries, sorted and disjoint.
#[inline(never)]
fn clean_ranges(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        let end = r.end.min(text.len());
        if r.start >= end || !text.is_char_boundary(r.start) || !text.is_char_boundary(end) {
            continue;
        }
        if out.last().is_some_and(|l| l.end > r.start) {
            continue;
        }
        out.push(r.start..end);
    }
    out
}

/// The fullest earlier form of the name inside the phrase at `start..end`.
fn fullest_before(doc: &Doc, people: &People, start: usize, end: usize) -> String {
    let name = doc
        .name_in(start, end)
        .and_then(|(s, e)| doc.text.get(s..e))
        .unwrap_or_else(|| doc.text.get(start..end).unwrap_or(""));
    let Some(key) = people.keys.get(surname(name)) else {
        return name.to_string();
    };
    let upto = people.mentions.partition_point(|m| m.start < end);
    people.mentions[..upto]
        .iter()
        .rev()
        .take(LOOKBACK)
        .find(|m| m.key == key)
        .map_or(name, |m| m.fullest)
        .to_string()
}

fn tok_at(doc: &Doc, pos: usize) -> Option<usize> {
    let i = doc.toks.partition_point(|t| t.start < pos);
    doc.toks.get(i).filter(|t| t.start == pos).map(|_| i)
}

/// Token index where the sentence holding the token `i` starts.
fn sentence_start(doc: &Doc, i: usize) -> usize {
    let range = doc.toks.get(i).map_or(0, |t| t.range);
    let mut k = i;
    let floor = i.saturating_sub(LOOKBACK);
    while k > floor {
        let p = k - 1;
        if doc.toks[p].range != range || doc.is_boundary(p) {
            break;
        }
        k = p;
    }
    k
}

/// Whether the quote opening at token `open` starts its sentence.
fn standalone(doc: &Doc, open: usize) -> bool {
    let s = sentence_start(doc, open);
    !(s..open).any(|k| doc.toks[k].word && !doc.toks[k].in_quote)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn title_case(s: &str) -> bool {
    let words: Vec<&str> = s
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 8
        && words.first().is_some_and(|w| is_cap(w))
        && words
            .iter()
            .all(|w| is_cap(w) || w.len() <= 3 || w.chars().next().is_some_and(|c| c.is_numeric()))
}

#[inline(never)]
fn classify(doc: &Doc, ranges: &[Range<usize>], q: &RawQuote) -> (QuoteKind, Option<Attribution>) {
    let inner = doc.text.get(q.start..q.end).unwrap_or("");
    let Some(open) = tok_at(doc, q.open) else {
        return (QuoteKind::Fragment, None);
    };
    let range = q.first_range;
    // Titles of shows, books, slogans: CNN's "State of the Union", on "Fox News Sunday".
    if let Some(p) = open.checked_sub(1) {
        if doc.word(p, range) {
            let raw = doc.raw(p);
            let lw = doc.lw(p);
            let cue = (strip_possessive(raw).1 && is_cap(raw))
                || matches!(
                    lw,
                    "on" | "as" | "titled" | "entitled" | "dubbed" | "headlined"
                );
            if cue && title_case(inner) && q.close.is_some() {
                return (QuoteKind::Fragment, None);
            }
        }
    }
    let alone = standalone(doc, open);
    if let Some(a) = attribution_after(doc, ranges, q, alone) {
        return (QuoteKind::Statement, Some(a));
    }
    if let Some(a) = attribution_before(doc, open, range) {
        // `Whelan said “turf issues” involving the homes were a motive`: a
        // short quote that does not end the sentence is a phrase.
        let ends_sentence = inner.trim_end().ends_with(['.', '?', '!', '…'])
            || q.close.and_then(|c| tok_at(doc, c)).is_some_and(|c| {
                doc.is_boundary(c + 1)
                    || doc
                        .toks
                        .get(c + 1)
                        .is_none_or(|t| t.range != doc.toks[c].range)
            });
        let separated = open
            .checked_sub(1)
            .is_some_and(|p| matches!(doc.punct(p, doc.toks[p].range), Some(':' | ',')));
        if word_count(inner) <= FRAGMENT_WORDS && !alone && !ends_sentence && !separated {
            return (QuoteKind::Fragment, None);
        }
        return (QuoteKind::Statement, Some(a));
    }
    if alone {
        return (QuoteKind::Statement, None);
    }
    if word_count(inner) <= FRAGMENT_WORDS {
        return (QuoteKind::Fragment, None);
    }
    (QuoteKind::Statement, partial(doc, open, range))
}

/// `"...," said X`, `"...," X said`, `"..." he said`, `"...," according to X`,
/// also when the attribution starts the next line.
fn attribution_after(
    doc: &Doc,
    ranges: &[Range<usize>],
    q: &RawQuote,
    alone: bool,
) -> Option<Attribution> {
    let close = q.close?;
    let c = tok_at(doc, close)?;
    let inner = doc
        .text
        .get(q.start..q.end)?
        .trim_end_matches(|ch: char| ch.is_whitespace() || ch == '\'' || ch == '’');
    let ends_open = inner.ends_with([',', '?', '!', '…', '—', '–', '-']);
    let mut i = c + 1;
    let mut range = doc.toks[c].range;
    let mut comma_after = false;
    while let Some(p) = doc.punct(i, range) {
        // A dash after a closing mark opens an aside, not an attribution.
        if p != ',' || i > c + 1 {
            break;
        }
        comma_after = true;
        i += 1;
    }
    if !(ends_open || comma_after || alone) {
        return None;
    }
    // The attribution may start the next line ("...,”\nsaid Trump").
    if doc.toks.get(i).is_some_and(|t| t.range != range) {
        let next = doc.toks[i].range;
        let gap_ok = next == range + 1
            && ranges
                .get(range)
                .zip(ranges.get(next))
                .and_then(|(a, b)| doc.text.get(a.end..b.start))
                .is_some_and(|g| g.chars().all(char::is_whitespace));
        let lower_start = doc.raw(i) == doc.lw(i);
        if !(gap_ok && (ends_open || lower_start)) {
            return None;
        }
        range = next;
    }
    if let Some(len) = doc.verb_at(i, range) {
        let np = doc.np_after(i + len, range, i)?;
        let how = if doc.lw(i) == "according" {
            "according-to"
        } else if matches!(np.kind, NpKind::Pronoun(_)) {
            "quote-pronoun-said"
        } else {
            "quote-said-x"
        };
        return Some(Attribution { np, how });
    }
    let np = doc
        .np_then_verb(i, range)
        .or_else(|| verb_ahead(doc, i, range))?;
    let how = match np.kind {
        NpKind::Pronoun(_) => "quote-pronoun-said",
        _ => "quote-x-said",
    };
    Some(Attribution { np, how })
}

/// `"...," aunt of a victim Lynisha Carr said`: a speech verb a few words
/// on, with only words between, takes the subject read back from it.
fn verb_ahead(doc: &Doc, i: usize, range: usize) -> Option<Np> {
    for v in i + 1..i + 12 {
        if !doc.word(v - 1, range)
            || NP_STOP.contains(&doc.lw(v - 1))
            || AUXILIARIES.contains(&doc.lw(v - 1))
        {
            return None;
        }
        if doc.verb_at(v, range) == Some(1) {
            let np = doc.np_before(v, range)?;
            return (np.start >= doc.toks[i].start).then_some(np);
        }
    }
    None
}

/// `X said: "..."`, `X told reporters, "..."`, `X said "..."`.
fn attribution_before(doc: &Doc, open: usize, range: usize) -> Option<Attribution> {
    let mut j = open.checked_sub(1)?;
    let mut range = range;
    if doc.toks[j].range != range {
        // "X said:" ending the previous line.
        if doc.punct(j, doc.toks[j].range) != Some(':') {
            return None;
        }
        range = doc.toks[j].range;
    }
    // Without a colon or comma the verb must touch the quote: `he said "..."`,
    // not `Rubio said it would be "a huge concession."`.
    let reach = if matches!(doc.punct(j, range), Some(':' | ',')) {
        j = j.checked_sub(1)?;
        4
    } else {
        1
    };
    // "A family member issued the following statement:", "..., stating,":
    // the sentence's subject speaks.
    if reach == 4
        && doc.word(j, range)
        && matches!(doc.lw(j), "statement" | "stating" | "saying" | "writing")
    {
        return sentence_subject(doc, j, range).map(|np| Attribution {
            np,
            how: "x-said-quote",
        });
    }
    for back in 0..reach {
        let v = j.checked_sub(back)?;
        if !doc.word(v, range) {
            return None;
        }
        if doc.verb_at(v, range) == Some(1) {
            // `said Roberts, "It tore me up."`: the speaker follows the verb.
            let inverted = back > 0
                && doc.np_before(v, range).is_none()
                && doc.word(v + 1, range)
                && (doc.cap(v + 1) || DETERMINERS.contains(&doc.lw(v + 1)));
            let np = if inverted {
                doc.np_after(v + 1, range, v)?
            } else {
                doc.np_before(v, range)?
            };
            return Some(Attribution {
                np,
                how: "x-said-quote",
            });
        }
    }
    None
}

/// The noun phrase opening the sentence that holds token `i`.
fn sentence_subject(doc: &Doc, i: usize, range: usize) -> Option<Np> {
    let s = sentence_start(doc, i);
    if !doc.word(s, range) || s >= i {
        return None;
    }
    let lw = doc.lw(s);
    let start = doc.toks[s].start;
    let (end, kind) = if let Some(g) = doc.pronoun(s) {
        (doc.toks[s].end, NpKind::Pronoun(g))
    } else if doc.cap(s) && !doc.has(s, SENTENCE_CAP) {
        (doc.named_forward(s, range), NpKind::Named)
    } else if DETERMINERS.contains(&lw) {
        // "A family member issued the following statement": without a parser,
        // the word before the next determiner is taken for the verb.
        let mut k = s + 1;
        while k < i && k < s + 10 && doc.word(k, range) && !DETERMINERS.contains(&doc.lw(k)) {
            k += 1;
        }
        if k >= i || !DETERMINERS.contains(&doc.lw(k)) || k < s + 3 {
            return None;
        }
        (doc.toks[k - 2].end, NpKind::Common)
    } else {
        return None;
    };
    (end <= doc.toks[i].start).then_some(Np {
        start,
        end,
        kind,
        verb: i,
    })
}

/// A quote inside a sentence: the subject of the sentence's last speech verb,
/// or X in "according to X".
fn partial(doc: &Doc, open: usize, range: usize) -> Option<Attribution> {
    let s = sentence_start(doc, open);
    for v in (s..open).rev() {
        let Some(len) = doc.verb_at(v, range) else {
            continue;
        };
        if doc.lw(v) == "according" {
            let np = doc.np_after(v + len, range, v)?;
            return Some(Attribution {
                np,
                how: "according-to",
            });
        }
        let np = doc.np_before(v, range)?;
        return Some(Attribution { np, how: "partial" });
    }
    None
}

/// Whether quote `q` goes on with the speaker of the statement `p` before it:
/// `“...,” he said. “And who is responsible for that? ...”`.
fn continuation(
    doc: &Doc,
    ranges: &[Range<usize>],
    p: &RawQuote,
    q: &RawQuote,
) -> Option<&'static str> {
    let open = tok_at(doc, q.open)?;
    if !standalone(doc, open) {
        return None;
    }
    let p_close = p.close?;
    let from = tok_at(doc, p_close)? + 1;
    let sentence_ends = |a: usize, b: usize| {
        (a..b)
            .filter(|&k| !doc.toks[k].in_quote && doc.is_boundary(k))
            .count()
    };
    if p.last_range == q.first_range {
        return (sentence_ends(from, open) <= 1).then_some("continuation");
    }
    if q.first_range == p.last_range + 1 {
        let first_of_range = open == 0 || doc.toks[open - 1].range != q.first_range;
        let gap_ok = ranges
            .get(p.last_range)
            .zip(ranges.get(q.first_range))
            .and_then(|(a, b)| doc.text.get(a.end..b.start))
            .is_some_and(|g| g.chars().all(char::is_whitespace));
        let rest_end = doc.toks.partition_point(|t| t.range <= p.last_range);
        // A quoted heading ("POPPING NOISES") has no closing punctuation.
        let sentence_like = doc.text.get(q.start..q.end).is_some_and(|t| {
            t.trim_end().ends_with(['.', '?', '!', ',', '…', '-', '—']) || q.close.is_none()
        });
        if first_of_range && gap_ok && sentence_like && sentence_ends(from, rest_end) <= 1 {
            return Some("paragraph-continuation");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer before the fast path for plain ASCII words: the oracle
    /// of [`tokenize`].
    fn tokenize_reference(
        text: &str,
        ranges: &[Range<usize>],
        lex: &Lexicon,
    ) -> (Vec<Tok>, String) {
        // About one token per five bytes of news text; one per four leaves room
        // for the denser texts (one in six GVA texts outgrew a fifth, and each
        // growth copied the whole vector).
        let mut toks = Vec::with_capacity(text.len() / 4 + 1);
        // The whole text lower-cased once (ASCII only, so byte offsets and char
        // boundaries are the text's): an ASCII word's lower case is the same span
        // of it, with no copy per token. Words with other letters get their
        // Unicode lower case appended after the text.
        let mut lower = text.to_ascii_lowercase();
        for (ri, r) in ranges.iter().enumerate() {
            let Some(s) = text.get(r.clone()) else {
                continue;
            };
            let b = s.as_bytes();
            // Byte offsets stepped a character at a time, decoding only
            // non-ASCII bytes: a char iterator with peeking cost 65
            // instructions a byte here.
            let mut off = 0;
            while let Some(&x) = b.get(off) {
                let (c, len) = if x < 0x80 {
                    // ASCII whitespace as `char::is_whitespace` sees it.
                    if matches!(x, b' ' | b'\t'..=b'\r') {
                        off += 1;
                        continue;
                    }
                    // `char::is_alphanumeric` of an ASCII byte, by table.
                    if BYTE_CLASS[usize::from(x)] & ALNUM_BYTE == 0 {
                        toks.push(Tok::punctuation(r.start + off, 1, ri));
                        off += 1;
                        continue;
                    }
                    (x as char, 1)
                } else {
                    let Some((c, len)) = char_at(s, off) else {
                        break;
                    };
                    if c.is_whitespace() {
                        off += len;
                        continue;
                    }
                    // An ASCII byte got here only as a letter or digit.
                    if !crate::extract::lexicon::is_alphanumeric(c) {
                        toks.push(Tok::punctuation(r.start + off, len, ri));
                        off += len;
                        continue;
                    }
                    (c, len)
                };
                let mut end = off + len;
                let mut segment = off;
                // Upper-case ASCII letters seen, and whether any byte was not ASCII.
                let mut upper = c.is_ascii_uppercase();
                let mut ascii = len == 1;
                let mut seen = 0u8;
                loop {
                    // The common case: no decoding, no look-ahead.
                    let (e, k) = ascii_run(b, end);
                    end = e;
                    seen |= k;
                    // Most words end at an ASCII byte that never joins (a
                    // space, a comma): decided without decoding.
                    if b.get(end)
                        .is_some_and(|&y| y < 0x80 && !matches!(y, b'.' | b'\'' | b'-' | b'&'))
                    {
                        break;
                    }
                    let Some((c2, len2)) = char_at(s, end) else {
                        break;
                    };
                    let o2 = end;
                    let after = || char_at(s, o2 + len2).map(|(a, _)| a);
                    // The run stopped at an ASCII byte only if it is no letter or digit.
                    let alnum = !c2.is_ascii() && crate::extract::lexicon::is_alphanumeric(c2);
                    let joins = if alnum {
                        true
                    } else if c2 == '.' {
                        // "U.S", "10.5" join; "Cadillac.Demetrius" is a missing space.
                        let single = s[segment..o2].chars().nth(1).is_none();
                        after().is_some_and(|a| {
                            a.is_numeric() || a.is_lowercase() || (single && a.is_alphabetic())
                        })
                    } else {
                        matches!(c2, '\'' | '’' | '-' | '&')
                            && after().is_some_and(char::is_alphanumeric)
                    };
                    if !joins {
                        break;
                    }
                    if !alnum {
                        segment = o2 + len2;
                    }
                    ascii &= len2 == 1;
                    end = o2 + len2;
                }
                upper |= seen & UPPER_BYTE != 0;
                if b.get(end) == Some(&b'.') && is_abbreviation(&s[off..end]) {
                    end += 1;
                }
                let (lo, hi, same_case) = if ascii {
                    (r.start + off, r.start + end, !upper)
                } else {
                    let word = &s[off..end];
                    let lo = lower.len();
                    lower.extend(word.chars().flat_map(char::to_lowercase));
                    let same = lower.get(lo..).is_some_and(|l| l == word);
                    (lo, lower.len(), same)
                };
                let mut flags = lower
                    .as_bytes()
                    .get(lo..hi)
                    .map_or(0, |lw| lex.classes.get_bytes(lw));
                if !s[off..end].is_ascii() {
                    flags &= !ORG;
                }
                if c.is_uppercase() {
                    flags |= CAP;
                }
                if same_case {
                    flags |= LOWER;
                }
                // Only a word ending in s after ' or ’ (whose last byte is
                // 0x99) can be possessive.
                if matches!(b.get(end.wrapping_sub(1)), Some(b's' | b'S'))
                    && matches!(b.get(end.wrapping_sub(2)), Some(b'\'' | 0x99))
                    && strip_possessive(&s[off..end]).1
                {
                    flags |= POSSESSIVE;
                }
                toks.push(Tok {
                    start: r.start + off,
                    end: r.start + end,
                    range: ri,
                    word: true,
                    in_quote: false,
                    lo,
                    hi,
                    flags,
                });
                off = end;
                // The space after most words, skipped here rather than by
                // another turn of the loop.
                if b.get(off) == Some(&b' ') {
                    off += 1;
                }
            }
        }
        (toks, lower)
    }

    /// Non-blank lines as ranges, as a line-block ingest gives them.
    fn lines(text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if !content.trim().is_empty() {
                out.push(start..start + content.len());
            }
            start += line.len();
        }
        out
    }

    fn quotes(text: &str) -> Vec<Quote> {
        let qs = extract_quotes(text, &lines(text));
        for q in &qs {
            assert_eq!(q.text, text[q.start..q.end]);
        }
        qs
    }

    fn one(text: &str) -> Quote {
        let qs = quotes(text);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        qs.into_iter().next().unwrap()
    }

    /// (speaker text, how)
    fn who(q: &Quote) -> (&str, &str) {
        let s = q
            .speaker
            .as_ref()
            .unwrap_or_else(|| panic!("no speaker: {q:#?}"));
        (s.text.as_str(), s.how)
    }

    #[test]
    fn name_words_are_split_whitespace_words() {
        for name in [
            "",
            " ",
            "Smith",
            " Smith ",
            "John Smith",
            "John\tQ.  Smith\n",
            "Zoë Smith",
            "A\u{a0}B",
            "Jo\u{2003}Ann",
            "  a b  c ",
        ] {
            let mut words = name.split_whitespace();
            let first = words.next();
            let want = first.filter(|_| words.next().is_some());
            assert_eq!(first_of_several(name), want, "{name:?}");
            assert_eq!(
                whitespace_words(name),
                name.split_whitespace().count(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn straight_marks_quote_said_x() {
        let q = one(r#""We will help," said Trump during a meeting."#);
        assert_eq!(q.text, "We will help,");
        assert_eq!(q.kind, QuoteKind::Statement);
        assert_eq!(who(&q), ("Trump", "quote-said-x"));
    }

    #[test]
    fn curly_marks_quote_x_said() {
        let q = one("“Some are ready to provide air defense,” Zelensky noted.");
        assert_eq!(q.text, "Some are ready to provide air defense,");
        assert_eq!(who(&q), ("Zelensky", "quote-x-said"));
    }

    #[test]
    fn nested_single_quotes_and_apostrophes_do_not_end_a_quote() {
        let q = one(
            "“We don’t know who is ready for ‘boots on the ground,’ ” Zelenskyy told reporters.",
        );
        assert_eq!(
            q.text,
            "We don’t know who is ready for ‘boots on the ground,’ "
        );
        assert_eq!(who(&q), ("Zelenskyy", "quote-x-said"));
        let q = one(
            r#""We don't know how many are ready for 'boots on the ground,'" Zelenskyy told reporters."#,
        );
        assert_eq!(
            q.text,
            "We don't know how many are ready for 'boots on the ground,'"
        );
        assert_eq!(who(&q), ("Zelenskyy", "quote-x-said"));
    }

    #[test]
    fn missing_closing_mark_stops_at_paragraph_end() {
        let text =
            "He said: “This never closes.\n\nThe next paragraph is not quoted. “Real,” she said.";
        let qs = quotes(text);
        assert_eq!(qs[0].text, "This never closes.");
        assert_eq!(qs[1].text, "Real,");
        assert_eq!(who(&qs[1]).0, "she");
    }

    #[test]
    fn multi_paragraph_quote_reopens_each_paragraph() {
        let text = "“First part of the speech.\n\n“Second part,” Lavrov added.";
        let q = one(text);
        assert_eq!(q.text, "First part of the speech.\n\n“Second part,");
        assert_eq!(who(&q), ("Lavrov", "quote-x-said"));
    }

    #[test]
    fn attribution_on_the_next_line() {
        let text = "“We’re going to help them out also. We’ll be involved,”\nsaid Trump during a recent meeting.";
        let q = one(text);
        assert_eq!(
            q.text,
            "We’re going to help them out also. We’ll be involved,"
        );
        assert_eq!(who(&q), ("Trump", "quote-said-x"));
    }

    #[test]
    fn x_said_colon_quote() {
        let q = one("Zelenskyy told reporters: “Some may provide forces on the ground.”");
        assert_eq!(who(&q), ("Zelenskyy", "x-said-quote"));
        let q = one("He said in an interview, \"I first met him when he was eight.\"");
        assert_eq!(who(&q), ("He", "x-said-quote"));
    }

    #[test]
    fn partial_quote_of_five_words_is_a_statement_by_the_subject() {
        let q = one(
            r#"Witkoff also said Russia had agreed to a law that it would not "go after any other European countries.""#,
        );
        assert_eq!(q.kind, QuoteKind::Statement);
        assert_eq!(who(&q), ("Witkoff", "partial"));
        let q = one(r#"Rubio said it would be "a huge concession.""#);
        assert_eq!(q.kind, QuoteKind::Fragment);
        assert_eq!(q.speaker, None);
    }

    #[test]
    fn according_to_x() {
        let text = "However, according to the official, allies \"certainly recognize that they bear an inherent responsibility.\"";
        let q = one(text);
        assert_eq!(who(&q), ("the official", "according-to"));
        let q = one("“The talks are over,” according to a senior diplomat.");
        assert_eq!(who(&q), ("a senior diplomat", "according-to"));
    }

    #[test]
    fn appositive_is_not_the_speaker() {
        let q = one("“Everyone is happy with him,” said Leslie Shedd, a fellow at the Atlantic Council’s Eurasia Center.");
        assert_eq!(who(&q), ("Leslie Shedd", "quote-said-x"));
        let q = one("“I cannot confirm that,” the attorney, Alan Shifman, told reporters.");
        assert_eq!(who(&q), ("Alan Shifman", "quote-x-said"));
    }

    #[test]
    fn titled_speaker_keeps_full_phrase_and_name() {
        let q = one(
            r#""Moscow will not agree," Russian Foreign Minister Sergey Lavrov said on Wednesday."#,
        );
        let s = q.speaker.unwrap();
        assert_eq!(s.text, "Russian Foreign Minister Sergey Lavrov");
        assert_eq!(s.name.as_deref(), Some("Sergey Lavrov"));
        assert_eq!(s.resolved, None);
        let q =
            one("“That’s the end state,” said Rep. Don Bacon (R-Neb.), referring to a provision.");
        let s = q.speaker.unwrap();
        assert_eq!(s.text, "Rep. Don Bacon (R-Neb.)");
        assert_eq!(s.name.as_deref(), Some("Don Bacon"));
        let q = one("“We welcome it,” said European Commission President Ursula von der Leyen.");
        assert_eq!(
            q.speaker.unwrap().name.as_deref(),
            Some("Ursula von der Leyen")
        );
    }

    #[test]
    fn short_form_resolves_to_earlier_full_name() {
        let text = "Russian Foreign Minister Sergey Lavrov spoke on Wednesday.\n\"It is a utopia,\" Lavrov added.";
        let q = one(text);
        let s = q.speaker.unwrap();
        assert_eq!((s.text.as_str(), s.how), ("Lavrov", "quote-x-said"));
        assert_eq!(s.resolved.as_deref(), Some("Sergey Lavrov"));
    }

    #[test]
    fn titles_of_shows_are_fragments() {
        let qs = quotes(
            r#""We won a concession," Witkoff told CNN's "State of the Union." "It is built," Rubio said on NBC's "Meet the Press.""#,
        );
        let kinds: Vec<(&str, &QuoteKind)> =
            qs.iter().map(|q| (q.text.as_str(), &q.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("We won a concession,", &QuoteKind::Statement),
                ("State of the Union.", &QuoteKind::Fragment),
                ("It is built,", &QuoteKind::Statement),
                ("Meet the Press.", &QuoteKind::Fragment),
            ]
        );
        assert_eq!(who(&qs[0]), ("Witkoff", "quote-x-said"));
        assert_eq!(who(&qs[2]), ("Rubio", "quote-x-said"));
        assert_eq!(qs[1].speaker, None);
    }

    #[test]
    fn scare_quotes_are_fragments() {
        let qs = quotes("He regarded Putin as a “gangster,” a “war criminal” and a “thug.” The 33-nation “coalition of the willing” met. It is an “America First” lens with “Article 5-like” protections.");
        let texts: Vec<&str> = qs.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "gangster,",
                "war criminal",
                "thug.",
                "coalition of the willing",
                "America First",
                "Article 5-like"
            ]
        );
        assert!(qs
            .iter()
            .all(|q| q.kind == QuoteKind::Fragment && q.speaker.is_none()));
    }

    #[test]
    fn pronoun_resolves_to_last_person_of_that_gender() {
        let text = "“From a European perspective, everyone is happy,” said Liana Fix, a fellow.\n\
She said that leaders hold a lower view of some Trump administration officials, but Mr. Rubio has forged ties.\n\
“There will be no troops on the ground,” she said.\n\
Ms. Fix said leaders would remember Minsk.";
        let qs = quotes(text);
        let s = qs[1].speaker.as_ref().unwrap();
        assert_eq!((s.text.as_str(), s.how), ("she", "quote-pronoun-said"));
        assert_eq!(s.resolved.as_deref(), Some("Liana Fix"));
    }

    /// The people are read from the whole document even when only an early
    /// pronoun needs them: here only the honorifics after the quote make
    /// Quill Lee and Casey Park people, and tell their genders apart.
    #[test]
    fn pronoun_resolution_reads_people_after_the_quote() {
        let text = "Quill Lee and Casey Park spoke to reporters.\n\
“We are safe,” she said.\n\
Ms. Lee later left. Mr. Park stayed.";
        let q = one(text);
        assert_eq!(who(&q), ("she", "quote-pronoun-said"));
        let s = q.speaker.as_ref().unwrap();
        assert_eq!(s.resolved.as_deref(), Some("Quill Lee"));
        // Without what follows, neither is known to be a person.
        let q = one("Quill Lee and Casey Park spoke to reporters.\n“We are safe,” she said.");
        assert_eq!(q.speaker.as_ref().unwrap().resolved, None);
    }

    #[test]
    fn he_skips_possessive_mentions() {
        let text = "Mr. Rubio has shown loyalty.\n\
He had begun moving toward Mr. Trump’s “America First” policy.\n\
“We can’t end the war without talking to Mr. Putin,” he said in testimony.";
        let qs = quotes(text);
        let s = qs[1].speaker.as_ref().unwrap();
        assert_eq!(s.resolved.as_deref(), Some("Rubio"));
    }

    #[test]
    fn sentence_opening_pronoun_teaches_gender() {
        let text =
            "Kim Able said the case was wrong. Shaquon Thomas said nothing. He is in jail.\n\
\"I don't believe the police,\" she said.";
        let qs = quotes(text);
        let s = qs[0].speaker.as_ref().unwrap();
        assert_eq!(s.resolved.as_deref(), Some("Kim Able"));
    }

    #[test]
    fn organisations_are_not_people() {
        let text = "The Illinois Department of Corrections said he was released.\n\"I don't believe it,\" she said.";
        let q = one(text);
        assert_eq!(q.speaker.unwrap().resolved, None);
    }

    #[test]
    fn they_resolves_to_last_speech_subject() {
        let text = "An official familiar with the meetings told CNN that some had assumed otherwise.\n\"And I would say the president didn't say that,\" they said.";
        let q = one(text);
        let s = q.speaker.unwrap();
        assert_eq!(s.text, "they");
        assert_eq!(
            s.resolved.as_deref(),
            Some("An official familiar with the meetings")
        );
    }

    #[test]
    fn second_quote_in_paragraph_continues_the_speaker() {
        let text = "“War crimes have been committed, no doubt,” he said. “And who is responsible for that? Right now, the job is to end the war.”";
        let qs = quotes(text);
        assert_eq!(qs.len(), 2);
        assert_eq!(who(&qs[0]), ("he", "quote-pronoun-said"));
        assert_eq!(who(&qs[1]), ("he", "continuation"));
        let text = r#""BIG PROGRESS ON RUSSIA," Trump said Sunday on social media. "STAY TUNED!""#;
        let qs = quotes(text);
        assert_eq!(who(&qs[1]), ("Trump", "continuation"));
    }

    #[test]
    fn next_paragraph_quote_continues_the_speaker() {
        let text = "“It’s complicated,” Police Chief Cedric Alexander said.\n\n“We still have a lot of work to do.”";
        let qs = quotes(text);
        assert_eq!(
            who(&qs[1]),
            ("Police Chief Cedric Alexander", "paragraph-continuation")
        );
        let text = "“It’s complicated,” Alexander said.\n\n“POPPING NOISES”\n\nThe night went on.";
        let qs = quotes(text);
        assert_eq!(qs[1].speaker, None);
    }

    #[test]
    fn lower_case_group_speakers() {
        let q = one("“Stay away from the area,” police said.");
        assert_eq!(who(&q), ("police", "quote-x-said"));
        let q = one("“He was a good kid,” a European diplomat familiar with the call said.");
        assert_eq!(
            who(&q),
            ("a European diplomat familiar with the call", "quote-x-said")
        );
    }

    #[test]
    fn role_word_before_a_name_and_words_before_the_verb() {
        let q = one("“It was really loud,” said eyewitness Decantee Baygboe.");
        let s = q.speaker.unwrap();
        assert_eq!(
            (s.text.as_str(), s.name.as_deref()),
            ("eyewitness Decantee Baygboe", Some("Decantee Baygboe"))
        );
        let q = one("\"They came beating on my door,\" aunt of a victim Lynisha Carr said.");
        assert_eq!(who(&q), ("Lynisha Carr", "quote-x-said"));
    }

    #[test]
    fn short_quote_touching_a_verb_mid_sentence_is_a_phrase() {
        let q = one("Previously, Whelan said “turf issues” involving the homes were a motive.");
        assert_eq!(q.kind, QuoteKind::Fragment);
        let q = one("Asked about gangs, Lapatin said “it could be.”");
        assert_eq!(who(&q), ("Lapatin", "x-said-quote"));
    }

    #[test]
    fn missing_space_after_a_period_splits_words() {
        let text = "a Cadillac.Demetrius Herndon in the U.S. at 10.5";
        let (toks, _) = tokenize(
            text,
            &[Range {
                start: 0,
                end: text.len(),
            }],
            lexicon(),
        );
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            words,
            [
                "a",
                "Cadillac",
                ".",
                "Demetrius",
                "Herndon",
                "in",
                "the",
                "U.S.",
                "at",
                "10.5"
            ]
        );
    }

    #[test]
    fn possessive_relation_leads_to_the_named_speaker() {
        let q = one(
            "“He was turning his life around,” said Brown’s cousin Nikki Washington as she sat.",
        );
        let s = q.speaker.unwrap();
        assert_eq!(s.text, "Brown’s cousin Nikki Washington");
        assert_eq!(s.name.as_deref(), Some("Nikki Washington"));
    }

    #[test]
    fn page_labels_are_not_people() {
        let text = "“It was really strange,” said company representative Roman Peysakhovich. When he asked Karen Short why, she gave no reason, he said.\n\nGallery: Photos: Five bodies found in Lake Minnetonka home Gallery: Photos: Five bodies found in Lake Minnetonka home\n\n“They seemed like a great family,” he said.";
        let qs = quotes(text);
        assert_eq!(
            qs[1].speaker.as_ref().unwrap().resolved.as_deref(),
            Some("Roman Peysakhovich")
        );
    }

    #[test]
    fn person_of_an_organisation() {
        let q = one("\"Something is going on,\" Harrison of the Ten Point Coalition said.");
        let s = q.speaker.unwrap();
        assert_eq!(s.text, "Harrison of the Ten Point Coalition");
        assert_eq!(s.name.as_deref(), Some("Harrison"));
        let q = one("\"It works,\" said Secretary of State Marco Rubio.");
        assert_eq!(q.speaker.unwrap().name.as_deref(), Some("Marco Rubio"));
    }

    #[test]
    fn statement_introduced_by_a_colon() {
        let q = one("A family member issued the following statement: “Deeply saddened to announce the passing of our son.”");
        assert_eq!(who(&q), ("A family member", "x-said-quote"));
        let q = one("Jay Patel, operating partner for the franchise, issued the following statement: \"We are horrified by the acts.\"");
        assert_eq!(who(&q), ("Jay Patel", "x-said-quote"));
    }

    #[test]
    fn more_appositive_and_possessive_shapes() {
        let q = one("“Our witnesses are not cooperating,” said Assistant Commonwealth’s Attorney Artisha Todd in court.");
        assert_eq!(q.speaker.unwrap().name.as_deref(), Some("Artisha Todd"));
        let q = one("“I think the case is weak,” said Taybron’s attorney, Leslie Siman-Tov.");
        assert_eq!(q.speaker.unwrap().name.as_deref(), Some("Leslie Siman-Tov"));
        let q = one(
            "“I’m just glad,” Misti Murray, an ex-girlfriend of the victim, told the newspaper.",
        );
        assert_eq!(who(&q), ("Misti Murray", "quote-x-said"));
        let qs = quotes("\"It's devastating,\" said Roberts, \"It tore me up.\"");
        assert_eq!(who(&qs[1]), ("Roberts", "x-said-quote"));
        assert_eq!(qs[1].kind, QuoteKind::Statement);
        let text = "Willie Te'o, 15, who lives in the area, said he was across the street.\n\"I was walking from McDonald's,\" he said.";
        let q = one(text);
        assert_eq!(q.speaker.unwrap().resolved.as_deref(), Some("Willie Te'o"));
    }

    #[test]
    fn quoted_subject_is_not_attributed() {
        let q = one(r#"The "Squad" said Trump was wrong."#);
        assert_eq!(q.kind, QuoteKind::Fragment);
        assert_eq!(q.speaker, None);
    }

    #[test]
    fn unbalanced_marks_never_exceed_the_cap() {
        let long = format!("\"Start. {}", "word ".repeat(2000));
        let qs = quotes(&long);
        assert!(qs.iter().all(|q| q.end - q.start <= MAX_QUOTE));
        assert_eq!(qs[0].text, "Start.");
    }

    #[test]
    fn odd_input_never_panics() {
        let inputs = [
            "",
            "\"",
            "“",
            "”",
            "\"\"",
            "“”",
            "\" \"",
            "„Hallo“ sagte er.",
            "«Bonjour», dit-il.",
            "said \"",
            "\"a,\" said",
            "\"a,\" said the",
            "x “é” ü “",
            "\"a\" \"b\" \"c\"",
            "5'10\" tall",
            "(\"a,\" (said) Mr.)",
            "“a,” according to",
            "“a,” the, said",
        ];
        for text in inputs {
            let _ = quotes(text);
            // Ranges past the end, reversed and overlapping are skipped.
            let odd = [
                Range {
                    start: 0,
                    end: text.len() + 5,
                },
                Range { start: 3, end: 1 },
                Range { start: 1, end: 2 },
            ];
            let _ = extract_quotes(text, &odd);
        }
    }

    /// Pieces the tokenizer, the quote scan and the attribution patterns
    /// treat specially, for random texts.
    const SOUP: &[&str] = &[
        "Smith",
        "said",
        "says",
        "told",
        "he",
        "she",
        "they",
        "the",
        "a",
        "official",
        "police",
        "according",
        "to",
        "of",
        "Mr.",
        "Ms",
        "Dr",
        "Jr.",
        "President",
        "Maria",
        "John",
        "von",
        "U.S.",
        "I",
        "J.",
        "O'Neil",
        "Brown’s",
        "Smith's",
        "don't",
        "Jean-Pierre",
        "AT&T",
        "10",
        "5.5",
        "x",
        "A",
        "É",
        "é",
        "Ω",
        "ß",
        "İ",
        "ﬁ",
        "Ölaf",
        "\u{2010}",
        "\u{a0}",
        "\u{2028}",
        " ",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "\t",
        ".",
        ",",
        ":",
        ";",
        "!",
        "?",
        "(",
        ")",
        "'",
        "’",
        "-",
        "—",
        "&",
        "\"",
        "“",
        "”",
        "„",
        "«",
        "»",
        "…",
    ];

    /// Random texts with ranges (the whole text, lines, and a split at a
    /// random char boundary), then every GVA article with its sentence
    /// ranges when `../shared/eval/gva/articles.jsonl` is there.
    fn oracle_texts(n: usize) -> Vec<(String, Vec<Range<usize>>)> {
        let mut out = Vec::new();
        let mut next = crate::text::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..n {
            let text = crate::text::testing::soup(&mut next, SOUP, 60);
            let len = text.len();
            let a = crate::text::floor_char_boundary(&text, (next() as usize) % (len + 1));
            out.push((text.clone(), vec![0..len]));
            out.push((text.clone(), vec![0..a, a..len]));
            let ls = lines(&text);
            out.push((text, ls));
        }
        let news = crate::text::testing::news_documents(false);
        if news.is_empty() {
            eprintln!("no GVA articles: random texts only");
        }
        for d in news {
            let ranges = crate::extract::ranges(&crate::segment::sentences(&d));
            out.push((d.text, ranges));
        }
        out
    }

    #[test]
    fn marking_by_search_agrees_with_the_walk() {
        let lex = lexicon();
        let mut marked = 0;
        for (text, ranges) in oracle_texts(3000) {
            let ranges = clean_ranges(&text, &ranges);
            let raw = scan_quotes(&text, &ranges);
            // What the search relies on: sorted, disjoint quotes.
            for w in raw.windows(2) {
                assert!(w[0].start <= w[0].end && w[0].end <= w[1].start, "{text:?}");
            }
            let (toks, _) = tokenize(&text, &ranges, lex);
            let mut got = toks.clone();
            mark_in_quote(&mut got, &raw);
            let mut want = toks;
            mark_in_quote_walk(&mut want, &raw);
            assert_eq!(got, want, "{text:?}");
            marked += got.iter().filter(|t| t.in_quote).count();
        }
        assert!(marked > 10_000, "{marked}");
    }

    #[test]
    fn plain_abbreviations_agree_with_the_general_test() {
        let mut next = crate::text::testing::xorshift(0x2545_f491_4f6c_dd1d);
        let alphabet = b"aAbBcCdDgGIjJlLmMnNoOpPrRsStTvVwWxz09";
        let mut words: Vec<String> = ABBREVIATIONS.iter().map(|a| a.to_string()).collect();
        words.extend(ABBREVIATIONS.iter().map(|a| a.to_lowercase()));
        for _ in 0..20_000 {
            let len = 1 + (next() as usize) % 7;
            let w: String = (0..len)
                .map(|_| char::from(alphabet[(next() as usize) % alphabet.len()]))
                .collect();
            words.push(w);
        }
        let mut found = 0;
        for w in &words {
            assert_eq!(
                is_plain_abbreviation(w.as_bytes()),
                is_abbreviation(w),
                "{w}"
            );
            found += usize::from(is_abbreviation(w));
        }
        assert!(found > ABBREVIATIONS.len(), "{found}");
    }

    #[test]
    fn next_stop_agrees_with_the_byte_walk() {
        let mut next = crate::text::testing::xorshift(0x1234_5678_9abc_def1);
        let alphabet = b"ab .!?\"\xE2\xC2\x80";
        for _ in 0..20_000 {
            let len = (next() as usize) % 40;
            let b: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() as usize) % alphabet.len()])
                .collect();
            let off = (next() as usize) % (len + 3);
            let cap = (next() as usize) % (len + 3);
            for sentence_end in [false, true] {
                assert_eq!(
                    next_stop(&b, off, cap, sentence_end),
                    next_stop_bytewise(&b, off, cap, sentence_end),
                    "{b:?} {off} {cap} {sentence_end}"
                );
            }
        }
    }

    #[test]
    fn tokenizer_agrees_with_the_reference() {
        let lex = lexicon();
        for (text, ranges) in oracle_texts(3000) {
            let ranges = clean_ranges(&text, &ranges);
            let got = tokenize(&text, &ranges, lex);
            let want = tokenize_reference(&text, &ranges, lex);
            assert_eq!(got.1, want.1, "{text:?}");
            assert_eq!(got.0.len(), want.0.len(), "{text:?}");
            for (g, w) in got.0.iter().zip(&want.0) {
                assert_eq!(g, w, "{text:?} {:?}", text.get(w.start..w.end));
            }
        }
    }

    #[test]
    fn reading_only_the_ranges_around_quotes_finds_the_same() {
        // The word before a name is read even two lines up: "of" ends the
        // line before the speaker's, whose name starts it.
        let text = "The son of\nSmith said:\n“It is over.”\nAnd then he left.";
        let qs = extract_quotes_in(text, &lines(text), true, true);
        assert_eq!(qs, extract_quotes_in(text, &lines(text), false, true));
        let speaker = qs[0].speaker.as_ref().expect("a speaker");
        assert_eq!(
            (speaker.text.as_str(), speaker.name.as_deref()),
            ("Smith", None)
        );
        let (mut quoted, mut spoken) = (0, 0);
        for (text, ranges) in oracle_texts(3000) {
            let got = extract_quotes_in(&text, &ranges, true, true);
            assert_eq!(
                got,
                extract_quotes_in(&text, &ranges, false, true),
                "{text:?}"
            );
            quoted += got.len();
            spoken += got.iter().filter(|q| q.speaker.is_some()).count();
        }
        // The random texts must reach the attribution patterns.
        assert!(quoted > 3000 && spoken > 300, "{quoted} {spoken}");
    }

    #[test]
    fn reading_only_the_wanted_surnames_finds_the_same() {
        // A bare surname resolves to its fuller form written earlier, whose
        // evidence of being a person (an honorific) comes later; far more
        // than LOOKBACK other names read the whole document.
        let many: String = (0..LOOKBACK + 20)
            .map(|k| format!("Mr. Name{k} Jones came. "))
            .collect();
        let base = "John Smith arrived. Mr. Smith’s car. Dr. Kelvin Öst left. ";
        let texts = [
            format!("{base}\"It is over,\" Smith said."),
            format!("{base}\"It is over,\" Öst said. Mr. Öst left."),
            format!("{base}{many}\"It is over,\" Smith said. Jones said: \"No.\""),
            format!("{many}{base}\"It is over,\" Jones said."),
        ];
        let mut resolved = 0;
        for text in &texts {
            let got = extract_quotes_in(text, &lines(text), true, true);
            assert_eq!(
                got,
                extract_quotes_in(text, &lines(text), true, false),
                "{text:?}"
            );
            resolved += got
                .iter()
                .filter(|q| q.speaker.as_ref().is_some_and(|s| s.resolved.is_some()))
                .count();
        }
        assert!(resolved >= 3, "{resolved}");
        let mut resolved = 0;
        for (text, ranges) in oracle_texts(3000) {
            let got = extract_quotes_in(&text, &ranges, true, true);
            assert_eq!(
                got,
                extract_quotes_in(&text, &ranges, true, false),
                "{text:?}"
            );
            resolved += got
                .iter()
                .filter(|q| q.speaker.as_ref().is_some_and(|s| s.resolved.is_some()))
                .count();
        }
        // The random texts must reach the short forms.
        assert!(resolved > 100, "{resolved}");
    }

    #[test]
    fn ranges_limit_what_is_read() {
        let text = "BOILERPLATE \"not read\"\n\"Read this,\" she said.";
        let start = text.find('\n').unwrap() + 1;
        let body = [Range {
            start,
            end: text.len(),
        }];
        let qs = extract_quotes(text, &body);
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].text, "Read this,");
    }

    fn lexicon_lines(text: &str) -> Vec<&str> {
        assert!(
            text.starts_with("# FORMAT:"),
            "lexicon needs a # FORMAT: header"
        );
        data_lines_of(text)
    }

    fn data_lines_of(text: &str) -> Vec<&str> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }

    #[test]
    fn lexicons_have_header_and_canonical_order() {
        for text in [VERBS_TXT, PRONOUNS_TXT] {
            let lines = lexicon_lines(text);
            let mut sorted = lines.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(lines, sorted, "lexicon lines must be sorted and unique");
            assert!(lines.iter().all(|l| *l == l.to_lowercase()));
        }
        for line in lexicon_lines(PRONOUNS_TXT) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(fields.len(), 3, "{line}");
            assert!(
                matches!(fields[1], "pronoun" | "honorific" | "given"),
                "{line}"
            );
            assert!(matches!(fields[2], "m" | "f" | "n" | "1"), "{line}");
        }
        assert!(
            ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]),
            "ABBREVIATIONS must be sorted for binary search"
        );
        // The length filters never turn a stored word away.
        let table = &lexicon().classes;
        assert!(table.entries.len() > 300);
        for &(w, v) in &table.entries {
            assert_eq!(table.get(w), v, "{w}");
        }
        assert_eq!(table.get(""), 0);
        assert!(lexicon().classes.get("said") & VERB != 0);
        assert_eq!(lexicon().classes.get("sad"), 0);
        assert!(lexicon().classes.get("mrs.") & HONORIFIC != 0);
        assert_eq!(
            gender_of(lexicon().classes.get("she"), PRONOUN_GENDER),
            Gender::F
        );
        assert!(ORG_WORDS.iter().all(|w| w.len() <= 16 && w.is_ascii()));
        assert!(lexicon().is_org_word(b"POLICE") && !lexicon().is_org_word(b"polices"));
        assert!(lexicon().has_org_word("Fort Worth\x0bPolice"));
        assert!(!lexicon().has_org_word("Sergey Lavrov"));
        assert!(lexicon().phrases.iter().any(|p| p == &["according", "to"]));
    }
}
