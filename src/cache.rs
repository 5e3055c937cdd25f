//! `--cache DIR`: each document's claims (the output of the expensive
//! per-document stages) kept on disk, so a re-run over a grown archive
//! analyses only the new or changed documents.
//!
//! An entry is found by a BLAKE3 hash of the whole document as read (text,
//! blocks, metadata, id, path, story), the crosscheck version, this file's
//! [`SCHEMA`], a fingerprint of the build's sources and data, and the rules
//! loaded. Entries are only ever trusted whole: one that is truncated,
//! corrupt, from another build or filed under the wrong key is recomputed
//! and rewritten. Writes go to a temporary file renamed into place, so a
//! killed run leaves no half-written entry behind.

use crate::check::spec::Rule;
use crate::claims::Claim;
use crate::model::Document;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bump when the entry layout or what the cached stages mean changes.
pub const SCHEMA: u32 = 1;

const MAGIC: &str = "crosscheck-cache";

/// How the cache served one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Documents whose claims came from the cache.
    pub hits: usize,
    /// Documents analysed because they had no entry.
    pub misses: usize,
    /// Entries found but not trusted (corrupt, truncated, foreign) and
    /// rebuilt.
    pub rebuilt: usize,
    /// Entries that could not be written.
    pub write_failures: usize,
}

/// A cache folder opened for one run's build and rules.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Hashed into every key: version, schema, build and rules.
    salt: [u8; 32],
    hits: AtomicUsize,
    misses: AtomicUsize,
    rebuilt: AtomicUsize,
    write_failures: AtomicUsize,
    first_write_error: std::sync::Mutex<Option<String>>,
    temp_counter: AtomicUsize,
}

