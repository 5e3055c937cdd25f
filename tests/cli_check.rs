//! `crosscheck check` and `crosscheck rules` end to end, one behaviour per
//! test: every output format on the sample bundle, every exit code,
//! `--fail-on`, `--select`/`--ignore`, baselines, extra rule folders, the
//! config file, `--group-by` and determinism. Each test asserts the exit
//! code plus the message or the findings that prove the behaviour, so a
//! regression in the CLI wiring (not only in the library) is caught.
//!
//! The sample bundle yields six findings: D001 error, D002 error, N001
//! warning, Q001 warning, R001 warning, V001 info.

use assert_cmd::Command;

mod common;
use common::crosscheck;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SUMMARY: &str = "5 documents read, 0 skipped; 6 findings (2 errors, 3 warnings, 1 info)";

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine")
}

/// Copies the five articles and the bundle manifest into `dir`, for tests
/// that need the bundle somewhere they control (config discovery, files
/// that go away).
fn copy_sample(dir: &Path) {
    fs::create_dir_all(dir).expect("bundle folder");
    let mut copied = 0;
    for entry in fs::read_dir(sample()).expect("sample folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("file name").to_owned();
        let wanted = path.extension().is_some_and(|e| e == "txt") || name == "crosscheck.toml";
        if wanted {
            fs::copy(&path, dir.join(&name)).expect("copy");
            copied += 1;
        }
    }
    assert_eq!(copied, 6, "five articles and the manifest");
}

/// Runs `check` on the sample with extra args and `--format json`,
/// returning the exit code and the parsed report.
fn sample_json(args: &[&str]) -> (i32, Value) {
    let out = crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("exit code"), report)
}

/// The codes of a report's findings, in report order.
fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

/// The codes of a JSONL run's finding lines (the summary line skipped).
fn jsonl_codes(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json line"))
        .filter(|v| v["type"] == "finding")
        .map(|v| v["code"].as_str().expect("code").to_string())
        .collect()
}

/// A rule file: the built-in role-conflict rule with a new id, code and
/// severity, so that it fires on the sample next to R001.
fn strict_role_rule() -> String {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/roles/role-conflict.toml"),
    )
    .expect("built-in rule");
    let text = text
        .replacen("id = \"role-conflict\"", "id = \"role-conflict-strict\"", 1)
        .replacen("code = \"R001\"", "code = \"R901\"", 1)
        .replacen("severity = \"warning\"", "severity = \"error\"", 1);
    assert!(text.contains("R901") && text.contains("role-conflict-strict"));
    text
}

/// Two Markdown articles that differ only in how they spell Zelenskyy:
/// the only finding is V001, an info.
fn info_only_bundle() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::write(
        dir.path().join("one.md"),
        "# Talks in Geneva\n\nUkrainian President Volodymyr Zelensky met European leaders in Geneva on Monday, officials said. The talks ended without an agreement.\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("two.md"),
        "# Geneva talks\n\nUkrainian President Volodymyr Zelenskyy met European leaders in Geneva on Monday, officials said. No agreement was reached.\n",
    )
    .expect("write");
    dir
}

/// Four records, two stories. Story A spells Zelensky two ways (V001);
/// story B counts the countries two ways (N001) and spells Zelenskyy one
/// way, so a run that mixed the stories would put B's records into A's
/// spelling finding. Records are interleaved so grouping must not depend
/// on order.
const GROUPED: &str = r#"{"id":"a1","incident_id":"A","published":"2025-08-20","text":"Talks in Geneva\n\nUkrainian President Volodymyr Zelensky met European leaders in Geneva, officials said. The talks ended without an agreement."}
{"id":"b1","incident_id":"B","published":"2025-08-20","text":"Pledges in Kyiv\n\nUkrainian President Volodymyr Zelenskyy said 30 countries have pledged support for the reconstruction fund. The fund opens next year."}
{"id":"a2","incident_id":"A","published":"2025-08-21","text":"Geneva meeting\n\nUkrainian President Volodymyr Zelenskyy held talks with European leaders in Geneva, officials said. No agreement was reached."}
{"id":"b2","incident_id":"B","published":"2025-08-21","text":"Kyiv fund\n\nUkrainian President Volodymyr Zelenskyy said 33 countries have pledged support for the reconstruction fund. The fund opens next year."}
"#;

fn grouped_archive() -> (TempDir, PathBuf) {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("archive.jsonl");
    fs::write(&path, GROUPED).expect("write");
    (dir, path)
}

fn grouped_json(path: &Path, jobs: &str) -> Vec<u8> {
    let out = crosscheck()
        .arg("check")
        .arg(path)
        .args([
            "--group-by",
            "incident_id",
            "--format",
            "json",
            "--jobs",
            jobs,
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "only a warning and an info");
    out.stdout
}

// ---------------------------------------------------------------- formats

#[test]
fn table_format_shows_each_finding_and_the_summary() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "table"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error D001 event-date-conflict"))
        .stdout(predicate::str::contains("info V001 name-variant"))
        .stdout(predicate::str::contains(SUMMARY));
}

