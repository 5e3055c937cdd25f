//! Stage 1: read files, folders, JSON/JSONL records and stdin into
//! [`Document`]s.
//!
//! Input: paths from the command line. Output: a [`Bundle`] that accounts
//! for every document as read or skipped with a reason. Bad input never
//! stops the run: it is named, counted and skipped.

pub mod boilerplate;
pub mod dates;
pub mod decode;
pub mod frontmatter;
pub mod gz;
pub mod html;
pub mod layout;
pub mod manifest;
pub mod records;
pub mod warc;

use crate::model::{Block, BlockKind, Document, InputFormat, Provenance};
use chrono::NaiveDate;
use decode::{decode, Decoded, Fallback};
use manifest::{DocumentMeta, Manifest, MANIFEST_NAME};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Default limit on one input file's size (50 MB).
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// Which record fields hold which document property: each property lists
/// field names tried in order (the first present wins).
#[derive(Debug, Clone)]
pub struct FieldMap {
    pub id: Vec<String>,
    pub source: Vec<String>,
    pub url: Vec<String>,
    pub title: Vec<String>,
    pub published: Vec<String>,
    pub text: Vec<String>,
}

impl Default for FieldMap {
    fn default() -> Self {
        let list = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        FieldMap {
            id: list(&["id", "doc_id", "article_id", "uuid"]),
            source: list(&["source", "outlet", "publisher", "site_name", "site"]),
            url: list(&["url", "uri", "link"]),
            title: list(&["title", "headline"]),
            published: list(&[
                "published",
                "date",
                "published_at",
                "datePublished",
                "publish_date",
                "dct",
            ]),
            text: list(&["text", "body", "content"]),
        }
    }
}

impl FieldMap {
    /// Applies `--field NAME=KEY`: the property NAME is read from KEY only.
    pub fn set(&mut self, name: &str, key: &str) -> Result<(), String> {
        let slot = match name {
            "id" => &mut self.id,
            "source" => &mut self.source,
            "url" => &mut self.url,
            "title" => &mut self.title,
            "published" => &mut self.published,
            "text" => &mut self.text,
            other => {
                return Err(format!(
                "unknown field {other:?}: expected one of id, source, url, title, published, text"
            ))
            }
        };
        *slot = vec![key.to_string()];
        Ok(())
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct Options {
    pub max_bytes: u64,
    /// `--published FILE=DATE`: FILE matches a document id, its path or its
    /// file name.
    pub published: Vec<(String, NaiveDate)>,
    pub fields: FieldMap,
    /// `--group-by FIELD`: the record field naming each document's story.
    pub group_by: Option<String>,
    /// Told of every document read.
    pub progress: Option<crate::progress::Progress>,
    /// Takes each document as it is read instead of [`Bundle::documents`].
    pub sink: Option<Sink>,
    /// With a sink: JSON Lines records seen by an earlier run (`--cache`)
    /// are sent as [`Streamed::Remembered`], neither parsed nor laid out,
    /// and the others carry the key to remember them by.
    pub memo: Option<std::sync::Arc<crate::cache::Cache>>,
}

/// What a [`Sink`] receives.
#[derive(Debug)]
pub enum Streamed {
    /// A document as read; `record` is the key of its `records/` cache
    /// entry, for the checker to file once it has the claims.
    Read {
        doc: Document,
        record: Option<String>,
    },
    /// A record an earlier run read and analysed: its document without the
    /// text, the key of its claims entry (not yet checked: only a story
    /// that is not cached needs it) and where to read it again if that
    /// entry is unusable.
    Remembered {
        doc: Document,
        claims: String,
        source: records::RecordSource,
    },
}

impl Streamed {
    pub fn document(&self) -> &Document {
        match self {
            Streamed::Read { doc, .. } | Streamed::Remembered { doc, .. } => doc,
        }
    }

    pub fn into_document(self) -> Document {
        match self {
            Streamed::Read { doc, .. } | Streamed::Remembered { doc, .. } => doc,
        }
    }
}

/// Where a streamed read sends its documents (see [`Options::sink`]): each
/// one with `--published` applied and its warnings already copied into the
/// bundle, but with its id not yet made unique, which needs every document
/// (see [`settle_ids`]). Called on the reading thread, in reading order.
#[derive(Clone)]
pub struct Sink {
    send: std::sync::Arc<dyn Fn(Streamed) + Send + Sync>,
    state: std::sync::Arc<SinkState>,
}

#[derive(Default)]
struct SinkState {
    sent: std::sync::atomic::AtomicUsize,
    /// Which `--published` targets named a streamed document.
    matched: std::sync::Mutex<BTreeSet<usize>>,
    /// The ids a folder's manifest names, and those of them streamed, for
    /// the manifest's unused entries.
    named: std::sync::Mutex<(BTreeSet<String>, BTreeSet<String>)>,
}

impl Sink {
    pub fn new(send: impl Fn(Document) + Send + Sync + 'static) -> Sink {
        Sink::streamed_to(move |item: Streamed| send(item.into_document()))
    }

    /// A sink that tells read documents from remembered ones (see
    /// [`Options::memo`]).
    pub fn streamed_to(send: impl Fn(Streamed) + Send + Sync + 'static) -> Sink {
        Sink {
            send: std::sync::Arc::new(send),
            state: std::sync::Arc::default(),
        }
    }

    fn sent(&self) -> usize {
        self.state.sent.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Starts noting which of these ids are streamed.
    fn watch(&self, ids: impl Iterator<Item = String>) {
        if let Ok(mut named) = self.state.named.lock() {
            named.0.extend(ids);
        }
    }

    fn streamed(&self, id: &str) -> bool {
        self.state
            .named
            .lock()
            .is_ok_and(|named| named.1.contains(id))
    }

    fn matched(&self, target: usize) -> bool {
        self.state
            .matched
            .lock()
            .is_ok_and(|matched| matched.contains(&target))
    }
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sink(..)")
    }
}

/// Documents read so far, kept or streamed, with the inputs skipped: a file
/// that adds nothing to it yielded nothing.
fn taken(bundle: &Bundle, options: &Options) -> usize {
    bundle.documents.len() + bundle.skipped.len() + options.sink.as_ref().map_or(0, Sink::sent)
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
            published: Vec::new(),
            fields: FieldMap::default(),
            group_by: None,
            progress: None,
            sink: None,
            memo: None,
        }
    }
}

