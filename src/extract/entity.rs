//! Named entities: people, organisations and places, from capitalised word
//! runs, honorifics, offices and the gazetteers in `rules/lexicon/`.
//!
//! Input: a document's text and its sentence ranges. Output: entity
//! mentions with spans; within one document, short mentions ("Mr. Rubio",
//! "Rubio") resolve to the full name ("Marco Rubio"). Across documents,
//! `key::entity` merges spelling variants.

use super::lexicon::{GazetteerKind, Lexicon};
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

/// What an entity mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Org,
    Place,
    /// A capitalised name we cannot type (a single unknown word).
    Unknown,
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: EntityKind,
    /// Within-document canonical form: the gazetteer name for places and
    /// organisations, the fullest name seen for people.
    pub canonical: String,
    /// Courtesy title or rank written before the name ("Mr.", "General").
    pub honorific: Option<String>,
    /// Why the kind was chosen: "gazetteer", "org-word", "honorific",
    /// "office", "full-name", "surname", "demonym"...
    pub how: &'static str,
}

/// A word of a sentence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// Followed by a possessive 's, which is not part of `text`.
    pub possessive: bool,
    /// `text` is all ASCII: the tokenizer's fast path knows it for free,
    /// and the office filter asks of every capitalised word.
    pub ascii: bool,
}

impl Token<'_> {
    pub fn capitalised(&self) -> bool {
        // Asked of every word: an ASCII first byte answers without decoding.
        match self.text.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self.text.chars().next().is_some_and(char::is_uppercase),
        }
    }
}

/// Abbreviations whose final period belongs to the word.
const DOTTED: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Adm", "Rep", "Sen", "Gov", "Lt", "Col", "Sgt", "Capt", "St",
    "Jr", "Sr", "Prof", "Rev", "Maj", "Cpl", "Pvt", "Mx",
];

/// What a byte is to the tokenizer when it is ASCII.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AsciiClass {
    /// A letter or digit.
    Word,
    /// `.`, `-`, `'` or `&`: inside a word when a letter or digit follows.
    Joiner,
    /// Any other ASCII character: never part of a word.
    Other,
    /// A byte of a multi-byte character, decoded to decide.
    NotAscii,
}

const ASCII_CLASS: [AsciiClass; 256] = {
    let mut table = [AsciiClass::NotAscii; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphanumeric() {
            AsciiClass::Word
        } else if matches!(byte, b'.' | b'-' | b'\'' | b'&') {
            AsciiClass::Joiner
        } else {
            AsciiClass::Other
        };
        b += 1;
    }
    table
};

/// The end of the run of ASCII letters and digits of `bytes` from `from`.
/// Out of line: inside the tokenizer its loop ran short of registers.
#[inline(never)]
fn ascii_word_end(bytes: &[u8], from: usize) -> usize {
    let run = bytes.get(from..).unwrap_or_default();
    from + run
        .iter()
        .position(|&b| ASCII_CLASS[usize::from(b)] != AsciiClass::Word)
        .unwrap_or(run.len())
}

/// [`tokenize_into`] a new vector.
#[cfg(test)]
pub(crate) fn tokenize(text: &str, range: Range<usize>) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    tokenize_into(text, range, &mut tokens);
    tokens
}

/// Splits `text[range]` into words with byte spans, into `tokens` (cleared
/// first: one buffer serves every sentence of a document). Internal
/// periods, hyphens and apostrophes stay inside a word ("U.S.",
/// "Article-5", "O'Sullivan"); a possessive 's is split off and flagged.
/// Out of line: inlined into the sentence loop, its word loop ran short of
/// registers and reloaded the text from the stack at every byte.
#[inline(never)]
fn tokenize_into<'a>(text: &'a str, range: Range<usize>, tokens: &mut Vec<Token<'a>>) {
    tokens.clear();
    let Some(slice) = text.get(range.clone()) else {
        return;
    };
    let base = range.start;
    let bytes = slice.as_bytes();
    // Most words are ASCII letters and digits ended by a space or by
    // punctuation that never joins (a comma, a quotation mark): those are
    // scanned and pushed here, in a loop small enough to keep its state in
    // registers. A word that meets a joiner (`.`, `-`, `'`, `&`) or a byte
    // of a multi-byte character is finished by `finish_word`, the general
    // rules.
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        match ASCII_CLASS[usize::from(b)] {
            AsciiClass::Word => {
                let i = pos;
                // A slice iterator walks a pointer: fewer instructions a
                // byte than indexing.
                let rest = bytes.get(pos + 1..).unwrap_or_default();
                let end = pos
                    + 1
                    + rest
                        .iter()
                        .position(|&c| ASCII_CLASS[usize::from(c)] != AsciiClass::Word)
                        .unwrap_or(rest.len());
                let stop = bytes.get(end).copied();
                if stop.is_none_or(|c| ASCII_CLASS[usize::from(c)] == AsciiClass::Other) {
                    // No period follows (it would be a joiner) and an ASCII
                    // alphanumeric word has no possessive ending.
                    if let Some(word) = slice.get(i..end) {
                        tokens.push(Token {
                            start: base + i,
                            end: base + end,
                            text: word,
                            possessive: false,
                            ascii: true,
                        });
                    }
                    // The space after most words, skipped here rather than
                    // by another turn of the loop.
                    pos = end + usize::from(stop == Some(b' '));
                } else {
                    pos = finish_word(slice, base, i, end, tokens);
                }
            }
            AsciiClass::Joiner | AsciiClass::Other => pos += 1,
            AsciiClass::NotAscii => {
                let (c, len) = char_at(slice, pos);
                if super::lexicon::is_alphanumeric(c) {
                    pos = finish_word(slice, base, pos, pos + len, tokens);
                } else {
                    pos += len;
                }
            }
        }
    }
}

/// The character at byte `at` of `slice` and its length; `('\0', 1)` past
/// the end or off a character boundary.
fn char_at(slice: &str, at: usize) -> (char, usize) {
    slice
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(('\0', 1), |c| (c, c.len_utf8()))
}

