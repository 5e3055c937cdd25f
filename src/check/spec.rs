//! Rule files: one TOML file per rule under `rules/<family>/`, compiled
//! into the binary, extendable with `--rules DIR`. Unknown keys and bad
//! values are errors naming `file:line` and the valid choices.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The closed set of rule kinds; each `check` kind has one file in
/// `check/kinds/`. `diff` rules are read by `crosscheck diff` only (see
/// `diff::rules`): one per comparison the diff makes, so that their
/// severities, messages and thresholds are data like `check`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Conflict,
    Calendar,
    Window,
    Drift,
    Variant,
    Diff,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Conflict => "conflict",
            Kind::Calendar => "calendar",
            Kind::Window => "window",
            Kind::Drift => "drift",
            Kind::Variant => "variant",
            Kind::Diff => "diff",
        }
    }
}

/// How serious a finding is; also the `--fail-on` threshold.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What a rule says about itself, for `crosscheck rules ID`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what: String,
    pub why: String,
    pub example: String,
    pub near_miss: String,
}

/// Every parameter any kind takes; each kind reads its own. Unknown
/// parameters are rejected when the file is read.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// conflict (dates): severity when only implied parts disagree.
    pub implied_severity: Option<Severity>,
    /// conflict (counts): two counts are of one set only within this ratio;
    /// (ages): two ages are of one person only within it.
    pub max_ratio: Option<f64>,
    /// conflict (counts): the ratio for counts whose sentence says nothing
    /// about what happened to the counted things ("three handguns").
    pub max_ratio_plain: Option<f64>,
    /// conflict (counts): exact counts agree within this relative gap.
    pub relative_tolerance: Option<f64>,
    /// conflict (ages): ages one year apart agree when the reports are
    /// more than this many days apart (a birthday may fall between).
    pub birthday_after_days: Option<i64>,
    /// window: days from the story window before a date is reported.
    pub max_days: Option<i64>,
    /// drift / variant: similarity from which two strings are variants.
    pub min_similarity: Option<f64>,
}

/// A rule file as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub code: String,
    pub kind: Kind,
    pub severity: Severity,
    /// The claim attribute the rule reads: date, count, role, quote,
    /// spelling.
    pub attribute: String,
    pub summary: String,
    pub message: String,
    /// Optional regex: only keys whose subject matches are checked.
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub params: Params,
    pub docs: Docs,
}

/// A loaded, validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    pub subject: Option<Regex>,
    /// Where it came from: `builtin:rules/...` or a path.
    pub origin: String,
}

const ATTRIBUTES: &[&str] = &["date", "count", "role", "quote", "spelling", "place", "age"];

/// What a `diff` rule compares.
const DIFF_ATTRIBUTES: &[&str] = &[
    "date", "weekday", "count", "hedge", "role", "quote", "negation", "name", "term", "fact",
    "title", "spelling",
];

impl Rule {
    /// Whether the rule belongs to `crosscheck diff` rather than `check`.
    pub fn is_diff(&self) -> bool {
        self.spec.kind == Kind::Diff
    }
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `key = ` is written, for errors about a valid value.
fn line_of_key(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// Parses and validates one rule file. Errors read `origin:line: message`.
pub fn parse_rule(text: &str, origin: &str) -> Result<Rule, String> {
    let spec: RuleSpec = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        format!("{origin}:{line}: {}", e.message().trim())
    })?;
    let fail =
        |key: &str, message: String| format!("{origin}:{}: {message}", line_of_key(text, key));
    let kebab = !spec.id.is_empty()
        && spec
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !spec.id.starts_with('-')
        && !spec.id.ends_with('-');
    if !kebab {
        return Err(fail(
            "id",
            format!("id {:?} must be kebab-case (a-z, 0-9, -)", spec.id),
        ));
    }
    let code_ok = spec.code.len() == 4
        && spec
            .code
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
        && spec.code.chars().skip(1).all(|c| c.is_ascii_digit());
    if !code_ok {
        return Err(fail(
            "code",
            format!(
                "code {:?} must be a capital letter and three digits (e.g. D001)",
                spec.code
            ),
        ));
    }
    let attributes = if spec.kind == Kind::Diff {
        DIFF_ATTRIBUTES
    } else {
        ATTRIBUTES
    };
    if !attributes.contains(&spec.attribute.as_str()) {
        return Err(fail(
            "attribute",
            format!(
                "attribute {:?} is not one of: {}",
                spec.attribute,
                attributes.join(", ")
            ),
        ));
    }
    // A diff rule configures one comparison the diff makes; an id the diff
    // does not know would load and never report anything.
    if spec.kind == Kind::Diff && !crate::diff::rules::ALL.iter().any(|r| r.id == spec.id) {
        let known: Vec<&str> = crate::diff::rules::ALL.iter().map(|r| r.id).collect();
        return Err(fail(
            "id",
            format!(
                "diff rule id {:?} is not one of the diff's comparisons: {}",
                spec.id,
                known.join(", ")
            ),
        ));
    }
    let subject = match &spec.subject {
        None => None,
        Some(pattern) => Some(
            regex::RegexBuilder::new(pattern)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| fail("subject", format!("subject is not a valid regex: {e}")))?,
        ),
    };
    if let Some(ratio) = spec.params.max_ratio {
        if ratio.is_nan() || ratio < 1.0 {
            return Err(fail(
                "max_ratio",
                format!("max_ratio must be at least 1, got {ratio}"),
            ));
        }
    }
    if let Some(sim) = spec.params.min_similarity {
        if !(0.0..=1.0).contains(&sim) {
            return Err(fail(
                "min_similarity",
                format!("min_similarity must be between 0 and 1, got {sim}"),
            ));
        }
    }
    Ok(Rule {
        spec,
        subject,
        origin: origin.to_string(),
    })
}

