//! `--cache DIR`: what the expensive stages produced, kept on disk so a
//! re-run over a grown archive redoes only what changed. Two kinds of
//! entries:
//!
//! - `claims/`: one document's claims (segment, extract and claims, the
//!   per-document cost), keyed by a BLAKE3 hash of the whole document as
//!   read (text, blocks, metadata, id, path, story);
//! - `findings/`: one story's findings, keyed by its documents' keys and
//!   the rules as configured, so an unchanged story is neither re-keyed nor
//!   re-checked and its claims are not even loaded;
//! - `records/`: what a streamed check kept of one JSON Lines record (its
//!   document without the text, and its claims key), keyed by the record's
//!   raw bytes and where and how it was read. A re-run over a grown archive
//!   then neither parses nor lays out the records it has seen: the layout
//!   (boilerplate rules over every line) costs more than the rest of a
//!   cached re-run together.
//!
//! Every key also covers the crosscheck version, this file's [`SCHEMA`], a
//! fingerprint of the build's sources and data (`build.rs`) and the rules
//! loaded. Entries are trusted only whole: one that is truncated, corrupt,
//! from another build or filed under the wrong key is recomputed and
//! rewritten, silently. Each entry's header carries a BLAKE3 checksum of
//! its body, so a streamed check can vouch for a document's claims entry
//! while the text is at hand and parse it only if the story's findings
//! turn out not to be cached (on a re-run, almost never). Writes go to a
//! temporary file renamed into place, so a killed run leaves no
//! half-written entry behind.

use crate::check::spec::Rule;
use crate::check::Finding;
use crate::claims::Claim;
use crate::model::Document;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bump when the entry layout or what the cached stages mean changes.
pub const SCHEMA: u32 = 2;

const MAGIC: &str = "crosscheck-cache";
const CLAIMS: &str = "claims";
const FINDINGS: &str = "findings";
const RECORDS: &str = "records";

/// How the cache served one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Documents whose claims were looked up, or that belong to a story
    /// whose findings were.
    pub documents: usize,
    /// Of those, the documents not analysed: their claims or their story's
    /// findings came from the cache.
    pub documents_cached: usize,
    /// Stories looked up, and those whose findings came from the cache.
    pub stories: usize,
    pub stories_cached: usize,
    /// Entries found but not trusted (corrupt, truncated, foreign), then
    /// rebuilt.
    pub rebuilt: usize,
    /// Entries that could not be written.
    pub write_failures: usize,
}

#[derive(Debug, Default)]
struct Counters {
    documents: AtomicUsize,
    documents_cached: AtomicUsize,
    stories: AtomicUsize,
    stories_cached: AtomicUsize,
    rebuilt: AtomicUsize,
    write_failures: AtomicUsize,
    temp: AtomicUsize,
}

/// A `records/` entry: a document as a streamed check keeps it (no text,
/// no blocks) and the key of its claims entry.
#[derive(Serialize, serde::Deserialize)]
struct RecordEntry {
    id: String,
    path: String,
    format: crate::model::InputFormat,
    source: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<chrono::NaiveDate>,
    published_from: crate::model::Provenance,
    published_text: Option<String>,
    warnings: Vec<String>,
    group: Option<String>,
    claims: String,
}

/// What a record's key covers besides its bytes and line: see
/// [`Cache::record_scope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordScope([u8; 32]);

/// See [`Cache::rules_digest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulesDigest([u8; 32]);

enum Lookup<T> {
    Hit(T),
    Missing,
    Bad,
}

/// A cache folder opened for one run's build and rules.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Hashed into every key: version, schema, build and loaded rules.
    salt: [u8; 32],
    counters: Counters,
    first_write_error: std::sync::Mutex<Option<String>>,
    pid: u32,
}