impl Cache {
    /// Opens (creating) `dir` for a run with these rules.
    pub fn open(dir: &Path, rules: &[Rule]) -> Result<Cache, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{}: cannot create the cache folder: {e}", dir.display()))?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(MAGIC.as_bytes());
        hasher.update(&SCHEMA.to_le_bytes());
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(env!("CROSSCHECK_BUILD_FINGERPRINT").as_bytes());
        for rule in rules {
            // Specs are plain data; their JSON form is stable for a build.
            let spec = serde_json::to_vec(&rule.spec).unwrap_or_default();
            hasher.update(&(spec.len() as u64).to_le_bytes());
            hasher.update(&spec);
        }
        Ok(Cache {
            dir: dir.to_path_buf(),
            salt: *hasher.finalize().as_bytes(),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            rebuilt: AtomicUsize::new(0),
            write_failures: AtomicUsize::new(0),
            first_write_error: std::sync::Mutex::new(None),
            temp_counter: AtomicUsize::new(0),
        })
    }

    /// The key of a document's entry, as hex.
    pub fn key(&self, doc: &Document) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&self.salt);
        // The serialised document covers every field the stages read; a
        // field added later is covered without touching this code.
        let written = {
            let mut writer = std::io::BufWriter::with_capacity(64 * 1024, &mut hasher);
            serde_json::to_writer(&mut writer, doc)
                .map_err(std::io::Error::from)
                .and_then(|()| writer.flush())
        };
        if written.is_err() {
            hasher.update(doc.id.as_bytes());
            hasher.update(doc.text.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    fn entry_path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(&key[2..])
    }

    fn header(key: &str) -> String {
        format!("{MAGIC} {SCHEMA} {} {key}\n", env!("CARGO_PKG_VERSION"))
    }

    /// The document's claims from its entry, or from `analyze` (then
    /// stored).
    pub fn claims(
        &self,
        doc: &Document,
        analyze: impl FnOnce(&Document) -> Vec<Claim>,
    ) -> Vec<Claim> {
        let key = self.key(doc);
        let path = self.entry_path(&key);
        match std::fs::read(&path) {
            Ok(bytes) => match Self::parse(&bytes, &key) {
                Some(claims) => {
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    return claims;
                }
                None => {
                    self.rebuilt.fetch_add(1, Ordering::Relaxed);
                }
            },
            Err(_) => {
                self.misses.fetch_add(1, Ordering::Relaxed);
            }
        }
        let claims = analyze(doc);
        if let Err(e) = self.store(&path, &key, &claims) {
            self.write_failures.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut first) = self.first_write_error.lock() {
                first.get_or_insert(format!("{}: {e}", path.display()));
            }
        }
        claims
    }

    fn parse(bytes: &[u8], key: &str) -> Option<Vec<Claim>> {
        let header = Self::header(key);
        let body = bytes.strip_prefix(header.as_bytes())?;
        serde_json::from_slice(body).ok()
    }

    fn store(&self, path: &Path, key: &str, claims: &[Claim]) -> std::io::Result<()> {
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)?;
        let mut bytes = Self::header(key).into_bytes();
        serde_json::to_writer(&mut bytes, claims)?;
        // Unique per process and write, so parallel writers never share a
        // temporary file; the rename makes the entry appear whole or not
        // at all.
        let temp = parent.join(format!(
            ".{}.{}.{}.tmp",
            &key[2..18],
            std::process::id(),
            self.temp_counter.fetch_add(1, Ordering::Relaxed)
        ));
        let written = std::fs::File::create(&temp).and_then(|mut file| file.write_all(&bytes));
        if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        Ok(())
    }

    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            rebuilt: self.rebuilt.load(Ordering::Relaxed),
            write_failures: self.write_failures.load(Ordering::Relaxed),
        }
    }

    /// The first write error, to name once on stderr.
    pub fn first_write_error(&self) -> Option<String> {
        self.first_write_error.lock().ok().and_then(|e| e.clone())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{InputFormat, Provenance};

    fn doc(text: &str) -> Document {
        Document {
            id: "a.txt".into(),
            path: "a.txt".into(),
            format: InputFormat::Text,
            source: None,
            title: None,
            url: None,
            published: None,
            published_from: Provenance::None,
            published_text: None,
            text: text.into(),
            blocks: Vec::new(),
            warnings: Vec::new(),
            group: None,
        }
    }

    #[test]
    fn key_changes_with_text_metadata_and_rules() {
        let dir = tempfile::tempdir().unwrap();
        let rules = crate::check::spec::load(&[]).unwrap();
        let cache = Cache::open(dir.path(), &rules).unwrap();
        let base = cache.key(&doc("One."));
        assert_eq!(base, cache.key(&doc("One.")));
        assert_ne!(base, cache.key(&doc("Two.")));
        let mut dated = doc("One.");
        dated.published = chrono::NaiveDate::from_ymd_opt(2025, 1, 2);
        assert_ne!(base, cache.key(&dated));
        let fewer = Cache::open(dir.path(), &rules[1..]).unwrap();
        assert_ne!(base, fewer.key(&doc("One.")));
    }

    #[test]
    fn entries_are_reused_and_bad_ones_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]).unwrap();
        let d = doc("One.");
        let analyzed = |_: &Document| Vec::new();
        assert!(cache.claims(&d, analyzed).is_empty());
        assert!(cache
            .claims(&d, |_| panic!("must come from the cache"))
            .is_empty());
        let path = cache.entry_path(&cache.key(&d));
        std::fs::write(&path, b"crosscheck-cache 1 garbage").unwrap();
        assert!(cache.claims(&d, analyzed).is_empty());
        assert_eq!(
            cache.stats(),
            Stats {
                hits: 1,
                misses: 1,
                rebuilt: 1,
                write_failures: 0
            }
        );
        // Rewritten whole after the rebuild.
        assert!(std::fs::read(&path)
            .unwrap()
            .starts_with(b"crosscheck-cache"));
        assert!(cache.claims(&d, |_| panic!("rewritten entry")).is_empty());
    }
}
