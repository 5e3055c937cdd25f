//! Sentence alignment of a copy against its original.
//!
//! Sentences become sets of normalised content words (lower case, no
//! punctuation, stop words dropped, a plural `s` cut). Two sentences are
//! as similar as the Dice coefficient of their word sets. A monotone
//! dynamic programme (like a text diff, but over sentences) pairs them
//! one-to-one, one-to-two (a split) or two-to-one (a merge); copy
//! sentences left over are then matched anywhere in the original, which
//! finds passages a rewrite moved.

use std::collections::HashMap;
use std::ops::Range;

/// From this similarity two sentences say the same thing in the monotone
/// pass. Rewrites keep about half the content words of a sentence.
const MIN_ALIGNED: f64 = 0.3;
/// A moved passage must be closer: it is found without the order's help.
const MIN_MOVED: f64 = 0.4;

/// Words that carry no content for alignment.
const STOP: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "that", "this", "it", "its", "he",
    "she", "they", "his", "her", "their", "has", "have", "had", "said", "says", "will", "would",
    "which", "who", "also", "not", "s",
];

/// Lower-case content words of a text, with a plural `s` cut so
/// "countries"/"country" do not meet but "guarantees"/"guarantee" do.
pub fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .map(|w| {
            if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect()
}

/// Sentences as sorted, deduplicated word ids: set operations by merging.
struct Interner(HashMap<String, u32>);

impl Interner {
    fn ids(&mut self, text: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = content_words(text)
            .into_iter()
            .map(|w| {
                let next = self.0.len() as u32;
                *self.0.entry(w).or_insert(next)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = a.iter().chain(b).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Dice coefficient of `a` against the union of `b1` and `b2`, without
/// building the union (the DP asks this for every cell).
fn dice_union(a: &[u32], b1: &[u32], b2: &[u32]) -> f64 {
    let (mut i, mut j, mut k) = (0, 0, 0);
    let (mut len, mut shared) = (0usize, 0usize);
    // Walk the union of b1 and b2 in order, and a alongside it.
    loop {
        let next = match (b1.get(j), b2.get(k)) {
            (None, None) => break,
            (Some(&x), None) => {
                j += 1;
                x
            }
            (None, Some(&y)) => {
                k += 1;
                y
            }
            (Some(&x), Some(&y)) => {
                if x <= y {
                    j += 1;
                }
                if y <= x {
                    k += 1;
                }
                x.min(y)
            }
        };
        len += 1;
        while a.get(i).is_some_and(|&v| v < next) {
            i += 1;
        }
        if a.get(i) == Some(&next) {
            shared += 1;
        }
    }
    if a.is_empty() || len == 0 {
        return 0.0;
    }
    2.0 * shared as f64 / (a.len() + len) as f64
}

/// Dice coefficient of two word sets; empty sets are unlike anything.
fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Copy sentences `copy` said as original sentences `original`, with
/// their similarity. Ranges index the sentence lists given to [`align`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AlignedPair {
    pub original: Option<Range<usize>>,
    pub copy: Option<Range<usize>>,
    pub similarity: f64,
}

#[derive(Clone, Copy)]
enum Step {
    Start,
    SkipOriginal,
    SkipCopy,
    /// (original sentences, copy sentences) taken together.
    Pair(usize, usize),
}

/// Aligns two lists of sentence texts. Every sentence of either side
/// appears in exactly one pair; the list is in copy order, with original
/// sentences nobody matched after the copy sentence they follow.
pub fn align(original: &[&str], copy: &[&str]) -> Vec<AlignedPair> {
    let mut interner = Interner(HashMap::new());
    let a: Vec<Vec<u32>> = original.iter().map(|s| interner.ids(s)).collect();
    let b: Vec<Vec<u32>> = copy.iter().map(|s| interner.ids(s)).collect();
    let pairs = monotone(&a, &b, interner.0.len());
    with_moved(pairs, &a, &b)
}

/// The monotone pass: one-to-one, split and merged pairs in order, and
/// the sentences of either side left alone. `words` bounds the word ids.
fn monotone(a: &[Vec<u32>], b: &[Vec<u32>], words: usize) -> Vec<AlignedPair> {
    let (n, m) = (a.len(), b.len());
    // shared[i * m + j]: words sentence a[i] and b[j] have in common,
    // counted through an index of the original's words, so that the
    // programme below reads the similarity of a cell instead of merging
    // two word lists (most pairs share nothing).
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); words];
    for (i, words) in a.iter().enumerate() {
        for &w in words {
            if let Some(list) = postings.get_mut(w as usize) {
                list.push(i as u32);
            }
        }
    }
    let mut shared = vec![0u16; n * m];
    for (j, words) in b.iter().enumerate() {
        for &w in words {
            for &i in postings.get(w as usize).map_or(&[][..], Vec::as_slice) {
                let cell = &mut shared[i as usize * m + j];
                *cell = cell.saturating_add(1);
            }
        }
    }
    let dice_at = |i: usize, j: usize| -> f64 {
        let (la, lb) = (a[i].len(), b[j].len());
        if la == 0 || lb == 0 {
            return 0.0;
        }
        2.0 * f64::from(shared[i * m + j]) / (la + lb) as f64
    };
    // score[i][j]: best total similarity aligning a[..i] with b[..j].
    let width = m + 1;
    let mut score = vec![0.0f64; (n + 1) * width];
    let mut step = vec![Step::Start; (n + 1) * width];
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = (f64::MIN, Step::Start);
            if i > 0 {
                best = (score[(i - 1) * width + j], Step::SkipOriginal);
            }
            if j > 0 && score[i * width + j - 1] > best.0 {
                best = (score[i * width + j - 1], Step::SkipCopy);
            }
            for (di, dj) in [(1, 1), (1, 2), (2, 1)] {
                if i < di || j < dj {
                    continue;
                }
                // A split or merge counts for the sentences it covers, but
                // only when the extra sentence brings shared words: the
                // union must be at least as close as either part alone,
                // or every pair would swallow an unrelated neighbour.
                let gain = if di == 1 && dj == 1 {
                    let sim = dice_at(i - 1, j - 1);
                    if sim < MIN_ALIGNED {
                        continue;
                    }
                    sim
                } else {
                    // The two cells of the split (or merge) and the sizes
                    // of the single side and of the larger of the pair.
                    let ((c1, c2), single, pair_max) = if di == 1 {
                        (
                            (shared[(i - 1) * m + j - 2], shared[(i - 1) * m + j - 1]),
                            a[i - 1].len(),
                            b[j - 2].len().max(b[j - 1].len()),
                        )
                    } else {
                        (
                            (shared[(i - 2) * m + j - 1], shared[(i - 1) * m + j - 1]),
                            b[j - 1].len(),
                            a[i - 2].len().max(a[i - 1].len()),
                        )
                    };
                    // The union shares at most c1 + c2 words and has at
                    // least as many as the larger part.
                    let bound = 2.0 * f64::from(u32::from(c1) + u32::from(c2))
                        / (single + pair_max).max(1) as f64;
                    if bound < MIN_ALIGNED {
                        continue;
                    }
                    let (sim, parts) = if di == 1 {
                        (
                            dice_union(&a[i - 1], &b[j - 2], &b[j - 1]),
                            dice_at(i - 1, j - 2).max(dice_at(i - 1, j - 1)),
                        )
                    } else {
                        (
                            dice_union(&b[j - 1], &a[i - 2], &a[i - 1]),
                            dice_at(i - 2, j - 1).max(dice_at(i - 1, j - 1)),
                        )
                    };
                    if sim < MIN_ALIGNED || sim < parts {
                        continue;
                    }
                    sim * 1.5
                };
                let total = score[(i - di) * width + j - dj] + gain;
                if total > best.0 {
                    best = (total, Step::Pair(di, dj));
                }
            }
            score[i * width + j] = best.0;
            step[i * width + j] = best.1;
        }
    }
    // Walk back from the end.
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        match step[i * width + j] {
            Step::Start => break,
            Step::SkipOriginal => {
                pairs.push(AlignedPair {
                    original: Some(i - 1..i),
                    copy: None,
                    similarity: 0.0,
                });
                i -= 1;
            }
            Step::SkipCopy => {
                pairs.push(AlignedPair {
                    original: None,
                    copy: Some(j - 1..j),
                    similarity: 0.0,
                });
                j -= 1;
            }
            Step::Pair(di, dj) => {
                let sa = union_range(a, i - di..i);
                let sb = union_range(b, j - dj..j);
                pairs.push(AlignedPair {
                    original: Some(i - di..i),
                    copy: Some(j - dj..j),
                    similarity: dice(&sa, &sb),
                });
                i -= di;
                j -= dj;
            }
        }
    }
    pairs.reverse();
    pairs
}

