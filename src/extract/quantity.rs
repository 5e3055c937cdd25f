//! Quantities: counts, money, percentages, measures, durations and ages.
//!
//! A quantity is found from its number (digits or number words), then grown
//! leftwards (currency sign, hedge) and rightwards (scale word, range, unit,
//! counted noun, or the `-noun` of an adjectival form such as "33-nation").
//! Candidates are every digit and every word start that begins a number word
//! (one byte-class pass; see `scan`), so text without numbers costs a single
//! cheap scan.
//!
//! Choices the rules downstream rely on:
//! - Vague plurals ("dozens of", "hundreds of", "tens of thousands of") are
//!   counts with hedge `at least` and twice the base: "hundreds of" is 200.
//! - Years, date parts, clock times, phone numbers, street numbers, zip codes,
//!   ordinals, list markers and labels ("Article 5", "Boeing 737") are never
//!   quantities; they are skipped, not returned with another kind.
//! - A lone "one" (or "a") is not a quantity: "one of the" is too common and
//!   says nothing a source could contradict.
//! - Commas group thousands US-style ("600,000"); a dot is a decimal point.

use serde::Serialize;
use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

const NUMBER_WORDS: &str = include_str!("../../rules/lexicon/number-words.txt");
const UNITS: &str = include_str!("../../rules/lexicon/units.txt");
const HEDGES: &str = include_str!("../../rules/lexicon/hedges.txt");
const PLURALS: &str = include_str!("../../rules/lexicon/plurals.txt");
const STOPWORDS: &str = include_str!("../../rules/lexicon/stopwords.txt");

/// How exact the source claims its number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Hedge {
    #[serde(rename = "exact")]
    Exact,
    #[serde(rename = "about")]
    About,
    #[serde(rename = "at least")]
    AtLeast,
    #[serde(rename = "more than")]
    MoreThan,
    #[serde(rename = "up to")]
    UpTo,
    #[serde(rename = "nearly")]
    Nearly,
    #[serde(rename = "fewer than")]
    FewerThan,
}

