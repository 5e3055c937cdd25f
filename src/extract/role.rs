//! Roles and titles attached to a person: "US Secretary of State Marco
//! Rubio", "Rubio, who also serves as acting national security adviser",
//! "Liana Fix, a fellow for Europe at the Council on Foreign Relations",
//! "the Chairman of the Joint Chiefs of Staff ..., General Dan Kane".
//!
//! Offices are normalised through `rules/lexicon/roles.csv` (spelling and
//! synonyms: adviser/advisor, defence/defense, defense secretary = defense
//! minister); qualifiers (acting, former, deputy...) are kept apart so a
//! rule can compare them explicitly.

use super::entity::{EntityKind, EntityMention};
use super::lexicon::{GazetteerKind, Lexicon};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::OnceLock;

/// One role attached to one person mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleMention {
    /// Span of the whole role phrase, person name included.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The person as the document resolves them ("Marco Rubio").
    pub person: String,
    /// Span of the person's name inside the phrase.
    pub person_start: usize,
    pub person_end: usize,
    /// Canonical office ("national security adviser").
    pub office: String,
    /// The office words as written ("national security advisor").
    pub office_text: String,
    /// Qualifiers, sorted: "acting", "former", "deputy"...
    pub qualifiers: Vec<String>,
    /// Whose office: a country ("United Kingdom"), an organisation or a
    /// person ("Trump" in "Trump envoy").
    pub of: Option<String>,
    /// "(R-Neb.)" style party and state.
    pub affiliation: Option<String>,
    /// Which pattern attached it: "before-name", "apposition",
    /// "office-of-comma".
    pub how: &'static str,
}

impl RoleMention {
    /// "acting national security adviser": qualifiers then office, the
    /// value rules compare.
    pub fn value(&self) -> String {
        let mut words: Vec<&str> = self.qualifiers.iter().map(String::as_str).collect();
        words.push(&self.office);
        words.join(" ")
    }
}

struct Patterns {
    before: Regex,
    after: Regex,
    office_of: Regex,
    affiliation: Regex,
    and_more: Regex,
    /// Last words of every office `before` can end on, lower-cased: a
    /// window ending on anything else cannot match, and most do not.
    office_last_words: rustc_hash::FxHashSet<String>,
}

/// The last word of `window` as `before` would read an office there
/// (`\.?\s*$` after it), lower-cased.
fn last_word_lower(window: &str) -> String {
    let t = window.trim_end();
    let t = t.strip_suffix('.').unwrap_or(t);
    let token = t.rsplit(char::is_whitespace).next().unwrap_or("");
    token
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Whether `office_of` (ending `,\s*(rank\s+)?$`) could match `window`.
fn may_end_with_office_of(window: &str) -> bool {
    let t = window.trim_end();
    if t.ends_with(',') {
        return true;
    }
    let last = t.rsplit(char::is_whitespace).next().unwrap_or("");
    [
        "general",
        "gen.",
        "admiral",
        "adm.",
        "colonel",
        "col.",
        "commander",
    ]
    .iter()
    .any(|rank| rank.eq_ignore_ascii_case(last))
}

/// The office phrases the role patterns read, as written in the lexicon.
fn office_phrases(lexicon: &Lexicon) -> impl Iterator<Item = &str> {
    lexicon
        .offices
        .keys()
        .map(String::as_str)
        .filter(|p| p.chars().any(char::is_alphabetic) && p.len() > 2 && *p != "nsa" && *p != "pm")
}

/// The generic offices that end every office alternation: "<word> minister"
/// comes last so a listed office always wins ("secretary of state", not
/// "secretary").
const GENERIC_OFFICES: [&str; 2] = [r"(?:[a-z]+\s+)?minister", r"(?:[a-z]+\s+)?secretary"];

fn office_alternatives(lexicon: &Lexicon) -> String {
    let mut phrases: Vec<String> = office_phrases(lexicon)
        .map(|p| regex::escape(p).replace(' ', r"\s+"))
        .collect();
    phrases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    phrases.dedup();
    phrases.extend(GENERIC_OFFICES.map(String::from));
    phrases.join("|")
}

/// The same language as [`office_alternatives`], written as a trie of
/// characters (`\s+` between words): "secretary of state" and "secretary
/// of defense" share "secretary\s+of\s+". For `before`, anchored at the
/// end, the alternation's order cannot change what the `office` group
/// spans (whichever phrase matches must end where the window ends). For
/// `after`, read leftmost-first, the list is sorted longest first and the
/// trie tries the longer phrase first (its optional tails are greedy), and
/// the office keys are lower-case, so no two branches of a node match one
/// character under `(?i)`. Either way the same pattern; but the
/// backtracker that reads the groups tries a handful of branches at each
/// character instead of every phrase in turn (`before` cost ~14,000
/// instructions a call with the list).
fn office_trie(lexicon: &Lexicon) -> String {
    #[derive(Default)]
    struct Node {
        end: bool,
        next: std::collections::BTreeMap<Option<char>, Node>,
    }
    fn render(node: &Node, out: &mut String) {
        let branches = node.next.len();
        if branches == 0 {
            return;
        }
        let group = branches > 1 || node.end;
        if group {
            out.push_str("(?:");
        }
        for (i, (token, child)) in node.next.iter().enumerate() {
            if i > 0 {
                out.push('|');
            }
            match token {
                // A run of white space between two words.
                None => out.push_str(r"\s+"),
                Some(c) => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
            render(child, out);
        }
        if group {
            out.push(')');
        }
        if node.end {
            out.push('?');
        }
    }
    let mut root = Node::default();
    for phrase in office_phrases(lexicon) {
        let mut node = &mut root;
        for (w, word) in phrase.split(' ').enumerate() {
            if w > 0 {
                node = node.next.entry(None).or_default();
            }
            for c in word.chars() {
                node = node.next.entry(Some(c)).or_default();
            }
        }
        node.end = true;
    }
    let mut trie = String::new();
    render(&root, &mut trie);
    let mut alternatives = vec![trie];
    alternatives.extend(GENERIC_OFFICES.map(String::from));
    alternatives.join("|")
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let lexicon = Lexicon::builtin();
        build_patterns(lexicon, &office_trie(lexicon))
    })
}

