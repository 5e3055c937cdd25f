//! Line rules that mark page furniture (adverts, widgets, navigation,
//! footers) so later stages skip it. The rules are data
//! (`rules/lexicon/boilerplate.toml`): they describe line shapes and keyword
//! lists, not any one outlet's strings.

use regex_automata::meta::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

const RULES_TOML: &str = include_str!("../../rules/lexicon/boilerplate.toml");

/// How far a matching rule reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Only the matching line.
    Line,
    /// The matching line and everything after it.
    Tail,
}

// `examples` and `near_misses` are read only by the tests, which run them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(not(test), allow(dead_code))]
struct RuleSpec {
    name: String,
    scope: Scope,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    near_misses: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleSpec>,
}

/// One compiled boilerplate rule.
#[derive(Debug)]
pub struct LineRule {
    pub name: String,
    pub scope: Scope,
    /// The pattern's top-level alternatives, split by anchoring: a line
    /// matches the rule when it matches any part. One regex over them all
    /// scans every line to its end looking for the unanchored ones ("...
    /// views$" at the end, "^read more" at the start); apart, the
    /// alternatives tied to the line's start stop after a few bytes, and
    /// those tied to its end are searched backwards from it (GVA: the
    /// rules' searches took 64 instructions per byte of text).
    start: Option<Regex>,
    end: Option<Regex>,
    rest: Option<Regex>,
}

impl LineRule {
    /// Whether `line` matches; `start_possible` and `rest_possible` say
    /// whether any rule's start-anchored or unanchored part can match it.
    fn is_match(
        &self,
        line: &str,
        start_possible: bool,
        rest_possible: &mut dyn FnMut() -> bool,
    ) -> bool {
        (start_possible
            && self
                .start
                .as_ref()
                .is_some_and(|r| r.is_match(anchored(line))))
            || self.end.as_ref().is_some_and(|r| r.is_match(line))
            || self
                .rest
                .as_ref()
                .is_some_and(|r| rest_possible() && r.is_match(line))
    }
}

/// The compiled rule list, in file order.
#[derive(Debug)]
pub struct BoilerplateRules {
    rules: Vec<LineRule>,
    /// The start-anchored and the unanchored parts of all the rules at
    /// once: article text matches none of them, which one search each
    /// tells instead of one search per rule.
    start_any: Option<Gate>,
    rest_any: Option<Gate>,
}

fn anchored(line: &str) -> regex_automata::Input<'_> {
    regex_automata::Input::new(line).anchored(regex_automata::Anchored::Yes)
}

type CachePool = regex_automata::util::pool::Pool<
    regex_automata::hybrid::dfa::Cache,
    Box<
        dyn Fn() -> regex_automata::hybrid::dfa::Cache
            + Send
            + Sync
            + std::panic::RefUnwindSafe
            + std::panic::UnwindSafe,
    >,
>;

/// A forward lazy DFA that tells whether a line may match (a gate only
/// needs to say no for sure): no reverse automaton nor the other engines
/// a full regex builds, which cost start-up time.
struct Gate {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: CachePool,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate").finish_non_exhaustive()
    }
}

impl Gate {
    fn new(parts: Vec<regex_syntax::hir::Hir>) -> Result<Gate, String> {
        use regex_automata::{hybrid::dfa::DFA, nfa::thompson};
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(1 << 24))
                    .which_captures(thompson::WhichCaptures::None),
            )
            .build_from_hir(&regex_syntax::hir::Hir::alternation(parts))
            .map_err(|e| e.to_string())?;
        let dfa = DFA::builder()
            .configure(DFA::config().cache_capacity(16 << 20))
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let for_cache = dfa.clone();
        let caches: CachePool =
            regex_automata::util::pool::Pool::new(Box::new(move || for_cache.create_cache()));
        Ok(Gate { dfa, caches })
    }

    /// False only when no part can match `input`.
    fn may_match(&self, input: regex_automata::Input<'_>) -> bool {
        let mut cache = self.caches.get();
        self.dfa
            .try_search_fwd(&mut cache, &input.earliest(true))
            .map_or(true, |found| found.is_some())
    }
}

impl BoilerplateRules {
    /// The rules shipped with the binary. They are validated by the tests
    /// below, so a failure here is a build defect, not an input problem.
    pub fn builtin() -> &'static BoilerplateRules {
        static RULES: OnceLock<BoilerplateRules> = OnceLock::new();
        RULES.get_or_init(|| {
            parse(RULES_TOML).unwrap_or_else(|e| panic!("built-in boilerplate rules: {e}"))
        })
    }

    /// The first rule matching `line` (already trimmed).
    pub fn classify(&self, line: &str) -> Option<&LineRule> {
        let start_possible = self
            .start_any
            .as_ref()
            .is_some_and(|g| g.may_match(anchored(line)));
        let mut possible: Option<bool> = None;
        let mut rest_possible = || {
            *possible.get_or_insert_with(|| {
                self.rest_any
                    .as_ref()
                    .is_some_and(|g| g.may_match(regex_automata::Input::new(line)))
            })
        };
        self.rules
            .iter()
            .find(|r| r.is_match(line, start_possible, &mut rest_possible))
    }
}

/// A rule's parts: anchored at the start, at the end, neither (the last
/// also as the syntax tree, for the rules' union).
type Parts = (
    Option<(Regex, regex_syntax::hir::Hir)>,
    Option<Regex>,
    Option<(Regex, regex_syntax::hir::Hir)>,
);

