//! Named entities: people, organisations and places, from capitalised word
//! runs, honorifics, offices and the gazetteers in `rules/lexicon/`.
//!
//! Input: a document's text and its sentence ranges. Output: entity
//! mentions with spans; within one document, short mentions ("Mr. Rubio",
//! "Rubio") resolve to the full name ("Marco Rubio"). Across documents,
//! `key::entity` merges spelling variants.

use super::lexicon::{GazetteerKind, Lexicon};
use regex::Regex;
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;
use std::collections::BTreeMap;
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
}

impl Token<'_> {
    pub fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Abbreviations whose final period belongs to the word.
const DOTTED: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Adm", "Rep", "Sen", "Gov", "Lt", "Col", "Sgt", "Capt", "St",
    "Jr", "Sr", "Prof", "Rev", "Maj", "Cpl", "Pvt", "Mx",
];

/// Splits `text[range]` into words with byte spans. Internal periods,
/// hyphens and apostrophes stay inside a word ("U.S.", "Article-5",
/// "O'Sullivan"); a possessive 's is split off and flagged.
pub(crate) fn tokenize(text: &str, range: Range<usize>) -> Vec<Token<'_>> {
    let Some(slice) = text.get(range.clone()) else {
        return Vec::new();
    };
    // About one word per six bytes of news text: one allocation, not a
    // dozen regrowths per sentence.
    let mut tokens = Vec::with_capacity(slice.len() / 6 + 1);
    let base = range.start;
    let mut chars = slice.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                chars.next();
            } else if matches!(d, '.' | '-' | '\'' | '’' | '&' | '\u{ad}') {
                // Keep joiners only when a letter or digit follows.
                let mut look = slice[j + d.len_utf8()..].chars();
                if look.next().is_some_and(char::is_alphanumeric) {
                    chars.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let mut word = &slice[i..end];
        // A period right after an initial, an abbreviation or a dotted
        // acronym belongs to the word: "V.", "Mr.", "U.S.".
        if slice[end..].starts_with('.') {
            let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if initial || DOTTED.contains(&word) || word.contains('.') {
                end += 1;
                word = &slice[i..end];
            }
        }
        let mut possessive = false;
        for suffix in ["'s", "’s", "'S", "’S"] {
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
        });
    }
    tokens
}

/// Words that start sentences in capitals but never begin a name.
fn is_stopword(word: &str) -> bool {
    // The list is lower-case; words reach here capitalised or in capitals,
    // so those spellings are stored too and no lookup allocates.
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        let mut set = HashSet::default();
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
        set
    });
    words.contains(word) || (!word.is_ascii() && words.contains(&word.to_lowercase()))
}

/// Words that make a capitalised run an organisation.
fn is_org_word(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        include_str!("../../rules/lexicon/org-words.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    words.contains(word)
}

/// Capitalised words that head references, not names ("Article 5").
const NEVER_NAMES: &[&str] = &[
    "Article", "Articles", "Chapter", "Section", "Page", "Figure", "Table", "Photo", "Video",
    "Update", "Editor", "Note",
];

/// Words that end a capitalised run naming a place ("Lamb Boulevard",
/// "Pierce County").
fn is_place_word(word: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        include_str!("../../rules/lexicon/place-words.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    words.contains(word)
}

const PARTICLES: &[&str] = &[
    "von", "van", "der", "de", "del", "della", "di", "da", "du", "la", "le", "bin", "al", "el",
    "dos", "das", "ter",
];
const ORG_CONNECTORS: &[&str] = &["of", "on", "for", "and", "the"];

/// Byte ranges of office phrases ("Secretary of State", "defense
/// minister", "President") and ranks in a sentence: they separate names
/// and are not part of them.
fn office_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let lexicon = Lexicon::builtin();
        let mut phrases: Vec<String> = lexicon
            .offices
            .keys()
            .filter(|p| p.len() > 2)
            .map(|p| regex::escape(p))
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
                "lt\\.",
                "col\\.",
                "sgt\\.",
                "capt\\.",
                "maj\\.",
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
        let pattern = format!(r"(?i)(?-u:\b)(?:{})(?:\s|$|,)", phrases.join("|"));
        Regex::new(&pattern).unwrap_or_else(|e| panic!("office regex: {e}"))
    })
}

/// Finds entity mentions in the given sentences of `text`, resolving short
/// person mentions to the fullest name the document gives.
pub fn extract_entities(text: &str, sentences: &[Range<usize>]) -> Vec<EntityMention> {
    let lexicon = Lexicon::builtin();
    let mut mentions = Vec::new();
    for sentence in sentences {
        mentions_in_sentence(text, sentence.clone(), lexicon, &mut mentions);
    }
    resolve_people(&mut mentions);
    mentions
}