/// The patterns, with `named_offices` as the offices `before` and `after`
/// read (the trie, or the plain list as the tests' oracle).
fn build_patterns(lexicon: &Lexicon, named_offices: &str) -> Patterns {
    let offices = office_alternatives(lexicon);
    let quals = lexicon
        .qualifiers
        .iter()
        .map(|q| regex::escape(q))
        .collect::<Vec<_>>()
        .join("|");
    let owner = r"(?-i:[A-Z][\w.&’'-]*(?:\s+(?-i:[A-Z][\w.&’'-]*)){0,2}?)";
    // ASCII word boundaries and a 16 MB lazy-DFA cache: with a Unicode
    // \b or the 2 MB default the DFA gives up on these large office
    // alternations and every person mention pays a slow fallback.
    let build = |p: &str| {
        regex::RegexBuilder::new(p)
            .dfa_size_limit(16 << 20)
            .build()
            .unwrap_or_else(|e| panic!("role regex: {e}\n{p}"))
    };
    let mut office_last_words: rustc_hash::FxHashSet<String> = lexicon
        .offices
        .keys()
        .map(|office| last_word_lower(office))
        .collect();
    office_last_words.extend(["minister".to_string(), "secretary".to_string()]);
    Patterns {
        office_last_words,
        // "...US Secretary of State " right before the name.
        before: build(&format!(
            r"(?i)(?:^|[\s(“‘\x22,;])(?:(?P<lead>(?:(?:{quals})\s+)*)(?P<owner>{owner})(?:’s|'s)?\s+)??(?P<quals>(?:(?:{quals})[\s-]+)*)(?P<office>{named_offices})\.?\s*$"
        )),
        // ", who also serves as acting national security adviser ..."
        after: build(&format!(
            r"(?i)^\s*(?P<aff>\([^)]{{1,24}}\))?,\s+(?:who\s+(?:also\s+|is\s+also\s+|has\s+also\s+)?(?:serves|served|is|was|has\s+been|had\s+been|became)\s+(?:also\s+)?(?:as\s+)?|now\s+|then\s+|currently\s+)?(?:(?:a|an|the)\s+)?(?:(?P<owner>{owner})(?:’s|'s)\s+)?(?P<quals>(?:(?:{quals})[\s-]+)*)(?P<office>{named_offices})(?-u:\b)(?P<rest>(?:\s+(?:of|for|at|to|under|in|on)\s+[^,.;:“”\x22]{{1,80}})?)"
        )),
        // "the Chairman of the Joint Chiefs of Staff of the US Armed
        // Forces, General " before the name.
        office_of: build(
            r"(?i)(?:^|[\s,])(?:the\s+)?(?P<office>(?-i:[A-Z])[a-z]+(?:\s+(?-i:[A-Z])[a-z]+)?)\s+of\s+(?P<of>[^,;]{3,90}?),\s*(?P<rank>(?:general|gen\.|admiral|adm\.|lieutenant\s+general|lt\.\s+gen\.|colonel|col\.|commander)\s+)?$",
        ),
        affiliation: build(r"^\s*\((?P<aff>[RDI]-[A-Z][\w.]*)\)"),
        and_more: build(&format!(
            r"(?i)^\s+and\s+(?P<quals>(?:(?:{quals})[\s-]+)*)(?P<office>{offices})(?-u:\b)"
        )),
    }
}

