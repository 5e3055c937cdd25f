//! Bad input, one case per test: each asserts the exit code, the message
//! naming the file (and line) and the summary count. Nothing may panic and
//! nothing may disappear: every input is counted as read or skipped.

use assert_cmd::Command;

mod common;
use common::crosscheck;
use predicates::prelude::*;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const ARTICLE: &str = "Ministers meet in Geneva\n\nForeign ministers from five countries met in Geneva on Tuesday to discuss the ceasefire, officials said. The talks ended without an agreement.\n";

/// A bundle folder holding one good article plus whatever the test adds.
fn bundle() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("good.txt"), ARTICLE).expect("write");
    dir
}

fn check_table(dir: &Path) -> assert_cmd::assert::Assert {
    crosscheck()
        .arg("check")
        .arg(dir)
        .args(["--format", "table"])
        .assert()
}

#[test]
fn missing_path_is_named_and_exits_2() {
    crosscheck()
        .args(["check", "no/such/bundle"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/bundle: no such file or folder",
        ));
}

#[test]
fn missing_path_among_good_ones_still_reads_the_rest_and_exits_2() {
    let dir = bundle();
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .arg("missing.txt")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.txt: no such file or folder",
        ))
        .stdout(predicate::str::contains("1 document read, 0 skipped"));
}

#[test]
fn empty_folder_is_an_error() {
    let dir = TempDir::new().expect("temp dir");
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no documents in this folder"))
        .stderr(predicate::str::contains("no readable documents"));
}

#[test]
fn folder_with_only_unreadable_documents_is_an_error() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("empty.txt"), "").expect("write");
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty.txt: empty file"))
        .stderr(predicate::str::contains(
            "no readable documents (0 documents read, 1 skipped",
        ));
}

#[test]
fn empty_file_is_skipped_with_reason() {
    let dir = bundle();
    fs::write(dir.path().join("empty.txt"), "").expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains("empty.txt: empty file"))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn whitespace_only_file_is_skipped_with_reason() {
    let dir = bundle();
    fs::write(dir.path().join("blank.md"), " \n\t\n  \r\n").expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains("blank.md: whitespace-only file"))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn binary_file_is_skipped_with_reason() {
    let dir = bundle();
    fs::write(
        dir.path().join("photo.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains(
            "photo.txt: binary file (NUL byte at offset 8)",
        ))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn nul_bytes_inside_text_are_read_as_spaces_with_a_warning() {
    let dir = bundle();
    let mut bytes = ARTICLE.repeat(2).into_bytes();
    let at = bytes.len() / 2;
    bytes[at] = 0;
    fs::write(dir.path().join("scraped.txt"), &bytes).expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains(format!(
            "scraped.txt: 1 NUL byte replaced with spaces (the first at offset {at})"
        )))
        .stdout(predicate::str::contains(
            "2 documents read, 0 skipped, 1 warning",
        ));
}

#[test]
fn unknown_extension_that_is_not_text_is_skipped() {
    let dir = bundle();
    fs::write(dir.path().join("scan.pdf"), b"%PDF-1.7\n\xff\xfe\xfd").expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains(
            "scan.pdf: not UTF-8 text (invalid byte at offset 9); .pdf is not a known input type",
        ))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn unknown_extension_with_text_is_read() {
    let dir = bundle();
    fs::write(dir.path().join("notes.article"), ARTICLE).expect("write");
    check_table(dir.path())
        .code(0)
        .stdout(predicate::str::contains("2 documents read, 0 skipped"));
}

