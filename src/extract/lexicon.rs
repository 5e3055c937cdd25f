//! Gazetteers and word lists, kept as data under `rules/lexicon/` and
//! compiled into the binary. Each file opens with a `# FORMAT:` line and is
//! kept in canonical sorted order (a test checks it).

use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// What a gazetteer entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GazetteerKind {
    Place,
    Org,
}

/// A gazetteer hit: the canonical name and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerEntry {
    pub canonical: String,
    pub kind: GazetteerKind,
    /// "country", "state", "city", "region", "org"...
    pub detail: String,
}

/// Every lexicon the extractors use.
#[derive(Debug)]
pub struct Lexicon {
    /// Alias (as written) -> entry. Aliases are matched case-sensitively,
    /// except all-capitals text, which is looked up lower-cased.
    gazetteer: HashMap<String, GazetteerEntry>,
    gazetteer_lower: HashMap<String, GazetteerEntry>,
    /// One bit per [`shape`] of the `gazetteer` keys (length, first,
    /// middle and last byte): most capitalised runs asked about are no key,
    /// and this answers them without hashing the whole run.
    gazetteer_shapes: Box<[u64; SHAPE_WORDS]>,
    /// The same for the `gazetteer_lower` keys: an all-capitals ASCII name
    /// asked about is mostly no key either ("WASHINGTON (AP)"), and this
    /// answers it without a lower-cased copy.
    gazetteer_lower_shapes: Box<[u64; SHAPE_WORDS]>,
    /// Office alias (lower-case) -> canonical office.
    pub offices: BTreeMap<String, String>,
    pub qualifiers: BTreeSet<String>,
    pub honorifics: BTreeSet<String>,
}

pub const PLACES: &str = include_str!("../../rules/lexicon/places.csv");
pub const US_STATES: &str = include_str!("../../rules/lexicon/us-states.csv");
pub const CITIES: &str = include_str!("../../rules/lexicon/cities.csv");
pub const ORGANIZATIONS: &str = include_str!("../../rules/lexicon/organizations.csv");
pub const ROLES: &str = include_str!("../../rules/lexicon/roles.csv");
pub const QUALIFIERS: &str = include_str!("../../rules/lexicon/qualifiers.txt");
pub const HONORIFICS: &str = include_str!("../../rules/lexicon/honorifics.txt");

/// Month names, lower-case.
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Weekday names, lower-case.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A lower-case month or weekday name. "may" is one; callers that meet
/// the verb decide whether to count it.
/// `char::is_alphanumeric`, answering the dashes, quotation marks and
/// ellipsis of U+2010..U+2027 (punctuation, in most news text) without the
/// Unicode table look-ups.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    !matches!(c, '\u{2010}'..='\u{2027}') && c.is_alphanumeric()
}

