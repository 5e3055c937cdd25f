//! Loading the pattern and table data files (`rules/time/*.toml`).
//!
//! The files are compiled in with `include_str!`, so a failure here is a bug
//! in shipped data, caught by the unit tests below: `TimeExtractor::new`
//! panics on it rather than running with rules silently missing.

use rustc_hash::FxHashMap as HashMap;

use regex_syntax::hir::{Hir, HirKind};
use serde::Deserialize;

use super::TimexType;

pub(crate) const PATTERNS: &str = include_str!("../../../rules/time/patterns.toml");
pub(crate) const TABLES: &str = include_str!("../../../rules/time/tables.toml");

/// Normalisation tables: table name -> normalised key -> value.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    tables: HashMap<String, HashMap<String, String>>,
}

/// Lower-case, curly apostrophes made straight, runs of spaces and hyphens
/// made one space: the form table keys are stored and looked up in.
pub(crate) fn normalize_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '-' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        let c = if c == '\u{2019}' { '\'' } else { c };
        out.extend(c.to_lowercase());
    }
    out
}

/// [`normalize_key`] of an ASCII `s` into `buf`, or `None` when `s` is not
/// ASCII or does not fit.
fn normalize_ascii_key<'b>(s: &str, buf: &'b mut [u8; 64]) -> Option<&'b str> {
    crate::extract::lexicon::ascii_words_key(s, buf, true)
}

impl Tables {
    pub(crate) fn parse(src: &str) -> Result<Self, String> {
        let raw: HashMap<String, HashMap<String, String>> =
            toml::from_str(src).map_err(|e| format!("tables.toml: {e}"))?;
        let tables = raw
            .into_iter()
            .map(|(name, entries)| {
                let entries = entries
                    .into_iter()
                    .map(|(k, v)| (normalize_key(&k), v))
                    .collect();
                (name, entries)
            })
            .collect();
        Ok(Tables { tables })
    }

    /// Look a matched group up; a trailing dot is optional.
    pub(crate) fn get(&self, table: &str, key: &str) -> Option<&str> {
        let t = self.tables.get(table)?;
        // Asked for every candidate: a short ASCII key is normalised on the
        // stack, the same as `normalize_key` would.
        let mut buf = [0u8; 64];
        if let Some(k) = normalize_ascii_key(key, &mut buf) {
            if let Some(v) = t.get(k) {
                return Some(v.as_str());
            }
            if let Some(stripped) = k.strip_suffix('.') {
                return t.get(stripped).map(String::as_str);
            }
            let len = k.len();
            return match buf.get_mut(len) {
                Some(dot) => {
                    *dot = b'.';
                    let dotted = std::str::from_utf8(&buf[..=len]).ok()?;
                    t.get(dotted).map(String::as_str)
                }
                None => t
                    .get(&format!("{}.", normalize_key(key)))
                    .map(String::as_str),
            };
        }
        let k = normalize_key(key);
        if let Some(v) = t.get(&k) {
            return Some(v.as_str());
        }
        if let Some(stripped) = k.strip_suffix('.') {
            return t.get(stripped).map(String::as_str);
        }
        t.get(&format!("{k}.")).map(String::as_str)
    }

    /// The table's keys as a regex alternation that prefers the longest key,
    /// written as a trie ("jan(?:uary\b|\.|\b)" rather than
    /// "january\b|jan\.|jan\b"): the alternatives sharing a prefix become
    /// one NFA path, so the epsilon closure every lazy DFA state carries is
    /// smaller (the cold scan of the combined regex built its states 20%
    /// faster). The matches are those of the longest-first flat alternation:
    /// at one position the keys that can match form a chain of trie
    /// prefixes (siblings start with disjoint atoms, except a word boundary
    /// ending a key, which comes last), and the trie tries the longer first.
    fn alternation(&self, table: &str) -> Option<String> {
        let t = self.tables.get(table)?;
        let mut trie = Trie::default();
        let mut keys: Vec<&String> = t.keys().collect();
        keys.sort();
        for k in keys {
            trie.add(&key_atoms(k));
        }
        let mut out = String::from("(?:");
        trie.write(&mut out);
        out.push(')');
        Some(out)
    }
}

