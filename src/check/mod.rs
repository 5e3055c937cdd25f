//! Stage 6: rules. Each rule is data (a TOML file) that instantiates one
//! of a closed set of kinds; the engine runs every rule over every keyed
//! group and returns findings, sorted.
//!
//! Input: [`key::Group`]s and the bundle's documents. Output: [`Finding`]s.

pub mod kinds;
pub mod spec;
pub mod timevalue;

use crate::claims::{Claim, Shared};
use crate::key::Group;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use spec::{Kind, Rule, Severity};
use std::collections::{BTreeMap, BTreeSet};

/// One claim in a finding, marked when its source is an outlier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingClaim {
    #[serde(flatten)]
    pub claim: Claim,
    pub outlier: bool,
}

/// A disagreement, with every source's evidence. Deserialisable so that
/// `--cache` can keep a story's findings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub code: String,
    pub kind: Kind,
    pub severity: Severity,
    /// Machine key of what the sources disagree on.
    pub key: String,
    /// The key in words.
    pub label: String,
    pub message: String,
    /// The value most sources give, when there is one.
    pub majority: Option<String>,
    pub claims: Vec<FindingClaim>,
    /// The story (group) the finding belongs to, with `--group-by`.
    pub story: Option<String>,
}

impl Finding {
    /// A fingerprint that survives line moves: rule, key and the values.
    pub fn fingerprint(&self) -> String {
        // The distinct values and the key in words, not document names or
        // document-local event numbers: a new article joining a bundle or
        // a line moving keeps a known disagreement known.
        let mut values: Vec<String> = self
            .claims
            .iter()
            .map(|c| c.claim.value.to_lowercase())
            .collect();
        values.sort();
        values.dedup();
        let text = format!(
            "{}|{}|{}|{}",
            self.code,
            self.story.as_deref().unwrap_or(""),
            self.label,
            values.join(";")
        );
        // FNV-1a: stable across platforms and versions, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in text.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }
}

/// What the rules know about the bundle besides the claims.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Publication date of each document, stated or inferred.
    pub published: BTreeMap<String, NaiveDate>,
    /// Documents whose date was inferred from the events they share with
    /// dated documents.
    pub inferred: BTreeSet<String>,
}

impl Context {
    /// Builds the context: stated dates, and for undated documents the
    /// median date of the dated documents that report the same events.
    pub fn new(docs: &[(String, Option<NaiveDate>)], groups: &[Group]) -> Context {
        let mut published: BTreeMap<String, NaiveDate> = docs
            .iter()
            .filter_map(|(id, date)| date.map(|d| (id.clone(), d)))
            .collect();
        let mut inferred = BTreeSet::new();
        for (id, date) in docs {
            if date.is_some() {
                continue;
            }
            // The event most sources report says best when this document
            // was written: take the dated documents of its largest shared
            // event, and the median of their dates.
            let best = groups
                .iter()
                .filter(|g| g.attribute == "date" && g.claims.iter().any(|c| *c.doc == **id))
                .map(|g| {
                    let docs: BTreeSet<&str> = g.claims.iter().map(|c| &*c.doc).collect();
                    let mut dates: Vec<NaiveDate> = g
                        .claims
                        .iter()
                        .filter(|c| *c.doc != **id)
                        .filter_map(|c| c.published)
                        .collect();
                    dates.sort();
                    (docs.len(), dates)
                })
                .filter(|(_, dates)| !dates.is_empty())
                .max_by(|a, b| a.0.cmp(&b.0).then(b.1.first().cmp(&a.1.first())));
            if let Some((_, dates)) = best {
                if let Some(mid) = dates.get(dates.len() / 2) {
                    published.insert(id.clone(), *mid);
                    inferred.insert(id.clone());
                }
            }
        }
        Context {
            published,
            inferred,
        }
    }
}

/// Runs every rule over every group.
pub fn run(rules: &[Rule], groups: &[Group], context: &Context) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut flagged: BTreeSet<(Shared, usize)> = BTreeSet::new();
    // Conflicts first: a window finding on a claim a conflict already
    // names would say the same thing twice.
    let mut ordered: Vec<&Rule> = rules.iter().collect();
    ordered.sort_by_key(|r| (r.spec.kind != Kind::Conflict, r.spec.code.clone()));
    for rule in ordered {
        for group in groups.iter().filter(|g| g.attribute == rule.spec.attribute) {
            if let Some(re) = &rule.subject {
                let subject = group
                    .claims
                    .first()
                    .map(|c| c.subject.as_str())
                    .unwrap_or("");
                if !re.is_match(subject) && !re.is_match(&group.label) {
                    continue;
                }
            }
            let found = match rule.spec.kind {
                Kind::Conflict => kinds::conflict::run(rule, group, context),
                Kind::Calendar => kinds::calendar::run(rule, group),
                Kind::Window => kinds::window::run(rule, group, context, &flagged),
                Kind::Variant => kinds::variant::run(rule, group),
                Kind::Drift => kinds::drift::run(rule, group),
                // `crosscheck diff` reads these; they compare two versions
                // of one article, not the sources of a story.
                Kind::Diff => Vec::new(),
            };
            for finding in &found {
                for c in finding.claims.iter().filter(|c| c.outlier) {
                    flagged.insert((c.claim.doc.clone(), c.claim.start));
                }
            }
            findings.extend(found);
        }
    }
    // One contradiction read twice (as an event's date and as a phrase)
    // is one finding.
    // Keep the reading that names the event.
    findings.sort_by_key(|f| f.key.contains("|phrase#"));
    let mut seen = BTreeSet::new();
    findings.retain(|f| {
        let first = f
            .claims
            .first()
            .map(|c| (c.claim.doc.clone(), c.claim.start));
        f.kind != Kind::Calendar || seen.insert((f.code.clone(), first))
    });
    findings.sort_by(|a, b| {
        let first = |f: &Finding| {
            f.claims
                .first()
                .map(|c| (c.claim.doc.clone(), c.claim.start))
                .unwrap_or_default()
        };
        (std::cmp::Reverse(a.severity), &a.code, &a.key, first(a)).cmp(&(
            std::cmp::Reverse(b.severity),
            &b.code,
            &b.key,
            first(b),
        ))
    });
    findings
}

/// Fills `{name}` placeholders; unknown names are left as written so a
/// typo in a rule shows in its output.
pub fn render(template: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.get(name) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// "000, 001" from document ids, shortened to their stem before the
/// first underscore when that stays unique.
pub fn doc_list(docs: &[&str]) -> String {
    docs.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_known_placeholders_and_keeps_unknown_ones() {
        let mut values = BTreeMap::new();
        values.insert("a", "one".to_string());
        assert_eq!(render("{a} and {b} {", &values), "one and {b} {");
    }
}