impl Hedge {
    /// The name it serialises as.
    pub fn as_str(self) -> &'static str {
        match self {
            Hedge::Exact => "exact",
            Hedge::About => "about",
            Hedge::AtLeast => "at least",
            Hedge::MoreThan => "more than",
            Hedge::UpTo => "up to",
            Hedge::Nearly => "nearly",
            Hedge::FewerThan => "fewer than",
        }
    }

    fn parse(s: &str) -> Option<Hedge> {
        Some(match s {
            "exact" => Hedge::Exact,
            "about" => Hedge::About,
            "at least" => Hedge::AtLeast,
            "more than" => Hedge::MoreThan,
            "up to" => Hedge::UpTo,
            "nearly" => Hedge::Nearly,
            "fewer than" => Hedge::FewerThan,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuantityKind {
    Count,
    Money,
    Percent,
    Measure,
    Duration,
    Age,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// Byte span of the whole phrase: hedge, currency, number, unit or noun.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Money in whole units (67e9 for "$67 billion"), percent as written (91).
    pub value: f64,
    /// Upper end of a range ("10 to 12").
    pub value_max: Option<f64>,
    pub hedge: Hedge,
    pub kind: QuantityKind,
    /// "USD", "percent", "year", "km/h", "celsius".
    pub unit: Option<String>,
    /// Lemmatised counted noun: "30 countries" and "33-nation" give "country", "nation".
    pub noun: Option<String>,
    /// Lemmatised head of the noun phrase an adjectival form modifies: "33-nation
    /// coalition" gives "coalition".
    pub modifies: Option<String>,
    /// What the quantity measures where the sentence says it: "coalition of the
    /// willing", "military aid", "troop".
    pub measures: Option<String>,
    /// The number as written: "33", "thirty", "1.2 million", "10 to 12".
    pub number_text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NumClass {
    Unit,
    Hundred,
    Scale,
    Dozen,
    Half,
    Vague,
    Abbr,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Money,
    Cent,
    Percent,
    Measure,
    Duration,
}

/// FNV-1a: the lexicon keys are short words looked up once or more per candidate,
/// where SipHash showed up in profiles.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fnv>>;

struct Lexicon {
    /// Bit per `prefix_key` of a number word: a word start is looked up
    /// only when its first three bytes pass.
    word_prefix: Vec<u64>,
    /// Per `prefix_key`: the index in `word_pats` of the first word with
    /// that key (`u16::MAX` if none); words sharing a key are adjacent.
    word_first: Vec<u16>,
    /// Number words a candidate may start with (all but the abbreviations,
    /// which only follow a number), lower-case, sorted, as sixteen-byte
    /// patterns.
    word_pats: Vec<WordPat>,
    numbers: FastMap<&'static str, (f64, NumClass)>,
    prefixes: Vec<(&'static str, &'static str)>,
    /// Whether some prefix ends with the byte.
    prefix_last: [bool; 256],
    units: FastMap<&'static str, (UnitKind, &'static str)>,
    hedges_before: FastMap<&'static str, Hedge>,
    hedges_after: FastMap<&'static str, Hedge>,
    /// Last words of the hedges before a number, and first words of multi-word
    /// units: cheap tests before the phrase lookups.
    hedge_last: FastSet<&'static str>,
    hedge_after_first: FastSet<&'static str>,
    unit_first: FastSet<&'static str>,
    plurals: FastMap<&'static str, &'static str>,
    stop: FastSet<&'static str>,
}

/// Data lines of a lexicon file: comments and blank lines dropped, fields split on tabs.
pub(crate) fn data_lines(src: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(build_lexicon)
}

fn build_lexicon() -> Lexicon {
    let mut numbers = FastMap::default();
    for f in data_lines(NUMBER_WORDS) {
        let (Some(w), Some(v), Some(c)) = (f.first(), f.get(1), f.get(2)) else {
            continue;
        };
        let class = match *c {
            "unit" => NumClass::Unit,
            "hundred" => NumClass::Hundred,
            "scale" => NumClass::Scale,
            "dozen" => NumClass::Dozen,
            "half" => NumClass::Half,
            "vague" => NumClass::Vague,
            "abbr" => NumClass::Abbr,
            _ => continue,
        };
        if let Ok(v) = v.parse::<f64>() {
            numbers.insert(*w, (v, class));
        }
    }
    let mut prefixes = Vec::new();
    let mut units = FastMap::default();
    for f in data_lines(UNITS) {
        let (Some(s), Some(k), Some(u)) = (f.first(), f.get(1), f.get(2)) else {
            continue;
        };
        let kind = match *k {
            "prefix" => {
                prefixes.push((*s, *u));
                continue;
            }
            "money" => UnitKind::Money,
            "cent" => UnitKind::Cent,
            "percent" => UnitKind::Percent,
            "measure" => UnitKind::Measure,
            "duration" => UnitKind::Duration,
            _ => continue,
        };
        units.insert(*s, (kind, *u));
    }
    // Longest first so "US$" wins over "$".
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let mut prefix_last = [false; 256];
    for (p, _) in &prefixes {
        if let Some(&b) = p.as_bytes().last() {
            prefix_last[usize::from(b)] = true;
        }
    }
    let mut hedges_before = FastMap::default();
    let mut hedges_after = FastMap::default();
    for f in data_lines(HEDGES) {
        let (Some(p), Some(h), Some(pos)) = (f.first(), f.get(1), f.get(2)) else {
            continue;
        };
        let Some(h) = Hedge::parse(h) else { continue };
        if *pos == "after" {
            hedges_after.insert(*p, h);
        } else {
            hedges_before.insert(*p, h);
        }
    }
    let hedge_last = hedges_before
        .keys()
        .filter_map(|p: &&'static str| p.rsplit(' ').next())
        .collect();
    let hedge_after_first = hedges_after
        .keys()
        .filter_map(|p: &&'static str| p.split(' ').next())
        .collect();
    let unit_first = units
        .keys()
        .filter(|u: &&&'static str| u.contains(' '))
        .filter_map(|u| u.split(' ').next())
        .collect();
    let plurals = data_lines(PLURALS)
        .filter_map(|f| Some((*f.first()?, *f.get(1)?)))
        .collect();
    let stop = data_lines(STOPWORDS)
        .filter_map(|f| f.first().copied())
        .collect();

    let mut number_words: Vec<&'static str> = numbers
        .iter()
        .filter(|(_, (_, c))| *c != NumClass::Abbr)
        .map(|(w, _)| *w)
        // The scan reads ASCII letters only; a longer or odd lexicon line is
        // simply never a candidate start.
        // Sixteen bytes at most: each is compared as one `u128` pattern.
        .filter(|w| (3..=16).contains(&w.len()) && w.bytes().all(|c| c.is_ascii_lowercase()))
        .collect();
    number_words.sort_unstable();
    let mut word_prefix = vec![0u64; PREFIX_BITS.div_ceil(64)];
    let mut word_first = vec![u16::MAX; PREFIX_BITS];
    let mut word_pats = Vec::with_capacity(number_words.len());
    for (i, &w) in number_words.iter().enumerate() {
        let k = prefix_key(w.as_bytes(), 0, w.len()).unwrap_or(usize::MAX);
        if let Some(first) = word_first.get_mut(k) {
            word_prefix[k / 64] |= 1u64 << (k % 64);
            if *first == u16::MAX {
                *first = u16::try_from(i).unwrap_or(u16::MAX);
            }
        }
        word_pats.push(WordPat {
            key: k,
            pat: load16(w.as_bytes(), 0, w.len()),
            mask: u128::MAX >> (8 * (16 - w.len())),
            word: w,
        });
    }
    Lexicon {
        word_prefix,
        word_first,
        word_pats,
        numbers,
        prefixes,
        prefix_last,
        units,
        hedges_before,
        hedges_after,
        hedge_last,
        hedge_after_first,
        unit_first,
        plurals,
        stop,
    }
}

/// Quantities in `ranges` (sorted, non-overlapping byte ranges of `text`).
/// Offsets are absolute; no match crosses a range end.
pub fn extract_quantities(text: &str, ranges: &[Range<usize>]) -> Vec<Quantity> {
    let lex = lexicon();
    let mut out = Vec::new();
    let labels = OnceCell::new();
    for r in ranges {
        let end = r.end.min(text.len());
        let start = r.start.min(end);
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        scan(text, start, end, lex, &labels, &mut out);
    }
    out
}

const PREFIX_BITS: usize = 1 << 15;

/// A 15-bit key of the three bytes at `s` (before `end`): the low five bits
/// of each, equal for both cases of a letter. Other bytes may share a key
/// with letters; that only costs an exact comparison afterwards, and a word
/// start is tested against the bit set in a dozen instructions.
fn prefix_key(b: &[u8], s: usize, end: usize) -> Option<usize> {
    if s + 3 > end {
        return None;
    }
    let [c0, c1, c2] = *b.get(s..s + 3)? else {
        return None;
    };
    Some(usize::from(c0 & 31) << 10 | usize::from(c1 & 31) << 5 | usize::from(c2 & 31))
}

/// A number word as a pattern: its bytes (lower case) in the low bytes of
/// `pat`, `mask` covering them, and its `prefix_key`.
struct WordPat {
    key: usize,
    pat: u128,
    mask: u128,
    word: &'static str,
}

/// The sixteen bytes of `b[at..end]` from `at`, little-endian, zero past `end`.
fn load16(b: &[u8], at: usize, end: usize) -> u128 {
    let r = b.get(at..end.min(b.len())).unwrap_or_default();
    if let Some(c) = r.first_chunk::<16>() {
        return u128::from_le_bytes(*c);
    }
    let mut buf = [0u8; 16];
    if let Some(d) = buf.get_mut(..r.len()) {
        d.copy_from_slice(r);
    }
    u128::from_le_bytes(buf)
}

/// The longest number word that `b[s..end]` starts with, ignoring ASCII case:
/// its end. Number words are matched as prefixes ("tenfold" gives "ten"), as
/// the parser reads the whole word and rejects it itself.
fn number_word_at(lex: &Lexicon, b: &[u8], s: usize, end: usize) -> Option<usize> {
    let k = prefix_key(b, s, end)?;
    let first = usize::from(*lex.word_first.get(k)?);
    // Words sharing the key share their first three letters (sorted, so
    // adjacent). The window's letters are folded to lower case by setting
    // 0x20, which turns no other byte into a lower-case letter; bytes past
    // `end` are zero and match no letter.
    let window = load16(b, s, end) | u128::from_le_bytes([0x20; 16]);
    lex.word_pats
        .get(first..)?
        .iter()
        .take_while(|p| p.key == k)
        .filter(|p| window & p.mask == p.pat)
        .map(|p| s + p.word.len())
        .max()
}

/// Whether the three bytes at `s` may start a number word: the cheap test
/// made at every word start, kept apart so that it is inlined in the scan.
#[inline(always)]
fn prefix_hit(lex: &Lexicon, b: &[u8], s: usize, end: usize) -> bool {
    prefix_key(b, s, end).is_some_and(|k| lex.word_prefix[k / 64] & (1u64 << (k % 64)) != 0)
}

/// Byte classes for the candidate scan, one table lookup per byte.
const OTHER: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;
/// An apostrophe glues the letters after it to the word before ("'one", "don't").
const APOSTROPHE: u8 = 3;

static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_digit() {
            DIGIT
        } else if b.is_ascii_alphabetic() {
            LETTER
        } else if b == b'\'' {
            APOSTROPHE
        } else {
            OTHER
        };
        c += 1;
    }
    t
};

/// The next candidate at or after `pos`: every ASCII digit (even inside a
/// token, whose rejection may skip the rest of it: "A320"), and every word
/// start that begins a number word. A number word glued to a letter, digit
/// or apostrophe before it ("someone", "often", "3million", "'one") is
/// rejected by `parse_words` at once, so leaving it out finds the same
/// quantities while whole runs of letters are skipped.
fn next_candidate(lex: &Lexicon, b: &[u8], pos: usize, end: usize) -> Option<(usize, usize)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let end = end.min(b.len());
    let mut i = pos;
    // Whether the byte before `i` glues a letter at `i` to a word.
    let mut glued = i > 0
        && b.get(i - 1)
            .is_some_and(|&c| CLASS[usize::from(c)] != OTHER);
    // Eight bytes at a time: a byte loop cost seven instructions a byte, and
    // only digits and word starts (a letter after an OTHER byte) are looked at.
    while let Some(chunk) = b.get(i..end).and_then(|r| r.first_chunk::<8>()) {
        let x = u64::from_le_bytes(*chunk);
        let ascii = !x & HIGH;
        let y = x & !HIGH;
        // A byte below 0x80 plus 0x80 - k sets its high bit iff it is >= k,
        // and no carry leaves the byte. Results keep only the high bits.
        let ge = |v: u64, k: u8| v + ONES * u64::from(0x80 - k);
        let digit = ge(y, b'0') & !ge(y, b'9' + 1) & ascii;
        let folded = y | (ONES * 0x20);
        let letter = ge(folded, b'a') & !ge(folded, b'z' + 1) & ascii;
        // A zero byte of `t` (an apostrophe) is the one that stays below 0x80.
        let t = y ^ (ONES * u64::from(b'\''));
        let apostrophe = !(t + ONES * 0x7f) & ascii;
        let word = digit | letter | apostrophe;
        let before = word << 8 | u64::from(glued) << 7;
        let mut cand = digit | (letter & !before);
        while cand != 0 {
            let k = cand.trailing_zeros() as usize / 8;
            let p = i + k;
            if digit >> (8 * k) & 0x80 != 0 {
                return Some((p, p + 1));
            }
            if prefix_hit(lex, b, p, end) {
                if let Some(e) = number_word_at(lex, b, p, end) {
                    return Some((p, e));
                }
            }
            cand &= cand - 1;
        }
        glued = word >> 63 != 0;
        i += 8;
    }
    while i < end {
        match CLASS[usize::from(b[i])] {
            DIGIT => return Some((i, i + 1)),
            LETTER => {
                if !glued {
                    if let Some(e) = number_word_at(lex, b, i, end) {
                        return Some((i, e));
                    }
                }
                glued = true;
            }
            APOSTROPHE => glued = true,
            _ => glued = false,
        }
        i += 1;
    }
    None
}

struct Ctx<'a> {
    t: &'a str,
    b: &'a [u8],
    lo: usize,
    end: usize,
    lex: &'a Lexicon,
    labels: &'a OnceCell<LabelIndex<'a>>,
    /// The last `prev_word` and `next_word` answers (position, answer): the
    /// rules of one candidate ask about the same few positions again and again.
    prev_memo: Cell<(usize, Option<(usize, usize)>)>,
    next_memo: Cell<(usize, Option<(usize, usize)>)>,
}

impl<'a> Ctx<'a> {
    fn new(
        t: &'a str,
        b: &'a [u8],
        lo: usize,
        end: usize,
        lex: &'a Lexicon,
        labels: &'a OnceCell<LabelIndex<'a>>,
    ) -> Self {
        Ctx {
            t,
            b,
            lo,
            end,
            lex,
            labels,
            prev_memo: Cell::new((usize::MAX, None)),
            next_memo: Cell::new((usize::MAX, None)),
        }
    }
}

fn scan<'a>(
    text: &'a str,
    start: usize,
    end: usize,
    lex: &'a Lexicon,
    labels: &'a OnceCell<LabelIndex<'a>>,
    out: &mut Vec<Quantity>,
) {
    let mut pos = start;
    let mut floor = start;
    while pos < end {
        let Some((s, m_end)) = next_candidate(lex, text.as_bytes(), pos, end) else {
            break;
        };
        // Bytes end at the range end, so no look-ahead can read past it.
        let cx = Ctx::new(
            text,
            text.as_bytes().get(..end).unwrap_or_default(),
            floor,
            end,
            lex,
            labels,
        );
        match candidate(&cx, s, m_end) {
            Ok(q) => {
                pos = q.end.max(m_end);
                floor = q.end;
                out.push(q);
            }
            Err(skip) => pos = skip.max(m_end),
        }
        while pos < end && !text.is_char_boundary(pos) {
            pos += 1;
        }
    }
}

/// The number itself, before any context is read.
#[derive(Clone)]
struct Num {
    start: usize,
    end: usize,
    value: f64,
    digits: bool,
    /// Integer digits without separators, for year/zip checks.
    int_len: usize,
    plain_int: bool,
    scaled: bool,
    vague: bool,
}

type Skip = usize;

fn candidate(cx: &Ctx, s: usize, m_end: usize) -> Result<Quantity, Skip> {
    candidate_with::<true>(cx, s, m_end)
}

/// `candidate`; `EARLY` turns away years and long numbers before the reading
/// to their right (tests compare it with the full path).
fn candidate_with<const EARLY: bool>(cx: &Ctx, s: usize, m_end: usize) -> Result<Quantity, Skip> {
    let b = cx.b;
    let first = b.get(s).copied().unwrap_or(0);
    // A lone vulgar fraction ("½") is never a candidate (see `next_candidate`):
    // too rare to be worth the ambiguity.
    let mut num = if first.is_ascii_digit() {
        check_digit_left(cx, s)?;
        let mut n = parse_digits(cx, s)?;
        // A minus sign glued to the number and standing alone: "closed at -36".
        if s >= 1 && cx.b[s - 1] == b'-' && (s == 1 || is_space_at(cx.b, s - 2) == 1) {
            n.start = s - 1;
            n.value = -n.value;
            n.plain_int = false;
        } else if s >= 1
            && cx.b[s - 1] == b'.'
            && (s == 1 || is_space_at(cx.b, s - 2) == 1)
            && n.plain_int
        {
            // ".40 caliber": a decimal written without its leading zero.
            let digits = slice(cx.t, s, n.end);
            if let Ok(v) = format!("0.{digits}").parse::<f64>() {
                n.start = s - 1;
                n.value = v;
                n.plain_int = false;
            }
        }
        n
    } else {
        parse_words(cx, s, m_end)?
    };
    let tok_end = token_end(b, s, cx.end);

    // Currency written before the number.
    let (mut start, mut currency) = (num.start, None);
    if let Some((ps, code)) = currency_prefix(cx, num.start) {
        start = ps;
        currency = Some(code);
    }

    if EARLY
        && currency.is_none()
        && num.plain_int
        && (num.int_len >= 5 || (num.int_len == 4 && (1500.0..=2100.0).contains(&num.value)))
        && closed_right(b, num.end)
    {
        // "in 2016.", "(20500)": no scale, range, unit or noun can follow, so
        // the year and zip-code rules below turn it away; said before reading.
        return Err(tok_end);
    }
    if currency.is_none() && is_label_or_date_left(cx, num.start) {
        return Err(tok_end);
    }
    if num.digits && is_list_marker(cx, &num) {
        return Err(tok_end);
    }

    scale_after(cx, &mut num, currency.is_some());
    and_a_half(cx, &mut num);

    // Range: "10 to 12", "200-250", "between 3 and 7 percent", "$12 million to $20 million".
    let mut value_max = None;
    let mut between = false;
    if let Some((bs, be)) = prev_word(cx, start) {
        between = lower_eq(cx.t, bs, be, "between");
    }
    let mut cur = num.end;
    if let Some((n2, _c2)) = range_second(cx, &num, start, between) {
        let mut v1 = num.value;
        if !num.scaled && n2.scaled && !num.vague {
            let scale = n2.value / n2_base(cx, &n2);
            if scale.is_finite() && scale > 1.0 {
                v1 *= scale;
            }
        }
        if n2.value > v1 {
            num.value = v1;
            value_max = Some(n2.value);
            cur = n2.end;
        } else if num.digits && n2.digits {
            // "52-35" is a score, "224-3121" part of a phone number.
            return Err(token_end(b, n2.end, cx.end));
        }
    }
    if b.get(cur) == Some(&b'-') && b.get(cur + 1).is_some_and(u8::is_ascii_digit) {
        // "202-224-3121", "2025-08-21": more groups than a range has.
        return Err(token_end(b, cur + 1, cx.end));
    }

    let mut q = Quantity {
        start,
        end: cur,
        text: String::new(),
        value: num.value,
        value_max,
        hedge: if num.vague {
            Hedge::AtLeast
        } else {
            Hedge::Exact
        },
        kind: QuantityKind::Count,
        unit: None,
        noun: None,
        modifies: None,
        measures: None,
        // Written last: most candidates are turned away before.
        number_text: String::new(),
    };
    if let Some(code) = currency {
        q.kind = QuantityKind::Money;
        q.unit = Some(code.to_string());
    }

    if is_time_or_date_right(cx, cur) {
        return Err(tok_end);
    }

    let adjectival = read_right(cx, &mut q, &num)?;

    // Bare year-like numbers ("2016", "2024 election") are dates.
    let year_like = num.plain_int && num.int_len == 4 && (1500.0..=2100.0).contains(&num.value);
    if year_like && q.kind == QuantityKind::Count && q.noun.is_none() && !adjectival {
        return Err(tok_end);
    }
    if num.plain_int && num.int_len >= 5 && q.kind == QuantityKind::Count && q.noun.is_none() {
        // Zip codes, ids and reference numbers.
        return Err(tok_end);
    }
    if q.kind == QuantityKind::Count
        && q.noun.is_none()
        && q.value_max.is_none()
        && num.digits
        && !num.scaled
        && !adjectival
        && is_model_number(cx, num.start, num.end)
    {
        return Err(tok_end);
    }
    if num.plain_int
        && (3..=4).contains(&num.int_len)
        && currency.is_none()
        && q.hedge == Hedge::Exact
        && q.value_max.is_none()
        && seen_as_label(cx, num.start, num.end)
    {
        return Err(tok_end);
    }
    if q.kind == QuantityKind::Count && q.value_max.is_none() && is_street_number(cx, num.end) {
        return Err(tok_end);
    }
    if q.kind == QuantityKind::Count && !adjectival && is_age_apposition(cx, start, &num) {
        q.kind = QuantityKind::Age;
        q.unit = Some("year".into());
    }
    if q.kind == QuantityKind::Count && !adjectival {
        if let Some((ws, we)) = prev_word(cx, start) {
            if lower_eq(cx.t, ws, we, "aged") || lower_eq(cx.t, ws, we, "age") {
                q.kind = QuantityKind::Age;
                q.unit = Some("year".into());
            }
        }
    }

    // Hedge before: "nearly $67 billion", "more than 30".
    if !num.vague {
        if let Some((hs, h)) = hedge_before(cx, q.start) {
            q.start = hs;
            q.hedge = h;
        }
    }
    if between && value_max.is_some() {
        if let Some((bs, _)) = prev_word(cx, q.start) {
            q.start = bs;
        }
    }
    if q.measures.is_none() && q.kind == QuantityKind::Count {
        if let Some(m) = of_before(cx, q.start) {
            q.measures = Some(m);
        }
    }
    if q.measures.is_none() && q.kind == QuantityKind::Count {
        q.measures = q.noun.clone();
    }
    if b.get(q.end).is_some_and(u8::is_ascii_alphanumeric) {
        // Letters glued to the end that no rule read ("15m" outside money).
        return Err(tok_end);
    }
    q.text = slice(cx.t, q.start, q.end).to_string();
    if q.text.is_empty() || !q.value.is_finite() {
        return Err(tok_end);
    }
    q.number_text = slice(cx.t, num.start, cur).to_string();
    Ok(q)
}

/// Whether nothing can be read after a number ending at `i`: the range ends
/// there or the byte is ASCII punctuation other than a hyphen or percent sign
/// (every reader to the right starts at a space, letter, digit, hyphen,
/// percent sign or a multi-byte sign or space).
fn closed_right(b: &[u8], i: usize) -> bool {
    b.get(i).is_none_or(|&c| {
        c.is_ascii()
            && !c.is_ascii_alphanumeric()
            && !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'-' | b'%')
    })
}

fn n2_base(cx: &Ctx, n: &Num) -> f64 {
    // The value of the second number before its scale word was applied.
    let s = slice(cx.t, n.start, n.end);
    let digits: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits
        .parse::<f64>()
        .unwrap_or(n.value)
        .max(f64::MIN_POSITIVE)
}