/// Finishes the word of `slice` that starts at byte `i` and whose letters
/// so far end at `end`, under the general rules (joiners, letters beyond
/// ASCII, a period that belongs to the word, a possessive ending); pushes
/// it and returns the position to go on from.
/// Out of line: the fast loop of [`tokenize_into`] keeps its registers.
#[inline(never)]
fn finish_word<'a>(
    slice: &'a str,
    base: usize,
    i: usize,
    mut end: usize,
    tokens: &mut Vec<Token<'a>>,
) -> usize {
    let bytes = slice.as_bytes();
    while end < bytes.len() {
        end = ascii_word_end(bytes, end);
        let Some(&b) = bytes.get(end) else {
            break;
        };
        if ASCII_CLASS[usize::from(b)] == AsciiClass::Other {
            break;
        }
        let (d, d_len) = char_at(slice, end);
        if super::lexicon::is_alphanumeric(d) {
            end += d_len;
        } else if matches!(d, '.' | '-' | '\'' | '’' | '&' | '\u{ad}') {
            let j = end;
            // Keep joiners only when a letter or digit follows.
            let next = slice.get(j + d_len..).and_then(|rest| rest.chars().next());
            // "Burdine.Family": a period between a word and a capital
            // is two sentences run together, unlike "U.S." or "KDKA.com".
            let run_together = d == '.'
                && next.is_some_and(char::is_uppercase)
                && slice
                    .get(i..j)
                    .and_then(|w| w.rsplit('.').next())
                    .is_some_and(|w| w.len() >= 2 && w.chars().any(char::is_lowercase));
            if next.is_some_and(char::is_alphanumeric) && !run_together {
                end += d_len;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    let mut pos = end;
    // The space after most words, skipped here rather than by another
    // turn of the loop.
    if bytes.get(pos) == Some(&b' ') {
        pos += 1;
    }
    let Some(mut word) = slice.get(i..end) else {
        return pos.max(i + 1);
    };
    // A period right after an initial, an abbreviation or a dotted
    // acronym belongs to the word: "V.", "Mr.", "U.S.".
    if bytes.get(end) == Some(&b'.') {
        // One character, without counting them all.
        let mut chars = word.chars();
        let initial = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
        if initial || DOTTED.contains(&word) || word.contains('.') {
            end += 1;
            word = slice.get(i..end).unwrap_or(word);
        }
    }
    let mut possessive = false;
    // Every possessive ending is an s after ' or ’ (whose last byte is 0x99).
    let wb = word.as_bytes();
    let suffixes: &[&str] = if matches!(wb.last(), Some(b's' | b'S'))
        && matches!(wb.len().checked_sub(2).map(|k| wb[k]), Some(b'\'' | 0x99))
    {
        &["'s", "’s", "'S", "’S"]
    } else {
        &[]
    };
    for suffix in suffixes {
        if let Some(stem) = word.strip_suffix(suffix) {
            if !stem.is_empty() {
                word = stem;
                possessive = true;
            }
        }
    }
    // "Ukraines'" (plural possessive) is rare in names; leave it.
    tokens.push(Token {
        start: base + i,
        end: base + i + word.len(),
        text: word,
        possessive,
        ascii: word.is_ascii(),
    });
    pos
}

/// The tokenizer before its ASCII fast path, kept as the test oracle of
/// [`tokenize_into`].
#[cfg(test)]
fn tokenize_into_reference<'a>(text: &'a str, range: Range<usize>, tokens: &mut Vec<Token<'a>>) {
    tokens.clear();
    let Some(slice) = text.get(range.clone()) else {
        return;
    };
    let base = range.start;
    // Walks bytes, decoding a character only where the text is not ASCII:
    // news text is nearly all ASCII, and this runs over every sentence.
    let bytes = slice.as_bytes();
    let char_at = |at: usize| -> (char, usize) {
        slice[at..]
            .chars()
            .next()
            .map_or(('\0', 1), |c| (c, c.len_utf8()))
    };
    let mut pos = 0;
    while pos < bytes.len() {
        let i = pos;
        match ASCII_CLASS[usize::from(bytes[pos])] {
            AsciiClass::Word => pos += 1,
            AsciiClass::Joiner | AsciiClass::Other => {
                pos += 1;
                continue;
            }
            AsciiClass::NotAscii => {
                let (c, len) = char_at(pos);
                pos += len;
                if !super::lexicon::is_alphanumeric(c) {
                    continue;
                }
            }
        }
        let mut end = pos;
        while end < bytes.len() {
            end = ascii_word_end(bytes, end);
            let Some(&b) = bytes.get(end) else {
                break;
            };
            if ASCII_CLASS[usize::from(b)] == AsciiClass::Other {
                break;
            }
            let (d, d_len) = char_at(end);
            if super::lexicon::is_alphanumeric(d) {
                end += d_len;
            } else if matches!(d, '.' | '-' | '\'' | '’' | '&' | '\u{ad}') {
                let j = end;
                // Keep joiners only when a letter or digit follows.
                let next = slice[j + d_len..].chars().next();
                // "Burdine.Family": a period between a word and a capital
                // is two sentences run together, unlike "U.S." or "KDKA.com".
                let run_together = d == '.'
                    && next.is_some_and(char::is_uppercase)
                    && slice[i..j]
                        .rsplit('.')
                        .next()
                        .is_some_and(|w| w.len() >= 2 && w.chars().any(char::is_lowercase));
                if next.is_some_and(char::is_alphanumeric) && !run_together {
                    end += d_len;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        pos = end;
        // The space after most words, skipped here rather than by another
        // turn of the loop.
        if bytes.get(pos) == Some(&b' ') {
            pos += 1;
        }
        let mut word = &slice[i..end];
        // A period right after an initial, an abbreviation or a dotted
        // acronym belongs to the word: "V.", "Mr.", "U.S.".
        if bytes.get(end) == Some(&b'.') {
            let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if initial || DOTTED.contains(&word) || word.contains('.') {
                end += 1;
                word = &slice[i..end];
            }
        }
        let mut possessive = false;
        // Every possessive ending is an s after ' or ’ (whose last byte is 0x99).
        let wb = word.as_bytes();
        let suffixes: &[&str] = if matches!(wb.last(), Some(b's' | b'S'))
            && matches!(wb.len().checked_sub(2).map(|k| wb[k]), Some(b'\'' | 0x99))
        {
            &["'s", "’s", "'S", "’S"]
        } else {
            &[]
        };
        for suffix in suffixes {
            if let Some(stem) = word.strip_suffix(suffix) {
                if !stem.is_empty() {
                    word = stem;
                    possessive = true;
                }
            }
        }
        // "Ukraines'" (plural possessive) is rare in names; leave it.
        tokens.push(Token {
            start: base + i,
            end: base + i + word.len(),
            text: word,
            possessive,
            ascii: word.is_ascii(),
        });
    }
}

/// Words that start sentences in capitals but never begin a name.
/// `ascii`: whether `word` is all ASCII ([`Token::ascii`]), known to the
/// caller, so that a word that is no stopword is not scanned again.
fn is_stopword(word: &str, ascii: bool) -> bool {
    // The list is lower-case; words reach here capitalised or in capitals,
    // so those spellings are stored too and no lookup allocates.
    // With, by first byte, a bit for each length of the words stored: most
    // capitalised words are turned away before hashing.
    static WORDS: OnceLock<(HashSet<String>, [u64; 256])> = OnceLock::new();
    let (words, shapes) = WORDS.get_or_init(|| {
        let mut set: HashSet<String> = HashSet::default();
        for w in include_str!("../../rules/lexicon/not-names.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let mut chars = w.chars();
            let capitalised: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            set.insert(w.to_uppercase());
            set.insert(capitalised);
            set.insert(w.to_string());
        }
        let mut shapes = [0u64; 256];
        for w in &set {
            if let Some(&b) = w.as_bytes().first() {
                shapes[usize::from(b)] |= 1 << w.len().min(63);
            }
        }
        (set, shapes)
    });
    let contains = |w: &str| match w.as_bytes().first() {
        Some(&b) if shapes[usize::from(b)] & (1 << w.len().min(63)) == 0 => false,
        _ => words.contains(w),
    };
    contains(word) || (!ascii && contains(&word.to_lowercase()))
}

/// A set of words asked about often and mostly in vain: by first byte, a
/// bit for each length of its words turns most words away before hashing.
struct WordSet {
    words: HashSet<&'static str>,
    shapes: [u64; 256],
}

impl WordSet {
    fn new(words: impl Iterator<Item = &'static str>) -> WordSet {
        let mut set = WordSet {
            words: HashSet::default(),
            shapes: [0; 256],
        };
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                set.shapes[usize::from(b)] |= 1 << w.len().min(63);
            }
            set.words.insert(w);
        }
        set
    }

    fn from_lines(text: &'static str) -> WordSet {
        WordSet::new(
            text.lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        )
    }

    fn contains(&self, w: &str) -> bool {
        match w.as_bytes().first() {
            Some(&b) if self.shapes[usize::from(b)] & (1 << w.len().min(63)) == 0 => false,
            _ => self.words.contains(w),
        }
    }
}

/// A courtesy title from the lexicon ("Mr.", "Dr."), looked up by hash:
/// it is asked of every capitalised word.
fn is_honorific(word: &str) -> bool {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS
        .get_or_init(|| WordSet::new(Lexicon::builtin().honorifics.iter().map(String::as_str)))
        .contains(word)
}

/// Words that make a capitalised run an organisation.
fn is_org_word(word: &str) -> bool {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS
        .get_or_init(|| WordSet::from_lines(include_str!("../../rules/lexicon/org-words.txt")))
        .contains(word)
}

/// Capitalised words that head references, not names ("Article 5").
/// A match, not a scan of a list: asked of most capitalised words.
fn is_never_name(word: &str) -> bool {
    matches!(
        word,
        "Article"
            | "Articles"
            | "Chapter"
            | "Section"
            | "Page"
            | "Figure"
            | "Table"
            | "Photo"
            | "Video"
            | "Update"
            | "Editor"
            | "Note"
    )
}

/// Words that end a capitalised run naming a place ("Lamb Boulevard",
/// "Pierce County").
fn is_place_word(word: &str) -> bool {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS
        .get_or_init(|| WordSet::from_lines(include_str!("../../rules/lexicon/place-words.txt")))
        .contains(word)
}

/// Words that begin a capitalised run naming a place ("Fort Hood",
/// "Mount Pleasant", "Saint Francis" the hospital).
fn is_place_prefix(word: &str) -> bool {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS
        .get_or_init(|| WordSet::from_lines(include_str!("../../rules/lexicon/place-prefixes.txt")))
        .contains(word)
}

/// What the words around a capitalised run say about it. Only a run that
/// would otherwise be typed a person by its shape alone is affected: an
/// honorific or an office before it still makes it a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunContext {
    Plain,
    /// After "in"/"near", or before "neighborhood"/"section": a place
    /// ("barbershops in Oak Cliff", "the Chad Brown section").
    Place,
    /// After a capitalised possessive: a business named for its owner
    /// ("John's Barber Shop", "Gaffey's Fast Lube").
    Venue,
    /// After "of" inside a run: where the person before it belongs
    /// ("Malcom Hunt of Pastors United").
    Affiliation,
    /// After a capitalised "The" inside a sentence: a title or an
    /// institution ("a book called The Cosmo Way").
    Titled,
    /// In a Title Case line (a headline, a link, a slogan) capitals say
    /// nothing; the name counts only when the body confirms it.
    TitleLine,
}

/// The only lower-case words a Title Case headline keeps: articles,
/// conjunctions and prepositions ("Shooting at Occupied Vehicle"). Any
/// other lower-case word ("met", "was") makes the line a sentence.
/// A match, not a search of a list: asked of most lower-case words of a
/// sentence with a name of two words.
fn is_title_lower(word: &str) -> bool {
    matches!(
        word,
        "a" | "amid"
            | "an"
            | "and"
            | "as"
            | "at"
            | "but"
            | "by"
            | "for"
            | "from"
            | "in"
            | "into"
            | "near"
            | "nor"
            | "of"
            | "off"
            | "on"
            | "onto"
            | "or"
            | "over"
            | "per"
            | "than"
            | "the"
            | "to"
            | "up"
            | "upon"
            | "via"
            | "vs"
            | "vs."
            | "with"
    )
}

/// Nouns that, right after a capitalised run, make it a place name
/// ("the Chad Brown section of the city").
#[cfg(test)]
const PLACE_NOUNS: &[&str] = &[
    "area",
    "community",
    "district",
    "neighborhood",
    "neighbourhood",
    "section",
    "subdivision",
];

/// One of [`PLACE_NOUNS`]: a match, not a scan of the list.
#[inline(always)]
fn is_place_noun(word: &str) -> bool {
    matches!(
        word,
        "area"
            | "community"
            | "district"
            | "neighborhood"
            | "neighbourhood"
            | "section"
            | "subdivision"
    )
}

/// A sentence in Title Case: at least four capitalised words and no
/// lower-case word but those a headline keeps in lower case. Web
/// addresses and their paths ("pic.twitter.com/oJh1VDZ9B0") are not words
/// of the line.
#[cfg(test)]
fn is_title_line(text: &str, tokens: &[Token]) -> bool {
    let mut capitals = 0;
    for t in tokens {
        match title_word(text, t) {
            TitleWord::Capital => capitals += 1,
            TitleWord::Sentence => return false,
            TitleWord::Neutral => {}
        }
    }
    capitals >= 4
}

/// What a word says about its line being in Title Case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TitleWord {
    Capital,
    /// A lower-case word a headline does not keep: the line is a sentence.
    Sentence,
    Neutral,
}

#[inline(always)]
fn title_word(text: &str, t: &Token) -> TitleWord {
    let Some(c) = t.text.chars().next() else {
        return TitleWord::Neutral;
    };
    if c.is_uppercase() {
        TitleWord::Capital
    } else if c.is_lowercase()
        // Those are ASCII: a byte test finds them in any text.
        && !t.text.bytes().any(|b| matches!(b, b'.' | b'/' | b'0'..=b'9'))
        && text.as_bytes().get(t.start.wrapping_sub(1)) != Some(&b'/')
        && !is_title_lower(t.text)
    {
        TitleWord::Sentence
    } else {
        TitleWord::Neutral
    }
}

/// Name particles ("von der Leyen"), the oracle of [`is_particle`].
#[cfg(test)]
const PARTICLES: &[&str] = &[
    "von", "van", "der", "de", "del", "della", "di", "da", "du", "la", "le", "bin", "al", "el",
    "dos", "das", "ter",
];

/// One of [`PARTICLES`]. A match, not a scan of the list: asked of most
/// words after a capitalised one and of every word of a run.
#[inline(always)]
fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "von"
            | "van"
            | "der"
            | "de"
            | "del"
            | "della"
            | "di"
            | "da"
            | "du"
            | "la"
            | "le"
            | "bin"
            | "al"
            | "el"
            | "dos"
            | "das"
            | "ter"
    )
}

