//! Stage 5: keying. Claims from different documents are grouped when they
//! are about the same thing: one person across spellings ("Zelensky" /
//! "Zelenskyy"), one event across outlets (a call with national security
//! advisers), one counted set (countries ready to give guarantees).
//!
//! Input: every document's claims. Output: [`Group`]s of comparable claims,
//! in a deterministic order.

use crate::check::timevalue::TimeValue;
use crate::claims::{Claim, SubjectKind};
use crate::extract::lexicon::{GazetteerKind, Lexicon};
use std::collections::{BTreeMap, BTreeSet};

/// Claims about one key.
#[derive(Debug, Clone)]
pub struct Group {
    /// Machine key: "role|Marco Rubio|national security adviser".
    pub key: String,
    /// The key in words: "Marco Rubio's role as national security adviser".
    pub label: String,
    pub attribute: String,
    pub claims: Vec<Claim>,
}

/// People across documents: full names whose first names agree and whose
/// surnames are near-identical (Jaro-Winkler) are one person; a bare
/// surname joins the one full name it matches.
pub fn person_canonicals(claims: &[Claim]) -> BTreeMap<String, String> {
    let (names, labels) = person_clusters(claims);
    names
        .iter()
        .zip(&labels)
        .map(|(name, &label)| (name.to_string(), names[label].to_string()))
        .collect()
}

/// The distinct person names of `claims` in order, and for each the index
/// of its cluster's label among them.
fn person_clusters(claims: &[Claim]) -> (Vec<&str>, Vec<usize>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in claims
        .iter()
        .filter(|c| c.subject_kind == SubjectKind::Person)
    {
        *counts.entry(c.subject.as_str()).or_default() += 1;
    }
    let names: Vec<&str> = counts.keys().copied().collect();
    let mut parent: Vec<usize> = (0..names.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let split = |name: &str| -> (String, String) {
        let words: Vec<&str> = name
            .split_whitespace()
            .filter(|w| !(w.len() == 2 && w.ends_with('.')))
            .collect();
        let first = if words.len() >= 2 {
            words[0].to_lowercase()
        } else {
            String::new()
        };
        let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
        (first, last)
    };
    // Split once: this runs per story and was quadratic in allocations.
    let parts: Vec<(String, String)> = names.iter().map(|n| split(n)).collect();
    // Two full names join only with the same first name, so only names
    // sharing one are compared.
    let mut by_first: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    // Full names by surname: a bare surname is compared with each distinct
    // surname once, not with every full name bearing it.
    let mut by_last: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (first, last)) in parts.iter().enumerate() {
        if !first.is_empty() {
            by_first.entry(first.as_str()).or_default().push(i);
            by_last.entry(last.as_str()).or_default().push(i);
        }
    }
    for members in by_first.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let (li, lj) = (&parts[i].1, &parts[j].1);
                if li == lj || strsim::jaro_winkler(li, lj) >= 0.9 {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a] = b;
                }
            }
        }
    }
    // Bare surnames join the single cluster with that exact surname.
    for (i, (first, last)) in parts.iter().enumerate() {
        if !first.is_empty() {
            continue;
        }
        let mut roots: BTreeSet<usize> = BTreeSet::new();
        for (lj, members) in &by_last {
            if *lj == last.as_str() || strsim::jaro_winkler(lj, last) >= 0.92 {
                for &j in members {
                    roots.insert(find(&mut parent, j));
                }
            }
        }
        if roots.len() == 1 {
            if let Some(&root) = roots.iter().next() {
                let a = find(&mut parent, i);
                parent[a] = root;
            }
        }
    }
    // The label of a cluster: its most claimed full name.
    let mut best: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        let root = find(&mut parent, i);
        let words = name.split_whitespace().count();
        let score = (words.min(2), counts[name], i);
        let entry = best.entry(root).or_insert((0, 0, usize::MAX));
        if (score.0, score.1) > (entry.0, entry.1)
            || ((score.0, score.1) == (entry.0, entry.1)
                && entry.2 != usize::MAX
                && names[score.2] < names[entry.2])
        {
            *entry = score;
        }
    }
    let labels = (0..names.len())
        .map(|i| {
            let root = find(&mut parent, i);
            best.get(&root).map_or(i, |b| b.2)
        })
        .collect();
    (names, labels)
}