/// A bundle lists every document it read; an archive lists the first 25
/// and sums up the rest, which `dump documents` lists.
#[test]
fn table_format_lists_a_bundle_whole_and_sums_up_an_archive() {
    let dir = TempDir::new().expect("temp dir");
    let archive = |n: usize| {
        let path = dir.path().join(format!("archive-{n}.jsonl"));
        let lines: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"a{i:03}","source":"Outlet {}","published":"2024-03-{:02}","text":"The council met on Monday in Springfield."}}"#,
                    i % 3,
                    1 + i % 28
                )
            })
            .collect();
        fs::write(&path, lines.join("\n")).expect("write archive");
        let out = crosscheck().arg("check").arg(&path).output().expect("run");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let bundle = archive(50);
    assert!(bundle.contains("a049"), "{bundle}");
    assert!(!bundle.contains("more"), "{bundle}");
    assert!(bundle.contains("50 documents read, 0 skipped"), "{bundle}");

    let big = archive(51);
    assert!(big.contains("a024"), "{big}");
    assert!(!big.contains("a025"), "{big}");
    assert!(big.contains("… 26 more"), "{big}");
    assert!(big.contains("3 sources"), "{big}");
    assert!(big.contains("2024-03-01 to 2024-03-28"), "{big}");
    assert!(big.contains("51 documents read, 0 skipped"), "{big}");
}

#[test]
fn json_format_is_a_versioned_report_sorted_by_severity_then_code() {
    let (code, report) = sample_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(report["schema"], "crosscheck/report/v1");
    assert_eq!(
        codes(&report),
        ["D001", "D002", "N001", "Q001", "R001", "V001"]
    );
    let severities: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(
        severities,
        ["error", "error", "warning", "warning", "warning", "info"]
    );
    assert_eq!(report["documents"].as_array().unwrap().len(), 5);
    assert_eq!(report["summary"]["findings"], 6);
    assert_eq!(report["summary"]["errors"], 2);
}

#[test]
fn json_claims_carry_every_evidence_field() {
    let (_, report) = sample_json(&[]);
    for finding in report["findings"].as_array().unwrap() {
        let claims = finding["claims"].as_array().expect("claims");
        assert!(!claims.is_empty(), "{finding}");
        for claim in claims {
            for field in [
                "doc", "path", "line", "column", "start", "end", "text", "value", "sentence",
                "outlier",
            ] {
                assert!(claim.get(field).is_some(), "claim lacks {field}: {claim}");
            }
            assert!(claim["line"].as_u64().unwrap() >= 1);
            assert!(claim["start"].as_u64().unwrap() < claim["end"].as_u64().unwrap());
            assert!(claim["outlier"].is_boolean());
        }
    }
}

#[test]
fn json_d001_names_002s_july_15_2023_as_the_outlier() {
    let (_, report) = sample_json(&[]);
    let d001 = &report["findings"][0];
    assert_eq!(d001["code"], "D001");
    let outliers: Vec<&Value> = d001["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outlier"] == true)
        .collect();
    assert_eq!(outliers.len(), 1, "{d001}");
    assert!(outliers[0]["doc"].as_str().unwrap().starts_with("002_"));
    assert_eq!(outliers[0]["text"], "July 15, 2023");
    assert_eq!(outliers[0]["value"], "2023-07-15");
}

#[test]
fn jsonl_format_is_one_finding_per_line_then_the_summary() {
    let out = crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "jsonl"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON value"))
        .collect();
    assert_eq!(rows.len(), 7, "six findings and a summary");
    for row in &rows[..6] {
        assert_eq!(row["type"], "finding", "{row}");
        assert!(row["claims"].is_array());
    }
    let summary = &rows[6];
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["findings"], 6);
    assert_eq!(summary["documents_read"], 5);
}

#[test]
fn sarif_format_declares_every_rule_its_results_use() {
    let out = crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "sarif"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let declared: BTreeSet<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("rule id"))
        .collect();
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 6);
    for result in results {
        let id = result["ruleId"].as_str().expect("ruleId");
        assert!(declared.contains(id), "{id} not in {declared:?}");
    }
}

#[test]
fn github_format_prints_one_annotation_per_finding_by_severity() {
    let out = crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "github"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let annotations: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 6, "{text}");
    let count = |prefix: &str| annotations.iter().filter(|l| l.starts_with(prefix)).count();
    // Info findings become notices: GitHub has no "info" command.
    assert_eq!(count("::error "), 2);
    assert_eq!(count("::warning "), 3);
    assert_eq!(count("::notice "), 1);
    for line in &annotations {
        assert!(line.contains(" file="), "{line}");
        assert!(line.contains(",line="), "{line}");
        assert!(line.contains(",col="), "{line}");
    }
    assert!(annotations[0].contains("002_835a622e70ab705f.txt,line=4,col=26"));
}