fn mentions_in_sentence(
    text: &str,
    sentence: Range<usize>,
    lexicon: &Lexicon,
    out: &mut Vec<EntityMention>,
) {
    let Some(slice) = text.get(sentence.clone()) else {
        return;
    };
    let office_spans: Vec<Range<usize>> = office_regex()
        .find_iter(slice)
        .map(|m| {
            let trimmed = m.as_str().trim_end_matches([' ', ',', '\t', '\n', '\r']);
            sentence.start + m.start()..sentence.start + m.start() + trimmed.len()
        })
        .collect();
    let in_office = |t: &Token| {
        office_spans
            .iter()
            .any(|r| r.start <= t.start && t.end <= r.end)
    };
    let tokens = tokenize(text, sentence.clone());
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        let first_of_sentence =
            i == 0 || starts_after_open_quote(text, sentence.start, token.start);
        let contraction_of_stopword = token
            .text
            .split(['\'', '’'])
            .next()
            .is_some_and(|stem| stem.len() < token.text.len() && is_stopword(stem));
        let sentence_initial_gerund = first_of_sentence && token.text.ends_with("ing");
        // "Twenty-year-old Elijah Rodgers": the age is not the name.
        let age = contains_ignore_ascii_case(token.text, "year-old");
        let nameable = token.capitalised()
            && !contraction_of_stopword
            && !sentence_initial_gerund
            && !age
            && !NEVER_NAMES.contains(&token.text)
            && !in_office(&token)
            && !lexicon.honorifics.contains(token.text)
            && !is_calendar_word(token.text)
            && !(is_stopword(token.text) && (first_of_sentence || token.text.len() <= 3));
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
            let gap = &text[tokens[j - 1].end..t.start];
            if tokens[j - 1].possessive || !gap.chars().all(|c| c == ' ' || c == '\u{a0}') {
                break;
            }
            if t.capitalised()
                && !in_office(&t)
                && !lexicon.honorifics.contains(t.text)
                && !is_calendar_word(t.text)
            {
                last_cap = j;
                j += 1;
            } else if PARTICLES.contains(&t.text) || ORG_CONNECTORS.contains(&t.text) {
                // Several particles may stand together ("von der").
                let mut k = j + 1;
                while tokens.get(k).is_some_and(|n| PARTICLES.contains(&n.text)) {
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
            .filter(|t| lexicon.honorifics.contains(t.text) || in_office(t))
            .map(|t| t.text.to_string());
        classify_run(text, run, honorific, lexicon, out);
        i = last_cap + 1;
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
    const WORDS: &[&str] = &[
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan.",
        "Feb.",
        "Aug.",
        "Sept.",
        "Oct.",
        "Nov.",
        "Dec.",
    ];
    WORDS.contains(&word)
}

fn classify_run(
    text: &str,
    run: &[Token],
    honorific: Option<String>,
    lexicon: &Lexicon,
    out: &mut Vec<EntityMention>,
) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    let span = first.start..last.end;
    let surface = &text[span.clone()];
    let push = |out: &mut Vec<EntityMention>, span: Range<usize>, kind, canonical: String, how| {
        out.push(EntityMention {
            start: span.start,
            end: span.end,
            text: text[span].to_string(),
            kind,
            canonical,
            honorific: honorific.clone(),
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
    if run.iter().any(|t| is_org_word(t.text)) {
        let canonical = surface.strip_prefix("The ").unwrap_or(surface).to_string();
        push(out, span, EntityKind::Org, canonical, "org-word");
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
                classify_run(text, &run[cut..], None, lexicon, out);
                return;
            }
        }
    }
    // "Vladimir V. Putin of Russia": a connector in a run that is no
    // organisation separates two names.
    if let Some(cut) = run.iter().position(|t| ORG_CONNECTORS.contains(&t.text)) {
        if cut > 0 {
            classify_run(text, &run[..cut], honorific.clone(), lexicon, out);
        }
        let rest = &run[cut + 1..];
        let skip = rest
            .iter()
            .take_while(|t| ORG_CONNECTORS.contains(&t.text))
            .count();
        classify_run(text, &rest[skip..], None, lexicon, out);
        return;
    }
    if run.len() >= 2 {
        for cut in 1..run.len() {
            let tail = &text[run[cut].start..last.end];
            if lexicon.gazetteer(tail).is_some() {
                classify_run(text, &run[..cut], honorific.clone(), lexicon, out);
                classify_run(text, &run[cut..], None, lexicon, out);
                return;
            }
        }
    }
    let name_shaped = run.iter().all(|t| {
        PARTICLES.contains(&t.text)
            || t.text.chars().count() == 2 && t.text.ends_with('.')
            || (t.capitalised() && t.text.chars().skip(1).any(char::is_lowercase))
    });
    let connectors = run.iter().any(|t| ORG_CONNECTORS.contains(&t.text));
    if run.len() >= 2 && name_shaped && !connectors {
        push(
            out,
            span,
            EntityKind::Person,
            surface.to_string(),
            "full-name",
        );
    } else if honorific.is_some() && name_shaped && !connectors {
        push(
            out,
            span,
            EntityKind::Person,
            surface.to_string(),
            "honorific",
        );
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
    let mut by_surname: BTreeMap<String, String> = BTreeMap::new();
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        let words: Vec<&str> = m.text.split_whitespace().collect();
        if words.len() >= 2 {
            if let Some(surname) = words.last() {
                let entry = by_surname.entry(surname.to_string()).or_default();
                if m.text.len() > entry.len() {
                    *entry = m.text.clone();
                }
            }
        }
    }
    // A one-word person known only by honorific ("Mr. Trump") still
    // claims the bare word elsewhere in the document.
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        if !m.text.contains(' ') {
            by_surname
                .entry(m.text.clone())
                .or_insert_with(|| m.text.clone());
        }
    }
    for m in mentions.iter_mut() {
        if !matches!(m.kind, EntityKind::Person | EntityKind::Unknown) || m.text.contains(' ') {
            continue;
        }
        if let Some(full) = by_surname.get(&m.text) {
            m.kind = EntityKind::Person;
            if full != &m.text {
                m.how = "surname";
            }
            m.canonical = full.clone();
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

    #[test]
    fn extract_entities_never_panics_on_odd_text() {
        for text in ["", "’s", "A.", "U.S.’s", "Mr.", "— “Q”", "a\u{a0}B C"] {
            let _ = extract_entities(text, &[0..text.len()]);
        }
    }
}
