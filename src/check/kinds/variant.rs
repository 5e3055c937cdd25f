//! `variant`: one entity's name spelled differently across sources.

use super::finding;
use crate::check::spec::Rule;
use crate::check::{render, Finding, FindingClaim};
use crate::claims::Claim;
use crate::key::Group;
use std::collections::{BTreeMap, BTreeSet};

/// Typographic and typewriter apostrophes are one spelling: "O’Brien" and
/// "O'Brien" differ in the outlet's typesetting, not in the name.
fn same_apostrophe(name: &str) -> String {
    name.replace(['’', '‘', 'ʼ'], "'")
}

/// Words that name a direction start street and region names ("West
/// Maypole", "South Green", "East African"), never a person's.
const COMPASS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

/// A mention that can be a person's name: no digits ("Marquis Garrett-23"
/// is a caption's name and age) and no compass word first.
fn is_name(c: &Claim) -> bool {
    if c.value.chars().any(|ch| ch.is_ascii_digit()) {
        return false;
    }
    let first = c.text.split_whitespace().next().unwrap_or("");
    !COMPASS.contains(&first.to_lowercase().as_str())
}

/// The words right before and after the claim's words in its sentence
/// (the first occurrence; enough to see "the Poores" or "Marshal's").
fn around(c: &Claim) -> Option<(&str, &str)> {
    let at = c.sentence.find(&c.text)?;
    let before = c.sentence.get(..at)?;
    let after = c.sentence.get(at + c.text.len()..)?;
    Some((before, after))
}

/// Spellings "Xs" that are the plural or the apostrophe-less possessive
/// of the spelling "X" another claim uses: "the Poores" (a family), "the
/// Vice Lords" beside "Vice Lord members", "City Marshals" beside "City
/// Marshal's Office". A person's surname with and without a final s
/// ("Troy Meyer" / "Troy Meyers") is still a variant: a name after "the"
/// is a group, and a name the text writes with "'s" has "Xs" for its
/// possessive without the apostrophe (the same words, "City Marshal's").
fn plural_spellings(claims: &[&Claim]) -> BTreeSet<String> {
    let values: BTreeSet<String> = claims.iter().map(|c| same_apostrophe(&c.value)).collect();
    let mut out = BTreeSet::new();
    for plural in values.iter().filter(|v| v.ends_with('s')) {
        let bare = &plural[..plural.len() - 1];
        if bare.is_empty() || !values.contains(bare) {
            continue;
        }
        let after_the = claims.iter().any(|c| {
            same_apostrophe(&c.value) == *plural
                && around(c).is_some_and(|(before, _)| {
                    before
                        .trim_end()
                        .rsplit(|ch: char| !ch.is_alphanumeric())
                        .next()
                        .is_some_and(|w| w.eq_ignore_ascii_case("the"))
                })
        });
        // Only the very words of an "Xs" mention, written "X's": a
        // person's "Frederick's attorney" says nothing about "Marquise
        // Fredericks".
        let plural_texts: BTreeSet<String> = claims
            .iter()
            .filter(|c| same_apostrophe(&c.value) == *plural)
            .map(|c| same_apostrophe(&c.text))
            .collect();
        let possessive = claims.iter().any(|c| {
            same_apostrophe(&c.value) == bare
                && plural_texts.contains(&format!("{}s", same_apostrophe(&c.text)))
                && around(c)
                    .is_some_and(|(_, after)| after.starts_with("'s") || after.starts_with("’s"))
        });
        if after_the || possessive {
            out.insert(plural.clone());
        }
    }
    out
}

pub fn run(rule: &Rule, group: &Group) -> Vec<Finding> {
    let min_similarity = rule.spec.params.min_similarity.unwrap_or(0.85);
    let claims: Vec<&Claim> = group.claims.iter().filter(|c| is_name(c)).collect();
    let plurals = plural_spellings(&claims);
    let spelling = |c: &Claim| -> String {
        let v = same_apostrophe(&c.value);
        match v.strip_suffix('s') {
            Some(bare) if plurals.contains(&v) => bare.to_string(),
            _ => v,
        }
    };
    let mut spellings: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for c in &claims {
        spellings.entry(spelling(c)).or_default().insert(&c.doc);
    }
    if spellings.len() < 2 {
        return Vec::new();
    }
    let docs: BTreeSet<&str> = claims.iter().map(|c| &*c.doc).collect();
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
    let subject = claims
        .first()
        .map(|c| c.subject.clone())
        .unwrap_or_default();
    let mut values = BTreeMap::new();
    values.insert("subject", subject);
    values.insert("variants", variants);
    values.insert("key", group.label.clone());
    // One claim per (document, spelling) is evidence enough.
    let mut seen = BTreeSet::new();
    let claims = claims
        .iter()
        .filter(|c| seen.insert((c.doc.clone(), spelling(c))))
        .map(|c| FindingClaim {
            claim: (*c).clone(),
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
