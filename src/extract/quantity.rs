//! Quantities: counts, money, percentages, measures, durations and ages.
//!
//! A quantity is found from its number (digits or number words), then grown
//! leftwards (currency sign, hedge) and rightwards (scale word, range, unit,
//! counted noun, or the `-noun` of an adjectival form such as "33-nation").
//! Candidates come from one Aho-Corasick pass over digits and number words,
//! so text without numbers costs a single scan.
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

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use serde::Serialize;
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

struct Lexicon {
    finder: Option<AhoCorasick>,
    numbers: HashMap<&'static str, (f64, NumClass)>,
    prefixes: Vec<(&'static str, &'static str)>,
    units: HashMap<&'static str, (UnitKind, &'static str)>,
    hedges_before: HashMap<&'static str, Hedge>,
    hedges_after: HashMap<&'static str, Hedge>,
    plurals: HashMap<&'static str, &'static str>,
    stop: HashSet<&'static str>,
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
    let mut numbers = HashMap::new();
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
    let mut units = HashMap::new();
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
    let mut hedges_before = HashMap::new();
    let mut hedges_after = HashMap::new();
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
    let plurals = data_lines(PLURALS)
        .filter_map(|f| Some((*f.first()?, *f.get(1)?)))
        .collect();
    let stop = data_lines(STOPWORDS)
        .filter_map(|f| f.first().copied())
        .collect();

    let mut patterns: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    patterns.extend(["½", "¼", "¾"].iter().map(|s| s.to_string()));
    for (w, (_, c)) in &numbers {
        if *c != NumClass::Abbr {
            patterns.push((*w).to_string());
        }
    }
    // Building only fails on absurd pattern sizes; without a finder nothing is found.
    let finder = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .ok();
    Lexicon {
        finder,
        numbers,
        prefixes,
        units,
        hedges_before,
        hedges_after,
        plurals,
        stop,
    }
}

/// Quantities in `ranges` (sorted, non-overlapping byte ranges of `text`).
/// Offsets are absolute; no match crosses a range end.
pub fn extract_quantities(text: &str, ranges: &[Range<usize>]) -> Vec<Quantity> {
    let lex = lexicon();
    let mut out = Vec::new();
    for r in ranges {
        let end = r.end.min(text.len());
        let start = r.start.min(end);
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        scan(text, start, end, lex, &mut out);
    }
    out
}

struct Ctx<'a> {
    t: &'a str,
    b: &'a [u8],
    lo: usize,
    end: usize,
    lex: &'a Lexicon,
}

