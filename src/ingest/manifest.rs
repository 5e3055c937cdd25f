//! The bundle manifest: `crosscheck.toml` in a bundle folder, giving each
//! file's outlet, publication date, url and title when the files lack them.
//!
//! ```toml
//! [documents."000_story.txt"]
//! source = "Example News"
//! published = 2025-08-22
//! ```

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// File name of the manifest inside a bundle folder.
pub const MANIFEST_NAME: &str = "crosscheck.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    documents: BTreeMap<String, RawMeta>,
    // The same file is the project config; `crate::config` reads this table.
    #[serde(default)]
    #[allow(dead_code)]
    check: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    source: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<toml::Value>,
}

/// Metadata the manifest gives for one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentMeta {
    pub source: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
}

/// A parsed manifest, keyed by file path relative to the folder.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub documents: BTreeMap<String, DocumentMeta>,
}

impl Manifest {
    /// Loads `folder/crosscheck.toml` if present. Errors name the file and
    /// line: a manifest that says something we cannot read must not be
    /// silently half-applied.
    pub fn load(folder: &Path) -> Result<Manifest, String> {
        let path = folder.join(MANIFEST_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        Manifest::parse(&text)
            .map_err(|(line, message)| format!("{}:{line}: {message}", path.display()))
    }

    /// Parses manifest text; the error carries a 1-based line.
    pub fn parse(text: &str) -> Result<Manifest, (usize, String)> {
        let raw: RawManifest = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            (line, e.message().to_string())
        })?;
        let mut documents = BTreeMap::new();
        for (file, meta) in raw.documents {
            let published = match &meta.published {
                None => None,
                Some(value) => {
                    let raw = match value {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Datetime(d) => d.to_string(),
                        other => other.to_string(),
                    };
                    match super::dates::parse_metadata_date(&raw) {
                        Some(date) => Some(date),
                        None => {
                            let line = find_line(text, &file);
                            return Err((
                                line,
                                format!("[documents.{file:?}] published {raw:?} is not a date (use YYYY-MM-DD)"),
                            ));
                        }
                    }
                }
            };
            documents.insert(
                file,
                DocumentMeta {
                    source: meta.source,
                    title: meta.title,
                    url: meta.url,
                    published,
                },
            );
        }
        Ok(Manifest { documents })
    }
}

fn find_line(text: &str, file: &str) -> usize {
    text.lines()
        .position(|l| l.contains(file))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_dates_bare_or_quoted() {
        let m = Manifest::parse(
            "[documents.\"a.txt\"]\nsource = \"A\"\npublished = 2025-08-22\n[documents.\"b.txt\"]\npublished = \"Aug 21, 2025\"\n",
        )
        .unwrap();
        assert_eq!(
            m.documents["a.txt"].published,
            NaiveDate::from_ymd_opt(2025, 8, 22)
        );
        assert_eq!(m.documents["a.txt"].source.as_deref(), Some("A"));
        assert_eq!(
            m.documents["b.txt"].published,
            NaiveDate::from_ymd_opt(2025, 8, 21)
        );
    }

    #[test]
    fn parse_rejects_unknown_keys_with_line() {
        let (line, message) =
            Manifest::parse("[documents.\"a.txt\"]\nsource = \"A\"\nauthor = \"B\"\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("unknown field `author`"), "{message}");
    }

    #[test]
    fn parse_rejects_a_published_value_that_is_not_a_date() {
        let (line, message) =
            Manifest::parse("[documents.\"a.txt\"]\npublished = \"soon\"\n").unwrap_err();
        assert_eq!(line, 1);
        assert!(message.contains("not a date"), "{message}");
    }
}