/// Reads unit, percent, currency word, adjectival `-noun` or counted noun after
/// the number; returns whether the form was adjectival.
fn read_right(cx: &Ctx, q: &mut Quantity, num: &Num) -> Result<bool, Skip> {
    let b = cx.b;
    let cur = q.end;
    let tok_end = || token_end(b, num.start, cx.end);

    // Adjectival: "33-nation", "3 1/2-year", "12-year-old".
    if b.get(cur) == Some(&b'-') && b.get(cur + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
        let ws = cur + 1;
        let we = alpha_end(b, ws, cx.end);
        let word = slice(cx.t, ws, we).to_ascii_lowercase();
        let mut e = we;
        if b.get(we) == Some(&b'-') && lower_eq(cx.t, we + 1, alpha_end(b, we + 1, cx.end), "old") {
            e = alpha_end(b, we + 1, cx.end);
            q.kind = QuantityKind::Age;
            q.unit = Some("year".into());
            q.end = e;
            return Ok(true);
        }
        if word == "like" || word == "type" || word == "style" {
            return Err(tok_end());
        }
        match cx.lex.units.get(word.as_str()) {
            Some((UnitKind::Duration, u)) => {
                q.kind = QuantityKind::Duration;
                q.unit = Some((*u).to_string());
            }
            Some((UnitKind::Percent, u)) => {
                q.kind = QuantityKind::Percent;
                q.unit = Some((*u).to_string());
            }
            Some((UnitKind::Measure, u)) if *u != "point" && *u != "mark" => {
                q.kind = QuantityKind::Measure;
                q.unit = Some((*u).to_string());
            }
            _ if q.kind == QuantityKind::Money => {}
            _ => {
                if cx.lex.stop.contains(word.as_str()) {
                    return Err(tok_end());
                }
                q.noun = Some(lemma(cx.lex, &word).0);
            }
        }
        q.end = e;
        if let Some(np) = np_after(cx, e, true) {
            q.modifies = Some(np.head);
            q.measures = Some(np.text);
        }
        return Ok(true);
    }

    // Percent sign, degree sign.
    let j = skip_spaces(b, cur, cx.end);
    if b.get(j) == Some(&b'%') {
        q.kind = QuantityKind::Percent;
        q.unit = Some("percent".into());
        q.end = j + 1;
        of_measures(cx, q);
        return Ok(false);
    }
    if let Some(rest) = cx.t.get(j..cx.end) {
        for (sym, unit) in [("°C", "celsius"), ("°F", "fahrenheit"), ("°", "degree")] {
            if rest.starts_with(sym) {
                q.kind = QuantityKind::Measure;
                q.unit = Some(unit.into());
                q.end = j + sym.len();
                return Ok(false);
            }
        }
    }

    // Unit words, longest first (two words, then one).
    if let Some((ue, kind, unit)) = unit_after(cx, cur) {
        match kind {
            UnitKind::Money if q.kind == QuantityKind::Money || q.unit.is_none() => {
                q.kind = QuantityKind::Money;
                q.unit = Some(unit.to_string());
            }
            UnitKind::Money => {}
            UnitKind::Cent => {
                q.kind = QuantityKind::Money;
                q.unit = Some(unit.to_string());
                q.value /= 100.0;
                q.value_max = q.value_max.map(|v| v / 100.0);
            }
            UnitKind::Percent => {
                q.kind = QuantityKind::Percent;
                q.unit = Some(unit.to_string());
            }
            UnitKind::Measure | UnitKind::Duration if q.kind == QuantityKind::Money => {
                return Ok(false);
            }
            UnitKind::Measure => {
                q.kind = QuantityKind::Measure;
                q.unit = Some(unit.to_string());
            }
            UnitKind::Duration => {
                q.kind = QuantityKind::Duration;
                q.unit = Some(unit.to_string());
            }
        }
        q.end = ue;
        if q.kind == QuantityKind::Duration {
            // "55 years old".
            if let Some((ws, we)) = next_word(cx, ue) {
                if lower_eq(cx.t, ws, we, "old") {
                    q.kind = QuantityKind::Age;
                    q.end = we;
                }
            }
        }
        if let Some((he, h)) = hedge_after(cx, q.end) {
            q.end = he;
            if q.hedge == Hedge::Exact {
                q.hedge = h;
            }
        }
        if q.kind != QuantityKind::Age {
            of_measures(cx, q);
            if q.measures.is_none() && q.kind == QuantityKind::Money {
                if let Some(np) = np_after(cx, q.end, false) {
                    q.measures = Some(np.text);
                }
            }
        }
        return Ok(false);
    }

    if q.kind == QuantityKind::Money {
        if let Some((he, h)) = hedge_after(cx, q.end) {
            q.end = he;
            if q.hedge == Hedge::Exact {
                q.hedge = h;
            }
        }
        of_measures(cx, q);
        if q.measures.is_none() {
            if let Some(np) = np_after(cx, q.end, false) {
                q.measures = Some(np.text);
            }
        }
        return Ok(false);
    }

    // Counted noun: "30 countries", "179 new aerial refueling tankers", "hundreds of people".
    if let Some((ne, noun)) = counted_noun(cx, cur, q.value) {
        q.end = ne;
        match cx.lex.units.get(noun.as_str()) {
            Some((UnitKind::Duration, u)) => {
                q.kind = QuantityKind::Duration;
                q.unit = Some((*u).to_string());
            }
            _ => q.noun = Some(noun),
        }
    } else if num.vague {
        return Err(tok_end());
    } else if let Some((ne, noun)) = partitive(cx, cur) {
        q.end = ne;
        q.noun = Some(noun);
    }
    if let Some((he, h)) = hedge_after(cx, q.end) {
        q.end = he;
        if q.hedge == Hedge::Exact {
            q.hedge = h;
        }
    }
    Ok(false)
}

fn of_measures(cx: &Ctx, q: &mut Quantity) {
    if let Some((ws, we)) = next_word(cx, q.end) {
        if lower_eq(cx.t, ws, we, "of")
            || lower_eq(cx.t, ws, we, "in")
            || lower_eq(cx.t, ws, we, "for")
        {
            if let Some(np) = np_after(cx, we, false) {
                q.measures = Some(np.text);
            }
        }
    }
}

/// "coalition of 33 nations" -> "coalition".
fn of_before(cx: &Ctx, s: usize) -> Option<String> {
    let (os, oe) = prev_word(cx, s)?;
    if !lower_eq(cx.t, os, oe, "of") {
        return None;
    }
    let (ws, we) = prev_word(cx, os)?;
    let w = slice(cx.t, ws, we);
    if !w.bytes().next()?.is_ascii_lowercase() {
        return None;
    }
    let lw = w.to_ascii_lowercase();
    if cx.lex.stop.contains(lw.as_str()) || cx.lex.hedges_before.contains_key(lw.as_str()) {
        return None;
    }
    Some(lemma(cx.lex, &lw).0)
}

struct Np {
    head: String,
    text: String,
}

/// The noun phrase starting at `i`: a quoted phrase ("“coalition of the willing”")
/// or up to four lower-case words before a function word or punctuation.
fn np_after(cx: &Ctx, i: usize, allow_quote: bool) -> Option<Np> {
    let b = cx.b;
    let j = skip_spaces(b, i, cx.end);
    let rest = cx.t.get(j..cx.end)?;
    if allow_quote {
        for (open, close) in [("“", "”"), ("\"", "\""), ("‘", "’"), ("«", "»")] {
            if let Some(inner) = rest.strip_prefix(open) {
                let limit = inner.len().min(80);
                let window = inner.get(..limit).or_else(|| {
                    let mut l = limit;
                    while l > 0 && !inner.is_char_boundary(l) {
                        l -= 1;
                    }
                    inner.get(..l)
                })?;
                let close_at = window.find(close)?;
                let phrase = window.get(..close_at)?.trim();
                let words: Vec<&str> = phrase.split_whitespace().collect();
                let mut head = None;
                for w in &words {
                    let lw = w.to_ascii_lowercase();
                    if cx.lex.stop.contains(lw.as_str()) {
                        break;
                    }
                    head = Some(lw);
                }
                let head = head?;
                return Some(Np {
                    head: lemma(cx.lex, &head).0,
                    text: phrase.to_string(),
                });
            }
        }
    }
    let mut k = j;
    let mut first = None;
    let mut last = None;
    let mut n = 0;
    while n < 4 {
        let ws = skip_spaces(b, k, cx.end);
        if !b.get(ws).is_some_and(|c| c.is_ascii_lowercase()) {
            break;
        }
        let we = word_end(b, ws, cx.end);
        let w = slice(cx.t, ws, we);
        if cx.lex.stop.contains(w) {
            if first.is_none() && matches!(w, "the" | "a" | "an" | "its" | "their" | "his" | "her")
            {
                k = we;
                continue;
            }
            break;
        }
        first.get_or_insert(ws);
        last = Some((ws, we));
        k = we;
        n += 1;
    }
    let (fs, (ls, le)) = (first?, last?);
    Some(Np {
        head: lemma(cx.lex, slice(cx.t, ls, le)).0,
        text: slice(cx.t, fs, le).to_string(),
    })
}

/// The counted noun within four words after the number: the first plural-looking
/// lower-case word ("179 new aerial refueling tankers"), or the next word for 1.
fn counted_noun(cx: &Ctx, i: usize, value: f64) -> Option<(usize, String)> {
    let b = cx.b;
    let mut k = i;
    for n in 0..4 {
        let ws = skip_spaces(b, k, cx.end);
        if !b.get(ws).is_some_and(|c| c.is_ascii_lowercase()) || ws == k {
            return None;
        }
        let we = word_end(b, ws, cx.end);
        let w = slice(cx.t, ws, we);
        if matches!(w, "more" | "other" | "additional" | "further") {
            // "40 more troops", "18 more 777s" (the latter finds no noun).
            k = we;
            continue;
        }
        if cx.lex.stop.contains(w) {
            return None;
        }
        if let Some((kind, _)) = cx.lex.units.get(w) {
            // "six straight days": the caller turns a duration unit into a duration.
            if n > 0 && *kind == UnitKind::Duration {
                return Some((we, lemma(cx.lex, w).0));
            }
            return None;
        }
        let (lem, plural) = lemma(cx.lex, w);
        if plural || (value == 1.0 && n == 0) {
            return Some((we, lem));
        }
        // Adverbs end the phrase: "30 recently".
        if w.ends_with("ly") {
            return None;
        }
        k = we;
    }
    None
}

/// "two of the European diplomats" -> diplomat; only after a determiner, so "20 of
/// Boeing's planes" and "30 of them" stay without a noun.
fn partitive(cx: &Ctx, i: usize) -> Option<(usize, String)> {
    let (os, oe) = next_word(cx, i)?;
    if !lower_eq(cx.t, os, oe, "of") {
        return None;
    }
    let (ds, de) = next_word(cx, oe)?;
    let d = slice(cx.t, ds, de).to_ascii_lowercase();
    if !matches!(
        d.as_str(),
        "the" | "its" | "their" | "his" | "her" | "our" | "these" | "those"
    ) {
        return None;
    }
    // Names may sit in the phrase ("the European diplomats"); the noun is lower case.
    let mut k = de;
    for _ in 0..4 {
        let (ws, _) = next_word(cx, k)?;
        let we = word_end(cx.b, ws, cx.end);
        let w = slice(cx.t, ws, we);
        if cx.lex.stop.contains(w) {
            return None;
        }
        if w.bytes().next().is_some_and(|c| c.is_ascii_lowercase()) {
            let (lem, plural) = lemma(cx.lex, w);
            return plural.then_some((we, lem));
        }
        k = we;
    }
    None
}

/// (lemma, is_plural).
fn lemma(lex: &Lexicon, w: &str) -> (String, bool) {
    let lw = w.to_ascii_lowercase();
    if let Some(l) = lex.plurals.get(lw.as_str()) {
        return ((*l).to_string(), true);
    }
    let n = lw.len();
    if n > 4 && lw.ends_with("ies") {
        return (format!("{}y", &lw[..n - 3]), true);
    }
    for suf in ["sses", "shes", "ches", "xes", "zes"] {
        if n > suf.len() + 1 && lw.ends_with(suf) {
            return (lw[..n - 2].to_string(), true);
        }
    }
    if n > 3
        && lw.ends_with('s')
        && !lw.ends_with("ss")
        && !lw.ends_with("us")
        && !lw.ends_with("is")
        && !lw.ends_with("'s")
    {
        return (lw[..n - 1].to_string(), true);
    }
    (lw, false)
}

fn unit_after(cx: &Ctx, i: usize) -> Option<(usize, UnitKind, &'static str)> {
    let (w1s, w1e) = next_unit_word(cx, i)?;
    let mut buf = [0u8; 32];
    let first = lower(slice(cx.t, w1s, w1e), &mut buf);
    if !cx.lex.unit_first.contains(first) && !cx.lex.units.contains_key(first) {
        return None;
    }
    let two_words = if cx.lex.unit_first.contains(first) {
        next_unit_word(cx, w1e)
    } else {
        None
    };
    if let Some((w2s, w2e)) = two_words {
        // Both words lower-cased into one stack buffer: a `format!` and two
        // lower-cased copies per candidate cost more than the look-up.
        let second = slice(cx.t, w2s, w2e);
        let mut two_buf = [0u8; 64];
        let two_len = first.len() + 1 + second.len();
        let unit = match two_buf.get_mut(..two_len) {
            Some(two) => {
                let (head, tail) = two.split_at_mut(first.len());
                head.copy_from_slice(first.as_bytes());
                let mut tail = tail.iter_mut();
                if let Some(space) = tail.next() {
                    *space = b' ';
                }
                for (d, c) in tail.zip(second.bytes()) {
                    *d = c.to_ascii_lowercase();
                }
                std::str::from_utf8(two)
                    .ok()
                    .and_then(|two| cx.lex.units.get(two))
            }
            None => cx.lex.units.get(
                format!(
                    "{} {}",
                    slice(cx.t, w1s, w1e).to_ascii_lowercase(),
                    second.to_ascii_lowercase()
                )
                .as_str(),
            ),
        };
        if let Some((k, u)) = unit {
            return Some((w2e, *k, u));
        }
    }
    // `first` is the whole word lower-cased: a unit word is ASCII letters,
    // and a word too long for the buffer was turned away above.
    let one = first;
    let (k, u) = cx.lex.units.get(one)?;
    // "in", "m", "t" and similar are units only when glued to the number.
    if one.len() <= 2
        && w1s > i
        && !matches!(
            one,
            "km" | "kg" | "gb" | "mb" | "tb" | "cm" | "mm" | "ft" | "mw" | "gw" | "kw"
        )
    {
        return None;
    }
    Some((w1e, *k, u))
}

