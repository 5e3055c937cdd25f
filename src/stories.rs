//! Stories found from the articles themselves: `--group-by auto`.
//!
//! An archive (a JSONL dump, a crawl) seldom says which of its articles
//! report the same story, and checking it as one bundle mixes them all.
//! This stage groups articles into stories from their content:
//!
//! 1. **Features** of each article: headline words (counted twice, and
//!    the lead's first `lead_words` body words when set), body
//!    words and pairs of adjacent content words ("ashland avenue"), the
//!    multi-word people, places and organisations stage 3 finds, and the
//!    days its time expressions resolve to ("Saturday night" in an article
//!    of Monday 2014-06-23 names 2014-06-21).
//! 2. **Furniture** left out: a word 4-gram found in three or more
//!    articles published more than two weeks apart (or undated) is a
//!    site's template ("check your email to activate", "- WMC Action News
//!    5 - Memphis" in headlines) or a stock phrase, not the story. Articles
//!    on one story repeat each other within days, so their shared phrases
//!    stay.
//! 3. **Similarity**: cosine of tf-idf vectors (idf over the archive being
//!    clustered), so a victim's or a street's name weighs far more than
//!    "shooting" or the city; the part of the cosine from named entities
//!    counts twice in the link score.
//! 4. **Blocking**: an inverted index over features found in 2 to
//!    `posting_cap` articles gives the candidate pairs; commoner features
//!    have no postings. A pair that shares no rare feature is never
//!    scored, so the cost grows with the archive, not its square. Copies
//!    of one wire story on many sites share only common features; MinHash
//!    bands over each document's features pair them up (each copy with
//!    the next few in its bucket, so a bucket of any size costs linear).
//! 5. **Links**: the score a pair needs grows with the days between the
//!    two publications, unless both name a common day (a follow-up that
//!    names the day of the event is judged as a same-day report): `link`
//!    within `near_days` (or when either is undated), the stricter
//!    `mid_link` up to `window_days` (two reports a week apart that name
//!    different days are more often two events in one city than one
//!    event), `far_link` beyond (a trial months later must share more
//!    than the city). A day one names that is the other's publication
//!    day or the day before (`published_day`) counts as a common day, and
//!    two articles naming two or more of the same rare people (in at
//!    most `person_docs` articles: the victim and the suspect of a trial
//!    months later) need no more than `persons_link`. The days two
//!    articles name also weigh on their own: when one names a day within
//!    `close_days` of a day the other names or was published on ("Saturday
//!    night" against "early Sunday"), the pair needs no more than
//!    `close_day_link`; when both name days and none is that close, they
//!    tell of different days (two shootings on one corner a week apart)
//!    and need at least `apart_day_link`.
//! 6. **Clusters**: links are taken strongest first; two groups merge
//!    only when the average cosine over all their cross pairs reaches
//!    `cohesion`, so a chain of pairwise links cannot glue unrelated
//!    stories into one giant cluster.
//! 7. **Lone articles**: an article left alone that is `near_days` to
//!    `window_days` from a story joins the closest such story (among those
//!    its candidate pairs reach) when its cosine with the story's summed
//!    vector reaches `attach`: a follow-up a week on may name the victim
//!    one report gave and the street another gave, and match the story as
//!    a whole better than any one report.
//! 8. **Names**: a story's id is `auto-` and a hash of its sorted member
//!    ids; its headline is the title of its earliest article.
//!
//! Everything is ordered by document id before any work, ties are broken
//! by that order, and floating-point sums run in a fixed order: the same
//! archive gives the same stories for any input order and thread count.

use crate::extract::{entity, time};
use crate::model::Document;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The `--group-by` value that asks for this stage instead of a field.
pub const AUTO: &str = "auto";

/// Tunable thresholds; [`Params::default`] holds the values measured on
/// the Gun Violence Archive articles (see the README).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Articles at most this many days apart (or naming a common day)
    /// need `link`.
    pub near_days: i32,
    /// Articles further apart than this many days need `far_link`.
    pub window_days: i32,
    /// Score that links two articles published close together, or that
    /// name a common day.
    pub link: f32,
    /// Score that links two articles more than `near_days` and at most
    /// `window_days` apart.
    pub mid_link: f32,
    /// Score that links two articles further apart.
    pub far_link: f32,
    /// Body words at the start of an article (its lead, at most half the
    /// body) counted twice, like the headline's. Off by default: on GVA,
    /// 80 (with `mid_link` 0.20) raised dev F1 but lowered the held-out
    /// half's (see the README).
    pub lead_words: usize,
    /// Cosine between a lone article and a story's summed vector that
    /// attaches the article, when they are `near_days` to `window_days`
    /// apart (1 or more: never).
    pub attach: f32,
    /// Average similarity two groups need between them to merge.
    pub cohesion: f32,
    /// Features in more articles than this get no postings.
    pub posting_cap: usize,
    /// Similarity on the rare features alone that a candidate needs
    /// before its full similarity is computed.
    pub prefilter: f32,
    /// Words per phrase for the furniture test.
    pub shingle: usize,
    /// A phrase in this many articles or more may be furniture...
    pub template_docs: usize,
    /// ... when they span more than this many days.
    pub template_spread_days: i32,
    /// Score that links two articles naming two or more of the same
    /// people (multi-word names) that at most `person_docs` articles
    /// name, however far apart (when it is less than they would need).
    pub persons_link: f32,
    /// See `persons_link`. Names in more articles are officials (a police
    /// spokesman, a mayor) as often as the people of one story.
    pub person_docs: usize,
    /// A day one article names that is the other's publication day, or up
    /// to this many days before it, counts as a common day (-1: never).
    /// On GVA's dev half 1 gained 4 pairs over 0, 2 and 3 one more each.
    pub published_day: i32,
    /// Named days this close (in days) to one the other article names or
    /// was published on are close days (-1: never).
    pub close_days: i32,
    /// The most a pair naming close days needs.
    pub close_day_link: f32,
    /// The least a pair needs when both name days and none is close.
    pub apart_day_link: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            near_days: 3,
            window_days: 14,
            link: 0.10,
            mid_link: 0.25,
            far_link: 0.35,
            lead_words: 0,
            attach: 0.2,
            cohesion: 0.1,
            posting_cap: 50,
            prefilter: 0.03,
            shingle: 4,
            template_docs: 3,
            template_spread_days: 14,
            persons_link: 0.22,
            person_docs: 5,
            published_day: 1,
            close_days: 1,
            close_day_link: 0.2,
            apart_day_link: 0.2,
        }
    }
}