/// Moved passages: a copy sentence left alone that matches an original
/// sentence also left alone, anywhere.
fn with_moved(mut pairs: Vec<AlignedPair>, a: &[Vec<u32>], b: &[Vec<u32>]) -> Vec<AlignedPair> {
    let mut free_original: Vec<usize> = pairs
        .iter()
        .filter(|p| p.copy.is_none())
        .filter_map(|p| p.original.as_ref().map(|r| r.start))
        .collect();
    let mut moved: Vec<(usize, usize, f64)> = Vec::new();
    for p in pairs.iter().filter(|p| p.original.is_none()) {
        let Some(jc) = p.copy.as_ref().map(|r| r.start) else {
            continue;
        };
        let best = free_original
            .iter()
            .map(|&io| (io, dice(&a[io], &b[jc])))
            .filter(|(_, s)| *s >= MIN_MOVED)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((io, s)) = best {
            free_original.retain(|&x| x != io);
            moved.push((io, jc, s));
        }
    }
    if !moved.is_empty() {
        pairs.retain(|p| {
            let o = p.original.as_ref().map(|r| r.start);
            let c = p.copy.as_ref().map(|r| r.start);
            !moved.iter().any(|(io, jc, _)| {
                (p.copy.is_none() && o == Some(*io)) || (p.original.is_none() && c == Some(*jc))
            })
        });
        for (io, jc, s) in moved {
            let at = pairs
                .iter()
                .position(|p| p.copy.as_ref().is_some_and(|r| r.start > jc))
                .unwrap_or(pairs.len());
            pairs.insert(
                at,
                AlignedPair {
                    original: Some(io..io + 1),
                    copy: Some(jc..jc + 1),
                    similarity: s,
                },
            );
        }
    }
    pairs
}

