//! Reads the shape of a plain-text article: which lines at the top are the
//! headline, the outlet and the dateline, which lines anywhere are page
//! furniture, and where the article text is. Nothing is deleted: every line
//! ends up in a [`Block`] with its kind, so offsets keep indexing the file.

use super::boilerplate::{BoilerplateRules, Scope};
use super::dates::{find_date, FoundDate};
use crate::model::{Block, BlockKind};
use chrono::NaiveDate;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// What the top of the text says about the article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detected {
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<NaiveDate>,
    /// The exact words of the dateline the date was read from.
    pub published_text: Option<String>,
    pub warnings: Vec<String>,
}

/// Blocks and detected metadata of one text.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub blocks: Vec<Block>,
    pub detected: Detected,
}

#[derive(Debug, Clone)]
struct Line {
    /// Trimmed content range (no surrounding whitespace, no `\r`).
    range: Range<usize>,
    kind: Option<BlockKind>,
}

/// How many lines at the top may hold headline, outlet and dateline before
/// the article must have begun.
const HEADER_LINES: usize = 16;

/// Lays out `text[start..]` (what follows any front matter).
///
/// `detect_header` is false for inputs whose metadata arrives separately
/// and whose text is known to start with the article (HTML extraction
/// output still gets header detection: pages often repeat the dateline).
pub fn lay_out(text: &str, start: usize, detect_header: bool) -> Layout {
    let rules = BoilerplateRules::builtin();
    let mut lines = split_lines(text, start);
    let mut detected = Detected::default();

    // An outlet named after the headline ("... - CNN") only counts when no
    // line names one outright: syndicators keep the original's suffix.
    let mut suffix_outlet: Option<String> = None;
    let mut body_began = false;
    let mut tail_from: Option<String> = None;
    let header_end = if detect_header {
        header_end(text, &lines, rules)
    } else {
        0
    };

    for (index, line) in lines.iter_mut().enumerate() {
        let content = &text[line.range.clone()];
        if let Some(marker) = &tail_from {
            line.kind = Some(BlockKind::Boilerplate(marker.clone()));
            continue;
        }
        if let Some(rule) = rules.classify(content) {
            if rule.scope == Scope::Tail && body_began {
                tail_from = Some(rule.name.clone());
            }
            if rule.scope == Scope::Line || body_began {
                line.kind = Some(BlockKind::Boilerplate(rule.name.clone()));
                continue;
            }
        }
        if index < header_end {
            line.kind = Some(classify_header_line(
                content,
                &mut detected,
                &mut suffix_outlet,
            ));
        } else {
            body_began = true;
            line.kind = Some(BlockKind::Body);
        }
    }

    // A headline glued to a navigation prefix ("NextImg:Rubio Takes on...")
    // is still the headline when nothing better was found.
    if detect_header && detected.title.is_none() {
        for line in lines.iter_mut().take(header_end) {
            let content = &text[line.range.clone()];
            if let Some(title) = glued_headline(content) {
                detected.title = Some(title.to_string());
                line.kind = Some(BlockKind::Title);
                break;
            }
        }
    }

    if detected.source.is_none() {
        detected.source = suffix_outlet;
    }
    Layout {
        blocks: merge_body_lines(text, lines),
        detected,
    }
}

fn split_lines(text: &str, start: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut offset = start;
    for raw in text[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let trimmed_start = raw.len() - raw.trim_start().len();
        let content = raw.trim();
        if content.is_empty() {
            continue;
        }
        let begin = line_start + trimmed_start;
        lines.push(Line {
            range: begin..begin + content.len(),
            kind: None,
        });
    }
    lines
}

/// Index of the first line of article text: the first line within the
/// header window that reads like prose. Everything before it is headline,
/// outlet, dateline or furniture.
fn header_end(text: &str, lines: &[Line], rules: &BoilerplateRules) -> usize {
    for (index, line) in lines.iter().enumerate().take(HEADER_LINES) {
        let content = &text[line.range.clone()];
        if rules.classify(content).is_some() {
            continue;
        }
        let next_continues = lines.get(index + 1).is_some_and(|next| {
            let gap = &text[line.range.end..next.range.start];
            gap.matches('\n').count() == 1
                && text[next.range.clone()]
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
        });
        if is_prose(content, index == 0, next_continues) {
            return index;
        }
    }
    // No prose at the top: treat only the first line as header, unless it
    // reads as a sentence, so a short text is not swallowed whole.
    match lines.first() {
        Some(first) => {
            let content = &text[first.range.clone()];
            let sentence = content
                .trim_end_matches(['"', '\'', '”', '’', ')'])
                .ends_with(['.', '!', '?'])
                && word_count(content) >= 4;
            usize::from(!sentence)
        }
        None => 0,
    }
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A line that reads like a paragraph of article text.
///
/// The first line without final punctuation is a headline however long;
/// a hard-wrapped paragraph shows itself by a next line starting lowercase.
fn is_prose(line: &str, first: bool, next_continues: bool) -> bool {
    let words = word_count(line);
    let ends_sentence = line
        .trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', ':']);
    let lowercase_words = line
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    if first && !ends_sentence && words < 40 {
        return false;
    }
    (words >= 20 || (words >= 8 && (ends_sentence || next_continues)))
        && lowercase_words * 3 >= words
}

fn outlet_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // "Kyiv • UNN", "dtnext.in -- ...", "By AP |": an outlet is an
        // acronym or a domain name standing apart from the rest by a
        // separator.
        Regex::new(r"(?:^|[•|·]\s*|--\s*|\s[-–—]\s)(?P<outlet>[A-Z]{2,6}|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|in|co\.uk|uk|news|info|ua|de|fr|ru|io|tv))(?:\s*(?:[•|·]|--|[-–—]\s)|\s*$)")
            .unwrap_or_else(|e| panic!("outlet regex: {e}"))
    })
}