/// A unit token: letters with an optional "/letters" ("km/h") or a leading "U.S." dot form.
fn next_unit_word(cx: &Ctx, i: usize) -> Option<(usize, usize)> {
    let b = cx.b;
    let ws = skip_spaces(b, i, cx.end);
    if !b.get(ws).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut we = alpha_end(b, ws, cx.end);
    if b.get(we) == Some(&b'/') && b.get(we + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
        let e2 = alpha_end(b, we + 1, cx.end);
        if cx
            .lex
            .units
            .contains_key(slice(cx.t, ws, e2).to_ascii_lowercase().as_str())
        {
            we = e2;
        }
    }
    Some((ws, we))
}

fn hedge_after(cx: &Ctx, i: usize) -> Option<(usize, Hedge)> {
    let (w1s, w1e) = next_word(cx, i)?;
    let mut buf = [0u8; 32];
    // The two-word key starts with this word lower-cased: most words start no hedge.
    if !cx
        .lex
        .hedge_after_first
        .contains(lower(slice(cx.t, w1s, w1e), &mut buf))
    {
        return None;
    }
    let (_, w2e) = next_word(cx, w1e)?;
    let h = match words_key(slice(cx.t, w1s, w2e), &mut buf) {
        Some(two) => cx.lex.hedges_after.get(two)?,
        None => {
            let two = slice(cx.t, w1s, w2e).to_ascii_lowercase();
            let two: String = two.split_whitespace().collect::<Vec<_>>().join(" ");
            cx.lex.hedges_after.get(two.as_str())?
        }
    };
    // "678 points or more than 7.3 %" starts the next quantity.
    if next_word(cx, w2e).is_some_and(|(a, b)| lower_eq(cx.t, a, b, "than")) {
        return None;
    }
    Some((w2e, *h))
}

/// `s` ASCII-lower-cased with its words joined by one space, as
/// `split_whitespace` and `join(" ")` would give it, written into `buf`;
/// `None` when `s` is not ASCII or does not fit.
fn words_key<'b>(s: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    super::lexicon::ascii_words_key(s, buf, false)
}

fn hedge_before(cx: &Ctx, s: usize) -> Option<(usize, Hedge)> {
    let (ls, le) = prev_word(cx, s)?;
    let mut buf = [0u8; 32];
    if !cx
        .lex
        .hedge_last
        .contains(lower(slice(cx.t, ls, le), &mut buf))
    {
        return None;
    }
    let mut words = Vec::with_capacity(4);
    let mut k = s;
    while words.len() < 4 {
        let Some((ws, we)) = prev_word(cx, k) else {
            break;
        };
        words.push((ws, we));
        k = ws;
    }
    // `prev_word` gives runs of ASCII letters, so each phrase is built
    // lower-cased on the stack instead of as a vector of strings joined.
    let mut phrase = [0u8; 64];
    for n in (1..=words.len()).rev() {
        let (ws, _) = words[n - 1];
        let mut len = 0;
        for (k, &(a, b)) in words[..n].iter().rev().enumerate() {
            let w = cx.b.get(a..b)?;
            let sep = usize::from(k > 0);
            let Some(dst) = phrase.get_mut(len..len + sep + w.len()) else {
                // Longer than any hedge.
                len = usize::MAX;
                break;
            };
            if sep == 1 {
                dst[0] = b' ';
            }
            for (d, c) in dst[sep..].iter_mut().zip(w) {
                *d = c.to_ascii_lowercase();
            }
            len += sep + w.len();
        }
        let Some(key) = phrase.get(..len).and_then(|p| std::str::from_utf8(p).ok()) else {
            continue;
        };
        if let Some(h) = cx.lex.hedges_before.get(key) {
            return Some((ws, *h));
        }
    }
    None
}

fn currency_prefix(cx: &Ctx, ns: usize) -> Option<(usize, &'static str)> {
    let mut k = ns;
    // One optional space between sign and number ("$ 40 billion" in tokenised text).
    if k > cx.lo && cx.b[k - 1] == b' ' {
        k -= 1;
    }
    let before = cx.t.get(cx.lo..k)?;
    // No prefix ends with the byte before the number (lower-cased, as the
    // tail is): most numbers, without the tail's copy or a compare per prefix.
    let last = before.as_bytes().last()?.to_ascii_lowercase();
    if !cx.lex.prefix_last[usize::from(last)] {
        return None;
    }
    let tail_len = before.len().min(8);
    let mut from = before.len() - tail_len;
    while !before.is_char_boundary(from) {
        from += 1;
    }
    // Lower-cased on the stack (at most eight bytes): a String per number
    // was most of this function's cost.
    let raw = before.as_bytes().get(from..)?;
    let mut buf = [0u8; 8];
    let tail = buf.get_mut(..raw.len())?;
    for (d, c) in tail.iter_mut().zip(raw) {
        *d = c.to_ascii_lowercase();
    }
    let tail: &[u8] = tail;
    for (p, code) in &cx.lex.prefixes {
        if tail.ends_with(p.as_bytes()) {
            let ps = k - p.len();
            // Letter prefixes ("usd", "rs") must be whole words.
            if p.bytes().next().is_some_and(|c| c.is_ascii_alphabetic())
                && ps > 0
                && cx.b.get(ps - 1).is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            if p.bytes().all(|c| c.is_ascii_alphabetic()) && k == ns {
                // "USD500" is unusual; "USD 500" is the form we expect.
                continue;
            }
            return Some((ps, code));
        }
    }
    None
}

fn parse_words(cx: &Ctx, s: usize, m_end: usize) -> Result<Num, Skip> {
    let b = cx.b;
    if s > 0
        && b.get(s - 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'\'')
    {
        return Err(m_end);
    }
    let mut i = s;
    let mut total = 0.0f64;
    let mut current = 0.0f64;
    let mut any = false;
    let mut last_end = s;
    let mut words = 0;
    let mut only_one = true;
    let mut start = s;
    // The class of the first word, which decides whether it needs an "a".
    let mut first_class = None;
    loop {
        let we = alpha_end(b, i, cx.end);
        if we == i {
            break;
        }
        // Lower-cased on the stack: number words are short.
        let mut buf = [0u8; 24];
        let w = lower_in(slice(cx.t, i, we), &mut buf);
        let Some(&(v, class)) = cx.lex.numbers.get(w.as_ref()) else {
            if w == "and" && any && words > 0 {
                // "three hundred and fifty": only when another number word follows.
                let ns = skip_spaces(b, we, cx.end);
                let ne = alpha_end(b, ns, cx.end);
                let mut nbuf = [0u8; 24];
                let nw = lower_in(slice(cx.t, ns, ne), &mut nbuf);
                if ns > we
                    && matches!(cx.lex.numbers.get(nw.as_ref()), Some((_, NumClass::Unit)))
                    && current >= 100.0
                {
                    i = ns;
                    continue;
                }
            }
            break;
        };
        match class {
            NumClass::Unit => {
                if any && current % 100.0 != 0.0 && !(current >= 20.0 && v < 10.0) {
                    break;
                }
                current += v;
                if w != "one" {
                    only_one = false;
                }
            }
            NumClass::Hundred => {
                current = if current == 0.0 {
                    100.0
                } else {
                    current * 100.0
                };
                only_one = false;
            }
            NumClass::Scale => {
                total += if current == 0.0 { v } else { current * v };
                current = 0.0;
                only_one = false;
            }
            NumClass::Dozen => {
                if w == "score" && !any {
                    // "a score of" is archaic; "score" is usually the noun.
                    return Err(we);
                }
                current = if current == 0.0 { v } else { current * v };
                only_one = false;
            }
            NumClass::Half => {
                if any {
                    break;
                }
                // "half a million", "half a percent".
                let (as_, ae) = match next_word(cx, we) {
                    Some(x) => x,
                    None => return Err(we),
                };
                if !lower_eq(cx.t, as_, ae, "a") {
                    return Err(we);
                }
                let (ss, se) = next_word(cx, ae).ok_or(we)?;
                let mut sbuf = [0u8; 24];
                let sw = lower_in(slice(cx.t, ss, se), &mut sbuf);
                match cx.lex.numbers.get(sw.as_ref()) {
                    Some((sv, NumClass::Scale | NumClass::Hundred | NumClass::Dozen)) => {
                        return Ok(Num {
                            start: s,
                            end: se,
                            value: 0.5 * sv,
                            digits: false,
                            int_len: 0,
                            plain_int: false,
                            scaled: true,
                            vague: false,
                        });
                    }
                    _ if cx.lex.units.contains_key(sw.as_ref()) => {
                        return Ok(Num {
                            start: s,
                            end: ae,
                            value: 0.5,
                            digits: false,
                            int_len: 0,
                            plain_int: false,
                            scaled: false,
                            vague: false,
                        });
                    }
                    _ => return Err(we),
                }
            }
            NumClass::Vague => {
                if any {
                    break;
                }
                // "hundreds of", "tens of thousands of".
                let (os, oe) = next_word(cx, we).ok_or(we)?;
                if !lower_eq(cx.t, os, oe, "of") {
                    return Err(we);
                }
                let mut base = v;
                let mut end = oe;
                if let Some((ss, se)) = next_word(cx, oe) {
                    let mut sbuf = [0u8; 24];
                    let sw = lower_in(slice(cx.t, ss, se), &mut sbuf);
                    if let Some((sv, NumClass::Vague)) = cx.lex.numbers.get(sw.as_ref()) {
                        if let Some((o2s, o2e)) = next_word(cx, se) {
                            if lower_eq(cx.t, o2s, o2e, "of") {
                                base *= sv;
                                end = o2e;
                            }
                        }
                    }
                }
                return Ok(Num {
                    start: s,
                    end,
                    value: 2.0 * base,
                    digits: false,
                    int_len: 0,
                    plain_int: false,
                    scaled: true,
                    vague: true,
                });
            }
            NumClass::Abbr => break,
        }
        if i == s {
            first_class = Some(class);
        }
        any = true;
        words += 1;
        last_end = we;
        // Separator: one space or one hyphen ("twenty-five").
        let mut j = we;
        if b.get(j) == Some(&b'-') {
            j += 1;
        } else {
            j = skip_spaces(b, j, cx.end);
            if j == we {
                break;
            }
        }
        let ne = alpha_end(b, j, cx.end);
        let mut nbuf = [0u8; 24];
        let nw = lower_in(slice(cx.t, j, ne), &mut nbuf);
        let next = cx.lex.numbers.get(nw.as_ref());
        if nw != "and" && next.is_none() {
            break;
        }
        if b.get(we) == Some(&b'-') && !matches!(next, Some((_, NumClass::Unit))) {
            break;
        }
        i = j;
    }
    if !any {
        return Err(m_end);
    }
    let value = total + current;
    // "a dozen", "a million", "a hundred".
    if matches!(
        first_class,
        Some(NumClass::Hundred | NumClass::Scale | NumClass::Dozen)
    ) {
        match prev_word(cx, s) {
            Some((ps, pe)) if lower_eq(cx.t, ps, pe, "a") => start = ps,
            _ => return Err(last_end),
        }
    }
    if only_one && words == 1 {
        return Err(last_end);
    }
    Ok(Num {
        start,
        end: last_end,
        value,
        digits: false,
        int_len: 0,
        plain_int: false,
        scaled: words > 1,
        vague: false,
    })
}