fn hash_rules(hasher: &mut blake3::Hasher, rules: &[Rule]) {
    hasher.update(&(rules.len() as u64).to_le_bytes());
    for rule in rules {
        // Specs are plain data; their JSON form is stable within a build.
        let spec = serde_json::to_vec(&rule.spec).unwrap_or_default();
        hasher.update(&(spec.len() as u64).to_le_bytes());
        hasher.update(&spec);
    }
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
        hash_rules(&mut hasher, rules);
        Ok(Cache {
            dir: dir.to_path_buf(),
            salt: *hasher.finalize().as_bytes(),
            counters: Counters::default(),
            first_write_error: std::sync::Mutex::new(None),
            pid: std::process::id(),
        })
    }

    /// The key of a document's claims entry, as hex.
    pub fn key(&self, doc: &Document) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&self.salt);
        hasher.update(CLAIMS.as_bytes());
        hasher.update(&(doc.text.len() as u64).to_le_bytes());
        hasher.update(doc.text.as_bytes());
        // Everything but the text as JSON: a field added to documents later
        // is covered without touching this code. The text, the bulk, is
        // hashed raw above rather than escaped.
        let rest = Document {
            text: String::new(),
            ..doc.clone()
        };
        let written = {
            let mut writer = std::io::BufWriter::with_capacity(16 * 1024, &mut hasher);
            serde_json::to_writer(&mut writer, &rest)
                .map_err(std::io::Error::from)
                .and_then(|()| writer.flush())
        };
        if written.is_err() {
            hasher.update(doc.id.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    /// The scope of a file's records: the file as named and identified and
    /// every reading setting that shapes a record's document (field
    /// mapping, story field, `--published`), each part length-prefixed.
    pub fn record_scope(&self, parts: &[&str]) -> RecordScope {
        let mut hasher = blake3::Hasher::new_keyed(&self.salt);
        hasher.update(RECORDS.as_bytes());
        for part in parts {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        RecordScope(*hasher.finalize().as_bytes())
    }

    /// The key of a record's entry: its scope, its line number (part of
    /// the document's id when the record has none) and its raw bytes.
    pub fn record_key(&self, scope: &RecordScope, line_number: usize, line: &[u8]) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&scope.0);
        hasher.update(&(line_number as u64).to_le_bytes());
        hasher.update(line);
        hasher.finalize().to_hex().to_string()
    }

    /// A record seen by an earlier run: its document without the text and
    /// the key of its claims, when its entry is sound (then it counts as a
    /// document served from the cache). `None` means the record is to be
    /// read and analysed afresh. The claims entry is not checked here:
    /// reading and hashing it for every record would cost a re-run more
    /// than all else, and only the stories that are not cached need it; see
    /// [`Cache::usable_claims`] and [`Cache::claims_rebuilt`].
    pub fn recall_record(&self, key: &str) -> Option<(Document, String)> {
        let entry: RecordEntry = match self.read(RECORDS, key) {
            Lookup::Hit(entry) => entry,
            Lookup::Missing => return None,
            Lookup::Bad => {
                self.counters.rebuilt.fetch_add(1, Ordering::Relaxed);
                return None;
            }
        };
        self.counters.documents.fetch_add(1, Ordering::Relaxed);
        self.counters
            .documents_cached
            .fetch_add(1, Ordering::Relaxed);
        let doc = Document {
            id: entry.id,
            path: entry.path,
            format: entry.format,
            source: entry.source,
            title: entry.title,
            url: entry.url,
            published: entry.published,
            published_from: entry.published_from,
            published_text: entry.published_text,
            text: String::new(),
            blocks: Vec::new(),
            warnings: entry.warnings,
            group: entry.group,
        };
        Some((doc, entry.claims))
    }

    /// Files what a streamed check kept of the record keyed `key`: `doc`
    /// (its text and blocks are not stored) and its claims key.
    pub fn store_record(&self, key: &str, doc: &Document, claims: &str) {
        // Spelled out, so a field added to documents fails to compile here
        // rather than be dropped from remembered records.
        let Document {
            id,
            path,
            format,
            source,
            title,
            url,
            published,
            published_from,
            published_text,
            text: _,
            blocks: _,
            warnings,
            group,
        } = doc;
        let entry = RecordEntry {
            id: id.clone(),
            path: path.clone(),
            format: *format,
            source: source.clone(),
            title: title.clone(),
            url: url.clone(),
            published: *published,
            published_from: *published_from,
            published_text: published_text.clone(),
            warnings: warnings.clone(),
            group: group.clone(),
            claims: claims.to_string(),
        };
        self.store(RECORDS, key, &entry);
    }

    /// A digest of the rules as configured (selection and severities
    /// included), computed once per run rather than once per story.
    pub fn rules_digest(rules: &[Rule]) -> RulesDigest {
        let mut hasher = blake3::Hasher::new();
        hash_rules(&mut hasher, rules);
        RulesDigest(*hasher.finalize().as_bytes())
    }

    /// The key of a story's findings: its documents' keys and ids in order
    /// and the rules it is checked with. The ids count on their own: a
    /// streamed check keys a document before its id is made unique (an id
    /// read twice becomes the path), and findings name documents by id.
    pub fn story_key(&self, documents: &[(&str, &str)], rules: &RulesDigest) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&self.salt);
        hasher.update(FINDINGS.as_bytes());
        hasher.update(&rules.0);
        hasher.update(&(documents.len() as u64).to_le_bytes());
        for (key, id) in documents {
            hasher.update(key.as_bytes());
            hasher.update(&(id.len() as u64).to_le_bytes());
            hasher.update(id.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    /// A document's claims from its entry, or from `analyze` (then stored).
    pub fn claims(
        &self,
        doc: &Document,
        analyze: impl FnOnce(&Document) -> Vec<Claim>,
    ) -> Vec<Claim> {
        let key = self.key(doc);
        self.claims_by_key(doc, &key, analyze)
    }

    /// [`Cache::claims`] with the document's key already computed.
    pub fn claims_by_key(
        &self,
        doc: &Document,
        key: &str,
        analyze: impl FnOnce(&Document) -> Vec<Claim>,
    ) -> Vec<Claim> {
        if let Some(claims) = self.lookup_claims(key) {
            return claims;
        }
        let claims = analyze(doc);
        self.store(CLAIMS, key, &claims);
        claims
    }

    /// The claims filed under `key` when that entry is sound, counted as
    /// a document looked up (and served, on a hit); the caller analyses
    /// and stores them otherwise.
    pub fn lookup_claims(&self, key: &str) -> Option<Vec<Claim>> {
        self.counters.documents.fetch_add(1, Ordering::Relaxed);
        let claims = self.lookup(CLAIMS, key)?;
        self.counters
            .documents_cached
            .fetch_add(1, Ordering::Relaxed);
        Some(claims)
    }

    /// Whether a sound claims entry is filed under `key` (its checksum is
    /// checked, its JSON not parsed): then the document need not be
    /// analysed, and [`Cache::cached_claims`] reads the claims if they
    /// are needed after all. Counts the document as a claims lookup.
    pub fn has_claims(&self, key: &str) -> bool {
        self.counters.documents.fetch_add(1, Ordering::Relaxed);
        match self.read_body(CLAIMS, key) {
            Lookup::Hit(_) => {
                self.counters
                    .documents_cached
                    .fetch_add(1, Ordering::Relaxed);
                true
            }
            Lookup::Missing => false,
            Lookup::Bad => {
                self.counters.rebuilt.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    /// The claims of an entry [`Cache::has_claims`] vouched for. It fails
    /// only when the entry changed since (another run rewrote or removed
    /// it): the document's text is gone by then, so that is an error.
    pub fn cached_claims(&self, key: &str) -> Result<Vec<Claim>, String> {
        let path = self.entry_path(CLAIMS, key);
        match self.read(CLAIMS, key) {
            Lookup::Hit(claims) => Ok(claims),
            Lookup::Missing | Lookup::Bad => Err(format!(
                "{}: the cache entry changed during the run (another run writing to the same \
                 cache?); run again",
                path.display()
            )),
        }
    }

    /// The claims filed under `key`, if that entry is there and sound;
    /// an unusable one counts as rebuilt.
    pub fn usable_claims(&self, key: &str) -> Option<Vec<Claim>> {
        self.lookup(CLAIMS, key)
    }

    /// Notes that a document counted as served from the cache was analysed
    /// after all (its remembered record's claims entry was unusable).
    pub fn claims_rebuilt(&self) {
        self.counters
            .documents_cached
            .fetch_sub(1, Ordering::Relaxed);
    }

    /// Files `claims` as the claims of the document keyed `key`.
    pub fn store_claims(&self, key: &str, claims: &[Claim]) {
        self.store(CLAIMS, key, claims);
    }

    /// A story's findings, if its entry is there and sound; `documents` is
    /// how many documents the story holds, for the counts.
    pub fn findings(&self, story_key: &str, documents: usize) -> Option<Vec<Finding>> {
        self.counters.stories.fetch_add(1, Ordering::Relaxed);
        let findings = self.lookup(FINDINGS, story_key)?;
        self.counters.stories_cached.fetch_add(1, Ordering::Relaxed);
        self.counters
            .documents
            .fetch_add(documents, Ordering::Relaxed);
        self.counters
            .documents_cached
            .fetch_add(documents, Ordering::Relaxed);
        Some(findings)
    }

    /// [`Cache::findings`] for a run that counted the story's documents
    /// already, when their claims were looked up.
    pub fn story_findings(&self, story_key: &str) -> Option<Vec<Finding>> {
        self.counters.stories.fetch_add(1, Ordering::Relaxed);
        let findings = self.lookup(FINDINGS, story_key)?;
        self.counters.stories_cached.fetch_add(1, Ordering::Relaxed);
        Some(findings)
    }

    pub fn store_findings(&self, story_key: &str, findings: &[Finding]) {
        self.store(FINDINGS, story_key, findings);
    }

    fn entry_path(&self, kind: &str, key: &str) -> PathBuf {
        let (shard, rest) = key.split_at(2.min(key.len()));
        self.dir.join(kind).join(shard).join(rest)
    }

    fn header(kind: &str, key: &str) -> String {
        format!(
            "{MAGIC} {SCHEMA} {} {kind} {key}\n",
            env!("CARGO_PKG_VERSION")
        )
    }

    fn lookup<T: DeserializeOwned>(&self, kind: &str, key: &str) -> Option<T> {
        match self.read(kind, key) {
            Lookup::Hit(value) => Some(value),
            Lookup::Missing => None,
            Lookup::Bad => {
                self.counters.rebuilt.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    fn read<T: DeserializeOwned>(&self, kind: &str, key: &str) -> Lookup<T> {
        match self.read_body(kind, key) {
            Lookup::Hit(body) => match serde_json::from_slice(&body) {
                Ok(value) => Lookup::Hit(value),
                Err(_) => Lookup::Bad,
            },
            Lookup::Missing => Lookup::Missing,
            Lookup::Bad => Lookup::Bad,
        }
    }

    /// An entry's body, when its header names this build, kind and key and
    /// its checksum matches.
    fn read_body(&self, kind: &str, key: &str) -> Lookup<Vec<u8>> {
        let Ok(mut bytes) = std::fs::read(self.entry_path(kind, key)) else {
            return Lookup::Missing;
        };
        let header = Self::header(kind, key);
        let Some(rest) = bytes.strip_prefix(header.as_bytes()) else {
            return Lookup::Bad;
        };
        // The checksum line: 64 hex digits and a line feed.
        let (Some(sum), Some(body)) = (rest.get(..64), rest.get(65..)) else {
            return Lookup::Bad;
        };
        if rest.get(64) != Some(&b'\n') || blake3::hash(body).to_hex().as_bytes() != sum {
            return Lookup::Bad;
        }
        let start = bytes.len() - body.len();
        bytes.drain(..start);
        Lookup::Hit(bytes)
    }

    fn store<T: Serialize + ?Sized>(&self, kind: &str, key: &str, value: &T) {
        let path = self.entry_path(kind, key);
        if let Err(e) = self.write(&path, kind, key, value) {
            self.counters.write_failures.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut first) = self.first_write_error.lock() {
                first.get_or_insert(format!("{}: {e}", path.display()));
            }
        }
    }

    fn write<T: Serialize + ?Sized>(
        &self,
        path: &Path,
        kind: &str,
        key: &str,
        value: &T,
    ) -> std::io::Result<()> {
        let parent = path.parent().unwrap_or(&self.dir);
        let body = serde_json::to_vec(value)?;
        let mut bytes = Self::header(kind, key).into_bytes();
        bytes.extend_from_slice(blake3::hash(&body).to_hex().as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(&body);
        // Unique per process and write, so parallel writers never share a
        // temporary file; the rename makes the entry appear whole or not
        // at all.
        let temp = parent.join(format!(
            ".{}.{}.tmp",
            self.pid,
            self.counters.temp.fetch_add(1, Ordering::Relaxed)
        ));
        // The shard folder is made on the first write into it, not checked
        // before every write: creating files is the slow part of a cold run.
        let file = match std::fs::File::create(&temp) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(parent)?;
                std::fs::File::create(&temp)
            }
            other => other,
        };
        let written = file.and_then(|mut file| file.write_all(&bytes));
        if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        Ok(())
    }

    pub fn stats(&self) -> Stats {
        let c = &self.counters;
        Stats {
            documents: c.documents.load(Ordering::Relaxed),
            documents_cached: c.documents_cached.load(Ordering::Relaxed),
            stories: c.stories.load(Ordering::Relaxed),
            stories_cached: c.stories_cached.load(Ordering::Relaxed),
            rebuilt: c.rebuilt.load(Ordering::Relaxed),
            write_failures: c.write_failures.load(Ordering::Relaxed),
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
    fn keys_change_with_text_metadata_and_rules() {
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
        let keys = [(base.as_str(), "a.txt")];
        let all = Cache::rules_digest(&rules);
        assert_ne!(
            cache.story_key(&keys, &all),
            cache.story_key(&keys, &Cache::rules_digest(&rules[1..]))
        );
        assert_ne!(
            cache.story_key(&keys, &all),
            cache.story_key(&[keys[0], keys[0]], &all)
        );
        assert_ne!(
            cache.story_key(&keys, &all),
            cache.story_key(&[(base.as_str(), "b.txt")], &all)
        );
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
        let path = cache.entry_path(CLAIMS, &cache.key(&d));
        std::fs::write(&path, b"crosscheck-cache 1 garbage").unwrap();
        assert!(cache.claims(&d, analyzed).is_empty());
        let stats = cache.stats();
        assert_eq!(
            (stats.documents, stats.documents_cached, stats.rebuilt),
            (3, 1, 1)
        );
        // Rewritten whole after the rebuild.
        assert!(std::fs::read(&path)
            .unwrap()
            .starts_with(b"crosscheck-cache"));
        assert!(cache.claims(&d, |_| panic!("rewritten entry")).is_empty());
    }

    #[test]
    fn an_entry_under_another_key_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]).unwrap();
        let (a, b) = (doc("One."), doc("Two."));
        cache.claims(&a, |_| Vec::new());
        std::fs::create_dir_all(cache.entry_path(CLAIMS, &cache.key(&b)).parent().unwrap())
            .unwrap();
        std::fs::copy(
            cache.entry_path(CLAIMS, &cache.key(&a)),
            cache.entry_path(CLAIMS, &cache.key(&b)),
        )
        .unwrap();
        let mut analysed = false;
        cache.claims(&b, |_| {
            analysed = true;
            Vec::new()
        });
        assert!(analysed);
        assert_eq!(cache.stats().rebuilt, 1);
    }

    /// An edit that leaves the JSON valid (a number changed) fails the
    /// checksum: the entry is rebuilt, not read. A sound one is vouched
    /// for without being parsed and then read on demand.
    #[test]
    fn the_checksum_catches_edits_that_keep_the_json_valid() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), &[]).unwrap();
        let d = doc("One.");
        let key = cache.key(&d);
        cache.store(CLAIMS, &key, &Vec::<Claim>::new());
        assert!(cache.has_claims(&key));
        assert!(cache.cached_claims(&key).unwrap().is_empty());
        let path = cache.entry_path(CLAIMS, &key);
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.ends_with(b"[]"));
        let n = bytes.len();
        bytes.splice(n - 2.., b"[ ]".iter().copied());
        std::fs::write(&path, &bytes).unwrap();
        assert!(!cache.has_claims(&key));
        assert!(cache.cached_claims(&key).is_err());
        let stats = cache.stats();
        assert_eq!(
            (stats.documents, stats.documents_cached, stats.rebuilt),
            (2, 1, 1)
        );
    }
}
