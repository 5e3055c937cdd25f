//! The project config: `crosscheck.toml`, found by walking up from the
//! working directory (or named with `--config`), with a `[check]` table:
//!
//! ```toml
//! [check]
//! select = ["D", "N001"]          # codes or code prefixes; default: all
//! ignore = ["V001"]               # codes, prefixes, or rule ids
//! rules = ["my-rules"]            # extra rules folders, relative to this file
//! fail-on = "warning"             # error | warning | info | never
//! [check.severity]                # per-rule severity, by code, prefix or id
//! N001 = "error"
//! [[check.per-path-ignores]]
//! path = "wire/*.txt"             # glob on the document path or id
//! rules = ["R001"]
//! reason = "wire copy uses house titles"
//! ```
//!
//! A bundle folder's manifest has the same file name, so the file may also
//! hold `[documents."FILE"]` tables; those belong to `ingest::manifest` and
//! are accepted and skipped here. Unknown keys and bad values are errors
//! reading `path:line: message` with the valid choices.

use crate::check::spec::{Rule, Severity};
use crate::check::{Finding, FindingClaim};
use crate::ingest::manifest::MANIFEST_NAME;
use regex::Regex;
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// File name of the config; the same file as a bundle manifest.
pub const CONFIG_NAME: &str = MANIFEST_NAME;

/// `--fail-on` / `fail-on`: the lowest severity that makes a run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    /// The severity at and above which a finding fails the run; `None`
    /// for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    // Kept only so the key is not "unknown": ingest::manifest reads it.
    #[serde(default)]
    #[allow(dead_code)]
    documents: Option<IgnoredAny>,
    #[serde(default)]
    check: RawCheck,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCheck {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<FailOn>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
    #[serde(default)]
    per_path_ignores: Vec<RawPathIgnore>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPathIgnore {
    path: Spanned<String>,
    rules: Vec<Spanned<String>>,
    reason: Spanned<String>,
}

/// Some rules switched off for the documents a glob matches.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    /// The glob as written: `*` and `?` stay inside one folder, `**`
    /// crosses folders.
    pub path: String,
    /// Codes, code prefixes or rule ids.
    pub rules: Vec<String>,
    /// Why: required, so every suppression is explained where it is made.
    pub reason: String,
    matcher: Regex,
}

impl PathIgnore {
    /// Builds an entry; errors when the glob or the rule list is empty.
    pub fn new(path: &str, rules: Vec<String>, reason: &str) -> Result<PathIgnore, String> {
        if path.trim().is_empty() {
            return Err("path must be a non-empty glob".to_string());
        }
        if rules.is_empty() {
            return Err(format!("per-path ignore {path:?} lists no rules"));
        }
        if reason.trim().is_empty() {
            return Err(format!("per-path ignore {path:?} needs a reason"));
        }
        Ok(PathIgnore {
            path: path.to_string(),
            rules,
            reason: reason.to_string(),
            matcher: glob_regex(path)?,
        })
    }

    /// Whether the glob matches a document, by id or by path. A path
    /// matches when the glob matches it or any tail of it that starts at
    /// a folder boundary, so `wire/*.txt` matches `story/wire/a.txt`
    /// whatever folder the run started in.
    pub fn matches(&self, id: &str, path: &str) -> bool {
        if self.matcher.is_match(id) {
            return true;
        }
        let path = path.replace('\\', "/");
        let path = path.trim_start_matches("./");
        std::iter::once(path)
            .chain(path.match_indices('/').map(|(i, _)| &path[i + 1..]))
            .any(|tail| self.matcher.is_match(tail))
    }
}

/// Translates a glob into an anchored regex. Only `*`, `?` and `**` are
/// special; everything else, brackets included, is literal.
fn glob_regex(glob: &str) -> Result<Regex, String> {
    let mut re = String::from("^");
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                // `**/` also matches no folder at all: `**/a.txt` is `a.txt`.
                if chars.peek() == Some(&'/') {
                    chars.next();
                    re.push_str("(?:.*/)?");
                } else {
                    re.push_str(".*");
                }
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push('$');
    Regex::new(&re).map_err(|e| format!("path {glob:?} is not a usable glob: {e}"))
}

