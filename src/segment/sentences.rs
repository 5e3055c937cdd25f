//! Sentence splitting with exact byte spans.
//!
//! One left-to-right pass over the bytes of a body block. Only three kinds of
//! position are ever examined closely: runs of sentence-final punctuation
//! (`.` `!` `?` `…`), and line breaks. Everything a decision looks at around
//! such a position (the token before a period, the word after it) is bounded
//! in length, so the whole split is linear in the input.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::sync::OnceLock;

/// What a known abbreviation does to a following sentence boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AbbrevClass {
    /// Never ends a sentence ("Mr.", "Gen.", "Aug.").
    Inner,
    /// Does not end a sentence before a digit ("No. 5").
    Number,
    /// May end a sentence, but only before a typical sentence starter
    /// ("U.S. The ..." splits, "U.S. Secretary ..." does not).
    Final,
}

const ABBREVIATIONS_TXT: &str = include_str!("../../rules/lexicon/abbreviations.txt");

/// Longest token (in bytes) worth looking up; longer ones are never abbreviations.
const MAX_TOKEN: usize = 24;
/// How far to look at the word after a candidate boundary.
const MAX_WORD: usize = 32;
/// A line without final punctuation that is longer than this (in bytes) is
/// not taken as a headline inside hard-wrapped text.
const WRAP_MAX_LINE: usize = 100;
/// Longest quotation (in bytes) kept whole with its attribution; an
/// unmatched opening quote must not swallow a whole block.
const MAX_QUOTE: usize = 800;

fn abbreviations() -> &'static HashMap<&'static str, AbbrevClass> {
    static TABLE: OnceLock<HashMap<&'static str, AbbrevClass>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::default();
        for line in ABBREVIATIONS_TXT.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(token), Some(class)) = (parts.next(), parts.next()) else {
                continue;
            };
            let class = match class {
                "inner" => AbbrevClass::Inner,
                "number" => AbbrevClass::Number,
                "final" => AbbrevClass::Final,
                // The data file is ours and checked by a test; an unknown class
                // is skipped rather than guessed.
                _ => continue,
            };
            map.insert(token, class);
        }
        map
    })
}

/// Capitalised words that typically open a sentence; after an abbreviation
/// that may end a sentence ("U.S.", "p.m.", "etc.") they decide the split.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "After",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "Before",
    "Both",
    "But",
    "During",
    "Each",
    "Earlier",
    "For",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Most",
    "My",
    "No",
    "Now",
    "On",
    "Or",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Thus",
    "We",
    "What",
    "When",
    "Where",
    "Which",
    "While",
    "Who",
    "Why",
    "Yet",
    "You",
];

/// Verbs of saying: `“Why?” Trump asked.` is one sentence.
const SPEECH_VERBS: &[&str] = &[
    "added",
    "asked",
    "asks",
    "cried",
    "explained",
    "noted",
    "posted",
    "replied",
    "said",
    "says",
    "shouted",
    "told",
    "tweeted",
    "wrote",
];

/// Line-final words after which a line break continues the sentence.
const CONNECTORS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "than", "that", "the", "to", "with",
];

/// The longest sentence, in bytes; a longer run without a sentence end is
/// cut into pieces. Such runs are not prose (transcripts that lost their
/// spaces, tables, lists scraped onto one line) and each claim carries its
/// sentence as evidence: a 200 KB run of numbers with no full stop made
/// 13,000 claims each holding all of it (3 GB).
pub const MAX_SENTENCE_BYTES: usize = 2048;

/// Splits `text[range]` into sentences; returns byte ranges into `text`
/// (absolute offsets), in order, trimmed of surrounding whitespace, never
/// empty, never crossing `range`, always on char boundaries, never longer
/// than [`MAX_SENTENCE_BYTES`].
pub fn split_sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    split_sentences_into(text, range, &mut out);
    out
}

/// [`split_sentences`], appended to `out`: a document's blocks fill one
/// vector instead of one each.
pub fn split_sentences_into(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let (start, end) = clamp_range(text, range);
    let Some(block) = text.get(start..end) else {
        return;
    };
    // Each cut is taken as the scan finds it: no vector of cuts per block.
    let mut piece_start = 0;
    let mut take = |cut: usize| {
        if cut <= piece_start {
            return;
        }
        if let Some(r) = trimmed(block, piece_start..cut) {
            push_capped(out, block, start, r);
        }
        piece_start = cut;
    };
    Splitter::new(block).cuts(&mut take);
    take(block.len());
}

/// Pushes `block[r]` (trimmed) as one sentence, or as pieces of at most
/// [`MAX_SENTENCE_BYTES`] when it is longer: each cut falls after the last
/// clause mark (", " or "; ") in the second half of the piece, else at its
/// last space, else at its last char boundary.
fn push_capped(out: &mut Vec<Range<usize>>, block: &str, base: usize, r: Range<usize>) {
    if r.len() <= MAX_SENTENCE_BYTES {
        out.push(base + r.start..base + r.end);
        return;
    }
    let mut from = r.start;
    while r.end - from > MAX_SENTENCE_BYTES {
        let limit = crate::text::floor_char_boundary(block, from + MAX_SENTENCE_BYTES);
        let window = &block[from..limit];
        let half = window.len() / 2;
        let after_clause = window
            .rfind([',', ';'])
            .filter(|&i| i >= half && window[i + 1..].starts_with(is_space))
            .map(|i| i + 1);
        let at_space = || {
            window
                .char_indices()
                .rev()
                .find(|&(i, c)| i >= half && is_space(c))
                .map(|(i, _)| i)
        };
        let cut = from + after_clause.or_else(at_space).unwrap_or(window.len());
        if let Some(piece) = trimmed(block, from..cut) {
            out.push(base + piece.start..base + piece.end);
        }
        from = cut;
    }
    if let Some(piece) = trimmed(block, from..r.end) {
        out.push(base + piece.start..base + piece.end);
    }
}

/// Clamps `range` to `text` and shrinks it inward onto char boundaries, so a
/// bad range from a caller yields fewer sentences instead of a panic.
fn clamp_range(text: &str, range: Range<usize>) -> (usize, usize) {
    let mut end = range.end.min(text.len());
    let mut start = range.start.min(end);
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    (start, end)
}

