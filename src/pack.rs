//! The compact form a streamed check holds a document's claims in until
//! its story is checked: a plain binary encoding, deflated.
//!
//! JSON cost more than the deflating itself (serialising, and parsing it
//! back, about 300k instructions per GVA article), and a compressor or
//! decompressor made per document spent most of its time allocating and
//! zeroing its tables. Here fields are written in order without names, a
//! string equal to the previous claim's same field (the document's id,
//! path, outlet, and often the sentence) is a single byte, and each thread
//! keeps one compressor, never reset (see [`pack`]), and one decompressor.
//! Numbers keep their exact bits, non-finite ones too.

use crate::claims::{Claim, SubjectKind};
use miniz_oxide::deflate::core::{compress_to_output, CompressorOxide, TDEFLFlush, TDEFLStatus};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::DataFormat;
use std::cell::RefCell;

thread_local! {
    static DEFLATE: RefCell<Option<Box<CompressorOxide>>> = const { RefCell::new(None) };
    static INFLATE: RefCell<Option<Box<DecompressorOxide>>> = const { RefCell::new(None) };
}

/// `claims` encoded and deflated: the encoded length (varint), then
/// deflate blocks that end in a full flush.
///
/// The thread's compressor is never reset: resetting zeroed about 320 KB
/// of tables per document, two thirds of packing's instructions. A full
/// flush ends the document's blocks on a byte boundary and forgets the
/// history (no match reaches back past it), so each document's bytes
/// inflate alone, in any order, from a fresh decompressor.
pub fn pack(claims: &[Claim]) -> Result<Box<[u8]>, String> {
    let raw = encode(claims);
    let mut out = Vec::with_capacity(raw.len() / 3 + 16);
    put_len(&mut out, raw.len());
    DEFLATE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let deflate = cell.get_or_insert_with(|| {
            // Level 1, as `Compression::fast()` was.
            let mut deflate = Box::<CompressorOxide>::default();
            deflate.set_format_and_level(DataFormat::Raw, 1);
            deflate
        });
        // Output goes to a callback rather than a buffer of fixed size,
        // so one call takes all the input and completes the flush.
        let (status, read) = compress_to_output(deflate, &raw, TDEFLFlush::Full, |bytes| {
            out.extend_from_slice(bytes);
            true
        });
        if status == TDEFLStatus::Okay && read == raw.len() {
            Ok(())
        } else {
            // Its state is unknown; the next document gets a new one.
            *cell = None;
            Err(format!("internal error: packing claims: {status:?}"))
        }
    })?;
    Ok(out.into_boxed_slice())
}

/// The claims [`pack`] was given.
pub fn unpack(bytes: &[u8]) -> Result<Vec<Claim>, String> {
    let mut reader = Reader { bytes, at: 0 };
    let len = reader.len()?;
    let stream = &bytes[reader.at..];
    // The encoded length is known, so the output is one buffer that the
    // decompressor reads its matches back from: no window to copy through
    // or zero, as flate2's `Decompress::reset` did. One byte more than it
    // needs, so that a full buffer does not stop it before it has read the
    // flush that ends the blocks.
    let mut raw = vec![0u8; len.saturating_add(1)];
    INFLATE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let inflate = cell.get_or_insert_with(Box::default);
        inflate.init();
        // The blocks end in a flush, not a final block: the decompressor
        // asks for more input once it has read them all.
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF
            | inflate_flags::TINFL_FLAG_HAS_MORE_INPUT;
        let (status, read, written) = decompress(inflate, stream, &mut raw, 0, flags);
        match status {
            TINFLStatus::NeedsMoreInput | TINFLStatus::Done
                if read == stream.len() && written == len =>
            {
                Ok(())
            }
            _ => Err(broken()),
        }
    })?;
    raw.truncate(len);
    decode(&raw)
}

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// 0 when `s` is the previous claim's value, else its length plus one.
fn put_shared(out: &mut Vec<u8>, s: &str, previous: Option<&str>) {
    if previous == Some(s) {
        out.push(0);
    } else {
        put_len(out, s.len() + 1);
        out.extend_from_slice(s.as_bytes());
    }
}

