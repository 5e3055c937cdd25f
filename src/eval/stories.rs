//! Story clustering (`--group-by auto`) against a gold story field.
//!
//! The archive's records name their story in a field (`--truth-field`,
//! e.g. the Gun Violence Archive's `incident_id`). The field is read only
//! for scoring: the clustering sees text, titles and dates. "Same story"
//! is scored over pairs of articles: precision is the share of pairs put
//! in one cluster that share a gold story, recall the share of gold pairs
//! put in one cluster.
//!
//! Two archives are clustered: the articles of gold stories with two or
//! more articles (the measure), and all articles, as `check
//! --group-by auto` sees them: a single-article story has no gold pair, so
//! merging it into another story costs precision and nothing else.
//! Each is also split in halves by a hash of the gold story, every half
//! clustered as an archive of its own: thresholds are tuned on `dev` and
//! reported on `test` too, so a reader can see how much tuning flattered
//! the figures.

use crate::error::Error;
use crate::ingest::{self, Options};
use crate::model::Document;
use crate::stories::{self, Params, Prepared};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// Scores of one clustered archive.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub name: String,
    pub articles: usize,
    pub gold_stories: usize,
    pub clusters: usize,
    pub largest: usize,
    pub gold_pairs: u64,
    pub predicted_pairs: u64,
    pub true_pairs: u64,
    pub seconds: f64,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Row {
    pub fn precision(&self) -> f64 {
        ratio(self.true_pairs, self.predicted_pairs)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_pairs, self.gold_pairs)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct StoriesReport {
    pub path: String,
    pub truth_field: String,
    pub read: usize,
    pub skipped: usize,
    /// Read articles without the gold field (left out of scoring).
    pub unlabelled: usize,
    pub params: Option<Params>,
    /// Seconds spent on per-article extraction (shared by all rows).
    pub prepare_seconds: f64,
    pub rows: Vec<Row>,
    /// Clusters of the whole archive that mix gold stories, for reading.
    pub mixed: Vec<Vec<Member>>,
    /// Gold stories of the whole archive spread over several clusters,
    /// each member with its cluster number.
    pub split: Vec<Vec<(usize, Member)>>,
}

/// One article of a mixed cluster.
#[derive(Debug, Clone)]
pub struct Member {
    pub gold: String,
    pub half: u8,
    pub published: Option<chrono::NaiveDate>,
    pub id: String,
    pub title: String,
}

impl StoriesReport {
    /// The mixed clusters, largest first, each article with its gold
    /// story, half, date and title.
    pub fn render_mixed(&self) -> String {
        let mut out = String::new();
        for cluster in &self.mixed {
            out.push_str(&format!("mixed cluster of {}:\n", cluster.len()));
            for m in cluster {
                let half = if m.half == 0 { "dev" } else { "test" };
                let date = m.published.map_or("undated".to_string(), |d| d.to_string());
                out.push_str(&format!(
                    "  {:<10} {:<4} {} {}  {}\n",
                    m.gold, half, date, m.id, m.title
                ));
            }
        }
        for story in &self.split {
            out.push_str(&format!("split story of {}:\n", story.len()));
            for (cluster, m) in story {
                let date = m.published.map_or("undated".to_string(), |d| d.to_string());
                out.push_str(&format!(
                    "  {:<10} cluster {:<5} {} {}  {}\n",
                    m.gold, cluster, date, m.id, m.title
                ));
            }
        }
        out
    }

    pub fn render(&self) -> String {
        let mut out = format!(
            "Story clustering on {} (gold: {}): {} articles read, {} skipped, {} without the field\n",
            self.path, self.truth_field, self.read, self.skipped, self.unlabelled
        );
        out.push_str(&format!(
            "{:<28} {:>8} {:>6} {:>8} {:>7} | {:>7} {:>7} {:>7} | {:>6} {:>6} {:>6} | {:>7}\n",
            "archive",
            "articles",
            "gold",
            "clusters",
            "largest",
            "gold.pr",
            "pred.pr",
            "true.pr",
            "P",
            "R",
            "F1",
            "seconds"
        ));
        for r in &self.rows {
            out.push_str(&format!(
                "{:<28} {:>8} {:>6} {:>8} {:>7} | {:>7} {:>7} {:>7} | {:>6.3} {:>6.3} {:>6.3} | {:>7.2}\n",
                r.name,
                r.articles,
                r.gold_stories,
                r.clusters,
                r.largest,
                r.gold_pairs,
                r.predicted_pairs,
                r.true_pairs,
                r.precision(),
                r.recall(),
                r.f1(),
                r.seconds,
            ));
        }
        out.push_str(&format!(
            "gold = gold stories; *.pr = article pairs in one gold story / one cluster / both; \
             P = true.pr / pred.pr, R = true.pr / gold.pr\n\
             multi-article stories: only the articles of gold stories with two or more are \
             clustered; all articles: the whole archive is, so a single-article story merged \
             into another costs precision (recall counts the same gold pairs in both)\n\
             halves split by a hash of the gold story, each clustered on its own; \
             extraction {:.2} s once, seconds = clustering only\n",
            self.prepare_seconds
        ));
        if let Some(p) = &self.params {
            out.push_str(&format!("parameters: {p:?}\n"));
        }
        out
    }
}

/// Which half a gold story falls in: 0 = dev, 1 = test.
pub fn half(story: &str) -> u8 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in story.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // The high bits mix best in FNV-1a.
    (hash >> 63) as u8
}