/// An input that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Skipped {
    /// The file, with `:line` for a record of a JSONL file.
    pub path: String,
    pub reason: String,
}

/// A note about an input that was read anyway.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

/// Everything read from the inputs.
#[derive(Debug, Default, Serialize)]
pub struct Bundle {
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    /// Paths that do not exist or bundle manifests that do not parse: the
    /// run goes on but ends with the input-error exit code.
    pub errors: Vec<String>,
    /// Facts about the inputs that are neither documents nor problems
    /// (e.g. WARC records that are not pages), for stderr.
    pub notes: Vec<String>,
}

/// Reads every path: files, folders (recursively, sorted, hidden entries
/// skipped) and `-` for one document from stdin.
pub fn read_paths(paths: &[PathBuf], options: &Options) -> Bundle {
    let mut bundle = Bundle::default();
    for path in paths {
        if path.as_os_str() == "-" {
            read_stdin(&mut bundle, options);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bundle
                    .errors
                    .push(format!("{}: no such file or folder", path.display()));
            }
            Err(e) => bundle.skipped.push(Skipped {
                path: path.display().to_string(),
                reason: io_reason(&e),
            }),
            Ok(meta) if meta.is_dir() => read_folder(path, options, &mut bundle),
            Ok(_) => {
                let id = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                read_file(path, &id, None, options, &mut bundle);
            }
        }
    }
    finish(&mut bundle, options);
    bundle
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn read_folder(root: &Path, options: &Options, bundle: &mut Bundle) {
    let manifest = match Manifest::load(root) {
        Ok(manifest) => manifest,
        Err(message) => {
            bundle.errors.push(message);
            Manifest::default()
        }
    };
    let before = taken(bundle, options);
    if let Some(sink) = &options.sink {
        sink.watch(manifest.documents.keys().cloned());
    }
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string());
                let reason = if e.loop_ancestor().is_some() {
                    "symlink loop, not followed".to_string()
                } else if let Some(io) = e.io_error() {
                    io_reason(io)
                } else {
                    e.to_string()
                };
                bundle.skipped.push(Skipped { path, reason });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path);
        if relative == Path::new(MANIFEST_NAME) {
            continue;
        }
        let id = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let meta = manifest.documents.get(&id);
        read_file(path, &id, meta, options, bundle);
    }
    for unused in manifest.documents.keys() {
        if !bundle.documents.iter().any(|d| &d.id == unused)
            && !options.sink.as_ref().is_some_and(|s| s.streamed(unused))
            && !bundle
                .skipped
                .iter()
                .any(|s| s.path.ends_with(unused.as_str()))
        {
            bundle.warnings.push(Warning {
                path: root.join(MANIFEST_NAME).display().to_string(),
                message: format!("[documents.{unused:?}] names no file in the folder"),
            });
        }
    }
    if taken(bundle, options) == before {
        bundle
            .errors
            .push(format!("{}: no documents in this folder", root.display()));
    }
}

