//! Archive inputs (`.jsonl.gz`, `.json.gz`, `.warc`, `.warc.gz`), the
//! progress display and `--cache`. Fixtures are built here, in temporary
//! folders, rather than committed as binaries.

use flate2::write::GzEncoder;
use flate2::Compression;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod common;
use common::crosscheck;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn record_line(id: &str, text: &str) -> String {
    serde_json::json!({
        "id": id,
        "title": format!("Story {id}"),
        "published": "2025-03-04",
        "text": text,
    })
    .to_string()
}

/// One record per text, with the ids n0, n1, ... in order.
fn numbered_records(texts: &[&str]) -> Vec<String> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| record_line(&format!("n{i}"), t))
        .collect()
}

const TEXT_A: &str =
    "Officials said 12 people were injured in the fire on Monday. The mayor spoke on Tuesday.";
const TEXT_B: &str =
    "Officials said 14 people were injured in the fire on Monday. Crews stayed overnight.";

/// `dump documents --format json` of PATHS: (stdout documents, stderr).
fn documents(paths: &[&Path]) -> (Vec<Value>, String) {
    let output = crosscheck()
        .args(["dump", "documents", "--format", "json"])
        .args(paths)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let docs = match serde_json::from_str::<Value>(&stdout) {
        Ok(Value::Array(docs)) => docs,
        Ok(Value::Object(mut o)) => match o.remove("documents") {
            Some(Value::Array(docs)) => docs,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    (docs, stderr)
}

fn body(doc: &Value) -> String {
    doc.get("body")
        .and_then(Value::as_array)
        .map(|lines| {
            lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

fn field<'a>(doc: &'a Value, name: &str) -> &'a str {
    doc.get(name).and_then(Value::as_str).unwrap_or("")
}

#[test]
fn gzipped_json_lines_are_streamed_record_by_record() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("archive.jsonl.gz");
    let lines = format!(
        "{}\n{{not json\n{}\n",
        record_line("a", TEXT_A),
        record_line("b", TEXT_B)
    );
    fs::write(&path, gzip(lines.as_bytes())).expect("write");
    let (docs, stderr) = documents(&[&path]);
    let ids: Vec<&str> = docs.iter().map(|d| field(d, "id")).collect();
    assert_eq!(ids, ["archive.jsonl.gz#a", "archive.jsonl.gz#b"]);
    assert!(
        stderr.contains("archive.jsonl.gz:2: invalid JSON"),
        "{stderr}"
    );
    assert!(stderr.contains("2 documents read, 1 skipped"), "{stderr}");
}

#[test]
fn json_gz_holds_lines_or_one_array() {
    let dir = TempDir::new().expect("temp dir");
    let lines = dir.path().join("lines.json.gz");
    let text = format!(
        "{}\n{}\n",
        record_line("a", TEXT_A),
        record_line("b", TEXT_B)
    );
    fs::write(&lines, gzip(text.as_bytes())).expect("write");
    let array = dir.path().join("array.json.gz");
    let text = format!(
        "[\n  {},\n  {}\n]\n",
        record_line("c", TEXT_A),
        record_line("d", TEXT_B)
    );
    fs::write(&array, gzip(text.as_bytes())).expect("write");
    let (docs, stderr) = documents(&[&lines, &array]);
    let ids: Vec<&str> = docs.iter().map(|d| field(d, "id")).collect();
    assert_eq!(
        ids,
        [
            "array.json.gz#c",
            "array.json.gz#d",
            "lines.json.gz#a",
            "lines.json.gz#b"
        ],
        "{stderr}"
    );
}

#[test]
fn truncated_gzip_keeps_the_whole_lines_and_reports_the_rest() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("cut.jsonl.gz");
    let mut text = String::new();
    for i in 0..200 {
        // Distinct text per line, so the compressed stream is long enough
        // to cut in the middle of the records.
        text.push_str(&record_line(
            &format!("r{i}"),
            &format!("{TEXT_A} Line {i} of the archive, {} words.", i * 7919),
        ));
        text.push('\n');
    }
    let compressed = gzip(text.as_bytes());
    fs::write(&path, &compressed[..compressed.len() / 2]).expect("write");
    let (docs, stderr) = documents(&[&path]);
    assert!(!docs.is_empty() && docs.len() < 200, "{} docs", docs.len());
    assert!(
        stderr.contains("gzip data truncated")
            && stderr.contains("the rest of the file is not read"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn page(headline: &str, body: &str, date: Option<&str>) -> String {
    let meta = date
        .map(|d| format!("<meta property=\"article:published_time\" content=\"{d}\">"))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html><head><title>{headline}</title>{meta}</head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{headline}</h1>\
         <p>{body}</p><p>Investigators were still at the scene late on Monday night.</p>\
         </article></body></html>"
    )
}

/// One WARC record with `block` as its content.
fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut record = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: 2025-03-05T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{kind}-{}>\r\nWARC-Target-URI: {uri}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        uri.len(),
        block.len()
    )
    .into_bytes();
    record.extend_from_slice(block);
    record.extend_from_slice(b"\r\n\r\n");
    record
}

fn http_response(content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// warcinfo, request, response (dated page), response (undated page).
fn warc_records() -> Vec<Vec<u8>> {
    let info = warc_record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: test\r\nformat: WARC File Format 1.0\r\n",
    );
    let request = warc_record(
        "request",
        "https://www.example.com/fire",
        "application/http; msgtype=request",
        b"GET /fire HTTP/1.1\r\nHost: www.example.com\r\n\r\n",
    );
    let first = warc_record(
        "response",
        "https://www.example.com/fire",
        "application/http; msgtype=response",
        &http_response(
            "text/html; charset=utf-8",
            &page("Fire injures 12", TEXT_A, Some("2025-03-04T08:00:00Z")),
        ),
    );
    let second = warc_record(
        "response",
        "https://news.example.org/fire-update",
        "application/http; msgtype=response",
        &http_response("text/html", &page("Fire injures 14", TEXT_B, None)),
    );
    vec![info, request, first, second]
}

fn check_two_pages(docs: &[Value], file: &str, stderr: &str) {
    assert_eq!(docs.len(), 2, "{stderr}");
    assert_eq!(field(&docs[0], "id"), format!("{file}#record 3"));
    assert_eq!(field(&docs[1], "id"), format!("{file}#record 4"));
    assert_eq!(field(&docs[0], "url"), "https://www.example.com/fire");
    // The page's own date wins; the undated page falls back to the
    // capture date.
    assert_eq!(field(&docs[0], "published"), "2025-03-04");
    assert_eq!(field(&docs[1], "published"), "2025-03-05");
    assert!(field(&docs[1], "published_text").contains("WARC-Date"));
    assert_eq!(field(&docs[1], "source"), "news.example.org");
    assert!(body(&docs[0]).contains("12 people were injured"));
    assert!(!body(&docs[0]).contains("HTTP/1.1"));
    assert!(
        stderr.contains("2 of 4 WARC records are not documents (1 request, 1 warcinfo)"),
        "{stderr}"
    );
    assert!(stderr.contains("2 documents read, 0 skipped"), "{stderr}");
}

#[test]
fn warc_responses_are_pages_and_other_records_are_counted() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("crawl.warc");
    fs::write(&path, warc_records().concat()).expect("write");
    let (docs, stderr) = documents(&[&path]);
    check_two_pages(&docs, "crawl.warc", &stderr);
}