#[test]
fn file_over_max_bytes_is_skipped() {
    let dir = bundle();
    fs::write(dir.path().join("huge.txt"), ARTICLE.repeat(20)).expect("write");
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .args(["--max-bytes", "1000"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "huge.txt: larger than --max-bytes (",
        ))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn invalid_utf8_is_decoded_as_windows_1252_with_a_warning() {
    let dir = bundle();
    let mut bytes = ARTICLE.as_bytes().to_vec();
    bytes.extend_from_slice(b"The minister\x92s caf\xe9 said \x93no\x94.\n");
    fs::write(dir.path().join("latin.txt"), &bytes).expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains("latin.txt: invalid UTF-8 at byte"))
        .stderr(predicate::str::contains("decoded as Windows-1252"))
        .stdout(predicate::str::contains(
            "2 documents read, 0 skipped, 1 warning",
        ));
    let out = crosscheck()
        .args(["dump", "documents", "--format", "json"])
        .arg(dir.path().join("latin.txt"))
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    assert!(text.contains("The minister’s café said “no”."), "{text}");
}

#[test]
fn crlf_file_is_read_and_offsets_index_the_file() {
    let dir = TempDir::new().expect("temp dir");
    let crlf = ARTICLE.replace('\n', "\r\n");
    fs::write(dir.path().join("crlf.txt"), &crlf).expect("write");
    let out = crosscheck()
        .args(["dump", "sentences", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let mut seen = 0;
    for line in stdout.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("json line");
        let start = row["start"].as_u64().expect("start") as usize;
        let end = row["end"].as_u64().expect("end") as usize;
        assert_eq!(&crlf[start..end], row["text"].as_str().expect("text"));
        assert!(!row["text"].as_str().unwrap_or("").contains('\r'));
        seen += 1;
    }
    assert!(seen >= 1);
}

#[test]
fn utf8_bom_is_dropped_and_nothing_else() {
    let dir = TempDir::new().expect("temp dir");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(ARTICLE.as_bytes());
    fs::write(dir.path().join("bom.txt"), &bytes).expect("write");
    let out = crosscheck()
        .args(["dump", "documents", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one json document");
    assert_eq!(row["bytes"].as_u64(), Some(ARTICLE.len() as u64));
    assert_eq!(row["title"].as_str(), Some("Ministers meet in Geneva"));
}

#[test]
fn utf16_with_bom_is_decoded_with_a_warning() {
    let dir = bundle();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(ARTICLE.encode_utf16().flat_map(u16::to_le_bytes));
    fs::write(dir.path().join("wide.txt"), &bytes).expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains("wide.txt: decoded from UTF-16LE"))
        .stdout(predicate::str::contains(
            "2 documents read, 0 skipped, 1 warning",
        ));
}

#[test]
fn json_that_does_not_parse_is_skipped_with_line() {
    let dir = bundle();
    fs::write(
        dir.path().join("broken.json"),
        "{\n  \"title\": \"x\",\n  \"text\": \"y\"\n  oops\n}\n",
    )
    .expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains("broken.json:4: invalid JSON"))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn jsonl_with_a_bad_line_reads_the_other_lines() {
    let dir = TempDir::new().expect("temp dir");
    let good = serde_json::json!({"id": "a", "source": "Wire", "published": "2025-08-21", "text": ARTICLE});
    let other = serde_json::json!({"id": "b", "text": ARTICLE});
    let content = format!("{good}\n{{not json\n\n{other}\n{{\"id\": \"c\"}}\n");
    fs::write(dir.path().join("archive.jsonl"), content).expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains("archive.jsonl:2: invalid JSON"))
        .stderr(predicate::str::contains(
            "archive.jsonl:5: record has no text field",
        ))
        .stdout(predicate::str::contains("2 documents read, 2 skipped"))
        .stdout(predicate::str::contains("archive.jsonl#a"))
        .stdout(predicate::str::contains("2025-08-21 (metadata)"));
}

#[test]
fn record_published_that_is_not_a_date_is_a_warning() {
    let dir = TempDir::new().expect("temp dir");
    let record = serde_json::json!({"id": "a", "published": "last Tuesday-ish", "text": ARTICLE});
    fs::write(dir.path().join("one.json"), record.to_string()).expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains(
            "record published \"last Tuesday-ish\" is not a date; ignored",
        ))
        .stdout(predicate::str::contains(
            "1 document read, 0 skipped, 1 warning",
        ));
}

