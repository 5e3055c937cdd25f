//! The stages wired together: what `check` and `dump claims` run.

use crate::cache::{Cache, RulesDigest};
use crate::check::{self, spec::Rule, Context, Finding};
use crate::claims::{self, Claim, Extraction};
use crate::extract::{entity, event, quantity, quote, role};
use crate::model::{Document, Sentence};
use crate::progress::{Event, Progress};
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

/// What a run may add around the stages: a claims cache and progress
/// events. The default adds nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hooks<'a> {
    pub cache: Option<&'a Cache>,
    pub progress: Option<&'a Progress>,
}

impl Hooks<'_> {
    fn emit(&self, event: Event) {
        if let Some(progress) = self.progress {
            progress.emit(event);
        }
    }
}

/// One document's claims: from the cache when it has them, else analysed.
pub fn document_claims(doc: &Document, hooks: Hooks) -> Vec<Claim> {
    let claims = match hooks.cache {
        Some(cache) => cache.claims(doc, |d| analyze(d).claims),
        None => analyze(doc).claims,
    };
    hooks.emit(Event::Analyzed);
    claims
}

/// The whole check of a bundle's documents.
pub fn check_documents(documents: &[Document], rules: &[Rule]) -> Vec<Finding> {
    check_documents_with(documents, rules, Hooks::default())
}

/// [`check_documents`] with a cache and progress events.
pub fn check_documents_with(documents: &[Document], rules: &[Rule], hooks: Hooks) -> Vec<Finding> {
    let digest = hooks.cache.map(|_| Cache::rules_digest(rules));
    let findings = check_story(documents, rules, hooks, digest.as_ref());
    hooks.emit(Event::StoryChecked);
    findings
}

fn check_story(
    documents: &[Document],
    rules: &[Rule],
    hooks: Hooks,
    digest: Option<&RulesDigest>,
) -> Vec<Finding> {
    use rayon::prelude::*;
    let docs: Vec<(String, Option<chrono::NaiveDate>)> = documents
        .iter()
        .map(|d| (d.id.clone(), d.published))
        .collect();
    let (Some(cache), Some(digest)) = (hooks.cache, digest) else {
        // Collecting an indexed parallel iterator keeps document order.
        let claims: Vec<Claim> = documents
            .par_iter()
            .map(|d| document_claims(d, hooks))
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect();
        return check_claims(claims, &docs, rules);
    };
    // An unchanged story is answered whole: its claims are not even read.
    let keys: Vec<String> = documents.par_iter().map(|d| cache.key(d)).collect();
    let story = cache.story_key(&keys, digest);
    if let Some(findings) = cache.findings(&story, documents.len()) {
        for _ in documents {
            hooks.emit(Event::Analyzed);
        }
        return findings;
    }
    let claims: Vec<Claim> = documents
        .par_iter()
        .zip(&keys)
        .map(|(doc, key)| {
            let claims = cache.claims_by_key(doc, key, |d| analyze(d).claims);
            hooks.emit(Event::Analyzed);
            claims
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    let findings = check_claims(claims, &docs, rules);
    cache.store_findings(&story, &findings);
    findings
}

/// Checks each story of a grouped archive on its own, in parallel; the
/// findings come back in story order whatever the thread count.
pub fn check_groups(documents: &[Document], rules: &[Rule]) -> Vec<Finding> {
    check_groups_with(documents, rules, Hooks::default())
}

/// [`check_groups`] with a cache and progress events.
pub fn check_groups_with(documents: &[Document], rules: &[Rule], hooks: Hooks) -> Vec<Finding> {
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
    let digest = hooks.cache.map(|_| Cache::rules_digest(rules));
    stories
        .par_iter()
        .map(|(story, docs)| {
            let mut findings = check_story(docs, rules, hooks, digest.as_ref());
            // Records without the field are checked together but belong to
            // no story, as in a run on claims (`--claims`).
            let story = Some(*story).filter(|s| !s.is_empty());
            for f in &mut findings {
                f.story = story.map(str::to_string);
            }
            hooks.emit(Event::StoryChecked);
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