/// Words that join the parts of an organisation's name ("Council on
/// Foreign Relations"). A match, not a scan of a list.
#[inline(always)]
fn is_org_connector(word: &str) -> bool {
    matches!(word, "of" | "on" | "for" | "and" | "the")
}

/// The office phrases ("secretary of state", "defense minister") and
/// ranks the office search looks for, lower case.
fn office_phrases() -> &'static [String] {
    static PHRASES: OnceLock<Vec<String>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let lexicon = Lexicon::builtin();
        let mut phrases: Vec<String> = lexicon
            .offices
            .keys()
            .filter(|p| p.len() > 2)
            .cloned()
            .collect();
        phrases.extend(
            [
                "minister",
                "secretary",
                "commander",
                "chief",
                "lieutenant",
                "colonel",
                "sergeant",
                "captain",
                "major",
                "lt.",
                "col.",
                "sgt.",
                "capt.",
                "maj.",
                "king",
                "queen",
                "prince",
                "princess",
                "pope",
                "judge",
                "justice",
                "sheriff",
                "officer",
                "detective",
                "deputy",
                "acting",
                "former",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        phrases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        phrases.dedup();
        phrases
    })
}

/// Byte ranges of office phrases ("Secretary of State", "defense
/// minister") and ranks in a sentence: they separate names and are not
/// part of them.
fn office_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let mut phrases: Vec<String> = office_phrases().iter().map(|p| regex::escape(p)).collect();
        phrases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        // "Sheriff's Department", "Coroner’s Office": the office of an
        // institution, still no part of a name before it.
        let pattern = format!(
            r"(?i)(?-u:\b)(?:{})(?:\s|$|,|['’]s(?-u:\b))",
            phrases.join("|")
        );
        Regex::new(&pattern).unwrap_or_else(|e| panic!("office regex: {e}"))
    })
}