/// The resolved `[check]` settings of one config file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file read; `None` when no config file was found.
    pub path: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Extra rules folders, resolved against the config file's folder.
    pub rules_dirs: Vec<PathBuf>,
    pub fail_on: Option<FailOn>,
    pub severity: BTreeMap<String, Severity>,
    pub per_path_ignores: Vec<PathIgnore>,
    /// Where each name was written, by (field, name), so that a name that
    /// matches no rule is reported on its own line.
    lines: BTreeMap<(&'static str, String), usize>,
}

/// The nearest `crosscheck.toml` at or above `start`. The walk stops at
/// the filesystem root and after a folder holding `.git` (a file in a
/// worktree, a folder otherwise): a config outside the repository belongs
/// to someone else.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The config for a run: `explicit` (`--config FILE`, which must exist),
/// else the nearest one above `cwd`, else the defaults.
pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<Config, String> {
    match explicit {
        Some(path) => load(path),
        None => match find(cwd) {
            Some(path) => load(&path),
            None => Ok(Config::default()),
        },
    }
}

/// Reads and validates a config file. Errors read `path:line: message`.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read config: {e}", path.display()))?;
    parse(&text, path)
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

/// Parses config text; `path` names the file in errors and anchors the
/// relative rules folders.
pub fn parse(text: &str, path: &Path) -> Result<Config, String> {
    let shown = path.display();
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        format!("{shown}:{line}: {}", e.message().trim())
    })?;
    let check = raw.check;
    let mut config = Config {
        path: Some(path.to_path_buf()),
        fail_on: check.fail_on,
        ..Config::default()
    };
    let at = |spanned_start: usize| line_of(text, spanned_start);
    let names = |field: &'static str,
                 entries: Vec<Spanned<String>>,
                 out: &mut Vec<String>,
                 lines: &mut BTreeMap<(&'static str, String), usize>|
     -> Result<(), String> {
        for entry in entries {
            let line = at(entry.span().start);
            let name = entry.into_inner();
            if name.trim().is_empty() {
                return Err(format!(
                    "{shown}:{line}: {field} has an empty entry; use a code (D001), a code prefix (D) or a rule id"
                ));
            }
            lines.entry((field, name.clone())).or_insert(line);
            out.push(name);
        }
        Ok(())
    };
    names(
        "select",
        check.select,
        &mut config.select,
        &mut config.lines,
    )?;
    names(
        "ignore",
        check.ignore,
        &mut config.ignore,
        &mut config.lines,
    )?;
    for (key, severity) in check.severity {
        let line = at(key.span().start);
        let name = key.into_inner();
        config
            .lines
            .entry(("severity", name.clone()))
            .or_insert(line);
        config.severity.insert(name, severity);
    }
    let base = path.parent().unwrap_or(Path::new(""));
    for dir in check.rules {
        let line = at(dir.span().start);
        let resolved = base.join(dir.get_ref());
        if !resolved.is_dir() {
            return Err(format!(
                "{shown}:{line}: rules folder {:?} not found (looked for {}; paths are relative to the config file)",
                dir.get_ref(),
                resolved.display()
            ));
        }
        config.rules_dirs.push(resolved);
    }
    for entry in check.per_path_ignores {
        let line = at(entry.path.span().start);
        let mut rules = Vec::new();
        names(
            "per-path-ignores",
            entry.rules,
            &mut rules,
            &mut config.lines,
        )?;
        let built = PathIgnore::new(entry.path.get_ref(), rules, entry.reason.get_ref())
            .map_err(|e| format!("{shown}:{line}: {e}"))?;
        config.per_path_ignores.push(built);
    }
    Ok(config)
}

/// Whether `name` (a rule id, code or code prefix) names `rule`. Codes are
/// compared without case, as `crosscheck rules d001` does.
pub fn names_rule(name: &str, id: &str, code: &str) -> bool {
    !name.is_empty()
        && (name == id
            || code
                .get(..name.len())
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(name)))
}

/// How closely `name` names a rule: an id beats a full code beats a
/// shorter prefix, so `D = "warning"` and `D001 = "error"` both apply.
fn specificity(name: &str, id: &str) -> usize {
    if name == id {
        usize::MAX
    } else {
        name.len()
    }
}

impl Config {
    /// Where `name` in `field` came from, for errors: the file and line,
    /// or the command-line flag when the caller added it.
    fn origin(&self, field: &'static str, name: &str) -> String {
        let file = self
            .path
            .as_ref()
            .map_or_else(|| CONFIG_NAME.to_string(), |p| p.display().to_string());
        match self.lines.get(&(field, name.to_string())) {
            Some(line) => format!("{file}:{line}"),
            None if field == "select" || field == "ignore" => format!("--{field}"),
            None => file,
        }
    }