impl Params {
    /// Sets one parameter by name (for `eval stories --param NAME=VALUE`).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let float = || {
            value
                .parse::<f32>()
                .map_err(|e| format!("{name}={value}: {e}"))
        };
        let int = || {
            value
                .parse::<i64>()
                .map_err(|e| format!("{name}={value}: {e}"))
        };
        let count = |n: i64| usize::try_from(n).map_err(|e| format!("{name}={value}: {e}"));
        let days = |n: i64| i32::try_from(n).map_err(|e| format!("{name}={value}: {e}"));
        match name {
            "near_days" => self.near_days = days(int()?)?,
            "window_days" => self.window_days = days(int()?)?,
            "link" => self.link = float()?,
            "mid_link" => self.mid_link = float()?,
            "far_link" => self.far_link = float()?,
            "lead_words" => self.lead_words = count(int()?)?,
            "attach" => self.attach = float()?,
            "cohesion" => self.cohesion = float()?,
            "posting_cap" => self.posting_cap = count(int()?)?,
            "prefilter" => self.prefilter = float()?,
            "shingle" => self.shingle = count(int()?)?.max(1),
            "template_docs" => self.template_docs = count(int()?)?,
            "template_spread_days" => self.template_spread_days = days(int()?)?,
            "persons_link" => self.persons_link = float()?,
            "person_docs" => self.person_docs = count(int()?)?,
            "published_day" => self.published_day = days(int()?)?,
            "close_days" => self.close_days = days(int()?)?,
            "close_day_link" => self.close_day_link = float()?,
            "apart_day_link" => self.apart_day_link = float()?,
            _ => {
                return Err(format!(
                    "no parameter {name:?}; parameters are near_days, window_days, link, \
                     mid_link, far_link, lead_words, attach, \
                     cohesion, posting_cap, prefilter, shingle, template_docs, \
                     template_spread_days, persons_link, person_docs, published_day, \
                     close_days, close_day_link, apart_day_link"
                ))
            }
        }
        Ok(())
    }
}

/// One story: its id, headline and member documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Story {
    pub id: String,
    pub headline: Option<String>,
    /// Indices into the documents given, ordered by document id.
    pub members: Vec<usize>,
}

/// What clustering needs of one document, computed once (the expensive
/// part: entity and time extraction) and reusable for any subset.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Days since the common era, for the publication date.
    day: Option<i32>,
    /// Every headline word's hash, then every body word's, in order;
    /// content words have the low bit set (stopwords take part in phrases
    /// but are no features). Site names in headlines ("- WMC Action News
    /// 5 - Memphis") are furniture too.
    words: Vec<u64>,
    /// How many of `words` are the headline's (counted twice, as are the
    /// lead's).
    title_words: usize,
    /// Entities and named days with the words they cover (`start..end`
    /// indices into `words`): dropped when all their words are furniture.
    spans: Vec<(u64, u32, u32)>,
    /// Feature keys of the people it names, sorted.
    persons: Vec<u64>,
    /// The days it names, as days since the common era, sorted.
    day_numbers: Vec<i32>,
}

/// Clusters `docs` into stories. Every document is in exactly one story;
/// stories come in the order of their first member's id.
pub fn cluster(docs: &[Document], params: &Params) -> Vec<Story> {
    let prepared: Vec<Prepared> = docs.par_iter().map(prepare).collect();
    let refs: Vec<(&Document, &Prepared)> = docs.iter().zip(&prepared).collect();
    cluster_prepared(&refs, params)
        .into_iter()
        .map(|members| story(docs, members))
        .collect()
}

/// Clusters and writes each document's story id into `Document::group`;
/// returns the stories.
pub fn assign(docs: &mut [Document], params: &Params) -> Vec<Story> {
    let stories = cluster(docs, params);
    for story in &stories {
        for &i in &story.members {
            docs[i].group = Some(story.id.clone());
        }
    }
    stories
}

fn story(docs: &[Document], members: Vec<usize>) -> Story {
    let ids: Vec<&str> = members.iter().map(|&i| docs[i].id.as_str()).collect();
    let refs: Vec<&Document> = members.iter().map(|&i| &docs[i]).collect();
    Story {
        id: story_id(&ids),
        headline: headline(&refs),
        members,
    }
}

/// `auto-` and 12 hex digits of FNV-1a over the sorted member ids: stable
/// across runs, platforms and input order.
pub fn story_id(member_ids: &[&str]) -> String {
    let mut ids = member_ids.to_vec();
    ids.sort_unstable();
    let mut hash = Fnv::new();
    for id in ids {
        hash.bytes(id.as_bytes());
        hash.bytes(b"\n");
    }
    format!("auto-{:012x}", hash.0 >> 16)
}

