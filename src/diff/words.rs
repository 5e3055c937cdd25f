//! Word-level diff of two sentences: the longest common subsequence of
//! their words, as the edits that turn one into the other. The diff uses
//! it to find a name or number put in place of another between the same
//! words, and the table marks the changed words with it.

/// One step of an edit script over two word lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `a[i]` and `b[j]` are the same word.
    Same(usize, usize),
    /// `a[i]` is not in `b`.
    Removed(usize),
    /// `b[j]` is not in `a`.
    Added(usize),
}

/// Above this many cells the table is not built: the common prefix and
/// suffix are kept and the middle is one replacement. Sentences are far
/// shorter; a text with no sentence breaks must not cost quadratic memory.
const MAX_CELLS: usize = 1 << 20;

/// The edits from `a` to `b`, in order: every index of `a` appears once
/// (as `Same` or `Removed`), every index of `b` once (as `Same` or
/// `Added`). Among the longest common subsequences, removals come before
/// additions in a changed stretch.
pub fn diff<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Op> {
    // Common prefix and suffix first: most of a rewritten sentence.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Same(i, i)).collect();
    let (n, m) = (ma.len(), mb.len());
    if n.saturating_mul(m) > MAX_CELLS {
        ops.extend((0..n).map(|i| Op::Removed(prefix + i)));
        ops.extend((0..m).map(|j| Op::Added(prefix + j)));
    } else {
        // lcs[i][j]: length of the LCS of ma[i..] and mb[j..].
        let width = m + 1;
        let mut lcs = vec![0u32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * width + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * width + j + 1] + 1
                } else {
                    lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                ops.push(Op::Same(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
                ops.push(Op::Removed(prefix + i));
                i += 1;
            } else {
                ops.push(Op::Added(prefix + j));
                j += 1;
            }
        }
    }
    let (sa, sb) = (a.len() - suffix, b.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Same(sa + k, sb + k)));
    ops
}

/// A stretch of the edit script where `a[removed]` was replaced by
/// `b[added]` (either may be empty), with whether the words on each side of
/// it are the same in both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub removed: std::ops::Range<usize>,
    pub added: std::ops::Range<usize>,
    /// A shared word stands just before the stretch.
    pub anchored_before: bool,
    /// A shared word stands just after the stretch.
    pub anchored_after: bool,
}

/// The changed stretches of an edit script.
pub fn changes(ops: &[Op]) -> Vec<Change> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < ops.len() {
        if matches!(ops[k], Op::Same(..)) {
            k += 1;
            continue;
        }
        let start = k;
        let (mut removed, mut added): (
            Option<std::ops::Range<usize>>,
            Option<std::ops::Range<usize>>,
        ) = (None, None);
        while let Some(op) = ops.get(k) {
            match *op {
                Op::Same(..) => break,
                Op::Removed(i) => {
                    removed = Some(removed.map_or(i..i + 1, |r| r.start..i + 1));
                }
                Op::Added(j) => {
                    added = Some(added.map_or(j..j + 1, |r| r.start..j + 1));
                }
            }
            k += 1;
        }
        // Where an empty side sits: after the last shared word before it.
        let (before_a, before_b) = match start.checked_sub(1).map(|p| ops[p]) {
            Some(Op::Same(i, j)) => (i + 1, j + 1),
            _ => (0, 0),
        };
        out.push(Change {
            removed: removed.unwrap_or(before_a..before_a),
            added: added.unwrap_or(before_b..before_b),
            anchored_before: start > 0,
            anchored_after: k < ops.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn a_replaced_word_between_shared_words_is_one_anchored_change() {
        let a = words("the founder of Ozy Media was arrested");
        let b = words("the founder of UFO Media was arrested");
        let ops = diff(&a, &b);
        let ch = changes(&ops);
        assert_eq!(
            ch,
            vec![Change {
                removed: 3..4,
                added: 3..4,
                anchored_before: true,
                anchored_after: true
            }]
        );
    }

    #[test]
    fn every_word_appears_once_in_order() {
        let a = words("a b c d e f");
        let b = words("x b d c e y z");
        let ops = diff(&a, &b);
        let from_a: Vec<usize> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Same(i, _) | Op::Removed(i) => Some(*i),
                Op::Added(_) => None,
            })
            .collect();
        let from_b: Vec<usize> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Same(_, j) | Op::Added(j) => Some(*j),
                Op::Removed(_) => None,
            })
            .collect();
        assert_eq!(from_a, (0..a.len()).collect::<Vec<_>>());
        assert_eq!(from_b, (0..b.len()).collect::<Vec<_>>());
        let same = ops.iter().filter(|o| matches!(o, Op::Same(..))).count();
        assert_eq!(same, 3, "b, c or d, e");
    }

    #[test]
    fn insertions_and_empty_sides() {
        let a = words("he said");
        let b = words("he never said");
        let ch = changes(&diff(&a, &b));
        assert_eq!(ch.len(), 1);
        assert_eq!((ch[0].removed.clone(), ch[0].added.clone()), (1..1, 1..2));
        assert!(diff::<&str>(&[], &[]).is_empty());
        assert_eq!(diff(&[], &b).len(), 3);
        let ch = changes(&diff(&a, &[]));
        assert!(!ch[0].anchored_before && !ch[0].anchored_after);
    }
}
