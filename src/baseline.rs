//! Baselines for CI: `--write-baseline FILE` records the current findings
//! by content fingerprint; `--baseline FILE` then reports only findings
//! that are not in it.
//!
//! The fingerprint ([`Finding::fingerprint`]) hashes the rule, the key and
//! each source's value, not line numbers, so an edit elsewhere in an
//! article does not bring an accepted finding back. The file is pretty
//! JSON sorted by fingerprint, so a change to it reads well in a diff:
//!
//! ```json
//! {
//!   "schema": "crosscheck/baseline/v1",
//!   "findings": [
//!     {
//!       "fingerprint": "0f3c9a1b2c3d4e5f",
//!       "code": "D001",
//!       "rule": "event-date-conflict",
//!       "key": "event:call/date",
//!       "message": "002: 2023-07-15; 000, 001: Thursday, 2025-08-21"
//!     }
//!   ]
//! }
//! ```

use crate::check::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The `schema` value this version reads and writes.
pub const SCHEMA: &str = "crosscheck/baseline/v1";

/// One accepted finding. Only the fingerprint is compared; the rest is
/// there for the person reviewing the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub code: String,
    pub rule: String,
    pub key: String,
    pub message: String,
}

impl BaselineEntry {
    fn of(finding: &Finding) -> BaselineEntry {
        BaselineEntry {
            fingerprint: finding.fingerprint(),
            code: finding.code.clone(),
            rule: finding.rule.clone(),
            key: finding.key.clone(),
            message: finding.message.clone(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    schema: String,
    findings: Vec<BaselineEntry>,
}

/// A baseline as read: entries by fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: BTreeMap<String, BaselineEntry>,
}

/// What filtering against a baseline left.
#[derive(Debug)]
pub struct BaselineOutcome {
    /// Findings not in the baseline: the ones to report.
    pub kept: Vec<Finding>,
    /// Findings dropped because the baseline holds them.
    pub suppressed: usize,
    /// Baseline entries no current finding matches: fixed, or changed
    /// enough to get a new fingerprint. Rewrite the baseline to drop them.
    pub stale: usize,
}

impl BaselineOutcome {
    /// One line for stderr, e.g. "baseline: 6 findings suppressed, 1
    /// stale entry".
    pub fn note(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut note = format!(
            "baseline: {} suppressed",
            plural(self.suppressed, "finding", "findings")
        );
        if self.stale > 0 {
            note.push_str(&format!(
                ", {} (no longer found; rewrite it with --write-baseline)",
                plural(self.stale, "stale entry", "stale entries")
            ));
        }
        note
    }
}

impl Baseline {
    /// The baseline `findings` would write.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        Baseline {
            entries: findings
                .iter()
                .map(|f| {
                    let entry = BaselineEntry::of(f);
                    (entry.fingerprint.clone(), entry)
                })
                .collect(),
        }
    }

    /// Drops the findings the baseline holds. Two findings with one
    /// fingerprint are both covered by its entry: they say the same thing.
    pub fn filter(&self, findings: Vec<Finding>) -> BaselineOutcome {
        let mut seen = std::collections::BTreeSet::new();
        let mut kept = Vec::new();
        let mut suppressed = 0;
        for finding in findings {
            let fingerprint = finding.fingerprint();
            if self.entries.contains_key(&fingerprint) {
                suppressed += 1;
                seen.insert(fingerprint);
            } else {
                kept.push(finding);
            }
        }
        BaselineOutcome {
            kept,
            suppressed,
            stale: self.entries.len() - seen.len(),
        }
    }

    /// The file text: pretty JSON, entries sorted by fingerprint, with a
    /// trailing newline.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let file = BaselineFile {
            schema: SCHEMA.to_string(),
            findings: self.entries.values().cloned().collect(),
        };
        let mut text = serde_json::to_string_pretty(&file)?;
        text.push('\n');
        Ok(text)
    }

    /// Parses baseline text; errors read `line:column: message` without
    /// the file name, which [`read`] adds.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| {
            // serde_json ends its message with the position; it goes in
            // front instead, where editors look for it.
            let message = e.to_string();
            let tail = format!(" at line {} column {}", e.line(), e.column());
            let message = message.strip_suffix(&tail).unwrap_or(&message);
            format!(
                "{}:{}: not a crosscheck baseline: {message}",
                e.line(),
                e.column()
            )
        })?;
        if file.schema != SCHEMA {
            let line = text
                .lines()
                .position(|l| l.contains("\"schema\""))
                .map_or(1, |i| i + 1);
            return Err(format!(
                "{line}: schema {:?} is not {SCHEMA:?}; write a new baseline with --write-baseline",
                file.schema
            ));
        }
        let mut entries = BTreeMap::new();
        for entry in file.findings {
            if entry.fingerprint.is_empty() {
                return Err(format!(
                    "1: an entry for {} {:?} has an empty fingerprint",
                    entry.code, entry.key
                ));
            }
            entries.insert(entry.fingerprint.clone(), entry);
        }
        Ok(Baseline { entries })
    }
}

