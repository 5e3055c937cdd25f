//! The stages wired together: what `check` and `dump claims` run.

use crate::check::{self, spec::Rule, Context, Finding};
use crate::claims::{self, Claim, Extraction};
use crate::extract::{entity, event, quantity, quote, role};
use crate::model::{Document, Sentence};
use crate::{key, segment};

/// One document through segment, extract and claims.
#[derive(Debug)]
pub struct Analysis {
    pub sentences: Vec<Sentence>,
    pub extraction: Extraction,
    pub claims: Vec<Claim>,
}

/// Runs the per-document stages.
pub fn analyze(doc: &Document) -> Analysis {
    let sentences = segment::sentences(doc);
    let ranges: Vec<std::ops::Range<usize>> = sentences.iter().map(|s| s.start..s.end).collect();
    let entities = entity::extract_entities(&doc.text, &ranges);
    let roles = role::extract_roles(&doc.text, &ranges, &entities);
    let times = crate::extract::time_anchors(doc, &ranges);
    let events = event::extract_events(&doc.text, &ranges, &entities, &times);
    let quantities = quantity::extract_quantities(&doc.text, &ranges);
    let quotes = quote::extract_quotes(&doc.text, &ranges);
    let extraction = Extraction {
        entities,
        roles,
        events,
        quantities,
        quotes,
        times,
    };
    let claims = claims::claims(doc, &sentences, &extraction);
    Analysis {
        sentences,
        extraction,
        claims,
    }
}

/// Keys every document's claims together and runs the rules.
pub fn check_claims(
    claims: Vec<Claim>,
    docs: &[(String, Option<chrono::NaiveDate>)],
    rules: &[Rule],
) -> Vec<Finding> {
    let groups = key::group(claims, docs.len());
    let context = Context::new(docs, &groups);
    check::run(rules, &groups, &context)
}

/// The whole check of a bundle's documents.
pub fn check_documents(documents: &[Document], rules: &[Rule]) -> Vec<Finding> {
    let claims: Vec<Claim> = documents.iter().flat_map(|d| analyze(d).claims).collect();
    let docs: Vec<(String, Option<chrono::NaiveDate>)> = documents
        .iter()
        .map(|d| (d.id.clone(), d.published))
        .collect();
    check_claims(claims, &docs, rules)
}

/// Checks each story of a grouped archive on its own, in parallel; the
/// findings come back in story order whatever the thread count.
pub fn check_groups(documents: &[Document], rules: &[Rule]) -> Vec<Finding> {
    use rayon::prelude::*;
    let mut stories: std::collections::BTreeMap<&str, Vec<Document>> =
        std::collections::BTreeMap::new();
    for doc in documents {
        stories
            .entry(doc.group.as_deref().unwrap_or(""))
            .or_default()
            .push(doc.clone());
    }
    let stories: Vec<(&str, Vec<Document>)> = stories.into_iter().collect();
    stories
        .par_iter()
        .map(|(story, docs)| {
            let mut findings = check_documents(docs, rules);
            // Records without the field are checked together but belong to
            // no story, as in a run on claims (`--claims`).
            let story = Some(*story).filter(|s| !s.is_empty());
            for f in &mut findings {
                f.story = story.map(str::to_string);
            }
            findings
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// The reduce side of a distributed run: rules over pre-extracted claims
/// (`dump claims --format jsonl`), story by story. `documents` are the
/// documents the claims came from (text-less, as the interchange carries
/// them): a document with no claims still counts in its story.
pub fn check_claim_stories(
    claims: Vec<Claim>,
    documents: &[Document],
    rules: &[Rule],
) -> Vec<Finding> {
    use rayon::prelude::*;
    use std::collections::{BTreeMap, HashMap};
    type Story = (Vec<(String, Option<chrono::NaiveDate>)>, Vec<Claim>);
    let mut stories: BTreeMap<Option<String>, Story> = BTreeMap::new();
    let mut story_of: HashMap<&str, &Option<String>> = HashMap::new();
    for doc in documents {
        story_of.insert(&doc.id, &doc.group);
        stories
            .entry(doc.group.clone())
            .or_default()
            .0
            .push((doc.id.clone(), doc.published));
    }
    for claim in claims {
        // A claim belongs to its document's story; the claim's own key
        // only for a document the stream did not describe.
        let story = match story_of.get(claim.doc.as_str()) {
            Some(story) => (*story).clone(),
            None => claim.story.clone(),
        };
        stories.entry(story).or_default().1.push(claim);
    }
    let stories: Vec<(Option<String>, Story)> = stories.into_iter().collect();
    stories
        .into_par_iter()
        .filter(|(_, (_, claims))| !claims.is_empty())
        .map(|(story, (mut docs, mut claims))| {
            // Document order, as `check` on the articles sees them, whatever
            // order a shuffle delivered the documents in; stable, so each
            // document's claims keep the order they were extracted in.
            claims.sort_by(|a, b| a.doc.cmp(&b.doc));
            for c in &claims {
                docs.push((c.doc.clone(), c.published));
            }
            docs.sort();
            docs.dedup_by(|a, b| a.0 == b.0);
            let mut findings = check_claims(claims, &docs, rules);
            for f in &mut findings {
                f.story = story.clone();
            }
            findings
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}