#[test]
fn markdown_format_has_a_findings_section_with_the_outlier_row() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "markdown"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\n## Findings\n"))
        .stdout(predicate::str::contains(
            "| **outlier** | 002_835a622e70ab705f.txt | ",
        ))
        .stdout(predicate::str::contains(
            "002_835a622e70ab705f.txt:4:26 | 2023-07-15 | “July 15, 2023” |",
        ))
        .stdout(predicate::str::contains(SUMMARY));
}

/// A rules folder with five copies of role-conflict under new codes: with
/// the sample's six findings, eleven, one more than GitHub shows per step.
fn eleven_findings_rules() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    for i in 1..=5 {
        let rule = strict_role_rule()
            .replacen("\"role-conflict-strict\"", &format!("\"role-copy-{i}\""), 1)
            .replacen("\"R901\"", &format!("\"R90{i}\""), 1);
        fs::write(dir.path().join(format!("copy{i}.toml")), rule).expect("write");
    }
    dir
}

#[test]
fn github_format_over_ten_findings_prints_the_markdown_report_in_the_log() {
    let rules = eleven_findings_rules();
    let out = crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "github", "--rules"])
        .arg(rules.path())
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("::error ")).count(),
        7
    );
    // The report's article words must not run as workflow commands, so it
    // sits between ::stop-commands::TOKEN and ::TOKEN::.
    let stop = text
        .lines()
        .find_map(|l| l.strip_prefix("::stop-commands::"))
        .expect("stop-commands before the report");
    let start = text.find("# crosscheck report").expect("markdown report");
    let resume = text.find(&format!("::{stop}::")).expect("commands resumed");
    assert!(text.find("::stop-commands::").unwrap() < start && start < resume);
    assert!(text.contains("## Findings"));
    assert!(text
        .trim_end()
        .ends_with("11 findings (7 errors, 3 warnings, 1 info)"));
}

#[test]
fn github_format_over_ten_findings_appends_the_report_to_the_step_summary() {
    let rules = eleven_findings_rules();
    let dir = TempDir::new().expect("temp dir");
    let summary = dir.path().join("step-summary.md");
    fs::write(&summary, "earlier step\n").expect("write");
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--format", "github", "--rules"])
        .arg(rules.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("# crosscheck report").not())
        .stdout(predicate::str::contains("; full report in the job summary"));
    let written = fs::read_to_string(&summary).expect("summary file");
    // Appended, not overwritten: earlier steps' summaries survive.
    assert!(
        written.starts_with("earlier step\n# crosscheck report"),
        "{written}"
    );
    assert!(written.contains("R905 role-copy-5"));
}

// ------------------------------------------------------------- exit codes

#[test]
fn errors_exit_1_with_the_default_fail_on() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(SUMMARY));
}

#[test]
fn fail_on_never_exits_0_and_still_reports() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--fail-on", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("error D001"))
        .stdout(predicate::str::contains(SUMMARY));
}

#[test]
fn exit_zero_exits_0_and_still_reports() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--exit-zero")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(SUMMARY));
}

#[test]
fn exit_zero_does_not_hide_an_input_error() {
    // --exit-zero is for findings; a missing path is still a failed run.
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("no/such/bundle")
        .arg("--exit-zero")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/bundle: no such file or folder",
        ));
}

#[test]
fn warnings_alone_pass_by_default_and_fail_with_fail_on_warning() {
    // N001 is a warning: below the default threshold, at --fail-on warning.
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--select", "N001"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "1 finding (0 errors, 1 warning, 0 info)",
        ));
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--select", "N001", "--fail-on", "warning"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("warning N001 count-conflict"));
}

#[test]
fn an_info_finding_passes_by_default() {
    let dir = info_only_bundle();
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("info V001 name-variant"))
        .stdout(predicate::str::contains(
            "2 documents read, 0 skipped; 1 finding (0 errors, 0 warnings, 1 info)",
        ));
}

#[test]
fn an_info_finding_fails_with_fail_on_info() {
    let dir = info_only_bundle();
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .args(["--fail-on", "info"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("info V001 name-variant"));
    // One step up, the info is below the threshold again.
    crosscheck()
        .arg("check")
        .arg(dir.path())
        .args(["--fail-on", "warning"])
        .assert()
        .code(0);
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--bogus")
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("unexpected argument '--bogus'"));
}

#[test]
fn a_bad_fail_on_value_is_a_usage_error_listing_the_choices() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--fail-on", "sometimes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'sometimes'"))
        .stderr(predicate::str::contains("error, warning, info, never"));
}

#[test]
fn select_and_ignore_that_leave_no_rule_are_an_error() {
    // A run with no rules would pass silently; it must fail instead.
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--select", "D", "--ignore", "D"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("leave no rule to run"));
}

// --------------------------------------------------------- select/ignore

