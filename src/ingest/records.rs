//! JSON and JSON Lines inputs: one article per object. Field names come from
//! the [`FieldMap`] (`--field NAME=KEY`). A bad record is reported with its
//! line and skipped; the rest of the file is read.

use super::{
    assemble, layout, push_read, push_remembered, Bundle, FieldMap, MetaFields, Options, Skipped,
};
use crate::model::InputFormat;
use flate2::read::MultiGzDecoder;
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Reads a `.json` file holding one object or an array of objects.
pub fn read_json(path: &Path, file_id: &str, text: &str, options: &Options, bundle: &mut Bundle) {
    let shown = path.display().to_string();
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            bundle.skipped.push(Skipped {
                path: format!("{shown}:{}", e.line()),
                reason: format!("invalid JSON: {e}"),
            });
            return;
        }
    };
    match value {
        Value::Object(object) => read_record(
            object,
            &shown,
            file_id,
            None,
            InputFormat::Json,
            options,
            bundle,
            None,
        ),
        Value::Array(items) => {
            for (index, item) in items.into_iter().enumerate() {
                let location = format!("record {}", index + 1);
                match item {
                    Value::Object(object) => read_record(
                        object,
                        &shown,
                        file_id,
                        Some(location),
                        InputFormat::Json,
                        options,
                        bundle,
                        None,
                    ),
                    _ => bundle.skipped.push(Skipped {
                        path: format!("{shown}:{location}"),
                        reason: "record is not a JSON object".into(),
                    }),
                }
            }
        }
        _ => bundle.skipped.push(Skipped {
            path: shown,
            reason: "JSON is neither an object nor an array of objects".into(),
        }),
    }
}

/// Reads a JSON Lines file record by record, so memory stays bounded by the
/// longest line, not the file.
pub fn read_jsonl(path: &Path, file_id: &str, options: &Options, bundle: &mut Bundle) {
    let shown = path.display().to_string();
    match std::fs::File::open(path) {
        Ok(file) => read_lines(
            BufReader::new(file),
            path,
            &shown,
            file_id,
            false,
            options,
            bundle,
        ),
        Err(e) => bundle.skipped.push(Skipped {
            path: shown,
            reason: super::io_reason(&e),
        }),
    }
}

fn open_gz(path: &Path) -> std::io::Result<BufReader<MultiGzDecoder<BufReader<std::fs::File>>>> {
    let file = std::fs::File::open(path)?;
    Ok(BufReader::with_capacity(
        256 * 1024,
        MultiGzDecoder::new(BufReader::new(file)),
    ))
}

/// Reads a gzip-compressed JSON Lines file as a stream. Corrupt or
/// truncated gzip data ends the file there, reported with the line it hit.
pub fn read_jsonl_gz(path: &Path, file_id: &str, options: &Options, bundle: &mut Bundle) {
    let shown = path.display().to_string();
    match open_gz(path) {
        Ok(reader) => read_lines(reader, path, &shown, file_id, true, options, bundle),
        Err(e) => bundle.skipped.push(Skipped {
            path: shown,
            reason: super::io_reason(&e),
        }),
    }
}

/// Reads a `.json.gz`: JSON Lines when its first line is a whole JSON
/// value (as news dumps named `.json.gz` usually are), streamed; else one
/// object or array, decompressed whole up to `--max-bytes`.
pub fn read_json_gz(path: &Path, file_id: &str, options: &Options, bundle: &mut Bundle) {
    let shown = path.display().to_string();
    let fail = |bundle: &mut Bundle, e: &std::io::Error| {
        bundle.skipped.push(Skipped {
            path: shown.clone(),
            reason: if e.kind() == std::io::ErrorKind::NotFound
                || e.kind() == std::io::ErrorKind::PermissionDenied
            {
                super::io_reason(e)
            } else {
                super::gz::describe_error(e)
            },
        })
    };
    let mut reader = match open_gz(path) {
        Ok(reader) => reader,
        Err(e) => return fail(bundle, &e),
    };
    let mut first = Vec::new();
    let cap = usize::try_from(options.max_bytes).unwrap_or(usize::MAX);
    loop {
        first.clear();
        match super::warc::read_line_capped(&mut reader, &mut first, cap) {
            Ok((0, _)) => break,
            Ok(_) if first.trim_ascii().is_empty() => continue,
            Ok(_) => break,
            Err(e) => return fail(bundle, &e),
        }
    }
    let first = first.trim_ascii();
    let lines =
        !first.starts_with(b"[") && serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok();
    drop(reader);
    let reader = match open_gz(path) {
        Ok(reader) => reader,
        Err(e) => return fail(bundle, &e),
    };
    if lines {
        return read_lines(reader, path, &shown, file_id, true, options, bundle);
    }
    let mut bytes = Vec::new();
    if let Err(e) = reader
        .take(options.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return fail(bundle, &e);
    }
    if bytes.len() as u64 > options.max_bytes {
        bundle.skipped.push(Skipped {
            path: shown,
            reason: format!(
                "larger than --max-bytes when decompressed ({} bytes)",
                options.max_bytes
            ),
        });
        return;
    }
    match super::decode::decode(&bytes, super::decode::Fallback::Windows1252) {
        super::decode::Decoded::Text { text, .. } => {
            read_json(path, file_id, &text, options, bundle)
        }
        super::decode::Decoded::Skip(reason) => bundle.skipped.push(Skipped {
            path: shown,
            reason,
        }),
    }
}

