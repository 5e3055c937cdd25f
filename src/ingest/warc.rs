//! WARC files (`.warc`, `.warc.gz`), as Common Crawl's CC-NEWS writes
//! them: each `response` record holding an HTML page is one document, read
//! by the HTML reader, with the record's target URI as its URL and its
//! capture date as the date of last resort.
//!
//! Records are read one at a time, so memory is bounded by the largest
//! record, not the file. A corrupt record is reported as `file:record N:
//! reason` and reading resumes at the next `WARC/` header line (or, in a
//! `.warc.gz`, the next gzip member). Records that are not responses
//! (`warcinfo`, `request`, `metadata`...) are not documents: they are
//! counted in a note, not as skipped documents.
//!
//! A hand-written reader rather than the `warc` crate (0.4): that crate
//! decompresses with libflate, gives up at the first malformed record, opens
//! files for writing in `from_path`, and leaves HTTP parsing to the caller.

use super::decode::{decode, Decoded, Fallback};
use super::{gz, html_document, push_document, Bundle, Options, Skipped};
use crate::model::Provenance;
use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Longest header section a record may have; real ones are under 2 KB.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Reads one line through `\n` into `buf`, keeping at most `cap` bytes of
/// it; the rest of a longer line is read and dropped. Returns the bytes
/// consumed (0 at the end of the input) and whether the line was cut.
pub(crate) fn read_line_capped<R: BufRead + ?Sized>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut cut = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, cut));
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let room = cap.saturating_sub(buf.len());
        if take > room {
            cut = true;
        }
        buf.extend_from_slice(&available[..take.min(room)]);
        reader.consume(take);
        consumed += take;
        if done {
            return Ok((consumed, cut));
        }
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Header fields by lower-case name (a repeated field keeps its first value).
#[derive(Debug, Default)]
struct Headers(BTreeMap<String, String>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn parse_line(&mut self, line: &[u8], last: &mut Option<String>) -> Result<(), String> {
        let text = String::from_utf8_lossy(line);
        if text.starts_with([' ', '\t']) {
            // A folded continuation of the previous field.
            if let Some(value) = last.as_ref().and_then(|name| self.0.get_mut(name)) {
                value.push(' ');
                value.push_str(text.trim());
                return Ok(());
            }
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(format!("header line without a colon: {:?}", clip(&text)));
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("bad header name in {:?}", clip(&text)));
        }
        self.0
            .entry(name.clone())
            .or_insert_with(|| value.trim().to_string());
        *last = Some(name);
        Ok(())
    }
}

fn clip(text: &str) -> String {
    let mut end = text.len().min(60);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        format!("{}…", &text[..end])
    } else {
        text.to_string()
    }
}

/// Reads header lines up to the blank line that ends them.
fn read_headers<R: BufRead + ?Sized>(reader: &mut R) -> Result<Headers, RecordError> {
    let mut headers = Headers::default();
    let mut last = None;
    let mut total = 0;
    let mut line = Vec::new();
    loop {
        line.clear();
        let (n, cut) = read_line_capped(reader, &mut line, MAX_HEADER_BYTES)?;
        if n == 0 {
            return Err(RecordError::Truncated(
                "the file ends inside the record header".into(),
            ));
        }
        total += n;
        if cut || total > MAX_HEADER_BYTES {
            return Err(RecordError::Bad(format!(
                "record header longer than {MAX_HEADER_BYTES} bytes"
            )));
        }
        let line = trim_eol(&line);
        if line.is_empty() {
            return Ok(headers);
        }
        headers
            .parse_line(line, &mut last)
            .map_err(RecordError::Bad)?;
    }
}

enum RecordError {
    /// Unreadable bytes (corrupt gzip data, an I/O error).
    Io(io::Error),
    /// The input ends inside the record.
    Truncated(String),
    /// Malformed header: skip to the next record.
    Bad(String),
}

impl From<io::Error> for RecordError {
    fn from(e: io::Error) -> Self {
        RecordError::Io(e)
    }
}

/// What one WARC file held besides its documents.
#[derive(Default)]
struct Tally {
    records: usize,
    /// Records that are not documents, by WARC-Type.
    other: BTreeMap<String, usize>,
}