#[test]
fn warc_gz_with_one_gzip_member_per_record_reads_the_same() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("crawl.warc.gz");
    let members: Vec<u8> = warc_records().iter().flat_map(|r| gzip(r)).collect();
    fs::write(&path, members).expect("write");
    let (docs, stderr) = documents(&[&path]);
    check_two_pages(&docs, "crawl.warc.gz", &stderr);
}

#[test]
fn committed_warc_gz_sample_reads() {
    let path = common::root().join("tests/fixtures/archive/sample.warc.gz");
    let (docs, stderr) = documents(&[&path]);
    check_two_pages(&docs, "sample.warc.gz", &stderr);
}

#[test]
fn corrupt_warc_record_is_reported_and_the_next_one_read() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("bad.warc");
    let records = warc_records();
    let mut bytes = records[2].clone();
    // Lines that are no record at all, then a record whose Content-Length
    // is not a number.
    bytes.extend_from_slice(b"garbage line\r\nmore garbage\r\n\r\n");
    bytes.extend(
        String::from_utf8_lossy(&records[3])
            .replacen("Content-Length: ", "Content-Length: x", 1)
            .into_bytes(),
    );
    bytes.extend(&records[3]);
    fs::write(&path, bytes).expect("write");
    let (docs, stderr) = documents(&[&path]);
    let ids: Vec<&str> = docs.iter().map(|d| field(d, "id")).collect();
    assert_eq!(ids, ["bad.warc#record 1", "bad.warc#record 4"], "{stderr}");
    assert!(
        stderr.contains("bad.warc:record 2: expected a WARC/1.0 or WARC/1.1 record header"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.warc:record 3: Content-Length \"x"),
        "{stderr}"
    );
    assert!(stderr.contains("2 documents read, 2 skipped"), "{stderr}");
}

