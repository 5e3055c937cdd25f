//! Swaps: a person's name, a number, a month or a weekday that the copy
//! puts in place of another between the same words of the aligned
//! original sentence ("the founder, Watson, was arrested" -> "the
//! founder, Rao, was arrested"). The word check cannot see these when the
//! new word stands elsewhere in the original: a summary that swaps two
//! people of the same story uses only supported words.

use super::facts::{norm, numeric, spans, Collector, Context, Side};
use super::rules;
use super::words;
use crate::extract::entity::{EntityKind, EntityMention};
use std::ops::Range;

/// A changed stretch longer than this is a rewritten clause, not a swap.
const MAX_SWAP_WORDS: usize = 3;

/// The words of the sentences `indices` of one side, with byte spans into
/// the document, and as the support check reads them.
fn words_of(side: &Side, indices: &[usize]) -> (Vec<(Range<usize>, String)>, Vec<String>) {
    let mut found = Vec::new();
    for &i in indices {
        let Some(s) = side.analysis.sentences.get(i) else {
            continue;
        };
        let Some(text) = side.doc.text.get(s.start..s.end) else {
            continue;
        };
        for (r, w) in spans(text) {
            found.push((s.start + r.start..s.start + r.end, w.to_string()));
        }
    }
    let keys = found.iter().map(|(_, w)| norm(w)).collect();
    (found, keys)
}

/// The person entity that holds byte `at`, if any.
fn person_at(entities: &[EntityMention], at: usize, unknown_too: bool) -> Option<&EntityMention> {
    entities.iter().find(|e| {
        e.start <= at
            && at < e.end
            && (e.kind == EntityKind::Person || (unknown_too && e.kind == EntityKind::Unknown))
    })
}

/// Whether `a` spells the same name as one of `names` (equal, or a
/// transliteration sharing all but the last three letters).
fn same_name(a: &str, names: &[String]) -> bool {
    let a = norm(a);
    let stem: String = a
        .chars()
        .take(a.chars().count().saturating_sub(3).max(4))
        .collect();
    names
        .iter()
        .any(|n| *n == a || n.starts_with(&stem) || a.starts_with(n.as_str()))
}

fn is_calendar(word: &str) -> Option<&'static str> {
    let w = norm(word);
    let lexicon = crate::extract::lexicon::MONTH_NAMES
        .iter()
        .map(|m| (*m, "month"))
        .chain(
            crate::extract::lexicon::WEEKDAY_NAMES
                .iter()
                .map(|d| (*d, "weekday")),
        );
    // "may" is the verb far more often than the month.
    lexicon
        .filter(|(name, _)| *name != "may")
        .find(|(name, _)| *name == w)
        .map(|(_, kind)| kind)
}

/// Compares each copy sentence with its aligned original sentences word
/// by word and reports swapped names, numbers and calendar words.
pub(super) fn swaps(cx: &Context, out: &mut Collector) {
    let original_people = &cx.original.analysis.extraction.entities;
    let copy_people = &cx.copy.analysis.extraction.entities;
    let copy_quantities = &cx.copy.analysis.extraction.quantities;
    let original_quantities = &cx.original.analysis.extraction.quantities;
    for (j, aligned) in cx.aligned.iter().enumerate() {
        if aligned.is_empty() {
            continue;
        }
        let (ow, ok) = words_of(cx.original, aligned);
        let (cw, ck) = words_of(cx.copy, &[j]);
        let ops = words::diff(&ok, &ck);
        for change in words::changes(&ops) {
            let (removed, added) = (change.removed.clone(), change.added.clone());
            if removed.is_empty()
                || added.is_empty()
                || removed.len() > MAX_SWAP_WORDS
                || added.len() > MAX_SWAP_WORDS
                || !(change.anchored_before || change.anchored_after)
            {
                continue;
            }
            let (Some(o), Some(c)) = (ow.get(removed.clone()), cw.get(added.clone())) else {
                continue;
            };
            let span = |w: &[(Range<usize>, String)]| {
                let start = w.first().map_or(0, |x| x.0.start);
                let end = w.last().map_or(start, |x| x.0.end);
                start..end
            };
            let (os, cs) = (span(o), span(c));
            if out.covers(&cs) {
                continue;
            }
            // A fact word that stands on the other side too was moved,
            // not replaced ("a 26.3% decline in the fourth quarter" ->
            // "a fourth quarter decline").
            let fact = |w: &str| {
                numeric(w)
                    || is_calendar(w).is_some()
                    || w.chars().next().is_some_and(char::is_uppercase)
            };
            let moved = o
                .iter()
                .filter(|(_, w)| fact(w))
                .any(|(_, w)| ck.contains(&norm(w)))
                || c.iter()
                    .filter(|(_, w)| fact(w))
                    .any(|(_, w)| ok.contains(&norm(w)));
            if moved {
                continue;
            }
            let text = |side: &Side, r: &Range<usize>| {
                side.doc.text.get(r.clone()).unwrap_or("").to_string()
            };
            let (ot, ct) = (text(cx.original, &os), text(cx.copy, &cs));
            let found = if o.iter().any(|(_, w)| numeric(w)) && c.iter().any(|(_, w)| numeric(w)) {
                // The same value written otherwise ("1.5 million" for
                // "1,500,000") is no change.
                let value = |qs: &[crate::extract::quantity::Quantity], at: usize| {
                    qs.iter()
                        .find(|q| q.start <= at && at < q.end)
                        .map(|q| q.value)
                };
                let same_value = match (
                    value(original_quantities, os.start),
                    value(copy_quantities, cs.start),
                ) {
                    (Some(a), Some(b)) => (a - b).abs() <= a.abs() * 1e-9,
                    _ => false,
                };
                (!same_value).then_some((&rules::CHANGED_NUMBER, "count"))
            } else if let (Some(ko), Some(kc)) = (
                o.iter().find_map(|(_, w)| is_calendar(w)),
                c.iter().find_map(|(_, w)| is_calendar(w)),
            ) {
                (ko == kc).then_some(if ko == "weekday" {
                    (&rules::CHANGED_WEEKDAY, "date")
                } else {
                    (&rules::CHANGED_DATE, "date")
                })
            } else {
                // People only: a place or an organisation named otherwise
                // is often the same one ("the Kremlin" for "Moscow").
                let Some(person) = o
                    .iter()
                    .find_map(|(r, _)| person_at(original_people, r.start, false))
                else {
                    continue;
                };
                let names: Vec<String> = person.canonical.split_whitespace().map(norm).collect();
                let new_names: Vec<&String> = c
                    .iter()
                    .filter(|(r, w)| {
                        w.chars().next().is_some_and(char::is_uppercase)
                            && person_at(copy_people, r.start, true).is_some()
                    })
                    .map(|(_, w)| w)
                    .collect();
                let other =
                    !new_names.is_empty() && new_names.iter().all(|w| !same_name(w, &names));
                other.then_some((&rules::CHANGED_NAME, "spelling"))
            };
            let Some((rule, attribute)) = found else {
                continue;
            };
            let oc = cx.original.span_claim(os, attribute, &ot);
            let cc = cx.copy.span_claim(cs, attribute, &ct);
            // Calendar words name no subject of their own.
            let subject = if attribute == "date" { "event" } else { &ct };
            out.push(
                rule,
                subject,
                &[
                    ("original", format!("“{ot}”")),
                    ("copy", format!("“{ct}”")),
                    ("office", String::new()),
                ],
                Some(&oc),
                Some(&cc),
            );
        }
    }
}