/// `s` ASCII-lower-cased with its words joined by one space, written into
/// `buf` without allocating: words are split at ASCII whitespace (the
/// ASCII characters `char::is_whitespace` holds for) and, with
/// `hyphen_splits`, at `-` too. `None` when `s` is not ASCII or does not fit.
#[inline]
pub(crate) fn ascii_words_key<'b>(
    s: &str,
    buf: &'b mut [u8],
    hyphen_splits: bool,
) -> Option<&'b str> {
    if !s.is_ascii() {
        return None;
    }
    let mut n = 0;
    let mut gap = false;
    for &b in s.as_bytes() {
        if matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
            || (hyphen_splits && b == b'-')
        {
            gap = true;
            continue;
        }
        if gap && n > 0 {
            *buf.get_mut(n)? = b' ';
            n += 1;
        }
        gap = false;
        *buf.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

pub fn is_month_or_weekday(lower: &str) -> bool {
    MONTH_NAMES.contains(&lower) || WEEKDAY_NAMES.contains(&lower)
}

/// Data lines of a lexicon file: no comments, no blank lines.
pub fn data_lines(source: &str) -> impl Iterator<Item = &str> {
    source
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Words of 64 bits in the gazetteer shape filter.
const SHAPE_WORDS: usize = 1024;

/// A hash of a word's length and first, middle and last bytes, which costs
/// a few instructions at any length; 0 for the empty word. Its high bits
/// index shape filters and small hash tables.
#[inline]
pub(crate) fn shape_hash(key: &[u8]) -> u32 {
    let n = key.len();
    let (Some(&a), Some(&z)) = (key.first(), key.last()) else {
        return 0;
    };
    let mid = key.get(n / 2).copied().unwrap_or(0);
    (n as u32)
        .wrapping_mul(0x9E37_79B9)
        .wrapping_add(u32::from(a).wrapping_mul(0x85EB_CA6B))
        .wrapping_add(u32::from(z).wrapping_mul(0xC2B2_AE35))
        .wrapping_add(u32::from(mid).wrapping_mul(0x27D4_EB2F))
}

/// A key's shape, `0..SHAPE_WORDS * 64`: the top 16 bits of [`shape_hash`].
fn shape(key: &[u8]) -> usize {
    (shape_hash(key) >> 16) as usize
}

fn has_shape(shapes: &[u64; SHAPE_WORDS], key: &[u8]) -> bool {
    let s = shape(key);
    shapes[s / 64] & (1 << (s % 64)) != 0
}

/// [`shape`] of the ASCII lower case of `key`, without the copy: only the
/// length and three bytes enter the hash. Equals `shape` of the lower-cased
/// text when `key` is ASCII.
fn ascii_lower_shape(key: &[u8]) -> usize {
    let n = key.len();
    let (Some(&a), Some(&z)) = (key.first(), key.last()) else {
        return 0;
    };
    let mid = key.get(n / 2).copied().unwrap_or(0);
    let lower = [
        a.to_ascii_lowercase(),
        mid.to_ascii_lowercase(),
        z.to_ascii_lowercase(),
    ];
    // Same as shape_hash, with the lowered bytes.
    ((n as u32)
        .wrapping_mul(0x9E37_79B9)
        .wrapping_add(u32::from(lower[0]).wrapping_mul(0x85EB_CA6B))
        .wrapping_add(u32::from(lower[2]).wrapping_mul(0xC2B2_AE35))
        .wrapping_add(u32::from(lower[1]).wrapping_mul(0x27D4_EB2F))
        >> 16) as usize
}

fn split_aliases(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|a| !a.is_empty())
}

impl Lexicon {
    /// The lexicons compiled into the binary.
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::load)
    }

    fn load() -> Lexicon {
        let mut gazetteer = HashMap::default();
        for source in [PLACES, US_STATES, CITIES, ORGANIZATIONS] {
            for line in data_lines(source) {
                let mut fields = line.splitn(3, ',');
                let (Some(canonical), Some(detail)) = (fields.next(), fields.next()) else {
                    continue;
                };
                let kind = if detail == "org" {
                    GazetteerKind::Org
                } else {
                    GazetteerKind::Place
                };
                let entry = GazetteerEntry {
                    canonical: canonical.to_string(),
                    kind,
                    detail: detail.to_string(),
                };
                let aliases = fields.next().unwrap_or("");
                for alias in std::iter::once(canonical).chain(split_aliases(aliases)) {
                    let alias = alias.strip_prefix("the ").unwrap_or(alias);
                    gazetteer.entry(alias.to_string()).or_insert(entry.clone());
                }
            }
        }
        let mut gazetteer_shapes = Box::new([0u64; SHAPE_WORDS]);
        for key in gazetteer.keys() {
            let s = shape(key.as_bytes());
            gazetteer_shapes[s / 64] |= 1 << (s % 64);
        }
        let gazetteer_lower: HashMap<String, GazetteerEntry> = gazetteer
            .iter()
            .map(|(k, v)| (k.to_lowercase(), v.clone()))
            .collect();
        let mut gazetteer_lower_shapes = Box::new([0u64; SHAPE_WORDS]);
        for key in gazetteer_lower.keys() {
            let s = shape(key.as_bytes());
            gazetteer_lower_shapes[s / 64] |= 1 << (s % 64);
        }
        let mut offices = BTreeMap::new();
        for line in data_lines(ROLES) {
            let (canonical, aliases) = line.split_once(',').unwrap_or((line, ""));
            offices.insert(canonical.to_string(), canonical.to_string());
            for alias in split_aliases(aliases) {
                offices.insert(alias.to_lowercase(), canonical.to_string());
            }
        }
        let words = |source: &str| data_lines(source).map(str::to_string).collect();
        Lexicon {
            gazetteer,
            gazetteer_lower,
            gazetteer_shapes,
            gazetteer_lower_shapes,
            offices,
            qualifiers: words(QUALIFIERS),
            honorifics: words(HONORIFICS),
        }
    }

    /// Looks a name up in the gazetteers.
    pub fn gazetteer(&self, name: &str) -> Option<&GazetteerEntry> {
        let name = name.strip_prefix("the ").unwrap_or(name);
        let may_be_key = has_shape(&self.gazetteer_shapes, name.as_bytes());
        if may_be_key {
            if let Some(entry) = self.gazetteer.get(name) {
                return Some(entry);
            }
        }
        // All-capitals text ("NEW YORK:") is looked up lower-cased; counted
        // without allocating, since most lookups are ordinary names.
        // All capitals? ASCII bytes without decoding, the rest by char.
        let mut letters = 0;
        let mut ascii = 0;
        for &b in name.as_bytes() {
            if !b.is_ascii() {
                break;
            }
            if b.is_ascii_lowercase() {
                return None;
            }
            letters += usize::from(b.is_ascii_uppercase());
            ascii += 1;
        }
        for c in name[ascii..].chars().filter(|c| c.is_alphabetic()) {
            if !c.is_uppercase() {
                return None;
            }
            letters += 1;
        }
        if letters > 3 {
            // All ASCII, the name lower-cases byte for byte, and its
            // lower-case shape turns most names away before the copy.
            if ascii == name.len() {
                let s = ascii_lower_shape(name.as_bytes());
                if self.gazetteer_lower_shapes[s / 64] & (1 << (s % 64)) == 0 {
                    return None;
                }
            }
            return self.gazetteer_lower.get(&name.to_lowercase());
        }
        None
    }

    /// The canonical office for a lower-case office phrase.
    pub fn office(&self, phrase: &str) -> Option<&str> {
        self.offices.get(phrase).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_canonical(name: &str, source: &str) {
        let first = source.lines().next().unwrap_or("");
        assert!(
            first.starts_with("# FORMAT:"),
            "{name} lacks a FORMAT header"
        );
        let keys: Vec<String> = data_lines(source)
            .map(|l| l.split(',').next().unwrap_or(l).to_lowercase())
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{name} is not sorted by its first field");
        let unique: BTreeSet<_> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len(), "{name} has duplicate entries");
    }

    #[test]
    fn lexicon_files_are_in_canonical_form() {
        for (name, source) in [
            ("places.csv", PLACES),
            ("us-states.csv", US_STATES),
            ("cities.csv", CITIES),
            ("organizations.csv", ORGANIZATIONS),
            ("roles.csv", ROLES),
            ("qualifiers.txt", QUALIFIERS),
            ("honorifics.txt", HONORIFICS),
            (
                "org-words.txt",
                include_str!("../../rules/lexicon/org-words.txt"),
            ),
            (
                "place-words.txt",
                include_str!("../../rules/lexicon/place-words.txt"),
            ),
            (
                "place-prefixes.txt",
                include_str!("../../rules/lexicon/place-prefixes.txt"),
            ),
            (
                "not-names.txt",
                include_str!("../../rules/lexicon/not-names.txt"),
            ),
            (
                "count-predicates.csv",
                include_str!("../../rules/lexicon/count-predicates.csv"),
            ),
        ] {
            check_canonical(name, source);
        }
    }

    #[test]
    fn general_punctuation_is_not_alphanumeric() {
        for c in '\u{2010}'..='\u{2027}' {
            assert!(!c.is_alphanumeric() && !c.is_whitespace(), "{c:?}");
        }
        for c in ['a', 'Z', '7', 'é', 'ß', '٣', '\u{2070}', '\u{2071}'] {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn gazetteer_resolves_aliases_and_demonyms() {
        let lexicon = Lexicon::builtin();
        let uk = lexicon.gazetteer("the U.K.").unwrap();
        assert_eq!(uk.canonical, "United Kingdom");
        assert_eq!(
            lexicon.gazetteer("British").unwrap().canonical,
            "United Kingdom"
        );
        assert_eq!(
            lexicon.gazetteer("Great Britain").unwrap().canonical,
            "United Kingdom"
        );
        assert_eq!(lexicon.gazetteer("NATO").unwrap().kind, GazetteerKind::Org);
        assert_eq!(lexicon.gazetteer("NEW YORK").unwrap().canonical, "New York");
        assert_eq!(lexicon.gazetteer("Rubio"), None);
    }

    #[test]
    fn lower_shape_matches_the_shape_of_the_lower_case_copy() {
        use crate::text::testing::{soup, xorshift};
        let pieces = ["A", "b", "NEW", "York", " ", ".", "-", "Z", "q", "1", "'"];
        let mut next = xorshift(0x5eed_1e0c);
        for _ in 0..20_000 {
            let name = soup(&mut next, &pieces, 12);
            let lower = name.to_lowercase();
            assert_eq!(
                ascii_lower_shape(name.as_bytes()),
                shape(lower.as_bytes()),
                "{name:?}"
            );
        }
        // Every ASCII key written in capitals is still found, as by the
        // lower-cased lookup the filter stands before.
        let lexicon = Lexicon::builtin();
        for key in lexicon.gazetteer.keys().filter(|k| k.is_ascii()) {
            let caps = key.to_uppercase();
            assert_eq!(
                lexicon.gazetteer(&caps).is_some(),
                lexicon.gazetteer.contains_key(&caps)
                    || (caps.bytes().filter(u8::is_ascii_uppercase).count() > 3
                        && lexicon.gazetteer_lower.contains_key(&caps.to_lowercase())),
                "{caps}"
            );
        }
    }

    #[test]
    fn offices_map_synonyms_to_one_canonical_office() {
        let lexicon = Lexicon::builtin();
        assert_eq!(
            lexicon.office("defence secretary"),
            Some("defense minister")
        );
        assert_eq!(lexicon.office("defense minister"), Some("defense minister"));
        assert_eq!(
            lexicon.office("national security advisor"),
            Some("national security adviser")
        );
        assert_eq!(lexicon.office("chef"), None);
    }
}