/// Whether an ASCII word could lie inside an office match at all: a word
/// inside one is, lower-cased, a piece of an office phrase (or of its
/// possessive) that starts at the phrase's start or after a character that
/// is no letter or digit, and ends at its end or before such a character,
/// since a word starts and ends only there. Most words are no such piece,
/// and their sentence never runs the regex.
/// `None` when the word is not ASCII (the regex folds case beyond ASCII)
/// or a phrase is not ASCII. `ascii` is whether `word` is all ASCII, which
/// the tokenizer already knows ([`Token::ascii`]): not scanned again here.
fn may_be_in_office(word: &str, ascii: bool) -> Option<bool> {
    /// Hashes of the pieces ([`lower_hash`]; a word whose hash collides
    /// only runs the regex for nothing), and by first and by last byte the
    /// lengths they come in: two loads turn most words away before hashing.
    struct Pieces {
        set: HashSet<u64>,
        first: [u64; 256],
        last: [u64; 256],
    }
    fn length_bit(len: usize) -> u64 {
        1 << len.min(63)
    }
    static PIECES: OnceLock<Option<Pieces>> = OnceLock::new();
    let pieces = PIECES
        .get_or_init(|| {
            let phrases = office_phrases();
            if !phrases.iter().all(|p| p.is_ascii()) {
                return None;
            }
            let mut pieces = Pieces {
                set: HashSet::default(),
                first: [0; 256],
                last: [0; 256],
            };
            for phrase in phrases {
                for full in [phrase.clone(), format!("{phrase}'s")] {
                    let b = full.as_bytes();
                    let starts =
                        (0..b.len()).filter(|&a| a == 0 || !b[a - 1].is_ascii_alphanumeric());
                    for a in starts {
                        let ends = (a + 1..=b.len())
                            .filter(|&z| b.get(z).is_none_or(|c| !c.is_ascii_alphanumeric()));
                        for z in ends {
                            let piece = &b[a..z];
                            pieces.first[usize::from(piece[0])] |= length_bit(piece.len());
                            pieces.last[usize::from(piece[piece.len() - 1])] |=
                                length_bit(piece.len());
                            pieces.set.insert(lower_hash(piece));
                        }
                    }
                }
            }
            Some(pieces)
        })
        .as_ref()?;
    let w = word.as_bytes();
    let (Some(&f), Some(&l)) = (w.first(), w.last()) else {
        return None;
    };
    if !ascii {
        return None;
    }
    let bit = length_bit(w.len());
    if pieces.first[usize::from(f.to_ascii_lowercase())] & bit == 0
        || pieces.last[usize::from(l.to_ascii_lowercase())] & bit == 0
    {
        return Some(false);
    }
    Some(pieces.set.contains(&lower_hash(w)))
}