fn normalise_office(lexicon: &Lexicon, written: &str) -> String {
    let lower = written
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches('.')
        .to_string();
    let with_dot = format!("{lower}.");
    if let Some(office) = lexicon.office(&lower).or_else(|| lexicon.office(&with_dot)) {
        return office.to_string();
    }
    let spelled = lower
        .replace("advisor", "adviser")
        .replace("defence", "defense")
        .replace("programme", "program");
    lexicon
        .office(&spelled)
        .map_or(spelled.clone(), str::to_string)
}

fn qualifiers(text: &str) -> Vec<String> {
    let mut quals: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    quals.sort();
    quals.dedup();
    quals
}

fn owner_name(lexicon: &Lexicon, owner: &str) -> String {
    match lexicon.gazetteer(owner) {
        Some(entry) if entry.kind == GazetteerKind::Place || entry.kind == GazetteerKind::Org => {
            entry.canonical.clone()
        }
        _ => owner.to_string(),
    }
}

/// Finds roles attached to the person mentions of each sentence.
pub fn extract_roles(
    text: &str,
    sentences: &[Range<usize>],
    entities: &[EntityMention],
) -> Vec<RoleMention> {
    let lexicon = Lexicon::builtin();
    let p = patterns();
    let mut roles = Vec::new();
    // `extract_entities` gives mentions in text order; then each sentence
    // reads only its own stretch of the list, not the whole list (which
    // made this stage quadratic in the length of a document). Any other
    // order falls back to reading the whole list, with the same result.
    let in_order = entities.iter().all(|e| e.start <= e.end)
        && entities.windows(2).all(|w| w[0].start <= w[1].start);
    for sentence in sentences {
        let candidates = if in_order {
            let from = entities.partition_point(|e| e.start < sentence.start);
            let to = from + entities[from..].partition_point(|e| e.start <= sentence.end);
            &entities[from..to]
        } else {
            entities
        };
        // An unknown single name followed by an office apposition ("Rubio,
        // who serves as ...") is a person too; the apposition says so.
        let people = candidates.iter().filter(|e| {
            matches!(e.kind, EntityKind::Person | EntityKind::Unknown)
                && sentence.start <= e.start
                && e.end <= sentence.end
        });
        for person in people {
            let Some(before) = text.get(sentence.start..person.start) else {
                continue;
            };
            let Some(after) = text.get(person.end..sentence.end) else {
                continue;
            };
            // Both patterns read after the name start with a bracket or a
            // comma past any white space; most names are followed by
            // neither, and skip the regex searches.
            let next_char = after.trim_start().chars().next();
            let affiliation_match = if next_char == Some('(') {
                p.affiliation.captures(after)
            } else {
                None
            };
            let affiliation = affiliation_match
                .as_ref()
                .and_then(|c| c.name("aff"))
                .map(|m| m.as_str().to_string());
            let after_affiliation = affiliation_match
                .as_ref()
                .and_then(|c| c.get(0))
                .map_or(0, |m| m.end());
            let base = |start: usize, end: usize, how: &'static str| RoleMention {
                start,
                end,
                text: text[start..end].to_string(),
                person: person.canonical.clone(),
                person_start: person.start,
                person_end: person.end,
                office: String::new(),
                office_text: String::new(),
                qualifiers: Vec::new(),
                of: None,
                affiliation: affiliation.clone(),
                how,
            };
            // Look back only a bounded window: offices sit right before
            // the name.
            let window_start =
                crate::text::floor_char_boundary(before, before.len().saturating_sub(160));
            let window = &before[window_start..];
            if person.kind == EntityKind::Person {
                // Only the apposition below may type an unknown name.
                let office_of = may_end_with_office_of(window)
                    .then(|| p.office_of.captures(window))
                    .flatten();
                if let Some(c) = office_of {
                    if let (Some(office), Some(of)) = (c.name("office"), c.name("of")) {
                        let start = sentence.start + window_start + office.start();
                        let mut role = base(start, person.end, "office-of-comma");
                        let written = format!("{} of {}", office.as_str(), of.as_str());
                        role.office_text = written.clone();
                        role.office = normalise_office(lexicon, &written);
                        if is_head_office(office.as_str()) {
                            roles.push(role);
                        }
                    }
                }
                let before_office = p
                    .office_last_words
                    .contains(&last_word_lower(window))
                    .then(|| p.before.captures(window))
                    .flatten();
                if let Some(c) = before_office {
                    if let Some(office) = c.name("office") {
                        let start_in_window = c
                            .name("lead")
                            .filter(|q| !q.as_str().is_empty())
                            .or_else(|| c.name("owner"))
                            .or_else(|| c.name("quals").filter(|q| !q.as_str().is_empty()))
                            .map_or(office.start(), |m| m.start());
                        let start = sentence.start + window_start + start_in_window;
                        let mut role = base(start, person.end, "before-name");
                        role.office_text = office.as_str().trim_end_matches('.').to_string();
                        role.office = normalise_office(lexicon, office.as_str());
                        // "Interim D.C. Police Chief": a qualifier may
                        // stand before the owner as well as after it.
                        role.qualifiers = qualifiers(&format!(
                            "{} {}",
                            c.name("lead").map_or("", |m| m.as_str()),
                            c.name("quals").map_or("", |m| m.as_str())
                        ));
                        role.of = c
                            .name("owner")
                            .map(|m| owner_name(lexicon, m.as_str()))
                            .filter(|o| !is_generic_owner(o));
                        // "President Vladimir V. Putin of Russia"
                        if role.of.is_none() {
                            role.of = of_place_after(lexicon, after);
                        }
                        if accept_office(&role.office) {
                            roles.push(role);
                        }
                    }
                }
            }
            let apposition = &after[after_affiliation..];
            let may_follow = apposition.trim_start().starts_with([',', '(']);
            if let Some(c) = may_follow.then(|| p.after.captures(apposition)).flatten() {
                let (Some(office), Some(whole)) = (c.name("office"), c.get(0)) else {
                    continue;
                };
                let end = person.end + after_affiliation + whole.end();
                // "Dan Kane, the Commander of ..., General Alexus
                // Grinkevich": an apposition that runs into the next
                // name of a list belongs to that name.
                if text
                    .get(end..sentence.end)
                    .is_some_and(|rest| next_listed_name().is_match(rest))
                {
                    continue;
                }
                let mut role = base(person.start, end, "apposition");
                role.office_text = office.as_str().to_string();
                role.office = normalise_office(lexicon, office.as_str());
                role.qualifiers = qualifiers(c.name("quals").map_or("", |m| m.as_str()));
                role.of = c
                    .name("owner")
                    .map(|m| owner_name(lexicon, m.as_str()))
                    .or_else(|| c.name("rest").and_then(|r| rest_owner(lexicon, r.as_str())));
                if !accept_office(&role.office) {
                    continue;
                }
                let tail_start = person.end + after_affiliation + office.end();
                roles.push(role.clone());
                // "secretary of state and national security adviser"
                let mut cursor = tail_start;
                while let Some(more) = text
                    .get(cursor..sentence.end)
                    .and_then(|t| p.and_more.captures(t))
                {
                    let (Some(office), Some(whole)) = (more.name("office"), more.get(0)) else {
                        break;
                    };
                    let mut next = role.clone();
                    next.end = cursor + whole.end();
                    next.text = text[next.start..next.end].to_string();
                    next.office_text = office.as_str().to_string();
                    next.office = normalise_office(lexicon, office.as_str());
                    next.qualifiers = qualifiers(more.name("quals").map_or("", |m| m.as_str()));
                    cursor = next.end;
                    if accept_office(&next.office) {
                        roles.push(next);
                    }
                }
            }
        }
    }
    roles.sort_by(|a, b| (a.start, a.end, &a.office).cmp(&(b.start, b.end, &b.office)));
    roles.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.office == b.office);
    roles
}