/// Reads a `.warc` or `.warc.gz` file record by record.
pub fn read_warc(path: &Path, file_id: &str, gzip: bool, options: &Options, bundle: &mut Bundle) {
    let shown = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            bundle.skipped.push(Skipped {
                path: shown,
                reason: super::io_reason(&e),
            });
            return;
        }
    };
    let raw = BufReader::with_capacity(256 * 1024, file);
    let mut reader: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            gz::GzMembers::new(raw),
        ))
    } else {
        Box::new(raw)
    };
    let before = super::taken(bundle, options);
    let tally = read_records(&mut reader, &shown, file_id, gzip, options, bundle);
    if !tally.other.is_empty() {
        let total: usize = tally.other.values().sum();
        let kinds: Vec<String> = tally
            .other
            .iter()
            .map(|(kind, n)| format!("{n} {kind}"))
            .collect();
        bundle.notes.push(format!(
            "{shown}: {total} of {} WARC records are not documents ({})",
            tally.records,
            kinds.join(", ")
        ));
    }
    if super::taken(bundle, options) == before {
        bundle.skipped.push(Skipped {
            path: shown,
            reason: if tally.records == 0 {
                "no WARC records (empty file)".into()
            } else {
                "no response records in the WARC file".into()
            },
        });
    }
}

fn read_records(
    reader: &mut dyn BufRead,
    shown: &str,
    file_id: &str,
    gzip: bool,
    options: &Options,
    bundle: &mut Bundle,
) -> Tally {
    let mut tally = Tally::default();
    // After a bad record: skip lines until the next `WARC/` header.
    let mut resync = false;
    let mut line = Vec::new();
    let report = |bundle: &mut Bundle, record: usize, reason: String| {
        bundle.skipped.push(Skipped {
            path: format!("{shown}:record {record}"),
            reason,
        });
    };
    let io_reason = |e: &io::Error| {
        if gzip {
            gz::describe_error(e)
        } else {
            format!("cannot read: {e}")
        }
    };
    loop {
        line.clear();
        match read_line_capped(reader, &mut line, 64) {
            Ok((0, _)) => break,
            Ok(_) => {}
            Err(e) => {
                // Unreadable bytes between records: numbered as a record
                // of their own, since what they held is unknown.
                tally.records += 1;
                report(bundle, tally.records, io_reason(&e));
                if !gzip {
                    break;
                }
                resync = true;
                continue;
            }
        }
        let start = trim_eol(&line);
        if start.is_empty() {
            continue;
        }
        if !start.starts_with(b"WARC/") {
            if !resync {
                tally.records += 1;
                report(
                    bundle,
                    tally.records,
                    format!(
                        "expected a WARC/1.0 or WARC/1.1 record header, found {:?}; skipped to the next record",
                        clip(&String::from_utf8_lossy(start))
                    ),
                );
                resync = true;
            }
            continue;
        }
        resync = false;
        tally.records += 1;
        let record = tally.records;
        match read_record(reader, options) {
            Ok(Record::Other(kind)) => *tally.other.entry(kind).or_default() += 1,
            Ok(Record::Response { headers, block }) => {
                response(&headers, &block, shown, file_id, record, options, bundle);
            }
            Ok(Record::Skip(reason)) => report(bundle, record, reason),
            Err(RecordError::Bad(reason)) => {
                report(
                    bundle,
                    record,
                    format!("{reason}; skipped to the next record"),
                );
                resync = true;
            }
            Err(RecordError::Truncated(reason)) => {
                report(bundle, record, reason);
                if !gzip {
                    break;
                }
                resync = true;
            }
            Err(RecordError::Io(e)) => {
                report(bundle, record, io_reason(&e));
                if !gzip {
                    break;
                }
                resync = true;
            }
        }
    }
    tally
}

enum Record {
    /// A response record's header and content block.
    Response { headers: Headers, block: Vec<u8> },
    /// A record that is not a document, by WARC-Type.
    Other(String),
    /// A response record that cannot be a document, and why.
    Skip(String),
}

/// Reads the rest of a record after its `WARC/` line: the header fields
/// and, for a response, the content block.
fn read_record(reader: &mut dyn BufRead, options: &Options) -> Result<Record, RecordError> {
    let headers = read_headers(reader)?;
    let length = match headers.get("content-length") {
        Some(value) => value
            .trim()
            .parse::<u64>()
            .map_err(|_| RecordError::Bad(format!("Content-Length {value:?} is not a number")))?,
        None => return Err(RecordError::Bad("no Content-Length header".into())),
    };
    let kind = headers
        .get("warc-type")
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if kind != "response" || length > options.max_bytes {
        let skipped = io::copy(&mut reader.take(length), &mut io::sink())?;
        if skipped < length {
            return Err(RecordError::Truncated(format!(
                "truncated: Content-Length is {length} but the file ends after {skipped} bytes"
            )));
        }
        return Ok(match kind.as_str() {
            "response" => Record::Skip(format!(
                "record larger than --max-bytes ({length} bytes > {} bytes)",
                options.max_bytes
            )),
            "" => Record::Other("untyped".into()),
            _ => Record::Other(kind),
        });
    }
    let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
    reader.take(length).read_to_end(&mut block)?;
    if (block.len() as u64) < length {
        return Err(RecordError::Truncated(format!(
            "truncated: Content-Length is {length} but the file ends after {} bytes",
            block.len()
        )));
    }
    Ok(Record::Response { headers, block })
}