fn parse_digits(cx: &Ctx, s: usize) -> Result<Num, Skip> {
    let b = cx.b;
    let end = cx.end;
    // Only a rejection needs the token's end.
    let tok = || token_end(b, s, end);
    let mut i = s;
    while i < end && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut int_len = i - s;
    let mut comma = false;
    // The digits without their group commas, copied only when there are
    // groups: most numbers parse from the text itself.
    let plain = slice(cx.t, s, i);
    let mut grouped: Option<String> = None;
    if int_len <= 3 {
        while i + 3 < end + 1
            && b.get(i) == Some(&b',')
            && b.get(i + 1..i + 4)
                .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            grouped
                .get_or_insert_with(|| plain.to_string())
                .push_str(slice(cx.t, i + 1, i + 4));
            int_len += 3;
            comma = true;
            i += 4;
        }
    }
    let mut value: f64 = match grouped.as_deref() {
        // Exact below 2^53, as parsing is: most numbers skip the float parser.
        None if plain.len() <= 15 => plain
            .bytes()
            .fold(0u64, |v, c| v * 10 + u64::from(c.wrapping_sub(b'0')))
            as f64,
        g => g.unwrap_or(plain).parse().map_err(|_| tok())?,
    };
    let mut decimal = false;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let ds = i + 1;
        let mut de = ds;
        while de < end && b[de].is_ascii_digit() {
            de += 1;
        }
        if b.get(de) == Some(&b'.') && b.get(de + 1).is_some_and(u8::is_ascii_digit) {
            // "19.08.25", "2.0.1".
            return Err(tok());
        }
        value = slice(cx.t, s, de)
            .replace(',', "")
            .parse()
            .map_err(|_| tok())?;
        decimal = true;
        i = de;
    }
    if b.get(i) == Some(&b':') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return Err(tok());
    }
    let mut plain_int = !comma && !decimal;
    if b.get(i) == Some(&b'/') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        // "1/2" alone; "8/21/2025" and "24/7" are not fractions.
        let (den, de) = read_int(b, i + 1, end);
        if decimal || comma || b.get(de) == Some(&b'/') || den == 0.0 || value >= den || den > 16.0
        {
            return Err(tok());
        }
        value /= den;
        i = de;
        plain_int = false;
    } else if !decimal && b.get(i) == Some(&b' ') {
        // "3 1/2".
        let fs = i + 1;
        let (n, ne) = read_int(b, fs, end);
        if ne > fs && b.get(ne) == Some(&b'/') && b.get(ne + 1).is_some_and(u8::is_ascii_digit) {
            let (d, de) = read_int(b, ne + 1, end);
            if d > 0.0
                && n < d
                && d <= 16.0
                && b.get(de) != Some(&b'/')
                && !b.get(de).is_some_and(u8::is_ascii_digit)
            {
                value += n / d;
                i = de;
                plain_int = false;
            }
        }
    }
    // The three fractions start with the byte C2: most numbers are turned
    // away by one compare instead of three string compares.
    if let Some(rest) =
        cx.t.get(i..end)
            .filter(|r| r.as_bytes().first() == Some(&0xC2))
    {
        for (f, v) in [("½", 0.5), ("¼", 0.25), ("¾", 0.75)] {
            if rest.starts_with(f) && !decimal {
                value += v;
                i += f.len();
                plain_int = false;
            }
        }
    }
    // Letters glued to the number: units ("4GB", "500km", "$15bn") or not a quantity
    // ("5th", "1990s", "737s", "9am").
    if b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        let we = alpha_end(b, i, end);
        let mut sbuf = [0u8; 24];
        let suf = lower_in(slice(cx.t, i, we), &mut sbuf);
        let suf: &str = &suf;
        let ok_unit = cx.lex.units.contains_key(suf) && !matches!(suf, "am" | "pm" | "s")
            || matches!(cx.lex.numbers.get(suf), Some((_, NumClass::Abbr)))
            || matches!(suf, "m" | "k" | "b" | "bln");
        if !ok_unit {
            return Err(tok());
        }
    }
    Ok(Num {
        start: s,
        end: i,
        value,
        digits: true,
        int_len,
        plain_int,
        scaled: false,
        vague: false,
    })
}

fn read_int(b: &[u8], s: usize, end: usize) -> (f64, usize) {
    let mut i = s;
    let mut v = 0.0;
    while i < end && b[i].is_ascii_digit() && i - s < 6 {
        v = v * 10.0 + f64::from(b[i] - b'0');
        i += 1;
    }
    (v, i)
}

/// Scale words and glued abbreviations after a number: "1.2 million", "$15bn", "$3m".
fn scale_after(cx: &Ctx, num: &mut Num, money: bool) {
    let b = cx.b;
    if num.vague {
        return;
    }
    let glued = b.get(num.end).is_some_and(u8::is_ascii_alphabetic);
    let ws = if glued {
        num.end
    } else {
        skip_spaces(b, num.end, cx.end)
    };
    if !glued && ws == num.end {
        return;
    }
    let we = alpha_end(b, ws, cx.end);
    if we == ws {
        return;
    }
    let mut wbuf = [0u8; 24];
    let w = lower_in(slice(cx.t, ws, we), &mut wbuf);
    let scale = match cx.lex.numbers.get(w.as_ref()) {
        Some((v, NumClass::Scale | NumClass::Abbr)) => Some(*v),
        Some((v, NumClass::Hundred | NumClass::Dozen)) if num.digits => Some(*v),
        _ => None,
    };
    let scale = scale.or(match (w.as_ref(), money && glued) {
        ("m", true) => Some(1e6),
        ("k", true) => Some(1e3),
        ("b" | "bln", true) => Some(1e9),
        _ => None,
    });
    if let Some(v) = scale {
        num.value *= v;
        num.end = we;
        num.scaled = true;
        num.plain_int = false;
    }
}

/// "two and a half (years)", "3 and a half".
fn and_a_half(cx: &Ctx, num: &mut Num) {
    if num.vague {
        return;
    }
    let Some((a, ae)) = next_word(cx, num.end) else {
        return;
    };
    if !lower_eq(cx.t, a, ae, "and") {
        return;
    }
    let Some((x, xe)) = next_word(cx, ae) else {
        return;
    };
    let Some((h, he)) = next_word(cx, xe) else {
        return;
    };
    if lower_eq(cx.t, x, xe, "a") && lower_eq(cx.t, h, he, "half") {
        num.value += 0.5;
        num.end = he;
        num.plain_int = false;
    }
}

/// The second number of a range: "10 to 12", "200-250", "15–20", "3 and 7" after
/// "between"; an optional currency sign may repeat ("$12 million to $20 million").
fn range_second(cx: &Ctx, num: &Num, start: usize, between: bool) -> Option<(Num, bool)> {
    let b = cx.b;
    let mut j = num.end;
    let rest = cx.t.get(j..cx.end)?;
    if rest.starts_with('-') || rest.starts_with('–') || rest.starts_with('—') {
        j += rest.chars().next()?.len_utf8();
    } else {
        let (ws, we) = next_word(cx, j)?;
        let ok = lower_eq(cx.t, ws, we, if between { "and" } else { "to" });
        if !ok {
            return None;
        }
        if !between {
            if let Some((ps, pe)) = prev_word(cx, start) {
                // "from 14 to 17 percent" is a change, not a range.
                if lower_eq(cx.t, ps, pe, "from") {
                    return None;
                }
            }
        }
        j = skip_spaces(b, we, cx.end);
        if j == we {
            return None;
        }
    }
    let mut cur = false;
    if let Some(r) = cx.t.get(j..cx.end) {
        for p in ["$", "€", "£", "US$ ", "US$"] {
            if r.starts_with(p) {
                j += p.len();
                cur = true;
                if b.get(j) == Some(&b' ') {
                    j += 1;
                }
                break;
            }
        }
    }
    let c = *b.get(j)?;
    let sub = Ctx::new(cx.t, cx.b, j, cx.end, cx.lex, cx.labels);
    let mut n2 = if c.is_ascii_digit() {
        if !num.digits {
            return None;
        }
        parse_digits(&sub, j).ok()?
    } else if c.is_ascii_alphabetic() {
        if num.digits {
            return None;
        }
        let me = alpha_end(b, j, cx.end);
        parse_words(&sub, j, me).ok()?
    } else {
        return None;
    };
    if n2.vague || b.get(n2.end) == Some(&b'-') {
        // "305-471-TIPS": a third group makes it a phone number or code.
        return None;
    }
    // "224-3121", "2014-2015": phone numbers and year spans.
    if num.digits
        && ((num.int_len == 3 && n2.int_len == 4 && n2.plain_int)
            || (num.int_len == 4
                && n2.int_len == 4
                && num.plain_int
                && (1500.0..=2100.0).contains(&num.value)))
    {
        return None;
    }
    scale_after(&sub, &mut n2, cur);
    Some((n2, cur))
}

fn check_digit_left(cx: &Ctx, s: usize) -> Result<(), Skip> {
    let b = cx.b;
    let tok = || token_end(b, s, cx.end);
    if s == 0 {
        return Ok(());
    }
    let p = b[s - 1];
    if p.is_ascii_alphanumeric()
        || matches!(
            p,
            b'_' | b'/' | b':' | b'@' | b'=' | b'+' | b'&' | b'#' | b'\\' | b'\''
        )
        || (s >= 3 && &b[s - 3..s] == "’".as_bytes())
    {
        // "A320", "'82", "’82".
        return Err(tok());
    }
    if matches!(p, b'-' | b'.' | b',') && s >= 2 && b[s - 2].is_ascii_alphanumeric() {
        // "NY-14", "COVID-19", the "08" of "19.08.25", "v.2".
        return Err(tok());
    }
    if p == b'(' {
        // "(202) 224-3121".
        let (_, e) = read_int(b, s, cx.end);
        if b.get(e) == Some(&b')') && e - s == 3 {
            return Err(token_end(b, e + 1, cx.end).max(e + 1));
        }
    }
    Ok(())
}

/// Labels ("Article 5", "Boeing 737", "S&P 500") and dates ("July 15", "Aug. 22").
fn is_label_or_date_left(cx: &Ctx, ns: usize) -> bool {
    let Some((ws, we)) = prev_word(cx, ns) else {
        return false;
    };
    let w = slice(cx.t, ws, we);
    let mut lbuf = [0u8; 24];
    let lw = lower_in(w, &mut lbuf);
    let lw: &str = &lw;
    if is_month(lw) {
        return true;
    }
    if matches!(
        lw,
        "no" | "nos"
            | "number"
            | "room"
            | "page"
            | "rank"
            | "ranked"
            | "grade"
            | "level"
            | "phase"
            | "version"
            | "round"
            | "stage"
            | "route"
            | "article"
            | "section"
            | "chapter"
            | "clause"
            | "paragraph"
            | "resolution"
            | "flight"
            | "line"
            | "highway"
            | "interstate"
            | "channel"
            | "season"
            | "episode"
            | "volume"
            | "vol"
            | "step"
            | "tier"
            | "category"
            | "week"
            | "day"
            | "minute"
            | "hour"
    ) {
        // Ranks and references: "No. 3", "day 3", "Section 2".
        return true;
    }
    // "iPhone 4", "iOS 5".
    if w.bytes().skip(1).any(|c| c.is_ascii_uppercase())
        && w.bytes().any(|c| c.is_ascii_lowercase())
    {
        return true;
    }
    let capital = w.bytes().next().is_some_and(|c| c.is_ascii_uppercase());
    if !capital {
        return false;
    }
    // A capitalised function word or hedge opens a sentence: "About 500", "Only 30".
    if cx.lex.stop.contains(lw)
        || cx.lex.hedges_before.contains_key(lw)
        || matches!(
            lw,
            "all" | "only" | "just" | "nearly" | "some" | "another" | "roughly"
        )
    {
        return false;
    }
    // A capitalised word right before the number names it ("Article 5", "Boeing
    // 737"), unless it is a verb that opens a sentence ("Killing 30 people").
    !is_common_opener(lw)
}

fn is_common_opener(lw: &str) -> bool {
    // Sentence-initial words that are ordinary verbs/nouns rather than names.
    matches!(
        lw,
        "killing" | "including" | "adding" | "reaching" | "totaling" | "totalling" | "nearly"
    )
}

fn is_month(lw: &str) -> bool {
    matches!(
        lw,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

fn is_list_marker(cx: &Ctx, num: &Num) -> bool {
    let b = cx.b;
    let mut k = num.start;
    while k > 0 && matches!(b[k - 1], b' ' | b'\t') {
        k -= 1;
    }
    let line_start = k == 0 || b[k - 1] == b'\n';
    line_start
        && matches!(b.get(num.end), Some(b'.' | b')'))
        && !b.get(num.end + 1).is_some_and(u8::is_ascii_digit)
}

fn is_time_or_date_right(cx: &Ctx, i: usize) -> bool {
    let Some((ws, we)) = next_word(cx, i) else {
        return false;
    };
    let mut wbuf = [0u8; 24];
    let w = lower_in(slice(cx.t, ws, we), &mut wbuf);
    let w: &str = &w;
    if is_month(w) && cx.b.get(we).is_none_or(|c| *c != b'\'') {
        return true;
    }
    if matches!(
        w,
        "am" | "pm" | "a" | "p" | "gmt" | "utc" | "est" | "edt" | "cet" | "cest" | "bst"
    ) {
        if w == "a" || w == "p" {
            // "9 a.m."; the article "a" after a number ("in 2025 a new...") is not a time.
            return cx.b.get(we) == Some(&b'.')
                && cx.b.get(we + 1).is_some_and(|c| *c == b'm' || *c == b'M');
        }
        return true;
    }
    w == "o" && cx.b.get(we) == Some(&b'\'')
}

/// Where digits follow a name ("Boeing 737", "Nikkei 225") in the whole text:
/// digits -> their offsets. Built once per call, on the first candidate that asks.
type LabelIndex<'a> = FastMap<&'a str, Vec<usize>>;

fn label_index<'a>(text: &'a str, lex: &Lexicon) -> LabelIndex<'a> {
    let b = text.as_bytes();
    let mut map: LabelIndex<'a> = FastMap::default();
    let mut i = next_digit(b, 2);
    while i < b.len() {
        if !(b[i - 1] == b' ' && b[i - 2].is_ascii_alphabetic()) {
            i = next_digit(b, i + 1);
            continue;
        }
        let mut e = i;
        while e < b.len() && b[e].is_ascii_digit() {
            e += 1;
        }
        if (3..=4).contains(&(e - i))
            && !b
                .get(e)
                .is_some_and(|c| *c == b',' && b.get(e + 1).is_some_and(u8::is_ascii_digit))
        {
            let we = i - 1;
            let mut ws = we;
            while ws > 0 && b[ws - 1].is_ascii_alphabetic() {
                ws -= 1;
            }
            let w = slice(text, ws, we);
            let lw = w.to_ascii_lowercase();
            if w.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
                && !is_month(&lw)
                && !lex.stop.contains(lw.as_str())
                && !lex.hedges_before.contains_key(lw.as_str())
                && !matches!(lw.as_str(), "all" | "only" | "just")
            {
                map.entry(slice(text, i, e)).or_default().push(i);
            }
        }
        i = next_digit(b, e.max(i + 1));
    }
    map
}

