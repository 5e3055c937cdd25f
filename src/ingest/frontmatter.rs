//! Front matter at the top of text and Markdown files: `---` fenced
//! `key: value` lines (the YAML subset articles use) or `+++` fenced TOML.
//! The document text keeps the front matter; only its extent is reported, so
//! byte offsets still index the whole file.

use std::collections::BTreeMap;

/// Parsed front matter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Byte length of the front matter including both fences and the
    /// newline after the closing fence.
    pub len: usize,
    /// Keys lower-cased, values with surrounding quotes removed.
    pub fields: BTreeMap<String, String>,
}

/// Outcome of looking for front matter.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    None,
    Found(FrontMatter),
    /// An opening fence with no closing one: the caller reads the file as
    /// plain text and warns.
    Unclosed {
        fence: &'static str,
    },
    /// TOML front matter that does not parse.
    Invalid {
        line: usize,
        message: String,
    },
}

/// Looks for front matter at the very start of `text`.
pub fn parse(text: &str) -> Parsed {
    let fence = if starts_with_fence(text, "---") {
        "---"
    } else if starts_with_fence(text, "+++") {
        "+++"
    } else {
        return Parsed::None;
    };
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = first_line_end;
    let mut close = None;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end_matches(['\r', '\n']).trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((inner_end, len)) = close else {
        return Parsed::Unclosed { fence };
    };
    let inner = &text[first_line_end..inner_end];
    let fields = if fence == "+++" {
        match toml_fields(inner) {
            Ok(fields) => fields,
            Err((line, message)) => {
                return Parsed::Invalid {
                    line: line + 1,
                    message,
                }
            }
        }
    } else {
        yaml_fields(inner)
    };
    Parsed::Found(FrontMatter { len, fields })
}

fn starts_with_fence(text: &str, fence: &str) -> bool {
    text.strip_prefix(fence)
        .is_some_and(|rest| rest.starts_with('\n') || rest.starts_with("\r\n"))
}

/// The `key: value` subset of YAML. Nested structures and lists are skipped:
/// articles only need scalar metadata.
fn yaml_fields(inner: &str) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    for line in inner.lines() {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = unquote(value.trim());
        if !key.is_empty() && !value.is_empty() {
            fields.insert(key, value.to_string());
        }
    }
    fields
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

fn toml_fields(inner: &str) -> Result<BTreeMap<String, String>, (usize, String)> {
    let table: toml::Table = inner.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map_or(0, |span| {
            inner[..span.start.min(inner.len())].matches('\n').count()
        });
        (line + 1, e.message().to_string())
    })?;
    let mut fields = BTreeMap::new();
    for (key, value) in table {
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => continue,
        };
        fields.insert(key.to_ascii_lowercase(), text);
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_yaml_style_fields_and_length() {
        let text = "---\ntitle: \"A call\"\nsource: CNN\npublished: 2025-08-22\n---\nBody.\n";
        let Parsed::Found(fm) = parse(text) else {
            panic!("no front matter")
        };
        assert_eq!(&text[fm.len..], "Body.\n");
        assert_eq!(fm.fields["title"], "A call");
        assert_eq!(fm.fields["source"], "CNN");
        assert_eq!(fm.fields["published"], "2025-08-22");
    }

    #[test]
    fn parse_reads_toml_fields() {
        let text = "+++\ntitle = \"A call\"\npublished = 2025-08-22\n+++\nBody.";
        let Parsed::Found(fm) = parse(text) else {
            panic!("no front matter")
        };
        assert_eq!(fm.fields["published"], "2025-08-22");
        assert_eq!(&text[fm.len..], "Body.");
    }

    #[test]
    fn parse_handles_crlf_fences() {
        let text = "---\r\ntitle: X\r\n---\r\nBody";
        let Parsed::Found(fm) = parse(text) else {
            panic!("no front matter")
        };
        assert_eq!(&text[fm.len..], "Body");
        assert_eq!(fm.fields["title"], "X");
    }

    #[test]
    fn parse_reports_unclosed_front_matter() {
        assert_eq!(
            parse("---\ntitle: X\nno end here\n"),
            Parsed::Unclosed { fence: "---" }
        );
    }

    #[test]
    fn parse_reports_bad_toml_with_line() {
        let Parsed::Invalid { line, .. } = parse("+++\ntitle = \"ok\"\npublished = = 3\n+++\n")
        else {
            panic!("expected invalid")
        };
        assert_eq!(line, 3);
    }

    #[test]
    fn parse_ignores_a_rule_line_that_is_not_at_the_start() {
        assert_eq!(parse("Title\n---\nx: y\n---\n"), Parsed::None);
        assert_eq!(parse("----\nx\n"), Parsed::None);
    }
}