fn read_stdin(bundle: &mut Bundle, options: &Options) {
    let mut bytes = Vec::new();
    let limit = options.max_bytes.saturating_add(1);
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
        bundle.skipped.push(Skipped {
            path: "-".into(),
            reason: format!("cannot read stdin: {e}"),
        });
        return;
    }
    if bytes.len() as u64 > options.max_bytes {
        bundle.skipped.push(Skipped {
            path: "-".into(),
            reason: format!("larger than --max-bytes ({} bytes)", options.max_bytes),
        });
        return;
    }
    let (text, warning) = match decode(&bytes, Fallback::Windows1252) {
        Decoded::Text { text, warning } => (text, warning),
        Decoded::Skip(reason) => {
            bundle.skipped.push(Skipped {
                path: "-".into(),
                reason,
            });
            return;
        }
    };
    let head = text
        .get(..text.len().min(1024))
        .unwrap_or("")
        .to_ascii_lowercase();
    let doc = if head.trim_start().starts_with('<')
        && (head.contains("<html") || head.contains("<!doctype html"))
    {
        html_document("stdin", "-", &text, None)
    } else {
        Some(text_document("stdin", "-", InputFormat::Stdin, text, None))
    };
    push_document(bundle, doc, warning, "-", options);
}

fn format_of(path: &Path) -> Option<InputFormat> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" => InputFormat::Text,
        "md" | "markdown" => InputFormat::Markdown,
        "html" | "htm" | "xhtml" => InputFormat::Html,
        "json" => InputFormat::Json,
        "jsonl" | "ndjson" => InputFormat::Jsonl,
        _ => return None,
    })
}

/// Inputs read as a stream of records rather than as one text.
enum Archive {
    JsonLinesGz,
    JsonGz,
    Warc { gzip: bool },
}

fn archive_of(path: &Path) -> Option<Archive> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    Some(
        if name.ends_with(".jsonl.gz") || name.ends_with(".ndjson.gz") {
            Archive::JsonLinesGz
        } else if name.ends_with(".json.gz") {
            Archive::JsonGz
        } else if name.ends_with(".warc.gz") {
            Archive::Warc { gzip: true }
        } else if name.ends_with(".warc") {
            Archive::Warc { gzip: false }
        } else {
            return None;
        },
    )
}

