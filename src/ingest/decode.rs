//! Bytes to text: BOMs, UTF-16, invalid UTF-8 and binary files.

/// The outcome of decoding one file's bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// Text, with a warning when it was not plain UTF-8.
    Text {
        text: String,
        warning: Option<String>,
    },
    /// Not readable as text; the reason says why.
    Skip(String),
}

/// How to treat bytes that are not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Decode as Windows-1252 (the usual culprit in saved news pages) and warn.
    Windows1252,
    /// Skip: used for files whose extension does not promise text.
    Skip,
}

/// Decodes a file's bytes. A UTF-8 BOM is dropped (the only change to the
/// text, so offsets index the file after it); UTF-16 with a BOM is
/// converted; a NUL byte marks the file as binary.
pub fn decode(bytes: &[u8], fallback: Fallback) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return finish(utf8_or_fallback(rest, fallback));
    }
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, _, had_errors) = encoding.decode(bytes);
            let mut note = format!(
                "decoded from {} (byte-order mark); offsets index the decoded text",
                encoding.name()
            );
            if had_errors {
                note.push_str("; invalid sequences replaced with U+FFFD");
            }
            return finish(Decoded::Text {
                text: text.into_owned(),
                warning: Some(note),
            });
        }
    }
    if let Some(at) = memchr_nul(bytes) {
        // A stray NUL or two in UTF-8 prose (left by a scraper or an
        // export) should not cost the article; binary formats and UTF-16
        // without a BOM have NULs in far more than 1% of their bytes.
        let nuls = bytes.iter().filter(|&&b| b == 0).count();
        if nuls * 100 < bytes.len() {
            if let Ok(text) = std::str::from_utf8(bytes) {
                let plural = if nuls == 1 { "" } else { "s" };
                return finish(Decoded::Text {
                    // Byte for byte, so offsets still index the file.
                    text: text.replace('\0', " "),
                    warning: Some(format!(
                        "{nuls} NUL byte{plural} replaced with spaces (the first at offset {at})"
                    )),
                });
            }
        }
        return Decoded::Skip(format!("binary file (NUL byte at offset {at})"));
    }
    finish(utf8_or_fallback(bytes, fallback))
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

fn utf8_or_fallback(bytes: &[u8], fallback: Fallback) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::Text {
            text: text.to_string(),
            warning: None,
        },
        Err(e) => match fallback {
            Fallback::Skip => Decoded::Skip(format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            )),
            Fallback::Windows1252 => {
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
                Decoded::Text {
                    text: text.into_owned(),
                    warning: Some(format!(
                        "invalid UTF-8 at byte {}; decoded as Windows-1252, offsets index the decoded text",
                        e.valid_up_to()
                    )),
                }
            }
        },
    }
}

fn finish(decoded: Decoded) -> Decoded {
    match decoded {
        Decoded::Text { text, .. } if text.is_empty() => Decoded::Skip("empty file".into()),
        Decoded::Text { text, .. } if text.trim().is_empty() => {
            Decoded::Skip("whitespace-only file".into())
        }
        Decoded::Text { text, warning } if text.contains('\0') => {
            let at = text.find('\0').unwrap_or(0);
            let _ = warning;
            Decoded::Skip(format!("binary file (NUL character at offset {at})"))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(decoded: Decoded) -> (String, Option<String>) {
        match decoded {
            Decoded::Text { text, warning } => (text, warning),
            Decoded::Skip(reason) => panic!("skipped: {reason}"),
        }
    }

    #[test]
    fn decode_drops_only_the_utf8_bom() {
        let (text, warning) = text_of(decode(b"\xEF\xBB\xBFHi\r\n", Fallback::Skip));
        assert_eq!(text, "Hi\r\n");
        assert_eq!(warning, None);
    }

    #[test]
    fn decode_converts_utf16_with_bom() {
        let bytes: Vec<u8> = b"\xFF\xFE"
            .iter()
            .copied()
            .chain("Kyiv".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, warning) = text_of(decode(&bytes, Fallback::Skip));
        assert_eq!(text, "Kyiv");
        assert!(warning.unwrap().contains("UTF-16LE"));
    }

    #[test]
    fn decode_reads_invalid_utf8_as_windows_1252_with_warning() {
        let (text, warning) = text_of(decode(b"caf\xE9 \x93quote\x94", Fallback::Windows1252));
        assert_eq!(text, "café “quote”");
        assert!(warning.unwrap().contains("byte 3"));
    }

    #[test]
    fn decode_skips_invalid_utf8_when_text_is_not_promised() {
        assert_eq!(
            decode(b"ab\xFF", Fallback::Skip),
            Decoded::Skip("not UTF-8 text (invalid byte at offset 2)".into())
        );
    }

    #[test]
    fn stray_nuls_in_prose_become_spaces_with_a_warning() {
        let mut bytes = "The minister said the talks would resume. "
            .repeat(10)
            .into_bytes();
        bytes[43] = 0;
        bytes[200] = 0;
        let (text, warning) = text_of(decode(&bytes, Fallback::Windows1252));
        assert_eq!(text.len(), bytes.len());
        assert_eq!(&text[43..44], " ");
        assert!(!text.contains('\0'));
        assert_eq!(
            warning.as_deref(),
            Some("2 NUL bytes replaced with spaces (the first at offset 43)")
        );
        // Many NULs: binary, whatever else the bytes are.
        let mut dense = bytes.clone();
        for b in dense.iter_mut().step_by(50) {
            *b = 0;
        }
        assert!(matches!(
            decode(&dense, Fallback::Windows1252),
            Decoded::Skip(_)
        ));
    }

    #[test]
    fn decode_skips_binary_empty_and_blank() {
        assert_eq!(
            decode(b"text\0more", Fallback::Windows1252),
            Decoded::Skip("binary file (NUL byte at offset 4)".into())
        );
        assert_eq!(
            decode(b"", Fallback::Windows1252),
            Decoded::Skip("empty file".into())
        );
        assert_eq!(
            decode(b" \n\t\r\n", Fallback::Windows1252),
            Decoded::Skip("whitespace-only file".into())
        );
    }
}