/// A rule's pattern (case-insensitive) as up to three regexes: the
/// top-level alternatives anchored at the line's start, those anchored at
/// its end only, and the rest.
fn compile_parts(pattern: &str) -> Result<Parts, String> {
    use regex_syntax::hir::{Hir, HirKind, Look};
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    // "(a)|(b)" is an alternation of groups; "(a|b)" one group around it.
    fn branches(hir: &Hir, out: &mut Vec<Hir>) {
        match hir.kind() {
            HirKind::Alternation(subs) => subs.iter().for_each(|sub| branches(sub, out)),
            HirKind::Capture(capture) if matches!(capture.sub.kind(), HirKind::Alternation(_)) => {
                branches(&capture.sub, out)
            }
            _ => out.push(hir.clone()),
        }
    }
    // Groups only count here; their numbers would no longer run 1, 2, ...
    // once the alternatives are apart.
    fn without_groups(hir: &Hir) -> Hir {
        match hir.kind() {
            HirKind::Capture(capture) => without_groups(&capture.sub),
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_groups).collect()),
            HirKind::Alternation(subs) => {
                Hir::alternation(subs.iter().map(without_groups).collect())
            }
            HirKind::Repetition(rep) => Hir::repetition(regex_syntax::hir::Repetition {
                sub: Box::new(without_groups(&rep.sub)),
                min: rep.min,
                max: rep.max,
                greedy: rep.greedy,
            }),
            _ => hir.clone(),
        }
    }
    let mut all = Vec::new();
    branches(&hir, &mut all);
    let (mut start, mut end, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for branch in all.iter().map(without_groups) {
        let props = branch.properties();
        if props.look_set_prefix().contains(Look::Start) {
            start.push(branch);
        } else if props.look_set_suffix().contains(Look::End) {
            end.push(branch);
        } else {
            rest.push(branch);
        }
    }
    let build = |parts: Vec<Hir>| -> Result<Option<(Regex, Hir)>, String> {
        if parts.is_empty() {
            return Ok(None);
        }
        let hir = Hir::alternation(parts);
        Ok(Some((build_regex(&hir)?, hir)))
    };
    let first = |part: Option<(Regex, Hir)>| part.map(|(regex, _)| regex);
    Ok((build(start)?, first(build(end)?), build(rest)?))
}

fn build_regex(hir: &regex_syntax::hir::Hir) -> Result<Regex, String> {
    let config = Regex::config()
        .nfa_size_limit(Some(1 << 22))
        // Unicode classes under (?i) make many DFA states; with the 2 MB
        // default the lazy DFA gives up on long lines and every line pays
        // a backtracker fallback (7x slower on the byline rule). The cache
        // only grows as far as the text needs.
        .hybrid_cache_capacity(16 << 20);
    Regex::builder()
        .configure(config)
        .build_from_hir(hir)
        .map_err(|e| e.to_string())
}

fn parse(source: &str) -> Result<BoilerplateRules, String> {
    let file: RuleFile = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut rules = Vec::with_capacity(file.rule.len());
    let (mut starts, mut rests) = (Vec::new(), Vec::new());
    for spec in file.rule {
        let (start, end, rest) =
            compile_parts(&spec.pattern).map_err(|e| format!("rule {}: {e}", spec.name))?;
        let start = start.map(|(regex, hir)| {
            starts.push(hir);
            regex
        });
        let rest = rest.map(|(regex, hir)| {
            rests.push(hir);
            regex
        });
        rules.push(LineRule {
            name: spec.name,
            scope: spec.scope,
            start,
            end,
            rest,
        });
    }
    let union = |parts: Vec<regex_syntax::hir::Hir>| match parts.is_empty() {
        true => Ok(None),
        false => Gate::new(parts)
            .map(Some)
            .map_err(|e| format!("boilerplate rules together: {e}")),
    };
    Ok(BoilerplateRules {
        rules,
        start_any: union(starts)?,
        rest_any: union(rests)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<RuleSpec> {
        toml::from_str::<RuleFile>(RULES_TOML)
            .expect("boilerplate.toml parses")
            .rule
    }

    #[test]
    fn patterns_use_ascii_word_boundaries() {
        // A Unicode \b makes the lazy DFA quit on non-ASCII text; the
        // fallback cost ~500 instructions per byte of every article.
        for spec in specs() {
            let bare = spec.pattern.replace("(?-u:\\b)", "");
            assert!(
                !bare.contains("\\b"),
                "rule {}: write \\b as (?-u:\\b)",
                spec.name
            );
        }
    }

    #[test]
    fn builtin_rules_compile() {
        assert!(!BoilerplateRules::builtin().rules.is_empty());
    }

    #[test]
    fn every_rule_has_examples_and_near_misses() {
        for spec in specs() {
            assert!(!spec.examples.is_empty(), "{} has no examples", spec.name);
            assert!(
                !spec.near_misses.is_empty(),
                "{} has no near misses",
                spec.name
            );
        }
    }

    #[test]
    fn examples_match_their_own_rule() {
        let rules = BoilerplateRules::builtin();
        for spec in specs() {
            for example in &spec.examples {
                let hit = rules.classify(example.trim()).map(|r| r.name.as_str());
                assert_eq!(hit, Some(spec.name.as_str()), "example {example:?}");
            }
        }
    }

    #[test]
    fn near_misses_match_no_rule() {
        let rules = BoilerplateRules::builtin();
        for spec in specs() {
            for line in &spec.near_misses {
                let hit = rules.classify(line.trim()).map(|r| r.name.clone());
                assert_eq!(hit, None, "near miss {line:?} (listed under {})", spec.name);
            }
        }
    }

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for spec in specs() {
            assert!(
                spec.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                spec.name
            );
            assert!(seen.insert(spec.name.clone()), "duplicate {}", spec.name);
        }
    }
}