/// The first ASCII digit of `b` at or after `from` (`b.len()` if none),
/// eight bytes at a time: digits are a few bytes in a hundred of news
/// text, and a byte loop here cost five instructions a byte.
fn next_digit(b: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // Digits are the bytes that XOR 0x30 turns into 0..=9; a byte
        // below 10 sets its high bit in `(x - 10) & !x`.
        let x = u64::from_le_bytes(word) ^ (ONES * 0x30);
        if x.wrapping_sub(ONES * 10) & !x & (ONES * 0x80) != 0 {
            break;
        }
        i += 8;
    }
    b.get(i..)
        .and_then(|rest| rest.iter().position(u8::is_ascii_digit))
        .map_or(b.len().max(i), |k| i + k)
}

/// The same digits written right after a name nearby ("Boeing 737" ... "five new
/// 737 aircraft"): a model number, not a count.
fn seen_as_label(cx: &Ctx, s: usize, e: usize) -> bool {
    const WINDOW: usize = 6000;
    let index = cx.labels.get_or_init(|| label_index(cx.t, cx.lex));
    index
        .get(slice(cx.t, s, e))
        .is_some_and(|at| at.iter().any(|&o| o != s && o.abs_diff(s) <= WINDOW))
}

/// Product and index names: "Boeing's 787", "Poor's 500 index", "iPhone 4",
/// "787 Dreamliner", "777-200LR".
fn is_model_number(cx: &Ctx, s: usize, e: usize) -> bool {
    let b = cx.b;
    if b.get(e) == Some(&b'-') && b.get(e + 1).is_some_and(u8::is_ascii_alphanumeric) {
        return true;
    }
    if let Some((ws, we)) = prev_word(cx, s) {
        let w = slice(cx.t, ws, we);
        if w.bytes().skip(1).any(|c| c.is_ascii_uppercase())
            && w.bytes().any(|c| c.is_ascii_lowercase())
        {
            return true;
        }
        if w == "s" {
            let mut k = ws;
            for q in ["'", "’"] {
                if cx.t.get(..k).is_some_and(|p| p.ends_with(q)) {
                    k -= q.len();
                    if let Some((ps, _)) = prev_word(cx, k) {
                        return b[ps].is_ascii_uppercase();
                    }
                }
            }
        }
    }
    if let Some((ws, we)) = next_word(cx, e) {
        let w = slice(cx.t, ws, we);
        return w.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
            && !w.ends_with('s')
            && w.len() > 1
            && w.bytes().skip(1).all(|c| c.is_ascii_lowercase());
    }
    false
}

/// "311 Hart Senate Office Building", "300 block", "10 Downing Street".
fn is_street_number(cx: &Ctx, i: usize) -> bool {
    let mut k = i;
    for n in 0..5 {
        // Alphanumeric tokens, so "3505 NW 187th St." reads through "187th".
        let mut ws = skip_spaces(cx.b, k, cx.end);
        // "the 2700-block of East 75th Street" is an address too.
        if n == 0 && cx.b.get(ws) == Some(&b'-') {
            ws += 1;
        }
        let mut we = ws;
        while we < cx.end && cx.b[we].is_ascii_alphanumeric() {
            we += 1;
        }
        if we == ws {
            return false;
        }
        let w = slice(cx.t, ws, we);
        let mut lbuf = [0u8; 24];
        let lw = lower_in(w, &mut lbuf);
        let lw: &str = &lw;
        if n == 0 && lw == "block" {
            return true;
        }
        let ordinal = w.bytes().next().is_some_and(|c| c.is_ascii_digit())
            && ["st", "nd", "rd", "th"].iter().any(|o| lw.ends_with(o));
        if !ordinal && !w.bytes().next().is_some_and(|c| c.is_ascii_uppercase()) {
            return false;
        }
        if matches!(
            lw,
            "street"
                | "st"
                | "avenue"
                | "ave"
                | "road"
                | "rd"
                | "boulevard"
                | "blvd"
                | "building"
                | "drive"
                | "dr"
                | "lane"
                | "ln"
                | "place"
                | "pl"
                | "way"
                | "plaza"
                | "square"
                | "court"
                | "ct"
                | "highway"
                | "parkway"
                | "pkwy"
                | "terrace"
                | "suite"
                | "floor"
        ) {
            return true;
        }
        k = we;
    }
    false
}

/// "Papermaster, 49, had left": a small number between commas after a name.
fn is_age_apposition(cx: &Ctx, s: usize, num: &Num) -> bool {
    if !num.plain_int || !(1.0..=120.0).contains(&num.value) {
        return false;
    }
    let b = cx.b;
    let p = skip_spaces_back(b, s, cx.lo);
    if p == s || p == 0 || b[p - 1] != b',' {
        return false;
    }
    if b.get(num.end) != Some(&b',') {
        return false;
    }
    let Some((ws, we)) = prev_word(cx, p - 1) else {
        return false;
    };
    // "Christopher Roupe, 17," or "a girl, 3,".
    b[ws].is_ascii_uppercase()
        || matches!(
            slice(cx.t, ws, we),
            "boy"
                | "girl"
                | "man"
                | "woman"
                | "son"
                | "daughter"
                | "child"
                | "teen"
                | "teenager"
                | "toddler"
                | "baby"
                | "infant"
                | "victim"
                | "suspect"
                | "mother"
                | "father"
                | "brother"
                | "sister"
                | "wife"
                | "husband"
        )
}

/// `w` in lower case without allocating; "" for words longer than the buffer.
fn lower<'b>(w: &'b str, buf: &'b mut [u8; 32]) -> &'b str {
    if w.len() > buf.len() {
        return "";
    }
    // Most words are lower case already: no copy and no UTF-8 check.
    if !w.bytes().any(|c| c.is_ascii_uppercase()) {
        return w;
    }
    crate::text::lower_ascii_into(w, buf).unwrap_or("")
}

// ---- small byte helpers -------------------------------------------------------

fn slice(t: &str, a: usize, b: usize) -> &str {
    t.get(a..b).unwrap_or("")
}

fn lower_eq(t: &str, a: usize, b: usize, w: &str) -> bool {
    slice(t, a, b).eq_ignore_ascii_case(w)
}

/// `w` ASCII-lower-cased: in `buf` when it fits, else a new string.
fn lower_in<'b>(w: &'b str, buf: &'b mut [u8; 24]) -> std::borrow::Cow<'b, str> {
    if !w.bytes().any(|c| c.is_ascii_uppercase()) {
        return std::borrow::Cow::Borrowed(w);
    }
    crate::text::lower_ascii_into(w, buf).map_or_else(
        || std::borrow::Cow::Owned(w.to_ascii_lowercase()),
        std::borrow::Cow::Borrowed,
    )
}

fn alpha_end(b: &[u8], i: usize, end: usize) -> usize {
    let mut j = i;
    while j < end && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    j
}

/// A word with inner hyphens or apostrophes: "long-haul", "mid-sized".
fn word_end(b: &[u8], i: usize, end: usize) -> usize {
    let mut j = alpha_end(b, i, end);
    while j + 1 < end && b[j] == b'-' && b[j + 1].is_ascii_alphabetic() {
        j = alpha_end(b, j + 1, end);
    }
    j
}

/// End of the token containing `i`: digits, letters and inner separators.
fn token_end(b: &[u8], i: usize, end: usize) -> usize {
    let mut j = i;
    while j < end {
        let c = b[j];
        let inner_sep = matches!(c, b'.' | b',' | b':' | b'/' | b'-')
            && j + 1 < end
            && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric);
        if !(c.is_ascii_alphanumeric() || inner_sep) {
            break;
        }
        j += 1;
    }
    j.max(i + 1).min(end.max(i + 1))
}

fn is_space_at(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b' ' | b'\t' | b'\n' | b'\r') => 1,
        // NBSP (U+00A0), narrow NBSP (U+202F), thin space (U+2009).
        Some(0xC2) if b.get(i + 1) == Some(&0xA0) => 2,
        Some(0xE2) if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xAF | 0x89)) => 3,
        _ => 0,
    }
}

fn skip_spaces(b: &[u8], i: usize, end: usize) -> usize {
    let mut j = i;
    while j < end {
        let n = is_space_at(b, j);
        if n == 0 || j + n > end {
            break;
        }
        j += n;
    }
    j
}

fn skip_spaces_back(b: &[u8], i: usize, lo: usize) -> usize {
    let mut j = i;
    while j > lo {
        if matches!(b[j - 1], b' ' | b'\t' | b'\n' | b'\r') {
            j -= 1;
        } else if j >= lo + 2 && b[j - 2] == 0xC2 && b[j - 1] == 0xA0 {
            j -= 2;
        } else {
            break;
        }
    }
    j
}

fn next_word(cx: &Ctx, i: usize) -> Option<(usize, usize)> {
    let (at, w) = cx.next_memo.get();
    if at == i {
        return w;
    }
    let ws = skip_spaces(cx.b, i, cx.end);
    let we = alpha_end(cx.b, ws, cx.end);
    let w = (we > ws).then_some((ws, we));
    cx.next_memo.set((i, w));
    w
}

fn prev_word(cx: &Ctx, i: usize) -> Option<(usize, usize)> {
    let (at, w) = cx.prev_memo.get();
    if at == i {
        return w;
    }
    let w = prev_word_uncached(cx, i);
    cx.prev_memo.set((i, w));
    w
}

fn prev_word_uncached(cx: &Ctx, i: usize) -> Option<(usize, usize)> {
    let b = cx.b;
    let mut we = skip_spaces_back(b, i.min(b.len()), cx.lo);
    // "Aug. 22": a period right after a short word.
    if we > cx.lo && b[we - 1] == b'.' && we >= cx.lo + 2 && b[we - 2].is_ascii_alphabetic() {
        we -= 1;
    }
    let mut ws = we;
    while ws > cx.lo && b[ws - 1].is_ascii_alphabetic() {
        ws -= 1;
    }
    (ws < we).then_some((ws, we))
}

