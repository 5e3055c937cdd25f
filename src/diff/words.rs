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

/// The words of a text with their byte ranges, each with the form it is
/// compared in (lower case, letters and digits only, curly apostrophes
/// straightened). Hyphenated words and numbers with separators stay one
/// word.
pub fn tokens(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let inner = |c: char| matches!(c, '\'' | '’' | '-' | '.' | ',');
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let flush = |from: usize, to: usize, out: &mut Vec<(std::ops::Range<usize>, String)>| {
        let word = &text[from..to];
        let trimmed = word.trim_end_matches(inner);
        let end = from + trimmed.len();
        let key: String = trimmed
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !key.is_empty() {
            out.push((from..end, key));
        }
    };
    for (k, &(i, c)) in chars.iter().enumerate() {
        let next_is_word = chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
        let part = c.is_alphanumeric() || (start.is_some() && inner(c) && next_is_word);
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                flush(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        flush(s, text.len(), &mut out);
    }
    out
}

/// `text` with each of `marks` (byte ranges into it, sorted and apart)
/// wrapped in `open` and `close`.
pub fn mark(text: &str, marks: &[std::ops::Range<usize>], open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * (open.len() + close.len()));
    let mut at = 0;
    for r in marks {
        let (Some(before), Some(inside)) = (text.get(at..r.start), text.get(r.clone())) else {
            continue;
        };
        out.push_str(before);
        out.push_str(open);
        out.push_str(inside);
        out.push_str(close);
        at = r.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

/// The words of `a` and of `b` that the other lacks, as byte ranges; a
/// run of such words next to each other is one range.
pub fn changed(a: &str, b: &str) -> (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>) {
    let (ta, tb) = (tokens(a), tokens(b));
    let ka: Vec<&str> = ta.iter().map(|(_, k)| k.as_str()).collect();
    let kb: Vec<&str> = tb.iter().map(|(_, k)| k.as_str()).collect();
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for op in diff(&ka, &kb) {
        match op {
            Op::Same(..) => {}
            Op::Removed(i) => removed.push(i),
            Op::Added(j) => added.push(j),
        }
    }
    (runs(&ta, &removed), runs(&tb, &added))
}

/// Byte ranges of runs of consecutive token indices.
fn runs(
    tokens: &[(std::ops::Range<usize>, String)],
    indices: &[usize],
) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for &i in indices {
        let Some((r, _)) = tokens.get(i) else {
            continue;
        };
        match out.last_mut() {
            Some((last, run)) if *last + 1 == i => {
                run.end = r.end;
                *last = i;
            }
            _ => out.push((i, r.clone())),
        }
    }
    out.into_iter().map(|(_, r)| r).collect()
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

    #[test]
    fn tokens_keep_inner_punctuation_and_drop_the_rest() {
        let t: Vec<String> = tokens("U.S. troops, 1,000 of them, don’t re-enter.")
            .into_iter()
            .map(|(_, k)| k)
            .collect();
        assert_eq!(t, ["us", "troops", "1000", "of", "them", "dont", "reenter"]);
    }

    #[test]
    fn changed_words_are_marked_in_runs() {
        let a = "Some may provide forces on the ground.";
        let b = "Some may contribute boots on the ground.";
        let (ra, rb) = changed(a, b);
        assert_eq!(
            mark(a, &ra, "[-", "-]"),
            "Some may [-provide forces-] on the ground."
        );
        assert_eq!(
            mark(b, &rb, "{+", "+}"),
            "Some may {+contribute boots+} on the ground."
        );
        let (ra, rb) = changed(
            "national security adviser",
            "acting national security adviser",
        );
        assert!(ra.is_empty());
        assert_eq!(rb, [0..6]);
    }
}