fn is_space(c: char) -> bool {
    // U+00A0 and the other Unicode spaces are whitespace in Rust; zero-width
    // space and BOM are not, but they separate nothing a reader can see.
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

fn trimmed(block: &str, r: Range<usize>) -> Option<Range<usize>> {
    let piece = block.get(r.clone())?;
    let (lead, tail) = space_trimmed(piece);
    if lead == tail {
        return None;
    }
    Some(r.start + lead..r.start + tail)
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '«' | '‹' | '(' | '[' | '{')
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_bullet(c: char) -> bool {
    matches!(c, '-' | '*' | '•' | '–' | '—' | '#' | '·' | '▪' | '►')
}

/// Could a sentence begin with `c`?
fn is_plausible_start(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || is_opener(c)
        || matches!(c, '$' | '€' | '£' | '¥')
        // Scripts without case (CJK, Arabic, ...) give no capital to look for.
        || (c.is_alphabetic() && !c.is_lowercase())
}

/// The leading letters of `s` (at most `MAX_WORD` bytes): the word a
/// candidate sentence would start with.
fn leading_word(s: &str) -> &str {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if !c.is_alphabetic() || i + c.len_utf8() > MAX_WORD {
            break;
        }
        end = i + c.len_utf8();
    }
    s.get(..end).unwrap_or("")
}

/// The bytes `Splitter::cuts` stops at: final punctuation, the first byte
/// of an ellipsis (and of other three-byte characters), line feeds. The
/// scan finds them with memchr (`Splitter::next_cut_byte`); a test holds it
/// to this table.
#[cfg(test)]
static CUT_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    table[b'.' as usize] = true;
    table[b'!' as usize] = true;
    table[b'?' as usize] = true;
    table[b'\n' as usize] = true;
    table[0xE2] = true;
    table
};

struct Splitter<'a> {
    s: &'a str,
    bytes: &'a [u8],
    /// The block looks like hard-wrapped prose: short lines, at least one of
    /// which visibly continues on the next. Headline detection is then strict.
    wrapped: bool,
    max_line: usize,
}

impl<'a> Splitter<'a> {
    fn new(s: &'a str) -> Self {
        let (wrapped, max_line) = detect_wrapping(s);
        Splitter {
            s,
            bytes: s.as_bytes(),
            wrapped,
            max_line,
        }
    }

