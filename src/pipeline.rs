//! The stages wired together: what `check` and `dump claims` run.

use crate::cache::{Cache, RulesDigest};
use crate::check::{self, spec::Rule, Context, Finding};
use crate::claims::{self, Claim, Extraction};
use crate::extract::{self, entity, event, quantity, quote, role};
use crate::ingest::Streamed;
use crate::model::{Document, Sentence};
use crate::progress::{Event, Progress};
use crate::{key, segment};

/// One document through segment, extract and claims.
#[derive(Debug, Default)]
pub struct Analysis {
    pub sentences: Vec<Sentence>,
    pub extraction: Extraction,
    pub claims: Vec<Claim>,
}

/// Runs the per-document stages on one document: [`analyze_many`] of it
/// alone.
pub fn analyze(doc: &Document) -> Analysis {
    analyze_many(&[doc]).pop().unwrap_or_default()
}

/// Runs the per-document stages on several documents, stage by stage: each
/// stage runs over all of them before the next starts. Same results as one
/// [`analyze`] per document, in order (no stage carries anything from one
/// document to the next); faster, because a stage's code, tables and lazy
/// automata stay in the processor's caches across documents instead of
/// being evicted by the other stages for every document (GVA: 0.78 of the
/// time of one document at a time).
pub fn analyze_many(docs: &[&Document]) -> Vec<Analysis> {
    let sentences: Vec<Vec<Sentence>> = docs.iter().map(|d| segment::sentences(d)).collect();
    let ranges: Vec<Vec<std::ops::Range<usize>>> =
        sentences.iter().map(|s| extract::ranges(s)).collect();
    let entities: Vec<_> = docs
        .iter()
        .zip(&ranges)
        .map(|(d, r)| entity::extract_entities(&d.text, r))
        .collect();
    let roles: Vec<_> = docs
        .iter()
        .zip(&ranges)
        .zip(&entities)
        .map(|((d, r), e)| role::extract_roles(&d.text, r, e))
        .collect();
    let times: Vec<_> = docs
        .iter()
        .zip(&ranges)
        .map(|(d, r)| crate::extract::time_anchors(d, r))
        .collect();
    let events: Vec<_> = docs
        .iter()
        .zip(&ranges)
        .zip(entities.iter().zip(&times))
        .map(|((d, r), (e, t))| event::extract_events(&d.text, r, e, t))
        .collect();
    let quantities: Vec<_> = docs
        .iter()
        .zip(&ranges)
        .map(|(d, r)| quantity::extract_quantities(&d.text, r))
        .collect();
    let quotes: Vec<_> = docs
        .iter()
        .zip(&ranges)
        .map(|(d, r)| quote::extract_quotes(&d.text, r))
        .collect();
    let mut out = Vec::with_capacity(docs.len());
    let stages = entities
        .into_iter()
        .zip(roles)
        .zip(events)
        .zip(quantities)
        .zip(quotes)
        .zip(times);
    for ((doc, sentences), (((((entities, roles), events), quantities), quotes), times)) in
        docs.iter().zip(sentences).zip(stages)
    {
        let extraction = Extraction {
            entities,
            roles,
            events,
            quantities,
            quotes,
            times,
        };
        let claims = claims::claims(doc, &sentences, &extraction);
        out.push(Analysis {
            sentences,
            extraction,
            claims,
        });
    }
    out
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

/// The claims of many documents, in order: from the cache where it has
/// them, the rest analysed stage by stage in chunks ([`analyze_many`]),
/// the chunks in parallel. The same claims as [`document_claims`] of each.
pub fn documents_claims(documents: &[&Document], hooks: Hooks) -> Vec<Vec<Claim>> {
    use rayon::prelude::*;
    // Collecting an indexed parallel iterator keeps document order.
    documents
        .par_chunks(CHUNK)
        .map(|chunk| chunk_claims(chunk, hooks))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Documents analysed together, stage by stage, on one thread.
const CHUNK: usize = 64;

fn chunk_claims(chunk: &[&Document], hooks: Hooks) -> Vec<Vec<Claim>> {
    let looked_up: Vec<(Option<String>, Option<Vec<Claim>>)> = chunk
        .iter()
        .map(|doc| match hooks.cache {
            Some(cache) => {
                let key = cache.key(doc);
                let cached = cache.lookup_claims(&key);
                (Some(key), cached)
            }
            None => (None, None),
        })
        .collect();
    let mut fresh = analyse_and_store(
        chunk
            .iter()
            .zip(&looked_up)
            .filter(|(_, (_, cached))| cached.is_none())
            .map(|(doc, (key, _))| (*doc, key.as_deref()))
            .collect(),
        hooks.cache,
    );
    looked_up
        .into_iter()
        .map(|(_, cached)| {
            let claims = cached.unwrap_or_else(|| fresh.next().unwrap_or_default());
            hooks.emit(Event::Analyzed);
            claims
        })
        .collect()
}

/// The claims of `documents`, analysed together ([`analyze_many`]) and
/// filed in the cache under their keys, in order: one per document, which
/// the callers draw as they meet the documents that were not cached.
fn analyse_and_store(
    documents: Vec<(&Document, Option<&str>)>,
    cache: Option<&Cache>,
) -> std::vec::IntoIter<Vec<Claim>> {
    let docs: Vec<&Document> = documents.iter().map(|(doc, _)| *doc).collect();
    let claims: Vec<Vec<Claim>> = analyze_many(&docs)
        .into_iter()
        .zip(&documents)
        .map(|(analysis, (_, key))| {
            if let (Some(cache), Some(key)) = (cache, key) {
                cache.store_claims(key, &analysis.claims);
            }
            analysis.claims
        })
        .collect();
    claims.into_iter()
}

/// The whole check of a bundle's documents.
pub fn check_documents(documents: &[Document], rules: &[Rule]) -> Vec<Finding> {
    check_documents_with(documents, rules, Hooks::default())
}

/// [`check_documents`] with a cache and progress events.
pub fn check_documents_with(documents: &[Document], rules: &[Rule], hooks: Hooks) -> Vec<Finding> {
    let digest = hooks.cache.map(|_| Cache::rules_digest(rules));
    let documents: Vec<&Document> = documents.iter().collect();
    let findings = check_story(&documents, rules, hooks, digest.as_ref());
    hooks.emit(Event::StoryChecked);
    findings
}

fn check_story(
    documents: &[&Document],
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
        let claims: Vec<Claim> = documents_claims(documents, hooks)
            .into_iter()
            .flatten()
            .collect();
        return check_claims(claims, &docs, rules);
    };
    // An unchanged story is answered whole: its claims are not even read.
    let keys: Vec<String> = documents.par_iter().map(|d| cache.key(d)).collect();
    let ids: Vec<(&str, &str)> = keys
        .iter()
        .zip(documents)
        .map(|(key, doc)| (key.as_str(), doc.id.as_str()))
        .collect();
    let story = cache.story_key(&ids, digest);
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
    let mut stories: std::collections::BTreeMap<&str, Vec<&Document>> =
        std::collections::BTreeMap::new();
    for doc in documents {
        stories
            .entry(doc.group.as_deref().unwrap_or(""))
            .or_default()
            .push(doc);
    }
    let stories: Vec<(&str, Vec<&Document>)> = stories.into_iter().collect();
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
        let story = match story_of.get(&*claim.doc) {
            Some(story) => (*story).clone(),
            None => claim.story.as_deref().map(str::to_string),
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
                docs.push((c.doc.to_string(), c.published));
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

/// `check` on an archive without holding it: documents are analysed in
/// bounded batches as they are read (in parallel within a batch), and each
/// one is then kept only as what the rules and the report need, its
/// metadata without the text and its claims, compressed. The rules run once
/// every document is in, story by story. The findings are those of
/// [`check_groups_with`] (or [`check_documents_with`]) on the same
/// documents, whatever the batch size, thread count or reading order.
pub struct StreamCheck<'a> {
    rules: &'a [Rule],
    hooks: Hooks<'a>,
    keep_text: bool,
    batch_documents: usize,
    batch_bytes: usize,
    pack_after: usize,
    pending: Vec<Pending>,
    pending_bytes: usize,
    done: Vec<Analysed>,
}

/// A document waiting for its batch.
enum Pending {
    /// To analyse; `record` files it as a remembered record afterwards.
    Read {
        doc: Document,
        record: Option<String>,
    },
    /// Analysed by an earlier run: its claims are in the cache.
    Remembered(Analysed),
}

impl Pending {
    fn document(&self) -> &Document {
        match self {
            Pending::Read { doc, .. } => doc,
            Pending::Remembered(analysed) => &analysed.doc,
        }
    }
}

/// What a streamed check keeps of one document.
struct Analysed {
    /// The document without its text and blocks.
    doc: Document,
    /// Its cache key, computed while the text was at hand.
    key: Option<String>,
    claims: Packed,
}

impl crate::ingest::HasDocument for Analysed {
    fn document(&self) -> &Document {
        &self.doc
    }
    fn document_mut(&mut self) -> &mut Document {
        &mut self.doc
    }
}

/// One document's claims as held until its story is checked. Claims are
/// larger than the text they come from (each carries its sentence and its
/// document's metadata; about 9 KB as JSON per GVA article of 2 KB), so they
/// are kept packed ([`crate::pack`]), about 1.1 KB per GVA article.
enum Packed {
    Raw(Vec<Claim>),
    Compressed(Box<[u8]>),
    /// In the cache under the document's key, checked sound but not read:
    /// the story's findings may well be cached too.
    Cached,
    /// In the cache under the document's key, not checked: read and
    /// checked only if the story's findings are not cached, and analysed
    /// again from the record, read anew, if the entry is unusable.
    Remembered(crate::ingest::records::RecordSource),
}

impl Packed {
    /// Claims held as they are, without the spare room `claims::claims`
    /// reserves up front: an archive holds one of these per document (an
    /// empty one too), and the spare room of a million of them is
    /// hundreds of megabytes.
    fn raw(mut claims: Vec<Claim>) -> Packed {
        claims.shrink_to_fit();
        Packed::Raw(claims)
    }

    fn new(claims: Vec<Claim>) -> Packed {
        if claims.is_empty() {
            return Packed::raw(claims);
        }
        match crate::pack::pack(&claims) {
            Ok(bytes) => Packed::Compressed(bytes),
            Err(_) => Packed::raw(claims),
        }
    }

    fn unpack(self, cache: Option<&Cache>, key: Option<&str>) -> Result<Vec<Claim>, String> {
        match self {
            Packed::Raw(claims) => Ok(claims),
            Packed::Cached => match (cache, key) {
                (Some(cache), Some(key)) => cache.cached_claims(key),
                _ => Err("internal error: cached claims without a cache".to_string()),
            },
            Packed::Remembered(source) => {
                let (Some(cache), Some(key)) = (cache, key) else {
                    return Err("internal error: remembered claims without a cache".to_string());
                };
                if let Some(claims) = cache.usable_claims(key) {
                    return Ok(claims);
                }
                cache.claims_rebuilt();
                let doc = source.reread(cache)?;
                let claims = analyze(&doc).claims;
                // Filed under the key of the document as read now, which is
                // the remembered key unless the reading changed.
                cache.store_claims(&cache.key(&doc), &claims);
                Ok(claims)
            }
            Packed::Compressed(bytes) => crate::pack::unpack(&bytes),
        }
    }
}

/// A story's documents (their index in the run) with their packed claims.
type StoryClaims = Vec<(usize, Packed)>;

/// What a streamed check returns: the documents as the report lists them
/// (sorted, ids unique, without their text) and the findings.
#[derive(Debug)]
pub struct Checked {
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
}

impl<'a> StreamCheck<'a> {
    /// Documents per batch, and text bytes per batch: enough to keep every
    /// core busy, few enough that the texts in flight stay small.
    const BATCH_DOCUMENTS: usize = 2048;
    const BATCH_BYTES: usize = 32 << 20;
    /// Claims are held as they are up to this many documents (about 9 KB
    /// each, so 180 MB) and compressed beyond (`crate::pack`): packing and
    /// unpacking took 1.8% of a 30k-article archive check's time (perf,
    /// LZ4), which a bundle or a small archive need not pay.
    const PACK_AFTER: usize = 20_000;

    pub fn new(rules: &'a [Rule], hooks: Hooks<'a>) -> Self {
        StreamCheck {
            rules,
            hooks,
            keep_text: false,
            batch_documents: Self::BATCH_DOCUMENTS,
            batch_bytes: Self::BATCH_BYTES,
            pack_after: Self::PACK_AFTER,
            pending: Vec::new(),
            pending_bytes: 0,
            done: Vec::new(),
        }
    }

    /// Keeps the text of plain-text and Markdown files, which SARIF needs
    /// to turn byte offsets into character offsets in those files.
    pub fn keep_file_text(mut self, keep: bool) -> Self {
        self.keep_text = keep;
        self
    }

    /// Documents per batch (at least one).
    pub fn batch_size(mut self, documents: usize) -> Self {
        self.batch_documents = documents.max(1);
        self
    }

    /// Documents whose claims are held unpacked (the first ones read).
    pub fn pack_after(mut self, documents: usize) -> Self {
        self.pack_after = documents;
        self
    }

    /// Documents taken so far.
    pub fn len(&self) -> usize {
        self.done.len() + self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many stories [`StreamCheck::finish`] will check.
    pub fn stories(&self, grouped: bool) -> usize {
        if !grouped {
            return usize::from(!self.is_empty());
        }
        let groups: std::collections::BTreeSet<&str> = self
            .done
            .iter()
            .map(|a| &a.doc)
            .chain(self.pending.iter().map(Pending::document))
            .map(|d| d.group.as_deref().unwrap_or(""))
            .collect();
        groups.len()
    }

    /// Takes one document; analyses the batch when it is full.
    pub fn push(&mut self, doc: Document) {
        self.push_streamed(Streamed::Read { doc, record: None });
    }

    /// Takes one document as a streamed read sends it: a remembered record
    /// is taken as analysed, with its claims left in the cache.
    pub fn push_streamed(&mut self, item: Streamed) {
        let pending = match item {
            Streamed::Read { doc, record } => {
                self.pending_bytes += doc.text.len();
                Pending::Read { doc, record }
            }
            Streamed::Remembered {
                doc,
                claims,
                source,
            } => Pending::Remembered(Analysed {
                doc,
                key: Some(claims),
                claims: Packed::Remembered(source),
            }),
        };
        self.pending.push(pending);
        if self.pending.len() >= self.batch_documents || self.pending_bytes >= self.batch_bytes {
            self.flush();
        }
    }

    fn flush(&mut self) {
        use rayon::prelude::*;
        let pending = std::mem::take(&mut self.pending);
        self.pending_bytes = 0;
        let (hooks, keep_text) = (self.hooks, self.keep_text);
        let (held, pack_after) = (self.done.len(), self.pack_after);
        // Chunks of documents analysed stage by stage (see analyze_many);
        // collecting an indexed parallel iterator keeps reading order.
        let mut pending = pending;
        let mut chunks: Vec<Vec<Pending>> = Vec::new();
        while !pending.is_empty() {
            let rest = pending.split_off(pending.len().min(CHUNK));
            chunks.push(std::mem::replace(&mut pending, rest));
        }
        let analysed: Vec<Vec<Analysed>> = chunks
            .into_par_iter()
            .enumerate()
            .map(|(c, chunk)| {
                analyse_and_slim(chunk, hooks, keep_text, held + c * CHUNK, pack_after)
            })
            .collect();
        self.done.extend(analysed.into_iter().flatten());
    }

    /// Analyses what is left, then checks every story: one per value of the
    /// documents' story field with `grouped`, else all documents as one.
    pub fn finish(mut self, grouped: bool) -> Result<Checked, String> {
        use rayon::prelude::*;
        self.flush();
        let mut done = std::mem::take(&mut self.done);
        crate::ingest::settle_ids(&mut done);
        let mut claims: Vec<Option<Packed>> = Vec::with_capacity(done.len());
        let mut documents = Vec::with_capacity(done.len());
        let mut keys = Vec::with_capacity(done.len());
        for a in done {
            claims.push(Some(a.claims));
            documents.push(a.doc);
            keys.push(a.key);
        }
        let mut stories: std::collections::BTreeMap<Option<&str>, Vec<usize>> =
            std::collections::BTreeMap::new();
        for (i, doc) in documents.iter().enumerate() {
            let story = grouped.then(|| doc.group.as_deref().unwrap_or(""));
            stories.entry(story).or_default().push(i);
        }
        let digest = self.hooks.cache.map(|_| Cache::rules_digest(self.rules));
        // Claims move to their story and are unpacked one story at a time.
        let mut work: Vec<(Option<&str>, StoryClaims)> = Vec::with_capacity(stories.len());
        for (story, members) in &stories {
            let packed = members
                .iter()
                .filter_map(|&i| claims[i].take().map(|p| (i, p)))
                .collect();
            work.push((*story, packed));
        }
        drop(claims);
        let (rules, hooks) = (self.rules, self.hooks);
        let documents_ref = &documents;
        let keys_ref = &keys;
        let findings: Vec<Vec<Finding>> = work
            .into_par_iter()
            .map(|(story, members)| {
                let mut findings = check_packed_story(
                    members,
                    documents_ref,
                    keys_ref,
                    rules,
                    hooks,
                    digest.as_ref(),
                )?;
                // Records without the field are checked together but belong
                // to no story, as in a run on claims (`--claims`).
                let story = story.filter(|s| !s.is_empty());
                for f in &mut findings {
                    f.story = story.map(str::to_string);
                }
                hooks.emit(Event::StoryChecked);
                Ok(findings)
            })
            .collect::<Result<_, String>>()?;
        Ok(Checked {
            documents,
            findings: findings.into_iter().flatten().collect(),
        })
    }
}

/// Analyses a chunk of documents (those the cache does not hold, together,
/// stage by stage) and keeps of each what the check needs. `first` is the
/// run's index of the chunk's first document: documents from `pack_after`
/// on have their claims packed.
fn analyse_and_slim(
    chunk: Vec<Pending>,
    hooks: Hooks,
    keep_text: bool,
    first: usize,
    pack_after: usize,
) -> Vec<Analysed> {
    // Each document's cache key, and whether its claims are cached.
    let looked_up: Vec<(Option<String>, bool)> = chunk
        .iter()
        .map(|pending| match (pending, hooks.cache) {
            (Pending::Read { doc, .. }, Some(cache)) => {
                let key = cache.key(doc);
                let cached = cache.has_claims(&key);
                (Some(key), cached)
            }
            _ => (None, false),
        })
        .collect();
    let mut fresh = analyse_and_store(
        chunk
            .iter()
            .zip(&looked_up)
            .filter_map(|(pending, (key, cached))| match pending {
                Pending::Read { doc, .. } if !cached => Some((doc, key.as_deref())),
                _ => None,
            })
            .collect(),
        hooks.cache,
    );
    let mut out = Vec::with_capacity(chunk.len());
    for (i, (pending, (key, cached))) in chunk.into_iter().zip(looked_up).enumerate() {
        let (doc, record) = match pending {
            Pending::Remembered(analysed) => {
                hooks.emit(Event::Analyzed);
                out.push(analysed);
                continue;
            }
            Pending::Read { doc, record } => (doc, record),
        };
        let claims = if cached {
            None
        } else {
            Some(fresh.next().unwrap_or_default())
        };
        hooks.emit(Event::Analyzed);
        let keep = keep_text
            && matches!(
                doc.format,
                crate::model::InputFormat::Text | crate::model::InputFormat::Markdown
            );
        let doc = Document {
            text: if keep { doc.text } else { String::new() },
            blocks: Vec::new(),
            ..doc
        };
        if let (Some(cache), Some(record), Some(key)) = (hooks.cache, &record, &key) {
            cache.store_record(record, &doc, key);
        }
        out.push(Analysed {
            doc,
            key,
            claims: match claims {
                None => Packed::Cached,
                Some(claims) if first + i >= pack_after => Packed::new(claims),
                Some(claims) => Packed::raw(claims),
            },
        });
    }
    out
}

/// One story of a streamed check: its findings from the cache, else the
/// rules over its documents' claims (in document order).
fn check_packed_story(
    members: Vec<(usize, Packed)>,
    documents: &[Document],
    keys: &[Option<String>],
    rules: &[Rule],
    hooks: Hooks,
    digest: Option<&RulesDigest>,
) -> Result<Vec<Finding>, String> {
    let story_key = match (hooks.cache, digest) {
        (Some(cache), Some(digest)) => {
            let ids: Vec<(&str, &str)> = members
                .iter()
                .map(|(i, _)| {
                    (
                        keys[*i].as_deref().unwrap_or_default(),
                        documents[*i].id.as_str(),
                    )
                })
                .collect();
            let key = cache.story_key(&ids, digest);
            if let Some(findings) = cache.story_findings(&key) {
                return Ok(findings);
            }
            Some((cache, key))
        }
        _ => None,
    };
    let docs: Vec<(String, Option<chrono::NaiveDate>)> = members
        .iter()
        .map(|(i, _)| (documents[*i].id.clone(), documents[*i].published))
        .collect();
    let mut claims = Vec::new();
    for (i, packed) in members {
        let id = &documents[i].id;
        // Made once per document, shared by its claims as extraction does.
        let mut renamed: Option<claims::Shared> = None;
        for mut claim in packed.unpack(hooks.cache, keys[i].as_deref())? {
            // Claims name the document by the id it was read with; one
            // read twice has since been renamed to its path.
            if *claim.doc != **id {
                claim.doc = renamed
                    .get_or_insert_with(|| claims::Shared::from(id.as_str()))
                    .clone();
            }
            claims.push(claim);
        }
    }
    let findings = check_claims(claims, &docs, rules);
    if let Some((cache, key)) = story_key {
        cache.store_findings(&key, &findings);
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A streamed archive holds one `Packed` per document for the whole
    /// run: the room `claims::claims` reserves must not be held with it.
    #[test]
    fn held_claims_keep_no_spare_room() {
        let docs = crate::ingest::read_paths(
            &["samples/rubio-ukraine".into()],
            &crate::ingest::Options::default(),
        );
        let doc = &docs.documents[0];
        let claims = analyze(doc).claims;
        assert!(!claims.is_empty());
        let mut padded = Vec::with_capacity(claims.len() + 50);
        padded.extend(claims);
        for held in [padded, Vec::with_capacity(50)] {
            let len = held.len();
            match Packed::raw(held) {
                Packed::Raw(kept) => {
                    assert_eq!(kept.len(), len);
                    assert_eq!(kept.capacity(), len);
                }
                _ => panic!("raw claims are held raw"),
            }
        }
    }

    /// Stage by stage over many documents gives what one document at a
    /// time gives, document for document.
    #[test]
    fn analyze_many_matches_analyze() {
        let documents = crate::text::testing::news_documents(true);
        let docs: Vec<&Document> = documents.iter().take(300).collect();
        assert!(docs.len() >= 5);
        for chunk in docs.chunks(64) {
            let many = analyze_many(chunk);
            assert_eq!(many.len(), chunk.len());
            for (doc, batched) in chunk.iter().zip(many) {
                let single = analyze(doc);
                assert_eq!(batched.sentences, single.sentences, "{}", doc.id);
                assert_eq!(batched.claims, single.claims, "{}", doc.id);
                assert_eq!(
                    format!("{:?}", batched.extraction),
                    format!("{:?}", single.extraction),
                    "{}",
                    doc.id
                );
            }
        }
        assert!(analyze_many(&[]).is_empty());
    }
}