/// How rare a participant is across the bundle's documents: people and
/// groups every source names (the story's protagonists) say little about
/// which event a mention is.
///
/// People and places get their inverse document frequency; organisations
/// and office groups ("defense ministers") never weigh less than
/// `NON_PERSON_FLOOR`: a small bundle where every source names NATO is a
/// bundle about one NATO event, not noise.
fn participant_weights(claims: &[Claim], docs: usize) -> BTreeMap<String, f64> {
    // Per name: the documents naming it, and whether it is a person (a
    // flag here rather than a second set of every claim's subject).
    let mut seen: BTreeMap<&str, (BTreeSet<&str>, bool)> = BTreeMap::new();
    for c in claims {
        if c.subject_kind == SubjectKind::Person {
            let entry = seen.entry(c.subject.as_str()).or_default();
            entry.0.insert(&c.doc);
            entry.1 = true;
        }
        for p in &c.participants {
            seen.entry(p.as_str()).or_default().0.insert(&c.doc);
        }
    }
    let n = docs.max(1) as f64;
    seen.iter()
        .map(|(name, (in_docs, person))| {
            let idf = ((n + 1.0) / in_docs.len() as f64).ln();
            let place = Lexicon::builtin()
                .gazetteer(name)
                .is_some_and(|e| e.kind == GazetteerKind::Place && e.canonical == *name);
            let weight = if *person || place {
                idf
            } else {
                idf.max(NON_PERSON_FLOOR)
            };
            (name.to_string(), weight)
        })
        .collect()
}

/// Two documents' events are one event when they share a distinctive
/// participant (weight at least `EVENT_ONE`) or several whose weights add
/// up to `EVENT_SUM`: the story's protagonists alone never match events.
const EVENT_ONE: f64 = 0.6;
const EVENT_SUM: f64 = 1.0;
const NON_PERSON_FLOOR: f64 = 0.5;

/// Groups claims by key. `docs` is the number of documents in the bundle.
pub fn group(mut claims: Vec<Claim>, docs: usize) -> Vec<Group> {
    // Only the names whose canonical form differs are rewritten: most
    // people are already spelled as their cluster's label, and cloning
    // the label into every claim cost an allocation per claim.
    let renames: BTreeMap<String, String> = {
        let (names, labels) = person_clusters(&claims);
        names
            .iter()
            .zip(&labels)
            .filter(|&(name, &label)| *name != names[label])
            .map(|(name, &label)| (name.to_string(), names[label].to_string()))
            .collect()
    };
    for c in &mut claims {
        if !renames.is_empty() {
            if c.subject_kind == SubjectKind::Person {
                if let Some(canonical) = renames.get(&c.subject) {
                    c.subject = canonical.clone();
                }
            }
            for p in &mut c.participants {
                if let Some(canonical) = renames.get(p) {
                    *p = canonical.clone();
                }
            }
        }
        c.participants.sort();
        c.participants.dedup();
    }
    let weights = participant_weights(&claims, docs);
    let event_names = cluster_events(&claims, &weights);

    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    // One buffer for every claim's key: the key is allocated only when it
    // opens a group.
    let mut key = String::new();
    for c in claims {
        group_key(&c, &event_names, &mut key);
        if let Some(g) = groups.get_mut(key.as_str()) {
            g.claims.push(c);
            continue;
        }
        // The label is written once per group, not once per claim.
        groups.insert(
            key.clone(),
            Group {
                key: key.clone(),
                label: group_label(&c, &event_names),
                attribute: c.attribute.clone(),
                claims: vec![c],
            },
        );
    }
    let mut out: Vec<Group> = groups.into_values().collect();
    for g in &mut out {
        g.claims
            .sort_by(|a, b| (&a.doc, a.start, &a.value).cmp(&(&b.doc, b.start, &b.value)));
    }
    out
}

/// Local events, by document then document-local event name, named by
/// their cross-document key and label.
type EventNames = BTreeMap<String, BTreeMap<String, (String, String)>>;

fn event_name<'a>(event_names: &'a EventNames, c: &Claim) -> Option<&'a (String, String)> {
    event_names.get(&*c.doc)?.get(&c.subject)
}

