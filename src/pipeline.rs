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
            for f in &mut findings {
                f.story = Some((*story).to_string());
            }
            findings
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// The reduce side of a distributed run: rules over pre-extracted claims
/// (`dump claims --format jsonl`), story by story. Documents are known only
/// by the claims' `doc` and `published` fields.
pub fn check_claim_stories(claims: Vec<Claim>, rules: &[Rule]) -> Vec<Finding> {
    use rayon::prelude::*;
    let mut stories: std::collections::BTreeMap<Option<String>, Vec<Claim>> =
        std::collections::BTreeMap::new();
    for claim in claims {
        stories.entry(claim.story.clone()).or_default().push(claim);
    }
    let stories: Vec<(Option<String>, Vec<Claim>)> = stories.into_iter().collect();
    stories
        .into_par_iter()
        .map(|(story, claims)| {
            let mut docs: Vec<(String, Option<chrono::NaiveDate>)> = claims
                .iter()
                .map(|c| (c.doc.clone(), c.published))
                .collect();
            docs.sort();
            docs.dedup();
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