/// The title of a story's earliest article (undated articles last, then
/// by id) among those that have one.
pub fn headline(members: &[&Document]) -> Option<String> {
    members
        .iter()
        .filter(|d| d.title.as_deref().is_some_and(|t| !t.trim().is_empty()))
        .min_by(|a, b| {
            let key = |d: &Document| (d.published.is_none(), d.published, d.id.clone());
            key(a).cmp(&key(b))
        })
        .and_then(|d| d.title.as_deref())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Documents of a bundle checked without `--group-by` that are clustered
/// to tell whether it holds several stories: enough to see a mix, few
/// enough that the test costs a small part of the check.
pub const MIX_SAMPLE: usize = 300;

/// The documents of a bundle whose ids hash lowest, at most
/// [`MIX_SAMPLE`]: a sample that is the same for any input order, taken
/// as documents stream past (they are analysed and their text dropped
/// before the bundle ends).
#[derive(Default)]
pub struct MixSample {
    /// Each kept document, with where to read it again when it came from
    /// the cache without its text.
    kept: std::collections::BTreeMap<
        (u64, String),
        (Document, Option<crate::ingest::records::RecordSource>),
    >,
    seen: usize,
}

impl MixSample {
    pub fn offer(&mut self, doc: &Document) {
        self.offer_from(doc, None);
    }

    /// A document a `--cache` run remembered: it comes without its text,
    /// which is read again only if it stays in the sample, so a warm run
    /// warns exactly as a cold one.
    pub fn offer_remembered(
        &mut self,
        doc: &Document,
        source: &crate::ingest::records::RecordSource,
    ) {
        self.offer_from(doc, Some(source));
    }

    fn offer_from(
        &mut self,
        doc: &Document,
        source: Option<&crate::ingest::records::RecordSource>,
    ) {
        self.seen += 1;
        let mut hash = Fnv::new();
        hash.bytes(doc.id.as_bytes());
        let key = (hash.0, doc.id.clone());
        let full = self.kept.len() >= MIX_SAMPLE;
        if full
            && self
                .kept
                .last_key_value()
                .is_some_and(|(last, _)| key >= *last)
        {
            return;
        }
        self.kept.insert(key, (doc.clone(), source.cloned()));
        if self.kept.len() > MIX_SAMPLE {
            self.kept.pop_last();
        }
    }

    /// Documents offered.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// How many separate stories the bundle seems to hold, when it
    /// clearly mixes unrelated ones: three or more stories of two or more
    /// articles, the largest under a third of the sample. One story told
    /// by many outlets (the seeds, or a killing and its trial months
    /// later) clusters into one large group and a few strays; an archive
    /// of unrelated reports into many small groups. `None` when the bundle
    /// looks like one story.
    pub fn separate_stories(&self, cache: Option<&crate::cache::Cache>) -> Option<usize> {
        // Three stories of two, the largest under a third: no bundle of
        // fewer than seven can meet that, so none pays for clustering
        // (five seed articles cost 57 M instructions, 12% of their check).
        const FEWEST_MIXED: usize = 7;
        if self.kept.len() < FEWEST_MIXED {
            return None;
        }
        // In the sample's order, a remembered document read again; one
        // that cannot be (its file changed) is left out: the warning is
        // advice, the check goes on.
        let docs: Vec<std::borrow::Cow<Document>> = self
            .kept
            .values()
            .filter_map(|(doc, source)| match source {
                None => Some(std::borrow::Cow::Borrowed(doc)),
                Some(source) => source.reread(cache?).ok().map(std::borrow::Cow::Owned),
            })
            .collect();
        if docs.len() < FEWEST_MIXED {
            return None;
        }
        let prepared: Vec<Prepared> = docs.par_iter().map(|d| prepare(d)).collect();
        let refs: Vec<(&Document, &Prepared)> =
            docs.iter().map(|d| d.as_ref()).zip(&prepared).collect();
        let clusters = cluster_prepared(&refs, &Params::default());
        let stories = clusters.iter().filter(|c| c.len() >= 2).count();
        let largest = clusters.iter().map(Vec::len).max().unwrap_or(0);
        (stories >= 3 && largest * 3 < refs.len()).then_some(stories)
    }
}

/// The per-document work: tokens, entities, named days.
pub fn prepare(doc: &Document) -> Prepared {
    let stop = stopwords();
    let mut words = Vec::new();
    let content = |hash: u64, long: bool| {
        if long && !stop.contains(&hash) {
            kind(hash, WORD)
        } else {
            hash & !1
        }
    };
    if let Some(text) = &doc.title {
        for_each_word(text, |_, hash, long| words.push(content(hash, long)));
    }
    let title_words = words.len();
    // Byte offset where each word starts, to find the words a mention covers.
    let mut starts: Vec<usize> = Vec::new();
    for range in doc.body_ranges() {
        let base = range.start;
        if let Some(text) = doc.text.get(range) {
            for_each_word(text, |at, hash, long| {
                starts.push(base + at);
                words.push(content(hash, long));
            });
        }
    }
    let covered = |start: usize, end: usize| {
        let first = title_words + starts.partition_point(|&s| s < start);
        let last = title_words + starts.partition_point(|&s| s < end);
        (first as u32, last as u32)
    };
    let mut spans = Vec::new();
    let mut persons = Vec::new();
    let mut day_numbers = Vec::new();
    let sentences = crate::segment::sentences(doc);
    let ranges: Vec<std::ops::Range<usize>> = sentences.iter().map(|s| s.start..s.end).collect();
    for m in entity::extract_entities(&doc.text, &ranges) {
        let named = matches!(
            m.kind,
            entity::EntityKind::Person | entity::EntityKind::Place | entity::EntityKind::Org
        );
        if named && m.canonical.contains(' ') {
            let mut hash = Fnv::new();
            hash.bytes(b"entity:");
            for c in m.canonical.chars().flat_map(char::to_lowercase) {
                hash.char(c);
            }
            let (first, last) = covered(m.start, m.end);
            if m.kind == entity::EntityKind::Person {
                persons.push(kind(hash.0, ENTITY));
            }
            spans.push((kind(hash.0, ENTITY), first, last));
        }
    }
    for t in time::TimeExtractor::global().extract(&doc.text, &ranges, doc.published) {
        if !matches!(t.timex_type, time::TimexType::Date | time::TimexType::Time) {
            continue;
        }
        let day = t.value.get(..10).and_then(|v| {
            let date = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            date.filter(|_| v.len() == 10).map(|d| (v, d))
        });
        if let Some((day, date)) = day {
            let (first, last) = covered(t.start, t.end);
            day_numbers.push(date.num_days_from_ce());
            spans.push((day_key(day), first, last));
        }
    }
    persons.sort_unstable();
    persons.dedup();
    day_numbers.sort_unstable();
    day_numbers.dedup();
    Prepared {
        day: doc.published.map(|d| d.num_days_from_ce()),
        words,
        title_words,
        spans,
        persons,
        day_numbers,
    }
}

/// What the days two articles name say of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Days {
    /// One names no day: nothing to compare.
    Unknown,
    /// A day one names is within `close_days` of a day the other names
    /// or of its publication day.
    Close,
    /// Both name days, none close: on GVA, two events more often than one.
    Apart,
}

