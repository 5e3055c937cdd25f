//! `drift`: quotes by one speaker that are near-identical but not equal.
//!
//! Quotes are compared sentence by sentence (one outlet may quote more
//! than another); two sentences drift when their word-level similarity is
//! at least `min_similarity` but below 1 after case and punctuation are
//! dropped.

use super::finding;
use crate::check::spec::Rule;
use crate::check::{render, Finding, FindingClaim};
use crate::claims::Claim;
use crate::key::Group;
use std::collections::BTreeMap;

/// Lower-case words without punctuation: "We’re" and "we're" are one word.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '—' | '–'))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A quoted sentence as written and as lower-case words.
type QuotedSentence = (String, Vec<String>);

/// The quote's sentences, as word lists (short fragments dropped).
fn sentences(text: &str) -> Vec<QuotedSentence> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        if matches!(c, '.' | '?' | '!' | ';') {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().trim_end_matches(',').to_string())
        .map(|s| {
            let w = words(&s);
            (s, w)
        })
        .filter(|(_, w)| w.len() >= 4)
        .collect()
}

fn similarity(a: &[String], b: &[String]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let distance = strsim::generic_levenshtein(&a.to_vec(), &b.to_vec());
    1.0 - distance as f64 / longest as f64
}

/// The most similar, not identical, pair of sentences between two quotes.
fn closest_drift<'a>(
    a: &'a [QuotedSentence],
    b: &'a [QuotedSentence],
    min: f64,
) -> Option<(f64, &'a str, &'a str)> {
    let mut best: Option<(f64, &str, &str)> = None;
    for (sa, wa) in a {
        for (sb, wb) in b {
            if wa == wb {
                continue;
            }
            let sim = similarity(wa, wb);
            if sim >= min && best.is_none_or(|(s, _, _)| sim > s) {
                best = Some((sim, sa.as_str(), sb.as_str()));
            }
        }
    }
    best
}

pub fn run(rule: &Rule, group: &Group) -> Vec<Finding> {
    let min = rule.spec.params.min_similarity.unwrap_or(0.6);
    let parsed: Vec<(&Claim, Vec<QuotedSentence>)> = group
        .claims
        .iter()
        .map(|c| (c, sentences(&c.value)))
        .collect();
    let mut out = Vec::new();
    for (i, (ca, sa)) in parsed.iter().enumerate() {
        for (cb, sb) in parsed.iter().skip(i + 1) {
            if ca.doc == cb.doc {
                continue;
            }
            let Some((_, left, right)) = closest_drift(sa, sb, min) else {
                continue;
            };
            let mut values = BTreeMap::new();
            values.insert("subject", ca.subject.clone());
            values.insert("left", left.to_string());
            values.insert("right", right.to_string());
            values.insert("left_source", ca.doc.clone());
            values.insert("right_source", cb.doc.clone());
            values.insert("key", group.label.clone());
            let claims = vec![
                FindingClaim {
                    claim: (*ca).clone(),
                    outlier: false,
                },
                FindingClaim {
                    claim: (*cb).clone(),
                    outlier: false,
                },
            ];
            out.push(finding(
                rule,
                rule.spec.severity,
                &format!("{}|{}|{}", group.key, ca.doc, cb.doc),
                &group.label,
                render(&rule.spec.message, &values),
                None,
                claims,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_drift_finds_the_reworded_sentence_only() {
        let a = sentences("Some may provide forces on the ground. Some are ready to provide air defense. Some will cover the sky.");
        let b = sentences(
            "Some may contribute boots on the ground. Some are ready to provide air defense,",
        );
        let (sim, left, right) = closest_drift(&a, &b, 0.6).unwrap();
        assert_eq!(left, "Some may provide forces on the ground.");
        assert_eq!(right, "Some may contribute boots on the ground.");
        assert!(sim > 0.6 && sim < 1.0);
    }

    #[test]
    fn closest_drift_ignores_case_punctuation_and_cut_quotes() {
        let a = sentences("We’re going to help them out also. We’ll be involved.");
        let b = sentences("we're going to help them out, also! We'll be involved");
        assert_eq!(closest_drift(&a, &b, 0.6), None);
    }

    #[test]
    fn closest_drift_leaves_different_sentences_alone() {
        let a = sentences("We don't know how many countries are ready for boots on the ground.");
        let b = sentences("Some may contribute boots on the ground.");
        assert_eq!(closest_drift(&a, &b, 0.6), None);
    }
}
