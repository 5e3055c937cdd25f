//! The diff's rules: one per comparison the diff makes. Their codes,
//! severities, messages and thresholds are data (`rules/diff/*.toml`,
//! `kind = "diff"`), loaded with `check`'s rules so that `crosscheck
//! rules` lists them and `--rules DIR`, the config's `[check]` table and
//! `--select/--ignore` change or silence them; the code here names each
//! comparison by its id.

use crate::check::spec::{self, Rule};
use std::sync::OnceLock;

/// One comparison of the diff, by the id of its rule file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffRule {
    pub id: &'static str,
}

const fn rule(id: &'static str) -> DiffRule {
    DiffRule { id }
}

pub const CHANGED_DATE: DiffRule = rule("diff-changed-date");
pub const CHANGED_WEEKDAY: DiffRule = rule("diff-changed-weekday");
pub const CHANGED_NUMBER: DiffRule = rule("diff-changed-number");
pub const CHANGED_HEDGE: DiffRule = rule("diff-changed-hedge");
pub const CHANGED_QUALIFIER: DiffRule = rule("diff-changed-role-qualifier");
pub const QUOTE_REWORDED: DiffRule = rule("diff-quote-reworded");
pub const CHANGED_NEGATION: DiffRule = rule("diff-changed-negation");
pub const CHANGED_NAME: DiffRule = rule("diff-changed-name");
pub const ADDED_QUOTE: DiffRule = rule("diff-added-quote");
pub const ADDED_NUMBER: DiffRule = rule("diff-added-number");
pub const ADDED_DATE: DiffRule = rule("diff-added-date");
pub const ADDED_NAME: DiffRule = rule("diff-added-name");
pub const CHANGED_TERM: DiffRule = rule("diff-changed-term");
pub const DROPPED: DiffRule = rule("diff-dropped-fact");
pub const EQUIVALENT_TITLE: DiffRule = rule("diff-equivalent-title");
pub const EQUIVALENT_SPELLING: DiffRule = rule("diff-equivalent-spelling");

/// Every comparison; a `kind = "diff"` rule file must name one of them.
pub const ALL: &[DiffRule] = &[
    CHANGED_DATE,
    CHANGED_WEEKDAY,
    CHANGED_NUMBER,
    CHANGED_HEDGE,
    CHANGED_QUALIFIER,
    QUOTE_REWORDED,
    CHANGED_NEGATION,
    CHANGED_NAME,
    ADDED_QUOTE,
    ADDED_NUMBER,
    ADDED_DATE,
    ADDED_NAME,
    CHANGED_TERM,
    DROPPED,
    EQUIVALENT_TITLE,
    EQUIVALENT_SPELLING,
];

/// The built-in diff rules, parsed once.
pub fn builtin() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        spec::BUILTIN
            .iter()
            .filter_map(|(path, text)| spec::parse_rule(text, path).ok())
            .filter(Rule::is_diff)
            .collect()
    })
}

/// The diff rules among `rules` (a list may mix `check`'s and the diff's).
pub fn of(rules: &[Rule]) -> Vec<Rule> {
    rules.iter().filter(|r| r.is_diff()).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_comparison_has_one_builtin_rule_file_and_back() {
        let loaded = builtin();
        assert_eq!(loaded.len(), ALL.len());
        for r in ALL {
            assert!(
                loaded.iter().any(|l| l.spec.id == r.id),
                "{} has no rules/diff file",
                r.id
            );
        }
        for l in loaded {
            assert!(l.origin.starts_with("rules/diff/"), "{}", l.origin);
            assert!(l.spec.code.starts_with('C'), "{}", l.spec.code);
        }
    }

    #[test]
    fn a_diff_rule_file_must_name_a_comparison() {
        let text = spec::BUILTIN
            .iter()
            .find(|(p, _)| p.ends_with("diff-added-name.toml"))
            .map(|(_, t)| t.replace("diff-added-name", "diff-added-colour"))
            .unwrap_or_default();
        let err = spec::parse_rule(&text, "x.toml").unwrap_err();
        assert!(
            err.starts_with("x.toml:1: diff rule id \"diff-added-colour\""),
            "{err}"
        );
        assert!(err.contains("diff-added-name"), "{err}");
    }
}