fn read_file(
    path: &Path,
    id: &str,
    meta: Option<&DocumentMeta>,
    options: &Options,
    bundle: &mut Bundle,
) {
    let shown = path.display().to_string();
    if let Some(archive) = archive_of(path) {
        match archive {
            Archive::JsonLinesGz => records::read_jsonl_gz(path, id, options, bundle),
            Archive::JsonGz => records::read_json_gz(path, id, options, bundle),
            Archive::Warc { gzip } => warc::read_warc(path, id, gzip, options, bundle),
        }
        return;
    }
    let format = format_of(path);
    if format == Some(InputFormat::Jsonl) {
        records::read_jsonl(path, id, options, bundle);
        return;
    }
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            bundle.skipped.push(Skipped {
                path: shown,
                reason: io_reason(&e),
            });
            return;
        }
    };
    if size > options.max_bytes {
        bundle.skipped.push(Skipped {
            path: shown,
            reason: format!(
                "larger than --max-bytes ({size} bytes > {} bytes)",
                options.max_bytes
            ),
        });
        return;
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            bundle.skipped.push(Skipped {
                path: shown,
                reason: io_reason(&e),
            });
            return;
        }
    };
    let fallback = if format.is_some() {
        Fallback::Windows1252
    } else {
        Fallback::Skip
    };
    let (text, warning) = match decode(&bytes, fallback) {
        Decoded::Text { text, warning } => (text, warning),
        Decoded::Skip(mut reason) => {
            if format.is_none() {
                if let Some(ext) = path.extension() {
                    reason = format!(
                        "{reason}; .{} is not a known input type",
                        ext.to_string_lossy()
                    );
                }
            }
            bundle.skipped.push(Skipped {
                path: shown,
                reason,
            });
            return;
        }
    };
    match format.unwrap_or(InputFormat::Text) {
        InputFormat::Json => records::read_json(path, id, &text, options, bundle),
        InputFormat::Html => {
            let doc = html_document(id, &shown, &text, meta);
            push_document(bundle, doc, warning, &shown, options);
        }
        format => {
            let mut doc = text_document(id, &shown, format, text, meta);
            if let Some(w) = warning {
                doc.warnings.push(w);
            }
            push_document(bundle, Some(doc), None, &shown, options);
        }
    }
}

fn push_document(
    bundle: &mut Bundle,
    doc: Option<Document>,
    warning: Option<String>,
    shown: &str,
    options: &Options,
) {
    push_read(bundle, doc, warning, shown, options, None)
}

/// [`push_document`] for a record to be remembered under `record`.
fn push_read(
    bundle: &mut Bundle,
    doc: Option<Document>,
    warning: Option<String>,
    shown: &str,
    options: &Options,
    record: Option<String>,
) {
    match doc {
        Some(mut doc) => {
            if let Some(w) = warning {
                doc.warnings.push(w);
            }
            if doc.body_ranges().next().is_none() {
                bundle.skipped.push(Skipped {
                    path: shown.to_string(),
                    reason: "no article text (only headline, metadata or boilerplate)".into(),
                });
                return;
            }
            if let Some(sink) = &options.sink {
                send(bundle, sink, doc, options, |doc| Streamed::Read {
                    doc,
                    record,
                });
                return;
            }
            bundle.documents.push(doc);
            if let Some(progress) = &options.progress {
                progress.emit(crate::progress::Event::Read);
            }
        }
        None => bundle.skipped.push(Skipped {
            path: shown.to_string(),
            reason: "no article text in the HTML".into(),
        }),
    }
}

/// Sends a read or remembered document down the sink, with the
/// bookkeeping a kept one gets in [`finish`]: `--published`, the manifest's
/// names, its warnings, the counts.
fn send(
    bundle: &mut Bundle,
    sink: &Sink,
    mut doc: Document,
    options: &Options,
    wrap: impl FnOnce(Document) -> Streamed,
) {
    for (i, (target, date)) in options.published.iter().enumerate() {
        if apply_published(&mut doc, target, *date) {
            if let Ok(mut matched) = sink.state.matched.lock() {
                matched.insert(i);
            }
        }
    }
    if let Ok(mut named) = sink.state.named.lock() {
        if named.0.contains(&doc.id) {
            named.1.insert(doc.id.clone());
        }
    }
    for message in &doc.warnings {
        bundle.warnings.push(Warning {
            path: doc.path.clone(),
            message: message.clone(),
        });
    }
    sink.state
        .sent
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Some(progress) = &options.progress {
        progress.emit(crate::progress::Event::Read);
    }
    (sink.send)(wrap(doc));
}

/// Streams a record remembered by the cache (see [`Options::memo`]).
fn push_remembered(
    bundle: &mut Bundle,
    doc: Document,
    claims: String,
    source: records::RecordSource,
    options: &Options,
) {
    if let Some(sink) = &options.sink {
        send(bundle, sink, doc, options, |doc| Streamed::Remembered {
            doc,
            claims,
            source,
        });
    }
}

/// Metadata gathered from the strongest source first.
#[derive(Debug, Default)]
struct MetaFields {
    source: Option<String>,
    title: Option<String>,
    url: Option<String>,
    published: Option<(NaiveDate, String)>,
    warnings: Vec<String>,
}