/// `rules/lexicon` and `rules/time` hold word lists and patterns the
/// extractors read, not rules.
fn is_data_folder(path: &Path) -> bool {
    path.components()
        .any(|c| c.as_os_str() == "lexicon" || c.as_os_str() == "time")
}

/// The rules shipped with crosscheck, as (path, text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/dates/event-date-conflict.toml",
        include_str!("../../rules/dates/event-date-conflict.toml"),
    ),
    (
        "rules/dates/weekday-mismatch.toml",
        include_str!("../../rules/dates/weekday-mismatch.toml"),
    ),
    (
        "rules/dates/date-outside-window.toml",
        include_str!("../../rules/dates/date-outside-window.toml"),
    ),
    (
        "rules/numbers/count-conflict.toml",
        include_str!("../../rules/numbers/count-conflict.toml"),
    ),
    (
        "rules/roles/role-conflict.toml",
        include_str!("../../rules/roles/role-conflict.toml"),
    ),
    (
        "rules/people/age-conflict.toml",
        include_str!("../../rules/people/age-conflict.toml"),
    ),
    (
        "rules/names/name-variant.toml",
        include_str!("../../rules/names/name-variant.toml"),
    ),
    (
        "rules/quotes/quote-drift.toml",
        include_str!("../../rules/quotes/quote-drift.toml"),
    ),
    (
        "rules/diff/diff-changed-date.toml",
        include_str!("../../rules/diff/diff-changed-date.toml"),
    ),
    (
        "rules/diff/diff-changed-weekday.toml",
        include_str!("../../rules/diff/diff-changed-weekday.toml"),
    ),
    (
        "rules/diff/diff-changed-number.toml",
        include_str!("../../rules/diff/diff-changed-number.toml"),
    ),
    (
        "rules/diff/diff-changed-hedge.toml",
        include_str!("../../rules/diff/diff-changed-hedge.toml"),
    ),
    (
        "rules/diff/diff-changed-role-qualifier.toml",
        include_str!("../../rules/diff/diff-changed-role-qualifier.toml"),
    ),
    (
        "rules/diff/diff-moved-number.toml",
        include_str!("../../rules/diff/diff-moved-number.toml"),
    ),
    (
        "rules/diff/diff-quote-reworded.toml",
        include_str!("../../rules/diff/diff-quote-reworded.toml"),
    ),
    (
        "rules/diff/diff-changed-negation.toml",
        include_str!("../../rules/diff/diff-changed-negation.toml"),
    ),
    (
        "rules/diff/diff-changed-name.toml",
        include_str!("../../rules/diff/diff-changed-name.toml"),
    ),
    (
        "rules/diff/diff-added-quote.toml",
        include_str!("../../rules/diff/diff-added-quote.toml"),
    ),
    (
        "rules/diff/diff-added-number.toml",
        include_str!("../../rules/diff/diff-added-number.toml"),
    ),
    (
        "rules/diff/diff-added-date.toml",
        include_str!("../../rules/diff/diff-added-date.toml"),
    ),
    (
        "rules/diff/diff-added-name.toml",
        include_str!("../../rules/diff/diff-added-name.toml"),
    ),
    (
        "rules/diff/diff-changed-term.toml",
        include_str!("../../rules/diff/diff-changed-term.toml"),
    ),
    (
        "rules/diff/diff-dropped-fact.toml",
        include_str!("../../rules/diff/diff-dropped-fact.toml"),
    ),
    (
        "rules/diff/diff-equivalent-title.toml",
        include_str!("../../rules/diff/diff-equivalent-title.toml"),
    ),
    (
        "rules/diff/diff-equivalent-spelling.toml",
        include_str!("../../rules/diff/diff-equivalent-spelling.toml"),
    ),
];

/// The `check` rules: [`load_all`] without the `diff` rules.
pub fn load(extra: &[&Path]) -> Result<Vec<Rule>, Vec<String>> {
    load_all(extra).map(|rules| rules.into_iter().filter(|r| !r.is_diff()).collect())
}