    /// Positions (relative to the block) where one sentence ends and the next
    /// may begin; pieces between cuts are trimmed later, so a cut may sit
    /// anywhere inside the separating whitespace.
    fn cuts(&self, cut: &mut impl FnMut(usize)) {
        let quotes = self.attributed_quotes();
        let mut q = 0;
        let mut inside_quote = |i: usize| {
            while q < quotes.len() && quotes[q].end <= i {
                q += 1;
            }
            quotes.get(q).is_some_and(|r| r.start < i)
        };
        let mut line_start = 0;
        let mut i = 0;
        // Where the last searches for the cut bytes ended, searched again
        // only once the scan passes them.
        let mut found = CutBytesFound::default();
        while i < self.bytes.len() {
            match self.bytes[i] {
                b'.' | b'!' | b'?' => {
                    let (after, boundary) = self.punctuation(i);
                    if boundary && !inside_quote(i) {
                        cut(after);
                    }
                    i = after.max(i + 1);
                }
                // First byte of U+2026 HORIZONTAL ELLIPSIS (E2 80 A6).
                0xE2 if self.bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA6][..]) => {
                    let (after, boundary) = self.punctuation(i);
                    if boundary && !inside_quote(i) {
                        cut(after);
                    }
                    i = after.max(i + 3);
                }
                b'\n' => {
                    if self.line_break(line_start, i) {
                        cut(i);
                    }
                    i += 1;
                    line_start = i;
                }
                // Most bytes can end nothing: skip to the next that can.
                _ => {
                    i += 1;
                    i = self.next_cut_byte(i, &mut found);
                }
            }
        }
    }

    /// The first byte at or after `from` that [`CUT_BYTES`] holds (the
    /// length of the block if none): `.`, newlines and the E2 lead byte by
    /// memchr3, `!` and `?` by memchr2 (they are rare: one search of three
    /// bytes and a second of two beat one of five). Each search's answer is
    /// kept in `found` and reused while it lies ahead of `from`, so a block
    /// without one kind of cut byte is not searched to its end at every
    /// cut. A byte loop over the table cost about five instructions a byte.
    fn next_cut_byte(&self, from: usize, found: &mut CutBytesFound) -> usize {
        let n = self.bytes.len();
        let Some(rest) = self.bytes.get(from..) else {
            return n;
        };
        let bang = match found.bang {
            Some(r) if r >= from => r,
            _ => {
                let r = memchr::memchr2(b'!', b'?', rest).map_or(n, |k| from + k);
                found.bang = Some(r);
                r
            }
        };
        let common = match found.common {
            Some(r) if r >= from => r,
            _ => {
                let r = memchr::memchr3(b'.', b'\n', 0xE2, rest).map_or(n, |k| from + k);
                found.common = Some(r);
                r
            }
        };
        common.min(bang)
    }

    /// Quotations that end in a comma and are followed by their attribution
    /// (`“A. B,” said X`, `"A. B," he said`): the quote and its speaker
    /// stay one sentence, so no boundary is taken inside them.
    fn attributed_quotes(&self) -> Vec<Range<usize>> {
        let s = self.s;
        let mut spans = Vec::new();
        let mut open: Option<usize> = None;
        // Only `"` and the curly double quotes (E2 80 9C/9D) matter; the
        // scan jumps between their first bytes.
        for i in memchr::memchr2_iter(b'"', 0xE2, self.bytes) {
            // `i` is at a '"' or at an E2 lead byte.
            let c = if self.bytes[i] == b'"' {
                '"'
            } else {
                match self.bytes.get(i + 1..i + 3) {
                    Some([0x80, 0x9C]) => '“',
                    Some([0x80, 0x9D]) => '”',
                    _ => continue,
                }
            };
            let prev = s[..i].chars().next_back().unwrap_or(' ');
            // A straight quote opens after space or an opening mark and
            // closes otherwise (`,'"` closes: the `'` there is a closer).
            let opening = c == '“'
                || (c == '"'
                    && (is_space(prev) || matches!(prev, '(' | '[' | '{' | '“' | '‘' | '—')));
            let closing = c == '”' || (c == '"' && !opening);
            if opening {
                open = Some(i);
            } else if closing {
                if let Some(o) = open.take() {
                    if i - o <= MAX_QUOTE && self.quote_is_attributed(o, i, c) {
                        spans.push(o..i);
                    }
                }
            }
        }
        spans
    }

    fn quote_is_attributed(&self, open: usize, close: usize, quote: char) -> bool {
        let s = self.s;
        let inner = s.get(open..close).unwrap_or("");
        if !inner.trim_end_matches(['\'', '’']).ends_with(',') {
            return false;
        }
        let after = s.get(close + quote.len_utf8()..).unwrap_or("");
        // A long whitespace run means layout, not an attribution; the bound
        // also keeps the scan constant per quote.
        let Some((gap, _)) = after.char_indices().take(64).find(|(_, c)| !is_space(*c)) else {
            return false;
        };
        let following = after.get(gap..).unwrap_or("");
        starts_lowercase_word(following) || self.attribution_follows(following)
    }

    /// Examines the run of final punctuation starting at `i`. Returns the end
    /// of the run including closing quotes/brackets, and whether a sentence
    /// ends there.
    fn punctuation(&self, i: usize) -> (usize, bool) {
        let s = self.s;
        let rest = s.get(i..).unwrap_or("");
        let mut after = i;
        let mut dots = 0usize;
        let mut other_terminal = false;
        let mut closers = false;
        let mut in_closers = false;
        for c in rest.chars() {
            if !in_closers && is_terminal(c) {
                if c == '.' {
                    dots += 1;
                } else {
                    other_terminal = true;
                }
            } else if is_closer(c) {
                in_closers = true;
                closers = true;
            } else {
                break;
            }
            after += c.len_utf8();
        }

        // What follows must be whitespace: "3.5", "U.S.", "a.m." and
        // "guarantees19.08.25" never split inside.
        let tail = s.get(after..).unwrap_or("");
        let mut next = None;
        let mut newlines = 0usize;
        let mut gap_end = after;
        for (k, c) in tail.char_indices() {
            if is_space(c) {
                if c == '\n' {
                    newlines += 1;
                }
                continue;
            }
            next = Some(c);
            gap_end = after + k;
            break;
        }
        let Some(next) = next else {
            // Only whitespace left: the block ends here anyway.
            return (after, true);
        };
        if gap_end == after {
            return (after, false);
        }
        if newlines >= 2 {
            return (after, true);
        }
        let following = s.get(gap_end..).unwrap_or("");

        // A lowercase continuation is not a new sentence: `“Why?” he
        // asked`, `p.m. yesterday`, `so... then`, the hard-wrapped line. But in
        // one-line-per-paragraph text a punctuated line end closes the
        // sentence even before a lowercase line ("Enthusiasts.\nback").
        if next.is_lowercase() {
            let line_end = newlines == 1 && !self.wrapped && !closers && dots <= 1;
            if !line_end {
                return (after, false);
            }
            let abbreviated =
                dots == 1 && !other_terminal && abbreviation_class(self.token_before(i)).is_some();
            return (after, !abbreviated);
        }
        // "- item" on the next line, or an inline " - Example:" run-on list.
        let list_item = (newlines == 1 && starts_list_item(following))
            || (is_bullet(next) && next != '#' && starts_list_item(following));
        if !is_plausible_start(next) && !list_item {
            return (after, false);
        }

        if (other_terminal || dots == 0) && closers && self.attribution_follows(following) {
            return (after, false);
        }

        // Only a lone period can belong to an abbreviation or an initial.
        if dots == 1 && !other_terminal && !closers && !list_item {
            let token = self.token_before(i);
            if self.is_list_number(i, token) {
                return (after, false);
            }
            return (after, self.period_ends_sentence(token, next, following));
        }
        (after, true)
    }

    /// `Trump asked.` / `Mr. Trump said.` after a closing quote.
    fn attribution_follows(&self, following: &str) -> bool {
        let mut rest = following;
        for _ in 0..3 {
            let word = leading_word(rest);
            if word.is_empty() {
                return false;
            }
            if SPEECH_VERBS.contains(&word) {
                return true;
            }
            if !word.chars().next().is_some_and(char::is_uppercase) {
                return false;
            }
            rest = rest.get(word.len()..).unwrap_or("");
            // Allow "Mr. Trump", "Gen. X" between the quote and the verb.
            rest = rest.strip_prefix('.').unwrap_or(rest);
            let trimmed = rest.trim_start_matches(is_space);
            if trimmed.len() == rest.len() {
                return false;
            }
            rest = trimmed;
        }
        false
    }

    /// The non-space token that ends just before the period at `dot`,
    /// without leading quotes or brackets; empty when too long to matter.
    fn token_before(&self, dot: usize) -> &'a str {
        let s = self.s;
        let lo = crate::text::floor_char_boundary(s, dot.saturating_sub(MAX_TOKEN + 8));
        let Some(window) = s.get(lo..dot) else {
            return "";
        };
        // Read back a byte at a time while ASCII (an ASCII character is a
        // space, or alphanumeric, exactly when its byte is); from the first
        // other byte on, a character at a time as before.
        let wb = window.as_bytes();
        let mut k = wb.len();
        while let Some(&c) = k.checked_sub(1).and_then(|j| wb.get(j)) {
            if c >= 0x80 || matches!(c, b' ' | b'\t'..=b'\r') {
                break;
            }
            k -= 1;
        }
        let ascii = k == 0 || wb.get(k - 1).is_some_and(|&c| c < 0x80);
        let token = if ascii {
            // Stopped at a space, or at the window's start.
            if k == 0 && lo != 0 {
                return "";
            }
            let token = s.get(lo + k..dot).unwrap_or("");
            let skip = token.bytes().position(|c| c.is_ascii_alphanumeric());
            token.get(skip.unwrap_or(token.len())..).unwrap_or("")
        } else {
            token_by_chars(s, lo, dot)
        };
        if token.len() > MAX_TOKEN {
            ""
        } else {
            token
        }
    }

    /// "1. Sign petitions" at the start of a line: the period numbers an item.
    fn is_list_number(&self, dot: usize, token: &str) -> bool {
        if token.is_empty() || token.len() > 3 || !token.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let start = dot.saturating_sub(token.len());
        let before = self.bytes.get(..start).unwrap_or(&[]);
        // Only the whitespace run before the number is walked, once.
        for &b in before.iter().rev() {
            match b {
                b'\n' => return true,
                b' ' | b'\t' | b'\r' => continue,
                _ => return false,
            }
        }
        true
    }

    fn period_ends_sentence(&self, token: &str, next: char, following: &str) -> bool {
        if token.is_empty() {
            return true;
        }
        match abbreviation_class(token) {
            None => true,
            Some(AbbrevClass::Inner) => false,
            Some(AbbrevClass::Number) => !next.is_ascii_digit(),
            Some(AbbrevClass::Final) => {
                if is_opener(next) {
                    return true;
                }
                if !next.is_uppercase() {
                    return false;
                }
                let word = leading_word(following);
                // "U.S. A.I.D.": a capital followed by a period is another
                // abbreviation or initial, not a sentence opener.
                let dotted = following
                    .get(word.len()..)
                    .is_some_and(|r| r.starts_with('.'));
                !dotted && SENTENCE_STARTERS.contains(&word)
            }
        }
    }

    /// Whether the single or double line break at `nl` ends a sentence.
    fn line_break(&self, line_start: usize, nl: usize) -> bool {
        let s = self.s;
        let prev = s.get(line_start..nl).unwrap_or("");
        let prev_trim = trim_space(prev);
        if prev_trim.is_empty() {
            return true;
        }
        // Look at what follows: a blank line is a paragraph break.
        let tail = s.get(nl + 1..).unwrap_or("");
        let mut next_off = None;
        for (k, c) in tail.char_indices() {
            if c == '\n' {
                return true;
            }
            if !is_space(c) {
                next_off = Some(k);
                break;
            }
        }
        let Some(next_off) = next_off else {
            return true;
        };
        let following = tail.get(next_off..).unwrap_or("");
        let Some(next) = following.chars().next() else {
            return true;
        };

        // Punctuated line ends were decided where the punctuation is.
        let core = prev_trim.trim_end_matches(is_closer);
        if core.chars().next_back().is_some_and(is_terminal) {
            return false;
        }
        if starts_lowercase_word(following) {
            return false;
        }
        if starts_list_item(following) || starts_list_item(prev_trim) {
            return true;
        }
        let last = prev_trim.chars().next_back().unwrap_or(' ');
        if matches!(
            last,
            ',' | ';' | ':' | '(' | '[' | '-' | '–' | '—' | '/' | '&' | '“' | '‘'
        ) {
            return false;
        }
        let tail_start =
            crate::text::floor_char_boundary(prev_trim, prev_trim.len().saturating_sub(MAX_WORD));
        let last_word = prev_trim
            .get(tail_start..)
            .unwrap_or("")
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if CONNECTORS.contains(&last_word) {
            return false;
        }
        if self.wrapped {
            // Inside hard-wrapped prose only a markedly short line is a
            // headline; a full-width line without punctuation is a wrap.
            return is_plausible_start(next) && prev_trim.len() * 2 <= self.max_line;
        }
        // One line per paragraph: a line that ends unpunctuated and is
        // followed by anything but a continuation is a headline, a byline,
        // a widget or a link; each stands alone.
        true
    }
}

