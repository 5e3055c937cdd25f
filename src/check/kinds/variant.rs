//! `variant`: one entity's name spelled differently across sources.

use super::finding;
use crate::check::spec::Rule;
use crate::check::{render, Finding, FindingClaim};
use crate::key::Group;
use std::collections::{BTreeMap, BTreeSet};

pub fn run(rule: &Rule, group: &Group) -> Vec<Finding> {
    let min_similarity = rule.spec.params.min_similarity.unwrap_or(0.85);
    let mut spellings: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for c in &group.claims {
        spellings.entry(c.value.clone()).or_default().insert(&c.doc);
    }
    if spellings.len() < 2 {
        return Vec::new();
    }
    let docs: BTreeSet<&str> = group.claims.iter().map(|c| c.doc.as_str()).collect();
    if docs.len() < 2 {
        return Vec::new();
    }
    // Only near-identical spellings are variants; anything further apart
    // is a keying mistake, not something to report.
    let names: Vec<&String> = spellings.keys().collect();
    let close = names.iter().all(|a| {
        names
            .iter()
            .all(|b| strsim::jaro_winkler(&a.to_lowercase(), &b.to_lowercase()) >= min_similarity)
    });
    if !close {
        return Vec::new();
    }
    let mut ranked: Vec<(&String, &BTreeSet<&str>)> = spellings.iter().collect();
    ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let variants = ranked
        .iter()
        .map(|(name, docs)| {
            format!(
                "{name} ({})",
                docs.iter().copied().collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let subject = group
        .claims
        .first()
        .map(|c| c.subject.clone())
        .unwrap_or_default();
    let mut values = BTreeMap::new();
    values.insert("subject", subject);
    values.insert("variants", variants);
    values.insert("key", group.label.clone());
    // One claim per (document, spelling) is evidence enough.
    let mut seen = BTreeSet::new();
    let claims = group
        .claims
        .iter()
        .filter(|c| seen.insert((c.doc.clone(), c.value.clone())))
        .map(|c| FindingClaim {
            claim: c.clone(),
            outlier: false,
        })
        .collect();
    vec![finding(
        rule,
        rule.spec.severity,
        &group.key,
        &group.label,
        render(&rule.spec.message, &values),
        ranked.first().map(|(name, _)| (*name).clone()),
        claims,
    )]
}
