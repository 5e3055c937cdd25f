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

/// Lower-case words without punctuation, contractions spelled out and
/// hyphenated words split: "We’ve" and "we have", "high-powered" and "high
/// powered" are the same words.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | '-')) {
        let w: String = raw
            .chars()
            .map(|c| if c == '’' { '\'' } else { c })
            .filter(|c| c.is_alphanumeric() || *c == '\'')
            .flat_map(char::to_lowercase)
            .collect();
        let w = w.trim_matches('\'');
        let expanded: &[&str] = match w {
            "can't" => &["can", "not"],
            "won't" => &["will", "not"],
            "n't" => &["not"],
            _ => &[],
        };
        if !expanded.is_empty() {
            out.extend(expanded.iter().map(|s| s.to_string()));
            continue;
        }
        let (stem, tail) = match w.split_once('\'') {
            Some((stem, tail)) => (stem, Some(tail)),
            None => (w, None),
        };
        let stem = match (stem, tail) {
            (s, Some("t")) if s.ends_with('n') => {
                out.push(s.trim_end_matches('n').to_string());
                out.push("not".into());
                continue;
            }
            (s, _) => s,
        };
        if !stem.is_empty() {
            out.push(stem.to_string());
        }
        match tail {
            Some("ve") => out.push("have".into()),
            Some("re") => out.push("are".into()),
            Some("ll") => out.push("will".into()),
            Some("m") => out.push("am".into()),
            Some("d") => out.push("would".into()),
            _ => {}
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// One sentence's words run unbroken inside the other's: one source cut
/// the quote ("This is just a horrible incident. …"), it did not reword it.
fn is_cut(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && long.windows(short.len()).any(|w| w == short)
}

/// The same words, or the same letters split at other places: "stead-fast"
/// and "steadfast", "every day" and "everyday" are spellings, not rewordings.
fn same_words(a: &[String], b: &[String]) -> bool {
    a == b || a.concat() == b.concat()
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
    // A sentence both sources quote word for word is settled; only the
    // sentences left over can have been reworded.
    let settled = |words: &Vec<String>, other: &[QuotedSentence]| {
        other
            .iter()
            .any(|(_, w)| same_words(w, words) || is_cut(w, words))
    };
    for (sa, wa) in a.iter().filter(|(_, w)| !settled(w, b)) {
        for (sb, wb) in b.iter().filter(|(_, w)| !settled(w, a)) {
            if same_words(wa, wb) || is_cut(wa, wb) {
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
    // Only quotes from two documents are compared: a speaker quoted by
    // one document alone (most groups) need not have its quotes parsed.
    let Some(first) = group.claims.first() else {
        return Vec::new();
    };
    if group.claims.iter().all(|c| c.doc == first.doc) {
        return Vec::new();
    }
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
            values.insert("left_source", ca.doc.to_string());
            values.insert("right_source", cb.doc.to_string());
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
    fn closest_drift_ignores_contractions_hyphens_and_cut_quotes() {
        let a = sentences("There's no way that we have been able to stop high-powered weapons.");
        let b = sentences("There's no way that we've been able to stop high powered weapons");
        assert_eq!(closest_drift(&a, &b, 0.6), None);
        let a = sentences("This is just a horrible incident. …");
        let b = sentences("This is just a horrible incident that has happened here,");
        assert_eq!(closest_drift(&a, &b, 0.6), None);
        let a = sentences(
            "To have this happen to our officers – we’ve seen this happen way too many times.",
        );
        let b = sentences("We've seen this happen way too many times.");
        assert_eq!(closest_drift(&a, &b, 0.6), None);
    }

    #[test]
    fn closest_drift_ignores_words_split_or_joined_differently() {
        let a = sentences("We will remain stead-fast in our pledge to bring justice.");
        let b = sentences("We will remain steadfast in our pledge to bring justice.");
        assert_eq!(closest_drift(&a, &b, 0.6), None);
        let a = sentences("We will remain steadfast in our pledge to bring justice.");
        let b = sentences("We will remain steadfast in our promise to bring justice.");
        assert!(closest_drift(&a, &b, 0.6).is_some());
    }

    #[test]
    fn closest_drift_skips_sentences_both_quote_word_for_word() {
        let a =
            sentences("She was very outspoken; she was always cheerful. She was always polite.");
        assert_eq!(closest_drift(&a, &a.clone(), 0.6), None);
    }

    #[test]
    fn closest_drift_leaves_different_sentences_alone() {
        let a = sentences("We don't know how many countries are ready for boots on the ground.");
        let b = sentences("Some may contribute boots on the ground.");
        assert_eq!(closest_drift(&a, &b, 0.6), None);
    }
}