/// How the word before a period behaves: a known abbreviation, an initial
/// ("Vladimir V. Putin", "John F. Kennedy") or a dotted acronym; `None` for
/// an ordinary word. An initial ends a sentence only before a typical
/// sentence starter ("Plan B. The ..."), as a name never continues that way.
fn abbreviation_class(token: &str) -> Option<AbbrevClass> {
    let mut chars = token.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return Some(AbbrevClass::Final);
        }
    }
    lookup(token)
        // Without a hyphen the last piece is the token, already looked up.
        // '-' is ASCII: found by a byte search, not the character searcher.
        .or_else(|| {
            let dash = token.bytes().rposition(|b| b == b'-')?;
            lookup(token.get(dash + 1..)?)
        })
        .or_else(|| is_dotted_acronym(token).then_some(AbbrevClass::Final))
}

fn lookup(token: &str) -> Option<AbbrevClass> {
    let table = abbreviations();
    if let Some(c) = table.get(token) {
        return Some(*c);
    }
    if token.bytes().any(|b| b.is_ascii_uppercase()) {
        // Tokens are short: lower-cased on the stack, not into a new String.
        let mut buf = [0u8; 32];
        return match crate::text::lower_ascii_into(token, &mut buf) {
            Some(lower) => table.get(lower).copied(),
            None => table.get(token.to_ascii_lowercase().as_str()).copied(),
        };
    }
    None
}

/// "F.B.I", "N.Y", "Ph.D": short letter groups joined by periods.
fn is_dotted_acronym(token: &str) -> bool {
    token.contains('.')
        && token
            .split('.')
            .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_alphabetic()))
}

/// "- item", "* item", "• item", "1. item", "2) item", "### Heading".
fn starts_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if first == '#' {
        return true;
    }
    if is_bullet(first) {
        return chars.next().is_some_and(is_space);
    }
    if first.is_ascii_digit() {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 3 {
            return false;
        }
        let rest = line.get(digits..).unwrap_or("");
        let mut r = rest.chars();
        return matches!(r.next(), Some('.' | ')')) && r.next().is_some_and(is_space);
    }
    false
}

/// "dtnext.in", "www.example.com": a lowercase word that is a domain name
/// starts a new unit (a byline or link), unlike an ordinary lowercase word.
fn starts_lowercase_word(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    if !first.is_lowercase() {
        return false;
    }
    let word_end = line
        .char_indices()
        .take_while(|(i, c)| *i < MAX_WORD && !is_space(*c))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = line.get(..word_end).unwrap_or("");
    let domain = word
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .split_once('.')
        .is_some_and(|(a, b)| !a.is_empty() && b.chars().next().is_some_and(char::is_alphanumeric));
    !domain
}

/// Decides whether a block is hard-wrapped prose, and its longest line (in
/// bytes). Wrapped: lines of prose width (40 to `WRAP_MAX_LINE` bytes) and
/// at least one near-full-width line visibly continuing on the next (the
/// next starts lowercase, or the line ends with a comma or hyphen).
fn detect_wrapping(s: &str) -> (bool, usize) {
    let max_line = lines(s).map(|l| trim_space(l).len()).max().unwrap_or(0);
    if !(40..=WRAP_MAX_LINE).contains(&max_line) {
        return (false, max_line);
    }
    let mut prev: Option<&str> = None;
    for line in lines(s) {
        let t = trim_space(line);
        if let Some(p) = prev {
            let last = p.chars().next_back().unwrap_or(' ');
            let continues =
                (starts_lowercase_word(t) && !is_terminal(last)) || matches!(last, ',' | '-');
            if continues && p.len() * 10 >= max_line * 6 {
                return (true, max_line);
            }
        }
        prev = Some(t);
    }
    (false, max_line)
}