fn title_suffix_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\s+[-–—|]\s+(?P<outlet>[A-Z][\w.&']*(?:\s+[A-Z][\w.&']*){0,3})$")
            .unwrap_or_else(|e| panic!("title suffix regex: {e}"))
    })
}

fn classify_header_line(
    content: &str,
    detected: &mut Detected,
    suffix_outlet: &mut Option<String>,
) -> BlockKind {
    if let Some(found) = dateline_in(content) {
        if detected.published.is_none() {
            detected.published = Some(found.date);
            detected.published_text = Some(content[found.range.clone()].to_string());
            if found.weekday_mismatch {
                detected.warnings.push(format!(
                    "dateline {:?} names the wrong weekday for {}",
                    &content[found.range.clone()],
                    found.date
                ));
            }
        }
        if detected.source.is_none() {
            let rest = format!(
                "{} {}",
                &content[..found.range.start],
                &content[found.range.end..]
            );
            if let Some(caps) = outlet_regex().captures(rest.trim()) {
                detected.source = caps.name("outlet").map(|m| m.as_str().to_string());
            }
        }
        return BlockKind::Meta;
    }
    let words = word_count(content);
    if is_outlet_banner(content) {
        if detected.source.is_none() {
            detected.source = Some(content.to_string());
        }
        return BlockKind::Meta;
    }
    if words <= 5 {
        if let Some(caps) = outlet_regex().captures(content) {
            if detected.source.is_none() {
                detected.source = caps.name("outlet").map(|m| m.as_str().to_string());
            }
            return BlockKind::Meta;
        }
    }
    if detected.title.is_none() && (3..=40).contains(&words) && has_letters(content) {
        let mut title = content;
        if let Some(caps) = title_suffix_regex().captures(content) {
            if let (Some(whole), Some(outlet)) = (caps.get(0), caps.name("outlet")) {
                *suffix_outlet = Some(outlet.as_str().to_string());
                title = &content[..whole.start()];
            }
        }
        if let Some(glued) = glued_headline(title) {
            title = glued;
        }
        detected.title = Some(title.to_string());
        return BlockKind::Title;
    }
    if words <= 3 && looks_like_name(content) {
        return BlockKind::Boilerplate("byline".to_string());
    }
    BlockKind::Boilerplate("header".to_string())
}

/// A date that dominates its line: a dateline, not a sentence mentioning a
/// date.
fn dateline_in(content: &str) -> Option<FoundDate> {
    let found = find_date(content)?;
    let rest_words =
        word_count(&content[..found.range.start]) + word_count(&content[found.range.end..]);
    (rest_words <= 4).then_some(found)
}

/// "THE AMERICA ONE NEWS": a short all-capitals line with no date.
fn is_outlet_banner(content: &str) -> bool {
    let words = word_count(content);
    let letters: Vec<char> = content.chars().filter(|c| c.is_alphabetic()).collect();
    (2..=6).contains(&words) && letters.len() >= 6 && letters.iter().all(|c| c.is_uppercase())
}

fn has_letters(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 6
}

/// Two or three capitalised words and nothing else: a byline.
fn looks_like_name(content: &str) -> bool {
    let words: Vec<&str> = content.split_whitespace().collect();
    (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && chars.all(|c| c.is_lowercase() || c == '.' || c == '-' || c == '\'')
        })
}

/// "NextImg:Rubio Takes on..." -> "Rubio Takes on...": scrapers glue an
/// image or navigation label to the headline.
fn glued_headline(content: &str) -> Option<&str> {
    let (label, rest) = content.split_once(':')?;
    let label_ok =
        !label.is_empty() && label.len() <= 12 && label.chars().all(|c| c.is_ascii_alphanumeric());
    let rest_ok = rest.chars().next().is_some_and(char::is_uppercase) && word_count(rest) >= 3;
    (label_ok && rest_ok).then_some(rest)
}