/// One response record: HTTP stripped, the page decoded, then read as HTML.
fn response(
    headers: &Headers,
    block: &[u8],
    shown: &str,
    file_id: &str,
    record: usize,
    options: &Options,
    bundle: &mut Bundle,
) {
    let place = format!("{shown}:record {record}");
    let skip = |bundle: &mut Bundle, reason: String| {
        bundle.skipped.push(Skipped {
            path: place.clone(),
            reason,
        })
    };
    let record_type = headers
        .get("content-type")
        .map(media_type)
        .unwrap_or_default();
    let (media, charset, payload) = if record_type.starts_with("application/http") {
        match http_payload(block, options.max_bytes) {
            Ok(found) => found,
            Err(reason) => return skip(bundle, reason),
        }
    } else {
        let charset = headers.get("content-type").and_then(charset_of);
        (record_type, charset, block.to_vec())
    };
    let is_html = match media.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "" => looks_like_html(&payload),
        _ => false,
    };
    if !is_html {
        let shown_type = if media.is_empty() {
            "no Content-Type and not HTML".to_string()
        } else {
            format!("Content-Type {media}")
        };
        return skip(bundle, format!("not an HTML page ({shown_type})"));
    }
    let (text, warning) = match decode_page(&payload, charset.as_deref()) {
        Decoded::Text { text, warning } => (text, warning),
        Decoded::Skip(reason) => return skip(bundle, reason),
    };
    let id = format!("{file_id}#record {record}");
    let mut doc = html_document(&id, &place, &text, None);
    if let Some(doc) = doc.as_mut() {
        let target = headers.get("warc-target-uri").map(|uri| {
            // WARC/1.0 wrote the URI in angle brackets.
            uri.trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        });
        if let Some(target) = target.filter(|t| !t.is_empty()) {
            if doc.source.is_none() {
                doc.source = host_of(&target);
            }
            doc.url = Some(target);
        }
        // The capture date dates the page only when the page itself does
        // not: a crawl can come days or years after publication.
        if doc.published.is_none() {
            if let Some(raw) = headers.get("warc-date") {
                if let Some(date) = super::dates::parse_metadata_date(raw) {
                    doc.published = Some(date);
                    doc.published_from = Provenance::Metadata;
                    doc.published_text = Some(format!("{raw} (WARC-Date, the capture time)"));
                }
            }
        }
    }
    push_document(bundle, doc, warning, &place, options);
}

fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
    })
}

fn looks_like_html(payload: &[u8]) -> bool {
    let head = &payload[..payload.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<') && (head.contains("<html") || head.contains("<!doctype html"))
}

/// The page's text: the declared charset (HTTP header, else a `<meta>` in
/// the first 1024 bytes) when it is not UTF-8, else UTF-8 with the usual
/// Windows-1252 fallback.
fn decode_page(payload: &[u8], charset: Option<&str>) -> Decoded {
    let declared = charset
        .map(str::to_string)
        .or_else(|| meta_charset(payload))
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    match declared {
        Some(encoding)
            if encoding != encoding_rs::UTF_8 && std::str::from_utf8(payload).is_err() =>
        {
            let (text, _, had_errors) = encoding.decode(payload);
            let warning = had_errors
                .then(|| format!("invalid {} sequences replaced with U+FFFD", encoding.name()));
            decode_checked(text.into_owned(), warning)
        }
        _ => decode(payload, Fallback::Windows1252),
    }
}

fn decode_checked(text: String, warning: Option<String>) -> Decoded {
    match decode(text.as_bytes(), Fallback::Windows1252) {
        Decoded::Text { .. } => Decoded::Text { text, warning },
        skip => skip,
    }
}

fn meta_charset(payload: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&payload[..payload.len().min(1024)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!value.is_empty()).then_some(value)
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// Strips the HTTP status line and headers from a response block and
/// undoes chunked transfer and gzip/deflate content encodings. Returns the
/// media type, the charset and the payload; non-2xx responses are not pages.
fn http_payload(block: &[u8], max_bytes: u64) -> Result<(String, Option<String>, Vec<u8>), String> {
    let mut reader = block;
    let mut status = Vec::new();
    read_line_capped(&mut reader, &mut status, 1024).map_err(|e| e.to_string())?;
    let status_line = String::from_utf8_lossy(trim_eol(&status)).to_string();
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        return Err(format!(
            "response block does not start with an HTTP status line ({:?})",
            clip(&status_line)
        ));
    }
    let code = parts.next().and_then(|c| c.parse::<u16>().ok());
    let headers = match read_headers(&mut reader) {
        Ok(headers) => headers,
        Err(RecordError::Bad(reason)) => return Err(format!("bad HTTP header: {reason}")),
        Err(RecordError::Truncated(_)) => {
            return Err("HTTP header not terminated by a blank line".into())
        }
        Err(RecordError::Io(e)) => return Err(e.to_string()),
    };
    match code {
        Some(code) if (200..300).contains(&code) => {}
        Some(code) => return Err(format!("HTTP status {code}, not a page")),
        None => return Err(format!("bad HTTP status line {:?}", clip(&status_line))),
    }
    let mut payload = reader.to_vec();
    let chunked = headers
        .get("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    if chunked {
        payload = dechunk(&payload).map_err(|e| format!("bad chunked transfer encoding: {e}"))?;
    }
    match headers
        .get("content-encoding")
        .map(|e| e.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") | Some("identity") => {}
        Some("gzip") | Some("x-gzip") => {
            payload = inflate(flate2::read::MultiGzDecoder::new(&payload[..]), max_bytes)?;
        }
        Some("deflate") => {
            // Servers send either zlib-wrapped or raw deflate as "deflate".
            payload = inflate(flate2::read::ZlibDecoder::new(&payload[..]), max_bytes)
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&payload[..]), max_bytes))?;
        }
        Some(other) => return Err(format!("Content-Encoding {other} is not supported")),
    }
    let content_type = headers.get("content-type").unwrap_or("");
    Ok((media_type(content_type), charset_of(content_type), payload))
}