/// 0 for none, 1 for the previous claim's value, else length plus two.
fn put_shared_opt(out: &mut Vec<u8>, s: Option<&str>, previous: Option<Option<&str>>) {
    match s {
        None => out.push(0),
        Some(s) if previous == Some(Some(s)) => out.push(1),
        Some(s) => {
            put_len(out, s.len() + 2);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            put_len(out, s.len() + 1);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

fn put_strs(out: &mut Vec<u8>, list: &[String]) {
    put_len(out, list.len());
    for s in list {
        put_str(out, s);
    }
}

fn put_number(out: &mut Vec<u8>, n: Option<f64>) {
    match n {
        None => out.push(0),
        Some(n) => {
            out.push(1);
            out.extend_from_slice(&n.to_bits().to_le_bytes());
        }
    }
}

fn kind_code(kind: SubjectKind) -> u8 {
    match kind {
        SubjectKind::Person => 0,
        SubjectKind::Org => 1,
        SubjectKind::Place => 2,
        SubjectKind::Event => 3,
        SubjectKind::Quantity => 4,
    }
}

fn encode(claims: &[Claim]) -> Vec<u8> {
    // Claims run about 1 KB of text each; most of it is the sentence.
    let mut out = Vec::with_capacity(claims.len() * 512 + 8);
    put_len(&mut out, claims.len());
    let mut previous: Option<&Claim> = None;
    for claim in claims {
        // Spelled out so that a new field fails to compile here rather
        // than be dropped from held claims.
        let Claim {
            doc,
            path,
            story,
            source,
            published,
            subject,
            subject_kind,
            attribute,
            facet,
            value,
            number,
            number_max,
            hedge,
            qualifiers,
            event_class,
            participants,
            weekday,
            implied,
            resolved,
            start,
            end,
            line,
            column,
            text,
            sentence,
        } = claim;
        put_shared(&mut out, doc, previous.map(|p| p.doc.as_str()));
        put_shared(&mut out, path, previous.map(|p| p.path.as_str()));
        put_shared_opt(
            &mut out,
            story.as_deref(),
            previous.map(|p| p.story.as_deref()),
        );
        put_shared_opt(
            &mut out,
            source.as_deref(),
            previous.map(|p| p.source.as_deref()),
        );
        match published {
            None => out.push(0),
            Some(date) => {
                out.push(1);
                let days = chrono::Datelike::num_days_from_ce(date);
                out.extend_from_slice(&days.to_le_bytes());
            }
        }
        put_shared(&mut out, subject, previous.map(|p| p.subject.as_str()));
        out.push(kind_code(*subject_kind));
        put_shared(&mut out, attribute, previous.map(|p| p.attribute.as_str()));
        put_opt_str(&mut out, facet.as_deref());
        put_str(&mut out, value);
        put_number(&mut out, *number);
        put_number(&mut out, *number_max);
        put_opt_str(&mut out, hedge.as_deref());
        put_strs(&mut out, qualifiers);
        put_opt_str(&mut out, event_class.as_deref());
        put_strs(&mut out, participants);
        put_opt_str(&mut out, weekday.as_deref());
        put_strs(&mut out, implied);
        put_opt_str(&mut out, resolved.as_deref());
        for n in [*start, *end, *line, *column] {
            put_len(&mut out, n);
        }
        put_str(&mut out, text);
        put_shared(&mut out, sentence, previous.map(|p| p.sentence.as_str()));
        previous = Some(claim);
    }
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn broken() -> String {
    "internal error: packed claims are damaged".to_string()
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.bytes.get(self.at).ok_or_else(broken)?;
        self.at += 1;
        Ok(b)
    }

    fn len(&mut self) -> Result<usize, String> {
        let mut n: usize = 0;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            if shift >= usize::BITS {
                return Err(broken());
            }
            n |= usize::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(n);
            }
            shift += 7;
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).ok_or_else(broken)?;
        let slice = self.bytes.get(self.at..end).ok_or_else(broken)?;
        self.at = end;
        Ok(slice)
    }

    fn text(&mut self, n: usize) -> Result<String, String> {
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| broken())
    }

    fn str(&mut self) -> Result<String, String> {
        let n = self.len()?;
        self.text(n)
    }

    fn shared(&mut self, previous: Option<&String>) -> Result<String, String> {
        match self.len()? {
            0 => previous.cloned().ok_or_else(broken),
            n => self.text(n - 1),
        }
    }

    fn shared_opt(&mut self, previous: Option<&Option<String>>) -> Result<Option<String>, String> {
        match self.len()? {
            0 => Ok(None),
            1 => match previous {
                Some(Some(s)) => Ok(Some(s.clone())),
                _ => Err(broken()),
            },
            n => self.text(n - 2).map(Some),
        }
    }

    fn opt_str(&mut self) -> Result<Option<String>, String> {
        match self.len()? {
            0 => Ok(None),
            n => self.text(n - 1).map(Some),
        }
    }

    fn strs(&mut self) -> Result<Vec<String>, String> {
        let n = self.len()?;
        let mut list = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            list.push(self.str()?);
        }
        Ok(list)
    }

    fn number(&mut self) -> Result<Option<f64>, String> {
        match self.byte()? {
            0 => Ok(None),
            1 => {
                let bytes: [u8; 8] = self.take(8)?.try_into().map_err(|_| broken())?;
                Ok(Some(f64::from_bits(u64::from_le_bytes(bytes))))
            }
            _ => Err(broken()),
        }
    }

    fn date(&mut self) -> Result<Option<chrono::NaiveDate>, String> {
        match self.byte()? {
            0 => Ok(None),
            1 => {
                let bytes: [u8; 4] = self.take(4)?.try_into().map_err(|_| broken())?;
                chrono::NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(bytes))
                    .map(Some)
                    .ok_or_else(broken)
            }
            _ => Err(broken()),
        }
    }

    fn kind(&mut self) -> Result<SubjectKind, String> {
        Ok(match self.byte()? {
            0 => SubjectKind::Person,
            1 => SubjectKind::Org,
            2 => SubjectKind::Place,
            3 => SubjectKind::Event,
            4 => SubjectKind::Quantity,
            _ => return Err(broken()),
        })
    }
}

