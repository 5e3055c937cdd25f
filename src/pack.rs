//! The compact form a streamed check holds a document's claims in until
//! its story is checked: a plain binary encoding, LZ4-compressed.
//!
//! JSON cost more than the compressing itself (serialising, and parsing it
//! back, about 300k instructions per GVA article). Here fields are written
//! in order without names, and a string equal to the previous claim's same
//! field (the document's id, path, outlet, and often the sentence) is a
//! single byte. Numbers keep their exact bits, non-finite ones too.
//!
//! LZ4 replaced deflate (level 1, one compressor per thread ending each
//! document in a full flush): on the claims of 2,996 GVA articles deflate
//! took 110 ms to pack and 44 ms to unpack, LZ4 29 ms to pack, and a
//! wall-clock profile of a 30k-article archive check had packing and
//! unpacking at 10% of all time. The price is size: 1,176 bytes per
//! article against 963 (the encoding is 2,128), about 0.2 GB more at a
//! million articles, well inside the 4 GB an archive check may use. Each
//! document is one LZ4 block, so it unpacks alone, in any order.

use crate::claims::{Claim, Shared, SubjectKind};

/// `claims` encoded and compressed: the encoded length (varint), then one
/// LZ4 block.
pub fn pack(claims: &[Claim]) -> Result<Box<[u8]>, String> {
    let raw = encode(claims);
    let mut out = Vec::new();
    put_len(&mut out, raw.len());
    let at = out.len();
    out.resize(at + lz4_flex::block::get_maximum_output_size(raw.len()), 0);
    let written = lz4_flex::block::compress_into(&raw, &mut out[at..])
        .map_err(|e| format!("internal error: packing claims: {e}"))?;
    out.truncate(at + written);
    Ok(out.into_boxed_slice())
}

/// The claims [`pack`] was given.
pub fn unpack(bytes: &[u8]) -> Result<Vec<Claim>, String> {
    let mut reader = Reader { bytes, at: 0 };
    let len = reader.len()?;
    let block = &bytes[reader.at..];
    // An LZ4 sequence expands at most about 255 times: a damaged length
    // must not ask for gigabytes.
    if len > block.len().saturating_mul(256).saturating_add(64) {
        return Err(broken());
    }
    let mut raw = vec![0u8; len];
    match lz4_flex::block::decompress_into(block, &mut raw) {
        Ok(written) if written == len => decode(&raw),
        _ => Err(broken()),
    }
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
        put_shared(&mut out, doc, previous.map(|p| &*p.doc));
        put_shared(&mut out, path, previous.map(|p| &*p.path));
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
        put_shared(&mut out, sentence, previous.map(|p| &*p.sentence));
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

    /// The next `n` bytes as text, borrowed.
    fn utf8(&mut self, n: usize) -> Result<&str, String> {
        std::str::from_utf8(self.take(n)?).map_err(|_| broken())
    }

    fn text(&mut self, n: usize) -> Result<String, String> {
        self.utf8(n).map(str::to_string)
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

    /// [`Reader::shared`] for text claims share: a repeat costs no copy.
    fn shared_text(&mut self, previous: Option<&Shared>) -> Result<Shared, String> {
        match self.len()? {
            0 => previous.cloned().ok_or_else(broken),
            n => self.utf8(n - 1).map(Shared::from),
        }
    }

    fn shared_text_opt(
        &mut self,
        previous: Option<&Option<Shared>>,
    ) -> Result<Option<Shared>, String> {
        match self.len()? {
            0 => Ok(None),
            1 => match previous {
                Some(Some(s)) => Ok(Some(s.clone())),
                _ => Err(broken()),
            },
            n => self.utf8(n - 2).map(|t| Some(Shared::from(t))),
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
        let doc = r.shared_text(previous.map(|p| &p.doc))?;
        let path = r.shared_text(previous.map(|p| &p.path))?;
        let story = r.shared_text_opt(previous.map(|p| &p.story))?;
        let source = r.shared_text_opt(previous.map(|p| &p.source))?;
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
        let sentence = r.shared_text(previous.map(|p| &p.sentence))?;
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

    /// The samples' first `n` claims, across documents.
    fn first_claims(n: usize) -> Vec<Claim> {
        claims_of_samples().into_iter().flatten().take(n).collect()
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
        let mut claims = first_claims(4);
        assert_eq!(claims.len(), 4);
        // Non-finite numbers, which JSON cannot hold; an empty string
        // after a non-empty one; the same story twice; no date.
        claims[0].number = Some(f64::NAN);
        claims[0].number_max = Some(f64::NEG_INFINITY);
        claims[1].number = Some(0.1 + 0.2);
        claims[1].doc = "".into();
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
    fn repeated_text_is_shared_not_copied() {
        // Extraction hands every claim of a document one id and each
        // sentence's claims one text; unpacking keeps it so.
        let claims = claims_of_samples()
            .into_iter()
            .find(|c| c.len() > 3)
            .unwrap();
        for (a, b) in claims.iter().zip(&claims[1..]) {
            assert!(std::sync::Arc::ptr_eq(&a.doc, &b.doc));
        }
        let unpacked = unpack(&pack(&claims).unwrap()).unwrap();
        let mut shared_sentences = 0;
        for (a, b) in unpacked.iter().zip(&unpacked[1..]) {
            assert!(std::sync::Arc::ptr_eq(&a.doc, &b.doc));
            assert!(std::sync::Arc::ptr_eq(&a.path, &b.path));
            if a.sentence == b.sentence {
                assert!(std::sync::Arc::ptr_eq(&a.sentence, &b.sentence));
                shared_sentences += 1;
            }
        }
        assert!(shared_sentences > 0);
    }

    #[test]
    fn each_document_unpacks_alone_in_any_order() {
        let all = claims_of_samples();
        assert!(all.len() > 3);
        let packed = all.iter().map(|c| pack(c).unwrap()).collect::<Vec<_>>();
        for i in (0..all.len()).rev() {
            assert_eq!(unpack(&packed[i]).unwrap(), all[i]);
        }
        let (evens, odds): (Vec<usize>, Vec<usize>) = (0..all.len()).partition(|i| i % 2 == 0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                for &i in odds.iter().chain(&evens) {
                    assert_eq!(unpack(&packed[i]).unwrap(), all[i]);
                }
            });
        });
        // The claims are held compressed: a million of them must fit.
        let encoded: usize = all.iter().map(|c| encode(c).len()).sum();
        let held: usize = packed.iter().map(|p| p.len()).sum();
        assert!(
            held * 3 < encoded * 2,
            "{held} bytes held for {encoded} encoded"
        );
    }

    #[test]
    fn a_damaged_length_is_told_not_allocated() {
        let claims = first_claims(3);
        let packed = pack(&claims).unwrap();
        let mut reader = Reader {
            bytes: &packed,
            at: 0,
        };
        reader.len().unwrap();
        let mut huge = Vec::new();
        put_len(&mut huge, usize::MAX >> 8);
        huge.extend_from_slice(&packed[reader.at..]);
        assert!(unpack(&huge).is_err());
        let mut short = Vec::new();
        put_len(&mut short, encode(&claims).len() - 1);
        short.extend_from_slice(&packed[reader.at..]);
        assert!(unpack(&short).is_err());
    }

    #[test]
    fn no_claims_and_damage_are_told() {
        assert_eq!(unpack(&pack(&[]).unwrap()).unwrap(), Vec::<Claim>::new());
        let claims = first_claims(3);
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