fn inflate(decoder: impl Read, max_bytes: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| format!("bad compressed payload: {e}"))?;
    if out.len() as u64 > max_bytes {
        return Err(format!(
            "page larger than --max-bytes when decompressed ({} bytes)",
            max_bytes
        ));
    }
    Ok(out)
}

/// Undoes `Transfer-Encoding: chunked`: hex sizes, each chunk followed by
/// CRLF, a zero-size chunk and optional trailers at the end.
fn dechunk(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("chunk size line without a line end")?;
        let line = String::from_utf8_lossy(trim_eol(&rest[..=line_end])).to_string();
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("chunk size {:?} is not hexadecimal", clip(size_text)))?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = rest
            .get(..size)
            .ok_or_else(|| format!("chunk of {size} bytes but only {} left", rest.len()))?;
        out.extend_from_slice(chunk);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunk_joins_chunks_and_stops_at_zero() {
        let body = b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nTrailer: x\r\n\r\n";
        assert_eq!(dechunk(body).unwrap(), b"Wikipedia");
        assert!(dechunk(b"zz\r\nab\r\n")
            .unwrap_err()
            .contains("not hexadecimal"));
        assert!(dechunk(b"10\r\nab\r\n").unwrap_err().contains("only"));
    }

    #[test]
    fn http_payload_strips_headers_and_reads_charset() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n1\r\n>\r\n0\r\n\r\n";
        let (media, charset, payload) = http_payload(block, 1000).unwrap();
        assert_eq!(media, "text/html");
        assert_eq!(charset.as_deref(), Some("iso-8859-1"));
        assert_eq!(payload, b"<html>");
        let redirect = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        assert!(http_payload(redirect, 1000).unwrap_err().contains("301"));
    }

    #[test]
    fn http_payload_inflates_gzip_content() {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(b"<html>hi</html>").unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(encoder.finish().unwrap());
        let (_, _, payload) = http_payload(&block, 1000).unwrap();
        assert_eq!(payload, b"<html>hi</html>");
        assert!(http_payload(&block, 5).unwrap_err().contains("--max-bytes"));
    }

    #[test]
    fn declared_charset_decodes_the_page() {
        let page =
            b"<html><head><meta charset=\"windows-1251\"></head>\xcf\xf0\xe8\xe2\xe5\xf2</html>";
        match decode_page(page, None) {
            Decoded::Text { text, warning } => {
                assert!(text.contains("Привет"), "{text}");
                assert_eq!(warning, None);
            }
            Decoded::Skip(reason) => panic!("{reason}"),
        }
    }

    #[test]
    fn host_drops_scheme_port_and_www() {
        assert_eq!(
            host_of("https://www.Example.com:443/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn long_lines_are_cut_but_consumed() {
        let mut input: &[u8] = b"abcdefgh\nnext\n";
        let mut buf = Vec::new();
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 3).unwrap(),
            (9, true)
        );
        assert_eq!(buf, b"abc");
        buf.clear();
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 3).unwrap(),
            (5, true)
        );
        buf.clear();
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 3).unwrap(),
            (0, false)
        );
    }
}