/// Reads `path` with the gold field as each document's group, clusters and
/// scores the six archives (multi-article stories / all articles × dev,
/// test, both).
pub fn evaluate(path: &Path, truth_field: &str, params: &Params) -> Result<StoriesReport, Error> {
    let options = Options {
        group_by: Some(truth_field.to_string()),
        ..Options::default()
    };
    let bundle = ingest::read_paths(&[path.to_path_buf()], &options);
    if let Some(e) = bundle.errors.first() {
        return Err(Error::Usage(e.to_string()));
    }
    let docs: Vec<&Document> = bundle
        .documents
        .iter()
        .filter(|d| d.group.is_some())
        .collect();
    if docs.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no readable article has a {truth_field:?} field",
            path.display()
        )));
    }
    let started = Instant::now();
    let prepared: Vec<Prepared> = docs.par_iter().map(|d| stories::prepare(d)).collect();
    let prepare_seconds = started.elapsed().as_secs_f64();
    let gold: Vec<&str> = docs
        .iter()
        .map(|d| d.group.as_deref().unwrap_or(""))
        .collect();
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for g in &gold {
        *sizes.entry(g).or_default() += 1;
    }
    let mut rows = Vec::new();
    let mut mixed = Vec::new();
    let mut split = Vec::new();
    for (archive, multi_only) in [("multi-article stories", true), ("all articles", false)] {
        for (part, halves) in [
            ("dev", &[0u8][..]),
            ("test", &[1u8][..]),
            ("both", &[0u8, 1][..]),
        ] {
            let chosen: Vec<usize> = (0..docs.len())
                .filter(|&i| !multi_only || sizes[gold[i]] > 1)
                .filter(|&i| halves.contains(&half(gold[i])))
                .collect();
            let refs: Vec<(&Document, &Prepared)> =
                chosen.iter().map(|&i| (docs[i], &prepared[i])).collect();
            let started = Instant::now();
            let clusters = stories::cluster_prepared(&refs, params);
            let seconds = started.elapsed().as_secs_f64();
            let labels: Vec<&str> = chosen.iter().map(|&i| gold[i]).collect();
            if !multi_only && part == "both" {
                mixed = mixed_clusters(&chosen, &clusters, &docs, &gold);
                split = split_stories(&chosen, &clusters, &docs, &gold);
            }
            let mut row = score(&labels, &clusters);
            row.name = format!("{archive}, {part}");
            row.seconds = seconds;
            rows.push(row);
        }
    }
    Ok(StoriesReport {
        path: path.display().to_string(),
        truth_field: truth_field.to_string(),
        read: bundle.documents.len(),
        skipped: bundle.skipped.len(),
        unlabelled: bundle.documents.len() - docs.len(),
        params: Some(*params),
        prepare_seconds,
        rows,
        mixed,
        split,
    })
}