/// Consecutive body lines (no blank line between) form one block: a
/// sentence may wrap across them. Every other line is its own block.
fn merge_body_lines(text: &str, lines: Vec<Line>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::with_capacity(lines.len());
    let mut previous_end = 0;
    for line in lines {
        let kind = line.kind.unwrap_or(BlockKind::Body);
        let adjacent = text
            .get(previous_end..line.range.start)
            .is_some_and(|gap| gap.matches('\n').count() <= 1);
        previous_end = line.range.end;
        if kind == BlockKind::Body && adjacent {
            if let Some(last) = blocks.last_mut() {
                if last.kind == BlockKind::Body {
                    last.end = line.range.end;
                    continue;
                }
            }
        }
        blocks.push(Block {
            start: line.range.start,
            end: line.range.end,
            kind,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, String)> {
        lay_out(text, 0, true)
            .blocks
            .iter()
            .map(|b| {
                let kind = match &b.kind {
                    BlockKind::Boilerplate(r) => format!("boilerplate:{r}"),
                    other => format!("{other:?}").to_lowercase(),
                };
                (kind, text[b.range()].to_string())
            })
            .collect()
    }

    const ARTICLE: &str =
        "A long first sentence of article text that goes on for quite a few words, as leads do.";

    #[test]
    fn lay_out_finds_banner_dateline_and_glued_headline() {
        let text = format!("THE DAILY PLANET NEWS\nAug 22, 2025  |  \n0\nSponsor: ACME\nback\nJane Doe\n\nNextImg:Big Story About Things Here\n\n{ARTICLE}\n");
        let layout = lay_out(&text, 0, true);
        assert_eq!(
            layout.detected.source.as_deref(),
            Some("THE DAILY PLANET NEWS")
        );
        assert_eq!(
            layout.detected.title.as_deref(),
            Some("Big Story About Things Here")
        );
        assert_eq!(
            layout.detected.published_text.as_deref(),
            Some("Aug 22, 2025")
        );
        let blocks = kinds(&text);
        assert_eq!(
            blocks.last().unwrap(),
            &("body".to_string(), ARTICLE.to_string())
        );
        assert!(blocks.contains(&("boilerplate:byline".into(), "Jane Doe".into())));
        assert!(blocks.contains(&("boilerplate:sponsor".into(), "Sponsor: ACME".into())));
        assert_eq!(blocks.iter().filter(|(k, _)| k == "body").count(), 1);
    }

    #[test]
    fn lay_out_takes_outlet_from_place_bullet_line_and_strips_title_suffix() {
        let text = format!("Big story about the call - CNN\nKyiv • UNN\n{ARTICLE}\n");
        let layout = lay_out(&text, 0, true);
        assert_eq!(
            layout.detected.title.as_deref(),
            Some("Big story about the call")
        );
        assert_eq!(layout.detected.source.as_deref(), Some("UNN"));
        assert_eq!(layout.detected.published, None);
    }

    #[test]
    fn lay_out_reads_domain_outlet_beside_dateline() {
        let text = format!("Headline of the story here\ndtnext.in -- Sunday, August 17, 2025, 11:24:28 PM Eastern Daylight Time\n{ARTICLE}\n");
        let layout = lay_out(&text, 0, true);
        assert_eq!(layout.detected.source.as_deref(), Some("dtnext.in"));
        assert_eq!(
            layout.detected.published,
            NaiveDate::from_ymd_opt(2025, 8, 17)
        );
    }

    #[test]
    fn lay_out_marks_tail_after_footer_marker_only_once_body_began() {
        let text = format!("Headline of the story here\n{ARTICLE}\n\nLP Staff Writers\n\nWriters at the paper come from many backgrounds and publish anonymously.\n\nCategories\n");
        let blocks = kinds(&text);
        assert_eq!(
            blocks[2],
            (
                "boilerplate:author-box".to_string(),
                "LP Staff Writers".to_string()
            )
        );
        assert!(blocks[3].0.starts_with("boilerplate:author-box"));
        assert!(blocks[4].0.starts_with("boilerplate:"));
    }

    #[test]
    fn lay_out_merges_wrapped_body_lines_but_not_paragraphs() {
        let text = format!(
            "Headline of the story here\n{ARTICLE}\nsaid the minister on Monday.\n\n{ARTICLE}\n"
        );
        let blocks = kinds(&text);
        let bodies: Vec<_> = blocks.iter().filter(|(k, _)| k == "body").collect();
        assert_eq!(bodies.len(), 2);
        assert!(bodies[0].1.ends_with("said the minister on Monday."));
    }

    #[test]
    fn lay_out_without_header_detection_keeps_first_line_as_body() {
        let layout = lay_out("Short line.\nAnother.", 0, false);
        assert!(layout.blocks.iter().all(|b| b.kind == BlockKind::Body));
        assert_eq!(layout.detected, Detected::default());
    }

    #[test]
    fn lay_out_handles_crlf_without_including_carriage_returns() {
        let text = format!("Headline of the story here\r\n{ARTICLE}\r\n");
        let layout = lay_out(&text, 0, true);
        let body = layout
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::Body)
            .unwrap();
        assert_eq!(&text[body.range()], ARTICLE);
    }
}
