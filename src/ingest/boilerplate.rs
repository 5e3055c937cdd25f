//! Line rules that mark page furniture (adverts, widgets, navigation,
//! footers) so later stages skip it. The rules are data
//! (`rules/lexicon/boilerplate.toml`): they describe line shapes and keyword
//! lists, not any one outlet's strings.

use regex::{Regex, RegexBuilder};
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
    regex: Regex,
}

/// The compiled rule list, in file order.
#[derive(Debug)]
pub struct BoilerplateRules {
    rules: Vec<LineRule>,
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
        self.rules.iter().find(|r| r.regex.is_match(line))
    }
}

fn parse(source: &str) -> Result<BoilerplateRules, String> {
    let file: RuleFile = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut rules = Vec::with_capacity(file.rule.len());
    for spec in file.rule {
        let regex = RegexBuilder::new(&spec.pattern)
            .case_insensitive(true)
            .size_limit(1 << 22)
            // Unicode classes under (?i) make many DFA states; with the 2 MB
            // default the lazy DFA gives up on long lines and every line pays
            // a backtracker fallback (7x slower on the byline rule). The
            // cache only grows as far as the text needs.
            .dfa_size_limit(16 << 20)
            .build()
            .map_err(|e| format!("rule {}: {e}", spec.name))?;
        rules.push(LineRule {
            name: spec.name,
            scope: spec.scope,
            regex,
        });
    }
    Ok(BoilerplateRules { rules })
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