/// Loads the built-in rules of `check` and `diff`, then every `*.toml`
/// under each extra folder (a rule with a built-in id replaces it). Codes
/// and ids must be unique across both.
pub fn load_all(extra: &[&Path]) -> Result<Vec<Rule>, Vec<String>> {
    let mut rules: Vec<Rule> = Vec::new();
    let mut errors = Vec::new();
    for (path, text) in BUILTIN {
        match parse_rule(text, path) {
            Ok(rule) => rules.push(rule),
            Err(e) => errors.push(e),
        }
    }
    for dir in extra {
        let entries = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
        let mut found = 0;
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    errors.push(format!("{}: {e}", dir.display()));
                    continue;
                }
            };
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "crosscheck.toml") || is_data_folder(path) {
                continue;
            }
            found += 1;
            let origin = path.display().to_string();
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) => {
                    errors.push(format!("{origin}: {e}"));
                    continue;
                }
            };
            match parse_rule(&text, &origin) {
                Ok(rule) => {
                    rules.retain(|r| r.spec.id != rule.spec.id);
                    rules.push(rule);
                }
                Err(e) => errors.push(e),
            }
        }
        if found == 0 && dir.exists() {
            errors.push(format!(
                "{}: no rule files (*.toml) in this folder",
                dir.display()
            ));
        } else if !dir.exists() {
            errors.push(format!("{}: no such rules folder", dir.display()));
        }
    }
    let mut codes = std::collections::BTreeMap::new();
    for rule in &rules {
        if let Some(other) = codes.insert(rule.spec.code.clone(), rule.origin.clone()) {
            errors.push(format!(
                "{}: code {} is already used by {other}",
                rule.origin, rule.spec.code
            ));
        }
    }
    if errors.is_empty() {
        rules.sort_by(|a, b| a.spec.code.cmp(&b.spec.code));
        Ok(rules)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "id = \"x-rule\"\ncode = \"X001\"\nkind = \"conflict\"\nseverity = \"error\"\nattribute = \"date\"\nsummary = \"s\"\nmessage = \"m\"\n[docs]\nwhat = \"w\"\nwhy = \"y\"\nexample = \"e\"\nnear_miss = \"n\"\n";

    #[test]
    fn parse_rule_accepts_a_complete_rule() {
        let rule = parse_rule(GOOD, "x.toml").unwrap();
        assert_eq!(rule.spec.kind, Kind::Conflict);
    }

    #[test]
    fn parse_rule_rejects_unknown_keys_with_line() {
        let text = GOOD.replace("summary = \"s\"\n", "summary = \"s\"\ncolour = \"red\"\n");
        let err = parse_rule(&text, "x.toml").unwrap_err();
        assert!(err.starts_with("x.toml:7: unknown field `colour`"), "{err}");
    }

    #[test]
    fn parse_rule_lists_valid_kinds() {
        let text = GOOD.replace("kind = \"conflict\"", "kind = \"clash\"");
        let err = parse_rule(&text, "x.toml").unwrap_err();
        assert!(err.starts_with("x.toml:3:"), "{err}");
        assert!(
            err.contains("conflict") && err.contains("calendar") && err.contains("variant"),
            "{err}"
        );
    }

    #[test]
    fn parse_rule_rejects_bad_regex_and_bad_code() {
        let text = GOOD.replace(
            "message = \"m\"\n",
            "message = \"m\"\nsubject = \"(unclosed\"\n",
        );
        let err = parse_rule(&text, "x.toml").unwrap_err();
        assert!(
            err.starts_with("x.toml:8: subject is not a valid regex"),
            "{err}"
        );
        let text = GOOD.replace("X001", "X1");
        assert!(parse_rule(&text, "x.toml")
            .unwrap_err()
            .starts_with("x.toml:2: code"));
    }

    #[test]
    fn parse_rule_rejects_unknown_params() {
        let text = format!("{GOOD}[params]\ntolerance = 3\n");
        let err = parse_rule(&text, "x.toml").unwrap_err();
        assert!(err.contains("unknown field `tolerance`"), "{err}");
    }

    #[test]
    fn builtin_rules_load_with_unique_codes_and_full_docs() {
        let rules = load_all(&[]).unwrap();
        assert_eq!(rules.len(), BUILTIN.len());
        for rule in &rules {
            assert!(!rule.spec.docs.why.is_empty());
            let slug = rule
                .origin
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".toml");
            assert_eq!(slug, rule.spec.id, "file name must equal the rule id");
        }
    }

    #[test]
    fn every_rule_file_in_the_repository_is_built_in() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in walkdir::WalkDir::new(root.join("rules"))
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") && !is_data_folder(path) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                assert!(
                    BUILTIN.iter().any(|(p, _)| *p == rel),
                    "{rel} is not listed in BUILTIN"
                );
            }
        }
    }
}