/// One record per line from any reader; `gzip` words read errors as
/// damaged compressed data.
fn read_lines(
    mut reader: impl BufRead,
    path: &Path,
    shown: &str,
    file_id: &str,
    gzip: bool,
    options: &Options,
    bundle: &mut Bundle,
) {
    let before = super::taken(bundle, options);
    // Records are remembered only for a streamed read: a kept bundle
    // needs every document whole.
    let memo = match (&options.memo, &options.sink) {
        (Some(cache), Some(_)) => {
            let settings = format!(
                "{:?} {:?} {:?}",
                options.fields, options.group_by, options.published
            );
            let scope = cache.record_scope(&[shown, file_id, "jsonl", &settings]);
            let file = std::sync::Arc::new(RecordFile {
                path: path.to_path_buf(),
                shown: shown.to_string(),
                file_id: file_id.to_string(),
                gzip,
                scope,
                options: Options {
                    progress: None,
                    sink: None,
                    memo: None,
                    ..options.clone()
                },
            });
            Some((cache, file))
        }
        _ => None,
    };
    let mut buffer = Vec::new();
    let mut line_number = 0usize;
    // Where the next line starts in the (decompressed) file.
    let mut offset = 0u64;
    // A longer line is cut here and skipped, so one huge line (or a
    // decompression bomb without newlines) cannot fill the memory.
    let cap = usize::try_from(options.max_bytes.saturating_add(1)).unwrap_or(usize::MAX);
    loop {
        buffer.clear();
        let line_offset = offset;
        let cut = match super::warc::read_line_capped(&mut reader, &mut buffer, cap) {
            Ok((0, _)) => break,
            Ok((consumed, cut)) => {
                offset += consumed as u64;
                cut
            }
            Err(e) => {
                let reason = if gzip {
                    format!(
                        "{}; the rest of the file is not read",
                        super::gz::describe_error(&e)
                    )
                } else {
                    format!("cannot read: {e}")
                };
                bundle.skipped.push(Skipped {
                    path: format!("{shown}:{}", line_number + 1),
                    reason,
                });
                break;
            }
        };
        line_number += 1;
        let location = format!("{shown}:{line_number}");
        let mut bytes = buffer.as_slice();
        if line_number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if cut || bytes.len() as u64 > options.max_bytes {
            bundle.skipped.push(Skipped {
                path: location,
                reason: format!(
                    "record larger than --max-bytes ({} bytes)",
                    options.max_bytes
                ),
            });
            continue;
        }
        let Ok(line) = std::str::from_utf8(bytes) else {
            bundle.skipped.push(Skipped {
                path: location,
                reason: "record is not valid UTF-8".into(),
            });
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let record = memo
            .as_ref()
            .map(|(cache, file)| cache.record_key(&file.scope, line_number, bytes));
        if let (Some((cache, file)), Some(key)) = (&memo, &record) {
            if let Some((doc, claims)) = cache.recall_record(key) {
                let source = RecordSource {
                    file: file.clone(),
                    offset: line_offset,
                    line_number,
                    key: key.clone(),
                };
                push_remembered(bundle, doc, claims, source, options);
                continue;
            }
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => read_record(
                object,
                shown,
                file_id,
                Some(format!("line {line_number}")),
                InputFormat::Jsonl,
                options,
                bundle,
                record,
            ),
            Ok(_) => bundle.skipped.push(Skipped {
                path: location,
                reason: "record is not a JSON object".into(),
            }),
            Err(e) => bundle.skipped.push(Skipped {
                path: location,
                reason: format!("invalid JSON: {e}"),
            }),
        }
    }
    if super::taken(bundle, options) == before {
        bundle.skipped.push(Skipped {
            path: shown.to_string(),
            reason: "no records (empty or blank file)".into(),
        });
    }
}

/// A JSON Lines file whose records a streamed read remembers, with what
/// reading one of them again takes.
#[derive(Debug)]
pub struct RecordFile {
    path: std::path::PathBuf,
    shown: String,
    file_id: String,
    gzip: bool,
    scope: crate::cache::RecordScope,
    /// The reading settings, without sink, memo or progress.
    options: Options,
}

/// Where a remembered record was read: enough to read it again when its
/// claims entry turns out unusable once they are needed.
#[derive(Debug, Clone)]
pub struct RecordSource {
    file: std::sync::Arc<RecordFile>,
    /// Of the line, in the decompressed file.
    offset: u64,
    line_number: usize,
    /// The record's key, which the line read again must still match.
    key: String,
}

impl RecordSource {
    /// The record's document, whole, read again from its file. Fails when
    /// the file no longer holds the same line there.
    pub fn reread(&self, cache: &crate::cache::Cache) -> Result<crate::model::Document, String> {
        let file = &*self.file;
        let place = format!("{}:{}", file.shown, self.line_number);
        let changed = || format!("{place}: the record changed during the run; run again");
        let mut reader: Box<dyn BufRead> = if file.gzip {
            Box::new(open_gz(&file.path).map_err(|e| format!("{place}: {e}"))?)
        } else {
            let opened = std::fs::File::open(&file.path).map_err(|e| format!("{place}: {e}"))?;
            Box::new(BufReader::new(opened))
        };
        let skipped = std::io::copy(&mut (&mut reader).take(self.offset), &mut std::io::sink())
            .map_err(|e| format!("{place}: {e}"))?;
        if skipped != self.offset {
            return Err(changed());
        }
        let mut buffer = Vec::new();
        let cap = usize::try_from(file.options.max_bytes.saturating_add(1)).unwrap_or(usize::MAX);
        super::warc::read_line_capped(&mut reader, &mut buffer, cap)
            .map_err(|e| format!("{place}: {e}"))?;
        let mut bytes = buffer.as_slice();
        if self.line_number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if cache.record_key(&file.scope, self.line_number, bytes) != self.key {
            return Err(changed());
        }
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(bytes) else {
            return Err(changed());
        };
        let mut bundle = Bundle::default();
        read_record(
            object,
            &file.shown,
            &file.file_id,
            Some(format!("line {}", self.line_number)),
            InputFormat::Jsonl,
            &file.options,
            &mut bundle,
            None,
        );
        let mut doc = bundle.documents.pop().ok_or_else(changed)?;
        for (target, date) in &file.options.published {
            super::apply_published(&mut doc, target, *date);
        }
        Ok(doc)
    }
}

fn field<'a>(object: &'a Map<String, Value>, names: &[String]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|name| object.get(name).filter(|v| !v.is_null()))
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One record's document, sent with the key `record` to remember it by.
#[allow(clippy::too_many_arguments)]
fn read_record(
    object: Map<String, Value>,
    shown: &str,
    file_id: &str,
    location: Option<String>,
    format: InputFormat,
    options: &Options,
    bundle: &mut Bundle,
    record: Option<String>,
) {
    let fields: &FieldMap = &options.fields;
    let place = match &location {
        Some(loc) => format!("{shown}:{}", loc.trim_start_matches("line ")),
        None => shown.to_string(),
    };
    let text = match field(&object, &fields.text) {
        Some(Value::String(text)) => text.clone(),
        Some(_) => {
            bundle.skipped.push(Skipped {
                path: place,
                reason: format!("record field {:?} is not a string", fields.text.join("|")),
            });
            return;
        }
        None => {
            bundle.skipped.push(Skipped {
                path: place,
                reason: format!(
                    "record has no text field (looked for {}; map another with --field text=KEY)",
                    fields.text.join(", ")
                ),
            });
            return;
        }
    };
    if text.trim().is_empty() {
        bundle.skipped.push(Skipped {
            path: place,
            reason: "record text is empty".into(),
        });
        return;
    }
    let record_id = field(&object, &fields.id)
        .and_then(scalar)
        .or_else(|| location.clone())
        .unwrap_or_default();
    let id = if record_id.is_empty() {
        file_id.to_string()
    } else {
        format!("{file_id}#{record_id}")
    };
    let mut meta = MetaFields {
        source: field(&object, &fields.source).and_then(scalar),
        title: field(&object, &fields.title).and_then(scalar),
        url: field(&object, &fields.url).and_then(scalar),
        ..MetaFields::default()
    };
    if let Some(raw) = field(&object, &fields.published).and_then(scalar) {
        match super::dates::parse_metadata_date(&raw) {
            Some(date) => meta.published = Some((date, raw)),
            None => meta
                .warnings
                .push(format!("record published {raw:?} is not a date; ignored")),
        }
    }
    let layout = layout::lay_out(&text, 0, meta.title.is_none());
    let mut doc = assemble(
        &id,
        &place,
        format,
        text,
        layout.blocks,
        meta,
        layout.detected,
    );
    if let Some(field_name) = &options.group_by {
        doc.group = object.get(field_name).and_then(scalar);
        if doc.group.is_none() {
            doc.warnings
                .push(format!("record has no {field_name:?} field to group by"));
        }
    }
    push_read(bundle, Some(doc), None, &place, options, record);
}