/// Writes the key of the group a claim joins into `out`.
fn group_key(c: &Claim, event_names: &EventNames, out: &mut String) {
    out.clear();
    let facet = c.facet.as_deref().unwrap_or_default();
    match c.attribute.as_str() {
        "role" => {
            for part in ["role|", &c.subject, "|", facet] {
                out.push_str(part);
            }
        }
        "count" => {
            out.push_str("count|");
            out.push_str(facet);
        }
        "spelling" => {
            out.push_str("spelling|");
            out.push_str(&c.subject);
        }
        "date" => match event_name(event_names, c) {
            Some((key, _)) => {
                out.push_str("date|");
                out.push_str(key);
            }
            None => {
                for part in ["date|", &c.doc, "|", &c.subject] {
                    out.push_str(part);
                }
            }
        },
        other => {
            for part in [other, "|", &c.subject] {
                out.push_str(part);
            }
        }
    }
}

/// The key of a claim's group in words.
fn group_label(c: &Claim, event_names: &EventNames) -> String {
    match c.attribute.as_str() {
        "role" => format!(
            "{}'s role as {}",
            c.subject,
            c.facet.as_deref().unwrap_or_default()
        ),
        "count" => format!(
            "number of {}",
            plural_noun(c.facet.as_deref().unwrap_or_default())
        ),
        "spelling" => format!("spelling of {}'s name", c.subject),
        "date" => match event_name(event_names, c) {
            Some((_, label)) => label.clone(),
            None if c.subject.starts_with("phrase#") => format!("date “{}”", c.text),
            None => format!("date of {} in {}", c.subject, c.doc),
        },
        other => format!("{other} of {}", c.subject),
    }
}

/// Event claims that name an event, not a self-contained date phrase.
fn is_event(c: &Claim) -> bool {
    c.subject_kind == SubjectKind::Event && !c.subject.starts_with("phrase#")
}

/// (document, document-local event name).
type EventKey<'a> = (&'a str, &'a str);

/// Outlets call one conversation a call, a meeting or talks; a call and
/// a round of negotiations are different things.
fn classes_compatible(a: &str, b: &str) -> bool {
    a == b
        || matches!(
            (a, b),
            ("call", "meeting") | ("meeting", "call") | ("meeting", "talks") | ("talks", "meeting")
        )
}

/// The relative times (worked out from the writer's publication date)
/// of one document-level event's date claims.
fn relative_times(mentions: &[(&[String], &Claim)]) -> Vec<TimeValue> {
    mentions
        .iter()
        .filter(|(_, c)| c.resolved.as_deref() != Some("absolute"))
        .filter_map(|(_, c)| TimeValue::parse(&c.value))
        .collect()
}

/// Two events whose writers each worked out the dates from their own
/// publication dates ("on Tuesday", "last weekend") and never agree on one
/// are different events; a stated date that disagrees may be an error and
/// stays comparable.
fn events_told_apart(a: &[TimeValue], b: &[TimeValue]) -> bool {
    !a.is_empty() && !b.is_empty() && a.iter().all(|x| b.iter().all(|y| !x.agrees(y)))
}

/// The weights of the participants two sorted, deduplicated lists share,
/// in ascending name order (the order a set intersection yields them).
fn shared_weights(a: &[String], b: &[String], weights: &BTreeMap<String, f64>) -> Vec<f64> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(weights.get(&a[i]).copied().unwrap_or(0.0));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn plural_noun(noun: &str) -> String {
    // "person killed" -> "people killed": the noun is the first word.
    if let Some((head, rest)) = noun.split_once(' ') {
        return format!("{} {rest}", plural_noun(head));
    }
    match noun {
        "country" => "countries".into(),
        "person" => "people".into(),
        "man" => "men".into(),
        "woman" => "women".into(),
        "child" => "children".into(),
        n if n.ends_with('s') => n.into(),
        n if n.ends_with('y') => format!("{}ies", &n[..n.len() - 1]),
        n => format!("{n}s"),
    }
}