impl MetaFields {
    fn from_manifest(meta: Option<&DocumentMeta>) -> Self {
        let mut fields = MetaFields::default();
        if let Some(meta) = meta {
            fields.source = meta.source.clone();
            fields.title = meta.title.clone();
            fields.url = meta.url.clone();
            fields.published = meta.published.map(|d| (d, d.to_string()));
        }
        fields
    }

    /// Fills what is still missing from `map` (front matter or a record).
    fn fill_from(&mut self, map: &BTreeMap<String, String>, where_: &str) {
        let get = |names: &[&str]| names.iter().find_map(|n| map.get(*n)).cloned();
        if self.source.is_none() {
            self.source = get(&["source", "outlet", "publisher", "site"]);
        }
        if self.title.is_none() {
            self.title = get(&["title", "headline"]);
        }
        if self.url.is_none() {
            self.url = get(&["url", "link", "uri"]);
        }
        if self.published.is_none() {
            if let Some(raw) = get(&["published", "date", "published_at", "pubdate"]) {
                match dates::parse_metadata_date(&raw) {
                    Some(date) => self.published = Some((date, raw)),
                    None => self
                        .warnings
                        .push(format!("{where_} published {raw:?} is not a date; ignored")),
                }
            }
        }
    }
}

fn text_document(
    id: &str,
    shown: &str,
    format: InputFormat,
    text: String,
    meta: Option<&DocumentMeta>,
) -> Document {
    let mut fields = MetaFields::from_manifest(meta);
    let mut blocks = Vec::new();
    let mut body_start = 0;
    match frontmatter::parse(&text) {
        frontmatter::Parsed::None => {}
        frontmatter::Parsed::Found(fm) => {
            fields.fill_from(&fm.fields, "front matter:");
            body_start = fm.len;
            let end = text[..fm.len].trim_end().len();
            blocks.push(Block {
                start: 0,
                end,
                kind: BlockKind::FrontMatter,
            });
        }
        frontmatter::Parsed::Unclosed { fence } => fields.warnings.push(format!(
            "front matter opened with {fence:?} on line 1 never closes; read as plain text"
        )),
        frontmatter::Parsed::Invalid { line, message } => fields.warnings.push(format!(
            "line {line}: front matter is not valid TOML ({message}); read as plain text"
        )),
    }
    // With the headline given in front matter, the text starts with the
    // article; only datelines and furniture are still looked for.
    let detect_header = fields.title.is_none() || fields.published.is_none();
    let layout = layout::lay_out(&text, body_start, detect_header);
    blocks.extend(layout.blocks);
    assemble(id, shown, format, text, blocks, fields, layout.detected)
}

fn html_document(
    id: &str,
    shown: &str,
    html: &str,
    meta: Option<&DocumentMeta>,
) -> Option<Document> {
    let article = html::extract_article(html);
    if article.text.trim().is_empty() {
        return None;
    }
    let mut fields = MetaFields::from_manifest(meta);
    let mut map = BTreeMap::new();
    for (key, value) in [
        ("title", &article.title),
        ("source", &article.site_name),
        ("url", &article.url),
        ("published", &article.published),
    ] {
        if let Some(value) = value {
            map.insert(key.to_string(), value.clone());
        }
    }
    fields.fill_from(&map, "HTML meta:");
    let text = article.text;
    let mut layout = layout::lay_out(
        &text,
        0,
        fields.title.is_none() || fields.published.is_none(),
    );
    mark_headline(&text, &mut layout.blocks, fields.title.as_deref());
    let mut doc = assemble(
        id,
        shown,
        InputFormat::Html,
        text,
        layout.blocks,
        fields,
        layout.detected,
    );
    if let (Provenance::Metadata, Some(field)) = (doc.published_from, article.published_field) {
        if let Some(raw) = &doc.published_text {
            doc.published_text = Some(format!("{raw} ({field})"));
        }
    }
    Some(doc)
}