#[cfg(test)]
// The API takes a slice of ranges; one whole-text range is the common test input.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use crate::text::floor_char_boundary;
    use crate::text::testing::{soup, xorshift};
    use std::path::PathBuf;

    fn all(text: &str) -> Vec<Quantity> {
        extract_quantities(text, &[0..text.len()])
    }

    fn one(text: &str) -> Quantity {
        let qs = all(text);
        assert_eq!(qs.len(), 1, "{text:?} -> {qs:#?}");
        qs.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    fn none(text: &str) {
        let qs = all(text);
        assert!(qs.is_empty(), "{text:?} -> {qs:#?}");
    }

    #[test]
    fn counts_lemmatise_the_counted_noun() {
        let q = one("He said 30 countries have stated their readiness.");
        assert_eq!(
            (q.text.as_str(), q.value, q.kind),
            ("30 countries", 30.0, QuantityKind::Count)
        );
        assert_eq!(q.noun.as_deref(), Some("country"));
        assert_eq!(
            one("to limit its military to 600,000 troops, while")
                .noun
                .as_deref(),
            Some("troop")
        );
        assert_eq!(one("killing 228 people").noun.as_deref(), Some("person"));
        let q = one("an order for 179 new aerial refueling tankers");
        assert_eq!(
            (q.text.as_str(), q.noun.as_deref()),
            ("179 new aerial refueling tankers", Some("tanker"))
        );
    }

    #[test]
    fn number_words_dozens_and_scales() {
        assert_eq!(one("thirty countries").value, 30.0);
        assert_eq!(one("twenty-five nations").value, 25.0);
        assert_eq!(one("three hundred and fifty soldiers").value, 350.0);
        assert_eq!(one("two dozen sanctions").value, 24.0);
        let q = one("a dozen officials");
        assert_eq!((q.text.as_str(), q.value), ("a dozen officials", 12.0));
        assert_eq!(one("half a million refugees").value, 500_000.0);
        assert_eq!(one("1.2 million people").value, 1_200_000.0);
        assert_eq!(one("1,000,000 doses").value, 1_000_000.0);
        assert_eq!(one("three thousand employees").value, 3000.0);
        none("No one of them came.");
    }

    #[test]
    fn vague_plurals_are_at_least_twice_the_base() {
        let q = one("hundreds of people gathered");
        assert_eq!(
            (q.value, q.hedge, q.noun.as_deref()),
            (200.0, Hedge::AtLeast, Some("person"))
        );
        assert_eq!(one("tens of thousands of protesters").value, 20_000.0);
        let q = one("billions of dollars in loans");
        assert_eq!(
            (q.kind, q.unit.as_deref()),
            (QuantityKind::Money, Some("USD"))
        );
    }

    #[test]
    fn money_with_hedge_scale_and_what_it_buys() {
        let q = one("The U.S. has provided nearly $67 billion in military aid to Ukraine.");
        assert_eq!(q.text, "nearly $67 billion");
        assert_eq!(
            (q.value, q.hedge, q.kind),
            (67e9, Hedge::Nearly, QuantityKind::Money)
        );
        assert_eq!(q.unit.as_deref(), Some("USD"));
        assert_eq!(q.measures.as_deref(), Some("military aid"));
        assert_eq!(q.number_text, "67 billion");
        assert_eq!(one("worth US$ 7.2 bn").value, 7.2e9);
        assert_eq!(one("Qatar Airways order worth $15bn").value, 15e9);
        assert_eq!(one("a €2.5m grant").unit.as_deref(), Some("EUR"));
        assert_eq!(one("9.9 billion yuan").unit.as_deref(), Some("CNY"));
        let q = one("equal to 26 cents per share");
        assert!((q.value - 0.26).abs() < 1e-9);
    }

    #[test]
    fn percent_sign_and_word() {
        let q = one("Humidity: 91%");
        assert_eq!(
            (q.value, q.kind, q.unit.as_deref()),
            (91.0, QuantityKind::Percent, Some("percent"))
        );
        assert_eq!(one("rose 78 percent").kind, QuantityKind::Percent);
        assert_eq!(one("fell 15 % today").text, "15 %");
        assert_eq!(one("half a percent").value, 0.5);
    }

    #[test]
    fn adjectival_forms_modify_the_following_noun() {
        let q = one("the 33-nation “coalition of the willing” that");
        assert_eq!(q.text, "33-nation");
        assert_eq!(q.noun.as_deref(), Some("nation"));
        assert_eq!(q.modifies.as_deref(), Some("coalition"));
        assert_eq!(q.measures.as_deref(), Some("coalition of the willing"));
        let q = one("the 32-member transatlantic military alliance,");
        assert_eq!(
            (q.noun.as_deref(), q.modifies.as_deref()),
            (Some("member"), Some("alliance"))
        );
        let q = one("the 28-point plan as a starting point");
        assert_eq!(
            (q.noun.as_deref(), q.modifies.as_deref()),
            (Some("point"), Some("plan"))
        );
        let q = one("ending the 3 1/2-year conflict.");
        assert_eq!(
            (q.kind, q.value, q.unit.as_deref()),
            (QuantityKind::Duration, 3.5, Some("year"))
        );
        assert_eq!(q.modifies.as_deref(), Some("conflict"));
        let q = one("a 12-year-old boy");
        assert_eq!(
            (q.kind, q.value, q.text.as_str()),
            (QuantityKind::Age, 12.0, "12-year-old")
        );
    }

    #[test]
    fn of_phrase_gives_the_same_claim_as_adjectival() {
        let q = one("a coalition of 33 nations");
        assert_eq!(q.noun.as_deref(), Some("nation"));
        assert_eq!(q.measures.as_deref(), Some("coalition"));
    }

    #[test]
    fn partitives_name_the_counted_noun() {
        let q = one("according to two of the European diplomats.");
        assert_eq!(
            (q.noun.as_deref(), q.text.as_str()),
            (Some("diplomat"), "two of the European diplomats")
        );
        let q = one("will also purchase 20 of Boeing's larger planes");
        assert_eq!((q.noun.as_deref(), q.text.as_str()), (None, "20"));
    }

    #[test]
    fn ages_of_people_and_calibers() {
        assert_eq!(one("a girl, 3, was hit").kind, QuantityKind::Age);
        let q = one("the .40 caliber handgun");
        assert_eq!((q.value, q.unit.as_deref()), (0.4, Some("caliber")));
        none("shortly before 3 p.m. in the area of 3505 NW 187th St., near");
        none("call Crime Stoppers at 305-471-TIPS.");
    }

    #[test]
    fn words_key_joins_words_as_split_whitespace_does() {
        let mut buf = [0u8; 32];
        for s in [
            "Or  More",
            " or\tso ",
            "OR\n\x0bmore\r",
            "",
            "a\x1fb",
            "x y z",
        ] {
            let want = s
                .to_ascii_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(words_key(s, &mut buf), Some(want.as_str()), "{s:?}");
        }
        assert_eq!(words_key("or\u{a0}more", &mut buf), None);
        assert_eq!(words_key(&"x ".repeat(20), &mut buf), None);
    }

    /// The candidate search before the byte-class scan: one Aho-Corasick
    /// pass over digits, vulgar fractions and number words anywhere, even
    /// inside words. Kept here as the reference the scan must agree with.
    fn extract_with_aho_corasick(text: &str, ranges: &[Range<usize>]) -> Vec<Quantity> {
        use aho_corasick::{AhoCorasickBuilder, Input, MatchKind};
        let lex = lexicon();
        let mut patterns: Vec<String> = (0..10).map(|d| d.to_string()).collect();
        patterns.extend(["½", "¼", "¾"].iter().map(|s| s.to_string()));
        for (w, (_, c)) in &lex.numbers {
            if *c != NumClass::Abbr {
                patterns.push((*w).to_string());
            }
        }
        let finder = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .unwrap_or_else(|e| panic!("{e}"));
        let labels = OnceCell::new();
        let mut out = Vec::new();
        for r in ranges {
            let end = r.end.min(text.len());
            let start = r.start.min(end);
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            let (mut pos, mut floor) = (start, start);
            while pos < end {
                let Some(m) = finder.find(Input::new(text).span(pos..end)) else {
                    break;
                };
                let cx = Ctx::new(
                    text,
                    text.as_bytes().get(..end).unwrap_or_default(),
                    floor,
                    end,
                    lex,
                    &labels,
                );
                let first = text.as_bytes()[m.start()];
                let result = if first >= 0x80 {
                    Err(m.end())
                } else {
                    candidate(&cx, m.start(), m.end())
                };
                match result {
                    Ok(q) => {
                        pos = q.end.max(m.end());
                        floor = q.end;
                        out.push(q);
                    }
                    Err(skip) => pos = skip.max(m.end()),
                }
                while pos < end && !text.is_char_boundary(pos) {
                    pos += 1;
                }
            }
        }
        out
    }

    /// The candidate scan as a byte loop, with the number words compared
    /// one by one: the reference for the eight-byte scan, its prefix bit set
    /// and the sixteen-byte patterns.
    fn next_candidate_bytewise(b: &[u8], pos: usize, end: usize) -> Option<(usize, usize)> {
        let lex = lexicon();
        let end = end.min(b.len());
        let mut glued = pos > 0
            && b.get(pos - 1)
                .is_some_and(|&c| CLASS[usize::from(c)] != OTHER);
        for i in pos..end {
            match CLASS[usize::from(b[i])] {
                DIGIT => return Some((i, i + 1)),
                LETTER => {
                    let window = &b[i..end];
                    let e = lex
                        .word_pats
                        .iter()
                        .map(|p| p.word)
                        .filter(|w| {
                            window
                                .get(..w.len())
                                .is_some_and(|r| r.eq_ignore_ascii_case(w.as_bytes()))
                        })
                        .map(|w| i + w.len())
                        .max();
                    if let (false, Some(e)) = (glued, e) {
                        return Some((i, e));
                    }
                    glued = true;
                }
                APOSTROPHE => glued = true,
                _ => glued = false,
            }
        }
        None
    }

    /// Every candidate of `b[pos..end]` by both scans, each search starting
    /// one byte after the last candidate.
    fn assert_scans_agree(b: &[u8], pos: usize, end: usize) -> usize {
        let lex = lexicon();
        let (mut at, mut n) = (pos, 0);
        loop {
            let got = next_candidate(lex, b, at, end);
            assert_eq!(
                got,
                next_candidate_bytewise(b, at, end),
                "{:?} at {at} end {end}",
                String::from_utf8_lossy(b)
            );
            match got {
                Some((s, _)) => {
                    n += 1;
                    at = s + 1;
                }
                None => return n,
            }
        }
    }

    #[test]
    fn eight_byte_scan_agrees_with_the_byte_loop() {
        let pieces = [
            "one",
            "One",
            "ONE",
            "oNe",
            "someone",
            "often",
            "ten",
            "Tenfold",
            "tens",
            "'one",
            "’one",
            "don't",
            "3",
            "42",
            "x2",
            "é",
            "éone",
            "seventeen",
            "SEVENTY",
            "eighteen",
            "thousands",
            "trillion",
            "thi",
            "th",
            "t",
            "for",
            "forty",
            "Fourteen",
            "four",
            "dozen",
            "half",
            "hundred",
            "zero",
            "twenty-one",
            "score",
            "bn",
            "mln",
            " ",
            "  ",
            "-",
            ",",
            ".",
            "'",
            "\n",
            "\t",
            "@",
            "[",
            "{",
            "`",
            "\u{0}",
            "a",
            "Z",
        ];
        let mut next = xorshift(0x51f1_5e3a_9b2c_7d01);
        let mut found = 0;
        for _ in 0..20_000 {
            let text = soup(&mut next, &pieces, 24);
            let b = text.as_bytes();
            let len = b.len();
            let pos = (next() as usize) % (len + 1);
            let end = pos + (next() as usize) % (len - pos + 1);
            found += assert_scans_agree(b, 0, len);
            found += assert_scans_agree(b, pos, end);
        }
        assert!(found > 50_000, "{found}");
        // News text, where word starts and digits fall at every offset of a chunk.
        for d in crate::text::testing::news_documents(true).iter().take(500) {
            assert_scans_agree(d.text.as_bytes(), 0, d.text.len());
        }
    }

    #[test]
    fn candidate_scan_finds_what_the_full_search_found() {
        // Number words glued to letters, digits and apostrophes, prefixes of
        // longer words, odd case, fractions and digits inside tokens.
        let pieces = [
            "one",
            "One",
            "ONE",
            "someone",
            "often",
            "ten",
            "tenfold",
            "Tens",
            "'one",
            "’one",
            "don't",
            "3million",
            "3 million",
            "x2",
            "A320",
            "COVID-19",
            "½",
            "3½",
            "é",
            "éone",
            "seventeen",
            "seven",
            "eighteen",
            "thousands",
            "thi",
            "th",
            "t",
            "-",
            " ",
            "  ",
            ",",
            ".",
            "'",
            "\n",
            "$",
            "%",
            "of",
            "the",
            "people",
            "years",
            "old",
            "dozen",
            "hundred",
            "and",
            "half",
            "a",
            "to",
            "12",
            "1,000",
            "2024",
            "Score",
            "zero",
            "twenty-one",
            "9",
            "ninety",
        ];
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let mut found = 0;
        for _ in 0..4000 {
            let text = soup(&mut next, &pieces, 16);
            let len = text.len();
            let a = floor_char_boundary(&text, (next() as usize) % (len + 1));
            for ranges in [vec![0..len], vec![0..a, a..len]] {
                let got = extract_quantities(&text, &ranges);
                assert_eq!(
                    got,
                    extract_with_aho_corasick(&text, &ranges),
                    "{text:?} {ranges:?}"
                );
                found += got.len();
            }
        }
        // The soup must exercise the parser, not only the scan.
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn early_year_rejection_agrees_with_the_full_path() {
        let pieces = [
            "2016",
            "1999",
            "2101",
            "1400",
            "20500",
            "123456",
            "12",
            "0",
            ".",
            ",",
            ";",
            ")",
            "(",
            "!",
            "?",
            "\"",
            "'",
            "-",
            "%",
            " ",
            "\n",
            "in",
            "July",
            "$",
            "US$ ",
            "elections",
            "million",
            "to",
            "and",
            "a.m.",
            "Boeing",
            "£",
            "–",
            "½",
            "°C",
            ":",
            "/",
            "years",
        ];
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let mut closed = 0;
        for _ in 0..3000 {
            let text = soup(&mut next, &pieces, 16);
            let b = text.as_bytes();
            let labels = OnceCell::new();
            let cx = Ctx::new(&text, b, 0, text.len(), lexicon(), &labels);
            for s in (0..b.len()).filter(|&i| b[i].is_ascii_digit()) {
                let run = b[s..].iter().take_while(|c| c.is_ascii_digit()).count();
                if run >= 4 && closed_right(b, s + run) {
                    closed += 1;
                }
                assert_eq!(
                    candidate_with::<true>(&cx, s, s + 1),
                    candidate_with::<false>(&cx, s, s + 1),
                    "{text:?} at {s}"
                );
            }
        }
        // The soup reaches the early path often, so the comparison means something.
        assert!(closed > 1000, "{closed}");
    }

    #[test]
    fn random_input_never_panics_and_spans_stay_in_ranges() {
        // Deterministic pseudo-random soup of the tokens the parser branches on.
        let pieces = [
            "30",
            "1,000",
            "3 1/2",
            "½",
            "-",
            "–",
            "$",
            "US$",
            "€",
            "%",
            "°C",
            "km/h",
            " ",
            "  ",
            "\u{a0}",
            "\n",
            ".",
            ",",
            ":",
            "/",
            "(",
            ")",
            "“",
            "”",
            "'",
            "’",
            "a",
            "of",
            "the",
            "dozen",
            "hundreds",
            "half",
            "twenty",
            "one",
            "million",
            "bn",
            "to",
            "and",
            "between",
            "nearly",
            "more than",
            "countries",
            "year",
            "old",
            "-year-old",
            "-nation",
            "Article",
            "July",
            "p.m.",
            "block",
            "Street",
            "é",
            "日本",
            "9",
            "0",
            "12.5",
            "19.08.25",
            "NY-14",
        ];
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let text = soup(&mut next, &pieces, 24);
            let len = text.len();
            let mut a = (next() as usize) % (len + 1);
            let mut b = (next() as usize) % (len + 1);
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let a = floor_char_boundary(&text, a);
            while !text.is_char_boundary(b) {
                b += 1;
            }
            for q in extract_quantities(&text, &[0..a, a..b, b..len]) {
                assert_eq!(text.get(q.start..q.end), Some(q.text.as_str()), "{text:?}");
                let inside = [0..a, a..b, b..len]
                    .iter()
                    .any(|r| r.start <= q.start && q.end <= r.end);
                assert!(inside, "{text:?} {a} {b} {q:?}");
                assert!(q.value.is_finite());
            }
        }
    }

    #[test]
    fn hedges_before_and_after() {
        assert_eq!(one("more than 30 countries").hedge, Hedge::MoreThan);
        assert_eq!(one("at least 12 people").hedge, Hedge::AtLeast);
        assert_eq!(one("about 500 guests").hedge, Hedge::About);
        assert_eq!(one("up to 60 aircraft").hedge, Hedge::UpTo);
        assert_eq!(one("fewer than 10 cases").hedge, Hedge::FewerThan);
        assert_eq!(one("almost a dozen reports").hedge, Hedge::Nearly);
        // Phrases of three words, in any case, over several spaces; the
        // longest phrase wins and its first word starts the quantity.
        let q = one("No  More Than 40 troops");
        assert_eq!(
            (q.hedge, q.text.as_str()),
            (Hedge::UpTo, "No  More Than 40 troops")
        );
        let q = one("in excess of 9 tons");
        assert_eq!(
            (q.hedge, q.text.as_str()),
            (Hedge::MoreThan, "in excess of 9 tons")
        );
        // Words too long for any hedge leave the number bare.
        let q = one("extraordinarilyunbelievablylongwordthatfillsthebuffer more than 7 cars");
        assert_eq!(
            (q.hedge, q.text.as_str()),
            (Hedge::MoreThan, "more than 7 cars")
        );
        let q = one("30 countries or more");
        assert_eq!(
            (q.hedge, q.text.as_str()),
            (Hedge::AtLeast, "30 countries or more")
        );
    }

    #[test]
    fn ranges_keep_both_ends() {
        let q = one("10 to 12 people");
        assert_eq!((q.value, q.value_max), (10.0, Some(12.0)));
        let q = one("between $12 million and $20 million");
        assert_eq!((q.value, q.value_max), (12e6, Some(20e6)));
        assert_eq!(q.text, "between $12 million and $20 million");
        let q = one("improvements of 15-20 % are required");
        assert_eq!(
            (q.value, q.value_max, q.kind),
            (15.0, Some(20.0), QuantityKind::Percent)
        );
        assert_eq!(one("2 to 3 million barrels").value, 2e6);
        // A change, not a range: two quantities.
        assert_eq!(all("rose from 14 % to 17 %").len(), 2);
    }

    #[test]
    fn measures_and_durations() {
        let q = one("broken clouds 11.3°C");
        assert_eq!(
            (q.kind, q.unit.as_deref()),
            (QuantityKind::Measure, Some("celsius"))
        );
        assert_eq!(one("Wind Speed: 22.2 km/h").unit.as_deref(), Some("km/h"));
        assert_eq!(
            one("the aircraft's 500km of wiring").unit.as_deref(),
            Some("km")
        );
        let q = one("within the next two weeks.");
        assert_eq!(
            (q.kind, q.unit.as_deref(), q.value),
            (QuantityKind::Duration, Some("week"), 2.0)
        );
        assert_eq!(one("for six straight days").kind, QuantityKind::Duration);
        assert_eq!(one("almost two and a half years behind").value, 2.5);
        assert_eq!(one("Dow falls 340 points").unit.as_deref(), Some("point"));
    }

    #[test]
    fn ages() {
        assert_eq!(one("Steve Jobs dies aged 56").kind, QuantityKind::Age);
        assert_eq!(one("Papermaster, 49, had left").kind, QuantityKind::Age);
        assert_eq!(one("a man, 55 years old, said").kind, QuantityKind::Age);
    }

    #[test]
    fn dates_times_and_years_are_not_quantities() {
        none("Rubio battled Trump for the 2016 Republican presidential nomination");
        none("before the 2024 election");
        none("guarantees19.08.25, 21:21");
        none("Thursday, November 27, 2025 9:22 AM");
        none("Sunday, August 17, 2025, 11:24:28 PM Eastern Daylight Time");
        none("During a crucial call on July 15, 2023, with advisers");
        none("Thursday, 27 November, 2025");
        none("Aug 22, 2025");
        none("in 2014 and 2015 over clashes");
        none("the 1990s");
        none("at 9 a.m. local time");
        none("since '82");
    }

    #[test]
    fn labels_addresses_phones_and_ordinals_are_not_quantities() {
        none("like Article 5 of NATO");
        none("Article 5-like protections");
        none("NATO’s Article 5 protections.");
        none("Representative Alexandria Ocasio-Cortez (NY-14)");
        none("Mailing Address: 311 Hart Senate Office Building, Washington, D.C. 20510");
        none("police responded to the 300 block of Main Street");
        none("a man approached the restaurant in the 2700-block of East 75th Street");
        none("Call (202) 224-3121 today");
        none("call 202-224-3121 now");
        none("the 5th generation iPod");
        none("the first visit and the second diplomat");
        none("the new iPhone 4 owners");
        none("Boeing 737 jets");
        none("platforms like Change.org or Care2 to find petitions");
        none("1. **Educate Yourself and Others**: Under");
        none("version 2.0.1 released");
    }

    #[test]
    fn ranges_bound_the_search() {
        let text = "30 countries. Then 40 more troops.";
        let qs = extract_quantities(text, &[0..13]);
        assert_eq!(qs.len(), 1);
        // A range end inside the noun cuts the phrase there.
        let qs = extract_quantities(text, &[0..6]);
        assert_eq!(qs.first().map(|q| q.text.as_str()), Some("30"));
        let qs = extract_quantities(text, &[19..text.len()]);
        assert_eq!(
            qs.first().map(|q| (q.start, q.text.as_str())),
            Some((19, "40 more troops"))
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "",
            "$",
            "½",
            "3½ years",
            "1/0",
            "0/0 people",
            "99999999999999999999999999 x",
            "-",
            "- 5",
            "€",
            "1,",
            ",000",
            "1.",
            "3 1/",
            "£5m",
            "twenty-",
            "-twenty",
            "hundreds of",
            "between 5 and",
            "5 to",
            "“",
            "33-“",
            "12-year-",
            "\u{a0}5\u{a0}%",
            "5\u{202f}km",
            "ß5ß",
            "5°",
            "1e10 km",
            "half a",
            "a dozen",
            "$ 5 to $",
        ];
        for t in odd {
            for q in all(t) {
                assert_eq!(t.get(q.start..q.end), Some(q.text.as_str()));
            }
            // Every char-boundary sub-range.
            let bounds: Vec<usize> = (0..=t.len()).filter(|i| t.is_char_boundary(*i)).collect();
            for &a in &bounds {
                for &b in bounds.iter().filter(|b| **b >= a) {
                    for q in extract_quantities(t, &[a..b]) {
                        assert!(q.start >= a && q.end <= b, "{t:?} {a}..{b} {q:?}");
                    }
                }
            }
        }
        // Out-of-bounds and non-boundary ranges are ignored, not a panic.
        assert!(extract_quantities("½ 5 people", &[1..3, 0..100]).len() <= 1);
    }

    #[test]
    fn lexicon_files_are_sorted_with_format_headers() {
        for (name, src) in [
            ("number-words.txt", NUMBER_WORDS),
            ("units.txt", UNITS),
            ("hedges.txt", HEDGES),
            ("plurals.txt", PLURALS),
            ("stopwords.txt", STOPWORDS),
        ] {
            assert!(src.starts_with("# FORMAT:"), "{name}: no # FORMAT: header");
            let lines: Vec<&str> = src
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .collect();
            for w in lines.windows(2) {
                assert!(
                    w[0] < w[1],
                    "{name}: {:?} must sort before {:?} (and once)",
                    w[1],
                    w[0]
                );
            }
        }
        let lex = lexicon();
        assert!(lex.word_pats.len() > 40);
        assert!(lex.numbers.len() > 40 && lex.units.len() > 100 && lex.plurals.len() > 30);
    }

    fn seeds_dir() -> Option<PathBuf> {
        let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        loop {
            let cand = dir.join("shared/seeds");
            if cand.is_dir() {
                return Some(cand);
            }
            if !dir.pop() {
                return None;
            }
        }
    }

    /// Quantities of one seed, searching every line except widget and related-link
    /// lines (what boilerplate removal hands over).
    fn seed(prefix: &str) -> Option<(String, Vec<Quantity>)> {
        let dir = seeds_dir()?;
        let path = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })?;
        let text = std::fs::read_to_string(path).ok()?;
        let mut ranges = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches('\n');
            if !["views", "°C", "Humidity", "Wind Speed"]
                .iter()
                .any(|b| body.contains(b))
            {
                ranges.push(start..start + body.len());
            }
            start += line.len();
        }
        let qs = extract_quantities(&text, &ranges);
        Some((text, qs))
    }

    fn find<'a>(qs: &'a [Quantity], text: &str) -> &'a Quantity {
        match qs.iter().find(|q| q.text == text) {
            Some(q) => q,
            None => panic!(
                "{text:?} not found in {:#?}",
                qs.iter().map(|q| &q.text).collect::<Vec<_>>()
            ),
        }
    }

    #[test]
    fn seeds_hold_the_required_quantities_and_none_of_the_negatives() {
        let Some((_, q1)) = seed("001") else {
            eprintln!("note: shared/seeds not found above CARGO_MANIFEST_DIR; skipped");
            return;
        };
        for qs in [&q1, &seed("002").map(|s| s.1).unwrap_or_default()] {
            let q = find(qs, "30 countries");
            assert_eq!(
                (q.value, q.noun.as_deref(), q.kind),
                (30.0, Some("country"), QuantityKind::Count)
            );
        }
        let (_, q3) = seed("003").unwrap_or_default();
        let q = find(&q3, "33-nation");
        assert_eq!(q.modifies.as_deref(), Some("coalition"));
        assert_eq!(q.measures.as_deref(), Some("coalition of the willing"));
        let q = find(&q3, "600,000 troops");
        assert_eq!((q.value, q.noun.as_deref()), (600_000.0, Some("troop")));
        let q = find(&q3, "nearly $67 billion");
        assert_eq!(
            (q.value, q.hedge, q.measures.as_deref()),
            (67e9, Hedge::Nearly, Some("military aid"))
        );
        let q = find(&q3, "28-point");
        assert_eq!(
            (q.noun.as_deref(), q.modifies.as_deref()),
            (Some("point"), Some("plan"))
        );
        let (_, q4) = seed("004").unwrap_or_default();
        let q = find(&q4, "32-member");
        assert_eq!(q.modifies.as_deref(), Some("alliance"));
        let q = find(&q4, "3 1/2-year");
        assert_eq!(
            (q.kind, q.value, q.unit.as_deref()),
            (QuantityKind::Duration, 3.5, Some("year"))
        );

        let negatives = [
            (
                "000",
                vec![
                    "2016",
                    "2024 election",
                    "Article 5",
                    "Aug 22, 2025",
                    "2014 and 2015",
                ],
            ),
            (
                "001",
                vec![
                    "19.08.25",
                    "21:21",
                    "3410 views",
                    "first line",
                    "second source",
                ],
            ),
            ("002", vec!["July 15, 2023", "first line"]),
            (
                "003",
                vec![
                    "9:22 AM",
                    "November 27, 2025",
                    "second diplomat",
                    "first visit",
                    "2022",
                ],
            ),
            (
                "004",
                vec![
                    "Article 5",
                    "NY-14",
                    "311 Hart Senate Office Building",
                    "20510",
                    "20515",
                    "1236 Longworth",
                    "1991",
                    "2014",
                    "August 17, 2025",
                    "11:24:28 PM",
                    "first time",
                    "Care2",
                    "1. **",
                    "2. **",
                    "3. **",
                ],
            ),
        ];
        for (prefix, words) in negatives {
            let Some((text, qs)) = seed(prefix) else {
                continue;
            };
            for w in words {
                for (at, _) in text.match_indices(w) {
                    let end = at + w.len();
                    if let Some(q) = qs.iter().find(|q| q.start < end && at < q.end) {
                        panic!("{prefix}: {w:?} at {at} is inside quantity {q:?}");
                    }
                }
            }
        }
    }
}
