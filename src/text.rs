//! Text helpers shared by the stages.

/// The largest char boundary of `s` at or before `i` (`s.len()` past it).
pub(crate) fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `w` ASCII-lower-cased into `buf` without allocating (other characters
/// are copied as they are); `None` when it does not fit.
#[inline]
pub(crate) fn lower_ascii_into<'b>(w: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let out = buf.get_mut(..w.len())?;
    out.copy_from_slice(w.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// Deterministic random text for the stages' robustness tests.
#[cfg(test)]
pub(crate) mod testing {
    /// A xorshift generator from `seed` (not zero): the same sequence on
    /// every run and machine.
    pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    /// Real news for comparing fast paths with slow ones: the
    /// rubio-ukraine samples when `with_samples`, then the GVA articles
    /// when the evaluation data is there (`../shared/eval/gva/`), else
    /// none of them.
    pub(crate) fn news_documents(with_samples: bool) -> Vec<crate::Document> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        if with_samples {
            paths.push(root.join("samples/rubio-ukraine"));
        }
        let gva = root.join("../shared/eval/gva/articles.jsonl");
        if gva.exists() {
            paths.push(gva);
        }
        if paths.is_empty() {
            return Vec::new();
        }
        crate::ingest::read_paths(&paths, &crate::ingest::Options::default()).documents
    }

    /// Fewer than `most` pieces drawn from `pieces`, joined.
    pub(crate) fn soup(next: &mut impl FnMut() -> u64, pieces: &[&str], most: u64) -> String {
        let n = next() % most;
        (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect()
    }
}