/// The page's headline opens the extracted text; it is the title, not a
/// sentence of the article.
fn mark_headline(text: &str, blocks: &mut [Block], title: Option<&str>) {
    let Some(title) = title else { return };
    let Some(first) = blocks.iter_mut().find(|b| b.kind == BlockKind::Body) else {
        return;
    };
    let Some(line) = text.get(first.range()) else {
        return;
    };
    if line.contains('\n') || line.trim_end().ends_with(['.', '!', '?']) {
        return;
    }
    let (a, b) = (line.trim().to_lowercase(), title.trim().to_lowercase());
    if a.starts_with(&b) || b.starts_with(&a) || strsim::jaro_winkler(&a, &b) >= 0.9 {
        first.kind = BlockKind::Title;
    }
}

fn assemble(
    id: &str,
    shown: &str,
    format: InputFormat,
    text: String,
    blocks: Vec<Block>,
    fields: MetaFields,
    detected: layout::Detected,
) -> Document {
    let (published, published_from, published_text) = match (fields.published, detected.published) {
        (Some((date, raw)), _) => (Some(date), Provenance::Metadata, Some(raw)),
        (None, Some(date)) => (Some(date), Provenance::Dateline, detected.published_text),
        (None, None) => (None, Provenance::None, None),
    };
    let mut warnings = fields.warnings;
    warnings.extend(detected.warnings);
    Document {
        id: id.to_string(),
        path: shown.to_string(),
        format,
        source: fields.source.or(detected.source),
        title: fields.title.or(detected.title),
        url: fields.url,
        published,
        published_from,
        published_text,
        text,
        blocks,
        warnings,
        group: None,
    }
}

/// Applies `--published` overrides, makes ids unique and sorts everything so
/// output does not depend on argument order.
fn finish(bundle: &mut Bundle, options: &Options) {
    for (i, (target, date)) in options.published.iter().enumerate() {
        let mut matched = options.sink.as_ref().is_some_and(|s| s.matched(i));
        for doc in &mut bundle.documents {
            matched |= apply_published(doc, target, *date);
        }
        if !matched {
            bundle.warnings.push(Warning {
                path: target.clone(),
                message: "--published names no document that was read".into(),
            });
        }
    }
    for doc in &bundle.documents {
        for message in &doc.warnings {
            bundle.warnings.push(Warning {
                path: doc.path.clone(),
                message: message.clone(),
            });
        }
    }
    settle_ids(&mut bundle.documents);
    bundle.skipped.sort();
    bundle.skipped.dedup();
    bundle.warnings.sort();
    bundle.warnings.dedup();
    bundle.errors.sort();
    bundle.errors.dedup();
    bundle.notes.sort();
}

/// `--published FILE=DATE` on one document, if FILE names it (its id, path
/// or file name); whether it did.
fn apply_published(doc: &mut Document, target: &str, date: NaiveDate) -> bool {
    let file_name = Path::new(&doc.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    if doc.id != target && doc.path != target && file_name.as_deref() != Some(target) {
        return false;
    }
    doc.published = Some(date);
    doc.published_from = Provenance::Metadata;
    doc.published_text = Some(format!("--published {target}={date}"));
    true
}

/// Something that carries a read document, for [`settle_ids`].
pub trait HasDocument {
    fn document(&self) -> &Document;
    fn document_mut(&mut self) -> &mut Document;
}

impl HasDocument for Document {
    fn document(&self) -> &Document {
        self
    }
    fn document_mut(&mut self) -> &mut Document {
        self
    }
}

/// Makes ids unique (an id read more than once becomes each document's
/// path) and sorts by id and path, so output does not depend on argument
/// order. A read with [`Options::sink`] leaves this to the caller, once it
/// holds every document.
pub fn settle_ids<T: HasDocument>(items: &mut [T]) {
    let order = |a: &T, b: &T| {
        let (a, b) = (a.document(), b.document());
        (&a.id, &a.path).cmp(&(&b.id, &b.path))
    };
    items.sort_by(order);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items.iter() {
        *counts.entry(item.document().id.as_str()).or_default() += 1;
    }
    let shared: BTreeSet<String> = counts
        .into_iter()
        .filter(|&(_, n)| n > 1)
        .map(|(id, _)| id.to_string())
        .collect();
    if shared.is_empty() {
        return;
    }
    for item in items.iter_mut() {
        let doc = item.document_mut();
        if shared.contains(&doc.id) {
            doc.id = doc.path.clone();
        }
    }
    items.sort_by(order);
}