#[test]
fn field_flag_maps_record_keys() {
    let dir = TempDir::new().expect("temp dir");
    let record = serde_json::json!({"doc_id": "x1", "dct": "2014-02-04", "article_body": ARTICLE});
    fs::write(dir.path().join("one.jsonl"), format!("{record}\n")).expect("write");
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .args(["--field", "text=article_body"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("one.jsonl#x1"))
        .stdout(predicate::str::contains("2014-02-04 (metadata)"));
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .args(["--field", "body=article_body"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown field \"body\""));
}

#[test]
fn front_matter_that_never_closes_is_read_as_text_with_a_warning() {
    let dir = bundle();
    fs::write(
        dir.path().join("open.md"),
        format!("---\ntitle: Never closed\n{ARTICLE}"),
    )
    .expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains(
            "open.md: front matter opened with \"---\" on line 1 never closes",
        ))
        .stdout(predicate::str::contains(
            "2 documents read, 0 skipped, 1 warning",
        ));
}

#[test]
fn front_matter_metadata_wins_over_detection() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(
        dir.path().join("a.md"),
        format!("---\ntitle: Given title\nsource: Wire\npublished: 2025-08-21\n---\nAug 22, 2025\n{ARTICLE}"),
    )
    .expect("write");
    let out = crosscheck()
        .args(["dump", "documents", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(row["title"], "Given title");
    assert_eq!(row["source"], "Wire");
    assert_eq!(row["published"], "2025-08-21");
    assert_eq!(row["published_from"], "metadata");
    assert_eq!(row["blocks"][0]["kind"], "front-matter");
}

#[test]
fn published_flag_overrides_and_unknown_target_warns() {
    let dir = bundle();
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .args(["--published", "good.txt=2025-08-21"])
        .args(["--published", "other.txt=2025-08-22"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("2025-08-21 (metadata)"))
        .stderr(predicate::str::contains(
            "other.txt: --published names no document that was read",
        ));
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .args(["--published", "good.txt=21/08/2025"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a YYYY-MM-DD date"));
}

#[test]
fn bad_manifest_is_an_error_naming_file_and_line() {
    let dir = bundle();
    fs::write(
        dir.path().join("crosscheck.toml"),
        "[documents.\"good.txt\"]\nsource = \"Wire\"\nauthor = \"X\"\n",
    )
    .expect("write");
    check_table(dir.path())
        .code(2)
        .stderr(predicate::str::contains(
            "crosscheck.toml:3: unknown field `author`",
        ));
}

#[test]
fn stdin_reads_one_document() {
    crosscheck()
        .args(["dump", "documents", "-", "--format", "jsonl"])
        .write_stdin(ARTICLE)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"id\":\"stdin\""))
        .stdout(predicate::str::contains(
            "\"title\":\"Ministers meet in Geneva\"",
        ));
}

#[test]
fn hidden_files_and_folders_are_not_read() {
    let dir = bundle();
    fs::create_dir(dir.path().join(".git")).expect("mkdir");
    fs::write(dir.path().join(".git/HEAD.txt"), ARTICLE).expect("write");
    fs::write(dir.path().join(".draft.txt"), ARTICLE).expect("write");
    check_table(dir.path())
        .code(0)
        .stdout(predicate::str::contains("1 document read, 0 skipped"));
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_skipped_not_followed() {
    let dir = bundle();
    fs::create_dir(dir.path().join("sub")).expect("mkdir");
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).expect("symlink");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains("symlink loop, not followed"))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

/// Root reads everything, so the check drops to an unprivileged user when
/// the tests run as root (as in CI), through util-linux `setpriv`.
#[cfg(unix)]
#[test]
fn unreadable_file_is_skipped_as_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = bundle();
    let locked = dir.path().join("locked.txt");
    fs::write(&locked, ARTICLE).expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    let binary = assert_cmd::cargo::cargo_bin("crosscheck");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if is_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&binary);
        c
    } else {
        Command::new(&binary)
    };
    // The binary itself must be reachable by the unprivileged user.
    let reachable = binary
        .ancestors()
        .all(|p| fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
    if is_root && !reachable {
        eprintln!("skipped: target directory is not reachable by an unprivileged user");
        return;
    }
    cmd.arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("locked.txt: permission denied"))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn dump_documents_is_identical_whatever_the_argument_order() {
    let dir = TempDir::new().expect("temp dir");
    let names = ["b.txt", "a.txt", "c/d.txt"];
    fs::create_dir(dir.path().join("c")).expect("mkdir");
    for name in names {
        fs::write(dir.path().join(name), ARTICLE).expect("write");
    }
    let run = |order: &[&str]| {
        let mut cmd = crosscheck();
        cmd.current_dir(dir.path())
            .args(["dump", "documents", "--format", "json"]);
        for name in order {
            cmd.arg(name);
        }
        cmd.output().expect("runs").stdout
    };
    let forward = run(&["a.txt", "b.txt", "c/d.txt"]);
    assert_eq!(forward, run(&["c/d.txt", "b.txt", "a.txt"]));
    assert_eq!(forward, run(&["b.txt", "c/d.txt", "a.txt"]));
}

