//! Gzip inputs: `.jsonl.gz`, `.json.gz` and `.warc.gz`, decompressed as a
//! stream (flate2's pure-Rust backend), never whole.

use flate2::bufread::GzDecoder;
use std::io::{self, BufRead, Read};

/// What went wrong reading a gzip stream, in words for a skip reason.
pub fn describe_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "gzip data truncated (unexpected end of file)".to_string(),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("corrupt gzip data ({e})")
        }
        _ => format!("cannot read: {e}"),
    }
}

/// A reader that counts the bytes consumed from it, so a false start of a
/// gzip member can be told apart from progress.
struct Counted<R> {
    inner: R,
    consumed: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

/// Concatenated gzip members decompressed as one stream, as
/// `flate2::read::MultiGzDecoder` does, except that corrupt data is not the
/// end: the error is returned once and the next read resumes at the next
/// member header. WARC files compress each record as its own member, so a
/// damaged record costs only itself. A truncated file ends with an
/// `UnexpectedEof` error.
pub struct GzMembers<R: BufRead> {
    decoder: Option<GzDecoder<Counted<R>>>,
    raw: Option<Counted<R>>,
    /// Scan for a member header before decoding again.
    resync: bool,
    /// Where the current member started, when it was found by scanning
    /// after an error: such a start may be a chance `1f 8b` inside
    /// compressed data, and its failure before yielding anything is a
    /// false start, not news.
    speculative: Option<u64>,
}

impl<R: BufRead> GzMembers<R> {
    pub fn new(reader: R) -> Self {
        GzMembers {
            decoder: None,
            raw: Some(Counted {
                inner: reader,
                consumed: 0,
            }),
            resync: false,
            speculative: None,
        }
    }
}

/// Consumes bytes up to the next likely gzip member header; false at the
/// end of the input.
fn skip_to_header<R: BufRead>(raw: &mut R) -> io::Result<bool> {
    loop {
        let buf = match raw.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(false);
        }
        let mut at = 0;
        while let Some(i) = buf[at..].iter().position(|&b| b == 0x1f) {
            let i = at + i;
            // A buffer that ends on 0x1f cannot show the next byte; a wrong
            // guess is a false start, skipped quietly.
            if buf.get(i + 1).is_none_or(|&b| b == 0x8b) {
                raw.consume(i);
                return Ok(true);
            }
            at = i + 1;
        }
        let n = buf.len();
        raw.consume(n);
    }
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(decoder) = self.decoder.as_mut() {
                match decoder.read(buf) {
                    Ok(0) => {
                        // The member ended cleanly: the next one, if any,
                        // starts right here.
                        self.raw = self.decoder.take().map(GzDecoder::into_inner);
                        self.speculative = None;
                    }
                    Ok(n) => {
                        self.speculative = None;
                        return Ok(n);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.raw = self.decoder.take().map(GzDecoder::into_inner);
                        self.resync = true;
                        match (self.speculative.take(), self.raw.as_mut()) {
                            (Some(start), Some(raw)) => {
                                // Step past a false start that read nothing,
                                // or the scan would find it again.
                                if raw.consumed == start {
                                    raw.consume(1);
                                }
                            }
                            _ => return Err(e),
                        }
                    }
                }
                continue;
            }
            let Some(raw) = self.raw.as_mut() else {
                return Ok(0);
            };
            if self.resync {
                if !skip_to_header(raw)? {
                    return Ok(0);
                }
                self.resync = false;
                self.speculative = Some(raw.consumed);
            } else if raw.fill_buf()?.is_empty() {
                return Ok(0);
            }
            self.decoder = self.raw.take().map(GzDecoder::new);
        }
    }
}