#[test]
fn select_by_prefix_keeps_only_that_family() {
    let (code, report) = sample_json(&["--select", "D"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["D001", "D002"]);
    assert_eq!(report["summary"]["findings"], 2);
}

#[test]
fn ignore_v001_drops_the_info_finding() {
    let (code, report) = sample_json(&["--ignore", "V001"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["D001", "D002", "N001", "Q001", "R001"]);
    assert_eq!(report["summary"]["info"], 0);
}

#[test]
fn select_by_rule_id_works_like_its_code() {
    let (code, report) = sample_json(&["--select", "role-conflict"]);
    // R001 is a warning: the run passes.
    assert_eq!(code, 0);
    assert_eq!(codes(&report), ["R001"]);
}

#[test]
fn select_of_an_unknown_code_is_an_error_naming_it() {
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--select", "X999"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("--select: \"X999\" names no rule"))
        .stderr(predicate::str::contains("D001 event-date-conflict"));
}

#[test]
fn ignore_of_an_unknown_code_is_an_error_naming_it() {
    // A typo in --ignore would otherwise silently ignore nothing.
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--ignore", "V010"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--ignore: \"V010\" names no rule"));
}

// --------------------------------------------------------------- baseline

#[test]
fn a_written_baseline_suppresses_every_finding_on_the_next_run() {
    let dir = TempDir::new().expect("temp dir");
    let baseline = dir.path().join("baseline.json");
    // Writing a baseline is the "accept the current state" step: exit 0
    // even though the findings include errors.
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--write-baseline")
        .arg(&baseline)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote 6 finding(s) to"));
    let written = fs::read_to_string(&baseline).expect("baseline written");
    assert!(written.contains("\"schema\": \"crosscheck/baseline/v1\""));

    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("baseline: 6 findings suppressed"))
        .stdout(predicate::str::contains(
            "5 documents read, 0 skipped; 0 findings",
        ));
}

#[test]
fn a_partial_baseline_reports_only_the_new_findings() {
    let dir = TempDir::new().expect("temp dir");
    let baseline = dir.path().join("baseline.json");
    crosscheck()
        .arg("check")
        .arg(sample())
        .args(["--select", "D"])
        .arg("--write-baseline")
        .arg(&baseline)
        .assert()
        .code(0);
    let (code, report) = sample_json(&["--baseline", baseline.to_str().unwrap()]);
    // The two errors are in the baseline; what is left are warnings and an info.
    assert_eq!(code, 0);
    assert_eq!(codes(&report), ["N001", "Q001", "R001", "V001"]);
}

#[test]
fn a_baseline_counts_stale_entries_when_findings_go_away() {
    let dir = TempDir::new().expect("temp dir");
    let bundle = dir.path().join("story");
    copy_sample(&bundle);
    let baseline = dir.path().join("baseline.json");
    crosscheck()
        .arg("check")
        .arg(&bundle)
        .arg("--write-baseline")
        .arg(&baseline)
        .assert()
        .code(0);
    // 002 is an outlier or a party in D001, D002, Q001 and R001.
    fs::remove_file(bundle.join("002_835a622e70ab705f.txt")).expect("remove");
    crosscheck()
        .arg("check")
        .arg(&bundle)
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "baseline: 2 findings suppressed, 4 stale entries",
        ))
        .stdout(predicate::str::contains(
            "4 documents read, 0 skipped; 0 findings",
        ));
}

#[test]
fn a_malformed_baseline_is_an_error_naming_the_file() {
    let dir = TempDir::new().expect("temp dir");
    let baseline = dir.path().join("broken-baseline.json");
    fs::write(&baseline, "this is not json\n").expect("write");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!(
            "{}:1:",
            baseline.display()
        )))
        .stderr(predicate::str::contains("not a crosscheck baseline"));
}

#[test]
fn a_baseline_of_another_schema_is_an_error_naming_the_file() {
    // A future baseline format must not be misread as "nothing to suppress".
    let dir = TempDir::new().expect("temp dir");
    let baseline = dir.path().join("baseline.json");
    fs::write(
        &baseline,
        "{\"schema\": \"crosscheck/baseline/v9\", \"findings\": []}\n",
    )
    .expect("write");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:1: schema \"crosscheck/baseline/v9\" is not \"crosscheck/baseline/v1\"",
            baseline.display()
        )));
}

#[test]
fn a_missing_baseline_is_an_error_naming_the_file() {
    // A typo in the CI config must not turn into "no baseline, report all"
    // or, worse, "baseline empty, pass".
    let dir = TempDir::new().expect("temp dir");
    let baseline = dir.path().join("nope.json");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}: cannot read baseline",
            baseline.display()
        )));
}

// ------------------------------------------------------------------ rules

#[test]
fn a_rule_file_with_an_unknown_key_is_an_error_naming_file_and_line() {
    let dir = TempDir::new().expect("temp dir");
    let rule = strict_role_rule().replacen(
        "attribute = \"role\"\n",
        "attribute = \"role\"\ncolour = \"red\"\n",
        1,
    );
    let line = rule
        .lines()
        .position(|l| l.starts_with("colour"))
        .expect("inserted")
        + 1;
    let file = dir.path().join("strict.toml");
    fs::write(&file, rule).expect("write");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--rules")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!(
            "{}:{line}: unknown field `colour`",
            file.display()
        )))
        // The valid choices are listed so the fix is obvious.
        .stderr(predicate::str::contains("expected one of `id`"));
}