/// `s.split('\n')`, the line feeds found by memchr: the standard split's
/// character searcher cost some 270 instructions a line here.
fn lines(s: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    memchr::memchr_iter(b'\n', s.as_bytes())
        .map(Some)
        .chain(std::iter::once(None))
        .map(move |nl| {
            let to = nl.unwrap_or(s.len());
            let line = s.get(from..to).unwrap_or("");
            from = to + 1;
            line
        })
}

/// `line.trim_matches(is_space)`, without decoding characters where both
/// ends are ASCII: an ASCII character is a space exactly when it is a space,
/// tab, line feed, vertical tab, form feed or carriage return.
fn trim_space(line: &str) -> &str {
    let (from, to) = space_trimmed(line);
    line.get(from..to).unwrap_or("")
}

/// Where `line.trim_matches(is_space)` starts and ends in `line`.
fn space_trimmed(line: &str) -> (usize, usize) {
    let ascii_space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
    let b = line.as_bytes();
    let mut from = 0;
    while from < b.len() && ascii_space(b[from]) {
        from += 1;
    }
    let mut to = b.len();
    while to > from && ascii_space(b[to - 1]) {
        to -= 1;
    }
    if b.get(from).is_some_and(|&c| c >= 0x80) || to > from && b[to - 1] >= 0x80 {
        let left = line.trim_start_matches(is_space);
        let lead = line.len() - left.len();
        return (lead, lead + left.trim_end_matches(is_space).len());
    }
    (from, to)
}

/// The next `!`/`?` and the next other cut byte as last found by
/// `Splitter::next_cut_byte` (the block length where there is none).
#[derive(Default)]
struct CutBytesFound {
    bang: Option<usize>,
    common: Option<usize>,
}