fn days_between(a: &Prepared, b: &Prepared, close: i32) -> Days {
    if close < 0 || a.day_numbers.is_empty() || b.day_numbers.is_empty() {
        return Days::Unknown;
    }
    // Sorted lists: is any of `days` within `close` of `other` (or of
    // its publication day)?
    let near = |days: &[i32], other: &Prepared| {
        days.iter().any(|&d| {
            let from = other.day_numbers.partition_point(|&x| x < d - close);
            other.day_numbers.get(from).is_some_and(|&x| x <= d + close)
                || other.day.is_some_and(|p| (p - d).abs() <= close)
        })
    };
    if near(&a.day_numbers, b) || near(&b.day_numbers, a) {
        Days::Close
    } else {
        Days::Apart
    }
}

/// The days (since the common era) a report published on `day` may tell
/// of: that day and up to `back` days before ("late Saturday" in Sunday's
/// paper). A follow-up months later that names one of them ("the July 4
/// shooting") names the day of the report, as a common day would.
fn reported_days(day: Option<i32>, back: i32) -> Vec<i32> {
    day.map_or_else(Vec::new, |day| (0..=back).map(|b| day - b).collect())
}

fn names_any(doc: &Prepared, days: &[i32]) -> bool {
    days.iter()
        .any(|d| doc.day_numbers.binary_search(d).is_ok())
}

/// The feature key of a named day, `YYYY-MM-DD`.
fn day_key(day: &str) -> u64 {
    let mut hash = Fnv::new();
    hash.bytes(b"day:");
    hash.bytes(day.as_bytes());
    kind(hash.0, DAY)
}

/// Clusters prepared documents; returns each story's members (indices
/// into `docs`), members ordered by document id, stories by their first
/// member.
pub fn cluster_prepared(docs: &[(&Document, &Prepared)], params: &Params) -> Vec<Vec<usize>> {
    // Canonical order: everything below works on positions in `order`.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        let (da, db) = (docs[a].0, docs[b].0);
        (&da.id, &da.path, &da.text).cmp(&(&db.id, &db.path, &db.text))
    });
    let prepared: Vec<&Prepared> = order.iter().map(|&i| docs[i].1).collect();
    let n = prepared.len();
    let furniture = furniture(&prepared, params);
    let k = params.shingle.max(1);
    // Document frequencies first, then the vectors, computing each
    // document's counts twice rather than holding all of them at once:
    // on a large archive they outweigh everything else clustering keeps.
    let mut df: HashMap<u64, u32> = prepared
        .par_iter()
        .fold(HashMap::new, |mut df: HashMap<u64, u32>, p| {
            for (key, _) in term_counts(p, &furniture, k, params.lead_words) {
                *df.entry(key).or_default() += 1;
            }
            df
        })
        .reduce(HashMap::new, |mut a, mut b| {
            if a.len() < b.len() {
                std::mem::swap(&mut a, &mut b);
            }
            for (key, d) in b {
                *a.entry(key).or_default() += d;
            }
            a
        });
    // A feature of one document can match nothing (most pairs of
    // adjacent words): no entry, so it has no weight either.
    df.retain(|_, d| *d >= 2);
    df.shrink_to_fit();
    let vectors: Vec<Vec<(u64, f32)>> = prepared
        .par_iter()
        .map(|p| weigh(&term_counts(p, &furniture, k, params.lead_words), &df, n))
        .collect();
    drop(furniture);
    let days: Vec<Option<i32>> = prepared.iter().map(|p| p.day).collect();
    let pairs = links(&vectors, &days, &prepared, &df, params);
    let mut edges: Vec<(f32, u32, u32)> = pairs
        .iter()
        .filter(|p| p.score >= needed(params, p.apart, p.day, p.persons, p.days))
        .map(|p| (p.score, p.i, p.j))
        .collect();
    sort_edges(&mut edges);
    let groups = merge(&vectors, &edges, &pairs, params);
    // Groups hold sorted positions and come in order of their first one,
    // so mapping back keeps members and stories in id order.
    groups
        .into_iter()
        .map(|g| g.into_iter().map(|p| order[p]).collect())
        .collect()
}

/// The FNV-1a hashes of 4-word phrases that are site furniture: in
/// `template_docs` or more documents spanning more than
/// `template_spread_days` (an undated document counts as far from all).
/// Counted in shards so memory stays bounded on large archives.
fn furniture(docs: &[&Prepared], params: &Params) -> HashSet<u64> {
    const SHARD: usize = 4_000_000;
    let k = params.shingle.max(1);
    let total: usize = docs
        .iter()
        .map(|d| d.words.len().saturating_sub(k - 1))
        .sum();
    let shards = (total / SHARD + 1) as u64;
    let mut found = HashSet::new();
    if params.template_docs == 0 {
        return found;
    }
    #[derive(Clone, Copy)]
    struct Spread {
        last: u32,
        docs: u32,
        min: i32,
        max: i32,
        undated: bool,
    }
    for shard in 0..shards {
        let mut stats: HashMap<u64, Spread> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            let i = i as u32;
            for h in shingles(&d.words, k).filter(|h| h % shards == shard) {
                let day = d.day.unwrap_or(0);
                let s = stats.entry(h).or_insert(Spread {
                    last: u32::MAX,
                    docs: 0,
                    min: day,
                    max: day,
                    undated: false,
                });
                if s.last == i {
                    continue;
                }
                s.last = i;
                s.docs += 1;
                match d.day {
                    Some(day) => {
                        s.min = s.min.min(day);
                        s.max = s.max.max(day);
                    }
                    None => s.undated = true,
                }
            }
        }
        found.extend(stats.into_iter().filter_map(|(h, s)| {
            let spread = s.undated || s.max - s.min > params.template_spread_days;
            (s.docs as usize >= params.template_docs && spread).then_some(h)
        }));
    }
    found
}

fn shingles(words: &[u64], k: usize) -> impl Iterator<Item = u64> + '_ {
    words.windows(k).map(|w| {
        let mut hash = Fnv::new();
        for word in w {
            hash.bytes(&(word & !1).to_le_bytes());
        }
        hash.0
    })
}