fn member(d: &Document, gold: &str) -> Member {
    Member {
        gold: gold.to_string(),
        half: half(gold),
        published: d.published,
        id: d.id.clone(),
        title: d.title.clone().unwrap_or_default(),
    }
}

fn split_stories(
    chosen: &[usize],
    clusters: &[Vec<usize>],
    docs: &[&Document],
    gold: &[&str],
) -> Vec<Vec<(usize, Member)>> {
    let mut stories: HashMap<&str, Vec<(usize, Member)>> = HashMap::new();
    for (c, members) in clusters.iter().enumerate() {
        for &i in members {
            let g = gold[chosen[i]];
            stories
                .entry(g)
                .or_default()
                .push((c, member(docs[chosen[i]], g)));
        }
    }
    let mut split: Vec<Vec<(usize, Member)>> = stories
        .into_values()
        .filter(|s| s.iter().any(|(c, _)| *c != s[0].0))
        .collect();
    for s in &mut split {
        s.sort_by(|a, b| (a.0, a.1.published, &a.1.id).cmp(&(b.0, b.1.published, &b.1.id)));
    }
    split.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].1.gold.cmp(&b[0].1.gold)));
    split
}

fn mixed_clusters(
    chosen: &[usize],
    clusters: &[Vec<usize>],
    docs: &[&Document],
    gold: &[&str],
) -> Vec<Vec<Member>> {
    let mut mixed: Vec<Vec<Member>> = clusters
        .iter()
        .filter(|c| c.iter().any(|&i| gold[chosen[i]] != gold[chosen[c[0]]]))
        .map(|c| {
            let mut members: Vec<Member> = c
                .iter()
                .map(|&i| member(docs[chosen[i]], gold[chosen[i]]))
                .collect();
            members
                .sort_by(|a, b| (&a.gold, a.published, &a.id).cmp(&(&b.gold, b.published, &b.id)));
            members
        })
        .collect();
    mixed.sort_by_key(|c| std::cmp::Reverse(c.len()));
    mixed
}

fn pairs(n: usize) -> u64 {
    let n = n as u64;
    n * n.saturating_sub(1) / 2
}

/// Pair counts from cluster sizes, gold story sizes and their overlaps.
pub fn score(gold: &[&str], clusters: &[Vec<usize>]) -> Row {
    let mut gold_sizes: HashMap<&str, usize> = HashMap::new();
    for g in gold {
        *gold_sizes.entry(g).or_default() += 1;
    }
    let mut true_pairs = 0;
    for members in clusters {
        let mut overlap: HashMap<&str, usize> = HashMap::new();
        for &i in members {
            *overlap.entry(gold[i]).or_default() += 1;
        }
        true_pairs += overlap.values().map(|&n| pairs(n)).sum::<u64>();
    }
    Row {
        articles: gold.len(),
        gold_stories: gold_sizes.len(),
        clusters: clusters.len(),
        largest: clusters.iter().map(Vec::len).max().unwrap_or(0),
        gold_pairs: gold_sizes.values().map(|&n| pairs(n)).sum(),
        predicted_pairs: clusters.iter().map(|c| pairs(c.len())).sum(),
        true_pairs,
        ..Row::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_scores_count_overlaps() {
        // Gold: {0,1,2} {3,4}; clusters: {0,1} {2,3,4}.
        let gold = ["a", "a", "a", "b", "b"];
        let row = score(&gold, &[vec![0, 1], vec![2, 3, 4]]);
        assert_eq!(row.gold_pairs, 3 + 1);
        assert_eq!(row.predicted_pairs, 1 + 3);
        assert_eq!(row.true_pairs, 1 + 1);
        assert!((row.precision() - 0.5).abs() < 1e-9);
        assert!((row.recall() - 0.5).abs() < 1e-9);
        assert_eq!(row.largest, 3);
    }
}