fn union_range(sets: &[Vec<u32>], range: Range<usize>) -> Vec<u32> {
    sets.get(range)
        .unwrap_or(&[])
        .iter()
        .fold(Vec::new(), |acc, s| union(&acc, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `original>copy` per pair, `-` for none.
    fn pairs(a: &[&str], b: &[&str]) -> String {
        let r = |x: &Option<Range<usize>>| {
            x.as_ref()
                .map_or("-".to_string(), |r| format!("{}..{}", r.start, r.end))
        };
        align(a, b)
            .iter()
            .map(|p| format!("{}>{}", r(&p.original), r(&p.copy)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn one_to_one_and_unmatched() {
        let a = [
            "The minister met farmers in Leeds on Monday.",
            "Prices rose sharply.",
        ];
        let b = [
            "On Monday the minister met farmers in Leeds.",
            "A totally new sentence appears here.",
        ];
        let shown = pairs(&a, &b);
        assert!(shown.starts_with("0..1>0..1 "), "{shown}");
        assert!(shown.contains("1..2>-"), "{shown}");
        assert!(shown.contains("->1..2"), "{shown}");
    }

    #[test]
    fn dice_of_a_union_is_the_dice_of_the_built_union() {
        let (a, b1, b2) = (vec![1, 3, 5, 7], vec![1, 2, 3], vec![3, 7, 9]);
        assert_eq!(dice_union(&a, &b1, &b2), dice(&a, &union(&b1, &b2)));
        assert_eq!(dice_union(&a, &[], &[]), 0.0);
    }

    /// The monotone pass as first written: every cell's similarity from
    /// the word lists themselves.
    fn reference_monotone(a: &[Vec<u32>], b: &[Vec<u32>]) -> Vec<AlignedPair> {
        let (n, m) = (a.len(), b.len());
        let width = m + 1;
        let mut score = vec![0.0f64; (n + 1) * width];
        let mut step = vec![Step::Start; (n + 1) * width];
        for i in 0..=n {
            for j in 0..=m {
                if i == 0 && j == 0 {
                    continue;
                }
                let mut best = (f64::MIN, Step::Start);
                if i > 0 {
                    best = (score[(i - 1) * width + j], Step::SkipOriginal);
                }
                if j > 0 && score[i * width + j - 1] > best.0 {
                    best = (score[i * width + j - 1], Step::SkipCopy);
                }
                for (di, dj) in [(1, 1), (1, 2), (2, 1)] {
                    if i < di || j < dj {
                        continue;
                    }
                    let sim = if di == 1 && dj == 1 {
                        dice(&a[i - 1], &b[j - 1])
                    } else if di == 1 {
                        dice(&a[i - 1], &union(&b[j - 2], &b[j - 1]))
                    } else {
                        dice(&b[j - 1], &union(&a[i - 2], &a[i - 1]))
                    };
                    if sim < MIN_ALIGNED {
                        continue;
                    }
                    let gain = if di + dj > 2 {
                        let parts = if di == 1 {
                            dice(&a[i - 1], &b[j - 2]).max(dice(&a[i - 1], &b[j - 1]))
                        } else {
                            dice(&a[i - 2], &b[j - 1]).max(dice(&a[i - 1], &b[j - 1]))
                        };
                        if sim < parts {
                            continue;
                        }
                        sim * 1.5
                    } else {
                        sim
                    };
                    let total = score[(i - di) * width + j - dj] + gain;
                    if total > best.0 {
                        best = (total, Step::Pair(di, dj));
                    }
                }
                score[i * width + j] = best.0;
                step[i * width + j] = best.1;
            }
        }
        let mut pairs = Vec::new();
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            match step[i * width + j] {
                Step::Start => break,
                Step::SkipOriginal => {
                    pairs.push((Some(i - 1..i), None));
                    i -= 1;
                }
                Step::SkipCopy => {
                    pairs.push((None, Some(j - 1..j)));
                    j -= 1;
                }
                Step::Pair(di, dj) => {
                    pairs.push((Some(i - di..i), Some(j - dj..j)));
                    i -= di;
                    j -= dj;
                }
            }
        }
        pairs.reverse();
        pairs
            .into_iter()
            .map(|(original, copy)| AlignedPair {
                original,
                copy,
                similarity: 0.0,
            })
            .collect()
    }

    #[test]
    fn the_indexed_pass_aligns_as_the_reference_does() {
        // Sentences of 3 to 10 words from a 40-word vocabulary, from a
        // fixed pseudo-random sequence: many partial overlaps, splits and
        // merges.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        for _ in 0..40 {
            let side = |next: &mut dyn FnMut(u64) -> u64| -> Vec<Vec<u32>> {
                let len = 1 + next(12);
                (0..len)
                    .map(|_| {
                        let words = 3 + next(8);
                        let mut s: Vec<u32> = (0..words).map(|_| next(40) as u32).collect();
                        s.sort_unstable();
                        s.dedup();
                        s
                    })
                    .collect()
            };
            let a = side(&mut next);
            let b = side(&mut next);
            let ranges = |p: Vec<AlignedPair>| -> Vec<String> {
                p.into_iter()
                    .map(|x| format!("{:?}>{:?}", x.original, x.copy))
                    .collect()
            };
            assert_eq!(
                ranges(monotone(&a, &b, 40)),
                ranges(reference_monotone(&a, &b)),
                "{a:?} / {b:?}"
            );
        }
    }

    #[test]
    fn empty_sides() {
        assert_eq!(pairs(&[], &["A sentence."]), "->0..1");
        assert_eq!(pairs(&["A sentence."], &[]), "0..1>-");
        assert_eq!(pairs(&[], &[]), "");
    }
}