    /// Selects, ignores and re-grades rules. Every name in `select`,
    /// `ignore`, `severity` and `per-path-ignores` must name at least one
    /// loaded rule: a typo would otherwise switch nothing off, silently.
    /// Errors, one per line, read `path:line: message`; a selection that
    /// leaves no rule is an error too.
    pub fn apply_to_rules(&self, rules: Vec<Rule>) -> Result<Vec<Rule>, String> {
        let mut errors = Vec::new();
        let known = || {
            let mut all: Vec<String> = rules
                .iter()
                .map(|r| format!("{} {}", r.spec.code, r.spec.id))
                .collect();
            all.sort();
            all.join(", ")
        };
        let mut check = |field: &'static str, name: &str| {
            if !rules
                .iter()
                .any(|r| names_rule(name, &r.spec.id, &r.spec.code))
            {
                errors.push(format!(
                    "{}: {name:?} names no rule; rules are: {}",
                    self.origin(field, name),
                    known()
                ));
            }
        };
        for name in &self.select {
            check("select", name);
        }
        for name in &self.ignore {
            check("ignore", name);
        }
        for name in self.severity.keys() {
            check("severity", name);
        }
        for entry in &self.per_path_ignores {
            for name in &entry.rules {
                check("per-path-ignores", name);
            }
        }
        if !errors.is_empty() {
            return Err(errors.join("\n"));
        }
        let chosen = |names: &[String], rule: &Rule| {
            names
                .iter()
                .any(|n| names_rule(n, &rule.spec.id, &rule.spec.code))
        };
        let mut kept: Vec<Rule> = rules
            .into_iter()
            .filter(|r| self.select.is_empty() || chosen(&self.select, r))
            .filter(|r| !chosen(&self.ignore, r))
            .collect();
        for rule in &mut kept {
            let best = self
                .severity
                .iter()
                .filter(|(n, _)| names_rule(n, &rule.spec.id, &rule.spec.code))
                .max_by_key(|(n, _)| specificity(n, &rule.spec.id));
            if let Some((_, &severity)) = best {
                rule.spec.severity = severity;
                // A rule turned down must not still report its weaker
                // cases above its new level.
                if let Some(implied) = rule.spec.params.implied_severity {
                    rule.spec.params.implied_severity = Some(implied.min(severity));
                }
            }
        }
        if kept.is_empty() {
            let file = self.path.as_ref().map_or_else(
                || "--select/--ignore".to_string(),
                |p| p.display().to_string(),
            );
            return Err(format!(
                "{file}: select {:?} and ignore {:?} leave no rule to run",
                self.select, self.ignore
            ));
        }
        Ok(kept)
    }

    /// Drops the findings a per-path ignore covers; returns the rest and
    /// how many were dropped.
    ///
    /// A finding is covered when the ignored documents are the ones at
    /// fault: every outlier it names, or, when it names none, enough of
    /// its sources that the others agree. A wire copy with house titles
    /// is silenced; a finding where the wire copy sides with the majority
    /// against another source is kept.
    pub fn filter_findings(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize) {
        if self.per_path_ignores.is_empty() {
            return (findings, 0);
        }
        let before = findings.len();
        let kept: Vec<Finding> = findings.into_iter().filter(|f| !self.covers(f)).collect();
        let dropped = before - kept.len();
        (kept, dropped)
    }

    fn covers(&self, finding: &Finding) -> bool {
        let entries: Vec<&PathIgnore> = self
            .per_path_ignores
            .iter()
            .filter(|e| {
                e.rules
                    .iter()
                    .any(|n| names_rule(n, &finding.rule, &finding.code))
            })
            .collect();
        let ignored = |c: &FindingClaim| {
            entries
                .iter()
                .any(|e| e.matches(&c.claim.doc, &c.claim.path))
        };
        if entries.is_empty() || !finding.claims.iter().any(ignored) {
            return false;
        }
        if finding.claims.iter().any(|c| c.outlier) {
            return finding.claims.iter().filter(|c| c.outlier).all(ignored);
        }
        let rest: BTreeSet<&str> = finding
            .claims
            .iter()
            .filter(|c| !ignored(c))
            .map(|c| c.claim.value.as_str())
            .collect();
        rest.len() < 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::spec;

    fn rules() -> Vec<Rule> {
        spec::load(&[]).unwrap()
    }

    fn config(text: &str) -> Result<Config, String> {
        parse(text, Path::new("crosscheck.toml"))
    }

    fn codes(rules: &[Rule]) -> Vec<&str> {
        rules.iter().map(|r| r.spec.code.as_str()).collect()
    }

    #[test]
    fn find_walks_up_to_the_nearest_file() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        // A `.git` at the root keeps the walk inside the temp folder.
        std::fs::create_dir(root.path().join(".git")).unwrap();
        std::fs::write(root.path().join(CONFIG_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(root.path().join(CONFIG_NAME)));
        std::fs::write(root.path().join("a").join(CONFIG_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(root.path().join("a").join(CONFIG_NAME)));
    }

    #[test]
    fn find_stops_at_the_repository_root() {
        let root = tempfile::tempdir().unwrap();
        let deep = root.path().join("repo/src");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.path().join(CONFIG_NAME), "").unwrap();
        // A worktree's `.git` is a file; it ends the walk all the same.
        std::fs::write(root.path().join("repo/.git"), "gitdir: elsewhere\n").unwrap();
        assert_eq!(find(&deep), None);
    }

    #[test]
    fn discover_prefers_the_named_file_and_defaults_without_one() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(".git")).unwrap();
        let c = discover(None, root.path()).unwrap();
        assert!(c.path.is_none() && c.select.is_empty());
        let named = root.path().join("ci.toml");
        let err = discover(Some(&named), root.path()).unwrap_err();
        assert!(err.contains("ci.toml: cannot read config"), "{err}");
        std::fs::write(&named, "[check]\nignore = [\"v001\"]\n").unwrap();
        std::fs::write(root.path().join(CONFIG_NAME), "[check]\nselect = [\"D\"]\n").unwrap();
        assert_eq!(
            discover(Some(&named), root.path()).unwrap().ignore,
            ["v001"]
        );
        assert_eq!(discover(None, root.path()).unwrap().select, ["D"]);
    }

    #[test]
    fn parse_accepts_a_manifest_and_a_check_table_together() {
        let c = config(
            "[documents.\"a.txt\"]\nsource = \"A\"\n\n[check]\nselect = [\"D\"]\nfail-on = \"warning\"\n",
        )
        .unwrap();
        assert_eq!(c.select, ["D"]);
        assert_eq!(c.fail_on, Some(FailOn::Warning));
    }

    #[test]
    fn parse_rejects_unknown_keys_with_line_and_valid_keys() {
        let err = config("[check]\nselect = []\nfail_on = \"error\"\n").unwrap_err();
        assert!(
            err.starts_with("crosscheck.toml:3: unknown field `fail_on`"),
            "{err}"
        );
        for key in [
            "select",
            "ignore",
            "rules",
            "fail-on",
            "severity",
            "per-path-ignores",
        ] {
            assert!(err.contains(&format!("`{key}`")), "{key} missing: {err}");
        }
        let err = config("[checks]\n").unwrap_err();
        assert!(
            err.starts_with("crosscheck.toml:1: unknown field `checks`"),
            "{err}"
        );
        assert!(
            err.contains("`documents`") && err.contains("`check`"),
            "{err}"
        );
    }

    #[test]
    fn parse_lists_valid_values() {
        let err = config("[check]\n\nfail-on = \"warn\"\n").unwrap_err();
        assert!(err.starts_with("crosscheck.toml:3:"), "{err}");
        for v in ["error", "warning", "info", "never"] {
            assert!(err.contains(v), "{err}");
        }
        let err = config("[check.severity]\nN001 = \"fatal\"\n").unwrap_err();
        assert!(err.starts_with("crosscheck.toml:2:"), "{err}");
        assert!(err.contains("info") && err.contains("warning") && err.contains("error"));
    }

    #[test]
    fn parse_resolves_rules_folders_against_the_config_file() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("my-rules")).unwrap();
        let path = root.path().join(CONFIG_NAME);
        std::fs::write(&path, "[check]\nrules = [\"my-rules\"]\n").unwrap();
        let c = load(&path).unwrap();
        assert_eq!(c.rules_dirs, [root.path().join("my-rules")]);
        std::fs::write(&path, "[check]\n\nrules = [\"nope\"]\n").unwrap();
        let err = load(&path).unwrap_err();
        assert!(err.contains(":3: rules folder \"nope\" not found"), "{err}");
    }

    #[test]
    fn select_by_prefix_keeps_only_that_family() {
        let c = config("[check]\nselect = [\"D\", \"N001\"]\n").unwrap();
        let kept = c.apply_to_rules(rules()).unwrap();
        assert!(!kept.is_empty());
        assert!(
            kept.iter()
                .all(|r| r.spec.code.starts_with('D') || r.spec.code == "N001"),
            "{:?}",
            codes(&kept)
        );
        assert!(kept.iter().any(|r| r.spec.code == "N001"));
    }

    #[test]
    fn ignore_by_id_drops_that_rule() {
        let all = rules();
        let victim = all[0].spec.id.clone();
        let c = config(&format!("[check]\nignore = [{victim:?}]\n")).unwrap();
        let kept = c.apply_to_rules(all.clone()).unwrap();
        assert_eq!(kept.len(), all.len() - 1);
        assert!(kept.iter().all(|r| r.spec.id != victim));
        // Codes are matched without case, as `crosscheck rules d001` does.
        let c = config("[check]\nignore = [\"v001\"]\n").unwrap();
        let kept = c.apply_to_rules(all.clone()).unwrap();
        assert!(kept.iter().all(|r| r.spec.code != "V001"));
    }

    #[test]
    fn severity_override_changes_the_rule_and_caps_implied_cases() {
        let c = config(
            "[check.severity]\nD = \"warning\"\nN001 = \"error\"\nevent-date-conflict = \"info\"\n",
        )
        .unwrap();
        let kept = c.apply_to_rules(rules()).unwrap();
        let by_code = |code: &str| kept.iter().find(|r| r.spec.code == code).unwrap();
        assert_eq!(by_code("N001").spec.severity, Severity::Error);
        // The id is more specific than the prefix.
        let d001 = by_code("D001");
        assert_eq!(d001.spec.id, "event-date-conflict");
        assert_eq!(d001.spec.severity, Severity::Info);
        assert_eq!(d001.spec.params.implied_severity, Some(Severity::Info));
        assert!(kept
            .iter()
            .filter(|r| r.spec.code.starts_with('D') && r.spec.code != "D001")
            .all(|r| r.spec.severity == Severity::Warning));
    }

    #[test]
    fn a_name_that_matches_no_rule_is_an_error_on_its_line() {
        let c =
            config("# project\n[check]\nselect = [\"D\"]\nignore = [\n  \"X999\",\n]\n").unwrap();
        let err = c.apply_to_rules(rules()).unwrap_err();
        assert!(
            err.starts_with(
                "crosscheck.toml:5: \"X999\" names no rule; rules are: A001 age-conflict, D001 event-date-conflict, "
            ),
            "{err}"
        );
        let c = config("[check.severity]\nnot-a-rule = \"info\"\n").unwrap();
        let err = c.apply_to_rules(rules()).unwrap_err();
        assert!(
            err.starts_with("crosscheck.toml:2: \"not-a-rule\""),
            "{err}"
        );
        // Names the lead adds from the command line point at the flag.
        let mut c = Config::default();
        c.select.push("Z".into());
        let err = c.apply_to_rules(rules()).unwrap_err();
        assert!(err.starts_with("--select: \"Z\" names no rule"), "{err}");
    }

    #[test]
    fn a_selection_that_leaves_no_rule_is_an_error() {
        let c = config("[check]\nselect = [\"D001\"]\nignore = [\"D\"]\n").unwrap();
        let err = c.apply_to_rules(rules()).unwrap_err();
        assert!(err.contains("leave no rule to run"), "{err}");
    }

    #[test]
    fn globs_match_within_and_across_folders() {
        let e = PathIgnore::new("wire/*.txt", vec!["R".into()], "r").unwrap();
        assert!(e.matches("x", "wire/a.txt"));
        assert!(e.matches("x", "story/wire/a.txt"));
        assert!(e.matches("x", "./wire/a.txt"));
        assert!(!e.matches("x", "wire/sub/a.txt"));
        assert!(!e.matches("x", "wire/a.md"));
        let e = PathIgnore::new("**/a?.txt", vec!["R".into()], "r").unwrap();
        assert!(e.matches("x", "a1.txt"));
        assert!(e.matches("x", "deep/down/a2.txt"));
        assert!(!e.matches("x", "a12.txt"));
        let e = PathIgnore::new("002_*", vec!["R".into()], "r").unwrap();
        assert!(e.matches("002_835a", "elsewhere/x.txt"));
        let e = PathIgnore::new("[a].txt", vec!["R".into()], "r").unwrap();
        assert!(e.matches("x", "[a].txt") && !e.matches("x", "a.txt"));
    }

    #[test]
    fn per_path_ignore_needs_a_reason() {
        let err = config("[[check.per-path-ignores]]\npath = \"wire/*\"\nrules = [\"R001\"]\n")
            .unwrap_err();
        assert!(err.contains("missing field `reason`"), "{err}");
        let err = config(
            "[[check.per-path-ignores]]\npath = \"wire/*\"\nrules = [\"R001\"]\nreason = \" \"\n",
        )
        .unwrap_err();
        assert!(
            err.starts_with("crosscheck.toml:2: per-path ignore \"wire/*\" needs a reason"),
            "{err}"
        );
    }

    fn roles(claims: &[(&str, &str, bool)]) -> Finding {
        fixtures::finding("R001", "role-conflict", "rubio/role", claims)
    }

    fn wire_config() -> Config {
        config(
            "[[check.per-path-ignores]]\npath = \"wire/*.txt\"\nrules = [\"R\"]\nreason = \"house titles\"\n",
        )
        .unwrap()
    }

    #[test]
    fn per_path_ignore_drops_findings_whose_outliers_all_match() {
        let c = wire_config();
        let findings = vec![
            // The wire copy is the outlier: silenced.
            roles(&[
                ("wire/a", "acting", true),
                ("b", "adviser", false),
                ("c", "adviser", false),
            ]),
            // The wire copy sides with the majority: kept.
            roles(&[
                ("wire/a", "adviser", false),
                ("b", "acting", true),
                ("c", "adviser", false),
            ]),
            // No outlier named, the others agree once the wire is set aside: silenced.
            roles(&[("wire/a", "acting", false), ("b", "adviser", false)]),
            // No outlier named, the others still disagree: kept.
            roles(&[("wire/a", "x", false), ("b", "y", false), ("c", "z", false)]),
            // Another rule: kept.
            fixtures::finding(
                "D001",
                "event-date-conflict",
                "call/date",
                &[("wire/a", "2023", true), ("b", "2025", false)],
            ),
        ];
        let (kept, dropped) = c.filter_findings(findings);
        assert_eq!(dropped, 2);
        assert_eq!(kept.len(), 3);
        assert_eq!(kept[0].claims[1].claim.value, "acting");
        assert_eq!(kept[2].code, "D001");
    }

    #[test]
    fn filter_findings_without_ignores_keeps_everything() {
        let (kept, dropped) =
            Config::default().filter_findings(vec![roles(&[("a", "x", true), ("b", "y", false)])]);
        assert_eq!((kept.len(), dropped), (1, 0));
    }
}