/// Matches document-level events across documents. Returns, for each
/// (document, local event), a bundle-wide key and a label.
///
/// Every claim's participants are sorted and deduplicated (by [`group`]).
fn cluster_events(claims: &[Claim], weights: &BTreeMap<String, f64>) -> EventNames {
    // Document-level events with the union of their participants, and
    // the trigger word each was first reported with.
    let mut lemmas: BTreeMap<EventKey, &str> = BTreeMap::new();
    for c in claims.iter().filter(|c| is_event(c)) {
        if let Some(lemma) = &c.facet {
            lemmas
                .entry((&*c.doc, c.subject.as_str()))
                .or_insert(lemma.as_str());
        }
    }
    // Each document-level event keeps its mentions' participant sets
    // apart: two events match when one mention of each shares distinctive
    // participants in its own sentence.
    type Event<'a> = (&'a str, BTreeSet<&'a str>, Vec<(&'a [String], &'a Claim)>);
    let mut by_key: BTreeMap<EventKey, Event> = BTreeMap::new();
    for c in claims.iter().filter(|c| is_event(c)) {
        let entry = by_key
            .entry((&*c.doc, c.subject.as_str()))
            .or_insert_with(|| {
                (
                    c.event_class.as_deref().unwrap_or_default(),
                    BTreeSet::new(),
                    Vec::new(),
                )
            });
        entry.1.extend(c.participants.iter().map(String::as_str));
        entry.2.push((c.participants.as_slice(), c));
    }
    let keys: Vec<EventKey> = by_key.keys().copied().collect();
    let events: Vec<Event> = by_key.into_values().collect();
    // Parsed once per event, not once per pair of events compared.
    let relative: Vec<Vec<TimeValue>> = events.iter().map(|e| relative_times(&e.2)).collect();
    let mut pairs = Vec::new();
    for i in 0..keys.len() {
        for j in i + 1..keys.len() {
            if keys[i].0 == keys[j].0 {
                continue;
            }
            if !classes_compatible(events[i].0, events[j].0)
                || events_told_apart(&relative[i], &relative[j])
            {
                continue;
            }
            let mut best: Option<f64> = None;
            for (pi, _) in &events[i].2 {
                for (pj, _) in &events[j].2 {
                    let shared = shared_weights(pi, pj, weights);
                    let score: f64 = shared.iter().sum();
                    let strongest = shared.iter().copied().fold(0.0, f64::max);
                    if strongest >= EVENT_ONE || score >= EVENT_SUM {
                        best = Some(best.map_or(score, |b: f64| b.max(score)));
                    }
                }
            }
            if let Some(score) = best {
                pairs.push((score, i, j));
            }
        }
    }
    // Strongest links first; a cluster never takes two events of one
    // document, so a chain of weak links cannot swallow a whole bundle.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut cluster: Vec<usize> = (0..keys.len()).collect();
    for (_, i, j) in pairs {
        let (ci, cj) = (cluster[i], cluster[j]);
        if ci == cj {
            continue;
        }
        let docs_i: BTreeSet<&str> = (0..keys.len())
            .filter(|&k| cluster[k] == ci)
            .map(|k| keys[k].0)
            .collect();
        // A cluster never joins events of different classes or events the
        // writers' own relative dates tell apart, however it grew.
        let members_i: Vec<usize> = (0..keys.len()).filter(|&k| cluster[k] == ci).collect();
        let members_j: Vec<usize> = (0..keys.len()).filter(|&k| cluster[k] == cj).collect();
        let incompatible = members_i.iter().any(|&a| {
            members_j.iter().any(|&b| {
                !classes_compatible(events[a].0, events[b].0)
                    || events_told_apart(&relative[a], &relative[b])
            })
        });
        let clash =
            incompatible || (0..keys.len()).any(|k| cluster[k] == cj && docs_i.contains(keys[k].0));
        if clash {
            continue;
        }
        for c in cluster.iter_mut() {
            if *c == cj {
                *c = ci;
            }
        }
    }
    let mut out: EventNames = BTreeMap::new();
    for (k, key) in keys.iter().enumerate() {
        let members: Vec<usize> = (0..keys.len())
            .filter(|&m| cluster[m] == cluster[k])
            .collect();
        // The trigger most members used ("call" over one "meeting").
        let mut lemma_counts: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &members {
            if let Some(lemma) = lemmas.get(&keys[*m]) {
                *lemma_counts.entry(lemma).or_default() += 1;
            }
        }
        let class = lemma_counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(l, _)| *l)
            .unwrap_or_default();
        // Name the cluster by its most distinctive shared participants.
        let mut shared: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &members {
            for p in &events[*m].1 {
                *shared.entry(p).or_default() += 1;
            }
        }
        let mut named: Vec<(&str, f64)> = shared
            .iter()
            .filter(|(_, n)| **n >= 2 || members.len() == 1)
            .map(|(p, _)| (*p, weights.get(*p).copied().unwrap_or(0.0)))
            .collect();
        // Office groups ("national security adviser") describe a meeting
        // best, then the rarest names.
        let is_group = |p: &str| p.chars().next().is_some_and(char::is_lowercase);
        named.sort_by(|a, b| {
            is_group(b.0)
                .cmp(&is_group(a.0))
                .then(b.1.total_cmp(&a.1))
                .then(a.0.cmp(b.0))
        });
        let who: Vec<&str> = named.iter().take(3).map(|(p, _)| *p).collect();
        let first = &keys[members[0]];
        let cluster_key = format!("{class}|{}|{}", first.0, first.1);
        let label = if who.is_empty() {
            format!("{class} ({})", first.1)
        } else {
            format!("{class} with {}", who.join(", "))
        };
        out.entry(key.0.to_string())
            .or_default()
            .insert(key.1.to_string(), (cluster_key, label));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(doc: &str, name: &str) -> Claim {
        Claim {
            doc: doc.into(),
            path: doc.into(),
            story: None,
            source: None,
            published: None,
            subject: name.into(),
            subject_kind: SubjectKind::Person,
            attribute: "spelling".into(),
            facet: Some("surname".into()),
            value: name.split_whitespace().last().unwrap_or("").into(),
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
            text: name.into(),
            sentence: "".into(),
        }
    }

    #[test]
    fn person_canonicals_merges_spelling_variants_with_the_same_first_name() {
        let claims = vec![
            person("a", "Volodymyr Zelensky"),
            person("b", "Volodymyr Zelenskyy"),
            person("b", "Volodymyr Zelenskyy"),
            person("c", "Trump"),
            person("d", "Donald Trump"),
            person("e", "Vladimir V. Putin"),
            person("f", "Vladimir Putin"),
        ];
        let map = person_canonicals(&claims);
        assert_eq!(map["Volodymyr Zelensky"], "Volodymyr Zelenskyy");
        assert_eq!(map["Trump"], "Donald Trump");
        assert_eq!(map["Vladimir V. Putin"], map["Vladimir Putin"]);
    }

    #[test]
    fn person_canonicals_keeps_different_first_names_apart() {
        let claims = vec![
            person("a", "John Smith"),
            person("b", "Jane Smith"),
            person("c", "Smith"),
        ];
        let map = person_canonicals(&claims);
        assert_ne!(map["John Smith"], map["Jane Smith"]);
        // An ambiguous bare surname stays itself.
        assert_eq!(map["Smith"], "Smith");
    }

    fn event(doc: &str, id: &str, participants: &[&str]) -> Claim {
        let mut c = person(doc, id);
        c.subject_kind = SubjectKind::Event;
        c.attribute = "date".into();
        c.event_class = Some("talks".into());
        c.participants = participants.iter().map(|p| p.to_string()).collect();
        c
    }

    #[test]
    fn group_matches_events_by_distinctive_participants_only() {
        let mut claims = vec![
            event(
                "a",
                "talks#1",
                &["Marco Rubio", "national security adviser"],
            ),
            event(
                "b",
                "talks#1",
                &["Marco Rubio", "national security adviser", "NATO"],
            ),
            event("c", "talks#2", &["Marco Rubio", "official"]),
        ];
        for doc in ["a", "b", "c", "d", "e"] {
            claims.push(person(doc, "Marco Rubio"));
        }
        let groups = group(claims, 5);
        let dates: Vec<&Group> = groups.iter().filter(|g| g.attribute == "date").collect();
        assert_eq!(
            dates.len(),
            2,
            "{:?}",
            dates.iter().map(|g| &g.key).collect::<Vec<_>>()
        );
        let sizes: BTreeSet<usize> = dates.iter().map(|g| g.claims.len()).collect();
        assert_eq!(sizes, BTreeSet::from([1, 2]));
    }
}