#[test]
fn help_shows_examples() {
    crosscheck()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains(
            "crosscheck check samples/rubio-ukraine",
        ));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    crosscheck()
        .args(["check", "--frobnicate", "x"])
        .assert()
        .code(2);
}

#[test]
fn html_page_reads_to_article_text_and_metadata_only() {
    let page =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html/news-page.html");
    let out = crosscheck()
        .args(["dump", "documents", "--format", "json"])
        .arg(&page)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let dump: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let doc = &dump["documents"][0];
    assert_eq!(doc["format"], "html");
    assert_eq!(doc["source"], "The Meridian Post");
    assert_eq!(doc["published"], "2025-08-22");
    assert_eq!(doc["published_from"], "metadata");
    assert_eq!(doc["blocks"][0]["kind"], "title");
    let body = doc["body"]
        .as_array()
        .expect("body")
        .iter()
        .filter_map(|b| b.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        body.starts_with("WASHINGTON — Secretary of State Marco Rubio"),
        "{body}"
    );
    for furniture in [
        "cookie",
        "Cookie",
        "Subscribe",
        "Related",
        "©",
        "function(",
        "Share",
    ] {
        assert!(
            !body.contains(furniture),
            "body holds {furniture:?}: {body}"
        );
    }
}

#[test]
fn html_page_with_only_scripts_is_skipped() {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/html/only-scripts.html");
    let dir = bundle();
    fs::copy(&page, dir.path().join("scripts.html")).expect("copy");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains(
            "scripts.html: no article text in the HTML",
        ))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn file_of_60_mb_is_over_the_default_limit() {
    let dir = bundle();
    let big = "Officials said the talks went on. ".repeat(60 * 1024 * 1024 / 34 + 1);
    fs::write(dir.path().join("huge.txt"), big).expect("write");
    check_table(dir.path())
        .code(0)
        .stderr(predicate::str::contains(
            "huge.txt: larger than --max-bytes",
        ))
        .stdout(predicate::str::contains("1 document read, 1 skipped"));
}

#[test]
fn ten_mb_single_line_is_read_without_hanging() {
    let dir = bundle();
    let line = "word ".repeat(2 * 1024 * 1024);
    fs::write(
        dir.path().join("line.txt"),
        format!("A long line\n{line}\n"),
    )
    .expect("write");
    check_table(dir.path())
        .code(0)
        .stdout(predicate::str::contains("2 documents read, 0 skipped"));
}