#[test]
fn a_rule_with_a_bad_subject_regex_is_an_error_naming_file_and_line() {
    let dir = TempDir::new().expect("temp dir");
    let rule = strict_role_rule().replacen(
        "attribute = \"role\"\n",
        "attribute = \"role\"\nsubject = \"(unclosed\"\n",
        1,
    );
    let line = rule
        .lines()
        .position(|l| l.starts_with("subject"))
        .expect("inserted")
        + 1;
    let file = dir.path().join("strict.toml");
    fs::write(&file, rule).expect("write");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--rules")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:{line}: subject is not a valid regex",
            file.display()
        )));
}

#[test]
fn an_extra_rule_folder_adds_a_rule_that_fires() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("strict.toml"), strict_role_rule()).expect("write");
    let (code, report) = sample_json(&["--rules", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    // R901 is an error, so it sorts with the errors, before the warnings.
    assert_eq!(
        codes(&report),
        ["D001", "D002", "R901", "N001", "Q001", "R001", "V001"]
    );
    let r901 = &report["findings"][2];
    assert_eq!(r901["rule"], "role-conflict-strict");
    assert_eq!(r901["severity"], "error");
}

#[test]
fn an_extra_rule_reusing_a_builtin_code_is_an_error() {
    // Codes are stable identifiers: two rules may never share one.
    let dir = TempDir::new().expect("temp dir");
    let rule = strict_role_rule().replacen("code = \"R901\"", "code = \"R001\"", 1);
    fs::write(dir.path().join("dup.toml"), rule).expect("write");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--rules")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("code R001 is already used by"));
}

#[test]
fn a_missing_rules_folder_is_an_error() {
    let dir = TempDir::new().expect("temp dir");
    let missing = dir.path().join("no-rules-here");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--rules")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}: no such rules folder",
            missing.display()
        )));
}

#[test]
fn rules_lists_every_builtin_code() {
    let out = crosscheck().arg("rules").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for (code, id) in [
        ("D001", "event-date-conflict"),
        ("D002", "weekday-mismatch"),
        ("D003", "date-outside-window"),
        ("N001", "count-conflict"),
        ("Q001", "quote-drift"),
        ("R001", "role-conflict"),
        ("V001", "name-variant"),
    ] {
        assert!(
            text.lines().any(|l| l.contains(code) && l.contains(id)),
            "{code} {id} missing from:\n{text}"
        );
    }
}

#[test]
fn rules_with_a_code_prints_that_rules_docs() {
    crosscheck()
        .args(["rules", "D001"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "D001 event-date-conflict (conflict, error)",
        ))
        .stdout(predicate::str::contains("What it catches"))
        .stdout(predicate::str::contains("Near miss that does not"))
        .stdout(predicate::str::contains(
            "Defined in rules/dates/event-date-conflict.toml",
        ));
}

#[test]
fn rules_with_an_unknown_name_exits_2_listing_the_rules() {
    crosscheck()
        .args(["rules", "nope"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("no rule \"nope\""))
        .stderr(predicate::str::contains("event-date-conflict"));
}

#[test]
fn rules_lists_a_rule_from_an_extra_folder() {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("strict.toml"), strict_role_rule()).expect("write");
    crosscheck()
        .arg("rules")
        .arg("--rules")
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("R901"))
        .stdout(predicate::str::contains("role-conflict-strict"));
}

// ----------------------------------------------------------------- config

/// A temp dir holding `crosscheck.toml` (the config, with `config` as its
/// text), `story/` (a copy of the sample) and `work/` (an empty folder to
/// run from, so the walk up finds the config and not the bundle manifest).
fn project(config: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    fs::write(dir.path().join("crosscheck.toml"), config).expect("write config");
    copy_sample(&dir.path().join("story"));
    fs::create_dir_all(dir.path().join("work/deeper")).expect("work folder");
    dir
}

/// `check ../../story --format jsonl` from `work/deeper`, two levels under
/// the config.
fn check_in_project(dir: &Path) -> Command {
    let mut cmd = crosscheck();
    cmd.current_dir(dir.join("work/deeper"))
        .args(["check", "../../story", "--format", "jsonl"]);
    cmd
}

#[test]
fn config_found_by_walking_up_applies_its_ignore() {
    let dir = project("[check]\nignore = [\"V001\"]\n");
    let out = check_in_project(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        jsonl_codes(&out.stdout),
        ["D001", "D002", "N001", "Q001", "R001"]
    );
}

#[test]
fn config_with_an_unknown_key_is_an_error_naming_file_and_line() {
    let dir = project("[check]\nignore = [\"V001\"]\nfail-onn = \"never\"\n");
    check_in_project(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "crosscheck.toml:3: unknown field `fail-onn`",
        ))
        .stderr(predicate::str::contains("`fail-on`"));
}