/// The token of `s` that ends at `dot`, read back a character at a time
/// from `dot` to `lo`: empty when no space stands before it there (unless
/// `lo` is the text's start), leading marks trimmed. The general reading
/// of [`Splitter::token_before`], which reads ASCII bytes first.
fn token_by_chars(s: &str, lo: usize, dot: usize) -> &str {
    let Some(window) = s.get(lo..dot) else {
        return "";
    };
    let mut start = dot;
    let mut hit_space = lo == 0;
    for (k, c) in window.char_indices().rev() {
        if is_space(c) {
            hit_space = true;
            break;
        }
        start = lo + k;
    }
    if !hit_space {
        return "";
    }
    let token = s.get(start..dot).unwrap_or("");
    // "(R-Neb", "**U.S": markup and brackets are not part of the word.
    token.trim_start_matches(|c: char| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Splitter::token_before` as it was, a character at a time.
    fn token_before_by_chars(s: &str, dot: usize) -> &str {
        let lo = crate::text::floor_char_boundary(s, dot.saturating_sub(MAX_TOKEN + 8));
        let token = token_by_chars(s, lo, dot);
        if token.len() > MAX_TOKEN {
            ""
        } else {
            token
        }
    }

    #[test]
    fn token_before_reads_bytes_as_it_read_characters() {
        let pieces = [
            " ", "\n", "\u{b}", "\u{a0}", "\u{200B}", "(", "**", "U", "S", ".", "Mr", "é", "Jr",
            "-", "abcdefgh", "“", "1",
        ];
        let mut next = crate::text::testing::xorshift(43);
        for _ in 0..5_000 {
            let text = crate::text::testing::soup(&mut next, &pieces, 16);
            let splitter = Splitter::new(&text);
            for dot in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(
                    splitter.token_before(dot),
                    token_before_by_chars(&text, dot),
                    "{text:?} at {dot}"
                );
            }
        }
    }

    #[test]
    fn fast_lines_and_trims_agree_with_the_standard_ones() {
        let pieces = [
            " ", "\n", "\t", "\r", "\u{b}", "\u{a0}", "\u{200B}", "\u{FEFF}", "\u{3000}", "a",
            "Bc.", "é", "“", "\n\n",
        ];
        let mut next = crate::text::testing::xorshift(41);
        for _ in 0..20_000 {
            let text = crate::text::testing::soup(&mut next, &pieces, 12);
            let want: Vec<&str> = text.split('\n').collect();
            assert_eq!(lines(&text).collect::<Vec<_>>(), want, "{text:?}");
            for line in &want {
                assert_eq!(trim_space(line), line.trim_matches(is_space), "{line:?}");
                // `trimmed` as it was: both ends trimmed in turn.
                let left = line.trim_start_matches(is_space);
                let lead = line.len() - left.len();
                let both = left.trim_end_matches(is_space);
                let want = (!both.is_empty()).then(|| 3 + lead..3 + lead + both.len());
                let block = format!("abc{line}");
                assert_eq!(trimmed(&block, 3..block.len()), want, "{line:?}");
            }
            assert_eq!(trim_space(&text), text.trim_matches(is_space), "{text:?}");
        }
    }

    #[test]
    fn runs_without_a_sentence_end_are_cut_into_bounded_pieces() {
        let texts = [
            // Clause marks: cuts fall after a comma.
            "30 countries and 33 nations, ".repeat(500),
            // Spaces only, with two-byte characters.
            "Olé señor ".repeat(1000),
            // No space at all: cuts fall on char boundaries.
            "é".repeat(5000),
        ];
        for text in &texts {
            let out = split_sentences(text, 0..text.len());
            assert!(out.len() > 1);
            let mut rebuilt = String::new();
            for r in &out {
                assert!(r.len() <= MAX_SENTENCE_BYTES, "{r:?}");
                assert!(r.len() > MAX_SENTENCE_BYTES / 2 || r == out.last().unwrap());
                let piece = &text[r.clone()];
                assert_eq!(piece, piece.trim());
                rebuilt.push_str(piece);
            }
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squeeze(&rebuilt), squeeze(text));
        }
        let commas = &texts[0];
        let first = &split_sentences(commas, 0..commas.len())[0];
        assert!(commas[first.clone()].ends_with(','));
    }

    #[test]
    fn a_sentence_at_the_cap_stays_whole() {
        let text = format!("{}.", "a ".repeat(MAX_SENTENCE_BYTES / 2 - 1) + "b");
        assert_eq!(text.len(), MAX_SENTENCE_BYTES);
        assert_eq!(split_sentences(&text, 0..text.len()), vec![0..text.len()]);
    }

    #[test]
    fn next_cut_byte_is_the_first_byte_of_the_table() {
        let texts = [
            "",
            "no cut here",
            "One. Two! Three? Four\u{2026} five\nsix",
            "!!??..\n\n",
            "a?b.c!d\u{201c}e\u{201d}f",
            "ends with a bang!",
        ];
        for text in texts {
            let sp = Splitter::new(text);
            let mut found = CutBytesFound::default();
            let mut from = 1;
            while from <= text.len() {
                let want = text.as_bytes()[from..]
                    .iter()
                    .position(|&b| CUT_BYTES[usize::from(b)])
                    .map_or(text.len(), |k| from + k);
                assert_eq!(
                    sp.next_cut_byte(from, &mut found),
                    want,
                    "{text:?} from {from}"
                );
                from += 1;
            }
        }
    }

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn split_sentences_splits_simple_sentences() {
        assert_eq!(
            split("The talks ended. Both sides left! Was it worth it? Nobody knows."),
            vec![
                "The talks ended.",
                "Both sides left!",
                "Was it worth it?",
                "Nobody knows."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_titles() {
        assert_eq!(
            split("Mr. Rubio met Ms. Fix and Dr. Lee. Gen. Dan Kane and Adm. Giuseppe Cavo Dragone spoke. Rep. Don Bacon, Sen. Smith, Gov. Jones and Lt. Col. Brown agreed. They met in St. Louis."),
            vec![
                "Mr. Rubio met Ms. Fix and Dr. Lee.",
                "Gen. Dan Kane and Adm. Giuseppe Cavo Dragone spoke.",
                "Rep. Don Bacon, Sen. Smith, Gov. Jones and Lt. Col. Brown agreed.",
                "They met in St. Louis."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_titles_across_line_breaks() {
        assert_eq!(
            split("It was led by Gen.\nDan Kane and Mr.\nRubio.\nThe talks ended."),
            vec![
                "It was led by Gen.\nDan Kane and Mr.\nRubio.",
                "The talks ended."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_initials() {
        assert_eq!(
            split("There was a time when Marco Rubio regarded President Vladimir V. Putin of Russia as a thug. John F. Kennedy disagreed. They chose Plan B. The rest followed."),
            vec![
                "There was a time when Marco Rubio regarded President Vladimir V. Putin of Russia as a thug.",
                "John F. Kennedy disagreed.",
                "They chose Plan B.",
                "The rest followed."
            ]
        );
    }

    #[test]
    fn split_sentences_handles_country_acronyms() {
        assert_eq!(
            split("He heads U.S. A.I.D. and the archive. The U.S. Secretary of State spoke. Troops came from the U.K. The U.N. Security Council met. Aid went to the U.S. But nobody asked."),
            vec![
                "He heads U.S. A.I.D. and the archive.",
                "The U.S. Secretary of State spoke.",
                "Troops came from the U.K.",
                "The U.N. Security Council met.",
                "Aid went to the U.S.",
                "But nobody asked."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_party_state_abbreviations() {
        assert_eq!(
            split("“It has to come with guarantees,” said Rep. Don Bacon (R-Neb.), referring to a plan. Sen. Alex Padilla (D-Calif.) agreed."),
            vec![
                "“It has to come with guarantees,” said Rep. Don Bacon (R-Neb.), referring to a plan.",
                "Sen. Alex Padilla (D-Calif.) agreed."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_months() {
        assert_eq!(
            split("It began on Jan. 5 and ended Aug. 22. Talks resume Sept. 1, Oct. 3, Nov. 4 or Dec. 9. Feb. 2 was quiet."),
            vec![
                "It began on Jan. 5 and ended Aug. 22.",
                "Talks resume Sept. 1, Oct. 3, Nov. 4 or Dec. 9.",
                "Feb. 2 was quiet."
            ]
        );
    }

    #[test]
    fn split_sentences_handles_other_abbreviations() {
        assert_eq!(
            split(
                "Tanks, jets, etc. The list is long. He wore No. 5 vs. Smith. It was No. He left."
            ),
            vec![
                "Tanks, jets, etc.",
                "The list is long.",
                "He wore No. 5 vs. Smith.",
                "It was No.",
                "He left."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_decimals_and_times() {
        assert_eq!(
            split("The war has lasted 3.5 years. The call began at 9:22 AM. It cost $67.5 billion. Temperature was 11.3°C today."),
            vec![
                "The war has lasted 3.5 years.",
                "The call began at 9:22 AM.",
                "It cost $67.5 billion.",
                "Temperature was 11.3°C today."
            ]
        );
    }

    #[test]
    fn split_sentences_handles_am_pm() {
        assert_eq!(
            split("They met at 9 a.m. yesterday and left at 5 p.m. The talks failed. At 6 P.M. Eastern they resumed."),
            vec![
                "They met at 9 a.m. yesterday and left at 5 p.m.",
                "The talks failed.",
                "At 6 P.M. Eastern they resumed."
            ]
        );
    }

    #[test]
    fn split_sentences_ends_after_closing_quote() {
        assert_eq!(
            split("Rubio called Putin a “thug.” He later changed course. She said \"no.\" Then she left."),
            vec![
                "Rubio called Putin a “thug.”",
                "He later changed course.",
                "She said \"no.\"",
                "Then she left."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_quote_with_attribution() {
        assert_eq!(
            split("“We can’t end the war without talking to Mr. Putin,” he said in May. “There will be no troops,” said Liana Fix. “Why?” he asked. “Stop!” Trump said. “Go!” Mr. Trump shouted."),
            vec![
                "“We can’t end the war without talking to Mr. Putin,” he said in May.",
                "“There will be no troops,” said Liana Fix.",
                "“Why?” he asked.",
                "“Stop!” Trump said.",
                "“Go!” Mr. Trump shouted."
            ]
        );
    }

    #[test]
    fn split_sentences_splits_inside_quotes() {
        assert_eq!(
            split("“And who is responsible for that? There will be a time. But right now, the job is to end the war.” He left."),
            vec![
                "“And who is responsible for that?",
                "There will be a time.",
                "But right now, the job is to end the war.”",
                "He left."
            ]
        );
    }

    #[test]
    fn split_sentences_handles_ellipsis() {
        assert_eq!(
            split(
                "We waited... and waited. Then… nothing. It ended... Nobody came. “So…” he said."
            ),
            vec![
                "We waited... and waited.",
                "Then… nothing.",
                "It ended...",
                "Nobody came.",
                "“So…” he said."
            ]
        );
    }

    #[test]
    fn split_sentences_splits_on_paragraph_breaks() {
        assert_eq!(
            split(
                "First paragraph without end\n\nSecond paragraph.\n \n\nthird one starts lowercase"
            ),
            vec![
                "First paragraph without end",
                "Second paragraph.",
                "third one starts lowercase"
            ]
        );
    }

    #[test]
    fn split_sentences_splits_headlines_and_list_items() {
        assert_eq!(
            split("Rubio to head commission on Ukraine's security guarantees19.08.25, 21:21 • 3410 views\nHowever, this conversation was confirmed.\nDetails\nAccording to the diplomat, he spoke."),
            vec![
                "Rubio to head commission on Ukraine's security guarantees19.08.25, 21:21 • 3410 views",
                "However, this conversation was confirmed.",
                "Details",
                "According to the diplomat, he spoke."
            ]
        );
        assert_eq!(
            split("### What to Say\nConsider the following points:\n- Emphasize peace\n- Call for action\n1. Sign petitions\n2. Write letters"),
            vec![
                "### What to Say",
                "Consider the following points:",
                "- Emphasize peace",
                "- Call for action",
                "1. Sign petitions",
                "2. Write letters"
            ]
        );
    }

    #[test]
    fn split_sentences_joins_quote_then_attribution_across_line_break() {
        assert_eq!(
            split("Officials participated in the call.\n“We’re going to help them out also. We’ll be involved,”\nsaid Trump during a meeting. While Trump wavered, he ruled it out."),
            vec![
                "Officials participated in the call.",
                "“We’re going to help them out also. We’ll be involved,”\nsaid Trump during a meeting.",
                "While Trump wavered, he ruled it out."
            ]
        );
    }

    #[test]
    fn split_sentences_keeps_multi_sentence_quote_with_attribution() {
        assert_eq!(
            split("\"There is a discussion to be had. And it will be detailed on Monday,\" he said. \"It is done.\" Then he left."),
            vec![
                "\"There is a discussion to be had. And it will be detailed on Monday,\" he said.",
                "\"It is done.\"",
                "Then he left."
            ]
        );
    }

    #[test]
    fn split_sentences_handles_nested_single_quotes() {
        assert_eq!(
            split("\"We don't know who is ready for 'boots on the ground,'\" Zelenskyy told reporters. \"Some may. Some are ready.\""),
            vec![
                "\"We don't know who is ready for 'boots on the ground,'\" Zelenskyy told reporters.",
                "\"Some may.",
                "Some are ready.\""
            ]
        );
    }

    #[test]
    fn split_sentences_splits_header_lines() {
        assert_eq!(
            split("Putin agrees to guarantees, Trump envoy says\ndtnext.in -- Sunday, August 17, 2025, 11:24:28 PM\nCategories: U.S.–NATO Relations\nThursday, 27 November, 2025\nLondon, UK\n0\n | Remer,MN"),
            vec![
                "Putin agrees to guarantees, Trump envoy says",
                "dtnext.in -- Sunday, August 17, 2025, 11:24:28 PM",
                "Categories: U.S.–NATO Relations",
                "Thursday, 27 November, 2025",
                "London, UK",
                "0",
                "| Remer,MN"
            ]
        );
    }

    #[test]
    fn split_sentences_looks_through_markup_before_abbreviations() {
        assert_eq!(
            split("- **U.S. Senators**: Contact your senators. - **U.S. House**: Write."),
            vec![
                "- **U.S. Senators**: Contact your senators.",
                "- **U.S. House**: Write."
            ]
        );
    }

    #[test]
    fn split_sentences_ends_punctuated_lines_before_lowercase_lines() {
        assert_eq!(
            split("Support for Fantasy Sports and Betting Enthusiasts.\nback\nThe talks with U.S.\nofficials ended.\r\nNext line\r\n\r\nNew paragraph"),
            vec![
                "Support for Fantasy Sports and Betting Enthusiasts.",
                "back",
                "The talks with U.S.\nofficials ended.",
                "Next line",
                "New paragraph"
            ]
        );
    }

    #[test]
    fn split_sentences_survives_random_input() {
        const ALPHABET: &[&str] = &[
            "a", "B", " ", "\n", "\n\n", ".", "!", "?", "…", "...", "“", "”", "\"", "'", "’", ",",
            "Mr", "U.S", "\u{a0}", "—", "-", "1", "é", "\r", "(", ")", "*", "#", "said", "He",
        ];
        let mut next = crate::text::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..2000 {
            let text = crate::text::testing::soup(&mut next, ALPHABET, 40);
            let a = (next() % (text.len() as u64 + 2)) as usize;
            let b = (next() % (text.len() as u64 + 2)) as usize;
            for range in [0..text.len(), a..b, a.min(b)..a.max(b)] {
                let spans = split_sentences(&text, range.clone());
                check_invariants(&text, range, &spans);
            }
        }
    }

    #[test]
    fn split_sentences_joins_wrapped_lines() {
        let text = "The secretary said the talks would determine what the\nguarantees could look like, before a meeting between\nMr. Zelensky and Mr. Putin in the coming weeks and that\nEurope would lead. Officials agreed with Secretary of\nState Marco Rubio on the plan.\nShort headline\nThe next paragraph starts here and runs for a while.";
        assert_eq!(
            split(text),
            vec![
                "The secretary said the talks would determine what the\nguarantees could look like, before a meeting between\nMr. Zelensky and Mr. Putin in the coming weeks and that\nEurope would lead.",
                "Officials agreed with Secretary of\nState Marco Rubio on the plan.",
                "Short headline",
                "The next paragraph starts here and runs for a while."
            ]
        );
    }

    #[test]
    fn split_sentences_handles_unicode_spaces_and_dashes() {
        let text = "Sponsor:\u{a0} QWIKET:\u{a0}Elevate your game!\u{a0}Interactive Sports.\u{a0}\u{a0}Done — really.";
        assert_eq!(
            split(text),
            vec![
                "Sponsor:\u{a0} QWIKET:\u{a0}Elevate your game!",
                "Interactive Sports.",
                "Done — really."
            ]
        );
    }

    #[test]
    fn split_sentences_respects_range() {
        let reversed = (40, 10);
        let text = "Ignore this. Take this one. And this one. Not this.";
        let start = text.find("Take").unwrap_or(0);
        let end = text.find(" Not").unwrap_or(text.len());
        let got: Vec<_> = split_sentences(text, start..end)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, vec!["Take this one.", "And this one."]);
        assert_eq!(
            split_sentences(text, start..start),
            Vec::<Range<usize>>::new()
        );
        assert_eq!(
            split_sentences(text, text.len()..text.len() + 5),
            Vec::<Range<usize>>::new()
        );
        assert_eq!(
            split_sentences(text, reversed.0..reversed.1),
            Vec::<Range<usize>>::new()
        );
    }

    #[test]
    fn split_sentences_never_panics_on_odd_input() {
        let inputs = [
            "",
            " ",
            ".",
            "...",
            "“",
            "”.",
            "a.",
            ". A",
            "\n\n\n",
            "é. É",
            "Mr.",
            "U.S.",
            "?!\u{a0}\u{2026}",
            "x\u{2026}",
            "\u{2026}\u{2026} “",
            "1. ",
            "- ",
            "#",
        ];
        for text in inputs {
            for a in 0..=text.len() + 1 {
                for b in 0..=text.len() + 1 {
                    let spans = split_sentences(text, a..b);
                    check_invariants(text, a..b, &spans);
                }
            }
        }
    }

    #[test]
    fn split_sentences_is_linear_on_a_long_line() {
        // A quadratic pass would take minutes here (no timing asserted:
        // the suite's run time is the guard).
        let text = "word ".repeat(2_000_000);
        let spans = split_sentences(&text, 0..text.len());
        check_invariants(&text, 0..text.len(), &spans);
        assert!(spans.len() >= text.len().div_ceil(MAX_SENTENCE_BYTES));
        assert!(spans.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES));
        let many = "Mr. A. B. x.y. “Q?” 3.5 ".repeat(200_000);
        let spans = split_sentences(&many, 0..many.len());
        check_invariants(&many, 0..many.len(), &spans);
    }

    #[test]
    fn abbreviation_file_is_well_formed_and_sorted() {
        let mut lines = ABBREVIATIONS_TXT.lines();
        assert!(lines.next().is_some_and(|l| l.starts_with("# FORMAT:")));
        let entries: Vec<&str> = ABBREVIATIONS_TXT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        let mut sorted = entries.clone();
        sorted.sort_unstable();
        assert_eq!(entries, sorted);
        for e in &entries {
            let parts: Vec<&str> = e.split(' ').collect();
            assert_eq!(parts.len(), 2, "bad line {e:?}");
            assert!(
                matches!(parts[1], "inner" | "number" | "final"),
                "bad class in {e:?}"
            );
        }
        assert_eq!(abbreviations().len(), entries.len());
    }

    fn check_invariants(text: &str, range: Range<usize>, spans: &[Range<usize>]) {
        let mut last_end = 0;
        for r in spans {
            assert!(r.start < r.end, "empty span {r:?}");
            assert!(r.len() <= MAX_SENTENCE_BYTES, "over the cap: {r:?}");
            assert!(
                r.start >= range.start && r.end <= range.end,
                "{r:?} outside {range:?}"
            );
            assert!(r.start >= last_end, "overlap or disorder at {r:?}");
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let piece = &text[r.clone()];
            assert_eq!(piece, piece.trim_matches(is_space), "untrimmed {piece:?}");
            last_end = r.end;
        }
    }

    fn seeds_dir() -> Option<std::path::PathBuf> {
        let mut dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        loop {
            let candidate = dir.join("shared").join("seeds");
            if candidate.is_dir() {
                return Some(candidate);
            }
            if !dir.pop() {
                return None;
            }
        }
    }

    /// Splits a seed the way the golden test reads it: each block of
    /// non-blank lines separately.
    fn split_seed(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut offset = 0;
        for block in text.split("\n\n") {
            let range = offset..offset + block.len();
            offset += block.len() + 2;
            if block.trim().is_empty() {
                continue;
            }
            let spans = split_sentences(text, range.clone());
            check_invariants(text, range, &spans);
            out.extend(spans.into_iter().map(|r| &text[r]));
        }
        out
    }

    #[test]
    fn split_sentences_on_seed_files() {
        let Some(dir) = seeds_dir() else {
            eprintln!("shared/seeds not found; skipping");
            return;
        };
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        let mut texts = std::collections::BTreeMap::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "txt") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    texts.insert(name.unwrap_or_default(), text);
                }
            }
        }
        for text in texts.values() {
            split_seed(text);
        }

        if let Some(t) = texts.get("000_e31dfe87ff766cb6.txt") {
            let s = split_seed(t);
            for want in [
                "There was a time when Marco Rubio regarded President Vladimir V. Putin of Russia as a “gangster,” a “war criminal” and a “thug.”",
                "He is now helping steer the administration through fitful negotiations with the Kremlin to bring an end to the bloody assault on Ukraine begun by Mr. Putin.",
                "It is perhaps the highest-profile role Mr. Rubio has taken on.",
                "In addition to his roles as secretary of state and national security adviser, he is also the head of U.S. A.I.D. and the acting archivist at the National Archives.",
                "“War crimes have been committed, no doubt,” he said.",
                "“And who is responsible for that?",
                "But right now, the job is to end the war.”",
                "Such a commitment could mean that if European allies send troops to Ukraine and are attacked, then the U.S. would send troops as well, a move Mr. Trump has ruled out.",
                "NextImg:Rubio Takes on Tricky Task of Drafting Security Guarantees for Ukraine",
            ] {
                assert!(s.contains(&want), "000 lacks {want:?}");
            }
            assert!(s.iter().any(|x| x.starts_with(
                "Mr. Rubio will lead what a senior administration official called “sensitive diplomatic conversations” with counterparts"
            ) && x.ends_with("European allies.")));
        }
        if let Some(t) = texts.get("001_109151376af7ad50.txt") {
            let s = split_seed(t);
            for want in [
                "Rubio doubles down on Trump pledge to back Ukraine security guarantees, but Europe must take the lead - CNN",
                "Kyiv • UNN",
                "Details",
                "Rubio to head commission on Ukraine's security guarantees19.08.25, 21:21 • 3410 views",
                "\"And I would say the president didn't say that,\" they said.",
                "\"We don't know how many countries are ready for 'boots on the ground,'\" Zelenskyy told reporters at a briefing.",
                "British Defense Minister John Healey reiterated on Wednesday that the UK is ready to deploy troops to Ukraine.",
            ] {
                assert!(s.contains(&want), "001 lacks {want:?}");
            }
        }
        if let Some(t) = texts.get("002_835a622e70ab705f.txt") {
            let s = split_seed(t);
            assert!(s.contains(&"“We’re going to help them out also. We’ll be involved,”\nsaid Trump during a recent meeting with Ukrainian President Volodymyr Zelensky and European leaders."));
        }
    }
}