fn decode(bytes: &[u8]) -> Result<Vec<Claim>, String> {
    let mut r = Reader { bytes, at: 0 };
    let n = r.len()?;
    let mut claims: Vec<Claim> = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let previous = claims.last();
        let doc = r.shared(previous.map(|p| &p.doc))?;
        let path = r.shared(previous.map(|p| &p.path))?;
        let story = r.shared_opt(previous.map(|p| &p.story))?;
        let source = r.shared_opt(previous.map(|p| &p.source))?;
        let published = r.date()?;
        let subject = r.shared(previous.map(|p| &p.subject))?;
        let subject_kind = r.kind()?;
        let attribute = r.shared(previous.map(|p| &p.attribute))?;
        let facet = r.opt_str()?;
        let value = r.str()?;
        let number = r.number()?;
        let number_max = r.number()?;
        let hedge = r.opt_str()?;
        let qualifiers = r.strs()?;
        let event_class = r.opt_str()?;
        let participants = r.strs()?;
        let weekday = r.opt_str()?;
        let implied = r.strs()?;
        let resolved = r.opt_str()?;
        let (start, end, line, column) = (r.len()?, r.len()?, r.len()?, r.len()?);
        let text = r.str()?;
        let sentence = r.shared(previous.map(|p| &p.sentence))?;
        claims.push(Claim {
            doc,
            path,
            story,
            source,
            published,
            subject,
            subject_kind,
            attribute,
            facet,
            value,
            number,
            number_max,
            hedge,
            qualifiers,
            event_class,
            participants,
            weekday,
            implied,
            resolved,
            start,
            end,
            line,
            column,
            text,
            sentence,
        });
    }
    if r.at != bytes.len() {
        return Err(broken());
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims_of_samples() -> Vec<Vec<Claim>> {
        let bundle = crate::ingest::read_paths(
            &["samples/rubio-ukraine".into()],
            &crate::ingest::Options::default(),
        );
        bundle
            .documents
            .iter()
            .map(|doc| crate::pipeline::analyze(doc).claims)
            .collect()
    }

    #[test]
    fn claims_come_back_unchanged() {
        let all = claims_of_samples();
        assert!(all.iter().any(|c| c.len() > 3));
        for claims in all {
            let packed = pack(&claims).unwrap();
            assert_eq!(unpack(&packed).unwrap(), claims);
        }
    }

    #[test]
    fn odd_values_come_back_unchanged() {
        let mut claims = claims_of_samples()
            .into_iter()
            .flatten()
            .take(4)
            .collect::<Vec<_>>();
        assert_eq!(claims.len(), 4);
        // Non-finite numbers, which JSON cannot hold; an empty string
        // after a non-empty one; the same story twice; no date.
        claims[0].number = Some(f64::NAN);
        claims[0].number_max = Some(f64::NEG_INFINITY);
        claims[1].number = Some(0.1 + 0.2);
        claims[1].doc = String::new();
        claims[1].story = Some("s-é".into());
        claims[2].story = Some("s-é".into());
        claims[2].published = None;
        claims[3].subject_kind = SubjectKind::Quantity;
        claims[3].participants = vec!["a".into(), String::new(), "ü".repeat(200)];
        claims[3].start = usize::MAX;
        let back = unpack(&pack(&claims).unwrap()).unwrap();
        assert_eq!(back.len(), 4);
        assert!(back[0].number.is_some_and(f64::is_nan));
        assert_eq!(back[0].number_max, Some(f64::NEG_INFINITY));
        claims[0].number = None;
        let mut back = back;
        back[0].number = None;
        assert_eq!(back, claims);
    }

    #[test]
    fn each_document_unpacks_alone_in_any_order() {
        // One compressor packs them all, never reset; each document's
        // bytes must still inflate on their own, whatever came before.
        let all = claims_of_samples();
        assert!(all.len() > 3);
        let packed = all.iter().map(|c| pack(c).unwrap()).collect::<Vec<_>>();
        for i in (0..all.len()).rev() {
            assert_eq!(unpack(&packed[i]).unwrap(), all[i]);
        }
        // A new thread has new state; a stock decompressor, made anew
        // for each document, reads the same bytes.
        let (evens, odds): (Vec<usize>, Vec<usize>) = (0..all.len()).partition(|i| i % 2 == 0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                for &i in odds.iter().chain(&evens) {
                    assert_eq!(unpack(&packed[i]).unwrap(), all[i]);
                }
            });
        });
        for (claims, bytes) in all.iter().zip(&packed) {
            let mut reader = Reader { bytes, at: 0 };
            let len = reader.len().unwrap();
            let mut raw = Vec::with_capacity(len + 64);
            let mut inflate = flate2::Decompress::new(false);
            inflate
                .decompress_vec(&bytes[reader.at..], &mut raw, flate2::FlushDecompress::Sync)
                .unwrap();
            assert_eq!(inflate.total_in() as usize, bytes.len() - reader.at);
            assert_eq!(decode(&raw).unwrap(), *claims);
        }
    }

    #[test]
    fn no_claims_and_damage_are_told() {
        assert_eq!(unpack(&pack(&[]).unwrap()).unwrap(), Vec::<Claim>::new());
        let claims = claims_of_samples()
            .into_iter()
            .flatten()
            .take(3)
            .collect::<Vec<_>>();
        let packed = pack(&claims).unwrap();
        assert!(unpack(&packed[..packed.len() / 2]).is_err());
        let mut longer = packed.to_vec();
        longer.extend_from_slice(&packed[1..]);
        assert!(unpack(&longer).is_err());
        let raw = encode(&claims);
        assert!(decode(&raw[..raw.len() - 1]).is_err());
        let mut longer = raw.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }
}