/// FNV-1a of the ASCII lower case of `w`, without a lower-cased copy.
fn lower_hash(w: &[u8]) -> u64 {
    w.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Finds entity mentions in the given sentences of `text`, resolving short
/// person mentions to the fullest name the document gives.
pub fn extract_entities(text: &str, sentences: &[Range<usize>]) -> Vec<EntityMention> {
    let lexicon = Lexicon::builtin();
    // About one mention per 30 bytes of news text.
    let mut mentions = Vec::with_capacity(text.len() / 30);
    // Room for the words of most sentences, without growing.
    let mut tokens = Vec::with_capacity(128);
    for sentence in sentences {
        tokenize_into(text, sentence.clone(), &mut tokens);
        mentions_in_sentence(text, sentence.clone(), &tokens, lexicon, &mut mentions);
    }
    resolve_people(&mut mentions);
    mentions
}

fn mentions_in_sentence(
    text: &str,
    sentence: Range<usize>,
    tokens: &[Token],
    lexicon: &Lexicon,
    out: &mut Vec<EntityMention>,
) {
    let Some(slice) = text.get(sentence.clone()) else {
        return;
    };
    // The office search runs over the whole sentence, and only once a
    // capitalised word has passed every cheaper test: many sentences never
    // ask.
    let office_spans: std::cell::OnceCell<Vec<Range<usize>>> = std::cell::OnceCell::new();
    let in_office = |t: &Token| {
        if may_be_in_office(t.text, t.ascii) == Some(false) {
            return false;
        }
        office_spans
            .get_or_init(|| {
                office_regex()
                    .find_iter(slice)
                    .map(|m| {
                        let trimmed = m.as_str().trim_end_matches([' ', ',', '\t', '\n', '\r']);
                        sentence.start + m.start()..sentence.start + m.start() + trimmed.len()
                    })
                    .collect()
            })
            .iter()
            .any(|r| r.start <= t.start && t.end <= r.end)
    };
    // Which tokens stand in a Title Case segment, worked out once per
    // sentence and only when a run of two or more words asks.
    let mut title = TitleScan::default();
    let mut i = 0;
    while i < tokens.len() {
        // Only a capitalised word opens a run; the other tests below are
        // for those few, and only they copy the token.
        if !tokens[i].capitalised() {
            i += 1;
            continue;
        }
        let token = tokens[i];
        // Asked only of a word the tests below leave undecided.
        let first_of_sentence =
            || i == 0 || starts_after_open_quote(text, sentence.start, token.start);
        // Only a word with an apostrophe (’ starts with byte E2) splits.
        let contraction_of_stopword = token.text.bytes().any(|b| b == b'\'' || b == 0xE2)
            && token.text.split(['\'', '’']).next().is_some_and(|stem| {
                stem.len() < token.text.len() && is_stopword(stem, stem.is_ascii())
            });
        let sentence_initial_gerund = token.text.ends_with("ing") && first_of_sentence();
        // "Twenty-year-old Elijah Rodgers": the age is not the name.
        let age = contains_ignore_ascii_case(token.text, "year-old");
        let nameable = !contraction_of_stopword
            && !sentence_initial_gerund
            && !age
            && !is_never_name(token.text)
            && !is_honorific(token.text)
            && !is_calendar_word(token.text)
            && !(is_stopword(token.text, token.ascii)
                && (token.text.len() <= 3 || first_of_sentence()))
            && !in_office(&token);
        if !nameable {
            i += 1;
            continue;
        }
        // Extend the run over capitalised words, name particles and, when
        // a capitalised word follows, organisation connectors.
        let mut j = i + 1;
        let mut last_cap = i;
        while j < tokens.len() {
            let t = tokens[j];
            let prev = &tokens[j - 1];
            // Most gaps are one space, known without slicing or decoding.
            let one_space = t.start == prev.end + 1 && text.as_bytes().get(prev.end) == Some(&b' ');
            if prev.possessive
                || !(one_space
                    || text[prev.end..t.start]
                        .chars()
                        .all(|c| c == ' ' || c == '\u{a0}'))
            {
                break;
            }
            if t.capitalised()
                && !is_honorific(t.text)
                && !is_calendar_word(t.text)
                && !in_office(&t)
            {
                last_cap = j;
                j += 1;
            } else if is_particle(t.text) || is_org_connector(t.text) {
                // Several particles may stand together ("von der").
                let mut k = j + 1;
                while tokens.get(k).is_some_and(|n| is_particle(n.text)) {
                    k += 1;
                }
                if tokens
                    .get(k)
                    .is_some_and(|n| n.capitalised() && !in_office(n))
                {
                    j = k;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let run = &tokens[i..=last_cap];
        let honorific = i
            .checked_sub(1)
            .map(|k| tokens[k])
            .filter(|t| is_honorific(t.text) || in_office(t))
            .map(|t| t.text.to_string());
        let context = run_context(text, tokens, i, last_cap, &mut title);
        classify_run(text, run, honorific, context, lexicon, out);
        i = last_cap + 1;
    }
}

/// Reads the words just before and after `tokens[first..=last]` (only
/// across plain spaces) for what kind of name the run can be.
fn run_context(
    text: &str,
    tokens: &[Token],
    first: usize,
    last: usize,
    title: &mut TitleScan,
) -> RunContext {
    let adjacent = |a: &Token, b: &Token| {
        // Most gaps are one space, known without slicing or decoding.
        if b.start == a.end + 1 && text.as_bytes().get(a.end) == Some(&b' ') {
            return true;
        }
        text.get(a.end..b.start).is_some_and(|gap| {
            // "Gaffey's Fast Lube": the possessive stands between them.
            let gap = if a.possessive {
                gap.get(2..)
                    .filter(|_| gap.starts_with("'s"))
                    .or_else(|| gap.get(4..).filter(|_| gap.starts_with("’s")))
                    .unwrap_or(gap)
            } else {
                gap
            };
            !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
        })
    };
    let owner = tokens[last].possessive;
    if let Some(prev) = first.checked_sub(1).map(|k| &tokens[k]) {
        if adjacent(prev, &tokens[first]) {
            if prev.possessive && prev.capitalised() {
                return RunContext::Venue;
            }
            if prev.text == "The" && first > 1 {
                return RunContext::Titled;
            }
            // "in John Smith's car" names a person: the possessive wins.
            if !owner
                && ["in", "near"]
                    .iter()
                    .any(|p| prev.text.eq_ignore_ascii_case(p))
            {
                return RunContext::Place;
            }
        }
    }
    if !owner {
        if let Some(next) = tokens.get(last + 1) {
            if adjacent(&tokens[last], next) && is_place_noun(next.text) {
                return RunContext::Place;
            }
        }
    }
    // One capitalised word is no name by its shape alone, headline or not.
    if last > first && title.is_title(text, tokens, first) {
        return RunContext::TitleLine;
    }
    RunContext::Plain
}

/// For each token, whether its segment of the sentence is in Title Case:
/// at least four capitalised words and no sentence word. Segments end at a break that separates a headline
/// from the rest of a line: a colon, a dash, a bar or a line break ("Mar
/// 13 - Upstate New York Shooting Update: Police may..."). One pass; once a
/// segment has a sentence word, its other words are not read.
fn title_segments(text: &str, tokens: &[Token]) -> Vec<bool> {
    let mut flags = vec![false; tokens.len()];
    let mut from = 0;
    let mut capitals = 0;
    let mut sentence = false;
    for (k, t) in tokens.iter().enumerate() {
        if !sentence {
            match title_word(text, t) {
                TitleWord::Capital => capitals += 1,
                TitleWord::Sentence => sentence = true,
                TitleWord::Neutral => {}
            }
        }
        if tokens
            .get(k + 1)
            .is_none_or(|next| title_break(text, t, next))
        {
            if !sentence && capitals >= 4 {
                flags[from..=k].fill(true);
            }
            from = k + 1;
            capitals = 0;
            sentence = false;
        }
    }
    flags
}

/// Whether the gap between two words ends a Title Case segment.
/// Always inlined: asked of most words of a sentence with a run of two.
#[inline(always)]
fn title_break(text: &str, a: &Token, b: &Token) -> bool {
    // Most gaps are one space, which breaks nothing.
    if b.start == a.end + 1 && text.as_bytes().get(a.end) == Some(&b' ') {
        return false;
    }
    text.get(a.end..b.start).is_none_or(|gap| {
        gap != " " && (gap.contains([':', '|', '—', '–', '\n']) || gap.contains(" - "))
    })
}

/// [`title_segments`] read lazily, for the runs of one sentence, which ask
/// about their first words in sentence order: the scan stops at the asked
/// word once its segment has a sentence word (most sentences have one
/// within a few words), so the words after the last run that asks are
/// mostly never read, and nothing is allocated.
#[derive(Default)]
struct TitleScan {
    /// The next token to read.
    next: usize,
    /// The first token of the segment being read.
    from: usize,
    capitals: usize,
    sentence: bool,
}

impl TitleScan {
    /// `title_segments(text, tokens)[q]`, false past the end.
    fn is_title(&mut self, text: &str, tokens: &[Token], q: usize) -> bool {
        if q < self.from {
            // A segment already passed: runs do not ask backwards, but
            // the answer stays the same if one does.
            return title_segments(text, tokens)
                .get(q)
                .copied()
                .unwrap_or(false);
        }
        loop {
            // `q` was read, in this segment, which has a sentence word.
            if self.sentence && q < self.next {
                return false;
            }
            let k = self.next;
            let Some(t) = tokens.get(k) else {
                return false;
            };
            if !self.sentence {
                match title_word(text, t) {
                    TitleWord::Capital => self.capitals += 1,
                    TitleWord::Sentence => self.sentence = true,
                    TitleWord::Neutral => {}
                }
            }
            self.next = k + 1;
            if tokens.get(k + 1).is_none_or(|n| title_break(text, t, n)) {
                let flag = !self.sentence && self.capitals >= 4;
                self.from = k + 1;
                self.capitals = 0;
                self.sentence = false;
                if q <= k {
                    return flag;
                }
            }
        }
    }
}

/// `haystack` contains `needle` (ASCII) in any letter case, without
/// allocating a lower-cased copy per token.
fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn starts_after_open_quote(text: &str, sentence_start: usize, at: usize) -> bool {
    text.get(sentence_start..at)
        .map(|before| before.trim_end())
        .is_some_and(|b| b.ends_with(['"', '“', '‘', '(', '—', ':']) || b.is_empty())
}

fn is_calendar_word(word: &str) -> bool {
    // A match, not a scan of a list: asked of every capitalised word.
    matches!(
        word,
        "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "January"
            | "February"
            | "March"
            | "April"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Jan."
            | "Feb."
            | "Aug."
            | "Sept."
            | "Oct."
            | "Nov."
            | "Dec."
    )
}

fn classify_run(
    text: &str,
    run: &[Token],
    mut honorific: Option<String>,
    context: RunContext,
    lexicon: &Lexicon,
    out: &mut Vec<EntityMention>,
) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    let span = first.start..last.end;
    let titled = honorific.is_some();
    let surface = &text[span.clone()];
    // Each call pushes at most once, or hands the honorific on to the
    // first part of a split run: moved, not copied.
    let mut push =
        |out: &mut Vec<EntityMention>, span: Range<usize>, kind, canonical: String, how| {
            out.push(EntityMention {
                start: span.start,
                end: span.end,
                text: text[span].to_string(),
                kind,
                canonical,
                honorific: honorific.take(),
                how,
            });
        };
    if let Some(entry) = lexicon.gazetteer(surface) {
        let kind = match entry.kind {
            GazetteerKind::Place => EntityKind::Place,
            GazetteerKind::Org => EntityKind::Org,
        };
        push(out, span, kind, entry.canonical.clone(), "gazetteer");
        return;
    }
    if run.last().is_some_and(|t| is_place_word(t.text)) {
        let canonical = surface.strip_prefix("The ").unwrap_or(surface).to_string();
        push(out, span, EntityKind::Place, canonical, "place-word");
        return;
    }
    // "Kingsport Times-News", "Utica Observer-Dispatch": a hyphenated
    // organisation word counts too.
    let org_word = |t: &Token| {
        is_org_word(t.text) || (t.text.contains('-') && t.text.split('-').any(is_org_word))
    };
    if run.iter().any(org_word) {
        let canonical = surface.strip_prefix("The ").unwrap_or(surface).to_string();
        push(out, span, EntityKind::Org, canonical, "org-word");
        return;
    }
    // "Joint Base Lewis-McChord", "Fort Hood": a place word inside the run
    // or a place prefix opening it. "St." is left out inside a run, where
    // it is "Saint" in a surname ("Jamie St. Clair").
    let inner_place_word = run
        .iter()
        .skip(1)
        .any(|t| is_place_word(t.text) && !t.text.starts_with("St"));
    if run.len() >= 2 && (inner_place_word || is_place_prefix(first.text)) {
        push(
            out,
            span,
            EntityKind::Place,
            surface.to_string(),
            "place-word",
        );
        return;
    }
    // A run that starts with a known place or organisation followed by
    // more capitals ("US European Command" handled above; "Ukrainian
    // Volodymyr Zelenskyy" is rare) is split at the gazetteer prefix.
    if run.len() >= 2 {
        for cut in (1..run.len()).rev() {
            let head = &text[first.start..run[cut - 1].end];
            if let Some(entry) = lexicon.gazetteer(head) {
                let kind = match entry.kind {
                    GazetteerKind::Place => EntityKind::Place,
                    GazetteerKind::Org => EntityKind::Org,
                };
                push(
                    out,
                    first.start..run[cut - 1].end,
                    kind,
                    entry.canonical.clone(),
                    "gazetteer",
                );
                classify_run(text, &run[cut..], None, context, lexicon, out);
                return;
            }
        }
    }
    // "Vladimir V. Putin of Russia": a connector in a run that is no
    // organisation separates two names.
    if let Some(cut) = run.iter().position(|t| is_org_connector(t.text)) {
        if cut > 0 {
            classify_run(text, &run[..cut], honorific, context, lexicon, out);
        }
        let rest = &run[cut + 1..];
        let skip = rest.iter().take_while(|t| is_org_connector(t.text)).count();
        // "John Smith and Mary Jones" coordinates two names alike; "Hunt
        // of Pastors United" names where Hunt belongs.
        let rest_context = if run[cut].text == "and" || context == RunContext::TitleLine {
            context
        } else {
            RunContext::Affiliation
        };
        classify_run(text, &rest[skip..], None, rest_context, lexicon, out);
        return;
    }
    if run.len() >= 2 {
        for cut in 1..run.len() {
            let tail = &text[run[cut].start..last.end];
            if lexicon.gazetteer(tail).is_some() {
                classify_run(text, &run[..cut], honorific, context, lexicon, out);
                classify_run(text, &run[cut..], None, context, lexicon, out);
                return;
            }
        }
    }
    // The common shape ("Marco") is asked first: the particle list is a
    // scan of strings.
    let name_shaped = run.iter().all(|t| {
        let lower_after_first = if t.ascii {
            t.text.bytes().skip(1).any(|b| b.is_ascii_lowercase())
        } else {
            t.text.chars().skip(1).any(char::is_lowercase)
        };
        (t.capitalised() && lower_after_first)
            || is_particle(t.text)
            || t.text.chars().count() == 2 && t.text.ends_with('.')
    });
    let connectors = run.iter().any(|t| is_org_connector(t.text));
    let person_shaped = name_shaped && !connectors && (run.len() >= 2 || titled);
    if person_shaped && (titled || context == RunContext::Plain) {
        let how = if run.len() >= 2 {
            "full-name"
        } else {
            "honorific"
        };
        push(out, span, EntityKind::Person, surface.to_string(), how);
    } else if person_shaped {
        let (kind, how) = match context {
            RunContext::Place => (EntityKind::Place, "place-context"),
            RunContext::Venue => (EntityKind::Org, "venue"),
            RunContext::Affiliation => (EntityKind::Unknown, "affiliation"),
            RunContext::Titled => (EntityKind::Unknown, "titled"),
            RunContext::TitleLine | RunContext::Plain => (EntityKind::Unknown, "title-line"),
        };
        push(out, span, kind, surface.to_string(), how);
    } else {
        push(
            out,
            span,
            EntityKind::Unknown,
            surface.to_string(),
            "capitalised",
        );
    }
}

/// Within one document: a surname or honorific + surname mention takes the
/// fullest name ending in that surname; an unknown single word that is a
/// known surname becomes that person.
fn resolve_people(mentions: &mut [EntityMention]) {
    // Decided on borrowed text first, then applied: only the canonical
    // names handed out are copied.
    let mut by_surname: HashMap<&str, &str> = HashMap::default();
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        let mut words = m.text.split_whitespace();
        words.next();
        if let Some(surname) = words.last() {
            let entry = by_surname.entry(surname).or_default();
            if m.text.len() > entry.len() {
                *entry = &m.text;
            }
        }
    }
    // A one-word person known only by honorific ("Mr. Trump") still
    // claims the bare word elsewhere in the document.
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        if !m.text.contains(' ') {
            by_surname.entry(&m.text).or_insert(&m.text);
        }
    }
    // A name in a Title Case line is a person when the body names that
    // person in the same words ("Case: Elijah Rodgers").
    // Built only for a document with such a line: most have none.
    let full_names: HashSet<&str> = if mentions.iter().any(|m| m.how == "title-line") {
        by_surname.values().copied().collect()
    } else {
        HashSet::default()
    };
    let changes: Vec<(usize, bool, Option<String>)> = mentions
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let confirmed = m.how == "title-line" && full_names.contains(m.text.as_str());
            let kind = if confirmed {
                EntityKind::Person
            } else {
                m.kind
            };
            let full = (matches!(kind, EntityKind::Person | EntityKind::Unknown)
                && !m.text.contains(' '))
            .then(|| by_surname.get(m.text.as_str()))
            .flatten()
            .map(|full| full.to_string());
            (confirmed || full.is_some()).then_some((i, confirmed, full))
        })
        .collect();
    for (i, confirmed, full) in changes {
        let m = &mut mentions[i];
        if confirmed {
            m.kind = EntityKind::Person;
            m.how = "full-name";
        }
        if let Some(full) = full {
            m.kind = EntityKind::Person;
            if full != m.text {
                m.how = "surname";
            }
            m.canonical = full;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> Vec<(String, String)> {
        extract_entities(text, &[0..text.len()])
            .into_iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| (m.text, m.canonical))
            .collect()
    }

    fn kinds(text: &str) -> Vec<(String, EntityKind, String)> {
        extract_entities(text, &[0..text.len()])
            .into_iter()
            .map(|m| (m.text, m.kind, m.canonical))
            .collect()
    }

    #[test]
    fn tokenize_keeps_initials_acronyms_and_splits_possessives() {
        let text = "Vladimir V. Putin met U.S. officials in Trump’s office.";
        let words: Vec<&str> = tokenize(text, 0..text.len())
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            [
                "Vladimir",
                "V.",
                "Putin",
                "met",
                "U.S.",
                "officials",
                "in",
                "Trump",
                "office"
            ]
        );
    }

    #[test]
    fn extract_entities_strips_offices_from_names() {
        let text =
            "US Secretary of State Marco Rubio spoke with British Defense Minister John Healey.";
        assert_eq!(
            kinds(text),
            [
                ("US".into(), EntityKind::Place, "United States".into()),
                (
                    "Marco Rubio".into(),
                    EntityKind::Person,
                    "Marco Rubio".into()
                ),
                ("British".into(), EntityKind::Place, "United Kingdom".into()),
                (
                    "John Healey".into(),
                    EntityKind::Person,
                    "John Healey".into()
                ),
            ]
        );
    }

    #[test]
    fn extract_entities_resolves_surnames_and_honorifics_within_a_document() {
        let text = "Marco Rubio arrived. Later Mr. Rubio said Rubio would stay.";
        assert_eq!(
            people(text),
            [
                ("Marco Rubio".into(), "Marco Rubio".into()),
                ("Rubio".into(), "Marco Rubio".into()),
                ("Rubio".into(), "Marco Rubio".into()),
            ]
        );
    }

    #[test]
    fn extract_entities_reads_organisations_with_connectors() {
        let text = "Liana Fix, a fellow for Europe at the Council on Foreign Relations, spoke.";
        let found = kinds(text);
        assert!(found.contains(&(
            "Council on Foreign Relations".into(),
            EntityKind::Org,
            "Council on Foreign Relations".into()
        )));
        assert!(found.contains(&("Liana Fix".into(), EntityKind::Person, "Liana Fix".into())));
    }

    #[test]
    fn extract_entities_keeps_name_particles_and_initials() {
        assert_eq!(
            people("Ursula von der Leyen met President Vladimir V. Putin of Russia."),
            [
                ("Ursula von der Leyen".into(), "Ursula von der Leyen".into()),
                ("Vladimir V. Putin".into(), "Vladimir V. Putin".into()),
            ]
        );
    }

    #[test]
    fn extract_entities_skips_sentence_starters_and_calendar_words() {
        let found = kinds("However, on Thursday the talks in Geneva ended. The Kremlin said no.");
        let names: Vec<&str> = found.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(names, ["Geneva", "Kremlin"]);
    }

    fn sentences_people(text: &str) -> Vec<(String, String)> {
        // One sentence per line, as the segmenter gives headline lines.
        let mut ranges = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            ranges.push(start..start + line.trim_end().len());
            start += line.len();
        }
        extract_entities(text, &ranges)
            .into_iter()
            .filter(|m| m.kind == EntityKind::Person)
            .map(|m| (m.text, m.canonical))
            .collect()
    }

    #[test]
    fn title_lower_keeps_only_articles_conjunctions_and_prepositions() {
        for w in ["a", "and", "of", "the", "vs", "vs.", "with"] {
            assert!(is_title_lower(w), "{w}");
        }
        for w in ["met", "was", "The", "OF", "vs.x", "", "ofs"] {
            assert!(!is_title_lower(w), "{w}");
        }
    }

    #[test]
    fn office_prefilter_never_hides_a_word_inside_an_office_match() {
        let mut texts = vec![
            "Police Chief John Smith and Lt. Col. Ann Lee met Secretary of State Marco Rubio \
             and the Defense Minister's aide, Sheriff's deputies, former Prime Minister May, \
             Attorney General's Office, KING James, Chief of Staff, chief-of-staff Judge Judy."
                .to_string(),
        ];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
        let mut hidden = 0;
        let mut checked = 0;
        for text in &texts {
            let spans: Vec<Range<usize>> = office_regex()
                .find_iter(text)
                .map(|m| {
                    let trimmed = m.as_str().trim_end_matches([' ', ',', '\t', '\n', '\r']);
                    m.start()..m.start() + trimmed.len()
                })
                .collect();
            for t in tokenize(text, 0..text.len()) {
                let inside = spans.iter().any(|r| r.start <= t.start && t.end <= r.end);
                if inside {
                    checked += 1;
                    assert_ne!(may_be_in_office(t.text, t.ascii), Some(false), "{}", t.text);
                } else if may_be_in_office(t.text, t.ascii) == Some(false) {
                    hidden += 1;
                }
            }
        }
        assert!(checked > 20, "{checked}");
        assert!(hidden > 1000, "{hidden}");
    }

    #[test]
    fn offices_before_a_possessive_are_not_surnames() {
        let text = "The Gilmer County Sheriff's Department and the Clark County Sheriff’s office \
                    and the Montgomery County Coroner’s Office said so.";
        let found = kinds(text);
        assert!(people(text).is_empty(), "{found:?}");
        assert!(found.contains(&(
            "Gilmer County".into(),
            EntityKind::Place,
            "Gilmer County".into()
        )));
    }

    #[test]
    fn title_case_lines_give_people_only_when_the_body_confirms_them() {
        let text = "Gang Member Convicted of First-Degree Murder\n\
                    Case: Elijah Rodgers, Murder Trial Update\n\
                    Stay Up To Date With Us\n\
                    Elijah Rodgers was convicted by a jury.\n";
        assert_eq!(
            sentences_people(text),
            [
                ("Elijah Rodgers".into(), "Elijah Rodgers".into()),
                ("Elijah Rodgers".into(), "Elijah Rodgers".into()),
            ]
        );
        // Near miss: a sentence with lower-case words is no headline.
        assert_eq!(
            sentences_people("Gang member Elijah Rodgers was convicted.\n"),
            [("Elijah Rodgers".into(), "Elijah Rodgers".into())]
        );
    }

    #[test]
    fn title_case_segments_of_a_line_are_headlines() {
        let text = "March 13, 2013 - Upstate New York Shooting Update: Police may have \
                    located gunman\n\
                    # Stand Tall, Stand Wild, Stand Free pic.twitter.com/Pb — Convos With \
                    Cosmo (@ConvosWithCosmo) July 10, 2016\n";
        assert!(sentences_people(text).is_empty(), "{:?}", kinds(text));
    }

    #[test]
    fn title_line_test_skips_web_addresses_and_short_words() {
        let line = "Stand Tall, Stand Wild pic.twitter.com/oJh1VDZ9B0 — Convos With Cosmo July 10";
        assert!(is_title_line(line, &tokenize(line, 0..line.len())));
        let line = "Davis is the manager of His & Hers Barbers";
        assert!(!is_title_line(line, &tokenize(line, 0..line.len())));
    }

    #[test]
    fn runs_after_a_capitalised_possessive_are_businesses() {
        let text = "Two were killed at Gaffey's Fast Lube and Car Wash.";
        let found = kinds(text);
        assert!(people(text).is_empty(), "{found:?}");
        assert!(found.contains(&("Fast Lube".into(), EntityKind::Org, "Fast Lube".into())));
        assert!(found.contains(&("Car Wash".into(), EntityKind::Org, "Car Wash".into())));
        // Near miss: a lower-case word between owner and name.
        assert_eq!(
            people("Herkimer's acting clerk Amanda Viscomi spoke."),
            [("Amanda Viscomi".into(), "Amanda Viscomi".into())]
        );
    }

    #[test]
    fn runs_after_in_or_before_a_place_noun_are_places() {
        let text = "Barbershops in Oak Cliff closed. It happened in the Chad Brown section.";
        let found = kinds(text);
        assert!(people(text).is_empty(), "{found:?}");
        assert!(found.contains(&("Oak Cliff".into(), EntityKind::Place, "Oak Cliff".into())));
        assert!(found.contains(&("Chad Brown".into(), EntityKind::Place, "Chad Brown".into())));
        // Near misses: an owner, and a name after "with".
        assert_eq!(
            people("The gun was in John Smith's car with Mary Jones."),
            [
                ("John Smith".into(), "John Smith".into()),
                ("Mary Jones".into(), "Mary Jones".into()),
            ]
        );
    }

    #[test]
    fn affiliations_and_titles_are_not_people() {
        assert_eq!(
            people("Malcom Hunt of Pastors United said a book called The Cosmo Way sold."),
            [("Malcom Hunt".into(), "Malcom Hunt".into())]
        );
        // Near miss: "and" joins two people.
        assert_eq!(
            people("Yesterday Ernest Jasper and Dustin Grey crossed."),
            [
                ("Ernest Jasper".into(), "Ernest Jasper".into()),
                ("Dustin Grey".into(), "Dustin Grey".into()),
            ]
        );
    }

    #[test]
    fn hyphenated_newspaper_names_are_organisations() {
        let text = "Read more at the Kingsport Times-News. The Utica Observer-Dispatch told Mary Smith-Jones.";
        let found = kinds(text);
        assert!(found.contains(&(
            "Kingsport Times-News".into(),
            EntityKind::Org,
            "Kingsport Times-News".into()
        )));
        assert!(found.contains(&(
            "Utica Observer-Dispatch".into(),
            EntityKind::Org,
            "Utica Observer-Dispatch".into()
        )));
        assert_eq!(
            people(text),
            [("Mary Smith-Jones".into(), "Mary Smith-Jones".into())]
        );
    }

    #[test]
    fn base_and_fort_names_are_places() {
        let text = "He was shot at Joint Base Lewis-McChord, not Fort Hood, said Jamie St. Clair.";
        let found = kinds(text);
        assert!(found.contains(&(
            "Joint Base Lewis-McChord".into(),
            EntityKind::Place,
            "Joint Base Lewis-McChord".into()
        )));
        assert!(found.contains(&("Fort Hood".into(), EntityKind::Place, "Fort Hood".into())));
        assert_eq!(
            people(text),
            [("Jamie St. Clair".into(), "Jamie St. Clair".into())]
        );
    }

    #[test]
    fn tokenizer_fast_path_matches_the_reference_tokenizer() {
        use crate::text::testing::{soup, xorshift};
        let pieces = [
            "a", "Bc", "DEF", "x9", "42", " ", "  ", ",", ".", "-", "'", "’", "&", "s", "S", "'s",
            "’s", "Mr", "U.S", "\u{ad}", "\u{a0}", "é", "Ö", "ß", "—", "“", "”", "\n", "Burdine",
            ".Family", "year-old", "٣", "…", "(", ":", "/", "\t", "ing",
        ];
        let check = |text: &str| {
            let key = |t: &Token| {
                assert_eq!(t.ascii, t.text.is_ascii(), "{t:?}");
                (t.start, t.end, t.text.to_string(), t.possessive, t.ascii)
            };
            for range in [0..text.len(), text.len().min(3)..text.len()] {
                if text.get(range.clone()).is_none() {
                    continue;
                }
                let mut fast = Vec::new();
                let mut slow = Vec::new();
                tokenize_into(text, range.clone(), &mut fast);
                tokenize_into_reference(text, range, &mut slow);
                let fast: Vec<_> = fast.iter().map(key).collect();
                let slow: Vec<_> = slow.iter().map(key).collect();
                assert_eq!(fast, slow, "{text:?}");
            }
        };
        let mut next = xorshift(0x5eed_7013);
        for _ in 0..20_000 {
            check(&soup(&mut next, &pieces, 24));
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                check(&std::fs::read_to_string(path).unwrap());
            }
        }
    }

    #[test]
    fn lazy_title_scan_matches_title_segments() {
        use crate::text::testing::{soup, xorshift};
        let pieces = [
            "Gang ",
            "Member ",
            "of ",
            "the ",
            "said ",
            "was ",
            "A ",
            "pic.twitter.com/x ",
            ": ",
            " - ",
            "| ",
            "— ",
            "\n",
            ", ",
            "Up ",
            "To ",
            "Date ",
            "With ",
            "Us ",
            "7 ",
            "vs. ",
            "x/y ",
            "in ",
            "Stand ",
            "Tall ",
            "É ",
            "é ",
        ];
        let mut next = xorshift(0x7171_e5ca);
        for _ in 0..20_000 {
            let text = soup(&mut next, &pieces, 30);
            let tokens = tokenize(&text, 0..text.len());
            let eager = title_segments(&text, &tokens);
            // Questions in sentence order, as runs ask, and now and then
            // one backwards or past the end.
            let mut scan = TitleScan::default();
            let mut q = 0;
            while q <= tokens.len() + 1 {
                let expected = eager.get(q).copied().unwrap_or(false);
                assert_eq!(scan.is_title(&text, &tokens, q), expected, "{text:?} {q}");
                if next() % 7 == 0 && q > 0 {
                    let back = (next() % q as u64) as usize;
                    let expected = eager.get(back).copied().unwrap_or(false);
                    assert_eq!(
                        scan.is_title(&text, &tokens, back),
                        expected,
                        "{text:?} {back}"
                    );
                }
                q += 1 + (next() % 4) as usize;
            }
        }
    }

    #[test]
    fn particle_and_connector_matches_follow_their_lists() {
        let connectors = ["of", "on", "for", "and", "the"];
        let mut words: Vec<&str> = PARTICLES.iter().chain(&connectors).copied().collect();
        words.extend(["Von", "VAN", "de.", "dell", "of ", "", "tHe", "an", "ands"]);
        for w in words {
            assert_eq!(is_particle(w), PARTICLES.contains(&w), "{w}");
            assert_eq!(is_org_connector(w), connectors.contains(&w), "{w}");
        }
        for w in PLACE_NOUNS
            .iter()
            .copied()
            .chain(["Area", "areas", "", "sections"])
        {
            assert_eq!(is_place_noun(w), PLACE_NOUNS.contains(&w), "{w}");
        }
    }

    #[test]
    fn tokenize_splits_sentences_run_together_at_a_period() {
        let text = "Montrell Burdine.Family said U.S. and KDKA.com agreed.";
        let words: Vec<&str> = tokenize(text, 0..text.len())
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            words,
            ["Montrell", "Burdine", "Family", "said", "U.S.", "and", "KDKA.com", "agreed"]
        );
    }

    #[test]
    fn runs_cross_spaces_and_no_break_spaces_only() {
        // One space (the fast path), two spaces and a no-break space join;
        // a comma or a line break ends the run.
        for text in [
            "Yesterday Ernest Jasper spoke.",
            "Yesterday Ernest  Jasper spoke.",
            "Yesterday Ernest\u{a0}Jasper spoke.",
        ] {
            let words: Vec<String> = kinds(text).into_iter().map(|(t, _, _)| t).collect();
            assert_eq!(words.len(), 1, "{text}: {words:?}");
            assert!(words[0].starts_with("Ernest") && words[0].ends_with("Jasper"));
        }
        for text in [
            "Yesterday Ernest, Jasper spoke.",
            "Yesterday Ernest\nJasper spoke.",
        ] {
            assert_eq!(kinds(text).len(), 2, "{text}");
        }
        assert!(is_never_name("Article") && is_never_name("Note"));
        assert!(!is_never_name("article") && !is_never_name("Notes"));
    }

    #[test]
    fn extract_entities_never_panics_on_odd_text() {
        for text in ["", "’s", "A.", "U.S.’s", "Mr.", "— “Q”", "a\u{a0}B C"] {
            let _ = extract_entities(text, &[0..text.len()]);
        }
    }
}