fn next_listed_name() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[^,;]{0,80},\s*(?:(?:General|Gen\.|Admiral|Adm\.|Lt\.|Colonel|Col\.|Dr\.|Mr\.|Ms\.)\s+)?[A-Z][a-z]+\s+[A-Z][a-z]+")
            .unwrap_or_else(|e| panic!("list regex: {e}"))
    })
}

/// Words that look like an owner before an office but are not one
/// ("The", sentence starters).
fn is_generic_owner(owner: &str) -> bool {
    matches!(
        owner.to_lowercase().as_str(),
        "the" | "a" | "an" | "former" | "then" | "and" | "but" | "as" | "his" | "her" | "their"
    )
}

/// A bare "minister"/"secretary" with nothing before it says too little
/// to compare; everything else is kept.
fn accept_office(office: &str) -> bool {
    !office.is_empty() && office != "minister"
}

fn is_head_office(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "chairman"
            | "chair"
            | "commander"
            | "head"
            | "director"
            | "chief"
            | "secretary"
            | "president"
            | "leader"
            | "governor"
            | "minister"
            | "chancellor"
            | "ambassador"
            | "envoy"
    )
}

fn of_place_after(lexicon: &Lexicon, after: &str) -> Option<String> {
    let rest = after.trim_start().strip_prefix("of ")?;
    let name: String = rest
        .split([',', '.', ';'])
        .next()?
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    lexicon
        .gazetteer(&name)
        .filter(|e| e.kind == GazetteerKind::Place)
        .map(|e| e.canonical.clone())
}