/// A document's features with counts, sorted by key: content words not in
/// furniture (the headline's and the first `lead_words` of the body's
/// twice), plus the extras.
fn term_counts(
    doc: &Prepared,
    furniture: &HashSet<u64>,
    k: usize,
    lead_words: usize,
) -> Vec<(u64, u32)> {
    let mut masked = vec![false; doc.words.len()];
    if !furniture.is_empty() {
        for (i, h) in shingles(&doc.words, k).enumerate() {
            if furniture.contains(&h) {
                masked[i..i + k].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    let kept = |&&(_, first, last): &&(u64, u32, u32)| {
        let words = masked.get(first as usize..last as usize).unwrap_or(&[]);
        // A mention between words (no word start inside) is kept.
        words.is_empty() || words.iter().any(|m| !m)
    };
    // At most half the body: in a short article everything would be lead,
    // and the headline would lose its weight over the body.
    let lead = lead_words.min((doc.words.len() - doc.title_words) / 2);
    let mut keys: Vec<u64> = doc
        .words
        .iter()
        .zip(&masked)
        .enumerate()
        .filter(|(_, (w, m))| *w & 1 == 1 && !**m)
        .flat_map(|(i, (w, _))| {
            let times = if i < doc.title_words + lead { 2 } else { 1 };
            std::iter::repeat_n(*w, times)
        })
        .chain(doc.spans.iter().filter(kept).map(|s| s.0))
        .collect();
    // Adjacent content words ("ashland avenue", "6800 block") tell two
    // stories in one city apart better than the words alone.
    for i in 1..doc.words.len() {
        let (a, b) = (doc.words[i - 1], doc.words[i]);
        if a & 1 == 1 && b & 1 == 1 && !masked[i - 1] && !masked[i] {
            let mut hash = Fnv::new();
            hash.bytes(&a.to_le_bytes());
            hash.bytes(&b.to_le_bytes());
            keys.push(kind(hash.0, BIGRAM));
        }
    }
    keys.sort_unstable();
    let mut counts: Vec<(u64, u32)> = Vec::new();
    for key in keys {
        match counts.last_mut() {
            Some((last, c)) if *last == key => *c += 1,
            _ => counts.push((key, 1)),
        }
    }
    counts
}

/// Sublinear tf times idf, unit length; features missing from `df` (in
/// one document only) are dropped.
fn weigh(terms: &[(u64, u32)], df: &HashMap<u64, u32>, n: usize) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> = terms
        .iter()
        .filter_map(|&(key, tf)| {
            let df = *df.get(&key)?;
            let idf = (n as f64 / f64::from(df)).ln();
            Some((key, ((1.0 + f64::from(tf).ln()) * idf) as f32))
        })
        .collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    v
}

/// What two documents share: the cosine, its part from named entities,
/// and whether they name a common day.
struct Shared {
    cosine: f32,
    entities: f32,
    day: bool,
}

impl Shared {
    /// The link score: names count twice, as they tell stories in one
    /// city apart where the shared vocabulary cannot.
    fn score(&self) -> f32 {
        self.cosine + self.entities
    }
}

fn overlap(a: &[(u64, f32)], b: &[(u64, f32)]) -> Shared {
    let mut shared = Shared {
        cosine: 0.0,
        entities: 0.0,
        day: false,
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let w = a[i].1 * b[j].1;
                shared.cosine += w;
                match kind_of(a[i].0) {
                    ENTITY => shared.entities += w,
                    DAY => shared.day = true,
                    _ => {}
                }
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// A scored candidate pair, `i < j`.
#[derive(Debug, Clone, Copy)]
struct Pair {
    score: f32,
    i: u32,
    j: u32,
    apart: i32,
    day: bool,
    /// Rare people both name, up to 2.
    persons: u8,
    days: Days,
}

/// Score a pair `near_days` to `window_days` apart needs to be kept for
/// attaching a lone article to a story.
const ATTACH_CANDIDATE: f32 = 0.05;

/// Candidate pairs from the blocking index that link, or that may attach
/// a lone article to a story a week or so away.
fn links(
    vectors: &[Vec<(u64, f32)>],
    days: &[Option<i32>],
    prepared: &[&Prepared],
    df: &HashMap<u64, u32>,
    params: &Params,
) -> Vec<Pair> {
    let cap = params.posting_cap as u32;
    let rare = |key: &u64| {
        df.get(key)
            .is_some_and(|&d| d as usize <= params.person_docs)
    };
    // People named in few articles: the victim, the suspect.
    let shared_persons = |i: usize, j: usize| {
        let (a, b) = (&prepared[i].persons, &prepared[j].persons);
        a.iter()
            .filter(|k| rare(k) && b.binary_search(k).is_ok())
            .count()
    };
    let published: Vec<Vec<i32>> = days
        .iter()
        .map(|&day| reported_days(day, params.published_day))
        .collect();
    let names_published = |i: usize, j: usize| {
        names_any(prepared[j], &published[i]) || names_any(prepared[i], &published[j])
    };
    let mut postings: HashMap<u64, Vec<(u32, f32)>> = HashMap::new();
    for (i, v) in vectors.iter().enumerate() {
        for &(key, w) in v {
            if df.get(&key).is_some_and(|&d| d <= cap) {
                postings.entry(key).or_default().push((i as u32, w));
            }
        }
    }
    let near = near_duplicates(vectors);
    (0..vectors.len())
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut partial: HashMap<u32, f32> = HashMap::new();
            for &(key, w) in &vectors[i] {
                if let Some(list) = postings.get(&key) {
                    // Postings are in document order: only later ones.
                    let start = list.partition_point(|&(j, _)| j as usize <= i);
                    for &(j, wj) in &list[start..] {
                        *partial.entry(j).or_default() += w * wj;
                    }
                }
            }
            let mut candidates: Vec<u32> = partial
                .into_iter()
                .filter(|&(_, p)| p >= params.prefilter)
                .map(|(j, _)| j)
                .chain(near[i].iter().copied())
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            candidates
                .into_iter()
                .filter_map(|j| {
                    let j_us = j as usize;
                    let mut shared = overlap(&vectors[i], &vectors[j_us]);
                    let apart = match (days[i], days[j_us]) {
                        (Some(a), Some(b)) => (a - b).abs(),
                        _ => 0,
                    };
                    let score = shared.score();
                    let persons = if params.persons_link < 1.0 {
                        shared_persons(i, j_us).min(2) as u8
                    } else {
                        0
                    };
                    if params.published_day >= 0 && !shared.day {
                        shared.day = names_published(i, j_us);
                    }
                    // Weaker pairs a week or so apart may still attach a
                    // lone article to a story (see `merge`).
                    let attachable = !shared.day
                        && apart > params.near_days
                        && apart <= params.window_days
                        && score >= ATTACH_CANDIDATE;
                    let days = days_between(prepared[i], prepared[j_us], params.close_days);
                    let link = needed(params, apart, shared.day, persons, days);
                    (attachable || score >= link).then_some(Pair {
                        persons,
                        days,
                        score,
                        i: i as u32,
                        j,
                        apart,
                        day: shared.day,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// MinHash bands: how many, and how many hashes each. Two documents
/// whose feature sets have Jaccard similarity 0.8 share a band with
/// probability 1 - (1 - 0.8²)⁴ = 0.98; at 0.2, 0.15.
const BANDS: u64 = 4;
const ROWS: u64 = 2;
/// In a band's bucket, each document is paired with this many next ones:
/// enough to chain a bucket of copies, bounded for any bucket size.
const BUCKET_WINDOW: usize = 4;

/// For each document, later documents that MinHash finds to be near
/// copies. A wire story run by a hundred sites shares every feature with
/// its copies, so each feature is in more than `posting_cap` articles and
/// the inverted index has no postings to find the copies by.
fn near_duplicates(vectors: &[Vec<(u64, f32)>]) -> Vec<Vec<u32>> {
    let mix = |mut x: u64| {
        // splitmix64's finaliser: a cheap, well-spread, stable hash.
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    };
    let signatures: Vec<Vec<u64>> = vectors
        .par_iter()
        .map(|v| {
            if v.is_empty() {
                return Vec::new();
            }
            (0..BANDS)
                .map(|band| {
                    let mut hash = Fnv::new();
                    hash.bytes(&band.to_le_bytes());
                    for row in 0..ROWS {
                        let seed = mix(band * ROWS + row + 1);
                        let min = v.iter().map(|&(key, _)| mix(key ^ seed)).min();
                        hash.bytes(&min.unwrap_or(0).to_le_bytes());
                    }
                    hash.0
                })
                .collect()
        })
        .collect();
    let mut near: Vec<Vec<u32>> = vec![Vec::new(); vectors.len()];
    for band in 0..BANDS as usize {
        let mut buckets: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, sig) in signatures.iter().enumerate() {
            if let Some(&h) = sig.get(band) {
                buckets.entry(h).or_default().push(i as u32);
            }
        }
        for bucket in buckets.values().filter(|b| b.len() > 1) {
            for (at, &i) in bucket.iter().enumerate() {
                let next = &bucket[at + 1..bucket.len().min(at + 1 + BUCKET_WINDOW)];
                near[i as usize].extend_from_slice(next);
            }
        }
    }
    near
}

/// The score two articles `apart` days apart need to link. A later
/// article that names a day the other names is a follow-up, not a
/// lookalike: it is judged as a report of the same day.
fn needed(params: &Params, apart: i32, common_day: bool, persons: u8, days: Days) -> f32 {
    let by_days = if common_day || apart <= params.near_days {
        params.link
    } else if apart <= params.window_days {
        params.mid_link
    } else {
        params.far_link
    };
    // Two rare names in common (the victim and the suspect of a trial
    // months later) are rarely a coincidence, however far apart.
    let by_names = if persons >= 2 {
        by_days.min(params.persons_link)
    } else {
        by_days
    };
    match days {
        Days::Unknown => by_names,
        Days::Close => by_names.min(params.close_day_link),
        Days::Apart => by_names.max(params.apart_day_link),
    }
}

/// Strongest links first; a link merges two groups only when their
/// average cross similarity (from the groups' vector sums: the mean of
/// x·y over pairs is ΣA·ΣB / |A||B|) reaches `cohesion`. Returns groups
/// of positions, each sorted, in order of their first position.
fn sort_edges(edges: &mut [(f32, u32, u32)]) {
    edges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
}

fn merge(
    vectors: &[Vec<(u64, f32)>],
    edges: &[(f32, u32, u32)],
    pairs: &[Pair],
    params: &Params,
) -> Vec<Vec<usize>> {
    let cohesion = params.cohesion;
    let n = vectors.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut size: Vec<usize> = vec![1; n];
    // Vector sums of merged groups, by root; a singleton's is its vector.
    let mut sums: HashMap<usize, Vec<(u64, f32)>> = HashMap::new();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(sim, a, b) in edges {
        let (ra, rb) = (find(&mut parent, a as usize), find(&mut parent, b as usize));
        if ra == rb {
            continue;
        }
        let average = if size[ra] == 1 && size[rb] == 1 {
            sim
        } else {
            let sa = sums.get(&ra).unwrap_or(&vectors[ra]);
            let sb = sums.get(&rb).unwrap_or(&vectors[rb]);
            dot(sa, sb) / (size[ra] * size[rb]) as f32
        };
        if average < cohesion {
            continue;
        }
        // The smaller root joins the larger; ties keep the earlier root.
        let (keep, gone) = if size[ra] > size[rb] || (size[ra] == size[rb] && ra < rb) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let merged = add(
            sums.get(&keep).unwrap_or(&vectors[keep]),
            sums.get(&gone).unwrap_or(&vectors[gone]),
        );
        sums.remove(&gone);
        sums.insert(keep, merged);
        parent[gone] = keep;
        size[keep] += size[gone];
    }
    if params.attach < 1.0 {
        // A lone article a week or so from a story may match the story as
        // a whole (the sum of its members' vectors holds every name and
        // place its reports gave) better than any one report: it joins
        // the closest such story whose centroid cosine reaches `attach`.
        // Only lone articles: two stories matched this way drift apart.
        let norm = |v: &[(u64, f32)]| v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        let mut between: Vec<(usize, usize)> = Vec::new();
        for p in pairs {
            let mid = !p.day && p.apart > params.near_days && p.apart <= params.window_days;
            let (ra, rb) = (
                find(&mut parent, p.i as usize),
                find(&mut parent, p.j as usize),
            );
            if mid && ra != rb && (size[ra] == 1) != (size[rb] == 1) {
                between.push(if size[ra] == 1 { (ra, rb) } else { (rb, ra) });
            }
        }
        between.sort_unstable();
        between.dedup();
        let mut best: HashMap<usize, (f32, usize)> = HashMap::new();
        for (lone, story) in between {
            let sum = sums.get(&story).unwrap_or(&vectors[story]);
            let c = dot(&vectors[lone], sum) / norm(sum).max(f32::MIN_POSITIVE);
            let e = best.entry(lone).or_insert((c, story));
            if c > e.0 {
                *e = (c, story);
            }
        }
        let mut best: Vec<(usize, f32, usize)> = best
            .into_iter()
            .map(|(lone, (c, story))| (lone, c, story))
            .collect();
        best.sort_unstable_by_key(|b| b.0);
        for (lone, c, story) in best {
            if c >= params.attach {
                parent[lone] = story;
                size[story] += 1;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| g[0]);
    groups
}

fn add(a: &[(u64, f32)], b: &[(u64, f32)]) -> Vec<(u64, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                out.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Calls `f(start, hash, content)` for each alphanumeric run of `text`,
/// lower-cased; `start` is its byte offset, `content` false for
/// one-character words.
fn for_each_word(text: &str, mut f: impl FnMut(usize, u64, bool)) {
    let mut hash = Fnv::new();
    let mut chars = 0usize;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if chars == 0 {
                start = at;
            }
            for l in c.to_lowercase() {
                hash.char(l);
            }
            chars += 1;
        } else if chars > 0 {
            f(start, hash.0, chars > 1);
            hash = Fnv::new();
            chars = 0;
        }
    }
    if chars > 0 {
        f(start, hash.0, chars > 1);
    }
}

/// Hashes of the function words (`rules/lexicon/stopwords.txt`), as
/// [`for_each_word`] hashes them, low bit cleared.
fn stopwords() -> &'static HashSet<u64> {
    static WORDS: OnceLock<HashSet<u64>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut set = HashSet::new();
        for line in include_str!("../rules/lexicon/stopwords.txt")
            .lines()
            .chain(EXTRA_STOPWORDS.iter().copied())
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            for_each_word(line, |_, hash, _| {
                set.insert(hash & !1);
                set.insert(hash | 1);
            });
        }
        set
    })
}

/// Reporting verbs and pronouns the function-word list leaves out; they
/// say nothing about which story an article tells.
const EXTRA_STOPWORDS: &[&str] = &[
    "said", "says", "say", "told", "he", "she", "it", "they", "them", "his", "her", "its", "their",
    "we", "you", "our", "your", "my", "me", "him", "us", "i",
];

const WORD: u64 = 0;
const BIGRAM: u64 = 1;
const ENTITY: u64 = 2;
const DAY: u64 = 3;

/// A feature key: the hash with its kind in the top two bits and the
/// content bit set.
fn kind(hash: u64, kind: u64) -> u64 {
    (hash & !(3 << 62)) | (kind << 62) | 1
}

fn kind_of(key: u64) -> u64 {
    key >> 62
}

/// FNV-1a, 64-bit: stable across platforms and versions, unlike std's
/// hasher, so story ids and every tie-break are reproducible.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.bytes(c.encode_utf8(&mut buf).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_needed_score_grows_with_the_gap_unless_a_day_is_shared() {
        let p = Params::default();
        assert!(p.link < p.mid_link && p.mid_link < p.far_link);
        assert_eq!(needed(&p, 0, false, 0, Days::Unknown), p.link);
        assert_eq!(needed(&p, p.near_days, false, 0, Days::Unknown), p.link);
        assert_eq!(
            needed(&p, p.near_days + 1, false, 0, Days::Unknown),
            p.mid_link
        );
        assert_eq!(
            needed(&p, p.window_days, false, 0, Days::Unknown),
            p.mid_link
        );
        assert_eq!(
            needed(&p, p.window_days + 1, false, 0, Days::Unknown),
            p.far_link
        );
        // A trial months later that names the day of the event.
        assert_eq!(needed(&p, 200, true, 0, Days::Unknown), p.link);
        assert_eq!(needed(&p, p.near_days + 1, true, 0, Days::Unknown), p.link);
    }

    #[test]
    fn the_headline_and_the_lead_count_twice() {
        let mut doc = crate::diff::document(
            "a.txt",
            "Kestrel workers escaped the blaze. Later the kestrel council met.",
        );
        doc.title = Some("Kestrel mill blaze".to_string());
        let p = prepare(&doc);
        let counts = |lead_words: usize| {
            let terms = term_counts(&p, &HashSet::new(), 4, lead_words);
            let key = |w: &str| {
                let mut h = 0;
                for_each_word(w, |_, x, _| h = x);
                kind(h, WORD)
            };
            let count = |w: &str| terms.iter().find(|t| t.0 == key(w)).map_or(0, |t| t.1);
            (count("kestrel"), count("council"))
        };
        // Headline twice, body once: "kestrel" in the headline and twice in the body.
        assert_eq!(counts(0).0, 2 + 2);
        assert_eq!(counts(0).1, 1);
        // A lead of three words doubles the body's first "kestrel" only.
        assert_eq!(counts(3).0, 2 + 2 + 1);
        assert_eq!(counts(3).1, 1);
        // A lead is at most half the body (the first five of its eleven
        // words here), so a short article keeps its headline's weight.
        assert_eq!(counts(100), (2 + 2 + 1, 1));
    }

    /// A unit vector with equal weights on `keys` (sorted).
    fn unit(keys: &[u64]) -> Vec<(u64, f32)> {
        let w = 1.0 / (keys.len() as f32).sqrt();
        keys.iter().map(|&k| (k, w)).collect()
    }

    #[test]
    fn a_lone_article_joins_the_story_it_matches_as_a_whole() {
        // Three reports of one story share key 2; a follow-up a week later
        // names what all three do (key 2) among much else of its own, so
        // it is too far from each report alone but close to their sum.
        // Another article shares key 5 with two of them: not enough.
        let private = |from: u64, n: u64| (from..from + n).collect::<Vec<_>>();
        let follow_up = [vec![2], private(7, 8)].concat();
        let other = [vec![5], private(20, 9)].concat();
        let vectors = vec![
            unit(&[1, 2, 5]),
            unit(&[2, 4, 5]),
            unit(&[2, 3, 4]),
            unit(&follow_up),
            unit(&other),
        ];
        let p = Params::default();
        let pair = |i: u32, j: u32, apart: i32| Pair {
            score: dot(&vectors[i as usize], &vectors[j as usize]),
            i,
            j,
            apart,
            day: false,
            persons: 0,
            days: Days::Unknown,
        };
        let pairs = [
            pair(0, 1, 0),
            pair(1, 2, 1),
            pair(0, 3, 7),
            pair(1, 3, 7),
            pair(2, 3, 7),
            pair(0, 4, 7),
            pair(1, 4, 7),
        ];
        // No pair of the follow-up or the other article links on its own.
        for q in &pairs[2..] {
            assert!(
                q.score < needed(&p, q.apart, q.day, q.persons, Days::Unknown),
                "{q:?}"
            );
        }
        let mut edges: Vec<(f32, u32, u32)> = pairs
            .iter()
            .filter(|q| q.score >= needed(&p, q.apart, q.day, q.persons, Days::Unknown))
            .map(|q| (q.score, q.i, q.j))
            .collect();
        sort_edges(&mut edges);
        assert_eq!(
            merge(&vectors, &edges, &pairs, &p),
            vec![vec![0, 1, 2, 3], vec![4]]
        );
        let never = Params {
            attach: 1.0,
            ..Params::default()
        };
        assert_eq!(
            merge(&vectors, &edges, &pairs, &never),
            vec![vec![0, 1, 2], vec![3], vec![4]]
        );
    }

    #[test]
    fn two_rare_names_in_common_lower_the_score_far_apart_articles_need() {
        let p = Params::default();
        assert!(p.persons_link < p.far_link);
        assert_eq!(needed(&p, 200, false, 2, Days::Unknown), p.persons_link);
        assert_eq!(needed(&p, 200, false, 1, Days::Unknown), p.far_link);
        // Never raises what a close pair needs.
        assert_eq!(needed(&p, 0, false, 2, Days::Unknown), p.link);
        let off = Params {
            persons_link: 1.0,
            ..Params::default()
        };
        assert_eq!(needed(&off, 200, false, 2, Days::Unknown), off.far_link);
    }

    #[test]
    fn a_follow_up_naming_the_day_of_a_report_names_its_day() {
        let dated = |text: &str, day: &str| {
            let mut doc = crate::diff::document("a.txt", text);
            doc.published = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
            doc
        };
        let follow_up = prepare(&dated(
            "A teenager was charged Tuesday in the July 4 shooting downtown that wounded four.",
            "2016-09-20",
        ));
        let day = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .ok()
                .map(|d| d.num_days_from_ce())
        };
        // The report of the night itself, or of the morning after.
        assert!(names_any(&follow_up, &reported_days(day("2016-07-04"), 1)));
        assert!(names_any(&follow_up, &reported_days(day("2016-07-05"), 1)));
        assert!(!names_any(&follow_up, &reported_days(day("2016-07-05"), 0)));
        assert!(!names_any(&follow_up, &reported_days(day("2016-07-07"), 1)));
        assert!(!names_any(&follow_up, &reported_days(None, 1)));
    }

    #[test]
    fn days_named_close_together_lower_the_bar_and_days_apart_raise_it() {
        let dated = |text: &str, day: &str| {
            let mut doc = crate::diff::document("a.txt", text);
            doc.published = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
            prepare(&doc)
        };
        // Saturday night's shooting, told on Sunday and on Monday.
        let first = dated(
            "Two men were shot late Saturday on Elm Street.",
            "2014-06-22",
        );
        let next = dated(
            "Police on Sunday named the men shot on Elm Street.",
            "2014-06-23",
        );
        // Another shooting a week later, on another Saturday.
        let other = dated("A woman was shot Saturday on Elm Street.", "2014-06-29");
        let undated_days = dated("Police are looking for the gunman.", "2014-06-23");
        assert_eq!(first.day_numbers.len(), 1, "{first:?}");
        assert_eq!(days_between(&first, &next, 1), Days::Close);
        assert_eq!(days_between(&next, &first, 1), Days::Close);
        assert_eq!(days_between(&first, &next, -1), Days::Unknown);
        assert_eq!(days_between(&first, &other, 1), Days::Apart);
        assert_eq!(days_between(&other, &next, 1), Days::Apart);
        assert_eq!(days_between(&first, &undated_days, 1), Days::Unknown);
        let p = Params::default();
        assert!(p.link < p.apart_day_link && p.close_day_link < p.mid_link);
        // Close days: a week or months apart, the bar drops; never rises.
        assert_eq!(needed(&p, 7, false, 0, Days::Close), p.close_day_link);
        assert_eq!(needed(&p, 200, false, 0, Days::Close), p.close_day_link);
        assert_eq!(needed(&p, 0, false, 0, Days::Close), p.link);
        // Days apart: a pair published together needs more; a far one
        // no less than before.
        assert_eq!(needed(&p, 1, false, 0, Days::Apart), p.apart_day_link);
        assert_eq!(needed(&p, 200, false, 0, Days::Apart), p.far_link);
        assert_eq!(needed(&p, 1, false, 0, Days::Unknown), p.link);
    }

    #[test]
    fn the_people_named_are_listed_once_without_the_places() {
        let doc = crate::diff::document(
            "a.txt",
            "Cedric Poore was charged in Tulsa. Police said Cedric Poore fled to Oklahoma City.",
        );
        let p = prepare(&doc);
        let key = |name: &str| {
            let mut hash = Fnv::new();
            hash.bytes(b"entity:");
            for c in name.chars() {
                hash.char(c);
            }
            kind(hash.0, ENTITY)
        };
        assert_eq!(p.persons, vec![key("cedric poore")]);
    }

    #[test]
    fn story_ids_ignore_member_order() {
        let a = story_id(&["x#2", "x#1", "y#7"]);
        assert_eq!(a, story_id(&["y#7", "x#1", "x#2"]));
        assert_ne!(a, story_id(&["x#1", "x#2"]));
        assert!(a.starts_with("auto-") && a.len() == "auto-".len() + 12);
    }
}