/// A word boundary: written after a key that ends in a letter or digit, so
/// "May" is not the start of "Mayor" ("Sept." ends at its dot).
const KEY_END: &str = r"\b";

/// A key as regex atoms: one per character (escaped; an apostrophe matches
/// either form), `[\s-]+` between words, and [`KEY_END`] after a key ending
/// in a letter or digit.
fn key_atoms(key: &str) -> Vec<String> {
    let mut atoms = Vec::new();
    for (i, word) in key.split(' ').enumerate() {
        if i > 0 {
            atoms.push(r"[\s-]+".to_string());
        }
        for c in word.chars() {
            atoms.push(if c == '\'' {
                "['\u{2019}]".to_string()
            } else {
                regex::escape(c.encode_utf8(&mut [0; 4]))
            });
        }
    }
    if key.ends_with(|c: char| c.is_alphanumeric()) {
        atoms.push(KEY_END.to_string());
    }
    atoms
}

/// Table keys as a trie of regex atoms.
#[derive(Default)]
struct Trie {
    /// A key ends here.
    end: bool,
    children: Vec<(String, Trie)>,
}

impl Trie {
    fn add(&mut self, atoms: &[String]) {
        let mut node = self;
        for atom in atoms {
            let i = match node.children.iter().position(|(a, _)| a == atom) {
                Some(i) => i,
                None => {
                    node.children.push((atom.clone(), Trie::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[i].1;
        }
        node.end = true;
    }

    /// Longer keys first: a word boundary (which ends a key, and can hold
    /// where a longer key goes on with "." or a space) is the last child,
    /// and a key ending here is an optional group's empty branch, taken
    /// only when no continuation matches.
    fn write(&self, out: &mut String) {
        let mut children: Vec<&(String, Trie)> = self.children.iter().collect();
        children.sort_by_key(|(atom, _)| atom == KEY_END);
        let group = children.len() > 1 || (self.end && !children.is_empty());
        if group {
            out.push_str("(?:");
        }
        for (i, (atom, child)) in children.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            out.push_str(atom);
            child.write(out);
        }
        if group {
            out.push(')');
            if self.end {
                out.push('?');
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct PatternFile {
    macros: HashMap<String, String>,
    rule: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    #[serde(rename = "type")]
    timex_type: String,
    norm: String,
    regex: String,
    #[serde(default)]
    examples: Vec<String>,
    /// May follow a letter directly ("guarantees19.08.25" in scraped text).
    #[serde(default)]
    glued: bool,
}

/// One compiled pattern.
#[derive(Debug)]
pub(crate) struct Rule {
    pub name: &'static str,
    pub timex_type: TimexType,
    pub norm: Norm,
    /// The expanded pattern source, with its named groups.
    #[cfg_attr(not(test), allow(dead_code))]
    pub source: String,
    /// The source, case-insensitive, parsed once: the rule's own regex, the
    /// combined scan and the anchored set are all built from it (each
    /// parse of the 38 patterns cost 40 M instructions).
    pub hir: regex_syntax::hir::Hir,
    /// Compiled on first use (see [`Rule::regex`]).
    compiled: std::sync::OnceLock<regex_automata::meta::Regex>,
    /// Compiled on first use (see [`Rule::captor`]).
    captor: std::sync::OnceLock<Captor>,
    pub glued: bool,
    /// The pattern's only look-around is the ASCII word boundary, so what
    /// a capture search reads of the text before the match is whether the
    /// byte there is a word byte (see `CaptureMemo` in the module root).
    pub memo_ok: bool,
    #[cfg_attr(not(test), allow(dead_code))]
    pub examples: Vec<String>,
}

/// The closed set of normalisers a rule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Norm {
    Date,
    Year,
    Decade,
    Century,
    Weekday,
    Reference,
    Relative,
    Ago,
    Duration,
    Set,
    Frequency,
    Season,
    Quarter,
    Anaphor,
    PartOfDay,
    Holiday,
    Clock,
    SpelledYear,
}

impl Norm {
    fn parse(s: &str) -> Option<Norm> {
        Some(match s {
            "date" => Norm::Date,
            "year" => Norm::Year,
            "decade" => Norm::Decade,
            "century" => Norm::Century,
            "weekday" => Norm::Weekday,
            "reference" => Norm::Reference,
            "relative" => Norm::Relative,
            "ago" => Norm::Ago,
            "duration" => Norm::Duration,
            "set" => Norm::Set,
            "frequency" => Norm::Frequency,
            "season" => Norm::Season,
            "quarter" => Norm::Quarter,
            "anaphor" => Norm::Anaphor,
            "part-of-day" => Norm::PartOfDay,
            "holiday" => Norm::Holiday,
            "clock" => Norm::Clock,
            "spelled-year" => Norm::SpelledYear,
            _ => return None,
        })
    }
}

/// Replace `%NAME` macros and `%{table}` references, and make `\b` an
/// ASCII word boundary (a Unicode one stops the fast DFA on non-ASCII text).
fn expand(
    src: &str,
    macros: &HashMap<String, String>,
    tables: &Tables,
    depth: usize,
) -> Result<String, String> {
    if depth > 4 {
        return Err(format!("macro recursion too deep in {src}"));
    }
    let mut out = String::with_capacity(src.len() * 2);
    let mut rest = src;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(body) = after.strip_prefix('{') {
            let close = body
                .find('}')
                .ok_or_else(|| format!("unclosed %{{ in {src}"))?;
            let name = &body[..close];
            let alt = tables
                .alternation(name)
                .ok_or_else(|| format!("unknown table %{{{name}}}"))?;
            out.push_str(&alt);
            rest = &body[close + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..len];
            let body = macros
                .get(name)
                .ok_or_else(|| format!("unknown macro %{name}"))?;
            out.push_str(&expand(body, macros, tables, depth + 1)?);
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out.replace(r"\b", r"(?-u:\b)"))
}

/// Parse both data files into compiled rules.
pub(crate) fn load(patterns: &str, tables: &Tables) -> Result<Vec<Rule>, String> {
    let file: PatternFile = toml::from_str(patterns).map_err(|e| format!("patterns.toml: {e}"))?;
    let mut rules = Vec::with_capacity(file.rule.len());
    for raw in file.rule {
        let timex_type = match raw.timex_type.as_str() {
            "DATE" => TimexType::Date,
            "TIME" => TimexType::Time,
            "DURATION" => TimexType::Duration,
            "SET" => TimexType::Set,
            other => return Err(format!("rule {}: unknown type {other}", raw.name)),
        };
        let norm = Norm::parse(&raw.norm)
            .ok_or_else(|| format!("rule {}: unknown norm {}", raw.name, raw.norm))?;
        // Every rule starts at a word boundary ("now" is not in "know").
        let bounded = if raw.glued {
            raw.regex.clone()
        } else {
            format!(r"\b(?:{})", raw.regex)
        };
        let source = expand(&bounded, &file.macros, tables, 0)
            .map_err(|e| format!("rule {}: {e}", raw.name))?;
        // Parsed now, so a broken pattern is an error at load; compiled
        // when a text first needs it (see `Rule::regex`).
        let hir = regex_automata::util::syntax::parse(&format!("(?i:{source})"))
            .map_err(|e| format!("rule {}: {e}", raw.name))?;
        let hir = factor_prefixes(hir);
        let looks = hir.properties().look_set();
        let memo_ok = looks.is_empty()
            || looks == regex_syntax::hir::LookSet::singleton(regex_syntax::hir::Look::WordAscii);
        rules.push(Rule {
            // Rule names live as long as the program: the extractor is
            // built once (see `TimeExtractor::global`).
            name: Box::leak(raw.name.into_boxed_str()),
            timex_type,
            norm,
            source,
            hir,
            compiled: std::sync::OnceLock::new(),
            captor: std::sync::OnceLock::new(),
            glued: raw.glued,
            memo_ok,
            examples: raw.examples,
        });
    }
    Ok(rules)
}

impl Rule {
    /// The rule's own regex, with its named groups. Compiling all of them
    /// up front was a third of the start-up (280 M instructions) that a
    /// small bundle never repays: most rules never match its text.
    ///
    /// # Panics
    /// Only if a shipped pattern parses but does not compile (over the NFA
    /// size limit); `every_rule_compiles` in the unit tests catches that.
    pub fn regex(&self) -> &regex_automata::meta::Regex {
        self.compiled.get_or_init(|| {
            regex_automata::meta::Regex::builder()
                .configure(
                    regex_automata::meta::Config::new()
                        .nfa_size_limit(Some(64 << 20))
                        // Only ever run anchored at a known start, where a
                        // literal prefilter never helps; extracting its
                        // literals from case-insensitive alternations was
                        // 60% of compiling a rule.
                        .auto_prefilter(false),
                )
                .build_from_hir(&self.hir)
                .expect("time patterns compile (tested)")
        })
    }
}

/// The engine that reads a rule's groups over a span already known to
/// match: what `meta::Regex::search_captures` picks for an anchored search
/// (the one-pass DFA where the pattern allows it, else the bounded
/// backtracker), without the lazy DFA pass it runs first to find the match
/// bounds the caller already has.
#[derive(Debug)]
pub(crate) enum Captor {
    OnePass(Box<regex_automata::dfa::onepass::DFA>),
    Backtrack(regex_automata::nfa::thompson::backtrack::BoundedBacktracker),
}

/// A [`Captor`]'s search state, kept per rule by the caller.
#[derive(Debug)]
pub(crate) enum CaptorCache {
    OnePass(regex_automata::dfa::onepass::Cache),
    Backtrack(regex_automata::nfa::thompson::backtrack::Cache),
}

impl Captor {
    pub fn create_cache(&self) -> CaptorCache {
        match self {
            Captor::OnePass(d) => CaptorCache::OnePass(d.create_cache()),
            Captor::Backtrack(b) => CaptorCache::Backtrack(b.create_cache()),
        }
    }

    pub fn create_captures(&self) -> regex_automata::util::captures::Captures {
        match self {
            Captor::OnePass(d) => d.create_captures(),
            Captor::Backtrack(b) => b.create_captures(),
        }
    }

    /// The anchored leftmost-first match of `input` with its groups, as
    /// `meta::Regex::search_captures` finds it; `false` when this engine
    /// cannot search `input` (too long for the backtracker's bound), and
    /// the caller should ask the meta regex.
    pub fn search(
        &self,
        cache: &mut CaptorCache,
        input: &regex_automata::Input<'_>,
        caps: &mut regex_automata::util::captures::Captures,
    ) -> bool {
        match (self, cache) {
            (Captor::OnePass(d), CaptorCache::OnePass(c)) => d.try_search(c, input, caps).is_ok(),
            (Captor::Backtrack(b), CaptorCache::Backtrack(c)) => {
                input.get_span().len() <= b.max_haystack_len()
                    && b.try_search(c, input, caps).is_ok()
            }
            // A cache made by another captor: never happens, as each rule
            // keeps its own; the meta regex answers instead.
            _ => false,
        }
    }
}

impl Rule {
    /// The rule's capture engine (see [`Captor`]), compiled on first use as
    /// [`Rule::regex`] is, from the same parsed pattern with the same NFA
    /// settings as the meta regex.
    ///
    /// # Panics
    /// Only if a shipped pattern parses but does not compile, as
    /// [`Rule::regex`].
    pub fn captor(&self) -> &Captor {
        self.captor.get_or_init(|| {
            let nfa = regex_automata::nfa::thompson::Compiler::new()
                .configure(
                    regex_automata::nfa::thompson::Config::new().nfa_size_limit(Some(64 << 20)),
                )
                .build_from_hir(&self.hir)
                .expect("time patterns compile (tested)");
            match regex_automata::dfa::onepass::DFA::new_from_nfa(nfa.clone()) {
                Ok(d) => Captor::OnePass(Box::new(d)),
                Err(_) => Captor::Backtrack(
                    regex_automata::nfa::thompson::backtrack::BoundedBacktracker::new_from_nfa(nfa)
                        .expect("time patterns compile (tested)"),
                ),
            }
        })
    }
}

/// The pattern with the alternatives that begin alike sharing that
/// beginning, as a trie ("the\s+end\s+of|the\s+start\s+of" becomes
/// "the\s+(?:end|start)\s+of"), for the same reason the tables are tries
/// (see [`Tables::alternation`]): the rules' word lists ("the end of",
/// "earlier", "early", ...) put one NFA state per word in the closure of
/// every lazy DFA state.
///
/// Matches, and what each group captures, stay those of the pattern as
/// written: alternatives are tried in the written order (leftmost-first), and
/// * `x A|x B` is `x(?:A|B)` when `x` matches one way only (one character, a
///   class of them or an assertion): the same candidates in the same order;
/// * an alternative moves up past others only when no two of them can match
///   at the same position (each needs a first byte, and the sets of those
///   bytes are disjoint), so their order never decides, and none of them has
///   a capture group (whose number is its place in the pattern).
pub(crate) fn factor_prefixes(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Alternation(branches) => {
            let branches: Vec<Hir> = branches.into_iter().map(factor_prefixes).collect();
            factor_alternation(branches)
        }
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(factor_prefixes).collect()),
        HirKind::Repetition(mut rep) => {
            rep.sub = Box::new(factor_prefixes(*rep.sub));
            Hir::repetition(rep)
        }
        HirKind::Capture(mut cap) => {
            cap.sub = Box::new(factor_prefixes(*cap.sub));
            Hir::capture(cap)
        }
        kind => hir_of(kind),
    }
}

fn hir_of(kind: HirKind) -> Hir {
    match kind {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => Hir::literal(lit.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Repetition(rep) => Hir::repetition(rep),
        HirKind::Capture(cap) => Hir::capture(cap),
        HirKind::Concat(parts) => Hir::concat(parts),
        HirKind::Alternation(branches) => Hir::alternation(branches),
    }
}

/// A branch as a sequence: its parts, a literal split into characters.
fn sequence(hir: Hir) -> Vec<Hir> {
    let parts = match hir.into_kind() {
        HirKind::Concat(parts) => parts,
        kind => vec![hir_of(kind)],
    };
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        match part.kind() {
            HirKind::Literal(lit) if lit.0.len() > 1 => match std::str::from_utf8(&lit.0) {
                Ok(text) => out.extend(
                    text.chars()
                        .map(|c| Hir::literal(c.encode_utf8(&mut [0; 4]).as_bytes())),
                ),
                Err(_) => out.push(part),
            },
            _ => out.push(part),
        }
    }
    out
}

/// Matches exactly one way where it matches: one character or an assertion.
fn is_one_way(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(lit) => std::str::from_utf8(&lit.0).is_ok_and(|t| t.chars().count() == 1),
        HirKind::Class(_) | HirKind::Look(_) => true,
        _ => false,
    }
}

/// What moving an alternative past others needs to know of them.
#[derive(Clone, Copy)]
struct Start {
    /// The first bytes a match can have (a superset).
    bytes: [u64; 4],
    /// Matches without consuming a byte, or has a capture group.
    fixed: bool,
}

impl Start {
    fn of(seq: &[Hir]) -> Start {
        let mut bytes = [0u64; 4];
        let mut empty = true;
        for part in seq {
            let (sub, part_empty) = first_bytes(part);
            for (s, x) in bytes.iter_mut().zip(sub) {
                *s |= x;
            }
            if !part_empty {
                empty = false;
                break;
            }
        }
        let captures = seq
            .iter()
            .any(|part| part.properties().explicit_captures_len() > 0);
        Start {
            bytes,
            fixed: empty || captures,
        }
    }

    /// No match of one can start where one of the other does.
    fn disjoint(self, other: Start) -> bool {
        !self.fixed && !other.fixed && self.bytes.iter().zip(other.bytes).all(|(x, y)| x & y == 0)
    }

    fn union(self, other: Start) -> Start {
        let mut bytes = self.bytes;
        for (s, x) in bytes.iter_mut().zip(other.bytes) {
            *s |= x;
        }
        Start {
            bytes,
            fixed: self.fixed || other.fixed,
        }
    }
}

fn factor_alternation(branches: Vec<Hir>) -> Hir {
    // Each group: the branches (as sequences) sharing a first part, and the
    // union of their starts.
    let mut groups: Vec<(Vec<Vec<Hir>>, Start)> = Vec::new();
    for branch in branches {
        let seq = sequence(branch);
        let start = Start::of(&seq);
        let target = seq
            .first()
            .filter(|head| is_one_way(head))
            .and_then(|head| {
                for (g, (members, passed)) in groups.iter().enumerate().rev() {
                    if members[0].first() == Some(head) {
                        return Some(g);
                    }
                    if !start.disjoint(*passed) {
                        return None;
                    }
                }
                None
            });
        match target {
            Some(g) => {
                groups[g].0.push(seq);
                groups[g].1 = groups[g].1.union(start);
            }
            None => groups.push((vec![seq], start)),
        }
    }
    let alternatives = groups
        .into_iter()
        .map(|(mut members, _)| {
            if members.len() == 1 {
                return Hir::concat(members.pop().unwrap_or_default());
            }
            let head = members[0][0].clone();
            let rests = members
                .into_iter()
                .map(|seq| Hir::concat(seq.into_iter().skip(1).collect()))
                .collect();
            Hir::concat(vec![head, factor_alternation(rests)])
        })
        .collect();
    Hir::alternation(alternatives)
}

/// The bytes a match of `hir` can begin with (a superset), and whether it
/// can match without consuming any.
fn first_bytes(hir: &Hir) -> ([u64; 4], bool) {
    let mut set = [0u64; 4];
    let mut add = |lo: u8, hi: u8| {
        for b in lo..=hi {
            set[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => return (set, true),
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) => add(b, b),
            None => return (set, true),
        },
        HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => {
            for r in class.iter() {
                let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                if lo < 0x80 {
                    add(lo as u8, hi.min(0x7f) as u8);
                }
                if hi >= 0x80 {
                    // Any lead byte: a superset is enough.
                    add(0xc0, 0xff);
                }
            }
        }
        HirKind::Class(regex_syntax::hir::Class::Bytes(class)) => {
            for r in class.iter() {
                add(r.start(), r.end());
            }
        }
        HirKind::Repetition(rep) => {
            let (sub, empty) = first_bytes(&rep.sub);
            return (sub, empty || rep.min == 0);
        }
        HirKind::Capture(cap) => return first_bytes(&cap.sub),
        HirKind::Concat(parts) => {
            for part in parts {
                let (sub, empty) = first_bytes(part);
                for (s, x) in set.iter_mut().zip(sub) {
                    *s |= x;
                }
                if !empty {
                    return (set, false);
                }
            }
            return (set, true);
        }
        HirKind::Alternation(branches) => {
            let mut any_empty = false;
            for branch in branches {
                let (sub, empty) = first_bytes(branch);
                for (s, x) in set.iter_mut().zip(sub) {
                    *s |= x;
                }
                any_empty |= empty;
            }
            return (set, any_empty);
        }
    }
    (set, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every group's span of a search (`None` where a group took no part),
    /// so two regexes can be compared capture for capture.
    fn group_spans(
        c: &regex_automata::util::captures::Captures,
    ) -> Vec<Option<regex_automata::Span>> {
        (0..c.group_len()).map(|g| c.get_group(g)).collect()
    }

    #[test]
    fn keys_normalise_spacing_case_and_apostrophes() {
        assert_eq!(normalize_key("New  Year\u{2019}s-Day"), "new year's day");
        assert_eq!(normalize_key("Year-Earlier"), "year earlier");
    }

    #[test]
    fn ascii_keys_normalise_as_any_key() {
        let mut buf = [0u8; 64];
        for s in [
            "New  Year's-Day",
            " Sept. ",
            "LAST\t\nnight",
            "a\x0bb\x0cc\rd",
            "-x-",
            "",
            "x\x1fy",
        ] {
            assert_eq!(
                normalize_ascii_key(s, &mut buf).map(str::to_string),
                Some(normalize_key(s)),
                "{s:?}"
            );
        }
        assert_eq!(normalize_ascii_key("Year\u{2019}s", &mut buf), None);
        assert_eq!(normalize_ascii_key(&"x".repeat(65), &mut buf), None);
        let t = Tables::parse(TABLES).unwrap();
        assert_eq!(
            t.get("month", &format!("Sept{}", " ".repeat(70))),
            Some("09")
        );
    }

    #[test]
    fn tables_look_up_with_optional_dot() {
        let t = Tables::parse(TABLES).unwrap();
        assert_eq!(t.get("month", "Sept."), Some("09"));
        assert_eq!(t.get("month", "SEPT"), Some("09"));
        assert_eq!(t.get("weekday", "Thurs."), Some("4"));
        assert_eq!(t.get("weekday", "sun"), None);
        assert_eq!(t.get("reference", "Last  night"), Some("D-1@NI"));
    }

    #[test]
    fn every_rule_compiles_with_a_known_norm() {
        let t = Tables::parse(TABLES).unwrap();
        let rules = load(PATTERNS, &t).unwrap();
        assert!(rules.len() > 20);
        for r in &rules {
            assert!(!r.examples.is_empty(), "rule {} has no example", r.name);
            assert!(!r.source.contains('%'), "rule {} kept a macro", r.name);
        }
    }

    /// The longest-first flat alternation the trie replaced.
    fn flat_alternation(t: &Tables, table: &str) -> String {
        let mut keys: Vec<&String> = t.tables[table].keys().collect();
        keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alts: Vec<String> = keys
            .iter()
            .map(|k| {
                let alt = k
                    .split(' ')
                    .map(|w| regex::escape(w).replace('\'', "['\u{2019}]"))
                    .collect::<Vec<_>>()
                    .join(r"[\s-]+");
                if k.ends_with(|c: char| c.is_alphanumeric()) {
                    format!(r"{alt}\b")
                } else {
                    alt
                }
            })
            .collect();
        format!("(?:{})", alts.join("|"))
    }

    #[test]
    fn trie_alternation_matches_as_the_flat_one() {
        let t = Tables::parse(TABLES).unwrap();
        // What may follow a table in a pattern, so a longer key that leaves
        // the rest unmatched must give way to a shorter one, as in the flat
        // alternation.
        let rests = [
            "",
            r"\.",
            r"\s+[0-9]+",
            r"\s+\w+",
            "s",
            r"['\u{2019}]s",
            r"[\s-]+of",
        ];
        let tails = [
            "",
            ".",
            " 5",
            " of",
            "-of",
            "s",
            "'s",
            "\u{2019}s",
            "x",
            " day",
            "-day",
            ". 5",
        ];
        let mut checked = 0;
        for table in t.tables.keys() {
            let flat = flat_alternation(&t, table);
            let trie = t.alternation(table).unwrap();
            assert_ne!(flat, trie, "{table}");
            let mut texts: Vec<String> = Vec::new();
            for key in t.tables[table].keys() {
                let shouted = key.to_uppercase();
                let hyphened = key.replace(' ', "-");
                let curly = key.replace('\'', "\u{2019}");
                let dotless = key.trim_end_matches('.').to_string();
                for form in [key, &shouted, &hyphened, &curly, &dotless] {
                    for tail in tails {
                        texts.push(format!("{form}{tail}"));
                    }
                }
            }
            for rest in rests {
                let a = regex::Regex::new(&format!("(?i)^(?:{flat}){rest}")).unwrap();
                let b = regex::Regex::new(&format!("(?i)^(?:{trie}){rest}")).unwrap();
                for text in &texts {
                    assert_eq!(
                        a.find(text).map(|m| m.range()),
                        b.find(text).map(|m| m.range()),
                        "table {table}, rest {rest:?}, text {text:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// Every rule's example texts (marks dropped), each after a variant of it.
    fn example_texts(rules: &[Rule], variant: impl Fn(&str) -> String) -> Vec<String> {
        let mut texts = Vec::new();
        for r in rules {
            for e in &r.examples {
                let text = e.split(" => ").next().unwrap().replace(['[', ']'], "");
                texts.push(variant(&text));
                texts.push(text);
            }
        }
        texts
    }

    #[test]
    fn factored_rules_capture_as_written() {
        let t = Tables::parse(TABLES).unwrap();
        let rules = load(PATTERNS, &t).unwrap();
        // Every rule's examples, and variants, as one text list: each rule
        // meets the others' expressions too.
        let texts = example_texts(&rules, |text| {
            format!("{text}, and the middle of {} years.", text.to_uppercase())
        });
        let (mut compared, mut factored) = (0, 0);
        for r in &rules {
            let written =
                regex_automata::util::syntax::parse(&format!("(?i:{})", r.source)).unwrap();
            factored += usize::from(written != r.hir);
            let a = regex_automata::meta::Regex::new_many(&[format!("(?i:{})", r.source)]).unwrap();
            let b = r.regex();
            let (mut ca, mut cb) = (a.create_captures(), b.create_captures());
            for text in &texts {
                for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                    for anchored in [regex_automata::Anchored::Yes, regex_automata::Anchored::No] {
                        let input = regex_automata::Input::new(text)
                            .range(at..)
                            .anchored(anchored);
                        a.search_captures(&input, &mut ca);
                        b.search_captures(&input, &mut cb);
                        assert_eq!(
                            group_spans(&ca),
                            group_spans(&cb),
                            "rule {}, {text:?} at {at}",
                            r.name
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 100_000, "{compared}");
        assert!(factored > 10, "{factored} of {}", rules.len());
    }

    #[test]
    fn captor_reads_the_groups_the_meta_regex_does() {
        let t = Tables::parse(TABLES).unwrap();
        let rules = load(PATTERNS, &t).unwrap();
        let texts = example_texts(&rules, |text| {
            format!("{}, on {text}.", text.to_uppercase())
        });
        let (mut compared, mut matched, mut onepass) = (0, 0, 0);
        for r in &rules {
            let meta = r.regex();
            let captor = r.captor();
            onepass += usize::from(matches!(captor, Captor::OnePass(_)));
            let mut cache = captor.create_cache();
            let (mut ca, mut cb) = (meta.create_captures(), captor.create_captures());
            for text in &texts {
                for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                    let input = regex_automata::Input::new(text)
                        .range(at..)
                        .anchored(regex_automata::Anchored::Yes);
                    meta.search_captures(&input, &mut ca);
                    assert!(captor.search(&mut cache, &input, &mut cb));
                    assert_eq!(
                        group_spans(&ca),
                        group_spans(&cb),
                        "rule {}, {text:?} at {at}",
                        r.name
                    );
                    compared += 1;
                    matched += usize::from(ca.is_match());
                }
            }
        }
        assert!(compared > 50_000 && matched > 500, "{compared} {matched}");
        // Both engines are exercised.
        assert!(onepass > 3 && onepass < rules.len() - 3, "{onepass}");
    }

    #[test]
    fn factoring_keeps_the_written_order() {
        // (pattern, texts): where the written order decides, a factoring
        // that moved or reordered alternatives would find another match.
        let cases = [
            ("xq|[xy]y|xyz", "xyz"),
            ("mid|middle|early", "middle early mid"),
            ("ab|c|abc|a", "abc ab a c"),
            ("(?P<a>ab)|c|(?P<b>abc)", "abc"),
            (
                "the end|end|the start|stop|the",
                "the stop the start the end",
            ),
            ("a+b|ac|ab", "aab ac ab"),
            (r"\bx|y|x", "yx x"),
        ];
        for (pattern, text) in cases {
            let written = regex_automata::util::syntax::parse(pattern).unwrap();
            let factored = factor_prefixes(written.clone());
            let a = regex_automata::meta::Regex::builder()
                .build_from_hir(&written)
                .unwrap();
            let b = regex_automata::meta::Regex::builder()
                .build_from_hir(&factored)
                .unwrap();
            for at in 0..text.len() {
                let input = regex_automata::Input::new(text).range(at..);
                let (mut ca, mut cb) = (a.create_captures(), b.create_captures());
                a.search_captures(&input, &mut ca);
                b.search_captures(&input, &mut cb);
                assert_eq!(
                    group_spans(&ca),
                    group_spans(&cb),
                    "{pattern} on {text:?} at {at}"
                );
            }
        }
        let shared = factor_prefixes(regex_automata::util::syntax::parse("abc|abd|x|abe").unwrap());
        assert_eq!(
            shared,
            regex_automata::util::syntax::parse("ab(?:[cde])|x").unwrap(),
        );
    }

    #[test]
    fn unknown_macro_is_an_error() {
        let t = Tables::default();
        let e = expand("%NOPE", &HashMap::default(), &t, 0).unwrap_err();
        assert!(e.contains("NOPE"));
    }
}