/// Writes the baseline of `findings` to `path`.
pub fn write(path: &Path, findings: &[Finding]) -> Result<(), String> {
    let fail =
        |e: &dyn std::fmt::Display| format!("{}: cannot write baseline: {e}", path.display());
    let text = Baseline::from_findings(findings)
        .to_json()
        .map_err(|e| fail(&e))?;
    std::fs::write(path, text).map_err(|e| fail(&e))
}

/// Reads a baseline. A missing or malformed file is an error naming it
/// (and the line, for JSON errors): a CI run against a baseline it could
/// not read must not pass by reporting everything or nothing.
pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
    Baseline::parse(&text).map_err(|e| format!("{}:{e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::fixtures::finding;

    fn findings() -> Vec<Finding> {
        vec![
            finding(
                "D001",
                "event-date-conflict",
                "call/date",
                &[
                    ("a", "2023-07-15", true),
                    ("b", "2025-08-21", false),
                    ("c", "2025-08-21", false),
                ],
            ),
            finding(
                "R001",
                "role-conflict",
                "rubio/role",
                &[
                    ("a", "acting adviser", true),
                    ("b", "adviser", false),
                    ("c", "adviser", false),
                ],
            ),
            finding(
                "V001",
                "name-variant",
                "zelensky",
                &[("a", "Zelensky", false), ("b", "Zelenskyy", false)],
            ),
        ]
    }

    #[test]
    fn round_trip_suppresses_everything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        write(&path, &findings()).unwrap();
        let baseline = read(&path).unwrap();
        assert_eq!(baseline.entries.len(), 3);
        let outcome = baseline.filter(findings());
        assert!(outcome.kept.is_empty());
        assert_eq!((outcome.suppressed, outcome.stale), (3, 0));
        assert_eq!(outcome.note(), "baseline: 3 findings suppressed");
    }

    #[test]
    fn file_is_sorted_pretty_and_ends_with_a_newline() {
        let text = Baseline::from_findings(&findings()).to_json().unwrap();
        assert!(
            text.starts_with("{\n  \"schema\": \"crosscheck/baseline/v1\",\n  \"findings\": [\n")
        );
        assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
        let prints: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("\"fingerprint\": "))
            .collect();
        let mut sorted = prints.clone();
        sorted.sort();
        assert_eq!(prints.len(), 3);
        assert_eq!(prints, sorted);
    }

    #[test]
    fn a_new_finding_passes_through() {
        let baseline = Baseline::from_findings(&findings());
        let mut now = findings();
        now.push(finding(
            "N001",
            "count-conflict",
            "coalition/count",
            &[("a", "30", false), ("c", "33", false)],
        ));
        // A changed value is a new finding too: the fingerprint holds values.
        now[1].claims[0].claim.value = "former adviser".into();
        let outcome = baseline.filter(now);
        let codes: Vec<&str> = outcome.kept.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["R001", "N001"]);
        assert_eq!((outcome.suppressed, outcome.stale), (2, 1));
    }

    #[test]
    fn line_moves_keep_a_finding_suppressed() {
        let baseline = Baseline::from_findings(&findings());
        let mut now = findings();
        for f in &mut now {
            for c in &mut f.claims {
                c.claim.line += 40;
                c.claim.start += 900;
            }
        }
        assert_eq!(baseline.filter(now).suppressed, 3);
    }

    #[test]
    fn stale_entries_are_counted() {
        let baseline = Baseline::from_findings(&findings());
        let outcome = baseline.filter(findings()[..1].to_vec());
        assert_eq!((outcome.suppressed, outcome.stale), (1, 2));
        assert_eq!(
            outcome.note(),
            "baseline: 1 finding suppressed, 2 stale entries (no longer found; rewrite it with --write-baseline)"
        );
    }

    #[test]
    fn read_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let err = read(&path).unwrap_err();
        assert!(
            err.starts_with(&format!("{}: cannot read baseline:", path.display())),
            "{err}"
        );
        std::fs::write(&path, "{\n  \"schema\": \"crosscheck/baseline/v1\",\n  \"findings\": [\n    {\"fingerprint\": 3}\n  ]\n}\n").unwrap();
        let err = read(&path).unwrap_err();
        assert!(
            err.starts_with(&format!("{}:4:", path.display())) && !err.contains("at line"),
            "{err}"
        );
        std::fs::write(
            &path,
            "{\n  \"schema\": \"crosscheck/report/v1\",\n  \"findings\": []\n}\n",
        )
        .unwrap();
        let err = read(&path).unwrap_err();
        assert!(
            err.starts_with(&format!(
                "{}:2: schema \"crosscheck/report/v1\" is not",
                path.display()
            )),
            "{err}"
        );
        std::fs::write(
            &path,
            "{\"schema\": \"crosscheck/baseline/v1\", \"findings\": [], \"extra\": 1}",
        )
        .unwrap();
        let err = read(&path).unwrap_err();
        assert!(err.contains("unknown field `extra`"), "{err}");
    }
}