#[test]
fn config_naming_an_unknown_code_is_an_error_on_its_line() {
    let dir = project("[check]\n\nselect = [\n  \"D001\",\n  \"X999\",\n]\n");
    check_in_project(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "crosscheck.toml:5: \"X999\" names no rule",
        ));
}

#[test]
fn config_severity_override_makes_n001_an_error() {
    let dir = project("[check.severity]\nN001 = \"error\"\n");
    let out = check_in_project(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let n001: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json line"))
        .find(|v| v["code"] == "N001")
        .expect("N001 reported");
    assert_eq!(n001["severity"], "error");
    // Now an error, it sorts with D001 and D002.
    assert_eq!(
        jsonl_codes(text.as_bytes()),
        ["D001", "D002", "N001", "Q001", "R001", "V001"]
    );
    let summary: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(summary["errors"], 3);
    assert_eq!(summary["warning_findings"], 2);
}

#[test]
fn config_severity_override_can_fail_a_run_that_would_pass() {
    // Only N001 selected: a warning passes; raised to an error it fails.
    let dir = project("[check]\nselect = [\"N001\"]\n");
    check_in_project(dir.path()).assert().code(0);
    let dir = project("[check]\nselect = [\"N001\"]\n[check.severity]\nN001 = \"error\"\n");
    check_in_project(dir.path()).assert().code(1);
}

#[test]
fn config_fail_on_is_used_and_the_flag_overrides_it() {
    let dir = project("[check]\nfail-on = \"never\"\n");
    check_in_project(dir.path()).assert().code(0);
    check_in_project(dir.path())
        .args(["--fail-on", "error"])
        .assert()
        .code(1);
}

#[test]
fn select_flag_replaces_the_configs_select() {
    let dir = project("[check]\nselect = [\"V001\"]\n");
    let out = check_in_project(dir.path())
        .args(["--select", "N001"])
        .output()
        .expect("runs");
    assert_eq!(jsonl_codes(&out.stdout), ["N001"]);
}

#[test]
fn ignore_flag_adds_to_the_configs_ignore() {
    let dir = project("[check]\nignore = [\"V001\"]\n");
    let out = check_in_project(dir.path())
        .args(["--ignore", "N001"])
        .output()
        .expect("runs");
    assert_eq!(jsonl_codes(&out.stdout), ["D001", "D002", "Q001", "R001"]);
}

#[test]
fn config_with_a_bad_severity_is_an_error_listing_the_choices() {
    let dir = project("[check]\n\n[check.severity]\nN001 = \"fatal\"\n");
    check_in_project(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "crosscheck.toml:4: unknown variant `fatal`",
        ))
        .stderr(predicate::str::contains("`info`, `warning`, `error`"));
}

#[test]
fn config_naming_a_missing_rules_folder_is_an_error() {
    let dir = project("[check]\nrules = [\"missing\"]\n");
    check_in_project(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "crosscheck.toml:2: rules folder \"missing\" not found",
        ));
}

#[test]
fn explicit_config_path_is_used() {
    // The config sits beside the bundle, not above the working directory
    // (the crate root), so only --config can find it.
    let dir = TempDir::new().expect("temp dir");
    let config = dir.path().join("settings.toml");
    fs::write(&config, "[check]\nignore = [\"V001\", \"Q\"]\n").expect("write");
    let (code, report) = sample_json(&["--config", config.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(codes(&report), ["D001", "D002", "N001", "R001"]);
}

#[test]
fn explicit_config_that_does_not_exist_is_an_error() {
    let dir = TempDir::new().expect("temp dir");
    let config = dir.path().join("missing.toml");
    crosscheck()
        .arg("check")
        .arg(sample())
        .arg("--config")
        .arg(&config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}: cannot read config",
            config.display()
        )));
}