#[test]
fn corrupt_gzip_member_costs_only_its_record() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("damaged.warc.gz");
    let records = warc_records();
    let mut members: Vec<Vec<u8>> = records.iter().map(|r| gzip(r)).collect();
    // Damage the deflate data of the first response's member.
    let damaged = &mut members[2];
    let middle = damaged.len() / 2;
    for byte in &mut damaged[middle..middle + 8] {
        *byte ^= 0xA5;
    }
    fs::write(&path, members.concat()).expect("write");
    let (docs, stderr) = documents(&[&path]);
    let urls: Vec<&str> = docs.iter().map(|d| field(d, "url")).collect();
    assert_eq!(urls, ["https://news.example.org/fire-update"], "{stderr}");
    assert!(
        stderr.contains("damaged.warc.gz:record 3: corrupt gzip data")
            || stderr.contains("damaged.warc.gz:record 3: gzip data truncated"),
        "{stderr}"
    );
}

#[test]
fn truncated_warc_gz_is_reported_not_a_panic() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("cut.warc.gz");
    let members: Vec<u8> = warc_records().iter().flat_map(|r| gzip(r)).collect();
    fs::write(&path, &members[..members.len() - 40]).expect("write");
    let (docs, stderr) = documents(&[&path]);
    assert_eq!(docs.len(), 1, "{stderr}");
    assert!(
        stderr.contains("cut.warc.gz:record 4: gzip data truncated"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn non_html_and_failed_responses_are_skipped_with_reasons() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("mixed.warc");
    let pdf = warc_record(
        "response",
        "https://example.com/report.pdf",
        "application/http; msgtype=response",
        &http_response("application/pdf", "%PDF-1.4 ..."),
    );
    let missing = warc_record(
        "response",
        "https://example.com/gone",
        "application/http; msgtype=response",
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<html>gone</html>",
    );
    let chunked_body = page("Fire injures 12", TEXT_A, None);
    let (head, tail) = chunked_body.split_at(40);
    let chunked = warc_record(
        "response",
        "https://example.com/chunked",
        "application/http; msgtype=response",
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{head}\r\n{:x}\r\n{tail}\r\n0\r\n\r\n",
            head.len(),
            tail.len()
        )
        .as_bytes(),
    );
    fs::write(&path, [pdf, missing, chunked].concat()).expect("write");
    let (docs, stderr) = documents(&[&path]);
    assert_eq!(docs.len(), 1, "{stderr}");
    assert!(body(&docs[0]).contains("12 people were injured"));
    assert!(
        stderr.contains("mixed.warc:record 1: not an HTML page (Content-Type application/pdf)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("mixed.warc:record 2: HTTP status 404"),
        "{stderr}"
    );
}

#[test]
fn no_progress_output_when_stderr_is_not_a_terminal() {
    let output = crosscheck()
        .args(["check", "--format", "json"])
        .arg(common::root().join("samples/rubio-ukraine"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("articles"), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
}

fn run_check(args: &[&str], paths: &[PathBuf]) -> (Vec<u8>, String) {
    let output = crosscheck()
        .arg("check")
        .args(args)
        .args(paths)
        .output()
        .expect("runs");
    (
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn entry_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read cache dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn cached_runs_print_exactly_what_uncached_runs_print() {
    let cache = TempDir::new().expect("temp dir");
    let cache_arg = cache.path().to_string_lossy().into_owned();
    let inputs = TempDir::new().expect("temp dir");
    let archive = inputs.path().join("stories.jsonl");
    let mut lines = String::new();
    for (i, text) in [TEXT_A, TEXT_B, TEXT_A, TEXT_B].iter().enumerate() {
        let mut record: Value = serde_json::from_str(&record_line(&format!("s{i}"), text)).unwrap();
        record["story"] = Value::from(format!("story-{}", i / 2));
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    fs::write(&archive, lines).expect("write");
    let paths = vec![common::root().join("samples/rubio-ukraine"), archive];
    for format in ["table", "jsonl"] {
        let plain = run_check(&["--format", format], &paths);
        let cold = run_check(&["--format", format, "--cache", &cache_arg], &paths);
        let warm = run_check(&["--format", format, "--cache", &cache_arg], &paths);
        assert_eq!(cold.0, plain.0, "cold cache changes the {format} output");
        assert_eq!(warm.0, plain.0, "warm cache changes the {format} output");
        assert!(
            warm.1.contains("9 of 9 documents from the cache"),
            "{}",
            warm.1
        );
        assert!(!plain.1.contains("cache"), "{}", plain.1);
    }
    // A fresh cache, so that every entry is one the grouped run reads.
    let cache = TempDir::new().expect("temp dir");
    let cache_arg = cache.path().to_string_lossy().into_owned();
    let grouped = ["--format", "jsonl", "--group-by", "story"];
    let plain = run_check(&grouped, &paths);
    let with_cache: Vec<&str> = grouped
        .iter()
        .copied()
        .chain(["--cache", &cache_arg])
        .collect();
    assert_eq!(run_check(&with_cache, &paths).0, plain.0);

    // Damage entries three ways: garbage, cut in half, another entry's
    // content under this name. None may be trusted. The stories' findings
    // are damaged too, or the claims would not even be read; so are the
    // remembered records (the four of the JSON Lines file), or their
    // documents would not even be analysed.
    let claims = entry_files(&cache.path().join("claims"));
    let findings = entry_files(&cache.path().join("findings"));
    let records = entry_files(&cache.path().join("records"));
    assert_eq!(
        (claims.len(), findings.len(), records.len()),
        (9, 3, 4),
        "{claims:?} {findings:?} {records:?}"
    );
    for files in [&claims, &findings, &records] {
        fs::copy(&files[1], &files[2]).expect("copy");
        let half = fs::read(&files[1]).expect("read");
        fs::write(&files[1], &half[..half.len() / 2]).expect("write");
        fs::write(&files[0], b"\x00\x01 not an entry").expect("write");
    }
    let (stdout, stderr) = run_check(&with_cache, &paths);
    assert_eq!(stdout, plain.0, "damaged entries leak into the output");
    assert!(stderr.contains("(9 unusable entries rebuilt)"), "{stderr}");
    let (stdout, stderr) = run_check(&with_cache, &paths);
    assert_eq!(stdout, plain.0);
    assert!(
        stderr.contains("9 of 9 documents from the cache, 0 analysed; findings of 3 of 3 stories"),
        "{stderr}"
    );
    assert!(!stderr.contains("rebuilt"), "{stderr}");
}

#[test]
fn a_changed_article_misses_the_cache_and_dump_claims_shares_it() {
    let cache = TempDir::new().expect("temp dir");
    let cache_arg = cache.path().to_string_lossy().into_owned();
    let inputs = TempDir::new().expect("temp dir");
    let archive = inputs.path().join("a.jsonl");
    let write = |texts: &[&str]| {
        fs::write(&archive, numbered_records(texts).join("\n")).expect("write");
    };
    write(&[TEXT_A, TEXT_B]);
    let (_, stderr) = run_check(&["--cache", &cache_arg], std::slice::from_ref(&archive));
    assert!(
        stderr.contains("0 of 2 documents from the cache"),
        "{stderr}"
    );
    write(&[
        TEXT_A,
        "Officials said 15 people were injured in the fire on Monday.",
    ]);
    let (_, stderr) = run_check(&["--cache", &cache_arg], std::slice::from_ref(&archive));
    assert!(
        stderr.contains("1 of 2 documents from the cache, 1 analysed"),
        "{stderr}"
    );
    let dump = |cached: bool| {
        let mut cmd = crosscheck();
        cmd.args(["dump", "claims", "--format", "jsonl"])
            .arg(&archive);
        if cached {
            cmd.args(["--cache", &cache_arg]);
        }
        cmd.output().expect("runs")
    };
    let plain = dump(false);
    let cached = dump(true);
    assert_eq!(cached.stdout, plain.stdout);
    assert!(
        String::from_utf8_lossy(&cached.stderr).contains("2 of 2 documents from the cache"),
        "{}",
        String::from_utf8_lossy(&cached.stderr)
    );
}

#[test]
fn cache_flag_is_refused_where_it_does_nothing() {
    crosscheck()
        .args(["dump", "sentences", "--cache", "somewhere"])
        .arg(common::root().join("samples/rubio-ukraine"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--cache applies to check and dump claims only",
        ));
}

/// A cache in `dir/cache` for the built-in rules.
fn open_test_cache(dir: &Path) -> std::sync::Arc<crosscheck::cache::Cache> {
    let rules = crosscheck::check::spec::load(&[]).expect("rules");
    std::sync::Arc::new(crosscheck::cache::Cache::open(&dir.join("cache"), &rules).expect("cache"))
}

/// Deletes a cache's claims and story findings, keeping its records: the
/// next run must read remembered records again to check their stories.
fn forget_claims_and_findings(dir: &Path) {
    for kind in ["claims", "findings"] {
        fs::remove_dir_all(dir.join("cache").join(kind)).expect("remove");
    }
}

/// Reads `archive` with `cache` as `check --cache` does, into a checker
/// not yet finished, and says which records came back remembered (by line).
fn read_streamed<'r>(
    archive: &Path,
    cache: &'r std::sync::Arc<crosscheck::cache::Cache>,
    rules: &'r [crosscheck::check::spec::Rule],
    fields: &[(&str, &str)],
) -> (crosscheck::pipeline::StreamCheck<'r>, Vec<usize>) {
    use crosscheck::ingest::{self, Streamed};
    use crosscheck::pipeline::{Hooks, StreamCheck};
    let (send, receive) = std::sync::mpsc::channel();
    let mut options = ingest::Options {
        sink: Some(ingest::Sink::streamed_to(move |item| {
            send.send(item).expect("send")
        })),
        memo: Some(cache.clone()),
        ..ingest::Options::default()
    };
    for (name, key) in fields {
        options.fields.set(name, key).expect("field");
    }
    let bundle = ingest::read_paths(&[archive.to_path_buf()], &options);
    drop(options);
    assert!(bundle.skipped.is_empty(), "{:?}", bundle.skipped);
    let mut checker = StreamCheck::new(
        rules,
        Hooks {
            cache: Some(cache),
            progress: None,
        },
    );
    let mut remembered = Vec::new();
    for (line, item) in receive.into_iter().enumerate() {
        if let Streamed::Remembered { doc, .. } = &item {
            assert!(doc.text.is_empty() && doc.blocks.is_empty());
            remembered.push(line + 1);
        }
        checker.push_streamed(item);
    }
    (checker, remembered)
}

/// One streamed check of `archive` with `cache`, as `check --cache` runs
/// it: which records came back remembered (by line), and the findings.
fn streamed_check(
    archive: &Path,
    cache: &std::sync::Arc<crosscheck::cache::Cache>,
    fields: &[(&str, &str)],
) -> (Vec<usize>, Vec<String>) {
    let rules = crosscheck::check::spec::load(&[]).expect("rules");
    let (checker, remembered) = read_streamed(archive, cache, &rules, fields);
    let checked = checker.finish(false).expect("check");
    let findings = checked.findings.iter().map(|f| format!("{f:?}")).collect();
    (remembered, findings)
}

/// A re-run over an archive neither parses nor lays out the records an
/// earlier run read (they come back remembered, without their text), and
/// finds what a run without the cache finds. A changed record, a record on
/// another line, or another field mapping is read afresh.
#[test]
fn a_rerun_remembers_unchanged_records_and_reads_the_rest() {
    let dir = TempDir::new().expect("temp dir");
    let cache = open_test_cache(dir.path());
    let archive = dir.path().join("a.jsonl");
    let write = |texts: &[&str]| {
        fs::write(&archive, numbered_records(texts).join("\n") + "\n").expect("write");
    };
    write(&[TEXT_A, TEXT_B, TEXT_A]);
    let fresh = TempDir::new().expect("temp dir");
    let (remembered, first) = streamed_check(&archive, &cache, &[]);
    assert!(remembered.is_empty());
    assert!(!first.is_empty(), "the fixture must disagree with itself");
    let (remembered, again) = streamed_check(&archive, &cache, &[]);
    assert_eq!(remembered, [1, 2, 3]);
    assert_eq!(again, first);
    assert_eq!(cache.stats().documents_cached, 3);

    // Line 2 changes: only it is read again.
    write(&[
        TEXT_A,
        "Officials said 15 people were injured in the fire on Monday.",
        TEXT_A,
    ]);
    let (remembered, changed) = streamed_check(&archive, &cache, &[]);
    assert_eq!(remembered, [1, 3]);
    assert_eq!(
        changed,
        streamed_check(&archive, &open_test_cache(fresh.path()), &[]).1
    );

    // A record moved to another line is read again: one without an id of
    // its own is named by its line, so the line is part of the key.
    let first_two = numbered_records(&[TEXT_A, TEXT_B]);
    fs::write(&archive, format!("{}\n{}\n", first_two[1], first_two[0])).expect("write");
    let (remembered, _) = streamed_check(&archive, &cache, &[]);
    assert!(remembered.is_empty());
    write(&[TEXT_A, TEXT_B]);
    let (remembered, _) = streamed_check(&archive, &cache, &[]);
    assert_eq!(remembered, [1, 2]);

    // Another field mapping shapes other documents from the same bytes.
    let (remembered, _) = streamed_check(&archive, &cache, &[("title", "id")]);
    assert!(remembered.is_empty());

    // Remembered records whose claims entries are gone (and whose story
    // findings are, so the claims are needed) are read again and analysed.
    write(&[TEXT_A, TEXT_B, TEXT_A]);
    let _ = streamed_check(&archive, &cache, &[]);
    forget_claims_and_findings(dir.path());
    let before = cache.stats();
    let (remembered, rebuilt) = streamed_check(&archive, &cache, &[]);
    assert_eq!(remembered, [1, 2, 3]);
    assert_eq!(rebuilt, first);
    let after = cache.stats();
    assert_eq!(after.documents - before.documents, 3);
    assert_eq!(after.documents_cached, before.documents_cached);
    assert_eq!(entry_files(&dir.path().join("cache/claims")).len(), 3);
    let (remembered, again) = streamed_check(&archive, &cache, &[]);
    assert_eq!((remembered, again), (vec![1, 2, 3], first));
}

/// The same for a gzip-compressed archive: a remembered record is found
/// again by its offset in the decompressed stream.
#[test]
fn remembered_records_of_a_gzipped_archive_are_read_again_when_needed() {
    let dir = TempDir::new().expect("temp dir");
    let cache = open_test_cache(dir.path());
    let archive = dir.path().join("a.jsonl.gz");
    let lines: Vec<String> = [TEXT_A, TEXT_B, TEXT_A]
        .iter()
        .enumerate()
        .map(|(i, t)| record_line(&format!("g{i}"), t))
        .collect();
    fs::write(&archive, gzip((lines.join("\n") + "\n").as_bytes())).expect("write");
    let (_, first) = streamed_check(&archive, &cache, &[]);
    forget_claims_and_findings(dir.path());
    let (remembered, again) = streamed_check(&archive, &cache, &[]);
    assert_eq!((remembered, again), (vec![1, 2, 3], first));
    assert_eq!(entry_files(&dir.path().join("cache/claims")).len(), 3);
}

/// A remembered record whose claims are needed but unusable, in a file
/// that changed since it was read, stops the run with a message naming
/// the record, rather than check other words under its name.
#[test]
fn a_record_changed_during_the_run_is_an_error_not_a_guess() {
    let dir = TempDir::new().expect("temp dir");
    let cache = open_test_cache(dir.path());
    let rules = crosscheck::check::spec::load(&[]).expect("rules");
    let archive = dir.path().join("a.jsonl");
    let lines = [record_line("c0", TEXT_A), record_line("c1", TEXT_B)];
    fs::write(&archive, lines.join("\n") + "\n").expect("write");
    let _ = streamed_check(&archive, &cache, &[]);
    forget_claims_and_findings(dir.path());
    let (checker, remembered) = read_streamed(&archive, &cache, &rules, &[]);
    assert_eq!(remembered, [1, 2]);
    fs::write(&archive, lines[1].clone() + "\n" + &lines[0] + "\n").expect("write");
    let error = checker.finish(false).expect_err("the record changed");
    assert!(
        error.contains("a.jsonl:1: the record changed during the run"),
        "{error}"
    );
}
