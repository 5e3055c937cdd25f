//! Plain data shared by every stage: documents, their blocks, sentences and
//! the line index that turns byte offsets into `line:column`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Where a document's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// Front matter, a manifest, `--published`, HTML meta tags or a record field.
    Metadata,
    /// Read from a dateline in the first lines of the text.
    Dateline,
    /// No date found: relative expressions stay unresolved.
    None,
}

impl Provenance {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Metadata => "metadata",
            Provenance::Dateline => "dateline",
            Provenance::None => "none",
        }
    }
}

/// What a block of a document is. Only [`BlockKind::Body`] is read by the
/// extraction stages; everything else is kept so offsets stay exact and a
/// reader can see why a line was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "reason")]
pub enum BlockKind {
    /// Article text.
    Body,
    /// The headline.
    Title,
    /// A dateline, outlet line or other metadata line at the top.
    Meta,
    /// Front matter (`---` or `+++` fenced).
    FrontMatter,
    /// Not the article: adverts, widgets, navigation, cookie notices...
    /// The reason names the rule that marked it.
    Boilerplate(String),
}

/// A contiguous byte range of a document's text with its kind. Blocks cover
/// the text without overlap, in order; blank lines between them belong to
/// no block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub start: usize,
    pub end: usize,
    #[serde(flatten)]
    pub kind: BlockKind,
}

impl Block {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// What kind of file or record a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Text,
    Markdown,
    Html,
    Json,
    Jsonl,
    Stdin,
}

/// One article, as read by `ingest`.
///
/// `text` is what every byte offset indexes: for text and Markdown files it
/// is the file itself (minus a UTF-8 BOM); for HTML it is the extracted
/// article text; for JSON records it is the text field.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Stable id: the path relative to the bundle root, or `file#record-id`.
    pub id: String,
    /// The path as given on the command line (or `-` for stdin).
    pub path: String,
    pub format: InputFormat,
    pub source: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    pub published_from: Provenance,
    /// The exact words the date was read from (a dateline, a meta tag value).
    pub published_text: Option<String>,
    pub text: String,
    pub blocks: Vec<Block>,
    /// Non-fatal notes about this document (e.g. decoded as Windows-1252).
    pub warnings: Vec<String>,
    /// The story this document belongs to (`--group-by FIELD` on records).
    pub group: Option<String>,
}

impl Document {
    /// The byte ranges of article text, in order.
    pub fn body_ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Body)
            .map(Block::range)
    }
}

/// A sentence of a document's body, as byte offsets into `Document::text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// Maps byte offsets to 1-based line and column (columns count characters,
/// as editors and SARIF viewers expect).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// `(byte offset, characters since its line's start)` every
    /// `CHECKPOINT_BYTES` inside lines longer than that, sorted by offset.
    /// Without them a column is counted from the line's start on every query,
    /// which is quadratic on a long single-line document with many mentions
    /// (2 MB on one line took 13 s to dump its sentences).
    checkpoints: Vec<(usize, usize)>,
}

const CHECKPOINT_BYTES: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // memchr's vector search: `match_indices('\n')` cost 3 instructions
        // a byte, and this runs once per document. Counted first, so the
        // vector is allocated once.
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut checkpoints = Vec::new();
        for (i, &start) in line_starts.iter().enumerate() {
            let end = line_starts.get(i + 1).map_or(text.len(), |&next| next - 1);
            if end - start <= CHECKPOINT_BYTES {
                continue;
            }
            let mut at = start;
            let mut chars = 0;
            loop {
                let mut next = at + CHECKPOINT_BYTES;
                if next >= end {
                    break;
                }
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += text[at..next].chars().count();
                checkpoints.push((next, chars));
                at = next;
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// 1-based (line, column) of `offset`; `offset` must be a char boundary.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[line];
        let mut column = 0;
        if offset - start > CHECKPOINT_BYTES {
            let nearest = self.checkpoints.partition_point(|&(at, _)| at <= offset);
            if let Some(&(at, chars)) = nearest.checked_sub(1).map(|i| &self.checkpoints[i]) {
                // Checkpoints of earlier lines lie before this line's start.
                if at >= start {
                    start = at;
                    column = chars;
                }
            }
        }
        column += text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\n“q” x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x), (2, 5));
    }

    #[test]
    fn line_col_on_long_lines_agrees_with_counting_from_the_line_start() {
        // Multi-byte characters straddle the checkpoint positions, and the
        // long line sits between short ones.
        let long: String = (0..3000).map(|i| format!("é{i} “x” ")).collect();
        let text = format!("short\n{long}\nlast line\n{long}");
        let index = LineIndex::new(&text);
        assert!(!index.checkpoints.is_empty());
        let naive = |offset: usize| {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..offset].matches('\n').count() + 1;
            (line, text[start..offset].chars().count() + 1)
        };
        for (offset, _) in text.char_indices().step_by(7) {
            assert_eq!(
                index.line_col(&text, offset),
                naive(offset),
                "offset {offset}"
            );
        }
        assert_eq!(index.line_col(&text, text.len()), naive(text.len()));
    }
}