/// `dump STAGE --format jsonl` of one file that must be read: its stdout.
fn dump_one_jsonl(stage: &str, file: &Path) -> String {
    let out = crosscheck()
        .args(["dump", stage, "--format", "jsonl"])
        .arg(file)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 document read, 0 skipped"))
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn single_line_of_many_sentences_gets_exact_columns() {
    // Every sentence's column used to be counted from the line's start,
    // which made this input quadratic (2 MB took 13 s). The last sentence's
    // column proves the count stays exact past many checkpoints, with a
    // two-byte character in each sentence.
    let dir = TempDir::new().expect("temp dir");
    let sentences = 100_000;
    fs::write(dir.path().join("line.txt"), "Olé. ".repeat(sentences)).expect("write");
    let out = dump_one_jsonl("sentences", &dir.path().join("line.txt"));
    assert_eq!(out.lines().count(), sentences);
    let last = out.lines().last().expect("a sentence");
    let expected = format!("\"line\":1,\"column\":{}", (sentences - 1) * 5 + 1);
    assert!(last.contains(&expected), "{last}");
}

#[test]
fn run_of_counts_without_a_full_stop_keeps_its_evidence_bounded() {
    // Each claim carries its sentence; with no full stop in 300 KB, one
    // "sentence" used to be all of it, copied into every one of ~20,000
    // claims (gigabytes), and each count scanned the rest of the text.
    let dir = TempDir::new().expect("temp dir");
    let unit = "30 people were killed and 12 were wounded, ";
    fs::write(
        dir.path().join("counts.txt"),
        format!("Headline\n\n{}", unit.repeat(300_000 / unit.len())),
    )
    .expect("write");
    let out = dump_one_jsonl("claims", &dir.path().join("counts.txt"));
    let mut claims = 0;
    for line in out.lines() {
        let claim: serde_json::Value = serde_json::from_str(line).expect("json");
        if claim["type"] != "claim" {
            continue;
        }
        let sentence = claim["sentence"].as_str().expect("sentence");
        let text = claim["text"].as_str().expect("text");
        assert!(sentence.len() <= 2048, "{} bytes", sentence.len());
        assert!(sentence.contains(text));
        claims += 1;
    }
    assert!(claims > 1000, "{claims} claims");
}

#[test]
fn html_nested_ten_thousand_levels_deep_is_read() {
    let dir = bundle();
    let depth = 10_000;
    let page = format!(
        "<html><body>{}<p>Ministers met in Geneva on Tuesday to discuss the ceasefire, officials said.</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    fs::write(dir.path().join("deep.html"), page).expect("write");
    check_table(dir.path())
        .code(0)
        .stdout(predicate::str::contains("2 documents read, 0 skipped"));
}

#[test]
fn a_regex_that_backtracking_engines_choke_on_runs_in_linear_time() {
    let dir = bundle();
    fs::write(
        dir.path().join("slow.txt"),
        format!("Headline here\n{}!\n", "a".repeat(100_000)),
    )
    .expect("write");
    let rules = TempDir::new().expect("temp dir");
    let rule = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/names/name-variant.toml"),
    )
    .expect("rule")
    .replace("id = \"name-variant\"", "id = \"slow-variant\"")
    .replace("code = \"V001\"", "code = \"V901\"")
    .replace("message =", "subject = \"^(a+)+$\"\nmessage =");
    fs::write(rules.path().join("slow-variant.toml"), rule).expect("write");
    // `(a+)+$` is exponential in a backtracking engine; the regex crate
    // is linear, so this finishes like any other run.
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .arg("--rules")
        .arg(rules.path())
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("2 documents read, 0 skipped"));
}

#[test]
fn a_folder_of_100_000_tiny_files_is_read_and_counted() {
    let dir = TempDir::new().expect("temp dir");
    for i in 0..100_000 {
        let name = format!("{:03}/{i:06}.txt", i / 1000);
        let path = dir.path().join(name);
        if i % 1000 == 0 {
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        }
        // Empty files: skipped with a reason, each one counted.
        fs::write(&path, "").expect("write");
    }
    fs::write(dir.path().join("good.txt"), ARTICLE).expect("write");
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .arg("-q")
        .timeout(std::time::Duration::from_secs(300))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 document read, 100000 skipped"));
}
