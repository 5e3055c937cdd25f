//! `crosscheck diff ORIGINAL COPY` end to end: the diff rules as data
//! (`--rules`, the config's `[check]` table, `--select/--ignore`), every
//! output format and the exit codes. The seed pair (002 reads as a
//! rewrite of 001) reports one error (C001, the call's date), warnings
//! (C005, C006, C010) and info findings (C020, C030, C031).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/rubio-ukraine")
        .join(name)
}

/// `crosscheck diff 001 002 ARGS...`, run in an empty folder so that no
/// config file above the repository is found.
fn diff(dir: &TempDir, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("crosscheck").expect("binary builds");
    cmd.current_dir(dir.path())
        .arg("diff")
        .arg(sample("001_109151376af7ad50.txt"))
        .arg(sample("002_835a622e70ab705f.txt"))
        .args(args);
    cmd
}

/// A temp folder that ends the config search (a `.git` marks its root).
fn workdir() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect(".git");
    dir
}

/// (code, severity) of each finding in a JSON report.
fn findings(stdout: &[u8]) -> Vec<(String, String)> {
    let report: Value = serde_json::from_slice(stdout).expect("json report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn severity_of(found: &[(String, String)], code: &str) -> Option<String> {
    found
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, s)| s.clone())
}

#[test]
fn a_rules_folder_can_regrade_a_diff_rule() {
    let dir = workdir();
    let rules = dir.path().join("my-rules");
    fs::create_dir(&rules).expect("rules folder");
    let builtin = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/diff/diff-changed-date.toml"),
    )
    .expect("built-in rule");
    assert!(builtin.contains("severity = \"error\""));
    fs::write(
        rules.join("diff-changed-date.toml"),
        builtin.replace("severity = \"error\"", "severity = \"warning\""),
    )
    .expect("write rule");
    let out = diff(&dir, &["--format", "json", "--rules"])
        .arg(&rules)
        .output()
        .expect("runs");
    let found = findings(&out.stdout);
    assert_eq!(
        severity_of(&found, "C001").as_deref(),
        Some("warning"),
        "{found:?}"
    );
    // Nothing left at error level: the default --fail-on passes.
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_config_severity_table_applies_to_diff_rules() {
    let dir = workdir();
    fs::write(
        dir.path().join("crosscheck.toml"),
        "[check.severity]\nC006 = \"error\"\ndiff-changed-date = \"info\"\n",
    )
    .expect("config");
    let out = diff(&dir, &["--format", "json"]).output().expect("runs");
    let found = findings(&out.stdout);
    assert_eq!(severity_of(&found, "C006").as_deref(), Some("error"));
    assert_eq!(severity_of(&found, "C001").as_deref(), Some("info"));
    assert_eq!(out.status.code(), Some(1), "C006 is now an error");
}

#[test]
fn ignore_silences_a_diff_rule_and_select_keeps_only_some() {
    let dir = workdir();
    let out = diff(
        &dir,
        &["--format", "json", "--ignore", "C001,diff-dropped-fact"],
    )
    .output()
    .expect("runs");
    let found = findings(&out.stdout);
    assert!(severity_of(&found, "C001").is_none(), "{found:?}");
    assert!(severity_of(&found, "C020").is_none(), "{found:?}");
    assert!(severity_of(&found, "C006").is_some(), "{found:?}");
    assert_eq!(out.status.code(), Some(0), "no error left");

    let out = diff(&dir, &["--format", "json", "--select", "C00"])
        .output()
        .expect("runs");
    let found = findings(&out.stdout);
    assert!(!found.is_empty());
    assert!(found.iter().all(|(c, _)| c.starts_with("C00")), "{found:?}");
}