/// Findings built by hand, for the tests of this module and `baseline`.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::check::spec::{Kind, Severity};
    use crate::check::{Finding, FindingClaim};
    use crate::claims::{Claim, SubjectKind};

    /// A finding of rule `code`/`id` on `key`, with one claim per
    /// (document, value, outlier); paths are `DOC.txt`.
    pub(crate) fn finding(
        code: &str,
        id: &str,
        key: &str,
        claims: &[(&str, &str, bool)],
    ) -> Finding {
        let claims = claims
            .iter()
            .map(|&(doc, value, outlier)| FindingClaim {
                claim: Claim {
                    doc: doc.into(),
                    path: format!("{doc}.txt").into(),
                    story: None,
                    source: None,
                    published: None,
                    subject: "s".into(),
                    subject_kind: SubjectKind::Person,
                    attribute: "role".into(),
                    facet: None,
                    value: value.into(),
                    number: None,
                    number_max: None,
                    hedge: None,
                    qualifiers: vec![],
                    event_class: None,
                    participants: vec![],
                    weekday: None,
                    implied: vec![],
                    resolved: None,
                    start: 0,
                    end: 0,
                    line: 1,
                    column: 1,
                    text: value.into(),
                    sentence: "".into(),
                },
                outlier,
            })
            .collect();
        Finding {
            rule: id.into(),
            code: code.into(),
            kind: Kind::Conflict,
            severity: Severity::Warning,
            key: key.into(),
            label: key.into(),
            message: format!("{key} differs"),
            majority: None,
            claims,
            story: None,
        }
    }
}