fn scan(text: &str, start: usize, end: usize, lex: &Lexicon, out: &mut Vec<Quantity>) {
    let Some(finder) = &lex.finder else {
        return;
    };
    let mut pos = start;
    let mut floor = start;
    while pos < end {
        let Some(m) = finder.find(Input::new(text).span(pos..end)) else {
            break;
        };
        let s = m.start();
        let cx = Ctx {
            t: text,
            b: text.as_bytes(),
            lo: floor,
            end,
            lex,
        };
        match candidate(&cx, s, m.end()) {
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
    let b = cx.b;
    let first = b.get(s).copied().unwrap_or(0);
    let mut num = if first.is_ascii_digit() || first >= 0x80 {
        if first >= 0x80 {
            // A lone vulgar fraction ("½") is too rare to be worth the ambiguity.
            return Err(m_end);
        }
        check_digit_left(cx, s)?;
        let mut n = parse_digits(cx, s)?;
        // A minus sign glued to the number and standing alone: "closed at -36".
        if s >= 1 && cx.b[s - 1] == b'-' && (s == 1 || is_space_at(cx.b, s - 2) == 1) {
            n.start = s - 1;
            n.value = -n.value;
            n.plain_int = false;
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
    let number_text = slice(cx.t, num.start, cur).to_string();

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
        number_text,
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
        if let Some(word) = prev_word_lower(cx, start) {
            if word == "aged" || word == "age" {
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
    Ok(q)
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
    let tok_end = token_end(b, num.start, cx.end);

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
            return Err(tok_end);
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
                    return Err(tok_end);
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
        return Err(tok_end);
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
        let w = slice(cx.t, ws, we).to_ascii_lowercase();
        if w == "of" || w == "in" || w == "for" {
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
        // Words ending like verbs or adverbs end the phrase: "60 needed", "30 recently".
        if w.ends_with("ed") || w.ends_with("ly") || (w.ends_with("ing") && n > 0) {
            return None;
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
    if let Some((w2s, w2e)) = next_unit_word(cx, w1e) {
        let two = format!(
            "{} {}",
            slice(cx.t, w1s, w1e).to_ascii_lowercase(),
            slice(cx.t, w2s, w2e).to_ascii_lowercase()
        );
        if let Some((k, u)) = cx.lex.units.get(two.as_str()) {
            return Some((w2e, *k, u));
        }
    }
    let one = slice(cx.t, w1s, w1e).to_ascii_lowercase();
    let (k, u) = cx.lex.units.get(one.as_str())?;
    // "in", "m", "t" and similar are units only when glued to the number.
    if one.len() <= 2
        && w1s > i
        && !matches!(
            one.as_str(),
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
    let (_, w2e) = next_word(cx, w1e)?;
    let two = slice(cx.t, w1s, w2e).to_ascii_lowercase();
    let two: String = two.split_whitespace().collect::<Vec<_>>().join(" ");
    let h = cx.lex.hedges_after.get(two.as_str())?;
    // "678 points or more than 7.3 %" starts the next quantity.
    if next_word(cx, w2e).is_some_and(|(a, b)| lower_eq(cx.t, a, b, "than")) {
        return None;
    }
    Some((w2e, *h))
}

fn hedge_before(cx: &Ctx, s: usize) -> Option<(usize, Hedge)> {
    let mut words = Vec::with_capacity(4);
    let mut k = s;
    while words.len() < 4 {
        let Some((ws, we)) = prev_word(cx, k) else {
            break;
        };
        words.push((ws, we));
        k = ws;
    }
    for n in (1..=words.len()).rev() {
        let (ws, _) = words[n - 1];
        let phrase: Vec<String> = words[..n]
            .iter()
            .rev()
            .map(|(a, b)| slice(cx.t, *a, *b).to_ascii_lowercase())
            .collect();
        if let Some(h) = cx.lex.hedges_before.get(phrase.join(" ").as_str()) {
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
    let tail_len = before.len().min(8);
    let mut from = before.len() - tail_len;
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let tail = before.get(from..)?.to_ascii_lowercase();
    for (p, code) in &cx.lex.prefixes {
        if tail.ends_with(p) {
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
    loop {
        let we = alpha_end(b, i, cx.end);
        if we == i {
            break;
        }
        let w = slice(cx.t, i, we).to_ascii_lowercase();
        let Some(&(v, class)) = cx.lex.numbers.get(w.as_str()) else {
            if w == "and" && any && words > 0 {
                // "three hundred and fifty": only when another number word follows.
                let ns = skip_spaces(b, we, cx.end);
                let ne = alpha_end(b, ns, cx.end);
                let nw = slice(cx.t, ns, ne).to_ascii_lowercase();
                if ns > we
                    && matches!(cx.lex.numbers.get(nw.as_str()), Some((_, NumClass::Unit)))
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
                let sw = slice(cx.t, ss, se).to_ascii_lowercase();
                match cx.lex.numbers.get(sw.as_str()) {
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
                    _ if cx.lex.units.contains_key(sw.as_str()) => {
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
                    let sw = slice(cx.t, ss, se).to_ascii_lowercase();
                    if let Some((sv, NumClass::Vague)) = cx.lex.numbers.get(sw.as_str()) {
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
        let nw = slice(cx.t, j, ne).to_ascii_lowercase();
        if nw != "and" && !cx.lex.numbers.contains_key(nw.as_str()) {
            break;
        }
        if b.get(we) == Some(&b'-')
            && !matches!(cx.lex.numbers.get(nw.as_str()), Some((_, NumClass::Unit)))
        {
            break;
        }
        i = j;
    }
    if !any {
        return Err(m_end);
    }
    let value = total + current;
    // "a dozen", "a million", "a hundred".
    let first_word = slice(cx.t, s, alpha_end(b, s, cx.end)).to_ascii_lowercase();
    let first_class = cx.lex.numbers.get(first_word.as_str()).map(|x| x.1);
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
    let tok = token_end(b, s, end);
    let mut i = s;
    while i < end && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut int_len = i - s;
    let mut comma = false;
    let mut int_str: String = slice(cx.t, s, i).to_string();
    if int_len <= 3 {
        while i + 3 < end + 1
            && b.get(i) == Some(&b',')
            && b.get(i + 1..i + 4)
                .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            int_str.push_str(slice(cx.t, i + 1, i + 4));
            int_len += 3;
            comma = true;
            i += 4;
        }
    }
    let mut value: f64 = int_str.parse().map_err(|_| tok)?;
    let mut decimal = false;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let ds = i + 1;
        let mut de = ds;
        while de < end && b[de].is_ascii_digit() {
            de += 1;
        }
        if b.get(de) == Some(&b'.') && b.get(de + 1).is_some_and(u8::is_ascii_digit) {
            // "19.08.25", "2.0.1".
            return Err(tok);
        }
        value = slice(cx.t, s, de)
            .replace(',', "")
            .parse()
            .map_err(|_| tok)?;
        decimal = true;
        i = de;
    }
    if b.get(i) == Some(&b':') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return Err(tok);
    }
    let mut plain_int = !comma && !decimal;
    if b.get(i) == Some(&b'/') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        // "1/2" alone; "8/21/2025" and "24/7" are not fractions.
        let (den, de) = read_int(b, i + 1, end);
        if decimal || comma || b.get(de) == Some(&b'/') || den == 0.0 || value >= den || den > 16.0
        {
            return Err(tok);
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
    if let Some(rest) = cx.t.get(i..end) {
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
        let suf = slice(cx.t, i, we).to_ascii_lowercase();
        let ok_unit = cx.lex.units.contains_key(suf.as_str())
            && !matches!(suf.as_str(), "am" | "pm" | "s")
            || matches!(cx.lex.numbers.get(suf.as_str()), Some((_, NumClass::Abbr)))
            || matches!(suf.as_str(), "m" | "k" | "b" | "bln");
        if !ok_unit {
            return Err(tok);
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
    let w = slice(cx.t, ws, we).to_ascii_lowercase();
    let scale = match cx.lex.numbers.get(w.as_str()) {
        Some((v, NumClass::Scale | NumClass::Abbr)) => Some(*v),
        Some((v, NumClass::Hundred | NumClass::Dozen)) if num.digits => Some(*v),
        _ => None,
    };
    let scale = scale.or(match (w.as_str(), money && glued) {
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
    let Some((x, xe)) = next_word(cx, ae) else {
        return;
    };
    let Some((h, he)) = next_word(cx, xe) else {
        return;
    };
    if lower_eq(cx.t, a, ae, "and") && lower_eq(cx.t, x, xe, "a") && lower_eq(cx.t, h, he, "half") {
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
        let w = slice(cx.t, ws, we).to_ascii_lowercase();
        let ok = if between { w == "and" } else { w == "to" };
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
    let sub = Ctx {
        t: cx.t,
        b: cx.b,
        lo: j,
        end: cx.end,
        lex: cx.lex,
    };
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
    if n2.vague {
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
    let tok = token_end(b, s, cx.end);
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
        return Err(tok);
    }
    if matches!(p, b'-' | b'.' | b',') && s >= 2 && b[s - 2].is_ascii_alphanumeric() {
        // "NY-14", "COVID-19", the "08" of "19.08.25", "v.2".
        return Err(tok);
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
    let lw = w.to_ascii_lowercase();
    if is_month(&lw) {
        return true;
    }
    if matches!(
        lw.as_str(),
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
    ) && !lower_eq(cx.t, ws, we, "number")
    {
        // "day 3", "week 2" are ranks; "number 10" too (the word "number" is excluded
        // from this check: "a number 30" is rare, and "the number 10" is a name).
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
    if cx.lex.stop.contains(lw.as_str())
        || cx.lex.hedges_before.contains_key(lw.as_str())
        || matches!(
            lw.as_str(),
            "all" | "only" | "just" | "nearly" | "some" | "another" | "roughly"
        )
    {
        return false;
    }
    // Sentence start: the word is first in its range or follows sentence punctuation.
    let before = skip_spaces_back(cx.b, ws, cx.lo);
    if before == cx.lo
        || matches!(
            cx.b.get(before.wrapping_sub(1)),
            Some(b'.' | b'!' | b'?' | b'\n' | b':' | b'"')
        )
    {
        // "Officials said 30..." vs "Article 5": a sentence-initial capital word is
        // ordinary English unless it is directly followed by the number and nothing else.
        return !is_common_opener(&lw);
    }
    true
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
    let w = slice(cx.t, ws, we).to_ascii_lowercase();
    if is_month(&w) && !cx.b.get(we).is_some_and(|c| *c == b'\'') {
        return true;
    }
    if matches!(
        w.as_str(),
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

/// The same digits written right after a name nearby ("Boeing 737" ... "five new
/// 737 aircraft"): a model number, not a count. The window bounds the cost.
fn seen_as_label(cx: &Ctx, s: usize, e: usize) -> bool {
    const WINDOW: usize = 6000;
    let digits = slice(cx.t, s, e);
    if digits.is_empty() {
        return false;
    }
    let mut a = s.saturating_sub(WINDOW);
    while !cx.t.is_char_boundary(a) {
        a += 1;
    }
    let mut z = (e + WINDOW).min(cx.t.len());
    while !cx.t.is_char_boundary(z) {
        z -= 1;
    }
    let hay = slice(cx.t, a, z);
    for (o, _) in hay.match_indices(digits) {
        let os = a + o;
        let oe = os + digits.len();
        if os == s
            || cx.b.get(oe).is_some_and(u8::is_ascii_digit)
            || os == 0
            || cx.b[os - 1] != b' '
        {
            continue;
        }
        let near = Ctx {
            t: cx.t,
            b: cx.b,
            lo: a,
            end: z,
            lex: cx.lex,
        };
        if let Some((ws, we)) = prev_word(&near, os) {
            if we + 1 != os {
                continue;
            }
            let w = slice(cx.t, ws, we);
            let lw = w.to_ascii_lowercase();
            if w.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
                && !is_month(&lw)
                && !cx.lex.stop.contains(lw.as_str())
                && !cx.lex.hedges_before.contains_key(lw.as_str())
                && !matches!(lw.as_str(), "all" | "only" | "just")
            {
                return true;
            }
        }
    }
    false
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
        let Some((ws, we)) = next_word(cx, k) else {
            return false;
        };
        let w = slice(cx.t, ws, we);
        let lw = w.to_ascii_lowercase();
        if n == 0 && lw == "block" {
            return true;
        }
        if !w.bytes().next().is_some_and(|c| c.is_ascii_uppercase()) {
            return false;
        }
        if matches!(
            lw.as_str(),
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
    let Some((ws, _)) = prev_word(cx, p - 1) else {
        return false;
    };
    b[ws].is_ascii_uppercase()
}

// ---- small byte helpers -------------------------------------------------------

fn slice(t: &str, a: usize, b: usize) -> &str {
    t.get(a..b).unwrap_or("")
}

fn lower_eq(t: &str, a: usize, b: usize, w: &str) -> bool {
    slice(t, a, b).eq_ignore_ascii_case(w)
}

fn prev_word_lower(cx: &Ctx, i: usize) -> Option<String> {
    prev_word(cx, i).map(|(a, b)| slice(cx.t, a, b).to_ascii_lowercase())
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
    let ws = skip_spaces(cx.b, i, cx.end);
    let we = alpha_end(cx.b, ws, cx.end);
    (we > ws).then_some((ws, we))
}

fn prev_word(cx: &Ctx, i: usize) -> Option<(usize, usize)> {
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