/// "to US President Donald Trump", "under Donald Trump", "at the Council
/// on Foreign Relations": the owner named after the office.
fn rest_owner(lexicon: &Lexicon, rest: &str) -> Option<String> {
    // A relative clause ends the owner: "at the Atlantic Council who
    // worked on ..." names the Atlantic Council.
    let rest = rest.split(" who ").next().unwrap_or(rest).trim();
    let (_, tail) = rest.split_once(' ')?;
    let tail = tail.trim_start_matches("the ").trim();
    if tail.is_empty() {
        return None;
    }
    Some(
        lexicon
            .gazetteer(tail)
            .map_or_else(|| tail.to_string(), |e| e.canonical.clone()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entity::extract_entities;

    /// Every group span of `re` on `hay`, or `None` without a match.
    fn spans(re: &Regex, hay: &str) -> Option<Vec<Option<(usize, usize)>>> {
        re.captures(hay)
            .map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
    }

    #[test]
    fn the_office_trie_reads_what_the_office_list_reads() {
        let lexicon = Lexicon::builtin();
        let trie = patterns();
        let list = build_patterns(lexicon, &office_alternatives(lexicon));
        // Windows as `extract_roles` gives them: the text before a
        // capitalised word (for `before`) and the text after a word (for
        // `after`), in real news and in a soup of offices and near-misses.
        let mut texts: Vec<String> = crate::text::testing::news_documents(true)
            .into_iter()
            .take(400)
            .map(|d| d.text)
            .collect();
        let pieces = [
            "Secretary of State ",
            "secretary of ",
            "state ",
            "Defense Secretary ",
            "Lt. ",
            "Gen.",
            "acting ",
            "former ",
            "US ",
            "Ukraine's ",
            "Prime Minister ",
            "foreign minister ",
            "national security adviser",
            "adviser ",
            ", who serves as ",
            ", the ",
            "Marco Rubio",
            "Chief ",
            "police chief",
            " of ",
            "Deputy ",
            "Sheriff ",
            "sheriff's ",
            "\u{212A}",
            "\n",
            ". ",
            "  ",
            "minister",
            "Secretary",
            "Rep. ",
            "(R-Neb.)",
            "Mayor",
            "Kelvin ",
            "x",
        ];
        let mut next = crate::text::testing::xorshift(0x5eed_0ff1ce);
        texts.extend((0..3000).map(|_| crate::text::testing::soup(&mut next, &pieces, 12)));
        let mut compared = 0;
        let mut matched = 0;
        for text in &texts {
            let starts = text
                .char_indices()
                .filter(|&(i, c)| {
                    (c.is_uppercase() || c == ',')
                        && text[..i].ends_with(|p: char| !p.is_alphanumeric())
                })
                .map(|(i, _)| i);
            for at in starts {
                let window_start = crate::text::floor_char_boundary(text, at.saturating_sub(160));
                let window = &text[window_start..at];
                let rest = &text[at..];
                let rest = &rest[..crate::text::floor_char_boundary(rest, 200)];
                for (a, b, hay) in [
                    (&trie.before, &list.before, window),
                    (&trie.after, &list.after, rest),
                ] {
                    let got = spans(a, hay);
                    assert_eq!(got, spans(b, hay), "{hay:?}");
                    compared += 1;
                    matched += usize::from(got.is_some());
                }
            }
        }
        assert!(
            compared > 10_000 && matched > 50,
            "{compared} windows, {matched} matches"
        );
    }

    fn roles(text: &str) -> Vec<(String, String, Option<String>)> {
        let sentences = [0..text.len()];
        let entities = extract_entities(text, &sentences);
        extract_roles(text, &sentences, &entities)
            .into_iter()
            .map(|r| (r.person.clone(), r.value(), r.of))
            .collect()
    }

    fn role(person: &str, value: &str, of: Option<&str>) -> (String, String, Option<String>) {
        (person.into(), value.into(), of.map(str::to_string))
    }

    #[test]
    fn extract_roles_reads_offices_before_names_with_owner() {
        assert_eq!(
            roles("US Secretary of State Marco Rubio spoke."),
            [role(
                "Marco Rubio",
                "secretary of state",
                Some("United States")
            )]
        );
        assert_eq!(
            roles("Russian Foreign Minister Sergey Lavrov said no."),
            [role("Sergey Lavrov", "foreign minister", Some("Russia"))]
        );
    }

    #[test]
    fn extract_roles_keeps_a_qualifier_written_before_the_owner() {
        let found = roles("It was fired, said Interim D.C. Police Chief Peter Newsham.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "Peter Newsham");
        assert_eq!(found[0].1, "interim police chief");
        assert_ne!(found[0].2.as_deref(), Some("Interim D.C."));
    }

    #[test]
    fn extract_roles_treats_defence_secretary_and_defense_minister_as_one_office() {
        let a = roles("British Defense Minister John Healey reiterated the offer.");
        let b = roles("UK Defence Secretary John Healey reiterated the offer.");
        assert_eq!(
            a,
            [role(
                "John Healey",
                "defense minister",
                Some("United Kingdom")
            )]
        );
        assert_eq!(a, b);
    }

    #[test]
    fn extract_roles_keeps_qualifiers_in_appositions() {
        assert_eq!(
            roles("During a call, Rubio, who also serves as acting national security adviser under Donald Trump, spoke."),
            [role("Rubio", "acting national security adviser", Some("Donald Trump"))]
        );
        assert_eq!(
            roles("Rubio, who also serves as national security advisor to US President Donald Trump, did not."),
            [
                role("Rubio", "national security adviser", Some("US President Donald Trump")),
                role("Donald Trump", "president", Some("United States")),
            ]
        );
    }

    #[test]
    fn extract_roles_reads_two_offices_joined_by_and() {
        let found = roles("By his own admission, Mr. Rubio, now President Trump’s secretary of state and national security adviser, has changed.");
        assert!(
            found.contains(&role(
                "Rubio",
                "secretary of state",
                Some("President Trump")
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&role(
                "Rubio",
                "national security adviser",
                Some("President Trump")
            )),
            "{found:?}"
        );
    }

    #[test]
    fn extract_roles_reads_fellows_and_ranks() {
        assert_eq!(
            roles("“It works,” said Liana Fix, a fellow for Europe at the Council on Foreign Relations."),
            [role("Liana Fix", "fellow", Some("Europe at the Council on Foreign Relations"))]
        );
        let found = roles("A meeting was held between the Chairman of the Joint Chiefs of Staff of the US Armed Forces, General Dan Kane, and others.");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|r| r.0 == "Dan Kane"), "{found:?}");
        assert!(
            found[0]
                .1
                .starts_with("chairman of the joint chiefs of staff"),
            "{found:?}"
        );
        assert_eq!(found[1].1, "general");
    }

    #[test]
    fn extract_roles_reads_party_affiliation() {
        let text = "“No,” said Rep. Don Bacon (R-Neb.), referring to it.";
        let sentences = [0..text.len()];
        let entities = extract_entities(text, &sentences);
        let found = extract_roles(text, &sentences, &entities);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].office, "representative");
        assert_eq!(found[0].affiliation.as_deref(), Some("R-Neb."));
    }

    #[test]
    fn extract_roles_ignores_offices_not_attached_to_a_person() {
        assert_eq!(
            roles("The president said the secretary of state would travel."),
            []
        );
    }
}