#[test]
fn an_ignored_comparison_does_not_let_a_weaker_one_report_its_words() {
    // With the reworded quote silenced, its words must not come back as
    // an added quote or added names.
    let dir = workdir();
    let out = diff(&dir, &["--format", "json", "--ignore", "C006"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    for f in report["findings"].as_array().expect("findings") {
        let message = f["message"].as_str().unwrap_or("");
        assert!(
            f["code"] == "C020" || !message.contains("contribute boots"),
            "{f}"
        );
    }
}

#[test]
fn an_unknown_code_in_select_is_a_usage_error() {
    let dir = workdir();
    diff(&dir, &["--select", "C999"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("--select: \"C999\" names no rule"))
        .stderr(predicate::str::contains("C001 diff-changed-date"));
}

#[test]
fn a_selection_of_check_rules_leaves_the_diff_nothing_to_run() {
    let dir = workdir();
    diff(&dir, &["--select", "D"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("leave no diff rule to run"));
    // And the reverse for check.
    Command::cargo_bin("crosscheck")
        .expect("binary builds")
        .current_dir(dir.path())
        .arg("check")
        .arg(sample("001_109151376af7ad50.txt"))
        .args(["--select", "C"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("leave no check rule to run"));
}

#[test]
fn a_config_selecting_only_check_rules_leaves_the_diff_all_its_rules() {
    // A project's crosscheck.toml written for `check` must not break
    // `diff` in the same folder.
    let dir = workdir();
    fs::write(
        dir.path().join("crosscheck.toml"),
        "[check]\nselect = [\"D\", \"N001\"]\n",
    )
    .expect("config");
    let out = diff(&dir, &["--format", "json"]).output().expect("runs");
    let found = findings(&out.stdout);
    assert_eq!(
        severity_of(&found, "C001").as_deref(),
        Some("error"),
        "{found:?}"
    );
    assert_eq!(
        severity_of(&found, "C006").as_deref(),
        Some("warning"),
        "{found:?}"
    );
    assert_eq!(out.status.code(), Some(1));
    // A config selection naming diff rules still narrows the diff.
    fs::write(
        dir.path().join("crosscheck.toml"),
        "[check]\nselect = [\"D\", \"C006\"]\n",
    )
    .expect("config");
    let out = diff(&dir, &["--format", "json"]).output().expect("runs");
    let found = findings(&out.stdout);
    assert!(found.iter().all(|(c, _)| c == "C006"), "{found:?}");
    assert!(!found.is_empty());
}

#[test]
fn a_bad_diff_rule_file_is_an_error_naming_its_line() {
    let dir = workdir();
    let rules = dir.path().join("bad");
    fs::create_dir(&rules).expect("rules folder");
    fs::write(
        rules.join("x.toml"),
        "id = \"diff-made-up\"\ncode = \"C099\"\nkind = \"diff\"\nseverity = \"warning\"\nattribute = \"name\"\nsummary = \"s\"\nmessage = \"m\"\n[docs]\nwhat = \"w\"\nwhy = \"y\"\nexample = \"e\"\nnear_miss = \"n\"\n",
    )
    .expect("write");
    diff(&dir, &["--rules"])
        .arg(&rules)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "x.toml:1: diff rule id \"diff-made-up\" is not one of the diff's comparisons",
        ));
}

#[test]
fn rules_lists_the_diff_rules() {
    Command::cargo_bin("crosscheck")
        .expect("binary builds")
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("C001"))
        .stdout(predicate::str::contains("diff-changed-date"))
        .stdout(predicate::str::contains("D001"));
    Command::cargo_bin("crosscheck")
        .expect("binary builds")
        .args(["rules", "C010"])
        .assert()
        .success()
        .stdout(predicate::str::contains("diff-added-quote (diff, warning)"))
        .stdout(predicate::str::contains("rules/diff/diff-added-quote.toml"));
}

mod common;

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/diff").join(name)
}

/// `crosscheck diff base.txt COPY ARGS...` on the alignment fixtures.
fn diff_fixture(dir: &TempDir, copy: &str, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("crosscheck").expect("binary builds");
    cmd.current_dir(dir.path())
        .arg("diff")
        .arg(fixture("base.txt"))
        .arg(fixture(copy))
        .args(args);
    cmd
}

#[test]
fn the_table_shows_both_sentences_with_the_changed_words_marked() {
    let dir = workdir();
    for (copy, code) in [
        ("number.txt", 0),
        ("date.txt", 1),
        ("name.txt", 0),
        ("quote.txt", 0),
        ("reworded.txt", 0),
    ] {
        let out = diff_fixture(&dir, copy, &[]).output().expect("runs");
        assert_eq!(out.status.code(), Some(code), "{copy}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let stem = copy.trim_end_matches(".txt");
        common::assert_golden(&format!("diff/{stem}.txt"), &text);
    }
}

#[test]
fn the_seed_table_marks_the_date_the_qualifier_and_the_quote() {
    let dir = workdir();
    let out = diff(&dir, &[]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    // Each side's column carries its own marks; words are matched without
    // case or punctuation, so only the changed ones are marked.
    for marked in [
        "[-Thursday-]",
        "{+July 15, 2023+}",
        "{+acting+}",
        "[-provide forces-]",
        "{+contribute boots+}",
        "[-Zelenskyy-]",
        "{+Zelensky+}",
    ] {
        assert!(text.contains(marked), "{marked} missing:\n{text}");
    }
    assert!(text.contains("original: 001_109151376af7ad50.txt 12:214"));
    assert!(text.contains("copy: 002_835a622e70ab705f.txt 4:26"));
    assert!(
        text.ends_with("12 findings (1 error, 3 warnings, 8 info)\n"),
        "{text}"
    );
}

#[test]
fn json_and_jsonl_carry_every_finding_and_the_summary() {
    let dir = workdir();
    let out = diff(&dir, &["--format", "json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    let documents = report["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 2);
    let c001 = findings.iter().find(|f| f["code"] == "C001").expect("C001");
    let claims = c001["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 2);
    assert_eq!(claims[0]["outlier"], false);
    assert_eq!(claims[0]["doc"], "001_109151376af7ad50.txt");
    assert_eq!(claims[1]["outlier"], true);
    assert_eq!(claims[1]["text"], "July 15, 2023");

    let out = diff(&dir, &["--format", "jsonl"]).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), findings.len() + 1);
    assert_eq!(lines[0]["code"], "C001");
}

#[test]
fn markdown_and_github_report_the_copy_as_the_outlier() {
    let dir = workdir();
    let out = diff(&dir, &["--format", "markdown"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("# crosscheck report\n"), "{text}");
    assert!(
        text.contains("### **error** C001 diff-changed-date — call"),
        "{text}"
    );
    assert!(
        text.contains("| **outlier** | 002_835a622e70ab705f.txt |"),
        "{text}"
    );
    assert!(!text.contains("Most sources say"), "{text}");

    let out = diff(&dir, &["--format", "github"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let first = text.lines().next().unwrap_or("");
    assert!(first.starts_with("::error "), "{first}");
    assert!(first.contains("002_835a622e70ab705f.txt"), "{first}");
    assert!(first.contains("line=4"), "{first}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::warning ")).count(),
        3
    );
}

#[test]
fn exit_codes_follow_fail_on_like_check() {
    let dir = workdir();
    // number.txt: one warning, no error.
    diff_fixture(&dir, "number.txt", &[]).assert().code(0);
    diff_fixture(&dir, "number.txt", &["--fail-on", "warning"])
        .assert()
        .code(1);
    diff_fixture(&dir, "reworded.txt", &["--fail-on", "info"])
        .assert()
        .code(0);
    diff_fixture(&dir, "date.txt", &["--exit-zero"])
        .assert()
        .code(0);
    diff_fixture(&dir, "date.txt", &["--fail-on", "never"])
        .assert()
        .code(0);
    // The config's fail-on applies, the flag wins over it.
    fs::write(
        dir.path().join("crosscheck.toml"),
        "[check]\nfail-on = \"warning\"\n",
    )
    .expect("config");
    diff_fixture(&dir, "number.txt", &[]).assert().code(1);
    diff_fixture(&dir, "number.txt", &["--fail-on", "error"])
        .assert()
        .code(0);
    // A missing side is an input error.
    Command::cargo_bin("crosscheck")
        .expect("binary builds")
        .current_dir(dir.path())
        .arg("diff")
        .arg(fixture("base.txt"))
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
}