#[test]
fn per_path_ignore_with_a_reason_drops_the_finding() {
    // 002 is R001's outlier; ignoring R001 for 002 removes the finding.
    let dir = project(
        "[[check.per-path-ignores]]\npath = \"002_*.txt\"\nrules = [\"R001\"]\nreason = \"house style says acting\"\n",
    );
    let out = check_in_project(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        jsonl_codes(&out.stdout),
        ["D001", "D002", "N001", "Q001", "V001"]
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 finding(s) ignored by per-path-ignores"),
        "the suppression is announced: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn per_path_ignore_without_a_reason_is_an_error() {
    // Every suppression must say why, where it is made.
    let dir = project("[[check.per-path-ignores]]\npath = \"002_*.txt\"\nrules = [\"R001\"]\n");
    check_in_project(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("crosscheck.toml:"))
        .stderr(predicate::str::contains("missing field `reason`"));
}

#[test]
fn config_rules_folder_is_resolved_against_the_config_file() {
    // `rules = ["extra"]` means <config dir>/extra, not <cwd>/extra.
    let dir = project("[check]\nrules = [\"extra\"]\n");
    fs::create_dir_all(dir.path().join("extra")).expect("rules folder");
    fs::write(dir.path().join("extra/strict.toml"), strict_role_rule()).expect("write");
    let out = check_in_project(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        jsonl_codes(&out.stdout).contains(&"R901".to_string()),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// --------------------------------------------------------------- group-by

#[test]
fn group_by_checks_each_story_on_its_own() {
    let (_dir, path) = grouped_archive();
    let report: Value = serde_json::from_slice(&grouped_json(&path, "2")).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2, "{report}");
    for finding in findings {
        let story = finding["story"]
            .as_str()
            .expect("each finding names its story");
        let docs: BTreeSet<&str> = finding["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["doc"].as_str().unwrap())
            .collect();
        // Record ids a1/a2 belong to story A, b1/b2 to story B.
        let prefix = format!("archive.jsonl#{}", story.to_lowercase());
        assert!(
            docs.iter().all(|d| d.starts_with(&prefix)),
            "story {story} mixes in {docs:?}"
        );
    }
    let by_story: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["story"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert!(by_story.contains(&("A", "V001")), "{by_story:?}");
    assert!(by_story.contains(&("B", "N001")), "{by_story:?}");
}

#[test]
fn without_group_by_the_archive_is_one_story() {
    // The contrast that makes the test above meaningful: without grouping
    // B's records join A's spelling finding.
    let (_dir, path) = grouped_archive();
    let out = crosscheck()
        .arg("check")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let v001 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "V001")
        .expect("V001");
    assert!(v001.get("story").is_none_or(Value::is_null));
    assert_eq!(v001["claims"].as_array().unwrap().len(), 4);
}

#[test]
fn group_by_warns_about_a_record_without_the_field() {
    // A record that cannot be placed in a story is named, not dropped.
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("archive.jsonl");
    let second = GROUPED
        .lines()
        .nth(1)
        .unwrap()
        .replace("\"incident_id\":\"B\",", "");
    fs::write(
        &path,
        format!("{}\n{second}\n", GROUPED.lines().next().unwrap()),
    )
    .expect("write");
    crosscheck()
        .arg("check")
        .arg(&path)
        .args(["--group-by", "incident_id", "--format", "jsonl"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "archive.jsonl:2: record has no \"incident_id\" field to group by",
        ))
        .stdout(predicate::str::contains("\"documents_read\":2"));
}

// ------------------------------------------------------------ determinism

#[test]
fn json_output_is_byte_identical_across_runs() {
    let run = || {
        crosscheck()
            .arg("check")
            .arg(sample())
            .args(["--format", "json"])
            .output()
            .expect("runs")
            .stdout
    };
    let first = run();
    assert!(!first.is_empty());
    assert_eq!(first, run());
}

#[test]
fn grouped_json_is_byte_identical_with_one_or_two_jobs() {
    let (_dir, path) = grouped_archive();
    let one = grouped_json(&path, "1");
    let two = grouped_json(&path, "2");
    assert!(!one.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&one),
        String::from_utf8_lossy(&two),
        "thread count changed the report"
    );
    assert_eq!(
        one,
        grouped_json(&path, "2"),
        "a second parallel run differs"
    );
}

/// The map/reduce split: claims dumped from a bundle and checked later give
/// the same findings as checking the bundle directly.
#[test]
fn check_on_dumped_claims_matches_check_on_the_articles() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine");
    let dumped = Command::cargo_bin("crosscheck")
        .expect("binary")
        .args(["dump", "claims", "--format", "jsonl", "-q"])
        .arg(&sample)
        .output()
        .expect("runs");
    assert_eq!(dumped.status.code(), Some(0));
    let from_claims = Command::cargo_bin("crosscheck")
        .expect("binary")
        .args(["check", "--claims", "-", "--format", "jsonl", "-q"])
        .write_stdin(dumped.stdout)
        .output()
        .expect("runs");
    let direct = Command::cargo_bin("crosscheck")
        .expect("binary")
        .args(["check", "--format", "jsonl", "-q"])
        .arg(&sample)
        .output()
        .expect("runs");
    let findings = |out: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(out)
            .lines()
            .filter(|l| l.contains("\"type\":\"finding\""))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(findings(&from_claims.stdout).len(), 6);
    assert_eq!(findings(&from_claims.stdout), findings(&direct.stdout));
    assert_eq!(from_claims.status.code(), Some(1));
}

#[test]
fn check_on_claims_reports_a_bad_line_and_reads_the_rest() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine");
    let dumped = Command::cargo_bin("crosscheck")
        .expect("binary")
        .args(["dump", "claims", "--format", "jsonl", "-q"])
        .arg(&sample)
        .output()
        .expect("runs");
    let mut text = String::from("{not a claim\n");
    text.push_str(&String::from_utf8_lossy(&dumped.stdout));
    let file = dir.path().join("claims.jsonl");
    std::fs::write(&file, text).expect("write");
    Command::cargo_bin("crosscheck")
        .expect("binary")
        .args(["check", "--claims"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("claims.jsonl:1: not a claim"));
}

/// The grouped archive plus a document that states nothing checkable (and
/// has a bad date), a record with no text, and two records with no story
/// field: all must be accounted for on the reduce side.
fn grouped_archive_with_quiet_records() -> (TempDir, PathBuf) {
    let (dir, path) = grouped_archive();
    let mut text = String::from(GROUPED);
    text.push_str(
        r#"{"id":"a3","incident_id":"A","published":"soon","text":"Weather\n\nIt rained."}
{"id":"b3","incident_id":"B","text":"   "}
{"id":"n1","published":"2025-08-20","text":"Talks in Geneva\n\nUkrainian President Volodymyr Zelensky met European leaders in Geneva, officials said."}
{"id":"n2","published":"2025-08-21","text":"Geneva meeting\n\nUkrainian President Volodymyr Zelenskyy held talks with European leaders in Geneva, officials said."}
"#,
    );
    fs::write(&path, text).expect("write");
    (dir, path)
}

fn dump_claims(path: &Path) -> Vec<u8> {
    let out = crosscheck()
        .args(["dump", "claims", "--format", "jsonl", "-q"])
        .args(["--group-by", "incident_id"])
        .arg(path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    out.stdout
}

fn check_claims_stdin(claims: Vec<u8>) -> String {
    let out = crosscheck()
        .args(["check", "--claims", "-", "--format", "jsonl", "-q"])
        .args(["--exit-zero"])
        .write_stdin(claims)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The whole report, summary included, is the same from the interchange as
/// from the articles: documents without claims and skipped records travel
/// with the claims.
#[test]
fn grouped_check_on_dumped_claims_matches_the_direct_report_line_for_line() {
    let (_dir, path) = grouped_archive_with_quiet_records();
    let dumped = dump_claims(&path);
    let kinds: BTreeSet<String> = String::from_utf8_lossy(&dumped)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["type"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["claim", "document", "skipped", "warning"]
    );
    let direct = crosscheck()
        .arg("check")
        .arg(&path)
        .args(["--group-by", "incident_id", "--format", "jsonl", "-q"])
        .output()
        .expect("runs");
    let direct = String::from_utf8(direct.stdout).expect("utf-8");
    assert_eq!(jsonl_codes(direct.as_bytes()).len(), 3, "{direct}");
    assert!(direct.contains("\"documents_read\":7,\"documents_skipped\":1"));
    assert_eq!(check_claims_stdin(dumped), direct);
}

/// A part of an archive with nothing readable is still an error, but its
/// skipped records reach the interchange for the reduce side to count.
#[test]
fn dump_claims_of_only_skipped_records_writes_them_and_exits_2() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("part.jsonl");
    fs::write(&path, "{\"id\":\"x\",\"text\":\"\"}\n").expect("write");
    let out = crosscheck()
        .args(["dump", "claims", "--format", "jsonl", "-q"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        stdout.starts_with("{\"type\":\"skipped\",\"path\":")
            && stdout.contains("part.jsonl:1")
            && stdout.lines().count() == 1,
        "{stdout}"
    );
}

/// A shuffle delivers a story's documents in any order; the findings must
/// not depend on it.
#[test]
fn check_on_claims_does_not_depend_on_document_order() {
    let dumped = String::from_utf8(dump_claims(&sample())).expect("utf-8");
    // Cut the stream into documents (each record line with the claims that
    // follow it) and deliver them in reverse.
    let mut blocks: Vec<String> = Vec::new();
    for line in dumped.lines() {
        if line.starts_with("{\"type\":\"claim\"") {
            if let Some(last) = blocks.last_mut() {
                last.push_str(line);
                last.push('\n');
                continue;
            }
        }
        blocks.push(format!("{line}\n"));
    }
    assert_eq!(blocks.len(), 5);
    let reversed: String = blocks.iter().rev().map(String::as_str).collect();
    let forward = check_claims_stdin(dumped.into_bytes());
    assert_eq!(jsonl_codes(forward.as_bytes()).len(), 6);
    assert_eq!(check_claims_stdin(reversed.into_bytes()), forward);
}

/// `diff ORIGINAL COPY` on the seeds: 002 reads as a rewrite of 001.
#[test]
fn diff_of_the_seed_rewrite_reports_only_the_date_at_error_level() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/rubio-ukraine");
    let out = Command::cargo_bin("crosscheck")
        .expect("binary")
        .arg("diff")
        .arg(dir.join("001_109151376af7ad50.txt"))
        .arg(dir.join("002_835a622e70ab705f.txt"))
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    let errors: Vec<&str> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert_eq!(errors, ["C001"]);
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    for expected in ["C005", "C006", "C010", "C030", "C031"] {
        assert!(
            codes.contains(&expected),
            "{expected} missing from {codes:?}"
        );
    }
}

#[test]
fn diff_needs_one_readable_document_per_side() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/rubio-ukraine/001_109151376af7ad50.txt");
    Command::cargo_bin("crosscheck")
        .expect("binary")
        .arg("diff")
        .arg(&sample)
        .arg(dir.path().join("empty.txt"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("empty.txt: empty file"))
        .stderr(predicates::str::contains(
            "must hold exactly one readable document",
        ));
}
